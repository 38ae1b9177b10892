//! The three APIs of the scenario, as workspaces with their documents
//! vendored, and one real upstream step of the largest for `diff`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::Value;

use crate::stats::Summary;
use crate::workspace_root;

pub(super) fn scratch() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"));
    target.join("bench-api")
}

fn real_docs() -> PathBuf {
    workspace_root().join("../shared/real-docs")
}

/// Runs `cargo xtask ARGS` in process on the workspace at `root`; its
/// standard output.
pub(super) fn xtask(root: &Path, args: &[&str]) -> String {
    let mut all = vec![
        "--root".to_string(),
        root.display().to_string(),
        "--no-compile-check".to_string(),
    ];
    all.extend(args.iter().map(|a| a.to_string()));
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = xtask::cli::run(&all, &mut out, &mut err);
    assert_eq!(
        code,
        0,
        "xtask {args:?}: {}{}",
        String::from_utf8_lossy(&out),
        String::from_utf8_lossy(&err)
    );
    String::from_utf8(out).expect("UTF-8")
}

fn git(root: &Path, args: &[&str]) {
    let status = std::process::Command::new("git")
        .args(["-c", "user.name=bench", "-c", "user.email=bench@127.0.0.1"])
        .args(args)
        .current_dir(root)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

/// Vendors OpenCX's 2024 API at `version` as the `cx` part of the largest
/// API and regenerates.
fn vendor_cx(root: &Path, version: &str) {
    let path = scratch().join("api-100").join("documents").join("cx.json");
    let doc = prefixed(
        &read_yaml(&format!("opencx-oapi-ts_spec_{version}.yaml")),
        "cx",
    );
    std::fs::write(&path, serde_json::to_string_pretty(&doc).expect("JSON")).expect("write");
    xtask(
        root,
        &["vendor", "--name", "cx", &path.display().to_string()],
    );
    xtask(root, &["regen"]);
}

/// `cargo xtask diff` of one real upstream step of the largest API (OpenCX's
/// 2024 API from `2544a79` to `9c4abd5`, beside the two other APIs): its time
/// in milliseconds and the changes it reports. Leaves the API as it was.
pub(super) fn diff_step(root: &Path, rounds: usize) -> (Summary, usize) {
    vendor_cx(root, "2544a79");
    git(root, &["init", "-q"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "before"]);
    vendor_cx(root, "9c4abd5");
    let mut times = Vec::new();
    let mut changes = 0;
    for _ in 0..rounds.max(1) {
        let started = Instant::now();
        let out = xtask(root, &["diff", "--base", "HEAD", "--format", "json"]);
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        let report: Value = serde_json::from_str(&out).expect("JSON");
        changes = report["changes"].as_array().map_or(0, Vec::len);
    }
    let _ = std::fs::remove_dir_all(root.join(".git"));
    (Summary::of(&times), changes)
}

fn fresh_workspace(name: &str) -> PathBuf {
    let root = scratch().join(name).join("ws");
    let _ = std::fs::remove_dir_all(&root);
    for sub in ["specs", "opencx-api/generated", "opencx-api/src"] {
        std::fs::create_dir_all(root.join(sub)).expect("a scratch folder");
    }
    root
}

/// `doc` with every path under `/{prefix}`, every component and operationId
/// prefixed, and every `$ref` pointing at the new names.
fn prefixed(doc: &Value, prefix: &str) -> Value {
    let title = prefix[..1].to_uppercase() + &prefix[1..];
    let mut text = serde_json::to_string(doc).expect("JSON");
    for section in ["schemas", "parameters", "responses", "requestBodies"] {
        for name in doc["components"][section]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(n, _)| n)
        {
            text = text.replace(
                &format!("\"#/components/{section}/{name}\""),
                &format!("\"#/components/{section}/{title}{name}\""),
            );
        }
    }
    let mut doc: Value = serde_json::from_str(&text).expect("JSON");
    for section in ["schemas", "parameters", "responses", "requestBodies"] {
        if let Some(entries) = doc
            .get_mut("components")
            .and_then(|c| c.get_mut(section))
            .and_then(Value::as_object_mut)
        {
            let renamed = entries
                .iter()
                .map(|(n, v)| (format!("{title}{n}"), v.clone()))
                .collect();
            *entries = renamed;
        }
    }
    // One API: one `info`, one server list and security requirement.
    let root = doc.as_object_mut().expect("a document");
    root.insert(
        "info".into(),
        serde_json::json!({"title": "Three APIs as one", "version": "1"}),
    );
    for key in ["servers", "security", "tags", "externalDocs"] {
        root.shift_remove(key);
    }
    if let Some(paths) = doc["paths"].as_object_mut() {
        let renamed = paths
            .iter()
            .map(|(p, item)| {
                let mut item = item.clone();
                for (_, op) in item.as_object_mut().into_iter().flatten() {
                    if let Some(id) = op.get("operationId").and_then(Value::as_str) {
                        op["operationId"] = Value::String(format!("{prefix}_{id}"));
                    }
                }
                (format!("/{prefix}{p}"), item)
            })
            .collect();
        *paths = renamed;
    }
    doc
}

fn read_yaml(name: &str) -> Value {
    let text = std::fs::read_to_string(real_docs().join(name))
        .unwrap_or_else(|e| panic!("{name}: {e} (the real documents are read from ../shared)"));
    serde_yaml::from_str(&text).expect("a YAML document")
}

/// The three APIs, each as a workspace with its documents vendored.
pub(super) fn workspaces() -> Vec<(&'static str, PathBuf)> {
    let four = fresh_workspace("api-4");
    let specs = workspace_root().join("specs");
    for entry in std::fs::read_dir(&specs).expect("specs/") {
        let path = entry.expect("an entry").path();
        std::fs::copy(
            &path,
            four.join("specs").join(path.file_name().expect("a name")),
        )
        .expect("copying specs/");
    }
    let twenty_five = fresh_workspace("api-25");
    let doc = real_docs().join("opencx-oapi-ts_spec_9c4abd5.yaml");
    xtask(
        &twenty_five,
        &["vendor", "--name", "opencx", &doc.display().to_string()],
    );
    let hundred = fresh_workspace("api-100");
    let documents = scratch().join("api-100").join("documents");
    std::fs::create_dir_all(&documents).expect("a scratch folder");
    for (file, prefix) in [
        ("opencx-oapi-ts_spec_9c4abd5.yaml", "cx"),
        ("formbricks-v2.yaml", "fb"),
        ("formbricks-hub.yaml", "hub"),
    ] {
        let path = documents.join(format!("{prefix}.json"));
        let doc = prefixed(&read_yaml(file), prefix);
        std::fs::write(&path, serde_json::to_string_pretty(&doc).expect("JSON")).expect("write");
        xtask(
            &hundred,
            &["vendor", "--name", prefix, &path.display().to_string()],
        );
    }
    vec![("4", four), ("25", twenty_five), ("100", hundred)]
}
