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

use aho_corasick::{AhoCorasick, MatchKind};
use regex::{Regex, RegexBuilder};
use regex_syntax::hir::Hir;
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use serde::Deserialize;

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
    /// The compiled pattern.
    pub regex: Regex,
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
}

/// A set of compiled rules.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    rules: Vec<Rule>,
    path: Option<PathBuf>,
    prefilter: Prefilter,
}

/// Which rules can match a line: every rule whose regex has a finite set of required prefix (or
/// suffix) literals runs only on lines that contain one of them, found by one Aho-Corasick scan of
/// the line; the other rules run on every line. A filter only: the rules' matches are unchanged.
#[derive(Debug, Clone, Default)]
struct Prefilter {
    /// All required literals of all filtered rules.
    ac: Option<AhoCorasick>,
    /// For each literal of `ac`, the rule it belongs to.
    rule_of: Vec<u32>,
    /// Per rule: true when it has a literal filter.
    filtered: Vec<bool>,
}

impl Prefilter {
    fn new(rules: &[Rule], hirs: &[Hir]) -> Prefilter {
        let mut lits: Vec<Vec<u8>> = Vec::new();
        let mut rule_of = Vec::new();
        let mut filtered = vec![false; rules.len()];
        for (i, hir) in hirs.iter().enumerate() {
            if let Some(seq) = required_literals(hir) {
                filtered[i] = true;
                for l in seq {
                    lits.push(l);
                    rule_of.push(i as u32);
                }
            }
        }
        let ac = if lits.is_empty() {
            None
        } else {
            AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .build(&lits)
                .ok()
        };
        if ac.is_none() {
            filtered.iter_mut().for_each(|f| *f = false);
        }
        Prefilter {
            ac,
            rule_of,
            filtered,
        }
    }

    /// Marks in `run` the rules that may match `line`.
    fn select(&self, line: &str, run: &mut [bool]) {
        for (r, f) in run.iter_mut().zip(&self.filtered) {
            *r = !*f;
        }
        if let Some(ac) = &self.ac {
            for m in ac.find_overlapping_iter(line) {
                run[self.rule_of[m.pattern().as_usize()] as usize] = true;
            }
        }
    }
}

/// A finite set of literals one of which starts (or else ends) every match of `hir`, or `None`.
fn required_literals(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    for kind in [ExtractKind::Prefix, ExtractKind::Suffix] {
        let mut ex = Extractor::new();
        ex.kind(kind)
            .limit_total(50_000)
            .limit_class(64)
            .limit_literal_len(64);
        let seq = ex.extract(hir);
        if let Some(lits) = seq.literals() {
            if !lits.is_empty() && lits.iter().all(|l| !l.as_bytes().is_empty()) {
                return Some(lits.iter().map(|l| l.as_bytes().to_vec()).collect());
            }
        }
    }
    None
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
            let content = std::fs::read_to_string(&lp).map_err(|e| Error::Rules {
                path: path.into(),
                line: 0,
                rule: None,
                message: format!("list '{name}': {}: {e}", lp.display()),
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
        let mut rules = Vec::new();
        let mut hirs = Vec::new();
        let mut seen = BTreeMap::new();
        for spanned in &file.rule {
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
            let regex = RegexBuilder::new(&expanded)
                .size_limit(64 << 20)
                .build()
                .map_err(|e| {
                    err(
                        Some(name),
                        format!("invalid pattern: {}", one_line(&e.to_string())),
                    )
                })?;
            let group = regex.capture_names().position(|n| n == Some("entity"));
            // The same syntax and defaults as `regex`, so the literals are those of this regex.
            hirs.push(
                regex_syntax::ParserBuilder::new()
                    .build()
                    .parse(&expanded)
                    .unwrap_or_else(|_| Hir::dot(regex_syntax::hir::Dot::AnyByte)),
            );
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
                regex,
                examples: spec.examples.clone(),
                headlines: spec.headlines,
                emit: spec.emit,
                reject,
                source: format!("pattern:{name}").into(),
                origin: format!("{}:{}: rule '{}'", path.display(), line, name).into(),
                group,
            });
        }
        let prefilter = Prefilter::new(&rules, &hirs);
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
            self.run_rule_line(rule, line, offset, &mut out);
            offset += line.len() + 1;
        }
        out
    }

    fn run_rule_line(&self, rule: &Rule, text: &str, offset: usize, out: &mut Vec<Span>) {
        for caps in rule.regex.captures_iter(text) {
            let m = match rule.group {
                Some(g) => caps.get(g),
                None => caps.get(0),
            };
            let Some(m) = m else { continue };
            let mut end = m.end();
            let s = &text[m.start()..end];
            if s.ends_with("'s") && s.len() > 2 {
                end -= 2;
            } else if s.ends_with('\'') && s.len() > 1 {
                end -= 1;
            }
            let trimmed = text[m.start()..end].trim_end();
            let end = m.start() + trimmed.len();
            let start = m.start() + (trimmed.len() - trimmed.trim_start().len());
            let mention = &text[start..end];
            let first = mention.split(' ').next().unwrap_or(mention);
            if end > start && !rule.reject.contains(mention) && !rule.reject.contains(first) {
                out.push(Span::new(offset + start, offset + end));
            }
        }
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
    let words: Vec<&str> = line
        .split(|c: char| c.is_whitespace())
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.chars().any(char::is_alphabetic) && !HEADLINE_SMALL.contains(w))
        .collect();
    if words.len() < 4 {
        return false;
    }
    let caps = words
        .iter()
        .filter(|w| {
            w.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_numeric())
        })
        .count();
    caps * 10 >= words.len() * 7
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
#[derive(Debug, Clone)]
pub struct PatternRecognizer {
    rules: Arc<Rules>,
}

impl PatternRecognizer {
    /// Wraps compiled rules.
    pub fn new(rules: Arc<Rules>) -> Self {
        PatternRecognizer { rules }
    }
}

impl Recognizer for PatternRecognizer {
    fn name(&self) -> &str {
        "pattern"
    }

    fn recognize(&self, input: Input<'_>, out: &mut Vec<Candidate>) {
        let rules = &self.rules.rules;
        let mut run = vec![false; rules.len()];
        let mut spans = Vec::new();
        let mut offset = 0;
        for (i, line) in input.text.split('\n').enumerate() {
            let at = offset;
            offset += line.len() + 1;
            if line.is_empty() {
                continue;
            }
            self.rules.prefilter.select(line, &mut run);
            if !run.iter().any(|&r| r) {
                continue;
            }
            let headline = is_headline(line);
            // A chunk that continues a line: the text before it ended a sentence and a space
            // followed, so the line is searched with that space in front (no `^` match here).
            let continued = (i == 0 && input.continues_line).then(|| format!(" {line}"));
            for (rule, _) in rules.iter().zip(&run).filter(|(_, r)| **r) {
                if headline && !rule.headlines {
                    continue;
                }
                spans.clear();
                match &continued {
                    Some(hay) => {
                        self.rules.run_rule_line(rule, hay, 0, &mut spans);
                        spans.retain(|s| s.start > 0);
                        for s in spans.iter_mut() {
                            *s = Span::new(s.start - 1 + at, s.end - 1 + at);
                        }
                    }
                    None => self.rules.run_rule_line(rule, line, at, &mut spans),
                }
                for &span in &spans {
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
            }
        }
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
        ];
        for (line, expected) in cases {
            assert_eq!(is_headline(line), expected, "{line}");
        }
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
}
