//! `cargo xtask` works on the checkout it is run in, even when two checkouts
//! share one cargo target folder (a global `CARGO_TARGET_DIR`, a CI cache).
//!
//! Cargo fingerprints workspace members by workspace-relative paths, so the
//! xtask binary built in one checkout is reused as it is in the other; a path
//! compiled into it would make each checkout read and write the first one.
//! This runs the real `cargo xtask` in two copies of the workspace with this
//! build's target folder, so nothing needs compiling beyond the xtask binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

use opencx_tests::workspace_root;

/// The target folder this test was built in: `CARGO_TARGET_DIR`, else the
/// folder above `debug/deps/` holding this test's executable.
fn target_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        return dir.into();
    }
    let exe = std::env::current_exe().unwrap();
    exe.ancestors()
        .nth(3)
        .expect("the test runs from <target>/<profile>/deps/")
        .to_path_buf()
}

/// Copies `from` to `to` recursively, keeping modification times: cargo
/// compares them with its fingerprints, and a newer copy would mean a rebuild.
fn copy_keeping_times(from: &Path, to: &Path) {
    let meta = std::fs::metadata(from).unwrap_or_else(|e| panic!("{}: {e}", from.display()));
    if meta.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            copy_keeping_times(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        std::fs::copy(from, to).unwrap();
        let file = std::fs::File::options().write(true).open(to).unwrap();
        file.set_modified(meta.modified().unwrap()).unwrap();
    }
}

/// A copy of what `cargo xtask regen --check` needs: the workspace manifests
/// (every member's, so the workspace loads), the xtask and codegen sources,
/// specs/ and the committed outputs.
fn checkout(at: &Path) -> PathBuf {
    let real = workspace_root();
    for part in [
        "Cargo.toml",
        "Cargo.lock",
        ".cargo",
        "specs",
        "xtask/Cargo.toml",
        "xtask/src",
        "opencx-api",
        "tests/Cargo.toml",
        "tests/src",
        "benches/Cargo.toml",
        "benches/src",
        // Outputs of the contract tests' generator.
        "tests/contract/upstream.json",
        "tests/tests/contract.rs",
    ] {
        let to = at.join(part);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        copy_keeping_times(&real.join(part), &to);
    }
    at.to_path_buf()
}

/// `cargo xtask regen --check` in `checkout`, offline, with the shared target folder.
fn regen_check(checkout: &Path, target: &Path) -> Output {
    let started = Instant::now();
    let output = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args(["xtask", "regen", "--check"])
        .current_dir(checkout)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_NET_OFFLINE", "true")
        // What this test process was given for itself must not steer the run.
        .env_remove("CARGO_MANIFEST_DIR")
        .output()
        .unwrap();
    eprintln!(
        "cargo xtask regen --check in {} took {:?}",
        checkout.display(),
        started.elapsed()
    );
    output
}

/// Every file under `dir` with its content.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push((path.clone(), std::fs::read(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn each_checkout_is_checked_on_its_own_with_a_shared_target_dir() {
    let target = target_dir();
    let tmp = tempfile::tempdir().unwrap();
    let first = checkout(&tmp.path().join("first"));
    let second = checkout(&tmp.path().join("second"));

    let run = regen_check(&first, &target);
    assert!(
        run.status.success(),
        "the first checkout is clean:\n{}{}",
        text(&run.stdout),
        text(&run.stderr)
    );
    let first_before = snapshot(&first);

    // Upstream adds a filter value, in the second checkout only.
    let vendored = second.join("specs/filterChatSessions.yaml");
    let doc = std::fs::read_to_string(&vendored).unwrap();
    let edited = doc.replacen(
        "                - human_agents\n",
        "                - human_agents\n                - archived\n",
        1,
    );
    assert_ne!(doc, edited);
    std::fs::write(&vendored, edited).unwrap();
    let second_before = snapshot(&second);

    let run = regen_check(&second, &target);
    let stderr = text(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{}{stderr}", text(&run.stdout));
    assert!(
        stderr.contains("opencx-api/openapi.json is out of date"),
        "{stderr}"
    );
    assert!(
        stderr
            .lines()
            .any(|l| l.starts_with('+') && l.trim_end().ends_with("\"archived\"")),
        "the drift is the second checkout's edit:\n{stderr}"
    );
    assert!(second_before == snapshot(&second), "--check wrote files");

    // The first checkout was neither read for the second nor written.
    assert!(
        first_before == snapshot(&first),
        "the first checkout changed"
    );
    let run = regen_check(&first, &target);
    assert!(
        run.status.success(),
        "the first checkout is still clean:\n{}",
        text(&run.stderr)
    );
}
