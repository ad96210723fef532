//! `entgraph eval`: precision, recall and F1 of the recognizers against gold annotations.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use entgraph::eval::{Prediction, doc_key, load_gold, score};

use super::term::Reporter;
use super::{InputArgs, RecognizeArgs};

/// Score the recognizers against gold annotations (entity-level precision, recall, F1).
///
/// Runs extraction on INPUT (or reads --predictions), then prints per-document and overall scores,
/// untyped and typed, with the misses, false positives and wrong types. A gold entity is found
/// when a mention's text or canonical name equals its name or an alias (after folding case,
/// quotes and dashes); the last line has this format:
/// entity_f1=… typed_f1=… precision=… recall=…
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  entgraph eval --gold tests/fixtures/validation-2/gold tests/fixtures/validation-2/docs   # a shipped gold set\n  entgraph eval --gold my-gold/ articles/ --no-rules\n  entgraph eval --gold my-gold/ --predictions output/mentions.jsonl"
)]
pub struct Args {
    #[command(flatten)]
    input: InputArgs,
    #[command(flatten)]
    recognize: RecognizeArgs,
    /// Directory of gold annotation files (*.json, one per document)
    #[arg(long, value_name = "DIR")]
    gold: PathBuf,
    /// Score this mentions.jsonl instead of running extraction
    #[arg(long, value_name = "FILE")]
    predictions: Option<PathBuf>,
    /// Print only the overall lines
    #[arg(long, short)]
    quiet: bool,
}

fn predictions_from_file(path: &PathBuf) -> Result<BTreeMap<String, Vec<Prediction>>> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        super::term::with_hint(
            entgraph::Error::io(path, e),
            "check --predictions: a mentions.jsonl",
        )
    })?;
    let mut out: BTreeMap<String, Vec<Prediction>> = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(line)
            .map_err(|e| anyhow::anyhow!("{}:{}: not JSON: {e}", path.display(), i + 1))?;
        let get = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
        let text = get("text");
        let entity = Some(get("entity"))
            .filter(|e| !e.trim().is_empty())
            .unwrap_or_else(|| text.clone());
        out.entry(doc_key(&get("doc")))
            .or_default()
            .push(Prediction {
                text,
                entity,
                kind: get("type"),
            });
    }
    Ok(out)
}

pub fn run(args: Args) -> Result<ExitCode> {
    let gold = load_gold(&args.gold)
        .map_err(|e| super::term::with_hint(e, "check --gold: a directory of gold *.json files"))?;
    let mut reporter = Reporter::new(args.quiet);
    let preds = match &args.predictions {
        Some(p) => predictions_from_file(p)?,
        None => {
            let pipeline = args.recognize.pipeline()?;
            reporter.warn_all(pipeline.warnings());
            let mut preds: BTreeMap<String, Vec<Prediction>> = BTreeMap::new();
            args.input
                .analyze_each(&pipeline, &mut reporter, false, |chunk| {
                    let list = preds.entry(doc_key(&chunk.doc)).or_default();
                    for m in &chunk.mentions {
                        list.push(Prediction {
                            text: chunk.text_of(m.span).to_string(),
                            entity: m.entity.to_string(),
                            kind: m.kind.to_string(),
                        });
                    }
                    Ok(())
                })?;
            preds
        }
    };
    let unknown: Vec<&String> = preds.keys().filter(|k| !gold.contains_key(*k)).collect();
    if !unknown.is_empty() {
        reporter.warn(&entgraph::Warning {
            path: None,
            line: None,
            message: format!(
                "no gold annotations for {}; not scored",
                unknown
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
    }
    let (docs, total) = score(&gold, &preds);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for d in &docs {
        if args.quiet {
            break;
        }
        let c = &d.counts;
        let (p, r, f) = c.prf();
        let (_, _, tf) = c.typed_prf();
        writeln!(
            out,
            "== {}: gold={} predicted={} tp={} fp={} P={p:.3} R={r:.3} F1={f:.3} typed_F1={tf:.3}",
            d.doc, c.gold, c.predicted, c.tp, c.fp
        )?;
        for m in &d.missed {
            let (name, kind) = (&m.name, &m.kind);
            writeln!(out, "   missed: {name} ({kind})")?;
        }
        for fp in &d.false_positives {
            let (entity, types, texts) = (&fp.entity, &fp.types, &fp.texts);
            let texts = super::term::cell(&texts.join("; "));
            writeln!(
                out,
                "   false positive: {entity} ({}) from text: {texts}",
                types.join("/")
            )?;
        }
        for w in &d.wrong_type {
            let (name, kind) = (&w.name, &w.kind);
            writeln!(out, "   wrong type: {name} (gold {kind})")?;
        }
    }
    let (p, r, f) = total.prf();
    let (tp, tr, tf) = total.typed_prf();
    writeln!(
        out,
        "== micro over {} documents: gold={} tp={} fp={} P={p:.3} R={r:.3} F1={f:.3} typed_P={tp:.3} typed_R={tr:.3} typed_F1={tf:.3}",
        docs.len(),
        total.gold,
        total.tp,
        total.fp
    )?;
    writeln!(
        out,
        "entity_f1={f:.3} typed_f1={tf:.3} precision={p:.3} recall={r:.3}"
    )?;
    out.flush()?;
    reporter.finish();
    Ok(ExitCode::SUCCESS)
}
