//! `entgraph merge GRAPH... --out DIR`: one graph from the graphs of disjoint sets of documents,
//! byte for byte what one `build` of all the documents writes.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Result, bail};
use entgraph::Warning;
use entgraph::graph::Graph;
use entgraph::merge::mentions::merge_mentions;
use entgraph::merge::{Added, GraphMerger};

use super::RecognizeArgs;
use entgraph::outset::{LockWait, OutputSet};

use super::analysis::{MeasureArgs, PruneArgs};
use super::build::{DEFAULT_FORMATS, write_outputs};
use super::export::{
    and_list, check_out_dir, check_out_files, exporters_for, load_graph, parse_format,
};
use super::filter::FilterArgs;
use super::term::Reporter;

/// Merge saved graphs into one and write it to --out.
///
/// Each GRAPH is a graph.json written by build, build --update or merge (or a directory holding
/// one), built from different documents with the same options. Counts add, evidence keeps the
/// first windows in (document name, offset) order, and the mentions.jsonl files beside the graphs
/// are merged in document-name order: the outputs are those of one build of all the documents.
/// A graph whose documents are all in an earlier one (same content) is counted once, with a
/// warning; a document in two graphs with different content is an error.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  entgraph build part1/ --out g1 && entgraph build part2/ --out g2\n  entgraph merge g1 g2 --out all                 # = entgraph build part1/ part2/ --out all\n  entgraph merge shards/*/graph.json --out all --formats dot,json,graphml"
)]
pub struct Args {
    /// graph.json files, or directories that hold one (mentions.jsonl beside each is merged too)
    #[arg(value_name = "GRAPH", required = true)]
    graphs: Vec<PathBuf>,
    /// Output directory (created if missing)
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// Graph formats to write, comma-separated: dot, json, graphml, gexf, cytoscape, csv, svg, png [default: dot,json]
    #[arg(long, value_name = "FORMATS", value_delimiter = ',', value_parser = parse_format)]
    formats: Option<Vec<String>>,
    /// Drop edges seen fewer than N times in all the graphs together
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..))]
    min_weight: u64,
    #[command(flatten)]
    filter: FilterArgs,
    #[command(flatten)]
    measure: MeasureArgs,
    #[command(flatten)]
    prune: PruneArgs,
    /// The options the graphs were built with: they are not checked, and only name the output set
    /// (graph.set) as build names it
    #[command(
        flatten,
        next_help_heading = "The graphs' recognition options (for graph.set only)"
    )]
    recognize: RecognizeArgs,
    /// Print nothing but errors
    #[arg(long, short)]
    quiet: bool,
}

/// One input: its graph.json and the mentions.jsonl beside it, if any.
struct Input {
    graph: PathBuf,
    mentions: Option<PathBuf>,
}

fn input(path: &Path) -> Result<Input> {
    let graph = if path.is_dir() {
        path.join("graph.json")
    } else {
        path.to_path_buf()
    };
    if !graph.is_file() {
        bail!("{}: no such file", graph.display());
    }
    let mentions = graph
        .parent()
        .map(|p| p.join("mentions.jsonl"))
        .filter(|m| m.is_file());
    Ok(Input { graph, mentions })
}

pub fn run(args: Args) -> Result<ExitCode> {
    // A run that fails leaves no output directory it created.
    let created = !args.out.exists();
    let result = merge(&args);
    if result.is_err() && created {
        let _ = std::fs::remove_dir(&args.out);
    }
    result
}

fn merge(args: &Args) -> Result<ExitCode> {
    args.filter.check()?;
    check_out_dir(&args.out)?;
    let formats = args
        .formats
        .clone()
        .unwrap_or_else(|| DEFAULT_FORMATS.map(String::from).to_vec());
    let mut formats = formats;
    formats.push("json".into());
    let exporters = exporters_for(&formats)?;
    check_out_files(&args.out, &exporters, &["mentions.jsonl"])?;
    let inputs = args
        .graphs
        .iter()
        .map(|p| input(p))
        .collect::<Result<Vec<_>>>()?;
    let with_mentions = inputs.iter().filter(|i| i.mentions.is_some()).count();
    if with_mentions > 0 && with_mentions < inputs.len() {
        let lacking = inputs.iter().find(|i| i.mentions.is_none()).expect("some");
        bail!(
            "{}: no mentions.jsonl beside it, but other graphs have one: give graphs that all have their mentions.jsonl, or none",
            lacking.graph.display()
        );
    }
    let mut reporter = Reporter::new(args.quiet);
    let mut merger = GraphMerger::new();
    let mut mention_files = Vec::new();
    // With two cores, two graphs are read at a time (each on its own thread), then added in
    // order: memory holds the merged graph and two inputs.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    for pair in inputs.chunks(if threads > 1 { 2 } else { 1 }) {
        let loaded: Vec<Result<Graph>> = if pair.len() == 1 {
            vec![load_graph(&pair[0].graph)]
        } else {
            std::thread::scope(|s| {
                let other = s.spawn(|| load_graph(&pair[1].graph));
                let first = load_graph(&pair[0].graph);
                vec![
                    first,
                    other
                        .join()
                        .unwrap_or_else(|_| bail!("reading {} failed", pair[1].graph.display())),
                ]
            })
        };
        for (i, graph) in pair.iter().zip(loaded) {
            let name = i.graph.display().to_string();
            match merger.add(graph?, &name)? {
                Added::Merged => mention_files.extend(i.mentions.clone()),
                Added::AlreadyThere => reporter.warn(&Warning {
                    path: Some(i.graph.clone()),
                    line: None,
                    message: "every document of this graph is in an earlier one, with the same content: counted once".into(),
                }),
            }
        }
    }
    let mut graph = merger.finish(args.min_weight, &args.recognize.set_options())?;
    args.measure.apply(&mut graph)?;
    // The output directory is locked while the files are written and put in place together.
    let set = OutputSet::open(&args.out, LockWait::Wait)?;
    let jsonl = if with_mentions > 0 {
        let mut file = set.create("mentions.jsonl")?;
        merge_mentions(&mention_files, file.writer())?;
        Some(file)
    } else {
        None
    };
    let written = write_outputs(
        set,
        &graph,
        &args.filter,
        &args.prune,
        &exporters,
        jsonl,
        threads,
        &mut reporter,
    )?;
    if !args.quiet {
        let info = graph.info();
        eprintln!(
            "entgraph: merged {} graph{}: {} documents, {} mentions of {} entities, linked by {} edges (window: {}, min weight {}); wrote {} to {}",
            inputs.len(),
            if inputs.len() == 1 { "" } else { "s" },
            info.documents,
            info.mentions,
            graph.node_count(),
            graph.edge_count(),
            info.window,
            info.min_weight,
            and_list(&written.files),
            args.out.display()
        );
        for note in &written.notes {
            eprintln!("entgraph: {note}");
        }
    }
    reporter.finish();
    // Freeing a large graph piece by piece takes seconds; the process ends here.
    std::mem::forget(graph);
    Ok(ExitCode::SUCCESS)
}
