//! The terminal renderer: each diagnostic through miette's graphical handler (code, message,
//! `file:line:col`, the source lines with the offending node underlined, help), then a summary.

use std::fmt;
use std::sync::Arc;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

use crate::check::{Diagnostic, Severity};
use crate::load::Source;

/// Lets miette read snippets of a large source without scanning it from the start: only the
/// lines around the span are handed over, with their absolute line number.
struct Snippet(Arc<Source>);

impl SourceCode for Snippet {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let text = &self.0.text;
        let start = span.offset().min(text.len());
        let end = (span.offset() + span.len()).min(text.len());
        // The start of the line holding `start`, then `before` lines further up.
        let mut ws = text[..start].rfind('\n').map_or(0, |i| i + 1);
        for _ in 0..before {
            if ws == 0 {
                break;
            }
            ws = text[..ws - 1].rfind('\n').map_or(0, |i| i + 1);
        }
        let mut we = end;
        for i in 0..=after {
            match text[we..].find('\n') {
                Some(nl) if i < after => we += nl + 1,
                Some(nl) => we += nl,
                None => {
                    we = text.len();
                    break;
                }
            }
        }
        let (line, _) = self.0.line_col(ws);
        // miette reads the header's line:column from the contents of the primary span.
        let (_, column) = self.0.line_col(start);
        let data = &text.as_bytes()[ws..we];
        let line_count = data.iter().filter(|&&b| b == b'\n').count() + 1;
        Ok(Box::new(MietteSpanContents::new_named(
            self.0.name.clone(),
            data,
            SourceSpan::new(ws.into(), we - ws),
            line - 1,
            column - 1,
            line_count,
        )))
    }
}

struct Report<'a> {
    d: &'a Diagnostic,
    snippet: Option<Snippet>,
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
        // Every code has a page; the help ends with where to read more.
        let docs = format!("docs/rules/{}.md", self.d.code);
        Some(Box::new(match &self.d.help {
            Some(h) => format!("{h}\nsee {docs}"),
            None => format!("see {docs}"),
        }))
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.snippet.as_ref().map(|s| s as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let loc = self.d.location.as_ref()?;
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            Some(self.d.path.clone().unwrap_or_else(|| "here".to_string())),
            SourceSpan::new((loc.span.start as usize).into(), loc.span.len()),
        )];
        if let Some((rel, text)) = &self.d.related
            && Arc::ptr_eq(&rel.source, &loc.source)
        {
            labels.push(LabeledSpan::new_with_span(
                Some(text.clone()),
                SourceSpan::new((rel.span.start as usize).into(), rel.span.len()),
            ));
        }
        Some(Box::new(labels.into_iter()))
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
        .with_links(false);
    let report = Report {
        d,
        snippet: d.location.as_ref().map(|l| Snippet(Arc::clone(&l.source))),
    };
    if handler.render_report(out, &report).is_err() {
        out.push_str(&plain_line(d));
    }
}

/// A one-line form (`file:line:col: severity[CODE]: message`), used when a snippet cannot be
/// rendered.
pub fn plain_line(d: &Diagnostic) -> String {
    let mut s = String::new();
    if let Some(l) = &d.location {
        let (line, col) = l.start();
        s.push_str(&format!("{}:{line}:{col}: ", l.file()));
    }
    s.push_str(&format!(
        "{}[{}]: {}\n",
        d.severity.as_str(),
        d.code,
        d.message
    ));
    s
}
