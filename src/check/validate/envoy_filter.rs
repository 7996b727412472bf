//! Admission rules for EnvoyFilter: the CRD schema constraints (targetRefs, selector, the
//! waypoint match CEL rules) and istiod's `ValidateEnvoyFilter` webhook (applyTo / match / patch
//! consistency, proxy version regexes, deprecated filter names, the shape of the patch value).
//!
//! Like istiod, it decodes each patch value into the Envoy message that `applyTo` names
//! (Listener, Cluster, HttpFilter, ...) and rejects values that do not decode: see
//! `envoy_value`, which reads Envoy's own descriptors.

use serde_json::Value;

use super::Ctx;
use super::codes::*;
use super::common::{check_target_ref_schema, validate_alpha_selector, validate_re2};
use super::crd::port_in_range;
use super::envoy_value::{self, Problem};
use crate::model::networking::EnvoyFilter;
use crate::model::networking::envoy_filter::{
    ApplyTo, EnvoyConfigObjectMatch, EnvoyConfigObjectPatch, FilterMatch, Operation, PatchContext,
};

/// Longer proxy version patterns are not compiled by istiod, only warned about.
const MAX_PROXY_VERSION_LEN: usize = 1024;
const HCM: &str = "envoy.filters.network.http_connection_manager";

/// Filter names Envoy deprecated, with their canonical replacements (`envoy.ext_authz` names
/// both an HTTP and a network filter; the network one is listed here).
const DEPRECATED_FILTER_NAMES: &[(&str, &str)] = &[
    ("envoy.buffer", "envoy.filters.http.buffer"),
    ("envoy.cors", "envoy.filters.http.cors"),
    ("envoy.csrf", "envoy.filters.http.csrf"),
    ("envoy.http_dynamo_filter", "envoy.filters.http.dynamo"),
    ("envoy.fault", "envoy.filters.http.fault"),
    (
        "envoy.grpc_http1_bridge",
        "envoy.filters.http.grpc_http1_bridge",
    ),
    (
        "envoy.grpc_json_transcoder",
        "envoy.filters.http.grpc_json_transcoder",
    ),
    ("envoy.grpc_web", "envoy.filters.http.grpc_web"),
    ("envoy.gzip", "envoy.filters.http.gzip"),
    ("envoy.health_check", "envoy.filters.http.health_check"),
    ("envoy.ip_tagging", "envoy.filters.http.ip_tagging"),
    ("envoy.lua", "envoy.filters.http.lua"),
    ("envoy.rate_limit", "envoy.filters.http.ratelimit"),
    ("envoy.router", "envoy.filters.http.router"),
    ("envoy.squash", "envoy.filters.http.squash"),
    (
        "envoy.listener.http_inspector",
        "envoy.filters.listener.http_inspector",
    ),
    (
        "envoy.listener.original_dst",
        "envoy.filters.listener.original_dst",
    ),
    (
        "envoy.listener.original_src",
        "envoy.filters.listener.original_src",
    ),
    (
        "envoy.listener.proxy_protocol",
        "envoy.filters.listener.proxy_protocol",
    ),
    (
        "envoy.listener.tls_inspector",
        "envoy.filters.listener.tls_inspector",
    ),
    (
        "envoy.client_ssl_auth",
        "envoy.filters.network.client_ssl_auth",
    ),
    ("envoy.ext_authz", "envoy.filters.network.ext_authz"),
    ("envoy.http_connection_manager", HCM),
    ("envoy.mongo_proxy", "envoy.filters.network.mongo_proxy"),
    ("envoy.ratelimit", "envoy.filters.network.ratelimit"),
    ("envoy.redis_proxy", "envoy.filters.network.redis_proxy"),
    ("envoy.tcp_proxy", "envoy.filters.network.tcp_proxy"),
];

pub fn validate(spec: &EnvoyFilter, ctx: &mut Ctx<'_>) {
    ctx.report(
        EF_INTERNAL_API,
        "spec",
        "EnvoyFilter exposes internal implementation details that may change at any time. Prefer \
         other APIs if possible, and exercise extreme caution, especially around upgrades.",
    );

    if spec.workload_selector.is_some() && !spec.target_refs.is_empty() {
        ctx.report(
            EF_PATCH,
            "spec",
            "only one of targetRefs or workloadSelector can be set",
        );
    }
    if let Some(selector) = &spec.workload_selector {
        validate_alpha_selector(&selector.labels, "spec.workloadSelector.labels", ctx);
        if selector.labels.is_empty() {
            ctx.report(
                SELECTOR_WITHOUT_LABELS,
                "spec.workloadSelector",
                "Envoy filter: workload selector specified without labels, will be applied to all \
                 services in namespace",
            );
        }
    }

    for (i, target) in spec.target_refs.iter().enumerate() {
        check_target_ref_schema(
            target.namespace.as_deref(),
            &format!("spec.targetRefs[{i}]"),
            ctx,
        );
    }

    for (i, patch) in spec.config_patches.iter().enumerate() {
        validate_patch(patch, &format!("spec.configPatches[{i}]"), ctx);
    }
}

fn validate_patch(cp: &EnvoyConfigObjectPatch, base: &str, ctx: &mut Ctx<'_>) {
    if let Some(m) = &cp.r#match {
        validate_match_schema(m, &format!("{base}.match"), ctx);
    }
    if let Some(patch) = &cp.patch
        && let Some(value) = &patch.value
        && !value.is_object()
    {
        ctx.report(
            EF_PATCH,
            format!("{base}.patch.value"),
            format!(
                "Invalid value: \"{}\": {base}.patch.value in body must be of type object",
                json_type(value)
            ),
        );
    }

    // istiod skips every other check for waypoint patches.
    if cp
        .r#match
        .as_ref()
        .is_some_and(|m| m.context == Some(PatchContext::Waypoint))
    {
        return;
    }

    let apply_to = cp.apply_to.unwrap_or_default();
    if apply_to == ApplyTo::Invalid {
        ctx.report(
            EF_PATCH,
            format!("{base}.applyTo"),
            "Envoy filter: missing applyTo",
        );
        return;
    }
    let Some(patch) = &cp.patch else {
        ctx.report(
            EF_PATCH,
            format!("{base}.patch"),
            "Envoy filter: missing patch",
        );
        return;
    };
    let operation = patch.operation.unwrap_or_default();
    if operation == Operation::Invalid {
        ctx.report(
            EF_PATCH,
            format!("{base}.patch.operation"),
            "Envoy filter: missing patch operation",
        );
        return;
    }
    if operation != Operation::Remove && patch.value.is_none() {
        ctx.report(
            EF_PATCH,
            format!("{base}.patch.value"),
            "Envoy filter: missing patch value for non-remove operation",
        );
        return;
    }

    if let Some(version) = cp
        .r#match
        .as_ref()
        .and_then(|m| m.proxy.as_ref())
        .and_then(|p| p.proxy_version.as_deref())
        .filter(|v| !v.is_empty())
    {
        let path = format!("{base}.match.proxy.proxyVersion");
        if version.len() > MAX_PROXY_VERSION_LEN {
            ctx.report(
                EF_WARNING,
                &path,
                format!(
                    "Envoy filter: proxyVersion match exceeds {MAX_PROXY_VERSION_LEN} characters \
                     and will be ignored"
                ),
            );
        } else {
            let err = validate_re2(version).err();
            if let Some(e) = err {
                ctx.report(
                    EF_PATCH,
                    &path,
                    format!("Envoy filter: invalid regex for proxy version, [{e}]"),
                );
                return;
            }
        }
    }

    if let Some(m) = &cp.r#match
        && m.has_object_types()
        && !validate_match_kind(apply_to, m, base, ctx)
    {
        return;
    }

    if let Some(value) = &patch.value {
        validate_value(apply_to, value, &format!("{base}.patch.value"), ctx);
    }
}

/// The CEL rules of `EnvoyConfigObjectMatch` and its waypoint match.
fn validate_match_schema(m: &EnvoyConfigObjectMatch, base: &str, ctx: &mut Ctx<'_>) {
    let waypoint_context = m.context == Some(PatchContext::Waypoint);
    if waypoint_context != m.waypoint.is_some() {
        ctx.report_with_help(
            EF_MATCH,
            base,
            "only support waypointMatch when context is WAYPOINT",
            "a `waypoint` match requires `context: WAYPOINT`, and `context: WAYPOINT` requires a \
             `waypoint` match",
        );
    }
    if let Some(port) = m.waypoint.as_ref().and_then(|w| w.port_number) {
        port_in_range(ctx, format!("{base}.waypoint.portNumber"), port);
    }
}

/// Checks that the match kind lines up with `applyTo`; returns false when istiod stops checking
/// the patch after a finding.
fn validate_match_kind(
    apply_to: ApplyTo,
    m: &EnvoyConfigObjectMatch,
    base: &str,
    ctx: &mut Ctx<'_>,
) -> bool {
    let path = format!("{base}.match");
    match apply_to {
        ApplyTo::Listener | ApplyTo::FilterChain | ApplyTo::NetworkFilter | ApplyTo::HttpFilter => {
            let Some(listener) = &m.listener else {
                ctx.report(
                    EF_MATCH,
                    &path,
                    "Envoy filter: applyTo for listener class objects cannot have non listener \
                     match",
                );
                return false;
            };
            if let Some(filter) = listener
                .filter_chain
                .as_ref()
                .and_then(|f| f.filter.as_ref())
            {
                let filter_path = format!("{path}.listener.filterChain.filter");
                return validate_filter_match(apply_to, filter, &filter_path, ctx);
            }
        }
        ApplyTo::RouteConfiguration | ApplyTo::VirtualHost | ApplyTo::HttpRoute
            if m.route_configuration.is_none() =>
        {
            ctx.report(
                EF_MATCH,
                &path,
                "Envoy filter: applyTo for http route class objects cannot have non route \
                 configuration match",
            );
        }
        ApplyTo::Cluster if m.cluster.is_none() => {
            ctx.report(
                EF_MATCH,
                &path,
                "Envoy filter: applyTo for cluster class objects cannot have non cluster match",
            );
        }
        _ => {}
    }
    true
}

fn validate_filter_match(
    apply_to: ApplyTo,
    filter: &FilterMatch,
    path: &str,
    ctx: &mut Ctx<'_>,
) -> bool {
    if matches!(apply_to, ApplyTo::Listener | ApplyTo::FilterChain) {
        ctx.report(
            EF_WARNING,
            path,
            format!(
                "Envoy filter: filter match has no effect when used with {}",
                apply_to.as_str()
            ),
        );
    }
    let name = filter.name.as_deref().unwrap_or("");
    if name.is_empty() {
        ctx.report(
            EF_MATCH,
            format!("{path}.name"),
            "Envoy filter: filter match has no name to match on",
        );
        return false;
    }
    let sub_name = filter
        .sub_filter
        .as_ref()
        .map(|s| s.name.as_deref().unwrap_or(""));
    if let Some(sub_name) = sub_name {
        if apply_to != ApplyTo::HttpFilter {
            ctx.report(
                EF_MATCH,
                format!("{path}.subFilter"),
                "Envoy filter: subfilter match can be used with applyTo HTTP_FILTER only",
            );
            return false;
        }
        if name != HCM && name != "envoy.http_connection_manager" {
            ctx.report(
                EF_MATCH,
                format!("{path}.name"),
                format!("Envoy filter: subfilter match requires filter match with {HCM}"),
            );
            return false;
        }
        if sub_name.is_empty() {
            ctx.report(
                EF_MATCH,
                format!("{path}.subFilter.name"),
                "Envoy filter: subfilter match has no name to match on",
            );
            return false;
        }
    }
    warn_deprecated_name(name, &format!("{path}.name"), false, ctx);
    if let Some(sub_name) = sub_name {
        warn_deprecated_name(sub_name, &format!("{path}.subFilter.name"), true, ctx);
    }
    true
}

fn warn_deprecated_name(name: &str, path: &str, http: bool, ctx: &mut Ctx<'_>) {
    let replacement = if http && name == "envoy.ext_authz" {
        Some("envoy.filters.http.ext_authz")
    } else {
        DEPRECATED_FILTER_NAMES
            .iter()
            .find(|(old, _)| *old == name)
            .map(|(_, new)| *new)
    };
    if let Some(new) = replacement {
        ctx.report(
            EF_WARNING,
            path,
            format!("using deprecated filter name {name:?}; use {new:?} instead"),
        );
    }
}

/// Decodes the patch value into the Envoy message `applyTo` names, as istiod does: a value that
/// does not decode is an error; when it decodes, an unknown field (istiod's strict pass) and
/// filters configured by name without `typed_config` are warnings.
fn validate_value(apply_to: ApplyTo, value: &Value, path: &str, ctx: &mut Ctx<'_>) {
    if !value.is_object() {
        return;
    }
    let Some(decoded) = envoy_value::decode(apply_to, value, path) else {
        return;
    };
    if let Some(e) = decoded.error {
        let rule = match e.problem {
            Problem::AnyType => EF_ANY_TYPE,
            Problem::Value | Problem::UnknownField => EF_VALUE,
        };
        let mut message = format!("Envoy filter: {}", e.message);
        if message.contains("could not resolve Any message type") {
            let hint = if message.contains(".v2.") {
                " (hint: try using the v3 XDS API)"
            } else {
                ""
            };
            message = format!("referenced type unknown{hint}: {message}");
        }
        match e.help {
            Some(help) => ctx.report_with_help(rule, e.path, message, help),
            None => ctx.report(rule, e.path, message),
        }
        return;
    }
    if let Some(w) = decoded.unknown_field {
        ctx.report(EF_WARNING, w.path, format!("Envoy filter: {}", w.message));
        return;
    }
    if !decoded.missing_typed_config.is_empty() {
        ctx.report(
            EF_WARNING,
            path,
            format!(
                "using deprecated types by name without typed_config; {}",
                decoded.missing_typed_config.join(", ")
            ),
        );
    }
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::check::validate::{Finding, Level};
    use crate::model::ObjectMeta;

    /// The whole of `validate` (the schema walk checks the constraints the model declares).
    fn validated(spec: serde_json::Value) -> Vec<Finding> {
        crate::check::validate::testing::validate_spec(
            "networking.istio.io/v1alpha3",
            "EnvoyFilter",
            spec,
        )
    }

    fn run(spec: serde_json::Value) -> Vec<Finding> {
        let meta = ObjectMeta::default();
        let mut ctx = Ctx::new(&meta, "default");
        let spec: EnvoyFilter = serde_json::from_value(spec).expect("test spec");
        validate(&spec, &mut ctx);
        ctx.findings
    }

    fn errors(findings: &[Finding]) -> Vec<&Finding> {
        findings
            .iter()
            .filter(|f| f.level == Level::Error)
            .collect()
    }

    use crate::check::validate::testing::has;

    fn one_patch(patch: serde_json::Value) -> Vec<Finding> {
        run(json!({ "configPatches": [patch] }))
    }

    #[test]
    fn always_warns() {
        let f = run(json!({}));
        assert!(has(
            &f,
            Level::Warning,
            "spec",
            "internal implementation details"
        ));
        assert!(errors(&f).is_empty());
    }

    #[test]
    fn accepted_filters() {
        for spec in [
            json!({"configPatches": [{"applyTo": "HTTP_FILTER",
                "match": {"listener": {"filterChain": {"filter": {"name": HCM}}}},
                "patch": {"operation": "INSERT_FIRST", "value": {"name": "envoy.filters.http.ext_proc",
                    "typed_config": {"@type": "type.googleapis.com/envoy.extensions.filters.http.ext_proc.v3.ExternalProcessor"}}}}]}),
            json!({"configPatches": [{"applyTo": "HTTP_FILTER",
                "match": {"context": "WAYPOINT", "waypoint": {"filter": {"name": HCM,
                    "subFilter": {"name": "envoy.filters.http.router"}}}},
                "patch": {"operation": "REMOVE"}}]}),
            json!({"configPatches": [{"applyTo": "CLUSTER",
                "match": {"context": "WAYPOINT", "waypoint": {}},
                "patch": {"operation": "REMOVE"}}]}),
            json!({"configPatches": [{"applyTo": "CLUSTER",
                "patch": {"operation": "ADD", "value": {"name": "lua_cluster"}}}]}),
            json!({"workloadSelector": {"labels": {"app": "x"}}, "priority": -10,
                "configPatches": [{"applyTo": "NETWORK_FILTER",
                "match": {"listener": {"filterChain": {"transportProtocol": "tls"}}},
                "patch": {"operation": "MERGE_AND_REPLACE_LIST", "value": {"name": HCM,
                    "typed_config": {"@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager"}}}}]}),
            json!({"targetRefs": [{"group": "gateway.networking.k8s.io", "kind": "Gateway",
                "name": "gw"}]}),
            json!({"configPatches": [{"applyTo": "HTTP_FILTER",
                "match": {"proxy": {"proxyVersion": "^1\\.2[0-9].*"}, "listener": {
                    "filterChain": {"filter": {"name": HCM,
                        "subFilter": {"name": "envoy.filters.http.router"}}}}},
                "patch": {"operation": "INSERT_BEFORE", "value": {"name": "x",
                    "typed_config": {"@type": "type.googleapis.com/envoy.extensions.filters.http.buffer.v3.Buffer",
                        "max_request_bytes": "1024"}}}}]}),
        ] {
            let findings = run(spec.clone());
            assert!(errors(&findings).is_empty(), "{spec}: {findings:?}");
        }
    }

    #[test]
    fn waypoint_match_rules() {
        let f = one_patch(json!({"applyTo": "HTTP_FILTER",
            "match": {"context": "SIDECAR_INBOUND", "waypoint": {}}}));
        assert!(has(
            &f,
            Level::Error,
            "spec.configPatches[0].match",
            "only support waypointMatch"
        ));
        let f = one_patch(json!({"applyTo": "HTTP_FILTER",
            "match": {"waypoint": {}}, "patch": {"operation": "REMOVE"}}));
        assert!(has(
            &f,
            Level::Error,
            "spec.configPatches[0].match",
            "only support waypointMatch"
        ));
        let f = one_patch(json!({"applyTo": "HTTP_FILTER",
            "match": {"context": "WAYPOINT", "listener": {}}}));
        assert!(has(
            &f,
            Level::Error,
            "spec.configPatches[0].match",
            "only support waypointMatch"
        ));
        let f = one_patch(json!({"applyTo": "HTTP_FILTER",
            "match": {"context": "WAYPOINT", "waypoint": {"portNumber": 65536}}}));
        assert!(has(
            &f,
            Level::Error,
            "spec.configPatches[0].match.waypoint.portNumber",
            "between 1-65535"
        ));
    }

    #[test]
    fn missing_parts() {
        let f = one_patch(json!({"patch": {"operation": "REMOVE"}}));
        assert!(has(
            &f,
            Level::Error,
            "spec.configPatches[0].applyTo",
            "missing applyTo"
        ));
        let f = one_patch(json!({"applyTo": "CLUSTER"}));
        assert!(has(
            &f,
            Level::Error,
            "spec.configPatches[0].patch",
            "missing patch"
        ));
        let f = one_patch(json!({"applyTo": "CLUSTER", "patch": {}}));
        assert!(has(
            &f,
            Level::Error,
            "spec.configPatches[0].patch.operation",
            "operation"
        ));
        let f = one_patch(json!({"applyTo": "CLUSTER", "patch": {"operation": "ADD"}}));
        assert!(has(
            &f,
            Level::Error,
            "spec.configPatches[0].patch.value",
            "non-remove"
        ));
        let f = one_patch(json!({"applyTo": "CLUSTER",
            "patch": {"operation": "ADD", "value": "text"}}));
        assert!(has(
            &f,
            Level::Error,
            "spec.configPatches[0].patch.value",
            "type object"
        ));
    }

    #[test]
    fn match_kind_must_fit_apply_to() {
        let value = json!({"operation": "MERGE", "value": {}});
        let f = one_patch(json!({"applyTo": "LISTENER", "match": {"cluster": {}},
            "patch": value}));
        assert!(has(
            &f,
            Level::Error,
            "spec.configPatches[0].match",
            "non listener match"
        ));
        let f = one_patch(json!({"applyTo": "VIRTUAL_HOST", "match": {"listener": {}},
            "patch": value}));
        assert!(has(
            &f,
            Level::Error,
            "spec.configPatches[0].match",
            "non route configuration"
        ));
        let f = one_patch(
            json!({"applyTo": "CLUSTER", "match": {"routeConfiguration": {}},
            "patch": value}),
        );
        assert!(has(
            &f,
            Level::Error,
            "spec.configPatches[0].match",
            "non cluster match"
        ));
    }

    #[test]
    fn filter_match_rules() {
        let p = "spec.configPatches[0].match.listener.filterChain.filter";
        let patch = json!({"operation": "MERGE", "value": {}});
        let with_filter = |apply_to: &str, filter: serde_json::Value| {
            one_patch(json!({"applyTo": apply_to,
                "match": {"listener": {"filterChain": {"filter": filter}}},
                "patch": patch.clone()}))
        };
        let f = with_filter("FILTER_CHAIN", json!({"name": HCM}));
        assert!(has(
            &f,
            Level::Warning,
            p,
            "has no effect when used with FILTER_CHAIN"
        ));
        let f = with_filter("NETWORK_FILTER", json!({}));
        assert!(has(
            &f,
            Level::Error,
            &format!("{p}.name"),
            "no name to match on"
        ));
        let f = with_filter(
            "NETWORK_FILTER",
            json!({"name": HCM, "subFilter": {"name": "x"}}),
        );
        assert!(has(
            &f,
            Level::Error,
            &format!("{p}.subFilter"),
            "HTTP_FILTER only"
        ));
        let f = with_filter(
            "HTTP_FILTER",
            json!({"name": "envoy.tcp_proxy",
            "subFilter": {"name": "x"}}),
        );
        assert!(has(
            &f,
            Level::Error,
            &format!("{p}.name"),
            "requires filter match with"
        ));
        let f = with_filter("HTTP_FILTER", json!({"name": HCM, "subFilter": {}}));
        assert!(has(
            &f,
            Level::Error,
            &format!("{p}.subFilter.name"),
            "no name to match on"
        ));
        let f = with_filter(
            "HTTP_FILTER",
            json!({"name": "envoy.http_connection_manager",
            "subFilter": {"name": "envoy.router"}}),
        );
        assert!(errors(&f).is_empty(), "{f:?}");
        assert!(has(
            &f,
            Level::Warning,
            &format!("{p}.name"),
            "deprecated filter name"
        ));
        assert!(has(
            &f,
            Level::Warning,
            &format!("{p}.subFilter.name"),
            "envoy.filters.http.router"
        ));
    }

    #[test]
    fn proxy_version_regex() {
        let f = one_patch(
            json!({"applyTo": "CLUSTER", "match": {"proxy": {"proxyVersion": "(1"}},
            "patch": {"operation": "REMOVE"}}),
        );
        assert!(has(
            &f,
            Level::Error,
            "spec.configPatches[0].match.proxy.proxyVersion",
            "invalid regex"
        ));
        let long = "1".repeat(MAX_PROXY_VERSION_LEN + 1);
        let f = one_patch(
            json!({"applyTo": "CLUSTER", "match": {"proxy": {"proxyVersion": long}},
            "patch": {"operation": "REMOVE"}}),
        );
        assert!(errors(&f).is_empty(), "{f:?}");
        assert!(has(
            &f,
            Level::Warning,
            "spec.configPatches[0].match.proxy.proxyVersion",
            "ignored"
        ));
    }

    #[test]
    fn value_checks() {
        let f = one_patch(json!({"applyTo": "HTTP_FILTER",
            "patch": {"operation": "ADD", "value": {"name": "envoy.lua", "typed_config": {
                "@type": "type.googleapis.com/envoy.config.filter.http.lua.v2.Lua"}}}}));
        assert!(has(
            &f,
            Level::Error,
            "spec.configPatches[0].patch.value.typed_config[\"@type\"]",
            "v3 XDS API"
        ));
        let f = one_patch(json!({"applyTo": "HTTP_FILTER",
            "patch": {"operation": "ADD", "value": {"name": "envoy.filters.http.cors"}}}));
        assert!(errors(&f).is_empty(), "{f:?}");
        assert!(has(
            &f,
            Level::Warning,
            "spec.configPatches[0].patch.value",
            "without typed_config"
        ));
        let f = one_patch(json!({"applyTo": "HTTP_FILTER",
            "patch": {"operation": "ADD", "value": {"name": "x", "typed_config": {
                "@type": "type.googleapis.com/envoy.extensions.filters.http.cache_v2.v3.CacheV2Config"}}}}));
        assert!(errors(&f).is_empty(), "{f:?}");
    }

    #[test]
    fn value_shape_checks() {
        let f = one_patch(json!({"applyTo": "CLUSTER",
            "patch": {"operation": "ADD", "value": {"name": false}}}));
        assert!(has(
            &f,
            Level::Error,
            "spec.configPatches[0].patch.value.name",
            "bool"
        ));
        let f = one_patch(json!({"applyTo": "BOOTSTRAP",
            "patch": {"operation": "MERGE", "value": {"name": 1}}}));
        assert!(errors(&f).is_empty(), "{f:?}");
        let f = one_patch(json!({"applyTo": "NETWORK_FILTER",
            "patch": {"operation": "ADD", "value": {"name": "x",
                "typed_config": {"stat_prefix": "x"}}}}));
        assert!(has(
            &f,
            Level::Error,
            "spec.configPatches[0].patch.value.typed_config",
            "doesn't have '@type'"
        ));
        // istiod rejects an empty typed_config too (jsonpb needs "@type").
        let f = one_patch(json!({"applyTo": "HTTP_FILTER",
            "patch": {"operation": "ADD", "value": {"name": "x", "typed_config": {}}}}));
        assert!(has(
            &f,
            Level::Error,
            "spec.configPatches[0].patch.value.typed_config",
            "doesn't have '@type'"
        ));
        let f = one_patch(json!({"applyTo": "HTTP_FILTER",
            "patch": {"operation": "ADD", "value": {"name": "x", "typed_config": {
                "@type": "type.googleapis.com/udpa.type.v1.TypedStruct",
                "value": {"typed_config": {"free": "form"}}}}}}));
        assert!(errors(&f).is_empty(), "{f:?}");
    }

    #[test]
    fn go_rejects_nested_repetition() {
        for bad in [
            "a++",
            "a**",
            "a*+",
            "a???",
            "a{2}{3}",
            "a{2}*",
            "%#@~++==`24c234`",
        ] {
            assert!(
                super::super::common::nested_repetition(bad).is_some(),
                "{bad}"
            );
        }
        for good in [
            "a+?",
            "a??",
            "a*b+",
            "(?i)a+",
            r"a\++",
            "[+*]+",
            "[]+]*",
            "a{x}*",
            "a{,2}*",
            r"1\.2[0-9]*",
        ] {
            assert_eq!(
                super::super::common::nested_repetition(good),
                None,
                "{good}"
            );
        }
        assert_eq!(
            super::super::common::nested_repetition("x++").as_deref(),
            Some("++")
        );
        let f = one_patch(json!({"applyTo": "LISTENER",
            "match": {"proxy": {"proxyVersion": "%#@~++==`24c234`"}},
            "patch": {"operation": "REMOVE"}}));
        assert!(has(
            &f,
            Level::Error,
            "spec.configPatches[0].match.proxy.proxyVersion",
            "invalid nested repetition operator: `++`"
        ));
    }

    #[test]
    fn selector_and_target_refs() {
        let f = validated(json!({"workloadSelector": {"labels": {"a": "b"}},
            "targetRefs": [{"kind": "Gateway", "name": "gw"}]}));
        assert!(has(
            &f,
            Level::Error,
            "spec",
            "only one of targetRefs or workloadSelector"
        ));
        let f = validated(json!({"workloadSelector": {"labels": {"a": "*"}}}));
        assert!(has(
            &f,
            Level::Error,
            "spec.workloadSelector.labels[\"a\"]",
            "wildcard"
        ));
        let f = validated(json!({"workloadSelector": {}}));
        assert!(has(
            &f,
            Level::Warning,
            "spec.workloadSelector",
            "without labels"
        ));
        let f = validated(
            json!({"targetRefs": [{"group": "Bad_Group", "kind": "1x", "name": "",
            "namespace": "other"}]}),
        );
        assert!(has(
            &f,
            Level::Error,
            "spec.targetRefs[0].group",
            "should match"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.targetRefs[0].kind",
            "should match"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.targetRefs[0].name",
            "at least 1 chars"
        ));
        assert!(has(
            &f,
            Level::Error,
            "spec.targetRefs[0].namespace",
            "cross namespace"
        ));
        let refs: Vec<_> = (0..17)
            .map(|i| json!({"kind": "Service", "name": format!("s{i}")}))
            .collect();
        let f = validated(json!({ "targetRefs": refs }));
        assert!(has(&f, Level::Error, "spec.targetRefs", "at most 16 items"));
    }
}
