use std::collections::{BTreeMap, BTreeSet};

use super::*;
use crate::resolve::tests::{lcg, mention_at};

/// The canonical name and type of a person, in the reference.
type Name = (Arc<str>, Arc<str>);

/// The document-wide rule as first written (one Aho-Corasick automaton over the unique words):
/// the reference for [`PartialNames`].
fn reference_partial(text: &str, resolved: &mut Vec<Resolved>) {
    use aho_corasick::{AhoCorasick, MatchKind};
    let mut owners: BTreeMap<String, BTreeSet<Arc<str>>> = BTreeMap::new();
    let mut full: BTreeMap<Arc<str>, Name> = BTreeMap::new();
    for Resolved { mention: m, .. } in resolved.iter() {
        if &*m.kind != "person" {
            continue;
        }
        let words: Vec<&str> = m.entity.split(' ').filter(|w| !w.is_empty()).collect();
        if words.len() < 2 {
            continue;
        }
        full.insert(m.id.clone(), (m.entity.clone(), m.kind.clone()));
        for w in [words[0], words[words.len() - 1]] {
            let w = w.trim_end_matches('.');
            if w.chars().count() < 2
                || !w.chars().next().is_some_and(char::is_uppercase)
                || NOT_PARTIAL.contains(&w)
            {
                continue;
            }
            owners
                .entry(w.to_string())
                .or_default()
                .insert(m.id.clone());
        }
    }
    for Resolved { mention: m, .. } in resolved.iter_mut() {
        let ids = owners.get(&*m.entity).filter(|ids| ids.len() == 1);
        if let (true, Some(ids)) = (&*m.kind == "person" && !m.entity.contains(' '), ids) {
            let id = ids.iter().next().unwrap();
            m.entity = full[id].0.clone();
            m.id = id.clone();
        }
    }
    let unique: Vec<(&String, &Arc<str>)> = owners
        .iter()
        .filter(|(_, ids)| ids.len() == 1)
        .map(|(w, ids)| (w, ids.iter().next().unwrap()))
        .collect();
    if unique.is_empty() {
        return;
    }
    let ac = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .build(unique.iter().map(|(w, _)| w.as_str()))
        .unwrap();
    let taken: Vec<Span> = resolved.iter().map(|r| r.span).collect();
    let mut added = Vec::new();
    for m in ac.find_iter(text) {
        let span = Span::new(m.start(), m.end());
        if !on_word_boundaries(text, span.start, span.end) || text[..span.start].ends_with('@') {
            continue;
        }
        let i = taken.partition_point(|s| s.end <= span.start);
        if taken.get(i).is_some_and(|s| s.overlaps(&span)) {
            continue;
        }
        let (_, id) = unique[m.pattern().as_usize()];
        let (entity, kind) = &full[id];
        added.push(Resolved {
            span,
            mention: Mention {
                span,
                entity: entity.clone(),
                id: id.clone(),
                kind: kind.clone(),
                source: "coref".into(),
                origin: "".into(),
                beat: Vec::new(),
            },
        });
    }
    resolved.extend(added);
    resolved.sort_by_key(|r| r.span.start);
}

/// [`PartialNames`] on a whole text, scanning as `scan` says: the mentions and the ones added, in
/// text order.
fn apply_whole(text: &str, mut mentions: Vec<Resolved>, scan: Option<Scan>) -> Vec<Resolved> {
    let words = CandidateWords::find(text, &mentions);
    let added =
        PartialNames::new().apply_with(text, &words, &mut mentions, &NameWords::default(), scan);
    mentions.extend(added);
    mentions.sort_by_key(|r| r.span.start);
    mentions
}

/// A person mention of its own full name `name` at `start`.
fn person(start: usize, name: &str) -> Resolved {
    mention_at(start, name, "person")
}

/// Both scans (whole words; every uppercase char) give the reference's mentions.
#[test]
fn partial_names_match_reference() {
    let names = [
        "Ann Lee",
        "Lee Marvin",
        "Jean-Luc Picard",
        "Ann Smith",
        "Mary O'Brien",
        "Bo Li",
        // An owner word of word chars that runs past where a punctuated one starts inside a
        // word ("AnnJean-Luc"): what it skips is worked out when that word is met.
        "Bo AnnJe",
        "Luc Besson",
        "Zoé D'Arcy",
        // Two punctuated owner words with one head: the longer one wins where both fit.
        "Jean-Lucas Moreau",
    ];
    let words = [
        "Ann",
        "Lee",
        "Marvin",
        "Jean-Luc",
        "Jean",
        "Picard",
        "Smith",
        "Smithson",
        "O'Brien",
        "McLee",
        "@Lee",
        "xAnn",
        "Bo",
        "Li",
        "said",
        ".",
        ",",
        "Luc",
        "Brien",
        "-",
        "AnnJean-Luc",
        "AnnJe",
        "xJean-Luc",
        "AnnJeLuc",
        "ÉAnnJean-Luc",
        "Zoé",
        "ZoéD'Arcy",
        "D'Arcy",
        "Arcy",
        "Jean-Lucas",
        "Jean-Lu",
    ];
    // Texts where that skip decides whether "Luc" is found (names and words, spaced).
    let fixed: &[&[&str]] = &[
        &[
            "Bo AnnJe",
            "Jean-Luc Picard",
            "Luc Besson",
            "AnnJean-Luc",
            "said",
        ],
        &[
            "Luc Besson",
            "Jean-Luc Picard",
            "Bo AnnJe",
            "xAnnJean-Luc",
            "Luc",
        ],
        &[
            "Zoé D'Arcy",
            "Bo AnnJe",
            "ÉAnnJean-Luc",
            "Jean-Luc Picard",
            "Luc Besson",
        ],
    ];
    let mut next = lcg(11);
    let mut punctuated = 0;
    for round in 0..6000 + fixed.len() {
        let mut text = String::new();
        let mut full_spans = Vec::new();
        if let Some(tokens) = fixed.get(round) {
            for t in tokens.iter() {
                if names.contains(t) {
                    full_spans.push((text.len(), *t));
                }
                text.push_str(t);
                text.push(' ');
            }
        }
        for _ in 0..if round < fixed.len() { 0 } else { next() % 14 } {
            if next().is_multiple_of(5) {
                let n = names[next() % names.len()];
                if round % 2 == 0 && n.contains(['-', '\'']) {
                    continue;
                }
                full_spans.push((text.len(), n));
                text.push_str(n);
            } else {
                text.push_str(words[next() % words.len()]);
            }
            text.push(if next().is_multiple_of(4) { '-' } else { ' ' });
        }
        let mentions: Vec<Resolved> = full_spans.iter().map(|&(s, n)| person(s, n)).collect();
        punctuated += usize::from(full_spans.iter().any(|(_, n)| n.contains(['-', '\''])));
        let key = |v: &[Resolved]| -> Vec<(Span, String)> {
            v.iter()
                .map(|r| (r.span, r.mention.id.to_string()))
                .collect()
        };
        let mut expected = mentions.clone();
        reference_partial(&text, &mut expected);
        for scan in [None, Some(Scan::EveryCapital)] {
            let got = apply_whole(&text, mentions.clone(), scan);
            assert_eq!(key(&got), key(&expected), "{text:?} ({scan:?})");
        }
    }
    assert!(punctuated > 500, "{punctuated}");
}

/// Where the chunk's uppercase chars are, and which start a whole word that could be a partial
/// name.
#[test]
fn partial_candidate_words_table() {
    let text = "Ann met @Bo, McLee and J. Émile (ÉA) at Zoé's; X";
    let mentions = [person(text.find("Zoé").unwrap(), "Zoé")];
    let got: Vec<(&str, &str, bool)> = CandidateWords::find(text, &mentions)
        .capitals
        .iter()
        .map(|c| (&text[c.at..], &text[c.at..c.word_end], c.whole_word))
        .map(|(from, word, whole)| {
            (
                &from[..from.chars().next().unwrap().len_utf8()],
                word,
                whole,
            )
        })
        .collect();
    let expected = [
        ("A", "Ann", true),
        ("B", "Bo", false), // a handle
        ("M", "McLee", true),
        ("L", "Lee", false), // inside a word
        ("J", "J", false),   // one char
        ("É", "Émile", true),
        ("É", "ÉA", true),
        ("A", "A", false),
        ("Z", "Zoé", false), // a mention
        ("X", "X", false),
    ];
    assert_eq!(got, expected);
}
