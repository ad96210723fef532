//! Films whose titles are common words ("Sunday", "Big Fish", "Flesh and Bone"): a dictionary
//! would make every such word a film, so these titles are found only with evidence in the same
//! sentence — the film's year of release, or the surname of its director.
//!
//! The titles come from the rules file's `[lists]` entry `cued_film`, one film a line:
//! `title|year[,year...]|director[,director...]` (the shipped `film_cued.txt`). A title counts
//! where it stands as a name of its own: not right after or before another capitalized word
//! ("Big Fish Company"), and, when its only evidence is a year, not as the sentence's first word
//! (unless a comma follows it: "Cronos, his 1993 debut") nor right before the year ("November 2004" is a date); a month or day name needs its director.
//! A film cue next to a title ("the film Garfield") is the rules' job (`film-cue`).

use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};

use super::{Candidate, Input, Rank, Recognizer};
use crate::model::Span;

/// The most words a title of the list may have.
const MAX_WORDS: usize = 8;

const MONTHS_DAYS: [&str; 19] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// What the list knows of one title.
#[derive(Debug, Clone, Default)]
struct Film {
    years: Vec<u16>,
    /// The directors' surnames (their last words).
    directors: Vec<Box<str>>,
    /// A month or day name: a year is no evidence.
    calendar_word: bool,
}

/// The cued-film recognizer (see the module docs).
#[derive(Debug, Clone)]
pub struct CuedFilmRecognizer {
    films: FxHashMap<Box<str>, Film>,
    /// The first words of the titles: a quick test before the longer lookups.
    first_words: FxHashSet<Box<str>>,
    kind: Arc<str>,
    source: Arc<str>,
    origin: Arc<str>,
}

impl CuedFilmRecognizer {
    /// A recognizer for the `title|years|directors` lines of `entries`; `origin` names the list
    /// (for `--explain`). `None` when no line is usable.
    pub fn new<'a>(entries: impl IntoIterator<Item = &'a str>, origin: &str) -> Option<Self> {
        let mut films: FxHashMap<Box<str>, Film> = FxHashMap::default();
        let mut first_words = FxHashSet::default();
        for line in entries {
            let mut parts = line.split('|');
            let title = parts.next().unwrap_or("").trim();
            if title.is_empty() || title.split(' ').count() > MAX_WORDS {
                continue;
            }
            let years: Vec<u16> = parts
                .next()
                .unwrap_or("")
                .split(',')
                .filter_map(|y| y.trim().parse().ok())
                .collect();
            let directors: Vec<Box<str>> = parts
                .next()
                .unwrap_or("")
                .split(',')
                .filter_map(|d| d.split_whitespace().last())
                .map(Into::into)
                .collect();
            if years.is_empty() && directors.is_empty() {
                continue;
            }
            first_words.insert(title.split(' ').next().unwrap_or(title).into());
            let film = films.entry(title.into()).or_default();
            film.years.extend(years);
            film.directors.extend(directors);
            film.calendar_word = MONTHS_DAYS.contains(&title);
        }
        (!films.is_empty()).then(|| CuedFilmRecognizer {
            films,
            first_words,
            kind: "film".into(),
            source: "pattern:cued-film".into(),
            origin: origin.into(),
        })
    }

    /// The candidates of one sentence (`start` is its offset in the text).
    fn sentence(&self, sentence: &str, start: usize, out: &mut Vec<Candidate>) {
        let words = words(sentence);
        if words.is_empty() {
            return;
        }
        let years: Vec<(u16, usize)> = words
            .iter()
            .filter_map(|w| year(&sentence[w.start..w.end]).map(|y| (y, w.start)))
            .collect();
        for (i, w) in words.iter().enumerate() {
            let first = &sentence[w.start..w.end];
            if !self.first_words.contains(first) {
                continue;
            }
            // Part of a longer name ("Ed Big Fish"); a possessive before it is fine.
            let prev = i.checked_sub(1).map(|p| &words[p]);
            if prev.is_some_and(|p| p.end + 1 == w.start && capitalized(&sentence[p.start..p.end]))
            {
                continue;
            }
            // The longest title starting here whose words are consecutive in the text.
            for n in (1..=MAX_WORDS.min(words.len() - i)).rev() {
                let last = &words[i + n - 1];
                let span = Span::new(w.start, last.end);
                let title = &sentence[span.start..span.end];
                let Some(film) = self.films.get(title) else {
                    continue;
                };
                if !joined_by_spaces(title) {
                    continue;
                }
                let next = words.get(i + n);
                if next.is_some_and(|nx| {
                    nx.start == last.end + 1 && capitalized(&sentence[nx.start..nx.end])
                }) {
                    break;
                }
                if self.evidence(film, sentence, &words, &years, i, last.end) {
                    out.push(Candidate {
                        span: Span::new(start + span.start, start + span.end),
                        kind: self.kind.clone(),
                        entity: Some(title.into()),
                        id: None,
                        rank: Rank::Pattern,
                        priority: 0,
                        source: self.source.clone(),
                        origin: self.origin.clone(),
                        guard: false,
                        extends: false,
                    });
                }
                break;
            }
        }
    }

    /// True when the sentence holds the film's director's surname, or (not for a month or day
    /// name, nor a title opening the sentence unless a comma follows it) its year, not right after the title and a space
    /// ("November 2004"; "Garfield (2004)" counts).
    fn evidence(
        &self,
        film: &Film,
        sentence: &str,
        words: &[Span],
        years: &[(u16, usize)],
        index: usize,
        title_end: usize,
    ) -> bool {
        let director = film.directors.iter().any(|d| {
            words.iter().any(|w| {
                sentence[w.start..w.end] == **d
                    && (w.end <= words[index].start || w.start > title_end)
            })
        });
        if director {
            return true;
        }
        // A title opening the sentence counts with its year only before a comma, as the subject
        // of an appositive ("Cronos, his 1993 debut"; "Mimic, made in 1997").
        if film.calendar_word || index == 0 && !sentence[title_end..].starts_with(',') {
            return false;
        }
        years
            .iter()
            .any(|&(y, at)| film.years.contains(&y) && at != title_end + 1)
    }
}

/// The words of a sentence: runs of letters, digits, `'`, `-`, `.`, `&`, `:`, `!` and `,`
/// inside a word are kept as the text has them only when the title has them too, so a word is a
/// run of non-space characters with closing punctuation trimmed.
fn words(sentence: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut pos = 0;
    for token in sentence.split(' ') {
        let start = pos;
        pos += token.len() + 1;
        let trimmed_start = token.trim_start_matches(['"', '(', '\'', '[']);
        let lead = token.len() - trimmed_start.len();
        let trimmed =
            trimmed_start.trim_end_matches(['"', ')', ',', ';', '.', '?', '!', ':', ']', '\'']);
        let trimmed = trimmed.strip_suffix("'s").unwrap_or(trimmed);
        if !trimmed.is_empty() {
            out.push(Span::new(start + lead, start + lead + trimmed.len()));
        }
    }
    out
}

fn capitalized(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

fn joined_by_spaces(title: &str) -> bool {
    !title.contains("  ")
}

fn year(word: &str) -> Option<u16> {
    (word.len() == 4 && (word.starts_with("19") || word.starts_with("20")))
        .then(|| word.parse().ok())
        .flatten()
}

/// The sentences of a text: its lines, cut after `.`, `!` or `?` followed by a space.
fn sentences(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut out = Vec::new();
    let mut line_start = 0;
    for line in text.split('\n') {
        let mut start = 0;
        let bytes = line.as_bytes();
        for i in 0..bytes.len().saturating_sub(1) {
            if matches!(bytes[i], b'.' | b'!' | b'?') && bytes[i + 1] == b' ' {
                out.push((line_start + start, &line[start..=i]));
                start = i + 2;
            }
        }
        if start < line.len() {
            out.push((line_start + start, &line[start..]));
        }
        line_start += line.len() + 1;
    }
    out.into_iter()
}

impl Recognizer for CuedFilmRecognizer {
    fn name(&self) -> &str {
        "cued-film"
    }

    fn recognize(&self, input: Input<'_>, out: &mut Vec<Candidate>) {
        for (start, sentence) in sentences(input.text) {
            self.sentence(sentence, start, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<String> {
        let r = CuedFilmRecognizer::new(
            [
                "Big Fish|2003|Tim Burton",
                "Sunday|1997|Jonathan Nossiter",
                "Garfield|2004|Peter Hewitt",
                "Flesh and Bone|1993|",
                "November|2004|Greg Harrison",
            ],
            "film_cued.txt",
        )
        .unwrap();
        let mut out = Vec::new();
        r.recognize(Input::new(text, &[]), &mut out);
        out.iter()
            .map(|c| text[c.span.start..c.span.end].to_string())
            .collect()
    }

    #[test]
    fn a_title_needs_its_year_or_director_in_the_sentence() {
        assert_eq!(
            found("Tim Burton made Big Fish with Ewan McGregor."),
            ["Big Fish"]
        );
        assert_eq!(found("In 2003, he shot Big Fish in Alabama."), ["Big Fish"]);
        assert_eq!(found("He caught a Big Fish in 2004."), Vec::<String>::new());
        assert_eq!(
            found("He shot Big Fish. It was 2003."),
            Vec::<String>::new()
        );
        assert_eq!(
            found("The Big Fish Company opened in 2003."),
            Vec::<String>::new()
        );
        assert_eq!(found("It rained on Sunday in 1997."), Vec::<String>::new());
        assert_eq!(found("Nossiter's Sunday won at Sundance."), ["Sunday"]);
        assert_eq!(
            found("We met in November 2004, Greg said."),
            Vec::<String>::new()
        );
        assert_eq!(found("Garfield 2004 was a hit."), Vec::<String>::new());
        assert_eq!(
            found("She loved Garfield 2004 merchandise."),
            Vec::<String>::new()
        );
        assert_eq!(found("She loved Garfield (2004) as a child."), ["Garfield"]);
        assert_eq!(
            found("The 1993 drama Flesh and Bone starred Dennis Quaid."),
            ["Flesh and Bone"]
        );
        // Opening the sentence, a title counts with its year only as the subject of an
        // appositive.
        assert_eq!(
            found("Flesh and Bone, 1993, starred Dennis Quaid."),
            ["Flesh and Bone"]
        );
        assert_eq!(
            found("Flesh and Bone starred Dennis Quaid in 1993."),
            Vec::<String>::new()
        );
    }

    #[test]
    fn spans_point_into_the_whole_text() {
        let text = "First line.\nIn 2004, \"Garfield\" opened.";
        let r = CuedFilmRecognizer::new(["Garfield|2004|"], "f").unwrap();
        let mut out = Vec::new();
        r.recognize(Input::new(text, &[]), &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(&text[out[0].span.start..out[0].span.end], "Garfield");
        assert_eq!(out[0].entity.as_deref(), Some("Garfield"));
    }
}
