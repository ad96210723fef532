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
        return note("dictionaries/patterns.toml not found: the junk-hub test needs the shipped rules");
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
            ("William Henry Gates III", "William Henry Gates III"),
            ("Karen Bass", "Karen Bass"),
            // A common word that is a partial name mid-sentence still resolves.
            ("Bass", "Karen Bass"),
        ],
        "{found:#?}"
    );
    // "Howard Government", "Elizabeth Hospital", "Solomon Islands Police" are no people; the
    // sentence-initial "We", "Most", "As", "French", "Government", "Midnight", "Return" and the
    // quoted "We", "Most" are no partial names; "Top Gun Within" leaves the film.
    for m in &found {
        for junk in ["Government", "Hospital", "Police", "Biography", "Within", "Howard"] {
            assert!(!m.text.contains(junk), "{m:?}");
        }
        assert!(!m.text.ends_with(','), "{m:?}");
    }
    let kinds = |text: &str| -> Vec<&str> {
        found.iter().filter(|m| m.text == text).map(|m| m.kind.as_str()).collect()
    };
    assert_eq!(kinds("Top Gun"), ["film"]);
    assert_eq!(kinds("Glen Burnie"), ["place"]);
    assert_eq!(kinds("Solomon Islands"), ["place"]);
}

#[test]
fn junk_hubs_partial_names_off_keep_the_full_names_only() {
    let t = TestDir::new();
    if !repo().join("dictionaries/patterns.toml").exists() {
        return note("dictionaries/patterns.toml not found: the junk-hub test needs the shipped rules");
    }
    let found = extract(&t, &["--no-partial-names"]);
    assert!(found.iter().all(|m| m.source != "coref"));
    assert!(found.iter().any(|m| m.text == "Karen Bass"));
}
