//! Turning user input into spanned documents: which files to read (paths, directories walked
//! recursively, `-` for stdin), reading them safely (binary and non-UTF-8 input become located
//! findings, not crashes), downloading `http(s)://` inputs, and splitting them into documents with a span on every node. Knows
//! nothing of Istio; `check` and `store` take it from here.

pub mod de;
pub mod kustomize;
pub mod layout;
pub mod line_index;
pub mod node;
pub mod progress;
pub mod remote;
pub mod resolve;
pub mod spans;
pub mod yaml;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use line_index::LineIndex;
pub use node::{Entry, Node, Span, Value};
pub use spans::SpanTable;

use crate::Error;

/// One input text: a file, standard input, or objects read from a cluster.
#[derive(Debug)]
pub struct Source {
    /// The name shown to users (the path as given, or `<stdin>`).
    pub name: String,
    pub text: String,
    pub origin: Origin,
    lines: std::sync::OnceLock<LineIndex>,
}

/// Where a source's text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A file or standard input: findings point at file:line:column.
    File,
    /// Objects listed from a Kubernetes API server, serialised by meshctl: the text is not the
    /// user's, so findings name the object instead of a line in it.
    Cluster,
}

impl Source {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Arc<Source> {
        Source::with_origin(name, text, Origin::File)
    }

    pub fn with_origin(
        name: impl Into<String>,
        text: impl Into<String>,
        origin: Origin,
    ) -> Arc<Source> {
        Arc::new(Source {
            name: name.into(),
            text: text.into(),
            origin,
            lines: std::sync::OnceLock::new(),
        })
    }

    pub fn line_index(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(&self.text))
    }

    /// 1-based (line, column) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        self.line_index().line_col(&self.text, offset)
    }
}

/// What the user asked to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputSpec {
    Stdin,
    Path(PathBuf),
    /// A kustomization folder, read as what `kubectl kustomize` renders from it (`-k DIR`).
    Kustomize(PathBuf),
    /// An `http://` or `https://` URL, downloaded (see [`remote`]).
    Url(String),
}

impl InputSpec {
    pub fn parse(arg: &str) -> InputSpec {
        if arg == "-" {
            InputSpec::Stdin
        } else if remote::is_url(arg) {
            InputSpec::Url(arg.to_string())
        } else {
            InputSpec::Path(PathBuf::from(arg))
        }
    }
}

/// A file to read, found from the inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputFile {
    Stdin,
    File(PathBuf),
    Kustomize(PathBuf),
    Url(String),
}

/// The files the inputs name, in a stable order, plus files that were skipped in directories
/// because of their extension, and files left out because they are parts of a Helm chart or a
/// kustomization rather than manifests (see [`layout`]).
#[derive(Debug, Default)]
pub struct Discovered {
    pub files: Vec<InputFile>,
    pub skipped: Vec<PathBuf>,
    pub excluded: Vec<(PathBuf, layout::Excluded)>,
}

impl Discovered {
    /// One note per Helm chart and kustomization whose files were left out.
    pub fn notes(&self) -> Vec<String> {
        layout::notes(&self.excluded)
    }
}

const EXTENSIONS: &[&str] = &["yaml", "yml", "json"];

/// Expands the inputs: a file is read whatever its name; a directory is walked recursively
/// (hidden files and `.gitignore`d ones are left out, as ripgrep does) for `.yaml`, `.yml` and
/// `.json` files. A path that does not exist is an environment error (exit 3).
pub fn discover(inputs: &[InputSpec]) -> Result<Discovered, Error> {
    let mut out = Discovered::default();
    let mut layout = layout::Layout::default();
    let mut stdin_seen = false;
    for input in inputs {
        match input {
            InputSpec::Stdin => {
                if !stdin_seen {
                    out.files.push(InputFile::Stdin);
                    stdin_seen = true;
                }
            }
            InputSpec::Kustomize(dir) => out.files.push(InputFile::Kustomize(dir.clone())),
            InputSpec::Url(url) => out.files.push(InputFile::Url(url.clone())),
            InputSpec::Path(path) => {
                let meta = std::fs::metadata(path).map_err(|e| Error::Read {
                    path: path.display().to_string(),
                    source: e,
                })?;
                if meta.is_dir() {
                    walk_dir(path, &mut out, &mut layout)?;
                } else if let Some(why) = layout.excluded(path) {
                    out.excluded.push((path.clone(), why));
                } else {
                    out.files.push(InputFile::File(path.clone()));
                }
            }
        }
    }
    Ok(out)
}

fn walk_dir(dir: &Path, out: &mut Discovered, layout: &mut layout::Layout) -> Result<(), Error> {
    let mut found = Vec::new();
    let walker = ignore::WalkBuilder::new(dir)
        .hidden(true)
        .parents(false)
        .require_git(true)
        .sort_by_file_name(|a, b| a.cmp(b))
        .build();
    for entry in walker {
        let entry = entry.map_err(|e| Error::Walk {
            path: dir.display().to_string(),
            message: e.to_string(),
        })?;
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let path = entry.into_path();
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let kustomization = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| layout::KUSTOMIZATION_FILES.contains(&n));
        if ext.as_deref().is_some_and(|e| EXTENSIONS.contains(&e)) || kustomization {
            match layout.excluded(&path) {
                Some(why) => out.excluded.push((path, why)),
                None => found.push(InputFile::File(path)),
            }
        } else {
            out.skipped.push(path);
        }
    }
    out.files.extend(found);
    Ok(())
}

/// Why a file's bytes could not be used as text: reported as a located finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextProblem {
    Binary { offset: usize },
    InvalidUtf8 { offset: usize },
}

/// Reads a file or stdin. I/O failures are environment errors; content problems come back as a
/// `Source` holding the valid prefix plus the problem, so they can be reported with a location.
pub fn read(file: &InputFile) -> Result<(Arc<Source>, Option<TextProblem>), Error> {
    let (name, bytes) = match file {
        InputFile::Stdin => {
            let mut buf = Vec::new();
            std::io::stdin()
                .lock()
                .read_to_end(&mut buf)
                .map_err(|e| Error::Read {
                    path: "<stdin>".to_string(),
                    source: e,
                })?;
            ("<stdin>".to_string(), buf)
        }
        InputFile::File(path) => {
            let bytes = std::fs::read(path).map_err(|e| Error::Read {
                path: path.display().to_string(),
                source: e,
            })?;
            (path.display().to_string(), bytes)
        }
        InputFile::Kustomize(dir) => (
            format!("kustomize:{}", dir.display()),
            kustomize::render(dir)?,
        ),
        InputFile::Url(url) => (remote::display_name(url), remote::fetch(url)?),
    };
    Ok(decode(name, bytes))
}

/// Turns bytes into a source: strips a UTF-8 byte-order mark, and reports NUL bytes (binary
/// files) and invalid UTF-8 at their offset.
pub fn decode(name: String, mut bytes: Vec<u8>) -> (Arc<Source>, Option<TextProblem>) {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    if let Some(offset) = memchr_nul(&bytes) {
        let prefix = String::from_utf8_lossy(&bytes[..offset]).into_owned();
        return (
            Source::new(name, prefix),
            Some(TextProblem::Binary { offset }),
        );
    }
    match String::from_utf8(bytes) {
        Ok(text) => (Source::new(name, text), None),
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let mut bytes = e.into_bytes();
            bytes.truncate(offset);
            let text = String::from_utf8(bytes).unwrap_or_default();
            (
                Source::new(name, text),
                Some(TextProblem::InvalidUtf8 { offset }),
            )
        }
    }
}

fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_reports_problems_with_offsets() {
        let (s, p) = decode("f".into(), b"a: 1\n\xff\xfe".to_vec());
        assert_eq!(p, Some(TextProblem::InvalidUtf8 { offset: 5 }));
        assert_eq!(s.text, "a: 1\n");
        let (_, p) = decode("f".into(), b"ab\0cd".to_vec());
        assert_eq!(p, Some(TextProblem::Binary { offset: 2 }));
        let (s, p) = decode("f".into(), b"\xEF\xBB\xBFa: 1".to_vec());
        assert_eq!(p, None);
        assert_eq!(s.text, "a: 1");
    }
}
