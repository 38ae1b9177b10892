//! Real documents nobody on the team wrote (`../shared/real-docs/`,
//! `../shared/real-world/`), taken as a maintainer takes one: vendored into a
//! scratch workspace and regenerated, with what regen must always hold
//! checked on the way (every warning names the vendored file and a JSON
//! pointer, no panic text, a second regen writes nothing, and every
//! operation is either in the generated client or reported left out).

use std::path::{Path, PathBuf};

use crate::{empty_workspace, workspace_root, xtask};

/// A folder of `../shared`, beside the checkout as CI has it.
pub fn shared(folder: &str) -> PathBuf {
    let dir = workspace_root().join("../shared").join(folder);
    assert!(
        dir.is_dir(),
        "{} is missing: these tests read the real documents from there (CI has ../shared \
         beside the checkout)",
        dir.display()
    );
    dir
}

/// A scratch folder: `$OPENCX_SCRATCH_DIR/<name>`, kept, when that is set
/// (to look at what regen wrote), else a temporary one removed at the end.
pub struct Scratch {
    pub path: PathBuf,
    _temporary: Option<tempfile::TempDir>,
}

/// See [`Scratch`].
pub fn scratch(name: &str) -> Scratch {
    match std::env::var_os("OPENCX_SCRATCH_DIR") {
        Some(dir) => {
            let path = PathBuf::from(dir).join(name);
            let _ = std::fs::remove_dir_all(&path);
            std::fs::create_dir_all(&path).unwrap();
            Scratch {
                path,
                _temporary: None,
            }
        }
        None => {
            let temporary = tempfile::tempdir().unwrap();
            Scratch {
                path: temporary.path().to_path_buf(),
                _temporary: Some(temporary),
            }
        }
    }
}

/// One document regenerated.
pub struct Regenerated {
    /// The scratch workspace.
    pub root: PathBuf,
    /// regen's warnings, without `warning: `.
    pub warnings: Vec<String>,
    /// The operations of the vendored document.
    pub operations: usize,
    /// Those the generated client has.
    pub generated: usize,
    /// Those left out, as `METHOD /path: reason`.
    pub left_out: Vec<String>,
}

/// Vendors `document` as `specs/api.*` into `dir/<stem>` and regenerates it,
/// checking what regen must always hold; panics with xtask's output when it
/// does not.
pub fn regenerate(dir: &Path, document: &Path) -> Regenerated {
    let stem = document
        .file_stem()
        .and_then(|s| s.to_str())
        .expect("a document's name");
    let root = dir.join(stem);
    empty_workspace(&root);
    let source = document.display().to_string();
    let (code, out, err) = xtask(&root, &["vendor", "--name", "api", &source]);
    assert_eq!(code, 0, "vendoring {stem}:\n{out}{err}");
    let (code, out, err) = xtask(&root, &["regen"]);
    assert_eq!(code, 0, "regenerating {stem}:\n{out}{err}");
    assert!(!err.contains("panicked at"), "{stem}: {err}");
    let warnings: Vec<String> = err
        .lines()
        .filter_map(|l| l.strip_prefix("warning: "))
        .map(String::from)
        .collect();
    for warning in &warnings {
        assert!(
            warning.starts_with("specs/api.yaml#/") || warning.starts_with("specs/api.json#/"),
            "{stem}: a warning must name the vendored file and a JSON pointer: {warning}"
        );
    }
    let (code, out, err) = xtask(&root, &["regen"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("everything is up to date"),
        "{stem}: a second regen wrote again:\n{out}"
    );
    let left_out = left_out(&warnings);
    let vendored = std::fs::read_dir(root.join("specs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_stem().is_some_and(|s| s == "api"))
        .expect("the vendored document");
    let text = std::fs::read_to_string(&vendored).unwrap();
    let doc = xtask::vendor::parse_vendored(&text, &vendored.display().to_string())
        .expect("the vendored document");
    let operations = xtask::operations::listed(&doc).len();
    let client = std::fs::read_to_string(root.join("opencx-api/generated/client.rs")).unwrap();
    let generated = xtask::accounting::generated_operations(&client)
        .expect("the client parses")
        .len();
    // Every operation accounted for (regen checks it too).
    assert_eq!(
        generated + left_out.len(),
        operations,
        "{stem}: {generated} generated and {} left out of {operations}: {left_out:#?}",
        left_out.len()
    );
    Regenerated {
        root,
        warnings,
        operations,
        generated,
        left_out,
    }
}

/// The operations regen left out, as `METHOD /path: reason` (the reason up
/// to its first comma).
pub fn left_out(warnings: &[String]) -> Vec<String> {
    warnings
        .iter()
        .filter_map(|w| {
            let (_, rest) = w.split_once(": ")?;
            let (operation, reason) = rest.split_once(" is left out of the generated client: ")?;
            let operation = operation.split(" (").next()?;
            Some(format!("{operation}: {}", reason.split(',').next()?))
        })
        .collect()
}

/// Checks that the Rust name the API diff predicts (`xtask::diff::names`)
/// for every component schema, every property of an object component and
/// every operation of the merged document codegen read
/// (`opencx-api/openapi.json`) is an item of the generated client: a type
/// of `types` (an alias resolved), a field of that struct, a `Client`
/// method. Returns how many names it checked, or the ones missing.
pub fn predicted_names_exist(root: &Path) -> Result<usize, Vec<String>> {
    use std::collections::{BTreeMap, BTreeSet};
    use xtask::diff::names;

    let doc: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root.join("opencx-api/openapi.json")).expect("openapi.json"),
    )
    .expect("JSON");
    let client = std::fs::read_to_string(root.join("opencx-api/generated/client.rs")).unwrap();
    let file = syn::parse_file(&client).expect("the client parses");
    let mut methods = BTreeSet::new();
    let mut fields: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut types = BTreeSet::new();
    let mut aliases: BTreeMap<String, String> = BTreeMap::new();
    for item in &file.items {
        match item {
            syn::Item::Impl(imp) if quote::quote!(#imp).to_string().starts_with("impl Client") => {
                for f in &imp.items {
                    if let syn::ImplItem::Fn(f) = f {
                        methods.insert(f.sig.ident.to_string());
                    }
                }
            }
            syn::Item::Mod(m) if m.ident == "types" => {
                for item in m.content.iter().flat_map(|(_, items)| items) {
                    match item {
                        syn::Item::Struct(s) => {
                            types.insert(s.ident.to_string());
                            let own = fields.entry(s.ident.to_string()).or_default();
                            for field in s.fields.iter().filter_map(|f| f.ident.as_ref()) {
                                own.insert(field.to_string());
                            }
                        }
                        syn::Item::Enum(e) => {
                            types.insert(e.ident.to_string());
                        }
                        syn::Item::Type(t) => {
                            types.insert(t.ident.to_string());
                            let ty = &t.ty;
                            let to = quote::quote!(#ty).to_string();
                            aliases.insert(
                                t.ident.to_string(),
                                to.rsplit(' ').next().unwrap_or("").into(),
                            );
                        }
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
    let mut missing = Vec::new();
    let mut checked = 0;
    for (name, schema) in doc
        .pointer("/components/schemas")
        .and_then(serde_json::Value::as_object)
        .into_iter()
        .flatten()
    {
        let ty = names::type_of_schema(name);
        checked += 1;
        if !types.contains(&ty) {
            missing.push(format!("type `{ty}` of schema `{name}`"));
            continue;
        }
        let Some(mut target) = names::fields_type_of_schema(name, schema) else {
            continue; // a list or a scalar: no fields
        };
        while let Some(to) = aliases.get(&target) {
            target = to.clone();
        }
        let Some(own) = fields.get(&target) else {
            continue; // an enum (a union): no named fields
        };
        let Some(properties) = schema
            .get("properties")
            .and_then(serde_json::Value::as_object)
        else {
            continue;
        };
        let predicted: Vec<(String, String)> = properties
            .keys()
            .map(|p| (p.clone(), names::field_of_property(p)))
            .collect();
        for (property, field) in &predicted {
            // Two properties of one Rust name are named apart by the
            // rewrites (`field_2`), which no prediction from one name sees.
            if predicted.iter().filter(|(_, f)| f == field).count() > 1 {
                continue;
            }
            checked += 1;
            if !own.contains(field) {
                missing.push(format!("field `{target}::{field}` of `{name}.{property}`"));
            }
        }
    }
    for listed in xtask::operations::listed(&doc) {
        let Some(id) = listed.operation["operationId"].as_str() else {
            continue;
        };
        let method = names::method_of_operation(id);
        checked += 1;
        if !methods.contains(&method) {
            missing.push(format!("method `Client::{method}` of {}", listed.name()));
        }
    }
    if missing.is_empty() {
        Ok(checked)
    } else {
        Err(missing)
    }
}
