//! Which literals place a rule's searches: literals one of which starts every match (the rule is
//! then tried, anchored, only where one occurs), else literals one of which every match holds (the
//! rule runs only on the lines that hold one). See [`super::plan::RulePlan`].
//!
//! Prefixes and suffixes come from `regex_syntax`'s [`Extractor`]. Literals held inside a match
//! (" Corp " in `\p{Lu}\p{Ll}+ Corp \p{Lu}\p{Ll}+`, whose matches begin and end with large classes)
//! are found here: the Extractor looks at the edges only.

use std::cmp::Reverse;

use regex_syntax::hir::literal::{ExtractKind, Extractor, Seq};
use regex_syntax::hir::{Capture, Hir, HirKind, Repetition};

/// The literals that place a rule's searches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum LiteralFilter {
    /// Every match starts with one of `prefixes` (sorted). Every match also holds one of `gate`,
    /// which not every prefix holds ("the" ... "actor"): the rule need only be tried on lines that
    /// hold one (empty: no gate).
    Prefixes {
        prefixes: Vec<Vec<u8>>,
        gate: Vec<Vec<u8>>,
    },
    /// Every match holds one of `literals` (sorted); with `suffixes`, every match ends with one.
    Held {
        literals: Vec<Vec<u8>>,
        suffixes: bool,
    },
}

/// The most literals a set may grow to (a word list's alternation is one set: 13,541 first names).
const MAX_LITERALS: usize = 1 << 16;

/// An alternation of more branches than this is shown to the Extractor as a balanced tree (see
/// [`balanced`]).
const MAX_FLAT_ALTERNATION: usize = 16;

/// How to filter a rule (`hir`): by prefixes, else by held literals, choosing the more selective
/// when both exist (the set whose shortest literal is longer); `None` when there is no finite set
/// or the rule may match the empty string. Prefixes whose matches also hold a set of literals that
/// not every prefix holds are gated by that set: "the" alone is on nearly every line.
pub(super) fn choose(hir: &Hir) -> Option<LiteralFilter> {
    if hir.properties().minimum_len().is_none_or(|n| n == 0) {
        return None;
    }
    let for_extractor = balanced(hir);
    let for_extractor = for_extractor.as_ref().unwrap_or(hir);
    let prefixes = edge_literals(for_extractor, ExtractKind::Prefix);
    // (with whether they are suffixes; on equal selectivity the suffixes, which bound the search)
    let held = [
        edge_literals(for_extractor, ExtractKind::Suffix).map(|l| (l, true)),
        inner_literals(hir).and_then(clean).map(|l| (l, false)),
    ]
    .into_iter()
    .flatten()
    .max_by_key(|(l, suffixes)| (min_weight(l), Reverse(l.len()), *suffixes));
    match (prefixes, held) {
        (Some(p), Some((h, suffixes))) if min_weight(&p) < 4 && min_weight(&h) > min_weight(&p) => {
            Some(LiteralFilter::Held {
                literals: h,
                suffixes,
            })
        }
        (Some(p), Some((h, _))) => {
            // (a gate every prefix holds rules nothing out: a word list's names, say; large
            // sets are not looked into)
            let contains = |l: &[u8], g: &[u8]| l.windows(g.len()).any(|w| w == g);
            let gates = min_weight(&h) >= 2
                && p != h
                && p.len() * h.len() <= 1 << 16
                && p.iter().any(|l| !h.iter().any(|g| contains(l, g)));
            Some(LiteralFilter::Prefixes {
                prefixes: p,
                gate: if gates { h } else { Vec::new() },
            })
        }
        (Some(p), None) => Some(LiteralFilter::Prefixes {
            prefixes: p,
            gate: Vec::new(),
        }),
        (None, Some((h, suffixes))) => Some(LiteralFilter::Held {
            literals: h,
            suffixes,
        }),
        (None, None) => None,
    }
}

/// How selective a set of literals is: the length of its shortest literal, where a literal of
/// white space only counts as empty (nearly every line holds a space).
fn min_weight(lits: &[Vec<u8>]) -> usize {
    lits.iter()
        .map(|l| {
            if l.iter().all(u8::is_ascii_whitespace) {
                0
            } else {
                l.len()
            }
        })
        .min()
        .unwrap_or(0)
}

/// The extractor for `kind`, with the default limits on classes (10 chars), repetitions and
/// literal lengths, and room for a word list.
fn extractor(kind: ExtractKind) -> Extractor {
    let mut extractor = Extractor::new();
    extractor.kind(kind).limit_total(MAX_LITERALS);
    extractor
}

/// Literals one of which starts (`Prefix`) or ends (`Suffix`) every match of `hir` (as
/// [`balanced`] makes it), sorted; `None` when there is no such finite set of non-empty literals.
fn edge_literals(hir: &Hir, kind: ExtractKind) -> Option<Vec<Vec<u8>>> {
    literal_set(extractor(kind).extract(hir))
}

/// The literals of `seq`, sorted and deduplicated; `None` when it is infinite, or empty, or has an
/// empty literal (which every place holds).
fn literal_set(seq: Seq) -> Option<Vec<Vec<u8>>> {
    let lits = seq.literals()?.iter().map(|l| l.as_bytes().to_vec());
    clean(lits.collect())
}

/// `lits` sorted and deduplicated, unless it is empty or has an empty literal.
fn clean(mut lits: Vec<Vec<u8>>) -> Option<Vec<Vec<u8>>> {
    lits.sort_unstable();
    lits.dedup();
    (!lits.is_empty() && lits.iter().all(|l| !l.is_empty())).then_some(lits)
}

/// `hir` as the Extractor should see it (`None`: as it is): every alternation of more than
/// [`MAX_FLAT_ALTERNATION`] branches rebuilt as a balanced tree of smaller ones, each in a group
/// (the HIR flattens nested alternations, not groups; the Extractor looks through groups). The
/// Extractor adds an alternation's branches one at a time and deduplicates the whole sequence after
/// each: quadratic in a word list's size (0.64 s for the 13,541 first names, where the tree takes a
/// few milliseconds). The literals are the same, in the same order.
fn balanced(hir: &Hir) -> Option<Hir> {
    // The parts of `hir`, rebuilt if one of them changes.
    let rebuilt = |subs: &[Hir]| -> Option<Vec<Hir>> {
        let changed: Vec<Option<Hir>> = subs.iter().map(balanced).collect();
        changed.iter().any(Option::is_some).then(|| {
            let old = subs.iter().cloned();
            changed
                .into_iter()
                .zip(old)
                .map(|(new, old)| new.unwrap_or(old))
                .collect()
        })
    };
    match hir.kind() {
        HirKind::Alternation(alts) if alts.len() > MAX_FLAT_ALTERNATION => {
            let subs = rebuilt(alts).unwrap_or_else(|| alts.clone());
            Some(nest(subs))
        }
        HirKind::Alternation(alts) => rebuilt(alts).map(Hir::alternation),
        HirKind::Concat(parts) => rebuilt(parts).map(Hir::concat),
        HirKind::Capture(c) => balanced(&c.sub).map(|sub| {
            Hir::capture(Capture {
                index: c.index,
                name: c.name.clone(),
                sub: Box::new(sub),
            })
        }),
        HirKind::Repetition(r) => balanced(&r.sub).map(|sub| {
            Hir::repetition(Repetition {
                min: r.min,
                max: r.max,
                greedy: r.greedy,
                sub: Box::new(sub),
            })
        }),
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => None,
    }
}

/// The alternation of `alts`, as a balanced tree of groups when they are many.
fn nest(mut alts: Vec<Hir>) -> Hir {
    if alts.len() <= MAX_FLAT_ALTERNATION {
        return Hir::alternation(alts);
    }
    let second = alts.split_off(alts.len() / 2);
    let group = |alts: Vec<Hir>| {
        Hir::capture(Capture {
            index: 0,
            name: None,
            sub: Box::new(nest(alts)),
        })
    };
    Hir::alternation(vec![group(alts), group(second)])
}

/// Literals one of which every match of `hir` holds: the best set (see [`min_weight`]) of one part
/// of a concatenation that cannot match the empty string, else the literals of a literal or a
/// small class; `None` when there is none. (Unsorted, with duplicates: the caller cleans it.)
fn inner_literals(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    match hir.kind() {
        HirKind::Capture(c) => inner_literals(&c.sub),
        HirKind::Repetition(r) if r.min > 0 => inner_literals(&r.sub),
        HirKind::Alternation(alts) => {
            let mut out = Vec::new();
            for a in alts {
                out.extend(inner_literals(a)?);
            }
            Some(out)
        }
        HirKind::Concat(parts) => parts
            .iter()
            .filter(|p| p.properties().minimum_len() != Some(0))
            .filter_map(inner_literals)
            .max_by_key(|l| (min_weight(l), Reverse(l.len()))),
        _ => literal_set(extractor(ExtractKind::Prefix).extract(hir)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(pattern: &str) -> Hir {
        regex_syntax::parse(pattern).unwrap()
    }

    fn lits(words: &[&str]) -> Vec<Vec<u8>> {
        words.iter().map(|w| w.as_bytes().to_vec()).collect()
    }

    /// The Extractor finds no prefixes or suffixes where a match begins and ends with a large
    /// class; the literal every match holds in between filters the rule.
    #[test]
    fn pattern_inner_literals_where_the_extractor_has_none() {
        let hir = parse(r"\b\p{Lu}\p{Ll}+ Corp (?:\p{Lu}\p{Ll}+|\d+)\b");
        for kind in [ExtractKind::Prefix, ExtractKind::Suffix] {
            assert!(!extractor(kind).extract(&hir).is_finite());
        }
        assert_eq!(
            choose(&hir),
            Some(LiteralFilter::Held {
                literals: lits(&[" Corp "]),
                suffixes: false
            })
        );
    }

    #[test]
    fn pattern_literal_filter_table() {
        use LiteralFilter::{Held, Prefixes};
        let prefixes = |p: &[&str], g: &[&str]| Prefixes {
            prefixes: lits(p),
            gate: lits(g),
        };
        let held = |l: &[&str], suffixes| Held {
            literals: lits(l),
            suffixes,
        };
        let table = [
            (
                r"\b(?:told|said) (?P<entity>\p{Lu}\w+)",
                Some(prefixes(&["said ", "told "], &[])),
            ),
            (
                r"\b\p{Lu}\p{Ll}+ (?:Corp|Inc)\b",
                Some(held(&[" Corp", " Inc"], true)),
            ),
            // (a suffix set is preferred over an equally selective inner one)
            (
                r"\b\p{Lu}\p{Ll}+ (?:Lake|Bay)",
                Some(held(&[" Bay", " Lake"], true)),
            ),
            // ("the" is on every line; " star" and " actor" are not)
            (
                r"\b[Tt]he \p{Lu}\w+ (?:star|actor)\b",
                Some(prefixes(&["The ", "the "], &[" actor", " star"])),
            ),
            // (short prefixes lose to a longer held set)
            (
                r"(?:a|b)\w* Corporation\b",
                Some(held(&[" Corporation"], true)),
            ),
            (r"\p{Lu}\w+", None),
            (r"(?:Corp)?", None),
        ];
        for (pattern, want) in table {
            assert_eq!(choose(&parse(pattern)), want, "{pattern}");
        }
    }

    /// A large alternation shown to the Extractor as a balanced tree yields the literals of the
    /// flat one, alone or between other parts, for prefixes and suffixes: generated word lists
    /// (with duplicates, and words that are prefixes or suffixes of others).
    #[test]
    fn pattern_balanced_extraction_as_flat() {
        let mut seed = 7u64;
        let mut next = |m: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % m
        };
        for round in 0..40 {
            let n = [1, 2, 16, 17, 33, 200][round % 6];
            let words: Vec<String> = (0..n)
                .map(|_| {
                    let len = 1 + next(5) as usize;
                    (0..len).map(|_| (b'a' + next(4) as u8) as char).collect()
                })
                .collect();
            let alt = words.join("|");
            for pattern in [
                format!("(?:{alt})"),
                format!(r"\b(?:{alt})\s+\p{{Lu}}"),
                format!(r"x(?P<e>(?:{alt}) y)?z"),
                format!(r"\p{{Lu}}\w* (?:{alt})\b"),
                format!(r"(?:(?:{alt})|Q+)[0-9]"),
            ] {
                let hir = parse(&pattern);
                let tree = balanced(&hir);
                assert!(tree.is_some() || n <= MAX_FLAT_ALTERNATION, "{pattern}");
                for kind in [ExtractKind::Prefix, ExtractKind::Suffix] {
                    let flat = literal_set(extractor(kind.clone()).extract(&hir));
                    let tree = edge_literals(tree.as_ref().unwrap_or(&hir), kind);
                    assert_eq!(tree, flat, "{pattern}");
                }
            }
        }
    }
}
