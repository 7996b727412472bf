//! Writing to a cluster: server-side apply of documents (idempotent: applying the same
//! documents twice changes nothing), reading single objects back, and waiting for CRDs to be
//! established. The end-to-end tests and the benchmark's seeding use it; `install` builds on it.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use futures::stream::{self, StreamExt};
use kube::api::{Api, DeleteParams, DynamicObject, Patch, PatchParams};
use kube::core::{ApiResource, GroupVersionKind};
use kube::discovery::{self, ApiCapabilities, Scope as ResourceScope};
use serde_json::Value as Json;

use super::Cluster;
use crate::Error;

/// The identity of a document to apply or read.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ObjectRef {
    pub api_version: String,
    pub kind: String,
    /// Empty for cluster-scoped kinds and for namespaced objects that take the default.
    pub namespace: String,
    pub name: String,
}

impl ObjectRef {
    /// The identity fields of a document; `None` when apiVersion, kind or name is missing.
    pub fn of(doc: &Json) -> Option<ObjectRef> {
        let s = |v: Option<&Json>| v.and_then(Json::as_str).map(str::to_string);
        Some(ObjectRef {
            api_version: s(doc.get("apiVersion"))?,
            kind: s(doc.get("kind"))?,
            namespace: s(doc.pointer("/metadata/namespace")).unwrap_or_default(),
            name: s(doc.pointer("/metadata/name")).filter(|n| !n.is_empty())?,
        })
    }

    /// The group, version and kind of the apiVersion/kind pair.
    pub fn gvk(&self) -> GroupVersionKind {
        let (group, version) = match self.api_version.rsplit_once('/') {
            Some((g, v)) => (g, v),
            None => ("", self.api_version.as_str()),
        };
        GroupVersionKind::gvk(group, version, &self.kind)
    }
}

impl std::fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.namespace.is_empty() {
            write!(f, "{} {}", self.kind, self.name)
        } else {
            write!(f, "{} {}/{}", self.kind, self.namespace, self.name)
        }
    }
}

/// Resolved API resources, one discovery request per group version.
type Resolved = HashMap<GroupVersionKind, Option<(ApiResource, ApiCapabilities)>>;

impl Cluster {
    /// Looks up the API resource of every distinct apiVersion/kind (`None`: not served).
    async fn resolve_kinds<'a>(
        &self,
        refs: impl Iterator<Item = &'a ObjectRef>,
    ) -> Result<Resolved, Error> {
        let mut resolved: Resolved = HashMap::new();
        for r in refs {
            let gvk = r.gvk();
            if resolved.contains_key(&gvk) {
                continue;
            }
            let found = match self
                .call(discovery::oneshot::pinned_kind(&self.client, &gvk))
                .await
            {
                Ok(found) => Some(found),
                Err(e) if e.not_served() => None,
                Err(e) => {
                    return Err(self.fail(&e, &format!("discovering {} {}", r.api_version, r.kind)));
                }
            };
            resolved.insert(gvk, found);
        }
        Ok(resolved)
    }

    fn api_for(
        &self,
        r: &ObjectRef,
        ar: &ApiResource,
        caps: &ApiCapabilities,
    ) -> Api<DynamicObject> {
        match caps.scope {
            ResourceScope::Cluster => Api::all_with(self.client.clone(), ar),
            ResourceScope::Namespaced => {
                let ns = if r.namespace.is_empty() {
                    self.namespace.as_str()
                } else {
                    r.namespace.as_str()
                };
                Api::namespaced_with(self.client.clone(), ns, ar)
            }
        }
    }

    /// Server-side applies `docs` as `manager` (forcing ownership of conflicting fields), up to
    /// `concurrency` at a time, and returns the objects as the server stored them (or would,
    /// with `dry_run`). The first failure stops the run and names the object.
    pub async fn apply(
        &self,
        docs: &[Json],
        manager: &str,
        dry_run: bool,
        concurrency: usize,
    ) -> Result<Vec<DynamicObject>, Error> {
        let refs = docs
            .iter()
            .enumerate()
            .map(|(i, d)| {
                ObjectRef::of(d).ok_or_else(|| {
                    Error::Usage(format!(
                        "document {} has no apiVersion, kind or metadata.name",
                        i + 1
                    ))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let resolved = self.resolve_kinds(refs.iter()).await?;
        let mut params = PatchParams::apply(manager).force();
        if dry_run {
            params = params.dry_run();
        }
        let params = &params;
        let results: Vec<Result<DynamicObject, Error>> =
            stream::iter(refs.iter().zip(docs).map(|(r, doc)| {
                let resolved = &resolved;
                async move {
                    let Some(Some((ar, caps))) = resolved.get(&r.gvk()) else {
                        return Err(Error::Cluster(format!(
                            "cannot apply {r}: the cluster does not serve {} {}",
                            r.api_version, r.kind
                        )));
                    };
                    let api = self.api_for(r, ar, caps);
                    self.call(api.patch(&r.name, params, &Patch::Apply(doc)))
                        .await
                        .map_err(|e| self.fail(&e, &format!("applying {r}")))
                }
            }))
            .buffered(concurrency.max(1))
            .collect()
            .await;
        results.into_iter().collect()
    }

    /// Reads the objects `refs` name, in order; `None` for an object that does not exist (or
    /// whose kind the cluster does not serve).
    pub async fn get_all(
        &self,
        refs: &[ObjectRef],
        concurrency: usize,
    ) -> Result<Vec<Option<DynamicObject>>, Error> {
        let resolved = self.resolve_kinds(refs.iter()).await?;
        let results: Vec<Result<Option<DynamicObject>, Error>> =
            stream::iter(refs.iter().map(|r| {
                let resolved = &resolved;
                async move {
                    let Some(Some((ar, caps))) = resolved.get(&r.gvk()) else {
                        return Ok(None);
                    };
                    let api = self.api_for(r, ar, caps);
                    self.call(api.get_opt(&r.name))
                        .await
                        .map_err(|e| self.fail(&e, &format!("reading {r}")))
                }
            }))
            .buffered(concurrency.max(1))
            .collect()
            .await;
        results.into_iter().collect()
    }

    /// Deletes the objects `refs` name (background propagation), up to `concurrency` at a time;
    /// returns how many existed. Objects that are already gone, or whose kind the cluster does
    /// not serve, are skipped.
    pub async fn delete_all(&self, refs: &[ObjectRef], concurrency: usize) -> Result<usize, Error> {
        let resolved = self.resolve_kinds(refs.iter()).await?;
        let results: Vec<Result<bool, Error>> = stream::iter(refs.iter().map(|r| {
            let resolved = &resolved;
            async move {
                let Some(Some((ar, caps))) = resolved.get(&r.gvk()) else {
                    return Ok(false);
                };
                let api = self.api_for(r, ar, caps);
                match self
                    .call(api.delete(&r.name, &DeleteParams::background()))
                    .await
                {
                    Ok(_) => Ok(true),
                    Err(e) if e.status() == Some(404) => Ok(false),
                    Err(e) => Err(self.fail(&e, &format!("deleting {r}"))),
                }
            }
        }))
        .buffered(concurrency.max(1))
        .collect()
        .await;
        let mut deleted = 0;
        for r in results {
            deleted += usize::from(r?);
        }
        Ok(deleted)
    }

    /// Applies the Istio CRDs of meshctl's model (what `meshctl manifest crds` prints) and waits
    /// until they are established.
    pub async fn apply_istio_crds(&self, manager: &str, timeout: Duration) -> Result<(), Error> {
        let crds = crate::model::crd::istio_crds();
        let names: Vec<String> = crds
            .iter()
            .filter_map(|c| c.pointer("/metadata/name").and_then(Json::as_str))
            .map(str::to_string)
            .collect();
        self.apply(&crds, manager, false, 4).await?;
        self.wait_established(&names, timeout).await
    }

    /// Waits until every named CustomResourceDefinition reports `Established`, polling until
    /// `timeout`; then discovery serves their kinds.
    pub async fn wait_established(&self, names: &[String], timeout: Duration) -> Result<(), Error> {
        let ar = ApiResource::from_gvk(&GroupVersionKind::gvk(
            "apiextensions.k8s.io",
            "v1",
            "CustomResourceDefinition",
        ));
        let api: Api<DynamicObject> = Api::all_with(self.client.clone(), &ar);
        let start = Instant::now();
        let mut pending: Vec<&String> = names.iter().collect();
        while !pending.is_empty() {
            let mut still = Vec::new();
            for name in pending {
                let crd = self.call(api.get_opt(name)).await.map_err(|e| {
                    self.fail(&e, &format!("reading CustomResourceDefinition {name}"))
                })?;
                if !crd.as_ref().is_some_and(established) {
                    still.push(name);
                }
            }
            pending = still;
            if pending.is_empty() {
                break;
            }
            if start.elapsed() >= timeout {
                let names: Vec<&str> = pending.iter().map(|s| s.as_str()).collect();
                return Err(Error::Cluster(format!(
                    "CustomResourceDefinitions not established after {}: {}",
                    super::human_duration(timeout),
                    names.join(", ")
                )));
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        Ok(())
    }
}

fn established(crd: &DynamicObject) -> bool {
    crd.data
        .pointer("/status/conditions")
        .and_then(Json::as_array)
        .is_some_and(|conds| {
            conds.iter().any(|c| {
                c.get("type").and_then(Json::as_str) == Some("Established")
                    && c.get("status").and_then(Json::as_str) == Some("True")
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_refs() {
        let doc = serde_json::json!({
            "apiVersion": "networking.istio.io/v1",
            "kind": "VirtualService",
            "metadata": {"name": "reviews", "namespace": "shop"}
        });
        let r = ObjectRef::of(&doc);
        assert_eq!(
            r.as_ref().map(ToString::to_string).as_deref(),
            Some("VirtualService shop/reviews")
        );
        assert_eq!(
            r.map(|r| r.gvk()),
            Some(GroupVersionKind::gvk(
                "networking.istio.io",
                "v1",
                "VirtualService"
            ))
        );
        let core = ObjectRef::of(&serde_json::json!({
            "apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}
        }));
        assert_eq!(core.map(|r| r.gvk().group), Some(String::new()));
        assert!(ObjectRef::of(&serde_json::json!({"apiVersion": "v1", "kind": "Pod"})).is_none());
    }

    #[test]
    fn established_reads_the_condition() {
        let mut crd = DynamicObject {
            types: None,
            metadata: Default::default(),
            data: serde_json::json!({"status": {"conditions": [
                {"type": "NamesAccepted", "status": "True"},
                {"type": "Established", "status": "True"}
            ]}}),
        };
        assert!(established(&crd));
        crd.data = serde_json::json!({"status": {"conditions": [{"type": "Established", "status": "False"}]}});
        assert!(!established(&crd));
    }
}
