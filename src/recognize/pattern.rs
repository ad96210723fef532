//! The pattern recognizer: regex rules that find names no dictionary holds.
//!
//! # Format (`patterns.toml`)
//! ```toml
//! [lists]                       # optional: word lists, one word per line, path relative to this file
//! first_name = "first_names.txt"
//!
//! [[rule]]
//! name = "title-person"         # unique; the mention's source is `pattern:title-person`
//! type = "person"               # any entity type
//! pattern = '(?:director|Mayor) (?P<entity>\p{Lu}\p{Ll}+(?: \p{Lu}\p{Ll}+)+)'
//! priority = 0                  # optional: higher wins between rules on equal spans
//! headlines = false             # optional: may the rule fire on headline-case lines?
//! emit = true                   # optional: false makes a guard, which blocks what it overlaps
//!                               # (by the overlap rule) but is not itself a mention
//! reject = ["demonym"]          # optional: [lists] entries; a mention that equals one of their
//!                               # words, or whose first word does, is dropped ("the British star"
//!                               # is not the film "British")
//! examples = [{ text = "director Ben Winston", expect = ["Ben Winston"] }]   # optional, run by the tests
//! ```
//! Patterns use Rust `regex` syntax and run over the normalized text (straight quotes, `-` for
//! every dash, single spaces). If the pattern has a group named `entity`, that group is the mention;
//! otherwise the whole match. `{{list}}` inside a pattern expands to an alternation of the words of
//! a `[lists]` entry. A trailing possessive `'s` is never part of a mention.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use regex_automata::nfa::thompson::WhichCaptures;
use regex_automata::util::{captures::Captures, iter::Searcher};
use regex_automata::{Anchored, Input as ReInput, meta};
use regex_syntax::hir::Hir;
use serde::Deserialize;

use super::literals::LiteralFinder;
use crate::text::is_word_char;
use super::{Candidate, Input, Rank, Recognizer};
use crate::error::{Error, Result};
use crate::model::Span;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    #[serde(default)]
    lists: BTreeMap<String, String>,
    #[serde(default)]
    rule: Vec<toml::Spanned<RuleSpec>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleSpec {
    name: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    pattern: Option<String>,
    #[serde(default)]
    priority: i32,
    #[serde(default)]
    headlines: bool,
    #[serde(default = "yes")]
    emit: bool,
    #[serde(default)]
    reject: Vec<String>,
    #[serde(default)]
    examples: Vec<Example>,
}

/// A rule's own test: running the rule alone on `text` must yield exactly `expect`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// Input text.
    pub text: String,
    /// Expected mention texts, in order (empty: the rule must not fire).
    #[serde(default)]
    pub expect: Vec<String>,
}

/// One compiled rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Rule name.
    pub name: String,
    /// Entity type it produces.
    pub kind: Arc<str>,
    /// Priority among rules (higher wins on equal spans).
    pub priority: i32,
    /// 1-based line of the rule in its file.
    pub line: usize,
    /// Examples from the file.
    pub examples: Vec<Example>,
    /// Whether the rule may fire on headline-case lines (default false).
    pub headlines: bool,
    /// False for a guard rule: its matches block overlapping candidates but are not mentions.
    pub emit: bool,
    /// Mention texts the rule never yields (the words of its `reject` list).
    pub reject: Arc<BTreeSet<String>>,
    source: Arc<str>,
    origin: Arc<str>,
    group: Option<usize>,
    /// The mention is the whole match (no `entity` group, or one that only zero-width assertions
    /// surround): a search needs no capture groups.
    whole: bool,
    /// The compiled pattern (the `regex` crate's engine, used directly for anchored searches and
    /// reusable captures).
    meta: meta::Regex,
}

/// A set of compiled rules.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    rules: Vec<Rule>,
    path: Option<PathBuf>,
    prefilter: Prefilter,
}

/// Where each rule is tried. A rule whose every match starts with one of a finite set of literals
/// (extracted from its regex) is tried only where one occurs, as an anchored search; since its
/// leftmost match must start at such an occurrence, trying them left to right (skipping those
/// inside the previous match) gives exactly its leftmost-first matches. A rule whose matches end
/// with such literals runs on the lines that hold one; any other rule on every line. All the
/// literals are found by one Aho-Corasick scan of the line.
///
/// A rule that has a word boundary (`\b`) also has a relaxed twin, the same regex without its
/// word boundaries and with ASCII-or-anything classes (see [`relaxed`]), which matches wherever
/// the rule matches (a match of the rule is one of the twin's, at the same start). A rule searched
/// on whole lines is tried, anchored, only at the starts of the twin's leftmost matches (from the
/// start of the line, after a match of the rule, or one char after a start where the rule did not
/// match), which again gives exactly its leftmost-first matches; an anchored rule only where the
/// twin matches anchored. The twin has no Unicode word boundary, so its lazy DFA runs on any text;
/// the rule's own gives up at the first non-ASCII byte it sees, for much slower engines.
///
/// An anchored rule may also have a gate: literals one of which every match holds and some of its
/// prefixes do not ("the" ... "actor"); it is tried only on lines that hold one. And on a line of
/// ASCII bytes only, every rule is searched as its ASCII variant (see [`ascii_only`]), which finds
/// the same there with far smaller automata and needs no twin.
#[derive(Clone, Default)]
struct Prefilter {
    /// All required literals of all filtered rules (a literal that only anchored rules starting
    /// at a word boundary need is only looked for at word starts).
    ac: Option<LiteralFinder>,
    /// For each literal of `ac` (its value), the rules it belongs to, each with the literal's
    /// priority in the rule's [`Head`] (0 for a rule without one).
    /// (In one array, literal `v`'s at `rules_of[rules_from[v]..rules_from[v + 1]]`: a lookup per
    /// literal found, millions per 100 MB, that should not chase a pointer.)
    rules_of: Vec<(u32, u32)>,
    rules_from: Vec<u32>,
    /// Per rule: how it is filtered.
    mode: Vec<Mode>,
    /// Per rule searched on lines ([`Mode::Lines`]): its literals are suffixes of its matches, so
    /// a line is searched only up to the end of the last one found there.
    ends: Vec<bool>,
    /// Per anchored rule that begins with an alternation of literals: its head and tail.
    heads: Vec<Option<Head>>,
    /// Per anchored rule: it also needs one of its gate literals (flagged [`GATE`] in `rules_of`)
    /// somewhere on the line.
    gated: Vec<bool>,
    /// Per rule: its matches start at a word boundary, so an anchored search at a literal that
    /// begins with a word char is tried only when the char before is not one.
    boundary: Vec<bool>,
    /// Per rule with a word boundary (`\b`) and no empty match: its relaxed twin (see above).
    relaxed: Vec<Option<meta::Regex>>,
    /// Per rule with Unicode classes or word boundaries: the rule for ASCII lines (see
    /// [`ascii_only`]), searched instead of the rule on them.
    ascii: Vec<Option<meta::Regex>>,
}

impl std::fmt::Debug for Prefilter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Prefilter")
            .field("literals", &self.rules_from.len().saturating_sub(1))
            .field("mode", &self.mode)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Every line.
    Always,
    /// Lines that hold one of its (suffix) literals.
    Lines,
    /// Anchored searches at the occurrences of its prefix literals.
    Anchored,
}

impl Prefilter {
    fn new(hirs: &[Hir]) -> Prefilter {
        // Each distinct literal, with the rules it belongs to.
        let mut lits: BTreeMap<Vec<u8>, Vec<(u32, u32)>> = BTreeMap::new();
        let mut mode = vec![Mode::Always; hirs.len()];
        let mut gated = vec![false; hirs.len()];
        let mut ends = vec![false; hirs.len()];
        let mut heads = vec![None; hirs.len()];
        // Each rule's filter and head (its tail compiled), the rules in parallel.
        let filters: Vec<Option<(Filter, Option<Head>)>> = map_rules(hirs, |hir| {
            let filter = required_literals(hir)?;
            // (a head only where its literals are the rule's prefixes: longer prefixes,
            // "Japan's " for "Japan", rule out more places than the tail's automata save)
            let head = (filter.mode == Mode::Anchored)
                .then(|| Head::new(hir, &filter.seq))
                .flatten();
            Some((filter, head))
        });
        for (i, found) in filters.into_iter().enumerate() {
            if let Some((
                Filter {
                    mode: m,
                    mut seq,
                    gate,
                    ends: e,
                },
                head,
            )) = found
            {
                mode[i] = m;
                ends[i] = e;
                if let Some(head) = head {
                    for (p, l) in head.literals.iter().enumerate() {
                        lits.entry(l.clone())
                            .or_default()
                            .push((i as u32, p as u32));
                    }
                    heads[i] = Some(head);
                } else {
                    if m == Mode::Anchored {
                        // Where a literal occurs, so do its prefixes: the shortest are enough.
                        let all: BTreeSet<Vec<u8>> = seq.iter().cloned().collect();
                        seq.retain(|l| !(1..l.len()).any(|n| all.contains(&l[..n])));
                    }
                    for l in seq {
                        lits.entry(l).or_default().push((i as u32, 0));
                    }
                }
                gated[i] = !gate.is_empty();
                for l in gate {
                    lits.entry(l).or_default().push((i as u32 | GATE, 0));
                }
            }
        }
        let boundary: Vec<bool> = hirs.iter().map(starts_at_word_boundary).collect();
        let ac = if lits.is_empty() {
            None
        } else {
            // (a literal needs a word start when every rule it serves is anchored at a word
            // boundary: a match at a literal with a word char before it is never tried)
            LiteralFinder::new(lits.iter().enumerate().map(|(v, (l, rules))| {
                let word_start = rules.iter().all(|&(r, _)| {
                    r & GATE == 0 && mode[r as usize] == Mode::Anchored && boundary[r as usize]
                });
                (l.as_slice(), v as u32, word_start)
            }))
        };
        let mut rules_from = vec![0];
        let mut rules_of = Vec::new();
        for rules in lits.into_values() {
            rules_of.extend(rules);
            rules_from.push(rules_of.len() as u32);
        }
        if ac.is_none() {
            mode.iter_mut().for_each(|m| *m = Mode::Always);
            gated.iter_mut().for_each(|g| *g = false);
            ends.iter_mut().for_each(|e| *e = false);
            heads.iter_mut().for_each(|h| *h = None);
        }
        // (a rule with a head is searched as its tail, which has its own variants)
        let with_heads: Vec<(&Hir, bool)> = hirs
            .iter()
            .zip(&heads)
            .map(|(h, x)| (h, x.is_some()))
            .collect();
        let variants_of = |&(hir, has_head): &(&Hir, bool)| match has_head {
            true => (None, None),
            false => variants(hir),
        };
        let (relaxed, ascii) = map_rules(&with_heads, variants_of).into_iter().unzip();
        Prefilter {
            ac,
            rules_of,
            rules_from,
            mode,
            ends,
            heads,
            gated,
            boundary,
            relaxed,
            ascii,
        }
    }
}

/// The flag of a gate literal's rule in [`Prefilter::rules_of`].
const GATE: u32 = 1 << 31;

/// A rule whose matches begin (after zero-width assertions) with one of an alternation of plain
/// literals: a word list's `{{list}}`, say. Its prefilter literals are those words, whole, and a
/// candidate is one of them found at a place where the assertions hold; the rest of the rule, its
/// tail, is searched anchored right after it. Trying the candidates found at a place in the
/// alternation's order, the first whose tail matches, is exactly what the rule's leftmost-first
/// search does there, and the tail's automata are small where the rule's hold the whole list
/// (thousands of names make a lazy DFA slow to build and to run).
#[derive(Clone)]
struct Head {
    /// The alternation's literals, in its order (a literal's index is its priority).
    literals: Vec<Vec<u8>>,
    /// The assertions before the head, which must hold at its start.
    looks: Vec<regex_automata::util::look::Look>,
    /// The capture groups that hold the head (they start where it does).
    groups: Vec<u32>,
    /// The rest of the rule, compiled as the rule (with its groups); its relaxed twin and ASCII
    /// variant, as for a rule.
    tail: meta::Regex,
    relaxed: Option<meta::Regex>,
    ascii: Option<meta::Regex>,
}

/// A regex cut after its head: the zero-width assertions before the head, its literals in order,
/// the groups that hold it, and the rest of the regex.
type Split = (Vec<regex_syntax::hir::Look>, Vec<Vec<u8>>, Vec<u32>, Hir);

/// The head of `hir` (see [`Head`]) and the rest; `None` when `hir` does not begin with one.
fn split_head(hir: &Hir) -> Option<Split> {
    use regex_syntax::hir::{Capture, HirKind};
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
    if let Some(lits) = literals(&parts[first]) {
        return Some((looks, lits, Vec::new(), Hir::concat(rest)));
    }
    let HirKind::Capture(c) = parts[first].kind() else {
        return None;
    };
    let (inner_looks, lits, mut groups, inner) = split_head(&c.sub)?;
    looks.extend(inner_looks);
    groups.insert(0, c.index);
    let mut tail = vec![Hir::capture(Capture {
        index: c.index,
        name: c.name.clone(),
        sub: Box::new(inner),
    })];
    tail.extend(rest);
    Some((looks, lits, groups, Hir::concat(tail)))
}

impl Head {
    /// The head of a rule's regex and its compiled tail, if it begins with one (and the tail
    /// compiles).
    fn new(hir: &Hir, prefixes: &[Vec<u8>]) -> Option<Head> {
        let (looks, literals, groups, tail) = split_head(hir)?;
        let mut sorted = literals.clone();
        sorted.sort_unstable();
        sorted.dedup();
        if sorted != prefixes {
            return None;
        }
        let looks = looks
            .into_iter()
            .map(|l| regex_automata::util::look::Look::from_repr(l.as_repr()))
            .collect::<Option<Vec<_>>>()?;
        let (relaxed, ascii) = variants(&tail);
        Some(Head {
            literals,
            looks,
            groups,
            relaxed,
            ascii,
            tail: compile(&tail, WhichCaptures::All).ok()?,
        })
    }
}

/// The relaxed twin (see [`relaxed`]) and the ASCII variant (see [`ascii_only`]) of a rule's
/// regex, or of a [`Head`]'s tail, compiled: `None` where a variant would be the regex itself (or
/// does not compile). A regex that may match the empty string gets no twin: it keeps the plain
/// search, whose handling of empty matches is the reference.
fn variants(hir: &Hir) -> (Option<meta::Regex>, Option<meta::Regex>) {
    let (twin, changed) = relaxed(hir);
    let relaxed = (changed && hir.properties().minimum_len().is_some_and(|n| n > 0))
        .then(|| compile(&twin, WhichCaptures::Implicit).ok())
        .flatten();
    let ascii = ascii_only(hir);
    let ascii = (ascii != *hir)
        .then(|| compile(&ascii, WhichCaptures::All).ok())
        .flatten();
    (relaxed, ascii)
}

/// `f` of each item, in order: in parallel on the rayon pool this runs on, if any (a pipeline
/// loading on `--threads 2` or more), else one after the other on this thread.
fn map_rules<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync + Send) -> Vec<R> {
    if rayon::current_thread_index().is_some() {
        items.par_iter().map(f).collect()
    } else {
        items.iter().map(f).collect()
    }
}

/// How a rule is filtered: its mode and literals, and for an anchored rule the literals one of
/// which every match also holds (its gate), when they rule out lines its prefixes do not.
struct Filter {
    mode: Mode,
    seq: Vec<Vec<u8>>,
    gate: Vec<Vec<u8>>,
    /// Every match ends with one of `seq` (its suffixes), so none ends after the last one on a
    /// line.
    ends: bool,
}

/// How to filter a rule: literals one of which starts every match (anchored searches there), else
/// one of which every match holds (lines that hold one), choosing the more selective when both
/// exist (the set whose shortest literal is longer); `None` when there is no finite set. An
/// anchored rule whose matches also hold one of a set of literals that not every prefix holds
/// ("the" ... "actor") is gated by that set: "the" alone is on nearly every line.
fn required_literals(hir: &Hir) -> Option<Filter> {
    if hir.properties().minimum_len().is_none_or(|n| n == 0) {
        return None;
    }
    let clean = |lits: Option<(Vec<Vec<u8>>, bool)>| {
        lits.map(|(mut l, _)| {
            l.sort_unstable();
            l.dedup();
            l
        })
        .filter(|l| !l.is_empty() && l.iter().all(|x| !x.is_empty()))
    };
    let min_len = |l: &Vec<Vec<u8>>| min_weight(l);
    let prefix = clean(edge_literals(hir, true));
    // (with whether they are suffixes; on equal selectivity the suffixes, which bound the search)
    let held = [
        clean(edge_literals(hir, false)).map(|l| (l, true)),
        clean(inner_literals(hir)).map(|l| (l, false)),
    ]
    .into_iter()
    .flatten()
    .max_by_key(|(l, ends)| (min_len(l), std::cmp::Reverse(l.len()), *ends));
    let filter = |mode, (seq, ends)| Filter {
        mode,
        seq,
        gate: Vec::new(),
        ends: mode == Mode::Lines && ends,
    };
    match (prefix, held) {
        (Some(p), Some(h)) if min_len(&p) < 4 && min_len(&h.0) > min_len(&p) => {
            Some(filter(Mode::Lines, h))
        }
        (Some(p), Some((h, _))) => {
            // (a gate every prefix holds rules nothing out: a word list's names, say; large
            // sets are not looked into)
            let contains = |l: &[u8], g: &[u8]| l.windows(g.len()).any(|w| w == g);
            let gates = min_len(&h) >= 2
                && p != h
                && p.len() * h.len() <= 1 << 16
                && p.iter().any(|l| !h.iter().any(|g| contains(l, g)));
            Some(Filter {
                mode: Mode::Anchored,
                seq: p,
                gate: if gates { h } else { Vec::new() },
                ends: false,
            })
        }
        (Some(p), None) => Some(filter(Mode::Anchored, (p, false))),
        (None, Some(h)) => Some(filter(Mode::Lines, h)),
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

/// Literals one of which every match of `hir` contains (the best set found in one part of a
/// concatenation that cannot match the empty string), or `None`.
fn inner_literals(hir: &Hir) -> Option<(Vec<Vec<u8>>, bool)> {
    use regex_syntax::hir::HirKind;
    match hir.kind() {
        HirKind::Capture(c) => inner_literals(&c.sub),
        HirKind::Repetition(r) if r.min > 0 => inner_literals(&r.sub),
        HirKind::Alternation(alts) => {
            let mut out = Vec::new();
            for a in alts {
                out.extend(inner_literals(a)?.0);
            }
            Some((out, false))
        }
        HirKind::Concat(parts) => parts
            .iter()
            .filter(|p| !can_be_empty(p))
            .filter_map(|p| inner_literals(p).filter(|(l, _)| !l.is_empty()))
            .max_by_key(|(l, _)| (min_weight(l), std::cmp::Reverse(l.len()))),
        _ => edge_literals(hir, true).filter(|(l, _)| !l.is_empty()),
    }
}

/// `hir` with each class and look-around assertion replaced as `leaf` says (`None`: kept as is),
/// the rest (groups with their indices and names, repetitions) rebuilt around them.
fn rewrite(hir: &Hir, leaf: &mut impl FnMut(&Hir) -> Option<Hir>) -> Hir {
    use regex_syntax::hir::{Capture, HirKind, Repetition};
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
    use regex_syntax::hir::{Class, ClassUnicode, ClassUnicodeRange, HirKind, Look};
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
    use regex_syntax::hir::{Class, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange};
    use regex_syntax::hir::{HirKind, Look};
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

/// True when capture group `group` of `hir` always spans the whole match: `hir` is that group,
/// between zero-width assertions only.
fn is_whole_group(hir: &Hir, group: usize) -> bool {
    use regex_syntax::hir::HirKind;
    let is_group = |h: &Hir| matches!(h.kind(), HirKind::Capture(c) if c.index as usize == group);
    match hir.kind() {
        HirKind::Capture(_) => is_group(hir),
        HirKind::Concat(parts) => {
            parts.iter().filter(|p| is_group(p)).count() == 1
                && parts
                    .iter()
                    .all(|p| is_group(p) || matches!(p.kind(), HirKind::Look(_)))
        }
        _ => false,
    }
}

/// True when every match of `hir` must start at a word boundary (it begins with `\b`).
fn starts_at_word_boundary(hir: &Hir) -> bool {
    use regex_syntax::hir::{HirKind, Look};
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

/// The most literals a set may grow to while extending a concatenation.
const MAX_LITERALS: usize = 20_000;
/// Literals do not grow by a class of more characters than this.
const MAX_CLASS_EXTENSION: usize = 4;
/// Literals stop growing past this length.
const MAX_LITERAL_LEN: usize = 24;

fn can_be_empty(hir: &Hir) -> bool {
    hir.properties().minimum_len() == Some(0)
}

/// The one-member literals of a class given as inclusive (start, end) ranges, `encode`d, and that
/// they are exact; `None` for a class of more than 64 members.
fn class_literals(
    ranges: impl Iterator<Item = (u32, u32)> + Clone,
    encode: impl Fn(u32) -> Vec<u8>,
) -> Option<(Vec<Vec<u8>>, bool)> {
    if ranges.clone().map(|(a, b)| b - a + 1).sum::<u32>() > 64 {
        return None;
    }
    Some((ranges.flat_map(|(a, b)| a..=b).map(encode).collect(), true))
}

/// Non-empty literals such that every non-empty match of `hir` starts (`forward`) or ends with one
/// of them, and whether the non-empty matches are exactly these literals; `None` when there is no
/// such finite set (a large class, say).
fn edge_literals(hir: &Hir, forward: bool) -> Option<(Vec<Vec<u8>>, bool)> {
    use regex_syntax::hir::{Class, HirKind};
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Some((Vec::new(), true)),
        HirKind::Literal(l) => Some((
            if l.0.is_empty() {
                Vec::new()
            } else {
                vec![l.0.to_vec()]
            },
            true,
        )),
        HirKind::Class(Class::Unicode(c)) => class_literals(
            c.ranges()
                .iter()
                .map(|r| (r.start() as u32, r.end() as u32)),
            // A range of at most 64 members cannot span the 2048 surrogates: every value is a char.
            |ch| {
                let mut buf = [0u8; 4];
                let ch = char::from_u32(ch).expect("a char of the class");
                ch.encode_utf8(&mut buf).as_bytes().to_vec()
            },
        ),
        HirKind::Class(Class::Bytes(c)) => class_literals(
            c.ranges()
                .iter()
                .map(|r| (r.start() as u32, r.end() as u32)),
            |b| vec![b as u8],
        ),
        HirKind::Capture(c) => edge_literals(&c.sub, forward),
        HirKind::Repetition(r) => {
            let (lits, exact) = edge_literals(&r.sub, forward)?;
            Some((lits, exact && r.max == Some(1)))
        }
        HirKind::Alternation(alts) => {
            let mut out = Vec::new();
            let mut exact = true;
            for a in alts {
                let (l, e) = edge_literals(a, forward)?;
                out.extend(l);
                exact &= e;
            }
            Some((out, exact))
        }
        HirKind::Concat(parts) => {
            let ordered: Vec<&Hir> = if forward {
                parts.iter().collect()
            } else {
                parts.iter().rev().collect()
            };
            let join = |a: &[u8], b: &[u8]| -> Vec<u8> {
                let mut l = Vec::with_capacity(a.len() + b.len());
                if forward {
                    l.extend_from_slice(a);
                    l.extend_from_slice(b);
                } else {
                    l.extend_from_slice(b);
                    l.extend_from_slice(a);
                }
                l
            };
            // `done`: literals that stop growing; `open`: what the parts so far can match
            // exactly (the empty string when they can all match nothing), which the next part
            // extends.
            let mut done: Vec<Vec<u8>> = Vec::new();
            let mut open: Vec<Vec<u8>> = vec![Vec::new()];
            let mut exact = true;
            for part in ordered {
                if open.is_empty() {
                    break;
                }
                let (long, short): (Vec<_>, Vec<_>) =
                    open.into_iter().partition(|l| l.len() >= MAX_LITERAL_LEN);
                if !long.is_empty() {
                    exact = false;
                    done.extend(long);
                }
                open = short;
                // A class of many characters (`\s`, say) after some literal text multiplies the
                // literals for little gain in selectivity: the text so far is enough.
                let has_text = open.iter().all(|l| !l.is_empty());
                let next = edge_literals(part, forward).filter(|(l, _)| {
                    let wide_class = l.len() > MAX_CLASS_EXTENSION
                        && l.iter()
                            .all(|x| std::str::from_utf8(x).is_ok_and(|c| c.chars().count() == 1));
                    open.len().saturating_mul(l.len()) <= MAX_LITERALS && !(has_text && wide_class)
                });
                let Some((lits, part_exact)) = next else {
                    // Nothing known past here: the literals so far are prefixes, unless one is
                    // empty (then nothing is known at all).
                    if open.iter().any(|l| l.is_empty()) {
                        return None;
                    }
                    done.append(&mut open);
                    exact = false;
                    break;
                };
                let mut grown = Vec::with_capacity(open.len() * (lits.len() + 1));
                for a in &open {
                    for b in &lits {
                        if part_exact {
                            grown.push(join(a, b));
                        } else {
                            done.push(join(a, b));
                        }
                    }
                }
                if !part_exact {
                    exact = false;
                }
                if can_be_empty(part) {
                    grown.extend(open.iter().cloned());
                }
                grown.sort_unstable();
                grown.dedup();
                open = grown;
            }
            done.extend(open.into_iter().filter(|l| !l.is_empty()));
            done.sort_unstable();
            done.dedup();
            Some((done, exact))
        }
    }
}

/// The most memory a rule's lazy DFA may use (per thread; it grows only as states are built). The
/// default of 2 MiB made the DFA of a rule with large Unicode classes (`org-suffix`) or a word
/// list (`first-name-person`) rebuild its states over and over on a large corpus.
const DFA_CACHE: usize = 32 << 20;

/// Compiles a rule's regex (or a variant of it) as every rule is compiled.
fn compile(
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

fn yes() -> bool {
    true
}

fn line_of(text: &str, byte: usize) -> usize {
    text[..byte.min(text.len())]
        .bytes()
        .filter(|&b| b == b'\n')
        .count()
        + 1
}

impl Rules {
    /// No rules.
    pub fn empty() -> Self {
        Rules::default()
    }

    /// The compiled rules, in file order.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The file they came from.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Loads and compiles a rules file. Every error names the file and the rule's line.
    pub fn from_file(path: &Path) -> Result<Rules> {
        let bytes = std::fs::read(path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                Error::NotFound { path: path.into() }
            } else {
                Error::io(path, e)
            }
        })?;
        let text = std::str::from_utf8(&bytes).map_err(|e| Error::Rules {
            path: path.into(),
            line: bytes[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1,
            rule: None,
            message: "not valid UTF-8".into(),
        })?;
        let base = path.parent().unwrap_or(Path::new("."));
        Self::from_str_at(text, path, base)
    }

    /// Compiles rules from TOML text; `path` names it in errors, `base` resolves list files.
    ///
    /// ```
    /// use std::path::Path;
    /// let toml = r#"
    /// [[rule]]
    /// name = "told"
    /// type = "organization"
    /// pattern = 'told (?P<entity>\p{Lu}\w+)'
    /// "#;
    /// let rules = entgraph::recognize::Rules::from_str_at(toml, Path::new("rules.toml"), Path::new(".")).unwrap();
    /// assert_eq!(rules.rules()[0].name, "told");
    /// ```
    pub fn from_str_at(text: &str, path: &Path, base: &Path) -> Result<Rules> {
        let file: RulesFile = toml::from_str(text).map_err(|e| Error::Rules {
            path: path.into(),
            line: e.span().map_or(0, |s| line_of(text, s.start)),
            rule: None,
            message: e.message().trim().replace('\n', " "),
        })?;
        let mut lists = BTreeMap::new();
        let mut words_of: BTreeMap<&str, Arc<BTreeSet<String>>> = BTreeMap::new();
        for (name, file_name) in &file.lists {
            let lp = base.join(file_name);
            let list_err = |message: String| Error::Rules {
                path: path.into(),
                line: 0,
                rule: None,
                message: format!("list '{name}': {message}"),
            };
            let bytes =
                std::fs::read(&lp).map_err(|e| list_err(format!("{}: {e}", lp.display())))?;
            let content = String::from_utf8(bytes).map_err(|e| {
                let bytes = e.as_bytes();
                let at = e.utf8_error().valid_up_to();
                let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
                list_err(format!("{}:{line}: not valid UTF-8", lp.display()))
            })?;
            // A `.tsv` list contributes every column (names and aliases); a text list one word per line.
            let mut words: Vec<&str> = content
                .lines()
                .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
                .flat_map(|l| l.split('\t'))
                .map(str::trim)
                .filter(|w| !w.is_empty())
                .collect();
            // Longest first so the alternation prefers complete words.
            words.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
            words.dedup();
            words_of.insert(
                name.as_str(),
                Arc::new(words.iter().map(|w| w.to_string()).collect()),
            );
            let alt = words
                .iter()
                .map(|w| regex::escape(w))
                .collect::<Vec<_>>()
                .join("|");
            lists.insert(name.clone(), format!("(?:{alt})"));
        }
        // Each rule's pattern parsed and compiled, the rules in parallel (checked and reported in
        // order below; a rule without a pattern, or whose lists do not expand, is left to that).
        let parse = |expanded: &str| -> std::result::Result<(Hir, meta::Regex), String> {
            let hir = regex_syntax::ParserBuilder::new()
                .build()
                .parse(expanded)
                .map_err(|e| e.to_string())?;
            let meta = compile(&hir, WhichCaptures::All).map_err(|e| build_error(&e))?;
            Ok((hir, meta))
        };
        let mut compiled: Vec<Option<std::result::Result<(Hir, meta::Regex), String>>> =
            map_rules(&file.rule, |spanned| {
                let pattern = spanned.get_ref().pattern.as_deref()?;
                let expanded = expand_lists(pattern, &lists).ok()?;
                Some(parse(&expanded))
            });
        let mut rules = Vec::new();
        let mut hirs = Vec::new();
        let mut seen = BTreeMap::new();
        for (spanned, compiled) in file.rule.iter().zip(&mut compiled) {
            let line = line_of(text, spanned.span().start);
            let spec = spanned.get_ref();
            let err = |rule: Option<&str>, message: String| Error::Rules {
                path: path.into(),
                line,
                rule: rule.map(String::from),
                message,
            };
            let name = spec
                .name
                .as_deref()
                .filter(|n| !n.trim().is_empty())
                .ok_or_else(|| err(None, "rule without a 'name'".into()))?;
            let kind = spec
                .kind
                .as_deref()
                .filter(|k| !k.trim().is_empty())
                .ok_or_else(|| err(Some(name), "rule without a 'type'".into()))?;
            let pattern = spec
                .pattern
                .as_deref()
                .filter(|p| !p.is_empty())
                .ok_or_else(|| err(Some(name), "rule without a 'pattern'".into()))?;
            if let Some(prev) = seen.insert(name.to_string(), line) {
                return Err(err(
                    Some(name),
                    format!("duplicate rule name (first at line {prev})"),
                ));
            }
            let expanded = expand_lists(pattern, &lists).map_err(|m| err(Some(name), m))?;
            // Parsed once, with the `regex` crate's defaults: the literals are those of this regex.
            let invalid = |message: String| {
                err(
                    Some(name),
                    format!("invalid pattern: {}", one_line(&message)),
                )
            };
            let (hir, meta) = compiled
                .take()
                .unwrap_or_else(|| parse(&expanded))
                .map_err(invalid)?;
            let group = meta
                .group_info()
                .to_index(regex_automata::PatternID::ZERO, "entity");
            let whole = group.is_none_or(|g| is_whole_group(&hir, g));
            hirs.push(hir);
            let mut reject = BTreeSet::new();
            for list in &spec.reject {
                let words = words_of.get(list.as_str()).ok_or_else(|| {
                    err(
                        Some(name),
                        format!("unknown list '{list}' in 'reject' (declare it under [lists])"),
                    )
                })?;
                reject.extend(words.iter().cloned());
            }
            let reject = Arc::new(reject);
            rules.push(Rule {
                name: name.to_string(),
                kind: kind.trim().into(),
                priority: spec.priority,
                line,
                examples: spec.examples.clone(),
                headlines: spec.headlines,
                emit: spec.emit,
                reject,
                source: format!("pattern:{name}").into(),
                origin: format!("{}:{}: rule '{}'", path.display(), line, name).into(),
                group,
                whole,
                meta,
            });
        }
        let prefilter = Prefilter::new(&hirs);
        Ok(Rules {
            rules,
            path: Some(path.into()),
            prefilter,
        })
    }

    /// Runs one rule over `text`, line by line (a mention never crosses a line break), and returns
    /// its mention spans.
    pub fn run_rule(&self, rule: &Rule, text: &str) -> Vec<Span> {
        let mut out = Vec::new();
        let mut offset = 0;
        for line in text.split('\n') {
            run_rule_line(rule, &rule.meta, line, offset, &mut out);
            offset += line.len() + 1;
        }
        out
    }

    /// Checks every rule's examples; returns one message per failure.
    pub fn check_examples(&self) -> Vec<String> {
        let mut failures = Vec::new();
        for rule in &self.rules {
            for ex in &rule.examples {
                let text = crate::normalize::normalize(&ex.text).text;
                let got: Vec<String> = self
                    .run_rule(rule, &text)
                    .iter()
                    .map(|s| text[s.start..s.end].to_string())
                    .collect();
                if got != ex.expect {
                    failures.push(format!(
                        "rule '{}' (line {}): on {:?} expected {:?}, got {:?}",
                        rule.name, rule.line, ex.text, ex.expect, got
                    ));
                }
            }
        }
        failures
    }
}

/// Trims a match of `rule` (its `entity` group, else all of it) to the mention: no possessive or
/// trailing apostrophe, no surrounding spaces, not a rejected word; pushes its span plus `offset`.
fn push_mention(
    rule: &Rule,
    text: &str,
    start: usize,
    end: usize,
    offset: usize,
    out: &mut Vec<Span>,
) {
    let mut end = end;
    let s = &text[start..end];
    if s.ends_with("'s") && s.len() > 2 {
        end -= 2;
    } else if s.ends_with('\'') && s.len() > 1 {
        end -= 1;
    }
    // "Jack Epps Jr." keeps the period of its suffix.
    if (text[..end].ends_with(" Jr") || text[..end].ends_with(" Sr"))
        && text[end..].starts_with('.')
    {
        end += 1;
    }
    let trimmed = text[start..end].trim_end();
    let end = start + trimmed.len();
    let start = start + (trimmed.len() - trimmed.trim_start().len());
    let mention = &text[start..end];
    let first = mention.split(' ').next().unwrap_or(mention);
    if end > start && !rule.reject.contains(mention) && !rule.reject.contains(first) {
        out.push(Span::new(offset + start, offset + end));
    }
}

/// Pushes the mentions of `rule` (compiled as `re`: the rule or its ASCII variant) on one line,
/// with the regex's own iterators (the reference the prefiltered search is tested against).
fn run_rule_line(rule: &Rule, re: &meta::Regex, text: &str, offset: usize, out: &mut Vec<Span>) {
    if rule.whole {
        for m in re.find_iter(text) {
            push_mention(rule, text, m.start(), m.end(), offset, out);
        }
        return;
    }
    for caps in re.captures_iter(text) {
        let Some(m) = caps.get_group(rule.group.unwrap_or(0)) else {
            continue;
        };
        push_mention(rule, text, m.start, m.end, offset, out);
    }
}

/// [`run_rule_line`] with the caller's cache and captures for `re` (its matches found as the
/// regex's iterators find them, empty ones included).
#[allow(clippy::too_many_arguments)]
fn run_rule_line_with(
    rule: &Rule,
    re: &meta::Regex,
    cache: &mut meta::Cache,
    caps: &mut Captures,
    text: &str,
    end: usize,
    offset: usize,
    out: &mut Vec<Span>,
) {
    // The leftmost-first matches, empty ones handled as the regex's own iterators do; none
    // ends after `end` (the look-around assertions still see the text after it).
    let mut it = Searcher::new(ReInput::new(text).range(..end));
    if rule.whole {
        while let Some(m) = it.advance(|input| Ok(re.search_with(cache, input))) {
            push_mention(rule, text, m.start(), m.end(), offset, out);
        }
        return;
    }
    while it
        .advance(|input| {
            re.search_captures_with(cache, input, caps);
            Ok(caps.get_match())
        })
        .is_some()
    {
        let Some(m) = caps.get_group(rule.group.unwrap_or(0)) else {
            continue;
        };
        push_mention(rule, text, m.start, m.end, offset, out);
    }
}

/// The non-empty lines of a chunk to run the rules on: where each one lies in the chunk's text,
/// and for a chunk that continues a line, its first line with a space in front (see
/// [`PatternRecognizer`]'s `recognize`).
struct Lines<'t> {
    text: &'t str,
    continued: Option<String>,
    /// (start, end) of each line in `text`.
    spans: Vec<(usize, usize)>,
}

impl Lines<'_> {
    /// Line `l`: the text searched, the offset of its first byte in the chunk (0 for a continued
    /// line: its spans are shifted back by the caller), and the text whose case decides whether
    /// it is a headline.
    fn get(&self, l: usize) -> (&str, usize, &str) {
        let (start, end) = self.spans[l];
        let line = &self.text[start..end];
        match &self.continued {
            Some(hay) if start == 0 => (hay, 0, line),
            _ => (line, start, line),
        }
    }
}

/// Runs the rules on `lines` as [`Prefilter`] says, `hits` holding the literals found in them
/// (line `l`'s up to `hit_ends[l]`); appends (line, rule index, span) to `out` in the order of
/// lines, then rules, then matches.
///
/// The rules are run one after the other over all the lines, not all of them line after line:
/// a rule's automata then stay in the cache from one line to the next, where 29 rules searched
/// in turn on each line pushed each other out (`extract --threads 1` with the shipped rules on
/// the 100 MB benchmark corpus: 3.25 s against 3.40 s).
fn run_lines(
    rules: &Rules,
    lines: &Lines<'_>,
    hits: &[(u32, u32, u32)],
    hit_ends: &[usize],
    state: &mut LineState,
    out: &mut Vec<(u32, usize, Span)>,
) {
    let pf = &rules.prefilter;
    let n = rules.rules.len();
    let nl = lines.spans.len();
    // (rule, line) where a rule filtered by lines runs ([`RUN`]) and where a gated rule's gate is
    // open ([`OPEN`]): as many as the literals found, not lines times rules.
    const RUN: u8 = 0;
    const OPEN: u8 = 1;
    state.flags.clear();
    state.starts.clear();
    let mut from = 0;
    for (l, &end) in hit_ends.iter().enumerate() {
        for &(v, at, len) in &hits[from..end] {
            let v = v as usize;
            let rules_of = &pf.rules_of[pf.rules_from[v] as usize..pf.rules_from[v + 1] as usize];
            for &(r, priority) in rules_of {
                if r & GATE != 0 {
                    state.flags.push((r & !GATE, l as u32, OPEN, 0));
                    continue;
                }
                match pf.mode[r as usize] {
                    Mode::Anchored => state.starts.push((r, l as u32, at, priority, len)),
                    _ => state.flags.push((r, l as u32, RUN, at + len)),
                }
            }
        }
        from = end;
    }
    sort_rule_major(&mut state.starts, &mut state.spare_starts, n, |s| {
        (s.0, s.1)
    });
    state.starts.dedup();
    sort_rule_major(&mut state.flags, &mut state.spare_flags, n, |f| (f.0, f.1));
    state.flags.dedup();
    // Whether each line is in headline case, computed once if a rule needs to know.
    let mut headline: Vec<Option<bool>> = vec![None; nl];
    let mut ascii: Vec<Option<bool>> = vec![None; nl];
    let mut spans = Vec::new();
    let mut k = 0;
    let mut f = 0;
    if state.rule.len() < n {
        state.rule.resize_with(n, || None);
        state.ascii.resize_with(n, || None);
        state.twin.resize_with(n, || None);
    }
    for r in 0..n {
        let rule = &rules.rules[r];
        let head = pf.heads[r].as_ref();
        // (a rule with a head is searched as its tail, after the head)
        let (full, full_ascii, full_relaxed) = match head {
            Some(h) => (&h.tail, &h.ascii, &h.relaxed),
            None => (&rule.meta, &pf.ascii[r], &pf.relaxed[r]),
        };
        let anchored = pf.mode[r] == Mode::Anchored;
        for l in 0..nl {
            // This rule's candidates on this line (anchored), and whether it runs there.
            let first = k;
            while k < state.starts.len()
                && state.starts[k].0 as usize == r
                && state.starts[k].1 as usize == l
            {
                k += 1;
            }
            let (mut runs, mut open) = (pf.mode[r] == Mode::Always, !pf.gated[r]);
            // (where the last of its literals on the line ends: flags come sorted by it)
            let mut last_literal_end = 0;
            while f < state.flags.len()
                && (state.flags[f].0 as usize) == r
                && (state.flags[f].1 as usize) == l
            {
                match state.flags[f].2 {
                    RUN => {
                        runs = true;
                        last_literal_end = state.flags[f].3 as usize;
                    }
                    _ => open = true,
                }
                f += 1;
            }
            if anchored && (first == k || !open) {
                continue;
            }
            if !anchored && !runs {
                continue;
            }
            let (line, offset, headline_of) = lines.get(l);
            // No match of a rule whose literals are its suffixes ends after the last of them.
            let end = if pf.ends[r] {
                last_literal_end
            } else {
                line.len()
            };
            let mut skip_rule = || -> bool {
                !rule.headlines && *headline[l].get_or_insert_with(|| is_headline(headline_of))
            };
            // On an ASCII line each rule is searched as its ASCII variant, which needs no twin.
            let is_ascii = *ascii[l].get_or_insert_with(|| line.is_ascii());
            let (re, relaxed, engine) = match (is_ascii, full_ascii) {
                (true, Some(re)) => (re, None, &mut state.ascii[r]),
                (true, None) => (full, None, &mut state.rule[r]),
                (false, _) => (full, full_relaxed.as_ref(), &mut state.rule[r]),
            };
            let (cache, caps) =
                engine.get_or_insert_with(|| (re.create_cache(), re.create_captures()));
            let mut relaxed = relaxed.map(|twin| {
                let cache = state.twin[r].get_or_insert_with(|| twin.create_cache());
                (twin, cache)
            });
            // The end of the match of `rule` anchored at `at`, if any, its mention pushed to
            // `out`; for a rule with a head found at `at`, the match of its tail anchored at
            // `from`, where the head ends.
            let mut match_at = |at: usize,
                                from: usize,
                                twin: Option<&mut (&meta::Regex, &mut meta::Cache)>,
                                out: &mut Vec<(u32, usize, Span)>|
             -> Option<usize> {
                let input = ReInput::new(line).range(from..).anchored(Anchored::Yes);
                // Where the twin does not match (tried here for anchored rules; on lines, `at`
                // is where it matched), neither does the rule: its lazy DFA says so without
                // giving up on a non-ASCII byte (the rule's own would, for a slow engine over
                // the rest of the line).
                if let Some((twin, cache)) = twin {
                    twin.search_half_with(cache, &input)?;
                }
                let (mention, end) = if rule.whole {
                    // The lazy DFA alone finds the match; the capture engines are much slower.
                    let m = re.search_with(cache, &input)?;
                    (Some((at, m.end())), m.end())
                } else {
                    re.search_captures_with(cache, &input, caps);
                    let whole = caps.get_match()?;
                    let g = rule.group.unwrap_or(0);
                    let group = caps.get_group(g);
                    // (a group that holds the head starts where the head does)
                    let holds_head = head.is_some_and(|h| h.groups.contains(&(g as u32)));
                    (
                        group.map(|m| (if holds_head { at } else { m.start }, m.end)),
                        whole.end(),
                    )
                };
                if let Some((start, end)) = mention {
                    spans.clear();
                    push_mention(rule, line, start, end, offset, &mut spans);
                    out.extend(spans.iter().map(|&s| (l as u32, r, s)));
                }
                Some(end)
            };
            if anchored {
                let mut last_end = 0;
                let mut skip = None;
                let mut c = first;
                while c < k {
                    let at = state.starts[c].2 as usize;
                    // The candidates at `at`: one for a rule without a head; for one with a
                    // head, each of its literals found there, in the alternation's order.
                    let cands = c;
                    while c < k && state.starts[c].2 as usize == at {
                        c += 1;
                    }
                    if at < last_end
                        || (pf.boundary[r]
                            && line[at..].chars().next().is_some_and(is_word_char)
                            && line[..at]
                                .chars()
                                .next_back()
                                .is_some_and(is_word_char))
                        || *skip.get_or_insert_with(&mut skip_rule)
                    {
                        continue;
                    }
                    let Some(head) = head else {
                        if let Some(end) = match_at(at, at, relaxed.as_mut(), out) {
                            last_end = end;
                        }
                        continue;
                    };
                    // (its assertions, checked as the regex engines do)
                    let look = regex_automata::util::look::LookMatcher::new();
                    if !head
                        .looks
                        .iter()
                        .all(|&l| look.matches(l, line.as_bytes(), at))
                    {
                        continue;
                    }
                    for &(_, _, _, _, len) in &state.starts[cands..c] {
                        if let Some(end) = match_at(at, at + len as usize, relaxed.as_mut(), out) {
                            last_end = end;
                            break;
                        }
                    }
                }
            } else if !skip_rule() {
                let Some((relaxed, relaxed_cache)) = relaxed else {
                    spans.clear();
                    run_rule_line_with(rule, re, cache, caps, line, end, offset, &mut spans);
                    out.extend(spans.iter().map(|&s| (l as u32, r, s)));
                    continue;
                };
                // The leftmost match from `at` starts at or after the leftmost match of the
                // relaxed rule: try the rule anchored there, then from the next char on.
                let mut at = 0;
                while at <= end {
                    let Some(m) =
                        relaxed.search_with(relaxed_cache, &ReInput::new(line).range(at..end))
                    else {
                        break;
                    };
                    at = match match_at(m.start(), m.start(), None, out) {
                        Some(end) => end,
                        None => {
                            m.start() + line[m.start()..].chars().next().map_or(1, char::len_utf8)
                        }
                    };
                }
            }
        }
    }
    // Lines, then rules, then matches (each rule's were pushed in order).
    out.sort_by_key(|&(l, r, _)| (l, r));
}

/// Sorts `v`, whose items come in line order, as `sort_unstable` would, given that each item's
/// `key` (rule, line) is its first two fields, and rules are below `rules`: a counting sort by rule
/// (stable, so each rule's items stay in line order), then each run of one rule and one line (a
/// few items) sorted alone. `spare` is scratch space. Where a chunk's literal hits are many (one
/// per first name, country, film title…), a comparison sort of them all cost about 0.1 s of CPU per
/// 100 MB.
fn sort_rule_major<T: Ord + Copy>(
    v: &mut Vec<T>,
    spare: &mut Vec<T>,
    rules: usize,
    key: impl Fn(&T) -> (u32, u32),
) {
    debug_assert!(v.windows(2).all(|w| key(&w[0]).1 <= key(&w[1]).1));
    let Some(&first) = v.first() else { return };
    let mut at = vec![0usize; rules + 1];
    for x in v.iter() {
        at[key(x).0 as usize + 1] += 1;
    }
    for r in 0..rules {
        at[r + 1] += at[r];
    }
    spare.clear();
    spare.resize(v.len(), first);
    for &x in v.iter() {
        let r = key(&x).0 as usize;
        spare[at[r]] = x;
        at[r] += 1;
    }
    let mut i = 0;
    while i < spare.len() {
        let k = key(&spare[i]);
        let mut j = i + 1;
        while j < spare.len() && key(&spare[j]) == k {
            j += 1;
        }
        if j - i > 1 {
            spare[i..j].sort_unstable();
        }
        i = j;
    }
    std::mem::swap(v, spare);
}

/// Buffers reused from line to line.
#[derive(Default)]
struct LineState {
    /// (literal, start, length) of the literals found in the lines of a text, and where each
    /// line's end in it.
    hits: Vec<(u32, u32, u32)>,
    hit_ends: Vec<usize>,
    /// Where the non-empty lines of a text lie in it.
    lines: Vec<(usize, usize)>,
    /// (rule, line, what, end) flags of the lines of a text: see [`run_lines`].
    flags: Vec<(u32, u32, u8, u32)>,
    /// (rule, line, start, priority, length) of the literal occurrences of anchored rules
    /// (priority and length: of a rule's [`Head`] literal)
    starts: Vec<(u32, u32, u32, u32, u32)>,
    /// Scratch space for sorting `flags` and `starts`.
    spare_flags: Vec<(u32, u32, u8, u32)>,
    spare_starts: Vec<(u32, u32, u32, u32, u32)>,
    /// Per rule: a cache and captures for the rule, and for its ASCII variant; a cache for its
    /// relaxed twin. Kept from chunk to chunk by the recognizer: a regex's own pool of caches
    /// costs a lock on every search made off the thread that first used it.
    rule: Vec<Option<(meta::Cache, Captures)>>,
    ascii: Vec<Option<(meta::Cache, Captures)>>,
    twin: Vec<Option<meta::Cache>>,
}

/// Small words that stay lowercase in headline case.
const HEADLINE_SMALL: &[&str] = &[
    "a", "an", "the", "of", "in", "on", "and", "or", "to", "for", "with", "at", "by", "from", "as",
    "vs",
];

/// Lines longer than this (in bytes) are never headlines; it also makes the headline test of a line
/// that a long document's chunking cuts in pieces (only lines longer than the chunk size, which is
/// larger) the same as for the whole line.
pub const MAX_HEADLINE_LEN: usize = 2048;

/// True when a line is written in headline case: at least four words with letters, and at least
/// 70% of those that are not small words ("of", "the", ...) start with a capital.
pub fn is_headline(line: &str) -> bool {
    if line.len() > MAX_HEADLINE_LEN {
        return false;
    }
    // A line that ends like a sentence is a headline only with at most one word in lower case
    // (see `title_case`), so the count stops at the second one: most lines are prose.
    let max_lower = if ends_like_sentence(line) {
        1
    } else {
        usize::MAX
    };
    let (mut words, mut caps) = (0usize, 0usize);
    if line.is_ascii() {
        // The same count on bytes.
        for w in line.split(char::is_whitespace) {
            let w = w.trim_matches(|c: char| !c.is_ascii_alphanumeric());
            if !w.bytes().any(|b| b.is_ascii_alphabetic()) || HEADLINE_SMALL.contains(&w) {
                continue;
            }
            words += 1;
            if w.as_bytes()[0].is_ascii_uppercase() || w.as_bytes()[0].is_ascii_digit() {
                caps += 1;
            } else if words - caps > max_lower {
                return false;
            }
        }
        return title_case(line, words, caps);
    }
    for w in line.split(|c: char| c.is_whitespace()) {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        if !w.chars().any(char::is_alphabetic) || HEADLINE_SMALL.contains(&w) {
            continue;
        }
        words += 1;
        if w.chars()
            .next()
            .is_some_and(|c| c.is_uppercase() || c.is_numeric())
        {
            caps += 1;
        } else if words - caps > max_lower {
            return false;
        }
    }
    title_case(line, words, caps)
}

/// True when the line ends with `.`, `!` or `?`, before closing quotes and brackets.
fn ends_like_sentence(line: &str) -> bool {
    line.trim_end()
        .trim_end_matches(['"', '\'', ')', '\u{201d}', '\u{2019}'])
        .ends_with(['.', '!', '?'])
}

/// At least four words, at least 70% of them capitalized, and either at most one of them in lower
/// case (Title Case leaves at most one) or a line that does not end like a sentence: a name-dense
/// sentence ("Harold Faltermeyer wrote the score, and Mike De Luca ...") is not a headline.
fn title_case(line: &str, words: usize, caps: usize) -> bool {
    let lower = words - caps;
    words >= 4 && caps * 10 >= words * 7 && (lower <= 1 || !ends_like_sentence(line))
}

/// What the `regex` crate says of a pattern that does not compile.
fn build_error(e: &meta::BuildError) -> String {
    match (e.size_limit(), e.syntax_error()) {
        (Some(limit), _) => format!("Compiled regex exceeds size limit of {limit} bytes."),
        (None, Some(syntax)) => syntax.to_string(),
        (None, None) => e.to_string(),
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn expand_lists(
    pattern: &str,
    lists: &BTreeMap<String, String>,
) -> std::result::Result<String, String> {
    let mut out = String::with_capacity(pattern.len());
    let mut rest = pattern;
    while let Some(i) = rest.find("{{") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let j = after
            .find("}}")
            .ok_or_else(|| "unclosed '{{' in pattern".to_string())?;
        let name = after[..j].trim();
        let alt = lists
            .get(name)
            .ok_or_else(|| format!("unknown list '{{{{{name}}}}}' (declare it under [lists])"))?;
        out.push_str(alt);
        rest = &after[j + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Adapts [`Rules`] to the [`Recognizer`] trait.
pub struct PatternRecognizer {
    rules: Arc<Rules>,
    /// Line states (with the regexes' caches) not in use: as many as threads ran it at once.
    states: std::sync::Mutex<Vec<LineState>>,
}

impl Clone for PatternRecognizer {
    /// The same rules, with caches of its own.
    fn clone(&self) -> Self {
        PatternRecognizer::new(self.rules.clone())
    }
}

impl std::fmt::Debug for PatternRecognizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PatternRecognizer")
            .field("rules", &self.rules)
            .finish_non_exhaustive()
    }
}

impl PatternRecognizer {
    /// Wraps compiled rules.
    pub fn new(rules: Arc<Rules>) -> Self {
        PatternRecognizer {
            rules,
            states: Default::default(),
        }
    }
}

impl Recognizer for PatternRecognizer {
    fn name(&self) -> &str {
        "pattern"
    }

    fn recognize(&self, input: Input<'_>, out: &mut Vec<Candidate>) {
        let rules = &self.rules.rules;
        let mut state = self
            .states
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .pop()
            .unwrap_or_default();
        // The rules' literals in every line first, then the rules (see [`run_lines`]): one scan
        // after the other keeps the literal automaton in the cache.
        let mut hits = std::mem::take(&mut state.hits);
        let mut hit_ends = std::mem::take(&mut state.hit_ends);
        hits.clear();
        hit_ends.clear();
        // A chunk that continues a line: the text before it ended a sentence and a space
        // followed, so the line is searched with that space in front (no `^` match here).
        let first_line = input.text.split('\n').next().unwrap_or("");
        let continued =
            (input.continues_line && !first_line.is_empty()).then(|| format!(" {first_line}"));
        let mut lines = Lines {
            text: input.text,
            continued,
            spans: std::mem::take(&mut state.lines),
        };
        lines.spans.clear();
        let mut offset = 0;
        for line in input.text.split('\n') {
            let at = offset;
            offset += line.len() + 1;
            if line.is_empty() {
                continue;
            }
            lines.spans.push((at, at + line.len()));
            if let Some(ac) = &self.rules.prefilter.ac {
                let (hay, _, _) = lines.get(lines.spans.len() - 1);
                ac.find(hay, |v, at, len| hits.push((v, at as u32, len as u32)));
            }
            hit_ends.push(hits.len());
        }
        let mut found = Vec::new();
        run_lines(
            &self.rules,
            &lines,
            &hits,
            &hit_ends,
            &mut state,
            &mut found,
        );
        for &(l, r, span) in &found {
            let span = if l == 0 && lines.continued.is_some() {
                // (back to the chunk's offsets, without the space in front)
                if span.start == 0 {
                    continue;
                }
                Span::new(span.start - 1, span.end - 1)
            } else {
                span
            };
            let rule = &rules[r];
            out.push(Candidate {
                span,
                kind: rule.kind.clone(),
                entity: None,
                id: None,
                rank: Rank::Pattern,
                priority: rule.priority,
                source: rule.source.clone(),
                origin: rule.origin.clone(),
                guard: !rule.emit,
            });
        }
        state.hits = hits;
        state.lines = lines.spans;
        state.hit_ends = hit_ends;
        self.states
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(state);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(toml: &str) -> Result<Rules> {
        Rules::from_str_at(toml, Path::new("r.toml"), Path::new("."))
    }

    #[test]
    fn pattern_entity_group_and_possessive() {
        let r = load("[[rule]]\nname = \"t\"\ntype = \"person\"\npattern = 'director (?P<entity>[A-Z]\\w+(?: [A-Z]\\w+)*)'\n").unwrap();
        let text = "director Christopher McQuarrie's film";
        let spans = r.run_rule(&r.rules()[0], text);
        assert_eq!(
            spans
                .iter()
                .map(|s| &text[s.start..s.end])
                .collect::<Vec<_>>(),
            ["Christopher McQuarrie"]
        );
    }

    #[test]
    fn pattern_errors_name_file_line_rule() {
        let cases: &[(&str, &str)] = &[
            (
                "[[rule]]\nname = \"a\"\ntype = \"x\"\npattern = 'ok'\n\n[[rule]]\nname = \"bad\"\ntype = \"x\"\npattern = '(unclosed'\n",
                "r.toml:6: rule 'bad': invalid pattern",
            ),
            (
                "[[rule]]\nname = \"a\"\npattern = 'x'\n",
                "r.toml:1: rule 'a': rule without a 'type'",
            ),
            (
                "[[rule]]\nname = \"a\"\ntype = \"x\"\n",
                "r.toml:1: rule 'a': rule without a 'pattern'",
            ),
            (
                "[[rule]]\nname = \"a\"\ntype = \"x\"\npattern = 'x'\ncolour = 1\n",
                "r.toml:5:",
            ),
            (
                "[[rule]]\nname = \"a\"\ntype = \"x\"\npattern = 'x{1000}{1000}{1000}'\n",
                "r.toml:1: rule 'a': invalid pattern",
            ),
            (
                "[[rule]]\nname = \"a\"\ntype = \"x\"\npattern = '{{nope}}'\n",
                "r.toml:1: rule 'a': unknown list",
            ),
        ];
        for (toml, expected) in cases {
            let e = load(toml).unwrap_err().to_string();
            assert!(
                e.starts_with(expected),
                "{e:?} should start with {expected:?}"
            );
            assert!(!e.contains('\n'), "one line: {e:?}");
        }
    }

    /// Every rule shipped in `dictionaries/patterns.toml` passes its own examples.
    #[test]
    fn pattern_shipped_rules_pass_their_examples() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("dictionaries/patterns.toml");
        let rules = Rules::from_file(&path).unwrap();
        assert!(rules.rules().len() >= 8);
        let failures = rules.check_examples();
        assert!(failures.is_empty(), "{}", failures.join("\n"));
        assert!(
            rules.rules().iter().all(|r| !r.examples.is_empty()),
            "every shipped rule has examples"
        );
    }

    /// (rule name, span) of what the recognizer finds in `text`, sorted.
    fn recognized(rules: &Arc<Rules>, text: &str) -> Vec<(String, Span)> {
        recognized_by(&PatternRecognizer::new(rules.clone()), text)
    }

    /// (rule name, span) of what `recognizer` finds in `text`, sorted.
    fn recognized_by(recognizer: &PatternRecognizer, text: &str) -> Vec<(String, Span)> {
        let mut got = Vec::new();
        recognizer.recognize(Input::new(text, &[]), &mut got);
        let mut got: Vec<(String, Span)> = got
            .into_iter()
            .map(|c| (c.source.trim_start_matches("pattern:").to_string(), c.span))
            .collect();
        got.sort();
        got
    }

    /// `recognizer` finds in `text` what [`naive`] finds, at least `at_least` mentions.
    fn assert_finds_as_naive(recognizer: &PatternRecognizer, text: &str, at_least: usize) {
        let want = naive(&recognizer.rules, text);
        assert!(want.len() >= at_least, "{want:?}");
        assert_eq!(recognized_by(recognizer, text), want, "{text}");
    }

    /// Every rule run on every line, headline lines skipped: what the prefiltered recognizer
    /// must find.
    fn naive(rules: &Rules, text: &str) -> Vec<(String, Span)> {
        let mut out = Vec::new();
        for rule in rules.rules() {
            for span in rules.run_rule(rule, text) {
                let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
                let line_end = text[span.start..]
                    .find('\n')
                    .map_or(text.len(), |i| span.start + i);
                if !rule.headlines && is_headline(&text[line_start..line_end]) {
                    continue;
                }
                out.push((rule.name.clone(), span));
            }
        }
        out.sort();
        out
    }

    /// The prefiltered, anchored recognizer finds exactly what running every rule on every line
    /// finds, on every text file of the repository (seeds, fixtures, validation documents).
    #[test]
    fn pattern_prefilter_matches_naive() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let rules = Arc::new(Rules::from_file(&root.join("dictionaries/patterns.toml")).unwrap());
        let modes: Vec<Mode> = rules.prefilter.mode.clone();
        assert!(
            modes.iter().filter(|m| **m == Mode::Anchored).count() >= 10,
            "{modes:?}"
        );
        let mut files = Vec::new();
        let mut stack = vec![root.join("seeds"), root.join("tests/fixtures")];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "txt") {
                    files.push(p);
                }
            }
        }
        assert!(files.len() >= 12);
        for f in files {
            let text = crate::normalize::normalize(&std::fs::read_to_string(&f).unwrap()).text;
            assert_eq!(
                recognized(&rules, &text),
                naive(&rules, &text),
                "{}",
                f.display()
            );
        }
    }

    /// Rules searched on lines through their relaxed twin find what the plain search finds, where
    /// a word boundary fails at a start the twin matches and on lines with non-ASCII letters.
    #[test]
    fn pattern_relaxed_twin_matches_naive() {
        let toml = r#"
[[rule]]
name = "corp"
type = "organization"
pattern = '\b(?P<entity>\p{Lu}\p{Ll}+(?: \p{Lu}\p{Ll}+)?) Corp\b'
[[rule]]
name = "possessive"
type = "film"
pattern = '''\b\p{Lu}\p{Ll}+(?:'s|') (?P<entity>\p{Lu}\w+)\b'''
"#;
        let rules = Arc::new(load(toml).unwrap());
        assert!(rules.prefilter.mode.iter().all(|m| *m == Mode::Lines));
        assert!(rules.prefilter.relaxed.iter().all(Option::is_some));
        // "corp" is searched up to its last literal on a line, whose `\b` still sees what follows
        // ("Corpse": no match ends there).
        assert_eq!(rules.prefilter.ends, [true, false]);
        // (mostly lower case: rules skip headline-case lines)
        let text = "éAbc Corp met Zoë Ålund Corp, while Corpse Ab Corporation or _Abc Corp saw Xy Corp.\n\
                    so Ørsted's Édouard and xJoe's Film, then Joe's Film2 with Ann' Bo was here\n\
                    then Ab Corp Corp and Cd Corp were seen today\n\
                    the Zed Corp and Ab Corpse were seen\n\
                    the Zéd Corp and Åb Corpse were seen\n\
                    the Zed Corp and the Ab Corp";
        assert_finds_as_naive(&PatternRecognizer::new(rules.clone()), text, 9);
    }

    /// Anchored rules gated by a literal every match holds, and every rule on ASCII lines (its
    /// ASCII variant) and on lines with non-ASCII letters (the rule, after its twin), find what
    /// the plain search finds.
    #[test]
    fn pattern_gates_and_ascii_variants_match_naive() {
        let toml = r#"
[[rule]]
name = "the-star"
type = "person"
pattern = '''\b[Tt]he (?P<entity>\p{Lu}\p{Ll}+(?: \p{Lu}\p{Ll}+)?) (?:star|actor)\b'''
[[rule]]
name = "in-year"
type = "film"
pattern = '''\b(?:in|film) (?P<entity>\p{Lu}\w*(?: \p{Lu}\w*)?) \((?:19|20)\d\d\)'''
[[rule]]
name = "corp"
type = "organization"
pattern = '\b(?P<entity>\p{Lu}\p{Ll}+(?: \p{Lu}\p{Ll}+)?) Corp\b'
"#;
        let rules = Arc::new(load(toml).unwrap());
        let pf = &rules.prefilter;
        assert_eq!(pf.mode[..2], [Mode::Anchored, Mode::Anchored]);
        assert_eq!(pf.gated, [true, true, false]);
        assert!(pf.ascii.iter().all(Option::is_some));
        assert!(pf.relaxed.iter().all(Option::is_some));
        // (mostly lower case: rules skip headline-case lines)
        let text = "then the Ann Lee star and the Zoë Ålund actor came, the end\n\
                    so the Bo Li star met the lawyer in Heat (1995) today with Ab Corp\n\
                    the film Ærø Nights (2001) and the Écu Corp, then in Xy Zw (1999) there\n\
                    only the words the and in are here, Corp and star too\n\
                    and then Éva Ab Corp or theAnn Lee star went in Élan (2020) with the Mo star";
        assert_finds_as_naive(&PatternRecognizer::new(rules.clone()), text, 10);
    }

    /// Rules with no twin (no `\b`), searched on every line (one that may match the empty
    /// string), on lines with a literal, and anchored, with and without an entity group: the
    /// recognizer's own caches and match loop find what the regexes' iterators find, and a
    /// recognizer used again and again (its caches kept from call to call, on ASCII and non-ASCII
    /// lines) finds what a new one does.
    #[test]
    fn pattern_cached_searches_match_naive() {
        let toml = r#"
[[rule]]
name = "caps"
type = "person"
pattern = '(?P<entity>\p{Lu}\p{Ll}+(?: \p{Lu}\p{Ll}+)?)?'
[[rule]]
name = "pair"
type = "place"
pattern = '\p{Lu}\p{Ll}* [A-Z]\w+'
[[rule]]
name = "tail"
type = "film"
pattern = '[A-Z]\w*(?P<entity>\d+)?'
"#;
        let rules = Arc::new(load(toml).unwrap());
        let pf = &rules.prefilter;
        assert_eq!(pf.mode, [Mode::Always, Mode::Lines, Mode::Anchored]);
        assert!(pf.relaxed.iter().all(Option::is_none));
        let texts = [
            "so Ann Lee met Bo at Oslo Fjord, then X12 and Y7 left",
            "so Zoë Ålund met Éva in Ærø Nights, then Ab3 left",
            "nothing here at all\nand then we saw that Ann Lee, Écu Corp and B52 came\n\nOslo Fjord",
        ];
        let reused = PatternRecognizer::new(rules.clone());
        for text in texts.iter().chain(texts.iter().rev()) {
            assert_finds_as_naive(&PatternRecognizer::new(rules.clone()), text, 3);
            assert_finds_as_naive(&reused, text, 3);
        }
    }

    /// Rules that begin with an alternation of literals (a word list) are searched as their tail
    /// after each literal found: with the head inside the entity group (the whole match, or
    /// part of it), before the group, after `^`; with literals that are prefixes of others
    /// (tried in the alternation's order: "Mary" before "Mary Ann"), after a word char, after a
    /// char that is alphanumeric but not a word char to a regex ("½"), and next to non-ASCII
    /// letters.
    #[test]
    fn pattern_heads_match_naive() {
        let toml = r#"
[[rule]]
name = "first"
type = "person"
pattern = '''\b(?P<entity>(?:Jean-Luc|Alan|Jean|Al|Émile|Zoë|Mary|Mary Ann)(?:\s+\p{Lu}\p{Ll}+){1,2})\b'''
[[rule]]
name = "city-then"
type = "place"
pattern = '''\b(?:Oslo|Ålesund|Os)\s+(?P<entity>\p{Lu}\p{Ll}+)'''
[[rule]]
name = "said"
type = "person"
pattern = '''\b(?P<entity>(?:Anna|Annabel|Boris)\s\p{Lu}\p{Ll}+) (?:said|told)\b'''
[[rule]]
name = "byline"
type = "person"
headlines = true
pattern = '''^(?:Von|By)\s+(?P<entity>\p{Lu}\p{Ll}+)'''
"#;
        let rules = Arc::new(load(toml).unwrap());
        let pf = &rules.prefilter;
        assert!(
            pf.mode.iter().all(|m| *m == Mode::Anchored),
            "{:?}",
            pf.mode
        );
        let heads: Vec<_> = pf
            .heads
            .iter()
            .map(|h| h.as_ref().map(|h| (h.literals.len(), h.groups.clone())))
            .collect();
        assert_eq!(
            heads,
            [
                Some((8, vec![1])),
                Some((3, vec![])),
                Some((3, vec![1])),
                Some((2, vec![]))
            ]
        );
        // (mostly lower case: rules skip headline-case lines)
        let text = "so Alan Lee met Al Green and Jean-Luc Picard, then xAlan Bo and Alana Ray left\n\
                    By Jordan and then Émile Zola met with the old man who was there, it was late\n\
                    then we saw Zoë Ålund in Oslo Fjord, and near Ålesund Øy there was nothing\n\
                    then Annabel Lee said it and Anna Ross told us, but Boris Ek was silent\n\
                    Von Trapp sang, and the rest stood By Carl and Mary Ann Lee Smith, all done\n\
                    while Jean Valjean ran from Os Vika, the Écu Émile Bo and Al came\n\
                    and then Jean Luc Picard and Alan and Ann Lee said so, ÅAlan Bo too\n\
                    and the note ½Alan Lee or ²Jean Paul (numbers, not word chars to a regex)";
        assert_finds_as_naive(&PatternRecognizer::new(rules.clone()), text, 12);
    }

    #[test]
    fn pattern_guard_rule_blocks_without_mention() {
        let toml = "[[rule]]\nname = \"g\"\ntype = \"event\"\nemit = false\npattern = 'Paris Olympics'\nexamples = []\n";
        let r = load(toml).unwrap();
        assert!(!r.rules()[0].emit);
        let mut out = Vec::new();
        PatternRecognizer::new(Arc::new(r))
            .recognize(Input::new("the Paris Olympics", &[]), &mut out);
        assert!(out[0].guard);
    }

    #[test]
    fn pattern_headline_table() {
        let cases = [
            (
                "You Need To See This Mission Impossible 7 Stunt With Tom Cruise Riding A Motorcycle",
                true,
            ),
            (
                "Tom Cruise's Death-Defying Mission: Impossible 7 Stunt Leaks Online",
                true,
            ),
            (
                "Filming on the action movie has started up again, and Tom Cruise is really earning his paycheck.",
                false,
            ),
            ("Cruise's big moment", false),
            ("STOP WHAT YOU'RE DOING AND WATCH SNOOP DOGG", true),
            (
                "Harold Faltermeyer wrote the score, and Mike De Luca and Pam Abdy.",
                false,
            ),
        ];
        for (line, expected) in cases {
            assert_eq!(is_headline(line), expected, "{line}");
        }
    }

    #[test]
    fn pattern_whole_match_needs_no_captures() {
        // (pattern, whether the mention is always the whole match)
        let table = [
            (r"\b(?P<entity>Foo \w+)\b", true),
            (r"^(?P<entity>[A-Z]+)", true),
            (r"Foo \w+", true),
            (r"Mr (?P<entity>\w+)", false),
            (r"(?P<entity>A)|B", false),
            (r"(?P<entity>A)(?P<entity2>B)?", false),
            (r"(?P<entity>A)'s", false),
        ];
        for (pattern, whole) in table {
            let toml = format!("[[rule]]\nname = \"r\"\ntype = \"t\"\npattern = '''{pattern}'''\n");
            let rules = load(&toml).unwrap();
            assert_eq!(rules.rules()[0].whole, whole, "{pattern}");
        }
        // The recognizer (anchored at "Ann", no captures) finds what a plain search finds.
        let rules = load(concat!(
            "[[rule]]\nname = \"r\"\ntype = \"t\"\n",
            r"pattern = '\b(?P<entity>Ann [A-Z]\w+)'",
            "\n"
        ))
        .unwrap();
        assert!(rules.rules()[0].whole);
        let text =
            "Ann Lee met the dog of Ann Smith's aunt at home; then xAnn Bo and Ann Ann Lu left.";
        let mut got = Vec::new();
        PatternRecognizer::new(Arc::new(rules.clone())).recognize(Input::new(text, &[]), &mut got);
        let got: Vec<&str> = got
            .iter()
            .map(|c| &text[c.span.start..c.span.end])
            .collect();
        assert_eq!(got, ["Ann Lee", "Ann Smith", "Ann Ann"]);
        assert_eq!(naive(&rules, text).len(), 3);
    }

    #[test]
    fn pattern_lists_expand() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("names.txt"), "Hayley\nPom\n").unwrap();
        let toml = "[lists]\nfirst = \"names.txt\"\n[[rule]]\nname = \"n\"\ntype = \"person\"\npattern = '\\b{{first}} [A-Z]\\w+'\nexamples = [{ text = \"with Hayley Atwell and Pom Klementieff\", expect = [\"Hayley Atwell\", \"Pom Klementieff\"] }]\n";
        let r = Rules::from_str_at(toml, &dir.path().join("r.toml"), dir.path()).unwrap();
        assert!(r.check_examples().is_empty(), "{:?}", r.check_examples());
    }

    #[test]
    fn pattern_reject_list_drops_whole_and_first_word() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("adj.txt"), "British\nPrime\n").unwrap();
        let toml = "[lists]\nadj = \"adj.txt\"\n[[rule]]\nname = \"x\"\ntype = \"film\"\nreject = [\"adj\"]\npattern = '[Tt]he (?P<entity>\\p{Lu}\\w+(?: \\p{Lu}\\w+)?) star'\n";
        let rules = Rules::from_str_at(toml, Path::new("r.toml"), dir.path()).unwrap();
        let rule = &rules.rules()[0];
        let got = |t: &str| -> Vec<String> {
            rules
                .run_rule(rule, t)
                .iter()
                .map(|s| t[s.start..s.end].to_string())
                .collect()
        };
        assert_eq!(got("the British star"), Vec::<String>::new());
        assert_eq!(got("the Prime Time star"), Vec::<String>::new());
        assert_eq!(got("the Top Gun star"), vec!["Top Gun"]);
        let bad = toml.replace("[\"adj\"]", "[\"nope\"]");
        let err = Rules::from_str_at(&bad, Path::new("r.toml"), dir.path())
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown list 'nope'"), "{err}");
    }

    #[test]
    fn sort_rule_major_as_sort_unstable() {
        let mut seed = 5u64;
        let mut next = |m: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) % m) as u32
        };
        let mut spare = Vec::new();
        for round in 0..500 {
            let (rules, len) = (1 + next(30), next(if round % 10 == 0 { 2000 } else { 40 }));
            // In line order, as `run_lines` makes them.
            let mut line = 0;
            let v: Vec<(u32, u32, u32, u8)> = (0..len)
                .map(|_| {
                    line += next(3) / 2;
                    (next(rules as u64), line, next(50), next(2) as u8)
                })
                .collect();
            let mut want = v.clone();
            want.sort_unstable();
            let mut got = v;
            sort_rule_major(&mut got, &mut spare, rules as usize, |x| (x.0, x.1));
            assert_eq!(got, want, "round {round}");
        }
    }

    /// Rules compile in parallel, but the error reported is still the first in file order,
    /// whether a pattern does not compile or a rule is malformed.
    #[test]
    fn pattern_first_error_in_file_order() {
        let rule = |name: &str, pattern: &str| {
            format!("[[rule]]\nname = \"{name}\"\ntype = \"t\"\npattern = '{pattern}'\n")
        };
        let err = |toml: String| {
            Rules::from_str_at(&toml, Path::new("r.toml"), Path::new("."))
                .unwrap_err()
                .to_string()
        };
        let bad_regex = err(rule("a", "A\\w+") + &rule("b", "(") + &rule("a", "C"));
        assert!(
            bad_regex.contains("'b'") && bad_regex.contains("invalid pattern"),
            "{bad_regex}"
        );
        let duplicate = err(rule("a", "A\\w+") + &rule("a", "B") + &rule("c", "("));
        assert!(duplicate.contains("duplicate rule name"), "{duplicate}");
    }
}
