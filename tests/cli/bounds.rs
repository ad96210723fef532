//! Linear bounds: for any window, a build of N bytes of text dense with names takes at most about
//! 1 GB + 50·N of memory (the child's peak RSS, measured by `/usr/bin/time`) and writes at most
//! about 4 MB + 200·N bytes in one document, and in many small documents 4 MB more per document
//! but never more than 4 MB + 3,000·N (each document has its own evidence budget). And the budget
//! does not make the graph depend on the order of the documents or on how they are grouped.

use std::path::Path;

use crate::util::*;

/// A small random generator (xorshift), so a seed gives the same text everywhere.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// 2,000 distinct two-word person names.
fn names() -> Vec<String> {
    const SYL: [&str; 12] = [
        "ka", "lo", "mi", "ra", "to", "ne", "su", "vi", "de", "ba", "yo", "ze",
    ];
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut set = std::collections::BTreeSet::new();
    let word = |rng: &mut Rng, n: usize| {
        let w: String = (0..n).map(|_| SYL[rng.below(SYL.len())]).collect();
        let mut c = w.chars();
        c.next()
            .unwrap()
            .to_uppercase()
            .chain(c)
            .collect::<String>()
    };
    while set.len() < 2000 {
        set.insert(format!("{} {}", word(&mut rng, 2), word(&mut rng, 3)));
    }
    set.into_iter().collect()
}

/// About `n` bytes of news-like sentences ("A met B in C.") on one paragraph, or one run-on
/// sentence of names separated by commas.
fn dense_text(names: &[String], n: usize, run_on: bool) -> String {
    let mut rng = Rng(n as u64 | 1);
    let mut s = String::with_capacity(n + 64);
    while s.len() < n {
        let mut pick = || names[rng.below(names.len())].as_str();
        if run_on {
            s.push_str(pick());
            s.push_str(", ");
        } else {
            let (a, b, c) = (pick(), pick(), pick());
            s.push_str(&format!("{a} met {b} in {c}. "));
        }
    }
    s
}

fn dir_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().metadata().unwrap().len())
        .sum()
}

/// `docs` documents of about `n` bytes in all under `in/<case>/`, news-like or run-on; gives the
/// directory and the bytes written.
fn dense_documents(
    t: &TestDir,
    case: &str,
    names: &[String],
    n: usize,
    docs: usize,
    run_on: bool,
) -> (std::path::PathBuf, u64) {
    let mut bytes = 0;
    for d in 0..docs {
        let mut rng = Rng((d as u64 + 1).wrapping_mul(0x2545_F491_4F6C_DD1D));
        // Documents of different sizes around n / docs, with names drawn anew for each.
        let size = n / docs / 2 + rng.below(n / docs + 1);
        let mut text = dense_text(&names[rng.below(names.len() / 2)..], size, run_on);
        text.push('\n');
        bytes += text.len() as u64;
        t.write(format!("in/{case}/{:02}/{d:05}.txt", d % 7), &text);
    }
    (t.join(format!("in/{case}")), bytes)
}

/// One measured build: (peak RSS in bytes, output bytes, stderr).
fn measure(t: &TestDir, input: &Path, window: &str, out: &str) -> (u64, u64, String) {
    let rss_file = t.join(format!("{out}.rss"));
    let output = std::process::Command::new("/usr/bin/time")
        .args(["-f", "%M", "-o"])
        .arg(&rss_file)
        .arg(env!("CARGO_BIN_EXE_entgraph"))
        .current_dir(t.path())
        .env("ENTGRAPH_CACHE_DIR", "")
        .arg("build")
        .arg(input)
        .arg("--dict")
        .arg(t.join("dict"))
        .args(["--no-rules", "--window", window, "--out"])
        .arg(t.join(out))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{stderr}");
    let kb: u64 = std::fs::read_to_string(&rss_file)
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    (kb * 1024, dir_bytes(&t.join(out)), stderr)
}

#[test]
fn bounds_memory_and_output_are_linear() {
    if !Path::new("/usr/bin/time").exists() {
        skip(
            "bounds_memory_and_output_are_linear",
            "/usr/bin/time not found (GNU time)",
        );
        return;
    }
    let t = TestDir::new();
    let names = names();
    t.write("dict/person.tsv", names.join("\n") + "\n");
    // The 1 MB texts take seconds each in a debug build: with every window for the news-like
    // text, with the document window (the largest) for the run-on sentence.
    let mut cases = Vec::new();
    for n in [5_000, 20_000, 200_000] {
        for window in ["sentence", "paragraph", "document"] {
            for run_on in [false, true] {
                cases.push((n, window, run_on));
            }
        }
    }
    for window in ["sentence", "paragraph", "document"] {
        cases.push((1_000_000, window, false));
    }
    cases.push((1_000_000, "document", true));
    let mut cases: Vec<(usize, &str, bool, usize)> =
        cases.into_iter().map(|(n, w, r)| (n, w, r, 1)).collect();
    // Many small documents, each with its own budget (the run-on ones reach it): about 400 B
    // and 2 KB each.
    for docs in [50, 250] {
        for window in ["sentence", "document"] {
            cases.push((100_000, window, true, docs));
        }
    }
    cases.push((100_000, "paragraph", false, 50));
    let mut report = Vec::new();
    for (i, (n, window, run_on, docs)) in cases.into_iter().enumerate() {
        let (input, n) = if docs == 1 {
            let text = dense_text(&names, n, run_on);
            (t.write(format!("in/{i}.txt"), &text), text.len() as u64)
        } else {
            dense_documents(&t, &i.to_string(), &names, n, docs, run_on)
        };
        let (rss, out, stderr) = measure(&t, &input, window, &format!("out{i}"));
        let kind = if run_on { "run-on" } else { "news" };
        report.push(format!(
            "{kind} {n} B in {docs} documents, {window}: output {out} B ({:.0}·N), peak RSS {:.1} MB",
            out as f64 / n as f64,
            rss as f64 / 1e6
        ));
        // Each document may keep BUDGET_BASE evidence windows beyond one per 16 (or 6) bytes:
        // up to about 4 MB more per document, and never more than 3,000·N.
        let bound = if docs == 1 {
            4_000_000 + 200 * n
        } else {
            (4_000_000 + 200 * n + 4_000_000 * docs as u64).min(4_000_000 + 3_000 * n)
        };
        assert!(
            out <= bound,
            "{kind} {n} in {docs} documents, {window}: output {out}"
        );
        assert!(
            rss <= 1_000_000_000 + 50 * n,
            "{kind} {n} {window}: rss {rss}"
        );
        if window == "paragraph" && n == 20_000 && !run_on {
            assert!(
                out <= 8_000_000,
                "the 20 KB paragraph case writes a few MB: {out}"
            );
        }
        // The long run-on sentences pass the budget (a document's 2 KB one too).
        let cut = if docs == 1 {
            n >= 200_000
        } else {
            n / docs as u64 >= 1_500
        };
        if run_on && cut {
            assert!(
                stderr.contains("entities; only the first"),
                "a cut window is reported: {stderr}"
            );
        }
    }
    note(&format!("bounds:\n  {}", report.join("\n  ")));
}

/// Dense documents cut by their budget give the same graph whatever their order and grouping:
/// one build of the directory, one of the files in another order, and a merge of three shards
/// built separately write the same graph (and the merge the same mentions).
#[test]
fn bounds_cut_windows_do_not_depend_on_order_or_shards() {
    let t = TestDir::new();
    let names = names();
    t.write("dict/person.tsv", names.join("\n") + "\n");
    let mut files = Vec::new();
    for (case, run_on) in [("a", true), ("b", false)] {
        dense_documents(&t, case, &names, 24_000, 12, run_on);
    }
    for e in walk(&t.join("in")) {
        files.push(
            e.strip_prefix(t.path())
                .unwrap()
                .to_string_lossy()
                .into_owned(),
        );
    }
    files.sort();
    for window in ["sentence", "paragraph"] {
        let build = |inputs: &[String], out: &str| {
            let output = t
                .entgraph()
                .arg("build")
                .args(inputs)
                .args([
                    "--dict",
                    "dict",
                    "--no-rules",
                    "--window",
                    window,
                    "--formats",
                    "json",
                ])
                .args(["--out", out])
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
            assert!(output.status.success(), "{stderr}");
            stderr
        };
        let stderr = build(&["in".to_string()], "all");
        assert!(
            stderr.contains("entities; only the first"),
            "the budget cuts windows: {stderr}"
        );
        // Another order: the files shuffled.
        let mut shuffled = files.clone();
        let mut rng = Rng(0xD1B5_4A32_D192_ED03);
        for i in (1..shuffled.len()).rev() {
            shuffled.swap(i, rng.below(i + 1));
        }
        build(&shuffled, "shuffled");
        // Three shards, each in reverse order, merged.
        let mut shards: Vec<String> = Vec::new();
        for k in 0..3 {
            let part: Vec<String> = files.iter().rev().skip(k).step_by(3).cloned().collect();
            build(&part, &format!("shard{k}"));
            shards.push(format!("shard{k}"));
        }
        ok(t.entgraph()
            .arg("merge")
            .arg("-q")
            .args(&shards)
            .args([
                "--dict",
                "dict",
                "--no-rules",
                "--formats",
                "json",
                "--out",
                "merged",
            ])
            .output()
            .unwrap());
        let want = std::fs::read(t.join("all/graph.json")).unwrap();
        for other in ["shuffled", "merged"] {
            assert!(
                want == std::fs::read(t.join(other).join("graph.json")).unwrap(),
                "{window}: {other}/graph.json differs from one build of the directory"
            );
        }
        assert!(
            std::fs::read(t.join("all/mentions.jsonl")).unwrap()
                == std::fs::read(t.join("merged/mentions.jsonl")).unwrap(),
            "{window}: merged mentions.jsonl differs"
        );
    }
}

/// Every file under `dir`.
fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
