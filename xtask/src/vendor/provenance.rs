//! `specs/provenance.yaml`: where each vendored document came from, what it
//! describes and the hash of its bytes.
//!
//! Fields that only some records have are left out when empty, so records of
//! one-operation reference pages read exactly as they did before bare documents
//! could be vendored.

use anyhow::{anyhow, Context, Result};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::workspace::Workspace;

/// What a vendored document was taken from, which decides how `regen --check`
/// compares it with its source and which extension it is stored under.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceFormat {
    /// An upstream reference page (Markdown); the document is its ```yaml fence.
    #[default]
    Page,
    /// A bare OpenAPI document in YAML, vendored whole.
    Yaml,
    /// A bare OpenAPI document in JSON, vendored whole.
    Json,
}

impl SourceFormat {
    /// The extension of the vendored file: a page's fence is YAML.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Page | Self::Yaml => "yaml",
            Self::Json => "json",
        }
    }

    fn is_page(&self) -> bool {
        *self == Self::Page
    }
}

/// One operation of a vendored document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Operation {
    /// `METHOD /path`.
    pub operation: String,
    /// The document's operationId, or the one [`crate::operation_id::derive`]
    /// gives when it has none.
    pub operation_id: String,
    /// The document gives no operationId; `operation_id` is derived.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub operation_id_derived: bool,
}

/// One vendored document: where it came from and the hash of its bytes.
///
/// A one-operation document (every reference page) records its operation in
/// `operation`/`operation_id`; a document with several lists them in
/// `operations`. [`Provenance::operations`] gives either as a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// File name under `specs/`: `<operationId>.yaml` for a one-operation
    /// document, `<name>.yaml` or `<name>.json` for a whole API.
    pub file: String,
    /// `METHOD /path` of the single operation the document describes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// The single operation's operationId (derived when the document has none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation_id: Option<String>,
    /// The single operation has no operationId upstream; `operation_id` is derived.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub operation_id_derived: bool,
    /// Where it was taken from: a path relative to the workspace root, `-` for
    /// stdin, or what `--source` said.
    pub source_page: String,
    /// A reference page's title (its first `# ` heading); empty for bare documents.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub page_title: String,
    /// What the source was (left out for pages).
    #[serde(default, skip_serializing_if = "SourceFormat::is_page")]
    pub format: SourceFormat,
    /// The document's `openapi` version (recorded for bare documents).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub openapi: Option<String>,
    /// A bare document's `info.title`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Every operation of a document that describes more than one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub operations: Vec<Operation>,
    /// sha256 of the vendored bytes, i.e. of `specs/<file>`.
    pub sha256: String,
}

impl Provenance {
    /// Every operation the document describes, whichever way it is recorded.
    pub fn operations(&self) -> Vec<Operation> {
        match (&self.operation, &self.operation_id) {
            (Some(operation), Some(operation_id)) => vec![Operation {
                operation: operation.clone(),
                operation_id: operation_id.clone(),
                operation_id_derived: self.operation_id_derived,
            }],
            _ => self.operations.clone(),
        }
    }

    /// A one-line summary for the command's output.
    pub fn summary(&self) -> String {
        match (&self.operation, &self.operation_id) {
            (Some(operation), Some(id)) if self.operation_id_derived => {
                format!("{operation}, no operationId upstream; derived {id}")
            }
            (Some(operation), _) => operation.clone(),
            _ => format!("{} operations", self.operations.len()),
        }
    }
}

/// The provenance records, kept in `specs/provenance.yaml` sorted by file.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct ProvenanceFile {
    /// One record per vendored document.
    pub documents: Vec<Provenance>,
}

const PROVENANCE_HEADER: &str = "\
# Provenance of the vendored OpenAPI documents in this folder.
# Written by `cargo xtask vendor PAGE...`; verified by `cargo xtask regen --check`.
# Each document is the ```yaml fence of an upstream reference page, or a bare
# OpenAPI document (YAML or JSON), byte for byte.
";

impl ProvenanceFile {
    /// Reads `specs/provenance.yaml`; no file means no records.
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

    /// The file's text: a header saying what it is, then the records.
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

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE_RECORD: &str = "\
documents:
- file: getChatSession.yaml
  operation: GET /chat/sessions/{session_id}
  operation_id: getChatSession
  source_page: ../shared/seeds/002_96ca5ec012348a9f.txt
  page_title: Get a chat session
  sha256: 4041e3a5ca85e9f6535db3e50fccb8081d6d2663a206de285ef2506fae88ebac
";

    #[test]
    fn a_page_record_reads_and_writes_as_before() {
        let file: ProvenanceFile = serde_yaml::from_str(PAGE_RECORD).unwrap();
        let record = &file.documents[0];
        assert_eq!(record.format, SourceFormat::Page);
        assert_eq!(record.operations()[0].operation_id, "getChatSession");
        assert_eq!(serde_yaml::to_string(&file).unwrap(), PAGE_RECORD);
    }

    #[test]
    fn a_whole_api_record_lists_its_operations() {
        let record = Provenance {
            file: "opencx_api.json".into(),
            operation: None,
            operation_id: None,
            operation_id_derived: false,
            source_page: "api.json".into(),
            page_title: String::new(),
            format: SourceFormat::Json,
            openapi: Some("3.0.3".into()),
            title: Some("OpenCX API".into()),
            operations: vec![
                Operation {
                    operation: "GET /a".into(),
                    operation_id: "getA".into(),
                    operation_id_derived: false,
                },
                Operation {
                    operation: "GET /b".into(),
                    operation_id: "get_b".into(),
                    operation_id_derived: true,
                },
            ],
            sha256: "00".into(),
        };
        let text = serde_yaml::to_string(&record).unwrap();
        assert_eq!(
            text,
            "file: opencx_api.json\nsource_page: api.json\nformat: json\nopenapi: 3.0.3\n\
             title: OpenCX API\noperations:\n- operation: GET /a\n  operation_id: getA\n\
             - operation: GET /b\n  operation_id: get_b\n  operation_id_derived: true\nsha256: '00'\n"
        );
        assert_eq!(serde_yaml::from_str::<Provenance>(&text).unwrap(), record);
        assert_eq!(record.operations().len(), 2);
        assert_eq!(record.summary(), "2 operations");
    }
}
