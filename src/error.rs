//! Errors that stop a command (as opposed to findings, which are reported and counted).

/// A failure of the environment or of the invocation; findings about the input are
/// [`crate::check::Diagnostic`]s instead.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot walk {path}: {message}")]
    Walk { path: String, message: String },
    #[error("{0}")]
    Usage(String),
    /// The cluster could not be reached or used (see [`crate::cluster`]).
    #[error("{0}")]
    Cluster(String),
    /// A URL input (`-f https://...`) could not be downloaded.
    #[error("cannot read {url}: {message}")]
    Fetch { url: String, message: String },
    /// An external tool meshctl runs for the user (kustomize) is missing or failed.
    #[error("{0}")]
    Tool(String),
    #[error("cannot write output: {0}")]
    Output(#[from] std::io::Error),
}

impl Error {
    /// The documented exit code: 2 for usage errors, 3 for the environment.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Usage(_) => 2,
            _ => 3,
        }
    }
}
