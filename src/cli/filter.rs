//! The drawing filters of `build` (`--top`, `--types`, `--ego`, `--depth`): they make a big graph
//! readable as a picture. They apply to the drawn formats only (`graph.dot`, rendered pictures and
//! `graph.html`);
//! `graph.json` keeps the whole graph so that queries see everything. `--min-weight` (of
//! [`LinkArgs`](super::LinkArgs)) applies to every output, as before.

use std::borrow::Cow;
use std::collections::BTreeSet;

use anyhow::Result;
use entgraph::Warning;
use entgraph::graph::Graph;
use entgraph::query::{Ego, Filter, filter, resolve_name};

use super::source::types_in;
use super::term::Reporter;

const HEADING: &str = "Drawing filters (graph.dot only; graph.json keeps the whole graph)";

/// Filters for the drawn graph.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct FilterArgs {
    /// Draw only the N entities with the highest weighted degree (sum of edge weights)
    #[arg(long, value_name = "N", help_heading = HEADING, value_parser = clap::value_parser!(u64).range(1..))]
    pub top: Option<u64>,
    /// Draw only entities of these types, e.g. person,film
    #[arg(long, value_name = "TYPES", value_delimiter = ',', help_heading = HEADING)]
    pub types: Vec<String>,
    /// Draw only the neighbourhood of this entity (name, alias, id, prefix or near spelling)
    #[arg(long, value_name = "NAME", help_heading = HEADING)]
    pub ego: Option<String>,
    /// With --ego: how many hops from it [default: 1]
    #[arg(long, value_name = "D", help_heading = HEADING)]
    pub depth: Option<usize>,
}

/// The graph to draw and a one-line note about what was left out (`None` when nothing was).
#[derive(Debug)]
pub struct Filtered<'g> {
    /// The graph to draw.
    pub graph: Cow<'g, Graph>,
    /// E.g. `graph.dot shows 20 of 57 entities and 48 of 101 edges (--top 20)`.
    pub note: Option<String>,
}

impl FilterArgs {
    /// True for the formats the filters apply to (the drawn ones).
    pub fn applies_to(format: &str) -> bool {
        matches!(format, "dot" | "svg" | "png" | "html")
    }

    /// The checks that need no graph (run before any work): `--depth` needs `--ego`.
    pub fn check(&self) -> Result<()> {
        if self.depth.is_some() && self.ego.is_none() {
            anyhow::bail!("--depth needs --ego NAME (the entity whose neighbourhood is drawn)");
        }
        Ok(())
    }

    /// The library filter these options ask for: the ego name resolved in `graph` (an unknown or
    /// ambiguous name is an error); a type no entity has is a warning.
    pub fn to_filter(&self, graph: &Graph, reporter: &mut Reporter) -> Result<Filter> {
        self.check()?;
        let ego = match &self.ego {
            Some(name) => Some(Ego {
                id: graph.petgraph()[resolve_name(graph, name)?.index]
                    .id
                    .clone(),
                depth: self.depth.unwrap_or(1),
            }),
            None => None,
        };
        let types: Option<BTreeSet<String>> = (!self.types.is_empty()).then(|| {
            self.types
                .iter()
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty())
                .collect()
        });
        if let Some(types) = &types {
            let present = types_in(graph);
            for t in types {
                if !present.contains(t) {
                    reporter.warn(&Warning {
                        path: None,
                        line: None,
                        message: format!(
                            "--types: no entity has type '{t}' (types in the graph: {})",
                            present.join(", ")
                        ),
                    });
                }
            }
        }
        Ok(Filter {
            min_weight: 0,
            top: self.top.map(|t| usize::try_from(t).unwrap_or(usize::MAX)),
            types,
            ego,
        })
    }

    /// Applies the filters to `graph` (borrowed unchanged when there are none).
    pub fn apply<'g>(&self, graph: &'g Graph, reporter: &mut Reporter) -> Result<Filtered<'g>> {
        let f = self.to_filter(graph, reporter)?;
        if f.is_noop() {
            return Ok(Filtered {
                graph: Cow::Borrowed(graph),
                note: None,
            });
        }
        let small = filter(graph, &f);
        let mut why = Vec::new();
        if let Some(top) = self.top {
            why.push(format!("--top {top}"));
        }
        if !self.types.is_empty() {
            why.push(format!("--types {}", self.types.join(",")));
        }
        if let Some(ego) = &f.ego {
            let label = graph.node(&ego.id).map_or("", |n| n.label.as_str());
            why.push(format!("--ego {label} --depth {}", ego.depth));
        }
        let note = format!(
            "graph.dot shows {} of {} entities and {} of {} edges ({})",
            small.node_count(),
            graph.node_count(),
            small.edge_count(),
            graph.edge_count(),
            why.join(", ")
        );
        Ok(Filtered {
            graph: Cow::Owned(small),
            note: Some(note),
        })
    }
}
