//! The Leiden algorithm (Traag, Waltman and van Eck, "From Louvain to Leiden: guaranteeing
//! well-connected communities", Scientific Reports 9, 2019) maximizing modularity with a resolution
//! γ, on a weighted undirected graph:
//!
//! 1. **local moving**: nodes, taken from a queue in a seeded random order, move to the neighbouring
//!    community with the largest gain k(v,C) − γ k(v) K(C) / 2m (or stay); the neighbours of a node
//!    that moved, outside its new community, go back on the queue;
//! 2. **refinement**: inside each community, from singletons, a node that is still alone and well
//!    connected to its community merges into the well-connected sub-community with the largest
//!    non-negative gain among those it has an edge to (the greedy form of the paper's randomized
//!    choice), so every sub-community is connected;
//! 3. **aggregation**: each sub-community becomes one node, starting in its community;
//!
//! repeated until local moving leaves every node alone, and the whole run repeated from the
//! partition found while modularity grows. Everything runs on one thread with a fixed seed: the
//! same graph gives the same partition.
//!
//! # Complexity
//! O(|E|) per pass of local moving, refinement and aggregation; the passes shrink the graph
//! geometrically in practice.

/// A weighted undirected graph in compressed rows, as Leiden works on it.
#[derive(Debug, Clone)]
pub(crate) struct Net {
    /// Row `v` of `targets` and `weights` is `offsets[v]..offsets[v + 1]` (no self-loops there).
    offsets: Vec<usize>,
    targets: Vec<u32>,
    weights: Vec<f64>,
    /// The self-loop of each node (the weight inside it, counted as A_vv).
    self_loops: Vec<f64>,
    /// Each node's strength k(v): its row's weights plus its self-loop.
    strength: Vec<f64>,
    /// 2m: the sum of the strengths.
    total: f64,
}

impl Net {
    /// The graph of `n` nodes and these edges (`a != b`; a pair given twice adds up). Each row
    /// lists its edges in the order given.
    pub fn new(n: usize, edges: &[(u32, u32, f64)]) -> Net {
        let kept = || edges.iter().filter(|&&(a, b, w)| a != b && w > 0.0);
        let mut offsets = vec![0usize; n + 1];
        for &(a, b, _) in kept() {
            offsets[a as usize + 1] += 1;
            offsets[b as usize + 1] += 1;
        }
        for v in 0..n {
            offsets[v + 1] += offsets[v];
        }
        let mut next = offsets[..n].to_vec();
        let (mut targets, mut weights) = (vec![0u32; offsets[n]], vec![0.0; offsets[n]]);
        for &(a, b, w) in kept() {
            for (from, to) in [(a, b), (b, a)] {
                let at = &mut next[from as usize];
                targets[*at] = to;
                weights[*at] = w;
                *at += 1;
            }
        }
        Net::from_csr(offsets, targets, weights, vec![0.0; n])
    }

    /// The graph of these compressed rows; strengths are each row's weights (in row order) plus
    /// its self-loop.
    fn from_csr(
        offsets: Vec<usize>,
        targets: Vec<u32>,
        weights: Vec<f64>,
        self_loops: Vec<f64>,
    ) -> Net {
        let strength: Vec<f64> = (0..self_loops.len())
            .map(|v| {
                weights[offsets[v]..offsets[v + 1]]
                    .iter()
                    .fold(self_loops[v], |k, &w| k + w)
            })
            .collect();
        let total = strength.iter().sum();
        Net {
            offsets,
            targets,
            weights,
            self_loops,
            strength,
            total,
        }
    }

    fn len(&self) -> usize {
        self.strength.len()
    }

    pub(crate) fn row(&self, v: usize) -> impl Iterator<Item = (usize, f64)> + '_ {
        let r = self.offsets[v]..self.offsets[v + 1];
        self.targets[r.clone()]
            .iter()
            .zip(&self.weights[r])
            .map(|(&t, &w)| (t as usize, w))
    }

    /// Modularity of `membership` with resolution `gamma`:
    /// (1/2m) Σ_c [in(c) − γ K(c)² / 2m], in(c) counting each internal edge both ways.
    pub fn modularity(&self, membership: &[u32], gamma: f64) -> f64 {
        if self.total <= 0.0 {
            return 0.0;
        }
        let count = membership
            .iter()
            .map(|&c| c as usize + 1)
            .max()
            .unwrap_or(0);
        let mut inside = vec![0.0; count];
        let mut total = vec![0.0; count];
        for v in 0..self.len() {
            let c = membership[v] as usize;
            total[c] += self.strength[v];
            inside[c] += self.self_loops[v];
            for (t, w) in self.row(v) {
                if membership[t] as usize == c {
                    inside[c] += w;
                }
            }
        }
        let m2 = self.total;
        (0..count)
            .map(|c| inside[c] - gamma * total[c] * total[c] / m2)
            .sum::<f64>()
            / m2
    }
}

/// A small seeded generator (SplitMix64): the same seed gives the same orders everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// 0..n in a random order.
    fn order(&mut self, n: usize) -> Vec<usize> {
        let mut v: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
        v
    }
}

/// The weights from one node to each community it touches, gathered in a reusable dense array.
struct Neighbours {
    weight: Vec<f64>,
    touched: Vec<usize>,
}

impl Neighbours {
    fn new(n: usize) -> Self {
        Neighbours {
            weight: vec![0.0; n],
            touched: Vec::new(),
        }
    }

    /// Adds `w` (> 0) to community `c`; a zero weight means `c` is not in `touched` yet.
    fn add(&mut self, c: usize, w: f64) {
        if self.weight[c] == 0.0 {
            self.touched.push(c);
        }
        self.weight[c] += w;
    }

    fn clear(&mut self) {
        for &c in &self.touched {
            self.weight[c] = 0.0;
        }
        self.touched.clear();
    }
}

/// Local moving: improves `membership` (community numbers below `net.len()`); true when a node moved.
fn move_nodes(net: &Net, membership: &mut [usize], gamma: f64, rng: &mut Rng) -> bool {
    let n = net.len();
    let m2 = net.total;
    let mut total = vec![0.0; n];
    let mut size = vec![0usize; n];
    for v in 0..n {
        total[membership[v]] += net.strength[v];
        size[membership[v]] += 1;
    }
    let mut empty: Vec<usize> = (0..n).filter(|&c| size[c] == 0).collect();
    let mut queue: std::collections::VecDeque<usize> = rng.order(n).into();
    let mut queued = vec![true; n];
    let mut nb = Neighbours::new(n);
    let mut moved = false;
    while let Some(v) = queue.pop_front() {
        queued[v] = false;
        let (old, k) = (membership[v], net.strength[v]);
        total[old] -= k;
        size[old] -= 1;
        if size[old] == 0 {
            empty.push(old);
        }
        for (t, w) in net.row(v) {
            nb.add(membership[t], w);
        }
        let gain = |c: usize, kvc: f64| kvc - gamma * k * total[c] / m2;
        let mut best = old;
        let mut best_gain = gain(old, nb.weight[old]);
        for &c in &nb.touched {
            let g = gain(c, nb.weight[c]);
            if g > best_gain || (g == best_gain && c < best && best != old) {
                best = c;
                best_gain = g;
            }
        }
        // An empty community (gain 0) when every neighbouring one loses.
        if best_gain < 0.0 {
            if let Some(&c) = empty.last() {
                best = c;
            }
        }
        nb.clear();
        // `best` is `old`, a neighbour's community (not empty) or the last empty one; `old`, if
        // it was emptied, is the last empty one.
        if size[best] == 0 {
            debug_assert_eq!(empty.last(), Some(&best));
            empty.pop();
        }
        total[best] += k;
        size[best] += 1;
        membership[v] = best;
        if best != old {
            moved = true;
            for (t, _) in net.row(v) {
                if !queued[t] && membership[t] != best {
                    queued[t] = true;
                    queue.push_back(t);
                }
            }
        }
    }
    moved
}

/// Refinement: sub-communities of each community of `membership`, each connected; returns each
/// node's sub-community (numbers below `net.len()`).
fn refine(net: &Net, membership: &[usize], gamma: f64, rng: &mut Rng) -> Vec<usize> {
    let n = net.len();
    let m2 = net.total;
    let mut community_total = vec![0.0; n];
    for v in 0..n {
        community_total[membership[v]] += net.strength[v];
    }
    let mut refined: Vec<usize> = (0..n).collect();
    let mut total: Vec<f64> = net.strength.clone();
    let mut alone = vec![true; n];
    // external[r]: the weight from sub-community r to the rest of its community.
    let mut external: Vec<f64> = (0..n)
        .map(|v| {
            net.row(v)
                .filter(|&(t, _)| membership[t] == membership[v])
                .map(|(_, w)| w)
                .sum()
        })
        .collect();
    let mut nb = Neighbours::new(n);
    for v in rng.order(n) {
        if !alone[v] {
            continue;
        }
        let (s, k) = (membership[v], net.strength[v]);
        let well_connected =
            |ext: f64, tot: f64| ext >= gamma * tot * (community_total[s] - tot) / m2;
        if !well_connected(external[v], k) {
            continue;
        }
        for (t, w) in net.row(v) {
            if membership[t] == s {
                nb.add(refined[t], w);
            }
        }
        let mut best = v;
        let mut best_gain = 0.0;
        for &r in &nb.touched {
            if r == v || !well_connected(external[r], total[r]) {
                continue;
            }
            let g = nb.weight[r] - gamma * k * total[r] / m2;
            if g > best_gain || (g == best_gain && best != v && r < best) {
                best = r;
                best_gain = g;
            }
        }
        if best != v {
            let kvc = nb.weight[best];
            external[best] = external[best] + external[v] - 2.0 * kvc;
            total[best] += k;
            total[v] = 0.0;
            refined[v] = best;
            alone[v] = false;
            alone[best] = false;
        }
        nb.clear();
    }
    refined
}

/// Numbers `labels` 0, 1, … in order of first appearance; returns the count.
fn renumber(labels: &mut [usize]) -> usize {
    let mut map = vec![usize::MAX; labels.len()];
    let mut next = 0;
    for l in labels.iter_mut() {
        if map[*l] == usize::MAX {
            map[*l] = next;
            next += 1;
        }
        *l = map[*l];
    }
    next
}

/// The graph with each group of `groups` (numbered below `count`) as one node.
fn aggregate(net: &Net, groups: &[usize], count: usize) -> Net {
    // The members of each group, in node order (a counting sort).
    let mut start = vec![0usize; count + 1];
    for &g in groups {
        start[g + 1] += 1;
    }
    for g in 0..count {
        start[g + 1] += start[g];
    }
    let mut members = vec![0usize; groups.len()];
    let mut next = start[..count].to_vec();
    for (v, &g) in groups.iter().enumerate() {
        members[next[g]] = v;
        next[g] += 1;
    }
    let mut self_loops = vec![0.0; count];
    let mut offsets = Vec::with_capacity(count + 1);
    offsets.push(0);
    let (mut targets, mut weights) = (Vec::new(), Vec::new());
    let mut nb = Neighbours::new(count);
    let mut row: Vec<(u32, f64)> = Vec::new();
    for g in 0..count {
        for &v in &members[start[g]..start[g + 1]] {
            self_loops[g] += net.self_loops[v];
            for (t, w) in net.row(v) {
                if groups[t] == g {
                    self_loops[g] += w;
                } else {
                    nb.add(groups[t], w);
                }
            }
        }
        row.clear();
        row.extend(nb.touched.iter().map(|&c| (c as u32, nb.weight[c])));
        row.sort_unstable_by_key(|&(c, _)| c);
        targets.extend(row.iter().map(|&(c, _)| c));
        weights.extend(row.iter().map(|&(_, w)| w));
        offsets.push(targets.len());
        nb.clear();
    }
    Net::from_csr(offsets, targets, weights, self_loops)
}

/// One run of Leiden from `start` (a community per node); returns each node's community.
fn run(net: &Net, start: Vec<usize>, gamma: f64, rng: &mut Rng) -> Vec<usize> {
    // The current level's graph, each original node's node in it, and the partition of its nodes.
    let mut level = net.clone();
    let mut node_of: Vec<usize> = (0..net.len()).collect();
    let mut membership = start;
    loop {
        move_nodes(&level, &mut membership, gamma, rng);
        let communities = renumber(&mut membership);
        if communities == level.len() {
            break;
        }
        let mut refined = refine(&level, &membership, gamma, rng);
        let mut count = renumber(&mut refined);
        if count == level.len() {
            // Refinement merged nothing: aggregate the communities themselves, so the graph shrinks.
            refined.clone_from(&membership);
            count = communities;
        }
        // The aggregate's nodes start in their community.
        let mut start = vec![0; count];
        for v in 0..level.len() {
            start[refined[v]] = membership[v];
        }
        level = aggregate(&level, &refined, count);
        for x in node_of.iter_mut() {
            *x = refined[*x];
        }
        membership = start;
    }
    node_of.iter().map(|&x| membership[x]).collect()
}

/// Leiden, repeated from its own partition while modularity grows (at most `iterations` runs);
/// each node's community, numbered by first appearance.
pub(crate) fn leiden(net: &Net, gamma: f64, seed: u64, iterations: usize) -> Vec<usize> {
    let mut rng = Rng(seed);
    let mut best: Vec<usize> = (0..net.len()).collect();
    let as_u32 = |m: &[usize]| m.iter().map(|&c| c as u32).collect::<Vec<u32>>();
    let mut best_q = net.modularity(&as_u32(&best), gamma);
    for _ in 0..iterations.max(1) {
        let mut m = run(net, best.clone(), gamma, &mut rng);
        renumber(&mut m);
        let q = net.modularity(&as_u32(&m), gamma);
        if q <= best_q + 1e-12 {
            break;
        }
        best = m;
        best_q = q;
    }
    best
}
