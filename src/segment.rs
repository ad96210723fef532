//! Segmentation: consumes a (normalized) text, produces its sentences, each tagged with its paragraph.
//!
//! Paragraphs are runs of non-blank lines. Sentences never cross a line break (headlines, captions
//! and credits in news text are lines of their own) and end at `.`, `!`, `?` or `…` (plus closing
//! quotes and brackets) when whitespace and a capital, digit or opening quote follow. A period does
//! not end a sentence after a known abbreviation ([`ABBREVIATIONS`]: "Mr.", "Dr.", "Aug.", …) or a
//! single initial ("J. K."); after an initialism with inner dots ("U.S.", "L.A.") it ends one only
//! when the next word is a common sentence opener ("While", "The", "He", …).
//!
//! Guarantee: sentences are non-empty, trimmed, in text order and do not overlap.

use crate::model::{Sentence, Span};

/// Abbreviations (without their final period) after which a period does not end a sentence.
pub const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Mx", "Dr", "Prof", "St", "Mt", "Ft", "Jr", "Sr", "Sen", "Rep", "Gov",
    "Gen", "Lt", "Col", "Capt", "Cpt", "Sgt", "Maj", "Cmdr", "Adm", "Pres", "Supt", "Det", "Insp",
    "Rev", "Hon", "Fr", "Sr", "Sra", "Mme", "Mlle", "Messrs", "Jan", "Feb", "Mar", "Apr", "Jun",
    "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Mon", "Tue", "Tues", "Wed", "Thu", "Thurs",
    "Fri", "Sat", "Sun", "No", "Nos", "Vol", "vol", "pp", "p", "ed", "eds", "Inc", "Ltd", "Corp",
    "Co", "Bros", "Ave", "Blvd", "Rd", "vs", "v", "etc", "approx", "ca", "cf", "al", "e.g", "i.e",
    "Fig", "fig", "Ch", "ch", "Sec", "sec", "Dept", "Univ", "Assn", "est", "Est",
];

/// Words that, capitalized after an initialism such as "L.A.", show that a new sentence began.
pub const SENTENCE_OPENERS: &[&str] = &[
    "A",
    "An",
    "The",
    "This",
    "That",
    "These",
    "Those",
    "It",
    "Its",
    "He",
    "She",
    "They",
    "We",
    "I",
    "You",
    "His",
    "Her",
    "Their",
    "Our",
    "My",
    "There",
    "Here",
    "While",
    "When",
    "After",
    "Before",
    "But",
    "And",
    "Or",
    "So",
    "Yet",
    "If",
    "As",
    "In",
    "On",
    "At",
    "For",
    "From",
    "With",
    "Without",
    "Once",
    "Then",
    "However",
    "Meanwhile",
    "Still",
    "Now",
    "Later",
    "Earlier",
    "Also",
    "Some",
    "Many",
    "Most",
    "Other",
    "Others",
    "Both",
    "Each",
    "Every",
    "No",
    "Not",
    "What",
    "Who",
    "Why",
    "How",
    "Where",
    "Although",
    "Though",
    "Because",
    "Since",
    "During",
    "Following",
    "According",
    "Despite",
    "Until",
    "Over",
    "By",
];

fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | ')' | ']' | '\u{2019}' | '\u{201D}' | '\u{00BB}'
    )
}

fn is_opener(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '(' | '[' | '\u{2018}' | '\u{201C}' | '\u{00AB}'
    )
}

/// The word just before byte `dot` (letters and inner periods), e.g. "U.S" for "U.S." or "Mr".
fn word_before(line: &str, dot: usize) -> &str {
    let head = &line[..dot];
    let start = head
        .char_indices()
        .rev()
        .take_while(|&(_, c)| c.is_alphanumeric() || c == '.')
        .last()
        .map_or(dot, |(i, _)| i);
    head[start..].trim_start_matches('.')
}

fn next_word(rest: &str) -> &str {
    let rest = rest.trim_start_matches(|c: char| is_opener(c));
    let end = rest
        .find(|c: char| !c.is_alphanumeric())
        .unwrap_or(rest.len());
    &rest[..end]
}

/// True when a period at `dot` (byte offset in `line`) ends a sentence, given the text after it.
fn period_ends_sentence(line: &str, dot: usize, after: &str) -> bool {
    let word = word_before(line, dot);
    if word.is_empty() {
        return true;
    }
    if ABBREVIATIONS.contains(&word) {
        return false;
    }
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    if word.contains('.') {
        // An initialism like U.S. or L.A.: only a common sentence opener after it starts a new one.
        return SENTENCE_OPENERS.contains(&next_word(after));
    }
    if letters == 1 && word.chars().all(|c| c.is_uppercase()) {
        return false; // an initial: "J. K. Rowling"
    }
    true
}

/// Splits one line (no newline inside) into sentence spans relative to the line.
fn split_line(line: &str, out: &mut Vec<(usize, usize)>) {
    let bytes = line.as_bytes();
    let mut start = 0;
    let mut k = 0;
    while k < bytes.len() {
        // Terminators: '.', '!', '?' and '…' (E2 80 A6); the bytes between are skipped 32 at a
        // time.
        k = crate::text::find_special(bytes, k, |b| {
            (b == b'.') | (b == b'!') | (b == b'?') | (b == 0xE2)
        });
        if k == bytes.len() {
            break;
        }
        if bytes[k] == 0xE2 && !line[k..].starts_with('\u{2026}') {
            k += 1;
            continue;
        }
        let c = line[k..].chars().next().expect("char boundary");
        // Take the whole run of terminators and closers.
        let mut j = k + c.len_utf8();
        let mut only_closers_after = true;
        for d in line[j..].chars() {
            if matches!(d, '.' | '!' | '?' | '\u{2026}') {
                only_closers_after = false;
            } else if !is_closer(d) {
                break;
            }
            j += d.len_utf8();
        }
        let end = j;
        if bytes.get(j) == Some(&b' ') {
            let after = line[end..].trim_start();
            let next = after.chars().next();
            let starts_new =
                next.is_some_and(|n| n.is_uppercase() || n.is_numeric() || is_opener(n));
            let run_is_single_period = c == '.' && only_closers_after;
            let ends =
                starts_new && (!run_is_single_period || period_ends_sentence(line, k, after));
            if ends {
                out.push((start, end));
                start = end;
            }
        }
        k = j;
    }
    out.push((start, line.len()));
}

/// Where segmentation stands between two pieces of one document (see [`Segmenter`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SegmentState {
    /// Index of the current paragraph.
    pub paragraph: usize,
    /// True while inside a paragraph (the last line seen was not blank).
    pub in_paragraph: bool,
}

/// Segments a document given in pieces, keeping paragraph numbering across them. Every piece but
/// the last must end with a line break, or at a sentence boundary inside a line (then the next
/// piece continues that line).
#[derive(Debug, Clone, Default)]
pub struct Segmenter {
    /// The state after the pieces seen so far.
    pub state: SegmentState,
    /// True when a blank line was seen before any non-blank line (used to merge pieces analyzed
    /// apart, see [`SegmentState::advance`]).
    pub blank_before_first: bool,
    seen_text: bool,
    seen_line: bool,
}

impl SegmentState {
    /// The state after a piece that was segmented on its own from the default state (`local`),
    /// starting from `self`; returns it with the paragraph offset to add to the piece's sentences.
    pub fn advance(self, local: &Segmenter) -> (SegmentState, usize) {
        if !local.seen_line {
            return (self, self.paragraph);
        }
        let base = self.paragraph + usize::from(self.in_paragraph && local.blank_before_first);
        (
            SegmentState {
                paragraph: base + local.state.paragraph,
                in_paragraph: local.state.in_paragraph,
            },
            base,
        )
    }
}

impl Segmenter {
    /// A segmenter at the start of a document.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends the sentences of `text` (spans relative to `text` plus `offset`) to `out`.
    pub fn push(&mut self, text: &str, offset: usize, out: &mut Vec<Sentence>) {
        let mut pieces = Vec::new();
        let mut line_start = 0;
        // A final line break ends the last line; it does not open an empty one.
        let body = text.strip_suffix('\n').unwrap_or(text);
        if text.is_empty() {
            return;
        }
        for line in body.split('\n') {
            let at = line_start;
            line_start += line.len() + 1;
            self.seen_line = true;
            if line.trim().is_empty() {
                if self.state.in_paragraph {
                    self.state.paragraph += 1;
                    self.state.in_paragraph = false;
                } else if !self.seen_text {
                    self.blank_before_first = true;
                }
                continue;
            }
            self.seen_text = true;
            self.state.in_paragraph = true;
            pieces.clear();
            split_line(line, &mut pieces);
            for &(s, e) in &pieces {
                let piece = &line[s..e];
                let trimmed_start = s + (piece.len() - piece.trim_start().len());
                let trimmed_end = e - (piece.len() - piece.trim_end().len());
                if trimmed_end > trimmed_start {
                    out.push(Sentence {
                        span: Span::new(offset + at + trimmed_start, offset + at + trimmed_end),
                        paragraph: self.state.paragraph,
                    });
                }
            }
        }
    }
}

/// True when the sentence that starts at byte `start` of `text` (a piece of a line that may go on
/// after `text` ends) starts there whatever follows `text`: the decision that a sentence ended
/// before it looks ahead no further than its first word, which must end inside `text`.
pub fn is_stable_start(text: &str, start: usize) -> bool {
    let rest = text[start..].trim_start_matches(is_opener);
    !rest.trim_start_matches(char::is_alphanumeric).is_empty()
}

/// Splits `text` into sentences (see the module docs).
///
/// ```
/// use entgraph::segment::segment;
/// let text = "Mr. Cruise flew to L.A. Mayor Karen Bass waited.\n\nHe jumped. She cheered.";
/// let s = segment(text);
/// let texts: Vec<&str> = s.iter().map(|s| &text[s.span.start..s.span.end]).collect();
/// assert_eq!(texts, ["Mr. Cruise flew to L.A. Mayor Karen Bass waited.", "He jumped.", "She cheered."]);
/// assert_eq!(s[2].paragraph, 1);
/// ```
pub fn segment(text: &str) -> Vec<Sentence> {
    let mut sentences = Vec::new();
    Segmenter::new().push(text, 0, &mut sentences);
    sentences
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<&str> {
        segment(text)
            .iter()
            .map(|s| &text[s.span.start..s.span.end])
            .collect()
    }

    /// (name, input, expected sentences)
    const CASES: &[(&str, &str, &[&str])] = &[
        (
            "simple",
            "One. Two! Three? Four",
            &["One.", "Two!", "Three?", "Four"],
        ),
        (
            "mr",
            "Mr. Smith met Dr. Jones.",
            &["Mr. Smith met Dr. Jones."],
        ),
        (
            "month",
            "It began on Aug. 11. It ended.",
            &["It began on Aug. 11.", "It ended."],
        ),
        (
            "us lowercase",
            "the U.S. national anthem played.",
            &["the U.S. national anthem played."],
        ),
        (
            "la mayor",
            "by the L.A. Mayor Karen Bass. He left.",
            &["by the L.A. Mayor Karen Bass.", "He left."],
        ),
        (
            "la end",
            "skydive over L.A. While staying in character.",
            &["skydive over L.A.", "While staying in character."],
        ),
        (
            "la comma",
            "Once in L.A., he climbed.",
            &["Once in L.A., he climbed."],
        ),
        (
            "initials",
            "J. K. Rowling wrote. Then",
            &["J. K. Rowling wrote.", "Then"],
        ),
        (
            "quote close",
            "He said \"no.\" Then left.",
            &["He said \"no.\"", "Then left."],
        ),
        (
            "lowercase after",
            "e.g. this and i.e. that. Next",
            &["e.g. this and i.e. that.", "Next"],
        ),
        (
            "lines",
            "Headline here\nBody text. More",
            &["Headline here", "Body text.", "More"],
        ),
        ("ellipsis", "Action... he wrote", &["Action... he wrote"]),
        (
            "url",
            "pic.twitter.com/abc — NBC",
            &["pic.twitter.com/abc — NBC"],
        ),
        (
            "number",
            "It cost 1.5 million. Then",
            &["It cost 1.5 million.", "Then"],
        ),
        ("empty", "  \n\n ", &[]),
    ];

    #[test]
    fn segment_table() {
        for (name, input, expected) in CASES {
            assert_eq!(texts(input), *expected, "case {name}");
        }
    }

    #[test]
    fn segment_paragraphs() {
        let s = segment("a\nb\n\n\nc\n \nd");
        let paras: Vec<usize> = s.iter().map(|s| s.paragraph).collect();
        assert_eq!(paras, [0, 0, 1, 2]);
    }

    #[test]
    fn segment_seeds_do_not_split_abbreviations() {
        for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds")).unwrap() {
            let text = crate::normalize::normalize(
                &std::fs::read_to_string(entry.unwrap().path()).unwrap(),
            )
            .text;
            for s in texts(&text) {
                for abbr in ["Mr.", "Dr.", "Aug.", "U.S.", "L.A."] {
                    // A sentence may end with an abbreviation only at the true end of a sentence.
                    if s.ends_with(abbr) {
                        assert!(
                            s.ends_with("over L.A.")
                                || s.ends_with("Dr. Dre.")
                                || s.ends_with("to L.A."),
                            "split after {abbr}: {s:?}"
                        );
                    }
                }
            }
        }
    }
}
