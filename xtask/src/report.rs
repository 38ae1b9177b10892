//! The conversion report: everything the pipeline changed in the upstream API
//! that is not an exact 3.1 → 3.0 equivalent, committed beside the merged
//! document so that `cargo xtask regen --check` shows a new entry in review.
//!
//! Stages record entries with pointers into the document they work on; regen
//! renders them with [`Report::render`], which names the vendored file behind
//! each pointer.

use std::collections::BTreeSet;

/// A keyword removed because its removal cannot change a generated Rust type or
/// what the client sends.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Dropped {
    /// JSON pointer of the keyword in the merged document.
    pub pointer: String,
    /// Why removing it is safe.
    pub why: String,
}

/// A schema moved to `components/schemas` (a `$defs` entry, a schema found by
/// its `$id`), so its generated type has this name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Moved {
    pub from: String,
    pub name: String,
}

/// A schema used by requests and responses whose `readOnly`/`writeOnly`
/// properties make the two differ: `request` is the requests' copy.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Split {
    pub name: String,
    pub request: String,
}

/// A component schema the generated client does not have, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct LeftOutSchema {
    pub name: String,
    /// JSON pointer, in the merged document, of what decided it.
    pub pointer: String,
    pub reason: String,
}

/// A local `$ref` that names nothing in the vendored documents, read as any
/// JSON until the overlay supplies the schema.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Unresolved {
    /// JSON pointer of the `$ref` keyword.
    pub pointer: String,
    /// The reference as written.
    pub reference: String,
}

/// An operationId the pipeline made up: upstream gave none, or the one it
/// gave would name a method the client has already.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct DerivedId {
    /// `METHOD /path`.
    pub operation: String,
    pub operation_id: String,
    /// Why: `upstream gives none`, or the collision.
    pub why: String,
}

/// An operation the generated client does not have, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct LeftOut {
    /// `METHOD /path`.
    pub operation: String,
    pub operation_id: String,
    /// JSON pointer, in the merged document, of what decided it: the
    /// operation, or the schema or keyword inside it.
    pub pointer: String,
    pub reason: String,
    /// The hand-written method that covers it, when `opencx-api` has one.
    pub hand_written: Option<String>,
}

/// Everything one regen recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub dropped: BTreeSet<Dropped>,
    pub moved: BTreeSet<Moved>,
    pub derived_ids: BTreeSet<DerivedId>,
    pub left_out: BTreeSet<LeftOut>,
    pub left_out_schemas: BTreeSet<LeftOutSchema>,
    pub unresolved: BTreeSet<Unresolved>,
    pub split: BTreeSet<Split>,
    /// What the pipeline supplied that the document left out.
    pub repaired: BTreeSet<Dropped>,
    /// String checks kept on schemas both requests and responses use.
    pub shared_checks: BTreeSet<String>,
    /// Operations the contract tests cannot exercise (the operation's
    /// pointer), and why.
    pub untested: BTreeSet<Dropped>,
}

impl Report {
    /// Records a codegen-neutral drop.
    pub fn drop(&mut self, pointer: impl Into<String>, why: impl Into<String>) {
        self.dropped.insert(Dropped {
            pointer: pointer.into(),
            why: why.into(),
        });
    }

    /// Adds every entry of `other`.
    pub fn extend(&mut self, other: Report) {
        self.dropped.extend(other.dropped);
        self.moved.extend(other.moved);
        self.derived_ids.extend(other.derived_ids);
        self.left_out.extend(other.left_out);
        self.left_out_schemas.extend(other.left_out_schemas);
        self.unresolved.extend(other.unresolved);
        self.split.extend(other.split);
        self.repaired.extend(other.repaired);
        self.shared_checks.extend(other.shared_checks);
        self.untested.extend(other.untested);
    }

    /// The regen warnings: one line per operation left out of the client,
    /// naming the vendored file and the JSON pointer there (`describe` turns
    /// a merged-document pointer into `file#pointer`).
    pub fn warnings(&self, describe: &dyn Fn(&str) -> String) -> Vec<String> {
        let unresolved = self.unresolved.iter().map(|u| {
            format!(
                "{}: `$ref` {} names nothing in the vendored documents; read and sent as any \
                 JSON (`serde_json::Value`) until specs/overlay.yaml gives its schema",
                describe(&u.pointer),
                u.reference
            )
        });
        let repaired = self
            .repaired
            .iter()
            .map(|d| format!("{}: {}", describe(&d.pointer), d.why));
        let left_out = self.left_out.iter().map(|op| {
            let covered = match &op.hand_written {
                Some(method) => format!("; covered by the hand-written `{method}`"),
                None => String::new(),
            };
            format!(
                "{}: {} ({}) is left out of the generated client: {}{covered}",
                describe(&op.pointer),
                op.operation,
                op.operation_id,
                op.reason
            )
        });
        let schemas = self.left_out_schemas.iter().map(|schema| {
            format!(
                "{}: schema {} is left out of the generated client: {}",
                describe(&schema.pointer),
                schema.name,
                schema.reason
            )
        });
        let checks = self.shared_checks.iter().map(|pointer| {
            format!(
                "{}: a string check in a schema both requests and responses use is kept, so an \
                 answer that breaks it fails to decode; give requests and responses their own \
                 schemas in specs/overlay.yaml to read such answers",
                describe(pointer)
            )
        });
        let untested = self.untested.iter().map(|d| {
            format!(
                "{}: no contract test for this operation: {}",
                describe(&d.pointer),
                d.why
            )
        });
        unresolved
            .chain(repaired)
            .chain(schemas)
            .chain(left_out)
            .chain(checks)
            .chain(untested)
            .collect()
    }

    /// The committed Markdown. `describe` turns a merged-document pointer into
    /// `file#pointer`.
    pub fn render(&self, describe: &dyn Fn(&str) -> String) -> String {
        // A pointer into a moved schema is shown where upstream has it.
        let upstream = |pointer: &str| {
            for moved in &self.moved {
                let new = format!(
                    "/components/schemas/{}",
                    crate::pointer::escape(&moved.name)
                );
                if let Some(rest) = pointer.strip_prefix(&new) {
                    if rest.is_empty() || rest.starts_with('/') {
                        return describe(&format!("{}{rest}", moved.from));
                    }
                }
            }
            describe(pointer)
        };
        let describe = &upstream;
        let mut out = String::from(
            "# Conversion report\n\n\
             Written by `cargo xtask regen`; do not edit. What the pipeline did to the upstream\n\
             API beyond exact OpenAPI 3.1 → 3.0 equivalents. Review every new line.\n",
        );
        section(
            &mut out,
            "Operations left out of the generated client",
            "| operation | operationId | where | reason | hand-written method |\n| --- | --- | --- | --- | --- |",
            self.left_out.iter().map(|op| {
                format!(
                    "| `{}` | `{}` | `{}` | {} | {} |",
                    op.operation,
                    op.operation_id,
                    describe(&op.pointer),
                    cell(&op.reason),
                    op.hand_written
                        .as_deref()
                        .map_or("none".to_string(), |m| format!("`{m}`"))
                )
            }),
        );
        section(
            &mut out,
            "Schemas left out of the generated client",
            "| schema | where | reason |\n| --- | --- | --- |",
            self.left_out_schemas.iter().map(|schema| {
                format!(
                    "| `{}` | `{}` | {} |",
                    schema.name,
                    describe(&schema.pointer),
                    cell(&schema.reason)
                )
            }),
        );
        section(
            &mut out,
            "Operations without a contract test",
            "| where | why |\n| --- | --- |",
            self.untested
                .iter()
                .map(|d| format!("| `{}` | {} |", describe(&d.pointer), cell(&d.why))),
        );
        section(
            &mut out,
            "Unresolved references (read as any JSON)",
            "| where | reference |\n| --- | --- |",
            self.unresolved
                .iter()
                .map(|u| format!("| `{}` | `{}` |", describe(&u.pointer), u.reference)),
        );
        section(
            &mut out,
            "Supplied where the document is incomplete",
            "| where | what |\n| --- | --- |",
            self.repaired
                .iter()
                .map(|d| format!("| `{}` | {} |", describe(&d.pointer), cell(&d.why))),
        );
        section(
            &mut out,
            "Request and response types of one schema (readOnly, writeOnly)",
            "| schema (responses) | request type |\n| --- | --- |",
            self.split
                .iter()
                .map(|s| format!("| `{}` | `{}` |", s.name, s.request)),
        );
        section(
            &mut out,
            "String checks kept on schemas requests and responses share",
            "| where |\n| --- |",
            self.shared_checks
                .iter()
                .map(|p| format!("| `{}` |", describe(p))),
        );
        section(
            &mut out,
            "Derived operationIds",
            "| operation | operationId | why |\n| --- | --- | --- |",
            self.derived_ids.iter().map(|d| {
                format!(
                    "| `{}` | `{}` | {} |",
                    d.operation,
                    d.operation_id,
                    cell(&d.why)
                )
            }),
        );
        section(
            &mut out,
            "Schemas moved to components/schemas",
            "| from | type name |\n| --- | --- |",
            self.moved
                .iter()
                .map(|m| format!("| `{}` | `{}` |", describe(&m.from), m.name)),
        );
        section(
            &mut out,
            "Dropped keywords (codegen-neutral)",
            "| where | why it is safe |\n| --- | --- |",
            self.dropped
                .iter()
                .map(|d| format!("| `{}` | {} |", describe(&d.pointer), cell(&d.why))),
        );
        out
    }
}

fn section(out: &mut String, title: &str, head: &str, rows: impl Iterator<Item = String>) {
    let rows: Vec<String> = rows.collect();
    out.push_str(&format!("\n## {title}\n\n"));
    if rows.is_empty() {
        out.push_str("None.\n");
    } else {
        out.push_str(head);
        out.push('\n');
        for row in rows {
            out.push_str(&row);
            out.push('\n');
        }
    }
}

/// Text safe inside a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_every_section_sorted_and_names_files() {
        let mut report = Report::default();
        report.drop("/b/contains", "validation only");
        report.drop("/a/contains", "validation | only");
        report.left_out.insert(LeftOut {
            operation: "POST /files".into(),
            operation_id: "uploadFile".into(),
            pointer: "/paths/~1files/post/requestBody".into(),
            reason: "multipart/form-data".into(),
            hand_written: Some("Client::upload_file".into()),
        });
        let text = report.render(&|p| format!("x.yaml#{p}"));
        let a = text.find("x.yaml#/a/contains").unwrap();
        let b = text.find("x.yaml#/b/contains").unwrap();
        assert!(a < b, "{text}");
        assert!(text.contains("validation \\| only"), "{text}");
        assert!(
            text.contains(
                "| `POST /files` | `uploadFile` | `x.yaml#/paths/~1files/post/requestBody` | multipart/form-data | `Client::upload_file` |"
            ),
            "{text}"
        );
        assert!(
            text.contains("## Derived operationIds\n\nNone.\n"),
            "{text}"
        );
        assert_eq!(
            report.warnings(&|p| format!("x.yaml#{p}")),
            ["x.yaml#/paths/~1files/post/requestBody: POST /files (uploadFile) is left out of the generated client: multipart/form-data; covered by the hand-written `Client::upload_file`"]
        );
    }
}
