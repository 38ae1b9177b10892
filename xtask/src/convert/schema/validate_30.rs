//! A schema written in OpenAPI 3.0 is checked, not converted.

use serde_json::Value;

use super::super::{fail, mapping, Result};
use crate::pointer::join;

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
pub(super) fn validate_30(schema: &Value, at: &str) -> Result<()> {
    let map = mapping(schema, at)?;
    for (key, value) in map {
        let here = join(at, key);
        if !(SCHEMA_30.contains(&key.as_str()) || key.starts_with("x-")) {
            return fail(&here, format!("`{key}` is not an OpenAPI 3.0 schema keyword, but this part of the document declares 3.0"));
        }
        match key.as_str() {
            "type"
                if !matches!(
                    value.as_str(),
                    Some("boolean" | "object" | "array" | "number" | "string" | "integer")
                ) =>
            {
                return fail(
                    &here,
                    format!(
                        "OpenAPI 3.0 `type` is one of boolean, object, array, number, string and \
                         integer (null through `nullable`), not {value}"
                    ),
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
