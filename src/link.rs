//! Linking: consumes each document's sentences and mentions, produces the co-occurrence [`Graph`]:
//! one node per canonical entity and one weighted, undirected edge per pair of entities that share a
//! window (sentence, paragraph or document), keeping the text of up to `evidence_cap` of those windows.
//!
//! Guarantees: nodes are ordered by id and edges by (source id, target id) with source < target, so
//! the same documents fed in the same order give the same graph; evidence is kept in document
//! order (documents in the order they were added).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::str::FromStr;
use std::sync::Arc;

use petgraph::graph::{NodeIndex, UnGraph};
use serde::{Deserialize, Serialize};

use crate::model::{CharIndex, Document, FxHashMap, Mention, Sentence, Span};

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
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "sentence" => Ok(Window::Sentence),
            "paragraph" => Ok(Window::Paragraph),
            "document" => Ok(Window::Document),
            _ => Err(format!(
                "unknown window '{s}' (expected sentence, paragraph or document)"
            )),
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

/// A node: one canonical entity.
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
    /// Names of the documents that mention it, sorted.
    pub documents: Vec<String>,
    /// Other surface forms it was mentioned by, sorted.
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
    /// Up to the evidence cap of those windows, in document order.
    pub evidence: Vec<Evidence>,
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
}

/// The co-occurrence graph: a petgraph undirected graph plus an id index.
#[derive(Debug, Clone)]
pub struct Graph {
    /// The graph; node and edge indices follow id order.
    pub graph: UnGraph<Node, Edge>,
    /// id -> node index.
    pub index: HashMap<String, NodeIndex>,
    /// Graph-level facts.
    pub info: GraphInfo,
}

impl Graph {
    /// Builds a graph from nodes and edges `(source id, target id, edge)`; both are sorted, so any
    /// order in gives the same graph. Edges naming unknown nodes are an error.
    pub fn from_parts(
        mut nodes: Vec<Node>,
        edges: Vec<(String, String, Edge)>,
        info: GraphInfo,
    ) -> Result<Graph, String> {
        nodes.sort_by(|a, b| a.id.cmp(&b.id));
        if let Some(w) = nodes.windows(2).find(|w| w[0].id == w[1].id) {
            return Err(format!("node '{}' appears twice", w[0].id));
        }
        let rank: HashMap<&str, u32> = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.as_str(), i as u32))
            .collect();
        let mut ranked = Vec::with_capacity(edges.len());
        for (a, b, e) in edges {
            let ra = *rank
                .get(a.as_str())
                .ok_or_else(|| format!("edge names unknown node '{a}'"))?;
            let rb = *rank
                .get(b.as_str())
                .ok_or_else(|| format!("edge names unknown node '{b}'"))?;
            ranked.push((ra.min(rb), ra.max(rb), e));
        }
        drop(rank);
        // Stable: edges given twice keep their order.
        ranked.sort_by_key(|&(a, b, _)| (a, b));
        Ok(Graph::from_ranked(nodes, ranked, info))
    }

    /// Builds a graph from nodes sorted by id (ids distinct) and edges `(lower node number, higher
    /// node number, edge)` sorted by those numbers, node numbers being positions in `nodes`.
    fn from_ranked(nodes: Vec<Node>, edges: Vec<(u32, u32, Edge)>, info: GraphInfo) -> Graph {
        let mut index = HashMap::with_capacity(nodes.len());
        let mut graph = UnGraph::with_capacity(nodes.len(), edges.len());
        for n in nodes {
            index.insert(n.id.clone(), graph.add_node(n));
        }
        add_ranked_edges(&mut graph, edges);
        Graph { graph, index, info }
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    /// Number of edges.
    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// The node with this id.
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.index.get(id).map(|&i| &self.graph[i])
    }

    /// The edge between two ids, if any.
    pub fn edge(&self, a: &str, b: &str) -> Option<&Edge> {
        let (ia, ib) = (*self.index.get(a)?, *self.index.get(b)?);
        self.graph.find_edge(ia, ib).map(|e| &self.graph[e])
    }

    /// Nodes in id order.
    pub fn nodes(&self) -> impl Iterator<Item = &Node> {
        self.graph.node_indices().map(move |i| &self.graph[i])
    }

    /// Edges as `(source, target, edge)` in (source id, target id) order, source id < target id.
    pub fn edges(&self) -> impl Iterator<Item = (&Node, &Node, &Edge)> {
        self.graph.edge_indices().map(move |e| {
            let (a, b) = self
                .graph
                .edge_endpoints(e)
                .expect("edge index from this graph");
            // Node indices follow id order.
            let (a, b) = (a.min(b), a.max(b));
            (&self.graph[a], &self.graph[b], &self.graph[e])
        })
    }
}

#[derive(Debug)]
struct NodeAcc {
    id: Arc<str>,
    label: String,
    kind: String,
    mentions: u64,
    /// Names of the documents that mention it, each once per document (a name given to two
    /// documents is there twice until `finish` sorts them and drops the repeats).
    documents: Vec<String>,
    /// The number of the last document added to `documents` (skips it for every mention).
    last_doc: u64,
    aliases: BTreeSet<String>,
}

/// The document being linked: its open windows and what their evidence needs.
#[derive(Debug, Default)]
struct DocLink {
    name: Arc<str>,
    /// Global index (in the document) of the first sentence of the current piece.
    sentence_base: usize,
    /// Spans of the sentences kept (from `kept_from` on), for evidence.
    spans: Vec<Span>,
    kept_from: usize,
    /// The text kept for evidence, from byte `text_offset` (char `text_char`) of the document.
    text: String,
    text_offset: usize,
    text_char: usize,
    /// window key -> node -> sentence indices (global) where it occurs
    windows: BTreeMap<usize, BTreeMap<u32, Vec<usize>>>,
}

/// Accumulates documents into a [`Graph`].
///
/// Documents are given whole ([`GraphBuilder::add_document`]) or in pieces
/// ([`GraphBuilder::begin_document`], [`GraphBuilder::add_piece`], [`GraphBuilder::end_document`]),
/// with the same result. A window is linked when it closes: a sentence at the end of its piece, a
/// paragraph when a later one starts, the document at its end; only the text of open windows is
/// kept, so with sentence windows memory does not grow with a document (with paragraph and
/// document windows it holds the open paragraph or the document, since evidence can span it).
///
/// ```
/// use entgraph::link::{GraphBuilder, Window};
/// use entgraph::model::{Document, Mention, Sentence, Span};
/// let doc = Document::new("d.txt", "Tom Cruise met McQuarrie.");
/// let m = |s, e, id: &str, name: &str| Mention { span: Span::new(s, e), entity: name.into(), id: id.into(),
///     kind: "person".into(), source: "dictionary".into(), origin: "".into(), beat: vec![] };
/// let mentions = [m(0, 10, "person:tom-cruise", "Tom Cruise"), m(15, 24, "person:christopher-mcquarrie", "Christopher McQuarrie")];
/// let sentences = [Sentence { span: Span::new(0, 25), paragraph: 0 }];
/// let mut b = GraphBuilder::new(Window::Sentence);
/// b.add_document(&doc, &sentences, &mentions);
/// let g = b.finish(1);
/// assert_eq!(g.edge("person:tom-cruise", "person:christopher-mcquarrie").unwrap().weight, 1);
/// ```
#[derive(Debug)]
pub struct GraphBuilder {
    window: Window,
    evidence_cap: usize,
    /// Threads [`GraphBuilder::finish`] may use (1: the calling thread only).
    threads: usize,
    nodes: Vec<NodeAcc>,
    index: FxHashMap<Arc<str>, u32>,
    /// The node of recently seen id strings, by address: [`NODE_CACHE`] slots of (id, node). A
    /// dictionary's mentions share their entry's id string, so most lookups end here without
    /// hashing or comparing the id; the slot holds the `Arc`, so its address is not reused for
    /// another string while it is cached.
    cache: Vec<Option<(Arc<str>, u32)>>,
    /// The edges, in the order they were first seen: (lower node number, higher, edge).
    edges: Vec<(u32, u32, Edge)>,
    /// Each edge's place in `edges`, by its pair of node numbers.
    pairs: PairIndex,
    documents: u64,
    mentions: u64,
    doc: Option<DocLink>,
}

impl GraphBuilder {
    /// A builder linking within `window`, keeping 5 evidence windows per edge.
    pub fn new(window: Window) -> Self {
        GraphBuilder {
            window,
            evidence_cap: 5,
            threads: 1,
            nodes: Vec::new(),
            index: FxHashMap::default(),
            cache: Vec::new(),
            edges: Vec::new(),
            pairs: PairIndex::default(),
            documents: 0,
            mentions: 0,
            doc: None,
        }
    }

    /// Lets [`GraphBuilder::finish`] build the nodes and sort the edges on two threads when
    /// `threads` is 2 or more (the graph is the same).
    pub fn threads(mut self, threads: usize) -> Self {
        self.threads = threads.max(1);
        self
    }

    /// Sets how many evidence windows are kept per edge.
    pub fn evidence_cap(mut self, cap: usize) -> Self {
        self.evidence_cap = cap;
        self
    }

    /// Adds one document: its sentences and mentions (byte spans into `doc.text`, mentions in text order).
    pub fn add_document(&mut self, doc: &Document, sentences: &[Sentence], mentions: &[Mention]) {
        self.begin_document(&doc.name);
        self.add_piece(&doc.text, 0, 0, sentences, mentions);
        self.end_document();
    }

    /// Starts a document given in pieces (ends the one before, if any).
    pub fn begin_document(&mut self, name: &str) {
        self.end_document();
        self.documents += 1;
        self.doc = Some(DocLink {
            name: Arc::from(name),
            ..Default::default()
        });
    }

    /// Adds the next piece of the current document: `text` starts at byte `offset` (char
    /// `char_offset`) of the document and follows the previous piece; sentences and mentions have
    /// byte spans into the document, in text order, and lie in this piece.
    pub fn add_piece(
        &mut self,
        text: &str,
        offset: usize,
        char_offset: usize,
        sentences: &[Sentence],
        mentions: &[Mention],
    ) {
        let mut doc = self.doc.take().unwrap_or_default();
        if doc.text.is_empty() {
            doc.text_offset = offset;
            doc.text_char = char_offset;
        }
        debug_assert_eq!(
            doc.text_offset + doc.text.len(),
            offset,
            "pieces follow each other"
        );
        doc.text.push_str(text);
        let base = doc.sentence_base;
        doc.spans.extend(sentences.iter().map(|s| s.span));
        self.mentions += mentions.len() as u64;
        let mut sentence_nodes: Vec<(usize, u32)> = Vec::new();
        let mut local = 0;
        if self.cache.is_empty() {
            self.cache.resize(NODE_CACHE, None);
        }
        for m in mentions {
            let slot = cache_slot(m.id.as_ptr());
            let cached = match &self.cache[slot] {
                Some((id, node)) if std::ptr::eq(id.as_ptr(), m.id.as_ptr()) => Some(*node),
                _ => None,
            };
            let node = match cached.or_else(|| self.index.get(&m.id).copied()) {
                Some(i) => i,
                None => {
                    let i = self.nodes.len() as u32;
                    self.nodes.push(NodeAcc {
                        id: m.id.clone(),
                        label: m.entity.to_string(),
                        kind: m.kind.to_string(),
                        mentions: 0,
                        documents: Vec::new(),
                        last_doc: u64::MAX,
                        aliases: BTreeSet::new(),
                    });
                    self.index.insert(m.id.clone(), i);
                    i
                }
            };
            if cached.is_none() {
                self.cache[slot] = Some((m.id.clone(), node));
            }
            let acc = &mut self.nodes[node as usize];
            acc.mentions += 1;
            if acc.last_doc != self.documents {
                acc.last_doc = self.documents;
                acc.documents.push(doc.name.to_string());
            }
            let surface = &text[m.span.start - offset..m.span.end - offset];
            if surface != acc.label && !acc.aliases.contains(surface) {
                acc.aliases.insert(surface.to_string());
            }
            // The mention's sentence: the first that ends after its start (mentions come in text
            // order, so the search goes on from the last one's).
            while local + 1 < sentences.len() && sentences[local].span.end <= m.span.start {
                local += 1;
            }
            debug_assert_eq!(
                local,
                sentences
                    .partition_point(|s| s.span.end <= m.span.start)
                    .min(sentences.len().saturating_sub(1))
            );
            let si = base + local;
            if self.window == Window::Sentence {
                // Sentence windows close with their sentence: linked below, without the maps.
                sentence_nodes.push((local, node));
                continue;
            }
            let key = match self.window {
                Window::Sentence => si,
                Window::Paragraph => sentences.get(local).map_or(0, |s| s.paragraph),
                Window::Document => 0,
            };
            let list = doc.windows.entry(key).or_default().entry(node).or_default();
            if list.last() != Some(&si) {
                list.push(si);
            }
        }
        if !sentence_nodes.is_empty() {
            self.link_sentences(
                &doc.name,
                text,
                char_offset,
                offset,
                sentences,
                &sentence_nodes,
            );
        }
        doc.sentence_base += sentences.len();
        // Link the windows that are closed: every sentence of this piece; the paragraphs before
        // the last one of this piece; the document only at its end.
        let open_from = match self.window {
            Window::Sentence => usize::MAX,
            Window::Paragraph => sentences.last().map_or(usize::MAX, |s| s.paragraph),
            Window::Document => 0,
        };
        self.flush(&mut doc, open_from);
        self.doc = Some(doc);
    }

    /// Links sentence windows: `nodes` holds (sentence index in `sentences`, node) in text order.
    /// The same as [`GraphBuilder::flush`] does for them (evidence the sentence, its text shared by
    /// the sentence's edges).
    fn link_sentences(
        &mut self,
        doc: &Arc<str>,
        text: &str,
        char_offset: usize,
        offset: usize,
        sentences: &[Sentence],
        nodes: &[(usize, u32)],
    ) {
        // Char offsets of sentence starts, counted from the last one needed (sentences come in
        // text order).
        let mut cursor = (0usize, 0usize);
        let mut char_at = |byte: usize| {
            let (b0, c0) = cursor;
            debug_assert!(byte >= b0, "sentences in text order");
            let c = c0 + crate::text::count_chars(&text.as_bytes()[b0..byte]);
            cursor = (byte, c);
            c
        };
        let mut ids: Vec<u32> = Vec::new();
        let mut pairs: Vec<u64> = Vec::new();
        let mut i = 0;
        while i < nodes.len() {
            let local = nodes[i].0;
            ids.clear();
            while i < nodes.len() && nodes[i].0 == local {
                ids.push(nodes[i].1);
                i += 1;
            }
            ids.sort_unstable();
            ids.dedup();
            if ids.len() < 2 {
                continue;
            }
            // Keys are (lower node number, higher); `finish` orders them by id.
            pairs.clear();
            for x in 0..ids.len() {
                for y in x + 1..ids.len() {
                    pairs.push(pair_key(ids[x], ids[y]));
                }
            }
            // (room first: the table is not resized between the reads and the inserts)
            self.pairs.reserve(pairs.len());
            self.pairs.touch(&pairs);
            // The sentence's evidence, made for the first edge that keeps it.
            let mut evidence: Option<Evidence> = None;
            for &pair in &pairs {
                let at = self.edge_at(pair);
                let edge = &mut self.edges[at].2;
                edge.weight += 1;
                if edge.evidence.len() >= self.evidence_cap || sentences.is_empty() {
                    continue;
                }
                let ev = evidence.get_or_insert_with(|| {
                    let span = sentences[local].span;
                    let (s, e) = (span.start - offset, span.end - offset);
                    let start = char_at(s);
                    let window = &text[s..e];
                    Evidence {
                        doc: doc.clone(),
                        text: Arc::from(window),
                        start: char_offset + start,
                        end: char_offset + start + crate::text::count_chars(window.as_bytes()),
                    }
                });
                push_evidence(&mut edge.evidence, ev.clone(), self.evidence_cap);
            }
        }
    }

    /// The place in `edges` of a pair of node numbers ([`pair_key`]), added with weight 0 if new.
    fn edge_at(&mut self, pair: u64) -> usize {
        let (at, new) = self.pairs.find_or_insert(pair, self.edges.len());
        if new {
            self.edges.push((
                (pair >> 32) as u32,
                pair as u32,
                Edge {
                    weight: 0,
                    evidence: Vec::new(),
                },
            ));
        }
        at
    }

    /// Ends the current document (links its open windows).
    pub fn end_document(&mut self) {
        if let Some(mut doc) = self.doc.take() {
            self.flush(&mut doc, usize::MAX);
        }
    }

    /// Links the windows whose key is below `open_from` and drops the text no open window needs.
    fn flush(&mut self, doc: &mut DocLink, open_from: usize) {
        let open = doc.windows.split_off(&open_from);
        let closed = std::mem::replace(&mut doc.windows, open);
        let mut chars: Option<CharIndex> = None;
        for (_, ids) in closed {
            let mut ids: Vec<(u32, Vec<usize>)> = ids.into_iter().collect();
            ids.sort_by(|a, b| {
                self.nodes[a.0 as usize]
                    .id
                    .cmp(&self.nodes[b.0 as usize].id)
            });
            for i in 0..ids.len() {
                for j in i + 1..ids.len() {
                    let (a, sa) = &ids[i];
                    let (b, sb) = &ids[j];
                    let at = self.edge_at(pair_key(*a.min(b), *a.max(b)));
                    let edge = &mut self.edges[at].2;
                    edge.weight += 1;
                    if edge.evidence.len() >= self.evidence_cap || doc.spans.is_empty() {
                        continue;
                    }
                    let (x, y) = nearest(sa, sb);
                    let (lo, hi) = (x.min(y), x.max(y));
                    let (s, e) = (
                        doc.spans[lo - doc.kept_from].start,
                        doc.spans[hi - doc.kept_from].end,
                    );
                    let (s, e) = (s - doc.text_offset, e - doc.text_offset);
                    let ci = chars.get_or_insert_with(|| CharIndex::new(&doc.text));
                    let ev = Evidence {
                        doc: doc.name.clone(),
                        text: Arc::from(&doc.text[s..e]),
                        start: doc.text_char + ci.char_offset(s),
                        end: doc.text_char + ci.char_offset(e),
                    };
                    push_evidence(&mut edge.evidence, ev, self.evidence_cap);
                }
            }
        }
        drop(chars);
        // Keep the sentences (and text) from the first one an open window holds.
        let keep_from = doc
            .windows
            .values()
            .flat_map(|w| w.values().filter_map(|v| v.first()))
            .min()
            .copied()
            .unwrap_or(doc.sentence_base);
        if keep_from > doc.kept_from {
            let drop_n = (keep_from - doc.kept_from).min(doc.spans.len());
            let new_start = doc
                .spans
                .get(drop_n)
                .map_or(doc.text_offset + doc.text.len(), |s| s.start);
            doc.spans.drain(..drop_n);
            doc.kept_from = keep_from;
            let cut = new_start - doc.text_offset;
            doc.text_char += crate::text::count_chars(&doc.text.as_bytes()[..cut]);
            doc.text.drain(..cut);
            doc.text_offset = new_start;
        }
    }

    /// Finishes the graph, dropping edges seen fewer than `min_weight` times.
    pub fn finish(mut self, min_weight: u64) -> Graph {
        self.end_document();
        drop(self.index);
        drop(self.cache);
        drop(self.pairs);
        let accs = self.nodes;
        let mut edge_list = self.edges;
        let ids: Vec<Arc<str>> = accs.iter().map(|a| a.id.clone()).collect();
        let edge_room = edge_list.len();
        // Node numbers in id order (the rank of each node, sent on), then the graph's nodes in
        // that order, with room for the edges.
        let nodes_in_order = move |ranked: &mut dyn FnMut(Vec<u32>)| {
            let order = id_order(&accs);
            let mut rank = vec![0u32; order.len()];
            for (r, &n) in order.iter().enumerate() {
                rank[n as usize] = r as u32;
            }
            ranked(rank);
            let mut slots: Vec<Option<NodeAcc>> = accs.into_iter().map(Some).collect();
            let mut graph = UnGraph::with_capacity(order.len(), edge_room);
            for &n in &order {
                let mut n = slots[n as usize].take().expect("each node once");
                n.documents.sort_unstable();
                n.documents.dedup();
                graph.add_node(Node {
                    id: n.id.to_string(),
                    label: n.label,
                    kind: n.kind,
                    mentions: n.mentions,
                    documents: n.documents,
                    aliases: n.aliases.into_iter().collect(),
                });
            }
            graph
        };
        // The edges kept, by node number; then by rank, sorted (pairs are distinct); and the index
        // of the nodes by id.
        let kept = move || -> Vec<(u32, u32, Edge)> {
            edge_list.retain(|(_, _, e)| e.weight >= min_weight);
            edge_list
        };
        let ranked = |mut edges: Vec<(u32, u32, Edge)>, rank: &[u32]| {
            for e in &mut edges {
                let (ra, rb) = (rank[e.0 as usize], rank[e.1 as usize]);
                (e.0, e.1) = (ra.min(rb), ra.max(rb));
            }
            edges.sort_unstable_by_key(|&(a, b, _)| (a, b));
            let mut index = HashMap::with_capacity(ids.len());
            for (id, &r) in ids.iter().zip(rank) {
                index.insert(id.to_string(), NodeIndex::new(r as usize));
            }
            (edges, index)
        };
        let (mut graph, (edges, index)) = if self.threads > 1 {
            // The nodes on one thread, the edges and the index on this one: the edges are
            // collected while the ids are sorted, then ranked once the ranks come.
            std::thread::scope(|s| {
                let (send, receive) = std::sync::mpsc::channel();
                let nodes = s.spawn(move || {
                    // (the receiver is gone only if this thread's caller panicked)
                    nodes_in_order(&mut |rank| drop(send.send(rank)))
                });
                let edges = kept();
                let edges = match receive.recv() {
                    Ok(rank) => ranked(edges, &rank),
                    // The nodes' thread panicked before sending: its panic is resumed below.
                    Err(_) => (Vec::new(), HashMap::new()),
                };
                (
                    nodes
                        .join()
                        .unwrap_or_else(|e| std::panic::resume_unwind(e)),
                    edges,
                )
            })
        } else {
            let mut rank = Vec::new();
            let graph = nodes_in_order(&mut |r| rank = r);
            (graph, ranked(kept(), &rank))
        };
        add_ranked_edges(&mut graph, edges);
        let info = GraphInfo {
            window: self.window,
            documents: self.documents,
            mentions: self.mentions,
            min_weight,
        };
        Graph { graph, index, info }
    }
}

/// The node numbers of `nodes` in id order. Each id's first 16 bytes, as a big-endian number
/// (zero-padded), decide most comparisons without reading the ids again from all over memory;
/// equal keys fall back to the ids.
fn id_order(nodes: &[NodeAcc]) -> Vec<u32> {
    let mut keyed: Vec<(u128, u32)> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let mut key = [0u8; 16];
            let id = n.id.as_bytes();
            let k = id.len().min(16);
            key[..k].copy_from_slice(&id[..k]);
            (u128::from_be_bytes(key), i as u32)
        })
        .collect();
    keyed.sort_unstable_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| nodes[a.1 as usize].id.cmp(&nodes[b.1 as usize].id))
    });
    keyed.into_iter().map(|(_, i)| i).collect()
}

/// The key of an edge: its lower node number in the high half, the higher one in the low half.
fn pair_key(lower: u32, higher: u32) -> u64 {
    debug_assert!(lower < higher);
    (lower as u64) << 32 | higher as u64
}

/// The place of each edge in [`GraphBuilder`]'s list, by [`pair_key`]: open addressing with
/// linear probing in a power-of-two table of (key, place) slots kept at most half full.
///
/// Why not a hash map: in a large corpus most pairs are new, so nearly every update is an insert
/// at a random place of a table of tens of megabytes, a wait for memory each. Here the slots a
/// sentence's pairs start from are read first, all at once ([`PairIndex::touch`]), so those waits
/// overlap; and a slot is 16 bytes where the map's entry (key and edge) took 40, the edges
/// themselves being appended to a list in the order they come.
#[derive(Debug, Default)]
struct PairIndex {
    slots: Vec<PairSlot>,
    len: usize,
}

#[derive(Debug, Clone, Copy)]
struct PairSlot {
    /// [`pair_key`], or [`EMPTY_PAIR`].
    key: u64,
    place: usize,
}

/// The key of an empty slot (not a [`pair_key`]: the lower number is below the higher).
const EMPTY_PAIR: u64 = u64::MAX;

impl PairIndex {
    /// The slot a key's probe starts from: the top bits of a multiplicative hash.
    fn home(&self, key: u64) -> usize {
        let bits = self.slots.len().trailing_zeros();
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - bits)) as usize
    }

    /// Makes room for `more` keys (the table stays at most half full).
    fn reserve(&mut self, more: usize) {
        let need = (self.len + more) * 2;
        if need <= self.slots.len() {
            return;
        }
        let size = need.next_power_of_two().max(1024);
        let old = std::mem::replace(
            &mut self.slots,
            vec![
                PairSlot {
                    key: EMPTY_PAIR,
                    place: 0,
                };
                size
            ],
        );
        for slot in old.into_iter().filter(|s| s.key != EMPTY_PAIR) {
            let mut i = self.home(slot.key);
            while self.slots[i].key != EMPTY_PAIR {
                i = (i + 1) & (size - 1);
            }
            self.slots[i] = slot;
        }
    }

    /// Reads the first slot of each key's probe, so that the reads wait for memory together
    /// (after [`PairIndex::reserve`]: the table must have slots).
    fn touch(&self, keys: &[u64]) {
        let mut x = 0u64;
        for &k in keys {
            x ^= self.slots[self.home(k)].key;
        }
        std::hint::black_box(x);
    }

    /// The place of `key`, and false; or, if it is new, `place` (now its place), and true.
    fn find_or_insert(&mut self, key: u64, place: usize) -> (usize, bool) {
        self.reserve(1);
        let mask = self.slots.len() - 1;
        let mut i = self.home(key);
        loop {
            let slot = &mut self.slots[i];
            if slot.key == key {
                return (slot.place, false);
            }
            if slot.key == EMPTY_PAIR {
                *slot = PairSlot { key, place };
                self.len += 1;
                return (place, true);
            }
            i = (i + 1) & mask;
        }
    }
}

/// Slots of [`GraphBuilder`]'s cache of nodes by id address (a power of two).
const NODE_CACHE: usize = 1 << 14;

/// The slot of [`GraphBuilder`]'s node cache for an id at `address`: the top bits of a
/// multiplicative hash of it.
fn cache_slot(address: *const u8) -> usize {
    let h = ((address as usize as u64) >> 3).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (h >> (64 - NODE_CACHE.trailing_zeros())) as usize
}

/// Adds edges `(lower node number, higher node number, edge)`, in their order, to a graph that
/// has those nodes.
fn add_ranked_edges(graph: &mut UnGraph<Node, Edge>, edges: Vec<(u32, u32, Edge)>) {
    for (a, b, e) in edges {
        graph.add_edge(NodeIndex::new(a as usize), NodeIndex::new(b as usize), e);
    }
}

/// Adds evidence to an edge's list (shorter than `cap`), sizing it for what it will hold: one
/// window for the first (most edges are seen once), then room for `cap`.
fn push_evidence(list: &mut Vec<Evidence>, ev: Evidence, cap: usize) {
    if list.len() == list.capacity() {
        list.reserve_exact(if list.is_empty() { 1 } else { cap - list.len() });
    }
    list.push(ev);
}

/// The closest pair of sentence indices from two sorted lists.
fn nearest(a: &[usize], b: &[usize]) -> (usize, usize) {
    let (mut i, mut j) = (0, 0);
    let mut best = (a[0], b[0]);
    while i < a.len() && j < b.len() {
        if a[i].abs_diff(b[j]) < best.0.abs_diff(best.1) {
            best = (a[i], b[j]);
        }
        if a[i] < b[j] { i += 1 } else { j += 1 }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: usize, e: usize, id: &str) -> Mention {
        Mention {
            span: Span::new(s, e),
            entity: id.to_uppercase().into(),
            id: id.into(),
            kind: "t".into(),
            source: "dictionary".into(),
            origin: "".into(),
            beat: vec![],
        }
    }

    fn build(window: Window, text: &str, mentions: &[Mention]) -> Graph {
        let doc = Document::new("d", text);
        let sentences = crate::segment::segment(text);
        let mut b = GraphBuilder::new(window);
        b.add_document(&doc, &sentences, mentions);
        b.finish(1)
    }

    // "A b. C d.\n\nA e."  A=0..1 C=5..6 A=11..12
    const TEXT: &str = "A b. C d.\n\nA e. C.";

    #[test]
    fn link_windows_table() {
        let mentions = [m(0, 1, "a"), m(5, 6, "c"), m(11, 12, "a"), m(16, 17, "c")];
        // (window, expected weight of a-c, first evidence)
        let cases = [
            (Window::Sentence, None, ""),
            (Window::Paragraph, Some(2), "A b. C d."),
            (Window::Document, Some(1), "A b. C d."),
        ];
        for (w, weight, ev) in cases {
            let g = build(w, TEXT, &mentions);
            assert_eq!(g.edge("a", "c").map(|e| e.weight), weight, "{w}");
            if let Some(e) = g.edge("a", "c") {
                assert_eq!(&*e.evidence[0].text, ev);
            }
        }
        let g = build(
            Window::Sentence,
            "Ab and Cd. Ab with Cd again.",
            &[m(0, 2, "a"), m(7, 9, "c"), m(11, 13, "a"), m(19, 21, "c")],
        );
        let e = g.edge("a", "c").unwrap();
        assert_eq!(e.weight, 2);
        assert_eq!(
            e.evidence.iter().map(|e| &*e.text).collect::<Vec<_>>(),
            ["Ab and Cd.", "Ab with Cd again."]
        );
        assert_eq!(g.node("a").unwrap().mentions, 2);
    }

    #[test]
    fn link_evidence_cap_and_min_weight() {
        let text = "Ab Cd. Ab Cd. Ab Cd.";
        let mentions: Vec<Mention> = (0..3)
            .flat_map(|k| [m(k * 7, k * 7 + 2, "a"), m(k * 7 + 3, k * 7 + 5, "c")])
            .collect();
        let doc = Document::new("d", text);
        let mut b = GraphBuilder::new(Window::Sentence).evidence_cap(2);
        b.add_document(&doc, &crate::segment::segment(text), &mentions);
        let g = b.finish(1);
        assert_eq!(g.edge("a", "c").unwrap().weight, 3);
        assert_eq!(g.edge("a", "c").unwrap().evidence.len(), 2);
        let mut b = GraphBuilder::new(Window::Sentence);
        b.add_document(&doc, &crate::segment::segment(text), &mentions);
        assert_eq!(b.finish(4).edge_count(), 0);
    }

    #[test]
    fn link_finish_on_two_threads_is_the_same_graph() {
        // Many entities in few sentences: nodes out of id order, many edges.
        let ids = ["q", "b", "x", "a", "m", "c", "z", "k"];
        let mut text = String::new();
        let mut mentions = Vec::new();
        for round in 0..5 {
            for (k, id) in ids.iter().enumerate().skip(round % 3) {
                let start = text.len();
                text.push_str(&id.to_uppercase());
                mentions.push(m(start, start + 1, id));
                text.push_str(if k % 3 == 2 { ". " } else { " and " });
            }
            text.push_str("End.\n\n");
        }
        let doc = Document::new("d", &text);
        let sentences = crate::segment::segment(&text);
        let graph = |threads: usize, min_weight: u64| {
            let mut b = GraphBuilder::new(Window::Paragraph).threads(threads);
            b.add_document(&doc, &sentences, &mentions);
            b.finish(min_weight)
        };
        for min_weight in [1, 3] {
            let (one, two) = (graph(1, min_weight), graph(2, min_weight));
            assert!(one.edge_count() > 5);
            let dump = |g: &Graph| {
                let nodes: Vec<String> = g.nodes().map(|n| format!("{n:?}")).collect();
                let edges: Vec<String> = g
                    .edges()
                    .map(|(a, b, e)| format!("{} {} {e:?}", a.id, b.id))
                    .collect();
                let index: Vec<(String, usize)> = g
                    .nodes()
                    .map(|n| (n.id.clone(), g.index[&n.id].index()))
                    .collect();
                (nodes, edges, index)
            };
            assert_eq!(dump(&one), dump(&two));
        }
    }

    #[test]
    fn link_self_pairs_are_not_edges() {
        let g = build(Window::Sentence, "A and A.", &[m(0, 1, "a"), m(6, 7, "a")]);
        assert_eq!((g.node_count(), g.edge_count()), (1, 0));
    }

    #[test]
    fn id_order_as_sorted_ids() {
        let ids = [
            "person:tom-cruise",
            "person:tom-cruise-jr",
            "person:tom",
            "organization:paramount-pictures",
            "organization:paramount-pictures-corp",
            "organization:paramount",
            "place:x",
            "place:x\0",
            "place:\0",
            "",
            "film:é",
            "film:e",
            "film:ë-and-a-very-long-title",
            "person:tom-cruise",
        ];
        let nodes: Vec<NodeAcc> = ids
            .iter()
            .map(|id| NodeAcc {
                id: Arc::from(*id),
                label: String::new(),
                kind: String::new(),
                mentions: 0,
                documents: Vec::new(),
                last_doc: 0,
                aliases: BTreeSet::new(),
            })
            .collect();
        let got: Vec<&str> = id_order(&nodes).iter().map(|&i| ids[i as usize]).collect();
        let mut want = ids.to_vec();
        want.sort();
        assert_eq!(got, want);
    }

    /// The pair index finds what a hash map finds, through growth and probes that wrap around the
    /// table's end: 200,000 keys over 700 node numbers (many repeats), places given in order.
    #[test]
    fn pair_index_as_hash_map() {
        let mut index = PairIndex::default();
        let mut reference: HashMap<u64, usize> = HashMap::new();
        let mut x = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let (a, b) = ((x % 700) as u32, ((x >> 20) % 700) as u32);
            if a == b {
                continue;
            }
            let key = pair_key(a.min(b), a.max(b));
            let next = reference.len();
            let expected = *reference.entry(key).or_insert(next);
            assert_eq!(
                index.find_or_insert(key, next),
                (expected, expected == next),
                "{a} {b}"
            );
        }
        assert_eq!(index.len, reference.len());
        assert!(index.len > 100_000);
        // Keys whose probes start at the last slot wrap around to the first ones.
        let mut index = PairIndex::default();
        index.reserve(1);
        let last = index.slots.len() - 1;
        let keys: Vec<u64> = (1..u32::MAX)
            .map(|b| pair_key(0, b))
            .filter(|&k| index.home(k) == last)
            .take(3)
            .collect();
        for (place, &key) in keys.iter().enumerate() {
            assert_eq!(index.find_or_insert(key, place), (place, true));
        }
        for (place, &key) in keys.iter().enumerate() {
            assert_eq!(index.find_or_insert(key, 99), (place, false));
        }
        assert_eq!(index.slots[0].key, keys[1]);
        assert_eq!(index.slots[1].key, keys[2]);
        assert!(index.slots.len() >= 2 * index.len);
    }

    /// The node cache by id address gives the graph that fresh id strings give: ids shared by
    /// many mentions, equal ids in distinct strings, and more ids than the cache has slots.
    #[test]
    fn link_node_cache_is_transparent() {
        let n = 3 * NODE_CACHE;
        let mut text = String::new();
        let mut spans = Vec::new();
        for i in 0..n {
            let s = text.len();
            text.push_str(&format!("n{} ", i % 997));
            spans.push((s, text.len() - 1));
            if i % 3 == 2 {
                text.push_str(". ");
            }
        }
        let shared: Vec<Arc<str>> = (0..997).map(|k| Arc::from(format!("t:{k}"))).collect();
        let mention = |i: usize, id: Arc<str>| Mention {
            span: Span::new(spans[i].0, spans[i].1),
            entity: id.clone(),
            id,
            kind: "t".into(),
            source: "dictionary".into(),
            origin: "".into(),
            beat: vec![],
        };
        let fresh: Vec<Mention> = (0..n)
            .map(|i| mention(i, Arc::from(format!("t:{}", i % 997))))
            .collect();
        let reused: Vec<Mention> = (0..n)
            .map(|i| mention(i, shared[i % 997].clone()))
            .collect();
        let key = |g: &Graph| -> Vec<(String, String, u64)> {
            g.edges()
                .map(|(a, b, e)| (a.id.clone(), b.id.clone(), e.weight))
                .collect()
        };
        let (a, b) = (
            build(Window::Sentence, &text, &fresh),
            build(Window::Sentence, &text, &reused),
        );
        assert_eq!(a.node_count(), 997);
        assert_eq!(key(&a), key(&b));
        let nodes = |g: &Graph| g.nodes().cloned().collect::<Vec<Node>>();
        assert_eq!(nodes(&a), nodes(&b));
    }

    /// A node lists each document name once, sorted, whatever the order of the documents and
    /// however often a name is given.
    #[test]
    fn link_documents_sorted_once() {
        let mut b = GraphBuilder::new(Window::Sentence);
        for name in ["d", "c", "d", "a", "c"] {
            let doc = Document::new(name, "A b.");
            let sentences = crate::segment::segment(&doc.text);
            b.add_document(&doc, &sentences, &[m(0, 1, "x")]);
        }
        let g = b.finish(1);
        assert_eq!(g.node("x").unwrap().documents, ["a", "c", "d"]);
        assert_eq!(g.node("x").unwrap().mentions, 5);
    }
}
