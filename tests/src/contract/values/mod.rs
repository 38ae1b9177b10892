//! Schema-valid request inputs, drawn with a seeded generator: enums, bounds,
//! formats (`formats.rs`), patterns (`patterns.rs`), optional properties
//! present or not, `null` where nullable, lists of varied length, `allOf`
//! parts merged.

mod formats;
mod numbers;
mod patterns;
mod rng;
mod strings;

pub use rng::Rng;

use serde_json::{json, Map, Value};

/// Where a drawn string goes, which narrows the characters it may hold
/// beyond what its schema says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Text {
    /// A body or a path segment: any text (the client encodes it).
    Any,
    /// A query parameter: not empty, which OpenAPI forbids unless the
    /// parameter says `allowEmptyValue` (Prism reads `?a=` as no `a`).
    Query,
    /// A header: visible ASCII, not empty, no space at either end (RFC
    /// 9110 field values: a parser trims the ends, and other characters
    /// cannot be sent).
    Header,
    /// A cookie: as a header, and without `;` or `,`, which split cookies.
    Cookie,
}

impl Text {
    /// The mode of an operation's parameter, by its `in` and `allowEmptyValue`.
    pub fn of_parameter(parameter: &Value) -> Self {
        match parameter["in"].as_str() {
            Some("header") => Text::Header,
            Some("cookie") => Text::Cookie,
            Some("query") if parameter["allowEmptyValue"] != Value::Bool(true) => Text::Query,
            _ => Text::Any,
        }
    }
}

/// Draws values from the schemas of one document.
pub struct Draw<'d> {
    doc: &'d Value,
    rng: Rng,
    text: Text,
    /// How many schemas deep the value being drawn is.
    depth: usize,
    /// Whether the value is a request body, which leaves `readOnly`
    /// properties out (OpenAPI: they are never sent).
    request: bool,
}

/// The discriminator's property and the tag that names `branch` (a `$ref`)
/// in `union`: its `mapping` entry, else its component's name.
fn discriminator_tag(union: &Value, branch: &Value) -> Option<(String, String)> {
    let discriminator = union.get("discriminator")?;
    let property = discriminator.get("propertyName")?.as_str()?.to_string();
    let target = branch.get("$ref")?.as_str()?;
    let mapped = discriminator
        .get("mapping")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .find(|(_, t)| t.as_str().map(mapping_target) == Some(target.to_string()))
        .map(|(tag, _)| tag.clone());
    let tag = mapped.unwrap_or_else(|| target.rsplit('/').next().unwrap_or_default().to_string());
    Some((property, tag))
}

/// A discriminator `mapping` value as a `$ref`: a bare schema name
/// (`Http`) names `#/components/schemas/Http`.
pub(crate) fn mapping_target(value: &str) -> String {
    match value.contains('#') || value.contains('/') {
        true => value.to_string(),
        false => format!("#/components/schemas/{value}"),
    }
}

/// Keywords that describe a schema without constraining its values.
const ANNOTATIONS: &[&str] = &[
    "description",
    "title",
    "example",
    "examples",
    "deprecated",
    "externalDocs",
    "xml",
    "$comment",
    "discriminator",
];

/// Past this depth a value holds only what its schema requires (optional
/// properties left out, lists as short as allowed, `null` where allowed), so
/// a recursive schema (a tree, a commit and its parents) draws a finite value.
const DEEP: usize = 6;
/// A value this deep means required properties recurse without end.
const TOO_DEEP: usize = 64;

impl<'d> Draw<'d> {
    /// Draws from `doc`'s schemas with a generator seeded by `seed`.
    pub fn new(doc: &'d Value, seed: u64) -> Self {
        Self {
            doc,
            rng: Rng::new(seed),
            text: Text::Any,
            depth: 0,
            request: false,
        }
    }

    /// A request body of `schema`: no `readOnly` property.
    pub fn request(&mut self, schema: &Value, at: &str) -> Value {
        self.request = true;
        let value = self.value(schema, at);
        self.request = false;
        value
    }

    /// A value of a parameter `schema`, whose strings keep to `text`.
    pub fn parameter(&mut self, schema: &Value, at: &str, text: Text) -> Value {
        self.text = text;
        let value = self.value(schema, at);
        self.text = Text::Any;
        value
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.rng.chance(percent)
    }

    /// A value `schema` accepts. `at` names the schema in a panic when no rule
    /// here covers it: a new construct needs a rule, not a silent guess.
    pub fn value(&mut self, schema: &Value, at: &str) -> Value {
        if self.depth > TOO_DEEP {
            panic!("{at}: required properties recurse without end ({TOO_DEEP} schemas deep)");
        }
        self.depth += 1;
        let value = self.value_here(schema, at);
        self.depth -= 1;
        value
    }

    /// Whether `schema` (its `$ref`s followed) is a scalar, or a list of
    /// scalars: what a parameter's field can spell.
    fn scalar(&self, schema: &Value) -> bool {
        let mut schema = schema;
        for _ in 0..64 {
            match schema
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| self.doc.pointer(r.strip_prefix('#').unwrap_or(r)))
            {
                Some(target) => schema = target,
                None => break,
            }
        }
        let structured = |s: &Value| {
            matches!(s["type"].as_str(), Some("object"))
                || [
                    "properties",
                    "additionalProperties",
                    "allOf",
                    "oneOf",
                    "anyOf",
                ]
                .iter()
                .any(|k| s.get(*k).is_some())
        };
        match schema["type"].as_str() {
            Some("array") => !structured(&schema["items"]) && schema["items"].get("$ref").is_none(),
            _ => !structured(schema),
        }
    }

    /// Whether the value being drawn is past [`DEEP`].
    fn deep(&self) -> bool {
        self.depth > DEEP
    }

    fn value_here(&mut self, schema: &Value, at: &str) -> Value {
        // JSON Schema's boolean schemas (3.1): `true` is any value.
        let schema = match schema {
            Value::Bool(true) => return json!(self.word(0, 8)),
            Value::Bool(false) => panic!("{at}: the schema `false` allows no value"),
            schema => schema,
        };
        if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
            let pointer = target.strip_prefix('#').unwrap_or(target);
            let resolved = self
                .doc
                .pointer(pointer)
                .unwrap_or_else(|| panic!("{at}: no {target}"));
            // 3.1 keeps keywords beside a `$ref`: both apply.
            let siblings = schema.as_object().is_some_and(|m| {
                m.keys()
                    .any(|k| k != "$ref" && !ANNOTATIONS.contains(&k.as_str()))
            });
            if siblings {
                let mut rest = schema.clone();
                rest.as_object_mut().expect("an object").remove("$ref");
                return self.value(&json!({"allOf": [resolved.clone(), rest]}), target);
            }
            return self.value(resolved, target);
        }
        if let Some(constant) = schema.get("const") {
            return constant.clone();
        }
        if schema.get("nullable") == Some(&Value::Bool(true))
            && (self.deep() || self.rng.chance(15))
        {
            return Value::Null;
        }
        if let Some(values) = schema.get("enum").and_then(Value::as_array) {
            return self.rng.pick(values).clone();
        }
        // 3.1's type lists: one of the types, `null` now and then.
        if let Some(types) = schema.get("type").and_then(Value::as_array) {
            let others: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
            let nullable = others.len() < types.len();
            if others.is_empty() || (nullable && (self.deep() || self.rng.chance(15))) {
                return Value::Null;
            }
            let mut one = schema.clone();
            one["type"] = self.rng.pick(&others).clone();
            return self.value(&one, at);
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(variants) = schema.get(key).and_then(Value::as_array) {
                let variant = self.rng.pick(variants).clone();
                // Keywords beside the branches apply to each: the branch and
                // the rest together.
                let mut rest = schema.clone();
                let map = rest.as_object_mut().expect("an object");
                map.remove(key);
                let siblings = map.keys().any(|k| !ANNOTATIONS.contains(&k.as_str()));
                let tag = discriminator_tag(schema, &variant);
                let chosen = match siblings {
                    true => json!({"allOf": [rest, variant]}),
                    false => variant,
                };
                let mut value = self.value(&chosen, &format!("{at}/{key}"));
                // A discriminated union's value carries the tag that names
                // its branch.
                if let (Some((property, tag)), Value::Object(map)) = (tag, &mut value) {
                    map.insert(property, Value::String(tag));
                }
                return value;
            }
        }
        if schema.get("allOf").is_some() {
            let merged = self.merged(schema);
            return self.value(&merged, &format!("{at}/allOf"));
        }
        let kind = schema.get("type").and_then(Value::as_str);
        match kind {
            Some("string") => self.string(schema, at),
            Some("integer") => self.integer(schema),
            Some("number") => self.number(schema),
            Some("boolean") => json!(self.rng.chance(50)),
            Some("array") => {
                // A parameter's empty list is no parameter at all on the
                // wire (`form` and `simple` styles write nothing for it).
                let floor = i128::from(self.text != Text::Any);
                let min = (schema.get("minItems").and_then(Value::as_u64).unwrap_or(0) as i128)
                    .max(floor);
                let max = match self.deep() {
                    true => min,
                    false => schema
                        .get("maxItems")
                        .and_then(Value::as_u64)
                        .map_or(min + 3, |m| m as i128),
                };
                let items = schema.get("items").cloned().unwrap_or(json!({}));
                let len = self.rng.between(min, max);
                (0..len)
                    .map(|i| self.value(&items, &format!("{at}/items/{i}")))
                    .collect()
            }
            Some("object") => self.object(schema, at),
            None if schema.get("properties").is_some()
                || schema.get("additionalProperties").is_some() =>
            {
                self.object(schema, at)
            }
            None => json!(self.word(0, 8)),
            Some(other) => panic!("{at}: no rule for type {other:?}"),
        }
    }

    fn object(&mut self, schema: &Value, at: &str) -> Value {
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        let mut map = Map::new();
        let properties = schema.get("properties").and_then(Value::as_object);
        for (name, sub) in properties.into_iter().flatten() {
            // A request never carries a `readOnly` property.
            if self.request && sub.get("readOnly") == Some(&Value::Bool(true)) {
                continue;
            }
            // A parameter's object is spelled field by field (`form`,
            // `deepObject`): a field that is itself an object or a list of
            // them has no spelling, so an optional one is left out.
            if self.text != Text::Any && !required.contains(&name.as_str()) && !self.scalar(sub) {
                continue;
            }
            if required.contains(&name.as_str()) || (!self.deep() && self.rng.chance(50)) {
                map.insert(
                    name.clone(),
                    self.value(sub, &format!("{at}/properties/{name}")),
                );
            }
        }
        // A map type (`HashMap<String, _>`): a few entries with varied keys.
        if let (None, Some(values)) = (properties, schema.get("additionalProperties")) {
            let values = if values.is_object() {
                values.clone()
            } else {
                json!({})
            };
            for _ in 0..self.rng.between(0, if self.deep() { 0 } else { 3 }) {
                let key = self.word(1, 10);
                let value = self.value(&values, &format!("{at}/additionalProperties"));
                map.insert(key, value);
            }
        }
        Value::Object(map)
    }

    /// The schema `allOf` parts (and the schema's own keywords) describe
    /// together: properties and `required` joined (a property several parts
    /// define, all of its definitions), every other keyword as the first
    /// part that has it gives it (a part's own `allOf` merged first).
    fn merged(&self, schema: &Value) -> Value {
        self.merged_within(schema, 0)
    }

    /// [`merged`](Self::merged), `nesting` parts deep: a part whose `allOf`
    /// leads back to itself is taken as it is past [`DEEP`] levels.
    fn merged_within(&self, schema: &Value, nesting: usize) -> Value {
        let resolved = |value: &Value| -> Value {
            let mut value = value.clone();
            for _ in 0..64 {
                let Some(target) = value.get("$ref").and_then(Value::as_str) else {
                    break;
                };
                let pointer = target.strip_prefix('#').unwrap_or(target);
                match self.doc.pointer(pointer) {
                    Some(found) => value = found.clone(),
                    None => break,
                }
            }
            value
        };
        let mut own = schema.as_object().cloned().unwrap_or_default();
        let parts: Vec<Value> = own
            .remove("allOf")
            .and_then(|p| p.as_array().cloned())
            .unwrap_or_default();
        let mut out = Map::new();
        let mut properties = Map::new();
        let mut required: Vec<Value> = Vec::new();
        let all = std::iter::once(Value::Object(own)).chain(parts.iter().map(|part| {
            let part = resolved(part);
            match part.get("allOf") {
                Some(_) if nesting < DEEP => self.merged_within(&part, nesting + 1),
                _ => part,
            }
        }));
        for part in all {
            let Value::Object(part) = part else { continue };
            for (key, value) in part {
                match key.as_str() {
                    "properties" => {
                        // A property two parts define is both at once.
                        for (name, sub) in value.as_object().into_iter().flatten() {
                            let both = match properties.remove(name) {
                                Some(before) if before != *sub => json!({"allOf": [before, sub]}),
                                _ => sub.clone(),
                            };
                            properties.insert(name.clone(), both);
                        }
                    }
                    "required" => {
                        for name in value.as_array().into_iter().flatten() {
                            if !required.contains(name) {
                                required.push(name.clone());
                            }
                        }
                    }
                    _ => {
                        out.entry(key).or_insert(value);
                    }
                }
            }
        }
        if !properties.is_empty() {
            out.insert("properties".into(), Value::Object(properties));
            out.entry("type").or_insert_with(|| json!("object"));
        }
        if !required.is_empty() {
            out.insert("required".into(), Value::Array(required));
        }
        Value::Object(out)
    }
}

#[cfg(test)]
mod tests;
