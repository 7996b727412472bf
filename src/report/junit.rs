//! JUnit XML, the one writer: findings of `validate`/`analyze`/`lint` (one test case per file,
//! or per object read from a cluster) and `route-test` suites (one test case per case) are both
//! turned into a [`Suite`] and written here, so escaping, counts and structure are defined once.

use std::fmt::Write as _;

use crate::check::{Diagnostic, Severity};
use crate::route::suite::SuiteResult;

/// One `<testsuite>` inside `<testsuites>`.
#[derive(Debug, Default)]
pub struct Suite {
    pub name: String,
    pub cases: Vec<Case>,
}

/// One `<testcase>`.
#[derive(Debug, Default)]
pub struct Case {
    pub classname: String,
    pub name: String,
    /// `(message, type, text)` per `<failure>`.
    pub failures: Vec<(String, Option<String>, String)>,
    /// An `<error>`: the case could not be run.
    pub error: Option<String>,
    /// `<system-out>`: what is worth reading but does not fail the case.
    pub output: Option<String>,
}

/// Writes `<testsuites>` with one suite; the counts are the suite's.
pub fn write(suite: &Suite) -> String {
    let failures = suite
        .cases
        .iter()
        .filter(|c| !c.failures.is_empty())
        .count();
    let errors = suite.cases.iter().filter(|c| c.error.is_some()).count();
    let counts = format!(
        "tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\"",
        suite.cases.len()
    );
    let name = escape(&suite.name);
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(s, "<testsuites name=\"{name}\" {counts}>");
    let _ = writeln!(s, "  <testsuite name=\"{name}\" {counts}>");
    for c in &suite.cases {
        let _ = write!(
            s,
            "    <testcase classname=\"{}\" name=\"{}\"",
            escape(&c.classname),
            escape(&c.name)
        );
        if c.failures.is_empty() && c.error.is_none() && c.output.is_none() {
            s.push_str("/>\n");
            continue;
        }
        s.push_str(">\n");
        if let Some(e) = &c.error {
            let _ = writeln!(s, "      <error message=\"{}\"/>", escape(e));
        }
        for (message, ty, text) in &c.failures {
            let ty = ty
                .as_ref()
                .map(|t| format!(" type=\"{}\"", escape(t)))
                .unwrap_or_default();
            let _ = writeln!(
                s,
                "      <failure message=\"{}\"{ty}>{}</failure>",
                escape(message),
                escape(text)
            );
        }
        if let Some(out) = &c.output {
            let _ = writeln!(s, "      <system-out>{}</system-out>", escape(out));
        }
        s.push_str("    </testcase>\n");
    }
    s.push_str("  </testsuite>\n</testsuites>\n");
    s
}

/// Findings as test cases: one per file read (passing files too), or per object for findings
/// without a file; each error is a `<failure>`, warnings and infos go to `<system-out>`.
pub fn findings(tool_command: &str, files: &[String], diagnostics: &[Diagnostic]) -> Suite {
    let case_of = |d: &Diagnostic| -> String {
        match (&d.location, &d.resource) {
            (Some(l), _) => l.file().to_string(),
            (None, Some(res)) => res.to_string(),
            (None, None) => "(input)".to_string(),
        }
    };
    let mut names: Vec<String> = files.to_vec();
    for d in diagnostics {
        let case = case_of(d);
        if !names.contains(&case) {
            names.push(case);
        }
    }
    let cases = names
        .into_iter()
        .map(|file| {
            let mut case = Case {
                classname: format!("meshctl.{tool_command}"),
                name: file.clone(),
                ..Case::default()
            };
            let mut notes = String::new();
            for d in diagnostics.iter().filter(|d| case_of(d) == file) {
                let at = d
                    .location
                    .as_ref()
                    .map_or_else(|| file.clone(), ToString::to_string);
                let path = d
                    .path
                    .as_ref()
                    .map(|p| format!(" ({p})"))
                    .unwrap_or_default();
                let text = format!(
                    "{at}: {}[{}] {}{path}",
                    d.severity.as_str(),
                    d.code,
                    d.message
                );
                if d.severity == Severity::Error {
                    case.failures
                        .push((d.message.clone(), Some(d.code.to_string()), text));
                } else {
                    notes.push_str(&text);
                    notes.push('\n');
                }
            }
            case.output = (!notes.is_empty()).then_some(notes);
            case
        })
        .collect();
    Suite {
        name: format!("meshctl {tool_command}"),
        cases,
    }
}

/// A `route-test` suite: one test case per case, named by its description (else its index);
/// a case that could not run is an `<error>`, failed checks one `<failure>`.
pub fn route_suite(r: &SuiteResult) -> Suite {
    let cases = r
        .cases
        .iter()
        .map(|c| {
            let name = if c.description.is_empty() {
                format!("testCases[{}]", c.index)
            } else {
                c.description.clone()
            };
            let mut case = Case {
                classname: c.file.clone(),
                name,
                error: c.error.clone(),
                ..Case::default()
            };
            if c.error.is_none() && !c.passed() {
                let text: Vec<String> = c
                    .checks
                    .iter()
                    .filter(|ch| !ch.passed)
                    .map(|ch| format!("{}: {}", ch.request, ch.failures.join("; ")))
                    .collect();
                case.failures.push((
                    text.first().cloned().unwrap_or_default(),
                    None,
                    text.join("\n"),
                ));
            }
            case
        })
        .collect();
    Suite {
        name: "meshctl route-test".to_string(),
        cases,
    }
}

/// XML attribute and text escaping.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_cases_failures_and_errors_and_escapes() {
        let suite = Suite {
            name: "meshctl x".into(),
            cases: vec![
                Case {
                    classname: "c".into(),
                    name: "ok.yaml".into(),
                    ..Case::default()
                },
                Case {
                    classname: "c".into(),
                    name: "bad <1>.yaml".into(),
                    failures: vec![("m \"q\"".into(), Some("MSH1".into()), "a & b".into())],
                    ..Case::default()
                },
                Case {
                    classname: "c".into(),
                    name: "broken".into(),
                    error: Some("cannot run".into()),
                    ..Case::default()
                },
            ],
        };
        let xml = write(&suite);
        assert!(
            xml.contains("<testsuites name=\"meshctl x\" tests=\"3\" failures=\"1\" errors=\"1\">")
        );
        assert!(xml.contains("<testcase classname=\"c\" name=\"ok.yaml\"/>"));
        assert!(xml.contains("name=\"bad &lt;1&gt;.yaml\""));
        assert!(
            xml.contains("<failure message=\"m &quot;q&quot;\" type=\"MSH1\">a &amp; b</failure>")
        );
        assert!(xml.contains("<error message=\"cannot run\"/>"));
        assert!(xml.ends_with("</testsuites>\n"));
    }
}
