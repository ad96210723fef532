//! Filters: a smaller graph that is readable when drawn.
//!
//! Applied in this order, each to what the previous one left:
//! 1. `min_weight`: edges seen in fewer windows are dropped (entities stay);
//! 2. `types`: only entities of these types stay (the ego entity always stays);
//! 3. `ego`: only entities within `depth` hops of the ego entity stay;
//! 4. `top`: only the N entities with the highest weighted degree on the graph's measure ([`Graph::strength`]) (in the graph left so far; ties:
//!    label, then id) stay — the ego entity is always one of them.
//!
//! Edges stay when both ends stay (and their weight passed step 1). Node and edge data are cloned
//! unchanged, [`GraphInfo`](crate::graph::GraphInfo) too, except that `min_weight` becomes the larger
//! of the two.

use std::collections::BTreeSet;

use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;

use super::{cmp_node, other};
use crate::graph::{Graph, Link};

/// The neighbourhood of one entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ego {
    /// The entity's id (an unknown id leaves an empty graph).
    pub id: String,
    /// How many hops from it.
    pub depth: usize,
}

/// What [`filter`] keeps; the default keeps everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Keep edges with at least this weight (0 and 1 keep all).
    pub min_weight: u64,
    /// Keep the N entities with the highest weighted degree.
    pub top: Option<usize>,
    /// Keep entities of these types (`None`: all types).
    pub types: Option<BTreeSet<String>>,
    /// Keep the neighbourhood of one entity.
    pub ego: Option<Ego>,
}

impl Filter {
    /// True when the filter keeps every node and edge of any graph.
    pub fn is_noop(&self) -> bool {
        self.min_weight <= 1 && self.top.is_none() && self.types.is_none() && self.ego.is_none()
    }
}

/// The part of `graph` that `f` keeps, as a new graph; see the [module docs](self) for the order.
///
/// # Arguments
/// * `graph`: the graph (not changed).
/// * `f`: what to keep.
///
/// # Returns
/// A new graph with copies of the kept nodes and edges.
///
/// # Complexity
/// O(|V| + |E|) for the weight, type and ego steps, O(|V| log |V|) for `top`, and
/// O((|V| + |E|) log |E|) to build the result (`Graph::from_parts` sorts).
///
/// ```
/// use entgraph::graph::{Edge, Graph, GraphInfo, Link, Node};
/// use entgraph::query::{Ego, Filter, filter};
/// let node = |id: &str| Node { id: id.into(), label: id.into(), kind: "t".into(), mentions: 1, windows: 0, community: None,
///     documents: vec![], aliases: vec![] };
/// let edge = |a: &str, b: &str, w| Link::new(a, b, Edge { weight: w, evidence: vec![] });
/// // a - b - c - d, weights 3, 1, 3
/// let g = Graph::from_parts(["a", "b", "c", "d"].map(node).to_vec(),
///     vec![edge("a", "b", 3), edge("b", "c", 1), edge("c", "d", 3)], GraphInfo::default()).unwrap();
/// let ego = filter(&g, &Filter { ego: Some(Ego { id: "b".into(), depth: 1 }), ..Default::default() });
/// assert_eq!(ego.nodes().map(|n| n.id.as_str()).collect::<Vec<_>>(), ["a", "b", "c"]);
/// let strong = filter(&g, &Filter { min_weight: 2, ..Default::default() });
/// assert_eq!((strong.node_count(), strong.edge_count()), (4, 2));
/// let top = filter(&g, &Filter { top: Some(2), ..Default::default() });
/// assert_eq!(top.nodes().map(|n| n.id.as_str()).collect::<Vec<_>>(), ["b", "c"]);
/// ```
pub fn filter(graph: &Graph, f: &Filter) -> Graph {
    let g = graph.petgraph();
    let n = g.node_count();
    let edge_ok = |w: u64| w >= f.min_weight;
    let ego = f.ego.as_ref().map(|e| (graph.index_of(&e.id), e.depth));
    let center = ego.and_then(|(c, _)| c);

    let mut keep: Vec<bool> = g
        .node_weights()
        .map(|node| f.types.as_ref().is_none_or(|t| t.contains(&node.kind)))
        .collect();
    if let Some(c) = center {
        keep[c.index()] = true;
    }
    if let Some((c, depth)) = ego {
        let mut near = vec![false; n];
        if let Some(c) = c {
            near[c.index()] = true;
            let mut frontier = vec![c];
            for _ in 0..depth {
                let mut next = Vec::new();
                for &u in &frontier {
                    for e in g.edges(u) {
                        let v = other(&e, u);
                        if !near[v.index()] && keep[v.index()] && edge_ok(e.weight().weight) {
                            near[v.index()] = true;
                            next.push(v);
                        }
                    }
                }
                frontier = next;
            }
        }
        keep = near;
    }
    if let Some(top) = f.top {
        // Weighted degree: window counts add exactly; another measure's scores add as floats.
        let mut strength = vec![0u64; n];
        let mut scored = vec![0f64; n];
        for e in g.edge_references() {
            let (a, b) = (e.source().index(), e.target().index());
            if a != b && keep[a] && keep[b] && edge_ok(e.weight().weight) {
                strength[a] = strength[a].saturating_add(e.weight().weight);
                strength[b] = strength[b].saturating_add(e.weight().weight);
                scored[a] += graph.strength(e.id());
                scored[b] += graph.strength(e.id());
            }
        }
        let by_measure = graph.measure() != crate::measure::Measure::Count;
        let mut order: Vec<NodeIndex> = g.node_indices().filter(|i| keep[i.index()]).collect();
        order.sort_by(|&a, &b| {
            let first = |x: NodeIndex| Some(x) != center;
            first(a)
                .cmp(&first(b))
                .then_with(|| {
                    if by_measure {
                        scored[b.index()].total_cmp(&scored[a.index()])
                    } else {
                        strength[b.index()].cmp(&strength[a.index()])
                    }
                })
                .then_with(|| cmp_node(g, a, b))
        });
        keep = vec![false; n];
        for i in order.into_iter().take(top) {
            keep[i.index()] = true;
        }
    }

    let nodes = g
        .node_indices()
        .filter(|i| keep[i.index()])
        .map(|i| g[i].clone())
        .collect();
    let edges = g
        .edge_references()
        .filter(|e| {
            keep[e.source().index()] && keep[e.target().index()] && edge_ok(e.weight().weight)
        })
        .map(|e| Link::new(&g[e.source()].id, &g[e.target()].id, e.weight().clone()))
        .collect();
    let mut info = graph.info().clone();
    info.min_weight = info.min_weight.max(f.min_weight);
    super::subgraph(graph, nodes, edges, info)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::testgraphs::{graph, with_kind};

    fn ids(g: &Graph) -> String {
        g.nodes()
            .map(|n| n.label.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }

    #[test]
    fn filter_table() {
        // hub H: H-A 5, H-B 1, H-C 2, A-B 4, C-D 1, E alone; D is a film
        let g = graph(
            &["H", "A", "B", "C", "D", "E"],
            &[(0, 1, 5), (0, 2, 1), (0, 3, 2), (1, 2, 4), (3, 4, 1)],
        );
        let g = with_kind(&g, "D", "film");
        let ego = |id: &str, depth| {
            Some(Ego {
                id: format!("person:{id}"),
                depth,
            })
        };
        let people = Some(BTreeSet::from(["person".to_string()]));
        // (name, filter, nodes kept, edges kept)
        let cases: Vec<(&str, Filter, &str, usize)> = vec![
            ("none", Filter::default(), "A,B,C,D,E,H", 5),
            (
                "min weight",
                Filter {
                    min_weight: 2,
                    ..Default::default()
                },
                "A,B,C,D,E,H",
                3,
            ),
            (
                "types",
                Filter {
                    types: people.clone(),
                    ..Default::default()
                },
                "A,B,C,E,H",
                4,
            ),
            (
                "ego 1",
                Filter {
                    ego: ego("c", 1),
                    ..Default::default()
                },
                "C,D,H",
                2,
            ),
            (
                "ego 2",
                Filter {
                    ego: ego("c", 2),
                    ..Default::default()
                },
                "A,B,C,D,H",
                5,
            ),
            (
                "ego through strong edges only",
                Filter {
                    ego: ego("c", 2),
                    min_weight: 2,
                    ..Default::default()
                },
                "A,C,H",
                2,
            ),
            (
                "ego of a filtered-out type stays",
                Filter {
                    ego: ego("d", 1),
                    types: Some(BTreeSet::from(["film".to_string()])),
                    ..Default::default()
                },
                "D",
                0,
            ),
            (
                "top 2",
                Filter {
                    top: Some(2),
                    ..Default::default()
                },
                // weighted degree: H 8, A 9, B 5, C 3, D 1
                "A,H",
                1,
            ),
            (
                "top keeps the ego",
                Filter {
                    top: Some(2),
                    ego: ego("c", 1),
                    ..Default::default()
                },
                "C,H",
                1,
            ),
            (
                "unknown ego",
                Filter {
                    ego: ego("zz", 3),
                    ..Default::default()
                },
                "",
                0,
            ),
        ];
        for (name, f, want_nodes, want_edges) in cases {
            let got = filter(&g, &f);
            assert_eq!(ids(&got), want_nodes, "{name}");
            assert_eq!(got.edge_count(), want_edges, "{name}");
        }
        assert!(Filter::default().is_noop());
        assert_eq!(
            filter(
                &g,
                &Filter {
                    min_weight: 3,
                    ..Default::default()
                }
            )
            .info()
            .min_weight,
            3
        );
    }
}
