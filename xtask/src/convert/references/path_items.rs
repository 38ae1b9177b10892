//! Path items `paths` refers to, inlined.

use serde_json::{Map, Value};

use super::super::{fail, Result};
use crate::pointer::join;

/// Inlines every path item that `paths` refers to with a local `$ref`: into
/// 3.1's `components/pathItems` (which 3.0 does not have, so the section
/// goes), or to another path item. progenitor skips a referenced path item
/// without a word (`ReferenceOr::as_item`), so none may reach it.
pub(super) fn inline(doc: &mut Value) -> Result<()> {
    let original = doc.clone();
    if let Some(components) = doc.get_mut("components").and_then(Value::as_object_mut) {
        components.shift_remove("pathItems");
        if components.is_empty() {
            doc.as_object_mut()
                .expect("a mapping")
                .shift_remove("components");
        }
    }
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else {
        return Ok(());
    };
    for (path, item) in paths.iter_mut() {
        let Some(reference) = item.get("$ref").and_then(Value::as_str) else {
            continue;
        };
        let at = join(&join("/paths", path), "$ref");
        let Some(pointer) = reference.strip_prefix('#') else {
            return fail(
                &at,
                format!("the path item {reference} is in another document, which is not vendored"),
            );
        };
        // A chain of references ends at the first item that holds its own
        // fields; fields nearer the path win, as in 3.1.
        let mut inlined = Map::new();
        let mut seen = vec![at.clone()];
        let mut next = Some(pointer.to_string());
        let mut holder = item.clone();
        while let Some(pointer) = next.take() {
            for (key, value) in holder.as_object().into_iter().flatten() {
                if key != "$ref" && !inlined.contains_key(key) {
                    inlined.insert(key.clone(), value.clone());
                }
            }
            if seen.contains(&pointer) {
                return fail(&at, format!("the path item {reference} refers to itself"));
            }
            seen.push(pointer.clone());
            let Some(target) = original.pointer(&pointer) else {
                return fail(&at, format!("no path item {reference}"));
            };
            next = target
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix('#'))
                .map(str::to_string);
            holder = target.clone();
        }
        for (key, value) in holder.as_object().into_iter().flatten() {
            if key != "$ref" && !inlined.contains_key(key) {
                inlined.insert(key.clone(), value.clone());
            }
        }
        *item = Value::Object(inlined);
    }
    Ok(())
}
