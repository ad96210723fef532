//! Weighted PageRank on the undirected co-occurrence graph.
//!
//! A random walker at an entity moves to a neighbour with probability proportional to the weight
//! of the edge between them, or (with probability 1 − damping) jumps to any entity; an entity
//! without edges (or only edges of weight 0) sends its walker anywhere. Power iteration from the
//! uniform vector until the L1 change is below the tolerance or the iteration limit is reached, in
//! a fixed order, so the result is the same on every run. Self-loops are ignored.
//!
//! petgraph's `page_rank` is unweighted and O(n·|V|²·|E|) for n iterations; this is O(n·(|V| + |E|)).

use petgraph::visit::EdgeRef;

use crate::graph::Graph;

/// The damping factor of [`pagerank`] in `entgraph stats`.
pub const DAMPING: f64 = 0.85;
/// The convergence tolerance (L1 distance between iterations) used by `entgraph stats`.
pub const TOLERANCE: f64 = 1e-10;
/// The iteration limit used by `entgraph stats`.
pub const MAX_ITERATIONS: usize = 1000;

/// The PageRank of every node, indexed by node index; the ranks sum to 1.
///
/// # Arguments
/// * `graph`: the graph (edge weights are the transition weights).
/// * `damping`: the probability of following an edge, clamped to [0, 1]; 0.85 is usual.
/// * `tolerance`: stop when the L1 change of an iteration is below this.
/// * `max_iterations`: stop after this many iterations anyway.
///
/// # Returns
/// One rank per node (empty for an empty graph).
///
/// # Complexity
/// O(n·(|V| + |E|)) time for n iterations, O(|V|) space.
///
/// ```
/// use entgraph::graph::{Edge, Graph, GraphInfo, Link, Node};
/// use entgraph::query::pagerank;
/// let node = |id: &str| Node { id: id.into(), label: id.into(), kind: "t".into(), mentions: 1, windows: 0, community: None,
///     documents: vec![], aliases: vec![] };
/// let edge = |a: &str, b: &str| Link::new(a, b, Edge { weight: 1, evidence: vec![] });
/// // a star: the centre ranks highest
/// let g = Graph::from_parts(["c", "x", "y", "z"].map(node).to_vec(),
///     vec![edge("c", "x"), edge("c", "y"), edge("c", "z")], GraphInfo::default()).unwrap();
/// let pr = pagerank(&g, 0.85, 1e-12, 1000);
/// assert!((pr.iter().sum::<f64>() - 1.0).abs() < 1e-9);
/// assert!(pr[g.index_of("c").unwrap().index()] > pr[g.index_of("x").unwrap().index()]);
/// ```
pub fn pagerank(graph: &Graph, damping: f64, tolerance: f64, max_iterations: usize) -> Vec<f64> {
    let g = graph.petgraph();
    let n = g.node_count();
    if n == 0 {
        return Vec::new();
    }
    let d = if damping.is_nan() {
        0.85
    } else {
        damping.clamp(0.0, 1.0)
    };
    let nf = n as f64;
    let edges: Vec<(usize, usize, f64)> = g
        .edge_references()
        .filter(|e| e.source() != e.target())
        .map(|e| {
            (
                e.source().index(),
                e.target().index(),
                e.weight().weight as f64,
            )
        })
        .collect();
    let mut strength = vec![0.0f64; n];
    for &(a, b, w) in &edges {
        strength[a] += w;
        strength[b] += w;
    }
    let mut rank = vec![1.0 / nf; n];
    let mut next = vec![0.0f64; n];
    for _ in 0..max_iterations {
        let dangling: f64 = (0..n)
            .filter(|&i| strength[i] == 0.0)
            .map(|i| rank[i])
            .sum();
        let base = (1.0 - d) / nf + d * dangling / nf;
        next.iter_mut().for_each(|x| *x = base);
        for &(a, b, w) in &edges {
            if w == 0.0 {
                continue;
            }
            next[b] += d * rank[a] * w / strength[a];
            next[a] += d * rank[b] * w / strength[b];
        }
        let change: f64 = rank.iter().zip(&next).map(|(x, y)| (x - y).abs()).sum();
        std::mem::swap(&mut rank, &mut next);
        if change < tolerance {
            break;
        }
    }
    let sum: f64 = rank.iter().sum();
    if sum > 0.0 {
        rank.iter_mut().for_each(|x| *x /= sum);
    }
    rank
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::testgraphs::{graph, ix};

    #[test]
    fn pagerank_sums_to_one_and_is_symmetric() {
        // a path a-b-c plus an isolated d
        let g = graph(&["a", "b", "c", "d"], &[(0, 1, 1), (1, 2, 1)]);
        let pr = pagerank(&g, DAMPING, TOLERANCE, MAX_ITERATIONS);
        assert!((pr.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        let r = |l| pr[ix(&g, l).index()];
        assert!((r("a") - r("c")).abs() < 1e-12);
        assert!(r("b") > r("a") && r("a") > r("d"));
        // the same on every run
        assert_eq!(pr, pagerank(&g, DAMPING, TOLERANCE, MAX_ITERATIONS));
    }

    #[test]
    fn pagerank_follows_weights() {
        // x is tied to a by weight 9, y by weight 1
        let g = graph(&["a", "x", "y"], &[(0, 1, 9), (0, 2, 1)]);
        let pr = pagerank(&g, DAMPING, TOLERANCE, MAX_ITERATIONS);
        assert!(pr[ix(&g, "x").index()] > pr[ix(&g, "y").index()]);
        assert!(pagerank(&graph(&[], &[]), 0.85, 1e-9, 10).is_empty());
        // a regular graph (a cycle) is uniform
        let c = graph(&["a", "b", "c"], &[(0, 1, 2), (1, 2, 2), (2, 0, 2)]);
        for x in pagerank(&c, DAMPING, TOLERANCE, MAX_ITERATIONS) {
            assert!((x - 1.0 / 3.0).abs() < 1e-12);
        }
    }
}
