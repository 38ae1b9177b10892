//! Regen's compile check (issue 31): the client regen writes is built, and
//! an operation whose generated code does not compile is left out with the
//! vendored file, its JSON pointer and rustc's message, while the rest of
//! the API is generated and builds.
//!
//! `tests/fixtures/compile/api.yaml` holds one operation typify writes code
//! for that rustc refuses (an `int8` enum holding 300) beside two that
//! compile.

use std::path::{Path, PathBuf};

use opencx_tests::generated_crate::{self, ApiCrate};
use opencx_tests::{workspace_root, xtask, xtask_compile_checked};

fn fixture() -> PathBuf {
    workspace_root().join("tests/fixtures/compile/api.yaml")
}

/// A scratch workspace in `dir` with the fixture vendored as `specs/api.yaml`.
fn vendored(dir: &Path) -> PathBuf {
    let root = dir.join("ws");
    opencx_tests::empty_workspace(&root);
    let document = fixture().display().to_string();
    let (code, out, err) = xtask(&root, &["vendor", "--name", "api", &document]);
    assert_eq!(code, 0, "{out}{err}");
    root
}

fn builds(dir: &Path, root: &Path) -> Result<(), String> {
    generated_crate::check(
        &dir.join("build"),
        &[ApiCrate {
            name: "compile-check-fixture".into(),
            generated: root.join("opencx-api/generated"),
        }],
    )
}

#[test]
fn an_operation_that_does_not_compile_is_left_out_and_the_rest_builds() {
    let dir = tempfile::tempdir().unwrap();
    let root = vendored(dir.path());
    let (code, out, err) = xtask_compile_checked(&root, &["regen"]);
    assert_eq!(code, 0, "{out}{err}");
    // The warning names the vendored file, the pointer and rustc's error.
    let warning = err
        .lines()
        .find(|l| l.contains("GET /levels"))
        .unwrap_or_else(|| panic!("no warning for GET /levels: {err}"));
    assert!(
        warning.starts_with("warning: specs/api.yaml#/paths/~1levels/get: GET /levels (getLevel)"),
        "{warning}"
    );
    assert!(
        warning.contains("the generated code does not compile: error[overflowing_literals]"),
        "{warning}"
    );
    assert_eq!(
        err.lines().filter(|l| l.contains("left out")).count(),
        1,
        "{err}"
    );
    let report = std::fs::read_to_string(root.join("opencx-api/CONVERSION.md")).unwrap();
    assert!(report.contains("`GET /levels`"), "{report}");
    let client = std::fs::read_to_string(root.join("opencx-api/generated/client.rs")).unwrap();
    assert!(!client.contains("fn get_level"));
    assert!(client.contains("fn list_things") && client.contains("fn create_thing"));
    builds(dir.path(), &root).unwrap();
}

/// Without the check the operation stays in, and the client does not build:
/// what the check is for.
#[test]
fn without_the_check_the_client_does_not_build() {
    let dir = tempfile::tempdir().unwrap();
    let root = vendored(dir.path());
    let (code, out, err) = xtask(&root, &["regen"]);
    assert_eq!(code, 0, "{out}{err}");
    let client = std::fs::read_to_string(root.join("opencx-api/generated/client.rs")).unwrap();
    assert!(client.contains("fn get_level"));
    let error = builds(dir.path(), &root).unwrap_err();
    assert!(error.contains("literal out of range for `i8`"), "{error}");
}
