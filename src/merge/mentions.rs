//! Merging `mentions.jsonl` files: every document's lines, documents in name order.
//!
//! Each file is read twice: once to find where each document's lines are, then to copy them in
//! order. Memory holds one entry per document, not the lines.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Where one document's lines are: a byte range of one input.
#[derive(Debug, Clone, Copy)]
struct Run {
    input: usize,
    start: u64,
    end: u64,
}

/// Writes the lines of the `mentions.jsonl` files `inputs` to `out`, documents in name order and
/// each document's lines in their order. A document found in several inputs is taken from the
/// first (the merge has checked that they are the same document). Gives the number of lines.
pub fn merge_mentions(inputs: &[PathBuf], out: &mut dyn Write) -> Result<u64> {
    let mut docs: BTreeMap<String, Vec<Run>> = BTreeMap::new();
    for (input, path) in inputs.iter().enumerate() {
        index_file(path, input, &mut docs)?;
    }
    let mut files = Vec::with_capacity(inputs.len());
    for path in inputs {
        files.push(std::fs::File::open(path).map_err(|e| Error::io(path, e))?);
    }
    let mut lines = 0;
    let mut buf = vec![0u8; 1 << 16];
    let write_err =
        |e: std::io::Error| Error::Invalid(format!("cannot write the merged mentions: {e}"));
    for runs in docs.values() {
        let from = runs[0].input;
        for run in runs.iter().filter(|r| r.input == from) {
            let path = &inputs[run.input];
            let file = &mut files[run.input];
            file.seek(SeekFrom::Start(run.start))
                .map_err(|e| Error::io(path, e))?;
            let mut left = run.end - run.start;
            while left > 0 {
                let n = (left as usize).min(buf.len());
                file.read_exact(&mut buf[..n])
                    .map_err(|e| Error::io(path, e))?;
                lines += memchr::memchr_iter(b'\n', &buf[..n]).count() as u64;
                out.write_all(&buf[..n]).map_err(write_err)?;
                left -= n as u64;
            }
        }
    }
    out.flush().map_err(write_err)?;
    Ok(lines)
}

/// Adds the runs of lines of each document of one file to `docs`.
fn index_file(path: &Path, input: usize, docs: &mut BTreeMap<String, Vec<Run>>) -> Result<()> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut reader = BufReader::with_capacity(1 << 16, file);
    let mut line = Vec::new();
    let mut at = 0u64;
    let mut current: Option<(String, u64)> = None;
    let mut number = 0u64;
    loop {
        line.clear();
        let n = reader
            .read_until(b'\n', &mut line)
            .map_err(|e| Error::io(path, e))?;
        if n == 0 {
            break;
        }
        number += 1;
        if line.last() != Some(&b'\n') {
            return Err(bad_line(
                path,
                number,
                "the last line has no line break (a cut file?)",
            ));
        }
        let doc = doc_of(&line).ok_or_else(|| {
            bad_line(
                path,
                number,
                "not a mentions.jsonl line (it starts with {\"doc\":\"…\")",
            )
        })?;
        match &current {
            Some((name, _)) if *name == doc => {}
            _ => {
                if let Some((name, start)) = current.take() {
                    docs.entry(name).or_default().push(Run {
                        input,
                        start,
                        end: at,
                    });
                }
                current = Some((doc, at));
            }
        }
        at += n as u64;
    }
    if let Some((name, start)) = current {
        docs.entry(name).or_default().push(Run {
            input,
            start,
            end: at,
        });
    }
    Ok(())
}

fn bad_line(path: &Path, line: u64, message: &str) -> Error {
    Error::Invalid(format!("{}: line {line}: {message}", path.display()))
}

/// The document name of a `mentions.jsonl` line: the JSON string after `{"doc":`.
fn doc_of(line: &[u8]) -> Option<String> {
    let rest = line.strip_prefix(b"{\"doc\":\"")?;
    let mut i = 0;
    let mut escaped = false;
    while i < rest.len() {
        match rest[i] {
            b'\\' => {
                escaped = true;
                i += 2;
                continue;
            }
            b'"' => break,
            _ => i += 1,
        }
    }
    if i >= rest.len() {
        return None;
    }
    if !escaped {
        return String::from_utf8(rest[..i].to_vec()).ok();
    }
    serde_json::from_slice(&line[7..8 + i + 1]).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_doc_of_reads_the_json_string() {
        assert_eq!(
            doc_of(br#"{"doc":"a.txt","start":1}"#).as_deref(),
            Some("a.txt")
        );
        assert_eq!(
            doc_of(br#"{"doc":"a \"b\" \\ \u00e9.txt","start":1}"#).as_deref(),
            Some("a \"b\" \\ é.txt")
        );
        assert_eq!(doc_of(br#"{"start":1}"#), None);
        assert_eq!(doc_of(br#"{"doc":"open"#), None);
    }

    #[test]
    fn mentions_merge_orders_documents_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a.jsonl");
        let b = dir.path().join("b.jsonl");
        std::fs::write(
            &a,
            "{\"doc\":\"z\",\"n\":1}\n{\"doc\":\"z\",\"n\":2}\n{\"doc\":\"b\",\"n\":3}\n",
        )
        .unwrap();
        std::fs::write(&b, "{\"doc\":\"m\",\"n\":4}\n{\"doc\":\"b\",\"n\":5}\n").unwrap();
        let mut out = Vec::new();
        let n = merge_mentions(&[a.clone(), b.clone()], &mut out).unwrap();
        assert_eq!(n, 4);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "{\"doc\":\"b\",\"n\":3}\n{\"doc\":\"m\",\"n\":4}\n{\"doc\":\"z\",\"n\":1}\n{\"doc\":\"z\",\"n\":2}\n"
        );
        std::fs::write(&b, "{\"doc\":\"m\"").unwrap();
        let err = merge_mentions(&[a, b.clone()], &mut Vec::new()).unwrap_err();
        assert!(err.to_string().contains("line 1"), "{err}");
    }
}
