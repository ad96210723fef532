//! The graph formats (`build --formats`, `entgraph export`) as their own readers see them: networkx
//! reads graph.json, GraphML and GEXF, igraph reads GraphML, Python's csv module reads the CSV
//! tables, Graphviz renders the DOT, the SVG parses as XML and the PNG is a PNG; Cytoscape.js JSON
//! decodes into the documented shape. Each must give back the nodes, edges, types and weights of
//! graph.json, also for the hostile names of `tests/fixtures/hostile-names/graph.json` (quotes, `<`,
//! `&`, backslashes, newlines, tabs, CR, NUL and other controls, U+FFFE, RTL marks, emoji).
//! Tests that need `dot` or ENTGRAPH_PYTHON skip with a note, unless ENTGRAPH_REQUIRE_TOOLS=1.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command as Std;

use serde::Deserialize;

use crate::util::*;

/// Every format, in registry order.
const ALL: &str = "dot,json,graphml,gexf,cytoscape,csv,svg,png,html";
/// Every format that needs nothing outside entgraph.
const NO_GRAPHVIZ: &str = "dot,json,graphml,gexf,cytoscape,csv";
/// The file(s) each format writes.
const FILES: [(&str, &[&str]); 9] = [
    ("dot", &["graph.dot"]),
    ("json", &["graph.json"]),
    ("graphml", &["graph.graphml"]),
    ("gexf", &["graph.gexf"]),
    ("cytoscape", &["graph.cyjs"]),
    ("csv", &["nodes.csv", "edges.csv"]),
    ("svg", &["graph.svg"]),
    ("png", &["graph.png"]),
    ("html", &["graph.html"]),
];

fn files_of(format: &str) -> &'static [&'static str] {
    FILES.iter().find(|(f, _)| *f == format).unwrap().1
}

/// The formats to try: all of them when Graphviz is there, else those that do not need it.
fn formats() -> &'static str {
    if have_dot() { ALL } else { NO_GRAPHVIZ }
}

fn hostile_graph() -> PathBuf {
    fixture("hostile-names/graph.json")
}

fn with_formats(mut args: Vec<OsString>, formats: &str) -> Vec<OsString> {
    args.extend(["--formats".into(), formats.into()]);
    args
}

fn hostile_build_args() -> Vec<OsString> {
    vec![
        fixture("hostile-names/names.txt").into(),
        "--dict".into(),
        fixture("hostile-names/dict").into(),
        "--no-rules".into(),
    ]
}

/// Runs `entgraph export --graph GRAPH --format FORMAT --out DIR`, asserting success.
fn export_to_dir(t: &TestDir, graph: &Path, format: &str, dir: &Path) {
    ok(t.entgraph()
        .args(["export", "--format", format, "--graph"])
        .arg(graph)
        .arg("--out")
        .arg(dir)
        .output()
        .unwrap());
}

fn file_names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

// --- what a reader gave back, and what it should have -------------------------------------------

/// A graph as a reader reports it: the same shape for every format.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReadBack {
    directed: bool,
    multigraph: bool,
    nodes: Vec<ReadNode>,
    edges: Vec<ReadEdge>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReadNode {
    id: String,
    label: String,
    #[serde(rename = "type")]
    kind: String,
    mentions: f64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReadEdge {
    source: String,
    target: String,
    weight: f64,
}

/// `id -> (label, type, mentions)` and `(a, b) -> weight`.
type Canonical = (
    BTreeMap<String, (String, String, u64)>,
    BTreeMap<(String, String), u64>,
);

fn whole(x: f64, what: &str) -> u64 {
    assert!(
        x >= 0.0 && x.fract() == 0.0,
        "{what}: {x} is not a whole number"
    );
    x as u64
}

impl ReadBack {
    fn canonical(&self, what: &str) -> Canonical {
        assert!(!self.directed, "{what}: undirected");
        assert!(!self.multigraph, "{what}: not a multigraph");
        let nodes: BTreeMap<_, _> = self
            .nodes
            .iter()
            .map(|n| {
                (
                    n.id.clone(),
                    (n.label.clone(), n.kind.clone(), whole(n.mentions, what)),
                )
            })
            .collect();
        assert_eq!(nodes.len(), self.nodes.len(), "{what}: duplicate node ids");
        let edges: BTreeMap<_, _> = self
            .edges
            .iter()
            .map(|e| (pair(&e.source, &e.target), whole(e.weight, what)))
            .collect();
        assert_eq!(edges.len(), self.edges.len(), "{what}: duplicate edges");
        (nodes, edges)
    }
}

/// What graph.json says, with `clean` applied to every string (the format's documented rule).
fn expected(g: &GraphJson, clean: fn(&str) -> String) -> Canonical {
    let nodes = g
        .nodes
        .iter()
        .map(|n| (clean(&n.id), (clean(&n.label), clean(&n.kind), n.mentions)))
        .collect();
    let edges = g
        .links
        .iter()
        .map(|l| (pair(&clean(&l.source), &clean(&l.target)), l.weight))
        .collect();
    (nodes, edges)
}

fn same(s: &str) -> String {
    s.to_string()
}

/// XML 1.0 cannot hold C0 controls other than tab, newline and CR, nor U+FFFE/U+FFFF: entgraph
/// writes U+FFFD for each (README, "Output formats").
fn xml_clean(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => c,
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => '\u{fffd}',
            c => c,
        })
        .collect()
}

/// DOT ids and labels: control characters other than newline become spaces (dot.rs).
fn dot_clean(s: &str) -> String {
    s.chars()
        .map(|c| if c != '\n' && c.is_control() { ' ' } else { c })
        .collect()
}

/// A DOT id as Graphviz reads it back: dot.rs writes `\\` for a backslash, which Graphviz unescapes
/// in labels (escStrings) but keeps as two characters in node names. Entity ids (`type:slug`) never
/// hold a backslash; only hand-made graphs can show this.
fn dot_id(s: &str) -> String {
    dot_clean(s).replace('\\', "\\\\")
}

/// Reads a written graph with a real client and prints it as a [`ReadBack`]. Numbers must come
/// back as numbers (a string "46" fails), so the declared attribute types are checked too.
const READ_BACK: &str = r#"
import csv, json, sys
fmt, path = sys.argv[1], sys.argv[2]

def num(x):
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        raise SystemExit(f"{fmt}: expected a number, got {x!r}")
    return float(x)

nodes, edges = [], []
if fmt in ("json", "graphml", "gexf"):
    import networkx as nx
    if fmt == "json":
        with open(path, encoding="utf-8") as f:
            G = nx.node_link_graph(json.load(f), edges="links")
    elif fmt == "graphml":
        G = nx.read_graphml(path)
    else:
        G = nx.read_gexf(path)
    directed, multigraph = G.is_directed(), G.is_multigraph()
    for n, d in G.nodes(data=True):
        nodes.append({"id": n, "label": d["label"], "type": d["type"], "mentions": num(d["mentions"])})
    for a, b, d in G.edges(data=True):
        edges.append({"source": a, "target": b, "weight": num(d["weight"])})
elif fmt == "igraph":
    import igraph
    G = igraph.Graph.Read_GraphML(path)
    directed, multigraph = G.is_directed(), G.has_multiple()
    # igraph (libxml2's SAX interface) gives '&' in attribute values back as the literal '&#38;'
    # even for '&amp;' (a quirk of igraph: networkx and expat decode it); node ids are attributes.
    ids = [v.replace("&#38;", "&") for v in G.vs["id"]]
    for i, v in enumerate(G.vs):
        nodes.append({"id": ids[i], "label": v["label"], "type": v["type"], "mentions": num(v["mentions"])})
    for e in G.es:
        edges.append({"source": ids[e.source], "target": ids[e.target], "weight": num(e["weight"])})
elif fmt == "csv":
    directed, multigraph = False, False
    with open(path + "/nodes.csv", encoding="utf-8", newline="") as f:
        r = csv.DictReader(f)
        assert r.fieldnames == ["Id", "Label", "type", "mentions", "documents", "aliases", "windows", "community"], r.fieldnames
        for row in r:
            json.loads(row["aliases"])
            int(row["documents"])
            nodes.append({"id": row["Id"], "label": row["Label"], "type": row["type"], "mentions": float(int(row["mentions"]))})
    with open(path + "/edges.csv", encoding="utf-8", newline="") as f:
        r = csv.DictReader(f)
        assert r.fieldnames == ["Source", "Target", "Type", "Weight", "evidence_count", "evidence", "evidence_doc", "npmi", "dice", "llr"], r.fieldnames
        for row in r:
            assert row["Type"] == "Undirected", row
            int(row["evidence_count"])
            edges.append({"source": row["Source"], "target": row["Target"], "weight": float(int(row["Weight"]))})
elif fmt == "svg":
    import xml.etree.ElementTree as ET
    root = ET.parse(path).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg", root.tag
    groups = [g.get("class") for g in root.iter("{http://www.w3.org/2000/svg}g")]
    print(json.dumps({"nodes": groups.count("node"), "edges": groups.count("edge")}))
    sys.exit(0)
else:
    raise SystemExit(f"unknown format {fmt}")
print(json.dumps({"directed": directed, "multigraph": multigraph, "nodes": nodes, "edges": edges}))
"#;

/// Runs [`READ_BACK`] on `path` as `fmt` and decodes what it printed.
fn python_read<T: serde::de::DeserializeOwned>(py: &Path, fmt: &str, path: &Path) -> T {
    let out = Std::new(py)
        .arg("-c")
        .arg(READ_BACK)
        .arg(fmt)
        .arg(path)
        .output()
        .expect("run ENTGRAPH_PYTHON");
    assert!(
        out.status.success(),
        "{fmt} reader rejected {}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{fmt}: the reader printed {}: {e}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

#[derive(Debug, Deserialize)]
struct SvgCounts {
    nodes: usize,
    edges: usize,
}

/// Every client that reads `dir`'s files gives back graph.json's nodes, edges, types and weights.
fn check_readers(py: &Path, dir: &Path, g: &GraphJson, formats: &str) {
    let want = expected(g, same);
    let want_xml = expected(g, xml_clean);
    let has = |f: &str| formats.split(',').any(|x| x == f);
    let mut checks: Vec<(&str, PathBuf, &Canonical)> = Vec::new();
    if has("json") {
        checks.push(("json", dir.join("graph.json"), &want));
    }
    if has("graphml") {
        checks.push(("graphml", dir.join("graph.graphml"), &want_xml));
        checks.push(("igraph", dir.join("graph.graphml"), &want_xml));
    }
    if has("gexf") {
        checks.push(("gexf", dir.join("graph.gexf"), &want_xml));
    }
    if has("csv") {
        checks.push(("csv", dir.to_path_buf(), &want));
    }
    for (fmt, path, want) in checks {
        let got: ReadBack = python_read(py, fmt, &path);
        assert_eq!(&got.canonical(fmt), want, "{fmt} as read by its client");
    }
    if has("svg") {
        let got: SvgCounts = python_read(py, "svg", &dir.join("graph.svg"));
        // What the picture draws (at most 150 entities, each one's 3 strongest edges).
        let text = String::from_utf8(read(&dir.join("graph.svg"))).unwrap();
        let drawn = (
            text.matches("class=\"node\"").count(),
            text.matches("class=\"edge\"").count(),
        );
        assert!(drawn.0 <= g.nodes.len() && drawn.1 <= g.links.len());
        assert_eq!(
            (got.nodes, got.edges),
            drawn,
            "SVG node and edge groups, as parsed by Python's xml.etree"
        );
    }
}

// --- checks that need only Rust (and `dot` for the pictures) ------------------------------------

/// Cytoscape.js JSON, exactly the documented fields.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Cyjs {
    data: serde_json::Map<String, serde_json::Value>,
    elements: CyElements,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CyElements {
    nodes: Vec<CyElement<CyNode>>,
    edges: Vec<CyElement<CyEdge>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CyElement<T> {
    data: T,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CyNode {
    id: String,
    label: String,
    #[serde(rename = "type")]
    kind: String,
    color: String,
    mentions: u64,
    #[serde(default)]
    windows: u64,
    #[serde(default)]
    community: Option<u32>,
    documents: Vec<String>,
    aliases: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CyEdge {
    id: String,
    source: String,
    target: String,
    weight: u64,
    #[serde(default)]
    npmi: Option<f64>,
    #[serde(default)]
    dice: Option<f64>,
    #[serde(default)]
    llr: Option<f64>,
    evidence: Vec<Evidence>,
}

fn check_cytoscape(path: &Path, g: &GraphJson) {
    let cy: Cyjs = read_json(path);
    for key in ["window", "documents", "mentions", "min_weight"] {
        assert!(cy.data.contains_key(key), "graph data has {key}");
    }
    let nodes: Vec<Node> = cy
        .elements
        .nodes
        .iter()
        .map(|e| {
            let n = &e.data;
            assert!(
                n.color.len() == 7 && n.color.starts_with('#'),
                "colour {:?}",
                n.color
            );
            Node {
                id: n.id.clone(),
                label: n.label.clone(),
                kind: n.kind.clone(),
                mentions: n.mentions,
                windows: n.windows,
                community: n.community,
                documents: n.documents.clone(),
                aliases: n.aliases.clone(),
            }
        })
        .collect();
    assert_eq!(nodes, g.nodes, "Cytoscape nodes are graph.json's nodes");
    let links: Vec<Link> = cy
        .elements
        .edges
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let d = &e.data;
            assert_eq!(d.id, format!("e{i}"), "edge ids");
            Link {
                source: d.source.clone(),
                target: d.target.clone(),
                weight: d.weight,
                npmi: d.npmi,
                dice: d.dice,
                llr: d.llr,
                evidence: d.evidence.clone(),
            }
        })
        .collect();
    assert_eq!(links, g.links, "Cytoscape edges are graph.json's links");
    let ids: BTreeSet<&str> = cy
        .elements
        .nodes
        .iter()
        .map(|n| n.data.id.as_str())
        .chain(cy.elements.edges.iter().map(|e| e.data.id.as_str()))
        .collect();
    assert_eq!(
        ids.len(),
        g.nodes.len() + g.links.len(),
        "element ids are unique"
    );
}

/// True for the characters XML 1.0 allows.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

/// The file is well-formed XML as far as quick-xml checks (end tags match, attributes and
/// references resolve) plus: every character, raw or referenced, is one XML 1.0 allows. Returns
/// the number of elements named `name`.
fn xml_count(path: &Path, name: &str) -> usize {
    use quick_xml::XmlVersion;
    use quick_xml::escape::resolve_predefined_entity;
    use quick_xml::events::Event;
    let text = String::from_utf8(read(path)).expect("XML output is UTF-8");
    if let Some(c) = text.chars().find(|&c| !is_xml_char(c)) {
        panic!("{}: {c:?} is not allowed in XML 1.0", path.display());
    }
    let mut reader = quick_xml::Reader::from_str(&text);
    reader.config_mut().check_end_names = true;
    let mut count = 0;
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => break,
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                for a in e.attributes() {
                    let a = a.unwrap_or_else(|err| panic!("{}: attribute: {err}", path.display()));
                    let v = a
                        .normalized_value(XmlVersion::Implicit1_0)
                        .unwrap_or_else(|err| panic!("{}: attribute value: {err}", path.display()));
                    assert!(v.chars().all(is_xml_char), "{}: {v:?}", path.display());
                }
                if e.local_name().as_ref() == name {
                    count += 1;
                }
            }
            Ok(Event::GeneralRef(r)) => {
                if r.is_char_ref() {
                    let c = r.resolve_char_ref().ok().flatten();
                    assert!(
                        c.is_some_and(is_xml_char),
                        "{}: bad character reference {:?}",
                        path.display(),
                        r
                    );
                } else {
                    let name = r.xml10_content();
                    assert!(
                        resolve_predefined_entity(&name).is_some(),
                        "{}: undefined entity &{name};",
                        path.display()
                    );
                }
            }
            Ok(_) => {}
            Err(e) => panic!(
                "{}: not well-formed XML at byte {}: {e}",
                path.display(),
                reader.buffer_position()
            ),
        }
    }
    count
}

/// Checks what can be checked without Python: Cytoscape shape, XML well-formedness and element
/// counts, CSV record counts, the DOT read back by `dot`, the PNG signature.
fn check_rust_side(dir: &Path, g: &GraphJson, formats: &str) {
    let has = |f: &str| formats.split(',').any(|x| x == f);
    if has("cytoscape") {
        check_cytoscape(&dir.join("graph.cyjs"), g);
    }
    if has("graphml") {
        let p = dir.join("graph.graphml");
        assert_eq!(xml_count(&p, "node"), g.nodes.len(), "GraphML nodes");
        assert_eq!(xml_count(&p, "edge"), g.links.len(), "GraphML edges");
    }
    if has("gexf") {
        let p = dir.join("graph.gexf");
        assert_eq!(xml_count(&p, "node"), g.nodes.len(), "GEXF nodes");
        assert_eq!(xml_count(&p, "edge"), g.links.len(), "GEXF edges");
    }
    if has("csv") {
        let count = |f: &str| {
            let mut r = csv::Reader::from_path(dir.join(f)).unwrap();
            let records: Vec<_> = r.records().collect::<Result<_, _>>().unwrap();
            records.len()
        };
        assert_eq!(count("nodes.csv"), g.nodes.len(), "nodes.csv records");
        assert_eq!(count("edges.csv"), g.links.len(), "edges.csv records");
    }
    if has("svg") {
        let p = dir.join("graph.svg");
        let groups = String::from_utf8(read(&p)).unwrap();
        assert_eq!(xml_count(&p, "svg"), 1, "one SVG document");
        // A picture draws at most 150 entities and each one's 3 strongest edges by default.
        let (nodes, edges) = (
            groups.matches("class=\"node\"").count(),
            groups.matches("class=\"edge\"").count(),
        );
        assert!(nodes <= g.nodes.len() && edges <= g.links.len());
        if g.nodes.len() <= 150 {
            assert_eq!(nodes, g.nodes.len());
        }
    }
    if has("png") {
        let png = read(&dir.join("graph.png"));
        assert!(
            png.starts_with(b"\x89PNG\r\n\x1a\n"),
            "graph.png starts with the PNG signature"
        );
        assert!(png.len() > 100, "a real picture");
    }
    if has("dot") && have_dot() {
        check_dot_reads_back(&dir.join("graph.dot"), g);
    }
}

#[derive(Deserialize)]
struct DotJson {
    #[serde(default)]
    objects: Vec<DotJsonObject>,
    #[serde(default)]
    edges: Vec<serde_json::Value>,
}

#[derive(Deserialize)]
struct DotJsonObject {
    name: String,
    label: Option<String>,
}

/// `dot -Tjson` reads every node id and label back (after the DOT escaping rule).
fn check_dot_reads_back(path: &Path, g: &GraphJson) {
    let out = Std::new("dot")
        .arg("-Tjson")
        .arg(path)
        .output()
        .expect("run dot");
    assert!(
        out.status.success(),
        "dot -Tjson {}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let parsed: DotJson = serde_json::from_slice(&out.stdout).expect("dot -Tjson output");
    let got: BTreeSet<(String, String)> = parsed
        .objects
        .iter()
        .map(|o| {
            (
                o.name.clone(),
                unescape_esc_string(o.label.as_deref().unwrap_or("")),
            )
        })
        .collect();
    let want: BTreeSet<(String, String)> = g
        .nodes
        .iter()
        .map(|n| (dot_id(&n.id), dot_clean(&n.label)))
        .collect();
    assert_eq!(got, want, "ids and labels as Graphviz reads them");
    assert_eq!(
        parsed.edges.len(),
        g.links.len(),
        "edges as Graphviz reads them"
    );
}

// --- the tests ------------------------------------------------------------------------------------

#[test]
fn export_build_writes_each_format_and_lists_files() {
    let t = TestDir::new();
    let b = t.build("out", with_formats(seed_args(), "graphml,csv"));
    assert_eq!(
        file_names(&b.dir),
        [
            "edges.csv",
            "graph.graphml",
            "graph.json",
            "mentions.jsonl",
            "nodes.csv"
        ],
        "the formats asked for, graph.json, mentions.jsonl, and no temporary file"
    );
    assert!(
        b.stderr.contains(
            "; wrote graph.graphml, nodes.csv, edges.csv, graph.json and mentions.jsonl to "
        ),
        "the summary lists the files written: {}",
        b.stderr
    );
    let b = t.build("all", with_formats(seed_args(), formats()));
    let mut want: Vec<String> = formats()
        .split(',')
        .flat_map(|f| files_of(f).iter().map(|s| s.to_string()))
        .chain(["mentions.jsonl".to_string()])
        .collect();
    want.sort();
    assert_eq!(file_names(&b.dir), want);
}

#[test]
fn export_build_formats_repeated_and_spaced_once_each() {
    let t = TestDir::new();
    let b = t.build("out", with_formats(seed_args(), "json,json,dot"));
    assert_eq!(
        file_names(&b.dir),
        ["graph.dot", "graph.json", "mentions.jsonl"]
    );
    assert!(
        b.stderr
            .contains("wrote graph.json, graph.dot and mentions.jsonl to")
    );
}

#[test]
fn export_seeds_every_format_agrees_with_graph_json() {
    let t = TestDir::new();
    let b = t.build("out", with_formats(seed_args(), formats()));
    let g = b.graph();
    assert!(g.nodes.len() > 10 && g.links.len() > 10);
    check_rust_side(&b.dir, &g, formats());
    match python() {
        Some(py) => check_readers(&py, &b.dir, &g, formats()),
        None => skip(
            "export_seeds_every_format_agrees_with_graph_json (Python readers)",
            "ENTGRAPH_PYTHON (a Python with networkx and igraph) is not set",
        ),
    }
    if !have_dot() {
        skip(
            "export_seeds_every_format_agrees_with_graph_json (svg, png)",
            "Graphviz 'dot' is not on PATH",
        );
    }
}

#[test]
fn export_hostile_built_names_survive_every_format() {
    let t = TestDir::new();
    let b = t.build("out", with_formats(hostile_build_args(), formats()));
    let g = b.graph();
    assert!(g.nodes.iter().any(|n| n.label == "Ben <Angle> Bracket"));
    check_rust_side(&b.dir, &g, formats());
    match python() {
        Some(py) => check_readers(&py, &b.dir, &g, formats()),
        None => skip(
            "export_hostile_built_names_survive_every_format (Python readers)",
            "ENTGRAPH_PYTHON is not set",
        ),
    }
}

/// The hand-made graph has what no dictionary line can hold: newlines, tabs, CR, NUL and other
/// control characters, U+FFFE/U+FFFF, an RTL override, a ZWJ emoji sequence, `-->` and `]]>`.
#[test]
fn export_hostile_graph_survives_every_format() {
    let t = TestDir::new();
    let g: GraphJson = read_json(&hostile_graph());
    assert!(g.nodes.iter().any(|n| n.label.contains('\n')));
    assert!(g.nodes.iter().any(|n| n.label.contains('\t')));
    assert!(g.nodes.iter().any(|n| n.label.contains('\u{0}')));
    assert!(g.nodes.iter().any(|n| n.label.contains('\u{fffe}')));
    let formats = formats();
    let dir = t.join("out");
    for f in formats.split(',') {
        export_to_dir(&t, &hostile_graph(), f, &dir);
    }
    let written: Vec<u8> = read(&dir.join("graph.json"));
    let rewritten: GraphJson = serde_json::from_slice(&written).unwrap();
    assert_eq!(rewritten.nodes, g.nodes, "graph.json keeps every string");
    assert_eq!(rewritten.links, g.links);
    check_rust_side(&dir, &g, formats);
    match python() {
        Some(py) => check_readers(&py, &dir, &g, formats),
        None => skip(
            "export_hostile_graph_survives_every_format (Python readers)",
            "ENTGRAPH_PYTHON is not set",
        ),
    }
}

#[test]
fn export_xml_replaces_only_what_xml_cannot_hold() {
    let t = TestDir::new();
    let dir = t.join("out");
    export_to_dir(&t, &hostile_graph(), "graphml", &dir);
    let text = String::from_utf8(read(&dir.join("graph.graphml"))).unwrap();
    assert!(text.contains(
        "<data key=\"label\">Bell\u{fffd} Esc\u{fffd}[31m NUL\u{fffd} DEL\u{7f} NEL\u{85} nonchar\u{fffd}\u{fffd} end</data>"
    ));
    assert!(text.contains("<data key=\"label\">Line one\nLine two&#13;\nthree\ttabbed</data>"));
    assert!(text.contains("<data key=\"label\">Procter &amp; Gamble &lt;P&amp;G&gt;</data>"));
    export_to_dir(&t, &hostile_graph(), "gexf", &dir);
    let text = String::from_utf8(read(&dir.join("graph.gexf"))).unwrap();
    assert!(text.contains("label=\"Line one&#10;Line two&#13;&#10;three&#9;tabbed\""));
    assert!(text.contains("<gexf xmlns=\"http://gexf.net/1.3\""));
    assert!(text.contains("version=\"1.3\""));
    assert!(text.contains("defaultedgetype=\"undirected\""));
}

#[test]
fn export_round_trips_and_matches_build() {
    let t = TestDir::new();
    let b = t.build("built", with_formats(seed_args(), formats()));
    for f in formats().split(',') {
        let dir = t.join(format!("exported-{f}"));
        export_to_dir(&t, &b.dir.join("graph.json"), f, &dir);
        for file in files_of(f) {
            assert!(
                read(&dir.join(file)) == read(&b.dir.join(file)),
                "{file}: entgraph export of graph.json gives the bytes entgraph build wrote"
            );
        }
    }
    // The hostile fixture is kept as entgraph writes it: json -> json gives it back byte for byte.
    let copy = t.join("copy.json");
    ok(t.entgraph()
        .args(["export", "--format", "json", "--graph"])
        .arg(hostile_graph())
        .arg("-o")
        .arg(&copy)
        .output()
        .unwrap());
    assert!(
        read(&copy) == read(&hostile_graph()),
        "export json of graph.json is the identity"
    );
}

#[test]
fn export_is_deterministic() {
    let t = TestDir::new();
    let a = t.build("a", with_formats(seed_args(), formats()));
    let b = t.build("b", with_formats(seed_args(), formats()));
    for f in file_names(&a.dir) {
        assert!(
            read(&a.dir.join(&f)) == read(&b.dir.join(&f)),
            "{f} is byte-identical across runs"
        );
    }
}

#[test]
fn export_to_stdout_and_to_file() {
    let t = TestDir::new();
    let dir = t.join("dir");
    export_to_dir(&t, &hostile_graph(), "gexf", &dir);
    let out = ok(t
        .entgraph()
        .args(["export", "--format", "gexf", "-o", "-", "--graph"])
        .arg(hostile_graph())
        .output()
        .unwrap());
    assert!(
        out.stdout == read(&dir.join("graph.gexf")),
        "-o - writes the file to stdout"
    );
    assert!(
        out.stderr.is_empty(),
        "nothing on stderr when writing to stdout"
    );
    let file = t.join("named.graphml");
    let out = ok(t
        .entgraph()
        .args(["export", "--format", "graphml", "-o"])
        .arg(&file)
        .arg("--graph")
        .arg(hostile_graph())
        .output()
        .unwrap());
    assert!(file.exists());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with("entgraph: wrote ")
            && stderr.contains("named.graphml (9 entities, 6 edges)"),
        "{stderr}"
    );
}

#[test]
fn export_defaults_to_output_graph_json() {
    let t = TestDir::new();
    t.build("output", seed_args());
    ok(t.entgraph()
        .args(["export", "--format", "cytoscape", "--out", "output", "-q"])
        .output()
        .unwrap());
    check_cytoscape(
        &t.join("output/graph.cyjs"),
        &read_json(&t.join("output/graph.json")),
    );
}

#[test]
fn export_large_graph_renders() {
    if !have_dot() {
        return skip(
            "export_large_graph_renders",
            "Graphviz 'dot' is not on PATH",
        );
    }
    // 200 nodes (more than the 150 that switch the layout to sfdp) in a ring with chords.
    let n = 200;
    let nodes: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            let kind = ["person", "place", "film"][i % 3];
            serde_json::json!({"id": format!("{kind}:n{i:03}"), "label": format!("Node {i}"),
                "type": kind, "mentions": 1, "documents": ["a.txt"], "aliases": []})
        })
        .collect();
    let id = |i: usize| nodes[i % n]["id"].as_str().unwrap().to_string();
    let links: Vec<serde_json::Value> = (0..n)
        .flat_map(|i| [(i, i + 1), (i, i + 7)])
        .map(|(a, b)| serde_json::json!({"source": id(a), "target": id(b), "weight": 1 + a % 4, "evidence": []}))
        .collect();
    let graph = serde_json::json!({"directed": false, "multigraph": false,
        "graph": {"window": "sentence", "documents": 1, "mentions": n, "min_weight": 1},
        "nodes": nodes, "links": links});
    let t = TestDir::new();
    let path = t.write("big/graph.json", serde_json::to_vec(&graph).unwrap());
    let dir = t.join("out");
    // Without the picture's default limits, so that sfdp lays out all 200.
    ok(t.entgraph()
        .args(["export", "--format", "svg", "--graph"])
        .arg(&path)
        .arg("--out")
        .arg(&dir)
        .args(["--max-nodes", "1000", "--edges-per-node", "0"])
        .output()
        .unwrap());
    let g: GraphJson = read_json(&path);
    check_rust_side(&dir, &g, "svg");
    let svg = String::from_utf8(read(&dir.join("graph.svg"))).unwrap();
    assert!(svg.contains(">types<"), "the legend is drawn");
}

#[test]
fn export_svg_has_a_legend_of_the_types() {
    if !have_dot() {
        return skip(
            "export_svg_has_a_legend_of_the_types",
            "Graphviz 'dot' is not on PATH",
        );
    }
    let t = TestDir::new();
    let dir = t.join("out");
    export_to_dir(&t, &hostile_graph(), "svg", &dir);
    let svg = String::from_utf8(read(&dir.join("graph.svg"))).unwrap();
    for kind in [
        "film",
        "organization",
        "person",
        "place",
        "tv &quot;show&quot; &amp; &lt;co&gt;",
    ] {
        // Graphviz keeps the space before the shape's name, which is in a smaller font.
        assert!(
            svg.contains(&format!(">{kind} </text>")),
            "legend entry {kind}"
        );
    }
    // Nodes are filled by community, the first one in the first colour of the palette.
    assert!(svg.contains(">communities<"), "the legend of communities");
    assert!(
        svg.contains("fill=\"#8dd3c7\""),
        "the first community's colour"
    );
}

// --- errors ---------------------------------------------------------------------------------------

/// An empty directory to use as PATH: no `dot` there.
fn empty_path(t: &TestDir) -> PathBuf {
    let p = t.join("empty-path");
    std::fs::create_dir_all(&p).unwrap();
    p
}

fn assert_graphviz_message(msg: &str) {
    assert!(
        msg.contains("Graphviz")
            && msg.contains("'dot'")
            && msg.contains("apt install graphviz")
            && msg.contains("brew install graphviz"),
        "says what is missing and how to install it: {msg}"
    );
}

#[test]
fn export_missing_graphviz_build_fails_before_work() {
    let t = TestDir::new();
    for formats in ["svg", "dot,json,png"] {
        let out = t
            .entgraph()
            .env("PATH", empty_path(&t))
            .arg("build")
            .args(with_formats(seed_args(), formats))
            .args(["--out", "out"])
            .output()
            .unwrap();
        assert_graphviz_message(&fails(out));
        assert!(!t.join("out").exists(), "nothing written ({formats})");
    }
    // Without svg or png, no Graphviz is needed.
    ok(t.entgraph()
        .env("PATH", empty_path(&t))
        .arg("build")
        .args(with_formats(seed_args(), NO_GRAPHVIZ))
        .args(["--out", "out"])
        .output()
        .unwrap());
}

#[test]
fn export_missing_graphviz_export_fails() {
    let t = TestDir::new();
    for format in ["svg", "png", "html"] {
        let out = t
            .entgraph()
            .env("PATH", empty_path(&t))
            .args(["export", "--format", format, "--out", "out", "--graph"])
            .arg(hostile_graph())
            .output()
            .unwrap();
        assert_graphviz_message(&fails(out));
        assert!(!t.join("out").exists(), "nothing written ({format})");
    }
}

#[test]
fn export_unknown_format_lists_valid_ones() {
    let t = TestDir::new();
    let valid = "(valid formats: dot, json, graphml, gexf, cytoscape, csv, svg, png, html)";
    let msg = fails(
        t.entgraph()
            .args(["build", "--formats", "dot,pdf", "--out", "out"])
            .args(seed_args())
            .output()
            .unwrap(),
    );
    assert!(
        msg.contains("unknown format 'pdf'") && msg.contains(valid),
        "{msg}"
    );
    assert!(!t.join("out").exists());
    let msg = fails(
        t.entgraph()
            .args(["export", "--format", "xml", "--out", "out", "--graph"])
            .arg(hostile_graph())
            .output()
            .unwrap(),
    );
    assert!(
        msg.contains("unknown format 'xml'") && msg.contains(valid),
        "{msg}"
    );
    let msg = fails(
        t.entgraph()
            .args(["build", "--formats", "", "--out", "out"])
            .args(seed_args())
            .output()
            .unwrap(),
    );
    assert!(msg.contains("unknown format ''"), "{msg}");
}

#[test]
fn export_usage_errors() {
    let t = TestDir::new();
    let run = |args: &[&str]| {
        fails(
            t.entgraph()
                .arg("export")
                .args(args)
                .arg("--graph")
                .arg(hostile_graph())
                .output()
                .unwrap(),
        )
    };
    let msg = run(&["--format", "csv", "-o", "x.csv"]);
    assert!(
        msg.contains("format csv writes 2 files (nodes.csv, edges.csv): give --out DIR"),
        "{msg}"
    );
    let msg = run(&["--format", "json"]);
    assert!(msg.contains("--out DIR, or -o FILE"), "{msg}");
    let msg = run(&["--format", "json", "--out", "d", "-o", "f.json"]);
    assert!(msg.contains("cannot be used with"), "{msg}");
    t.write("file", "x");
    let msg = run(&["--format", "json", "--out", "file"]);
    assert!(
        msg.contains("file: exists and is not a directory (choose another --out)"),
        "{msg}"
    );
    std::fs::create_dir_all(t.join("a-dir")).unwrap();
    let msg = run(&["--format", "json", "-o", "a-dir"]);
    assert!(msg.contains("is a directory"), "{msg}");
    assert_eq!(
        t.listing(),
        [PathBuf::from("a-dir"), PathBuf::from("file")],
        "nothing written"
    );
}

#[test]
fn export_bad_graph_file_names_it() {
    let t = TestDir::new();
    let msg = fails(
        t.entgraph()
            .args([
                "export",
                "--format",
                "json",
                "--out",
                "out",
                "--graph",
                "missing.json",
            ])
            .output()
            .unwrap(),
    );
    assert!(msg.starts_with("entgraph: missing.json: "), "{msg}");
    t.write("bad.json", "{\"nodes\": 3}");
    let msg = fails(
        t.entgraph()
            .args([
                "export", "--format", "json", "--out", "out", "--graph", "bad.json",
            ])
            .output()
            .unwrap(),
    );
    assert!(
        msg.starts_with("entgraph: bad.json: not an entgraph graph.json"),
        "{msg}"
    );
    t.write(
        "dangling.json",
        r#"{"directed":false,"multigraph":false,"graph":{"window":"sentence","documents":0,"mentions":0,"min_weight":1},
            "nodes":[],"links":[{"source":"a","target":"b","weight":1,"evidence":[]}]}"#,
    );
    let msg = fails(
        t.entgraph()
            .args([
                "export",
                "--format",
                "json",
                "--out",
                "out",
                "--graph",
                "dangling.json",
            ])
            .output()
            .unwrap(),
    );
    assert!(
        msg.contains("dangling.json: edge names unknown node 'a'"),
        "{msg}"
    );
    assert!(!t.join("out").exists(), "nothing written");
}

#[test]
fn export_applies_drawing_filters_to_any_format() {
    let t = TestDir::new();
    let built = t.build("out", seed_args());
    let graph = built.dir.join("graph.json");
    let whole: GraphJson = read_json(&graph);
    let out = t.join("top.json");
    ok(t.entgraph()
        .args(["export", "--format", "json", "--top", "3", "--graph"])
        .arg(&graph)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap());
    let top: GraphJson = read_json(&out);
    assert_eq!(top.nodes.len(), 3);
    assert!(whole.nodes.len() > 3);
    assert!(
        top.node("person:tom-cruise").is_some(),
        "the hub is among the top 3"
    );
}

#[test]
fn export_min_weight_matches_build_min_weight() {
    // The same filter on both commands: a saved graph thinned by export is the graph built thinner.
    let t = TestDir::new();
    let all = t.build("all", [seeds_dir()]);
    let strong = t.build(
        "strong",
        [
            seeds_dir().into_os_string(),
            "--min-weight".into(),
            "2".into(),
        ],
    );
    ok(t.entgraph()
        .arg("export")
        .arg("--graph")
        .arg(all.dir.join("graph.json"))
        .args(["--format", "json", "--min-weight", "2", "-o", "thin.json"])
        .output()
        .unwrap());
    // The same graph; only the set id differs (it names the options of the build that made it).
    let without_set = |path: &std::path::Path| {
        let mut v: serde_json::Value =
            serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        v["graph"].as_object_mut().unwrap().remove("set");
        v
    };
    assert_eq!(
        without_set(&t.join("thin.json")),
        without_set(&strong.dir.join("graph.json"))
    );
    // With the drawing filters too, export draws what build draws.
    let drawn = t.build(
        "drawn",
        [
            seeds_dir().into_os_string(),
            "--min-weight".into(),
            "2".into(),
            "--top".into(),
            "5".into(),
        ],
    );
    let out = ok(t
        .entgraph()
        .arg("export")
        .arg("--graph")
        .arg(all.dir.join("graph.json"))
        .args([
            "--format",
            "dot",
            "--min-weight",
            "2",
            "--top",
            "5",
            "-o",
            "-",
        ])
        .output()
        .unwrap());
    assert!(out.stdout == std::fs::read(drawn.dir.join("graph.dot")).unwrap());
}
