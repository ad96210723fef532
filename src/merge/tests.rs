//! Order independence and merging: for random splits of a document set into shards and random
//! orders, the merged graph of the shards is the graph of all the documents, byte for byte in
//! every format, and so is a graph grown by merging one batch at a time.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use proptest::prelude::*;

use super::mentions::merge_mentions;
use super::{Added, GraphMerger};
use crate::export::json::read_graph;
use crate::export::{JsonExporter, exporters, mentions};
use crate::graph::{Graph, Window};
use crate::link::GraphBuilder;
use crate::model::{Document, Mention, Sentence, Span};
use crate::pipeline::{Analysis, PipelineBuilder};

/// A document and what the pipeline found in it.
struct Analyzed {
    doc: Document,
    analysis: Analysis,
}

/// The seeds and both validation sets, each cut into pieces of 6 lines (so that many documents
/// share entities and edges), analyzed once with the shipped dictionaries and rules.
fn corpus() -> &'static [Analyzed] {
    static CORPUS: OnceLock<Vec<Analyzed>> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let pipeline = PipelineBuilder::new()
            .dictionary(root.join("dictionaries"))
            .rules(Some(root.join("dictionaries/patterns.toml")))
            .build()
            .expect("the shipped dictionaries load");
        let mut files: Vec<PathBuf> = Vec::new();
        for dir in [
            "seeds",
            "tests/fixtures/validation/docs",
            "tests/fixtures/validation-2/docs",
        ] {
            let mut in_dir: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
                .unwrap()
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|e| e == "txt"))
                .collect();
            in_dir.sort();
            files.extend(in_dir);
        }
        let mut docs = Vec::new();
        for (f, path) in files.iter().enumerate() {
            let text = std::fs::read_to_string(path).unwrap();
            let lines: Vec<&str> = text.split_inclusive('\n').collect();
            for (i, piece) in lines.chunks(6).enumerate() {
                // Names whose order is not the order of the pieces.
                let name = format!("{}/{:02}.txt", (b'a' + (i * 7 % 26) as u8) as char, f);
                let doc = Document::new(name, piece.concat());
                let analysis = pipeline.analyze(&doc);
                docs.push(Analyzed { doc, analysis });
            }
        }
        docs
    })
}

/// The graph of these documents, added in this order, and its mentions.jsonl.
fn build(docs: &[&Analyzed], window: Window) -> (Graph, Vec<u8>) {
    let mut b = GraphBuilder::new(window);
    let mut jsonl = Vec::new();
    for d in docs {
        b.add_document(&d.doc, &d.analysis.sentences, &d.analysis.mentions);
        mentions::write_jsonl(&mentions::records(&d.doc, &d.analysis.mentions), &mut jsonl)
            .unwrap();
    }
    (b.finish(1), jsonl)
}

/// Every file of every format that needs no external program, by name.
fn files(graph: &Graph) -> Vec<(&'static str, Vec<u8>)> {
    let mut out = Vec::new();
    for e in exporters() {
        if matches!(e.name(), "svg" | "png") {
            continue;
        }
        for file in e.file_names() {
            let mut bytes = Vec::new();
            e.write_file(graph, file, &mut bytes).unwrap();
            out.push((file, bytes));
        }
    }
    out
}

/// A graph as it comes back from its graph.json.
fn saved(graph: &Graph) -> Graph {
    let mut bytes = Vec::new();
    crate::export::Exporter::write(&JsonExporter, graph, &mut bytes).unwrap();
    read_graph(&bytes).unwrap()
}

/// A random order of `n` items from a seed (xorshift), and a random cut of it into `k` parts.
fn shuffled(n: usize, seed: u64) -> Vec<usize> {
    let mut state = seed | 1;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        order.swap(i, (next() % (i as u64 + 1)) as usize);
    }
    order
}

/// The documents in name order: the order `build` gets them from a directory walk.
fn by_name(docs: &[Analyzed]) -> Vec<&Analyzed> {
    let mut all: Vec<&Analyzed> = docs.iter().collect();
    all.sort_by(|a, b| a.doc.name.cmp(&b.doc.name));
    all
}

/// Cuts `order` into `k` non-empty parts at places chosen by `seed`.
fn cut(order: &[usize], k: usize, seed: u64) -> Vec<Vec<usize>> {
    let k = k.clamp(1, order.len());
    let mut cuts: Vec<usize> = shuffled(order.len() - 1, seed ^ 0x5555)
        .into_iter()
        .take(k - 1)
        .map(|c| c + 1)
        .collect();
    cuts.sort_unstable();
    let mut parts = Vec::new();
    let mut from = 0;
    for c in cuts.into_iter().chain([order.len()]) {
        parts.push(order[from..c].to_vec());
        from = c;
    }
    parts
}

/// Writes a shard's mentions.jsonl into `dir` as file `i`.
fn mentions_file(dir: &Path, i: usize, bytes: &[u8]) -> PathBuf {
    let path = dir.join(format!("{i}.jsonl"));
    std::fs::write(&path, bytes).unwrap();
    path
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// merge(build(shard)...) = build(all), every format and mentions.jsonl, for 1-8 shards, the
    /// documents in any order within the shards and the shards merged in any order; each window.
    #[test]
    fn merge_of_shards_is_the_build_of_all(seed in any::<u64>(), k in 1usize..=8, w in 0usize..3) {
        let window = [Window::Sentence, Window::Paragraph, Window::Document][w];
        let docs = corpus();
        let (whole, whole_jsonl) = build(&by_name(docs), window);
        let order = shuffled(docs.len(), seed);
        let parts = cut(&order, k, seed);
        let dir = tempfile::tempdir().unwrap();
        let mut merger = GraphMerger::new();
        let mut jsonl_files = Vec::new();
        for (i, &p) in shuffled(parts.len(), seed.rotate_left(17)).iter().enumerate() {
            let shard: Vec<&Analyzed> = parts[p].iter().map(|&d| &docs[d]).collect();
            let (graph, jsonl) = build(&shard, window);
            prop_assert_eq!(merger.add(saved(&graph), "shard").unwrap(), Added::Merged);
            jsonl_files.push(mentions_file(dir.path(), i, &jsonl));
        }
        let merged = merger.finish(1, "").unwrap();
        for ((name, want), (_, got)) in files(&whole).into_iter().zip(files(&merged)) {
            prop_assert!(want == got, "{} differs with {} shards", name, parts.len());
        }
        let mut jsonl = Vec::new();
        merge_mentions(&jsonl_files, &mut jsonl).unwrap();
        prop_assert!(jsonl == whole_jsonl, "mentions.jsonl differs");
    }

}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    /// One build in any document order is the build in name order (the graph's formats).
    #[test]
    fn build_in_any_order_is_the_same_graph(seed in any::<u64>()) {
        let docs = corpus();
        let (whole, _) = build(&by_name(docs), Window::Sentence);
        let any: Vec<&Analyzed> = shuffled(docs.len(), seed).into_iter().map(|d| &docs[d]).collect();
        let (graph, _) = build(&any, Window::Sentence);
        prop_assert!(files(&whole) == files(&graph));
    }

    /// Growing a graph batch by batch (what `build --update` does) gives the graph of all.
    #[test]
    fn merge_batch_by_batch_is_the_build_of_all(seed in any::<u64>(), k in 1usize..=6) {
        let docs = corpus();
        let (whole, _) = build(&by_name(docs), Window::Sentence);
        let parts = cut(&shuffled(docs.len(), seed), k, seed);
        let mut graph: Option<Graph> = None;
        for part in &parts {
            let batch: Vec<&Analyzed> = part.iter().map(|&d| &docs[d]).collect();
            let (new, _) = build(&batch, Window::Sentence);
            let mut merger = GraphMerger::new();
            if let Some(g) = graph.take() {
                merger.add(saved(&g), "DIR").unwrap();
            }
            merger.add(new, "new").unwrap();
            graph = Some(merger.finish(1, "").unwrap());
        }
        prop_assert!(files(&whole) == files(&graph.unwrap()));
    }
}

fn mention(span: (usize, usize), id: &str, entity: &str) -> Mention {
    Mention {
        span: Span::new(span.0, span.1),
        entity: entity.into(),
        id: id.into(),
        kind: "person".into(),
        source: "pattern:x".into(),
        origin: "".into(),
        beat: vec![],
    }
}

/// One id named two ways (as two pattern matches that slug alike): the label is the name in the
/// first document by name, and the other name is an alias, in any order and any grouping.
#[test]
fn merge_label_and_aliases_by_document_name() {
    let doc = |name: &str, text: &str| Document::new(name, text);
    let (a, b) = (
        doc("a.txt", "Saint Denis. Ann met Bo."),
        doc("b.txt", "Saint-Denis and Ann."),
    );
    let one = |d: &Document| -> Vec<Mention> {
        if d.name == "a.txt" {
            vec![
                mention((0, 11), "place:saint-denis", "Saint Denis"),
                mention((13, 16), "p:ann", "Ann"),
                mention((21, 23), "p:bo", "Bo"),
            ]
        } else {
            vec![
                mention((0, 11), "place:saint-denis", "Saint-Denis"),
                mention((16, 19), "p:ann", "Ann"),
            ]
        }
    };
    let sentences = |d: &Document| {
        vec![Sentence {
            span: Span::new(0, d.text.len()),
            paragraph: 0,
        }]
    };
    let graph_of = |docs: &[&Document]| {
        let mut g = GraphBuilder::new(Window::Sentence);
        for d in docs {
            g.add_document(d, &sentences(d), &one(d));
        }
        g.finish(1)
    };
    let ab = graph_of(&[&a, &b]);
    let ba = graph_of(&[&b, &a]);
    let node = ab.node("place:saint-denis").unwrap();
    assert_eq!(node.label, "Saint Denis");
    assert_eq!(node.aliases, ["Saint-Denis"]);
    assert_eq!(files(&ab), files(&ba));
    let mut m = GraphMerger::new();
    m.add(graph_of(&[&b]), "b").unwrap();
    m.add(graph_of(&[&a]), "a").unwrap();
    assert_eq!(files(&m.finish(1, "").unwrap()), files(&ab));
}

/// The merge's errors and its one skip.
#[test]
fn merge_rules() {
    let d = |name: &str, text: &str| Document::new(name, text);
    let graph_of = |docs: &[Document], window: Window, min_weight: u64| {
        let mut g = GraphBuilder::new(window);
        for doc in docs {
            g.add_document(doc, &[], &[]);
        }
        g.finish(min_weight)
    };
    let s = Window::Sentence;
    let err = |m: &mut GraphMerger, g: Graph| m.add(g, "g2").unwrap_err().to_string();
    let mut m = GraphMerger::new();
    m.add(graph_of(&[d("a", "x"), d("b", "y")], s, 1), "g1")
        .unwrap();
    assert_eq!(
        m.add(graph_of(&[d("a", "x")], s, 1), "g2").unwrap(),
        Added::AlreadyThere
    );
    assert!(
        err(&mut m, graph_of(&[d("a", "CHANGED")], s, 1))
            .contains("document 'a' differs from the one in g1")
    );
    assert!(
        err(&mut m, graph_of(&[d("a", "x"), d("c", "z")], s, 1))
            .contains("not all of this graph's documents are")
    );
    assert!(
        err(&mut m, graph_of(&[d("c", "z")], Window::Paragraph, 1))
            .contains("its window is paragraph")
    );
    assert!(err(&mut m, graph_of(&[d("c", "z")], s, 2)).contains("built with --min-weight 2"));
    let unsourced = Graph::from_parts(
        vec![],
        vec![],
        crate::graph::GraphInfo {
            documents: 1,
            min_weight: 1,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(err(&mut m, unsourced).contains("lists 0 of its 1 documents"));
    m.add(graph_of(&[d("c", "z")], s, 1), "g3").unwrap();
    let g = m.finish(1, "").unwrap();
    assert_eq!(g.info().documents, 3);
    let names: Vec<&str> = g.info().sources.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["a", "b", "c"]);
}
