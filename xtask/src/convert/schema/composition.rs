//! `allOf`, `anyOf` and `oneOf`: what 3.0 can say of them.

use serde_json::{json, Map, Value};

use super::super::{fail, mapping, Converter, Result};
use crate::pointer::join;

impl Converter<'_> {
    pub(super) fn composition(
        &self,
        source: &Map<String, Value>,
        key: &str,
        value: &Value,
        at: &str,
        out: &mut Map<String, Value>,
        nullable: &mut bool,
    ) -> Result<()> {
        if key == "allOf" {
            if out.contains_key("allOf") {
                return fail(at, "`allOf` beside a type list that became `allOf`");
            }
            out.insert(
                key.into(),
                self.list(value, at, &|c, v, at| c.schema(v, at))?,
            );
            return Ok(());
        }
        let Some(branches) = value.as_array() else {
            return fail(at, "expected a list");
        };
        let mut rest = Vec::new();
        for (i, branch) in branches.iter().enumerate() {
            if !is_null_schema(branch) {
                rest.push(self.schema(branch, &join(at, &i.to_string()))?);
            }
        }
        *nullable |= rest.len() < branches.len();
        match rest.as_slice() {
            [] => {
                out.insert("enum".into(), json!([null]));
            }
            // A union of one type and null is that type, nullable. A `$ref`
            // cannot carry `nullable` beside it in 3.0, so it is wrapped.
            [only] if only.get("$ref").is_some() => {
                out.insert("allOf".into(), json!([only]));
            }
            [only] => {
                for (k, v) in mapping(only, at)? {
                    if out.contains_key(k) || source.contains_key(k) {
                        return fail(
                            at,
                            format!("`{k}` is set both beside `{key}` and inside it"),
                        );
                    }
                    out.insert(k.clone(), v.clone());
                }
            }
            // Objects told apart by a single-value property are exclusive,
            // whatever keyword the author chose: `oneOf` is what makes typify
            // emit one enum variant per alternative, tagged by that property.
            _ if discriminating_property(&rest).is_some() => {
                out.insert("oneOf".into(), Value::Array(rest));
            }
            _ => {
                out.insert(key.into(), Value::Array(rest));
            }
        }
        Ok(())
    }
}

/// `{type: 'null'}`, optionally with a title or description.
fn is_null_schema(schema: &Value) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("null")
        && schema.as_object().is_some_and(|m| {
            m.keys()
                .all(|k| matches!(k.as_str(), "type" | "description" | "title"))
        })
}

/// The property that tells object alternatives apart: present and required in
/// every alternative, a single-value `enum` in each, with distinct values.
/// `type` is preferred when several qualify.
pub fn discriminating_property(alternatives: &[Value]) -> Option<String> {
    if alternatives.len() < 2 {
        return None;
    }
    let first = alternatives[0].get("properties")?.as_object()?;
    let mut candidates: Vec<&String> = first.keys().collect();
    candidates.sort_by_key(|name| name.as_str() != "type");
    candidates
        .into_iter()
        .find(|name| {
            let mut seen = Vec::new();
            alternatives.iter().all(|alt| {
                let required = alt
                    .get("required")
                    .and_then(Value::as_array)
                    .is_some_and(|r| r.iter().any(|n| n.as_str() == Some(name)));
                let value = alt
                    .get("properties")
                    .and_then(|p| p.get(name.as_str()))
                    .and_then(|p| p.get("enum"))
                    .and_then(Value::as_array)
                    .filter(|values| values.len() == 1)
                    .map(|values| values[0].clone());
                match value {
                    Some(v)
                        if required
                            && alt.get("type").and_then(Value::as_str) == Some("object")
                            && !seen.contains(&v) =>
                    {
                        seen.push(v);
                        true
                    }
                    _ => false,
                }
            })
        })
        .cloned()
}
