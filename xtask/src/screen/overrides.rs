//! `allOf` branches that redefine a property with another type: the
//! document's author meant inheritance with an override (Sinao's
//! `RecurringInvoice` is a `SalesDocumentContract` whose `discount` is an
//! integer where the contract's is an object), which read as JSON Schema no
//! value holding the property satisfies. typify's merge drops the property
//! (`schemas.rs`), and leaving the schema out takes every operation that
//! uses it along (53 of Sinao's 281).
//!
//! Where every branch is a plain object (properties, `required`,
//! annotations), the `allOf` is flattened here into the one object schema
//! typify's merge would make of it, with the contested property as any JSON
//! value (`serde_json::Value`): whatever the server sends there is read
//! as it is and nothing is lost, the other properties keep their types, and
//! a warning names the pointer so that specs/overlay.yaml can settle which
//! type is meant. Anything else in a branch (`oneOf`, `additionalProperties`,
//! a `discriminator`, `nullable`) keeps the schema as `schemas.rs` judges it.

use serde_json::{Map, Value};

use super::schemas::{branches, contested, resolve, values_conflict};
use crate::pointer::join;
use crate::report::{Dropped, Report};
use crate::walk::children;

/// Keywords of a branch that flattening keeps the meaning of.
const PLAIN: [&str; 7] = [
    "type",
    "properties",
    "required",
    "allOf",
    "description",
    "title",
    "example",
];

/// Flattens every `allOf` of `doc` whose plain-object branches contest a
/// property, deepest first. Returns how many.
pub(super) fn flatten_contested(doc: &mut Value, report: &mut Report) -> usize {
    let mut sites = Vec::new();
    find(doc, doc, "", &mut sites);
    // Deepest first, so a flattened inner schema is what an outer one reads.
    sites.sort_by_key(|at: &String| std::cmp::Reverse(at.len()));
    let mut flattened = 0;
    for at in sites {
        let Some(holder) = doc.pointer(&at).cloned() else {
            continue;
        };
        let Some((schema, contested)) = flatten(doc, &holder) else {
            continue;
        };
        if let Some(slot) = doc.pointer_mut(&at) {
            *slot = schema;
        }
        for (name, why) in contested {
            report.repaired.insert(Dropped {
                pointer: join(&at, "allOf"),
                why: format!(
                    "its `allOf` branches give property `{name}` {why}, which no value \
                     satisfies (a redefinition, as in a subclass): the branches are merged \
                     into one object and `{name}` is read and sent as any JSON \
                     (`serde_json::Value`); settle its type in specs/overlay.yaml"
                ),
            });
        }
        flattened += 1;
    }
    flattened
}

/// The schemas (pointers) holding an `allOf` that contests a property.
fn find(doc: &Value, value: &Value, at: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Array(list)) = map.get("allOf") {
                let mut all = Vec::new();
                branches(doc, list, 0, &mut all);
                if values_conflict(&all).is_none() && !contested(doc, &all).is_empty() {
                    out.push(at.to_string());
                }
            }
            children(map, at, |child, here| find(doc, child, &here, out));
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                find(doc, child, &join(at, &i.to_string()), out);
            }
        }
        _ => {}
    }
}

fn plain(schema: &Value) -> bool {
    let Some(map) = schema.as_object() else {
        return false;
    };
    map.iter().all(|(key, value)| {
        key.starts_with("x-")
            || (key == "type" && value == "object")
            || (key != "type" && PLAIN.contains(&key.as_str()))
    })
}

/// The one object schema `holder`'s `allOf` means with the contested
/// properties as any value, and those properties with why; `None` unless
/// every branch is [`plain`].
fn flatten(doc: &Value, holder: &Value) -> Option<(Value, Vec<(String, String)>)> {
    let list = holder.get("allOf")?.as_array()?;
    let mut own = holder.as_object()?.clone();
    own.shift_remove("allOf");
    let own = Value::Object(own);
    let mut all = vec![&own];
    branches(doc, list, 0, &mut all);
    if !all.iter().all(|b| plain(b)) {
        return None;
    }
    let contested = contested(doc, &all);
    let mut properties: Map<String, Value> = Map::new();
    let mut definitions: Vec<(String, Vec<&Value>)> = Vec::new();
    let mut required: Vec<Value> = Vec::new();
    for branch in &all {
        for (name, schema) in branch
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            match definitions.iter_mut().find(|(n, _)| n == name) {
                Some((_, list)) if !list.contains(&schema) => list.push(schema),
                Some(_) => {}
                None => definitions.push((name.clone(), vec![schema])),
            }
        }
        for name in branch
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if !required.contains(name) {
                required.push(name.clone());
            }
        }
    }
    for (name, schemas) in definitions {
        let merged = if contested.iter().any(|(n, _)| *n == name) {
            // Any value; the descriptions the branches give are kept.
            let description = schemas
                .iter()
                .find_map(|s| resolve(doc, s).get("description").cloned());
            let mut any = Map::new();
            if let Some(description) = description {
                any.insert("description".into(), description);
            }
            Value::Object(any)
        } else if let [one] = schemas.as_slice() {
            (*one).clone()
        } else {
            serde_json::json!({"allOf": schemas})
        };
        properties.insert(name, merged);
    }
    let mut schema = Map::new();
    for key in ["title", "description", "example"] {
        if let Some(value) = own.get(key) {
            schema.insert(key.into(), value.clone());
        }
    }
    for (key, value) in own.as_object().into_iter().flatten() {
        if key.starts_with("x-") {
            schema.insert(key.clone(), value.clone());
        }
    }
    schema.insert("type".into(), "object".into());
    schema.insert("properties".into(), Value::Object(properties));
    if !required.is_empty() {
        schema.insert("required".into(), Value::Array(required));
    }
    Some((Value::Object(schema), contested))
}
