//! Admission rules for AuthorizationPolicy: the CRD's structural and CEL constraints, then
//! istiod's webhook rules (`ValidateAuthorizationPolicy` and the attribute checks of
//! `pkg/config/security`).
//!
//! The rules of the `istio.type.v1beta1` types that every policy kind shares (workload selector,
//! policy target references, "only one of targetRefs or selector") are in [`super::common`], the
//! wording of the API server's schema constraint errors in [`super::crd`].

use super::Ctx;
use super::codes::*;
use super::common::{check_selector_and_targets, parse_cidr, validate_ip};
use crate::model::security::{AuthorizationAction, AuthorizationPolicy, Operation, Rule, Source};

/// Istio's `istio.io/dry-run` annotation, honoured by AuthorizationPolicy only.
const DRY_RUN_ANNOTATION: &str = "istio.io/dry-run";

pub fn validate(spec: &AuthorizationPolicy, ctx: &mut Ctx<'_>) {
    check_selector_and_targets(
        spec.selector.as_ref(),
        spec.target_ref.as_ref(),
        spec.target_refs.as_deref(),
        ctx,
    );
    check_dry_run(spec, ctx);

    let action = spec.action.unwrap_or_default();

    if action == AuthorizationAction::Custom {
        if spec.rules.is_empty() {
            ctx.report(
                AUTHZ_ACTION,
                "spec.action",
                "CUSTOM action without `rules` is meaningless as it will never be triggered, \
                 add an empty rule `{}` if you want it be triggered for every request",
            );
        } else {
            match &spec.provider {
                None => ctx.report(
                    AUTHZ_ACTION,
                    "spec.provider",
                    "`provider.name` must not be empty",
                ),
                Some(p) if p.name.as_deref().unwrap_or("").is_empty() => ctx.report(
                    AUTHZ_ACTION,
                    "spec.provider.name",
                    "`provider.name` must not be empty",
                ),
                Some(_) => {}
            }
        }
        for (i, rule) in spec.rules.iter().enumerate() {
            check_custom_rule(rule, &format!("spec.rules[{i}]"), ctx);
        }
    }
    if spec.provider.is_some() && action != AuthorizationAction::Custom {
        ctx.report(
            AUTHZ_ACTION,
            "spec.provider",
            format!(
                "`provider` must not be with non CUSTOM action, found {}",
                action.as_str()
            ),
        );
    }
    if action == AuthorizationAction::Deny && spec.rules.is_empty() {
        ctx.report(
            AUTHZ_ACTION,
            "spec.action",
            "DENY action without `rules` is meaningless as it will never be triggered, \
             add an empty rule `{}` if you want it be triggered for every request",
        );
    }

    for (i, rule) in spec.rules.iter().enumerate() {
        check_rule(rule, i, action, ctx);
    }
}

/// `istio.io/dry-run` must be a Go boolean and is only supported for ALLOW and DENY policies.
fn check_dry_run(spec: &AuthorizationPolicy, ctx: &mut Ctx<'_>) {
    let Some(value) = ctx.meta.annotations.get(DRY_RUN_ANNOTATION) else {
        return;
    };
    let path = format!("metadata.annotations[{DRY_RUN_ANNOTATION:?}]");
    let action = spec.action.unwrap_or_default();
    match action {
        AuthorizationAction::Allow | AuthorizationAction::Deny => {
            if !is_go_bool(value) {
                ctx.report(
                    AUTHZ_ACTION,
                    path,
                    format!(
                        "annotation {DRY_RUN_ANNOTATION} has an invalid value ({value}): \
                         expected true or false"
                    ),
                );
            }
        }
        _ => ctx.report(
            AUTHZ_ACTION,
            path,
            format!(
                "the annotation {DRY_RUN_ANNOTATION} currently only supports action ALLOW/DENY, \
                 found action {}",
                action.as_str()
            ),
        ),
    }
}

/// Go's `strconv.ParseBool`.
fn is_go_bool(s: &str) -> bool {
    matches!(
        s,
        "1" | "t" | "T" | "TRUE" | "true" | "True" | "0" | "f" | "F" | "FALSE" | "false" | "False"
    )
}

/// Fields and condition keys a CUSTOM (external authorizer) policy cannot match on, because the
/// authorizer runs before the identity they describe is known.
fn check_custom_rule(rule: &Rule, path: &str, ctx: &mut Ctx<'_>) {
    for (j, from) in rule.from.iter().enumerate() {
        let Some(src) = &from.source else { continue };
        let fields: [(&str, &str, bool); 10] = [
            ("namespaces", "From.Namespaces", is_set(&src.namespaces)),
            (
                "notNamespaces",
                "From.NotNamespaces",
                is_set(&src.not_namespaces),
            ),
            (
                "serviceAccounts",
                "From.ServiceAccounts",
                is_set(&src.service_accounts),
            ),
            (
                "notServiceAccounts",
                "From.NotServiceAccounts",
                is_set(&src.not_service_accounts),
            ),
            (
                "trustDomains",
                "From.TrustDomains",
                !src.trust_domains.is_empty(),
            ),
            (
                "notTrustDomains",
                "From.NotTrustDomains",
                !src.not_trust_domains.is_empty(),
            ),
            ("principals", "From.Principals", is_set(&src.principals)),
            (
                "notPrincipals",
                "From.NotPrincipals",
                is_set(&src.not_principals),
            ),
            (
                "requestPrincipals",
                "From.RequestPrincipals",
                !src.request_principals.is_empty(),
            ),
            (
                "notRequestPrincipals",
                "From.NotRequestPrincipals",
                !src.not_request_principals.is_empty(),
            ),
        ];
        for (field, name, set) in fields {
            if set {
                ctx.report(
                    AUTHZ_ACTION,
                    format!("{path}.from[{j}].source.{field}"),
                    format!("{name} is currently not supported with CUSTOM action"),
                );
            }
        }
    }
    for (k, when) in rule.when.iter().enumerate() {
        let key = when.key.as_deref().unwrap_or("");
        let unsupported = matches!(
            key,
            "source.namespace"
                | "source.serviceAccount"
                | "source.trustDomain"
                | "source.principal"
        ) || key.starts_with("request.auth.");
        if unsupported {
            ctx.report(
                AUTHZ_ACTION,
                format!("{path}.when[{k}].key"),
                format!("{key} is currently not supported with CUSTOM action"),
            );
        }
    }
}

/// A list that is present and non-empty (Go's `len(x) != 0`).
fn is_set(list: &Option<Vec<String>>) -> bool {
    list.as_ref().is_some_and(|l| !l.is_empty())
}

fn len_of(list: &Option<Vec<String>>) -> usize {
    list.as_ref().map_or(0, Vec::len)
}

fn items(list: &Option<Vec<String>>) -> &[String] {
    list.as_deref().unwrap_or(&[])
}

fn check_rule(rule: &Rule, i: usize, action: AuthorizationAction, ctx: &mut Ctx<'_>) {
    let path = format!("spec.rules[{i}]");

    let mut from_rule_exists = false;
    let mut tcp_rules_in_from = false;
    for (j, from) in rule.from.iter().enumerate() {
        let from_path = format!("{path}.from[{j}]");
        let Some(src) = &from.source else {
            ctx.report(
                AUTHZ_SOURCE,
                from_path,
                format!("`from.source` must not be nil, found at rule {i}"),
            );
            continue;
        };
        from_rule_exists = true;
        check_source(src, &format!("{from_path}.source"), i, ctx);
        tcp_rules_in_from |= src.principals.is_some()
            || src.not_principals.is_some()
            || !src.ip_blocks.is_empty()
            || !src.not_ip_blocks.is_empty()
            || src.namespaces.is_some()
            || src.not_namespaces.is_some()
            || !src.remote_ip_blocks.is_empty()
            || !src.not_remote_ip_blocks.is_empty()
            || src.service_accounts.is_some()
            || src.not_service_accounts.is_some();
    }

    let mut to_rule_exists = false;
    let mut tcp_rules_in_to = false;
    for (j, to) in rule.to.iter().enumerate() {
        let to_path = format!("{path}.to[{j}]");
        let Some(op) = &to.operation else {
            ctx.report(
                AUTHZ_OPERATION,
                to_path,
                format!("`to.operation` must not be nil, found at rule {i}"),
            );
            continue;
        };
        to_rule_exists = true;
        check_operation(op, &format!("{to_path}.operation"), i, ctx);
        tcp_rules_in_to |= !op.ports.is_empty() || !op.not_ports.is_empty();
    }

    for (k, cond) in rule.when.iter().enumerate() {
        let cond_path = format!("{path}.when[{k}]");
        let key = cond.key.as_deref().unwrap_or("");
        if key.is_empty() {
            if cond.key.is_some() {
                ctx.report(
                    AUTHZ_CONDITION,
                    format!("{cond_path}.key"),
                    "`key` must not be empty",
                );
            }
            continue;
        }
        if cond.values.is_empty() && cond.not_values.is_empty() {
            ctx.report(
                AUTHZ_CONDITION,
                cond_path,
                format!("at least one of `values` or `notValues` must be set for key {key}"),
            );
            continue;
        }
        if let Err(e) = attributes::validate_key(key) {
            ctx.report(
                AUTHZ_CONDITION,
                format!("{cond_path}.key"),
                format!("invalid `key` {key}: {e}"),
            );
            continue;
        }
        for (field, label, values) in [
            ("values", "value", &cond.values),
            ("notValues", "notValue", &cond.not_values),
        ] {
            for (n, value) in values.iter().enumerate() {
                if let Err(e) = attributes::validate_value(key, value) {
                    ctx.report(
                        AUTHZ_CONDITION,
                        format!("{cond_path}.{field}[{n}]"),
                        format!("invalid `{label}` for `key` {key}: {e}"),
                    );
                }
            }
        }
    }

    let http_only = (from_rule_exists && !to_rule_exists && !tcp_rules_in_from)
        || (to_rule_exists && !tcp_rules_in_to);
    if http_only && action == AuthorizationAction::Deny {
        ctx.report(
            AUTHZ_DENY_HTTP_ONLY,
            path,
            "configured AuthorizationPolicy will deny all traffic to TCP ports under its scope \
             due to the use of only HTTP attributes in a DENY rule; it is recommended to \
             explicitly specify the port",
        );
    }
}

fn check_source(src: &Source, path: &str, i: usize, ctx: &mut Ctx<'_>) {
    // CRD: the CEL rule on Source tests presence (`has()`), so an explicit empty list counts.
    let has_sa = src.service_accounts.is_some() || src.not_service_accounts.is_some();
    let has_other = src.principals.is_some()
        || src.not_principals.is_some()
        || src.namespaces.is_some()
        || src.not_namespaces.is_some();
    if has_sa && has_other {
        let field = if src.service_accounts.is_some() {
            "serviceAccounts"
        } else {
            "notServiceAccounts"
        };
        ctx.report(
            AUTHZ_SOURCE,
            format!("{path}.{field}"),
            "Cannot set serviceAccounts with namespaces or principals",
        );
    }
    let total = len_of(&src.principals)
        + len_of(&src.not_principals)
        + src.request_principals.len()
        + src.not_request_principals.len()
        + len_of(&src.namespaces)
        + len_of(&src.not_namespaces)
        + src.ip_blocks.len()
        + src.not_ip_blocks.len()
        + src.remote_ip_blocks.len()
        + src.not_remote_ip_blocks.len()
        + len_of(&src.service_accounts)
        + len_of(&src.not_service_accounts)
        + src.trust_domains.len()
        + src.not_trust_domains.len();
    if total == 0 {
        ctx.report(
            AUTHZ_SOURCE,
            path,
            format!("`from.source` must not be empty, found at rule {i}"),
        );
    }

    for (field, list) in [
        ("ipBlocks", &src.ip_blocks),
        ("notIpBlocks", &src.not_ip_blocks),
        ("remoteIpBlocks", &src.remote_ip_blocks),
        ("notRemoteIpBlocks", &src.not_remote_ip_blocks),
    ] {
        for (n, v) in list.iter().enumerate() {
            if v.is_empty() {
                ctx.report(
                    AUTHZ_SOURCE,
                    format!("{path}.{field}[{n}]"),
                    format!("empty value not allowed, found in {}", go_name(field)),
                );
            } else if let Err(e) = attributes::validate_ip_or_cidr(v) {
                ctx.report(AUTHZ_SOURCE, format!("{path}.{field}[{n}]"), e);
            }
        }
    }
    for (field, list) in [
        ("principals", items(&src.principals)),
        ("notPrincipals", items(&src.not_principals)),
        ("requestPrincipals", &src.request_principals),
        ("notRequestPrincipals", &src.not_request_principals),
        ("namespaces", items(&src.namespaces)),
        ("notNamespaces", items(&src.not_namespaces)),
    ] {
        check_non_empty(list, path, field, ctx);
    }
    for (field, list) in [
        ("serviceAccounts", items(&src.service_accounts)),
        ("notServiceAccounts", items(&src.not_service_accounts)),
    ] {
        for (n, v) in list.iter().enumerate() {
            if let Err(e) = attributes::check_service_account(go_name(field), v) {
                ctx.report(AUTHZ_SOURCE, format!("{path}.{field}[{n}]"), e);
            }
        }
    }
    for (field, list) in [
        ("trustDomains", &src.trust_domains),
        ("notTrustDomains", &src.not_trust_domains),
    ] {
        for (n, v) in list.iter().enumerate() {
            if let Err(e) = attributes::check_trust_domain(go_name(field), v) {
                ctx.report(AUTHZ_SOURCE, format!("{path}.{field}[{n}]"), e);
            }
        }
    }
}

fn check_operation(op: &Operation, path: &str, i: usize, ctx: &mut Ctx<'_>) {
    let lists: [(&str, &[String]); 8] = [
        ("ports", &op.ports),
        ("methods", &op.methods),
        ("paths", &op.paths),
        ("hosts", &op.hosts),
        ("notPorts", &op.not_ports),
        ("notMethods", &op.not_methods),
        ("notPaths", &op.not_paths),
        ("notHosts", &op.not_hosts),
    ];
    if lists.iter().all(|(_, l)| l.is_empty()) {
        ctx.report(
            AUTHZ_OPERATION,
            path,
            format!("`to.operation` must not be empty, found at rule {i}"),
        );
    }
    for (field, list) in lists {
        check_non_empty(list, path, field, ctx);
    }
    for (field, list) in [("ports", &op.ports), ("notPorts", &op.not_ports)] {
        for (n, v) in list.iter().enumerate() {
            if !v.is_empty()
                && let Err(e) = attributes::validate_port(v)
            {
                ctx.report(AUTHZ_OPERATION, format!("{path}.{field}[{n}]"), e);
            }
        }
    }
    for (field, list) in [("paths", &op.paths), ("notPaths", &op.not_paths)] {
        for (n, v) in list.iter().enumerate() {
            if let Err(e) = attributes::check_path_template(go_name(field), v) {
                ctx.report(AUTHZ_OPERATION, format!("{path}.{field}[{n}]"), e);
            }
        }
    }
}

fn check_non_empty(list: &[String], path: &str, field: &str, ctx: &mut Ctx<'_>) {
    for (n, v) in list.iter().enumerate() {
        if v.is_empty() {
            ctx.report(
                AUTHZ_SOURCE,
                format!("{path}.{field}[{n}]"),
                format!("empty value not allowed, found in {}", go_name(field)),
            );
        }
    }
}

/// The Go field name Istio uses in its messages (`notIpBlocks` -> `NotIpBlocks`).
fn go_name(field: &str) -> String {
    let mut chars = field.chars();
    match chars.next() {
        Some(c) => c.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// The request attributes a `when` condition may test, and the format of their values
/// (Istio's `security.ValidateAttribute` and its helpers).
mod attributes {
    use super::{parse_cidr, validate_ip};

    /// Whether the condition key is a known attribute, and well-formed (`a[b]` for map keys).
    pub fn validate_key(key: &str) -> Result<(), String> {
        const MAP_KEYS: [&str; 3] = [
            "request.headers",
            "request.auth.claims",
            "experimental.envoy.filters.",
        ];
        const PLAIN: [&str; 11] = [
            "source.ip",
            "remote.ip",
            "source.namespace",
            "source.serviceAccount",
            "source.principal",
            "source.trustDomain",
            "request.auth.principal",
            "request.auth.audiences",
            "request.auth.presenter",
            "destination.ip",
            "destination.port",
        ];
        if MAP_KEYS.iter().any(|p| key.starts_with(p)) {
            return validate_map_key(key);
        }
        if PLAIN.contains(&key) || key == "connection.sni" {
            return Ok(());
        }
        if key == "destination.namespace" {
            return Err(format!(
                "attribute {key} is replaced by the metadata.namespace"
            ));
        }
        if key.starts_with("destination.labels") {
            return Err(format!(
                "attribute {key} is replaced by the workload selector"
            ));
        }
        if key == "destination.name" || key == "destination.user" {
            return Err(format!(
                "deprecated attribute {key}: only supported in v1alpha1"
            ));
        }
        Err(format!("unknown attribute: {key}"))
    }

    /// The format of one value of a condition on `key` (whose format is already checked).
    pub fn validate_value(key: &str, value: &str) -> Result<(), String> {
        if value.is_empty() {
            return Err(format!("empty value not allowed, found in {key}"));
        }
        match key {
            "source.ip" | "remote.ip" | "destination.ip" => validate_ip_or_cidr(value),
            "source.serviceAccount" => check_service_account(key, value),
            "source.trustDomain" => check_wildcard(key, value),
            "destination.port" => validate_port(value),
            _ => Ok(()),
        }
    }

    fn validate_map_key(key: &str) -> Result<(), String> {
        let ok = key.ends_with(']')
            && key
                .find('[')
                .is_some_and(|open| open > 0 && open + 2 < key.len());
        if ok {
            Ok(())
        } else {
            Err(format!("bad key ({key}): should have format a[b]"))
        }
    }

    /// Istio's `ValidateIPs` for one value: an address, or a CIDR range when it has a `/`.
    pub fn validate_ip_or_cidr(v: &str) -> Result<(), String> {
        if v.contains('/') {
            // Go's netip.ParsePrefix: no IPv6 zone, canonical prefix length.
            if v.contains('%') || parse_cidr(v).is_none() {
                return Err(format!("bad CIDR range ({v})"));
            }
            Ok(())
        } else {
            validate_ip(v).map_err(|_| format!("bad IP address ({v})"))
        }
    }

    /// Istio's `ValidatePorts` for one value: a decimal number up to 65535 (0 is accepted).
    pub fn validate_port(v: &str) -> Result<(), String> {
        let digits = !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit());
        match v.parse::<u64>() {
            Ok(p) if digits && p <= 65535 => Ok(()),
            _ => Err(format!(
                "bad port ({v}): must be a number in the range 0..65535"
            )),
        }
    }

    /// Istio's `CheckServiceAccount` for one value: `sa` or `namespace/sa`, no wildcard.
    pub fn check_service_account(field: impl std::fmt::Display, v: &str) -> Result<(), String> {
        if v.is_empty() {
            return Err(format!("empty value not allowed, found in {field}"));
        }
        if v.contains('*') {
            return Err(format!("wildcard not allowed, found in {field}"));
        }
        let format = "expected format 'serviceAccount' or 'namespace/serviceAccount'";
        if v.matches('/').count() > 1 {
            return Err(format!("{format}, found {v:?} in {field}"));
        }
        if v.len() > 320 {
            return Err(format!(
                "value cannot exceed 320 characters, found {v:?} in {field}"
            ));
        }
        if let Some((ns, sa)) = v.split_once('/') {
            if ns.is_empty() {
                return Err(format!("{format}, found empty namespace {v:?} in {field}"));
            }
            if sa.is_empty() {
                return Err(format!(
                    "{format}, found empty serviceAccount {v:?} in {field}"
                ));
            }
        }
        Ok(())
    }

    /// Istio's `CheckWildcardValues` for one value: exact, `prefix*`, `*suffix` or `*`.
    pub fn check_wildcard(field: impl std::fmt::Display, v: &str) -> Result<(), String> {
        if v.is_empty() {
            return Err(format!("empty value not allowed, found in {field}"));
        }
        let count = v.matches('*').count();
        if count > 1 {
            return Err(format!(
                "at most one wildcard is allowed, found in {field}: {v:?}"
            ));
        }
        if count == 1 && v != "*" && !v.starts_with('*') && !v.ends_with('*') {
            return Err(format!(
                "wildcard is only allowed at the start or end, found in {field}: {v:?}"
            ));
        }
        Ok(())
    }

    /// Istio's `CheckTrustDomainValues` for one value.
    pub fn check_trust_domain(field: impl std::fmt::Display, v: &str) -> Result<(), String> {
        check_wildcard(&field, v)?;
        if v.contains('/') {
            return Err(format!(
                "trust domain must not contain '/', found in {field}: {v:?}"
            ));
        }
        Ok(())
    }

    /// Istio's `CheckValidPathTemplate` for one path: `{*}` matches one segment, `{**}` any
    /// number and must be the last operator; a path using them may hold only RFC 3986 `pchar`
    /// literals, and braces are allowed nowhere else.
    pub fn check_path_template(field: impl std::fmt::Display, path: &str) -> Result<(), String> {
        let templated = path.contains("{*}") || path.contains("{**}");
        let trimmed = path.trim_matches('/');
        let mut seen_any = false;
        for glob in trimmed.split('/') {
            let is_template = glob == "{*}" || glob == "{**}";
            if is_template && seen_any {
                return Err(format!(
                    "invalid or unsupported path {trimmed}, found in {field}. \
                     {{**}} is not the last operator"
                ));
            }
            if is_template {
                seen_any |= glob == "{**}";
                continue;
            }
            if glob.contains(['{', '}']) {
                return Err(format!(
                    "invalid or unsupported path {trimmed}, found in {field}. \
                     Contains '{{' or '}}' beyond a supported path template"
                ));
            }
            if templated && !is_pchar_literal(glob) {
                return Err(format!(
                    "invalid or unsupported path {trimmed}, found in {field}. \
                     Contains segment {glob} with invalid string literal"
                ));
            }
        }
        Ok(())
    }

    fn is_pchar_literal(glob: &str) -> bool {
        !glob.is_empty()
            && glob
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-._~%!$&'()+,;:@=".contains(&b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::validate::{Finding, Level};
    use crate::model::ObjectMeta;

    fn run_with(meta: ObjectMeta, spec: serde_json::Value) -> Vec<Finding> {
        let spec: AuthorizationPolicy = serde_json::from_value(spec).unwrap();
        let mut ctx = Ctx::new(&meta, "default");
        validate(&spec, &mut ctx);
        ctx.findings
    }

    /// The whole of `validate` (the schema walk checks the constraints the model declares).
    fn validated(spec: serde_json::Value) -> Vec<Finding> {
        crate::check::validate::testing::validate_spec(
            "security.istio.io/v1",
            "AuthorizationPolicy",
            spec,
        )
    }

    fn run(spec: serde_json::Value) -> Vec<Finding> {
        run_with(ObjectMeta::default(), spec)
    }

    fn errors(f: &[Finding]) -> Vec<&Finding> {
        f.iter().filter(|f| f.level == Level::Error).collect()
    }

    use crate::check::validate::testing::has;

    #[test]
    fn accepts_a_rich_policy() {
        let f = run(serde_json::json!({
            "selector": {"matchLabels": {"app": "httpbin"}},
            "action": "ALLOW",
            "rules": [{
                "from": [{"source": {
                    "principals": ["cluster.local/ns/a/sa/b", "*"],
                    "ipBlocks": ["1.2.3.4", "5.6.0.0/16", "2001:db8::/32"],
                    "trustDomains": ["td-*", "*"],
                }}, {"source": {"serviceAccounts": ["ns/sa", "sa"]}}],
                "to": [{"operation": {
                    "ports": ["80", "0"], "methods": ["GET"],
                    "paths": ["/a/*", "/{*}/b/{**}", "/x/{**}"], "hosts": ["*.example.com"],
                }}],
                "when": [
                    {"key": "request.headers[X-Foo]", "values": ["a"]},
                    {"key": "request.auth.claims[groups]", "notValues": ["b"]},
                    {"key": "destination.port", "values": ["8080"]},
                    {"key": "source.ip", "values": ["10.0.0.0/8"]},
                    {"key": "source.serviceAccount", "values": ["ns/sa"]},
                    {"key": "connection.sni", "values": ["*.example.com"]},
                ],
            }],
        }));
        assert!(f.is_empty(), "{f:?}");
        assert!(run(serde_json::json!({})).is_empty());
        // ALLOW with an empty rule list denies everything: valid.
        assert!(run(serde_json::json!({"rules": [{}]})).is_empty());
    }

    #[test]
    fn service_accounts_conflict_with_namespaces_and_principals() {
        let f = run(serde_json::json!({"rules": [{"from": [{"source": {
            "serviceAccounts": ["bar/sa"], "namespaces": ["bar"]}}]}]}));
        assert!(has(
            &f,
            Level::Error,
            "spec.rules[0].from[0].source.serviceAccounts",
            "Cannot set serviceAccounts with namespaces or principals"
        ));
        // Presence counts for the CRD rule, even an empty list.
        let f = run(serde_json::json!({"rules": [{"from": [{"source": {
            "notServiceAccounts": ["sa"], "principals": []}}]}]}));
        assert!(has(
            &f,
            Level::Error,
            "spec.rules[0].from[0].source.notServiceAccounts",
            "Cannot set serviceAccounts"
        ));
        let f = run(serde_json::json!({"rules": [{"from": [
            {"source": {"serviceAccounts": ["baz/sa", "sa"]}},
            {"source": {"principals": ["bar"]}},
        ]}]}));
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn service_account_format() {
        for bad in ["a/b/c", "*", "/sa", "ns/", ""] {
            let f = validated(serde_json::json!({"rules": [{"from": [{"source": {
                "serviceAccounts": [bad]}}]}]}));
            assert!(
                errors(&f)
                    .iter()
                    .any(|f| f.path == "spec.rules[0].from[0].source.serviceAccounts[0]"),
                "{bad}: {f:?}"
            );
        }
        let many: Vec<String> = (0..17).map(|i| format!("sa{i}")).collect();
        let f = validated(
            serde_json::json!({"rules": [{"from": [{"source": {"serviceAccounts": many}}]}]}),
        );
        assert!(has(
            &f,
            Level::Error,
            "spec.rules[0].from[0].source.serviceAccounts",
            "Too many: 17"
        ));
    }

    #[test]
    fn action_rules() {
        let f = run(serde_json::json!({"action": "DENY"}));
        assert!(has(
            &f,
            Level::Error,
            "spec.action",
            "DENY action without `rules`"
        ));
        let f = run(serde_json::json!({"action": "CUSTOM", "provider": {"name": "ext"}}));
        assert!(has(
            &f,
            Level::Error,
            "spec.action",
            "CUSTOM action without `rules`"
        ));
        let f = run(serde_json::json!({"action": "CUSTOM", "rules": [{}]}));
        assert!(has(
            &f,
            Level::Error,
            "spec.provider",
            "`provider.name` must not be empty"
        ));
        let f = run(serde_json::json!({"action": "CUSTOM", "rules": [{}], "provider": {}}));
        assert!(has(
            &f,
            Level::Error,
            "spec.provider.name",
            "`provider.name` must not be empty"
        ));
        let f = run(serde_json::json!({"rules": [{}], "provider": {"name": "ext"}}));
        assert!(has(
            &f,
            Level::Error,
            "spec.provider",
            "non CUSTOM action, found ALLOW"
        ));
        let f = run(
            serde_json::json!({"action": "CUSTOM", "provider": {"name": "ext"},
            "rules": [{"to": [{"operation": {"paths": ["/admin"]}}]}]}),
        );
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn custom_action_unsupported_matches() {
        let f = run(
            serde_json::json!({"action": "CUSTOM", "provider": {"name": "ext"},
            "rules": [{
                "from": [{"source": {"principals": ["p"], "ipBlocks": ["1.2.3.4"]}}],
                "when": [{"key": "request.auth.claims[iss]", "values": ["x"]},
                         {"key": "source.ip", "values": ["1.2.3.4"]}],
            }]}),
        );
        assert!(has(
            &f,
            Level::Error,
            "spec.rules[0].from[0].source.principals",
            "From.Principals is currently not supported with CUSTOM action"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.rules[0].when[0].key",
            "request.auth.claims[iss] is currently not supported"
        ));
        assert_eq!(errors(&f).len(), 2, "{f:?}");
    }

    #[test]
    fn empty_from_to_and_values() {
        let f = run(serde_json::json!({"rules": [{
            "from": [{}, {"source": {}}, {"source": {"principals": [""]}}],
            "to": [{}, {"operation": {}}, {"operation": {"methods": [""]}}],
        }]}));
        assert!(has(
            &f,
            Level::Error,
            "spec.rules[0].from[0]",
            "`from.source` must not be nil"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.rules[0].from[1].source",
            "`from.source` must not be empty"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.rules[0].from[2].source.principals[0]",
            "empty value not allowed, found in Principals"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.rules[0].to[0]",
            "`to.operation` must not be nil"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.rules[0].to[1].operation",
            "`to.operation` must not be empty"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.rules[0].to[2].operation.methods[0]",
            "found in Methods"
        ));
    }

    #[test]
    fn ips_ports_and_paths() {
        let f = run(serde_json::json!({"rules": [{
            "from": [{"source": {"ipBlocks": ["1.2.3.4/33", "1.2.3"], "notRemoteIpBlocks": ["fe80::1%eth0"]}}],
            "to": [{"operation": {"ports": ["65536", "http", "-1"],
                                  "paths": ["/{**}/a/{*}", "/a{b}", "/{*}/a b"]}}],
        }]}));
        let src = "spec.rules[0].from[0].source";
        assert!(has(
            &f,
            Level::Error,
            &format!("{src}.ipBlocks[0]"),
            "bad CIDR range"
        ));
        assert!(has(
            &f,
            Level::Error,
            &format!("{src}.ipBlocks[1]"),
            "bad IP address"
        ));
        assert!(
            !f.iter().any(|f| f.path.contains("notRemoteIpBlocks")),
            "{f:?}"
        );
        let op = "spec.rules[0].to[0].operation";
        for n in 0..3 {
            assert!(has(
                &f,
                Level::Error,
                &format!("{op}.ports[{n}]"),
                "bad port"
            ));
        }
        assert!(has(
            &f,
            Level::Error,
            &format!("{op}.paths[0]"),
            "{**} is not the last operator"
        ));
        assert!(has(
            &f,
            Level::Error,
            &format!("{op}.paths[1]"),
            "beyond a supported path template"
        ));
        assert!(has(
            &f,
            Level::Error,
            &format!("{op}.paths[2]"),
            "invalid string literal"
        ));
        // Without a template, any characters are fine.
        let f = run(serde_json::json!({"rules": [{"to": [{"operation": {"paths": ["/a b/c"]}}]}]}));
        assert!(f.is_empty(), "{f:?}");
    }

    #[test]
    fn conditions() {
        let f = run(serde_json::json!({"rules": [{"when": [
            {"key": "", "values": ["a"]},
            {"key": "source.ip"},
            {"key": "request.headers", "values": ["a"]},
            {"key": "destination.namespace", "values": ["a"]},
            {"key": "destination.labels[app]", "values": ["a"]},
            {"key": "destination.user", "values": ["a"]},
            {"key": "foo.bar", "values": ["a"]},
            {"key": "source.ip", "values": ["1.2.3.4", "nope"], "notValues": ["10.0.0.0/40"]},
            {"key": "destination.port", "values": ["99999"]},
            {"key": "source.trustDomain", "values": ["a*b"]},
            {"key": "request.auth.claims[]", "values": ["a"]},
            {"key": "request.headers[x]", "values": [""]},
        ]}]}));
        let w = "spec.rules[0].when";
        assert!(has(
            &f,
            Level::Error,
            &format!("{w}[0].key"),
            "`key` must not be empty"
        ));
        assert!(has(
            &f,
            Level::Error,
            &format!("{w}[1]"),
            "at least one of `values` or `notValues`"
        ));
        assert!(has(
            &f,
            Level::Error,
            &format!("{w}[2].key"),
            "should have format a[b]"
        ));
        assert!(has(
            &f,
            Level::Error,
            &format!("{w}[3].key"),
            "replaced by the metadata.namespace"
        ));
        assert!(has(
            &f,
            Level::Error,
            &format!("{w}[4].key"),
            "replaced by the workload selector"
        ));
        assert!(has(
            &f,
            Level::Error,
            &format!("{w}[5].key"),
            "only supported in v1alpha1"
        ));
        assert!(has(
            &f,
            Level::Error,
            &format!("{w}[6].key"),
            "unknown attribute: foo.bar"
        ));
        assert!(has(
            &f,
            Level::Error,
            &format!("{w}[7].values[1]"),
            "invalid `value` for `key` source.ip"
        ));
        assert!(has(
            &f,
            Level::Error,
            &format!("{w}[7].notValues[0]"),
            "invalid `notValue`"
        ));
        assert!(!f.iter().any(|f| f.path == format!("{w}[7].values[0]")));
        assert!(has(
            &f,
            Level::Error,
            &format!("{w}[8].values[0]"),
            "bad port"
        ));
        assert!(has(
            &f,
            Level::Error,
            &format!("{w}[9].values[0]"),
            "wildcard is only allowed"
        ));
        assert!(has(
            &f,
            Level::Error,
            &format!("{w}[10].key"),
            "should have format a[b]"
        ));
        assert!(has(
            &f,
            Level::Error,
            &format!("{w}[11].values[0]"),
            "empty value not allowed"
        ));
    }

    #[test]
    fn deny_with_only_http_attributes_warns() {
        let f = run(serde_json::json!({"action": "DENY", "rules": [
            {"to": [{"operation": {"methods": ["GET"]}}]},
            {"to": [{"operation": {"ports": ["80"], "methods": ["GET"]}}]},
            {"from": [{"source": {"requestPrincipals": ["*"]}}]},
            {"from": [{"source": {"namespaces": ["a"]}}]},
        ]}));
        assert!(errors(&f).is_empty(), "{f:?}");
        assert!(has(
            &f,
            Level::Warning,
            "spec.rules[0]",
            "deny all traffic to TCP ports"
        ));
        assert!(!f.iter().any(|f| f.path == "spec.rules[1]"));
        assert!(has(&f, Level::Warning, "spec.rules[2]", "deny all traffic"));
        assert!(!f.iter().any(|f| f.path == "spec.rules[3]"));
        // Not for ALLOW.
        let f = run(serde_json::json!({"rules": [{"to": [{"operation": {"methods": ["GET"]}}]}]}));
        assert!(f.is_empty());
    }

    #[test]
    fn dry_run_annotation() {
        let mut meta = ObjectMeta::default();
        meta.annotations
            .insert(DRY_RUN_ANNOTATION.to_string(), "true".to_string());
        assert!(run_with(meta.clone(), serde_json::json!({"rules": [{}]})).is_empty());
        let f = run_with(
            meta.clone(),
            serde_json::json!({"action": "AUDIT", "rules": [{}]}),
        );
        assert!(has(
            &f,
            Level::Error,
            "metadata.annotations[\"istio.io/dry-run\"]",
            "only supports action ALLOW/DENY"
        ));
        meta.annotations
            .insert(DRY_RUN_ANNOTATION.to_string(), "yes".to_string());
        let f = run_with(meta, serde_json::json!({"rules": [{}]}));
        assert!(has(
            &f,
            Level::Error,
            "metadata.annotations[\"istio.io/dry-run\"]",
            "invalid value"
        ));
    }

    #[test]
    fn rule_count_limit() {
        let rules: Vec<serde_json::Value> = (0..513).map(|_| serde_json::json!({})).collect();
        let f = validated(serde_json::json!({ "rules": rules }));
        assert!(has(
            &f,
            Level::Error,
            "spec.rules",
            "must have at most 512 items"
        ));
    }
}
