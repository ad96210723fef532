//! Query benchmarks on a generated graph of 100,000 entities and 1,000,000 edges.
//!
//! The graph is made deterministically (xorshift64* with a fixed seed, no `rand`): each edge joins
//! a node drawn with a strong skew towards low indices (so the first few hundred nodes are hubs with
//! thousands of edges: a power-law-ish degree distribution) to a node drawn uniformly; weights are
//! 1 + a geometric number (most edges 1, a few large), and every edge keeps one evidence sentence,
//! as `build` would. Groups:
//! - `load`: `read_graph` on the graph.json bytes (`JsonExporter` output), and `Graph::from_parts`;
//! - `connect`: shortest paths (K = 5) and `--strongest` (K = 5) between random pairs, and both
//!   with `--max-hops 4 --exclude <the biggest hub>` (checked against the unconstrained hop count);
//! - `neighbors`: depth 1 of the biggest hub, depth 2 of a random entity.
//!
//! Every iteration asserts something about its answer (a path found, hops > 0, neighbours found),
//! so a fast wrong answer fails. Under `cargo test` (no `--bench` argument) criterion runs each
//! benchmark once, on a graph 1/50 the size.
//!
//! Run: `cargo bench --bench query -- --warm-up-time 1 --measurement-time 5`

use std::collections::{BTreeSet, HashSet};
use std::hint::black_box;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use entgraph::export::json::read_graph;
use entgraph::export::{Exporter, JsonExporter};
use entgraph::graph::{Edge, Evidence, Graph, GraphInfo, Link, Node, Window};
use entgraph::query::{ConnectOptions, NeighborOptions, connect, neighbors, resolve_name};
use petgraph::graph::NodeIndex;

/// xorshift64*: small, fast, and the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const TYPES: [&str; 4] = ["person", "film", "place", "organization"];

fn id(i: usize) -> String {
    format!("{}:entity-{i:06}", TYPES[i % 4])
}

/// What [`Graph::from_parts`] takes.
#[derive(Clone)]
struct Parts {
    nodes: Vec<Node>,
    links: Vec<Link>,
    info: GraphInfo,
}

/// The parts of a graph with `n` nodes and `m` distinct edges.
fn parts(n: usize, m: usize, seed: u64) -> Parts {
    let mut rng = Rng(seed);
    let nodes: Vec<Node> = (0..n)
        .map(|i| Node {
            id: id(i),
            label: format!("Entity {i}"),
            kind: TYPES[i % 4].to_string(),
            mentions: 1 + (i % 7) as u64,
            windows: 0,
            community: None,
            documents: vec![format!("docs/{:05}.txt", i % 10_000)],
            aliases: vec![],
        })
        .collect();
    let mut seen: HashSet<(u32, u32)> = HashSet::with_capacity(m);
    let mut edges = Vec::with_capacity(m);
    while edges.len() < m {
        // u^3 concentrates on small indices: node 0 gets ~n^(2/3)/3 times the edges of the median.
        let a = ((rng.unit().powi(3)) * n as f64) as usize;
        let b = rng.below(n);
        if a == b {
            continue;
        }
        let key = (a.min(b) as u32, a.max(b) as u32);
        if !seen.insert(key) {
            continue;
        }
        let weight = 1 + (rng.next() | 1 << 20).trailing_zeros() as u64;
        let text = format!("Entity {a} met Entity {b}.");
        let end = text.chars().count();
        edges.push(Link::new(
            id(a),
            id(b),
            Edge {
                weight,
                evidence: vec![Evidence {
                    doc: format!("docs/{:05}.txt", edges.len() % 10_000).into(),
                    text: text.into(),
                    start: 0,
                    end,
                }],
            },
        ));
    }
    let info = GraphInfo {
        window: Window::Sentence,
        documents: 10_000,
        mentions: 2 * m as u64,
        min_weight: 1,
        ..Default::default()
    };
    Parts {
        nodes,
        links: edges,
        info,
    }
}

/// `count` pairs of distinct nodes drawn uniformly.
fn pairs(n: usize, count: usize, seed: u64) -> Vec<(NodeIndex, NodeIndex)> {
    let mut rng = Rng(seed);
    (0..count)
        .map(|_| {
            loop {
                let (a, b) = (rng.below(n), rng.below(n));
                if a != b {
                    break (NodeIndex::new(a), NodeIndex::new(b));
                }
            }
        })
        .collect()
}

fn sizes() -> (usize, usize) {
    if std::env::args().any(|a| a == "--bench") {
        (100_000, 1_000_000)
    } else {
        (2_000, 20_000)
    }
}

fn benches(c: &mut Criterion) {
    let (n, m) = sizes();
    let parts = parts(n, m, 0x0005_eed0_fe47_9a4f);
    let graph = {
        let p = parts.clone();
        Graph::from_parts(p.nodes, p.links, p.info).unwrap()
    };
    assert_eq!((graph.node_count(), graph.edge_count()), (n, m));
    let mut json = Vec::new();
    JsonExporter.write(&graph, &mut json).unwrap();
    let hub = resolve_name(&graph, "Entity 0").unwrap().index;
    eprintln!(
        "graph: {} nodes, {} edges, graph.json {:.1} MB, largest degree {} ({})",
        n,
        m,
        json.len() as f64 / 1e6,
        graph.petgraph().neighbors(hub).count(),
        graph.petgraph()[hub].label
    );

    let mut load = c.benchmark_group("load");
    load.sample_size(10);
    load.bench_function("read_graph", |b| {
        b.iter_batched(
            || (),
            |()| {
                let g = read_graph(black_box(&json)).unwrap();
                assert_eq!(g.edge_count(), m);
                g
            },
            BatchSize::PerIteration,
        )
    });
    load.bench_function("from_parts", |b| {
        b.iter_batched(
            || parts.clone(),
            |p| {
                let g = Graph::from_parts(p.nodes, p.links, p.info).unwrap();
                assert_eq!(g.node_count(), n);
                g
            },
            BatchSize::PerIteration,
        )
    });
    load.finish();

    let pairs = pairs(n, 256, 42);
    let mut q = c.benchmark_group("connect");
    let no_hub = ConnectOptions {
        exclude: BTreeSet::from([graph.petgraph()[hub].id.clone()]),
        ..Default::default()
    };
    // Outside the timed loop: the hop count of each pair without the hub, to check the answers
    // under --max-hops 4 against.
    let hops_without_hub: Vec<usize> = pairs
        .iter()
        .map(|&(a, b)| connect(&graph, a, b, &no_hub).paths[0].hops())
        .collect();
    for (name, options) in [
        ("shortest_k5", ConnectOptions::default()),
        (
            "strongest_k5",
            ConnectOptions {
                strongest: true,
                ..Default::default()
            },
        ),
        (
            "shortest_k5_max4_exclude_hub",
            ConnectOptions {
                max_hops: Some(4),
                ..no_hub.clone()
            },
        ),
        (
            "strongest_k5_max4_exclude_hub",
            ConnectOptions {
                max_hops: Some(4),
                strongest: true,
                ..no_hub.clone()
            },
        ),
    ] {
        let mut i = 0;
        q.bench_function(name, |b| {
            b.iter(|| {
                let k = i % pairs.len();
                let (from, to) = pairs[k];
                i += 1;
                let found = connect(&graph, from, to, black_box(&options));
                match options.max_hops {
                    Some(h) => assert_eq!(
                        found.paths.is_empty(),
                        hops_without_hub[k] > h,
                        "{name}: a path exactly when one of at most {h} hops avoids the hub"
                    ),
                    None => assert!(!found.paths.is_empty(), "{name}: a path"),
                }
                assert!(found.paths.iter().all(|p| p.hops() > 0));
                found.paths.len()
            })
        });
    }
    q.finish();

    let mut nb = c.benchmark_group("neighbors");
    nb.bench_function("hub_depth1", |b| {
        b.iter(|| {
            let found = neighbors(&graph, hub, &NeighborOptions::default());
            assert!(found.len() > 100);
            found.len()
        })
    });
    let mut i = 0;
    nb.bench_function("random_depth2_top20", |b| {
        b.iter(|| {
            let (node, _) = pairs[i % pairs.len()];
            i += 1;
            let found = neighbors(
                &graph,
                node,
                &NeighborOptions {
                    depth: 2,
                    kind: None,
                    top: Some(20),
                },
            );
            assert!(!found.is_empty());
            found.len()
        })
    });
    nb.finish();
}

criterion_group!(query, benches);
criterion_main!(query);
