//! The dictionary recognizer: gazetteers of canonical names with aliases, matched with
//! Aho-Corasick (leftmost-longest; a double-array automaton from the `daachorse` crate, which can be
//! saved and loaded: see [`super::cache`]) and a whole-word check.
//!
//! # Format
//! UTF-8, tab-separated; one entity per line: the canonical name, then zero or more aliases, each in
//! its own column. Lines starting with `#` are comments; blank lines are skipped. The entity type is
//! the file's stem (`person.tsv` → `person`). Names are normalized like documents (quotes, dashes,
//! spaces, NFC) before matching.
//!
//! # Semantics
//! A term matches only as a whole word: where the term begins (ends) with a word character, the
//! character before (after) it must not be one, so "Cruise" never matches inside "cruised" while
//! ".NET", "C++" and "L.A." still match. Matches are leftmost-longest and non-overlapping; when the
//! longest term at a position fails the word check, shorter terms at the same position are tried.
//! Case-sensitive unless [`DictionaryBuilder::ignore_case`] (full Unicode lowercasing). A term
//! claimed by two entities goes to the one loaded first, with a warning; the same canonical name
//! and type on two lines is one entity whose aliases are merged, with a warning.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use daachorse::{DoubleArrayAhoCorasick, DoubleArrayAhoCorasickBuilder, MatchKind};

use super::cache::{self, CacheStatus};
use super::{Candidate, Input, Rank, Recognizer};
use crate::text::{is_word_char, on_word_boundaries};
use crate::error::{Error, Result, Warning};
use crate::model::{FxHashMap, Span, push_entity_id};
use crate::normalize::{fold_case, normalize};

/// One dictionary entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Canonical name.
    pub canonical: Arc<str>,
    /// Entity type.
    pub kind: Arc<str>,
    /// `type:slug`.
    pub id: Arc<str>,
    /// `path:line` where the entity was defined.
    pub origin: Arc<str>,
    /// Every name it is matched by (canonical first), as written in the file.
    pub names: Vec<String>,
}

/// Collects dictionary entries, then compiles them into a [`Dictionary`].
///
/// ```
/// use entgraph::recognize::DictionaryBuilder;
/// let mut b = DictionaryBuilder::new();
/// b.add_entity("person", "Tom Cruise", &["Cruise"], "inline:1");
/// let dict = b.build().unwrap();
/// let found: Vec<_> = dict.find("Cruise cruised; Tom Cruise's stunt").iter().map(|m| m.0.start).collect();
/// assert_eq!(found, [0, 16]);
/// ```
#[derive(Debug, Default)]
pub struct DictionaryBuilder {
    ignore_case: bool,
    entries: Vec<Entry>,
    /// The entity types, in the order first seen.
    kinds: Vec<Arc<str>>,
    /// (type number, term id of the normalized canonical name, `u32::MAX` for an empty one) ->
    /// entry index: the entity of that type and canonical name, for the entities whose canonical
    /// name was already a term when they were added. The others, most, are found without it:
    /// the term's entry in `term_index` is theirs (see `insert`).
    by_key: FxHashMap<(u32, u32), u32>,
    /// Per entry: its (type number, canonical term id) key.
    keys: Vec<(u32, u32)>,
    /// term -> (term id, entry index of the entity that brought it in); term ids number the
    /// automaton's patterns
    term_index: FxHashMap<Box<str>, (u32, u32)>,
    warnings: Vec<Warning>,
    cache_dir: Option<PathBuf>,
}

/// What the builder needs of one entity line, computed without the builder's state.
struct Prepared<'a> {
    /// The canonical name as written: trimmed, NFC.
    canonical: std::borrow::Cow<'a, str>,
    /// The matching key of the canonical name (empty for an empty one).
    key: String,
    /// The matching key of each alias (empty for an empty one).
    alias_keys: Vec<String>,
    /// `type:slug`.
    id: Arc<str>,
}

impl<'a> Prepared<'a> {
    /// `scratch` is a buffer for the id.
    fn new(
        kind: &str,
        canonical: &'a str,
        aliases: &[&str],
        ignore_case: bool,
        scratch: &mut String,
    ) -> Prepared<'a> {
        // The canonical name is kept as written (trimmed, NFC); matching uses the normalized form.
        let canonical = canonical.trim();
        let canonical = if canonical.is_ascii() {
            std::borrow::Cow::Borrowed(canonical)
        } else {
            std::borrow::Cow::Owned(
                unicode_normalization::UnicodeNormalization::nfc(canonical).collect(),
            )
        };
        let key = |name: &str| {
            let n = normalize(name.trim()).text;
            if ignore_case { fold_case(&n).text } else { n }
        };
        scratch.clear();
        push_entity_id(scratch, kind, &canonical);
        Prepared {
            id: scratch.as_str().into(),
            key: key(&canonical),
            alias_keys: aliases.iter().map(|a| key(a)).collect(),
            canonical,
        }
    }
}

impl DictionaryBuilder {
    /// A builder with default options (case-sensitive).
    pub fn new() -> Self {
        Self::default()
    }

    /// Match ignoring case (Unicode lowercase on both sides). Must be set before adding entries.
    pub fn ignore_case(&mut self, yes: bool) -> &mut Self {
        assert!(
            self.entries.is_empty(),
            "ignore_case must be set before entries are added"
        );
        self.ignore_case = yes;
        self
    }

    /// Keeps the compiled automaton of a large dictionary in `dir` (see [`super::cache`]); `None`
    /// (the default) compiles it every time.
    pub fn cache_dir(&mut self, dir: Option<PathBuf>) -> &mut Self {
        self.cache_dir = dir;
        self
    }

    /// Adds one entity with its aliases. `origin` says where it was defined (for warnings and `--explain`).
    pub fn add_entity(&mut self, kind: &str, canonical: &str, aliases: &[&str], origin: &str) {
        let p = Prepared::new(
            kind,
            canonical,
            aliases,
            self.ignore_case,
            &mut String::new(),
        );
        self.insert(kind, p, aliases, origin.into(), None, 0);
    }

    fn insert(
        &mut self,
        kind: &str,
        p: Prepared<'_>,
        aliases: &[&str],
        origin: Arc<str>,
        path: Option<&Path>,
        line: usize,
    ) {
        let Prepared {
            canonical,
            mut key,
            mut alias_keys,
            id,
        } = p;
        let kind_no = match self.kinds.iter().rposition(|k| **k == *kind) {
            Some(n) => n,
            None => {
                self.kinds.push(kind.into());
                self.kinds.len() - 1
            }
        };
        let kind = self.kinds[kind_no].clone();
        let next = self.entries.len() as u32;
        // The canonical name's term first (one probe: its (id, entry), this one's if it is new):
        // its id stands for the name in `by_key`.
        let canonical_term = (!key.is_empty()).then(|| {
            let id = self.term_index.len() as u32;
            let (got, other) = *self
                .term_index
                .entry(std::mem::take(&mut key).into_boxed_str())
                .or_insert((id, next));
            (got, other, got == id)
        });
        let slot = (
            kind_no as u32,
            canonical_term.map_or(u32::MAX, |(got, ..)| got),
        );
        // A new canonical term is a new entity. A known one is this type's entity when the
        // term's own entry has this key (the entity that brought the term in); else `by_key` says
        // (one probe: the entry index already there, or this one's).
        let known = match canonical_term {
            Some((_, _, true)) => None,
            Some((_, other, false)) if self.keys.get(other as usize) == Some(&slot) => Some(other),
            _ => match self.by_key.entry(slot) {
                std::collections::hash_map::Entry::Occupied(e) => Some(*e.get()),
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(next);
                    None
                }
            },
        };
        let idx = match known {
            Some(i) => {
                self.warnings.push(Warning {
                    path: path.map(Path::to_path_buf),
                    line: (line > 0).then_some(line),
                    message: format!(
                        "duplicate entry '{}' (first defined at {}); aliases merged",
                        canonical, self.entries[i as usize].origin
                    ),
                });
                i as usize
            }
            None => {
                self.keys.push(slot);
                self.entries.push(Entry {
                    id,
                    canonical: canonical.as_ref().into(),
                    kind: kind.clone(),
                    origin: origin.clone(),
                    names: Vec::new(),
                });
                next as usize
            }
        };
        for (k, name) in std::iter::once(canonical.as_ref())
            .chain(aliases.iter().copied())
            .enumerate()
        {
            let name = name.trim();
            let (other, new_term) = if k == 0 {
                // Inserted above; a new term means a new entity, so `next` was `idx`.
                let Some((_, other, new_term)) = canonical_term else {
                    continue;
                };
                (other, new_term)
            } else {
                let term = std::mem::take(&mut alias_keys[k - 1]);
                if name.is_empty() || term.is_empty() {
                    continue;
                }
                let id = self.term_index.len() as u32;
                // One probe: the term's (id, entry), this one's if it is new.
                let (got, other) = *self
                    .term_index
                    .entry(term.into_boxed_str())
                    .or_insert((id, idx as u32));
                (other, got == id)
            };
            match other {
                _ if new_term => self.entries[idx].names.push(name.to_string()),
                _ if other as usize == idx => {}
                _ => {
                    let o = &self.entries[other as usize];
                    self.warnings.push(Warning {
                        path: path.map(Path::to_path_buf),
                        line: (line > 0).then_some(line),
                        message: format!(
                            "'{}' is claimed by {} ({}) and {} ({}); using {}",
                            name, o.id, o.origin, self.entries[idx].id, origin, o.id
                        ),
                    });
                }
            }
        }
    }

    /// Loads one TSV file; its stem is the entity type.
    pub fn add_file(&mut self, path: &Path) -> Result<&mut Self> {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        self.reserve_lines(&[&bytes]);
        self.add_bytes(path, &bytes)
    }

    /// Room in the maps for about one entity per line of `files` (growing a map of a million keys
    /// step by step rehashes it again and again).
    fn reserve_lines(&mut self, files: &[&[u8]]) {
        let lines: usize = files
            .iter()
            .map(|b| memchr::memchr_iter(b'\n', b).count() + 1)
            .sum();
        self.term_index.reserve(lines);
        self.keys.reserve(lines);
        self.entries.reserve(lines);
    }

    /// Loads the contents of the TSV file `path`.
    fn add_bytes(&mut self, path: &Path, bytes: &[u8]) -> Result<&mut Self> {
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let line = bytes[..e.valid_up_to()]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count()
                    + 1;
                return Err(Error::Dictionary {
                    path: path.into(),
                    line,
                    message: "not valid UTF-8".into(),
                });
            }
        };
        let kind = path
            .file_stem()
            .and_then(|s| s.to_str())
            .filter(|s| !s.is_empty())
            .ok_or_else(|| Error::Dictionary {
                path: path.into(),
                line: 0,
                message: "cannot take an entity type from this file name".into(),
            })?
            .to_string();
        let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
        let shown = path.display().to_string();
        // (line number, canonical, aliases) of the entity lines, in batches, so that the maps get
        // room for a batch's names at once.
        let mut batch: Vec<(usize, &str, Vec<&str>)> = Vec::new();
        let mut origin = String::with_capacity(shown.len() + 8);
        let mut scratch = String::new();
        let mut lines = text.lines().enumerate().peekable();
        while lines.peek().is_some() {
            batch.clear();
            for (i, raw) in lines.by_ref() {
                let line = i + 1;
                let raw = raw.strip_suffix('\r').unwrap_or(raw);
                if raw.trim().is_empty() || raw.starts_with('#') {
                    continue;
                }
                let mut fields = raw.split('\t');
                let canonical = fields.next().unwrap_or("").trim();
                batch.push((line, canonical, fields.collect()));
                if batch.len() == 1 << 16 {
                    break;
                }
            }
            // Room for the batch's names up front (growing a map of a million keys step by step
            // rehashes it again and again).
            let names: usize = batch.iter().map(|(_, _, a)| 1 + a.len()).sum();
            self.term_index.reserve(names);
            self.entries.reserve(batch.len());
            self.keys.reserve(batch.len());
            for (line, canonical, aliases) in &batch {
                if canonical.is_empty() {
                    self.warnings.push(Warning {
                        path: Some(path.into()),
                        line: Some(*line),
                        message: "empty canonical name; line skipped".into(),
                    });
                    continue;
                }
                if aliases.iter().any(|a| a.trim().is_empty()) {
                    self.warnings.push(Warning {
                        path: Some(path.into()),
                        line: Some(*line),
                        message: "empty column (stray tab) ignored".into(),
                    });
                }
                origin.clear();
                origin.push_str(&shown);
                origin.push(':');
                origin.push_str(itoa::Buffer::new().format(*line));
                let origin: Arc<str> = origin.as_str().into();
                let p = Prepared::new(&kind, canonical, aliases, self.ignore_case, &mut scratch);
                self.insert(&kind, p, aliases, origin, Some(path), *line);
            }
        }
        Ok(self)
    }

    /// Loads a file, or every `*.tsv` file of a directory (sorted by name, not recursive).
    pub fn add_path(&mut self, path: &Path) -> Result<&mut Self> {
        let meta = std::fs::metadata(path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                Error::NotFound { path: path.into() }
            } else {
                Error::io(path, e)
            }
        })?;
        if meta.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|e| Error::io(path, e))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "tsv") && p.is_file())
                .collect();
            files.sort();
            // All read first, to make room for all their names at once; errors in file order.
            let contents: Vec<Result<Vec<u8>>> = files
                .iter()
                .map(|f| std::fs::read(f).map_err(|e| Error::io(f, e)))
                .collect();
            let read: Vec<&[u8]> = contents.iter().flatten().map(Vec::as_slice).collect();
            self.reserve_lines(&read);
            for (f, bytes) in files.iter().zip(contents) {
                self.add_bytes(f, &bytes?)?;
            }
        } else {
            self.add_file(path)?;
        }
        Ok(self)
    }

    /// Compiles the automaton (or reads it from the cache directory, when one is set and holds it).
    pub fn build(self) -> Result<Dictionary> {
        let mut patterns: Vec<&str> = vec![""; self.term_index.len()];
        let mut term_entry = vec![0u32; self.term_index.len()];
        for (term, &(id, entry)) in &self.term_index {
            patterns[id as usize] = term;
            term_entry[id as usize] = entry;
        }
        let compile = |patterns: &[&str]| {
            DoubleArrayAhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .build_with_values(patterns.iter().enumerate().map(|(i, t)| (*t, i as u32)))
                .map_err(|e| {
                    Error::Invalid(format!("cannot compile the dictionary automaton: {e}"))
                })
        };
        let mut status = CacheStatus::Off;
        let ac = if patterns.is_empty() {
            None
        } else if let Some(dir) = self
            .cache_dir
            .as_deref()
            .filter(|_| patterns.len() >= cache::MIN_CACHED_TERMS)
        {
            let key = cache::key(&patterns, self.ignore_case);
            let file = cache::path(dir, key);
            match cache::load(&file, key, patterns.len()) {
                Some(ac) => {
                    status = CacheStatus::Hit(file);
                    Some(ac)
                }
                None => {
                    let ac = compile(&patterns)?;
                    status = match cache::store(&file, key, patterns.len(), &ac) {
                        Ok(()) => CacheStatus::Written(file),
                        Err(e) => CacheStatus::NotWritten(format!("{}: {e}", dir.display())),
                    };
                    Some(ac)
                }
            }
        } else {
            Some(compile(&patterns)?)
        };
        let max_term_len = patterns.iter().map(|t| t.len()).max().unwrap_or(0);
        drop(patterns);
        Ok(Dictionary {
            ignore_case: self.ignore_case,
            entries: self.entries,
            term_entry,
            term_index: self.term_index,
            ac,
            cache: status,
            warnings: self.warnings,
            max_term_len,
        })
    }
}

/// A compiled dictionary.
#[derive(Clone)]
pub struct Dictionary {
    ignore_case: bool,
    entries: Vec<Entry>,
    term_entry: Vec<u32>,
    term_index: FxHashMap<Box<str>, (u32, u32)>,
    /// `None` when there is no term.
    ac: Option<DoubleArrayAhoCorasick<u32>>,
    cache: CacheStatus,
    warnings: Vec<Warning>,
    max_term_len: usize,
}

impl std::fmt::Debug for Dictionary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Dictionary")
            .field("entities", &self.entries.len())
            .field("terms", &self.term_entry.len())
            .field("ignore_case", &self.ignore_case)
            .field("automaton_bytes", &self.automaton_bytes())
            .field("cache", &self.cache)
            .finish_non_exhaustive()
    }
}

impl Dictionary {
    /// An empty dictionary.
    pub fn empty() -> Self {
        DictionaryBuilder::new()
            .build()
            .expect("an empty automaton always builds")
    }

    /// Warnings collected while loading.
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// Number of entities.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there is no entity.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Number of terms (names and aliases) matched.
    pub fn term_count(&self) -> usize {
        self.term_entry.len()
    }

    /// Heap memory of the compiled automaton, in bytes.
    pub fn automaton_bytes(&self) -> usize {
        self.ac.as_ref().map_or(0, |ac| ac.heap_bytes())
    }

    /// Whether the automaton was read from the cache, compiled and cached, or compiled only.
    pub fn cache_status(&self) -> &CacheStatus {
        &self.cache
    }

    /// Length in bytes of the longest term.
    pub fn max_term_len(&self) -> usize {
        self.max_term_len
    }

    /// All entities, in load order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entity a name or alias belongs to (normalized like the dictionary's terms).
    ///
    /// ```
    /// let mut b = entgraph::recognize::DictionaryBuilder::new();
    /// b.add_entity("place", "Los Angeles", &["L.A."], "x:1");
    /// let d = b.build().unwrap();
    /// assert_eq!(&*d.lookup("L.A.").unwrap().canonical, "Los Angeles");
    /// ```
    pub fn lookup(&self, name: &str) -> Option<&Entry> {
        let name = name.trim();
        if !self.ignore_case && crate::normalize::is_plain(name) {
            // Normalizing changes nothing: look the name up as it is.
            return self
                .term_index
                .get(name)
                .map(|&(_, i)| &self.entries[i as usize]);
        }
        let n = normalize(name).text;
        let key = if self.ignore_case {
            fold_case(&n).text
        } else {
            n
        };
        self.term_index
            .get(key.as_str())
            .map(|&(_, i)| &self.entries[i as usize])
    }

    /// Finds the whole-word, leftmost-longest, non-overlapping matches in `text` (already normalized):
    /// `(span, entry)`.
    pub fn find(&self, text: &str) -> Vec<(Span, &Entry)> {
        let mut out = Vec::new();
        if self.ignore_case {
            let folded = fold_case(text);
            self.scan(&folded.text, |s, e, entry| {
                let (a, b) = folded.span_to_original(s, e, text);
                out.push((Span::new(a, b), entry));
            });
        } else {
            self.scan(text, |s, e, entry| out.push((Span::new(s, e), entry)));
        }
        out
    }

    fn scan<'s>(&'s self, hay: &str, mut emit: impl FnMut(usize, usize, &'s Entry)) {
        let Some(ac) = &self.ac else { return };
        let bytes = hay.as_bytes();
        // The entry of a term id (`None` only for a cached automaton that does not fit, which the
        // cache key rules out).
        let entry = |v: u32| {
            self.term_entry
                .get(v as usize)
                .map(|&e| &self.entries[e as usize])
        };
        let mut pos = 0;
        'restart: while pos < hay.len() {
            // Matches are UTF-8 terms in UTF-8 text, so they start and end on char boundaries.
            let base = pos;
            for m in ac.leftmost_find_iter(&bytes[base..]) {
                let (start, end) = (base + m.start(), base + m.end());
                if on_word_boundaries(hay, start, end) {
                    if let Some(e) = entry(m.value()) {
                        emit(start, end, e);
                    }
                    // The iterator goes on from `end`, as a new search from there would.
                    continue;
                }
                // The longest term here fails the word check; try shorter ones at the same start.
                let mut found = None;
                let start_ok = !hay[..start]
                    .chars()
                    .next_back()
                    .is_some_and(is_word_char)
                    || !hay[start..].chars().next().is_some_and(is_word_char);
                if start_ok {
                    let mut limit = end;
                    while limit > start + 1 {
                        limit -= 1;
                        while !hay.is_char_boundary(limit) {
                            limit -= 1;
                        }
                        // The leftmost-longest match in the range is the longest one starting at
                        // `start` if there is one.
                        let Some(m2) = ac
                            .leftmost_find_iter(&bytes[start..limit])
                            .next()
                            .filter(|m2| m2.start() == 0)
                        else {
                            break;
                        };
                        let end2 = start + m2.end();
                        if on_word_boundaries(hay, start, end2) {
                            found = Some((end2, m2.value()));
                            break;
                        }
                        limit = end2;
                    }
                }
                pos = match found {
                    Some((end2, v)) => {
                        if let Some(e) = entry(v) {
                            emit(start, end2, e);
                        }
                        end2
                    }
                    None => start + hay[start..].chars().next().map_or(1, char::len_utf8),
                };
                continue 'restart;
            }
            break;
        }
    }
}

/// Adapts a [`Dictionary`] to the [`Recognizer`] trait.
#[derive(Debug, Clone)]
pub struct DictionaryRecognizer {
    dictionary: Arc<Dictionary>,
    source: Arc<str>,
}

impl DictionaryRecognizer {
    /// Wraps a compiled dictionary.
    pub fn new(dictionary: Arc<Dictionary>) -> Self {
        DictionaryRecognizer {
            dictionary,
            source: "dictionary".into(),
        }
    }
}

impl Recognizer for DictionaryRecognizer {
    fn name(&self) -> &str {
        "dictionary"
    }

    fn recognize(&self, input: Input<'_>, out: &mut Vec<Candidate>) {
        // The source and the few types get copies of their own for this call, so that threads
        // working on other chunks do not count references to the same `Arc`s. (Copies of each
        // entry's strings, made once per entry and call, cost more than they saved: measured.)
        let source: Arc<str> = Arc::from(&*self.source);
        let mut kinds: Vec<(*const u8, Arc<str>)> = Vec::new();
        for (span, entry) in self.dictionary.find(input.text) {
            let key = entry.kind.as_ptr();
            let kind = match kinds.iter().find(|(k, _)| *k == key) {
                Some((_, k)) => k.clone(),
                None => {
                    let k: Arc<str> = Arc::from(&*entry.kind);
                    kinds.push((key, k.clone()));
                    k
                }
            };
            out.push(Candidate {
                span,
                kind,
                entity: Some(entry.canonical.clone()),
                id: Some(entry.id.clone()),
                rank: Rank::Dictionary,
                priority: 0,
                source: source.clone(),
                origin: entry.origin.clone(),
                guard: false,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dict(ignore_case: bool, entities: &[(&str, &str, &[&str])]) -> Dictionary {
        let mut b = DictionaryBuilder::new();
        b.ignore_case(ignore_case);
        for (i, (kind, name, aliases)) in entities.iter().enumerate() {
            b.add_entity(kind, name, aliases, &format!("test:{}", i + 1));
        }
        b.build().unwrap()
    }

    /// (name, ignore_case, haystack, expected matched texts)
    const CASES: &[(&str, bool, &str, &[&str])] = &[
        (
            "whole word",
            false,
            "Cruise cruised. Cruises. Cruise",
            &["Cruise", "Cruise"],
        ),
        ("possessive", false, "Tom Cruise's stunt", &["Tom Cruise"]),
        (
            "longest wins",
            false,
            "Mission: Impossible 7 and Mission: Impossible",
            &["Mission: Impossible 7", "Mission: Impossible"],
        ),
        (
            "punctuation terms",
            false,
            "in L.A. with .NET and C++ code",
            &["L.A.", ".NET", "C++"],
        ),
        ("case sensitive", false, "tom cruise and TOM CRUISE", &[]),
        (
            "ignore case",
            true,
            "tom cruise and TOM CRUISE",
            &["tom cruise", "TOM CRUISE"],
        ),
        (
            "unicode case",
            true,
            "ZÜRICH and zürich",
            &["ZÜRICH", "zürich"],
        ),
        ("shorter fallback", false, "Paris Hiltonesque", &["Paris"]),
        ("inside word start", false, "xParis Paris", &["Paris"]),
        ("unicode boundary", false, "Parisé Paris", &["Paris"]),
        ("hashtag", false, "#MI7 Day 1", &["MI7"]),
        (
            "curly normalized",
            false,
            "Tom Cruise\u{2019}s",
            &["Tom Cruise"],
        ),
    ];

    #[test]
    fn dictionary_match_table() {
        let entities: &[(&str, &str, &[&str])] = &[
            ("person", "Tom Cruise", &["Cruise"]),
            ("film", "Mission: Impossible", &[]),
            (
                "film",
                "Mission: Impossible – Dead Reckoning Part One",
                &["Mission: Impossible 7", "MI7"],
            ),
            ("place", "Los Angeles", &["L.A."]),
            ("tech", ".NET", &["C++"]),
            ("place", "Zürich", &[]),
            ("place", "Paris", &[]),
            ("person", "Paris Hilton", &[]),
        ];
        for (name, ic, hay, expected) in CASES {
            let d = dict(*ic, entities);
            let hay = normalize(hay).text;
            let got: Vec<&str> = d
                .find(&hay)
                .iter()
                .map(|(s, _)| &hay[s.start..s.end])
                .collect();
            assert_eq!(got, *expected, "case {name}");
        }
    }

    #[test]
    fn dictionary_shared_alias_first_wins_with_warning() {
        let d = dict(
            false,
            &[
                ("person", "Michael Johnson", &["Johnson"]),
                ("person", "Boris Johnson", &["Johnson"]),
            ],
        );
        assert_eq!(d.warnings().len(), 1);
        assert_eq!(&*d.lookup("Johnson").unwrap().canonical, "Michael Johnson");
    }

    #[test]
    fn dictionary_duplicate_entry_merges() {
        let d = dict(
            false,
            &[
                ("person", "Tom Cruise", &["Cruise"]),
                ("person", "Tom Cruise", &["TC"]),
            ],
        );
        assert_eq!(d.len(), 1);
        assert_eq!(d.entries()[0].names, ["Tom Cruise", "Cruise", "TC"]);
        assert_eq!(d.warnings().len(), 1);
    }

    #[test]
    fn dictionary_duplicate_of_a_name_claimed_as_an_alias_merges() {
        // "Paris" is an alias of the first place before it is a place of its own; the third line
        // is that place again (merged), and the same name as a person is another entity.
        let d = dict(
            false,
            &[
                ("place", "Ville Lumiere", &["Paris"]),
                ("place", "Paris", &[]),
                ("place", "Paris", &["Paname"]),
                ("person", "Paris", &["Paris Hilton"]),
            ],
        );
        let ids: Vec<&str> = d.entries().iter().map(|e| &*e.id).collect();
        assert_eq!(ids, ["place:ville-lumiere", "place:paris", "person:paris"]);
        assert_eq!(d.entries()[1].names, ["Paname"]);
        assert_eq!(d.entries()[2].names, ["Paris Hilton"]);
        assert_eq!(&*d.lookup("Paris").unwrap().id, "place:ville-lumiere");
        assert_eq!(&*d.lookup("Paname").unwrap().id, "place:paris");
        let messages: Vec<&str> = d.warnings().iter().map(|w| w.message.as_str()).collect();
        assert_eq!(messages.len(), 4, "{messages:?}");
        assert!(messages[0].starts_with("'Paris' is claimed by place:ville-lumiere"));
        assert!(messages[1].starts_with("duplicate entry 'Paris'"));
        assert!(messages[2].starts_with("'Paris' is claimed by place:ville-lumiere"));
        assert!(messages[3].starts_with("'Paris' is claimed by place:ville-lumiere"));
    }

    #[test]
    fn dictionary_same_name_in_two_types_merges_each_with_its_own() {
        // The place brings the term in (found again through the term's own entry); the person
        // shares the term (found again through the map of such entities).
        let d = dict(
            false,
            &[
                ("place", "Paris", &[]),
                ("person", "Paris", &[]),
                ("place", "Paris", &["P1"]),
                ("person", "Paris", &["P2"]),
            ],
        );
        let ids: Vec<&str> = d.entries().iter().map(|e| &*e.id).collect();
        assert_eq!(ids, ["place:paris", "person:paris"]);
        assert_eq!(d.entries()[0].names, ["Paris", "P1"]);
        assert_eq!(d.entries()[1].names, ["P2"]);
        assert_eq!(&*d.lookup("P2").unwrap().id, "person:paris");
        let messages: Vec<&str> = d.warnings().iter().map(|w| w.message.as_str()).collect();
        assert_eq!(messages.len(), 4, "{messages:?}");
        assert!(messages[0].starts_with("'Paris' is claimed by place:paris"));
        assert!(messages[1].starts_with("duplicate entry 'Paris' (first defined at test:1)"));
        assert!(messages[2].starts_with("duplicate entry 'Paris' (first defined at test:2)"));
        assert!(messages[3].starts_with("'Paris' is claimed by place:paris"));
    }

    #[test]
    fn dictionary_file_errors_name_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("person.tsv");
        std::fs::write(&p, b"# c\nTom Cruise\tCruise\n\nBad \xff name\n").unwrap();
        let err = DictionaryBuilder::new()
            .add_file(&p)
            .map(|_| ())
            .unwrap_err()
            .to_string();
        assert!(err.ends_with("person.tsv:4: not valid UTF-8"), "{err}");
    }

    /// A file of more than one batch loads exactly as its entities added one by one: same
    /// entries, ids, names, warnings (in order) and matches.
    #[test]
    fn dictionary_batched_file_loads_like_entities() {
        let dir = tempfile::tempdir().unwrap();
        let mut text = String::new();
        for i in 0..70_000 {
            // Duplicates, shared aliases, empty names and stray tabs along the way.
            match i % 997 {
                0 => text.push_str(&format!("Name {i}\tShared\n")),
                1 => text.push_str("Name 5\tAgain\n"),
                2 => text.push_str("\tno canonical\n"),
                3 => text.push_str(&format!("Zürich {i}\t\tZ{i}\n")),
                _ => text.push_str(&format!("Name {i}\tN{i}\n")),
            }
        }
        let path = dir.path().join("person.tsv");
        std::fs::write(&path, &text).unwrap();
        let one = {
            let mut b = DictionaryBuilder::new();
            b.add_path(dir.path()).unwrap();
            b.build().unwrap()
        };
        let two = {
            let mut b = DictionaryBuilder::new();
            for (i, line) in text.lines().enumerate() {
                let mut fields = line.split('\t');
                let canonical = fields.next().unwrap();
                let aliases: Vec<&str> = fields.collect();
                if !canonical.is_empty() {
                    let origin = format!("{}:{}", path.display(), i + 1);
                    b.add_entity("person", canonical, &aliases, &origin);
                }
            }
            b.build().unwrap()
        };
        assert_eq!(one.entries(), two.entries());
        let w = |d: &Dictionary, file_only: bool| {
            d.warnings()
                .iter()
                .filter(|w| {
                    !file_only
                        || !(w.message.starts_with("empty") || w.message.contains("stray tab"))
                })
                .map(|w| w.message.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(w(&one, true), w(&two, false));
        assert!(w(&one, false).len() > 200, "{}", w(&one, false).len());
        let hay = "Name 5 met Shared and Z3991 and N69999 and Again.";
        let found = |d: &Dictionary| {
            d.find(hay)
                .iter()
                .map(|(s, e)| (s.start, e.id.to_string()))
                .collect::<Vec<_>>()
        };
        assert_eq!(found(&one), found(&two));
        assert_eq!(found(&one).len(), 5);
    }

    #[test]
    fn dictionary_type_from_stem() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("spacecraft.tsv");
        std::fs::write(&p, "Voyager 1\tVoyager\n").unwrap();
        let mut b = DictionaryBuilder::new();
        b.add_path(dir.path()).unwrap();
        let d = b.build().unwrap();
        assert_eq!(&*d.entries()[0].kind, "spacecraft");
        assert_eq!(&*d.entries()[0].id, "spacecraft:voyager-1");
        assert!(d.entries()[0].origin.ends_with("spacecraft.tsv:1"));
    }
}
