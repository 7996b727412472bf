//! The CRD schema constraints that more than one field (or more than one kind) declares, once
//! each: `pattern`s as the CRDs write them, and sets of constraints that a field takes whole
//! with `..NAME` (see [`crate::constraints!`]), such as every reference's `group` and `kind`.
//! Rule code that needs the same syntax for a CEL rule (a Gateway API address of type
//! `Hostname`, a path match) or for Istio's own checks uses these statics too, so a pattern is
//! never written twice.

use crate::model::schema::Constraints;
use crate::{constraints, pattern};

// ---------------------------------------------------------------------------------------------
// Shared sets of constraints (`..NAME` in a field's constraints)
// ---------------------------------------------------------------------------------------------

/// The `group` of a reference: empty (core) or a subdomain.
pub static REF_GROUP: Constraints = constraints!(max_length: 253, pattern: GROUP);
/// The `kind` of a reference.
pub static REF_KIND: Constraints = constraints!(min_length: 1, max_length: 63, pattern: KIND);
/// An object name in a reference (and a GatewayClass name).
pub static OBJECT_NAME: Constraints = constraints!(min_length: 1, max_length: 253);
/// The `namespace` of a reference.
pub static REF_NAMESPACE: Constraints =
    constraints!(min_length: 1, max_length: 63, pattern: DNS1123_LABEL);
/// A port number.
pub static PORT_NUMBER: Constraints = constraints!(minimum: 1, maximum: 65535);
/// A section, listener or rule name, and a redirect or rewrite hostname.
pub static SECTION_NAME: Constraints =
    constraints!(min_length: 1, max_length: 253, pattern: DNS1123_SUBDOMAIN);
/// An HTTP header (or query parameter) name.
pub static HEADER_NAME: Constraints =
    constraints!(min_length: 1, max_length: 256, pattern: HTTP_HEADER_NAME);
/// A backend weight.
pub static BACKEND_WEIGHT: Constraints = constraints!(minimum: 0, maximum: 1_000_000);
/// The `labels` of `networking.istio.io` workload selectors (Sidecar, ServiceEntry,
/// EnvoyFilter).
pub static SELECTOR_LABELS: Constraints =
    constraints!(max_properties: 256, items: [max_length: 63]);
/// The `matchLabels` of `istio.type.v1beta1.WorkloadSelector` (the security, telemetry and
/// extensions kinds, and DestinationRule's `workloadSelector`).
pub static MATCH_LABELS: Constraints = constraints!(max_properties: 4096, items: [max_length: 63]);
/// A list of policy target references.
pub static TARGET_REFS: Constraints = constraints!(max_items: 16);

// ---------------------------------------------------------------------------------------------
// Patterns
// ---------------------------------------------------------------------------------------------

pattern!(
    /// An RFC 1123 subdomain in lower case (Kubernetes object names, Gateway API section
    /// names and redirect hostnames).
    pub DNS1123_SUBDOMAIN = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"
);
pattern!(
    /// An RFC 1123 label in lower case (namespace names).
    pub DNS1123_LABEL = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"
);
pattern!(
    /// An API group: empty (the core group) or a subdomain.
    pub GROUP = r"^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"
);
pattern!(
    /// A kind name.
    pub KIND = r"^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$"
);
pattern!(
    /// A Gateway API hostname: a subdomain, optionally prefixed by `*.`.
    pub GATEWAY_HOSTNAME = r"^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"
);
pattern!(
    /// An HTTP header name (RFC 7230 token characters).
    pub HTTP_HEADER_NAME = r"^[A-Za-z0-9!#$%&'*+\-.^_\x60|~]+$"
);
pattern!(
    /// A Gateway API duration (GEP-2257).
    pub GATEWAY_DURATION = r"^([0-9]{1,5}(h|m|s|ms)){1,4}$"
);
pattern!(
    /// A GatewayClass controller name: a domain prefix and a path.
    pub GATEWAY_CONTROLLER = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9\/\-._~%!$&'()*+,;=:]+$"
);
pattern!(
    /// A listener protocol: a core name or a domain-prefixed one.
    pub LISTENER_PROTOCOL = r"^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9]+$"
);
pattern!(
    /// A Gateway address type: a core type or a domain-prefixed one.
    pub GATEWAY_ADDRESS_TYPE = r"^Hostname|IPAddress|NamedAddress|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/[A-Za-z0-9\/\-._~%!$&'()*+,;=:]+$"
);
pattern!(
    /// An absolute URL path of valid characters (RFC 3986, percent-encoding allowed).
    pub URL_PATH = r"^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$"
);
pattern!(
    /// A CORS origin: `*`, or a scheme, a host (optionally with a `*.` prefix) and a port.
    pub CORS_ORIGIN = r"(^\*$)|(^(http(s)?):\/\/(((\*\.)?([a-zA-Z0-9\-]+\.)*[a-zA-Z0-9-]+|\*)(:([0-9]{1,5}))?)$)"
);
pattern!(
    /// A Kubernetes label value (empty, or alphanumerics with `-`, `_` and `.` inside).
    pub LABEL_VALUE = r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$"
);

pattern!(
    /// A header name in Istio's CRDs (JWT claim-to-header, WorkloadGroup probe headers).
    pub HEADER_TOKEN = "^[-_A-Za-z0-9]+$"
);
pattern!(
    /// A WasmPlugin's `sha256`: empty, or 64 lower-case hex digits.
    pub SHA256_OR_EMPTY = "(^$|^[a-f0-9]{64}$)"
);

/// Every pattern of this module (the model's tests compile them all, with the patterns fields
/// declare elsewhere).
pub static ALL: &[&crate::model::schema::Pattern] = &[
    &DNS1123_SUBDOMAIN,
    &DNS1123_LABEL,
    &GROUP,
    &KIND,
    &GATEWAY_HOSTNAME,
    &HTTP_HEADER_NAME,
    &GATEWAY_DURATION,
    &GATEWAY_CONTROLLER,
    &LISTENER_PROTOCOL,
    &GATEWAY_ADDRESS_TYPE,
    &URL_PATH,
    &CORS_ORIGIN,
    &LABEL_VALUE,
    &HEADER_TOKEN,
    &SHA256_OR_EMPTY,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pattern_compiles() {
        for p in ALL {
            assert!(p.regex().is_some(), "{} does not compile", p.source);
        }
    }

    #[test]
    fn patterns_accept_and_reject() {
        assert!(DNS1123_SUBDOMAIN.is_match("a.b-c"));
        assert!(!DNS1123_SUBDOMAIN.is_match("A"));
        assert!(DNS1123_LABEL.is_match("ns-1"));
        assert!(!DNS1123_LABEL.is_match("a.b"));
        assert!(GROUP.is_match("") && GROUP.is_match("gateway.networking.k8s.io"));
        assert!(!GROUP.is_match("__"));
        assert!(KIND.is_match("Service") && !KIND.is_match("Serv_ice"));
        assert!(GATEWAY_HOSTNAME.is_match("*.example.com"));
        assert!(!GATEWAY_HOSTNAME.is_match("foo.*.com") && !GATEWAY_HOSTNAME.is_match("Foo"));
        assert!(HTTP_HEADER_NAME.is_match("x-b3") && !HTTP_HEADER_NAME.is_match("a b"));
        assert!(GATEWAY_DURATION.is_match("1h30m") && !GATEWAY_DURATION.is_match("1.5s"));
        assert!(GATEWAY_CONTROLLER.is_match("istio.io/gateway-controller"));
        assert!(!GATEWAY_CONTROLLER.is_match("istio"));
        assert!(LISTENER_PROTOCOL.is_match("HTTPS") && LISTENER_PROTOCOL.is_match("x.io/Q"));
        assert!(!LISTENER_PROTOCOL.is_match("-x"));
        assert!(GATEWAY_ADDRESS_TYPE.is_match("IPAddress"));
        assert!(URL_PATH.is_match("/a%20b") && !URL_PATH.is_match("/a b"));
        assert!(CORS_ORIGIN.is_match("https://*.example.com:8443") && CORS_ORIGIN.is_match("*"));
        assert!(!CORS_ORIGIN.is_match("ftp://x"));
        assert!(LABEL_VALUE.is_match("") && !LABEL_VALUE.is_match("-x"));
    }

    /// Every constraint a field of any kind declares fits the field's type (a length on a
    /// string, an item count on a list, ...) and its pattern compiles.
    #[test]
    fn declared_constraints_fit_their_fields() {
        use crate::model::kinds::KINDS;
        use crate::model::schema::{Constraints, Ty};
        use std::collections::HashSet;

        fn check(c: &Constraints, ty: Ty, at: &str) {
            let string = matches!(ty, Ty::Str | Ty::Duration | Ty::IntOrStr);
            if let Some(p) = c.pattern {
                assert!(string, "{at}: pattern on a non-string");
                assert!(p.regex().is_some(), "{at}: {} does not compile", p.source);
            }
            if c.min_length.is_some() || c.max_length.is_some() {
                assert!(string, "{at}: length on a non-string");
            }
            if c.min_items.is_some() || c.max_items.is_some() {
                assert!(matches!(ty, Ty::List(_)), "{at}: item count on a non-list");
            }
            if c.min_properties.is_some() || c.max_properties.is_some() {
                assert!(
                    matches!(ty, Ty::Map(_) | Ty::Struct(_) | Ty::Any),
                    "{at}: property count on a non-object"
                );
            }
            if c.minimum.is_some() || c.maximum.is_some() {
                assert!(
                    matches!(ty, Ty::Int { .. } | Ty::Float),
                    "{at}: bound on a non-number"
                );
            }
            if let Some(each) = c.items {
                match ty {
                    Ty::List(item) | Ty::Map(item) => check(each, item(), &format!("{at}[]")),
                    _ => panic!("{at}: items on a non-list"),
                }
            }
        }
        fn walk(ty: Ty, at: &str, seen: &mut HashSet<&'static str>, count: &mut usize) {
            match ty {
                Ty::Struct(desc) => {
                    if !seen.insert(desc.name) {
                        return;
                    }
                    for f in desc.fields {
                        let here = format!("{at}.{}", f.name);
                        if !f.constraints.is_none() {
                            *count += 1;
                        }
                        check(f.constraints, (f.ty)(), &here);
                        walk((f.ty)(), &here, seen, count);
                    }
                }
                Ty::List(item) | Ty::Map(item) => walk(item(), at, seen, count),
                _ => {}
            }
        }
        let mut seen = HashSet::new();
        let mut count = 0;
        for k in KINDS {
            if let Some(schema) = k.schema {
                walk(schema(), k.kind, &mut seen, &mut count);
            }
        }
        assert!(count > 80, "only {count} constrained fields");
    }
}
