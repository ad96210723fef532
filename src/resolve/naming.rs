//! Names for the winners of the overlap rule: the entity (canonical name, id, type) each mention
//! refers to.
//!
//! A candidate that knows its entity (a dictionary match) keeps it. Another (a pattern match) takes
//! the dictionary entity whose name or alias its text is ("L.A." found by a rule is the place
//! Los Angeles); failing that, its text is its canonical name and its id is made from its type and
//! that name. A plural of a dictionary name ("the Meryl Streeps of this world") is that entity. An
//! all-capitals text (a dateline's "SAINT-DENIS") is looked up, and named, in title
//! case ("Saint-Denis") when it is not in the dictionary as written. A nickname in quotes inside a
//! name is no part of it: `Paul "Bonehead" Arthurs` is Paul Arthurs.

use std::sync::Arc;

use super::Resolved;
use super::overlap::Winner;
use crate::model::{Mention, entity_id};
use crate::recognize::{Candidate, Dictionary};

/// The entity a mention refers to.
struct Entity {
    canonical: Arc<str>,
    kind: Arc<str>,
    id: Arc<str>,
}

/// Names the winners (spans into `text`, in text order): mentions in the same order, each with
/// its span in `text` (and `Mention::span` the same span).
pub(super) fn name(winners: Vec<Winner>, text: &str, dictionary: &Dictionary) -> Vec<Resolved> {
    winners
        .into_iter()
        .map(|Winner { candidate, beat }| {
            let Candidate {
                span,
                kind,
                entity,
                id,
                source,
                origin,
                ..
            } = candidate;
            let entity = match entity {
                Some(canonical) => Entity {
                    id: id.unwrap_or_else(|| entity_id(&kind, &canonical).into()),
                    canonical,
                    kind,
                },
                None => lookup(&text[span.start..span.end], kind, dictionary),
            };
            Resolved {
                span,
                mention: Mention {
                    span,
                    entity: entity.canonical,
                    id: entity.id,
                    kind: entity.kind,
                    source,
                    origin,
                    beat,
                },
            }
        })
        .collect()
}

/// The entity of a mention of type `kind` found without one: the dictionary's entry for
/// `surface` (or its title case, when in capitals), else `surface` itself.
fn lookup(surface: &str, kind: Arc<str>, dictionary: &Dictionary) -> Entity {
    let unquoted = without_nickname(surface);
    let surface = unquoted.as_deref().unwrap_or(surface);
    let titled = is_all_caps(surface).then(|| title_case(surface));
    let entry = dictionary
        .lookup(surface)
        .or_else(|| titled.as_deref().and_then(|t| dictionary.lookup(t)))
        .or_else(|| plural_of(surface).and_then(|singular| dictionary.lookup(singular)));
    match entry {
        Some(entry) => Entity {
            canonical: entry.canonical.clone(),
            kind: entry.kind.clone(),
            id: entry.id.clone(),
        },
        None => {
            let name = titled.as_deref().unwrap_or(surface);
            Entity {
                id: entity_id(&kind, name).into(),
                canonical: name.into(),
                kind,
            }
        }
    }
}

/// The name a plural or plural possessive is formed from ("the Meryl Streeps" -> "Meryl Streep",
/// "Streeps'" -> "Streep"): `surface` less a final "s" or "s'" (none for a single word of three
/// chars or fewer, or a word that ends in "ss").
fn plural_of(surface: &str) -> Option<&str> {
    let stem = surface
        .strip_suffix('\'')
        .unwrap_or(surface)
        .strip_suffix('s')?;
    (stem.len() > 3 && !stem.ends_with('s')).then_some(stem)
}

/// `surface` less a nickname in quotes between its words (`Paul "Bonehead" Arthurs` ->
/// "Paul Arthurs", also with curly quotes); `None` when it has none.
fn without_nickname(surface: &str) -> Option<String> {
    let (open, quote) = surface
        .char_indices()
        .find(|&(_, c)| matches!(c, '"' | '\u{201C}'))?;
    let after = &surface[open + quote.len_utf8()..];
    let (close, quote) = after
        .char_indices()
        .find(|&(_, c)| matches!(c, '"' | '\u{201D}'))?;
    let (before, rest) = (
        surface[..open].trim_end(),
        after[close + quote.len_utf8()..].trim_start(),
    );
    (!before.is_empty() && !rest.is_empty()).then(|| format!("{before} {rest}"))
}

/// True when `s` has at least two letters and none of them is lowercase ("NEW YORK", "SAINT-DENIS").
fn is_all_caps(s: &str) -> bool {
    s.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !s.chars().any(char::is_lowercase)
}

/// "SAINT-DENIS" -> "Saint-Denis": each letter run keeps its first letter and lowercases the rest
/// (a letter after an apostrophe continues its run: "DOGE'S" -> "Doge's").
fn title_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_word = false;
    for c in s.chars() {
        if c.is_alphabetic() {
            if in_word {
                out.extend(c.to_lowercase());
            } else {
                out.push(c);
            }
            in_word = true;
        } else {
            out.push(c);
            in_word = c == '\'' || c == '\u{2019}';
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Span;
    use crate::recognize::{DictionaryBuilder, Rank};
    use crate::resolve::tests::cand;

    #[test]
    fn naming_all_caps_dateline_is_title_cased() {
        assert!(is_all_caps("SAINT-DENIS"));
        assert!(!is_all_caps("Paris"));
        assert!(!is_all_caps("A"));
        assert_eq!(title_case("SAINT-DENIS"), "Saint-Denis");
        assert_eq!(title_case("NEW YORK"), "New York");
        assert_eq!(title_case("DOGE'S"), "Doge's");
    }

    #[test]
    fn naming_drops_a_quoted_nickname() {
        let plain = Some("Paul Arthurs".to_string());
        assert_eq!(without_nickname("Paul \"Bonehead\" Arthurs"), plain);
        assert_eq!(
            without_nickname("Paul \u{201C}Bonehead\u{201D} Arthurs"),
            plain
        );
        assert_eq!(without_nickname("Paul Arthurs"), None);
        assert_eq!(without_nickname("\"Bonehead\" Arthurs"), None);
        assert_eq!(without_nickname("Paul \"Bonehead\""), None);
    }

    /// (name, text, candidate span and type, expected canonical name, id, type)
    #[test]
    fn naming_table() {
        let mut b = DictionaryBuilder::new();
        b.add_entity("place", "Los Angeles", &["L.A."], "d:1");
        b.add_entity("place", "Saint-Denis", &[], "d:2");
        let d = b.build().unwrap();
        let cases = [
            (
                "alias",
                "the L.A. office",
                (4, 8, "organization"),
                ("Los Angeles", "place:los-angeles", "place"),
            ),
            (
                "own text",
                "the Acme office",
                (4, 8, "organization"),
                ("Acme", "organization:acme", "organization"),
            ),
            (
                "dateline in the dictionary",
                "SAINT-DENIS, France",
                (0, 11, "place"),
                ("Saint-Denis", "place:saint-denis", "place"),
            ),
            (
                "dateline named in title case",
                "NEW YORK, Monday",
                (0, 8, "place"),
                ("New York", "place:new-york", "place"),
            ),
        ];
        for (name, text, (s, e, kind), (canonical, id, kind_after)) in cases {
            let winner = Winner {
                candidate: cand(s, e, kind, None, Rank::Pattern, 0),
                beat: Vec::new(),
            };
            let got = super::name(vec![winner], text, &d);
            assert_eq!(got.len(), 1, "{name}");
            assert_eq!(got[0].span, Span::new(s, e), "{name}");
            let m = &got[0].mention;
            assert_eq!(
                (&*m.entity, &*m.id, &*m.kind),
                (canonical, id, kind_after),
                "{name}"
            );
        }
    }
}
