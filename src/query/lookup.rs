//! Name lookup: a name as a user types it → one node of the graph, or an error listing the
//! candidates ("did you mean …").
//!
//! The names of a node are its id, its label (canonical name) and its aliases (the other surface
//! forms it was mentioned by). Tiers are tried in order; the first tier that matches anything
//! decides — one node is the answer, several are an ambiguity:
//!
//! 1. **exact**: the id, a label or an alias, as given (surrounding spaces trimmed);
//! 2. **case-insensitive**: the same after Unicode lowercasing of both sides;
//! 3. **prefix**: the name's words (runs of letters and digits, lowercased) are prefixes of
//!    consecutive words of a label or alias starting at its first word ("chris mcq" →
//!    "Christopher McQuarrie"); if none, starting at any word ("biles" → "Simone Biles");
//! 4. **close match**: the smallest Levenshtein distance (in characters, lowercased) to a label or
//!    alias, if within a threshold that grows with the length of the name: 1 up to 7 characters,
//!    2 up to 11, then 3 (names shorter than 3 characters get no close match).
//!
//! An unknown name carries up to [`MAX_SUGGESTIONS`] suggestions: the nodes one of whose names (or,
//! for a one-word name, one of whose words) differs from it in at most half of the characters of
//! the longer of the two, sorted by that fraction, then label, then id.

use std::collections::BTreeMap;

use petgraph::graph::NodeIndex;

use crate::graph::Graph;

/// At most this many suggestions come with an unknown name.
pub const MAX_SUGGESTIONS: usize = 5;

/// How a name matched its node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum MatchKind {
    /// The node's id.
    Id,
    /// A label or alias, exactly.
    Exact,
    /// A label or alias, ignoring case.
    CaseInsensitive,
    /// A unique word prefix of a label or alias.
    Prefix,
    /// The closest label or alias by edit distance.
    Close,
}

/// A node found by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NodeRef {
    /// The node.
    pub index: NodeIndex,
    /// How the name matched.
    pub matched: MatchKind,
}

/// A node offered in an error message.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Candidate {
    /// The node's id.
    pub id: String,
    /// The node's label.
    pub label: String,
}

/// A name that names no node, or several.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    /// Nothing matched; `candidates` are the closest names, nearest first (maybe none).
    #[error("no entity named \"{name}\"{}", suggest(candidates))]
    Unknown {
        /// The name as given.
        name: String,
        /// The closest nodes, nearest first.
        candidates: Vec<Candidate>,
    },
    /// Several nodes matched at the same tier; `candidates` are all of them, sorted by label, then id.
    #[error("\"{name}\" names {} entities{}", candidates.len(), suggest(candidates))]
    Ambiguous {
        /// The name as given.
        name: String,
        /// Every node that matched.
        candidates: Vec<Candidate>,
    },
}

impl NameError {
    /// The candidates it carries.
    pub fn candidates(&self) -> &[Candidate] {
        match self {
            NameError::Unknown { candidates, .. } | NameError::Ambiguous { candidates, .. } => {
                candidates
            }
        }
    }
}

/// `; did you mean: A, B, C?` — labels, with the id added where two candidates share a label; at
/// most 8 are shown.
fn suggest(candidates: &[Candidate]) -> String {
    const SHOWN: usize = 8;
    if candidates.is_empty() {
        return String::new();
    }
    let mut count: BTreeMap<&str, usize> = BTreeMap::new();
    for c in candidates {
        *count.entry(&c.label).or_default() += 1;
    }
    let mut names: Vec<String> = candidates
        .iter()
        .take(SHOWN)
        .map(|c| {
            if count[c.label.as_str()] > 1 {
                format!("{} ({})", c.label, c.id)
            } else {
                c.label.clone()
            }
        })
        .collect();
    if candidates.len() > SHOWN {
        names.push(format!("… ({} more)", candidates.len() - SHOWN));
    }
    format!("; did you mean: {}?", names.join(", "))
}

/// Finds the node a user means by `name`; see the [module docs](self) for the tiers.
///
/// # Arguments
/// * `graph`: the graph.
/// * `name`: an id, label or alias, or a prefix or near spelling of one.
///
/// # Returns
/// The node and how it matched, or a [`NameError`] with the candidates.
///
/// # Complexity
/// O(L) where L is the total length of all labels and aliases (O(|V|) names); the close-match tier
/// adds O(L·m) for a name of m characters.
///
/// ```
/// use entgraph::graph::{Graph, GraphInfo, Node};
/// use entgraph::query::{MatchKind, NameError, resolve_name};
/// let n = |id: &str, label: &str, aliases: &[&str]| Node { id: id.into(), label: label.into(),
///     kind: "person".into(), mentions: 1, windows: 0, community: None, documents: vec![],
///     aliases: aliases.iter().map(|a| a.to_string()).collect() };
/// let g = Graph::from_parts(vec![n("p:tom", "Tom Cruise", &["Cruise"]), n("p:tim", "Tim Curry", &[])],
///     vec![], GraphInfo::default()).unwrap();
/// assert_eq!(resolve_name(&g, "cruise").unwrap().matched, MatchKind::CaseInsensitive);
/// assert_eq!(resolve_name(&g, "Tom Cruse").unwrap().matched, MatchKind::Close);
/// let err = resolve_name(&g, "T").unwrap_err();
/// assert_eq!(err.to_string(), "\"T\" names 2 entities; did you mean: Tim Curry, Tom Cruise?");
/// assert!(matches!(resolve_name(&g, "Zorro"), Err(NameError::Unknown { .. })));
/// ```
pub fn resolve_name(graph: &Graph, name: &str) -> Result<NodeRef, NameError> {
    let query = name.trim();
    let unknown = |candidates| NameError::Unknown {
        name: name.to_string(),
        candidates,
    };
    if query.is_empty() {
        return Err(unknown(Vec::new()));
    }
    if let Some(index) = graph.index_of(query) {
        return Ok(NodeRef {
            index,
            matched: MatchKind::Id,
        });
    }
    let g = graph.petgraph();
    let names = |i: NodeIndex| std::iter::once(&g[i].label).chain(g[i].aliases.iter());

    // 1. exact, 2. case-insensitive
    let hits: Vec<NodeIndex> = g
        .node_indices()
        .filter(|&i| names(i).any(|n| n == query))
        .collect();
    if let Some(r) = decide(graph, name, hits, MatchKind::Exact) {
        return r;
    }
    let lower = query.to_lowercase();
    let hits: Vec<NodeIndex> = g
        .node_indices()
        .filter(|&i| names(i).any(|n| n.to_lowercase() == lower))
        .collect();
    if let Some(r) = decide(graph, name, hits, MatchKind::CaseInsensitive) {
        return r;
    }

    // 3. word prefixes: anchored at the first word, then anywhere
    let qwords = words(&lower);
    if !qwords.is_empty() {
        let mut first = Vec::new();
        let mut inner = Vec::new();
        for i in g.node_indices() {
            let mut at = None;
            for n in names(i) {
                match word_prefix_at(&qwords, &words(&n.to_lowercase())) {
                    Some(0) => {
                        at = Some(0);
                        break;
                    }
                    Some(_) => at = Some(1),
                    None => {}
                }
            }
            match at {
                Some(0) => first.push(i),
                Some(_) => inner.push(i),
                None => {}
            }
        }
        if let Some(r) = decide(graph, name, first, MatchKind::Prefix) {
            return r;
        }
        if let Some(r) = decide(graph, name, inner, MatchKind::Prefix) {
            return r;
        }
    }

    // 4. close match
    let qchars: Vec<char> = lower.chars().collect();
    let threshold = match qchars.len() {
        0..=2 => 0,
        3..=7 => 1,
        8..=11 => 2,
        _ => 3,
    };
    // The nodes whose full names are the closest within the threshold, and suggestions (full
    // names and words).
    let mut best_distance = usize::MAX;
    let mut best: Vec<NodeIndex> = Vec::new();
    let mut suggestions: Vec<Near> = Vec::new();
    for i in g.node_indices() {
        let mut full = usize::MAX;
        let mut near: Option<Closeness> = None;
        let mut consider = |distance: usize, len: usize| {
            let k = Closeness {
                distance,
                length: len.max(qchars.len()).max(1),
            };
            if near.is_none_or(|n| k.cmp(n).is_lt()) {
                near = Some(k);
            }
        };
        for n in names(i) {
            let nl: Vec<char> = n.to_lowercase().chars().collect();
            let d = levenshtein_chars(&qchars, &nl);
            full = full.min(d);
            consider(d, nl.len());
            if qwords.len() == 1 {
                for w in words(&n.to_lowercase()) {
                    let wc: Vec<char> = w.chars().collect();
                    consider(levenshtein_chars(&qchars, &wc), wc.len());
                }
            }
        }
        if full <= threshold {
            if full < best_distance {
                best_distance = full;
                best.clear();
            }
            if full == best_distance {
                best.push(i);
            }
        }
        if let Some(k) = near.filter(|k| 2 * k.distance <= k.length) {
            suggestions.push(Near {
                closeness: k,
                node: i,
            });
        }
    }
    if let Some(r) = decide(graph, name, best, MatchKind::Close) {
        return r;
    }
    suggestions.sort_by(|a, b| {
        a.closeness
            .cmp(b.closeness)
            .then_with(|| super::cmp_node(g, a.node, b.node))
    });
    Err(unknown(
        suggestions
            .into_iter()
            .take(MAX_SUGGESTIONS)
            .map(|s| candidate(graph, s.node))
            .collect(),
    ))
}

/// How close a name is to the query: `distance` edits in `length` chars (of the longer string),
/// compared as the fraction of it that changes.
#[derive(Debug, Clone, Copy)]
struct Closeness {
    distance: usize,
    length: usize,
}

impl Closeness {
    fn cmp(self, other: Closeness) -> std::cmp::Ordering {
        (self.distance * other.length).cmp(&(other.distance * self.length))
    }
}

/// A node whose names are close to the query.
#[derive(Debug, Clone, Copy)]
struct Near {
    closeness: Closeness,
    node: NodeIndex,
}

/// One hit: found; several: ambiguous; none (`None`): go on to the next tier.
fn decide(
    graph: &Graph,
    name: &str,
    mut hits: Vec<NodeIndex>,
    matched: MatchKind,
) -> Option<Result<NodeRef, NameError>> {
    hits.sort();
    hits.dedup();
    match hits.len() {
        0 => None,
        1 => Some(Ok(NodeRef {
            index: hits[0],
            matched,
        })),
        _ => {
            let mut candidates: Vec<Candidate> =
                hits.into_iter().map(|i| candidate(graph, i)).collect();
            candidates.sort_by(|a, b| a.label.cmp(&b.label).then_with(|| a.id.cmp(&b.id)));
            Some(Err(NameError::Ambiguous {
                name: name.to_string(),
                candidates,
            }))
        }
    }
}

fn candidate(graph: &Graph, i: NodeIndex) -> Candidate {
    let n = &graph.petgraph()[i];
    Candidate {
        id: n.id.clone(),
        label: n.label.clone(),
    }
}

/// Runs of letters and digits.
fn words(s: &str) -> Vec<&str> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect()
}

/// The first word position at which every query word is a prefix of the consecutive name words.
fn word_prefix_at(query: &[&str], name: &[&str]) -> Option<usize> {
    if query.len() > name.len() {
        return None;
    }
    (0..=name.len() - query.len())
        .find(|&j| query.iter().zip(&name[j..]).all(|(q, n)| n.starts_with(q)))
}

/// The Levenshtein distance between two strings, in characters (insertions, deletions and
/// substitutions each cost 1).
///
/// # Complexity
/// O(n·m) time, O(m) space.
///
/// ```
/// use entgraph::query::lookup::levenshtein;
/// assert_eq!(levenshtein("kitten", "sitting"), 3);
/// assert_eq!(levenshtein("Zürich", "Zurich"), 1);
/// assert_eq!(levenshtein("", "abc"), 3);
/// ```
pub fn levenshtein(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    levenshtein_chars(&a, &b)
}

fn levenshtein_chars(a: &[char], b: &[char]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let next = (diag + usize::from(ca != cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diag = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::GraphInfo;
    use crate::query::testgraphs::node;

    fn seedlike() -> Graph {
        let nodes = vec![
            node("person", "Tom Cruise", &["Cruise", "Tom"]),
            node("person", "Christopher McQuarrie", &["McQuarrie"]),
            node("person", "Simone Biles", &[]),
            node("place", "Stade de France", &[]),
            node("place", "Paris", &[]),
            node("film", "Paris", &[]),
            node("film", "Mission: Impossible", &["Mission Impossible"]),
            node("film", "Mission: Impossible – Fallout", &["Fallout"]),
            node("organization", "NRK", &[]),
            node("place", "Zürich", &[]),
        ];
        Graph::from_parts(nodes, vec![], GraphInfo::default()).unwrap()
    }

    fn label(g: &Graph, r: NodeRef) -> &str {
        &g.petgraph()[r.index].label
    }

    #[test]
    fn lookup_resolves_table() {
        let g = seedlike();
        // (name, expected label, how)
        let cases = [
            ("Tom Cruise", "Tom Cruise", MatchKind::Exact),
            ("  Cruise ", "Tom Cruise", MatchKind::Exact),
            ("person:tom-cruise", "Tom Cruise", MatchKind::Id),
            (
                "mcquarrie",
                "Christopher McQuarrie",
                MatchKind::CaseInsensitive,
            ),
            ("ZÜRICH", "Zürich", MatchKind::CaseInsensitive),
            ("Stade", "Stade de France", MatchKind::Prefix),
            ("chris mcq", "Christopher McQuarrie", MatchKind::Prefix),
            ("biles", "Simone Biles", MatchKind::Prefix),
            (
                "mission impossible fall",
                "Mission: Impossible – Fallout",
                MatchKind::Prefix,
            ),
            ("Tom Cruse", "Tom Cruise", MatchKind::Close),
            ("Simone Bilse", "Simone Biles", MatchKind::Close),
            ("NRC", "NRK", MatchKind::Close),
            (
                "place:paris",
                "Paris",
                MatchKind::Id, // an id settles a shared label
            ),
        ];
        for (name, want, how) in cases {
            let r = resolve_name(&g, name).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!((label(&g, r), r.matched), (want, how), "{name}");
        }
    }

    #[test]
    fn lookup_ambiguous_lists_sorted_candidates() {
        let g = seedlike();
        let err = resolve_name(&g, "Paris").unwrap_err();
        assert!(matches!(err, NameError::Ambiguous { .. }));
        assert_eq!(
            err.to_string(),
            "\"Paris\" names 2 entities; did you mean: Paris (film:paris), Paris (place:paris)?"
        );
        let err = resolve_name(&g, "mission").unwrap_err();
        let labels: Vec<&str> = err.candidates().iter().map(|c| c.label.as_str()).collect();
        assert_eq!(
            labels,
            ["Mission: Impossible", "Mission: Impossible – Fallout"]
        );
    }

    #[test]
    fn lookup_unknown_suggests_nearest_first() {
        let g = seedlike();
        let err = resolve_name(&g, "Cruz").unwrap_err();
        assert!(matches!(err, NameError::Unknown { .. }), "{err}");
        assert_eq!(err.candidates()[0].label, "Tom Cruise");
        assert!(
            err.to_string()
                .starts_with("no entity named \"Cruz\"; did you mean: Tom Cruise")
        );
        let err = resolve_name(&g, "Qwxyzzy").unwrap_err();
        assert_eq!(err.to_string(), "no entity named \"Qwxyzzy\"");
        for empty in ["", "   ", "!!"] {
            assert!(resolve_name(&g, empty).is_err(), "{empty:?}");
        }
    }

    #[test]
    fn lookup_levenshtein_table() {
        for (a, b, d) in [
            ("", "", 0),
            ("a", "", 1),
            ("flaw", "lawn", 2),
            ("Tom", "Tom", 0),
            ("ab", "ba", 2),
            ("naïve", "naive", 1),
        ] {
            assert_eq!(levenshtein(a, b), d, "{a} {b}");
            assert_eq!(levenshtein(b, a), d, "{b} {a}");
        }
    }
}
