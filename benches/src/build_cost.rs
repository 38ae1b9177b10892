//! Build cost: a clean build of `opencx-api` as shipped (the build script runs
//! progenitor) against the same crate compiling the committed snapshot with no
//! build script; and the wall time of `cargo xtask regen --check` when warm.
//!
//! Clean builds use throwaway target directories under `target/bench-build/`,
//! removed afterwards; nothing else is cleaned.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::stats::Summary;
use crate::{workspace_root, Figure, Section, Sizes};

/// Where the throwaway target directories and the snapshot crate go.
fn scratch() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"));
    target.join("bench-build")
}

pub(crate) fn cargo() -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    // What `cargo run` told us about ourselves must not leak into the builds.
    for (key, _) in std::env::vars_os() {
        let key = key.to_string_lossy().into_owned();
        if key.starts_with("CARGO_PKG_") || key == "CARGO_MANIFEST_DIR" || key == "CARGO_TARGET_DIR"
        {
            command.env_remove(key);
        }
    }
    command
}

/// A workspace holding `opencx-api` as it would be with the committed
/// snapshot compiled in: no build script, no build-dependencies, the
/// generated files included from `generated/`. Same lock file, same features.
pub fn snapshot_workspace(dir: &Path) -> std::io::Result<PathBuf> {
    let api = workspace_root().join("opencx-api");
    let krate = one_crate_workspace(dir, &["[build-dependencies]", "[dev-dependencies]"])?;
    copy_sources(&api.join("src"), &krate.join("src"))?;
    let generated = krate.join("generated");
    std::fs::create_dir_all(&generated)?;
    for file in ["client.rs", "mock.rs"] {
        std::fs::copy(api.join("generated").join(file), generated.join(file))?;
    }
    let lib = std::fs::read_to_string(krate.join("src/lib.rs"))?;
    assert!(
        !lib.contains("OUT_DIR"),
        "src/lib.rs includes something new from OUT_DIR; teach snapshot_workspace() about it"
    );
    Ok(dir.to_path_buf())
}

/// A workspace at `dir` (emptied first) whose one member is `opencx-api`,
/// with this workspace's manifest and lock file and the crate's manifest
/// without the `sections` named (`[dev-dependencies]`): same versions, same
/// features. Returns the crate's folder, with an empty `src/`.
pub(crate) fn one_crate_workspace(dir: &Path, sections: &[&str]) -> std::io::Result<PathBuf> {
    let root = workspace_root();
    let _ = std::fs::remove_dir_all(dir);
    let krate = dir.join("opencx-api");
    std::fs::create_dir_all(krate.join("src"))?;
    let manifest = std::fs::read_to_string(root.join("Cargo.toml"))?;
    let members = manifest
        .lines()
        .find(|l| l.starts_with("members"))
        .expect("the workspace lists its members");
    std::fs::write(
        dir.join("Cargo.toml"),
        manifest.replace(members, "members = [\"opencx-api\"]"),
    )?;
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))?;
    let mut crate_manifest = String::new();
    let mut skipping = false;
    for line in std::fs::read_to_string(root.join("opencx-api/Cargo.toml"))?.lines() {
        if line.starts_with('[') {
            skipping = sections.contains(&line);
        }
        if !skipping {
            crate_manifest.push_str(line);
            crate_manifest.push('\n');
        }
    }
    std::fs::write(krate.join("Cargo.toml"), crate_manifest)?;
    // The crate docs are its README (`#![doc = include_str!("../README.md")]`).
    std::fs::copy(root.join("opencx-api/README.md"), krate.join("README.md"))?;
    Ok(krate)
}

/// Copies `from` (the crate's `src/`, modules in folders included) to `to`,
/// pointing the includes of generated code at `generated/`.
pub(crate) fn copy_sources(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_sources(&entry.path(), &target)?;
            continue;
        }
        let text = std::fs::read_to_string(entry.path())?;
        let text = text.replace(
            "concat!(env!(\"OUT_DIR\"), \"/client.rs\")",
            "\"../generated/client.rs\"",
        );
        let text = text.replace(
            "concat!(env!(\"OUT_DIR\"), \"/mock.rs\")",
            "\"../generated/mock.rs\"",
        );
        std::fs::write(target, text)?;
    }
    Ok(())
}

/// Crates `opencx-api` pulls in (normal and build dependencies, itself excluded).
fn crate_count(workspace: &Path) -> usize {
    let output = cargo()
        .current_dir(workspace)
        .args([
            "tree",
            "-p",
            "opencx-api",
            "-e",
            "normal,build",
            "--prefix",
            "none",
            "--offline",
        ])
        .output()
        .expect("cargo tree runs");
    assert!(
        output.status.success(),
        "cargo tree failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let crates: BTreeSet<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.trim_end_matches(" (*)").to_string())
        .filter(|l| !l.starts_with("opencx-api "))
        .collect();
    crates.len()
}

/// A clean debug build of `opencx-api` in `workspace`: seconds, and units compiled.
fn clean_build(workspace: &Path, target: &Path) -> (f64, usize) {
    let _ = std::fs::remove_dir_all(target);
    let started = Instant::now();
    let output = cargo()
        .current_dir(workspace)
        .env("CARGO_TARGET_DIR", target)
        .args([
            "build",
            "-p",
            "opencx-api",
            "--offline",
            "--message-format=json",
        ])
        .output()
        .expect("cargo build runs");
    let seconds = started.elapsed().as_secs_f64();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the clean build failed: {}\n{}",
        String::from_utf8_lossy(&output.stderr),
        stdout
            .lines()
            .filter(|l| l.contains("\"level\":\"error\""))
            .collect::<Vec<_>>()
            .join("\n")
    );
    let units = stdout
        .lines()
        .filter(|l| l.contains("\"reason\":\"compiler-artifact\""))
        .count();
    let _ = std::fs::remove_dir_all(target);
    (seconds, units)
}

pub fn build_cost(sizes: &Sizes) -> Section {
    let scratch = scratch();
    let snapshot =
        snapshot_workspace(&scratch.join("snapshot-ws")).expect("the snapshot crate is written");
    let root = workspace_root();
    let (shipped_crates, snapshot_crates) = (crate_count(&root), crate_count(&snapshot));
    let mut figures = vec![Figure::new(
        "crates pulled in: shipped / snapshot",
        format!("{shipped_crates} / {snapshot_crates}"),
    )];
    let table = if sizes.timed_builds {
        let (shipped_s, shipped_units) = clean_build(&root, &scratch.join("shipped"));
        let (snapshot_s, snapshot_units) = clean_build(&snapshot, &scratch.join("snapshot"));
        let ratio = shipped_s / snapshot_s;
        figures.push(Figure::new(
            "clean build, shipped ÷ snapshot",
            format!("{ratio:.2} ({shipped_s:.0} s ÷ {snapshot_s:.0} s)"),
        ));
        format!(
            "| `opencx-api` | clean `cargo build` | units compiled | crates pulled in |\n| --- | ---: | ---: | ---: |\n\
             | as shipped (build script runs progenitor) | {shipped_s:.1} s | {shipped_units} | {shipped_crates} |\n\
             | committed snapshot, no build script | {snapshot_s:.1} s | {snapshot_units} | {snapshot_crates} |\n\n\
             Ratio: **{ratio:.2}**.\n"
        )
    } else {
        figures.push(Figure::new(
            "clean build, shipped ÷ snapshot",
            "not timed (quick run)",
        ));
        format!(
            "| `opencx-api` | crates pulled in |\n| --- | ---: |\n\
             | as shipped | {shipped_crates} |\n| committed snapshot, no build script | {snapshot_crates} |\n"
        )
    };
    let _ = std::fs::remove_dir_all(&snapshot);
    let body = format!(
        "Clean debug builds (`cargo build -p opencx-api`, the default profile users build with), \
         one each, in throwaway target directories, {jobs} jobs. *Snapshot* is the same crate \
         with `generated/client.rs` included directly and neither `build.rs` nor its \
         build-dependencies (a copy under `target/bench-build/`). Crates are counted with \
         `cargo tree -e normal,build`.\n\n{table}",
        jobs = std::thread::available_parallelism().map_or(1, |n| n.get()),
    );
    Section {
        key: "build",
        title: "6. Build cost".into(),
        figures,
        body,
    }
}

pub fn regen(sizes: &Sizes) -> Section {
    let run = || {
        let started = Instant::now();
        let output = cargo()
            .current_dir(workspace_root())
            .args(["xtask", "regen", "--check"])
            .output()
            .expect("cargo xtask runs");
        assert!(
            output.status.success(),
            "regen --check failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        started.elapsed().as_secs_f64()
    };
    let (figure, body) = if sizes.timed_builds {
        run(); // warms the build: xtask is compiled, if it was not
        let times: Vec<f64> = (0..3).map(|_| run()).collect();
        let s = Summary::of(&times);
        (
            s.show(2) + " s",
            format!(
                "`cargo xtask regen --check` after one untimed run that warms the build; 3 runs, \
                 median (min–max): **{} s**.\n",
                s.show(2)
            ),
        )
    } else {
        (
            "not timed (quick run)".to_string(),
            "Not timed in a quick run.\n".to_string(),
        )
    };
    Section {
        key: "regen",
        title: "7. Regen".into(),
        figures: vec![Figure::new("`cargo xtask regen --check`, warm", figure)],
        body,
    }
}
