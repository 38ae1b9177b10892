//! Down-conversion of an OpenAPI document to the 3.0.3 that progenitor accepts.
//!
//! Every construct gets one of three treatments:
//! 1. **exact**: 3.0 has an equivalent, and the construct is rewritten to it
//!    (`const` → `enum`, type lists → `nullable`/`oneOf`, `$defs` hoisted...);
//! 2. **codegen-neutral**: a validation keyword whose removal cannot change a
//!    generated Rust type or what the client sends; it is dropped and recorded
//!    in the [`Report`] with its pointer and why that is safe;
//! 3. **refused**: no sound lowering exists; the error names the pointer, what
//!    the keyword means and the overlay entry that would settle it.
//!
//! Nothing is dropped without one of these rules. A 3.0 document, or the part
//! of a merged document that came from one, is validated and left as it is.

mod document;
mod event_streams;
mod references;
mod schema;
mod type_list;

use std::cell::{Cell, RefCell};
use std::fmt;

use serde_json::{Map, Value};

use crate::pointer::join;
use crate::report::Report;

pub use document::convert_document;
pub use schema::discriminating_property;

/// A construct the converter refuses, and where it stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConvertError {
    pub pointer: String,
    pub message: String,
}

impl fmt::Display for ConvertError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}: {}", self.pointer, self.message)
    }
}

impl std::error::Error for ConvertError {}

/// The converter's result type.
pub type Result<T> = std::result::Result<T, ConvertError>;

fn fail<T>(at: &str, message: impl Into<String>) -> Result<T> {
    Err(ConvertError {
        pointer: at.to_string(),
        message: message.into(),
    })
}

/// A refusal: what the construct means, and how an overlay patch settles it.
fn refuse<T>(at: &str, keyword: &str, meaning: &str) -> Result<T> {
    let parent = at.rsplit_once('/').map_or(at, |(parent, _)| parent);
    fail(
        at,
        format!(
            "`{keyword}` ({meaning}) has no sound OpenAPI 3.0 lowering; settle it in \
             specs/overlay.yaml with a patch that replaces the schema, e.g.\n  \
             - at: {parent}\n    why: <why the replacement is right>\n    expect: <the schema as upstream has it>\n    \
             set: <an equivalent schema without `{keyword}`>"
        ),
    )
}

/// The version written into converted documents.
pub const TARGET_VERSION: &str = "3.0.3";

/// Which OpenAPI version a part of a document is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// 3.0.x: validated and passed through unchanged.
    OpenApi30,
    /// 3.1.x: converted. 3.0's `nullable` and boolean exclusive bounds are read
    /// as the 3.0 keywords they are (Fastify's swagger plugin writes them).
    OpenApi31,
}

impl Dialect {
    /// The dialect of an `openapi` version string, if it is one we read.
    ///
    /// ```
    /// use xtask::convert::Dialect;
    /// assert_eq!(Dialect::from_version("3.0.0"), Some(Dialect::OpenApi30));
    /// assert_eq!(Dialect::from_version("3.1.1"), Some(Dialect::OpenApi31));
    /// assert_eq!(Dialect::from_version("2.0"), None);
    /// ```
    pub fn from_version(version: &str) -> Option<Self> {
        if version.starts_with("3.0.") {
            Some(Self::OpenApi30)
        } else if version.starts_with("3.1.") {
            Some(Self::OpenApi31)
        } else {
            None
        }
    }

    /// The dialect of a whole document, from its `openapi` field.
    pub fn of(doc: &Value) -> Result<Self> {
        let version = doc.get("openapi").and_then(Value::as_str).unwrap_or("");
        Self::from_version(version).map_or_else(
            || {
                fail(
                    "/openapi",
                    format!("expected an OpenAPI 3.0.x or 3.1.x document, found {version:?}"),
                )
            },
            Ok,
        )
    }
}

/// One conversion: the dialect of the part being converted, and the report.
pub struct Converter<'a> {
    dialect_of: &'a dyn Fn(&str) -> Dialect,
    dialect: Cell<Dialect>,
    report: RefCell<Report>,
}

impl<'a> Converter<'a> {
    /// A converter that asks `dialect_of(pointer)` for the dialect of each
    /// operation and component (in a merged document they can differ).
    pub fn new(dialect_of: &'a dyn Fn(&str) -> Dialect) -> Self {
        Self {
            dialect_of,
            dialect: Cell::new(Dialect::OpenApi31),
            report: RefCell::new(Report::default()),
        }
    }

    /// What the conversion dropped and moved.
    pub fn into_report(self) -> Report {
        self.report.into_inner()
    }

    fn enter(&self, at: &str) {
        self.dialect.set((self.dialect_of)(at));
    }

    fn is_30(&self) -> bool {
        self.dialect.get() == Dialect::OpenApi30
    }

    fn dropped(&self, at: &str, why: &str) {
        self.report.borrow_mut().drop(at, why);
    }

    /// Refuses a 3.1-only construct inside a 3.0 document.
    fn only_31(&self, at: &str, what: &str) -> Result<()> {
        if self.is_30() {
            return fail(
                at,
                format!("{what} is OpenAPI 3.1 only, but this part of the document declares 3.0"),
            );
        }
        Ok(())
    }

    fn map(&self, value: &Value, at: &str, each: Each<'_, 'a>) -> Result<Value> {
        let mut out = Map::new();
        for (key, item) in mapping(value, at)? {
            out.insert(key.clone(), each(self, item, &join(at, key))?);
        }
        Ok(Value::Object(out))
    }

    fn list(&self, value: &Value, at: &str, each: Each<'_, 'a>) -> Result<Value> {
        let Some(items) = value.as_array() else {
            return fail(at, "expected a list");
        };
        items
            .iter()
            .enumerate()
            .map(|(i, item)| each(self, item, &join(at, &i.to_string())))
            .collect::<Result<Vec<_>>>()
            .map(Value::Array)
    }
}

type Each<'f, 'a> = &'f dyn Fn(&Converter<'a>, &Value, &str) -> Result<Value>;

/// Converts one 3.1 schema on its own; what it drops is discarded.
///
/// ```
/// use serde_json::json;
/// let out = xtask::convert::convert_schema(&json!({"type": ["string", "null"]}), "/s").unwrap();
/// assert_eq!(out, json!({"type": "string", "nullable": true}));
/// ```
pub fn convert_schema(schema: &Value, at: &str) -> Result<Value> {
    Converter::new(&|_| Dialect::OpenApi31).schema(schema, at)
}

fn mapping<'v>(value: &'v Value, at: &str) -> Result<&'v Map<String, Value>> {
    value
        .as_object()
        .map_or_else(|| fail(at, "expected a mapping"), Ok)
}

#[cfg(test)]
mod tests;
