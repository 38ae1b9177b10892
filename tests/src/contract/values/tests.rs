use super::*;

#[test]
fn values_keep_to_their_schema() {
    let doc = json!({});
    let mut draw = Draw::new(&doc, 7);
    for _ in 0..200 {
        let id = draw.value(
            &json!({"type": "string", "minLength": 1, "pattern": "^(?!\\.\\.?$)"}),
            "/id",
        );
        let id = id.as_str().unwrap();
        assert!(!id.is_empty() && id != "." && id != "..");
        let n = draw.value(
            &json!({"type": "integer", "minimum": 0, "maximum": 9}),
            "/n",
        );
        assert!((0..=9).contains(&n.as_i64().unwrap()));
        let e = draw.value(&json!({"type": "string", "enum": ["a", "b"]}), "/e");
        assert!(e == "a" || e == "b");
        // The registry's small integer formats, within the client's types.
        let b = draw.value(&json!({"type": "integer", "format": "int8"}), "/b");
        assert!(i8::try_from(b.as_i64().unwrap()).is_ok(), "{b}");
        let u = draw.value(&json!({"type": "integer", "format": "uint16"}), "/u");
        assert!(u16::try_from(u.as_i64().unwrap()).is_ok(), "{u}");
    }
}

#[test]
fn json_schema_2020_12_keywords_are_drawn_as_they_say() {
    let doc = json!({"components": {"schemas": {
        "Node": {"type": "object", "required": ["child"], "properties": {
            "child": {"$ref": "#/components/schemas/Node", "nullable": true}
        }},
        "Base": {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}}}
    }}});
    let mut draw = Draw::new(&doc, 11);
    for _ in 0..100 {
        // A type list: one of its types, `null` among them.
        let v = draw.value(&json!({"type": ["integer", "null"], "minimum": 3}), "/t");
        assert!(v.is_null() || v.as_i64().is_some_and(|n| n >= 3), "{v}");
        assert_eq!(draw.value(&json!({"const": "fixed"}), "/c"), json!("fixed"));
        // Keywords beside a `$ref` apply with it.
        let v = draw.value(
            &json!({"$ref": "#/components/schemas/Base", "required": ["extra"],
                    "properties": {"extra": {"type": "boolean"}}}),
            "/r",
        );
        assert!(v["kind"].is_string() && v["extra"].is_boolean(), "{v}");
        // A property two `allOf` parts define is both: the later's enum holds.
        let v = draw.value(
            &json!({"allOf": [
                {"type": "object", "required": ["type"], "properties": {"type": {"type": "string"}}},
                {"properties": {"type": {"enum": ["branches", "tags"]}}}
            ]}),
            "/a",
        );
        assert!(v["type"] == "branches" || v["type"] == "tags", "{v}");
        // A map without `type` is still an object.
        let v = draw.value(&json!({"additionalProperties": {"type": "string"}}), "/m");
        assert!(v.is_object(), "{v}");
        // Keywords beside `oneOf` apply to the branch drawn.
        let v = draw.value(
            &json!({"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}},
                    "oneOf": [{"required": ["a"], "properties": {"a": {"type": "string"}}},
                              {"required": ["b"], "properties": {"b": {"type": "string"}}}]}),
            "/o",
        );
        assert!(
            v["id"].is_i64() && (v["a"].is_string() || v["b"].is_string()),
            "{v}"
        );
        // A recursive schema whose recursion is required ends in `null`
        // where it may.
        let tree = draw.value(&json!({"$ref": "#/components/schemas/Node"}), "/n");
        assert!(tree.is_object(), "{tree}");
    }
}

#[test]
fn a_request_body_never_carries_a_read_only_property() {
    let doc = json!({});
    let mut draw = Draw::new(&doc, 5);
    let schema = json!({"type": "object", "required": ["id", "name"], "properties": {
        "id": {"type": "string", "readOnly": true}, "name": {"type": "string"}
    }});
    for _ in 0..50 {
        let body = draw.request(&schema, "/b");
        assert!(
            body.get("id").is_none() && body["name"].is_string(),
            "{body}"
        );
    }
    assert!(draw.value(&schema, "/v").get("id").is_some());
}

#[test]
fn parameters_are_never_empty_and_headers_are_visible_ascii() {
    let doc = json!({});
    let mut draw = Draw::new(&doc, 9);
    for _ in 0..200 {
        let q = draw.parameter(&json!({"type": "string"}), "/q", Text::Query);
        assert!(!q.as_str().unwrap().is_empty());
        let list = draw.parameter(
            &json!({"type": "array", "items": {"type": "string"}}),
            "/l",
            Text::Query,
        );
        assert!(!list.as_array().unwrap().is_empty());
        let h = draw.parameter(&json!({"type": "string"}), "/h", Text::Header);
        let h = h.as_str().unwrap();
        assert!(
            !h.is_empty() && h.chars().all(|c| c.is_ascii_graphic() || c == ' '),
            "{h:?}"
        );
        assert_eq!(h, h.trim());
        // A date header's comma is a header's to carry.
        let date = draw.parameter(
            &json!({"type": "string", "pattern": "^(Mon|Tue), \\d{2} (Jan|Feb) \\d{4}$"}),
            "/d",
            Text::Header,
        );
        assert!(date.as_str().unwrap().contains(", "), "{date}");
    }
}
