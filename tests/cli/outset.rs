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
