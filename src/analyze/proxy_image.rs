//! Proxy images out of date (IST0158): pods of an injected namespace whose `istio-proxy` image
//! is not the one the namespace's sidecar-injector ConfigMap would inject today, typically pods
//! not restarted since the control plane was upgraded.

use std::collections::BTreeMap;

use serde_json::Value;

use super::context::Context;
use super::metadata::{injector_config_map, injector_values};
use super::{Analyzer, Sink};
use crate::store::kinds::Kind;

pub const PROXY_IMAGE: Analyzer = Analyzer {
    name: "injection.ImageAnalyzer",
    description: "Checks that the proxies of pods in injected namespaces run the image the injector configuration names",
    codes: &["IST0158"],
    run: proxy_image,
};

/// The proxy image an injector ConfigMap injects: `global.proxy.image` when it is a full
/// reference, else `hub/image:tag`.
fn injected_image(values: &Value) -> String {
    let s = |p: &str| {
        values
            .pointer(p)
            .and_then(Value::as_str)
            .unwrap_or_default()
    };
    let image = s("/global/proxy/image");
    if image.contains('/') {
        image.to_string()
    } else {
        format!("{}/{image}:{}", s("/global/hub"), s("/global/tag"))
    }
}

/// The image variant (`distroless`, `debug`) of a pod: MeshConfig, then ProxyConfigs of the
/// root namespace, the pod's namespace and its workload, then the pod's `proxy.istio.io/config`
/// annotation; `default` is none.
fn image_type(cx: &Context<'_>, pod: &crate::store::Object) -> String {
    let mut variant = cx.mesh.image_type.clone();
    let pc_type = |o: &crate::store::Object| -> Option<String> {
        o.node()
            .to_json()
            .pointer("/spec/image/imageType")
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
    };
    let proxy_configs: Vec<&crate::store::Object> = cx
        .set
        .objects
        .iter()
        .filter(|o| o.kind_of() == Kind::ProxyConfig)
        .collect();
    let has_selector = |o: &crate::store::Object| {
        o.node()
            .get("spec")
            .and_then(|s| s.get("selector"))
            .is_some_and(|s| !s.to_json().is_null())
    };
    for o in &proxy_configs {
        if o.namespace() == cx.mesh.root_namespace
            && let Some(t) = pc_type(o)
        {
            variant = t;
        }
    }
    for o in &proxy_configs {
        if o.namespace() != cx.mesh.root_namespace
            && o.namespace() == pod.namespace()
            && !has_selector(o)
            && let Some(t) = pc_type(o)
        {
            variant = t;
        }
    }
    for o in &proxy_configs {
        if o.namespace() == cx.mesh.root_namespace
            || o.namespace() != pod.namespace()
            || !has_selector(o)
        {
            continue;
        }
        let sel: BTreeMap<String, String> = o
            .node()
            .to_json()
            .pointer("/spec/selector/matchLabels")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                    .collect()
            })
            .unwrap_or_default();
        if sel.iter().all(|(k, v)| pod.meta.labels.get(k) == Some(v))
            && let Some(t) = pc_type(o)
        {
            variant = t;
        }
    }
    if let Some(a) = pod.meta.annotations.get("proxy.istio.io/config")
        && let Ok(mc) = super::mesh::MeshConfig::from_text(&format!(
            "defaultConfig:\n{}",
            a.lines().map(|l| format!("  {l}\n")).collect::<String>()
        ))
        && !mc.image_type.is_empty()
    {
        variant = mc.image_type;
    }
    if variant == "default" {
        variant.clear();
    }
    variant
}

fn proxy_image(cx: &Context<'_>, sink: &mut Sink) {
    let images: BTreeMap<&str, String> = cx
        .set
        .objects
        .iter()
        .filter(|o| {
            o.kind_of() == Kind::ConfigMap && o.name().starts_with("istio-sidecar-injector")
        })
        .map(|o| {
            (
                o.name(),
                injector_values(o)
                    .map(|v| injected_image(&v))
                    .unwrap_or_default(),
            )
        })
        .collect();
    if images.is_empty() {
        return;
    }
    // Injected namespaces and the revision that injects them.
    let mut injected: BTreeMap<&str, (usize, String)> = BTreeMap::new();
    for (i, o) in cx.set.objects.iter().enumerate() {
        if o.kind_of() != Kind::Namespace {
            continue;
        }
        let rev = o.meta.labels.get("istio.io/rev");
        if let Some(r) = rev {
            injected.insert(o.name(), (i, r.clone()));
        } else if o.meta.labels.get("istio-injection").map(String::as_str) == Some("enabled") {
            injected.insert(o.name(), (i, "default".to_string()));
        }
    }
    let mut mismatched: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for o in &cx.set.objects {
        if o.kind_of() != Kind::Pod {
            continue;
        }
        let Some((_, rev)) = injected.get(o.namespace()) else {
            continue;
        };
        if o.meta
            .annotations
            .get("sidecar.istio.io/proxyImage")
            .is_some_and(|v| !v.is_empty())
        {
            continue;
        }
        let Some(spec) = o.pod_spec() else {
            continue;
        };
        let Some(want) = images.get(injector_config_map(Some(rev)).as_str()) else {
            continue;
        };
        let variant = image_type(cx, o);
        for c in spec.containers.iter().chain(&spec.init_containers) {
            if c.name == "istio-proxy" && c.image != *want && c.image != format!("{want}-{variant}")
            {
                mismatched.entry(o.namespace()).or_default().push(o.name());
            }
        }
    }
    for (ns, mut pods) in mismatched {
        let Some(&(obj, _)) = injected.get(ns) else {
            continue;
        };
        pods.sort_unstable();
        sink.push(
            cx.diag(obj, "IST0158", "metadata.name", format!(
                "The Istio proxy images of the pods running in the namespace do not match the image defined in the injection configuration (pod names: [{}]). This often happens after upgrading the Istio control-plane and can be fixed by redeploying the pods.",
                pods.join(" ")
            ))
            .with_help(format!("restart the workloads of namespace {ns} (kubectl rollout restart) so they are injected with the current proxy")),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{p, pairs};
    use super::*;

    #[test]
    fn stale_proxies() {
        let input = r#"
apiVersion: v1
kind: ConfigMap
metadata: {name: istio-sidecar-injector, namespace: istio-system}
data:
  values: '{"global": {"hub": "docker.io/istio", "tag": "1.28.3", "proxy": {"image": "proxyv2"}}}'
---
apiVersion: v1
kind: Namespace
metadata: {name: app, labels: {istio-injection: enabled}}
---
apiVersion: v1
kind: Pod
metadata: {name: old, namespace: app}
spec: {containers: [{name: app, image: app}, {name: istio-proxy, image: "docker.io/istio/proxyv2:1.27.0"}]}
---
apiVersion: v1
kind: Pod
metadata: {name: new, namespace: app}
spec: {containers: [{name: istio-proxy, image: "docker.io/istio/proxyv2:1.28.3"}]}
---
apiVersion: v1
kind: Pod
metadata: {name: custom, namespace: app, annotations: {sidecar.istio.io/proxyImage: mine}}
spec: {containers: [{name: istio-proxy, image: mine}]}
"#;
        assert_eq!(
            pairs(&PROXY_IMAGE, input),
            vec![p("IST0158", "Namespace app")]
        );
    }
}
