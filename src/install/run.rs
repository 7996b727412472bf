//! Putting an installation into a cluster and taking it out again: components applied in order
//! with server-side apply (CRDs → established → control plane → ready → gateways → ready),
//! readiness waits that name what a stuck component waits for, and uninstall by meshctl's label.

use std::time::{Duration, Instant};

use k8s_openapi::api::apps::v1::{Deployment, ReplicaSet};
use k8s_openapi::api::core::v1::Pod;
use kube::api::{Api, DynamicObject, ListParams, LogParams};
use serde_json::Value as Json;

use super::manifest::{Component, MANAGED_BY};
use crate::Error;
use crate::cluster::Cluster;
use crate::cluster::apply::ObjectRef;

/// The field manager of everything meshctl applies.
pub const FIELD_MANAGER: &str = "meshctl";

/// What happens while installing, for progress output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A component's objects are being applied.
    Applying { component: String, objects: usize },
    /// Waiting for these things of a component (`Deployment istio-system/istiod: 0/1 ready`).
    Waiting {
        component: String,
        pending: Vec<String>,
    },
    /// A dry run could not check these objects: their namespace does not exist yet.
    Unchecked { component: String, objects: usize },
    /// A component is applied and ready.
    Done {
        component: String,
        elapsed: Duration,
    },
}

/// Why an installation did not complete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stuck {
    pub component: String,
    /// One line per thing not ready, with the reason read from the cluster.
    pub reasons: Vec<String>,
}

/// How an installation went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Installed,
    /// Applied (or dry-run), not waited for.
    Applied,
    Stuck(Stuck),
}

/// What `install` does besides applying.
#[derive(Debug, Clone)]
pub struct InstallOptions {
    /// Server-side dry run: everything is sent and checked, nothing is stored, nothing awaited.
    pub dry_run: bool,
    /// How long to wait for each component to become ready.
    pub readiness_timeout: Duration,
}

impl Cluster {
    /// Applies the components in order, waiting for each before the next.
    pub async fn install(
        &self,
        components: &[Component],
        opts: &InstallOptions,
        progress: &mut dyn FnMut(Event),
    ) -> Result<Outcome, Error> {
        // A dry run creates no namespace, and the server cannot check objects for a namespace
        // that does not exist: those are counted as unchecked instead.
        let missing = if opts.dry_run {
            let namespaces: Vec<Json> = components
                .iter()
                .flat_map(|c| c.objects.iter())
                .filter(|o| o["kind"] == "Namespace")
                .cloned()
                .collect();
            self.missing_namespaces(&namespaces).await?
        } else {
            Vec::new()
        };
        for c in components {
            let start = Instant::now();
            progress(Event::Applying {
                component: c.title.to_string(),
                objects: c.objects.len(),
            });
            let in_missing = |o: &Json| {
                o.pointer("/metadata/namespace")
                    .and_then(Json::as_str)
                    .is_some_and(|ns| missing.iter().any(|m| m == ns))
            };
            let (unchecked, objects): (Vec<Json>, Vec<Json>) =
                c.objects.iter().cloned().partition(|o| in_missing(o));
            if !unchecked.is_empty() {
                progress(Event::Unchecked {
                    component: c.title.to_string(),
                    objects: unchecked.len(),
                });
            }
            // Namespaces first, so that the objects in them can be created in the same round.
            let (namespaces, rest): (Vec<Json>, Vec<Json>) =
                objects.into_iter().partition(|o| o["kind"] == "Namespace");
            self.apply(&namespaces, FIELD_MANAGER, opts.dry_run, 4)
                .await?;
            self.apply(&rest, FIELD_MANAGER, opts.dry_run, 8).await?;
            if opts.dry_run {
                continue;
            }
            if let Some(stuck) = self.wait_component(c, opts, progress).await? {
                return Ok(Outcome::Stuck(stuck));
            }
            progress(Event::Done {
                component: c.title.to_string(),
                elapsed: start.elapsed(),
            });
        }
        Ok(if opts.dry_run {
            Outcome::Applied
        } else {
            Outcome::Installed
        })
    }

    async fn missing_namespaces(&self, namespaces: &[Json]) -> Result<Vec<String>, Error> {
        let refs: Vec<ObjectRef> = namespaces.iter().filter_map(ObjectRef::of).collect();
        let live = self.get_all(&refs, 4).await?;
        Ok(refs
            .into_iter()
            .zip(live)
            .filter(|(_, l)| l.is_none())
            .map(|(r, _)| r.name)
            .collect())
    }

    /// Waits until the component's CRDs are established and its Deployments ready; `Some`
    /// with the reasons when the timeout passes first.
    async fn wait_component(
        &self,
        c: &Component,
        opts: &InstallOptions,
        progress: &mut dyn FnMut(Event),
    ) -> Result<Option<Stuck>, Error> {
        let crds: Vec<String> = c
            .objects
            .iter()
            .filter(|o| o["kind"] == "CustomResourceDefinition")
            .filter_map(|o| o.pointer("/metadata/name").and_then(Json::as_str))
            .map(str::to_string)
            .collect();
        if !crds.is_empty() {
            progress(Event::Waiting {
                component: c.title.to_string(),
                pending: vec![format!(
                    "{} CustomResourceDefinitions to be established",
                    crds.len()
                )],
            });
            if let Err(e) = self.wait_established(&crds, opts.readiness_timeout).await {
                return Ok(Some(Stuck {
                    component: c.title.to_string(),
                    reasons: vec![e.to_string()],
                }));
            }
        }
        let deployments: Vec<(String, String)> = c
            .objects
            .iter()
            .filter(|o| o["kind"] == "Deployment")
            .filter_map(|o| {
                Some((
                    o.pointer("/metadata/namespace")?.as_str()?.to_string(),
                    o.pointer("/metadata/name")?.as_str()?.to_string(),
                ))
            })
            .collect();
        let deadline = Instant::now() + opts.readiness_timeout;
        loop {
            let mut pending = Vec::new();
            for (ns, name) in &deployments {
                if let Some(state) = self.deployment_unready(ns, name).await? {
                    pending.push(format!("Deployment {ns}/{name}: {state}"));
                }
            }
            if pending.is_empty() {
                return Ok(None);
            }
            progress(Event::Waiting {
                component: c.title.to_string(),
                pending: pending.clone(),
            });
            if Instant::now() >= deadline {
                let mut reasons = Vec::new();
                for (ns, name) in &deployments {
                    if self.deployment_unready(ns, name).await?.is_some() {
                        reasons.push(format!(
                            "Deployment {ns}/{name}: {}",
                            self.why_unready(ns, name).await?
                        ));
                    }
                }
                return Ok(Some(Stuck {
                    component: c.title.to_string(),
                    reasons,
                }));
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }

    /// `None` when the Deployment's current revision has all its replicas ready; else how far it
    /// is (`0/1 ready`).
    pub async fn deployment_unready(&self, ns: &str, name: &str) -> Result<Option<String>, Error> {
        let api: Api<Deployment> = Api::namespaced(self.client.clone(), ns);
        let d = self
            .call(api.get_opt(name))
            .await
            .map_err(|e| self.fail(&e, &format!("reading Deployment {ns}/{name}")))?;
        let Some(d) = d else {
            return Ok(Some("missing".to_string()));
        };
        let want = d.spec.as_ref().and_then(|s| s.replicas).unwrap_or(1);
        let status = d.status.unwrap_or_default();
        let current = status.observed_generation.unwrap_or(0) >= d.metadata.generation.unwrap_or(0);
        let updated = status.updated_replicas.unwrap_or(0);
        let ready = status.ready_replicas.unwrap_or(0);
        let available = status.available_replicas.unwrap_or(0);
        Ok(
            if current && updated >= want && ready >= want && available >= want {
                None
            } else {
                Some(format!("{}/{want} ready", ready.min(updated)))
            },
        )
    }

    /// Why a Deployment is not ready, read from its ReplicaSets, pods and their containers.
    pub async fn why_unready(&self, ns: &str, name: &str) -> Result<String, Error> {
        let deployments: Api<Deployment> = Api::namespaced(self.client.clone(), ns);
        let d = self
            .call(deployments.get_opt(name))
            .await
            .map_err(|e| self.fail(&e, &format!("reading Deployment {ns}/{name}")))?;
        let Some(d) = d else {
            return Ok("the Deployment does not exist".to_string());
        };
        let selector = d
            .spec
            .as_ref()
            .and_then(|s| s.selector.match_labels.as_ref())
            .map(|l| {
                l.iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .unwrap_or_default();
        let pods: Api<Pod> = Api::namespaced(self.client.clone(), ns);
        let list = self
            .call(pods.list(&ListParams::default().labels(&selector)))
            .await
            .map_err(|e| self.fail(&e, &format!("listing the pods of Deployment {ns}/{name}")))?;
        if list.items.is_empty() {
            let sets: Api<ReplicaSet> = Api::namespaced(self.client.clone(), ns);
            let rs = self
                .call(sets.list(&ListParams::default().labels(&selector)))
                .await
                .map_err(|e| self.fail(&e, &format!("listing the ReplicaSets of {ns}/{name}")))?;
            return Ok(if rs.items.is_empty() {
                "no ReplicaSet was created for it: is the cluster's controller manager running?"
                    .to_string()
            } else {
                let why = rs
                    .items
                    .iter()
                    .flat_map(|r| r.status.iter().flat_map(|s| s.conditions.iter().flatten()))
                    .find(|c| c.type_ == "ReplicaFailure")
                    .and_then(|c| c.message.clone());
                match why {
                    Some(m) => format!("no pod could be created: {m}"),
                    None => "its ReplicaSet has no pods yet".to_string(),
                }
            });
        }
        // The newest pod tells the current story.
        let pod = list
            .items
            .iter()
            .max_by_key(|p| p.metadata.creation_timestamp.as_ref().map(|t| t.0))
            .cloned();
        let Some(pod) = pod else {
            return Ok("no pods".to_string());
        };
        let pod_name = pod.metadata.name.clone().unwrap_or_default();
        let status = pod.status.clone().unwrap_or_default();
        if let Some(c) = status
            .conditions
            .iter()
            .flatten()
            .find(|c| c.type_ == "PodScheduled" && c.status == "False")
        {
            return Ok(format!(
                "pod {pod_name} is Pending: {}",
                c.message
                    .clone()
                    .unwrap_or_else(|| c.reason.clone().unwrap_or_default())
            ));
        }
        if pod
            .spec
            .as_ref()
            .and_then(|s| s.node_name.as_ref())
            .is_none()
        {
            return Ok(format!(
                "pod {pod_name} is Pending: not scheduled to a node (is the scheduler running?)"
            ));
        }
        for cs in status
            .init_container_statuses
            .iter()
            .flatten()
            .chain(status.container_statuses.iter().flatten())
        {
            if let Some(w) = cs.state.as_ref().and_then(|s| s.waiting.as_ref()) {
                let reason = w.reason.clone().unwrap_or_default();
                let mut line = format!(
                    "container {} of pod {pod_name} is waiting: {reason}",
                    cs.name
                );
                if let Some(m) = &w.message {
                    line.push_str(&format!(": {m}"));
                }
                if reason == "CrashLoopBackOff" {
                    let logs = LogParams {
                        container: Some(cs.name.clone()),
                        previous: true,
                        tail_lines: Some(1),
                        ..LogParams::default()
                    };
                    if let Ok(last) = self.call(pods.logs(&pod_name, &logs)).await
                        && !last.trim().is_empty()
                    {
                        line.push_str(&format!("; last log line: {}", last.trim()));
                    }
                }
                return Ok(line);
            }
        }
        if let Some(c) = status
            .conditions
            .iter()
            .flatten()
            .find(|c| c.type_ == "Ready" && c.status != "True")
        {
            return Ok(format!(
                "pod {pod_name} is not ready: {}",
                c.message
                    .clone()
                    .or_else(|| c.reason.clone())
                    .unwrap_or_else(|| "its readiness probe has not passed".to_string())
            ));
        }
        Ok(format!(
            "pod {pod_name} is {}",
            status
                .phase
                .unwrap_or_else(|| "in an unknown phase".to_string())
        ))
    }

    /// Every object meshctl installed among `kinds` (API version, kind), found by the label
    /// `selector` (meshctl's label, and for one revision its `istio.io/rev`); CRDs only when
    /// `purge`.
    pub async fn installed_objects(
        &self,
        kinds: &[(String, String)],
        purge: bool,
        selector: &str,
    ) -> Result<Vec<ObjectRef>, Error> {
        let mut found = Vec::new();
        for (api_version, kind) in kinds {
            if kind == "Namespace" || (kind == "CustomResourceDefinition" && !purge) {
                continue;
            }
            let probe = ObjectRef {
                api_version: api_version.clone(),
                kind: kind.clone(),
                namespace: String::new(),
                name: "-".to_string(),
            };
            let gvk = probe.gvk();
            let ar = match self
                .call(kube::discovery::oneshot::pinned_kind(&self.client, &gvk))
                .await
            {
                Ok((ar, _)) => ar,
                Err(e) if e.not_served() => continue,
                Err(e) => return Err(self.fail(&e, &format!("discovering {api_version} {kind}"))),
            };
            let api: Api<DynamicObject> = Api::all_with(self.client.clone(), &ar);
            let list = self
                .call(api.list_metadata(&ListParams::default().labels(selector)))
                .await
                .map_err(|e| {
                    self.fail(&e, &format!("listing the {kind} objects meshctl installed"))
                })?;
            for item in list.items {
                found.push(ObjectRef {
                    api_version: api_version.clone(),
                    kind: kind.clone(),
                    namespace: item.metadata.namespace.unwrap_or_default(),
                    name: item.metadata.name.unwrap_or_default(),
                });
            }
        }
        Ok(found)
    }
}

impl Cluster {
    /// Waits until none of `refs` exists any more (a deleted CRD goes only once the API server
    /// has removed its custom resources), polling until `timeout`; returns the ones still there.
    pub async fn wait_deleted(
        &self,
        refs: &[ObjectRef],
        timeout: Duration,
    ) -> Result<Vec<ObjectRef>, Error> {
        let deadline = Instant::now() + timeout;
        let mut pending = refs.to_vec();
        loop {
            let live = self.get_all(&pending, 8).await?;
            pending = pending
                .into_iter()
                .zip(live)
                .filter_map(|(r, l)| l.map(|_| r))
                .collect();
            if pending.is_empty() || Instant::now() >= deadline {
                return Ok(pending);
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }
}

/// One problem `verify` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// `Deployment istio-system/istiod`.
    pub object: String,
    pub message: String,
    /// A warning does not fail verification.
    pub warning: bool,
}

/// What `verify` found.
#[derive(Debug, Clone, Default)]
pub struct Verification {
    /// Objects of the installation found in the cluster.
    pub present: usize,
    /// Of those, the ones carrying meshctl's label (CRDs and the namespace aside).
    pub installed_by_meshctl: usize,
    pub expected: usize,
    /// The CRDs among `expected`; they outlive an uninstall, like the namespace.
    pub crds_expected: usize,
    /// Of those, the ones present.
    pub crds_present: usize,
    /// Whether the control-plane namespace is present.
    pub namespace_present: bool,
    pub problems: Vec<Problem>,
}

impl Cluster {
    /// Compares the cluster with the installation `components` describe: every object present,
    /// installed by meshctl and unmodified in the fields meshctl sets (a server-side dry-run
    /// apply would change nothing), every Deployment ready, every webhook wired to a Service
    /// that exists and given a CA bundle by istiod.
    pub async fn verify(&self, components: &[Component]) -> Result<Verification, Error> {
        let docs: Vec<Json> = components
            .iter()
            .flat_map(|c| c.objects.iter().cloned())
            .collect();
        let refs: Vec<ObjectRef> = docs.iter().filter_map(ObjectRef::of).collect();
        let live = self.get_all(&refs, 8).await?;
        let mut v = Verification {
            expected: refs.len(),
            crds_expected: refs
                .iter()
                .filter(|r| r.kind == "CustomResourceDefinition")
                .count(),
            ..Verification::default()
        };
        let mut present_docs = Vec::new();
        let mut present_live = Vec::new();
        for ((r, doc), l) in refs.iter().zip(&docs).zip(live) {
            let Some(l) = l else {
                v.problems.push(Problem {
                    object: r.to_string(),
                    message: "missing".to_string(),
                    warning: false,
                });
                continue;
            };
            v.present += 1;
            let kept = r.kind == "CustomResourceDefinition" || r.kind == "Namespace";
            v.crds_present += usize::from(r.kind == "CustomResourceDefinition");
            v.namespace_present |= r.kind == "Namespace";
            let ours = l
                .metadata
                .labels
                .as_ref()
                .and_then(|m| m.get(MANAGED_BY.0))
                .is_some_and(|x| x == MANAGED_BY.1);
            if ours {
                // CRDs and the namespace outlive an uninstall: they do not make an installation.
                if !kept {
                    v.installed_by_meshctl += 1;
                }
            } else {
                v.problems.push(Problem {
                    object: r.to_string(),
                    message: format!(
                        "present, but not installed by meshctl (no {}={} label)",
                        MANAGED_BY.0, MANAGED_BY.1
                    ),
                    warning: true,
                });
            }
            present_docs.push(doc.clone());
            present_live.push((r.clone(), l));
        }
        // What applying the installation again would change is what was modified.
        let would_be = self.apply(&present_docs, FIELD_MANAGER, true, 8).await?;
        for ((r, l), w) in present_live.iter().zip(&would_be) {
            if let Some(path) = first_difference(&comparable(l), &comparable(w), "") {
                v.problems.push(Problem {
                    object: r.to_string(),
                    message: format!("modified: {path} differs from what meshctl installs"),
                    warning: false,
                });
            }
            match r.kind.as_str() {
                "Deployment" => {
                    if let Some(state) = self.deployment_unready(&r.namespace, &r.name).await? {
                        let why = self.why_unready(&r.namespace, &r.name).await?;
                        v.problems.push(Problem {
                            object: r.to_string(),
                            message: format!("not ready ({state}): {why}"),
                            warning: false,
                        });
                    }
                }
                "MutatingWebhookConfiguration" | "ValidatingWebhookConfiguration" => {
                    for p in self.webhook_problems(l).await? {
                        v.problems.push(Problem {
                            object: r.to_string(),
                            message: p.0,
                            warning: p.1,
                        });
                    }
                }
                _ => {}
            }
        }
        Ok(v)
    }

    /// Webhooks calling a Service that does not exist (an error), or without a CA bundle yet
    /// (a warning: istiod adds it when it runs).
    async fn webhook_problems(&self, hook: &DynamicObject) -> Result<Vec<(String, bool)>, Error> {
        let mut out = Vec::new();
        let services: Vec<(String, String, String)> = hook
            .data
            .get("webhooks")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
            .filter_map(|w| {
                let name = w.get("name")?.as_str()?.to_string();
                let svc = w.pointer("/clientConfig/service")?;
                if w.pointer("/clientConfig/caBundle")
                    .and_then(Json::as_str)
                    .is_none_or(str::is_empty)
                {
                    out.push((
                        format!("webhook {name} has no caBundle yet: istiod adds it when it runs (is istiod running?)"),
                        true,
                    ));
                }
                Some((
                    name,
                    svc.get("namespace")?.as_str()?.to_string(),
                    svc.get("name")?.as_str()?.to_string(),
                ))
            })
            .collect();
        let refs: Vec<ObjectRef> = services
            .iter()
            .map(|(_, ns, name)| ObjectRef {
                api_version: "v1".to_string(),
                kind: "Service".to_string(),
                namespace: ns.clone(),
                name: name.clone(),
            })
            .collect();
        let found = self.get_all(&refs, 4).await?;
        for ((hook, ns, name), f) in services.iter().zip(found) {
            if f.is_none() {
                out.push((
                    format!("webhook {hook} calls Service {ns}/{name}, which does not exist"),
                    false,
                ));
            }
        }
        Ok(out)
    }
}

/// An object without what the server changes on every write.
fn comparable(o: &DynamicObject) -> Json {
    let mut v = serde_json::to_value(o).unwrap_or(Json::Null);
    if let Some(meta) = v.get_mut("metadata").and_then(Json::as_object_mut) {
        for k in ["managedFields", "resourceVersion", "generation"] {
            meta.remove(k);
        }
    }
    v
}

/// The first path at which two values differ (`data.meshNetworks`, `spec.ports[1]`).
fn first_difference(a: &Json, b: &Json, path: &str) -> Option<String> {
    let at = |k: &str| {
        if path.is_empty() {
            k.to_string()
        } else {
            format!("{path}.{k}")
        }
    };
    match (a, b) {
        (Json::Object(x), Json::Object(y)) => {
            for (k, va) in x {
                match y.get(k) {
                    Some(vb) => {
                        if let Some(p) = first_difference(va, vb, &at(k)) {
                            return Some(p);
                        }
                    }
                    None => return Some(at(k)),
                }
            }
            y.keys().find(|k| !x.contains_key(*k)).map(|k| at(k))
        }
        (Json::Array(x), Json::Array(y)) => {
            for (i, (va, vb)) in x.iter().zip(y).enumerate() {
                if let Some(p) = first_difference(va, vb, &format!("{path}[{i}]")) {
                    return Some(p);
                }
            }
            (x.len() != y.len()).then(|| path.to_string())
        }
        _ => (a != b).then(|| path.to_string()),
    }
}

/// The (API version, kind) pairs of the components, in order, each once.
pub fn kinds_of(components: &[Component]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for o in components.iter().flat_map(|c| c.objects.iter()) {
        let k = (
            o["apiVersion"].as_str().unwrap_or_default().to_string(),
            o["kind"].as_str().unwrap_or_default().to_string(),
        );
        if !out.contains(&k) {
            out.push(k);
        }
    }
    out
}
