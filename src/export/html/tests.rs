use super::*;
use crate::export::testgraphs::{pair, person};
use crate::graph::{Edge, GraphInfo, Link, Node};

fn graphviz() -> bool {
    std::process::Command::new("dot")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The JSON data embedded in a page.
fn data_of(page: &[u8]) -> serde_json::Value {
    let page = std::str::from_utf8(page).unwrap();
    let start = page
        .find(r#"<script type="application/json" id="graph-data">"#)
        .unwrap();
    let rest = &page[start..];
    let body = &rest[rest.find('>').unwrap() + 1..rest.find("</script>").unwrap()];
    serde_json::from_str(body).unwrap()
}

#[test]
fn html_json0_read_in_declaration_order() {
    let json = br#"{"bb":"0,0,200,100","objects":[
        {"_gvid":1,"name":"b","pos":"150,20","width":"1","height":"0.5"},
        {"_gvid":0,"name":"a","pos":"50,80","width":"2","height":"0.5"}],
      "edges":[{"_gvid":0,"tail":0,"head":1,"pos":"50,80 80,60 120,40 150,20"}]}"#;
    let l = parse_json0(json, 2).unwrap();
    assert_eq!((l.width, l.height), (200.0, 100.0));
    // y downwards: the top of the bounding box is 0.
    assert_eq!(
        l.nodes[0],
        NodeBox {
            x: 50.0,
            y: 20.0,
            w: 144.0,
            h: 36.0
        }
    );
    assert_eq!(l.nodes[1].y, 80.0);
    // A node missing is an error, not a drawing with holes.
    assert!(parse_json0(json, 3).is_err());
    assert!(parse_json0(b"not json", 2).is_err());
}

#[test]
fn html_page_is_self_contained_and_escapes_names() {
    let a = person(
        "person:a",
        "A </script><script>alert(1)</script>",
        3,
        &["d/1.txt"],
        &["<b>"],
    );
    let b = person(
        "person:b",
        "Bé \u{2028} \"q\"",
        1,
        &["d/1.txt", "d/2.txt"],
        &[],
    );
    let g = pair(a, b, 2, "d/1.txt", "A </script> met Bé.");
    let layout = Layout {
        width: 10.0,
        height: 10.0,
        nodes: vec![NodeBox::default(); 2],
    };
    let page = page_with_layout(&g, &layout, None, &PageOptions::default());
    let text = std::str::from_utf8(&page).unwrap();
    // One data element, one script, nothing fetched: no src, no href but the empty icon.
    assert_eq!(text.matches("</script>").count(), 2, "{text}");
    assert!(!text.contains(" src="), "{text}");
    assert_eq!(text.matches("href=").count(), 1);
    assert!(text.contains(r#"<link rel="icon" href="data:,">"#));
    let d = data_of(&page);
    assert_eq!(
        d["nodes"][0]["label"],
        "A </script><script>alert(1)</script>"
    );
    assert_eq!(d["nodes"][1]["docs"], serde_json::json!([0, 1]));
    assert_eq!(d["docs"], serde_json::json!(["d/1.txt", "d/2.txt"]));
    assert_eq!(d["edges"][0]["ev"][0][3], "A </script> met Bé.");
    assert_eq!(d["edges"][0]["weight"], 2);
    assert_eq!(d["api"], false);
    // (label, id) order: "A …" before "Bé".
    assert_eq!(
        (d["nodes"][0]["o"].as_u64(), d["nodes"][1]["o"].as_u64()),
        (Some(0), Some(1))
    );
}

#[test]
fn html_order_is_rust_string_order() {
    // U+FF21 sorts after U+1F600 in UTF-16 code units but before it in Rust (code points).
    let nodes = ["\u{1F600}", "\u{FF21}", "b", "b"]
        .iter()
        .enumerate()
        .map(|(i, l)| Node {
            id: format!("t:{}", 9 - i),
            label: l.to_string(),
            kind: "t".into(),
            mentions: 1,
            windows: 0,
            community: None,
            documents: vec![],
            aliases: vec![],
        })
        .collect();
    let g = Graph::from_parts(nodes, vec![], GraphInfo::default()).unwrap();
    let layout = Layout {
        nodes: vec![NodeBox::default(); 4],
        ..Default::default()
    };
    let d = data_of(&page_with_layout(
        &g,
        &layout,
        None,
        &PageOptions::default(),
    ));
    let o: Vec<(String, u64)> = d["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["label"].as_str().unwrap().to_string(),
                n["o"].as_u64().unwrap(),
            )
        })
        .collect();
    // Ids t:6 ("b"), t:7 ("b"), t:8 (U+FF21), t:9 (U+1F600) in id order.
    assert_eq!(
        o,
        [
            ("b".to_string(), 0),
            ("b".to_string(), 1),
            ("\u{FF21}".to_string(), 2),
            ("\u{1F600}".to_string(), 3)
        ]
    );
}

#[test]
fn html_drawable_caps_large_graphs() {
    let n = MAX_NODES + 20;
    let nodes: Vec<Node> = (0..n)
        .map(|i| person(&format!("person:{i:04}"), &format!("P{i}"), 1, &[], &[]))
        .collect();
    // A star around node 0 (weight 1 each) plus heavier edges among the last nodes.
    let mut links: Vec<Link> = (1..n)
        .map(|i| {
            Link::new(
                "person:0000",
                format!("person:{i:04}"),
                Edge {
                    weight: 1,
                    evidence: vec![],
                },
            )
        })
        .collect();
    for i in n - 10..n - 1 {
        links.push(Link::new(
            format!("person:{i:04}"),
            format!("person:{:04}", i + 1),
            Edge {
                weight: 5,
                evidence: vec![],
            },
        ));
    }
    let g = Graph::from_parts(nodes, links, GraphInfo::default()).unwrap();
    let (drawn, cap) = drawable(&g);
    let cap = cap.unwrap();
    assert_eq!((cap.nodes, cap.drawn_nodes), (n, MAX_NODES));
    assert_eq!(cap.drawn_edges, drawn.edge_count());
    assert!(drawn.node("person:0000").is_some());
    assert!(drawn.node(&format!("person:{:04}", n - 1)).is_some());
    let small = pair(
        person("p:a", "A", 1, &[], &[]),
        person("p:b", "B", 1, &[], &[]),
        1,
        "d",
        "A B",
    );
    assert!(drawable(&small).1.is_none());
}

#[test]
fn html_layout_places_every_node_and_edge() {
    if !graphviz() {
        eprintln!("skipped: Graphviz not found (html layout)");
        return;
    }
    let g = crate::graph::generated::hostile_graph(11);
    let l = layout(&g).unwrap();
    assert_eq!(l.nodes.len(), g.node_count());
    for b in &l.nodes {
        assert!(
            b.x >= 0.0 && b.x <= l.width && b.y >= 0.0 && b.y <= l.height,
            "{b:?} {l:?}"
        );
        assert!(b.w > 0.0 && b.h > 0.0);
    }
    // Deterministic.
    assert_eq!(layout(&g).unwrap(), l);
}
