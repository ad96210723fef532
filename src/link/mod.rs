//! Linking: consumes each document's sentences and mentions, produces the co-occurrence
//! [`Graph`]: one node per canonical entity and one weighted, undirected edge per pair of entities
//! that share a window (sentence, paragraph or document), keeping the text of up to
//! `evidence_cap` of those windows.
//!
//! Guarantees: the same documents fed in the same order give the same graph (nodes in id order,
//! edges in (source id, target id) order, see [`crate::graph`]); evidence is kept in document order
//! (documents in the order they were added).
//!
//! - `builder.rs`: [`GraphBuilder`], which counts mentions and windows as documents come;
//! - `pair_index.rs`: where each edge is in the builder's list, by its pair of nodes;
//! - `finish.rs`: the counts put in id order, as a [`Graph`].

pub mod bounds;
mod builder;
mod finish;
mod pair_index;
#[cfg(test)]
mod tests;

pub use bounds::excerpt;
pub use builder::GraphBuilder;
