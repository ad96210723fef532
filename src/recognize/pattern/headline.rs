//! Headline-case lines. Rules skip them unless they say `headlines = true`: in a headline every
//! word is capitalized, so "Tom Cruise's Death-Defying Stunt Leaks Online" would read as one long
//! name to a rule that looks for runs of capitalized words.

/// Small words that stay lowercase in headline case.
const HEADLINE_SMALL: &[&str] = &[
    "a", "an", "the", "of", "in", "on", "and", "or", "to", "for", "with", "at", "by", "from", "as",
    "vs",
];

/// Lines longer than this (in bytes) are never headlines; it also makes the headline test of a line
/// that a long document's chunking cuts in pieces (only lines longer than the chunk size, which is
/// larger) the same as for the whole line.
pub const MAX_HEADLINE_LEN: usize = 2048;

/// The words of a line that count for its case: those with letters, other than the small words.
#[derive(Debug, Clone, Copy, Default)]
struct WordCount {
    words: usize,
    /// Those that start with a capital or a digit.
    capitalized: usize,
}

impl WordCount {
    fn lower(&self) -> usize {
        self.words - self.capitalized
    }
}

/// True when a line is written in headline case: at least four words with letters, and at least
/// 70% of those that are not small words ("of", "the", ...) start with a capital.
///
/// ```
/// use entgraph::recognize::pattern::is_headline;
/// assert!(is_headline("Tom Cruise's Death-Defying Mission: Impossible 7 Stunt Leaks Online"));
/// assert!(!is_headline("Filming on the action movie has started up again."));
/// ```
pub fn is_headline(line: &str) -> bool {
    if line.len() > MAX_HEADLINE_LEN {
        return false;
    }
    // A line that ends like a sentence is a headline only with at most one word in lower case
    // (see `is_title_case_line`), so the count stops at the second one: most lines are prose.
    let max_lower = if ends_like_sentence(line) {
        1
    } else {
        usize::MAX
    };
    let mut count = WordCount::default();
    if line.is_ascii() {
        // The same count on bytes.
        for w in line.split(char::is_whitespace) {
            let w = w.trim_matches(|c: char| !c.is_ascii_alphanumeric());
            if !w.bytes().any(|b| b.is_ascii_alphabetic()) || HEADLINE_SMALL.contains(&w) {
                continue;
            }
            count.words += 1;
            if w.as_bytes()[0].is_ascii_uppercase() || w.as_bytes()[0].is_ascii_digit() {
                count.capitalized += 1;
            } else if count.lower() > max_lower {
                return false;
            }
        }
        return is_title_case_line(line, count);
    }
    for w in line.split(|c: char| c.is_whitespace()) {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        if !w.chars().any(char::is_alphabetic) || HEADLINE_SMALL.contains(&w) {
            continue;
        }
        count.words += 1;
        if w.chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_numeric())
        {
            count.capitalized += 1;
        } else if count.lower() > max_lower {
            return false;
        }
    }
    is_title_case_line(line, count)
}

/// True when the line ends with `.`, `!` or `?`, before closing quotes and brackets.
fn ends_like_sentence(line: &str) -> bool {
    line.trim_end()
        .trim_end_matches(['"', '\'', ')', '\u{201d}', '\u{2019}'])
        .ends_with(['.', '!', '?'])
}

/// Whether `line`, whose words are counted in `count`, is in title case: at least four words, at
/// least 70% of them capitalized, and either at most one of them in lower case (Title Case leaves
/// at most one) or a line that does not end like a sentence: a name-dense sentence ("Harold
/// Faltermeyer wrote the score, and Mike De Luca ...") is not a headline.
fn is_title_case_line(line: &str, count: WordCount) -> bool {
    count.words >= 4
        && count.capitalized * 10 >= count.words * 7
        && (count.lower() <= 1 || !ends_like_sentence(line))
}

#[cfg(test)]
mod tests {
    use super::is_headline;

    #[test]
    fn pattern_headline_table() {
        let cases = [
            (
                "You Need To See This Mission Impossible 7 Stunt With Tom Cruise Riding A Motorcycle",
                true,
            ),
            (
                "Tom Cruise's Death-Defying Mission: Impossible 7 Stunt Leaks Online",
                true,
            ),
            (
                "Filming on the action movie has started up again, and Tom Cruise is really earning his paycheck.",
                false,
            ),
            ("Cruise's big moment", false),
            ("STOP WHAT YOU'RE DOING AND WATCH SNOOP DOGG", true),
            (
                "Harold Faltermeyer wrote the score, and Mike De Luca and Pam Abdy.",
                false,
            ),
            // (the same counts on a line with non-ASCII letters)
            ("Zoë Ålund Wins The Oslo Prize Again", true),
            ("Zoë Ålund won the prize again in Oslo.", false),
        ];
        for (line, expected) in cases {
            assert_eq!(is_headline(line), expected, "{line}");
        }
    }
}
