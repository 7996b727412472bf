//! `meshctl validate`: read files, directories or stdin, validate every object, report.

use super::exit;
use crate::Error;
use crate::check::{Diagnostic, Severity};
use crate::config::validate_inputs;
use crate::load::InputSpec;
use crate::report::{self, Format, Rendered};
use clap::Args;

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
