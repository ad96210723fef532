//! Edge pruning on the graph's measure ([`Graph::strength`]): a minimum score, the disparity-filter
//! backbone, and each node's strongest edges.
//!
//! **Disparity filter** (Serrano, Boguñá and Vespignani, "Extracting the multiscale backbone of
//! complex weighted networks", PNAS 106(16), 2009): at a node of degree k and strength
//! s = Σ w, the null model spreads s uniformly at random over its k edges, and an edge of weight w
//! (normalized p = w / s) is significant when α_ij = (1 − p)^(k−1) < α. An edge is kept when it is
//! significant for either end. Edges of strength 0 (negative NPMI) take no part: they count in no
//! degree and are never kept. A node of degree 1 keeps its edge only through the other end.
//!
//! # Complexity
//! O(|V| + |E|) each, plus O(|E| log |E|) for [`strongest_per_node`].

use petgraph::graph::EdgeIndex;
use petgraph::visit::EdgeRef;

use crate::graph::{Graph, Link};

/// Which edges the disparity filter keeps at significance `alpha`, by edge index.
///
/// ```
/// use entgraph::graph::{Edge, Graph, GraphInfo, Link, Node};
/// use entgraph::query::backbone::disparity_backbone;
/// let node = |id: &str| Node { id: id.into(), label: id.into(), kind: "t".into(), mentions: 1,
///     windows: 0, community: None, documents: vec![], aliases: vec![] };
/// let link = |a: &str, b: &str, weight| Link::new(a, b, Edge { weight, evidence: vec![] });
/// // A hub with one strong edge among weak ones.
/// let g = Graph::from_parts(["h", "a", "b", "c", "d"].map(node).to_vec(),
///     vec![link("h", "a", 50), link("h", "b", 1), link("h", "c", 1), link("h", "d", 1)],
///     GraphInfo::default()).unwrap();
/// assert_eq!(disparity_backbone(&g, 0.05), [true, false, false, false]);
/// ```
pub fn disparity_backbone(graph: &Graph, alpha: f64) -> Vec<bool> {
    let g = graph.petgraph();
    let n = g.node_count();
    let mut strength = vec![0.0f64; n];
    let mut degree = vec![0u32; n];
    for e in g.edge_references() {
        let w = graph.strength(e.id());
        if w > 0.0 {
            for v in [e.source().index(), e.target().index()] {
                strength[v] += w;
                degree[v] += 1;
            }
        }
    }
    let significant = |v: usize, w: f64| {
        let p = w / strength[v];
        (1.0 - p).powf(f64::from(degree[v]) - 1.0) < alpha
    };
    g.edge_references()
        .map(|e| {
            let w = graph.strength(e.id());
            w > 0.0 && (significant(e.source().index(), w) || significant(e.target().index(), w))
        })
        .collect()
}

/// Which edges are among the `k` strongest of either end, by edge index (ties: the edge whose
/// other end comes first in id order).
pub fn strongest_per_node(graph: &Graph, k: usize) -> Vec<bool> {
    let g = graph.petgraph();
    let mut keep = vec![false; g.edge_count()];
    let mut incident: Vec<(f64, usize, EdgeIndex)> = Vec::new();
    for v in g.node_indices() {
        incident.clear();
        incident.extend(g.edges(v).map(|e| {
            let other = if e.source() == v {
                e.target()
            } else {
                e.source()
            };
            (graph.strength(e.id()), other.index(), e.id())
        }));
        incident.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        for &(_, _, e) in incident.iter().take(k) {
            keep[e.index()] = true;
        }
    }
    keep
}

/// Which edges score at least `min` on the graph's measure, by edge index.
pub fn at_least(graph: &Graph, min: f64) -> Vec<bool> {
    graph
        .petgraph()
        .edge_indices()
        .map(|e| graph.strength(e) >= min)
        .collect()
}

/// The graph with only the edges `keep` marks (every node stays), ranked by the same measure.
pub fn keep_edges(graph: &Graph, keep: &[bool]) -> Graph {
    let nodes = graph.nodes().cloned().collect();
    let links = graph
        .edges()
        .zip(keep)
        .filter(|(_, k)| **k)
        .map(|(e, _)| Link::new(&e.source.id, &e.target.id, e.edge.clone()))
        .collect();
    super::subgraph(graph, nodes, links, graph.info().clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{Edge, GraphInfo, Node};

    /// The disparity filter written out by the paper's integral,
    /// α_ij = 1 − (k − 1) ∫_0^p (1 − x)^(k−2) dx, by the trapezoid rule on a fine grid; used away
    /// from the threshold, where the quadrature error cannot flip a decision.
    fn alpha_by_integral(p: f64, k: u32) -> f64 {
        if k <= 1 {
            return 1.0;
        }
        let steps = 20_000;
        let h = p / steps as f64;
        let f = |x: f64| (1.0 - x).powi(k as i32 - 2);
        let mut sum = (f(0.0) + f(p)) / 2.0;
        for i in 1..steps {
            sum += f(i as f64 * h);
        }
        1.0 - (k as f64 - 1.0) * sum * h
    }

    #[test]
    fn backbone_alpha_matches_the_integral() {
        for k in [2u32, 3, 5, 17, 80] {
            for p in [0.01f64, 0.1, 0.3, 0.5, 0.9] {
                let closed = (1.0 - p).powf(k as f64 - 1.0);
                assert!(
                    (closed - alpha_by_integral(p, k)).abs() < 1e-4,
                    "k {k} p {p}"
                );
            }
        }
    }

    #[test]
    fn backbone_strongest_per_node_and_min_score() {
        let node = |i: usize| Node {
            id: format!("n{i}"),
            label: format!("N{i}"),
            kind: "t".into(),
            mentions: 1,
            windows: 0,
            community: None,
            documents: vec![],
            aliases: vec![],
        };
        let link = |a: usize, b: usize, weight| {
            Link::new(
                format!("n{a}"),
                format!("n{b}"),
                Edge {
                    weight,
                    evidence: vec![],
                },
            )
        };
        // A star n0 - n1..n5 with weights 1..5, plus n1 - n2 of weight 1.
        let mut links: Vec<Link> = (1..6).map(|i| link(0, i, i as u64)).collect();
        links.push(link(1, 2, 1));
        let g = Graph::from_parts((0..6).map(node).collect(), links, GraphInfo::default()).unwrap();
        let kept = |keep: Vec<bool>| {
            let small = keep_edges(&g, &keep);
            small
                .edges()
                .map(|e| format!("{}-{}", e.source.id, e.target.id))
                .collect::<Vec<_>>()
                .join(" ")
        };
        // n0 keeps its 2 strongest (n5, n4); every leaf keeps its edge to n0; n1 and n2 keep n1-n2.
        assert_eq!(
            kept(strongest_per_node(&g, 2)),
            "n0-n1 n0-n2 n0-n3 n0-n4 n0-n5 n1-n2"
        );
        assert_eq!(
            kept(strongest_per_node(&g, 1)),
            "n0-n1 n0-n2 n0-n3 n0-n4 n0-n5"
        );
        assert_eq!(kept(at_least(&g, 4.0)), "n0-n4 n0-n5");
        assert_eq!(keep_edges(&g, &at_least(&g, 4.0)).node_count(), 6);
    }
}
