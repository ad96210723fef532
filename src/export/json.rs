//! `graph.json`: node-link JSON, as `networkx.node_link_graph(data, edges="links")` reads it.
//!
//! ```json
//! {"directed": false, "multigraph": false,
//!  "graph": {"window": "sentence", "documents": 4, "mentions": 120, "min_weight": 1},
//!  "nodes": [{"id": "person:tom-cruise", "label": "Tom Cruise", "type": "person", "mentions": 42,
//!             "documents": ["seeds/000.txt"], "aliases": ["Cruise"]}],
//!  "links": [{"source": "person:christopher-mcquarrie", "target": "person:tom-cruise", "weight": 3,
//!             "evidence": [{"doc": "seeds/002.txt", "text": "…", "start": 1880, "end": 2010}]}]}
//! ```
//! Nodes are sorted by id, links by (source, target) with source < target. `start`/`end` of evidence
//! are character offsets into the document.

use std::io::Write;

use serde::{Deserialize, Serialize};

use super::Exporter;
use crate::link::{Edge, Evidence, Graph, GraphInfo, Node};

#[derive(Serialize, Deserialize)]
struct NodeLink {
    directed: bool,
    multigraph: bool,
    graph: GraphInfo,
    nodes: Vec<Node>,
    links: Vec<Link>,
}

#[derive(Serialize, Deserialize)]
struct Link {
    source: String,
    target: String,
    weight: u64,
    evidence: Vec<Evidence>,
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
    fn write(&self, graph: &Graph, out: &mut dyn Write) -> std::io::Result<()> {
        let data = NodeLink {
            directed: false,
            multigraph: false,
            graph: graph.info.clone(),
            nodes: graph.nodes().cloned().collect(),
            links: graph
                .edges()
                .map(|(a, b, e)| Link {
                    source: a.id.clone(),
                    target: b.id.clone(),
                    weight: e.weight,
                    evidence: e.evidence.clone(),
                })
                .collect(),
        };
        serde_json::to_writer_pretty(&mut *out, &data)?;
        out.write_all(b"\n")
    }
}

/// Reads a graph written by [`JsonExporter`].
///
/// ```
/// use entgraph::export::{Exporter, JsonExporter, json::read_graph};
/// use entgraph::link::{GraphBuilder, Window};
/// let g = GraphBuilder::new(Window::Sentence).finish(1);
/// let mut buf = Vec::new();
/// JsonExporter.write(&g, &mut buf).unwrap();
/// assert_eq!(read_graph(&buf).unwrap().node_count(), 0);
/// ```
pub fn read_graph(bytes: &[u8]) -> Result<Graph, String> {
    let data: NodeLink =
        serde_json::from_slice(bytes).map_err(|e| format!("not an entgraph graph.json: {e}"))?;
    let edges = data
        .links
        .into_iter()
        .map(|l| {
            (
                l.source,
                l.target,
                Edge {
                    weight: l.weight,
                    evidence: l.evidence,
                },
            )
        })
        .collect();
    Graph::from_parts(data.nodes, edges, data.graph)
}
