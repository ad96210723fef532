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

use crate::text::find_special;

/// Maps byte offsets of a derived text back to the text it was derived from.
///
/// Stored sparsely: one anchor wherever the two texts stop moving in step.
#[derive(Debug, Clone, Default)]
pub struct OffsetMap {
    /// Sorted by derived offset; empty means identity.
    anchors: Vec<Anchor>,
}

/// A point where the derived and the original text are known to correspond.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Anchor {
    derived: usize,
    original: usize,
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
            if last.derived == derived {
                last.original = original;
                return;
            }
            // Skip anchors that add nothing (same delta as the previous one).
            if derived - last.derived == original.wrapping_sub(last.original)
                && original >= last.original
            {
                return;
            }
        } else if derived == original {
            return;
        }
        self.anchors.push(Anchor { derived, original });
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
        let i = if from > 0 && self.anchors[from - 1].derived > derived {
            // (asked out of order)
            self.anchors.partition_point(|a| a.derived <= derived)
        } else {
            // The first anchor past `derived`, from the hint on: a few steps, then a search.
            let mut i = from;
            let mut steps = 0;
            while i < self.anchors.len() && self.anchors[i].derived <= derived && steps < 8 {
                i += 1;
                steps += 1;
            }
            if i < self.anchors.len() && self.anchors[i].derived <= derived {
                i + self.anchors[i..].partition_point(|a| a.derived <= derived)
            } else {
                i
            }
        };
        *hint = i;
        let before = if i == 0 {
            Anchor::default()
        } else {
            self.anchors[i - 1]
        };
        let mut o = before.original + (derived - before.derived);
        if let Some(next) = self.anchors.get(i) {
            o = o.min(next.original);
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
    let mut changes = Changes::new(bytes);
    // Fast path: plain ASCII without tabs, CR, backticks or doubled spaces needs no change.
    let first = changes.next(0);
    if first == bytes.len() {
        return Normalized {
            text: text.to_string(),
            map: OffsetMap::identity(),
        };
    }
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
            changes.next(i)
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
    Changes::new(text.as_bytes()).next(0) == text.len()
}

/// Bytes that may need a change: CR, tab, vertical tab, form feed, backtick, and every byte of a
/// non-ASCII char (looked at one char at a time). A space needs one only when it follows another
/// space ([`Changes`]). Written with `|` so [`find_special`] tests 32 bytes at a time.
#[inline]
fn is_special(b: u8) -> bool {
    (b == b'\r') | (b == b'\t') | (b == 0x0B) | (b == 0x0C) | (b == b'`') | (b >= 0x80)
}

/// Finds, at or after a position, the first place where [`normalize`] may change something: a byte
/// for which [`is_special`] holds, or a space right after another space (both at or after the
/// position). Each is a byte search ([`find_special`], and `memmem` for the two spaces) whose hit
/// is kept until the position passes it, so asking at increasing positions reads the text about
/// once.
struct Changes<'a> {
    bytes: &'a [u8],
    /// The first special byte at or after the last position searched from, or `bytes.len()`.
    special: usize,
    /// Where the first `"  "` at or after the last position searched from starts, or
    /// `bytes.len()`; the change is at its second space.
    pair: usize,
}

impl<'a> Changes<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Changes {
            bytes,
            special: find_special(bytes, 0, is_special),
            pair: find_pair(bytes, 0),
        }
    }

    /// The first place at or after `from` (never smaller than an earlier call's `from`) that may
    /// change, or `bytes.len()`.
    fn next(&mut self, from: usize) -> usize {
        if self.special < from {
            self.special = find_special(self.bytes, from, is_special);
        }
        if self.pair < from {
            self.pair = find_pair(self.bytes, from);
        }
        self.special.min(if self.pair < self.bytes.len() {
            self.pair + 1
        } else {
            self.bytes.len()
        })
    }
}

/// Where the first two spaces in a row at or after `from` start, or `bytes.len()`.
fn find_pair(bytes: &[u8], from: usize) -> usize {
    memchr::memmem::find(&bytes[from..], b"  ").map_or(bytes.len(), |p| from + p)
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

    /// The char-by-char normalizer, obviously right: the reference for the fast one's output and map.
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

    /// `Changes` asked at every increasing run of positions finds what a byte-by-byte look finds:
    /// the first special byte, or space after a space, at or after the position.
    #[test]
    fn normalize_changes_as_naive() {
        let naive = |bytes: &[u8], from: usize| {
            (from..bytes.len())
                .find(|&p| {
                    is_special(bytes[p]) || (p > from && bytes[p] == b' ' && bytes[p - 1] == b' ')
                })
                .unwrap_or(bytes.len())
        };
        let pieces: [&[u8]; 8] = [
            b"a",
            b" ",
            b"  ",
            b"\t",
            b"\n",
            b"`",
            "\u{2019}".as_bytes(),
            b"xyz",
        ];
        let mut seed = 11u64;
        for _ in 0..3000 {
            let mut bytes = Vec::new();
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            // Long runs of plain bytes too, so the 32-byte steps are crossed.
            for _ in 0..(seed >> 59) {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let piece = pieces[(seed >> 33) as usize % pieces.len()];
                let times = if seed.is_multiple_of(5) { 40 } else { 1 };
                for _ in 0..times {
                    bytes.extend_from_slice(piece);
                }
            }
            // Positions asked in increasing order with steps of 1..=7.
            let step = 1 + (seed >> 40) as usize % 7;
            let mut changes = Changes::new(&bytes);
            for from in (0..=bytes.len()).step_by(step) {
                assert_eq!(
                    changes.next(from),
                    naive(&bytes, from),
                    "{bytes:?} from {from}"
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
