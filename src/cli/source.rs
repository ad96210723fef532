//! Where the query commands (`connect`, `neighbors`, `stats`) get their graph: a saved
//! `graph.json` (`--graph`, default `output/graph.json`), or INPUT files built on the fly with the
//! same recognizer and link options as `build`.

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use entgraph::export::json::read_graph;
use entgraph::graph::{Graph, Window};
use entgraph::link::GraphBuilder;
use entgraph::query::{Filter, filter};

use super::term::Reporter;
use super::{InputArgs, LinkArgs, RecognizeArgs};

/// The default saved graph.
pub const DEFAULT_GRAPH: &str = "output/graph.json";

/// The graph a query runs on.
#[derive(Debug, clap::Args)]
#[command(
    next_help_heading = "Graph (a saved graph.json, or INPUT built with the options of build)"
)]
pub struct GraphArgs {
    /// Build the graph from these files or directories (- for standard input) instead of reading --graph
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<PathBuf>,
    /// A graph.json written by `entgraph build` [default: output/graph.json]
    #[arg(long, value_name = "FILE", conflicts_with = "inputs")]
    pub graph: Option<PathBuf>,
    #[command(flatten)]
    pub recognize: RecognizeArgs,
    #[command(flatten)]
    pub link: LinkArgs,
    /// Print no warnings
    #[arg(long, short)]
    pub quiet: bool,
}

impl GraphArgs {
    /// Reads or builds the graph. `--min-weight` applies to a saved graph too (weaker edges are
    /// dropped before the query); the recognizer options and `--window` need INPUT.
    pub fn load(&self) -> Result<Graph> {
        let mut reporter = Reporter::new(self.quiet);
        let graph = if self.inputs.is_empty() {
            let r = &self.recognize;
            let mut only_with_input = Vec::new();
            if !r.dict.is_empty() {
                only_with_input.push("--dict");
            }
            if r.rules.is_some() {
                only_with_input.push("--rules");
            }
            if r.no_rules {
                only_with_input.push("--no-rules");
            }
            if r.ignore_case {
                only_with_input.push("--ignore-case");
            }
            if r.no_partial_names {
                only_with_input.push("--no-partial-names");
            }
            if self.link.window != Window::Sentence {
                only_with_input.push("--window");
            }
            if !only_with_input.is_empty() {
                bail!(
                    "{} only apply when building from INPUT files, not to a saved graph",
                    only_with_input.join(", ")
                );
            }
            let path = self
                .graph
                .clone()
                .unwrap_or_else(|| PathBuf::from(DEFAULT_GRAPH));
            let bytes = match std::fs::read(&path) {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound && self.graph.is_none() => {
                    bail!(
                        "{}: no such file (run `entgraph build` first, or give --graph FILE or INPUT files)",
                        path.display()
                    )
                }
                Err(e) => return Err(entgraph::Error::io(&path, e).into()),
            };
            let graph = read_graph(&bytes).map_err(|e| entgraph::Error::Graph {
                path: path.clone(),
                message: e.to_string(),
            })?;
            let dir = path.parent().filter(|p| !p.as_os_str().is_empty());
            if entgraph::outset::interrupted_commit(dir.unwrap_or(Path::new("."))) {
                reporter.warn(&entgraph::Warning {
                    path: Some(dir.unwrap_or(Path::new(".")).to_path_buf()),
                    line: None,
                    message: "holds a mixed set of files: a build was killed while putting its files in place (the next build into it completes that one)".into(),
                });
            }
            if self.link.min_weight > 1 {
                filter(
                    &graph,
                    &Filter {
                        min_weight: self.link.min_weight,
                        ..Default::default()
                    },
                )
            } else {
                graph
            }
        } else {
            let pipeline = self.recognize.pipeline()?;
            reporter.warn_all(pipeline.warnings());
            let input = InputArgs {
                inputs: self.inputs.clone(),
                strict: false,
                threads: None,
                chunk_size: None,
            };
            let mut builder = GraphBuilder::new(self.link.window)
                .threads(input.thread_count())
                .options(self.recognize.set_options());
            input.analyze_each(&pipeline, &mut reporter, true, |chunk| {
                chunk.link_into(&mut builder);
                Ok(())
            })?;
            builder.end_document();
            reporter.warn_all(&builder.take_warnings());
            builder.finish(self.link.min_weight)
        };
        reporter.finish();
        Ok(graph)
    }
}

/// The types present in a graph, sorted, for messages.
pub fn types_in(graph: &Graph) -> Vec<String> {
    let mut t: Vec<String> = graph.nodes().map(|n| n.kind.clone()).collect();
    t.sort();
    t.dedup();
    t
}

/// Fails unless some entity has type `kind` (`what` names the option in the message).
pub fn check_type(graph: &Graph, what: &str, kind: &str) -> Result<()> {
    if graph.nodes().any(|n| n.kind == kind) {
        return Ok(());
    }
    let types = types_in(graph);
    bail!(
        "{what}: no entity has type '{kind}' (types in the graph: {})",
        if types.is_empty() {
            "none".to_string()
        } else {
            types.join(", ")
        }
    )
}
