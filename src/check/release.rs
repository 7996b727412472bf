//! `--istio-version`: what the chosen Istio release does not serve. meshctl's model is the union
//! of the supported releases, so the schema walk accepts every field any of them has; this pass
//! then reports the kinds, fields and enum values of an object that the chosen release's CRDs
//! lack (MSH1014), as that release's API server would reject them. It only looks at what
//! [`crate::model::releases`] lists, so objects of kinds every release serves alike cost one
//! lookup.

use std::sync::Arc;

use super::Diagnostic;
use crate::load::node::push_key;
use crate::load::{Node, Source, Value};
use crate::model::kinds::KindInfo;
use crate::model::releases::{self, KindTable, Release};

/// Findings for `node` (an object of `info` at API `version`, at field path `prefix` of its
/// document) that `release` does not serve.
pub fn check(
    source: &Arc<Source>,
    node: &Node,
    info: &KindInfo,
    version: &str,
    prefix: &str,
    release: Release,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let table = releases::kind_table(info.group, info.kind, version);
    let gone = releases::kind_missing(info.group, info.kind, version, release);
    if table.is_none() && gone.is_none() {
        return out;
    }
    let full = |p: &str| -> String {
        match (prefix.is_empty(), p.is_empty()) {
            (true, _) => p.to_string(),
            (false, true) => prefix.to_string(),
            (false, false) => format!("{prefix}.{p}"),
        }
    };
    if let Some(m) = gone {
        let span = node.locate("kind").0.first_line(&source.text);
        out.push(
            Diagnostic::of(
                "MSH1014",
                format!(
                    "{}/{version} {} is not in Istio {release} ({})",
                    info.group,
                    info.kind,
                    m.since()
                ),
            )
            .at(source, span)
            .with_path(full("kind"))
            .with_help(help(release, &m)),
        );
        return out;
    }
    if let Some(table) = table {
        let mut path = String::new();
        walk(source, node, table, release, &mut path, &full, &mut out);
    }
    out
}

fn help(release: Release, m: &releases::Missing) -> String {
    let other = m
        .served
        .iter()
        .find(|r| **r > release)
        .or(m.served.last())
        .map(|r| format!("; if the cluster runs Istio {r} or later, say --istio-version {r}"))
        .unwrap_or_default();
    format!("the API server of Istio {release} rejects it{other}")
}

fn walk(
    source: &Arc<Source>,
    node: &Node,
    table: &KindTable,
    release: Release,
    path: &mut String,
    full: &dyn Fn(&str) -> String,
    out: &mut Vec<Diagnostic>,
) {
    match &node.value {
        Value::Map(entries) => {
            for e in entries {
                let len = path.len();
                push_key(path, &e.key);
                if let Some(m) = table.field_missing(path, release) {
                    out.push(
                        Diagnostic::of(
                            "MSH1014",
                            format!(
                                "field {:?} is not in Istio {release} ({})",
                                e.key,
                                m.since()
                            ),
                        )
                        .at(source, e.key_span)
                        .with_path(full(path))
                        .with_help(help(release, &m)),
                    );
                } else {
                    walk(source, &e.value, table, release, path, full, out);
                }
                path.truncate(len);
            }
        }
        Value::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                walk(source, item, table, release, path, full, out);
                path.truncate(len);
            }
        }
        Value::Str(s) => {
            if let Some(m) = table.value_missing(path, s, release) {
                out.push(
                    Diagnostic::of(
                        "MSH1014",
                        format!("value {s:?} is not in Istio {release} ({})", m.since()),
                    )
                    .at(source, node.span)
                    .with_path(full(path))
                    .with_help(help(release, &m)),
                );
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::kinds;

    fn run(text: &str, release: Release) -> Vec<(String, String)> {
        let source = Source::new("t.yaml", text);
        let mut out = Vec::new();
        crate::load::yaml::parse_stream(&source.text, 0, |doc| {
            let Some(root) = doc.root else { return };
            let api = root.get("apiVersion").and_then(Node::as_str).unwrap_or("");
            let kind = root.get("kind").and_then(Node::as_str).unwrap_or("");
            let (group, version) = kinds::split_api_version(api);
            let Some(info) = kinds::lookup(group, kind) else {
                return;
            };
            for d in check(&source, &root, info, version, "", release) {
                out.push((d.path.clone().unwrap_or_default(), d.message));
            }
        });
        out
    }

    const AP: &str = "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: a}\nspec:\n  rules:\n  - from:\n    - source:\n        trustDomains: [td]\n        principals: [p]\n";

    #[test]
    fn fields_values_and_kinds_a_release_lacks() {
        assert_eq!(
            run(AP, Release::new(1, 28)),
            [(
                "spec.rules[0].from[0].source.trustDomains".to_string(),
                "field \"trustDomains\" is not in Istio 1.28 (added in 1.30)".to_string()
            )]
        );
        assert!(run(AP, Release::new(1, 30)).is_empty());
        let ef = "apiVersion: networking.istio.io/v1alpha3\nkind: EnvoyFilter\nmetadata: {name: e}\nspec:\n  configPatches:\n  - applyTo: HTTP_FILTER\n    patch: {operation: MERGE_AND_REPLACE_LIST}\n";
        assert_eq!(
            run(ef, Release::new(1, 29)),
            [(
                "spec.configPatches[0].patch.operation".to_string(),
                "value \"MERGE_AND_REPLACE_LIST\" is not in Istio 1.29 (added in 1.31)".to_string()
            )]
        );
        let te = "apiVersion: extensions.istio.io/v1alpha1\nkind: TrafficExtension\nmetadata: {name: t}\n";
        assert_eq!(run(te, Release::new(1, 29)).len(), 1);
        assert!(run(te, Release::new(1, 30)).is_empty());
    }
}
