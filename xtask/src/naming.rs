//! Operations without an `operationId` get one derived from their method and
//! path ([`crate::operation_id::derive`]), so progenitor can name their method.
//!
//! The overlay runs first, so a patch that sets `operationId` overrides the
//! derived name; each derived id is listed in the conversion report.

use std::collections::BTreeMap;

use anyhow::{bail, Result};
use serde_json::{json, Value};

use crate::operation_id::derive;
use crate::operations::operations;
use crate::pointer::join;
use crate::report::DerivedId;

/// Gives every operation of `doc` without an operationId a derived one.
/// A derived id equal to an existing one is an error naming both operations.
pub fn name_operations(doc: &mut Value) -> Result<Vec<DerivedId>> {
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    let mut missing = Vec::new();
    for (path, method, operation) in operations(doc) {
        let name = format!("{} {path}", method.to_uppercase());
        match operation.get("operationId").and_then(Value::as_str) {
            Some(id) => {
                taken.insert(id.to_string(), name);
            }
            None => missing.push((path, method, name)),
        }
    }
    let mut derived = Vec::new();
    for (path, method, name) in missing {
        let id = derive(&method, &path);
        if let Some(other) = taken.get(&id) {
            bail!(
                "{name} has no operationId and the one derived for it, {id:?}, is already {other}'s; \
                 set one in specs/overlay.yaml:\n  - at: {}\n    why: upstream gives none\n    set: <a name>",
                join(&join(&join("/paths", &path), &method), "operationId")
            );
        }
        doc["paths"][&path][&method]["operationId"] = json!(id);
        taken.insert(id.clone(), name.clone());
        derived.push(DerivedId {
            operation: name,
            operation_id: id,
        });
    }
    Ok(derived)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_in_missing_ids_and_keeps_given_ones() {
        let mut doc = json!({"paths": {
            "/chat/sessions/search": {"get": {"responses": {}}},
            "/a": {"post": {"operationId": "makeA", "responses": {}}}
        }});
        let derived = name_operations(&mut doc).unwrap();
        assert_eq!(
            doc["paths"]["/chat/sessions/search"]["get"]["operationId"],
            "get_chat_sessions_search"
        );
        assert_eq!(doc["paths"]["/a"]["post"]["operationId"], "makeA");
        assert_eq!(
            derived,
            [DerivedId {
                operation: "GET /chat/sessions/search".into(),
                operation_id: "get_chat_sessions_search".into()
            }]
        );
    }

    #[test]
    fn a_derived_id_that_collides_names_both_operations() {
        let mut doc = json!({"paths": {
            "/a": {"get": {"responses": {}}},
            "/b": {"get": {"operationId": "get_a", "responses": {}}}
        }});
        let err = name_operations(&mut doc).unwrap_err().to_string();
        assert!(err.contains("GET /a has no operationId"), "{err}");
        assert!(err.contains("already GET /b's"), "{err}");
        assert!(err.contains("/paths/~1a/get/operationId"), "{err}");
    }
}
