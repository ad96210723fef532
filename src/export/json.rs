//! `graph.json`: node-link JSON, as `networkx.node_link_graph(data, edges="links")` reads it.
//!
//! ```json
//! {"directed": false, "multigraph": false,
//!  "graph": {"window": "sentence", "documents": 4, "mentions": 120, "min_weight": 1,
//!            "set": "3f9c0a7e51d2b846",
//!            "sources": [{"name": "seeds/000.txt", "sha256": "9b1c…"}]},
//!  "nodes": [{"id": "person:tom-cruise", "label": "Tom Cruise", "type": "person", "mentions": 42,
//!             "documents": ["seeds/000.txt"], "aliases": ["Cruise"]}],
//!  "links": [{"source": "person:christopher-mcquarrie", "target": "person:tom-cruise", "weight": 3,
//!             "evidence": [{"doc": "seeds/002.txt", "text": "…", "start": 1880, "end": 2010}]}]}
//! ```
//! Nodes are sorted by id, links by (source, target) with source < target. `start`/`end` of evidence
//! are character offsets into the document. `set` identifies the output set (the same documents
//! and options give the same id, see [`crate::graph::set_id`]); `sources` lists every document
//! read with the SHA-256 of its bytes, sorted by name.

use std::io::Write;

use serde::{Deserialize, Serialize};

use super::Exporter;
use crate::error::{Error, Result};
use crate::graph::{Graph, GraphInfo, Link, Node, Reads};

/// What `graph.json` holds. Its serde form is the format: [`read_graph`] reads it, and
/// [`JsonExporter::write`] writes what `serde_json::to_writer_pretty` gives for it (a test checks
/// they agree on generated graphs).
#[derive(Debug, Serialize, Deserialize)]
#[cfg_attr(not(test), allow(dead_code))]
struct NodeLink {
    directed: bool,
    multigraph: bool,
    graph: GraphInfo,
    nodes: Vec<Node>,
    links: Vec<Link>,
}

/// Writes node-link JSON.
#[derive(Debug, Clone, Copy, Default)]
pub struct JsonExporter;

impl Exporter for JsonExporter {
    fn name(&self) -> &'static str {
        "json"
    }
    fn file_name(&self) -> &'static str {
        "graph.json"
    }
    /// Writes what `serde_json::to_writer_pretty` gives for the node-link structure, byte for byte
    /// (a test checks it), by hand: the strings escaped as serde_json does, the lines built in a
    /// buffer, the edges' strings read ahead (`Graph::edges_read_ahead`). serde_json takes about
    /// three times as long for a large graph.
    fn write(&self, graph: &Graph, out: &mut dyn Write) -> std::io::Result<()> {
        // Written in pieces of about 1 MB (larger than the file's buffer, so they are not copied
        // again).
        const PIECE: usize = 1 << 20;
        let mut b: Vec<u8> = Vec::with_capacity(PIECE + (1 << 16));
        let info = graph.info();
        let window = serde_json::to_string(&info.window)?;
        b.extend_from_slice(b"{\n  \"directed\": false,\n  \"multigraph\": false,\n  \"graph\": {\n    \"window\": ");
        b.extend_from_slice(window.as_bytes());
        let mut num = itoa::Buffer::new();
        for (key, value) in [
            ("documents", info.documents),
            ("mentions", info.mentions),
            ("min_weight", info.min_weight),
            ("windows", info.windows),
        ] {
            b.extend_from_slice(b",\n    \"");
            b.extend_from_slice(key.as_bytes());
            b.extend_from_slice(b"\": ");
            b.extend_from_slice(num.format(value).as_bytes());
        }
        b.extend_from_slice(b",\n    \"set\": ");
        push_json_str(&mut b, &info.set);
        b.extend_from_slice(b",\n    \"sources\": ");
        if info.sources.is_empty() {
            b.extend_from_slice(b"[]");
        } else {
            b.push(b'[');
            for (i, s) in info.sources.iter().enumerate() {
                b.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
                b.extend_from_slice(b"      {\n        \"name\": ");
                push_json_str(&mut b, &s.name);
                b.extend_from_slice(b",\n        \"sha256\": ");
                push_json_str(&mut b, &s.sha256);
                b.extend_from_slice(b"\n      }");
            }
            b.extend_from_slice(b"\n    ]");
        }
        b.extend_from_slice(b"\n  },\n  \"nodes\": [");
        // An array of strings, its items at `indent`.
        let strings = |b: &mut Vec<u8>, items: &[String], indent: &[u8]| {
            if items.is_empty() {
                b.extend_from_slice(b"[]");
                return;
            }
            b.push(b'[');
            for (i, item) in items.iter().enumerate() {
                b.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
                b.extend_from_slice(indent);
                push_json_str(b, item);
            }
            b.push(b'\n');
            b.extend_from_slice(&indent[2..]);
            b.push(b']');
        };
        for (i, n) in graph.nodes().enumerate() {
            b.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
            b.extend_from_slice(b"    {\n      \"id\": ");
            push_json_str(&mut b, &n.id);
            b.extend_from_slice(b",\n      \"label\": ");
            push_json_str(&mut b, &n.label);
            b.extend_from_slice(b",\n      \"type\": ");
            push_json_str(&mut b, &n.kind);
            b.extend_from_slice(b",\n      \"mentions\": ");
            b.extend_from_slice(num.format(n.mentions).as_bytes());
            b.extend_from_slice(b",\n      \"windows\": ");
            b.extend_from_slice(num.format(n.windows).as_bytes());
            if let Some(c) = n.community {
                b.extend_from_slice(b",\n      \"community\": ");
                b.extend_from_slice(num.format(c).as_bytes());
            }
            b.extend_from_slice(b",\n      \"documents\": ");
            strings(&mut b, &n.documents, b"        ");
            b.extend_from_slice(b",\n      \"aliases\": ");
            strings(&mut b, &n.aliases, b"        ");
            b.extend_from_slice(b"\n    }");
            if b.len() >= PIECE {
                out.write_all(&b)?;
                b.clear();
            }
        }
        if graph.node_count() == 0 {
            b.extend_from_slice(b"],\n  \"links\": [");
        } else {
            b.extend_from_slice(b"\n  ],\n  \"links\": [");
        }
        for (i, view) in graph.edges_read_ahead(Reads::IdsAndTexts).enumerate() {
            b.extend_from_slice(if i == 0 { b"\n" } else { b",\n" });
            b.extend_from_slice(b"    {\n      \"source\": ");
            push_json_str(&mut b, &view.source.id);
            b.extend_from_slice(b",\n      \"target\": ");
            push_json_str(&mut b, &view.target.id);
            b.extend_from_slice(b",\n      \"weight\": ");
            b.extend_from_slice(num.format(view.edge.weight).as_bytes());
            if let Some(scores) = graph.scores(&view) {
                for (key, value) in [
                    (&b",\n      \"npmi\": "[..], scores.npmi),
                    (b",\n      \"dice\": ", scores.dice),
                    (b",\n      \"llr\": ", scores.llr),
                ] {
                    b.extend_from_slice(key);
                    // serde_json's own float format (scores are finite).
                    serde_json::to_writer(&mut b, &value).map_err(std::io::Error::other)?;
                }
            }
            b.extend_from_slice(b",\n      \"evidence\": ");
            let evidence = &view.edge.evidence;
            if evidence.is_empty() {
                b.extend_from_slice(b"[]");
            } else {
                b.push(b'[');
                for (j, ev) in evidence.iter().enumerate() {
                    b.extend_from_slice(if j == 0 { b"\n" } else { b",\n" });
                    b.extend_from_slice(b"        {\n          \"doc\": ");
                    push_json_str(&mut b, &ev.doc);
                    b.extend_from_slice(b",\n          \"text\": ");
                    push_json_str(&mut b, &ev.text);
                    b.extend_from_slice(b",\n          \"start\": ");
                    b.extend_from_slice(num.format(ev.start).as_bytes());
                    b.extend_from_slice(b",\n          \"end\": ");
                    b.extend_from_slice(num.format(ev.end).as_bytes());
                    b.extend_from_slice(b"\n        }");
                }
                b.extend_from_slice(b"\n      ]");
            }
            b.extend_from_slice(b"\n    }");
            if b.len() >= PIECE {
                out.write_all(&b)?;
                b.clear();
            }
        }
        if graph.edge_count() == 0 {
            b.extend_from_slice(b"]\n}\n");
        } else {
            b.extend_from_slice(b"\n  ]\n}\n");
        }
        out.write_all(&b)?;
        out.flush()
    }
}

/// Appends `s` to `out` as a JSON string escaped exactly as serde_json does: `"` and `\\` with a
/// backslash; backspace, form feed, newline, carriage return and tab as `\b`, `\f`, `\n`, `\r`,
/// `\t`; the other ASCII controls as `\u00xx` (lowercase hex); everything else as is. 32 bytes at
/// a time are checked for a byte to escape, and runs without one are copied whole. Shared with
/// [`super::mentions`].
pub(crate) fn push_json_str(out: &mut Vec<u8>, s: &str) {
    const CHUNK: usize = 32;
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    // Bitwise, not short-circuit: the chunk test below compiles to vector compares.
    let special = |b: u8| (b < 0x20) | (b == b'"') | (b == b'\\');
    if bytes.len() < CHUNK && !bytes.iter().fold(false, |any, &b| any | special(b)) {
        // A short clean string (most names): one vector test, one copy.
        out.extend_from_slice(bytes);
        out.push(b'"');
        return;
    }
    let mut start = 0;
    loop {
        let i = crate::text::find_special(bytes, start, special);
        out.extend_from_slice(&bytes[start..i]);
        if i == bytes.len() {
            break;
        }
        let b = bytes[i];
        start = i + 1;
        let short = match b {
            b'"' => b'"',
            b'\\' => b'\\',
            b'\n' => b'n',
            b'\r' => b'r',
            b'\t' => b't',
            0x08 => b'b',
            0x0c => b'f',
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(&[
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX[(b >> 4) as usize],
                    HEX[(b & 0xf) as usize],
                ]);
                continue;
            }
        };
        out.extend_from_slice(&[b'\\', short]);
    }
    out.push(b'"');
}

/// Reads a graph written by [`JsonExporter`]. Bytes that are not one, or that do not make a
/// graph, are an [`Error::InvalidGraph`].
///
/// ```
/// use entgraph::export::{Exporter, JsonExporter, json::read_graph};
/// use entgraph::graph::Window;
/// use entgraph::link::GraphBuilder;
/// let g = GraphBuilder::new(Window::Sentence).finish(1);
/// let mut buf = Vec::new();
/// JsonExporter.write(&g, &mut buf).unwrap();
/// assert_eq!(read_graph(&buf).unwrap().node_count(), 0);
/// assert!(read_graph(b"{}").unwrap_err().to_string().starts_with("not an entgraph graph.json"));
/// ```
///
/// Links are checked as they are read, each named by its place in `links` (from 0) and its ends:
/// a weight that is not a positive integer, a pair of nodes linked twice, and weights whose total
/// does not fit in 64 bits are refused.
///
/// ```
/// # use entgraph::export::json::read_graph;
/// let g = r#"{"directed": false, "multigraph": false, "graph": {"window": "sentence", "documents": 1, "mentions": 2, "min_weight": 1},
///   "nodes": [{"id": "a", "label": "A", "type": "t", "mentions": 1, "documents": []},
///             {"id": "b", "label": "B", "type": "t", "mentions": 1, "documents": []}],
///   "links": [{"source": "a", "target": "b", "weight": 0, "evidence": []}]}"#;
/// assert_eq!(read_graph(g.as_bytes()).unwrap_err().to_string(),
///     "link 0 (a -- b): weight 0 is not a positive integer");
/// ```
pub fn read_graph(bytes: &[u8]) -> Result<Graph> {
    let data: ReadNodeLink = serde_json::from_slice(bytes)
        .map_err(|e| Error::InvalidGraph(format!("not an entgraph graph.json: {e}")))?;
    let mut links = Vec::with_capacity(data.links.len());
    // Links by the numbers of their ends (a link naming an unknown node is refused by
    // `Graph::from_parts`).
    let number: rustc_hash::FxHashMap<&str, u32> = data
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id.as_str(), i as u32))
        .collect();
    let mut seen: rustc_hash::FxHashMap<(u32, u32), usize> = rustc_hash::FxHashMap::default();
    seen.reserve(data.links.len());
    let mut total: u64 = 0;
    for (i, l) in data.links.into_iter().enumerate() {
        let name = || format!("link {i} ({} -- {})", l.source, l.target);
        let weight = l.weight.as_u64().filter(|&w| w > 0).ok_or_else(|| {
            Error::InvalidGraph(format!(
                "{}: weight {} is not a positive integer",
                name(),
                l.weight
            ))
        })?;
        total = total.checked_add(weight).ok_or_else(|| {
            Error::InvalidGraph(format!(
                "{}: the total of the weights so far overflows 64 bits",
                name()
            ))
        })?;
        let ends = (number.get(l.source.as_str()), number.get(l.target.as_str()));
        if let (Some(&a), Some(&b)) = ends
            && let Some(first) = seen.insert((a.min(b), a.max(b)), i)
        {
            return Err(Error::InvalidGraph(format!(
                "{}: links the same nodes as link {first}",
                name()
            )));
        }
        links.push(Link {
            source: l.source,
            target: l.target,
            weight,
            evidence: l.evidence,
        });
    }
    Graph::from_parts(data.nodes, links, data.graph)
}

/// What [`read_graph`] reads: [`NodeLink`] with each weight as written, checked afterwards.
#[derive(Deserialize)]
struct ReadNodeLink {
    #[allow(dead_code)]
    directed: bool,
    #[allow(dead_code)]
    multigraph: bool,
    graph: GraphInfo,
    nodes: Vec<Node>,
    links: Vec<ReadLink>,
}

#[derive(Deserialize)]
struct ReadLink {
    source: String,
    target: String,
    weight: serde_json::Number,
    evidence: Vec<crate::graph::Evidence>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each bad link is refused, named by its place and its ends.
    #[test]
    fn json_read_refuses_bad_links() {
        let graph = |links: &str| {
            format!(
                r#"{{"directed": false, "multigraph": false,
                "graph": {{"window": "sentence", "documents": 1, "mentions": 2, "min_weight": 1}},
                "nodes": [{{"id": "a", "label": "A", "type": "t", "mentions": 1, "documents": []}},
                          {{"id": "b", "label": "B", "type": "t", "mentions": 1, "documents": []}},
                          {{"id": "c", "label": "C", "type": "t", "mentions": 1, "documents": []}}],
                "links": [{links}]}}"#
            )
        };
        let link = |s: &str, t: &str, w: &str| {
            format!(r#"{{"source": "{s}", "target": "{t}", "weight": {w}, "evidence": []}}"#)
        };
        let max = u64::MAX.to_string();
        for (links, want) in [
            (
                link("a", "b", "0"),
                "link 0 (a -- b): weight 0 is not a positive integer",
            ),
            (
                link("a", "b", "-3"),
                "link 0 (a -- b): weight -3 is not a positive integer",
            ),
            (
                link("a", "b", "1.5"),
                "link 0 (a -- b): weight 1.5 is not a positive integer",
            ),
            (
                format!("{},{}", link("a", "b", "1"), link("b", "a", "2")),
                "link 1 (b -- a): links the same nodes as link 0",
            ),
            (
                format!("{},{}", link("a", "b", &max), link("b", "c", "1")),
                "link 1 (b -- c): the total of the weights so far overflows 64 bits",
            ),
        ] {
            let err = read_graph(graph(&links).as_bytes())
                .unwrap_err()
                .to_string();
            assert_eq!(err, want);
        }
        read_graph(graph(&link("a", "b", &max)).as_bytes()).unwrap();
    }
    use crate::graph::generated::hostile_graph;
    use crate::graph::{Edge, Evidence, Window};

    /// The node-link structure of a graph written by serde_json: the reference the hand-written
    /// [`JsonExporter::write`] is checked against.
    fn write_with_serde(graph: &Graph) -> Vec<u8> {
        #[derive(Serialize)]
        struct ScoresOut {
            npmi: f64,
            dice: f64,
            llr: f64,
        }
        #[derive(Serialize)]
        struct LinkOut {
            source: String,
            target: String,
            weight: u64,
            #[serde(flatten)]
            scores: Option<ScoresOut>,
            evidence: Vec<Evidence>,
        }
        #[derive(Serialize)]
        struct NodeLinkOut {
            directed: bool,
            multigraph: bool,
            graph: GraphInfo,
            nodes: Vec<Node>,
            links: Vec<LinkOut>,
        }
        let data = NodeLinkOut {
            directed: false,
            multigraph: false,
            graph: graph.info().clone(),
            nodes: graph.nodes().cloned().collect(),
            links: graph
                .edges()
                .map(|e| LinkOut {
                    source: e.source.id.clone(),
                    target: e.target.id.clone(),
                    weight: e.edge.weight,
                    scores: graph.scores(&e).map(|s| ScoresOut {
                        npmi: s.npmi,
                        dice: s.dice,
                        llr: s.llr,
                    }),
                    evidence: e.edge.evidence.clone(),
                })
                .collect(),
        };
        let mut out = serde_json::to_vec_pretty(&data).expect("serializable");
        out.push(b'\n');
        out
    }

    fn hostile() -> Graph {
        let node = |id: &str, label: &str, docs: &[&str], aliases: &[&str]| Node {
            id: id.into(),
            label: label.into(),
            kind: "t\u{0}\u{1f}\u{7f}".into(),
            mentions: u64::MAX,
            windows: 0,
            community: None,
            documents: docs.iter().map(|d| d.to_string()).collect(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
        };
        let ev = |doc: &str, text: &str, start| Evidence {
            doc: doc.into(),
            text: text.into(),
            start,
            end: start + 7,
        };
        let edge = |a: &str, b: &str, w, evidence| {
            Link::new(
                a,
                b,
                Edge {
                    weight: w,
                    evidence,
                },
            )
        };
        Graph::from_parts(
            vec![
                node(
                    "p:\"q\"",
                    "Q \\ \u{8}\u{c}\n\r\t",
                    &["a.txt", "b\u{202e}.txt"],
                    &[],
                ),
                node(
                    "p:a",
                    "A </script> \u{2028}\u{2029} é 😀",
                    &[],
                    &["A", "Ä\u{85}"],
                ),
                node("p:z", "", &["-"], &["\u{0}"]),
            ],
            vec![
                edge(
                    "p:z",
                    "p:a",
                    3,
                    vec![ev("a.txt", "A \"and\" Z.\n", 0), ev("-", "\u{1b}[0m", 9)],
                ),
                edge("p:a", "p:\"q\"", 1, vec![]),
            ],
            GraphInfo {
                window: Window::Paragraph,
                documents: 2,
                mentions: 0,
                min_weight: 1,
                windows: 0,
                set: "0123456789abcdef".into(),
                sources: vec![
                    crate::graph::DocumentSource {
                        name: "-".into(),
                        sha256: "\"\n".into(),
                    },
                    crate::graph::DocumentSource {
                        name: "a.txt".into(),
                        sha256: "ab".into(),
                    },
                ],
            },
        )
        .unwrap()
    }

    #[test]
    fn json_escape_like_serde() {
        let long = "a".repeat(31) + "\"" + &"b".repeat(40) + "\u{1f}" + &"é".repeat(20) + "\\";
        for s in [
            "plain",
            "q\"b\\s",
            "ctl\u{1}\u{1f}\u{7f}\n\r\t\u{8}\u{c}\u{0}",
            "é – 😂 \u{2028}\u{85}",
            "",
            &long,
            &"x".repeat(64),
            &("\n".repeat(33) + &"y".repeat(33)),
        ] {
            let mut out = vec![b'x'];
            push_json_str(&mut out, s);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                format!("x{}", serde_json::to_string(s).unwrap())
            );
        }
        // Every byte value at every place of a chunk.
        for b in 0u8..0x80 {
            for at in [0, 1, 31, 32, 33, 63, 64] {
                let mut s = "z".repeat(70);
                s.replace_range(at..at + 1, &(b as char).to_string());
                let mut out = Vec::new();
                push_json_str(&mut out, &s);
                assert_eq!(out, serde_json::to_vec(&s).unwrap(), "{b} at {at}");
            }
        }
    }

    #[test]
    fn json_write_is_serde_pretty() {
        let empty = Graph::from_parts(vec![], vec![], GraphInfo::default()).unwrap();
        let no_edges = Graph::from_parts(
            hostile().nodes().cloned().collect(),
            vec![],
            GraphInfo::default(),
        )
        .unwrap();
        let generated = (0..200).map(hostile_graph);
        for g in [hostile(), empty, no_edges].into_iter().chain(generated) {
            let mut got = Vec::new();
            JsonExporter.write(&g, &mut got).unwrap();
            assert_eq!(
                String::from_utf8(got.clone()).unwrap(),
                String::from_utf8(write_with_serde(&g)).unwrap()
            );
            let total = g
                .edges()
                .try_fold(0u64, |t, e| t.checked_add(e.edge.weight));
            let pairs: Vec<_> = g
                .edges()
                .map(|e| (e.source_index, e.target_index))
                .collect();
            let repeated = pairs.windows(2).any(|w| w[0] == w[1]);
            if total.is_none() || repeated {
                let err = read_graph(&got).unwrap_err().to_string();
                assert!(
                    err.contains("overflows 64 bits") || err.contains("links the same nodes"),
                    "{err}"
                );
                continue;
            }
            let back = read_graph(&got).unwrap();
            assert_eq!(
                back.nodes().collect::<Vec<_>>(),
                g.nodes().collect::<Vec<_>>()
            );
            assert_eq!(
                back.edges().collect::<Vec<_>>(),
                g.edges().collect::<Vec<_>>()
            );
        }
    }
}
