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

use serde_json::{json, Value};

use crate::codegen::names::{type_name, unique};
use crate::pointer::join;
use crate::report::{Moved, Report};

mod inline;
#[cfg(test)]
mod tests;

use inline::{inline_schemas, title_names};

const SCHEMAS: &str = "/components/schemas";

/// The names of `doc`'s component schemas, and the type names they take.
fn component_names(doc: &Value) -> (Vec<String>, BTreeSet<String>) {
    let names: Vec<String> = doc
        .pointer(SCHEMAS)
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let taken = names.iter().map(|n| type_name(n)).collect();
    (names, taken)
}

/// Gives the schemas behind each of `duplicates` (type names defined more
/// than once) names of their own. Returns how many it moved or renamed.
pub fn separate(doc: &mut Value, duplicates: &[String], report: &mut Report) -> usize {
    let duplicates: BTreeSet<&str> = duplicates.iter().map(String::as_str).collect();
    let (_, mut taken) = component_names(doc);
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
    let (names, mut taken) = component_names(doc);
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
