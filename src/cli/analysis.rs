//! The options that say which links matter: the measure that ranks edges and the resolution of
//! the communities (`build`, `export` and the queries), and the pruning of drawings (`build`,
//! `export`): a minimum score, the disparity-filter backbone, and the default limits of pictures.

use std::borrow::Cow;

use anyhow::{Result, bail};
use entgraph::graph::Graph;
use entgraph::measure::Measure;
use entgraph::query::backbone::{at_least, disparity_backbone, keep_edges, strongest_per_node};
use entgraph::query::{Filter, filter};

const HEADING: &str = "Which links matter";

/// Entities a picture (svg, png) draws at most, unless --top, --types or --ego choose them.
pub const MAX_NODES: usize = 150;
/// Edges each entity of a picture keeps, unless --top, --types or --ego choose the entities.
pub const EDGES_PER_NODE: usize = 3;

/// `--measure` and `--resolution`.
#[derive(Debug, Clone, clap::Args)]
pub struct MeasureArgs {
    /// What ranks edges (drawing widths, --top, --min-score, --backbone, rankings): count (windows shared), npmi, dice or llr
    #[arg(long, value_name = "MEASURE", default_value = "count", value_parser = parse_measure, help_heading = HEADING)]
    pub measure: Measure,
    /// Resolution of the Leiden communities (higher: more, smaller ones)
    #[arg(long, value_name = "GAMMA", default_value_t = 1.0, value_parser = positive, help_heading = HEADING)]
    pub resolution: f64,
}

fn parse_measure(s: &str) -> Result<Measure, String> {
    s.parse().map_err(|e: entgraph::Error| e.to_string())
}

fn positive(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() && x > 0.0 => Ok(x),
        _ => Err(format!("'{s}' is not a number above 0")),
    }
}

fn probability(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if x > 0.0 && x < 1.0 => Ok(x),
        _ => Err(format!("'{s}' is not a number between 0 and 1")),
    }
}

fn finite(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(x),
        _ => Err(format!("'{s}' is not a number")),
    }
}

impl MeasureArgs {
    /// Ranks the graph's edges by the measure and gives every node its community.
    pub fn apply(&self, graph: &mut Graph) -> Result<()> {
        graph.set_measure(self.measure)?;
        graph.detect_communities(self.resolution);
        Ok(())
    }
}

/// `--min-score`, `--backbone`, `--max-nodes`, `--edges-per-node`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct PruneArgs {
    /// Drawings keep only edges scoring at least X on --measure
    #[arg(long, value_name = "X", value_parser = finite, help_heading = HEADING)]
    pub min_score: Option<f64>,
    /// Drawings keep only the disparity-filter backbone: edges significant at ALPHA (e.g. 0.05) for either end, on --measure
    #[arg(long, value_name = "ALPHA", value_parser = probability, help_heading = HEADING)]
    pub backbone: Option<f64>,
    /// Pictures (svg, png) draw at most N entities, by weighted degree [default: 150, none with --top, --types or --ego]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..), help_heading = HEADING)]
    pub max_nodes: Option<u64>,
    /// Pictures keep each entity's K strongest edges, 0 for all [default: 3, all with --top, --types or --ego]
    #[arg(long, value_name = "K", help_heading = HEADING)]
    pub edges_per_node: Option<usize>,
}

/// A graph pruned for drawing, and what was left out, for the summary.
#[derive(Debug)]
pub struct Pruned<'g> {
    pub graph: Cow<'g, Graph>,
    pub why: Vec<String>,
}

impl PruneArgs {
    /// The graph with the edges below --min-score and outside the --backbone dropped (every node
    /// stays); borrowed when neither is given.
    pub fn scored<'g>(&self, graph: &'g Graph) -> Pruned<'g> {
        let mut keep: Option<Vec<bool>> = None;
        let mut why = Vec::new();
        let mut and = |mask: Vec<bool>| match &mut keep {
            Some(k) => k.iter_mut().zip(mask).for_each(|(k, m)| *k &= m),
            None => keep = Some(mask),
        };
        if let Some(min) = self.min_score {
            and(at_least(graph, min));
            why.push(format!("--min-score {min} on {}", graph.measure()));
        }
        if let Some(alpha) = self.backbone {
            and(disparity_backbone(graph, alpha));
            why.push(format!("--backbone {alpha} on {}", graph.measure()));
        }
        match keep {
            Some(k) => Pruned {
                graph: Cow::Owned(keep_edges(graph, &k)),
                why,
            },
            None => Pruned {
                graph: Cow::Borrowed(graph),
                why,
            },
        }
    }

    /// What a picture (svg, png) draws of `graph`: at most --max-nodes entities by weighted degree
    /// and each one's --edges-per-node strongest edges; by default 150 and 3, unless `chosen`
    /// (--top, --types or --ego chose the entities), which turns the defaults off.
    pub fn picture<'g>(&self, graph: &'g Graph, chosen: bool) -> Pruned<'g> {
        let max_nodes = self
            .max_nodes
            .map(|n| usize::try_from(n).unwrap_or(usize::MAX))
            .or((!chosen).then_some(MAX_NODES));
        let per_node = self
            .edges_per_node
            .or((!chosen).then_some(EDGES_PER_NODE))
            .filter(|&k| k > 0);
        let mut why = Vec::new();
        let mut out = Cow::Borrowed(graph);
        if let Some(n) = max_nodes.filter(|&n| n < graph.node_count()) {
            let f = Filter {
                top: Some(n),
                ..Filter::default()
            };
            out = Cow::Owned(filter(graph, &f));
            why.push(format!(
                "the {n} entities with the highest weighted degree on {} (--max-nodes)",
                graph.measure()
            ));
        }
        if let Some(k) = per_node {
            let keep = strongest_per_node(&out, k);
            if keep.iter().any(|k| !k) {
                out = Cow::Owned(keep_edges(&out, &keep));
                why.push(format!(
                    "each one's {k} strongest edge{} (--edges-per-node)",
                    if k == 1 { "" } else { "s" }
                ));
            }
        }
        Pruned { graph: out, why }
    }

    /// Fails on options that cannot go together.
    pub fn check(&self, measure: &MeasureArgs) -> Result<()> {
        if let (Some(min), Measure::Npmi) = (self.min_score, measure.measure) {
            if min > 1.0 {
                bail!("--min-score {min} keeps nothing: npmi is at most 1");
            }
        }
        Ok(())
    }
}

/// "`file` shows a of b entities and c of d edges (why)".
pub fn shows(file: &str, small: &Graph, whole: &Graph, why: &[String]) -> String {
    format!(
        "{file} shows {} of {} entities and {} of {} edges ({})",
        small.node_count(),
        whole.node_count(),
        small.edge_count(),
        whole.edge_count(),
        why.join(", ")
    )
}
