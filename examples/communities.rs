//! Times community detection on a saved graph: `cargo run --release --example communities --
//! output/graph.json [RESOLUTION]` prints the graph's size, the communities found, their
//! modularity and the seconds Leiden took (reading the file is not counted).

use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or("usage: communities GRAPH.json [RESOLUTION]")?;
    let resolution: f64 = args.next().map_or(Ok(1.0), |r| r.parse())?;
    let bytes = std::fs::read(&path)?;
    let mut graph = entgraph::export::json::read_graph(&bytes)?;
    let started = Instant::now();
    graph.detect_communities(resolution);
    let seconds = started.elapsed().as_secs_f64();
    let communities = graph.communities();
    println!(
        "{path}: {} entities, {} edges; {} communities (largest {}), modularity {:.4}; Leiden {:.2} s",
        graph.node_count(),
        graph.edge_count(),
        communities.len(),
        communities.first().map_or(0, |c| c.members.len()),
        graph.modularity(resolution),
        seconds
    );
    Ok(())
}
