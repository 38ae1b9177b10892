//! Rules for numeric bounds, properties, items, and the keywords that only
//! narrow what a schema declares.

use serde_json::{json, Map, Value};

use super::super::{fail, mapping, refuse, Converter, Result};
use super::{FALSE_PROPERTY, PATTERN_KEYS, UNEVALUATED_FALSE, UNEVALUATED_ITEMS_FALSE};
use crate::pointer::join;

impl Converter<'_> {
    /// 3.1's numeric `exclusiveMinimum` becomes 3.0's `minimum` with a boolean
    /// flag; beside an inclusive `minimum`, the tighter of the two bounds wins.
    pub(super) fn exclusive_bound(
        &self,
        source: &Map<String, Value>,
        key: &str,
        value: &Value,
        at: &str,
        out: &mut Map<String, Value>,
    ) -> Result<()> {
        let bound = if key == "exclusiveMinimum" {
            "minimum"
        } else {
            "maximum"
        };
        match value {
            // 3.0's boolean form, which only qualifies `minimum`.
            Value::Bool(_) => {
                if !source.contains_key(bound) {
                    return fail(at, format!("boolean `{key}` without `{bound}`"));
                }
                out.insert(key.into(), value.clone());
            }
            Value::Number(exclusive) => {
                let inclusive = source.get(bound).and_then(Value::as_f64);
                let e = exclusive.as_f64().unwrap_or(f64::NAN);
                let exclusive_is_tighter = match inclusive {
                    None => true,
                    Some(i) if bound == "minimum" => e >= i,
                    Some(i) => e <= i,
                };
                if exclusive_is_tighter {
                    out.insert(bound.into(), value.clone());
                    out.insert(key.into(), json!(true));
                } else {
                    out.insert(bound.into(), source[bound].clone());
                }
            }
            _ => return fail(at, format!("`{key}` must be a number")),
        }
        Ok(())
    }

    pub(super) fn properties(
        &self,
        source: &Map<String, Value>,
        value: &Value,
        at: &str,
    ) -> Result<Value> {
        let mut out = Map::new();
        for (name, property) in mapping(value, at)? {
            let here = join(at, name);
            if property == &json!(false) {
                let required = source
                    .get("required")
                    .and_then(Value::as_array)
                    .is_some_and(|r| r.iter().any(|n| n.as_str() == Some(name)));
                if required {
                    return fail(&here, format!("property `{name}` is both required and forbidden (`false`): no value is valid"));
                }
                self.dropped(&here, FALSE_PROPERTY);
                continue;
            }
            out.insert(name.clone(), self.schema(property, &here)?);
        }
        Ok(Value::Object(out))
    }

    pub(super) fn items(
        &self,
        source: &Map<String, Value>,
        value: &Value,
        at: &str,
        out: &mut Map<String, Value>,
    ) -> Result<()> {
        if source.contains_key("prefixItems") {
            return Ok(()); // handled with `prefixItems`
        }
        match value {
            Value::Array(_) => refuse(at, "items", "a list of schemas, one per position: a tuple"),
            // No item is allowed: the array is empty.
            Value::Bool(false) => {
                out.insert("maxItems".into(), json!(0));
                Ok(())
            }
            _ => {
                out.insert("items".into(), self.schema(value, at)?);
                Ok(())
            }
        }
    }

    /// A tuple whose positions all have one schema is a list of that schema;
    /// any other tuple has no 3.0 equivalent.
    pub(super) fn prefix_items(
        &self,
        source: &Map<String, Value>,
        value: &Value,
        at: &str,
        out: &mut Map<String, Value>,
    ) -> Result<()> {
        let Some(positions) = value.as_array() else {
            return fail(at, "`prefixItems` must be a list");
        };
        let rest = source.get("items");
        let same = positions.windows(2).all(|w| w[0] == w[1]);
        let Some(first) = positions.first() else {
            // No positions: `items` alone describes every item.
            if let Some(items) = rest {
                self.items(
                    &Map::new(),
                    items,
                    &join(&at[..at.rfind('/').unwrap_or(0)], "items"),
                    out,
                )?;
            }
            return Ok(());
        };
        match rest {
            Some(items) if same && items == first => {}
            Some(Value::Bool(false)) if same => {
                let len = json!(positions.len());
                let max = source
                    .get("maxItems")
                    .and_then(Value::as_u64)
                    .map_or(len.clone(), |m| json!(m.min(positions.len() as u64)));
                out.insert("maxItems".into(), max);
            }
            _ => {
                return refuse(
                    at,
                    "prefixItems",
                    "a tuple: a schema for each position of the array",
                )
            }
        }
        out.insert("items".into(), self.schema(first, &join(at, "0"))?);
        Ok(())
    }

    pub(super) fn unevaluated_items(
        &self,
        source: &Map<String, Value>,
        value: &Value,
        at: &str,
        out: &mut Map<String, Value>,
    ) -> Result<()> {
        let composed = ["allOf", "anyOf", "oneOf", "$ref", "if", "prefixItems"]
            .iter()
            .any(|k| source.contains_key(*k));
        if source.contains_key("items") {
            // `items` already describes every item: nothing is left to evaluate.
            return Ok(());
        }
        if !composed {
            return self.items(&Map::new(), value, at, out);
        }
        if value == &json!(false) {
            self.dropped(at, UNEVALUATED_ITEMS_FALSE);
            return Ok(());
        }
        refuse(
            at,
            "unevaluatedItems",
            "a schema for items that no subschema described",
        )
    }

    pub(super) fn unevaluated_properties(
        &self,
        source: &Map<String, Value>,
        value: &Value,
        at: &str,
        out: &mut Map<String, Value>,
    ) -> Result<()> {
        let composed = [
            "allOf",
            "anyOf",
            "oneOf",
            "$ref",
            "if",
            "dependentSchemas",
            "patternProperties",
        ]
        .iter()
        .any(|k| source.contains_key(*k));
        if !composed && !source.contains_key("additionalProperties") {
            // Without subschemas, "unevaluated" means "not in `properties`".
            let converted = if value.is_boolean() {
                value.clone()
            } else {
                self.schema(value, at)?
            };
            out.insert("additionalProperties".into(), converted);
            return Ok(());
        }
        if value == &json!(false) {
            self.dropped(at, UNEVALUATED_FALSE);
            return Ok(());
        }
        refuse(
            at,
            "unevaluatedProperties",
            "a schema for the properties no subschema declared",
        )
    }

    /// Pattern-keyed properties are a map when every pattern has the same value
    /// schema and no other key is allowed.
    pub(super) fn pattern_properties(
        &self,
        source: &Map<String, Value>,
        value: &Value,
        at: &str,
        out: &mut Map<String, Value>,
    ) -> Result<()> {
        let patterns = mapping(value, at)?;
        let schemas: Vec<&Value> = patterns.values().collect();
        let same = schemas.windows(2).all(|w| w[0] == w[1]);
        let closed = matches!(source.get("additionalProperties"), Some(Value::Bool(false)))
            || source.get("unevaluatedProperties") == Some(&json!(false));
        match schemas.first() {
            None => {
                if let Some(rest) = source.get("additionalProperties") {
                    let at = join(&at[..at.rfind('/').unwrap_or(0)], "additionalProperties");
                    let converted = if rest.is_boolean() {
                        rest.clone()
                    } else {
                        self.schema(rest, &at)?
                    };
                    out.insert("additionalProperties".into(), converted);
                }
                Ok(())
            }
            Some(schema) if same && closed && !source.contains_key("properties") => {
                self.dropped(at, PATTERN_KEYS);
                out.insert(
                    "additionalProperties".into(),
                    self.schema(
                        schema,
                        &join(at, patterns.keys().next().expect("one pattern")),
                    )?,
                );
                Ok(())
            }
            _ => refuse(
                at,
                "patternProperties",
                "schemas for the properties whose names match a pattern, beside other properties",
            ),
        }
    }
}

pub(super) fn exclusive_of(bound: &str) -> &'static str {
    if bound == "minimum" {
        "exclusiveMinimum"
    } else {
        "exclusiveMaximum"
    }
}

/// Checks that a conditional or dependent subschema only narrows what `base`
/// declares, so dropping it cannot lose a field from the generated type.
pub(super) fn adds_nothing(
    base: &Map<String, Value>,
    sub: &Value,
    at: &str,
    keyword: &str,
) -> Result<()> {
    let Some(sub) = sub.as_object() else {
        return Ok(()); // `true` or `false`: no properties at all
    };
    let declared = base.get("properties").and_then(Value::as_object);
    for (key, value) in sub {
        let fine = match key.as_str() {
            "required" | "description" | "title" | "$comment" | "minProperties"
            | "maxProperties" | "dependentRequired" | "not" => true,
            "properties" => value.as_object().is_some_and(|p| {
                p.keys()
                    .all(|name| declared.is_some_and(|d| d.contains_key(name)))
            }),
            _ => false,
        };
        if !fine {
            return refuse(
                &join(at, key),
                keyword,
                "a subschema that applies under a condition and adds to what the schema declares",
            );
        }
    }
    Ok(())
}
