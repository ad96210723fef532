//! `entgraph build NEW... --update DIR`: adds documents to a saved graph and rewrites its outputs,
//! byte for byte what one `build` of all the documents (in name order) writes.
//!
//! The new documents are built into a graph of their own (their mentions into a temporary file in
//! DIR), merged with DIR's graph ([`GraphMerger`]), and `mentions.jsonl` is merged by document
//! name; then every output is written as `build` writes it. A document already in DIR with the
//! same SHA-256 is skipped; one whose content changed is an error (the graph cannot take a
//! document's counts out again: rebuild).

use std::collections::HashMap;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use entgraph::export::mentions;
use entgraph::graph::sha256_hex;
use entgraph::link::GraphBuilder;
use entgraph::merge::GraphMerger;
use entgraph::merge::mentions::merge_mentions;
use entgraph::read::{Source, expand_inputs};

use entgraph::outset::{LockWait, OutputSet};

use super::build::{Args, write_outputs};
use super::export::{and_list, check_out_dir, check_out_files, exporters_for, load_graph};
use super::term::Reporter;

pub fn run(args: &Args, dir: &Path) -> Result<ExitCode> {
    args.filter.check()?;
    check_out_dir(dir)?;
    let graph_path = dir.join("graph.json");
    let mentions_path = dir.join("mentions.jsonl");
    for path in [&graph_path, &mentions_path] {
        if !path.is_file() {
            bail!(
                "{}: no such file (--update DIR needs a directory written by entgraph build or merge)",
                path.display()
            );
        }
    }
    let old = load_graph(&graph_path)?;
    if old.info().window != args.link.window {
        bail!(
            "{}: built with --window {}; give the same --window to --update",
            dir.display(),
            old.info().window
        );
    }
    let formats = match &args.formats {
        Some(f) => f.clone(),
        None => formats_in(dir),
    };
    let mut formats = formats;
    formats.push("json".into());
    let exporters = exporters_for(&formats)?;
    check_out_files(dir, &exporters, &["mentions.jsonl"])?;
    // DIR is locked until the new outputs are in place.
    let wait = if args.no_wait {
        LockWait::NoWait
    } else {
        LockWait::Wait
    };
    let set = OutputSet::open(dir, wait)?;
    let mut reporter = Reporter::new(args.quiet);

    // The documents that are not in DIR yet.
    let known: HashMap<&str, &str> = old
        .info()
        .sources
        .iter()
        .map(|s| (s.name.as_str(), s.sha256.as_str()))
        .collect();
    let (sources, warnings) = expand_inputs(&args.input.inputs)?;
    reporter.warn_all(&warnings);
    let mut new = Vec::new();
    let mut skipped = 0usize;
    for source in sources {
        let Source::File(path) = &source else {
            bail!("--update cannot read standard input (-): give files or directories");
        };
        // The hash of the bytes as read, as the graph's sources record it.
        let bytes = std::fs::read(path).map_err(|e| entgraph::Error::io(path, e))?;
        let name = source.name();
        match known.get(name.as_str()) {
            Some(&hash) if hash == sha256_hex(&bytes) => skipped += 1,
            Some(_) => bail!(
                "{}: changed since {} was built (another SHA-256); a graph cannot take a document out: rebuild from all the documents",
                path.display(),
                dir.display()
            ),
            None => new.push(source),
        }
    }
    drop(known);
    if new.is_empty() {
        if !args.quiet {
            eprintln!(
                "entgraph: nothing to add: {skipped} document{} already in {} with the same content",
                if skipped == 1 { " is" } else { "s are" },
                dir.display()
            );
        }
        return Ok(ExitCode::SUCCESS);
    }

    // The new documents' graph, and their mentions in a temporary file beside mentions.jsonl.
    let pipeline = args
        .recognize
        .pipeline_with(args.input.thread_count(), false)?;
    reporter.warn_all(pipeline.warnings());
    let options = args.recognize.set_options();
    let mut builder = GraphBuilder::new(args.link.window)
        .threads(args.input.thread_count())
        .options(options.clone());
    let mut added = tempfile::Builder::new()
        .prefix(".entgraph-update.")
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(|| format!("{}: cannot create a temporary file", dir.display()))?;
    let added_path = added.path().to_path_buf();
    let mut added_writer = std::io::BufWriter::new(added.as_file_mut());
    let docs = args
        .input
        .analyze_sources(&new, &pipeline, &mut reporter, true, |chunk| {
            chunk.link_into(&mut builder);
            mentions::write_chunk_jsonl(chunk, &mut added_writer)
                .map_err(|e| entgraph::Error::io(&added_path, e))?;
            Ok(())
        })?;
    use std::io::Write;
    added_writer
        .flush()
        .map_err(|e| entgraph::Error::io(&added_path, e))?;
    drop(added_writer);
    let mut merger = GraphMerger::new();
    merger.add(old, &graph_path.display().to_string())?;
    merger.add(builder.finish(1), "the new documents")?;
    let mut graph = merger.finish(args.link.min_weight, &options)?;
    args.measure.apply(&mut graph)?;

    let mut jsonl = set.create("mentions.jsonl")?;
    merge_mentions(&[mentions_path.clone(), added_path.clone()], jsonl.writer())?;
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
    drop(added);
    if !args.quiet {
        eprintln!(
            "entgraph: added {docs} document{} to {} ({skipped} already there): {} documents, {} mentions of {} entities, {} edges; wrote {}",
            if docs == 1 { "" } else { "s" },
            dir.display(),
            graph.info().documents,
            graph.info().mentions,
            graph.node_count(),
            graph.edge_count(),
            and_list(&written.files),
        );
        for note in &written.notes {
            eprintln!("entgraph: {note}");
        }
    }
    reporter.finish();
    Ok(ExitCode::SUCCESS)
}

/// The formats whose files are in `dir` (graph.json at least), in the registry's order.
pub(super) fn formats_in(dir: &Path) -> Vec<String> {
    let mut formats: Vec<String> = entgraph::export::exporters()
        .iter()
        .filter(|e| e.file_names().iter().all(|f| dir.join(f).is_file()))
        .map(|e| e.name().to_string())
        .collect();
    if !formats.iter().any(|f| f == "json") {
        formats.push("json".into());
    }
    formats
}
