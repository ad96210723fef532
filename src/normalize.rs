//! Normalization: consumes a document's text, produces a normalized copy that recognizers
//! match against, plus an [`OffsetMap`] back to the original.
//!
//! What changes: `\r\n` and lone `\r` become `\n`; curly and other typographic quotes and
//! apostrophes become `'` and `"`; hyphens, en and em dashes and the minus sign become `-`;
//! tabs, non-breaking and other horizontal spaces become a space and runs of them collapse to one;
//! byte-order marks, zero-width spaces, word joiners and soft hyphens are removed; the text is put
//! in Unicode NFC. Letters, digits, `#`, `@` and newlines are never removed, so paragraph breaks
//! survive and every mention found in the normalized text maps back to a span of the original.
//!
//! Guarantee: for every char boundary `n` of the normalized text, [`OffsetMap::to_original`]
//! returns a char boundary of the original, monotonically non-decreasing in `n`.

use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Maps byte offsets of a derived text back to the text it was derived from.
///
/// Stored sparsely: one anchor wherever the two texts stop moving in step.
#[derive(Debug, Clone, Default)]
pub struct OffsetMap {
    /// `(derived offset, original offset)`, sorted by derived offset; empty means identity.
    anchors: Vec<(usize, usize)>,
}

impl OffsetMap {
    /// The identity map.
    pub fn identity() -> Self {
        OffsetMap {
            anchors: Vec::new(),
        }
    }

    /// True when derived and original offsets are equal everywhere.
    pub fn is_identity(&self) -> bool {
        self.anchors.is_empty()
    }

    fn push(&mut self, derived: usize, original: usize) {
        if let Some(last) = self.anchors.last_mut() {
            if last.0 == derived {
                last.1 = original;
                return;
            }
            // Skip anchors that add nothing (same delta as the previous one).
            if derived - last.0 == original.wrapping_sub(last.1) && original >= last.1 {
                return;
            }
        } else if derived == original {
            return;
        }
        self.anchors.push((derived, original));
    }

    /// Maps a derived offset to the original text (rounded down to a char boundary of `original`).
    pub fn to_original(&self, derived: usize, original: &str) -> usize {
        self.to_original_after(derived, original, &mut 0)
    }

    /// [`OffsetMap::to_original`] for offsets asked in increasing order: `hint` (0 at first)
    /// carries where the last one was found, so a run of calls walks the map once instead of
    /// searching it each time. Any `hint` gives the same result.
    pub fn to_original_after(&self, derived: usize, original: &str, hint: &mut usize) -> usize {
        if self.anchors.is_empty() {
            return derived.min(original.len());
        }
        let from = (*hint).min(self.anchors.len());
        let i = if from > 0 && self.anchors[from - 1].0 > derived {
            // (asked out of order)
            self.anchors.partition_point(|&(d, _)| d <= derived)
        } else {
            // The first anchor past `derived`, from the hint on: a few steps, then a search.
            let mut i = from;
            let mut steps = 0;
            while i < self.anchors.len() && self.anchors[i].0 <= derived && steps < 8 {
                i += 1;
                steps += 1;
            }
            if i < self.anchors.len() && self.anchors[i].0 <= derived {
                i + self.anchors[i..].partition_point(|&(d, _)| d <= derived)
            } else {
                i
            }
        };
        *hint = i;
        let (d0, o0) = if i == 0 { (0, 0) } else { self.anchors[i - 1] };
        let mut o = o0 + (derived - d0);
        if let Some(&(_, o_next)) = self.anchors.get(i) {
            o = o.min(o_next);
        }
        let mut o = o.min(original.len());
        while !original.is_char_boundary(o) {
            o -= 1;
        }
        o
    }
}

/// A normalized text and the map back to its original.
#[derive(Debug, Clone)]
pub struct Normalized {
    /// The normalized text.
    pub text: String,
    /// Offsets of `text` -> offsets of the original.
    pub map: OffsetMap,
}

impl Normalized {
    /// Maps a byte span of the normalized text to a byte span of `original`.
    pub fn span_to_original(&self, start: usize, end: usize, original: &str) -> (usize, usize) {
        self.span_to_original_after(start, end, original, &mut 0)
    }

    /// [`Normalized::span_to_original`] for spans asked in text order (see
    /// [`OffsetMap::to_original_after`]).
    pub fn span_to_original_after(
        &self,
        start: usize,
        end: usize,
        original: &str,
        hint: &mut usize,
    ) -> (usize, usize) {
        (
            self.map.to_original_after(start, original, hint),
            self.map.to_original_after(end, original, hint),
        )
    }
}

fn quote_or_dash(c: char) -> Option<char> {
    Some(match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{00B4}' | '`' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' => '"',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => '-',
        _ => return None,
    })
}

fn is_hspace(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\u{000B}' | '\u{000C}' | '\u{00A0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}'
    )
}

fn is_removed(c: char) -> bool {
    matches!(c, '\u{FEFF}' | '\u{200B}' | '\u{2060}' | '\u{00AD}')
}

/// Normalizes `text` (see the module docs).
///
/// ```
/// use entgraph::normalize::normalize;
/// let original = "Tom Cruise\u{2019}s  stunt \u{2014} \u{201C}epic\u{201D}";
/// let n = normalize(original);
/// assert_eq!(n.text, "Tom Cruise's stunt - \"epic\"");
/// let (s, e) = n.span_to_original(19, 20, original); // the dash
/// assert_eq!(&original[s..e], "\u{2014}");
/// ```
pub fn normalize(text: &str) -> Normalized {
    let bytes = text.as_bytes();
    // Fast path: plain ASCII without tabs, CR, backticks or doubled spaces needs no change.
    let Some(first) = first_special(bytes, 0) else {
        return Normalized {
            text: text.to_string(),
            map: OffsetMap::identity(),
        };
    };
    let needs_nfc = !text[first..].is_ascii()
        && !matches!(is_nfc_quick(text[first..].chars()), IsNormalized::Yes);
    let mut out = String::with_capacity(text.len());
    let mut map = OffsetMap::identity();
    let mut prev_space = false;
    let mut i = 0;
    while i < bytes.len() {
        // Copy the run of bytes that need nothing done, in one go: the offset delta stays what it
        // was, so no anchor is needed.
        // A space right after a collapsed run of spaces is part of the run.
        let mut j = if prev_space && bytes[i] == b' ' {
            i
        } else {
            first_special(bytes, i).unwrap_or(bytes.len())
        };
        // An ASCII char followed by a combining mark composes with it: leave it to the cluster path.
        if needs_nfc
            && j > i
            && j < bytes.len()
            && text[j..]
                .chars()
                .next()
                .is_some_and(|d| canonical_combining_class(d) != 0)
        {
            j -= 1;
        }
        if j > i {
            out.push_str(&text[i..j]);
            prev_space = bytes[j - 1] == b' ';
            i = j;
            if i == bytes.len() {
                break;
            }
        }
        let c = text[i..].chars().next().expect("char boundary");
        let next_i = i + c.len_utf8();
        if c == '\r' {
            let end = if bytes.get(next_i) == Some(&b'\n') {
                next_i + 1
            } else {
                next_i
            };
            out.push('\n');
            prev_space = false;
            map.push(out.len(), end);
            i = end;
            continue;
        }
        if is_removed(c) {
            map.push(out.len(), next_i);
            i = next_i;
            continue;
        }
        if is_hspace(c) {
            if !prev_space {
                out.push(' ');
            }
            prev_space = true;
            map.push(out.len(), next_i);
            i = next_i;
            continue;
        }
        prev_space = false;
        if let Some(r) = quote_or_dash(c) {
            out.push(r);
            map.push(out.len(), next_i);
            i = next_i;
            continue;
        }
        if needs_nfc
            && (!c.is_ascii()
                || text[next_i..]
                    .chars()
                    .next()
                    .is_some_and(|d| canonical_combining_class(d) != 0))
        {
            // A cluster: this char and the combining marks that follow it.
            let mut end = next_i;
            for d in text[next_i..].chars() {
                if canonical_combining_class(d) == 0 {
                    break;
                }
                end += d.len_utf8();
            }
            out.extend(text[i..end].nfc());
            map.push(out.len(), end);
            i = end;
            continue;
        }
        // A non-ASCII char that stays as it is.
        out.push(c);
        i = next_i;
    }
    Normalized { text: out, map }
}

/// True when [`normalize`] returns `text` unchanged through its copy-only fast path (plain ASCII
/// without tabs, CR, backticks or doubled spaces).
pub fn is_plain(text: &str) -> bool {
    first_special(text.as_bytes(), 0).is_none()
}

/// Bytes that may need a change: CR, tab, vertical tab, form feed and backtick (a space is
/// special only when another horizontal space follows it; non-ASCII bytes are looked at one char
/// at a time).
const fn special_table() -> [bool; 256] {
    let mut t = [false; 256];
    t[b'\r' as usize] = true;
    t[b'\t' as usize] = true;
    t[0x0B] = true;
    t[0x0C] = true;
    t[b'`' as usize] = true;
    let mut b = 0x80;
    while b < 256 {
        t[b] = true;
        b += 1;
    }
    t
}
static SPECIAL: [bool; 256] = special_table();

/// The first position at or after `from` where [`normalize`] may change something: a special byte,
/// a non-ASCII char that is not plain (quote, dash, space, removed, or anything when NFC may be
/// needed is decided by the caller), or a space followed by another horizontal space.
fn first_special(bytes: &[u8], from: usize) -> Option<usize> {
    const LO7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const HI: u64 = 0x8080_8080_8080_8080;
    /// High bit set in each byte of `w` that equals `b` (exact).
    fn eq_mask(w: u64, b: u8) -> u64 {
        let x = w ^ (u64::from(b) * 0x0101_0101_0101_0101);
        !(((x & LO7) + LO7) | x | LO7)
    }
    let mut i = from;
    loop {
        // Eight bytes at a time while none is special (non-ASCII, a control char, a backtick, or
        // a space after a space); the word that has one is looked at byte by byte.
        while i + 8 <= bytes.len() {
            let w = u64::from_le_bytes(bytes[i..i + 8].try_into().expect("8 bytes"));
            let below_space = !((w & LO7) + 0x6060_6060_6060_6060) & !w & HI;
            let spaces = eq_mask(w, b' ');
            let flags = (w & HI) | below_space | eq_mask(w, b'`') | (spaces & (spaces >> 8));
            if i > from && bytes[i - 1] == b' ' && bytes[i] == b' ' {
                return Some(i);
            }
            if flags != 0 {
                break;
            }
            i += 8;
        }
        let stop = (i + 8).min(bytes.len());
        if i > from && i < stop && bytes[i - 1] == b' ' && bytes[i] == b' ' {
            return Some(i);
        }
        while i < stop {
            let b = bytes[i];
            if SPECIAL[b as usize] {
                return Some(i);
            }
            if b == b' ' {
                match bytes.get(i + 1) {
                    Some(&n) if n == b' ' || SPECIAL[n as usize] => return Some(i + 1),
                    _ => {}
                }
            }
            i += 1;
        }
        if i >= bytes.len() {
            return None;
        }
    }
}

/// Lowercases `text` for case-insensitive matching (full Unicode lowercase mapping), with a map back.
///
/// ```
/// let f = entgraph::normalize::fold_case("ÉCOLE Paris");
/// assert_eq!(f.text, "école paris");
/// ```
pub fn fold_case(text: &str) -> Normalized {
    if text.is_ascii() {
        return Normalized {
            text: text.to_ascii_lowercase(),
            map: OffsetMap::identity(),
        };
    }
    let mut out = String::with_capacity(text.len());
    let mut map = OffsetMap::identity();
    for (i, c) in text.char_indices() {
        let before = out.len();
        out.extend(c.to_lowercase());
        let next_i = i + c.len_utf8();
        if out.len() - before != c.len_utf8() || !map.is_identity() {
            map.push(out.len(), next_i);
        }
    }
    Normalized { text: out, map }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (name, input, expected normalized text)
    const CASES: &[(&str, &str, &str)] = &[
        (
            "ascii unchanged",
            "Tom Cruise jumped.",
            "Tom Cruise jumped.",
        ),
        ("curly apostrophe", "Cruise\u{2019}s", "Cruise's"),
        ("curly quotes", "\u{201C}Os\u{201D}", "\"Os\""),
        ("em dash", "7 \u{2014} Dead", "7 - Dead"),
        (
            "en dash",
            "Impossible \u{2013} Fallout",
            "Impossible - Fallout",
        ),
        ("nbsp and runs", "Tom\u{00A0}\u{00A0} Cruise", "Tom Cruise"),
        ("tabs", "a\t\tb", "a b"),
        ("crlf", "a\r\nb\rc", "a\nb\nc"),
        ("bom", "\u{FEFF}Tom", "Tom"),
        ("zero width", "To\u{200B}m", "Tom"),
        ("nfc", "Zu\u{0308}rich", "Zürich"),
        ("newlines kept", "a\n\nb", "a\n\nb"),
        ("emoji kept", "TV \u{1F602}#Closing", "TV \u{1F602}#Closing"),
        ("backtick", "`x'", "'x'"),
    ];

    #[test]
    fn normalize_table() {
        for (name, input, expected) in CASES {
            assert_eq!(normalize(input).text, *expected, "case {name}");
        }
    }

    /// Every char boundary of the normalized text maps to a char boundary of the original, in order,
    /// and each unchanged word maps back onto itself.
    #[test]
    fn normalize_offsets_map_back() {
        for (name, input, _) in CASES {
            let n = normalize(input);
            let mut last = 0;
            for (i, _) in n
                .text
                .char_indices()
                .chain(std::iter::once((n.text.len(), ' ')))
            {
                let o = n.map.to_original(i, input);
                assert!(input.is_char_boundary(o), "case {name}: {i} -> {o}");
                assert!(o >= last, "case {name}: not monotonic");
                last = o;
            }
            assert_eq!(
                n.map.to_original(n.text.len(), input),
                input.len(),
                "case {name}: end"
            );
        }
        let input = "\u{FEFF}\u{201C}Tom\u{00A0}Cruise\u{201D}\r\nZu\u{0308}rich Paris";
        let n = normalize(input);
        for word in ["Tom", "Cruise", "Zürich", "Paris"] {
            let s = n.text.find(word).unwrap();
            let (a, b) = n.span_to_original(s, s + word.len(), input);
            let orig: String = input[a..b].nfc().collect();
            assert_eq!(orig, word);
        }
    }

    /// The char-by-char normalizer the fast one replaced: the reference for its output and map.
    fn reference(text: &str) -> Normalized {
        let needs_nfc = !matches!(is_nfc_quick(text.chars()), IsNormalized::Yes);
        let mut out = String::with_capacity(text.len());
        let mut map = OffsetMap::identity();
        let bytes = text.as_bytes();
        let mut iter = text.char_indices().peekable();
        let mut prev_space = false;
        while let Some((i, c)) = iter.next() {
            let next_i = i + c.len_utf8();
            if c == '\r' {
                let end = if bytes.get(next_i) == Some(&b'\n') {
                    iter.next();
                    next_i + 1
                } else {
                    next_i
                };
                out.push('\n');
                prev_space = false;
                map.push(out.len(), end);
                continue;
            }
            if is_removed(c) {
                map.push(out.len(), next_i);
                continue;
            }
            if is_hspace(c) {
                if !prev_space {
                    out.push(' ');
                }
                prev_space = true;
                map.push(out.len(), next_i);
                continue;
            }
            prev_space = false;
            if let Some(r) = quote_or_dash(c) {
                out.push(r);
                map.push(out.len(), next_i);
                continue;
            }
            if needs_nfc
                && (!c.is_ascii()
                    || iter
                        .peek()
                        .is_some_and(|&(_, d)| canonical_combining_class(d) != 0))
            {
                let mut end = next_i;
                while let Some(&(j, d)) = iter.peek() {
                    if canonical_combining_class(d) == 0 {
                        break;
                    }
                    end = j + d.len_utf8();
                    iter.next();
                }
                out.extend(text[i..end].nfc());
                map.push(out.len(), end);
                continue;
            }
            out.push(c);
        }
        Normalized { text: out, map }
    }

    /// The fast normalizer gives the reference's text and offsets on mixes of every special case.
    #[test]
    fn normalize_matches_reference() {
        let pieces = [
            "a",
            "Tom",
            " ",
            "  ",
            "\t",
            "\u{00A0}",
            "\r\n",
            "\r",
            "\n",
            "\u{2019}",
            "\u{2014}",
            "`",
            "\u{200B}",
            "\u{FEFF}",
            "e\u{0301}",
            "u\u{0308}",
            "\u{0308}",
            "é",
            "😂",
            ".",
            "\u{000B}",
        ];
        let mut seed = 7u64;
        for _ in 0..20000 {
            let mut text = String::new();
            for _ in 0..(seed % 24) {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let (fast, slow) = (normalize(&text), reference(&text));
            assert_eq!(fast.text, slow.text, "{text:?}");
            for (i, _) in fast.text.char_indices().chain([(fast.text.len(), ' ')]) {
                assert_eq!(
                    fast.map.to_original(i, &text),
                    slow.map.to_original(i, &text),
                    "{text:?} at {i}"
                );
            }
        }
    }

    /// Offsets asked in order with a hint, out of order, or sparsely over many anchors map as
    /// they do one by one.
    #[test]
    fn normalize_hinted_lookups_as_plain() {
        let unit = "a\u{2019}b  c\u{2014}d\t\u{00A0}e\u{200B}f ";
        let text = unit.repeat(200);
        let n = normalize(&text);
        let ends: Vec<usize> = n
            .text
            .char_indices()
            .map(|(i, _)| i)
            .chain([n.text.len()])
            .collect();
        for step in [1, 3, 17, 40, 333] {
            let mut hint = 0;
            for &i in ends.iter().step_by(step) {
                assert_eq!(
                    n.map.to_original_after(i, &text, &mut hint),
                    n.map.to_original(i, &text),
                    "at {i} (step {step})"
                );
            }
            // Backwards: every call out of order.
            let mut hint = 0;
            for &i in ends.iter().rev().step_by(step) {
                assert_eq!(
                    n.map.to_original_after(i, &text, &mut hint),
                    n.map.to_original(i, &text)
                );
            }
        }
    }

    #[test]
    fn fold_case_maps_back() {
        let input = "İstanbul and ÉCOLE";
        let f = fold_case(input);
        let s = f.text.find("école").unwrap();
        let (a, b) = f.span_to_original(s, s + "école".len(), input);
        assert_eq!(&input[a..b], "ÉCOLE");
    }
}
