//! `entgraph merge` and `entgraph build --update`: the graph of a set of documents does not depend
//! on how they were grouped or in which order they came. Every file written is compared byte for
//! byte with one `build` of all the documents; the errors are one line and exit 2.

use std::ffi::OsString;
use std::path::Path;

use crate::util::*;

/// The formats compared (the ones that need no external program).
const FORMATS: &str = "dot,json,graphml,gexf,cytoscape,csv";

/// The files written with [`FORMATS`], and mentions.jsonl.
const FILES: [&str; 8] = [
    "graph.dot",
    "graph.json",
    "graph.graphml",
    "graph.gexf",
    "graph.cyjs",
    "nodes.csv",
    "edges.csv",
    "mentions.jsonl",
];

/// Copies the seeds and the first validation set into `docs/` of the test directory, under names
/// whose order mixes the two; gives the relative names, in name order.
fn docs(t: &TestDir) -> Vec<String> {
    let mut names = Vec::new();
    for (dir, prefix) in [(seeds_dir(), "s"), (fixture("validation/docs"), "v")] {
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for (i, f) in files.iter().enumerate() {
            let name = format!("docs/{}/{prefix}{i}.txt", ["x", "m", "a"][i % 3]);
            t.write(&name, std::fs::read(f).unwrap());
            names.push(name);
        }
    }
    names.sort();
    names
}

fn run_build(t: &TestDir, inputs: &[&str], extra: &[&str]) {
    let mut args: Vec<OsString> = vec!["build".into(), "-q".into()];
    args.extend(inputs.iter().map(OsString::from));
    args.extend(seed_dict_args());
    args.extend(extra.iter().map(OsString::from));
    ok(t.entgraph().args(args).output().unwrap());
}

fn assert_same_files(want: &Path, got: &Path) {
    for f in FILES {
        let (a, b) = (
            std::fs::read(want.join(f)).unwrap(),
            std::fs::read(got.join(f)).unwrap(),
        );
        assert!(
            a == b,
            "{f} differs between {} and {}",
            want.display(),
            got.display()
        );
    }
}

/// Three shards, each given its documents out of name order, merged in another order: every file
/// is the one-build file.
#[test]
fn merge_of_shards_is_the_build_of_all() {
    let t = TestDir::new();
    let names = docs(&t);
    run_build(&t, &["docs"], &["--out", "all", "--formats", FORMATS]);
    let n: Vec<&str> = names.iter().map(String::as_str).collect();
    let shards: [Vec<&str>; 3] = [
        vec![n[7], n[0], n[4]],
        vec![n[10], n[2], n[9], n[1]],
        n.iter()
            .enumerate()
            .filter(|(i, _)| ![7, 0, 4, 10, 2, 9, 1].contains(i))
            .map(|(_, s)| *s)
            .rev()
            .collect(),
    ];
    for (i, shard) in shards.iter().enumerate() {
        run_build(&t, shard, &["--out", &format!("g{i}"), "--formats", "json"]);
    }
    let out = ok(t
        .entgraph()
        .args([
            "merge",
            "g2",
            "g0/graph.json",
            "g1",
            "--out",
            "merged",
            "--formats",
            FORMATS,
        ])
        .output()
        .unwrap());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.starts_with("entgraph: merged 3 graphs: 12 documents"),
        "{stderr}"
    );
    assert_same_files(&t.join("all"), &t.join("merged"));
    // A graph merged twice is counted once, with a warning.
    let out = ok(t
        .entgraph()
        .args([
            "merge",
            "merged",
            "g1",
            "--out",
            "again",
            "--formats",
            FORMATS,
        ])
        .output()
        .unwrap());
    assert!(String::from_utf8_lossy(&out.stderr).contains("counted once"));
    assert_same_files(&t.join("all"), &t.join("again"));
}

/// `--update` in three steps (the last one giving every document again) is one build.
#[test]
fn update_in_steps_is_the_build_of_all() {
    let t = TestDir::new();
    let names = docs(&t);
    run_build(&t, &["docs"], &["--out", "all", "--formats", FORMATS]);
    let n: Vec<&str> = names.iter().map(String::as_str).collect();
    run_build(
        &t,
        &[n[5], n[11], n[0]],
        &["--out", "grown", "--formats", FORMATS],
    );
    run_build(&t, &[n[3], n[8]], &["--update", "grown"]);
    let out = ok(t
        .entgraph()
        .args(["build", "docs", "--update", "grown"])
        .args(seed_dict_args())
        .output()
        .unwrap());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("added 7 documents to grown (5 already there)"),
        "{stderr}"
    );
    assert_same_files(&t.join("all"), &t.join("grown"));
    let out = ok(t
        .entgraph()
        .args(["build", "docs", "--update", "grown"])
        .args(seed_dict_args())
        .output()
        .unwrap());
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("nothing to add: 12 documents are already in grown")
    );
    assert_same_files(&t.join("all"), &t.join("grown"));
}

/// A changed document, graphs of different windows or without their mentions: one line, exit 2,
/// and the outputs untouched.
#[test]
fn merge_and_update_errors() {
    let t = TestDir::new();
    let names = docs(&t);
    run_build(&t, &[&names[0], &names[1]], &["--out", "g0"]);
    let before = std::fs::read(t.join("g0/graph.json")).unwrap();
    t.write(&names[1], "Tom Cruise met Christopher McQuarrie.\n");
    let err = fails(
        t.entgraph()
            .args(["build", &names[1], "--update", "g0"])
            .args(seed_dict_args())
            .output()
            .unwrap(),
    );
    assert!(
        err.contains(&format!("{}: changed since g0 was built", names[1])),
        "{err}"
    );
    assert!(err.contains("rebuild"), "{err}");
    assert_eq!(std::fs::read(t.join("g0/graph.json")).unwrap(), before);
    run_build(&t, &[&names[1]], &["--out", "g1"]);
    let err = fails(
        t.entgraph()
            .args(["merge", "g0", "g1", "--out", "m"])
            .output()
            .unwrap(),
    );
    assert!(
        err.contains(&format!(
            "document '{}' differs from the one in g0/graph.json",
            names[1]
        )),
        "{err}"
    );
    assert!(!t.join("m").exists());
    run_build(&t, &[&names[2]], &["--out", "g2", "--window", "paragraph"]);
    let err = fails(
        t.entgraph()
            .args(["merge", "g0", "g2", "--out", "m"])
            .output()
            .unwrap(),
    );
    assert!(err.contains("its window is paragraph"), "{err}");
    let err = fails(
        t.entgraph()
            .args(["build", &names[3], "--update", "g2"])
            .args(seed_dict_args())
            .output()
            .unwrap(),
    );
    assert!(err.contains("g2: built with --window paragraph"), "{err}");
    run_build(&t, &[&names[3]], &["--out", "g3", "--min-weight", "2"]);
    let err = fails(
        t.entgraph()
            .args(["merge", "g0", "g3", "--out", "m"])
            .output()
            .unwrap(),
    );
    assert!(err.contains("built with --min-weight 2"), "{err}");
    std::fs::remove_file(t.join("g3/mentions.jsonl")).unwrap();
    let err = fails(
        t.entgraph()
            .args(["merge", "g0", "g3", "--out", "m"])
            .output()
            .unwrap(),
    );
    assert!(
        err.contains("g3/graph.json: no mentions.jsonl beside it"),
        "{err}"
    );
    let err = fails(
        t.entgraph()
            .args(["merge", "nowhere", "--out", "m"])
            .output()
            .unwrap(),
    );
    assert!(err.contains("nowhere: no such file"), "{err}");
    assert!(!t.join("m").exists());
}
