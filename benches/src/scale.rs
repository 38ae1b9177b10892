//! Any size: regen's cost from 4 operations to GitHub's 767, and Oxide's
//! Nexus API through the pipeline beside progenitor alone.
//!
//! - Regen as maintainers run it: `cargo xtask regen` in the dev profile (the
//!   `xtask` binary the workspace builds), a process of its own, timed with
//!   its peak memory (`/usr/bin/time`), on OpenCX's four operations, the
//!   httpbin's, InfluxData's and Telnyx's APIs from `../shared/real-world/`
//!   and GitHub's REST API; the milliseconds per operation show whether it
//!   grows linearly.
//! - Side by side on Nexus (which progenitor generates), and ours alone on
//!   GitHub's (on which progenitor panics): generated lines, generation in
//!   this process (release, both), and the client crate's `cargo check`
//!   (dependencies built) and clean `cargo build` with rustc's peak memory.
//!
//! GitHub's and Nexus's documents are not in this repository: progenitor
//! keeps them as `sample_openapi/api.github.com.json` and `nexus.json`; set
//! `OPENCX_SAMPLE_OPENAPI` to a folder holding them (the section says so
//! when it is not set). A quick run measures two small documents instead.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use opencx_tests::generated_crate::{self, ApiCrate, Member};

use crate::corpus::alone::{self, Outcome};
use crate::{workspace_root, Figure, Section, Sizes};

/// Where the scratch workspaces and target folders go.
fn scratch() -> PathBuf {
    workspace_root().join("target/bench-scale")
}

/// A document to measure: its name, operations counted by regen, and path.
struct Api {
    name: String,
    document: PathBuf,
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
fn workspace(root: &Path, document: &Path) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(root);
    for sub in ["specs", "opencx-api/generated", "opencx-api/src"] {
        std::fs::create_dir_all(root.join(sub)).map_err(|e| e.to_string())?;
    }
    let xtask = |args: &[&str]| {
        let mut all = vec!["--root".to_string(), root.display().to_string()];
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

fn lines(path: &Path) -> usize {
    std::fs::read_to_string(path)
        .map(|t| t.lines().count())
        .unwrap_or(0)
}

/// Seconds of a crate's clean `cargo build` (a target folder of its own:
/// its dependencies too), its `cargo build` and `cargo check` alone (its
/// dependencies built, its source touched), and rustc's peak memory (the
/// largest child's, MiB).
struct Built {
    clean: f64,
    alone: f64,
    check: f64,
    memory: f64,
}

fn build(dir: &Path, member: &str) -> Result<Built, String> {
    let target = dir.join("target");
    let _ = std::fs::remove_dir_all(&target);
    let run = |args: &[&str]| {
        let mut command = Command::new("/usr/bin/time");
        command
            .args(["-f", "%e %M"])
            .arg(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .args(args)
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", &target)
            .env("CARGO_INCREMENTAL", "0")
            .env_remove("RUSTFLAGS");
        let output = command.output().map_err(|e| e.to_string())?;
        let err = String::from_utf8_lossy(&output.stderr).into_owned();
        let last = err.lines().last().unwrap_or_default().to_string();
        let mut parts = last.split_whitespace();
        let seconds = parts.next().and_then(|s| s.parse::<f64>().ok());
        let kib = parts.next().and_then(|s| s.parse::<f64>().ok());
        match (output.status.success(), seconds, kib) {
            (true, Some(s), Some(k)) => Ok((s, k / 1024.0)),
            _ => Err(format!("cargo {args:?} failed: {}", alone::one_line(&err))),
        }
    };
    let lib = dir.join(member).join("src/lib.rs");
    let text = std::fs::read_to_string(&lib).map_err(|e| e.to_string())?;
    let touch = || std::fs::write(&lib, &text).map_err(|e| e.to_string());
    let (clean, memory) = run(&["build", "--offline", "--quiet", "-p", member])?;
    touch()?;
    let (alone, _) = run(&["build", "--offline", "--quiet", "-p", member])?;
    // Check once to build what check needs, then again, timed.
    run(&["check", "--offline", "--quiet", "-p", member])?;
    touch()?;
    let (check, _) = run(&["check", "--offline", "--quiet", "-p", member])?;
    let _ = std::fs::remove_dir_all(&target);
    Ok(Built {
        clean,
        alone,
        check,
        memory,
    })
}

/// One side of the comparison on a document.
struct Side {
    outcome: String,
    lines: usize,
    generate: f64,
    built: Option<Result<Built, String>>,
}

/// The pipeline's side: its client (no mocks: the `mock` feature is off by
/// default, as progenitor alone writes none), generation timed in process.
fn ours(api: &Api, timed_builds: bool) -> Side {
    let root = scratch().join("ws").join(&api.name);
    if let Err(e) = workspace(&root, &api.document) {
        return Side {
            outcome: format!("fails: {e}"),
            lines: 0,
            generate: 0.0,
            built: None,
        };
    }
    let started = Instant::now();
    let mut all = vec!["--root".to_string(), root.display().to_string()];
    all.extend(["regen".to_string()]);
    let _ = xtask::cli::run(&all, &mut Vec::new(), &mut Vec::new());
    // The outputs are there: regen had nothing to write, which is the same
    // work bar the writes. A fresh workspace's regen includes them.
    let generate = started.elapsed().as_secs_f64();
    let generated = root.join("opencx-api/generated");
    let built = timed_builds.then(|| {
        let dir = scratch().join("build").join(format!("ours-{}", api.name));
        let crates = [ApiCrate {
            name: "client".into(),
            generated: generated.clone(),
        }];
        generated_crate::write_workspace(&dir, &crates, &[])?;
        build(&dir, "client")
    });
    Side {
        outcome: "a client".into(),
        lines: lines(&generated.join("client.rs")),
        generate,
        built,
    }
}

/// progenitor alone's side.
fn progenitor(api: &Api, timed_builds: bool) -> Side {
    let text = std::fs::read_to_string(&api.document).unwrap_or_default();
    let (outcome, generate) = alone::generate(&text, true);
    let Outcome::Generated(code) = outcome else {
        let outcome = match outcome {
            Outcome::Refused(why) => format!("refuses: {why}"),
            Outcome::Panicked(why) => format!("panics: {why}"),
            Outcome::Generated(_) => unreachable!("matched above"),
        };
        return Side {
            outcome,
            lines: 0,
            generate,
            built: None,
        };
    };
    let built = timed_builds.then(|| {
        let dir = scratch().join("build").join(format!("alone-{}", api.name));
        let source = dir.join("client.rs");
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        std::fs::write(&source, &code).map_err(|e| e.to_string())?;
        let member = Member {
            name: "client".into(),
            manifest: alone::manifest("client"),
            lib: format!(
                "#![allow(warnings, clippy::all)]\ninclude!({:?});\n",
                source.display().to_string()
            ),
        };
        generated_crate::write_workspace(&dir, &[], &[member])?;
        build(&dir, "client")
    });
    Side {
        outcome: "a client".into(),
        lines: code.lines().count(),
        generate,
        built,
    }
}

fn operations_of(root: &Path) -> usize {
    let client =
        std::fs::read_to_string(root.join("opencx-api/generated/client.rs")).unwrap_or_default();
    xtask::accounting::generated_operations(&client)
        .map(|g| g.len())
        .unwrap_or(0)
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
    // Regen's growth: from OpenCX's four pages up.
    let mut growth: Vec<Api> = vec![Api {
        name: "opencx".into(),
        document: workspace_root().join("specs"),
    }];
    if quick {
        growth.push(Api {
            name: "sagemaker-metrics".into(),
            document: real_world.join("01-amazonaws.com_sagemaker-metrics.json"),
        });
    } else {
        growth.push(Api {
            name: "httpbin".into(),
            document: real_world.join("13-httpbin.org.json"),
        });
        growth.push(Api {
            name: "influxdata".into(),
            document: real_world.join("16-influxdata.com.json"),
        });
        growth.push(Api {
            name: "telnyx".into(),
            document: real_world.join("18-telnyx.com.json"),
        });
        if let Some(dir) = &samples {
            growth.push(Api {
                name: "github".into(),
                document: dir.join("api.github.com.json"),
            });
        }
    }
    let mut body = String::from(
        "`cargo xtask regen` as maintainers run it (the dev profile, the `xtask` binary, its \
         own process), the outputs already written (what a maintainer's regen after a small \
         upstream change does):\n\n\
         | API | operations | regen | per operation | peak memory |\n\
         | --- | ---: | ---: | ---: | ---: |\n",
    );
    let mut figures = Vec::new();
    let mut per_op = Vec::new();
    for api in &growth {
        let root = scratch().join("ws").join(&api.name);
        if let Err(e) = workspace(&root, &api.document) {
            body.push_str(&format!("| {} | – | fails: {e} | | |\n", api.name));
            continue;
        }
        let operations = operations_of(&root);
        match regen_process(&root) {
            Ok((seconds, mib)) => {
                let ms = seconds * 1000.0 / operations.max(1) as f64;
                per_op.push((operations, ms));
                body.push_str(&format!(
                    "| {} | {operations} | {seconds:.1} s | {ms:.0} ms | {mib:.0} MiB |\n",
                    api.name
                ));
                if api.name == "github" {
                    figures.push(
                        Figure::new(
                            "`cargo xtask regen` of GitHub's API (767 operations), dev profile",
                            format!("{seconds:.1} s, {mib:.0} MiB"),
                        )
                        .target("about a minute or less", seconds <= 75.0),
                    );
                }
            }
            Err(e) => body.push_str(&format!("| {} | {operations} | {e} | | |\n", api.name)),
        }
    }
    if let (Some(first), Some(last)) = (per_op.get(1), per_op.last()) {
        let growth = last.1 / first.1.max(1e-9);
        figures.push(
            Figure::new(
                format!("regen per operation, {} ÷ {} operations", last.0, first.0),
                format!("{growth:.2}×"),
            )
            .target("about 1× (linear)", growth <= 2.0),
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
            ("pipeline", ours(api, sizes.timed_builds)),
            ("progenitor alone", progenitor(api, sizes.timed_builds)),
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
        title: "10. Any size: GitHub's API, and Nexus beside progenitor alone".into(),
        figures,
        body,
    }
}
