//! Positions and URIs as the Language Server Protocol writes them: a position is a line and a
//! UTF-16 column (the protocol's default encoding), a file is a `file://` URI.

use std::path::{Path, PathBuf};

use lsp_types::{Position, Range, Uri};

/// The LSP position of byte `offset` in `text` (clamped to the text, and to a character
/// boundary).
pub fn position(text: &str, offset: usize) -> Position {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let character: usize = before[line_start..].chars().map(char::len_utf16).sum();
    Position::new(
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(character).unwrap_or(u32::MAX),
    )
}

/// The byte offset of an LSP position in `text` (past the end of a line: its end; past the
/// last line: the end of the text).
pub fn offset(text: &str, pos: Position) -> usize {
    let mut start = 0;
    for _ in 0..pos.line {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let mut units = 0u32;
    for (i, c) in text[start..line_end].char_indices() {
        if units >= pos.character {
            return start + i;
        }
        units += u32::try_from(c.len_utf16()).unwrap_or(2);
    }
    line_end
}

/// The LSP range of a byte range.
pub fn range(text: &str, start: usize, end: usize) -> Range {
    Range::new(position(text, start), position(text, end))
}

/// The path of a `file://` URI (percent-decoded), or `None` for other schemes.
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let s = uri.as_str();
    let rest = s.strip_prefix("file://")?;
    // `file:///path` (empty authority) or `file://localhost/path`.
    let rest = rest.strip_prefix("localhost").unwrap_or(rest);
    if !rest.starts_with('/') {
        return None;
    }
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Some(b) = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).ok().map(PathBuf::from)
}

/// The `file://` URI of an absolute path (characters outside RFC 3986's unreserved set and
/// `/` percent-encoded).
pub fn path_to_uri(path: &Path) -> Option<Uri> {
    let mut s = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.' | b'~') {
            s.push(char::from(b));
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units() {
        let text = "a: 1\nbé𝄞: x\n";
        let x = text.find('x').unwrap_or_default();
        // b, é (1 unit), 𝄞 (2 units), :, space
        assert_eq!(position(text, x), Position::new(1, 6));
        assert_eq!(offset(text, Position::new(1, 6)), x);
        assert_eq!(offset(text, Position::new(0, 99)), 4);
        assert_eq!(offset(text, Position::new(9, 0)), text.len());
        assert_eq!(position(text, 999), Position::new(2, 0));
    }

    #[test]
    fn uris_round_trip() {
        let p = Path::new("/tmp/a dir/vs é.yaml");
        let uri = path_to_uri(p).expect("uri");
        assert_eq!(uri.as_str(), "file:///tmp/a%20dir/vs%20%C3%A9.yaml");
        assert_eq!(uri_to_path(&uri).as_deref(), Some(p));
        let other: Uri = "untitled:Untitled-1".parse().expect("uri");
        assert_eq!(uri_to_path(&other), None);
    }
}
