//! `entgraph build`: the three files, the seed facts, agreement between the files, determinism,
//! windows and `--min-weight`, inputs (files, directories, stdin, the default), and offsets.

use std::collections::{BTreeMap, BTreeSet};

use crate::util::*;

const TOM: &str = "person:tom-cruise";
const MCQ: &str = "person:christopher-mcquarrie";

fn file_names(dir: &std::path::Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Asserts that every evidence window's character offsets give its text.
fn assert_evidence_offsets(g: &GraphJson) {
    for l in &g.links {
        assert!(
            !l.evidence.is_empty(),
            "edge {}--{} has no evidence",
            l.source,
            l.target
        );
        for ev in &l.evidence {
            let doc = read_doc(&ev.doc);
            assert_eq!(
                char_slice(&doc, ev.start, ev.end).as_deref(),
                Some(ev.text.as_str()),
                "evidence offsets of {}--{}",
                l.source,
                l.target
            );
        }
    }
}

#[test]
fn build_seeds_writes_three_files() {
    let t = TestDir::new();
    let b = t.build("out", seed_args());
    // Exactly these: no temporary file is left behind.
    assert_eq!(
        file_names(&b.dir),
        ["graph.dot", "graph.json", "mentions.jsonl"]
    );
    for f in ["graph.dot", "graph.json", "mentions.jsonl"] {
        assert!(
            std::fs::metadata(b.dir.join(f)).unwrap().len() > 0,
            "{f} is empty"
        );
    }
    assert!(!b.stderr.trim().is_empty(), "a summary on stderr");
}

#[test]
fn build_seeds_graph_has_seed_entities() {
    let t = TestDir::new();
    let g = t.build("out", seed_args()).graph();
    assert!(!g.directed && !g.multigraph);
    for (id, kind) in [
        (TOM, "person"),
        (MCQ, "person"),
        ("place:stade-de-france", "place"),
        ("organization:nrk", "organization"),
    ] {
        let n = g.node(id).unwrap_or_else(|| panic!("no node {id}"));
        assert_eq!(n.kind, kind, "type of {id}");
        assert!(
            n.mentions > 0 && !n.documents.is_empty(),
            "{id} has mentions and documents"
        );
    }
    assert_eq!(g.node(TOM).unwrap().label, "Tom Cruise");
    assert_eq!(g.node(MCQ).unwrap().label, "Christopher McQuarrie");
}

#[test]
fn build_seeds_surnames_resolve_to_full_names() {
    let t = TestDir::new();
    let mentions = t.build("out", seed_args()).mentions();
    for (surname, id) in [("Cruise", TOM), ("McQuarrie", MCQ)] {
        let found: Vec<&Mention> = mentions.iter().filter(|m| m.text == surname).collect();
        assert!(!found.is_empty(), "no mention with text {surname:?}");
        for m in found {
            assert_eq!(m.id, id, "{m:?}");
        }
    }
}

#[test]
fn build_seeds_cruise_mcquarrie_edge_has_evidence() {
    let t = TestDir::new();
    let g = t.build("out", seed_args()).graph();
    let link = g
        .link(TOM, MCQ)
        .expect("an edge between Tom Cruise and Christopher McQuarrie");
    assert!(link.weight >= 1);
    assert!(!link.evidence.is_empty(), "the edge has evidence");
    assert!(
        link.evidence.len() as u64 <= link.weight,
        "no more evidence than windows"
    );
    assert!(
        link.evidence
            .iter()
            .any(|e| e.text.contains("Cruise") && e.text.contains("McQuarrie")),
        "some evidence names both: {:#?}",
        link.evidence
    );
    for e in &link.evidence {
        assert!(
            e.doc.starts_with(&*seeds_dir().to_string_lossy()),
            "evidence doc is a seed as given: {}",
            e.doc
        );
    }
}

/// graph.json and graph.dot describe the same graph, and both agree with mentions.jsonl.
#[test]
fn build_seeds_files_agree() {
    let t = TestDir::new();
    let b = t.build("out", seed_args());
    let (g, dot, mentions) = (b.graph(), b.dot(), b.mentions());
    assert_eq!(dot.nodes.len(), g.nodes.len(), "node count, DOT vs JSON");
    assert_eq!(dot.edges.len(), g.links.len(), "edge count, DOT vs JSON");
    assert_eq!(
        dot.nodes
            .iter()
            .map(|(id, _)| id.clone())
            .collect::<BTreeSet<_>>(),
        g.node_ids()
    );
    assert_eq!(dot.edge_set(), g.edge_set());
    for n in &g.nodes {
        assert_eq!(
            dot.node_attr(&n.id, "label").as_deref(),
            Some(n.label.as_str()),
            "DOT label of {}",
            n.id
        );
    }
    // No duplicates, and every link joins two nodes.
    assert_eq!(g.node_ids().len(), g.nodes.len(), "node ids are unique");
    assert_eq!(g.edge_set().len(), g.links.len(), "one link per pair");
    for l in &g.links {
        assert_ne!(l.source, l.target, "no self-loop");
        assert!(
            g.node(&l.source).is_some() && g.node(&l.target).is_some(),
            "{}--{} joins known nodes",
            l.source,
            l.target
        );
        assert!(l.weight >= 1);
    }
    // Nodes summarize the mentions: count, documents, label and type.
    let mut by_id: BTreeMap<&str, Vec<&Mention>> = BTreeMap::new();
    for m in &mentions {
        by_id.entry(&m.id).or_default().push(m);
    }
    assert_eq!(
        by_id.keys().map(|k| k.to_string()).collect::<BTreeSet<_>>(),
        g.node_ids(),
        "one node per mentioned id"
    );
    for n in &g.nodes {
        let ms = &by_id[n.id.as_str()];
        assert_eq!(n.mentions, ms.len() as u64, "mentions of {}", n.id);
        assert_eq!(
            n.documents.iter().cloned().collect::<BTreeSet<_>>(),
            ms.iter().map(|m| m.doc.clone()).collect(),
            "documents of {}",
            n.id
        );
        assert!(
            ms.iter().all(|m| m.entity == n.label && m.kind == n.kind),
            "label and type of {}",
            n.id
        );
    }
}

#[test]
fn build_seeds_offsets_match_documents() {
    let t = TestDir::new();
    let b = t.build("out", seed_args());
    let mentions = b.mentions();
    let seeds = seeds_dir().to_string_lossy().into_owned();
    assert!(
        mentions.iter().all(|m| m.doc.starts_with(&seeds)),
        "doc is the path as given"
    );
    assert_offsets(&mentions, read_doc);
    assert_evidence_offsets(&b.graph());
}

#[test]
fn build_offsets_fixture_matches_documents() {
    let t = TestDir::new();
    let doc = fixture("offsets/crlf-bom.txt");
    let b = t.build(
        "out",
        [
            doc.as_os_str(),
            "--dict".as_ref(),
            fixture("offsets/dict").as_os_str(),
            "--no-rules".as_ref(),
        ],
    );
    let mentions = b.mentions();
    assert!(
        mentions.len() >= 10,
        "the fixture's names are found: {mentions:#?}"
    );
    assert_offsets(&mentions, read_doc);
    assert_evidence_offsets(&b.graph());
}

#[test]
fn build_is_deterministic() {
    let t = TestDir::new();
    let a = t.build("a", seed_args());
    let b = t.build("b", seed_args());
    for f in ["graph.dot", "graph.json", "mentions.jsonl"] {
        let (x, y) = (
            std::fs::read(a.dir.join(f)).unwrap(),
            std::fs::read(b.dir.join(f)).unwrap(),
        );
        assert!(x == y, "{f} differs between two identical runs");
    }
}

#[test]
fn build_wider_windows_link_more() {
    let t = TestDir::new();
    let with = |w: &str| {
        let mut args = seed_args();
        args.extend(["--window".into(), w.into()]);
        t.build(w, args).graph()
    };
    let (s, p, d) = (with("sentence"), with("paragraph"), with("document"));
    assert!(!s.links.is_empty());
    assert!(
        p.links.len() >= s.links.len(),
        "paragraph {} < sentence {}",
        p.links.len(),
        s.links.len()
    );
    assert!(
        d.links.len() >= p.links.len(),
        "document {} < paragraph {}",
        d.links.len(),
        p.links.len()
    );
    assert!(
        s.edge_set().is_subset(&p.edge_set()),
        "every sentence edge is a paragraph edge"
    );
    assert!(
        p.edge_set().is_subset(&d.edge_set()),
        "every paragraph edge is a document edge"
    );
    assert_eq!(
        s.node_ids(),
        p.node_ids(),
        "the window changes edges, not nodes"
    );
}

#[test]
fn build_min_weight_drops_light_edges() {
    let t = TestDir::new();
    let all = t.build("all", seed_args()).graph();
    let mut args = seed_args();
    args.extend(["--min-weight".into(), "2".into()]);
    let heavy = t.build("heavy", args).graph();
    assert!(
        all.links.iter().any(|l| l.weight < 2),
        "the seeds have edges of weight 1"
    );
    assert!(
        heavy.links.len() < all.links.len(),
        "--min-weight 2 drops edges"
    );
    assert!(
        heavy.links.iter().all(|l| l.weight >= 2),
        "every remaining weight is >= 2"
    );
    let expected: BTreeMap<(String, String), u64> = all
        .links
        .iter()
        .filter(|l| l.weight >= 2)
        .map(|l| (pair(&l.source, &l.target), l.weight))
        .collect();
    let got: BTreeMap<(String, String), u64> = heavy
        .links
        .iter()
        .map(|l| (pair(&l.source, &l.target), l.weight))
        .collect();
    assert_eq!(
        got, expected,
        "exactly the edges of weight >= 2 remain, with their weights"
    );
}

fn basic_args(doc: &str) -> Vec<std::ffi::OsString> {
    vec![
        doc.into(),
        "--dict".into(),
        fixture("basic/dict").into(),
        "--no-rules".into(),
    ]
}

#[test]
fn build_basic_fixture_graph() {
    let t = TestDir::new();
    let doc = fixture("basic/article.txt");
    let g = t.build("out", basic_args(doc.to_str().unwrap())).graph();
    let nodes: Vec<(&str, &str, &str, u64)> = g
        .nodes
        .iter()
        .map(|n| (n.id.as_str(), n.label.as_str(), n.kind.as_str(), n.mentions))
        .collect();
    assert_eq!(
        nodes.iter().copied().collect::<BTreeSet<_>>(),
        BTreeSet::from([
            (
                "film:mission-impossible-fallout",
                "Mission: Impossible - Fallout",
                "film",
                1
            ),
            ("film:top-gun-maverick", "Top Gun: Maverick", "film", 1),
            (MCQ, "Christopher McQuarrie", "person", 3),
            ("person:hayley-atwell", "Hayley Atwell", "person", 1),
            (TOM, "Tom Cruise", "person", 3),
        ])
    );
    let tom = g.node(TOM).unwrap();
    assert_eq!(tom.documents, [doc.to_str().unwrap()]);
    assert_eq!(tom.aliases, ["Cruise"]);
    let edges: BTreeMap<(String, String), u64> = g
        .links
        .iter()
        .map(|l| (pair(&l.source, &l.target), l.weight))
        .collect();
    assert_eq!(
        edges,
        BTreeMap::from([
            (pair(TOM, "film:top-gun-maverick"), 1),
            (pair(TOM, MCQ), 2),
            (
                pair("person:hayley-atwell", "film:mission-impossible-fallout"),
                1
            ),
        ])
    );
    let ev: Vec<&str> = g
        .link(TOM, MCQ)
        .unwrap()
        .evidence
        .iter()
        .map(|e| e.text.as_str())
        .collect();
    assert_eq!(
        ev,
        [
            "Director Christopher McQuarrie praised Cruise.",
            "Cruise and McQuarrie met again."
        ]
    );
}

#[test]
fn build_basic_fixture_windows_and_min_weight() {
    let t = TestDir::new();
    let doc = fixture("basic/article.txt");
    let count = |name: &str, extra: &[&str]| {
        let mut args = basic_args(doc.to_str().unwrap());
        args.extend(extra.iter().map(Into::into));
        t.build(name, args).graph().links.len()
    };
    // Paragraph 1: Tom Cruise, Top Gun: Maverick, McQuarrie; paragraph 2: Atwell, Fallout, McQuarrie.
    assert_eq!(count("p", &["--window", "paragraph"]), 6);
    assert_eq!(count("d", &["--window", "document"]), 10);
    assert_eq!(count("m", &["--min-weight", "2"]), 1);
}

#[test]
fn build_stdin_doc_is_dash() {
    let t = TestDir::new();
    let out = t.join("out");
    let text = std::fs::read(fixture("basic/article.txt")).unwrap();
    ok(t.entgraph()
        .args(["build", "-", "--dict"])
        .arg(fixture("basic/dict"))
        .args(["--no-rules", "--out"])
        .arg(&out)
        .write_stdin(text)
        .output()
        .unwrap());
    let b = Built {
        dir: out,
        stderr: String::new(),
    };
    let mentions = b.mentions();
    assert!(!mentions.is_empty());
    assert!(mentions.iter().all(|m| m.doc == "-"), "stdin is named -");
    assert!(b.graph().nodes.iter().all(|n| n.documents == ["-"]));
}

#[test]
fn build_walks_directories_for_txt_and_md() {
    let t = TestDir::new();
    let line = "Tom Cruise met Christopher McQuarrie.\n";
    for f in [
        "docs/a.txt",
        "docs/sub/b.md",
        "docs/sub/deeper/c.txt",
        "docs/d.csv",
        "docs/.hidden.txt",
        "docs/e.tsv",
    ] {
        t.write(f, line);
    }
    let b = t.build(
        "out",
        [
            "docs",
            "--dict",
            fixture("basic/dict").to_str().unwrap(),
            "--no-rules",
        ],
    );
    let docs: BTreeSet<String> = b.mentions().into_iter().map(|m| m.doc).collect();
    assert_eq!(
        docs,
        BTreeSet::from([
            "docs/a.txt".into(),
            "docs/sub/b.md".into(),
            "docs/sub/deeper/c.txt".into()
        ])
    );
    assert_eq!(b.graph().link(TOM, MCQ).unwrap().weight, 3);
}

#[test]
fn build_defaults_to_seeds_and_output() {
    let t = TestDir::new();
    t.write("seeds/one.txt", "Tom Cruise met Christopher McQuarrie.\n");
    ok(t.entgraph()
        .args(["build", "--dict"])
        .arg(fixture("basic/dict"))
        .arg("--no-rules")
        .output()
        .unwrap());
    let b = Built {
        dir: t.join("output"),
        stderr: String::new(),
    };
    assert_eq!(
        file_names(&b.dir),
        ["graph.dot", "graph.json", "mentions.jsonl"]
    );
    assert!(
        b.mentions().iter().all(|m| m.doc == "seeds/one.txt"),
        "the default input is ./seeds"
    );
}

#[test]
fn build_hostile_names_survive_every_format() {
    let t = TestDir::new();
    let b = t.build(
        "out",
        [
            fixture("hostile-names/names.txt").as_os_str(),
            "--dict".as_ref(),
            fixture("hostile-names/dict").as_os_str(),
            "--no-rules".as_ref(),
        ],
    );
    let g = b.graph();
    let labels: BTreeSet<&str> = g.nodes.iter().map(|n| n.label.as_str()).collect();
    assert_eq!(
        labels,
        BTreeSet::from([
            "Dwayne \"The Rock\" Johnson",
            "Back\\Slash Smith",
            "Ben <Angle> Bracket",
            "Curly {Brace} Jones",
            "Zo\u{eb} \u{1F3AC} Starr",
            "\u{5d3}\u{5d5}\u{5d3} \u{5d1}\u{5df} \u{5d2}\u{5d5}\u{5e8}\u{5d9}\u{5d5}\u{5df}\u{200f}",
            "Ann Slash\\",
            "Procter & Gamble",
        ])
    );
    let dot = b.dot();
    assert_eq!(dot.edge_set(), g.edge_set());
    for n in &g.nodes {
        assert_eq!(
            dot.node_attr(&n.id, "label").as_deref(),
            Some(n.label.as_str()),
            "DOT label of {}",
            n.id
        );
    }
    let mentions = b.mentions();
    let rock: Vec<&str> = mentions
        .iter()
        .filter(|m| m.id == "person:dwayne-the-rock-johnson")
        .map(|m| m.text.as_str())
        .collect();
    assert_eq!(rock, ["Dwayne \"The Rock\" Johnson", "\"The Rock\""]);
    assert_offsets(&mentions, read_doc);
    assert_evidence_offsets(&g);
}
