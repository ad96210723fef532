//! The overlap rule (see the module docs of [`crate::resolve`]): which candidates become mentions.
//!
//! A candidate can only be beaten by one it overlaps, so the rule is applied to each cluster of
//! overlapping candidates on its own (the same outcome as one pass over all of them in rule
//! order), cluster after cluster in text order: each touches only its own few candidates and
//! bytes of text, where one sort of a whole chunk's candidates by the rule would hop all over
//! them. A test compares it with the one-pass rule on generated candidates.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use crate::model::Span;
use crate::recognize::{Candidate, Rank};

/// A candidate kept by the overlap rule, with the descriptions of the candidates it beat.
#[derive(Debug)]
pub(super) struct Winner {
    pub candidate: Candidate,
    pub beat: Vec<String>,
}

impl Winner {
    fn new(candidate: Candidate) -> Self {
        Winner {
            candidate,
            beat: Vec::new(),
        }
    }
}

/// True when the name at `start` is right after '@': a social-media handle (an account, not a
/// mention), which neither wins nor blocks.
pub(super) fn is_handle(text: &str, start: usize) -> bool {
    text[..start].ends_with('@')
}

/// Keeps the winners of the overlap rule among `candidates` (spans into `text`); returns them in
/// text order without the guards, each with the descriptions of the candidates it beat (only
/// when `explain`).
pub(super) fn select(mut candidates: Vec<Candidate>, text: &str, explain: bool) -> Vec<Winner> {
    // Fast path (a dictionary alone): candidates already in text order, none empty, none
    // overlapping the next: the rule keeps them all.
    if candidates
        .windows(2)
        .all(|w| w[0].span.end <= w[1].span.start && !w[0].span.is_empty())
        && candidates.last().is_none_or(|c| !c.span.is_empty())
    {
        candidates.retain(|c| !c.guard && !is_handle(text, c.span.start));
        return candidates.into_iter().map(Winner::new).collect();
    }
    // A pattern candidate that strictly contains a dictionary name of two words or more, and
    // whose rule may not extend one, loses to that name (a one-word name inside a longer one, as
    // "Schumacher" in "Jack Schumacher", is often a different entity).
    let swallowed = keep_dictionary_names_whole(&mut candidates, text, explain);
    // Empty spans and handles neither win nor block.
    let mut extents: Vec<Extent> = candidates
        .iter()
        .enumerate()
        .filter(|(_, c)| !c.span.is_empty() && !is_handle(text, c.span.start))
        .map(|(i, c)| Extent {
            start: c.span.start,
            end: c.span.end,
            slot: i as u32,
        })
        .collect();
    extents.sort_unstable();
    let mut slots: Vec<Option<Candidate>> = candidates.into_iter().map(Some).collect();
    let mut kept: Vec<Winner> = Vec::new();
    let mut cluster: Vec<u32> = Vec::new();
    let mut i = 0;
    while i < extents.len() {
        let first = extents[i];
        let mut end = first.end;
        let mut j = i + 1;
        while j < extents.len() && extents[j].start < end {
            end = end.max(extents[j].end);
            j += 1;
        }
        if j == i + 1 {
            let c = slots[first.slot as usize].take().expect("each slot once");
            if !c.guard {
                kept.push(Winner::new(c));
            }
        } else {
            cluster.clear();
            cluster.extend(extents[i..j].iter().map(|e| e.slot));
            keep_cluster(&cluster, &mut slots, text, explain, &mut kept);
        }
        i = j;
    }
    for (span, description) in swallowed {
        // Described in the first winner inside the span it did not get.
        let at = kept.partition_point(|w| w.candidate.span.start < span.start);
        if let Some(w) = kept[at..]
            .iter_mut()
            .take_while(|w| w.candidate.span.start < span.end)
            .find(|w| w.candidate.span.end <= span.end)
        {
            w.beat.push(description);
        }
    }
    kept
}

/// Removes from `candidates` every pattern candidate that strictly contains a dictionary
/// candidate of two words or more and may not extend one (its rule has no `extends = true`, and it is no guard): "Keanu
/// Reeves Biography" leaves the person "Keanu Reeves", "Top Gun Within" the film "Top Gun".
/// A person whose name begins with a dictionary person's and goes on after a space is a longer
/// name of someone else ("William Henry Gates III", "John Walker Lindh"), and stays (not after a
/// hyphen: "Boris Johnson–Emmanuel Mendoza" names two people): the person rules
/// take no head noun, so "Keanu Reeves Biography" is never such a candidate.
/// Returns the span and description of each one removed (descriptions only when `explain`).
fn keep_dictionary_names_whole(
    candidates: &mut Vec<Candidate>,
    text: &str,
    explain: bool,
) -> Vec<(Span, String)> {
    if candidates.iter().all(|c| c.extends) {
        return Vec::new();
    }
    let mut names: Vec<(Span, bool)> = candidates
        .iter()
        .filter(|c| c.rank == Rank::Dictionary && text[c.span.start..c.span.end].contains(' '))
        .map(|c| (c.span, &*c.kind == "person"))
        .collect();
    if names.is_empty() {
        return Vec::new();
    }
    names.sort_unstable_by_key(|(s, _)| (s.start, s.end));
    // True when `span` strictly contains a name that it may not extend.
    let contains_name = |span: Span, person: bool| {
        let at = names.partition_point(|(s, _)| s.start < span.start);
        names[at..]
            .iter()
            .take_while(|(s, _)| s.start < span.end)
            .any(|&(s, named_person)| {
                s.end <= span.end
                    && s != span
                    && !(person
                        && named_person
                        && s.start == span.start
                        && text[s.end..].starts_with(' '))
            })
    };
    let mut removed = Vec::new();
    candidates.retain(|c| {
        if c.extends || c.rank == Rank::Dictionary || !contains_name(c.span, &*c.kind == "person") {
            return true;
        }
        removed.push((
            c.span,
            if explain {
                describe(c, text)
            } else {
                String::new()
            },
        ));
        false
    });
    if !explain {
        removed.clear();
    }
    removed
}

/// A candidate's span and its index in the slots of [`select`]; sorted by start, then end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Extent {
    start: usize,
    end: usize,
    slot: u32,
}

/// The order in which the overlap rule takes candidates (see the module docs of
/// [`crate::resolve`]).
pub(super) fn rule_order(a: &Candidate, b: &Candidate) -> Ordering {
    b.span
        .len()
        .cmp(&a.span.len())
        .then(a.rank.cmp(&b.rank))
        .then(b.priority.cmp(&a.priority))
        .then(a.span.start.cmp(&b.span.start))
        .then_with(|| a.kind.cmp(&b.kind))
        .then_with(|| a.entity.cmp(&b.entity))
        .then_with(|| a.source.cmp(&b.source))
}

/// The same candidate found twice (a name in two dictionary files, say), which counts once; the
/// same name found by two rules is two candidates (each is described when it loses).
pub(super) fn same_candidate(a: &Candidate, b: &Candidate) -> bool {
    a.span == b.span
        && a.kind == b.kind
        && a.entity == b.entity
        && a.rank == b.rank
        && a.priority == b.priority
        && a.source == b.source
}

/// How a beaten candidate is described in [`crate::Mention::beat`].
pub(super) fn describe(c: &Candidate, text: &str) -> String {
    format!(
        "{} '{}' ({})",
        c.kind,
        &text[c.span.start..c.span.end],
        c.origin
    )
}

/// The overlap rule on one cluster of overlapping candidates (indices into `slots`): appends the
/// winners that are not guards to `kept`, in text order. A beaten candidate is described in the
/// winner it overlaps that starts at or before it, else in the first one after.
fn keep_cluster(
    cluster: &[u32],
    slots: &mut [Option<Candidate>],
    text: &str,
    explain: bool,
    kept: &mut Vec<Winner>,
) {
    let get = |i: u32| slots[i as usize].as_ref().expect("each slot once");
    let mut order = cluster.to_vec();
    // The rule's order; input order on full ties.
    order.sort_unstable_by(|&i, &j| rule_order(get(i), get(j)).then(i.cmp(&j)));
    order.dedup_by(|j, i| same_candidate(get(*j), get(*i)));
    let base = kept.len();
    // Most clusters are a name and the shorter names inside it: the winners are looked through
    // one by one; in a large cluster, by start (start -> index into kept).
    let mut starts: Option<BTreeMap<usize, usize>> = (order.len() > 32).then(BTreeMap::new);
    for i in order {
        let c = slots[i as usize].take().expect("each slot once");
        let overlaps = |k: &usize| kept[*k].candidate.span.overlaps(&c.span);
        let hit = match &starts {
            None => (base..kept.len()).filter(overlaps).min_by_key(|&k| {
                let start = kept[k].candidate.span.start;
                (start > c.span.start, start.abs_diff(c.span.start))
            }),
            Some(starts) => {
                // The winner starting at or before c, and the first one starting after c.start.
                let before = starts.range(..=c.span.start).next_back().map(|(_, &k)| k);
                let after = starts
                    .range(c.span.start..c.span.end)
                    .next()
                    .map(|(_, &k)| k);
                before.filter(overlaps).or(after.filter(overlaps))
            }
        };
        match hit {
            Some(k) => {
                if explain {
                    kept[k].beat.push(describe(&c, text));
                }
            }
            None => {
                if let Some(starts) = &mut starts {
                    starts.insert(c.span.start, kept.len());
                }
                kept.push(Winner::new(c));
            }
        }
    }
    let mut won = kept.split_off(base);
    won.retain(|w| !w.candidate.guard);
    won.sort_unstable_by_key(|w| w.candidate.span.start);
    kept.append(&mut won);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Span;
    use crate::recognize::Rank;
    use crate::resolve::tests::{cand, lcg};

    /// The spans, types and beaten descriptions of the winners.
    fn outline(winners: &[Winner]) -> Vec<(Span, String, Vec<String>)> {
        winners
            .iter()
            .map(|w| {
                (
                    w.candidate.span,
                    w.candidate.kind.to_string(),
                    w.beat.clone(),
                )
            })
            .collect()
    }

    #[test]
    fn select_rule_table() {
        use Rank::*;
        struct Case {
            name: &'static str,
            candidates: Vec<Candidate>,
            /// The spans kept, with their types.
            kept: Vec<(usize, usize, &'static str)>,
        }
        let cases = [
            Case {
                name: "longer wins",
                candidates: vec![
                    cand(0, 5, "place", None, Dictionary, 0),
                    cand(0, 14, "event", None, Pattern, 0),
                ],
                kept: vec![(0, 14, "event")],
            },
            Case {
                name: "dictionary wins tie",
                candidates: vec![
                    cand(0, 5, "org", None, Pattern, 9),
                    cand(0, 5, "place", None, Dictionary, 0),
                ],
                kept: vec![(0, 5, "place")],
            },
            Case {
                name: "priority among rules",
                candidates: vec![
                    cand(0, 5, "org", None, Pattern, 1),
                    cand(0, 5, "person", None, Pattern, 2),
                ],
                kept: vec![(0, 5, "person")],
            },
            Case {
                name: "earlier wins equal length",
                candidates: vec![
                    cand(3, 8, "b", None, Pattern, 0),
                    cand(0, 5, "a", None, Pattern, 0),
                ],
                kept: vec![(0, 5, "a")],
            },
            Case {
                name: "disjoint both kept",
                candidates: vec![
                    cand(6, 8, "b", None, Pattern, 0),
                    cand(0, 5, "a", None, Pattern, 0),
                ],
                kept: vec![(0, 5, "a"), (6, 8, "b")],
            },
        ];
        for case in cases {
            let text = "xxxxxxxxxxxxxxxxxxxx";
            let got: Vec<(Span, String)> = select(case.candidates, text, true)
                .iter()
                .map(|w| (w.candidate.span, w.candidate.kind.to_string()))
                .collect();
            let expected: Vec<(Span, String)> = case
                .kept
                .into_iter()
                .map(|(s, e, k)| (Span::new(s, e), k.to_string()))
                .collect();
            assert_eq!(got, expected, "case {}", case.name);
        }
    }

    #[test]
    fn select_keeps_dictionary_names_whole_but_lets_a_person_go_on() {
        let text = "William Henry Gates III met Top Gun Within";
        let rule = |s, e, kind| {
            let mut c = cand(s, e, kind, None, Rank::Pattern, 10);
            c.extends = false;
            c
        };
        let candidates = vec![
            cand(0, 13, "person", None, Rank::Dictionary, 0),
            rule(0, 23, "person"),
            cand(28, 35, "film", None, Rank::Dictionary, 0),
            rule(28, 42, "person"),
        ];
        let got: Vec<(Span, String)> = select(candidates, text, false)
            .iter()
            .map(|w| (w.candidate.span, w.candidate.kind.to_string()))
            .collect();
        // The longer person stays; the film is not swallowed by a person.
        assert_eq!(
            got,
            [
                (Span::new(0, 23), "person".to_string()),
                (Span::new(28, 35), "film".to_string())
            ]
        );
    }

    #[test]
    fn select_guards_and_handles() {
        let text = "at @Paris Olympics";
        let mut guard = cand(4, 18, "event", None, Rank::Pattern, 0);
        guard.guard = true;
        let candidates = vec![cand(4, 9, "place", None, Rank::Dictionary, 0), guard];
        // The handle neither wins nor blocks; the guard wins but yields no mention.
        assert!(select(candidates, text, true).is_empty());
        let candidates = vec![cand(4, 9, "place", None, Rank::Dictionary, 0)];
        assert!(select(candidates, text, true).is_empty());
    }

    /// The overlap rule the plain way: every candidate of the document in the rule's order, one
    /// pass, each kept unless it overlaps a winner (then described in the winner starting at or
    /// before it, else the first after); a candidate equal to an earlier one counts once.
    fn reference_select(cands: &[Candidate], text: &str) -> Vec<(Span, String, Vec<String>)> {
        let mut order: Vec<usize> = (0..cands.len()).collect();
        // (a stable sort: input order on full ties)
        order.sort_by(|&i, &j| rule_order(&cands[i], &cands[j]));
        let mut kept: Vec<(&Candidate, Vec<String>)> = Vec::new();
        for (n, &i) in order.iter().enumerate() {
            let c = &cands[i];
            if c.span.is_empty()
                || text[..c.span.start].ends_with('@')
                || order[..n].iter().any(|&j| same_candidate(&cands[j], c))
            {
                continue;
            }
            let overlapping = |k: &&mut (&Candidate, Vec<String>)| k.0.span.overlaps(&c.span);
            let before = kept
                .iter_mut()
                .filter(|k| k.0.span.start <= c.span.start)
                .find(overlapping);
            let hit = match before {
                Some(k) => Some(k),
                None => kept
                    .iter_mut()
                    .filter(|k| k.0.span.start > c.span.start)
                    .filter(overlapping)
                    .min_by_key(|k| k.0.span.start),
            };
            match hit {
                Some(k) => k.1.push(describe(c, text)),
                None => kept.push((c, Vec::new())),
            }
        }
        kept.retain(|(c, _)| !c.guard);
        kept.sort_by_key(|(c, _)| c.span.start);
        kept.into_iter()
            .map(|(c, beat)| (c.span, c.kind.to_string(), beat))
            .collect()
    }

    #[test]
    fn select_matches_one_pass_reference() {
        use Rank::*;
        let mut next = lcg(7);
        let text = "ab@cdefghij@klmnopqrstuvwxyz0123456789@ABCDEFGHIJKLMNOPQRSTUVWXYZ.abcdefghijk";
        let mut big_clusters = 0;
        for round in 0..4000 {
            // Few candidates on a short stretch (small clusters), or many (large ones).
            let (n, width) = if round % 10 == 0 {
                (80, 70)
            } else {
                (next() % 12, 30)
            };
            let cands: Vec<Candidate> = (0..n)
                .map(|_| {
                    let s = next() % width;
                    let e = (s + next() % 8).min(text.len());
                    let mut c = cand(
                        s,
                        e,
                        ["person", "place"][next() % 2],
                        [None, Some("X")][next() % 2],
                        [Dictionary, Pattern][next() % 2],
                        (next() % 3) as i32,
                    );
                    if c.rank == Pattern && next().is_multiple_of(2) {
                        c.source = "pattern:u".into();
                    }
                    c.guard = next().is_multiple_of(9);
                    c
                })
                .collect();
            big_clusters += usize::from(n == 80);
            let expected = reference_select(&cands, text);
            let got = outline(&select(cands.clone(), text, true));
            assert_eq!(got, expected, "round {round}: {cands:?}");
            // Without explanations: the same winners, nothing described.
            let quiet = outline(&select(cands.clone(), text, false));
            let expected: Vec<_> = expected
                .into_iter()
                .map(|(span, kind, _)| (span, kind, Vec::new()))
                .collect();
            assert_eq!(quiet, expected, "round {round} (no explain)");
        }
        assert!(big_clusters > 0);
    }
}
