use serde_json::json;

use super::*;

fn doc(operation: Value) -> Value {
    json!({"openapi": "3.0.3", "paths": {"/files/{id}": {"post": operation}}})
}

fn id_param() -> Value {
    json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string"}})
}

fn run(mut doc: Value, hand_written: &[(&str, &str)]) -> (Value, Report) {
    let mut report = Report::default();
    let hand_written = hand_written
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    screen(&mut doc, &hand_written, &mut report).unwrap();
    (doc, report)
}

#[test]
fn a_left_out_operation_is_named_with_its_hand_written_method() {
    let (out, report) = run(
        doc(json!({
            "operationId": "uploadFile",
            "parameters": [id_param(), {"name": "session", "in": "cookie", "required": true,
                "schema": {"type": "string"}}],
            "responses": {"200": {"description": "ok"}}
        })),
        &[("uploadFile", "Client::upload_file")],
    );
    assert_eq!(out["paths"], json!({}), "the operation is gone");
    let left: Vec<_> = report.left_out.iter().collect();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].operation, "POST /files/{id}");
    // The hand-written method is the reason, whatever else the operation holds:
    // generating it too would define the method twice.
    assert!(
        left[0]
            .reason
            .contains("the hand-written `Client::upload_file` covers it"),
        "{}",
        left[0].reason
    );
    assert_eq!(left[0].hand_written.as_deref(), Some("Client::upload_file"));
}

#[test]
fn an_operation_no_method_covers_is_left_out_for_what_it_holds() {
    let (out, report) = run(
        doc(json!({
            "operationId": "uploadFile",
            "parameters": [id_param(), {"name": "session", "in": "cookie", "required": true,
                "schema": {"type": "string"}}],
            "responses": {"200": {"description": "ok"}}
        })),
        &[],
    );
    assert_eq!(out["paths"], json!({}), "the operation is gone");
    let left: Vec<_> = report.left_out.iter().collect();
    assert_eq!(left.len(), 1);
    assert!(left[0].reason.contains("cookie"), "{}", left[0].reason);
    assert_eq!(left[0].hand_written, None);
}

#[test]
fn every_request_media_type_is_kept_for_the_client_to_send() {
    for media_type in [
        "multipart/form-data",
        "application/octet-stream",
        "application/vnd.example+json",
        "text/xml",
        "image/png",
        // An object in `*/*` goes as JSON: see
        // an_object_in_a_wildcard_media_type_is_sent_as_json.
    ] {
        let (out, report) = run(
            doc(json!({
                "operationId": "a",
                "parameters": [id_param()],
                "requestBody": {"content": {media_type: {"schema": {"type": "object"}}}},
                "responses": {}
            })),
            &[],
        );
        assert!(report.left_out.is_empty(), "{media_type}: {report:?}");
        let content = &out["paths"]["/files/{id}"]["post"]["requestBody"]["content"];
        assert!(content[media_type].is_object(), "{media_type}: {out}");
    }
}

#[test]
fn of_several_request_content_types_the_client_sends_json() {
    let (out, report) = run(
        doc(json!({
            "operationId": "send",
            "parameters": [id_param()],
            "requestBody": {"content": {
                "multipart/form-data": {"schema": {"type": "object"}},
                "application/json": {"schema": {"type": "object"}}
            }},
            "responses": {}
        })),
        &[],
    );
    let content = &out["paths"]["/files/{id}"]["post"]["requestBody"]["content"];
    assert_eq!(
        content.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["application/json"]
    );
    let dropped: Vec<_> = report.dropped.iter().map(|d| d.pointer.as_str()).collect();
    assert_eq!(
        dropped,
        ["/paths/~1files~1{id}/post/requestBody/content/multipart~1form-data"]
    );
}

#[test]
fn json_encodings_are_dropped_and_missing_json_schemas_mean_any_json() {
    let (out, report) = run(
        doc(json!({
            "operationId": "send",
            "parameters": [id_param()],
            "responses": {"200": {"description": "ok", "content": {"application/json": {"encoding": {}}}}}
        })),
        &[],
    );
    assert_eq!(
        out["paths"]["/files/{id}"]["post"]["responses"]["200"]["content"]["application/json"],
        json!({"schema": {}})
    );
    assert_eq!(report.dropped.len(), 1);
}

#[test]
fn a_path_name_no_parameter_declares_becomes_a_required_string() {
    let (out, report) = run(doc(json!({"operationId": "a", "responses": {}})), &[]);
    assert!(report.left_out.is_empty(), "{report:?}");
    assert_eq!(
        out["paths"]["/files/{id}"]["post"]["parameters"],
        json!([{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}])
    );
    let why = &report.repaired.iter().next().unwrap().why;
    assert!(why.contains("`{id}` but no parameter declares it"), "{why}");
}

#[test]
fn a_path_parameter_the_template_lacks_is_dropped_and_reported() {
    let extra =
        json!({"name": "other", "in": "path", "required": true, "schema": {"type": "string"}});
    let (out, report) = run(
        doc(json!({"operationId": "a", "parameters": [id_param(), extra], "responses": {}})),
        &[],
    );
    assert!(report.left_out.is_empty(), "{report:?}");
    assert_eq!(
        out["paths"]["/files/{id}"]["post"]["parameters"],
        json!([id_param()])
    );
    let why = &report.repaired.iter().next().unwrap().why;
    assert!(why.contains("`other`"), "{why}");
}

#[test]
fn cookies_are_dropped_when_optional_and_refuse_the_operation_when_required() {
    let cookie = |required| json!({"name": "c", "in": "cookie", "required": required, "schema": {"type": "string"}});
    let (out, report) = run(
        doc(
            json!({"operationId": "a", "parameters": [id_param(), cookie(false)], "responses": {}}),
        ),
        &[],
    );
    assert_eq!(
        out["paths"]["/files/{id}"]["post"]["parameters"],
        json!([id_param()])
    );
    assert_eq!(report.dropped.len(), 1);
    let (_, report) = run(
        doc(json!({"operationId": "a", "parameters": [id_param(), cookie(true)], "responses": {}})),
        &[],
    );
    assert!(report
        .left_out
        .iter()
        .next()
        .unwrap()
        .reason
        .contains("cookie"));
}

#[test]
fn branches_that_only_require_fields_leave_one_struct_with_every_field() {
    let licence = json!({"type": "object",
        "properties": {"name": {"type": "string"}, "path": {"type": "string"}, "title": {"type": "string"}},
        "anyOf": [{"required": ["name", "title"]}, {"required": ["path", "title"]}]});
    let mut doc = json!({"components": {"schemas": {"Licence": licence,
        "Shape": {"oneOf": [{"type": "string"}, {"type": "integer"}]}}}});
    let (out, report) = run(doc.take(), &[]);
    assert_eq!(
        out["components"]["schemas"]["Licence"],
        json!({"type": "object",
            "properties": {"name": {"type": "string"}, "path": {"type": "string"}, "title": {"type": "string"}},
            "required": ["title"]})
    );
    assert!(out["components"]["schemas"]["Shape"]["oneOf"].is_array());
    assert_eq!(
        report.dropped.iter().next().unwrap().pointer,
        "/components/schemas/Licence/anyOf"
    );
}

#[test]
fn values_no_type_allows_and_checks_of_no_type_are_dropped() {
    let mut doc = json!({"components": {"schemas": {
        "Code": {"type": "integer", "enum": ["0", "1"], "x-enum-values": []},
        "Mixed": {"type": "string", "enum": ["a", 1]},
        "Amount": {"description": "net wage", "maximum": 9.5, "format": "double", "nullable": false},
        "Kept": {"type": "number", "maximum": 9.5}
    }}});
    let (out, report) = run(doc.take(), &[]);
    let schemas = &out["components"]["schemas"];
    assert!(schemas["Code"].get("enum").is_none(), "{out}");
    assert_eq!(schemas["Mixed"]["enum"], json!(["a"]));
    assert_eq!(
        schemas["Amount"],
        json!({"description": "net wage", "nullable": false})
    );
    assert_eq!(schemas["Kept"], json!({"type": "number", "maximum": 9.5}));
    let dropped: Vec<&str> = report.dropped.iter().map(|d| d.pointer.as_str()).collect();
    assert!(
        dropped.contains(&"/components/schemas/Code/enum"),
        "{dropped:?}"
    );
    assert!(
        dropped.contains(&"/components/schemas/Amount/maximum"),
        "{dropped:?}"
    );
}

#[test]
fn a_redefined_property_merges_its_branches_and_a_format_beside_properties_goes() {
    let mut doc = json!({"openapi": "3.0.3", "paths": {}, "components": {"schemas": {
        "Contract": {"type": "object", "required": ["id"], "properties": {
            "id": {"type": "integer"},
            "discount": {"type": "object", "description": "the contract's", "properties": {}}}},
        "Invoice": {"description": "an invoice", "allOf": [
            {"$ref": "#/components/schemas/Contract"},
            {"type": "object", "properties": {
                "discount": {"type": "integer"},
                "id": {"type": "integer"},
                "total": {"type": "number"}}}]},
        // Not plain (a `oneOf` in a branch): judged by `schemas.rs`, left out.
        "Other": {"allOf": [
            {"type": "object", "properties": {"a": {"type": "string"}}},
            {"oneOf": [{"type": "object"}], "properties": {"a": {"type": "integer"}}}]},
        "Merge": {"format": "object", "properties": {"id": {"type": "integer"}}}
    }}});
    let (out, report) = run(doc.take(), &[]);
    let schemas = &out["components"]["schemas"];
    assert_eq!(
        schemas["Invoice"],
        json!({"description": "an invoice", "type": "object", "required": ["id"], "properties": {
            "id": {"type": "integer"},
            "discount": {"description": "the contract's"},
            "total": {"type": "number"}}})
    );
    // The component the branch names is untouched.
    assert_eq!(
        schemas["Contract"]["properties"]["discount"]["type"],
        "object"
    );
    let repaired: Vec<&str> = report.repaired.iter().map(|d| d.pointer.as_str()).collect();
    assert_eq!(repaired, ["/components/schemas/Invoice/allOf"]);
    assert!(schemas.get("Other").is_none(), "{out}");
    assert_eq!(
        schemas["Merge"],
        json!({"properties": {"id": {"type": "integer"}}})
    );
    // What typify makes of them: `Invoice` keeps `discount` as any value.
    let mut generated = out.clone();
    generated["info"] = json!({"title": "t", "version": "1"});
    generated["paths"] = json!({"/i": {"get": {"operationId": "getI", "responses": {"200": {
        "description": "", "content": {"application/json": {"schema": {"anyOf": [
            {"$ref": "#/components/schemas/Invoice"}, {"$ref": "#/components/schemas/Merge"}]}}}}}}}});
    let client = crate::codegen::generate(&serde_json::to_string(&generated).unwrap())
        .unwrap_or_else(|e| panic!("{e}"))
        .client;
    let client: String = client.split_whitespace().collect();
    assert!(
        client.contains("pubdiscount:::std::option::Option<::serde_json::Value>"),
        "{client}"
    );
}

#[test]
fn checks_an_enums_own_values_break_go_and_the_values_stay() {
    // Adyen's `gender`: typify keeps only the values that pass, here none.
    let mut doc = json!({"components": {"schemas": {
        "Gender": {"type": "string", "enum": ["MALE", "FEMALE", "UNKNOWN"], "maxLength": 1},
        "Code": {"type": "string", "enum": ["ab", "cd"], "pattern": "^[a-z]{2}$", "minLength": 2}
    }}});
    let (out, report) = run(doc.take(), &[]);
    let schemas = &out["components"]["schemas"];
    assert_eq!(
        schemas["Gender"],
        json!({"type": "string", "enum": ["MALE", "FEMALE", "UNKNOWN"]})
    );
    // Checks the values pass stay.
    assert_eq!(schemas["Code"]["pattern"], "^[a-z]{2}$");
    assert_eq!(schemas["Code"]["minLength"], 2);
    let dropped: Vec<&str> = report.dropped.iter().map(|d| d.pointer.as_str()).collect();
    assert_eq!(dropped, ["/components/schemas/Gender/maxLength"]);
}

#[test]
fn a_property_named_like_a_keyword_is_a_schema_not_the_keyword() {
    // Telnyx's `StartRecordingRequest` has a property `format`; read as the
    // keyword, it was dropped, and the client's field became any JSON.
    let mut doc = json!({"components": {"schemas": {
        "Recording": {"type": "object", "required": ["format"], "properties": {
            "format": {"type": "string", "enum": ["wav", "mp3"]},
            "pattern": {"type": "string"},
            "default": {"type": "boolean", "default": "yes"}
        }},
        "format": {"type": "string"}
    }}});
    let (out, report) = run(doc.take(), &[]);
    let schemas = &out["components"]["schemas"];
    assert_eq!(
        schemas["Recording"]["properties"]["format"],
        json!({"type": "string", "enum": ["wav", "mp3"]})
    );
    assert_eq!(
        schemas["Recording"]["properties"]["pattern"],
        json!({"type": "string"})
    );
    assert_eq!(schemas["format"], json!({"type": "string"}));
    // A property named `default` is walked like any other: its own default,
    // not a boolean, goes.
    assert_eq!(
        schemas["Recording"]["properties"]["default"],
        json!({"type": "boolean"})
    );
    let dropped: Vec<&str> = report.dropped.iter().map(|d| d.pointer.as_str()).collect();
    assert_eq!(
        dropped,
        ["/components/schemas/Recording/properties/default/default"]
    );
}

#[test]
fn header_parameters_openapi_ignores_and_framing_headers_are_dropped() {
    let header = |name: &str| json!({"name": name, "in": "header", "schema": {"type": "string"}});
    let doc = doc(json!({
        "operationId": "send",
        "parameters": [id_param(), header("Accept"), header("content-length"), header("X-Trace")],
        "responses": {"200": {"description": ""}}
    }));
    let (out, report) = run(doc, &[]);
    let names: Vec<&str> = out["paths"]["/files/{id}"]["post"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["id", "X-Trace"]);
    let dropped: Vec<&str> = report.dropped.iter().map(|d| d.pointer.as_str()).collect();
    assert_eq!(
        dropped,
        [
            "/paths/~1files~1{id}/post/parameters/1",
            "/paths/~1files~1{id}/post/parameters/2"
        ]
    );
}

#[test]
fn an_object_in_a_wildcard_media_type_is_sent_as_json() {
    let doc = doc(json!({
        "operationId": "report",
        "parameters": [id_param()],
        "requestBody": {"content": {"*/*": {"schema": {"type": "object", "properties": {"a": {"type": "string"}}}}}},
        "responses": {"200": {"description": ""}}
    }));
    let (out, report) = run(doc, &[]);
    let content = &out["paths"]["/files/{id}"]["post"]["requestBody"]["content"];
    assert!(
        content.get("application/json").is_some() && content.get("*/*").is_none(),
        "{content}"
    );
    assert!(report
        .repaired
        .iter()
        .any(|r| r.why.contains("sends it as `application/json`")));
    // Bytes stay bytes.
    let doc = super::tests::doc(json!({
        "operationId": "upload",
        "parameters": [id_param()],
        "requestBody": {"content": {"*/*": {"schema": {"type": "string", "format": "binary"}}}},
        "responses": {"200": {"description": ""}}
    }));
    let (out, _) = run(doc, &[]);
    assert!(
        out["paths"]["/files/{id}"]["post"]["requestBody"]["content"]
            .get("*/*")
            .is_some()
    );
}

#[test]
fn an_object_in_a_header_is_taken_as_json_and_in_the_path_refused() {
    let point = json!({"type": "object", "properties": {"a": {"type": "integer"}}});
    let header = json!({"name": "X-Point", "in": "header", "explode": true, "schema": point});
    let (out, report) = run(
        doc(json!({"operationId": "a", "parameters": [id_param(), header], "responses": {}})),
        &[],
    );
    assert!(report.left_out.is_empty(), "{report:?}");
    assert_eq!(
        out["paths"]["/files/{id}"]["post"]["parameters"][1],
        json!({"name": "X-Point", "in": "header", "explode": true, "schema": {}})
    );
    let why = &report.repaired.iter().next().unwrap().why;
    assert!(
        why.contains("the header parameter `X-Point` is an object: the client takes it as JSON"),
        "{why}"
    );
    let in_path = json!({"name": "id", "in": "path", "required": true, "schema": point});
    let (_, report) = run(
        doc(json!({"operationId": "a", "parameters": [in_path], "responses": {}})),
        &[],
    );
    let reason = &report.left_out.iter().next().unwrap().reason;
    assert!(
        reason.contains("the path parameter `id` is an object"),
        "{reason}"
    );
}
