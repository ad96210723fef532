//! The word lists that tell a partial name from a common word ([`NameWords`]), and where a word
//! opens a sentence.

use crate::recognize::pattern::{MAX_HEADLINE_LEN, is_headline};
use rustc_hash::FxHashSet;

/// Word lists for partial-name resolution (see [`super::PartialNames`]). The pipeline fills them
/// from the rules file's `[lists]` (`common_word`, `surname`, `first_name`, and `demonym`, `function_word`,
/// `title_word`, `head_noun` as never-names); empty lists change nothing.
#[derive(Debug, Clone, Default)]
pub struct NameWords {
    /// Common words, lower case.
    common: FxHashSet<Box<str>>,
    /// Surnames, as written.
    surnames: FxHashSet<Box<str>>,
    /// Given names, as written: never taken for a common word ("Tom", "Jack").
    given: FxHashSet<Box<str>>,
    /// Words that are never a partial name, nor a later word of a credible rule-found person.
    never: FxHashSet<Box<str>>,
    /// Function words that open sentences ("When", "After"): not part of a name after them.
    openers: FxHashSet<Box<str>>,
    /// Head nouns of organizations and places ("Hospital", "Park"): a word a longer name may
    /// end in.
    heads: FxHashSet<Box<str>>,
    /// The head nouns of places among them ("Park", "Street").
    place_heads: FxHashSet<Box<str>>,
}

/// How a word of a person's full name may serve as a partial name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum OwnerWord {
    /// Not at all.
    Never,
    /// A common word: not where it opens a sentence or stands in a headline.
    Common,
    /// Anywhere.
    Name,
}

impl NameWords {
    /// No lists.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds common words (compared in lower case).
    pub fn add_common<'a>(&mut self, words: impl IntoIterator<Item = &'a str>) {
        self.common
            .extend(words.into_iter().map(|w| w.to_lowercase().into()));
    }

    /// Adds surnames: a common word that is one ("Bass", "Young") can still be a person's last name.
    pub fn add_surnames<'a>(&mut self, words: impl IntoIterator<Item = &'a str>) {
        self.surnames.extend(words.into_iter().map(Into::into));
    }

    /// Adds given names: a partial name anywhere, even when also a common word ("Tom").
    pub fn add_given<'a>(&mut self, words: impl IntoIterator<Item = &'a str>) {
        self.given.extend(words.into_iter().map(Into::into));
    }

    /// Adds words that are never names (demonyms, function words, titles, head nouns such as
    /// "Government" or "Hospital").
    pub fn add_never<'a>(&mut self, words: impl IntoIterator<Item = &'a str>) {
        self.never.extend(words.into_iter().map(Into::into));
    }

    /// Adds function words that open sentences.
    pub fn add_openers<'a>(&mut self, words: impl IntoIterator<Item = &'a str>) {
        self.openers.extend(words.into_iter().map(Into::into));
    }

    /// Adds head nouns of organizations and places (`place`: of places only).
    pub fn add_heads<'a>(&mut self, words: impl IntoIterator<Item = &'a str>, place: bool) {
        for w in words {
            self.heads.insert(w.into());
            if place {
                self.place_heads.insert(w.into());
            }
        }
    }

    /// True when `word` is a head noun of an organization or a place.
    pub(super) fn is_head(&self, word: &str) -> bool {
        self.heads.contains(word)
    }

    /// True when `word` is a head noun of a place.
    pub(super) fn is_place_head(&self, word: &str) -> bool {
        self.place_heads.contains(word)
    }

    /// True when `word` is a function word that opens sentences.
    pub(super) fn is_opener(&self, word: &str) -> bool {
        self.openers.contains(word)
    }

    /// True when no list has a word.
    pub fn is_empty(&self) -> bool {
        self.common.is_empty()
            && self.surnames.is_empty()
            && self.given.is_empty()
            && self.never.is_empty()
            && self.openers.is_empty()
            && self.heads.is_empty()
    }

    /// True when `word` is a common word.
    pub(super) fn is_common(&self, word: &str) -> bool {
        if self.common.is_empty() {
            return false;
        }
        if word.is_ascii() {
            let mut buf = [0u8; 32];
            if word.len() <= buf.len() {
                let lower = &mut buf[..word.len()];
                lower.copy_from_slice(word.as_bytes());
                lower.make_ascii_lowercase();
                let lower = std::str::from_utf8(lower).expect("ASCII");
                return self.common.contains(lower);
            }
        }
        self.common.contains(word.to_lowercase().as_str())
    }

    /// True when `word` is a given name.
    pub(super) fn is_given(&self, word: &str) -> bool {
        self.given.contains(word)
    }

    /// True when `word` is a surname.
    pub(super) fn is_surname(&self, word: &str) -> bool {
        self.surnames.contains(word)
    }

    /// True when `word` is never a name.
    pub(super) fn is_never(&self, word: &str) -> bool {
        self.never.contains(word)
    }

    /// True when a person found by a rule with these words is credible: no later word is a
    /// never-name, or a common word that is not a surname ("Howard Government", "Robert E.
    /// Midnight" are not; "Karen Bass" is), and the first is no never-name nor a common word
    /// that is not a given name ("Goodbye Solntsevo" is not; "Tom Hanks" is).
    pub(super) fn credible(&self, words: &[&str]) -> bool {
        let Some((first, rest)) = words.split_first() else {
            return false;
        };
        let first = first.trim_end_matches('.');
        !self.is_never(first)
            && (!self.is_common(first) || self.given.contains(first))
            && rest.iter().all(|w| {
                let w = w.trim_end_matches('.');
                !self.is_never(w) && (!self.is_common(w) || self.surnames.contains(w))
            })
    }

    /// How `word`, a word of a person's full name, may serve as a partial name.
    pub(super) fn owner_word(&self, word: &str) -> OwnerWord {
        if self.is_never(word) {
            OwnerWord::Never
        } else if self.is_common(word) && !self.given.contains(word) {
            OwnerWord::Common
        } else {
            OwnerWord::Name
        }
    }
}

/// A capitalized word of letters with a lowercase letter, inner hyphens or apostrophes allowed
/// ("Alexander-Arnold", "O'Brien", "McQuarrie"), each hyphen-joined part two letters or more: a
/// word a name is made of.
pub(super) fn name_word(w: &str) -> bool {
    w.starts_with(char::is_uppercase)
        && w.chars()
            .all(|c| c.is_alphabetic() || c == '-' || c == '\'')
        && w.chars().any(char::is_lowercase)
        && !w.ends_with('\'')
        && w.split('-').all(|part| part.chars().count() > 1)
}

/// True when `w` ends as a people's or a language's adjective or plural does ("Akkadian",
/// "Hispanics", "Congolese", "Cushitic"), or as a doctrine or a field of study ("Cubism",
/// "Ethnology").
pub(super) fn adjectival(w: &str) -> bool {
    [
        "ian", "ians", "ean", "eans", "ics", "ese", "ish", "ic", "ans", "ism", "ology",
    ]
    .iter()
    .any(|end| w.len() > end.len() + 2 && w.ends_with(end))
}

/// Abbreviations after which a period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "Prof", "St", "Sr", "Jr", "Gen", "Sen", "Rep", "Gov", "Lt", "Col",
    "Capt", "Sgt", "Rev", "Hon", "Mt", "Ft", "vs",
];

/// True when the word at byte `at` of `text` opens a sentence or a quotation, starts a run of
/// capitalized words ("Goodbye Santa Maria"), or stands in a headline-case line: a place where a
/// common word is capitalized anyway or is part of another name.
pub(super) fn capitalized_anyway(text: &str, at: usize) -> bool {
    let before = &text[..at];
    let after = &text[at..];
    let word_end = after
        .find(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-')
        .unwrap_or(after.len());
    if after[word_end..]
        .strip_prefix(' ')
        .is_some_and(|rest| rest.starts_with(char::is_uppercase))
    {
        return true;
    }
    let mut chars = before.char_indices().rev();
    let mut quoted = false;
    let prev = loop {
        match chars.next() {
            None => break None,
            Some((_, ' ' | '\t')) => {}
            Some((_, '"' | '\'' | '(' | '[' | '*' | '-')) => quoted = true,
            Some(found) => break Some(found),
        }
    };
    let opens = match prev {
        None | Some((_, '\n' | '\r' | '!' | '?' | ':' | ';')) => true,
        Some((i, '.')) => {
            let word = before[..i]
                .rsplit(|c: char| !c.is_alphanumeric())
                .next()
                .unwrap_or("");
            // Not after an initial ("George W. Bush") or a title ("Mr. Bush").
            !(word.chars().count() == 1 && word.chars().all(char::is_uppercase)
                || ABBREVIATIONS.contains(&word))
        }
        _ => quoted,
    };
    opens || in_headline(text, at)
}

/// True when byte `at` of `text` is in a headline-case line. A line longer than
/// [`MAX_HEADLINE_LEN`] is no headline, so the line ends are looked for no farther than that: a
/// document of one long line costs no scan of it per word.
pub(super) fn in_headline(text: &str, at: usize) -> bool {
    let bytes = text.as_bytes();
    let from = at.saturating_sub(MAX_HEADLINE_LEN + 1);
    let line_start = match memchr::memrchr(b'\n', &bytes[from..at]) {
        Some(i) => from + i + 1,
        None if from == 0 => 0,
        None => return false,
    };
    let to = bytes.len().min(at + MAX_HEADLINE_LEN + 1);
    let line_end = match memchr::memchr(b'\n', &bytes[at..to]) {
        Some(i) => at + i,
        None if to == bytes.len() => to,
        None => return false,
    };
    is_headline(&text[line_start..line_end])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words() -> NameWords {
        let mut w = NameWords::new();
        w.add_common(["most", "we", "government", "bass", "tom", "midnight"]);
        w.add_surnames(["Bass"]);
        w.add_given(["Tom"]);
        w.add_never(["French", "Government", "As"]);
        w
    }

    #[test]
    fn words_credible_people_have_no_common_later_word_unless_a_surname() {
        let w = words();
        assert!(w.credible(&["Karen", "Bass"]));
        assert!(w.credible(&["Christopher", "McQuarrie"]));
        assert!(!w.credible(&["Howard", "Government"]));
        assert!(!w.credible(&["Robert", "E.", "Midnight"]));
        assert!(!w.credible(&["Sarah", "French"]));
        assert!(!w.credible(&["As", "Suways"]));
        assert!(!w.credible(&["Midnight", "Suways"]));
        assert!(w.credible(&["Tom", "Hanks"]));
        assert_eq!(w.owner_word("Most"), OwnerWord::Common);
        assert_eq!(w.owner_word("Tom"), OwnerWord::Name);
        assert_eq!(w.owner_word("French"), OwnerWord::Never);
        assert_eq!(w.owner_word("McQuarrie"), OwnerWord::Name);
    }

    #[test]
    fn words_in_headline_as_the_whole_line_says() {
        let reference = |text: &str, at: usize| {
            let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
            is_headline(&text[line_start..line_end])
        };
        let long = "Tom Cruise Met McQuarrie ".repeat(90);
        let texts = [
            "Mamdani Stuns Cuomo In Primary\nThe mayor of Paris said so on Monday.\n".to_string(),
            format!("Paris Is Burning\n{long}\nshort Line Here"),
            format!("{long}Mamdani Stuns Cuomo"),
            "One Two Three".to_string(),
        ];
        for text in &texts {
            for (at, _) in text.char_indices() {
                assert_eq!(
                    in_headline(text, at),
                    reference(text, at),
                    "{at} in {text:?}"
                );
            }
        }
    }

    #[test]
    fn words_capitalized_anyway_at_sentence_and_quote_starts_and_in_headlines() {
        let at = |text: &str, word: &str| capitalized_anyway(text, text.find(word).unwrap());
        assert!(at("Most of them left.", "Most"));
        assert!(at("It rained. Most left.", "Most"));
        assert!(at("He said: \"We will.\"", "We"));
        assert!(at("a fan said, \"We will.\"", "We"));
        assert!(at("first line\nBass spoke.", "Bass"));
        assert!(!at(
            "The mayor, Karen Bass, spoke; later Bass left.",
            "Bass left"
        ));
        assert!(!at("George W. Bush met Mr. Bass today.", "Bass"));
        assert!(at(
            "Bass Says the City Will Rebuild Every Burned Home",
            "Bass"
        ));
        assert!(at("The Day Bass Met the Council\nIt rained.", "Bass"));
        assert!(at("the holy city of Goodbye Santa Maria, said", "Goodbye"));
    }
}
