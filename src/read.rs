//! Reading: consumes the paths a user gives (files, directories, `-` for standard input), produces
//! [`Document`]s with their text as read (UTF-8; invalid bytes replaced, with a warning, unless strict).
//!
//! Directories are walked recursively in sorted order, taking `*.txt` and `*.md` files and skipping
//! hidden entries. A file whose first 8 KiB hold a NUL byte is binary and skipped with a warning.

use std::io::Read as _;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result, Warning};
use crate::model::Document;

/// Where a document comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Standard input, named `-`.
    Stdin,
    /// A file, named by its path as given (or as found under a directory given).
    File(PathBuf),
}

impl Source {
    /// The document name: the path as given, or `-`.
    pub fn name(&self) -> String {
        match self {
            Source::Stdin => "-".into(),
            Source::File(p) => p.display().to_string(),
        }
    }
}

fn is_text_file(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("txt") || e.eq_ignore_ascii_case("md"))
}

fn walk(dir: &Path, out: &mut Vec<Source>, warnings: &mut Vec<Warning>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            warnings.push(Warning {
                path: Some(dir.into()),
                line: None,
                message: format!("cannot read directory: {e}"),
            });
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'))
        {
            continue;
        }
        let meta = match std::fs::symlink_metadata(&p) {
            Ok(m) => m,
            Err(e) => {
                // A path the system cannot take (longer than PATH_MAX, say) is named, not lost.
                warnings.push(Warning {
                    path: Some(p),
                    line: None,
                    message: format!("cannot read ({e}); skipped"),
                });
                continue;
            }
        };
        if meta.is_dir() {
            walk(&p, out, warnings);
        } else if is_text_file(&p) {
            // Regular files and symlinks to them (a broken link is reported when read). A FIFO,
            // socket or device would block or never end: skipped (given by name, one is read).
            let target = if meta.file_type().is_symlink() {
                std::fs::metadata(&p).ok()
            } else {
                Some(meta)
            };
            match target {
                Some(m) if !m.is_file() && !m.is_dir() => warnings.push(Warning {
                    path: Some(p),
                    line: None,
                    message: format!("{}, not a regular file; skipped", special_kind(&m)),
                }),
                Some(m) if m.is_dir() => {}
                _ => out.push(Source::File(p)),
            }
        }
    }
}

/// The largest dictionary file read, in bytes (512 MiB).
pub const MAX_DICTIONARY_FILE: u64 = 512 << 20;
/// The largest rules file read, in bytes (16 MiB).
pub const MAX_RULES_FILE: u64 = 16 << 20;
/// The largest word-list file a rules file names, in bytes (64 MiB).
pub const MAX_WORD_LIST_FILE: u64 = 64 << 20;

/// Reads a whole file of at most `limit` bytes; a larger one (or a device that never ends, such
/// as `/dev/zero`) is an error of kind `InvalidData` saying so, found before it is read whole.
pub(crate) fn read_limited(path: &Path, limit: u64, what: &str) -> std::io::Result<Vec<u8>> {
    let file = std::fs::File::open(path)?;
    let too_large = || {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("larger than the {} MiB a {what} may be", limit >> 20),
        )
    };
    let len = file.metadata()?.len();
    if len > limit {
        return Err(too_large());
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(bytes)
}

/// What kind of special file `m` is, for a warning.
fn special_kind(m: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = m.file_type();
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
    }
    let _ = m;
    "a special file"
}

/// Expands the inputs: `-` is standard input, a directory becomes its text files. A path that does
/// not exist is an error.
///
/// ```
/// let (sources, _) = entgraph::read::expand_inputs(&["-".into()]).unwrap();
/// assert_eq!(sources, [entgraph::read::Source::Stdin]);
/// ```
pub fn expand_inputs(inputs: &[PathBuf]) -> Result<(Vec<Source>, Vec<Warning>)> {
    let mut out = Vec::new();
    let mut warnings = Vec::new();
    for input in inputs {
        if input.as_os_str() == "-" {
            out.push(Source::Stdin);
            continue;
        }
        // Issue 6: a broken symbolic link exists (it is not a typo): it is reported when read.
        if std::fs::symlink_metadata(input).is_ok_and(|m| m.file_type().is_symlink())
            && std::fs::metadata(input).is_err()
        {
            out.push(Source::File(input.clone()));
            continue;
        }
        let meta = std::fs::metadata(input).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::NotFound {
                path: input.clone(),
            },
            _ => Error::io(input, e),
        })?;
        if meta.is_dir() {
            let before = out.len();
            walk(input, &mut out, &mut warnings);
            if out.len() == before {
                warnings.push(Warning {
                    path: Some(input.clone()),
                    line: None,
                    message: "no *.txt or *.md files in this directory".into(),
                });
            }
        } else {
            out.push(Source::File(input.clone()));
        }
    }
    dedup_sources(&mut out, &mut warnings); // issue 6
    Ok((out, warnings))
}

/// Keeps the first of sources that are the same file (the same path, or paths that resolve to the
/// same file, such as `a.txt` and `./a.txt`, or a file given alone and inside a directory given)
/// and the first `-`, with a warning for each one dropped: a document is read once.
fn dedup_sources(sources: &mut Vec<Source>, warnings: &mut Vec<Warning>) {
    let mut seen = std::collections::HashSet::new();
    sources.retain(|s| {
        let key = match s {
            Source::Stdin => None,
            Source::File(p) => Some(std::fs::canonicalize(p).unwrap_or_else(|_| p.clone())),
        };
        if seen.insert(key) {
            return true;
        }
        warnings.push(Warning {
            path: Some(PathBuf::from(s.name())),
            line: None,
            message: "given more than once; read once".into(),
        });
        false
    });
}

/// What reading one source gave.
#[derive(Debug)]
pub enum Loaded {
    /// A document (and any warnings, e.g. invalid UTF-8 replaced).
    Document(Document, Vec<Warning>),
    /// The source was skipped (binary), with the reason.
    Skipped(Warning),
}

/// Reads one source. With `strict`, invalid UTF-8 is an error instead of a warning.
pub fn read_source(source: &Source, strict: bool) -> Result<Loaded> {
    let name = source.name();
    let bytes = match source {
        Source::Stdin => {
            let mut buf = Vec::new();
            std::io::stdin()
                .lock()
                .read_to_end(&mut buf)
                .map_err(|e| Error::io("-", e))?;
            buf
        }
        Source::File(p) => std::fs::read(p).map_err(|e| Error::io(p, e))?,
    };
    let path = PathBuf::from(&name);
    if bytes[..bytes.len().min(8192)].contains(&0) {
        return Ok(Loaded::Skipped(Warning {
            path: Some(path),
            line: None,
            message: "binary file skipped".into(),
        }));
    }
    let mut warnings = Vec::new();
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            if strict {
                return Err(Error::InvalidUtf8 { path, offset });
            }
            warnings.push(Warning { path: Some(path), line: None, message: format!("not valid UTF-8 (first bad byte at offset {offset}); invalid bytes replaced with U+FFFD") });
            String::from_utf8_lossy(e.as_bytes()).into_owned()
        }
    };
    Ok(Loaded::Document(Document::new(name, text), warnings))
}

/// A source opened for reading in pieces: decoded text accumulates in [`DocumentReader::pending`]
/// and is taken from the front, so a document of any size is read in bounded memory. Decoding is
/// that of [`read_source`] (lossy unless strict), applied across piece boundaries.
pub struct DocumentReader {
    name: String,
    reader: Box<dyn std::io::Read + Send>,
    /// Bytes read but not decoded yet (an incomplete UTF-8 sequence at the end of a read).
    raw: Vec<u8>,
    /// Bytes read so far (the offset of `raw`'s end in the source).
    raw_offset: usize,
    pending: String,
    eof: bool,
    strict: bool,
    warned: bool,
    warnings: Vec<Warning>,
    /// SHA-256 of the bytes read so far.
    hasher: sha2::Sha256,
}

/// What opening a source gave.
pub enum Opened {
    /// A reader for the document.
    Reader(DocumentReader),
    /// The source was skipped (binary), with the reason.
    Skipped(Warning),
}

/// Bytes read from a source at a time.
const READ_BLOCK: usize = 1 << 20;

impl DocumentReader {
    /// Opens a source; checks its first 8 KiB for a NUL byte (binary files are skipped).
    pub fn open(source: &Source, strict: bool) -> Result<Opened> {
        let name = source.name();
        let reader: Box<dyn std::io::Read + Send> = match source {
            Source::Stdin => Box::new(std::io::stdin()),
            Source::File(p) => Box::new(std::fs::File::open(p).map_err(|e| Error::io(p, e))?),
        };
        let mut r = DocumentReader {
            name,
            reader,
            raw: Vec::new(),
            raw_offset: 0,
            pending: String::new(),
            eof: false,
            strict,
            warned: false,
            warnings: Vec::new(),
            hasher: sha2::Digest::new(),
        };
        while r.raw.len() < 8192 && !r.eof {
            r.read_block(64 * 1024)?;
        }
        if r.raw[..r.raw.len().min(8192)].contains(&0) {
            return Ok(Opened::Skipped(Warning {
                path: Some(PathBuf::from(&r.name)),
                line: None,
                message: "binary file skipped".into(),
            }));
        }
        r.decode()?;
        Ok(Opened::Reader(r))
    }

    /// The document name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Decoded text not taken yet.
    pub fn pending(&self) -> &str {
        &self.pending
    }

    /// True when the whole source has been read (what is pending is the rest of the document).
    pub fn is_eof(&self) -> bool {
        self.eof
    }

    /// The SHA-256 of the source's bytes (lowercase hex), once it has been read to the end.
    pub fn sha256(&self) -> Option<String> {
        self.eof
            .then(|| crate::graph::hex(&sha2::Digest::finalize(self.hasher.clone())))
    }

    /// Warnings so far (invalid UTF-8 replaced); drained.
    pub fn take_warnings(&mut self) -> Vec<Warning> {
        std::mem::take(&mut self.warnings)
    }

    /// Reads until at least `want` bytes of text are pending, or the end of the source.
    pub fn fill(&mut self, want: usize) -> Result<()> {
        while self.pending.len() < want && !self.eof {
            // Read about what is missing, so that little is left after the caller takes its piece.
            self.read_block((want - self.pending.len()).clamp(64 * 1024, READ_BLOCK))?;
            self.decode()?;
        }
        Ok(())
    }

    /// Takes the first `n` bytes of the pending text (`n` must be a char boundary).
    pub fn take(&mut self, n: usize) -> String {
        if n == self.pending.len() {
            return std::mem::take(&mut self.pending);
        }
        let rest = self.pending[n..].to_string();
        self.pending.truncate(n);
        std::mem::replace(&mut self.pending, rest)
    }

    fn read_block(&mut self, size: usize) -> Result<()> {
        let start = self.raw.len();
        self.raw.resize(start + size, 0);
        let n = loop {
            match self.reader.read(&mut self.raw[start..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.raw.truncate(start);
                    return Err(Error::io(&self.name, e));
                }
            }
        };
        self.raw.truncate(start + n);
        sha2::Digest::update(&mut self.hasher, &self.raw[start..]);
        self.raw_offset += n;
        if n == 0 {
            self.eof = true;
        }
        Ok(())
    }

    /// Moves the decodable part of `raw` to `pending` (as `String::from_utf8_lossy` would decode
    /// the whole source: one U+FFFD per maximal invalid sequence).
    fn decode(&mut self) -> Result<()> {
        let base = self.raw_offset - self.raw.len();
        let mut i = 0;
        loop {
            match std::str::from_utf8(&self.raw[i..]) {
                Ok(t) => {
                    self.pending.push_str(t);
                    i = self.raw.len();
                    break;
                }
                Err(e) => {
                    let valid = i + e.valid_up_to();
                    self.pending
                        .push_str(std::str::from_utf8(&self.raw[i..valid]).expect("valid prefix"));
                    let bad = match e.error_len() {
                        Some(n) => n,
                        // An incomplete sequence at the end: wait for more bytes, unless none come.
                        None if !self.eof => {
                            i = valid;
                            break;
                        }
                        None => self.raw.len() - valid,
                    };
                    let offset = base + valid;
                    if self.strict {
                        return Err(Error::InvalidUtf8 {
                            path: PathBuf::from(&self.name),
                            offset,
                        });
                    }
                    if !self.warned {
                        self.warned = true;
                        self.warnings.push(Warning { path: Some(PathBuf::from(&self.name)), line: None, message: format!("not valid UTF-8 (first bad byte at offset {offset}); invalid bytes replaced with U+FFFD") });
                    }
                    self.pending.push('\u{FFFD}');
                    i = valid + bad;
                }
            }
        }
        self.raw.drain(..i);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_walks_sorted_text_files() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("sub")).unwrap();
        for f in ["b.txt", "a.md", "c.csv", ".hidden.txt", "sub/z.txt"] {
            std::fs::write(d.join(f), "x").unwrap();
        }
        let (s, _) = expand_inputs(&[d.to_path_buf()]).unwrap();
        let names: Vec<String> = s
            .iter()
            .map(|s| {
                s.name()
                    .trim_start_matches(&d.display().to_string())
                    .to_string()
            })
            .collect();
        assert_eq!(names, ["/a.md", "/b.txt", "/sub/z.txt"]);
    }

    #[test]
    fn read_missing_path_is_error() {
        let e = expand_inputs(&["/nonexistent/x.txt".into()])
            .unwrap_err()
            .to_string();
        assert_eq!(e, "/nonexistent/x.txt: no such file or directory");
    }

    /// Reading in pieces decodes exactly as reading whole, whatever the block boundaries.
    #[test]
    fn read_pieces_decode_like_whole() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("l.txt");
        let mut bytes = Vec::new();
        for i in 0..300_000u32 {
            bytes.extend_from_slice("é–x".as_bytes());
            if i % 7777 == 0 {
                bytes.extend_from_slice(b"\xe2\x80 \xff\xc3");
            }
        }
        std::fs::write(&p, &bytes).unwrap();
        let Opened::Reader(mut r) = DocumentReader::open(&Source::File(p), false).unwrap() else {
            panic!("not binary")
        };
        let mut text = String::new();
        loop {
            r.fill(READ_BLOCK / 3).unwrap();
            let n = r.pending().len().min(READ_BLOCK / 3);
            let n = (0..=n)
                .rev()
                .find(|&n| r.pending().is_char_boundary(n))
                .unwrap();
            text.push_str(&r.take(n));
            if r.is_eof() && r.pending().is_empty() {
                break;
            }
        }
        assert_eq!(text, String::from_utf8_lossy(&bytes));
        assert_eq!(r.take_warnings().len(), 1);
    }

    #[test]
    fn read_lossy_and_binary() {
        let dir = tempfile::tempdir().unwrap();
        let latin = dir.path().join("l.txt");
        std::fs::write(&latin, b"caf\xe9 Paris").unwrap();
        match read_source(&Source::File(latin.clone()), false).unwrap() {
            Loaded::Document(d, w) => {
                assert_eq!(d.text, "caf\u{FFFD} Paris");
                assert_eq!(w.len(), 1);
            }
            Loaded::Skipped(_) => panic!("not binary"),
        }
        assert!(read_source(&Source::File(latin), true).is_err());
        let bin = dir.path().join("b.txt");
        std::fs::write(&bin, b"\x00\x01\x02").unwrap();
        assert!(matches!(
            read_source(&Source::File(bin), false).unwrap(),
            Loaded::Skipped(_)
        ));
    }
}
