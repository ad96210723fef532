//! The one integration-test binary: every module runs the real `entgraph` binary (via assert_cmd) in
//! a fresh temporary directory with a scrubbed environment; see `util.rs`.
//!
//! Tests that need outside tools (`dot`, a Python with networkx named by ENTGRAPH_PYTHON) skip with
//! a note when the tool is missing, unless ENTGRAPH_REQUIRE_TOOLS=1 (set by `scripts/test`), which
//! turns the skip into a failure. The one test that reads `../shared/` beside the repository
//! (`peer.rs`) prints one `skipped:` line when it is missing, unless ENTGRAPH_REQUIRE_SHARED=1 (set by
//! `.ci/run`).

mod util;

mod bounds;
mod build;
mod discovery;
mod errors;
mod export;
mod extract;
mod gazetteers;
mod hostile;
mod html;
mod install;
mod junk;
mod measures;
mod merge;
mod outputs;
mod outset;
mod peer;
mod query;
mod robust;
mod safety;
mod scale;
mod usage;
mod validators;
