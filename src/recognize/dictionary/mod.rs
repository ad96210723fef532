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

use std::sync::Arc;

use daachorse::DoubleArrayAhoCorasick;

use super::cache::CacheStatus;
use super::{Candidate, Input, Rank, Recognizer};
use crate::error::Warning;
use crate::model::{FxHashMap, Span};
use crate::normalize::{fold_case, normalize};
use crate::text::{is_word_char, on_word_boundaries};

mod build;
#[cfg(test)]
mod tests;

pub use build::DictionaryBuilder;
use build::Term;

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

/// A compiled dictionary.
#[derive(Clone)]
pub struct Dictionary {
    ignore_case: bool,
    entries: Vec<Entry>,
    term_entry: Vec<u32>,
    /// The terms (normalized names), each with its [`Term`].
    term_index: FxHashMap<Box<str>, Term>,
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
                .map(|t| &self.entries[t.entry as usize]);
        }
        let n = normalize(name).text;
        let key = if self.ignore_case {
            fold_case(&n).text
        } else {
            n
        };
        self.term_index
            .get(key.as_str())
            .map(|t| &self.entries[t.entry as usize])
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
                let start_ok = !hay[..start].chars().next_back().is_some_and(is_word_char)
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
                extends: true,
            });
        }
    }
}
