//! `entgraph neighbors NAME`: the entities linked to one entity, strongest first.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use entgraph::query::{NeighborOptions, neighbors, resolve_name};
use serde::Serialize;

use super::analysis::MeasureArgs;
use super::source::{GraphArgs, check_type};
use super::term::{cell, write_table};
use entgraph::measure::Measure;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A title line and an aligned table
    Text,
    /// {"entity": {"id","label","type"}, "depth": d, "neighbors": [{"id","label","type","distance","weight","evidence","path"}]}
    Json,
}

/// List the entities linked to one entity, strongest first.
///
/// Direct neighbours are sorted by the weight of the edge (the number of windows the two share);
/// with --depth D, entities up to D hops away follow, nearest first, with the weight of the
/// heaviest shortest path to them and the entities it goes through (VIA). EVIDENCE is the number
/// of evidence windows kept on the last edge. Nothing found: exit 1.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  entgraph neighbors \"Tom Cruise\"\n  entgraph neighbors McQuarrie --depth 2 --type place\n  entgraph neighbors NRK --top 5 --format json"
)]
pub struct Args {
    /// The entity: an id, name or alias, a unique word prefix, or a near spelling
    #[arg(value_name = "NAME")]
    name: String,
    /// How many hops away
    #[arg(long, value_name = "D", default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..1_000_000))]
    depth: u64,
    /// List only entities of this type
    #[arg(long = "type", value_name = "TYPE")]
    kind: Option<String>,
    /// List at most N entities
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    top: Option<u64>,
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    #[command(flatten)]
    source: GraphArgs,
    #[command(flatten)]
    measure: MeasureArgs,
}

#[derive(Debug, Serialize)]
struct Output<'a> {
    entity: Entity<'a>,
    depth: u64,
    neighbors: Vec<JsonNeighbor<'a>>,
}

#[derive(Debug, Serialize)]
struct Entity<'a> {
    id: &'a str,
    label: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
}

#[derive(Debug, Serialize)]
struct JsonNeighbor<'a> {
    id: &'a str,
    label: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    distance: usize,
    weight: u64,
    /// The score on --measure (the sum along the path), when it is not count.
    #[serde(skip_serializing_if = "Option::is_none")]
    score: Option<f64>,
    evidence: usize,
    /// Ids from the entity asked about to this one, both included.
    path: Vec<&'a str>,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let mut graph = args.source.load()?;
    graph.set_measure(args.measure.measure)?;
    let graph = graph;
    let scored = args.measure.measure != Measure::Count;
    let center = resolve_name(&graph, &args.name)?.index;
    if let Some(kind) = &args.kind {
        check_type(&graph, "--type", kind)?;
    }
    let g = graph.petgraph();
    let mut found = neighbors(
        &graph,
        center,
        &NeighborOptions {
            depth: args.depth as usize,
            kind: args.kind.clone(),
            top: None,
        },
    );
    let total = found.len();
    if let Some(top) = args.top {
        found.truncate(usize::try_from(top).unwrap_or(usize::MAX));
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let c = &g[center];
    match args.format {
        Format::Json => {
            let output = Output {
                entity: Entity {
                    id: &c.id,
                    label: &c.label,
                    kind: &c.kind,
                },
                depth: args.depth,
                neighbors: found
                    .iter()
                    .map(|n| {
                        let node = &g[n.node];
                        JsonNeighbor {
                            id: &node.id,
                            label: &node.label,
                            kind: &node.kind,
                            distance: n.distance,
                            weight: n.weight,
                            score: scored.then_some(n.score),
                            evidence: n.evidence,
                            path: n.path.iter().map(|&p| g[p].id.as_str()).collect(),
                        }
                    })
                    .collect(),
            };
            out.write_all(&serde_json::to_vec_pretty(&output)?)?;
            out.write_all(b"\n")?;
        }
        Format::Text if !found.is_empty() => {
            let within = if args.depth == 1 {
                "linked directly".to_string()
            } else {
                format!("within {} hops", args.depth)
            };
            let of_type = args
                .kind
                .as_ref()
                .map(|k| format!(" of type {k}"))
                .unwrap_or_default();
            writeln!(
                out,
                "{} ({}): {} entit{}{} {}{}",
                cell(&c.label),
                c.kind,
                total,
                if total == 1 { "y" } else { "ies" },
                of_type,
                within,
                if found.len() < total {
                    format!("; the strongest {} shown", found.len())
                } else {
                    String::new()
                }
            )?;
            writeln!(out)?;
            let deep = args.depth > 1;
            let measure = args.measure.measure.to_string().to_uppercase();
            let mut header = vec!["ENTITY", "TYPE", "WEIGHT", "EVIDENCE"];
            if scored {
                header.insert(3, &measure);
            }
            if deep {
                header.insert(0, "HOPS");
                header.push("VIA");
            }
            let rows: Vec<Vec<String>> = found
                .iter()
                .map(|n| {
                    let node = &g[n.node];
                    let mut row = vec![
                        cell(&node.label),
                        node.kind.clone(),
                        n.weight.to_string(),
                        n.evidence.to_string(),
                    ];
                    if scored {
                        row.insert(3, format!("{:.4}", n.score));
                    }
                    if deep {
                        row.insert(0, n.distance.to_string());
                        let via: Vec<String> = n.path[1..n.path.len() - 1]
                            .iter()
                            .map(|&p| cell(&g[p].label))
                            .collect();
                        row.push(via.join(" → "));
                    }
                    row
                })
                .collect();
            write_table(&mut out, &header, &rows)?;
        }
        Format::Text => {}
    }
    out.flush()?;
    if found.is_empty() {
        let of_type = args
            .kind
            .as_ref()
            .map(|k| format!(" of type {k}"))
            .unwrap_or_default();
        eprintln!(
            "entgraph: {} has no neighbours{} within {} hop{}",
            c.label,
            of_type,
            args.depth,
            if args.depth == 1 { "" } else { "s" }
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}
