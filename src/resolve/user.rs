//! The user's corrections, read from plain files next to the dictionaries ([`UserLists`]): a
//! blocklist of names that are never mentions, and merges of names or ids into one entity.

use std::path::Path;
use std::sync::Arc;

use rustc_hash::FxHashMap;

use crate::error::{Error, Result};
use crate::model::entity_id;
use crate::normalize::normalize;
use crate::recognize::{Candidate, Dictionary};

/// The blocklist's file name in a dictionary directory.
pub const BLOCKLIST_FILE: &str = "blocklist.txt";
/// The merges' file name in a dictionary directory.
pub const MERGES_FILE: &str = "merges.txt";

/// A blocked name: for one type, or all.
#[derive(Debug, Clone)]
struct Blocked {
    /// The type it is blocked for (`None`: every type).
    kind: Option<Box<str>>,
    /// `file:line`.
    origin: Arc<str>,
}

/// Where a merged name goes.
#[derive(Debug, Clone)]
pub(super) struct MergeTarget {
    /// The canonical name or id written first on the line.
    pub target: Arc<str>,
    /// `file:line`.
    pub origin: Arc<str>,
}

/// The blocklist and the merges (see the README's "Blocklist and merges").
///
/// - `blocklist.txt`: one name per line, optionally followed by a tab and a type; a candidate
///   whose text or canonical name is that name (for that type, or any) is dropped before the
///   overlap rule, so the names inside it can win.
/// - `merges.txt`: one entity per line, tab-separated: the name or id that stays, then the names
///   or ids merged into it; a mention whose canonical name or id is one of them takes the first
///   (the dictionary's entity when the first is a dictionary name or id, else that name with the
///   mention's type).
///
/// `#` starts a comment line; blank lines are skipped.
#[derive(Debug, Clone, Default)]
pub struct UserLists {
    blocked: FxHashMap<Box<str>, Vec<Blocked>>,
    merges: FxHashMap<Box<str>, MergeTarget>,
}

impl UserLists {
    /// No corrections.
    pub fn new() -> Self {
        Self::default()
    }

    /// True when there is nothing to apply.
    pub fn is_empty(&self) -> bool {
        self.blocked.is_empty() && self.merges.is_empty()
    }

    /// True when no name is blocked.
    pub(super) fn blocks_nothing(&self) -> bool {
        self.blocked.is_empty()
    }

    /// Reads `blocklist.txt` and `merges.txt` from directory `dir`, those that exist.
    pub fn add_dir(&mut self, dir: &Path) -> Result<()> {
        let blocklist = dir.join(BLOCKLIST_FILE);
        if blocklist.is_file() {
            let text = read(&blocklist)?;
            self.add_blocklist(&text, &blocklist)?;
        }
        let merges = dir.join(MERGES_FILE);
        if merges.is_file() {
            let text = read(&merges)?;
            self.add_merges(&text, &merges)?;
        }
        Ok(())
    }

    /// Adds the lines of a blocklist; `path` names it in errors and explanations.
    pub fn add_blocklist(&mut self, text: &str, path: &Path) -> Result<()> {
        for (line, fields) in lines(text) {
            let [name, rest @ ..] = fields.as_slice() else {
                continue;
            };
            let kind = match rest {
                [] => None,
                [kind] => Some((*kind).into()),
                _ => return Err(bad(path, line, "expected a name and at most one type")),
            };
            self.blocked
                .entry(normalize(name).text.into())
                .or_default()
                .push(Blocked {
                    kind,
                    origin: format!("{}:{line}", path.display()).into(),
                });
        }
        Ok(())
    }

    /// Adds the lines of a merges file; `path` names it in errors and explanations.
    pub fn add_merges(&mut self, text: &str, path: &Path) -> Result<()> {
        for (line, fields) in lines(text) {
            let [target, merged @ ..] = fields.as_slice() else {
                continue;
            };
            if merged.is_empty() {
                return Err(bad(
                    path,
                    line,
                    "expected a name or id, then the names or ids merged into it",
                ));
            }
            let target: Arc<str> = normalize(target).text.into();
            let origin: Arc<str> = format!("{}:{line}", path.display()).into();
            for name in merged {
                let name = normalize(name).text;
                if let Some(prev) = self.merges.get(name.as_str())
                    && prev.target != target
                {
                    return Err(bad(
                        path,
                        line,
                        &format!(
                            "'{name}' is already merged into '{}' ({})",
                            prev.target, prev.origin
                        ),
                    ));
                }
                self.merges.insert(
                    name.into(),
                    MergeTarget {
                        target: target.clone(),
                        origin: origin.clone(),
                    },
                );
            }
        }
        Ok(())
    }

    /// The blocklist line that blocks `candidate` (its text in `text`), if any.
    pub(super) fn blocks(&self, candidate: &Candidate, text: &str) -> Option<&str> {
        let surface = &text[candidate.span.start..candidate.span.end];
        [Some(surface), candidate.entity.as_deref()]
            .into_iter()
            .flatten()
            .filter_map(|name| self.blocked.get(name))
            .flatten()
            .find(|b| b.kind.as_deref().is_none_or(|k| k == &*candidate.kind))
            .map(|b| &*b.origin)
    }

    /// Where a mention of `entity` (canonical name) with `id` is merged, if anywhere.
    pub(super) fn merge(&self, entity: &str, id: &str) -> Option<&MergeTarget> {
        if self.merges.is_empty() {
            return None;
        }
        self.merges.get(id).or_else(|| self.merges.get(entity))
    }
}

/// The entity a merge target names: (canonical name, id, type).
pub(super) struct Merged {
    pub canonical: Arc<str>,
    pub id: Arc<str>,
    pub kind: Arc<str>,
}

impl MergeTarget {
    /// The entity this target names for a mention of type `kind`: the dictionary entry whose id
    /// or name it is, else the target as a name of that type.
    pub(super) fn entity(&self, kind: &Arc<str>, dictionary: &Dictionary) -> Merged {
        let looks_like_id = self.target.contains(':') && !self.target.contains(' ');
        let entry = dictionary.lookup(&self.target).or_else(|| {
            looks_like_id
                .then(|| dictionary.entries().iter().find(|e| *e.id == *self.target))
                .flatten()
        });
        match entry {
            Some(e) => Merged {
                canonical: e.canonical.clone(),
                id: e.id.clone(),
                kind: e.kind.clone(),
            },
            None => Merged {
                canonical: self.target.clone(),
                id: entity_id(kind, &self.target).into(),
                kind: kind.clone(),
            },
        }
    }
}

fn read(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        bad(path, line, "not valid UTF-8")
    })
}

/// The non-comment, non-blank lines of `text`: 1-based number and trimmed, non-empty fields.
fn lines(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(|(i, l)| {
            let fields = l
                .split('\t')
                .map(str::trim)
                .filter(|f| !f.is_empty())
                .collect();
            (i + 1, fields)
        })
}

fn bad(path: &Path, line: usize, message: &str) -> Error {
    Error::Dictionary {
        path: path.into(),
        line,
        message: message.into(),
    }
}
