//! Upstream against what is vendored: which vendored operations changed,
//! which operations are new, and what `vendor --fetch` would write.

use anyhow::{bail, Result};

use super::upstream::UpstreamPage;
use crate::vendor::{sha256_hex, Provenance, ProvenanceFile, Source, SourceFormat};
use crate::workspace::Workspace;

/// A vendored operation whose upstream page holds another document.
#[derive(Debug, Clone)]
pub struct Change {
    /// The vendored document's record.
    pub record: Provenance,
    /// The page upstream serves now.
    pub page: UpstreamPage,
}

impl Change {
    /// `METHOD /path (operationId) from URL`, naming the old operationId too
    /// when upstream renamed it.
    pub fn describe(&self) -> String {
        match self.record.operation_id.as_deref() {
            Some(old) if old != self.page.operation.operation_id => {
                format!("{} (was {old})", self.page.describe())
            }
            _ => self.page.describe(),
        }
    }
}

/// Upstream compared with `specs/`.
#[derive(Debug, Default)]
pub struct Plan {
    /// Vendored pages whose upstream document differs, by `METHOD /path`.
    pub changed: Vec<Change>,
    /// Operations upstream documents that nothing vendored describes.
    pub new: Vec<UpstreamPage>,
    /// Vendored page operations no API reference page describes any more.
    pub gone: Vec<Provenance>,
    /// Operations held by a vendored bare document (a whole API), which is
    /// updated from its own source, not from the pages: `(METHOD /path, file)`.
    pub elsewhere: Vec<(String, String)>,
    /// Vendored pages that match upstream exactly.
    pub unchanged: Vec<Provenance>,
}

impl Plan {
    /// Whether upstream differs from what is vendored in a way `--fetch` acts
    /// on: a changed document or a new operation.
    pub fn differs(&self) -> bool {
        !self.changed.is_empty() || !self.new.is_empty()
    }
}

/// Compares `pages` with the vendored documents. Operations are matched by
/// `METHOD /path`, which stays put when upstream renames an operationId.
pub fn compare(ws: &Workspace, pages: Vec<UpstreamPage>) -> Result<Plan> {
    let provenance = ProvenanceFile::load(ws)?;
    let mut plan = Plan::default();
    let mut pages: Vec<Option<UpstreamPage>> = pages.into_iter().map(Some).collect();
    let mut take = |operation: &str| {
        pages
            .iter_mut()
            .find(|p| {
                p.as_ref()
                    .is_some_and(|p| p.operation.operation == operation)
            })
            .and_then(Option::take)
    };
    for record in provenance.documents {
        let single = record
            .operation
            .clone()
            .filter(|_| record.format == SourceFormat::Page);
        let Some(operation) = single else {
            for op in record.operations() {
                take(&op.operation);
                plan.elsewhere.push((op.operation, record.file.clone()));
            }
            continue;
        };
        match take(&operation) {
            None => plan.gone.push(record),
            Some(page) if vendored_equals(ws, &record, &page.body) => plan.unchanged.push(record),
            Some(page) => plan.changed.push(Change { record, page }),
        }
    }
    plan.new = pages.into_iter().flatten().collect();
    Ok(plan)
}

/// Whether the vendored file holds exactly `body`; by its recorded hash when
/// the file cannot be read (regen would then fail on it anyway).
fn vendored_equals(ws: &Workspace, record: &Provenance, body: &str) -> bool {
    match std::fs::read(ws.specs_dir().join(&record.file)) {
        Ok(bytes) => bytes == body.as_bytes(),
        Err(_) => sha256_hex(body.as_bytes()) == record.sha256,
    }
}

/// What to vendor: every changed page, under its current file name (so an
/// operationId renamed upstream does not leave the old file behind), and the
/// new operations chosen by `all` or by operationId. An operationId that is
/// not a new operation is an error, raised before anything is written.
pub fn select(plan: &Plan, all: bool, operation_ids: &[String]) -> Result<Vec<Source>> {
    for id in operation_ids {
        if plan.new.iter().any(|p| &p.operation.operation_id == id) {
            continue;
        }
        let vendored = (plan.changed.iter().map(|c| &c.record))
            .chain(&plan.unchanged)
            .chain(&plan.gone)
            .find(|r| r.operation_id.as_deref() == Some(id));
        if let Some(record) = vendored {
            bail!(
                "{id} is already vendored (specs/{}); `vendor --fetch` updates it when upstream \
                 changes it",
                record.file
            );
        }
        let new: Vec<&str> = (plan.new.iter())
            .map(|p| p.operation.operation_id.as_str())
            .collect();
        bail!(
            "{id} is not a new operation upstream; new operations: {}",
            if new.is_empty() {
                "none".to_string()
            } else {
                new.join(", ")
            }
        );
    }
    let changed = plan.changed.iter().map(|c| {
        let stem = c
            .record
            .file
            .rsplit_once('.')
            .map(|(stem, _)| stem.to_string());
        source(&c.page, stem)
    });
    let new = (plan.new.iter())
        .filter(|p| all || operation_ids.contains(&p.operation.operation_id))
        .map(|p| source(p, None));
    Ok(changed.chain(new).collect())
}

/// The page as `vendor` takes it, recorded under its URL.
fn source(page: &UpstreamPage, file_stem: Option<String>) -> Source {
    Source {
        text: page.text.clone(),
        name: page.url.clone(),
        source_page: page.url.clone(),
        file_stem,
    }
}
