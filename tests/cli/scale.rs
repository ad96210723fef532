//! Streaming and threads (issue 5): the output does not depend on `--threads`, and a document read
//! in chunks gives what it gives read whole. Outputs are compared byte for byte (they are the same
//! bytes), and decoded where a difference must be readable.

use std::ffi::OsString;
use std::path::PathBuf;

use crate::util::*;

/// The seeds plus the eight validation documents: a multi-document input.
fn multi_doc_inputs() -> Vec<OsString> {
    vec![
        seeds_dir().into(),
        fixture("validation/docs").into(),
        fixture("discovery").into(),
    ]
}

fn extract_bytes(t: &TestDir, inputs: &[OsString], extra: &[&str]) -> Vec<u8> {
    let out = ok(t
        .entgraph()
        .arg("extract")
        .args(inputs)
        .args(seed_dict_args())
        .args(["--format", "jsonl"])
        .args(extra)
        .output()
        .unwrap());
    out.stdout
}

fn build_files(t: &TestDir, out: &str, inputs: &[OsString], extra: &[&str]) -> Vec<Vec<u8>> {
    let mut args: Vec<OsString> = inputs.to_vec();
    args.extend(seed_dict_args());
    args.extend(extra.iter().map(OsString::from));
    let b = t.build(out, args);
    ["graph.dot", "graph.json", "mentions.jsonl"]
        .iter()
        .map(|f| std::fs::read(b.dir.join(f)).unwrap())
        .collect()
}

#[test]
fn scale_threads_give_identical_extract() {
    let t = TestDir::new();
    let inputs = multi_doc_inputs();
    let one = extract_bytes(&t, &inputs, &["--threads", "1"]);
    assert!(!one.is_empty());
    for extra in [
        &["--threads", "2"][..],
        &["--threads", "3"],
        &["--threads", "2", "--chunk-size", "4096"],
    ] {
        assert!(
            one == extract_bytes(&t, &inputs, extra),
            "extract {extra:?} differs from --threads 1"
        );
    }
}

#[test]
fn scale_threads_give_identical_build() {
    let t = TestDir::new();
    let inputs = multi_doc_inputs();
    for window in ["sentence", "paragraph", "document"] {
        let one = build_files(&t, "one", &inputs, &["--threads", "1", "--window", window]);
        for (i, extra) in [
            &["--threads", "2"][..],
            &["--threads", "2", "--chunk-size", "4096"],
        ]
        .iter()
        .enumerate()
        {
            let mut args = extra.to_vec();
            args.extend(["--window", window]);
            let other = build_files(&t, &format!("other{i}"), &inputs, &args);
            for (f, (a, b)) in ["graph.dot", "graph.json", "mentions.jsonl"]
                .iter()
                .zip(one.iter().zip(&other))
            {
                assert!(a == b, "{f} with {args:?} differs from --threads 1");
            }
        }
    }
}

/// One long line (no line break at all) made of seed articles: chunked at 4 KiB it must give the
/// mentions, sentences and graph of the same document read whole (the default chunk, 1 or
/// 4 MiB, holds it). The text repeats, so every full name is seen in the first chunk (chunking only
/// changes partial names that come before their full name in an earlier chunk).
fn long_line_doc(t: &TestDir) -> PathBuf {
    let mut unit = String::new();
    for seed in ["000_fd1094a99a31afa8.txt", "003_af786bfab2a0ae3d.txt"] {
        let text = std::fs::read_to_string(seeds_dir().join(seed)).unwrap();
        // Lines become sentences of one line: end each with a period unless it has one.
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            unit.push_str(line);
            if !line.ends_with(['.', '!', '?', '"']) {
                unit.push('.');
            }
            unit.push(' ');
        }
    }
    let mut doc = String::new();
    while doc.len() < 150_000 {
        doc.push_str(&unit);
    }
    assert!(!doc.contains('\n'));
    t.write("long-line.txt", doc)
}

#[test]
fn scale_long_line_chunks_like_whole() {
    let t = TestDir::new();
    let doc: OsString = long_line_doc(&t).into();
    let whole = extract_bytes(&t, std::slice::from_ref(&doc), &["--threads", "1"]);
    let mentions: Vec<Mention> = parse_jsonl(std::str::from_utf8(&whole).unwrap());
    assert!(mentions.len() > 500, "{} mentions", mentions.len());
    for extra in [
        &["--threads", "1", "--chunk-size", "4096"][..],
        &["--threads", "2", "--chunk-size", "5000"],
    ] {
        let chunked = extract_bytes(&t, std::slice::from_ref(&doc), extra);
        if chunked != whole {
            let got: Vec<Mention> = parse_jsonl(std::str::from_utf8(&chunked).unwrap());
            let first = mentions.iter().zip(&got).position(|(a, b)| a != b);
            panic!(
                "{extra:?}: {} mentions chunked, {} whole; first difference at {first:?}: {:?} vs {:?}",
                got.len(),
                mentions.len(),
                first.map(|i| &got[i]),
                first.map(|i| &mentions[i])
            );
        }
    }
    // The graph too, with every window (paragraph and document windows span the chunks).
    builds_chunked_like_whole(&t, &doc, &["sentence", "paragraph", "document"], &[]);
}

/// `build` of `doc` with each window gives the same files whole and chunked at 4 KiB (plus `extra`).
fn builds_chunked_like_whole(t: &TestDir, doc: &OsString, windows: &[&str], extra: &[&str]) {
    for window in windows {
        let a = build_files(t, "whole", std::slice::from_ref(doc), &["--window", window]);
        let mut chunked = vec!["--window", window, "--chunk-size", "4096"];
        chunked.extend_from_slice(extra);
        let b = build_files(t, "chunked", std::slice::from_ref(doc), &chunked);
        assert!(a == b, "build --window {window} differs when chunked");
    }
}

/// A document of many paragraphs (lines), chunked at line breaks: the same output as whole.
#[test]
fn scale_many_lines_chunk_like_whole() {
    let t = TestDir::new();
    let mut doc = String::new();
    for seed in std::fs::read_dir(seeds_dir()).unwrap() {
        doc.push_str(&std::fs::read_to_string(seed.unwrap().path()).unwrap());
        doc.push_str("\r\n\r\n");
    }
    let doc = doc.repeat(6);
    let doc: OsString = t.write("many-lines.txt", doc).into();
    builds_chunked_like_whole(&t, &doc, &["sentence", "paragraph"], &["--threads", "2"]);
}

#[test]
fn scale_threads_option_is_checked() {
    let t = TestDir::new();
    let err = fails(
        t.entgraph()
            .args(["extract", "--threads", "0"])
            .output()
            .unwrap(),
    );
    assert!(err.contains("--threads"), "{err}");
}

/// The cap on mentions in a document read in many chunks: the same outputs for any thread count,
/// the first N mentions in text order, and the document after it is not analyzed.
#[test]
fn scale_mention_cap_across_chunks_is_thread_independent() {
    let t = TestDir::new();
    let doc = t.write(
        "big.txt",
        "Tom Cruise met Christopher McQuarrie. McQuarrie smiled.\n".repeat(2000),
    );
    let inputs = vec![OsString::from(&doc), seeds_dir().into()];
    let cap = ["--max-mentions", "500", "--chunk-size", "4096"];
    let one = build_files(&t, "t1", &inputs, &[&cap[..], &["--threads", "1"]].concat());
    let two = build_files(&t, "t2", &inputs, &[&cap[..], &["--threads", "2"]].concat());
    assert!(
        one == two,
        "--threads 2 differs from --threads 1 under the cap"
    );
    let mentions = parse_jsonl::<Mention>(&String::from_utf8(one[2].clone()).unwrap());
    let in_big: Vec<&Mention> = mentions
        .iter()
        .filter(|m| m.doc.ends_with("big.txt"))
        .collect();
    assert_eq!(in_big.len(), 500);
    assert!(
        in_big.windows(2).all(|w| w[0].start < w[1].start),
        "text order"
    );
    assert!(
        mentions.iter().any(|m| !m.doc.ends_with("big.txt")),
        "the next document is analyzed as usual"
    );
}

/// The cache of compiled dictionaries: a large dictionary is compiled once, then read; a damaged
/// file is rebuilt, a changed dictionary gets a file of its own, `--no-cache` and an unwritable
/// directory only cost compile time; the mentions are the same every time.
#[test]
fn scale_dictionary_cache_round_trip() {
    let t = TestDir::new();
    let mut names = String::new();
    for i in 0..21_000 {
        names.push_str(&format!("Name{i} Surname{i}\tSurname{i}\n"));
    }
    t.write("dict/person.tsv", &names);
    t.write(
        "doc.txt",
        "Name7 Surname7 met Name20999 Surname20999. Later Surname7 left; Name12 Surnamex did not.\n",
    );
    let cache = t.join("cache");
    let run = |cache_dir: &std::path::Path, extra: &[&str]| -> (Vec<u8>, String) {
        let out = t.join("out");
        let _ = std::fs::remove_dir_all(&out);
        let o = ok(t
            .entgraph()
            .env("ENTGRAPH_CACHE_DIR", cache_dir)
            .args(["build", "doc.txt", "--dict", "dict", "--no-rules", "--out"])
            .arg(&out)
            .args(extra)
            .output()
            .unwrap());
        let stderr = String::from_utf8(o.stderr).unwrap();
        let line = stderr
            .lines()
            .find(|l| l.contains("dictionary:"))
            .unwrap_or_else(|| panic!("no dictionary line in {stderr}"))
            .to_string();
        (std::fs::read(out.join("mentions.jsonl")).unwrap(), line)
    };
    let files = |dir: &std::path::Path| -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
            .map(|r| r.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        v.sort();
        v
    };
    let (first, line) = run(&cache, &[]);
    assert!(line.contains("compiled and cached in"), "{line}");
    assert_eq!(
        String::from_utf8_lossy(&first).lines().count(),
        3,
        "{}",
        String::from_utf8_lossy(&first)
    );
    let cached = files(&cache);
    assert_eq!(cached.len(), 1, "{cached:?}");
    assert!(cached[0].to_string_lossy().ends_with(".daac"));

    let (again, line) = run(&cache, &[]);
    assert!(line.contains("read from the cache"), "{line}");
    assert_eq!(first, again);

    std::fs::write(&cached[0], b"entgraph-dac but not really").unwrap();
    let (repaired, line) = run(&cache, &[]);
    assert!(
        line.contains("compiled and cached in"),
        "a damaged file is rebuilt: {line}"
    );
    assert_eq!(first, repaired);
    assert!(run(&cache, &[]).1.contains("read from the cache"));

    let (off, line) = run(&cache, &["--no-cache"]);
    assert!(line.contains("not cached"), "{line}");
    assert_eq!(first, off);

    let blocked = t.write("not-a-dir", "a file");
    let (unwritable, line) = run(&blocked.join("cache"), &[]);
    assert!(line.contains("compiled; not cached:"), "{line}");
    assert_eq!(first, unwritable);

    t.write("dict/person.tsv", format!("{names}Name12 Surnamex\n"));
    let (changed, line) = run(&cache, &[]);
    assert!(line.contains("compiled and cached in"), "{line}");
    assert_ne!(first, changed, "the new name is found");
    assert_eq!(files(&cache).len(), 2);
}
