//! The dictionary's matching, loading and merging, on tables of named cases.

use super::*;

fn dict(ignore_case: bool, entities: &[(&str, &str, &[&str])]) -> Dictionary {
    let mut b = DictionaryBuilder::new();
    b.ignore_case(ignore_case);
    for (i, (kind, name, aliases)) in entities.iter().enumerate() {
        b.add_entity(kind, name, aliases, &format!("test:{}", i + 1));
    }
    b.build().unwrap()
}

/// (name, ignore_case, haystack, expected matched texts)
const CASES: &[(&str, bool, &str, &[&str])] = &[
    (
        "whole word",
        false,
        "Cruise cruised. Cruises. Cruise",
        &["Cruise", "Cruise"],
    ),
    ("possessive", false, "Tom Cruise's stunt", &["Tom Cruise"]),
    (
        "longest wins",
        false,
        "Mission: Impossible 7 and Mission: Impossible",
        &["Mission: Impossible 7", "Mission: Impossible"],
    ),
    (
        "punctuation terms",
        false,
        "in L.A. with .NET and C++ code",
        &["L.A.", ".NET", "C++"],
    ),
    ("case sensitive", false, "tom cruise and TOM CRUISE", &[]),
    (
        "ignore case",
        true,
        "tom cruise and TOM CRUISE",
        &["tom cruise", "TOM CRUISE"],
    ),
    (
        "unicode case",
        true,
        "ZÜRICH and zürich",
        &["ZÜRICH", "zürich"],
    ),
    ("shorter fallback", false, "Paris Hiltonesque", &["Paris"]),
    ("inside word start", false, "xParis Paris", &["Paris"]),
    ("unicode boundary", false, "Parisé Paris", &["Paris"]),
    ("hashtag", false, "#MI7 Day 1", &["MI7"]),
    (
        "curly normalized",
        false,
        "Tom Cruise\u{2019}s",
        &["Tom Cruise"],
    ),
];

#[test]
fn dictionary_match_table() {
    let entities: &[(&str, &str, &[&str])] = &[
        ("person", "Tom Cruise", &["Cruise"]),
        ("film", "Mission: Impossible", &[]),
        (
            "film",
            "Mission: Impossible – Dead Reckoning Part One",
            &["Mission: Impossible 7", "MI7"],
        ),
        ("place", "Los Angeles", &["L.A."]),
        ("tech", ".NET", &["C++"]),
        ("place", "Zürich", &[]),
        ("place", "Paris", &[]),
        ("person", "Paris Hilton", &[]),
    ];
    for (name, ic, hay, expected) in CASES {
        let d = dict(*ic, entities);
        let hay = normalize(hay).text;
        let got: Vec<&str> = d
            .find(&hay)
            .iter()
            .map(|(s, _)| &hay[s.start..s.end])
            .collect();
        assert_eq!(got, *expected, "case {name}");
    }
}

#[test]
fn dictionary_shared_alias_first_wins_with_warning() {
    let d = dict(
        false,
        &[
            ("person", "Michael Johnson", &["Johnson"]),
            ("person", "Boris Johnson", &["Johnson"]),
        ],
    );
    assert_eq!(d.warnings().len(), 1);
    assert_eq!(&*d.lookup("Johnson").unwrap().canonical, "Michael Johnson");
}

#[test]
fn dictionary_duplicate_entry_merges() {
    let d = dict(
        false,
        &[
            ("person", "Tom Cruise", &["Cruise"]),
            ("person", "Tom Cruise", &["TC"]),
        ],
    );
    assert_eq!(d.len(), 1);
    assert_eq!(d.entries()[0].names, ["Tom Cruise", "Cruise", "TC"]);
    assert_eq!(d.warnings().len(), 1);
}

#[test]
fn dictionary_duplicate_of_a_name_claimed_as_an_alias_merges() {
    // "Paris" is an alias of the first place before it is a place of its own; the third line
    // is that place again (merged), and the same name as a person is another entity.
    let d = dict(
        false,
        &[
            ("place", "Ville Lumiere", &["Paris"]),
            ("place", "Paris", &[]),
            ("place", "Paris", &["Paname"]),
            ("person", "Paris", &["Paris Hilton"]),
        ],
    );
    let ids: Vec<&str> = d.entries().iter().map(|e| &*e.id).collect();
    assert_eq!(ids, ["place:ville-lumiere", "place:paris", "person:paris"]);
    assert_eq!(d.entries()[1].names, ["Paname"]);
    assert_eq!(d.entries()[2].names, ["Paris Hilton"]);
    assert_eq!(&*d.lookup("Paris").unwrap().id, "place:ville-lumiere");
    assert_eq!(&*d.lookup("Paname").unwrap().id, "place:paris");
    let messages: Vec<&str> = d.warnings().iter().map(|w| w.message.as_str()).collect();
    assert_eq!(messages.len(), 4, "{messages:?}");
    assert!(messages[0].starts_with("'Paris' is claimed by place:ville-lumiere"));
    assert!(messages[1].starts_with("duplicate entry 'Paris'"));
    assert!(messages[2].starts_with("'Paris' is claimed by place:ville-lumiere"));
    assert!(messages[3].starts_with("'Paris' is claimed by place:ville-lumiere"));
}

#[test]
fn dictionary_same_name_in_two_types_merges_each_with_its_own() {
    // The place brings the term in (found again through the term's own entry); the person
    // shares the term (found again through the map of such entities).
    let d = dict(
        false,
        &[
            ("place", "Paris", &[]),
            ("person", "Paris", &[]),
            ("place", "Paris", &["P1"]),
            ("person", "Paris", &["P2"]),
        ],
    );
    let ids: Vec<&str> = d.entries().iter().map(|e| &*e.id).collect();
    assert_eq!(ids, ["place:paris", "person:paris"]);
    assert_eq!(d.entries()[0].names, ["Paris", "P1"]);
    assert_eq!(d.entries()[1].names, ["P2"]);
    assert_eq!(&*d.lookup("P2").unwrap().id, "person:paris");
    let messages: Vec<&str> = d.warnings().iter().map(|w| w.message.as_str()).collect();
    assert_eq!(messages.len(), 4, "{messages:?}");
    assert!(messages[0].starts_with("'Paris' is claimed by place:paris"));
    assert!(messages[1].starts_with("duplicate entry 'Paris' (first defined at test:1)"));
    assert!(messages[2].starts_with("duplicate entry 'Paris' (first defined at test:2)"));
    assert!(messages[3].starts_with("'Paris' is claimed by place:paris"));
}

#[test]
fn dictionary_file_errors_name_line() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("person.tsv");
    std::fs::write(&p, b"# c\nTom Cruise\tCruise\n\nBad \xff name\n").unwrap();
    let err = DictionaryBuilder::new()
        .add_file(&p)
        .map(|_| ())
        .unwrap_err()
        .to_string();
    assert!(err.ends_with("person.tsv:4: not valid UTF-8"), "{err}");
}

/// A file of more than one batch loads exactly as its entities added one by one: same
/// entries, ids, names, warnings (in order) and matches.
#[test]
fn dictionary_batched_file_loads_like_entities() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::new();
    for i in 0..70_000 {
        // Duplicates, shared aliases, empty names and stray tabs along the way.
        match i % 997 {
            0 => text.push_str(&format!("Name {i}\tShared\n")),
            1 => text.push_str("Name 5\tAgain\n"),
            2 => text.push_str("\tno canonical\n"),
            3 => text.push_str(&format!("Zürich {i}\t\tZ{i}\n")),
            _ => text.push_str(&format!("Name {i}\tN{i}\n")),
        }
    }
    let path = dir.path().join("person.tsv");
    std::fs::write(&path, &text).unwrap();
    let one = {
        let mut b = DictionaryBuilder::new();
        b.add_path(dir.path()).unwrap();
        b.build().unwrap()
    };
    let two = {
        let mut b = DictionaryBuilder::new();
        for (i, line) in text.lines().enumerate() {
            let mut fields = line.split('\t');
            let canonical = fields.next().unwrap();
            let aliases: Vec<&str> = fields.collect();
            if !canonical.is_empty() {
                let origin = format!("{}:{}", path.display(), i + 1);
                b.add_entity("person", canonical, &aliases, &origin);
            }
        }
        b.build().unwrap()
    };
    assert_eq!(one.entries(), two.entries());
    let w = |d: &Dictionary, file_only: bool| {
        d.warnings()
            .iter()
            .filter(|w| {
                !file_only || !(w.message.starts_with("empty") || w.message.contains("stray tab"))
            })
            .map(|w| w.message.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(w(&one, true), w(&two, false));
    assert!(w(&one, false).len() > 200, "{}", w(&one, false).len());
    let hay = "Name 5 met Shared and Z3991 and N69999 and Again.";
    let found = |d: &Dictionary| {
        d.find(hay)
            .iter()
            .map(|(s, e)| (s.start, e.id.to_string()))
            .collect::<Vec<_>>()
    };
    assert_eq!(found(&one), found(&two));
    assert_eq!(found(&one).len(), 5);
}

#[test]
fn dictionary_type_from_stem() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("spacecraft.tsv");
    std::fs::write(&p, "Voyager 1\tVoyager\n").unwrap();
    let mut b = DictionaryBuilder::new();
    b.add_path(dir.path()).unwrap();
    let d = b.build().unwrap();
    assert_eq!(&*d.entries()[0].kind, "spacecraft");
    assert_eq!(&*d.entries()[0].id, "spacecraft:voyager-1");
    assert!(d.entries()[0].origin.ends_with("spacecraft.tsv:1"));
}
