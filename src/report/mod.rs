//! Rendering: one [`Diagnostic`] list, many formats. `human` for terminals; `json` and `yaml`
//! (the documented, stable structure of `docs/output.md`); `sarif` 2.1.0 for code scanning;
//! `junit` for CI test reports; `github` for workflow annotations. No format changes the exit
//! code, and no check ever prints: this module is the only writer of results.

pub mod human;
pub mod junit;
pub mod policy;
pub mod tables;
pub mod yaml;

use serde_json::{Value as Json, json};

use crate::check::catalog;
use crate::check::{Diagnostic, Severity};

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

/// The `summary` object of the JSON and YAML output.
fn summary_json(summary: &Summary) -> Json {
    let mut j = json!({
        "files": summary.files,
        "resources": summary.resources,
        "errors": summary.errors,
        "warnings": summary.warnings,
        "infos": summary.infos,
    });
    if let (Some(c), Json::Object(map)) = (&summary.cluster, &mut j) {
        map.insert("cluster".to_string(), Json::from(c.clone()));
    }
    j
}

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
        Format::Human => render_human(r),
        Format::Concise => concise(r),
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&to_json(r)).unwrap_or_default();
            s.push('\n');
            s
        }
        Format::Yaml => yaml::to_yaml(&to_json(r)),
        Format::Sarif => {
            let mut s = serde_json::to_string_pretty(&sarif(r)).unwrap_or_default();
            s.push('\n');
            s
        }
        Format::Junit => junit::write(&junit::findings(r.tool_command, r.files, r.diagnostics)),
        Format::Github => github(r),
        // Not offered for findings (`Format::FINDINGS`).
        Format::Markdown => render_human(r),
    }
}

/// One line per finding, like compilers and ruff's concise format, then the summary line:
/// `file:line:col: SEVERITY CODE message [Kind ns/name]`. Findings without a file (on
/// objects read from a cluster) start with the resource instead.
fn concise(r: &Rendered<'_>) -> String {
    let mut out = String::new();
    for d in r.diagnostics {
        match &d.location {
            Some(l) => out.push_str(&format!("{l}: ")),
            None => {
                if let Some(res) = &d.resource {
                    out.push_str(&format!("{res}: "));
                }
            }
        }
        out.push_str(&format!(
            "{} {} {}",
            d.severity.as_str().to_ascii_uppercase(),
            d.code,
            one_line(&d.message)
        ));
        if let (Some(res), Some(_)) = (&d.resource, &d.location) {
            out.push_str(&format!(" [{res}]"));
        }
        out.push('\n');
    }
    let s = r.summary;
    out.push_str(&format!(
        "{} error(s), {} warning(s), {} info(s) in {} resource(s)\n",
        s.errors, s.warnings, s.infos, s.resources
    ));
    out
}

/// A message on one line, however long it was written.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn render_human(r: &Rendered<'_>) -> String {
    use rayon::prelude::*;
    // Each finding (or group) is drawn on its own, in parallel, then joined in order.
    let parts: Vec<String> = tables::group(r.diagnostics)
        .par_iter()
        .map(|entry| {
            let mut out = String::new();
            match entry {
                tables::Entry::Full(d) => human::render(d, r.color, &mut out),
                tables::Entry::Group { first, rest } => {
                    human::render(first, r.color, &mut out);
                    out.push_str(&tables::group_header(first, rest.len()));
                    out.push('\n');
                    for d in rest {
                        out.push_str("    ");
                        out.push_str(&tables::group_line(d));
                        out.push('\n');
                    }
                    out.push('\n');
                }
            }
            out
        })
        .collect();
    let mut out = String::with_capacity(parts.iter().map(String::len).sum::<usize>() + 4096);
    for part in &parts {
        out.push_str(part);
    }
    drop(parts);
    out.push_str(&tables::summary_tables(r.diagnostics));
    let s = r.summary;
    let plural = |n: usize, word: &str| {
        if n == 1 {
            format!("{n} {word}")
        } else {
            format!("{n} {word}s")
        }
    };
    let scope = match (&s.cluster, s.files) {
        (None, files) => format!(
            "{} in {}",
            plural(s.resources, "resource"),
            plural(files, "file")
        ),
        (Some(c), 0) => format!("{} from {c}", plural(s.resources, "resource")),
        (Some(c), files) => format!(
            "{} from {c} with {} overlaid",
            plural(s.resources, "resource"),
            plural(files, "file")
        ),
    };
    let (mark, color) = if s.errors > 0 {
        ("✖", "\x1b[31m")
    } else if s.warnings > 0 {
        ("⚠", "\x1b[33m")
    } else {
        ("✔", "\x1b[32m")
    };
    let counts = if s.errors + s.warnings + s.infos == 0 {
        "no problems".to_string()
    } else {
        let mut parts = vec![plural(s.errors, "error"), plural(s.warnings, "warning")];
        if s.infos > 0 {
            parts.push(format!("{} info", s.infos));
        }
        parts.join(", ")
    };
    if r.color {
        out.push_str(&format!("{color}{mark}\x1b[0m {counts} ({scope})\n"));
    } else {
        out.push_str(&format!("{mark} {counts} ({scope})\n"));
    }
    out
}

/// One finding in the JSON output's form (also used by `diff --findings`).
pub fn diagnostic_json(d: &Diagnostic) -> Json {
    let (file, line, column, end_line, end_column) = match &d.location {
        Some(l) => {
            let (line, col) = l.start();
            let (el, ec) = l.end();
            (
                Json::from(l.file()),
                Json::from(line),
                Json::from(col),
                Json::from(el),
                Json::from(ec),
            )
        }
        None => (Json::Null, Json::Null, Json::Null, Json::Null, Json::Null),
    };
    let mut j = json!({
        "code": d.code,
        "severity": d.severity.as_str(),
        "message": d.message,
        "file": file,
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
        "resource": d.resource,
        "path": d.path,
        "help": d.help,
    });
    if let Some(rule) = d.rule {
        j["rule"] = Json::from(rule);
    }
    j
}

pub fn to_json(r: &Rendered<'_>) -> Json {
    json!({
        "diagnostics": r.diagnostics.iter().map(diagnostic_json).collect::<Vec<_>>(),
        "summary": summary_json(r.summary),
    })
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A path as a SARIF artifact URI: relative paths stay relative (GitHub resolves them against
/// the repository root), separators become `/`, and characters outside the URI alphabet are
/// percent-encoded.
fn artifact_uri(file: &str) -> String {
    let file = file.strip_prefix("./").unwrap_or(file).replace('\\', "/");
    let mut out = String::with_capacity(file.len());
    for b in file.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~:".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn sarif(r: &Rendered<'_>) -> Json {
    let rules: Vec<Json> = catalog::CATALOG
        .iter()
        .map(|c| {
            json!({
                "id": c.code,
                "name": c.name,
                "shortDescription": {"text": c.summary},
                "defaultConfiguration": {"level": sarif_level(c.severity)},
                "help": {"text": format!("{} Run `{}` for the rule's documentation.", c.summary, crate::check::catalog::see(c.code)), "markdown": c.doc},
            })
        })
        .collect();
    let results: Vec<Json> = r
        .diagnostics
        .iter()
        .map(|d| {
            let mut text = d.message.clone();
            if let Some(res) = &d.resource {
                text.push_str(&format!(" [{res}]"));
            }
            if let Some(h) = &d.help {
                text.push_str(&format!(" ({h})"));
            }
            let mut result = json!({
                "ruleId": d.code,
                "level": sarif_level(d.severity),
                "message": {"text": text},
            });
            if let Some(i) = catalog::CATALOG.iter().position(|c| c.code == d.code) {
                result["ruleIndex"] = json!(i);
            }
            if let Some(l) = &d.location {
                let (line, col) = l.start();
                let (el, ec) = l.end();
                result["locations"] = json!([{
                    "physicalLocation": {
                        "artifactLocation": {"uri": artifact_uri(l.file())},
                        "region": {
                            "startLine": line,
                            "startColumn": col,
                            "endLine": el,
                            "endColumn": ec.max(if el == line { col + 1 } else { 1 }),
                        }
                    }
                }]);
            }
            result
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "meshctl",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "results": results,
        }]
    })
}

fn gh_escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn gh_escape_prop(s: &str) -> String {
    gh_escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// GitHub Actions workflow commands (`::error file=…,line=…::message`).
pub fn github(r: &Rendered<'_>) -> String {
    let mut out = String::new();
    for d in r.diagnostics {
        let level = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut props = Vec::new();
        if let Some(l) = &d.location {
            let (line, col) = l.start();
            let (el, ec) = l.end();
            props.push(format!("file={}", gh_escape_prop(l.file())));
            props.push(format!("line={line}"));
            props.push(format!("col={col}"));
            props.push(format!("endLine={el}"));
            if el == line {
                props.push(format!("endColumn={ec}"));
            }
        }
        let name = catalog::lookup(d.code).map_or("", |c| c.name);
        props.push(format!(
            "title={}",
            gh_escape_prop(&format!("{} {name}", d.code))
        ));
        let mut msg = d.message.clone();
        if let Some(res) = &d.resource {
            msg.push_str(&format!(" [{res}]"));
        }
        if let Some(h) = &d.help {
            msg.push_str(&format!("\nhelp: {h}"));
        }
        out.push_str(&format!(
            "::{level} {}::{}\n",
            props.join(","),
            gh_escape_data(&msg)
        ));
    }
    out
}
