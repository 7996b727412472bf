//! EnvoyFilter patch operations (IST0151–IST0155): relative operations (`INSERT_BEFORE`,
//! `INSERT_AFTER`, `REPLACE`, `REMOVE`) without a `priority`, whose outcome depends on the order
//! filters are applied in; `ADD`, `REMOVE` and `REPLACE` on objects where Istio ignores them;
//! and relative operations on a filter that another patch also targets for a specific
//! `proxyVersion`.

use serde_json::Value;

use super::context::Context;
use super::{Analyzer, Sink};

pub const ENVOY_PATCHES: Analyzer = Analyzer {
    name: "envoyfilter.EnvoyPatchAnalyzer",
    description: "Checks EnvoyFilter patches: relative operations without priority, operations Istio ignores for the object patched, and relative operations combined with proxyVersion",
    codes: &["IST0151", "IST0152", "IST0153", "IST0154", "IST0155"],
    run: envoy_patches,
};

/// The name a patch is about: the `name` of the value it adds, else the filter its listener
/// match names.
fn patch_name(patch: &Value) -> Option<String> {
    let value = patch.pointer("/patch/value")?;
    if !value.is_object() {
        return None;
    }
    if let Some(n) = value.get("name") {
        return Some(n.to_string());
    }
    patch
        .pointer("/match/listener/filterChain/filter/name")
        .and_then(Value::as_str)
        .map(str::to_string)
}

fn envoy_patches(cx: &Context<'_>, sink: &mut Sink) {
    // Names patched by earlier patches that match on a proxyVersion, across all filters in input
    // order (Istio keeps the list over its whole pass).
    let mut versioned: Vec<String> = Vec::new();
    for ef in &cx.envoy_filters {
        let o = cx.obj(ef.obj);
        let spec = o.node().to_json();
        let priority = spec
            .pointer("/spec/priority")
            .and_then(Value::as_i64)
            .unwrap_or(0);
        let Some(patches) = spec
            .pointer("/spec/configPatches")
            .and_then(Value::as_array)
        else {
            continue;
        };
        for (i, p) in patches.iter().enumerate() {
            let Some(patch) = p.get("patch").filter(|v| !v.is_null()) else {
                break;
            };
            let name = patch_name(p);
            let apply_to = p
                .get("applyTo")
                .and_then(Value::as_str)
                .unwrap_or("INVALID");
            let op = patch
                .get("operation")
                .and_then(Value::as_str)
                .unwrap_or("INVALID");
            let path = format!("spec.configPatches[{i}]");
            let route_level = matches!(apply_to, "ROUTE_CONFIGURATION" | "HTTP_ROUTE");
            let mut relative = false;
            match op {
                "ADD" if route_level => sink.push(
                    cx.diag(ef.obj, "IST0153", &path, "The ADD operation will be ignored when applyTo is set to ROUTE_CONFIGURATION, or HTTP_ROUTE.")
                    .with_help("ADD does not apply to ROUTE_CONFIGURATION or HTTP_ROUTE; use MERGE, or patch a VIRTUAL_HOST"),
                ),
                "REMOVE" if route_level => sink.push(
                    cx.diag(ef.obj, "IST0154", &path, "The REMOVE operation will be ignored when applyTo is set to ROUTE_CONFIGURATION, or HTTP_ROUTE.")
                    .with_help("REMOVE does not apply to ROUTE_CONFIGURATION or HTTP_ROUTE"),
                ),
                "REMOVE" => relative = true,
                "REPLACE"
                    if !matches!(apply_to, "NETWORK_FILTER" | "HTTP_FILTER" | "VIRTUAL_HOST") =>
                {
                    sink.push(
                        cx.diag(ef.obj, "IST0152", &path, "The REPLACE operation is only valid for HTTP_FILTER, NETWORK_FILTER and VIRTUAL_HOST.")
                        .with_help("use REPLACE on an HTTP_FILTER, NETWORK_FILTER or VIRTUAL_HOST, or MERGE elsewhere"),
                    );
                }
                "REPLACE" | "INSERT_BEFORE" | "INSERT_AFTER" => relative = true,
                _ => {}
            }
            if relative && priority == 0 {
                let n = name.clone().unwrap_or_default();
                if versioned.contains(&n) {
                    sink.push(
                        cx.diag(ef.obj, "IST0155", &path,
                            "This EnvoyFilter does not have a priority and has a relative patch operation (REPLACE, INSERT_BEFORE, INSERT_AFTER, REMOVE) set, and a patch of the same filter matches a proxyVersion. The filter may be applied in an unexpected order after an upgrade.")
                        .with_help("set spec.priority so the order the filters apply in is fixed"),
                    );
                } else {
                    sink.push(
                        cx.diag(ef.obj, "IST0151", &path,
                            "This EnvoyFilter does not have a priority and has a relative patch operation set which can cause the EnvoyFilter not to be applied. Using the INSERT_FIRST or ADD option or setting the priority may help in ensuring the EnvoyFilter is applied correctly.")
                        .with_help("set spec.priority, or use INSERT_FIRST or ADD"),
                    );
                }
            }
            if p.pointer("/match/proxy/proxyVersion")
                .and_then(Value::as_str)
                .is_some_and(|v| !v.is_empty())
            {
                versioned.push(name.unwrap_or_default());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{p, pairs};
    use super::*;

    #[test]
    fn operations() {
        let input = r#"
apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata: {name: a, namespace: ns}
spec:
  configPatches:
  - applyTo: HTTP_FILTER
    match: {proxy: {proxyVersion: '^1\.2.*'}}
    patch: {operation: INSERT_BEFORE, value: {name: lua}}
  - applyTo: HTTP_FILTER
    patch: {operation: INSERT_AFTER, value: {name: lua}}
  - applyTo: HTTP_ROUTE
    patch: {operation: ADD, value: {name: x}}
  - applyTo: CLUSTER
    patch: {operation: REPLACE, value: {name: x}}
---
apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata: {name: b, namespace: ns}
spec:
  priority: 10
  configPatches:
  - applyTo: HTTP_FILTER
    patch: {operation: INSERT_BEFORE, value: {name: lua}}
  - applyTo: ROUTE_CONFIGURATION
    patch: {operation: REMOVE}
"#;
        assert_eq!(
            pairs(&ENVOY_PATCHES, input),
            vec![
                p("IST0151", "EnvoyFilter ns/a"),
                p("IST0152", "EnvoyFilter ns/a"),
                p("IST0153", "EnvoyFilter ns/a"),
                p("IST0154", "EnvoyFilter ns/b"),
                p("IST0155", "EnvoyFilter ns/a"),
            ]
        );
    }
}
