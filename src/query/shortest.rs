//! The K best shortest paths: among all paths with the fewest hops between two nodes, the K with
//! the highest sum of edge weights (ties: the smaller label sequence, then ids), found exactly.
//!
//! 1. A bidirectional BFS, always growing the smaller frontier by one whole layer, stops at the
//!    first layer where the two searches meet. With `ds`/`dt` the hop distances from either end and
//!    D the distance, every shortest path crosses the meeting layer in the set M of nodes with
//!    `ds = a`, `dt = D - a`.
//! 2. The shortest-path DAG on each side is what leads back from M to its end. Dynamic programming
//!    over its layers keeps, for every node, the K best partial paths (and how many there are):
//!    prefixes from the first end, suffixes to the second. Ranking is by weight then labels, and for
//!    paths sharing a suffix (or a prefix) the order is decided by their prefixes (suffixes) alone,
//!    so the K best full paths are among the pairs of K best prefixes and suffixes at each node of M.
//!
//! Only the nodes an intermediate may be ([`Allowed`]) are crossed.

use std::cmp::Ordering;
use std::collections::HashMap;

use petgraph::graph::{EdgeIndex, NodeIndex, UnGraph};

use super::connect::Path;
use super::{Allowed, best_edges, cmp_labels};
use crate::graph::{Edge, Graph, Node};

const UNSEEN: u32 = u32::MAX;

/// A partial path: nodes and edges in path order (from the first end for prefixes, towards the
/// second end for suffixes), and its weight.
#[derive(Debug, Clone)]
struct Partial {
    nodes: Vec<NodeIndex>,
    edges: Vec<EdgeIndex>,
    weight: u64,
}

fn rank(g: &UnGraph<Node, Edge>, a: &Partial, b: &Partial) -> Ordering {
    b.weight
        .cmp(&a.weight)
        .then_with(|| cmp_labels(g, &a.nodes, &b.nodes))
}

/// The best partial paths to one node, and how many partial paths there are (saturating).
#[derive(Debug)]
struct Best {
    partials: Vec<Partial>,
    count: u64,
}

/// The K best shortest paths and the number of shortest paths (saturating).
#[derive(Debug)]
pub(crate) struct Shortest {
    pub paths: Vec<Path>,
    pub total: u64,
}

impl Shortest {
    fn none() -> Shortest {
        Shortest {
            paths: Vec::new(),
            total: 0,
        }
    }
}

/// Sorts, drops repeated node sequences (parallel edges) and keeps the best `k`.
fn keep_best(g: &UnGraph<Node, Edge>, v: &mut Vec<Partial>, k: usize) {
    v.sort_by(|a, b| rank(g, a, b));
    v.dedup_by(|a, b| a.nodes == b.nodes);
    v.truncate(k);
}

/// The K best shortest paths from `s` to `t` (`s != t`) and the number of shortest paths
/// (saturating); no path, or none within `max_hops`, gives none and 0.
///
/// # Complexity
/// O(|V| + |E|) at worst for the search (it stops at the first meeting layer, after exploring
/// roughly the two balls of radius D/2), then O(|E'|·K·(D + log K)) for the DAG of |E'| edges.
pub(crate) fn k_shortest(
    graph: &Graph,
    s: NodeIndex,
    t: NodeIndex,
    allowed: &Allowed,
    max_hops: Option<usize>,
    k: usize,
) -> Shortest {
    let g = graph.petgraph();
    let n = g.node_count();
    let mut ds = vec![UNSEEN; n];
    let mut dt = vec![UNSEEN; n];
    ds[s.index()] = 0;
    dt[t.index()] = 0;
    let (mut fs, mut ft) = (vec![s], vec![t]);
    let (mut depth_s, mut depth_t) = (0u32, 0u32);
    // The meeting set and its layer on the s side.
    let meet: Vec<NodeIndex>;
    let split: u32;
    loop {
        if fs.is_empty() || ft.is_empty() {
            return Shortest::none();
        }
        if max_hops.is_some_and(|h| (depth_s + depth_t) as usize >= h) {
            return Shortest::none();
        }
        let grow_s = fs.len() <= ft.len();
        let (frontier, dist, other, depth) = if grow_s {
            (&mut fs, &mut ds, &dt, &mut depth_s)
        } else {
            (&mut ft, &mut dt, &ds, &mut depth_t)
        };
        *depth += 1;
        let mut next = Vec::new();
        let mut met = Vec::new();
        for &u in frontier.iter() {
            for v in g.neighbors(u) {
                if dist[v.index()] != UNSEEN || !allowed.get(v) {
                    continue;
                }
                dist[v.index()] = *depth;
                next.push(v);
                if other[v.index()] != UNSEEN {
                    met.push(v);
                }
            }
        }
        *frontier = next;
        if !met.is_empty() {
            met.sort();
            meet = met;
            split = depth_s;
            break;
        }
    }
    let d = depth_s + depth_t;

    let pre = best_partials(g, s, &meet, &ds, split, k, false);
    let suf = best_partials(g, t, &meet, &dt, d - split, k, true);
    let mut total = 0u64;
    let mut full = Vec::new();
    for m in &meet {
        let (pre, suf) = (&pre[m], &suf[m]);
        total = total.saturating_add(pre.count.saturating_mul(suf.count));
        for p in &pre.partials {
            for q in &suf.partials {
                let mut nodes = p.nodes.clone();
                nodes.extend_from_slice(&q.nodes[1..]);
                let mut edges = p.edges.clone();
                edges.extend_from_slice(&q.edges);
                full.push(Partial {
                    nodes,
                    edges,
                    weight: p.weight.saturating_add(q.weight),
                });
            }
        }
    }
    keep_best(g, &mut full, k);
    let paths = full
        .into_iter()
        .map(|p| Path::new(graph, p.nodes, p.edges))
        .collect();
    Shortest { paths, total }
}

/// For every node of `meet` (at layer `top` of `dist`, counted from `end`), the K best partial
/// paths between `end` and it over the shortest-path DAG, and how many there are. With `towards_end`
/// the paths run from the node to `end` (suffixes), else from `end` to the node (prefixes).
fn best_partials(
    g: &UnGraph<Node, Edge>,
    end: NodeIndex,
    meet: &[NodeIndex],
    dist: &[u32],
    top: u32,
    k: usize,
    towards_end: bool,
) -> HashMap<NodeIndex, Best> {
    // Layers of the DAG that leads from `end` to `meet`, found backwards from `meet`.
    let mut layers: Vec<Vec<NodeIndex>> = vec![Vec::new(); top as usize + 1];
    let mut preds: HashMap<NodeIndex, Vec<(NodeIndex, EdgeIndex)>> = HashMap::new();
    layers[top as usize] = meet.to_vec();
    for layer in (1..=top as usize).rev() {
        let mut below = Vec::new();
        for &v in &layers[layer] {
            let p: Vec<(NodeIndex, EdgeIndex)> = best_edges(g, v)
                .into_iter()
                .filter(|(u, _)| dist[u.index()] == layer as u32 - 1)
                .collect();
            for &(u, _) in &p {
                below.push(u);
            }
            preds.insert(v, p);
        }
        below.sort();
        below.dedup();
        layers[layer - 1] = below;
    }
    let mut best: HashMap<NodeIndex, Best> = HashMap::new();
    best.insert(
        end,
        Best {
            partials: vec![Partial {
                nodes: vec![end],
                edges: vec![],
                weight: 0,
            }],
            count: 1,
        },
    );
    for layer in layers.iter().skip(1) {
        for &v in layer {
            let mut cands = Vec::new();
            let mut count = 0u64;
            for &(u, e) in &preds[&v] {
                let from = &best[&u];
                count = count.saturating_add(from.count);
                let w = g[e].weight;
                for p in &from.partials {
                    let (mut nodes, mut edges) = (p.nodes.clone(), p.edges.clone());
                    if towards_end {
                        nodes.insert(0, v);
                        edges.insert(0, e);
                    } else {
                        nodes.push(v);
                        edges.push(e);
                    }
                    cands.push(Partial {
                        nodes,
                        edges,
                        weight: p.weight.saturating_add(w),
                    });
                }
            }
            keep_best(g, &mut cands, k);
            best.insert(
                v,
                Best {
                    partials: cands,
                    count,
                },
            );
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::testgraphs::{graph, ix};

    #[test]
    fn shortest_adjacent_and_long_path() {
        let g = graph(
            &["a", "b", "c", "d", "e"],
            &[(0, 1, 2), (1, 2, 1), (2, 3, 1), (3, 4, 1)],
        );
        let Shortest { paths: p, total: n } =
            k_shortest(&g, ix(&g, "a"), ix(&g, "b"), &Allowed::all(), None, 5);
        assert_eq!((p[0].labels(&g), n), (vec!["a", "b"], 1));
        let Shortest { paths: p, total: n } =
            k_shortest(&g, ix(&g, "a"), ix(&g, "e"), &Allowed::all(), None, 5);
        assert_eq!((p[0].hops(), p[0].weight, n), (4, 5, 1));
        let Shortest { paths: p, total: _ } =
            k_shortest(&g, ix(&g, "e"), ix(&g, "a"), &Allowed::all(), None, 5);
        assert_eq!(p[0].labels(&g), ["e", "d", "c", "b", "a"]);
        let Shortest { paths: p, total: n } =
            k_shortest(&g, ix(&g, "a"), ix(&g, "e"), &Allowed::all(), Some(3), 5);
        assert!(p.is_empty() && n == 0);
        let Shortest { paths: p, total: _ } =
            k_shortest(&g, ix(&g, "a"), ix(&g, "e"), &Allowed::all(), Some(4), 5);
        assert_eq!(p.len(), 1);
    }

    #[test]
    fn shortest_heaviest_first() {
        // s-x-t weight 2, s-y-t weight 6, s-z-t weight 4
        let g = graph(
            &["s", "x", "y", "z", "t"],
            &[
                (0, 1, 1),
                (1, 4, 1),
                (0, 2, 3),
                (2, 4, 3),
                (0, 3, 2),
                (3, 4, 2),
            ],
        );
        let Shortest { paths: p, total: n } =
            k_shortest(&g, ix(&g, "s"), ix(&g, "t"), &Allowed::all(), None, 2);
        assert_eq!(n, 3);
        let mids: Vec<&str> = p.iter().map(|p| p.labels(&g)[1]).collect();
        assert_eq!(mids, ["y", "z"]);
        assert_eq!(p[0].weight, 6);
    }
}
