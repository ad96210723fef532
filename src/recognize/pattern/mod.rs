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
//!
//! # How the rules run
//! Each rule finds exactly what its regex finds on each line of the text ([`Rules::run_rule`], the
//! reference the tests compare with), less the lines in headline case ([`is_headline`]) unless it
//! says `headlines = true`. To do that fast, each rule compiles to a plan (`plan.rs`: where it is
//! tried and which regexes are searched there; a new per-rule search property goes there); the
//! literals that place the searches are chosen in `literals.rs` and found, all rules' at once, in
//! `prefilter.rs`; `search.rs` runs the plans over a chunk's lines. Reading the file is
//! `parse.rs`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use regex_automata::meta;
use regex_syntax::hir::{Hir, HirKind};

use super::{Candidate, Input, Rank, Recognizer};
use crate::error::{Error, Result};
use crate::model::Span;
use crate::recognize::data::DataDir;

mod headline;
mod literals;
mod parse;
mod plan;
mod prefilter;
mod search;
#[cfg(test)]
mod tests;
mod words;

pub use headline::{MAX_HEADLINE_LEN, is_headline};
pub use parse::Example;
use parse::ListBase;
use plan::RulePlan;
use prefilter::Prefilter;
use search::{Found, SearchState};
pub use words::WordSet;

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
    /// Mention texts the rule never yields (the words of its `reject` list; a capitalized first
    /// word is also compared in lower case, for lists of common words).
    pub reject: Arc<WordSet>,
    /// Words the rule's mention never contains (the words of its `reject_any` lists, compared as
    /// written and in lower case): a person rule's run of capitalized words does not take
    /// "Government" or "Hospital" in.
    pub reject_any: Arc<WordSet>,
    /// When not empty, the last word of its mention must be one of these (the words of its
    /// `last_in` lists): a list too long to spell out in the pattern, as surnames.
    pub last_in: Arc<WordSet>,
    /// Whether its mention may strictly contain a dictionary name ("Mission: Impossible 7",
    /// "Gulf of Mexico"); otherwise the dictionary name inside it stands.
    pub extends: bool,
    source: Arc<str>,
    origin: Arc<str>,
    /// Which part of a match is the mention.
    mention_span: MentionSpan,
    /// The compiled pattern (the `regex` crate's engine, used directly for anchored searches and
    /// reusable captures).
    regex: meta::Regex,
    /// How it is searched.
    plan: RulePlan,
}

/// Which part of a rule's match is the mention.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MentionSpan {
    /// The whole match (no `entity` group, or one that only zero-width assertions surround): a
    /// search needs no capture groups.
    WholeMatch,
    /// The capture group of this index (`entity`).
    Group(usize),
}

impl Rule {
    /// The mention of a match of the rule from `start` to `end` of `text` (its `entity` group, else
    /// all of it): no possessive or trailing apostrophe, no surrounding spaces, not a rejected
    /// word; its span plus `offset`.
    fn mention(&self, text: &str, start: usize, end: usize, offset: usize) -> Option<Span> {
        // A mention never runs over a sentence end ("Columbia University. He").
        let end = start + sentence_cut(&text[start..end]);
        // Trailing punctuation never ends a mention ("William Henry Gates III," is the name).
        let mut end = start + text[start..end].trim_end_matches(trailing).len();
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
        // A hyphenated first word is compared by its first part too ("Spanish-language").
        let head = first.split('-').next().unwrap_or(first);
        (end > start
            && !self.reject.contains(mention)
            && !self.reject.contains(first)
            && (head.len() == first.len() || !self.reject.contains(head))
            && !(first.chars().next().is_some_and(char::is_uppercase)
                && !self.reject.is_empty()
                && self.reject.contains_lowercase(first))
            && !(!self.reject_any.is_empty()
                && mention
                    .split(' ')
                    .any(|w| self.reject_any.contains(w) || self.reject_any.contains_lowercase(w)))
            && (self.last_in.is_empty()
                || mention
                    .rsplit(' ')
                    .next()
                    .is_some_and(|w| self.last_in.contains(w))))
        .then(|| Span::new(offset + start, offset + end))
    }
}

/// Abbreviations with a period inside names ("Warner Bros. Pictures", "J.P. Morgan Co. Ltd.").
const NAME_ABBREVIATIONS: &[&str] = &[
    "Bros", "Corp", "Inc", "Ltd", "Co", "St", "Mt", "Ft", "Jr", "Sr", "Dr", "Mr", "Mrs", "Ms",
    "Gen", "Sen", "Rep", "Gov", "Prof", "Rev", "No", "Vol", "Ave", "Blvd",
];

/// The length of `s` up to the first sentence end inside it: a period after a word of two letters
/// or more with a lowercase letter that is no abbreviation, then a space ("University. He"; not
/// "U.S. Steel", "Warner Bros. Pictures").
fn sentence_cut(s: &str) -> usize {
    let mut from = 0;
    while let Some(i) = s[from..].find(". ").map(|i| from + i) {
        let word = s[..i]
            .rsplit(|c: char| !c.is_alphanumeric())
            .next()
            .unwrap_or("");
        if word.chars().count() >= 2
            && word.chars().any(char::is_lowercase)
            && !NAME_ABBREVIATIONS.contains(&word)
        {
            return i;
        }
        from = i + 2;
    }
    s.len()
}

/// Chars a mention never ends with (a period may: "Jr.", "U.S.").
fn trailing(c: char) -> bool {
    matches!(c, ',' | ';' | ':' | '!' | '?' | ')' | '(' | '"' | ' ')
}

/// Where the mention of a rule compiled from `hir` as `regex` lies in its matches.
fn mention_span(hir: &Hir, regex: &meta::Regex) -> MentionSpan {
    match regex
        .group_info()
        .to_index(regex_automata::PatternID::ZERO, "entity")
    {
        Some(group) if !is_whole_group(hir, group) => MentionSpan::Group(group),
        _ => MentionSpan::WholeMatch,
    }
}

/// True when capture group `group` of `hir` always spans the whole match: `hir` is that group,
/// between zero-width assertions only.
fn is_whole_group(hir: &Hir, group: usize) -> bool {
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

/// A set of compiled rules.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    rules: Vec<Rule>,
    path: Option<PathBuf>,
    /// Finds the literals of all the rules; `None` when no rule has any.
    prefilter: Option<Prefilter>,
    /// The words of each `[lists]` entry.
    lists: BTreeMap<String, Arc<BTreeSet<String>>>,
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

    /// The words of the `[lists]` entry `name` (a `.tsv` list: every column).
    pub fn list(&self, name: &str) -> Option<&BTreeSet<String>> {
        self.lists.get(name).map(|words| &**words)
    }

    /// Loads and compiles a rules file. Every error names the file and the rule's line.
    pub fn from_file(path: &Path) -> Result<Rules> {
        let bytes = crate::read::read_limited(path, crate::read::MAX_RULES_FILE, "rules file")
            .map_err(|e| {
                if e.kind() == std::io::ErrorKind::NotFound {
                    Error::NotFound { path: path.into() }
                } else {
                    Error::io(path, e)
                }
            })?;
        let text = utf8(&bytes, path)?;
        let base = path.parent().unwrap_or(Path::new("."));
        Self::compile(text, path, ListBase::Dir(base))
    }

    /// Loads and compiles the rules file `file` of `data`; its lists are read from `data` too.
    ///
    /// ```
    /// use entgraph::recognize::{DataDir, DataFile, Rules};
    /// let data = DataDir::new("rules", [
    ///     DataFile { name: "r.toml", bytes: b"[lists]\nmag = \"mags.txt\"\n[[rule]]\nname = \"told\"\ntype = \"organization\"\npattern = 'told (?P<entity>{{mag}})'\n" },
    ///     DataFile { name: "mags.txt", bytes: b"Empire\nVariety\n" },
    /// ]);
    /// let rules = Rules::from_data(&data, "r.toml").unwrap();
    /// assert_eq!(rules.path(), Some(std::path::Path::new("rules/r.toml")));
    /// ```
    pub fn from_data(data: &DataDir, file: &str) -> Result<Rules> {
        let path = data.path_of(file);
        let bytes = data
            .get(file)
            .ok_or_else(|| Error::NotFound { path: path.clone() })?
            .bytes;
        let text = utf8(bytes, &path)?;
        Self::compile(text, &path, ListBase::Data(data))
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
        Self::compile(text, path, ListBase::Dir(base))
    }

    fn compile(text: &str, path: &Path, base: ListBase<'_>) -> Result<Rules> {
        let parse::ParsedFile {
            rules: parsed,
            lists,
        } = parse::parse_rules(text, path, base)?;
        // Each rule's plan (its literals, head and variants compiled), the rules in parallel.
        let mut plans = map_rules(&parsed, |p| RulePlan::new(&p.hir, &p.regex));
        let prefilter = Prefilter::new(&plans);
        if prefilter.is_none() {
            // (no rule has literals, or they are too many to find: every rule on every line)
            plans = map_rules(&parsed, |p| RulePlan::every_line(&p.hir, &p.regex));
        }
        let rules = parsed
            .into_iter()
            .zip(plans)
            .map(|(p, plan)| Rule {
                source: format!("pattern:{}", p.name).into(),
                origin: format!("{}:{}: rule '{}'", path.display(), p.line, p.name).into(),
                mention_span: mention_span(&p.hir, &p.regex),
                name: p.name,
                kind: p.kind,
                priority: p.priority,
                line: p.line,
                examples: p.examples,
                headlines: p.headlines,
                emit: p.emit,
                reject: p.reject,
                reject_any: p.reject_any,
                last_in: p.last_in,
                extends: p.extends,
                regex: p.regex,
                plan,
            })
            .collect();
        Ok(Rules {
            rules,
            path: Some(path.into()),
            prefilter,
            lists,
        })
    }

    /// Runs one rule over `text`, line by line (a mention never crosses a line break), and returns
    /// its mention spans: what its regex's own iterators find, the reference for the recognizer.
    pub fn run_rule(&self, rule: &Rule, text: &str) -> Vec<Span> {
        let mut out = Vec::new();
        let mut offset = 0;
        for line in text.split('\n') {
            let mut push = |start, end| out.extend(rule.mention(line, start, end, offset));
            match rule.mention_span {
                MentionSpan::WholeMatch => {
                    for m in rule.regex.find_iter(line) {
                        push(m.start(), m.end());
                    }
                }
                MentionSpan::Group(group) => {
                    for caps in rule.regex.captures_iter(line) {
                        if let Some(m) = caps.get_group(group) {
                            push(m.start, m.end);
                        }
                    }
                }
            }
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

/// `f` of each item, in order: in parallel on the rayon pool this runs on, if any (a pipeline
/// loading on `--threads 2` or more), else one after the other on this thread.
fn map_rules<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync + Send) -> Vec<R> {
    if rayon::current_thread_index().is_some() {
        items.par_iter().map(f).collect()
    } else {
        items.iter().map(f).collect()
    }
}

/// Adapts [`Rules`] to the [`Recognizer`] trait.
pub struct PatternRecognizer {
    rules: Arc<Rules>,
    /// Search states (with the regexes' caches) not in use: as many as threads ran it at once.
    states: std::sync::Mutex<Vec<SearchState>>,
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
        let pool = || self.states.lock().unwrap_or_else(|e| e.into_inner());
        let mut state = pool().pop().unwrap_or_default();
        let rules = &self.rules.rules;
        let mut found = Vec::new();
        state.run(
            rules,
            self.rules.prefilter.as_ref(),
            input.text,
            input.continues_line,
            &mut found,
        );
        for Found { rule, span } in found {
            let rule = &rules[rule as usize];
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
                extends: rule.extends || !rule.emit,
            });
        }
        pool().push(state);
    }
}

/// `bytes` as text, or an error naming the line of the first invalid byte.
fn utf8<'a>(bytes: &'a [u8], path: &Path) -> Result<&'a str> {
    std::str::from_utf8(bytes).map_err(|e| Error::Rules {
        path: path.into(),
        line: bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1,
        rule: None,
        message: "not valid UTF-8".into(),
    })
}
