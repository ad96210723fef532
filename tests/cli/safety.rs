//! Careful with what it overwrites and what it reads: `export -o` to FIFOs, devices and links;
//! special files in input directories; names with control characters; dictionary slug
//! collisions; files too large; bad saved graphs.

use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::Path;
use std::time::{Duration, Instant};

use crate::util::*;

fn mkfifo(path: &Path) -> bool {
    std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
}

fn export_o(t: &TestDir, target: &Path) -> std::process::Output {
    t.entgraph()
        .args(["export", "--format", "dot", "--graph"])
        .arg(fixture("hostile-names/graph.json"))
        .arg("-o")
        .arg(target)
        .arg("-q")
        .output()
        .unwrap()
}

/// `export -o` to a FIFO writes into it (a reader gets the DOT) and leaves a FIFO.
#[test]
fn safety_export_to_fifo() {
    let t = TestDir::new();
    let fifo = t.join("pipe");
    assert!(mkfifo(&fifo), "mkfifo");
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    ok(export_o(&t, &fifo));
    let got = reader.join().unwrap();
    assert!(got.starts_with("graph entgraph {"), "{got:.60}");
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );
    let names: Vec<_> = std::fs::read_dir(t.path()).unwrap().collect();
    assert_eq!(names.len(), 1, "no temporary file beside it");
}

/// `export -o` to a character device (a null device made with mknod, where the test may), or to
/// a symbolic link to one, writes into it and leaves it a device.
#[test]
fn safety_export_to_char_device_and_link() {
    let t = TestDir::new();
    let dev = t.join("null");
    let made = std::process::Command::new("mknod")
        .arg(&dev)
        .args(["c", "1", "3"])
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        note("safety_export_to_char_device_and_link skipped: cannot mknod here (not root?)");
        return;
    }
    let link = t.join("link");
    std::os::unix::fs::symlink(&dev, &link).unwrap();
    for target in [&dev, &link] {
        ok(export_o(&t, target));
        assert!(
            std::fs::metadata(&dev)
                .unwrap()
                .file_type()
                .is_char_device()
        );
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
    }
    assert_eq!(std::fs::read_dir(t.path()).unwrap().count(), 2);
}

/// A regular file rewritten keeps its permission bits; a link to a regular file stays a link and
/// its target gets the new bytes.
#[test]
fn safety_export_keeps_mode_and_links() {
    let t = TestDir::new();
    let file = t.write("g.dot", "old");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    ok(export_o(&t, &file));
    let meta = std::fs::metadata(&file).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .starts_with("graph entgraph {")
    );
    let link = t.join("l.dot");
    std::os::unix::fs::symlink(&file, &link).unwrap();
    std::fs::write(&file, "old").unwrap();
    ok(export_o(&t, &link));
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .starts_with("graph entgraph {")
    );
}

/// A FIFO in an input directory is skipped with a warning, and the run does not wait on it.
#[test]
fn safety_fifo_in_input_directory_is_skipped() {
    let t = TestDir::new();
    t.write("in/a.txt", "Tom Cruise met Christopher McQuarrie.\n");
    assert!(mkfifo(&t.join("in/b.txt")));
    std::os::unix::fs::symlink(t.join("in/b.txt"), t.join("in/c.txt")).unwrap();
    t.write("d/person.tsv", "Tom Cruise\nChristopher McQuarrie\n");
    let started = Instant::now();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_entgraph"))
        .current_dir(t.path())
        .args(["build", "in", "--dict", "d", "--no-rules", "--out", "out"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if started.elapsed() > Duration::from_secs(20) {
            child.kill().unwrap();
            panic!("the build waits on the FIFO");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(status.success(), "{stderr}");
    assert!(
        stderr.contains("in/b.txt: a FIFO, not a regular file; skipped")
            && stderr.contains("in/c.txt: a FIFO, not a regular file; skipped"),
        "{stderr}"
    );
    assert!(stderr.contains("read 1 document"), "{stderr}");
}

/// Control characters in a file name are escaped in warnings.
#[test]
fn safety_control_characters_escaped() {
    let t = TestDir::new();
    t.write("in/a.txt", "Tom Cruise met Christopher McQuarrie.\n");
    t.write("in/b\n\u{1b}[31m.txt", b"\0binary");
    t.write("d/person.tsv", "Tom Cruise\nChristopher McQuarrie\n");
    let out = ok(t
        .entgraph()
        .args(["build", "in", "--dict", "d", "--no-rules", "--out", "out"])
        .output()
        .unwrap());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("in/b\\n\\u{1b}[31m.txt: binary file skipped"),
        "{stderr}"
    );
    assert!(!stderr.contains('\u{1b}'));
}

/// Names that give one id warn, naming both lines; over-long names are skipped with a warning.
#[test]
fn safety_dictionary_slug_collision_and_long_name() {
    let t = TestDir::new();
    t.write("in/a.txt", "Tom Cruise met TOM CRUISE.\n");
    let long = "X".repeat(1001);
    t.write(
        "d/person.tsv",
        format!("Tom Cruise\nTOM CRUISE\nTom-Cruise\n{long}\nAnn Lee\t{long}\n"),
    );
    let out = ok(t
        .entgraph()
        .args(["build", "in", "--dict", "d", "--no-rules", "--out", "out"])
        .output()
        .unwrap());
    let stderr = String::from_utf8(out.stderr).unwrap();
    for want in [
        "d/person.tsv:2: 'TOM CRUISE' has the id person:tom-cruise of 'Tom Cruise' (d/person.tsv:1): mentions of both count as one entity",
        "d/person.tsv:3: 'Tom-Cruise' has the id person:tom-cruise of 'Tom Cruise' (d/person.tsv:1)",
        "d/person.tsv:4: name longer than 1000 bytes (1001 bytes); line skipped",
        "d/person.tsv:5: alias longer than 1000 bytes ignored",
    ] {
        assert!(stderr.contains(want), "{want}\n{stderr}");
    }
}

/// A dictionary or rules file over its limit is refused before it is read whole (a sparse file
/// says its size; /dev/zero never ends).
#[test]
fn safety_oversized_dictionary_and_rules_refused() {
    let t = TestDir::new();
    t.write("in/a.txt", "Tom Cruise.\n");
    let big = std::fs::File::create(t.join("person.tsv")).unwrap();
    big.set_len(600 << 20).unwrap();
    let err = fails(
        t.entgraph()
            .args([
                "build",
                "in",
                "--dict",
                "person.tsv",
                "--no-rules",
                "--out",
                "out",
            ])
            .output()
            .unwrap(),
    );
    assert!(
        err.contains("person.tsv: larger than the 512 MiB a dictionary file may be"),
        "{err}"
    );
    t.write("d/person.tsv", "Tom Cruise\n");
    let err = fails(
        t.entgraph()
            .args([
                "build",
                "in",
                "--dict",
                "d",
                "--rules",
                "/dev/zero",
                "--out",
                "out",
            ])
            .output()
            .unwrap(),
    );
    assert!(
        err.contains("/dev/zero: larger than the 16 MiB a rules file may be"),
        "{err}"
    );
    assert!(!t.join("out").exists());
}

/// Each bad saved graph is refused by the queries and export, naming the file and the link.
#[test]
fn safety_bad_graph_json_refused() {
    let t = TestDir::new();
    let graph = |links: &str| {
        format!(
            r#"{{"directed": false, "multigraph": false,
            "graph": {{"window": "sentence", "documents": 1, "mentions": 2, "min_weight": 1}},
            "nodes": [{{"id": "a", "label": "A", "type": "t", "mentions": 1, "documents": []}},
                      {{"id": "b", "label": "B", "type": "t", "mentions": 1, "documents": []}},
                      {{"id": "c", "label": "C", "type": "t", "mentions": 1, "documents": []}}],
            "links": [{links}]}}"#
        )
    };
    let link = |s: &str, t: &str, w: &str| {
        format!(r#"{{"source": "{s}", "target": "{t}", "weight": {w}, "evidence": []}}"#)
    };
    for (i, (links, want)) in [
        (
            link("a", "b", "0"),
            "link 0 (a -- b): weight 0 is not a positive integer",
        ),
        (
            link("a", "b", "2.5"),
            "link 0 (a -- b): weight 2.5 is not a positive integer",
        ),
        (
            format!("{},{}", link("a", "b", "1"), link("a", "b", "1")),
            "link 1 (a -- b): links the same nodes as link 0",
        ),
        (
            format!(
                "{},{}",
                link("a", "b", &u64::MAX.to_string()),
                link("b", "c", "1")
            ),
            "link 1 (b -- c): the total of the weights so far overflows 64 bits",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let path = t.write(format!("g{i}.json"), graph(&links));
        for args in [
            vec!["stats", "--graph"],
            vec!["export", "--format", "dot", "-o", "-", "--graph"],
        ] {
            let err = fails(t.entgraph().args(&args).arg(&path).output().unwrap());
            assert!(
                err.contains(&format!("g{i}.json: {want}")),
                "{args:?}: {err}"
            );
        }
    }
}

/// A file below a path longer than PATH_MAX is named in a warning, not lost in silence.
#[test]
fn safety_path_past_path_max_is_named() {
    let t = TestDir::new();
    t.write("in/a.txt", "Tom Cruise met Christopher McQuarrie.\n");
    t.write("d/person.tsv", "Tom Cruise\nChristopher McQuarrie\n");
    let long = "d".repeat(200);
    let script = format!(
        "cd in && for i in $(seq 1 25); do mkdir {long} && cd -P {long} || exit 1; done && echo 'Tom Cruise.' > deep.txt"
    );
    let made = std::process::Command::new("sh")
        .arg("-c")
        .arg(&script)
        .current_dir(t.path())
        .status()
        .unwrap();
    assert!(made.success());
    let out = ok(t
        .entgraph()
        .args(["build", "in", "--dict", "d", "--no-rules", "--out", "out"])
        .output()
        .unwrap());
    let stderr = String::from_utf8(out.stderr).unwrap();
    let warning = stderr
        .lines()
        .find(|l| l.contains("File name too long"))
        .unwrap_or_else(|| panic!("{stderr}"));
    assert!(
        warning.contains(&format!("{long}/{long}")),
        "{warning:.200}"
    );
    assert!(!stderr.contains("no *.txt or *.md files"), "{stderr:.300}");
}
