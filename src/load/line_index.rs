//! Byte offsets ↔ line/column, and the parser's character indices → byte offsets.
//!
//! Diagnostics store byte spans; lines and columns are computed only when a finding is
//! rendered. saphyr counts positions in characters, so files with non-ASCII text need a
//! conversion, done through checkpoints every 64 characters to keep memory small.

/// Line starts of one source text.
///
/// Line breaks are counted as YAML 1.2 counts them (and so as the parser reports positions):
/// CR LF is one break, and a lone CR or a lone LF is one break each. `\n\r` is therefore two
/// breaks (an LF, then a CR), not one.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<u32>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = Vec::with_capacity(text.len() / 40 + 1);
        starts.push(0);
        let bytes = text.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            let brk = match b {
                b'\n' => true,
                // A CR followed by LF ends its line at the LF.
                b'\r' => bytes.get(i + 1) != Some(&b'\n'),
                _ => false,
            };
            if brk {
                starts.push((i + 1) as u32);
            }
        }
        LineIndex { starts }
    }

    /// 0-based index of the line holding a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        match self
            .starts
            .binary_search(&(offset.min(u32::MAX as usize) as u32))
        {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// Byte range of a 0-based line's content, without its line break; `None` past the last
    /// line.
    pub fn line_range(&self, text: &str, line: usize) -> Option<std::ops::Range<usize>> {
        let start = (*self.starts.get(line)? as usize).min(text.len());
        let mut end = self
            .starts
            .get(line + 1)
            .map_or(text.len(), |&s| (s as usize).min(text.len()));
        let bytes = text.as_bytes();
        if end > start && bytes.get(end - 1) == Some(&b'\n') {
            end -= 1;
        }
        if end > start && bytes.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        Some(start..end.max(start))
    }

    /// 1-based line and 1-based column (in characters) of a byte offset.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = self.line_of(offset);
        let start = (self.starts.get(line).copied().unwrap_or(0) as usize).min(offset);
        let col = text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        (line + 1, col + 1)
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }
}

/// Converts the parser's character indices into byte offsets.
pub enum CharMap {
    Ascii,
    Checkpoints(Vec<u32>),
}

const STRIDE: usize = 64;

impl CharMap {
    pub fn new(text: &str) -> Self {
        if text.is_ascii() {
            return CharMap::Ascii;
        }
        let mut cps = Vec::with_capacity(text.len() / STRIDE + 1);
        for (ci, (bi, _)) in text.char_indices().enumerate() {
            if ci % STRIDE == 0 {
                cps.push(bi as u32);
            }
        }
        CharMap::Checkpoints(cps)
    }

    pub fn byte(&self, text: &str, char_index: usize) -> usize {
        match self {
            CharMap::Ascii => char_index.min(text.len()),
            CharMap::Checkpoints(cps) => {
                let Some(&base) = cps.get(char_index / STRIDE) else {
                    return text.len();
                };
                let base = base as usize;
                let skip = char_index % STRIDE;
                text.get(base..)
                    .and_then(|rest| rest.char_indices().nth(skip).map(|(b, _)| base + b))
                    .unwrap_or(text.len())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns() {
        let text = "a: 1\nbé: 2\n\nc: 3";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), (1, 1));
        assert_eq!(idx.line_col(text, 5), (2, 1));
        // 'é' is two bytes; ':' after it is the third character of line 2.
        assert_eq!(idx.line_col(text, 8), (2, 3));
        assert_eq!(idx.line_col(text, text.len()), (4, 5));
        assert_eq!(idx.line_count(), 4);
    }

    #[test]
    fn char_to_byte() {
        let text: String = "é".repeat(100) + "x";
        let map = CharMap::new(&text);
        assert_eq!(map.byte(&text, 0), 0);
        assert_eq!(map.byte(&text, 70), 140);
        assert_eq!(map.byte(&text, 100), 200);
        assert_eq!(map.byte(&text, 1000), text.len());
        assert!(matches!(CharMap::new("abc"), CharMap::Ascii));
    }

    #[test]
    fn yaml_line_breaks() {
        // CR only (classic Mac OS): every CR ends a line.
        let text = "a: 1\rb: 2\rc: 3";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 3);
        assert_eq!(idx.line_col(text, 5), (2, 1));
        assert_eq!(idx.line_col(text, 13), (3, 4));
        assert_eq!(idx.line_range(text, 1), Some(5..9));
        // CR LF is a single break.
        let text = "a: 1\r\nb: 2\r\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 3);
        assert_eq!(idx.line_col(text, 6), (2, 1));
        assert_eq!(idx.line_col(text, 4), (1, 5));
        assert_eq!(idx.line_range(text, 0), Some(0..4));
        assert_eq!(idx.line_range(text, 2), Some(12..12));
        assert_eq!(idx.line_range(text, 3), None);
        // LF CR is two breaks: an empty line between.
        let text = "a: 1\n\rb: 2";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_count(), 3);
        assert_eq!(idx.line_col(text, 6), (3, 1));
        assert_eq!(idx.line_range(text, 1), Some(5..5));
        // Mixed endings.
        let text = "a\rb\r\nc\nd";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 2), (2, 1));
        assert_eq!(idx.line_col(text, 5), (3, 1));
        assert_eq!(idx.line_col(text, 7), (4, 1));
        assert_eq!(idx.line_of(100), 3);
    }

    /// meshctl's positions are the parser's: the line and column granit-parser reports for
    /// every scalar match `line_col` of its byte offset, whatever the line endings.
    #[test]
    fn positions_agree_with_the_parser() {
        use granit_parser::{Event, Parser};
        for eol in ["\n", "\r", "\r\n", "\n\r"] {
            let text = [
                "k: v",
                "list:",
                "- é: 中文",
                "- x",
                "  # c",
                "z: |",
                "  block",
                "w: 1",
            ]
            .join(eol);
            let idx = LineIndex::new(&text);
            let map = CharMap::new(&text);
            let mut parser = Parser::new_from_str(&text);
            let mut seen = 0;
            while let Some(Ok((ev, span))) = parser.next_event() {
                if let Event::Scalar(..) = ev {
                    let m = span.start;
                    let byte = m
                        .byte_offset()
                        .unwrap_or_else(|| map.byte(&text, m.index()));
                    assert_eq!(
                        idx.line_col(&text, byte),
                        (m.line(), m.col() + 1),
                        "{eol:?} at byte {byte}"
                    );
                    seen += 1;
                }
            }
            assert!(seen >= 8, "{eol:?}");
        }
    }
}
