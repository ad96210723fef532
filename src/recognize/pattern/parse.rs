//! Reading a rules file (the format is in the [module docs](super)): the TOML into rule specs,
//! `[lists]` into their words, `{{list}}` expanded, each pattern parsed and compiled. Every error
//! names the file, the rule's line and the rule.

use std::collections::{BTreeMap, BTreeSet};

use super::words::WordSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use regex_automata::meta;
use regex_automata::nfa::thompson::WhichCaptures;
use regex_syntax::hir::Hir;
use serde::Deserialize;

use super::map_rules;
use super::plan::compile;
use crate::error::{Error, Result};
use crate::recognize::data::DataDir;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    #[serde(default)]
    lists: BTreeMap<String, String>,
    #[serde(default)]
    rule: Vec<toml::Spanned<RuleSpec>>,
}

/// One `[[rule]]` table as written.
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
    reject_any: Vec<String>,
    #[serde(default)]
    last_in: Vec<String>,
    #[serde(default)]
    extends: bool,
    #[serde(default)]
    examples: Vec<Example>,
}

fn yes() -> bool {
    true
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

/// A rule as read from its file, with its pattern parsed and compiled.
pub(super) struct ParsedRule {
    pub name: String,
    pub kind: Arc<str>,
    pub priority: i32,
    /// 1-based line of the rule in its file.
    pub line: usize,
    pub examples: Vec<Example>,
    pub headlines: bool,
    pub emit: bool,
    /// The words of its `reject` lists.
    pub reject: Arc<WordSet>,
    /// The words of its `reject_any` lists.
    pub reject_any: Arc<WordSet>,
    /// The words of its `last_in` lists.
    pub last_in: Arc<WordSet>,
    /// Whether its mention may strictly contain a dictionary name.
    pub extends: bool,
    /// The pattern, lists expanded, parsed with the `regex` crate's defaults.
    pub hir: Hir,
    /// The same, compiled.
    pub regex: meta::Regex,
}

/// The `[lists]` of a rules file.
#[derive(Default)]
struct Lists {
    /// Per list: the alternation `{{list}}` expands to.
    alternations: BTreeMap<String, String>,
    /// Per list: its words (for `reject`).
    words: BTreeMap<String, Arc<BTreeSet<String>>>,
}

/// The rules of a file and the words of its `[lists]`.
pub(super) struct ParsedFile {
    pub rules: Vec<ParsedRule>,
    /// Per list: its words.
    pub lists: BTreeMap<String, Arc<BTreeSet<String>>>,
}

/// Where the list files of a rules file are read from.
#[derive(Debug, Clone, Copy)]
pub(super) enum ListBase<'a> {
    /// A directory (the rules file's own).
    Dir(&'a Path),
    /// Files held in memory.
    Data(&'a DataDir),
}

impl ListBase<'_> {
    /// The path list file `name` stands for, and its bytes (or why they cannot be read).
    fn read(&self, name: &str) -> (PathBuf, std::result::Result<Vec<u8>, String>) {
        match self {
            ListBase::Dir(base) => {
                let lp = base.join(name);
                let bytes =
                    crate::read::read_limited(&lp, crate::read::MAX_WORD_LIST_FILE, "word list")
                        .map_err(|e| e.to_string());
                (lp, bytes)
            }
            ListBase::Data(data) => {
                let bytes = data
                    .get(name)
                    .map(|f| f.bytes.to_vec())
                    .ok_or_else(|| "no such file among the embedded ones".to_string());
                (data.path_of(name), bytes)
            }
        }
    }
}

/// Parses and compiles the rules of `text`, in file order; `path` names it in errors, `base`
/// holds list files.
pub(super) fn parse_rules(text: &str, path: &Path, base: ListBase<'_>) -> Result<ParsedFile> {
    let file: RulesFile = toml::from_str(text).map_err(|e| Error::Rules {
        path: path.into(),
        line: e.span().map_or(0, |s| line_of(text, s.start)),
        rule: None,
        message: e.message().trim().replace('\n', " "),
    })?;
    let lists = read_lists(&file.lists, path, base)?;
    // Each rule's pattern parsed and compiled, the rules in parallel (checked and reported in
    // order below; a rule without a pattern, or whose lists do not expand, is left to that).
    let mut compiled: Vec<Option<std::result::Result<Pattern, String>>> =
        map_rules(&file.rule, |spanned| {
            let pattern = spanned.get_ref().pattern.as_deref()?;
            let expanded = expand_lists(pattern, &lists.alternations).ok()?;
            Some(parse_pattern(&expanded))
        });
    let mut rules = Vec::new();
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
        let expanded =
            expand_lists(pattern, &lists.alternations).map_err(|m| err(Some(name), m))?;
        let invalid = |message: String| {
            err(
                Some(name),
                format!("invalid pattern: {}", one_line(&message)),
            )
        };
        let Pattern { hir, regex } = compiled
            .take()
            .unwrap_or_else(|| parse_pattern(&expanded))
            .map_err(invalid)?;
        let words_of = |key: &str, names: &[String]| -> Result<WordSet> {
            let mut all = WordSet::default();
            for list in names {
                let words = lists.words.get(list).ok_or_else(|| {
                    err(
                        Some(name),
                        format!("unknown list '{list}' in '{key}' (declare it under [lists])"),
                    )
                })?;
                all.extend(words.iter().map(String::as_str));
            }
            Ok(all)
        };
        let reject = words_of("reject", &spec.reject)?;
        let reject_any = words_of("reject_any", &spec.reject_any)?;
        let last_in = words_of("last_in", &spec.last_in)?;
        rules.push(ParsedRule {
            name: name.to_string(),
            kind: kind.trim().into(),
            priority: spec.priority,
            line,
            examples: spec.examples.clone(),
            headlines: spec.headlines,
            emit: spec.emit,
            reject: Arc::new(reject),
            reject_any: Arc::new(reject_any),
            last_in: Arc::new(last_in),
            extends: spec.extends,
            hir,
            regex,
        });
    }
    Ok(ParsedFile {
        rules,
        lists: lists.words,
    })
}

/// Reads the list files: a `.tsv` list contributes every column (names and aliases), a text list
/// one word per line.
fn read_lists(files: &BTreeMap<String, String>, path: &Path, base: ListBase<'_>) -> Result<Lists> {
    let mut lists = Lists::default();
    for (name, file_name) in files {
        let (lp, bytes) = base.read(file_name);
        let list_err = |message: String| Error::Rules {
            path: path.into(),
            line: 0,
            rule: None,
            message: format!("list '{name}': {message}"),
        };
        let bytes = bytes.map_err(|e| list_err(format!("{}: {e}", lp.display())))?;
        let content = String::from_utf8(bytes).map_err(|e| {
            let bytes = e.as_bytes();
            let at = e.utf8_error().valid_up_to();
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            list_err(format!("{}:{line}: not valid UTF-8", lp.display()))
        })?;
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
        let alt = words
            .iter()
            .map(|w| regex_syntax::escape(w))
            .collect::<Vec<_>>()
            .join("|");
        lists
            .alternations
            .insert(name.clone(), format!("(?:{alt})"));
        lists.words.insert(
            name.clone(),
            Arc::new(words.iter().map(|w| w.to_string()).collect()),
        );
    }
    Ok(lists)
}

/// A pattern parsed and compiled.
struct Pattern {
    hir: Hir,
    regex: meta::Regex,
}

/// Parses a pattern once, with the `regex` crate's defaults (the literals are those of this
/// regex), and compiles it.
fn parse_pattern(expanded: &str) -> std::result::Result<Pattern, String> {
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(expanded)
        .map_err(|e| e.to_string())?;
    let regex = compile(&hir, WhichCaptures::All).map_err(|e| build_error(&e))?;
    Ok(Pattern { hir, regex })
}

/// `pattern` with each `{{list}}` replaced by its alternation.
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

/// The 1-based line of byte `byte` of `text`.
pub(super) fn line_of(text: &str, byte: usize) -> usize {
    text[..byte.min(text.len())]
        .bytes()
        .filter(|&b| b == b'\n')
        .count()
        + 1
}
