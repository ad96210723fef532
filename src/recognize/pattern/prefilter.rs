//! Finding every rule's literals in a line (see [`super::plan`] for what they are), and what each
//! one found means for the rules it serves.
//!
//! The [`LiteralFinder`] reports every occurrence of every literal, overlapping, except that a
//! literal that begins with a word char and is marked as needing a word start is only reported
//! where no word char comes before it. Two searchers share the work. Literals that need a word
//! start and begin with an ASCII capital or a non-ASCII char (the names of word lists: first names,
//! countries, films; most of the literals) are looked up at the few places where such a byte
//! follows a non-word char: a vectorized scan finds the candidate bytes, and an anchored walk of an
//! Aho-Corasick automaton from there reports the literals that start at that place. The rest
//! (lower-case cue words, punctuation, gates: a few hundred) go to one overlapping Aho-Corasick DFA
//! scan of the line. On 10 MB of the benchmark corpus, with the shipped rules, the two take about
//! 45 ms (20 for the walks, 25 for the DFA), against 62 ms for one overlapping daachorse scan of
//! all 17,400 literals (which costs about the same whatever the set: 56 ms for 733 of them); one
//! DFA of all the literals takes 44–49 ms but 66 MB and 63 ms to build.
//!
//! The word chars are the regex engines' own (Unicode `\w`, [`crate::text::is_word_char`]): the
//! rules' `\b` looks at those.

use std::collections::BTreeMap;

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::nfa::contiguous;
use aho_corasick::{AhoCorasick, AhoCorasickKind, Anchored, MatchKind};

use super::plan::{RulePlan, Search};
use crate::text::{find_special, is_word_char};

/// The literals of all the rules, and for each the rules it serves.
#[derive(Clone)]
pub(super) struct Prefilter {
    finder: LiteralFinder,
    /// What each literal of `finder` (its id) means, for each rule it serves: literal `v`'s at
    /// `uses[first[v]..first[v + 1]]`. (One flat array: a lookup per literal found, millions per
    /// 100 MB, that should not chase a pointer.)
    uses: Vec<LiteralUse>,
    first: Vec<u32>,
}

/// What finding a literal means for one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct LiteralUse {
    /// The rule's index.
    pub rule: u32,
    pub role: Role,
}

/// What a literal is to a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    /// One of the literals of a rule searched on lines: the rule runs on this line.
    Line,
    /// One of the literals of an anchored rule: a place to try it. `priority`: the literal's index
    /// in the rule's head (0 for a rule without one).
    Start { priority: u32 },
    /// One of the gate literals of an anchored rule: the rule may run on this line.
    Gate,
}

impl std::fmt::Debug for Prefilter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Prefilter")
            .field("literals", &self.first.len().saturating_sub(1))
            .field("uses", &self.uses.len())
            .finish_non_exhaustive()
    }
}

impl Prefilter {
    /// The literals of `plans` (in rule order); `None` when no rule has any, or the automata
    /// cannot be built (too large).
    pub fn new(plans: &[RulePlan]) -> Option<Prefilter> {
        // Each distinct literal, with its uses.
        let mut literals: BTreeMap<&[u8], Vec<LiteralUse>> = BTreeMap::new();
        let mut add = |literal, rule: usize, role| {
            let uses: &mut Vec<LiteralUse> = literals.entry(literal).or_default();
            uses.push(LiteralUse {
                rule: rule as u32,
                role,
            });
        };
        // (a literal needs a word start when every rule it serves is anchored at a word boundary:
        // a match at a literal with a word char before it is never tried)
        let mut word_start_rule = vec![false; plans.len()];
        for (rule, plan) in plans.iter().enumerate() {
            match &plan.search {
                Search::EveryLine => {}
                Search::Lines { literals, .. } => {
                    literals
                        .iter()
                        .for_each(|l| add(l.as_slice(), rule, Role::Line));
                }
                Search::Anchored(anchored) => {
                    word_start_rule[rule] = anchored.word_start;
                    let has_head = anchored.head.is_some();
                    for (p, l) in anchored.literals.iter().enumerate() {
                        let priority = if has_head { p as u32 } else { 0 };
                        add(l.as_slice(), rule, Role::Start { priority });
                    }
                    anchored
                        .gate
                        .iter()
                        .for_each(|l| add(l.as_slice(), rule, Role::Gate));
                }
            }
        }
        if literals.is_empty() {
            return None;
        }
        let finder = LiteralFinder::new(literals.iter().enumerate().map(|(id, (l, uses))| {
            let word_start = uses
                .iter()
                .all(|u| matches!(u.role, Role::Start { .. }) && word_start_rule[u.rule as usize]);
            FinderLiteral {
                bytes: l,
                id: id as u32,
                word_start,
            }
        }))?;
        let mut first = vec![0];
        let mut all_uses = Vec::new();
        for uses in literals.into_values() {
            all_uses.extend(uses);
            first.push(all_uses.len() as u32);
        }
        Some(Prefilter {
            finder,
            uses: all_uses,
            first,
        })
    }

    /// Calls `found(use, start, length)` for every use of every literal found in `line` (see
    /// [`LiteralFinder::find`]).
    pub fn find(&self, line: &str, mut found: impl FnMut(LiteralUse, usize, usize)) {
        self.finder.find(line, |id, start, len| {
            let id = id as usize;
            let uses = &self.uses[self.first[id] as usize..self.first[id + 1] as usize];
            for &u in uses {
                found(u, start, len);
            }
        });
    }
}

/// A literal given to a [`LiteralFinder`].
pub(super) struct FinderLiteral<'a> {
    pub bytes: &'a [u8],
    /// What the finder reports it as.
    pub id: u32,
    /// It is reported only where no word char comes before it (if it begins with one).
    pub word_start: bool,
}

/// All occurrences of a set of literals in a line (see the module doc).
#[derive(Clone, Debug)]
pub(super) struct LiteralFinder {
    /// The literals searched everywhere.
    anywhere: Option<AhoCorasick>,
    /// Per literal searched everywhere (its pattern index): its id, and whether it needs a word
    /// start.
    anywhere_literals: Vec<AnywhereLiteral>,
    /// The literals looked up at word starts, and each one's id (by pattern index).
    at_word_starts: Option<contiguous::NFA>,
    word_start_ids: Vec<u32>,
}

#[derive(Clone, Copy, Debug)]
struct AnywhereLiteral {
    id: u32,
    word_start: bool,
}

impl LiteralFinder {
    /// A finder for `literals`; empty literals are ignored. `None` if the automata cannot be built
    /// (too large).
    pub fn new<'a>(literals: impl IntoIterator<Item = FinderLiteral<'a>>) -> Option<LiteralFinder> {
        // (a literal that is not UTF-8 cannot occur in a line, a `&str`: it is searched
        // everywhere, and never found)
        let mut anywhere = Vec::new();
        let mut anywhere_literals = Vec::new();
        let mut at_word_starts = Vec::new();
        let mut word_start_ids = Vec::new();
        for lit in literals {
            let Some(&first) = lit.bytes.first() else {
                continue;
            };
            let starts_word = std::str::from_utf8(lit.bytes)
                .ok()
                .and_then(|s| s.chars().next())
                .is_some_and(is_word_char);
            if lit.word_start && starts_word && is_candidate(first) {
                at_word_starts.push(lit.bytes);
                word_start_ids.push(lit.id);
            } else {
                anywhere.push(lit.bytes);
                anywhere_literals.push(AnywhereLiteral {
                    id: lit.id,
                    word_start: lit.word_start && starts_word,
                });
            }
        }
        let anywhere = if anywhere.is_empty() {
            None
        } else {
            // (a DFA for speed; if a huge set makes it too large, whatever the crate picks)
            let build = |kind| {
                AhoCorasick::builder()
                    .kind(kind)
                    .match_kind(MatchKind::Standard)
                    .build(&anywhere)
            };
            Some(
                build(Some(AhoCorasickKind::DFA))
                    .or_else(|_| build(None))
                    .ok()?,
            )
        };
        let at_word_starts = if at_word_starts.is_empty() {
            None
        } else {
            Some(
                contiguous::NFA::builder()
                    .match_kind(MatchKind::Standard)
                    .build(&at_word_starts)
                    .ok()?,
            )
        };
        Some(LiteralFinder {
            anywhere,
            anywhere_literals,
            at_word_starts,
            word_start_ids,
        })
    }

    /// Calls `found(id, start, length)` for every occurrence in `line`: first those of the
    /// literals searched everywhere (in the order they end), then those at word starts (in the
    /// order they start, the shorter first).
    pub fn find(&self, line: &str, mut found: impl FnMut(u32, usize, usize)) {
        if let Some(ac) = &self.anywhere {
            for m in ac.find_overlapping_iter(line) {
                let lit = self.anywhere_literals[m.pattern().as_usize()];
                if lit.word_start && after_word(line, m.start()) {
                    continue;
                }
                found(lit.id, m.start(), m.end() - m.start());
            }
        }
        let Some(nfa) = &self.at_word_starts else {
            return;
        };
        let Ok(start) = nfa.start_state(Anchored::Yes) else {
            return;
        };
        let bytes = line.as_bytes();
        let mut i = 0;
        loop {
            i = find_special(bytes, i, is_candidate);
            let Some(&b) = bytes.get(i) else { break };
            let at = i;
            i += 1;
            // (the automaton's states from its anchored start are the trie of the literals)
            let state = nfa.next_state(Anchored::Yes, start, b);
            if nfa.is_dead(state) || after_word(line, at) {
                continue;
            }
            self.walk(nfa, state, bytes, at, &mut found);
        }
    }

    /// Reports every literal of `nfa` that starts at byte `at` of `bytes`, from `state`, where its
    /// first byte leads.
    fn walk(
        &self,
        nfa: &contiguous::NFA,
        mut state: StateID,
        bytes: &[u8],
        at: usize,
        found: &mut impl FnMut(u32, usize, usize),
    ) {
        let mut len = 1;
        loop {
            if nfa.is_match(state) {
                // (a state also holds the matches of its suffixes, which start after `at`)
                for k in 0..nfa.match_len(state) {
                    let pattern = nfa.match_pattern(state, k);
                    if nfa.pattern_len(pattern) == len {
                        found(self.word_start_ids[pattern.as_usize()], at, len);
                    }
                }
            }
            let Some(&b) = bytes.get(at + len) else {
                return;
            };
            state = nfa.next_state(Anchored::Yes, state, b);
            if nfa.is_dead(state) {
                return;
            }
            len += 1;
        }
    }
}

/// Whether a word char comes before byte `at` of `line`.
fn after_word(line: &str, at: usize) -> bool {
    line[..at].chars().next_back().is_some_and(is_word_char)
}

/// A byte that may begin a literal looked up at word starts: an ASCII capital or the first byte of
/// a non-ASCII char.
fn is_candidate(b: u8) -> bool {
    (b.wrapping_sub(b'A') < 26) | (b >= 0xC0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every occurrence by brute force: each literal at each char boundary where it occurs, the
    /// word-start ones only where no word char (as a regex sees one) comes before.
    fn naive(lits: &[(&str, bool)], line: &str) -> Vec<(u32, usize, usize)> {
        let mut out = Vec::new();
        for (v, (lit, word_start)) in lits.iter().enumerate() {
            for (at, _) in line.match_indices(lit) {
                let starts_word = lit.chars().next().is_some_and(is_word_char);
                if *word_start && starts_word && after_word(line, at) {
                    continue;
                }
                out.push((v as u32, at, lit.len()));
            }
        }
        out.sort_unstable();
        out
    }

    #[test]
    fn literals_found_as_naive() {
        let lits: &[(&str, bool)] = &[
            ("Al", true),
            ("Alan", true),
            ("Alan Smith", true),
            ("Élodie", true),
            ("Ørsted", true),
            ("Zoë", true),
            ("the ", true),
            ("'s ", false),
            ("star", false),
            ("Corp", false),
            (" Inc", false),
            ("Ann", true),
            ("(19", true),
            ("Jean-Luc", true),
            ("Jean", true),
            ("Lucas", true),
            ("Luc", false),
        ];
        let finder = LiteralFinder::new(lits.iter().enumerate().map(|(v, (l, w))| FinderLiteral {
            bytes: l.as_bytes(),
            id: v as u32,
            word_start: *w,
        }))
        .unwrap();
        let lines = [
            "Alan Smith met Al and Alana, then xAlan and _Al; Élodie, ÉÉlodie and aÉlodie left",
            "the superstar's Corp Inc Ann-Marie (1999) Ørsted's Zoë and Jean-Luc with Jean Lucas",
            "Ann",
            "",
            "éAlan 3Ann ßAl Ñ Ç ½Alan ²Ann",
            "nothing at all here",
        ];
        for line in lines {
            let mut got = Vec::new();
            finder.find(line, |v, s, l| got.push((v, s, l)));
            got.sort_unstable();
            assert_eq!(got, naive(lits, line), "{line}");
        }
    }
}
