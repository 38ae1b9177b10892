//! The rules that predate the 3.0/3.1 split, and shared helpers; one file per
//! group of constructs beside this one.

use super::*;
use serde_json::json;

mod constructs;
mod documents;

fn schema(input: Value) -> Value {
    convert_schema(&input, "/s").unwrap()
}

fn error(input: Value) -> ConvertError {
    convert_schema(&input, "/s").unwrap_err()
}

/// The converted schema and the pointers of what it dropped, with reasons.
fn with_drops(input: Value) -> (Value, Vec<(String, String)>) {
    let converter = Converter::new(&|_| Dialect::OpenApi31);
    let out = converter.schema(&input, "/s").unwrap();
    let drops = converter
        .into_report()
        .dropped
        .into_iter()
        .map(|d| (d.pointer, d.why))
        .collect();
    (out, drops)
}

fn v31(_: &str) -> Dialect {
    Dialect::OpenApi31
}

fn document(doc: &Value) -> Result<Value> {
    convert_document(doc, &v31).map(|(out, _)| out)
}

#[test]
fn const_becomes_a_single_value_enum() {
    assert_eq!(
        schema(json!({"type": "string", "const": "message"})),
        json!({"type": "string", "enum": ["message"]})
    );
}

#[test]
fn falsy_consts_are_kept() {
    assert_eq!(schema(json!({"const": false})), json!({"enum": [false]}));
    assert_eq!(schema(json!({"const": 0})), json!({"enum": [0]}));
    assert_eq!(schema(json!({"const": ""})), json!({"enum": [""]}));
    assert_eq!(
        schema(json!({"const": null})),
        json!({"enum": [null], "nullable": true})
    );
}

#[test]
fn any_of_with_null_becomes_nullable() {
    assert_eq!(
        schema(json!({"anyOf": [{"type": "string", "enum": ["a", "b"]}, {"type": "null"}]})),
        json!({"type": "string", "enum": ["a", "b"], "nullable": true})
    );
    assert_eq!(
        schema(json!({"oneOf": [{"type": "null"}, {"type": "integer"}], "description": "d"})),
        json!({"type": "integer", "description": "d", "nullable": true})
    );
}

#[test]
fn a_nullable_ref_is_wrapped_in_all_of() {
    assert_eq!(
        schema(json!({"anyOf": [{"$ref": "#/components/schemas/X"}, {"type": "null"}]})),
        json!({"allOf": [{"$ref": "#/components/schemas/X"}], "nullable": true})
    );
}

#[test]
fn a_ref_with_siblings_is_wrapped_in_all_of() {
    assert_eq!(
        schema(json!({"$ref": "#/components/schemas/X", "description": "why"})),
        json!({"description": "why", "allOf": [{"$ref": "#/components/schemas/X"}]})
    );
    assert_eq!(
        schema(json!({"$ref": "#/components/schemas/X"})),
        json!({"$ref": "#/components/schemas/X"})
    );
}

#[test]
fn type_lists_with_null_become_nullable() {
    assert_eq!(
        schema(json!({"type": ["string", "null"]})),
        json!({"type": "string", "nullable": true})
    );
    assert_eq!(
        schema(json!({"type": ["number"]})),
        json!({"type": "number"})
    );
}

#[test]
fn any_of_with_several_types_and_null_keeps_the_union() {
    assert_eq!(
        schema(json!({"anyOf": [{"type": "string"}, {"type": "number"}, {"type": "null"}]})),
        json!({"anyOf": [{"type": "string"}, {"type": "number"}], "nullable": true})
    );
}

fn variant(tag: &str, extra: Value) -> Value {
    let mut properties = json!({"type": {"type": "string", "const": tag}});
    properties
        .as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    json!({"type": "object", "properties": properties, "required": ["type"], "additionalProperties": false})
}

#[test]
fn any_of_objects_tagged_by_a_single_value_type_becomes_one_of() {
    let converted = schema(json!({"anyOf": [
        variant("message", json!({"text": {"type": "string"}})),
        variant("handoff", json!({})),
    ]}));
    let branches = converted["oneOf"].as_array().expect("oneOf");
    assert_eq!(branches.len(), 2);
    assert_eq!(
        branches[0]["properties"]["type"],
        json!({"type": "string", "enum": ["message"]})
    );
    assert!(converted.get("anyOf").is_none());
}

#[test]
fn any_of_objects_without_a_distinct_tag_stays_any_of() {
    let converted =
        schema(json!({"anyOf": [variant("same", json!({})), variant("same", json!({}))]}));
    assert!(converted.get("anyOf").is_some());
    let untagged = schema(json!({"anyOf": [{"type": "object"}, {"type": "object"}]}));
    assert!(untagged.get("anyOf").is_some());
}

#[test]
fn the_tag_must_be_required() {
    let mut optional = variant("b", json!({}));
    optional["required"] = json!([]);
    let converted = schema(json!({"anyOf": [variant("a", json!({})), optional]}));
    assert!(converted.get("anyOf").is_some());
}

#[test]
fn string_property_names_and_schema_ids_are_dropped() {
    assert_eq!(
        schema(json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "#/components/schemas/X",
            "type": "object",
            "propertyNames": {"type": "string"},
            "additionalProperties": {"type": "string"}
        })),
        json!({"type": "object", "additionalProperties": {"type": "string"}})
    );
}

#[test]
fn examples_become_example() {
    assert_eq!(
        schema(json!({"type": "integer", "examples": [3, 4]})),
        json!({"type": "integer", "example": 3})
    );
    assert_eq!(
        schema(json!({"type": "integer", "examples": []})),
        json!({"type": "integer"})
    );
}

#[test]
fn numeric_exclusive_bounds_become_boolean_flags() {
    assert_eq!(
        schema(json!({"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 10})),
        json!({"type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": 10, "exclusiveMaximum": true})
    );
    assert_eq!(
        error(json!({"exclusiveMinimum": true, "type": "integer"})).pointer,
        "/s/exclusiveMinimum"
    );
}

#[test]
fn nested_schemas_are_converted() {
    let converted = schema(json!({
        "type": "object",
        "properties": {"a": {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "null"}]}}},
        "additionalProperties": {"const": 1}
    }));
    assert_eq!(
        converted["properties"]["a"]["items"],
        json!({"type": "string", "nullable": true})
    );
    assert_eq!(converted["additionalProperties"], json!({"enum": [1]}));
}

#[test]
fn documents_are_converted_throughout() {
    let doc = json!({
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "paths": {"/a/{id}": {"get": {
            "operationId": "getA",
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": ["string", "null"]}}],
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"const": 1}}}}}
        }}},
        "components": {"schemas": {"X": {"examples": ["x"]}}, "securitySchemes": {"b": {"type": "http", "scheme": "bearer"}}}
    });
    let out = document(&doc).unwrap();
    assert_eq!(out["openapi"], json!("3.0.3"));
    assert_eq!(
        out["paths"]["/a/{id}"]["get"]["parameters"][0]["schema"],
        json!({"type": "string", "nullable": true})
    );
    assert_eq!(
        out["paths"]["/a/{id}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"],
        json!({"enum": [1]})
    );
    assert_eq!(out["components"]["schemas"]["X"], json!({"example": "x"}));
}
