//! The mechanisms that made junk hubs on long documents: partial names of common words, rule
//! tails over head nouns, dictionary names swallowed by longer spans, trailing punctuation,
//! plurals, title lines (`tests/fixtures/junk-hubs/article.txt` triggers each).

use crate::util::*;

fn extract(t: &TestDir, extra: &[&str]) -> Vec<Mention> {
    let out = ok(t
        .entgraph()
        .arg("extract")
        .arg(fixture("junk-hubs/article.txt"))
        .args(seed_dict_args())
        .args(extra)
        .args(["--format", "jsonl"])
        .output()
        .unwrap());
    parse_jsonl(&String::from_utf8(out.stdout).unwrap())
}

#[test]
fn junk_hubs_fixture_yields_no_junk_entity() {
    let t = TestDir::new();
    if !repo().join("dictionaries/patterns.toml").exists() {
        return note(
            "dictionaries/patterns.toml not found: the junk-hub test needs the shipped rules",
        );
    }
    let found = extract(&t, &[]);
    let people: Vec<(&str, &str)> = found
        .iter()
        .filter(|m| m.kind == "person")
        .map(|m| (m.text.as_str(), m.entity.as_str()))
        .collect();
    assert_eq!(
        people,
        [
            // The title line yields the person alone.
            ("Keanu Reeves", "Keanu Reeves"),
            ("Sebastian We", "Sebastian We"),
            ("Johann Most", "Johann Most"),
            ("Sarah French", "Sarah French"),
            ("Robert E. Midnight", "Robert E. Midnight"),
            ("John F. Return", "John F. Return"),
            // A plural of a dictionary name is that person.
            ("Meryl Streeps", "Meryl Streep"),
            // The comma after the suffix is not part of the name.
            // ... and the shipped merges.txt makes it Bill Gates.
            ("William Henry Gates III", "Bill Gates"),
            ("Karen Bass", "Karen Bass"),
            // A common word that is a partial name mid-sentence still resolves.
            ("Bass", "Karen Bass"),
        ],
        "{found:#?}"
    );
    // "Howard Government", "Elizabeth Hospital", "Solomon Islands Police" are no people (the
    // last is the organization it names); the sentence-initial "We", "Most", "As", "French",
    // "Government", "Midnight", "Return" and the quoted "We", "Most" are no partial names; "Top
    // Gun Within" leaves the film.
    for m in &found {
        for junk in ["Government", "Hospital", "Police", "Howard"] {
            assert!(m.kind != "person" || !m.text.contains(junk), "{m:?}");
        }
        for junk in ["Biography", "Within"] {
            assert!(!m.text.contains(junk), "{m:?}");
        }
        assert!(!m.text.ends_with(','), "{m:?}");
    }
    let kinds = |text: &str| -> Vec<&str> {
        found
            .iter()
            .filter(|m| m.text == text)
            .map(|m| m.kind.as_str())
            .collect()
    };
    assert_eq!(kinds("Top Gun"), ["film"]);
    assert_eq!(kinds("Glen Burnie"), ["place"]);
    assert_eq!(kinds("Solomon Islands Police"), ["organization"]);
}

#[test]
fn junk_hubs_partial_names_off_keep_the_full_names_only() {
    let t = TestDir::new();
    if !repo().join("dictionaries/patterns.toml").exists() {
        return note(
            "dictionaries/patterns.toml not found: the junk-hub test needs the shipped rules",
        );
    }
    let found = extract(&t, &["--no-partial-names"]);
    assert!(found.iter().all(|m| m.source != "coref"));
    assert!(found.iter().any(|m| m.text == "Karen Bass"));
}

/// A dictionary directory with a blocklist and merges, and `extract --explain`'s mentions of `text`.
fn corrected(t: &TestDir, blocklist: &str, merges: &str, text: &str) -> Vec<ExplainedMention> {
    t.write(
        "d/person.tsv",
        "Tom Cruise\nThomas Mapother IV\nPaddy Clarke\n",
    );
    t.write("d/film.tsv", "Wonderwall\n");
    t.write("d/blocklist.txt", blocklist);
    t.write("d/merges.txt", merges);
    t.write(
        "rules.toml",
        "[[rule]]\nname = \"song\"\ntype = \"song\"\npattern = 'song (?P<entity>\\p{Lu}\\w+ \\p{Lu}\\w+)'\n",
    );
    let input = t.write("in.txt", text);
    let out = ok(t
        .entgraph()
        .arg("extract")
        .arg(input)
        .args([
            "--dict",
            "d",
            "--rules",
            "rules.toml",
            "--explain",
            "--format",
            "jsonl",
        ])
        .output()
        .unwrap());
    parse_jsonl(&String::from_utf8(out.stdout).unwrap())
}

#[test]
fn blocklist_and_merges_apply_at_extraction_and_are_explained() {
    let t = TestDir::new();
    let found = corrected(
        &t,
        "# never a mention\nPaddy Clarke\nWonderwall Live\tsong\n",
        "Tom Cruise\tThomas Mapother IV\n",
        "Thomas Mapother IV played the song Wonderwall Live with Paddy Clarke and Tom Cruise.\n",
    );
    let got: Vec<(&str, &str, &str)> = found
        .iter()
        .map(|m| (m.text.as_str(), m.entity.as_str(), m.id.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("Thomas Mapother IV", "Tom Cruise", "person:tom-cruise"),
            // The blocked longer name leaves the shorter one inside it.
            ("Wonderwall", "Wonderwall", "film:wonderwall"),
            ("Tom Cruise", "Tom Cruise", "person:tom-cruise"),
        ]
    );
    assert!(
        found[0]
            .origin
            .ends_with("merged into Tom Cruise by d/merges.txt:1"),
        "{:?}",
        found[0]
    );
    assert_eq!(
        found[1].beat,
        ["song 'Wonderwall Live' (blocked by d/blocklist.txt:3)"]
    );
    // A type-limited entry blocks that type only.
    let t = TestDir::new();
    let found = corrected(
        &t,
        "Wonderwall Live\tfilm\n",
        "",
        "the song Wonderwall Live.\n",
    );
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].kind, "song");
}

#[test]
fn merges_line_without_a_merged_name_is_an_error_naming_file_and_line() {
    let t = TestDir::new();
    t.write("d/person.tsv", "Tom Cruise\n");
    t.write("d/merges.txt", "# comment\nTom Cruise\n");
    let err = fails(
        t.entgraph()
            .args(["extract", "-", "--dict", "d", "--no-rules"])
            .output()
            .unwrap(),
    );
    assert!(
        err.contains("d/merges.txt:2: expected a name or id"),
        "{err}"
    );
}
