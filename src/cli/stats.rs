//! `entgraph stats`: the size of the graph and its most central entities.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;

use anyhow::Result;
use entgraph::graph::Graph;
use entgraph::query::{Centrality, Metric, Stats, StatsOptions, stats};
use serde::Serialize;

use super::analysis::MeasureArgs;
use super::source::GraphArgs;
use super::term::{cell, write_table};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Counts, then one table per centrality
    Text,
    /// {"documents","mentions","entities","types","edges","total_weight","components","largest_component","isolated","betweenness","top"}
    Json,
}

/// Print counts (documents, mentions, entities per type, edges, connected components) and the
/// most central entities by degree, weighted degree, PageRank and betweenness.
///
/// Degree counts distinct neighbours; weighted degree sums edge weights. PageRank is weighted
/// (damping 0.85, iterated until the change is below 1e-10). Betweenness counts shortest paths by
/// hops and is normalized to [0, 1]; it is exact up to 5,000 entities and estimated from 500
/// sources drawn with a fixed seed above that (the output says so).
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  entgraph stats\n  entgraph stats --top 5 --format json\n  entgraph stats articles/ --window paragraph"
)]
pub struct Args {
    /// How many entities per centrality
    #[arg(long, value_name = "N", default_value_t = 10)]
    top: usize,
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Print only the communities (Leiden on the weighted graph), with their sizes and strongest members
    #[arg(long)]
    communities: bool,
    #[command(flatten)]
    source: GraphArgs,
    #[command(flatten)]
    measure: MeasureArgs,
}

#[derive(Debug, Serialize)]
struct CommunityOut<'a> {
    number: u32,
    size: usize,
    /// The strongest members (by weighted degree on the measure), at most --top.
    top: Vec<&'a str>,
}

#[derive(Debug, Serialize)]
struct CommunitiesOut<'a> {
    resolution: f64,
    modularity: f64,
    count: usize,
    communities: Vec<CommunityOut<'a>>,
}

fn communities_out(graph: &Graph, resolution: f64, top: usize) -> CommunitiesOut<'_> {
    let all = graph.communities();
    CommunitiesOut {
        resolution,
        modularity: graph.modularity(resolution),
        count: all.len(),
        communities: all
            .iter()
            .take(top)
            .map(|c| CommunityOut {
                number: c.number,
                size: c.members.len(),
                top: c
                    .members
                    .iter()
                    .take(5)
                    .map(|&m| graph.petgraph()[m].label.as_str())
                    .collect(),
            })
            .collect(),
    }
}

fn write_communities(out: &mut dyn Write, c: &CommunitiesOut<'_>) -> std::io::Result<()> {
    writeln!(
        out,
        "Communities (Leiden, resolution {}): {}, modularity {:.4}; the {} largest",
        c.resolution,
        c.count,
        c.modularity,
        c.communities.len()
    )?;
    let rows: Vec<Vec<String>> = c
        .communities
        .iter()
        .map(|x| {
            vec![
                format!("{}.", x.number),
                x.size.to_string(),
                cell(&x.top.join(", ")),
            ]
        })
        .collect();
    write_table(out, &["#", "SIZE", "STRONGEST MEMBERS"], &rows)
}

#[derive(Debug, Serialize)]
struct Output<'a> {
    documents: u64,
    mentions: u64,
    entities: usize,
    types: &'a BTreeMap<String, usize>,
    edges: usize,
    total_weight: u64,
    components: usize,
    largest_component: usize,
    isolated: usize,
    betweenness: BetweennessInfo,
    /// For each metric, the top entities.
    top: BTreeMap<&'static str, Vec<Ranked<'a>>>,
    communities: CommunitiesOut<'a>,
}

#[derive(Debug, Serialize)]
struct BetweennessInfo {
    exact: bool,
    /// Sources sampled, when not exact.
    #[serde(skip_serializing_if = "Option::is_none")]
    samples: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    seed: Option<u64>,
}

#[derive(Debug, Serialize)]
struct Ranked<'a> {
    id: &'a str,
    label: &'a str,
    #[serde(rename = "type")]
    kind: &'a str,
    degree: usize,
    weighted_degree: u64,
    pagerank: f64,
    betweenness: f64,
}

fn ranked<'a>(graph: &'a Graph, c: &Centrality) -> Ranked<'a> {
    let n = &graph.petgraph()[c.node];
    Ranked {
        id: &n.id,
        label: &n.label,
        kind: &n.kind,
        degree: c.degree,
        weighted_degree: c.weighted_degree,
        pagerank: c.pagerank,
        betweenness: c.betweenness,
    }
}

fn title(m: Metric) -> &'static str {
    match m {
        Metric::Degree => "by degree (distinct neighbours)",
        Metric::WeightedDegree => "by weighted degree (sum of edge weights)",
        Metric::PageRank => "by PageRank (weighted, damping 0.85)",
        Metric::Betweenness => "by betweenness (normalized)",
    }
}

fn show(m: Metric, c: &Centrality) -> String {
    match m {
        Metric::Degree => c.degree.to_string(),
        Metric::WeightedDegree => c.weighted_degree.to_string(),
        Metric::PageRank => format!("{:.4}", c.pagerank),
        Metric::Betweenness => format!("{:.4}", c.betweenness),
    }
}

pub fn run(args: Args) -> Result<ExitCode> {
    let mut graph = args.source.load()?;
    args.measure.apply(&mut graph)?;
    let graph = graph;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let communities = communities_out(&graph, args.measure.resolution, args.top);
    if args.communities {
        match args.format {
            Format::Json => {
                out.write_all(&serde_json::to_vec_pretty(&communities)?)?;
                out.write_all(b"\n")?;
            }
            Format::Text => write_communities(&mut out, &communities)?,
        }
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let s = stats(&graph, &StatsOptions::default());
    match args.format {
        Format::Json => {
            let top = Metric::ALL
                .iter()
                .map(|&m| {
                    (
                        m.key(),
                        s.top(&graph, m, args.top)
                            .iter()
                            .map(|c| ranked(&graph, c))
                            .collect(),
                    )
                })
                .collect();
            let output = Output {
                documents: s.documents,
                mentions: s.mentions,
                entities: s.entities,
                types: &s.types,
                edges: s.edges,
                total_weight: s.total_weight,
                components: s.components,
                largest_component: s.largest_component,
                isolated: s.isolated,
                betweenness: BetweennessInfo {
                    exact: s.betweenness_sample.is_none(),
                    samples: s.betweenness_sample.map(|x| x.sources),
                    seed: s.betweenness_sample.map(|x| x.seed),
                },
                top,
                communities,
            };
            out.write_all(&serde_json::to_vec_pretty(&output)?)?;
            out.write_all(b"\n")?;
        }
        Format::Text => {
            write_text(&mut out, &graph, &s, args.top)?;
            if args.top > 0 && s.entities > 0 {
                writeln!(out)?;
                write_communities(&mut out, &communities)?;
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn write_text(out: &mut dyn Write, graph: &Graph, s: &Stats, top: usize) -> std::io::Result<()> {
    let types = s
        .types
        .iter()
        .map(|(t, n)| format!("{n} {t}"))
        .collect::<Vec<_>>()
        .join(", ");
    let rows = vec![
        vec!["documents".to_string(), s.documents.to_string()],
        vec!["mentions".to_string(), s.mentions.to_string()],
        vec![
            "entities".to_string(),
            if types.is_empty() {
                s.entities.to_string()
            } else {
                format!("{} ({types})", s.entities)
            },
        ],
        vec![
            "edges".to_string(),
            format!("{} (total weight {})", s.edges, s.total_weight),
        ],
        vec![
            "components".to_string(),
            format!(
                "{} (largest: {} entities; {} without edges)",
                s.components, s.largest_component, s.isolated
            ),
        ],
    ];
    for r in &rows {
        writeln!(out, "{:<12}{}", r[0], r[1])?;
    }
    if top == 0 || s.entities == 0 {
        return Ok(());
    }
    for m in Metric::ALL {
        writeln!(out)?;
        let mut heading = format!("Top {} {}", top.min(s.entities), title(m));
        if m == Metric::Betweenness
            && let Some(x) = s.betweenness_sample
        {
            heading.push_str(&format!(
                ", estimated from {} sampled sources (seed {})",
                x.sources, x.seed
            ));
        }
        writeln!(out, "{heading}")?;
        let rows: Vec<Vec<String>> = s
            .top(graph, m, top)
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let n = &graph.petgraph()[c.node];
                vec![
                    format!("{}.", i + 1),
                    cell(&n.label),
                    n.kind.clone(),
                    show(m, c),
                ]
            })
            .collect();
        write_table(
            out,
            &["#", "ENTITY", "TYPE", m.key().to_uppercase().as_str()],
            &rows,
        )?;
    }
    Ok(())
}
