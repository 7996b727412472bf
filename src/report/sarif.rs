//! `-o sarif`: SARIF 2.1.0 for code scanning (GitHub, GitLab, Azure DevOps): every catalogue
//! code as a rule, every finding as a result with its region.

use serde_json::{Value as Json, json};

use super::Rendered;
use crate::check::{Severity, catalog};

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

/// The SARIF log of one run.
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
