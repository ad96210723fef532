//! Arbitrary bytes as an input document: read → normalize → segment → recognize → resolve → link
//! (every window) → every exporter, with the checks of `tests/cli/outputs.rs` (no panic; spans on
//! char boundaries; offsets that slice the text; deterministic analysis; every output parses and
//! gives the names back). Uses the fixtures' small dictionaries and rules (the 32k-entity default
//! dictionaries make each run too slow under coverage instrumentation); one input in eight gets
//! the thorough checks (analysis twice, every window).
#![no_main]

#[path = "../../tests/cli/outputs.rs"]
mod outputs;

use std::path::Path;
use std::sync::LazyLock;

use entgraph::{Pipeline, PipelineBuilder};
use libfuzzer_sys::fuzz_target;

static PIPELINE: LazyLock<Pipeline> = LazyLock::new(|| {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let fixtures = root.join("tests/fixtures");
    PipelineBuilder::new()
        .dictionary(fixtures.join("basic/dict"))
        .dictionary(fixtures.join("hostile-names/dict"))
        .dictionary(fixtures.join("offsets/dict"))
        .rules(Some(fixtures.join("basic/rules.toml")))
        .max_mentions(200)
        .build()
        .expect("the fixture dictionaries and rules load")
});

static SCRATCH: LazyLock<tempfile::TempDir> =
    LazyLock::new(|| tempfile::tempdir().expect("a scratch directory"));

fuzz_target!(|data: &[u8]| {
    let thorough = data.first().is_some_and(|b| b % 8 == 0);
    if let Err(e) = outputs::check_input_bytes_with(&PIPELINE, SCRATCH.path(), data, thorough) {
        panic!("{e}");
    }
});
