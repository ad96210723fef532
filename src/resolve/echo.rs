//! Names whose last word stands alone elsewhere: news names a person in full once ("Jasprit
//! Bumrah") and by the surname after that ("Bumrah took five wickets"). A run of two or three
//! capitalized name words that no recognizer found is a person when its last word also stands
//! alone in the text, capitalized, away from the run.
//!
//! The run must be whole (no capitalized word right before or after it, no punctuation inside), on
//! a line that is no headline ("Mamdani Stuns Cuomo in Primary"),
//! credible as a person's name ([`NameWords::credible`]: no head noun, title, demonym, language,
//! day or month, function word; no common word unless a given name first or a surname after it),
//! its first word no adjective of a people or a doctrine ("Proudhonian Anarchism"), its words not
//! repeated, and its last word no plural ("Sydney Swans", "Al-Aqsa Brigades"). The lone word must not follow
//! "the" or "a" ("the Jirga"), nor be part of another run of capitalized words or of a mention.
//! The partial-name step then resolves the lone word to the full name.

use rustc_hash::FxHashMap;

use super::coordination::adjectival;
use super::words::NameWords;
use super::{Resolved, overlaps_any};
use crate::model::Span;
use crate::recognize::pattern::is_headline;
use crate::recognize::{Candidate, Rank};

/// The source of mentions found this way.
pub(super) const SOURCE: &str = "echo";

/// A word of the text: its span (without the punctuation around it) and whether punctuation
/// stood before or after it.
#[derive(Debug, Clone, Copy)]
struct Word {
    span: Span,
    open: bool,
    close: bool,
}

/// Punctuation that can stand around a word.
fn punct(c: char) -> bool {
    !c.is_alphanumeric() && c != '-' && c != '\''
}

/// The words of `text`, split at whitespace, with the punctuation around each trimmed.
fn words(text: &str) -> Vec<Word> {
    let mut out: Vec<Word> = Vec::new();
    let mut pos = 0;
    // A token of punctuation alone ("&", "-") parts the words around it.
    let mut parted = false;
    for raw in text.split_inclusive(char::is_whitespace) {
        let start = pos;
        pos += raw.len();
        let token = raw.trim_end_matches(char::is_whitespace);
        let lead = token.len() - token.trim_start_matches(punct).len();
        let inner = token.trim_start_matches(punct);
        let mut core = inner.trim_end_matches(punct);
        // A possessive is the word's ("Bumrah's").
        if let Some(stem) = core.strip_suffix("'s") {
            core = stem;
        }
        let core = core.trim_end_matches(['\'', '-']);
        if core.is_empty() {
            if !token.is_empty() {
                parted = true;
                if let Some(last) = out.last_mut() {
                    last.close = true;
                }
            }
            continue;
        }
        let s = start + lead;
        out.push(Word {
            span: Span::new(s, s + core.len()),
            open: lead > 0 || parted,
            close: core.len() < inner.len() || raw.ends_with('\n'),
        });
        parted = false;
    }
    out
}

/// A capitalized word of letters with at least one lowercase letter, inner hyphens or
/// apostrophes allowed ("Alexander-Arnold", "O'Brien", "McQuarrie").
fn name_word(w: &str) -> bool {
    let mut chars = w.chars();
    chars.next().is_some_and(char::is_uppercase)
        && w.chars()
            .all(|c| c.is_alphabetic() || c == '-' || c == '\'')
        && w.chars().any(char::is_lowercase)
        && w.split('-').all(|part| part.chars().count() > 1)
}

/// Candidates for the runs whose last word echoes alone (spans into `text`, in text order), none
/// overlapping a mention.
pub(super) fn candidates(text: &str, mentions: &[Resolved], names: &NameWords) -> Vec<Candidate> {
    let words = words(text);
    let covered = |span: Span| overlaps_any(mentions, span);
    let word = |i: usize| &text[words[i].span.start..words[i].span.end];
    let capital = |i: usize| word(i).starts_with(char::is_uppercase);
    // Lone capitalized words: no capitalized word joined to them, not after "the" or "a".
    let mut lone: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    for i in 0..words.len() {
        if !name_word(word(i)) || covered(words[i].span) {
            continue;
        }
        let joined_before = i > 0 && !words[i].open && !words[i - 1].close && capital(i - 1);
        let joined_after =
            !words[i].close && i + 1 < words.len() && !words[i + 1].open && capital(i + 1);
        let after_article = i > 0
            && !words[i].open
            && matches!(word(i - 1), "the" | "The" | "a" | "A" | "an" | "An");
        if !joined_before && !joined_after && !after_article {
            lone.entry(word(i)).or_default().push(words[i].span.start);
        }
    }
    if lone.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        // A whole run of name words starts at i.
        let starts_run = name_word(word(i))
            && (i == 0 || words[i].open || words[i - 1].close || !capital(i - 1));
        if !starts_run {
            i += 1;
            continue;
        }
        let mut j = i;
        while !words[j].close && j + 1 < words.len() && !words[j + 1].open && name_word(word(j + 1))
        {
            j += 1;
        }
        let whole = words[j].close || j + 1 >= words.len() || !capital(j + 1);
        let len = j - i + 1;
        if whole && (2..=3).contains(&len) {
            let span = Span::new(words[i].span.start, words[j].span.end);
            let run: Vec<&str> = (i..=j).map(word).collect();
            let last = run[len - 1];
            let plural = last.ends_with('s') && !names.is_surname(last);
            let line_start = text[..span.start].rfind('\n').map_or(0, |k| k + 1);
            let line_end = text[span.end..]
                .find('\n')
                .map_or(text.len(), |k| span.end + k);
            let repeated = run.iter().enumerate().any(|(k, w)| run[..k].contains(w));
            let first = run[0];
            if !plural
                && !repeated
                && !(adjectival(first) && !names.is_given(first))
                && last.chars().count() >= 3
                && !is_headline(&text[line_start..line_end])
                && !covered(span)
                && !run.iter().any(|w| names.is_never(w))
                && names.credible(&run)
                && lone
                    .get(last)
                    .is_some_and(|at| at.iter().any(|&a| a < span.start || a >= span.end))
            {
                out.push(Candidate {
                    span,
                    kind: "person".into(),
                    entity: None,
                    id: None,
                    rank: Rank::Pattern,
                    priority: 0,
                    source: SOURCE.into(),
                    origin: format!("'{last}' stands alone in the text too").into(),
                    guard: false,
                    extends: false,
                });
            }
        }
        i = j + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words() -> NameWords {
        let mut w = NameWords::new();
        w.add_common(["gem", "archer", "park"]);
        w.add_surnames(["Archer"]);
        w.add_never(["Park", "The", "Valley"]);
        w
    }

    fn found(text: &str) -> Vec<String> {
        candidates(text, &[], &words())
            .into_iter()
            .map(|c| text[c.span.start..c.span.end].to_string())
            .collect()
    }

    #[test]
    fn echo_finds_a_name_whose_surname_stands_alone() {
        assert_eq!(
            found("He batted with Jasprit Bumrah for hours. Bumrah took five wickets."),
            ["Jasprit Bumrah"]
        );
        assert_eq!(
            found(
                "Jofra Archer, playing his first Test, bowled fast. Later, Archer's spell ended it."
            ),
            ["Jofra Archer"]
        );
    }

    #[test]
    fn echo_takes_no_plural_place_or_word_inside_a_longer_name() {
        // No lone echo.
        assert!(found("Jasprit Bumrah took five wickets.").is_empty());
        // The echo is part of another run of capitalized words.
        assert!(found("Jasprit Bumrah bowled. The Bumrah Trophy went to him.").is_empty());
        // After "the".
        assert!(found("The Loya Jirga met. Later the Jirga voted.").is_empty());
        // A plural.
        assert!(found("The Sydney Swans won. Swans fans sang.").is_empty());
        // A never-name.
        assert!(found("at Heaton Park on Sunday. Park gates opened.").is_empty());
        // Parted by an ampersand: no run of two.
        assert!(found("run by Luna & Campbell today. Campbell said so.").is_empty());
        // An adjective first.
        assert!(found("on Proudhonian Anarchism in 1900. Anarchism grew.").is_empty());
        // A headline.
        assert!(
            found("Mamdani Stuns Cuomo in New York Primary\n\nhe said. Cuomo conceded.").is_empty()
        );
        // Common words only ("Gem Archer": gem is common and no given name).
        assert!(found("Gem Archer played. Archer smiled.").is_empty());
    }
}
