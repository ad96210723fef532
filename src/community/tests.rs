use super::leiden::{Net, leiden};
use super::*;
use crate::graph::{Edge, GraphInfo, Link, Node};

fn node(i: usize) -> Node {
    Node {
        id: format!("n{i:04}"),
        label: format!("N{i}"),
        kind: "t".into(),
        mentions: 1,
        windows: 1,
        community: None,
        documents: vec![],
        aliases: vec![],
    }
}

fn graph(n: usize, edges: &[(usize, usize, u64)]) -> Graph {
    let links = edges
        .iter()
        .map(|&(a, b, weight)| {
            Link::new(
                format!("n{a:04}"),
                format!("n{b:04}"),
                Edge {
                    weight,
                    evidence: vec![],
                },
            )
        })
        .collect();
    Graph::from_parts((0..n).map(node).collect(), links, GraphInfo::default()).unwrap()
}

/// A planted partition: `groups` groups of `size` nodes, dense inside, sparse between, with
/// weights from a fixed generator.
fn planted(groups: usize, size: usize, seed: u64) -> Vec<(usize, usize, u64)> {
    let mut x = seed | 1;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let n = groups * size;
    let mut edges = Vec::new();
    for a in 0..n {
        for b in a + 1..n {
            let same = a / size == b / size;
            let r = next() % 100;
            if (same && r < 40) || (!same && r < 2) {
                edges.push((a, b, 1 + next() % 5));
            }
        }
    }
    edges
}

/// Modularity straight from the definition: Σ_ij [A_ij − γ k_i k_j / 2m] δ(c_i, c_j) / 2m.
fn modularity_naive(n: usize, edges: &[(usize, usize, u64)], c: &[u32], gamma: f64) -> f64 {
    let mut a = vec![vec![0.0; n]; n];
    for &(x, y, w) in edges {
        a[x][y] += w as f64;
        a[y][x] += w as f64;
    }
    let k: Vec<f64> = a.iter().map(|r| r.iter().sum()).collect();
    let m2: f64 = k.iter().sum();
    let mut q = 0.0;
    for i in 0..n {
        for j in 0..n {
            if c[i] == c[j] {
                q += a[i][j] - gamma * k[i] * k[j] / m2;
            }
        }
    }
    q / m2
}

#[test]
fn community_two_cliques_split_at_the_bridge() {
    let mut edges = Vec::new();
    for base in [0, 5] {
        for a in 0..5 {
            for b in a + 1..5 {
                edges.push((base + a, base + b, 3));
            }
        }
    }
    edges.push((4, 5, 1));
    let mut g = graph(11, &edges);
    g.detect_communities(1.0);
    let c: Vec<u32> = g.nodes().map(|n| n.community.unwrap()).collect();
    // Equal sizes: the one with the smaller id is 1; the node without edges is alone, last.
    assert_eq!(c, [1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3]);
    let communities = g.communities();
    assert_eq!(communities.len(), 3);
    assert_eq!(communities[0].members.len(), 5);
    // Node 4 has the bridge: the strongest member of community 1.
    assert_eq!(communities[0].members[0].index(), 4);
}

#[test]
fn community_leiden_on_planted_partitions() {
    for seed in 1..6u64 {
        let edges = planted(6, 20, seed);
        let mut g = graph(120, &edges);
        g.detect_communities(1.0);
        let c: Vec<u32> = g.nodes().map(|n| n.community.unwrap()).collect();
        let q = g.modularity(1.0);
        assert!((q - modularity_naive(120, &edges, &c, 1.0)).abs() < 1e-12);
        // The planted partition itself.
        let planted_c: Vec<u32> = (0..120).map(|i| i as u32 / 20).collect();
        let q_planted = modularity_naive(120, &edges, &planted_c, 1.0);
        assert!(
            q >= 0.995 * q_planted,
            "seed {seed}: {q} well below planted {q_planted}"
        );
        // Same graph, same partition.
        let mut again = graph(120, &edges);
        again.detect_communities(1.0);
        assert_eq!(
            again.nodes().map(|n| n.community).collect::<Vec<_>>(),
            g.nodes().map(|n| n.community).collect::<Vec<_>>()
        );
    }
}

#[test]
fn community_every_community_is_connected_and_resolution_matters() {
    // A ring of small cliques: at high resolution many communities, each connected.
    let mut edges = Vec::new();
    for k in 0..30 {
        let base = k * 4;
        for a in 0..4 {
            for b in a + 1..4 {
                edges.push((base + a, base + b, 2));
            }
        }
        edges.push((base + 3, (base + 4) % 120, 1));
    }
    let mut counts = Vec::new();
    for gamma in [0.2, 1.0, 5.0] {
        let mut g = graph(120, &edges);
        g.detect_communities(gamma);
        for c in g.communities() {
            // Connected: a search from the first member inside the community reaches them all.
            let inside: std::collections::HashSet<usize> =
                c.members.iter().map(|m| m.index()).collect();
            let mut seen = std::collections::HashSet::from([c.members[0].index()]);
            let mut stack = vec![c.members[0]];
            while let Some(v) = stack.pop() {
                for u in g.petgraph().neighbors(v) {
                    if inside.contains(&u.index()) && seen.insert(u.index()) {
                        stack.push(u);
                    }
                }
            }
            assert_eq!(
                seen.len(),
                inside.len(),
                "gamma {gamma}: community {}",
                c.number
            );
        }
        // Numbered by size.
        let sizes: Vec<usize> = g.communities().iter().map(|c| c.members.len()).collect();
        assert!(sizes.windows(2).all(|w| w[0] >= w[1]));
        counts.push(sizes.len());
    }
    // At γ = 1 the resolution limit merges neighbouring cliques of this ring; at 5 each is alone.
    assert!(counts[0] < counts[1] && counts[1] < counts[2], "{counts:?}");
    assert_eq!(counts[2], 30);
}

#[test]
fn community_net_modularity_of_singletons_and_one_block() {
    let net = Net::new(3, &[(0, 1, 1.0), (1, 2, 1.0)]);
    // All in one: 1 − 1 = 0.
    assert!(net.modularity(&[0, 0, 0], 1.0).abs() < 1e-12);
    // Alone: −Σ k²/(2m)² = −(1 + 4 + 1)/16.
    assert!((net.modularity(&[0, 1, 2], 1.0) + 6.0 / 16.0).abs() < 1e-12);
    assert_eq!(leiden(&Net::new(0, &[]), 1.0, 1, 3), Vec::<usize>::new());
}
