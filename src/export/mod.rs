//! Export: consumes a [`Graph`] (or mentions), produces files other tools read as they are.
//!
//! Each format is one file implementing [`Exporter`] and one line in [`exporters`]. Exporters write
//! to any `Write`; [`write_atomic`] puts the bytes in place safely (temp file in the same
//! directory, then rename), so an interrupted run leaves the old file or the new one, never half.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::link::Graph;

pub mod dot;
pub mod json;
pub mod mentions;

pub use dot::DotExporter;
pub use json::JsonExporter;

/// A graph output format.
pub trait Exporter: Send + Sync {
    /// Format name as given to `--formats` (`dot`, `json`).
    fn name(&self) -> &'static str;
    /// File name written by `build` (`graph.dot`).
    fn file_name(&self) -> &'static str;
    /// Writes the graph.
    fn write(&self, graph: &Graph, out: &mut dyn Write) -> std::io::Result<()>;
}

/// Every graph exporter, in the order `--formats` lists them.
pub fn exporters() -> Vec<Box<dyn Exporter>> {
    vec![Box::new(DotExporter::default()), Box::new(JsonExporter)]
}

/// The exporter with this name.
pub fn exporter(name: &str) -> Option<Box<dyn Exporter>> {
    exporters().into_iter().find(|e| e.name() == name)
}

/// Writes a file atomically: `write` fills a temporary file next to `path`, which is then renamed
/// over `path`. On error the temporary file is removed and `path` is untouched.
pub fn write_atomic(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    let mut file = AtomicFile::create(path)?;
    write(file.writer()).map_err(|e| Error::io(path, e))?;
    file.commit()
}

/// A file written in pieces and put in place at the end: the bytes go to a temporary file in the
/// same directory (`.<name>.<pid>.tmp`), which [`AtomicFile::commit`] renames over the path;
/// dropped without a commit (an error, an interruption), the temporary file is removed and the
/// path is untouched. `build` streams `mentions.jsonl` through one.
pub struct AtomicFile {
    path: PathBuf,
    tmp: PathBuf,
    out: Option<std::io::BufWriter<std::fs::File>>,
}

impl AtomicFile {
    /// Creates the temporary file for `path`.
    pub fn create(path: &Path) -> Result<AtomicFile> {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("out");
        let tmp = dir.join(format!(".{}.{}.tmp", name, std::process::id()));
        let file = std::fs::File::create(&tmp).map_err(|e| Error::io(path, e))?;
        Ok(AtomicFile {
            path: path.to_path_buf(),
            tmp,
            out: Some(std::io::BufWriter::with_capacity(256 * 1024, file)),
        })
    }

    /// Where to write.
    pub fn writer(&mut self) -> &mut dyn Write {
        self.out.as_mut().expect("not committed")
    }

    /// Flushes, syncs and renames the temporary file over the path.
    pub fn commit(mut self) -> Result<()> {
        let out = self.out.take().expect("not committed");
        let result = (|| {
            let file = out.into_inner().map_err(|e| e.into_error())?;
            file.sync_all()?;
            std::fs::rename(&self.tmp, &self.path)
        })();
        result.map_err(|e| {
            let _ = std::fs::remove_file(&self.tmp);
            Error::io(&self.path, e)
        })
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.out.take().is_some() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}
