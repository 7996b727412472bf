//! The store: every object of one run, held once, with its identity. It sits between the
//! model and the checks (`load → model → store → check/analyze/route/diff → report`): it knows
//! the typed model and where each object was read (to locate findings), and nothing of
//! validation, findings or output. [`ObjectId`] is the one identity of a resource that
//! deduplication, the cluster overlay and `diff` use; [`kinds::Kind`] is the one dispatch on
//! (API group, kind); [`views::Views`] are the typed per-kind views with their indexes (hosts
//! by FQDN with visibility, workloads by namespace and label, services, gateways, destination
//! rules...), built once, that analysis reads.
//!
//! `crate::config` (above `check`) reads and validates inputs into a `ConfigSet`, which holds
//! the store's objects next to validation's findings.

pub mod kinds;
pub mod spec;
pub mod views;

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::load::{Node, Source, Span, SpanTable, Value};
use crate::model::kinds::KindInfo;
use crate::model::meta::ObjectMeta;

/// What identifies a resource: API group (not version), kind, namespace and name. Two
/// definitions with the same identity are the same resource (the later one wins when applied).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ObjectId {
    pub group: String,
    pub kind: String,
    /// Empty for cluster-scoped kinds; `default` for namespaced ones written without one.
    pub namespace: String,
    pub name: String,
}

impl ObjectId {
    pub fn new(group: &str, kind: &str, namespace: &str, name: &str) -> ObjectId {
        ObjectId {
            group: group.to_string(),
            kind: kind.to_string(),
            namespace: namespace.to_string(),
            name: name.to_string(),
        }
    }

    /// `namespace/name`, or `name` for cluster-scoped kinds.
    pub fn namespace_name(&self) -> String {
        if self.namespace.is_empty() {
            self.name.clone()
        } else {
            format!("{}/{}", self.namespace, self.name)
        }
    }
}

impl fmt::Display for ObjectId {
    /// `VirtualService default/reviews`; the group is added for kinds outside the core and
    /// Istio groups (`Deployment.apps team-a/web`, `Gateway.gateway.networking.k8s.io ...`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.group.is_empty() || self.group.ends_with(".istio.io") {
            f.write_str(&self.kind)?;
        } else {
            write!(f, "{}.{}", self.kind, self.group)?;
        }
        if self.namespace.is_empty() {
            write!(f, " {}", self.name)
        } else {
            write!(f, " {}/{}", self.namespace, self.name)
        }
    }
}

/// One Kubernetes object as read from a source, after validation.
#[derive(Debug, Clone)]
pub struct LoadedObject {
    pub source: Arc<Source>,
    /// The object's root node (a list item for `List`s). Once [`LoadedObject::settle`] has
    /// trimmed it (the object has `spans`), only its span and `status` are left:
    /// [`LoadedObject::tree`] reads the rest again from the document.
    pub node: Node,
    /// Field path of the object inside its document (`items[3]` for list items, else empty).
    pub prefix: String,
    pub info: &'static KindInfo,
    pub api_version: String,
    pub name: String,
    /// The namespace as written; `None` when the document has none.
    pub namespace: Option<String>,
    /// Validation found an error: Istio (or the API server) would reject the object.
    pub rejected: bool,
    /// Byte offset of the object in its source (document order inside one source).
    pub offset: u32,
    /// When the schema walk found problems: the object with the offending fields left out, so
    /// analysis can still read the rest of it (`None` for objects that passed the walk).
    pub pruned: Option<serde_json::Value>,
    /// Byte span of the YAML document the object was read from.
    pub doc: Span,
    /// Where the fields of the object are, when its tree was dropped once decoded (see
    /// [`LoadedObject::settle`]); `None` while it keeps its tree.
    pub spans: Option<SpanTable>,
    /// `metadata`, decoded by [`LoadedObject::settle`] (moved to [`Object::meta`] in a set).
    pub meta: Option<Box<ObjectMeta>>,
    /// The typed spec, decoded by [`LoadedObject::settle`].
    pub spec: spec::Spec,
}

impl LoadedObject {
    /// Decodes the object's metadata and typed spec (once, where the object is read). With
    /// `trim`, the tree of an object whose typed spec holds everything analysis reads of it
    /// ([`spec::Spec::holds_all_read`]) is dropped but for its `status`: the object is then held
    /// once, typed, with a [`SpanTable`] to locate its fields. Objects in a `List`, objects with
    /// schema problems (read through their pruned copy) and objects whose keys the table cannot
    /// read keep their trees.
    pub fn settle(&mut self, trim: bool) {
        let meta: ObjectMeta = self
            .node
            .get("metadata")
            .and_then(|m| serde::Deserialize::deserialize(m).ok())
            .unwrap_or_default();
        self.spec = spec::Spec::decode(self, &meta);
        self.meta = Some(Box::new(meta));
        if !(trim && self.prefix.is_empty() && self.pruned.is_none() && self.spec.holds_all_read())
        {
            return;
        }
        // An object whose keys the table cannot read keeps its tree.
        let Some(table) = SpanTable::of(&self.node, &self.source.text) else {
            return;
        };
        let status = match &mut self.node.value {
            Value::Map(entries) => entries
                .iter()
                .position(|e| e.key == "status")
                .map(|i| entries.swap_remove(i)),
            _ => None,
        };
        self.node.value = Value::Map(status.into_iter().collect());
        self.spans = Some(table);
    }

    /// The object's whole tree: the kept one, or for a trimmed object its document parsed
    /// again (what it was read from; the object is the document's root).
    pub fn tree(&self) -> Cow<'_, Node> {
        if self.spans.is_none() {
            return Cow::Borrowed(&self.node);
        }
        let text = self.source.text.get(self.doc.range()).unwrap_or_default();
        let mut root = None;
        crate::load::yaml::parse_stream(text, self.doc.start as usize, |d| {
            if root.is_none() {
                root = d.root;
            }
        });
        match root {
            Some(r) if r.span == self.node.span => Cow::Owned(r),
            // Not the document it came from (cannot happen for an unchanged source): what is
            // kept is all there is.
            _ => Cow::Borrowed(&self.node),
        }
    }

    /// The object's `status`, if written (kept when the tree is trimmed).
    pub fn status(&self) -> Option<&Node> {
        self.node.get("status")
    }

    /// Decodes the field at a dotted path of keys (`spec.template`; empty: the whole object)
    /// into its typed model. For an object with schema problems the fields validation rejected
    /// are left out, so the rest still decodes.
    pub fn decode_at<T: DeserializeOwned>(&self, path: &str) -> Option<T> {
        let keys = path.split('.').filter(|k| !k.is_empty());
        if let Some(p) = &self.pruned {
            let mut v: &serde_json::Value = p;
            for k in keys {
                v = v.get(k)?;
            }
            return T::deserialize(v).ok();
        }
        let tree = self.tree();
        let mut n: &Node = &tree;
        for k in keys {
            n = n.get(k)?;
        }
        T::deserialize(n).ok()
    }
}

/// One object of a config set.
#[derive(Debug, Clone)]
pub struct Object {
    pub loaded: LoadedObject,
    pub meta: ObjectMeta,
    /// Position in the set (input order).
    pub seq: usize,
}

impl Object {
    pub fn group(&self) -> &'static str {
        self.loaded.info.group
    }
    pub fn kind(&self) -> &'static str {
        self.loaded.info.kind
    }
    pub fn name(&self) -> &str {
        &self.loaded.name
    }
    /// The namespace, `default` for namespaced objects written without one (as `kubectl apply`
    /// would place them), empty for cluster-scoped kinds.
    pub fn namespace(&self) -> &str {
        match (&self.loaded.namespace, self.loaded.info.namespaced) {
            (_, false) => "",
            (Some(ns), true) => ns,
            (None, true) => "default",
        }
    }
    /// The object's identity: API group, kind, effective namespace, name.
    pub fn id(&self) -> ObjectId {
        ObjectId::new(self.group(), self.kind(), self.namespace(), self.name())
    }
    /// [`Object::id`] borrowed (group, kind, namespace, name): for hashing many objects
    /// without allocating.
    pub fn id_ref(&self) -> (&'static str, &'static str, &str, &str) {
        (self.group(), self.kind(), self.namespace(), self.name())
    }
    pub fn rejected(&self) -> bool {
        self.loaded.rejected
    }
    /// `namespace/name` (or `name` for cluster-scoped kinds).
    pub fn key(&self) -> String {
        if self.loaded.info.namespaced {
            format!("{}/{}", self.namespace(), self.name())
        } else {
            self.name().to_string()
        }
    }
    pub fn source(&self) -> &Arc<Source> {
        &self.loaded.source
    }
    /// The object's whole tree (for a trimmed object, parsed again from its source: prefer the
    /// typed views, and [`Object::status`] for `status`).
    pub fn node(&self) -> Cow<'_, Node> {
        self.loaded.tree()
    }
    /// The byte span of the whole object in its source.
    pub fn span(&self) -> Span {
        self.loaded.node.span
    }
    /// The object's `status`, if written.
    pub fn status(&self) -> Option<&Node> {
        self.loaded.status()
    }
    /// The pods a workload object describes (a Pod itself, or a controller's pod template),
    /// typed; `None` for kinds that make no pods.
    pub fn pod_template(&self) -> Option<&spec::PodTemplate> {
        match &self.loaded.spec {
            spec::Spec::Workload(t) => Some(t),
            _ => None,
        }
    }
    /// The typed pod spec of a workload object (see [`Object::pod_template`]).
    pub fn pod_spec(&self) -> Option<&crate::model::kube::PodSpec> {
        self.pod_template()?.spec.as_deref()
    }
    /// Whether the schema walk found problems in the object (its typed decodings leave the
    /// offending fields out; the tree still has them as written).
    pub fn has_schema_problems(&self) -> bool {
        self.loaded.pruned.is_some()
    }
    /// Decodes `spec` into its typed model (`None` when absent or not decodable). For an object
    /// with schema problems the fields validation rejected are left out, so the rest still
    /// decodes.
    pub fn spec<T: DeserializeOwned>(&self) -> Option<T> {
        self.loaded.decode_at("spec")
    }
    /// Whether the object has a `spec` (after leaving out rejected fields, as `spec` does).
    pub fn has_spec(&self) -> bool {
        match (&self.loaded.pruned, &self.loaded.spans) {
            (Some(p), _) => p.get("spec").is_some(),
            (None, Some(table)) => table.locate("spec", &self.loaded.source.text).1,
            (None, None) => self.node().get("spec").is_some(),
        }
    }
    /// Decodes the field at a dotted path of keys (`spec.template`; empty: the whole object)
    /// into its typed model, leaving out rejected fields as `spec` does.
    pub fn decode_at<T: DeserializeOwned>(&self, path: &str) -> Option<T> {
        self.loaded.decode_at(path)
    }
    /// Decodes the whole object into its typed model (leaving out rejected fields, as `spec`).
    pub fn decode<T: DeserializeOwned>(&self) -> Option<T> {
        self.loaded.decode_at("")
    }
    /// The span of a field path inside the object (its deepest existing ancestor's when not
    /// found).
    pub fn span_of(&self, path: &str) -> Span {
        match &self.loaded.spans {
            Some(t) => t.locate(path, &self.loaded.source.text).0,
            None => self.node().locate(path).0,
        }
    }
    /// The full field path of `path` inside the document (list items carry a prefix).
    pub fn full_path(&self, path: &str) -> String {
        match (self.loaded.prefix.is_empty(), path.is_empty()) {
            (true, _) => path.to_string(),
            (false, true) => self.loaded.prefix.clone(),
            (false, false) => format!("{}.{path}", self.loaded.prefix),
        }
    }
    /// `creationTimestamp` as written (RFC 3339 strings sort chronologically), if any.
    pub fn creation_timestamp(&self) -> Option<&str> {
        self.meta
            .creation_timestamp
            .as_ref()
            .and_then(|v| v.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_display_and_order() {
        let vs = ObjectId::new(
            "networking.istio.io",
            "VirtualService",
            "default",
            "reviews",
        );
        assert_eq!(vs.to_string(), "VirtualService default/reviews");
        let dep = ObjectId::new("apps", "Deployment", "team-a", "web");
        assert_eq!(dep.to_string(), "Deployment.apps team-a/web");
        let ns = ObjectId::new("", "Namespace", "", "shop");
        assert_eq!(ns.to_string(), "Namespace shop");
        assert_eq!(ns.namespace_name(), "shop");
        assert_eq!(vs.namespace_name(), "default/reviews");
        // The group is part of the identity: an Istio and a Gateway API Gateway differ.
        let a = ObjectId::new("networking.istio.io", "Gateway", "x", "gw");
        let b = ObjectId::new("gateway.networking.k8s.io", "Gateway", "x", "gw");
        assert_ne!(a, b);
    }

    const TRIMMABLE: &str = "# a comment first\napiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: r, namespace: shop, labels: {app: r}}\nspec:\n  hosts: [r]\n  http:\n  - route:\n    - destination: {host: r}\nstatus: {observedGeneration: 2}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {k: v}\n---\napiVersion: v1\nkind: List\nitems:\n- apiVersion: networking.istio.io/v1\n  kind: VirtualService\n  metadata: {name: in-list}\n  spec: {hosts: [x]}\n";

    #[test]
    fn settled_objects_keep_their_tree_only_where_analysis_reads_it() {
        use crate::check::run::Collect;
        let whole = crate::config::from_text_with("t.yaml", TRIMMABLE, Collect::Objects);
        let typed = crate::config::from_text_with("t.yaml", TRIMMABLE, Collect::Typed);
        assert_eq!(typed.objects.len(), 3);
        let trimmed: Vec<bool> = typed
            .objects
            .iter()
            .map(|o| o.loaded.spans.is_some())
            .collect();
        // The VirtualService is held typed; the ConfigMap (read raw by analyzers) and the List
        // item (not a document root) keep their trees.
        assert_eq!(trimmed, [true, false, false]);
        assert!(whole.objects.iter().all(|o| o.loaded.spans.is_none()));
        let (w, t) = (&whole.objects[0], &typed.objects[0]);
        // Kept: the span, `status`, the metadata and the typed spec.
        assert!(matches!(t.loaded.node.value, Value::Map(ref e) if e.len() == 1));
        assert_eq!(t.span(), w.span());
        assert_eq!(t.status(), w.status());
        assert_eq!(t.meta, w.meta);
        match (&t.loaded.spec, &w.loaded.spec) {
            (spec::Spec::VirtualService(a), spec::Spec::VirtualService(b)) => {
                assert_eq!(a.hosts, ["r"]);
                assert_eq!(a, b);
            }
            other => panic!("{other:?}"),
        }
        // The whole tree, read again from the source, is the tree that was dropped: the same
        // values and spans.
        assert_eq!(*t.node(), *w.node());
        assert_eq!(
            t.span_of("spec.http[0].route[0].destination.host"),
            w.span_of("spec.http[0].route[0].destination.host")
        );
        assert_eq!(
            t.spec::<crate::model::networking::VirtualService>(),
            w.spec()
        );
        assert!(t.has_spec() && w.has_spec());
    }

    #[test]
    fn objects_whose_keys_the_span_table_cannot_read_keep_their_tree() {
        let text = "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: r}\nspec:\n  hosts: [r]\n  http:\n  - match:\n    - headers: {\"x\\u002dy\": {exact: a}}\n";
        let set = crate::config::from_text_with("t.yaml", text, crate::check::run::Collect::Typed);
        let o = &set.objects[0];
        assert!(o.loaded.spans.is_none());
        assert!(o.node().get("spec").is_some());
        assert!(matches!(o.loaded.spec, spec::Spec::VirtualService(_)));
    }

    #[test]
    fn objects_know_their_identity() {
        let set = crate::config::from_text(
            "t.yaml",
            "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: r}\nspec: {hosts: [r]}\n",
        );
        let o = &set.objects[0];
        assert_eq!(
            o.id(),
            ObjectId::new("networking.istio.io", "VirtualService", "default", "r")
        );
    }
}
