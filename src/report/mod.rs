//! Rendering: one [`Diagnostic`] list, many formats. `human` for terminals; `json` and `yaml`
//! (the documented, stable structure of `docs/output.md`); `sarif` 2.1.0 for code scanning;
//! `junit` for CI test reports; `github` for workflow annotations. No format changes the exit
//! code, and no check ever prints: this module is the only writer of results.

pub mod concise;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod policy;
pub mod sarif;
pub mod tables;
pub mod yaml;

pub use json::{diagnostic_json, to_json};

use crate::check::Diagnostic;

/// Every output format meshctl writes: one enum for all commands, each command accepting the
/// formats it can write ([`Formats`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    /// One line per finding: `file:line:col: SEVERITY CODE message [Kind ns/name]`.
    Concise,
    Json,
    Yaml,
    Sarif,
    /// JUnit XML (route-test: test suites only).
    Junit,
    Github,
    /// Markdown, for pull-request comments.
    Markdown,
}

impl Format {
    /// What `validate`, `analyze` and `lint` write: findings.
    pub const FINDINGS: &[Format] = &[
        Format::Human,
        Format::Concise,
        Format::Json,
        Format::Yaml,
        Format::Sarif,
        Format::Junit,
        Format::Github,
    ];
    /// What `route-test` writes (JUnit for test suites).
    pub const ROUTE: &[Format] = &[Format::Human, Format::Json, Format::Yaml, Format::Junit];
    /// What `diff` writes.
    pub const DIFF: &[Format] = &[Format::Human, Format::Markdown, Format::Json, Format::Yaml];
    /// What reports such as `precheck` write.
    pub const REPORT: &[Format] = &[Format::Human, Format::Json, Format::Yaml];
}

/// The value parser of a command's `-o`: only the formats the command writes are accepted,
/// and only those are listed in its help and completions.
#[derive(Debug, Clone, Copy)]
pub struct Formats(pub &'static [Format]);

impl clap::builder::TypedValueParser for Formats {
    type Value = Format;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<Format, clap::Error> {
        use clap::ValueEnum as _;
        let names = self.0.iter().filter_map(|f| f.to_possible_value());
        let name = clap::builder::PossibleValuesParser::new(names).parse_ref(cmd, arg, value)?;
        // The name is one of this command's formats (the parser above checked it).
        Ok(self
            .0
            .iter()
            .copied()
            .find(|f| {
                f.to_possible_value()
                    .is_some_and(|v| v.matches(&name, false))
            })
            .unwrap_or(Format::Human))
    }

    fn possible_values(
        &self,
    ) -> Option<Box<dyn Iterator<Item = clap::builder::PossibleValue> + '_>> {
        use clap::ValueEnum as _;
        Some(Box::new(
            self.0.iter().filter_map(|f| f.to_possible_value()),
        ))
    }
}

pub use crate::check::Summary;

/// Everything a renderer needs.
pub struct Rendered<'a> {
    pub tool_command: &'a str,
    pub diagnostics: &'a [Diagnostic],
    pub summary: &'a Summary,
    /// Every file that was read, for formats that list passing files too (JUnit).
    pub files: &'a [String],
    pub color: bool,
}

pub fn render(format: Format, r: &Rendered<'_>) -> String {
    match format {
        Format::Human => human::report(r),
        Format::Concise => concise::concise(r),
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&to_json(r)).unwrap_or_default();
            s.push('\n');
            s
        }
        Format::Yaml => yaml::to_yaml(&to_json(r)),
        Format::Sarif => {
            let mut s = serde_json::to_string_pretty(&sarif::sarif(r)).unwrap_or_default();
            s.push('\n');
            s
        }
        Format::Junit => junit::write(&junit::findings(r.tool_command, r.files, r.diagnostics)),
        Format::Github => github::github(r),
        // Not offered for findings (`Format::FINDINGS`).
        Format::Markdown => human::report(r),
    }
}
