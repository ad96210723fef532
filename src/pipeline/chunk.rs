//! Chunks: where a document is cut ([`cut`]) and what the pipeline hands over for each piece
//! ([`Chunk`]).

use std::sync::Arc;

use crate::link::GraphBuilder;
use crate::model::{Mention, Sentence, Span};
use crate::normalize::normalize;
use crate::recognize::Dictionary;
use crate::segment::{Segmenter, is_stable_start};

/// A piece of a document, analyzed and merged: what [`super::Pipeline::run`] hands over, in
/// input order.
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
    /// ([`super::PipelineBuilder::max_mentions`]): its later mentions, and later chunks, are dropped.
    pub truncated: bool,
    /// On a document's last chunk from [`super::Pipeline::run`]: the SHA-256 of the document's
    /// bytes as read (lowercase hex); `None` elsewhere.
    pub sha256: Option<String>,
}

impl Chunk {
    /// Adds this chunk to a graph: the first chunk of a document opens it, the last closes it.
    /// Handing every chunk of a run to one builder, in order, gives the document-by-document graph.
    pub fn link_into(&self, graph: &mut GraphBuilder) {
        if self.index == 0 {
            graph.begin_hashed_document(&self.doc);
        }
        graph.add_piece(
            &self.text,
            self.offset,
            self.char_offset,
            &self.sentences,
            &self.mentions,
        );
        if self.last {
            graph.end_hashed_document(self.sha256.as_deref().unwrap_or_default());
        }
    }

    /// The text of a span of the document that lies in this chunk.
    pub fn text_of(&self, span: Span) -> &str {
        &self.text[span.start - self.offset..span.end - self.offset]
    }
}

/// Where a window of a document's text is cut (see [`cut`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Cut {
    /// A byte offset in `(0, window.len()]`: the chunk is the text before it.
    pub at: usize,
    /// The cut is inside a line: the next chunk goes on with that line.
    pub inside_line: bool,
}

/// Where to cut `window`, the start of the text of a document not cut yet, which goes on after
/// the window. In order of preference: after the last line break; in a line longer than the
/// window, at the last sentence start whose decision the window fully holds; failing that (no
/// sentence end), at the last whitespace that no match of `dictionary` crosses, far enough from
/// the end for a match there to be whole in the window; then at any whitespace; then at the last
/// character boundary.
pub(super) fn cut(dictionary: &Dictionary, window: &str) -> Cut {
    let inside_line = |at| Cut {
        at,
        inside_line: true,
    };
    if let Some(i) = memchr::memrchr(b'\n', window.as_bytes()) {
        return Cut {
            at: i + 1,
            inside_line: false,
        };
    }
    // One line longer than the window: the last sentence start the window fully decides.
    let norm = normalize(window);
    let mut sentences = Vec::new();
    Segmenter::new().push(&norm.text, 0, &mut sentences);
    for s in sentences.iter().skip(1).rev() {
        let start = s.span.start;
        if is_stable_start(&norm.text, start) {
            let at = norm.map.to_original(start, window);
            if at > 0 && at < window.len() {
                return inside_line(at);
            }
        }
    }
    // No sentence end: the last whitespace that no dictionary match crosses, far enough from
    // the end for a match there to be whole in the window.
    let margin = dictionary.max_term_len() + 1;
    let matches: Vec<Span> = dictionary
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
            return inside_line(at);
        }
    }
    if let Some(at) = fallback {
        return inside_line(at);
    }
    // Not even a space: cut at the last char boundary.
    let at = (1..window.len())
        .rev()
        .find(|&i| window.is_char_boundary(i))
        .unwrap_or(window.len());
    inside_line(at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::PipelineBuilder;

    /// Without a line break, the cut is at a sentence start; without a sentence end either, at a
    /// space outside every dictionary name.
    #[test]
    fn pipeline_cut_keeps_sentences_and_names_whole() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("person.tsv"),
            "Tom Cruise\tCruise\nChristopher McQuarrie\tMcQuarrie\n",
        )
        .unwrap();
        let pipeline = PipelineBuilder::new()
            .dictionary(dir.path())
            .build()
            .unwrap();
        let dict = pipeline.dictionary();
        let Cut { at, inside_line } =
            cut(dict, "Cruise jumped. McQuarrie watched. Tom Cruise ran and");
        assert!(inside_line);
        assert_eq!(at, "Cruise jumped. McQuarrie watched. ".len());
        // A sentence start whose first word may go on past the window is not trusted.
        let at = cut(dict, "Cruise jumped. McQuarrie watched. Then").at;
        assert_eq!(at, "Cruise jumped. ".len());
        // No sentence end: at a space, never inside "Tom Cruise".
        let text = format!("{}Tom Cruise {}", "word ".repeat(10), "x ".repeat(20));
        let at = cut(dict, &text).at;
        let name_at = text.find("Tom Cruise").unwrap();
        assert!(at <= name_at || at >= name_at + "Tom Cruise".len(), "{at}");
        assert_eq!(&text[at - 1..at], " ");
        // A line break: after the last one, not inside a line.
        let cut_here = cut(dict, "Tom Cruise ran.\nMcQuarrie wat");
        assert_eq!(
            cut_here,
            Cut {
                at: "Tom Cruise ran.\n".len(),
                inside_line: false
            }
        );
    }
}
