//! `meshctl validate`: read files, directories or stdin, validate every object, report.

use super::exit;
use crate::Error;
use crate::check::{Diagnostic, Severity};
use crate::config::validate_inputs_for;
use crate::load::InputSpec;
use crate::report::{self, Format, Rendered};
use clap::Args;

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Files, directories or http(s) URLs to validate (directories recursively: .yaml, .yml,
    /// .json); `-` reads standard input.
    #[arg(value_name = "PATH")]
    pub paths: Vec<String>,

    /// A file, directory or http(s) URL to validate, as with kubectl (repeatable).
    #[arg(short = 'f', long = "filename", value_name = "PATH")]
    pub files: Vec<String>,

    /// A kustomization folder: validate what `kubectl kustomize DIR` (or `kustomize build DIR`)
    /// renders, as `kubectl apply -k` would (repeatable).
    #[arg(short = 'k', long = "kustomize", value_name = "DIR")]
    pub kustomize: Vec<String>,

    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = Format::Human)]
    pub output: Format,

    /// The Istio release the configuration is for: 1.28, 1.29, 1.30, 1.31 or 1.32 [default:
    /// 1.32, or `istioVersion` of .meshctl.yaml]. What that release does not serve is an error.
    #[arg(long = "istio-version", value_name = "X.Y", value_parser = super::parse_release)]
    pub istio_version: Option<crate::model::releases::Release>,

    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub strict: bool,
}

pub fn run(args: &ValidateArgs, color: bool) -> Result<u8, Error> {
    let inputs = super::inputs(&args.paths, &args.files, &args.kustomize, "validate")?;
    super::note_stdin(inputs.iter().all(|i| *i == InputSpec::Stdin));
    let cwd = std::env::current_dir().map_err(|e| Error::Read {
        path: ".".to_string(),
        source: e,
    })?;
    let config_release = if args.istio_version.is_none() {
        crate::analyze::rules::RuleConfig::discover(None, &cwd)?.istio_version
    } else {
        None
    };
    let release = super::release(args.istio_version, config_release);
    let mut outcome = validate_inputs_for(&inputs, release)?;
    super::note_input(&outcome);
    super::note_skipped(outcome.skipped.len(), args.output);
    if let Some(w) = outcome.empty_input_warning() {
        outcome.summary.count(std::slice::from_ref(&w));
        outcome.diagnostics.push(w);
    }
    let text = report::render(
        args.output,
        &Rendered {
            tool_command: "validate",
            diagnostics: &outcome.diagnostics,
            summary: &outcome.summary,
            files: &outcome.files,
            color,
        },
    );
    super::write_stdout(&text)?;
    Ok(exit_code(&outcome.diagnostics, args.strict))
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
