//! The terminal renderer: each diagnostic through miette's graphical handler (code, message,
//! `file:line:col`, the source lines with the offending node underlined, help), then a summary.
//!
//! miette is never handed the source itself, only an [`Excerpt`]: the few lines around each
//! label, with every line break normalised to LF and every long line cut to a window around the
//! finding (`…` marks the cut). The header still shows the true `line:column`. So a finding at
//! column 2,000,000 of a minified JSON file, or in a 50 MB one-line ConfigMap, prints a snippet
//! of about a hundred columns, and no renderer ever sees a line wider than [`MAX_LINE_WIDTH`]
//! columns (miette's padding cannot go past 65,535 columns).

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

use crate::check::{Diagnostic, Severity};
use crate::load::Source;

/// Lines wider than this (in columns, see [`width`]) are shown as a window around the finding.
pub const MAX_LINE_WIDTH: usize = 160;
/// Width of the window shown of a long line…
const WINDOW_WIDTH: usize = 100;
/// …of which this many columns come before the start of the finding.
const WINDOW_BEFORE: usize = 32;
/// A label spanning more lines than this underlines its first line only.
const MAX_LABEL_LINES: usize = 12;
/// Lines of context shown above and below a label (miette's default, which `render` keeps).
const CONTEXT_LINES: usize = 1;
/// Marks the side where a long line was cut.
const ELLIPSIS: &str = "…";

/// Display width of a character, never less than what a terminal uses: 4 for a tab (miette's
/// tab width), 1 for ASCII, 2 for anything else (the widest East Asian characters).
fn width(c: char) -> usize {
    match c {
        '\t' => 4,
        c if c.is_ascii() => 1,
        _ => 2,
    }
}

/// Whether `line` is wider than [`MAX_LINE_WIDTH`]; stops reading as soon as it is.
fn is_long(line: &str) -> bool {
    if line.len() <= MAX_LINE_WIDTH / 4 {
        return false;
    }
    let mut w = 0;
    for c in line.chars() {
        w += width(c);
        if w > MAX_LINE_WIDTH {
            return true;
        }
    }
    false
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// One shown line of an excerpt.
#[derive(Debug)]
struct ShownLine {
    /// 0-based line number in the source.
    line: usize,
    /// The bytes of the source shown (the whole line, or a window of it).
    src: Range<usize>,
    /// 0-based column (in characters) of `src.start` in the source line.
    col: usize,
    /// Excerpt offsets: where the line starts (a leading `…` included), where the source text
    /// starts and ends, and where the line ends (a trailing `…` included).
    start: usize,
    text_start: usize,
    text_end: usize,
    end: usize,
}

/// A run of consecutive source lines shown together.
#[derive(Debug)]
struct Region {
    lines: Vec<ShownLine>,
}

impl Region {
    fn start(&self) -> usize {
        self.lines.first().map_or(0, |l| l.start)
    }
    fn end(&self) -> usize {
        self.lines.last().map_or(0, |l| l.end)
    }
    /// Index of the shown line holding an excerpt offset.
    fn line_at(&self, offset: usize) -> usize {
        self.lines
            .iter()
            .rposition(|l| l.start <= offset)
            .unwrap_or(0)
    }
    /// Excerpt offset of a source offset on a shown line (clamped into the shown window).
    fn map(&self, source: &Source, offset: usize) -> Option<usize> {
        let line = source.line_index().line_of(offset);
        let shown = self.lines.iter().find(|l| l.line == line)?;
        let offset = floor_boundary(&source.text, offset);
        Some(if offset <= shown.src.start {
            shown.text_start
        } else if offset >= shown.src.end {
            shown.text_end
        } else {
            shown.text_start + (offset - shown.src.start)
        })
    }
}

/// What miette reads snippets from: the shown lines of the labels' neighbourhoods, one region
/// per group of nearby labels, with excerpt offsets standing in for source offsets.
#[derive(Debug)]
struct Excerpt {
    name: String,
    text: String,
    regions: Vec<Region>,
}

/// A label to show: source byte range, text, whether it is the primary one.
struct Mark {
    span: Range<usize>,
    text: String,
    primary: bool,
    /// 0-based source lines the label covers, then the lines shown around it.
    lines: Range<usize>,
    shown: Range<usize>,
}

impl Excerpt {
    /// Builds the excerpt for `marks` (all in `source`) and returns the labels in excerpt
    /// offsets.
    fn build(source: &Source, mut marks: Vec<Mark>) -> (Excerpt, Vec<LabeledSpan>) {
        let text = &source.text;
        let index = source.line_index();
        let last_line = index.line_count().saturating_sub(1);
        let long = |line: usize| {
            index
                .line_range(text, line)
                .and_then(|r| text.get(r))
                .is_some_and(is_long)
        };
        for m in &mut marks {
            let first = index.line_of(m.span.start);
            let mut last = index.line_of(m.span.end);
            // A span that ends just after a line break ends on the line before.
            if last > first
                && index
                    .line_range(text, last)
                    .is_some_and(|r| r.start == m.span.end)
            {
                last -= 1;
            }
            if last - first >= MAX_LABEL_LINES {
                let end = index
                    .line_range(text, first)
                    .map_or(m.span.start, |r| r.end);
                m.span.end = end.max(m.span.start);
                last = first;
            }
            m.lines = first..last + 1;
            m.shown =
                first.saturating_sub(CONTEXT_LINES)..(last + CONTEXT_LINES).min(last_line) + 1;
        }
        marks.sort_by_key(|m| (m.span.start, m.span.end));

        // Nearby labels share a region (as miette would merge their snippets), unless one of
        // the lines involved is long: then every label gets its own window.
        let mut groups: Vec<(Range<usize>, Vec<usize>)> = Vec::new();
        for (i, m) in marks.iter().enumerate() {
            if let Some((range, members)) = groups.last_mut()
                && range.end >= m.shown.start
                && !(range.start..m.shown.end.max(range.end)).any(long)
            {
                range.end = range.end.max(m.shown.end);
                members.push(i);
                continue;
            }
            groups.push((m.shown.clone(), vec![i]));
        }

        let mut out = String::new();
        let mut regions = Vec::new();
        for (range, members) in &groups {
            if !out.is_empty() {
                // Regions never touch, so no span read by miette can run across two.
                out.push('\n');
            }
            let mut lines = Vec::new();
            for line in range.clone() {
                let Some(full) = index.line_range(text, line) else {
                    continue;
                };
                let focus = members
                    .iter()
                    .filter_map(|&i| marks.get(i))
                    .find(|m| m.lines.start == line)
                    .map(|m| m.span.start);
                let src = if long(line) {
                    window(text, full.clone(), focus.unwrap_or(full.start))
                } else {
                    full.clone()
                };
                if !lines.is_empty() {
                    out.push('\n');
                }
                let start = out.len();
                if src.start > full.start {
                    out.push_str(ELLIPSIS);
                }
                let text_start = out.len();
                out.push_str(text.get(src.clone()).unwrap_or_default());
                let text_end = out.len();
                if src.end < full.end {
                    out.push_str(ELLIPSIS);
                }
                let col = text
                    .get(full.start..src.start)
                    .map_or(0, |s| s.chars().count());
                lines.push(ShownLine {
                    line,
                    src,
                    col,
                    start,
                    text_start,
                    text_end,
                    end: out.len(),
                });
            }
            regions.push(Region { lines });
        }

        let mut labels = Vec::new();
        for ((_, members), region) in groups.iter().zip(&regions) {
            for m in members.iter().filter_map(|&i| marks.get(i)) {
                let (Some(start), Some(end)) = (
                    region.map(source, m.span.start),
                    region.map(source, m.span.end),
                ) else {
                    continue;
                };
                let span = SourceSpan::new(start.into(), end.saturating_sub(start));
                labels.push(if m.primary {
                    LabeledSpan::new_primary_with_span(Some(m.text.clone()), span)
                } else {
                    LabeledSpan::new_with_span(Some(m.text.clone()), span)
                });
            }
        }
        let excerpt = Excerpt {
            name: source.name.clone(),
            text: out,
            regions,
        };
        (excerpt, labels)
    }
}

/// The bytes of `line` to show around `focus`: about [`WINDOW_BEFORE`] columns before it, and
/// [`WINDOW_WIDTH`] columns in all, on character boundaries.
fn window(text: &str, line: Range<usize>, focus: usize) -> Range<usize> {
    let focus = floor_boundary(text, focus.clamp(line.start, line.end));
    let mut start = focus;
    let mut used = 0;
    if let Some(before) = text.get(line.start..focus) {
        for c in before.chars().rev() {
            if used + width(c) > WINDOW_BEFORE {
                break;
            }
            used += width(c);
            start -= c.len_utf8();
        }
    }
    let mut end = focus;
    if let Some(after) = text.get(focus..line.end) {
        for c in after.chars() {
            if used + width(c) > WINDOW_WIDTH {
                break;
            }
            used += width(c);
            end += c.len_utf8();
        }
    }
    start..end
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let start = span.offset();
        let end = start.saturating_add(span.len());
        let region = self
            .regions
            .iter()
            .find(|r| r.start() <= start && end <= r.end())
            .ok_or(MietteError::OutOfBounds)?;
        let first = region.line_at(start);
        let last = region.line_at(end);
        let lo = first.saturating_sub(before);
        let hi = last
            .saturating_add(after)
            .min(region.lines.len().saturating_sub(1));
        let (Some(top), Some(bottom), Some(at)) = (
            region.lines.get(lo),
            region.lines.get(hi),
            region.lines.get(first),
        ) else {
            return Err(MietteError::OutOfBounds);
        };
        // miette reads the header's line:column from the contents of the primary span.
        let column = at.col
            + self
                .text
                .get(at.text_start..start.max(at.text_start))
                .map_or(0, |s| s.chars().count());
        let data = self
            .text
            .get(top.start..bottom.end)
            .ok_or(MietteError::OutOfBounds)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            data.as_bytes(),
            SourceSpan::new(top.start.into(), data.len()),
            top.line,
            column,
            hi - lo + 1,
        )))
    }
}

struct Report<'a> {
    d: &'a Diagnostic,
    excerpt: Option<Excerpt>,
    labels: Vec<LabeledSpan>,
}

impl<'a> Report<'a> {
    fn new(d: &'a Diagnostic) -> Self {
        let Some(loc) = &d.location else {
            return Report {
                d,
                excerpt: None,
                labels: Vec::new(),
            };
        };
        let mark = |span: crate::load::Span, text: String, primary: bool| Mark {
            span: span.range(),
            text,
            primary,
            lines: 0..0,
            shown: 0..0,
        };
        let mut marks = vec![mark(
            loc.span,
            d.path.clone().unwrap_or_else(|| "here".to_string()),
            true,
        )];
        if let Some((rel, text)) = &d.related
            && Arc::ptr_eq(&rel.source, &loc.source)
        {
            marks.push(mark(rel.span, text.clone(), false));
        }
        let (excerpt, labels) = Excerpt::build(&loc.source, marks);
        Report {
            d,
            excerpt: Some(excerpt),
            labels,
        }
    }
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.message)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.message)?;
        if let Some(r) = &self.d.resource {
            write!(f, " [{r}]")?;
        }
        Ok(())
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.d.code))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        // Every code has a page, built into the binary; the help ends with how to read it.
        let docs = crate::check::catalog::see(self.d.code);
        Some(Box::new(match &self.d.help {
            Some(h) => format!("{h}\nsee {docs}"),
            None => format!("see {docs}"),
        }))
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.excerpt.as_ref().map(|s| s as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.excerpt.as_ref()?;
        Some(Box::new(self.labels.iter().cloned()))
    }
}

/// Renders one diagnostic; `color` picks the themed or the plain handler.
pub fn render(d: &Diagnostic, color: bool, out: &mut String) {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false)
        .with_context_lines(CONTEXT_LINES);
    let report = Report::new(d);
    let mut rendered = String::new();
    if handler.render_report(&mut rendered, &report).is_ok() {
        out.push_str(&rendered);
    } else {
        out.push_str(&plain_line(d));
    }
}

/// A one-line form (`file:line:col: severity[CODE]: message`), used when a snippet cannot be
/// rendered.
pub fn plain_line(d: &Diagnostic) -> String {
    let mut s = String::new();
    if let Some(l) = &d.location {
        s.push_str(&format!("{l}: "));
    }
    s.push_str(&format!(
        "{}[{}]: {}\n",
        d.severity.as_str(),
        d.code,
        d.message
    ));
    s
}

/// The whole human report: every finding (grouped where `tables` groups them), the summary
/// tables and the closing line.
pub fn report(r: &super::Rendered<'_>) -> String {
    use rayon::prelude::*;
    // Each finding (or group) is drawn on its own, in parallel, then joined in order.
    let parts: Vec<String> = super::tables::group(r.diagnostics)
        .par_iter()
        .map(|entry| {
            let mut out = String::new();
            match entry {
                super::tables::Entry::Full(d) => render(d, r.color, &mut out),
                super::tables::Entry::Group { first, rest } => {
                    render(first, r.color, &mut out);
                    out.push_str(&super::tables::group_header(first, rest.len()));
                    out.push('\n');
                    for d in rest {
                        out.push_str("    ");
                        out.push_str(&super::tables::group_line(d));
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
    out.push_str(&super::tables::summary_tables(r.diagnostics));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Location;

    fn finding(text: &str, at: Range<usize>) -> Diagnostic {
        let source = Source::new("f.yaml", text);
        let mut d = Diagnostic::new("MSH0001", Severity::Error, "bad");
        d.location = Some(Location {
            source,
            span: crate::load::Span::new(at.start, at.end),
        });
        d
    }

    fn rendered(d: &Diagnostic) -> String {
        let mut out = String::new();
        render(d, false, &mut out);
        out
    }

    fn widest(out: &str) -> usize {
        out.lines().map(|l| l.chars().count()).max().unwrap_or(0)
    }

    #[test]
    fn long_lines_are_cut_around_the_finding() {
        let text = format!("{{\"a\": \"{}\", \"bad\": 1}}", "x".repeat(200_000));
        let at = text.find("\"bad\"").unwrap_or(0);
        let out = rendered(&finding(&text, at..at + 5));
        assert!(out.contains(&format!("[f.yaml:1:{}]", at + 1)), "{out}");
        assert!(out.contains("…xxx"), "{out}");
        assert!(out.contains("\"bad\": 1}"), "{out}");
        assert!(widest(&out) < MAX_LINE_WIDTH, "{out}");
    }

    #[test]
    fn wide_characters_count_double() {
        let text = format!("k: {}x\n", "中".repeat(40_000));
        let at = text.len() - 2;
        let out = rendered(&finding(&text, at..at + 1));
        assert!(out.contains("[f.yaml:1:40004]"), "{out}");
        assert!(widest(&out) < MAX_LINE_WIDTH, "{out}");
    }

    #[test]
    fn short_lines_are_unchanged_and_cr_breaks_count() {
        let text = "a: 1\rb: 2\rc: oops\rd: 4\r";
        let at = text.find("oops").unwrap_or(0);
        let out = rendered(&finding(text, at..at + 4));
        assert!(out.contains("[f.yaml:3:4]"), "{out}");
        assert!(out.contains(" 2 │ b: 2\n"), "{out}");
        assert!(out.contains(" 3 │ c: oops\n"), "{out}");
        assert!(out.contains(" 4 │ d: 4\n"), "{out}");
    }

    #[test]
    fn related_label_far_away_on_a_long_line() {
        let text = format!("{}\n{}", "a".repeat(70_000), "b".repeat(70_000));
        let source = Source::new("f.yaml", text);
        let mut d = Diagnostic::new("MSH0002", Severity::Error, "dup");
        d.location = Some(Location {
            source: Arc::clone(&source),
            span: crate::load::Span::new(140_000, 140_001),
        });
        d.related = Some((
            Location {
                source,
                span: crate::load::Span::new(69_000, 69_001),
            },
            "first".to_string(),
        ));
        let out = rendered(&d);
        assert!(out.contains("[f.yaml:2:70000]"), "{out}");
        assert!(out.contains("[f.yaml:1:69001]"), "{out}");
        assert!(widest(&out) < MAX_LINE_WIDTH, "{out}");
    }

    #[test]
    fn empty_and_end_of_input_spans() {
        for (text, at) in [("", 0..0), ("a", 1..1), ("a\r\n", 3..3), ("é", 1..2)] {
            let out = rendered(&finding(text, at));
            assert!(out.contains("MSH0001"), "{out}");
        }
    }
}
