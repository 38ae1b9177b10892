//! `opencx-bench corpus DIR`: any folder of OpenAPI documents through the
//! pipeline, through progenitor alone and through openapi-to-rust, side by
//! side, as a table a maintainer reads before adopting a new upstream: per
//! document, the operations generated of all, what was left out and why
//! (grouped by reason), the generated lines, regen's time, and (unless
//! `--no-check`) the `cargo check` time of each client; the same for
//! progenitor alone and for openapi-to-rust.
//!
//! The pipeline and progenitor run in this process and profile
//! (`--release`), so their times compare; a maintainer's `cargo xtask regen`
//! is the dev profile. openapi-to-rust is its own program, installed from the
//! registry (a release build) by the run itself (`openapi_to_rust.rs`); its
//! time is its process's. The clients are checked in one workspace under
//! `target/corpus/<folder>/` (openapi-to-rust's in a second one, with the
//! dependency versions its install fetched), sharing one target folder: each
//! crate is checked once to build its dependencies, then checked alone again
//! and timed (`CARGO_INCREMENTAL=0`, its source touched). With `--wire`, each
//! client's generated contract tests run against Prism serving its document
//! (`wire.rs`), and the report says, per operation, whether it passed and,
//! if not, whose fault it was.

pub(crate) mod alone;
mod openapi_to_rust;
mod render;
mod wire;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use opencx_tests::generated_crate::{self, ApiCrate, Member};

use crate::workspace_root;
use alone::Outcome;

/// What the pipeline made of one document.
struct Ours {
    operations: usize,
    generated: usize,
    /// Reason (its kind: names taken out) → operations left out for it.
    left_out: BTreeMap<String, Vec<String>>,
    lines: usize,
    regen: f64,
    /// A failure of vendor or regen.
    error: Option<String>,
    generated_dir: PathBuf,
}

/// One document, both ways, and the check times (seconds; `None` where not
/// checked, `Err` where it did not compile).
struct Row {
    name: String,
    ours: Ours,
    alone: Outcome,
    alone_seconds: f64,
    alone_lines: usize,
    ours_check: Option<Result<f64, String>>,
    alone_check: Option<Result<f64, String>>,
    /// openapi-to-rust on the document, where it is installed.
    o2r: Option<openapi_to_rust::Generated>,
    /// The check of openapi-to-rust's client: seconds, or the first rustc
    /// error line where it does not compile.
    o2r_check: Option<Result<f64, String>>,
    /// The wire check, where it ran.
    wire: Option<opencx_tests::wire::Report>,
}

/// What `run` does beside generating.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// `cargo check` every client, timed.
    pub check: bool,
    /// Run every client's contract tests against Prism.
    pub wire: bool,
}

/// The reason an operation was left out, with names taken out, so that
/// operations left out for one kind of reason are counted together; the
/// chain "it uses X, which is left out: ..." reads as its root.
fn kind(reason: &str) -> String {
    let mut reason = reason;
    while let Some(rest) = [", which is left out: "]
        .iter()
        .find_map(|sep| reason.split_once(sep).map(|(_, r)| r))
    {
        reason = rest;
    }
    let mut out = String::new();
    let mut quoted = false;
    for c in reason.chars() {
        match c {
            '`' if quoted => {
                quoted = false;
                out.push_str("…`");
            }
            '`' => {
                quoted = true;
                out.push('`');
            }
            _ if quoted => {}
            c => out.push(c),
        }
    }
    alone::one_line(&out)
}

fn count_lines(path: &Path) -> usize {
    std::fs::read_to_string(path)
        .map(|t| t.lines().count())
        .unwrap_or(0)
}

/// The pipeline on one document, in a scratch workspace at `root`.
fn ours(root: &Path, document: &Path) -> Ours {
    opencx_tests::empty_workspace(root);
    let generated_dir = root.join("opencx-api/generated");
    let mut ours = Ours {
        operations: 0,
        generated: 0,
        left_out: BTreeMap::new(),
        lines: 0,
        regen: 0.0,
        error: None,
        generated_dir: generated_dir.clone(),
    };
    let xtask = |args: &[&str]| {
        let mut all = vec!["--root".to_string(), root.display().to_string()];
        all.extend(args.iter().map(|a| a.to_string()));
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let code = xtask::cli::run(&all, &mut out, &mut err);
        (code, String::from_utf8_lossy(&err).into_owned())
    };
    let source = document.display().to_string();
    let (code, err) = xtask(&["vendor", "--name", "api", &source]);
    if code != 0 {
        ours.error = Some(format!("vendor: {}", alone::one_line(&err)));
        return ours;
    }
    let vendored = std::fs::read_dir(root.join("specs"))
        .expect("specs/")
        .map(|e| e.expect("an entry").path())
        .find(|p| p.file_stem().is_some_and(|s| s == "api"))
        .expect("the vendored document");
    let text = std::fs::read_to_string(&vendored).expect("the vendored document");
    // Parsed by the vendored file's own name, so that JSON is read as JSON:
    // SendGrid's document is JSON that YAML's parser refuses.
    let file = vendored.file_name().unwrap_or_default().to_string_lossy();
    if let Ok(doc) = xtask::vendor::parse_vendored(&text, &file) {
        ours.operations = xtask::operations::listed(&doc).len();
    }
    let started = Instant::now();
    let (code, err) = xtask(&["regen"]);
    ours.regen = started.elapsed().as_secs_f64();
    if code != 0 {
        ours.error = Some(alone::one_line(&err));
        return ours;
    }
    let client = std::fs::read_to_string(generated_dir.join("client.rs")).unwrap_or_default();
    ours.generated = xtask::accounting::generated_operations(&client)
        .map(|g| g.len())
        .unwrap_or(0);
    ours.lines = count_lines(&generated_dir.join("client.rs"));
    for warning in err.lines().filter_map(|l| l.strip_prefix("warning: ")) {
        let Some((_, rest)) = warning.split_once(": ") else {
            continue;
        };
        if let Some((operation, reason)) = rest.split_once(" is left out of the generated client: ")
        {
            let operation = operation.split(" (").next().unwrap_or(operation);
            ours.left_out
                .entry(kind(reason))
                .or_default()
                .push(operation.to_string());
        }
    }
    ours
}

/// `cargo check` of each member alone, after one untimed check of each
/// (which builds the dependencies); seconds, or `Err` with rustc's first
/// error line where it does not compile.
fn check_each(
    dir: &Path,
    members: &[String],
    progress: &mut dyn FnMut(&str),
) -> Vec<Result<f64, String>> {
    let target = workspace_root().join("target/corpus-build");
    let cargo = |args: &[&str]| {
        let mut command = crate::build_cost::cargo();
        command
            .args(args)
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", &target)
            .env("CARGO_INCREMENTAL", "0")
            .env_remove("RUSTFLAGS");
        command.output()
    };
    // Each crate once first: `-p` resolves each one's features alone, so
    // the dependencies each needs are built before its check is timed.
    progress("  building the dependencies (each client checked once)");
    for member in members {
        let _ = cargo(&["check", "--offline", "--quiet", "-p", member]);
    }
    members
        .iter()
        .map(|member| {
            // A touched source is checked again; its dependencies are not.
            let lib = dir.join(member).join("src/lib.rs");
            if let Ok(text) = std::fs::read_to_string(&lib) {
                let _ = std::fs::write(&lib, text);
            }
            let started = Instant::now();
            let output = cargo(&["check", "--offline", "--quiet", "-p", member]);
            let seconds = started.elapsed().as_secs_f64();
            progress(&format!("  checked {member} in {seconds:.1} s"));
            match output {
                Ok(o) if o.status.success() => Ok(seconds),
                Ok(o) => Err(first_error(&String::from_utf8_lossy(&o.stderr))),
                Err(e) => Err(format!("cargo did not run: {e}")),
            }
        })
        .collect()
}

/// The first error line of cargo's output (`error[E0425]: ...`), on one
/// line and cut to a table cell's length: where a client does not compile,
/// the report says why.
fn first_error(stderr: &str) -> String {
    let line = stderr
        .lines()
        .find(|l| l.starts_with("error"))
        .unwrap_or("cargo check failed without an error line");
    alone::one_line(line)
}

/// Runs every document of `dir` (its `.json`, `.yaml` and `.yml` files)
/// through each generator, and returns the report (Markdown); see [`Options`].
///
/// # Errors
/// `dir` cannot be read, or holds no document, or (with `wire`) Prism is
/// not installed.
pub fn run(dir: &Path, options: Options, progress: &mut dyn FnMut(&str)) -> Result<String, String> {
    let Options { check, wire } = options;
    let prism = match wire {
        true => Some(
            opencx_tests::contract::find(&workspace_root()).ok_or_else(|| {
                format!(
                    "--wire needs Prism: {}",
                    opencx_tests::contract::INSTALL_HINT
                )
            })?,
        ),
        false => None,
    };
    let mut documents: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "json" || e == "yaml" || e == "yml")
        })
        .collect();
    documents.sort();
    if documents.is_empty() {
        return Err(format!("{}: no .json or .yaml documents", dir.display()));
    }
    // openapi-to-rust is installed (once) before anything is timed; a
    // machine that cannot install it still gets the rest of the report.
    let o2r = openapi_to_rust::install(&workspace_root(), progress);
    if let Err(e) = &o2r {
        progress(&format!("  openapi-to-rust left out: {e}"));
    }
    // A folder a corpus, so that two runs on different folders (a long draw
    // and a quick comparison) never remove each other's workspaces.
    let folder = dir
        .canonicalize()
        .ok()
        .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "corpus".into());
    let scratch = workspace_root().join("target/corpus").join(folder);
    let _ = std::fs::remove_dir_all(&scratch);
    let mut rows = Vec::new();
    for document in &documents {
        let name = document
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        progress(&name);
        let ws = scratch.join("ws").join(&name);
        let ours = ours(&ws, document);
        let wire = match (&prism, &ours.error) {
            (Some(prism), None) => {
                progress("  on the wire (contract tests against Prism)");
                let report = opencx_tests::wire::check(&ws, prism, opencx_tests::wire::WIRE_ROUNDS);
                progress(&format!(
                    "  {} of {} operations passed",
                    report.passed(),
                    report.operations.len()
                ));
                Some(report)
            }
            _ => None,
        };
        let text = std::fs::read_to_string(document).unwrap_or_default();
        let is_json = document.extension().is_some_and(|e| e == "json");
        let (alone, alone_seconds) = alone::generate(&text, is_json);
        let alone_lines = match &alone {
            Outcome::Generated(code) => code.lines().count(),
            _ => 0,
        };
        let o2r = o2r.as_ref().ok().map(|(binary, _)| {
            let generated =
                openapi_to_rust::generate(binary, document, &scratch.join("o2r").join(&name));
            progress(&format!(
                "  openapi-to-rust: {} in {:.1} s",
                match &generated.outcome {
                    Outcome::Generated(_) => format!("{} operations", generated.operations),
                    Outcome::Refused(why) => format!("fails: {why}"),
                    Outcome::Panicked(why) => format!("panics: {why}"),
                },
                generated.seconds
            ));
            generated
        });
        rows.push(Row {
            name,
            ours,
            alone,
            alone_seconds,
            alone_lines,
            ours_check: None,
            alone_check: None,
            o2r,
            o2r_check: None,
            wire,
        });
    }
    if check {
        let build = scratch.join("build");
        let slug = |name: &str| name.to_lowercase().replace(['_', '.'], "-");
        let mut crates = Vec::new();
        let mut members = Vec::new();
        for row in &rows {
            if row.ours.error.is_none() {
                crates.push(ApiCrate {
                    name: format!("ours-{}", slug(&row.name)),
                    generated: row.ours.generated_dir.clone(),
                });
            }
            if let Outcome::Generated(code) = &row.alone {
                let name = format!("alone-{}", slug(&row.name));
                let source = scratch.join("alone").join(format!("{name}.rs"));
                std::fs::create_dir_all(source.parent().expect("a folder"))
                    .map_err(|e| e.to_string())?;
                std::fs::write(&source, code).map_err(|e| e.to_string())?;
                members.push(Member {
                    manifest: alone::manifest(&name),
                    lib: format!(
                        "#![allow(warnings, clippy::all)]\ninclude!({:?});\n",
                        source.display().to_string()
                    ),
                    name,
                });
            }
        }
        generated_crate::write_workspace(&build, &crates, &members)?;
        let names: Vec<String> = crates
            .iter()
            .map(|c| c.name.clone())
            .chain(members.iter().map(|m| m.name.clone()))
            .collect();
        let mut times: BTreeMap<String, Result<f64, String>> = names
            .iter()
            .cloned()
            .zip(check_each(&build, &names, progress))
            .collect();
        // openapi-to-rust's clients in a workspace of their own, from the
        // lock file of its install: their dependencies (reqwest-middleware,
        // reqwest-retry, ...) are not the workspace's.
        let o2r_members: Vec<Member> = rows
            .iter()
            .filter_map(|row| {
                let generated = row.o2r.as_ref()?;
                matches!(generated.outcome, Outcome::Generated(_)).then(|| {
                    let name = format!("o2r-{}", slug(&row.name));
                    Member {
                        manifest: openapi_to_rust::manifest(&name, &generated.dependencies),
                        lib: openapi_to_rust::lib(&generated.dir),
                        name,
                    }
                })
            })
            .collect();
        if !o2r_members.is_empty() {
            let o2r_build = scratch.join("o2r-build");
            write_o2r_workspace(&o2r_build, &o2r_members)?;
            let names: Vec<String> = o2r_members.iter().map(|m| m.name.clone()).collect();
            times.extend(
                names
                    .iter()
                    .cloned()
                    .zip(check_each(&o2r_build, &names, progress)),
            );
        }
        for row in &mut rows {
            row.ours_check = times.get(&format!("ours-{}", slug(&row.name))).cloned();
            row.alone_check = times.get(&format!("alone-{}", slug(&row.name))).cloned();
            row.o2r_check = times.get(&format!("o2r-{}", slug(&row.name))).cloned();
        }
    }
    let o2r_version = o2r
        .as_ref()
        .map(|(_, version)| version.as_str())
        .map_err(String::as_str);
    Ok(render::render(dir, &rows, options, o2r_version))
}

/// The check workspace of openapi-to-rust's clients: one member a client,
/// edition 2024 (resolver 3), starting from the lock file its install
/// fetched, so that the checks need no network.
fn write_o2r_workspace(dir: &Path, members: &[Member]) -> Result<(), String> {
    let write = |path: &Path, text: &str| {
        std::fs::create_dir_all(path.parent().expect("a folder"))
            .and_then(|()| std::fs::write(path, text))
            .map_err(|e| format!("{}: {e}", path.display()))
    };
    let list: Vec<String> = members.iter().map(|m| format!("{:?}", m.name)).collect();
    write(
        &dir.join("Cargo.toml"),
        &format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
            list.join(", ")
        ),
    )?;
    std::fs::copy(
        openapi_to_rust::lock_file(&workspace_root()),
        dir.join("Cargo.lock"),
    )
    .map_err(|e| format!("copying openapi-to-rust's lock file: {e}"))?;
    for member in members {
        write(&dir.join(&member.name).join("Cargo.toml"), &member.manifest)?;
        write(&dir.join(&member.name).join("src/lib.rs"), &member.lib)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_is_counted_by_its_kind() {
        assert_eq!(
            kind("it uses `#/components/schemas/A`, which is left out: `prefixItems` (a tuple) has no lowering"),
            "`…` (a tuple) has no lowering"
        );
    }
}
