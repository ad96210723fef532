//! The recognizer against the reference: every rule run on every line with its regex's own
//! iterators ([`Rules::run_rule`]), on the repository's texts and on generated lines that exercise
//! each way a rule is searched (see `plan.rs`).

use std::path::Path;
use std::sync::Arc;

use super::plan::Search;
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

/// How each rule is tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    EveryLine,
    Lines,
    Anchored,
}

fn modes(rules: &Rules) -> Vec<Mode> {
    let mode = |r: &Rule| match &r.plan.search {
        Search::EveryLine => Mode::EveryLine,
        Search::Lines { .. } => Mode::Lines,
        Search::Anchored(_) => Mode::Anchored,
    };
    rules.rules().iter().map(mode).collect()
}

/// Whether each rule has a relaxed twin.
fn twins(rules: &Rules) -> Vec<bool> {
    let twin = |r: &Rule| r.plan.regexes.relaxed.is_some();
    rules.rules().iter().map(twin).collect()
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
    let modes = modes(&rules);
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
    assert_eq!(modes(&rules), [Mode::Lines, Mode::Lines]);
    assert_eq!(twins(&rules), [true, true]);
    // "corp" is searched up to its last literal on a line, whose `\b` still sees what follows
    // ("Corpse": no match ends there).
    let bounded: Vec<bool> = rules
        .rules()
        .iter()
        .map(|r| {
            matches!(
                r.plan.search,
                Search::Lines {
                    up_to_last_literal: true,
                    ..
                }
            )
        })
        .collect();
    assert_eq!(bounded, [true, false]);
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
    assert_eq!(modes(&rules), [Mode::Anchored, Mode::Anchored, Mode::Lines]);
    let gated: Vec<bool> = rules
        .rules()
        .iter()
        .map(|r| matches!(&r.plan.search, Search::Anchored(a) if !a.gate.is_empty()))
        .collect();
    assert_eq!(gated, [true, true, false]);
    assert!(rules.rules().iter().all(|r| r.plan.regexes.ascii.is_some()));
    assert_eq!(twins(&rules), [true, true, true]);
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
pattern = '[A-EXY]\w*(?P<entity>\d+)?'
"#;
    let rules = Arc::new(load(toml).unwrap());
    assert_eq!(
        modes(&rules),
        [Mode::EveryLine, Mode::Lines, Mode::Anchored]
    );
    assert_eq!(twins(&rules), [false, false, false]);
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
    assert_eq!(modes(&rules), [Mode::Anchored; 4]);
    let heads: Vec<_> = rules
        .rules()
        .iter()
        .map(|r| match &r.plan.search {
            Search::Anchored(a) => a
                .head
                .as_ref()
                .map(|h| (a.literals.len(), h.groups.clone())),
            _ => None,
        })
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
    PatternRecognizer::new(Arc::new(r)).recognize(Input::new("the Paris Olympics", &[]), &mut out);
    assert!(out[0].guard);
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
        let got = rules.rules()[0].mention_span == MentionSpan::WholeMatch;
        assert_eq!(got, whole, "{pattern}");
    }
    // The recognizer (anchored at "Ann", no captures) finds what a plain search finds.
    let rules = load(concat!(
        "[[rule]]\nname = \"r\"\ntype = \"t\"\n",
        r"pattern = '\b(?P<entity>Ann [A-Z]\w+)'",
        "\n"
    ))
    .unwrap();
    assert_eq!(rules.rules()[0].mention_span, MentionSpan::WholeMatch);
    let text = "Ann Lee met the dog of Ann Smith's aunt at home; then xAnn Bo and Ann Ann Lu left.";
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
