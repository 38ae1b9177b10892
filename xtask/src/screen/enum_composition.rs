//! An `enum` beside `anyOf`, `oneOf` or `allOf` in one schema (GitHub
//! Enterprise Server 2.18's `source` of `PUT /repos/{owner}/{repo}/pages`:
//! `type: string, enum: [gh-pages, master, ...], anyOf: [that enum, an
//! object]`): a value must be one of the enum's values and match the
//! composition, so the enum's values are all it can be. typify writes a
//! newtype of the union that checks the value with `contains`, which needs a
//! `PartialEq` the union does not derive, and the client did not compile
//! (E0277; the compile check left the operation out). The composition goes,
//! and the schema is the enum typify writes for it.

use serde_json::Value;

use crate::pointer::join;
use crate::report::Report;
use crate::walk::children_mut;

const COMPOSITIONS: [&str; 3] = ["anyOf", "oneOf", "allOf"];

/// Drops the compositions beside an `enum` in every schema of `value` (at
/// JSON pointer `at`), each recorded in `report`.
pub(super) fn enum_decides(value: &mut Value, at: &str, report: &mut Report) {
    match value {
        Value::Object(map) => {
            if map.get("enum").is_some_and(Value::is_array) {
                for key in COMPOSITIONS {
                    if map.shift_remove(key).is_some() {
                        report.drop(
                            join(at, key),
                            format!(
                                "`{key}` beside `enum`: a value must be one of the enum's \
                                 values, so the enum decides what the type holds"
                            ),
                        );
                    }
                }
            }
            children_mut(map, at, |child, here| enum_decides(child, &here, report));
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                enum_decides(item, &join(at, &i.to_string()), report);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_enum_decides_and_the_composition_goes() {
        let mut doc = json!({"components": {"schemas": {"Source": {
            "type": "string",
            "enum": ["gh-pages", "master"],
            "anyOf": [{"type": "string", "enum": ["gh-pages", "master"]},
                      {"type": "object", "properties": {"branch": {"type": "string"}}}]
        }, "Plain": {"anyOf": [{"type": "string"}, {"type": "integer"}]}}}});
        let mut report = Report::default();
        enum_decides(&mut doc, "", &mut report);
        assert_eq!(
            doc["components"]["schemas"]["Source"],
            json!({"type": "string", "enum": ["gh-pages", "master"]})
        );
        assert!(doc["components"]["schemas"]["Plain"]["anyOf"].is_array());
        assert_eq!(
            report.dropped.iter().next().unwrap().pointer,
            "/components/schemas/Source/anyOf"
        );
    }
}
