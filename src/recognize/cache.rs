//! The on-disk cache of compiled dictionary automata.
//!
//! Compiling a gazetteer of a million names takes seconds; loading the compiled form takes
//! milliseconds. A dictionary with at least [`MIN_CACHED_TERMS`] terms is therefore compiled once
//! and kept in the cache directory the caller names
//! ([`PipelineBuilder::dictionary_cache`](crate::PipelineBuilder::dictionary_cache); the command
//! line picks one from the environment), one file per distinct term list:
//! `dict-<key>.daac`, where the key is a 128-bit hash of everything the automaton depends on (the
//! normalized terms in their order, whether case is ignored, the cache format and the matcher
//! crate's version). Any change to a dictionary changes its terms and so the key: a stale file is
//! never read, only left behind (delete the directory at any time; nothing else lives there).
//!
//! A file is written through [`AtomicFile`](crate::export::AtomicFile) (a temporary name, then a rename), so a reader never
//! sees half of one. A file that does not check out (wrong header, wrong key or term count, an
//! automaton that does not validate) is ignored and rebuilt; a cache that cannot be written costs
//! only the next run's compile time.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use daachorse::DoubleArrayAhoCorasick;

use crate::atomic::AtomicFile;
use crate::error::Error;

/// Dictionaries with fewer terms compile in a few milliseconds and are not cached.
pub const MIN_CACHED_TERMS: usize = 20_000;

const MAGIC: &[u8; 12] = b"entgraph-dac";
/// Bumped whenever the file layout or the way terms are matched changes.
const FORMAT: u32 = 1;
const HEADER: usize = 12 + 4 + 8 + 16;

/// What happened with the cache when a dictionary was compiled.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum CacheStatus {
    /// No cache directory was given, or the dictionary is too small to be worth one.
    #[default]
    Off,
    /// The compiled automaton was read from this file.
    Hit(PathBuf),
    /// The automaton was compiled and written to this file.
    Written(PathBuf),
    /// The automaton was compiled; writing it failed (the reason).
    NotWritten(String),
}

impl std::fmt::Display for CacheStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CacheStatus::Off => f.write_str("not cached"),
            CacheStatus::Hit(p) => write!(f, "read from the cache {}", p.display()),
            CacheStatus::Written(p) => write!(f, "compiled and cached in {}", p.display()),
            CacheStatus::NotWritten(why) => write!(f, "compiled; not cached: {why}"),
        }
    }
}

/// The key of a term list: two independent 64-bit hashes of the terms (length-prefixed, in term-id
/// order) and the matching options.
pub fn key(terms: &[&str], ignore_case: bool) -> u128 {
    // The terms are laid end to end first: hashing one long slice is several times faster than a
    // hasher call per term.
    let mut bytes = Vec::with_capacity(terms.iter().map(|t| t.len() + 8).sum());
    for t in terms {
        bytes.extend_from_slice(&(t.len() as u64).to_le_bytes());
        bytes.extend_from_slice(t.as_bytes());
    }
    let half = |salt: u64| {
        let mut h = DefaultHasher::new();
        (salt, FORMAT, daachorse_version(), ignore_case, terms.len()).hash(&mut h);
        h.write(&bytes);
        h.finish()
    };
    (u128::from(half(0x5eed_0001)) << 64) | u128::from(half(0x5eed_0002))
}

fn daachorse_version() -> &'static str {
    // The serialized layout belongs to the crate: a new version may change it.
    "daachorse-5.1"
}

/// The file of a key in `dir`.
pub fn path(dir: &Path, key: u128) -> PathBuf {
    dir.join(format!("dict-{key:032x}.daac"))
}

/// Reads the automaton cached for `key` with `terms` terms, if a valid one is there.
pub fn load(file: &Path, key: u128, terms: usize) -> Option<DoubleArrayAhoCorasick<u32>> {
    let bytes = std::fs::read(file).ok()?;
    if bytes.len() < HEADER || &bytes[..12] != MAGIC {
        return None;
    }
    let format = u32::from_le_bytes(bytes[12..16].try_into().ok()?);
    let count = u64::from_le_bytes(bytes[16..24].try_into().ok()?);
    let stored = u128::from_le_bytes(bytes[24..40].try_into().ok()?);
    if format != FORMAT || count != terms as u64 || stored != key {
        return None;
    }
    // `deserialize` checks that every state and output index is in range.
    let (automaton, rest) = DoubleArrayAhoCorasick::<u32>::deserialize(&bytes[HEADER..]).ok()?;
    rest.is_empty().then_some(automaton)
}

/// Writes the automaton for `key` (`terms` terms) to `file`, atomically.
pub fn store(
    file: &Path,
    key: u128,
    terms: usize,
    automaton: &DoubleArrayAhoCorasick<u32>,
) -> std::io::Result<()> {
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut out = AtomicFile::create(file).map_err(io_cause)?;
    let w = out.writer();
    w.write_all(MAGIC)?;
    w.write_all(&FORMAT.to_le_bytes())?;
    w.write_all(&(terms as u64).to_le_bytes())?;
    w.write_all(&key.to_le_bytes())?;
    w.write_all(&automaton.serialize())?;
    out.commit().map_err(io_cause)
}

/// The I/O error behind an `AtomicFile`'s error (the caller names the directory itself).
fn io_cause(err: Error) -> std::io::Error {
    match err {
        Error::Io { source, .. } => source,
        other => std::io::Error::other(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use daachorse::{DoubleArrayAhoCorasickBuilder, MatchKind};

    fn automaton(terms: &[&str]) -> DoubleArrayAhoCorasick<u32> {
        DoubleArrayAhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build_with_values(terms.iter().enumerate().map(|(i, t)| (*t, i as u32)))
            .unwrap()
    }

    #[test]
    fn cache_round_trip_and_rejects() {
        let tmp = tempfile::tempdir().unwrap();
        // (a directory that does not exist yet: `store` creates it)
        let dir = tmp.path().join("cache");
        let terms = ["Tom Cruise", "Cruise", "Paris"];
        let k = key(&terms, false);
        assert_ne!(k, key(&terms, true), "ignore-case is part of the key");
        assert_ne!(
            k,
            key(&["Tom Cruise", "Paris", "Cruise"], false),
            "so is the order"
        );
        assert_ne!(
            k,
            key(&["Tom Cruis", "eCruise", "Paris"], false),
            "and the boundaries"
        );
        let file = path(&dir, k);
        store(&file, k, 3, &automaton(&terms)).unwrap();
        let a = load(&file, k, 3).expect("a valid file loads");
        let found: Vec<_> = a
            .leftmost_find_iter("Tom Cruise in Paris")
            .map(|m| (m.start(), m.end(), m.value()))
            .collect();
        assert_eq!(found, [(0, 10, 0), (14, 19, 2)]);
        assert!(load(&file, k ^ 1, 3).is_none(), "another key");
        assert!(load(&file, k, 4).is_none(), "another term count");
        let mut bytes = std::fs::read(&file).unwrap();
        bytes.truncate(bytes.len() - 3);
        std::fs::write(&file, &bytes).unwrap();
        assert!(load(&file, k, 3).is_none(), "a truncated file");
        std::fs::write(&file, b"garbage").unwrap();
        assert!(load(&file, k, 3).is_none(), "garbage");
        let leftovers: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty(), "no temporary file is left");
    }
}
