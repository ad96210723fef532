//! Resolution: consumes the candidates of every recognizer for a document, produces its
//! [`Mention`]s — non-overlapping, each naming one entity, in text order.
//!
//! # The stage
//! A [`Resolver`] is built once, from the dictionary and [`ResolveOptions`], and works on a
//! document in two steps; the pipeline calls them as they are:
//! - [`Resolver::prepare`], on each chunk of a document, on any thread (it needs no state of the
//!   document): consumes the chunk's candidates, whose spans point into the chunk's normalized
//!   text; keeps the winners of the overlap rule and names them; produces a [`Prepared`] chunk:
//!   its mentions ([`Resolved`]: the span in that text and the [`Mention`]) and the words where
//!   a partial name could be.
//! - [`Resolver::apply`], on the prepared chunks of a document one after the other, in text
//!   order: resolves partial person names against the full names seen so far in the document,
//!   kept in a [`PartialNames`] (the per-document state), and returns the mentions that adds.
//!
//! [`Resolver::resolve`] runs both steps on a whole document and maps the spans back to the
//! document as read.
//!
//! Guarantees: a chunk's mentions have non-empty spans, do not overlap and come in text order,
//! the ones [`Resolver::apply`] adds included; the same candidates always give the same mentions;
//! a document given whole gets the document-wide partial-name rule (see [`PartialNames`] for a
//! document given in chunks).
//!
//! # The overlap rule (one rule, applied once)
//! Candidates are ordered by: longer span first; then dictionary before pattern; then higher rule
//! priority; then earlier start; then type and name (for determinism). They are kept greedily,
//! dropping any that overlaps one already kept. So "Stade de France" (place) swallows the
//! "France" inside it, and "Paris Olympics", found by a guard rule (`emit = false`, which wins
//! like any candidate but yields no mention), keeps "Paris" from being the place. A name right
//! after `@` is a social-media handle, not a mention; after `#` (a hashtag, "#MI7") it counts.
//!
//! # Names
//! A pattern mention whose text is a dictionary name or alias takes that entity (id and type);
//! otherwise its canonical name is its own text (an all-capitals dateline's "SAINT-DENIS" in title
//! case, "Saint-Denis"). Then, within the document, partial names of people are resolved as GATE's
//! orthomatcher does: after "Christopher McQuarrie", a bare "McQuarrie" (or "Christopher") is him —
//! unless that word fits two people of the document, in which case it is left unresolved rather
//! than guessed.

use std::sync::Arc;

use crate::model::{Mention, Span};
use crate::normalize::Normalized;
use crate::recognize::{Candidate, Dictionary, Rank};

mod clubs;
mod coordination;
mod echo;
mod longer;
mod naming;
mod overlap;
mod partial;
#[cfg(test)]
mod tests;
mod titles;
mod user;
mod words;

pub use clubs::SportsClubs;
use partial::CandidateWords;
pub use partial::PartialNames;
pub use user::{BLOCKLIST_FILE, MERGES_FILE, UserLists};
pub use words::NameWords;

/// Options for resolution.
#[derive(Debug, Clone, Copy)]
pub struct ResolveOptions {
    /// Resolve partial person names within a document (on by default).
    pub partial_names: bool,
    /// Describe, in [`Mention::beat`], the candidates each mention won over (on by default; off
    /// saves the time when nobody reads them).
    pub explain: bool,
}

impl Default for ResolveOptions {
    fn default() -> Self {
        ResolveOptions {
            partial_names: true,
            explain: true,
        }
    }
}

/// A mention with its span in the text it was resolved in (the normalized text the candidates
/// refer to).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// The span in the text resolved.
    pub span: Span,
    /// The mention. Its `span` starts out equal to `span`; a caller may map it to the document as
    /// read ([`Resolver::apply`] only reads `span`).
    pub mention: Mention,
}

/// A chunk after [`Resolver::prepare`]: its mentions, and what [`Resolver::apply`] needs to find
/// its partial names.
#[derive(Debug, Clone, Default)]
pub struct Prepared {
    /// The chunk's mentions, in text order.
    pub mentions: Vec<Resolved>,
    /// Where partial names can be (nothing when partial names are off).
    words: CandidateWords,
}

/// True when `span` overlaps one of `mentions` (in text order, not overlapping each other).
fn overlaps_any(mentions: &[Resolved], span: Span) -> bool {
    let i = mentions.partition_point(|r| r.span.end <= span.start);
    mentions.get(i).is_some_and(|r| r.span.start < span.end)
}

/// A candidate a step of resolution found in the text, where no recognizer did: ranked as a rule's,
/// of no known entity, from `source` for the reason `origin`.
fn found_candidate(
    span: Span,
    kind: Arc<str>,
    source: &str,
    origin: String,
    extends: bool,
) -> Candidate {
    Candidate {
        span,
        kind,
        entity: None,
        id: None,
        rank: Rank::Pattern,
        priority: 0,
        source: source.into(),
        origin: origin.into(),
        guard: false,
        extends,
    }
}

/// True when `span` is joined by a hyphen to a capitalized word, as "Cleveland" in the company
/// "Cleveland-Cliffs": a part of a longer name, not a mention ("Paris-based" still is one, and
/// so are both names of "Australia-Japan", each a mention).
fn glued(text: &str, span: Span) -> bool {
    let after = text[span.end..].strip_prefix('-');
    let before = text[..span.start].strip_suffix('-');
    after.is_some_and(|a| a.chars().next().is_some_and(char::is_uppercase))
        || before.is_some_and(|b| b.chars().next_back().is_some_and(char::is_alphabetic))
            && before.is_some_and(|b| {
                let word = b
                    .rsplit(|c: char| !c.is_alphanumeric())
                    .next()
                    .unwrap_or("");
                word.chars().next().is_some_and(char::is_uppercase)
            })
}

/// A candidate the blocklist dropped, for `--explain`.
struct BlockedCandidate {
    span: Span,
    description: String,
}

/// Resolves candidates into mentions (see the module docs): the overlap rule, names, partial
/// names.
///
/// A document read in chunks goes through [`Resolver::prepare`] chunk by chunk (on any thread),
/// then through [`Resolver::apply`] in text order, with one [`PartialNames`] for the document:
///
/// ```
/// use std::sync::Arc;
/// use entgraph::recognize::{Candidate, DictionaryBuilder, DictionaryRecognizer, Input, Recognizer};
/// use entgraph::resolve::{PartialNames, ResolveOptions, Resolver};
/// let mut b = DictionaryBuilder::new();
/// b.add_entity("person", "Christopher McQuarrie", &[], "people.tsv:1");
/// let dictionary = Arc::new(b.build().unwrap());
/// let recognizer = DictionaryRecognizer::new(dictionary.clone());
/// let resolver = Resolver::new(dictionary, ResolveOptions::default());
///
/// let mut names = PartialNames::new();
/// let mut found = Vec::new();
/// for chunk in ["Christopher McQuarrie directs. ", "McQuarrie writes."] {
///     let mut candidates = Vec::new();
///     recognizer.recognize(Input::new(chunk, &[]), &mut candidates);
///     let mut prepared = resolver.prepare(candidates, chunk);
///     let added = resolver.apply(chunk, &mut prepared, &mut names);
///     found.extend(prepared.mentions.into_iter().chain(added).map(|r| r.mention.id));
/// }
/// assert_eq!(found.len(), 2);
/// assert!(found.iter().all(|id| &**id == "person:christopher-mcquarrie"));
/// ```
#[derive(Debug, Clone)]
pub struct Resolver {
    dictionary: Arc<Dictionary>,
    options: ResolveOptions,
    names: Arc<NameWords>,
    user: Arc<UserLists>,
    clubs: Arc<SportsClubs>,
}

impl Resolver {
    /// A resolver naming pattern mentions from `dictionary`.
    pub fn new(dictionary: Arc<Dictionary>, options: ResolveOptions) -> Self {
        Resolver {
            dictionary,
            options,
            names: Arc::default(),
            user: Arc::default(),
            clubs: Arc::default(),
        }
    }

    /// The same, applying the user's blocklist and merges.
    pub fn with_user(mut self, user: Arc<UserLists>) -> Self {
        self.user = user;
        self
    }

    /// The same, reading a town's name as its club in a text about a sport (see [`SportsClubs`]).
    pub fn with_clubs(mut self, clubs: Arc<SportsClubs>) -> Self {
        self.clubs = clubs;
        self
    }

    /// The same, telling partial names from common words with `names`.
    pub fn with_names(mut self, names: Arc<NameWords>) -> Self {
        self.names = names;
        self
    }

    /// Resolves one chunk as far as it can alone: the overlap rule, then names; and finds the
    /// words where a partial name could be. `text` is the (normalized) text the candidates' spans
    /// point into.
    pub fn prepare(&self, mut candidates: Vec<Candidate>, text: &str) -> Prepared {
        let blocked = self.block(&mut candidates, text);
        let winners = overlap::select(candidates, text, self.options.explain);
        let mut mentions = naming::name(winners, text, &self.dictionary);
        if mentions.iter().any(|r| glued(text, r.span)) {
            // Kept when the word it is joined to is a mention too ("Australia-Japan talks").
            let spans: Vec<Span> = mentions.iter().map(|r| r.span).collect();
            mentions.retain(|r| {
                !glued(text, r.span)
                    || spans
                        .iter()
                        .any(|s| s.start == r.span.end + 1 || s.end + 1 == r.span.start)
            });
        }
        self.clubs.apply(text, &mut mentions, &self.dictionary);
        // Names echoed by their last word, then names listed with a name; both need the rules'
        // word lists (none with `--no-rules`).
        if !self.names.is_empty() {
            let found = longer::candidates(text, &mut mentions, &self.names);
            self.add(found, text, &mut mentions);
            for step in [
                echo::candidates,
                titles::candidates,
                coordination::candidates,
                titles::plain_candidates,
            ] {
                let found = step(text, &mentions, &self.names);
                self.add(found, text, &mut mentions);
            }
            longer::drop_parts(text, &mut mentions, &self.names);
        }
        if !self.user.is_empty() {
            self.correct(&mut mentions, blocked);
        }
        let words = if self.options.partial_names {
            CandidateWords::find(text, &mentions)
        } else {
            CandidateWords::default()
        };
        Prepared { mentions, words }
    }

    /// Adds `found`, candidates that overlap no mention, to `mentions` (in text order), less
    /// those the blocklist names.
    fn add(&self, mut found: Vec<Candidate>, text: &str, mentions: &mut Vec<Resolved>) {
        if found.is_empty() {
            return;
        }
        self.block(&mut found, text);
        let winners = found.into_iter().map(|candidate| overlap::Winner {
            candidate,
            beat: Vec::new(),
        });
        mentions.extend(naming::name(winners.collect(), text, &self.dictionary));
        mentions.sort_by_key(|r| r.span.start);
    }

    /// Drops the candidates the blocklist names; returns their spans and descriptions (those
    /// only when explaining).
    fn block(&self, candidates: &mut Vec<Candidate>, text: &str) -> Vec<BlockedCandidate> {
        let mut blocked = Vec::new();
        if self.user.blocks_nothing() {
            return blocked;
        }
        candidates.retain(|c| match self.user.blocks(c, text) {
            None => true,
            Some(origin) => {
                if self.options.explain {
                    blocked.push(BlockedCandidate {
                        span: c.span,
                        description: format!(
                            "{} '{}' (blocked by {origin})",
                            c.kind,
                            &text[c.span.start..c.span.end]
                        ),
                    });
                }
                false
            }
        });
        blocked
    }

    /// Applies the merges to `mentions`, and tells the mentions overlapping a blocked candidate.
    fn correct(&self, mentions: &mut [Resolved], blocked: Vec<BlockedCandidate>) {
        for r in mentions.iter_mut() {
            let m = &mut r.mention;
            if let Some(target) = self.user.merge(&m.entity, &m.id) {
                let merged = target.entity(&m.kind, &self.dictionary);
                m.origin = format!(
                    "{}; merged into {} by {}",
                    m.origin, merged.canonical, target.origin
                )
                .into();
                m.entity = merged.canonical;
                m.id = merged.id;
                m.kind = merged.kind;
            }
        }
        for b in blocked {
            if let Some(r) = mentions.iter_mut().find(|r| r.span.overlaps(&b.span)) {
                r.mention.beat.push(b.description);
            }
        }
    }

    /// Resolves the partial person names of a prepared chunk (`text`, the same text as given to
    /// [`Resolver::prepare`]) against the full names of `names`, its document so far, which learns
    /// the chunk's full names first: points one-word person mentions at the full name they are
    /// part of, and returns the `coref` mentions of the other occurrences, in text order (spans
    /// into `text`, overlapping none of the chunk's mentions). Nothing when partial names are off.
    pub fn apply(
        &self,
        text: &str,
        chunk: &mut Prepared,
        names: &mut PartialNames,
    ) -> Vec<Resolved> {
        if !self.options.partial_names {
            return Vec::new();
        }
        names.apply(text, &chunk.words, &mut chunk.mentions, &self.names)
    }

    /// Resolves a whole document: [`Resolver::prepare`] and [`Resolver::apply`] on it as one
    /// chunk. `norm` is the normalized text the candidates point into, `original` the document
    /// as read; the mentions come in text order, with spans into `original`.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use entgraph::normalize::normalize;
    /// use entgraph::recognize::{DictionaryBuilder, DictionaryRecognizer, Input, Recognizer};
    /// use entgraph::resolve::{ResolveOptions, Resolver};
    /// let mut b = DictionaryBuilder::new();
    /// b.add_entity("place", "Stade de France", &[], "places.tsv:1");
    /// b.add_entity("place", "France", &[], "places.tsv:2");
    /// let dictionary = Arc::new(b.build().unwrap());
    /// let original = "Atop the Stade de France\u{00A0}roof.";
    /// let norm = normalize(original);
    /// let mut candidates = Vec::new();
    /// DictionaryRecognizer::new(dictionary.clone()).recognize(Input::new(&norm.text, &[]), &mut candidates);
    /// let mentions = Resolver::new(dictionary, ResolveOptions::default()).resolve(candidates, &norm, original);
    /// assert_eq!(mentions.len(), 1);
    /// assert_eq!(&original[mentions[0].span.start..mentions[0].span.end], "Stade de France");
    /// ```
    pub fn resolve(
        &self,
        candidates: Vec<Candidate>,
        norm: &Normalized,
        original: &str,
    ) -> Vec<Mention> {
        let text = norm.text.as_str();
        let mut chunk = self.prepare(candidates, text);
        let added = self.apply(text, &mut chunk, &mut PartialNames::new());
        let mut mentions = chunk.mentions;
        if !added.is_empty() {
            mentions.extend(added);
            mentions.sort_by_key(|r| r.span.start);
        }
        mentions
            .into_iter()
            .map(|Resolved { span, mut mention }| {
                let (start, end) = norm.span_to_original(span.start, span.end, original);
                mention.span = Span::new(start, end);
                mention
            })
            .collect()
    }
}
