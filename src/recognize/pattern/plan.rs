//! What each rule compiles to: its [`RulePlan`], which says where the rule is tried and which
//! regexes are searched there. Every per-rule property of the search lives here.
//!
//! Where a rule is tried ([`Search`]): a rule whose every match starts with one of a finite set of
//! literals is tried only where one occurs, as an anchored search; since its leftmost match must
//! start at such an occurrence, trying them left to right (skipping those inside the previous
//! match) gives exactly its leftmost-first matches. A rule whose matches hold such literals runs on
//! the lines that hold one (only up to the end of the last one, when they end its matches); any
//! other rule on every line. An anchored rule may also have a gate, literals one of which every
//! match holds and some of its prefixes do not ("the" ... "actor"): it is tried only on lines that
//! hold one. And a rule that begins with an alternation of literals (a word list) has a [`Head`]:
//! its literals are those words, and what follows them, its tail, is searched after each.
//!
//! Which regexes ([`Variants`]): the rule's (or its tail's) own; on a line of ASCII bytes only, its
//! ASCII variant (see [`ascii_only`]), which finds the same there with far smaller automata; and on
//! other lines, for a rule with a word boundary (`\b`), its relaxed twin (see [`relaxed`]), which
//! matches wherever the rule matches (a match of the rule is one of the twin's, at the same start).
//! A rule searched on whole lines is tried, anchored, only at the starts of the twin's leftmost
//! matches (from the start of the line, after a match of the rule, or one char after a start
//! where the rule did not match), which again gives exactly its leftmost-first matches; an
//! anchored rule only where the twin matches anchored. The twin has no Unicode word boundary, so
//! its lazy DFA runs on any text; the rule's own gives up at the first non-ASCII byte it sees, for
//! much slower engines.

use std::collections::BTreeSet;

use regex_automata::meta;
use regex_automata::nfa::thompson::WhichCaptures;
use regex_automata::util::look::{Look, LookMatcher};
use regex_syntax::hir::{Capture, Hir, HirKind};

use super::literals::{self, LiteralFilter};

/// How one rule is searched.
#[derive(Debug, Clone)]
pub(super) struct RulePlan {
    /// Where it is tried.
    pub search: Search,
    /// The regexes searched there: the rule's, or for a rule with a [`Head`], its tail's.
    pub regexes: Variants,
}

/// Where a rule is tried.
#[derive(Clone)]
pub(super) enum Search {
    /// On every line.
    EveryLine,
    /// On the lines that hold one of `literals`, which every match holds. With
    /// `up_to_last_literal`, they end its matches, so a line is searched only up to the end of the
    /// last one found there (look-around still sees the text after).
    Lines {
        literals: Vec<Vec<u8>>,
        up_to_last_literal: bool,
    },
    /// Anchored, where one of its literals starts.
    Anchored(AnchoredPlan),
}

/// How an anchored rule is tried.
#[derive(Clone)]
pub(super) struct AnchoredPlan {
    /// The literals that begin every match: for a rule with a head, the head's literals in the
    /// alternation's order (a literal's index is its priority); else only the shortest (where a
    /// literal occurs, so do its prefixes).
    pub literals: Vec<Vec<u8>>,
    /// Its head, if it begins with an alternation of literals.
    pub head: Option<Head>,
    /// Literals one of which every match also holds, and not every prefix does (empty: no gate):
    /// the rule is tried only on lines that hold one.
    pub gate: Vec<Vec<u8>>,
    /// Its matches start at a word boundary: it is not tried at a literal that begins with a word
    /// char right after another (and a literal only it needs is looked for at word starts only).
    pub word_start: bool,
}

impl std::fmt::Debug for Search {
    /// The mode, with the sizes of the literal sets (a word list's are thousands of words).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Search::EveryLine => f.write_str("EveryLine"),
            Search::Lines {
                literals,
                up_to_last_literal,
            } => f
                .debug_struct("Lines")
                .field("literals", &literals.len())
                .field("up_to_last_literal", up_to_last_literal)
                .finish(),
            Search::Anchored(a) => f
                .debug_struct("Anchored")
                .field("literals", &a.literals.len())
                .field("head", &a.head)
                .field("gate", &a.gate.len())
                .field("word_start", &a.word_start)
                .finish(),
        }
    }
}

/// A rule whose matches begin (after zero-width assertions) with one of an alternation of plain
/// literals: a word list's `{{list}}`, say. Its literals are those words, whole, and a candidate is
/// one of them found at a place where the assertions hold; the rest of the rule, its tail, is
/// searched anchored right after it. Trying the candidates found at a place in the alternation's
/// order, the first whose tail matches, is exactly what the rule's leftmost-first search does
/// there, and the tail's automata are small where the rule's hold the whole list (thousands of
/// names make a lazy DFA slow to build and to run).
#[derive(Debug, Clone)]
pub(super) struct Head {
    /// The assertions before the head, which must hold at its start.
    looks: Vec<Look>,
    /// The capture groups that hold the head (they start where it does).
    pub groups: Vec<u32>,
}

impl Head {
    /// True when the head's assertions hold at byte `at` of `line`, as the regex engines check
    /// them.
    pub fn holds_at(&self, line: &str, at: usize) -> bool {
        let matcher = LookMatcher::new();
        self.looks
            .iter()
            .all(|&l| matcher.matches(l, line.as_bytes(), at))
    }
}

/// A regex as it is searched, with its variants: `None` where a variant would be the regex itself
/// (or does not compile).
#[derive(Debug, Clone)]
pub(super) struct Variants {
    pub regex: meta::Regex,
    /// The relaxed twin (see [`relaxed`]), for lines with non-ASCII bytes. A regex that may match
    /// the empty string gets none: it keeps the plain search, whose handling of empty matches is
    /// the reference.
    pub relaxed: Option<meta::Regex>,
    /// The ASCII variant (see [`ascii_only`]), for lines of ASCII bytes.
    pub ascii: Option<meta::Regex>,
}

impl Variants {
    /// `regex`, compiled from `hir`, with its variants.
    fn new(hir: &Hir, regex: meta::Regex) -> Variants {
        let (twin, changed) = relaxed(hir);
        let relaxed = (changed && hir.properties().minimum_len().is_some_and(|n| n > 0))
            .then(|| compile(&twin, WhichCaptures::Implicit).ok())
            .flatten();
        let ascii = ascii_only(hir);
        let ascii = (ascii != *hir)
            .then(|| compile(&ascii, WhichCaptures::All).ok())
            .flatten();
        Variants {
            regex,
            relaxed,
            ascii,
        }
    }
}

impl RulePlan {
    /// The plan of a rule: its regex, parsed as `hir` and compiled as `regex`.
    pub fn new(hir: &Hir, regex: &meta::Regex) -> RulePlan {
        let search = match literals::choose(hir) {
            None => return RulePlan::every_line(hir, regex),
            Some(LiteralFilter::Held { literals, suffixes }) => Search::Lines {
                literals,
                up_to_last_literal: suffixes,
            },
            Some(LiteralFilter::Prefixes { prefixes, gate }) => {
                // (a head only where its literals are the rule's prefixes: longer prefixes,
                // "Japan's " for "Japan", rule out more places than the tail's automata save)
                if let Some(plan) = RulePlan::with_head(hir, &prefixes, &gate) {
                    return plan;
                }
                let all: BTreeSet<&[u8]> = prefixes.iter().map(Vec::as_slice).collect();
                let shortest = prefixes
                    .iter()
                    .filter(|l| !(1..l.len()).any(|n| all.contains(&l[..n])))
                    .cloned()
                    .collect();
                Search::Anchored(AnchoredPlan {
                    literals: shortest,
                    head: None,
                    gate,
                    word_start: starts_at_word_boundary(hir),
                })
            }
        };
        RulePlan {
            search,
            regexes: Variants::new(hir, regex.clone()),
        }
    }

    /// The plan of a rule tried on every line.
    pub fn every_line(hir: &Hir, regex: &meta::Regex) -> RulePlan {
        RulePlan {
            search: Search::EveryLine,
            regexes: Variants::new(hir, regex.clone()),
        }
    }

    /// The plan of an anchored rule with a head whose literals are `prefixes`, if it has one (and
    /// its tail compiles).
    fn with_head(hir: &Hir, prefixes: &[Vec<u8>], gate: &[Vec<u8>]) -> Option<RulePlan> {
        let split = split_head(hir)?;
        let mut sorted = split.literals.clone();
        sorted.sort_unstable();
        sorted.dedup();
        if sorted != prefixes {
            return None;
        }
        let looks = split
            .looks
            .iter()
            .map(|l| Look::from_repr(l.as_repr()))
            .collect::<Option<Vec<_>>>()?;
        let tail = compile(&split.tail, WhichCaptures::All).ok()?;
        Some(RulePlan {
            search: Search::Anchored(AnchoredPlan {
                literals: split.literals,
                head: Some(Head {
                    looks,
                    groups: split.groups,
                }),
                gate: gate.to_vec(),
                word_start: starts_at_word_boundary(hir),
            }),
            regexes: Variants::new(&split.tail, tail),
        })
    }

    /// The head, for an anchored rule that has one.
    pub fn head(&self) -> Option<&Head> {
        match &self.search {
            Search::Anchored(a) => a.head.as_ref(),
            _ => None,
        }
    }
}

/// A regex cut after its head (see [`Head`]).
struct HeadSplit {
    /// The zero-width assertions before the head.
    looks: Vec<regex_syntax::hir::Look>,
    /// The head's literals, in order.
    literals: Vec<Vec<u8>>,
    /// The groups that hold it.
    groups: Vec<u32>,
    /// The rest of the regex, with the groups that hold the head.
    tail: Hir,
}

/// The head of `hir` and the rest; `None` when `hir` does not begin with one.
fn split_head(hir: &Hir) -> Option<HeadSplit> {
    let literals = |h: &Hir| -> Option<Vec<Vec<u8>>> {
        let HirKind::Alternation(alts) = h.kind() else {
            return None;
        };
        alts.iter()
            .map(|a| match a.kind() {
                HirKind::Literal(l) => Some(l.0.to_vec()),
                _ => None,
            })
            .collect()
    };
    let parts: Vec<Hir> = match hir.kind() {
        HirKind::Concat(parts) => parts.clone(),
        _ => vec![hir.clone()],
    };
    let first = parts
        .iter()
        .position(|p| !matches!(p.kind(), HirKind::Look(_)))?;
    let mut looks: Vec<regex_syntax::hir::Look> = parts[..first]
        .iter()
        .map(|p| match p.kind() {
            HirKind::Look(l) => *l,
            _ => unreachable!("only assertions come before the first other part"),
        })
        .collect();
    let rest = parts[first + 1..].to_vec();
    if let Some(literals) = literals(&parts[first]) {
        return Some(HeadSplit {
            looks,
            literals,
            groups: Vec::new(),
            tail: Hir::concat(rest),
        });
    }
    let HirKind::Capture(c) = parts[first].kind() else {
        return None;
    };
    let inner = split_head(&c.sub)?;
    looks.extend(inner.looks);
    let mut groups = inner.groups;
    groups.insert(0, c.index);
    let mut tail = vec![Hir::capture(Capture {
        index: c.index,
        name: c.name.clone(),
        sub: Box::new(inner.tail),
    })];
    tail.extend(rest);
    Some(HeadSplit {
        looks,
        literals: inner.literals,
        groups,
        tail: Hir::concat(tail),
    })
}

/// `hir` with each class and look-around assertion replaced as `leaf` says (`None`: kept as is),
/// the rest (groups with their indices and names, repetitions) rebuilt around them.
fn rewrite(hir: &Hir, leaf: &mut impl FnMut(&Hir) -> Option<Hir>) -> Hir {
    use regex_syntax::hir::Repetition;
    match hir.kind() {
        HirKind::Class(_) | HirKind::Look(_) => leaf(hir).unwrap_or_else(|| hir.clone()),
        HirKind::Capture(c) => Hir::capture(Capture {
            index: c.index,
            name: c.name.clone(),
            sub: Box::new(rewrite(&c.sub, leaf)),
        }),
        HirKind::Repetition(r) => Hir::repetition(Repetition {
            min: r.min,
            max: r.max,
            greedy: r.greedy,
            sub: Box::new(rewrite(&r.sub, leaf)),
        }),
        HirKind::Concat(parts) => Hir::concat(parts.iter().map(|p| rewrite(p, leaf)).collect()),
        HirKind::Alternation(parts) => {
            Hir::alternation(parts.iter().map(|p| rewrite(p, leaf)).collect())
        }
        HirKind::Empty | HirKind::Literal(_) => hir.clone(),
    }
}

/// `hir` with every word-boundary assertion replaced by the empty regex and every class with
/// non-ASCII members widened to all non-ASCII chars, and whether there was a word boundary: it
/// matches every string `hir` matches, at the same places.
fn relaxed(hir: &Hir) -> (Hir, bool) {
    use regex_syntax::hir::{Class, ClassUnicode, ClassUnicodeRange, Look};
    let mut changed = false;
    let relaxed = rewrite(hir, &mut |h| match h.kind() {
        // A class with non-ASCII members (`\p{L}`, say) takes every non-ASCII char: a larger
        // language, so still every match of the rule, and a much smaller automaton than the
        // hundreds of UTF-8 byte ranges of a Unicode property (its lazy DFA builds far fewer
        // states on each thread).
        HirKind::Class(Class::Unicode(c)) if c.ranges().iter().any(|r| r.end() > '\x7f') => {
            let mut wide = c.clone();
            wide.intersect(&ClassUnicode::new([ClassUnicodeRange::new('\0', '\x7f')]));
            wide.union(&ClassUnicode::new([ClassUnicodeRange::new(
                '\u{80}',
                '\u{10FFFF}',
            )]));
            Some(Hir::class(Class::Unicode(wide)))
        }
        HirKind::Look(
            Look::Start | Look::End | Look::StartLF | Look::EndLF | Look::StartCRLF | Look::EndCRLF,
        ) => None,
        HirKind::Look(_) => {
            changed = true;
            Some(Hir::empty())
        }
        _ => None,
    });
    (relaxed, changed)
}

/// `hir` for ASCII text: every class cut to its ASCII members and every Unicode word assertion
/// made an ASCII one. On a haystack of ASCII bytes only it matches exactly where `hir` does, with
/// the same groups, and its automata are a fraction of the size (a lazy DFA that never gives up
/// for a Unicode word boundary; capture engines over a few hundred NFA states, not thousands).
fn ascii_only(hir: &Hir) -> Hir {
    use regex_syntax::hir::Look;
    use regex_syntax::hir::{Class, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange};
    rewrite(hir, &mut |h| match h.kind() {
        HirKind::Class(Class::Unicode(c)) => {
            let mut ascii = c.clone();
            ascii.intersect(&ClassUnicode::new([ClassUnicodeRange::new('\0', '\x7f')]));
            Some(Hir::class(Class::Unicode(ascii)))
        }
        HirKind::Class(Class::Bytes(c)) => {
            let mut ascii = c.clone();
            ascii.intersect(&ClassBytes::new([ClassBytesRange::new(0, 0x7f)]));
            Some(Hir::class(Class::Bytes(ascii)))
        }
        HirKind::Look(l) => {
            let ascii = match l {
                Look::WordUnicode => Look::WordAscii,
                Look::WordUnicodeNegate => Look::WordAsciiNegate,
                Look::WordStartUnicode => Look::WordStartAscii,
                Look::WordEndUnicode => Look::WordEndAscii,
                Look::WordStartHalfUnicode => Look::WordStartHalfAscii,
                Look::WordEndHalfUnicode => Look::WordEndHalfAscii,
                _ => return None,
            };
            Some(Hir::look(ascii))
        }
        _ => None,
    })
}

/// True when every match of `hir` must start at a word boundary (it begins with `\b`).
fn starts_at_word_boundary(hir: &Hir) -> bool {
    use regex_syntax::hir::Look;
    match hir.kind() {
        HirKind::Look(l) => matches!(
            l,
            Look::WordUnicode | Look::WordAscii | Look::WordStartUnicode | Look::WordStartAscii
        ),
        HirKind::Capture(c) => starts_at_word_boundary(&c.sub),
        HirKind::Concat(parts) => parts.first().is_some_and(starts_at_word_boundary),
        _ => false,
    }
}

/// The most memory a rule's lazy DFA may use (per thread; it grows only as states are built). The
/// default of 2 MiB made the DFA of a rule with large Unicode classes (`org-suffix`) or a word
/// list (`first-name-person`) rebuild its states over and over on a large corpus.
const DFA_CACHE: usize = 32 << 20;

/// Compiles a rule's regex (or a variant of it) as every rule is compiled.
pub(super) fn compile(
    hir: &Hir,
    captures: WhichCaptures,
) -> std::result::Result<meta::Regex, Box<meta::BuildError>> {
    meta::Regex::builder()
        .configure(
            meta::Config::new()
                .nfa_size_limit(Some(64 << 20))
                .hybrid_cache_capacity(DFA_CACHE)
                .which_captures(captures),
        )
        .build_from_hir(hir)
        .map_err(Box::new)
}
