//! `cargo xtask upstream [--docs-url URL] --out DIR`: the whole upstream
//! step in one command, for a scheduled job. It reads the docs site as
//! `vendor --fetch` does; when upstream matches `specs/` it says "up to date"
//! and writes nothing. Otherwise it vendors every changed and every new
//! operation, regenerates, and writes into `DIR` what a pull request needs:
//!
//! - `branch`: `upstream/<docs host>`, the same for every run against the
//!   site, so one pull request is opened and then updated;
//! - `title`: `opencx-api 0.3.0: 2 operations added, 1 breaking change`, the
//!   version the CHANGELOG now calls for;
//! - `body.md`: what changed upstream, the API changes (as `cargo xtask diff
//!   --format markdown` writes them), `CONVERSION.md`'s new lines and what to
//!   review;
//! - `changelog.md`: this step's CHANGELOG entry;
//! - `digest`: the sha256 of `specs/` after the step (as `CONVERSION.md`
//!   records it), which names the upstream state the branch holds.
//!
//! Every page is downloaded and checked before anything is written; if
//! vendoring or regenerating fails after that, `specs/` is put back as it
//! was (regen writes its outputs only once all are computed).

mod pull_request;

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

pub use pull_request::{body, branch, new_report_lines, title};

use crate::fetch::{self, Plan};
use crate::workspace::{write_atomically, Workspace};

/// How `cargo xtask upstream` was asked to run.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    /// The docs site (its `llms.txt` is read), or the index's own URL.
    pub docs_url: &'a str,
    /// Where the pull request's files go: a folder that does not exist yet,
    /// or an empty one.
    pub out: &'a Path,
}

/// The files written into `--out`, in order.
pub const FILES: [&str; 5] = ["branch", "title", "body.md", "changelog.md", "digest"];

/// Runs `cargo xtask upstream`: progress and notes go to `err`, what was
/// done to `out`. Returns the exit code (0: up to date, or a step ready for
/// a pull request); every failure is an error naming what failed.
pub fn run(
    ws: &Workspace,
    options: Options,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<u8> {
    check_out_dir(options.out)?;
    let (upstream, plan) = fetch::survey(ws, options.docs_url, err)?;
    if !plan.differs() {
        let _ = writeln!(
            out,
            "up to date: upstream matches the vendored documents ({} operations); nothing written",
            plan.unchanged.len()
        );
        return Ok(0);
    }
    let read = |path: PathBuf| std::fs::read_to_string(path).unwrap_or_default();
    let conversion_before = read(ws.report_path());
    let specs = Snapshot::take(&ws.specs_dir())?;
    let done = match vendor_and_regen(ws, &plan, out) {
        Ok(done) => done,
        Err(error) => {
            specs
                .restore()
                .with_context(|| format!("{error:#}; and putting specs/ back as it was failed"))?;
            bail!("{error:#}; specs/ is put back as it was");
        }
    };
    for warning in &done.warnings {
        let _ = writeln!(err, "warning: {warning}");
    }
    let explanation = &done.explanation;
    let changelog = read(ws.changelog_path());
    let crate_version = std::fs::read_to_string(ws.crate_manifest_path())
        .ok()
        .and_then(|m| crate::changelog::crate_version(&m));
    let version = crate::changelog::next_release(&changelog, crate_version.as_deref())
        .or(crate_version)
        .unwrap_or_else(|| "(unversioned)".into());
    let digest = crate::inputs::digest(ws)?;
    let conversion = new_report_lines(&conversion_before, &read(ws.report_path()));
    let files = [
        branch(&upstream.index),
        title(&version, explanation),
        body(&upstream.index, &plan, explanation, &conversion, &digest),
        crate::changelog::entry(explanation),
        digest,
    ];
    std::fs::create_dir_all(options.out)
        .with_context(|| format!("creating {}", options.out.display()))?;
    for (name, content) in FILES.iter().zip(&files) {
        let text = if name.ends_with(".md") {
            content.clone()
        } else {
            format!("{content}\n")
        };
        write_atomically(&options.out.join(name), text.as_bytes())?;
    }
    let _ = write!(out, "{}", explanation.render(crate::diff::Format::Text));
    let _ = writeln!(out, "{}", files[1]);
    for name in FILES {
        let _ = writeln!(out, "wrote {}", options.out.join(name).display());
    }
    Ok(0)
}

/// `--out` must be new or empty: a pull request made from what an earlier
/// run left there would be wrong, and "up to date" writes nothing to tell.
fn check_out_dir(dir: &Path) -> Result<()> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                bail!(
                    "--out {}: the folder is not empty; give a new or empty one",
                    dir.display()
                );
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => bail!("--out {}: {e}", dir.display()),
    }
}

/// Vendors the changed and new operations of `plan` and regenerates.
fn vendor_and_regen(
    ws: &Workspace,
    plan: &Plan,
    out: &mut dyn Write,
) -> Result<crate::regen::Regenerated> {
    let sources = fetch::select(plan, true, &[])?;
    let records = crate::vendor::vendor_sources(ws, sources)?;
    fetch::vendored_lines(out, &records);
    crate::regen::regen_with_warnings(ws).context("regenerating from the vendored documents")
}

/// The files of a folder as they were, to put back.
struct Snapshot {
    dir: PathBuf,
    files: Vec<(PathBuf, Vec<u8>)>,
}

impl Snapshot {
    fn take(dir: &Path) -> Result<Self> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
            let path = entry?.path();
            if path.is_file() {
                let bytes =
                    std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
                files.push((path, bytes));
            }
        }
        Ok(Self {
            dir: dir.to_path_buf(),
            files,
        })
    }

    /// Puts every file back and removes the ones that were not there.
    fn restore(&self) -> Result<()> {
        for entry in std::fs::read_dir(&self.dir)? {
            let path = entry?.path();
            if path.is_file() && self.files.iter().all(|(p, _)| *p != path) {
                std::fs::remove_file(&path)
                    .with_context(|| format!("removing {}", path.display()))?;
            }
        }
        for (path, bytes) in &self.files {
            if std::fs::read(path).ok().as_deref() != Some(bytes.as_slice()) {
                write_atomically(path, bytes)?;
            }
        }
        Ok(())
    }
}
