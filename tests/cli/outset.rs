//! The output set: `graph.sources` and `graph.set` in `graph.json`.

use crate::util::*;

/// SHA-256 of a file, as `sha256sum` prints it (computed by the library's own function, which a
/// doc test checks against the standard test vector).
fn sha256_of(path: &std::path::Path) -> String {
    entgraph::graph::sha256_hex(&std::fs::read(path).unwrap())
}

fn set_of(b: &Built) -> String {
    b.graph().graph["set"].as_str().unwrap().to_string()
}

/// Every document is listed by name, sorted, with the SHA-256 of its bytes; a lossy (not UTF-8)
/// document is hashed as read, not as decoded.
#[test]
fn graph_sources_name_and_hash_every_document() {
    let t = TestDir::new();
    t.write("in/b.txt", "Tom Cruise met Christopher McQuarrie.\n");
    t.write("in/a.txt", b"caf\xe9 in Paris with Tom Cruise.\n");
    t.write("in/c.md", "");
    let b = t.build("out", [t.join("in").as_os_str()]);
    let g = b.graph();
    let sources = g.graph["sources"].as_array().unwrap();
    let got: Vec<(String, String)> = sources
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap().to_string(),
                s["sha256"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let want: Vec<(String, String)> = ["a.txt", "b.txt", "c.md"]
        .iter()
        .map(|f| {
            let p = t.join("in").join(f);
            (p.display().to_string(), sha256_of(&p))
        })
        .collect();
    assert_eq!(got, want);
    assert_eq!(g.graph["documents"], 3);
}

/// The set id is the same for the same documents and options (any thread count), and changes
/// with a document's content, the window, the minimum weight or the dictionary.
#[test]
fn graph_set_follows_documents_and_options() {
    let t = TestDir::new();
    t.write(
        "in/a.txt",
        "Tom Cruise met Christopher McQuarrie in Paris.\n",
    );
    t.write("d/person.tsv", "Tom Cruise\nChristopher McQuarrie\n");
    let dict = [
        "--dict",
        t.join("d").to_str().unwrap().to_owned().leak(),
        "--no-rules",
    ];
    let input = t.join("in");
    let run = |out: &str, extra: &[&str]| {
        let mut args: Vec<std::ffi::OsString> = vec![input.clone().into()];
        args.extend(dict.iter().map(Into::into));
        args.extend(extra.iter().map(Into::into));
        set_of(&t.build(out, args))
    };
    let base = run("o1", &["-j", "1"]);
    assert_eq!(base.len(), 16);
    assert_eq!(run("o2", &["-j", "2"]), base);
    assert_ne!(run("o3", &["--window", "paragraph"]), base);
    assert_ne!(run("o4", &["--min-weight", "2"]), base);
    assert_ne!(run("o5", &["--ignore-case"]), base);
    t.write(
        "d/person.tsv",
        "Tom Cruise\nChristopher McQuarrie\nParis Hilton\n",
    );
    assert_ne!(run("o6", &[]), base);
    t.write("d/person.tsv", "Tom Cruise\nChristopher McQuarrie\n");
    t.write(
        "in/a.txt",
        "Tom Cruise met Christopher McQuarrie in Rome.\n",
    );
    assert_ne!(run("o7", &[]), base);
}

/// A small dictionary (no rules) in `t`, for fast builds.
fn small_dict(t: &TestDir) -> Vec<std::ffi::OsString> {
    t.write(
        "dict/person.tsv",
        "Tom Cruise\tCruise\nChristopher McQuarrie\tMcQuarrie\nHayley Atwell\n",
    );
    t.write("dict/place.tsv", "Paris\nRome\nVenice\n");
    vec!["--dict".into(), t.join("dict").into(), "--no-rules".into()]
}

/// Names of the files in `dir`, sorted.
fn names(dir: &std::path::Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Asserts that `dir` holds one whole set and no temporary file: graph.json, graph.dot and
/// mentions.jsonl all describe the same documents. Returns graph.json's set id.
fn assert_one_set(dir: &std::path::Path) -> String {
    let files = names(dir);
    assert_eq!(
        files,
        ["graph.dot", "graph.json", "mentions.jsonl"],
        "{}",
        dir.display()
    );
    let g: GraphJson = read_json(&dir.join("graph.json"));
    let sources: std::collections::BTreeSet<String> = g.graph["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_string())
        .collect();
    let mentions: Vec<Mention> =
        parse_jsonl(&std::fs::read_to_string(dir.join("mentions.jsonl")).unwrap());
    assert!(!mentions.is_empty());
    for m in &mentions {
        assert!(
            sources.contains(&m.doc),
            "mentions.jsonl names {} (sources {sources:?})",
            m.doc
        );
    }
    let mentioned: std::collections::BTreeSet<&str> =
        mentions.iter().map(|m| m.doc.as_str()).collect();
    assert_eq!(
        mentioned.len(),
        sources.len(),
        "every source has mentions in these tests"
    );
    let dot = DotGraph::parse(&std::fs::read_to_string(dir.join("graph.dot")).unwrap());
    let dot_ids: std::collections::BTreeSet<String> =
        dot.nodes.iter().map(|n| n.0.clone()).collect();
    assert_eq!(
        dot_ids,
        g.node_ids(),
        "graph.dot and graph.json have the same nodes"
    );
    assert_eq!(
        g.graph["mentions"].as_u64().unwrap() as usize,
        mentions.len()
    );
    g.graph["set"].as_str().unwrap().to_string()
}

/// After `build seeds`, `build other/ --formats svg` (or graphml without Graphviz) leaves only
/// the second build's files (graph.json always among them), and `stats` reports it; a file
/// entgraph does not write is left alone.
#[test]
fn build_formats_leave_no_stale_answers() {
    let t = TestDir::new();
    let out = t.join("output");
    t.build("output", seed_args());
    t.write("output/notes.txt", "mine");
    t.write(
        "other/a.txt",
        "Tom Cruise met Christopher McQuarrie in Paris.\n",
    );
    let format = if have_dot() {
        "svg"
    } else {
        skip(
            "build_formats_leave_no_stale_answers (svg)",
            "Graphviz's dot not found; graphml instead",
        );
        "graphml"
    };
    let mut args = vec![
        t.join("other").into_os_string(),
        "--formats".into(),
        format.into(),
    ];
    args.extend(seed_dict_args());
    t.build("output", args);
    let picture = if format == "svg" {
        "graph.svg"
    } else {
        "graph.graphml"
    };
    assert_eq!(
        names(&out),
        ["graph.json", picture, "mentions.jsonl", "notes.txt"]
    );
    let stats = ok(t
        .entgraph()
        .args(["stats", "--graph"])
        .arg(out.join("graph.json"))
        .output()
        .unwrap());
    let text = String::from_utf8(stats.stdout).unwrap();
    assert!(text.starts_with("documents   1\n"), "{text}");
}

/// `--no-wait` fails at once with exit 2 while another run holds the directory; without it a
/// build waits and then writes.
#[test]
fn build_lock_no_wait() {
    let t = TestDir::new();
    let dict = small_dict(&t);
    t.write(
        "in/a.txt",
        "Tom Cruise met Christopher McQuarrie in Paris.\n",
    );
    let out = t.join("out");
    std::fs::create_dir(&out).unwrap();
    let lock = std::fs::File::open(&out).unwrap();
    lock.lock().unwrap();
    let err = fails(
        t.entgraph()
            .arg("build")
            .arg(t.join("in"))
            .args(&dict)
            .arg("--out")
            .arg(&out)
            .arg("--no-wait")
            .output()
            .unwrap(),
    );
    assert!(
        err.contains("another entgraph run is writing into this directory"),
        "{err}"
    );
    assert!(names(&out).is_empty());
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_entgraph"))
        .current_dir(t.path())
        .arg("build")
        .arg(t.join("in"))
        .args(&dict)
        .arg("--out")
        .arg(&out)
        .arg("-q")
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(
        names(&out).iter().all(|n| n.starts_with(".entgraph-")),
        "it waits: {:?}",
        names(&out)
    );
    drop(lock);
    let status = wait(child);
    assert!(status.success());
    assert_one_set(&out);
}

fn wait(mut child: std::process::Child) -> std::process::ExitStatus {
    child.wait().unwrap()
}

/// Two builds of different inputs into one --out at the same time end with one whole set, 50
/// times.
#[test]
fn build_overlapping_runs_leave_one_set() {
    let t = TestDir::new();
    let dict = small_dict(&t);
    for (dir, text) in [
        ("a", "Tom Cruise met Christopher McQuarrie in Paris.\n"),
        ("b", "Hayley Atwell met Tom Cruise in Rome.\n"),
    ] {
        for i in 0..3 {
            t.write(format!("{dir}/{i}.txt"), text.repeat(200));
        }
    }
    let out = t.join("out");
    let spawn = |input: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_entgraph"))
            .current_dir(t.path())
            .arg("build")
            .arg(t.join(input))
            .args(&dict)
            .arg("--out")
            .arg(&out)
            .arg("-q")
            .spawn()
            .unwrap()
    };
    let mut sets = std::collections::BTreeSet::new();
    for _ in 0..50 {
        let (a, b) = (spawn("a"), spawn("b"));
        assert!(wait(a).success() && wait(b).success());
        sets.insert(assert_one_set(&out));
    }
    assert!(!sets.is_empty());
}

/// Input of about `mb` MB for a build that takes a while: many names in many sentences.
fn big_input(t: &TestDir, dir: &str, mb: usize) {
    let line = "Tom Cruise met Christopher McQuarrie in Paris, then Hayley Atwell in Rome. ";
    let doc = line.repeat(1 << 14);
    for i in 0..(mb * 1_000_000).div_ceil(doc.len()) {
        t.write(format!("{dir}/{i:03}.txt"), &doc);
    }
}

/// A build stopped by SIGINT or SIGTERM at several points exits 130 or 143 (or 0 when it was
/// done) and leaves the previous set, or the new one, whole, with no temporary file; one killed
/// by SIGKILL may leave temporary files, which the next build removes, and the next build's set
/// is whole.
#[test]
fn build_stopped_by_signals_leaves_a_whole_set() {
    let t = TestDir::new();
    let dict = small_dict(&t);
    t.write(
        "small/a.txt",
        "Tom Cruise met Christopher McQuarrie in Paris.\n",
    );
    big_input(&t, "big", 12);
    let out = t.join("out");
    let build = |input: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_entgraph"))
            .current_dir(t.path())
            .arg("build")
            .arg(t.join(input))
            .args(&dict)
            .args(["--out"])
            .arg(&out)
            .args(["-q", "-j", "2"])
            .spawn()
            .unwrap()
    };
    assert!(wait(build("big")).success());
    let big = assert_one_set(&out);
    assert!(wait(build("small")).success());
    let small = assert_one_set(&out);
    let mut stopped_early = 0;
    for (signal, code) in [("INT", 130), ("TERM", 143), ("KILL", -1)] {
        for delay_ms in [30, 150, 400, 900] {
            let child = build("big");
            std::thread::sleep(std::time::Duration::from_millis(delay_ms));
            let pid = child.id().to_string();
            let _ = std::process::Command::new("kill")
                .args([format!("-{signal}"), pid])
                .status();
            let status = wait(child);
            let finished = status.success();
            if !finished {
                stopped_early += 1;
            }
            if signal != "KILL" {
                assert!(
                    finished || status.code() == Some(code),
                    "SIG{signal} after {delay_ms} ms: {status:?}"
                );
                let set = assert_one_set(&out);
                // A signal that comes once the new set is in place still exits 130 or 143.
                assert!(
                    set == small || set == big,
                    "SIG{signal} after {delay_ms} ms: the previous set or the new one"
                );
            }
            // The next build removes what a killed one left, and writes a whole set.
            assert!(wait(build("small")).success());
            assert_eq!(assert_one_set(&out), small);
        }
    }
    assert!(
        stopped_early >= 6,
        "most signals came during the run ({stopped_early} of 12)"
    );
}

/// A build that runs out of space (a 1 MB tmpfs, where the test can mount one) fails with exit
/// 2 and leaves the previous set whole and no temporary file.
#[test]
fn build_disk_full_keeps_the_previous_set() {
    let t = TestDir::new();
    let dict = small_dict(&t);
    let mnt = t.join("mnt");
    std::fs::create_dir(&mnt).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=1m", "tmpfs"])
        .arg(&mnt)
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        note(
            "build_disk_full_keeps_the_previous_set skipped: cannot mount a tmpfs here (not root?)",
        );
        return;
    }
    struct Unmount(std::path::PathBuf);
    impl Drop for Unmount {
        fn drop(&mut self) {
            let _ = std::process::Command::new("umount").arg(&self.0).status();
        }
    }
    let _unmount = Unmount(mnt.clone());
    let out = mnt.join("out");
    t.write(
        "small/a.txt",
        "Tom Cruise met Christopher McQuarrie in Paris.\n",
    );
    big_input(&t, "big", 1);
    let run = |input: &str| {
        t.entgraph()
            .arg("build")
            .arg(t.join(input))
            .args(&dict)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap()
    };
    ok(run("small"));
    let before: Vec<Vec<u8>> = ["graph.dot", "graph.json", "mentions.jsonl"]
        .iter()
        .map(|f| std::fs::read(out.join(f)).unwrap())
        .collect();
    let err = fails(run("big"));
    assert!(err.contains("no space left on device"), "{err}");
    assert_one_set(&out);
    let after: Vec<Vec<u8>> = ["graph.dot", "graph.json", "mentions.jsonl"]
        .iter()
        .map(|f| std::fs::read(out.join(f)).unwrap())
        .collect();
    assert!(before == after, "the previous set is untouched");
}
