//! `meshctl validate`: read files, directories or stdin, validate every object, report.

use clap::Args;
use rayon::prelude::*;

use super::exit;
use crate::Error;
use crate::check::run::{SourceReport, validate_source};
use crate::check::{Diagnostic, Severity};
use crate::load::{self, InputSpec};
use crate::report::{self, Format, Rendered, Summary};

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Files or directories to validate (directories recursively: .yaml, .yml, .json); `-` reads
    /// standard input.
    #[arg(value_name = "PATH")]
    pub paths: Vec<String>,

    /// A file or directory to validate, as with kubectl (repeatable).
    #[arg(short = 'f', long = "filename", value_name = "PATH")]
    pub files: Vec<String>,

    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = Format::Human)]
    pub output: Format,

    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub strict: bool,
}

/// The outcome of validating a set of inputs, before rendering.
pub struct Outcome {
    pub diagnostics: Vec<Diagnostic>,
    pub summary: Summary,
    pub files: Vec<String>,
    pub skipped: Vec<String>,
}

/// Validates the inputs: files in parallel, results sorted by file, position and code.
pub fn validate_inputs(inputs: &[InputSpec]) -> Result<Outcome, Error> {
    let found = load::discover(inputs)?;
    let results: Vec<Result<(String, SourceReport), Error>> = found
        .files
        .par_iter()
        .map(|file| {
            let (source, problem) = load::read(file)?;
            let report = validate_source(&source, problem);
            Ok((source.name.clone(), report))
        })
        .collect();
    let mut diagnostics = Vec::new();
    let mut summary = Summary::default();
    let mut files = Vec::new();
    for r in results {
        let (name, report) = r?;
        summary.resources += report.resources;
        diagnostics.extend(report.diagnostics);
        files.push(name);
    }
    summary.files = files.len();
    diagnostics.sort_by_cached_key(Diagnostic::sort_key);
    summary.count(&diagnostics);
    let skipped = found
        .skipped
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    Ok(Outcome {
        diagnostics,
        summary,
        files,
        skipped,
    })
}

pub fn run(args: &ValidateArgs, color: bool) -> Result<u8, Error> {
    let inputs: Vec<InputSpec> = args
        .paths
        .iter()
        .chain(&args.files)
        .map(|a| InputSpec::parse(a))
        .collect();
    if inputs.is_empty() {
        return Err(Error::Usage(
            "no input: give files or directories to validate, or - for standard input".into(),
        ));
    }
    if inputs.iter().all(|i| *i == InputSpec::Stdin)
        && std::io::IsTerminal::is_terminal(&std::io::stdin())
    {
        eprintln!("meshctl: reading from standard input (end with Ctrl-D)");
    }
    let outcome = validate_inputs(&inputs)?;
    if !outcome.skipped.is_empty() && args.output == Format::Human {
        eprintln!(
            "note: skipped {} file(s) that are not .yaml, .yml or .json",
            outcome.skipped.len()
        );
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
