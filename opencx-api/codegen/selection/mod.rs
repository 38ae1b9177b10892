//! A cargo feature for each tag of the document, so that a crate which calls
//! a few operations of a large API compiles only them and the types they
//! reach.
//!
//! Generated SDKs are slow to compile because they compile everything: the
//! most-reacted issue of aws-sdk-rust is its build time
//! (awslabs/aws-sdk-rust#113), and async-stripe answered the same complaint
//! with a feature for each resource. Here each operation's client method,
//! builder, mock and error arms carry `#[cfg(any(feature = "<tag>", ...))]`
//! for the tags the document gives it, and each type carries the features
//! of every operation that reaches it (its parameters, body or any answer,
//! errors included, through every type it names). Types are reached through
//! the definitions, so an enabled type's fields are always enabled too, and
//! any union of features compiles. Features are additive as cargo requires:
//! enabling one never removes an item.
//!
//! - `full` (a default feature) is every tag. An operation without tags is
//!   compiled always.
//! - `all-schemas` adds the types no operation sends or answers (webhook
//!   payloads, components nothing uses: 4,673 of the 7,374 types of GitHub's
//!   description), which a crate calling the API never names; one that
//!   decodes webhooks turns it on. It also turns on every other type.
//!
//! A cfg, not a document the build script prunes: the types of the client
//! are named once, from the whole document, whatever a build selects, so a
//! type is called the same in every crate of a dependency graph whichever
//! features it unifies (typify names a type after its neighbours, and a
//! pruned document could name it otherwise).

use std::collections::{BTreeMap, BTreeSet};

use heck::ToKebabCase;
use serde_json::Value;

use super::responses::Plan;

mod gates;

pub use gates::apply;

/// The feature that turns on every tag's operations; a default feature.
pub const FULL: &str = "full";
/// The feature that turns on the types no operation reaches.
pub const ALL_SCHEMAS: &str = "all-schemas";
/// Features the crate declares for itself, which no tag may take.
const RESERVED: &[&str] = &["default", FULL, ALL_SCHEMAS, "mock"];

/// One tag's feature, for the crate's manifest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Feature {
    /// The feature's name: the tag in kebab case (`tag-<name>` where that
    /// is one of the crate's own features).
    pub name: String,
    /// The tags it stands for, as the document writes them.
    pub tags: BTreeSet<String>,
    /// How many operations it turns on.
    pub operations: usize,
}

/// The feature of `tag`: its kebab case, of ASCII letters, digits and `-`;
/// `None` where nothing of it is left.
pub fn feature_name(tag: &str) -> Option<String> {
    let kebab: String = tag
        .to_kebab_case()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    let kebab = kebab.trim_matches('-').to_string();
    if kebab.is_empty() {
        None
    } else if RESERVED.contains(&kebab.as_str()) {
        Some(format!("tag-{kebab}"))
    } else {
        Some(kebab)
    }
}

/// Each operation's tags by `operationId` (the plans' path templates are
/// the prepared document's, where a path parameter may be a stand-in).
fn tags_by_id(doc: &Value) -> BTreeMap<&str, Vec<&str>> {
    let mut out = BTreeMap::new();
    for item in doc["paths"]
        .as_object()
        .into_iter()
        .flat_map(|p| p.values())
    {
        for operation in item.as_object().into_iter().flat_map(|o| o.values()) {
            let Some(id) = operation["operationId"].as_str() else {
                continue;
            };
            let tags = operation["tags"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            out.insert(id, tags);
        }
    }
    out
}

/// The tags of the operation `plan` stands for.
fn tags<'a>(by_id: &BTreeMap<&'a str, Vec<&'a str>>, plan: &Plan) -> Vec<&'a str> {
    by_id
        .get(plan.operation_id.as_str())
        .cloned()
        .unwrap_or_default()
}

/// Each client method's features (tag → feature); none for an operation
/// without tags, which is compiled always.
pub fn operation_features(
    doc: &Value,
    plans: &BTreeMap<String, Plan>,
) -> BTreeMap<String, BTreeSet<String>> {
    let by_id = tags_by_id(doc);
    plans
        .iter()
        .map(|(method, plan)| {
            let features = tags(&by_id, plan)
                .into_iter()
                .filter_map(feature_name)
                .collect();
            (method.clone(), features)
        })
        .collect()
}

/// The features of the document's tags, by name, each with its tags and
/// operations.
pub fn features(doc: &Value, plans: &BTreeMap<String, Plan>) -> Vec<Feature> {
    let by_id = tags_by_id(doc);
    let mut by_name: BTreeMap<String, Feature> = BTreeMap::new();
    for plan in plans.values() {
        let mut named = BTreeSet::new();
        for tag in tags(&by_id, plan) {
            let Some(name) = feature_name(tag) else {
                continue;
            };
            let feature = by_name.entry(name.clone()).or_insert_with(|| Feature {
                name: name.clone(),
                tags: BTreeSet::new(),
                operations: 0,
            });
            feature.tags.insert(tag.to_string());
            if named.insert(name) {
                feature.operations += 1;
            }
        }
    }
    by_name.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_become_kebab_features_apart_from_the_crates_own() {
        assert_eq!(
            feature_name("Chat Sessions").as_deref(),
            Some("chat-sessions")
        );
        assert_eq!(feature_name("repos").as_deref(), Some("repos"));
        assert_eq!(feature_name("mock").as_deref(), Some("tag-mock"));
        assert_eq!(feature_name("Full").as_deref(), Some("tag-full"));
        assert_eq!(feature_name("🙂").as_deref(), None);
    }
}
