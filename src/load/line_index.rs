//! Byte offsets ↔ line/column, and the parser's character indices → byte offsets.
//!
//! Diagnostics store byte spans; lines and columns are computed only when a finding is
//! rendered. saphyr counts positions in characters, so files with non-ASCII text need a
//! conversion, done through checkpoints every 64 characters to keep memory small.

/// Line starts of one source text.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<u32>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = Vec::with_capacity(text.len() / 40 + 1);
        starts.push(0);
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                starts.push((i + 1) as u32);
            }
        }
        LineIndex { starts }
    }

    /// 1-based line and 1-based column (in characters) of a byte offset.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = match self.starts.binary_search(&(offset as u32)) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.starts.get(line).copied().unwrap_or(0) as usize;
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
}
