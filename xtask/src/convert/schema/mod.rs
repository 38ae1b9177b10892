//! Schemas: one rule per JSON Schema 2020-12 keyword. This file dispatches
//! on the keyword; [`keywords`] holds the rules for bounds, properties and
//! items, [`composition`] those for `allOf`/`anyOf`/`oneOf`, and
//! [`validate_30`] the check of parts written in 3.0.

mod composition;
mod keywords;
mod validate_30;

pub use composition::discriminating_property;
use keywords::{adds_nothing, exclusive_of};
use validate_30::validate_30;

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
const UNKNOWN_KEYWORD: &str =
    "not a JSON Schema 2020-12 keyword: an annotation, which constrains nothing";
const EXAMPLES_MAP: &str = "`examples` in a schema is a list of values; this one is a map (of \
     Example Objects, as a media type's), an annotation no generated type reads";
const INVALID_TYPE: &str =
    "`type` is neither a type's name nor a list of them: the schema is read \
     as if it had no `type`, so its values are any JSON, until specs/overlay.yaml settles it";
const NULL_BESIDE_UNION: &str = "`type: null` beside `oneOf` or `anyOf` allows no value (null is \
     none of the branches); read as null or one of the branches, which the document means";
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

/// The seven types of JSON Schema's data model.
const JSON_TYPES: &[&str] = &[
    "null", "boolean", "object", "array", "number", "string", "integer",
];

impl Converter<'_> {
    /// `source` without the names in `type` that are not JSON Schema
    /// types, if it has any, each reported as dropped. zod-to-openapi
    /// writes `type: [number, undefined]` for an optional value; no JSON
    /// value is `undefined`, so the name allows nothing and leaving it out
    /// keeps what the list allows (whether the property may be absent is
    /// `required`'s to say). progenitor panics on it ("invalid type").
    fn known_types(&self, source: &Map<String, Value>, at: &str) -> Option<Map<String, Value>> {
        let unknown = |t: &Value| t.as_str().is_some_and(|t| !JSON_TYPES.contains(&t));
        let names: Vec<&Value> = match source.get("type")? {
            Value::Array(list) => list.iter().collect(),
            one => vec![one],
        };
        let (unknown_names, kept): (Vec<&Value>, Vec<&Value>) =
            names.into_iter().partition(|t| unknown(t));
        if unknown_names.is_empty() {
            return None;
        }
        let here = join(at, "type");
        for name in &unknown_names {
            self.dropped(
                &here,
                &format!(
                    "{name} is not a JSON Schema type (zod-to-openapi writes `undefined` for an \
                     optional value); no JSON value has it, so the client leaves it out"
                ),
            );
        }
        let mut cleaned = source.clone();
        match kept.as_slice() {
            [] => {
                cleaned.remove("type");
            }
            kept => {
                cleaned.insert(
                    "type".into(),
                    Value::Array(kept.iter().map(|t| (*t).clone()).collect()),
                );
            }
        }
        Some(cleaned)
    }

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
        let known;
        let source = match self.known_types(source, at) {
            Some(cleaned) => {
                known = cleaned;
                &known
            }
            None => source,
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
                    // Codat's map of Example Objects, as a media type's
                    // `examples` is: an annotation either way, which no
                    // generated type reads, so it goes and the schema stays.
                    None => self.dropped(&here, EXAMPLES_MAP),
                },
                "exclusiveMinimum" | "exclusiveMaximum" => self.exclusive_bound(source, key, value, &here, &mut out)?,
                "minimum" | "maximum" if source.get(exclusive_of(key)).is_some_and(Value::is_number) => {}
                "type" => match value {
                    // Vercel's `type: "null"` beside a `oneOf` of the
                    // types it may be: as JSON Schema no value satisfies
                    // both (null is none of the branches), and typify writes
                    // each branch an empty enum, which does not compile. The
                    // document means "null, or one of these": read so, with
                    // a warning.
                    Value::String(t)
                        if t == "null"
                            && ["oneOf", "anyOf"].iter().any(|k| source.contains_key(*k))
                            && !source.contains_key("enum")
                            && !source.contains_key("const") =>
                    {
                        nullable = true;
                        self.report.borrow_mut().repaired.insert(crate::report::Dropped {
                            pointer: here.clone(),
                            why: NULL_BESIDE_UNION.into(),
                        });
                    }
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
                    // Not JSON Schema (Codat's `type` holding a property's
                    // schema): the schema is read as if it had no `type`, so
                    // its values are any JSON, and a warning says so; left
                    // out, it took 127 of Codat's operations with it.
                    _ => {
                        self.report.borrow_mut().repaired.insert(crate::report::Dropped {
                            pointer: here.clone(),
                            why: INVALID_TYPE.into(),
                        });
                    }
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
                // JSON Schema 2020-12 reads a keyword it does not define as
                // an annotation (§6.5): it constrains nothing (Vercel's
                // `regex`, a stray `name`).
                _ => self.dropped(&here, UNKNOWN_KEYWORD),
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
}
