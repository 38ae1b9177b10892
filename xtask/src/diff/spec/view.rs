//! A schema as the code generator reads it: `allOf` branches merged into one
//! object, nullability set apart from the type, `const` as a one-value enum,
//! and a reference to a named type kept as that name (its insides are the
//! named type's, compared under its own name).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

/// Keywords beside a lone `allOf: [{$ref}]` (how a 3.1 `$ref` with siblings
/// is written in 3.0) that leave it the reference it is.
const ANNOTATIONS: [&str; 9] = [
    "allOf",
    "nullable",
    "description",
    "title",
    "default",
    "example",
    "readOnly",
    "writeOnly",
    "deprecated",
];

/// One property of a [`View`].
#[derive(Clone, Copy)]
pub(super) struct Property<'d> {
    pub schema: &'d Value,
    /// Whether the schema declares it itself (or in an inline `allOf`
    /// branch), rather than a `$ref`'d branch bringing it.
    pub owned: bool,
}

/// What one schema says, as the code generator reads it.
#[derive(Default)]
pub(super) struct View<'d> {
    /// The named type the schema is, when it is a reference to one.
    pub reference: Option<&'d str>,
    /// Its JSON types without `null` (`ref:Name` for a named type), read from
    /// `type`, else its enum values, else its alternatives'; empty is "any".
    pub types: BTreeSet<String>,
    /// Whether `null` is a value: `nullable`, a `"null"` type, a `null`
    /// alternative or enum value.
    pub nullable: bool,
    /// Its enum values as JSON text, without `null`, when it has an enum.
    pub values: Option<BTreeSet<String>>,
    pub properties: BTreeMap<&'d str, Property<'d>>,
    /// Required through the schema's own lists (beside `allOf`, or in an
    /// inline branch).
    pub required_own: BTreeSet<&'d str>,
    /// Required through any list, a `$ref`'d branch's included.
    pub required_all: BTreeSet<&'d str>,
    pub items: Option<&'d Value>,
    /// `additionalProperties`, when it is a schema.
    pub additional: Option<&'d Value>,
    /// `oneOf`/`anyOf` alternatives without the `null` one, by key: the
    /// value of their one-value tag property, else the named type they are,
    /// else their type.
    pub alternatives: BTreeMap<String, &'d Value>,
}

fn component(doc: &Value, reference: &str) -> Option<(String, Value)> {
    let name = reference.strip_prefix("#/components/schemas/")?;
    let schema = doc.pointer(&format!(
        "/components/schemas/{}",
        name.replace('~', "~0").replace('/', "~1")
    ))?;
    Some((name.to_string(), schema.clone()))
}

/// The named type `schema` is a reference to, if it is one.
pub(super) fn reference(schema: &Value) -> Option<&str> {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        return r.strip_prefix("#/components/schemas/");
    }
    let all = schema.get("allOf")?.as_array()?;
    let [only] = all.as_slice() else {
        return None;
    };
    let only_annotations = schema
        .as_object()
        .is_some_and(|m| m.keys().all(|k| ANNOTATIONS.contains(&k.as_str())));
    only_annotations
        .then(|| only.get("$ref").and_then(Value::as_str))
        .flatten()
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
}

fn is_null(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("null")
        || schema
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|v| v.iter().all(Value::is_null))
}

/// Whether `schema` allows `null` at its top.
fn allows_null(schema: &Value) -> bool {
    schema.get("nullable") == Some(&Value::Bool(true))
        || schema
            .get("type")
            .and_then(Value::as_array)
            .is_some_and(|t| t.iter().any(|t| t == "null"))
        || schema
            .get("enum")
            .and_then(Value::as_array)
            .is_some_and(|v| v.iter().any(Value::is_null))
        || ["anyOf", "oneOf"].iter().any(|key| {
            schema
                .get(*key)
                .and_then(Value::as_array)
                .is_some_and(|alternatives| alternatives.iter().any(is_null))
        })
}

/// `anyOf`/`oneOf` of one schema and `null`: that schema.
fn without_null(schema: &Value) -> &Value {
    for key in ["anyOf", "oneOf"] {
        if let Some(alternatives) = schema.get(key).and_then(Value::as_array) {
            let rest: Vec<&Value> = alternatives.iter().filter(|a| !is_null(a)).collect();
            if rest.len() == 1 && alternatives.len() == 2 {
                return rest[0];
            }
        }
    }
    schema
}

/// The JSON type of a value, as a schema `type` names it.
fn json_type(value: &Value) -> Option<&'static str> {
    Some(match value {
        Value::Null => return None,
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    })
}

/// Reads `schema` as what it names: through a reference (and a reference's
/// own references, as far as they go) to the component's schema, keeping
/// the `null` the reference allowed. What two differently named types, or
/// a name and an inline schema, are compared as on the wire.
pub(super) fn resolved<'d>(doc: &'d Value, schema: &'d Value) -> View<'d> {
    let nullable = allows_null(schema);
    let mut target = schema;
    // Bounded: an alias chain that loops back on itself stays a reference.
    for _ in 0..16 {
        let Some(next) = reference(without_null(target)).and_then(|name| {
            doc.pointer(&format!(
                "/components/schemas/{}",
                name.replace('~', "~0").replace('/', "~1")
            ))
        }) else {
            break;
        };
        target = next;
    }
    let mut view = view(doc, target);
    view.nullable |= nullable;
    view
}

/// Reads `schema`. Components are looked up in `doc`.
pub(super) fn view<'d>(doc: &'d Value, schema: &'d Value) -> View<'d> {
    let nullable = allows_null(schema);
    let schema = without_null(schema);
    let mut view = View {
        nullable,
        ..View::default()
    };
    if let Some(name) = reference(schema) {
        view.reference = Some(name);
        view.types.insert(format!("ref:{name}"));
        return view;
    }
    view.absorb(doc, schema, true, 0);
    for key in ["oneOf", "anyOf"] {
        for alternative in schema
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|a| !is_null(a))
        {
            view.alternatives
                .insert(alternative_key(doc, alternative), alternative);
        }
    }
    if view.types.is_empty() {
        let from_values: BTreeSet<String> = enum_of(schema)
            .into_iter()
            .flatten()
            .filter_map(json_type)
            .map(String::from)
            .collect();
        view.types = from_values;
    }
    if view.types.is_empty() {
        view.types = view
            .alternatives
            .values()
            .flat_map(|a| view_types(doc, a))
            .collect();
    }
    view
}

/// Reads `schema` as the object it merges, a reference included: what a
/// reference to `X` and `allOf: [X, {required: [...]}]` are compared as.
pub(super) fn merged<'d>(doc: &'d Value, schema: &'d Value) -> View<'d> {
    let nullable = allows_null(schema);
    let schema = without_null(schema);
    let mut view = View {
        nullable,
        ..View::default()
    };
    match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            if let Some(target) = reference.strip_prefix('#').and_then(|p| doc.pointer(p)) {
                view.absorb(doc, target, false, 0);
            }
        }
        None => view.absorb(doc, schema, true, 0),
    }
    view
}

/// Whether `schema` merges the named type `name` through `allOf`.
pub(super) fn merges(schema: &Value, name: &str) -> bool {
    without_null(schema)
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .any(|branch| {
            branch.get("$ref").and_then(Value::as_str)
                == Some(&format!("#/components/schemas/{name}"))
        })
}

fn view_types(doc: &Value, schema: &Value) -> BTreeSet<String> {
    view(doc, schema).types
}

/// `enum`, or `const` as a one-value enum.
fn enum_of(schema: &Value) -> Option<Vec<&Value>> {
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        return Some(values.iter().collect());
    }
    schema.get("const").map(|v| vec![v])
}

/// The text of an enum value: a string as it is, other JSON as JSON.
pub(super) fn value_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

impl<'d> View<'d> {
    /// Takes in what `schema` says, and what its `allOf` branches say
    /// (`owned` is false for what a `$ref`'d branch brings).
    fn absorb(&mut self, doc: &'d Value, schema: &'d Value, owned: bool, depth: usize) {
        match schema.get("type") {
            Some(Value::String(t)) if t != "null" => {
                self.types.insert(t.clone());
            }
            Some(Value::Array(list)) => self.types.extend(
                list.iter()
                    .filter_map(Value::as_str)
                    .filter(|t| *t != "null")
                    .map(String::from),
            ),
            _ => {}
        }
        if let Some(values) = enum_of(schema) {
            let texts: BTreeSet<String> = values
                .into_iter()
                .filter(|v| !v.is_null())
                .map(value_text)
                .collect();
            self.values = Some(match self.values.take() {
                // `allOf` of two enums allows what both allow.
                Some(before) => before.intersection(&texts).cloned().collect(),
                None => texts,
            });
        }
        for (name, property) in schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            self.properties.entry(name.as_str()).or_insert(Property {
                schema: property,
                owned,
            });
        }
        for name in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            self.required_all.insert(name);
            if owned {
                self.required_own.insert(name);
            }
        }
        if self.items.is_none() {
            self.items = schema.get("items");
        }
        if self.additional.is_none() {
            self.additional = schema.get("additionalProperties").filter(|a| a.is_object());
        }
        if depth > 16 {
            return; // a cycle through `allOf`: the screen refuses those
        }
        for branch in schema
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            match branch.get("$ref").and_then(Value::as_str) {
                Some(reference) => {
                    if let Some(target) = reference.strip_prefix('#').and_then(|p| doc.pointer(p)) {
                        self.absorb(doc, target, false, depth + 1);
                    }
                }
                None => self.absorb(doc, branch, owned, depth + 1),
            }
        }
    }
}

/// How an alternative is matched across versions: its tag (the value of a
/// property that is a one-value enum or const in it), else the named type it
/// is, else its type.
fn alternative_key(doc: &Value, alternative: &Value) -> String {
    let resolved = match alternative.get("$ref").and_then(Value::as_str) {
        Some(r) => component(doc, r).map(|(_, s)| s),
        None => None,
    };
    let schema = resolved.as_ref().unwrap_or(alternative);
    let tag = schema
        .get("properties")
        .and_then(Value::as_object)
        .and_then(|props| {
            props.values().find_map(|p| {
                let values = enum_of(p)?;
                match values.as_slice() {
                    [one] => one.as_str().map(|s| format!("tag:{s}")),
                    _ => None,
                }
            })
        });
    tag.or_else(|| reference(alternative).map(|r| format!("ref:{r}")))
        .unwrap_or_else(|| {
            let types: Vec<String> = view_types(doc, alternative).into_iter().collect();
            format!("type:{}", types.join("|"))
        })
}
