//! `entgraph export`: a saved `graph.json` in, any graph format out. Also the `--formats` parsing
//! that `build` shares.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::ArgGroup;
use entgraph::export::{self, Exporter, json::read_graph, write_atomic, write_to_dir};
use entgraph::graph::Graph;
use entgraph::query::{Filter, filter};

use super::analysis::{MeasureArgs, PruneArgs};
use super::filter::{FilterArgs, HEADING};
use super::term::{Reporter, io_reason, path_error, with_hint};

/// Convert a saved graph.json to another format.
///
/// Reads a graph written by `entgraph build` (graph.json) and writes it as dot, json, graphml,
/// gexf, cytoscape, csv, svg, png or html (the interactive page): into a directory with --out (under the format's usual file
/// names: graph.graphml, nodes.csv and edges.csv, ...) or to one file with -o (- for standard
/// output). svg, png and html need Graphviz.
#[derive(Debug, clap::Args)]
#[command(group(ArgGroup::new("dest").args(["out", "output"])))]
#[command(
    after_help = "Examples:\n  entgraph export --format graphml --out output       # output/graph.json -> output/graph.graphml\n  entgraph export --graph g/graph.json --format csv --out g   # g/nodes.csv, g/edges.csv\n  entgraph export --format svg -o seeds.svg\n  entgraph export --format gexf -o - | gzip > graph.gexf.gz"
)]
pub struct Args {
    /// The graph to convert (graph.json as written by `entgraph build`)
    #[arg(long, value_name = "FILE", default_value = "output/graph.json")]
    graph: PathBuf,
    /// Output format: dot, json, graphml, gexf, cytoscape, csv, svg, png or html
    #[arg(long, short, value_name = "FORMAT", value_parser = parse_format)]
    format: String,
    /// Write the format's files into this directory (created if missing)
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Write to this one file instead, or - for standard output (not for csv, which writes two files)
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
    /// Print nothing but errors
    #[arg(long, short)]
    quiet: bool,
    /// Drop edges seen fewer than N times
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..), help_heading = HEADING)]
    min_weight: u64,
    /// The drawing filters (--top, --types, --ego, --depth), applied to the format written
    #[command(flatten)]
    filter: FilterArgs,
    #[command(flatten)]
    measure: MeasureArgs,
    /// --min-score and --backbone apply to any format here; --max-nodes and --edges-per-node to svg and png
    #[command(flatten)]
    prune: PruneArgs,
}

/// Parses one format name (for `--format` and each of `--formats`): one of the registered exporters.
pub fn parse_format(s: &str) -> Result<String, String> {
    if export::format_names().contains(&s) {
        Ok(s.to_string())
    } else {
        Err(unknown_format(s))
    }
}

fn unknown_format(s: &str) -> String {
    format!(
        "unknown format '{s}' (valid formats: {})",
        export::format_names().join(", ")
    )
}

/// The exporters for these format names, each once, in the order given; fails (before any work)
/// when one of them cannot be written on this machine, e.g. svg without Graphviz.
pub fn exporters_for(formats: &[String]) -> Result<Vec<Box<dyn Exporter>>> {
    let mut out: Vec<Box<dyn Exporter>> = Vec::new();
    for f in formats {
        if out.iter().any(|e| e.name() == f) {
            continue;
        }
        let e = export::exporter(f).with_context(|| unknown_format(f))?;
        e.check()?;
        out.push(e);
    }
    Ok(out)
}

/// `a`, `a and b`, `a, b and c`.
pub fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Fails, before any work, when files cannot be written into `dir`: it exists and is not a
/// directory, or it (or, when it does not exist yet, its nearest existing ancestor, where it would
/// be created) is not a writable directory. Leaves nothing behind: writability is probed with a
/// temporary file that is removed at once.
pub fn check_out_dir(dir: &Path) -> Result<()> {
    if dir.exists() && !dir.is_dir() {
        return Err(path_error(
            dir,
            "exists and is not a directory",
            "choose another --out",
        ));
    }
    let mut existing = dir;
    while !existing.as_os_str().is_empty() && std::fs::symlink_metadata(existing).is_err() {
        match existing.parent() {
            Some(p) => existing = p,
            None => break,
        }
    }
    let existing = if existing.as_os_str().is_empty() {
        Path::new(".")
    } else {
        existing
    };
    if !existing.is_dir() {
        return Err(path_error(
            dir,
            &format!(
                "cannot create the output directory: {} is not a directory",
                existing.display()
            ),
            "choose another --out",
        ));
    }
    probe_writable(existing).map_err(|e| {
        let what = if existing == dir {
            format!("output directory is not writable ({})", io_reason(&e))
        } else {
            format!(
                "cannot create the output directory in {} ({})",
                existing.display(),
                io_reason(&e)
            )
        };
        path_error(dir, &what, "choose another --out")
    })
}

/// Creates and removes a temporary file in `dir` (a new one, as the outputs' temporary files are).
fn probe_writable(dir: &Path) -> std::io::Result<()> {
    tempfile::Builder::new()
        .prefix(".entgraph.probe.")
        .suffix(".tmp")
        .tempfile_in(dir)?
        .close()
}

/// Fails, before any work, when one of the files these exporters would write into `dir` (plus
/// `extra`, such as mentions.jsonl) exists as a directory: it could not be replaced.
pub fn check_out_files(dir: &Path, exporters: &[Box<dyn Exporter>], extra: &[&str]) -> Result<()> {
    let names = exporters
        .iter()
        .flat_map(|e| e.file_names())
        .chain(extra.iter().copied());
    for name in names {
        let path = dir.join(name);
        if path.is_dir() {
            return Err(path_error(
                &path,
                "is a directory, cannot write the output file",
                "remove it, or choose another --out",
            ));
        }
    }
    Ok(())
}

/// Reads a saved graph.json.
pub fn load_graph(path: &Path) -> Result<Graph> {
    let bytes = std::fs::read(path).map_err(|e| {
        with_hint(
            entgraph::Error::io(path, e),
            "check --graph: a graph.json written by `entgraph build`",
        )
    })?;
    read_graph(&bytes).map_err(|e| {
        entgraph::Error::Graph {
            path: path.to_path_buf(),
            message: e.to_string(),
        }
        .into()
    })
}

pub fn run(args: Args) -> Result<ExitCode> {
    if args.out.is_none() && args.output.is_none() {
        bail!("say where to write: --out DIR, or -o FILE (- for standard output)");
    }
    let exporter = exporters_for(std::slice::from_ref(&args.format))?.remove(0);
    let files = exporter.file_names();
    if args.output.is_some() && files.len() > 1 {
        bail!(
            "format {} writes {} files ({}): give --out DIR instead of -o",
            exporter.name(),
            files.len(),
            files.join(", ")
        );
    }
    if let Some(dir) = &args.out {
        check_out_dir(dir)?;
    }
    if let Some(file) = args.output.as_deref().filter(|f| *f != Path::new("-")) {
        if file.is_dir() {
            return Err(path_error(file, "is a directory", "use --out DIR"));
        }
        let parent = file.parent().filter(|p| !p.as_os_str().is_empty());
        let parent = parent.unwrap_or(Path::new("."));
        if !parent.is_dir() {
            return Err(path_error(
                file,
                &format!("{} is not a directory", parent.display()),
                "choose another -o",
            ));
        }
        probe_writable(parent).map_err(|e| {
            path_error(
                file,
                &format!("cannot write in {} ({})", parent.display(), io_reason(&e)),
                "choose another -o",
            )
        })?;
    }
    let mut graph = load_graph(&args.graph)?;
    if args.min_weight > 1 {
        let strong = Filter {
            min_weight: args.min_weight,
            ..Filter::default()
        };
        graph = filter(&graph, &strong);
    }
    args.prune.check(&args.measure)?;
    args.measure.apply(&mut graph)?;
    let mut reporter = Reporter::new(args.quiet);
    let scored = args.prune.scored(&graph);
    let filtered = args.filter.apply(&scored.graph, &mut reporter)?;
    let chosen =
        args.filter.top.is_some() || !args.filter.types.is_empty() || args.filter.ego.is_some();
    let picture = args.prune.picture(&filtered.graph, chosen);
    let graph: &Graph = match exporter.name() {
        "svg" | "png" => &picture.graph,
        _ => &filtered.graph,
    };

    let written: Vec<PathBuf> = match (&args.out, &args.output) {
        (_, Some(file)) if file == Path::new("-") => {
            let mut stdout = std::io::stdout().lock();
            exporter.write(graph, &mut stdout)?;
            stdout.flush()?;
            return Ok(ExitCode::SUCCESS);
        }
        (_, Some(file)) => {
            write_atomic(file, |w| exporter.write(graph, w))?;
            vec![file.clone()]
        }
        (Some(dir), None) => {
            std::fs::create_dir_all(dir).map_err(|e| entgraph::Error::io(dir, e))?;
            write_to_dir(exporter.as_ref(), graph, dir)?
        }
        (None, None) => unreachable!("checked above"),
    };
    if !args.quiet {
        let names: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
        eprintln!(
            "entgraph: wrote {} ({} entities, {} edges)",
            and_list(&names),
            graph.node_count(),
            graph.edge_count()
        );
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn and_list_cases() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(and_list(&s(&[])), "");
        assert_eq!(and_list(&s(&["a"])), "a");
        assert_eq!(and_list(&s(&["a", "b"])), "a and b");
        assert_eq!(and_list(&s(&["a", "b", "c"])), "a, b and c");
    }

    #[test]
    fn parse_format_lists_valid_formats() {
        assert_eq!(parse_format("gexf").unwrap(), "gexf");
        assert_eq!(
            parse_format("xml").unwrap_err(),
            "unknown format 'xml' (valid formats: dot, json, graphml, gexf, cytoscape, csv, svg, png, html)"
        );
    }
}
