//! API changes held against real upstream histories: the 32 published versions
//! of a zod-openapi 3.1 API (`../shared/real-history/formbricks-management-v2`)
//! and the three 2024 versions of OpenCX's own API (`../shared/real-docs`),
//! read from there, never copied. Each is walked the way a maintainer takes
//! updates, in a scratch git repository: vendor the next version, `cargo
//! xtask regen`, `cargo xtask diff --base HEAD --format json`, commit. Every
//! step's report is held against `tests/fixtures/history/<history>/NN.yaml`,
//! written from the two documents (see the README there), both ways: every
//! expected change of the rules in scope is reported, and nothing else of
//! those rules is. The semver hint of every step follows from its changes,
//! and the CHANGELOG the walk accumulates has each change once, grouped by
//! operation or type, breaking first.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use opencx_tests::workspace_root;
use opencx_tests::xtask;
use serde_json::Value;

/// The rules the expectations cover (the README's table).
const IN_SCOPE: &[&str] = &[
    "endpoint-added",
    "api-removed-without-deprecation",
    "new-required-request-parameter",
    "request-parameter-became-required",
    "request-parameter-type-changed",
    "request-parameter-enum-value-removed",
    "new-required-request-property",
    "request-property-became-required",
    "response-property-became-optional",
    "response-required-property-removed",
    "response-optional-property-removed",
    "request-property-type-changed",
    "response-property-type-changed",
    "request-property-enum-value-removed",
    "response-property-enum-value-removed",
    "request-body-wrapped",
    "response-body-wrapped",
];

/// One change as the expectations write it: (subject, rule, at, name).
type Expected = (String, String, String, String);

fn git(root: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args([
            "-c",
            "user.name=history",
            "-c",
            "user.email=history@localhost",
        ])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(root)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

fn shared(relative: &str) -> PathBuf {
    let path = workspace_root().join("../shared").join(relative);
    assert!(
        path.exists(),
        "{} is missing: these tests read real upstream documents from ../shared (CI has it beside the checkout)",
        path.display()
    );
    path
}

/// The subject as the expectations write it: `METHOD /path` or `type Name`.
fn subject(change: &Value) -> String {
    match &change["subject"] {
        Value::Object(map) if map.contains_key("operation") => {
            map["operation"][0].as_str().unwrap().to_string()
        }
        Value::Object(map) if map.contains_key("type") => {
            format!("type {}", map["type"].as_str().unwrap())
        }
        other => panic!("a subject: {other}"),
    }
}

fn expectations(file: &Path) -> BTreeSet<Expected> {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; write it from the documents (see the README)",
            file.display()
        )
    });
    let doc: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
    let text = |v: &serde_yaml::Value| v.as_str().map(String::from).unwrap_or_default();
    doc["changes"]
        .as_sequence()
        .unwrap_or_else(|| panic!("{}: no `changes` list", file.display()))
        .iter()
        .map(|c| {
            (
                text(&c["subject"]),
                text(&c["rule"]),
                text(&c["at"]),
                text(&c["name"]),
            )
        })
        .collect()
}

/// The step's report, of the rules in scope.
fn reported(report: &Value) -> BTreeSet<Expected> {
    report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| IN_SCOPE.contains(&c["rule"].as_str().unwrap()))
        .map(|c| {
            let rule = c["rule"].as_str().unwrap().to_string();
            // Operations added or removed are named by their subject alone.
            let (at, name) =
                if rule == "endpoint-added" || rule == "api-removed-without-deprecation" {
                    (String::new(), String::new())
                } else {
                    (
                        c["at"].as_str().unwrap().to_string(),
                        c["name"].as_str().unwrap().to_string(),
                    )
                };
            (subject(c), rule, at, name)
        })
        .collect()
}

/// The semver bump the changes of `report` call for, as the crate's rules
/// say: breaking on the wire or in Rust is major, added items minor, the
/// rest patch.
fn expected_bump(report: &Value) -> &'static str {
    let mut bump = 0;
    for change in report["changes"].as_array().unwrap() {
        let rule = change["rule"].as_str().unwrap();
        let level = if change["wire_breaking"] == Value::Bool(true) || change["rust"] == "breaking"
        {
            3
        } else if change["rust"] == "compatible" || rule.ends_with("-added") {
            2
        } else {
            1
        };
        bump = bump.max(level);
    }
    for change in report["other_rust_changes"].as_array().unwrap() {
        bump = bump.max(if change["breaking"] == Value::Bool(true) {
            3
        } else {
            2
        });
    }
    if report["docs_only"].as_u64().unwrap() > 0 {
        bump = bump.max(1);
    }
    ["none", "patch", "minor", "major"][bump]
}

/// Walks `versions` (in order) in a scratch repository, holding each step
/// against `tests/fixtures/history/<name>/NN.yaml`; returns the CHANGELOG.
fn walk(name: &str, versions: &[PathBuf]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    opencx_tests::empty_workspace(&root);
    std::fs::write(
        root.join("opencx-api/Cargo.toml"),
        "[package]\nversion = \"0.1.0\"\n",
    )
    .unwrap();
    git(&root, &["init", "-q"]);
    let mut failures = Vec::new();
    for (index, version) in versions.iter().enumerate() {
        let step = format!("{:02}", index + 1);
        let document = version.display().to_string();
        let (code, out, err) = xtask(&root, &["vendor", "--name", "api", &document]);
        assert_eq!(code, 0, "{name} step {step}: vendor: {out}{err}");
        let (code, out, err) = xtask(&root, &["regen"]);
        assert_eq!(code, 0, "{name} step {step}: regen: {out}{err}");
        if index > 0 {
            let (code, out, err) = xtask(&root, &["diff", "--base", "HEAD", "--format", "json"]);
            assert_eq!(code, 0, "{name} step {step}: diff: {err}");
            let report: Value = serde_json::from_str(&out).unwrap();
            assert_eq!(
                report["semver"].as_str().unwrap(),
                expected_bump(&report),
                "{name} step {step}: the semver hint does not follow from the changes"
            );
            let file = workspace_root()
                .join("tests/fixtures/history")
                .join(name)
                .join(format!("{step}.yaml"));
            let expected = expectations(&file);
            let got = reported(&report);
            let missing: Vec<&Expected> = expected.difference(&got).collect();
            let extra: Vec<&Expected> = got.difference(&expected).collect();
            if !missing.is_empty() || !extra.is_empty() {
                failures.push(format!(
                    "{name} step {step} ({}):\n  expected, not reported: {missing:#?}\n  reported, not expected: {extra:#?}",
                    version.file_name().unwrap().to_string_lossy()
                ));
            }
        }
        git(&root, &["add", "-A"]);
        git(&root, &["commit", "-q", "-m", &format!("step {step}")]);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    std::fs::read_to_string(root.join("opencx-api/CHANGELOG.md")).unwrap()
}

/// The accumulated CHANGELOG reads as a person would write it.
fn assert_changelog_reads_well(name: &str, changelog: &str) {
    let unreleased = changelog
        .split("## [Unreleased]")
        .nth(1)
        .unwrap_or_else(|| panic!("{name}: no Unreleased section"));
    let sections: Vec<&str> = unreleased
        .lines()
        .filter_map(|l| l.strip_prefix("### "))
        .collect();
    let order = ["Breaking", "Added", "Deprecated", "Changed"];
    let positions: Vec<usize> = sections
        .iter()
        .map(|s| order.iter().position(|o| o == s).unwrap_or(usize::MAX))
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "{name}: sections {sections:?}"
    );
    // Every change is under an operation or a type, and no line repeats
    // under one heading (a change seen from two sides is one line).
    let mut heading = String::new();
    let mut seen = BTreeSet::new();
    for line in unreleased.lines() {
        if let Some(h) = line.strip_prefix("#### ") {
            heading = h.to_string();
        } else if line.starts_with("### ") {
            heading.clear();
        } else if line.starts_with("- ") && !line.starts_with("- docs only") {
            assert!(
                !heading.is_empty(),
                "{name}: an entry outside an operation or type: {line}"
            );
            assert!(
                seen.insert((heading.clone(), line.to_string())),
                "{name}: repeated: {line}"
            );
        }
    }
}

#[test]
fn the_formbricks_history_walks_with_every_step_as_expected() {
    let dir = shared("real-history/formbricks-management-v2");
    let mut versions: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    versions.sort();
    assert_eq!(versions.len(), 32);
    let changelog = walk("formbricks-management-v2", &versions);
    assert_changelog_reads_well("formbricks", &changelog);
}

#[test]
fn the_opencx_2024_history_walks_with_every_step_as_expected() {
    let versions: Vec<PathBuf> = ["36a5740", "2544a79", "9c4abd5"]
        .iter()
        .map(|c| shared(&format!("real-docs/opencx-oapi-ts_spec_{c}.yaml")))
        .collect();
    let changelog = walk("opencx-2024", &versions);
    assert_changelog_reads_well("opencx-2024", &changelog);
}
