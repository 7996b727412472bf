//! DestinationRule analyzers: TLS origination without server certificate verification
//! (IST0128, IST0129), subsets that select no pods (IST0173) and hosts that match no service
//! (IST0174).

use std::collections::BTreeMap;

use super::context::{Context, HostSource, Typed};
use super::{Analyzer, Sink};
use crate::model::networking::destination_rule::{ClientTlsMode, ClientTlsSettings};

pub const CA_CERTIFICATES: Analyzer = Analyzer {
    name: "destinationrule.CaCertificateAnalyzer",
    description: "Checks that DestinationRules originating TLS (SIMPLE or MUTUAL) verify the server certificate",
    codes: &["IST0128", "IST0129"],
    run: ca_certificates,
};

fn unverified(tls: &ClientTlsSettings, has_selector: bool) -> bool {
    matches!(tls.mode(), ClientTlsMode::Simple | ClientTlsMode::Mutual)
        && tls.ca_certificates.as_deref().is_none_or(str::is_empty)
        && !(tls
            .credential_name
            .as_deref()
            .is_some_and(|c| !c.is_empty())
            && has_selector)
}

fn mode_name(tls: &ClientTlsSettings) -> &'static str {
    match tls.mode() {
        ClientTlsMode::Mutual => "MUTUAL",
        _ => "SIMPLE",
    }
}

fn ca_certificates(cx: &Context<'_>, sink: &mut Sink) {
    for Typed { obj, spec: dr } in &cx.destination_rules {
        let o = cx.obj(*obj);
        let has_selector = dr.workload_selector.is_some();
        let Some(tp) = &dr.traffic_policy else {
            continue;
        };
        if let Some(tls) = &tp.tls
            && unverified(tls, has_selector)
        {
            sink.push(
                cx.diag(
                    *obj,
                    "IST0128",
                    "spec.trafficPolicy.tls",
                    format!(
                        "DestinationRule {} in namespace {} has TLS mode set to {} but no caCertificates are set to validate server identity for host: {}",
                        o.name(),
                        o.namespace(),
                        mode_name(tls),
                        dr.host
                    ),
                )
                .with_help("set `caCertificates` (or `credentialName` with a workloadSelector) so the server certificate is verified"),
            );
        }
        for (i, pl) in tp.port_level_settings.iter().enumerate() {
            if let Some(tls) = &pl.tls
                && unverified(tls, has_selector)
            {
                let port = pl.port.as_ref().and_then(|p| p.number).unwrap_or(0);
                sink.push(
                    cx.diag(
                        *obj,
                        "IST0129",
                        &format!("spec.trafficPolicy.portLevelSettings[{i}].tls"),
                        format!(
                            "DestinationRule {} in namespace {} has TLS mode set to {} but no caCertificates are set to validate server identity for host: {} at port {port}",
                            o.name(),
                            o.namespace(),
                            mode_name(tls),
                            dr.host
                        ),
                    )
                    .with_help("set `caCertificates` for this port"),
                );
            }
        }
    }
}

pub const SUBSET_PODS: Analyzer = Analyzer {
    name: "destinationrule.PodNotSelectedAnalyzer",
    description: "Checks that a DestinationRule's host exists and that each of its subsets selects at least one pod of the service",
    codes: &["IST0173", "IST0174"],
    run: subset_pods,
};

/// Labels Istio adds to every endpoint from its node and cluster; a subset may select on them
/// though no pod carries them.
fn is_topology_label(k: &str) -> bool {
    k.starts_with("topology.kubernetes.io/")
        || k.starts_with("topology.istio.io/")
        || k == "kubernetes.io/hostname"
}

fn subset_pods(cx: &Context<'_>, sink: &mut Sink) {
    for Typed { obj, spec: dr } in &cx.destination_rules {
        let ns = cx.obj(*obj).namespace();
        let fqdn = cx.qualify(&dr.host, ns);
        if dr.host.starts_with('*') || !cx.host_checkable(&fqdn, ns) {
            continue;
        }
        let mut scopes: Vec<String> = dr
            .export_to
            .iter()
            .filter(|e| *e != "~" && *e != "*")
            .map(|e| if e == "." { ns.to_string() } else { e.clone() })
            .collect();
        if scopes.is_empty() {
            scopes.push(ns.to_string());
        }
        let Some(entry) = cx.hosts.resolve(&fqdn, &scopes) else {
            sink.push(
                cx.diag(
                    *obj,
                    "IST0174",
                    "spec.host",
                    format!("The host {} defined in the DestinationRule does not match any services in the mesh.", dr.host),
                )
                .with_help("correct the host (short names resolve in the DestinationRule's namespace) or add the Service or ServiceEntry"),
            );
            continue;
        };
        // Pods of the service: its selector in its namespace (a ServiceEntry's workloadSelector).
        let base: BTreeMap<String, String> = match entry.source {
            HostSource::Service => match cx.service(&entry.namespace, cx.obj(entry.obj).name()) {
                Some(s) if !s.spec.selector.is_empty() => s.spec.selector.clone(),
                _ => continue,
            },
            HostSource::ServiceEntry => {
                let se = cx
                    .service_entries
                    .iter()
                    .find(|s| s.obj == entry.obj)
                    .and_then(|s| s.spec.workload_selector.as_ref())
                    .map(|w| w.labels.clone());
                match se {
                    Some(l) if !l.is_empty() => l,
                    _ => continue,
                }
            }
        };
        if !cx.has_workloads(Some(&entry.namespace)) {
            continue;
        }
        for (i, subset) in dr.subsets.iter().enumerate() {
            let mut labels = base.clone();
            labels.extend(
                subset
                    .labels
                    .iter()
                    .filter(|(k, v)| !is_topology_label(k) || v.is_empty())
                    .map(|(k, v)| (k.clone(), v.clone())),
            );
            if cx.select(Some(&entry.namespace), &labels).is_empty() {
                let shown: Vec<String> = subset
                    .labels
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect();
                sink.push(
                    cx.diag(
                        *obj,
                        "IST0173",
                        &format!("spec.subsets[{i}]"),
                        format!(
                            "The Subset {} defined in the DestinationRule does not select any pods, which may lead to 503 UH (NoHealthyUpstream).",
                            subset.name
                        ),
                    )
                    .with_help(format!(
                        "no pod of {} in namespace {} has the labels {}",
                        entry.host,
                        entry.namespace,
                        shown.join(", ")
                    )),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{p, pairs};
    use super::*;

    #[test]
    fn tls_without_ca() {
        let input = r#"
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: simple, namespace: db}
spec:
  host: db
  trafficPolicy:
    tls: {mode: SIMPLE}
    portLevelSettings:
    - port: {number: 5432}
      tls: {mode: MUTUAL, clientCertificate: /c, privateKey: /k}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: verified, namespace: db}
spec:
  host: db
  trafficPolicy:
    tls: {mode: SIMPLE, caCertificates: /ca.pem}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: istio, namespace: db}
spec:
  host: db
  trafficPolicy:
    tls: {mode: ISTIO_MUTUAL}
"#;
        assert_eq!(
            pairs(&CA_CERTIFICATES, input),
            vec![
                p("IST0128", "DestinationRule db/simple"),
                p("IST0129", "DestinationRule db/simple"),
            ]
        );
    }

    #[test]
    fn subsets_select_pods() {
        let input = r#"
apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: shop}
spec:
  selector: {app: reviews}
  ports: [{name: http, port: 9080}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: reviews-v1, namespace: shop}
spec:
  selector: {matchLabels: {app: reviews, version: v1}}
  template:
    metadata: {labels: {app: reviews, version: v1}}
    spec: {containers: [{name: app, image: r}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: other-v2, namespace: shop}
spec:
  selector: {matchLabels: {app: other, version: v2}}
  template:
    metadata: {labels: {app: other, version: v2}}
    spec: {containers: [{name: app, image: r}]}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: reviews, namespace: shop}
spec:
  host: reviews
  subsets:
  - {name: v1, labels: {version: v1}}
  - {name: v2, labels: {version: v2}}
  - {name: east, labels: {topology.kubernetes.io/region: east}}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: typo, namespace: shop}
spec:
  host: reveiws
"#;
        assert_eq!(
            pairs(&SUBSET_PODS, input),
            vec![
                p("IST0173", "DestinationRule shop/reviews"),
                p("IST0174", "DestinationRule shop/typo"),
            ]
        );
    }
}
