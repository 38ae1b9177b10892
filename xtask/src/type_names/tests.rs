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
