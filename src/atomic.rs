//! Files written whole or not at all: the files entgraph writes (the exports, `mentions.jsonl`, the
//! dictionary cache) go through [`AtomicFile`], re-exported by [`crate::export`].

use std::ffi::OsString;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::error::{Error, Result};

/// Bytes gathered before each write to the temporary file.
const BUFFER: usize = 1 << 20;

/// Writes a file atomically: `write` fills a temporary file next to `path`, which is then renamed
/// over `path`. On error the temporary file is removed and `path` is untouched.
///
/// ```
/// use std::io::Write;
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("graph.dot");
/// entgraph::export::write_atomic(&path, |w| w.write_all(b"graph {}\n")).unwrap();
/// assert_eq!(std::fs::read_to_string(&path).unwrap(), "graph {}\n");
/// ```
pub fn write_atomic(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let mut file = AtomicFile::create(path)?;
    write(file.writer()).map_err(|e| Error::io(path, e))?;
    file.commit()
}

/// A file written in pieces and put in place at the end; `build` streams `mentions.jsonl` through
/// one while documents are read.
///
/// The bytes go to a new temporary file in the destination's directory, `.<name>.XXXXXX.tmp`
/// (created by the `tempfile` crate with `O_EXCL` and a random suffix, so no file that exists is
/// ever opened), which [`AtomicFile::commit`] syncs and renames over the destination. A reader sees
/// the old file or the new one, never half of one. On an error, or when an `AtomicFile` is dropped
/// without a commit, the temporary file is removed and the destination is untouched. The new file
/// gets the permissions any new file gets (`0o666` less the umask), as `File::create` gives it.
///
/// ```
/// use std::io::Write;
/// use entgraph::export::AtomicFile;
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("mentions.jsonl");
/// let mut file = AtomicFile::create(&path).unwrap();
/// file.writer().write_all(b"{}\n").unwrap();
/// assert!(!path.exists(), "only the temporary file exists before the commit");
/// file.commit().unwrap();
/// assert_eq!(std::fs::read(&path).unwrap(), b"{}\n");
/// ```
pub struct AtomicFile {
    path: PathBuf,
    out: BufWriter<NamedTempFile>,
}

impl AtomicFile {
    /// Creates the temporary file for `path`, in `path`'s directory.
    pub fn create(path: &Path) -> Result<AtomicFile> {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let mut prefix = OsString::from(".");
        prefix.push(path.file_name().unwrap_or("out".as_ref()));
        prefix.push(".");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".tmp");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // (the kernel takes the umask off, as for any new file; tempfile's default is 0o600)
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let file = builder.tempfile_in(dir).map_err(|e| Error::io(path, e))?;
        Ok(AtomicFile {
            path: path.to_path_buf(),
            out: BufWriter::with_capacity(BUFFER, file),
        })
    }

    /// Where to write.
    pub fn writer(&mut self) -> &mut dyn Write {
        &mut self.out
    }

    /// Writes what is buffered, syncs, and renames the temporary file over the path; on an error
    /// the temporary file is removed.
    pub fn commit(self) -> Result<()> {
        let path = self.path;
        let file = self
            .out
            .into_inner()
            .map_err(|e| Error::io(&path, e.into_error()))?;
        file.as_file().sync_all().map_err(|e| Error::io(&path, e))?;
        file.persist(&path).map_err(|e| Error::io(&path, e.error))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// Bytes go to a temporary file beside the path as they are written; the path appears only on
    /// commit; dropped without commit, nothing is left.
    #[test]
    fn atomic_file_streams_then_renames() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mentions.jsonl");
        let mut f = AtomicFile::create(&path).unwrap();
        let bytes = 3 * BUFFER + 10;
        f.writer().write_all(&vec![b'x'; bytes]).unwrap();
        f.writer().flush().unwrap();
        let tmp = names(dir.path());
        assert_eq!(tmp.len(), 1);
        assert!(
            tmp[0].starts_with(".mentions.jsonl.") && tmp[0].ends_with(".tmp"),
            "{tmp:?}"
        );
        assert_eq!(
            std::fs::metadata(dir.path().join(&tmp[0])).unwrap().len(),
            bytes as u64,
            "flushed bytes are in the temporary file"
        );
        assert!(!path.exists());
        f.commit().unwrap();
        assert_eq!(names(dir.path()), ["mentions.jsonl"]);
        assert_eq!(std::fs::metadata(&path).unwrap().len(), bytes as u64);
        let f = AtomicFile::create(&dir.path().join("other.jsonl")).unwrap();
        drop(f);
        assert_eq!(names(dir.path()), ["mentions.jsonl"]);
    }

    /// A failed write leaves the old file as it was and no temporary file; a successful one
    /// replaces it.
    #[test]
    fn atomic_write_replaces_whole_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("graph.json");
        std::fs::write(&path, "old").unwrap();
        let failed = write_atomic(&path, |w| {
            w.write_all(b"half of the new")?;
            Err(std::io::Error::other("disk on fire"))
        });
        let msg = failed.unwrap_err().to_string();
        assert!(
            msg.contains("graph.json") && msg.contains("disk on fire"),
            "{msg}"
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(names(dir.path()), ["graph.json"]);
        write_atomic(&path, |w| w.write_all(b"new")).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(names(dir.path()), ["graph.json"]);
    }

    /// The file gets the mode a plain `File::create` gives (not tempfile's private 0o600).
    #[cfg(unix)]
    #[test]
    fn atomic_file_has_a_new_files_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("plain");
        std::fs::File::create(&plain).unwrap();
        let path = dir.path().join("graph.dot");
        write_atomic(&path, |w| w.write_all(b"graph {}\n")).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), mode(&plain));
    }

    /// A destination that cannot be created: the error names it, and nothing is left behind.
    #[test]
    fn atomic_file_error_names_the_path() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing").join("graph.dot");
        let msg = write_atomic(&path, |w| w.write_all(b"x"))
            .unwrap_err()
            .to_string();
        assert!(msg.starts_with(&path.display().to_string()), "{msg}");
        std::fs::create_dir(dir.path().join("graph.json")).unwrap();
        let msg = write_atomic(&dir.path().join("graph.json"), |w| w.write_all(b"x"))
            .unwrap_err()
            .to_string();
        assert!(msg.contains("graph.json"), "{msg}");
        assert_eq!(names(dir.path()), ["graph.json"]);
    }
}
