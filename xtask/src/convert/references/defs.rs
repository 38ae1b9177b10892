//! Named schemas kept inside another schema, hoisted into
//! `components/schemas`: 2020-12's `$defs`, and draft-07's `definitions`
//! (which 2020-12 keeps for compatibility, and real 3.1 documents use).

use serde_json::Value;

use super::super::{fail, Result};
use super::walk::{is_data, names_things};
use super::{free_name, insert_schema, rewrite_refs, SCHEMAS};
use crate::pointer::{join, tokens};
use crate::report::Moved;

/// The keywords that hold named schemas inside a schema.
const DEFS: [&str; 2] = ["$defs", "definitions"];

/// The pointers of the outermost `$defs` and `definitions` mappings under
/// `value`, in document order; values (examples, defaults) are not read.
fn outermost(value: &Value, at: &str, names: bool, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                if !names && is_data(key) {
                    continue;
                }
                let here = join(at, key);
                if !names && DEFS.contains(&key.as_str()) && child.is_object() && !at.is_empty() {
                    found.push(here);
                    continue;
                }
                outermost(child, &here, !names && names_things(key), found);
            }
        }
        Value::Array(list) => {
            for (i, child) in list.iter().enumerate() {
                outermost(child, &join(at, &i.to_string()), false, found);
            }
        }
        _ => {}
    }
}

/// Moves each `$defs` (or `definitions`) entry to `components/schemas`,
/// named as the entry is when that name is free (else prefixed by its
/// owner's name), and points every `$ref` into it at the new place. One walk
/// and one rewrite a level of nesting: a search from the top for each entry
/// was quadratic.
pub(super) fn hoist(doc: &mut Value) -> Result<Vec<Moved>> {
    let mut moved = Vec::new();
    loop {
        let mut found = Vec::new();
        outermost(doc, "", false, &mut found);
        if found.is_empty() {
            return Ok(moved);
        }
        let mut renamed = Vec::new();
        for at in found {
            let owner = tokens(&at);
            let owner_name =
                if owner.len() >= 4 && owner[0] == "components" && owner[1] == "schemas" {
                    owner[2].clone()
                } else {
                    String::new()
                };
            let (parent, keyword) = at.rsplit_once('/').expect("a `$defs` has a parent");
            let defs = doc
                .pointer_mut(parent)
                .and_then(Value::as_object_mut)
                .and_then(|m| m.shift_remove(&crate::pointer::unescape(keyword)))
                .expect("found by walking");
            let Value::Object(defs) = defs else {
                return fail(&at, "`$defs` must be a mapping");
            };
            for (name, schema) in defs {
                let wanted =
                    if doc.pointer(&join(SCHEMAS, &name)).is_some() && !owner_name.is_empty() {
                        format!("{owner_name}{name}")
                    } else {
                        name.clone()
                    };
                let new_name = free_name(doc, &wanted);
                insert_schema(doc, &new_name, schema);
                let from = join(&at, &name);
                renamed.push((format!("#{from}"), format!("#{}", join(SCHEMAS, &new_name))));
                moved.push(Moved {
                    from,
                    name: new_name,
                });
            }
        }
        // Longer pointers first, so one inside another is rewritten whole.
        renamed.sort_by_key(|(old, _)| std::cmp::Reverse(old.len()));
        rewrite_refs(doc, &renamed);
    }
}
