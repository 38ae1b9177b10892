//! References that 3.0 cannot follow, made into ones it can, before any
//! schema is converted:
//! - path items `paths` refers to (3.1's `components/pathItems`, or another
//!   path item) are inlined;
//! - `$ref`s to a schema's `$id` or `$anchor` become JSON pointers;
//! - `$defs` are hoisted into `components/schemas`, and every `$ref` into them
//!   is rewritten to the new place.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::{fail, Result};
use crate::pointer::{join, tokens};
use crate::report::{Moved, Unresolved};

const SCHEMAS: &str = "/components/schemas";

/// Resolves every construct above in `doc`, returning the schemas it moved
/// and the local `$ref`s that name nothing (see [`unresolved`]).
pub(super) fn resolve(doc: &mut Value) -> Result<(Vec<Moved>, Vec<Unresolved>)> {
    inline_path_items(doc)?;
    let mut moved = resolve_identifiers(doc)?;
    moved.extend(hoist_defs(doc)?);
    let unresolved = unresolved(doc);
    Ok((moved, unresolved))
}

/// Every local schema `$ref` whose target is not in the document (a docs
/// page that left a component out) becomes the empty schema: any JSON, a
/// `serde_json::Value`, which reads and sends whatever the server means by
/// it. Followed as it is, progenitor panics on it for the whole client.
fn unresolved(doc: &mut Value) -> Vec<Unresolved> {
    let mut found = Found::default();
    walk(doc, "", "", &mut found);
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

/// Inlines every path item that `paths` refers to with a local `$ref`: into
/// 3.1's `components/pathItems` (which 3.0 does not have, so the section
/// goes), or to another path item. progenitor skips a referenced path item
/// without a word (`ReferenceOr::as_item`), so none may reach it.
fn inline_path_items(doc: &mut Value) -> Result<()> {
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

/// What one walk of the document finds: every schema's `$id` (resolved
/// against the enclosing `$id`, and as written) and `$anchor`, with the JSON
/// pointer where it stands; and every `$ref` with its pointer and the base URI
/// it is resolved against.
#[derive(Default)]
struct Found {
    ids: BTreeMap<String, String>,
    refs: Vec<(String, String, String)>,
}

fn walk(value: &Value, at: &str, base: &str, found: &mut Found) {
    match value {
        Value::Object(map) => {
            let mut base = base.to_string();
            if let Some(id) = map.get("$id").and_then(Value::as_str) {
                if !id.starts_with('#') {
                    base = resolve_uri(&base, id);
                    found.ids.insert(base.clone(), at.to_string());
                    found.ids.insert(id.to_string(), at.to_string());
                }
            }
            if let Some(anchor) = map.get("$anchor").and_then(Value::as_str) {
                found.ids.insert(format!("{base}#{anchor}"), at.to_string());
            }
            if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
                found
                    .refs
                    .push((at.to_string(), base.clone(), reference.to_string()));
            }
            for (key, child) in map {
                walk(child, &join(at, key), &base, found);
            }
        }
        Value::Array(list) => {
            for (i, child) in list.iter().enumerate() {
                walk(child, &join(at, &i.to_string()), base, found);
            }
        }
        _ => {}
    }
}

/// RFC 3986 reference resolution, for the forms schema ids take: an absolute
/// URI replaces the base; a path replaces the base's last segment.
fn resolve_uri(base: &str, reference: &str) -> String {
    if reference.contains("://") || base.is_empty() {
        return reference.to_string();
    }
    let base = base.split('#').next().unwrap_or(base);
    if let Some(rest) = reference.strip_prefix('#') {
        return format!("{base}#{rest}");
    }
    if reference.starts_with('/') {
        let origin_end = base
            .find("://")
            .and_then(|s| base[s + 3..].find('/').map(|p| s + 3 + p))
            .unwrap_or(base.len());
        return format!("{}{reference}", &base[..origin_end]);
    }
    match base.rfind('/') {
        Some(slash) => format!("{}{reference}", &base[..=slash]),
        None => reference.to_string(),
    }
}

/// Rewrites `$ref`s that name an `$id` or `$anchor` into JSON pointers. A
/// schema so referenced that is not a component is moved into
/// `components/schemas` under the last segment of its `$id`, so it becomes one
/// named type; a `$ref` to a document that is not here is refused.
fn resolve_identifiers(doc: &mut Value) -> Result<Vec<Moved>> {
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

/// `wanted`, or `wanted2`, `wanted3`... whichever is not a component yet.
fn free_name(doc: &Value, wanted: &str) -> String {
    let taken = |name: &str| doc.pointer(&join(SCHEMAS, name)).is_some();
    if !taken(wanted) {
        return wanted.to_string();
    }
    (2..)
        .map(|n| format!("{wanted}{n}"))
        .find(|name| !taken(name))
        .expect("some number is free")
}

fn insert_schema(doc: &mut Value, name: &str, schema: Value) {
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

/// The pointer of the first `$defs` mapping in `value`, outermost first.
fn first_defs(value: &Value, at: &str) -> Option<String> {
    match value {
        Value::Object(map) => {
            if map.get("$defs").is_some_and(Value::is_object) {
                return Some(join(at, "$defs"));
            }
            map.iter().find_map(|(k, v)| first_defs(v, &join(at, k)))
        }
        Value::Array(list) => list
            .iter()
            .enumerate()
            .find_map(|(i, v)| first_defs(v, &join(at, &i.to_string()))),
        _ => None,
    }
}

/// Moves each `$defs` entry to `components/schemas`, named as the entry is
/// when that name is free (else prefixed by its owner's name), and points every
/// `$ref` into it at the new place. Runs until no `$defs` is left, so nested
/// ones are hoisted too.
fn hoist_defs(doc: &mut Value) -> Result<Vec<Moved>> {
    let mut moved = Vec::new();
    while let Some(at) = first_defs(doc, "") {
        let owner = tokens(&at);
        let owner_name = if owner.len() >= 4 && owner[0] == "components" && owner[1] == "schemas" {
            owner[2].clone()
        } else {
            String::new()
        };
        let (parent, _) = at.rsplit_once('/').expect("a `$defs` has a parent");
        let defs = doc
            .pointer_mut(parent)
            .and_then(Value::as_object_mut)
            .and_then(|m| m.shift_remove("$defs"))
            .expect("found by walking");
        let Value::Object(defs) = defs else {
            return fail(&at, "`$defs` must be a mapping");
        };
        let mut renamed = Vec::new();
        for (name, schema) in defs {
            let wanted = if doc.pointer(&join(SCHEMAS, &name)).is_some() && !owner_name.is_empty() {
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
        rewrite_refs(doc, &renamed);
    }
    Ok(moved)
}

/// Points every `$ref` at `old` (or inside it) at `new` instead.
fn rewrite_refs(value: &mut Value, renamed: &[(String, String)]) {
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
