//! The library's error type: every variant carries what a one-line message needs
//! (the file, and the line or rule where there is one).

use std::path::PathBuf;

/// Result alias used throughout the library.
pub type Result<T> = std::result::Result<T, Error>;

/// Everything that can stop a run. Messages are lowercase, without a trailing period;
/// the binary prefixes `entgraph: `.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file or directory could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// An input path does not exist.
    #[error("{}: no such file or directory", path.display())]
    NotFound {
        /// The missing path.
        path: PathBuf,
    },
    /// A dictionary file is malformed.
    #[error("{}:{line}: {message}", path.display())]
    Dictionary {
        /// The dictionary file.
        path: PathBuf,
        /// 1-based line number (0 when the whole file is concerned).
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A rules file is malformed, or one of its rules is invalid.
    #[error("{}{}: {message}", path.display(), rule_suffix(*line, rule))]
    Rules {
        /// The rules file.
        path: PathBuf,
        /// 1-based line number of the rule (0 when unknown).
        line: usize,
        /// The rule's name, when known.
        rule: Option<String>,
        /// What is wrong.
        message: String,
    },
    /// An input file is not valid UTF-8 and strict decoding was asked for.
    #[error("{}: not valid UTF-8 (byte offset {offset})", path.display())]
    InvalidUtf8 {
        /// The file.
        path: PathBuf,
        /// Byte offset of the first invalid sequence.
        offset: usize,
    },
    /// A saved graph could not be read.
    #[error("{}: {message}", path.display())]
    Graph {
        /// The graph file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// Nodes and edges that do not make a graph (a node id given twice, an edge naming an unknown
    /// node), or bytes that are not an entgraph `graph.json`.
    #[error("{0}")]
    InvalidGraph(String),
    /// Another run holds the output directory (and this one was told not to wait).
    #[error("{}: another entgraph run is writing into this directory (without --no-wait, a run waits for it)", path.display())]
    Locked {
        /// The output directory.
        path: PathBuf,
    },
    /// Any other invalid argument or option.
    #[error("{0}")]
    Invalid(String),
}

fn rule_suffix(line: usize, rule: &Option<String>) -> String {
    match (line, rule) {
        (0, None) => String::new(),
        (0, Some(r)) => format!(": rule '{r}'"),
        (l, None) => format!(":{l}"),
        (l, Some(r)) => format!(":{l}: rule '{r}'"),
    }
}

impl Error {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// For an error met while reading one input document: the warning to report instead, when the
    /// run can go on without that document — it could not be opened or read (no permission, a
    /// broken symbolic link, a read failure). `None` for every other error, which stops the run
    /// (invalid UTF-8 under strict decoding among them).
    ///
    /// ```
    /// use entgraph::Error;
    /// let denied = Error::io("a.txt", std::io::Error::from(std::io::ErrorKind::PermissionDenied));
    /// assert_eq!(denied.skipped_input().unwrap().to_string(), "a.txt: cannot read (permission denied); skipped");
    /// assert!(Error::InvalidUtf8 { path: "a.txt".into(), offset: 3 }.skipped_input().is_none());
    /// ```
    pub fn skipped_input(&self) -> Option<Warning> {
        let Error::Io { path, source } = self else {
            return None;
        };
        let broken_link = source.kind() == std::io::ErrorKind::NotFound
            && std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
        let message = if broken_link {
            "broken symbolic link; skipped".to_string()
        } else {
            format!("cannot read ({}); skipped", io_reason(source))
        };
        Some(Warning {
            path: Some(path.clone()),
            line: None,
            message,
        })
    }
}

/// An I/O error as a lowercase phrase without the OS error number ("permission denied").
fn io_reason(e: &std::io::Error) -> String {
    let s = e.to_string();
    let s = match s.find(" (os error") {
        Some(i) => &s[..i],
        None => &s,
    };
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => s.to_string(),
    }
}

/// A problem that does not stop the run: reported once per kind and file by the CLI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The file concerned (a document, dictionary or rules file), if any.
    pub path: Option<PathBuf>,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// The message, lowercase, without trailing period.
    pub message: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.path, self.line) {
            (Some(p), Some(l)) => write!(f, "{}:{}: {}", p.display(), l, self.message),
            (Some(p), None) => write!(f, "{}: {}", p.display(), self.message),
            _ => write!(f, "{}", self.message),
        }
    }
}
