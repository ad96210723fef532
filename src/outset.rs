//! The output set: every file one run writes into an output directory, put in place together.
//!
//! [`OutputSet::open`] creates the directory if needed and locks it (an advisory `flock` on the
//! directory itself, so no lock file is left behind): runs into one directory are serialized, the
//! second waiting or failing at once ([`LockWait`]). Under the lock it finishes a commit that a
//! killed run left half done (see below) and removes the temporary files (`.entgraph-*.tmp`)
//! that dead runs left: every run that creates one in a directory holds that directory's lock, so
//! any it finds there is stale.
//!
//! Files are written to temporary names ([`OutputSet::create`]), completed and synced
//! ([`OutputSet::stage`]); [`OutputSet::commit`] then renames them all into place and removes
//! the files of entgraph's own names that this set does not hold (a format an earlier run wrote).
//! A failed or interrupted run stages nothing that shows: the directory keeps the previous set.
//!
//! The renames of a commit are recorded first in a journal, `.entgraph-commit`, which is removed
//! when they are done. A process killed between the two (SIGKILL; SIGINT and SIGTERM are handled
//! by waiting for the commit, see [`crate::export::remove_temporary_files`]) leaves the journal:
//! [`interrupted_commit`] says so to readers, and the next run into the directory finishes it.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::atomic::{AtomicFile, Staged, TEMP_PREFIX, TEMP_SUFFIX, pending};
use crate::error::{Error, Result};

/// The journal of a commit in progress.
pub const JOURNAL: &str = ".entgraph-commit";

/// What to do when another run holds the output directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockWait {
    /// Wait until it is done.
    Wait,
    /// Fail at once with [`Error::Locked`].
    NoWait,
}

/// The files of one run into one output directory (see the module docs).
///
/// ```
/// use std::io::Write;
/// use entgraph::outset::{LockWait, OutputSet};
/// let dir = tempfile::tempdir().unwrap();
/// let out = dir.path().join("out");
/// std::fs::create_dir(&out).unwrap();
/// std::fs::write(out.join("graph.dot"), "old").unwrap();
/// std::fs::write(out.join("notes.txt"), "mine").unwrap();
/// let mut set = OutputSet::open(&out, LockWait::NoWait).unwrap();
/// let mut f = set.create("graph.json").unwrap();
/// f.writer().write_all(b"{}").unwrap();
/// set.stage(f).unwrap();
/// assert!(!out.join("graph.json").exists(), "nothing shows before the commit");
/// set.commit(&["graph.dot", "graph.json"]).unwrap();
/// assert_eq!(std::fs::read(out.join("graph.json")).unwrap(), b"{}");
/// assert!(!out.join("graph.dot").exists(), "a file of an earlier set is removed");
/// assert!(out.join("notes.txt").exists(), "a file entgraph does not write is not touched");
/// ```
pub struct OutputSet {
    dir: PathBuf,
    /// Holds the lock until dropped.
    _lock: File,
    staged: Vec<Staged>,
    created: bool,
}

impl OutputSet {
    /// Creates `dir` if missing, locks it (waiting or not, per `wait`), finishes a commit a killed
    /// run left half done and removes stale temporary files.
    pub fn open(dir: &Path, wait: LockWait) -> Result<OutputSet> {
        loop {
            let created = !dir.exists();
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
            if created {
                pending().add_dir(dir);
            }
            let lock = File::open(dir).map_err(|e| Error::io(dir, e))?;
            match wait {
                LockWait::Wait => lock.lock().map_err(|e| Error::io(dir, e))?,
                LockWait::NoWait => match lock.try_lock() {
                    Ok(()) => {}
                    Err(std::fs::TryLockError::WouldBlock) => {
                        return Err(Error::Locked {
                            path: dir.to_path_buf(),
                        });
                    }
                    Err(std::fs::TryLockError::Error(e)) => return Err(Error::io(dir, e)),
                },
            }
            // The run before may have removed the directory (it had created it and failed): lock
            // the one at the path now.
            if !same_file(&lock, dir) {
                continue;
            }
            let set = OutputSet {
                dir: dir.to_path_buf(),
                _lock: lock,
                staged: Vec::new(),
                created,
            };
            finish_commit(dir)?;
            remove_stale_temporaries(dir);
            return Ok(set);
        }
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether [`OutputSet::open`] created the directory.
    pub fn created(&self) -> bool {
        self.created
    }

    /// A new temporary file for `name` in the directory.
    pub fn create(&self, name: &str) -> Result<AtomicFile> {
        AtomicFile::create(&self.dir.join(name))
    }

    /// Completes and syncs a file of the set; it is put in place by [`OutputSet::commit`].
    pub fn stage(&mut self, file: AtomicFile) -> Result<()> {
        self.staged.push(file.stage()?);
        Ok(())
    }

    /// Renames every staged file into place, then removes each file of `own` (entgraph's file
    /// names) that the set does not hold; returns the paths put in place, in staging order. A
    /// stop signal waits for it (see [`crate::export::remove_temporary_files`]).
    pub fn commit(mut self, own: &[&str]) -> Result<Vec<PathBuf>> {
        let mut p = pending();
        let names: Vec<String> = self.staged.iter().map(|s| file_name(&s.path)).collect();
        let remove: Vec<&str> = own
            .iter()
            .copied()
            .filter(|o| !names.iter().any(|n| n == o) && self.dir.join(o).is_file())
            .collect();
        let mut journal = String::new();
        for (s, name) in self.staged.iter().zip(&names) {
            journal.push_str(&format!(
                "rename\t{}\t{name}\n",
                s.temp_name().to_string_lossy()
            ));
        }
        for r in &remove {
            journal.push_str(&format!("remove\t{r}\n"));
        }
        let journal_path = self.dir.join(JOURNAL);
        let several = self.staged.len() + remove.len() > 1;
        if several {
            let mut f = File::create(&journal_path).map_err(|e| Error::io(&journal_path, e))?;
            f.write_all(journal.as_bytes())
                .and_then(|()| f.sync_all())
                .map_err(|e| Error::io(&journal_path, e))?;
            sync_dir(&self.dir);
        }
        let mut written = Vec::with_capacity(self.staged.len());
        for s in std::mem::take(&mut self.staged) {
            let path = s.path.clone();
            s.persist(&mut p)?;
            written.push(path);
        }
        for r in remove {
            let path = self.dir.join(r);
            match std::fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(Error::io(path, e)),
            }
        }
        sync_dir(&self.dir);
        if several {
            std::fs::remove_file(&journal_path).map_err(|e| Error::io(&journal_path, e))?;
        }
        p.forget_dir(&self.dir);
        Ok(written)
    }
}

impl Drop for OutputSet {
    fn drop(&mut self) {
        // Not committed: the staged temporary files go (with their `NamedTempFile`s).
        let mut p = pending();
        for s in self.staged.drain(..) {
            let temp = s.file.path().to_path_buf();
            drop(s);
            p.remove_temp(&temp);
        }
    }
}

/// Whether the directory holds a commit a killed run left half done: some of its files are from
/// one run and some from the one before (the next run into the directory finishes it).
pub fn interrupted_commit(dir: &Path) -> bool {
    dir.join(JOURNAL).exists()
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Whether the open `file` is the file at `path` now.
fn same_file(file: &File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), std::fs::metadata(path)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (file, path);
        true
    }
}

/// Makes the renames in `dir` durable (best effort: not every system can sync a directory).
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

/// Finishes the commit a killed run left: the renames whose temporary file is still there, then
/// the removals.
fn finish_commit(dir: &Path) -> Result<()> {
    let journal = dir.join(JOURNAL);
    let Ok(text) = std::fs::read_to_string(&journal) else {
        return Ok(());
    };
    let plain = |n: &str| !n.is_empty() && !n.contains('/') && n != "." && n != "..";
    for line in text.lines() {
        let parts: Vec<&str> = line.split('\t').collect();
        match parts[..] {
            ["rename", temp, name] if plain(temp) && plain(name) => {
                let t = dir.join(temp);
                if t.exists() {
                    std::fs::rename(&t, dir.join(name)).map_err(|e| Error::io(&t, e))?;
                }
            }
            ["remove", name] if plain(name) => {
                let _ = std::fs::remove_file(dir.join(name));
            }
            _ => {}
        }
    }
    sync_dir(dir);
    std::fs::remove_file(&journal).map_err(|e| Error::io(&journal, e))
}

/// Removes the temporary files entgraph runs left in `dir` (the caller holds its lock).
fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(TEMP_PREFIX)
            && name.ends_with(TEMP_SUFFIX)
            && e.file_type().is_ok_and(|t| t.is_file())
        {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    /// A second open of a locked directory fails under `NoWait`; the lock goes with the set.
    #[test]
    fn outset_lock_no_wait() {
        let dir = tempfile::tempdir().unwrap();
        let set = OutputSet::open(dir.path(), LockWait::NoWait).unwrap();
        let err = OutputSet::open(dir.path(), LockWait::NoWait)
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("another entgraph run"), "{err}");
        drop(set);
        OutputSet::open(dir.path(), LockWait::NoWait).unwrap();
    }

    /// Stale temporary files go; other hidden files stay; a dropped set leaves nothing.
    #[test]
    fn outset_removes_stale_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join(".entgraph-graph.json.Ab12Cd.tmp"), "stale").unwrap();
        std::fs::write(d.join(".hidden.tmp"), "mine").unwrap();
        let mut set = OutputSet::open(d, LockWait::Wait).unwrap();
        assert_eq!(names(d), [".hidden.tmp"]);
        let f = set.create("graph.json").unwrap();
        set.stage(f).unwrap();
        assert_eq!(names(d).len(), 2);
        drop(set);
        assert_eq!(names(d), [".hidden.tmp"]);
    }

    /// A journal left by a killed commit is finished by the next open.
    #[test]
    fn outset_finishes_an_interrupted_commit() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("graph.json"), "old").unwrap();
        std::fs::write(d.join("graph.dot"), "old").unwrap();
        std::fs::write(d.join("graph.gexf"), "old").unwrap();
        std::fs::write(d.join("mentions.jsonl"), "new").unwrap();
        std::fs::write(d.join(".entgraph-graph.json.x1.tmp"), "new").unwrap();
        std::fs::write(
            d.join(JOURNAL),
            "rename\t.entgraph-mentions.jsonl.x0.tmp\tmentions.jsonl\n\
             rename\t.entgraph-graph.json.x1.tmp\tgraph.json\n\
             remove\tgraph.gexf\nremove\t../escape\n",
        )
        .unwrap();
        assert!(interrupted_commit(d));
        drop(OutputSet::open(d, LockWait::Wait).unwrap());
        assert!(!interrupted_commit(d));
        assert_eq!(names(d), ["graph.dot", "graph.json", "mentions.jsonl"]);
        assert_eq!(
            std::fs::read_to_string(d.join("graph.json")).unwrap(),
            "new"
        );
    }
}
