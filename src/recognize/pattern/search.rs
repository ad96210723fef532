//! Running the rules' plans over the lines of a chunk. The steps, in [`SearchState::run`]:
//! 1. the chunk's non-empty lines ([`Lines`]);
//! 2. every rule's literals found in every line, each sorted out to the rules it serves
//!    ([`RuleHits`]: where an anchored rule starts, which lines a rule runs on, where a gate is
//!    open);
//! 3. each rule searched where its plan says ([`LineSearch`]), one rule after the other over all
//!    the lines: a rule's automata then stay in the cache from one line to the next, where 29
//!    rules searched in turn on each line pushed each other out (`extract --threads 1` with the
//!    shipped rules on the 100 MB benchmark corpus: 3.25 s against 3.40 s);
//! 4. the mentions put in the order of lines, then rules, then matches.

use regex_automata::util::{captures::Captures, iter::Searcher};
use regex_automata::{Anchored, Input as ReInput, meta};

use super::headline::is_headline;
use super::plan::{AnchoredPlan, Head, Search};
use super::prefilter::{Prefilter, Role};
use super::{MentionSpan, Rule};
use crate::model::Span;
use crate::text::is_word_char;

/// A mention found in a chunk: by which rule, where (in the chunk's text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Found {
    pub rule: u32,
    pub span: Span,
}

/// Buffers and regex caches reused from chunk to chunk.
#[derive(Default)]
pub(super) struct SearchState {
    spans: Vec<LineSpan>,
    facts: Vec<LineFacts>,
    /// Per rule (by index).
    rules: Vec<RuleState>,
    found: Vec<LineMatch>,
}

/// What a rule keeps from chunk to chunk: its hits' buffers, and its caches.
#[derive(Default)]
struct RuleState {
    hits: RuleHits,
    /// A regex's own pool of caches costs a lock on every search made off the thread that first
    /// used it: each search is given these.
    engines: Engines,
}

/// The caches of a rule's regexes (see [`super::plan::Variants`]).
#[derive(Default)]
struct Engines {
    regex: Option<Engine>,
    ascii: Option<Engine>,
    twin: Option<meta::Cache>,
}

/// A regex's cache and captures.
struct Engine {
    cache: meta::Cache,
    caps: Captures,
}

impl Engine {
    fn new(regex: &meta::Regex) -> Engine {
        Engine {
            cache: regex.create_cache(),
            caps: regex.create_captures(),
        }
    }
}

/// A mention found on a line.
#[derive(Debug, Clone, Copy)]
struct LineMatch {
    line: u32,
    rule: u32,
    span: Span,
}

impl SearchState {
    /// Appends to `out` the mentions `rules` find in `text`, a chunk (`continues_line`: see
    /// [`super::Input`]), in the order of lines, then rules, then matches. `prefilter` finds the
    /// rules' literals.
    pub fn run(
        &mut self,
        rules: &[Rule],
        prefilter: Option<&Prefilter>,
        text: &str,
        continues_line: bool,
        out: &mut Vec<Found>,
    ) {
        let lines = Lines::new(text, continues_line, std::mem::take(&mut self.spans));
        let mut facts = LineFacts::for_lines(std::mem::take(&mut self.facts), lines.len());
        if self.rules.len() < rules.len() {
            self.rules.resize_with(rules.len(), RuleState::default);
        }
        let states = &mut self.rules[..rules.len()];
        if let Some(prefilter) = prefilter {
            find_literals(prefilter, &lines, states);
        }
        self.found.clear();
        for (r, (rule, state)) in rules.iter().zip(states).enumerate() {
            let mut search = RuleSearch {
                rule,
                index: r as u32,
                lines: &lines,
                facts: &mut facts,
                engines: &mut state.engines,
                out: &mut self.found,
            };
            search.run(&state.hits);
        }
        push_in_order(&mut self.found, lines.continued.is_some(), out);
        self.spans = lines.spans;
        self.facts = facts;
    }
}

/// Finds the rules' literals in every line, each noted in the hits of the rules it serves.
fn find_literals(prefilter: &Prefilter, lines: &Lines<'_>, states: &mut [RuleState]) {
    states.iter_mut().for_each(|s| s.hits.clear());
    for l in 0..lines.len() {
        prefilter.find(lines.get(l).text, |literal, start, len| {
            let hits = &mut states[literal.rule as usize].hits;
            hits.add(l as u32, literal.role, start, len);
        });
    }
    for state in states {
        sort_by_line(&mut state.hits.starts);
    }
}

/// Appends `found` to `out` in the order of lines, then rules, then matches (each rule's were
/// found in order), in the chunk's offsets (`continued`: the first line was searched with a space
/// in front).
fn push_in_order(found: &mut [LineMatch], continued: bool, out: &mut Vec<Found>) {
    found.sort_by_key(|m| (m.line, m.rule));
    for m in found.iter() {
        let span = if m.line == 0 && continued {
            // (a mention that would start at the space is none)
            if m.span.start == 0 {
                continue;
            }
            Span::new(m.span.start - 1, m.span.end - 1)
        } else {
            m.span
        };
        out.push(Found { rule: m.rule, span });
    }
}

/// The non-empty lines of a chunk to run the rules on, and for a chunk that continues a line, its
/// first line with a space in front: the text before it ended a sentence and a space followed, so
/// the line is searched with that space in front (no `^` match there).
struct Lines<'t> {
    text: &'t str,
    continued: Option<String>,
    spans: Vec<LineSpan>,
}

/// Where a line lies in its chunk.
#[derive(Debug, Clone, Copy)]
struct LineSpan {
    start: usize,
    end: usize,
}

/// A line as the rules see it.
#[derive(Clone, Copy)]
struct Line<'t> {
    /// The text searched.
    text: &'t str,
    /// The offset of its first byte in the chunk (0 for a continued line: its spans are shifted
    /// back at the end).
    offset: usize,
    /// The text whose case decides whether it is a headline.
    case_text: &'t str,
}

impl<'t> Lines<'t> {
    /// The lines of `text`, their spans kept in `spans` (a buffer).
    fn new(text: &'t str, continues_line: bool, mut spans: Vec<LineSpan>) -> Lines<'t> {
        spans.clear();
        let mut start = 0;
        for line in text.split('\n') {
            if !line.is_empty() {
                spans.push(LineSpan {
                    start,
                    end: start + line.len(),
                });
            }
            start += line.len() + 1;
        }
        let first_line = text.split('\n').next().unwrap_or("");
        let continued =
            (continues_line && !first_line.is_empty()).then(|| format!(" {first_line}"));
        Lines {
            text,
            continued,
            spans,
        }
    }

    fn len(&self) -> usize {
        self.spans.len()
    }

    /// Line `l`.
    fn get(&self, l: usize) -> Line<'_> {
        let LineSpan { start, end } = self.spans[l];
        let line = &self.text[start..end];
        match &self.continued {
            Some(continued) if start == 0 => Line {
                text: continued,
                offset: 0,
                case_text: line,
            },
            _ => Line {
                text: line,
                offset: start,
                case_text: line,
            },
        }
    }
}

/// What is known of a line, found out once for all the rules that need it.
#[derive(Debug, Clone, Copy, Default)]
struct LineFacts {
    headline: Option<bool>,
    ascii: Option<bool>,
}

impl LineFacts {
    /// Nothing known of `n` lines, in `buffer`.
    fn for_lines(mut buffer: Vec<LineFacts>, n: usize) -> Vec<LineFacts> {
        buffer.clear();
        buffer.resize(n, LineFacts::default());
        buffer
    }

    fn is_headline(&mut self, line: Line<'_>) -> bool {
        *self
            .headline
            .get_or_insert_with(|| is_headline(line.case_text))
    }

    fn is_ascii(&mut self, line: Line<'_>) -> bool {
        *self.ascii.get_or_insert_with(|| line.text.is_ascii())
    }
}

/// What the literals found in a chunk say of one rule, in line order.
#[derive(Default)]
struct RuleHits {
    /// An anchored rule's places to try (each line's sorted, see [`sort_by_line`]).
    starts: Vec<Start>,
    /// The lines where a literal of a rule searched on lines occurs.
    literal_lines: Vec<LiteralLine>,
    /// The lines where a gate literal of an anchored rule occurs.
    gate_lines: Vec<u32>,
}

/// A place to try an anchored rule: where one of its literals starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Start {
    line: u32,
    /// The literal's start in the line.
    at: u32,
    /// Its index in the rule's head (0 without a head): the candidates at a place are tried in
    /// this order.
    priority: u32,
    len: u32,
}

/// A line that holds a literal of a rule searched on lines.
#[derive(Debug, Clone, Copy)]
struct LiteralLine {
    line: u32,
    /// Where the last of its literals on the line ends.
    end: u32,
}

impl RuleHits {
    fn clear(&mut self) {
        self.starts.clear();
        self.literal_lines.clear();
        self.gate_lines.clear();
    }

    /// Notes a literal found on line `line` (the lines come in order), at `start`, `len` bytes
    /// long, which is `role` to the rule.
    fn add(&mut self, line: u32, role: Role, start: usize, len: usize) {
        match role {
            Role::Start { priority } => self.starts.push(Start {
                line,
                at: start as u32,
                priority,
                len: len as u32,
            }),
            Role::Line => {
                let end = (start + len) as u32;
                match self.literal_lines.last_mut() {
                    Some(last) if last.line == line => last.end = last.end.max(end),
                    _ => self.literal_lines.push(LiteralLine { line, end }),
                }
            }
            Role::Gate => {
                if self.gate_lines.last() != Some(&line) {
                    self.gate_lines.push(line);
                }
            }
        }
    }
}

/// Sorts `starts`, which come in line order, and drops repeats, as `sort_unstable` and `dedup`
/// would: each line's run is sorted alone. (The starts of a chunk are many, one per first name,
/// country or film title found: a sort of them all cost about 0.1 s of CPU per 100 MB.)
fn sort_by_line(starts: &mut Vec<Start>) {
    for run in starts.chunk_by_mut(|a, b| a.line == b.line) {
        run.sort_unstable();
    }
    starts.dedup();
}

/// One rule's search of a chunk's lines.
struct RuleSearch<'a, 't> {
    rule: &'a Rule,
    index: u32,
    lines: &'a Lines<'t>,
    facts: &'a mut [LineFacts],
    engines: &'a mut Engines,
    out: &'a mut Vec<LineMatch>,
}

impl RuleSearch<'_, '_> {
    /// Searches the lines the rule's plan names.
    fn run(&mut self, hits: &RuleHits) {
        let rule = self.rule;
        match &rule.plan.search {
            Search::EveryLine => {
                for l in 0..self.lines.len() {
                    self.search_line(l, None);
                }
            }
            Search::Lines {
                up_to_last_literal, ..
            } => {
                for hit in &hits.literal_lines {
                    let end = up_to_last_literal.then_some(hit.end as usize);
                    self.search_line(hit.line as usize, end);
                }
            }
            Search::Anchored(plan) => {
                let mut gates = hits.gate_lines.iter().peekable();
                for starts in hits.starts.chunk_by(|a, b| a.line == b.line) {
                    let l = starts[0].line;
                    if !plan.gate.is_empty() {
                        while gates.next_if(|&&g| g < l).is_some() {}
                        if gates.peek() != Some(&&l) {
                            continue;
                        }
                    }
                    self.search_anchored(l as usize, plan, starts);
                }
            }
        }
    }

    /// Whether the rule skips line `l` for its headline case.
    fn skips(&mut self, l: usize) -> bool {
        !self.rule.headlines && self.facts[l].is_headline(self.lines.get(l))
    }

    /// Searches line `l` whole, or up to `end`.
    fn search_line(&mut self, l: usize, end: Option<usize>) {
        if self.skips(l) {
            return;
        }
        let line = self.lines.get(l);
        let end = end.unwrap_or(line.text.len());
        let ascii = self.facts[l].is_ascii(line);
        LineSearch::new(
            self.rule,
            self.index,
            l,
            line,
            ascii,
            self.engines,
            self.out,
        )
        .unanchored(end);
    }

    /// Tries an anchored rule at `starts` on line `l`, left to right, skipping those inside the
    /// previous match.
    fn search_anchored(&mut self, l: usize, plan: &AnchoredPlan, starts: &[Start]) {
        let RuleSearch {
            rule,
            index,
            lines,
            facts,
            engines,
            out,
        } = self;
        let line = lines.get(l);
        let ascii = facts[l].is_ascii(line);
        let mut search = LineSearch::new(rule, *index, l, line, ascii, engines, out);
        // (whether the line is a headline is found out only if a start is tried)
        let mut skips = None;
        let mut last_end = 0;
        for same_place in starts.chunk_by(|a, b| a.at == b.at) {
            let at = same_place[0].at as usize;
            if at < last_end
                || (plan.word_start && starts_inside_word(line.text, at))
                || *skips.get_or_insert_with(|| !rule.headlines && facts[l].is_headline(line))
            {
                continue;
            }
            let end = match &plan.head {
                None => search.match_at(at, at, true),
                // The candidates at `at`, each of its literals found there, in the alternation's
                // order: the first whose tail matches.
                Some(head) if head.holds_at(line.text, at) => same_place
                    .iter()
                    .find_map(|s| search.match_at(at, at + s.len as usize, true)),
                Some(_) => None,
            };
            if let Some(end) = end {
                last_end = end;
            }
        }
    }
}

/// True when byte `at` of `line` begins a word char right after another.
fn starts_inside_word(line: &str, at: usize) -> bool {
    line[at..].chars().next().is_some_and(is_word_char)
        && line[..at].chars().next_back().is_some_and(is_word_char)
}

/// A relaxed twin and its cache.
struct Twin<'a> {
    regex: &'a meta::Regex,
    cache: &'a mut meta::Cache,
}

/// A rule's search of one line, with the regex chosen for it.
struct LineSearch<'a> {
    rule: &'a Rule,
    head: Option<&'a Head>,
    rule_index: u32,
    line_index: u32,
    line: Line<'a>,
    regex: &'a meta::Regex,
    engine: &'a mut Engine,
    twin: Option<Twin<'a>>,
    out: &'a mut Vec<LineMatch>,
}

impl<'a> LineSearch<'a> {
    /// The search of `line` (line `l`) by `rule` (rule `index`), with the regexes for it: on an
    /// ASCII line the ASCII variant, which needs no twin; else the regex, after its twin.
    fn new(
        rule: &'a Rule,
        index: u32,
        l: usize,
        line: Line<'a>,
        ascii: bool,
        engines: &'a mut Engines,
        out: &'a mut Vec<LineMatch>,
    ) -> LineSearch<'a> {
        let variants = &rule.plan.regexes;
        let Engines {
            regex: regex_engine,
            ascii: ascii_engine,
            twin: twin_cache,
        } = engines;
        let (regex, engine, twin) = match (ascii, &variants.ascii) {
            (true, Some(regex)) => (regex, ascii_engine, None),
            (true, None) => (&variants.regex, regex_engine, None),
            (false, _) => (&variants.regex, regex_engine, variants.relaxed.as_ref()),
        };
        LineSearch {
            rule,
            head: rule.plan.head(),
            rule_index: index,
            line_index: l as u32,
            line,
            regex,
            engine: engine.get_or_insert_with(|| Engine::new(regex)),
            twin: twin.map(|regex| Twin {
                regex,
                cache: twin_cache.get_or_insert_with(|| regex.create_cache()),
            }),
            out,
        }
    }

    /// Pushes the mention of a match from `start` to `end`, if it makes one.
    fn push(&mut self, start: usize, end: usize) {
        if let Some(span) = self
            .rule
            .mention(self.line.text, start, end, self.line.offset)
        {
            self.out.push(LineMatch {
                line: self.line_index,
                rule: self.rule_index,
                span,
            });
        }
    }

    /// The end of the rule's match anchored at `at`, if any, its mention pushed; for a rule with a
    /// head found at `at`, the match of its tail anchored at `from`, where the head ends. With
    /// `check_twin`, the twin is tried first: where it does not match, neither does the rule, and
    /// its lazy DFA says so without giving up on a non-ASCII byte (the rule's own would, for a slow
    /// engine over the rest of the line).
    fn match_at(&mut self, at: usize, from: usize, check_twin: bool) -> Option<usize> {
        let input = ReInput::new(self.line.text)
            .range(from..)
            .anchored(Anchored::Yes);
        if let Some(twin) = self.twin.as_mut().filter(|_| check_twin) {
            twin.regex.search_half_with(twin.cache, &input)?;
        }
        match self.rule.mention_span {
            MentionSpan::WholeMatch => {
                // The lazy DFA alone finds the match; the capture engines are much slower.
                let m = self.regex.search_with(&mut self.engine.cache, &input)?;
                self.push(at, m.end());
                Some(m.end())
            }
            MentionSpan::Group(group) => {
                let Engine { cache, caps } = &mut *self.engine;
                self.regex.search_captures_with(cache, &input, caps);
                let end = caps.get_match()?.end();
                if let Some(m) = caps.get_group(group) {
                    // (a group that holds the head starts where the head does)
                    let holds_head = self
                        .head
                        .is_some_and(|h| h.groups.contains(&(group as u32)));
                    self.push(if holds_head { at } else { m.start }, m.end);
                }
                Some(end)
            }
        }
    }

    /// Searches the line up to `end` (no match ends after it; look-around still sees the text
    /// after). With a twin, the rule is tried anchored where the twin's leftmost match starts: the
    /// rule's leftmost match from there starts at or after it. Then from the end of the rule's
    /// match, or the char after the twin's start.
    fn unanchored(mut self, end: usize) {
        let Some(twin) = self.twin.take() else {
            return self.plain(end);
        };
        let text = self.line.text;
        let mut at = 0;
        while at <= end {
            let Some(m) = twin
                .regex
                .search_with(twin.cache, &ReInput::new(text).range(at..end))
            else {
                break;
            };
            at = match self.match_at(m.start(), m.start(), false) {
                Some(end) => end,
                None => m.start() + text[m.start()..].chars().next().map_or(1, char::len_utf8),
            };
        }
    }

    /// The rule's leftmost-first matches up to `end`, empty ones handled as the regex's own
    /// iterators do.
    fn plain(mut self, end: usize) {
        let mut it = Searcher::new(ReInput::new(self.line.text).range(..end));
        let MentionSpan::Group(group) = self.rule.mention_span else {
            while let Some(m) =
                it.advance(|input| Ok(self.regex.search_with(&mut self.engine.cache, input)))
            {
                self.push(m.start(), m.end());
            }
            return;
        };
        loop {
            let Engine { cache, caps } = &mut *self.engine;
            let found = it.advance(|input| {
                self.regex.search_captures_with(cache, input, caps);
                Ok(caps.get_match())
            });
            if found.is_none() {
                return;
            }
            if let Some(m) = self.engine.caps.get_group(group) {
                self.push(m.start, m.end);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Starts in line order, as a chunk's literals make them (with repeats), sorted line by line:
    /// as a sort of them all.
    #[test]
    fn pattern_sort_by_line_as_sort_unstable() {
        let mut seed = 5u64;
        let mut next = |m: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((seed >> 33) % m) as u32
        };
        for round in 0..500 {
            let len = next(if round % 10 == 0 { 2000 } else { 40 });
            let mut line = 0;
            let starts: Vec<Start> = (0..len)
                .map(|_| {
                    line += next(3) / 2;
                    Start {
                        line,
                        at: next(50),
                        priority: next(3),
                        len: 1 + next(2),
                    }
                })
                .collect();
            let mut want = starts.clone();
            want.sort_unstable();
            want.dedup();
            let mut got = starts;
            sort_by_line(&mut got);
            assert_eq!(got, want, "round {round}");
        }
    }
}
