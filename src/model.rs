//! Plain data shared by every stage: documents, spans, sentences, entity ids and mentions.
//!
//! Offsets are byte offsets into the document text as read (`Document::text`) everywhere inside
//! the library; exporters turn them into character offsets with [`CharIndex`].

use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// One input document: its name as given by the user (`-` for standard input) and its text as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    /// The path as given (or the path found while walking a directory), `-` for stdin.
    pub name: String,
    /// The full text as read (after lossy UTF-8 decoding, nothing else changed).
    pub text: String,
}

impl Document {
    /// Creates a document from a name and its text.
    ///
    /// ```
    /// let d = entgraph::Document::new("a.txt", "Tom Cruise jumped.");
    /// assert_eq!(d.name, "a.txt");
    /// ```
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Document {
            name: name.into(),
            text: text.into(),
        }
    }
}

/// A half-open byte range `[start, end)` into a document's text.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// Creates a span.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    /// True when the span is empty.
    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }
    /// True when the two spans share at least one byte.
    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// A sentence: its byte span in the original text and the paragraph it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sentence {
    /// Byte span in the original text, trimmed of surrounding whitespace.
    pub span: Span,
    /// 0-based index of the paragraph that holds it.
    pub paragraph: usize,
}

/// Turns a canonical name into the slug part of an id: lowercase letters and digits (any script),
/// runs of anything else become one `-`.
///
/// ```
/// assert_eq!(entgraph::model::slug("Tom Cruise"), "tom-cruise");
/// assert_eq!(entgraph::model::slug("Mission: Impossible – Fallout"), "mission-impossible-fallout");
/// assert_eq!(entgraph::model::slug("Zürich"), "zürich");
/// ```
pub fn slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    push_slug(&mut out, name);
    out
}

/// Appends the slug of `name` to `out` (what [`slug`] returns).
fn push_slug(out: &mut String, name: &str) {
    let start = out.len();
    let mut dash = false;
    if name.is_ascii() {
        // The same on bytes: most names are ASCII.
        out.reserve(name.len());
        for &b in name.as_bytes() {
            if b.is_ascii_alphanumeric() {
                if dash && out.len() > start {
                    out.push('-');
                }
                dash = false;
                out.push(char::from(b.to_ascii_lowercase()));
            } else {
                dash = true;
            }
        }
    } else {
        push_slug_chars(out, name, start);
    }
    if out.len() == start {
        // A name made only of punctuation still needs a stable, non-empty id.
        for (i, c) in name.chars().enumerate() {
            if i > 0 {
                out.push('-');
            }
            out.push_str(&format!("u{:x}", c as u32));
        }
    }
}

/// [`push_slug`] of a name that is not all ASCII, char by char.
fn push_slug_chars(out: &mut String, name: &str, start: usize) {
    let mut dash = false;
    for c in name.chars() {
        // ASCII first: `char::to_lowercase` is much slower, and names are mostly ASCII.
        let alnum = if c.is_ascii() {
            c.is_ascii_alphanumeric()
        } else {
            c.is_alphanumeric()
        };
        if alnum {
            if dash && out.len() > start {
                out.push('-');
            }
            dash = false;
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
            } else {
                out.extend(c.to_lowercase());
            }
        } else {
            dash = true;
        }
    }
}

/// A stable entity id, `type:slug`.
///
/// ```
/// assert_eq!(entgraph::model::entity_id("person", "Tom Cruise"), "person:tom-cruise");
/// ```
pub fn entity_id(kind: &str, canonical: &str) -> String {
    let mut id = String::with_capacity(kind.len() + 1 + canonical.len());
    push_entity_id(&mut id, kind, canonical);
    id
}

/// Appends the id of an entity (what [`entity_id`] returns) to `out`.
pub fn push_entity_id(out: &mut String, kind: &str, canonical: &str) {
    out.push_str(kind);
    out.push(':');
    push_slug(out, canonical);
}

/// A resolved mention of an entity in a document.
///
/// The string fields are shared (`Arc<str>`): every mention of one entity points at the same
/// canonical name, id, type and source, so a large corpus does not allocate them per mention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// Byte span into the document text as read.
    pub span: Span,
    /// The canonical name of the entity.
    pub entity: Arc<str>,
    /// The entity id, `type:slug`.
    pub id: Arc<str>,
    /// The entity type (`person`, `film`, ... or any user type).
    pub kind: Arc<str>,
    /// How it was found: `dictionary`, `pattern:<rule>`, `coref`.
    pub source: Arc<str>,
    /// Where it came from (`file:line` of a dictionary entry, rule name, or the mention it refers back to).
    pub origin: Arc<str>,
    /// The candidates this mention won over (for `--explain`), as short descriptions.
    pub beat: Vec<String>,
}

/// Maps byte offsets of one text to character (Unicode scalar) offsets.
///
/// ```
/// let ix = entgraph::model::CharIndex::new("é a");
/// assert_eq!(ix.char_offset(2), 1);
/// assert_eq!(ix.char_offset(4), 3);
/// ```
#[derive(Debug, Clone)]
pub struct CharIndex<'a> {
    ascii: bool,
    /// (byte offset, char offset) of every 64th char.
    checkpoints: Vec<(usize, usize)>,
    text: &'a str,
}

impl<'a> CharIndex<'a> {
    /// Builds the index for `text`.
    pub fn new(text: &'a str) -> Self {
        let ascii = text.is_ascii();
        let mut checkpoints = Vec::new();
        if !ascii {
            for (ci, (bi, _)) in text.char_indices().enumerate() {
                if ci % 64 == 0 {
                    checkpoints.push((bi, ci));
                }
            }
        }
        CharIndex {
            ascii,
            checkpoints,
            text,
        }
    }

    /// The character offset of byte offset `byte` (which must be a char boundary or the end).
    pub fn char_offset(&self, byte: usize) -> usize {
        if self.ascii {
            return byte;
        }
        let byte = byte.min(self.text.len());
        let i = self.checkpoints.partition_point(|&(b, _)| b <= byte);
        let (b0, c0) = if i == 0 {
            (0, 0)
        } else {
            self.checkpoints[i - 1]
        };
        c0 + self.text[b0..byte].chars().count()
    }
}

/// Maps keyed by names and ids hash with rustc's Fx hash: fast, and dictionaries are local data,
/// so no protection against collision attacks is needed. Nothing the crate outputs depends on a
/// map's iteration order.
pub use rustc_hash::{FxHashMap, FxHasher};

#[cfg(test)]
mod tests {
    #[test]
    fn model_ascii_slug_is_the_char_by_char_slug() {
        for name in [
            "Tom Cruise",
            "Mission: Impossible - Fallout",
            "  A.B.  C__d--E ",
            "R2-D2 (1977)",
            "x",
            "",
            "...",
            "O'Brien",
        ] {
            let mut by_chars = String::from("person:");
            let start = by_chars.len();
            super::push_slug_chars(&mut by_chars, name, start);
            let by_bytes = super::entity_id("person", name);
            if by_chars.len() > "person:".len() {
                assert_eq!(by_bytes, by_chars, "{name:?}");
            } else {
                assert!(by_bytes.starts_with("person:"), "{name:?}");
            }
        }
        assert_eq!(super::slug("..."), "u2e-u2e-u2e");
        assert_eq!(super::slug("Zürich  Ost"), "zürich-ost");
    }
}
