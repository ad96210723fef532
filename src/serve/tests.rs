use super::*;
use crate::graph::{Edge, GraphInfo, Link};

fn node(id: &str, label: &str, mentions: u64, aliases: &[&str]) -> Node {
    Node {
        id: id.into(),
        label: label.into(),
        kind: "person".into(),
        mentions,
        windows: 0,
        community: None,
        documents: vec!["d.txt".into()],
        aliases: aliases.iter().map(|s| s.to_string()).collect(),
    }
}

/// An API without a drawing (no Graphviz needed): the page and overview are empty.
fn api() -> Api {
    let nodes = vec![
        node("p:tom", "Tom Cruise", 40, &["Cruise", "Tom"]),
        node("p:mcq", "Christopher McQuarrie", 9, &["McQuarrie"]),
        node("p:tim", "Tim Tomlin", 3, &[]),
        node("p:ann", "Ann Tommy", 3, &[]),
    ];
    let e = |w| Edge {
        weight: w,
        evidence: vec![],
    };
    let links = vec![
        Link::new("p:tom", "p:mcq", e(2)),
        Link::new("p:tom", "p:tim", e(1)),
        Link::new("p:tim", "p:ann", e(1)),
    ];
    let graph = Graph::from_parts(nodes, links, GraphInfo::default()).unwrap();
    let names = Names::new(&graph);
    // ids in order: p:ann, p:mcq, p:tim, p:tom; (label, id) order: Ann, Christopher, Tim, Tom.
    Api {
        graph,
        names,
        title: None,
        page: Vec::new(),
        overview: Vec::new(),
        rank: vec![0, 1, 2, 3],
    }
}

fn json(r: &Response) -> serde_json::Value {
    serde_json::from_slice(&r.body).unwrap()
}

#[test]
fn serve_search_tiers_then_mentions_then_labels() {
    let a = api();
    let labels = |q: &str| -> Vec<String> {
        let r = a.handle("GET", &format!("/api/search?q={q}"));
        assert_eq!(r.status, 200);
        json(&r)["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["label"].as_str().unwrap().to_string())
            .collect()
    };
    // "tom": Tom Cruise's alias whole (1) beats "Tom…" label prefixes (none other) and the word
    // prefixes of Tim Tomlin and Ann Tommy (4, tied on mentions: label order).
    assert_eq!(labels("tom"), ["Tom Cruise", "Ann Tommy", "Tim Tomlin"]);
    assert_eq!(labels("MCQ"), ["Christopher McQuarrie"]);
    assert_eq!(labels("tom+cruise"), ["Tom Cruise"]);
    assert_eq!(labels("%20"), Vec::<String>::new());
    assert_eq!(labels("zz"), Vec::<String>::new());
}

#[test]
fn serve_errors_are_4xx_json() {
    let a = api();
    // (target, status, part of the message)
    let cases = [
        ("/api/nothing", 404, "not found"),
        ("/etc/passwd", 404, "not found"),
        ("/api/search?q=%g1", 400, "percent-encoding"),
        ("/api/search?q=%c3%28", 400, "not UTF-8"),
        ("/api/search?q=a&limit=0", 400, "'limit'"),
        ("/api/search?q=a&limit=x", 400, "'limit'"),
        ("/api/search?what=a", 400, "unknown parameter 'what'"),
        ("/api/entity", 400, "missing parameter 'id'"),
        ("/api/entity?id=Nobody", 404, "no entity named"),
        ("/api/entity?id=T", 400, "names 2 entities"),
        ("/api/neighbors?id=tom&depth=4", 400, "'depth'"),
        ("/api/connect?from=tom&to=Cruise", 400, "same entity"),
        ("/api/connect?from=tom&to=ann&paths=21", 400, "'paths'"),
        ("/api/connect?from=tom&to=ann&max_hops=0", 400, "'max_hops'"),
        (
            "/api/connect?from=tom&to=ann&strongest=yes",
            400,
            "'strongest'",
        ),
        (
            "/api/connect?from=tom&to=ann&exclude=tom",
            400,
            "an end of the path",
        ),
        ("/api/evidence?source=tom&target=ann", 404, "no link"),
    ];
    for (target, status, part) in cases {
        let r = a.handle("GET", target);
        assert_eq!(r.status, status, "{target}");
        assert_eq!(r.content_type, "application/json");
        let msg = json(&r)["error"].as_str().unwrap().to_string();
        assert!(msg.contains(part), "{target}: {msg}");
    }
    assert_eq!(a.handle("POST", "/api/search?q=a").status, 405);
    let long = format!("/api/search?q={}", "a".repeat(MAX_TARGET));
    assert_eq!(a.handle("GET", &long).status, 414);
    // Candidates come with an ambiguous name.
    let r = json(&a.handle("GET", "/api/entity?id=T"));
    assert_eq!(r["candidates"].as_array().unwrap().len(), 2);
}

#[test]
fn serve_answers() {
    let a = api();
    let e = json(&a.handle("GET", "/api/entity?id=tom&links=1"));
    assert_eq!(
        (e["id"].as_str(), e["degree"].as_u64()),
        (Some("p:tom"), Some(2))
    );
    assert_eq!(e["links"].as_array().unwrap().len(), 1);
    assert_eq!(e["links"][0]["label"], "Christopher McQuarrie");
    let n = json(&a.handle("GET", "/api/neighbors?id=McQuarrie&depth=3"));
    let ids: Vec<&str> = n["neighbors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["p:tom", "p:tim", "p:ann"]);
    let c = json(&a.handle("GET", "/api/connect?from=McQuarrie&to=Ann%20Tommy"));
    assert_eq!(c["total"], 1);
    assert_eq!(
        c["paths"][0]["nodes"],
        serde_json::json!(["p:mcq", "p:tom", "p:tim", "p:ann"])
    );
    let none = json(&a.handle(
        "GET",
        "/api/connect?from=McQuarrie&to=Ann%20Tommy&exclude=Tim%20Tomlin",
    ));
    assert_eq!(none["paths"], serde_json::json!([]));
    let ev = json(&a.handle("GET", "/api/evidence?source=Tim%20Tomlin&target=tom"));
    assert_eq!(
        (ev["source"].as_str(), ev["target"].as_str()),
        (Some("p:tim"), Some("p:tom"))
    );
}

#[test]
fn serve_near_is_neighbors() {
    // Random graphs: the shortcut gives what the full search gives, for every top and depth.
    let mut seed = 11u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for round in 0..30 {
        let n = 6 + (next() % 20) as usize;
        let nodes: Vec<Node> = (0..n)
            .map(|i| Node {
                kind: if i % 3 == 0 {
                    "place".into()
                } else {
                    "person".into()
                },
                ..node(&format!("p:{i:02}"), &format!("N{}", i % 5), 1, &[])
            })
            .collect();
        let mut links = Vec::new();
        for a in 0..n {
            for b in a + 1..n {
                if next() % 4 == 0 {
                    links.push(Link::new(
                        format!("p:{a:02}"),
                        format!("p:{b:02}"),
                        Edge {
                            weight: 1 + next() % 3,
                            evidence: vec![],
                        },
                    ));
                }
            }
        }
        let g = Graph::from_parts(nodes, links, GraphInfo::default()).unwrap();
        for depth in 1..=3 {
            for top in [1, 2, 3, 5, 50] {
                for kind in [None, Some("place".to_string())] {
                    let o = NeighborOptions {
                        depth,
                        kind: kind.clone(),
                        top: Some(top),
                    };
                    let c = NodeIndex::new(0);
                    assert_eq!(
                        near(&g, c, &o),
                        neighbors(&g, c, &o),
                        "round {round} depth {depth} top {top} {kind:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn serve_search_finds_every_occurrence() {
    // A query found inside a name that also holds it earlier (the word start comes second), and
    // in names next to each other in the buffer.
    let a = api();
    let r = json(&a.handle("GET", "/api/search?q=om"));
    assert_eq!(r["results"], serde_json::json!([]));
    let r = json(&a.handle("GET", "/api/search?q=t"));
    let labels: Vec<&str> = r["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["Tom Cruise", "Tim Tomlin", "Ann Tommy"]);
    let r = json(&a.handle("GET", "/api/search?q=e%0Ac"));
    assert_eq!(r["results"], serde_json::json!([]));
}
