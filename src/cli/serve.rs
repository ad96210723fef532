//! `entgraph serve`: the interactive page of a saved graph over HTTP, with a read-only JSON API
//! that answers from the whole graph ([`entgraph::serve::Api`]). tiny_http parses the requests;
//! a fixed pool of threads answers them.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Result, anyhow};
use entgraph::export::Exporter;
use entgraph::serve::Api;

use super::export::load_graph;
use super::source::DEFAULT_GRAPH;

/// Serve a graph as an interactive page with a JSON API, on 127.0.0.1.
///
/// Opens the page of --graph (search, details with evidence, connect, filters) at
/// http://127.0.0.1:PORT/; its JSON API (/api/search, /api/entity, /api/neighbors, /api/connect,
/// /api/evidence, /api/view) answers from the whole graph, so graphs too large to draw can be
/// explored. Read-only: no file but --graph is ever read. Runs until stopped (Ctrl-C). Needs
/// Graphviz for the drawing.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  entgraph serve                                   # output/graph.json on http://127.0.0.1:8080/\n  entgraph serve --graph big/graph.json --port 9000\n  entgraph serve --bind 0.0.0.0                    # reachable from other machines: think twice"
)]
pub struct Args {
    /// The graph to serve (graph.json as written by `entgraph build`)
    #[arg(long, value_name = "FILE", default_value = DEFAULT_GRAPH)]
    graph: PathBuf,
    /// The port (0: any free port, printed at start)
    #[arg(long, short, value_name = "N", default_value_t = 8080)]
    port: u16,
    /// The address to listen on; anything but a loopback address makes the graph readable by
    /// other machines
    #[arg(long, value_name = "ADDR", default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    bind: IpAddr,
    /// Threads answering requests
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=256))]
    threads: u16,
    /// The page's title [default: entgraph]
    #[arg(long, value_name = "TEXT")]
    title: Option<String>,
    /// Print nothing but errors
    #[arg(long, short)]
    quiet: bool,
}

pub fn run(args: Args) -> Result<ExitCode> {
    entgraph::export::HtmlExporter.check()?;
    let started = std::time::Instant::now();
    let graph = load_graph(&args.graph)?;
    let (nodes, edges) = (graph.node_count(), graph.edge_count());
    let api = Arc::new(Api::new(graph, args.title.clone())?);
    let addr = SocketAddr::new(args.bind, args.port);
    let listener =
        std::net::TcpListener::bind(addr).map_err(|e| anyhow!("cannot listen on {addr}: {e}"))?;
    // Answers go out at once: without TCP_NODELAY (inherited by the accepted connections), the
    // body, written after the headers, waits for the client's delayed ACK (40 ms on Linux).
    socket2::SockRef::from(&listener)
        .set_tcp_nodelay(true)
        .map_err(|e| anyhow!("cannot set TCP_NODELAY on {addr}: {e}"))?;
    let server = tiny_http::Server::from_listener(listener, None)
        .map_err(|e| anyhow!("cannot listen on {addr}: {e}"))?;
    let server = Arc::new(server);
    let local = server
        .server_addr()
        .to_ip()
        .map_or_else(|| addr.to_string(), |a| a.to_string());
    if !args.quiet {
        if !args.bind.is_loopback() {
            eprintln!(
                "entgraph: warning: listening on {}: every machine that can reach it can read the graph",
                args.bind
            );
        }
        eprintln!(
            "entgraph: serving {} ({nodes} entities, {edges} links, ready in {:.1} s) at http://{local}/ (Ctrl-C to stop)",
            args.graph.display(),
            started.elapsed().as_secs_f64()
        );
    }
    let workers: Vec<_> = (0..args.threads)
        .map(|_| {
            let (server, api) = (Arc::clone(&server), Arc::clone(&api));
            std::thread::spawn(move || {
                // recv fails only when the server is shut down.
                while let Ok(request) = server.recv() {
                    answer(&api, request);
                }
            })
        })
        .collect();
    for w in workers {
        let _ = w.join();
    }
    Ok(ExitCode::SUCCESS)
}

/// Answers one request; a client that went away is not an error.
fn answer(api: &Api, request: tiny_http::Request) {
    let method = request.method().as_str().to_string();
    let response = api.handle(&method, request.url());
    let header = |k: &str, v: &str| {
        tiny_http::Header::from_bytes(k.as_bytes(), v.as_bytes()).expect("a valid header")
    };
    let reply = tiny_http::Response::from_data(response.body)
        .with_status_code(response.status)
        .with_header(header("Content-Type", response.content_type))
        .with_header(header("X-Content-Type-Options", "nosniff"))
        .with_header(header("Cache-Control", "no-store"));
    let _ = request.respond(reply);
}
