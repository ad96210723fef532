//! Usage and path errors keep their substance on one line: the missing argument's name, the valid
//! values, clap's suggestion, and which help to read; every error about a path reads
//! `entgraph: PATH: what is wrong (what to do)`.

use crate::util::*;

/// The one error line of `entgraph ARGS` run in `t` (exit 2, nothing on stdout).
fn error_of(t: &TestDir, args: &[&str]) -> String {
    fails(t.entgraph().args(args).output().unwrap())
}

#[test]
fn usage_missing_argument_is_named() {
    let t = TestDir::new();
    let msg = error_of(&t, &["connect", "Tom Cruise"]);
    assert_eq!(
        msg,
        "entgraph: the following required arguments were not provided: <B> (see entgraph connect --help)"
    );
}

#[test]
fn usage_invalid_value_lists_the_valid_ones() {
    let t = TestDir::new();
    let msg = error_of(&t, &["stats", "--format", "csv"]);
    assert_eq!(
        msg,
        "entgraph: invalid value 'csv' for '--format <FORMAT>' [possible values: text, json] (see entgraph stats --help)"
    );
    let msg = error_of(&t, &["build", "--formats", "dot,svgg"]);
    assert!(
        msg.contains("'svgg'") && msg.contains("dot, json, graphml"),
        "{msg}"
    );
}

#[test]
fn usage_suggests_the_closest_subcommand_and_option() {
    let t = TestDir::new();
    assert_eq!(
        error_of(&t, &["biuld"]),
        "entgraph: unrecognized subcommand 'biuld'; did you mean 'build'? (see entgraph --help)"
    );
    assert_eq!(
        error_of(&t, &["build", "--formatz", "dot"]),
        "entgraph: unexpected argument '--formatz' found; did you mean '--formats'? (see entgraph build --help)"
    );
}

#[test]
fn usage_path_errors_have_one_style() {
    let t = TestDir::new();
    t.write("doc.txt", "Tom Cruise met Christopher McQuarrie.\n");
    t.write("file", "not a directory\n");
    t.write("output/graph.json", "{}");
    // (arguments, the path named, the hint's words)
    let cases: &[(&[&str], &str, &str)] = &[
        (
            &["stats", "--graph", "nosuch.json"],
            "nosuch.json",
            "--graph",
        ),
        (
            &[
                "export",
                "--graph",
                "nosuch.json",
                "--format",
                "dot",
                "-o",
                "x.dot",
            ],
            "nosuch.json",
            "--graph",
        ),
        (&["build", "nosuch"], "nosuch", "INPUT"),
        (&["extract", "doc.txt", "nosuch.md"], "nosuch.md", "INPUT"),
        (
            &["build", "doc.txt", "--dict", "nope.tsv"],
            "nope.tsv",
            "--dict",
        ),
        (
            &["build", "doc.txt", "--rules", "nope.toml"],
            "nope.toml",
            "--rules",
        ),
        (&["build", "doc.txt", "--out", "file"], "file", "--out"),
        (&["eval", "--gold", "nosuch", "doc.txt"], "nosuch", "--gold"),
    ];
    for (args, path, hint) in cases {
        let msg = error_of(&t, args);
        let rest = msg
            .strip_prefix(&format!("entgraph: {path}: "))
            .unwrap_or_else(|| panic!("{args:?}: starts with the path: {msg}"));
        let (what, todo) = rest
            .split_once(" (")
            .unwrap_or_else(|| panic!("{args:?}: what is wrong (what to do): {msg}"));
        assert!(!what.is_empty() && todo.ends_with(')'), "{args:?}: {msg}");
        assert!(
            todo.contains(hint),
            "{args:?}: the hint names {hint}: {msg}"
        );
        assert!(
            !msg.contains("os error") && !msg.contains("No such"),
            "{msg}"
        );
    }
    // The default graph missing: what to run first.
    let empty = TestDir::new();
    assert_eq!(
        error_of(&empty, &["stats"]),
        "entgraph: output/graph.json: no such file or directory (run `entgraph build` first, or give --graph FILE or INPUT files)"
    );
}
