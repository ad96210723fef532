//! Export: consumes a [`Graph`] (or mentions), produces files other tools read as they are.
//!
//! Each format is one file implementing [`Exporter`] and one line in [`exporters`]. Exporters write
//! to any `Write`; [`write_atomic`] puts the bytes in place safely (temp file in the same
//! directory, then rename: [`AtomicFile`]), so an interrupted run leaves the old file or the new
//! one, never half.
//! A format may write several files (CSV writes `nodes.csv` and `edges.csv`): [`write_to_dir`]
//! writes each of them atomically.
//!
//! | format | file(s) | read by |
//! |---|---|---|
//! | `dot` | `graph.dot` | Graphviz ([`dot`]) |
//! | `json` | `graph.json` | networkx `node_link_graph`, D3, `entgraph export` ([`json`]) |
//! | `graphml` | `graph.graphml` | networkx `read_graphml`, igraph, Gephi, yEd, Cytoscape ([`graphml`]) |
//! | `gexf` | `graph.gexf` | Gephi, networkx `read_gexf` ([`gexf`]) |
//! | `cytoscape` | `graph.cyjs` | Cytoscape.js `cy.json()`, Cytoscape desktop ([`cytoscape`]) |
//! | `csv` | `nodes.csv`, `edges.csv` | Gephi's spreadsheet import, Neo4j `LOAD CSV`, pandas ([`csv`]) |
//! | `svg`, `png` | `graph.svg`, `graph.png` | browsers, image viewers; needs Graphviz ([`render`]) |
//! | `html` | `graph.html` | any browser, offline: the interactive page; needs Graphviz ([`html`]) |
//!
//! XML formats go through quick-xml's writer, and [`xml::xml_safe`] replaces the characters XML 1.0
//! cannot hold, so any name gives a well-formed file.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::Result;
use crate::graph::Graph;
use crate::outset::{LockWait, OutputSet};

pub use crate::atomic::{AtomicFile, Stopped, remove_temporary_files, write_atomic};

pub mod csv;
pub mod cytoscape;
pub mod dot;
pub mod gexf;
pub mod graphml;
pub mod html;
pub mod json;
pub mod mentions;
pub mod render;
pub mod xml;

pub use csv::CsvExporter;
pub use cytoscape::CytoscapeExporter;
pub use dot::DotExporter;
pub use gexf::GexfExporter;
pub use graphml::GraphmlExporter;
pub use html::HtmlExporter;
pub use json::JsonExporter;
pub use render::RenderExporter;

/// A graph output format.
///
/// A format writes one file (`file_name`, through `write`) unless it overrides `file_names` and
/// `write_file` to write several; `check` tells, before any work, whether it can be written here.
pub trait Exporter: Send + Sync {
    /// Format name as given to `--formats` (`dot`, `json`).
    fn name(&self) -> &'static str;
    /// File name written by `build` (`graph.dot`); for a format with several files, the first.
    fn file_name(&self) -> &'static str;
    /// Writes the graph (for a format with several files, the first file).
    fn write(&self, graph: &Graph, out: &mut dyn Write) -> std::io::Result<()>;
    /// Every file the format writes, in order; the first is `file_name()`. Default: that one.
    fn file_names(&self) -> Vec<&'static str> {
        vec![self.file_name()]
    }
    /// Writes `file`, one of [`Exporter::file_names`]. Default: [`Exporter::write`].
    fn write_file(&self, graph: &Graph, file: &str, out: &mut dyn Write) -> std::io::Result<()> {
        let _ = file;
        self.write(graph, out)
    }
    /// Fails with a one-line message when this format cannot be written on this machine (a missing
    /// program); called before any work. Default: always possible.
    fn check(&self) -> Result<()> {
        Ok(())
    }
}

/// Every graph exporter, in the order `--formats` lists them.
pub fn exporters() -> Vec<Box<dyn Exporter>> {
    vec![
        Box::new(DotExporter),
        Box::new(JsonExporter),
        Box::new(GraphmlExporter),
        Box::new(GexfExporter),
        Box::new(CytoscapeExporter),
        Box::new(CsvExporter),
        Box::new(RenderExporter::svg()),
        Box::new(RenderExporter::png()),
        Box::new(HtmlExporter),
    ]
}

/// The names of every format, in registry order (`dot`, `json`, …).
///
/// ```
/// assert_eq!(&entgraph::export::format_names()[..2], ["dot", "json"]);
/// ```
pub fn format_names() -> Vec<&'static str> {
    exporters().iter().map(|e| e.name()).collect()
}

/// The exporter with this name.
pub fn exporter(name: &str) -> Option<Box<dyn Exporter>> {
    exporters().into_iter().find(|e| e.name() == name)
}

/// Writes every file of a format into `dir` (created if missing) as one [`OutputSet`]: the files
/// are put in place together, or none is. Returns the paths written, in [`Exporter::file_names`]
/// order. Waits for another run writing into `dir`.
pub fn write_to_dir(exporter: &dyn Exporter, graph: &Graph, dir: &Path) -> Result<Vec<PathBuf>> {
    let mut set = OutputSet::open(dir, LockWait::Wait)?;
    for file in write_files(exporter, graph, &set)? {
        set.stage(file)?;
    }
    set.commit(&[])
}

/// Writes every file of a format to a temporary file of `set`, in [`Exporter::file_names`] order,
/// for the caller to [`OutputSet::stage`].
pub fn write_files(
    exporter: &dyn Exporter,
    graph: &Graph,
    set: &OutputSet,
) -> Result<Vec<AtomicFile>> {
    let mut files = Vec::new();
    for name in exporter.file_names() {
        let mut file = set.create(name)?;
        exporter
            .write_file(graph, name, file.writer())
            .and_then(|()| file.writer().flush())
            .map_err(|e| crate::Error::io(set.dir().join(name), e))?;
        files.push(file);
    }
    Ok(files)
}

/// Every file name an exporter writes, and `mentions.jsonl`: the files of an output set that a
/// `build` removes when it does not write them.
pub fn own_file_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = exporters().iter().flat_map(|e| e.file_names()).collect();
    names.push("mentions.jsonl");
    names
}

/// Graphs for the exporters' tests.
#[cfg(test)]
pub(crate) mod testgraphs {
    use crate::graph::{Edge, Evidence, Graph, GraphInfo, Link, Node};

    /// A person node with these documents and aliases, mentioned `mentions` times.
    pub fn person(
        id: &str,
        label: &str,
        mentions: u64,
        documents: &[&str],
        aliases: &[&str],
    ) -> Node {
        Node {
            id: id.into(),
            label: label.into(),
            kind: "person".into(),
            mentions,
            windows: 0,
            community: None,
            documents: documents.iter().map(|s| s.to_string()).collect(),
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// Two nodes and one edge of weight `weight` from `a` to `b` whose one evidence is `text` in
    /// `doc` (offsets 0 to the text's length in chars).
    pub fn pair(a: Node, b: Node, weight: u64, doc: &str, text: &str) -> Graph {
        let edge = Edge {
            weight,
            evidence: vec![Evidence {
                doc: doc.into(),
                text: text.into(),
                start: 0,
                end: text.chars().count(),
            }],
        };
        let link = Link::new(&a.id, &b.id, edge);
        Graph::from_parts(vec![a, b], vec![link], GraphInfo::default()).unwrap()
    }
}
