//! The test harness: a fresh directory per test, the real `entgraph` binary run in a scrubbed
//! environment, typed decoding of what it writes (JSONL mentions, node-link JSON, DOT), and the
//! policy for tests that need outside tools (`dot`, a Python with networkx).

use std::collections::BTreeSet;
use std::ffi::{OsStr, OsString};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::Once;

use assert_cmd::Command;
use serde::Deserialize;
use serde::de::DeserializeOwned;

/// The repository root.
pub fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The repository's `seeds/` directory (absolute).
pub fn seeds_dir() -> PathBuf {
    repo().join("seeds")
}

/// `tests/fixtures/<rel>` (absolute); panics when it does not exist.
pub fn fixture(rel: &str) -> PathBuf {
    let p = repo().join("tests/fixtures").join(rel);
    assert!(p.exists(), "missing fixture {}", p.display());
    p
}

/// A fresh, empty directory, deleted when dropped. Every test gets its own and runs the binary in it,
/// so a default `output/` or `dictionaries/` can never come from or land in the repository.
pub struct TestDir {
    dir: tempfile::TempDir,
}

impl TestDir {
    /// A new empty directory.
    pub fn new() -> TestDir {
        TestDir {
            dir: tempfile::Builder::new()
                .prefix("entgraph-test-")
                .tempdir()
                .expect("create a temp dir"),
        }
    }

    /// Its path.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A path inside it.
    pub fn join(&self, rel: impl AsRef<Path>) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Writes a file (creating parent directories) and returns its path.
    pub fn write(&self, rel: impl AsRef<Path>, contents: impl AsRef<[u8]>) -> PathBuf {
        let p = self.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, contents).unwrap();
        p
    }

    /// The `entgraph` command, run in this directory with a scrubbed environment.
    pub fn entgraph(&self) -> Command {
        entgraph(self.path())
    }

    /// Every file and directory below it, relative and sorted (to prove nothing was written).
    pub fn listing(&self) -> Vec<PathBuf> {
        fn walk(base: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
            for e in std::fs::read_dir(dir).unwrap() {
                let p = e.unwrap().path();
                out.push(p.strip_prefix(base).unwrap().to_path_buf());
                if p.is_dir() {
                    walk(base, &p, out);
                }
            }
        }
        let mut out = Vec::new();
        walk(self.path(), self.path(), &mut out);
        out.sort();
        out
    }

    /// Runs `entgraph build ARGS --out <dir>/<out>`, asserts success, and returns what it wrote.
    pub fn build<I, S>(&self, out: &str, args: I) -> Built
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let dir = self.join(out);
        let output = self
            .entgraph()
            .arg("build")
            .args(args)
            .arg("--out")
            .arg(&dir)
            .output()
            .unwrap();
        let output = ok(output);
        Built {
            dir,
            stderr: String::from_utf8(output.stderr).unwrap(),
        }
    }
}

/// `entgraph` run in `cwd`, without the variables that could change its behaviour
/// (`ENTGRAPH_*`, `NO_COLOR`), as bat's tests do.
pub fn entgraph(cwd: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_entgraph"));
    cmd.current_dir(cwd);
    for (key, _) in std::env::vars_os() {
        let k = key.to_string_lossy();
        if k.starts_with("ENTGRAPH_") || k == "NO_COLOR" {
            cmd.env_remove(&key);
        }
    }
    // Compiled dictionaries are cached under the test target, not in the user's cache.
    cmd.env(
        "ENTGRAPH_CACHE_DIR",
        concat!(env!("CARGO_TARGET_TMPDIR"), "/dict-cache"),
    );
    cmd
}

/// Asserts that a run exited 0 and returns its output; otherwise panics showing stderr.
pub fn ok(output: Output) -> Output {
    assert!(
        output.status.success(),
        "entgraph failed with {}\n--- stderr ---\n{}\n--- stdout ---\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr),
        String::from_utf8_lossy(&output.stdout)
    );
    output
}

/// Asserts that a run exited 2 with nothing on stdout and one error line on stderr starting
/// `entgraph: ` (after any `entgraph: warning: ` lines); returns that line.
pub fn fails(output: Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(2), "exit code; stderr: {stderr}");
    assert!(
        output.stdout.is_empty(),
        "nothing on stdout on error, got {:?}",
        String::from_utf8_lossy(&output.stdout)
    );
    let lines: Vec<&str> = stderr
        .lines()
        .filter(|l| !l.starts_with("entgraph: warning: "))
        .collect();
    assert_eq!(lines.len(), 1, "one error line on stderr, got {stderr:?}");
    assert!(
        lines[0].starts_with("entgraph: "),
        "message starts with 'entgraph: ': {stderr:?}"
    );
    assert!(
        stderr.trim_end().ends_with(lines[0]),
        "the error is the last line: {stderr:?}"
    );
    lines[0].to_string()
}

/// What `entgraph build` wrote.
pub struct Built {
    /// The output directory.
    pub dir: PathBuf,
    /// The summary printed on stderr.
    pub stderr: String,
}

impl Built {
    /// `graph.json`, decoded.
    pub fn graph(&self) -> GraphJson {
        read_json(&self.dir.join("graph.json"))
    }
    /// `mentions.jsonl`, decoded.
    pub fn mentions(&self) -> Vec<Mention> {
        parse_jsonl(&std::fs::read_to_string(self.dir.join("mentions.jsonl")).unwrap())
    }
    /// `graph.dot`, parsed loosely.
    pub fn dot(&self) -> DotGraph {
        DotGraph::parse(&std::fs::read_to_string(self.dir.join("graph.dot")).unwrap())
    }
}

/// The dictionary options that give the seed facts: the shipped `dictionaries/` and
/// `dictionaries/patterns.toml`, named explicitly, when `dictionaries/*.tsv` exist; else the
/// stand-in `tests/fixtures/seed-facts/dict` and no rules (printing a note once).
pub fn seed_dict_args() -> Vec<OsString> {
    let dir = repo().join("dictionaries");
    let shipped = std::fs::read_dir(&dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .any(|e| e.path().extension().is_some_and(|x| x == "tsv"))
        })
        .unwrap_or(false);
    if shipped {
        let rules = dir.join("patterns.toml");
        let mut args: Vec<OsString> = vec!["--dict".into(), dir.into()];
        if rules.exists() {
            args.extend(["--rules".into(), rules.into()]);
        }
        return args;
    }
    static NOTE: Once = Once::new();
    NOTE.call_once(|| note("dictionaries/*.tsv not found: the seeds tests use tests/fixtures/seed-facts/dict with --no-rules"));
    vec![
        "--dict".into(),
        fixture("seed-facts/dict").into(),
        "--no-rules".into(),
    ]
}

/// Arguments for a build of the seeds: the absolute `seeds/` path and [`seed_dict_args`].
pub fn seed_args() -> Vec<OsString> {
    let mut args: Vec<OsString> = vec![seeds_dir().into()];
    args.extend(seed_dict_args());
    args
}

/// One line of `mentions.jsonl` / `extract --format jsonl`: exactly these fields.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mention {
    pub doc: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub entity: String,
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub source: String,
}

/// One line of `extract --format jsonl --explain`: a mention plus where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExplainedMention {
    pub doc: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub entity: String,
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub source: String,
    pub origin: String,
    pub beat: Vec<String>,
}

/// `graph.json`: node-link JSON as networkx reads it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GraphJson {
    pub directed: bool,
    pub multigraph: bool,
    /// Graph-level facts; decoded to check the shape, their keys are not part of the contract.
    #[allow(dead_code)]
    pub graph: serde_json::Map<String, serde_json::Value>,
    pub nodes: Vec<Node>,
    pub links: Vec<Link>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Node {
    pub id: String,
    pub label: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub mentions: u64,
    /// Windows it occurs in (absent in a graph without window counts).
    #[serde(default)]
    pub windows: u64,
    /// Its community (absent until detected).
    #[serde(default)]
    pub community: Option<u32>,
    pub documents: Vec<String>,
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Link {
    pub source: String,
    pub target: String,
    pub weight: u64,
    /// Association scores (absent without window counts).
    #[serde(default)]
    pub npmi: Option<f64>,
    #[serde(default)]
    pub dice: Option<f64>,
    #[serde(default)]
    pub llr: Option<f64>,
    pub evidence: Vec<Evidence>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    pub doc: String,
    pub text: String,
    pub start: usize,
    pub end: usize,
}

impl GraphJson {
    /// The node with this id.
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }
    /// The link between two ids, in either direction.
    pub fn link(&self, a: &str, b: &str) -> Option<&Link> {
        self.links
            .iter()
            .find(|l| (l.source == a && l.target == b) || (l.source == b && l.target == a))
    }
    /// Every edge as an ordered pair of ids.
    pub fn edge_set(&self) -> BTreeSet<(String, String)> {
        self.links
            .iter()
            .map(|l| pair(&l.source, &l.target))
            .collect()
    }
    /// Every node id.
    pub fn node_ids(&self) -> BTreeSet<String> {
        self.nodes.iter().map(|n| n.id.clone()).collect()
    }
}

/// An unordered pair of ids, as an ordered tuple.
pub fn pair(a: &str, b: &str) -> (String, String) {
    if a <= b {
        (a.to_string(), b.to_string())
    } else {
        (b.to_string(), a.to_string())
    }
}

/// Decodes a JSON file into `T`, naming the file on failure.
pub fn read_json<T: DeserializeOwned>(path: &Path) -> T {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("{}: not the expected JSON: {e}", path.display()))
}

/// Decodes JSON lines into `T`, naming the line on failure. Every line must be a record.
pub fn parse_jsonl<T: DeserializeOwned>(text: &str) -> Vec<T> {
    assert!(
        text.is_empty() || text.ends_with('\n'),
        "JSON lines end with a newline"
    );
    text.lines()
        .enumerate()
        .map(|(i, line)| {
            serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("JSONL line {}: {e}: {line}", i + 1))
        })
        .collect()
}

/// The characters `[start, end)` of `text` (Python's `text[start:end]`), or `None` when out of range.
pub fn char_slice(text: &str, start: usize, end: usize) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    (start <= end && end <= chars.len()).then(|| chars[start..end].iter().collect())
}

/// Asserts that every mention's `[start, end)` (characters of its document as read) is its `text`.
/// `read` gives the text of a document by its name.
pub fn assert_offsets(mentions: &[Mention], mut read: impl FnMut(&str) -> String) {
    assert!(!mentions.is_empty(), "no mentions to check");
    let mut docs = std::collections::BTreeMap::new();
    for m in mentions {
        let text = docs.entry(m.doc.clone()).or_insert_with(|| read(&m.doc));
        assert_eq!(
            char_slice(text, m.start, m.end).as_deref(),
            Some(m.text.as_str()),
            "offsets of {m:?}"
        );
    }
}

/// The text of a document file as entgraph reads it: the bytes as UTF-8, nothing changed
/// (a BOM and `\r\n` stay, as with Python's `open(p, encoding="utf-8", newline="")`).
pub fn read_doc(path: &str) -> String {
    String::from_utf8(std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}")))
        .expect("fixture documents are UTF-8")
}

/// A DOT attribute list: `(key, value)` as written (quotes removed, `\"` unescaped).
pub type DotAttrs = Vec<(String, String)>;

/// A DOT graph parsed loosely: enough of the grammar for what entgraph writes (statements of one
/// graph; quoted or plain IDs; attribute lists; `--` edges; `graph`/`node`/`edge` defaults).
#[derive(Debug, Default)]
pub struct DotGraph {
    /// `(id, attributes)` of node statements, in order.
    pub nodes: Vec<(String, DotAttrs)>,
    /// `(a, b, attributes)` of edge statements, in order.
    pub edges: Vec<(String, String, DotAttrs)>,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Id(String),
    Punct(&'static str),
}

fn dot_tokens(src: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut it = src.chars().peekable();
    while let Some(c) = it.next() {
        match c {
            c if c.is_whitespace() => {}
            '"' => {
                // DOT: inside quotes only \" is an escape; everything else stays as written.
                let mut s = String::new();
                loop {
                    match it.next().expect("unterminated quoted string in DOT") {
                        '"' => break,
                        '\\' if it.peek() == Some(&'"') => {
                            it.next();
                            s.push('"');
                        }
                        '\\' if it.peek() == Some(&'\\') => {
                            it.next();
                            s.push_str("\\\\");
                        }
                        '\\' if it.peek() == Some(&'\n') => {
                            it.next();
                        }
                        ch => s.push(ch),
                    }
                }
                out.push(Tok::Id(s));
            }
            '-' if it.peek() == Some(&'-') => {
                it.next();
                out.push(Tok::Punct("--"));
            }
            '-' if it.peek() == Some(&'>') => panic!("directed edge '->' in an undirected graph"),
            '[' => out.push(Tok::Punct("[")),
            ']' => out.push(Tok::Punct("]")),
            '{' => out.push(Tok::Punct("{")),
            '}' => out.push(Tok::Punct("}")),
            '=' => out.push(Tok::Punct("=")),
            ';' => out.push(Tok::Punct(";")),
            ',' => out.push(Tok::Punct(",")),
            c if c.is_alphanumeric() || c == '_' || c == '.' || c == '-' => {
                let mut s = String::from(c);
                while let Some(&d) = it.peek() {
                    if d.is_alphanumeric() || d == '_' || d == '.' {
                        s.push(d);
                        it.next();
                    } else {
                        break;
                    }
                }
                out.push(Tok::Id(s));
            }
            c => panic!("unexpected character {c:?} in DOT"),
        }
    }
    out
}

impl DotGraph {
    /// Parses `graph NAME { ... }`; panics on anything it does not understand.
    pub fn parse(src: &str) -> DotGraph {
        let toks = dot_tokens(src);
        let mut i = 0;
        let id = |i: usize| match toks.get(i) {
            Some(Tok::Id(s)) => s.clone(),
            other => panic!("expected an ID at token {i}, got {other:?}"),
        };
        assert_eq!(
            toks.first(),
            Some(&Tok::Id("graph".into())),
            "an undirected graph"
        );
        i += 1;
        if matches!(toks.get(i), Some(Tok::Id(_))) {
            i += 1;
        }
        assert_eq!(toks.get(i), Some(&Tok::Punct("{")));
        i += 1;
        let mut g = DotGraph::default();
        let attrs = |i: &mut usize| {
            let mut out = Vec::new();
            while toks.get(*i) == Some(&Tok::Punct("[")) {
                *i += 1;
                while toks.get(*i) != Some(&Tok::Punct("]")) {
                    let k = id(*i);
                    assert_eq!(
                        toks.get(*i + 1),
                        Some(&Tok::Punct("=")),
                        "attribute {k} without '='"
                    );
                    out.push((k, id(*i + 2)));
                    *i += 3;
                    if matches!(toks.get(*i), Some(Tok::Punct(",")) | Some(Tok::Punct(";"))) {
                        *i += 1;
                    }
                }
                *i += 1;
            }
            out
        };
        loop {
            match toks.get(i) {
                Some(Tok::Punct("}")) => {
                    assert_eq!(i + 1, toks.len(), "nothing after the closing brace");
                    return g;
                }
                Some(Tok::Punct(";")) => i += 1,
                Some(Tok::Id(kw))
                    if matches!(kw.as_str(), "graph" | "node" | "edge")
                        && toks.get(i + 1) == Some(&Tok::Punct("[")) =>
                {
                    i += 1;
                    attrs(&mut i);
                }
                Some(Tok::Id(_)) if toks.get(i + 1) == Some(&Tok::Punct("=")) => i += 3,
                Some(Tok::Id(a)) if toks.get(i + 1) == Some(&Tok::Punct("--")) => {
                    let a = a.clone();
                    let b = id(i + 2);
                    assert_ne!(
                        toks.get(i + 3),
                        Some(&Tok::Punct("--")),
                        "edge chains are not expected"
                    );
                    i += 3;
                    let at = attrs(&mut i);
                    g.edges.push((a, b, at));
                }
                Some(Tok::Id(a)) => {
                    let a = a.clone();
                    i += 1;
                    let at = attrs(&mut i);
                    g.nodes.push((a, at));
                }
                other => panic!("unexpected DOT token {other:?} at {i}"),
            }
        }
    }

    /// The value of attribute `key` of node `id`, decoded as a Graphviz escString (`\\` is `\`,
    /// `\n` a newline).
    pub fn node_attr(&self, id: &str, key: &str) -> Option<String> {
        let (_, attrs) = self.nodes.iter().find(|(n, _)| n == id)?;
        attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| unescape_esc_string(v))
    }

    /// Every edge as an ordered pair of ids.
    pub fn edge_set(&self) -> BTreeSet<(String, String)> {
        self.edges.iter().map(|(a, b, _)| pair(a, b)).collect()
    }
}

/// Decodes a Graphviz escString as written by entgraph: `\\` → `\`, `\n` → newline.
pub fn unescape_esc_string(s: &str) -> String {
    let mut out = String::new();
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.next() {
                Some('\\') => out.push('\\'),
                Some('n') => out.push('\n'),
                Some(d) => {
                    out.push('\\');
                    out.push(d);
                }
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// True when tests must not skip for lack of a tool (`scripts/test` sets ENTGRAPH_REQUIRE_TOOLS=1).
pub fn require_tools() -> bool {
    std::env::var_os("ENTGRAPH_REQUIRE_TOOLS").is_some_and(|v| v == "1")
}

/// Prints a note on the real stderr (not captured by the test harness).
pub fn note(msg: &str) {
    let _ = writeln!(std::io::stderr(), "note: {msg}");
}

/// Skips a test for lack of a tool: prints a note and returns, or fails under ENTGRAPH_REQUIRE_TOOLS=1.
pub fn skip(test: &str, why: &str) {
    if require_tools() {
        panic!("{test}: {why} (ENTGRAPH_REQUIRE_TOOLS=1 makes this a failure instead of a skip)");
    }
    note(&format!("{test} skipped: {why}"));
}

/// True when Graphviz's `dot` runs.
pub fn have_dot() -> bool {
    std::process::Command::new("dot")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The Python with networkx named by ENTGRAPH_PYTHON, if set.
pub fn python() -> Option<PathBuf> {
    std::env::var_os("ENTGRAPH_PYTHON")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}
