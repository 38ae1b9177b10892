//! Down-conversion of an OpenAPI 3.1 document to the 3.0.3 that progenitor
//! accepts.
//!
//! Every keyword is either converted, passed through because 3.0 means the same
//! by it, or refused with the JSON pointer where it stands: nothing is dropped
//! without a rule saying why its meaning survives.

use std::fmt;

use serde_json::{json, Map, Value};

use crate::pointer::join;

/// A construct the converter has no rule for, and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConvertError {
    pub pointer: String,
    pub message: String,
}

impl fmt::Display for ConvertError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}: {}", self.pointer, self.message)
    }
}

impl std::error::Error for ConvertError {}

type Result<T> = std::result::Result<T, ConvertError>;

fn fail<T>(at: &str, message: impl Into<String>) -> Result<T> {
    Err(ConvertError {
        pointer: at.to_string(),
        message: message.into(),
    })
}

/// The version written into converted documents.
pub const TARGET_VERSION: &str = "3.0.3";

/// Schema keywords whose meaning is the same in OpenAPI 3.0.
const SCHEMA_PASSTHROUGH: &[&str] = &[
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
];

/// Converts a whole 3.1 document.
pub fn convert_document(doc: &Value) -> Result<Value> {
    let top = mapping(doc, "")?;
    let mut out = Map::new();
    for (key, value) in top {
        let at = join("", key);
        let converted = match key.as_str() {
            "openapi" => json!(TARGET_VERSION),
            "info" => convert_info(value, &at)?,
            "servers" | "security" | "tags" | "externalDocs" => value.clone(),
            "paths" => convert_map(value, &at, convert_path_item)?,
            "components" => convert_components(value, &at)?,
            k if k.starts_with("x-") => value.clone(),
            "webhooks" | "jsonSchemaDialect" => {
                return fail(
                    &at,
                    format!("`{key}` is OpenAPI 3.1 only and has no 3.0 equivalent"),
                )
            }
            _ => return fail(&at, format!("unknown top-level keyword `{key}`")),
        };
        out.insert(key.clone(), converted);
    }
    Ok(Value::Object(out))
}

fn convert_info(info: &Value, at: &str) -> Result<Value> {
    for (key, value) in mapping(info, at)? {
        match key.as_str() {
            "title" | "description" | "termsOfService" | "contact" | "version" => {}
            "license" => {
                if mapping(value, &join(at, key))?.contains_key("identifier") {
                    return fail(
                        &join(&join(at, key), "identifier"),
                        "`license.identifier` is OpenAPI 3.1 only",
                    );
                }
            }
            k if k.starts_with("x-") => {}
            _ => return fail(&join(at, key), format!("unsupported info keyword `{key}`")),
        }
    }
    Ok(info.clone())
}

fn convert_components(components: &Value, at: &str) -> Result<Value> {
    let mut out = Map::new();
    for (section, entries) in mapping(components, at)? {
        let here = join(at, section);
        let converted = match section.as_str() {
            "schemas" => convert_map(entries, &here, convert_schema)?,
            "parameters" => convert_map(entries, &here, convert_parameter)?,
            "responses" => convert_map(entries, &here, convert_response)?,
            "requestBodies" => convert_map(entries, &here, convert_request_body)?,
            "headers" => convert_map(entries, &here, convert_header)?,
            "securitySchemes" => convert_map(entries, &here, convert_security_scheme)?,
            "examples" | "links" => entries.clone(),
            k if k.starts_with("x-") => entries.clone(),
            _ => return fail(&here, format!("unsupported components section `{section}`")),
        };
        out.insert(section.clone(), converted);
    }
    Ok(Value::Object(out))
}

fn convert_security_scheme(scheme: &Value, at: &str) -> Result<Value> {
    if scheme.get("type").and_then(Value::as_str) == Some("mutualTLS") {
        return fail(
            &join(at, "type"),
            "security scheme type `mutualTLS` is OpenAPI 3.1 only",
        );
    }
    Ok(scheme.clone())
}

fn convert_path_item(item: &Value, at: &str) -> Result<Value> {
    let mut out = Map::new();
    for (key, value) in mapping(item, at)? {
        let here = join(at, key);
        let converted = match key.as_str() {
            "summary" | "description" | "servers" | "$ref" => value.clone(),
            "parameters" => convert_list(value, &here, convert_parameter)?,
            "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace" => {
                convert_operation(value, &here)?
            }
            k if k.starts_with("x-") => value.clone(),
            _ => return fail(&here, format!("unsupported path item keyword `{key}`")),
        };
        out.insert(key.clone(), converted);
    }
    Ok(Value::Object(out))
}

fn convert_operation(operation: &Value, at: &str) -> Result<Value> {
    let mut out = Map::new();
    for (key, value) in mapping(operation, at)? {
        let here = join(at, key);
        let converted = match key.as_str() {
            "summary" | "description" | "operationId" | "tags" | "security" | "deprecated"
            | "servers" | "externalDocs" => value.clone(),
            "parameters" => convert_list(value, &here, convert_parameter)?,
            "requestBody" => convert_request_body(value, &here)?,
            "responses" => convert_map(value, &here, convert_response)?,
            k if k.starts_with("x-") => value.clone(),
            _ => return fail(&here, format!("unsupported operation keyword `{key}`")),
        };
        out.insert(key.clone(), converted);
    }
    Ok(Value::Object(out))
}

fn convert_parameter(parameter: &Value, at: &str) -> Result<Value> {
    convert_fields(
        parameter,
        at,
        &[
            "name",
            "in",
            "description",
            "required",
            "deprecated",
            "allowEmptyValue",
            "style",
            "explode",
            "allowReserved",
            "example",
            "examples",
            "$ref",
        ],
    )
}

fn convert_header(header: &Value, at: &str) -> Result<Value> {
    convert_fields(
        header,
        at,
        &[
            "description",
            "required",
            "deprecated",
            "style",
            "explode",
            "example",
            "examples",
            "$ref",
        ],
    )
}

fn convert_request_body(body: &Value, at: &str) -> Result<Value> {
    convert_fields(body, at, &["description", "required", "$ref"])
}

fn convert_response(response: &Value, at: &str) -> Result<Value> {
    convert_fields(response, at, &["description", "links", "$ref"])
}

/// Converts an object whose `schema`, `content` and `headers` hold schemas and
/// whose other `allowed` fields mean the same in 3.0.
fn convert_fields(value: &Value, at: &str, allowed: &[&str]) -> Result<Value> {
    let mut out = Map::new();
    for (key, field) in mapping(value, at)? {
        let here = join(at, key);
        let converted = match key.as_str() {
            "schema" => convert_schema(field, &here)?,
            "content" => convert_map(field, &here, convert_media_type)?,
            "headers" => convert_map(field, &here, convert_header)?,
            k if allowed.contains(&k) || k.starts_with("x-") => field.clone(),
            _ => return fail(&here, format!("unsupported keyword `{key}`")),
        };
        out.insert(key.clone(), converted);
    }
    Ok(Value::Object(out))
}

fn convert_media_type(media: &Value, at: &str) -> Result<Value> {
    convert_fields(media, at, &["example", "examples", "encoding"])
}

/// Converts one schema and, recursively, every schema inside it.
pub fn convert_schema(schema: &Value, at: &str) -> Result<Value> {
    let source = match schema {
        Value::Object(map) => map,
        // `true` accepts anything, as the empty schema does.
        Value::Bool(true) => return Ok(json!({})),
        _ => return fail(at, "a schema must be a mapping or `true`"),
    };
    let mut out = Map::new();
    let mut nullable = false;
    for (key, value) in source {
        let here = join(at, key);
        match key.as_str() {
            // The dialect declaration: 3.0 documents have one fixed dialect.
            "$schema" => {
                if !value
                    .as_str()
                    .is_some_and(|s| s.contains("json-schema.org/draft/2020-12"))
                {
                    return fail(&here, format!("unsupported `$schema` dialect {value}"));
                }
            }
            // A fragment-only `$id` names the schema's own location and changes no
            // base URI, so no `$ref` can depend on it; any other `$id` could.
            "$id" => {
                if !value.as_str().is_some_and(|s| s.starts_with("#/")) {
                    return fail(
                        &here,
                        format!(
                            "`$id` {value} is not a local fragment; references to it would break"
                        ),
                    );
                }
            }
            // JSON object keys are always strings, so `propertyNames: {type: string}`
            // constrains nothing; any other constraint has no 3.0 equivalent.
            "propertyNames" => {
                if value != &json!({"type": "string"}) {
                    return fail(&here, "`propertyNames` with a constraint other than `type: string` has no 3.0 equivalent");
                }
            }
            "const" => {
                if source.contains_key("enum") {
                    return fail(&here, "`const` beside `enum` is not supported");
                }
                if value.is_null() {
                    nullable = true;
                }
                out.insert("enum".into(), json!([value]));
            }
            "examples" => match value.as_array() {
                Some(list) => {
                    if let Some(first) = list.first() {
                        if source.contains_key("example") {
                            return fail(&here, "`examples` beside `example` is not supported");
                        }
                        out.insert("example".into(), first.clone());
                    }
                }
                None => return fail(&here, "`examples` in a schema must be a list"),
            },
            "exclusiveMinimum" | "exclusiveMaximum" => {
                let bound = if key == "exclusiveMinimum" {
                    "minimum"
                } else {
                    "maximum"
                };
                if !value.is_number() {
                    return fail(&here, format!("`{key}` must be a number in OpenAPI 3.1"));
                }
                if source.contains_key(bound) {
                    return fail(&here, format!("`{key}` beside `{bound}` is not supported"));
                }
                out.insert(bound.into(), value.clone());
                out.insert(key.clone(), json!(true));
            }
            "type" => match value {
                Value::String(t) if t == "null" => {
                    return fail(&here, "a schema of type `null` alone has no 3.0 equivalent")
                }
                Value::String(_) => {
                    out.insert("type".into(), value.clone());
                }
                Value::Array(types) => {
                    let rest: Vec<&Value> = types
                        .iter()
                        .filter(|t| t.as_str() != Some("null"))
                        .collect();
                    nullable |= rest.len() < types.len();
                    match rest.as_slice() {
                        [one] => {
                            out.insert("type".into(), (*one).clone());
                        }
                        _ => {
                            return fail(
                                &here,
                                "a type list must hold exactly one type besides `null`",
                            )
                        }
                    }
                }
                _ => return fail(&here, "`type` must be a string or a list"),
            },
            "properties" => {
                out.insert(key.clone(), convert_map(value, &here, convert_schema)?);
            }
            "items" | "not" => {
                if value.is_array() {
                    return fail(
                        &here,
                        format!("`{key}` holding a list (tuple validation) is not supported"),
                    );
                }
                out.insert(key.clone(), convert_schema(value, &here)?);
            }
            "additionalProperties" => {
                let converted = if value.is_boolean() {
                    value.clone()
                } else {
                    convert_schema(value, &here)?
                };
                out.insert(key.clone(), converted);
            }
            "anyOf" | "oneOf" | "allOf" => {
                if key == "allOf" {
                    out.insert(key.clone(), convert_list(value, &here, convert_schema)?);
                    continue;
                }
                let Some(branches) = value.as_array() else {
                    return fail(&here, "expected a list");
                };
                let mut rest = Vec::new();
                for (i, branch) in branches.iter().enumerate() {
                    if !is_null_schema(branch) {
                        rest.push(convert_schema(branch, &join(&here, &i.to_string()))?);
                    }
                }
                nullable |= rest.len() < branches.len();
                match rest.as_slice() {
                    [] => return fail(&here, format!("`{key}` with only `null` alternatives")),
                    // A union of one type and null is that type, nullable. A `$ref`
                    // cannot carry `nullable` beside it in 3.0, so it is wrapped.
                    [only] if only.get("$ref").is_some() => {
                        out.insert("allOf".into(), json!([only]));
                    }
                    [only] => {
                        for (k, v) in mapping(only, &here)? {
                            if out.contains_key(k) || source.contains_key(k) {
                                return fail(
                                    &here,
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
                        out.insert(key.clone(), Value::Array(rest));
                    }
                }
            }
            k if SCHEMA_PASSTHROUGH.contains(&k) || k.starts_with("x-") => {
                out.insert(key.clone(), value.clone());
            }
            "nullable" => {
                return fail(
                    &here,
                    "`nullable` is not an OpenAPI 3.1 keyword; use a `null` type",
                )
            }
            _ => return fail(&here, format!("unsupported schema keyword `{key}`")),
        }
    }
    if nullable {
        out.insert("nullable".into(), json!(true));
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

/// `{type: 'null'}`, optionally with a title or description.
fn is_null_schema(schema: &Value) -> bool {
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

fn mapping<'a>(value: &'a Value, at: &str) -> Result<&'a Map<String, Value>> {
    value
        .as_object()
        .map_or_else(|| fail(at, "expected a mapping"), Ok)
}

fn convert_map(value: &Value, at: &str, each: fn(&Value, &str) -> Result<Value>) -> Result<Value> {
    let mut out = Map::new();
    for (key, item) in mapping(value, at)? {
        out.insert(key.clone(), each(item, &join(at, key))?);
    }
    Ok(Value::Object(out))
}

fn convert_list(value: &Value, at: &str, each: fn(&Value, &str) -> Result<Value>) -> Result<Value> {
    let Some(items) = value.as_array() else {
        return fail(at, "expected a list");
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| each(item, &join(at, &i.to_string())))
        .collect::<Result<Vec<_>>>()
        .map(Value::Array)
}

#[cfg(test)]
mod tests;
