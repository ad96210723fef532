//! [`GraphBuilder`]: counts the entities of each document and the windows they share.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use super::bounds;
use super::pair_index::{Entry, Pair, PairIndex};
use crate::error::Warning;
use crate::graph::{DocumentSource, Edge, Evidence, Window};

/// Warnings about cut windows kept ([`GraphBuilder::take_warnings`]).
const MAX_WARNINGS: usize = 20;
use crate::model::{CharIndex, Document, FxHashMap, Mention, Sentence, Span};
use crate::text::count_chars;

/// What the builder knows of one entity so far.
#[derive(Debug)]
pub(super) struct NodeAcc {
    pub id: Arc<str>,
    pub label: String,
    pub kind: String,
    /// The document `label` was taken from: the first in name order that mentions the node.
    pub label_doc: Arc<str>,
    pub mentions: u64,
    /// Windows it occurs in.
    pub windows: u64,
    /// Names of the documents that mention it, each once per document (a name given to two
    /// documents is there twice until `finish` sorts them and drops the repeats).
    pub documents: Vec<String>,
    /// The number of the last document added to `documents` (skips it for every mention).
    pub last_doc: u64,
    pub aliases: BTreeSet<String>,
}

/// An edge being counted, between two node numbers (the order the builder met the nodes in).
#[derive(Debug)]
pub(super) struct EdgeAcc {
    pub pair: Pair,
    pub edge: Edge,
    /// The number of the last document that had a window of the edge (its low 32 bits) and how
    /// many of its windows were charged to its evidence budget (at most the evidence cap).
    pub last_doc: u32,
    pub charged: u32,
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
    /// Open windows (paragraph and document windows only): window key -> node -> the sentences
    /// (global indices) where it occurs.
    windows: BTreeMap<usize, BTreeMap<u32, Vec<usize>>>,
    /// The paragraph of the last sentence seen (paragraph windows are counted as they start).
    last_paragraph: Option<usize>,
    /// The hash of the pieces' text, for a document whose hash is not given at its end.
    hasher: Option<sha2::Sha256>,
}

impl DocLink {
    /// Drops the sentences (and text) before the first one an open window holds.
    fn drop_closed_text(&mut self) {
        let keep_from = self
            .windows
            .values()
            .flat_map(|w| w.values().filter_map(|v| v.first()))
            .min()
            .copied()
            .unwrap_or(self.sentence_base);
        if keep_from > self.kept_from {
            let drop_n = (keep_from - self.kept_from).min(self.spans.len());
            let new_start = self
                .spans
                .get(drop_n)
                .map_or(self.text_offset + self.text.len(), |s| s.start);
            self.spans.drain(..drop_n);
            self.kept_from = keep_from;
            let cut = new_start - self.text_offset;
            self.text_char += count_chars(&self.text.as_bytes()[..cut]);
            self.text.drain(..cut);
            self.text_offset = new_start;
        }
    }
}

/// One piece of a document as [`GraphBuilder::add_piece`] gets it.
#[derive(Debug, Clone, Copy)]
struct Piece<'a> {
    text: &'a str,
    /// Byte offset of `text` in the document.
    offset: usize,
    /// Char offset of `text` in the document.
    char_offset: usize,
    sentences: &'a [Sentence],
}

/// A node met in a sentence of a piece (by its index in the piece's sentences).
#[derive(Debug, Clone, Copy)]
struct Occurrence {
    sentence: usize,
    node: u32,
}

/// Accumulates documents into a [`Graph`](crate::graph::Graph).
///
/// Documents are given whole ([`GraphBuilder::add_document`]) or in pieces
/// ([`GraphBuilder::begin_document`], [`GraphBuilder::add_piece`], [`GraphBuilder::end_document`]),
/// with the same result. A window is linked when it closes: a sentence at the end of its piece, a
/// paragraph when a later one starts, the document at its end; only the text of open windows is
/// kept, so with sentence windows memory does not grow with a document (with paragraph and
/// document windows it holds the open paragraph or the document, since evidence can span it).
///
/// ```
/// use entgraph::graph::Window;
/// use entgraph::link::GraphBuilder;
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
    pub(super) window: Window,
    evidence_cap: usize,
    /// Threads [`GraphBuilder::finish`] may use (1: the calling thread only).
    pub(super) threads: usize,
    /// The nodes, numbered in the order they were met.
    pub(super) nodes: Vec<NodeAcc>,
    /// id -> node number.
    index: FxHashMap<Arc<str>, u32>,
    /// The edges, in the order they were first seen.
    pub(super) edges: Vec<EdgeAcc>,
    /// Each edge's place in `edges`, by its pair of node numbers.
    pairs: PairIndex,
    pub(super) documents: u64,
    pub(super) mentions: u64,
    /// Windows analyzed (sentences, paragraphs or documents, with or without mentions).
    pub(super) windows: u64,
    doc: Option<DocLink>,
    /// The name of the last document begun, and whether every document so far came after the one
    /// before it in name order (then a window never displaces kept evidence).
    last_name: Option<Arc<str>>,
    in_name_order: bool,
    /// The documents ended so far.
    pub(super) sources: Vec<DocumentSource>,
    /// Units of the current document's evidence budget spent ([`super::bounds`]).
    spent: u64,
    /// Windows cut by the budget (the first [`MAX_WARNINGS`] are described in `warnings`).
    pub(super) cut_windows: u64,
    warnings: Vec<Warning>,
    /// What else decides the graph, for [`crate::graph::set_id`].
    pub(super) options: String,
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
            edges: Vec::new(),
            pairs: PairIndex::default(),
            documents: 0,
            mentions: 0,
            windows: 0,
            doc: None,
            last_name: None,
            in_name_order: true,
            sources: Vec::new(),
            options: String::new(),
            spent: 0,
            cut_windows: 0,
            warnings: Vec::new(),
        }
    }

    /// Warnings about windows whose entities were not all linked (the evidence budget,
    /// [`super::bounds`]); drained. At most [`MAX_WARNINGS`] are kept; the last one says how many
    /// more windows were cut.
    pub fn take_warnings(&mut self) -> Vec<Warning> {
        let mut w = std::mem::take(&mut self.warnings);
        let more = self.cut_windows.saturating_sub(MAX_WARNINGS as u64);
        if more > 0 {
            w.push(Warning {
                path: None,
                line: None,
                message: format!("{more} more windows had entities left unlinked"),
            });
            self.cut_windows = MAX_WARNINGS as u64;
        }
        w
    }

    /// How many of a window's `k` entities to link, within the current document's budget at its
    /// byte `end` (see [`super::bounds`]); warns when fewer than `k`.
    fn entities_linked(&mut self, k: usize, end: usize, doc: &str, what: &str) -> usize {
        if k < 2 {
            return k;
        }
        let per = match self.window {
            Window::Sentence => bounds::SENTENCE_BYTES_PER_UNIT,
            Window::Paragraph | Window::Document => bounds::SPAN_BYTES_PER_UNIT,
        };
        let allowance = bounds::BUDGET_BASE + end as u64 / per;
        let n = bounds::entities_within(k, allowance.saturating_sub(self.spent));
        if n < k {
            self.cut_windows += 1;
            if self.cut_windows <= MAX_WARNINGS as u64 {
                self.warnings.push(Warning {
                    path: Some(doc.into()),
                    line: None,
                    message: format!(
                        "{what} ending at byte {end} names {k} entities; only the first {n} named are linked (a document may add about one edge per {per} bytes of it)"
                    ),
                });
            }
        }
        n
    }

    /// Describes what else decides the graph (dictionaries, rules, recognition options), for the
    /// graph's set id ([`crate::graph::set_id`]); default empty.
    pub fn options(mut self, options: impl Into<String>) -> Self {
        self.options = options.into();
        self
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

    /// Starts a document given in pieces (ends the one before, if any). Its source hash
    /// ([`crate::graph::GraphInfo::sources`]) is that of the pieces' text.
    pub fn begin_document(&mut self, name: &str) {
        self.start_document(name, Some(sha2::Digest::new()));
    }

    /// Starts a document whose bytes' hash comes at its end ([`GraphBuilder::end_hashed_document`]).
    pub(crate) fn begin_hashed_document(&mut self, name: &str) {
        self.start_document(name, None);
    }

    fn start_document(&mut self, name: &str, hasher: Option<sha2::Sha256>) {
        self.end_document();
        self.documents += 1;
        self.spent = 0;
        if self.window == Window::Document {
            self.windows += 1;
        }
        let name: Arc<str> = Arc::from(name);
        if let Some(last) = &self.last_name {
            self.in_name_order &= **last < *name;
        }
        self.last_name = Some(name.clone());
        self.doc = Some(DocLink {
            name,
            hasher,
            ..Default::default()
        });
    }

    /// Ends a document begun with [`GraphBuilder::begin_hashed_document`], whose bytes hash to
    /// `sha256`.
    pub(crate) fn end_hashed_document(&mut self, sha256: &str) {
        if let Some(mut doc) = self.doc.take() {
            self.flush(&mut doc, usize::MAX);
            self.sources.push(DocumentSource {
                name: doc.name.to_string(),
                sha256: sha256.to_string(),
            });
        }
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
        let piece = Piece {
            text,
            offset,
            char_offset,
            sentences,
        };
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
        if let Some(h) = &mut doc.hasher {
            sha2::Digest::update(h, text.as_bytes());
        }
        doc.text.push_str(text);
        doc.spans.extend(sentences.iter().map(|s| s.span));
        self.mentions += mentions.len() as u64;
        match self.window {
            Window::Sentence => self.windows += sentences.len() as u64,
            Window::Paragraph => {
                for s in sentences {
                    if doc.last_paragraph != Some(s.paragraph) {
                        doc.last_paragraph = Some(s.paragraph);
                        self.windows += 1;
                    }
                }
            }
            Window::Document => {}
        }
        let mut in_sentences: Vec<Occurrence> = Vec::new();
        let mut local = 0;
        for m in mentions {
            let surface = &text[m.span.start - offset..m.span.end - offset];
            let node = self.count_mention(m, surface, &doc.name);
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
            let key = match self.window {
                // Sentence windows close with their piece: linked below, without the maps.
                Window::Sentence => {
                    in_sentences.push(Occurrence {
                        sentence: local,
                        node,
                    });
                    continue;
                }
                Window::Paragraph => sentences.get(local).map_or(0, |s| s.paragraph),
                Window::Document => 0,
            };
            let si = doc.sentence_base + local;
            let list = doc.windows.entry(key).or_default().entry(node).or_default();
            if list.last() != Some(&si) {
                list.push(si);
            }
        }
        self.link_sentences(&doc.name, piece, &in_sentences);
        doc.sentence_base += sentences.len();
        // Link the windows that are closed: the paragraphs before the last one of this piece; the
        // document only at its end.
        let open_from = match self.window {
            Window::Sentence => usize::MAX,
            Window::Paragraph => sentences.last().map_or(usize::MAX, |s| s.paragraph),
            Window::Document => 0,
        };
        self.flush(&mut doc, open_from);
        self.doc = Some(doc);
    }

    /// Ends the current document (links its open windows).
    pub fn end_document(&mut self) {
        if let Some(mut doc) = self.doc.take() {
            self.flush(&mut doc, usize::MAX);
            let sha256 = doc
                .hasher
                .take()
                .map(|h| crate::graph::hex(&sha2::Digest::finalize(h)))
                .unwrap_or_default();
            self.sources.push(DocumentSource {
                name: doc.name.to_string(),
                sha256,
            });
        }
    }

    /// The node number of a mention's entity (a new node the first time), counting the mention,
    /// its document and its surface form.
    ///
    /// The node's label is the mention's entity name in the first document, in name order, that
    /// mentions it (its first mention there); its aliases are the other names it was met by: the
    /// surface forms and the entity names of its mentions, less the label. Both are so the same
    /// whatever order the documents come in.
    fn count_mention(&mut self, m: &Mention, surface: &str, doc: &Arc<str>) -> u32 {
        let node = match self.index.get(&*m.id) {
            Some(&node) => node,
            None => {
                let node = self.nodes.len() as u32;
                self.nodes.push(NodeAcc {
                    id: m.id.clone(),
                    label: m.entity.to_string(),
                    kind: m.kind.to_string(),
                    label_doc: doc.clone(),
                    mentions: 0,
                    windows: 0,
                    documents: Vec::new(),
                    last_doc: u64::MAX,
                    aliases: BTreeSet::new(),
                });
                self.index.insert(m.id.clone(), node);
                node
            }
        };
        let acc = &mut self.nodes[node as usize];
        acc.mentions += 1;
        if acc.last_doc != self.documents {
            acc.last_doc = self.documents;
            acc.documents.push(doc.to_string());
            if **doc < *acc.label_doc {
                let old = std::mem::replace(&mut acc.label, m.entity.to_string());
                acc.aliases.remove(&acc.label);
                if old != acc.label {
                    acc.aliases.insert(old);
                }
                acc.kind = m.kind.to_string();
                acc.label_doc = doc.clone();
            }
        }
        // The names: every surface form and every entity name, less the label.
        if surface != acc.label && !acc.aliases.contains(surface) {
            acc.aliases.insert(surface.to_string());
        }
        if *m.entity != *acc.label && !acc.aliases.contains(&*m.entity) {
            acc.aliases.insert(m.entity.to_string());
        }
        node
    }

    /// Links the sentence windows of a piece: `occurrences` in text order. Every pair of nodes of
    /// a sentence shares it; its evidence is the sentence, one text for all its edges.
    fn link_sentences(&mut self, doc: &Arc<str>, piece: Piece<'_>, occurrences: &[Occurrence]) {
        // Char offsets of sentence starts, counted from the last one needed (sentences come in
        // text order).
        let (mut last_byte, mut last_char) = (0, 0);
        let mut char_at = |byte: usize| {
            debug_assert!(byte >= last_byte, "sentences in text order");
            last_char += count_chars(&piece.text.as_bytes()[last_byte..byte]);
            last_byte = byte;
            last_char
        };
        let mut nodes: Vec<u32> = Vec::new();
        let mut pairs: Vec<Pair> = Vec::new();
        for sentence in occurrences.chunk_by(|a, b| a.sentence == b.sentence) {
            nodes.clear();
            nodes.extend(sentence.iter().map(|o| o.node));
            nodes.sort_unstable();
            nodes.dedup();
            for &n in &nodes {
                self.nodes[n as usize].windows += 1;
            }
            if nodes.len() > 1 {
                let end = piece
                    .sentences
                    .get(sentence[0].sentence)
                    .map_or(piece.offset + piece.text.len(), |s| s.span.end);
                let k = self.entities_linked(nodes.len(), end, doc, "the sentence");
                if k < nodes.len() {
                    // The first k named in the sentence (the document alone decides which).
                    let mut seen = rustc_hash::FxHashSet::default();
                    nodes.clear();
                    for o in sentence {
                        if nodes.len() == k {
                            break;
                        }
                        if seen.insert(o.node) {
                            nodes.push(o.node);
                        }
                    }
                }
            }
            pairs.clear();
            for (i, &a) in nodes.iter().enumerate() {
                pairs.extend(nodes[i + 1..].iter().map(|&b| Pair::new(a, b)));
            }
            self.pairs.read_ahead(&pairs);
            // The sentence's evidence, made for the first edge that keeps it.
            let mut evidence: Option<Evidence> = None;
            let mut sentence_evidence = || {
                let span = piece.sentences.get(sentence[0].sentence)?.span;
                let ev = evidence.get_or_insert_with(|| {
                    let (s, e) = (span.start - piece.offset, span.end - piece.offset);
                    let start = piece.char_offset + char_at(s);
                    window_evidence(doc, &piece.text[s..e], start, bounds::SENTENCE_EXCERPT)
                });
                Some(ev.clone())
            };
            for &pair in &pairs {
                self.add_window(pair, doc, &mut sentence_evidence);
            }
        }
    }

    /// Links the paragraph or document windows whose key is below `open_from` and drops the text
    /// no open window needs. Every pair of nodes of a window shares it; its evidence is the text
    /// from one node to the other (the closest occurrences).
    fn flush(&mut self, doc: &mut DocLink, open_from: usize) {
        let open = doc.windows.split_off(&open_from);
        let closed = std::mem::replace(&mut doc.windows, open);
        let mut chars: Option<CharIndex> = None;
        for nodes in closed.into_values() {
            let mut nodes: Vec<(u32, Vec<usize>)> = nodes.into_iter().collect();
            for (n, _) in &nodes {
                self.nodes[*n as usize].windows += 1;
            }
            if nodes.len() > 1 {
                let last = nodes.iter().filter_map(|(_, v)| v.last()).max().copied();
                let end = last
                    .and_then(|l| doc.spans.get(l.wrapping_sub(doc.kept_from)))
                    .map_or(doc.text_offset + doc.text.len(), |s| s.end);
                let what = match self.window {
                    Window::Document => "the document",
                    _ => "the paragraph",
                };
                let k = self.entities_linked(nodes.len(), end, &doc.name, what);
                if k < nodes.len() {
                    // The k named in the window's first sentences (ties by id: the document
                    // alone decides which).
                    nodes.sort_by(|(a, in_a), (b, in_b)| {
                        (in_a.first(), &self.nodes[*a as usize].id)
                            .cmp(&(in_b.first(), &self.nodes[*b as usize].id))
                    });
                    nodes.truncate(k);
                }
            }
            for (i, (a, in_a)) in nodes.iter().enumerate() {
                for (b, in_b) in &nodes[i + 1..] {
                    self.add_window(Pair::new(*a, *b), &doc.name, || {
                        let between = nearest(in_a, in_b);
                        let first = doc.spans.get(between.first - doc.kept_from)?;
                        let last = doc.spans.get(between.last - doc.kept_from)?;
                        let (s, e) = (first.start - doc.text_offset, last.end - doc.text_offset);
                        let chars = chars.get_or_insert_with(|| CharIndex::new(&doc.text));
                        let start = doc.text_char + chars.char_offset(s);
                        let end = doc.text_char + chars.char_offset(e);
                        Some(Evidence {
                            doc: doc.name.clone(),
                            text: Arc::from(bounds::excerpt(&doc.text[s..e], bounds::SPAN_EXCERPT)),
                            start,
                            end,
                        })
                    });
                }
            }
        }
        drop(chars);
        doc.drop_closed_text();
    }

    /// Counts one more window of document `doc` shared by the nodes of `pair`, and keeps the
    /// window's evidence when it is among the first `evidence_cap` windows of the edge in
    /// (document name, offset) order (`evidence` is called only then; `None`: nothing to keep).
    /// Windows of one document come in offset order, so with documents in name order a full edge
    /// keeps what it has; a window of a document earlier in name order than a kept one displaces
    /// the last.
    fn add_window(
        &mut self,
        pair: Pair,
        doc: &Arc<str>,
        evidence: impl FnOnce() -> Option<Evidence>,
    ) {
        let at = match self.pairs.find_or_insert(pair, self.edges.len()) {
            Entry::Known(at) => at,
            Entry::New(at) => {
                self.edges.push(EdgeAcc {
                    pair,
                    edge: Edge {
                        weight: 0,
                        evidence: Vec::new(),
                    },
                    last_doc: 0,
                    charged: 0,
                });
                at
            }
        };
        // The budget is charged for the first `evidence_cap` windows of the edge in each
        // document: what the document alone would add, whatever came before it.
        let acc = &mut self.edges[at];
        let doc_number = self.documents as u32;
        if acc.last_doc != doc_number {
            acc.last_doc = doc_number;
            acc.charged = 0;
        }
        if (acc.charged as usize) < self.evidence_cap {
            acc.charged += 1;
            self.spent += 1;
        }
        let edge = &mut acc.edge;
        edge.weight += 1;
        if edge.evidence.len() >= self.evidence_cap {
            if self.in_name_order || self.evidence_cap == 0 {
                return;
            }
            let last = &edge.evidence[edge.evidence.len() - 1].doc;
            if Arc::ptr_eq(last, doc) || **last <= **doc {
                return;
            }
            if let Some(ev) = evidence() {
                let at = edge.evidence.partition_point(|e| *e.doc <= **doc);
                edge.evidence.insert(at, ev);
                edge.evidence.truncate(self.evidence_cap);
            }
            return;
        }
        if !self.in_name_order {
            if let Some(ev) = evidence() {
                let at = edge.evidence.partition_point(|e| *e.doc <= **doc);
                edge.evidence.insert(at, ev);
            }
            return;
        }
        if let Some(ev) = evidence() {
            // Sized for what it will hold: one window for the first (most edges are seen once),
            // then room for the cap.
            if edge.evidence.len() == edge.evidence.capacity() {
                let more = if edge.evidence.is_empty() {
                    1
                } else {
                    self.evidence_cap - edge.evidence.len()
                };
                edge.evidence.reserve_exact(more);
            }
            edge.evidence.push(ev);
        }
    }
}

/// The evidence of a sentence window: its `text` (excerpted beyond `cap` bytes,
/// [`bounds::excerpt`]), which starts at char `start` of document `doc`.
fn window_evidence(doc: &Arc<str>, text: &str, start: usize, cap: usize) -> Evidence {
    Evidence {
        doc: doc.clone(),
        text: Arc::from(bounds::excerpt(text, cap)),
        start,
        end: start + count_chars(text.as_bytes()),
    }
}

/// The sentences from one node to another: between the closest pair of their occurrences.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Between {
    first: usize,
    last: usize,
}

/// The closest pair of sentence indices from two sorted, non-empty lists.
fn nearest(a: &[usize], b: &[usize]) -> Between {
    let (mut i, mut j) = (0, 0);
    let (mut x, mut y) = (a[0], b[0]);
    while i < a.len() && j < b.len() {
        if a[i].abs_diff(b[j]) < x.abs_diff(y) {
            (x, y) = (a[i], b[j]);
        }
        if a[i] < b[j] { i += 1 } else { j += 1 }
    }
    Between {
        first: x.min(y),
        last: x.max(y),
    }
}
