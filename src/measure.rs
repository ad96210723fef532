//! Association measures of an edge, from window counts: of `N` windows analyzed
//! ([`GraphInfo::windows`](crate::graph::GraphInfo::windows)), entity x occurs in n(x)
//! ([`Node::windows`](crate::graph::Node::windows)), y in n(y), both in n(xy) (the edge's weight).
//!
//! - `npmi` (Bouma 2009): log(p(xy) / (p(x) p(y))) / −log p(xy), with p = count / N; in [−1, 1],
//!   1 when the two always occur together, 0 when independent. When p(xy) = 1 it is 1.
//! - `dice`: 2 n(xy) / (n(x) + n(y)), in (0, 1].
//! - `llr` (Dunning 1993): G² = 2 Σ O ln(O / E) over the four cells of the 2×2 table of windows
//!   (with x and y, x only, y only, neither), E the cell's count expected under independence
//!   (row total × column total / N); a cell with O = 0 adds 0.
//!
//! [`Graph::set_measure`] chooses the measure that drawings, `--top`, `--min-score`, the backbone
//! and the queries' rankings use; an edge's strength under it is [`Graph::strength`].

use std::str::FromStr;

use petgraph::graph::EdgeIndex;

use crate::error::{Error, Result};
use crate::graph::{EdgeView, Graph};

/// What an edge's strength is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Measure {
    /// The number of windows shared (the weight).
    #[default]
    Count,
    /// Normalized pointwise mutual information; negative values count as 0.
    Npmi,
    /// The Dice coefficient.
    Dice,
    /// Dunning's log-likelihood ratio G².
    Llr,
}

impl FromStr for Measure {
    type Err = Error;

    /// `count`, `npmi`, `dice` or `llr`.
    ///
    /// ```
    /// use entgraph::measure::Measure;
    /// assert_eq!("npmi".parse::<Measure>().unwrap(), Measure::Npmi);
    /// assert!("pmi".parse::<Measure>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "count" => Ok(Measure::Count),
            "npmi" => Ok(Measure::Npmi),
            "dice" => Ok(Measure::Dice),
            "llr" => Ok(Measure::Llr),
            _ => Err(Error::Invalid(format!(
                "unknown measure '{s}' (expected count, npmi, dice or llr)"
            ))),
        }
    }
}

impl std::fmt::Display for Measure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Measure::Count => "count",
            Measure::Npmi => "npmi",
            Measure::Dice => "dice",
            Measure::Llr => "llr",
        })
    }
}

/// The window counts of one pair of entities.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// Windows with both, n(xy).
    pub both: u64,
    /// Windows with the first, n(x).
    pub first: u64,
    /// Windows with the second, n(y).
    pub second: u64,
    /// Windows analyzed, N.
    pub windows: u64,
}

/// The association scores of one edge (its serde form: `npmi`, `dice`, `llr`).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Scores {
    /// Normalized PMI, in [−1, 1].
    pub npmi: f64,
    /// Dice coefficient, in (0, 1].
    pub dice: f64,
    /// Log-likelihood ratio G², ≥ 0.
    pub llr: f64,
}

impl Counts {
    /// The scores, or `None` when the counts do not make a 2×2 table (no windows, no shared
    /// window, an entity in fewer windows than the pair, or more windows with either than in all).
    ///
    /// ```
    /// use entgraph::measure::Counts;
    /// let s = Counts { both: 2, first: 2, second: 4, windows: 8 }.scores().unwrap();
    /// assert!((s.npmi - 0.5).abs() < 1e-12 && (s.dice - 2.0 / 3.0).abs() < 1e-12);
    /// assert!(Counts { both: 1, first: 0, second: 1, windows: 1 }.scores().is_none());
    /// ```
    pub fn scores(self) -> Option<Scores> {
        let Counts {
            both,
            first,
            second,
            windows,
        } = self;
        if both == 0
            || first < both
            || second < both
            || u128::from(first) + u128::from(second) - u128::from(both) > u128::from(windows)
        {
            return None;
        }
        let n = windows as f64;
        let (a, x, y) = (both as f64, first as f64, second as f64);
        let npmi = if both == windows {
            1.0
        } else {
            let p_xy = a / n;
            // Rounding can take it a hair outside [−1, 1].
            ((p_xy / ((x / n) * (y / n))).ln() / -p_xy.ln()).clamp(-1.0, 1.0)
        };
        let dice = 2.0 * a / (x + y);
        // The 2×2 table: rows x / not x, columns y / not y.
        let cells = [
            (a, x, y),
            (x - a, x, n - y),
            (y - a, n - x, y),
            (n - x - y + a, n - x, n - y),
        ];
        let llr = 2.0
            * cells
                .iter()
                .map(|&(o, row, col)| {
                    if o > 0.0 {
                        o * (o * n / (row * col)).ln()
                    } else {
                        0.0
                    }
                })
                .sum::<f64>();
        Some(Scores {
            npmi,
            dice,
            llr: llr.max(0.0),
        })
    }
}

impl Scores {
    /// The strength of the edge under `measure` (`weight` for `count`; negative NPMI is 0).
    pub fn strength(&self, measure: Measure, weight: u64) -> f64 {
        match measure {
            Measure::Count => weight as f64,
            Measure::Npmi => self.npmi.max(0.0),
            Measure::Dice => self.dice,
            Measure::Llr => self.llr,
        }
    }
}

impl Graph {
    /// True when the graph counts windows (`graph.windows` > 0), so its edges have scores.
    pub fn has_window_counts(&self) -> bool {
        self.info().windows > 0
    }

    /// The window counts of an edge.
    pub fn counts(&self, e: &EdgeView<'_>) -> Counts {
        Counts {
            both: e.edge.weight,
            first: e.source.windows,
            second: e.target.windows,
            windows: self.info().windows,
        }
    }

    /// The scores of an edge, `None` in a graph without window counts.
    pub fn scores(&self, e: &EdgeView<'_>) -> Option<Scores> {
        self.counts(e).scores()
    }

    /// Ranks edges by `measure` from now on ([`Graph::strength`]). A measure other than `count`
    /// needs window counts ([`Graph::has_window_counts`]).
    pub fn set_measure(&mut self, measure: Measure) -> Result<()> {
        if measure != Measure::Count && !self.has_window_counts() {
            return Err(Error::Invalid(format!(
                "--measure {measure} needs window counts, which this graph has not (graph.windows is missing: it was written by an older entgraph; build it again)"
            )));
        }
        self.strengths = match measure {
            Measure::Count => Vec::new(),
            m => self
                .edges()
                .map(|e| {
                    self.scores(&e)
                        .map_or(0.0, |s| s.strength(m, e.edge.weight))
                })
                .collect(),
        };
        self.measure = measure;
        Ok(())
    }

    /// The measure edges are ranked by (`count` unless [`Graph::set_measure`] said otherwise).
    pub fn measure(&self) -> Measure {
        self.measure
    }

    /// The strength of the edge at `index` under [`Graph::measure`]: the weight for `count`.
    pub fn strength(&self, index: EdgeIndex) -> f64 {
        match self.strengths.get(index.index()) {
            Some(&s) => s,
            None => self.petgraph()[index].weight as f64,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// G² from the entropy form, 2 N (H(rows) + H(cols) − H(table)) with counts: another route
    /// to the same number.
    fn llr_by_entropy(c: Counts) -> f64 {
        let h = |xs: &[f64]| -> f64 { xs.iter().filter(|&&x| x > 0.0).map(|&x| x * x.ln()).sum() };
        let (a, x, y, n) = (
            c.both as f64,
            c.first as f64,
            c.second as f64,
            c.windows as f64,
        );
        let table = h(&[a, x - a, y - a, n - x - y + a]);
        let rows = h(&[x, n - x]);
        let cols = h(&[y, n - y]);
        2.0 * (table - rows - cols + n * n.ln())
    }

    #[test]
    fn measure_scores_edges_and_reference() {
        let c = |both, first, second, windows| Counts {
            both,
            first,
            second,
            windows,
        };
        // Always together: npmi 1, dice 1.
        let s = c(3, 3, 3, 10).scores().unwrap();
        assert!((s.npmi - 1.0).abs() < 1e-12 && (s.dice - 1.0).abs() < 1e-12);
        // Every window holds both.
        let s = c(5, 5, 5, 5).scores().unwrap();
        assert_eq!((s.npmi, s.dice, s.llr), (1.0, 1.0, 0.0));
        // Independent: npmi 0, llr 0.
        let s = c(1, 2, 2, 4).scores().unwrap();
        assert!(s.npmi.abs() < 1e-12 && s.llr.abs() < 1e-12);
        for case in [
            c(1, 1, 1, 100),
            c(7, 40, 9, 1000),
            c(2, 3, 50, 60),
            c(1, 5, 6, 10),
        ] {
            let s = case.scores().unwrap();
            assert!((-1.0..=1.0).contains(&s.npmi), "{case:?}");
            assert!((s.llr - llr_by_entropy(case)).abs() < 1e-9, "{case:?}");
        }
        for bad in [c(0, 1, 1, 5), c(2, 1, 3, 5), c(1, 4, 4, 6), c(1, 1, 1, 0)] {
            assert_eq!(bad.scores(), None, "{bad:?}");
        }
    }
}
