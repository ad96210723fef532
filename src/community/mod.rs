//! Communities: groups of entities more linked among themselves than the weights predict, found by
//! [`leiden`] maximizing modularity on the weighted graph (the weight of an edge is its window
//! count, whatever the ranking measure), with a resolution γ (default 1; higher gives more,
//! smaller communities).
//!
//! [`Graph::detect_communities`] gives every node its `community`: 1 for the largest, then by
//! size, ties by the smallest member id. Each community is connected (a disconnected one would be
//! split, which only raises modularity). Same graph and resolution, same communities.

mod leiden;
#[cfg(test)]
mod tests;

use petgraph::graph::NodeIndex;

use crate::graph::Graph;
use leiden::Net;

/// The seed of Leiden's random orders.
const SEED: u64 = 0x5EED_1E1D_E4C0_FFEE;
/// At most this many runs of Leiden, each from the partition the one before found (as igraph and
/// leidenalg do by default: a third run gains about 0.5 % of modularity on the 100 MB benchmark graph
/// and costs about a quarter of the time).
const ITERATIONS: usize = 2;

/// One community of a graph.
#[derive(Debug, Clone, PartialEq)]
pub struct Community {
    /// Its number (1 for the largest).
    pub number: u32,
    /// Its members, by weighted degree (on the graph's measure) descending, then by label and id.
    pub members: Vec<NodeIndex>,
}

impl Graph {
    /// The weighted graph as Leiden takes it: edge weights are window counts.
    fn net(&self) -> Net {
        let edges: Vec<(u32, u32, f64)> = self
            .edges()
            .map(|e| {
                (
                    e.source_index.index() as u32,
                    e.target_index.index() as u32,
                    e.edge.weight as f64,
                )
            })
            .collect();
        Net::new(self.node_count(), &edges)
    }

    /// Finds communities with Leiden at `resolution` (γ > 0) and sets every node's `community`.
    ///
    /// # Complexity
    /// About O(|E|) per pass, a few passes; O(|V| + |E|) memory.
    pub fn detect_communities(&mut self, resolution: f64) {
        let net = self.net();
        let found = leiden::leiden(&net, resolution, SEED, ITERATIONS);
        let numbers = Self::connected_numbering(&net, &found);
        for (node, number) in self.nodes_mut().zip(numbers) {
            node.community = Some(number);
        }
    }

    /// Each node's final number: the communities of `found` split into connected parts (on `net`,
    /// this graph's edges), numbered 1, 2, … by size descending, ties by smallest member index
    /// (index order is id order).
    fn connected_numbering(net: &Net, found: &[usize]) -> Vec<u32> {
        let n = found.len();
        let mut part = vec![usize::MAX; n];
        let mut sizes: Vec<usize> = Vec::new();
        let mut members: Vec<usize> = Vec::new();
        for start in 0..n {
            if part[start] != usize::MAX {
                continue;
            }
            let p = sizes.len();
            part[start] = p;
            members.clear();
            members.push(start);
            let mut i = 0;
            while i < members.len() {
                let v = members[i];
                i += 1;
                for (u, _) in net.row(v) {
                    if part[u] == usize::MAX && found[u] == found[v] {
                        part[u] = p;
                        members.push(u);
                    }
                }
            }
            sizes.push(members.len());
        }
        // parts are met by their smallest member, so a stable sort by size keeps that tie order.
        let mut order: Vec<usize> = (0..sizes.len()).collect();
        order.sort_by_key(|&p| std::cmp::Reverse(sizes[p]));
        let mut number = vec![0u32; sizes.len()];
        for (i, &p) in order.iter().enumerate() {
            number[p] = i as u32 + 1;
        }
        part.iter().map(|&p| number[p]).collect()
    }

    /// The modularity (at `resolution`) of the nodes' communities on the count-weighted graph;
    /// a node without a community counts as alone.
    pub fn modularity(&self, resolution: f64) -> f64 {
        let n = self.node_count() as u32;
        let membership: Vec<u32> = self
            .nodes()
            .enumerate()
            .map(|(i, node)| node.community.unwrap_or(n + i as u32))
            .collect();
        let mut dense = membership.clone();
        let mut sorted = membership;
        sorted.sort_unstable();
        sorted.dedup();
        for c in dense.iter_mut() {
            *c = sorted.binary_search(c).expect("present") as u32;
        }
        self.net().modularity(&dense, resolution)
    }

    /// The communities, by number, each with its members ranked by weighted degree on
    /// [`Graph::measure`] (then label, then id). Empty when none were detected.
    pub fn communities(&self) -> Vec<Community> {
        let g = self.petgraph();
        let mut strength = vec![0.0f64; self.node_count()];
        for e in g.edge_indices() {
            let (a, b) = g.edge_endpoints(e).expect("an edge of the graph");
            let s = self.strength(e);
            strength[a.index()] += s;
            strength[b.index()] += s;
        }
        let mut out: Vec<Community> = Vec::new();
        for (i, node) in self.nodes().enumerate() {
            let Some(c) = node.community else { continue };
            let c = c as usize;
            if out.len() < c {
                out.resize_with(c, || Community {
                    number: 0,
                    members: Vec::new(),
                });
            }
            out[c - 1].number = c as u32;
            out[c - 1].members.push(NodeIndex::new(i));
        }
        out.retain(|c| c.number > 0);
        for c in &mut out {
            c.members.sort_by(|&a, &b| {
                strength[b.index()]
                    .total_cmp(&strength[a.index()])
                    .then_with(|| g[a].label.cmp(&g[b].label))
                    .then_with(|| g[a].id.cmp(&g[b].id))
            });
        }
        out
    }
}
