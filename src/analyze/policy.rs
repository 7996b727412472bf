//! Analyzers of workload-scoped policy: Sidecars and Telemetries whose selectors match nothing
//! or overlap (IST0101, IST0110, IST0111, IST0159, IST0160), Telemetry access logging with no
//! provider (IST0157), and AuthorizationPolicies that select no workload or name namespaces that
//! do not exist (IST0127, IST0101).

use std::collections::{BTreeMap, HashMap};

use super::context::Context;
use super::{Analyzer, Sink};

/// One selector-scoped resource: its object, namespace and selector (`None` = namespace-wide).
struct Scoped {
    obj: usize,
    ns: String,
    selector: Option<BTreeMap<String, String>>,
    path: &'static str,
}

/// The shared logic of Istio's Sidecar and Telemetry selector analyzers.
fn selector_checks(
    cx: &Context<'_>,
    sink: &mut Sink,
    items: &[Scoped],
    kind: &str,
    conflict: &'static str,
    multiple_default: &'static str,
) {
    // More than one namespace-wide resource in a namespace.
    let mut defaults: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for s in items.iter().filter(|s| s.selector.is_none()) {
        defaults.entry(&s.ns).or_default().push(s.obj);
    }
    for (ns, objs) in defaults.iter().filter(|(_, v)| v.len() > 1) {
        for &o in objs {
            sink.push(
                cx.diag(
                    o,
                    multiple_default,
                    "metadata.name",
                    format!("The {kind} will not be applied: more than one {kind} in namespace {ns} has no workload selector"),
                )
                .with_help(format!("keep one namespace-wide {kind} per namespace; give the others a workload selector")),
            );
        }
    }
    // Workload → resources selecting it.
    let mut selected: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut unchecked = 0usize;
    for (i, s) in items.iter().enumerate() {
        let Some(sel) = &s.selector else { continue };
        // Only a namespace whose workloads the input has can show that none matches.
        if !cx.has_workloads(Some(&s.ns)) {
            unchecked += 1;
            continue;
        }
        let pods = cx.select(Some(&s.ns), sel);
        if pods.is_empty() {
            let shown: Vec<String> = sel.iter().map(|(k, v)| format!("{k}={v}")).collect();
            sink.push(
                cx.diag(
                    s.obj,
                    "IST0101",
                    s.path,
                    format!("Referenced selector not found: {:?}", shown.join(",")),
                )
                .with_help(format!(
                    "no workload in namespace {} has these labels",
                    s.ns
                )),
            );
        }
        for p in pods {
            selected.entry(p.obj).or_default().push(i);
        }
    }
    if unchecked > 0 {
        sink.note(format!(
            "{unchecked} {kind} selector(s) were not checked: the input has no workload in their namespace"
        ));
    }
    let mut conflicts: BTreeMap<usize, (Vec<usize>, usize)> = BTreeMap::new();
    for (pod, list) in selected.iter().filter(|(_, l)| l.len() > 1) {
        for &i in list {
            let e = conflicts.entry(i).or_insert_with(|| (Vec::new(), *pod));
            e.0.extend(list.iter().filter(|&&j| j != i));
        }
    }
    for (i, (mut others, pod)) in conflicts {
        others.sort_unstable();
        others.dedup();
        let names: Vec<String> = others.iter().map(|&j| cx.obj(items[j].obj).key()).collect();
        sink.push(
            cx.diag(
                items[i].obj,
                conflict,
                items[i].path,
                format!(
                    "The {kind}s [{}] select the same workload {}; only one applies",
                    names.join(", "),
                    cx.obj(pod).key()
                ),
            )
            .with_help(format!("make the selectors of these {kind}s disjoint")),
        );
    }
}

pub const SIDECAR_SELECTORS: Analyzer = Analyzer {
    name: "sidecar.SelectorAnalyzer",
    description: "Checks that Sidecar workload selectors match workloads, that no workload is selected by two Sidecars, and that a namespace has at most one Sidecar without a selector",
    codes: &["IST0101", "IST0110", "IST0111", "IST0167"],
    run: sidecar_selectors,
};

fn sidecar_selectors(cx: &Context<'_>, sink: &mut Sink) {
    let items: Vec<Scoped> = cx
        .sidecars
        .iter()
        .map(|s| Scoped {
            obj: s.obj,
            ns: cx.obj(s.obj).namespace().to_string(),
            selector: s
                .spec
                .workload_selector
                .as_ref()
                .map(|w| w.labels.clone())
                .filter(|l| !l.is_empty()),
            path: "spec.workloadSelector",
        })
        .collect();
    // Sidecars do nothing for ambient workloads: namespace-wide ones in an ambient namespace,
    // and ones that select ambient pods, are reported as ineffective instead.
    let ambient_ns = |ns: &str| {
        cx.namespace_object(ns).is_some_and(|n| {
            let l = &n.meta.labels;
            l.get("istio-injection").is_none_or(|v| v != "enabled")
                && l.get("istio.io/rev").is_none_or(|v| v.is_empty())
                && l.get("istio.io/dataplane-mode")
                    .is_some_and(|v| v == "ambient")
        })
    };
    let (ineffective, items): (Vec<Scoped>, Vec<Scoped>) = items
        .into_iter()
        .partition(|s| s.selector.is_none() && ambient_ns(&s.ns));
    for s in &ineffective {
        sink.push(
            cx.diag(s.obj, "IST0167", "metadata.name", "The policy has no impact: namespace is in ambient mode, the policy has no impact.")
                .with_help("ambient workloads have no sidecar; configure their waypoint instead, or remove the Sidecar"),
        );
    }
    for s in &items {
        let Some(sel) = &s.selector else { continue };
        let ambient_pod = cx.select(Some(&s.ns), sel).iter().any(|w| {
            w.template_path.is_empty()
                && w.annotations
                    .get("ambient.istio.io/redirection")
                    .is_some_and(|v| v == "enabled")
        });
        if ambient_pod {
            sink.push(
                cx.diag(s.obj, "IST0167", s.path, "The policy has no impact: selected workload is in ambient mode, the policy has no impact.")
                    .with_help("ambient workloads have no sidecar; configure their waypoint instead, or remove the Sidecar"),
            );
        }
    }
    selector_checks(cx, sink, &items, "Sidecar", "IST0110", "IST0111");
}

pub const TELEMETRY_SELECTORS: Analyzer = Analyzer {
    name: "telemetry.SelectorAnalyzer",
    description: "Checks that Telemetry selectors match workloads, that no workload is selected by two Telemetries, and that a namespace has at most one Telemetry without a selector",
    codes: &["IST0101", "IST0159", "IST0160"],
    run: telemetry_selectors,
};

fn telemetry_selectors(cx: &Context<'_>, sink: &mut Sink) {
    let items: Vec<Scoped> = cx
        .telemetries
        .iter()
        .filter(|t| t.spec.target_ref.is_none() && t.spec.target_refs.is_none())
        .map(|t| Scoped {
            obj: t.obj,
            ns: cx.obj(t.obj).namespace().to_string(),
            selector: t
                .spec
                .selector
                .as_ref()
                .map(|w| w.match_labels.clone())
                .filter(|l| !l.is_empty()),
            path: "spec.selector",
        })
        .collect();
    selector_checks(cx, sink, &items, "Telemetry", "IST0159", "IST0160");
}

pub const TELEMETRY_DEFAULT_SELECTORS: Analyzer = Analyzer {
    name: "telemetry.DefaultSelectorAnalyzer",
    description: "Checks that a namespace has at most one Telemetry without a selector",
    codes: &["IST0160"],
    run: telemetry_default_selectors,
};

fn telemetry_default_selectors(cx: &Context<'_>, sink: &mut Sink) {
    let mut defaults: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for t in &cx.telemetries {
        if t.spec.target_ref.is_some() || t.spec.target_refs.is_some() {
            continue;
        }
        if t.spec
            .selector
            .as_ref()
            .is_none_or(|s| s.match_labels.is_empty())
        {
            defaults
                .entry(cx.obj(t.obj).namespace())
                .or_default()
                .push(t.obj);
        }
    }
    for (ns, objs) in defaults.iter().filter(|(_, v)| v.len() > 1) {
        for &o in objs {
            sink.push(
                cx.diag(
                    o,
                    "IST0160",
                    "metadata.name",
                    format!("The Telemetry will not be applied: more than one Telemetry in namespace {ns} has no workload selector"),
                )
                .with_help("keep one namespace-wide Telemetry per namespace; give the others a workload selector"),
            );
        }
    }
}

pub const TELEMETRY_PROVIDERS: Analyzer = Analyzer {
    name: "telemetry.ProviderAnalyzer",
    description: "Checks that Telemetry access logging names a provider when MeshConfig has no default access-log provider",
    codes: &["IST0157"],
    run: telemetry_providers,
};

fn telemetry_providers(cx: &Context<'_>, sink: &mut Sink) {
    if !cx.mesh.default_access_logging.is_empty() {
        return;
    }
    for t in &cx.telemetries {
        let o = cx.obj(t.obj);
        for (i, l) in t.spec.access_logging.iter().enumerate() {
            if l.disabled == Some(true) || !l.providers.is_empty() {
                continue;
            }
            sink.push(
                cx.diag(
                    t.obj,
                    "IST0157",
                    &format!("spec.accessLogging[{i}]"),
                    format!(
                        "The Telemetry {} in namespace {} is invalid: access logging has no provider and MeshConfig sets no defaultProviders.accessLogging, so it is ignored",
                        o.name(),
                        o.namespace()
                    ),
                )
                .with_help("name a provider (`providers: [{name: envoy}]`) or set defaultProviders.accessLogging in MeshConfig (--mesh-config)"),
            );
        }
    }
}

pub const AUTHORIZATION_POLICIES: Analyzer = Analyzer {
    name: "auth.AuthorizationPoliciesAnalyzer",
    description: "Checks that AuthorizationPolicies select at least one workload and that the namespaces their rules name exist",
    codes: &["IST0101", "IST0127"],
    run: authorization_policies,
};

fn authorization_policies(cx: &Context<'_>, sink: &mut Sink) {
    let check_namespaces = cx.has("Namespace");
    let mut unchecked = 0usize;
    for ap in &cx.authorization_policies {
        let o = cx.obj(ap.obj);
        let ns = o.namespace();
        let targeted = ap.spec.target_ref.is_some() || ap.spec.target_refs.is_some();
        let mesh_wide = ns == cx.mesh.root_namespace;
        // A namespace's policies can only be shown to match nothing when the input has that
        // namespace's workloads (a mesh-wide policy: any workload).
        let scope = (!mesh_wide).then_some(ns);
        let check_workloads = cx.has_workloads(scope);
        if !targeted && !check_workloads {
            unchecked += 1;
        }
        if check_workloads && !targeted {
            let labels = ap
                .spec
                .selector
                .as_ref()
                .map(|s| s.match_labels.clone())
                .unwrap_or_default();
            // Istio counts only workloads in the mesh; a mesh-wide policy without a selector
            // applies to the whole mesh and is not checked.
            let matched = cx.select(scope, &labels).into_iter().any(|w| cx.in_mesh(w));
            if !(matched || mesh_wide && labels.is_empty()) {
                let path = if labels.is_empty() {
                    "metadata.name"
                } else {
                    "spec.selector"
                };
                sink.push(
                    cx.diag(
                        ap.obj,
                        "IST0127",
                        path,
                        format!(
                            "No matching workloads for this resource with the following labels: {}",
                            labels
                                .iter()
                                .map(|(k, v)| format!("{k}={v}"))
                                .collect::<Vec<_>>()
                                .join(",")
                        ),
                    )
                    .with_help(if labels.is_empty() {
                        format!("namespace {ns} has no workload in the mesh in the input")
                    } else {
                        format!(
                            "no workload in the mesh in {} has these labels (workloads count when injected: an istio-proxy container, sidecar.istio.io/inject, or istio-injection=enabled on their Namespace)",
                            scope.unwrap_or("any namespace")
                        )
                    }),
                );
            }
        }
        if !check_namespaces {
            continue;
        }
        for (r, rule) in ap.spec.rules.iter().enumerate() {
            for (f, from) in rule.from.iter().enumerate() {
                let Some(src) = &from.source else { continue };
                for (field, list) in [
                    ("namespaces", &src.namespaces),
                    ("notNamespaces", &src.not_namespaces),
                ] {
                    for (k, n) in list.iter().flatten().enumerate() {
                        let known = if n.contains('*') {
                            n == "*"
                                || cx
                                    .namespace_names()
                                    .any(|k| crate::report::policy::glob_match(n, k))
                        } else {
                            cx.known_namespace(n)
                        };
                        if known {
                            continue;
                        }
                        sink.push(
                            cx.diag(
                                ap.obj,
                                "IST0101",
                                &format!("spec.rules[{r}].from[{f}].source.{field}[{k}]"),
                                format!("Referenced namespace not found: {n:?}"),
                            )
                            .with_help("the input has no Namespace or workload in that namespace"),
                        );
                    }
                }
            }
        }
    }
    if unchecked > 0 {
        sink.note(format!(
            "{unchecked} AuthorizationPolicy selector(s) were not checked: the input has no workload in their namespace"
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{p, pairs, pairs_with};
    use super::*;

    const PODS: &str = r#"
apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {istio-injection: enabled}}
---
apiVersion: v1
kind: Pod
metadata: {name: reviews-1, namespace: shop, labels: {app: reviews, version: v1}}
spec: {containers: [{name: app, image: r}]}
"#;

    fn obj(kind: &str, group: &str, name: &str, spec: &str) -> String {
        format!(
            "---\napiVersion: {group}\nkind: {kind}\nmetadata: {{name: {name}, namespace: shop}}\nspec:\n{spec}"
        )
    }

    #[test]
    fn sidecar_selectors() {
        let input = [
            PODS.to_string(),
            obj(
                "Sidecar",
                "networking.istio.io/v1",
                "a",
                "  workloadSelector: {labels: {app: reviews}}\n  egress: [{hosts: [\"./*\"]}]\n",
            ),
            obj(
                "Sidecar",
                "networking.istio.io/v1",
                "b",
                "  workloadSelector: {labels: {version: v1}}\n  egress: [{hosts: [\"./*\"]}]\n",
            ),
            obj(
                "Sidecar",
                "networking.istio.io/v1",
                "none",
                "  workloadSelector: {labels: {app: nope}}\n  egress: [{hosts: [\"./*\"]}]\n",
            ),
            obj(
                "Sidecar",
                "networking.istio.io/v1",
                "d1",
                "  egress: [{hosts: [\"./*\"]}]\n",
            ),
            obj(
                "Sidecar",
                "networking.istio.io/v1",
                "d2",
                "  egress: [{hosts: [\"./*\"]}]\n",
            ),
        ]
        .concat();
        assert_eq!(
            pairs(&SIDECAR_SELECTORS, &input),
            vec![
                p("IST0101", "Sidecar shop/none"),
                p("IST0110", "Sidecar shop/a"),
                p("IST0110", "Sidecar shop/b"),
                p("IST0111", "Sidecar shop/d1"),
                p("IST0111", "Sidecar shop/d2"),
            ]
        );
    }

    #[test]
    fn telemetry() {
        let input = [
            PODS.to_string(),
            obj(
                "Telemetry",
                "telemetry.istio.io/v1",
                "logs",
                "  accessLogging: [{}]\n",
            ),
            obj(
                "Telemetry",
                "telemetry.istio.io/v1",
                "off",
                "  selector: {matchLabels: {app: reviews}}\n  accessLogging: [{disabled: true}]\n",
            ),
        ]
        .concat();
        assert_eq!(
            pairs(&TELEMETRY_PROVIDERS, &input),
            vec![p("IST0157", "Telemetry shop/logs")]
        );
        let mesh =
            crate::analyze::MeshConfig::from_text("defaultProviders: {accessLogging: [envoy]}")
                .unwrap_or_default();
        assert!(pairs_with(&TELEMETRY_PROVIDERS, &input, &mesh).is_empty());
        assert!(pairs(&TELEMETRY_SELECTORS, &input).is_empty());
    }

    #[test]
    fn authorization_policies() {
        let input = [
            PODS.to_string(),
            obj("AuthorizationPolicy", "security.istio.io/v1", "ok", "  selector: {matchLabels: {app: reviews}}\n  rules: [{from: [{source: {namespaces: [shop, \"sho*\"]}}]}]\n"),
            obj("AuthorizationPolicy", "security.istio.io/v1", "nopods", "  selector: {matchLabels: {app: ratings}}\n"),
            obj("AuthorizationPolicy", "security.istio.io/v1", "badns", "  rules: [{from: [{source: {namespaces: [shopp]}}]}]\n"),
        ]
        .concat();
        assert_eq!(
            pairs(&AUTHORIZATION_POLICIES, &input),
            vec![
                p("IST0101", "AuthorizationPolicy shop/badns"),
                p("IST0127", "AuthorizationPolicy shop/nopods"),
            ]
        );
        // Istio counts only workloads in the mesh: without injection on the Namespace, the
        // pods do not make the policy match.
        let outside = input.replace("labels: {istio-injection: enabled}", "labels: {}");
        assert!(
            pairs(&AUTHORIZATION_POLICIES, &outside)
                .contains(&p("IST0127", "AuthorizationPolicy shop/ok"))
        );
        // A namespace the input has no workload of is not checked.
        let elsewhere = input.replace(
            "namespace: shop}\nspec:\n  selector",
            "namespace: web}\nspec:\n  selector",
        );
        assert!(
            !pairs(&AUTHORIZATION_POLICIES, &elsewhere)
                .iter()
                .any(|(c, r)| c == "IST0127" && r.contains("web/"))
        );
    }
}
