//! entgraph turns a pile of text into a graph of who and what appears together.
//!
//! The stages, each a module: [`read`] → [`normalize`] → [`segment`] → [`recognize`] →
//! [`resolve`] → [`link`] → [`export`]. [`pipeline`] wires the per-document stages; [`link`]
//! builds the [`graph`], which [`export`] writes and [`query`] answers questions about (paths,
//! neighbours, centrality, filters).
//!
//! ```
//! use entgraph::{Document, PipelineBuilder};
//! use entgraph::graph::Window;
//! use entgraph::link::GraphBuilder;
//! let dir = tempfile::tempdir().unwrap();
//! std::fs::write(dir.path().join("person.tsv"), "Tom Cruise\tCruise\nChristopher McQuarrie\tMcQuarrie\n").unwrap();
//! let pipeline = PipelineBuilder::new().dictionary(dir.path()).build().unwrap();
//! let doc = Document::new("a.txt", "McQuarrie said Cruise\u{2019}s stunt was real.");
//! let analysis = pipeline.analyze(&doc);
//! let mut graph = GraphBuilder::new(Window::Sentence);
//! graph.add_document(&doc, &analysis.sentences, &analysis.mentions);
//! let graph = graph.finish(1);
//! assert_eq!(graph.edge("person:christopher-mcquarrie", "person:tom-cruise").unwrap().weight, 1);
//! ```
#![warn(missing_docs)]
#![forbid(unsafe_code)]

mod atomic;
pub mod community;
pub mod error;
pub mod eval;
pub mod export;
pub mod graph;
pub mod link;
pub mod measure;
pub mod merge;
pub mod model;
pub mod normalize;
pub mod outset;
pub mod pipeline;
pub mod query;
pub mod read;
mod read_ahead;
pub mod recognize;
pub mod resolve;
pub mod segment;
pub mod serve;
pub mod text;

pub use error::{Error, Result, Warning};
pub use model::{Document, Mention, Sentence, Span};
pub use pipeline::{Analysis, Pipeline, PipelineBuilder};
