//! Where typify names an inline schema: after its `title`, or after its
//! place (`Widget`'s property `part` → `WidgetPart`), walked over every
//! inline schema of a document.

use heck::ToSnakeCase;
use serde_json::{json, Value};

use super::SCHEMAS;
use crate::codegen::names::type_name;
use crate::pointer::join;

/// The type name a schema's `title` gives it, where typify names a type
/// after it.
pub(super) fn title_names(schema: &Value) -> Option<String> {
    schema
        .get("title")
        .and_then(Value::as_str)
        .filter(|_| names_a_type(schema))
        .map(type_name)
}

/// Whether typify gives `schema` a type of its own, which a `title` names:
/// an object with properties, an enum, a union, or a string it checks (a
/// length or a pattern makes a newtype). A plain titled string or list is a
/// `String` or a `Vec` whatever its title.
fn names_a_type(schema: &Value) -> bool {
    ["properties", "enum", "oneOf", "anyOf", "allOf"]
        .iter()
        .any(|k| schema.get(*k).is_some())
        || (schema.get("type") == Some(&json!("string"))
            && ["minLength", "maxLength", "pattern"]
                .iter()
                .any(|k| schema.get(*k).is_some()))
}

/// Calls `f` on every inline schema of `doc` (not a component itself, not a
/// `$ref`) with its pointer and, where typify names it after its place, that
/// name: a component's property `part` of `Widget` is `WidgetPart`, its list
/// items `WidgetItem`. Schemas of operations, parameters and bodies are
/// visited too, for their titles.
pub(super) fn inline_schemas(doc: &Value, f: &mut dyn FnMut(&str, &Value, Option<String>)) {
    for (name, schema) in doc
        .pointer(SCHEMAS)
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        children(schema, &join(SCHEMAS, name), &type_name(name), f);
        // typify merges an `allOf` branch that refers to another component
        // into this type, so that component's properties are named after
        // this one too (`ExternalSecuritySolution` merging
        // `ExternalSecuritySolutionKind`'s `kind` makes a second
        // `ExternalSecuritySolutionKind`); they stand in that component.
        let mut merged: Vec<&str> = Vec::new();
        let mut todo: Vec<&Value> = vec![schema];
        while let Some(next) = todo.pop() {
            for branch in next
                .get("allOf")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let Some(target) = branch
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| r.strip_prefix("#/components/schemas/"))
                else {
                    continue;
                };
                if merged.contains(&target) || merged.len() > 64 {
                    continue;
                }
                merged.push(target);
                let at = join(SCHEMAS, &crate::pointer::unescape(target));
                if let Some(component) = doc.pointer(&at) {
                    children(component, &at, &type_name(name), f);
                    todo.push(component);
                }
            }
        }
    }
    // Outside the schemas: every `schema` of a parameter, a header or a
    // media type, in operations and in the other components.
    fn holders(value: &Value, at: &str, f: &mut dyn FnMut(&str, &Value, Option<String>)) {
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    let here = join(at, key);
                    if key == "schema" && child.is_object() {
                        visit(child, &here, None, f);
                    } else if !key.starts_with("x-") && key != "example" && key != "examples" {
                        holders(child, &here, f);
                    }
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    holders(child, &join(at, &i.to_string()), f);
                }
            }
            _ => {}
        }
    }
    if let Some(paths) = doc.get("paths") {
        holders(paths, "/paths", f);
    }
    for section in ["parameters", "requestBodies", "responses", "headers"] {
        let at = format!("/components/{section}");
        if let Some(entries) = doc.pointer(&at) {
            holders(entries, &at, f);
        }
    }
}

/// `schema` at `at` (inline) and what is inside it.
fn visit(
    schema: &Value,
    at: &str,
    positional: Option<String>,
    f: &mut dyn FnMut(&str, &Value, Option<String>),
) {
    if !schema.is_object() || schema.get("$ref").is_some() {
        return;
    }
    f(at, schema, positional.clone());
    let base = title_names(schema).or(positional);
    match base {
        Some(base) => children(schema, at, &base, f),
        None => unnamed_children(schema, at, f),
    }
}

/// The schemas inside `schema` (whose type is named `base`), with the names
/// typify gives them after their place.
fn children(schema: &Value, at: &str, base: &str, f: &mut dyn FnMut(&str, &Value, Option<String>)) {
    for (property, sub) in schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let named = type_name(&format!("{base}_{}", property.to_snake_case()));
        visit(
            sub,
            &join(&join(at, "properties"), property),
            Some(named),
            f,
        );
    }
    if let Some(items) = schema.get("items") {
        let named = type_name(&format!("{base}_item"));
        visit(items, &join(at, "items"), Some(named), f);
    }
    composed(schema, at, Some(base), f);
}

/// The schemas inside `schema`, none named after its place.
fn unnamed_children(schema: &Value, at: &str, f: &mut dyn FnMut(&str, &Value, Option<String>)) {
    for (property, sub) in schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        visit(sub, &join(&join(at, "properties"), property), None, f);
    }
    if let Some(items) = schema.get("items") {
        visit(items, &join(at, "items"), None, f);
    }
    composed(schema, at, None, f);
}

/// The schemas `schema` is composed of. `allOf` branches are merged into
/// the type named `base`, so their properties take its name; the branches of
/// a union are named in ways that depend on it, and only their titles count
/// here.
fn composed(
    schema: &Value,
    at: &str,
    base: Option<&str>,
    f: &mut dyn FnMut(&str, &Value, Option<String>),
) {
    if let Some(extra) = schema.get("additionalProperties").filter(|v| v.is_object()) {
        visit(extra, &join(at, "additionalProperties"), None, f);
    }
    if let Some(not) = schema.get("not") {
        visit(not, &join(at, "not"), None, f);
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        for (i, part) in schema
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let here = join(&join(at, key), &i.to_string());
            match base.filter(|_| key == "allOf") {
                Some(base) if part.is_object() && part.get("$ref").is_none() => {
                    f(&here, part, None);
                    children(part, &here, base, f);
                }
                _ => visit(part, &here, None, f),
            }
        }
    }
}
