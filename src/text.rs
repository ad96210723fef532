//! Text scanning shared by every stage: the one word-character rule (the dictionary's whole-word
//! check, the rules' `\b`, partial names and the literal finder all use it) and the byte scanners
//! that skip runs of uninteresting bytes several at a time.

/// True for the characters that make up words: Unicode `\w` as the regex engines see it (letters,
/// marks, decimal digits, connector punctuation such as `_`), which is what a rule's `\b` looks
/// at. Not every alphanumeric char is one: "½" and "²" are numbers but not word chars, so "½Alan"
/// has a word boundary before "A" for the dictionary and the rules alike.
///
/// ```
/// use entgraph::text::is_word_char;
/// assert!(is_word_char('é') && is_word_char('_') && is_word_char('7'));
/// assert!(!is_word_char('½') && !is_word_char('-'));
/// ```
#[inline]
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        // The table search below, for the common case (a test checks they agree).
        c.is_ascii_alphanumeric() || c == '_'
    } else {
        regex_syntax::is_word_character(c)
    }
}

/// True when `[start, end)` of `text` sits on word boundaries, checked only on the sides where the
/// span itself begins or ends with a word character (so ".NET", "C++" and "L.A." still match).
///
/// ```
/// use entgraph::text::on_word_boundaries;
/// assert!(on_word_boundaries("see Tom run", 4, 7));
/// assert!(!on_word_boundaries("Tomas", 0, 3));
/// ```
pub fn on_word_boundaries(text: &str, start: usize, end: usize) -> bool {
    let inner = &text[start..end];
    if inner.chars().next().is_some_and(is_word_char)
        && text[..start].chars().next_back().is_some_and(is_word_char)
    {
        return false;
    }
    if inner.chars().next_back().is_some_and(is_word_char)
        && text[end..].chars().next().is_some_and(is_word_char)
    {
        return false;
    }
    true
}

/// The index of the first byte of `bytes` at or after `from` for which `special` holds, or
/// `bytes.len()`. Runs without one are skipped 32 bytes at a time; written with bitwise operators
/// (`|`, not `||`), `special` makes that test a few vector compares. Shared by the JSON and DOT
/// escapers, the sentence splitter and the rules' literal finder.
pub fn find_special(bytes: &[u8], from: usize, special: impl Fn(u8) -> bool) -> usize {
    const CHUNK: usize = 32;
    let mut i = from;
    while let Some(chunk) = bytes.get(i..i + CHUNK) {
        if chunk.iter().fold(false, |any, &b| any | special(b)) {
            break;
        }
        i += CHUNK;
    }
    // Fewer than 32 bytes left: the last 32 bytes of a longer text, tested the same way, say
    // whether there is one at all (most escaped strings are sentences, and clean).
    if i < bytes.len()
        && i + CHUNK > bytes.len()
        && bytes.len() >= CHUNK
        && !bytes[bytes.len() - CHUNK..]
            .iter()
            .fold(false, |any, &b| any | special(b))
    {
        return bytes.len();
    }
    bytes[i..]
        .iter()
        .position(|&b| special(b))
        .map_or(bytes.len(), |p| i + p)
}

/// Number of characters (Unicode scalars) in `bytes`, which must be valid UTF-8 (counts the bytes
/// that do not continue a multi-byte sequence).
pub fn count_chars(bytes: &[u8]) -> usize {
    // Continuation bytes are 0b10xxxxxx: count them eight at a time and subtract.
    let mut chunks = bytes.chunks_exact(8);
    let mut continuation = 0usize;
    for c in &mut chunks {
        let w = u64::from_le_bytes(c.try_into().expect("8 bytes"));
        continuation += (w & !(w << 1) & 0x8080_8080_8080_8080).count_ones() as usize;
    }
    continuation += chunks
        .remainder()
        .iter()
        .filter(|&&b| b & 0xC0 == 0x80)
        .count();
    bytes.len() - continuation
}

#[cfg(test)]
mod tests {
    /// The first special byte at or after every start, in texts of every length around the
    /// 32-byte steps, with the special byte at every place (and none): as a byte-by-byte search.
    #[test]
    fn text_find_special_as_naive() {
        let special = |b: u8| (b == b'"') | (b < 0x20);
        for len in [0, 1, 31, 32, 33, 63, 64, 65, 100] {
            for at in (0..len).map(Some).chain([None]) {
                let mut bytes = vec![b'a'; len];
                if let Some(at) = at {
                    bytes[at] = if at % 2 == 0 { b'"' } else { b'\n' };
                }
                for from in 0..=len {
                    let want = (from..len).find(|&i| special(bytes[i])).unwrap_or(len);
                    assert_eq!(
                        super::find_special(&bytes, from, special),
                        want,
                        "{len} {at:?} {from}"
                    );
                }
            }
        }
    }

    #[test]
    fn text_count_chars_table() {
        for s in [
            "",
            "a",
            "é",
            "abcdefgh",
            "aé😂bcdefghijklmnop–x",
            "ÉÉÉÉÉÉÉÉÉ",
        ] {
            for start in 0..s.len() {
                if s.is_char_boundary(start) {
                    let t = &s[start..];
                    assert_eq!(super::count_chars(t.as_bytes()), t.chars().count(), "{t:?}");
                }
            }
        }
    }

    #[test]
    fn text_word_char_fast_path_as_table() {
        for c in (0u8..128)
            .map(char::from)
            .chain(['é', 'ß', '½', '²', '\u{300}', '‿', '中'])
        {
            assert_eq!(
                super::is_word_char(c),
                regex_syntax::is_word_character(c),
                "{c:?}"
            );
        }
    }
}
