//! Names listed with a name: "Jamie Smith and Brydon Carse", "Kallis and Boucher", "by Foxconn and
//! Tata Electronics". A run of capitalized words that no recognizer found, joined by "and",
//! "or" or a comma to a person or an organization mention, names an entity of the same type when
//! it has that type's shape:
//! - a person: one to three name words (particles such as "de" or "ten" between them) that
//!   [`NameWords::credible`] accepts: no head noun, title, demonym or function word; no common
//!   word, except a given name first or a surname after it; one word alone only when it is a
//!   known given name or surname, or when the name it is listed with is one word too, and not
//!   when it ends as an adjective of a people or a language does ("Akkadian");
//! - an organization: one to four capitalized words, the first no common word, none a never-name.
//! - a film: a title listed with a film ("director of Arrival, Blade Runner 2049, Dune and Dune:
//!   Part Two"): one to seven words, capitalized words, numbers and the small words of titles
//!   between them ("Barefoot in the Park"), a colon before a capitalized word; its first word no
//!   never-name but an article, and no given name before one or two name words (a person). A
//!   title joined by a bare comma needs the list to go on past it or past the film.
//!
//! The run must be whole (no capitalized word right before or after it) and must not end in a
//! possessive ("Greg Joswiak, Apple's marketing chief" lists nobody). A run joined by a bare comma
//! is taken only when it has two words or more, or when the list goes on after it ("Smith, Root,
//! Carse and Bumrah"): "Cruise, Hollywood" is no list. Places are not spread this way ("Israel and
//! Hamas"). A new mention can carry the type on along the list. The dictionary is not asked: a
//! run it knows was already a candidate, and lost or was blocked.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::titles::{TITLE_SMALL, title_run};
use super::words::{NameWords, adjectival, name_word};
use super::{Resolved, found_candidate, overlaps_any};
use crate::model::Span;
use crate::recognize::Candidate;

/// The source of mentions found by a list.
pub(super) const SOURCE: &str = "coordination";

/// Words joining list items, as they follow the item before them.
const JOINS: &[&str] = &[", and ", ", or ", " and ", " or ", ", "];

/// Lower-case words that may stand between the words of a person's name.
const PARTICLES: &[&str] = &[
    "de", "van", "von", "der", "den", "da", "di", "del", "dos", "du", "le", "la", "ten", "ter",
    "bin", "al", "el",
];

/// The most rounds of spreading along a list.
const ROUNDS: usize = 4;

/// Candidates for the runs listed with `mentions` (spans into `text`, in text order), in text
/// order, none overlapping a mention.
pub(super) fn candidates(text: &str, mentions: &[Resolved], names: &NameWords) -> Vec<Candidate> {
    // What is found so far, by start: (end, type, the name it is listed with).
    let mut found: BTreeMap<usize, (usize, Arc<str>, Arc<str>)> = BTreeMap::new();
    let mut sources: Vec<(Span, Arc<str>, Arc<str>)> = mentions
        .iter()
        .filter(|r| matches!(&*r.mention.kind, "person" | "organization" | "film"))
        .map(|r| (r.span, r.mention.kind.clone(), r.mention.entity.clone()))
        .collect();
    for _ in 0..ROUNDS {
        let mut added = Vec::new();
        for (span, kind, entity) in &sources {
            let runs = if &**kind == "film" {
                [
                    film_right_run(text, *span),
                    film_left_run(text, *span, names),
                ]
            } else {
                [
                    right_run(text, *span, kind),
                    left_run(text, *span, kind, names),
                ]
            };
            for run in runs.into_iter().flatten() {
                let taken = overlaps_any(mentions, run)
                    || found
                        .range(..run.end)
                        .next_back()
                        .is_some_and(|(_, (end, _, _))| *end > run.start);
                if taken {
                    continue;
                }
                let words: Vec<&str> = text[run.start..run.end]
                    .split(' ')
                    .filter(|w| !PARTICLES.contains(w))
                    .collect();
                // One word alone names a person when it is a known name, or when the list is
                // one of single names ("Kallis and Boucher").
                let single_ok = &**kind != "person"
                    || words.len() > 1
                    || words
                        .first()
                        .is_some_and(|w| names.is_given(w) || names.is_surname(w))
                    || !text[span.start..span.end].contains(' ');
                if single_ok && shaped(&words, kind, names) {
                    found.insert(run.start, (run.end, kind.clone(), entity.clone()));
                    added.push((run, kind.clone(), entity.clone()));
                }
            }
        }
        if added.is_empty() {
            break;
        }
        sources = added;
    }
    found
        .into_iter()
        .map(|(start, (end, kind, entity))| (Span::new(start, end), kind, entity))
        .map(|(span, kind, entity)| {
            found_candidate(span, kind, SOURCE, format!("listed with {entity}"), false)
        })
        .collect()
}

/// True when `words` (particles left out) have the shape of a name of type `kind`.
fn shaped(words: &[&str], kind: &str, names: &NameWords) -> bool {
    let Some(first) = words.first() else {
        return false;
    };
    if kind == "film" {
        let person = (2..=3).contains(&words.len())
            && names.is_given(first)
            && words.iter().all(|w| name_word(w));
        let last = words.last().unwrap_or(first);
        return (ARTICLES.contains(first) || !names.is_never(first))
            && !person
            && !first.chars().all(|c| c.is_ascii_digit())
            && last.chars().count() > 1
            && !(words.len() == 1 && adjectival(first));
    }
    if words.iter().any(|w| names.is_never(w)) {
        return false;
    }
    if kind == "person" {
        words.len() <= 3
            && words.iter().all(|w| name_word(w))
            && names.credible(words)
            && (words.len() > 1
                || !names.is_common(first) && (!adjectival(first) || names.is_given(first)))
    } else {
        // A person's name is not taken for an organization ("Hassan Ghulam").
        words.len() <= 4
            && !names.is_common(first)
            && first.chars().count() > 1
            && !(words.len() > 1 && names.is_given(first))
            && !(words.len() == 1 && adjectival(first))
    }
}

/// A word of a run: capitalized, of letters, digits and `&.'-`; no possessive.
fn run_word(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
        && w.chars().all(|c| c.is_alphanumeric() || "&.'-".contains(c))
        && !w.ends_with("'s")
        && !w.ends_with('\'')
}

/// Punctuation that ends a run after a word.
const PUNCT: &[char] = &[',', '.', ';', ':', '!', '?', ')', '"'];

/// The most words of a run, particles included.
const MAX_WORDS: usize = 4;

/// The run after `span` in a list: its span, when whole.
fn right_run(text: &str, span: Span, kind: &str) -> Option<Span> {
    let join = JOINS.iter().find(|j| text[span.end..].starts_with(**j))?;
    let start = span.end + join.len();
    let (mut pos, mut end, mut count, mut last_particle) = (start, start, 0, false);
    loop {
        let seg_end = text[pos..]
            .find(char::is_whitespace)
            .map_or(text.len(), |i| pos + i);
        let raw = &text[pos..seg_end];
        let w = raw.trim_end_matches(PUNCT);
        let particle = kind == "person" && count > 0 && PARTICLES.contains(&w);
        if w.is_empty() || !(run_word(w) || particle) {
            break;
        }
        if count == MAX_WORDS {
            return None;
        }
        count += 1;
        last_particle = particle;
        end = pos + w.len();
        if w.len() < raw.len() || !text[seg_end..].starts_with(' ') {
            break;
        }
        pos = seg_end + 1;
    }
    if count == 0 || last_particle {
        return None;
    }
    if *join == ", " && (count < 2 || kind != "person") && !list_goes_on(text, end) {
        return None;
    }
    Some(Span::new(start, end))
}

/// The run before `span` in a list: its span, when whole, less the function words that open it
/// ("When Smith and Jones") and, before a person, the titles and other never-names.
fn left_run(text: &str, span: Span, kind: &str, names: &NameWords) -> Option<Span> {
    let join = JOINS.iter().find(|j| text[..span.start].ends_with(**j))?;
    let end = span.start - join.len();
    let (mut pos, mut start) = (end, end);
    // The run's words, from its last: (start, word).
    let mut starts = Vec::new();
    loop {
        let seg_start = text[..pos].rfind(char::is_whitespace).map_or(0, |i| i + 1);
        let w = &text[seg_start..pos];
        let particle = kind == "person" && PARTICLES.contains(&w);
        if w.is_empty() || w.ends_with(PUNCT) || !(run_word(w) || particle) {
            break;
        }
        if starts.len() == MAX_WORDS {
            return None;
        }
        start = seg_start;
        starts.push((seg_start, w));
        if seg_start == 0 || !text[..seg_start].ends_with(' ') {
            break;
        }
        pos = seg_start - 1;
    }
    // Function words that open the run ("When Smith and Jones") are not part of it, nor are
    // titles before a person ("Screenwriters Ehren Kruger, Eric Singer and").
    while let Some(&(s, w)) = starts.last() {
        if names.is_opener(w) || PARTICLES.contains(&w) || kind == "person" && names.is_never(w) {
            starts.pop();
            start = s + text[s..end].find(' ').map_or(end - s, |i| i + 1);
        } else {
            break;
        }
    }
    if starts.is_empty() || start >= end {
        return None;
    }
    if *join == ", " && (starts.len() < 2 || kind != "person") && !list_goes_back(text, start) {
        return None;
    }
    Some(Span::new(start, end))
}

/// Articles that may open a title although they are function words.
const ARTICLES: &[&str] = &["The", "A", "An"];

/// The most words of a title in a list.
const MAX_TITLE_WORDS: usize = 7;

/// A word of a title: a capitalized word of a run, or a number ("Blade Runner 2049").
fn title_word(w: &str) -> bool {
    run_word(w) || !w.is_empty() && w.chars().all(|c| c.is_ascii_digit())
}

/// True when a list goes on at `at` after an item ("…, Dune and …").
fn list_goes_on(text: &str, at: usize) -> bool {
    JOINS.iter().any(|j| {
        text[at..]
            .strip_prefix(*j)
            .is_some_and(|next| next.starts_with(char::is_uppercase))
    })
}

/// True when a list goes on before an item that starts at `at`.
fn list_goes_back(text: &str, at: usize) -> bool {
    JOINS.iter().any(|j| {
        text[..at].strip_suffix(*j).is_some_and(|before| {
            before
                .rsplit(' ')
                .next()
                .is_some_and(|w| w.starts_with(char::is_uppercase))
        })
    })
}

/// The title after the film at `span` in a list, when whole.
fn film_right_run(text: &str, span: Span) -> Option<Span> {
    let join = JOINS.iter().find(|j| text[span.end..].starts_with(**j))?;
    let start = span.end + join.len();
    let run = title_run(text, start, MAX_TITLE_WORDS, false)?;
    if run.too_long || run.possessive {
        return None;
    }
    if *join == ", " && !list_goes_on(text, run.end) && !list_goes_back(text, span.start) {
        return None;
    }
    Some(Span::new(start, run.end))
}

/// The title before the film at `span` in a list, when whole, less the function words that
/// open it ("From Cronos and Mimic"; an article stays: "The Hobbit and Dune").
fn film_left_run(text: &str, span: Span, names: &NameWords) -> Option<Span> {
    let join = JOINS.iter().find(|j| text[..span.start].ends_with(**j))?;
    let end = span.start - join.len();
    let mut pos = end;
    let mut starts: Vec<(usize, &str)> = Vec::new();
    loop {
        let seg_start = text[..pos].rfind(char::is_whitespace).map_or(0, |i| i + 1);
        let raw = &text[seg_start..pos];
        // A colon inside the title ("Dune: Part Two"), not after its last word.
        let w = if starts.is_empty() {
            raw
        } else {
            raw.strip_suffix(':').unwrap_or(raw)
        };
        if w.is_empty() || w.ends_with(PUNCT) || !(title_word(w) || TITLE_SMALL.contains(&w)) {
            break;
        }
        if starts.len() == MAX_TITLE_WORDS {
            return None;
        }
        starts.push((seg_start, w));
        if seg_start == 0 || !text[..seg_start].ends_with(' ') {
            break;
        }
        pos = seg_start - 1;
    }
    while let Some(&(_, w)) = starts.last() {
        if TITLE_SMALL.contains(&w) || names.is_opener(w) && !ARTICLES.contains(&w) {
            starts.pop();
        } else {
            break;
        }
    }
    // A number follows a capitalized word ("Blade Runner 2049", not "Mirror in 1975").
    let number = |w: &str| w.chars().all(|c| c.is_ascii_digit());
    if starts
        .windows(2)
        .any(|p| number(p[0].1) && TITLE_SMALL.contains(&p[1].1))
    {
        return None;
    }
    let &(start, _) = starts.last()?;
    if *join == ", " && !list_goes_back(text, start) && !list_goes_on(text, span.end) {
        return None;
    }
    Some(Span::new(start, end))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Mention;

    fn words() -> NameWords {
        let mut w = NameWords::new();
        w.add_common(["monday", "hollywood", "root", "gem", "archer"]);
        w.add_surnames(["Root"]);
        w.add_never(["When", "Screenwriters", "Government"]);
        w.add_openers(["From", "After", "The"]);
        w.add_given(["Maria"]);
        w
    }

    /// The texts of the runs listed with the mentions at `known` (text, type).
    fn listed(text: &str, known: &[(&str, &str)]) -> Vec<String> {
        let mut mentions: Vec<Resolved> = known
            .iter()
            .map(|(name, kind)| {
                let start = text.find(name).unwrap();
                let span = Span::new(start, start + name.len());
                Resolved {
                    span,
                    mention: Mention {
                        span,
                        entity: (*name).into(),
                        id: format!("{kind}:{name}").into(),
                        kind: (*kind).into(),
                        source: "dictionary".into(),
                        origin: "".into(),
                        beat: vec![],
                    },
                }
            })
            .collect();
        mentions.sort_by_key(|r| r.span.start);
        candidates(text, &mentions, &words())
            .into_iter()
            .map(|c| format!("{} {}", &text[c.span.start..c.span.end], c.kind))
            .collect()
    }

    #[test]
    fn coordination_types_names_listed_with_a_person_or_an_organization() {
        assert_eq!(
            listed(
                "and Jamie Smith and Brydon Carse added 84.",
                &[("Jamie Smith", "person")]
            ),
            ["Brydon Carse person"]
        );
        assert_eq!(
            listed(
                "as Vitinha and Neves ran the midfield",
                &[("Neves", "person")]
            ),
            ["Vitinha person"]
        );
        assert_eq!(
            listed(
                "assembled by Foxconn and Tata Electronics, rather",
                &[("Tata Electronics", "organization")]
            ),
            ["Foxconn organization"]
        );
        assert_eq!(
            listed(
                "the coach Erik ten Hag, and Xabi Alonso left",
                &[("Xabi Alonso", "person")]
            ),
            ["Erik ten Hag person"]
        );
        // Along a list, from its last name.
        assert_eq!(
            listed(
                "with Smith, Mark Wood, Carse and Bumrah bowling",
                &[("Bumrah", "person")]
            ),
            ["Mark Wood person", "Carse person"]
        );
        // Never-names open no run; common words before a name are left out.
        assert_eq!(
            listed("When Smith and Jones met", &[("Jones", "person")]),
            ["Smith person"]
        );
        assert_eq!(
            listed(
                "Screenwriters Ehren Kruger and Eric Singer wrote it",
                &[("Eric Singer", "person")]
            ),
            ["Ehren Kruger person"]
        );
    }

    #[test]
    fn coordination_types_titles_listed_with_a_film() {
        assert_eq!(
            listed(
                "the director of Arrival, Blade Runner 2049, Dune and Dune: Part Two, will",
                &[
                    ("Blade Runner 2049", "film"),
                    ("Dune", "film"),
                    ("Dune: Part Two", "film")
                ]
            ),
            ["Arrival film"]
        );
        assert_eq!(
            listed(
                "whose films include Barefoot in the Park and The Sting, both",
                &[("The Sting", "film")]
            ),
            ["Barefoot in the Park film"]
        );
        assert_eq!(
            listed(
                "the star of Rye Lane and Alien: Romulus, won",
                &[("Alien: Romulus", "film")]
            ),
            ["Rye Lane film"]
        );
        // Function words before a title are left out, an article stays.
        assert_eq!(
            listed("From Cronos and The Hobbit on", &[("The Hobbit", "film")]),
            ["Cronos film"]
        );
    }

    #[test]
    fn coordination_takes_no_person_number_or_lone_comma_for_a_film() {
        // A given name and a name word: a person, left to the person rules.
        assert!(listed("Dune and Maria Lopez", &[("Dune", "film")]).is_empty());
        // A number after a small word is a date, and small words end no title.
        assert!(listed("Mirror in 1975 and Dune", &[("Dune", "film")]).is_empty());
        assert_eq!(
            listed("Dune and Arrival in 2016", &[("Dune", "film")]),
            ["Arrival film"]
        );
        // A bare comma with no list on either side.
        assert!(listed("After Dune, Villeneuve rested", &[("Dune", "film")]).is_empty());
        // A possessive is no title.
        assert!(listed("Dune and Villeneuve's next", &[("Dune", "film")]).is_empty());
        assert!(listed("Dune and Top Gun's sequel", &[("Dune", "film")]).is_empty());
    }

    #[test]
    fn coordination_takes_no_clause_possessive_place_or_common_word() {
        // An appositive, not a list.
        assert!(
            listed(
                "Greg Joswiak, Apple's marketing chief, spoke",
                &[("Greg Joswiak", "person")]
            )
            .is_empty()
        );
        // A bare comma and one word: no list.
        assert!(listed("For Cruise, Hollywood is home", &[("Cruise", "person")]).is_empty());
        // Places do not spread.
        assert!(listed("between Israel and Hamas today", &[("Israel", "place")]).is_empty());
        // A common word alone is no person, and a run that goes on is not whole.
        assert!(listed("Cruise and Monday", &[("Cruise", "person")]).is_empty());
        assert!(
            listed(
                "Cruise and Alpha Beta Gamma Delta Epsilon",
                &[("Cruise", "person")]
            )
            .is_empty()
        );
        assert!(listed("Cruise and Howard Government", &[("Cruise", "person")]).is_empty());
        // One unknown word is a person only in a list of single names.
        assert!(listed("as Vitinha and João Neves ran", &[("João Neves", "person")]).is_empty());
        assert!(listed("the Akkadian and Neves", &[("Neves", "person")]).is_empty());
        // Gem Archer has common words only: not taken.
        assert!(
            listed(
                "Andy Bell and Gem Archer played",
                &[("Andy Bell", "person")]
            )
            .is_empty()
        );
    }
}
