//! Neighbors: the entities within a number of hops of one entity, strongest first.
//!
//! A breadth-first search from the entity, up to `depth` hops. Each entity found gets its distance
//! (hops), the path that reaches it — among the shortest paths, the one with the highest sum of
//! edge weights (ties: the predecessor with the smaller label, then id) — that path's weight (for a
//! direct neighbour, the weight of the edge) and the number of evidence windows kept on its last
//! edge. The list is sorted by distance, then weight (heaviest first), then label, then id; `kind`
//! keeps only entities of one type (the search still passes through every type), `top` keeps the
//! first N.

use std::collections::HashMap;

use petgraph::graph::{EdgeIndex, NodeIndex};

use super::{best_edges, cmp_node};
use crate::graph::Graph;

/// What [`neighbors`] lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeighborOptions {
    /// How many hops away (0 lists nothing).
    pub depth: usize,
    /// List only entities of this type.
    pub kind: Option<String>,
    /// List at most this many.
    pub top: Option<usize>,
}

impl Default for NeighborOptions {
    /// Direct neighbours, every type, no limit.
    fn default() -> Self {
        NeighborOptions {
            depth: 1,
            kind: None,
            top: None,
        }
    }
}

/// One entity near the centre.
#[derive(Debug, Clone, PartialEq)]
pub struct Neighbor {
    /// The entity.
    pub node: NodeIndex,
    /// Hops from the centre (1 for a direct neighbour).
    pub distance: usize,
    /// The sum of the edge weights along `path` (the edge weight for a direct neighbour).
    pub weight: u64,
    /// The sum of the edges' strengths along `path` on the graph's measure
    /// ([`Graph::strength`]; the weight for `count`).
    pub score: f64,
    /// Evidence windows kept on the last edge of `path`.
    pub evidence: usize,
    /// The nodes from the centre to this entity, both included.
    pub path: Vec<NodeIndex>,
    /// The last edge of `path`.
    pub edge: EdgeIndex,
}

/// The entities within `options.depth` hops of `center`; see the [module docs](self).
///
/// # Arguments
/// * `graph`: the graph.
/// * `center`: the entity.
/// * `options`: depth, type and count.
///
/// # Returns
/// The neighbours, nearest and strongest first.
///
/// # Complexity
/// O(|V'| + |E'|·log d) for the |V'| nodes and |E'| edges within `depth` hops (d the largest
/// degree met, for choosing edges), plus O(|V'| log |V'|) to sort.
///
/// ```
/// use entgraph::graph::{Edge, Graph, GraphInfo, Link, Node};
/// use entgraph::query::{NeighborOptions, neighbors};
/// let node = |id: &str| Node { id: id.into(), label: id.into(), kind: "t".into(), mentions: 1, windows: 0, community: None,
///     documents: vec![], aliases: vec![] };
/// let edge = |a: &str, b: &str, w| Link::new(a, b, Edge { weight: w, evidence: vec![] });
/// let g = Graph::from_parts(["a", "b", "c", "d"].map(node).to_vec(),
///     vec![edge("a", "b", 1), edge("a", "c", 4), edge("c", "d", 2)], GraphInfo::default()).unwrap();
/// let near = neighbors(&g, g.index_of("a").unwrap(), &NeighborOptions { depth: 2, ..Default::default() });
/// let got: Vec<(&str, usize, u64)> = near.iter()
///     .map(|n| (g.petgraph()[n.node].id.as_str(), n.distance, n.weight)).collect();
/// assert_eq!(got, [("c", 1, 4), ("b", 1, 1), ("d", 2, 6)]);
/// ```
pub fn neighbors(graph: &Graph, center: NodeIndex, options: &NeighborOptions) -> Vec<Neighbor> {
    let g = graph.petgraph();
    if center.index() >= g.node_count() || options.depth == 0 {
        return Vec::new();
    }
    /// How a node was reached: `distance` hops, the path's `weight`, the last hop `from` a node
    /// over `edge`.
    #[derive(Clone, Copy)]
    struct Reached {
        distance: usize,
        weight: u64,
        from: NodeIndex,
        edge: EdgeIndex,
    }
    let mut seen: HashMap<NodeIndex, Reached> = HashMap::new();
    let mut frontier = vec![center];
    for d in 1..=options.depth {
        let mut next: Vec<NodeIndex> = Vec::new();
        // Candidates for the next layer: keep the heaviest path, then the smaller predecessor.
        let mut layer: HashMap<NodeIndex, Reached> = HashMap::new();
        for &u in &frontier {
            let base = if u == center { 0 } else { seen[&u].weight };
            for (v, e) in best_edges(g, u) {
                if v == center || seen.contains_key(&v) {
                    continue;
                }
                let reached = Reached {
                    distance: d,
                    weight: base.saturating_add(g[e].weight),
                    from: u,
                    edge: e,
                };
                match layer.get_mut(&v) {
                    None => {
                        layer.insert(v, reached);
                        next.push(v);
                    }
                    Some(cur) => {
                        let w = reached.weight;
                        if w > cur.weight || (w == cur.weight && cmp_node(g, u, cur.from).is_lt()) {
                            *cur = reached;
                        }
                    }
                }
            }
        }
        seen.extend(layer);
        next.sort();
        frontier = next;
        if frontier.is_empty() {
            break;
        }
    }
    let mut out: Vec<Neighbor> = seen
        .iter()
        .filter(|(v, _)| options.kind.as_ref().is_none_or(|k| &g[**v].kind == k))
        .map(|(&v, reached)| {
            let mut path = vec![v];
            let mut cur = v;
            let mut score = 0.0;
            while cur != center {
                score += graph.strength(seen[&cur].edge);
                cur = seen[&cur].from;
                path.push(cur);
            }
            path.reverse();
            Neighbor {
                node: v,
                distance: reached.distance,
                weight: reached.weight,
                score,
                evidence: g[reached.edge].evidence.len(),
                path,
                edge: reached.edge,
            }
        })
        .collect();
    let by_measure = graph.measure() != crate::measure::Measure::Count;
    out.sort_by(|a, b| {
        a.distance
            .cmp(&b.distance)
            .then_with(|| {
                if by_measure {
                    b.score.total_cmp(&a.score)
                } else {
                    b.weight.cmp(&a.weight)
                }
            })
            .then_with(|| cmp_node(g, a.node, b.node))
    });
    if let Some(top) = options.top {
        out.truncate(top);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::testgraphs::{graph, ix, with_kind};

    #[test]
    fn neighbors_depth_type_top_table() {
        // a hub H with B(3), C(1), D(3); B-E(2), C-E(5), D-F(1)
        let g = graph(
            &["H", "B", "C", "D", "E", "F"],
            &[
                (0, 1, 3),
                (0, 2, 1),
                (0, 3, 3),
                (1, 4, 2),
                (2, 4, 5),
                (3, 5, 1),
            ],
        );
        let g = with_kind(&g, "D", "film");
        let h = ix(&g, "H");
        // (options, expected (label, distance, weight, path))
        type Case<'a> = (NeighborOptions, Vec<(&'a str, usize, u64, &'a str)>);
        let cases: Vec<Case> = vec![
            (
                NeighborOptions::default(),
                vec![("B", 1, 3, "HB"), ("D", 1, 3, "HD"), ("C", 1, 1, "HC")],
            ),
            (
                NeighborOptions {
                    depth: 2,
                    ..Default::default()
                },
                vec![
                    ("B", 1, 3, "HB"),
                    ("D", 1, 3, "HD"),
                    ("C", 1, 1, "HC"),
                    ("E", 2, 6, "HCE"), // 1 + 5 beats 3 + 2
                    ("F", 2, 4, "HDF"),
                ],
            ),
            (
                NeighborOptions {
                    depth: 2,
                    kind: Some("film".into()),
                    top: None,
                },
                vec![("D", 1, 3, "HD")],
            ),
            (
                NeighborOptions {
                    depth: 5,
                    kind: None,
                    top: Some(2),
                },
                vec![("B", 1, 3, "HB"), ("D", 1, 3, "HD")],
            ),
            (
                NeighborOptions {
                    depth: 0,
                    ..Default::default()
                },
                vec![],
            ),
        ];
        for (o, want) in cases {
            let got: Vec<(String, usize, u64, String)> = neighbors(&g, h, &o)
                .iter()
                .map(|n| {
                    (
                        g.petgraph()[n.node].label.clone(),
                        n.distance,
                        n.weight,
                        n.path
                            .iter()
                            .map(|&p| g.petgraph()[p].label.as_str())
                            .collect(),
                    )
                })
                .collect();
            let want: Vec<(String, usize, u64, String)> = want
                .into_iter()
                .map(|(l, d, w, p)| (l.to_string(), d, w, p.to_string()))
                .collect();
            assert_eq!(got, want, "{o:?}");
        }
        let one = neighbors(&g, h, &NeighborOptions::default());
        assert!(one.iter().all(|n| n.evidence == 1));
    }
}
