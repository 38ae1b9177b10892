//! Real documents nobody on the team wrote (`../shared/real-docs/`,
//! `../shared/real-world/`), taken as a maintainer takes one: vendored into a
//! scratch workspace and regenerated, with what regen must always hold
//! checked on the way (every warning names the vendored file and a JSON
//! pointer, no panic text, a second regen writes nothing, and every
//! operation is either in the generated client or reported left out).

use std::path::{Path, PathBuf};

use crate::{workspace_root, xtask};

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
    for sub in ["specs", "opencx-api/generated", "opencx-api/src"] {
        std::fs::create_dir_all(root.join(sub)).unwrap();
    }
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
