//! The outputs as other tools read them: Graphviz renders graph.dot, networkx loads graph.json, and
//! Python's own `json` and string slicing accept mentions.jsonl. Each test skips with a note when
//! its tool is missing, unless ENTGRAPH_REQUIRE_TOOLS=1.

use std::path::Path;
use std::process::Command as Std;

use crate::util::*;

fn build_seeds(t: &TestDir) -> Built {
    t.build("seeds", seed_args())
}

fn build_hostile(t: &TestDir) -> Built {
    t.build(
        "hostile",
        [
            fixture("hostile-names/names.txt").as_os_str(),
            "--dict".as_ref(),
            fixture("hostile-names/dict").as_os_str(),
            "--no-rules".as_ref(),
        ],
    )
}

fn build_offsets(t: &TestDir) -> Built {
    t.build(
        "offsets",
        [
            fixture("offsets/crlf-bom.txt").as_os_str(),
            "--dict".as_ref(),
            fixture("offsets/dict").as_os_str(),
            "--no-rules".as_ref(),
        ],
    )
}

/// Runs `dot -T<format> graph.dot`, asserting success; returns stdout.
fn dot(format: &str, graph: &Path) -> String {
    let out = Std::new("dot")
        .arg(format!("-T{format}"))
        .arg(graph)
        .output()
        .expect("run dot");
    assert!(
        out.status.success(),
        "dot -T{format} {} failed: {}",
        graph.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("dot writes UTF-8")
}

/// Renders graph.dot to SVG and checks it has one node group per JSON node and one edge group per link.
fn check_svg(b: &Built) {
    let svg = dot("svg", &b.dir.join("graph.dot"));
    assert!(svg.contains("<svg"), "an SVG document");
    let g = b.graph();
    assert_eq!(
        svg.matches("class=\"node\"").count(),
        g.nodes.len(),
        "SVG nodes vs graph.json"
    );
    assert_eq!(
        svg.matches("class=\"edge\"").count(),
        g.links.len(),
        "SVG edges vs graph.json"
    );
}

#[test]
fn validators_dot_renders_seeds() {
    if !have_dot() {
        return skip(
            "validators_dot_renders_seeds",
            "Graphviz 'dot' is not on PATH",
        );
    }
    let t = TestDir::new();
    check_svg(&build_seeds(&t));
}

#[derive(serde::Deserialize)]
struct DotJson {
    #[serde(default)]
    objects: Vec<DotJsonObject>,
    #[serde(default)]
    edges: Vec<serde_json::Value>,
}

#[derive(serde::Deserialize)]
struct DotJsonObject {
    name: String,
    label: Option<String>,
}

#[test]
fn validators_dot_renders_hostile_names() {
    if !have_dot() {
        return skip(
            "validators_dot_renders_hostile_names",
            "Graphviz 'dot' is not on PATH",
        );
    }
    let t = TestDir::new();
    let b = build_hostile(&t);
    check_svg(&b);
    // Graphviz reads back every id and label exactly (labels are escStrings: `\\` is one backslash).
    let parsed: DotJson =
        serde_json::from_str(&dot("json", &b.dir.join("graph.dot"))).expect("dot -Tjson output");
    let g = b.graph();
    let mut got: Vec<(String, String)> = parsed
        .objects
        .iter()
        .map(|o| {
            (
                o.name.clone(),
                unescape_esc_string(o.label.as_deref().unwrap_or("")),
            )
        })
        .collect();
    let mut want: Vec<(String, String)> = g
        .nodes
        .iter()
        .map(|n| (n.id.clone(), n.label.clone()))
        .collect();
    got.sort();
    want.sort();
    assert_eq!(got, want, "ids and labels as Graphviz reads them");
    assert_eq!(parsed.edges.len(), g.links.len());
}

const NETWORKX_CHECK: &str = r#"
import json, sys
import networkx as nx
path = sys.argv[1]
with open(path, encoding="utf-8") as f:
    data = json.load(f)
G = nx.node_link_graph(data, edges="links")
first_node = data["nodes"][0]["id"] if data["nodes"] else None
first_link = data["links"][0] if data["links"] else None
print(json.dumps({
    "directed": G.is_directed(),
    "multigraph": G.is_multigraph(),
    "nodes": G.number_of_nodes(),
    "edges": G.number_of_edges(),
    "first_node": first_node,
    "first_node_type": G.nodes[first_node]["type"] if first_node else None,
    "first_node_label": G.nodes[first_node]["label"] if first_node else None,
    "first_link_weight": G.edges[first_link["source"], first_link["target"]]["weight"] if first_link else None,
    "total_weight": G.size(weight="weight"),
    "components": nx.number_connected_components(G),
}))
"#;

#[derive(Debug, serde::Deserialize)]
struct NetworkxReport {
    directed: bool,
    multigraph: bool,
    nodes: usize,
    edges: usize,
    first_node: Option<String>,
    first_node_type: Option<String>,
    first_node_label: Option<String>,
    first_link_weight: Option<u64>,
    total_weight: f64,
    components: usize,
}

fn check_networkx(py: &Path, b: &Built) {
    let out = Std::new(py)
        .arg("-c")
        .arg(NETWORKX_CHECK)
        .arg(b.dir.join("graph.json"))
        .output()
        .expect("run ENTGRAPH_PYTHON");
    assert!(
        out.status.success(),
        "networkx could not load graph.json: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: NetworkxReport = serde_json::from_slice(&out.stdout).expect("the check prints JSON");
    let g = b.graph();
    assert!(!r.directed && !r.multigraph, "{r:?}");
    assert_eq!(
        (r.nodes, r.edges),
        (g.nodes.len(), g.links.len()),
        "node and edge counts, networkx vs graph.json"
    );
    assert_eq!(
        r.first_node.as_deref(),
        g.nodes.first().map(|n| n.id.as_str())
    );
    assert_eq!(
        r.first_node_type.as_deref(),
        g.nodes.first().map(|n| n.kind.as_str())
    );
    assert_eq!(
        r.first_node_label.as_deref(),
        g.nodes.first().map(|n| n.label.as_str())
    );
    assert_eq!(r.first_link_weight, g.links.first().map(|l| l.weight));
    assert_eq!(
        r.total_weight,
        g.links.iter().map(|l| l.weight as f64).sum::<f64>()
    );
    assert!(r.components >= 1 || g.nodes.is_empty());
}

#[test]
fn validators_networkx_reads_graph_json() {
    let Some(py) = python() else {
        return skip(
            "validators_networkx_reads_graph_json",
            "ENTGRAPH_PYTHON (a Python with networkx) is not set",
        );
    };
    let t = TestDir::new();
    check_networkx(&py, &build_seeds(&t));
    check_networkx(&py, &build_hostile(&t));
}

/// Python's json module parses every line, each has exactly the documented fields, and
/// `text[start:end]` of the document (read with `newline=""`, so CRLF and a BOM stay) is `text`.
const JSONL_CHECK: &str = r#"
import json, sys
FIELDS = {"doc", "start", "end", "text", "entity", "id", "type", "source"}
docs = {}
n = 0
with open(sys.argv[1], encoding="utf-8", newline="") as f:
    for i, line in enumerate(f, 1):
        rec = json.loads(line)
        assert set(rec) == FIELDS, (i, sorted(rec))
        if rec["doc"] not in docs:
            with open(rec["doc"], encoding="utf-8", newline="") as d:
                docs[rec["doc"]] = d.read()
        got = docs[rec["doc"]][rec["start"]:rec["end"]]
        assert got == rec["text"], (i, got, rec)
        n += 1
print(n)
"#;

fn check_jsonl(py: &Path, b: &Built) {
    let out = Std::new(py)
        .arg("-c")
        .arg(JSONL_CHECK)
        .arg(b.dir.join("mentions.jsonl"))
        .output()
        .expect("run ENTGRAPH_PYTHON");
    assert!(
        out.status.success(),
        "Python rejected mentions.jsonl: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let n: usize = String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .expect("a count");
    assert_eq!(n, b.mentions().len());
    assert!(n > 0);
}

#[test]
fn validators_python_reads_mentions_jsonl() {
    let Some(py) = python() else {
        return skip(
            "validators_python_reads_mentions_jsonl",
            "ENTGRAPH_PYTHON is not set",
        );
    };
    let t = TestDir::new();
    check_jsonl(&py, &build_seeds(&t));
    check_jsonl(&py, &build_hostile(&t));
    check_jsonl(&py, &build_offsets(&t));
}
