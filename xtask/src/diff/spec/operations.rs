//! Operations: matched by method and path template with parameter names
//! ignored, so `/sessions/{id}` → `/sessions/{session_id}` is the same
//! operation (its parameter renamed), and a new operationId on the same
//! method and path is a rename of the Rust method, not a removal and an
//! addition.

use std::collections::BTreeMap;

use serde_json::Value;

use super::super::lifecycle;
use super::super::names;
use super::parameters::{self, path_names};
use super::{docs_differ, Differ, Found, Place, Side, Subject};
use crate::operations::operations;
use crate::pointer::follow_ref;

/// One operation of a document.
struct Operation {
    /// `METHOD /path` as the document writes it.
    name: String,
    id: String,
    value: Value,
    /// The path-level parameters, which apply to it too.
    shared: Vec<Value>,
}

/// Whether the operation's id is the one regen derives from its method and
/// path, where upstream gives none.
fn derived(op: &Operation) -> bool {
    op.name
        .split_once(' ')
        .is_some_and(|(method, path)| op.id == crate::operation_id::derive(method, path))
}

impl Operation {
    /// What the parameter comparison reads of it.
    fn parameters(&self) -> parameters::Side<'_> {
        parameters::Side {
            name: &self.name,
            shared: &self.shared,
            op: &self.value,
        }
    }
}

/// Every operation of a document.
fn operation_list(doc: &Value) -> Vec<Operation> {
    operations(doc)
        .into_iter()
        .map(|(path, method, op)| {
            let id = op
                .get("operationId")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let shared = doc["paths"][&path]
                .get("parameters")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            Operation {
                name: format!("{} {path}", method.to_uppercase()),
                id,
                value: op,
                shared,
            }
        })
        .collect()
}

/// `METHOD /path/{}`: the operation with its parameter names erased.
fn key(name: &str) -> String {
    template(name)
}

/// Pairs the operations of two versions: the same method and path first,
/// then the same with parameter names ignored (a document can have both
/// `/responses/{id}` and `/responses/{responseId}`). Returns the pairs, the
/// old ones left (removed) and the new ones left (added).
fn pair(old: Vec<Operation>, new: Vec<Operation>) -> Pairs {
    let mut old: Vec<Option<Operation>> = old.into_iter().map(Some).collect();
    let mut new: Vec<Option<Operation>> = new.into_iter().map(Some).collect();
    let mut pairs = Vec::new();
    for same in [
        (|a: &Operation, b: &Operation| a.name == b.name) as fn(&Operation, &Operation) -> bool,
        |a, b| key(&a.name) == key(&b.name),
    ] {
        for slot in old.iter_mut() {
            let Some(before) = slot.as_ref() else {
                continue;
            };
            if let Some(found) = new
                .iter_mut()
                .find(|n| n.as_ref().is_some_and(|n| same(before, n)))
            {
                pairs.push((slot.take().expect("checked"), found.take().expect("found")));
            }
        }
    }
    (
        pairs,
        old.into_iter().flatten().collect(),
        new.into_iter().flatten().collect(),
    )
}

type Pairs = (Vec<(Operation, Operation)>, Vec<Operation>, Vec<Operation>);

/// A path with each `{name}` made `{}`.
fn template(path: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in path.chars() {
        match c {
            '{' => {
                inside = true;
                out.push('{');
            }
            '}' => {
                inside = false;
                out.push('}');
            }
            _ if inside => {}
            _ => out.push(c),
        }
    }
    out
}

fn client_method(id: &str) -> Vec<(String, String)> {
    vec![
        ("Client".into(), names::method_of_operation(id)),
        (
            format!("builder::{}", names::builder_of_operation(id)),
            String::new(),
        ),
    ]
}

/// The JSON schema of a request body or response, references resolved.
fn json_schema<'a>(doc: &'a Value, holder: Option<&'a Value>) -> Option<&'a Value> {
    let holder = follow_ref(doc, holder?);
    holder
        .get("content")?
        .as_object()?
        .iter()
        .find(|(media, _)| {
            let essence = media.split(';').next().unwrap_or_default().trim();
            essence == "application/json" || essence.ends_with("+json")
        })
        .and_then(|(_, media)| media.get("schema"))
}

impl Differ<'_> {
    pub(super) fn operations(&mut self) {
        let (pairs, removed, added) = pair(operation_list(self.old), operation_list(self.new));
        let place_of = |op: &Operation| Place {
            subject: Subject::Operation(op.name.clone(), op.id.clone()),
            side: Side::Request,
            at: String::new(),
            rust_type: None,
        };
        for op in &added {
            self.push(Found {
                place: &place_of(op),
                rule: "endpoint-added".into(),
                name: String::new(),
                detail: format!("new operation `{}`", op.id),
                wire_breaking: false,
                rust: client_method(&op.id),
            });
        }
        for op in &removed {
            // oasdiff's rules: an operation marked deprecated first (and
            // past its sunset date) was announced; one removed without
            // warning breaks its callers unannounced.
            let removal =
                lifecycle::removal(&op.value, "api-removed-without-deprecation", "api-removed");
            self.push(Found {
                place: &place_of(op),
                rule: removal.rule,
                name: String::new(),
                detail: format!("operation `{}` {}", op.id, removal.removed),
                wire_breaking: true,
                rust: client_method(&op.id),
            });
        }
        for (before, op) in &pairs {
            let place = place_of(op);
            if before.id != op.id {
                let mut rust = client_method(&before.id);
                rust.extend(client_method(&op.id));
                self.push(Found {
                    place: &place,
                    rule: "api-operation-id-removed".into(),
                    name: before.id.clone(),
                    detail: if derived(before) && derived(op) {
                        format!(
                            "the operationId derived from the path (upstream gives none) \
                             follows it: the method `{}` is now `{}`",
                            names::method_of_operation(&before.id),
                            names::method_of_operation(&op.id)
                        )
                    } else {
                        format!(
                            "operationId renamed from `{}` to `{}`: the method `{}` is now `{}`",
                            before.id,
                            op.id,
                            names::method_of_operation(&before.id),
                            names::method_of_operation(&op.id)
                        )
                    },
                    // The wire does not carry operationIds.
                    wire_breaking: false,
                    rust,
                });
            }
            if before.name != op.name {
                // Each parameter's builder setter is named after it (on the
                // old builder and the new, when the operationId changed too).
                let (was, now) = (
                    format!("builder::{}", names::builder_of_operation(&before.id)),
                    format!("builder::{}", names::builder_of_operation(&op.id)),
                );
                let rust = path_names(&before.name)
                    .into_iter()
                    .zip(path_names(&op.name))
                    .filter(|(a, b)| a != b)
                    .flat_map(|(a, b)| {
                        [
                            (was.clone(), names::setter_of_parameter(&a)),
                            (now.clone(), names::setter_of_parameter(&b)),
                        ]
                    })
                    .collect();
                self.push(Found {
                    place: &place,
                    rule: "request-path-parameter-renamed".into(),
                    name: String::new(),
                    detail: format!(
                        "path `{}` is now `{}`: the same operation, its path parameter renamed",
                        before.name, op.name
                    ),
                    wire_breaking: false,
                    rust,
                });
            }
            if let Some((rule, words)) = lifecycle::transition(&before.value, &op.value) {
                self.push(Found {
                    place: &place,
                    rule: format!("endpoint-{rule}"),
                    name: String::new(),
                    detail: format!("operation `{}` {words}", op.id),
                    wire_breaking: false,
                    // The method that starts the operation is marked.
                    rust: vec![("Client".into(), names::method_of_operation(&op.id))],
                });
            }
            self.operation(&place, before, op);
        }
    }

    fn operation(&mut self, request: &Place, old: &Operation, new: &Operation) {
        let id = &new.id;
        let builder = format!("builder::{}", names::builder_of_operation(id));
        if docs_differ(&old.value, &new.value, &["summary", "description", "tags"]) {
            self.docs += 1;
        }
        self.parameters(request, &builder, &old.parameters(), &new.parameters());
        let body = Place {
            at: "body".into(),
            rust_type: Some(format!("types::{}", names::operation_type(id, "body"))),
            ..request.clone()
        };
        let old_body = json_schema(self.old, old.value.get("requestBody"));
        let new_body = json_schema(self.new, new.value.get("requestBody"));
        match (old_body, new_body) {
            (None, Some(_)) => self.push(Found {
                place: request,
                rule: "request-body-added".into(),
                name: String::new(),
                detail: "new request body".into(),
                wire_breaking: true,
                rust: vec![(builder.clone(), "body".into())],
            }),
            (Some(_), None) => self.push(Found {
                place: request,
                rule: "request-body-removed".into(),
                name: String::new(),
                detail: "request body removed".into(),
                wire_breaking: true,
                rust: vec![(builder.clone(), "body".into())],
            }),
            (Some(o), Some(n)) => self.body(&body, o, n),
            (None, None) => {}
        }
        self.responses(request, old, new);
    }

    fn responses(&mut self, request: &Place, old: &Operation, new: &Operation) {
        let statuses = |op: &Operation| -> BTreeMap<String, Value> {
            op.value
                .get("responses")
                .and_then(Value::as_object)
                .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                .unwrap_or_default()
        };
        let (old_responses, new_responses) = (statuses(old), statuses(new));
        let method = vec![("Client".into(), names::method_of_operation(&new.id))];
        for (status, response) in &new_responses {
            let place = Place {
                side: Side::Response,
                at: status.clone(),
                rust_type: Some(format!(
                    "types::{}",
                    names::operation_type(&new.id, "response")
                )),
                ..request.clone()
            };
            let Some(before) = old_responses.get(status) else {
                let rule = if status.starts_with('2') {
                    "response-success-status-added"
                } else {
                    "response-non-success-status-added"
                };
                self.push(Found {
                    place: &place,
                    rule: rule.into(),
                    name: String::new(),
                    detail: format!("new response status {status}"),
                    wire_breaking: false,
                    rust: method.clone(),
                });
                continue;
            };
            let schemas = (
                json_schema(self.old, Some(before)),
                json_schema(self.new, Some(response)),
            );
            if let (Some(o), Some(n)) = schemas {
                self.body(&place, o, n);
            }
            if docs_differ(
                follow_ref(self.old, before),
                follow_ref(self.new, response),
                &["description"],
            ) {
                self.docs += 1;
            }
        }
        for status in old_responses.keys() {
            if new_responses.contains_key(status) {
                continue;
            }
            let place = Place {
                side: Side::Response,
                at: status.clone(),
                ..request.clone()
            };
            let success = status.starts_with('2');
            self.push(Found {
                place: &place,
                rule: if success {
                    "response-success-status-removed"
                } else {
                    "response-non-success-status-removed"
                }
                .into(),
                name: String::new(),
                detail: format!("response status {status} removed"),
                wire_breaking: success,
                rust: method.clone(),
            });
        }
    }
}
