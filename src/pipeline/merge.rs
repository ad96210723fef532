//! The merge: an analyzed chunk joins its document, in input order, one chunk at a time. It
//! keeps what depends on the chunks before: byte and character offsets (always into the whole
//! document), paragraph numbers, partial person names and the cap on mentions.

use super::Event;
use super::Pipeline;
use super::analyze::{Analyzed, to_original};
use super::chunk::Chunk;
use super::feed::CappedDocument;
use crate::model::Span;
use crate::resolve::PartialNames;
use crate::segment::SegmentState;

/// Per-document state of the merge.
#[derive(Default)]
pub(super) struct DocState {
    partial: PartialNames,
    segment: SegmentState,
    /// Characters in the document's chunks merged so far.
    chars: usize,
    /// Mentions kept so far.
    mentions: usize,
    /// The document reached the cap on mentions.
    truncated: bool,
}

impl Pipeline {
    /// Merges an analyzed chunk into its document's state and hands it to `on`, after the
    /// warnings met while reading it. Marks the document in `capped` when it reaches the cap on
    /// mentions.
    pub(super) fn hand_over<E>(
        &self,
        mut a: Analyzed,
        doc: &mut DocState,
        capped: &CappedDocument,
        on: &mut impl FnMut(Event<'_>) -> Result<(), E>,
    ) -> Result<(), E> {
        let warnings = std::mem::take(&mut a.job.warnings);
        for w in &warnings {
            on(Event::Warning(w))?;
        }
        let doc_no = a.job.doc_no;
        let chunk = self.merge(a, doc);
        if chunk.truncated {
            capped.set(doc_no);
        }
        on(Event::Chunk(&chunk))
    }

    /// Merges an analyzed chunk into its document's state (the first chunk of a document starts
    /// a new one).
    pub(super) fn merge(&self, a: Analyzed, doc: &mut DocState) -> Chunk {
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
        // The cap on mentions: past it, nothing more of the document.
        let mut truncated = false;
        let mut text = job.text;
        if doc.truncated {
            // The feed may or may not have emptied it (it depends on timing): empty it here so
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
            sha256: job.sha256,
        }
    }
}
