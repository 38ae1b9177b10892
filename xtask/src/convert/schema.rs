//! Schemas: one rule per JSON Schema 2020-12 keyword.

use serde_json::{json, Map, Value};

use super::document::is_known_dialect;
use super::{fail, mapping, refuse, type_list, Converter, Result};
use crate::pointer::join;

/// Keywords whose meaning is the same in OpenAPI 3.0.
const PASSTHROUGH: &[&str] = &[
    "title",
    "description",
    "default",
    "format",
    "pattern",
    "enum",
    "minimum",
    "maximum",
    "multipleOf",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
    "required",
    "$ref",
    "readOnly",
    "writeOnly",
    "deprecated",
    "example",
    "discriminator",
    "externalDocs",
    "xml",
    // OpenAPI 3.0's own, which Fastify's swagger plugin writes in 3.1 documents.
    "nullable",
];

/// Keywords that hold one subschema and mean the same in 3.0.
const SUBSCHEMA: &[&str] = &["not", "additionalProperties"];

/// Why each codegen-neutral drop is safe.
const CONTAINS: &str = "`contains` only checks that some item matches; the item type is `items`";
const DEPENDENT_REQUIRED: &str =
    "`dependentRequired` only makes declared properties required together; their types are unchanged";
const DEPENDENT_SCHEMAS: &str =
    "`dependentSchemas` only constrains properties the schema already declares";
const CONDITIONAL: &str =
    "`if`/`then`/`else` only constrain properties the schema already declares; the type is the schema's";
const UNEVALUATED_FALSE: &str =
    "`unevaluatedProperties: false` only refuses undeclared properties; the generated type has the declared ones, and responses are read forward-compatibly";
const UNEVALUATED_ITEMS_FALSE: &str =
    "`unevaluatedItems: false` only refuses items no other keyword describes; the item type is unchanged";
const PROPERTY_NAMES: &str =
    "`propertyNames` only checks the keys of a map; keys are Rust `String`s either way";
const PATTERN_KEYS: &str =
    "the key pattern of `patternProperties` only checks keys; keys are Rust `String`s either way";
const CONTENT_MEDIA_TYPE: &str =
    "`contentMediaType` describes what a string holds; the string is sent and read as it is";
const CONTENT_ENCODING: &str =
    "`contentEncoding` other than base64 has no 3.0 format; the value is the same string";
const SELF_REFERENCE: &str =
    "a `$ref` to the schema itself beside other keywords adds nothing to them (S = S and the rest); followed, it recurses without end";
const FALSE_PROPERTY: &str =
    "a property whose schema is `false` may never be present; the generated type has no field for it";

impl Converter<'_> {
    /// Converts one schema and, recursively, every schema inside it.
    pub fn schema(&self, schema: &Value, at: &str) -> Result<Value> {
        if self.is_30() {
            validate_30(schema, at)?;
            return Ok(schema.clone());
        }
        let source = match schema {
            Value::Object(map) => map,
            // `true` accepts anything, as the empty schema does; `false` nothing.
            Value::Bool(true) => return Ok(json!({})),
            Value::Bool(false) => return Ok(json!({"not": {}})),
            _ => return fail(at, "a schema must be a mapping or a boolean"),
        };
        if let Some(split) = type_list::split(source, at)? {
            return self.schema(&split, at);
        }
        let mut out = Map::new();
        let mut nullable = false;
        for (key, value) in source {
            let here = join(at, key);
            match key.as_str() {
                "$schema" => {
                    if !value.as_str().is_some_and(is_known_dialect) {
                        return fail(&here, format!("unsupported `$schema` dialect {value}"));
                    }
                }
                // Identifiers were resolved before conversion (see `references`):
                // what is left is referenced by nobody.
                "$id" | "$anchor" | "$comment" => {}
                "$defs" => return fail(&here, "`$defs` left after hoisting (a bug in the converter)"),
                "$dynamicRef" | "$dynamicAnchor" | "$recursiveRef" | "$recursiveAnchor" => {
                    return refuse(&here, key, "a reference resolved through the dynamic scope, for extensible recursive schemas")
                }
                "const" => {
                    if value.is_null() {
                        nullable = true;
                    }
                    let values = match source.get("enum").and_then(Value::as_array) {
                        // `const` beside `enum` is their intersection.
                        Some(list) => list.iter().filter(|v| *v == value).cloned().collect(),
                        None => vec![value.clone()],
                    };
                    out.insert("enum".into(), Value::Array(values));
                }
                "enum" if source.contains_key("const") => {}
                "examples" => match value.as_array() {
                    Some(list) => {
                        if let (Some(first), false) = (list.first(), source.contains_key("example")) {
                            out.insert("example".into(), first.clone());
                        }
                    }
                    None => return fail(&here, "`examples` in a schema must be a list"),
                },
                "exclusiveMinimum" | "exclusiveMaximum" => self.exclusive_bound(source, key, value, &here, &mut out)?,
                "minimum" | "maximum" if source.get(exclusive_of(key)).is_some_and(Value::is_number) => {}
                "type" => match value {
                    Value::String(t) if t == "null" => {
                        // The only value is null: a nullable schema whose one value is null.
                        nullable = true;
                        out.insert("enum".into(), json!([null]));
                    }
                    Value::String(_) => {
                        out.insert("type".into(), value.clone());
                    }
                    Value::Array(types) => {
                        let rest: Vec<&Value> = types.iter().filter(|t| t.as_str() != Some("null")).collect();
                        nullable |= rest.len() < types.len();
                        match rest.as_slice() {
                            [one] => {
                                out.insert("type".into(), (*one).clone());
                            }
                            [] => {
                                out.insert("enum".into(), json!([null]));
                            }
                            _ => return fail(&here, "a type list left after splitting (a bug in the converter)"),
                        }
                    }
                    _ => return fail(&here, "`type` must be a string or a list"),
                },
                "properties" => {
                    out.insert(key.clone(), self.properties(source, value, &here)?);
                }
                "items" => self.items(source, value, &here, &mut out)?,
                "prefixItems" => self.prefix_items(source, value, &here, &mut out)?,
                "unevaluatedItems" => self.unevaluated_items(source, value, &here, &mut out)?,
                "unevaluatedProperties" => self.unevaluated_properties(source, value, &here, &mut out)?,
                "patternProperties" => self.pattern_properties(source, value, &here, &mut out)?,
                "propertyNames" => {
                    if value != &json!({"type": "string"}) {
                        self.dropped(&here, PROPERTY_NAMES);
                    }
                }
                "contains" | "minContains" | "maxContains" => self.dropped(&here, CONTAINS),
                "dependentRequired" => self.dropped(&here, DEPENDENT_REQUIRED),
                "dependentSchemas" => {
                    for (name, dependent) in mapping(value, &here)? {
                        adds_nothing(source, dependent, &join(&here, name), "dependentSchemas")?;
                    }
                    self.dropped(&here, DEPENDENT_SCHEMAS);
                }
                "if" => {
                    for branch in ["then", "else"] {
                        if let Some(sub) = source.get(branch) {
                            adds_nothing(source, sub, &join(at, branch), branch)?;
                        }
                    }
                    self.dropped(&here, CONDITIONAL);
                }
                // Without `if`, `then` and `else` are ignored by JSON Schema itself.
                "then" | "else" => {}
                "contentEncoding" => {
                    let is_base64 = value.as_str() == Some("base64");
                    if is_base64 && !source.contains_key("format") {
                        out.insert("format".into(), json!("byte"));
                    } else {
                        self.dropped(&here, CONTENT_ENCODING);
                    }
                }
                "contentMediaType" => self.dropped(&here, CONTENT_MEDIA_TYPE),
                "contentSchema" => self.dropped(&here, CONTENT_MEDIA_TYPE),
                "anyOf" | "oneOf" | "allOf" => self.composition(source, key, value, &here, &mut out, &mut nullable)?,
                // With `patternProperties`, which says what it becomes.
                "additionalProperties" if source.contains_key("patternProperties") => {}
                k if SUBSCHEMA.contains(&k) => {
                    let converted = if value.is_boolean() && k == "additionalProperties" {
                        value.clone()
                    } else {
                        self.schema(value, &here)?
                    };
                    out.insert(key.clone(), converted);
                }
                k if PASSTHROUGH.contains(&k) || k.starts_with("x-") => {
                    if k == "nullable" {
                        nullable |= value == &json!(true);
                    } else {
                        out.insert(key.clone(), value.clone());
                    }
                }
                _ => return fail(&here, format!("unsupported schema keyword `{key}`")),
            }
        }
        if nullable {
            out.insert("nullable".into(), json!(true));
        }
        // A schema that refers to itself (how a docs platform renders one that
        // had an `$id`): `S = S ∧ siblings` constrains nothing beyond the
        // siblings, and followed literally it sends typify's `allOf` merge
        // into endless recursion, a stack overflow.
        if out.get("$ref").and_then(Value::as_str) == Some(&format!("#{at}")) {
            out.shift_remove("$ref");
            self.dropped(&join(at, "$ref"), SELF_REFERENCE);
        }
        // 3.0 ignores everything beside a `$ref`, so a `$ref` with siblings moves
        // into `allOf` where the siblings keep their meaning.
        if out.len() > 1 {
            if let Some(reference) = out.shift_remove("$ref") {
                let mut all = vec![json!({"$ref": reference})];
                if let Some(Value::Array(existing)) = out.shift_remove("allOf") {
                    all.extend(existing);
                }
                out.insert("allOf".into(), Value::Array(all));
            }
        }
        Ok(Value::Object(out))
    }

    /// 3.1's numeric `exclusiveMinimum` becomes 3.0's `minimum` with a boolean
    /// flag; beside an inclusive `minimum`, the tighter of the two bounds wins.
    fn exclusive_bound(
        &self,
        source: &Map<String, Value>,
        key: &str,
        value: &Value,
        at: &str,
        out: &mut Map<String, Value>,
    ) -> Result<()> {
        let bound = if key == "exclusiveMinimum" {
            "minimum"
        } else {
            "maximum"
        };
        match value {
            // 3.0's boolean form, which only qualifies `minimum`.
            Value::Bool(_) => {
                if !source.contains_key(bound) {
                    return fail(at, format!("boolean `{key}` without `{bound}`"));
                }
                out.insert(key.into(), value.clone());
            }
            Value::Number(exclusive) => {
                let inclusive = source.get(bound).and_then(Value::as_f64);
                let e = exclusive.as_f64().unwrap_or(f64::NAN);
                let exclusive_is_tighter = match inclusive {
                    None => true,
                    Some(i) if bound == "minimum" => e >= i,
                    Some(i) => e <= i,
                };
                if exclusive_is_tighter {
                    out.insert(bound.into(), value.clone());
                    out.insert(key.into(), json!(true));
                } else {
                    out.insert(bound.into(), source[bound].clone());
                }
            }
            _ => return fail(at, format!("`{key}` must be a number")),
        }
        Ok(())
    }

    fn properties(&self, source: &Map<String, Value>, value: &Value, at: &str) -> Result<Value> {
        let mut out = Map::new();
        for (name, property) in mapping(value, at)? {
            let here = join(at, name);
            if property == &json!(false) {
                let required = source
                    .get("required")
                    .and_then(Value::as_array)
                    .is_some_and(|r| r.iter().any(|n| n.as_str() == Some(name)));
                if required {
                    return fail(&here, format!("property `{name}` is both required and forbidden (`false`): no value is valid"));
                }
                self.dropped(&here, FALSE_PROPERTY);
                continue;
            }
            out.insert(name.clone(), self.schema(property, &here)?);
        }
        Ok(Value::Object(out))
    }

    fn items(
        &self,
        source: &Map<String, Value>,
        value: &Value,
        at: &str,
        out: &mut Map<String, Value>,
    ) -> Result<()> {
        if source.contains_key("prefixItems") {
            return Ok(()); // handled with `prefixItems`
        }
        match value {
            Value::Array(_) => refuse(at, "items", "a list of schemas, one per position: a tuple"),
            // No item is allowed: the array is empty.
            Value::Bool(false) => {
                out.insert("maxItems".into(), json!(0));
                Ok(())
            }
            _ => {
                out.insert("items".into(), self.schema(value, at)?);
                Ok(())
            }
        }
    }

    /// A tuple whose positions all have one schema is a list of that schema;
    /// any other tuple has no 3.0 equivalent.
    fn prefix_items(
        &self,
        source: &Map<String, Value>,
        value: &Value,
        at: &str,
        out: &mut Map<String, Value>,
    ) -> Result<()> {
        let Some(positions) = value.as_array() else {
            return fail(at, "`prefixItems` must be a list");
        };
        let rest = source.get("items");
        let same = positions.windows(2).all(|w| w[0] == w[1]);
        let Some(first) = positions.first() else {
            // No positions: `items` alone describes every item.
            if let Some(items) = rest {
                self.items(
                    &Map::new(),
                    items,
                    &join(&at[..at.rfind('/').unwrap_or(0)], "items"),
                    out,
                )?;
            }
            return Ok(());
        };
        match rest {
            Some(items) if same && items == first => {}
            Some(Value::Bool(false)) if same => {
                let len = json!(positions.len());
                let max = source
                    .get("maxItems")
                    .and_then(Value::as_u64)
                    .map_or(len.clone(), |m| json!(m.min(positions.len() as u64)));
                out.insert("maxItems".into(), max);
            }
            _ => {
                return refuse(
                    at,
                    "prefixItems",
                    "a tuple: a schema for each position of the array",
                )
            }
        }
        out.insert("items".into(), self.schema(first, &join(at, "0"))?);
        Ok(())
    }

    fn unevaluated_items(
        &self,
        source: &Map<String, Value>,
        value: &Value,
        at: &str,
        out: &mut Map<String, Value>,
    ) -> Result<()> {
        let composed = ["allOf", "anyOf", "oneOf", "$ref", "if", "prefixItems"]
            .iter()
            .any(|k| source.contains_key(*k));
        if source.contains_key("items") {
            // `items` already describes every item: nothing is left to evaluate.
            return Ok(());
        }
        if !composed {
            return self.items(&Map::new(), value, at, out);
        }
        if value == &json!(false) {
            self.dropped(at, UNEVALUATED_ITEMS_FALSE);
            return Ok(());
        }
        refuse(
            at,
            "unevaluatedItems",
            "a schema for items that no subschema described",
        )
    }

    fn unevaluated_properties(
        &self,
        source: &Map<String, Value>,
        value: &Value,
        at: &str,
        out: &mut Map<String, Value>,
    ) -> Result<()> {
        let composed = [
            "allOf",
            "anyOf",
            "oneOf",
            "$ref",
            "if",
            "dependentSchemas",
            "patternProperties",
        ]
        .iter()
        .any(|k| source.contains_key(*k));
        if !composed && !source.contains_key("additionalProperties") {
            // Without subschemas, "unevaluated" means "not in `properties`".
            let converted = if value.is_boolean() {
                value.clone()
            } else {
                self.schema(value, at)?
            };
            out.insert("additionalProperties".into(), converted);
            return Ok(());
        }
        if value == &json!(false) {
            self.dropped(at, UNEVALUATED_FALSE);
            return Ok(());
        }
        refuse(
            at,
            "unevaluatedProperties",
            "a schema for the properties no subschema declared",
        )
    }

    /// Pattern-keyed properties are a map when every pattern has the same value
    /// schema and no other key is allowed.
    fn pattern_properties(
        &self,
        source: &Map<String, Value>,
        value: &Value,
        at: &str,
        out: &mut Map<String, Value>,
    ) -> Result<()> {
        let patterns = mapping(value, at)?;
        let schemas: Vec<&Value> = patterns.values().collect();
        let same = schemas.windows(2).all(|w| w[0] == w[1]);
        let closed = matches!(source.get("additionalProperties"), Some(Value::Bool(false)))
            || source.get("unevaluatedProperties") == Some(&json!(false));
        match schemas.first() {
            None => {
                if let Some(rest) = source.get("additionalProperties") {
                    let at = join(&at[..at.rfind('/').unwrap_or(0)], "additionalProperties");
                    let converted = if rest.is_boolean() {
                        rest.clone()
                    } else {
                        self.schema(rest, &at)?
                    };
                    out.insert("additionalProperties".into(), converted);
                }
                Ok(())
            }
            Some(schema) if same && closed && !source.contains_key("properties") => {
                self.dropped(at, PATTERN_KEYS);
                out.insert(
                    "additionalProperties".into(),
                    self.schema(
                        schema,
                        &join(at, patterns.keys().next().expect("one pattern")),
                    )?,
                );
                Ok(())
            }
            _ => refuse(
                at,
                "patternProperties",
                "schemas for the properties whose names match a pattern, beside other properties",
            ),
        }
    }

    fn composition(
        &self,
        source: &Map<String, Value>,
        key: &str,
        value: &Value,
        at: &str,
        out: &mut Map<String, Value>,
        nullable: &mut bool,
    ) -> Result<()> {
        if key == "allOf" {
            if out.contains_key("allOf") {
                return fail(at, "`allOf` beside a type list that became `allOf`");
            }
            out.insert(
                key.into(),
                self.list(value, at, &|c, v, at| c.schema(v, at))?,
            );
            return Ok(());
        }
        let Some(branches) = value.as_array() else {
            return fail(at, "expected a list");
        };
        let mut rest = Vec::new();
        for (i, branch) in branches.iter().enumerate() {
            if !is_null_schema(branch) {
                rest.push(self.schema(branch, &join(at, &i.to_string()))?);
            }
        }
        *nullable |= rest.len() < branches.len();
        match rest.as_slice() {
            [] => {
                out.insert("enum".into(), json!([null]));
            }
            // A union of one type and null is that type, nullable. A `$ref`
            // cannot carry `nullable` beside it in 3.0, so it is wrapped.
            [only] if only.get("$ref").is_some() => {
                out.insert("allOf".into(), json!([only]));
            }
            [only] => {
                for (k, v) in mapping(only, at)? {
                    if out.contains_key(k) || source.contains_key(k) {
                        return fail(
                            at,
                            format!("`{k}` is set both beside `{key}` and inside it"),
                        );
                    }
                    out.insert(k.clone(), v.clone());
                }
            }
            // Objects told apart by a single-value property are exclusive,
            // whatever keyword the author chose: `oneOf` is what makes typify
            // emit one enum variant per alternative, tagged by that property.
            _ if discriminating_property(&rest).is_some() => {
                out.insert("oneOf".into(), Value::Array(rest));
            }
            _ => {
                out.insert(key.into(), Value::Array(rest));
            }
        }
        Ok(())
    }
}

fn exclusive_of(bound: &str) -> &'static str {
    if bound == "minimum" {
        "exclusiveMinimum"
    } else {
        "exclusiveMaximum"
    }
}

/// Checks that a conditional or dependent subschema only narrows what `base`
/// declares, so dropping it cannot lose a field from the generated type.
fn adds_nothing(base: &Map<String, Value>, sub: &Value, at: &str, keyword: &str) -> Result<()> {
    let Some(sub) = sub.as_object() else {
        return Ok(()); // `true` or `false`: no properties at all
    };
    let declared = base.get("properties").and_then(Value::as_object);
    for (key, value) in sub {
        let fine = match key.as_str() {
            "required" | "description" | "title" | "$comment" | "minProperties"
            | "maxProperties" | "dependentRequired" | "not" => true,
            "properties" => value.as_object().is_some_and(|p| {
                p.keys()
                    .all(|name| declared.is_some_and(|d| d.contains_key(name)))
            }),
            _ => false,
        };
        if !fine {
            return refuse(
                &join(at, key),
                keyword,
                "a subschema that applies under a condition and adds to what the schema declares",
            );
        }
    }
    Ok(())
}

/// `{type: 'null'}`, optionally with a title or description.
pub(super) fn is_null_schema(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("null")
        && schema.as_object().is_some_and(|m| {
            m.keys()
                .all(|k| matches!(k.as_str(), "type" | "description" | "title"))
        })
}

/// The property that tells object alternatives apart: present and required in
/// every alternative, a single-value `enum` in each, with distinct values.
/// `type` is preferred when several qualify.
pub fn discriminating_property(alternatives: &[Value]) -> Option<String> {
    if alternatives.len() < 2 {
        return None;
    }
    let first = alternatives[0].get("properties")?.as_object()?;
    let mut candidates: Vec<&String> = first.keys().collect();
    candidates.sort_by_key(|name| name.as_str() != "type");
    candidates
        .into_iter()
        .find(|name| {
            let mut seen = Vec::new();
            alternatives.iter().all(|alt| {
                let required = alt
                    .get("required")
                    .and_then(Value::as_array)
                    .is_some_and(|r| r.iter().any(|n| n.as_str() == Some(name)));
                let value = alt
                    .get("properties")
                    .and_then(|p| p.get(name.as_str()))
                    .and_then(|p| p.get("enum"))
                    .and_then(Value::as_array)
                    .filter(|values| values.len() == 1)
                    .map(|values| values[0].clone());
                match value {
                    Some(v)
                        if required
                            && alt.get("type").and_then(Value::as_str) == Some("object")
                            && !seen.contains(&v) =>
                    {
                        seen.push(v);
                        true
                    }
                    _ => false,
                }
            })
        })
        .cloned()
}

/// The keywords of an OpenAPI 3.0 Schema Object.
const SCHEMA_30: &[&str] = &[
    "title",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxProperties",
    "minProperties",
    "required",
    "enum",
    "type",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "items",
    "properties",
    "additionalProperties",
    "description",
    "format",
    "default",
    "nullable",
    "discriminator",
    "readOnly",
    "writeOnly",
    "xml",
    "externalDocs",
    "example",
    "deprecated",
    "$ref",
];

/// Checks that a schema of a 3.0 document uses only 3.0 keywords and forms, so
/// it can go through unchanged.
fn validate_30(schema: &Value, at: &str) -> Result<()> {
    let map = mapping(schema, at)?;
    for (key, value) in map {
        let here = join(at, key);
        if !(SCHEMA_30.contains(&key.as_str()) || key.starts_with("x-")) {
            return fail(&here, format!("`{key}` is not an OpenAPI 3.0 schema keyword, but this part of the document declares 3.0"));
        }
        match key.as_str() {
            "type" if !value.is_string() || value == "null" => {
                return fail(
                    &here,
                    "OpenAPI 3.0 `type` is one of the non-null JSON types; use `nullable`",
                )
            }
            "exclusiveMinimum" | "exclusiveMaximum" if !value.is_boolean() => {
                return fail(&here, format!("OpenAPI 3.0 `{key}` is a boolean"))
            }
            "properties" => {
                for (name, property) in mapping(value, &here)? {
                    validate_30(property, &join(&here, name))?;
                }
            }
            "allOf" | "anyOf" | "oneOf" => {
                for (i, branch) in value.as_array().into_iter().flatten().enumerate() {
                    validate_30(branch, &join(&here, &i.to_string()))?;
                }
            }
            "items" | "not" => validate_30(value, &here)?,
            "additionalProperties" if !value.is_boolean() => validate_30(value, &here)?,
            _ => {}
        }
    }
    Ok(())
}
