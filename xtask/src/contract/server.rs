//! The document the contract tests' mock server serves: the merged upstream
//! 3.1 document with only the overlay's narrowing patches applied.
//!
//! Not the client's document: loosening entries (a contact's `created_at`
//! made optional), the named types, the relax stage's dropped string checks
//! and the 3.0.3 conversion are all left out, so the server checks requests
//! against upstream and answers with everything upstream allows, except where
//! the overlay narrows a type on purpose (whole numbers as integers).

use anyhow::{anyhow, bail, Result};
use serde_json::{json, Value};

use super::narrowing;
use crate::merge::Origins;
use crate::overlay::{resolve, Overlay};

/// How the server's response generator (json-schema-faker, inside Prism) draws
/// values; Prism reads this extension at the document's root. Prism's own
/// default fills every optional property, so a client that wrongly needs one
/// would never be caught: half of them are left out instead.
fn faker_options() -> Value {
    json!({"alwaysFakeOptionals": false, "optionalsProbability": 0.5})
}

/// Builds the served document from the merged upstream one.
pub fn document(upstream: &Value, overlay: &Overlay, origins: &Origins) -> Result<Value> {
    let narrowing = overlay.narrowing();
    for (i, patch) in overlay.patches.iter().enumerate() {
        if !patch.narrows {
            continue;
        }
        let Some(expect) = &patch.expect else {
            bail!("specs/overlay.yaml: patches[{i}]: a `narrows` entry replaces an upstream value; give `expect`");
        };
        for place in patch.at.iter() {
            let at = resolve(upstream, place)
                .map_err(|e| anyhow!("specs/overlay.yaml: patches[{i}]: {e}"))?;
            narrowing::check(expect, &patch.set, &at).map_err(|e| {
                anyhow!(
                    "specs/overlay.yaml: patches[{i}] is marked `narrows` but may accept more than upstream at {}: {e}",
                    origins.describe(&at)
                )
            })?;
        }
    }
    let mut doc = upstream.clone();
    narrowing.apply(&mut doc, &mut origins.clone())?;
    if let Value::Object(map) = &mut doc {
        map.insert("x-json-schema-faker".into(), faker_options());
    }
    Ok(doc)
}
