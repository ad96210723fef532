//! Command-line interface (feature `cli`): clap definitions and the options shared by subcommands.
//! Uses only the library's public API; one file per subcommand.

pub mod analysis;
pub mod build;
pub mod connect;
pub mod eval;
pub mod export;
pub mod extract;
pub mod filter;
pub mod neighbors;
pub mod serve;
pub mod source;
pub mod stats;
pub mod term;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, Parser, Subcommand};
use entgraph::graph::Window;
use entgraph::pipeline::{Chunk, Event, RunOptions};
use entgraph::read::expand_inputs;
use entgraph::{Pipeline, PipelineBuilder};

use term::Reporter;

/// Turn a pile of text into a graph of who and what appears together.
///
/// entgraph recognizes people, films, places and organizations (and any type you add) with
/// dictionaries and regex patterns, links the entities that appear in the same sentence, and writes
/// the graph as Graphviz DOT and node-link JSON (or GraphML, GEXF, Cytoscape.js JSON, CSV, SVG, PNG).
#[derive(Debug, Parser)]
#[command(
    name = "entgraph",
    version,
    propagate_version = true,
    max_term_width = 100
)]
#[command(
    after_help = "Examples:\n  entgraph build                       # the seeds -> output/graph.dot, graph.json, mentions.jsonl\n  entgraph build --formats dot,json,graphml,svg\n  entgraph export --format gexf --out output          # output/graph.json -> output/graph.gexf\n  entgraph extract notes/ --format jsonl\n  cat article.txt | entgraph build - --out /tmp/graph"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Build(build::Args),
    Extract(extract::Args),
    Eval(eval::Args),
    Export(export::Args),
    Connect(connect::Args),
    Neighbors(neighbors::Args),
    Stats(stats::Args),
    Serve(serve::Args),
}

/// Where the documents come from.
#[derive(Debug, Args, Clone)]
pub struct InputArgs {
    /// Files or directories (walked recursively for *.txt and *.md), or - for standard input
    #[arg(value_name = "INPUT", default_value = "seeds")]
    pub inputs: Vec<PathBuf>,
    /// Stop with an error on an input that is not valid UTF-8 (default: decode it lossily, with a warning)
    #[arg(long)]
    pub strict: bool,
    /// Threads analyzing documents and chunks of large ones [default: all cores]; the output does not depend on it
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
    /// Bytes per chunk of a large document (tests and tuning) [default: 4 MiB with pattern rules,
    /// 1 MiB without]
    #[arg(long, value_name = "BYTES", hide = true)]
    pub chunk_size: Option<usize>,
}

impl InputArgs {
    /// `--threads`, or all cores.
    pub fn thread_count(&self) -> usize {
        self.threads.map_or_else(
            || std::thread::available_parallelism().map_or(1, |n| n.get()),
            usize::from,
        )
    }

    /// Reads every input in order, in chunks analyzed on `--threads` threads, reporting warnings
    /// (skipped files, lossy decoding) through `reporter` and progress on a terminal, and hands each
    /// chunk to `f` in input order. Fails when no document was read.
    pub fn analyze_each(
        &self,
        pipeline: &Pipeline,
        reporter: &mut Reporter,
        sentences: bool,
        mut f: impl FnMut(&Chunk) -> Result<()> + Send,
    ) -> Result<usize> {
        let (sources, warnings) = expand_inputs(&self.inputs)?;
        reporter.warn_all(&warnings);
        let options = RunOptions {
            threads: self.thread_count(),
            chunk_size: self.chunk_size.unwrap_or_else(|| pipeline.chunk_size()),
            sentences,
            strict: self.strict,
        };
        let progress = term::Progress::new(&sources, reporter.is_quiet());
        let docs = pipeline.run(&sources, &options, |event| -> Result<()> {
            match event {
                Event::Warning(w) => progress.suspend(|| reporter.warn(w)),
                Event::Chunk(chunk) => {
                    progress.advance(chunk.text.len());
                    if chunk.truncated {
                        let w = pipeline.truncation_warning(&chunk.doc);
                        progress.suspend(|| reporter.warn(&w));
                    }
                    f(chunk)?;
                }
            }
            Ok(())
        });
        progress.finish();
        let docs = docs?;
        if docs == 0 {
            let names: Vec<String> = self
                .inputs
                .iter()
                .map(|p| p.display().to_string())
                .collect();
            anyhow::bail!("no document could be read from {}", names.join(", "));
        }
        Ok(docs)
    }
}

/// How entities are recognized.
#[derive(Debug, Args, Clone)]
pub struct RecognizeArgs {
    /// Dictionary file (<type>.tsv) or directory of *.tsv files; repeatable; replaces the default [default: dictionaries/]
    #[arg(long = "dict", value_name = "PATH")]
    pub dict: Vec<PathBuf>,
    /// Pattern rules file (TOML) [default: dictionaries/patterns.toml]
    #[arg(long, value_name = "FILE", conflicts_with = "no_rules")]
    pub rules: Option<PathBuf>,
    /// Use no pattern rules, only dictionaries
    #[arg(long)]
    pub no_rules: bool,
    /// Dictionary matching ignores case (Unicode-aware)
    #[arg(long)]
    pub ignore_case: bool,
    /// Do not resolve partial person names ("McQuarrie" after "Christopher McQuarrie") within a document
    #[arg(long)]
    pub no_partial_names: bool,
    /// Keep at most N mentions per document (a warning says when a document has more)
    #[arg(long, value_name = "N", default_value_t = entgraph::pipeline::DEFAULT_MAX_MENTIONS, value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    pub max_mentions: usize,
    /// Compile the dictionary every time instead of keeping large ones compiled in the cache
    /// directory ($ENTGRAPH_CACHE_DIR, else $XDG_CACHE_HOME/entgraph or ~/.cache/entgraph)
    #[arg(long)]
    pub no_cache: bool,
}

/// How entities are linked.
#[derive(Debug, Args, Clone)]
pub struct LinkArgs {
    /// Co-occurrence window: sentence, paragraph or document
    #[arg(long, value_name = "WINDOW", default_value = "sentence")]
    pub window: Window,
    /// Drop edges seen fewer than N times
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..))]
    pub min_weight: u64,
}

/// The default data directory: `dictionaries/` in the working directory, else the one shipped with
/// the source tree this binary was built from.
fn default_data(rel: &str) -> PathBuf {
    let local = PathBuf::from(rel);
    if local.exists() {
        return local;
    }
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    if shipped.exists() { shipped } else { local }
}

/// The dictionary cache directory: `$ENTGRAPH_CACHE_DIR` when set (set and empty turns the cache
/// off), else `$XDG_CACHE_HOME/entgraph`, else `$HOME/.cache/entgraph`; none when none is set.
/// `var` reads an environment variable.
fn cache_dir(var: impl Fn(&str) -> Option<OsString>) -> Option<PathBuf> {
    if let Some(dir) = var("ENTGRAPH_CACHE_DIR") {
        return (!dir.is_empty()).then(|| PathBuf::from(dir));
    }
    if let Some(dir) = var("XDG_CACHE_HOME").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir).join("entgraph"));
    }
    var("HOME")
        .filter(|d| !d.is_empty())
        .map(|h| PathBuf::from(h).join(".cache").join("entgraph"))
}

impl RecognizeArgs {
    /// Loads dictionaries and rules into a pipeline.
    pub fn pipeline(&self) -> Result<Pipeline> {
        self.pipeline_with(1, true)
    }

    /// Loads dictionaries and rules into a pipeline on `threads` threads, recording the candidates
    /// each mention beat only when `explain`.
    pub fn pipeline_with(&self, threads: usize, explain: bool) -> Result<Pipeline> {
        let mut b = PipelineBuilder::new()
            .threads(threads)
            .explain(explain)
            .ignore_case(self.ignore_case)
            .partial_names(!self.no_partial_names)
            .max_mentions(self.max_mentions)
            .dictionary_cache(if self.no_cache {
                None
            } else {
                cache_dir(|name| std::env::var_os(name))
            });
        for d in self.dictionaries() {
            b = b.dictionary(d);
        }
        Ok(b.rules(self.rules_file()).build()?)
    }

    /// The dictionaries given, or the default.
    fn dictionaries(&self) -> Vec<PathBuf> {
        if self.dict.is_empty() {
            vec![default_data("dictionaries")]
        } else {
            self.dict.clone()
        }
    }

    /// The rules file, if any.
    fn rules_file(&self) -> Option<PathBuf> {
        if self.no_rules {
            return None;
        }
        match &self.rules {
            Some(r) => Some(r.clone()),
            None => {
                let r = default_data("dictionaries/patterns.toml");
                r.exists().then_some(r)
            }
        }
    }

    /// What decides the graph besides the documents, the window and the minimum weight, for the
    /// graph's set id: the recognition flags, and the SHA-256 of each dictionary file (a
    /// directory's `*.tsv` files in name order) and of the rules file. Called after the pipeline
    /// loaded them, so they can be read.
    pub fn set_options(&self) -> String {
        let mut files: Vec<PathBuf> = Vec::new();
        for d in self.dictionaries() {
            if d.is_dir() {
                let mut tsv: Vec<PathBuf> = std::fs::read_dir(&d)
                    .into_iter()
                    .flatten()
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "tsv") && p.is_file())
                    .collect();
                tsv.sort();
                files.extend(tsv);
            } else {
                files.push(d);
            }
        }
        let mut out = format!(
            "ignore_case={} partial_names={} max_mentions={}\n",
            self.ignore_case, !self.no_partial_names, self.max_mentions
        );
        let rules = self.rules_file();
        for (what, f) in files
            .iter()
            .map(|f| ("dict", f))
            .chain(rules.iter().map(|f| ("rules", f)))
        {
            let hash =
                std::fs::read(f).map_or_else(|_| "-".into(), |b| entgraph::graph::sha256_hex(&b));
            out.push_str(&format!("{what} {hash}\n"));
        }
        out
    }
}

/// On SIGINT or SIGTERM: removes the temporary files of the run (a commit in progress finishes
/// first, so the output directory holds the old set or the new one) and exits with 128 + the
/// signal's number (130, 143), as a shell reports a process killed by it.
fn stop_on_signals() {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            let _stopped = entgraph::export::remove_temporary_files();
            std::process::exit(128 + signal);
        }
    });
}

/// Parses the command line and runs the subcommand.
pub fn run() -> Result<ExitCode> {
    stop_on_signals();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(
                e.kind(),
                ErrorKind::DisplayHelp
                    | ErrorKind::DisplayVersion
                    | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            ) {
                e.print()?;
                return Ok(
                    if e.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                        ExitCode::from(2)
                    } else {
                        ExitCode::SUCCESS
                    },
                );
            }
            // One line: clap's first line without its "error: " prefix, plus where to look.
            let text = e.render().to_string();
            let first = text
                .lines()
                .next()
                .unwrap_or("invalid usage")
                .trim_start_matches("error: ")
                .to_string();
            anyhow::bail!("{first} (see --help)");
        }
    };
    match cli.command {
        Command::Build(a) => build::run(a),
        Command::Extract(a) => extract::run(a),
        Command::Eval(a) => eval::run(a),
        Command::Export(a) => export::run(a),
        Command::Connect(a) => connect::run(a),
        Command::Neighbors(a) => neighbors::run(a),
        Command::Stats(a) => stats::run(a),
        Command::Serve(a) => serve::run(a),
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    /// (environment, cache directory): the first variable set and non-empty wins, except that
    /// an empty `ENTGRAPH_CACHE_DIR` turns the cache off.
    #[test]
    fn cli_cache_dir_table() {
        /// (variables set, the directory expected)
        type Case = (
            &'static [(&'static str, &'static str)],
            Option<&'static str>,
        );
        let cases: &[Case] = &[
            (&[], None),
            (&[("HOME", "/h")], Some("/h/.cache/entgraph")),
            (&[("HOME", "")], None),
            (
                &[("HOME", "/h"), ("XDG_CACHE_HOME", "/x")],
                Some("/x/entgraph"),
            ),
            (
                &[("HOME", "/h"), ("XDG_CACHE_HOME", "")],
                Some("/h/.cache/entgraph"),
            ),
            (
                &[
                    ("HOME", "/h"),
                    ("XDG_CACHE_HOME", "/x"),
                    ("ENTGRAPH_CACHE_DIR", "/e"),
                ],
                Some("/e"),
            ),
            (&[("HOME", "/h"), ("ENTGRAPH_CACHE_DIR", "")], None),
        ];
        for (env, want) in cases {
            let got = super::cache_dir(|name| {
                env.iter().find(|(k, _)| *k == name).map(|(_, v)| v.into())
            });
            assert_eq!(got, want.map(PathBuf::from), "{env:?}");
        }
    }
}
