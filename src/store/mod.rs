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
pub mod views;

use std::fmt;
use std::sync::Arc;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::load::{Node, Source, Span};
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
    /// The object's root node (a list item for `List`s).
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
    pub fn node(&self) -> &Node {
        &self.loaded.node
    }
    /// Decodes `spec` into its typed model (`None` when absent or not decodable). For an object
    /// with schema problems the fields validation rejected are left out, so the rest still
    /// decodes.
    pub fn spec<T: DeserializeOwned>(&self) -> Option<T> {
        if let Some(p) = &self.loaded.pruned {
            return T::deserialize(p.get("spec")?).ok();
        }
        let spec = self.loaded.node.get("spec")?;
        T::deserialize(spec).ok()
    }
    /// Whether the object has a `spec` (after leaving out rejected fields, as `spec` does).
    pub fn has_spec(&self) -> bool {
        match &self.loaded.pruned {
            Some(p) => p.get("spec").is_some(),
            None => self.loaded.node.get("spec").is_some(),
        }
    }
    /// Decodes the field at a dotted path of keys (`spec.template`; empty: the whole object)
    /// into its typed model, leaving out rejected fields as `spec` does.
    pub fn decode_at<T: DeserializeOwned>(&self, path: &str) -> Option<T> {
        let keys = path.split('.').filter(|k| !k.is_empty());
        if let Some(p) = &self.loaded.pruned {
            let mut v: &serde_json::Value = p;
            for k in keys {
                v = v.get(k)?;
            }
            return T::deserialize(v).ok();
        }
        let mut n = &self.loaded.node;
        for k in keys {
            n = n.get(k)?;
        }
        T::deserialize(n).ok()
    }
    /// Decodes the whole object into its typed model (leaving out rejected fields, as `spec`).
    pub fn decode<T: DeserializeOwned>(&self) -> Option<T> {
        if let Some(p) = &self.loaded.pruned {
            return T::deserialize(p).ok();
        }
        T::deserialize(&self.loaded.node).ok()
    }
    /// The span of a field path inside the object (the object's first line when not found).
    pub fn span_of(&self, path: &str) -> Span {
        self.loaded.node.locate(path).0
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
