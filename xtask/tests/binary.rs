//! The binary's exit codes (the logic is tested through `xtask::cli::run`).

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

/// Asserts that the run failed with exit code 1; returns its stderr.
fn failure(output: Output) -> String {
    assert_eq!(output.status.code(), Some(1));
    String::from_utf8(output.stderr).unwrap()
}

/// Asserts that `stderr` is regen's complaint about an empty specs/, which shows
/// that the run found the workspace meant.
fn assert_nothing_vendored(stderr: &str) {
    assert!(
        stderr.contains("specs/provenance.yaml: no vendored documents"),
        "{stderr}"
    );
}

#[test]
fn a_failure_exits_non_zero_with_a_message() {
    let empty = tempfile::tempdir().unwrap();
    std::fs::create_dir(empty.path().join("specs")).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["regen", "--root"])
        .arg(empty.path())
        .output()
        .unwrap();
    assert_nothing_vendored(&failure(output));
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

/// A folder laid out as the workspace is, with an empty specs/.
fn fake_workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("xtask/src")).unwrap();
    std::fs::create_dir(dir.path().join("specs")).unwrap();
    std::fs::write(
        dir.path().join("Cargo.toml"),
        "[workspace]\nmembers = [\"xtask\"]\n",
    )
    .unwrap();
    dir
}

/// The binary, run as a user runs it outside cargo: no `CARGO_MANIFEST_DIR`
/// (the test harness has one of its own, which children would inherit).
fn xtask_outside_cargo(cwd: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_xtask"));
    command.current_dir(cwd).env_remove("CARGO_MANIFEST_DIR");
    command
}

const ONE_OPERATION: &str =
    "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /ping:\n    get:\n      responses: {}\n";

#[test]
fn the_workspace_is_found_above_the_current_folder_and_stdin_is_read() {
    let ws = fake_workspace();
    let mut child = xtask_outside_cargo(&ws.path().join("xtask/src"))
        .args(["vendor", "-", "--source", "ping.yaml"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(ONE_OPERATION.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.contains("vendored specs/get_ping.yaml (GET /ping, no operationId upstream; derived get_ping) from ping.yaml"),
        "{stdout}"
    );
    assert_eq!(
        std::fs::read_to_string(ws.path().join("specs/get_ping.yaml")).unwrap(),
        ONE_OPERATION
    );
}

#[test]
fn the_runtime_manifest_dir_names_the_workspace() {
    // What `cargo xtask` sets at run time wins over the current folder.
    let ws = fake_workspace();
    let elsewhere = tempfile::tempdir().unwrap();
    let output = xtask_outside_cargo(elsewhere.path())
        .env("CARGO_MANIFEST_DIR", ws.path().join("xtask"))
        .arg("regen")
        .output()
        .unwrap();
    assert_nothing_vendored(&failure(output));
}

#[test]
fn no_workspace_is_a_clear_error() {
    let empty = tempfile::tempdir().unwrap();
    let output = xtask_outside_cargo(empty.path())
        .args(["regen", "--check"])
        .output()
        .unwrap();
    let stderr = failure(output);
    assert!(
        stderr.starts_with("error: no opencx-rs workspace found"),
        "{stderr}"
    );
    assert!(stderr.contains("--root DIR"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
