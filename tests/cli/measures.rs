//! Which links matter: the association scores recomputed by Python from graph.json's counts, the
//! disparity filter against a Python reference, the communities read back by networkx and igraph
//! (connected, modularity close to igraph's Leiden), the same bytes on one thread and two, and the
//! default limits of a picture.

use std::path::Path;
use std::process::Command as Std;

use crate::util::*;

/// Recomputes npmi, dice and llr from the counts of each graph.json given, with Python's `math`
/// (llr by the entropy form 2 (Σ n ln n over the table − rows − columns + N ln N), another route
/// than entgraph's Σ O ln(O/E)); prints the largest absolute difference and the number of links.
const SCORES_CHECK: &str = r#"
import json, math, sys
def xlogx(v):
    return v * math.log(v) if v > 0 else 0.0
worst, links = 0.0, 0
for path in sys.argv[1:]:
    g = json.load(open(path, encoding="utf-8"))
    N = g["graph"]["windows"]
    n = {node["id"]: node["windows"] for node in g["nodes"]}
    for l in g["links"]:
        a, x, y = l["weight"], n[l["source"]], n[l["target"]]
        if a == N:
            npmi = 1.0
        else:
            pxy = a / N
            npmi = (math.log(pxy) - math.log(x / N) - math.log(y / N)) / -math.log(pxy)
        dice = 2 * a / (x + y)
        table = xlogx(a) + xlogx(x - a) + xlogx(y - a) + xlogx(N - x - y + a)
        margins = xlogx(x) + xlogx(N - x) + xlogx(y) + xlogx(N - y)
        llr = max(2 * (table - margins + xlogx(N)), 0.0)
        for key, want in (("npmi", npmi), ("dice", dice), ("llr", llr)):
            worst = max(worst, abs(l[key] - want))
        links += 1
print(json.dumps({"max_abs_diff": worst, "links": links}))
"#;

fn run_python(py: &Path, script: &str, args: &[&Path]) -> serde_json::Value {
    let out = Std::new(py)
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("run ENTGRAPH_PYTHON");
    assert!(
        out.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the check prints JSON")
}

#[test]
fn measures_python_recomputes_scores_from_counts() {
    let Some(py) = python() else {
        return skip(
            "measures_python_recomputes_scores_from_counts",
            "ENTGRAPH_PYTHON is not set",
        );
    };
    let t = TestDir::new();
    let mut graphs = vec![t.build("seeds", seed_args()).dir.join("graph.json")];
    let mut paragraphs = seed_args();
    paragraphs.extend(["--window".into(), "paragraph".into()]);
    graphs.push(t.build("para", paragraphs).dir.join("graph.json"));
    for set in ["validation", "validation-2"] {
        let mut args = vec![fixture(&format!("{set}/docs")).into_os_string()];
        args.extend(seed_dict_args());
        graphs.push(t.build(set, args).dir.join("graph.json"));
    }
    let paths: Vec<&Path> = graphs.iter().map(|p| p.as_path()).collect();
    let r = run_python(&py, SCORES_CHECK, &paths);
    let worst = r["max_abs_diff"].as_f64().unwrap();
    assert!(r["links"].as_u64().unwrap() > 500, "{r}");
    assert!(worst <= 1e-9, "scores differ from Python's by {worst}");
}

/// A weighted graph of 1,500 nodes and about 8,000 edges (a few hubs, many light edges), as
/// graph.json with consistent window counts.
fn generated_graph() -> serde_json::Value {
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let n = 1500u64;
    let mut pairs = std::collections::BTreeMap::new();
    while pairs.len() < 8000 {
        // Skewed ends: low ids are hubs.
        let a = (next() % n) * (next() % n) / n;
        let b = next() % n;
        if a == b {
            continue;
        }
        let w = 1 + (next() % 1000).pow(2) / 20_000 + (next() % 3);
        pairs.insert((a.min(b), a.max(b)), w);
    }
    // Each entity in as many windows as its heaviest edge, plus a few alone: NPMI spreads over
    // (0, 1].
    let mut windows: Vec<u64> = (0..n).map(|i| i % 4).collect();
    let mut heaviest = vec![0u64; n as usize];
    for (&(a, b), &w) in &pairs {
        heaviest[a as usize] = heaviest[a as usize].max(w);
        heaviest[b as usize] = heaviest[b as usize].max(w);
    }
    for (w, h) in windows.iter_mut().zip(&heaviest) {
        *w += h;
    }
    let id = |i: u64| format!("t:n{i:05}");
    let nodes: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            serde_json::json!({"id": id(i), "label": id(i), "type": "t", "mentions": 1,
                "windows": windows[i as usize], "documents": [], "aliases": []})
        })
        .collect();
    let links: Vec<serde_json::Value> = pairs
        .iter()
        .map(|(&(a, b), &w)| {
            serde_json::json!({"source": id(a), "target": id(b), "weight": w, "evidence": []})
        })
        .collect();
    let total: u64 = windows.iter().sum::<u64>();
    serde_json::json!({"directed": false, "multigraph": false,
        "graph": {"window": "sentence", "documents": 1, "mentions": 0, "min_weight": 1, "windows": total},
        "nodes": nodes, "links": links})
}

/// The disparity filter as the paper states it, on the weights of the input graph.json (argv 1)
/// under the measure (argv 3: count or npmi, npmi recomputed from the counts, negative as 0), at
/// ALPHA (argv 4); prints how many edges it keeps and whether they are exactly those of argv 2.
const BACKBONE_CHECK: &str = r#"
import json, math, sys
from collections import defaultdict
g = json.load(open(sys.argv[1]))
kept = json.load(open(sys.argv[2]))
measure, alpha = sys.argv[3], float(sys.argv[4])
N = g["graph"]["windows"]
n = {v["id"]: v["windows"] for v in g["nodes"]}
def score(l):
    if measure == "count":
        return float(l["weight"])
    a, x, y = l["weight"], n[l["source"]], n[l["target"]]
    pxy = a / N
    return max((math.log(pxy) - math.log(x / N) - math.log(y / N)) / -math.log(pxy), 0.0)
w = {(l["source"], l["target"]): score(l) for l in g["links"]}
s, k = defaultdict(float), defaultdict(int)
for (u, v), x in w.items():
    if x > 0:
        for e in (u, v):
            s[e] += x
            k[e] += 1
def significant(node, x):
    return (1 - x / s[node]) ** (k[node] - 1) < alpha
want = {e for e, x in w.items() if x > 0 and (significant(e[0], x) or significant(e[1], x))}
got = {(l["source"], l["target"]) for l in kept["links"]}
print(json.dumps({"edges": len(w), "kept": len(want), "same": want == got,
                  "missing": len(want - got), "extra": len(got - want)}))
"#;

#[test]
fn measures_backbone_keeps_what_the_reference_keeps() {
    let Some(py) = python() else {
        return skip(
            "measures_backbone_keeps_what_the_reference_keeps",
            "ENTGRAPH_PYTHON is not set",
        );
    };
    let t = TestDir::new();
    let input = t.write("in.json", serde_json::to_vec(&generated_graph()).unwrap());
    for (measure, alpha) in [("count", "0.05"), ("count", "0.3"), ("npmi", "0.3")] {
        let out = t.join(format!("kept-{measure}-{alpha}.json"));
        ok(t.entgraph()
            .args(["export", "--format", "json", "--graph"])
            .arg(&input)
            .arg("-o")
            .arg(&out)
            .args(["--measure", measure, "--backbone", alpha])
            .output()
            .unwrap());
        let r = run_python(
            &py,
            BACKBONE_CHECK,
            &[&input, &out, measure.as_ref(), alpha.as_ref()],
        );
        assert!(r["edges"].as_u64().unwrap() >= 5000, "{r}");
        assert!(r["kept"].as_u64().unwrap() > 100, "{measure} {alpha}: {r}");
        assert_eq!(r["same"], true, "{measure} {alpha}: {r}");
    }
}

/// Reads graph.json with networkx: every community connected; the modularity of entgraph's
/// partition (networkx, weight = windows shared) and igraph's Leiden on the same weighted graph,
/// best of 5 seeds.
const COMMUNITY_CHECK: &str = r#"
import json, sys
import networkx as nx
import igraph as ig
data = json.load(open(sys.argv[1]))
g = nx.node_link_graph(data, edges="links")
groups = {}
for v, c in g.nodes(data="community"):
    groups.setdefault(c, set()).add(v)
connected = all(nx.is_connected(g.subgraph(m)) for m in groups.values())
ours = nx.community.modularity(g, groups.values(), weight="weight")
ids = list(g.nodes())
index = {v: i for i, v in enumerate(ids)}
h = ig.Graph(n=len(ids), edges=[(index[u], index[v]) for u, v in g.edges()])
h.es["weight"] = [float(w) for _, _, w in g.edges(data="weight")]
import random
ig.set_random_number_generator(random)
best = -1.0
for s in range(5):
    random.seed(s)
    p = h.community_leiden(objective_function="modularity", weights="weight", n_iterations=-1)
    best = max(best, h.modularity(p.membership, weights="weight"))
print(json.dumps({"connected": connected, "ours": ours, "igraph": best, "communities": len(groups)}))
"#;

#[test]
fn measures_communities_connected_close_to_igraph_and_thread_independent() {
    let t = TestDir::new();
    let mut args = vec![
        fixture("validation/docs").into_os_string(),
        fixture("validation-2/docs").into_os_string(),
        seeds_dir().into_os_string(),
    ];
    args.extend(seed_dict_args());
    let formats = ["--formats", "dot,json,graphml,gexf,cytoscape,csv"];
    let mut one = args.clone();
    one.extend(["--threads".into(), "1".into()]);
    one.extend(formats.map(Into::into));
    let mut two = args.clone();
    two.extend(["--threads".into(), "2".into()]);
    two.extend(formats.map(Into::into));
    let a = t.build("one", one);
    let b = t.build("two", two);
    for f in [
        "graph.dot",
        "graph.json",
        "graph.graphml",
        "graph.gexf",
        "graph.cyjs",
        "nodes.csv",
        "edges.csv",
    ] {
        assert!(
            std::fs::read(a.dir.join(f)).unwrap() == std::fs::read(b.dir.join(f)).unwrap(),
            "{f} differs between 1 and 2 threads"
        );
    }
    let g = a.graph();
    assert!(g.nodes.iter().all(|n| n.community.is_some()));
    let Some(py) = python() else {
        return skip(
            "measures_communities_connected_close_to_igraph_and_thread_independent (networkx, igraph)",
            "ENTGRAPH_PYTHON is not set",
        );
    };
    let r = run_python(&py, COMMUNITY_CHECK, &[&a.dir.join("graph.json")]);
    assert_eq!(r["connected"], true, "{r}");
    let (ours, igraph) = (r["ours"].as_f64().unwrap(), r["igraph"].as_f64().unwrap());
    assert!(
        ours >= 0.98 * igraph,
        "modularity {ours} < 0.98 × igraph's {igraph}"
    );
}

/// A picture of a graph larger than the default cap draws at most 150 entities and about 3 edges
/// each; --top lifts the defaults.
#[test]
fn measures_picture_defaults_cap_nodes_and_edges() {
    if !have_dot() {
        return skip(
            "measures_picture_defaults_cap_nodes_and_edges",
            "Graphviz 'dot' is not on PATH",
        );
    }
    let t = TestDir::new();
    let input = t.write("in.json", serde_json::to_vec(&generated_graph()).unwrap());
    // The summary line names the counts drawn.
    let out = ok(t
        .entgraph()
        .args(["export", "--format", "svg", "--graph"])
        .arg(&input)
        .arg("-o")
        .arg(t.join("g.svg"))
        .output()
        .unwrap());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("(150 entities, "), "{err}");
    let edges: usize = err
        .split("(150 entities, ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|s| s.parse().ok())
        .unwrap();
    assert!((150..=450).contains(&edges), "{edges} edges drawn: {err}");
    let svg = std::fs::read_to_string(t.join("g.svg")).unwrap();
    assert_eq!(svg.matches("class=\"node\"").count(), 150);
}

/// `neighbors --measure npmi` ranks by NPMI (and says it); `connect --strongest --measure llr`
/// finds a path; the default ranking has no score.
#[test]
fn measures_rank_neighbors_and_paths() {
    let t = TestDir::new();
    let b = t.build("seeds", seed_args());
    let graph = b.dir.join("graph.json");
    let run = |args: &[&str]| {
        let out = ok(t
            .entgraph()
            .args(args)
            .arg("--graph")
            .arg(&graph)
            .output()
            .unwrap());
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let scored = run(&[
        "neighbors",
        "McQuarrie",
        "--format",
        "json",
        "--measure",
        "npmi",
    ]);
    let scores: Vec<f64> = scored["neighbors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["score"].as_f64().unwrap())
        .collect();
    assert!(
        scores.len() > 3 && scores.windows(2).all(|w| w[0] >= w[1]),
        "{scores:?}"
    );
    // Recomputed from graph.json's counts for the first one.
    let g = b.graph();
    let top = scored["neighbors"][0]["id"].as_str().unwrap();
    let link = g.link(top, "person:christopher-mcquarrie").unwrap();
    assert!((link.npmi.unwrap() - scores[0]).abs() < 1e-12);
    let plain = run(&["neighbors", "McQuarrie", "--format", "json"]);
    assert!(plain["neighbors"][0].get("score").is_none());
    let path = run(&[
        "connect",
        "McQuarrie",
        "Stade de France",
        "--strongest",
        "--measure",
        "llr",
        "--format",
        "json",
    ]);
    assert!(!path["paths"].as_array().unwrap().is_empty());
}
