//! The command line: clap definitions (one file per subcommand), the flags every command shares,
//! and the mapping from a command's outcome to the documented exit code. Subcommands turn their
//! arguments into library calls; no checking logic lives here.

pub mod analyze;
pub mod cluster;
pub mod diff;
pub mod install;
pub mod manifest;
pub mod plugin_complete;
pub mod precheck;
pub mod route_test;
pub mod scope;
pub mod validate;

use std::io::{IsTerminal, Write};

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use clap_complete::Shell;

use crate::Error;
use crate::load::InputSpec;
use crate::report::Format;

/// Exit codes, the same for every output format.
pub mod exit {
    /// Nothing at or above the failure threshold was found.
    pub const OK: u8 = 0;
    /// Findings at or above the failure threshold (errors; warnings too with `--strict`).
    pub const FINDINGS: u8 = 1;
    /// The command line was wrong.
    pub const USAGE: u8 = 2;
    /// Input could not be read (missing file, unreadable stdin), or the cluster could not be
    /// used (unreachable, unknown context, credentials rejected).
    pub const ENVIRONMENT: u8 = 3;
}

#[derive(Debug, Parser)]
#[command(
    name = "meshctl",
    version,
    about = "Fast, offline validation, analysis, routing simulation and diff of Istio \
             service-mesh configuration",
    long_about = "meshctl checks Istio and Kubernetes resources before they ship: schema and \
                  semantic validation, cross-resource analysis (Istio's analyzers, offline) and \
                  best-practice lint, with exact file:line:column locations, in human, JSON, \
                  YAML, SARIF, JUnit and GitHub formats; simulates Istio's routing for a request \
                  (route-test) and shows what a change does to resources and traffic (diff); \
                  the same on a live cluster's configuration with --kube.",
    after_help = "Exit codes: 0 no findings at the failure threshold, 1 findings (errors; \
                  warnings too with validate --strict or --failure-threshold), 2 usage error, \
                  3 input could not be read or the cluster could not be used. route-test \
                  exits 0 whenever it ran (1 only when a \
                  --tests suite fails); diff exits 1 when the two sides differ."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// When to use colors: auto (a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    /// Resolves `auto` against the terminal and `NO_COLOR` (any non-empty value disables).
    pub fn enabled(self, is_terminal: bool) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate Istio and Kubernetes resources: structure, schema and Istio's admission rules.
    Validate(validate::ValidateArgs),
    /// Analyze resources together: Istio's analyzers (IST codes), shadowed routes, and
    /// validate's per-object findings; on files offline, or on the live cluster (no files, or
    /// --kube; files are then overlaid).
    Analyze(analyze::AnalyzeArgs),
    /// Check resources against best-practice rules (MSH2xxx).
    Lint(analyze::LintArgs),
    /// Which gateway, VirtualService rule and destination a request hits, and why; or run a
    /// suite of routing test cases with coverage.
    #[command(name = "route-test")]
    RouteTest(route_test::RouteTestArgs),
    /// Compare two config sets by resource (added, removed, changed fields), and with
    /// --traffic what the change does to routing.
    Diff(diff::DiffArgs),
    /// Render objects from meshctl's model without a cluster (the Istio CRDs).
    Manifest(manifest::ManifestArgs),
    /// Check whether Istio can be installed in the cluster: Kubernetes version, permissions,
    /// an existing control plane, room on the nodes.
    Precheck(precheck::PrecheckArgs),
    /// Install Istio into the cluster (minimal, default or demo profile) and wait until it is
    /// ready.
    Install(install::InstallArgs),
    /// Remove what meshctl installed (--purge: the Istio CRDs too).
    Uninstall(install::UninstallArgs),
    /// Check an installation: every object there, unmodified and ready, webhooks wired.
    Verify(install::VerifyArgs),
    /// Run the language server (Language Server Protocol over standard input and output):
    /// validate and analyze findings as you type, field documentation on hover, "did you
    /// mean" quick fixes. See docs/editors.md.
    Lsp {
        /// Talk over standard input and output (the default and only transport; accepted
        /// because editors pass it).
        #[arg(long)]
        stdio: bool,
    },
    /// Print the documentation of a finding code (IST0101, MSH1014, ...), as built into the
    /// binary; without a code, list every code.
    Explain {
        /// The code, e.g. IST0101.
        #[arg(value_name = "CODE")]
        code: Option<String>,
    },
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions {
        #[arg(value_enum)]
        shell: Shell,
    },
    /// Print the man page (roff).
    #[command(hide = true)]
    Man,
}

/// The program: parse the command line, run it, print an error with its causes, and map the
/// outcome to the documented exit code. Shared by `meshctl` and the `kubectl-mesh` plugin.
pub fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => std::process::ExitCode::from(code),
        Err(err) => {
            eprintln!("error: {}", with_causes(&err));
            std::process::ExitCode::from(err.exit_code())
        }
    }
}

/// An error and the chain of errors that caused it: `cannot read x: permission denied`.
pub fn with_causes(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut cause = err.source();
    while let Some(c) = cause {
        let more = c.to_string();
        // thiserror messages often embed their source already; do not say it twice.
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        cause = c.source();
    }
    text
}

/// Runs a parsed command line and returns its exit code.
pub fn run(cli: Cli) -> Result<u8, Error> {
    let color = cli.color.enabled(std::io::stdout().is_terminal());
    match cli.command {
        Command::Validate(args) => validate::run(&args, color),
        Command::Analyze(args) => analyze::run_analyze(&args, color),
        Command::Lint(args) => analyze::run_lint(&args, color),
        Command::RouteTest(args) => route_test::run(&args, color),
        Command::Manifest(args) => manifest::run(&args),
        Command::Lsp { .. } => Ok(crate::lsp::run_stdio()),
        Command::Precheck(args) => precheck::run(&args, color),
        Command::Install(args) => install::run_install(&args, color),
        Command::Uninstall(args) => install::run_uninstall(&args),
        Command::Verify(args) => install::run_verify(&args, color),
        Command::Diff(args) => diff::run(&args, color),
        Command::Explain { code } => {
            write_stdout(&explain(code.as_deref())?)?;
            Ok(exit::OK)
        }
        Command::Completions { shell } => {
            write_stdout(&completion(shell))?;
            Ok(exit::OK)
        }
        Command::Man => {
            write_stdout(&man_page()?)?;
            Ok(exit::OK)
        }
    }
}

/// `meshctl explain [CODE]`: a code's page, or the list of codes. An unknown code is a usage
/// error with the nearest code.
pub fn explain(code: Option<&str>) -> Result<String, Error> {
    use crate::check::catalog;
    let Some(code) = code else {
        let mut t = crate::report::tables::table(&["code", "severity", "name"]);
        for c in catalog::CATALOG {
            t.add_row(vec![c.code, c.severity.as_str(), c.name]);
        }
        return Ok(format!(
            "{t}\n\n`meshctl explain CODE` prints a code's documentation.\n"
        ));
    };
    let wanted = code.trim().to_ascii_uppercase();
    match catalog::lookup(&wanted) {
        Some(c) => Ok(c.doc.to_string()),
        None => {
            let hint = crate::check::suggest(&wanted, catalog::CATALOG.iter().map(|c| c.code))
                .map(|s| format!(" (did you mean {s}?)"))
                .unwrap_or_default();
            Err(Error::Usage(format!(
                "unknown code {code:?}{hint}; `meshctl explain` lists them"
            )))
        }
    }
}

/// The completion script for `shell`, as checked in under `completions/`.
pub fn completion(shell: Shell) -> String {
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "meshctl", &mut buf);
    String::from_utf8_lossy(&buf).into_owned()
}

/// The man page, as checked in under `docs/man/meshctl.1`.
pub fn man_page() -> Result<String, Error> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut buf)?;
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

/// `text` in the ANSI color `code` (`32` green, `33` yellow, `31` red) when `color` is on.
pub fn paint(color: bool, code: &str, text: &str) -> String {
    if color {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

/// Colours the status marks of rendered text (✔ green, ⚠ yellow, ✘ and ✖ red) when `color` is
/// on. Tables are laid out without colour codes and painted afterwards, so that the codes never
/// count toward a column's width.
pub fn paint_marks(color: bool, text: &str) -> String {
    if !color {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '✔' => out.push_str(&paint(true, "32", "✔")),
            '⚠' => out.push_str(&paint(true, "33", "⚠")),
            '✘' | '✖' => out.push_str(&paint(true, "31", &ch.to_string())),
            _ => out.push(ch),
        }
    }
    out
}

/// Writes results to stdout. A closed pipe (`meshctl ... | head`) is not an error.
pub fn write_stdout(text: &str) -> Result<(), Error> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(Error::Output(e)),
    }
}

/// The inputs a command names, as paths and as `-f` files; none at all is a usage error that says
/// what the command would do with them (`validate`, `check`).
/// The input flags `validate`, `analyze` and `lint` share, declared once: paths (and `-`),
/// `-f` as kubectl has it, `-k` for kustomizations.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct InputArgs {
    /// Files, directories or http(s) URLs to read (directories recursively: .yaml, .yml,
    /// .json); `-` reads standard input.
    #[arg(value_name = "PATH")]
    pub paths: Vec<String>,

    /// A file, directory or http(s) URL to read, as with kubectl (repeatable).
    #[arg(short = 'f', long = "filename", value_name = "PATH")]
    pub files: Vec<String>,

    /// A kustomization folder: read what `kubectl kustomize DIR` (or `kustomize build DIR`)
    /// renders, as `kubectl apply -k` would (repeatable).
    #[arg(short = 'k', long = "kustomize", value_name = "DIR")]
    pub kustomize: Vec<String>,

    /// Read directories recursively, as kubectl's and istioctl's -R ask: accepted so their
    /// command lines work unchanged; meshctl always reads directories recursively.
    #[arg(short = 'R', long = "recursive")]
    pub recursive: bool,
}

impl InputArgs {
    /// Whether any input was named.
    pub fn is_empty(&self) -> bool {
        self.paths.is_empty() && self.files.is_empty() && self.kustomize.is_empty()
    }

    /// The inputs in command-line order: paths and `-f` first, then `-k` folders.
    pub fn specs(&self) -> Vec<InputSpec> {
        self.paths
            .iter()
            .chain(&self.files)
            .map(|a| InputSpec::parse(a))
            .chain(
                self.kustomize
                    .iter()
                    .map(|d| InputSpec::Kustomize(std::path::PathBuf::from(d))),
            )
            .collect()
    }

    /// [`InputArgs::specs`], or a usage error naming what to give when there are none.
    pub fn required(&self, verb: &str) -> Result<Vec<InputSpec>, Error> {
        let inputs = self.specs();
        if inputs.is_empty() {
            return Err(Error::Usage(format!(
                "no input: give files or directories to {verb}, -k DIR for a kustomization, or - for standard input"
            )));
        }
        Ok(inputs)
    }
}

/// Tells a user at a terminal that the command waits for standard input, when it reads it.
fn note_stdin(reads_stdin: bool) {
    if reads_stdin && std::io::stdin().is_terminal() {
        eprintln!("meshctl: reading from standard input (end with Ctrl-D)");
    }
}

/// `--istio-version`: a supported Istio release (`1.28`, `1.30.2`).
pub fn parse_release(s: &str) -> Result<crate::model::releases::Release, String> {
    crate::model::releases::Release::supported(s)
}

/// The release to check against: the flag, else `.meshctl.yaml`'s `istioVersion`, else the
/// newest stable release.
fn release(
    flag: Option<crate::model::releases::Release>,
    config: Option<crate::model::releases::Release>,
) -> crate::model::releases::Release {
    flag.or(config).unwrap_or(crate::model::releases::DEFAULT)
}

/// Prints what the user should know about the input that is not a finding (files left out as
/// not manifests), on stderr so that machine output stays clean.
fn note_input(set: &crate::config::ConfigSet) {
    for n in &set.notes {
        eprintln!("note: {n}");
    }
}

/// Notes, in human output only, the files a directory walk passed over.
fn note_skipped(skipped: usize, output: Format) {
    if skipped > 0 && output == Format::Human {
        eprintln!("note: skipped {skipped} file(s) that are not .yaml, .yml or .json");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_are_painted_after_layout_and_only_with_color() {
        let text = "│ ✔ a ┆ ok │\n│ ⚠ b ┆ so-so │\n│ ✘ c ┆ ✖ bad │\n";
        assert_eq!(paint_marks(false, text), text);
        let painted = paint_marks(true, text);
        assert!(painted.contains("\x1b[32m✔\x1b[0m"), "{painted}");
        assert!(painted.contains("\x1b[33m⚠\x1b[0m"), "{painted}");
        assert!(painted.contains("\x1b[31m✘\x1b[0m"), "{painted}");
        assert!(painted.contains("\x1b[31m✖\x1b[0m"), "{painted}");
        // Nothing else changes: without the colour codes it is the same text.
        let stripped = painted
            .replace("\x1b[32m", "")
            .replace("\x1b[33m", "")
            .replace("\x1b[31m", "")
            .replace("\x1b[0m", "");
        assert_eq!(stripped, text);
    }

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn color_choice() {
        assert!(ColorChoice::Always.enabled(false));
        assert!(!ColorChoice::Never.enabled(true));
        assert!(!ColorChoice::Auto.enabled(false));
    }
}
