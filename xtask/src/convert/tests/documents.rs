//! Document-level constructs, references, and 3.0 input.

use super::*;

fn doc(extra: Value) -> Value {
    let mut doc = json!({"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": {}});
    for (k, v) in extra.as_object().unwrap() {
        doc[k] = v.clone();
    }
    doc
}

fn report_of(input: &Value) -> (Value, Report) {
    convert_document(input, &v31).unwrap()
}

#[test]
fn a_3_0_document_goes_through_unchanged() {
    let input = json!({
        "openapi": "3.0.0",
        "info": {"title": "T", "version": "1"},
        "paths": {"/a": {"get": {"operationId": "a", "responses": {"200": {
            "description": "ok",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}
        }}}}},
        "components": {"schemas": {"A": {
            "type": "object",
            "properties": {"n": {"type": "integer", "minimum": 0, "exclusiveMinimum": true, "nullable": true},
                           "r": {"$ref": "#/components/schemas/A", "description": "ignored in 3.0"}}
        }}}
    });
    let (out, report) = convert_document(&input, &|_| Dialect::OpenApi30).unwrap();
    let mut expected = input.clone();
    expected["openapi"] = json!("3.0.3");
    assert_eq!(out, expected);
    assert_eq!(report, Report::default());
}

#[test]
fn a_3_1_keyword_in_a_3_0_document_is_refused() {
    let input = json!({"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": {},
        "components": {"schemas": {"A": {"type": ["string", "null"]}}}});
    let e = convert_document(&input, &|_| Dialect::OpenApi30).unwrap_err();
    assert_eq!(e.pointer, "/components/schemas/A/type");
    let input = json!({"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": {},
        "components": {"schemas": {"A": {"const": 1}}}});
    let e = convert_document(&input, &|_| Dialect::OpenApi30).unwrap_err();
    assert!(
        e.message.contains("not an OpenAPI 3.0 schema keyword"),
        "{e}"
    );
}

#[test]
fn a_type_name_json_schema_lacks_in_a_3_0_document_is_refused_with_its_pointer() {
    let input = json!({"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": {},
        "components": {"schemas": {"A": {"type": "undefined"}}}});
    let e = convert_document(&input, &|_| Dialect::OpenApi30).unwrap_err();
    assert_eq!(e.pointer, "/components/schemas/A/type");
    assert!(e.message.contains("not \"undefined\""), "{e}");
}

#[test]
fn parts_of_a_merged_document_keep_their_own_dialect() {
    let input = doc(json!({"components": {"schemas": {
        "Old": {"type": "string", "nullable": true},
        "New": {"type": ["string", "null"]}
    }}}));
    let dialect = |p: &str| {
        if p.contains("Old") {
            Dialect::OpenApi30
        } else {
            Dialect::OpenApi31
        }
    };
    let (out, _) = convert_document(&input, &dialect).unwrap();
    assert_eq!(
        out["components"]["schemas"]["Old"],
        json!({"type": "string", "nullable": true})
    );
    assert_eq!(
        out["components"]["schemas"]["New"],
        json!({"type": "string", "nullable": true})
    );
}

#[test]
fn webhooks_are_dropped_and_reported() {
    let (out, report) = report_of(&doc(
        json!({"webhooks": {"newSession": {"post": {"responses": {}}}}}),
    ));
    assert!(out.get("webhooks").is_none());
    let dropped: Vec<_> = report.dropped.iter().map(|d| d.pointer.as_str()).collect();
    assert_eq!(dropped, ["/webhooks"]);
}

#[test]
fn the_default_json_schema_dialect_is_dropped_and_another_refused() {
    let (out, _) = report_of(&doc(
        json!({"jsonSchemaDialect": "https://spec.openapis.org/oas/3.1/dialect/base"}),
    ));
    assert!(out.get("jsonSchemaDialect").is_none());
    let e = document(&doc(
        json!({"jsonSchemaDialect": "https://example.com/dialect"}),
    ))
    .unwrap_err();
    assert_eq!(e.pointer, "/jsonSchemaDialect");
}

#[test]
fn info_summary_leads_the_description_and_license_identifier_becomes_its_url() {
    let out = document(&doc(json!({"info": {
        "title": "T", "version": "1", "summary": "Short.", "description": "Long.",
        "license": {"name": "MIT", "identifier": "MIT"}
    }})))
    .unwrap();
    assert_eq!(out["info"]["description"], json!("Short.\n\nLong."));
    assert!(out["info"].get("summary").is_none());
    assert_eq!(
        out["info"]["license"],
        json!({"name": "MIT", "url": "https://spdx.org/licenses/MIT.html"})
    );
}

#[test]
fn components_path_items_are_inlined() {
    let out = document(&doc(json!({
        "paths": {"/a": {"$ref": "#/components/pathItems/A", "summary": "mine"}},
        "components": {"pathItems": {"A": {"summary": "theirs", "get": {"operationId": "a", "responses": {}}}}}
    })))
    .unwrap();
    assert_eq!(
        out["paths"]["/a"],
        json!({"summary": "mine", "get": {"operationId": "a", "responses": {}}})
    );
    assert!(out.get("components").is_none());
}

#[test]
fn defs_are_hoisted_and_their_refs_rewritten() {
    let (out, report) = report_of(&doc(json!({
        "paths": {"/a": {"get": {"operationId": "a", "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
            "$defs": {"Item": {"type": "string"}},
            "type": "array",
            "items": {"$ref": "#/paths/~1a/get/responses/200/content/application~1json/schema/$defs/Item"}
        }}}}}}}},
        "components": {"schemas": {
            "Page": {"$defs": {"Item": {"type": "integer"}}, "type": "array", "items": {"$ref": "#/components/schemas/Page/$defs/Item"}}
        }}
    })));
    let schemas = &out["components"]["schemas"];
    assert_eq!(
        schemas["Page"],
        json!({"type": "array", "items": {"$ref": "#/components/schemas/PageItem"}})
    );
    assert_eq!(schemas["PageItem"], json!({"type": "integer"}));
    assert_eq!(schemas["Item"], json!({"type": "string"}));
    assert_eq!(
        out["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
            ["items"],
        json!({"$ref": "#/components/schemas/Item"})
    );
    let names: Vec<_> = report.moved.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(
        names,
        ["PageItem", "Item"],
        "sorted by where they came from"
    );
}

#[test]
fn a_ref_to_a_non_local_id_points_at_the_schema() {
    let out = document(&doc(json!({"components": {"schemas": {
        "Money": {"$id": "https://api.open.cx/schemas/money.json", "type": "object"},
        "Order": {"type": "object", "properties": {
            "total": {"$ref": "https://api.open.cx/schemas/money.json"},
            "tip": {"$id": "https://api.open.cx/schemas/tip.json", "type": "integer"},
            "again": {"$ref": "tip.json", "$id": "https://api.open.cx/schemas/order.json"}
        }}
    }}})))
    .unwrap();
    let schemas = &out["components"]["schemas"];
    assert_eq!(schemas["Money"], json!({"type": "object"}));
    assert_eq!(
        schemas["Order"]["properties"]["total"],
        json!({"$ref": "#/components/schemas/Money"})
    );
    assert_eq!(
        schemas["Order"]["properties"]["tip"],
        json!({"$ref": "#/components/schemas/tip"})
    );
    assert_eq!(schemas["tip"], json!({"type": "integer"}));
    assert_eq!(
        schemas["Order"]["properties"]["again"],
        json!({"$ref": "#/components/schemas/tip"})
    );
}

#[test]
fn a_ref_to_a_document_that_is_not_vendored_is_refused() {
    let e = document(&doc(
        json!({"components": {"schemas": {"A": {"$ref": "https://example.com/other.json"}}}}),
    ))
    .unwrap_err();
    assert_eq!(e.pointer, "/components/schemas/A");
    assert!(e.message.contains("not in the vendored documents"), "{e}");
}

#[test]
fn summary_and_description_beside_response_and_parameter_refs_are_dropped() {
    let out = document(&doc(json!({"paths": {"/a": {"get": {
        "operationId": "a",
        "parameters": [{"$ref": "#/components/parameters/P", "description": "here"}],
        "responses": {"200": {"$ref": "#/components/responses/R", "summary": "s", "description": "d"}}
    }}}})))
    .unwrap();
    let op = &out["paths"]["/a"]["get"];
    assert_eq!(
        op["parameters"][0],
        json!({"$ref": "#/components/parameters/P"})
    );
    assert_eq!(
        op["responses"]["200"],
        json!({"$ref": "#/components/responses/R"})
    );
}

#[test]
fn binary_bodies_become_format_binary() {
    let out = document(&doc(json!({"paths": {"/a": {"put": {
        "operationId": "a",
        "requestBody": {"content": {"application/octet-stream": {}}},
        "responses": {"200": {"description": "ok", "content": {"image/png": {"schema": {"type": "string", "contentMediaType": "image/png"}}}}}
    }}}})))
    .unwrap();
    let op = &out["paths"]["/a"]["put"];
    let binary = json!({"type": "string", "format": "binary"});
    assert_eq!(
        op["requestBody"]["content"]["application/octet-stream"]["schema"],
        binary
    );
    assert_eq!(
        op["responses"]["200"]["content"]["image/png"]["schema"],
        binary
    );
}

#[test]
fn callbacks_are_converted_like_paths() {
    let out = document(&doc(json!({"paths": {"/a": {"post": {
        "operationId": "a",
        "callbacks": {"done": {"{$request.body#/url}": {"post": {"requestBody": {"content": {"application/json": {"schema": {"const": 1}}}}, "responses": {}}}}},
        "responses": {}
    }}}})))
    .unwrap();
    assert_eq!(
        out.pointer("/paths/~1a/post/callbacks/done/{$request.body#~1url}/post/requestBody/content/application~1json/schema"),
        Some(&json!({"enum": [1]}))
    );
}

#[test]
fn mutual_tls_is_refused() {
    let e = document(&doc(
        json!({"components": {"securitySchemes": {"m": {"type": "mutualTLS"}}}}),
    ))
    .unwrap_err();
    assert_eq!(e.pointer, "/components/securitySchemes/m/type");
}

#[test]
fn a_ref_to_an_anchor_points_at_the_schema() {
    let out = document(&doc(json!({"components": {"schemas": {
        "Id": {"$anchor": "id", "type": "string"},
        "User": {"type": "object", "properties": {"id": {"$ref": "#id"}}}
    }}})))
    .unwrap();
    assert_eq!(
        out["components"]["schemas"]["User"]["properties"]["id"],
        json!({"$ref": "#/components/schemas/Id"})
    );
    assert_eq!(
        out["components"]["schemas"]["Id"],
        json!({"type": "string"})
    );
}

#[test]
fn draft_07_definitions_are_hoisted_like_defs() {
    let (out, report) = report_of(&doc(json!({
        "components": {"schemas": {
            "Transfer": {"definitions": {"transferAccount": {"type": "object",
                "properties": {"currency": {"type": "string"}}}},
                "type": "object",
                "properties": {"from": {"$ref": "#/components/schemas/Transfer/definitions/transferAccount"},
                    "definitions": {"type": "string", "example": {"definitions": {"a": 1}}}}}
        }}
    })));
    let schemas = &out["components"]["schemas"];
    assert_eq!(
        schemas["Transfer"]["properties"]["from"],
        json!({"$ref": "#/components/schemas/transferAccount"})
    );
    assert!(schemas["Transfer"].get("definitions").is_none());
    // A property called `definitions`, and one in an example, are no keyword.
    assert_eq!(
        schemas["Transfer"]["properties"]["definitions"]["example"],
        json!({"definitions": {"a": 1}})
    );
    assert_eq!(
        report
            .moved
            .iter()
            .map(|m| m.name.as_str())
            .collect::<Vec<_>>(),
        ["transferAccount"]
    );
}

#[test]
fn a_ref_into_another_schema_hoists_its_target_for_both_places() {
    let (out, report) = report_of(&doc(json!({
        "paths": {"/a": {"get": {"operationId": "a",
            "parameters": [{"name": "kind", "in": "query", "schema": {"type": "string", "enum": ["x", "y"]}}],
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                "type": "object", "properties": {
                    "currency": {"$ref": "#/components/schemas/Account/properties/currency"},
                    "kind": {"$ref": "#/paths/~1a/get/parameters/0/schema"}}
            }}}}}}}},
        "components": {"schemas": {
            "Account": {"type": "object", "properties": {"currency": {"type": "string", "enum": ["EUR"]}}}
        }}
    })));
    let schemas = &out["components"]["schemas"];
    assert_eq!(
        schemas["Account"]["properties"]["currency"],
        json!({"$ref": "#/components/schemas/Account_currency"})
    );
    assert_eq!(schemas["Account_currency"]["enum"], json!(["EUR"]));
    let body =
        &out["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
    assert_eq!(
        body["properties"]["currency"],
        json!({"$ref": "#/components/schemas/Account_currency"})
    );
    assert_eq!(
        body["properties"]["kind"],
        json!({"$ref": "#/components/schemas/kind_parameter"})
    );
    assert_eq!(
        out["paths"]["/a"]["get"]["parameters"][0]["schema"],
        json!({"$ref": "#/components/schemas/kind_parameter"})
    );
    assert_eq!(report.moved.len(), 2);
}

#[test]
fn a_ref_to_a_parameter_that_is_no_component_is_replaced_by_it() {
    let out = document(&doc(json!({
        "paths": {"/a/{id}": {
            "get": {"operationId": "a", "parameters": [
                {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}
            ], "responses": {}},
            "delete": {"operationId": "b", "parameters": [{"$ref": "#/paths/~1a~1%7Bid%7D/get/parameters/0"}], "responses": {}}
        }}
    })))
    .unwrap();
    assert_eq!(
        out["paths"]["/a/{id}"]["delete"]["parameters"][0],
        json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string"}})
    );
}
