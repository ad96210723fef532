//! The shipped gazetteers and the mechanisms around them: companies, executives and basketball
//! players from registry data; a town read as its club only near words of its sport; films whose
//! titles are common words found only with their year or director in the sentence
//! (`tests/fixtures/gazetteers/article.txt`).

use crate::util::*;

#[test]
fn shipped_gazetteers_find_clubs_companies_players_and_cued_films() {
    let t = TestDir::new();
    if !repo().join("dictionaries/sports_clubs.txt").exists() {
        return note("dictionaries/sports_clubs.txt not found: the test needs the shipped data");
    }
    let out = ok(t
        .entgraph()
        .arg("extract")
        .arg(fixture("gazetteers/article.txt"))
        .args(seed_dict_args())
        .args(["--format", "jsonl"])
        .output()
        .unwrap());
    let found = parse_jsonl(&String::from_utf8(out.stdout).unwrap());
    let has = |text: &str, kind: &str| {
        found
            .iter()
            .any(|m: &Mention| m.text == text && m.kind == kind)
    };
    let kinds_of = |text: &str| -> Vec<&str> {
        found
            .iter()
            .filter(|m: &&Mention| m.text == text)
            .map(|m| m.kind.as_str())
            .collect()
    };
    // Near football words "Liverpool" is the club, but "in Liverpool" stays the city.
    assert_eq!(
        kinds_of("Liverpool"),
        ["organization", "organization", "place"],
        "{found:#?}"
    );
    assert!(has("Southampton", "organization"));
    assert!(has("Bayer Leverkusen", "organization") || has("Leverkusen", "organization"));
    assert!(has("Nippon Steel", "organization"));
    assert!(has("Novartis", "organization"));
    assert!(has("Bennedict Mathurin", "person"));
    assert!(has("T.J. McConnell", "person"));
    // A name joined by a hyphen to a capitalized word that is no mention is part of a longer name.
    assert!(!found.iter().any(|m: &Mention| m.text == "Cleveland"));
    assert!(has("Australia", "place") && has("Japan", "place"));
    // Films: a title that is a common word counts with its year or director nearby only.
    assert!(has("Big Fish", "film"));
    assert!(has("Stalker", "film"));
    assert!(!found.iter().any(|m: &Mention| m.kind == "film"
        && ["November", "Sunday", "George Washington"].contains(&m.text.as_str())));
}
