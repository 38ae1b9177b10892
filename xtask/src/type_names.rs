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

use std::collections::{BTreeMap, BTreeSet};

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

    changed += rename_components(doc, report, &|typed| duplicates.contains(typed), false);

    // Inline schemas typify would name like a component, or like another
    // schema. A copy of the component it is named like (a bundled document
    // inlines `$ref`s) becomes a `$ref` to it. A title that names two types
    // goes, wherever it stands (component roots included: typify's `allOf`
    // merge carries a branch's title into the type it merges): the type is
    // then named after its place. A schema named after its place moves to a
    // component of a free name, one for each distinct shape.
    let mut titled = Vec::new();
    let mut placed = Vec::new();
    for (name, schema) in doc
        .pointer(SCHEMAS)
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        if title_names(schema).is_some_and(|t| duplicates.contains(t.as_str())) {
            titled.push((join(SCHEMAS, name), title_names(schema).expect("checked")));
        }
    }
    inline_schemas(
        doc,
        &mut |at, schema, positional| match (title_names(schema), positional) {
            (Some(wanted), _) if duplicates.contains(wanted.as_str()) => {
                titled.push((at.to_string(), wanted));
            }
            (None, Some(wanted)) if duplicates.contains(wanted.as_str()) => {
                placed.push((at.to_string(), wanted));
            }
            _ => {}
        },
    );
    let components: Vec<(String, Value)> = doc
        .pointer(SCHEMAS)
        .and_then(Value::as_object)
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    let copy_of = |wanted: &str, schema: &Value| copy_of(&components, wanted, schema);
    for (at, wanted) in titled {
        if settle_title(doc, &at, &wanted, &components, report) {
            changed += 1;
        }
    }
    let mut hoisted: Vec<(String, Value, String)> = Vec::new();
    for (at, wanted) in placed {
        let Some(schema) = doc.pointer(&at).cloned() else {
            continue;
        };
        let target = match copy_of(&wanted, &schema) {
            Some(name) => name,
            None => match hoisted
                .iter()
                .find(|(w, s, _)| *w == wanted && *s == schema)
            {
                Some((_, _, name)) => name.clone(),
                None => {
                    let new = unique(&format!("{wanted}2"), &mut taken);
                    hoisted.push((wanted.clone(), schema.clone(), new.clone()));
                    doc["components"]["schemas"][&new] = schema;
                    new
                }
            },
        };
        if let Some(slot) = doc.pointer_mut(&at) {
            *slot = json!({"$ref": format!("#{}", join(SCHEMAS, &target))});
        }
        report.moved.insert(Moved {
            from: at,
            name: target,
        });
        changed += 1;
    }
    if changed == 0 {
        // No schema of the document but one component stands for the name:
        // the other type is typify's own. Its `allOf` merge checks a `$ref`
        // property against the other branch's `additionalProperties` schema
        // and writes `allOf: [that schema, $ref]` inline, named
        // `<Parent><Property>` (typify-impl 0.8 `merge.rs`,
        // `merge_additional`), which is the referenced component's own name
        // in Zuora's `POSTRevenueScheduleByChargeType.revenueEvent`
        // (oxidecomputer/typify PR #601). The component takes a free name.
        changed += rename_components(doc, report, &|typed| duplicates.contains(typed), true);
    }
    changed
}

/// Renames every later component whose type name (one that `which`
/// accepts) an earlier component has (`foo_bar` beside `FooBar`), or with
/// `sole` every such component, the first included (once: a component a
/// rename made keeps its name), and points every `$ref` at the new names in
/// one walk. Returns how many.
fn rename_components(
    doc: &mut Value,
    report: &mut Report,
    which: &dyn Fn(&str) -> bool,
    sole: bool,
) -> usize {
    let names: Vec<String> = doc
        .pointer(SCHEMAS)
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let mut taken: BTreeSet<String> = names.iter().map(|n| type_name(n)).collect();
    let mut owners: BTreeSet<String> = BTreeSet::new();
    let mut renamed: BTreeMap<String, String> = BTreeMap::new();
    for name in &names {
        let typed = type_name(name);
        let first = owners.insert(typed.clone());
        let renamed_before = report.moved.iter().any(|m| m.name == *name);
        if !which(&typed) || (first && !sole) || (sole && renamed_before) {
            continue;
        }
        let new = unique(&format!("{typed}2"), &mut taken);
        let schema = doc["components"]["schemas"]
            .as_object_mut()
            .and_then(|m| m.shift_remove(name))
            .expect("listed above");
        doc["components"]["schemas"][&new] = schema;
        report.moved.insert(Moved {
            from: join(SCHEMAS, name),
            name: new.clone(),
        });
        renamed.insert(
            format!("#{}", join(SCHEMAS, name)),
            format!("#{}", join(SCHEMAS, &new)),
        );
    }
    if !renamed.is_empty() {
        rewrite_all_refs(doc, &renamed);
    }
    renamed.len()
}

/// Points every `$ref` to a key of `renamed` (or into it) at its value.
fn rewrite_all_refs(value: &mut Value, renamed: &BTreeMap<String, String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get_mut("$ref") {
                let component = crate::graph::component_of(reference);
                if let Some(new) = component.as_ref().and_then(|c| renamed.get(c)) {
                    let old = component.expect("found");
                    *reference = format!("{new}{}", &reference[old.len()..]);
                }
            }
            map.values_mut().for_each(|v| rewrite_all_refs(v, renamed));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite_all_refs(v, renamed)),
        _ => {}
    }
}

/// The component named `wanted` (as a type) whose schema is `schema`.
fn copy_of(components: &[(String, Value)], wanted: &str, schema: &Value) -> Option<String> {
    components
        .iter()
        .find(|(name, component)| type_name(name) == wanted && component == schema)
        .map(|(name, _)| name.clone())
}

/// Settles the schema at `at` whose title names the type `wanted`, which
/// another schema is named too: an inline copy of that component becomes a
/// `$ref` to it; any other loses its title, and is named after its place.
/// Returns whether it changed anything.
fn settle_title(
    doc: &mut Value,
    at: &str,
    wanted: &str,
    components: &[(String, Value)],
    report: &mut Report,
) -> bool {
    let Some(schema) = doc.pointer(at).cloned() else {
        return false;
    };
    let is_component = at.matches('/').count() == 3;
    match copy_of(components, wanted, &schema).filter(|_| !is_component) {
        Some(name) => {
            *doc.pointer_mut(at).expect("found above") =
                json!({"$ref": format!("#{}", join(SCHEMAS, &name))});
            report.moved.insert(Moved {
                from: at.to_string(),
                name,
            });
        }
        None => {
            if let Some(map) = doc.pointer_mut(at).and_then(Value::as_object_mut) {
                map.shift_remove("title");
            }
            report.drop(
                join(at, "title"),
                format!(
                    "its title names the type `{wanted}`, which another schema is named \
                     too: the type is named after its place (titles only name types)"
                ),
            );
        }
    }
    true
}

/// Before codegen: components of one type name (the later renamed), and
/// the titles of inline schemas that name one type for two
/// different shapes (two `Status` enums of different values), or name a
/// component's type, are settled as [`separate`] settles them. typify gives
/// both one name and checks one's `default` against the other's values
/// ("value does not conform to the given schema": the whole client fails,
/// and no part fails alone). A `nullable` component's title names its inner
/// type, so it counts too. Returns how many it changed.
pub fn settle_titles(doc: &mut Value, report: &mut Report) -> usize {
    // Two components of one type name, which typify would define twice.
    let mut changed = rename_components(doc, report, &|_| true, false);
    let mut groups: BTreeMap<String, Vec<(String, Value)>> = BTreeMap::new();
    inline_schemas(doc, &mut |at, schema, _| {
        if let Some(name) = title_names(schema) {
            groups
                .entry(name)
                .or_default()
                .push((at.to_string(), schema.clone()));
        }
    });
    let components: Vec<(String, Value)> = doc
        .pointer(SCHEMAS)
        .and_then(Value::as_object)
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    // A `nullable` component is a newtype around an `Option` of an inner
    // type, which typify names after the title. Named like the component
    // itself (GitHub's `auto_merge`, titled "Auto merge"), or like another
    // component of another shape, that is one name for two types: settled
    // here, so that codegen runs once and not twice. Named like a component
    // of its own shape (`nullable-simple-user`, titled "Simple User"), the
    // inner type is that component's, which `identical` keeps as one.
    // Components by type name, so that each title is one lookup.
    let mut by_type: BTreeMap<String, Vec<(&str, &Value)>> = BTreeMap::new();
    for (name, schema) in &components {
        by_type
            .entry(type_name(name))
            .or_default()
            .push((name, schema));
    }
    for (name, schema) in &components {
        if schema.get("nullable") != Some(&json!(true)) {
            continue;
        }
        let Some(title) = title_names(schema) else {
            continue;
        };
        let mut inner = schema.clone();
        inner.as_object_mut().map(|m| m.shift_remove("nullable"));
        let collides = type_name(name) == title
            || by_type.get(&title).is_some_and(|others| {
                others
                    .iter()
                    .any(|(other, s)| *other != name && **s != inner)
            });
        if collides && settle_title(doc, &join(SCHEMAS, name), &title, &components, report) {
            changed += 1;
        }
    }
    for (name, members) in groups {
        let component = components.iter().any(|(c, _)| type_name(c) == name);
        let mut shapes: Vec<&Value> = Vec::new();
        for (_, schema) in &members {
            if !shapes.contains(&schema) {
                shapes.push(schema);
            }
        }
        if !component && shapes.len() < 2 {
            continue;
        }
        for (at, _) in &members {
            if settle_title(doc, at, &name, &components, report) {
                changed += 1;
            }
        }
    }
    changed
}

/// The type name a schema's `title` gives it, where typify names a type
/// after it.
fn title_names(schema: &Value) -> Option<String> {
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
fn inline_schemas(doc: &Value, f: &mut dyn FnMut(&str, &Value, Option<String>)) {
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

    #[test]
    fn a_nullable_component_titled_like_a_component_generates_in_one_round() {
        // GitHub's `auto_merge`: nullable, and its title names its own type.
        let mut doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": {"operationId": "getA", "responses": {"200": {"description": "",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/auto_merge"}}}}}}}},
        "components": {"schemas": {
            "auto_merge": {"title": "Auto merge", "nullable": true, "type": "object",
                "properties": {"enabled": {"type": "boolean"}}},
            "other": {"title": "Other thing", "nullable": true, "type": "object",
                "properties": {"on": {"type": "boolean"}}},
            "simple-user": {"title": "Simple User", "type": "object",
                "properties": {"login": {"type": "string"}}},
            "nullable-simple-user": {"title": "Simple User", "nullable": true, "type": "object",
                "properties": {"login": {"type": "string"}}}
        }}});
        let json = serde_json::to_string(&doc).unwrap();
        assert!(matches!(
            crate::codegen::generate(&json),
            Err(crate::codegen::Error::DuplicateTypes(names)) if names == ["AutoMerge"]
        ));
        let mut report = Report::default();
        assert_eq!(settle_titles(&mut doc, &mut report), 1);
        assert!(doc["components"]["schemas"]["auto_merge"]
            .get("title")
            .is_none());
        // A title that names no other type stays, and so does one that names
        // a component of the same shape: the inner type is that component.
        assert_eq!(
            doc["components"]["schemas"]["other"]["title"],
            "Other thing"
        );
        assert_eq!(
            doc["components"]["schemas"]["nullable-simple-user"]["title"],
            "Simple User"
        );
        let generated = crate::codegen::generate(&serde_json::to_string(&doc).unwrap())
            .unwrap_or_else(|e| panic!("{e}"));
        let client: String = generated.client.split_whitespace().collect();
        assert!(
            client.contains("structNullableSimpleUser(pub::std::option::Option<SimpleUser>)"),
            "the nullable copy wraps the component's type"
        );
        assert!(client.contains("structAutoMerge(pub::std::option::Option<AutoMergeInner>)"));
    }
}
