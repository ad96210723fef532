//! The documents a graph holds ([`DocSource`]: name and SHA-256 of the text as read), recorded as
//! the pipeline hands over their chunks.

use sha2::{Digest, Sha256};

use crate::graph::DocSource;
use crate::pipeline::Chunk;

/// Hashes each document's text from its chunks, in the order a run hands them over.
///
/// ```
/// use entgraph::sources::sha256_hex;
/// assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
/// ```
#[derive(Debug, Default)]
pub struct SourceHasher {
    current: Option<Current>,
}

#[derive(Debug)]
struct Current {
    name: String,
    hasher: Sha256,
}

impl SourceHasher {
    /// A hasher with no document open.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a chunk; gives the document's [`DocSource`] when this chunk is its last (or when a
    /// new document starts before the last one ended, the ended one's).
    pub fn add(&mut self, chunk: &Chunk) -> Option<DocSource> {
        let mut ended = None;
        if chunk.index == 0 {
            ended = self.current.take().map(Current::finish);
            self.current = Some(Current {
                name: chunk.doc.to_string(),
                hasher: Sha256::new(),
            });
        }
        if let Some(current) = &mut self.current {
            current.hasher.update(chunk.text.as_bytes());
        }
        if chunk.last {
            // A document ended twice (never in a run) gives its source once.
            return self.current.take().map(Current::finish).or(ended);
        }
        ended
    }

    /// The source of a document left open, if any.
    pub fn finish(mut self) -> Option<DocSource> {
        self.current.take().map(Current::finish)
    }
}

impl Current {
    fn finish(self) -> DocSource {
        DocSource {
            name: self.name,
            sha256: hex(&self.hasher.finalize()),
        }
    }
}

/// The SHA-256 of `bytes` in lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}
