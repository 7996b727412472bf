//! `meshctl diff OLD NEW`: the semantic diff of two config sets (files, directories or `-` for
//! standard input), optionally with what the change does to traffic.

use clap::Args;

use super::exit;
use crate::Error;
use crate::config::{self, ConfigSet};
use crate::diff::render::{self, DiffFormat, Report};
use crate::diff::{self, Options, Side, traffic};
use crate::load::InputSpec;

#[derive(Debug, Args)]
#[command(
    after_help = "Exit codes: 0 no differences, 1 differences, 2 usage error, 3 input \
                        could not be read (missing file, invalid YAML). With --exit-zero, 0 \
                        whenever the comparison ran."
)]
pub struct DiffArgs {
    /// The old configuration: a file, a directory (read recursively: .yaml, .yml, .json) or `-`
    /// for standard input.
    #[arg(value_name = "OLD")]
    pub old: String,

    /// The new configuration: a file, a directory or `-` (only one side may be `-`).
    #[arg(value_name = "NEW")]
    pub new: String,

    /// Output format.
    #[arg(short = 'o', long = "output", value_enum, default_value_t = DiffFormat::Human)]
    pub output: DiffFormat,

    /// Also report what the change does to traffic: probe requests derived from both configs
    /// whose routing outcome changed.
    #[arg(long)]
    pub traffic: bool,

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
}

pub fn run(args: &DiffArgs, color: bool) -> Result<u8, Error> {
    if args.old == "-" && args.new == "-" {
        return Err(Error::Usage(
            "only one side of a diff can be standard input (-)".into(),
        ));
    }
    let opts = Options::with_ignored(&args.ignore_field)?;
    let old_spec = InputSpec::parse(&args.old);
    let new_spec = InputSpec::parse(&args.new);
    super::note_stdin(old_spec == InputSpec::Stdin || new_spec == InputSpec::Stdin);
    let old = diff::read_side(std::slice::from_ref(&old_spec))?;
    let new = diff::read_side(std::slice::from_ref(&new_spec))?;
    let resources = diff::diff(&old, &new, &opts)?;
    let traffic = if args.traffic {
        let a = config_set(&old_spec, &old)?;
        let b = config_set(&new_spec, &new)?;
        Some(traffic::diff(&a, &b))
    } else {
        None
    };
    let text = render::render(
        args.output,
        &Report {
            resources: &resources,
            traffic: traffic.as_ref(),
            old_label: &args.old,
            new_label: &args.new,
            color: color && args.output == DiffFormat::Human,
            traces: args.explain,
        },
    );
    super::write_stdout(&text)?;
    let differ = !resources.is_empty() || traffic.as_ref().is_some_and(|t| !t.changes.is_empty());
    Ok(if differ && !args.exit_zero {
        exit::FINDINGS
    } else {
        exit::OK
    })
}

/// The validated config set of one side for routing (standard input was read already).
fn config_set(spec: &InputSpec, side: &Side) -> Result<ConfigSet, Error> {
    match (spec, side.sources.first()) {
        (InputSpec::Stdin, Some(src)) => Ok(config::from_text(&src.name, &src.text)),
        (InputSpec::Stdin, None) => Ok(ConfigSet::default()),
        _ => config::load_inputs(std::slice::from_ref(spec)),
    }
}
