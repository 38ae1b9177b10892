//! Changes between two merged 3.0 documents, in API terms: operations,
//! parameters, bodies, fields and enum values, each with a rule id (oasdiff's
//! where it has one) and the wire verdict.
//!
//! Named types (`components/schemas`) are compared once, under their name, on
//! each side (request, response) that uses them; inline schemas under the
//! operation that holds them.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::names::{pascal, snake};
use super::{Change, Subject};
use crate::operations::operations;
use crate::pointer::follow_ref;
use crate::relax::{reachable, roots};

/// Which way a schema travels, which decides what breaks a program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Request,
    Response,
}

impl Side {
    fn prefix(self) -> &'static str {
        match self {
            Side::Request => "request",
            Side::Response => "response",
        }
    }
}

/// Where a schema difference is reported, and the Rust items it maps to.
#[derive(Clone)]
struct Place {
    subject: Subject,
    side: Side,
    /// `a.b[]`: the property path inside the subject, for messages.
    path: String,
    /// The Rust type that holds the schema's fields (`types::Session`).
    rust_type: Option<String>,
}

impl Place {
    fn child(&self, name: &str, rust_type: Option<String>) -> Place {
        Place {
            subject: self.subject.clone(),
            side: self.side,
            path: if self.path.is_empty() {
                name.to_string()
            } else {
                format!("{}.{name}", self.path)
            },
            rust_type,
        }
    }

    fn at(&self) -> String {
        if self.path.is_empty() {
            String::new()
        } else {
            format!("`{}`: ", self.path)
        }
    }
}

/// Every change from `old` to `new`, and the number of docs-only changes.
pub(super) fn changes(old: &Value, new: &Value) -> (Vec<Change>, usize) {
    let mut diff = Differ {
        old,
        new,
        changes: Vec::new(),
        docs: 0,
    };
    diff.operations();
    diff.types();
    (diff.changes, diff.docs)
}

struct Differ<'a> {
    old: &'a Value,
    new: &'a Value,
    changes: Vec<Change>,
    docs: usize,
}

impl Differ<'_> {
    fn push(
        &mut self,
        place: &Place,
        rule: &str,
        detail: String,
        wire_breaking: bool,
        rust: Vec<(String, String)>,
    ) {
        self.changes.push(Change::new(
            place.subject.clone(),
            rule,
            format!("{}{detail}", place.at()),
            wire_breaking,
            rust,
        ));
    }

    fn operations(&mut self) {
        let old = operation_map(self.old);
        let new = operation_map(self.new);
        for (key, (id, op)) in &new {
            let subject = Subject::Operation(key.clone(), id.clone());
            let place = Place {
                subject: subject.clone(),
                side: Side::Request,
                path: String::new(),
                rust_type: None,
            };
            match old.get(key) {
                None => self.push(
                    &place,
                    "endpoint-added",
                    format!("new operation `{id}`"),
                    false,
                    client_method(id),
                ),
                Some((old_id, old_op)) => {
                    if old_id != id {
                        let mut rust = client_method(old_id);
                        rust.extend(client_method(id));
                        self.push(
                            &place,
                            "api-operation-id-removed",
                            format!("operationId renamed from `{old_id}` to `{id}`"),
                            false,
                            rust,
                        );
                    }
                    self.operation(&subject, id, old_op, op);
                }
            }
        }
        for (key, (id, _)) in &old {
            if !new.contains_key(key) {
                let place = Place {
                    subject: Subject::Operation(key.clone(), id.clone()),
                    side: Side::Request,
                    path: String::new(),
                    rust_type: None,
                };
                self.push(
                    &place,
                    "api-removed-without-deprecation",
                    format!("operation `{id}` removed"),
                    true,
                    client_method(id),
                );
            }
        }
    }

    fn operation(&mut self, subject: &Subject, id: &str, old: &Value, new: &Value) {
        let builder = format!("builder::{}", pascal(id));
        let request = Place {
            subject: subject.clone(),
            side: Side::Request,
            path: String::new(),
            rust_type: None,
        };
        if docs_differ(old, new, &["summary", "description", "tags"]) {
            self.docs += 1;
        }
        let (old_params, new_params) = (params(self.old, old), params(self.new, new));
        for (key, param) in &new_params {
            let name = &key.1;
            let required = param.get("required") == Some(&Value::Bool(true));
            let rust = vec![(builder.clone(), snake(name))];
            let place = request.child(&format!("{} parameter {name}", key.0), None);
            match old_params.get(key) {
                None if required => self.push(
                    &request,
                    "new-required-request-parameter",
                    format!("new required {} parameter `{name}`", key.0),
                    true,
                    rust,
                ),
                None => self.push(
                    &request,
                    "new-optional-request-parameter",
                    format!("new optional {} parameter `{name}`", key.0),
                    false,
                    rust,
                ),
                Some(old_param) => {
                    let was_required = old_param.get("required") == Some(&Value::Bool(true));
                    if required && !was_required {
                        self.push(
                            &request,
                            "request-parameter-became-required",
                            format!("{} parameter `{name}` became required", key.0),
                            true,
                            rust.clone(),
                        );
                    } else if !required && was_required {
                        self.push(
                            &request,
                            "request-parameter-became-optional",
                            format!("{} parameter `{name}` became optional", key.0),
                            false,
                            rust.clone(),
                        );
                    }
                    if docs_differ(old_param, param, &["description", "example", "examples"]) {
                        self.docs += 1;
                    }
                    let rust_type = Some(format!("types::{}{}", pascal(id), pascal(name)));
                    if let (Some(o), Some(n)) = (old_param.get("schema"), param.get("schema")) {
                        self.schema(&Place { rust_type, ..place }, o, n);
                    }
                }
            }
        }
        for key in old_params.keys() {
            if !new_params.contains_key(key) {
                self.push(
                    &request,
                    "request-parameter-removed",
                    format!("{} parameter `{}` removed", key.0, key.1),
                    false,
                    vec![(builder.clone(), snake(&key.1))],
                );
            }
        }
        let old_body = json_schema(self.old, old.get("requestBody"));
        let new_body = json_schema(self.new, new.get("requestBody"));
        let body_type = Some(format!("types::{}Body", pascal(id)));
        let body = Place {
            rust_type: body_type,
            ..request.clone()
        };
        match (old_body, new_body) {
            (None, Some(_)) => self.push(
                &request,
                "request-body-added",
                "new request body".into(),
                true,
                vec![(builder.clone(), "body".into())],
            ),
            (Some(_), None) => self.push(
                &request,
                "request-body-removed",
                "request body removed".into(),
                true,
                vec![(builder.clone(), "body".into())],
            ),
            (Some(o), Some(n)) => self.schema(&body, o, n),
            (None, None) => {}
        }
        let old_responses = responses(old);
        let new_responses = responses(new);
        let response = Place {
            side: Side::Response,
            ..request.clone()
        };
        for (status, resp) in &new_responses {
            let success = status.starts_with('2');
            match old_responses.get(status) {
                None => {
                    let rule = if success {
                        "response-success-status-added"
                    } else {
                        "response-non-success-status-added"
                    };
                    self.push(
                        &response,
                        rule,
                        format!("new response status {status}"),
                        false,
                        vec![("Client".into(), snake(id))],
                    );
                }
                Some(old_resp) => {
                    let schemas = (
                        json_schema(self.old, Some(old_resp)),
                        json_schema(self.new, Some(resp)),
                    );
                    if let (Some(o), Some(n)) = schemas {
                        let rust_type = Some(format!("types::{}Response", pascal(id)));
                        self.schema(
                            &Place {
                                rust_type,
                                ..response.child(status, None)
                            },
                            o,
                            n,
                        );
                    }
                    if docs_differ(
                        follow_ref(self.old, old_resp),
                        follow_ref(self.new, resp),
                        &["description"],
                    ) {
                        self.docs += 1;
                    }
                }
            }
        }
        for status in old_responses.keys() {
            if !new_responses.contains_key(status) {
                let rule = if status.starts_with('2') {
                    "response-success-status-removed"
                } else {
                    "response-non-success-status-removed"
                };
                self.push(
                    &response,
                    rule,
                    format!("response status {status} removed"),
                    status.starts_with('2'),
                    vec![("Client".into(), snake(id))],
                );
            }
        }
    }

    fn types(&mut self) {
        let empty = Map::new();
        let old_types = self
            .old
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let new_types = self
            .new
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let new_sides = sides(self.new);
        let old_sides = sides(self.old);
        for (name, schema) in new_types {
            let subject = Subject::Type(name.clone());
            let rust = vec![(format!("types::{}", pascal(name)), String::new())];
            let Some(old_schema) = old_types.get(name) else {
                let place = Place {
                    subject,
                    side: Side::Response,
                    path: String::new(),
                    rust_type: None,
                };
                self.push(
                    &place,
                    "type-added",
                    format!("new type `{name}`"),
                    false,
                    rust,
                );
                continue;
            };
            // A type no operation uses is still public: read it as a response.
            let used = new_sides
                .get(name.as_str())
                .cloned()
                .unwrap_or_else(|| vec![Side::Response]);
            for side in used {
                let place = Place {
                    subject: subject.clone(),
                    side,
                    path: String::new(),
                    rust_type: Some(format!("types::{}", pascal(name))),
                };
                self.schema(&place, old_schema, schema);
            }
            if docs_differ(old_schema, schema, &["description", "title", "example"]) {
                self.docs += 1;
            }
        }
        for name in old_types.keys() {
            if !new_types.contains_key(name) {
                let place = Place {
                    subject: Subject::Type(name.clone()),
                    side: Side::Response,
                    path: String::new(),
                    rust_type: None,
                };
                let used = !old_sides
                    .get(name.as_str())
                    .cloned()
                    .unwrap_or_default()
                    .is_empty();
                self.push(
                    &place,
                    "type-removed",
                    format!("type `{name}` removed"),
                    used,
                    vec![(format!("types::{}", pascal(name)), String::new())],
                );
            }
        }
    }

    /// Compares one schema; nested inline schemas are compared too, named
    /// types only by reference (they are compared under their own name).
    fn schema(&mut self, place: &Place, old: &Value, new: &Value) {
        let prefix = place.side.prefix();
        let (old_ref, new_ref) = (reference(old), reference(new));
        if old_ref.is_some() || new_ref.is_some() {
            if old_ref != new_ref {
                let rule = format!("{prefix}-property-type-changed");
                let detail = format!("type changed from {} to {}", describe(old), describe(new));
                self.push(place, &rule, detail, true, self.member(place));
            }
            return;
        }
        let (old_type, new_type) = (type_of(old), type_of(new));
        if old_type != new_type {
            let detail = format!("type changed from {old_type} to {new_type}");
            self.push(
                place,
                &format!("{prefix}-property-type-changed"),
                detail,
                true,
                self.member(place),
            );
            return;
        }
        let nullable = |s: &Value| s.get("nullable") == Some(&Value::Bool(true));
        match (nullable(old), nullable(new)) {
            (false, true) => {
                // A response field that may now be null fails a client whose
                // field is not an `Option`; a request field is looser.
                let breaks = place.side == Side::Response && !place.path.is_empty();
                self.push(
                    place,
                    &format!("{prefix}-property-became-nullable"),
                    "became nullable".into(),
                    breaks,
                    self.member(place),
                );
            }
            (true, false) => {
                let breaks = place.side == Side::Request;
                self.push(
                    place,
                    &format!("{prefix}-property-became-not-nullable"),
                    "became not nullable".into(),
                    breaks,
                    self.member(place),
                );
            }
            _ => {}
        }
        self.enum_values(place, old, new);
        self.properties(place, old, new);
        self.variants(place, old, new);
        if let (Some(o), Some(n)) = (old.get("items"), new.get("items")) {
            self.schema(&place.child("[]", place.rust_type.clone()), o, n);
        }
        if let (Some(o), Some(n)) = (
            old.get("additionalProperties"),
            new.get("additionalProperties"),
        ) {
            if o.is_object() && n.is_object() {
                self.schema(&place.child("{}", place.rust_type.clone()), o, n);
            }
        }
    }

    /// The Rust member a change at `place` touches: the field of its parent type.
    fn member(&self, place: &Place) -> Vec<(String, String)> {
        let field = place.path.rsplit('.').next().unwrap_or_default();
        match &place.rust_type {
            Some(t) if !field.is_empty() => vec![(t.clone(), snake(field))],
            Some(t) => vec![(t.clone(), String::new())],
            None => Vec::new(),
        }
    }

    fn enum_values(&mut self, place: &Place, old: &Value, new: &Value) {
        let values = |s: &Value| -> BTreeSet<String> {
            s.get("enum")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter(|v| !v.is_null())
                .map(|v| v.to_string())
                .collect()
        };
        let (old_values, new_values) = (values(old), values(new));
        if old_values.is_empty() && new_values.is_empty() {
            return;
        }
        let prefix = if place.subject.is_type() || !place.path.contains("parameter") {
            format!("{}-property", place.side.prefix())
        } else {
            "request-parameter".to_string()
        };
        let enum_type = place.rust_type.clone().unwrap_or_default();
        for added in new_values.difference(&old_values) {
            let rust = vec![(enum_type.clone(), pascal(added.trim_matches('"')))];
            // Responses read unknown values into `Unknown`, so a new one breaks
            // nothing; a request can only send values it knows.
            self.push(
                place,
                &format!("{prefix}-enum-value-added"),
                format!("new enum value {added}"),
                false,
                rust,
            );
        }
        for removed in old_values.difference(&new_values) {
            let rust = vec![(enum_type.clone(), pascal(removed.trim_matches('"')))];
            let breaks = place.side == Side::Request;
            self.push(
                place,
                &format!("{prefix}-enum-value-removed"),
                format!("enum value {removed} removed"),
                breaks,
                rust,
            );
        }
    }

    fn properties(&mut self, place: &Place, old: &Value, new: &Value) {
        let empty = Map::new();
        let props = |s: &'_ Value| {
            s.get("properties")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_else(|| empty.clone())
        };
        let required = |s: &Value| -> BTreeSet<String> {
            s.get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        };
        let (old_props, new_props) = (props(old), props(new));
        let (old_req, new_req) = (required(old), required(new));
        let side = place.side;
        let prefix = side.prefix();
        let field = |name: &str| match &place.rust_type {
            Some(t) => vec![(t.clone(), snake(name))],
            None => Vec::new(),
        };
        for (name, schema) in &new_props {
            let child_type = reference(schema)
                .map(|r| format!("types::{}", pascal(r)))
                .or_else(|| {
                    place
                        .rust_type
                        .as_ref()
                        .map(|t| format!("{t}{}", pascal(name)))
                });
            let child = place.child(name, child_type);
            let is_required = new_req.contains(name);
            match old_props.get(name) {
                None => {
                    let (rule, breaks) = match (side, is_required) {
                        (Side::Request, true) => ("new-required-request-property", true),
                        (Side::Request, false) => ("new-optional-request-property", false),
                        (Side::Response, true) => ("response-required-property-added", false),
                        (Side::Response, false) => ("response-optional-property-added", false),
                    };
                    self.push(
                        place,
                        rule,
                        format!(
                            "new {} property `{name}`",
                            if is_required { "required" } else { "optional" }
                        ),
                        breaks,
                        field(name),
                    );
                }
                Some(old_schema) => {
                    let was_required = old_req.contains(name);
                    if is_required != was_required {
                        let became = if is_required { "required" } else { "optional" };
                        // Sending: a newly required field breaks. Reading: a
                        // field that may now be absent breaks a required one.
                        let breaks = match side {
                            Side::Request => is_required,
                            Side::Response => !is_required,
                        };
                        self.push(
                            place,
                            &format!("{prefix}-property-became-{became}"),
                            format!("property `{name}` became {became}"),
                            breaks,
                            field(name),
                        );
                    }
                    let mut child = child;
                    // The child's changes touch the field of this type.
                    if reference(schema).is_none()
                        && !schema.get("properties").is_some_and(Value::is_object)
                        && schema.get("oneOf").is_none()
                    {
                        child.rust_type = place.rust_type.clone();
                    }
                    self.schema(&child, old_schema, schema);
                }
            }
        }
        for (name, _) in &old_props {
            if !new_props.contains_key(name) {
                let was_required = old_req.contains(name);
                let (rule, breaks) = match (side, was_required) {
                    (Side::Request, _) => ("request-property-removed", true),
                    (Side::Response, true) => ("response-required-property-removed", true),
                    (Side::Response, false) => ("response-optional-property-removed", false),
                };
                self.push(
                    place,
                    rule,
                    format!("property `{name}` removed"),
                    breaks,
                    field(name),
                );
            }
        }
    }

    /// `oneOf` alternatives, keyed by their tag value (event types) or name.
    fn variants(&mut self, place: &Place, old: &Value, new: &Value) {
        let (old_vars, new_vars) = (alternatives(old), alternatives(new));
        if old_vars.is_empty() && new_vars.is_empty() {
            return;
        }
        let prefix = place.side.prefix();
        let enum_type = place.rust_type.clone().unwrap_or_default();
        for (key, schema) in &new_vars {
            match old_vars.get(key) {
                None => {
                    self.push(
                        place,
                        &format!("{prefix}-property-one-of-added"),
                        format!("new alternative {key}"),
                        false,
                        vec![(enum_type.clone(), pascal(key))],
                    );
                }
                Some(old_schema) => {
                    let child = place.child(
                        key,
                        place
                            .rust_type
                            .as_ref()
                            .map(|t| format!("{t}::{}", pascal(key))),
                    );
                    self.schema(&child, old_schema, schema);
                }
            }
        }
        for key in old_vars.keys() {
            if !new_vars.contains_key(key) {
                let breaks = place.side == Side::Request;
                self.push(
                    place,
                    &format!("{prefix}-property-one-of-removed"),
                    format!("alternative {key} removed"),
                    breaks,
                    vec![(enum_type.clone(), pascal(key))],
                );
            }
        }
    }
}

/// `METHOD /path` → (operationId, operation).
fn operation_map(doc: &Value) -> BTreeMap<String, (String, Value)> {
    operations(doc)
        .into_iter()
        .map(|(path, method, op)| {
            let id = op
                .get("operationId")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            (format!("{} {path}", method.to_uppercase()), (id, op))
        })
        .collect()
}

fn client_method(id: &str) -> Vec<(String, String)> {
    vec![
        ("Client".into(), snake(id)),
        (format!("builder::{}", pascal(id)), String::new()),
    ]
}

/// (in, name) → parameter, references resolved.
fn params(doc: &Value, op: &Value) -> BTreeMap<(String, String), Value> {
    op.get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
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

fn responses(op: &Value) -> BTreeMap<String, Value> {
    op.get("responses")
        .and_then(Value::as_object)
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default()
}

/// The JSON schema of a request body or response, references resolved.
fn json_schema<'a>(doc: &'a Value, holder: Option<&'a Value>) -> Option<&'a Value> {
    let holder = follow_ref(doc, holder?);
    holder
        .get("content")?
        .as_object()?
        .iter()
        .find(|(t, _)| t.starts_with("application/json"))
        .and_then(|(_, media)| media.get("schema"))
}

/// The component a schema refers to, directly or as `allOf: [$ref]`.
fn reference(schema: &Value) -> Option<&str> {
    let direct = schema.get("$ref").and_then(Value::as_str);
    let wrapped = schema
        .get("allOf")
        .and_then(Value::as_array)
        .filter(|all| all.len() == 1)
        .and_then(|all| all[0].get("$ref"))
        .and_then(Value::as_str);
    direct
        .or(wrapped)
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
}

fn type_of(schema: &Value) -> String {
    let t = schema.get("type").and_then(Value::as_str).unwrap_or("any");
    match schema.get("format").and_then(Value::as_str) {
        Some(f) => format!("{t} ({f})"),
        None => t.to_string(),
    }
}

fn describe(schema: &Value) -> String {
    reference(schema).map_or_else(|| type_of(schema), |r| format!("`{r}`"))
}

fn alternatives(schema: &Value) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    for alt in schema
        .get("oneOf")
        .or_else(|| schema.get("anyOf"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let tag = alt
            .get("properties")
            .and_then(Value::as_object)
            .and_then(|props| {
                props.values().find_map(|p| {
                    p.get("enum")
                        .and_then(Value::as_array)
                        .filter(|v| v.len() == 1)
                        .and_then(|v| v[0].as_str())
                        .map(String::from)
                })
            });
        let key = tag
            .or_else(|| reference(alt).map(String::from))
            .unwrap_or_else(|| type_of(alt));
        out.insert(key, alt.clone());
    }
    out
}

fn docs_differ(old: &Value, new: &Value, keys: &[&str]) -> bool {
    keys.iter().any(|k| old.get(*k) != new.get(*k))
}

/// For each component schema, the sides (request, response) that use it.
fn sides(doc: &Value) -> BTreeMap<String, Vec<Side>> {
    let roots = roots(doc);
    let mut out: BTreeMap<String, Vec<Side>> = BTreeMap::new();
    for name in reachable(doc, &roots.requests) {
        out.entry(name).or_default().push(Side::Request);
    }
    for name in reachable(doc, &roots.responses) {
        out.entry(name).or_default().push(Side::Response);
    }
    out
}
