//! `graph.dot`: Graphviz DOT, the text graphviz-rust's printer gives for the graph's DOT structure.
//!
//! An undirected graph named `entgraph`; each node's DOT id is its entity id and its `label` the
//! canonical name; shape and fill colour follow the type (person ellipse, film box, place house,
//! organization hexagon, any other type an octagon with a colour derived from its name); edge
//! `penwidth` grows with the logarithm of the weight, `weight` is the weight and `tooltip` the first
//! evidence sentence. Every string is quoted and escaped (`"`, `\`, newlines, control characters),
//! so any name gives valid DOT.
//!
//! [`DotExporter::to_dot`] builds the graph's DOT structure with graphviz-rust, whose printer
//! defines the text. [`DotExporter::write`] writes the same text by hand, one statement at a time,
//! because the printer takes about ten times as long on a large graph (it builds every statement
//! as owned strings, then the whole text in memory); a test checks the two agree byte for byte.

use std::io::Write;

use graphviz_rust::dot_structures::{
    Attribute, Edge, EdgeTy, Graph as DotGraph, GraphAttributes, Id, Node, NodeId, Stmt, Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};

use super::Exporter;
use crate::graph::{Graph, Reads};

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
    let mut out = Vec::with_capacity(s.len() + 2);
    push_quoted(&mut out, s);
    String::from_utf8(out).expect("quoting keeps UTF-8")
}

/// Appends [`quote`]`(s)` to `out`, copying the runs of bytes that need no escape whole.
fn push_quoted(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    // The bytes that may change: `"`, `\\`, ASCII controls (newline included), DEL, and 0xC2,
    // the first byte of the C1 controls U+0080..U+009F (and of other characters, kept).
    let special = |b: u8| (b < 0x20) | (b == b'"') | (b == b'\\') | (b == 0x7f) | (b == 0xc2);
    let (mut start, mut from) = (0, 0);
    loop {
        let i = crate::text::find_special(bytes, from, special);
        if i == bytes.len() {
            break;
        }
        let (replacement, len): (&[u8], usize) = match bytes[i] {
            b'"' => (b"\\\"", 1),
            b'\\' => (b"\\\\", 1),
            b'\n' => (b"\\n", 1),
            0xc2 => match bytes.get(i + 1) {
                // U+0080..U+009F, the C1 controls.
                Some(0x80..=0x9f) => (b" ", 2),
                _ => {
                    from = i + 1;
                    continue;
                }
            },
            _ => (b" ", 1),
        };
        out.extend_from_slice(&bytes[start..i]);
        out.extend_from_slice(replacement);
        start = i + len;
        from = start;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
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

/// The DOT graph of these statements.
fn dot_graph(stmts: Vec<Stmt>) -> DotGraph {
    DotGraph::Graph {
        id: Id::Plain("entgraph".into()),
        strict: false,
        stmts,
    }
}

/// The default attributes of the graph, its nodes and its edges.
fn defaults() -> Vec<Stmt> {
    vec![
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
    ]
}

impl DotExporter {
    /// The statements of a graph's DOT, in order: defaults, nodes, edges.
    fn statements<'g>(&self, graph: &'g Graph) -> impl Iterator<Item = Stmt> + 'g {
        let nodes = graph.nodes().map(|n| {
            let (shape, color) = style_for(&n.kind);
            let mut attributes = vec![
                attr("label", &n.label),
                attr("type", &n.kind),
                attr("shape", shape),
                attr("fillcolor", &color),
                attr("mentions", &n.mentions.to_string()),
            ];
            if let Some(c) = n.community {
                attributes.push(attr("community", &c.to_string()));
            }
            Stmt::Node(Node {
                id: NodeId(Id::Escaped(quote(&n.id)), None),
                attributes,
            })
        });
        let edges = graph.edges().map(|view| {
            let (a, b, e) = (view.source, view.target, view.edge);
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
        defaults().into_iter().chain(nodes).chain(edges)
    }

    /// Builds the DOT structure for a graph.
    pub fn to_dot(&self, graph: &Graph) -> DotGraph {
        dot_graph(self.statements(graph).collect())
    }
}

impl Exporter for DotExporter {
    fn name(&self) -> &'static str {
        "dot"
    }
    fn file_name(&self) -> &'static str {
        "graph.dot"
    }
    /// Writes what `to_dot(graph).print(..)` gives, byte for byte (a test checks it), without
    /// building the DOT structures: graphviz-rust's printer puts each statement on its own line,
    /// indented by two spaces, as `id[k=v k=v]` for nodes and `a -- b [k=v]` for edges.
    fn write(&self, graph: &Graph, out: &mut dyn Write) -> std::io::Result<()> {
        // Lines are gathered into pieces of about 1 MB (larger than the file's buffer, so they are
        // not copied again).
        const PIECE: usize = 1 << 20;
        let mut buf: Vec<u8> = Vec::with_capacity(PIECE + (1 << 16));
        // The header and the default attributes, as the printer gives them (without the `\n}`
        // that closes the graph).
        let head = dot_graph(defaults()).print(&mut PrinterContext::default());
        out.write_all(head.strip_suffix("\n}").unwrap_or(&head).as_bytes())?;
        let mut num = itoa::Buffer::new();
        for n in graph.nodes() {
            let (shape, color) = style_for(&n.kind);
            buf.extend_from_slice(b"\n  ");
            push_quoted(&mut buf, &n.id);
            buf.extend_from_slice(b"[label=");
            push_quoted(&mut buf, &n.label);
            buf.extend_from_slice(b" type=");
            push_quoted(&mut buf, &n.kind);
            buf.extend_from_slice(b" shape=");
            push_quoted(&mut buf, shape);
            buf.extend_from_slice(b" fillcolor=");
            push_quoted(&mut buf, &color);
            buf.extend_from_slice(b" mentions=\"");
            buf.extend_from_slice(num.format(n.mentions).as_bytes());
            if let Some(c) = n.community {
                buf.extend_from_slice(b"\" community=\"");
                buf.extend_from_slice(num.format(c).as_bytes());
            }
            buf.extend_from_slice(b"\"]");
            if buf.len() >= PIECE {
                out.write_all(&buf)?;
                buf.clear();
            }
        }
        // The node ids quoted once (each is written for every edge it has).
        let ids: Vec<Vec<u8>> = graph
            .nodes()
            .map(|n| {
                let mut q = Vec::with_capacity(n.id.len() + 2);
                push_quoted(&mut q, &n.id);
                q
            })
            .collect();
        for view in graph.edges_read_ahead(Reads::FirstText) {
            let e = view.edge;
            buf.extend_from_slice(b"\n  ");
            buf.extend_from_slice(&ids[view.source_index.index()]);
            buf.extend_from_slice(b" -- ");
            buf.extend_from_slice(&ids[view.target_index.index()]);
            buf.extend_from_slice(b" [weight=\"");
            buf.extend_from_slice(num.format(e.weight).as_bytes());
            buf.extend_from_slice(b"\" penwidth=\"");
            push_penwidth(&mut buf, e.weight);
            buf.push(b'"');
            if let Some(ev) = e.evidence.first() {
                buf.extend_from_slice(b" tooltip=");
                push_quoted(&mut buf, &ev.text);
            }
            buf.push(b']');
            if buf.len() >= PIECE {
                out.write_all(&buf)?;
                buf.clear();
            }
        }
        buf.extend_from_slice(b"\n}\n");
        out.write_all(&buf)?;
        out.flush()
    }
}

/// Appends `1 + log2(weight)` with two decimals, as `format!("{:.2}")` writes it.
fn push_penwidth(out: &mut Vec<u8>, weight: u64) {
    // Weights 1..64 cover most edges: their text is computed once.
    static SMALL: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let penwidth = |w: u64| format!("{:.2}", 1.0 + (w as f64).log2());
    match SMALL
        .get_or_init(|| (0..64).map(penwidth).collect())
        .get(weight as usize)
    {
        Some(s) => out.extend_from_slice(s.as_bytes()),
        None => out.extend_from_slice(penwidth(weight).as_bytes()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{Edge, Evidence, GraphInfo, Link, Node};

    /// `quote` by its char-by-char definition.
    fn slow_quote(s: &str) -> String {
        let mut q = String::from("\"");
        for c in s.chars() {
            match c {
                '"' => q.push_str("\\\""),
                '\\' => q.push_str("\\\\"),
                '\n' => q.push_str("\\n"),
                c if c.is_control() => q.push(' '),
                c => q.push(c),
            }
        }
        q + "\""
    }

    #[test]
    fn dot_quote_table() {
        let cases = [
            ("plain", "\"plain\""),
            ("", "\"\""),
            ("a\"b", "\"a\\\"b\""),
            ("back\\slash", "\"back\\\\slash\""),
            ("line\nbreak", "\"line\\nbreak\""),
            ("tab\tcr\rnul\0del\u{7f}", "\"tab cr nul del \""),
            ("c1 \u{85}\u{9f} x", "\"c1    x\""),
            ("not c1 \u{a0}\u{c0}é", "\"not c1 \u{a0}\u{c0}é\""),
            ("rtl \u{202e}abc \u{2028}", "\"rtl \u{202e}abc \u{2028}\""),
        ];
        for (input, want) in cases {
            assert_eq!(quote(input), want, "{input:?}");
            // The same as the char-by-char definition.
            assert_eq!(quote(input), slow_quote(input), "{input:?}");
        }
    }

    #[test]
    fn dot_quote_every_byte_at_every_place() {
        for c in (0u32..0x100).chain([0x2028, 0x202e, 0xfeff]) {
            let c = char::from_u32(c).unwrap();
            for at in [0, 1, 30, 31, 32, 33, 63, 64] {
                let s = "z".repeat(at) + &c.to_string() + &"y".repeat(40);
                assert_eq!(quote(&s), slow_quote(&s), "{c:?} at {at}");
            }
        }
    }

    #[test]
    fn dot_write_is_the_printers_output() {
        let node = |id: &str, label: &str, kind: &str| Node {
            id: id.into(),
            label: label.into(),
            kind: kind.into(),
            mentions: 3,
            windows: 0,
            community: None,
            documents: vec!["d".into()],
            aliases: vec![],
        };
        let edge = |a: &str, b: &str, w: u64, ev: &[&str]| {
            let evidence = ev
                .iter()
                .map(|t| Evidence {
                    doc: "d".into(),
                    text: (*t).into(),
                    start: 0,
                    end: 0,
                })
                .collect();
            Link::new(
                a,
                b,
                Edge {
                    weight: w,
                    evidence,
                },
            )
        };
        let g = Graph::from_parts(
            vec![
                node("person:b", "B \"q\" \\ \n\u{85}", "person"),
                node("film:a", "A", "film"),
                node("x:\u{202e}", "\0", "weird type"),
                node("place:p", "P", "place"),
                node("organization:o", "O", "organization"),
            ],
            vec![
                edge("person:b", "film:a", 1, &["B \"and\" A.\r\n"]),
                edge("x:\u{202e}", "film:a", 1000, &[]),
                edge("place:p", "organization:o", 63, &["one", "two"]),
                edge("place:p", "x:\u{202e}", 64, &["z"]),
            ],
            GraphInfo::default(),
        )
        .unwrap();
        let empty = Graph::from_parts(vec![], vec![], GraphInfo::default()).unwrap();
        let generated = (0..200).map(crate::graph::generated::hostile_graph);
        for g in [g, empty].into_iter().chain(generated) {
            let mut got = Vec::new();
            DotExporter.write(&g, &mut got).unwrap();
            let want = DotExporter.to_dot(&g).print(&mut PrinterContext::default()) + "\n";
            assert_eq!(String::from_utf8(got).unwrap(), want);
        }
    }
}
