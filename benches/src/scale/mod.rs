//! Any size: regen's cost from 4 operations to GitHub's 767, and Oxide's
//! Nexus API through the pipeline beside progenitor alone.
//!
//! - Regen as maintainers run it: `cargo xtask regen` in the dev profile (the
//!   `xtask` binary the workspace builds), a process of its own, timed with
//!   its peak memory (`/usr/bin/time`, the median of three runs), on slices
//!   of one API ([`slice`]: its first 4, 90, 350 and all 767 operations of
//!   GitHub's, each with only the components it reaches); the milliseconds
//!   per operation and per generated line show whether it grows linearly.
//! - Side by side on Nexus (which progenitor generates), and ours alone on
//!   GitHub's (on which progenitor panics): generated lines, generation in
//!   this process (release, both), and the client crate's `cargo check`
//!   (dependencies built) and clean `cargo build` with rustc's peak memory.
//!
//! GitHub's and Nexus's documents are not in this repository: progenitor
//! keeps them as `sample_openapi/api.github.com.json` and `nexus.json`; set
//! `OPENCX_SAMPLE_OPENAPI` to a folder holding them (the section says so
//! when it is not set, and slices Telnyx's API from `../shared/real-world/`
//! instead). A quick run measures two small slices and one small document.

use std::path::{Path, PathBuf};
use std::process::Command;

mod sides;
pub mod slice;

use crate::corpus::alone;
use crate::{workspace_root, Figure, Section, Sizes};

/// Where the scratch workspaces and target folders go.
pub(super) fn scratch() -> PathBuf {
    workspace_root().join("target/bench-scale")
}

/// A document to measure: its name, operations counted by regen, and path.
pub(super) struct Api {
    pub(super) name: String,
    pub(super) document: PathBuf,
}

/// `cargo xtask regen` in the dev profile on the workspace at `root`, as its
/// own process: wall seconds and peak memory (MiB).
fn regen_process(root: &Path) -> Result<(f64, f64), String> {
    let xtask = workspace_root().join("target/debug/xtask");
    let output = Command::new("/usr/bin/time")
        .args(["-f", "%e %M"])
        .arg(&xtask)
        .args(["--root"])
        .arg(root)
        .arg("regen")
        .output()
        .map_err(|e| format!("/usr/bin/time: {e}"))?;
    let err = String::from_utf8_lossy(&output.stderr);
    let last = err.lines().last().unwrap_or_default();
    let mut parts = last.split_whitespace();
    let seconds = parts.next().and_then(|s| s.parse::<f64>().ok());
    let kib = parts.next().and_then(|s| s.parse::<f64>().ok());
    match (output.status.success(), seconds, kib) {
        (true, Some(s), Some(k)) => Ok((s, k / 1024.0)),
        _ => Err(format!("regen failed: {}", alone::one_line(&err))),
    }
}

/// A workspace at `root` with `document` vendored and regenerated once (so
/// that the timed run is a maintainer's: outputs there, nothing to write).
pub(super) fn workspace(root: &Path, document: &Path) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(root);
    for sub in ["specs", "opencx-api/generated", "opencx-api/src"] {
        std::fs::create_dir_all(root.join(sub)).map_err(|e| e.to_string())?;
    }
    let xtask = |args: &[&str]| {
        // Generation alone: the build is measured apart.
        let mut all = vec![
            "--root".to_string(),
            root.display().to_string(),
            "--no-compile-check".to_string(),
        ];
        all.extend(args.iter().map(|a| a.to_string()));
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = xtask::cli::run(&all, &mut out, &mut err);
        (code == 0)
            .then_some(())
            .ok_or_else(|| alone::one_line(&String::from_utf8_lossy(&err)))
    };
    let source = document.display().to_string();
    if document.is_dir() {
        let mut pages: Vec<String> = std::fs::read_dir(document)
            .map_err(|e| e.to_string())?
            .filter_map(|e| e.ok().map(|e| e.path().display().to_string()))
            // The vendored documents of a workspace's `specs/`.
            .filter(|p| p.ends_with(".yaml") || p.ends_with(".json"))
            .filter(|p| !p.ends_with("overlay.yaml") && !p.ends_with("provenance.yaml"))
            .collect();
        pages.sort();
        let mut args = vec!["vendor"];
        args.extend(pages.iter().map(String::as_str));
        xtask(&args)?;
    } else {
        xtask(&["vendor", "--name", "api", &source])?;
    }
    xtask(&["regen"])
}

fn operations_of(root: &Path) -> usize {
    let client =
        std::fs::read_to_string(root.join("opencx-api/generated/client.rs")).unwrap_or_default();
    xtask::accounting::generated_operations(&client)
        .map(|g| g.len())
        .unwrap_or(0)
}

const TITLE: &str = "10. Any size: GitHub's API, and Nexus beside progenitor alone";

/// `{name}-{n}` workspaces' documents: the first `n` operations of `whole`
/// for each of `sizes`, written under the scratch folder.
fn slices(whole: &Path, name: &str, sizes: &[usize]) -> Result<Vec<Api>, String> {
    let text = std::fs::read_to_string(whole).map_err(|e| e.to_string())?;
    let doc: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let dir = scratch().join("slices");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    sizes
        .iter()
        .map(|&n| {
            let document = dir.join(format!("{name}-{n}.json"));
            let sliced = slice::first_operations(&doc, n);
            let json = serde_json::to_string_pretty(&sliced).map_err(|e| e.to_string())?;
            std::fs::write(&document, json).map_err(|e| e.to_string())?;
            Ok(Api {
                name: format!("{name}-{n}"),
                document,
            })
        })
        .collect()
}

/// Runs the scenario.
pub fn run(sizes: &Sizes) -> Section {
    let quick = !sizes.timed_builds;
    // The dev-profile `xtask` binary maintainers run.
    let built = crate::build_cost::cargo()
        .args(["build", "--offline", "--quiet", "-p", "xtask"])
        .current_dir(workspace_root())
        .status();
    assert!(
        built.is_ok_and(|s| s.success()),
        "cargo build -p xtask failed"
    );
    let real_world = workspace_root().join("../shared/real-world");
    let samples = std::env::var_os("OPENCX_SAMPLE_OPENAPI").map(PathBuf::from);
    // Regen's growth: slices of one API (its first operations and what they
    // reach), so that only the number of operations changes. GitHub's at
    // 4 / 90 / 350 / 767 where its document is at hand, else Telnyx's (361
    // operations) from the sample; a quick run slices Telnyx's small.
    let (whole, name, sizes_at): (PathBuf, &str, &[usize]) = match &samples {
        Some(dir) if !quick => (
            dir.join("api.github.com.json"),
            "github",
            &[4, 90, 350, 767],
        ),
        _ if quick => (real_world.join("18-telnyx.com.json"), "telnyx", &[4, 40]),
        _ => (
            real_world.join("18-telnyx.com.json"),
            "telnyx",
            &[4, 90, 180, 361],
        ),
    };
    let growth = match slices(&whole, name, sizes_at) {
        Ok(growth) => growth,
        Err(e) => {
            return Section {
                key: "scale",
                title: TITLE.into(),
                figures: Vec::new(),
                body: format!("{}: {e}\n", whole.display()),
            }
        }
    };
    let mut body = String::from(
        "`cargo xtask regen` as maintainers run it (the dev profile, the `xtask` binary, its \
         own process), the outputs already written (what a maintainer's regen after a small \
         upstream change does):\n\n\
         | API | operations | generated lines | regen | per operation | per 1,000 lines | peak memory |\n\
         | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n",
    );
    let mut figures = Vec::new();
    let mut per_op = Vec::new();
    for api in &growth {
        let root = scratch().join("ws").join(&api.name);
        if let Err(e) = workspace(&root, &api.document) {
            body.push_str(&format!("| {} | – | – | fails: {e} | | | |\n", api.name));
            continue;
        }
        let operations = operations_of(&root);
        let lines = sides::lines(&root.join("opencx-api/generated/client.rs"));
        // The median of three runs: one run on a shared machine is noise.
        let runs: Result<Vec<(f64, f64)>, String> = (0..3).map(|_| regen_process(&root)).collect();
        match runs {
            Ok(mut runs) => {
                runs.sort_by(|a, b| a.0.total_cmp(&b.0));
                let (seconds, mib) = runs[1];
                let ms = seconds * 1000.0 / operations.max(1) as f64;
                let per_k = seconds * 1000.0 * 1000.0 / lines.max(1) as f64;
                per_op.push((operations, ms));
                body.push_str(&format!(
                    "| {} | {operations} | {lines} | {seconds:.2} s | {ms:.1} ms | {per_k:.0} ms | {mib:.0} MiB |\n",
                    api.name
                ));
                if api.name == "github-767" {
                    figures.push(
                        Figure::new(
                            "`cargo xtask regen` of GitHub's API (767 operations), dev profile",
                            format!("{seconds:.1} s, {mib:.0} MiB"),
                        )
                        .target("about a minute or less", seconds <= 75.0),
                    );
                }
            }
            Err(e) => body.push_str(&format!(
                "| {} | {operations} | {lines} | {e} | | | |\n",
                api.name
            )),
        }
    }
    if let (Some(first), Some(last)) = (per_op.get(1), per_op.last()) {
        let growth = last.1 / first.1.max(1e-9);
        figures.push(
            Figure::new(
                format!(
                    "regen per operation, {} ÷ {} operations of one API",
                    last.0, first.0
                ),
                format!("{growth:.2}× ({:.1} ms ÷ {:.1} ms)", last.1, first.1),
            )
            .target("about 1× (linear)", growth <= 1.5),
        );
    }
    // Side by side.
    let mut sided = Vec::new();
    match &samples {
        Some(dir) if !quick => {
            sided.push(Api {
                name: "nexus".into(),
                document: dir.join("nexus.json"),
            });
            sided.push(Api {
                name: "github".into(),
                document: dir.join("api.github.com.json"),
            });
        }
        Some(_) | None if quick => sided.push(Api {
            name: "twilio-flex".into(),
            document: real_world.join("04-twilio.com_twilio_flex_v2.json"),
        }),
        _ => body.push_str(
            "\nThe side-by-side table needs GitHub's and Nexus's documents: set \
             `OPENCX_SAMPLE_OPENAPI` to a folder holding progenitor's \
             `sample_openapi/api.github.com.json` and `nexus.json`.\n",
        ),
    }
    if !sided.is_empty() {
        body.push_str(
            "\nThe pipeline and progenitor 0.15.1 alone (builder interface, default settings) \
             on the same documents; generation in this process (release), builds of the client \
             crate alone (no mocks) in a target folder of its own:\n\n\
             | API | generator | outcome | lines | generate | `cargo check` | `cargo build`, crate alone | clean `cargo build` | rustc peak memory |\n\
             | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n",
        );
    }
    for api in &sided {
        let sides = [
            ("pipeline", sides::ours(api, sizes.timed_builds)),
            (
                "progenitor alone",
                sides::progenitor(api, sizes.timed_builds),
            ),
        ];
        for (who, side) in &sides {
            let (check, alone, clean, memory) = match &side.built {
                Some(Ok(b)) => (
                    format!("{:.1} s", b.check),
                    format!("{:.1} s", b.alone),
                    format!("{:.1} s", b.clean),
                    format!("{:.0} MiB", b.memory),
                ),
                Some(Err(e)) => (
                    format!("**{e}**"),
                    String::new(),
                    String::new(),
                    String::new(),
                ),
                None => ("–".into(), "–".into(), "–".into(), "–".into()),
            };
            body.push_str(&format!(
                "| {} | {who} | {} | {} | {:.1} s | {check} | {alone} | {clean} | {memory} |\n",
                api.name,
                side.outcome.replace('|', "\\|"),
                side.lines,
                side.generate,
            ));
        }
        if let (Some(Ok(ours)), Some(Ok(theirs))) = (&sides[0].1.built, &sides[1].1.built) {
            let ratio = ours.alone / theirs.alone.max(1e-9);
            figures.push(
                Figure::new(
                    format!(
                        "{}: `cargo build` of the client crate, pipeline ÷ progenitor alone",
                        api.name
                    ),
                    format!("{ratio:.2}× ({:.1} s ÷ {:.1} s)", ours.alone, theirs.alone),
                )
                .target("about 2× at most", ratio <= 2.2),
            );
        }
    }
    let _ = std::fs::remove_dir_all(scratch().join("build"));
    Section {
        key: "scale",
        title: TITLE.into(),
        figures,
        body,
    }
}
