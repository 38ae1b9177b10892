//! Schemas no sound type exists for, or that typify cannot survive, found
//! before codegen and left out with their pointer.
//!
//! - An `allOf` whose branches give one property (or the value itself)
//!   types or enums with nothing in common: no value satisfies it, and
//!   typify's merge quietly drops the property (`struct WidgetEvent {}`) or
//!   the type. A client that compiled from it would mean something else.
//!   (typify PR #447 turns a fully unsatisfiable merge into an empty enum;
//!   a property-level conflict still vanishes.)
//! - Components that reach themselves through `allOf` branches or bare
//!   `$ref`s only: typify's merge recurses into them without end, a stack
//!   overflow that no `catch_unwind` can catch.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::pointer::{escape, join};

/// A schema no sound type exists for, or that codegen cannot survive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsound {
    /// Where: the `allOf`, or the component on a cycle.
    pub pointer: String,
    pub reason: String,
}

/// Every unsound schema of `doc` (3.0), components first, then the inline
/// schemas of operations.
pub fn unsound(doc: &Value) -> Vec<Unsound> {
    let mut found = cycles(doc);
    walk(doc, doc, "", &mut found);
    found
}

fn walk(doc: &Value, value: &Value, at: &str, found: &mut Vec<Unsound>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Array(branches)) = map.get("allOf") {
                if let Some(reason) = contradiction(doc, branches) {
                    found.push(Unsound {
                        pointer: join(at, "allOf"),
                        reason,
                    });
                }
            }
            for (key, child) in map {
                walk(doc, child, &join(at, key), found);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                walk(doc, child, &join(at, &i.to_string()), found);
            }
        }
        _ => {}
    }
}

/// A local `$ref`'s target, else the schema (following chains, at most a few).
pub(super) fn resolve<'d>(doc: &'d Value, schema: &'d Value) -> &'d Value {
    let mut schema = schema;
    for _ in 0..16 {
        match schema
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|p| doc.pointer(p))
        {
            Some(target) => schema = target,
            None => break,
        }
    }
    schema
}

/// The branches of an `allOf`, with nested `allOf`s flattened.
pub(super) fn branches<'d>(
    doc: &'d Value,
    list: &'d [Value],
    depth: usize,
    out: &mut Vec<&'d Value>,
) {
    for branch in list {
        let branch = resolve(doc, branch);
        match branch.get("allOf").and_then(Value::as_array) {
            Some(inner) if depth < 8 => {
                out.push(branch);
                branches(doc, inner, depth + 1, out);
            }
            _ => out.push(branch),
        }
    }
}

/// What one schema allows, as far as this check reads it: its types and its
/// enum values.
struct Allows<'d> {
    types: Option<BTreeSet<&'d str>>,
    values: Option<&'d Vec<Value>>,
}

impl<'d> Allows<'d> {
    fn of(schema: &'d Value) -> Self {
        let types = match schema.get("type") {
            Some(Value::String(t)) => Some(BTreeSet::from([t.as_str()])),
            _ => None,
        };
        Self {
            types,
            values: schema.get("enum").and_then(Value::as_array),
        }
    }

    /// Whether a value of JSON type `kind` is one of `types`.
    fn admits(types: &BTreeSet<&str>, value: &Value) -> bool {
        let kind = match value {
            Value::Null => return true, // `nullable` is read elsewhere
            Value::Bool(_) => "boolean",
            Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        };
        types.contains(kind) || (kind == "integer" && types.contains("number"))
    }

    /// Why `self` and `other` have no value in common, if they have none.
    fn conflict(&self, other: &Allows) -> Option<String> {
        if let (Some(a), Some(b)) = (&self.types, &other.types) {
            let numeric = |t: &BTreeSet<&str>| t.contains("number") || t.contains("integer");
            if a.is_disjoint(b) && !(numeric(a) && numeric(b)) {
                return Some(format!("types {a:?} and {b:?}"));
            }
        }
        if let (Some(a), Some(b)) = (self.values, other.values) {
            if !a.iter().any(|v| b.contains(v)) {
                return Some(format!(
                    "enums {} and {}",
                    Value::Array(a.clone()),
                    Value::Array(b.clone())
                ));
            }
        }
        for (values, types) in [(self.values, &other.types), (other.values, &self.types)] {
            if let (Some(values), Some(types)) = (values, types) {
                if !values.iter().any(|v| Self::admits(types, v)) {
                    return Some(format!(
                        "enum {} and types {types:?}",
                        Value::Array(values.clone())
                    ));
                }
            }
        }
        None
    }
}

/// Why no value satisfies all of `list`, if none does.
fn contradiction(doc: &Value, list: &[Value]) -> Option<String> {
    let mut all = Vec::new();
    branches(doc, list, 0, &mut all);
    if let Some(why) = values_conflict(&all) {
        return Some(format!(
            "its `allOf` branches allow no value in common ({why}), so no Rust type \
             means it; settle it in specs/overlay.yaml"
        ));
    }
    contested(doc, &all).into_iter().next().map(|(name, why)| {
        format!(
            "its `allOf` branches give property `{name}` {why}, which no value \
             satisfies, so no Rust type means it (typify would drop the property); \
             settle it in specs/overlay.yaml"
        )
    })
}

/// Properties that two of the (flattened) branches `all` give types or
/// enums with nothing in common, each with why, in name order.
pub(super) fn contested(doc: &Value, all: &[&Value]) -> Vec<(String, String)> {
    let mut properties: BTreeMap<&str, Vec<&Value>> = BTreeMap::new();
    for branch in all {
        for (name, schema) in branch
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            properties
                .entry(name.as_str())
                .or_default()
                .push(resolve(doc, schema));
        }
    }
    let mut found = Vec::new();
    for (name, schemas) in properties {
        let why = schemas.iter().enumerate().find_map(|(i, a)| {
            schemas[i + 1..]
                .iter()
                .find_map(|b| Allows::of(a).conflict(&Allows::of(b)))
        });
        if let Some(why) = why {
            found.push((name.to_string(), why));
        }
    }
    found
}

/// Why no value satisfies two of the (flattened) branches `all` as values
/// (their types or enums), properties aside, if none does.
pub(super) fn values_conflict(all: &[&Value]) -> Option<String> {
    all.iter().enumerate().find_map(|(i, a)| {
        all[i + 1..]
            .iter()
            .find_map(|b| Allows::of(a).conflict(&Allows::of(b)))
    })
}

/// Components that reach themselves through `allOf` branches and bare
/// `$ref`s alone, one finding per component on such a cycle, naming the
/// cycle. The strongly connected components of the merge graph (Tarjan's,
/// from petgraph): linear, where a search from every component was
/// quadratic (a 2,000-schema cycle took minutes).
fn cycles(doc: &Value) -> Vec<Unsound> {
    let Some(schemas) = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    else {
        return Vec::new();
    };
    let mut graph: petgraph::graphmap::DiGraphMap<&str, ()> = petgraph::graphmap::DiGraphMap::new();
    for (name, schema) in schemas {
        graph.add_node(name.as_str());
        let mut to = BTreeSet::new();
        merged_refs(schema, &mut to);
        for target in to.into_iter().filter(|t| schemas.contains_key(*t)) {
            graph.add_edge(name.as_str(), target, ());
        }
    }
    let mut on_cycles: BTreeMap<&str, String> = BTreeMap::new();
    for mut members in petgraph::algo::tarjan_scc(&graph) {
        let [first, ..] = members.as_slice() else {
            continue;
        };
        if members.len() == 1 && !graph.contains_edge(first, first) {
            continue;
        }
        members.sort_unstable();
        let shown: Vec<&str> = members.iter().take(4).copied().collect();
        let cycle = match members.len() {
            1 => format!(
                "`#/components/schemas/{}` reaches itself",
                escape(members[0])
            ),
            n if n <= 4 => format!("`{}` reach each other", shown.join("`, `")),
            n => format!(
                "`{}` and {} more reach each other",
                shown.join("`, `"),
                n - 4
            ),
        };
        for member in &members {
            on_cycles.insert(member, cycle.clone());
        }
    }
    schemas
        .keys()
        .filter_map(|name| {
            let cycle = on_cycles.get(name.as_str())?;
            Some(Unsound {
                pointer: join("/components/schemas", name),
                reason: format!(
                    "{cycle} through `allOf` and `$ref` alone, which has no finite type \
                     (typify's merge would recurse without end); settle it in \
                     specs/overlay.yaml"
                ),
            })
        })
        .collect()
}

/// The components a schema's value is merged from: a bare `$ref`, and the
/// `$ref`s among its `allOf` branches (nested ones too).
fn merged_refs<'d>(schema: &'d Value, to: &mut BTreeSet<&'d str>) {
    if let Some(name) = schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
    {
        to.insert(name);
    }
    for branch in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        merged_refs(branch, to);
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn disjoint_enums_of_one_property_are_a_contradiction() {
        let doc = json!({"components": {"schemas": {"WidgetEvent": {"allOf": [
            {"type": "object", "properties": {"kind": {"type": "string", "enum": ["created", "updated"]}}},
            {"type": "object", "properties": {"kind": {"type": "string", "enum": ["deleted"]}}}
        ]}}}});
        let found = unsound(&doc);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].pointer, "/components/schemas/WidgetEvent/allOf");
        assert!(
            found[0].reason.contains("property `kind`"),
            "{}",
            found[0].reason
        );
    }

    #[test]
    fn overlapping_or_refined_branches_are_fine() {
        let doc = json!({"components": {"schemas": {
            "Base": {"type": "object", "properties": {"kind": {"type": "string"}, "n": {"type": "number"}}},
            "Narrow": {"allOf": [
                {"$ref": "#/components/schemas/Base"},
                {"properties": {"kind": {"type": "string", "enum": ["a"]}, "n": {"type": "integer"}}}
            ]}
        }}});
        assert_eq!(unsound(&doc), []);
    }

    #[test]
    fn a_type_and_an_enum_of_another_type_contradict() {
        let doc = json!({"x": {"allOf": [{"type": "integer"}, {"enum": ["a", "b"]}]}});
        assert_eq!(unsound(&doc).len(), 1);
    }

    #[test]
    fn components_merged_from_themselves_are_a_cycle() {
        let doc = json!({"components": {"schemas": {
            "A": {"allOf": [{"$ref": "#/components/schemas/B"}, {"type": "object"}]},
            "B": {"allOf": [{"$ref": "#/components/schemas/A"}]},
            "Tree": {"type": "object", "properties": {"children": {"type": "array",
                "items": {"$ref": "#/components/schemas/Tree"}}}}
        }}});
        let pointers: Vec<String> = unsound(&doc).into_iter().map(|u| u.pointer).collect();
        assert_eq!(pointers, ["/components/schemas/A", "/components/schemas/B"]);
    }
}
