//! Conformance with a peer: FlashText's keyword-extractor cases, adapted to entgraph's dictionary
//! semantics (`shared/peer-tests/README.md`). The cases are read from `../shared/peer-tests/` beside
//! the repository and never copied into it. A clone without that folder skips the test with one
//! line on stderr (`skipped: ../shared/peer-tests not found (FlashText cases)`);
//! ENTGRAPH_REQUIRE_SHARED=1 (set by `.ci/run`) turns the skip into a failure.
//!
//! Each case runs twice (with and without `--ignore-case`): its dictionary becomes one `thing.tsv`,
//! its sentence goes to `entgraph extract --dict thing.tsv --no-rules --format jsonl -` on stdin, and
//! the `entity` values found, in order, are compared with FlashText's. Failures are printed; the
//! pass rate over all runs must be at least [`MIN_PASS_RATE`].

use std::fmt;
use std::io::Write as _;
use std::path::PathBuf;

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};

use crate::util::*;

/// The share of runs that must agree with FlashText.
const MIN_PASS_RATE: f64 = 0.95;

#[derive(Debug, Deserialize)]
struct Case {
    case: u32,
    sentence: String,
    entities: Entities,
    expected_insensitive: Vec<String>,
    expected_sensitive: Vec<String>,
}

/// Canonical name -> aliases, in file order (the order of dictionary lines can matter).
#[derive(Debug)]
struct Entities(Vec<(String, Vec<String>)>);

impl<'de> Deserialize<'de> for Entities {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Entities;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map of canonical name to aliases")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Entities, A::Error> {
                let mut v = Vec::new();
                while let Some(entry) = m.next_entry::<String, Vec<String>>()? {
                    v.push(entry);
                }
                Ok(Entities(v))
            }
        }
        d.deserialize_map(V)
    }
}

/// Where the cases live, relative to the repository, as the skip line names it.
const PEER_DIR: &str = "../shared/peer-tests";

fn peer_dir() -> PathBuf {
    repo().join(PEER_DIR)
}

/// Skips for lack of the `../shared` data: one plain line on the real stderr (not captured by the
/// test harness), or a failure when ENTGRAPH_REQUIRE_SHARED=1.
fn skip_without_shared(what: &str) {
    if std::env::var_os("ENTGRAPH_REQUIRE_SHARED").is_some_and(|v| v == "1") {
        panic!("{PEER_DIR} not found ({what}), and ENTGRAPH_REQUIRE_SHARED=1 requires it");
    }
    let _ = writeln!(std::io::stderr(), "skipped: {PEER_DIR} not found ({what})");
}

/// Runs one case in one mode; returns the entities found, or the error output.
fn run(t: &TestDir, case: &Case, ignore_case: bool) -> Result<Vec<String>, String> {
    let tsv: String = case
        .entities
        .0
        .iter()
        .map(|(name, aliases)| {
            std::iter::once(name)
                .chain(aliases)
                .cloned()
                .collect::<Vec<_>>()
                .join("\t")
                + "\n"
        })
        .collect();
    let dict = t.write(format!("case-{}/thing.tsv", case.case), tsv);
    let mut cmd = t.entgraph();
    cmd.arg("extract")
        .arg("--dict")
        .arg(&dict)
        .arg("--no-rules");
    if ignore_case {
        cmd.arg("--ignore-case");
    }
    let out = cmd
        .args(["--format", "jsonl", "-"])
        .write_stdin(case.sentence.clone())
        .output()
        .unwrap();
    if !out.status.success() {
        return Err(format!(
            "exit {}: {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    let mentions: Vec<Mention> =
        parse_jsonl(&String::from_utf8(out.stdout).map_err(|e| e.to_string())?);
    Ok(mentions.into_iter().map(|m| m.entity).collect())
}

#[test]
fn peer_flashtext_conformance() {
    let path = peer_dir().join("flashtext_cases_adapted.json");
    if !path.exists() {
        return skip_without_shared("FlashText cases");
    }
    let cases: Vec<Case> = read_json(&path);
    assert!(!cases.is_empty());
    let t = TestDir::new();
    let mut runs = 0usize;
    let mut failures = Vec::new();
    for case in &cases {
        for (mode, ignore_case, expected) in [
            ("insensitive", true, &case.expected_insensitive),
            ("sensitive", false, &case.expected_sensitive),
        ] {
            runs += 1;
            let got = run(&t, case, ignore_case);
            if got.as_ref() != Ok(expected) {
                failures.push(format!(
                    "case {} ({mode}): sentence {:?}; entities {:?}; expected {:?}; got {:?}",
                    case.case, case.sentence, case.entities.0, expected, got
                ));
            }
        }
    }
    let passed = runs - failures.len();
    let rate = passed as f64 / runs as f64;
    let report = format!(
        "FlashText conformance: {passed}/{runs} runs agree ({:.1}%)",
        rate * 100.0
    );
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "note: {report}");
    for f in &failures {
        let _ = writeln!(err, "note:   {f}");
    }
    assert!(
        rate >= MIN_PASS_RATE,
        "{report}, below {:.0}%:\n{}",
        MIN_PASS_RATE * 100.0,
        failures.join("\n")
    );
}
