//! Sports clubs named by their town: in a text about a sport, "Liverpool have agreed a fee" is
//! the club, not the city.
//!
//! Two lists of the rules file's `[lists]` drive it, both data:
//! - `sports_club`: `sport|town|club` lines ("football|Liverpool|Liverpool F.C.", "basketball|
//!   Oklahoma City|Oklahoma City Thunder"): the club a town's name stands for in that sport;
//! - `sport_cue`: `sport|word` lines ("football|midfielder", "basketball|NBA"): words that show a
//!   text is about that sport.
//!
//! A chunk is about a sport when at least [`MIN_CUES`] different cue words of it appear in it (as
//! whole words). There, a place mention whose text is a town of that sport's list becomes the club
//! (the dictionary's entity of that name, else an organization of that name), unless its text is
//! in capitals (a dateline, "LIVERPOOL —"), it follows a capitalized word ("Inter Milan"), or
//! it follows "in", "near", "outside", "around" or
//! "across" ("a flat in Liverpool" stays the city; "signed from Southampton" is the club).

use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::Resolved;
use crate::model::entity_id;
use crate::recognize::Dictionary;

/// The fewest different cue words of a sport that make a text about it.
pub const MIN_CUES: usize = 2;

/// The words after which a town's name is the place.
const PLACE_WORDS: [&str; 5] = ["in", "near", "outside", "around", "across"];

/// The clubs of each sport and the words that show a sport (see the module docs).
#[derive(Debug, Clone, Default)]
pub struct SportsClubs {
    /// Sport → town → club.
    clubs: FxHashMap<Box<str>, FxHashMap<Box<str>, Box<str>>>,
    /// Sport → its cue words.
    cues: FxHashMap<Box<str>, Vec<Box<str>>>,
}

impl SportsClubs {
    /// Empty: no sport, no change.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `sport|town|club` lines; malformed lines are skipped.
    pub fn add_clubs<'a>(&mut self, lines: impl IntoIterator<Item = &'a str>) {
        for line in lines {
            let parts: Vec<&str> = line.split('|').map(str::trim).collect();
            if let [sport, town, club] = parts[..] {
                if !sport.is_empty() && !town.is_empty() && !club.is_empty() {
                    self.clubs
                        .entry(sport.into())
                        .or_default()
                        .insert(town.into(), club.into());
                }
            }
        }
    }

    /// Adds `sport|word` lines; malformed lines are skipped.
    pub fn add_cues<'a>(&mut self, lines: impl IntoIterator<Item = &'a str>) {
        for line in lines {
            if let Some((sport, word)) = line.split_once('|') {
                let (sport, word) = (sport.trim(), word.trim());
                if !sport.is_empty() && !word.is_empty() {
                    self.cues.entry(sport.into()).or_default().push(word.into());
                }
            }
        }
    }

    /// True when no club is known.
    pub fn is_empty(&self) -> bool {
        self.clubs.is_empty()
    }

    /// The sports `text` is about, in name order.
    fn sports_of(&self, text: &str) -> Vec<&str> {
        let mut sports: Vec<&str> = self
            .cues
            .iter()
            .filter(|(sport, words)| {
                self.clubs.contains_key(*sport)
                    && words.iter().filter(|w| has_word(text, w)).take(MIN_CUES).count() >= MIN_CUES
            })
            .map(|(sport, _)| &**sport)
            .collect();
        sports.sort_unstable();
        sports
    }

    /// Turns the place mentions of `mentions` (spans into `text`) that name a club of a sport
    /// `text` is about into that club.
    pub(super) fn apply(&self, text: &str, mentions: &mut [Resolved], dictionary: &Dictionary) {
        if self.is_empty() || !mentions.iter().any(|r| &*r.mention.kind == "place") {
            return;
        }
        let sports = self.sports_of(text);
        if sports.is_empty() {
            return;
        }
        for r in mentions.iter_mut() {
            if &*r.mention.kind != "place" {
                continue;
            }
            let surface = &text[r.span.start..r.span.end];
            if !surface.chars().any(char::is_lowercase)
                || after_place_word(text, r.span.start)
                || after_name(text, r.span.start)
            {
                continue;
            }
            let Some(club) = sports
                .iter()
                .find_map(|s| self.clubs.get(*s).and_then(|towns| towns.get(surface)))
            else {
                continue;
            };
            let m = &mut r.mention;
            match dictionary.lookup(club) {
                Some(entry) => {
                    m.entity = entry.canonical.clone();
                    m.id = entry.id.clone();
                    m.kind = entry.kind.clone();
                }
                None => {
                    m.kind = "organization".into();
                    m.id = entity_id(&m.kind, club).into();
                    m.entity = Arc::from(&**club);
                }
            }
            m.origin = format!("{}; a club in a text about sport", m.origin).into();
        }
    }
}

/// True when `word` occurs in `text` as a whole word.
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// True when `start` follows a capitalized word and one space, as "Milan" in "Inter Milan" (a
/// possessive, "Slot's Liverpool", does not count).
fn after_name(text: &str, start: usize) -> bool {
    let Some(before) = text[..start].strip_suffix(' ') else {
        return false;
    };
    let word = before.rsplit(' ').next().unwrap_or("");
    word.chars().next().is_some_and(char::is_uppercase)
        && word.chars().next_back().is_some_and(char::is_alphanumeric)
        && !word.ends_with("'s")
}

/// True when the word before `start` is one of [`PLACE_WORDS`].
fn after_place_word(text: &str, start: usize) -> bool {
    let before = text[..start].trim_end();
    let word = before
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    before.len() < start && PLACE_WORDS.contains(&word.to_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Mention, Span};
    use crate::recognize::DictionaryBuilder;

    fn place(text: &str, word: &str, from: usize) -> Resolved {
        let start = from + text[from..].find(word).unwrap();
        let span = Span::new(start, start + word.len());
        Resolved {
            span,
            mention: Mention {
                span,
                entity: word.into(),
                id: entity_id("place", word).into(),
                kind: "place".into(),
                source: "dictionary".into(),
                origin: "place.tsv:1".into(),
                beat: Vec::new(),
            },
        }
    }

    fn kinds(text: &str, words: &[&str]) -> Vec<String> {
        let mut clubs = SportsClubs::new();
        clubs.add_clubs(["football|Liverpool|Liverpool F.C.", "football|Southampton|Southampton"]);
        clubs.add_cues(["football|midfielder", "football|Premier League", "football|goal"]);
        let mut b = DictionaryBuilder::new();
        b.add_entity("organization", "Liverpool F.C.", &["Liverpool FC"], "organization.tsv:1");
        let dictionary = b.build().unwrap();
        let mut from = 0;
        let mut mentions: Vec<Resolved> = words
            .iter()
            .map(|w| {
                let r = place(text, w, from);
                from = r.span.end;
                r
            })
            .collect();
        clubs.apply(text, &mut mentions, &dictionary);
        mentions
            .iter()
            .map(|r| format!("{} {}", r.mention.kind, r.mention.entity))
            .collect()
    }

    #[test]
    fn a_town_is_its_club_in_a_text_about_the_sport() {
        let text = "LIVERPOOL - Liverpool signed the midfielder, who scored a goal against \
                    Southampton in the Premier League. He has a flat in Liverpool.";
        assert_eq!(
            kinds(text, &["LIVERPOOL", "Liverpool", "Southampton", "Liverpool"]),
            [
                "place LIVERPOOL",
                "organization Liverpool F.C.",
                "organization Southampton",
                "place Liverpool"
            ]
        );
    }

    #[test]
    fn a_town_stays_a_place_elsewhere() {
        let text = "Liverpool council met in Southampton to discuss the goal of the budget.";
        assert_eq!(
            kinds(text, &["Liverpool", "Southampton"]),
            ["place Liverpool", "place Southampton"]
        );
        let text = "The midfielder joined Real Southampton in the Premier League; he lives in Liverpool.";
        assert_eq!(
            kinds(text, &["Southampton", "Liverpool"]),
            ["place Southampton", "place Liverpool"]
        );
    }
}
