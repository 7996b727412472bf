//! `-o concise`: one line per finding, then the summary line.

use super::Rendered;

/// One line per finding, like compilers and ruff's concise format, then the summary line:
/// `file:line:col: SEVERITY CODE message [Kind ns/name]`. Findings without a file (on
/// objects read from a cluster) start with the resource instead.
pub fn concise(r: &Rendered<'_>) -> String {
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
