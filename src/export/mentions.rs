//! `mentions.jsonl`: one JSON object per mention, in document then text order:
//! `{"doc", "start", "end", "text", "entity", "id", "type", "source"}`.
//!
//! `start`/`end` are character (Unicode scalar) offsets into the document as read, so that in Python
//! `text[start:end] == record["text"]`.

use std::io::Write;

use serde::{Deserialize, Serialize};

use crate::model::{CharIndex, Document, Mention};

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
            entity: m.entity.clone(),
            id: m.id.clone(),
            kind: m.kind.clone(),
            source: m.source.clone(),
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
