//! A `nullable` union component (`oneOf` or `anyOf`, no `type`), as 3.1's
//! `oneOf: [..., {type: "null"}]` and Vercel's `type: "null"` beside a
//! `oneOf` convert: typify writes a newtype of an `Option` of the union and
//! names both after the component (`struct ItemValue(Option<ItemValue>)`
//! beside `enum ItemValue`: oxidecomputer/progenitor#398), two types of one
//! name, so the component and everything that uses it were left out.
//!
//! The null moves into the union as a branch of its own (`{enum: [null]}`):
//! the same values, and typify writes one enum with a `Null` variant. Inline
//! unions keep `nullable`: typify names their inner type after the place
//! and wraps it in an `Option` without a clash.

use serde_json::{json, Value};

/// Keywords beside which the union is not alone in the schema.
const OTHER_SHAPE: [&str; 6] = ["type", "properties", "allOf", "items", "enum", "$ref"];

/// Moves the null of every nullable union component of `doc` into the
/// union. Returns how many.
pub fn null_as_a_branch(doc: &mut Value) -> usize {
    let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return 0;
    };
    let mut moved = 0;
    for schema in schemas.values_mut() {
        let Some(map) = schema.as_object_mut() else {
            continue;
        };
        if map.get("nullable") != Some(&json!(true))
            || OTHER_SHAPE.iter().any(|k| map.contains_key(*k))
        {
            continue;
        }
        let Some(union) = ["oneOf", "anyOf"]
            .into_iter()
            .find(|k| map.get(*k).is_some_and(Value::is_array))
        else {
            continue;
        };
        map.shift_remove("nullable");
        if let Some(Value::Array(branches)) = map.get_mut(union) {
            branches.push(json!({"enum": [null], "nullable": true}));
        }
        moved += 1;
    }
    moved
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nullable_union_component_generates_one_enum_with_a_null_variant() {
        let mut doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
        "paths": {"/v": {"get": {"operationId": "getV", "responses": {"200": {"description": "",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}}}}}}},
        "components": {"schemas": {
            "Item": {"type": "object", "required": ["value"], "properties": {
                "value": {"$ref": "#/components/schemas/ItemValue"},
                "inline": {"nullable": true, "oneOf": [{"type": "string"}, {"type": "number"}]}}},
            "ItemValue": {"nullable": true, "oneOf": [{"type": "string"}, {"type": "number"}]},
            "Typed": {"nullable": true, "type": "object", "anyOf": [{"required": ["a"]}]}
        }}});
        let json = serde_json::to_string(&doc).unwrap();
        assert!(matches!(
            crate::codegen::generate(&json),
            Err(crate::codegen::Error::DuplicateTypes(names)) if names == ["ItemValue"]
        ));
        assert_eq!(null_as_a_branch(&mut doc), 1);
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["ItemValue"],
            json!({"oneOf": [{"type": "string"}, {"type": "number"},
                {"enum": [null], "nullable": true}]})
        );
        assert_eq!(schemas["Typed"]["nullable"], true, "not a bare union");
        assert_eq!(
            schemas["Item"]["properties"]["inline"]["nullable"], true,
            "inline unions keep it"
        );
        let client = crate::codegen::generate(&serde_json::to_string(&doc).unwrap())
            .unwrap_or_else(|e| panic!("{e}"))
            .client;
        let client: String = client.split_whitespace().collect();
        assert!(client.contains("pubenumItemValue{"), "{client}");
        assert!(client.contains("Null,"), "{client}");
    }
}
