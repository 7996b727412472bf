//! `-o github`: GitHub Actions workflow commands, one annotation per finding.

use super::Rendered;
use crate::check::{Severity, catalog};

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
