//! `image: auto` on an `istio-proxy` container (IST0146, IST0147): the placeholder the injector
//! replaces. A Pod that still has it was never injected and cannot start; a Deployment whose
//! pods no Istio injector webhook selects will create such pods.

use serde_json::Value;

use super::context::Context;
use super::webhook::selector_matches;
use super::{Analyzer, Sink};
use crate::model::kube::PodSpec;
use crate::store::kinds::Kind;

pub const IMAGE_AUTO: Analyzer = Analyzer {
    name: "injection.ImageAutoAnalyzer",
    description: "Checks that Pods and Deployments with `image: auto` proxies are injected by an Istio webhook",
    codes: &["IST0146", "IST0147"],
    run: image_auto,
};

fn has_auto(spec: &PodSpec) -> bool {
    spec.containers
        .iter()
        .any(|c| c.name == "istio-proxy" && c.image == "auto")
}

fn image_auto(cx: &Context<'_>, sink: &mut Sink) {
    let mut hooks: Vec<(Option<Value>, Option<Value>)> = Vec::new();
    for o in &cx.set.objects {
        if o.kind_of() != Kind::MutatingWebhookConfiguration {
            continue;
        }
        let v = o.node().to_json();
        for h in v
            .get("webhooks")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if h.get("name")
                .and_then(Value::as_str)
                .is_some_and(|n| n.ends_with("istio.io"))
            {
                hooks.push((
                    h.get("namespaceSelector").cloned(),
                    h.get("objectSelector").cloned(),
                ));
            }
        }
    }
    let mut unchecked = 0usize;
    for (i, o) in cx.set.objects.iter().enumerate() {
        match o.kind_of() {
            Kind::Pod if o.pod_spec().is_some_and(has_auto) => {
                sink.push(
                    cx.diag(i, "IST0147", "spec.containers", format!(
                        "Pod {} contains `image: auto` but does not match any Istio injection webhook selectors.",
                        o.name()
                    ))
                    .with_help("`image: auto` is replaced by the injector when it creates the pod; create pods through a controller in an injected namespace, or set the proxy image"),
                );
            }
            Kind::Deployment => {
                let Some(t) = o.pod_template() else {
                    continue;
                };
                if !t.spec.as_deref().is_some_and(has_auto) {
                    continue;
                }
                if hooks.is_empty() && !cx.has("MutatingWebhookConfiguration") {
                    unchecked += 1;
                    continue;
                }
                let ns_labels = cx
                    .namespace_object(o.namespace())
                    .map(|n| n.meta.labels.clone())
                    .unwrap_or_default();
                let injected = hooks.iter().any(|(nsel, osel)| {
                    selector_matches(nsel.as_ref(), &ns_labels)
                        && selector_matches(osel.as_ref(), &t.labels)
                });
                if !injected {
                    sink.push(
                        cx.diag(i, "IST0146", "spec.template.spec.containers", format!(
                            "Deployment {} contains `image: auto` but does not match any Istio injection webhook selectors.",
                            o.name()
                        ))
                        .with_help("label the namespace (istio-injection=enabled or istio.io/rev) or the pod template so an Istio injector webhook selects it"),
                    );
                }
            }
            _ => {}
        }
    }
    if unchecked > 0 {
        sink.note(format!(
            "{unchecked} Deployment(s) with `image: auto` were not checked: the input has no MutatingWebhookConfiguration"
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{p, pairs};
    use super::*;

    #[test]
    fn auto_images() {
        let input = r#"
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata: {name: istio-sidecar-injector}
webhooks:
- name: namespace.sidecar-injector.istio.io
  namespaceSelector: {matchLabels: {istio-injection: enabled}}
---
apiVersion: v1
kind: Namespace
metadata: {name: injected, labels: {istio-injection: enabled}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ok, namespace: injected}
spec:
  selector: {matchLabels: {app: a}}
  template:
    metadata: {labels: {app: a}}
    spec: {containers: [{name: istio-proxy, image: auto}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: gw, namespace: plain}
spec:
  selector: {matchLabels: {app: a}}
  template:
    metadata: {labels: {app: a}}
    spec: {containers: [{name: istio-proxy, image: auto}]}
---
apiVersion: v1
kind: Pod
metadata: {name: pod, namespace: injected}
spec: {containers: [{name: istio-proxy, image: auto}]}
"#;
        assert_eq!(
            pairs(&IMAGE_AUTO, input),
            vec![
                p("IST0146", "Deployment plain/gw"),
                p("IST0147", "Pod injected/pod"),
            ]
        );
    }
}
