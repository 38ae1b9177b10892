//! `$ref`s to an `$id` or an `$anchor`, made JSON pointers.

use std::collections::BTreeMap;

use serde_json::Value;

use super::super::{fail, Result};
use super::walk::{resolve_uri, walk, Found};
use super::{free_name, insert_schema, SCHEMAS};
use crate::pointer::{join, tokens};
use crate::report::Moved;

/// Rewrites `$ref`s that name an `$id` or `$anchor` into JSON pointers. A
/// schema so referenced that is not a component is moved into
/// `components/schemas` under the last segment of its `$id`, so it becomes one
/// named type; a `$ref` to a document that is not here is refused.
pub(super) fn resolve(doc: &mut Value) -> Result<Vec<Moved>> {
    let mut found = Found::default();
    walk(doc, "", "", &mut found);
    let Found { ids, refs } = found;
    let mut moved = Vec::new();
    let mut targets: BTreeMap<String, String> = BTreeMap::new();
    for (at, base, reference) in refs {
        if reference.starts_with("#/") || reference == "#" {
            continue;
        }
        let absolute = resolve_uri(&base, &reference);
        let Some(target) = ids.get(&absolute).or_else(|| ids.get(&reference)) else {
            return fail(
                &at,
                format!("`$ref` {reference:?} names a document or schema that is not in the vendored documents; vendor it, or inline it with an overlay patch"),
            );
        };
        let pointer = match targets.get(target) {
            Some(p) => p.clone(),
            None => {
                let p = if is_component(target) {
                    target.clone()
                } else {
                    let name = free_name(doc, &id_name(&absolute));
                    let schema = doc.pointer(target).cloned().expect("found by walking");
                    insert_schema(doc, &name, schema);
                    let new = join(SCHEMAS, &name);
                    *doc.pointer_mut(target).expect("found by walking") =
                        serde_json::json!({"$ref": format!("#{new}")});
                    moved.push(Moved {
                        from: target.clone(),
                        name,
                    });
                    new
                };
                targets.insert(target.clone(), p.clone());
                p
            }
        };
        if let Some(slot) = doc.pointer_mut(&join(&at, "$ref")) {
            *slot = Value::String(format!("#{pointer}"));
        }
    }
    Ok(moved)
}

fn is_component(pointer: &str) -> bool {
    let parts = tokens(pointer);
    parts.len() == 3 && parts[0] == "components" && parts[1] == "schemas"
}

/// A type name from an `$id`: its last path segment without extension.
fn id_name(id: &str) -> String {
    let path = id.split('#').next().unwrap_or(id).trim_end_matches('/');
    let last = path.rsplit('/').next().unwrap_or(path);
    let stem = last.split('.').next().unwrap_or(last);
    let name: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if name.is_empty() {
        "Schema".into()
    } else {
        name
    }
}
