//! The binary's exit codes (the logic is tested through `xtask::cli::run`).

use std::process::Command;

#[test]
fn a_failure_exits_non_zero_with_a_message() {
    let empty = tempfile::tempdir().unwrap();
    std::fs::create_dir(empty.path().join("specs")).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["regen", "--root"])
        .arg(empty.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains("specs/provenance.yaml: no vendored documents"),
        "{stderr}"
    );
    assert!(
        std::fs::read_dir(empty.path().join("specs"))
            .unwrap()
            .next()
            .is_none(),
        "something was written"
    );
}

#[test]
fn a_usage_error_exits_with_2() {
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("frobnicate")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}
