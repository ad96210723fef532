//! The feed: reads the sources in order and cuts each document into [`Job`]s of at most the chunk
//! size ([`super::chunk::cut`]), one at a time. A document of any size is read in pieces, so what
//! the feed holds is bounded by the chunk size.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::chunk::{Cut, cut};
use crate::error::{Result, Warning};
use crate::read::{DocumentReader, Opened, Source};
use crate::recognize::Dictionary;

/// A chunk cut from a document, not analyzed yet.
pub(super) struct Job {
    /// The document's number in the run.
    pub doc_no: usize,
    /// The document's name.
    pub doc: Arc<str>,
    /// The chunk's index in the document.
    pub index: usize,
    /// The document's last chunk.
    pub last: bool,
    /// Byte offset of `text` in the document.
    pub offset: usize,
    /// The chunk as read (empty past the document's cap on mentions).
    pub text: String,
    /// The chunk starts inside a line (the one before was cut inside it).
    pub continues_line: bool,
    /// Warnings met while reading up to this chunk: handed over just before it.
    pub warnings: Vec<Warning>,
    /// On the document's last chunk: the SHA-256 of its bytes.
    pub sha256: Option<String>,
}

/// The document of a run that reached the cap on mentions, if any: the merge sets it, the feed
/// reads it and then reads the rest of that document without handing its text to analysis. It
/// only saves work: the merge empties those chunks itself, so what a run hands over does not
/// depend on when the feed sees it.
pub(super) struct CappedDocument(AtomicUsize);

impl CappedDocument {
    const NONE: usize = usize::MAX;

    pub fn new() -> Self {
        CappedDocument(AtomicUsize::new(Self::NONE))
    }

    /// Document `doc_no` reached the cap.
    pub fn set(&self, doc_no: usize) {
        self.0.store(doc_no, Ordering::Relaxed);
    }

    /// Whether document `doc_no` reached the cap (as far as this thread has seen).
    pub fn is(&self, doc_no: usize) -> bool {
        self.0.load(Ordering::Relaxed) == doc_no
    }
}

/// The document being cut.
struct OpenDocument {
    reader: DocumentReader,
    name: Arc<str>,
    /// The next chunk's index in the document.
    index: usize,
    /// The next chunk's byte offset in the document.
    offset: usize,
    /// The next chunk starts inside a line.
    continues_line: bool,
}

/// Reads the sources in order and cuts documents into jobs, one at a time.
pub(super) struct Feed<'a> {
    sources: std::slice::Iter<'a, Source>,
    strict: bool,
    chunk_size: usize,
    /// What [`cut`] keeps whole.
    dictionary: &'a Dictionary,
    capped: &'a CappedDocument,
    current: Option<OpenDocument>,
    /// Documents opened so far.
    pub docs: usize,
    /// Warnings not handed over yet: they go with the next job, or after the last one.
    pub warnings: Vec<Warning>,
}

impl<'a> Feed<'a> {
    pub fn new(
        sources: &'a [Source],
        strict: bool,
        chunk_size: usize,
        dictionary: &'a Dictionary,
        capped: &'a CappedDocument,
    ) -> Self {
        Feed {
            sources: sources.iter(),
            strict,
            chunk_size,
            dictionary,
            capped,
            current: None,
            docs: 0,
            warnings: Vec::new(),
        }
    }

    /// The next job, carrying the warnings met before it; `None` at the end of the input (the
    /// warnings left in `self.warnings` then come after every chunk).
    pub fn next(&mut self) -> Result<Option<Job>> {
        loop {
            let Some(doc) = self.current.as_mut() else {
                let Some(source) = self.sources.next() else {
                    return Ok(None);
                };
                match DocumentReader::open(source, self.strict) {
                    Ok(Opened::Reader(reader)) => {
                        self.docs += 1;
                        self.current = Some(OpenDocument {
                            name: reader.name().into(),
                            reader,
                            index: 0,
                            offset: 0,
                            continues_line: false,
                        });
                    }
                    Ok(Opened::Skipped(w)) => self.warnings.push(w),
                    // A document that cannot be read (permissions, a broken link) is skipped.
                    Err(e) => match e.skipped_input() {
                        Some(w) => self.warnings.push(w),
                        None => return Err(e),
                    },
                }
                continue;
            };
            let chunk_size = self.chunk_size;
            doc.reader.fill(chunk_size + 1)?;
            self.warnings.extend(doc.reader.take_warnings());
            let pending = doc.reader.pending();
            let last = doc.reader.is_eof() && pending.len() <= chunk_size;
            let cut = if last {
                Cut {
                    at: pending.len(),
                    inside_line: false,
                }
            } else {
                let mut end = chunk_size;
                while !pending.is_char_boundary(end) {
                    end -= 1;
                }
                cut(self.dictionary, &pending[..end])
            };
            let mut text = doc.reader.take(cut.at);
            let len = text.len();
            let doc_no = self.docs - 1;
            if self.capped.is(doc_no) {
                // Past the cap on mentions: read on (to the document's end), analyze nothing.
                text.clear();
            }
            let job = Job {
                doc_no,
                doc: doc.name.clone(),
                index: doc.index,
                last,
                offset: doc.offset,
                text,
                continues_line: doc.continues_line,
                warnings: std::mem::take(&mut self.warnings),
                sha256: if last { doc.reader.sha256() } else { None },
            };
            if last {
                self.current = None;
            } else {
                doc.index += 1;
                doc.offset += len;
                doc.continues_line = cut.inside_line;
            }
            return Ok(Some(job));
        }
    }
}
