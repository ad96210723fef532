//! Recognition: consumes a normalized text and its sentences, produces [`Candidate`]s —
//! possibly overlapping spans with a type, and a canonical entity when the recognizer knows it.
//!
//! Every recognizer implements [`Recognizer`]; [`default_recognizers`] is the registry the pipeline
//! starts from. Adding a recognizer is one new file in this module plus one line there.

use std::sync::Arc;

use crate::model::{Sentence, Span};

pub mod cache;
pub mod cued_film;
pub mod data;
pub mod dictionary;
pub mod pattern;

pub use data::{DataDir, DataFile};
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
    /// The entity id (`type:slug`) when the recognizer knows it; else it is made from type and name.
    pub id: Option<Arc<str>>,
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
    /// May strictly contain a dictionary name and still win over it (dictionary entries, guards
    /// and rules with `extends = true`); otherwise the dictionary name inside it stands.
    pub extends: bool,
}

/// The text a recognizer works on.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// Normalized text.
    pub text: &'a str,
    /// Its sentences (spans into `text`); may be empty when no stage after recognition needs them.
    pub sentences: &'a [Sentence],
    /// True when `text` is a chunk of a longer document that starts in the middle of a line (right
    /// after a sentence end and its space): line-anchored rules (`^`) must not fire at its start.
    pub continues_line: bool,
}

impl<'a> Input<'a> {
    /// A whole text (not a chunk) with its sentences.
    pub fn new(text: &'a str, sentences: &'a [Sentence]) -> Self {
        Input {
            text,
            sentences,
            continues_line: false,
        }
    }
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
        let cued = rules.list("cued_film").and_then(|films| {
            cued_film::CuedFilmRecognizer::new(
                films.iter().map(String::as_str),
                "[lists] cued_film",
            )
        });
        v.extend(cued.map(|r| Box::new(r) as Box<dyn Recognizer>));
        v.push(Box::new(PatternRecognizer::new(rules)));
    }
    v
}
