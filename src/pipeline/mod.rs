//! The pipeline: the only code that knows the order of the stages, the threads and the merge.
//!
//! # Stages
//! read → normalize → segment → recognize → resolve, then link and export by the caller:
//! [`Pipeline::analyze`] runs them on one document in memory, [`Pipeline::run`] on sources of
//! any size, handing over [`Event`]s in input order.
//!
//! # Streaming
//! [`Pipeline::run`] reads each source in pieces and cuts every document into chunks of about
//! [`RunOptions::chunk_size`] bytes: after the last line break in the window; in a line longer than
//! the window, at the last sentence boundary whose decision the window fully holds; failing that
//! (a window with no sentence end), at the last whitespace that no dictionary match crosses. So a
//! chunk never cuts a line's sentence or a dictionary name, and memory is bounded by the chunk size
//! times the chunks in flight, whatever the size of a document or of the corpus.
//!
//! # Threads and determinism
//! Chunks are analyzed in parallel (normalize, segment, recognize, the overlap rule) and merged
//! in input order, one at a time, by the thread that finished the next one in order (mostly the
//! one that analyzed it). The merge keeps the per-document state: paragraph numbers, byte and
//! character offsets (always into the whole document), and partial person names
//! ([`PartialNames`]). A warning met while reading travels with the chunk read after it. So the
//! events handed to the caller are the same whatever the thread count.
//!
//! What chunking changes, for documents larger than the chunk size only: partial names resolve
//! against the full names of the chunks seen so far (see [`PartialNames`]); in a line longer than
//! the chunk size, a pattern match that would cross a sentence boundary where the line is cut is
//! not found, and in the rare window with no sentence end the cut splits that sentence in two.
//!
//! # Layout
//! - `builder.rs`: [`PipelineBuilder`], which loads dictionaries and rules.
//! - `feed.rs`: sources → jobs (a document read in pieces and cut by `chunk.rs`).
//! - `chunk.rs`: where a document is cut, and [`Chunk`], what a run hands over.
//! - `analyze.rs`: a job → an analyzed chunk, on any thread (no per-document state).
//! - `merge.rs`: an analyzed chunk → a [`Chunk`], in input order (the per-document state).
//! - `ordered.rs`: the ordered parallel map that runs feed → analyze → merge on the threads.
//!
//! [`PartialNames`]: crate::resolve::PartialNames

mod analyze;
mod builder;
mod chunk;
mod feed;
mod merge;
mod ordered;
#[cfg(test)]
mod tests;

use std::path::PathBuf;
use std::sync::Arc;

pub use builder::{DEFAULT_MAX_MENTIONS, PipelineBuilder};
pub use chunk::Chunk;

use crate::error::{Error, Warning};
use crate::model::{Document, Mention, Sentence};
use crate::read::Source;
use crate::recognize::{Dictionary, Recognizer, Rules};
use crate::resolve::Resolver;
use feed::{CappedDocument, Feed, Job};
use merge::DocState;
use ordered::OrderedMap;

/// A compiled pipeline: analyze documents one at a time (it is `Sync`: share it across threads).
pub struct Pipeline {
    dictionary: Arc<Dictionary>,
    rules: Option<Arc<Rules>>,
    recognizers: Vec<Box<dyn Recognizer>>,
    resolver: Resolver,
    max_mentions: usize,
}

/// What the pipeline found in one document.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// Sentences, with spans into the document as read.
    pub sentences: Vec<Sentence>,
    /// Mentions in text order, with spans into the document as read.
    pub mentions: Vec<Mention>,
    /// True when the document had more mentions than the cap ([`PipelineBuilder::max_mentions`]):
    /// only the first ones were kept and the rest of the document was not analyzed.
    pub truncated: bool,
}

/// How [`Pipeline::run`] reads and schedules.
#[derive(Debug, Clone, Copy)]
pub struct RunOptions {
    /// Threads analyzing chunks (1: everything on the calling thread).
    pub threads: usize,
    /// Target chunk size in bytes (at least [`MIN_CHUNK_SIZE`]); [`Pipeline::chunk_size`] is the
    /// one that suits the pipeline.
    pub chunk_size: usize,
    /// Whether sentences are needed (linking needs them; extraction does not).
    pub sentences: bool,
    /// Invalid UTF-8 is an error instead of a warning.
    pub strict: bool,
}

/// The default chunk size: 1 MiB. The chunk size hardly changes the instructions run (callgrind,
/// `build` on 10 MB: 5.490G with 1 MiB chunks, 5.507G with 4 MiB), but smaller chunks hold less
/// memory, stay in a core's caches between analysis and merge, and shorten the end of a parallel
/// run. `extract --no-rules` on the 100 MB benchmark, 6 interleaved rounds: `--threads 2` 1.84x
/// faster than `--threads 1` with 1 MiB, 1.81x with 512 KiB, 1.67x with 256 KiB (its one-thread
/// runs were the fast ones of the batch; its two-thread time was the same), against about 1.7x
/// with 2 MiB; `build --threads 2`, 5 rounds: 3.48 s with 1 or 2 MiB, 3.50 s with 256 KiB. Larger
/// chunks resolve more partial names in a document longer than a chunk (see the module doc).
pub const DEFAULT_CHUNK_SIZE: usize = 1 << 20;
/// The chunk size of a pipeline with pattern rules ([`Pipeline::chunk_size`]): 4 MiB. The
/// instructions are the same, but each chunk goes through the dictionary's automaton, then
/// through the rules' automata one rule after the other, then into the graph, and each of them
/// starts the chunk cold in the cache: `build --threads 1` on the 100 MB benchmark (perf, same
/// run) spent 0.50 s in the dictionary scan with 1 MiB chunks and 0.30 s with 8 MiB, the rules'
/// lazy DFAs 0.32 and 0.21 s, linking 0.45 and 0.35 s. `build --threads 2`, 4 interleaved rounds:
/// 2.98 s with 1 MiB, 2.70 s with 4 and 8 MiB (CPU 4.70, 4.16 and 4.03 s), 2.73 s with 16 MiB
/// (CPU 3.90 s: fewer pieces to share out at the end). Without rules the text is the larger part
/// of what a chunk needs in the cache, and 1 MiB is faster (`extract --no-rules --threads 1`:
/// 0.89 s against 1.03 s with 4 MiB).
pub const RULES_CHUNK_SIZE: usize = 4 << 20;
/// The smallest chunk size accepted (smaller values are raised to it); larger than
/// [`crate::recognize::pattern::MAX_HEADLINE_LEN`], so that a line cut in pieces is never a headline.
pub const MIN_CHUNK_SIZE: usize = 4096;
/// Chunks in flight per thread in [`Pipeline::run`] (read and not merged yet): enough for a
/// thread never to wait for another's slower chunk, few enough to bound memory.
const CHUNKS_IN_FLIGHT_PER_THREAD: usize = 3;

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            threads: 1,
            chunk_size: DEFAULT_CHUNK_SIZE,
            sentences: true,
            strict: false,
        }
    }
}

/// What [`Pipeline::run`] reports, in input order.
#[derive(Debug)]
pub enum Event<'a> {
    /// A source was skipped, or decoded with replacements: not fatal.
    Warning(&'a Warning),
    /// The next chunk of the current document.
    Chunk(&'a Chunk),
}

impl Pipeline {
    /// The compiled dictionary.
    pub fn dictionary(&self) -> &Dictionary {
        &self.dictionary
    }

    /// The compiled rules, if any.
    pub fn rules(&self) -> Option<&Rules> {
        self.rules.as_deref()
    }

    /// Warnings from loading dictionaries.
    pub fn warnings(&self) -> &[Warning] {
        self.dictionary.warnings()
    }

    /// The chunk size to run this pipeline with: [`RULES_CHUNK_SIZE`] if it has pattern rules,
    /// else [`DEFAULT_CHUNK_SIZE`].
    pub fn chunk_size(&self) -> usize {
        if self.rules.as_ref().is_some_and(|r| !r.rules().is_empty()) {
            RULES_CHUNK_SIZE
        } else {
            DEFAULT_CHUNK_SIZE
        }
    }

    /// The cap on mentions per document.
    pub fn max_mentions(&self) -> usize {
        self.max_mentions
    }

    /// The warning for a document that reached the cap on mentions.
    pub fn truncation_warning(&self, doc: &str) -> Warning {
        Warning {
            path: Some(PathBuf::from(doc)),
            line: None,
            message: format!(
                "more than {} mentions; only the first {} were kept (--max-mentions)",
                self.max_mentions, self.max_mentions
            ),
        }
    }

    /// Runs normalize → segment → recognize → resolve on one document.
    ///
    /// ```
    /// use entgraph::{Document, PipelineBuilder};
    /// let dir = tempfile::tempdir().unwrap();
    /// std::fs::write(dir.path().join("person.tsv"), "Tom Cruise\tCruise\n").unwrap();
    /// let p = PipelineBuilder::new().dictionary(dir.path()).build().unwrap();
    /// let a = p.analyze(&Document::new("d", "Tom Cruise\u{2019}s stunt. Cruise jumped."));
    /// assert_eq!(a.mentions.len(), 2);
    /// assert_eq!(a.sentences.len(), 2);
    /// ```
    pub fn analyze(&self, doc: &Document) -> Analysis {
        let job = Job {
            doc_no: 0,
            doc: doc.name.as_str().into(),
            index: 0,
            last: true,
            offset: 0,
            text: doc.text.clone(),
            continues_line: false,
            warnings: Vec::new(),
            sha256: None,
        };
        let chunk = self.merge(self.analyze_job(job, true), &mut DocState::default());
        Analysis {
            sentences: chunk.sentences,
            mentions: chunk.mentions,
            truncated: chunk.truncated,
        }
    }

    /// Reads every source, cuts each document into chunks, analyzes them on `options.threads`
    /// threads and hands them to `on` in input order, with warnings. Returns the number of
    /// documents read (skipped binaries not counted). The first error (reading, or from `on`)
    /// stops the run; `on` has then seen the same events as with one thread.
    ///
    /// With more than one thread, `on` is called on whichever thread merges the next chunk (one
    /// at a time, in input order): hence `Send`.
    ///
    /// ```
    /// use entgraph::pipeline::{Event, PipelineBuilder, RunOptions};
    /// use entgraph::read::Source;
    /// let dir = tempfile::tempdir().unwrap();
    /// std::fs::write(dir.path().join("person.tsv"), "Tom Cruise\tCruise\n").unwrap();
    /// let doc = dir.path().join("a.txt");
    /// std::fs::write(&doc, "Tom Cruise jumped. Cruise ran.\n").unwrap();
    /// let p = PipelineBuilder::new().dictionary(dir.path()).build().unwrap();
    /// let mut found = 0;
    /// let docs = p.run(&[Source::File(doc)], &RunOptions { threads: 2, ..Default::default() }, |e| {
    ///     if let Event::Chunk(c) = e { found += c.mentions.len(); }
    ///     Ok::<(), entgraph::Error>(())
    /// }).unwrap();
    /// assert_eq!((docs, found), (1, 2));
    /// ```
    pub fn run<E: From<Error> + Send>(
        &self,
        sources: &[Source],
        options: &RunOptions,
        mut on: impl FnMut(Event<'_>) -> std::result::Result<(), E> + Send,
    ) -> std::result::Result<usize, E> {
        let chunk_size = options.chunk_size.max(MIN_CHUNK_SIZE);
        let threads = options.threads.max(1);
        let capped = CappedDocument::new();
        let mut feed = Feed::new(
            sources,
            options.strict,
            chunk_size,
            &self.dictionary,
            &capped,
        );
        let mut doc = DocState::default();
        OrderedMap::new(threads)
            .in_flight(CHUNKS_IN_FLIGHT_PER_THREAD * threads)
            .run(
                || feed.next().map_err(E::from),
                |job| self.analyze_job(job, options.sentences),
                |analyzed| self.hand_over(analyzed, &mut doc, &capped, &mut on),
            )?;
        // The warnings met after the last chunk (sources skipped at the end).
        for w in &feed.warnings {
            on(Event::Warning(w))?;
        }
        Ok(feed.docs)
    }
}
