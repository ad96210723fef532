//! `nodes.csv` and `edges.csv`: two CSV tables whose headers Gephi's spreadsheet import recognizes
//! and that Neo4j's `LOAD CSV WITH HEADERS` (or pandas, or any CSV reader) reads by column name.
//!
//! `nodes.csv`, one row per entity, sorted by id:
//!
//! ```text
//! Id,Label,type,mentions,documents,aliases,windows,community
//! person:tom-cruise,Tom Cruise,person,46,4,"[""Cruise"",""Tom""]",42,1
//! ```
//! `edges.csv`, one row per pair, sorted by (Source, Target) with Source < Target:
//!
//! ```text
//! Source,Target,Type,Weight,evidence_count,evidence,evidence_doc,npmi,dice,llr
//! person:christopher-mcquarrie,person:tom-cruise,Undirected,3,3,"""We've figured out …"" McQuarrie told Empire.",seeds/003.txt,0.2,0.1,4.5
//! ```
//! `Id`, `Label`, `Source`, `Target`, `Type` (always `Undirected`) and `Weight` are the column names
//! Gephi's import wizard maps to its own node and edge fields; the other columns become attributes.
//! `documents` is the number of documents that mention the entity, `aliases` its other surface forms
//! as a JSON array, `evidence_count` the evidence windows kept (at most 5), `evidence` the first
//! evidence sentence and `evidence_doc` its document (both empty when there is none); `windows` the
//! windows the entity occurs in and `community` its community (empty when not detected); `npmi`,
//! `dice` and `llr` the edge's association scores ([`crate::measure`]; empty without window counts).
//!
//! RFC 4180 quoting: a field is quoted when it contains a comma, a double quote (doubled inside),
//! a line break or carriage return; every other character, control characters included, is kept as
//! it is. UTF-8 without a byte-order mark; records end with `\n`. The two files are written one
//! after the other, each atomically.

use std::io::Write;

use ::csv::{QuoteStyle, WriterBuilder};

use super::Exporter;
use crate::graph::{EdgeView, Graph};
use crate::measure::Scores;

/// Writes `nodes.csv` and `edges.csv`.
#[derive(Debug, Clone, Copy, Default)]
pub struct CsvExporter;

/// The header of `nodes.csv`.
pub const NODE_HEADER: [&str; 8] = [
    "Id",
    "Label",
    "type",
    "mentions",
    "documents",
    "aliases",
    "windows",
    "community",
];
/// The header of `edges.csv`.
pub const EDGE_HEADER: [&str; 10] = [
    "Source",
    "Target",
    "Type",
    "Weight",
    "evidence_count",
    "evidence",
    "evidence_doc",
    "npmi",
    "dice",
    "llr",
];

fn csv_writer(out: &mut dyn Write) -> ::csv::Writer<&mut dyn Write> {
    WriterBuilder::new()
        .quote_style(QuoteStyle::Necessary)
        .from_writer(out)
}

impl CsvExporter {
    /// Writes `nodes.csv`.
    pub fn write_nodes(&self, graph: &Graph, out: &mut dyn Write) -> std::io::Result<()> {
        let mut w = csv_writer(out);
        w.write_record(NODE_HEADER)?;
        for n in graph.nodes() {
            w.write_record([
                n.id.as_str(),
                &n.label,
                &n.kind,
                &n.mentions.to_string(),
                &n.documents.len().to_string(),
                &serde_json::to_string(&n.aliases)?,
                &n.windows.to_string(),
                &n.community.map_or(String::new(), |c| c.to_string()),
            ])?;
        }
        w.flush()
    }

    /// Writes `edges.csv`.
    pub fn write_edges(&self, graph: &Graph, out: &mut dyn Write) -> std::io::Result<()> {
        let mut w = csv_writer(out);
        w.write_record(EDGE_HEADER)?;
        for view in graph.edges() {
            let EdgeView {
                source: a,
                target: b,
                edge: e,
                ..
            } = view;
            let first = e.evidence.first();
            let scores = graph.scores(&view);
            let score =
                |f: fn(&Scores) -> f64| scores.as_ref().map_or(String::new(), |s| f(s).to_string());
            w.write_record([
                a.id.as_str(),
                &b.id,
                "Undirected",
                &e.weight.to_string(),
                &e.evidence.len().to_string(),
                first.map_or("", |ev| &*ev.text),
                first.map_or("", |ev| &*ev.doc),
                &score(|s| s.npmi),
                &score(|s| s.dice),
                &score(|s| s.llr),
            ])?;
        }
        w.flush()
    }
}

impl Exporter for CsvExporter {
    fn name(&self) -> &'static str {
        "csv"
    }
    fn file_name(&self) -> &'static str {
        "nodes.csv"
    }
    fn write(&self, graph: &Graph, out: &mut dyn Write) -> std::io::Result<()> {
        self.write_nodes(graph, out)
    }
    fn file_names(&self) -> Vec<&'static str> {
        vec!["nodes.csv", "edges.csv"]
    }
    fn write_file(&self, graph: &Graph, file: &str, out: &mut dyn Write) -> std::io::Result<()> {
        match file {
            "edges.csv" => self.write_edges(graph, out),
            _ => self.write_nodes(graph, out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::testgraphs::{pair, person};

    #[test]
    fn csv_quotes_what_needs_quoting() {
        let node = |id, label| person(id, label, 1, &["a", "b"], &["x,y"]);
        let g = pair(
            node("p:a", "Dwayne \"The Rock\", Jr."),
            node("p:b", "B\nc"),
            2,
            "d.txt",
            "plain",
        );
        let mut nodes = Vec::new();
        CsvExporter.write_file(&g, "nodes.csv", &mut nodes).unwrap();
        assert_eq!(
            String::from_utf8(nodes).unwrap(),
            "Id,Label,type,mentions,documents,aliases,windows,community\n\
             p:a,\"Dwayne \"\"The Rock\"\", Jr.\",person,1,2,\"[\"\"x,y\"\"]\",0,\n\
             p:b,\"B\nc\",person,1,2,\"[\"\"x,y\"\"]\",0,\n"
        );
        let mut edges = Vec::new();
        CsvExporter.write_file(&g, "edges.csv", &mut edges).unwrap();
        assert_eq!(
            String::from_utf8(edges).unwrap(),
            "Source,Target,Type,Weight,evidence_count,evidence,evidence_doc,npmi,dice,llr\n\
             p:a,p:b,Undirected,2,1,plain,d.txt,,,\n"
        );
    }
}
