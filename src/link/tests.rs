//! The builder's tests: windows, evidence, the two-thread finish, id order.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::builder::NodeAcc;
use super::finish::id_order;
use super::*;
use crate::graph::{Graph, Node, Window};
use crate::model::{Document, Mention, Span};

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
                .map(|e| format!("{} {} {:?}", e.source.id, e.target.id, e.edge))
                .collect();
            let index: Vec<(String, usize)> = g
                .nodes()
                .map(|n| (n.id.clone(), g.index_of(&n.id).unwrap().index()))
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
            label_doc: Arc::from(""),
            mentions: 0,
            windows: 0,
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

/// Ids are compared by value: mentions sharing one id string give the graph that a fresh
/// string per mention gives.
#[test]
fn link_ids_by_value() {
    let n = 3 * 997;
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
            .map(|e| (e.source.id.clone(), e.target.id.clone(), e.edge.weight))
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
