//! Checks that what every exporter writes for a graph parses with a real reader, and that the names
//! come back: shared by the hostile-names property test (`hostile.rs`), the fuzz regressions and
//! the fuzz driver (`examples/fuzz.rs`, which includes this file by path). Uses the library only.
//!
//! | output | read by | checked |
//! |---|---|---|
//! | DOT | graphviz-rust's parser | parses; one node statement per node; ids and labels decode back (control characters other than newline were made spaces) |
//! | graph.json | serde_json, `read_graph` | parses; round trip gives the same nodes and edges |
//! | GraphML, GEXF | quick-xml's reader | well-formed (tags balanced, references valid); only XML 1.0 characters; one `<node>` per node; every label decodes back (characters XML cannot hold were made U+FFFD) |
//! | Cytoscape.js | serde_json | parses; one element per node and edge |
//! | nodes.csv, edges.csv | the csv crate | every record has the header's width; labels come back exactly |
//! | mentions.jsonl | serde_json | every line decodes to the record written |
//!
//! SVG and PNG are not checked here (they need Graphviz, and SVG is the DOT's labels through the
//! same XML rule).

#![allow(dead_code)]

use std::collections::BTreeMap;

use entgraph::export::mentions::MentionRecord;
use entgraph::export::{
    CsvExporter, CytoscapeExporter, DotExporter, Exporter, GexfExporter, GraphmlExporter,
    JsonExporter,
};
use entgraph::graph::Graph;

/// The bytes `exporter` writes for `file`.
fn render(exporter: &dyn Exporter, graph: &Graph, file: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    exporter
        .write_file(graph, file, &mut out)
        .map_err(|e| format!("{}: write failed: {e}", exporter.name()))?;
    Ok(out)
}

fn utf8(format: &str, bytes: Vec<u8>) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|e| format!("{format}: not UTF-8: {e}"))
}

/// Every check below, on one graph. The error names the format and what failed.
pub fn check_graph(graph: &Graph) -> Result<(), String> {
    check_dot(graph)?;
    check_json(graph)?;
    check_xml(graph, &GraphmlExporter, "node", "label")?;
    check_xml(graph, &GexfExporter, "node", "label")?;
    check_cytoscape(graph)?;
    check_csv(graph)?;
    Ok(())
}

/// What the DOT writer keeps of a string: control characters other than newline become spaces.
pub fn dot_clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() && c != '\n' { ' ' } else { c })
        .collect()
}

/// Decodes a quoted DOT string as entgraph writes it (`\"`, `\\`, `\n`).
fn dot_unquote(s: &str) -> Result<String, String> {
    let inner = s
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .ok_or_else(|| format!("DOT: not a quoted string: {s:?}"))?;
    let mut out = String::new();
    let mut it = inner.chars();
    while let Some(c) = it.next() {
        match c {
            '\\' => match it.next() {
                Some('"') => out.push('"'),
                Some('\\') => out.push('\\'),
                Some('n') => out.push('\n'),
                other => return Err(format!("DOT: unexpected escape \\{other:?} in {s:?}")),
            },
            '"' => return Err(format!("DOT: unescaped quote in {s:?}")),
            c => out.push(c),
        }
    }
    Ok(out)
}

pub fn check_dot(graph: &Graph) -> Result<(), String> {
    use graphviz_rust::dot_structures::{Graph as G, Id, Stmt};
    let text = utf8("DOT", render(&DotExporter, graph, "graph.dot")?)?;
    let parsed = graphviz_rust::parse(&text).map_err(|e| format!("DOT does not parse: {e}"))?;
    let G::Graph { stmts, .. } = parsed else {
        return Err("DOT: not an undirected graph".into());
    };
    let mut labels = BTreeMap::new();
    for s in &stmts {
        if let Stmt::Node(n) = s {
            let Id::Escaped(id) = &n.id.0 else {
                return Err(format!("DOT: node id not quoted: {:?}", n.id.0));
            };
            let label = n
                .attributes
                .iter()
                .find(|a| matches!(&a.0, Id::Plain(k) if k == "label"))
                .ok_or("DOT: node without label")?;
            let Id::Escaped(label) = &label.1 else {
                return Err("DOT: label not quoted".into());
            };
            labels.insert(dot_unquote(id)?, dot_unquote(label)?);
        }
    }
    let want: BTreeMap<String, String> = graph
        .nodes()
        .map(|n| (dot_clean(&n.id), dot_clean(&n.label)))
        .collect();
    if labels != want {
        return Err(format!(
            "DOT: nodes and labels do not decode back\n got {labels:?}\nwant {want:?}"
        ));
    }
    Ok(())
}

pub fn check_json(graph: &Graph) -> Result<(), String> {
    let bytes = render(&JsonExporter, graph, "graph.json")?;
    let _: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|e| format!("graph.json does not parse: {e}"))?;
    let back = entgraph::export::json::read_graph(&bytes)
        .map_err(|e| format!("graph.json does not read back: {e}"))?;
    let nodes = |g: &Graph| g.nodes().cloned().collect::<Vec<_>>();
    let edges = |g: &Graph| g.edges().map(|e| e.edge.clone()).collect::<Vec<_>>();
    let ends = |g: &Graph| {
        g.edges()
            .map(|e| (e.source.id.clone(), e.target.id.clone()))
            .collect::<Vec<_>>()
    };
    if nodes(&back) != nodes(graph) || edges(&back) != edges(graph) || ends(&back) != ends(graph) {
        return Err("graph.json: the round trip changed the graph".into());
    }
    Ok(())
}

/// XML 1.0 `Char`.
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

fn xml_clean(s: &str) -> String {
    s.chars()
        .map(|c| if is_xml_char(c) { c } else { '\u{FFFD}' })
        .collect()
}

/// Well-formed XML (quick-xml's reader, end names checked), only XML characters, character
/// references to XML characters only; one `<node_tag>` per node, and the `label_attr` attribute
/// of each (GEXF) or the text of its `<data key="label">` (GraphML) decodes to the label.
pub fn check_xml(
    graph: &Graph,
    exporter: &dyn Exporter,
    node_tag: &str,
    label_attr: &str,
) -> Result<(), String> {
    use quick_xml::events::Event;
    let name = exporter.name();
    let text = utf8(name, render(exporter, graph, exporter.file_name())?)?;
    if let Some(c) = text.chars().find(|&c| !is_xml_char(c)) {
        return Err(format!("{name}: holds {c:?}, which XML 1.0 cannot"));
    }
    let mut reader = quick_xml::Reader::from_str(&text);
    reader.config_mut().check_end_names = true;
    let mut depth = 0usize;
    let mut labels = Vec::new();
    let mut in_label = false;
    let mut label_text = String::new();
    loop {
        let event = reader.read_event().map_err(|e| {
            format!(
                "{name}: not well-formed at {}: {e}",
                reader.error_position()
            )
        })?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let is_empty = matches!(event, Event::Empty(_));
                if !is_empty {
                    depth += 1;
                }
                let mut attrs = BTreeMap::new();
                for a in e.attributes() {
                    let a = a.map_err(|e| format!("{name}: bad attribute: {e}"))?;
                    let v = a
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map_err(|e| format!("{name}: bad attribute value: {e}"))?;
                    check_refs(name, &v)?;
                    attrs.insert(a.key.as_ref().to_string(), v.into_owned());
                }
                let tag = e.name().as_ref().to_string();
                if tag == node_tag {
                    if let Some(l) = attrs.get(label_attr) {
                        labels.push(l.clone());
                    }
                } else if tag == "data" && attrs.get("key").is_some_and(|k| k == "label") {
                    in_label = !is_empty;
                    label_text.clear();
                    if is_empty {
                        labels.push(String::new());
                    }
                }
            }
            Event::End(ref e) => {
                depth = depth
                    .checked_sub(1)
                    .ok_or_else(|| format!("{name}: unbalanced end tag"))?;
                if in_label && e.name().as_ref() == "data" {
                    labels.push(std::mem::take(&mut label_text));
                    in_label = false;
                }
            }
            Event::Text(ref t) => {
                let s = t.xml10_content();
                if in_label {
                    label_text.push_str(&s);
                }
            }
            Event::GeneralRef(ref r) => {
                let resolved = if let Some(ch) = r
                    .resolve_char_ref()
                    .map_err(|e| format!("{name}: bad character reference: {e}"))?
                {
                    if !is_xml_char(ch) {
                        return Err(format!(
                            "{name}: reference to {ch:?}, which XML cannot hold"
                        ));
                    }
                    ch.to_string()
                } else {
                    let n = r.as_ref().to_string();
                    match n.as_str() {
                        "lt" => "<".into(),
                        "gt" => ">".into(),
                        "amp" => "&".into(),
                        "apos" => "'".into(),
                        "quot" => "\"".into(),
                        other => return Err(format!("{name}: unknown entity &{other};")),
                    }
                };
                if in_label {
                    label_text.push_str(&resolved);
                }
            }
            Event::CData(_) => {
                return Err(format!("{name}: unexpected CDATA"));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if depth != 0 {
        return Err(format!("{name}: {depth} element(s) not closed"));
    }
    let mut want: Vec<String> = graph.nodes().map(|n| xml_clean(&n.label)).collect();
    want.sort();
    labels.sort();
    if labels != want {
        return Err(format!(
            "{name}: labels do not decode back\n got {labels:?}\nwant {want:?}"
        ));
    }
    Ok(())
}

/// Attribute values come back unescaped: nothing to check beyond what the reader did, except that
/// no character outside XML survived.
fn check_refs(name: &str, v: &str) -> Result<(), String> {
    match v.chars().find(|&c| !is_xml_char(c)) {
        Some(c) => Err(format!("{name}: attribute decodes to {c:?}")),
        None => Ok(()),
    }
}

pub fn check_cytoscape(graph: &Graph) -> Result<(), String> {
    let bytes = render(&CytoscapeExporter, graph, "graph.cyjs")?;
    let v: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|e| format!("graph.cyjs does not parse: {e}"))?;
    let count = |k: &str| v["elements"][k].as_array().map(|a| a.len());
    if count("nodes") != Some(graph.node_count()) || count("edges") != Some(graph.edge_count()) {
        return Err("graph.cyjs: wrong element counts".into());
    }
    let labels: Vec<&str> = v["elements"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n["data"]["label"].as_str())
        .collect();
    let want: Vec<&str> = graph.nodes().map(|n| n.label.as_str()).collect();
    if labels != want {
        return Err("graph.cyjs: labels changed".into());
    }
    Ok(())
}

pub fn check_csv(graph: &Graph) -> Result<(), String> {
    for (file, rows, label_col) in [
        ("nodes.csv", graph.node_count(), Some(1)),
        ("edges.csv", graph.edge_count(), None),
    ] {
        let bytes = render(&CsvExporter, graph, file)?;
        let mut r = csv::ReaderBuilder::new()
            .has_headers(true)
            .flexible(false)
            .from_reader(bytes.as_slice());
        let width = r
            .headers()
            .map_err(|e| format!("{file}: bad header: {e}"))?
            .len();
        let mut labels = Vec::new();
        let mut n = 0;
        for rec in r.records() {
            let rec = rec.map_err(|e| format!("{file} does not parse: {e}"))?;
            if rec.len() != width {
                return Err(format!(
                    "{file}: record of {} fields, header has {width}",
                    rec.len()
                ));
            }
            if let Some(c) = label_col {
                labels.push(rec[c].to_string());
            }
            n += 1;
        }
        if n != rows {
            return Err(format!("{file}: {n} records for {rows} rows"));
        }
        if label_col.is_some() {
            let want: Vec<String> = graph.nodes().map(|n| n.label.clone()).collect();
            if labels != want {
                return Err(format!(
                    "{file}: labels changed\n got {labels:?}\nwant {want:?}"
                ));
            }
        }
    }
    Ok(())
}

/// Every JSONL line decodes to the record written.
pub fn check_jsonl(records: &[MentionRecord]) -> Result<(), String> {
    let mut out = Vec::new();
    entgraph::export::mentions::write_jsonl(records, &mut out)
        .map_err(|e| format!("mentions.jsonl: write failed: {e}"))?;
    let text = utf8("mentions.jsonl", out)?;
    if text.lines().count() != records.len() {
        return Err("mentions.jsonl: one line per record".into());
    }
    for (line, r) in text.lines().zip(records) {
        let back: MentionRecord = serde_json::from_str(line)
            .map_err(|e| format!("mentions.jsonl line does not parse: {e}: {line}"))?;
        if &back != r {
            return Err(format!("mentions.jsonl: {back:?} != {r:?}"));
        }
    }
    Ok(())
}

/// Checks the spans of one analysis: sentences and mentions lie on char boundaries of the text,
/// are non-empty, sorted and do not overlap; each mention's record has character offsets that
/// slice its text out of the document.
pub fn check_analysis(doc: &entgraph::Document, a: &entgraph::Analysis) -> Result<(), String> {
    let text = &doc.text;
    let spans = |what: &str, spans: &mut dyn Iterator<Item = entgraph::Span>| {
        let mut prev_end = 0;
        for s in spans {
            if s.start >= s.end || s.end > text.len() {
                return Err(format!("{what} span {s:?} out of range 0..{}", text.len()));
            }
            if !text.is_char_boundary(s.start) || !text.is_char_boundary(s.end) {
                return Err(format!("{what} span {s:?} not on char boundaries"));
            }
            if s.start < prev_end {
                return Err(format!(
                    "{what} span {s:?} overlaps the one before (ends {prev_end})"
                ));
            }
            prev_end = s.end;
        }
        Ok(())
    };
    spans("sentence", &mut a.sentences.iter().map(|s| s.span))?;
    spans("mention", &mut a.mentions.iter().map(|m| m.span))?;
    let records = entgraph::export::mentions::records(doc, &a.mentions);
    let chars: Vec<char> = text.chars().collect();
    for r in &records {
        let got: String = chars
            .get(r.start..r.end)
            .ok_or_else(|| format!("record {r:?} out of range"))?
            .iter()
            .collect();
        if got != r.text {
            return Err(format!(
                "record {r:?}: characters {}..{} are {got:?}",
                r.start, r.end
            ));
        }
    }
    check_jsonl(&records)
}

/// One document through analyze (twice: the same result), link in every window, and every
/// exporter.
pub fn check_document(
    pipeline: &entgraph::Pipeline,
    doc: &entgraph::Document,
) -> Result<(), String> {
    check_document_with(pipeline, doc, true)
}

/// [`check_document`]; without `thorough`, the analysis runs once and links in sentence windows
/// only (the fuzz driver's fast path).
pub fn check_document_with(
    pipeline: &entgraph::Pipeline,
    doc: &entgraph::Document,
    thorough: bool,
) -> Result<(), String> {
    use entgraph::graph::Window;
    use entgraph::link::GraphBuilder;
    let a = pipeline.analyze(doc);
    check_analysis(doc, &a)?;
    if thorough {
        let again = pipeline.analyze(doc);
        if again.mentions != a.mentions || again.sentences != a.sentences {
            return Err("analyze is not deterministic".into());
        }
    }
    let windows: &[Window] = if thorough {
        &[Window::Sentence, Window::Paragraph, Window::Document]
    } else {
        &[Window::Sentence]
    };
    for &window in windows {
        let mut b = GraphBuilder::new(window);
        b.add_document(doc, &a.sentences, &a.mentions);
        let g = b.finish(1);
        for e in g.edges() {
            for ev in &e.edge.evidence {
                let got: String = doc
                    .text
                    .chars()
                    .skip(ev.start)
                    .take(ev.end - ev.start)
                    .collect();
                if got != *ev.text {
                    return Err(format!(
                        "{window} evidence {}..{} is not its text",
                        ev.start, ev.end
                    ));
                }
            }
        }
        check_graph(&g).map_err(|e| format!("{window} window: {e}"))?;
    }
    Ok(())
}

/// Bytes as an input file: read (binary files skipped, invalid UTF-8 decoded lossily), then
/// [`check_document`]. `dir` is a scratch directory.
pub fn check_input_bytes(
    pipeline: &entgraph::Pipeline,
    dir: &std::path::Path,
    bytes: &[u8],
) -> Result<(), String> {
    check_input_bytes_with(pipeline, dir, bytes, true)
}

/// [`check_input_bytes`], thorough or not (see [`check_document_with`]).
pub fn check_input_bytes_with(
    pipeline: &entgraph::Pipeline,
    dir: &std::path::Path,
    bytes: &[u8],
    thorough: bool,
) -> Result<(), String> {
    use entgraph::read::{Loaded, Source, read_source};
    let path = dir.join("input.txt");
    std::fs::write(&path, bytes).map_err(|e| format!("scratch file: {e}"))?;
    match read_source(&Source::File(path), false) {
        Ok(Loaded::Document(doc, _)) => check_document_with(pipeline, &doc, thorough),
        Ok(Loaded::Skipped(_)) => Ok(()),
        Err(e) => Err(format!("reading failed: {e}")),
    }
}
