//! Files written whole or not at all: the files entgraph writes (the exports, `mentions.jsonl`, the
//! dictionary cache) go through [`AtomicFile`], re-exported by [`crate::export`].

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use tempfile::NamedTempFile;

use crate::error::{Error, Result};
use crate::outset::{LockWait, OutputSet};

/// Bytes gathered before each write to the temporary file.
const BUFFER: usize = 1 << 20;

/// The prefix of every temporary file entgraph creates: `.entgraph-<name>.XXXXXX.tmp`.
pub(crate) const TEMP_PREFIX: &str = ".entgraph-";
/// The suffix of every temporary file entgraph creates.
pub(crate) const TEMP_SUFFIX: &str = ".tmp";

/// The temporary files and the output directories of this process not committed yet: what
/// [`remove_temporary_files`] removes when the process is told to stop. Commits take the same
/// lock, so a stop never lands in the middle of one.
#[derive(Default)]
pub(crate) struct Pending {
    temps: BTreeSet<PathBuf>,
    created_dirs: Vec<PathBuf>,
}

static PENDING: Mutex<Pending> = Mutex::new(Pending {
    temps: BTreeSet::new(),
    created_dirs: Vec::new(),
});

/// The registry of pending files (a panic elsewhere does not make it unusable).
pub(crate) fn pending() -> MutexGuard<'static, Pending> {
    PENDING.lock().unwrap_or_else(|e| e.into_inner())
}

impl Pending {
    pub(crate) fn add_dir(&mut self, dir: &Path) {
        self.created_dirs.push(dir.to_path_buf());
    }
    pub(crate) fn forget_dir(&mut self, dir: &Path) {
        self.created_dirs.retain(|d| d != dir);
    }
    pub(crate) fn remove_temp(&mut self, temp: &Path) {
        self.temps.remove(temp);
    }
}

/// Held while the process stops: no file is committed any more.
pub struct Stopped {
    _guard: MutexGuard<'static, Pending>,
}

/// Removes every temporary file this process has not committed, and the output directories it
/// created that are still empty; returns a guard under which no commit can start (hold it until
/// the process exits). A commit in progress finishes first, so what is on disk is the old set or
/// the new one. For a signal handler in the program (the library installs none):
///
/// ```
/// use std::io::Write;
/// let dir = tempfile::tempdir().unwrap();
/// let mut f = entgraph::export::AtomicFile::create(&dir.path().join("graph.dot")).unwrap();
/// f.writer().write_all(b"graph {}").unwrap();
/// f.writer().flush().unwrap();
/// let stopped = entgraph::export::remove_temporary_files();
/// assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
/// # drop(stopped); drop(f);
/// ```
pub fn remove_temporary_files() -> Stopped {
    let mut p = pending();
    for t in std::mem::take(&mut p.temps) {
        let _ = std::fs::remove_file(t);
    }
    for d in std::mem::take(&mut p.created_dirs).iter().rev() {
        let _ = std::fs::remove_dir(d);
    }
    Stopped { _guard: p }
}

/// Writes a file atomically: `write` fills a temporary file next to `path`, which is then renamed
/// over `path` ([`AtomicFile`]). On error the temporary file is removed and `path` is untouched.
/// An existing `path` that is not a regular file (a FIFO, a device such as `/dev/null`, or a
/// symbolic link to one) is opened and written instead, never replaced; a symbolic link to a
/// regular file has its target replaced, and the link stays.
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
    match Target::of(path) {
        Target::Special => {
            let f = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(|e| Error::io(path, e))?;
            let mut out = BufWriter::with_capacity(BUFFER, f);
            write(&mut out).map_err(|e| Error::io(path, e))?;
            out.flush().map_err(|e| Error::io(path, e))
        }
        Target::Replace(real) => {
            // In the directory's output set, so that a run into it does not take this run's
            // temporary file for a stale one.
            let dir = real
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            if !dir.is_dir() {
                let e = std::io::Error::new(std::io::ErrorKind::NotFound, "no such directory");
                return Err(Error::io(path, e));
            }
            let mut set = OutputSet::open(dir, LockWait::Wait)?;
            let name = real.file_name().unwrap_or_default().to_string_lossy();
            let mut file = set.create(&name)?;
            write(file.writer()).map_err(|e| Error::io(path, e))?;
            set.stage(file)?;
            set.commit(&[]).map(|_| ())
        }
    }
}

/// What writing to a path means.
enum Target {
    /// It exists and is not a regular file (or is a link to one that is not): open and write it.
    Special,
    /// Replace this file (the path, or the regular file a symbolic link at the path names).
    Replace(PathBuf),
}

impl Target {
    fn of(path: &Path) -> Target {
        let Ok(link) = std::fs::symlink_metadata(path) else {
            return Target::Replace(path.to_path_buf());
        };
        match std::fs::metadata(path) {
            Ok(m) if !m.is_file() && !m.is_dir() => Target::Special,
            Ok(m) if m.is_file() && link.file_type().is_symlink() => {
                Target::Replace(std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()))
            }
            _ => Target::Replace(path.to_path_buf()),
        }
    }
}

/// A file written in pieces and put in place at the end; `build` streams `mentions.jsonl` through
/// one while documents are read.
///
/// The bytes go to a new temporary file in the destination's directory, `.entgraph-<name>.XXXXXX.tmp`
/// (created by the `tempfile` crate with `O_EXCL` and a random suffix, so no file that exists is
/// ever opened), which [`AtomicFile::commit`] syncs and renames over the destination. A reader sees
/// the old file or the new one, never half of one. On an error, or when an `AtomicFile` is dropped
/// without a commit, the temporary file is removed and the destination is untouched. A new file
/// gets the permissions any new file gets (`0o666` less the umask), as `File::create` gives it; a
/// file that replaces a regular file keeps that file's permission bits.
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
    temp: PathBuf,
    out: Option<BufWriter<NamedTempFile>>,
}

/// A temporary file complete and synced, waiting for its rename ([`crate::outset::OutputSet`]).
pub(crate) struct Staged {
    pub path: PathBuf,
    pub file: NamedTempFile,
}

impl Staged {
    /// Renames the file into place; `p` is the held registry.
    pub(crate) fn persist(self, p: &mut Pending) -> Result<()> {
        let temp = self.file.path().to_path_buf();
        let result = self.file.persist(&self.path);
        p.temps.remove(&temp);
        result
            .map(|_| ())
            .map_err(|e| Error::io(&self.path, e.error))
    }

    /// The temporary file's name.
    pub(crate) fn temp_name(&self) -> OsString {
        self.file
            .path()
            .file_name()
            .unwrap_or_default()
            .to_os_string()
    }
}

impl AtomicFile {
    /// Creates the temporary file for `path`, in `path`'s directory.
    pub fn create(path: &Path) -> Result<AtomicFile> {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let mut prefix = OsString::from(TEMP_PREFIX);
        prefix.push(path.file_name().unwrap_or("out".as_ref()));
        prefix.push(".");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(TEMP_SUFFIX);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            // (the kernel takes the umask off, as for any new file; tempfile's default is 0o600)
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let mut p = pending();
        let file = builder.tempfile_in(dir).map_err(|e| Error::io(path, e))?;
        // A regular file replaced keeps its permission bits.
        if let Some(old) = std::fs::metadata(path).ok().filter(|m| m.is_file()) {
            file.as_file()
                .set_permissions(old.permissions())
                .map_err(|e| Error::io(path, e))?;
        }
        let temp = file.path().to_path_buf();
        p.temps.insert(temp.clone());
        Ok(AtomicFile {
            path: path.to_path_buf(),
            temp,
            out: Some(BufWriter::with_capacity(BUFFER, file)),
        })
    }

    /// Where to write.
    pub fn writer(&mut self) -> &mut dyn Write {
        self.out.as_mut().expect("not committed")
    }

    /// Writes what is buffered and syncs; the file keeps its temporary name.
    pub(crate) fn stage(mut self) -> Result<Staged> {
        let out = self.out.take().expect("not committed");
        let path = std::mem::take(&mut self.path);
        let file = match out.into_inner() {
            Ok(f) => f,
            Err(e) => {
                let (err, w) = e.into_parts();
                drop(w);
                pending().temps.remove(&self.temp);
                return Err(Error::io(&path, err));
            }
        };
        if let Err(e) = file.as_file().sync_all() {
            drop(file);
            pending().temps.remove(&self.temp);
            return Err(Error::io(&path, e));
        }
        Ok(Staged { path, file })
    }

    /// Writes what is buffered, syncs, and renames the temporary file over the path; on an error
    /// the temporary file is removed.
    pub fn commit(self) -> Result<()> {
        let staged = self.stage()?;
        let mut p = pending();
        staged.persist(&mut p)
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if let Some(out) = self.out.take() {
            // The temporary file is removed with it.
            drop(out.into_parts());
            pending().temps.remove(&self.temp);
        }
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
            tmp[0].starts_with(".entgraph-mentions.jsonl.") && tmp[0].ends_with(".tmp"),
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
