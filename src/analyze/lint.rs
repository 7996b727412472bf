//! `meshctl lint`: best-practice rules (MSH2xxx). Each finding is about one object; a few rules
//! look at the objects around it (the pods behind a DestinationRule, the namespace's
//! PeerAuthentication) through the same [`Context`] as the analyzers.

use std::collections::BTreeMap;

use super::context::{Context, HostSource};
use super::{Analyzer, Sink};
use crate::model::networking::virtual_service::HttpRoute;
use crate::model::security::{AuthorizationAction, MtlsMode};

/// Every lint rule, in code order.
pub static RULES: &[Analyzer] = &[
    EXTERNAL_TIMEOUT,
    RETRY_PER_TRY_TIMEOUT,
    OUTLIER_DETECTION,
    HTTPS_WILDCARD_HOST,
    PERMISSIVE_UNDER_STRICT,
    ALLOW_EMPTY_RULES,
    SUBSET_VERSION_LABEL,
];

/// Whether `host` (as written in namespace `ns`) is outside the cluster: not a short name and
/// not under `.svc.<domain>`.
fn external(cx: &Context<'_>, host: &str, ns: &str) -> bool {
    let fqdn = cx.qualify(host, ns);
    cx.cluster_namespace(&fqdn).is_none() && !fqdn.ends_with(".svc") && !host.starts_with('*')
}

fn routes_external(cx: &Context<'_>, h: &HttpRoute, ns: &str) -> Option<String> {
    h.route
        .iter()
        .filter_map(|r| r.destination.as_ref())
        .map(|d| d.host.clone())
        .find(|host| external(cx, host, ns))
}

pub const EXTERNAL_TIMEOUT: Analyzer = Analyzer {
    name: "lint.ExternalRouteTimeout",
    description: "HTTP routes to hosts outside the cluster should set a timeout",
    codes: &["MSH2001"],
    run: external_timeout,
};

fn external_timeout(cx: &Context<'_>, sink: &mut Sink) {
    for v in &cx.virtual_services {
        let ns = cx.obj(v.obj).namespace();
        for (i, h) in v.spec.http.iter().enumerate() {
            if h.timeout.is_some() || h.redirect.is_some() || h.direct_response.is_some() {
                continue;
            }
            if let Some(host) = routes_external(cx, h, ns) {
                sink.push(
                    cx.diag(v.obj, "MSH2001", &format!("spec.http[{i}]"), format!("HTTP route to external host {host:?} has no timeout"))
                        .with_help("set `timeout:` on the route (e.g. 10s); Istio sets none, so a stalled upstream holds the request until the client gives up"),
                );
            }
        }
    }
}

pub const RETRY_PER_TRY_TIMEOUT: Analyzer = Analyzer {
    name: "lint.RetryPerTryTimeout",
    description: "Retries should set perTryTimeout",
    codes: &["MSH2002"],
    run: retry_per_try_timeout,
};

fn retry_per_try_timeout(cx: &Context<'_>, sink: &mut Sink) {
    for v in &cx.virtual_services {
        for (i, h) in v.spec.http.iter().enumerate() {
            let Some(r) = &h.retries else { continue };
            if r.attempts.unwrap_or(0) > 0 && r.per_try_timeout.is_none() {
                sink.push(
                    cx.diag(v.obj, "MSH2002", &format!("spec.http[{i}].retries"), format!("retries ({} attempts) without perTryTimeout", r.attempts.unwrap_or(0)))
                        .with_help("set `perTryTimeout`: without it one slow attempt uses the whole route timeout and the retries never happen"),
                );
            }
        }
    }
}

pub const OUTLIER_DETECTION: Analyzer = Analyzer {
    name: "lint.SubsetOutlierDetection",
    description: "DestinationRules that split a host into several subsets should configure outlier detection",
    codes: &["MSH2003"],
    run: outlier_detection,
};

fn outlier_detection(cx: &Context<'_>, sink: &mut Sink) {
    for d in &cx.destination_rules {
        let dr = &d.spec;
        if dr.subsets.len() < 2 {
            continue;
        }
        let top = dr.traffic_policy.as_ref().is_some_and(|t| {
            t.outlier_detection.is_some()
                || t.port_level_settings
                    .iter()
                    .any(|p| p.outlier_detection.is_some())
        });
        let every_subset = dr.subsets.iter().all(|s| {
            s.traffic_policy
                .as_ref()
                .is_some_and(|t| t.outlier_detection.is_some())
        });
        if !top && !every_subset {
            sink.push(
                cx.diag(d.obj, "MSH2003", "spec", format!("DestinationRule for {} has {} subsets but no outlier detection", dr.host, dr.subsets.len()))
                    .with_help("add `trafficPolicy.outlierDetection` so failing endpoints of one version are ejected instead of receiving their share of traffic"),
            );
        }
    }
}

pub const HTTPS_WILDCARD_HOST: Analyzer = Analyzer {
    name: "lint.HttpsWildcardHost",
    description: "HTTPS gateway servers should name their hosts instead of `*`",
    codes: &["MSH2004"],
    run: https_wildcard_host,
};

fn https_wildcard_host(cx: &Context<'_>, sink: &mut Sink) {
    for g in &cx.gateways {
        for (i, s) in g.spec.servers.iter().enumerate() {
            let https = s
                .port
                .as_ref()
                .and_then(|p| p.protocol.as_deref())
                .is_some_and(|p| p.eq_ignore_ascii_case("HTTPS"));
            if !https {
                continue;
            }
            if let Some(j) = s.hosts.iter().position(|h| h == "*" || h.ends_with("/*")) {
                sink.push(
                    cx.diag(g.obj, "MSH2004", &format!("spec.servers[{i}].hosts[{j}]"), "HTTPS server accepts any host (`*`)")
                        .with_help("list the hostnames the certificate covers: with `*` any SNI gets this certificate, clients see name mismatches and VirtualServices of any host bind here"),
                );
            }
        }
    }
}

pub const PERMISSIVE_UNDER_STRICT: Analyzer = Analyzer {
    name: "lint.PermissiveUnderStrict",
    description: "Workload PeerAuthentications should not relax a namespace or mesh that requires STRICT mTLS",
    codes: &["MSH2005"],
    run: permissive_under_strict,
};

fn permissive_under_strict(cx: &Context<'_>, sink: &mut Sink) {
    let mode_of = |p: &crate::model::security::PeerAuthentication| {
        p.mtls
            .as_ref()
            .and_then(|m| m.mode)
            .unwrap_or(MtlsMode::Unset)
    };
    // Namespace-wide modes, and the mesh-wide one (root namespace).
    let mut ns_mode: BTreeMap<&str, MtlsMode> = BTreeMap::new();
    for p in &cx.peer_authentications {
        let has_selector = p
            .spec
            .selector
            .as_ref()
            .is_some_and(|s| !s.match_labels.is_empty());
        if !has_selector {
            ns_mode.insert(cx.obj(p.obj).namespace(), mode_of(&p.spec));
        }
    }
    let mesh = ns_mode.get(cx.mesh.root_namespace.as_str()).copied();
    for p in &cx.peer_authentications {
        let o = cx.obj(p.obj);
        let ns = o.namespace();
        let has_selector = p
            .spec
            .selector
            .as_ref()
            .is_some_and(|s| !s.match_labels.is_empty());
        let mode = mode_of(&p.spec);
        if !matches!(mode, MtlsMode::Permissive | MtlsMode::Disable) {
            continue;
        }
        // What this policy overrides: the namespace policy (for a workload policy), else the mesh.
        let (parent, scope) = if has_selector {
            match ns_mode.get(ns).copied().filter(|m| *m != MtlsMode::Unset) {
                Some(m) => (Some(m), format!("namespace {ns}")),
                None => (mesh, "the mesh".to_string()),
            }
        } else if ns != cx.mesh.root_namespace {
            (mesh, "the mesh".to_string())
        } else {
            (None, String::new())
        };
        if parent == Some(MtlsMode::Strict) {
            let m = if mode == MtlsMode::Disable {
                "DISABLE"
            } else {
                "PERMISSIVE"
            };
            sink.push(
                cx.diag(p.obj, "MSH2005", "spec.mtls.mode", format!("PeerAuthentication sets {m} where {scope} requires STRICT mTLS"))
                    .with_help("accepting plain text here undoes the STRICT policy for these workloads; limit it with portLevelMtls to the ports that need it, or remove it"),
            );
        }
    }
}

pub const ALLOW_EMPTY_RULES: Analyzer = Analyzer {
    name: "lint.AllowEmptyRules",
    description: "ALLOW AuthorizationPolicies whose rules allow nothing or everything",
    codes: &["MSH2006"],
    run: allow_empty_rules,
};

fn allow_empty_rules(cx: &Context<'_>, sink: &mut Sink) {
    for a in &cx.authorization_policies {
        let ap = &a.spec;
        let action = ap.action.unwrap_or(AuthorizationAction::Allow);
        if action != AuthorizationAction::Allow || ap.provider.is_some() {
            continue;
        }
        let explicit_allow = ap.action.is_some();
        if ap.rules.is_empty() && explicit_allow {
            sink.push(
                cx.diag(a.obj, "MSH2006", "spec.action", "ALLOW policy without rules allows nothing: every request to the selected workloads is denied")
                    .with_help("add the rules that should be allowed; for an intentional deny-all write `spec: {}` without `action`"),
            );
        }
        for (i, r) in ap.rules.iter().enumerate() {
            if r.from.is_empty() && r.to.is_empty() && r.when.is_empty() {
                sink.push(
                    cx.diag(a.obj, "MSH2006", &format!("spec.rules[{i}]"), "ALLOW rule without from, to or when allows every request")
                        .with_help("an empty rule matches everything, so the other rules of this policy (and of other ALLOW policies) do not restrict anything; add conditions or remove the rule"),
                );
            }
        }
    }
}

pub const SUBSET_VERSION_LABEL: Analyzer = Analyzer {
    name: "lint.SubsetVersionLabel",
    description: "Pods behind a DestinationRule with subsets should carry a `version` label",
    codes: &["MSH2007"],
    run: subset_version_label,
};

fn subset_version_label(cx: &Context<'_>, sink: &mut Sink) {
    for d in &cx.destination_rules {
        if d.spec.subsets.is_empty() {
            continue;
        }
        let ns = cx.obj(d.obj).namespace();
        let fqdn = cx.qualify(&d.spec.host, ns);
        let Some(entry) = cx.hosts.resolve(&fqdn, &[ns.to_string()]) else {
            continue;
        };
        if entry.source != HostSource::Service {
            continue;
        }
        let Some(svc) = cx.service(&entry.namespace, cx.obj(entry.obj).name()) else {
            continue;
        };
        if svc.spec.selector.is_empty() {
            continue;
        }
        for w in cx.select(Some(&entry.namespace), &svc.spec.selector) {
            if w.labels.contains_key("version") {
                continue;
            }
            let path = if w.template_path.is_empty() {
                "metadata.labels".to_string()
            } else {
                format!("{}.metadata.labels", w.template_path)
            };
            sink.push(
                cx.diag(w.obj, "MSH2007", &path, format!(
                    "{} is behind {} whose DestinationRule {} splits it into subsets, but has no `version` label",
                    cx.obj(w.obj).key(), entry.host, cx.obj(d.obj).key()
                ))
                .with_help("add a `version` label to the pod template: telemetry, Kiali and subset selectors rely on it"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{p, pairs};
    use super::*;

    #[test]
    fn route_rules() {
        let input = r#"
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: ext, namespace: shop}
spec:
  hosts: [api.example.com]
  http:
  - route: [{destination: {host: api.example.com}}]
    retries: {attempts: 3}
  - match: [{uri: {prefix: /slow}}]
    timeout: 5s
    retries: {attempts: 2, perTryTimeout: 1s}
    route: [{destination: {host: api.example.com}}]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: {name: internal, namespace: shop}
spec:
  hosts: [reviews]
  http:
  - route: [{destination: {host: reviews}}, {destination: {host: ratings.shop.svc.cluster.local}}]
"#;
        assert_eq!(
            pairs(&EXTERNAL_TIMEOUT, input),
            vec![p("MSH2001", "VirtualService shop/ext")]
        );
        assert_eq!(
            pairs(&RETRY_PER_TRY_TIMEOUT, input),
            vec![p("MSH2002", "VirtualService shop/ext")]
        );
    }

    #[test]
    fn destination_rules_and_gateways() {
        let input = r#"
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: split, namespace: shop}
spec:
  host: reviews
  subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: guarded, namespace: shop}
spec:
  host: ratings
  trafficPolicy: {outlierDetection: {consecutive5xxErrors: 5}}
  subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]
---
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: {name: gw, namespace: shop}
spec:
  selector: {istio: ingressgateway}
  servers:
  - port: {number: 443, name: https, protocol: HTTPS}
    hosts: ["*"]
    tls: {mode: SIMPLE, credentialName: c}
  - port: {number: 80, name: http, protocol: HTTP}
    hosts: ["*"]
"#;
        assert_eq!(
            pairs(&OUTLIER_DETECTION, input),
            vec![p("MSH2003", "DestinationRule shop/split")]
        );
        assert_eq!(
            pairs(&HTTPS_WILDCARD_HOST, input),
            vec![p("MSH2004", "Gateway shop/gw")]
        );
    }

    #[test]
    fn security_rules() {
        let input = r#"
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: istio-system}
spec: {mtls: {mode: STRICT}}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: legacy, namespace: shop}
spec:
  selector: {matchLabels: {app: legacy}}
  mtls: {mode: PERMISSIVE}
---
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: default, namespace: web}
spec: {mtls: {mode: STRICT}}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: deny-all, namespace: shop}
spec: {}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: forgot, namespace: shop}
spec: {action: ALLOW}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: open, namespace: shop}
spec:
  rules: [{}]
"#;
        assert_eq!(
            pairs(&PERMISSIVE_UNDER_STRICT, input),
            vec![p("MSH2005", "PeerAuthentication shop/legacy")]
        );
        assert_eq!(
            pairs(&ALLOW_EMPTY_RULES, input),
            vec![
                p("MSH2006", "AuthorizationPolicy shop/forgot"),
                p("MSH2006", "AuthorizationPolicy shop/open")
            ]
        );
    }

    #[test]
    fn version_labels() {
        let input = r#"
apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: shop}
spec:
  selector: {app: reviews}
  ports: [{name: http, port: 80}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: labelled, namespace: shop}
spec:
  selector: {matchLabels: {app: reviews}}
  template:
    metadata: {labels: {app: reviews, version: v1}}
    spec: {containers: [{name: a, image: a}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: unlabelled, namespace: shop}
spec:
  selector: {matchLabels: {app: reviews}}
  template:
    metadata: {labels: {app: reviews}}
    spec: {containers: [{name: a, image: a}]}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: shop}
spec:
  host: reviews
  subsets: [{name: v1, labels: {version: v1}}]
"#;
        assert_eq!(
            pairs(&SUBSET_VERSION_LABEL, input),
            vec![p("MSH2007", "Deployment shop/unlabelled")]
        );
    }
}
