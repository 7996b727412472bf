//! Istio's webhook configurations: sidecar-injector webhooks whose selectors overlap, so a pod
//! would be injected twice, or that call a control-plane Service the input does not have
//! (IST0139); and the webhooks of an external control plane, whose URLs must name the ingress
//! gateway of the control-plane cluster by hostname (IST0163, IST0164).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::Value;

use super::context::Context;
use super::{Analyzer, Sink};
use crate::store::kinds::Kind;

pub const INJECTOR_WEBHOOKS: Analyzer = Analyzer {
    name: "webhook.Analyzer",
    description: "Checks that Istio's sidecar-injector webhooks do not overlap and call a control-plane Service that exists",
    codes: &["IST0139"],
    run: injector_webhooks,
};

pub const EXTERNAL_CONTROL_PLANE: Analyzer = Analyzer {
    name: "externalcontrolplane.ExternalControlPlaneAnalyzer",
    description: "Checks that the webhooks of an external control plane have a URL naming the control plane's ingress gateway by hostname",
    codes: &["IST0163", "IST0164"],
    run: external_control_plane,
};

/// Whether a Kubernetes label selector (`matchLabels`, `matchExpressions`) matches `labels`;
/// an absent selector matches everything, an invalid one nothing.
pub(crate) fn selector_matches(
    selector: Option<&Value>,
    labels: &BTreeMap<String, String>,
) -> bool {
    let Some(sel) = selector.filter(|s| !s.is_null()) else {
        return true;
    };
    if let Some(ml) = sel.get("matchLabels").and_then(Value::as_object) {
        for (k, v) in ml {
            if labels.get(k).map(String::as_str) != v.as_str() {
                return false;
            }
        }
    }
    for e in sel
        .get("matchExpressions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let key = e.get("key").and_then(Value::as_str).unwrap_or_default();
        let values: Vec<&str> = e
            .get("values")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let have = labels.get(key);
        let ok = match e
            .get("operator")
            .and_then(Value::as_str)
            .unwrap_or_default()
        {
            "In" => have.is_some_and(|h| values.contains(&h.as_str())),
            "NotIn" => have.is_none_or(|h| !values.contains(&h.as_str())),
            "Exists" => have.is_some(),
            "DoesNotExist" => have.is_none(),
            _ => false,
        };
        if !ok {
            return false;
        }
    }
    true
}

fn labels(pairs: &[(&str, &str)], rev: Option<&str>) -> BTreeMap<String, String> {
    let mut m: BTreeMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    if let Some(r) = rev {
        m.insert("istio.io/rev".to_string(), r.to_string());
    }
    m
}

/// The revisions a webhook configuration serves: its `istio.io/rev` label and the
/// `istio.io/rev` values its selectors match on.
fn revisions(o: &Value) -> BTreeSet<String> {
    let mut revs = BTreeSet::new();
    if let Some(r) = o
        .pointer("/metadata/labels/istio.io~1rev")
        .and_then(Value::as_str)
    {
        revs.insert(r.to_string());
    }
    for hook in o
        .get("webhooks")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        for sel in ["namespaceSelector", "objectSelector"] {
            let Some(s) = hook.get(sel) else { continue };
            if let Some(r) = s
                .pointer("/matchLabels/istio.io~1rev")
                .and_then(Value::as_str)
            {
                revs.insert(r.to_string());
            }
            for e in s
                .get("matchExpressions")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if e.get("key").and_then(Value::as_str) == Some("istio.io/rev") {
                    for v in e
                        .get("values")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                    {
                        revs.insert(v.to_string());
                    }
                }
            }
        }
    }
    revs
}

struct Hook {
    obj: usize,
    index: usize,
    id: String,
    namespace_selector: Option<Value>,
    object_selector: Option<Value>,
    service: Option<(String, String)>,
}

fn injector_webhooks(cx: &Context<'_>, sink: &mut Sink) {
    let mut hooks: Vec<Hook> = Vec::new();
    let mut revs: BTreeSet<String> = BTreeSet::new();
    for (i, o) in cx.set.objects.iter().enumerate() {
        if o.kind_of() != Kind::MutatingWebhookConfiguration {
            continue;
        }
        let v = o.node().to_json();
        let tagless_default = v.pointer("/metadata/labels/istio.io~1tag").is_none()
            && v.pointer("/metadata/labels/istio.io~1rev")
                .and_then(Value::as_str)
                == Some("default");
        if tagless_default {
            continue;
        }
        let list = v
            .get("webhooks")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let r = revisions(&v);
        let istio = list.iter().any(|h| {
            h.get("name")
                .and_then(Value::as_str)
                .is_some_and(|n| n.ends_with("istio.io"))
        });
        if r.is_empty() && !istio {
            continue;
        }
        revs.extend(r);
        for (index, h) in list.iter().enumerate() {
            let name = h.get("name").and_then(Value::as_str).unwrap_or_default();
            let service = h.pointer("/clientConfig/service").and_then(|s| {
                (!s.is_null()).then(|| {
                    (
                        s.get("namespace")
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_string(),
                        s.get("name")
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_string(),
                    )
                })
            });
            hooks.push(Hook {
                obj: i,
                index,
                id: format!("{}/{name}", o.name()),
                namespace_selector: h.get("namespaceSelector").cloned(),
                object_selector: h.get("objectSelector").cloned(),
                service,
            });
        }
    }
    if hooks.is_empty() {
        return;
    }
    let ns_base: [&[(&str, &str)]; 3] = [
        &[],
        &[("istio-injection", "enabled")],
        &[("istio-injection", "disabled")],
    ];
    let obj_base: [&[(&str, &str)]; 3] = [
        &[],
        &[("sidecar.istio.io/inject", "true")],
        &[("sidecar.istio.io/inject", "false")],
    ];
    let with_revs = |base: &[&[(&str, &str)]; 3]| -> Vec<BTreeMap<String, String>> {
        let mut out: Vec<_> = base.iter().map(|b| labels(b, None)).collect();
        for r in &revs {
            out.extend(base.iter().map(|b| labels(b, Some(r))));
        }
        out
    };
    // Each overlapping hook once, with every hook it overlaps with.
    let mut overlaps: HashMap<usize, BTreeSet<String>> = HashMap::new();
    for nl in with_revs(&ns_base) {
        for ol in with_revs(&obj_base) {
            let matched: Vec<usize> = hooks
                .iter()
                .enumerate()
                .filter(|(_, h)| {
                    selector_matches(h.namespace_selector.as_ref(), &nl)
                        && selector_matches(h.object_selector.as_ref(), &ol)
                })
                .map(|(i, _)| i)
                .collect();
            if matched.len() > 1 {
                for &m in &matched {
                    let others = overlaps.entry(m).or_default();
                    for &n in &matched {
                        if n != m {
                            others.insert(hooks[n].id.clone());
                        }
                    }
                }
            }
        }
    }
    let mut order: Vec<_> = overlaps.into_iter().collect();
    order.sort_by_key(|(i, _)| *i);
    for (i, others) in order {
        let h = &hooks[i];
        sink.push(
            cx.diag(h.obj, "IST0139", &format!("webhooks[{}]", h.index), format!(
                "Webhook overlaps with others: [{}]. This may cause injection to occur twice.",
                others.into_iter().collect::<Vec<_>>().join(" ")
            ))
            .with_help("give each injector webhook selectors no pod and namespace can match together (see `istioctl tag`)"),
        );
    }
    if !cx.has("Service") {
        sink.note("injector webhook services were not checked: the input has no Service");
        return;
    }
    for h in &hooks {
        let Some((ns, name)) = &h.service else {
            continue;
        };
        if cx.service(ns, name).is_none() {
            sink.push(
                cx.diag(h.obj, "IST0139", &format!("webhooks[{}].clientConfig.service", h.index), format!(
                    "Injector refers to a control plane service that does not exist: {ns}/{name}."
                ))
                .with_help("point the webhook at istiod's Service (istiod, or istiod-<revision>, in the control-plane namespace)"),
            );
        }
    }
}

/// The host of a URL, or `None` when the URL cannot be parsed.
fn url_host(url: &str) -> Option<String> {
    if url.chars().any(|c| c.is_control() || c == ' ') {
        return None;
    }
    let rest = match url.split_once("://") {
        Some((scheme, rest)) => {
            if scheme.is_empty()
                || !scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            {
                return None;
            }
            rest
        }
        None => return Some(String::new()),
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let hostport = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if let Some(v6) = hostport.strip_prefix('[') {
        return v6.split_once(']').map(|(h, _)| h.to_string());
    }
    Some(
        hostport
            .rsplit_once(':')
            .map_or(hostport, |(h, _)| h)
            .to_string(),
    )
}

fn external_control_plane(cx: &Context<'_>, sink: &mut Sink) {
    for (i, o) in cx.set.objects.iter().enumerate() {
        let ours = match o.kind() {
            "ValidatingWebhookConfiguration" => {
                o.name() == "istiod-default-validator" || o.name().starts_with("istio-validator")
            }
            "MutatingWebhookConfiguration" => o.name().starts_with("istio-sidecar-injector"),
            _ => false,
        };
        if !ours {
            continue;
        }
        let v = o.node().to_json();
        for (index, h) in v
            .get("webhooks")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let hook = h.get("name").and_then(Value::as_str).unwrap_or_default();
            let url = h.pointer("/clientConfig/url").and_then(Value::as_str);
            let service = h
                .pointer("/clientConfig/service")
                .is_some_and(|s| !s.is_null());
            let path = format!("webhooks[{index}].clientConfig");
            match url {
                Some(url) => match url_host(url) {
                    None => sink.push(
                        cx.diag(i, "IST0163", &path, format!(
                            "The address ({url}) that was provided for the webhook ({hook}) to reach the ingress gateway on the external control plane cluster was provided in an invalid format. Traffic may not flow properly."
                        ))
                        .with_help("write the URL as https://<gateway hostname>:<port>/<path>"),
                    ),
                    Some(host) if host.parse::<std::net::IpAddr>().is_ok() => sink.push(
                        cx.diag(i, "IST0164", &path, format!(
                            "The address ({url}) that was provided for the webhook ({hook}) to reach the ingress gateway on the external control plane cluster is an IP address. This is not supported in production environments."
                        ))
                        .with_help("use a hostname that resolves to the control plane's ingress gateway"),
                    ),
                    Some(_) => {}
                },
                None if !service => sink.push(
                    cx.diag(i, "IST0163", &path, format!(
                        "The address () that was provided for the webhook ({hook}) to reach the ingress gateway on the external control plane cluster is blank. Traffic may not flow properly."
                    ))
                    .with_help("set clientConfig.url to the control plane's ingress gateway (or clientConfig.service for an in-cluster istiod)"),
                ),
                None => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{p, pairs};
    use super::*;

    #[test]
    fn overlapping_and_missing_services() {
        let input = r#"
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata: {name: inj-a}
webhooks:
- name: a.sidecar-injector.istio.io
  clientConfig: {service: {name: nowhere, namespace: istio-system}}
  namespaceSelector: {matchLabels: {istio-injection: enabled}}
---
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata: {name: inj-b}
webhooks:
- name: b.sidecar-injector.istio.io
  clientConfig: {service: {name: istiod, namespace: istio-system}}
  namespaceSelector:
    matchExpressions: [{key: istio-injection, operator: In, values: [enabled]}]
---
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata: {name: other}
webhooks:
- name: other.example.com
  clientConfig: {service: {name: nowhere, namespace: x}}
---
apiVersion: v1
kind: Service
metadata: {name: istiod, namespace: istio-system}
spec: {ports: [{port: 443}]}
"#;
        assert_eq!(
            pairs(&INJECTOR_WEBHOOKS, input),
            vec![
                p("IST0139", "MutatingWebhookConfiguration inj-a"),
                p("IST0139", "MutatingWebhookConfiguration inj-a"),
                p("IST0139", "MutatingWebhookConfiguration inj-b"),
            ]
        );
    }

    #[test]
    fn external_control_plane_urls() {
        let input = r#"
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata: {name: istio-validator-ext}
webhooks:
- name: rev.validation.istio.io
  clientConfig: {url: null}
---
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata: {name: istio-sidecar-injector-ext}
webhooks:
- name: a.sidecar-injector.istio.io
  clientConfig: {url: "https://10.0.0.1:15017/inject"}
- name: b.sidecar-injector.istio.io
  clientConfig: {url: "https://cp.example.com:15017/inject"}
"#;
        assert_eq!(
            pairs(&EXTERNAL_CONTROL_PLANE, input),
            vec![
                p(
                    "IST0163",
                    "ValidatingWebhookConfiguration istio-validator-ext"
                ),
                p(
                    "IST0164",
                    "MutatingWebhookConfiguration istio-sidecar-injector-ext"
                ),
            ]
        );
        assert_eq!(url_host("https://[::1]:80/x").as_deref(), Some("::1"));
        assert_eq!(url_host("https://a.b/x").as_deref(), Some("a.b"));
        assert_eq!(url_host("https://a b/x"), None);
    }
}
