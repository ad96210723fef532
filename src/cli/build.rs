//! `entgraph build`: documents in, `mentions.jsonl` and the graph in each of `--formats` out.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use entgraph::export::{AtomicFile, Exporter, mentions, write_to_dir};
use entgraph::graph::Graph;
use entgraph::link::GraphBuilder;

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
    after_help = "Examples:\n  entgraph build                                  # the seeds -> output/\n  entgraph build articles/ --out graph --window paragraph --min-weight 2\n  entgraph build notes.md --dict my-people.tsv --no-rules\n  entgraph build new-articles/ --update output         # add documents to output/"
)]
pub struct Args {
    #[command(flatten)]
    pub(super) input: InputArgs,
    #[command(flatten)]
    pub(super) recognize: RecognizeArgs,
    #[command(flatten)]
    pub(super) link: LinkArgs,
    #[command(flatten)]
    pub(super) filter: FilterArgs,
    /// Output directory (created if missing)
    #[arg(long, value_name = "DIR", default_value = "output")]
    pub(super) out: PathBuf,
    /// Graph formats to write, comma-separated: dot, json, graphml, gexf, cytoscape, csv, svg, png (svg and png need Graphviz); mentions.jsonl is always written [default: dot,json; with --update, the formats in DIR]
    #[arg(long, value_name = "FORMATS", value_delimiter = ',', value_parser = parse_format)]
    pub(super) formats: Option<Vec<String>>,
    /// Add INPUT's documents to the graph in DIR (written by build or merge) and rewrite its outputs, as if built from all the documents at once; documents already there with the same content are skipped
    #[arg(long, value_name = "DIR", conflicts_with = "out")]
    pub(super) update: Option<PathBuf>,
    /// Print nothing but errors
    #[arg(long, short)]
    pub(super) quiet: bool,
}

/// The formats `build` writes without --formats.
pub(super) const DEFAULT_FORMATS: [&str; 2] = ["dot", "json"];

pub fn run(args: Args) -> Result<ExitCode> {
    if let Some(dir) = &args.update {
        return super::update::run(&args, dir);
    }
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
    check_out_dir(&args.out)?;
    let formats = args
        .formats
        .clone()
        .unwrap_or_else(|| DEFAULT_FORMATS.map(String::from).to_vec());
    let exporters = exporters_for(&formats)?;
    check_out_files(&args.out, &exporters, &["mentions.jsonl"])?; // issue 6
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
    // mentions.jsonl is streamed into its temporary file, created with the output directory when
    // the first document comes (so nothing is created when nothing can be read).
    let mut jsonl: Option<AtomicFile> = None;
    let mut mention_count = 0usize;
    let mut bytes_read = 0usize;
    let docs = args
        .input
        .analyze_each(&pipeline, &mut reporter, true, |chunk| {
            chunk.link_into(&mut graph);
            let file = match &mut jsonl {
                Some(f) => f,
                None => {
                    std::fs::create_dir_all(&args.out)
                        .map_err(|e| entgraph::Error::io(&args.out, e))?;
                    jsonl.insert(AtomicFile::create(&args.out.join("mentions.jsonl"))?)
                }
            };
            mentions::write_chunk_jsonl(chunk, file.writer())
                .map_err(|e| entgraph::Error::io(args.out.join("mentions.jsonl"), e))?;
            mention_count += chunk.mentions.len();
            bytes_read += chunk.text.len();
            Ok(())
        })?;
    let graph = graph.finish(args.link.min_weight);
    let outputs = OutputSet {
        out: &args.out,
        exporters: &exporters,
        filter: &args.filter,
        threads: args.input.thread_count(),
    };
    let written = write_outputs(&outputs, &graph, jsonl, &mut reporter)?;

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
            and_list(&written.files),
            args.out.display()
        );
        if let Some(note) = &written.note {
            eprintln!("entgraph: {note}");
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

/// Where and what a command writes: the graph in each format of `exporters` (the drawing
/// `filter` applied to the drawings) into `out`, with `threads` threads.
pub(super) struct OutputSet<'a> {
    pub out: &'a Path,
    pub exporters: &'a [Box<dyn Exporter>],
    pub filter: &'a FilterArgs,
    pub threads: usize,
}

/// What [`write_outputs`] wrote.
pub(super) struct Written {
    /// The file names, in the order written, `mentions.jsonl` last when written.
    pub files: Vec<String>,
    /// What the drawings leave out, if anything.
    pub note: Option<String>,
}

/// Writes a graph's outputs: `mentions` (its temporary file, already written) is put in place,
/// then each format is written (they only read the graph): one after the other on one thread, at
/// the same time with 2 threads or more. The first error in that order is reported. `build`,
/// `build --update` and `merge` all write through here.
pub(super) fn write_outputs(
    set: &OutputSet<'_>,
    graph: &Graph,
    mentions: Option<AtomicFile>,
    reporter: &mut Reporter,
) -> Result<Written> {
    let drawn = set.filter.apply(graph, reporter)?;
    std::fs::create_dir_all(set.out).map_err(|e| entgraph::Error::io(set.out, e))?;
    let has_mentions = mentions.is_some();
    let mut jobs: Vec<Box<dyn FnOnce() -> entgraph::Result<Vec<PathBuf>> + Send + '_>> = Vec::new();
    if let Some(f) = mentions {
        jobs.push(Box::new(move || f.commit().map(|()| Vec::new())));
    }
    for exporter in set.exporters {
        let graph = if FilterArgs::applies_to(exporter.name()) {
            &*drawn.graph
        } else {
            graph
        };
        let out = set.out;
        jobs.push(Box::new(move || {
            write_to_dir(exporter.as_ref(), graph, out)
        }));
    }
    let results: Vec<entgraph::Result<Vec<PathBuf>>> = if set.threads > 1 {
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
        for path in result? {
            files.extend(path.file_name().map(|n| n.to_string_lossy().into_owned()));
        }
    }
    if has_mentions {
        files.push("mentions.jsonl".to_string());
    }
    Ok(Written {
        files,
        note: drawn.note.clone(),
    })
}
