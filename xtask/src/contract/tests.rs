use serde_json::json;

use super::*;
use crate::regen;

fn served() -> Value {
    let ws = Workspace::new(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .unwrap(),
    )
    .without_compile_check();
    let outputs = regen::outputs(&ws).expect("the pipeline runs");
    let served = outputs
        .iter()
        .find(|o| o.path.ends_with("tests/contract/upstream.json"))
        .expect("the served document is an output");
    serde_json::from_str(&served.content).unwrap()
}

#[test]
fn the_server_gets_upstream_with_only_the_narrowing_patches() {
    let doc = served();
    let contact = &doc["components"]["schemas"]["GetChatSessionOutput"]["properties"]["contact"];
    // Loosening entries stay out: upstream requires a contact's `created_at`.
    assert!(contact["required"]
        .as_array()
        .unwrap()
        .contains(&json!("created_at")));
    let assignees = &doc["components"]["schemas"]["FilterSessionsPublicDto"]["properties"]
        ["filters"]["properties"]["assignees"];
    assert_eq!(assignees["type"], json!("array"));
    // Narrowing entries go in: whole numbers are integers.
    assert_eq!(
        assignees["items"],
        json!({"type": "integer", "format": "int64"})
    );
    assert_eq!(
        doc["components"]["schemas"]["GetChatSessionOutput"]["properties"]["ticket_number"]["type"],
        json!("integer")
    );
    // Named types and the relax stage stay out: upstream names, and the
    // response-only email pattern.
    assert!(doc["components"]["schemas"].get("Session").is_none());
    assert!(contact["properties"]["email"]["anyOf"][0]["pattern"].is_string());
    assert_eq!(doc["openapi"], json!("3.1.0"));
}

fn served_with(overlay: &str) -> Result<Value> {
    let upstream = json!({
        "openapi": "3.1.0",
        "paths": {},
        "components": {"schemas": {"Out": {"type": "object", "properties": {
            "ids": {"type": "array", "items": {"type": "number"}}
        }}}}
    });
    let overlay = Overlay::parse(overlay, "specs/overlay.yaml")?;
    server::document(&upstream, &overlay, &Origins::default())
}

#[test]
fn a_narrowing_patch_is_checked_to_narrow() {
    let ok = served_with(
        "patches:\n- at: /components/schemas/Out/properties/ids/items\n  why: whole\n  \
         expect: {type: number}\n  set: {type: integer}\n  narrows: true\n",
    )
    .unwrap();
    assert_eq!(
        ok["components"]["schemas"]["Out"]["properties"]["ids"]["items"]["type"],
        json!("integer")
    );
    let loosening = format!(
        "{:#}",
        served_with(
            "patches:\n- at: /components/schemas/Out/properties/ids/type\n  why: optional\n  \
             expect: array\n  set: [array, 'null']\n  narrows: true\n",
        )
        .unwrap_err()
    );
    assert!(
        loosening.contains("patches[0] is marked `narrows` but may accept more"),
        "{loosening}"
    );
    let unmarked = served_with(
        "patches:\n- at: /components/schemas/Out/properties/ids/type\n  why: optional\n  \
         expect: array\n  set: [array, 'null']\n",
    )
    .unwrap();
    assert_eq!(
        unmarked["components"]["schemas"]["Out"]["properties"]["ids"]["type"],
        json!("array")
    );
}

#[test]
fn every_operation_gets_a_test_calling_every_builder_method() {
    let ws = Workspace::new(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .unwrap(),
    )
    .without_compile_check();
    let outputs = regen::outputs(&ws).unwrap();
    let tests = &outputs
        .iter()
        .find(|o| o.path.ends_with("tests/tests/contract.rs"))
        .unwrap()
        .content;
    assert!(tests.starts_with("// @generated"));
    for op in [
        "list_chat_sessions",
        "list_chat_history",
        "get_chat_session",
        "filter_chat_sessions",
    ] {
        assert!(tests.contains(&format!("async fn {op}()")), "{op}");
    }
    assert!(tests.contains("request = request.handed_off(value);"));
    assert!(tests.contains("round.body::<types::SessionFilterRequest>()"));
    assert!(tests.contains("name: \"ChatEvent\""));
}

#[test]
fn an_operation_that_cannot_have_a_test_is_reported_and_the_rest_are_written() {
    let doc = json!({
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1"},
        "paths": {
            "/a": {"get": {"operationId": "getA", "responses": {"204": {"description": ""}}}},
            "/b/{id}": {"get": {"operationId": "getB",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"204": {"description": ""}}}}
        }
    });
    // A client whose builder for `getB` has no setter for `id`.
    let client = "pub struct Client;
        impl Client {
            pub fn get_a(&self) -> builder::GetA<'_> { todo!() }
            pub fn get_b(&self) -> builder::GetB<'_> { todo!() }
        }
        pub mod builder {
            pub struct GetA<'a>(&'a ());
            pub struct GetB<'a>(&'a ());
            impl<'a> GetB<'a> { pub fn send(self) {} }
        }";
    let api = super::client_api::ClientApi::read(&syn::parse_file(client).unwrap(), "").unwrap();
    let (tests, untested) = super::test_file::render(&doc, &api).unwrap();
    assert!(tests.contains("async fn get_a()"), "{tests}");
    assert!(!tests.contains("async fn get_b()"));
    assert_eq!(untested.len(), 1, "{untested:?}");
    assert_eq!(untested[0].pointer, "/paths/~1b~1{id}/get");
    assert!(
        untested[0]
            .why
            .contains("parameter `id` has no builder method"),
        "{}",
        untested[0].why
    );
}
