//! A `$ref` to a schema inside another (a property of a component, the
//! items of a list, a parameter's schema): progenitor follows references to
//! `components/schemas/NAME` only, and panics on any other ("$ref ... is
//! missing"). The target is hoisted into `components/schemas` and left in
//! its place as a `$ref` to the new component, so the place and every
//! reference to it are one type.
//!
//! A `$ref` to a parameter, a response, a request body or a header that is
//! not a component (`#/paths/~1a/get/parameters/0`): progenitor looks up
//! every such reference by its last segment among the components ("key 0 is
//! missing"); it is replaced by what it refers to.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use super::walk::{walk, Found};
use super::{free_name, insert_schema, rewrite_refs, SCHEMAS};
use crate::pointer::{join, tokens};
use crate::report::Moved;

/// Whether a local pointer leads into a schema, below a component's root:
/// under `components/schemas/NAME/...`, or at or below a `schema` keyword
/// (a parameter's, a media type's).
fn is_inside_a_schema(pointer: &str) -> bool {
    let parts = tokens(pointer);
    let under_component = parts.len() > 3 && parts[0] == "components" && parts[1] == "schemas";
    under_component || parts.iter().any(|p| p == "schema")
}

/// The name a hoisted schema gets: its owner's and its own, as its place
/// names them (`Transfer` property `currency` → `Transfer_currency`), or a
/// parameter's name.
fn name_for(doc: &Value, pointer: &str) -> String {
    let parts = tokens(pointer);
    if let [.., parameters, index, schema] = parts.as_slice() {
        if parameters == "parameters" && schema == "schema" && index.parse::<usize>().is_ok() {
            let param = &parts[..parts.len() - 1];
            let at: String = param.iter().fold(String::new(), |at, p| join(&at, p));
            if let Some(name) = doc.pointer(&at).and_then(|p| p["name"].as_str()) {
                return format!("{name}_parameter");
            }
        }
    }
    let keyword = |p: &str| {
        matches!(
            p,
            "components"
                | "schemas"
                | "properties"
                | "items"
                | "allOf"
                | "oneOf"
                | "anyOf"
                | "not"
                | "additionalProperties"
                | "content"
                | "schema"
                | "paths"
                | "parameters"
                | "responses"
                | "requestBody"
                | "requestBodies"
                | "headers"
        ) || p.parse::<usize>().is_ok()
            || p.contains('/')
            || crate::operations::METHODS.contains(&p)
    };
    let named: Vec<&str> = parts
        .iter()
        .map(String::as_str)
        .filter(|p| !keyword(p))
        .collect();
    match named.as_slice() {
        [] => "Schema".to_string(),
        [one] => one.to_string(),
        [.., owner, own] => format!("{owner}_{own}"),
    }
}

/// Hoists the target of every `$ref` into a schema below a component's
/// root, shallowest first (a target inside another moves with it, and is
/// found again at its new place).
pub(super) fn hoist(doc: &mut Value) -> Vec<Moved> {
    let mut moved = Vec::new();
    loop {
        let mut found = Found::default();
        walk(doc, "", "", &mut found);
        let mut targets: BTreeSet<String> = BTreeSet::new();
        for (_, _, reference) in &found.refs {
            if let Some(pointer) = reference.strip_prefix('#') {
                if is_inside_a_schema(pointer) && doc.pointer(pointer).is_some() {
                    targets.insert(pointer.to_string());
                }
            }
        }
        // Not one inside another in one round.
        let outermost: Vec<String> = targets
            .iter()
            .filter(|t| {
                !targets
                    .iter()
                    .any(|o| o != *t && t.starts_with(&format!("{o}/")))
            })
            .cloned()
            .collect();
        if outermost.is_empty() {
            return moved;
        }
        let mut renamed = Vec::new();
        for target in outermost {
            let name = free_name(doc, &name_for(doc, &target));
            let new = join(SCHEMAS, &name);
            let schema = std::mem::replace(
                doc.pointer_mut(&target).expect("found above"),
                json!({"$ref": format!("#{new}")}),
            );
            insert_schema(doc, &name, schema);
            renamed.push((format!("#{target}"), format!("#{new}")));
            moved.push(Moved { from: target, name });
        }
        renamed.sort_by_key(|(old, _)| std::cmp::Reverse(old.len()));
        rewrite_refs(doc, &renamed);
    }
}

/// Replaces every local `$ref` outside schemas whose target is not a
/// component (`#/components/SECTION/NAME`) by a copy of its target. Returns
/// the pointers of the references it replaced.
pub(super) fn inline_others(doc: &mut Value) -> Vec<String> {
    let mut found = Found::default();
    walk(doc, "", "", &mut found);
    let mut replaced = Vec::new();
    for (at, _, reference) in found.refs {
        let Some(pointer) = reference.strip_prefix('#') else {
            continue;
        };
        let parts = tokens(pointer);
        let is_component = parts.len() == 3 && parts[0] == "components";
        // Schemas are hoisted above; a reference into its own target would
        // never end.
        if is_component
            || is_inside_a_schema(pointer)
            || at == pointer
            || at.starts_with(&format!("{pointer}/"))
        {
            continue;
        }
        let mut target = doc.pointer(pointer).cloned();
        // Chains of references end at the first that is not one.
        for _ in 0..16 {
            let next = target
                .as_ref()
                .and_then(|t| t.get("$ref"))
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix('#'))
                .filter(|p| tokens(p).len() != 3)
                .map(str::to_string);
            match next {
                Some(next) => target = doc.pointer(&next).cloned(),
                None => break,
            }
        }
        if let (Some(target), Some(slot)) = (target, doc.pointer_mut(&at)) {
            *slot = target;
            replaced.push(at);
        }
    }
    replaced
}
