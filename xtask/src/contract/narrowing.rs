//! The check behind `narrows: true`: a patch so marked may only narrow what
//! upstream allows, because the mock server takes it as if upstream said so.

use serde_json::{Map, Value};

use crate::pointer::join;

/// Keys that document a schema without changing what it accepts: they may
/// change or go.
const ANNOTATIONS: [&str; 5] = ["description", "title", "default", "example", "examples"];

/// Keys that, added, can only reject values the schema accepted before.
const ADDED_CHECKS: [&str; 13] = [
    "format",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minItems",
    "maxItems",
    "required",
    "enum",
];

/// `Ok` when every value `narrow` accepts, `wide` accepts too, as far as these
/// simple rules can tell; otherwise the pointer (under `at`) of the first place
/// that may accept more, and why. Rules: annotations may change; a check may be
/// added; `number` may become `integer`; `required` may grow and `enum` shrink;
/// `items` and `properties` follow the same rules; anything else stays equal.
pub fn check(wide: &Value, narrow: &Value, at: &str) -> Result<(), String> {
    let (Value::Object(wide), Value::Object(narrow)) = (wide, narrow) else {
        return if wide == narrow {
            Ok(())
        } else {
            Err(format!("{at}: {narrow} is not a schema narrowing {wide}"))
        };
    };
    for (key, old) in wide {
        if ANNOTATIONS.contains(&key.as_str()) {
            continue;
        }
        let here = join(at, key);
        let Some(new) = narrow.get(key) else {
            return Err(format!("{here}: dropping `{key}` accepts more"));
        };
        match key.as_str() {
            "type" if old == "number" && new == "integer" => {}
            "items" => check(old, new, &here)?,
            "properties" => properties(old, new, &here)?,
            "required" => subset(old, new, &here, "a required property is no longer required")?,
            "enum" => subset(new, old, &here, "a value is added to `enum`")?,
            _ if old != new => return Err(format!("{here}: changing `{key}` may accept more")),
            _ => {}
        }
    }
    for key in narrow.keys().filter(|k| !wide.contains_key(*k)) {
        if !ANNOTATIONS.contains(&key.as_str()) && !ADDED_CHECKS.contains(&key.as_str()) {
            return Err(format!("{}: adding `{key}` may accept more", join(at, key)));
        }
    }
    Ok(())
}

fn properties(wide: &Value, narrow: &Value, at: &str) -> Result<(), String> {
    let empty = Map::new();
    let (wide, narrow) = (
        wide.as_object().unwrap_or(&empty),
        narrow.as_object().unwrap_or(&empty),
    );
    if let Some(added) = narrow.keys().find(|k| !wide.contains_key(*k)) {
        return Err(format!(
            "{}: adding a property may accept more",
            join(at, added)
        ));
    }
    for (name, old) in wide {
        let new = narrow
            .get(name)
            .ok_or_else(|| format!("{}: dropping a property may accept more", join(at, name)))?;
        check(old, new, &join(at, name))?;
    }
    Ok(())
}

/// Every element of `small` is in `large`.
fn subset(small: &Value, large: &Value, at: &str, problem: &str) -> Result<(), String> {
    let large = large.as_array().map(Vec::as_slice).unwrap_or_default();
    match small.as_array() {
        Some(items) if items.iter().all(|item| large.contains(item)) => Ok(()),
        _ => Err(format!("{at}: {problem}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn integers_formats_and_bounds_narrow() {
        let wide = json!({"description": "n", "default": 1, "type": "number"});
        let narrow =
            json!({"description": "m", "type": "integer", "format": "uint64", "minimum": 0});
        assert_eq!(check(&wide, &narrow, ""), Ok(()));
        let items = json!({"type": "array", "items": {"type": "number"}});
        let whole = json!({"type": "array", "items": {"type": "integer"}});
        assert_eq!(check(&items, &whole, ""), Ok(()));
    }

    #[test]
    fn anything_that_may_accept_more_is_refused() {
        let list = json!({"type": "array"});
        let nullable = json!({"type": ["array", "null"]});
        assert!(check(&list, &nullable, "/a")
            .unwrap_err()
            .starts_with("/a/type"));
        let required = json!({"required": ["a", "b"]});
        assert!(check(&required, &json!({"required": ["a"]}), "").is_err());
        assert!(check(&json!({"enum": [1]}), &json!({"enum": [1, 2]}), "").is_err());
        assert!(check(&json!({"pattern": "^a"}), &json!({}), "").is_err());
        assert!(check(&json!({}), &json!({"nullable": true}), "").is_err());
        assert!(check(&json!("array"), &json!(["array", "null"]), "").is_err());
    }
}
