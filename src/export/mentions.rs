//! `mentions.jsonl`: one JSON object per mention, in document then text order:
//! `{"doc", "start", "end", "text", "entity", "id", "type", "source"}`.
//!
//! `start`/`end` are character (Unicode scalar) offsets into the document as read, so that in Python
//! `text[start:end] == record["text"]`.

use std::io::Write;

use serde::{Deserialize, Serialize};

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

/// Appends `s` to `out` as a JSON string, escaped exactly as `serde_json` does (`"`, `\\`, and
/// control characters; everything else as is).
pub fn push_json_str(out: &mut Vec<u8>, s: &str) {
    super::json::push_json_str(out, s);
}

/// Writes one chunk's mentions as JSON lines, byte for byte what [`write_jsonl`] writes for the
/// same records, without building them.
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
    use super::*;

    #[test]
    fn mentions_json_escape_like_serde() {
        for s in [
            "plain",
            "q\"b\\s",
            "ctl\u{1}\u{1f}\u{7f}\n\r\t\u{8}\u{c}",
            "é – 😂",
            "",
        ] {
            let mut out = Vec::new();
            push_json_str(&mut out, s);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string(s).unwrap()
            );
        }
    }
}
