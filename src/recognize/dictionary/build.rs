//! Loading a dictionary: TSV files (or entities added one by one) into entries and terms, then the
//! terms compiled into the automaton (or read from the cache directory).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use daachorse::{DoubleArrayAhoCorasickBuilder, MatchKind};

use super::{Dictionary, Entry};
use crate::error::{Error, Result, Warning};
use crate::model::{FxHashMap, push_entity_id};
use crate::read::{MAX_DICTIONARY_FILE, read_limited};

/// The longest name (canonical or alias) a dictionary line may give, in bytes; a longer canonical
/// name skips its line, a longer alias is ignored, each with a warning.
pub const MAX_NAME_BYTES: usize = 1000;
use crate::normalize::{fold_case, normalize};
use crate::recognize::cache::{self, CacheStatus};

/// Collects dictionary entries, then compiles them into a [`Dictionary`].
///
/// ```
/// use entgraph::recognize::DictionaryBuilder;
/// let mut b = DictionaryBuilder::new();
/// b.add_entity("person", "Tom Cruise", &["Cruise"], "inline:1");
/// let dict = b.build().unwrap();
/// let found: Vec<_> = dict.find("Cruise cruised; Tom Cruise's stunt").iter().map(|(span, _)| span.start).collect();
/// assert_eq!(found, [0, 16]);
/// ```
#[derive(Debug, Default)]
pub struct DictionaryBuilder {
    ignore_case: bool,
    entries: Vec<Entry>,
    /// The entity types, in the order first seen.
    kinds: Vec<Arc<str>>,
    /// Entity key -> entry index: the entity of that type and canonical name, for the entities
    /// whose canonical name was already a term when they were added. The others, most, are found
    /// without it: the term's entry in `term_index` is theirs (see `insert`).
    by_key: FxHashMap<EntityKey, u32>,
    /// Per entry: its key.
    keys: Vec<EntityKey>,
    /// The normalized names (terms), each with its [`Term`].
    term_index: FxHashMap<Box<str>, Term>,
    warnings: Vec<Warning>,
    cache_dir: Option<PathBuf>,
    /// Entity id -> the first entry with it (distinct names can give one id: "Tom Cruise" and
    /// "TOM CRUISE" are both `person:tom-cruise`).
    ids: FxHashMap<Arc<str>, u32>,
}

/// A term's number (its pattern in the automaton) and the entry of the entity that brought it in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Term {
    pub id: u32,
    pub entry: u32,
}

/// What tells entities apart: their type (its number) and the term of their canonical name
/// (`None` for an empty one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct EntityKey {
    kind: u32,
    canonical: Option<u32>,
}

/// A name looked up among the terms: its term, and whether the lookup added it.
#[derive(Debug, Clone, Copy)]
struct Probe {
    term: Term,
    new: bool,
}

/// An entity line of a file.
struct EntityLine<'a> {
    /// 1-based.
    line: usize,
    canonical: &'a str,
    aliases: Vec<&'a str>,
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
        // The canonical name's term first (this entry's if it is new): its id stands for the name
        // in the entity's key.
        let canonical_term = (!key.is_empty()).then(|| self.probe(std::mem::take(&mut key), next));
        let entity_key = EntityKey {
            kind: kind_no as u32,
            canonical: canonical_term.map(|p| p.term.id),
        };
        // A new canonical term is a new entity. A known one is this type's entity when the
        // term's own entry has this key (the entity that brought the term in); else `by_key` says
        // (one probe: the entry index already there, or this one's).
        let known = match canonical_term {
            Some(p) if p.new => None,
            Some(p) if self.keys.get(p.term.entry as usize) == Some(&entity_key) => {
                Some(p.term.entry)
            }
            _ => match self.by_key.entry(entity_key) {
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
                match self.ids.entry(id.clone()) {
                    std::collections::hash_map::Entry::Occupied(e) => {
                        let first = &self.entries[*e.get() as usize];
                        self.warnings.push(Warning {
                            path: path.map(Path::to_path_buf),
                            line: (line > 0).then_some(line),
                            message: format!(
                                "'{}' has the id {} of '{}' ({}): mentions of both count as one entity",
                                canonical, id, first.canonical, first.origin
                            ),
                        });
                    }
                    std::collections::hash_map::Entry::Vacant(e) => {
                        e.insert(next);
                    }
                }
                self.keys.push(entity_key);
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
            let probe = if k == 0 {
                // Looked up above; a new term means a new entity, so `next` was `idx`.
                let Some(probe) = canonical_term else {
                    continue;
                };
                probe
            } else {
                let term = std::mem::take(&mut alias_keys[k - 1]);
                if name.is_empty() || term.is_empty() {
                    continue;
                }
                self.probe(term, idx as u32)
            };
            let owner = probe.term.entry as usize;
            match owner {
                _ if probe.new => self.entries[idx].names.push(name.to_string()),
                _ if owner == idx => {}
                _ => {
                    let o = &self.entries[owner];
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

    /// The term of the normalized name `key`, added with `entry` as its owner if it is new (one
    /// probe of the map).
    fn probe(&mut self, key: String, entry: u32) -> Probe {
        let id = self.term_index.len() as u32;
        let term = *self
            .term_index
            .entry(key.into_boxed_str())
            .or_insert(Term { id, entry });
        Probe {
            term,
            new: term.id == id,
        }
    }

    /// Loads one TSV file; its stem is the entity type.
    pub fn add_file(&mut self, path: &Path) -> Result<&mut Self> {
        let bytes = read_limited(path, MAX_DICTIONARY_FILE, "dictionary file")
            .map_err(|e| Error::io(path, e))?;
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
        // The entity lines, in batches, so that the maps get room for a batch's names at once.
        let mut batch: Vec<EntityLine<'_>> = Vec::new();
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
                if canonical.len() > MAX_NAME_BYTES {
                    self.warnings.push(Warning {
                        path: Some(path.into()),
                        line: Some(line),
                        message: format!(
                            "name longer than {MAX_NAME_BYTES} bytes ({} bytes); line skipped",
                            canonical.len()
                        ),
                    });
                    continue;
                }
                let mut aliases: Vec<&str> = fields.collect();
                if aliases.iter().any(|a| a.len() > MAX_NAME_BYTES) {
                    self.warnings.push(Warning {
                        path: Some(path.into()),
                        line: Some(line),
                        message: format!("alias longer than {MAX_NAME_BYTES} bytes ignored"),
                    });
                    aliases.retain(|a| a.len() <= MAX_NAME_BYTES);
                }
                batch.push(EntityLine {
                    line,
                    canonical,
                    aliases,
                });
                if batch.len() == 1 << 16 {
                    break;
                }
            }
            // Room for the batch's names up front (growing a map of a million keys step by step
            // rehashes it again and again).
            let names: usize = batch.iter().map(|e| 1 + e.aliases.len()).sum();
            self.term_index.reserve(names);
            self.entries.reserve(batch.len());
            self.keys.reserve(batch.len());
            for EntityLine {
                line,
                canonical,
                aliases,
            } in &batch
            {
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
                .map(|f| {
                    read_limited(f, MAX_DICTIONARY_FILE, "dictionary file")
                        .map_err(|e| Error::io(f, e))
                })
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
        for (name, term) in &self.term_index {
            patterns[term.id as usize] = name;
            term_entry[term.id as usize] = term.entry;
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
