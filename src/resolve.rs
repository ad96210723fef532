//! Resolution: consumes the candidates of every recognizer for one document, produces its
//! [`Mention`]s — non-overlapping, each with a canonical entity, in text order, with spans into the
//! document as read.
//!
//! # The overlap rule (one rule, applied once)
//! Candidates are ordered by: longer span first; then dictionary before pattern; then higher rule
//! priority; then earlier start; then type and name (for determinism). They are kept greedily,
//! dropping any that overlaps one already kept. So "Stade de France" (place) swallows the
//! "France" inside it, and "Paris Olympics", found by a guard rule (`emit = false`, which wins
//! like any candidate but yields no mention), keeps "Paris" from being the place. A name right
//! after `@` is a social-media handle, not a mention; after `#` (a hashtag, "#MI7") it counts.
//!
//! # Names
//! A pattern mention whose text is a dictionary name or alias takes that entity (id and type);
//! otherwise its canonical name is its own text. Then, within the document, partial names of
//! people are resolved as GATE's orthomatcher does: after "Christopher McQuarrie", a bare
//! "McQuarrie" (or "Christopher") is him — unless that word fits two people of the document, in which
//! case it is left unresolved rather than guessed.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use aho_corasick::{AhoCorasick, MatchKind};

use crate::model::{Mention, Span, entity_id};
use crate::normalize::Normalized;
use crate::recognize::{Candidate, Dictionary, on_word_boundaries};

/// Options for resolution.
#[derive(Debug, Clone, Copy)]
pub struct ResolveOptions {
    /// Resolve partial person names within a document (on by default).
    pub partial_names: bool,
}

impl Default for ResolveOptions {
    fn default() -> Self {
        ResolveOptions {
            partial_names: true,
        }
    }
}

fn describe(c: &Candidate, text: &str) -> String {
    format!(
        "{} '{}' ({})",
        c.kind,
        &text[c.span.start..c.span.end],
        c.origin
    )
}

/// Keeps the winners of the overlap rule; returns them in text order, each with the descriptions of
/// the candidates it beat.
///
/// ```
/// use std::sync::Arc;
/// use entgraph::model::Span;
/// use entgraph::recognize::{Candidate, Rank};
/// let c = |s, e, kind: &str| Candidate { span: Span::new(s, e), kind: kind.into(), entity: None,
///     rank: Rank::Dictionary, priority: 0, source: "dictionary".into(), origin: "t".into(), guard: false };
/// let text = "atop the Stade de France";
/// let kept = entgraph::resolve::select(vec![c(18, 24, "place"), c(9, 24, "place")], text);
/// assert_eq!(kept.len(), 1);
/// assert_eq!(kept[0].0.span, Span::new(9, 24));
/// assert_eq!(kept[0].1.len(), 1);
/// ```
pub fn select(mut candidates: Vec<Candidate>, text: &str) -> Vec<(Candidate, Vec<String>)> {
    candidates.sort_by(|a, b| {
        b.span
            .len()
            .cmp(&a.span.len())
            .then(a.rank.cmp(&b.rank))
            .then(b.priority.cmp(&a.priority))
            .then(a.span.start.cmp(&b.span.start))
            .then_with(|| a.kind.cmp(&b.kind))
            .then_with(|| a.entity.cmp(&b.entity))
            .then_with(|| a.source.cmp(&b.source))
    });
    candidates.dedup_by(|a, b| {
        a.span == b.span && a.kind == b.kind && a.entity == b.entity && a.rank == b.rank
    });
    // start -> index into kept
    let mut by_start: BTreeMap<usize, usize> = BTreeMap::new();
    let mut kept: Vec<(Candidate, Vec<String>)> = Vec::new();
    for c in candidates {
        // Empty spans, and names right after '@' (social-media handles are accounts, not mentions).
        if c.span.is_empty() || text[..c.span.start].ends_with('@') {
            continue;
        }
        // The kept span starting at or before c, and the first one starting after c.start.
        let before = by_start.range(..=c.span.start).next_back().map(|(_, &i)| i);
        let after = by_start
            .range(c.span.start..c.span.end)
            .next()
            .map(|(_, &i)| i);
        let hit = before
            .filter(|&i| kept[i].0.span.overlaps(&c.span))
            .or(after.filter(|&i| kept[i].0.span.overlaps(&c.span)));
        match hit {
            Some(i) => {
                let d = describe(&c, text);
                kept[i].1.push(d);
            }
            None => {
                by_start.insert(c.span.start, kept.len());
                kept.push((c, Vec::new()));
            }
        }
    }
    kept.retain(|(c, _)| !c.guard);
    kept.sort_by_key(|(c, _)| c.span.start);
    kept
}

/// Resolves one document's candidates into mentions (see the module docs).
///
/// `norm` is the normalized text the candidates' spans refer to; `original` is the document as read.
pub fn resolve(
    candidates: Vec<Candidate>,
    norm: &Normalized,
    original: &str,
    dictionary: Option<&Dictionary>,
    options: ResolveOptions,
) -> Vec<Mention> {
    let text = norm.text.as_str();
    let kept = select(candidates, text);
    // (span in normalized text, mention without final span)
    let mut resolved: Vec<(Span, Mention)> = Vec::with_capacity(kept.len());
    for (c, beat) in kept {
        let surface = &text[c.span.start..c.span.end];
        let looked = if c.entity.is_none() {
            dictionary.and_then(|d| d.lookup(surface))
        } else {
            None
        };
        let (entity, kind, id): (Arc<str>, Arc<str>, String) = match (&c.entity, looked) {
            (Some(e), _) => (e.clone(), c.kind.clone(), entity_id(&c.kind, e)),
            (None, Some(entry)) => (
                entry.canonical.clone(),
                entry.kind.clone(),
                entry.id.to_string(),
            ),
            (None, None) => (surface.into(), c.kind.clone(), entity_id(&c.kind, surface)),
        };
        resolved.push((
            c.span,
            Mention {
                span: c.span,
                entity: entity.to_string(),
                id,
                kind: kind.to_string(),
                source: c.source.to_string(),
                origin: c.origin.to_string(),
                beat,
            },
        ));
    }
    if options.partial_names {
        partial_names(text, &mut resolved);
    }
    resolved
        .into_iter()
        .map(|(span, mut m)| {
            let (s, e) = norm.span_to_original(span.start, span.end, original);
            m.span = Span::new(s, e);
            m
        })
        .collect()
}

/// Words that are never taken as a partial name on their own.
const NOT_PARTIAL: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "Sir", "Dame", "Jr", "Sr", "The", "De", "Van", "Von", "Le", "La",
    "Da", "Di", "Del",
];

fn partial_names(text: &str, resolved: &mut Vec<(Span, Mention)>) {
    // word -> ids of the full names (two words or more) of people in this document that contain it
    // as first or last word.
    let mut owners: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut full: BTreeMap<String, (String, String)> = BTreeMap::new(); // id -> (entity, kind)
    for (_, m) in resolved.iter() {
        if m.kind != "person" {
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
    if owners.is_empty() {
        return;
    }
    // Existing one-word person mentions that name a partial: point them at the full name.
    for (_, m) in resolved.iter_mut() {
        if m.kind == "person"
            && !m.entity.contains(' ')
            && let Some(ids) = owners.get(&m.entity)
            && ids.len() == 1
        {
            let id = ids.iter().next().unwrap();
            let (entity, _) = &full[id];
            m.origin = format!("partial name of {entity}");
            m.entity = entity.clone();
            m.id = id.clone();
        }
    }
    let unique: Vec<(&String, &String)> = owners
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
        .expect("small automaton");
    let taken: Vec<Span> = resolved.iter().map(|(s, _)| *s).collect();
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
        added.push((
            span,
            Mention {
                span,
                entity: entity.clone(),
                id: id.clone(),
                kind: kind.clone(),
                source: "coref".into(),
                origin: format!("partial name of {entity}"),
                beat: Vec::new(),
            },
        ));
    }
    if !added.is_empty() {
        resolved.extend(added);
        resolved.sort_by_key(|(s, _)| s.start);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize;
    use crate::recognize::{DictionaryBuilder, Rank};

    fn cand(
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
            rank,
            priority,
            source: if rank == Rank::Dictionary {
                "dictionary".into()
            } else {
                "pattern:t".into()
            },
            origin: "t".into(),
            guard: false,
        }
    }

    #[test]
    fn select_rule_table() {
        use Rank::*;
        // (name, candidates, expected kept spans with kind)
        type Case = (
            &'static str,
            Vec<Candidate>,
            Vec<(usize, usize, &'static str)>,
        );
        let cases: Vec<Case> = vec![
            (
                "longer wins",
                vec![
                    cand(0, 5, "place", None, Dictionary, 0),
                    cand(0, 14, "event", None, Pattern, 0),
                ],
                vec![(0, 14, "event")],
            ),
            (
                "dictionary wins tie",
                vec![
                    cand(0, 5, "org", None, Pattern, 9),
                    cand(0, 5, "place", None, Dictionary, 0),
                ],
                vec![(0, 5, "place")],
            ),
            (
                "priority among rules",
                vec![
                    cand(0, 5, "org", None, Pattern, 1),
                    cand(0, 5, "person", None, Pattern, 2),
                ],
                vec![(0, 5, "person")],
            ),
            (
                "earlier wins equal length",
                vec![
                    cand(3, 8, "b", None, Pattern, 0),
                    cand(0, 5, "a", None, Pattern, 0),
                ],
                vec![(0, 5, "a")],
            ),
            (
                "disjoint both kept",
                vec![
                    cand(6, 8, "b", None, Pattern, 0),
                    cand(0, 5, "a", None, Pattern, 0),
                ],
                vec![(0, 5, "a"), (6, 8, "b")],
            ),
        ];
        for (name, cands, expected) in cases {
            let text = "xxxxxxxxxxxxxxxxxxxx";
            let got: Vec<(usize, usize, String)> = select(cands, text)
                .iter()
                .map(|(c, _)| (c.span.start, c.span.end, c.kind.to_string()))
                .collect();
            let expected: Vec<(usize, usize, String)> = expected
                .into_iter()
                .map(|(s, e, k)| (s, e, k.to_string()))
                .collect();
            assert_eq!(got, expected, "case {name}");
        }
    }

    fn run(
        text: &str,
        cands: Vec<Candidate>,
        dict: Option<&Dictionary>,
    ) -> Vec<(String, String, String)> {
        let n = normalize(text);
        resolve(cands, &n, text, dict, ResolveOptions::default())
            .into_iter()
            .map(|m| (text[m.span.start..m.span.end].to_string(), m.id, m.source))
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
        assert_eq!(
            got,
            [
                (
                    "Christopher McQuarrie".into(),
                    "person:christopher-mcquarrie".into(),
                    "pattern:t".into()
                ),
                (
                    "McQuarrie".into(),
                    "person:christopher-mcquarrie".into(),
                    "coref".into()
                ),
                (
                    "Christopher".into(),
                    "person:christopher-mcquarrie".into(),
                    "coref".into()
                ),
            ]
        );
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
            Some(&d),
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
        let m = resolve(
            vec![cand(
                s,
                s + 10,
                "person",
                Some("Tom Cruise"),
                Rank::Dictionary,
                0,
            )],
            &n,
            text,
            None,
            ResolveOptions::default(),
        );
        assert_eq!(&text[m[0].span.start..m[0].span.end], "Tom\u{00A0}Cruise");
    }
}
