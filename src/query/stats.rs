//! Stats: the size of a graph and who is central in it.
//!
//! Documents and mentions come from the graph's [`GraphInfo`](crate::graph::GraphInfo) when it
//! records them (a graph built or read from `graph.json`), else from the nodes: the distinct
//! documents of nodes and evidence, the sum of node mentions. Entities are counted per type;
//! connected components with union-find. Per entity: degree (distinct neighbours), weighted degree
//! (sum of edge weights), [`pagerank`](mod@super::pagerank) (damping 0.85, weighted) and
//! [`betweenness`](mod@super::betweenness) (exact up to [`StatsOptions::exact_betweenness_limit`]
//! entities, sampled with a fixed seed above it).

use std::collections::{BTreeMap, BTreeSet};

use petgraph::graph::NodeIndex;
use petgraph::unionfind::UnionFind;
use petgraph::visit::EdgeRef;

use super::betweenness::{Sample, betweenness};
use super::cmp_node;
use super::pagerank::{DAMPING, MAX_ITERATIONS, TOLERANCE, pagerank};
use crate::graph::Graph;

/// How [`stats`] computes centralities.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatsOptions {
    /// Betweenness is exact for graphs with at most this many entities.
    pub exact_betweenness_limit: usize,
    /// Above the limit, betweenness is estimated from this many BFS sources…
    pub betweenness_samples: usize,
    /// …drawn with this seed.
    pub seed: u64,
}

impl Default for StatsOptions {
    /// Exact up to 5,000 entities, else 500 sources drawn with seed 42.
    fn default() -> Self {
        StatsOptions {
            exact_betweenness_limit: 5000,
            betweenness_samples: 500,
            seed: 42,
        }
    }
}

/// The centralities of one entity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Centrality {
    /// The entity.
    pub node: NodeIndex,
    /// Distinct neighbours.
    pub degree: usize,
    /// Sum of the weights of its edges.
    pub weighted_degree: u64,
    /// PageRank (all entities sum to 1).
    pub pagerank: f64,
    /// Normalized betweenness in [0, 1].
    pub betweenness: f64,
}

/// A centrality to rank by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// [`Centrality::degree`].
    Degree,
    /// [`Centrality::weighted_degree`].
    WeightedDegree,
    /// [`Centrality::pagerank`].
    PageRank,
    /// [`Centrality::betweenness`].
    Betweenness,
}

impl Metric {
    /// Every metric, in report order.
    pub const ALL: [Metric; 4] = [
        Metric::Degree,
        Metric::WeightedDegree,
        Metric::PageRank,
        Metric::Betweenness,
    ];

    /// The key used in JSON (`degree`, `weighted_degree`, `pagerank`, `betweenness`).
    pub fn key(self) -> &'static str {
        match self {
            Metric::Degree => "degree",
            Metric::WeightedDegree => "weighted_degree",
            Metric::PageRank => "pagerank",
            Metric::Betweenness => "betweenness",
        }
    }

    /// The value of this metric for one entity, as a float.
    pub fn value(self, c: &Centrality) -> f64 {
        match self {
            Metric::Degree => c.degree as f64,
            Metric::WeightedDegree => c.weighted_degree as f64,
            Metric::PageRank => c.pagerank,
            Metric::Betweenness => c.betweenness,
        }
    }
}

/// What [`stats`] reports.
#[derive(Debug, Clone, PartialEq)]
pub struct Stats {
    /// Documents read.
    pub documents: u64,
    /// Mentions found.
    pub mentions: u64,
    /// Entities.
    pub entities: usize,
    /// Entities per type.
    pub types: BTreeMap<String, usize>,
    /// Edges.
    pub edges: usize,
    /// Sum of all edge weights.
    pub total_weight: u64,
    /// Connected components (an entity without edges is one).
    pub components: usize,
    /// Entities in the largest component.
    pub largest_component: usize,
    /// Entities without edges.
    pub isolated: usize,
    /// Centralities of every entity, in node order.
    pub centrality: Vec<Centrality>,
    /// The betweenness sample, or `None` when exact.
    pub betweenness_sample: Option<Sample>,
}

impl Stats {
    /// The `n` entities with the highest `metric` (ties: label, then id).
    pub fn top(&self, graph: &Graph, metric: Metric, n: usize) -> Vec<Centrality> {
        let mut v = self.centrality.clone();
        v.sort_by(|a, b| {
            metric
                .value(b)
                .total_cmp(&metric.value(a))
                .then_with(|| cmp_node(graph.petgraph(), a.node, b.node))
        });
        v.truncate(n);
        v
    }
}

/// Counts and centralities of a graph; see the [module docs](self).
///
/// # Arguments
/// * `graph`: the graph.
/// * `options`: when to sample betweenness.
///
/// # Returns
/// The counts and every entity's centralities.
///
/// # Complexity
/// O(|V| + |E|·α(|V|)) for counts and components, O(n·(|V| + |E|)) for n PageRank iterations, and
/// O(|V|·|E|) for exact betweenness (O(S·(|V| + |E|)) when sampled with S sources), which dominates.
///
/// ```
/// use entgraph::graph::{Edge, Graph, GraphInfo, Link, Node};
/// use entgraph::query::{Metric, StatsOptions, stats};
/// let node = |id: &str, kind: &str| Node { id: id.into(), label: id.into(), kind: kind.into(),
///     mentions: 2, windows: 0, community: None, documents: vec!["d1".into()], aliases: vec![] };
/// let edge = |a: &str, b: &str| Link::new(a, b, Edge { weight: 3, evidence: vec![] });
/// let g = Graph::from_parts(vec![node("a", "person"), node("b", "person"), node("c", "film")],
///     vec![edge("a", "b")], GraphInfo::default()).unwrap();
/// let s = stats(&g, &StatsOptions::default());
/// assert_eq!((s.documents, s.mentions, s.components, s.largest_component), (1, 6, 2, 2));
/// assert_eq!(s.types["person"], 2);
/// assert_eq!(s.top(&g, Metric::WeightedDegree, 1)[0].weighted_degree, 3);
/// ```
pub fn stats(graph: &Graph, options: &StatsOptions) -> Stats {
    let g = graph.petgraph();
    let n = g.node_count();
    let documents = if graph.info().documents > 0 {
        graph.info().documents
    } else {
        let mut docs: BTreeSet<&str> = BTreeSet::new();
        for node in g.node_weights() {
            docs.extend(node.documents.iter().map(String::as_str));
        }
        for e in g.edge_weights() {
            docs.extend(e.evidence.iter().map(|ev| &*ev.doc));
        }
        docs.len() as u64
    };
    let mentions = if graph.info().mentions > 0 {
        graph.info().mentions
    } else {
        g.node_weights().map(|n| n.mentions).sum()
    };
    let mut types: BTreeMap<String, usize> = BTreeMap::new();
    for node in g.node_weights() {
        *types.entry(node.kind.clone()).or_default() += 1;
    }

    let mut uf = UnionFind::<usize>::new(n);
    let mut weighted = vec![0u64; n];
    let mut total_weight = 0u64;
    for e in g.edge_references() {
        let (a, b) = (e.source().index(), e.target().index());
        total_weight = total_weight.saturating_add(e.weight().weight);
        if a == b {
            continue;
        }
        uf.union(a, b);
        weighted[a] = weighted[a].saturating_add(e.weight().weight);
        weighted[b] = weighted[b].saturating_add(e.weight().weight);
    }
    let mut sizes: BTreeMap<usize, usize> = BTreeMap::new();
    for i in 0..n {
        *sizes.entry(uf.find(i)).or_default() += 1;
    }
    let degree: Vec<usize> = g
        .node_indices()
        .map(|u| {
            let mut v: Vec<NodeIndex> = g.neighbors(u).filter(|&v| v != u).collect();
            v.sort_unstable();
            v.dedup();
            v.len()
        })
        .collect();

    let pr = pagerank(graph, DAMPING, TOLERANCE, MAX_ITERATIONS);
    let sample = (n > options.exact_betweenness_limit).then_some(Sample {
        sources: options.betweenness_samples,
        seed: options.seed,
    });
    let bc = betweenness(graph, sample);
    let centrality = g
        .node_indices()
        .map(|u| Centrality {
            node: u,
            degree: degree[u.index()],
            weighted_degree: weighted[u.index()],
            pagerank: pr[u.index()],
            betweenness: bc.values[u.index()],
        })
        .collect();
    Stats {
        documents,
        mentions,
        entities: n,
        types,
        edges: g.edge_count(),
        total_weight,
        components: sizes.len(),
        largest_component: sizes.values().copied().max().unwrap_or(0),
        isolated: degree.iter().filter(|&&d| d == 0).count(),
        centrality,
        betweenness_sample: bc.sample,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::GraphInfo;
    use crate::query::testgraphs::{graph, ix, with_info};

    #[test]
    fn stats_counts_and_tops() {
        // a path a-b-c (weights 2, 5) plus d-e (weight 1) and f alone
        let g = graph(
            &["a", "b", "c", "d", "e", "f"],
            &[(0, 1, 2), (1, 2, 5), (3, 4, 1)],
        );
        let g = with_info(
            &g,
            GraphInfo {
                documents: 7,
                mentions: 40,
                ..Default::default()
            },
        );
        let s = stats(&g, &StatsOptions::default());
        assert_eq!((s.documents, s.mentions), (7, 40));
        assert_eq!((s.entities, s.edges, s.total_weight), (6, 3, 8));
        assert_eq!((s.components, s.largest_component, s.isolated), (3, 3, 1));
        assert_eq!(s.types["person"], 6);
        let top = |m| {
            s.top(&g, m, 2)
                .iter()
                .map(|c| g.petgraph()[c.node].label.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(top(Metric::Degree), ["b", "a"]); // b: 2; a, c, d, e: 1, by label
        assert_eq!(top(Metric::WeightedDegree), ["b", "c"]);
        assert_eq!(top(Metric::Betweenness)[0], "b");
        assert_eq!(top(Metric::PageRank)[0], "b");
        let b = s.centrality[ix(&g, "b").index()];
        assert_eq!((b.degree, b.weighted_degree), (2, 7));
        assert!((s.centrality.iter().map(|c| c.pagerank).sum::<f64>() - 1.0).abs() < 1e-9);
        assert_eq!(s.betweenness_sample, None);
    }

    #[test]
    fn stats_falls_back_to_nodes_and_samples_big_graphs() {
        let g = graph(&["a", "b", "c"], &[(0, 1, 1), (1, 2, 1)]);
        let s = stats(
            &g,
            &StatsOptions {
                exact_betweenness_limit: 2,
                betweenness_samples: 2,
                seed: 9,
            },
        );
        assert_eq!((s.documents, s.mentions), (1, 3)); // node documents ["d"], 1 mention each
        assert_eq!(
            s.betweenness_sample,
            Some(Sample {
                sources: 2,
                seed: 9
            })
        );
        let empty = stats(&graph(&[], &[]), &StatsOptions::default());
        assert_eq!(
            (empty.entities, empty.components, empty.largest_component),
            (0, 0, 0)
        );
    }
}
