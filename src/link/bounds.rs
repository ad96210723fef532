//! What keeps a graph's memory and output linear in its input: evidence excerpts and each
//! document's budget of evidence per byte.
//!
//! - **Excerpts.** An evidence text longer than its cap is kept as its first and last part joined
//!   by ` … ` (cut at character boundaries): [`SENTENCE_EXCERPT`] bytes for a sentence window
//!   (one text shared by every edge of the sentence), [`SPAN_EXCERPT`] for the span from one name
//!   to the other in a paragraph or document window (one text per edge). `start` and `end` still
//!   give the whole window in the document.
//! - **The budget.** Each document has its own. The first windows of each edge in the document
//!   (up to the evidence cap) cost one unit each, and up to a byte of the document the units
//!   spent may not exceed [`BUDGET_BASE`] plus one per [`SENTENCE_BYTES_PER_UNIT`] (sentence
//!   windows) or [`SPAN_BYTES_PER_UNIT`] (paragraph and document windows) bytes of it, counted
//!   through the window's end. A window whose k entities could cost more than what is left links
//!   only k' of them such that k'(k'-1)/2 fits (the first k' named in a sentence; in a paragraph
//!   or document, those of its earliest sentences, ties by id), with a warning naming the
//!   document and the window. What a document spends and which entities a cut window links
//!   depend on the document alone, so the graph does not depend on the order of the documents
//!   or on how they are grouped. Ordinary text stays far below (sentence windows on the 10 MB
//!   benchmark corpus spend 0.02 units per byte; the budget grows 0.0625 per byte), so only
//!   windows naming dozens of entities are cut.
//!
//! So a document of n bytes keeps at most [`BUDGET_BASE`] + n/6 evidence windows, each of at most
//! [`SENTENCE_EXCERPT`] bytes of text and never more than the document: beyond the per-byte
//! allowance, each document may write about [`BUDGET_BASE`] more windows.

/// The longest sentence evidence kept whole, in bytes.
pub const SENTENCE_EXCERPT: usize = 1024;
/// The longest paragraph or document evidence (from one name to the other) kept whole, in bytes.
pub const SPAN_EXCERPT: usize = 300;
/// Units each document's budget starts with.
pub const BUDGET_BASE: u64 = 1500;
/// Bytes read per unit of budget with sentence windows.
pub const SENTENCE_BYTES_PER_UNIT: u64 = 16;
/// Bytes read per unit of budget with paragraph and document windows.
pub const SPAN_BYTES_PER_UNIT: u64 = 6;

/// `text`, or when longer than `cap` bytes its first and last parts (about `cap / 2` bytes each,
/// cut at character boundaries) joined by ` … `.
///
/// ```
/// # use entgraph::link::excerpt;
/// assert_eq!(excerpt("short", 10), "short");
/// assert_eq!(excerpt("abcdefghijklmnopqrstuvwxyz", 11), "abc … xyz");
/// ```
pub fn excerpt(text: &str, cap: usize) -> std::borrow::Cow<'_, str> {
    if text.len() <= cap {
        return text.into();
    }
    const JOIN: &str = " … ";
    let half = cap.saturating_sub(JOIN.len()) / 2;
    let mut head = half;
    while !text.is_char_boundary(head) {
        head -= 1;
    }
    let mut tail = text.len() - half;
    while !text.is_char_boundary(tail) {
        tail += 1;
    }
    format!("{}{JOIN}{}", &text[..head], &text[tail..]).into()
}

/// The largest k' ≤ `k` whose k'(k'-1)/2 pairs fit in `units`.
pub(super) fn entities_within(k: usize, units: u64) -> usize {
    let pairs = |n: usize| (n as u64) * (n as u64).saturating_sub(1) / 2;
    if pairs(k) <= units {
        return k;
    }
    // (1 + sqrt(1 + 8 units)) / 2, adjusted for rounding.
    let mut n = ((1.0 + (1.0 + 8.0 * units as f64).sqrt()) / 2.0) as usize;
    while n > 0 && pairs(n) > units {
        n -= 1;
    }
    while n < k && pairs(n + 1) <= units {
        n += 1;
    }
    n.min(k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_entities_within() {
        for units in 0..200u64 {
            for k in 0..30 {
                let n = entities_within(k, units);
                let pairs = |n: usize| (n * n.saturating_sub(1) / 2) as u64;
                assert!(n <= k && pairs(n) <= units);
                assert!(n == k || pairs(n + 1) > units, "{k} {units} -> {n}");
            }
        }
        assert_eq!(entities_within(400, 7625), 123);
    }

    #[test]
    fn bounds_excerpt_cuts_at_char_boundaries() {
        let text = "é".repeat(1000);
        let e = excerpt(&text, 300);
        assert!(e.len() <= 300, "{}", e.len());
        assert!(e.starts_with("éé") && e.ends_with("éé") && e.contains(" … "));
        assert_eq!(excerpt(&text[..300], 300).len(), 300);
    }
}
