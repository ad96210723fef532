//! The answers' JSON shapes (see the table in the [module docs](super)).

use serde::Serialize;

use crate::graph::{Evidence, Node};

/// An entity in a list.
#[derive(Debug, Serialize)]
pub(super) struct Brief<'g> {
    pub(super) id: &'g str,
    pub(super) label: &'g str,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub(super) kind: Option<&'g str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) mentions: Option<u64>,
}

impl<'g> Brief<'g> {
    pub(super) fn of(n: &'g Node) -> Brief<'g> {
        Brief {
            id: &n.id,
            label: &n.label,
            kind: Some(&n.kind),
            mentions: Some(n.mentions),
        }
    }
}

#[derive(Debug, Serialize)]
pub(super) struct SearchAnswer<'g> {
    pub(super) query: &'g str,
    pub(super) results: Vec<Brief<'g>>,
}

#[derive(Debug, Serialize)]
pub(super) struct EntityAnswer<'g> {
    pub(super) id: &'g str,
    pub(super) label: &'g str,
    #[serde(rename = "type")]
    pub(super) kind: &'g str,
    pub(super) mentions: u64,
    pub(super) aliases: &'g [String],
    /// The first [`MAX_LIST`] documents.
    pub(super) documents: &'g [String],
    pub(super) document_count: usize,
    pub(super) degree: usize,
    pub(super) links: Vec<LinkBrief<'g>>,
}

#[derive(Debug, Serialize)]
pub(super) struct LinkBrief<'g> {
    pub(super) id: &'g str,
    pub(super) label: &'g str,
    #[serde(rename = "type")]
    pub(super) kind: &'g str,
    pub(super) weight: u64,
}

#[derive(Debug, Serialize)]
pub(super) struct NeighborsAnswer<'g> {
    pub(super) center: Brief<'g>,
    pub(super) neighbors: Vec<NeighborItem<'g>>,
}

#[derive(Debug, Serialize)]
pub(super) struct NeighborItem<'g> {
    pub(super) id: &'g str,
    pub(super) label: &'g str,
    #[serde(rename = "type")]
    pub(super) kind: &'g str,
    pub(super) distance: usize,
    pub(super) weight: u64,
    pub(super) evidence: usize,
    pub(super) path: Vec<&'g str>,
}

#[derive(Debug, Serialize)]
pub(super) struct ConnectAnswer<'g> {
    pub(super) from: Brief<'g>,
    pub(super) to: Brief<'g>,
    pub(super) total: u64,
    pub(super) paths: Vec<PathItem<'g>>,
}

#[derive(Debug, Serialize)]
pub(super) struct PathItem<'g> {
    pub(super) nodes: Vec<&'g str>,
    pub(super) labels: Vec<&'g str>,
    pub(super) hops: usize,
    pub(super) weight: u64,
    pub(super) cost: f64,
    pub(super) edges: Vec<HopItem<'g>>,
}

#[derive(Debug, Serialize)]
pub(super) struct HopItem<'g> {
    pub(super) source: &'g str,
    pub(super) target: &'g str,
    pub(super) weight: u64,
    pub(super) evidence: &'g [Evidence],
}

#[derive(Debug, Serialize)]
pub(super) struct EvidenceAnswer<'g> {
    pub(super) source: &'g str,
    pub(super) target: &'g str,
    pub(super) weight: u64,
    pub(super) evidence: &'g [Evidence],
}
