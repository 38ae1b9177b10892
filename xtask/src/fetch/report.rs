//! What `vendor` and `vendor --fetch` tell the user. Write errors on the
//! output streams are ignored, as the rest of the command line does: the
//! outcome is the exit code and the files.

use std::io::Write;

use super::plan::Plan;
use crate::vendor::Provenance;

/// How to vendor the new operations, for the lines that list them.
const VENDOR_NEW: &str =
    "vendor them with `cargo xtask vendor --fetch --all`, or some with `cargo xtask vendor --fetch OPERATION_ID...`";

/// One `vendored specs/<file> (<operation>) from <source>` line per record,
/// then the next step.
pub fn vendored(out: &mut dyn Write, records: &[Provenance]) {
    vendored_lines(out, records);
    let _ = writeln!(out, "now run `cargo xtask regen` and review the diff");
}

/// One `vendored specs/<file> (<operation>) from <source>` line per record.
pub fn vendored_lines(out: &mut dyn Write, records: &[Provenance]) {
    for r in records {
        let _ = writeln!(
            out,
            "vendored specs/{} ({}) from {}",
            r.file,
            r.summary(),
            r.source_page
        );
    }
}

/// What was passed over or cannot be updated from the pages, on `err`.
pub(super) fn notes(err: &mut dyn Write, index: &str, overviews: &[String], plan: &Plan) {
    for url in overviews {
        let _ = writeln!(
            err,
            "passed over {url}: no OpenAPI document (an overview page)"
        );
    }
    for (operation, file) in &plan.elsewhere {
        let _ = writeln!(
            err,
            "note: {operation} is vendored in specs/{file}, a whole document, which is updated \
             from its own source; its API reference page is not compared"
        );
    }
    for record in &plan.gone {
        let _ = writeln!(
            err,
            "warning: {} (specs/{}) has no API reference page in {index}; if upstream dropped \
             it, remove the file and its record in specs/provenance.yaml",
            record.summary(),
            record.file
        );
    }
}

/// `vendor --fetch --check`: the changed and new operations, one a line, and
/// the exit code (1 when there are any).
pub(super) fn check(out: &mut dyn Write, err: &mut dyn Write, plan: &Plan) -> u8 {
    for change in &plan.changed {
        let _ = writeln!(out, "changed: {}", change.describe());
    }
    for page in &plan.new {
        let _ = writeln!(out, "new: {}", page.describe());
    }
    if plan.differs() {
        let _ = writeln!(
            err,
            "upstream differs from the vendored documents: `cargo xtask vendor --fetch` vendors \
             the changed ones; {VENDOR_NEW}"
        );
        return 1;
    }
    let _ = writeln!(
        out,
        "upstream matches the vendored documents ({} operations)",
        plan.unchanged.len()
    );
    0
}

/// `vendor --fetch`: what was vendored, and the new operations left out.
pub(super) fn fetched(out: &mut dyn Write, plan: &Plan, records: &[Provenance]) {
    let left: Vec<_> = (plan.new.iter())
        .filter(|p| records.iter().all(|r| r.source_page != p.url))
        .collect();
    if !records.is_empty() {
        vendored(out, records);
    } else if left.is_empty() {
        let _ = writeln!(out, "upstream matches the vendored documents");
    } else {
        let _ = writeln!(out, "the vendored documents match upstream");
    }
    for page in &left {
        let _ = writeln!(out, "new: {}", page.describe());
    }
    if !left.is_empty() {
        let _ = writeln!(out, "{VENDOR_NEW}");
    }
}
