//! Partial person names within a document, as GATE's orthomatcher resolves them: after
//! "Christopher McQuarrie", a bare "McQuarrie" (or "Christopher") is him, unless the word belongs
//! to two people of the document. [`PartialNames`] states the rule, and what reading a document
//! in chunks changes; the occurrences of the partial names are those a leftmost-longest
//! Aho-Corasick scan for all of them finds, as the test's reference does.
//!
//! # The scan without an automaton
//! The words change as the document goes on, so the scan is done with hash lookups instead,
//! among the uppercase chars that [`CandidateWords`] lists for a chunk (found when the chunk is
//! prepared, on any thread; the merge only looks words up):
//! - An owner word made of word chars only ("McQuarrie") is an occurrence only when it is a whole
//!   word; where it starts inside a word, or stops short of its end, it fails the word check, and
//!   what it skips lies inside that word. So as long as every owner word is of word chars only,
//!   the whole words that start with an uppercase char are looked up ([`Scan::WholeWords`]).
//! - An owner word with another char ("O'Brien", "Jean-Luc") runs past the end of the word where
//!   it starts, so what it skips matters. Once there is one, every uppercase char the scan does
//!   not skip is looked at ([`Scan::EveryCapital`]): the longest such word there, found by its
//!   head (the word chars it starts with, which must be the whole word there: "Jean" for
//!   "Jean-Luc"), else the whole word as above. Where a punctuated word starts inside a word, the
//!   skip of a word-chars-only owner word that starts earlier in that word and runs past it is
//!   replayed ([`PartialNames::replay_word`]).
//!
//! The test compares both scans with the automaton on generated texts.

use std::sync::Arc;

use super::Resolved;
use super::overlap::is_handle;
use super::words::{NameWords, OwnerWord, capitalized_anyway};
use crate::model::{FxHashMap, Mention, Span};
use crate::text::{find_special, is_word_char, on_word_boundaries};

/// Words that are never taken as a partial name on their own.
const NOT_PARTIAL: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "Sir", "Dame", "Jr", "Sr", "The", "De", "Van", "Von", "Le", "La",
    "Da", "Di", "Del",
];

/// True for a word of Roman numerals ("IV" of "Henry IV"): no one's partial name.
fn regnal_number(word: &str) -> bool {
    word.chars()
        .all(|c| matches!(c, 'I' | 'V' | 'X' | 'L' | 'C' | 'D' | 'M'))
}

/// An index into [`PartialNames::owners`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct OwnerId(u32);

/// A word that is the first or last word of the full name of a person of the document.
#[derive(Debug, Clone)]
struct Owner {
    word: Box<str>,
    /// The person's id.
    id: Arc<str>,
    /// False once a second person with this word was seen.
    unique: bool,
    /// A common word ("Bass", "Cruise"): not a partial name where it opens a sentence or stands
    /// in a headline.
    common: bool,
}

/// The canonical name and type of a person seen with a full name (the last seen for an id).
#[derive(Debug, Clone)]
struct FullName {
    entity: Arc<str>,
    kind: Arc<str>,
}

/// The partial-name state of one document: the full person names seen so far and the words they
/// own. Start one per document and hand it to [`Resolver::apply`](super::Resolver::apply) with
/// the document's chunks, in order.
///
/// The owners of a word are the people whose full name (two words or more) begins or ends with
/// it (a trailing '.' dropped; at least two chars, starting with an uppercase char, not a title or
/// particle such as "Mr" or "Van", not a word of [`NameWords`]' never-names). A person found by a
/// rule owns words only when its name is credible ([`NameWords`]: no later word is a common
/// word that is not a surname — "Howard Government", "Robert E. Midnight" own nothing). A common
/// word ("Bass") is a partial name only where it is not capitalized anyway: not where it opens a
/// sentence or a quotation, nor in a headline-case line. A word with one owner is a partial name of that person: a
/// one-word person mention that is the word is pointed at the full name, and the other
/// occurrences of the word become `coref` mentions: those a leftmost-longest scan for all such
/// words finds, kept when on word boundaries, not right after '@' and not overlapping a mention.
///
/// The owners are those of the chunks seen so far: a partial name that comes before any full
/// name owning it, in an earlier chunk, stays unresolved, and a word that a later chunk makes
/// ambiguous stays resolved where it was resolved. On a document given whole, this is the
/// document-wide rule.
#[derive(Debug, Clone, Default)]
pub struct PartialNames {
    owners: Vec<Owner>,
    /// Owner word -> its owner.
    by_word: FxHashMap<Box<str>, OwnerId>,
    /// The owners whose word holds a char that is not a word char, filed under the word's head
    /// (the word chars it starts with: "O" for "O'Brien"), longest word first.
    by_head: FxHashMap<Box<str>, Vec<OwnerId>>,
    /// Person id -> full name.
    full: FxHashMap<Arc<str>, FullName>,
}

/// How [`PartialNames`] looks for the occurrences of its words (see the [module docs](self)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Scan {
    /// The whole words that start with an uppercase char: exact while every owner word is made
    /// of word chars only.
    WholeWords,
    /// Every uppercase char the scan does not skip: exact always.
    EveryCapital,
}

impl PartialNames {
    /// The state at the start of a document.
    pub fn new() -> Self {
        Self::default()
    }

    /// Learns the full person names among `mentions` (the mentions of the next chunk, spans into
    /// its text `text`, in text order, without overlaps), then resolves the partial names of the
    /// chunk: points one-word person mentions at the full name, and returns the `coref` mentions
    /// of the other occurrences, in text order.
    pub(super) fn apply(
        &mut self,
        text: &str,
        words: &CandidateWords,
        mentions: &mut [Resolved],
        names: &NameWords,
    ) -> Vec<Resolved> {
        self.apply_with(text, words, mentions, names, None)
    }

    /// [`PartialNames::apply`], scanning as `scan` says (default: the fastest exact scan).
    pub(super) fn apply_with(
        &mut self,
        text: &str,
        words: &CandidateWords,
        mentions: &mut [Resolved],
        names: &NameWords,
        scan: Option<Scan>,
    ) -> Vec<Resolved> {
        self.learn(mentions, names);
        if self.owners.is_empty() {
            return Vec::new();
        }
        self.point_at_full_names(text, mentions);
        let scan = scan.unwrap_or(if self.by_head.is_empty() {
            Scan::WholeWords
        } else {
            Scan::EveryCapital
        });
        match scan {
            Scan::WholeWords => self.scan_whole_words(text, words),
            Scan::EveryCapital => self.scan_every_capital(text, words, mentions),
        }
    }

    /// Learns the full person names among `mentions` and the words they own.
    fn learn(&mut self, mentions: &[Resolved], names: &NameWords) {
        for Resolved { mention: m, .. } in mentions {
            if &*m.kind != "person" {
                continue;
            }
            // The same full name again changes nothing.
            if self
                .full
                .get(&m.id)
                .is_some_and(|f| f.entity == m.entity && f.kind == m.kind)
            {
                continue;
            }
            let words: Vec<&str> = m.entity.split(' ').filter(|w| !w.is_empty()).collect();
            let (Some(&first), Some(&last)) = (words.first(), words.last()) else {
                continue;
            };
            if words.len() < 2 || (&*m.source != "dictionary" && !names.credible(&words)) {
                continue;
            }
            self.full.insert(
                m.id.clone(),
                FullName {
                    entity: m.entity.clone(),
                    kind: m.kind.clone(),
                },
            );
            for word in [first, last] {
                let word = word.trim_end_matches('.');
                if word.chars().nth(1).is_none()
                    || !word.chars().next().is_some_and(char::is_uppercase)
                    || NOT_PARTIAL.contains(&word)
                    || regnal_number(word)
                {
                    continue;
                }
                let common = match names.owner_word(word) {
                    OwnerWord::Never => continue,
                    OwnerWord::Common => true,
                    OwnerWord::Name => false,
                };
                self.own(word, &m.id, common);
            }
        }
    }

    /// Records that `word` belongs to person `id`.
    fn own(&mut self, word: &str, id: &Arc<str>, common: bool) {
        if let Some(&o) = self.by_word.get(word) {
            let owner = &mut self.owners[o.0 as usize];
            if owner.id != *id {
                owner.unique = false;
            }
            return;
        }
        let o = OwnerId(self.owners.len() as u32);
        self.owners.push(Owner {
            word: word.into(),
            id: id.clone(),
            unique: true,
            common,
        });
        self.by_word.insert(word.into(), o);
        let head = word.len() - word.trim_start_matches(is_word_char).len();
        if head < word.len() {
            let owners = self.by_head.entry(word[..head].into()).or_default();
            let at = owners.partition_point(|p| self.owners[p.0 as usize].word.len() >= word.len());
            owners.insert(at, o);
        }
    }

    fn owner(&self, o: OwnerId) -> &Owner {
        &self.owners[o.0 as usize]
    }

    /// The owner of exactly `word`, when it is the only one.
    fn unique_owner(&self, word: &str) -> Option<OwnerId> {
        self.by_word
            .get(word)
            .copied()
            .filter(|&o| self.owner(o).unique)
    }

    /// True when `owner`'s word at byte `at` of `text` is a partial name there: not a common word
    /// that is capitalized anyway.
    fn names_there(&self, owner: OwnerId, text: &str, at: usize) -> bool {
        !self.owner(owner).common || !capitalized_anyway(text, at)
    }

    /// Points the one-word person mentions that name a partial at the full name.
    fn point_at_full_names(&self, text: &str, mentions: &mut [Resolved]) {
        for Resolved { span, mention: m } in mentions {
            if &*m.kind != "person" || m.entity.contains(' ') {
                continue;
            }
            if let Some(o) = self
                .unique_owner(&m.entity)
                .filter(|&o| self.names_there(o, text, span.start))
            {
                let id = &self.owner(o).id;
                let full = &self.full[id];
                m.origin = format!("partial name of {}", full.entity).into();
                m.entity = full.entity.clone();
                m.id = id.clone();
            }
        }
    }

    /// A `coref` mention of `owner`'s person at `span`.
    fn coref(&self, span: Span, owner: OwnerId) -> Resolved {
        let id = &self.owner(owner).id;
        let full = &self.full[id];
        Resolved {
            span,
            mention: Mention {
                span,
                entity: full.entity.clone(),
                id: id.clone(),
                kind: full.kind.clone(),
                source: "coref".into(),
                origin: format!("partial name of {}", full.entity).into(),
                beat: Vec::new(),
            },
        }
    }

    /// [`Scan::WholeWords`].
    fn scan_whole_words(&self, text: &str, words: &CandidateWords) -> Vec<Resolved> {
        words
            .capitals
            .iter()
            .filter(|c| c.whole_word)
            .filter_map(|c| {
                let o = self.unique_owner(&text[c.at..c.word_end])?;
                self.names_there(o, text, c.at)
                    .then(|| self.coref(Span::new(c.at, c.word_end), o))
            })
            .collect()
    }

    /// [`Scan::EveryCapital`]: at each uppercase char not skipped, the longest unique owner word
    /// there is taken (leftmost-longest, as the automaton): a punctuated one if any (it is longer
    /// than any other there); else one of word chars only, a mention when it is the whole word,
    /// and otherwise skipping only chars inside that word — which matters where a punctuated word
    /// starts in them, and is then worked out ([`PartialNames::replay_word`]).
    fn scan_every_capital(
        &self,
        text: &str,
        words: &CandidateWords,
        mentions: &[Resolved],
    ) -> Vec<Resolved> {
        let mut added = Vec::new();
        // Where the scan goes on: an occurrence found (kept or not) skips what it covers.
        let mut next = 0;
        // The first mention that ends after the current position.
        let mut taken = 0;
        for c in &words.capitals {
            if c.at < next {
                continue;
            }
            let Some(o) = self.longest_punctuated(text, c) else {
                if c.whole_word
                    && let Some(o) = self.unique_owner(&text[c.at..c.word_end])
                {
                    next = c.word_end;
                    if self.names_there(o, text, c.at) {
                        added.push(self.coref(Span::new(c.at, c.word_end), o));
                    }
                }
                continue;
            };
            let inner = text[..c.at].chars().next_back().is_some_and(is_word_char);
            if inner {
                let skip = self.replay_word(text, c, next);
                if skip > c.at {
                    next = skip;
                    continue;
                }
            }
            let span = Span::new(c.at, c.at + self.owner(o).word.len());
            next = span.end;
            if inner || !on_word_boundaries(text, span.start, span.end) || is_handle(text, c.at) {
                continue;
            }
            while taken < mentions.len() && mentions[taken].span.end <= span.start {
                taken += 1;
            }
            if mentions.get(taken).is_some_and(|m| m.span.overlaps(&span))
                || !self.names_there(o, text, span.start)
            {
                continue;
            }
            added.push(self.coref(span, o));
        }
        added
    }

    /// The longest unique owner word with a char that is not a word char starting at `c`.
    fn longest_punctuated(&self, text: &str, c: &Capital) -> Option<OwnerId> {
        // Such a word is its head and then a char that is not a word char: the head is the whole
        // run of word chars at `c`.
        let owners = self.by_head.get(&text[c.at..c.word_end])?;
        let rest = &text[c.at..];
        owners.iter().copied().find(|&o| {
            let owner = self.owner(o);
            owner.unique && rest.starts_with(&*owner.word)
        })
    }

    /// Where the leftmost-longest scan stands at `c`, an uppercase char inside a word where a
    /// punctuated owner word starts, given that no punctuated word skipped it nor a whole word
    /// (`next` is where they left the scan): it may have been skipped by an owner word of word
    /// chars only that starts earlier in the same word and runs past `c` (it fails the word
    /// check, but what it covers is skipped). Replays the scan from the word's start; returns
    /// where it goes on (`c.at` or before: `c` is not skipped).
    fn replay_word(&self, text: &str, c: &Capital, next: usize) -> usize {
        let start = text[..c.at]
            .char_indices()
            .rev()
            .find(|&(_, ch)| !is_word_char(ch))
            .map_or(0, |(i, ch)| i + ch.len_utf8());
        let mut next = next;
        for (i, ch) in text[start..c.at].char_indices() {
            let q = start + i;
            if q < next || !ch.is_uppercase() {
                continue;
            }
            // The longest unique owner word starting at `q` inside the word (none is punctuated:
            // the scan met no punctuated word between the word's start and `c`).
            let longest = text[q..c.word_end]
                .char_indices()
                .map(|(k, ch)| q + k + ch.len_utf8())
                .rev()
                .find(|&e| self.unique_owner(&text[q..e]).is_some());
            if let Some(e) = longest {
                next = e;
            }
        }
        next
    }
}

/// Where partial names can be in a chunk, found by [`super::Resolver::prepare`] (it needs no
/// state of the document): its uppercase chars.
#[derive(Debug, Clone, Default)]
pub(super) struct CandidateWords {
    capitals: Vec<Capital>,
}

/// An uppercase char of a text: where a partial name can start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Capital {
    /// Its byte offset.
    at: usize,
    /// The end of the run of word chars that starts there (`at` if it is not a word char).
    word_end: usize,
    /// True when that run is a whole word that could be a partial name: it starts a word, not
    /// right after '@', is at least two chars long, and overlaps no mention.
    whole_word: bool,
}

impl CandidateWords {
    /// The uppercase chars of `text`, `mentions` being its mentions (in text order).
    pub(super) fn find(text: &str, mentions: &[Resolved]) -> Self {
        let bytes = text.as_bytes();
        let mut capitals: Vec<Capital> = Vec::new();
        let mut taken = 0;
        let mut i = 0;
        loop {
            i = find_special(bytes, i, |b| b.is_ascii_uppercase() | (b >= 0x80));
            let Some(&b) = bytes.get(i) else { break };
            let ch = if b < 0x80 {
                char::from(b)
            } else {
                text[i..].chars().next().expect("a char boundary")
            };
            if !ch.is_uppercase() {
                i += ch.len_utf8();
                continue;
            }
            // Inside the run of the uppercase char before, the run ends where that one does.
            let word_end = match capitals.last() {
                Some(last) if i < last.word_end => last.word_end,
                _ => text[i..]
                    .char_indices()
                    .find(|&(_, c)| !is_word_char(c))
                    .map_or(text.len(), |(k, _)| i + k),
            };
            let word = &text[i..word_end];
            let whole_word = !text[..i]
                .chars()
                .next_back()
                .is_some_and(|c| is_word_char(c) || c == '@')
                && word.chars().nth(1).is_some()
                && {
                    let span = Span::new(i, word_end);
                    while taken < mentions.len() && mentions[taken].span.end <= span.start {
                        taken += 1;
                    }
                    !mentions.get(taken).is_some_and(|m| m.span.overlaps(&span))
                };
            capitals.push(Capital {
                at: i,
                word_end,
                whole_word,
            });
            i += ch.len_utf8();
        }
        CandidateWords { capitals }
    }
}

#[cfg(test)]
mod tests;
