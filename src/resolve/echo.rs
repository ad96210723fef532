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

use super::words::{NameWords, adjectival, in_headline, name_word};
use super::{Resolved, found_candidate, overlaps_any};
use crate::model::Span;
use crate::recognize::Candidate;

/// The source of mentions found this way.
pub(super) const SOURCE: &str = "echo";

/// A capitalized word of the text: its span (without the punctuation around it and a possessive
/// "'s"), whether it is joined to the capitalized word before it (nothing but a space between),
/// whether punctuation follows it, and whether it follows "the" or "a".
#[derive(Debug, Clone, Copy)]
struct Cap {
    span: Span,
    joined: bool,
    close: bool,
    after_article: bool,
}

/// Punctuation that can stand around a word.
fn punct(c: char) -> bool {
    !c.is_alphanumeric() && c != '-' && c != '\''
}

/// The capitalized words of `text` (split at spaces and line ends, as normalized text has them;
/// the punctuation around each trimmed). A byte scan that skips lower-case words at once; the
/// test `echo_capitalized_words_as_the_reference_finds_them` holds it to a word-by-word reference.
fn capitalized(text: &str) -> Vec<Cap> {
    let mut out: Vec<Cap> = Vec::new();
    // The token before was a capitalized word with no punctuation after it.
    let mut chain = false;
    // The token before was "the" or "a", with no punctuation after it.
    let mut article = false;
    // A token of punctuation alone ("&", "-") parts the words around it.
    let mut parted = false;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        while i < bytes.len() && matches!(bytes[i], b' ' | b'\n') {
            i += 1;
        }
        let start = i;
        i = memchr::memchr2(b' ', b'\n', &bytes[start..]).map_or(bytes.len(), |k| start + k);
        if start == i {
            break;
        }
        let token = &text[start..i];
        let newline = bytes.get(i) == Some(&b'\n');
        // Most words are lower case: they break a chain and are "the" or "a" or not.
        if bytes[start].is_ascii_lowercase() {
            chain = false;
            parted = false;
            article = matches!(token, "the" | "a" | "an");
            continue;
        }
        let inner = token.trim_start_matches(punct);
        let lead = token.len() - inner.len();
        let mut core = inner.trim_end_matches(punct);
        if let Some(stem) = core.strip_suffix("'s") {
            core = stem;
        }
        let core = core.trim_end_matches(['\'', '-']);
        if core.is_empty() {
            parted = true;
            if chain && let Some(last) = out.last_mut() {
                last.close = true;
            }
            chain = false;
            article = false;
            continue;
        }
        let open = lead > 0 || parted;
        parted = false;
        let close = core.len() < inner.len() || newline;
        if core.starts_with(char::is_uppercase) {
            let s = start + lead;
            out.push(Cap {
                span: Span::new(s, s + core.len()),
                joined: chain && !open,
                close,
                after_article: article && !open,
            });
            chain = !close;
        } else {
            chain = false;
        }
        article = !close && matches!(core, "the" | "The" | "a" | "A" | "an" | "An");
    }
    out
}

/// Candidates for the runs whose last word echoes alone (spans into `text`, in text order), none
/// overlapping a mention.
pub(super) fn candidates(text: &str, mentions: &[Resolved], names: &NameWords) -> Vec<Candidate> {
    let caps = capitalized(text);
    let word = |c: &Cap| &text[c.span.start..c.span.end];
    // Runs: maximal chains of joined capitalized words.
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < caps.len() {
        let mut j = i;
        while j + 1 < caps.len() && caps[j + 1].joined {
            j += 1;
        }
        runs.push((i, j));
        i = j + 1;
    }
    // The runs that could be names, and the last words they need to see alone.
    let mut wanted: Vec<(usize, usize)> = Vec::new();
    let mut lasts: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    for &(i, j) in &runs {
        let len = j - i + 1;
        if !(2..=3).contains(&len) {
            continue;
        }
        let run: Vec<&str> = caps[i..=j].iter().map(word).collect();
        let last = run[len - 1];
        let first = run[0];
        let span = Span::new(caps[i].span.start, caps[j].span.end);
        let plural = last.ends_with('s') && !names.is_surname(last);
        let repeated = run.iter().enumerate().any(|(k, w)| run[..k].contains(w));
        let ok = run.iter().all(|w| name_word(w))
            && last.chars().count() >= 3
            && !plural
            && !repeated
            && (names.is_given(first) || !adjectival(first))
            && names.credible(&run)
            && !overlaps_any(mentions, span);
        if ok {
            wanted.push((i, j));
            lasts.entry(last).or_default();
        }
    }
    if wanted.is_empty() {
        return Vec::new();
    }
    // Where those words stand alone: a run of one, not after "the" or "a", in no mention.
    for &(i, j) in &runs {
        if i == j
            && !caps[i].after_article
            && let Some(at) = lasts.get_mut(word(&caps[i]))
            && !overlaps_any(mentions, caps[i].span)
        {
            at.push(caps[i].span.start);
        }
    }
    let mut out = Vec::new();
    for (i, j) in wanted {
        let span = Span::new(caps[i].span.start, caps[j].span.end);
        let last = word(&caps[j]);
        if lasts[last].is_empty() {
            continue;
        }
        if in_headline(text, span.start) {
            continue;
        }
        out.push(found_candidate(
            span,
            "person".into(),
            SOURCE,
            format!("'{last}' stands alone in the text too"),
            false,
        ));
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

    /// The reference for [`capitalized`]: every word, split at spaces and line ends, classified
    /// one character at a time.
    fn capitalized_naive(text: &str) -> Vec<(Span, bool, bool, bool)> {
        struct W {
            span: Span,
            open: bool,
            close: bool,
            upper: bool,
            article: bool,
        }
        let mut words: Vec<W> = Vec::new();
        let mut pos = 0;
        let mut parted = false;
        for raw in text.split_inclusive([' ', '\n']) {
            let start = pos;
            pos += raw.len();
            let token = raw.trim_end_matches([' ', '\n']);
            let inner = token.trim_start_matches(punct);
            let lead = token.len() - inner.len();
            let mut core = inner.trim_end_matches(punct);
            if let Some(stem) = core.strip_suffix("'s") {
                core = stem;
            }
            let core = core.trim_end_matches(['\'', '-']);
            if core.is_empty() {
                if !token.is_empty() {
                    parted = true;
                    if let Some(last) = words.last_mut() {
                        last.close = true;
                    }
                }
                continue;
            }
            let close = core.len() < inner.len() || raw.ends_with('\n');
            words.push(W {
                span: Span::new(start + lead, start + lead + core.len()),
                open: lead > 0 || parted,
                close,
                upper: core.starts_with(char::is_uppercase),
                article: !close && matches!(core, "the" | "The" | "a" | "A" | "an" | "An"),
            });
            parted = false;
        }
        let mut out = Vec::new();
        for (i, w) in words.iter().enumerate() {
            if !w.upper {
                continue;
            }
            let prev = i.checked_sub(1).map(|k| &words[k]);
            let joined = !w.open && prev.is_some_and(|p| p.upper && !p.close);
            let after_article = !w.open && prev.is_some_and(|p| p.article);
            out.push((w.span, joined, w.close, after_article));
        }
        out
    }

    #[test]
    fn echo_capitalized_words_as_the_reference_finds_them() {
        let mut texts: Vec<String> = [
            "Jasprit Bumrah and Siraj. Bumrah's spell, \"Root\" & Stokes - the Lord's crowd.",
            "the Jirga met; a Loya Jirga (Kabul) voted.\nMr. Smith-Jones O'Brien - -- 'Quote' An Apple",
            "  leading spaces\n\nTwo Lines\nend A",
        ]
        .iter()
        .map(|t| t.to_string())
        .collect();
        for dir in ["seeds", "tests/fixtures/validation-3/docs"] {
            let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
            let mut files: Vec<_> = std::fs::read_dir(root)
                .unwrap()
                .flatten()
                .map(|e| e.path())
                .collect();
            files.sort();
            texts.extend(
                files.iter().map(|f| {
                    crate::normalize::normalize(&std::fs::read_to_string(f).unwrap()).text
                }),
            );
        }
        for text in &texts {
            let fast: Vec<_> = capitalized(text)
                .into_iter()
                .map(|c| (c.span, c.joined, c.close, c.after_article))
                .collect();
            assert_eq!(fast, capitalized_naive(text), "{text}");
        }
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
