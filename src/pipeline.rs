//! The pipeline: the only code that knows the order of the stages, the threads and the merge.
//! read → normalize → segment → recognize → resolve (→ link, export by the caller).
//!
//! # Streaming
//! [`Pipeline::run`] reads each source in pieces and cuts every document into chunks of about
//! [`RunOptions::chunk_size`] bytes: after the last line break in the window; in a line longer than
//! the window, at the last sentence boundary whose decision the window fully holds; failing that
//! (a window with no sentence end), at the last whitespace that no dictionary match crosses. So a
//! chunk never cuts a line's sentence or a dictionary name, and memory is bounded by the chunk size
//! times the chunks in flight, whatever the size of a document or of the corpus.
//!
//! Chunks are analyzed in parallel (normalize, segment, recognize, the overlap rule) and merged
//! in input order, one at a time, by the thread that finished the next one in order (mostly the
//! one that analyzed it). The merge keeps the per-document state: paragraph numbers, byte and
//! character offsets (always into the whole document), and partial person names
//! ([`PartialNames`]). The events handed to the caller are the same whatever the thread count.
//!
//! What chunking changes, for documents larger than the chunk size only: partial names resolve
//! against the full names of the chunks seen so far (see [`PartialNames`]); in a line longer than
//! the chunk size, a pattern match that would cross a sentence boundary where the line is cut is
//! not found, and in the rare window with no sentence end the cut splits that sentence in two.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};

use crate::error::{Error, Result, Warning};
use crate::link::{GraphBuilder, Window};
use crate::model::{Document, Mention, Sentence, Span};
use crate::text::count_chars;
use crate::normalize::{Normalized, normalize};
use crate::read::{DocumentReader, Opened, Source};
use crate::recognize::{
    Dictionary, DictionaryBuilder, Input, Recognizer, Rules, default_recognizers,
};
use crate::resolve::{PartialNames, Prepared, ResolveOptions, Resolved, Resolver};
use crate::segment::{SegmentState, Segmenter};

/// Options for building a [`Pipeline`].
#[derive(Debug, Clone, Default)]
pub struct PipelineBuilder {
    dictionaries: Vec<PathBuf>,
    rules: Option<PathBuf>,
    ignore_case: bool,
    partial_names: Option<bool>,
    explain: Option<bool>,
    threads: usize,
    max_mentions: Option<usize>,
    cache_dir: Option<PathBuf>,
}

/// Default cap on mentions per document ([`PipelineBuilder::max_mentions`]).
pub const DEFAULT_MAX_MENTIONS: usize = 1_000_000;

impl PipelineBuilder {
    /// No dictionaries and no rules yet.
    pub fn new() -> Self {
        Self::default()
    }
    /// Adds a dictionary file or directory of `*.tsv` files.
    pub fn dictionary(mut self, path: impl Into<PathBuf>) -> Self {
        self.dictionaries.push(path.into());
        self
    }
    /// Sets the rules file (`None`: no pattern rules).
    pub fn rules(mut self, path: Option<PathBuf>) -> Self {
        self.rules = path;
        self
    }
    /// Dictionary matching ignores case.
    pub fn ignore_case(mut self, yes: bool) -> Self {
        self.ignore_case = yes;
        self
    }
    /// Resolve partial person names within documents (default on).
    pub fn partial_names(mut self, yes: bool) -> Self {
        self.partial_names = Some(yes);
        self
    }

    /// Keeps at most `n` mentions per document (default [`DEFAULT_MAX_MENTIONS`]): past that point
    /// nothing more of the document is analyzed, and [`Analysis::truncated`] (or
    /// [`Chunk::truncated`]) says so. Bounds memory and time against adversarial input.
    pub fn max_mentions(mut self, n: usize) -> Self {
        self.max_mentions = Some(n.max(1));
        self
    }

    /// Record in each mention the candidates it won over ([`Mention::beat`], default on).
    pub fn explain(mut self, yes: bool) -> Self {
        self.explain = Some(yes);
        self
    }

    /// Loads dictionaries and rules on `n` threads (default 1): with two or more, the rules
    /// compile while the dictionary loads.
    pub fn threads(mut self, n: usize) -> Self {
        self.threads = n;
        self
    }

    /// Keeps the compiled automaton of a large dictionary in `dir`
    /// ([`crate::recognize::cache`]); by default it is compiled every time.
    pub fn dictionary_cache(mut self, dir: Option<PathBuf>) -> Self {
        self.cache_dir = dir;
        self
    }

    /// Loads dictionaries and rules and compiles them. Errors name the file and line.
    pub fn build(self) -> Result<Pipeline> {
        let load_dictionary = || -> Result<Dictionary> {
            let mut b = DictionaryBuilder::new();
            b.ignore_case(self.ignore_case);
            b.cache_dir(self.cache_dir.clone());
            for p in &self.dictionaries {
                b.add_path(p)?;
            }
            b.build()
        };
        let load_rules =
            || -> Result<Option<Rules>> { self.rules.as_deref().map(Rules::from_file).transpose() };
        // With 2 threads or more, the dictionary loads on this thread while the rules compile on a
        // pool of `threads` threads (each rule's regexes on whichever is free).
        let (dictionary, rules) = if self.threads > 1 {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(self.threads)
                .thread_name(|i| format!("entgraph-load-{i}"))
                .build()
                .map_err(|e| {
                    Error::Invalid(format!("cannot start {} threads: {e}", self.threads))
                })?;
            std::thread::scope(|s| {
                let rules = s.spawn(|| pool.install(load_rules));
                let dictionary = load_dictionary();
                (
                    dictionary,
                    rules.join().expect("rules loader does not panic"),
                )
            })
        } else {
            (load_dictionary(), load_rules())
        };
        // Dictionary errors first, as when loading one after the other.
        let dictionary = Arc::new(dictionary?);
        let rules = rules?.map(Arc::new);
        let recognizers = default_recognizers(dictionary.clone(), rules.clone());
        Ok(Pipeline {
            dictionary: dictionary.clone(),
            rules,
            recognizers,
            resolver: Resolver::new(
                dictionary,
                ResolveOptions {
                    partial_names: self.partial_names.unwrap_or(true),
                    explain: self.explain.unwrap_or(true),
                },
            ),
            max_mentions: self.max_mentions.unwrap_or(DEFAULT_MAX_MENTIONS),
            truncated_doc: AtomicUsize::new(usize::MAX),
        })
    }
}

/// A compiled pipeline: analyze documents one at a time (it is `Sync`: share it across threads).
pub struct Pipeline {
    dictionary: Arc<Dictionary>,
    rules: Option<Arc<Rules>>,
    recognizers: Vec<Box<dyn Recognizer>>,
    resolver: Resolver,
    max_mentions: usize,
    /// The number (in the run) of the document whose cap on mentions was reached: the reader
    /// hands its later chunks over empty, so nothing more of it is analyzed.
    truncated_doc: AtomicUsize,
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

/// A piece of a document, analyzed and merged: what [`Pipeline::run`] hands over, in input order.
#[derive(Debug, Clone)]
pub struct Chunk {
    /// The document's name.
    pub doc: Arc<str>,
    /// Index of this chunk in the document (0 for the first).
    pub index: usize,
    /// True for the document's last chunk (a document that fits in one chunk: first and last).
    pub last: bool,
    /// Byte offset of `text` in the document.
    pub offset: usize,
    /// Character offset of `text` in the document.
    pub char_offset: usize,
    /// This piece of the document, as read.
    pub text: String,
    /// Its sentences: byte spans into the document (not into `text`), paragraphs numbered in the document.
    pub sentences: Vec<Sentence>,
    /// Its mentions in text order: byte spans into the document.
    pub mentions: Vec<Mention>,
    /// The character spans (start, end) of `mentions` in the document.
    pub char_spans: Vec<(usize, usize)>,
    /// True on the chunk where the document reached the cap on mentions
    /// ([`PipelineBuilder::max_mentions`]): its later mentions, and later chunks, are dropped.
    pub truncated: bool,
}

impl Chunk {
    /// Adds this chunk to a graph: the first chunk of a document opens it, the last closes it.
    /// Handing every chunk of a run to one builder, in order, gives the document-by-document graph.
    pub fn link_into(&self, graph: &mut GraphBuilder) {
        if self.index == 0 {
            graph.begin_document(&self.doc);
        }
        graph.add_piece(
            &self.text,
            self.offset,
            self.char_offset,
            &self.sentences,
            &self.mentions,
        );
        if self.last {
            graph.end_document();
        }
    }

    /// The text of a span of the document that lies in this chunk.
    pub fn text_of(&self, span: Span) -> &str {
        &self.text[span.start - self.offset..span.end - self.offset]
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

/// A chunk cut from a document, not analyzed yet.
struct Job {
    seq: u64,
    /// The document's number in the run.
    doc_no: usize,
    doc: Arc<str>,
    index: usize,
    last: bool,
    offset: usize,
    text: String,
    continues_line: bool,
    /// Warnings met while reading up to this chunk: handed over just before it.
    warnings: Vec<Warning>,
}

/// A chunk analyzed, before the merge.
struct Analyzed {
    job: Job,
    norm: Normalized,
    /// Mentions before partial names ([`Resolver::prepare`]): their spans in `norm.text`, and the
    /// mentions with spans into `job.text`.
    prepared: Prepared,
    /// Character spans of `prepared.mentions` in `job.text`.
    chars_of: Vec<(usize, usize)>,
    /// Sentences with spans into `job.text`, paragraphs numbered from this chunk's start.
    sentences: Vec<Sentence>,
    segmenter: Segmenter,
    chars: usize,
}

/// Character offsets of byte offsets `at` (sorted) of `text`.
fn char_offsets(text: &str, at: impl Iterator<Item = usize>) -> Vec<usize> {
    if text.is_ascii() {
        return at.collect();
    }
    let bytes = text.as_bytes();
    let (mut pos, mut chars) = (0, 0);
    at.map(|b| {
        if b >= pos {
            chars += count_chars(&bytes[pos..b]);
        } else {
            chars -= count_chars(&bytes[b..pos]);
        }
        pos = b;
        chars
    })
    .collect()
}

/// Sets each mention's span to its byte span in `text` (the chunk as read; the keys are spans in
/// its normalized form `norm`) and returns their character spans in `text`, in order.
fn to_original(
    norm: &crate::normalize::Normalized,
    text: &str,
    mentions: &mut [Resolved],
) -> Vec<(usize, usize)> {
    let mut hint = 0;
    for Resolved { span, mention: m } in mentions.iter_mut() {
        let (a, b) = norm.span_to_original_after(span.start, span.end, text, &mut hint);
        m.span = Span::new(a, b);
    }
    let offsets = char_offsets(
        text,
        mentions
            .iter()
            .flat_map(|r| [r.mention.span.start, r.mention.span.end]),
    );
    offsets.chunks(2).map(|p| (p[0], p[1])).collect()
}

/// Per-document state of the merge.
#[derive(Default)]
struct DocState {
    partial: PartialNames,
    segment: SegmentState,
    chars: usize,
    mentions: usize,
    truncated: bool,
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
            seq: 0,
            doc_no: usize::MAX - 1,
            doc: doc.name.as_str().into(),
            index: 0,
            last: true,
            offset: 0,
            text: doc.text.clone(),
            continues_line: false,
            warnings: Vec::new(),
        };
        let chunk = self.merge(self.analyze_job(job, true), &mut DocState::default());
        Analysis {
            sentences: chunk.sentences,
            mentions: chunk.mentions,
            truncated: chunk.truncated,
        }
    }

    /// Analyzes one chunk: everything that needs no state of the document.
    fn analyze_job(&self, job: Job, sentences: bool) -> Analyzed {
        let norm = normalize(&job.text);
        let mut segmenter = Segmenter::new();
        let mut norm_sentences = Vec::new();
        if sentences {
            segmenter.push(&norm.text, 0, &mut norm_sentences);
        }
        let mut candidates = Vec::new();
        let input = Input {
            text: &norm.text,
            sentences: &norm_sentences,
            continues_line: job.continues_line,
        };
        for r in &self.recognizers {
            r.recognize(input, &mut candidates);
        }
        let mut prepared = self.resolver.prepare(candidates, &norm.text);
        let chars_of = to_original(&norm, &job.text, &mut prepared.mentions);
        let mut hint = 0;
        let sentences = norm_sentences
            .into_iter()
            .map(|s| {
                let (a, b) =
                    norm.span_to_original_after(s.span.start, s.span.end, &job.text, &mut hint);
                Sentence {
                    span: Span::new(a, b),
                    paragraph: s.paragraph,
                }
            })
            .collect();
        let chars = count_chars(job.text.as_bytes());
        Analyzed {
            job,
            norm,
            prepared,
            chars_of,
            sentences,
            segmenter,
            chars,
        }
    }

    /// Merges an analyzed chunk into its document's state (in input order).
    fn merge(&self, a: Analyzed, doc: &mut DocState) -> Chunk {
        let Analyzed {
            job,
            norm,
            mut prepared,
            chars_of,
            mut sentences,
            segmenter,
            chars,
        } = a;
        if job.index == 0 {
            *doc = DocState::default();
        }
        let char_offset = doc.chars;
        doc.chars += chars;
        let mut added = self
            .resolver
            .apply(&norm.text, &mut prepared, &mut doc.partial);
        // The partial names found here: spans into the original and character spans.
        let added_offsets = to_original(&norm, &job.text, &mut added);
        let offset = job.offset;
        let mut mentions = Vec::with_capacity(prepared.mentions.len() + added.len());
        let mut char_spans = Vec::with_capacity(prepared.mentions.len() + added.len());
        let mut found = prepared
            .mentions
            .into_iter()
            .map(|r| r.mention)
            .zip(chars_of)
            .peekable();
        let mut coref = added
            .into_iter()
            .map(|r| r.mention)
            .zip(added_offsets)
            .peekable();
        loop {
            let take_found = match (found.peek(), coref.peek()) {
                (Some((a, _)), Some((b, _))) => a.span.start <= b.span.start,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            let (mut m, (cs, ce)) = if take_found {
                found.next().expect("peeked")
            } else {
                coref.next().expect("peeked")
            };
            m.span = Span::new(m.span.start + offset, m.span.end + offset);
            mentions.push(m);
            char_spans.push((cs + char_offset, ce + char_offset));
        }
        let (state, base) = doc.segment.advance(&segmenter);
        doc.segment = state;
        for s in &mut sentences {
            s.span = Span::new(s.span.start + offset, s.span.end + offset);
            s.paragraph += base;
        }
        // The cap on mentions (issue 6): past it, nothing more of the document.
        let mut truncated = false;
        let mut text = job.text;
        if doc.truncated {
            // The reader may or may not have emptied it (it depends on timing): empty it here so
            // the chunk is the same for any thread count.
            text.clear();
            mentions.clear();
            char_spans.clear();
            sentences.clear();
        } else if doc.mentions + mentions.len() > self.max_mentions {
            let keep = self.max_mentions - doc.mentions;
            mentions.truncate(keep);
            char_spans.truncate(keep);
            let end = mentions.last().map_or(offset, |m| m.span.end);
            sentences.retain(|s| s.span.start < end);
            doc.truncated = true;
            truncated = true;
            self.truncated_doc.store(job.doc_no, Ordering::Relaxed);
        }
        doc.mentions += mentions.len();
        Chunk {
            doc: job.doc,
            index: job.index,
            last: job.last,
            offset,
            char_offset,
            text,
            sentences,
            mentions,
            char_spans,
            truncated,
        }
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

    /// Where to cut `window` (the start of the pending text of a document, which goes on after it):
    /// a byte offset in `(0, window.len()]`, and whether the cut is inside a line.
    fn cut(&self, window: &str) -> (usize, bool) {
        if let Some(i) = memchr::memrchr(b'\n', window.as_bytes()) {
            return (i + 1, false);
        }
        // One line longer than the window: the last sentence start the window fully decides.
        let norm = normalize(window);
        let mut sentences = Vec::new();
        Segmenter::new().push(&norm.text, 0, &mut sentences);
        for s in sentences.iter().skip(1).rev() {
            let start = s.span.start;
            if crate::segment::is_stable_start(&norm.text, start) {
                let at = norm.map.to_original(start, window);
                if at > 0 && at < window.len() {
                    return (at, true);
                }
            }
        }
        // No sentence end: the last whitespace that no dictionary match crosses, far enough from
        // the end for a match there to be whole in the window.
        let margin = self.dictionary.max_term_len() + 1;
        let matches: Vec<Span> = self
            .dictionary
            .find(&norm.text)
            .into_iter()
            .map(|(s, _)| {
                let (a, b) = norm.span_to_original(s.start, s.end, window);
                Span::new(a, b)
            })
            .collect();
        let bytes = window.as_bytes();
        let mut fallback = None;
        for at in (1..window.len()).rev() {
            if !window.is_char_boundary(at) || !bytes[at - 1].is_ascii_whitespace() {
                continue;
            }
            if bytes[at].is_ascii_whitespace() {
                continue;
            }
            fallback.get_or_insert(at);
            let i = matches.partition_point(|m| m.end <= at);
            let inside = matches.get(i).is_some_and(|m| m.start < at);
            if !inside && at + margin <= window.len() {
                return (at, true);
            }
        }
        if let Some(at) = fallback {
            return (at, true);
        }
        // Not even a space: cut at the last char boundary.
        let at = (1..window.len())
            .rev()
            .find(|&i| window.is_char_boundary(i))
            .unwrap_or(window.len());
        (at, true)
    }

    /// Reads every source, cuts each document into chunks, analyzes them on `options.threads`
    /// threads and hands them to `on` in input order, with warnings. Returns the number of
    /// documents read (skipped binaries not counted). The first error (reading, or from `on`)
    /// stops the run.
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
        let mut feed = Feed::new(sources, options.strict, chunk_size);
        let (feed, mut on) = if threads == 1 {
            let mut doc = DocState::default();
            while let Some(job) = feed.next(self)? {
                self.hand_over(self.analyze_job(job, options.sentences), &mut doc, &mut on)?;
            }
            (feed, on)
        } else {
            self.run_parallel(feed, threads, options.sentences, on)?
        };
        // The warnings met after the last chunk (sources skipped at the end).
        for w in &feed.warnings {
            on(Event::Warning(w))?;
        }
        Ok(feed.docs)
    }

    /// [`Pipeline::run`] on `threads` (more than one) threads: gives back the reader (its
    /// trailing warnings not handed over yet) and the callback.
    fn run_parallel<'a, E: From<Error> + Send, O>(
        &self,
        feed: Feed<'a>,
        threads: usize,
        sentences: bool,
        on: O,
    ) -> std::result::Result<(Feed<'a>, O), E>
    where
        O: FnMut(Event<'_>) -> std::result::Result<(), E> + Send,
    {
        // Every thread runs the same loop: take the next job from the reader, analyze it, and, if
        // it is the next in input order and no other thread is merging, merge it and hand it to
        // `on`, then the chunks after it that other threads have finished meanwhile. A chunk is
        // mostly merged on the core that analyzed it, while its data are still in that core's
        // caches; with one thread merging for all (the design before), two threads used 13-23 %
        // more CPU than one for the same work.
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads - 1)
            .thread_name(|i| format!("entgraph-{i}"))
            .build()
            .map_err(|e| Error::Invalid(format!("cannot start {threads} threads: {e}")))?;
        let shared = Shared {
            feed: Mutex::new(feed),
            order: Mutex::new(Order::default()),
            room: Condvar::new(),
            sink: Mutex::new((DocState::default(), on)),
            max_in_flight: threads as u64 * 3,
            sentences,
        };
        pool.in_place_scope(|scope| {
            for _ in 1..threads {
                scope.spawn(|_| self.work(&shared));
            }
            self.work(&shared);
        });
        let Shared {
            feed, order, sink, ..
        } = shared;
        let mut order = order.into_inner().unwrap_or_else(|e| e.into_inner());
        if let Some(e) = order.error.take() {
            return Err(e);
        }
        let feed = feed.into_inner().unwrap_or_else(|e| e.into_inner());
        let (_, on) = sink.into_inner().unwrap_or_else(|e| e.into_inner());
        Ok((feed, on))
    }

    /// Merges an analyzed chunk into its document's state and hands it to `on`, after the
    /// warnings met while reading it.
    fn hand_over<E>(
        &self,
        mut a: Analyzed,
        doc: &mut DocState,
        on: &mut impl FnMut(Event<'_>) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let warnings = std::mem::take(&mut a.job.warnings);
        for w in &warnings {
            on(Event::Warning(w))?;
        }
        let chunk = self.merge(a, doc);
        on(Event::Chunk(&chunk))
    }

    /// One thread's share of a parallel [`Pipeline::run`]: until the input ends or the run stops.
    fn work<E: From<Error> + Send, O: FnMut(Event<'_>) -> std::result::Result<(), E> + Send>(
        &self,
        shared: &Shared<'_, E, O>,
    ) {
        // A panic on this thread must not leave the others waiting for its chunk: they stop.
        struct StopOnPanic<'s, 'a, E, O>(&'s Shared<'a, E, O>);
        impl<E, O> Drop for StopOnPanic<'_, '_, E, O> {
            fn drop(&mut self) {
                if std::thread::panicking() {
                    shared_lock(&self.0.order).stopped = true;
                    self.0.room.notify_all();
                }
            }
        }
        let _guard = StopOnPanic(shared);
        loop {
            // A place among the chunks in flight (read, not yet merged): memory stays bounded.
            {
                let mut order = shared_lock(&shared.order);
                while !order.stopped && order.taken - order.next_seq >= shared.max_in_flight {
                    order = shared.room.wait(order).unwrap_or_else(|e| e.into_inner());
                }
                if order.stopped {
                    return;
                }
                order.taken += 1;
            }
            let job = match shared_lock(&shared.feed).next(self) {
                Ok(Some(job)) => job,
                Ok(None) => {
                    // The end of the input: give the place back (there is no chunk for it).
                    let mut order = shared_lock(&shared.order);
                    order.taken -= 1;
                    return;
                }
                Err(e) => return shared.stop(e.into()),
            };
            let analyzed = self.analyze_job(job, shared.sentences);
            let mut order = shared_lock(&shared.order);
            order.waiting.insert(analyzed.job.seq, analyzed);
            if order.merging {
                // The merging thread takes it when its turn comes.
                continue;
            }
            order.merging = true;
            while !order.stopped {
                let next = order.next_seq;
                let Some(a) = order.waiting.remove(&next) else {
                    break;
                };
                drop(order);
                let handed = {
                    let mut sink = shared_lock(&shared.sink);
                    let (doc, on) = &mut *sink;
                    self.hand_over(a, doc, on)
                };
                order = shared_lock(&shared.order);
                order.next_seq += 1;
                shared.room.notify_all();
                if let Err(e) = handed {
                    // Stopped before `merging` is released: no other thread merges after this.
                    order.merging = false;
                    order.fail(e);
                    drop(order);
                    shared.room.notify_all();
                    return;
                }
            }
            order.merging = false;
        }
    }
}

/// Locks a mutex of a run; a thread that panicked holding it left nothing half-done that matters.
fn shared_lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// What the threads of a parallel run share.
struct Shared<'a, E, O> {
    feed: Mutex<Feed<'a>>,
    order: Mutex<Order<E>>,
    /// Signalled when a chunk is merged (a place is free) or the run stops.
    room: Condvar,
    /// The document state of the merge and the caller's callback: used by the merging thread.
    sink: Mutex<(DocState, O)>,
    max_in_flight: u64,
    sentences: bool,
}

impl<E, O> Shared<'_, E, O> {
    /// Stops the run with its first error.
    fn stop(&self, e: E) {
        shared_lock(&self.order).fail(e);
        self.room.notify_all();
    }
}

impl<E> Order<E> {
    /// Stops the run; its first error is the one returned.
    fn fail(&mut self, e: E) {
        if !self.stopped {
            self.error = Some(e);
        }
        self.stopped = true;
    }
}

/// The order of a parallel run: which chunk is merged next, and those analyzed ahead of it.
struct Order<E> {
    /// Jobs taken from the reader (or places reserved for them).
    taken: u64,
    /// The sequence number of the next chunk to merge.
    next_seq: u64,
    /// Chunks analyzed ahead of their turn.
    waiting: BTreeMap<u64, Analyzed>,
    /// A thread is merging (it takes every chunk whose turn comes meanwhile).
    merging: bool,
    stopped: bool,
    error: Option<E>,
}

impl<E> Default for Order<E> {
    fn default() -> Self {
        Order {
            taken: 0,
            next_seq: 0,
            waiting: BTreeMap::new(),
            merging: false,
            stopped: false,
            error: None,
        }
    }
}

/// Reads the sources in order and cuts documents into jobs, one at a time.
struct Feed<'a> {
    sources: std::slice::Iter<'a, Source>,
    strict: bool,
    chunk_size: usize,
    /// The document being cut: its reader and name, the next chunk's index and byte offset, and
    /// whether that chunk starts inside a line.
    current: Option<(DocumentReader, Arc<str>, usize, usize, bool)>,
    seq: u64,
    /// Documents opened so far.
    docs: usize,
    /// Warnings not handed over yet: they go with the next job, or after the last one.
    warnings: Vec<Warning>,
}

impl<'a> Feed<'a> {
    fn new(sources: &'a [Source], strict: bool, chunk_size: usize) -> Self {
        Feed {
            sources: sources.iter(),
            strict,
            chunk_size,
            current: None,
            seq: 0,
            docs: 0,
            warnings: Vec::new(),
        }
    }

    /// The next job, carrying the warnings met before it; `None` at the end of the input (the
    /// warnings left in `self.warnings` then come after every chunk).
    fn next(&mut self, pipeline: &Pipeline) -> Result<Option<Job>> {
        loop {
            if self.current.is_none() {
                let Some(source) = self.sources.next() else {
                    return Ok(None);
                };
                match DocumentReader::open(source, self.strict) {
                    Ok(Opened::Reader(r)) => {
                        self.docs += 1;
                        let name: Arc<str> = r.name().into();
                        self.current = Some((r, name, 0, 0, false));
                    }
                    Ok(Opened::Skipped(w)) => self.warnings.push(w),
                    // A document that cannot be read (permissions, a broken link) is skipped.
                    Err(e) => match e.skipped_input() {
                        Some(w) => self.warnings.push(w),
                        None => return Err(e),
                    },
                }
                continue;
            }
            let chunk_size = self.chunk_size;
            let (reader, name, index, offset, continues_line) =
                self.current.as_mut().expect("checked");
            reader.fill(chunk_size + 1)?;
            self.warnings.extend(reader.take_warnings());
            let pending = reader.pending();
            let (cut, mid_line, last) = if reader.is_eof() && pending.len() <= chunk_size {
                (pending.len(), false, true)
            } else {
                let mut end = chunk_size;
                while !pending.is_char_boundary(end) {
                    end -= 1;
                }
                let (cut, mid) = pipeline.cut(&pending[..end]);
                (cut, mid, false)
            };
            let mut text = reader.take(cut);
            let len = text.len();
            let doc_no = self.docs - 1;
            if pipeline.truncated_doc.load(Ordering::Relaxed) == doc_no {
                // Past the cap on mentions: read on (to the document's end), analyze nothing.
                text.clear();
            }
            let job = Job {
                seq: self.seq,
                doc_no,
                doc: name.clone(),
                index: *index,
                last,
                offset: *offset,
                text,
                continues_line: *continues_line,
                warnings: std::mem::take(&mut self.warnings),
            };
            self.seq += 1;
            if last {
                self.current = None;
            } else {
                *index += 1;
                *offset += len;
                *continues_line = mid_line;
            }
            return Ok(Some(job));
        }
    }
}

/// Settings for linking, shared by commands that build a graph.
#[derive(Debug, Clone, Copy)]
pub struct LinkOptions {
    /// The co-occurrence window.
    pub window: Window,
    /// Minimum edge weight kept.
    pub min_weight: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pipeline(dir: &std::path::Path) -> Pipeline {
        std::fs::write(
            dir.join("person.tsv"),
            "Tom Cruise\tCruise\nChristopher McQuarrie\tMcQuarrie\n",
        )
        .unwrap();
        PipelineBuilder::new().dictionary(dir).build().unwrap()
    }

    /// Pattern rules get the larger chunk; no rules, or a rules file without rules, the default.
    #[test]
    fn pipeline_chunk_size_follows_rules() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(pipeline(dir.path()).chunk_size(), DEFAULT_CHUNK_SIZE);
        let rules = |toml: &str| {
            let path = dir.path().join("rules.toml");
            std::fs::write(&path, toml).unwrap();
            PipelineBuilder::new()
                .dictionary(dir.path())
                .rules(Some(path))
                .build()
                .unwrap()
                .chunk_size()
        };
        let one = "[[rule]]\nname = \"x\"\ntype = \"person\"\npattern = 'Dr\\. \\w+'\n";
        assert_eq!(rules(one), RULES_CHUNK_SIZE);
        assert_eq!(rules(""), DEFAULT_CHUNK_SIZE);
    }

    /// A paragraph with three mentions.
    const PARA: &str = "Tom Cruise met Christopher McQuarrie. McQuarrie laughed.\n";

    /// A document of 2000 [`PARA`]s (many chunks of [`MIN_CHUNK_SIZE`]).
    fn big_doc(dir: &std::path::Path) -> PathBuf {
        let doc = dir.join("big.txt");
        std::fs::write(&doc, PARA.repeat(2000)).unwrap();
        doc
    }

    /// A large document comes out as many chunks, in order, none larger than the chunk size:
    /// what is held at once is bounded by the chunk size, not by the document.
    #[test]
    fn pipeline_streams_bounded_chunks_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let p = pipeline(dir.path());
        let doc = big_doc(dir.path());
        for threads in [1, 2] {
            let (mut chunks, mut offset, mut mentions) = (0, 0, 0);
            let opts = RunOptions {
                threads,
                chunk_size: MIN_CHUNK_SIZE,
                ..Default::default()
            };
            p.run(&[Source::File(doc.clone())], &opts, |e| {
                if let Event::Chunk(c) = e {
                    assert_eq!(
                        (c.index, c.offset),
                        (chunks, offset),
                        "in order, contiguous"
                    );
                    assert!(c.text.len() <= MIN_CHUNK_SIZE);
                    assert!(c.text.ends_with('\n'), "cut after a line break");
                    assert!(
                        c.mentions
                            .iter()
                            .all(|m| c.text_of(m.span).len() == m.span.len())
                    );
                    chunks += 1;
                    offset += c.text.len();
                    mentions += c.mentions.len();
                }
                Ok::<(), Error>(())
            })
            .unwrap();
            assert_eq!(offset, PARA.len() * 2000);
            assert!(chunks > 20, "{chunks} chunks");
            assert_eq!(mentions, 2000 * 3);
        }
    }

    /// The events of a run, as text: warnings and chunks (document, index, mentions), in order.
    fn events(p: &Pipeline, sources: &[Source], threads: usize) -> Vec<String> {
        let mut seen = Vec::new();
        let opts = RunOptions {
            threads,
            chunk_size: MIN_CHUNK_SIZE,
            ..Default::default()
        };
        let docs = p
            .run(sources, &opts, |e| {
                seen.push(match e {
                    Event::Warning(w) => format!("warning {w}"),
                    Event::Chunk(c) => format!("{} {} {}", c.doc, c.index, c.mentions.len()),
                });
                Ok::<(), Error>(())
            })
            .unwrap();
        seen.push(format!("{docs} documents"));
        seen
    }

    /// Warnings come in input order among the chunks, whatever the thread count: a skipped binary
    /// before the first document, a missing file between two, bad UTF-8 inside a document of
    /// several chunks and a skipped binary after the last document.
    #[test]
    fn pipeline_events_in_input_order_for_any_thread_count() {
        let dir = tempfile::tempdir().unwrap();
        let p = pipeline(dir.path());
        let file = |name: &str, bytes: &[u8]| {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            Source::File(path)
        };
        let para = PARA.repeat(300);
        let mut bad = para.clone().into_bytes();
        bad.extend_from_slice(b"Cruise \xff ran.\n");
        bad.extend_from_slice(para.as_bytes());
        let sources = [
            file("a.bin", b"\0\0binary"),
            file("b.txt", para.as_bytes()),
            Source::File(dir.path().join("missing.txt")),
            file("c.txt", &bad),
            file("d.bin", b"\0binary"),
        ];
        let one = events(&p, &sources, 1);
        let at = |what: &str| one.iter().position(|e| e.contains(what)).unwrap();
        // A warning comes just before the chunk whose reading met it (the reader reads ahead:
        // the bad byte of c.txt is met when its first chunk is read).
        let order = [
            "a.bin",
            "b.txt 0 ",
            "b.txt 4 ",
            "missing.txt",
            "UTF-8",
            "c.txt 0 ",
            "d.bin",
        ];
        let places: Vec<usize> = order.iter().map(|w| at(w)).collect();
        assert!(places.windows(2).all(|w| w[0] < w[1]), "{one:#?}");
        assert_eq!(places[3] + 2, places[5], "{one:#?}");
        assert_eq!(at("d.bin"), one.len() - 2);
        assert_eq!(one.last().unwrap(), "2 documents");
        assert!(one.len() > 15, "{} events", one.len());
        for threads in [2, 3, 4] {
            assert_eq!(events(&p, &sources, threads), one, "{threads} threads");
        }
    }

    /// The first error from the callback stops a parallel run: it is what `run` returns, and the
    /// callback is not called again.
    #[test]
    fn pipeline_parallel_run_stops_at_the_first_error() {
        let dir = tempfile::tempdir().unwrap();
        let p = pipeline(dir.path());
        let doc = big_doc(dir.path());
        for threads in [1, 2, 3] {
            let opts = RunOptions {
                threads,
                chunk_size: MIN_CHUNK_SIZE,
                ..Default::default()
            };
            let mut calls = 0;
            let r = p.run(&[Source::File(doc.clone())], &opts, |e| {
                calls += 1;
                match e {
                    Event::Chunk(c) if c.index == 4 => Err(Error::Invalid("stop here".into())),
                    _ => Ok(()),
                }
            });
            assert_eq!(r.unwrap_err().to_string(), "stop here");
            assert_eq!(calls, 5, "{threads} threads");
        }
    }

    /// A panic in the callback of a parallel run reaches the caller: no thread is left waiting.
    #[test]
    fn pipeline_parallel_panic_reaches_the_caller() {
        let dir = tempfile::tempdir().unwrap();
        let p = pipeline(dir.path());
        let doc = dir.path().join("big.txt");
        std::fs::write(&doc, "Tom Cruise ran.\n".repeat(5000)).unwrap();
        let opts = RunOptions {
            threads: 2,
            chunk_size: MIN_CHUNK_SIZE,
            ..Default::default()
        };
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            p.run(&[Source::File(doc.clone())], &opts, |e| {
                if let Event::Chunk(c) = e {
                    assert!(c.index < 3, "the callback fails");
                }
                Ok::<(), Error>(())
            })
        }));
        assert!(r.is_err());
    }

    /// Without a line break, the cut is at a sentence start; without a sentence end either, at a
    /// space outside every dictionary name.
    #[test]
    fn pipeline_cut_keeps_sentences_and_names_whole() {
        let dir = tempfile::tempdir().unwrap();
        let p = pipeline(dir.path());
        let (cut, mid) = p.cut("Cruise jumped. McQuarrie watched. Tom Cruise ran and");
        assert!(mid);
        assert_eq!(cut, "Cruise jumped. McQuarrie watched. ".len());
        // A sentence start whose first word may go on past the window is not trusted.
        let (cut, _) = p.cut("Cruise jumped. McQuarrie watched. Then");
        assert_eq!(cut, "Cruise jumped. ".len());
        // No sentence end: at a space, never inside "Tom Cruise".
        let text = format!("{}Tom Cruise {}", "word ".repeat(10), "x ".repeat(20));
        let (cut, _) = p.cut(&text);
        let name_at = text.find("Tom Cruise").unwrap();
        assert!(
            cut <= name_at || cut >= name_at + "Tom Cruise".len(),
            "{cut}"
        );
        assert_eq!(&text[cut - 1..cut], " ");
    }
}
