//! Reading what `cargo xtask vendor` is given: a reference page or a bare
//! OpenAPI document, told apart by their text, and what the document in it
//! describes.

use anyhow::{anyhow, bail, Result};
use serde_json::Value;

use super::page;
use super::provenance::{yaml_location, Operation, SourceFormat};
use crate::operation_id;
use crate::pointer::join;

/// The OpenAPI document found in a page or a bare document, with what
/// identifies it.
#[derive(Debug)]
pub struct Extracted {
    /// The bytes to vendor: a page's fence body, or the whole bare document.
    pub body: String,
    /// What the source was.
    pub format: SourceFormat,
    /// The `openapi` version, 3.0.x or 3.1.x.
    pub openapi: String,
    /// `info.title`, when the document has one.
    pub info_title: Option<String>,
    /// A page's first `# ` heading; empty for bare documents.
    pub page_title: String,
    /// Every operation under `paths`, in document order, with its operationId
    /// or a derived one.
    pub operations: Vec<Operation>,
}

/// Reads `text` as a reference page or a bare OpenAPI document (YAML or JSON,
/// 3.0.x or 3.1.x) and returns the document to vendor. `name` (the input's
/// path, or `<stdin>`) begins every error message, which also says where:
/// a line and column, or a JSON pointer.
///
/// `regen --check` calls this on a record's source to see whether the vendored
/// file still equals it: compare [`Extracted::body`] with the file.
pub fn extract(text: &str, name: &str) -> Result<Extracted> {
    // A byte order mark is kept in the vendored bytes but is no part of the text.
    let content = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (body, format, doc, page_title) = if content.trim_start().starts_with('{') {
        let doc = parse_json(content, name)?;
        (text, SourceFormat::Json, doc, String::new())
    } else if is_bare_yaml(content) {
        let doc = parse_yaml(content, name, 0)?;
        (text, SourceFormat::Yaml, doc, String::new())
    } else {
        let fence = page::openapi_fence(content, name)?;
        // serde_yaml counts lines from the fence body; report page lines.
        let doc = parse_yaml(fence.body, name, fence.line)?;
        (fence.body, SourceFormat::Page, doc, page::title(content))
    };
    let Some(map) = doc.as_object() else {
        bail!("{name}: the OpenAPI document is not a mapping");
    };
    let openapi = match map.get("openapi") {
        Some(Value::String(v)) if v.starts_with("3.0.") || v.starts_with("3.1.") => v.clone(),
        Some(Value::String(v)) => {
            bail!("{name}#/openapi: version {v:?} is not supported; expected 3.0.x or 3.1.x")
        }
        Some(other) => {
            bail!("{name}#/openapi: expected a version string such as \"3.1.0\", found {other}")
        }
        None => bail!("{name}: no top-level `openapi` key; not an OpenAPI document"),
    };
    let info_title = map
        .get("info")
        .and_then(|info| info.get("title"))
        .and_then(Value::as_str)
        .map(str::to_string);
    Ok(Extracted {
        body: body.to_string(),
        format,
        openapi,
        info_title,
        page_title,
        operations: operations(&doc, name)?,
    })
}

/// A bare YAML document has a top-level `openapi:` key outside any Markdown
/// fence; a page has it only inside its fence. Decided on the text, not on a
/// successful parse, so that a malformed bare document is reported as one.
fn is_bare_yaml(text: &str) -> bool {
    let fences = page::fences(text);
    text.lines().enumerate().any(|(index, line)| {
        line.starts_with("openapi:") && !fences.iter().any(|f| f.covers(index + 1))
    })
}

/// Parses a vendored file by its extension (`.json` as JSON, anything else as
/// YAML), with errors naming `file` and the line and column.
pub fn parse_vendored(text: &str, file: &str) -> Result<Value> {
    let content = text.strip_prefix('\u{feff}').unwrap_or(text);
    if file.ends_with(".json") {
        parse_json(content, file)
    } else {
        parse_yaml(content, file, 0)
    }
}

/// Parses JSON; an error names `name` and the line and column.
fn parse_json(text: &str, name: &str) -> Result<Value> {
    serde_json::from_str(text).map_err(|e| {
        // serde_json's message ends with the location, which is said first here.
        let message = e.to_string();
        let message = message
            .rsplit_once(" at line ")
            .map_or(message.as_str(), |(head, _)| head);
        anyhow!(
            "{name}: malformed JSON at line {} column {}: {message}",
            e.line(),
            e.column()
        )
    })
}

/// Parses YAML found `lines_before` lines into `name`; an error names the line
/// of `name` (not of the parsed text) and the column.
fn parse_yaml(text: &str, name: &str, lines_before: usize) -> Result<Value> {
    serde_yaml::from_str(text).map_err(|e| {
        if lines_before == 0 {
            return anyhow!("{name}: malformed YAML{}: {e}", yaml_location(&e));
        }
        let at = e
            .location()
            .map(|l| {
                format!(
                    " at page line {} column {}",
                    lines_before + l.line(),
                    l.column()
                )
            })
            .unwrap_or_default();
        let message = on_the_page(&e.to_string(), lines_before);
        // serde_yaml's message usually ends with the place already.
        let at = if message.contains("at page line") {
            ""
        } else {
            &at
        };
        anyhow!("{name}: the OpenAPI fence is not valid YAML{at}: {message}")
    })
}

/// A YAML error's own `at line N` places counted on the page, as the
/// message's first place is: one numbering in one message.
fn on_the_page(message: &str, lines_before: usize) -> String {
    let mut out = String::new();
    let mut rest = message;
    while let Some(i) = rest.find("at line ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + "at line ".len()..];
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        match after[..digits].parse::<usize>() {
            Ok(line) => out.push_str(&format!("at page line {}", line + lines_before)),
            Err(_) => out.push_str("at line "),
        }
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

/// Every operation under `paths`, in document order, those of a path item
/// that `paths` refers to with `$ref` included (counted as regen reads them,
/// [`crate::operations::listed`]). An operation without an operationId gets
/// [`operation_id::derive`]d one.
fn operations(doc: &Value, name: &str) -> Result<Vec<Operation>> {
    let Some(paths) = doc.get("paths") else {
        return Ok(Vec::new());
    };
    let Some(paths) = paths.as_object() else {
        bail!("{name}#/paths: expected a mapping of paths");
    };
    for (path, item) in paths {
        // `x-` keys of the Paths Object are extensions, not paths.
        if !item.is_object() && !path.starts_with("x-") {
            bail!(
                "{name}#{}: expected a path item (a mapping)",
                join("/paths", path)
            );
        }
    }
    let mut found = Vec::new();
    for listed in crate::operations::listed(doc) {
        let (operation_id, operation_id_derived) = match listed.operation.get("operationId") {
            None => (operation_id::derive(&listed.method, &listed.path), true),
            Some(Value::String(id)) => (id.clone(), false),
            Some(other) => bail!(
                "{name}#{}: expected a string, found {other}",
                join(&listed.pointer, "operationId")
            ),
        };
        found.push(Operation {
            operation: listed.name(),
            operation_id,
            operation_id_derived,
        });
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses: {}\n";

    #[test]
    fn a_page_gives_its_fence_verbatim() {
        let page = format!("# Get A\n\ntext\n\n````yaml get /a\n{DOC}\n````\n");
        let e = extract(&page, "page").unwrap();
        assert_eq!(e.body, format!("{DOC}\n"));
        assert_eq!(e.format, SourceFormat::Page);
        assert_eq!(e.operations[0].operation, "GET /a");
        assert_eq!(e.operations[0].operation_id, "getA");
        assert_eq!(e.page_title, "Get A");
        assert_eq!(e.info_title.as_deref(), Some("t"));
    }

    #[test]
    fn a_bare_yaml_document_is_vendored_whole() {
        let e = extract(DOC, "a.yaml").unwrap();
        assert_eq!(e.body, DOC);
        assert_eq!(e.format, SourceFormat::Yaml);
        assert_eq!(e.openapi, "3.1.0");
        assert_eq!(e.page_title, "");
    }

    #[test]
    fn a_bare_json_document_keeps_its_bytes_and_derives_missing_ids() {
        let json = "\u{feff}{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"API\"},\n \"paths\": {\"/a/{id}\": {\"parameters\": [], \"get\": {}, \"delete\": {\"operationId\": \"delA\"}}}}";
        let e = extract(json, "api.json").unwrap();
        assert_eq!(e.body, json);
        assert_eq!(e.format, SourceFormat::Json);
        let ops: Vec<_> = e
            .operations
            .iter()
            .map(|o| {
                (
                    o.operation.as_str(),
                    o.operation_id.as_str(),
                    o.operation_id_derived,
                )
            })
            .collect();
        assert_eq!(
            ops,
            [
                ("GET /a/{id}", "get_a_by_id", true),
                ("DELETE /a/{id}", "delA", false)
            ]
        );
    }

    #[test]
    fn errors_say_where() {
        let err = |text: &str| extract(text, "in").unwrap_err().to_string();
        let e = err("{\"openapi\": \"3.0.3\",\n \"paths\": {,}}");
        assert!(
            e.starts_with("in: malformed JSON at line 2 column 12: "),
            "{e}"
        );
        assert!(!e.contains(" at line 2 column 12\n"), "{e}");
        let e = err("openapi: 3.1.0\npaths: [\n");
        assert!(e.starts_with("in: malformed YAML at line"), "{e}");
        let e = err("# T\n```yaml\nopenapi: 3.1.0\npaths: [a,\n  b: [\n```\n");
        assert!(
            e.starts_with("in: the OpenAPI fence is not valid YAML: "),
            "{e}"
        );
        // Every place in the message is counted on the page, none in the fence.
        assert!(!e.contains("at line"), "{e}");
        assert!(e.contains("at page line 6"), "{e}");
        let e = err("openapi: 2.0.0\n");
        assert!(
            e.contains("in#/openapi: version \"2.0.0\" is not supported"),
            "{e}"
        );
        let e = err("openapi: 3.1\n");
        assert!(e.contains("in#/openapi: expected a version string"), "{e}");
        let e = err("{\"swagger\": \"2.0\"}");
        assert!(e.contains("in: no top-level `openapi` key"), "{e}");
        let e = err("openapi: 3.0.0\npaths:\n  /a~b/c:\n    get: {operationId: 7}\n");
        assert!(
            e.contains("in#/paths/~1a~0b~1c/get/operationId: expected a string"),
            "{e}"
        );
    }

    #[test]
    fn vendored_files_parse_by_extension() {
        assert!(parse_vendored("{\"a\": 1}", "specs/x.json").is_ok());
        let e = parse_vendored("a: [", "specs/x.yaml")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("specs/x.yaml: malformed YAML at line"), "{e}");
        let e = parse_vendored("a: 1", "specs/x.json")
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("specs/x.json: malformed JSON at line 1 column 1"),
            "{e}"
        );
    }
}
