//! Linear bounds: for any window, a build of N bytes of text dense with names takes at most about
//! 1 GB + 50·N of memory (the child's peak RSS, measured by `/usr/bin/time`) and writes at most
//! about 4 MB + 200·N bytes.

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
    let mut report = Vec::new();
    for (i, (n, window, run_on)) in cases.into_iter().enumerate() {
        let text = dense_text(&names, n, run_on);
        let input = t.write(format!("in/{i}.txt"), &text);
        let n = text.len() as u64;
        let (rss, out, stderr) = measure(&t, &input, window, &format!("out{i}"));
        let kind = if run_on { "run-on" } else { "news" };
        report.push(format!(
            "{kind} {n} B {window}: output {out} B ({:.0}·N), peak RSS {:.1} MB",
            out as f64 / n as f64,
            rss as f64 / 1e6
        ));
        assert!(
            out <= 4_000_000 + 200 * n,
            "{kind} {n} {window}: output {out}"
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
        if run_on && n >= 200_000 {
            assert!(
                stderr.contains("entities; only the first"),
                "a cut window is reported: {stderr}"
            );
        }
    }
    note(&format!("bounds:\n  {}", report.join("\n  ")));
}
