use serde_json::json;

use super::*;

fn operation(responses: Value) -> Value {
    json!({"operationId": "createWidget", "responses": responses})
}

fn plan_of(responses: Value) -> Shape {
    let doc = json!({"openapi": "3.0.3", "paths": {"/w": {"post": operation(responses)}}});
    prepare(&doc).plans["create_widget"].shape.clone()
}

fn json_body(schema: Value) -> Value {
    json!({"description": "", "content": {"application/json": {"schema": schema}}})
}

#[test]
fn one_schema_on_every_success_status_is_one_type() {
    let widget = json!({"$ref": "#/components/schemas/Widget"});
    let shape = plan_of(
        json!({"200": json_body(widget.clone()), "201": json_body(widget.clone()),
                               "4XX": json_body(json!({"type": "object"}))}),
    );
    assert_eq!(shape, Shape::One(Payload::Json(widget)));
}

#[test]
fn a_body_or_none_is_optional() {
    let shape =
        plan_of(json!({"200": json_body(json!({"type": "object"})), "204": {"description": ""}}));
    assert_eq!(
        shape,
        Shape::Optional {
            payload: Payload::Json(json!({"type": "object"})),
            empty: vec![204]
        }
    );
}

#[test]
fn no_body_anywhere_is_unit_and_a_nestjs_empty_200_is_no_body() {
    assert_eq!(
        plan_of(json!({"204": {"description": ""}})),
        Shape::One(Payload::Empty)
    );
    assert_eq!(
        plan_of(json!({"200": {"description": ""}, "500": json_body(json!({}))})),
        Shape::One(Payload::Empty)
    );
}

#[test]
fn text_and_binary_bodies() {
    let text = json!({"200": {"description": "", "content": {"text/plain": {"schema": {"type": "string"}}}}});
    assert_eq!(plan_of(text), Shape::One(Payload::Text));
    let binary = json!({"200": {"description": "", "content": {"application/octet-stream": {}}}});
    assert_eq!(plan_of(binary), Shape::One(Payload::Binary));
    let problem = json!({"200": {"description": "", "content": {"application/problem+json": {"schema": {"type": "object"}}}}});
    assert_eq!(
        plan_of(problem),
        Shape::One(Payload::Json(json!({"type": "object"})))
    );
}

#[test]
fn different_schemas_are_an_enum_by_status_with_moved_schemas() {
    let doc = json!({"openapi": "3.0.3", "paths": {"/w": {"post": operation(json!({
        "200": json_body(json!({"type": "object", "properties": {"id": {"type": "string"}}})),
        "202": json_body(json!({"$ref": "#/components/schemas/Job"})),
        "204": {"description": ""},
    }))}}, "components": {"schemas": {"Job": {"type": "object"}, "CreateWidgetResponse": {"type": "string"}}}});
    let prepared = prepare(&doc);
    let Shape::ByStatus { name, variants } = &prepared.plans["create_widget"].shape else {
        panic!("an enum")
    };
    // A component already has the name progenitor's pattern gives.
    assert_eq!(name, "CreateWidgetResponse2");
    let names: Vec<(&str, Option<&str>)> = variants
        .iter()
        .map(|v| (v.name.as_str(), v.type_name.as_deref()))
        .collect();
    assert_eq!(
        names,
        [
            ("Ok", Some("CreateWidgetOk")),
            ("Accepted", Some("Job")),
            ("NoContent", None)
        ]
    );
    assert!(prepared
        .client
        .pointer("/components/schemas/CreateWidgetOk/properties/id")
        .is_some());
    // progenitor sees one JSON answer; the mocks see all three, typed.
    let client = &prepared.client["paths"]["/w"]["post"]["responses"];
    assert_eq!(client.as_object().unwrap().len(), 1);
    let mock = &prepared.mock["paths"]["/w"]["post"]["responses"];
    assert_eq!(
        mock["200"]["content"]["application/json"]["schema"],
        json!({"$ref": "#/components/schemas/CreateWidgetOk"})
    );
    assert_eq!(
        mock["202"]["content"]["application/json"]["schema"],
        json!({"$ref": "#/components/schemas/Job"})
    );
}

#[test]
fn default_is_the_success_only_where_no_2xx_is_documented() {
    let problem = json!({"description": "", "content": {"application/problem+json": {"schema": {"type": "object"}}}});
    let shape = plan_of(
        json!({"200": json_body(json!({"$ref": "#/components/schemas/A"})), "default": problem.clone()}),
    );
    assert_eq!(
        shape,
        Shape::One(Payload::Json(json!({"$ref": "#/components/schemas/A"})))
    );
    assert_eq!(
        plan_of(json!({"default": problem})),
        Shape::One(Payload::Json(json!({"type": "object"})))
    );
}

#[test]
fn json_is_chosen_over_text_and_binary() {
    let content = json!({"text/csv": {}, "application/json": {"schema": {"type": "object"}}, "application/pdf": {}});
    let (media, payload) = chosen_media(&json!({}), content.as_object().unwrap()).unwrap();
    assert_eq!(media, "application/json");
    assert_eq!(payload, Payload::Json(json!({"type": "object"})));
}

#[test]
fn a_media_range_over_a_schema_only_json_carries_is_read_as_json() {
    let doc = json!({"components": {"schemas": {
        "Person": {"type": "object", "properties": {"name": {"type": "string"}}},
        "Token": {"type": "string"}
    }}});
    let person = json!({"$ref": "#/components/schemas/Person"});
    let chosen = |content: Value| chosen_media(&doc, content.as_object().unwrap()).unwrap();
    // springdoc's `*/*` over an object, a `$ref` to one, an integer.
    assert_eq!(
        chosen(json!({"*/*": {"schema": person}})),
        ("*/*".to_string(), Payload::Json(person.clone()))
    );
    assert_eq!(
        chosen(json!({"*/*": {"schema": {"type": "integer"}}})).1,
        Payload::Json(json!({"type": "integer"}))
    );
    // A JSON type the document names comes first; a range beats text.
    assert_eq!(
        chosen(
            json!({"*/*": {"schema": person}, "application/json": {"schema": {"type": "array"}}})
        )
        .0,
        "application/json"
    );
    assert_eq!(
        chosen(json!({"text/plain": {"schema": person}, "*/*": {"schema": person}})).0,
        "*/*"
    );
    // A string, a `$ref` to one, or nothing said may be any bytes.
    for schema in [
        json!({"type": "string"}),
        json!({"$ref": "#/components/schemas/Token"}),
        json!({}),
    ] {
        assert_eq!(
            chosen(json!({"*/*": {"schema": schema}})).1,
            Payload::Binary
        );
    }
    assert_eq!(chosen(json!({"*/*": {}})).1, Payload::Binary);
}

#[test]
fn an_operation_documenting_only_redirections_answers_them() {
    let doc = json!({"openapi": "3.0.3", "paths": {"/w": {"post": operation(
        json!({"302": {"description": "A redirection."}, "4XX": {"description": ""}})
    )}}});
    let plan = &prepare(&doc).plans["create_widget"];
    assert_eq!(plan.shape, Shape::One(Payload::Empty));
    let statuses: Vec<&str> = plan.successes.iter().map(|s| s.status.as_str()).collect();
    assert_eq!(statuses, ["302"]);
    // Beside a 2xx, a redirection stays what it was: not an answer.
    let doc = json!({"openapi": "3.0.3", "paths": {"/w": {"post": operation(
        json!({"200": {"description": ""}, "304": {"description": ""}})
    )}}});
    let statuses: Vec<String> = prepare(&doc).plans["create_widget"]
        .successes
        .iter()
        .map(|s| s.status.clone())
        .collect();
    assert_eq!(statuses, ["200"]);
}

#[test]
fn a_204_has_no_body_whatever_the_document_says() {
    let error = json!({"$ref": "#/components/schemas/Error"});
    let shape = plan_of(json!({"204": json_body(error)}));
    assert_eq!(shape, Shape::One(Payload::Empty));
}
