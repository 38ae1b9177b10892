use super::*;
use serde_json::json;

fn upstream() -> Value {
    json!({
        "openapi": "3.1.0",
        "paths": {"/s": {"get": {
            "parameters": [
                {"name": "status", "in": "query", "schema": {"type": "string", "enum": ["open", "closed"]}},
                {"name": "since", "in": "query", "schema": {"type": "string"}}
            ],
            "responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Out"}}}}}
        }}},
        "components": {"schemas": {
            "Out": {"type": "object", "properties": {
                "status": {"description": "Current status", "type": "string", "enum": ["open", "closed"]},
                "event": {"anyOf": [
                    {"type": "object", "properties": {"type": {"const": "a"}, "content": {"type": "object", "properties": {"text": {"type": "string"}}}}},
                    {"type": "object", "properties": {"type": {"const": "b"}, "content": {"type": "object", "properties": {"text": {"type": "string"}}}}}
                ]}
            }}
        }}
    })
}

fn apply(overlay: &str) -> Result<Value> {
    let mut doc = upstream();
    Overlay::parse(overlay, "overlay.yaml")?.apply(&mut doc, &mut Origins::default())?;
    Ok(doc)
}

fn error(overlay: &str) -> String {
    format!("{:#}", apply(overlay).unwrap_err())
}

#[test]
fn names_repeated_inline_schemas_as_one_component() {
    let doc = apply(
        "types:\n- name: Status\n  why: one concept\n  description: A status.\n  from:\n  \
         - /components/schemas/Out/properties/status\n  - /paths/~1s/get/parameters/[name=status]/schema\n",
    )
    .unwrap();
    assert_eq!(
        doc["components"]["schemas"]["Status"],
        json!({"type": "string", "enum": ["open", "closed"], "description": "A status."})
    );
    // The use keeps its own description beside the reference.
    assert_eq!(
        doc["components"]["schemas"]["Out"]["properties"]["status"],
        json!({"description": "Current status", "$ref": "#/components/schemas/Status"})
    );
    assert_eq!(
        doc["paths"]["/s"]["get"]["parameters"][0]["schema"],
        json!({"$ref": "#/components/schemas/Status"})
    );
}

#[test]
fn nested_types_are_named_before_their_container() {
    let doc = apply(
        "types:\n\
         - name: Event\n  why: the union\n  from: [/components/schemas/Out/properties/event]\n\
         - name: Content\n  why: repeated\n  from:\n  \
         - /components/schemas/Out/properties/event/anyOf/[properties.type.const=a]/properties/content\n  \
         - /components/schemas/Out/properties/event/anyOf/[properties.type.const=b]/properties/content\n",
    )
    .unwrap();
    let event = &doc["components"]["schemas"]["Event"];
    assert_eq!(
        event["anyOf"][0]["properties"]["content"],
        json!({"$ref": "#/components/schemas/Content"})
    );
    assert_eq!(
        event["anyOf"][1]["properties"]["content"],
        json!({"$ref": "#/components/schemas/Content"})
    );
    assert_eq!(
        doc["components"]["schemas"]["Content"]["properties"]["text"],
        json!({"type": "string"})
    );
}

#[test]
fn renames_rewrite_every_reference() {
    let doc = apply("types:\n- name: Output\n  rename: Out\n  why: readable\n").unwrap();
    assert!(doc["components"]["schemas"].get("Out").is_none());
    assert!(doc["components"]["schemas"].get("Output").is_some());
    assert_eq!(
        doc["paths"]["/s"]["get"]["responses"]["200"]["content"]["application/json"]["schema"],
        json!({"$ref": "#/components/schemas/Output"})
    );
}

#[test]
fn patches_replace_what_they_expect() {
    let doc = apply(
        "patches:\n- at: /paths/~1s/get/parameters/[name=since]/schema\n  why: a timestamp\n  \
         expect: {type: string}\n  set: {type: string, format: date-time}\n",
    )
    .unwrap();
    assert_eq!(
        doc["paths"]["/s"]["get"]["parameters"][1]["schema"],
        json!({"type": "string", "format": "date-time"})
    );
}

#[test]
fn a_patch_whose_target_changed_upstream_is_an_error() {
    let e = error(
        "patches:\n- at: /paths/~1s/get/parameters/[name=since]/schema\n  why: w\n  \
         expect: {type: number}\n  set: {type: integer}\n",
    );
    assert!(e.contains("overlay.yaml: patches[0]"), "{e}");
    assert!(e.contains("/paths/~1s/get/parameters/1/schema/type"), "{e}");
    assert!(e.contains("upstream has \"string\""), "{e}");
}

#[test]
fn a_patch_whose_target_is_gone_is_an_error() {
    let e = error("patches:\n- at: /paths/~1s/get/parameters/[name=until]/schema\n  why: w\n  expect: {}\n  set: {}\n");
    assert!(
        e.contains("no longer matches the upstream documents"),
        "{e}"
    );
    assert!(
        e.contains("no element of /paths/~1s/get/parameters has name = until"),
        "{e}"
    );
}

#[test]
fn a_patch_adding_what_exists_must_say_what_it_expects() {
    let e = error(
        "patches:\n- at: /paths/~1s/get/parameters/[name=since]/schema\n  why: w\n  set: {}\n",
    );
    assert!(e.contains("already exists upstream"), "{e}");
}

#[test]
fn places_that_differ_cannot_be_one_type() {
    let e = error(
        "types:\n- name: Status\n  why: w\n  from:\n  - /components/schemas/Out/properties/status\n  \
         - /paths/~1s/get/parameters/[name=since]/schema\n",
    );
    assert!(e.contains("types.Status: the schemas at"), "{e}");
    assert!(e.contains("cannot be one type"), "{e}");
}

#[test]
fn a_type_whose_place_is_gone_is_an_error() {
    let e = error(
        "types:\n- name: Gone\n  why: w\n  from: [/components/schemas/Out/properties/missing]\n",
    );
    assert!(e.contains("types.Gone.from[0]"), "{e}");
    assert!(
        e.contains("nothing at /components/schemas/Out/properties/missing"),
        "{e}"
    );
}

#[test]
fn a_rename_of_a_missing_component_is_an_error() {
    let e = error("types:\n- name: New\n  rename: Missing\n  why: w\n");
    assert!(
        e.contains("types.New: rename: no component \"Missing\""),
        "{e}"
    );
}

#[test]
fn a_type_name_that_exists_already_is_an_error() {
    let e = error(
        "types:\n- name: Out\n  why: w\n  from: [/components/schemas/Out/properties/status]\n",
    );
    assert!(
        e.contains("a component named \"Out\" already exists"),
        "{e}"
    );
}

#[test]
fn entries_must_say_why() {
    let e = error("types:\n- name: Output\n  rename: Out\n  why: ' '\n");
    assert!(e.contains("`why` must say why"), "{e}");
    let e = error("types:\n- name: Output\n  rename: Out\n");
    assert!(e.contains("missing field `why`"), "{e}");
}

#[test]
fn an_entry_needs_exactly_one_of_from_and_rename() {
    let e = error("types:\n- name: Output\n  why: w\n");
    assert!(e.contains("give either `from`"), "{e}");
}

#[test]
fn a_place_named_twice_is_an_error() {
    let e = error(
        "types:\n- name: A\n  why: w\n  from: [/components/schemas/Out/properties/status]\n\
         - name: B\n  why: w\n  from: [/components/schemas/Out/properties/status]\n",
    );
    assert!(e.contains("is named twice"), "{e}");
}

#[test]
fn unknown_fields_and_malformed_yaml_name_the_line() {
    let e = error("types:\n- name: A\n  why: w\n  form: [/x]\n");
    assert!(
        e.contains("overlay.yaml: malformed overlay at line 4 column 3"),
        "{e}"
    );
    assert!(e.contains("unknown field `form`"), "{e}");
    let e = error("types: [\n");
    assert!(e.contains("malformed overlay at line"), "{e}");
}

#[test]
fn ambiguous_selectors_are_errors() {
    let e = error(
        "types:\n- name: A\n  why: w\n  from: ['/paths/~1s/get/parameters/[in=query]/schema']\n",
    );
    assert!(
        e.contains("several elements of /paths/~1s/get/parameters have in = query"),
        "{e}"
    );
}
