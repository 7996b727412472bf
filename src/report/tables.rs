//! Human output that scales to real repositories: repeated findings of one code on one object
//! grouped under the first (shown in full; the others one line each), and, when there are more
//! than a handful of findings, summary tables by code and by file at the end.
//!
//! Machine formats never group or summarise: they list every finding.

use std::collections::{BTreeMap, HashMap};

use comfy_table::{CellAlignment, ColumnConstraint, ContentArrangement, Table, presets};

use crate::check::{Diagnostic, Severity, catalog};

/// Findings of one code on one object are grouped from this many on.
pub const GROUP_FROM: usize = 3;
/// Summary tables are printed from this many findings on.
pub const TABLES_FROM: usize = 11;
/// Rows of the by-file table.
const MAX_FILES: usize = 10;

/// One entry of human output.
#[derive(Debug)]
pub enum Entry<'a> {
    /// A finding shown in full.
    Full(&'a Diagnostic),
    /// A finding in full, then the others of its code on its object, one line each.
    Group {
        first: &'a Diagnostic,
        rest: Vec<&'a Diagnostic>,
    },
}

/// Groups findings by (code, object), keeping the input order of each group's first finding.
/// Findings without an object are never grouped.
pub fn group(diagnostics: &[Diagnostic]) -> Vec<Entry<'_>> {
    let key = |d: &Diagnostic| {
        d.resource
            .as_ref()
            .map(|r| (d.code, r.kind.clone(), r.namespace.clone(), r.name.clone()))
    };
    let mut counts: HashMap<_, usize> = HashMap::new();
    for d in diagnostics {
        if let Some(k) = key(d) {
            *counts.entry(k).or_default() += 1;
        }
    }
    let mut out: Vec<Entry<'_>> = Vec::with_capacity(diagnostics.len());
    let mut group_at: HashMap<_, usize> = HashMap::new();
    for d in diagnostics {
        let k = key(d).filter(|k| counts.get(k).copied().unwrap_or(0) >= GROUP_FROM);
        let Some(k) = k else {
            out.push(Entry::Full(d));
            continue;
        };
        match group_at.get(&k) {
            Some(&i) => {
                if let Entry::Group { rest, .. } = &mut out[i] {
                    rest.push(d);
                }
            }
            None => {
                group_at.insert(k, out.len());
                out.push(Entry::Group {
                    first: d,
                    rest: Vec::new(),
                });
            }
        }
    }
    out
}

/// The one-line form of a grouped finding: `file:line:col: message` (`field: message` for an
/// object read from a cluster).
pub fn group_line(d: &Diagnostic) -> String {
    let at = match &d.location {
        Some(loc) if loc.source.origin == crate::load::Origin::File => loc.to_string(),
        _ => d.path.clone().unwrap_or_default(),
    };
    if at.is_empty() {
        d.message.clone()
    } else {
        format!("{at}: {}", d.message)
    }
}

/// The header of a group's one-line list.
pub fn group_header(first: &Diagnostic, rest: usize) -> String {
    let on = first
        .resource
        .as_ref()
        .map(|r| format!(" on {r}"))
        .unwrap_or_default();
    format!(
        "  … {rest} more {}{on} (-o concise lists each in full):",
        first.code
    )
}

/// The summary tables, when there are at least [`TABLES_FROM`] findings (empty otherwise).
pub fn summary_tables(diagnostics: &[Diagnostic]) -> String {
    if diagnostics.len() < TABLES_FROM {
        return String::new();
    }
    let mut by_code: BTreeMap<&str, (Severity, usize)> = BTreeMap::new();
    let mut by_file: BTreeMap<String, [usize; 3]> = BTreeMap::new();
    for d in diagnostics {
        let e = by_code.entry(d.code).or_insert((d.severity, 0));
        e.0 = e.0.max(d.severity);
        e.1 += 1;
        let file = d
            .location
            .as_ref()
            .filter(|l| l.source.origin == crate::load::Origin::File)
            .map(|l| l.file().to_string())
            .or_else(|| d.resource.as_ref().map(|r| format!("{r} (cluster)")))
            .unwrap_or_else(|| "(no file)".to_string());
        let counts = by_file.entry(file).or_default();
        match d.severity {
            Severity::Error => counts[0] += 1,
            Severity::Warning => counts[1] += 1,
            Severity::Info => counts[2] += 1,
        }
    }

    let mut codes: Vec<(&str, Severity, usize)> =
        by_code.into_iter().map(|(c, (s, n))| (c, s, n)).collect();
    codes.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)).then(a.0.cmp(b.0)));
    let mut t = table(&["code", "severity", "count", "name"]);
    for (code, severity, n) in &codes {
        let name = catalog::lookup(code).map_or("", |c| c.name);
        t.add_row(vec![
            code.to_string(),
            severity.as_str().to_string(),
            n.to_string(),
            name.to_string(),
        ]);
    }
    right_align(&mut t, 2);

    let mut files: Vec<(String, [usize; 3])> = by_file.into_iter().collect();
    files.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then_with(|| b.1.iter().sum::<usize>().cmp(&a.1.iter().sum()))
            .then_with(|| a.0.cmp(&b.0))
    });
    let shown = files.len().min(MAX_FILES);
    let mut f = table(&["file", "errors", "warnings", "infos"]);
    for (file, [e, w, i]) in &files[..shown] {
        f.add_row(vec![
            file.clone(),
            e.to_string(),
            w.to_string(),
            i.to_string(),
        ]);
    }
    for col in 1..4 {
        right_align(&mut f, col);
    }

    let mut out = format!("\nFindings by code\n{t}\n");
    if files.len() > shown {
        out.push_str(&format!(
            "\nFiles with the most findings ({shown} of {})\n{f}\n",
            files.len()
        ));
    } else {
        out.push_str(&format!("\nFindings by file\n{f}\n"));
    }
    out
}

/// A table with the look of every table of human output (the summary tables, `analyze --list`,
/// `explain`, precheck, install and verify): UTF-8 borders, a header, no wrapping. Cells carry
/// no colour codes: callers colour marks after rendering, so widths stay right.
pub fn table(header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header.to_vec());
    t
}

/// The width tables with long text wrap to: output does not depend on the terminal, so it
/// stays the same in pipes, CI logs and snapshots.
pub const WRAP_WIDTH: u16 = 100;

/// A [`table`] whose cells wrap so the table fits [`WRAP_WIDTH`] columns, except those of the
/// first column (names and codes: what users copy), which keep their width.
pub fn wrapped_table(header: &[&str]) -> Table {
    let mut t = table(header);
    t.set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(WRAP_WIDTH);
    if let Some(c) = t.column_mut(0) {
        c.set_constraint(ColumnConstraint::ContentWidth);
    }
    t
}

/// Right-aligns a column (counts, durations).
pub fn right_align(t: &mut Table, column: usize) {
    if let Some(c) = t.column_mut(column) {
        c.set_cell_alignment(CellAlignment::Right);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::ResourceRef;

    fn finding(code: &'static str, name: &str, msg: &str) -> Diagnostic {
        let mut d = Diagnostic::new(code, Severity::Warning, msg);
        d.resource = Some(ResourceRef {
            api_version: "v1".into(),
            kind: "Service".into(),
            namespace: Some("shop".into()),
            name: Some(name.into()),
        });
        d
    }

    #[test]
    fn three_of_a_code_on_an_object_are_grouped_in_first_position() {
        let ds = vec![
            finding("IST0118", "a", "1"),
            finding("IST0118", "b", "x"),
            finding("IST0118", "a", "2"),
            finding("IST0101", "a", "y"),
            finding("IST0118", "a", "3"),
        ];
        let entries = group(&ds);
        assert_eq!(entries.len(), 3);
        match &entries[0] {
            Entry::Group { first, rest } => {
                assert_eq!(first.message, "1");
                let msgs: Vec<&str> = rest.iter().map(|d| d.message.as_str()).collect();
                assert_eq!(msgs, ["2", "3"]);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(entries[1], Entry::Full(d) if d.message == "x"));
        assert!(matches!(entries[2], Entry::Full(d) if d.message == "y"));
    }

    #[test]
    fn two_are_not_grouped_and_objectless_findings_never() {
        let mut ds = vec![finding("IST0118", "a", "1"), finding("IST0118", "a", "2")];
        for _ in 0..3 {
            ds.push(Diagnostic::new("MSH0001", Severity::Error, "bad yaml"));
        }
        assert!(group(&ds).iter().all(|e| matches!(e, Entry::Full(_))));
    }

    #[test]
    fn tables_appear_from_eleven_findings_sorted_by_severity_then_count() {
        let few: Vec<Diagnostic> = (0..10).map(|_| finding("IST0118", "a", "m")).collect();
        assert_eq!(summary_tables(&few), "");
        let mut many = few;
        let mut e = finding("IST0101", "b", "m");
        e.severity = Severity::Error;
        many.push(e);
        let out = summary_tables(&many);
        let code_rows: Vec<&str> = out.lines().filter(|l| l.contains("IST0")).collect();
        assert!(
            code_rows[0].contains("IST0101") && code_rows[0].contains("error"),
            "{out}"
        );
        assert!(
            code_rows[1].contains("IST0118") && code_rows[1].contains("10"),
            "{out}"
        );
        assert!(out.contains("Findings by file"), "{out}");
    }
}
