//! `entgraph build`: documents in, `mentions.jsonl` and the graph in each of `--formats` out.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Result;
use entgraph::export::{AtomicFile, Exporter, mentions, own_file_names, write_files};
use entgraph::graph::Graph;
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
    pub(super) input: InputArgs,
    #[command(flatten)]
    pub(super) recognize: RecognizeArgs,
    #[command(flatten)]
    pub(super) link: LinkArgs,
    #[command(flatten)]
    pub(super) filter: FilterArgs,
    #[command(flatten)]
    pub(super) measure: MeasureArgs,
    #[command(flatten)]
    pub(super) prune: PruneArgs,
    /// Output directory (created if missing)
    #[arg(long, value_name = "DIR", default_value = "output")]
    pub(super) out: PathBuf,
    /// Graph formats to write, comma-separated: dot, json, graphml, gexf, cytoscape, csv, svg, png, html (svg, png and html need Graphviz); graph.json and mentions.jsonl are always written, and files of other formats an earlier build left in --out are removed [default: dot,json; with --update, the formats in DIR]
    #[arg(long, value_name = "FORMATS", value_delimiter = ',', value_parser = parse_format)]
    pub(super) formats: Option<Vec<String>>,
    /// Add INPUT's documents to the graph in DIR (written by build or merge) and rewrite its outputs, as if built from all the documents at once; documents already there with the same content are skipped
    #[arg(long, value_name = "DIR", conflicts_with = "out")]
    pub(super) update: Option<PathBuf>,
    /// Fail at once (exit 2) when another build is writing into --out, instead of waiting for it
    #[arg(long)]
    pub(super) no_wait: bool,
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
    args.prune.check(&args.measure)?;
    check_out_dir(&args.out)?;
    // graph.json, which the queries read, is always written.
    let mut formats = args
        .formats
        .clone()
        .unwrap_or_else(|| DEFAULT_FORMATS.map(String::from).to_vec());
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
    let set = OutputSet::open(&args.out, wait)?;
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
    let analyzed = started.elapsed() - loaded;
    let written = write_outputs(
        set,
        &graph,
        &args.filter,
        &args.prune,
        &exporters,
        Some(jsonl),
        args.input.thread_count(),
        &mut reporter,
    )?;
    let write_time = written.write_time;
    let draw_time = written.draw_time;
    let drawn_files = &written.drawn_files;

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
        for note in &written.notes {
            eprintln!("entgraph: {note}");
        }
        let dict = pipeline.dictionary();
        let mut times = format!(
            "read and analyzed {} in {:.2} s; wrote the files in {:.2} s",
            size(bytes_read),
            analyzed.as_secs_f64(),
            write_time.as_secs_f64()
        );
        if !drawn_files.is_empty() {
            times.push_str(&format!(
                "; drew {} in {:.2} s",
                and_list(&drawn_files),
                draw_time.as_secs_f64()
            ));
        }
        eprintln!(
            "entgraph: dictionary{}: {} entities, {} names, automaton {:.1} MB ({}), loaded in {:.2} s; {times}",
            if args.recognize.embedded_dictionaries() {
                " (built in)"
            } else {
                ""
            },
            dict.len(),
            dict.term_count(),
            dict.automaton_bytes() as f64 / 1e6,
            dict.cache_status(),
            loaded.as_secs_f64(),
        );
    }
    reporter.finish();
    // The process ends here: freeing the automaton and the graph would only take time.
    std::mem::forget(pipeline);
    std::mem::forget(graph);
    Ok(ExitCode::SUCCESS)
}

/// One format to write into its temporary files.
struct Job<'a> {
    /// True for a picture drawn by Graphviz.
    draws: bool,
    /// The files it writes.
    names: Vec<&'static str>,
    run: Box<dyn FnOnce() -> entgraph::Result<Vec<AtomicFile>> + Send + 'a>,
}

/// A job's files, and how long it took.
struct Done {
    draws: bool,
    names: Vec<&'static str>,
    took: Duration,
    result: entgraph::Result<Vec<AtomicFile>>,
}

impl Job<'_> {
    fn run(self) -> Done {
        let start = Instant::now();
        let result = (self.run)();
        Done {
            draws: self.draws,
            names: self.names,
            took: start.elapsed(),
            result,
        }
    }
}

/// What [`write_outputs`] wrote.
pub(super) struct Written {
    /// The file names put in place.
    pub files: Vec<String>,
    /// What the drawings leave out, one line each.
    pub notes: Vec<String>,
    /// Time spent writing files and putting them in place (the jobs' total one after the other,
    /// the longest job's when they run at the same time).
    pub write_time: Duration,
    /// Time spent drawing pictures with Graphviz, counted the same way.
    pub draw_time: Duration,
    /// The pictures drawn.
    pub drawn_files: Vec<String>,
}

/// Writes a graph's outputs into the locked output set: each of `exporters` (the drawing `filter`
/// applied to the drawings) to its temporary files, with `mentions` (already written), then all
/// are put in place together. `build`, `build --update` and `merge` all write through here.
#[allow(clippy::too_many_arguments)]
pub(super) fn write_outputs(
    mut set: OutputSet,
    graph: &Graph,
    filter: &FilterArgs,
    prune: &PruneArgs,
    exporters: &[Box<dyn Exporter>],
    mentions: Option<AtomicFile>,
    threads: usize,
    reporter: &mut Reporter,
) -> Result<Written> {
    // Drawings: the scored edges, then the drawing filters (graph.dot), then a picture's limits.
    let scored = prune.scored(graph);
    let drawn = filter.apply(&scored.graph, reporter)?;
    let chosen = filter.top.is_some() || !filter.types.is_empty() || filter.ego.is_some();
    let picture = prune.picture(&drawn.graph, chosen);
    // Each format is written to its temporary files (they only read the graph): one after the
    // other on one thread, at the same time with --threads 2 or more. The first error in that
    // order is reported. Then every file is synced and all are renamed into place together.
    let mut jobs: Vec<Job<'_>> = Vec::new();
    for exporter in exporters {
        let graph = match exporter.name() {
            "svg" | "png" => &*picture.graph,
            name if FilterArgs::applies_to(name) => &*drawn.graph,
            _ => graph,
        };
        let set = &set;
        jobs.push(Job {
            draws: matches!(exporter.name(), "svg" | "png"),
            names: exporter.file_names(),
            run: Box::new(move || write_files(exporter.as_ref(), graph, set)),
        });
    }
    let parallel = threads > 1;
    let results: Vec<Done> = if parallel {
        std::thread::scope(|s| {
            let handles: Vec<_> = jobs.into_iter().map(|job| s.spawn(|| job.run())).collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        })
    } else {
        let mut results = Vec::new();
        for job in jobs {
            let done = job.run();
            let failed = done.result.is_err();
            results.push(done);
            if failed {
                break;
            }
        }
        results
    };
    // The time writing files and the time drawing pictures (Graphviz): the jobs' total one after
    // the other, the longest job's when they run at the same time; putting the files in place
    // counts as writing.
    let (mut write_time, mut draw_time) = (Duration::ZERO, Duration::ZERO);
    let mut drawn_files = Vec::new();
    let mut files = Vec::new();
    for done in results {
        let total = if done.draws {
            &mut draw_time
        } else {
            &mut write_time
        };
        *total = if parallel {
            (*total).max(done.took)
        } else {
            *total + done.took
        };
        files.extend(done.result?);
        if done.draws {
            drawn_files.extend(done.names.iter().map(|n| n.to_string()));
        }
    }
    files.extend(mentions);
    let committing = Instant::now();
    for file in files {
        set.stage(file)?;
    }
    let files: Vec<String> = set
        .commit(&own_file_names())?
        .iter()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    write_time += committing.elapsed();

    let mut notes = Vec::new();
    let drawing = exporters.iter().any(|e| FilterArgs::applies_to(e.name()));
    if drawing && !scored.why.is_empty() {
        notes.push(format!(
            "drawings keep {} of {} edges ({})",
            scored.graph.edge_count(),
            graph.edge_count(),
            scored.why.join(", ")
        ));
    }
    notes.extend(drawn.note.clone());
    if !picture.why.is_empty() {
        for e in exporters
            .iter()
            .filter(|e| matches!(e.name(), "svg" | "png"))
        {
            notes.push(shows(e.file_name(), &picture.graph, graph, &picture.why));
        }
    }
    Ok(Written {
        files,
        notes,
        write_time,
        draw_time,
        drawn_files,
    })
}

/// A byte count for the summary: kB below a megabyte, else MB.
fn size(bytes: usize) -> String {
    if bytes < 1_000_000 {
        format!("{:.1} kB", bytes as f64 / 1e3)
    } else {
        format!("{:.1} MB", bytes as f64 / 1e6)
    }
}
