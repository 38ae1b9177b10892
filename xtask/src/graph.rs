//! Which components refer to which, read once: the graph the stages that
//! follow references walk (what a request reaches, what refers to a
//! left-out schema, which schemas differ by side).
//!
//! A stage that asked, for each schema, what that schema reaches walked the
//! graph once per schema: quadratic, and a 2,000-schema document took
//! minutes. Built once and walked forward or backward, every question is
//! linear in the document.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::pointer::{escape, tokens};

/// A component, as a local `$ref` names it: `#/components/schemas/Widget`.
pub type Component = String;

/// The component a local `$ref` points at or into:
/// `#/components/schemas/A/properties/b` → `#/components/schemas/A`.
pub fn component_of(reference: &str) -> Option<Component> {
    let pointer = reference.strip_prefix('#')?;
    match tokens(pointer).as_slice() {
        [components, kind, name, ..] if components == "components" => {
            Some(format!("#/components/{}/{}", escape(kind), escape(name)))
        }
        _ => None,
    }
}

/// The components `value` refers to directly (not through them), in order.
pub fn refers_to(value: &Value) -> BTreeSet<Component> {
    let mut found = BTreeSet::new();
    let mut queue = vec![value];
    while let Some(value) = queue.pop() {
        match value {
            Value::Object(map) => {
                if let Some(component) = map
                    .get("$ref")
                    .and_then(Value::as_str)
                    .and_then(component_of)
                {
                    found.insert(component);
                }
                queue.extend(map.values());
            }
            Value::Array(items) => queue.extend(items),
            _ => {}
        }
    }
    found
}

/// The reference graph of a document's components.
#[derive(Debug, Default, Clone)]
pub struct Graph {
    /// Each component and the components it refers to directly.
    out: BTreeMap<Component, BTreeSet<Component>>,
    /// The reverse: each component and the components that refer to it.
    into: BTreeMap<Component, BTreeSet<Component>>,
}

impl Graph {
    /// Reads every component of every section of `doc`.
    ///
    /// ```
    /// use serde_json::json;
    /// let doc = json!({"components": {"schemas": {
    ///     "A": {"properties": {"b": {"$ref": "#/components/schemas/B"}}},
    ///     "B": {"type": "string"},
    /// }}});
    /// let graph = xtask::graph::Graph::of(&doc);
    /// let a = "#/components/schemas/A".to_string();
    /// let b = "#/components/schemas/B".to_string();
    /// assert!(graph.reachable([a.clone()]).contains(&b));
    /// assert!(graph.referring([b]).contains(&a));
    /// ```
    pub fn of(doc: &Value) -> Self {
        let mut graph = Self::default();
        for (section, entries) in doc
            .get("components")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            for (name, value) in entries.as_object().into_iter().flatten() {
                let from = format!("#/components/{}/{}", escape(section), escape(name));
                let targets = refers_to(value);
                for target in &targets {
                    graph
                        .into
                        .entry(target.clone())
                        .or_default()
                        .insert(from.clone());
                }
                graph.out.insert(from, targets);
            }
        }
        graph
    }

    /// The components `from` reach through references, `from` included.
    pub fn reachable(&self, from: impl IntoIterator<Item = Component>) -> BTreeSet<Component> {
        walk(&self.out, from)
    }

    /// The components that reach any of `to` through references, `to`
    /// included.
    pub fn referring(&self, to: impl IntoIterator<Item = Component>) -> BTreeSet<Component> {
        walk(&self.into, to)
    }
}

fn walk(
    edges: &BTreeMap<Component, BTreeSet<Component>>,
    from: impl IntoIterator<Item = Component>,
) -> BTreeSet<Component> {
    let mut found = BTreeSet::new();
    let mut queue: Vec<Component> = from.into_iter().collect();
    while let Some(next) = queue.pop() {
        if !found.insert(next.clone()) {
            continue;
        }
        if let Some(targets) = edges.get(&next) {
            queue.extend(targets.iter().filter(|t| !found.contains(*t)).cloned());
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_cycle_of_two_thousand_is_walked_once() {
        let n = 2000;
        let schemas: serde_json::Map<String, Value> = (0..n)
            .map(|i| {
                (
                    format!("S{i}"),
                    json!({"$ref": format!("#/components/schemas/S{}", (i + 1) % n)}),
                )
            })
            .collect();
        let doc = json!({"components": {"schemas": schemas}});
        let graph = Graph::of(&doc);
        assert_eq!(graph.reachable(["#/components/schemas/S7".into()]).len(), n);
        assert_eq!(graph.referring(["#/components/schemas/S0".into()]).len(), n);
    }

    #[test]
    fn a_reference_into_a_component_counts_as_one_to_it() {
        assert_eq!(
            component_of("#/components/schemas/A~1b/properties/c").as_deref(),
            Some("#/components/schemas/A~1b")
        );
        assert_eq!(component_of("#/paths/~1a"), None);
        assert_eq!(component_of("other.yaml#/components/schemas/A"), None);
    }
}
