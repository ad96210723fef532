//! `entgraph extract`: JSON lines (typed), the table, `--explain`, stdin, dictionary options, rules
//! and character offsets on hostile text.

use std::path::Path;

use crate::util::*;

fn jsonl(t: &TestDir, args: &[&std::ffi::OsStr]) -> Vec<Mention> {
    let out = ok(t
        .entgraph()
        .arg("extract")
        .args(args)
        .args(["--format", "jsonl"])
        .output()
        .unwrap());
    parse_jsonl(&String::from_utf8(out.stdout).unwrap())
}

fn os<S: AsRef<std::ffi::OsStr> + ?Sized>(s: &S) -> &std::ffi::OsStr {
    s.as_ref()
}

/// (text, entity, id, type, source) of each mention.
fn summary(ms: &[Mention]) -> Vec<(&str, &str, &str, &str, &str)> {
    ms.iter()
        .map(|m| {
            (
                m.text.as_str(),
                m.entity.as_str(),
                m.id.as_str(),
                m.kind.as_str(),
                m.source.as_str(),
            )
        })
        .collect()
}

#[test]
fn extract_jsonl_basic_fixture() {
    let t = TestDir::new();
    let doc = fixture("basic/article.txt");
    let dict = fixture("basic/dict");
    let ms = jsonl(
        &t,
        &[
            doc.as_os_str(),
            os("--dict"),
            dict.as_os_str(),
            os("--no-rules"),
        ],
    );
    let d = doc.to_str().unwrap();
    let m = |start, end, text: &str, entity: &str, id: &str, kind: &str, source: &str| Mention {
        doc: d.into(),
        start,
        end,
        text: text.into(),
        entity: entity.into(),
        id: id.into(),
        kind: kind.into(),
        source: source.into(),
    };
    let tom = |s, e, text| {
        m(
            s,
            e,
            text,
            "Tom Cruise",
            "person:tom-cruise",
            "person",
            "dictionary",
        )
    };
    let mcq = |s, e, text, source| {
        m(
            s,
            e,
            text,
            "Christopher McQuarrie",
            "person:christopher-mcquarrie",
            "person",
            source,
        )
    };
    assert_eq!(
        ms,
        [
            tom(0, 10, "Tom Cruise"),
            m(
                22,
                39,
                "Top Gun: Maverick",
                "Top Gun: Maverick",
                "film:top-gun-maverick",
                "film",
                "dictionary"
            ),
            mcq(50, 71, "Christopher McQuarrie", "dictionary"),
            tom(80, 86, "Cruise"),
            tom(88, 94, "Cruise"),
            mcq(99, 108, "McQuarrie", "coref"),
            m(
                121,
                134,
                "Hayley Atwell",
                "Hayley Atwell",
                "person:hayley-atwell",
                "person",
                "dictionary"
            ),
            m(
                154,
                161,
                "Fallout",
                "Mission: Impossible - Fallout",
                "film:mission-impossible-fallout",
                "film",
                "dictionary"
            ),
            mcq(163, 172, "McQuarrie", "coref"),
        ]
    );
}

#[test]
fn extract_stdin_doc_is_dash() {
    let t = TestDir::new();
    let out = ok(t
        .entgraph()
        .args(["extract", "-", "--dict"])
        .arg(fixture("basic/dict"))
        .args(["--no-rules", "--format", "jsonl"])
        .write_stdin("Tom Cruise met Christopher McQuarrie.\n")
        .output()
        .unwrap());
    let ms: Vec<Mention> = parse_jsonl(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(
        ms.iter()
            .map(|m| (m.doc.as_str(), m.start, m.end))
            .collect::<Vec<_>>(),
        [("-", 0, 10), ("-", 15, 36)]
    );
}

#[test]
fn extract_table_has_header_and_aligned_columns() {
    let t = TestDir::new();
    let out = ok(t
        .entgraph()
        .arg("extract")
        .arg(fixture("basic/article.txt"))
        .arg("--dict")
        .arg(fixture("basic/dict"))
        .arg("--no-rules")
        .output()
        .unwrap());
    let table = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(
        lines.len(),
        1 + 9,
        "a header and one row per mention:\n{table}"
    );
    let header = lines[0];
    let titles: Vec<&str> = header.split_whitespace().collect();
    assert_eq!(
        titles,
        ["DOC", "START", "END", "TYPE", "ENTITY", "TEXT", "SOURCE"]
    );
    // Each column starts at the same character position on every line, after at least two spaces.
    let starts: Vec<usize> = header
        .char_indices()
        .filter(|&(i, c)| c != ' ' && (i == 0 || header[..i].ends_with(' ')))
        .map(|(i, _)| i)
        .collect();
    assert_eq!(starts.len(), titles.len());
    for line in &lines {
        let chars: Vec<char> = line.chars().collect();
        for &p in &starts[1..] {
            assert!(
                p >= 2
                    && chars[p - 1] == ' '
                    && chars[p - 2] == ' '
                    && chars.get(p).is_some_and(|c| *c != ' '),
                "column at {p} misaligned in {line:?}\n{table}"
            );
        }
        assert!(!line.ends_with(' '), "no trailing spaces: {line:?}");
    }
    assert!(lines[1].contains("Tom Cruise") && lines[1].contains("dictionary"));
    assert!(
        lines
            .iter()
            .any(|l| l.contains("McQuarrie") && l.contains("coref"))
    );
}

#[test]
fn extract_explain_table_shows_dictionary_line() {
    let t = TestDir::new();
    let dict = fixture("basic/dict/person.tsv");
    let out = ok(t
        .entgraph()
        .arg("extract")
        .arg(fixture("basic/agent.txt"))
        .arg("--dict")
        .arg(&dict)
        .arg("--rules")
        .arg(fixture("basic/rules.toml"))
        .args(["--explain", "--wide"])
        .output()
        .unwrap());
    let text = String::from_utf8(out.stdout).unwrap();
    // One block per mention: `DOC:START-END  TYPE  ENTITY`, then indented lines; a blank line after.
    let blocks: Vec<String> = text.split("\n\n").map(|b| b.replace('\n', " ")).collect();
    assert!(
        text.lines().next().unwrap().contains("agent.txt:0-"),
        "a block starts with the document and the span:\n{text}"
    );
    let tom = blocks
        .iter()
        .find(|b| b.contains("Tom Cruise"))
        .expect("a Tom Cruise block");
    // Tom Cruise is line 2 of person.tsv (line 1 is a comment).
    assert!(
        tom.contains(&format!("{}:2", dict.display())),
        "explanation names the dictionary file and line: {tom:?}"
    );
    let hunt = blocks
        .iter()
        .find(|b| b.contains("Ethan Hunt"))
        .expect("an Ethan Hunt block");
    assert!(
        hunt.contains("rules.toml:2") && hunt.contains("agent-person"),
        "explanation names the rule: {hunt:?}"
    );
}

#[test]
fn extract_explain_jsonl_shows_origin() {
    let t = TestDir::new();
    let dict = fixture("basic/dict/person.tsv");
    let rules = fixture("basic/rules.toml");
    let out = ok(t
        .entgraph()
        .arg("extract")
        .arg(fixture("basic/agent.txt"))
        .arg("--dict")
        .arg(&dict)
        .arg("--rules")
        .arg(&rules)
        .args(["--explain", "--format", "jsonl"])
        .output()
        .unwrap());
    let ms: Vec<ExplainedMention> = parse_jsonl(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(ms.len(), 2, "{ms:#?}");
    assert_eq!(ms[0].origin, format!("{}:2", dict.display()));
    assert!(
        ms[1].origin.starts_with(&format!("{}:2", rules.display()))
            && ms[1].origin.contains("agent-person"),
        "{:?}",
        ms[1].origin
    );
}

#[test]
fn extract_rules_find_names_no_dictionary_holds() {
    let t = TestDir::new();
    let with_rules = jsonl(
        &t,
        &[
            fixture("basic/agent.txt").as_os_str(),
            os("--dict"),
            fixture("basic/dict").as_os_str(),
            os("--rules"),
            fixture("basic/rules.toml").as_os_str(),
        ],
    );
    assert_eq!(
        summary(&with_rules),
        [
            (
                "Tom Cruise",
                "Tom Cruise",
                "person:tom-cruise",
                "person",
                "dictionary"
            ),
            (
                "Ethan Hunt",
                "Ethan Hunt",
                "person:ethan-hunt",
                "person",
                "pattern:agent-person"
            ),
        ]
    );
    let without = jsonl(
        &t,
        &[
            fixture("basic/agent.txt").as_os_str(),
            os("--dict"),
            fixture("basic/dict").as_os_str(),
            os("--no-rules"),
        ],
    );
    assert_eq!(
        summary(&without),
        [(
            "Tom Cruise",
            "Tom Cruise",
            "person:tom-cruise",
            "person",
            "dictionary"
        )]
    );
}

#[test]
fn extract_matches_whole_words_only() {
    let t = TestDir::new();
    let doc = t.write(
        "doc.txt",
        "Cruise cruised; Cruises and xCruise, but Cruise.\n",
    );
    let ms = jsonl(
        &t,
        &[
            doc.as_os_str(),
            os("--dict"),
            fixture("basic/dict").as_os_str(),
            os("--no-rules"),
        ],
    );
    assert_eq!(
        ms.iter().map(|m| (m.start, m.end)).collect::<Vec<_>>(),
        [(0, 6), (41, 47)]
    );
}

#[test]
fn extract_ignore_case() {
    let t = TestDir::new();
    let doc = t.write("doc.txt", "TOM CRUISE met christopher mcquarrie.\n");
    let dict = fixture("basic/dict/person.tsv");
    let args = [
        doc.as_os_str(),
        os("--dict"),
        dict.as_os_str(),
        os("--no-rules"),
    ];
    assert!(jsonl(&t, &args).is_empty(), "case-sensitive by default");
    let mut ic = args.to_vec();
    ic.push(os("--ignore-case"));
    let ms = jsonl(&t, &ic);
    assert_eq!(
        summary(&ms),
        [
            (
                "TOM CRUISE",
                "Tom Cruise",
                "person:tom-cruise",
                "person",
                "dictionary"
            ),
            (
                "christopher mcquarrie",
                "Christopher McQuarrie",
                "person:christopher-mcquarrie",
                "person",
                "dictionary"
            ),
        ]
    );
}

#[test]
fn extract_type_is_dictionary_file_stem() {
    let t = TestDir::new();
    let a = t.write("dicts/spacecraft.tsv", "# comment\nVoyager 1\tVoyager\n");
    let b = t.write("more/person.tsv", "Carl Sagan\tSagan\n");
    let doc = t.write("doc.txt", "Carl Sagan watched Voyager leave.\n");
    // --dict is repeatable and takes files or directories.
    let ms = jsonl(
        &t,
        &[
            doc.as_os_str(),
            os("--dict"),
            a.parent().unwrap().as_os_str(),
            os("--dict"),
            b.as_os_str(),
            os("--no-rules"),
        ],
    );
    assert_eq!(
        summary(&ms),
        [
            (
                "Carl Sagan",
                "Carl Sagan",
                "person:carl-sagan",
                "person",
                "dictionary"
            ),
            (
                "Voyager",
                "Voyager 1",
                "spacecraft:voyager-1",
                "spacecraft",
                "dictionary"
            ),
        ]
    );
}

/// The offsets fixture: BOM, CRLF and a lone CR, curly quotes, non-BMP emoji (one a ZWJ sequence)
/// before names, NBSP, a tab and a double space inside names, decomposed accents, a zero-width space.
#[test]
fn extract_offsets_fixture_file_and_stdin() {
    let t = TestDir::new();
    let path = fixture("offsets/crlf-bom.txt");
    let dict = fixture("offsets/dict");
    let text = read_doc(path.to_str().unwrap());
    assert!(
        text.starts_with('\u{feff}') && text.contains("\r\n"),
        "the fixture keeps its BOM and CRLF (see its .gitattributes)"
    );
    let expected_texts = [
        "Tom Cruise",
        "Christopher McQuarrie",
        "Cruise",
        "Stade\u{a0}de France",
        "Zu\u{308}rich",
        "Zoe\u{308} Saldan\u{303}a",
        "Mission: Impossible \u{2014} Fallout",
        "Tom\tCruise",
        "Tom  Cruise",
        "Cruise",
        "McQuarrie",
        "Cruise",
    ];
    let from_file = jsonl(
        &t,
        &[
            path.as_os_str(),
            os("--dict"),
            dict.as_os_str(),
            os("--no-rules"),
        ],
    );
    assert_eq!(
        from_file
            .iter()
            .map(|m| m.text.as_str())
            .collect::<Vec<_>>(),
        expected_texts
    );
    assert_offsets(&from_file, |_| text.clone());

    let out = ok(t
        .entgraph()
        .args(["extract", "-", "--dict"])
        .arg(&dict)
        .args(["--no-rules", "--format", "jsonl"])
        .write_stdin(text.clone())
        .output()
        .unwrap());
    let from_stdin: Vec<Mention> = parse_jsonl(&String::from_utf8(out.stdout).unwrap());
    assert_offsets(&from_stdin, |_| text.clone());
    let strip = |ms: &[Mention]| {
        ms.iter()
            .map(|m| (m.start, m.end, m.text.clone(), m.id.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        strip(&from_stdin),
        strip(&from_file),
        "stdin and file give the same mentions"
    );
}

/// `extract --format jsonl` and `build`'s mentions.jsonl are the same records.
#[test]
fn extract_agrees_with_build_mentions() {
    let t = TestDir::new();
    let out = ok(t
        .entgraph()
        .arg("extract")
        .args(seed_args())
        .args(["--format", "jsonl"])
        .output()
        .unwrap());
    let extracted: Vec<Mention> = parse_jsonl(&String::from_utf8(out.stdout).unwrap());
    let built = t.build("out", seed_args()).mentions();
    assert_eq!(extracted, built);
    assert!(Path::new(&extracted[0].doc).is_absolute());
}

/// The widest line of `text`, in characters (the seeds' names are single-width).
fn widest(text: &str) -> usize {
    text.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

#[test]
fn extract_table_fits_100_columns_unless_wide() {
    let t = TestDir::new();
    let run = |extra: &[&str]| {
        let out = ok(t
            .entgraph()
            .arg("extract")
            .arg(seeds_dir())
            .args(extra)
            .output()
            .unwrap());
        String::from_utf8(out.stdout).unwrap()
    };
    let table = run(&[]);
    assert!(
        widest(&table) <= 100,
        "the table fits 100 columns:\n{table}"
    );
    assert!(table.contains('…'), "long cells are cut with an ellipsis");
    let wide = run(&["--wide"]);
    assert!(widest(&wide) > 100, "--wide prints every cell in full");
    assert!(wide.contains("Mission: Impossible – The Final Reckoning"));
    assert_eq!(
        table.lines().count(),
        wide.lines().count(),
        "one row per mention either way"
    );
    let explain = run(&["--explain"]);
    assert!(
        widest(&explain) <= 100,
        "--explain wraps its blocks within 100 columns"
    );
    let blocks = explain
        .split("\n\n")
        .filter(|b| !b.trim().is_empty())
        .count();
    assert_eq!(blocks, wide.lines().count() - 1, "one block per mention");
}
