//! What an API's size costs: for APIs of about 4, 25 and 100 operations,
//! `cargo xtask regen`'s time, the lines it generates, and the build of
//! `opencx-api` around that client with its build script (progenitor runs in
//! it): from a clean target folder, the crate alone with its dependencies
//! built, and again after one description in `openapi.json` changed.
//!
//! The APIs are real documents nobody on the team wrote, read from
//! `../shared/real-docs` (never copied into the project): OpenCX's four
//! vendored pages; OpenCX's own 2024 API (24 operations); and that API with
//! two whole 3.1 APIs beside it (92 operations), each under a path prefix and
//! with its component names prefixed so they merge.

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::Value;

use crate::stats::Summary;
use crate::{workspace_root, Figure, Section, Sizes};

/// One API measured.
struct Measured {
    name: &'static str,
    operations: usize,
    /// Milliseconds.
    regen: Summary,
    lines: usize,
    /// Clean build, the crate alone, after one description changed (seconds).
    builds: Option<(f64, f64, f64)>,
}

fn scratch() -> PathBuf {
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
fn xtask(root: &Path, args: &[&str]) -> String {
    let mut all = vec!["--root".to_string(), root.display().to_string()];
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
fn diff_step(root: &Path, rounds: usize) -> (Summary, usize) {
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
fn workspaces() -> Vec<(&'static str, PathBuf)> {
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

fn operations(root: &Path) -> usize {
    let text =
        std::fs::read_to_string(root.join("opencx-api/openapi.json")).expect("regen wrote it");
    let doc: Value = serde_json::from_str(&text).expect("JSON");
    doc["paths"]
        .as_object()
        .into_iter()
        .flatten()
        .flat_map(|(_, item)| item.as_object().into_iter().flatten())
        .filter(|(k, _)| {
            [
                "get", "put", "post", "delete", "patch", "head", "options", "trace",
            ]
            .contains(&k.as_str())
        })
        .count()
}

fn lines(root: &Path) -> usize {
    ["client.rs", "mock.rs"]
        .iter()
        .map(|f| {
            std::fs::read_to_string(root.join("opencx-api/generated").join(f))
                .map(|t| t.lines().count())
                .unwrap_or(0)
        })
        .sum()
}

/// A workspace with `opencx-api` as shipped (build script, codegen, the
/// runtime) around `openapi.json` of `api`, without the OpenCX-specific
/// modules (pagination, export), which name the OpenCX operations.
fn build_workspace(api: &Path, dir: &Path) -> PathBuf {
    let real = workspace_root();
    let _ = std::fs::remove_dir_all(dir);
    let krate = dir.join("opencx-api");
    std::fs::create_dir_all(krate.join("src")).expect("a folder");
    let manifest = std::fs::read_to_string(real.join("Cargo.toml")).expect("the manifest");
    let members = manifest
        .lines()
        .find(|l| l.starts_with("members"))
        .expect("the workspace lists its members");
    std::fs::write(
        dir.join("Cargo.toml"),
        manifest.replace(members, "members = [\"opencx-api\"]"),
    )
    .expect("write");
    std::fs::copy(real.join("Cargo.lock"), dir.join("Cargo.lock")).expect("copy");
    let mut crate_manifest = String::new();
    let mut skipping = false;
    for line in std::fs::read_to_string(real.join("opencx-api/Cargo.toml"))
        .expect("the crate's manifest")
        .lines()
    {
        if line.starts_with('[') {
            skipping = line == "[dev-dependencies]";
        }
        if !skipping {
            crate_manifest.push_str(line);
            crate_manifest.push('\n');
        }
    }
    std::fs::write(krate.join("Cargo.toml"), crate_manifest).expect("write");
    std::fs::copy(real.join("opencx-api/build.rs"), krate.join("build.rs")).expect("copy");
    crate::build_cost::copy_sources(&real.join("opencx-api/codegen"), &krate.join("codegen"))
        .expect("copy codegen/");
    crate::build_cost::copy_sources(
        &real.join("opencx-api/src/runtime"),
        &krate.join("src/runtime"),
    )
    .expect("copy the runtime");
    std::fs::copy(
        api.join("opencx-api/openapi.json"),
        krate.join("openapi.json"),
    )
    .expect("copy");
    std::fs::write(
        krate.join("src/lib.rs"),
        "#[allow(dead_code, unused_imports, clippy::all)]\n\
         mod generated {\n    include!(concat!(env!(\"OUT_DIR\"), \"/client.rs\"));\n}\n\
         mod runtime;\n\
         pub use generated::{builder, types, Client, ResponseValue};\n\
         pub use runtime::*;\n",
    )
    .expect("write");
    dir.to_path_buf()
}

/// Seconds `cargo build` takes in `dir` with `target`.
fn timed_build(dir: &Path, target: &Path) -> f64 {
    let started = Instant::now();
    let status = crate::build_cost::cargo()
        .args(["build", "--offline", "--quiet", "-p", "opencx-api"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .status()
        .expect("cargo runs");
    assert!(status.success(), "cargo build in {}", dir.display());
    started.elapsed().as_secs_f64()
}

/// Clean, crate alone, and after one description changed, in seconds.
fn builds(api: &Path, name: &str) -> (f64, f64, f64) {
    let dir = build_workspace(api, &scratch().join(name).join("build"));
    let target = scratch().join(name).join("target");
    let _ = std::fs::remove_dir_all(&target);
    let clean = timed_build(&dir, &target);
    let status = crate::build_cost::cargo()
        .args(["clean", "--offline", "-p", "opencx-api"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", &target)
        .status()
        .expect("cargo runs");
    assert!(status.success());
    let alone = timed_build(&dir, &target);
    // An upstream update as small as they come: one description changed.
    // The build script generates again, and one doc comment differs.
    let spec = dir.join("opencx-api/openapi.json");
    let text = std::fs::read_to_string(&spec).expect("read");
    let changed = text.replacen("\"description\": \"", "\"description\": \"Changed. ", 1);
    assert_ne!(changed, text, "the document has a description to change");
    std::fs::write(&spec, changed).expect("write");
    let incremental = timed_build(&dir, &target);
    let _ = std::fs::remove_dir_all(&target);
    (clean, alone, incremental)
}

fn seconds(s: f64) -> String {
    format!("{s:.1} s")
}

/// Runs the scenario.
pub fn run(sizes: &Sizes) -> Section {
    let mut measured = Vec::new();
    let mut step = None;
    for (name, root) in workspaces() {
        let mut times = Vec::new();
        for _ in 0..sizes.rounds.max(1) {
            let started = Instant::now();
            xtask(&root, &["regen"]);
            times.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        measured.push(Measured {
            name,
            operations: operations(&root),
            regen: Summary::of(&times),
            lines: lines(&root),
            builds: sizes
                .timed_builds
                .then(|| builds(&root, &format!("api-{name}"))),
        });
        if name == "100" {
            step = Some(diff_step(&root, sizes.rounds));
        }
    }
    render(&measured, step)
}

fn render(measured: &[Measured], step: Option<(Summary, usize)>) -> Section {
    let mut body = String::from(
        "| API | operations | `regen` (median) | generated lines | clean build | crate alone | after one description changed |\n\
         | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n",
    );
    for m in measured {
        let (clean, alone, incremental) = match m.builds {
            Some((c, a, i)) => (seconds(c), seconds(a), seconds(i)),
            None => ("not timed".into(), "not timed".into(), "not timed".into()),
        };
        body.push_str(&format!(
            "| about {} | {} | {} ms | {} | {clean} | {alone} | {incremental} |\n",
            m.name, m.operations, m.regen, m.lines
        ));
    }
    let (small, large) = (&measured[0], &measured[measured.len() - 1]);
    let per_op = |a: f64, b: f64| (b - a) / (large.operations - small.operations).max(1) as f64;
    let regen_ratio = large.regen.median / small.regen.median.max(1e-9);
    body.push_str(&format!(
        "\nPer operation, from the smallest API to the largest: `regen` {:.0} ms, {:.0} generated lines",
        per_op(small.regen.median, large.regen.median),
        per_op(small.lines as f64, large.lines as f64),
    ));
    let mut figures = vec![Figure::new(
        format!(
            "`regen`, {} ÷ {} operations",
            large.operations, small.operations
        ),
        format!("{regen_ratio:.1}×"),
    )];
    if let (Some(s), Some(l)) = (small.builds, large.builds) {
        body.push_str(&format!(
            ", the crate alone {:.2} s, after a change {:.2} s.\n",
            per_op(s.1, l.1),
            per_op(s.2, l.2)
        ));
        let ratio = l.1 / s.1;
        figures.push(
            Figure::new(
                format!(
                    "crate build, {} ÷ {} operations",
                    large.operations, small.operations
                ),
                format!("{ratio:.2}× ({} ÷ {})", seconds(l.1), seconds(s.1)),
            )
            .target("about 3× at most", ratio <= 3.0),
        );
        figures.push(Figure::new(
            format!(
                "clean build with dependencies, {} ÷ {} operations",
                large.operations, small.operations
            ),
            format!("{:.2}× ({} ÷ {})", l.0 / s.0, seconds(l.0), seconds(s.0)),
        ));
    } else {
        body.push_str(".\n");
    }
    if let Some((time, changes)) = step {
        body.push_str(&format!(
            "\n`cargo xtask diff --format json` of one real upstream step of the largest API \
             (OpenCX's 2024 API from `2544a79` to `9c4abd5`, beside the two others: \
             {changes} changes) takes {time} ms: both documents read and compared, both \
             generated clients parsed with syn and compared item by item.\n"
        ));
        figures.push(
            Figure::new(
                format!(
                    "`diff` of one upstream step, {} operations",
                    large.operations
                ),
                format!("{time} ms"),
            )
            .target("well under 1 s", time.median < 500.0),
        );
    }
    Section {
        key: "api_size",
        title: "8. Cost as the API grows".into(),
        figures,
        body,
    }
}
