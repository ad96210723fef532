//! `entgraph extract`: print the mentions found, as a table or JSON lines.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use entgraph::export::mentions::{self, MentionRecord};
use unicode_width::UnicodeWidthStr;

use super::term::{Fit, Reporter, cell, output_width, wrap, write_table_fit};
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
    /// (as a table: one block per mention)
    #[arg(long)]
    explain: bool,
    /// Table: print every cell in full [default: fit the terminal, or 100 columns when standard
    /// output is not a terminal, cutting long cells with …]
    #[arg(long)]
    wide: bool,
    /// Print nothing but errors on stderr
    #[arg(long, short)]
    quiet: bool,
}

/// The width of the table when standard output is not a terminal.
const DEFAULT_WIDTH: usize = 100;

pub fn run(args: Args) -> Result<ExitCode> {
    let mut reporter = Reporter::new(args.quiet);
    let pipeline = args
        .recognize
        .pipeline_with(args.input.thread_count(), args.explain)?;
    reporter.warn_all(pipeline.warnings());
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(256 * 1024, stdout);
    let mut rows = Vec::new();
    let width = (!args.wide).then(|| output_width(DEFAULT_WIDTH));
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
                Format::Table if args.explain => {
                    let records = mentions::chunk_records(chunk);
                    for (r, m) in records.iter().zip(&chunk.mentions) {
                        let block = Explained {
                            record: r,
                            origin: &m.origin,
                            beat: &m.beat,
                        };
                        block.write(&mut out, width)?;
                    }
                }
                Format::Table => {
                    let records = mentions::chunk_records(chunk);
                    for r in &records {
                        let row = vec![
                            cell(&r.doc),
                            r.start.to_string(),
                            r.end.to_string(),
                            r.kind.clone(),
                            cell(&r.entity),
                            cell(&r.text),
                            r.source.clone(),
                        ];
                        rows.push(row);
                    }
                }
            }
            Ok(())
        })?;
    if args.format == Format::Table && !args.explain {
        let header = ["DOC", "START", "END", "TYPE", "ENTITY", "TEXT", "SOURCE"];
        // DOC, ENTITY, TEXT and SOURCE give way when the table is too wide.
        let fit = Fit {
            width,
            shrink: vec![0, 4, 5, 6],
        };
        write_table_fit(&mut out, &header, &rows, &fit)?;
    }
    out.flush()?;
    reporter.finish();
    // The process ends here: freeing the automaton and the graph would only take time.
    std::mem::forget(pipeline);
    Ok(ExitCode::SUCCESS)
}

/// One mention of `extract --explain`'s text output: a line naming it, then what produced it
/// and what it beat, wrapped to the width.
///
/// ```text
/// seeds/003_af786bfab2a0ae3d.txt:2038-2044  person  Tom Cruise
///   text    Cruise
///   source  coref: dictionaries/person.tsv:649
///   beat    place 'Cruise' (dictionaries/place.tsv:12)
/// ```
struct Explained<'a> {
    record: &'a MentionRecord,
    origin: &'a str,
    beat: &'a [String],
}

impl Explained<'_> {
    fn write(&self, out: &mut impl Write, width: Option<usize>) -> std::io::Result<()> {
        let r = self.record;
        let head = format!(
            "{}:{}-{}  {}  {}",
            cell(&r.doc),
            r.start,
            r.end,
            r.kind,
            cell(&r.entity)
        );
        let mut lines = if width.is_some_and(|w| head.width() > w) {
            wrap(&head, "", "    ", width)
        } else {
            vec![head]
        };
        let field = |name: &str, value: &str| {
            wrap(&cell(value), &format!("  {name:<6}  "), "          ", width)
        };
        lines.extend(field("text", &r.text));
        lines.extend(field("source", &format!("{}: {}", r.source, self.origin)));
        for b in self.beat {
            lines.extend(field("beat", b));
        }
        for l in lines {
            writeln!(out, "{l}")?;
        }
        writeln!(out)
    }
}
