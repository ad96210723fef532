//! Hostile names (issue 6): property tests that generate names with quotes, backslashes, markup
//! characters, braces, line breaks, tabs, control characters, right-to-left marks and emoji, build
//! graphs from them through the library, and check that every exporter's output parses and gives
//! the names back (`outputs.rs`); and the fuzz regressions (`tests/fixtures/fuzz-regressions/`),
//! replayed through the same checks as the fuzz driver (`examples/fuzz.rs`).
//!
//! Case counts are kept modest so the suite stays fast: 48 per property. For a long run set
//! `PROPTEST_CASES`, e.g. `PROPTEST_CASES=20000 cargo test --release --test cli hostile`.

use entgraph::graph::{Edge, Evidence, Graph, GraphInfo, Link, Node};
use entgraph::{Document, PipelineBuilder};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};

use crate::outputs;
use crate::util::*;

fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(48);
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

/// Characters that break naive writers, weighted towards the dangerous ones.
fn hostile_char() -> impl Strategy<Value = char> {
    prop_oneof![
        5 => prop::sample::select(vec![
            '"', '\\', '<', '>', '&', '{', '}', '\n', '\t', '\r', '\'', ';', '[', ']', '=', '-',
            ',', ' ', '#', '@', '|', ':', '.', '/',
        ]),
        2 => prop::sample::select(vec![
            '\u{0}', '\u{1}', '\u{7}', '\u{8}', '\u{b}', '\u{c}', '\u{1b}', '\u{1f}', '\u{7f}',
            '\u{85}', '\u{a0}', '\u{feff}', '\u{fffe}', '\u{ffff}', '\u{fffd}', '\u{2028}',
            '\u{2029}',
        ]),
        2 => prop::sample::select(vec![
            '\u{200f}', '\u{200e}', '\u{202e}', '\u{202d}', '\u{2066}', '\u{2069}', '\u{5d0}',
            '\u{5d3}', '\u{627}', '\u{200d}', '\u{200b}', '\u{301}', '\u{308}',
        ]),
        2 => prop::sample::select(vec![
            '\u{1F600}', '\u{1F3AC}', '\u{1F469}', '\u{1F468}', '\u{FE0F}', '\u{1F3FD}',
            '\u{10FFFF}', '\u{E000}', '\u{1D11E}',
        ]),
        6 => prop::char::range('a', 'z'),
        2 => prop::char::range('A', 'Z'),
        2 => any::<char>(),
    ]
}

fn hostile_string(len: std::ops::Range<usize>) -> impl Strategy<Value = String> {
    prop::collection::vec(hostile_char(), len).prop_map(|v| v.into_iter().collect())
}

/// A graph made directly from hostile parts: ids, labels, types, aliases, document names and
/// evidence are all generated.
fn hostile_graph() -> impl Strategy<Value = Graph> {
    let node = (
        hostile_string(1..12),
        hostile_string(0..12),
        hostile_string(1..8),
        prop::collection::vec(hostile_string(0..8), 0..3),
        prop::collection::vec(hostile_string(0..8), 0..3),
        1u64..1000,
    );
    (
        prop::collection::vec(node, 1..8),
        prop::collection::vec(
            (
                any::<prop::sample::Index>(),
                any::<prop::sample::Index>(),
                1u64..50,
                hostile_string(0..10),
                hostile_string(0..30),
            ),
            0..10,
        ),
    )
        .prop_map(|(nodes, edges)| {
            let mut seen = std::collections::BTreeSet::new();
            let nodes: Vec<Node> = nodes
                .into_iter()
                .filter(|n| seen.insert(n.0.clone()))
                .map(|(id, label, kind, mut aliases, mut documents, mentions)| {
                    aliases.sort();
                    aliases.dedup();
                    documents.sort();
                    documents.dedup();
                    Node {
                        id,
                        label,
                        kind,
                        mentions,
                        windows: 0,
                        community: None,
                        documents,
                        aliases,
                    }
                })
                .collect();
            let ids: Vec<String> = nodes.iter().map(|n| n.id.clone()).collect();
            let mut pairs = std::collections::BTreeMap::new();
            for (a, b, weight, doc, text) in edges {
                let (a, b) = (a.get(&ids).clone(), b.get(&ids).clone());
                if a == b {
                    continue;
                }
                let key = if a < b { (a, b) } else { (b, a) };
                let end = text.chars().count();
                pairs.entry(key).or_insert(Edge {
                    weight,
                    evidence: vec![Evidence {
                        doc: doc.into(),
                        text: text.into(),
                        start: 3,
                        end: 3 + end,
                    }],
                });
            }
            let edges = pairs
                .into_iter()
                .map(|((a, b), e)| Link::new(a, b, e))
                .collect();
            Graph::from_parts(nodes, edges, GraphInfo::default()).expect("ids are unique")
        })
}

#[test]
fn hostile_generated_graph_every_exporter_parses() {
    TestRunner::new(config())
        .run(&hostile_graph(), |g| {
            outputs::check_graph(&g).map_err(TestCaseError::fail)?;
            Ok(())
        })
        .unwrap();
}

/// Writes `names` as a dictionary of type `kind` (one entity per line: a name's tabs make
/// aliases and its line breaks more lines, as a user's file would), builds a pipeline and a text
/// naming every entity, and checks everything from the analysis to each exporter.
fn check_names_through_pipeline(
    kind: &str,
    names: &[String],
    doc_name: &str,
) -> Result<usize, String> {
    let dir = tempfile::tempdir().unwrap();
    let mut tsv = String::new();
    for n in names {
        tsv.push_str(n);
        tsv.push('\n');
    }
    let file = dir.path().join(format!("{kind}.tsv"));
    std::fs::write(&file, &tsv).unwrap();
    let pipeline = match PipelineBuilder::new().dictionary(&file).build() {
        Ok(p) => p,
        Err(e) => return Err(format!("the dictionary does not load: {e}")),
    };
    let mut text = String::new();
    for (i, n) in names.iter().enumerate() {
        if i > 0 {
            text.push_str([" and ", ". Then ", "\n", ", with "][i % 4]);
        }
        text.push_str(n);
    }
    text.push('.');
    let doc = Document::new(doc_name, text);
    outputs::check_document(&pipeline, &doc)?;
    Ok(pipeline.analyze(&doc).mentions.len())
}

#[test]
fn hostile_generated_names_through_the_pipeline() {
    let kind = hostile_string(1..6).prop_filter("a file name", |k| {
        !k.contains(['/', '\0']) && !k.contains('\n') && k != "." && k != ".."
    });
    TestRunner::new(config())
        .run(
            &(
                kind,
                prop::collection::vec(hostile_string(1..14), 1..8),
                hostile_string(1..10),
            ),
            |(kind, names, doc)| {
                check_names_through_pipeline(&kind, &names, &doc).map_err(TestCaseError::fail)?;
                Ok(())
            },
        )
        .unwrap();
}

/// Printable hostile names are found as mentions (the pipeline is not just surviving them).
#[test]
fn hostile_printable_names_are_found() {
    let names: Vec<String> = [
        "Dwayne \"The Rock\" Johnson",
        "Back\\Slash Smith",
        "Ben <Angle> Bracket & Co",
        "Curly {Brace} Jones",
        "Zoë 🎬 Starr",
        "דוד בן גוריון\u{200f}",
        "Ann Slash\\",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let found = check_names_through_pipeline("person", &names, "doc \"<&>\".txt").unwrap();
    assert_eq!(found, names.len());
}

/// A few hundred generated names in one graph, read by the real tools: Graphviz's `dot` and
/// networkx (graph.json, GraphML, GEXF), when present (ENTGRAPH_REQUIRE_TOOLS=1 makes them
/// required).
#[test]
fn hostile_generated_names_read_by_dot_and_networkx() {
    let mut runner = TestRunner::deterministic();
    let graphs: Vec<Graph> = (0..40)
        .map(|_| hostile_graph().new_tree(&mut runner).unwrap().current())
        .collect();
    // One graph of all of them, ids made unique per sample.
    let mut nodes = Vec::new();
    let mut edges = Vec::new();
    for (i, g) in graphs.iter().enumerate() {
        for n in g.nodes() {
            let mut n = n.clone();
            n.id = format!("{i}:{}", n.id);
            nodes.push(n);
        }
        for e in g.edges() {
            let (a, b) = (e.source, e.target);
            edges.push(Link::new(
                format!("{i}:{}", a.id),
                format!("{i}:{}", b.id),
                e.edge.clone(),
            ));
        }
    }
    let g = Graph::from_parts(nodes, edges, GraphInfo::default()).unwrap();
    outputs::check_graph(&g).unwrap();
    let t = TestDir::new();
    for e in entgraph::export::exporters() {
        if matches!(e.name(), "svg" | "png") {
            continue;
        }
        entgraph::export::write_to_dir(e.as_ref(), &g, t.path()).unwrap();
    }
    if have_dot() {
        let out = std::process::Command::new("dot")
            .args(["-Tsvg", "-o"])
            .arg(t.join("graph.svg"))
            .arg(t.join("graph.dot"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "dot: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    } else {
        skip(
            "hostile_generated_names_read_by_dot_and_networkx (dot)",
            "Graphviz's dot is not on PATH",
        );
    }
    let Some(py) = python() else {
        skip(
            "hostile_generated_names_read_by_dot_and_networkx (networkx)",
            "ENTGRAPH_PYTHON is not set",
        );
        return;
    };
    let script = r#"
import json, sys
import networkx as nx
d = sys.argv[1]
a = nx.node_link_graph(json.load(open(d + "/graph.json", encoding="utf-8")), edges="links")
b = nx.read_graphml(d + "/graph.graphml")
c = nx.read_gexf(d + "/graph.gexf")
print(json.dumps([[g.number_of_nodes(), g.number_of_edges()] for g in (a, b, c)]))
print(json.dumps(sorted(a.nodes[n]["label"] for n in a.nodes)))
"#;
    let out = std::process::Command::new(&py)
        .arg("-c")
        .arg(script)
        .arg(t.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "networkx: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    let mut lines = stdout.lines();
    let counts: Vec<[usize; 2]> = serde_json::from_str(lines.next().unwrap()).unwrap();
    let want = [g.node_count(), g.edge_count()];
    assert_eq!(counts, [want, want, want]);
    let labels: Vec<String> = serde_json::from_str(lines.next().unwrap()).unwrap();
    let mut expected: Vec<String> = g.nodes().map(|n| n.label.clone()).collect();
    expected.sort();
    assert_eq!(
        labels, expected,
        "graph.json gives every label back to networkx"
    );
}

/// Every input the fuzz driver ever crashed on or broke an invariant with, replayed through the
/// driver's checks with the default dictionaries and rules.
#[test]
fn fuzz_regressions_replay() {
    let dir = repo().join("tests/fixtures/fuzz-regressions");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "bin"))
        .collect();
    files.sort();
    let pipeline = PipelineBuilder::new()
        .dictionary(repo().join("dictionaries"))
        .rules(Some(repo().join("dictionaries/patterns.toml")))
        .build()
        .unwrap();
    let scratch = tempfile::tempdir().unwrap();
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        if let Err(e) = outputs::check_input_bytes(&pipeline, scratch.path(), &bytes) {
            panic!("{}: {e}", f.display());
        }
    }
}
