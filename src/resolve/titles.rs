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
    let films: BTreeSet<&str> = mentions
        .iter()
        .filter(|r| &*r.mention.kind == "film")
        .map(|r| &*r.mention.entity)
        .collect();
    if films.len() < MIN_FILMS {
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
            format!("a title in a text that names {} films", films.len()),
            false,
        ));
        from = end;
    }
    out
}

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
        candidates(&full, &mentions, &names)
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
}
