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
use crate::measure::Measure;

/// Drawings with more edges than this get straight edges (routing curves around the nodes is slow).
pub const SPLINE_EDGES: usize = 200;

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

/// Fills nodes by community (when the graph has communities) and sets edge widths on the graph's
/// measure, relative to the drawing's strongest edge: node and edge statements come in the
/// graph's node and edge order.
fn restyle(graph: &Graph, stmts: &mut [Stmt]) {
    let colors = community_colors(graph);
    let color_of = |c: Option<u32>| {
        colors
            .iter()
            .find(|d| Some(d.number) == c)
            .map_or(OTHER_COMMUNITY, |d| d.color)
    };
    // Edge widths from 0.6 to 4 across the drawing's range: on a log scale for counts and LLR,
    // linear for NPMI and Dice.
    let log = matches!(graph.measure(), Measure::Count | Measure::Llr);
    let scale = |x: f64| {
        if log {
            (1.0 + x.max(0.0)).ln()
        } else {
            x.max(0.0)
        }
    };
    let max = (0..graph.edge_count())
        .map(|i| scale(graph.strength(petgraph::graph::EdgeIndex::new(i))))
        .fold(0.0, f64::max);
    let mut nodes = graph.nodes();
    let mut edges = 0..graph.edge_count();
    let set = |attrs: &mut Vec<Attribute>, key: &str, value: &str| {
        if let Some(a) = attrs.iter_mut().find(|a| a.0 == Id::Plain(key.into())) {
            a.1 = Id::Escaped(quote(value));
        }
    };
    for stmt in stmts.iter_mut() {
        match stmt {
            Stmt::Node(n) => {
                let node = nodes.next().expect("a statement per node");
                if !colors.is_empty() {
                    set(&mut n.attributes, "fillcolor", color_of(node.community));
                }
            }
            Stmt::Edge(e) => {
                let i = edges.next().expect("a statement per edge");
                let s = scale(graph.strength(petgraph::graph::EdgeIndex::new(i)));
                let width = if max > 0.0 { 0.6 + 3.4 * s / max } else { 1.0 };
                set(&mut e.attributes, "penwidth", &format!("{width:.2}"));
            }
            _ => {}
        }
    }
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
    let colors = community_colors(graph);
    let mut html = String::from(
        r#"<<TABLE BORDER="0" CELLBORDER="1" CELLSPACING="4" CELLPADDING="4"><TR><TD BORDER="0"><B>types</B></TD>"#,
    );
    for (i, kind) in types.iter().enumerate() {
        if i > 0 && i % LEGEND_ROW == 0 {
            html.push_str(r#"</TR><TR><TD BORDER="0"></TD>"#);
        }
        let (shape, color) = style_for(kind);
        let color = if colors.is_empty() {
            color
        } else {
            "white".into()
        };
        html.push_str(&format!(
            r#"<TD BGCOLOR="{}">{} <FONT POINT-SIZE="10">({})</FONT></TD>"#,
            html_text(&color),
            html_text(kind),
            shape
        ));
    }
    // The coloured communities, largest in the drawing first, with their strongest members.
    for (i, c) in colors.iter().enumerate() {
        if i % COMMUNITY_ROW == 0 {
            html.push_str(if i == 0 {
                r#"</TR><TR><TD BORDER="0"><B>communities</B></TD>"#
            } else {
                r#"</TR><TR><TD BORDER="0"></TD>"#
            });
        }
        let names: Vec<&str> = c.members.iter().take(3).map(|m| m.as_str()).collect();
        let more = c.drawn.saturating_sub(names.len());
        html.push_str(&format!(
            r#"<TD BGCOLOR="{}" COLSPAN="{}">{}: {}{}</TD>"#,
            c.color,
            LEGEND_ROW / COMMUNITY_ROW,
            c.number,
            html_text(&names.join(", ")),
            if more > 0 {
                format!(" +{more}")
            } else {
                String::new()
            }
        ));
    }
    html.push_str("</TR></TABLE>>");
    Some(html)
}

/// Communities per legend row.
const COMMUNITY_ROW: usize = 2;

/// Fill colours of the communities a drawing shows (ColorBrewer Set3); nodes of the others are
/// [`OTHER_COMMUNITY`].
const COMMUNITY_PALETTE: [&str; 12] = [
    "#8dd3c7", "#ffffb3", "#bebada", "#fb8072", "#80b1d3", "#fdb462", "#b3de69", "#fccde5",
    "#bc80bd", "#ccebc5", "#ffed6f", "#d9d9d9",
];

/// The fill colour of nodes whose community has no colour of its own in the drawing.
pub const OTHER_COMMUNITY: &str = "#f7f7f7";

/// A community as a drawing shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawnCommunity {
    /// Its number in the whole graph.
    pub number: u32,
    /// Its fill colour.
    pub color: &'static str,
    /// How many of its members are drawn.
    pub drawn: usize,
    /// The labels of its drawn members, strongest first.
    pub members: Vec<String>,
}

/// The communities of the drawn graph that get a colour: the [`COMMUNITY_PALETTE`]'s size of
/// them, those with the most drawn members first (ties: smaller number), communities of one
/// drawn node left out. Empty when the nodes have no communities.
pub fn community_colors(graph: &Graph) -> Vec<DrawnCommunity> {
    let mut list: Vec<_> = graph
        .communities()
        .into_iter()
        .filter(|c| c.members.len() > 1)
        .collect();
    list.sort_by_key(|c| (std::cmp::Reverse(c.members.len()), c.number));
    list.into_iter()
        .zip(COMMUNITY_PALETTE)
        .map(|(c, color)| DrawnCommunity {
            number: c.number,
            color,
            drawn: c.members.len(),
            members: c
                .members
                .iter()
                .map(|&m| graph.petgraph()[m].label.clone())
                .collect(),
        })
        .collect()
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
                // Curved edges around nodes cost most of the layout time on many edges.
                attr(
                    "splines",
                    if graph.edge_count() <= SPLINE_EDGES {
                        "true"
                    } else {
                        "false"
                    },
                ),
                attr("outputorder", "edgesfirst"),
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
        restyle(graph, stmts);
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
