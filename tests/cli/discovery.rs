//! Discovery: the default rules find names that no shipped dictionary holds, and the
//! default recognizer keeps its accuracy on the validation sets.

use crate::util::*;

/// (text, type, source) of each mention of `extract --format jsonl` with the given extra args.
fn mentions(t: &TestDir, extra: &[&str]) -> Vec<(String, String, String)> {
    let out = ok(t
        .entgraph()
        .arg("extract")
        .arg(fixture("discovery/article.txt"))
        .args(extra)
        .args(["--format", "jsonl"])
        .output()
        .unwrap());
    parse_jsonl::<Mention>(&String::from_utf8(out.stdout).unwrap())
        .into_iter()
        .map(|m| (m.text, m.kind, m.source))
        .collect()
}

#[test]
fn discovery_fixture_yields_exactly_the_expected_mentions() {
    let t = TestDir::new();
    let expected: Vec<(String, String, String)> =
        std::fs::read_to_string(fixture("discovery/expected.tsv"))
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(|l| {
                let f: Vec<&str> = l.split('\t').collect();
                assert_eq!(f.len(), 3, "bad expected line {l:?}");
                (f[0].to_string(), f[1].to_string(), f[2].to_string())
            })
            .collect();
    assert!(expected.len() >= 25);
    assert_eq!(mentions(&t, &[]), expected);
}

#[test]
fn discovery_fixture_names_are_in_no_shipped_dictionary() {
    // With the rules and partial names off, only the dictionaries speak: the three countries and
    // states are all they know of this text.
    let t = TestDir::new();
    let found = mentions(&t, &["--no-rules", "--no-partial-names"]);
    let texts: Vec<&str> = found.iter().map(|m| m.0.as_str()).collect();
    assert_eq!(texts, ["Norway", "Montana", "Kenya", "Kenya", "Montana"]);
    // Every rule in the default set that emits mentions is exercised by the fixture, bar the
    // embedded-post signature, the two that extend a dictionary film ("Top Gun 2", "Dune:
    // Messiah"), the surname rule (the fixture's people all have a known first name) and the
    // public bodies with "and" (`org-and`): their own examples in patterns.toml cover them.
    let with_rules = mentions(&t, &[]);
    let rules = std::fs::read_to_string(repo().join("dictionaries/patterns.toml")).unwrap();
    let mut unexercised = Vec::new();
    let mut emit = true;
    let mut name = None;
    for line in rules.lines().chain(["[[rule]]"]) {
        if line == "[[rule]]" {
            if let Some(n) = name.take()
                && emit
                && n != "post-signature"
                && n != "numbered-film"
                && n != "film-subtitle"
                && n != "surname-person"
                && n != "org-and"
                && !with_rules.iter().any(|m| m.2 == format!("pattern:{n}"))
            {
                unexercised.push(n);
            }
            emit = true;
        } else if let Some(n) = line.strip_prefix("name = ") {
            name = Some(n.trim_matches('"').to_string());
        } else if line.trim() == "emit = false" {
            emit = false;
        }
    }
    assert_eq!(
        unexercised,
        Vec::<String>::new(),
        "rules the fixture never fires"
    );
}

#[test]
fn ship_names_are_not_people() {
    // "USS Harriet Lane" is a ship: the guard rule keeps "Harriet Lane" from being a person.
    let t = TestDir::new();
    assert!(
        !mentions(&t, &[]).iter().any(|m| m.0.contains("Harriet")),
        "the ship guard should block the first-name rule"
    );
}

/// entity F1, typed F1 and precision of `entgraph eval` on a validation set.
fn eval_scores(set: &str) -> (f64, f64, f64, String) {
    let t = TestDir::new();
    let out = ok(t
        .entgraph()
        .args(["eval", "--gold"])
        .arg(fixture(&format!("{set}/gold")))
        .arg(fixture(&format!("{set}/docs")))
        .output()
        .unwrap());
    let text = String::from_utf8(out.stdout).unwrap();
    let last = text.lines().last().unwrap().to_string();
    let field = |k: &str| -> f64 {
        last.split_whitespace()
            .find_map(|f| f.strip_prefix(&format!("{k}=")))
            .unwrap_or_else(|| panic!("no {k} in {last:?}"))
            .parse()
            .unwrap()
    };
    (
        field("entity_f1"),
        field("typed_f1"),
        field("precision"),
        last,
    )
}

#[test]
fn validation_sets_keep_their_accuracy() {
    // Regression floors, not targets: the README reports the figures (0.987/0.979, 0.970/0.958,
    // 0.955/0.945, 0.884/0.867 and 0.926/0.907). A rule or dictionary change that costs more than
    // a couple of points fails. validation-4 is held out: no rule or dictionary entry is made from
    // it.
    let (f1, typed, p, last) = eval_scores("validation");
    assert!(
        f1 >= 0.97 && typed >= 0.96 && p >= 0.98,
        "validation: {last}"
    );
    let (f1, typed, p, last) = eval_scores("validation-2");
    assert!(
        f1 >= 0.94 && typed >= 0.93 && p >= 0.97,
        "validation-2: {last}"
    );
    let (f1, typed, p, last) = eval_scores("validation-3");
    assert!(
        f1 >= 0.94 && typed >= 0.92 && p >= 0.96,
        "validation-3: {last}"
    );
    let (f1, typed, p, last) = eval_scores("validation-4");
    assert!(
        f1 >= 0.87 && typed >= 0.85 && p >= 0.95,
        "validation-4: {last}"
    );
    let (f1, typed, p, last) = eval_scores("validation-5");
    assert!(
        f1 >= 0.91 && typed >= 0.89 && p >= 0.97,
        "validation-5: {last}"
    );
}
