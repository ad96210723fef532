//! The read-only HTTP API of `entgraph serve`, without the HTTP: a request's method and target in,
//! a status, a content type and a body out ([`Api::handle`]). The CLI owns the sockets and threads;
//! everything a request can reach is here, so it is tested without a server.
//!
//! | target | answer |
//! |---|---|
//! | `/` | the page ([`crate::export::html`]) of the graph's overview, with `api: true` |
//! | `/api/search?q=TEXT[&limit=N]` | entities whose label or alias matches, best first |
//! | `/api/entity?id=NAME[&links=N]` | one entity: type, aliases, documents, its strongest links |
//! | `/api/neighbors?id=NAME[&depth=D][&top=N][&type=T]` | [`crate::query::neighbors()`] |
//! | `/api/connect?from=A&to=B[&paths=K][&strongest=1][&max_hops=H][&via=T][&exclude=NAME]…` | [`crate::query::connect()`], as `entgraph connect --format json` gives it, plus `total` and evidence offsets |
//! | `/api/evidence?source=A&target=B` | one link: weight and every evidence window kept |
//! | `/api/view[?id=NAME]` | the page data of the overview, or of one entity's neighbourhood laid out by Graphviz |
//!
//! Every answer comes from the whole graph. `NAME` is an id, or any name `entgraph connect` takes
//! ([`resolve_name`]). Errors are JSON `{"error": "…"}` with a 4xx status: 400 for a malformed or
//! out-of-range parameter, an unknown parameter, or an answer that would be larger than
//! [`MAX_RESPONSE`]; 404 for an unknown target or entity; 405 for a method other than GET or HEAD;
//! 414 for a target longer than [`MAX_TARGET`]. No target names a file: nothing but the graph
//! given at start is ever read.

use std::collections::BTreeSet;

use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;
use serde::Serialize;

mod answers;
mod params;
mod search;

use answers::*;
use params::Params;
use search::{Names, tier};

use crate::export::html::{self, Cap, PageOptions};
use crate::graph::{Graph, Node};
use crate::query::{
    ConnectOptions, Ego, Filter, NameError, NeighborOptions, connect, filter, neighbors,
    resolve_name,
};

/// The longest request target answered (bytes).
pub const MAX_TARGET: usize = 4096;
/// The largest answer (bytes); a larger one is a 400 that says to ask for less.
pub const MAX_RESPONSE: usize = 8 << 20;
/// At most this many paths from `/api/connect`.
pub const MAX_PATHS: usize = 20;
/// The deepest `/api/neighbors` and the longest `max_hops`.
pub const MAX_DEPTH: usize = 3;
/// The longest `max_hops` of `/api/connect`.
pub const MAX_HOPS: usize = 10;
/// At most this many results from `/api/search`, neighbours or links.
pub const MAX_LIST: usize = 500;
/// Entities drawn in a neighbourhood view (the centre and its neighbours of highest weighted
/// degree).
pub const VIEW_NODES: usize = 150;

/// An answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The HTTP status.
    pub status: u16,
    /// `application/json` or `text/html; charset=utf-8`.
    pub content_type: &'static str,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    fn json<T: Serialize>(value: &T) -> Response {
        let body = serde_json::to_vec(value).expect("serializable");
        if body.len() > MAX_RESPONSE {
            return Response::error(
                400,
                &format!(
                    "the answer would be {} bytes, more than the {MAX_RESPONSE} allowed: ask for fewer results",
                    body.len()
                ),
            );
        }
        Response {
            status: 200,
            content_type: "application/json",
            body,
        }
    }

    fn error(status: u16, message: &str) -> Response {
        Response {
            status,
            content_type: "application/json",
            body: serde_json::to_vec(&ErrorBody {
                error: message,
                candidates: &[],
            })
            .expect("serializable"),
        }
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    candidates: &'a [Brief<'a>],
}

/// A request that cannot be answered: status and message.
#[derive(Debug)]
struct Fail {
    status: u16,
    message: String,
    candidates: Vec<(String, String)>,
}

fn fail(status: u16, message: impl Into<String>) -> Fail {
    Fail {
        status,
        message: message.into(),
        candidates: Vec::new(),
    }
}

impl From<Fail> for Response {
    fn from(f: Fail) -> Response {
        let candidates: Vec<Brief> = f
            .candidates
            .iter()
            .map(|(id, label)| Brief {
                id,
                label,
                kind: None,
                mentions: None,
            })
            .collect();
        Response {
            status: f.status,
            content_type: "application/json",
            body: serde_json::to_vec(&ErrorBody {
                error: &f.message,
                candidates: &candidates,
            })
            .expect("serializable"),
        }
    }
}

/// The API over one graph.
#[derive(Debug)]
pub struct Api {
    graph: Graph,
    names: Names,
    title: Option<String>,
    page: Vec<u8>,
    overview: Vec<u8>,
    /// Each node's place in (label, id) order.
    rank: Vec<u32>,
}

impl Api {
    /// The API over `graph`; lays out its overview (the page's drawing) with Graphviz.
    ///
    /// # Errors
    /// Graphviz missing or failing.
    pub fn new(graph: Graph, title: Option<String>) -> std::io::Result<Api> {
        let options = PageOptions {
            api: true,
            title: title.clone(),
            view: None,
        };
        let (drawn, cap) = html::drawable(&graph);
        let layout = html::layout(&drawn)?;
        let page = html::page_with_layout(&drawn, &layout, cap, &options);
        let overview = html::page_json(&drawn, &layout, cap, &options);
        drop(drawn);
        let names = Names::new(&graph);
        let all: Vec<&Node> = graph.nodes().collect();
        let mut order: Vec<u32> = (0..all.len() as u32).collect();
        order.sort_by(|&a, &b| {
            let (a, b) = (all[a as usize], all[b as usize]);
            (a.label.as_str(), a.id.as_str()).cmp(&(b.label.as_str(), b.id.as_str()))
        });
        let mut rank = vec![0u32; all.len()];
        for (r, &i) in order.iter().enumerate() {
            rank[i as usize] = r as u32;
        }
        drop(all);
        Ok(Api {
            graph,
            names,
            title,
            page,
            overview,
            rank,
        })
    }

    /// The graph answered from.
    pub fn graph(&self) -> &Graph {
        &self.graph
    }

    /// Answers one request. `target` is the request target as sent (`/api/search?q=tom`).
    pub fn handle(&self, method: &str, target: &str) -> Response {
        if target.len() > MAX_TARGET {
            return Response::error(
                414,
                &format!("the request target is longer than {MAX_TARGET} bytes"),
            );
        }
        if method != "GET" && method != "HEAD" {
            return Response::error(405, "only GET and HEAD are answered");
        }
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let params = match Params::parse(query) {
            Ok(p) => p,
            Err(f) => return f.into(),
        };
        let answer = match path {
            "/" | "/index.html" => {
                return Response {
                    status: 200,
                    content_type: "text/html; charset=utf-8",
                    body: self.page.clone(),
                };
            }
            "/api/search" => self.search(&params),
            "/api/entity" => self.entity(&params),
            "/api/neighbors" => self.neighbors(&params),
            "/api/connect" => self.connect(&params),
            "/api/evidence" => self.evidence(&params),
            "/api/view" => self.view(&params),
            _ => Err(fail(
                404,
                "not found: the page is /, the API is /api/search, /api/entity, /api/neighbors, /api/connect, /api/evidence and /api/view",
            )),
        };
        answer.unwrap_or_else(Response::from)
    }

    fn node(&self, name: &str) -> Result<NodeIndex, Fail> {
        resolve_name(&self.graph, name)
            .map(|r| r.index)
            .map_err(|e| {
                let status = match e {
                    NameError::Unknown { .. } => 404,
                    NameError::Ambiguous { .. } => 400,
                };
                Fail {
                    status,
                    message: e.to_string(),
                    candidates: e
                        .candidates()
                        .iter()
                        .take(20)
                        .map(|c| (c.id.clone(), c.label.clone()))
                        .collect(),
                }
            })
    }

    fn search(&self, p: &Params) -> Result<Response, Fail> {
        p.only(&["q", "limit"])?;
        let query = p.get("q").unwrap_or("");
        let limit = p.number("limit", 12, 1, MAX_LIST)?;
        let hits = self.search_nodes(query, limit);
        let g = self.graph.petgraph();
        Ok(Response::json(&SearchAnswer {
            query,
            results: hits.iter().map(|&i| Brief::of(&g[i])).collect(),
        }))
    }

    /// The best `limit` entities for `query`, by tier (the label whole, ignoring case; an alias
    /// whole; the label starts with it; an alias does; a later word of the label does; of an
    /// alias), then mentions (most first), then (label, id). The page ranks its own matches alike.
    ///
    /// # Complexity
    /// O(L) for the total length L of all names.
    fn search_nodes(&self, query: &str, limit: usize) -> Vec<NodeIndex> {
        let q = query.trim().to_lowercase();
        if q.is_empty() || q.contains('\n') {
            return Vec::new();
        }
        let mut best: Vec<u8> = vec![u8::MAX; self.graph.node_count()];
        let mut hit: Vec<u32> = Vec::new();
        let mut last_name = usize::MAX;
        // Every name that holds the query, each once (a query without `\n` never spans two).
        for at in memchr::memmem::find_iter(self.names.text.as_bytes(), q.as_bytes()) {
            let k = self.names.starts.partition_point(|&s| s <= at) - 1;
            if k == last_name {
                continue;
            }
            last_name = k;
            let Some(t) = tier(self.names.name(k), self.names.labels[k], &q) else {
                continue;
            };
            let node = self.names.nodes[k];
            let b = &mut best[node as usize];
            if *b == u8::MAX {
                hit.push(node);
            }
            *b = (*b).min(t);
        }
        let g = self.graph.petgraph();
        hit.sort_by(|&a, &b| {
            let (na, nb) = (
                &g[NodeIndex::new(a as usize)],
                &g[NodeIndex::new(b as usize)],
            );
            best[a as usize]
                .cmp(&best[b as usize])
                .then(nb.mentions.cmp(&na.mentions))
                .then(self.rank[a as usize].cmp(&self.rank[b as usize]))
        });
        hit.truncate(limit);
        hit.into_iter()
            .map(|i| NodeIndex::new(i as usize))
            .collect()
    }

    fn entity(&self, p: &Params) -> Result<Response, Fail> {
        p.only(&["id", "links"])?;
        let i = self.node(p.required("id")?)?;
        let max_links = p.number("links", 25, 0, MAX_LIST)?;
        let g = self.graph.petgraph();
        let n = &g[i];
        let mut links: Vec<(NodeIndex, u64)> = g
            .edges(i)
            .map(|e| {
                (
                    if e.source() == i {
                        e.target()
                    } else {
                        e.source()
                    },
                    e.weight().weight,
                )
            })
            .filter(|(j, _)| *j != i)
            .collect();
        let degree = links.len();
        links.sort_by(|a, b| {
            b.1.cmp(&a.1)
                .then(self.rank[a.0.index()].cmp(&self.rank[b.0.index()]))
        });
        links.truncate(max_links);
        Ok(Response::json(&EntityAnswer {
            id: &n.id,
            label: &n.label,
            kind: &n.kind,
            mentions: n.mentions,
            aliases: &n.aliases,
            documents: &n.documents[..n.documents.len().min(MAX_LIST)],
            document_count: n.documents.len(),
            degree,
            links: links
                .into_iter()
                .map(|(j, weight)| LinkBrief {
                    id: &g[j].id,
                    label: &g[j].label,
                    kind: &g[j].kind,
                    weight,
                })
                .collect(),
        }))
    }

    fn neighbors(&self, p: &Params) -> Result<Response, Fail> {
        p.only(&["id", "depth", "top", "type"])?;
        let i = self.node(p.required("id")?)?;
        let options = NeighborOptions {
            depth: p.number("depth", 1, 1, MAX_DEPTH)?,
            kind: p.get("type").filter(|t| !t.is_empty()).map(str::to_string),
            top: Some(p.number("top", 50, 1, MAX_LIST)?),
        };
        let g = self.graph.petgraph();
        let found = near(&self.graph, i, &options);
        Ok(Response::json(&NeighborsAnswer {
            center: Brief::of(&g[i]),
            neighbors: found
                .iter()
                .map(|n| NeighborItem {
                    id: &g[n.node].id,
                    label: &g[n.node].label,
                    kind: &g[n.node].kind,
                    distance: n.distance,
                    weight: n.weight,
                    evidence: n.evidence,
                    path: n.path.iter().map(|&x| g[x].id.as_str()).collect(),
                })
                .collect(),
        }))
    }

    fn connect(&self, p: &Params) -> Result<Response, Fail> {
        p.only(&[
            "from",
            "to",
            "paths",
            "strongest",
            "max_hops",
            "via",
            "exclude",
        ])?;
        let from = self.node(p.required("from")?)?;
        let to = self.node(p.required("to")?)?;
        let g = self.graph.petgraph();
        if from == to {
            return Err(fail(
                400,
                format!("'from' and 'to' are the same entity, {}", g[from].label),
            ));
        }
        let mut exclude = BTreeSet::new();
        for name in p.all("exclude").filter(|n| !n.trim().is_empty()) {
            let n = self.node(name)?;
            if n == from || n == to {
                return Err(fail(
                    400,
                    format!(
                        "exclude: {} is an end of the path, it cannot be avoided",
                        g[n].label
                    ),
                ));
            }
            exclude.insert(g[n].id.clone());
        }
        let max_hops = match p.get("max_hops") {
            Some(_) => Some(p.number("max_hops", 0, 1, MAX_HOPS)?),
            None => None,
        };
        let options = ConnectOptions {
            paths: p.number("paths", 5, 1, MAX_PATHS)?,
            strongest: p.flag("strongest")?,
            max_hops,
            via: p.get("via").filter(|v| !v.is_empty()).map(str::to_string),
            exclude,
        };
        let found = connect(&self.graph, from, to, &options);
        let graph = &self.graph;
        Ok(Response::json(&ConnectAnswer {
            from: Brief::of(&g[from]),
            to: Brief::of(&g[to]),
            total: found.total,
            paths: found
                .paths
                .iter()
                .map(|path| PathItem {
                    nodes: path.ids(graph),
                    labels: path.labels(graph),
                    hops: path.hops(),
                    weight: path.weight,
                    cost: path.cost,
                    edges: path
                        .hops_iter(graph)
                        .map(|hop| HopItem {
                            source: &g[hop.from].id,
                            target: &g[hop.to].id,
                            weight: hop.edge.weight,
                            evidence: &hop.edge.evidence,
                        })
                        .collect(),
                })
                .collect(),
        }))
    }

    fn evidence(&self, p: &Params) -> Result<Response, Fail> {
        p.only(&["source", "target"])?;
        let a = self.node(p.required("source")?)?;
        let b = self.node(p.required("target")?)?;
        let g = self.graph.petgraph();
        let e = g.find_edge(a, b).ok_or_else(|| {
            fail(
                404,
                format!("no link between {} and {}", g[a].label, g[b].label),
            )
        })?;
        let (s, t) = if g[a].id < g[b].id { (a, b) } else { (b, a) };
        Ok(Response::json(&EvidenceAnswer {
            source: &g[s].id,
            target: &g[t].id,
            weight: g[e].weight,
            evidence: &g[e].evidence,
        }))
    }

    fn view(&self, p: &Params) -> Result<Response, Fail> {
        p.only(&["id"])?;
        let Some(name) = p.get("id").filter(|n| !n.trim().is_empty()) else {
            return Ok(Response {
                status: 200,
                content_type: "application/json",
                body: self.overview.clone(),
            });
        };
        let i = self.node(name)?;
        let center = &self.graph.petgraph()[i];
        let ego = filter(
            &self.graph,
            &Filter {
                ego: Some(Ego {
                    id: center.id.clone(),
                    depth: 1,
                }),
                ..Default::default()
            },
        );
        let all = ego.node_count().saturating_sub(1);
        let near = if ego.node_count() > VIEW_NODES {
            filter(
                &ego,
                &Filter {
                    top: Some(VIEW_NODES),
                    ego: Some(Ego {
                        id: center.id.clone(),
                        depth: 1,
                    }),
                    ..Default::default()
                },
            )
        } else {
            ego
        };
        let (drawn, _) = html::drawable(&near);
        let layout =
            html::layout(&drawn).map_err(|e| fail(500, format!("the layout failed: {e}")))?;
        let shown = drawn.node_count().saturating_sub(1);
        let view = if shown < all {
            format!(
                "the neighbourhood of {}: {shown} of its {all} neighbours (those of highest weighted degree) and {} links",
                center.label,
                drawn.edge_count()
            )
        } else {
            format!(
                "the neighbourhood of {}: its {all} neighbours and {} links",
                center.label,
                drawn.edge_count()
            )
        };
        let options = PageOptions {
            api: true,
            title: self.title.clone(),
            view: Some(view),
        };
        let cap: Option<Cap> = None;
        Ok(Response {
            status: 200,
            content_type: "application/json",
            body: html::page_json(&drawn, &layout, cap, &options),
        })
    }
}

/// [`neighbors`], the same answer sooner: the list is sorted nearest first, so when the direct
/// neighbours (of the type asked) already fill `top`, the farther ones are not looked for (on a
/// hub of the 100 MB corpus's graph, 1.2 s for depth 2 becomes 0.07 s).
fn near(
    graph: &Graph,
    center: NodeIndex,
    options: &NeighborOptions,
) -> Vec<crate::query::Neighbor> {
    if let (Some(top), true) = (options.top, options.depth > 1) {
        let direct = neighbors(
            graph,
            center,
            &NeighborOptions {
                depth: 1,
                top: None,
                ..options.clone()
            },
        );
        if direct.len() >= top {
            let mut direct = direct;
            direct.truncate(top);
            return direct;
        }
    }
    neighbors(graph, center, options)
}

#[cfg(test)]
mod tests;
