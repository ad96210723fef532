//! Queries: consumes a [`Graph`] (built or read back from `graph.json`), answers questions about
//! it. Nothing here prints or changes the graph; every answer is a function of the graph and the
//! options only (ties are broken by labels, then ids, never by hash order).
//!
//! One algorithm per file:
//! - [`lookup`](mod@lookup): a name as typed by a user → one node ([`resolve_name`]), or the candidates.
//! - [`connect`](mod@connect): the paths between two nodes — all shortest paths by hops ranked by weight
//!   (`shortest.rs`: bidirectional BFS and a K-best walk of the shortest-path DAG), or the
//!   strongest chains (`yen.rs`: Yen's K shortest loopless paths over bidirectional Dijkstra with
//!   cost 1/weight).
//! - [`neighbors`](mod@neighbors): the entities within a number of hops of one node, strongest first.
//! - [`stats`](mod@stats): counts, components and centralities ([`pagerank`](mod@pagerank),
//!   [`betweenness`](mod@betweenness)).
//! - [`filter`](mod@filter): a smaller graph for drawing (minimum weight, types, ego network, top N).
//!
//! ```
//! use entgraph::graph::{Edge, Graph, GraphInfo, Link, Node};
//! use entgraph::query::{ConnectOptions, connect, resolve_name};
//! let node = |id: &str, label: &str| Node { id: id.into(), label: label.into(), kind: "person".into(),
//!     mentions: 1, windows: 0, community: None, documents: vec![], aliases: vec![] };
//! let edge = |a: &str, b: &str, w| Link::new(a, b, Edge { weight: w, evidence: vec![] });
//! let g = Graph::from_parts(vec![node("a", "Ann"), node("b", "Bob"), node("c", "Cy")],
//!     vec![edge("a", "b", 2), edge("b", "c", 1)], GraphInfo::default()).unwrap();
//! let (from, to) = (resolve_name(&g, "ann").unwrap().index, resolve_name(&g, "Cy").unwrap().index);
//! let found = connect(&g, from, to, &ConnectOptions::default());
//! assert_eq!(found.paths[0].labels(&g), ["Ann", "Bob", "Cy"]);
//! assert_eq!(found.paths[0].weight, 3);
//! ```

use std::cmp::Ordering;
use std::collections::BTreeSet;

use petgraph::graph::{EdgeIndex, NodeIndex, UnGraph};
use petgraph::visit::EdgeRef;

use crate::graph::{Edge, Graph, Node};

pub mod backbone;
pub mod betweenness;
pub mod connect;
pub mod filter;
pub mod lookup;
pub mod neighbors;
pub mod pagerank;
mod shortest;
pub mod stats;
mod yen;

pub use betweenness::{Betweenness, betweenness};
pub use connect::{ConnectOptions, Connection, Hop, Path, connect};
pub use filter::{Ego, Filter, filter};
pub use lookup::{Candidate, MatchKind, NameError, NodeRef, resolve_name};
pub use neighbors::{Neighbor, NeighborOptions, neighbors};
pub use pagerank::pagerank;
pub use stats::{Centrality, Metric, Stats, StatsOptions, stats};

/// Which nodes a path may pass through: every node, or those of a mask. The two ends of a query
/// are always allowed.
#[derive(Debug, Clone)]
pub(crate) struct Allowed {
    mask: Option<Vec<bool>>,
}

impl Allowed {
    /// Intermediate nodes must have type `via` (if any) and not be in `exclude` (ids); `ends`
    /// are always allowed. O(|V|) when a constraint is given, O(1) otherwise.
    pub(crate) fn new(
        g: &Graph,
        via: Option<&str>,
        exclude: &BTreeSet<String>,
        ends: [NodeIndex; 2],
    ) -> Allowed {
        if via.is_none() && exclude.is_empty() {
            return Allowed { mask: None };
        }
        let mut mask: Vec<bool> = match via {
            Some(kind) => g
                .petgraph()
                .node_weights()
                .map(|n| n.kind == kind)
                .collect(),
            None => vec![true; g.node_count()],
        };
        for id in exclude {
            if let Some(i) = g.index_of(id) {
                mask[i.index()] = false;
            }
        }
        for e in ends {
            if let Some(m) = mask.get_mut(e.index()) {
                *m = true;
            }
        }
        Allowed { mask: Some(mask) }
    }

    /// Every node allowed.
    #[cfg(test)]
    pub(crate) fn all() -> Allowed {
        Allowed { mask: None }
    }

    #[inline]
    pub(crate) fn get(&self, n: NodeIndex) -> bool {
        self.mask.as_ref().is_none_or(|m| m[n.index()])
    }
}

/// The subgraph of `graph` with these of its nodes and links, and `info`, ranked on the same measure.
pub(crate) fn subgraph(
    graph: &Graph,
    nodes: Vec<Node>,
    links: Vec<crate::graph::Link>,
    info: crate::graph::GraphInfo,
) -> Graph {
    let mut small =
        Graph::from_parts(nodes, links, info).expect("a subgraph of a valid graph is valid");
    small
        .set_measure(graph.measure())
        .expect("the same counts as the graph it comes from");
    small
}

/// Compares two node sequences element by element by (label, id): the deterministic tie-break of
/// every ranking in this module.
pub(crate) fn cmp_labels(g: &UnGraph<Node, Edge>, a: &[NodeIndex], b: &[NodeIndex]) -> Ordering {
    for (&x, &y) in a.iter().zip(b) {
        if x == y {
            continue;
        }
        let (nx, ny) = (&g[x], &g[y]);
        let o = nx.label.cmp(&ny.label).then_with(|| nx.id.cmp(&ny.id));
        if o != Ordering::Equal {
            return o;
        }
    }
    a.len().cmp(&b.len())
}

/// Orders two nodes by (label, id).
pub(crate) fn cmp_node(g: &UnGraph<Node, Edge>, a: NodeIndex, b: NodeIndex) -> Ordering {
    cmp_labels(g, &[a], &[b])
}

/// The cost of an edge for strongest-chain searches: 1 / weight (a weight of 0 counts as 1), or
/// under another measure 1 / score (infinite, so never taken, for a score of 0 or less).
#[inline]
pub(crate) fn cost(graph: &Graph, e: EdgeIndex) -> f64 {
    if graph.measure() == crate::measure::Measure::Count {
        1.0 / graph.petgraph()[e].weight.max(1) as f64
    } else {
        let s = graph.strength(e);
        if s > 0.0 { 1.0 / s } else { f64::INFINITY }
    }
}

/// For each neighbour of `n` (other than `n` itself), the heaviest edge to it (on equal weights the
/// lower edge index): parallel edges, which a hand-made graph.json may hold, count once.
pub(crate) fn best_edges(g: &UnGraph<Node, Edge>, n: NodeIndex) -> Vec<(NodeIndex, EdgeIndex)> {
    let mut out: Vec<(NodeIndex, EdgeIndex)> = g
        .edges(n)
        .filter(|e| e.source() != e.target())
        .map(|e| (other(&e, n), e.id()))
        .collect();
    out.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| g[b.1].weight.cmp(&g[a.1].weight))
            .then_with(|| a.1.cmp(&b.1))
    });
    out.dedup_by_key(|x| x.0);
    out
}

/// The end of `e` that is not `n`.
#[inline]
pub(crate) fn other<E: EdgeRef<NodeId = NodeIndex>>(e: &E, n: NodeIndex) -> NodeIndex {
    if e.source() == n {
        e.target()
    } else {
        e.source()
    }
}

/// Small graphs for the tests of this module.
#[cfg(test)]
pub(crate) mod testgraphs {
    use crate::graph::{Edge, Evidence, Graph, GraphInfo, Link, Node};

    /// A node of type `kind` whose id is `kind:label-lowercased`.
    pub fn node(kind: &str, label: &str, aliases: &[&str]) -> Node {
        Node {
            id: format!("{kind}:{}", label.to_lowercase().replace(' ', "-")),
            label: label.into(),
            kind: kind.into(),
            mentions: 1,
            windows: 0,
            community: None,
            documents: vec!["d".into()],
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// A graph of `person` nodes named by `labels` and edges `(i, j, weight)` between them.
    pub fn graph(labels: &[&str], edges: &[(usize, usize, u64)]) -> Graph {
        let nodes: Vec<Node> = labels.iter().map(|l| node("person", l, &[])).collect();
        let edges = edges
            .iter()
            .map(|&(a, b, w)| {
                Link::new(
                    &nodes[a].id,
                    &nodes[b].id,
                    Edge {
                        weight: w,
                        evidence: vec![Evidence {
                            doc: "d".into(),
                            text: format!("{} and {}.", labels[a], labels[b]).into(),
                            start: 0,
                            end: 0,
                        }],
                    },
                )
            })
            .collect();
        Graph::from_parts(nodes, edges, GraphInfo::default()).unwrap()
    }

    /// The id of a label in a graph made by [`graph`].
    fn id(label: &str) -> String {
        format!("person:{}", label.to_lowercase().replace(' ', "-"))
    }

    /// The node index of a label in a graph made by [`graph`].
    pub fn ix(g: &Graph, label: &str) -> petgraph::graph::NodeIndex {
        g.index_of(&id(label)).expect("a label of this graph")
    }

    /// `g` with its nodes changed by `change` and these graph-level facts.
    fn rebuilt(g: &Graph, change: impl Fn(&mut Node), info: GraphInfo) -> Graph {
        let nodes = g
            .nodes()
            .map(|n| {
                let mut n = n.clone();
                change(&mut n);
                n
            })
            .collect();
        let links = g
            .edges()
            .map(|e| Link::new(&e.source.id, &e.target.id, e.edge.clone()))
            .collect();
        Graph::from_parts(nodes, links, info).unwrap()
    }

    /// `g` with the node of `label` of type `kind` (its id unchanged).
    pub fn with_kind(g: &Graph, label: &str, kind: &str) -> Graph {
        let id = id(label);
        let change = |n: &mut Node| {
            if n.id == id {
                n.kind = kind.into();
            }
        };
        rebuilt(g, change, g.info().clone())
    }

    /// `g` with these graph-level facts.
    pub fn with_info(g: &Graph, info: GraphInfo) -> Graph {
        rebuilt(g, |_| {}, info)
    }
}
