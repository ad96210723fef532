//! Analysis of one chunk, on whichever thread takes it: everything that needs no state of the
//! document (normalize, segment, recognize, the overlap rule and naming, the words that could be
//! partial names). Spans come back into the chunk as read; the merge places them in the document.

use super::Pipeline;
use super::feed::Job;
use crate::model::{Sentence, Span};
use crate::normalize::{Normalized, normalize};
use crate::recognize::Input;
use crate::resolve::{Prepared, Resolved};
use crate::segment::Segmenter;
use crate::text::count_chars;

/// A chunk analyzed, before the merge.
pub(super) struct Analyzed {
    pub job: Job,
    pub norm: Normalized,
    /// Mentions before partial names ([`crate::resolve::Resolver::prepare`]): their spans in
    /// `norm.text`, and the mentions with spans into `job.text`.
    pub prepared: Prepared,
    /// Character spans of `prepared.mentions` in `job.text`.
    pub chars_of: Vec<(usize, usize)>,
    /// Sentences with spans into `job.text`, paragraphs numbered from this chunk's start.
    pub sentences: Vec<Sentence>,
    /// The segmenter after this chunk alone (how its paragraphs join the document's).
    pub segmenter: Segmenter,
    /// Characters in `job.text`.
    pub chars: usize,
}

impl Pipeline {
    /// Analyzes one chunk; its sentences only when `sentences` is set.
    pub(super) fn analyze_job(&self, job: Job, sentences: bool) -> Analyzed {
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
}

/// Sets each mention's span to its byte span in `text` (the chunk as read; the keys are spans in
/// its normalized form `norm`) and returns their character spans in `text`, in order.
pub(super) fn to_original(
    norm: &Normalized,
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
