//! `graph.gexf`: GEXF 1.3 (namespace `http://gexf.net/1.3`), as Gephi and networkx `read_gexf` read
//! it (networkx 3.x knows the 1.3 namespace and finds it by itself).
//!
//! An undirected static graph (`defaultedgetype="undirected"`). Each node's GEXF id is its entity
//! id and its `label` the canonical name, with these declared attributes (`<attributes
//! class="node">`) and a `viz:color`, the fill colour of the DOT output for its type:
//!
//! | attribute id = title | type | value |
//! |---|---|---|
//! | `type` | string | the entity type |
//! | `mentions` | long | mentions over all documents |
//! | `documents` | long | number of documents that mention it |
//! | `aliases` | string | the other surface forms, as a JSON array (`["Cruise","Tom"]`) |
//!
//! Edges are `e0`, `e1`, … in (source, target) order, with the XML attribute `weight` (the windows
//! the two entities share) and these `<attributes class="edge">`: `evidence_count` (long),
//! `evidence` (string, the first evidence sentence) and `evidence_doc` (string, its document); the
//! last two are absent when an edge has no evidence; `npmi`, `dice`, `llr` (double, absent without
//! window counts). Nodes also have `windows` and `community` (long). The graph-level facts (window, documents,
//! mentions, minimum weight) are in `<meta><description>`. No date is written, so the same graph
//! gives the same bytes.
//!
//! ```xml
//! <node id="person:tom-cruise" label="Tom Cruise">
//!   <attvalues>
//!     <attvalue for="type" value="person"/>
//!     <attvalue for="mentions" value="46"/>
//!     …
//!   </attvalues>
//!   <viz:color r="142" g="202" b="230"/>
//! </node>
//! ```
//! Strings are escaped by quick-xml (in attribute values also tabs and line breaks, as character
//! references); characters XML 1.0 cannot hold become U+FFFD (see [`xml_safe`]).

use std::io::Write;

use quick_xml::events::{BytesDecl, BytesText, Event};

use super::Exporter;
use super::dot::style_for;
use super::xml::{finish, writer, xml_safe};
use crate::graph::{EdgeView, Graph};

/// Writes GEXF 1.3.
#[derive(Debug, Clone, Copy, Default)]
pub struct GexfExporter;

type XmlWriter<'a> = quick_xml::Writer<&'a mut dyn Write>;

/// `<attributes class="…">` with `(id, type)` pairs (the title is the id).
fn attributes(w: &mut XmlWriter<'_>, class: &str, attrs: &[(&str, &str)]) -> std::io::Result<()> {
    w.create_element("attributes")
        .with_attributes([("class", class), ("mode", "static")])
        .write_inner_content(|w| {
            for (id, ty) in attrs {
                w.create_element("attribute")
                    .with_attributes([("id", *id), ("title", *id), ("type", *ty)])
                    .write_empty()?;
            }
            Ok(())
        })?;
    Ok(())
}

/// `<attvalues>` with `(for, value)` pairs.
fn attvalues(w: &mut XmlWriter<'_>, values: &[(&str, String)]) -> std::io::Result<()> {
    w.create_element("attvalues").write_inner_content(|w| {
        for (key, value) in values {
            w.create_element("attvalue")
                .with_attributes([("for", *key), ("value", &xml_safe(value))])
                .write_empty()?;
        }
        Ok(())
    })?;
    Ok(())
}

/// `(r, g, b)` of a `#rrggbb` colour; grey for anything else.
fn rgb(color: &str) -> (u8, u8, u8) {
    let hex = |i: usize| {
        color
            .get(i..i + 2)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
    };
    match (color.len(), hex(1), hex(3), hex(5)) {
        (7, Some(r), Some(g), Some(b)) => (r, g, b),
        _ => (200, 200, 200),
    }
}

impl Exporter for GexfExporter {
    fn name(&self) -> &'static str {
        "gexf"
    }
    fn file_name(&self) -> &'static str {
        "graph.gexf"
    }
    fn write(&self, graph: &Graph, out: &mut dyn Write) -> std::io::Result<()> {
        let mut w = writer(out);
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        let info = graph.info();
        let description = format!(
            "entgraph co-occurrence graph: window {}, {} documents, {} mentions, min weight {}",
            info.window, info.documents, info.mentions, info.min_weight
        );
        w.create_element("gexf")
            .with_attributes([
                ("xmlns", "http://gexf.net/1.3"),
                ("xmlns:viz", "http://gexf.net/1.3/viz"),
                ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
                (
                    "xsi:schemaLocation",
                    "http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd",
                ),
                ("version", "1.3"),
            ])
            .write_inner_content(|w| {
                w.create_element("meta").write_inner_content(|w| {
                    w.create_element("creator")
                        .write_text_content(BytesText::new("entgraph"))?;
                    w.create_element("description")
                        .write_text_content(BytesText::new(&description))?;
                    Ok(())
                })?;
                w.create_element("graph")
                    .with_attributes([("mode", "static"), ("defaultedgetype", "undirected")])
                    .write_inner_content(|w| {
                        attributes(
                            w,
                            "node",
                            &[
                                ("type", "string"),
                                ("mentions", "long"),
                                ("documents", "long"),
                                ("aliases", "string"),
                                ("windows", "long"),
                                ("community", "long"),
                            ],
                        )?;
                        attributes(
                            w,
                            "edge",
                            &[
                                ("evidence_count", "long"),
                                ("evidence", "string"),
                                ("evidence_doc", "string"),
                                ("npmi", "double"),
                                ("dice", "double"),
                                ("llr", "double"),
                            ],
                        )?;
                        w.create_element("nodes").write_inner_content(|w| {
                            for n in graph.nodes() {
                                w.create_element("node")
                                    .with_attributes([
                                        ("id", xml_safe(&n.id).as_ref()),
                                        ("label", &xml_safe(&n.label)),
                                    ])
                                    .write_inner_content(|w| {
                                        let mut values = vec![
                                            ("type", n.kind.clone()),
                                            ("mentions", n.mentions.to_string()),
                                            ("documents", n.documents.len().to_string()),
                                            ("aliases", serde_json::to_string(&n.aliases)?),
                                            ("windows", n.windows.to_string()),
                                        ];
                                        if let Some(c) = n.community {
                                            values.push(("community", c.to_string()));
                                        }
                                        attvalues(w, &values)?;
                                        let (r, g, b) = rgb(&style_for(&n.kind).1);
                                        w.create_element("viz:color")
                                            .with_attributes([
                                                ("r", r.to_string().as_str()),
                                                ("g", &g.to_string()),
                                                ("b", &b.to_string()),
                                            ])
                                            .write_empty()?;
                                        Ok(())
                                    })?;
                            }
                            Ok(())
                        })?;
                        w.create_element("edges").write_inner_content(|w| {
                            for (i, view) in graph.edges().enumerate() {
                                let EdgeView {
                                    source: a,
                                    target: b,
                                    edge: e,
                                    ..
                                } = view;
                                let mut values =
                                    vec![("evidence_count", e.evidence.len().to_string())];
                                if let Some(ev) = e.evidence.first() {
                                    values.push(("evidence", ev.text.to_string()));
                                    values.push(("evidence_doc", ev.doc.to_string()));
                                }
                                if let Some(s) = graph.scores(&view) {
                                    values.push(("npmi", s.npmi.to_string()));
                                    values.push(("dice", s.dice.to_string()));
                                    values.push(("llr", s.llr.to_string()));
                                }
                                w.create_element("edge")
                                    .with_attributes([
                                        ("id", format!("e{i}").as_str()),
                                        ("source", &xml_safe(&a.id)),
                                        ("target", &xml_safe(&b.id)),
                                        ("weight", &e.weight.to_string()),
                                    ])
                                    .write_inner_content(|w| attvalues(w, &values))?;
                            }
                            Ok(())
                        })?;
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

    #[test]
    fn gexf_rgb_cases() {
        for (input, want) in [
            ("#8ecae6", (0x8e, 0xca, 0xe6)),
            ("#FFFFFF", (255, 255, 255)),
            ("red", (200, 200, 200)),
            ("#12345", (200, 200, 200)),
            ("#zz0000", (200, 200, 200)),
        ] {
            assert_eq!(rgb(input), want, "{input}");
        }
    }

    #[test]
    fn gexf_escapes_attribute_values() {
        let node = |id, label| person(id, label, 1, &[], &[]);
        let g = pair(
            node("p:a", "A\t\"<b>\"\nc"),
            node("p:b", "\u{1b}[0m"),
            2,
            "d",
            "x & y",
        );
        let mut buf = Vec::new();
        GexfExporter.write(&g, &mut buf).unwrap();
        let s = String::from_utf8(buf).unwrap();
        assert!(
            s.contains(r#"<node id="p:a" label="A&#9;&quot;&lt;b&gt;&quot;&#10;c">"#),
            "{s}"
        );
        assert!(s.contains("label=\"\u{FFFD}[0m\""), "{s}");
        assert!(
            s.contains(r#"<edge id="e0" source="p:a" target="p:b" weight="2">"#),
            "{s}"
        );
        assert!(
            s.contains(r#"<attvalue for="evidence" value="x &amp; y"/>"#),
            "{s}"
        );
        assert!(s.contains(r#"<viz:color r="142" g="202" b="230"/>"#), "{s}");
    }
}
