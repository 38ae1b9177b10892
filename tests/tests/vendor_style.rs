//! A fixture API in the vendor's style (`tests/fixtures/vendor-style/`:
//! reference pages in the format of docs.open.cx, written for these tests):
//! create a chat session (201), send a message (201), delete a contact
//! (204), resolve a session (an empty 200) and update a note (200 with the
//! note, or 204 when nothing changed). Vendored page by page and
//! regenerated, it gives a client that compiles, behaves as
//! `tests/fixtures/vendor-style/behaviour.rs` says against a local server,
//! and passes the contract tests regen writes for it against Prism serving
//! those pages.

use std::path::{Path, PathBuf};

use opencx_tests::generated_crate;
use opencx_tests::workspace_root;
use opencx_tests::xtask;

fn fixtures() -> PathBuf {
    workspace_root().join("tests/fixtures/vendor-style")
}

/// A scratch workspace with every page vendored and regenerated.
fn regenerated(dir: &Path) -> PathBuf {
    let root = dir.join("ws");
    opencx_tests::empty_workspace(&root);
    let mut pages: Vec<String> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| p.display().to_string())
        .collect();
    pages.sort();
    let mut args = vec!["vendor"];
    args.extend(pages.iter().map(String::as_str));
    let (code, out, err) = xtask(&root, &args);
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = xtask(&root, &["regen"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        !err.contains("warning"),
        "every operation is generated: {err}"
    );
    root
}

#[test]
fn write_operations_compile_and_behave() {
    let dir = tempfile::tempdir().unwrap();
    let root = regenerated(dir.path());
    let output = generated_crate::test(
        &dir.path().join("build"),
        "api",
        &root.join("opencx-api/generated"),
        &[fixtures().join("behaviour.rs")],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(output.contains("test result: ok. 5 passed"), "{output}");
}

#[test]
fn write_operations_pass_their_contract_tests_against_prism() {
    let Some(prism) = opencx_tests::contract::prism_or_skip("the vendor-style fixture") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let root = regenerated(dir.path());
    match generated_crate::run_contract_tests(&root, &prism) {
        Ok(output) => assert!(output.contains("test result: ok. 5 passed"), "{output}"),
        Err(output) => panic!("the vendor-style contract tests failed:\n{output}"),
    }
}
