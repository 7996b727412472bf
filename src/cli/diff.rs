//! `meshctl diff OLD NEW`: the semantic diff of two config sets (files, directories or `-` for
//! standard input), optionally with what the change does to traffic.

use clap::Args;

use kube::api::DynamicObject;

use super::cluster::ClusterArgs;
use super::exit;
use crate::Error;
use crate::cluster::apply::ObjectRef;
use crate::cluster::fetch::{Scope, routing_kinds};
use crate::cluster::{self, Cluster};
use crate::config::{self, ConfigSet};
use crate::diff::render::{self, Report};
use crate::diff::{self, Options, Side, traffic};
use crate::load::{InputSpec, Origin, Source};
use crate::report::{Format, Formats};

#[derive(Debug, Args)]
#[command(
    after_help = "With --kube (or another cluster flag) the old side is the cluster: `meshctl \
                        diff --kube -f new/` compares the live objects the files name with the \
                        files (like kubectl diff), and --traffic compares routing over the \
                        whole live configuration with and without the files applied.\n\n\
                        Exit codes: 0 no differences, 1 differences, 2 usage error, 3 input \
                        could not be read (missing file, invalid YAML) or the cluster could \
                        not be read. With --exit-zero, 0 whenever the comparison ran."
)]
pub struct DiffArgs {
    /// The old configuration: a file, a directory (read recursively: .yaml, .yml, .json), an
    /// http(s) URL or `-` for standard input. With --kube: the new configuration.
    #[arg(value_name = "OLD")]
    pub old: Option<String>,

    /// The new configuration: a file, a directory, a URL or `-` (only one side may be `-`).
    #[arg(value_name = "NEW")]
    pub new: Option<String>,

    /// With --kube: the new configuration, a file, directory or URL (repeatable).
    #[arg(short = 'f', long = "filename", value_name = "PATH")]
    pub files: Vec<String>,

    /// Output format.
    #[arg(short = 'o', long = "output", value_parser = Formats(Format::DIFF), default_value = "human")]
    pub output: Format,

    /// Also report what the change does to traffic: probe requests derived from both configs
    /// whose routing outcome changed.
    #[arg(long)]
    pub traffic: bool,

    /// With --traffic: the Istio release the configuration is for (1.28 to 1.32) [default:
    /// 1.32]. Objects that release would reject are not routed.
    #[arg(long = "istio-version", value_name = "X.Y", value_parser = super::parse_release)]
    pub istio_version: Option<crate::model::releases::Release>,

    /// Also say which analyzer findings the change introduces and which it resolves (both
    /// sides analyzed as `meshctl analyze` would). On by default with -o markdown.
    #[arg(long)]
    pub findings: bool,

    /// With --traffic: print the old and new routing trace of every changed request.
    #[arg(long, requires = "traffic")]
    pub explain: bool,

    /// A field not to compare, e.g. `metadata.annotations` or `spec.http[*].timeout`
    /// (repeatable; `*` matches any key or list item).
    #[arg(long = "ignore-field", value_name = "PATH")]
    pub ignore_field: Vec<String>,

    /// Exit 0 even when there are differences (for reports).
    #[arg(long)]
    pub exit_zero: bool,

    #[command(flatten)]
    pub cluster: ClusterArgs,
}

pub fn run(args: &DiffArgs, color: bool) -> Result<u8, Error> {
    if args.cluster.requested() {
        return run_against_cluster(args, color);
    }
    let (Some(old_arg), Some(new_arg)) = (&args.old, &args.new) else {
        return Err(Error::Usage(
            "give OLD and NEW (files, directories or -), or --kube -f NEW to compare with the cluster"
                .into(),
        ));
    };
    if !args.files.is_empty() {
        return Err(Error::Usage(
            "-f names the new side of a diff against the cluster: add --kube, or give OLD and NEW only"
                .into(),
        ));
    }
    if old_arg == "-" && new_arg == "-" {
        return Err(Error::Usage(
            "only one side of a diff can be standard input (-)".into(),
        ));
    }
    let opts = Options::with_ignored(&args.ignore_field)?;
    let old_spec = InputSpec::parse(old_arg);
    let new_spec = InputSpec::parse(new_arg);
    super::note_stdin(old_spec == InputSpec::Stdin || new_spec == InputSpec::Stdin);
    let old = diff::read_side(std::slice::from_ref(&old_spec))?;
    let new = diff::read_side(std::slice::from_ref(&new_spec))?;
    let resources = diff::diff(&old, &new, &opts)?;
    let release = super::release(args.istio_version, None);
    let want_findings = args.findings || args.output == Format::Markdown;
    let sets = if args.traffic || want_findings {
        Some((
            config_set(&old_spec, &old, release)?,
            config_set(&new_spec, &new, release)?,
        ))
    } else {
        None
    };
    let traffic = match (&sets, args.traffic) {
        (Some((a, b)), true) => Some(traffic::diff_with(a, b, args.explain)),
        _ => None,
    };
    let found = match sets {
        Some((a, b)) if want_findings => Some(diff::findings::diff(
            a,
            b,
            &crate::analyze::MeshConfig::default(),
        )),
        _ => None,
    };
    finish(
        args,
        color,
        &resources,
        traffic.as_ref(),
        found.as_ref(),
        old_arg,
        new_arg,
    )
}

fn finish(
    args: &DiffArgs,
    color: bool,
    resources: &diff::ResourceDiff,
    traffic: Option<&traffic::TrafficDiff>,
    findings: Option<&diff::findings::FindingsDiff>,
    old_label: &str,
    new_label: &str,
) -> Result<u8, Error> {
    let text = render::render(
        args.output,
        &Report {
            resources,
            traffic,
            findings,
            old_label,
            new_label,
            color: color && args.output == Format::Human,
            traces: args.explain,
        },
    );
    super::write_stdout(&text)?;
    let differ = !resources.is_empty() || traffic.is_some_and(|t| !t.changes.is_empty());
    Ok(if differ && !args.exit_zero {
        exit::FINDINGS
    } else {
        exit::OK
    })
}

/// `diff --kube -f NEW`: the live objects the files name against the files; with --traffic,
/// routing over the live configuration before and after the files are applied.
fn run_against_cluster(args: &DiffArgs, color: bool) -> Result<u8, Error> {
    let paths: Vec<&String> = args
        .old
        .iter()
        .chain(&args.new)
        .chain(&args.files)
        .collect();
    if paths.is_empty() {
        return Err(Error::Usage(
            "diff --kube needs the new configuration: -f FILE|DIR (or -)".into(),
        ));
    }
    if paths.iter().filter(|p| p.as_str() == "-").count() > 1 {
        return Err(Error::Usage(
            "standard input (-) can be read only once".into(),
        ));
    }
    let specs: Vec<InputSpec> = paths.iter().map(|p| InputSpec::parse(p)).collect();
    super::note_stdin(specs.contains(&InputSpec::Stdin));
    let new = diff::read_side(&specs)?;
    let files = config::from_sources(new.sources.clone());

    let rt = cluster::runtime()?;
    let (cluster, namespace, live, snapshot) = rt.block_on(async {
        let cluster = Cluster::connect(&args.cluster.access()).await?;
        let namespace = args
            .cluster
            .namespace
            .clone()
            .unwrap_or_else(|| cluster.namespace.clone());
        let refs: Vec<ObjectRef> = files
            .objects
            .iter()
            .filter(|o| !o.name().is_empty())
            .map(|o| ObjectRef {
                api_version: o.loaded.api_version.clone(),
                kind: o.kind().to_string(),
                namespace: match (&o.loaded.namespace, o.loaded.info.namespaced) {
                    (_, false) => String::new(),
                    (Some(ns), true) => ns.clone(),
                    (None, true) => namespace.clone(),
                },
                name: o.name().to_string(),
            })
            .collect();
        let live = cluster.get_all(&refs, 16).await?;
        let snapshot = if args.traffic {
            let scope = match &args.cluster.namespace {
                Some(ns) if !args.cluster.all_namespaces => Scope::Namespace(ns.clone()),
                _ => Scope::All,
            };
            Some(cluster.snapshot(&routing_kinds(), &scope).await?)
        } else {
            None
        };
        Ok::<_, Error>((cluster, namespace, live, snapshot))
    })?;
    let mut text = String::new();
    for obj in live.into_iter().flatten() {
        text.push_str("---\n");
        text.push_str(&live_document(obj));
    }
    let old_label = format!("cluster {}", cluster.context);
    let old = Side {
        sources: vec![Source::with_origin(
            old_label.clone(),
            text,
            Origin::Cluster,
        )],
        skipped: Vec::new(),
    };
    let mut opts = Options::with_ignored(&args.ignore_field)?;
    opts.default_namespace = Some(namespace.clone());
    let resources = diff::diff(&old, &new, &opts)?;
    let traffic = snapshot.map(|snapshot| {
        let before = config::from_sources(snapshot.sources.clone());
        let after = config::from_sources(snapshot.sources).overlay(files, &namespace);
        traffic::diff_with(&before, &after, args.explain)
    });
    let new_label: Vec<&str> = paths.iter().map(|p| p.as_str()).collect();
    finish(
        args,
        color,
        &resources,
        traffic.as_ref(),
        None,
        &old_label,
        &new_label.join(", "),
    )
}

/// A live object as a document for the diff (the server's bookkeeping goes: normalisation
/// ignores it anyway, and managedFields would only cost time).
fn live_document(mut obj: DynamicObject) -> String {
    obj.metadata.managed_fields = None;
    serde_json::to_string(&obj).unwrap_or_default() + "\n"
}

/// The validated config set of one side for routing (standard input and URLs were read
/// already, and are not read twice).
fn config_set(
    spec: &InputSpec,
    side: &Side,
    release: crate::model::releases::Release,
) -> Result<ConfigSet, Error> {
    match (spec, side.sources.first()) {
        (InputSpec::Stdin | InputSpec::Url(_), Some(src)) => {
            Ok(config::from_source_for(src, release))
        }
        (InputSpec::Stdin, None) => Ok(ConfigSet::default()),
        _ => config::load_inputs_for(std::slice::from_ref(spec), release),
    }
}
