//! Search over every label and alias: one substring search over all names, then a tier for each
//! name that holds the query.

use crate::graph::Graph;

/// Every label and alias, lowercased, in one buffer (each followed by `\n`, which no query
/// holds), so a query is found by one substring search over all names at once.
#[derive(Debug, Default)]
pub(super) struct Names {
    pub(super) text: String,
    /// Where each name starts in `text`, ascending.
    pub(super) starts: Vec<usize>,
    /// The node of each name.
    pub(super) nodes: Vec<u32>,
    /// Whether each name is its node's label (else an alias).
    pub(super) labels: Vec<bool>,
}

impl Names {
    pub(super) fn new(graph: &Graph) -> Names {
        let mut names = Names::default();
        for (i, n) in graph.nodes().enumerate() {
            for (name, label) in
                std::iter::once((&n.label, true)).chain(n.aliases.iter().map(|a| (a, false)))
            {
                names.starts.push(names.text.len());
                names.nodes.push(i as u32);
                names.labels.push(label);
                // Line breaks inside a name become spaces: `\n` ends names.
                names.text.extend(
                    name.to_lowercase()
                        .chars()
                        .map(|c| if c == '\n' { ' ' } else { c }),
                );
                names.text.push('\n');
            }
        }
        names
    }

    /// The name at `k`, without its `\n`.
    pub(super) fn name(&self, k: usize) -> &str {
        let end = self.starts.get(k + 1).map_or(self.text.len(), |&e| e) - 1;
        &self.text[self.starts[k]..end]
    }
}

/// The search tier of a lowercased name for a lowercased query (see `Api::search_nodes`).
pub(super) fn tier(name: &str, label: bool, q: &str) -> Option<u8> {
    let t = if name == q {
        0
    } else if name.starts_with(q) {
        2
    } else {
        let mut prev_word = true;
        let mut found = false;
        for (at, c) in name.char_indices() {
            let word = c.is_alphanumeric();
            if word && !prev_word && name[at..].starts_with(q) {
                found = true;
                break;
            }
            prev_word = word;
        }
        if !found {
            return None;
        }
        4
    };
    Some(if label { t } else { t + 1 })
}
