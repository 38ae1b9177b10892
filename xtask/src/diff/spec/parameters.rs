//! An operation's parameters against its next version: added, removed,
//! made required or optional, their schemas; a path parameter renamed with
//! the template (the same position) is the same parameter.

use std::collections::BTreeMap;

use serde_json::Value;

use super::super::lifecycle;
use super::super::names;
use super::schemas::Slot;
use super::{docs_differ, Differ, Found, Place};
use crate::pointer::follow_ref;

/// What the parameter comparison reads of one version of an operation.
pub(super) struct Side<'a> {
    /// `METHOD /path` as the document writes it.
    pub name: &'a str,
    /// The path-level parameters.
    pub shared: &'a [Value],
    /// The operation object.
    pub op: &'a Value,
}

/// (in, name) → parameter, references resolved, path-level ones included.
fn params(doc: &Value, op: &Side<'_>) -> BTreeMap<(String, String), Value> {
    op.shared
        .iter()
        .chain(
            op.op
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten(),
        )
        .map(|p| follow_ref(doc, p).clone())
        .map(|p| {
            let key = (
                p["in"].as_str().unwrap_or_default().to_string(),
                p["name"].as_str().unwrap_or_default().to_string(),
            );
            (key, p)
        })
        .collect()
}

impl Differ<'_> {
    pub(super) fn parameters(
        &mut self,
        request: &Place,
        builder: &str,
        old: &Side<'_>,
        new: &Side<'_>,
    ) {
        let (old_params, new_params) = (params(self.old, old), params(self.new, new));
        // A path parameter renamed with the template is the same parameter.
        let renamed = |key: &(String, String), from: &BTreeMap<(String, String), Value>| {
            key.0 == "path"
                && !from.contains_key(key)
                && path_position(new.name, &key.1)
                    .and_then(|i| path_name_at(old.name, i))
                    .is_some_and(|n| from.contains_key(&("path".to_string(), n)))
        };
        for (key, param) in &new_params {
            let (location, name) = (&key.0, &key.1);
            let required = param.get("required") == Some(&Value::Bool(true));
            let rust = vec![(builder.to_string(), names::setter_of_parameter(name))];
            let at = Place {
                at: location.clone(),
                rust_type: Some(builder.to_string()),
                ..request.clone()
            };
            let old_key = if renamed(key, &old_params) {
                let i = path_position(new.name, name).expect("checked");
                (
                    "path".to_string(),
                    path_name_at(old.name, i).expect("checked"),
                )
            } else {
                key.clone()
            };
            let Some(before) = old_params.get(&old_key) else {
                let rule = if required {
                    "new-required-request-parameter"
                } else {
                    "new-optional-request-parameter"
                };
                self.push(Found {
                    place: &at,
                    rule: rule.into(),
                    name: name.clone(),
                    detail: format!(
                        "new {} {location} parameter `{name}`",
                        if required { "required" } else { "optional" }
                    ),
                    wire_breaking: required,
                    rust,
                });
                continue;
            };
            let was_required = before.get("required") == Some(&Value::Bool(true));
            if required != was_required {
                let became = if required { "required" } else { "optional" };
                self.push(Found {
                    place: &at,
                    rule: format!("request-parameter-became-{became}"),
                    name: name.clone(),
                    detail: format!("{location} parameter `{name}` became {became}"),
                    wire_breaking: required,
                    rust: rust.clone(),
                });
            }
            if let Some((rule, words)) = lifecycle::transition(before, param) {
                self.push(Found {
                    place: &at,
                    rule: format!("request-parameter-{rule}"),
                    name: name.clone(),
                    detail: format!("{location} parameter `{name}` {words}"),
                    wire_breaking: false,
                    rust: rust.clone(),
                });
            }
            if docs_differ(before, param, &["description", "example", "examples"]) {
                self.docs += 1;
            }
            if let (Some(o), Some(n)) = (before.get("schema"), param.get("schema")) {
                let here = at.property(name, Some(builder.to_string()));
                let slot = Slot::Property {
                    holder: at.clone(),
                    name: name.clone(),
                };
                self.schema(&here, &slot, true, o, n);
            }
        }
        for key in old_params.keys() {
            let gone = !new_params.contains_key(key)
                && !new_params.keys().any(|k| {
                    renamed(k, &old_params)
                        && path_position(new.name, &k.1)
                            .and_then(|i| path_name_at(old.name, i))
                            .as_deref()
                            == Some(key.1.as_str())
                });
            if gone {
                let at = Place {
                    at: key.0.clone(),
                    ..request.clone()
                };
                let removal = lifecycle::removal(
                    &old_params[key],
                    "request-parameter-removed",
                    "request-parameter-removed",
                );
                self.push(Found {
                    place: &at,
                    rule: removal.rule,
                    name: key.1.clone(),
                    detail: format!("{} parameter `{}` {}", key.0, key.1, removal.removed),
                    wire_breaking: false,
                    rust: vec![(builder.to_string(), names::setter_of_parameter(&key.1))],
                });
            }
        }
    }
}

/// The index of `{name}` among the path's parameters in `METHOD /path`.
pub(super) fn path_position(operation: &str, name: &str) -> Option<usize> {
    path_names(operation).iter().position(|n| n == name)
}

/// The `i`-th path parameter name of `METHOD /path`.
pub(super) fn path_name_at(operation: &str, i: usize) -> Option<String> {
    path_names(operation).into_iter().nth(i)
}

/// The path parameter names of `METHOD /path`, in order.
pub(super) fn path_names(operation: &str) -> Vec<String> {
    operation
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string()))
        .collect()
}
