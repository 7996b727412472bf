//! `security.istio.io` kinds (AuthorizationPolicy, PeerAuthentication, RequestAuthentication),
//! and the `istio.type.v1beta1` workload selector and policy target reference that they share
//! with Telemetry and WasmPlugin. Versions v1 and v1beta1 share one schema.
//!
//! Fields whose CRD rules test presence (`has(self.x)`) rather than emptiness are `Option`s, even
//! when they are lists or maps, so that `principals: []` and an absent `principals` stay
//! distinguishable, as they are to the API server.

use std::collections::BTreeMap;

use crate::model::constraints::{
    HEADER_TOKEN, MATCH_LABELS, OBJECT_NAME, REF_GROUP, REF_KIND, TARGET_REFS,
};
use crate::model::schema::Duration;
use crate::{api_enum, api_struct, crd_object};

api_struct! {
    /// `istio.type.v1beta1.WorkloadSelector`: the pods/VMs a policy applies to.
    pub struct WorkloadSelector {
        match_labels: BTreeMap<String, String> => "matchLabels" [..MATCH_LABELS],
    }
}

api_struct! {
    /// `istio.type.v1beta1.PolicyTargetReference`: a resource (Service, Gateway, ...) a policy
    /// attaches to, in the policy's own namespace.
    pub struct PolicyTargetReference {
        group: Option<String> => "group" [..REF_GROUP],
        kind: Option<String> => "kind" | REQUIRED [..REF_KIND],
        name: Option<String> => "name" | REQUIRED [..OBJECT_NAME],
        namespace: Option<String> => "namespace",
    }
}

// ---------------------------------------------------------------------------------------------
// AuthorizationPolicy

api_enum! {
    /// What an AuthorizationPolicy does with the requests its rules match.
    pub enum AuthorizationAction {
        Allow = "ALLOW",
        Deny = "DENY",
        Audit = "AUDIT",
        Custom = "CUSTOM",
    }
}

api_struct! {
    /// Access control on workloads: allow, deny, audit or delegate (CUSTOM) the requests matched
    /// by `rules`.
    pub struct AuthorizationPolicy {
        selector: Option<WorkloadSelector> => "selector",
        target_ref: Option<PolicyTargetReference> => "targetRef",
        target_refs: Option<Vec<PolicyTargetReference>> => "targetRefs" [..TARGET_REFS],
        rules: Vec<Rule> => "rules" [max_items: 512],
        action: Option<AuthorizationAction> => "action",
        provider: Option<ExtensionProvider> => "provider",
    }
}

api_struct! {
    /// The external authorizer of a CUSTOM policy (a mesh config extension provider).
    pub struct ExtensionProvider {
        name: Option<String> => "name",
    }
}

api_struct! {
    /// Matches a request when its sources (`from`), operations (`to`) and conditions (`when`)
    /// all match.
    pub struct Rule {
        from: Vec<RuleFrom> => "from" [max_items: 512],
        to: Vec<RuleTo> => "to",
        when: Vec<Condition> => "when",
    }
}

api_struct! {
    pub struct RuleFrom {
        source: Option<Source> => "source",
    }
}

api_struct! {
    pub struct RuleTo {
        operation: Option<Operation> => "operation",
    }
}

api_struct! {
    /// The identity of a request's origin.
    pub struct Source {
        principals: Option<Vec<String>> => "principals",
        not_principals: Option<Vec<String>> => "notPrincipals",
        request_principals: Vec<String> => "requestPrincipals",
        not_request_principals: Vec<String> => "notRequestPrincipals",
        namespaces: Option<Vec<String>> => "namespaces",
        not_namespaces: Option<Vec<String>> => "notNamespaces",
        service_accounts: Option<Vec<String>> => "serviceAccounts" [max_items: 16, items: [max_length: 320]],
        not_service_accounts: Option<Vec<String>> => "notServiceAccounts" [max_items: 16, items: [max_length: 320]],
        ip_blocks: Vec<String> => "ipBlocks",
        not_ip_blocks: Vec<String> => "notIpBlocks",
        remote_ip_blocks: Vec<String> => "remoteIpBlocks",
        not_remote_ip_blocks: Vec<String> => "notRemoteIpBlocks",
        trust_domains: Vec<String> => "trustDomains",
        not_trust_domains: Vec<String> => "notTrustDomains",
    }
}

api_struct! {
    /// The operation a request performs (host, port, method, path).
    pub struct Operation {
        hosts: Vec<String> => "hosts",
        not_hosts: Vec<String> => "notHosts",
        ports: Vec<String> => "ports",
        not_ports: Vec<String> => "notPorts",
        methods: Vec<String> => "methods",
        not_methods: Vec<String> => "notMethods",
        paths: Vec<String> => "paths",
        not_paths: Vec<String> => "notPaths",
    }
}

api_struct! {
    /// An additional condition on a request attribute (`key`).
    pub struct Condition {
        key: Option<String> => "key" | REQUIRED,
        values: Vec<String> => "values",
        not_values: Vec<String> => "notValues",
    }
}

crd_object!(AuthorizationPolicyObject, AuthorizationPolicy);

// ---------------------------------------------------------------------------------------------
// PeerAuthentication

api_enum! {
    /// The mutual TLS mode of a workload's inbound traffic.
    pub enum MtlsMode {
        Unset = "UNSET",
        Disable = "DISABLE",
        Permissive = "PERMISSIVE",
        Strict = "STRICT",
    }
}

api_struct! {
    pub struct MutualTls {
        mode: Option<MtlsMode> => "mode",
    }
}

api_struct! {
    /// The mutual TLS mode of the workloads in scope (mesh, namespace or selected workloads),
    /// optionally per port (`portLevelMtls`, keyed by port number).
    pub struct PeerAuthentication {
        selector: Option<WorkloadSelector> => "selector",
        mtls: Option<MutualTls> => "mtls",
        port_level_mtls: Option<BTreeMap<String, MutualTls>> => "portLevelMtls" [min_properties: 1],
    }
}

crd_object!(PeerAuthenticationObject, PeerAuthentication);

// ---------------------------------------------------------------------------------------------
// RequestAuthentication

api_struct! {
    /// The JWT validation rules of the workloads in scope.
    pub struct RequestAuthentication {
        selector: Option<WorkloadSelector> => "selector",
        target_ref: Option<PolicyTargetReference> => "targetRef",
        target_refs: Option<Vec<PolicyTargetReference>> => "targetRefs" [..TARGET_REFS],
        jwt_rules: Vec<JwtRule> => "jwtRules" [max_items: 4096],
    }
}

api_enum! {
    pub enum JwtPresence {
        Optional = "OPTIONAL",
        Required = "REQUIRED",
    }
}

api_struct! {
    /// How to find, verify and use one issuer's JWTs.
    pub struct JwtRule {
        issuer: Option<String> => "issuer" [min_length: 1],
        audiences: Vec<String> => "audiences" [items: [min_length: 1]],
        jwks_uri: Option<String> => "jwksUri" [min_length: 1, max_length: 2048],
        /// The original proto field name, accepted by the CRD as an alternative to `jwksUri`.
        jwks_uri_alt: Option<String> => "jwks_uri" [min_length: 1, max_length: 2048],
        jwks: Option<String> => "jwks",
        from_headers: Vec<JwtHeader> => "fromHeaders",
        from_params: Vec<String> => "fromParams" [items: [min_length: 1]],
        output_payload_to_header: Option<String> => "outputPayloadToHeader",
        from_cookies: Vec<String> => "fromCookies" [items: [min_length: 1]],
        forward_original_token: Option<bool> => "forwardOriginalToken",
        output_claim_to_headers: Vec<ClaimToHeader> => "outputClaimToHeaders",
        timeout: Option<Duration> => "timeout",
        space_delimited_claims: Vec<String> => "spaceDelimitedClaims" [max_items: 64, items: [min_length: 1]],
        presence: Option<JwtPresence> => "presence",
    }
}

api_struct! {
    /// A header a JWT may be read from, with an optional prefix to strip.
    pub struct JwtHeader {
        name: Option<String> => "name" | REQUIRED [min_length: 1],
        prefix: Option<String> => "prefix",
    }
}

api_struct! {
    /// Copies a verified claim into a request header.
    pub struct ClaimToHeader {
        header: Option<String> => "header" | REQUIRED [min_length: 1, pattern: HEADER_TOKEN],
        claim: Option<String> => "claim" | REQUIRED [min_length: 1],
    }
}

crd_object!(RequestAuthenticationObject, RequestAuthentication);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::schema::{Schema, Ty};

    #[test]
    fn authorization_policy_round_trip() {
        let spec: AuthorizationPolicy = serde_json::from_value(serde_json::json!({
            "action": "DENY",
            "rules": [{"from": [{"source": {"principals": []}}], "when": [{"key": "source.ip", "values": ["1.2.3.4"]}]}],
        }))
        .unwrap();
        assert_eq!(spec.action, Some(AuthorizationAction::Deny));
        let source = spec.rules[0].from[0].source.as_ref().unwrap();
        assert_eq!(source.principals, Some(vec![]));
        assert_eq!(source.namespaces, None);
    }

    #[test]
    fn jwt_rule_accepts_both_jwks_uri_spellings() {
        let rule: JwtRule = serde_json::from_value(serde_json::json!({
            "jwks_uri": "https://a/jwks", "jwksUri": "https://b/jwks"
        }))
        .unwrap();
        assert_eq!(rule.jwks_uri.as_deref(), Some("https://b/jwks"));
        assert_eq!(rule.jwks_uri_alt.as_deref(), Some("https://a/jwks"));
    }

    #[test]
    fn schema_marks_required_fields() {
        let Ty::Struct(desc) = PolicyTargetReference::ty() else {
            panic!("not a struct");
        };
        assert!(desc.field("name").is_some_and(|f| f.required()));
        assert!(desc.field("group").is_some_and(|f| !f.required()));
        let Ty::Struct(desc) = ClaimToHeader::ty() else {
            panic!("not a struct");
        };
        assert!(desc.field("claim").is_some_and(|f| f.required()));
    }
}
