//! References that 3.0 cannot follow, made into ones it can, before any
//! schema is converted:
//! - percent-encoded fragments are decoded;
//! - path items `paths` refers to (3.1's `components/pathItems`, or another
//!   path item) are inlined (`path_items.rs`);
//! - `$ref`s to a schema's `$id` or `$anchor` become JSON pointers
//!   (`identifiers.rs`);
//! - `$defs` (and draft-07's `definitions`) are hoisted into
//!   `components/schemas`, and every `$ref` into them is rewritten to the new
//!   place (`defs.rs`);
//! - a `$ref` to a schema inside another (a property of a component, a
//!   parameter's schema) gets that schema hoisted into `components/schemas`,
//!   where progenitor can follow it (`deep.rs`).

mod deep;
mod defs;
mod identifiers;
mod path_items;
mod walk;

use serde_json::{Map, Value};

use super::Result;
use crate::pointer::join;
use crate::report::{Moved, Unresolved};

const SCHEMAS: &str = "/components/schemas";

/// Resolves every construct above in `doc`, returning the schemas it moved
/// and the local `$ref`s that name nothing (see [`unresolved`]).
pub(super) fn resolve(doc: &mut Value) -> Result<(Vec<Moved>, Vec<Unresolved>)> {
    decode_fragments(doc);
    path_items::inline(doc)?;
    let mut moved = identifiers::resolve(doc)?;
    moved.extend(defs::hoist(doc)?);
    moved.extend(deep::hoist(doc));
    deep::inline_others(doc);
    let unresolved = unresolved(doc);
    Ok((moved, unresolved))
}

/// A `$ref` is a URI, so its fragment may be percent-encoded (RFC 6901 §6:
/// `#/paths/~1a~1%7Bid%7D` for `/a/{id}`); every one is written decoded,
/// as the JSON pointer the other stages follow.
fn decode_fragments(doc: &mut Value) {
    let mut found = walk::Found::default();
    walk::walk(doc, "", "", &mut found);
    for (at, _, reference) in found.refs {
        let Some(fragment) = reference.strip_prefix('#').filter(|f| f.contains('%')) else {
            continue;
        };
        let Ok(decoded) = percent_encoding::percent_decode_str(fragment).decode_utf8() else {
            continue;
        };
        if let Some(slot) = doc.pointer_mut(&join(&at, "$ref")) {
            *slot = Value::String(format!("#{decoded}"));
        }
    }
}

/// Every local schema `$ref` whose target is not in the document (a docs
/// page that left a component out) becomes the empty schema: any JSON, a
/// `serde_json::Value`, which reads and sends whatever the server means by
/// it. Followed as it is, progenitor panics on it for the whole client.
fn unresolved(doc: &mut Value) -> Vec<Unresolved> {
    let mut found = walk::Found::default();
    walk::walk(doc, "", "", &mut found);
    let mut unresolved = Vec::new();
    for (at, _, reference) in found.refs {
        let Some(pointer) = reference.strip_prefix('#') else {
            continue;
        };
        if !pointer.starts_with("/components/schemas/") || doc.pointer(pointer).is_some() {
            continue;
        }
        if let Some(Value::Object(schema)) = doc.pointer_mut(&at) {
            schema.shift_remove("$ref");
        }
        unresolved.push(Unresolved {
            pointer: join(&at, "$ref"),
            reference,
        });
    }
    unresolved
}

/// `wanted`, or `wanted2`, `wanted3`... whichever is not a component yet.
pub(super) fn free_name(doc: &Value, wanted: &str) -> String {
    let taken = |name: &str| doc.pointer(&join(SCHEMAS, name)).is_some();
    if !taken(wanted) {
        return wanted.to_string();
    }
    (2..)
        .map(|n| format!("{wanted}{n}"))
        .find(|name| !taken(name))
        .expect("some number is free")
}

pub(super) fn insert_schema(doc: &mut Value, name: &str, schema: Value) {
    let root = doc.as_object_mut().expect("a document is a mapping");
    let components = root
        .entry("components")
        .or_insert_with(|| Value::Object(Map::new()));
    let schemas = components
        .as_object_mut()
        .expect("components is a mapping")
        .entry("schemas")
        .or_insert_with(|| Value::Object(Map::new()));
    schemas
        .as_object_mut()
        .expect("schemas is a mapping")
        .insert(name.to_string(), schema);
}

/// Points every `$ref` at `old` (or inside it) at `new` instead.
pub(super) fn rewrite_refs(value: &mut Value, renamed: &[(String, String)]) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get_mut("$ref") {
                for (old, new) in renamed {
                    if reference == old || reference.starts_with(&format!("{old}/")) {
                        *reference = format!("{new}{}", &reference[old.len()..]);
                        break;
                    }
                }
            }
            for child in map.values_mut() {
                rewrite_refs(child, renamed);
            }
        }
        Value::Array(list) => {
            for child in list {
                rewrite_refs(child, renamed);
            }
        }
        _ => {}
    }
}
