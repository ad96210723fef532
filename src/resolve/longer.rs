//! A name's first words are not the name: a place or organization mention followed at once by
//! capitalized words that go on naming something ("the Guardian Angels", "BBC Radio 4", "Long
//! Island City", "Heaton Park") stands for the longer name, not for itself.
//!
//! The mention (of a place or an organization, found by the dictionary or a rule) is followed by a
//! run of up to three words after single spaces: capitalized name words and, after one of those,
//! a number ("Radio 4"). The run stops at punctuation, at a possessive (whose stem it takes), at
//! a lower-case word, at another mention ("Apple Tim Cook") and at a word that is never part of a
//! name here: a function word, title, day or month, language or people's adjective ("London
//! Mayor", "Paris Tuesday", "England captain"). The longer name is taken only when the run ends in
//! a head noun ("Park", "City", "Works", "Government"), a number, or the plural of a common word
//! (or in camel case) that names no event (a team or a
//! group: "Sydney Swans"); "Apple Watch", "U.S. District Judge" and "Washington Sundar" are no
//! longer name of Apple, the United States or Washington. Not in headline-case lines, where every
//! word is capitalized, nor when the mention is itself preceded by a capitalized word (a function
//! word opening the sentence aside: "The Toledo Assembly Complex"). People and
//! films are left alone: "Top Gun Within weeks" is a missing period, not a longer title. The
//! longer name is its own entity (or the dictionary's, when it holds it): a place when it ends in a
//! head noun of places (`place_heads.txt`: "Park", "City"), an organization when it ends in
//! another head noun ("Queensland Government") or a plural, else of the mention's type.
//!
//! A person a rule found that more name words follow is no mention ("Paddy Clarke Ha Ha Ha"),
//! unless one surname follows (the longer person: "Mijaín López Núñez") or the run ends in a head
//! noun ("Edgar Thomson Steel Works", a place). [`drop_parts`], run after the other steps, drops a
//! place that one unknown name word follows ("Washington Sundar", "Cerro Pachón").

use std::sync::Arc;

use super::words::{NameWords, adjectival, in_headline};
use super::{Resolved, found_candidate};
use crate::model::Span;
use crate::recognize::Candidate;

/// The source of the mentions this step makes.
pub(super) const SOURCE: &str = "longer-name";

/// Last words of the names of events, prizes and pages, not of organizations or places ("NBA
/// Finals", "Goya Award", "Keanu Reeves Biography"): the mention stands.
const EVENTS: &[&str] = &[
    "Award",
    "Awards",
    "Biography",
    "Championship",
    "Championships",
    "Cup",
    "Festival",
    "Filmography",
    "Finals",
    "Games",
    "Interview",
    "Medal",
    "Olympics",
    "Photos",
    "Playoffs",
    "Prize",
    "Profile",
    "Review",
    "Reviews",
    "Series",
    "Trophy",
];

/// The most words a name is extended by.
const MAX_WORDS: usize = 3;

/// Replaces each mention of `mentions` (spans into `text`, in text order) that is the start of a
/// longer name: removes it and returns the candidate for the longer name.
pub(super) fn candidates(
    text: &str,
    mentions: &mut Vec<Resolved>,
    names: &NameWords,
) -> Vec<Candidate> {
    let mut found = Vec::new();
    let starts: Vec<usize> = mentions.iter().map(|r| r.span.start).collect();
    mentions.retain(|r| {
        let kind = &*r.mention.kind;
        let person = kind == "person";
        if !(person || matches!(kind, "place" | "organization")) || !ends_word(text, r.span.end) {
            return true;
        }
        let Some((end, last, number)) = run_after(text, r.span.end, &starts, names) else {
            return true;
        };
        if preceded_by_name(text, r.span.start, names) || in_headline(text, r.span.start) {
            return true;
        }
        if EVENTS.contains(&last) {
            return true;
        }
        let one_word = !text[r.span.end + 1..end].contains(' ');
        let surname_next = person && one_word && !number && names.is_surname(last);
        if person && !names.is_head(last) && !surname_next {
            // A rule's person that more name words follow is part of a title or of a longer
            // name ("Paddy Clarke Ha Ha Ha"): no mention, unless what follows is one surname
            // ("Mijaín López Núñez"). A dictionary's person stands.
            // (Not before capitals: "Rishi Sunak MP".)
            let found_by_rule = r.mention.source.starts_with("pattern:");
            let next = text[r.span.end + 1..end].split(' ').next().unwrap_or("");
            return !(found_by_rule && next.chars().any(char::is_lowercase));
        }
        let plural = !person && team_plural(last, names);
        if !(plural || number || surname_next || names.is_head(last)) {
            return true;
        }
        let kind: Arc<str> = if surname_next {
            r.mention.kind.clone()
        } else if names.is_place_head(last) {
            "place".into()
        } else if plural || names.is_head(last) {
            "organization".into()
        } else {
            r.mention.kind.clone()
        };
        let origin = format!(
            "the {} '{}' ({}) and the capitalized words after it",
            r.mention.kind,
            &text[r.span.start..r.span.end],
            r.mention.source
        );
        let span = Span::new(r.span.start, end);
        found.push(found_candidate(span, kind, SOURCE, origin, true));
        false
    });
    found
}

/// Drops each place of `mentions` (spans into `text`, in text order) that one unknown name word
/// follows: it is part of another name, a person's ("Washington Sundar"), a company's ("Boston
/// Dynamics"), a peak's ("Cerro Pachón"). Runs after the other steps, so that the place still
/// keeps them from reading the pair as a name of their own.
pub(super) fn drop_parts(text: &str, mentions: &mut Vec<Resolved>, names: &NameWords) {
    let starts: Vec<usize> = mentions.iter().map(|r| r.span.start).collect();
    mentions.retain(|r| {
        if &*r.mention.kind != "place" || !ends_word(text, r.span.end) {
            return true;
        }
        let Some((end, last, number)) = run_after(text, r.span.end, &starts, names) else {
            return true;
        };
        let one_word = !text[r.span.end + 1..end].contains(' ');
        !(one_word
            && !number
            && unknown_word(last, names)
            && !EVENTS.contains(&last)
            && !team_plural(last, names)
            && !preceded_by_name(text, r.span.start, names)
            && !in_headline(text, r.span.start))
    });
}

/// True when byte `end` of `text` ends a word (no letter or digit follows).
fn ends_word(text: &str, end: usize) -> bool {
    !text[end..]
        .chars()
        .next()
        .is_some_and(char::is_alphanumeric)
}

/// The end of the run of name words after a mention ending at `at`, its last name word, and
/// whether a number ends it; `None` when no word goes on the name.
fn run_after<'t>(
    text: &'t str,
    at: usize,
    starts: &[usize],
    names: &NameWords,
) -> Option<(usize, &'t str, bool)> {
    let mut pos = at;
    let mut last = None;
    let mut number = false;
    for _ in 0..MAX_WORDS {
        let rest = text[pos..].strip_prefix(' ')?;
        let start = pos + 1;
        if rest.starts_with(' ') || starts.binary_search(&start).is_ok() {
            break;
        }
        let len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '&' || c == '\''))
            .unwrap_or(rest.len());
        let word = &rest[..len];
        let (word, possessive) = match word.strip_suffix("'s").or(word.strip_suffix('\'')) {
            Some(stem) => (stem, true),
            None => (word, false),
        };
        // A number ends a name ("Radio 4"), when no capitalized word follows it ("Times 8 June").
        if last.is_some()
            && !word.is_empty()
            && word.len() <= 4
            && word.bytes().all(|b| b.is_ascii_digit())
        {
            let next = &rest[len..];
            if !next
                .strip_prefix(' ')
                .is_some_and(|n| n.starts_with(char::is_uppercase))
            {
                pos = start + word.len();
                number = true;
            }
            break;
        }
        // An abbreviated title ("California Gov. Gavin Newsom") ends the run.
        if !name_like(word, names)
            || rest[len..].starts_with('.') && names.is_never(&format!("{word}."))
        {
            break;
        }
        pos = start + word.len();
        last = Some(word);
        if possessive || !ends_word(text, pos) || text[pos..].starts_with(|c: char| c != ' ') {
            break;
        }
    }
    last.map(|w| (pos, w, number))
}

/// True when `word` is a name word the lists do not know: no common word, given name, surname
/// or head noun, with a lower-case letter, and not shaped as an adjective or a noun of people
/// ("Anglican", "Islander", "Yachtsman", "Congressmen").
fn unknown_word(word: &str, names: &NameWords) -> bool {
    word.chars().any(char::is_lowercase)
        && !adjectival(word)
        && !["an", "er", "ers", "man", "men"]
            .iter()
            .any(|end| word.ends_with(end))
        && !names.is_common(word)
        && !names.is_given(word)
        && !names.is_surname(word)
        && !names.is_head(word)
}

/// True when `word` is the plural of a team or a group: of a common word ("Swans", "Angels",
/// "Blues", "Nights", "Grizzlies") or in camel case ("SuperSonics"); no head noun, no event
/// ("Finals"), and no name that only ends in "s" ("Antilles").
fn team_plural(word: &str, names: &NameWords) -> bool {
    if word.len() <= 3 || !word.ends_with('s') || word.ends_with("ss") {
        return false;
    }
    if names.is_head(word) || EVENTS.contains(&word) {
        return false;
    }
    let stem = &word[..word.len() - 1];
    let camel = word.chars().skip(1).any(char::is_uppercase);
    camel
        || names.is_common(stem)
        || word.strip_suffix("es").is_some_and(|s| names.is_common(s))
        || word
            .strip_suffix("ies")
            .is_some_and(|s| names.is_common(&format!("{s}y")))
}

/// A word that can go on a name: capitalized, with a lower-case letter (or two to five capitals,
/// "FC"), of letters and inner hyphens, apostrophes or ampersands, and never a function word,
/// title, day or month, language or people's adjective (head nouns are welcome).
fn name_like(word: &str, names: &NameWords) -> bool {
    let mut chars = word.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    first.is_uppercase()
        && word
            .chars()
            .all(|c| c.is_alphabetic() || c == '-' || c == '&' || c == '\'')
        && !word.ends_with(['-', '\''])
        && (word.chars().any(char::is_lowercase) || (2..=5).contains(&letters))
        && (names.is_head(word) || !names.is_never(word))
}

/// True when a capitalized word stands right before byte `start` of `text` (after one space): the
/// mention is then inside a longer run of its own. A function word that opens a sentence ("The
/// Toledo Assembly Complex") does not count.
fn preceded_by_name(text: &str, start: usize, names: &NameWords) -> bool {
    let Some(before) = text[..start].strip_suffix(' ') else {
        return false;
    };
    let word = before
        .rsplit(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-'))
        .next()
        .unwrap_or("");
    word.starts_with(char::is_uppercase) && !names.is_opener(word)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::tests::mention_at;

    fn words() -> NameWords {
        let mut w = NameWords::new();
        w.add_never(["Mayor", "Tuesday", "The", "English", "Government"]);
        w.add_heads(["Government", "Times", "Award"], false);
        w.add_heads(["City", "Park", "District"], true);
        w.add_common(["angel", "radio", "swan"]);
        w
    }

    fn mention(text: &str, name: &str, kind: &str) -> Resolved {
        mention_at(text.find(name).unwrap(), name, kind)
    }

    /// A case: text, mention and its type, the longer name and its type (or nothing).
    type Case = (
        &'static str,
        &'static str,
        &'static str,
        Option<(&'static str, &'static str)>,
    );

    #[test]
    fn longer_names_table() {
        let cases: &[Case] = &[
            (
                "the founder of the Guardian Angels, is",
                "Guardian",
                "organization",
                Some(("Guardian Angels", "organization")),
            ),
            (
                "it aired on BBC Radio 4 last night",
                "BBC",
                "organization",
                Some(("BBC Radio 4", "organization")),
            ),
            (
                "he grew up in Long Island City and left",
                "Long Island",
                "place",
                Some(("Long Island City", "place")),
            ),
            (
                "a fan of the Sydney Swans since",
                "Sydney",
                "place",
                Some(("Sydney Swans", "organization")),
            ),
            (
                "walked past Heaton Park's gates",
                "Heaton",
                "place",
                Some(("Heaton Park", "place")),
            ),
            ("the London Mayor said", "London", "place", None),
            ("in Paris Tuesday night", "Paris", "place", None),
            ("the BBC 4 channel", "BBC", "organization", None),
            ("he flew to London. Then he", "London", "place", None),
            ("we saw the Apple Tim Cook", "Apple", "organization", None),
            ("at Old Trafford Stadium", "Trafford", "place", None),
            (
                "the Queensland Government said",
                "Queensland",
                "place",
                Some(("Queensland Government", "organization")),
            ),
            ("a new Apple Watch model", "Apple", "organization", None),
            ("the U.S. District Judge ruled", "U.S.", "place", None),
            (
                "bowled by Washington Sundar for",
                "Washington",
                "place",
                None,
            ),
            ("the NBA Finals began", "NBA", "organization", None),
            ("won the Goya Award for", "Goya", "organization", None),
            (
                "in the Netherlands Antilles and",
                "Netherlands",
                "place",
                None,
            ),
            (
                "the Seattle SuperSonics left",
                "Seattle",
                "place",
                Some(("Seattle SuperSonics", "organization")),
            ),
            (
                "she read the Saudi Arabia Times 8 June edition at home in the evening",
                "Saudi Arabia",
                "place",
                Some(("Saudi Arabia Times", "organization")),
            ),
            ("Where Paris Meets London", "Paris", "place", None),
            ("she watched Top Gun Within weeks", "Top Gun", "film", None),
            ("the British English teacher", "British", "place", None),
        ];
        for (text, name, kind, want) in cases {
            let mut mentions = vec![mention(text, name, kind)];
            if *text == "we saw the Apple Tim Cook" {
                mentions.push(mention(text, "Tim Cook", "person"));
            }
            let found = candidates(text, &mut mentions, &words());
            let got = found
                .first()
                .map(|c| (&text[c.span.start..c.span.end], &*c.kind));
            assert_eq!(got, *want, "{text}");
            assert_eq!(
                mentions.iter().any(|r| &*r.mention.entity == *name),
                want.is_none(),
                "{text}"
            );
        }
    }

    #[test]
    fn longer_places_that_an_unknown_word_follows_are_dropped() {
        let cases = [
            ("bowled by Washington Sundar for four", "Washington", false),
            (
                "the new telescope stands on the summit of Cerro Pachón in the north of Chile",
                "Cerro",
                false,
            ),
            ("the Toowoomba Anglican school board", "Toowoomba", true),
            ("a New Zealand Yachtsman won", "New Zealand", true),
            ("she flew to Paris in May", "Paris", true),
            ("he met Paris Tuesday afternoon", "Paris", true),
        ];
        for (text, name, kept) in cases {
            let mut mentions = vec![mention(text, name, "place")];
            drop_parts(text, &mut mentions, &words());
            assert_eq!(mentions.len() == 1, kept, "{text}");
        }
        // Not when the word is a mention of its own.
        let text = "bowled by Washington Sundar for four";
        let mut mentions = vec![
            mention(text, "Washington", "place"),
            mention(text, "Sundar", "person"),
        ];
        drop_parts(text, &mut mentions, &words());
        assert_eq!(mentions.len(), 2);
    }
}
