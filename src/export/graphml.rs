//! `graph.graphml`: GraphML, as networkx `read_graphml`, igraph `Graph.Read_GraphML`, Gephi,
//! Cytoscape desktop and yEd read it.
//!
//! Every attribute is declared by a `<key>` with its `attr.type`, so readers get numbers as numbers:
//!
//! | key id | for | attr.name | attr.type | value |
//! |---|---|---|---|---|
//! | `g_window` | graph | `window` | string | `sentence`, `paragraph` or `document` |
//! | `g_documents` | graph | `documents` | long | documents read |
//! | `g_mentions` | graph | `mentions` | long | mentions found |
//! | `g_min_weight` | graph | `min_weight` | long | lighter edges were dropped |
//! | `g_windows` | graph | `windows` | long | windows analyzed |
//! | `label` | node | `label` | string | the canonical name |
//! | `type` | node | `type` | string | the entity type |
//! | `mentions` | node | `mentions` | long | mentions over all documents |
//! | `documents` | node | `documents` | long | number of documents that mention it |
//! | `aliases` | node | `aliases` | string | the other surface forms, as a JSON array (`["Cruise","Tom"]`) |
//! | `windows` | node | `windows` | long | windows it occurs in |
//! | `community` | node | `community` | long | its community (1 the largest) |
//! | `weight` | edge | `weight` | long | windows the two entities share |
//! | `npmi`, `dice`, `llr` | edge | same | double | association scores ([`crate::measure`]; absent without window counts) |
//! | `evidence_count` | edge | `evidence_count` | long | evidence windows kept (at most 5) |
//! | `evidence` | edge | `evidence` | string | the first evidence sentence (absent when none) |
//! | `evidence_doc` | edge | `evidence_doc` | string | its document (absent when none) |
//!
//! ```xml
//! <graph id="entgraph" edgedefault="undirected">
//!   <node id="person:tom-cruise">
//!     <data key="label">Tom Cruise</data>
//!     <data key="type">person</data>
//!     …
//!   </node>
//!   <edge id="e0" source="person:christopher-mcquarrie" target="person:tom-cruise">
//!     <data key="weight">3</data>
//!     …
//! ```
//! A node's GraphML id is its entity id; edges are `e0`, `e1`, … in (source, target) order, source <
//! target. The document names of `graph.json` and the evidence beyond the first are not written
//! (use `graph.json` for those). Strings are escaped by quick-xml; characters XML 1.0 cannot hold
//! become U+FFFD (see [`xml_safe`]).

use std::io::Write;

use quick_xml::events::{BytesDecl, BytesText, Event};

use super::Exporter;
use super::xml::{finish, writer, xml_safe};
use crate::graph::{EdgeView, Graph};

/// Writes GraphML.
#[derive(Debug, Clone, Copy, Default)]
pub struct GraphmlExporter;

/// `(id, for, attr.name, attr.type)` of every key, in the order written.
const KEYS: [(&str, &str, &str, &str); 19] = [
    ("g_window", "graph", "window", "string"),
    ("g_documents", "graph", "documents", "long"),
    ("g_mentions", "graph", "mentions", "long"),
    ("g_min_weight", "graph", "min_weight", "long"),
    ("g_windows", "graph", "windows", "long"),
    ("label", "node", "label", "string"),
    ("type", "node", "type", "string"),
    ("mentions", "node", "mentions", "long"),
    ("documents", "node", "documents", "long"),
    ("aliases", "node", "aliases", "string"),
    ("windows", "node", "windows", "long"),
    ("community", "node", "community", "long"),
    ("weight", "edge", "weight", "long"),
    ("npmi", "edge", "npmi", "double"),
    ("dice", "edge", "dice", "double"),
    ("llr", "edge", "llr", "double"),
    ("evidence_count", "edge", "evidence_count", "long"),
    ("evidence", "edge", "evidence", "string"),
    ("evidence_doc", "edge", "evidence_doc", "string"),
];

type XmlWriter<'a> = quick_xml::Writer<&'a mut dyn Write>;

/// Writes `<data key="key">value</data>`.
fn data(w: &mut XmlWriter<'_>, key: &str, value: &str) -> std::io::Result<()> {
    w.create_element("data")
        .with_attribute(("key", key))
        .write_text_content(BytesText::new(&xml_safe(value)))?;
    Ok(())
}

impl Exporter for GraphmlExporter {
    fn name(&self) -> &'static str {
        "graphml"
    }
    fn file_name(&self) -> &'static str {
        "graph.graphml"
    }
    fn write(&self, graph: &Graph, out: &mut dyn Write) -> std::io::Result<()> {
        let mut w = writer(out);
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        w.create_element("graphml")
            .with_attributes([
                ("xmlns", "http://graphml.graphdrawing.org/xmlns"),
                ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
                (
                    "xsi:schemaLocation",
                    "http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd",
                ),
            ])
            .write_inner_content(|w| {
                for (id, domain, name, ty) in KEYS {
                    w.create_element("key")
                        .with_attributes([
                            ("id", id),
                            ("for", domain),
                            ("attr.name", name),
                            ("attr.type", ty),
                        ])
                        .write_empty()?;
                }
                w.create_element("graph")
                    .with_attributes([("id", "entgraph"), ("edgedefault", "undirected")])
                    .write_inner_content(|w| {
                        let info = graph.info();
                        data(w, "g_window", &info.window.to_string())?;
                        data(w, "g_documents", &info.documents.to_string())?;
                        data(w, "g_mentions", &info.mentions.to_string())?;
                        data(w, "g_min_weight", &info.min_weight.to_string())?;
                        data(w, "g_windows", &info.windows.to_string())?;
                        for n in graph.nodes() {
                            w.create_element("node")
                                .with_attribute(("id", xml_safe(&n.id).as_ref()))
                                .write_inner_content(|w| {
                                    data(w, "label", &n.label)?;
                                    data(w, "type", &n.kind)?;
                                    data(w, "mentions", &n.mentions.to_string())?;
                                    data(w, "documents", &n.documents.len().to_string())?;
                                    let aliases = serde_json::to_string(&n.aliases)?;
                                    data(w, "aliases", &aliases)?;
                                    data(w, "windows", &n.windows.to_string())?;
                                    if let Some(c) = n.community {
                                        data(w, "community", &c.to_string())?;
                                    }
                                    Ok(())
                                })?;
                        }
                        for (i, view) in graph.edges().enumerate() {
                            let EdgeView { source: a, target: b, edge: e, .. } = view;
                            w.create_element("edge")
                                .with_attributes([
                                    ("id", format!("e{i}").as_str()),
                                    ("source", &xml_safe(&a.id)),
                                    ("target", &xml_safe(&b.id)),
                                ])
                                .write_inner_content(|w| {
                                    data(w, "weight", &e.weight.to_string())?;
                                    if let Some(s) = graph.scores(&view) {
                                        data(w, "npmi", &s.npmi.to_string())?;
                                        data(w, "dice", &s.dice.to_string())?;
                                        data(w, "llr", &s.llr.to_string())?;
                                    }
                                    data(w, "evidence_count", &e.evidence.len().to_string())?;
                                    if let Some(ev) = e.evidence.first() {
                                        data(w, "evidence", &ev.text)?;
                                        data(w, "evidence_doc", &ev.doc)?;
                                    }
                                    Ok(())
                                })?;
                        }
                        Ok(())
                    })?;
                Ok(())
            })?;
        finish(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::testgraphs::{pair, person};
    use crate::graph::Node;

    fn node(id: &str, label: &str) -> Node {
        person(id, label, 2, &["a.txt"], &["A\"b"])
    }

    #[test]
    fn graphml_escapes_every_string() {
        let g = pair(
            node("p:b", "B\r\nc"),
            node("p:a", "A <&> \"q\" \u{1}"),
            3,
            "d&.txt",
            "<b>",
        );
        let mut buf = Vec::new();
        GraphmlExporter.write(&g, &mut buf).unwrap();
        let s = String::from_utf8(buf).unwrap();
        assert!(
            s.contains("<data key=\"label\">A &lt;&amp;&gt; &quot;q&quot; \u{FFFD}</data>"),
            "{s}"
        );
        assert!(s.contains("<data key=\"label\">B&#13;\nc</data>"), "{s}");
        assert!(
            s.contains("<data key=\"aliases\">[&quot;A\\&quot;b&quot;]</data>"),
            "{s}"
        );
        assert!(
            s.contains("<edge id=\"e0\" source=\"p:a\" target=\"p:b\">"),
            "{s}"
        );
        assert!(s.contains("<data key=\"evidence\">&lt;b&gt;</data>"), "{s}");
        assert!(s.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<graphml "));
        assert!(s.ends_with("</graphml>\n"));
    }
}
