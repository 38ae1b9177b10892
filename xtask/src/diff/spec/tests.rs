use serde_json::{json, Value};

use super::*;
use crate::diff::Lifecycle;

fn doc(paths: Value, schemas: Value) -> Value {
    json!({"openapi": "3.0.3", "paths": paths, "components": {"schemas": schemas}})
}

fn post(body: Value) -> Value {
    json!({"/pictures": {"post": {"operationId": "addPicture",
        "requestBody": {"content": {"application/json": {"schema": body}}},
        "responses": {"204": {"description": ""}}}}})
}

fn rules(old: &Value, new: &Value) -> Vec<(String, String, String, String)> {
    let (changes, _) = changes(old, new);
    changes
        .into_iter()
        .map(|c| (c.subject.to_string(), c.rule, c.at, c.name))
        .collect()
}

#[test]
fn required_beside_all_of_is_read_through_the_merge() {
    let base =
        json!({"Base": {"type": "object", "properties": {"orientation": {"type": "string"}}}});
    let before = doc(
        post(json!({"allOf": [{"$ref": "#/components/schemas/Base"}]})),
        base.clone(),
    );
    let after = doc(
        post(
            json!({"allOf": [{"$ref": "#/components/schemas/Base"}], "required": ["orientation"]}),
        ),
        base,
    );
    assert_eq!(
        rules(&before, &after),
        [(
            "POST /pictures (addPicture)".to_string(),
            "request-property-became-required".to_string(),
            "body".to_string(),
            "orientation".to_string()
        )]
    );
}

#[test]
fn a_body_wrapped_in_data_is_one_change_then_what_changed_inside() {
    let response = |schema: Value| {
        json!({"/chat/sessions/{session_id}/send": {"post": {"operationId": "sendMessage",
            "parameters": [{"name": "session_id", "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": {"201": {"description": "", "content": {"application/json": {"schema": schema}}}}}}})
    };
    let flat = json!({"type": "object", "required": ["success", "code"], "properties": {
        "success": {"type": "boolean"}, "code": {"type": "string"},
        "autopilotResponse": {"type": "object"}, "sessionIsHandedOff": {"type": "boolean"}}});
    let mut inner = flat.clone();
    inner["properties"]
        .as_object_mut()
        .unwrap()
        .remove("sessionIsHandedOff");
    let wrapped = json!({"type": "object", "required": ["success"], "properties": {
        "success": {"type": "boolean"}, "data": inner}});
    let found = rules(
        &doc(response(flat), json!({})),
        &doc(response(wrapped), json!({})),
    );
    let subject = "POST /chat/sessions/{session_id}/send (sendMessage)".to_string();
    assert_eq!(
        found,
        [
            (
                subject.clone(),
                "response-body-wrapped".into(),
                "201".into(),
                "data".into()
            ),
            (
                subject,
                "response-optional-property-removed".into(),
                "201.data".into(),
                "sessionIsHandedOff".into()
            ),
        ]
    );
}

#[test]
fn a_renamed_path_parameter_and_a_new_operation_id_are_the_same_operation() {
    let op = |path: &str, id: &str, name: &str| {
        json!({path: {"get": {"operationId": id,
            "parameters": [{"name": name, "in": "path", "required": true, "schema": {"type": "string"}}],
            "responses": {"204": {"description": ""}}}}})
    };
    let before = doc(op("/sessions/{id}", "getSession", "id"), json!({}));
    let after = doc(
        op("/sessions/{session_id}", "getChatSession", "session_id"),
        json!({}),
    );
    let found = rules(&before, &after);
    let rules: Vec<&str> = found.iter().map(|f| f.1.as_str()).collect();
    assert_eq!(
        rules,
        ["api-operation-id-removed", "request-path-parameter-renamed"],
        "{found:?}"
    );
    let (changes, _) = changes(&before, &after);
    assert!(!changes[0].wire_breaking, "a rename is not on the wire");
    // The builder's setter is named after the parameter: that is the Rust
    // side of the rename (the old builder's `id`, the new one's
    // `session_id`), for the generated-code diff to confirm.
    assert!(
        changes[1]
            .candidates
            .contains(&("builder::GetSession".into(), "id".into())),
        "{:?}",
        changes[1].candidates
    );
}

#[test]
fn a_name_for_an_inline_schema_is_compared_by_what_it_names() {
    let string = json!({"type": "string", "description": "The ID"});
    let get = |schema: Value, body: Value| {
        json!({"/webhooks/{id}": {"get": {"operationId": "getWebhook",
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": schema}],
            "responses": {"200": {"description": "", "content": {"application/json": {"schema": body}}}}}}})
    };
    let webhook = json!({"type": "object", "required": ["id", "url"],
        "properties": {"id": {"type": "string"}, "url": {"type": "string"}}});
    let before = doc(
        get(string.clone(), webhook.clone()),
        json!({"webhookId": string}),
    );
    let after = doc(
        get(
            json!({"$ref": "#/components/schemas/webhookId"}),
            json!({"$ref": "#/components/schemas/Webhook"}),
        ),
        json!({"webhookId": string, "Webhook": webhook}),
    );
    // The same string and the same object under new names: nothing on the wire.
    assert!(
        rules(&before, &after).iter().all(|r| r.1 == "type-added"),
        "{:?}",
        rules(&before, &after)
    );
    // What the name stands for is still compared.
    let mut optional_url = webhook.clone();
    optional_url["required"] = json!(["id"]);
    let after = doc(
        get(
            string.clone(),
            json!({"$ref": "#/components/schemas/Webhook"}),
        ),
        json!({"webhookId": string, "Webhook": optional_url}),
    );
    assert!(
        rules(&before, &after).contains(&(
            "GET /webhooks/{id} (getWebhook)".into(),
            "response-property-became-optional".into(),
            "200".into(),
            "url".into()
        )),
        "{:?}",
        rules(&before, &after)
    );
}

#[test]
fn nullability_is_its_own_change_not_a_type_change() {
    let schema = |prop: Value| json!({"Thing": {"type": "object", "properties": {"kind": prop}}});
    let get = json!({"/things": {"get": {"operationId": "getThing", "responses": {"200": {"description": "",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}}}}});
    let before = doc(
        get.clone(),
        schema(json!({"type": "string", "enum": ["a", "b"]})),
    );
    let after = doc(
        get,
        schema(json!({"type": "string", "nullable": true, "enum": ["a"]})),
    );
    let thing = |rule: &str, at: &str, name: &str| {
        (
            "type Thing".to_string(),
            rule.to_string(),
            at.to_string(),
            name.to_string(),
        )
    };
    assert_eq!(
        rules(&before, &after),
        [
            thing("response-property-became-nullable", "", "kind"),
            thing("response-property-enum-value-removed", "kind", "b"),
        ]
    );
}

#[test]
fn const_reads_as_a_one_value_enum() {
    let schema = |kind: Value| json!({"Thing": {"type": "object", "properties": {"kind": kind}}});
    let get = json!({"/things": {"get": {"operationId": "getThing", "responses": {"200": {"description": "",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}}}}});
    let before = doc(
        get.clone(),
        schema(json!({"type": "string", "enum": ["a", "b"]})),
    );
    let after = doc(get, schema(json!({"type": "string", "const": "a"})));
    let found = rules(&before, &after);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].1, "response-property-enum-value-removed");
}

#[test]
fn a_type_change_breaks_readers_when_it_widens_and_senders_when_it_narrows() {
    let op = |request: Value, response: Value| {
        doc(
            json!({"/n": {"post": {"operationId": "setN",
                "requestBody": {"content": {"application/json": {"schema": request}}},
                "responses": {"200": {"description": "", "content": {"application/json": {"schema": response}}}}}}}),
            json!({}),
        )
    };
    let integer = json!({"type": "integer"});
    let number = json!({"type": "number"});
    let verdicts = |old: &Value, new: &Value| -> Vec<(String, bool)> {
        changes(old, new)
            .0
            .into_iter()
            .map(|c| (c.rule, c.wire_breaking))
            .collect()
    };
    // integer → number: a sender still sends integers; a reader may get 1.5.
    let found = verdicts(
        &op(integer.clone(), integer.clone()),
        &op(number.clone(), number.clone()),
    );
    assert!(
        found.contains(&("request-property-type-changed".into(), false)),
        "{found:?}"
    );
    assert!(
        found.contains(&("response-property-type-changed".into(), true)),
        "{found:?}"
    );
    // number → any JSON, and back: any is widest.
    let found = verdicts(
        &op(number.clone(), number.clone()),
        &op(json!({}), json!({})),
    );
    assert!(
        found.contains(&("request-property-type-changed".into(), false)),
        "{found:?}"
    );
    assert!(
        found.contains(&("response-property-type-changed".into(), true)),
        "{found:?}"
    );
    let found = verdicts(&op(json!({}), json!({})), &op(number.clone(), number));
    assert!(
        found.contains(&("request-property-type-changed".into(), true)),
        "{found:?}"
    );
    assert!(
        found.contains(&("response-property-type-changed".into(), false)),
        "{found:?}"
    );
}

#[test]
fn deprecations_are_reported_as_minor_changes() {
    let get = |deprecated: bool| {
        doc(
            json!({"/n": {"get": {"operationId": "getN", "deprecated": deprecated,
                "parameters": [{"name": "env", "in": "query", "deprecated": deprecated, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "", "content": {"application/json": {"schema":
                    {"type": "object", "properties": {"env": {"type": "string", "deprecated": deprecated}}}}}}}}}}),
            json!({}),
        )
    };
    let (changes, _) = changes(&get(false), &get(true));
    let found: Vec<(&str, &str, bool, Option<Lifecycle>)> = changes
        .iter()
        .map(|c| {
            (
                c.rule.as_str(),
                c.name.as_str(),
                c.bump() == crate::diff::Bump::Minor,
                c.lifecycle,
            )
        })
        .collect();
    let deprecated = Some(Lifecycle::Deprecated);
    assert_eq!(
        found,
        [
            ("endpoint-deprecated", "", true, deprecated),
            ("request-parameter-deprecated", "env", true, deprecated),
            ("response-property-deprecated", "env", true, deprecated)
        ]
    );
    let (changes, _) = super::changes(&get(true), &get(false));
    let rules: Vec<&str> = changes.iter().map(|c| c.rule.as_str()).collect();
    assert_eq!(
        rules,
        [
            "endpoint-reactivated",
            "request-parameter-reactivated",
            "response-property-reactivated"
        ]
    );
}

#[test]
fn a_removal_says_whether_a_deprecation_came_first() {
    // Version 1 has two of each: one deprecated (one with a sunset date to
    // come), one not; version 2 has neither.
    let v1 = doc(
        json!({
            "/old": {"get": {"operationId": "getOld", "deprecated": true,
                "responses": {"204": {"description": ""}}}},
            "/gone": {"get": {"operationId": "getGone",
                "responses": {"204": {"description": ""}}}},
            "/later": {"get": {"operationId": "getLater", "deprecated": true, "x-sunset": "2999-12-31",
                "responses": {"204": {"description": ""}}}},
            "/n": {"post": {"operationId": "postN",
                "parameters": [
                    {"name": "env", "in": "query", "deprecated": true, "schema": {"type": "string"}},
                    {"name": "tag", "in": "query", "schema": {"type": "string"}}],
                "requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {
                    "label": {"type": "string", "deprecated": true}, "note": {"type": "string"}}}}}},
                "responses": {"200": {"description": "", "content": {"application/json": {"schema":
                    {"type": "object", "required": ["id"], "properties": {
                        "id": {"type": "string", "deprecated": true, "x-sunset": "2999-12-31"},
                        "size": {"type": "integer", "deprecated": true},
                        "name": {"type": "string"}}}}}}}}}
        }),
        json!({}),
    );
    let v2 = doc(
        json!({"/n": {"post": {"operationId": "postN",
            "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
            "responses": {"200": {"description": "", "content": {"application/json": {"schema":
                {"type": "object"}}}}}}}}),
        json!({}),
    );
    let (changes, _) = changes(&v1, &v2);
    let found: Vec<(&str, &str, Option<Lifecycle>)> = changes
        .iter()
        .map(|c| (c.rule.as_str(), c.detail.as_str(), c.lifecycle))
        .collect();
    use Lifecycle::*;
    assert_eq!(
        found,
        [
            (
                "api-removed-with-deprecation",
                "operation `getOld` removed after deprecation",
                Some(RemovedAfterDeprecation)
            ),
            (
                "api-removed-without-deprecation",
                "operation `getGone` removed without deprecation",
                Some(RemovedWithoutDeprecation)
            ),
            (
                "api-removed-before-sunset",
                "operation `getLater` removed before its sunset date 2999-12-31",
                Some(RemovedBeforeSunset)
            ),
            (
                "request-parameter-removed-with-deprecation",
                "`query`: query parameter `env` removed after deprecation",
                Some(RemovedAfterDeprecation)
            ),
            (
                "request-parameter-removed",
                "`query`: query parameter `tag` removed without deprecation",
                Some(RemovedWithoutDeprecation)
            ),
            (
                "request-property-removed-with-deprecation",
                "`body`: property `label` removed after deprecation",
                Some(RemovedAfterDeprecation)
            ),
            (
                "request-property-removed",
                "`body`: property `note` removed without deprecation",
                Some(RemovedWithoutDeprecation)
            ),
            (
                "response-required-property-removed-before-sunset",
                "`200`: property `id` removed before its sunset date 2999-12-31",
                Some(RemovedBeforeSunset)
            ),
            (
                "response-optional-property-removed",
                "`200`: property `name` removed without deprecation",
                Some(RemovedWithoutDeprecation)
            ),
            (
                "response-optional-property-removed-with-deprecation",
                "`200`: property `size` removed after deprecation",
                Some(RemovedAfterDeprecation)
            ),
        ]
    );
}
