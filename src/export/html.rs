//! `graph.html`: one self-contained page that draws the graph and answers questions about it in a
//! browser, offline (from `file://`: no script, style, font or image is fetched, nothing is sent).
//!
//! The layout is Graphviz's, as for [`render`](super::render) (the same DOT, `neato` or, above
//! [`LARGE_GRAPH`](super::render::LARGE_GRAPH) nodes, `sfdp`), read back as `-Tjson0`: each node's
//! position and size. Edges are drawn straight, centre to centre under the nodes (`splines=false`,
//! as `graph.svg` draws large graphs): Graphviz's spline routing is not the same from one run to
//! the next, the node positions are, so the page is. The page (`html/page.html`, `page.css`, `page.js`, inlined) draws them as SVG with
//! its own few hundred lines of script: pan and zoom, colour by type (or community where the graph
//! has communities), edge width by weight (or the chosen measure), search over labels and aliases,
//! details of a node or link with the evidence sentences, the K best paths between two entities
//! ([`crate::query::connect()`]'s shortest paths in the same order; a browser test compares them with
//! `entgraph connect` over many pairs), and filters by type and weight that hide without re-layout.
//!
//! A graph larger than [`MAX_NODES`] entities is drawn as its [`MAX_NODES`] entities of highest
//! weighted degree, with at most [`MAX_EDGES`] of the edges between them (heaviest first); the page
//! says what it leaves out and how to see more (drawing filters, `entgraph serve`).
//!
//! The data is one JSON object in a `<script type="application/json">` element, with every `<`
//! written `\u003c`, so no name or sentence can end the element. Document names are listed once and
//! referred to by number. Nodes carry `o`, their place in (label, id) order, the tie-break of every
//! ranking of [`crate::query`], so the page's ordering cannot differ from Rust's string order.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::process::{Command, Stdio};

use graphviz_rust::dot_structures::{Attribute, Graph as DotGraph, GraphAttributes, Id, Stmt};
use graphviz_rust::printer::{DotPrinter, PrinterContext};
use serde::Serialize;

use super::Exporter;
use super::dot::style_for;
use super::render::{GRAPHVIZ_MISSING, RenderExporter};
use super::xml::xml_safe;
use crate::error::Result;
use crate::graph::{Graph, Link};
use crate::query::{Filter, filter};

/// Graphs with more entities than this are drawn as this many, those of highest weighted degree.
pub const MAX_NODES: usize = 300;

/// At most this many edges are drawn (the heaviest; ties: graph order).
pub const MAX_EDGES: usize = 2000;

const PAGE: &str = include_str!("html/page.html");
const CSS: &str = include_str!("html/page.css");
const JS: &str = include_str!("html/page.js");

/// Writes `graph.html`.
#[derive(Debug, Clone, Copy, Default)]
pub struct HtmlExporter;

/// How the page is made.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageOptions {
    /// The page is served by `entgraph serve`: search, connect and neighbourhoods also ask its
    /// JSON API, which answers from the whole graph.
    pub api: bool,
    /// The page's title (default: "entgraph").
    pub title: Option<String>,
    /// What the drawing is, when it is a part of the graph chosen by the viewer (a neighbourhood).
    pub view: Option<String>,
}

/// What the drawing leaves out of a graph too large to draw whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Cap {
    /// Entities in the graph given.
    pub nodes: usize,
    /// Edges in the graph given.
    pub edges: usize,
    /// Entities drawn.
    pub drawn_nodes: usize,
    /// Edges drawn.
    pub drawn_edges: usize,
}

/// Where Graphviz put a node: centre and size, in points, y downwards.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct NodeBox {
    /// Centre x.
    pub x: f64,
    /// Centre y.
    pub y: f64,
    /// Width.
    pub w: f64,
    /// Height.
    pub h: f64,
}

/// A Graphviz layout: node boxes in node order, and the drawing's size, in points, y downwards.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Layout {
    /// Width of the drawing.
    pub width: f64,
    /// Height of the drawing.
    pub height: f64,
    /// One box per node, in node order.
    pub nodes: Vec<NodeBox>,
}

/// The part of `graph` the page draws: the whole graph when it is small enough, else the
/// [`MAX_NODES`] entities of highest weighted degree and at most [`MAX_EDGES`] edges between them.
pub fn drawable(graph: &Graph) -> (Cow<'_, Graph>, Option<Cap>) {
    if graph.node_count() <= MAX_NODES && graph.edge_count() <= MAX_EDGES {
        return (Cow::Borrowed(graph), None);
    }
    let top = if graph.node_count() > MAX_NODES {
        Cow::Owned(filter(
            graph,
            &Filter {
                top: Some(MAX_NODES),
                ..Default::default()
            },
        ))
    } else {
        Cow::Borrowed(graph)
    };
    let drawn = if top.edge_count() > MAX_EDGES {
        let mut order: Vec<usize> = (0..top.edge_count()).collect();
        let weights: Vec<u64> = top.edges().map(|e| e.edge.weight).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(weights[i]));
        let mut keep = vec![false; top.edge_count()];
        for &i in &order[..MAX_EDGES] {
            keep[i] = true;
        }
        let links: Vec<Link> = top
            .edges()
            .zip(keep)
            .filter(|(_, k)| *k)
            .map(|(e, _)| Link::new(&e.source.id, &e.target.id, e.edge.clone()))
            .collect();
        let nodes = top.nodes().cloned().collect();
        Graph::from_parts(nodes, links, top.info().clone()).expect("a part of a valid graph")
    } else {
        top.into_owned()
    };
    let cap = Cap {
        nodes: graph.node_count(),
        edges: graph.edge_count(),
        drawn_nodes: drawn.node_count(),
        drawn_edges: drawn.edge_count(),
    };
    (Cow::Owned(drawn), Some(cap))
}

/// Lays `graph` out with Graphviz: the DOT of `graph.svg` without its legend, through `neato` or
/// `sfdp` and `-Tjson0`.
///
/// # Errors
/// Graphviz missing (the message says how to install it), failing, or giving what cannot be read.
pub fn layout(graph: &Graph) -> std::io::Result<Layout> {
    if graph.node_count() == 0 {
        return Ok(Layout::default());
    }
    let mut dot = RenderExporter::svg().to_dot(graph);
    let (DotGraph::Graph { stmts, .. } | DotGraph::DiGraph { stmts, .. }) = &mut dot;
    for s in stmts.iter_mut() {
        if let Stmt::GAttribute(GraphAttributes::Graph(attrs)) = s {
            attrs.retain(|Attribute(k, _)| {
                !matches!(k, Id::Plain(k) if ["label", "labelloc", "labeljust", "splines"].contains(&k.as_str()))
            });
            attrs.push(Attribute(
                Id::Plain("splines".into()),
                Id::Plain("false".into()),
            ));
        }
    }
    let text = xml_safe(&dot.print(&mut PrinterContext::default())).into_owned();
    let engine = if RenderExporter::is_large(graph) {
        "-Ksfdp"
    } else {
        "-Kneato"
    };
    let mut child = Command::new("dot")
        .args([engine, "-Tjson0"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                std::io::Error::new(
                    e.kind(),
                    GRAPHVIZ_MISSING.replacen("svg and png output need", "html output needs", 1),
                )
            } else {
                e
            }
        })?;
    let mut stdin = child.stdin.take().expect("piped");
    let writer = std::thread::spawn(move || stdin.write_all(text.as_bytes()));
    let output = child.wait_with_output()?;
    writer
        .join()
        .unwrap_or_else(|e| std::panic::resume_unwind(e))?;
    if !output.status.success() {
        let msg = String::from_utf8_lossy(&output.stderr);
        let msg = msg.split_whitespace().collect::<Vec<_>>().join(" ");
        return Err(std::io::Error::other(format!("graphviz failed: {msg}")));
    }
    parse_json0(&output.stdout, graph.node_count())
}

fn bad(what: &str) -> std::io::Error {
    std::io::Error::other(format!(
        "graphviz gave a layout that cannot be read: {what}"
    ))
}

/// Reads Graphviz's `-Tjson0`: objects are numbered (`_gvid`) in the order the DOT declares them,
/// which is node order.
fn parse_json0(bytes: &[u8], nodes: usize) -> std::io::Result<Layout> {
    let v: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| bad(&e.to_string()))?;
    let numbers = |s: &str| -> Option<Vec<f64>> {
        s.split([',', ' '])
            .filter(|t| !t.is_empty())
            .map(|t| t.parse::<f64>().ok())
            .collect()
    };
    let bb = v["bb"]
        .as_str()
        .and_then(numbers)
        .filter(|b| b.len() == 4)
        .ok_or_else(|| bad("no bounding box"))?;
    let (left, top) = (bb[0], bb[3]);
    let mut layout = Layout {
        width: bb[2] - bb[0],
        height: bb[3] - bb[1],
        nodes: vec![NodeBox::default(); nodes],
    };
    let mut seen = 0;
    for o in v["objects"].as_array().map(Vec::as_slice).unwrap_or(&[]) {
        let Some(i) = o["_gvid"]
            .as_u64()
            .map(|i| i as usize)
            .filter(|&i| i < nodes)
        else {
            continue;
        };
        let pos = o["pos"]
            .as_str()
            .and_then(numbers)
            .filter(|p| p.len() == 2)
            .ok_or_else(|| bad("a node without a position"))?;
        let inches = |k: &str| o[k].as_str().and_then(|s| s.parse::<f64>().ok());
        layout.nodes[i] = NodeBox {
            x: pos[0] - left,
            y: top - pos[1],
            w: inches("width").ok_or_else(|| bad("a node without a width"))? * 72.0,
            h: inches("height").ok_or_else(|| bad("a node without a height"))? * 72.0,
        };
        seen += 1;
    }
    if seen != nodes {
        return Err(bad(&format!("{seen} of {nodes} nodes placed")));
    }
    Ok(layout)
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// The page's data (see the module docs; `page.js` reads it).
#[derive(Debug, Serialize)]
struct Data<'g> {
    title: &'g str,
    api: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    view: Option<&'g str>,
    info: Info,
    cap: Option<Cap>,
    types: Vec<TypeStyle<'g>>,
    docs: Vec<&'g str>,
    width: f64,
    height: f64,
    nodes: Vec<PageNode<'g>>,
    edges: Vec<PageEdge<'g>>,
}

#[derive(Debug, Serialize)]
struct Info {
    window: String,
    documents: u64,
    mentions: u64,
    min_weight: u64,
}

#[derive(Debug, Serialize)]
struct TypeStyle<'g> {
    name: &'g str,
    shape: &'static str,
    color: String,
}

#[derive(Debug, Serialize)]
struct PageNode<'g> {
    id: &'g str,
    label: &'g str,
    /// Index into `types`.
    t: usize,
    mentions: u64,
    /// Indices into `docs`.
    docs: Vec<usize>,
    aliases: &'g [String],
    /// Place in (label, id) order.
    o: usize,
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

#[derive(Debug, Serialize)]
struct PageEdge<'g> {
    s: usize,
    t: usize,
    weight: u64,
    /// Evidence windows: `[doc index, start, end, text]`.
    ev: Vec<(usize, usize, usize, &'g str)>,
}

/// The page for `graph` (drawn as [`drawable`] says), laid out by Graphviz.
///
/// # Errors
/// Graphviz missing or failing.
pub fn page(graph: &Graph, options: &PageOptions) -> std::io::Result<Vec<u8>> {
    let (drawn, cap) = drawable(graph);
    let layout = layout(&drawn)?;
    Ok(page_with_layout(&drawn, &layout, cap, options))
}

/// The page for `graph` drawn whole with `layout` (which must be [`layout`]`(graph)`).
pub fn page_with_layout(
    graph: &Graph,
    layout: &Layout,
    cap: Option<Cap>,
    options: &PageOptions,
) -> Vec<u8> {
    let data = page_data(graph, layout, cap, options);
    let mut json = serde_json::to_string(&data).expect("serializable");
    if json.contains('<') {
        json = json.replace('<', "\\u003c");
    }
    let title = options.title.as_deref().unwrap_or("entgraph");
    let title = quick_xml::escape::escape(xml_safe(title).into_owned()).into_owned();
    // The script and style are the project's own: no `</script>` or `</style>` in them.
    PAGE.replacen("{{title}}", &title, 1)
        .replacen("{{css}}", CSS, 1)
        .replacen("{{data}}", &json, 1)
        .replacen("{{js}}", JS, 1)
        .into_bytes()
}

/// The page's data as JSON (for `entgraph serve`'s views).
pub fn page_json(
    graph: &Graph,
    layout: &Layout,
    cap: Option<Cap>,
    options: &PageOptions,
) -> Vec<u8> {
    serde_json::to_vec(&page_data(graph, layout, cap, options)).expect("serializable")
}

fn page_data<'g>(
    graph: &'g Graph,
    layout: &'g Layout,
    cap: Option<Cap>,
    options: &'g PageOptions,
) -> Data<'g> {
    let mut type_index: BTreeMap<&str, usize> = BTreeMap::new();
    for n in graph.nodes() {
        type_index.insert(&n.kind, 0);
    }
    let types: Vec<TypeStyle> = type_index
        .keys()
        .map(|&name| {
            let (shape, color) = style_for(name);
            TypeStyle { name, shape, color }
        })
        .collect();
    for (i, v) in type_index.values_mut().enumerate() {
        *v = i;
    }
    let mut doc_index: HashMap<&str, usize> = HashMap::new();
    let mut docs: Vec<&str> = Vec::new();
    let mut doc = |d: &'g str| {
        *doc_index.entry(d).or_insert_with(|| {
            docs.push(d);
            docs.len() - 1
        })
    };
    let mut order: Vec<usize> = (0..graph.node_count()).collect();
    let all: Vec<&crate::graph::Node> = graph.nodes().collect();
    order.sort_by(|&a, &b| {
        (all[a].label.as_str(), all[a].id.as_str())
            .cmp(&(all[b].label.as_str(), all[b].id.as_str()))
    });
    let mut rank = vec![0; order.len()];
    for (r, &i) in order.iter().enumerate() {
        rank[i] = r;
    }
    let nodes: Vec<PageNode> = graph
        .nodes()
        .enumerate()
        .map(|(i, n)| {
            let b = layout.nodes.get(i).copied().unwrap_or_default();
            PageNode {
                id: &n.id,
                label: &n.label,
                t: type_index[n.kind.as_str()],
                mentions: n.mentions,
                docs: n.documents.iter().map(|d| doc(d)).collect(),
                aliases: &n.aliases,
                o: rank[i],
                x: round1(b.x),
                y: round1(b.y),
                w: round1(b.w),
                h: round1(b.h),
            }
        })
        .collect();
    let edges: Vec<PageEdge> = graph
        .edges()
        .map(|e| PageEdge {
            s: e.source_index.index(),
            t: e.target_index.index(),
            weight: e.edge.weight,
            ev: e
                .edge
                .evidence
                .iter()
                .map(|ev| (doc(&ev.doc), ev.start, ev.end, &*ev.text))
                .collect(),
        })
        .collect();
    let info = graph.info();
    Data {
        title: options.title.as_deref().unwrap_or("entgraph"),
        api: options.api,
        view: options.view.as_deref(),
        info: Info {
            window: info.window.to_string(),
            documents: info.documents,
            mentions: info.mentions,
            min_weight: info.min_weight,
        },
        cap,
        types,
        docs,
        width: round1(layout.width),
        height: round1(layout.height),
        nodes,
        edges,
    }
}

impl Exporter for HtmlExporter {
    fn name(&self) -> &'static str {
        "html"
    }
    fn file_name(&self) -> &'static str {
        "graph.html"
    }
    fn write(&self, graph: &Graph, out: &mut dyn Write) -> std::io::Result<()> {
        out.write_all(&page(graph, &PageOptions::default())?)
    }
    fn check(&self) -> Result<()> {
        RenderExporter::svg().check().map_err(|e| match e {
            crate::Error::Invalid(m) if m == GRAPHVIZ_MISSING => {
                crate::Error::Invalid(m.replacen("svg and png output need", "html output needs", 1))
            }
            e => e,
        })
    }
}

#[cfg(test)]
mod tests;
