//! `cargo xtask vendor`: extract the OpenAPI document fenced in an upstream
//! reference page and store it verbatim under `specs/`, with its provenance.

use std::path::Path;

use anyhow::{anyhow, bail, Context, Result};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::workspace::{write_atomically, Workspace};

/// One vendored document: where it came from and the hash of its bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// File name under `specs/`, `<operationId>.yaml`.
    pub file: String,
    /// `METHOD /path` of the single operation the document describes.
    pub operation: String,
    pub operation_id: String,
    /// The reference page it was extracted from, relative to the workspace root.
    pub source_page: String,
    /// The page's title (its first `# ` heading).
    pub page_title: String,
    /// sha256 of the vendored bytes, i.e. of `specs/<file>`.
    pub sha256: String,
}

/// The provenance records, kept in `specs/provenance.yaml` sorted by file.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct ProvenanceFile {
    pub documents: Vec<Provenance>,
}

const PROVENANCE_HEADER: &str = "\
# Provenance of the vendored OpenAPI documents in this folder.
# Written by `cargo xtask vendor PAGE...`; verified by `cargo xtask regen --check`.
# Each document is the ```yaml fence of one upstream reference page, byte for byte.
";

impl ProvenanceFile {
    pub fn load(ws: &Workspace) -> Result<Self> {
        let path = ws.provenance_path();
        if !path.exists() {
            return Ok(Self::default());
        }
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {}", ws.display(&path)))?;
        serde_yaml::from_str(&text).map_err(|e| {
            anyhow!(
                "{}: malformed provenance YAML{}: {e}",
                ws.display(&path),
                yaml_location(&e)
            )
        })
    }

    pub fn render(&self) -> Result<String> {
        Ok(format!(
            "{PROVENANCE_HEADER}{}",
            serde_yaml::to_string(self)?
        ))
    }
}

/// `line L column C` of a YAML error, when it has one.
pub fn yaml_location(error: &serde_yaml::Error) -> String {
    error
        .location()
        .map(|l| format!(" at line {} column {}", l.line(), l.column()))
        .unwrap_or_default()
}

/// Hex sha256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A fenced block found in a page.
struct Fence<'a> {
    info: &'a str,
    body: &'a str,
    line: usize,
}

/// Every fenced code block of a Markdown page (backtick fences of 3 or more),
/// with its info string and its body exactly as written.
fn fences(page: &str) -> Vec<Fence<'_>> {
    let mut found = Vec::new();
    let mut offset = 0;
    let mut open: Option<(usize, &str, usize, usize)> = None; // (ticks, info, body start, line)
    for (index, line) in page.split_inclusive('\n').enumerate() {
        let trimmed = line.trim_end_matches(['\n', '\r']);
        let ticks = trimmed.chars().take_while(|c| *c == '`').count();
        match open {
            None if ticks >= 3 => {
                open = Some((
                    ticks,
                    trimmed[ticks..].trim(),
                    offset + line.len(),
                    index + 1,
                ));
            }
            Some((want, info, start, line_no))
                if ticks >= want && trimmed[ticks..].trim().is_empty() =>
            {
                found.push(Fence {
                    info,
                    body: &page[start..offset],
                    line: line_no,
                });
                open = None;
            }
            _ => {}
        }
        offset += line.len();
    }
    found
}

/// The OpenAPI document extracted from a page, with what identifies it.
#[derive(Debug)]
pub struct Extracted {
    pub body: String,
    pub operation: String,
    pub operation_id: String,
    pub page_title: String,
}

/// Finds the single ```yaml fence holding an OpenAPI document in `page`.
/// `name` is used in error messages.
pub fn extract(page: &str, name: &str) -> Result<Extracted> {
    let candidates: Vec<Fence> = fences(page)
        .into_iter()
        .filter(|f| f.info.split_whitespace().next() == Some("yaml"))
        .filter(|f| f.body.lines().any(|l| l.starts_with("openapi:")))
        .collect();
    let fence = match candidates.as_slice() {
        [one] => one,
        [] => bail!("{name}: no ```yaml fence holding an OpenAPI document (a top-level `openapi:` key)"),
        many => bail!(
            "{name}: {} ```yaml fences hold an OpenAPI document (at lines {}); expected exactly one",
            many.len(),
            many.iter().map(|f| f.line.to_string()).collect::<Vec<_>>().join(", ")
        ),
    };
    let doc: Value = serde_yaml::from_str(fence.body).map_err(|e| {
        // serde_yaml counts lines from the fence body; report page lines.
        let at = e
            .location()
            .map(|l| format!(" at page line {}", fence.line + l.line()))
            .unwrap_or_default();
        anyhow!("{name}: the OpenAPI fence is not valid YAML{at}: {e}")
    })?;
    let mut operations = Vec::new();
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            for (method, op) in item.as_object().into_iter().flatten() {
                if let Some(id) = op.get("operationId").and_then(Value::as_str) {
                    operations.push((format!("{} {path}", method.to_uppercase()), id.to_string()));
                }
            }
        }
    }
    let (operation, operation_id) = match operations.as_slice() {
        [one] => one.clone(),
        other => bail!(
            "{name}: the OpenAPI document must describe exactly one operation with an operationId, found {}",
            other.len()
        ),
    };
    if !operation_id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        bail!("{name}: operationId {operation_id:?} cannot name a file");
    }
    let page_title = page
        .lines()
        .find_map(|l| l.strip_prefix("# "))
        .unwrap_or("")
        .trim()
        .to_string();
    Ok(Extracted {
        body: fence.body.to_string(),
        operation,
        operation_id,
        page_title,
    })
}

/// Vendors each page: writes `specs/<operationId>.yaml` and updates the
/// provenance file. Every page is read and checked before anything is written.
pub fn vendor(
    ws: &Workspace,
    pages: &[String],
    source_name: Option<&str>,
) -> Result<Vec<Provenance>> {
    let mut provenance = ProvenanceFile::load(ws)?;
    let mut writes = Vec::new();
    let mut records = Vec::new();
    for page in pages {
        let (text, source_page) = if page == "-" {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
                .context("reading the page from stdin")?;
            (text, source_name.unwrap_or("-").to_string())
        } else {
            let path = Path::new(page);
            let text =
                std::fs::read_to_string(path).with_context(|| format!("reading page {page}"))?;
            (
                text,
                source_name
                    .map(str::to_string)
                    .unwrap_or_else(|| ws.relative_source(path)),
            )
        };
        let extracted = extract(&text, if page == "-" { "<stdin>" } else { page })?;
        let file = format!("{}.yaml", extracted.operation_id);
        if records.iter().any(|r: &Provenance| r.file == file) {
            bail!(
                "{page}: operation {} was already given by an earlier page",
                extracted.operation_id
            );
        }
        let record = Provenance {
            file: file.clone(),
            operation: extracted.operation,
            operation_id: extracted.operation_id,
            source_page,
            page_title: extracted.page_title,
            sha256: sha256_hex(extracted.body.as_bytes()),
        };
        writes.push((ws.specs_dir().join(&file), extracted.body));
        records.push(record);
    }
    for record in &records {
        provenance.documents.retain(|d| d.file != record.file);
        provenance.documents.push(record.clone());
    }
    provenance.documents.sort_by(|a, b| a.file.cmp(&b.file));
    writes.push((ws.provenance_path(), provenance.render()?));
    for (path, content) in &writes {
        write_atomically(path, content.as_bytes())?;
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      operationId: getA\n      responses: {}\n";

    #[test]
    fn extracts_a_four_backtick_fence_verbatim() {
        let page = format!("# Get A\n\ntext\n\n````yaml get /a\n{DOC}\n````\n");
        let e = extract(&page, "page").unwrap();
        assert_eq!(e.body, format!("{DOC}\n"));
        assert_eq!(e.operation, "GET /a");
        assert_eq!(e.operation_id, "getA");
        assert_eq!(e.page_title, "Get A");
    }

    #[test]
    fn a_page_without_a_fence_is_an_error() {
        let err = extract("# nothing here\n```json\n{}\n```\n", "p.txt")
            .unwrap_err()
            .to_string();
        assert!(err.contains("p.txt: no ```yaml fence"), "{err}");
    }

    #[test]
    fn a_page_with_two_fences_is_an_error_naming_their_lines() {
        let page = format!("```yaml\n{DOC}```\n\n```yaml\n{DOC}```\n");
        let err = extract(&page, "p.txt").unwrap_err().to_string();
        assert!(err.contains("2 ```yaml fences"), "{err}");
        assert!(err.contains("lines 1, 11"), "{err}");
    }

    #[test]
    fn malformed_yaml_names_the_page_line() {
        let page = "# T\n```yaml\nopenapi: 3.1.0\npaths: [\n```\n";
        let err = extract(page, "p.txt").unwrap_err().to_string();
        assert!(
            err.contains("p.txt: the OpenAPI fence is not valid YAML at page line"),
            "{err}"
        );
    }
}
