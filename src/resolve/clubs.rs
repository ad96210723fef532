//! Sports clubs named by their town: in a text about a sport, "Liverpool have agreed a fee" is
//! the club, not the city.
//!
//! Two lists of the rules file's `[lists]` drive it, both data:
//! - `sports_club`: `sport|town|club` lines ("football|Liverpool|Liverpool F.C.", "basketball|
//!   Oklahoma City|Oklahoma City Thunder"): the club a town's name stands for in that sport;
//! - `sport_cue`: `sport|word` lines ("football|midfielder", "basketball|NBA"): words that show a
//!   text is about that sport.
//!
//! The text around a mention is about a sport when at least [`MIN_CUES`] different cue words of
//! it appear (as whole words) within [`CUE_WINDOW`] bytes of it: a long document about many
//! things only has its sports pages read so. There, a place mention whose text is a town of that sport's list becomes the club
//! (the dictionary's entity of that name, else an organization of that name), unless its text is
//! in capitals (a dateline, "LIVERPOOL —"), it follows a capitalized word ("Inter Milan"), or
//! it follows "in", "near", "outside", "around" or
//! "across" ("a flat in Liverpool" stays the city; "signed from Southampton" is the club).

use std::sync::Arc;

use aho_corasick::AhoCorasick;
use rustc_hash::FxHashMap;

use super::Resolved;
use crate::model::entity_id;
use crate::recognize::Dictionary;

/// The fewest different cue words of a sport that make a text about it.
pub const MIN_CUES: usize = 2;

/// How far (in bytes, each way) from a town's mention its sport's cue words are looked for: a
/// news story, or a few paragraphs of a long document.
pub const CUE_WINDOW: usize = 2000;

/// The words after which a town's name is the place.
const PLACE_WORDS: [&str; 5] = ["in", "near", "outside", "around", "across"];

/// The clubs of each sport and the words that show a sport (see the module docs).
#[derive(Debug, Clone, Default)]
pub struct SportsClubs {
    /// Sport → town → club.
    clubs: FxHashMap<Box<str>, FxHashMap<Box<str>, Box<str>>>,
    /// Sport → its cue words.
    cues: FxHashMap<Box<str>, Vec<Box<str>>>,
    /// Every cue word, and the sport of each (pattern index → sport).
    automaton: Option<(AhoCorasick, Vec<Box<str>>)>,
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
            if let [sport, town, club] = parts[..]
                && !sport.is_empty()
                && !town.is_empty()
                && !club.is_empty()
            {
                self.clubs
                    .entry(sport.into())
                    .or_default()
                    .insert(town.into(), club.into());
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
        let mut sports = Vec::new();
        let mut words = Vec::new();
        let mut all: Vec<_> = self.cues.iter().collect();
        all.sort_unstable();
        for (sport, cues) in all {
            for w in cues {
                sports.push(sport.clone());
                words.push(w.to_string());
            }
        }
        self.automaton = AhoCorasick::new(&words).ok().map(|a| (a, sports));
    }

    /// True when no club is known.
    pub fn is_empty(&self) -> bool {
        self.clubs.is_empty()
    }

    /// The cue words found in `text` as whole words: (offset, sport, cue index), in text order.
    fn cues_in(&self, text: &str) -> Vec<(usize, &str, usize)> {
        let Some((automaton, sports)) = &self.automaton else {
            return Vec::new();
        };
        automaton
            .find_overlapping_iter(text)
            .filter(|m| whole_word(text, m.start(), m.end()))
            .map(|m| {
                (
                    m.start(),
                    &*sports[m.pattern().as_usize()],
                    m.pattern().as_usize(),
                )
            })
            .collect()
    }

    /// Turns the place mentions of `mentions` (spans into `text`) that name a club of a sport
    /// that the text around them is about into that club.
    pub(super) fn apply(&self, text: &str, mentions: &mut [Resolved], dictionary: &Dictionary) {
        if self.is_empty() {
            return;
        }
        let towns = |r: &Resolved| {
            &*r.mention.kind == "place"
                && self
                    .clubs
                    .values()
                    .any(|t| t.contains_key(&text[r.span.start..r.span.end]))
        };
        if !mentions.iter().any(towns) {
            return;
        }
        let cues = self.cues_in(text);
        if cues.is_empty() {
            return;
        }
        for r in mentions.iter_mut() {
            if !towns(r) {
                continue;
            }
            let surface = &text[r.span.start..r.span.end];
            if !surface.chars().any(char::is_lowercase)
                || after_place_word(text, r.span.start)
                || after_name(text, r.span.start)
            {
                continue;
            }
            let from = r.span.start.saturating_sub(CUE_WINDOW);
            let to = r.span.end + CUE_WINDOW;
            let first = cues.partition_point(|c| c.0 < from);
            let near: Vec<_> = cues[first..].iter().take_while(|c| c.0 < to).collect();
            let mut sports: Vec<&str> = near.iter().map(|c| c.1).collect();
            sports.sort_unstable();
            sports.dedup();
            let club = sports.iter().find_map(|sport| {
                let mut distinct: Vec<usize> =
                    near.iter().filter(|c| c.1 == *sport).map(|c| c.2).collect();
                distinct.sort_unstable();
                distinct.dedup();
                (distinct.len() >= MIN_CUES)
                    .then(|| self.clubs.get(*sport).and_then(|t| t.get(surface)))
                    .flatten()
            });
            let Some(club) = club else {
                continue;
            };
            let m = &mut r.mention;
            match dictionary
                .lookup(club)
                .filter(|e| &*e.kind == "organization")
            {
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

/// True when `text[start..end]` is a whole word (no letter or digit on either side).
fn whole_word(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
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
    use crate::recognize::DictionaryBuilder;
    use crate::resolve::tests::mention_at;

    fn place(text: &str, word: &str, from: usize) -> Resolved {
        mention_at(from + text[from..].find(word).unwrap(), word, "place")
    }

    fn kinds(text: &str, words: &[&str]) -> Vec<String> {
        let mut clubs = SportsClubs::new();
        clubs.add_clubs([
            "football|Liverpool|Liverpool F.C.",
            "football|Southampton|Southampton",
        ]);
        clubs.add_cues([
            "football|midfielder",
            "football|Premier League",
            "football|goal",
        ]);
        let mut b = DictionaryBuilder::new();
        b.add_entity(
            "organization",
            "Liverpool F.C.",
            &["Liverpool FC"],
            "organization.tsv:1",
        );
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
            kinds(
                text,
                &["LIVERPOOL", "Liverpool", "Southampton", "Liverpool"]
            ),
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
        let text =
            "The midfielder joined Real Southampton in the Premier League; he lives in Liverpool.";
        assert_eq!(
            kinds(text, &["Southampton", "Liverpool"]),
            ["place Southampton", "place Liverpool"]
        );
        // Cue words a long way off (another page of a long document) do not count.
        let text = format!(
            "The midfielder scored in the Premier League.{} Liverpool council met.",
            " Rain fell.".repeat(300)
        );
        assert_eq!(kinds(&text, &["Liverpool"]), ["place Liverpool"]);
    }
}
