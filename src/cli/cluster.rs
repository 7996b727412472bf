//! The cluster flags `analyze`, `diff` and `route-test` share, and what they print about reading
//! a cluster; the reading itself is the library's `cluster::live`.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use crate::Error;
use crate::cluster::{self, Access};
use crate::config::{self, ConfigSet};
use crate::load::InputSpec;

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

pub use crate::cluster::live::{Live, Want};

impl ClusterArgs {
    /// The cluster and namespaces these flags name.
    pub fn target(&self) -> crate::cluster::live::Target {
        crate::cluster::live::Target {
            access: self.access(),
            namespace: self.namespace.clone(),
            all_namespaces: self.all_namespaces,
        }
    }
}

/// Connects, lists what `want` names, and overlays `files` (already read and validated).
pub fn load(args: &ClusterArgs, want: &Want<'_>, files: Option<ConfigSet>) -> Result<Live, Error> {
    crate::cluster::live::load(&args.target(), want, files)
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
