//! Reading a cluster's configuration: the kinds a command needs, listed concurrently and page by
//! page, turned into sources meshctl validates like files ([`crate::load::Origin::Cluster`]).
//!
//! - Istio and Gateway API kinds are found through discovery: a group the cluster does not
//!   serve (CRDs not installed) is skipped with a note.
//! - A 403 on one kind does not abort the run: the kind is reported as unreadable and the
//!   analysers that need it see none of it.
//! - Secrets are listed as metadata only (`PartialObjectMetadata`): no secret value ever
//!   reaches meshctl.
//! - `metadata.managedFields` is dropped: it is the server's bookkeeping, large, and never
//!   what a finding is about.

use std::collections::HashMap;
use std::sync::Arc;

use futures::future::join_all;
use kube::api::{Api, DynamicObject, ListParams};
use kube::core::{ApiResource, GroupVersionKind, TypeMeta};
use kube::discovery;
use serde_json::Value as Json;

use super::{CallError, Cluster};
use crate::Error;
use crate::load::{Origin, Source};
use crate::model::kinds::{self, Decoding, KindInfo};

/// Objects per list page (kubectl's default chunk size is 500).
const PAGE: u32 = 500;

/// Which namespaces to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every namespace.
    All,
    /// One namespace. Lists are still cluster-wide when allowed (objects in other namespaces,
    /// such as the ingress gateway's in istio-system, decide what happens in this one); a
    /// user whose rights end at the namespace gets that namespace's objects.
    Namespace(String),
}

/// The kinds `analyze` reads: every Istio kind, the modelled Gateway API kinds, and the
/// Kubernetes objects the analysers look at.
pub fn analysis_kinds() -> Vec<&'static KindInfo> {
    wanted(&[
        ("", "Namespace"),
        ("", "Service"),
        ("", "Pod"),
        ("", "Secret"),
        ("apps", "Deployment"),
        ("apps", "StatefulSet"),
        ("apps", "DaemonSet"),
    ])
}

/// The kinds routing reads: every Istio kind, the modelled Gateway API kinds, and Services.
pub fn routing_kinds() -> Vec<&'static KindInfo> {
    wanted(&[("", "Service")])
}

fn wanted(builtin: &[(&str, &str)]) -> Vec<&'static KindInfo> {
    let mut out: Vec<&'static KindInfo> = kinds::KINDS
        .iter()
        .filter(|k| k.is_istio() || (k.group == "gateway.networking.k8s.io" && k.schema.is_some()))
        .collect();
    out.extend(builtin.iter().filter_map(|(g, k)| kinds::lookup(g, k)));
    out
}

/// What was read from the cluster.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// One source per kind with objects, in the order of the requested kinds.
    pub sources: Vec<Arc<Source>>,
    /// Objects read.
    pub objects: usize,
    /// Kinds that could not be read for lack of rights: (kind, the server's reason).
    pub forbidden: Vec<(String, String)>,
    /// Things the user should know (groups not served, namespace-only reads).
    pub notes: Vec<String>,
    /// Kinds read in every namespace: all objects of these kinds there are.
    pub complete: Vec<&'static str>,
    /// The namespace the read was limited to, when the cluster says it does not exist.
    pub missing_namespace: Option<String>,
}

impl Snapshot {
    /// Whether `kind` (e.g. `Secret`) could not be read.
    pub fn is_forbidden(&self, kind: &str) -> bool {
        self.forbidden.iter().any(|(k, _)| k == kind)
    }
}

/// The outcome of listing one kind.
enum Listed {
    Objects(Vec<String>, Option<String>),
    Forbidden(String),
    NotServed,
}

impl Cluster {
    /// Lists `kinds` in `scope` concurrently. Fails (exit 3) when the cluster cannot be reached
    /// or rejects the credentials; a kind the user may not list is recorded, not fatal.
    pub async fn snapshot(
        &self,
        kinds: &[&'static KindInfo],
        scope: &Scope,
    ) -> Result<Snapshot, Error> {
        let mut snapshot = Snapshot::default();
        let resources = self.resolve(kinds, &mut snapshot).await?;
        let lists = join_all(
            resources
                .iter()
                .map(|(info, ar)| self.list_kind(info, ar, scope)),
        )
        .await;
        for ((info, _), listed) in resources.iter().zip(lists) {
            match listed? {
                Listed::Objects(docs, note) => {
                    match note {
                        Some(n) => snapshot.notes.push(n),
                        None => snapshot.complete.push(info.kind),
                    }
                    if docs.is_empty() {
                        continue;
                    }
                    snapshot.objects += docs.len();
                    let name = format!("cluster {}", plural_label(info));
                    snapshot.sources.push(Source::with_origin(
                        name,
                        docs.join("---\n"),
                        Origin::Cluster,
                    ));
                }
                Listed::Forbidden(reason) => {
                    snapshot.forbidden.push((info.kind.to_string(), reason));
                }
                Listed::NotServed => snapshot.notes.push(format!(
                    "the cluster does not serve {} ({}); none were read",
                    plural_label(info),
                    if info.group.is_empty() {
                        "v1"
                    } else {
                        info.group
                    }
                )),
            }
        }
        if !snapshot.forbidden.is_empty() && snapshot.complete.is_empty() && snapshot.objects == 0 {
            let (kind, reason) = &snapshot.forbidden[0];
            return Err(Error::Cluster(format!(
                "not allowed to read anything meshctl needs from {} (context {}): listing {kind} objects: {reason}; ask for RBAC rights to list Istio resources and Services, or use a context that has them",
                self.server, self.context
            )));
        }
        Ok(snapshot)
    }

    /// The mesh configuration of the cluster: `data.mesh` of the `istio` ConfigMap in
    /// `namespace` (istio-system), as Istio reads it; `None` when there is none or it may not
    /// be read.
    pub async fn mesh_config(&self, namespace: &str) -> Result<Option<String>, Error> {
        let ar = ApiResource::from_gvk(&GroupVersionKind::gvk("", "v1", "ConfigMap"));
        let api: Api<DynamicObject> = Api::namespaced_with(self.client.clone(), namespace, &ar);
        match self.call(api.get_opt("istio")).await {
            Ok(cm) => Ok(cm.and_then(|cm| {
                cm.data
                    .pointer("/data/mesh")
                    .and_then(Json::as_str)
                    .map(str::to_string)
            })),
            Err(e) if e.status() == Some(403) => Ok(None),
            Err(e) => Err(self.fail(
                &e,
                &format!("reading the mesh configuration (ConfigMap {namespace}/istio)"),
            )),
        }
    }

    /// Whether namespace `name` exists: `Some(false)` only when the API server says it does not
    /// (404); `None` when it may not be read (403) and the answer is unknown.
    pub async fn namespace_exists(&self, name: &str) -> Result<Option<bool>, Error> {
        let ar = ApiResource::from_gvk(&GroupVersionKind::gvk("", "v1", "Namespace"));
        let api: Api<DynamicObject> = Api::all_with(self.client.clone(), &ar);
        match self.call(api.get_opt(name)).await {
            Ok(found) => Ok(Some(found.is_some())),
            Err(e) if e.status() == Some(403) => Ok(None),
            Err(e) => Err(self.fail(&e, &format!("reading the namespace {name}"))),
        }
    }

    /// The API resource of every kind: built-in kinds at v1, CRD-backed kinds through
    /// discovery (one request per group, concurrently).
    async fn resolve(
        &self,
        wanted: &[&'static KindInfo],
        snapshot: &mut Snapshot,
    ) -> Result<Vec<(&'static KindInfo, ApiResource)>, Error> {
        let mut groups: Vec<&str> = wanted
            .iter()
            .filter(|k| k.decoding == Decoding::Crd)
            .map(|k| k.group)
            .collect();
        groups.sort_unstable();
        groups.dedup();
        let found = join_all(
            groups
                .iter()
                .map(|g| self.call(discovery::oneshot::group(&self.client, g))),
        )
        .await;
        let mut served = HashMap::new();
        for (g, result) in groups.iter().zip(found) {
            match result {
                Ok(group) => {
                    served.insert(*g, group);
                }
                // Istio's groups missing means Istio is not installed, worth saying; the
                // Gateway API's are optional.
                Err(e) if e.not_served() => {
                    if g.ends_with(".istio.io") {
                        snapshot.notes.push(format!(
                            "the cluster does not serve the API group {g} (Istio's CRDs are not installed); its kinds were skipped"
                        ));
                    }
                }
                Err(e) => return Err(self.fail(&e, &format!("discovering the API group {g}"))),
            }
        }
        let mut out = Vec::new();
        for info in wanted {
            if info.decoding != Decoding::Crd {
                let version = info.versions.first().copied().unwrap_or("v1");
                out.push((
                    *info,
                    ApiResource::from_gvk(&GroupVersionKind::gvk(info.group, version, info.kind)),
                ));
                continue;
            }
            let Some(group) = served.get(info.group) else {
                continue;
            };
            // The preferred version first; a kind served only at another version (EnvoyFilter
            // at v1alpha3) at that version.
            let found = group.recommended_kind(info.kind).or_else(|| {
                group.versions().find_map(|v| {
                    group
                        .versioned_resources(v)
                        .into_iter()
                        .find(|(ar, _)| ar.kind == info.kind)
                })
            });
            match found {
                Some((ar, _)) => out.push((*info, ar)),
                None => snapshot.notes.push(format!(
                    "the cluster serves {} but not {}; none were read",
                    info.group,
                    plural_label(info)
                )),
            }
        }
        Ok(out)
    }

    /// Every object of one kind, page by page, as JSON documents.
    async fn list_kind(
        &self,
        info: &'static KindInfo,
        ar: &ApiResource,
        scope: &Scope,
    ) -> Result<Listed, Error> {
        let doing = format!("listing {}", plural_label(info));
        let first = self.list_pages(info, ar, None).await;
        let (result, note) = match (first, scope) {
            (Err(e), Scope::Namespace(ns)) if e.status() == Some(403) && info.namespaced => {
                let narrowed = self.list_pages(info, ar, Some(ns)).await;
                let note = format!(
                    "{} were read in namespace {ns} only: listing them in all namespaces is forbidden",
                    plural_label(info)
                );
                (narrowed, Some(note))
            }
            (r, _) => (r, None),
        };
        match result {
            Ok(docs) => Ok(Listed::Objects(docs, note)),
            Err(e) if e.status() == Some(403) => Ok(Listed::Forbidden(
                e.server_message().unwrap_or("403 Forbidden").to_string(),
            )),
            Err(e) if e.not_served() => Ok(Listed::NotServed),
            Err(e) => Err(self.fail(&e, &doing)),
        }
    }

    async fn list_pages(
        &self,
        info: &'static KindInfo,
        ar: &ApiResource,
        namespace: Option<&str>,
    ) -> Result<Vec<String>, CallError> {
        let api: Api<DynamicObject> = match namespace {
            Some(ns) => Api::namespaced_with(self.client.clone(), ns, ar),
            None => Api::all_with(self.client.clone(), ar),
        };
        let types = TypeMeta {
            api_version: ar.api_version.clone(),
            kind: ar.kind.clone(),
        };
        let metadata_only = info.group.is_empty() && info.kind == "Secret";
        let mut docs = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let mut params = ListParams::default().limit(PAGE);
            if let Some(t) = &token {
                params = params.continue_token(t);
            }
            let next = if metadata_only {
                let page = self.call(api.list_metadata(&params)).await?;
                for mut item in page.items {
                    item.metadata.managed_fields = None;
                    docs.push(document(
                        &types,
                        serde_json::to_value(&item.metadata)?,
                        None,
                    ));
                }
                page.metadata.continue_
            } else {
                let page = self.call(api.list(&params)).await?;
                for mut item in page.items {
                    item.metadata.managed_fields = None;
                    docs.push(document(
                        &types,
                        serde_json::to_value(&item.metadata)?,
                        Some(item.data),
                    ));
                }
                page.metadata.continue_
            };
            match next {
                Some(t) if !t.is_empty() => token = Some(t),
                _ => break,
            }
        }
        Ok(docs)
    }
}

impl From<serde_json::Error> for CallError {
    fn from(e: serde_json::Error) -> CallError {
        CallError::Kube(kube::Error::SerdeError(e))
    }
}

/// One object as a JSON document: apiVersion and kind first (list items may lack them),
/// metadata, then the rest of the object.
fn document(types: &TypeMeta, metadata: Json, data: Option<Json>) -> String {
    let mut map = serde_json::Map::new();
    map.insert("apiVersion".into(), Json::from(types.api_version.clone()));
    map.insert("kind".into(), Json::from(types.kind.clone()));
    map.insert("metadata".into(), metadata);
    if let Some(Json::Object(rest)) = data {
        for (k, v) in rest {
            if k != "apiVersion" && k != "kind" && k != "metadata" {
                map.insert(k, v);
            }
        }
    }
    let mut text = Json::Object(map).to_string();
    text.push('\n');
    text
}

/// `VirtualServices`, `Gateways (gateway.networking.k8s.io)`.
fn plural_label(info: &KindInfo) -> String {
    let plural = crate::model::crd::plural_kind(info.kind);
    if info.group == "gateway.networking.k8s.io" {
        format!("{plural} ({})", info.group)
    } else {
        plural
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_kinds() {
        let label = |g: &str, k: &str| kinds::lookup(g, k).map(plural_label);
        assert_eq!(
            label("security.istio.io", "AuthorizationPolicy").as_deref(),
            Some("AuthorizationPolicies")
        );
        assert_eq!(
            label("networking.istio.io", "ServiceEntry").as_deref(),
            Some("ServiceEntries")
        );
        assert_eq!(
            label("gateway.networking.k8s.io", "Gateway").as_deref(),
            Some("Gateways (gateway.networking.k8s.io)")
        );
        let analysis = analysis_kinds();
        assert!(analysis.iter().any(|k| k.kind == "Secret"));
        assert!(analysis.iter().any(|k| k.kind == "VirtualService"));
        assert!(!routing_kinds().iter().any(|k| k.kind == "Secret"));
    }

    #[test]
    fn documents_put_type_and_metadata_first() {
        let types = TypeMeta {
            api_version: "v1".into(),
            kind: "Secret".into(),
        };
        let doc = document(&types, serde_json::json!({"name": "tls"}), None);
        assert_eq!(
            doc,
            "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"tls\"}}\n"
        );
    }
}
