//! A cluster's live configuration as a config set, with files overlaid: what `analyze`, `diff
//! --kube` and `route-test --kube` read (the library side of the cluster flags in `cli`).

use crate::Error;
use crate::cluster::fetch::{Scope, Snapshot};
use crate::cluster::{self, Access, Cluster};
use crate::config::{self, ConfigSet};
use crate::model::kinds::KindInfo;

/// Which cluster and namespaces to read.
#[derive(Debug, Clone, Default)]
pub struct Target {
    pub access: Access,
    /// `-n`: the namespace (default: the context's).
    pub namespace: Option<String>,
    /// `-A`: every namespace.
    pub all_namespaces: bool,
}

/// A cluster's configuration as a config set, files overlaid.
pub struct Live {
    pub set: ConfigSet,
    /// The namespace the command is about (`None`: every namespace).
    pub namespace: Option<String>,
    /// `cluster CONTEXT, all namespaces` / `cluster CONTEXT, namespace NS`.
    pub described: String,
    /// The `istio` ConfigMap's mesh config, when asked for and present.
    pub mesh_config: Option<String>,
    pub snapshot: Snapshot,
}

/// What a command reads and how.
pub struct Want<'a> {
    pub kinds: Vec<&'static KindInfo>,
    /// Without -n or -A: every namespace (routing, diff) or the context's namespace (analyze).
    pub all_by_default: bool,
    /// Also read the mesh config from this namespace (Istio's root namespace).
    pub mesh_config_from: Option<&'a str>,
}

/// Connects, lists what `want` names, and overlays `files` (already read and validated).
pub fn load(target: &Target, want: &Want<'_>, files: Option<ConfigSet>) -> Result<Live, Error> {
    let rt = cluster::runtime()?;
    let (cluster, snapshot, mesh_config, namespace) = rt.block_on(async {
        let cluster = Cluster::connect(&target.access).await?;
        let namespace =
            if target.all_namespaces || (target.namespace.is_none() && want.all_by_default) {
                None
            } else {
                Some(
                    target
                        .namespace
                        .clone()
                        .unwrap_or_else(|| cluster.namespace.clone()),
                )
            };
        let scope = match &namespace {
            None => Scope::All,
            Some(ns) => Scope::Namespace(ns.clone()),
        };
        let mut snapshot = cluster.snapshot(&want.kinds, &scope).await?;
        if let Some(ns) = &namespace
            && cluster.namespace_exists(ns).await? == Some(false)
        {
            snapshot.missing_namespace = Some(ns.clone());
        }
        let mesh_config = match want.mesh_config_from {
            Some(root) => cluster.mesh_config(root).await?,
            None => None,
        };
        Ok::<_, Error>((cluster, snapshot, mesh_config, namespace))
    })?;
    let mut snapshot = snapshot;
    let mut set = config::from_sources(std::mem::take(&mut snapshot.sources));
    set.complete_kinds = snapshot.complete.clone();
    let default_ns = target
        .namespace
        .clone()
        .unwrap_or_else(|| cluster.namespace.clone());
    if let Some(files) = files {
        set = set.overlay(files, &default_ns);
    }
    let described = match &namespace {
        None => format!("cluster {}, all namespaces", cluster.context),
        Some(ns) => format!("cluster {}, namespace {ns}", cluster.context),
    };
    Ok(Live {
        set,
        namespace,
        described,
        mesh_config,
        snapshot,
    })
}
