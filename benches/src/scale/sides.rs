//! The two sides of the comparison on one document: the pipeline's client
//! and progenitor alone's, each generated, counted and built in a target
//! folder of its own.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use opencx_tests::generated_crate::{self, ApiCrate, Member};

use super::{scratch, workspace, Api};
use crate::corpus::alone::{self, Outcome};

pub(super) fn lines(path: &Path) -> usize {
    std::fs::read_to_string(path)
        .map(|t| t.lines().count())
        .unwrap_or(0)
}

/// Seconds of a crate's clean `cargo build` (a target folder of its own:
/// its dependencies too), its `cargo build` and `cargo check` alone (its
/// dependencies built, its source touched), and rustc's peak memory (the
/// largest child's, MiB).
pub(super) struct Built {
    pub(super) clean: f64,
    pub(super) alone: f64,
    pub(super) check: f64,
    pub(super) memory: f64,
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
pub(super) struct Side {
    pub(super) outcome: String,
    pub(super) lines: usize,
    pub(super) generate: f64,
    pub(super) built: Option<Result<Built, String>>,
}

/// The pipeline's side: its client (no mocks: the `mock` feature is off by
/// default, as progenitor alone writes none), generation timed in process.
pub(super) fn ours(api: &Api, timed_builds: bool) -> Side {
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
    // Generation alone: the build is measured apart.
    let mut all = vec![
        "--root".to_string(),
        root.display().to_string(),
        "--no-compile-check".to_string(),
    ];
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
pub(super) fn progenitor(api: &Api, timed_builds: bool) -> Side {
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
