//! `entgraph connect A B`: how two entities are connected, with the sentences that link each hop.

use std::collections::BTreeSet;
use std::io::Write;
use std::process::ExitCode;

use anyhow::{Result, bail};
use entgraph::graph::{Edge, Graph, Node};
use entgraph::query::{ConnectOptions, Connection, Hop, connect, resolve_name};
use serde::Serialize;

use super::analysis::MeasureArgs;
use super::source::{GraphArgs, check_type};
use super::term::cell;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One block per path: each hop with its weight and an evidence sentence, names marked «so»
    Text,
    /// {"from": {"id","label"}, "to": {…}, "paths": [{"nodes","labels","hops","weight","edges"}]}
    Json,
}

/// Show how two entities are connected: the paths between them, with evidence for every hop.
///
/// Names resolve against ids, labels and aliases: exact, then ignoring case, then a unique word
/// prefix ("Stade", "chris mcq"), then the closest spelling. An unknown or ambiguous name is an
/// error listing candidates (exit 2). By default the shortest paths (fewest hops) are listed,
/// heaviest first (sum of edge weights); --strongest ranks paths of any length by Σ 1/weight.
/// In text output the two names are marked «like this» in each evidence sentence. No path: exit 1.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  entgraph connect McQuarrie \"Stade de France\"\n  entgraph connect NRK \"Simone Biles\" --strongest --paths 3\n  entgraph connect McQuarrie Paris --exclude \"Tom Cruise\" --max-hops 4 --format json\n  entgraph connect \"Tom Cruise\" \"Karen Bass\" seeds/ --window paragraph   # build on the fly"
)]
pub struct Args {
    /// The first entity: an id, name or alias, a unique word prefix, or a near spelling
    #[arg(value_name = "A")]
    from: String,
    /// The second entity
    #[arg(value_name = "B")]
    to: String,
    /// How many paths to show
    #[arg(long, value_name = "K", default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=1000))]
    paths: u64,
    /// Rank paths of any length by the strongest chain (lowest Σ 1/weight) instead of fewest hops
    #[arg(long)]
    strongest: bool,
    /// Only paths of at most N hops
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..1_000_000))]
    max_hops: Option<u64>,
    /// Only pass through entities of this type (the two ends may have any type)
    #[arg(long, value_name = "TYPE")]
    via: Option<String>,
    /// Avoid this entity (repeatable), e.g. a hub that connects everything
    #[arg(long, value_name = "NAME")]
    exclude: Vec<String>,
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    #[command(flatten)]
    source: GraphArgs,
    #[command(flatten)]
    measure: MeasureArgs,
}

/// The JSON output.
#[derive(Debug, Serialize)]
struct Output<'a> {
    from: End<'a>,
    to: End<'a>,
    paths: Vec<JsonPath<'a>>,
}

#[derive(Debug, Serialize)]
struct End<'a> {
    id: &'a str,
    label: &'a str,
}

#[derive(Debug, Serialize)]
struct JsonPath<'a> {
    nodes: Vec<&'a str>,
    labels: Vec<&'a str>,
    hops: usize,
    weight: u64,
    edges: Vec<JsonEdge<'a>>,
}

/// One hop, `source` → `target` in path order.
#[derive(Debug, Serialize)]
struct JsonEdge<'a> {
    source: &'a str,
    target: &'a str,
    weight: u64,
    evidence: Vec<JsonEvidence<'a>>,
}

#[derive(Debug, Serialize)]
struct JsonEvidence<'a> {
    doc: &'a str,
    text: &'a str,
}

pub fn run(args: Args) -> Result<ExitCode> {
    let mut graph = args.source.load()?;
    graph.set_measure(args.measure.measure)?;
    let graph = graph;
    let from = resolve_name(&graph, &args.from)?.index;
    let to = resolve_name(&graph, &args.to)?.index;
    let g = graph.petgraph();
    if from == to {
        bail!(
            "\"{}\" and \"{}\" are the same entity, {}",
            args.from,
            args.to,
            g[from].label
        );
    }
    let mut exclude = BTreeSet::new();
    for name in &args.exclude {
        let n = resolve_name(&graph, name)?.index;
        if n == from || n == to {
            bail!(
                "--exclude \"{name}\": {} is an end of the path, it cannot be avoided",
                g[n].label
            );
        }
        exclude.insert(g[n].id.clone());
    }
    if let Some(via) = &args.via {
        check_type(&graph, "--via", via)?;
    }
    let options = ConnectOptions {
        paths: args.paths as usize,
        strongest: args.strongest,
        max_hops: args.max_hops.map(|h| h as usize),
        via: args.via.clone(),
        exclude: exclude.clone(),
    };
    let found = connect(&graph, from, to, &options);

    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.format {
        Format::Json => {
            // Serialized first, so that a closed pipe is an I/O error (which counts as success).
            out.write_all(&serde_json::to_vec_pretty(&json(&graph, from, to, &found))?)?;
            out.write_all(b"\n")?;
        }
        Format::Text if !found.paths.is_empty() => {
            write_text(&mut out, &graph, &found, &options, &exclude)?
        }
        Format::Text => {}
    }
    out.flush()?;
    if found.paths.is_empty() {
        eprintln!(
            "entgraph: no path between {} and {}{}",
            g[from].label,
            g[to].label,
            constraints(&graph, &options, &exclude)
        );
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

fn json<'a>(
    graph: &'a Graph,
    from: petgraph::graph::NodeIndex,
    to: petgraph::graph::NodeIndex,
    found: &'a Connection,
) -> Output<'a> {
    let g = graph.petgraph();
    let end = |n: petgraph::graph::NodeIndex| End {
        id: g[n].id.as_str(),
        label: g[n].label.as_str(),
    };
    Output {
        from: end(from),
        to: end(to),
        paths: found
            .paths
            .iter()
            .map(|p| JsonPath {
                nodes: p.ids(graph),
                labels: p.labels(graph),
                hops: p.hops(),
                weight: p.weight,
                edges: p
                    .hops_iter(graph)
                    .map(|hop| JsonEdge {
                        source: g[hop.from].id.as_str(),
                        target: g[hop.to].id.as_str(),
                        weight: hop.edge.weight,
                        evidence: hop
                            .edge
                            .evidence
                            .iter()
                            .map(|ev| JsonEvidence {
                                doc: &ev.doc,
                                text: &ev.text,
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// ` (within 3 hops, only through person, avoiding Tom Cruise)`, or nothing.
fn constraints(graph: &Graph, o: &ConnectOptions, exclude: &BTreeSet<String>) -> String {
    let mut parts = Vec::new();
    if let Some(h) = o.max_hops {
        parts.push(format!("within {h} hop{}", plural(h)));
    }
    if let Some(v) = &o.via {
        parts.push(format!("only through {v}"));
    }
    if !exclude.is_empty() {
        let names: Vec<&str> = exclude
            .iter()
            .filter_map(|id| graph.node(id))
            .map(|n| n.label.as_str())
            .collect();
        parts.push(format!("avoiding {}", names.join(", ")));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join(", "))
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn write_text(
    out: &mut dyn Write,
    graph: &Graph,
    found: &Connection,
    options: &ConnectOptions,
    exclude: &BTreeSet<String>,
) -> std::io::Result<()> {
    let g = graph.petgraph();
    let first = &found.paths[0];
    let (a, b) = (&g[first.nodes[0]], &g[*first.nodes.last().expect("a path")]);
    let shown = found.paths.len();
    let summary = if options.strongest {
        format!(
            "the {} strongest path{} (lowest Σ 1/{} first)",
            shown,
            plural(shown),
            match graph.measure() {
                entgraph::measure::Measure::Count => "weight".to_string(),
                m => m.to_string(),
            }
        )
    } else {
        let hops = first.hops();
        let total = found.total;
        let mut s = format!(
            "{} shortest path{} of {} hop{}",
            total,
            if total == 1 { "" } else { "s" },
            hops,
            plural(hops)
        );
        if total > shown as u64 {
            s.push_str(&format!(", the {shown} heaviest shown"));
        }
        s
    };
    writeln!(
        out,
        "{} → {}: {}{}",
        cell(&a.label),
        cell(&b.label),
        summary,
        constraints(graph, options, exclude)
    )?;
    for (i, p) in found.paths.iter().enumerate() {
        writeln!(out)?;
        let labels: Vec<String> = p.labels(graph).iter().map(|l| cell(l)).collect();
        let cost = if options.strongest {
            format!(", cost {:.3}", p.cost)
        } else {
            String::new()
        };
        writeln!(
            out,
            "{}. {}  ({} hop{}, weight {}{})",
            i + 1,
            labels.join(" — "),
            p.hops(),
            plural(p.hops()),
            p.weight,
            cost
        )?;
        for Hop {
            from: x,
            to: y,
            edge: e,
        } in p.hops_iter(graph)
        {
            writeln!(
                out,
                "   {} — {}  (weight {})",
                cell(&g[x].label),
                cell(&g[y].label),
                e.weight
            )?;
            writeln!(out, "     {}", evidence_line(&g[x], &g[y], e))?;
        }
    }
    Ok(())
}

/// `doc: "sentence with «names» marked"` for the first evidence window that shows both names (else
/// the first one).
fn evidence_line(a: &Node, b: &Node, e: &Edge) -> String {
    let mut best: Option<(String, &str)> = None;
    for ev in &e.evidence {
        let (text, both) = mark(&ev.text, a, b);
        if both {
            best = Some((text, &ev.doc));
            break;
        }
        if best.is_none() {
            best = Some((text, &ev.doc));
        }
    }
    match best {
        Some((text, doc)) => format!("{}: {}", cell(doc), cell_spaces(&text)),
        None => "(no evidence kept)".to_string(),
    }
}

/// Collapses runs of whitespace (newlines included) to one space.
fn cell_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Marks every whole-word occurrence of a name or alias of `a` or `b` in `text` with « », longest
/// first at a position, without overlaps; says whether both entities were found.
pub fn mark(text: &str, a: &Node, b: &Node) -> (String, bool) {
    let mut spans: Vec<(usize, usize, usize)> = Vec::new(); // (start, end, which)
    for (which, node) in [a, b].into_iter().enumerate() {
        for name in std::iter::once(&node.label).chain(&node.aliases) {
            if name.is_empty() {
                continue;
            }
            for (start, m) in text.match_indices(name.as_str()) {
                let end = start + m.len();
                let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
                let starts_word = word(name.chars().next());
                let ends_word = word(name.chars().next_back());
                if (starts_word && word(text[..start].chars().next_back()))
                    || (ends_word && word(text[end..].chars().next()))
                {
                    continue;
                }
                spans.push((start, end, which));
            }
        }
    }
    spans.sort_by(|x, y| x.0.cmp(&y.0).then(y.1.cmp(&x.1)).then(x.2.cmp(&y.2)));
    let mut out = String::with_capacity(text.len() + 16);
    let mut pos = 0;
    let mut seen = [false; 2];
    for (start, end, which) in spans {
        if start < pos {
            continue;
        }
        out.push_str(&text[pos..start]);
        out.push('«');
        out.push_str(&text[start..end]);
        out.push('»');
        pos = end;
        seen[which] = true;
    }
    out.push_str(&text[pos..]);
    (out, seen[0] && seen[1])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(label: &str, aliases: &[&str]) -> Node {
        Node {
            id: label.to_lowercase(),
            label: label.into(),
            kind: "person".into(),
            mentions: 1,
            windows: 0,
            community: None,
            documents: vec![],
            aliases: aliases.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn connect_mark_table() {
        let tom = node("Tom Cruise", &["Cruise", "Tom"]);
        let mcq = node("Christopher McQuarrie", &["McQuarrie"]);
        // (text, marked, both found)
        let cases = [
            (
                "McQuarrie said Cruise’s stunt was real.",
                "«McQuarrie» said «Cruise»’s stunt was real.",
                true,
            ),
            (
                "Tom Cruise and Christopher McQuarrie.",
                "«Tom Cruise» and «Christopher McQuarrie».",
                true,
            ),
            (
                "Tomorrow Cruise cruised.",
                "Tomorrow «Cruise» cruised.",
                false,
            ),
            ("Nobody here.", "Nobody here.", false),
        ];
        for (text, want, both) in cases {
            assert_eq!(mark(text, &tom, &mcq), (want.to_string(), both), "{text}");
        }
    }
}
