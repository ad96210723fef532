//! Betweenness centrality (Brandes' algorithm) on the undirected graph, by hop count.
//!
//! The betweenness of v is the sum, over pairs {s, t} of other entities, of the share of shortest
//! s–t paths (fewest hops; weights are strengths, not lengths) that pass through v. It is reported
//! normalized by the number of such pairs, (|V| − 1)(|V| − 2)/2, so it lies in [0, 1]: the middle of
//! a path of three is 1.
//!
//! Exact betweenness costs one BFS per node, O(|V|·|E|). With a [`Sample`], only that many source
//! nodes, drawn without replacement by a fixed-seed generator, are searched and the sums are scaled
//! by |V| / sources: an unbiased estimate (Brandes & Pich 2007) whose output is still the same on
//! every run.

use std::collections::VecDeque;

use crate::graph::Graph;

/// Estimate betweenness from `sources` BFS sources drawn with `seed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sample {
    /// How many sources (at least 1; the exact computation when ≥ |V|).
    pub sources: usize,
    /// The seed of the generator that draws them.
    pub seed: u64,
}

/// Betweenness of every node and how it was computed.
#[derive(Debug, Clone, PartialEq)]
pub struct Betweenness {
    /// Normalized betweenness, indexed by node index.
    pub values: Vec<f64>,
    /// The sample used, or `None` when exact.
    pub sample: Option<Sample>,
}

/// The betweenness centrality of every node; see the [module docs](self).
///
/// # Arguments
/// * `graph`: the graph (edges count as one hop each; self-loops and parallel edges do not add paths).
/// * `sample`: `None` for the exact value, or the number of sources and the seed.
///
/// # Returns
/// Normalized values in [0, 1] and the sample actually used (`None` if the sample covered every node).
///
/// # Complexity
/// O(S·(|V| + |E|)) time for S sources (S = |V| when exact: O(|V|·|E|)), O(|V| + |E|) space.
///
/// ```
/// use entgraph::graph::{Edge, Graph, GraphInfo, Link, Node};
/// use entgraph::query::betweenness;
/// let node = |id: &str| Node { id: id.into(), label: id.into(), kind: "t".into(), mentions: 1, windows: 0, community: None,
///     documents: vec![], aliases: vec![] };
/// let edge = |a: &str, b: &str| Link::new(a, b, Edge { weight: 1, evidence: vec![] });
/// let g = Graph::from_parts(["a", "b", "c"].map(node).to_vec(), vec![edge("a", "b"), edge("b", "c")],
///     GraphInfo::default()).unwrap();
/// assert_eq!(betweenness(&g, None).values, [0.0, 1.0, 0.0]);
/// ```
pub fn betweenness(graph: &Graph, sample: Option<Sample>) -> Betweenness {
    let g = graph.petgraph();
    let n = g.node_count();
    // Adjacency lists without self-loops and parallel edges, in index order.
    let adj: Vec<Vec<u32>> = g
        .node_indices()
        .map(|u| {
            let mut v: Vec<u32> = g
                .neighbors(u)
                .filter(|&v| v != u)
                .map(|v| v.index() as u32)
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        })
        .collect();
    let sample = sample.filter(|s| s.sources < n).map(|s| Sample {
        sources: s.sources.max(1),
        seed: s.seed,
    });
    let sources: Vec<usize> = match sample {
        None => (0..n).collect(),
        Some(s) => draw(n, s.sources, s.seed),
    };
    let mut cb = vec![0.0f64; n];
    let mut sigma = vec![0.0f64; n];
    let mut dist = vec![u32::MAX; n];
    let mut delta = vec![0.0f64; n];
    let mut order: Vec<usize> = Vec::with_capacity(n);
    let mut queue = VecDeque::new();
    for &s in &sources {
        for &v in &order {
            sigma[v] = 0.0;
            dist[v] = u32::MAX;
            delta[v] = 0.0;
        }
        order.clear();
        sigma[s] = 1.0;
        dist[s] = 0;
        queue.push_back(s);
        while let Some(v) = queue.pop_front() {
            order.push(v);
            for &w in &adj[v] {
                let w = w as usize;
                if dist[w] == u32::MAX {
                    dist[w] = dist[v] + 1;
                    queue.push_back(w);
                }
                if dist[w] == dist[v] + 1 {
                    sigma[w] += sigma[v];
                }
            }
        }
        // Predecessors are the neighbours one hop closer: no lists needed.
        for &w in order.iter().rev() {
            for &v in &adj[w] {
                let v = v as usize;
                if dist[v] != u32::MAX && dist[v] + 1 == dist[w] {
                    delta[v] += sigma[v] / sigma[w] * (1.0 + delta[w]);
                }
            }
            if w != s {
                cb[w] += delta[w];
            }
        }
    }
    // Each unordered pair was counted from both ends (when exact); normalize by the pairs.
    let scale = match sample {
        None => 1.0,
        Some(s) => n as f64 / s.sources as f64,
    };
    let pairs = if n > 2 {
        (n - 1) as f64 * (n - 2) as f64
    } else {
        1.0
    };
    let values = cb.iter().map(|x| x * scale / pairs).collect();
    Betweenness { values, sample }
}

/// `k` distinct indices below `n`, drawn by a partial Fisher–Yates shuffle driven by splitmix64.
fn draw(n: usize, k: usize, seed: u64) -> Vec<usize> {
    let mut state = seed;
    let mut next = || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let mut all: Vec<usize> = (0..n).collect();
    for i in 0..k.min(n) {
        let j = i + (next() % (n - i) as u64) as usize;
        all.swap(i, j);
    }
    all.truncate(k.min(n));
    all.sort_unstable();
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::testgraphs::graph;

    fn close(a: &[f64], b: &[f64]) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-12)
    }

    #[test]
    fn betweenness_table() {
        // (name, labels, edges, expected normalized values in node id order)
        type Case<'a> = (&'a str, Vec<&'a str>, Vec<(usize, usize, u64)>, Vec<f64>);
        let cases: Vec<Case> = vec![
            // a path of five: raw 0, 3, 4, 3, 0 over (4·3)/2 = 6 pairs
            (
                "path",
                vec!["a", "b", "c", "d", "e"],
                vec![(0, 1, 1), (1, 2, 1), (2, 3, 1), (3, 4, 1)],
                vec![0.0, 0.5, 4.0 / 6.0, 0.5, 0.0],
            ),
            // a star: the centre is on every path
            (
                "star",
                vec!["c", "x", "y", "z"],
                vec![(0, 1, 1), (0, 2, 1), (0, 3, 1)],
                vec![1.0, 0.0, 0.0, 0.0],
            ),
            // a square: each node is on half of the paths between its two neighbours
            (
                "square",
                vec!["a", "b", "c", "d"],
                vec![(0, 1, 1), (1, 2, 1), (2, 3, 1), (3, 0, 1)],
                vec![1.0 / 6.0; 4],
            ),
            ("single", vec!["a"], vec![], vec![0.0]),
            ("empty", vec![], vec![], vec![]),
        ];
        for (name, labels, edges, want) in cases {
            let g = graph(&labels, &edges);
            let got = betweenness(&g, None);
            assert!(close(&got.values, &want), "{name}: {:?}", got.values);
            assert_eq!(got.sample, None);
        }
    }

    #[test]
    fn betweenness_sampled_is_deterministic_and_close() {
        // a long path: sampled estimates are the same twice and near the exact values in the middle
        let labels: Vec<String> = (0..60).map(|i| format!("n{i:02}")).collect();
        let refs: Vec<&str> = labels.iter().map(String::as_str).collect();
        let edges: Vec<(usize, usize, u64)> = (0..59).map(|i| (i, i + 1, 1)).collect();
        let g = graph(&refs, &edges);
        let s = Sample {
            sources: 30,
            seed: 42,
        };
        let a = betweenness(&g, Some(s));
        assert_eq!(a, betweenness(&g, Some(s)));
        assert_eq!(a.sample, Some(s));
        let exact = betweenness(&g, None);
        let mid = 30;
        assert!((a.values[mid] - exact.values[mid]).abs() < 0.2);
        // a sample as large as the graph is the exact computation
        let all = betweenness(
            &g,
            Some(Sample {
                sources: 60,
                seed: 1,
            }),
        );
        assert_eq!(all, exact);
        assert_eq!(draw(10, 3, 5).len(), 3);
    }
}
