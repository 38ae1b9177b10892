//! What progenitor can generate, checked before it runs.
//!
//! progenitor 0.15 panics or fails the whole client on some valid 3.0 input
//! (a request with several content types, a cookie parameter, a schema it
//! has no type for...). Each such case is settled here, so the rest of the
//! client is still generated:
//! - `allOf` branches of plain objects that redefine a property with
//!   another type are merged, the property any value (`overrides.rs`);
//! - a `nullable` union component gets its null as a branch
//!   (`nullable_unions.rs`);
//! - schemas no sound type exists for are left out, with what uses them
//!   (`schemas.rs`);
//! - exact or codegen-neutral lowerings where they exist (`lower.rs`: a
//!   value an enum lists twice, a parameter's non-JSON `content`, branches
//!   that only add `required`), and per operation (`operation.rs`: a JSON
//!   media type's `encoding`, a missing JSON schema, the one content type the
//!   client will send);
//! - otherwise the operation is left out of codegen, with the reason, in the
//!   conversion report and as a regen warning.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::isolate::leave_out;
use crate::operations::operations;
use crate::pointer::join;
use crate::report::Report;

mod bodies;
mod enum_composition;
mod lower;
mod operation;
mod overrides;
mod schemas;

/// Screens every operation and schema of the converted 3.0 `doc`: what has no
/// sound type (`schemas.rs`) is left out with what depends on it, then each
/// operation is settled for progenitor. `hand_written` maps an operationId to
/// the hand-written method that covers it.
pub fn screen(
    doc: &mut Value,
    hand_written: &BTreeMap<String, String>,
    report: &mut Report,
) -> anyhow::Result<()> {
    overrides::flatten_contested(doc, report);
    crate::nullable_unions::null_as_a_branch(doc);
    for unsound in schemas::unsound(doc) {
        // An earlier exclusion may have taken it out already.
        if doc
            .pointer(&crate::isolate::owner(&unsound.pointer))
            .is_none()
        {
            continue;
        }
        let exclusion = crate::isolate::Exclusion {
            pointer: unsound.pointer,
            reason: unsound.reason,
        };
        crate::isolate::exclude(doc, &exclusion, hand_written, report)?;
    }
    lower::repeated_enum_values(doc, "", report);
    lower::parameter_content(doc, report);
    lower::required_only_branches(doc, "", report);
    lower::formats_without_meaning(doc, "", report);
    lower::defaults_that_do_not_fit(doc, "", report);
    enum_composition::enum_decides(doc, "", report);
    screen_operations(doc, hand_written, report);
    Ok(())
}

fn screen_operations(
    doc: &mut Value,
    hand_written: &BTreeMap<String, String>,
    report: &mut Report,
) {
    // References are followed in the document as it was: the loop rewrites it.
    let original = doc.clone();
    for (path, method, mut operation) in operations(doc) {
        let at = join(&join("/paths", &path), &method);
        // A hand-written method says it covers the operation: generating it
        // too would define the method twice; the maintainer's stands.
        let id = operation["operationId"].as_str().unwrap_or_default();
        if let Some(method_name) = hand_written.get(id) {
            let reason = format!(
                "the hand-written `{method_name}` covers it (`#[doc(alias = \"{id}\")]` in \
                 opencx-api/src)"
            );
            leave_out(doc, &path, &method, &at, reason, hand_written, report);
            continue;
        }
        let path_params = doc["paths"][&path].get("parameters").cloned();
        let outcome = operation::screen(&path, &mut operation, path_params, &original, &at, report);
        match outcome {
            Ok(()) => doc["paths"][&path][&method] = operation,
            Err(reason) => leave_out(doc, &path, &method, &at, reason, hand_written, report),
        }
    }
}

#[cfg(test)]
mod tests;
