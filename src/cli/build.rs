//! `entgraph build`: documents in, `graph.dot`, `graph.json` and `mentions.jsonl` out.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Result, bail};
use entgraph::export::{self, AtomicFile, mentions, write_atomic};
use entgraph::link::GraphBuilder;

use super::term::Reporter;
use super::{InputArgs, LinkArgs, RecognizeArgs};

/// Build the co-occurrence graph and write it to --out.
///
/// Writes graph.dot (Graphviz), graph.json (node-link JSON for networkx, D3, ...) and mentions.jsonl
/// (one JSON object per mention) into the output directory, and prints a summary to stderr.
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
    /// Output directory (created if missing)
    #[arg(long, value_name = "DIR", default_value = "output")]
    out: PathBuf,
    /// Print nothing but errors
    #[arg(long, short)]
    quiet: bool,
}

pub fn run(args: Args) -> Result<ExitCode> {
    // Check the output directory before any work.
    if args.out.exists() && !args.out.is_dir() {
        bail!(
            "{}: output path exists and is not a directory",
            args.out.display()
        );
    }
    let mut reporter = Reporter::new(args.quiet);
    let started = std::time::Instant::now();
    let pipeline = args
        .recognize
        .pipeline_with(args.input.thread_count(), false)?;
    let loaded = started.elapsed();
    reporter.warn_all(pipeline.warnings());
    let mut graph = GraphBuilder::new(args.link.window);
    // mentions.jsonl is streamed into its temporary file, created with the output directory when
    // the first document comes (so nothing is created when nothing can be read).
    let mut jsonl: Option<AtomicFile> = None;
    let mut mention_count = 0usize;
    let mut bytes_read = 0usize;
    let docs = args
        .input
        .analyze_each(&pipeline, &mut reporter, true, |chunk| {
            if chunk.index == 0 {
                graph.begin_document(&chunk.doc);
            }
            graph.add_piece(
                &chunk.text,
                chunk.offset,
                chunk.char_offset,
                &chunk.sentences,
                &chunk.mentions,
            );
            if chunk.last {
                graph.end_document();
            }
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
    std::fs::create_dir_all(&args.out).map_err(|e| entgraph::Error::io(&args.out, e))?;
    if let Some(f) = jsonl {
        f.commit()?;
    }
    for name in ["dot", "json"] {
        let exporter = export::exporter(name).expect("registered exporter");
        write_atomic(&args.out.join(exporter.file_name()), |w| {
            exporter.write(&graph, w)
        })?;
    }

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
            "entgraph: read {} document{}, found {} mentions of {} entities ({}), linked by {} edges (window: {}, min weight {}); wrote graph.dot, graph.json and mentions.jsonl to {}",
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
            args.out.display()
        );
        let dict = pipeline.dictionary();
        eprintln!(
            "entgraph: dictionary: {} entities, {} names, automaton {:.1} MB, loaded and compiled in {:.2} s; {:.1} MB read in {:.2} s",
            dict.len(),
            dict.term_count(),
            dict.automaton_bytes() as f64 / 1e6,
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
