//! `cargo xtask regen [--check]`: rebuild every committed output from the
//! vendored documents, or show how the committed outputs drifted from them.

use std::path::PathBuf;

use anyhow::{anyhow, bail, Context, Result};
use serde_json::Value;
use similar::TextDiff;

use crate::accounting;
use crate::changelog;
use crate::convert::{convert_document, Dialect};
use crate::diff::{explain, Explanation};
use crate::hand_written;
use crate::isolate::{self, exclude, Exclusion};
use crate::merge::{merge, Source};
use crate::naming::name_operations;
use crate::overlay::Overlay;
use crate::relax::relax_responses;
use crate::report::Report;
use crate::screen::screen;
use crate::vendor::{extract, is_document_file, parse_vendored, sha256_hex, ProvenanceFile};
use crate::visibility;
use crate::workspace::{write_atomically, Output, Workspace};

/// Computes every output in memory. Nothing is written, so a failure here
/// leaves the workspace as it was.
pub fn outputs(ws: &Workspace) -> Result<Vec<Output>> {
    Ok(pipeline(ws)?.outputs)
}

/// Everything one run of the pipeline produces.
#[derive(Debug)]
pub struct Pipeline {
    pub outputs: Vec<Output>,
    /// Operations left out of the generated client, one line each.
    pub warnings: Vec<String>,
    /// The API changes from the committed outputs to these.
    pub explanation: Explanation,
}

/// What changed in the API from the committed merged document and client to
/// `doc` and `client`. Nothing committed yet (a first regen) is no change.
fn explain_against_committed(ws: &Workspace, doc: &Value, client: &str) -> Result<Explanation> {
    let committed_doc = std::fs::read_to_string(ws.merged_path()).ok();
    let committed_client = std::fs::read_to_string(ws.generated_dir().join("client.rs")).ok();
    let (Some(old_doc), Some(old_client)) = (committed_doc, committed_client) else {
        return Ok(Explanation::default());
    };
    let Ok(old_doc) = serde_json::from_str::<Value>(&old_doc) else {
        // A hand-broken committed document: the check's diff shows it.
        return Ok(Explanation::default());
    };
    if &old_doc == doc && old_client == client {
        return Ok(Explanation::default());
    }
    explain(&old_doc, doc, &old_client, client)
        .map_err(|e| anyhow!("{}: {e}", ws.display(&ws.generated_dir())))
}

/// Runs the pipeline in memory: merge → overlay → name operations → relax →
/// convert → screen → codegen.
pub fn pipeline(ws: &Workspace) -> Result<Pipeline> {
    let mut provenance = ProvenanceFile::load(ws)?;
    let sources = load_sources(ws, &mut provenance)?;
    let merged = merge(&sources)?;
    let overlay = Overlay::load(ws)?;
    let upstream = merged.doc.clone();
    let mut doc = merged.doc.clone();
    let mut origins = merged.origins.clone();
    overlay.apply(&mut doc, &mut origins)?;
    let mut report = Report::default();
    report.derived_ids.extend(name_operations(&mut doc)?);
    report
        .shared_checks
        .extend(relax_responses(&mut doc).into_iter().map(|c| c.pointer));
    let dialect_of = |pointer: &str| {
        merged
            .version_at(pointer)
            .and_then(Dialect::from_version)
            .unwrap_or(Dialect::OpenApi31)
    };
    let hand_written = hand_written::scan(&ws.root().join("opencx-api").join("src"))?;
    // A construct the converter refuses leaves out the operation or the
    // component it is in (with what depends on it); the rest converts.
    let (mut converted, conversion) = loop {
        match convert_document(&doc, &dialect_of) {
            Ok(done) => break done,
            Err(refusal) => {
                let exclusion = Exclusion {
                    pointer: refusal.pointer.clone(),
                    reason: refusal.message.clone(),
                };
                exclude(&mut doc, &exclusion, &hand_written, &mut report).map_err(|_| {
                    anyhow!(
                        "{}: {}",
                        origins.describe(&refusal.pointer),
                        refusal.message
                    )
                })?;
            }
        }
    };
    report.extend(conversion);
    visibility::apply(&mut converted, &mut report);
    screen(&mut converted, &hand_written, &mut report)?;
    let checker = ws
        .compile_check()
        .then(|| crate::compile::Checker::for_workspace(ws.root()));
    let mut compiles = |doc: &Value, generated: &crate::codegen::Generated| match &checker {
        Some(checker) => checker.check(doc, generated),
        None => Ok(Vec::new()),
    };
    let (merged_json, mut generated) =
        isolate::generate(&mut converted, &hand_written, &mut report, &mut compiles)
            .map_err(|e| anyhow!("{}: {e}", ws.display(&ws.merged_path())))?;
    // Parsed once for the checks that read it: on GitHub's API each parse
    // of the client's 235,000 lines costs half a second.
    let client_file = syn::parse_file(&generated.client).with_context(|| {
        format!(
            "{}: generated code does not parse",
            ws.display(&ws.merged_path())
        )
    })?;
    // Every vendored operation is generated or reported left out.
    let account = accounting::check(&upstream, &client_file, &report, &|pointer| {
        origins.describe(pointer)
    })?;
    if account.total == 0 {
        // Adyen's notification APIs describe only `webhooks`: their types are
        // what a receiver of those requests needs.
        // `paths` is named by no file when it is empty; `webhooks` and
        // `openapi` are.
        let at = if upstream.get("webhooks").is_some() {
            "/webhooks"
        } else {
            "/openapi"
        };
        report.repaired.insert(crate::report::Dropped {
            pointer: at.into(),
            why: "the vendored documents describe no operations (webhooks are requests the \
                  vendor sends): the client holds their types and no operations"
                .into(),
        });
    }
    // The contract tests' server document and generated tests.
    let contract = crate::contract::outputs(
        ws,
        &upstream,
        &origins,
        &overlay,
        &converted,
        &client_file,
        &mut report,
    )?;
    drop(client_file);
    let describe = |pointer: &str| origins.describe(pointer);
    let report_text = report.render(&describe) + &crate::inputs::line(&crate::inputs::digest(ws)?);
    let explanation = explain_against_committed(ws, &converted, &generated.client)?;
    let features = std::mem::take(&mut generated.features);
    let changelog = changelog::update(
        std::fs::read_to_string(ws.changelog_path()).ok().as_deref(),
        &explanation,
        std::fs::read_to_string(ws.crate_manifest_path())
            .ok()
            .and_then(|m| changelog::crate_version(&m))
            .as_deref(),
    );
    let mut result = Pipeline {
        warnings: report.warnings(&describe),
        explanation,
        outputs: vec![
            Output {
                path: ws.provenance_path(),
                content: provenance.render()?,
            },
            Output {
                path: ws.merged_path(),
                content: merged_json,
            },
            Output {
                path: ws.report_path(),
                content: report_text,
            },
            Output {
                path: ws.changelog_path(),
                content: changelog,
            },
            Output {
                path: ws.generated_dir().join("client.rs"),
                content: generated.client,
            },
            Output {
                path: ws.generated_dir().join("mock.rs"),
                content: generated.mock,
            },
        ],
    };
    result.outputs.extend(contract);
    // The crate's features follow the document's tags. Without the crate's
    // manifest (a scratch workspace) there is nothing to write them into;
    // the maintainer is told, since a crate declaring none compiles every
    // tagged operation out without a word.
    let client_path = ws.generated_dir().join("client.rs");
    let client = result.outputs.iter().find(|o| o.path == client_path);
    let client = client.map_or("", |o| o.content.as_str());
    // The manifest to write, or the warning that there is none, computed
    // while the client is borrowed from the outputs.
    let declared = match std::fs::read_to_string(ws.crate_manifest_path()) {
        Ok(manifest) => Ok(crate::features::manifest(&manifest, &features, client)?),
        Err(_) => {
            let (named, all_schemas) = crate::features::named_by(client);
            let mut names: Vec<String> = named.iter().map(|f| format!("`{}`", f.name)).collect();
            if all_schemas {
                names.push(format!("`{}`", crate::codegen::selection::ALL_SCHEMAS));
            }
            Err((!names.is_empty()).then(|| {
                format!(
                    "{}: not found, so the features {} names were not declared ({}); a crate \
                     around it must declare them, or each operation under a tag compiles out",
                    ws.display(&ws.crate_manifest_path()),
                    ws.display(&client_path),
                    names.join(", "),
                )
            }))
        }
    };
    match declared {
        Ok(content) => result.outputs.push(Output {
            path: ws.crate_manifest_path(),
            content,
        }),
        Err(warning) => result.warnings.extend(warning),
    }
    Ok(result)
}

/// Reads and checks every vendored document listed in the provenance file,
/// refreshing each record's sha256 to the bytes found.
fn load_sources(ws: &Workspace, provenance: &mut ProvenanceFile) -> Result<Vec<Source>> {
    if provenance.documents.is_empty() {
        bail!(
            "{}: no vendored documents; run `cargo xtask vendor PAGE...`",
            ws.display(&ws.provenance_path())
        );
    }
    let listed: Vec<&str> = provenance
        .documents
        .iter()
        .map(|d| d.file.as_str())
        .collect();
    for entry in std::fs::read_dir(ws.specs_dir()).context("reading specs/")? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if is_document_file(&name) && !listed.contains(&name.as_str()) {
            bail!("specs/{name}: not listed in specs/provenance.yaml; add documents with `cargo xtask vendor PAGE`");
        }
    }
    let mut sources = Vec::new();
    for record in &mut provenance.documents {
        let path = ws.specs_dir().join(&record.file);
        let file = ws.display(&path);
        let text = std::fs::read_to_string(&path).with_context(|| format!("reading {file}"))?;
        record.sha256 = sha256_hex(text.as_bytes());
        let doc: Value = parse_vendored(&text, &file)?;
        // Not an OpenAPI version the converter reads: the file as a whole.
        Dialect::of(&doc).map_err(|e| anyhow!("{file}{e}"))?;
        sources.push(Source { file, doc });
    }
    Ok(sources)
}

/// Writes every output. All are computed before the first is written.
pub fn regen(ws: &Workspace) -> Result<Vec<PathBuf>> {
    Ok(regen_with_warnings(ws)?.changed)
}

/// What one regen wrote, warned about and found changed in the API.
#[derive(Debug)]
pub struct Regenerated {
    pub changed: Vec<PathBuf>,
    pub warnings: Vec<String>,
    pub explanation: Explanation,
}

/// [`regen`], also returning the pipeline's warnings and API changes.
pub fn regen_with_warnings(ws: &Workspace) -> Result<Regenerated> {
    let Pipeline {
        outputs,
        warnings,
        explanation,
    } = pipeline(ws)?;
    let mut changed = Vec::new();
    for output in &outputs {
        if std::fs::read_to_string(&output.path).ok().as_deref() != Some(output.content.as_str()) {
            write_atomically(&output.path, output.content.as_bytes())?;
            changed.push(output.path.clone());
        }
    }
    Ok(Regenerated {
        changed,
        warnings,
        explanation,
    })
}

/// What `--check` found: one entry per problem, each readable on its own.
#[derive(Debug, Default)]
pub struct Drift {
    pub problems: Vec<String>,
}

impl Drift {
    pub fn is_clean(&self) -> bool {
        self.problems.is_empty()
    }
}

impl std::fmt::Display for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for problem in &self.problems {
            writeln!(f, "{problem}")?;
        }
        Ok(())
    }
}

/// Compares every committed output with what regen would write, and every
/// vendored document with its source page where that page is at hand.
/// Writes nothing.
pub fn check(ws: &Workspace) -> Result<Drift> {
    let mut drift = Drift::default();
    for output in outputs(ws)? {
        let name = ws.display(&output.path);
        let committed = std::fs::read_to_string(&output.path).unwrap_or_default();
        if committed != output.content {
            let diff = TextDiff::from_lines(&committed, &output.content)
                .unified_diff()
                .context_radius(3)
                .header(
                    &format!("{name} (committed)"),
                    &format!("{name} (regenerated)"),
                )
                .to_string();
            drift.problems.push(format!(
                "{name} is out of date; run `cargo xtask regen`:\n{diff}"
            ));
        }
    }
    for record in ProvenanceFile::load(ws)?.documents {
        let page = ws.root().join(&record.source_page);
        let Ok(text) = std::fs::read_to_string(&page) else {
            continue;
        };
        let vendored =
            std::fs::read_to_string(ws.specs_dir().join(&record.file)).unwrap_or_default();
        let upstream = extract(&text, &record.source_page)?;
        if upstream.body != vendored {
            let diff = TextDiff::from_lines(&vendored, &upstream.body)
                .unified_diff()
                .header(&format!("specs/{}", record.file), &record.source_page)
                .to_string();
            drift.problems.push(format!(
                "specs/{} differs from its source page {}; vendored documents are verbatim copies: \
                 run `cargo xtask vendor {}`:\n{diff}",
                record.file, record.source_page, record.source_page
            ));
        }
    }
    Ok(drift)
}
