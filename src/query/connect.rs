//! Connect: the paths that link two entities.
//!
//! Two rankings:
//! - **shortest** (default): every path with the fewest hops is a candidate; they are ranked by the
//!   sum of their edge weights (heaviest first), then by their sequence of labels (then ids),
//!   compared node by node. The best K are found exactly without listing every shortest path (there
//!   can be exponentially many), see `shortest.rs`.
//! - **strongest**: paths of any length, ranked by cost = Σ 1/weight over their edges (cheapest
//!   first), then by weight, then labels: a chain of strong links beats a short weak one. The K best
//!   loopless paths come from Yen's algorithm over bidirectional Dijkstra, see `yen.rs`.
//!
//! Both respect `max_hops`, `via` (every intermediate entity has this type) and `exclude` (ids no
//! path may pass through). The two ends are never filtered out. Output is deterministic.

use std::collections::BTreeSet;

use petgraph::graph::{EdgeIndex, NodeIndex};

use super::Allowed;
use crate::graph::{Edge, Graph};

/// What [`connect`] looks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectOptions {
    /// How many paths to return (K); 0 returns none.
    pub paths: usize,
    /// Rank by the strongest chain (Σ 1/weight) instead of the fewest hops.
    pub strongest: bool,
    /// Longest path allowed, in hops.
    pub max_hops: Option<usize>,
    /// Every intermediate entity must have this type.
    pub via: Option<String>,
    /// Ids of entities no path may pass through (unknown ids are ignored; the two ends are never
    /// excluded).
    pub exclude: BTreeSet<String>,
}

impl Default for ConnectOptions {
    /// Five shortest paths, no constraint.
    fn default() -> Self {
        ConnectOptions {
            paths: 5,
            strongest: false,
            max_hops: None,
            via: None,
            exclude: BTreeSet::new(),
        }
    }
}

/// One path between the two ends.
#[derive(Debug, Clone, PartialEq)]
pub struct Path {
    /// The nodes, from the first end to the second.
    pub nodes: Vec<NodeIndex>,
    /// The edges, `edges[i]` between `nodes[i]` and `nodes[i + 1]`.
    pub edges: Vec<EdgeIndex>,
    /// The sum of the edge weights.
    pub weight: u64,
    /// The sum of 1/weight over the edges (the strongest-chain cost; lower is stronger).
    pub cost: f64,
}

impl Path {
    /// A path from its nodes and edges, with its weight and cost computed in path order.
    pub(crate) fn new(g: &Graph, nodes: Vec<NodeIndex>, edges: Vec<EdgeIndex>) -> Path {
        let weight = edges
            .iter()
            .map(|&e| g.petgraph()[e].weight)
            .fold(0u64, u64::saturating_add);
        let cost = edges.iter().map(|&e| super::cost(g, e)).sum();
        Path {
            nodes,
            edges,
            weight,
            cost,
        }
    }

    /// The number of edges.
    pub fn hops(&self) -> usize {
        self.edges.len()
    }

    /// The labels of the nodes, in order.
    pub fn labels<'g>(&self, g: &'g Graph) -> Vec<&'g str> {
        self.nodes
            .iter()
            .map(|&n| g.petgraph()[n].label.as_str())
            .collect()
    }

    /// The ids of the nodes, in order.
    pub fn ids<'g>(&self, g: &'g Graph) -> Vec<&'g str> {
        self.nodes
            .iter()
            .map(|&n| g.petgraph()[n].id.as_str())
            .collect()
    }

    /// Each hop, in path order.
    pub fn hops_iter<'a>(&'a self, g: &'a Graph) -> impl Iterator<Item = Hop<'a>> + 'a {
        self.edges.iter().enumerate().map(move |(i, &e)| Hop {
            from: self.nodes[i],
            to: self.nodes[i + 1],
            edge: &g.petgraph()[e],
        })
    }
}

/// One hop of a [`Path`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hop<'g> {
    /// The node the hop leaves.
    pub from: NodeIndex,
    /// The node it reaches.
    pub to: NodeIndex,
    /// The edge between them.
    pub edge: &'g Edge,
}

/// What [`connect`] found.
#[derive(Debug, Clone, PartialEq)]
pub struct Connection {
    /// The best paths, best first; empty when the ends are not connected (under the constraints).
    pub paths: Vec<Path>,
    /// How many candidate paths there were: in shortest mode the number of shortest paths
    /// (saturating at `u64::MAX`), in strongest mode the number returned.
    pub total: u64,
}

/// The best paths from `from` to `to`; see the [module docs](self) for the rankings.
///
/// # Arguments
/// * `graph`: the graph.
/// * `from`, `to`: the two ends (if equal, the one path of zero hops).
/// * `options`: K, the ranking and the constraints.
///
/// # Returns
/// Up to K paths, best first, and the number of candidates.
///
/// # Complexity
/// Shortest: O(|V| + |E|) for the bidirectional BFS (in practice the balls around the two ends
/// until they meet) plus O(K·|E'|·(h + log K)) for the K-best walk of the shortest-path DAG of
/// |E'| edges and h hops. Strongest: Yen's O(K·h) Dijkstra runs, each O((|V| + |E|) log |V|)
/// at worst (bidirectional, so usually a small part of the graph); with `max_hops` = H each run
/// works on (node, hops) states, O(H·(|V| + |E|) log(H·|V|)) at worst. `via`/`exclude` add O(|V|).
///
/// ```
/// use std::collections::BTreeSet;
/// use entgraph::graph::{Edge, Graph, GraphInfo, Link, Node};
/// use entgraph::query::{ConnectOptions, connect};
/// let node = |id: &str| Node { id: id.into(), label: id.to_uppercase(), kind: "t".into(),
///     mentions: 1, windows: 0, community: None, documents: vec![], aliases: vec![] };
/// let edge = |a: &str, b: &str, w| Link::new(a, b, Edge { weight: w, evidence: vec![] });
/// // a - b - d (weights 1, 1) and a - c - e - d (weights 9, 9, 9)
/// let g = Graph::from_parts(["a", "b", "c", "d", "e"].map(node).to_vec(),
///     vec![edge("a", "b", 1), edge("b", "d", 1), edge("a", "c", 9), edge("c", "e", 9), edge("e", "d", 9)],
///     GraphInfo::default()).unwrap();
/// let (a, d) = (g.index_of("a").unwrap(), g.index_of("d").unwrap());
/// let short = connect(&g, a, d, &ConnectOptions::default());
/// assert_eq!(short.paths[0].ids(&g), ["a", "b", "d"]);
/// let strong = connect(&g, a, d, &ConnectOptions { strongest: true, ..Default::default() });
/// assert_eq!(strong.paths[0].ids(&g), ["a", "c", "e", "d"]);
/// assert_eq!(strong.paths.len(), 2);
/// let avoid = connect(&g, a, d, &ConnectOptions { exclude: BTreeSet::from(["c".to_string()]), ..Default::default() });
/// assert_eq!(avoid.paths.len(), 1);
/// let near = connect(&g, a, d, &ConnectOptions { max_hops: Some(1), ..Default::default() });
/// assert!(near.paths.is_empty());
/// ```
pub fn connect(
    graph: &Graph,
    from: NodeIndex,
    to: NodeIndex,
    options: &ConnectOptions,
) -> Connection {
    let none = Connection {
        paths: Vec::new(),
        total: 0,
    };
    if options.paths == 0 || from.index() >= graph.node_count() || to.index() >= graph.node_count()
    {
        return none;
    }
    if from == to {
        return Connection {
            paths: vec![Path::new(graph, vec![from], vec![])],
            total: 1,
        };
    }
    let allowed = Allowed::new(graph, options.via.as_deref(), &options.exclude, [from, to]);
    if options.strongest {
        let paths =
            super::yen::k_strongest(graph, from, to, &allowed, options.max_hops, options.paths);
        let total = paths.len() as u64;
        Connection { paths, total }
    } else {
        let found =
            super::shortest::k_shortest(graph, from, to, &allowed, options.max_hops, options.paths);
        Connection {
            paths: found.paths,
            total: found.total,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::testgraphs::{graph, ix, with_kind};

    fn run(g: &Graph, a: &str, b: &str, o: ConnectOptions) -> Vec<Vec<String>> {
        connect(g, ix(g, a), ix(g, b), &o)
            .paths
            .iter()
            .map(|p| p.labels(g).iter().map(|s| s.to_string()).collect())
            .collect()
    }

    fn diamond() -> Graph {
        // A - B - D, A - C - D, A - E - F - D; B--D weight 3
        graph(
            &["A", "B", "C", "D", "E", "F"],
            &[
                (0, 1, 1),
                (1, 3, 3),
                (0, 2, 1),
                (2, 3, 1),
                (0, 4, 5),
                (4, 5, 5),
                (5, 3, 5),
            ],
        )
    }

    #[test]
    fn connect_constraints_table() {
        let g = diamond();
        let mut exclude_b = BTreeSet::new();
        exclude_b.insert("person:b".to_string());
        // (name, options, expected paths)
        let cases: Vec<(&str, ConnectOptions, Vec<&str>)> = vec![
            ("default", ConnectOptions::default(), vec!["ABD", "ACD"]),
            (
                "one path",
                ConnectOptions {
                    paths: 1,
                    ..Default::default()
                },
                vec!["ABD"],
            ),
            (
                "exclude",
                ConnectOptions {
                    exclude: exclude_b.clone(),
                    ..Default::default()
                },
                vec!["ACD"],
            ),
            (
                "strongest",
                ConnectOptions {
                    strongest: true,
                    ..Default::default()
                },
                // costs: AEFD 0.6, ABD 1.33, ACD 2
                vec!["AEFD", "ABD", "ACD"],
            ),
            (
                "strongest, max 2 hops",
                ConnectOptions {
                    strongest: true,
                    max_hops: Some(2),
                    ..Default::default()
                },
                vec!["ABD", "ACD"],
            ),
            (
                "strongest, exclude",
                ConnectOptions {
                    strongest: true,
                    exclude: exclude_b,
                    paths: 1,
                    ..Default::default()
                },
                vec!["AEFD"],
            ),
            (
                "max 1 hop",
                ConnectOptions {
                    max_hops: Some(1),
                    ..Default::default()
                },
                vec![],
            ),
            (
                "zero paths",
                ConnectOptions {
                    paths: 0,
                    ..Default::default()
                },
                vec![],
            ),
        ];
        for (name, o, want) in cases {
            let got: Vec<String> = run(&g, "A", "D", o)
                .into_iter()
                .map(|p| p.concat())
                .collect();
            assert_eq!(got, want, "{name}");
        }
    }

    #[test]
    fn connect_via_type() {
        let g = with_kind(&diamond(), "C", "film");
        let got = run(
            &g,
            "A",
            "D",
            ConnectOptions {
                via: Some("film".into()),
                ..Default::default()
            },
        );
        assert_eq!(got, [["A", "C", "D"]]);
        let got = run(
            &g,
            "A",
            "D",
            ConnectOptions {
                via: Some("film".into()),
                strongest: true,
                ..Default::default()
            },
        );
        assert_eq!(got, [["A", "C", "D"]]);
    }

    #[test]
    fn connect_ties_are_ordered_by_labels() {
        // Four two-hop paths of equal weight, nodes added in a scrambled order.
        let g = graph(
            &["S", "Zed", "Amy", "Bob", "T", "Cat"],
            &[
                (0, 1, 1),
                (1, 4, 1),
                (0, 2, 1),
                (2, 4, 1),
                (0, 5, 1),
                (5, 4, 1),
                (0, 3, 1),
                (3, 4, 1),
            ],
        );
        for strongest in [false, true] {
            let got = run(
                &g,
                "S",
                "T",
                ConnectOptions {
                    strongest,
                    ..Default::default()
                },
            );
            let mids: Vec<&str> = got.iter().map(|p| p[1].as_str()).collect();
            assert_eq!(mids, ["Amy", "Bob", "Cat", "Zed"], "strongest {strongest}");
        }
    }

    #[test]
    fn connect_same_node_and_disconnected() {
        let g = graph(&["A", "B", "C"], &[(0, 1, 1)]);
        let same = connect(&g, ix(&g, "A"), ix(&g, "A"), &ConnectOptions::default());
        assert_eq!(same.paths.len(), 1);
        assert_eq!(same.paths[0].hops(), 0);
        for strongest in [false, true] {
            let o = ConnectOptions {
                strongest,
                ..Default::default()
            };
            let none = connect(&g, ix(&g, "A"), ix(&g, "C"), &o);
            assert!(none.paths.is_empty());
            assert_eq!(none.total, 0);
        }
    }

    #[test]
    fn connect_counts_all_shortest_paths() {
        // A grid-like ladder: 2^3 shortest paths from s to t through three diamonds.
        let g = graph(
            &["s", "a1", "b1", "m1", "a2", "b2", "m2", "a3", "b3", "t"],
            &[
                (0, 1, 1),
                (0, 2, 1),
                (1, 3, 1),
                (2, 3, 1),
                (3, 4, 1),
                (3, 5, 1),
                (4, 6, 1),
                (5, 6, 1),
                (6, 7, 1),
                (6, 8, 1),
                (7, 9, 1),
                (8, 9, 1),
            ],
        );
        let c = connect(&g, ix(&g, "s"), ix(&g, "t"), &ConnectOptions::default());
        assert_eq!(c.total, 8);
        assert_eq!(c.paths.len(), 5);
        assert!(c.paths.iter().all(|p| p.hops() == 6));
        // the label order: a1 < b1, so the first path takes every a
        assert_eq!(
            c.paths[0].labels(&g),
            ["s", "a1", "m1", "a2", "m2", "a3", "t"]
        );
        let mut sorted = c.paths.clone();
        sorted.sort_by(|x, y| crate::query::cmp_labels(g.petgraph(), &x.nodes, &y.nodes));
        assert_eq!(sorted, c.paths);
    }

    #[test]
    fn connect_shortest_ranked_by_weight_exactly() {
        // Compare the K-best DAG walk with brute force over every shortest path on random graphs.
        let mut seed = 7u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for round in 0..40 {
            let n = 8 + (next() % 6) as usize;
            let labels: Vec<String> = (0..n).map(|i| format!("n{i:02}")).collect();
            let label_refs: Vec<&str> = labels.iter().map(String::as_str).collect();
            let mut edges = Vec::new();
            for a in 0..n {
                for b in a + 1..n {
                    if next() % 3 == 0 {
                        edges.push((a, b, 1 + next() % 4));
                    }
                }
            }
            let g = graph(&label_refs, &edges);
            let (s, t) = (ix(&g, "n00"), ix(&g, &labels[n - 1]));
            let k = 1 + (next() % 6) as usize;
            let got = connect(
                &g,
                s,
                t,
                &ConnectOptions {
                    paths: k,
                    ..Default::default()
                },
            );
            let mut all = brute_force_simple_paths(&g, s, t);
            if all.is_empty() {
                assert!(got.paths.is_empty(), "round {round}");
                continue;
            }
            let min = all.iter().map(|p| p.hops()).min().unwrap();
            all.retain(|p| p.hops() == min);
            assert_eq!(got.total, all.len() as u64, "round {round}");
            all.sort_by(|x, y| {
                y.weight
                    .cmp(&x.weight)
                    .then_with(|| crate::query::cmp_labels(g.petgraph(), &x.nodes, &y.nodes))
            });
            all.truncate(k);
            assert_eq!(got.paths, all, "round {round}");

            // strongest: Yen's top K equals brute force by cost
            let got = connect(
                &g,
                s,
                t,
                &ConnectOptions {
                    paths: k,
                    strongest: true,
                    ..Default::default()
                },
            );
            let mut all = brute_force_simple_paths(&g, s, t);
            all.sort_by(|x, y| x.cost.total_cmp(&y.cost));
            let costs: Vec<f64> = all.iter().take(k).map(|p| p.cost).collect();
            let got_costs: Vec<f64> = got.paths.iter().map(|p| p.cost).collect();
            assert_eq!(got_costs.len(), costs.len(), "round {round}");
            for (a, b) in got_costs.iter().zip(&costs) {
                assert!(
                    (a - b).abs() < 1e-9,
                    "round {round}: {got_costs:?} vs {costs:?}"
                );
            }
        }
    }

    fn brute_force_simple_paths(g: &Graph, s: NodeIndex, t: NodeIndex) -> Vec<Path> {
        fn go(
            g: &Graph,
            t: NodeIndex,
            nodes: &mut Vec<NodeIndex>,
            edges: &mut Vec<EdgeIndex>,
            out: &mut Vec<Path>,
        ) {
            let u = *nodes.last().unwrap();
            if u == t {
                out.push(Path::new(g, nodes.clone(), edges.clone()));
                return;
            }
            for (v, e) in crate::query::best_edges(g.petgraph(), u) {
                if !nodes.contains(&v) {
                    nodes.push(v);
                    edges.push(e);
                    go(g, t, nodes, edges, out);
                    nodes.pop();
                    edges.pop();
                }
            }
        }
        let mut out = Vec::new();
        go(g, t, &mut vec![s], &mut vec![], &mut out);
        out
    }
}
