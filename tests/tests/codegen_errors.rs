//! A progenitor or typify failure, panics included, is an error naming the
//! operation or schema it comes from, in regen and in the build script alike
//! (both call `codegen::generate`).

use serde_json::{json, Value};

fn generate(doc: Value) -> String {
    match xtask::codegen::generate(&doc.to_string()) {
        Ok(_) => panic!("progenitor accepted {doc}"),
        Err(e) => e.to_string(),
    }
}

fn document(paths: Value, schemas: Value) -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas}
    })
}

#[test]
fn a_panic_on_a_schema_names_the_schema() {
    // typify's `todo!("exclusive_minimum set without minimum")`.
    let error = generate(document(
        json!({}),
        json!({"Fine": {"type": "string"}, "Bad": {"exclusiveMinimum": true, "maxLength": 3}}),
    ));
    assert!(
        error.contains("schema Bad (#/components/schemas/Bad)"),
        "{error}"
    );
    assert!(
        error.contains("progenitor panicked: not yet implemented"),
        "{error}"
    );
}

#[test]
fn a_panic_on_an_operation_names_the_operation() {
    // typify's `todo!("invalid (or unexpected) schema")` on an object with a
    // `format` in a request body (regen's screen drops it before codegen).
    let body = json!({"content": {"application/json": {
        "schema": {"type": "object", "format": "uri-map"}
    }}});
    let error = generate(document(
        json!({
            "/fine": {"get": {"operationId": "fine", "responses": {"200": {"description": "ok"}}}},
            "/a": {"post": {"operationId": "postA", "requestBody": body,
                            "responses": {"200": {"description": "ok"}}}}
        }),
        json!({}),
    ));
    assert!(error.contains("operation postA (POST /a)"), "{error}");
    assert!(error.contains("progenitor panicked"), "{error}");
}

#[test]
fn an_error_that_is_not_a_panic_names_the_operation_too() {
    let error = generate(document(
        json!({"/a": {"get": {"operationId": "getA", "parameters": [
            {"name": "c", "in": "cookie", "schema": {"type": "string"}}
        ], "responses": {}}}}),
        json!({}),
    ));
    assert!(error.contains("operation getA (GET /a)"), "{error}");
    assert!(
        error.contains("cookie parameters are not supported"),
        "{error}"
    );
}
