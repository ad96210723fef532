//! Errors: exit code 2, one line `entgraph: <msg>` naming the file (and line, and rule), nothing on
//! stdout, and no output file created or changed.

use std::path::PathBuf;

use crate::util::*;

/// Runs `entgraph build ARGS --out out` in a fresh directory holding `files`; asserts it fails
/// cleanly and wrote nothing; returns the message and the directory.
fn build_fails(files: &[(&str, &[u8])], args: &[&str]) -> (String, TestDir) {
    let t = TestDir::new();
    for (name, contents) in files {
        t.write(name, contents);
    }
    let before = t.listing();
    let msg = fails(
        t.entgraph()
            .arg("build")
            .args(args)
            .args(["--out", "out"])
            .output()
            .unwrap(),
    );
    assert_eq!(
        t.listing(),
        before,
        "no file or directory was created ({msg})"
    );
    (msg, t)
}

/// Same for `entgraph extract ARGS`.
fn extract_fails(files: &[(&str, &[u8])], args: &[&str]) -> (String, TestDir) {
    let t = TestDir::new();
    for (name, contents) in files {
        t.write(name, contents);
    }
    let before = t.listing();
    let msg = fails(t.entgraph().arg("extract").args(args).output().unwrap());
    assert_eq!(
        t.listing(),
        before,
        "no file or directory was created ({msg})"
    );
    (msg, t)
}

fn basic_dict() -> String {
    fixture("basic/dict").to_string_lossy().into_owned()
}

const DOC: (&str, &[u8]) = ("doc.txt", b"Tom Cruise met Christopher McQuarrie.\n");

#[test]
fn errors_missing_input_path() {
    let dict = basic_dict();
    for args in [
        vec!["missing.txt"],
        vec!["doc.txt", "missing.txt"],
        vec!["no/such/dir"],
    ] {
        let missing = args.last().unwrap().to_string();
        let mut full = args.clone();
        full.extend(["--dict", &dict, "--no-rules"]);
        let (msg, _) = build_fails(&[DOC], &full);
        assert!(msg.contains(&missing), "the message names {missing}: {msg}");
        let (msg, _) = extract_fails(&[DOC], &full);
        assert!(msg.contains(&missing), "the message names {missing}: {msg}");
    }
}

#[test]
fn errors_missing_dictionary_path() {
    let (msg, _) = build_fails(&[DOC], &["doc.txt", "--dict", "nope.tsv", "--no-rules"]);
    assert!(msg.contains("nope.tsv"), "{msg}");
    let (msg, _) = build_fails(
        &[DOC],
        &["doc.txt", "--dict", &basic_dict(), "--rules", "nope.toml"],
    );
    assert!(msg.contains("nope.toml"), "{msg}");
}

#[test]
fn errors_dictionary_invalid_utf8_names_line() {
    let dict: &[u8] =
        b"# people\nTom Cruise\tCruise\nBad \xff\xfe Name\tAlias\nChristopher McQuarrie\n";
    for args in [
        &["doc.txt", "--dict", "person.tsv", "--no-rules"][..],
        &["doc.txt", "--dict", ".", "--no-rules"][..],
    ] {
        let (msg, _) = build_fails(&[DOC, ("person.tsv", dict)], args);
        assert!(
            msg.contains("person.tsv:3:"),
            "the message names file and line 3: {msg}"
        );
        let (msg, _) = extract_fails(&[DOC, ("person.tsv", dict)], args);
        assert!(
            msg.contains("person.tsv:3:"),
            "the message names file and line 3: {msg}"
        );
    }
}

/// `fixtures/bad-rules/invalid-regex.toml`: rule 'broken' starts on line 7, its pattern is on line 10.
#[test]
fn errors_rules_invalid_regex_names_rule() {
    let rules = fixture("bad-rules/invalid-regex.toml");
    let r = rules.to_string_lossy();
    let (msg, _) = build_fails(&[DOC], &["doc.txt", "--dict", &basic_dict(), "--rules", &r]);
    let line = (7..=10).find(|l| msg.contains(&format!("{r}:{l}: rule 'broken'")));
    assert!(
        line.is_some(),
        "expected '{r}:<7..10>: rule 'broken'' in {msg}"
    );
    let (msg2, _) = extract_fails(&[DOC], &["doc.txt", "--dict", &basic_dict(), "--rules", &r]);
    assert_eq!(msg2, msg);
}

/// `fixtures/bad-rules/unknown-key.toml`: the misspelt key `patern` is on line 5 (its rule on line 2).
#[test]
fn errors_rules_unknown_key_names_line() {
    let rules = fixture("bad-rules/unknown-key.toml");
    let r = rules.to_string_lossy();
    let (msg, _) = build_fails(&[DOC], &["doc.txt", "--dict", &basic_dict(), "--rules", &r]);
    let line = [5, 2]
        .into_iter()
        .find(|l| msg.contains(&format!("{r}:{l}:")));
    assert!(line.is_some(), "expected '{r}:5:' in {msg}");
    assert!(msg.contains("patern"), "the message names the key: {msg}");
}

#[test]
fn errors_out_is_regular_file_left_unchanged() {
    let t = TestDir::new();
    t.write(DOC.0, DOC.1);
    let out: PathBuf = t.write("precious.txt", "precious\n");
    let before = t.listing();
    let msg = fails(
        t.entgraph()
            .args([
                "build",
                "doc.txt",
                "--dict",
                &basic_dict(),
                "--no-rules",
                "--out",
                "precious.txt",
            ])
            .output()
            .unwrap(),
    );
    assert!(msg.contains("precious.txt"), "names the path: {msg}");
    assert_eq!(
        std::fs::read(&out).unwrap(),
        b"precious\n",
        "the file is unchanged"
    );
    assert_eq!(t.listing(), before, "nothing else was created");
}

#[test]
fn errors_usage_exits_2() {
    let t = TestDir::new();
    t.write(DOC.0, DOC.1);
    let before = t.listing();
    for args in [
        &["build", "doc.txt", "--window", "chapter"][..],
        &["build", "doc.txt", "--min-weight", "0"],
        &["build", "doc.txt", "--min-weight", "x"],
        &["extract", "doc.txt", "--format", "xml"],
        &["extract", "doc.txt", "--min-weight", "2"],
        &["frobnicate"],
    ] {
        let out = t.entgraph().args(args).output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            out.stdout.is_empty() && !out.stderr.is_empty(),
            "{args:?}: the message goes to stderr"
        );
    }
    assert_eq!(t.listing(), before, "nothing was created");
}

/// Inputs that exist but hold no readable document (an empty directory, a binary file) are an
/// input error like a missing path: one line naming the input, and no output directory.
#[test]
fn errors_no_readable_document_build() {
    for (files, input) in [
        (&[("empty/.keep", &b""[..])][..], "empty"),
        (&[("bin.txt", &b"\x00\x01\x02"[..])][..], "bin.txt"),
    ] {
        let (msg, _) = build_fails(files, &[input, "--dict", &basic_dict(), "--no-rules"]);
        assert!(msg.contains(input), "the message names {input}: {msg}");
    }
}

#[test]
fn errors_no_readable_document_extract() {
    for (files, input) in [
        (&[("empty/.keep", &b""[..])][..], "empty"),
        (&[("bin.txt", &b"\x00\x01\x02"[..])][..], "bin.txt"),
    ] {
        let (msg, _) = extract_fails(files, &[input, "--dict", &basic_dict(), "--no-rules"]);
        assert!(msg.contains(input), "the message names {input}: {msg}");
    }
}

/// Usage errors follow the same contract as input errors: one line `entgraph: <msg>`.
#[test]
fn errors_usage_message_is_one_line() {
    let t = TestDir::new();
    for args in [
        &["build", "--window", "chapter"][..],
        &["build", "--min-weight", "0"],
        &["extract", "--format", "xml"],
    ] {
        let msg = fails(t.entgraph().args(args).output().unwrap());
        assert!(
            msg.contains(args[2]),
            "{args:?}: the message names the bad value: {msg}"
        );
    }
}
