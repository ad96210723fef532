//! A binary with no source tree around it: the built-in dictionaries, word lists and rules,
//! `entgraph dictionaries` (list, --export), and the generated shell completions and man page.

use std::path::Path;

use crate::util::*;

/// The repository's `dictionaries/` files that are built into the binary, sorted by name.
fn shipped_files() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(repo().join("dictionaries"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.is_file()
                && p.extension()
                    .is_some_and(|x| ["tsv", "txt", "toml", "md"].iter().any(|k| x == *k))
        })
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Copies the repository's seeds into `dir/seeds`.
fn copy_seeds(t: &TestDir) {
    for e in std::fs::read_dir(seeds_dir()).unwrap() {
        let p = e.unwrap().path();
        t.write(
            Path::new("seeds").join(p.file_name().unwrap()),
            std::fs::read(&p).unwrap(),
        );
    }
}

#[test]
fn install_copied_binary_builds_the_seeds_with_builtin_dictionaries() {
    // The binary copied into an empty directory, far from the source tree, run from there.
    let t = TestDir::new();
    copy_seeds(&t);
    let bin = t.join("bin/entgraph");
    std::fs::create_dir_all(bin.parent().unwrap()).unwrap();
    std::fs::copy(env!("CARGO_BIN_EXE_entgraph"), &bin).unwrap();
    assert!(!t.join("dictionaries").exists());
    let mut cmd = entgraph(t.path());
    let out = ok(std::process::Command::new(&bin)
        .current_dir(t.path())
        .envs(cmd.get_envs().filter_map(|(k, v)| v.map(|v| (k, v))))
        .args(["build", "seeds", "--out", "g"])
        .output()
        .unwrap());
    let _ = &mut cmd;
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("dictionary (built in)"), "{stderr}");
    for file in ["graph.json", "mentions.jsonl", "graph.dot"] {
        assert!(
            std::fs::read(t.join("g").join(file)).unwrap()
                == std::fs::read(repo().join("output").join(file)).unwrap(),
            "g/{file} is the repository's output/{file}"
        );
    }
}

#[test]
fn install_dictionaries_lists_and_exports_the_builtin_files() {
    let t = TestDir::new();
    let listing =
        String::from_utf8(ok(t.entgraph().arg("dictionaries").output().unwrap()).stdout).unwrap();
    let shipped = shipped_files();
    assert!(shipped.iter().any(|f| f == "patterns.toml"));
    for name in &shipped {
        assert!(
            listing.lines().any(|l| l.starts_with(name.as_str())),
            "{name} listed:\n{listing}"
        );
    }
    ok(t.entgraph()
        .args(["dictionaries", "--export", "mine"])
        .output()
        .unwrap());
    let mut written: Vec<String> = std::fs::read_dir(t.join("mine"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    assert_eq!(written, shipped, "every built-in file, nothing else");
    for name in &shipped {
        assert!(
            std::fs::read(t.join("mine").join(name)).unwrap()
                == std::fs::read(repo().join("dictionaries").join(name)).unwrap(),
            "{name} written byte for byte"
        );
    }
    // The exported files give the same graph as the built-in ones.
    let builtin = t.build("a", [seeds_dir()]);
    let exported = t.build(
        "b",
        [
            seeds_dir().into_os_string(),
            "--dict".into(),
            t.join("mine").into_os_string(),
            "--rules".into(),
            t.join("mine/patterns.toml").into_os_string(),
        ],
    );
    assert!(
        std::fs::read(builtin.dir.join("graph.json")).unwrap()
            == std::fs::read(exported.dir.join("graph.json")).unwrap()
    );
    // A second export would overwrite: refused, unless --force.
    let msg = fails(
        t.entgraph()
            .args(["dictionaries", "--export", "mine"])
            .output()
            .unwrap(),
    );
    assert!(
        msg.starts_with("entgraph: mine/") && msg.contains("already exists (add --force"),
        "{msg}"
    );
    ok(t.entgraph()
        .args(["dictionaries", "--export", "mine", "--force"])
        .output()
        .unwrap());
}

/// The subcommands, from `entgraph --help`.
fn subcommands(t: &TestDir) -> Vec<String> {
    let help = String::from_utf8(ok(t.entgraph().arg("--help").output().unwrap()).stdout).unwrap();
    let names: Vec<String> = help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter(|l| !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|n| n != "help")
        .collect();
    assert!(names.len() >= 10, "the commands in --help: {names:?}");
    names
}

#[test]
fn install_completions_and_man_page_name_every_subcommand() {
    let t = TestDir::new();
    let names = subcommands(&t);
    for shell in ["bash", "zsh", "fish"] {
        let out = ok(t.entgraph().args(["completions", shell]).output().unwrap());
        let script = String::from_utf8(out.stdout).unwrap();
        assert!(script.len() > 1000, "{shell}: a whole script");
        for name in &names {
            assert!(script.contains(name.as_str()), "{shell} completes {name}");
        }
        assert!(script.contains("formats"), "{shell} completes options");
    }
    let msg = fails(t.entgraph().args(["completions", "tcsh"]).output().unwrap());
    assert!(
        msg.contains("possible values") && msg.contains("bash"),
        "{msg}"
    );
    let man = String::from_utf8(ok(t.entgraph().arg("man").output().unwrap()).stdout).unwrap();
    assert!(
        man.starts_with(".ie") || man.contains(".TH entgraph"),
        "a roff page"
    );
    for name in &names {
        assert!(
            man.contains(&format!(".SH \"ENTGRAPH {}\"", name.to_uppercase())),
            "the man page has a section for {name}"
        );
    }
    assert!(man.contains("min\\-weight"), "and their options");
}
