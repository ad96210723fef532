//! Titles in a text about films: where a chunk names at least [`MIN_FILMS`] films, a run that
//! opens with a capitalized article in mid-sentence ("starred in The Brutalist", "with A Real
//! Pain") names a film. News style writes "the" and "a" in lower case inside a sentence, except
//! inside a name; in a text about films such names are mostly titles (in a text about paintings
//! or books they are not, which is why the step needs the films around it).
//!
//! The run: the article, then capitalized words, numbers and the small words of titles between
//! them ("The Old Man & the Gun"), a colon before a capitalized word ("The Fantastic Four: First
//! Steps"), at most [`MAX_WORDS`] words; a possessive ends it. The article must follow a
//! lower-case letter or a comma and a space (so not a sentence, a quotation or a headline's
//! first word), the word after it must be no never-name ("The Hague" is a place of the
//! dictionary and never gets here; "The British" is no title), and the run must overlap no
//! mention.
//!
//! Plain names: in such a chunk, two capitalized words or more after a lower-case word or a
//! comma ("through Dead Man and Broken Flowers") are a name when their sentence names a film or
//! has a film word ([`FILM_WORDS`]), and their words pass [`plain_words`]; two name words whose
//! last is no common word are a person ("the fighter Mark Kerr"), any other run a film.

use std::collections::BTreeSet;

use super::words::{NameWords, in_headline};
use super::{Resolved, found_candidate, overlaps_any};
use crate::model::Span;
use crate::recognize::Candidate;

/// The source of the mentions this step makes.
pub(super) const SOURCE: &str = "film-context";

/// The fewest distinct films a chunk must name for the step to run.
pub(super) const MIN_FILMS: usize = 4;

/// The most words of a title, the article included.
const MAX_WORDS: usize = 8;

/// Articles that open a title in mid-sentence.
const ARTICLES: &[&str] = &["The ", "A ", "An "];

/// Small words inside a title ("Barefoot in the Park", "The Sun Rises on Us All"); "and" too
/// where it joins no list ([`title_run`]'s `and_inside`).
pub(super) const TITLE_SMALL: &[&str] = &[
    "of", "the", "a", "an", "in", "on", "at", "to", "with", "from", "for", "by", "&",
];

/// Candidates for the titles of `text` (see the module docs), in text order.
pub(super) fn candidates(text: &str, mentions: &[Resolved], names: &NameWords) -> Vec<Candidate> {
    let films = films_named(mentions);
    if films < MIN_FILMS {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find(|c: char| matches!(c, 'T' | 'A')) {
        let at = from + i;
        from = at + 1;
        let Some(article) = ARTICLES.iter().find(|a| text[at..].starts_with(**a)) else {
            continue;
        };
        if !mid_sentence(text, at) || in_headline(text, at) {
            continue;
        }
        let Some(end) = run_end(text, at + article.len(), names) else {
            continue;
        };
        let span = Span::new(at, end);
        if overlaps_any(mentions, span) {
            continue;
        }
        out.push(found_candidate(
            span,
            "film".into(),
            SOURCE,
            format!("a title in a text that names {films} films"),
            false,
        ));
        from = end;
    }
    out
}

/// The number of distinct films `mentions` name.
fn films_named(mentions: &[Resolved]) -> usize {
    mentions
        .iter()
        .filter(|r| &*r.mention.kind == "film")
        .map(|r| &*r.mention.entity)
        .collect::<BTreeSet<&str>>()
        .len()
}

/// Candidates for the plain names of a text about films (see the module docs), in text order:
/// runs of two capitalized words or more in mid-sentence, in a sentence that names a film or
/// speaks of films. A step of its own, after the names listed with a name, which type a listed
/// run by its neighbour.
pub(super) fn plain_candidates(
    text: &str,
    mentions: &[Resolved],
    names: &NameWords,
) -> Vec<Candidate> {
    let films = films_named(mentions);
    if films < MIN_FILMS {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find(char::is_uppercase) {
        let at = from + i;
        from = at + text[at..].chars().next().map_or(1, char::len_utf8);
        if !after_lower_word(text, at) || in_headline(text, at) {
            continue;
        }
        let Some(run) = title_run(text, at, MAX_WORDS, false) else {
            continue;
        };
        from = from.max(run.end);
        let words: Vec<&str> = text[at..run.end].split(' ').collect();
        let caps: Vec<&str> = words
            .iter()
            .copied()
            .filter(|w| w.starts_with(char::is_uppercase))
            .collect();
        if caps.len() < 2 || run.too_long || !plain_words(&words, &caps, names) {
            continue;
        }
        let span = Span::new(at, run.end);
        if overlaps_any(mentions, span) || !about_films(text, span, mentions) {
            continue;
        }
        let person = person_like(&words, names);
        out.push(found_candidate(
            span,
            if person { "person" } else { "film" }.into(),
            SOURCE,
            format!(
                "{} in a sentence about films, in a text that names {films} films",
                if person { "a name" } else { "a title" }
            ),
            false,
        ));
    }
    out
}

/// True when byte `at` follows a comma, or a word that starts in lower case and is no small word
/// of a title after a capitalized one, and one space (so no run starts inside a longer one: "a
/// Broadcast Journalism Masters graduate", "The Sun Rises on Us All").
fn after_lower_word(text: &str, at: usize) -> bool {
    text[..at].strip_suffix(' ').is_some_and(|before| {
        let mut words = before.rsplit(' ');
        let last = words.next().unwrap_or("");
        before.ends_with(',')
            || last.starts_with(char::is_lowercase)
                // Not inside a title: "The Sun Rises on Us All".
                && !(TITLE_SMALL.contains(&last)
                    && words.next().is_some_and(|w| w.starts_with(char::is_uppercase)))
    })
}

/// True when a plain run's words may be a name: no article first (those are the titles above),
/// no given name first (the rules' people), no never-name ("British", "Monday"), no head noun
/// ("Festival", "Park"), no number ("Apollo 8"), no abbreviation first ("USS"), no "to" or
/// "from" inside ("from Cronos to Pinocchio") and no day or year last ("Labor Day", "New Year").
fn plain_words(words: &[&str], caps: &[&str], names: &NameWords) -> bool {
    let first = caps[0];
    !ARTICLES.iter().any(|a| a.trim_end() == first)
        && !names.is_given(first)
        && !(first.len() > 1 && first.chars().all(char::is_uppercase))
        && !caps.iter().any(|w| {
            let w = w.trim_end_matches('.');
            names.is_never(w) || names.is_head(w) || names.is_place_head(w)
        })
        && !words
            .iter()
            .any(|w| matches!(*w, "to" | "from") || w.chars().any(|c| c.is_ascii_digit()))
        && !caps.last().is_some_and(|w| LAST_NEVER.contains(w))
}

/// Last words of runs that are dates, not names.
const LAST_NEVER: &[&str] = &["Day", "Days", "Year", "Eve", "Night", "Week"];

/// Words that show a sentence speaks of films.
const FILM_WORDS: &[&str] = &[
    "film",
    "movie",
    "director",
    "directed",
    "starred",
    "starring",
    "box office",
    "sequel",
    "premiere",
    "documentary",
    "animated",
    "comedy",
    "drama",
    "thriller",
    "horror",
    "remake",
    "franchise",
    "screenplay",
    "cinematograph",
    "picture",
    "Oscar",
    "BAFTA",
    "Golden Lion",
    "Palme",
];

/// True when the sentence around `span` names a film or has one of [`FILM_WORDS`].
fn about_films(text: &str, span: Span, mentions: &[Resolved]) -> bool {
    let start = text[..span.start]
        .rfind(['.', '!', '?', '\n'])
        .map_or(0, |i| i + 1);
    let end = text[span.end..]
        .find(['.', '!', '?', '\n'])
        .map_or(text.len(), |i| span.end + i);
    let first = mentions.partition_point(|r| r.span.start < start);
    mentions[first..]
        .iter()
        .take_while(|r| r.span.start < end)
        .any(|r| &*r.mention.kind == "film" && r.span.end <= end)
        || FILM_WORDS.iter().any(|w| text[start..end].contains(w))
}

/// True when a plain run reads as a person's name: two capitalized words with lower-case letters,
/// the last no common word ("Mayim Bialik", "Mark Kerr"; not "Crimson Peak", "Dead Man"), the first
/// no article of another language ("El Deseo").
fn person_like(words: &[&str], names: &NameWords) -> bool {
    let [first, last] = words else {
        return false;
    };
    [first, last]
        .iter()
        .all(|w| w.chars().skip(1).any(char::is_lowercase))
        && !names.is_common(last)
        && !FOREIGN_ARTICLES.contains(first)
}

/// Articles of other languages that open names ("El Deseo", "La Biennale").
const FOREIGN_ARTICLES: &[&str] = &[
    "El", "La", "Le", "Les", "Los", "Las", "Il", "Der", "Die", "Das",
];

/// True when byte `at` follows a lower-case letter, or a comma, and one space.
fn mid_sentence(text: &str, at: usize) -> bool {
    text[..at].strip_suffix(' ').is_some_and(|before| {
        before
            .chars()
            .next_back()
            .is_some_and(|c| c.is_lowercase() || c == ',')
    })
}

/// The end of the title whose words start at byte `start` (after the article), when it has a
/// capitalized first word that is no never-name.
fn run_end(text: &str, start: usize, names: &NameWords) -> Option<usize> {
    let first = text[start..]
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '.' | ';' | ':' | '!' | '?'))
        .next()
        .unwrap_or("");
    if names.is_never(first.strip_suffix("'s").unwrap_or(first)) {
        return None;
    }
    title_run(text, start, MAX_WORDS - 1, true).map(|run| run.end)
}

/// A run of a title's words (see [`title_run`]).
pub(super) struct TitleRun {
    /// The end of its last capitalized word or number (a possessive's stem included).
    pub end: usize,
    /// It ends in a possessive ("The Naked Gun's").
    pub possessive: bool,
    /// More title words follow its `max_words`.
    pub too_long: bool,
}

/// The words of a title from byte `start` of `text`: a capitalized first word, then capitalized
/// words, numbers right after one ("Blade Runner 2049") and the small words of titles between
/// them ("Barefoot in the Park"), a colon before a capitalized word ("Dune: Part Two"), at most
/// `max_words` words ("and" among the small words when `and_inside`); punctuation or a possessive ends it, and small words after the last
/// capitalized one are no part of it ("Arrival in 2016"). `None` when the first word is not
/// capitalized.
pub(super) fn title_run(
    text: &str,
    start: usize,
    max_words: usize,
    and_inside: bool,
) -> Option<TitleRun> {
    let (mut pos, mut count, mut end) = (start, 0, None);
    let mut run = TitleRun {
        end: start,
        possessive: false,
        too_long: false,
    };
    loop {
        let seg_end = text[pos..]
            .find(char::is_whitespace)
            .map_or(text.len(), |i| pos + i);
        let raw = &text[pos..seg_end];
        let w = raw.trim_end_matches([',', '.', ';', ':', '!', '?', ')', '"']);
        let stem = w.strip_suffix("'s").unwrap_or(w);
        let capitalized = stem.starts_with(char::is_uppercase)
            && stem
                .chars()
                .all(|c| c.is_alphanumeric() || "&.'-".contains(c))
            && !stem.ends_with('\'');
        let number = !stem.is_empty()
            && stem.chars().all(|c| c.is_ascii_digit())
            && end == Some(pos.saturating_sub(1));
        let small = end.is_some() && (TITLE_SMALL.contains(&w) || and_inside && w == "and");
        if !(capitalized || number || small) {
            break;
        }
        if count == max_words {
            run.too_long = true;
            break;
        }
        count += 1;
        if !small {
            end = Some(pos + stem.len());
        }
        if stem.len() < w.len() {
            run.possessive = true;
            break;
        }
        let colon = &raw[w.len()..] == ":"
            && text[seg_end..]
                .strip_prefix(' ')
                .is_some_and(|n| n.starts_with(char::is_uppercase));
        if !colon && (w.len() < raw.len() || !text[seg_end..].starts_with(' ')) {
            break;
        }
        pos = seg_end + 1;
    }
    run.end = end?;
    Some(run)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::tests::mention_at;

    /// The titles found in `text`, with four films named at the end of it.
    fn titles(text: &str) -> Vec<String> {
        let films = "\n\nIt followed the films Dune, Heat, Alien and Jaws at the box office.";
        let full = format!("{text}{films}");
        let mut mentions = Vec::new();
        for f in ["Dune", "Heat", "Alien", "Jaws"] {
            let at = text.len() + films.find(f).unwrap();
            mentions.push(mention_at(at, f, "film"));
        }
        let mut names = NameWords::new();
        names.add_never(["British"]);
        let mut found = candidates(&full, &mentions, &names);
        found.extend(plain_candidates(&full, &mentions, &names));
        found.sort_by_key(|c| c.span.start);
        found
            .into_iter()
            .map(|c| full[c.span.start..c.span.end].to_string())
            .collect()
    }

    #[test]
    fn titles_open_with_a_capitalized_article_in_mid_sentence() {
        assert_eq!(
            titles(
                "She starred in The Brutalist, then in A Real Pain and later in The Old Man & the \
                 Gun, which was her last film this year."
            ),
            ["The Brutalist", "A Real Pain", "The Old Man & the Gun"]
        );
        assert_eq!(
            titles("and this summer Marvel has The Fantastic Four: First Steps in cinemas."),
            ["The Fantastic Four: First Steps"]
        );
        // A possessive ends the title.
        assert_eq!(
            titles("the success of the remake of The Naked Gun's first film was a surprise"),
            ["The Naked Gun"]
        );
    }

    #[test]
    fn titles_need_mid_sentence_a_name_and_films_around() {
        // Sentence starts, quotations, lower-case words and never-names open no title.
        assert!(
            titles("The Brutalist won the prize, and \"The Outrun\" did not win anything.")
                .is_empty()
        );
        assert!(titles("he saw the film and then The British press was told of it").is_empty());
        assert!(titles("he saw The end of it and was glad that it was over").is_empty());
        // Fewer than four films: no title.
        let mut names = NameWords::new();
        names.add_never(["British"]);
        let text = "She starred in The Brutalist and in the film Dune, which was a hit this year.";
        let m = vec![mention_at(text.find("Dune").unwrap(), "Dune", "film")];
        assert!(candidates(text, &m, &names).is_empty());
    }
    #[test]
    fn plain_names_in_sentences_about_films() {
        // Titles with no article, in a sentence with a film word.
        assert_eq!(
            titles(
                "his career as a director runs through Dead Man and Broken Flowers, then Crimson Peak in the cinemas."
            ),
            ["Dead Man", "Broken Flowers", "Crimson Peak"]
        );
        // Two name words, the last no common word: a person.
        let mut names = NameWords::new();
        names.add_common(["peak", "man"]);
        let text = "the film has Dwayne Johnson as the fighter Mark Kerr, and then Crimson Peak.\n\n\
                    It followed the films Dune, Heat, Alien and Jaws at the box office.";
        let mentions: Vec<Resolved> = ["Dune", "Heat", "Alien", "Jaws"]
            .iter()
            .map(|f| mention_at(text.rfind(f).unwrap(), f, "film"))
            .collect();
        let found: Vec<(String, String)> = plain_candidates(text, &mentions, &names)
            .into_iter()
            .map(|c| {
                (
                    text[c.span.start..c.span.end].to_string(),
                    c.kind.to_string(),
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                ("Dwayne Johnson".to_string(), "person".to_string()),
                ("Mark Kerr".to_string(), "person".to_string()),
                ("Crimson Peak".to_string(), "film".to_string())
            ]
        );
    }

    #[test]
    fn plain_names_need_films_in_the_sentence_and_name_words() {
        // No film word nor film in the sentence.
        assert!(
            titles("the team went to Mission Control and then to the Lunar Module.").is_empty()
        );
        // Dates, numbers, abbreviations, "to" and one word are no plain names.
        assert_eq!(
            titles(
                "the film opened on Labor Day and Apollo 8 Mission was shot on USS Enterprise, \
                 from Cronos to Pinocchio, a film career in Jaws."
            ),
            Vec::<String>::new()
        );
    }
}
