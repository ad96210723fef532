//! The co-occurrence graph: one [`Node`] per canonical entity and one weighted, undirected
//! [`Edge`] per pair of entities that share a window of text, with up to a few of those windows
//! kept as [`Evidence`]. [`crate::link`] builds it from documents; `graph.json` holds it on disk
//! ([`crate::export::json`]); [`crate::query`] answers questions about it.
//!
//! Guarantees: nodes are in id order and edges in (source id, target id) order with source id <
//! target id, whatever order the parts came in; so node indices follow id order, and a graph
//! written and read back is the same graph.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::Arc;

use petgraph::graph::{NodeIndex, UnGraph};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The unit of co-occurrence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Window {
    /// Entities in the same sentence are linked (default).
    #[default]
    Sentence,
    /// Entities in the same paragraph (run of non-blank lines).
    Paragraph,
    /// Entities in the same document.
    Document,
}

impl FromStr for Window {
    type Err = Error;

    /// `sentence`, `paragraph` or `document`.
    ///
    /// ```
    /// use entgraph::graph::Window;
    /// assert_eq!("paragraph".parse::<Window>().unwrap(), Window::Paragraph);
    /// assert_eq!("page".parse::<Window>().unwrap_err().to_string(),
    ///     "unknown window 'page' (expected sentence, paragraph or document)");
    /// ```
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "sentence" => Ok(Window::Sentence),
            "paragraph" => Ok(Window::Paragraph),
            "document" => Ok(Window::Document),
            _ => Err(Error::Invalid(format!(
                "unknown window '{s}' (expected sentence, paragraph or document)"
            ))),
        }
    }
}

impl std::fmt::Display for Window {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Window::Sentence => "sentence",
            Window::Paragraph => "paragraph",
            Window::Document => "document",
        })
    }
}

/// A node: one canonical entity. Its serde form is a node of `graph.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Node {
    /// `type:slug`.
    pub id: String,
    /// The canonical name.
    pub label: String,
    /// The entity type.
    #[serde(rename = "type")]
    pub kind: String,
    /// Number of mentions over all documents.
    pub mentions: u64,
    /// Number of windows it occurs in (0 in a graph written before windows were counted).
    #[serde(default)]
    pub windows: u64,
    /// Its community ([`Graph::detect_communities`]): 1 for the largest, then by size, ties by
    /// smallest member id. `None` until detected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub community: Option<u32>,
    /// Names of the documents that mention it, sorted.
    pub documents: Vec<String>,
    /// The other names it was met by, sorted: its mentions' surface forms and entity names, less
    /// the label.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// One window of text that justifies an edge.
///
/// The document name and the text are shared (`Arc<str>`): every edge of a window holds the same
/// two strings, so a sentence naming k entities is kept once, not k(k-1)/2 times. They serialize
/// as plain strings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// The document.
    pub doc: Arc<str>,
    /// The window's text (the sentence, or the sentences from one name to the other).
    pub text: Arc<str>,
    /// Character offset of `text` in the document.
    #[serde(default)]
    pub start: usize,
    /// Character offset one past its end.
    #[serde(default)]
    pub end: usize,
}

/// An edge: two entities that share windows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edge {
    /// Number of windows they share.
    pub weight: u64,
    /// Up to the evidence cap of those windows: the first ones in (document name, offset) order.
    pub evidence: Vec<Evidence>,
}

/// An edge named by the ids of its ends, as the `links` of `graph.json` hold it and as
/// [`Graph::from_parts`] takes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    /// One end's id.
    pub source: String,
    /// The other end's id.
    pub target: String,
    /// [`Edge::weight`].
    pub weight: u64,
    /// [`Edge::evidence`].
    pub evidence: Vec<Evidence>,
}

impl Link {
    /// The link between `source` and `target` carrying `edge`.
    pub fn new(source: impl Into<String>, target: impl Into<String>, edge: Edge) -> Link {
        Link {
            source: source.into(),
            target: target.into(),
            weight: edge.weight,
            evidence: edge.evidence,
        }
    }
}

/// Graph-level facts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct GraphInfo {
    /// The co-occurrence window used.
    pub window: Window,
    /// Documents read.
    pub documents: u64,
    /// Mentions found.
    pub mentions: u64,
    /// Edges seen fewer times than this were dropped.
    pub min_weight: u64,
    /// Windows analyzed (every sentence, paragraph or document read, with or without a mention);
    /// 0 in a graph written before windows were counted, which then has no association scores.
    #[serde(default)]
    pub windows: u64,
    /// The id of the output set ([`set_id`]): the same for the same documents (names and
    /// contents) and options, different otherwise. Empty in a graph saved without one.
    #[serde(default)]
    pub set: String,
    /// Every document read, sorted by name (then hash).
    #[serde(default)]
    pub sources: Vec<DocumentSource>,
}

/// A document a graph was built from: its name and the SHA-256 of its bytes as read (what
/// `sha256sum` prints for a file), in lowercase hex.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct DocumentSource {
    /// The document's name (the path as given, or `-`).
    pub name: String,
    /// SHA-256 of its bytes, 64 lowercase hex digits.
    pub sha256: String,
}

/// SHA-256 of `bytes` in lowercase hex.
///
/// ```
/// assert_eq!(entgraph::graph::sha256_hex(b"abc"),
///     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
/// ```
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(bytes))
}

/// Lowercase hex of some bytes.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(HEX[(b >> 4) as usize] as char);
        s.push(HEX[(b & 0xf) as usize] as char);
    }
    s
}

/// The id of an output set: the first 16 hex digits of the SHA-256 of the sources (sorted, each
/// name and hash), the window, the minimum weight and `options` (what else decides the graph, as
/// the caller describes it: the command-line tool gives the dictionaries' and rules' contents and
/// the recognition flags).
///
/// ```
/// use entgraph::graph::{DocumentSource, Window, set_id};
/// let s = vec![DocumentSource { name: "a.txt".into(), sha256: "00".into() }];
/// assert_eq!(set_id(&s, Window::Sentence, 1, "x"), set_id(&s, Window::Sentence, 1, "x"));
/// assert_ne!(set_id(&s, Window::Sentence, 1, "x"), set_id(&s, Window::Paragraph, 1, "x"));
/// assert_eq!(set_id(&s, Window::Sentence, 1, "x").len(), 16);
/// ```
pub fn set_id(
    sources: &[DocumentSource],
    window: Window,
    min_weight: u64,
    options: &str,
) -> String {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    h.update(b"entgraph set 1\n");
    for s in sources {
        // Length-prefixed: no two lists give the same bytes.
        h.update((s.name.len() as u64).to_le_bytes());
        h.update(s.name.as_bytes());
        h.update((s.sha256.len() as u64).to_le_bytes());
        h.update(s.sha256.as_bytes());
    }
    h.update(format!("window={window}\nmin_weight={min_weight}\n").as_bytes());
    h.update((options.len() as u64).to_le_bytes());
    h.update(options.as_bytes());
    let mut id = hex(&h.finalize());
    id.truncate(16);
    id
}

/// An edge with its two ends, as [`Graph::edges`] gives it: `source` has the lower id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EdgeView<'g> {
    /// The end with the lower id.
    pub source: &'g Node,
    /// The end with the higher id.
    pub target: &'g Node,
    /// The edge.
    pub edge: &'g Edge,
    /// The index of `source` (its place in [`Graph::nodes`]).
    pub source_index: NodeIndex,
    /// The index of `target`.
    pub target_index: NodeIndex,
}

/// An edge between the nodes at places `lower` < `higher` of an id-sorted node list: how
/// [`Graph::from_sorted`] takes edges.
#[derive(Debug, Clone)]
pub(crate) struct RankedEdge {
    pub lower: u32,
    pub higher: u32,
    pub edge: Edge,
}

/// The co-occurrence graph: nodes in id order, edges in (source id, target id) order, and an
/// index of the nodes by id.
///
/// ```
/// use entgraph::graph::{Edge, Graph, GraphInfo, Link, Node};
/// let node = |id: &str| Node { id: id.into(), label: id.to_uppercase(), kind: "t".into(),
///     mentions: 1, windows: 0, community: None, documents: vec![], aliases: vec![] };
/// let g = Graph::from_parts(vec![node("b"), node("a")],
///     vec![Link::new("b", "a", Edge { weight: 2, evidence: vec![] })], GraphInfo::default()).unwrap();
/// assert_eq!(g.nodes().map(|n| n.id.as_str()).collect::<Vec<_>>(), ["a", "b"]);
/// let e = g.edges().next().unwrap();
/// assert_eq!((e.source.id.as_str(), e.target.id.as_str(), e.edge.weight), ("a", "b", 2));
/// assert_eq!(g.edge("b", "a").unwrap().weight, 2);
/// ```
#[derive(Debug, Clone)]
pub struct Graph {
    /// Node and edge indices follow id order.
    graph: UnGraph<Node, Edge>,
    /// id -> node index.
    index: HashMap<String, NodeIndex>,
    info: GraphInfo,
    /// The measure edges are ranked by ([`Graph::set_measure`]).
    pub(crate) measure: crate::measure::Measure,
    /// Each edge's strength under `measure`, by edge index (empty for `count`: the weight).
    pub(crate) strengths: Vec<f64>,
}

impl Graph {
    /// Builds a graph from nodes and links; both are sorted, so any order in gives the same graph
    /// (links between the same two nodes keep their order). A node id given twice, or a link
    /// naming an unknown node, is an [`Error::InvalidGraph`].
    ///
    /// # Complexity
    /// O(|V| log |V| + |E| log |E|).
    pub fn from_parts(mut nodes: Vec<Node>, links: Vec<Link>, info: GraphInfo) -> Result<Graph> {
        nodes.sort_by(|a, b| a.id.cmp(&b.id));
        if let Some(w) = nodes.windows(2).find(|w| w[0].id == w[1].id) {
            return Err(Error::InvalidGraph(format!(
                "node '{}' appears twice",
                w[0].id
            )));
        }
        let rank: HashMap<&str, u32> = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.as_str(), i as u32))
            .collect();
        let rank_of = |id: &str| {
            rank.get(id)
                .copied()
                .ok_or_else(|| Error::InvalidGraph(format!("edge names unknown node '{id}'")))
        };
        let mut edges = Vec::with_capacity(links.len());
        for link in links {
            let (a, b) = (rank_of(&link.source)?, rank_of(&link.target)?);
            edges.push(RankedEdge {
                lower: a.min(b),
                higher: a.max(b),
                edge: Edge {
                    weight: link.weight,
                    evidence: link.evidence,
                },
            });
        }
        drop(rank);
        // Stable: links given twice keep their order.
        edges.sort_by_key(|e| (e.lower, e.higher));
        Ok(Graph::from_sorted(nodes, edges, info))
    }

    /// Builds a graph from nodes sorted by id (ids distinct) and edges sorted by (lower, higher).
    pub(crate) fn from_sorted(nodes: Vec<Node>, edges: Vec<RankedEdge>, info: GraphInfo) -> Graph {
        let mut index = HashMap::with_capacity(nodes.len());
        let mut graph = UnGraph::with_capacity(nodes.len(), edges.len());
        for n in nodes {
            index.insert(n.id.clone(), graph.add_node(n));
        }
        for e in edges {
            let (a, b) = (e.lower as usize, e.higher as usize);
            graph.add_edge(NodeIndex::new(a), NodeIndex::new(b), e.edge);
        }
        Graph {
            graph,
            index,
            info,
            measure: crate::measure::Measure::Count,
            strengths: Vec::new(),
        }
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    /// Number of edges.
    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// Graph-level facts: the window, the documents and mentions read, the minimum weight kept.
    pub fn info(&self) -> &GraphInfo {
        &self.info
    }

    /// The node with this id.
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.index.get(id).map(|&i| &self.graph[i])
    }

    /// The index of the node with this id (its place in [`Graph::nodes`]).
    pub fn index_of(&self, id: &str) -> Option<NodeIndex> {
        self.index.get(id).copied()
    }

    /// The edge between two ids, if any.
    ///
    /// # Complexity
    /// O(degree of `a`).
    pub fn edge(&self, a: &str, b: &str) -> Option<&Edge> {
        let (ia, ib) = (self.index_of(a)?, self.index_of(b)?);
        self.graph.find_edge(ia, ib).map(|e| &self.graph[e])
    }

    /// Nodes in id order.
    pub fn nodes(&self) -> impl ExactSizeIterator<Item = &Node> {
        self.graph.raw_nodes().iter().map(|n| &n.weight)
    }

    /// Edges in (source id, target id) order, source id < target id.
    pub fn edges(&self) -> impl ExactSizeIterator<Item = EdgeView<'_>> {
        self.graph.raw_edges().iter().map(move |e| {
            // Node indices follow id order.
            let (a, b) = (e.source().min(e.target()), e.source().max(e.target()));
            EdgeView {
                source: &self.graph[a],
                target: &self.graph[b],
                edge: &e.weight,
                source_index: a,
                target_index: b,
            }
        })
    }

    /// [`Graph::edges`] for writers that go through every edge: the strings the writer will read
    /// (`reads`) of the next [`READ_AHEAD`] edges are read before their edges are given out
    /// ([`crate::read_ahead`]: the strings lie all over memory).
    pub(crate) fn edges_read_ahead(&self, reads: Reads) -> impl Iterator<Item = EdgeView<'_>> {
        let mut edges = self.edges();
        let mut batch: Vec<EdgeView<'_>> = Vec::with_capacity(READ_AHEAD);
        let mut next = 0;
        std::iter::from_fn(move || {
            if next == batch.len() {
                batch.clear();
                batch.extend(edges.by_ref().take(READ_AHEAD));
                read_ahead(&batch, reads);
                next = 0;
            }
            let e = batch.get(next).copied();
            next += 1;
            e
        })
    }

    /// The graph taken apart: nodes in id order, links in (source, target) order, and the info;
    /// [`Graph::from_parts`] puts it back together.
    pub fn into_parts(self) -> (Vec<Node>, Vec<Link>, GraphInfo) {
        let (nodes, edges) = self.graph.into_nodes_edges();
        let ids: Vec<String> = nodes.iter().map(|n| n.weight.id.clone()).collect();
        let links = edges
            .into_iter()
            .map(|e| {
                let (a, b) = (e.source().index(), e.target().index());
                Link::new(ids[a.min(b)].clone(), ids[a.max(b)].clone(), e.weight)
            })
            .collect();
        drop(ids);
        (
            nodes.into_iter().map(|n| n.weight).collect(),
            links,
            self.info,
        )
    }

    /// The graph taken apart without copying ids: its nodes in id order and its edges between
    /// places in that order (for [`crate::merge::GraphMerger`]).
    pub(crate) fn into_ranked(self) -> (Vec<Node>, Vec<RankedEdge>, GraphInfo) {
        let (nodes, edges) = self.graph.into_nodes_edges();
        let edges = edges
            .into_iter()
            .map(|e| {
                let (a, b) = (e.source().index() as u32, e.target().index() as u32);
                RankedEdge {
                    lower: a.min(b),
                    higher: a.max(b),
                    edge: e.weight,
                }
            })
            .collect();
        (
            nodes.into_iter().map(|n| n.weight).collect(),
            edges,
            self.info,
        )
    }

    /// The nodes, mutable (for [`Graph::detect_communities`]).
    pub(crate) fn nodes_mut(&mut self) -> impl Iterator<Item = &mut Node> {
        self.graph.node_weights_mut()
    }

    /// The graph as petgraph's undirected graph, for algorithms (read-only): node and edge indices
    /// are those of [`Graph::index_of`] and [`Graph::edges`].
    pub fn petgraph(&self) -> &UnGraph<Node, Edge> {
        &self.graph
    }
}

/// How many edges [`Graph::edges_read_ahead`] reads ahead.
const READ_AHEAD: usize = 64;

/// The strings of an edge a writer reads, for [`Graph::edges_read_ahead`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reads {
    /// The text of the first evidence (the DOT tooltip).
    FirstText,
    /// Both ids and every evidence text (`graph.json`).
    IdsAndTexts,
}

/// Reads the first byte of the strings of `edges` that `reads` names, all at once.
fn read_ahead(edges: &[EdgeView<'_>], reads: Reads) {
    let first = |s: &str| s.as_bytes().first().map_or(0, |&b| b as u64);
    match reads {
        Reads::FirstText => crate::read_ahead::read_ahead(
            edges
                .iter()
                .filter_map(|e| e.edge.evidence.first().map(|ev| first(&ev.text))),
        ),
        Reads::IdsAndTexts => crate::read_ahead::read_ahead(edges.iter().flat_map(|e| {
            let ends = [first(&e.source.id), first(&e.target.id)];
            let texts = e.edge.evidence.iter().map(|ev| first(&ev.text));
            ends.into_iter().chain(texts)
        })),
    }
}

/// Graphs generated for the writers' tests: every string made of pieces that need escaping in
/// some format (quotes, backslashes, controls, C1 controls, line separators, bidi marks, markup,
/// non-ASCII, runs longer than a scanner's block).
#[cfg(test)]
pub(crate) mod generated {
    use super::*;

    const PIECES: [&str; 24] = [
        "a",
        "Z",
        " ",
        "\"",
        "\\",
        "\n",
        "\r",
        "\t",
        "\u{0}",
        "\u{8}",
        "\u{c}",
        "\u{1f}",
        "\u{7f}",
        "\u{85}",
        "\u{9f}",
        "\u{a0}",
        "é",
        "😀",
        "\u{2028}",
        "\u{202e}",
        "</script>",
        "&amp;",
        "\u{feff}",
        "abcdefghijklmnopqrstuvwxyz0123456789",
    ];

    /// A small random generator (xorshift), so that a seed gives the same graph everywhere.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }

        fn string(&mut self) -> String {
            (0..self.below(12))
                .map(|_| PIECES[self.below(PIECES.len())])
                .collect()
        }

        fn strings(&mut self) -> Vec<String> {
            (0..self.below(4)).map(|_| self.string()).collect()
        }
    }

    /// A graph of up to 40 nodes and 80 links, with hostile strings everywhere (ids are distinct).
    pub fn hostile_graph(seed: u64) -> Graph {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let kinds = ["person", "film", "place", "organization"];
        let nodes: Vec<Node> = (0..rng.below(40))
            .map(|i| Node {
                id: format!("{i}:{}", rng.string()),
                label: rng.string(),
                kind: match rng.below(5) {
                    4 => rng.string(),
                    k => kinds[k].to_string(),
                },
                mentions: [0, 1, 42, u64::MAX][rng.below(4)],
                windows: rng.below(100) as u64,
                community: [None, Some(1), Some(7)][rng.below(3)],
                documents: rng.strings(),
                aliases: rng.strings(),
            })
            .collect();
        let mut links = Vec::new();
        if nodes.len() > 1 {
            for _ in 0..rng.below(80) {
                let (a, b) = (rng.below(nodes.len()), rng.below(nodes.len()));
                if a == b {
                    continue;
                }
                let evidence = (0..rng.below(6))
                    .map(|_| Evidence {
                        doc: rng.string().into(),
                        text: rng.string().into(),
                        start: rng.below(1000),
                        end: 1000 + rng.below(1000),
                    })
                    .collect();
                let weight = [1, 2, 63, 64, 1000, u64::MAX][rng.below(6)];
                links.push(Link::new(
                    nodes[a].id.clone(),
                    nodes[b].id.clone(),
                    Edge { weight, evidence },
                ));
            }
        }
        let info = GraphInfo {
            window: [Window::Sentence, Window::Paragraph, Window::Document][rng.below(3)],
            documents: rng.next(),
            mentions: rng.next(),
            min_weight: rng.below(3) as u64,
            windows: rng.next(),
            set: rng.string(),
            sources: (0..rng.below(3))
                .map(|_| DocumentSource {
                    name: rng.string(),
                    sha256: rng.string(),
                })
                .collect(),
        };
        Graph::from_parts(nodes, links, info).expect("distinct ids, known ends")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: &str) -> Node {
        Node {
            id: id.into(),
            label: id.to_uppercase(),
            kind: "t".into(),
            mentions: 1,
            windows: 0,
            community: None,
            documents: vec![],
            aliases: vec![],
        }
    }

    fn link(a: &str, b: &str, weight: u64) -> Link {
        Link::new(
            a,
            b,
            Edge {
                weight,
                evidence: vec![],
            },
        )
    }

    #[test]
    fn graph_from_parts_sorts_and_indexes() {
        let g = Graph::from_parts(
            vec![node("c"), node("a"), node("b")],
            vec![link("c", "a", 1), link("b", "a", 2), link("c", "b", 3)],
            GraphInfo::default(),
        )
        .unwrap();
        let ids: Vec<&str> = g.nodes().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c"]);
        let edges: Vec<(&str, &str, u64)> = g
            .edges()
            .map(|e| (e.source.id.as_str(), e.target.id.as_str(), e.edge.weight))
            .collect();
        assert_eq!(edges, [("a", "b", 2), ("a", "c", 1), ("b", "c", 3)]);
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(g.index_of(id).unwrap().index(), i);
            assert_eq!(&g.petgraph()[g.index_of(id).unwrap()].id, id);
        }
        for e in g.edges() {
            assert_eq!(g.petgraph()[e.source_index].id, e.source.id);
            assert_eq!(g.petgraph()[e.target_index].id, e.target.id);
        }
        assert_eq!(g.edge("c", "b").unwrap().weight, 3);
        assert_eq!(g.edge("a", "zz"), None);
        assert_eq!(g.node("b").unwrap().label, "B");
    }

    #[test]
    fn graph_from_parts_errors() {
        let twice = Graph::from_parts(vec![node("a"), node("a")], vec![], GraphInfo::default());
        assert_eq!(twice.unwrap_err().to_string(), "node 'a' appears twice");
        let dangling = Graph::from_parts(
            vec![node("a")],
            vec![link("a", "b", 1)],
            GraphInfo::default(),
        );
        assert_eq!(
            dangling.unwrap_err().to_string(),
            "edge names unknown node 'b'"
        );
    }

    /// More edges than one read-ahead batch come out as `edges` gives them.
    #[test]
    fn graph_edges_read_ahead_as_edges() {
        let nodes: Vec<Node> = (0..30).map(|i| node(&format!("n{i:02}"))).collect();
        let mut links = Vec::new();
        for i in 0..30 {
            for j in i + 1..30 {
                links.push(link(&nodes[i].id, &nodes[j].id, (i * j) as u64));
            }
        }
        let g = Graph::from_parts(nodes, links, GraphInfo::default()).unwrap();
        assert!(g.edge_count() > 3 * READ_AHEAD);
        for reads in [Reads::FirstText, Reads::IdsAndTexts] {
            assert_eq!(
                g.edges_read_ahead(reads).collect::<Vec<_>>(),
                g.edges().collect::<Vec<_>>()
            );
        }
    }
}
