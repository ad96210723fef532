//! Tests of the whole stage, and the helpers the stage's files share in their tests.

use std::sync::Arc;

use super::*;
use crate::normalize::normalize;
use crate::recognize::{DictionaryBuilder, Rank};

/// A candidate of `kind` at `s..e`, from a dictionary or a rule `t` as `rank` says.
pub(super) fn cand(
    s: usize,
    e: usize,
    kind: &str,
    entity: Option<&str>,
    rank: Rank,
    priority: i32,
) -> Candidate {
    Candidate {
        span: Span::new(s, e),
        kind: kind.into(),
        entity: entity.map(Into::into),
        id: None,
        rank,
        priority,
        source: if rank == Rank::Dictionary {
            "dictionary".into()
        } else {
            "pattern:t".into()
        },
        origin: "t".into(),
        guard: false,
        extends: true,
    }
}

/// A dictionary mention of `name` (its own canonical name) of type `kind` at byte `start`.
pub(super) fn mention_at(start: usize, name: &str, kind: &str) -> Resolved {
    let span = Span::new(start, start + name.len());
    Resolved {
        span,
        mention: Mention {
            span,
            entity: name.into(),
            id: crate::model::entity_id(kind, name).into(),
            kind: kind.into(),
            source: "dictionary".into(),
            origin: "test".into(),
            beat: Vec::new(),
        },
    }
}

/// A small seeded generator (an LCG) for the randomized tests: the same numbers every run.
pub(super) fn lcg(mut seed: u64) -> impl FnMut() -> usize {
    move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize
    }
}

/// Resolves `text` as one document: (text, id, source) of each mention.
fn run(
    text: &str,
    cands: Vec<Candidate>,
    dict: Option<Dictionary>,
) -> Vec<(String, String, String)> {
    let n = normalize(text);
    let dictionary = Arc::new(dict.unwrap_or_else(Dictionary::empty));
    Resolver::new(dictionary, ResolveOptions::default())
        .resolve(cands, &n, text)
        .into_iter()
        .map(|m| {
            (
                text[m.span.start..m.span.end].to_string(),
                m.id.to_string(),
                m.source.to_string(),
            )
        })
        .collect()
}

#[test]
fn resolve_partial_names() {
    let text = "Christopher McQuarrie spoke. McQuarrie said Christopher had a plan.";
    let got = run(
        text,
        vec![cand(0, 21, "person", None, Rank::Pattern, 0)],
        None,
    );
    let expected = [
        (
            "Christopher McQuarrie",
            "person:christopher-mcquarrie",
            "pattern:t",
        ),
        ("McQuarrie", "person:christopher-mcquarrie", "coref"),
        ("Christopher", "person:christopher-mcquarrie", "coref"),
    ]
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()));
    assert_eq!(got, expected);
}

#[test]
fn resolve_regnal_numbers_are_no_partial_names() {
    // "IV" and "Henry" of "Henry IV": the given name is his, the number no one's.
    let text = "Henry IV ruled. Chapter IV tells how Henry died.";
    let mut b = DictionaryBuilder::new();
    b.add_entity("person", "Henry IV", &[], "t:1");
    let got = run(
        text,
        vec![cand(0, 8, "person", None, Rank::Dictionary, 0)],
        Some(b.build().unwrap()),
    );
    let texts: Vec<&str> = got.iter().map(|(t, _, _)| t.as_str()).collect();
    assert_eq!(texts, ["Henry IV", "Henry"]);
}

#[test]
fn resolve_partial_names_off() {
    let text = "Christopher McQuarrie spoke. McQuarrie said Christopher had a plan.";
    let options = ResolveOptions {
        partial_names: false,
        explain: true,
    };
    let resolver = Resolver::new(Arc::new(Dictionary::empty()), options);
    let cands = vec![cand(0, 21, "person", None, Rank::Pattern, 0)];
    let mentions = resolver.resolve(cands, &normalize(text), text);
    assert_eq!(mentions.len(), 1);
}

#[test]
fn resolve_ambiguous_surname_left_alone() {
    let text = "Michael Johnson and Boris Johnson met. Johnson left. Boris stayed.";
    let got = run(
        text,
        vec![
            cand(0, 15, "person", None, Rank::Pattern, 0),
            cand(20, 33, "person", None, Rank::Pattern, 0),
        ],
        None,
    );
    let texts: Vec<&str> = got.iter().map(|g| g.0.as_str()).collect();
    assert_eq!(texts, ["Michael Johnson", "Boris Johnson", "Boris"]);
}

#[test]
fn resolve_pattern_takes_dictionary_entity() {
    let mut b = DictionaryBuilder::new();
    b.add_entity("place", "Los Angeles", &["L.A."], "d:1");
    let d = b.build().unwrap();
    let text = "the L.A. office";
    let got = run(
        text,
        vec![cand(4, 8, "organization", None, Rank::Pattern, 0)],
        Some(d),
    );
    assert_eq!(
        got,
        [(
            "L.A.".into(),
            "place:los-angeles".into(),
            "pattern:t".into()
        )]
    );
}

#[test]
fn resolve_maps_offsets_to_original() {
    let text = "\u{201C}Tom\u{00A0}Cruise\u{201D}\u{2019}s";
    let n = normalize(text);
    let s = n.text.find("Tom").unwrap();
    let cands = vec![cand(
        s,
        s + 10,
        "person",
        Some("Tom Cruise"),
        Rank::Dictionary,
        0,
    )];
    let m = Resolver::new(Arc::new(Dictionary::empty()), ResolveOptions::default())
        .resolve(cands, &n, text);
    assert_eq!(&text[m[0].span.start..m[0].span.end], "Tom\u{00A0}Cruise");
}

/// A document given in chunks, prepared and applied one after the other, resolves against the
/// full names of the chunks seen so far; given whole, against the whole document.
#[test]
fn resolve_chunks_see_names_so_far() {
    let chunks = [
        "McQuarrie arrived. ",
        "Christopher McQuarrie spoke. ",
        "McQuarrie left.",
    ];
    let full = |at: usize| cand(at, at + 21, "person", None, Rank::Pattern, 0);
    let resolver = Resolver::new(Arc::new(Dictionary::empty()), ResolveOptions::default());
    let mut names = PartialNames::new();
    let mut found = Vec::new();
    for (i, chunk) in chunks.iter().enumerate() {
        let cands = if i == 1 { vec![full(0)] } else { Vec::new() };
        let mut prepared = resolver.prepare(cands, chunk);
        let added = resolver.apply(chunk, &mut prepared, &mut names);
        for r in prepared.mentions.into_iter().chain(added) {
            found.push((i, chunk[r.span.start..r.span.end].to_string()));
        }
    }
    assert_eq!(
        found,
        [(1, "Christopher McQuarrie".into()), (2, "McQuarrie".into())]
    );
    let whole = chunks.concat();
    let got = run(&whole, vec![full(chunks[0].len())], None);
    let texts: Vec<&str> = got.iter().map(|g| g.0.as_str()).collect();
    assert_eq!(texts, ["McQuarrie", "Christopher McQuarrie", "McQuarrie"]);
}

#[test]
fn a_name_glued_by_a_hyphen_to_a_capitalized_word_is_no_mention() {
    assert!(super::glued(
        "Cleveland-Cliffs said",
        crate::model::Span::new(0, 9)
    ));
    assert!(super::glued(
        "Shai Gilgeous-Alexander",
        crate::model::Span::new(14, 23)
    ));
    assert!(!super::glued(
        "a Paris-based firm",
        crate::model::Span::new(2, 7)
    ));
    assert!(!super::glued(
        "the anti-Paris mood",
        crate::model::Span::new(9, 14)
    ));
    assert!(!super::glued(
        "Paris - and London",
        crate::model::Span::new(0, 5)
    ));
}
