//! `entgraph connect`, `neighbors` and `stats`, and the drawing filters of `build` (`--top`,
//! `--types`, `--ego`): on the seeds and on `tests/fixtures/query/` (a small graph whose paths are
//! known, see its README). JSON output is decoded into the typed structs below, which reject
//! unknown fields, so they are the documented shape.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Output;

use serde::Deserialize;

use crate::util::*;

// ---- the documented JSON shapes ----

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConnectJson {
    from: End,
    to: End,
    paths: Vec<PathJson>,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
struct End {
    id: String,
    label: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PathJson {
    nodes: Vec<String>,
    labels: Vec<String>,
    hops: usize,
    weight: u64,
    edges: Vec<HopJson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct HopJson {
    source: String,
    target: String,
    weight: u64,
    evidence: Vec<HopEvidence>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct HopEvidence {
    doc: String,
    text: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NeighborsJson {
    entity: Entity,
    depth: usize,
    neighbors: Vec<NeighborJson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entity {
    id: String,
    label: String,
    #[serde(rename = "type")]
    kind: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NeighborJson {
    id: String,
    label: String,
    #[serde(rename = "type")]
    kind: String,
    distance: usize,
    weight: u64,
    evidence: usize,
    path: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StatsJson {
    documents: u64,
    mentions: u64,
    entities: usize,
    types: BTreeMap<String, usize>,
    edges: usize,
    total_weight: u64,
    components: usize,
    largest_component: usize,
    isolated: usize,
    betweenness: BetweennessJson,
    top: BTreeMap<String, Vec<RankedJson>>,
    communities: serde_json::Value,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct BetweennessJson {
    exact: bool,
    samples: Option<usize>,
    seed: Option<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RankedJson {
    id: String,
    label: String,
    #[serde(rename = "type")]
    kind: String,
    degree: usize,
    weighted_degree: u64,
    pagerank: f64,
    betweenness: f64,
}

// ---- helpers ----

const TOM: &str = "person:tom-cruise";
const MCQ: &str = "person:christopher-mcquarrie";
const STADE: &str = "place:stade-de-france";

/// Builds the seeds into `out/` and returns the path of its graph.json.
fn seeds_graph(t: &TestDir) -> PathBuf {
    t.build("out", seed_args()).dir.join("graph.json")
}

/// Builds `tests/fixtures/query` into `small/` and returns the path of its graph.json.
fn small_graph(t: &TestDir) -> PathBuf {
    let dict = fixture("query/dict");
    t.build(
        "small",
        [
            fixture("query/docs").into_os_string(),
            "--dict".into(),
            dict.into_os_string(),
            "--no-rules".into(),
        ],
    )
    .dir
    .join("graph.json")
}

/// Runs `entgraph ARGS --graph GRAPH`.
fn run(t: &TestDir, graph: &std::path::Path, args: &[&str]) -> Output {
    t.entgraph()
        .args(args)
        .arg("--graph")
        .arg(graph)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn connect_json(t: &TestDir, graph: &std::path::Path, args: &[&str]) -> (ConnectJson, i32) {
    let mut all = vec!["connect"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let o = run(t, graph, &all);
    let code = o.status.code().unwrap();
    let json = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("connect JSON: {e}\n{}\n{}", stdout(&o), stderr(&o)));
    (json, code)
}

/// Asserts a run exited 1 with nothing but one `entgraph: ` line on stderr; returns that line.
fn nothing_found(o: &Output) -> String {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(1), "exit code 1; stderr: {err}");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "one line on stderr: {err:?}");
    assert!(lines[0].starts_with("entgraph: "), "{err:?}");
    lines[0].to_string()
}

/// The middle nodes of each path, joined by `+`.
fn middles(j: &ConnectJson) -> Vec<String> {
    j.paths
        .iter()
        .map(|p| p.labels[1..p.labels.len() - 1].join("+"))
        .collect()
}

// ---- connect on the seeds ----

#[test]
fn query_connect_mcquarrie_stade_de_france_through_tom_cruise() {
    let t = TestDir::new();
    let graph = seeds_graph(&t);
    let o = ok(run(
        &t,
        &graph,
        &["connect", "McQuarrie", "Stade de France"],
    ));
    let text = stdout(&o);
    assert!(
        text.starts_with("Christopher McQuarrie → Stade de France: "),
        "{text}"
    );
    assert!(
        text.contains("1. Christopher McQuarrie — Tom Cruise — Stade de France"),
        "{text}"
    );
    // each hop prints its weight and one evidence sentence with the two names marked
    assert!(
        text.contains("Christopher McQuarrie — Tom Cruise  (weight "),
        "{text}"
    );
    assert!(
        text.contains("Tom Cruise — Stade de France  (weight "),
        "{text}"
    );
    assert!(text.contains("«McQuarrie»"), "{text}");
    assert!(text.contains("«Stade de France»"), "{text}");
    assert!(text.contains("seeds/"), "the document is named: {text}");

    // the same in JSON, and every evidence sentence is one the graph keeps for that edge
    let (j, code) = connect_json(&t, &graph, &["McQuarrie", "Stade de France"]);
    assert_eq!(code, 0);
    let g: GraphJson = read_json(&graph);
    assert_eq!(
        j.from,
        End {
            id: MCQ.into(),
            label: "Christopher McQuarrie".into()
        }
    );
    assert_eq!(j.to.id, STADE);
    let best = &j.paths[0];
    assert_eq!(best.nodes, [MCQ, TOM, STADE]);
    assert_eq!(best.labels.len(), best.nodes.len());
    assert_eq!(best.hops, 2);
    assert_eq!(best.edges.len(), 2);
    assert_eq!(
        best.weight,
        best.edges.iter().map(|e| e.weight).sum::<u64>()
    );
    for (i, e) in best.edges.iter().enumerate() {
        assert_eq!((&e.source, &e.target), (&best.nodes[i], &best.nodes[i + 1]));
        let link = g.link(&e.source, &e.target).expect("the hop is an edge");
        assert_eq!(e.weight, link.weight);
        assert!(!e.evidence.is_empty());
        for (ev, kept) in e.evidence.iter().zip(&link.evidence) {
            assert_eq!((&ev.doc, &ev.text), (&kept.doc, &kept.text));
        }
    }
}

#[test]
fn query_connect_nrk_simone_biles_built_on_the_fly() {
    let t = TestDir::new();
    // no --graph: INPUT (the seeds) is built with the same options as `build`
    let mut args: Vec<std::ffi::OsString> =
        vec!["connect".into(), "NRK".into(), "Simone Biles".into()];
    args.extend(seed_args());
    args.extend(["--format".into(), "json".into()]);
    let o = ok(t.entgraph().args(&args).output().unwrap());
    let j: ConnectJson = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(j.from.id, "organization:nrk");
    assert_eq!(j.to.id, "person:simone-biles");
    assert!(!j.paths.is_empty());
    for p in &j.paths {
        assert!(p.hops >= 1);
        assert_eq!(
            p.nodes.first().map(String::as_str),
            Some("organization:nrk")
        );
        assert_eq!(
            p.nodes.last().map(String::as_str),
            Some("person:simone-biles")
        );
        assert!(p.edges.iter().all(|e| !e.evidence.is_empty()));
    }
    // nothing was written: the graph was only built in memory
    assert!(t.listing().is_empty(), "{:?}", t.listing());
}

#[test]
fn query_connect_exclude_avoids_the_hub() {
    let t = TestDir::new();
    let graph = seeds_graph(&t);
    // Every link from McQuarrie's side to the Olympics goes through Tom Cruise.
    let o = run(
        &t,
        &graph,
        &[
            "connect",
            "McQuarrie",
            "Stade de France",
            "--exclude",
            "Tom Cruise",
        ],
    );
    assert_eq!(
        nothing_found(&o),
        "entgraph: no path between Christopher McQuarrie and Stade de France (avoiding Tom Cruise)"
    );
    assert!(o.stdout.is_empty());
    // Top Gun -> Instagram: the hub Mission: Impossible is on the shortest path; without it the
    // paths are longer and never touch it
    let (all, _) = connect_json(&t, &graph, &["Top Gun", "Instagram"]);
    assert!(
        all.paths[0]
            .nodes
            .contains(&"film:mission-impossible".to_string())
    );
    let (avoid, code) = connect_json(
        &t,
        &graph,
        &["Top Gun", "Instagram", "--exclude", "Mission: Impossible"],
    );
    assert_eq!(code, 0);
    assert!(!avoid.paths.is_empty());
    for p in &avoid.paths {
        assert!(!p.nodes.contains(&"film:mission-impossible".to_string()));
        assert!(p.hops > all.paths[0].hops);
    }
}

#[test]
fn query_connect_strongest_ranks_by_cost() {
    let t = TestDir::new();
    let graph = seeds_graph(&t);
    let (j, code) = connect_json(
        &t,
        &graph,
        &[
            "McQuarrie",
            "Stade de France",
            "--strongest",
            "--paths",
            "4",
        ],
    );
    assert_eq!(code, 0);
    assert_eq!(j.paths.len(), 4);
    let cost = |p: &PathJson| p.edges.iter().map(|e| 1.0 / e.weight as f64).sum::<f64>();
    for w in j.paths.windows(2) {
        assert!(cost(&w[0]) <= cost(&w[1]) + 1e-9, "{:?}", middles(&j));
    }
    // the strongest chain is longer than the shortest path, and stronger
    let (short, _) = connect_json(&t, &graph, &["McQuarrie", "Stade de France"]);
    assert!(cost(&j.paths[0]) < cost(&short.paths[0]));
    let text = stdout(&ok(run(
        &t,
        &graph,
        &["connect", "McQuarrie", "Stade de France", "--strongest"],
    )));
    assert!(text.contains("strongest paths"), "{text}");
    assert!(text.contains(", cost "), "{text}");
}

#[test]
fn query_connect_is_deterministic() {
    let t = TestDir::new();
    let graph = seeds_graph(&t);
    for args in [
        &["connect", "Top Gun", "Instagram", "--strongest"][..],
        &["connect", "Tom", "Paris", "--format", "json"][..],
    ] {
        let a = ok(run(&t, &graph, args)).stdout;
        let b = ok(run(&t, &graph, args)).stdout;
        assert_eq!(a, b, "{args:?}");
    }
}

// ---- connect on the small fixture: ranking, --via, --max-hops, no path ----

#[test]
fn query_connect_ranks_by_weight_then_label() {
    let t = TestDir::new();
    let graph = small_graph(&t);
    let (j, code) = connect_json(&t, &graph, &["Ann Lee", "Cy Moss"]);
    assert_eq!(code, 0);
    assert_eq!(middles(&j), ["Oslo", "Bob Hart", "Red Line"]);
    assert_eq!(
        j.paths.iter().map(|p| p.weight).collect::<Vec<_>>(),
        [3, 2, 2]
    );
    let (one, _) = connect_json(&t, &graph, &["ann", "cy", "--paths", "1"]);
    assert_eq!(middles(&one), ["Oslo"]);
    let text = stdout(&ok(run(&t, &graph, &["connect", "Ann Lee", "Cy Moss"])));
    assert!(
        text.starts_with("Ann Lee → Cy Moss: 3 shortest paths of 2 hops\n"),
        "{text}"
    );
    assert!(
        text.contains("a.txt: «Ann Lee» met Bob Hart in «Oslo».\n"),
        "{text}"
    );
    assert!(
        text.contains("a.txt: «Ann Lee» met «Bob Hart» in Oslo.\n"),
        "{text}"
    );
}

#[test]
fn query_connect_via_type() {
    let t = TestDir::new();
    let graph = small_graph(&t);
    for (via, middle) in [
        ("person", "Bob Hart"),
        ("film", "Red Line"),
        ("place", "Oslo"),
    ] {
        let (j, code) = connect_json(&t, &graph, &["Ann Lee", "Cy Moss", "--via", via]);
        assert_eq!(code, 0, "{via}");
        assert_eq!(middles(&j), [middle], "--via {via}");
    }
    // on the seeds: only people between Top Gun and Instagram makes the path longer
    let t2 = TestDir::new();
    let seeds = seeds_graph(&t2);
    let (j, _) = connect_json(&t2, &seeds, &["Top Gun", "Instagram", "--via", "person"]);
    let g: GraphJson = read_json(&seeds);
    assert!(j.paths[0].hops >= 3);
    for p in &j.paths {
        for id in &p.nodes[1..p.nodes.len() - 1] {
            assert_eq!(g.node(id).unwrap().kind, "person", "{id}");
        }
    }
    let o = run(
        &t,
        &graph,
        &["connect", "Ann Lee", "Cy Moss", "--via", "spaceship"],
    );
    let msg = fails(o);
    assert_eq!(
        msg,
        "entgraph: --via: no entity has type 'spaceship' (types in the graph: film, person, place)"
    );
}

#[test]
fn query_connect_max_hops() {
    let t = TestDir::new();
    let graph = small_graph(&t);
    let o = run(
        &t,
        &graph,
        &["connect", "Ann Lee", "Cy Moss", "--max-hops", "1"],
    );
    assert_eq!(
        nothing_found(&o),
        "entgraph: no path between Ann Lee and Cy Moss (within 1 hop)"
    );
    let (j, _) = connect_json(&t, &graph, &["Ann Lee", "Cy Moss", "--max-hops", "2"]);
    assert_eq!(j.paths.len(), 3);
    // strongest with a hop limit: every path within it
    let (j, _) = connect_json(
        &t,
        &graph,
        &[
            "Ann Lee",
            "Cy Moss",
            "--strongest",
            "--max-hops",
            "2",
            "--paths",
            "9",
        ],
    );
    assert_eq!(j.paths.len(), 3);
    assert!(j.paths.iter().all(|p| p.hops <= 2));
    let (j, _) = connect_json(
        &t,
        &graph,
        &["Ann Lee", "Cy Moss", "--strongest", "--paths", "9"],
    );
    assert!(j.paths.len() > 3 && j.paths.iter().any(|p| p.hops > 2));
}

#[test]
fn query_connect_no_path_exits_1() {
    let t = TestDir::new();
    let graph = small_graph(&t);
    for (a, b, line) in [
        (
            "Ann Lee",
            "Eve Quinn",
            "entgraph: no path between Ann Lee and Eve Quinn",
        ),
        (
            "Ann Lee",
            "Dee Park",
            "entgraph: no path between Ann Lee and Dee Park",
        ),
    ] {
        let o = run(&t, &graph, &["connect", a, b]);
        assert_eq!(nothing_found(&o), line);
        assert!(o.stdout.is_empty(), "no text output");
        // JSON is still printed, with no paths
        let (j, code) = connect_json(&t, &graph, &[a, b]);
        assert_eq!(code, 1);
        assert!(j.paths.is_empty());
        assert_eq!(j.from.label, a);
        assert_eq!(j.to.label, b);
    }
    let o = run(
        &t,
        &graph,
        &["connect", "Ann Lee", "Eve Quinn", "--strongest"],
    );
    nothing_found(&o);
}

// ---- names ----

#[test]
fn query_unknown_name_lists_candidates() {
    let t = TestDir::new();
    let graph = small_graph(&t);
    let msg = fails(run(&t, &graph, &["connect", "Ann Leigh", "Cy Moss"]));
    assert_eq!(
        msg,
        "entgraph: no entity named \"Ann Leigh\"; did you mean: Ann Lee?"
    );
    let msg = fails(run(&t, &graph, &["connect", "Ann Lee", "Zzyzx Qwerty"]));
    assert_eq!(msg, "entgraph: no entity named \"Zzyzx Qwerty\"");
    let seeds = seeds_graph(&t);
    let msg = fails(run(&t, &seeds, &["connect", "Tom Kruz", "Paris"]));
    assert!(
        msg.starts_with("entgraph: no entity named \"Tom Kruz\"; did you mean: Tom Cruise"),
        "{msg}"
    );
    // the same for neighbors and the --ego filter
    let msg = fails(run(&t, &graph, &["neighbors", "Ann Leigh"]));
    assert!(msg.contains("did you mean: Ann Lee?"), "{msg}");
}

#[test]
fn query_ambiguous_prefix_exits_2() {
    let t = TestDir::new();
    let graph = small_graph(&t);
    let msg = fails(run(&t, &graph, &["connect", "B", "Cy Moss"]));
    assert_eq!(
        msg,
        "entgraph: \"B\" names 2 entities; did you mean: Blue Sky, Bob Hart?"
    );
    let seeds = seeds_graph(&t);
    let msg = fails(run(&t, &seeds, &["connect", "Mission", "Tom Cruise"]));
    assert!(
        msg.starts_with(
            "entgraph: \"Mission\" names 6 entities; did you mean: Mission: Impossible, "
        ),
        "{msg}"
    );
}

#[test]
fn query_names_resolve_loosely() {
    let t = TestDir::new();
    let graph = small_graph(&t);
    // case, a word prefix, an alias-free near spelling, an id
    for (a, b) in [
        ("ann lee", "CY MOSS"),
        ("Ann", "Moss"),
        ("Anne Lee", "Cy Mos"),
        ("person:ann-lee", "person:cy-moss"),
    ] {
        let (j, code) = connect_json(&t, &graph, &[a, b]);
        assert_eq!(code, 0, "{a} {b}");
        assert_eq!(
            (j.from.label.as_str(), j.to.label.as_str()),
            ("Ann Lee", "Cy Moss")
        );
    }
}

#[test]
fn query_errors_are_one_line() {
    let t = TestDir::new();
    let graph = small_graph(&t);
    // an end cannot be excluded
    let msg = fails(run(
        &t,
        &graph,
        &["connect", "Ann Lee", "Cy Moss", "--exclude", "Cy"],
    ));
    assert_eq!(
        msg,
        "entgraph: --exclude \"Cy\": Cy Moss is an end of the path, it cannot be avoided"
    );
    let msg = fails(run(&t, &graph, &["connect", "Ann Lee", "ann"]));
    assert!(msg.contains("are the same entity"), "{msg}");
    // no saved graph in the working directory
    let empty = TestDir::new();
    let msg = fails(
        empty
            .entgraph()
            .args(["connect", "A", "B"])
            .output()
            .unwrap(),
    );
    assert_eq!(
        msg,
        "entgraph: output/graph.json: no such file or directory (run `entgraph build` first, or give --graph FILE or INPUT files)"
    );
    // not a graph
    let bad = t.write("bad.json", "{\"nodes\": 3}");
    let msg = fails(run(&t, &bad, &["stats"]));
    assert!(
        msg.starts_with(&format!(
            "entgraph: {}: not an entgraph graph.json",
            bad.display()
        )),
        "{msg}"
    );
    // recognizer options need INPUT
    let msg = fails(run(&t, &graph, &["stats", "--window", "paragraph"]));
    assert_eq!(
        msg,
        "entgraph: --window only apply when building from INPUT files, not to a saved graph"
    );
    // --graph and INPUT together
    let msg = fails(run(&t, &graph, &["stats", "seeds"]));
    assert!(msg.contains("--graph"), "{msg}");
}

// ---- neighbors ----

#[test]
fn query_neighbors_text_and_json() {
    let t = TestDir::new();
    let graph = small_graph(&t);
    let text = stdout(&ok(run(&t, &graph, &["neighbors", "Ann Lee"])));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "Ann Lee (person): 3 entities linked directly");
    assert!(lines[2].starts_with("ENTITY"), "{text}");
    assert!(lines[3].starts_with("Oslo "), "heaviest first: {text}");
    assert_eq!(lines.len(), 6, "{text}");

    let o = ok(run(
        &t,
        &graph,
        &["neighbors", "Ann Lee", "--format", "json"],
    ));
    let j: NeighborsJson = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        (j.entity.id.as_str(), j.entity.label.as_str()),
        ("person:ann-lee", "Ann Lee")
    );
    assert_eq!(j.entity.kind, "person");
    assert_eq!(j.depth, 1);
    let got: Vec<(&str, u64)> = j
        .neighbors
        .iter()
        .map(|n| (n.label.as_str(), n.weight))
        .collect();
    assert_eq!(got, [("Oslo", 2), ("Bob Hart", 1), ("Red Line", 1)]);
    for n in &j.neighbors {
        assert_eq!(n.distance, 1);
        assert_eq!(n.evidence as u64, n.weight);
        assert_eq!(n.path, ["person:ann-lee".to_string(), n.id.clone()]);
    }
    assert_eq!(j.neighbors[0].kind, "place");

    // depth 2 reaches Cy Moss through the heaviest path; --type and --top filter the list
    let o = ok(run(
        &t,
        &graph,
        &["neighbors", "Ann", "--depth", "2", "--format", "json"],
    ));
    let j: NeighborsJson = serde_json::from_slice(&o.stdout).unwrap();
    let cy = j.neighbors.iter().find(|n| n.label == "Cy Moss").unwrap();
    assert_eq!((cy.distance, cy.weight), (2, 3));
    assert_eq!(cy.path, ["person:ann-lee", "place:oslo", "person:cy-moss"]);
    let text = stdout(&ok(run(&t, &graph, &["neighbors", "Ann", "--depth", "2"])));
    assert!(text.contains("HOPS"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.starts_with("2 ") && l.contains("Cy Moss") && l.ends_with("Oslo")),
        "{text}"
    );
    let o = ok(run(
        &t,
        &graph,
        &["neighbors", "Ann", "--type", "person", "--format", "json"],
    ));
    let j: NeighborsJson = serde_json::from_slice(&o.stdout).unwrap();
    assert!(j.neighbors.iter().all(|n| n.kind == "person"));
    assert_eq!(j.neighbors.len(), 1);
    let o = ok(run(
        &t,
        &graph,
        &["neighbors", "Ann", "--top", "2", "--format", "json"],
    ));
    let j: NeighborsJson = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(j.neighbors.len(), 2);

    // nobody near: exit 1, one line
    let o = run(&t, &graph, &["neighbors", "Dee Park"]);
    assert_eq!(
        nothing_found(&o),
        "entgraph: Dee Park has no neighbours within 1 hop"
    );
}

#[test]
fn query_neighbors_seeds_tom_cruise() {
    let t = TestDir::new();
    let graph = seeds_graph(&t);
    let g: GraphJson = read_json(&graph);
    let o = ok(run(
        &t,
        &graph,
        &["neighbors", "Tom Cruise", "--format", "json"],
    ));
    let j: NeighborsJson = serde_json::from_slice(&o.stdout).unwrap();
    let linked = g
        .links
        .iter()
        .filter(|l| l.source == TOM || l.target == TOM)
        .count();
    assert_eq!(j.neighbors.len(), linked);
    for w in j.neighbors.windows(2) {
        assert!(w[0].weight >= w[1].weight, "strongest first");
    }
    for n in &j.neighbors {
        assert_eq!(n.weight, g.link(TOM, &n.id).unwrap().weight);
    }
    assert!(j.neighbors.iter().any(|n| n.id == MCQ));
}

// ---- stats ----

#[test]
fn query_stats_text_and_json() {
    let t = TestDir::new();
    let graph = small_graph(&t);
    let o = ok(run(&t, &graph, &["stats", "--format", "json"]));
    let s: StatsJson = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!((s.documents, s.mentions), (2, 18));
    assert_eq!(s.entities, 10);
    assert_eq!(
        s.types,
        BTreeMap::from([
            ("film".to_string(), 2),
            ("person".to_string(), 6),
            ("place".to_string(), 2)
        ])
    );
    assert_eq!((s.edges, s.total_weight), (12, 13));
    assert_eq!((s.components, s.largest_component, s.isolated), (3, 5, 1));
    assert!(s.betweenness.exact && s.betweenness.samples.is_none() && s.betweenness.seed.is_none());
    assert_eq!(
        s.top.keys().collect::<Vec<_>>(),
        ["betweenness", "degree", "pagerank", "weighted_degree"]
    );
    let deg = &s.top["degree"];
    assert_eq!(deg.len(), 10);
    assert_eq!(deg[0].label, "Bob Hart"); // 4 neighbours
    assert_eq!(
        (deg[0].id.as_str(), deg[0].kind.as_str()),
        ("person:bob-hart", "person")
    );
    assert_eq!(deg[0].degree, 4);
    assert_eq!(s.top["weighted_degree"][0].weighted_degree, 4);
    let pr: f64 = s.top["pagerank"].iter().map(|r| r.pagerank).sum();
    assert!(
        (pr - 1.0).abs() < 1e-9,
        "PageRank sums to 1 over all 10: {pr}"
    );
    assert_eq!(s.top["betweenness"][0].label, "Blue Sky"); // the centre of its star
    assert!(
        s.top["betweenness"]
            .iter()
            .all(|r| (0.0..=1.0).contains(&r.betweenness))
    );

    let text = stdout(&ok(run(&t, &graph, &["stats", "--top", "3"])));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "documents   2");
    assert_eq!(lines[2], "entities    10 (2 film, 6 person, 2 place)");
    assert_eq!(lines[3], "edges       12 (total weight 13)");
    assert_eq!(
        lines[4],
        "components  3 (largest: 5 entities; 1 without edges)"
    );
    for title in [
        "Top 3 by degree",
        "Top 3 by weighted degree",
        "Top 3 by PageRank",
        "Top 3 by betweenness",
    ] {
        assert!(text.contains(title), "{title}: {text}");
    }
}

#[test]
fn query_stats_seeds_match_graph_json() {
    let t = TestDir::new();
    let graph = seeds_graph(&t);
    let g: GraphJson = read_json(&graph);
    let o = ok(run(
        &t,
        &graph,
        &["stats", "--format", "json", "--top", "5"],
    ));
    let s: StatsJson = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(s.documents, 4);
    assert_eq!(s.entities, g.nodes.len());
    assert_eq!(s.edges, g.links.len());
    assert_eq!(s.types.values().sum::<usize>(), g.nodes.len());
    assert_eq!(
        s.total_weight,
        g.links.iter().map(|l| l.weight).sum::<u64>()
    );
    for list in s.top.values() {
        assert_eq!(list.len(), 5);
    }
    assert_eq!(s.top["degree"][0].id, TOM);
    assert_eq!(s.top["betweenness"][0].id, TOM);
    // The communities are graph.json's, the largest first, Tom Cruise's the first.
    let communities: std::collections::BTreeSet<u32> =
        g.nodes.iter().filter_map(|n| n.community).collect();
    assert_eq!(s.communities["count"], communities.len());
    assert_eq!(s.communities["communities"][0]["number"], 1);
    assert_eq!(s.communities["communities"][0]["top"][0], "Tom Cruise");
    let q = s.communities["modularity"].as_f64().unwrap();
    assert!(q > 0.3 && q < 1.0, "modularity {q}");
}

// ---- build filters ----

#[test]
fn query_build_filters_change_the_dot_only() {
    let t = TestDir::new();
    let full = t.build("full", seed_args());
    let g = full.graph();
    let mut args = seed_args();
    args.extend(["--top".into(), "5".into()]);
    let top = t.build("top", &args);
    let dot = top.dot();
    assert_eq!(dot.nodes.len(), 5);
    assert!(dot.nodes.iter().any(|(id, _)| id == TOM));
    for (a, b, _) in &dot.edges {
        assert!(dot.nodes.iter().any(|(id, _)| id == a) && dot.nodes.iter().any(|(id, _)| id == b));
    }
    // graph.json keeps the whole graph; the summary says what the picture leaves out
    assert_eq!(top.graph().node_ids(), g.node_ids());
    assert!(
        top.stderr.contains(&format!(
            "entgraph: graph.dot shows 5 of {} entities",
            g.nodes.len()
        )),
        "{}",
        top.stderr
    );

    let mut args = seed_args();
    args.extend(["--types".into(), "person,film".into()]);
    let typed = t.build("types", &args).dot();
    let kinds: std::collections::BTreeSet<String> = typed
        .nodes
        .iter()
        .map(|(id, _)| typed.node_attr(id, "type").unwrap())
        .collect();
    assert_eq!(kinds, ["film".to_string(), "person".to_string()].into());
    assert_eq!(
        typed.nodes.len(),
        g.nodes
            .iter()
            .filter(|n| n.kind == "person" || n.kind == "film")
            .count()
    );

    let mut args = seed_args();
    args.extend(["--ego".into(), "McQuarrie".into()]);
    let ego = t.build("ego", &args).dot();
    let mut want: std::collections::BTreeSet<String> = g
        .links
        .iter()
        .filter_map(|l| {
            (l.source == MCQ)
                .then(|| l.target.clone())
                .or_else(|| (l.target == MCQ).then(|| l.source.clone()))
        })
        .collect();
    want.insert(MCQ.to_string());
    let got: std::collections::BTreeSet<String> =
        ego.nodes.iter().map(|(id, _)| id.clone()).collect();
    assert_eq!(got, want);

    let mut args = seed_args();
    args.extend([
        "--ego".into(),
        "McQuarrie".into(),
        "--depth".into(),
        "2".into(),
    ]);
    let ego2 = t.build("ego2", &args).dot();
    assert!(ego2.nodes.len() > got.len());
    assert!(
        ego2.nodes.iter().any(|(id, _)| id == STADE),
        "two hops via Tom Cruise"
    );
}

#[test]
fn query_build_filter_errors_write_nothing() {
    let t = TestDir::new();
    let mut args = seed_args();
    args.extend(["--ego".into(), "Nobody Atall".into()]);
    let msg = fails(
        t.entgraph()
            .arg("build")
            .args(&args)
            .args(["--out", "out"])
            .output()
            .unwrap(),
    );
    assert!(
        msg.starts_with("entgraph: no entity named \"Nobody Atall\""),
        "{msg}"
    );
    let msg = fails(
        t.entgraph()
            .args(["build", "--depth", "2", "--out", "out"])
            .args(seed_args())
            .output()
            .unwrap(),
    );
    assert_eq!(
        msg,
        "entgraph: --depth needs --ego NAME (the entity whose neighbourhood is drawn)"
    );
    assert!(t.listing().is_empty(), "{:?}", t.listing());
}
