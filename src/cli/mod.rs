//! Command-line interface (feature `cli`): clap definitions and the options shared by subcommands.
//! Uses only the library's public API; one file per subcommand.

pub mod analysis;
pub mod build;
pub mod connect;
pub mod data;
pub mod docs;
pub mod eval;
pub mod export;
pub mod extract;
pub mod filter;
pub mod merge;
pub mod neighbors;
pub mod serve;
pub mod source;
pub mod stats;
pub mod term;
pub mod update;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, Parser, Subcommand};
use entgraph::graph::Window;
use entgraph::pipeline::{Chunk, Event, RunOptions};
use entgraph::read::{Source, expand_inputs};
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
    Merge(merge::Args),
    Connect(connect::Args),
    Neighbors(neighbors::Args),
    Stats(stats::Args),
    Dictionaries(data::Args),
    Completions(docs::CompletionsArgs),
    Man(docs::ManArgs),
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
        f: impl FnMut(&Chunk) -> Result<()> + Send,
    ) -> Result<usize> {
        let (sources, warnings) = expand_inputs(&self.inputs).map_err(|e| {
            term::with_hint(
                e,
                "INPUT is files or directories of .txt and .md documents, or - for standard input",
            )
        })?;
        reporter.warn_all(&warnings);
        self.analyze_sources(&sources, pipeline, reporter, sentences, f)
    }

    /// [`InputArgs::analyze_each`] on sources already expanded.
    pub fn analyze_sources(
        &self,
        sources: &[Source],
        pipeline: &Pipeline,
        reporter: &mut Reporter,
        sentences: bool,
        mut f: impl FnMut(&Chunk) -> Result<()> + Send,
    ) -> Result<usize> {
        let options = RunOptions {
            threads: self.thread_count(),
            chunk_size: self.chunk_size.unwrap_or_else(|| pipeline.chunk_size()),
            sentences,
            strict: self.strict,
        };
        let progress = term::Progress::new(sources, reporter.is_quiet());
        let docs = pipeline.run(sources, &options, |event| -> Result<()> {
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
    /// Dictionary file (<type>.tsv) or directory of *.tsv files; repeatable; replaces the default [default: the built-in dictionaries/, see `entgraph dictionaries`]
    #[arg(long = "dict", value_name = "PATH")]
    pub dict: Vec<PathBuf>,
    /// Pattern rules file (TOML) [default: the built-in dictionaries/patterns.toml]
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
        let builtin = data::embedded();
        if self.dict.is_empty() {
            b = b.dictionary_data(builtin.clone());
        } else {
            for d in &self.dict {
                b = b.dictionary(d);
            }
        }
        b = match (&self.rules, self.no_rules) {
            (_, true) => b.rules(None),
            (Some(r), false) => b.rules(Some(r.clone())),
            (None, false) => b.rules_data(builtin, data::RULES),
        };
        b.build().map_err(|e| match &e {
            entgraph::Error::NotFound { path } | entgraph::Error::Io { path, .. }
                if self.rules.as_ref() == Some(path) =>
            {
                term::with_hint(e, "check --rules: a TOML file of [[rule]] tables")
            }
            entgraph::Error::NotFound { .. } | entgraph::Error::Io { .. } => {
                term::with_hint(e, "check --dict: a <type>.tsv file or a directory of them")
            }
            _ => e.into(),
        })
    }

    /// True when the built-in dictionaries are used (no --dict).
    pub fn embedded_dictionaries(&self) -> bool {
        self.dict.is_empty()
    }

    /// What decides the graph besides the documents, the window and the minimum weight, for the
    /// graph's set id: the recognition flags, and the SHA-256 of each dictionary file (a
    /// directory's `*.tsv` files in name order, the built-in ones in name order too) and of the
    /// rules file. Called after the pipeline loaded them, so they can be read.
    pub fn set_options(&self) -> String {
        use entgraph::graph::sha256_hex;
        let builtin = data::embedded();
        let file_hash = |f: &Path| std::fs::read(f).map_or_else(|_| "-".into(), |b| sha256_hex(&b));
        let mut hashes: Vec<(&str, String)> = Vec::new();
        // The blocklist and merges of a dictionary directory change the mentions too.
        let user_lists = [
            entgraph::resolve::BLOCKLIST_FILE,
            entgraph::resolve::MERGES_FILE,
        ];
        if self.dict.is_empty() {
            hashes.extend(
                builtin
                    .dictionaries()
                    .map(|f| ("dict", sha256_hex(f.bytes))),
            );
            hashes.extend(
                user_lists
                    .iter()
                    .filter_map(|name| builtin.get(name))
                    .map(|f| ("dict", sha256_hex(f.bytes))),
            );
        }
        for d in &self.dict {
            if d.is_dir() {
                let mut tsv: Vec<PathBuf> = std::fs::read_dir(d)
                    .into_iter()
                    .flatten()
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "tsv") && p.is_file())
                    .collect();
                tsv.sort();
                hashes.extend(tsv.iter().map(|f| ("dict", file_hash(f))));
                hashes.extend(
                    user_lists
                        .map(|f| d.join(f))
                        .iter()
                        .filter(|p| p.is_file())
                        .map(|f| ("dict", file_hash(f))),
                );
            } else {
                hashes.push(("dict", file_hash(d)));
            }
        }
        match (&self.rules, self.no_rules) {
            (_, true) => {}
            (Some(r), false) => hashes.push(("rules", file_hash(r))),
            (None, false) => hashes.extend(
                builtin
                    .get(data::RULES)
                    .map(|f| ("rules", sha256_hex(f.bytes))),
            ),
        }
        let mut out = format!(
            "ignore_case={} partial_names={} max_mentions={}\n",
            self.ignore_case, !self.no_partial_names, self.max_mentions
        );
        for (what, hash) in hashes {
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
            let command = subcommand_in(std::env::args_os().skip(1));
            anyhow::bail!("{}", usage_error(&e.render().to_string(), &command));
        }
    };
    match cli.command {
        Command::Build(a) => build::run(a),
        Command::Extract(a) => extract::run(a),
        Command::Eval(a) => eval::run(a),
        Command::Export(a) => export::run(a),
        Command::Merge(a) => merge::run(a),
        Command::Connect(a) => connect::run(a),
        Command::Neighbors(a) => neighbors::run(a),
        Command::Stats(a) => stats::run(a),
        Command::Dictionaries(a) => data::run(a),
        Command::Completions(a) => docs::completions(a),
        Command::Man(a) => docs::man(a),
        Command::Serve(a) => serve::run(a),
    }
}

/// `entgraph SUBCOMMAND` for the first argument that names a subcommand, else `entgraph`: which
/// help a usage error points to.
fn subcommand_in(args: impl Iterator<Item = OsString>) -> String {
    use clap::CommandFactory;
    let cmd = Cli::command();
    for arg in args {
        if let Some(sub) = cmd.get_subcommands().find(|s| arg == s.get_name()) {
            return format!("entgraph {}", sub.get_name());
        }
    }
    "entgraph".into()
}

/// clap's usage error on one line, keeping its substance: the message with what it lists (the
/// missing arguments, the valid values), its suggestion as `did you mean 'build'?`, and which
/// help to read. `rendered` is clap's text: an `error: ` line, indented lists and tips, `Usage:`,
/// and `For more information, try '--help'.`
fn usage_error(rendered: &str, command: &str) -> String {
    let mut msg = String::new();
    let mut command = command.to_string();
    for line in rendered.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if let Some(usage) = line.strip_prefix("Usage:") {
            // `Usage: entgraph connect [OPTIONS] <A> <B>`: the command's words.
            let words: Vec<&str> = usage
                .split_whitespace()
                .take_while(|w| !w.starts_with(['[', '<', '-']))
                .collect();
            if !words.is_empty() {
                command = words.join(" ");
            }
        } else if line.starts_with("For more information") {
            continue;
        } else if let Some(tip) = line.strip_prefix("tip: ") {
            // `tip: a similar subcommand exists: 'build'` -> `did you mean 'build'?`
            match tip
                .strip_prefix("a similar ")
                .or_else(|| tip.strip_prefix("some similar "))
            {
                Some(rest) => {
                    let names = rest.split_once(": ").map_or(rest, |(_, n)| n);
                    msg.push_str(&format!("; did you mean {names}?"));
                }
                None => msg.push_str(&format!("; {tip}")),
            }
        } else {
            if !msg.is_empty() {
                msg.push(' ');
            }
            msg.push_str(line.strip_prefix("error: ").unwrap_or(line));
        }
    }
    if msg.is_empty() {
        msg.push_str("invalid usage");
    }
    format!("{msg} (see {command} --help)")
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
