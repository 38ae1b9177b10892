//! Integer formats written as the bounds they stand for.

use serde_json::{json, Map, Value};

/// The range each integer format of OpenAPI's format registry stands for
/// that Prism does not keep to (it draws `int32` and `int64` within theirs,
/// but 39,881,457 for an `int8`).
const RANGES: &[(&str, i64, i64)] = &[
    ("int8", i8::MIN as i64, i8::MAX as i64),
    ("uint8", 0, u8::MAX as i64),
    ("int16", i16::MIN as i64, i16::MAX as i64),
    ("uint16", 0, u16::MAX as i64),
    ("uint32", 0, u32::MAX as i64),
    ("uint64", 0, i64::MAX),
];

/// Writes an integer schema's `format` range as `minimum` and `maximum`
/// where the schema gives none tighter, so Prism draws within it (the
/// client's type for `int8` is `i8`, and 39,881,457 does not fit). The
/// same values pass where the format is read as the registry says.
/// Returns whether it changed `schema`.
pub fn bounded(schema: &mut Map<String, Value>) -> bool {
    if schema.get("type").and_then(Value::as_str) != Some("integer") {
        return false;
    }
    let Some(&(_, low, high)) = schema
        .get("format")
        .and_then(Value::as_str)
        .and_then(|format| RANGES.iter().find(|(name, _, _)| *name == format))
    else {
        return false;
    };
    let mut changed = false;
    // An exclusive bound (3.1's number, 3.0's flag) is left as written:
    // it is within the range or the document contradicts itself.
    let exclusive = |schema: &Map<String, Value>, key: &str| {
        schema.get(key).is_some_and(|v| v != &json!(false))
    };
    if !exclusive(schema, "exclusiveMinimum")
        && schema
            .get("minimum")
            .and_then(Value::as_f64)
            .is_none_or(|m| m < low as f64)
    {
        schema.insert("minimum".into(), json!(low));
        changed = true;
    }
    if !exclusive(schema, "exclusiveMaximum")
        && schema
            .get("maximum")
            .and_then(Value::as_f64)
            .is_none_or(|m| m > high as f64)
    {
        schema.insert("maximum".into(), json!(high));
        changed = true;
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_integer_format_becomes_its_range_where_the_schema_gives_none_tighter() {
        let mut int8 = json!({"type": "integer", "format": "int8"});
        assert!(bounded(int8.as_object_mut().unwrap()));
        assert_eq!(
            int8,
            json!({"type": "integer", "format": "int8", "minimum": -128, "maximum": 127})
        );
        let mut tighter = json!({"type": "integer", "format": "uint8", "minimum": 1, "maximum": 9});
        assert!(!bounded(tighter.as_object_mut().unwrap()));
        let mut int32 = json!({"type": "integer", "format": "int32"});
        assert!(!bounded(int32.as_object_mut().unwrap()));
        let mut text = json!({"type": "string", "format": "int8"});
        assert!(!bounded(text.as_object_mut().unwrap()));
    }
}
