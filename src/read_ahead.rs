//! Reading ahead: a loop that must follow pointers or hashes all over a large memory, one item
//! after the other, waits for memory once per item, each wait alone. Reading the places the next
//! items need first, in one go, lets those independent reads wait together; the loop then finds
//! them in the cache. Two loops are bound by this: linking, where most of a sentence's pairs of
//! entities land in a random slot of a pair index of tens of megabytes
//! ([`crate::link`]'s `PairIndex`), and the writers of `graph.json` and `graph.dot`, whose edges'
//! strings lie anywhere in memory ([`crate::graph::Graph`]'s `edges_read_ahead`).
//!
//! Each is a speed trick, kept because it saves several percent of a whole `build` on a large
//! corpus; outputs do not depend on it.

/// Reads every value of `values` (each a load from memory a later step needs) and keeps the
/// result from being optimized away.
#[inline]
pub(crate) fn read_ahead(values: impl IntoIterator<Item = u64>) {
    let x = values.into_iter().fold(0u64, |x, v| x ^ v);
    std::hint::black_box(x);
}
