//! `cargo xtask vendor --fetch`: take an upstream update straight from the
//! vendor's docs site.
//!
//! The site publishes an `llms.txt` index (the vendored pages say where): a
//! Markdown list of `- [Title](URL): summary` links, each URL serving its page
//! as Markdown. The API reference pages are the links under `api-reference`;
//! each holds one operation's OpenAPI document in a ```yaml fence, which is what
//! `vendor` stores. Every page is downloaded and compared before anything is
//! written, so a failure anywhere leaves `specs/` as it was.

mod http;
mod index;
mod plan;
mod report;
mod upstream;

use std::io::Write;

use anyhow::Result;

pub use plan::{compare, select, Change, Plan};
pub use report::{vendored, vendored_lines};
pub use upstream::{read, Upstream, UpstreamPage};

use crate::workspace::Workspace;

/// The vendor's docs site, whose `llms.txt` is the index.
pub const DEFAULT_DOCS_URL: &str = "https://docs.open.cx";

/// How `cargo xtask vendor --fetch` was asked to run.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    /// The docs site (its `llms.txt` is read), or the index's own URL.
    pub docs_url: &'a str,
    /// Write nothing; exit 1 when upstream has changed or new operations.
    pub check: bool,
    /// Vendor every new operation too, not only the changed ones.
    pub all: bool,
    /// New operations to vendor, by operationId.
    pub operation_ids: &'a [String],
}

/// Reads upstream at `docs_url` and compares it with `specs/`, saying on
/// `err` what was passed over or cannot be updated from the pages. Returns
/// the index and overview pages read (the operation pages are in the plan)
/// and the plan.
pub fn survey(ws: &Workspace, docs_url: &str, err: &mut dyn Write) -> Result<(Upstream, Plan)> {
    let mut upstream = read(docs_url, err)?;
    let plan = compare(ws, std::mem::take(&mut upstream.pages))?;
    report::notes(err, &upstream.index, &upstream.overviews, &plan);
    Ok((upstream, plan))
}

/// Runs `vendor --fetch`: progress and warnings go to `err`, the result to
/// `out`. Returns the exit code: 1 when `check` finds upstream different.
pub fn run(
    ws: &Workspace,
    options: Options,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<u8> {
    let (_, plan) = survey(ws, options.docs_url, err)?;
    if options.check {
        return Ok(report::check(out, err, &plan));
    }
    let sources = select(&plan, options.all, options.operation_ids)?;
    let records = if sources.is_empty() {
        Vec::new()
    } else {
        crate::vendor::vendor_sources(ws, sources)?
    };
    report::fetched(out, &plan, &records);
    Ok(0)
}
