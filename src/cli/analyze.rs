//! `meshctl analyze` (cross-resource analyzers over all inputs together, plus validate's
//! per-object findings) and `meshctl lint` (best-practice rules). Both read inputs as `validate`
//! does, share its output formats, and exit 1 when a finding reaches the failure threshold,
//! whatever the format.

use clap::{Args, ValueEnum};

use super::cluster::{self as live, ClusterArgs, Want};
use super::exit;
use crate::Error;
use crate::analyze::pipeline::{self, Request};
use crate::analyze::{self, Analyzer, MeshConfig, Outcome, lint};
use crate::check::{Diagnostic, Severity, catalog};
use crate::config::load_typed_for;
use crate::load::InputSpec;
use crate::report::policy::{Policy, RuleConfig, Suppression};
use crate::report::{self, Format, Rendered, Summary};

/// A severity threshold on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Threshold {
    Info,
    Warning,
    Error,
}

impl From<Threshold> for Severity {
    fn from(t: Threshold) -> Severity {
        match t {
            Threshold::Info => Severity::Info,
            Threshold::Warning => Severity::Warning,
            Threshold::Error => Severity::Error,
        }
    }
}

/// Flags shared by `analyze` and `lint`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub input: super::InputArgs,

    /// Output format.
    #[arg(short = 'o', long = "output", value_parser = crate::report::Formats(Format::FINDINGS), default_value = "human")]
    pub output: Format,

    /// Istio MeshConfig (a YAML document of MeshConfig fields, or the `istio` ConfigMap);
    /// Istio's defaults otherwise.
    #[arg(long = "mesh-config", alias = "meshConfigFile", value_name = "FILE")]
    pub mesh_config: Option<String>,

    /// Config file (default: the first .meshctl.yaml from the working directory upwards).
    #[arg(long = "config", value_name = "FILE")]
    pub config: Option<String>,

    /// Suppress findings: `CODE=Kind namespace/name` (`Kind name` for cluster-scoped kinds);
    /// `*` and `?` are wildcards. Repeatable.
    #[arg(short = 'S', long = "suppress", value_name = "CODE=Kind ns/name")]
    pub suppress: Vec<String>,

    /// Exit 1 when a finding has at least this severity [default: error].
    #[arg(long = "failure-threshold", value_enum, value_name = "LEVEL")]
    pub failure_threshold: Option<Threshold>,

    /// Print only findings of at least this severity [default: info].
    #[arg(long = "output-threshold", value_enum, value_name = "LEVEL")]
    pub output_threshold: Option<Threshold>,

    /// Report only findings not recorded in this baseline file.
    #[arg(long = "baseline", value_name = "FILE")]
    pub baseline: Option<String>,

    /// Record today's findings in FILE (then exit 0); use it later with --baseline.
    #[arg(long = "write-baseline", value_name = "FILE")]
    pub write_baseline: Option<String>,

    /// Print the checks and codes this command runs, and exit.
    #[arg(short = 'L', long = "list", visible_alias = "list-analyzers")]
    pub list: bool,

    /// The Istio release the configuration is for: 1.28, 1.29, 1.30, 1.31 or 1.32 [default:
    /// 1.32, or `istioVersion` of .meshctl.yaml]. What that release does not serve is an error,
    /// and analyzers it does not have do not run.
    #[arg(long = "istio-version", value_name = "X.Y", value_parser = super::parse_release)]
    pub istio_version: Option<crate::model::releases::Release>,

    #[command(flatten)]
    pub scope: super::scope::InputScopeArgs,

    #[command(flatten)]
    pub cluster: ClusterArgs,
}

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    #[command(flatten)]
    pub common: CheckArgs,

    /// Run only this analyzer (repeatable; names as `--list` prints them).
    #[arg(long = "analyzer", value_name = "NAME")]
    pub analyzers: Vec<String>,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    #[command(flatten)]
    pub common: CheckArgs,

    /// Run only this rule (repeatable; names as `--list` prints them).
    #[arg(long = "rule", value_name = "NAME")]
    pub rules: Vec<String>,
}

/// Which command is running.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Analyze,
    Lint,
}

pub fn run_analyze(args: &AnalyzeArgs, color: bool) -> Result<u8, Error> {
    let selected = select(&args.analyzers, analyze::ANALYZERS, "analyzer")?;
    run(&args.common, Mode::Analyze, &selected, color)
}

pub fn run_lint(args: &LintArgs, color: bool) -> Result<u8, Error> {
    let selected = select(&args.rules, lint::RULES, "rule")?;
    run(&args.common, Mode::Lint, &selected, color)
}

/// The checks named on the command line (all when none); an unknown name is a usage error.
fn select(
    names: &[String],
    all: &'static [Analyzer],
    what: &str,
) -> Result<Vec<&'static Analyzer>, Error> {
    if names.is_empty() {
        return Ok(all.iter().collect());
    }
    names
        .iter()
        .map(|n| {
            all.iter()
                .find(|a| a.name == n || a.name.rsplit('.').next() == Some(n.as_str()))
                .ok_or_else(|| {
                    let hint = crate::check::suggest(n, all.iter().map(|a| a.name))
                        .map(|s| format!(" (did you mean {s}?)"))
                        .unwrap_or_default();
                    Error::Usage(format!("unknown {what} {n:?}{hint}; --list shows them"))
                })
        })
        .collect()
}

fn list(mode: Mode, checks: &[&Analyzer]) -> String {
    use crate::report::tables::wrapped_table;
    let title = if mode == Mode::Analyze {
        "Analyzers"
    } else {
        "Lint rules"
    };
    let mut t = wrapped_table(&[
        if mode == Mode::Analyze {
            "analyzer"
        } else {
            "rule"
        },
        "codes and what it checks",
    ]);
    for a in checks {
        t.add_row(vec![
            a.name,
            &format!("{}\n{}", a.codes.join(", "), a.description),
        ]);
    }
    let mut codes: Vec<&str> = checks
        .iter()
        .flat_map(|a| a.codes.iter().copied())
        .collect();
    codes.sort_unstable();
    codes.dedup();
    let mut c = wrapped_table(&["code", "severity", "name and summary"]);
    for code in codes {
        if let Some(e) = catalog::lookup(code) {
            c.add_row(vec![
                e.code,
                e.severity.as_str(),
                &format!("{}\n{}", e.name, e.summary),
            ]);
        }
    }
    format!("{title}\n{t}\n\nCodes\n{c}\n\n`meshctl explain CODE` prints a code's documentation.\n")
}

fn run(
    args: &CheckArgs,
    mode: Mode,
    checks: &[&'static Analyzer],
    color: bool,
) -> Result<u8, Error> {
    if args.list {
        super::write_stdout(&list(mode, checks))?;
        return Ok(exit::OK);
    }
    // Without files, or with a cluster flag, the live cluster is what is checked (files given
    // too are overlaid on it); otherwise only the files are, and nothing is sent anywhere.
    let has_files = !args.input.is_empty();
    let use_cluster = args.cluster.requested_with(has_files)
        || (!has_files && args.cluster.use_kube != Some(false));
    let inputs: Vec<InputSpec> = if use_cluster {
        args.input.specs()
    } else {
        args.input.required("check")?
    };
    let suppress = args
        .suppress
        .iter()
        .map(|s| Suppression::parse(s).map_err(Error::Usage))
        .collect::<Result<Vec<_>, _>>()?;
    let cwd = std::env::current_dir().map_err(|e| Error::Read {
        path: ".".to_string(),
        source: e,
    })?;
    let config = RuleConfig::discover(args.config.as_deref(), &cwd)?;
    let release = super::release(args.istio_version, config.istio_version);
    let mesh_path = args.mesh_config.clone().or_else(|| {
        config
            .mesh_config
            .as_ref()
            .map(|p| config.base.join(p).display().to_string())
    });
    let mut mesh = match &mesh_path {
        Some(p) => MeshConfig::from_file(p)?,
        None => MeshConfig::default(),
    };
    if args.baseline.is_some() && args.write_baseline.is_some() {
        return Err(Error::Usage(
            "--baseline and --write-baseline cannot be used together".into(),
        ));
    }
    super::note_stdin(!inputs.is_empty() && inputs.iter().all(|i| *i == InputSpec::Stdin));

    let mut live_view = None;
    let (set, duplicates) = if use_cluster {
        let mut files = live::read_files(&inputs)?;
        // Two definitions of one resource: the later one is what applying the inputs leaves.
        let duplicates = files
            .as_mut()
            .map(|f| f.dedupe_identities())
            .unwrap_or_default();
        let want = Want {
            kinds: crate::cluster::fetch::analysis_kinds(),
            all_by_default: false,
            mesh_config_from: mesh_path.is_none().then_some(mesh.root_namespace.as_str()),
        };
        let mut view = live::load(&args.cluster, &want, files)?;
        if let Some(text) = view.mesh_config.take() {
            match MeshConfig::from_text(&text) {
                Ok(m) => mesh = m,
                Err(e) => eprintln!(
                    "warning: the mesh config of the cluster (ConfigMap {}/istio) does not parse ({e}); Istio's defaults are used",
                    mesh.root_namespace
                ),
            }
        }
        live::report_gaps(&view);
        let set = std::mem::take(&mut view.set);
        live_view = Some(view);
        (set, duplicates)
    } else {
        let mut set = load_typed_for(&inputs, release)?;
        if let Some(ns) = &args.cluster.namespace {
            set.assign_namespace(ns);
        }
        args.scope.apply(&mut set);
        let duplicates = set.dedupe_identities();
        (set, duplicates)
    };
    super::note_input(&set);
    let empty = (!use_cluster).then(|| set.empty_input_warning()).flatten();
    let mut input_findings = duplicates;
    input_findings.extend(empty);
    let Outcome { findings, notes } = pipeline::analyze(Request {
        set: &set,
        mesh: &mesh,
        checks,
        release,
        input_findings,
        include_input_problems: mode == Mode::Lint,
        live: live_view.as_ref().map(|v| v.namespace.as_deref()),
    });
    let policy = Policy {
        config: config.clone(),
        suppress,
        output_threshold: args
            .output_threshold
            .map(Severity::from)
            .or(config.output_threshold),
        istio_annotation: true,
    };
    let (findings, applied) = policy.apply(&set.suppressions, findings)?;
    let (findings, baselined) = match &args.baseline {
        Some(b) => crate::report::policy::apply_baseline(b, findings)?,
        None => (findings, 0),
    };
    if let Some(path) = &args.write_baseline {
        crate::report::policy::write_baseline(path, &findings)?;
        eprintln!(
            "meshctl: wrote {} finding(s) to the baseline {path}",
            findings.len()
        );
        return Ok(exit::OK);
    }

    let failure = args
        .failure_threshold
        .map(Severity::from)
        .or(config.failure_threshold)
        .unwrap_or(Severity::Error);
    let failing = findings.iter().any(|d| d.severity >= failure);
    let shown_min = policy.output_threshold.unwrap_or(Severity::Info);
    let shown: Vec<Diagnostic> = findings
        .into_iter()
        .filter(|d| d.severity >= shown_min)
        .collect();

    for n in &notes {
        eprintln!("note: {n}");
    }
    let hidden = applied.suppressed + applied.disabled + applied.ignored + baselined;
    if hidden > 0 && args.output == Format::Human {
        eprintln!(
            "note: {hidden} finding(s) not shown ({} suppressed, {} disabled by config, {} in ignored paths, {} in the baseline)",
            applied.suppressed, applied.disabled, applied.ignored, baselined
        );
    }
    super::note_skipped(set.skipped.len(), args.output);
    let mut summary = Summary {
        cluster: live_view.as_ref().map(|v| v.described.clone()),
        files: set.summary.files,
        resources: set.summary.resources,
        ..Summary::default()
    };
    summary.count(&shown);
    let text = report::render(
        args.output,
        &Rendered {
            tool_command: if mode == Mode::Analyze {
                "analyze"
            } else {
                "lint"
            },
            diagnostics: &shown,
            summary: &summary,
            files: &set.files,
            color,
        },
    );
    super::write_stdout(&text)?;
    // The process ends here: freeing every object of the input one allocation at a time would
    // only delay the exit (the operating system takes the memory back at once).
    std::mem::forget(set);
    std::mem::forget(shown);
    std::mem::forget(text);
    Ok(if failing { exit::FINDINGS } else { exit::OK })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selection_and_listing() {
        assert_eq!(
            select(&[], lint::RULES, "rule")
                .map(|v| v.len())
                .unwrap_or(0),
            lint::RULES.len()
        );
        assert!(
            select(
                &["DestinationHostAnalyzer".to_string()],
                analyze::ANALYZERS,
                "analyzer"
            )
            .is_ok()
        );
        assert!(select(&["Nope".to_string()], analyze::ANALYZERS, "analyzer").is_err());
        let all: Vec<&Analyzer> = analyze::ANALYZERS.iter().collect();
        let text = list(Mode::Analyze, &all);
        assert!(
            text.contains("IST0101")
                && text.contains("MSH3001")
                && text.contains("`meshctl explain CODE`"),
            "{text}"
        );
        // Every code of every analyzer has its row, once.
        for a in &all {
            for code in a.codes {
                let rows = text
                    .lines()
                    .filter(|l| l.starts_with(&format!("│ {code} ┆ ")))
                    .count();
                assert_eq!(rows, 1, "{code}:\n{text}");
            }
        }
    }
}
