//! Merging saved graphs: the graph of a set of documents from the graphs of its parts.
//!
//! The graph of a set of documents does not depend on the order the documents came in or on how
//! they were grouped ([`crate::link::GraphBuilder`] keeps each edge's first windows in (document
//! name, offset) order, and a node's label and aliases do not depend on the order either), so
//! merging the graphs of disjoint parts gives the graph of the whole: counts add, document and
//! alias lists join (with the parts' labels: every name but the merged label), evidence lists
//! merge in document-name order and are capped again, and a node's label is the one of the part
//! holding its first document.
//!
//! [`GraphMerger`] takes the graphs one at a time, so memory holds the merged graph and the graph
//! being added, not every input at once. `mentions.rs` merges the parts' `mentions.jsonl`.
//!
//! Rules: every part has the same window and was built with minimum weight 1 (a dropped edge
//! cannot be counted back); a part records its documents (`sources`); a document in two parts
//! with different hashes is an error; a part whose every document is already in the merge (same
//! hashes) is skipped, counted once; a part that shares only some of its documents with the merge
//! is an error (its counts cannot be split by document).

pub mod mentions;
#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::error::{Error, Result};
use crate::graph::{
    DocumentSource, Edge, Evidence, Graph, GraphInfo, Node, RankedEdge, Window, set_id,
};

/// How many evidence windows a merged edge keeps (as [`crate::link::GraphBuilder`]).
pub const EVIDENCE_CAP: usize = 5;

/// What [`GraphMerger::add`] did with a graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Added {
    /// Its counts were added.
    Merged,
    /// Every one of its documents was already in the merge with the same hash: it was skipped.
    AlreadyThere,
}

/// Merges graphs one at a time ([`GraphMerger::add`]), then gives the merged graph
/// ([`GraphMerger::finish`]).
///
/// ```
/// use entgraph::graph::{DocumentSource, Graph, GraphInfo, Node};
/// use entgraph::merge::GraphMerger;
/// let part = |doc: &str| {
///     let node = Node { id: "p:a".into(), label: "A".into(), kind: "p".into(), mentions: 2,
///         windows: 2, community: None, documents: vec![doc.into()], aliases: vec![] };
///     let info = GraphInfo { documents: 1, mentions: 2, min_weight: 1,
///         sources: vec![DocumentSource { name: doc.into(), sha256: doc.into() }], ..Default::default() };
///     Graph::from_parts(vec![node], vec![], info).unwrap()
/// };
/// let mut m = GraphMerger::new();
/// m.add(part("b.txt"), "b/graph.json").unwrap();
/// m.add(part("a.txt"), "a/graph.json").unwrap();
/// let g = m.finish(1, "").unwrap();
/// assert_eq!(g.node("p:a").unwrap().mentions, 4);
/// assert_eq!(g.node("p:a").unwrap().documents, ["a.txt", "b.txt"]);
/// assert_eq!(g.info().documents, 2);
/// ```
#[derive(Debug, Default)]
pub struct GraphMerger {
    window: Option<Window>,
    documents: u64,
    mentions: u64,
    /// Windows analyzed, over all parts.
    windows: u64,
    /// Document name -> (hash, the input that brought it).
    sources: BTreeMap<String, SourceFrom>,
    nodes: Vec<MergedNode>,
    index: HashMap<Arc<str>, u32>,
    edges: HashMap<NodePair, Edge>,
    inputs: usize,
}

#[derive(Debug)]
struct SourceFrom {
    sha256: String,
    input: String,
}

/// Two node numbers, lower first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct NodePair {
    lower: u32,
    higher: u32,
}

#[derive(Debug)]
struct MergedNode {
    node: Node,
    /// The first document of the part the label came from.
    label_doc: Option<String>,
}

impl GraphMerger {
    /// An empty merge.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a graph; `name` (its file) is for messages.
    pub fn add(&mut self, graph: Graph, name: &str) -> Result<Added> {
        let info = graph.info();
        let invalid = |message: String| Error::InvalidGraph(format!("{name}: {message}"));
        if let Some(window) = self.window
            && window != info.window
        {
            return Err(invalid(format!(
                "its window is {}, the graphs before it have {window}: merge graphs built with the same --window",
                info.window
            )));
        }
        if info.min_weight > 1 {
            return Err(invalid(format!(
                "built with --min-weight {}: a merge needs graphs built with --min-weight 1 (give --min-weight to the merge)",
                info.min_weight
            )));
        }
        if info.sources.len() as u64 != info.documents {
            return Err(invalid(format!(
                "it lists {} of its {} documents in graph.sources (written by an older entgraph?): rebuild it",
                info.sources.len(),
                info.documents
            )));
        }
        let mut known = 0;
        for s in &info.sources {
            if let Some(there) = self.sources.get(&s.name) {
                if there.sha256 != s.sha256 {
                    return Err(invalid(format!(
                        "document '{}' differs from the one in {} (another SHA-256): rebuild from the documents",
                        s.name, there.input
                    )));
                }
                known += 1;
            }
        }
        if known > 0 && known == info.sources.len() && self.inputs > 0 {
            return Ok(Added::AlreadyThere);
        }
        if known > 0 {
            let shared = info
                .sources
                .iter()
                .find(|s| self.sources.contains_key(&s.name))
                .expect("known > 0");
            return Err(invalid(format!(
                "document '{}' is also in {}, but not all of this graph's documents are: graphs that share only some documents cannot be merged (rebuild from the documents)",
                shared.name, self.sources[&shared.name].input
            )));
        }
        self.window = Some(info.window);
        self.inputs += 1;
        let (nodes, edges, info) = graph.into_ranked();
        self.documents += info.documents;
        self.mentions += info.mentions;
        self.windows = self.windows.saturating_add(info.windows);
        for s in info.sources {
            self.sources.insert(
                s.name,
                SourceFrom {
                    sha256: s.sha256,
                    input: name.to_string(),
                },
            );
        }
        // The merged number of each of the graph's nodes (in its id order).
        let numbers: Vec<u32> = nodes.into_iter().map(|n| self.add_node(n)).collect();
        for e in edges {
            let (a, b) = (numbers[e.lower as usize], numbers[e.higher as usize]);
            self.add_edge(
                NodePair {
                    lower: a.min(b),
                    higher: a.max(b),
                },
                e.edge,
            );
        }
        Ok(Added::Merged)
    }

    /// Adds a node; gives its merged number.
    fn add_node(&mut self, node: Node) -> u32 {
        let Some(&at) = self.index.get(node.id.as_str()) else {
            let at = self.nodes.len() as u32;
            self.index.insert(Arc::from(node.id.as_str()), at);
            self.nodes.push(MergedNode {
                label_doc: node.documents.first().cloned(),
                node,
            });
            return at;
        };
        let merged = &mut self.nodes[at as usize];
        let first = node.documents.first();
        let earlier = match (first, &merged.label_doc) {
            (Some(new), Some(old)) => new < old,
            (Some(_), None) => true,
            (None, _) => false,
        };
        // Each side's names are its aliases and its label; the merged aliases are all of them
        // but the merged label.
        let mut names = union_sorted(std::mem::take(&mut merged.node.aliases), node.aliases);
        names = union_sorted(names, vec![node.label.clone()]);
        names = union_sorted(names, vec![merged.node.label.clone()]);
        if earlier {
            merged.node.label = node.label;
            merged.node.kind = node.kind;
            merged.label_doc = first.cloned();
        }
        let m = &mut merged.node;
        names.retain(|n| *n != m.label);
        m.aliases = names;
        m.mentions = m.mentions.saturating_add(node.mentions);
        m.windows = m.windows.saturating_add(node.windows);
        m.documents = union_sorted(std::mem::take(&mut m.documents), node.documents);
        at
    }

    fn add_edge(&mut self, pair: NodePair, edge: Edge) {
        match self.edges.get_mut(&pair) {
            None => {
                self.edges.insert(pair, edge);
            }
            Some(merged) => {
                merged.weight = merged.weight.saturating_add(edge.weight);
                merged.evidence =
                    merge_evidence(std::mem::take(&mut merged.evidence), edge.evidence);
            }
        }
    }

    /// The merged graph, without the edges of weight below `min_weight`; `options` describes the
    /// recognition options for the graph's set id ([`crate::graph::set_id`]), as for
    /// [`crate::link::GraphBuilder::options`].
    pub fn finish(self, min_weight: u64, options: &str) -> Result<Graph> {
        // The nodes in id order, and each merged number's place in it.
        drop(self.index);
        let mut nodes: Vec<(u32, Node)> = self
            .nodes
            .into_iter()
            .enumerate()
            .map(|(i, n)| (i as u32, n.node))
            .collect();
        nodes.sort_unstable_by(|a, b| a.1.id.cmp(&b.1.id));
        let mut rank = vec![0u32; nodes.len()];
        for (place, (number, _)) in nodes.iter().enumerate() {
            rank[*number as usize] = place as u32;
        }
        let mut edges: Vec<RankedEdge> = self
            .edges
            .into_iter()
            .filter(|(_, e)| e.weight >= min_weight)
            .map(|(pair, edge)| {
                let (a, b) = (rank[pair.lower as usize], rank[pair.higher as usize]);
                RankedEdge {
                    lower: a.min(b),
                    higher: a.max(b),
                    edge,
                }
            })
            .collect();
        drop(rank);
        edges.sort_unstable_by_key(|e| (e.lower, e.higher));
        let sources: Vec<DocumentSource> = self
            .sources
            .into_iter()
            .map(|(name, from)| DocumentSource {
                name,
                sha256: from.sha256,
            })
            .collect();
        let window = self.window.unwrap_or_default();
        let info = GraphInfo {
            window,
            documents: self.documents,
            mentions: self.mentions,
            windows: self.windows,
            min_weight,
            set: set_id(&sources, window, min_weight, options),
            sources,
        };
        Ok(Graph::from_sorted(
            nodes.into_iter().map(|(_, n)| n).collect(),
            edges,
            info,
        ))
    }
}

/// Two sorted lists as one, sorted, without repeats.
fn union_sorted(a: Vec<String>, b: Vec<String>) -> Vec<String> {
    if a.is_empty() {
        return b;
    }
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    loop {
        let next = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) if x < y => a.next(),
            (Some(x), Some(y)) if x > y => b.next(),
            (Some(_), Some(_)) => {
                b.next();
                a.next()
            }
            (Some(_), None) => a.next(),
            (None, Some(_)) => b.next(),
            (None, None) => break,
        };
        out.extend(next);
    }
    out
}

/// Two evidence lists, each in (document name, offset) order and from different documents, as
/// the first [`EVIDENCE_CAP`] windows of both in that order.
fn merge_evidence(a: Vec<Evidence>, b: Vec<Evidence>) -> Vec<Evidence> {
    let mut out = Vec::with_capacity((a.len() + b.len()).min(EVIDENCE_CAP));
    let (mut a, mut b) = (a.into_iter().peekable(), b.into_iter().peekable());
    while out.len() < EVIDENCE_CAP {
        let next = match (a.peek(), b.peek()) {
            (Some(x), Some(y)) if *y.doc < *x.doc => b.next(),
            (Some(_), _) => a.next(),
            (None, _) => b.next(),
        };
        match next {
            Some(ev) => out.push(ev),
            None => break,
        }
    }
    out
}
