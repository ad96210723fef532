//! Arbitrary bytes as an input document: read → normalize → segment → recognize → resolve → link
//! (every window) → every exporter, with the checks of `tests/cli/outputs.rs` (no panic; spans on
//! char boundaries; offsets that slice the text; deterministic analysis; every output parses and
//! gives the names back). Uses the default dictionaries and rules.
#![no_main]

#[path = "../../tests/cli/outputs.rs"]
mod outputs;

use std::path::Path;
use std::sync::LazyLock;

use entgraph::{Pipeline, PipelineBuilder};
use libfuzzer_sys::fuzz_target;

static PIPELINE: LazyLock<Pipeline> = LazyLock::new(|| {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    PipelineBuilder::new()
        .dictionary(root.join("dictionaries"))
        .rules(Some(root.join("dictionaries/patterns.toml")))
        .build()
        .expect("the default dictionaries and rules load")
});

static SCRATCH: LazyLock<tempfile::TempDir> =
    LazyLock::new(|| tempfile::tempdir().expect("a scratch directory"));

fuzz_target!(|data: &[u8]| {
    if let Err(e) = outputs::check_input_bytes(&PIPELINE, SCRATCH.path(), data) {
        panic!("{e}");
    }
});
