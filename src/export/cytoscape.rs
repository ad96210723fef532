//! `graph.cyjs`: Cytoscape.js JSON, the shape `cy.json()` reads and writes (`cytoscape({ elements
//! })` takes its `elements` as they are); Cytoscape desktop imports it too (File → Import → Network
//! from File, "Cytoscape.js JSON").
//!
//! ```json
//! {"data": {"window": "sentence", "documents": 4, "mentions": 177, "min_weight": 1},
//!  "elements": {
//!    "nodes": [{"data": {"id": "person:tom-cruise", "label": "Tom Cruise", "type": "person",
//!                        "mentions": 46, "documents": ["seeds/000.txt"], "aliases": ["Cruise", "Tom"],
//!                        "color": "#8ecae6"}}],
//!    "edges": [{"data": {"id": "e0", "source": "person:christopher-mcquarrie",
//!                        "target": "person:tom-cruise", "weight": 3,
//!                        "evidence": [{"doc": "seeds/002.txt", "text": "…", "start": 1880, "end": 2010}]}}]}}
//! ```
//! Node data is the node of `graph.json` plus `color`, the fill colour of the DOT output for its
//! type (a stylesheet can use `'background-color': 'data(color)'`). Edge ids are `e0`, `e1`, … in
//! (source, target) order, source < target; `weight` and `evidence` are those of `graph.json`. Nodes
//! are sorted by id.

use std::io::Write;

use serde::Serialize;

use super::Exporter;
use super::dot::style_for;
use crate::graph::{Evidence, Graph, GraphInfo, Node};
use crate::measure::Scores;

/// Writes Cytoscape.js JSON.
#[derive(Debug, Clone, Copy, Default)]
pub struct CytoscapeExporter;

#[derive(Serialize)]
struct Doc<'a> {
    data: &'a GraphInfo,
    elements: Elements<'a>,
}

#[derive(Serialize)]
struct Elements<'a> {
    nodes: Vec<Element<NodeData<'a>>>,
    edges: Vec<Element<EdgeData<'a>>>,
}

#[derive(Serialize)]
struct Element<T> {
    data: T,
}

/// A node as in `graph.json`, plus its colour.
#[derive(Serialize)]
struct NodeData<'a> {
    #[serde(flatten)]
    node: &'a Node,
    color: String,
}

#[derive(Serialize)]
struct EdgeData<'a> {
    id: String,
    source: &'a str,
    target: &'a str,
    weight: u64,
    #[serde(flatten)]
    scores: Option<Scores>,
    evidence: &'a [Evidence],
}

impl Exporter for CytoscapeExporter {
    fn name(&self) -> &'static str {
        "cytoscape"
    }
    fn file_name(&self) -> &'static str {
        "graph.cyjs"
    }
    fn write(&self, graph: &Graph, out: &mut dyn Write) -> std::io::Result<()> {
        let doc = Doc {
            data: graph.info(),
            elements: Elements {
                nodes: graph
                    .nodes()
                    .map(|n| Element {
                        data: NodeData {
                            node: n,
                            color: style_for(&n.kind).1,
                        },
                    })
                    .collect(),
                edges: graph
                    .edges()
                    .enumerate()
                    .map(|(i, e)| Element {
                        data: EdgeData {
                            id: format!("e{i}"),
                            source: &e.source.id,
                            target: &e.target.id,
                            weight: e.edge.weight,
                            scores: graph.scores(&e),
                            evidence: &e.edge.evidence,
                        },
                    })
                    .collect(),
            },
        };
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        out.write_all(b"\n")
    }
}
