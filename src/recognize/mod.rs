//! Recognition: consumes a normalized text and its sentences, produces [`Candidate`]s —
//! possibly overlapping spans with a type, and a canonical entity when the recognizer knows it.
//!
//! Every recognizer implements [`Recognizer`]; [`default_recognizers`] is the registry the pipeline
//! starts from. Adding a recognizer is one new file in this module plus one line there.

use std::sync::Arc;

use crate::model::{Sentence, Span};

pub mod dictionary;
pub mod pattern;

pub use dictionary::{Dictionary, DictionaryBuilder, DictionaryRecognizer};
pub use pattern::{PatternRecognizer, Rules};

/// How strongly a kind of recognizer is trusted when two candidates have the same span length.
/// Lower wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rank {
    /// A dictionary entry: the name is known.
    Dictionary = 0,
    /// A pattern rule: the name was discovered.
    Pattern = 1,
}

/// A possible mention, before overlaps are resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Byte span in the normalized text.
    pub span: Span,
    /// Entity type.
    pub kind: Arc<str>,
    /// The canonical name, when the recognizer knows it (dictionaries do; patterns do not).
    pub entity: Option<Arc<str>>,
    /// Kind of recognizer (used by the overlap rule).
    pub rank: Rank,
    /// Priority within the rank: higher wins (a rule's `priority`).
    pub priority: i32,
    /// `dictionary` or `pattern:<rule name>`.
    pub source: Arc<str>,
    /// Where it came from: `path:line` of a dictionary entry, or the rules file and rule.
    pub origin: Arc<str>,
    /// A guard takes part in the overlap rule but yields no mention when it wins (a rule with
    /// `emit = false`: "Paris Olympics" keeps "Paris" from being the place).
    pub guard: bool,
}

/// The text a recognizer works on.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// Normalized text.
    pub text: &'a str,
    /// Its sentences (spans into `text`).
    pub sentences: &'a [Sentence],
    /// A recognizer may stop after giving this many candidates from one source (the dictionary,
    /// one rule), in text order: the caller then keeps only what lies before the earliest point
    /// where a source stopped ([`cap_candidates`]). `usize::MAX`: no limit.
    pub limit: usize,
}

/// Applies [`Input::limit`]: a source that gave `limit` candidates may have stopped early, so the
/// candidates are complete only before the earliest start of the last candidate of such a source;
/// the candidates starting there or later are dropped. Returns that point when there is one (the
/// rest of the text was not recognized).
///
/// ```
/// use std::sync::Arc;
/// use entgraph::recognize::{Candidate, Rank, cap_candidates};
/// use entgraph::Span;
/// let c = |start: usize, source: &str| Candidate { span: Span::new(start, start + 1), kind: "t".into(),
///     entity: None, rank: Rank::Pattern, priority: 0, source: source.into(), origin: "".into(), guard: false };
/// let mut cands = vec![c(0, "a"), c(5, "a"), c(2, "b"), c(9, "b")];
/// assert_eq!(cap_candidates(&mut cands, 2), Some(5));
/// assert_eq!(cands.iter().map(|c| c.span.start).collect::<Vec<_>>(), [0, 2]);
/// ```
pub fn cap_candidates(candidates: &mut Vec<Candidate>, limit: usize) -> Option<usize> {
    let mut per_source: std::collections::HashMap<&str, (usize, usize)> =
        std::collections::HashMap::new();
    for c in candidates.iter() {
        let e = per_source.entry(&c.source).or_insert((0, 0));
        e.0 += 1;
        e.1 = e.1.max(c.span.start);
    }
    let cut = per_source
        .values()
        .filter(|(n, _)| *n >= limit)
        .map(|&(_, last)| last)
        .min()?;
    candidates.retain(|c| c.span.start < cut);
    Some(cut)
}

/// A component that finds candidate mentions.
pub trait Recognizer: Send + Sync {
    /// Short name (`dictionary`, `pattern`).
    fn name(&self) -> &str;
    /// Appends the candidates found in `input` to `out`.
    fn recognize(&self, input: Input<'_>, out: &mut Vec<Candidate>);
}

/// The default registry: a dictionary recognizer and, when rules are given, a pattern recognizer.
pub fn default_recognizers(
    dictionary: Arc<Dictionary>,
    rules: Option<Arc<Rules>>,
) -> Vec<Box<dyn Recognizer>> {
    let mut v: Vec<Box<dyn Recognizer>> = vec![Box::new(DictionaryRecognizer::new(dictionary))];
    if let Some(rules) = rules {
        v.push(Box::new(PatternRecognizer::new(rules)));
    }
    v
}

/// True for characters that make up words: Unicode letters and digits, and `_`.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// True when `[start, end)` of `text` sits on word boundaries, checked only on the sides where the
/// span itself begins or ends with a word character (so ".NET", "C++" and "L.A." still match).
pub fn on_word_boundaries(text: &str, start: usize, end: usize) -> bool {
    let inner = &text[start..end];
    if inner.chars().next().is_some_and(is_word_char)
        && text[..start].chars().next_back().is_some_and(is_word_char)
    {
        return false;
    }
    if inner.chars().next_back().is_some_and(is_word_char)
        && text[end..].chars().next().is_some_and(is_word_char)
    {
        return false;
    }
    true
}
