//! `mentions.jsonl`: one JSON object per mention, in document then text order:
//! `{"doc", "start", "end", "text", "entity", "id", "type", "source"}`.
//!
//! `start`/`end` are character (Unicode scalar) offsets into the document as read, so that in Python
//! `text[start:end] == record["text"]`.

use std::io::Write;

use serde::{Deserialize, Serialize};

use super::json::push_json_str;
use crate::model::{CharIndex, Document, Mention};
use crate::pipeline::Chunk;

/// One line of `mentions.jsonl`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MentionRecord {
    /// Document name as given.
    pub doc: String,
    /// Character offset of the first character.
    pub start: usize,
    /// Character offset one past the last.
    pub end: usize,
    /// The text as it appears in the document.
    pub text: String,
    /// Canonical name.
    pub entity: String,
    /// `type:slug`.
    pub id: String,
    /// Entity type.
    #[serde(rename = "type")]
    pub kind: String,
    /// `dictionary`, `pattern:<rule>` or `coref`.
    pub source: String,
}

/// Turns one document's mentions into records (byte offsets become character offsets).
pub fn records(doc: &Document, mentions: &[Mention]) -> Vec<MentionRecord> {
    let ix = CharIndex::new(&doc.text);
    mentions
        .iter()
        .map(|m| MentionRecord {
            doc: doc.name.clone(),
            start: ix.char_offset(m.span.start),
            end: ix.char_offset(m.span.end),
            text: doc.text[m.span.start..m.span.end].to_string(),
            entity: m.entity.to_string(),
            id: m.id.to_string(),
            kind: m.kind.to_string(),
            source: m.source.to_string(),
        })
        .collect()
}

/// Writes records as JSON lines.
pub fn write_jsonl(records: &[MentionRecord], out: &mut dyn Write) -> std::io::Result<()> {
    for r in records {
        serde_json::to_writer(&mut *out, r)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// Writes one chunk's mentions as JSON lines, byte for byte what [`write_jsonl`] writes for the
/// same records ([`chunk_records`]; a test checks it), without building them: the lines are made
/// by hand in a buffer, which takes about a third less time than serde_json over borrowed records.
pub fn write_chunk_jsonl(chunk: &Chunk, out: &mut dyn Write) -> std::io::Result<()> {
    let mut doc = Vec::with_capacity(chunk.doc.len() + 16);
    doc.extend_from_slice(b"{\"doc\":");
    push_json_str(&mut doc, &chunk.doc);
    let mut buf = Vec::with_capacity(64 * 1024);
    let mut num = itoa::Buffer::new();
    for (m, &(s, e)) in chunk.mentions.iter().zip(&chunk.char_spans) {
        buf.extend_from_slice(&doc);
        buf.extend_from_slice(b",\"start\":");
        buf.extend_from_slice(num.format(s).as_bytes());
        buf.extend_from_slice(b",\"end\":");
        buf.extend_from_slice(num.format(e).as_bytes());
        buf.extend_from_slice(b",\"text\":");
        push_json_str(&mut buf, chunk.text_of(m.span));
        buf.extend_from_slice(b",\"entity\":");
        push_json_str(&mut buf, &m.entity);
        buf.extend_from_slice(b",\"id\":");
        push_json_str(&mut buf, &m.id);
        buf.extend_from_slice(b",\"type\":");
        push_json_str(&mut buf, &m.kind);
        buf.extend_from_slice(b",\"source\":");
        push_json_str(&mut buf, &m.source);
        buf.extend_from_slice(b"}\n");
        if buf.len() >= 60 * 1024 {
            out.write_all(&buf)?;
            buf.clear();
        }
    }
    out.write_all(&buf)
}

/// One chunk's mentions as records.
pub fn chunk_records(chunk: &Chunk) -> Vec<MentionRecord> {
    chunk
        .mentions
        .iter()
        .zip(&chunk.char_spans)
        .map(|(m, &(start, end))| MentionRecord {
            doc: chunk.doc.to_string(),
            start,
            end,
            text: chunk.text_of(m.span).to_string(),
            entity: m.entity.to_string(),
            id: m.id.to_string(),
            kind: m.kind.to_string(),
            source: m.source.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::model::Span;

    /// A chunk of a document with hostile names: every string of a record needs escaping
    /// somewhere, and the text holds them at their spans.
    fn hostile_chunk(seed: usize) -> Chunk {
        const NAMES: [&str; 8] = [
            "plain",
            "q\"b\\s",
            "ctl\u{1}\u{1f}\u{7f}\n\r\t\u{8}\u{c}\u{0}",
            "é – 😂 \u{2028}\u{85}",
            "",
            "</script>",
            "a long name without anything to escape, longer than a block",
            "\u{202e}rtl",
        ];
        let name = |k: usize| NAMES[(seed + k) % NAMES.len()];
        let mut text = String::from("x");
        let mut mentions = Vec::new();
        let mut char_spans = Vec::new();
        for k in 0..20 {
            let start = text.len();
            text.push_str(name(k));
            let span = Span::new(start, text.len());
            text.push_str(" and ");
            char_spans.push((
                text[..start].chars().count(),
                text[..span.end].chars().count(),
            ));
            mentions.push(Mention {
                span: Span::new(span.start + 100, span.end + 100),
                entity: name(k + 1).into(),
                id: format!("{}:{}", name(k + 2), name(k + 3)).into(),
                kind: name(k + 2).into(),
                source: format!("pattern:{}", name(k + 4)).into(),
                origin: "".into(),
                beat: vec![],
            });
        }
        Chunk {
            doc: Arc::from(format!("{}.txt", name(5))),
            index: 0,
            last: true,
            offset: 100,
            char_offset: 100,
            text,
            sentences: vec![],
            mentions,
            char_spans,
            truncated: false,
            sha256: None,
        }
    }

    /// The hand-written lines are serde_json's lines for the same records.
    #[test]
    fn mentions_chunk_jsonl_as_serde() {
        for seed in 0..8 {
            let chunk = hostile_chunk(seed);
            let mut hand = Vec::new();
            write_chunk_jsonl(&chunk, &mut hand).unwrap();
            let mut serde = Vec::new();
            write_jsonl(&chunk_records(&chunk), &mut serde).unwrap();
            assert_eq!(
                String::from_utf8(hand).unwrap(),
                String::from_utf8(serde).unwrap()
            );
        }
    }
}
