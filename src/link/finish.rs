//! [`GraphBuilder::finish`]: the counted nodes and edges, in id order, as a [`Graph`].

use super::builder::{EdgeAcc, GraphBuilder, NodeAcc};
use crate::graph::{Graph, GraphInfo, Node, RankedEdge, set_id};

impl GraphBuilder {
    /// Finishes the graph, dropping edges seen fewer than `min_weight` times.
    ///
    /// The builder numbers nodes in the order it met them; the graph orders them by id. So the
    /// ids are sorted first; then, on two threads when the builder was given two or more, the
    /// nodes are put in that order on one while the edges are renumbered and sorted on the other.
    pub fn finish(mut self, min_weight: u64) -> Graph {
        self.end_document();
        let mut sources = std::mem::take(&mut self.sources);
        sources.sort_unstable();
        let set = set_id(&sources, self.window, min_weight, &self.options);
        let info = GraphInfo {
            window: self.window,
            documents: self.documents,
            mentions: self.mentions,
            min_weight,
            windows: self.windows,
            set,
            sources,
        };
        let order = id_order(&self.nodes);
        let mut rank = vec![0u32; order.len()];
        for (r, &n) in order.iter().enumerate() {
            rank[n as usize] = r as u32;
        }
        let (nodes, edges) = (self.nodes, self.edges);
        let nodes_in_order = || nodes_in_order(nodes, &order);
        let ranked = || ranked_edges(edges, &rank, min_weight);
        let (nodes, edges) = if self.threads > 1 {
            std::thread::scope(|s| {
                let nodes = s.spawn(nodes_in_order);
                let edges = ranked();
                let nodes = nodes
                    .join()
                    .unwrap_or_else(|e| std::panic::resume_unwind(e));
                (nodes, edges)
            })
        } else {
            (nodes_in_order(), ranked())
        };
        Graph::from_sorted(nodes, edges, info)
    }
}

/// The nodes, in `order`, as the graph's nodes (each node's documents sorted, without repeats).
fn nodes_in_order(nodes: Vec<NodeAcc>, order: &[u32]) -> Vec<Node> {
    let mut slots: Vec<Option<NodeAcc>> = nodes.into_iter().map(Some).collect();
    order
        .iter()
        .map(|&n| {
            let mut n = slots[n as usize].take().expect("each node once");
            n.documents.sort_unstable();
            n.documents.dedup();
            Node {
                id: n.id.to_string(),
                label: n.label,
                kind: n.kind,
                mentions: n.mentions,
                windows: n.windows,
                community: None,
                documents: n.documents,
                aliases: n.aliases.into_iter().collect(),
            }
        })
        .collect()
}

/// The edges of at least `min_weight`, between node ranks instead of node numbers, sorted.
fn ranked_edges(mut edges: Vec<EdgeAcc>, rank: &[u32], min_weight: u64) -> Vec<RankedEdge> {
    edges.retain(|e| e.edge.weight >= min_weight);
    let mut ranked: Vec<RankedEdge> = edges
        .into_iter()
        .map(|e| {
            let (a, b) = (rank[e.pair.lower as usize], rank[e.pair.higher as usize]);
            RankedEdge {
                lower: a.min(b),
                higher: a.max(b),
                edge: e.edge,
            }
        })
        .collect();
    // Pairs are distinct: the order is total.
    ranked.sort_unstable_by_key(|e| (e.lower, e.higher));
    ranked
}

/// The node numbers of `nodes` in id order. Each id's first 16 bytes, as a big-endian number
/// (zero-padded), decide most comparisons without reading the ids again from all over memory;
/// equal keys fall back to the ids.
pub(super) fn id_order(nodes: &[NodeAcc]) -> Vec<u32> {
    struct Keyed {
        prefix: u128,
        node: u32,
    }
    let mut keyed: Vec<Keyed> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let mut key = [0u8; 16];
            let id = n.id.as_bytes();
            let k = id.len().min(16);
            key[..k].copy_from_slice(&id[..k]);
            Keyed {
                prefix: u128::from_be_bytes(key),
                node: i as u32,
            }
        })
        .collect();
    keyed.sort_unstable_by(|a, b| {
        a.prefix
            .cmp(&b.prefix)
            .then_with(|| nodes[a.node as usize].id.cmp(&nodes[b.node as usize].id))
    });
    keyed.into_iter().map(|k| k.node).collect()
}
