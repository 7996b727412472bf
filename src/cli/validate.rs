//! `meshctl validate`: read files, directories or stdin, validate every object, report.

use super::exit;
use crate::Error;
use crate::check::{Diagnostic, Severity};
use crate::config::validate_inputs_for;
use crate::load::InputSpec;
use crate::report::policy::{Policy, RuleConfig, Suppression};
use crate::report::{self, Format, Rendered};
use clap::Args;

#[derive(Debug, Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub input: super::InputArgs,

    /// Output format.
    #[arg(short = 'o', long = "output", value_parser = crate::report::Formats(Format::FINDINGS), default_value = "human")]
    pub output: Format,

    /// The Istio release the configuration is for: 1.28, 1.29, 1.30, 1.31 or 1.32 [default:
    /// 1.32, or `istioVersion` of .meshctl.yaml]. What that release does not serve is an error.
    #[arg(long = "istio-version", value_name = "X.Y", value_parser = super::parse_release)]
    pub istio_version: Option<crate::model::releases::Release>,

    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub strict: bool,

    /// Suppress findings: `CODE=Kind namespace/name` (`Kind name` for cluster-scoped kinds);
    /// `*` and `?` are wildcards; MSH1100/MSH1101 name every admission error/warning.
    /// Repeatable.
    #[arg(short = 'S', long = "suppress", value_name = "CODE=Kind ns/name")]
    pub suppress: Vec<String>,

    /// Config file (default: the first .meshctl.yaml from the working directory upwards).
    #[arg(long = "config", value_name = "FILE")]
    pub config: Option<String>,
}

pub fn run(args: &ValidateArgs, color: bool) -> Result<u8, Error> {
    let inputs = args.input.required("validate")?;
    super::note_stdin(inputs.iter().all(|i| *i == InputSpec::Stdin));
    let cwd = std::env::current_dir().map_err(|e| Error::Read {
        path: ".".to_string(),
        source: e,
    })?;
    let suppress = args
        .suppress
        .iter()
        .map(|s| Suppression::parse(s).map_err(Error::Usage))
        .collect::<Result<Vec<_>, _>>()?;
    let config = RuleConfig::discover(args.config.as_deref(), &cwd)?;
    let release = super::release(args.istio_version, config.istio_version);
    let mut outcome = validate_inputs_for(&inputs, release)?;
    super::note_input(&outcome);
    super::note_skipped(outcome.skipped.len(), args.output);
    if let Some(w) = outcome.empty_input_warning() {
        outcome.diagnostics.push(w);
    }
    // The annotation validate honours is meshctl's own (see docs/validate.md): Istio's
    // galley.istio.io/analyze-suppress names analyzer codes for istioctl analyze.
    let policy = Policy {
        config,
        suppress,
        output_threshold: None,
        istio_annotation: false,
    };
    let (diagnostics, applied) = policy.apply(
        &outcome.suppressions,
        std::mem::take(&mut outcome.diagnostics),
    )?;
    outcome.summary.errors = 0;
    outcome.summary.warnings = 0;
    outcome.summary.infos = 0;
    outcome.summary.count(&diagnostics);
    let hidden = applied.suppressed + applied.disabled + applied.ignored;
    if hidden > 0 && args.output == Format::Human {
        eprintln!(
            "note: {hidden} finding(s) not shown ({} suppressed, {} disabled by config, {} in ignored paths)",
            applied.suppressed, applied.disabled, applied.ignored
        );
    }
    let text = report::render(
        args.output,
        &Rendered {
            tool_command: "validate",
            diagnostics: &diagnostics,
            summary: &outcome.summary,
            files: &outcome.files,
            color,
        },
    );
    super::write_stdout(&text)?;
    Ok(exit_code(&diagnostics, args.strict))
}

/// 1 when any error (or, with `strict`, any warning) was found, else 0.
pub fn exit_code(diagnostics: &[Diagnostic], strict: bool) -> u8 {
    let failing = |d: &Diagnostic| {
        d.severity == Severity::Error || (strict && d.severity == Severity::Warning)
    };
    if diagnostics.iter().any(failing) {
        exit::FINDINGS
    } else {
        exit::OK
    }
}
