//! The cluster flags `analyze`, `diff` and `route-test` share, and reading a cluster's live
//! configuration (with files overlaid) for them.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use crate::Error;
use crate::cluster::fetch::{Scope, Snapshot};
use crate::cluster::{self, Access, Cluster};
use crate::config::{self, ConfigSet};
use crate::load::InputSpec;
use crate::model::kinds::KindInfo;

/// How to reach a cluster: every cluster command has these.
#[derive(Debug, Clone, Args)]
pub struct AccessArgs {
    /// Path to the kubeconfig file (default: KUBECONFIG, then ~/.kube/config).
    #[arg(long, value_name = "FILE")]
    pub kubeconfig: Option<PathBuf>,

    /// The kubeconfig context to use.
    #[arg(long, value_name = "NAME")]
    pub context: Option<String>,

    /// How long to wait for each answer of the API server: 30s, 1m, 500ms.
    #[arg(long = "request-timeout", value_name = "DURATION", value_parser = cluster::parse_duration)]
    pub request_timeout: Option<Duration>,
}

impl AccessArgs {
    pub fn access(&self) -> Access {
        Access {
            kubeconfig: self.kubeconfig.clone(),
            context: self.context.clone(),
            request_timeout: self.request_timeout,
        }
    }
}

/// The cluster flags of the commands that also work offline (analyze, diff, route-test).
#[derive(Debug, Clone, Args)]
pub struct ClusterArgs {
    /// Read the live configuration from the Kubernetes cluster of the current context; files
    /// given too are overlaid on it (files win, by resource identity). Implied by --kubeconfig,
    /// --context, -n and -A.
    #[arg(long)]
    pub kube: bool,

    #[command(flatten)]
    pub access: AccessArgs,

    /// The namespace (default: the context's namespace); namespace-less objects of files
    /// belong to it. Implies --kube, except for analyze and lint given files: there it only
    /// sets the namespace of the files' namespace-less objects, as `kubectl apply -n` and
    /// `istioctl analyze --use-kube=false -n` do.
    #[arg(short = 'n', long = "namespace", value_name = "NAMESPACE")]
    pub namespace: Option<String>,

    /// Every namespace. Implies --kube.
    #[arg(short = 'A', long = "all-namespaces", conflicts_with = "namespace")]
    pub all_namespaces: bool,

    /// As istioctl: `--use-kube=false` never contacts a cluster (the files alone are
    /// checked), `--use-kube=true` is --kube.
    #[arg(
        long = "use-kube",
        value_name = "BOOL",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "true",
        action = clap::ArgAction::Set
    )]
    pub use_kube: Option<bool>,
}

impl ClusterArgs {
    /// Whether any flag asks for the cluster.
    pub fn requested(&self) -> bool {
        self.requested_with(false)
    }

    /// Whether the flags ask for the cluster when files are (`has_files`) or are not given:
    /// with files, `-n` alone names the files' namespace and stays offline.
    pub fn requested_with(&self, has_files: bool) -> bool {
        if self.use_kube == Some(false) {
            return false;
        }
        self.kube
            || self.use_kube == Some(true)
            || self.access.kubeconfig.is_some()
            || self.access.context.is_some()
            || (self.namespace.is_some() && !has_files)
            || self.all_namespaces
    }

    pub fn access(&self) -> Access {
        self.access.access()
    }
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
pub fn load(args: &ClusterArgs, want: &Want<'_>, files: Option<ConfigSet>) -> Result<Live, Error> {
    let rt = cluster::runtime()?;
    let (cluster, snapshot, mesh_config, namespace) = rt.block_on(async {
        let cluster = Cluster::connect(&args.access()).await?;
        let namespace = if args.all_namespaces || (args.namespace.is_none() && want.all_by_default)
        {
            None
        } else {
            Some(
                args.namespace
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
    let default_ns = args
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

/// Reads files for an overlay (none: `None`).
pub fn read_files(files: &[InputSpec]) -> Result<Option<ConfigSet>, Error> {
    if files.is_empty() {
        return Ok(None);
    }
    Ok(Some(config::load_inputs(files)?))
}

/// Prints what reading the cluster left out (stderr): kinds that could not be read, and notes.
pub fn report_gaps(live: &Live) {
    if let Some((_, reason)) = live.snapshot.forbidden.first() {
        let kinds: Vec<&str> = live
            .snapshot
            .forbidden
            .iter()
            .map(|(k, _)| k.as_str())
            .collect();
        eprintln!(
            "warning: not allowed to list {} in the cluster ({reason}{}); meshctl went on without them",
            kinds.join(", "),
            if kinds.len() > 1 {
                ", and likewise for the others"
            } else {
                ""
            }
        );
    }
    if let Some(ns) = &live.snapshot.missing_namespace {
        eprintln!(
            "warning: the namespace {ns} does not exist in {}: nothing of it was read (`kubectl get namespaces` lists them)",
            live.described.split(',').next().unwrap_or(&live.described)
        );
    }
    for n in &live.snapshot.notes {
        eprintln!("note: {n}");
    }
}

/// The configuration routing sees: the cluster's Istio config and Services, `files` overlaid,
/// and whether the mesh blocks unknown hosts (`outboundTrafficPolicy.mode: REGISTRY_ONLY`).
pub fn routing_set(args: &ClusterArgs, files: &[InputSpec]) -> Result<(ConfigSet, bool), Error> {
    let mut files = read_files(files)?;
    if let Some(f) = files.as_mut() {
        for d in f.dedupe_identities() {
            eprintln!("warning: {} [{}]", d.message, d.code);
        }
    }
    let root = crate::analyze::MeshConfig::default().root_namespace;
    let want = Want {
        kinds: crate::cluster::fetch::routing_kinds(),
        all_by_default: true,
        mesh_config_from: Some(&root),
    };
    let mut live = load(args, &want, files)?;
    report_gaps(&live);
    let registry_only = live
        .mesh_config
        .as_deref()
        .and_then(|t| crate::analyze::MeshConfig::from_text(t).ok())
        .is_some_and(|m| m.registry_only);
    config::detach_cluster_locations(&mut live.set.diagnostics);
    Ok((std::mem::take(&mut live.set), registry_only))
}
