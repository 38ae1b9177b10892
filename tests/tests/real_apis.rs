//! Whole real APIs nobody on the team wrote (`../shared/real-docs/`, read
//! from there, never copied) go through `cargo xtask vendor` and `regen` in
//! scratch workspaces as a maintainer would take them: each regenerates,
//! what is left out is reported with the vendored file, the JSON pointer and
//! the reason, a second regen changes nothing, and every client compiles on
//! the crate's runtime. The contract tests regen writes for OpenCX's own 2024
//! API pass against Prism serving that document.

use std::path::{Path, PathBuf};

use opencx_tests::generated_crate::{self, ApiCrate};
use opencx_tests::workspace_root;
use opencx_tests::xtask;

/// The folder of real documents, beside the checkout as CI has it.
fn real_docs() -> PathBuf {
    let dir = workspace_root().join("../shared/real-docs");
    assert!(
        dir.is_dir(),
        "{} is missing: these tests read the real documents from there (CI has ../shared beside the checkout)",
        dir.display()
    );
    dir
}

/// A scratch workspace with `document` vendored as `specs/api.yaml` and
/// regenerated; returns its root and regen's warnings.
fn regenerate(dir: &Path, document: &str) -> (PathBuf, Vec<String>) {
    let root = dir.join(document.trim_end_matches(".yaml"));
    for sub in ["specs", "opencx-api/generated", "opencx-api/src"] {
        std::fs::create_dir_all(root.join(sub)).unwrap();
    }
    let source = real_docs().join(document).display().to_string();
    let (code, out, err) = xtask(&root, &["vendor", "--name", "api", &source]);
    assert_eq!(code, 0, "vendoring {document}:\n{out}{err}");
    let (code, out, err) = xtask(&root, &["regen"]);
    assert_eq!(code, 0, "regenerating {document}:\n{out}{err}");
    assert!(!err.contains("panicked"), "{err}");
    let warnings: Vec<String> = err
        .lines()
        .filter_map(|l| l.strip_prefix("warning: "))
        .map(String::from)
        .collect();
    for warning in &warnings {
        assert!(
            warning.starts_with("specs/api.yaml#/"),
            "{document}: a warning must name the vendored file and a JSON pointer: {warning}"
        );
    }
    let (code, out, err) = xtask(&root, &["regen"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("everything is up to date"),
        "{document}: a second regen wrote again:\n{out}"
    );
    (root, warnings)
}

/// The operations regen left out, as `METHOD /path` with the reason's start.
fn left_out(warnings: &[String]) -> Vec<String> {
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

/// A scratch folder: `$OPENCX_SCRATCH_DIR/<name>`, kept, when that is set
/// (to look at what regen wrote), else a temporary one removed at the end.
struct Scratch {
    path: PathBuf,
    _temporary: Option<tempfile::TempDir>,
}

fn scratch(name: &str) -> Scratch {
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

#[test]
fn every_real_document_regenerates_and_its_client_compiles() {
    let dir = scratch("real-apis");
    let dir = &dir.path;
    let mut crates = Vec::new();
    let mut summary = Vec::new();
    for (document, expected_left_out) in [
        (
            "opencx-oapi-ts_spec_36a5740.yaml",
            &["PUT /actions: its request body is multipart/form-data"][..],
        ),
        (
            "opencx-oapi-ts_spec_2544a79.yaml",
            &["PUT /actions: its request body is multipart/form-data"],
        ),
        (
            "opencx-oapi-ts_spec_9c4abd5.yaml",
            &["PUT /actions: its request body is multipart/form-data"],
        ),
        ("formbricks-v2.yaml", &[]),
        ("formbricks-hub.yaml", &[]),
        ("drip-create-activation.yaml", &[]),
        ("drip-get-app-installs.yaml", &[]),
    ] {
        let (root, warnings) = regenerate(dir, document);
        assert_eq!(
            left_out(&warnings),
            expected_left_out,
            "{document}: {warnings:#?}"
        );
        let report = std::fs::read_to_string(root.join("opencx-api/CONVERSION.md")).unwrap();
        for op in expected_left_out {
            let operation = op.split(':').next().unwrap();
            assert!(
                report.contains(&format!("| `{operation}` |")),
                "{document}: {operation} is not in the report:\n{report}"
            );
        }
        summary.push(format!("{document}: {} warnings", warnings.len()));
        crates.push(ApiCrate {
            name: format!(
                "api-{}",
                document.trim_end_matches(".yaml").replace(['_', '.'], "-")
            ),
            generated: root.join("opencx-api/generated"),
        });
    }
    if let Err(errors) = generated_crate::check(&dir.join("build"), &crates) {
        panic!("a generated client does not compile:\n{errors}");
    }
    eprintln!("{}", summary.join("\n"));
}

#[test]
fn the_contract_tests_of_opencx_2024_pass_against_prism() {
    let Some(prism) = opencx_tests::contract::prism_or_skip("OpenCX's 2024 API") else {
        return;
    };
    let dir = scratch("opencx-2024-contract");
    let (root, _) = regenerate(&dir.path, "opencx-oapi-ts_spec_9c4abd5.yaml");
    match generated_crate::run_contract_tests(&root, &prism) {
        Ok(output) => {
            let passed = output
                .lines()
                .find(|l| l.starts_with("test result:"))
                .unwrap_or_default()
                .to_string();
            assert!(passed.contains(" 23 passed"), "{output}");
        }
        Err(output) => panic!("the contract tests of OpenCX's 2024 API failed:\n{output}"),
    }
}
