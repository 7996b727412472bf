//! `-o json`: the documented, stable structure of `docs/output.md` (also the tree `-o yaml`
//! writes, and each finding's form in `diff --findings`).

use serde_json::{Value as Json, json};

use super::{Rendered, Summary};
use crate::check::Diagnostic;

/// The `summary` object of the JSON and YAML output.
pub(crate) fn summary_json(summary: &Summary) -> Json {
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

/// The whole report: findings and summary.
pub fn to_json(r: &Rendered<'_>) -> Json {
    json!({
        "diagnostics": r.diagnostics.iter().map(diagnostic_json).collect::<Vec<_>>(),
        "summary": summary_json(r.summary),
    })
}
