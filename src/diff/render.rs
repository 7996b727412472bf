//! Output of `meshctl diff`: human (a unified diff per changed resource, readable in a pull
//! request comment), Markdown, JSON and YAML (with the changed field paths).

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::findings::FindingsDiff;
use super::traffic::{TrafficChange, TrafficDiff};
use super::{ChangeKind, Resource, ResourceChange, ResourceDiff};
use crate::check::Diagnostic;
use crate::report::yaml::to_yaml;

pub use crate::report::Format;

/// Everything one run reports.
#[derive(Debug)]
pub struct Report<'a> {
    pub resources: &'a ResourceDiff,
    pub traffic: Option<&'a TrafficDiff>,
    /// With `--findings`: the analyzer findings the change introduces and resolves.
    pub findings: Option<&'a FindingsDiff>,
    /// Labels of the two sides (the arguments as given).
    pub old_label: &'a str,
    pub new_label: &'a str,
    pub color: bool,
    /// Print each changed request's old and new trace (human and Markdown).
    pub traces: bool,
}

pub fn render(format: Format, r: &Report<'_>) -> String {
    match format {
        // `diff` offers `Format::DIFF`; the findings-only formats fall back to the human text.
        Format::Human | Format::Concise | Format::Sarif | Format::Junit | Format::Github => {
            human(r)
        }
        Format::Markdown => markdown(r),
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&to_json(r)).unwrap_or_default();
            s.push('\n');
            s
        }
        Format::Yaml => to_yaml(&to_json(r)),
    }
}

struct Paint(bool);

impl Paint {
    fn code(&self, code: &str, s: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn bold(&self, s: &str) -> String {
        self.code("1", s)
    }
    fn green(&self, s: &str) -> String {
        self.code("32", s)
    }
    fn red(&self, s: &str) -> String {
        self.code("31", s)
    }
    fn cyan(&self, s: &str) -> String {
        self.code("36", s)
    }
    fn dim(&self, s: &str) -> String {
        self.code("2", s)
    }
}

/// The YAML of a resource as written (server-owned fields left out, Secret values masked).
fn yaml_of(r: Option<&Resource>) -> String {
    r.map(|r| to_yaml(&r.shown)).unwrap_or_default()
}

/// A unified diff of the normalised YAML of both sides (all lines for added or removed
/// resources).
pub fn unified(c: &ResourceChange, old_label: &str, new_label: &str) -> String {
    let a = yaml_of(c.old.as_ref());
    let b = yaml_of(c.new.as_ref());
    let radius = if matches!(
        c.change,
        ChangeKind::Changed | ChangeKind::Renamed | ChangeKind::Moved
    ) {
        3
    } else {
        usize::MAX / 4
    };
    similar::TextDiff::from_lines(&a, &b)
        .unified_diff()
        .context_radius(radius)
        .header(
            &format!("{old_label} {}", c.old.as_ref().map_or(&c.id, |o| &o.id)),
            &format!("{new_label} {}", c.id),
        )
        .to_string()
}

fn colored_diff(text: &str, p: &Paint, indent: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let styled = if line.starts_with("+++") || line.starts_with("---") {
            p.bold(line)
        } else if line.starts_with('+') {
            p.green(line)
        } else if line.starts_with('-') {
            p.red(line)
        } else if line.starts_with("@@") {
            p.cyan(line)
        } else {
            line.to_string()
        };
        let _ = writeln!(out, "{indent}{styled}");
    }
    out
}

fn where_of(c: &ResourceChange) -> String {
    match (&c.old, &c.new) {
        (Some(o), Some(n)) if o.origin == n.origin => o.origin.to_string(),
        (Some(o), Some(n)) => format!("{} → {}", o.origin, n.origin),
        (Some(o), None) => o.origin.to_string(),
        (None, Some(n)) => n.origin.to_string(),
        (None, None) => String::new(),
    }
}

fn sign(kind: ChangeKind) -> char {
    match kind {
        ChangeKind::Added => '+',
        ChangeKind::Removed => '-',
        ChangeKind::Changed | ChangeKind::Reordered => '~',
        ChangeKind::Renamed | ChangeKind::Moved => '>',
    }
}

/// `renamed VirtualService shop/a → shop/b`, else `changed VirtualService shop/a`.
fn headline(c: &ResourceChange) -> String {
    match (c.change, &c.old) {
        (ChangeKind::Renamed | ChangeKind::Moved, Some(o)) => format!(
            "{} {} {} → {}",
            sign(c.change),
            c.change.as_str(),
            o.id,
            c.id.namespace_name()
        ),
        _ => format!("{} {} {}", sign(c.change), c.change.as_str(), c.id),
    }
}

/// One line per list whose items only changed order (`spec.http: order changed, now 1, 0`).
fn reorders(c: &ResourceChange) -> Vec<String> {
    c.fields
        .iter()
        .filter(|f| f.change == ChangeKind::Reordered)
        .map(|f| {
            let order = f
                .new
                .as_ref()
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .map(Value::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default();
            let what = if super::is_set_path(&c.id.kind, &f.path) {
                "order changed, no effect (Istio treats this list as a set)"
            } else if f.path.ends_with(".http")
                || f.path.ends_with(".tcp")
                || f.path.ends_with(".tls")
            {
                "rule order changed"
            } else {
                "order changed"
            };
            format!(
                "{}: {what} (the old items now stand in the order {order})",
                f.path
            )
        })
        .collect()
}

fn summary_line(d: &ResourceDiff) -> String {
    if d.is_empty() {
        return format!("no differences ({} resources compared)", d.unchanged);
    }
    let n = d.changes.len();
    let mut moved = String::new();
    for kind in [ChangeKind::Renamed, ChangeKind::Moved] {
        let k = d.count(kind);
        if k > 0 {
            let _ = write!(moved, ", {k} {}", kind.as_str());
        }
    }
    format!(
        "{n} resource{} differ{}: {} added, {} removed, {} changed{moved}; {} unchanged",
        if n == 1 { "" } else { "s" },
        if n == 1 { "s" } else { "" },
        d.count(ChangeKind::Added),
        d.count(ChangeKind::Removed),
        d.count(ChangeKind::Changed),
        d.unchanged
    )
}

/// `GET host/path: old → new (old rule → new rule)`.
pub fn traffic_line(c: &TrafficChange) -> String {
    let rule = match (&c.old.rule, &c.new.rule) {
        (Some(a), Some(b)) if a == b => a.clone(),
        (Some(a), Some(b)) => {
            // Say the shared `Kind ns/name` once.
            let prefix_len = a
                .rfind(" http[")
                .filter(|&i| b.get(..i) == a.get(..i) && b[i..].starts_with(" http["))
                .map(|i| i + 1);
            match prefix_len {
                Some(i) => format!("{} → {}", a, &b[i..]),
                None => format!("{a} → {b}"),
            }
        }
        (Some(a), None) => format!("{a} → no rule"),
        (None, Some(b)) => format!("no rule → {b}"),
        (None, None) => String::new(),
    };
    let mut s = format!("{}: {} → {}", c.request, c.old.short(), c.new.short());
    if !rule.is_empty() {
        let _ = write!(s, " ({rule})");
    }
    s
}

fn human(r: &Report<'_>) -> String {
    let p = Paint(r.color);
    let mut out = String::new();
    for c in &r.resources.changes {
        let head = headline(c);
        let head = match c.change {
            ChangeKind::Added => p.green(&head),
            ChangeKind::Removed => p.red(&head),
            _ => p.bold(&head),
        };
        let _ = writeln!(out, "{head}  {}", p.dim(&where_of(c)));
        for line in reorders(c) {
            let _ = writeln!(out, "    {}", p.cyan(&line));
        }
        out.push_str(&colored_diff(
            &unified(c, r.old_label, r.new_label),
            &p,
            "    ",
        ));
        out.push('\n');
    }
    for w in &r.resources.warnings {
        let _ = writeln!(out, "warning: {w}");
    }
    let _ = writeln!(out, "{}", p.bold(&summary_line(r.resources)));
    if let Some(t) = r.traffic {
        out.push('\n');
        let _ = writeln!(out, "{}", p.bold(&traffic_summary(t)));
        let mut last: Option<(&str, &str)> = None;
        for c in &t.changes {
            if last != Some((c.host.as_str(), c.proxy.as_str())) {
                let _ = writeln!(out, "{}", p.bold(&format!("{} ({})", c.host, c.proxy)));
                last = Some((c.host.as_str(), c.proxy.as_str()));
            }
            let _ = writeln!(out, "  {}", traffic_line(c));
            if r.traces {
                for (label, d) in [("old", &c.old_decision), ("new", &c.new_decision)] {
                    let Some(d) = d else { continue };
                    let _ = writeln!(out, "    {label}:");
                    for step in &d.trace {
                        let _ = writeln!(out, "      {}", p.dim(step));
                    }
                }
            }
        }
        for n in &t.notes {
            let _ = writeln!(out, "note: {n}");
        }
    }
    if let Some(f) = r.findings {
        out.push('\n');
        let _ = writeln!(out, "{}", p.bold(&findings_summary(f)));
        for (sign, list) in [("+", &f.introduced), ("-", &f.resolved)] {
            for d in list {
                let line = format!("  {sign} {}", finding_line(d));
                let _ = writeln!(
                    out,
                    "{}",
                    if sign == "+" {
                        p.red(&line)
                    } else {
                        p.green(&line)
                    }
                );
            }
        }
    }
    out
}

fn findings_summary(f: &FindingsDiff) -> String {
    if f.is_empty() {
        "findings: the change introduces and resolves none".to_string()
    } else {
        format!(
            "findings: {} introduced, {} resolved",
            f.introduced.len(),
            f.resolved.len()
        )
    }
}

/// `error IST0101 VirtualService shop/r: message (file:line)`.
fn finding_line(d: &Diagnostic) -> String {
    let mut s = format!("{} {}", d.severity.as_str(), d.code);
    if let Some(r) = &d.resource {
        let _ = write!(s, " {r}");
    }
    let _ = write!(s, ": {}", d.message);
    if let Some(l) = &d.location {
        let (line, _) = l.start();
        let _ = write!(s, " ({}:{line})", l.file());
    }
    s
}

fn traffic_summary(t: &TrafficDiff) -> String {
    let n = t.changes.len();
    let proxies = format!(
        "{} prox{}",
        t.proxies,
        if t.proxies == 1 { "y" } else { "ies" }
    );
    if n == 0 {
        format!(
            "traffic: no request changes ({} probe requests from {proxies})",
            t.probes
        )
    } else {
        format!(
            "traffic: {n} of {} probe requests change (from {proxies})",
            t.probes
        )
    }
}

fn markdown(r: &Report<'_>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "### meshctl diff: {}\n", summary_line(r.resources));
    for c in &r.resources.changes {
        let _ = writeln!(out, "**{}** ({})\n", cell(&headline(c)), where_of(c));
        for line in reorders(c) {
            let _ = writeln!(out, "- {}\n", cell(&line));
        }
        out.push_str("```diff\n");
        out.push_str(&unified(c, r.old_label, r.new_label));
        out.push_str("```\n\n");
    }
    for w in &r.resources.warnings {
        let _ = writeln!(out, "> warning: {w}\n");
    }
    if let Some(t) = r.traffic {
        let _ = writeln!(out, "### {}\n", traffic_summary(t));
        if !t.changes.is_empty() {
            out.push_str("| host | proxy | request | before | after | rule |\n");
            out.push_str("|---|---|---|---|---|---|\n");
            for c in &t.changes {
                let rule = match (&c.old.rule, &c.new.rule) {
                    (a, b) if a == b => a.clone().unwrap_or_default(),
                    (a, b) => format!(
                        "{} → {}",
                        a.as_deref().unwrap_or("none"),
                        b.as_deref().unwrap_or("none")
                    ),
                };
                let _ = writeln!(
                    out,
                    "| {} | {} | `{}` | {} | {} | {} |",
                    cell(&c.host),
                    cell(&c.proxy),
                    cell(&c.request),
                    cell(&c.old.short()),
                    cell(&c.new.short()),
                    cell(&rule)
                );
            }
            out.push('\n');
        }
        for n in &t.notes {
            let _ = writeln!(out, "> note: {n}\n");
        }
    }
    if let Some(f) = r.findings {
        let _ = writeln!(out, "### {}\n", findings_summary(f));
        for (label, list) in [("introduced", &f.introduced), ("resolved", &f.resolved)] {
            for d in list {
                let _ = writeln!(out, "- **{label}** {}", cell(&finding_line(d)));
            }
        }
        if !f.is_empty() {
            out.push('\n');
        }
    }
    out
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|")
}

fn origin_json(r: Option<&Resource>) -> Value {
    r.map_or(
        Value::Null,
        |r| json!({"file": r.origin.file, "line": r.origin.line}),
    )
}

pub fn to_json(r: &Report<'_>) -> Value {
    let d = r.resources;
    let resources: Vec<Value> = d
        .changes
        .iter()
        .map(|c| {
            let mut v = json!({
                "change": c.change,
                "group": c.id.group,
                "kind": c.id.kind,
                "namespace": c.id.namespace,
                "name": c.id.name,
                "old": origin_json(c.old.as_ref()),
                "new": origin_json(c.new.as_ref()),
            });
            if let Value::Object(m) = &mut v {
                match c.change {
                    ChangeKind::Changed | ChangeKind::Reordered => {
                        m.insert("fields".into(), json!(c.fields));
                    }
                    ChangeKind::Renamed | ChangeKind::Moved => {
                        if let Some(o) = &c.old {
                            m.insert(
                                "from".into(),
                                json!({"namespace": o.id.namespace, "name": o.id.name}),
                            );
                        }
                    }
                    ChangeKind::Added => {
                        let obj = c.new.as_ref().map_or(Value::Null, |n| n.shown.clone());
                        m.insert("object".into(), obj);
                    }
                    ChangeKind::Removed => {
                        let obj = c.old.as_ref().map_or(Value::Null, |o| o.shown.clone());
                        m.insert("object".into(), obj);
                    }
                }
            }
            v
        })
        .collect();
    let mut out = json!({
        "summary": {
            "differences": !d.is_empty(),
            "added": d.count(ChangeKind::Added),
            "removed": d.count(ChangeKind::Removed),
            "changed": d.count(ChangeKind::Changed),
            "renamed": d.count(ChangeKind::Renamed),
            "moved": d.count(ChangeKind::Moved),
            "unchanged": d.unchanged,
        },
        "resources": resources,
        "warnings": d.warnings,
    });
    if let (Some(f), Value::Object(m)) = (r.findings, &mut out) {
        let list = |l: &[Diagnostic]| -> Vec<Value> {
            l.iter().map(crate::report::diagnostic_json).collect()
        };
        m.insert(
            "findings".into(),
            json!({"introduced": list(&f.introduced), "resolved": list(&f.resolved)}),
        );
    }
    if let (Some(t), Value::Object(m)) = (r.traffic, &mut out) {
        let changes: Vec<Value> = t
            .changes
            .iter()
            .map(|c| {
                let mut v = json!({
                    "host": c.host,
                    "proxy": c.proxy,
                    "request": c.request,
                    "old": c.old,
                    "new": c.new,
                });
                if let (Some(a), Some(b), Value::Object(m)) =
                    (&c.old_decision, &c.new_decision, &mut v)
                {
                    m.insert("old_trace".into(), json!(a.trace));
                    m.insert("new_trace".into(), json!(b.trace));
                }
                v
            })
            .collect();
        m.insert(
            "traffic".into(),
            json!({
                "probes": t.probes,
                "proxies": t.proxies,
                "changes": changes,
                "notes": t.notes,
            }),
        );
    }
    out
}
