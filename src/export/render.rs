//! `graph.svg` and `graph.png`: the graph drawn by Graphviz, run through graphviz-rust's `exec` (the
//! `dot` program must be on PATH; [`Exporter::check`] says how to install it when it is not).
//!
//! The drawing is the DOT output ([`DotExporter::to_dot`]: label, shape and colour by type, edge
//! width by weight, the first evidence sentence as the edge tooltip, which SVG viewers show on hover)
//! laid out by `neato` with `overlap=false`, or, above [`LARGE_GRAPH`] nodes, by `sfdp` with
//! `overlap=prism` and straight edges, which stays fast on thousands of nodes. A legend at the
//! bottom, the graph's label, shows each type of the graph in its fill colour with the name of its
//! shape, from the same [`style_for`] as the DOT output. It is an HTML-like label rather than a
//! cluster subgraph because neato and sfdp place a cluster among the nodes, where the layout can put
//! its members on top of its title; a graph label is always drawn outside the layout.
//!
//! Characters XML 1.0 cannot hold become U+FFFD as in the XML formats (the DOT output already turns
//! control characters into spaces), so the SVG is always well-formed XML. Graphviz lays out
//! deterministically, so the same graph and the same Graphviz give the same bytes.

use std::io::Write;

use graphviz_rust::cmd::{CommandArg, Format, Layout};
use graphviz_rust::dot_structures::{Attribute, Graph as DotGraph, GraphAttributes, Id, Stmt};
use graphviz_rust::printer::{DotPrinter, PrinterContext};

use super::Exporter;
use super::dot::{DotExporter, quote, style_for};
use super::xml::xml_safe;
use crate::error::{Error, Result};
use crate::graph::Graph;

/// Graphs with more nodes than this are laid out with `sfdp` instead of `neato`.
pub const LARGE_GRAPH: usize = 150;

/// The one-line message when Graphviz's `dot` cannot be run.
pub const GRAPHVIZ_MISSING: &str = "svg and png output need Graphviz, but its 'dot' program was not found on PATH: install Graphviz ('apt install graphviz' on Debian and Ubuntu, 'brew install graphviz' on macOS)";

/// An image format Graphviz writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    /// Scalable vector graphics (XML text).
    Svg,
    /// Portable network graphics.
    Png,
}

/// Renders the graph with Graphviz.
#[derive(Debug, Clone, Copy)]
pub struct RenderExporter {
    format: ImageFormat,
}

/// Legend types per row.
const LEGEND_ROW: usize = 6;

/// Text for an HTML-like label: what XML cannot hold becomes U+FFFD, markup is escaped, line
/// breaks and tabs become spaces.
fn html_text(s: &str) -> String {
    let s: String = xml_safe(s)
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    quick_xml::escape::escape(s.as_str()).into_owned()
}

/// The legend as an HTML-like label (`<…>`): one cell per type of the graph, sorted, filled with its
/// colour and naming its shape. `None` for a graph without nodes.
pub fn legend(graph: &Graph) -> Option<String> {
    let types: std::collections::BTreeSet<&str> = graph.nodes().map(|n| n.kind.as_str()).collect();
    if types.is_empty() {
        return None;
    }
    let mut html = String::from(
        r#"<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="4" CELLPADDING="4"><TR><TD BORDER="0"><B>types</B></TD>"#,
    );
    for (i, kind) in types.iter().enumerate() {
        if i > 0 && i % LEGEND_ROW == 0 {
            html.push_str(r#"</TR><TR><TD BORDER="0"></TD>"#);
        }
        let (shape, color) = style_for(kind);
        html.push_str(&format!(
            r#"<TD BGCOLOR="{}">{} <FONT POINT-SIZE="10">({})</FONT></TD>"#,
            html_text(&color),
            html_text(kind),
            shape
        ));
    }
    html.push_str("</TR></TABLE>>");
    Some(html)
}

fn attr(k: &str, v: &str) -> Attribute {
    Attribute(Id::Plain(k.to_string()), Id::Escaped(quote(v)))
}

impl RenderExporter {
    /// Renders SVG.
    pub fn svg() -> Self {
        RenderExporter {
            format: ImageFormat::Svg,
        }
    }

    /// Renders PNG.
    pub fn png() -> Self {
        RenderExporter {
            format: ImageFormat::Png,
        }
    }

    /// The image format.
    pub fn format(&self) -> ImageFormat {
        self.format
    }

    /// True when the graph is laid out with `sfdp` (more than [`LARGE_GRAPH`] nodes).
    pub fn is_large(graph: &Graph) -> bool {
        graph.node_count() > LARGE_GRAPH
    }

    /// The DOT graph handed to Graphviz: the DOT output with the layout and the legend added.
    pub fn to_dot(&self, graph: &Graph) -> DotGraph {
        let mut dot = DotExporter.to_dot(graph);
        let mut attrs = if Self::is_large(graph) {
            vec![
                attr("layout", "sfdp"),
                attr("overlap", "prism"),
                attr("splines", "false"),
                attr("outputorder", "edgesfirst"),
            ]
        } else {
            vec![
                attr("layout", "neato"),
                attr("overlap", "false"),
                attr("splines", "true"),
            ]
        };
        attrs.push(attr("bgcolor", "white"));
        attrs.push(attr("pad", "0.3"));
        if let Some(legend) = legend(graph) {
            attrs.push(attr("labelloc", "b"));
            attrs.push(attr("labeljust", "l"));
            attrs.push(Attribute(Id::Plain("label".into()), Id::Html(legend)));
        }
        let (DotGraph::Graph { stmts, .. } | DotGraph::DiGraph { stmts, .. }) = &mut dot;
        // After the DOT output's own graph attributes, so these win.
        let at = stmts
            .iter()
            .position(|s| !matches!(s, Stmt::GAttribute(_)))
            .unwrap_or(stmts.len());
        stmts.insert(at, Stmt::GAttribute(GraphAttributes::Graph(attrs)));
        dot
    }

    /// Runs Graphviz and returns the image.
    pub fn render(&self, graph: &Graph) -> std::io::Result<Vec<u8>> {
        let layout = if Self::is_large(graph) {
            Layout::Sfdp
        } else {
            Layout::Neato
        };
        let format = match self.format {
            ImageFormat::Svg => Format::Svg,
            ImageFormat::Png => Format::Png,
        };
        // The DOT output has no control characters left; U+FFFE and U+FFFF would pass through
        // Graphviz into the SVG, which could then not be read as XML.
        let dot = self.to_dot(graph).print(&mut PrinterContext::default());
        graphviz_rust::exec_dot(
            xml_safe(&dot).into_owned(),
            vec![CommandArg::Layout(layout), CommandArg::Format(format)],
        )
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                std::io::Error::new(e.kind(), GRAPHVIZ_MISSING)
            } else {
                // Graphviz's stderr, on one line.
                let msg = e.to_string();
                let msg = msg.split_whitespace().collect::<Vec<_>>().join(" ");
                std::io::Error::other(format!("graphviz failed: {msg}"))
            }
        })
    }
}

impl Exporter for RenderExporter {
    fn name(&self) -> &'static str {
        match self.format {
            ImageFormat::Svg => "svg",
            ImageFormat::Png => "png",
        }
    }
    fn file_name(&self) -> &'static str {
        match self.format {
            ImageFormat::Svg => "graph.svg",
            ImageFormat::Png => "graph.png",
        }
    }
    fn write(&self, graph: &Graph, out: &mut dyn Write) -> std::io::Result<()> {
        out.write_all(&self.render(graph)?)
    }
    fn check(&self) -> Result<()> {
        match std::process::Command::new("dot").arg("-V").output() {
            Ok(o) if o.status.success() => Ok(()),
            Ok(o) => Err(Error::Invalid(format!(
                "'dot -V' failed ({}): {}",
                o.status,
                String::from_utf8_lossy(&o.stderr).trim()
            ))),
            Err(_) => Err(Error::Invalid(GRAPHVIZ_MISSING.into())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{GraphInfo, Node};

    fn graph(kinds: &[&str]) -> Graph {
        let nodes = kinds
            .iter()
            .enumerate()
            .map(|(i, k)| Node {
                id: format!("{k}:{i}"),
                label: format!("n{i}"),
                kind: k.to_string(),
                mentions: 1,
                windows: 0,
                community: None,
                documents: vec![],
                aliases: vec![],
            })
            .collect();
        Graph::from_parts(nodes, vec![], GraphInfo::default()).unwrap()
    }

    #[test]
    fn render_legend_lists_each_type_once_escaped() {
        let l = legend(&graph(&["person", "film", "person", "a<b>&\u{1}\n"])).unwrap();
        assert!(l.starts_with("<<TABLE") && l.ends_with("</TABLE>>"), "{l}");
        assert_eq!(l.matches("<TD BGCOLOR=").count(), 3, "{l}");
        assert!(
            l.contains(
                r##"<TD BGCOLOR="#8ecae6">person <FONT POINT-SIZE="10">(ellipse)</FONT></TD>"##
            ),
            "{l}"
        );
        // \u{1} is not XML; the newline becomes a space.
        assert!(l.contains("a&lt;b&gt;&amp;\u{FFFD}  <FONT"), "{l}");
        // Sorted: the odd type, then film, then person.
        let (a, f, p) = (
            l.find("a&lt;").unwrap(),
            l.find(">film ").unwrap(),
            l.find(">person ").unwrap(),
        );
        assert!(a < f && f < p, "{l}");
        assert_eq!(legend(&graph(&[])), None);
    }

    #[test]
    fn render_legend_wraps_rows() {
        let kinds: Vec<String> = (0..13).map(|i| format!("t{i:02}")).collect();
        let kinds: Vec<&str> = kinds.iter().map(String::as_str).collect();
        let l = legend(&graph(&kinds)).unwrap();
        assert_eq!(l.matches("<TR>").count(), 3, "{l}");
    }

    #[test]
    fn render_layout_depends_on_size() {
        let print = |g: &Graph| {
            RenderExporter::svg()
                .to_dot(g)
                .print(&mut PrinterContext::default())
        };
        let small = print(&graph(&["person"; 3]));
        assert!(small.contains("layout=\"neato\""), "{small}");
        let big = print(&graph(&["person"; LARGE_GRAPH + 1]));
        assert!(big.contains("layout=\"sfdp\"") && big.contains("overlap=\"prism\""));
    }
}
