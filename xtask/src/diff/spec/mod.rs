//! Changes between two merged 3.0 documents, in API terms: operations,
//! parameters, bodies, fields and enum values, each with a rule id (oasdiff's
//! where it has one), where it is (`at`, `name`) and the wire verdict.
//!
//! Schemas are read the way the code generator reads them ([`view`]):
//! `allOf` branches as one object, nullability apart from the type, `const`
//! as a one-value enum. A change inside a named type (`components/schemas`)
//! is reported once under that type, per side (request, response) that uses
//! it; inline schemas under the operation that holds them. Operations are
//! matched by method and path template with parameter names ignored, so a
//! renamed path parameter or operationId is the same operation.
//! `tests/fixtures/history/README.md` is the specification, held against
//! real upstream histories by `tests/tests/history.rs`.

mod operations;
mod parameters;
mod properties;
mod schemas;
mod types;
mod view;

use serde_json::Value;

use super::{Change, Subject};
use crate::relax::{reachable, roots};

/// Which way a schema travels, which decides what breaks a program.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
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

/// Where a schema stands: what it is reported under, which way it travels,
/// its path (`body.items[]`, `200.data`, `` for a component's root), and the
/// Rust type that holds its fields, for the Rust verdict.
#[derive(Clone)]
struct Place {
    subject: Subject,
    side: Side,
    at: String,
    rust_type: Option<String>,
}

impl Place {
    /// The place of property `name` of this object.
    fn property(&self, name: &str, rust_type: Option<String>) -> Place {
        Place {
            at: if self.at.is_empty() {
                name.to_string()
            } else {
                format!("{}.{name}", self.at)
            },
            rust_type,
            ..self.clone()
        }
    }

    /// The place of this schema's items (`[]`) or map values (`{}`).
    fn inner(&self, marker: &str, rust_type: Option<String>) -> Place {
        Place {
            at: format!("{}{marker}", self.at),
            rust_type,
            ..self.clone()
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
        resolving: Vec::new(),
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
    /// The pairs of differently named types being compared by what they
    /// stand for, innermost last (see `Differ::schema`).
    resolving: Vec<(Option<String>, Option<String>)>,
}

/// One change, before it becomes a [`Change`].
struct Found<'p> {
    place: &'p Place,
    rule: String,
    /// The property, parameter, enum value or wrapper the change is about;
    /// empty for the schema at `place` as a whole.
    name: String,
    detail: String,
    wire_breaking: bool,
    rust: Vec<(String, String)>,
}

impl Differ<'_> {
    /// Records a change at `place` (its `at`), about `name`.
    fn push(&mut self, found: Found<'_>) {
        let Found {
            place,
            rule,
            name,
            detail,
            wire_breaking,
            rust,
        } = found;
        let shown = if place.at.is_empty() {
            detail
        } else {
            format!("`{}`: {detail}", place.at)
        };
        self.changes.push(Change::new(
            place.subject.clone(),
            &rule,
            shown,
            wire_breaking,
            rust,
            place.at.clone(),
            name,
        ));
    }
}

/// Whether any of `keys` (descriptions, summaries, examples) differs.
fn docs_differ(old: &Value, new: &Value, keys: &[&str]) -> bool {
    keys.iter().any(|k| old.get(*k) != new.get(*k))
}

/// For each component schema, the sides (request, response) that use it.
fn sides(doc: &Value) -> std::collections::BTreeMap<String, Vec<Side>> {
    let roots = roots(doc);
    let mut out: std::collections::BTreeMap<String, Vec<Side>> = Default::default();
    for name in reachable(doc, &roots.requests) {
        out.entry(name).or_default().push(Side::Request);
    }
    for name in reachable(doc, &roots.responses) {
        out.entry(name).or_default().push(Side::Response);
    }
    out
}

#[cfg(test)]
mod tests;
