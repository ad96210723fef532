//! `entgraph build`: documents in, `mentions.jsonl` and the graph in each of `--formats` out.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use entgraph::export::{AtomicFile, mentions, own_file_names, write_files};
use entgraph::link::GraphBuilder;
use entgraph::outset::{LockWait, OutputSet};

use super::analysis::{MeasureArgs, PruneArgs, shows};
use super::export::{and_list, check_out_dir, check_out_files, exporters_for, parse_format};
use super::filter::FilterArgs;
use super::term::Reporter;
use super::{InputArgs, LinkArgs, RecognizeArgs};

/// Build the co-occurrence graph and write it to --out.
///
/// Writes the graph in each of --formats (by default graph.dot for Graphviz and graph.json,
/// node-link JSON for networkx, D3, ...) and mentions.jsonl (one JSON object per mention) into the
/// output directory, and prints a summary to stderr.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  entgraph build                                  # the seeds -> output/\n  entgraph build articles/ --out graph --window paragraph --min-weight 2\n  entgraph build notes.md --dict my-people.tsv --no-rules"
)]
pub struct Args {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    recognize: RecognizeArgs,
    #[command(flatten)]
    link: LinkArgs,
    #[command(flatten)]
    filter: FilterArgs,
    #[command(flatten)]
    measure: MeasureArgs,
    #[command(flatten)]
    prune: PruneArgs,
    /// Output directory (created if missing)
    #[arg(long, value_name = "DIR", default_value = "output")]
    out: PathBuf,
    /// Graph formats to write, comma-separated: dot, json, graphml, gexf, cytoscape, csv, svg, png, html (svg, png and html need Graphviz); graph.json and mentions.jsonl are always written, and files of other formats an earlier build left in --out are removed
    #[arg(long, value_name = "FORMATS", value_delimiter = ',', default_value = "dot,json", value_parser = parse_format)]
    formats: Vec<String>,
    /// Fail at once (exit 2) when another build is writing into --out, instead of waiting for it
    #[arg(long)]
    no_wait: bool,
    /// Print nothing but errors
    #[arg(long, short)]
    quiet: bool,
}

pub fn run(args: Args) -> Result<ExitCode> {
    // A run that fails leaves no output directory it created (mentions.jsonl streams into a
    // temporary file inside it, removed on failure).
    let created = !args.out.exists();
    let result = build(&args);
    if result.is_err() && created {
        let _ = std::fs::remove_dir(&args.out);
    }
    result
}

fn build(args: &Args) -> Result<ExitCode> {
    // Check the output directory, the formats (Graphviz for svg, png) and the filters before any
    // work.
    args.filter.check()?;
    args.prune.check(&args.measure)?;
    check_out_dir(&args.out)?;
    // graph.json, which the queries read, is always written.
    let mut formats = args.formats.clone();
    formats.push("json".into());
    let exporters = exporters_for(&formats)?;
    check_out_files(&args.out, &exporters, &["mentions.jsonl"])?; // issue 6
    // The output directory is locked for the whole run; every file goes to a temporary name and
    // is put in place with the others at the end.
    let wait = if args.no_wait {
        LockWait::NoWait
    } else {
        LockWait::Wait
    };
    let mut set = OutputSet::open(&args.out, wait)?;
    let mut reporter = Reporter::new(args.quiet);
    let started = std::time::Instant::now();
    let pipeline = args
        .recognize
        .pipeline_with(args.input.thread_count(), false)?;
    let loaded = started.elapsed();
    reporter.warn_all(pipeline.warnings());
    let mut graph = GraphBuilder::new(args.link.window)
        .threads(args.input.thread_count())
        .options(args.recognize.set_options());
    // mentions.jsonl is streamed into its temporary file.
    let mut jsonl = set.create("mentions.jsonl")?;
    let mut mention_count = 0usize;
    let mut bytes_read = 0usize;
    let docs = args
        .input
        .analyze_each(&pipeline, &mut reporter, true, |chunk| {
            chunk.link_into(&mut graph);
            mentions::write_chunk_jsonl(chunk, jsonl.writer())
                .map_err(|e| entgraph::Error::io(args.out.join("mentions.jsonl"), e))?;
            mention_count += chunk.mentions.len();
            bytes_read += chunk.text.len();
            Ok(())
        })?;
    graph.end_document();
    reporter.warn_all(&graph.take_warnings());
    let mut graph = graph.finish(args.link.min_weight);
    args.measure.apply(&mut graph)?;
    // Drawings: the scored edges, then the drawing filters (graph.dot), then a picture's limits.
    let scored = args.prune.scored(&graph);
    let drawn = args.filter.apply(&scored.graph, &mut reporter)?;
    let chosen =
        args.filter.top.is_some() || !args.filter.types.is_empty() || args.filter.ego.is_some();
    let picture = args.prune.picture(&drawn.graph, chosen);
    // Each format is written to its temporary files (they only read the graph): one after the
    // other on one thread, at the same time with --threads 2 or more. The first error in that
    // order is reported. Then every file is synced and all are renamed into place together.
    let mut jobs: Vec<Box<dyn FnOnce() -> entgraph::Result<Vec<AtomicFile>> + Send + '_>> =
        Vec::new();
    for exporter in &exporters {
        let graph = match exporter.name() {
            "svg" | "png" => &*picture.graph,
            name if FilterArgs::applies_to(name) => &*drawn.graph,
            _ => &graph,
        };
        let set = &set;
        jobs.push(Box::new(move || write_files(exporter.as_ref(), graph, set)));
    }
    let results: Vec<entgraph::Result<Vec<AtomicFile>>> = if args.input.thread_count() > 1 {
        std::thread::scope(|s| {
            let handles: Vec<_> = jobs.into_iter().map(|job| s.spawn(job)).collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        })
    } else {
        let mut results = Vec::new();
        for job in jobs {
            let result = job();
            let failed = result.is_err();
            results.push(result);
            if failed {
                break;
            }
        }
        results
    };
    let mut files = Vec::new();
    for result in results {
        files.extend(result?);
    }
    files.push(jsonl);
    for file in files {
        set.stage(file)?;
    }
    let written: Vec<String> = set
        .commit(&own_file_names())?
        .iter()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();

    if !args.quiet {
        let mut per_type: BTreeMap<&str, usize> = BTreeMap::new();
        for n in graph.nodes() {
            *per_type.entry(&n.kind).or_default() += 1;
        }
        let types = per_type
            .iter()
            .map(|(t, n)| format!("{n} {t}"))
            .collect::<Vec<_>>()
            .join(", ");
        eprintln!(
            "entgraph: read {} document{}, found {} mentions of {} entities ({}), linked by {} edges (window: {}, min weight {}); wrote {} to {}",
            docs,
            if docs == 1 { "" } else { "s" },
            mention_count,
            graph.node_count(),
            if types.is_empty() {
                "none".into()
            } else {
                types
            },
            graph.edge_count(),
            args.link.window,
            args.link.min_weight,
            and_list(&written),
            args.out.display()
        );
        let drawing = exporters.iter().any(|e| FilterArgs::applies_to(e.name()));
        if drawing && !scored.why.is_empty() {
            let why = &scored.why;
            eprintln!(
                "entgraph: drawings keep {} of {} edges ({})",
                scored.graph.edge_count(),
                graph.edge_count(),
                why.join(", ")
            );
        }
        if let Some(note) = &drawn.note {
            eprintln!("entgraph: {note}");
        }
        for e in exporters
            .iter()
            .filter(|e| matches!(e.name(), "svg" | "png"))
        {
            if !picture.why.is_empty() {
                eprintln!(
                    "entgraph: {}",
                    shows(e.file_name(), &picture.graph, &graph, &picture.why)
                );
            }
        }
        let dict = pipeline.dictionary();
        eprintln!(
            "entgraph: dictionary: {} entities, {} names, automaton {:.1} MB ({}), loaded in {:.2} s; {:.1} MB read in {:.2} s",
            dict.len(),
            dict.term_count(),
            dict.automaton_bytes() as f64 / 1e6,
            dict.cache_status(),
            loaded.as_secs_f64(),
            bytes_read as f64 / 1e6,
            started.elapsed().as_secs_f64() - loaded.as_secs_f64(),
        );
    }
    reporter.finish();
    // The process ends here: freeing the automaton and the graph would only take time.
    std::mem::forget(pipeline);
    std::mem::forget(graph);
    Ok(ExitCode::SUCCESS)
}
