//! The word sets a rule checks its mentions against (`reject`, `reject_any`, `last_in`): hashed,
//! with a lower-case lookup that does not allocate for short ASCII words, since every candidate of
//! every rule asks them once per word.

use rustc_hash::FxHashSet;

/// A set of words, compared as written or in lower case.
#[derive(Debug, Clone, Default)]
pub struct WordSet(FxHashSet<Box<str>>);

impl WordSet {
    /// True when the set has no word.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The number of words.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when `word`, as written, is in the set.
    pub fn contains(&self, word: &str) -> bool {
        self.0.contains(word)
    }

    /// True when `word` in lower case is in the set.
    pub fn contains_lowercase(&self, word: &str) -> bool {
        if word.is_ascii() && word.len() <= 32 {
            let mut buf = [0u8; 32];
            let lower = &mut buf[..word.len()];
            lower.copy_from_slice(word.as_bytes());
            lower.make_ascii_lowercase();
            return self
                .0
                .contains(std::str::from_utf8(lower).expect("ASCII stays UTF-8"));
        }
        self.0.contains(word.to_lowercase().as_str())
    }
}

impl<S: Into<Box<str>>> FromIterator<S> for WordSet {
    fn from_iter<I: IntoIterator<Item = S>>(words: I) -> Self {
        WordSet(words.into_iter().map(Into::into).collect())
    }
}

impl<S: Into<Box<str>>> Extend<S> for WordSet {
    fn extend<I: IntoIterator<Item = S>>(&mut self, words: I) {
        self.0.extend(words.into_iter().map(Into::into));
    }
}

#[cfg(test)]
mod tests {
    use super::WordSet;

    #[test]
    fn lookups_as_written_and_in_lower_case() {
        let set: WordSet = ["government", "Smith", "école"].into_iter().collect();
        assert!(set.contains("Smith") && !set.contains("smith"));
        assert!(set.contains_lowercase("Government") && set.contains_lowercase("GOVERNMENT"));
        assert!(
            set.contains_lowercase("École"),
            "non-ASCII words are lowered too"
        );
        let long = "A".repeat(40);
        let set: WordSet = [long.to_lowercase()].into_iter().collect();
        assert!(
            set.contains_lowercase(&long),
            "words longer than the buffer"
        );
        assert!(!set.contains_lowercase("Hospital") && set.len() == 1);
    }
}
