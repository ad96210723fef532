//! [`DataDir`]: dictionaries, word lists and rules held in memory instead of read from a directory
//! — the default data a program embeds in its binary. Loaded exactly as the directory they stand
//! for would be: the same files in the same order give the same dictionary, the same rules and
//! the same compiled-dictionary cache key (which hashes the names, wherever they came from).

use std::path::{Path, PathBuf};

/// One file of a [`DataDir`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataFile {
    /// The file name, e.g. `person.tsv` (its stem is the entity type of a dictionary).
    pub name: &'static str,
    /// The contents.
    pub bytes: &'static [u8],
}

/// Files standing for a directory: `dir` names them in messages and origins
/// (`dictionaries/person.tsv:12`), as if they were read from there.
///
/// ```
/// use entgraph::recognize::{DataDir, DataFile};
/// let data = DataDir::new("dictionaries", [
///     DataFile { name: "person.tsv", bytes: b"Tom Cruise\tCruise\n" },
///     DataFile { name: "film.tsv", bytes: b"Top Gun\n" },
/// ]);
/// assert_eq!(data.files()[0].name, "film.tsv");
/// assert_eq!(data.path_of("person.tsv"), std::path::Path::new("dictionaries/person.tsv"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataDir {
    dir: PathBuf,
    files: Vec<DataFile>,
}

impl DataDir {
    /// The files, sorted by name (as a directory's files are loaded).
    pub fn new(dir: impl Into<PathBuf>, files: impl IntoIterator<Item = DataFile>) -> Self {
        let mut files: Vec<DataFile> = files.into_iter().collect();
        files.sort_by(|a, b| a.name.cmp(b.name));
        files.dedup_by(|a, b| a.name == b.name);
        DataDir {
            dir: dir.into(),
            files,
        }
    }

    /// The directory the files stand for.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Every file, sorted by name.
    pub fn files(&self) -> &[DataFile] {
        &self.files
    }

    /// The file named `name` (a name relative to the directory, e.g. `first_names.txt`).
    pub fn get(&self, name: &str) -> Option<&DataFile> {
        let name = name.strip_prefix("./").unwrap_or(name);
        self.files.iter().find(|f| f.name == name)
    }

    /// The path `name` stands for: the directory joined with it.
    pub fn path_of(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// The dictionary files (`*.tsv`), sorted by name.
    pub fn dictionaries(&self) -> impl Iterator<Item = &DataFile> {
        self.files.iter().filter(|f| f.name.ends_with(".tsv"))
    }
}
