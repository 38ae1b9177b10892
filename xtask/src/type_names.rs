//! One Rust type per name: what typify would name twice gets a name of its
//! own before codegen.
//!
//! typify names an inline schema after where it stands (`Widget`'s property
//! `part` → `WidgetPart`, or the schema's `title`), without looking at the
//! component names, so the inline `oneOf` and a component `WidgetPart` become
//! two items of one name and the client does not compile (E0428;
//! oxidecomputer/typify PR #601 fixed it and was reverted). And two
//! components whose names differ only in case or separators (`foo_bar`,
//! `FooBar`) become one name too. When codegen reports such names, the
//! inline schema moves to `components/schemas` under a free name (the
//! component keeps its own), or the later component is renamed; each is
//! listed in the conversion report, and codegen runs again.

use std::collections::BTreeSet;

use heck::ToSnakeCase;
use serde_json::{json, Value};

use crate::codegen::names::{type_name, unique};
use crate::pointer::join;
use crate::report::{Moved, Report};

const SCHEMAS: &str = "/components/schemas";

/// Gives the schemas behind each of `duplicates` (type names defined more
/// than once) names of their own. Returns how many it moved or renamed.
pub fn separate(doc: &mut Value, duplicates: &[String], report: &mut Report) -> usize {
    let duplicates: BTreeSet<&str> = duplicates.iter().map(String::as_str).collect();
    let names: Vec<String> = doc
        .pointer(SCHEMAS)
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let mut taken: BTreeSet<String> = names.iter().map(|n| type_name(n)).collect();
    let mut changed = 0;

    // Two components with one type name: the later one is renamed.
    let mut owners: BTreeSet<String> = BTreeSet::new();
    for name in &names {
        let typed = type_name(name);
        if !duplicates.contains(typed.as_str()) || owners.insert(typed.clone()) {
            continue;
        }
        let new = unique(&format!("{typed}2"), &mut taken);
        let schema = doc["components"]["schemas"]
            .as_object_mut()
            .and_then(|m| m.shift_remove(name))
            .expect("listed above");
        doc["components"]["schemas"][&new] = schema;
        let old = format!("#{}", join(SCHEMAS, name));
        rewrite_refs(doc, &old, &format!("#{}", join(SCHEMAS, &new)));
        report.moved.insert(Moved {
            from: join(SCHEMAS, name),
            name: new,
        });
        changed += 1;
    }

    // Inline schemas typify would name like a component.
    let mut found = Vec::new();
    for name in doc
        .pointer(SCHEMAS)
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect::<Vec<_>>())
        .unwrap_or_default()
    {
        let at = join(SCHEMAS, &name);
        if let Some(schema) = doc.pointer(&at) {
            inline_names(schema, &type_name(&name), &at, &duplicates, &mut found);
        }
    }
    for (at, wanted) in found {
        let new = unique(&format!("{wanted}2"), &mut taken);
        let Some(slot) = doc.pointer_mut(&at) else {
            continue;
        };
        let schema = std::mem::replace(slot, json!({"$ref": format!("#{}", join(SCHEMAS, &new))}));
        doc["components"]["schemas"][&new] = schema;
        report.moved.insert(Moved {
            from: at,
            name: new,
        });
        changed += 1;
    }
    changed
}

/// The inline schemas under `schema` (whose type is named `base`) that
/// typify would name as one of `duplicates`: property schemas, named after
/// their `title`, else `{base}_{property}`.
fn inline_names(
    schema: &Value,
    base: &str,
    at: &str,
    duplicates: &BTreeSet<&str>,
    found: &mut Vec<(String, String)>,
) {
    let Some(properties) = schema.get("properties").and_then(Value::as_object) else {
        return;
    };
    for (property, sub) in properties {
        if sub.get("$ref").is_some() {
            continue;
        }
        let named = match sub.get("title").and_then(Value::as_str) {
            Some(title) => type_name(title),
            None => type_name(&format!("{base}_{}", property.to_snake_case())),
        };
        let here = join(&join(at, "properties"), property);
        if duplicates.contains(named.as_str()) {
            found.push((here.clone(), named.clone()));
        }
        inline_names(sub, &named, &here, duplicates, found);
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        for (i, part) in schema
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            inline_names(
                part,
                base,
                &join(&join(at, key), &i.to_string()),
                duplicates,
                found,
            );
        }
    }
}

/// Points every `$ref` to `old` (or into it) at `new`.
fn rewrite_refs(value: &mut Value, old: &str, new: &str) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get_mut("$ref") {
                if reference == old || reference.starts_with(&format!("{old}/")) {
                    *reference = format!("{new}{}", &reference[old.len()..]);
                }
            }
            map.values_mut().for_each(|v| rewrite_refs(v, old, new));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite_refs(v, old, new)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_inline_schema_named_like_a_component_moves_to_a_name_of_its_own() {
        let mut doc = json!({"components": {"schemas": {
            "WidgetPart": {"type": "object", "properties": {"sku": {"type": "string"}}},
            "Widget": {"type": "object", "properties": {
                "part": {"oneOf": [{"type": "string"}, {"type": "integer"}]}
            }}
        }}});
        let mut report = Report::default();
        assert_eq!(separate(&mut doc, &["WidgetPart".into()], &mut report), 1);
        assert_eq!(
            doc["components"]["schemas"]["Widget"]["properties"]["part"],
            json!({"$ref": "#/components/schemas/WidgetPart2"})
        );
        assert!(doc["components"]["schemas"]["WidgetPart2"]["oneOf"].is_array());
        assert!(doc["components"]["schemas"]["WidgetPart"]["properties"]["sku"].is_object());
        assert_eq!(
            report.moved.iter().next().unwrap().from,
            "/components/schemas/Widget/properties/part"
        );
    }

    #[test]
    fn two_components_with_one_type_name_are_told_apart() {
        let mut doc = json!({"paths": {"/a": {"get": {"responses": {"200": {"description": "",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/foo_bar"}}}}}}}},
            "components": {"schemas": {"FooBar": {"type": "string"}, "foo_bar": {"type": "integer"}}}});
        let mut report = Report::default();
        assert_eq!(separate(&mut doc, &["FooBar".into()], &mut report), 1);
        assert_eq!(
            doc["components"]["schemas"]["FooBar2"],
            json!({"type": "integer"})
        );
        assert_eq!(
            doc["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"],
            json!({"$ref": "#/components/schemas/FooBar2"})
        );
    }
}
