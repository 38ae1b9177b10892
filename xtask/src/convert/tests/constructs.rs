//! One test per JSON Schema 2020-12 construct: exact, codegen-neutral
//! (dropped and reported) or refused.

use super::*;

fn refused(input: Value, pointer: &str, keyword: &str) {
    let e = error(input);
    assert_eq!(e.pointer, pointer, "{e}");
    assert!(e.message.contains(&format!("`{keyword}`")), "{e}");
    assert!(
        e.message.contains("specs/overlay.yaml"),
        "names the overlay: {e}"
    );
}

fn neutral(input: Value, expected: Value, pointer: &str) {
    let (out, drops) = with_drops(input);
    assert_eq!(out, expected);
    assert_eq!(drops.len(), 1, "{drops:?}");
    assert_eq!(drops[0].0, pointer);
    assert!(!drops[0].1.is_empty());
}

// --- exact ---

#[test]
fn comment_is_dropped_without_a_report() {
    let (out, drops) = with_drops(json!({"type": "string", "$comment": "internal"}));
    assert_eq!(out, json!({"type": "string"}));
    assert!(drops.is_empty());
}

#[test]
fn base64_content_encoding_becomes_format_byte() {
    assert_eq!(
        schema(json!({"type": "string", "contentEncoding": "base64"})),
        json!({"type": "string", "format": "byte"})
    );
}

#[test]
fn a_type_list_of_several_types_becomes_one_of_single_types() {
    assert_eq!(
        schema(json!({
            "type": ["string", "integer", "null"],
            "description": "d",
            "minLength": 1,
            "minimum": 0,
            "enum": ["a", 1, null]
        })),
        json!({
            "description": "d",
            "oneOf": [
                {"type": "string", "minLength": 1, "enum": ["a"]},
                {"type": "integer", "minimum": 0, "enum": [1]}
            ],
            "nullable": true
        })
    );
}

#[test]
fn integer_beside_number_in_a_type_list_is_number() {
    assert_eq!(
        schema(json!({"type": ["integer", "number"]})),
        json!({"type": "number"})
    );
}

#[test]
fn a_type_list_of_objects_and_arrays_splits_their_keywords() {
    let out = schema(json!({
        "type": ["object", "array"],
        "properties": {"a": {"const": 1}},
        "items": {"type": "string"}
    }));
    assert_eq!(
        out,
        json!({"oneOf": [
            {"type": "object", "properties": {"a": {"enum": [1]}}},
            {"type": "array", "items": {"type": "string"}}
        ]})
    );
}

#[test]
fn a_type_name_json_schema_lacks_is_dropped_and_reported() {
    // zod-to-openapi's optional marker, as a real upstream publishes it.
    neutral(
        json!({"type": ["number", "undefined"], "minimum": 1}),
        json!({"type": "number", "minimum": 1}),
        "/s/type",
    );
    neutral(
        json!({"type": ["string", "null", "undefined"]}),
        json!({"type": "string", "nullable": true}),
        "/s/type",
    );
    neutral(json!({"type": "undefined"}), json!({}), "/s/type");
}

#[test]
fn a_map_of_examples_is_an_annotation_dropped_and_reported() {
    // Codat's schemas hold a media type's `examples` map.
    neutral(
        json!({"type": "object", "examples": {"Example 1": {"value": {"a": 1}}}}),
        json!({"type": "object"}),
        "/s/examples",
    );
}

#[test]
fn a_type_that_is_no_type_name_reads_as_any_value_with_a_warning() {
    // Codat's `definitions/itemType`: `type` holds a property's schema.
    let converter = Converter::new(&|_| Dialect::OpenApi31);
    let out = converter
        .schema(
            &json!({"description": "d", "type": {"type": "string", "enum": ["A"]}}),
            "/s",
        )
        .unwrap();
    assert_eq!(out, json!({"description": "d"}));
    let report = converter.into_report();
    let repaired: Vec<&str> = report.repaired.iter().map(|d| d.pointer.as_str()).collect();
    assert_eq!(repaired, ["/s/type"]);
    assert!(report.repaired.iter().all(|d| d.why.contains("any JSON")));
}

#[test]
fn type_null_beside_a_one_of_is_a_nullable_union_with_a_warning() {
    // Vercel's `EdgeConfigItemValue`.
    let converter = Converter::new(&|_| Dialect::OpenApi31);
    let out = converter
        .schema(
            &json!({"type": "null", "oneOf": [{"type": "string"}, {"type": "array", "items": {}}]}),
            "/s",
        )
        .unwrap();
    assert_eq!(out.get("enum"), None, "{out}");
    assert_eq!(out["nullable"], true, "{out}");
    assert!(out["oneOf"].is_array(), "{out}");
    let report = converter.into_report();
    let repaired: Vec<&str> = report.repaired.iter().map(|d| d.pointer.as_str()).collect();
    assert_eq!(repaired, ["/s/type"]);
}

#[test]
fn type_null_alone_is_a_nullable_schema_whose_only_value_is_null() {
    assert_eq!(
        schema(json!({"type": "null"})),
        json!({"enum": [null], "nullable": true})
    );
}

#[test]
fn the_tighter_of_two_lower_bounds_wins() {
    assert_eq!(
        schema(json!({"type": "integer", "minimum": 0, "exclusiveMinimum": 5})),
        json!({"type": "integer", "minimum": 5, "exclusiveMinimum": true})
    );
    assert_eq!(
        schema(json!({"type": "integer", "minimum": 5, "exclusiveMinimum": 0})),
        json!({"type": "integer", "minimum": 5})
    );
    assert_eq!(
        schema(json!({"type": "number", "maximum": 1, "exclusiveMaximum": 1})),
        json!({"type": "number", "maximum": 1, "exclusiveMaximum": true})
    );
}

#[test]
fn const_beside_enum_is_their_intersection() {
    assert_eq!(
        schema(json!({"enum": ["a", "b"], "const": "b"})),
        json!({"enum": ["b"]})
    );
}

#[test]
fn boolean_schemas_become_empty_and_not_empty() {
    assert_eq!(schema(json!(true)), json!({}));
    assert_eq!(schema(json!(false)), json!({"not": {}}));
    assert_eq!(
        schema(json!({"type": "array", "items": false})),
        json!({"type": "array", "maxItems": 0})
    );
}

#[test]
fn unevaluated_properties_without_subschemas_is_additional_properties() {
    assert_eq!(
        schema(json!({"type": "object", "unevaluatedProperties": {"type": "integer"}})),
        json!({"type": "object", "additionalProperties": {"type": "integer"}})
    );
}

#[test]
fn unevaluated_items_without_subschemas_is_items() {
    assert_eq!(
        schema(json!({"type": "array", "unevaluatedItems": {"const": 1}})),
        json!({"type": "array", "items": {"enum": [1]}})
    );
}

#[test]
fn prefix_items_of_one_schema_is_a_list_of_it() {
    assert_eq!(
        schema(
            json!({"type": "array", "prefixItems": [{"type": "string"}, {"type": "string"}], "items": false})
        ),
        json!({"type": "array", "maxItems": 2, "items": {"type": "string"}})
    );
}

#[test]
fn nullable_inside_a_3_1_document_is_the_3_0_keyword() {
    assert_eq!(
        schema(json!({"type": "string", "nullable": true})),
        json!({"type": "string", "nullable": true})
    );
    assert_eq!(
        schema(json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true})),
        json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true})
    );
}

#[test]
fn pattern_properties_of_a_closed_map_are_its_values() {
    neutral(
        json!({"type": "object", "patternProperties": {"^x-": {"type": "string"}}, "additionalProperties": false}),
        json!({"type": "object", "additionalProperties": {"type": "string"}}),
        "/s/patternProperties",
    );
}

#[test]
fn dynamic_references_are_refused() {
    refused(
        json!({"$dynamicRef": "#node"}),
        "/s/$dynamicRef",
        "$dynamicRef",
    );
}

// --- codegen-neutral ---

#[test]
fn contains_is_dropped_and_reported() {
    neutral(
        json!({"type": "array", "items": {"type": "string"}, "contains": {"const": "a"}}),
        json!({"type": "array", "items": {"type": "string"}}),
        "/s/contains",
    );
}

#[test]
fn dependent_required_is_dropped_and_reported() {
    neutral(
        json!({"type": "object", "dependentRequired": {"a": ["b"]}}),
        json!({"type": "object"}),
        "/s/dependentRequired",
    );
}

#[test]
fn dependent_schemas_that_only_require_are_dropped() {
    neutral(
        json!({"type": "object", "properties": {"a": {}, "b": {}}, "dependentSchemas": {"a": {"required": ["b"]}}}),
        json!({"type": "object", "properties": {"a": {}, "b": {}}}),
        "/s/dependentSchemas",
    );
}

#[test]
fn dependent_schemas_that_add_properties_are_refused() {
    refused(
        json!({"type": "object", "properties": {"a": {}}, "dependentSchemas": {"a": {"properties": {"c": {}}}}}),
        "/s/dependentSchemas/a/properties",
        "dependentSchemas",
    );
}

#[test]
fn if_then_else_that_only_narrow_are_dropped() {
    neutral(
        json!({
            "type": "object",
            "properties": {"kind": {"type": "string"}, "url": {"type": "string"}},
            "if": {"properties": {"kind": {"const": "link"}}},
            "then": {"required": ["url"]},
            "else": {"properties": {"url": {"maxLength": 0}}}
        }),
        json!({"type": "object", "properties": {"kind": {"type": "string"}, "url": {"type": "string"}}}),
        "/s/if",
    );
}

#[test]
fn if_then_that_adds_a_property_is_refused() {
    refused(
        json!({"type": "object", "properties": {"a": {}}, "if": {}, "then": {"properties": {"b": {}}}}),
        "/s/then/properties",
        "then",
    );
}

#[test]
fn unevaluated_properties_false_beside_all_of_is_dropped() {
    neutral(
        json!({"allOf": [{"$ref": "#/components/schemas/A"}], "unevaluatedProperties": false}),
        json!({"allOf": [{"$ref": "#/components/schemas/A"}]}),
        "/s/unevaluatedProperties",
    );
}

#[test]
fn unevaluated_properties_with_a_schema_beside_all_of_is_refused() {
    refused(
        json!({"allOf": [{"$ref": "#/components/schemas/A"}], "unevaluatedProperties": {"type": "string"}}),
        "/s/unevaluatedProperties",
        "unevaluatedProperties",
    );
}

#[test]
fn unevaluated_items_false_beside_all_of_is_dropped() {
    neutral(
        json!({"allOf": [{"type": "array"}], "unevaluatedItems": false}),
        json!({"allOf": [{"type": "array"}]}),
        "/s/unevaluatedItems",
    );
}

#[test]
fn constrained_property_names_are_dropped() {
    neutral(
        json!({"type": "object", "propertyNames": {"pattern": "^a"}, "additionalProperties": {"type": "string"}}),
        json!({"type": "object", "additionalProperties": {"type": "string"}}),
        "/s/propertyNames",
    );
}

#[test]
fn content_media_type_of_a_string_is_dropped() {
    neutral(
        json!({"type": "string", "contentMediaType": "application/json"}),
        json!({"type": "string"}),
        "/s/contentMediaType",
    );
}

#[test]
fn other_content_encodings_are_dropped() {
    neutral(
        json!({"type": "string", "contentEncoding": "base32"}),
        json!({"type": "string"}),
        "/s/contentEncoding",
    );
}

#[test]
fn a_forbidden_property_is_dropped() {
    neutral(
        json!({"type": "object", "properties": {"a": {"type": "string"}, "legacy": false}}),
        json!({"type": "object", "properties": {"a": {"type": "string"}}}),
        "/s/properties/legacy",
    );
    assert!(
        error(json!({"properties": {"a": false}, "required": ["a"]}))
            .message
            .contains("no value is valid")
    );
}

// --- refused ---

#[test]
fn a_tuple_of_different_schemas_is_refused() {
    refused(
        json!({"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}]}),
        "/s/prefixItems",
        "prefixItems",
    );
}

#[test]
fn pattern_properties_beside_other_properties_are_refused() {
    refused(
        json!({"type": "object", "properties": {"a": {}}, "patternProperties": {"^x": {}}}),
        "/s/patternProperties",
        "patternProperties",
    );
}

#[test]
fn an_unknown_keyword_is_an_annotation_dropped_with_its_pointer() {
    let (out, drops) = with_drops(
        json!({"type": "object", "properties": {"a": {"type": "string", "regex": "^a"}}}),
    );
    assert_eq!(
        out,
        json!({"type": "object", "properties": {"a": {"type": "string"}}})
    );
    assert_eq!(drops.len(), 1);
    assert_eq!(drops[0].0, "/s/properties/a/regex");
    assert!(drops[0].1.contains("annotation"), "{}", drops[0].1);
}

#[test]
fn a_foreign_dialect_is_refused() {
    assert_eq!(
        error(json!({"$schema": "http://json-schema.org/draft-04/schema#"})).pointer,
        "/s/$schema"
    );
}
