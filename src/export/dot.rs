//! `graph.dot`: Graphviz DOT, built with graphviz-rust's DOT structures and printer.
//!
//! An undirected graph named `entgraph`; each node's DOT id is its entity id and its `label` the
//! canonical name; shape and fill colour follow the type (person ellipse, film box, place house,
//! organization hexagon, any other type an octagon with a colour derived from its name); edge
//! `penwidth` grows with the logarithm of the weight, `weight` is the weight and `tooltip` the first
//! evidence sentence. Every string is quoted and escaped (`"`, `\`, newlines, control characters),
//! so any name gives valid DOT.

use std::io::Write;

use graphviz_rust::dot_structures::{
    Attribute, Edge, EdgeTy, Graph as DotGraph, GraphAttributes, Id, Node, NodeId, Stmt, Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};

use super::Exporter;
use crate::link::Graph;

/// Writes Graphviz DOT.
#[derive(Debug, Clone, Copy, Default)]
pub struct DotExporter;

/// Quotes and escapes a string for DOT (an `escString`: backslashes are doubled, so `\N` and the like
/// are never interpreted; newlines become `\n`, other control characters a space).
///
/// ```
/// assert_eq!(entgraph::export::dot::quote("a \"b\" \\ c\nd"), r#""a \"b\" \\ c\nd""#);
/// ```
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn attr(k: &str, v: &str) -> Attribute {
    Attribute(Id::Plain(k.to_string()), Id::Escaped(quote(v)))
}

/// (shape, fill colour) for a type.
pub fn style_for(kind: &str) -> (&'static str, String) {
    match kind {
        "person" => ("ellipse", "#8ecae6".into()),
        "film" => ("box", "#ffb703".into()),
        "place" => ("house", "#95d5b2".into()),
        "organization" => ("hexagon", "#cdb4db".into()),
        other => {
            const PALETTE: [&str; 8] = [
                "#f4a261", "#e9c46a", "#a8dadc", "#f1faee", "#ffafcc", "#bde0fe", "#d8f3dc",
                "#e5e5e5",
            ];
            let h = other
                .bytes()
                .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(b as u32));
            ("octagon", PALETTE[(h % 8) as usize].into())
        }
    }
}

impl DotExporter {
    /// The statements of a graph's DOT, in order: defaults, nodes, edges.
    fn statements<'g>(&self, graph: &'g Graph) -> impl Iterator<Item = Stmt> + 'g {
        let defaults = vec![
            Stmt::GAttribute(GraphAttributes::Graph(vec![
                attr("layout", "neato"),
                attr("overlap", "false"),
                attr("splines", "true"),
                attr("fontname", "Helvetica"),
            ])),
            Stmt::GAttribute(GraphAttributes::Node(vec![
                attr("style", "filled"),
                attr("fontname", "Helvetica"),
            ])),
            Stmt::GAttribute(GraphAttributes::Edge(vec![attr("color", "#555555")])),
        ];
        let nodes = graph.nodes().map(|n| {
            let (shape, color) = style_for(&n.kind);
            Stmt::Node(Node {
                id: NodeId(Id::Escaped(quote(&n.id)), None),
                attributes: vec![
                    attr("label", &n.label),
                    attr("type", &n.kind),
                    attr("shape", shape),
                    attr("fillcolor", &color),
                    attr("mentions", &n.mentions.to_string()),
                ],
            })
        });
        let edges = graph.edges().map(|(a, b, e)| {
            let penwidth = 1.0 + (e.weight as f64).log2();
            let mut attributes = vec![
                attr("weight", &e.weight.to_string()),
                attr("penwidth", &format!("{penwidth:.2}")),
            ];
            if let Some(ev) = e.evidence.first() {
                attributes.push(attr("tooltip", &ev.text));
            }
            Stmt::Edge(Edge {
                ty: EdgeTy::Pair(
                    Vertex::N(NodeId(Id::Escaped(quote(&a.id)), None)),
                    Vertex::N(NodeId(Id::Escaped(quote(&b.id)), None)),
                ),
                attributes,
            })
        });
        defaults.into_iter().chain(nodes).chain(edges)
    }

    /// Builds the DOT structure for a graph.
    pub fn to_dot(&self, graph: &Graph) -> DotGraph {
        DotGraph::Graph {
            id: Id::Plain("entgraph".into()),
            strict: false,
            stmts: self.statements(graph).collect(),
        }
    }
}

impl Exporter for DotExporter {
    fn name(&self) -> &'static str {
        "dot"
    }
    fn file_name(&self) -> &'static str {
        "graph.dot"
    }
    /// Writes what `to_dot(graph).print(..)` gives, one statement at a time (the printer builds
    /// one string of the whole graph, which for a large graph takes long and needs memory): each
    /// statement is printed inside a graph of its own, with a fresh context, and taken out of it.
    fn write(&self, graph: &Graph, out: &mut dyn Write) -> std::io::Result<()> {
        let wrap = |stmts: Vec<Stmt>| {
            DotGraph::Graph {
                id: Id::Plain("entgraph".into()),
                strict: false,
                stmts,
            }
            .print(&mut PrinterContext::default())
        };
        // The whole graph prints as `graph entgraph {` + (sep + statement)* + sep + `}`: the empty
        // graph gives the header and the separator.
        let empty = wrap(Vec::new());
        let open = empty.find('{').map_or(0, |i| i + 1);
        let header = &empty[..open];
        let sep = &empty[open..open + (empty.len() - open - 1) / 2];
        out.write_all(header.as_bytes())?;
        for stmt in self.statements(graph) {
            let one = wrap(vec![stmt]);
            out.write_all(&one.as_bytes()[open..one.len() - sep.len() - 1])?;
        }
        out.write_all(sep.as_bytes())?;
        out.write_all(b"}")?;
        out.write_all(b"\n")
    }
}
