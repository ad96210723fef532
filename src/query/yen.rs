//! The K strongest chains: Yen's K shortest loopless paths with edge cost 1/weight, each spur path
//! found by a bidirectional Dijkstra (or, under a hop limit, a Dijkstra over (node, hops) states).
//!
//! Yen's algorithm: the best path comes first; the i-th next one is the cheapest deviation from a
//! path already found — for each spur node along it, the root before it is fixed, the root's nodes
//! are removed, and so is every edge out of the spur node that a found path with the same root
//! takes. Candidates wait in a pool ordered by (cost, weight descending, labels, ids), costs
//! compared to 10⁻⁹ so that equal sums of fractions tie whatever the order of addition.
//!
//! Ties: paths of equal cost come out in that order; which of several equal-cost spur paths a
//! Dijkstra run returns depends only on the graph (heap ties go to the lower node index), so the
//! answer is deterministic.

use std::cmp::{Ordering, Reverse};
use std::collections::{BinaryHeap, HashSet};

use petgraph::graph::{EdgeIndex, NodeIndex};
use petgraph::visit::EdgeRef;

use super::connect::Path;
use super::{Allowed, cmp_labels, cost, other};
use crate::graph::Graph;

/// A heap entry, ordered cheapest first, then lower index.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Entry {
    cost: f64,
    /// A node index ([`bidijkstra`]) or a state index ([`hop_limited`]).
    at: u32,
}

impl Eq for Entry {}
impl Ord for Entry {
    fn cmp(&self, o: &Self) -> Ordering {
        self.cost.total_cmp(&o.cost).then(self.at.cmp(&o.at))
    }
}
impl PartialOrd for Entry {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

/// What one spur search may not use.
struct Bans<'a> {
    allowed: &'a Allowed,
    /// Root nodes before the spur node.
    nodes: &'a [NodeIndex],
    /// Nodes the spur node may not step to directly.
    next: &'a [NodeIndex],
    spur: NodeIndex,
    /// Spur paths costing more than this are of no use (the pool already holds enough cheaper
    /// candidates): searches stop there.
    bound: f64,
}

impl Bans<'_> {
    #[inline]
    fn node_ok(&self, v: NodeIndex) -> bool {
        self.allowed.get(v) && !self.nodes.contains(&v)
    }
    #[inline]
    fn edge_ok(&self, u: NodeIndex, v: NodeIndex) -> bool {
        !((u == self.spur && self.next.contains(&v)) || (v == self.spur && self.next.contains(&u)))
    }
}

/// How a search reached a node: from node `node` over edge `edge` ([`NONE`] for the start).
#[derive(Debug, Clone, Copy)]
struct Pred {
    node: u32,
    edge: u32,
}

const NO_PRED: Pred = Pred {
    node: NONE,
    edge: NONE,
};

/// A path found by one search.
struct Walk {
    nodes: Vec<NodeIndex>,
    edges: Vec<EdgeIndex>,
}

/// Reusable arrays for the searches of one query (reset through a touched list, so a search costs
/// what it explores, not |V|).
struct Work {
    dist: [Vec<f64>; 2],
    pred: [Vec<Pred>; 2],
    done: [Vec<bool>; 2],
    touched: Vec<usize>,
}

const NONE: u32 = u32::MAX;

impl Work {
    fn new(n: usize) -> Work {
        Work {
            dist: [vec![f64::INFINITY; n], vec![f64::INFINITY; n]],
            pred: [vec![NO_PRED; n], vec![NO_PRED; n]],
            done: [vec![false; n], vec![false; n]],
            touched: Vec::new(),
        }
    }
    fn reset(&mut self) {
        for &i in &self.touched {
            for side in 0..2 {
                self.dist[side][i] = f64::INFINITY;
                self.pred[side][i] = NO_PRED;
                self.done[side][i] = false;
            }
        }
        self.touched.clear();
    }
}

/// The cheapest path from `s` to `t` under `bans`, by bidirectional Dijkstra: both searches grow,
/// the one with the cheaper next node first, and stop when the two heap minima add up to at least
/// the best s–t cost seen so far.
fn bidijkstra(
    graph: &Graph,
    s: NodeIndex,
    t: NodeIndex,
    bans: &Bans,
    w: &mut Work,
) -> Option<Walk> {
    let g = graph.petgraph();
    w.reset();
    let ends = [s, t];
    let mut heaps = [BinaryHeap::new(), BinaryHeap::new()];
    for side in 0..2 {
        let i = ends[side].index();
        w.dist[side][i] = 0.0;
        w.touched.push(i);
        heaps[side].push(Reverse(Entry {
            cost: 0.0,
            at: i as u32,
        }));
    }
    let mut best = f64::INFINITY;
    /// Where the two searches meet: a node each side reached and the edge between them.
    struct Meeting {
        s_side: u32,
        edge: u32,
        t_side: u32,
    }
    let mut meet: Option<Meeting> = None;
    loop {
        let top = |h: &BinaryHeap<Reverse<Entry>>| h.peek().map_or(f64::INFINITY, |e| e.0.cost);
        let (a, b) = (top(&heaps[0]), top(&heaps[1]));
        if a + b >= best || a + b > bans.bound || (a.is_infinite() && b.is_infinite()) {
            break;
        }
        let side = usize::from(b < a);
        let Reverse(Entry { cost: c, at: u }) = heaps[side].pop().expect("non-empty heap");
        let ui = u as usize;
        if w.done[side][ui] || c > w.dist[side][ui] {
            continue;
        }
        w.done[side][ui] = true;
        let un = NodeIndex::new(ui);
        for e in g.edges(un) {
            let v = other(&e, un);
            if v == un || !bans.node_ok(v) || !bans.edge_ok(un, v) {
                continue;
            }
            let vi = v.index();
            let nc = c + cost(graph, e.id());
            if nc < w.dist[side][vi] {
                if w.dist[0][vi].is_infinite() && w.dist[1][vi].is_infinite() {
                    w.touched.push(vi);
                }
                w.dist[side][vi] = nc;
                w.pred[side][vi] = Pred {
                    node: u,
                    edge: e.id().index() as u32,
                };
                heaps[side].push(Reverse(Entry {
                    cost: nc,
                    at: vi as u32,
                }));
            }
            let through = nc + w.dist[1 - side][vi];
            if through < best {
                best = through;
                let (s_side, t_side) = if side == 0 {
                    (u, vi as u32)
                } else {
                    (vi as u32, u)
                };
                meet = Some(Meeting {
                    s_side,
                    edge: e.id().index() as u32,
                    t_side,
                });
            }
        }
    }
    let meet = meet?;
    if best > bans.bound {
        return None;
    }
    // The path back from a node to the start of one side's search.
    let walk_back = |side: usize, from: u32| {
        let mut walk = Walk {
            nodes: vec![NodeIndex::new(from as usize)],
            edges: Vec::new(),
        };
        let mut cur = from as usize;
        while w.pred[side][cur].node != NONE {
            let pred = w.pred[side][cur];
            walk.edges.push(EdgeIndex::new(pred.edge as usize));
            walk.nodes.push(NodeIndex::new(pred.node as usize));
            cur = pred.node as usize;
        }
        walk
    };
    let mut path = walk_back(0, meet.s_side);
    path.nodes.reverse();
    path.edges.reverse();
    path.edges.push(EdgeIndex::new(meet.edge as usize));
    let to_t = walk_back(1, meet.t_side);
    path.nodes.extend(to_t.nodes);
    path.edges.extend(to_t.edges);
    Some(path)
}

/// The cheapest path from `s` to `t` with at most `hops` edges: Dijkstra over (node, hops used)
/// states, where a state is dropped when the node was already settled with no more hops (it is then
/// dominated), or when even the fewest remaining hops (`lower[v]`, BFS distances to `t` without the
/// bans) would exceed the limit.
fn hop_limited(
    graph: &Graph,
    s: NodeIndex,
    t: NodeIndex,
    bans: &Bans,
    hops: usize,
    lower: &[u32],
) -> Option<Walk> {
    let g = graph.petgraph();
    /// A node reached with `hops` edges, from state `parent` over `edge` ([`NONE`] for the start).
    struct State {
        node: u32,
        hops: u32,
        parent: u32,
        edge: u32,
    }
    let mut states: Vec<State> = vec![State {
        node: s.index() as u32,
        hops: 0,
        parent: NONE,
        edge: NONE,
    }];
    let mut settled_hops: std::collections::HashMap<u32, u32> = std::collections::HashMap::new();
    let mut heap = BinaryHeap::new();
    heap.push(Reverse(Entry { cost: 0.0, at: 0 }));
    // Entries hold state indices here; the cost of the state is its key.
    while let Some(Reverse(Entry { cost: c, at: si })) = heap.pop() {
        if c > bans.bound {
            return None;
        }
        let (u, h) = (states[si as usize].node, states[si as usize].hops);
        if settled_hops.get(&u).is_some_and(|&best| best <= h) {
            continue;
        }
        settled_hops.insert(u, h);
        let un = NodeIndex::new(u as usize);
        if un == t {
            let mut walk = Walk {
                nodes: Vec::new(),
                edges: Vec::new(),
            };
            let mut cur = si;
            while cur != NONE {
                let state = &states[cur as usize];
                walk.nodes.push(NodeIndex::new(state.node as usize));
                if state.edge != NONE {
                    walk.edges.push(EdgeIndex::new(state.edge as usize));
                }
                cur = state.parent;
            }
            walk.nodes.reverse();
            walk.edges.reverse();
            return Some(walk);
        }
        if h as usize >= hops {
            continue;
        }
        for e in g.edges(un) {
            let v = other(&e, un);
            let vi = v.index();
            if v == un
                || !bans.node_ok(v)
                || !bans.edge_ok(un, v)
                || lower[vi] == NONE
                || (h + 1 + lower[vi]) as usize > hops
                || settled_hops.get(&(vi as u32)).is_some_and(|&b| b <= h + 1)
            {
                continue;
            }
            // no loops: a state never returns to a node on its own chain (costs are positive, so a
            // loop never helps; the check keeps paths simple when costs tie)
            let mut cur = si;
            let mut on_chain = false;
            while cur != NONE {
                if states[cur as usize].node == vi as u32 {
                    on_chain = true;
                    break;
                }
                cur = states[cur as usize].parent;
            }
            if on_chain {
                continue;
            }
            let step = cost(graph, e.id());
            if !step.is_finite() {
                continue;
            }
            states.push(State {
                node: vi as u32,
                hops: h + 1,
                parent: si,
                edge: e.id().index() as u32,
            });
            heap.push(Reverse(Entry {
                cost: c + step,
                at: (states.len() - 1) as u32,
            }));
        }
    }
    None
}

/// Hop distances to `t` over allowed nodes, up to `limit` (`NONE` beyond).
fn hops_to(graph: &Graph, t: NodeIndex, allowed: &Allowed, limit: usize) -> Vec<u32> {
    let g = graph.petgraph();
    let mut d = vec![NONE; g.node_count()];
    d[t.index()] = 0;
    let mut frontier = vec![t];
    let mut depth = 0;
    while !frontier.is_empty() && depth < limit as u32 {
        depth += 1;
        let mut next = Vec::new();
        for &u in &frontier {
            for v in g.neighbors(u) {
                if d[v.index()] == NONE && allowed.get(v) {
                    d[v.index()] = depth;
                    next.push(v);
                }
            }
        }
        frontier = next;
    }
    d
}

/// The cost as an integer in units of 10⁻⁹: sums of the same fractions added in another order
/// differ in their last bits, and must still tie.
pub(crate) fn cost_key(cost: f64) -> u64 {
    (cost * 1e9).round() as u64
}

fn rank(graph: &Graph, a: &Path, b: &Path) -> Ordering {
    cost_key(a.cost)
        .cmp(&cost_key(b.cost))
        .then_with(|| b.weight.cmp(&a.weight))
        .then_with(|| cmp_labels(graph.petgraph(), &a.nodes, &b.nodes))
}

/// The K cheapest loopless paths from `s` to `t` (`s != t`) by Σ 1/weight, cheapest first.
///
/// # Complexity
/// Yen's algorithm runs at most K·h spur searches for paths of up to h hops (a search stops early
/// once it cannot beat the candidates already waiting). Each is a
/// bidirectional Dijkstra, O((|V| + |E|) log |V|) at worst but usually a small ball around each
/// end; with `max_hops` = H, a Dijkstra over (node, hops) states, O(H·(|V| + |E|) log(H·|V|)) at
/// worst, plus one BFS of O(|V| + |E|) for the hop bounds. Arrays of O(|V|) are allocated once.
pub(crate) fn k_strongest(
    graph: &Graph,
    s: NodeIndex,
    t: NodeIndex,
    allowed: &Allowed,
    max_hops: Option<usize>,
    k: usize,
) -> Vec<Path> {
    let n = graph.node_count();
    let mut work = Work::new(n);
    let lower = max_hops.map(|h| hops_to(graph, t, allowed, h));
    let search =
        |from: NodeIndex, bans: &Bans, used: usize, work: &mut Work| match (max_hops, &lower) {
            (Some(h), Some(lower)) => {
                hop_limited(graph, from, t, bans, h.checked_sub(used)?, lower)
            }
            _ => bidijkstra(graph, from, t, bans, work),
        };
    let Some(first) = search(
        s,
        &Bans {
            allowed,
            nodes: &[],
            next: &[],
            spur: s,
            bound: f64::INFINITY,
        },
        0,
        &mut work,
    ) else {
        return Vec::new();
    };
    let mut found = vec![Path::new(graph, first.nodes, first.edges)];
    let mut pool: Vec<Path> = Vec::new();
    let mut seen: HashSet<Vec<NodeIndex>> = HashSet::new();
    seen.insert(found[0].nodes.clone());
    while found.len() < k {
        let last = found.last().expect("one path found").clone();
        for i in 0..last.hops() {
            let root = &last.nodes[..=i];
            // With `need` more paths to find and `need` candidates already in the pool, nothing
            // costlier than the need-th of them can be chosen.
            let need = k - found.len();
            let bound = if pool.len() >= need {
                let mut costs: Vec<f64> = pool.iter().map(|p| p.cost).collect();
                costs.sort_by(f64::total_cmp);
                let root_cost: f64 = last.edges[..i].iter().map(|&e| cost(graph, e)).sum();
                costs[need - 1] - root_cost + 1e-9
            } else {
                f64::INFINITY
            };
            let next: Vec<NodeIndex> = found
                .iter()
                .filter(|p| p.nodes.len() > i + 1 && &p.nodes[..=i] == root)
                .map(|p| p.nodes[i + 1])
                .collect();
            let bans = Bans {
                allowed,
                nodes: &root[..i],
                next: &next,
                spur: root[i],
                bound,
            };
            let Some(spur) = search(root[i], &bans, i, &mut work) else {
                continue;
            };
            let mut nodes = root[..i].to_vec();
            nodes.extend(spur.nodes);
            if !seen.insert(nodes.clone()) {
                continue;
            }
            let mut edges = last.edges[..i].to_vec();
            edges.extend(spur.edges);
            pool.push(Path::new(graph, nodes, edges));
        }
        if pool.is_empty() {
            break;
        }
        // the best candidate: the minimum under `rank`, taken out of the pool
        let best = (0..pool.len())
            .min_by(|&a, &b| rank(graph, &pool[a], &pool[b]))
            .expect("non-empty pool");
        found.push(pool.swap_remove(best));
    }
    found.sort_by(|a, b| rank(graph, a, b));
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::testgraphs::{graph, ix};

    #[test]
    fn yen_classic_example() {
        // The graph of Yen's example (C, D, E, F, G, H), weights chosen so that 1/weight gives the
        // costs 3, 2, 4, 1, 2, 3, 2, 1, 2 scaled: weight = 12 / cost.
        let g = graph(
            &["C", "D", "E", "F", "G", "H"],
            &[
                (0, 1, 4),  // C-D cost 3
                (0, 2, 6),  // C-E cost 2
                (1, 3, 3),  // D-F cost 4
                (2, 1, 12), // E-D cost 1
                (2, 3, 6),  // E-F cost 2
                (2, 4, 4),  // E-G cost 3
                (3, 4, 6),  // F-G cost 2
                (3, 5, 12), // F-H cost 1
                (4, 5, 6),  // G-H cost 2
            ],
        );
        let paths = k_strongest(&g, ix(&g, "C"), ix(&g, "H"), &Allowed::all(), None, 3);
        let got: Vec<String> = paths.iter().map(|p| p.labels(&g).concat()).collect();
        // costs ×12: CEFH 5, then CDEFH and CEGH 7 (the heavier first), CDFH 8
        assert_eq!(got, ["CEFH", "CDEFH", "CEGH"]);
        let costs: Vec<f64> = paths.iter().map(|p| (p.cost * 12.0).round()).collect();
        assert_eq!(costs, [5.0, 7.0, 7.0]);
    }

    #[test]
    fn yen_hop_limit_prefers_fewer_hops_when_needed() {
        // a-b-c-d strong (weight 10 each) and a-d weak (weight 1)
        let g = graph(
            &["a", "b", "c", "d"],
            &[(0, 1, 10), (1, 2, 10), (2, 3, 10), (0, 3, 1)],
        );
        let (a, d) = (ix(&g, "a"), ix(&g, "d"));
        let all = k_strongest(&g, a, d, &Allowed::all(), None, 5);
        assert_eq!(all[0].labels(&g), ["a", "b", "c", "d"]);
        assert_eq!(all.len(), 2);
        let short = k_strongest(&g, a, d, &Allowed::all(), Some(2), 5);
        assert_eq!(short.len(), 1);
        assert_eq!(short[0].labels(&g), ["a", "d"]);
        let three = k_strongest(&g, a, d, &Allowed::all(), Some(3), 5);
        assert_eq!(three.len(), 2);
    }
}
