//! `cargo xtask vendor`: store upstream OpenAPI documents verbatim under
//! `specs/`, with their provenance.
//!
//! An input is an upstream reference page (Markdown whose one ```yaml fence is
//! the document) or a bare OpenAPI document, YAML or JSON, 3.0.x or 3.1.x, such
//! as a whole API served by the vendor's `api-json` endpoint. Either way the
//! document's bytes are kept exactly, so a diff against upstream stays empty.

mod document;
mod page;
mod provenance;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use anyhow::{bail, Context, Result};

pub use document::{extract, parse_vendored, Extracted};
pub use provenance::{
    sha256_hex, yaml_location, Operation, Provenance, ProvenanceFile, SourceFormat,
};

use crate::operation_id::{identifier, is_valid_file_name};
use crate::workspace::{write_atomically, Workspace};

/// The extensions of vendored documents under `specs/`.
pub const DOCUMENT_EXTENSIONS: [&str; 2] = ["yaml", "json"];

/// Files under `specs/` that are not vendored documents, so no document may be
/// named after them.
pub const RESERVED_FILES: [&str; 2] = ["provenance.yaml", "overlay.yaml"];

/// Whether `name` (a file name under `specs/`) is a vendored document by its
/// name: a document extension and not one of [`RESERVED_FILES`].
pub fn is_document_file(name: &str) -> bool {
    !RESERVED_FILES.contains(&name)
        && DOCUMENT_EXTENSIONS
            .iter()
            .any(|ext| name.strip_suffix(ext).is_some_and(|n| n.ends_with('.')))
}

/// How `cargo xtask vendor` was asked to record and name what it vendors.
#[derive(Debug, Default, Clone, Copy)]
pub struct Options<'a> {
    /// What to record as the source (default: each input's path, `-` for stdin).
    pub source: Option<&'a str>,
    /// The file name (without extension) for the one input given; by default a
    /// one-operation document is named by its operationId and a whole API by
    /// its `info.title`.
    pub name: Option<&'a str>,
}

/// Vendors each page or document in `inputs` (paths, `-` for stdin), recording
/// `source` as where each came from when given.
pub fn vendor(ws: &Workspace, inputs: &[String], source: Option<&str>) -> Result<Vec<Provenance>> {
    vendor_with(
        ws,
        inputs,
        Options { source, name: None },
        &mut std::io::stdin(),
    )
}

/// Vendors each input: writes `specs/<name>.<yaml|json>` and updates the
/// provenance file, reading `-` from `stdin`. Every input is read and checked,
/// and every name decided, before anything is written.
pub fn vendor_with(
    ws: &Workspace,
    inputs: &[String],
    options: Options,
    stdin: &mut dyn Read,
) -> Result<Vec<Provenance>> {
    if options.name.is_some() && inputs.len() > 1 {
        bail!(
            "--name names one document, but {} inputs were given; vendor them one at a time",
            inputs.len()
        );
    }
    if inputs.iter().filter(|i| *i == "-").count() > 1 {
        bail!("`-` (stdin) is given more than once; stdin can be read only once");
    }
    let mut sources = Vec::new();
    for input in inputs {
        let (text, name, source_page) = read_input(ws, input, options.source, stdin)?;
        sources.push(Source {
            text,
            name,
            source_page,
            file_stem: options.name.map(str::to_string),
        });
    }
    vendor_sources(ws, sources)
}

/// A page or document already read, to vendor: what `cargo xtask vendor` reads
/// from a path or stdin, or what `vendor --fetch` downloads.
#[derive(Debug, Clone)]
pub struct Source {
    /// The page or document, as served.
    pub text: String,
    /// What begins its error messages: a path, `<stdin>` or a URL.
    pub name: String,
    /// What to record as `source_page` in the provenance.
    pub source_page: String,
    /// The file name under `specs/`, without extension (as `--name` gives it);
    /// `None` names it by its operationId or `info.title`.
    pub file_stem: Option<String>,
}

/// Vendors each source: writes `specs/<name>.<yaml|json>` and updates the
/// provenance file. Every source is checked, and every name decided, before
/// anything is written.
pub fn vendor_sources(ws: &Workspace, sources: Vec<Source>) -> Result<Vec<Provenance>> {
    let mut provenance = ProvenanceFile::load(ws)?;
    let mut writes = Vec::new();
    let mut records: Vec<Provenance> = Vec::new();
    for Source {
        text,
        name,
        source_page,
        file_stem,
    } in sources
    {
        let extracted = extract(&text, &name)?;
        let file = file_name(&extracted, file_stem.as_deref(), &name)?;
        if let Some(earlier) = records.iter().find(|r| r.file == file) {
            bail!(
                "{name}: would be vendored as specs/{file}, as {} already is",
                earlier.source_page
            );
        }
        let record = record(file, source_page, &extracted);
        if file_stem.is_none() {
            check_same_operation(&record, &provenance.documents, &name)?;
        }
        // Against what stays vendored and what this run vendors before it.
        let kept =
            (provenance.documents.iter()).filter(|d| records.iter().all(|r| r.file != d.file));
        check_against_vendored(&record, kept.chain(&records), &name)?;
        writes.push((ws.specs_dir().join(&record.file), extracted.body));
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

/// An input's text, the name its errors use and the source to record.
fn read_input(
    ws: &Workspace,
    input: &str,
    source: Option<&str>,
    stdin: &mut dyn Read,
) -> Result<(String, String, String)> {
    if input == "-" {
        let mut text = String::new();
        stdin
            .read_to_string(&mut text)
            .context("<stdin>: reading the page or document")?;
        return Ok((text, "<stdin>".into(), source.unwrap_or("-").into()));
    }
    let path = Path::new(input);
    let text = std::fs::read_to_string(path).with_context(|| format!("{input}: reading it"))?;
    let source = source.map_or_else(|| ws.relative_source(path), str::to_string);
    Ok((text, input.to_string(), source))
}

/// `<stem>.<ext>` under `specs/` for an extracted document: `--name`, else the
/// operationId of a one-operation document, else a whole API's `info.title`.
fn file_name(extracted: &Extracted, name: Option<&str>, input: &str) -> Result<String> {
    let ext = extracted.format.extension();
    let stem = match (name, extracted.operations.as_slice()) {
        (Some(name), _) if is_valid_file_name(name) => name.to_string(),
        (Some(name), _) => bail!(
            "--name {name:?} cannot name a file: use ASCII letters, digits, `_` and `-`, \
             without an extension (`.{ext}` is added)"
        ),
        (None, []) => bail!("{input}: the OpenAPI document describes no operations under `paths`"),
        (None, [one]) if is_valid_file_name(&one.operation_id) => one.operation_id.clone(),
        (None, [one]) => bail!(
            "{input}: operationId {:?} of {} cannot name a file; give --name NAME",
            one.operation_id,
            one.operation
        ),
        (None, many) => {
            let from_title = extracted.info_title.as_deref().map(identifier);
            match from_title {
                Some(stem) if is_valid_file_name(&stem) => stem,
                _ => bail!(
                    "{input}: the document describes {} operations, so it is named by \
                     --name NAME or by its info.title, and {}; give --name NAME",
                    many.len(),
                    match &extracted.info_title {
                        None => "it has no info.title".to_string(),
                        Some(title) => format!("info.title {title:?} gives no usable name"),
                    }
                ),
            }
        }
    };
    let file = format!("{stem}.{ext}");
    if RESERVED_FILES.contains(&file.as_str()) {
        bail!("{input}: specs/{file} is not a vendored document; give --name NAME");
    }
    Ok(file)
}

/// The provenance record of an extracted document.
fn record(file: String, source_page: String, extracted: &Extracted) -> Provenance {
    // Pages leave these out, so their records read as they always have.
    let bare = extracted.format != SourceFormat::Page;
    let (single, operations) = match extracted.operations.as_slice() {
        [one] => (Some(one.clone()), Vec::new()),
        many => (None, many.to_vec()),
    };
    Provenance {
        file,
        operation: single.as_ref().map(|o| o.operation.clone()),
        operation_id: single.as_ref().map(|o| o.operation_id.clone()),
        operation_id_derived: single.is_some_and(|o| o.operation_id_derived),
        source_page,
        page_title: extracted.page_title.clone(),
        format: extracted.format,
        openapi: bare.then(|| extracted.openapi.clone()),
        title: extracted.info_title.clone().filter(|_| bare),
        operations,
        sha256: sha256_hex(extracted.body.as_bytes()),
    }
}

/// Refuses a one-operation page named by its operationId whose file already
/// holds another operation: the same operationId on another method or path
/// is another operation (or one upstream moved), never silently replaced.
fn check_same_operation(new: &Provenance, vendored: &[Provenance], input: &str) -> Result<()> {
    let Some(old) = vendored.iter().find(|d| d.file == new.file) else {
        return Ok(());
    };
    match (&old.operation, &new.operation) {
        (Some(held), Some(operation)) if held != operation => bail!(
            "{input}: its operation {operation} has the operationId {:?}, and specs/{} already \
             holds {held} under it; if upstream moved the operation, remove specs/{} and its \
             record in specs/provenance.yaml first, else vendor this page under another name \
             with --name NAME",
            new.operation_id.as_deref().unwrap_or_default(),
            new.file,
            new.file
        ),
        _ => Ok(()),
    }
}

/// Refuses a document that would sit beside another vendored document with the
/// same name in another format, or that repeats an operation another vendored
/// file already has (which the merge would refuse later, less clearly).
fn check_against_vendored<'a>(
    new: &Provenance,
    vendored: impl Iterator<Item = &'a Provenance>,
    input: &str,
) -> Result<()> {
    let stem = |file: &str| file.rsplit_once('.').map_or(file, |(s, _)| s).to_string();
    let mut held: BTreeMap<String, &str> = BTreeMap::new();
    for other in vendored.filter(|d| d.file != new.file) {
        if stem(&other.file) == stem(&new.file) {
            bail!(
                "{input}: would be vendored as specs/{}, but specs/{} already holds a document \
                 of that name; remove it and its record in specs/provenance.yaml first",
                new.file,
                other.file
            );
        }
        for op in other.operations() {
            held.insert(op.operation, &other.file);
        }
    }
    let repeated: Vec<String> = new
        .operations()
        .into_iter()
        .filter_map(|op| {
            held.get(&op.operation)
                .map(|file| format!("{} (in specs/{file})", op.operation))
        })
        .collect();
    if !repeated.is_empty() {
        bail!(
            "{input}: specs/{} would repeat operations already vendored: {}; remove those \
             files and their records in specs/provenance.yaml first, so that each operation \
             has one source",
            new.file,
            repeated.join(", ")
        );
    }
    Ok(())
}
