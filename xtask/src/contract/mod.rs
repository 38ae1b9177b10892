//! Contract tests against an independent server: two more committed outputs.
//!
//! - `tests/contract/upstream.json`: what the mock server (Prism) serves, the
//!   merged upstream document with only the overlay's narrowing patches
//!   (`server.rs`).
//! - `tests/tests/contract.rs`: one test per operation of the merged document,
//!   each calling the generated client many times with varied inputs
//!   (`test_file.rs`); a newly vendored operation gets its test from regen.
//!
//! The runtime half (starting Prism, drawing inputs, reading answers) is
//! hand-written, in `tests/src/contract/`.

mod client_api;
mod narrowing;
mod server;
mod test_file;
mod unions;

use anyhow::{anyhow, Context, Result};
use serde_json::Value;

use crate::merge::Origins;
use crate::overlay::Overlay;
use crate::report::Report;
use crate::workspace::{Output, Workspace};

/// The contract tests' outputs, from the merged upstream document (before the
/// overlay), the overlay, the converted document the client is generated
/// from, and the generated client's source. An operation that cannot have a
/// test is recorded in `report` with the reason; it never stops regen.
pub fn outputs(
    ws: &Workspace,
    upstream: &Value,
    origins: &Origins,
    overlay: &Overlay,
    converted: &Value,
    client: &syn::File,
    report: &mut Report,
) -> Result<Vec<Output>> {
    let served = server::document(upstream, overlay, origins)?;
    let pagination_path = ws.root().join("opencx-api/src/pagination.rs");
    // A workspace without the hand-written pagination (a fixture API) has no
    // `.stream()` to exercise; every operation is still covered.
    let pagination = if pagination_path.exists() {
        std::fs::read_to_string(&pagination_path)
            .with_context(|| format!("reading {}", ws.display(&pagination_path)))?
    } else {
        String::new()
    };
    let api = client_api::ClientApi::read(client, &pagination)?;
    let (tests, untested) = test_file::render(converted, &api)
        .map_err(|e| anyhow!("{}: {e}", ws.display(&ws.merged_path())))?;
    report.untested.extend(untested);
    Ok(vec![
        Output {
            path: ws.root().join("tests/contract/upstream.json"),
            content: format!("{}\n", serde_json::to_string_pretty(&served)?),
        },
        Output {
            path: ws.root().join("tests/tests/contract.rs"),
            content: tests,
        },
    ])
}

#[cfg(test)]
mod tests;
