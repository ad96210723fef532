//! `entgraph extract`: print the mentions found, as a table or JSON lines.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use entgraph::export::mentions;

use super::term::{Reporter, cell, write_table};
use super::{InputArgs, RecognizeArgs};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// An aligned, readable table
    Table,
    /// One JSON object per line: {"doc","start","end","text","entity","id","type","source"}
    Jsonl,
}

/// Print the entity mentions found in the documents.
///
/// Offsets are character (Unicode scalar) offsets into each document as read.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  entgraph extract seeds/000_fd1094a99a31afa8.txt\n  echo 'Tom Cruise met Christopher McQuarrie.' | entgraph extract - --format jsonl\n  entgraph extract notes/ --dict people.tsv --no-rules --ignore-case --explain"
)]
pub struct Args {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    recognize: RecognizeArgs,
    /// Output format
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// Show, for each mention, the dictionary line or rule that produced it and the candidates it beat
    #[arg(long)]
    explain: bool,
    /// Print nothing but errors on stderr
    #[arg(long, short)]
    quiet: bool,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let mut reporter = Reporter::new(args.quiet);
    let pipeline = args
        .recognize
        .pipeline_with(args.input.thread_count(), args.explain)?;
    reporter.warn_all(pipeline.warnings());
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(256 * 1024, stdout);
    let mut rows = Vec::new();
    args.input
        .analyze_each(&pipeline, &mut reporter, false, |chunk| {
            match args.format {
                Format::Jsonl if !args.explain => mentions::write_chunk_jsonl(chunk, &mut out)?,
                Format::Jsonl => {
                    let records = mentions::chunk_records(chunk);
                    for (r, m) in records.iter().zip(&chunk.mentions) {
                        let mut v = serde_json::to_value(r)?;
                        v["origin"] = m.origin.to_string().into();
                        v["beat"] = m.beat.clone().into();
                        serde_json::to_writer(&mut out, &v)?;
                        out.write_all(b"\n")?;
                    }
                }
                Format::Table => {
                    let records = mentions::chunk_records(chunk);
                    for (r, m) in records.iter().zip(&chunk.mentions) {
                        let mut row = vec![
                            cell(&r.doc),
                            r.start.to_string(),
                            r.end.to_string(),
                            r.kind.clone(),
                            cell(&r.entity),
                            cell(&r.text),
                            r.source.clone(),
                        ];
                        if args.explain {
                            let beat = if m.beat.is_empty() {
                                String::new()
                            } else {
                                format!("; beat {}", m.beat.join(", "))
                            };
                            row.push(cell(&format!("{}{}", m.origin, beat)));
                        }
                        rows.push(row);
                    }
                }
            }
            Ok(())
        })?;
    if args.format == Format::Table {
        let mut header = vec!["DOC", "START", "END", "TYPE", "ENTITY", "TEXT", "SOURCE"];
        if args.explain {
            header.push("EXPLANATION");
        }
        write_table(&mut out, &header, &rows)?;
    }
    out.flush()?;
    reporter.finish();
    // The process ends here: freeing the automaton and the graph would only take time.
    std::mem::forget(pipeline);
    Ok(ExitCode::SUCCESS)
}
