//! The analysis context: the store's typed views of a [`ConfigSet`] (every object decoded once,
//! with the indexes analyzers look things up in: hosts, workloads, objects by name; see
//! [`crate::store::views`]), plus what only analysis needs: the mesh configuration, whether the
//! input is complete for a kind, and findings located on the objects.

use super::MeshConfig;
use crate::check::Diagnostic;
use crate::config::ConfigSet;
use crate::model::host::DEFAULT_DOMAIN;
use crate::store::Object;
pub use crate::store::views::{
    HostEntry, HostPort, HostRegistry, HostSource, Typed, Views, Workload,
};

/// Everything analyzers read: the store's typed views (reached through `Deref`: `cx.services`,
/// `cx.hosts`, `cx.select(..)`), the objects they index, and the mesh configuration.
pub struct Context<'a> {
    pub set: &'a ConfigSet,
    pub mesh: &'a MeshConfig,
    pub views: Views,
    /// Computed on first use (every Gateway asks).
    istio_installation: std::sync::OnceLock<bool>,
}

impl std::ops::Deref for Context<'_> {
    type Target = Views;
    fn deref(&self) -> &Views {
        &self.views
    }
}

impl<'a> Context<'a> {
    pub fn new(set: &'a ConfigSet, mesh: &'a MeshConfig) -> Context<'a> {
        Context::with_domain(set, mesh, DEFAULT_DOMAIN)
    }

    pub fn with_domain(set: &'a ConfigSet, mesh: &'a MeshConfig, domain: &str) -> Context<'a> {
        Context {
            set,
            mesh,
            views: Views::build(&set.objects, domain),
            istio_installation: std::sync::OnceLock::new(),
        }
    }

    pub fn obj(&self, i: usize) -> &'a Object {
        &self.set.objects[i]
    }

    /// Whether the input has objects of `kind`, or is known to have all there are (a kind
    /// listed from a whole cluster, even when it has none).
    pub fn has(&self, kind: &str) -> bool {
        self.count(kind) > 0 || self.complete(kind)
    }

    /// Whether every object of `kind` is in the input (read from a cluster, every namespace).
    pub fn complete(&self, kind: &str) -> bool {
        self.set.complete(kind)
    }

    pub fn namespace_object(&self, name: &str) -> Option<&'a Object> {
        self.views.namespace_index(name).map(|i| self.obj(i))
    }

    pub fn secret(&self, ns: &str, name: &str) -> Option<&'a Object> {
        self.views.secret_index(ns, name).map(|i| self.obj(i))
    }

    /// Whether the input describes enough of the registry to say a host does not exist, for a
    /// reference from namespace `from`: a cluster-local host when the input has a Service in
    /// the host's namespace; any other host when the input has a ServiceEntry in `from` (a
    /// ServiceEntry elsewhere says nothing about what this namespace's authors declared).
    /// A complete input (a whole cluster, or `--complete`) can always say.
    pub fn host_checkable(&self, fqdn: &str, from: &str) -> bool {
        match self.cluster_namespace(fqdn) {
            Some(ns) => self.complete("Service") || self.has_services_in(ns),
            None => self.complete("ServiceEntry") || self.has_service_entries_in(from),
        }
    }

    /// Whether the input has any workload to select from in `ns` (or anywhere). Pods read from
    /// a whole cluster are all there is: there, no workload is an answer too.
    pub fn has_workloads(&self, ns: Option<&str>) -> bool {
        if self.complete("Pod") {
            return true;
        }
        self.has_workloads_in(ns)
    }

    /// Whether the input holds (part of) an Istio installation: an istiod workload, or Istio
    /// workloads (an `istio` label) in the root namespace. Then the gateways it has are all the
    /// installation has, and none is assumed.
    pub fn has_istio_installation(&self) -> bool {
        *self.istio_installation.get_or_init(|| {
            self.workloads.iter().any(|w| {
                w.labels.get("app").is_some_and(|v| v == "istiod")
                    || (w.namespace == self.mesh.root_namespace && w.labels.contains_key("istio"))
            })
        })
    }

    /// Whether a workload is in the mesh, as Istio's analyzers decide it: it has an
    /// `istio-proxy` container; else its `sidecar.istio.io/inject` label, then annotation, says
    /// so; else its Namespace's `istio-injection=enabled` label does (ambient pods count too).
    /// A Namespace the input does not hold is unknown offline: its workloads are assumed to be
    /// in the mesh, unless the input is declared complete.
    pub fn in_mesh(&self, w: &Workload) -> bool {
        const INJECT: &str = "sidecar.istio.io/inject";
        if let Some(spec) = &w.spec
            && spec
                .containers
                .iter()
                .chain(&spec.init_containers)
                .any(|c| c.name == "istio-proxy" && !c.image.is_empty())
        {
            return true;
        }
        if w.annotations
            .get("ambient.istio.io/redirection")
            .is_some_and(|v| v == "enabled")
        {
            return true;
        }
        if let Some(v) = w.labels.get(INJECT).or_else(|| w.annotations.get(INJECT)) {
            return v == "true";
        }
        match self.namespace_object(&w.namespace) {
            Some(ns) => ns
                .meta
                .labels
                .get("istio-injection")
                .is_some_and(|v| v == "enabled"),
            None => !self.complete("Namespace"),
        }
    }

    /// A finding about object `obj` at field `path` (relative to the object root), with the
    /// catalogue's severity for `code`.
    pub fn diag(
        &self,
        obj: usize,
        code: &'static str,
        path: &str,
        message: impl Into<String>,
    ) -> Diagnostic {
        diagnostic_for(self.obj(obj), code, path, message)
    }
}

/// A finding about `o` at `path`, located on the first line of that field (or of the object).
pub fn diagnostic_for(
    o: &Object,
    code: &'static str,
    path: &str,
    message: impl Into<String>,
) -> Diagnostic {
    // Trimmed objects are located through their span table (`Object::span_of`).
    let span = if path.is_empty() {
        o.span_of("metadata.name")
    } else {
        o.span_of(path)
    };
    Diagnostic::of(code, message)
        .at(o.source(), span.first_line(&o.source().text))
        .with_path(o.full_path(path))
        .with_resource(Some(o.resource_ref()))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    const INPUT: &str = r#"
apiVersion: v1
kind: Service
metadata: {name: reviews, namespace: shop}
spec:
  selector: {app: reviews}
  ports: [{name: http, port: 9080}]
---
apiVersion: v1
kind: Service
metadata:
  name: private
  namespace: shop
  annotations: {networking.istio.io/exportTo: "."}
spec:
  ports: [{name: http, port: 80}]
---
apiVersion: networking.istio.io/v1
kind: ServiceEntry
metadata: {name: ext, namespace: shop}
spec:
  hosts: ["*.example.com"]
  exportTo: [".", "web"]
  ports: [{number: 443, name: tls, protocol: TLS}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: reviews-v1, namespace: shop}
spec:
  selector: {matchLabels: {app: reviews}}
  template:
    metadata: {labels: {app: reviews, version: v1}}
    spec:
      containers: [{name: app, image: reviews:1}]
"#;

    #[test]
    fn findings_on_trimmed_objects_are_located_as_on_whole_trees() {
        use crate::check::run::Collect;
        // Findings at a deep field, on the name, and two on one object.
        let input = format!(
            "{INPUT}---\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: r\n  namespace: shop\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination:\n        host: nowhere\n    - destination: {{host: gone.shop.svc.cluster.local}}\n---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {{name: d, namespace: shop}}\nspec:\n  host: reviews\n  subsets:\n  - name: v9\n    labels: {{version: v9}}\n"
        );
        let mesh = MeshConfig::default();
        let all: Vec<&'static super::super::Analyzer> = super::super::ANALYZERS.iter().collect();
        let located = |collect| {
            let set = crate::config::from_text_with("t.yaml", &input, collect);
            let trimmed = set
                .objects
                .iter()
                .filter(|o| o.loaded.spans.is_some())
                .count();
            let out = super::super::run(&set, &mesh, &all);
            let found: Vec<String> = out
                .findings
                .iter()
                .map(|d| {
                    let l = d.location.as_ref().expect("located");
                    format!("{} {} {:?} {:?}", d.code, l, l.end(), d.path)
                })
                .collect();
            (trimmed, found)
        };
        let (none, whole) = located(Collect::Objects);
        let (some, typed) = located(Collect::Typed);
        assert_eq!(none, 0);
        assert!(some >= 4, "{some}");
        assert!(whole.len() >= 3, "{whole:?}");
        assert!(whole.iter().any(|f| f.contains("t.yaml:46:")), "{whole:?}");
        assert_eq!(whole, typed);
    }

    #[test]
    fn registry_respects_export_to_and_wildcards() {
        let set = crate::config::from_text("t.yaml", INPUT);
        let mesh = MeshConfig::default();
        let cx = Context::new(&set, &mesh);
        let shop = vec!["shop".to_string()];
        let web = vec!["web".to_string()];
        let other = vec!["other".to_string()];
        assert!(
            cx.hosts
                .resolve("reviews.shop.svc.cluster.local", &other)
                .is_some()
        );
        assert!(
            cx.hosts
                .resolve("private.shop.svc.cluster.local", &shop)
                .is_some()
        );
        assert!(
            cx.hosts
                .resolve("private.shop.svc.cluster.local", &other)
                .is_none()
        );
        assert!(cx.hosts.resolve("api.example.com", &web).is_some());
        assert!(cx.hosts.resolve("api.example.com", &other).is_none());
        assert!(cx.hosts.resolve("example.com", &shop).is_none());
        assert!(cx.host_checkable("x.shop.svc.cluster.local", "web"));
        assert!(!cx.host_checkable("x.elsewhere.svc.cluster.local", "shop"));
        // External hosts: only where the input has ServiceEntries of the referring namespace.
        assert!(cx.host_checkable("api.example.com", "shop"));
        assert!(!cx.host_checkable("api.example.com", "web"));
        assert_eq!(cx.cluster_namespace("a.b.svc.cluster.local"), Some("b"));
        assert_eq!(cx.cluster_namespace("a.example.com"), None);
    }

    #[test]
    fn workloads_are_synthesised_and_indexed() {
        let set = crate::config::from_text("t.yaml", INPUT);
        let mesh = MeshConfig::default();
        let cx = Context::new(&set, &mesh);
        assert_eq!(cx.workloads.len(), 1);
        let sel: BTreeMap<String, String> = [("version".to_string(), "v1".to_string())].into();
        assert_eq!(cx.select(Some("shop"), &sel).len(), 1);
        assert_eq!(cx.select(Some("web"), &sel).len(), 0);
        let none: BTreeMap<String, String> = [("version".to_string(), "v9".to_string())].into();
        assert!(cx.select(None, &none).is_empty());
        assert_eq!(cx.select(Some("shop"), &BTreeMap::new()).len(), 1);
    }
}
