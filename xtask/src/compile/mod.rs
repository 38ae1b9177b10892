//! The compile check: regen builds the client it generated, and an error
//! rustc finds costs the operation or schema it is in, never the API.
//!
//! progenitor and typify can write code that does not compile without
//! failing themselves (a header parameter of a type without `Display`, two
//! types of one name). Here the generated `client.rs` and `mock.rs` are
//! `cargo check`ed as a crate on the runtime ([`scratch`]), rustc's errors
//! are read ([`diagnostics`]) and placed in the operation or component
//! schema that generated their line ([`place`]); [`crate::isolate`] leaves
//! each out with rustc's message as the reason, and generates again. An
//! error that cannot be placed fails regen with rustc's message and the
//! generated file it is in.
//!
//! The crate lives in `target/compile-check/` (its own target folder, so a
//! `cargo` that holds the workspace's lock does not block it; the
//! dependencies are built once, and cargo's incremental compilation makes a
//! small upstream change cheap to check again). `--no-compile-check` turns
//! it off.

pub mod diagnostics;
pub mod place;
pub mod scratch;

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{anyhow, bail, Context, Result};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::codegen::Generated;
use crate::isolate::Exclusion;

/// Where one workspace's generated client is checked.
pub struct Checker {
    /// The scratch crate's workspace (its manifest, lock file, the crate).
    dir: PathBuf,
    /// The crate's name, and its folder in `dir`: one a workspace. cargo
    /// tells a path crate's artifacts apart by name, version and path
    /// within its workspace, so two workspaces' crates of one name would
    /// share artifacts, and one would be found fresh on the other's build.
    name: String,
    /// cargo's target folder for it.
    target: PathBuf,
    /// The checkout whose runtime and manifests the crate is built on.
    checkout: PathBuf,
}

impl Checker {
    /// The checker for the workspace at `root`: a folder of its own under
    /// the target folder (`CARGO_TARGET_DIR`, else the checkout's
    /// `target/`), so that each workspace's client is checked incrementally
    /// and two workspaces do not share one.
    pub fn for_workspace(root: &Path) -> Self {
        let checkout = scratch::checkout();
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| checkout.join("target"))
            .join("compile-check");
        let key = Sha256::digest(root.to_string_lossy().as_bytes());
        let key: String = key.iter().take(8).map(|b| format!("{b:02x}")).collect();
        Self {
            dir: target.join("crates").join(&key),
            name: format!("client-{key}"),
            target,
            checkout,
        }
    }

    /// What `generated` (from `doc`) does not compile for: each part of
    /// `doc` to leave out, with rustc's message. An error outside every
    /// part, or a check that cannot run, is an error.
    pub fn check(&self, doc: &Value, generated: &Generated) -> Result<Vec<Exclusion>> {
        let generated_dir = self.write(generated)?;
        let errors = self.cargo_check()?;
        if errors.is_empty() {
            return Ok(Vec::new());
        }
        let client = generated_dir.join("client.rs");
        let mock = generated_dir.join("mock.rs");
        let outlines = [
            (client.clone(), place::Outline::of(&generated.client)),
            (mock, place::Outline::of(&generated.mock)),
        ];
        let parts = place::Parts::of(doc);
        let mut exclusions: Vec<Exclusion> = Vec::new();
        for error in &errors {
            let placed = error.spans.iter().find_map(|(file, line)| {
                let (_, outline) = outlines.iter().find(|(path, _)| path == file)?;
                parts.place(outline.at(*line))
            });
            let Some(pointer) = placed else {
                bail!(
                    "the generated client does not compile, and the error is in no one \
                     operation or schema regen could leave out (the code is in {}):\n{}",
                    client.display(),
                    error.rendered.trim_end()
                );
            };
            if exclusions.iter().all(|e| e.pointer != pointer) {
                exclusions.push(Exclusion {
                    pointer,
                    reason: format!("the generated code does not compile: {}", error.message),
                });
            }
        }
        Ok(exclusions)
    }

    /// Writes the crate around `generated`; returns the folder of its
    /// `client.rs` and `mock.rs`.
    fn write(&self, generated: &Generated) -> Result<PathBuf> {
        let krate = self.dir.join(&self.name);
        let generated_dir = krate.join("generated");
        std::fs::create_dir_all(&generated_dir)
            .with_context(|| format!("creating {}", generated_dir.display()))?;
        let files = [
            (
                self.dir.join("Cargo.toml"),
                scratch::workspace_manifest(&self.checkout, std::slice::from_ref(&self.name))?,
            ),
            (
                krate.join("Cargo.toml"),
                scratch::crate_manifest(&self.checkout, &self.name, &generated.client, &[])?,
            ),
            (
                krate.join("src/lib.rs"),
                scratch::api_lib(&self.checkout, &generated_dir),
            ),
            (generated_dir.join("client.rs"), generated.client.clone()),
            (generated_dir.join("mock.rs"), generated.mock.clone()),
        ];
        for (path, content) in files {
            // Unchanged files keep their times, so cargo checks only what
            // changed.
            if std::fs::read_to_string(&path).ok().as_deref() != Some(content.as_str()) {
                std::fs::create_dir_all(path.parent().expect("a parent"))?;
                std::fs::write(&path, content)
                    .with_context(|| format!("writing {}", path.display()))?;
            }
        }
        let lock = self.checkout.join("Cargo.lock");
        std::fs::copy(&lock, self.dir.join("Cargo.lock"))
            .with_context(|| format!("copying {}", lock.display()))?;
        Ok(generated_dir)
    }

    /// `cargo check` of the crate with its mocks; rustc's errors. cargo
    /// failing without one (a dependency it cannot resolve offline) is an
    /// error.
    fn cargo_check(&self) -> Result<Vec<diagnostics::CompileError>> {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let output = Command::new(&cargo)
            .args([
                "check",
                "--offline",
                "--quiet",
                "--message-format=json",
                // Every item, the types only `all-schemas` turns on too.
                "--all-features",
            ])
            .current_dir(&self.dir)
            .env("CARGO_TARGET_DIR", &self.target)
            // The workspace's flags (`-D warnings` in CI) are not the
            // check's: a warning in generated code is not a failure.
            .env_remove("RUSTFLAGS")
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .env_remove("CARGO_BUILD_RUSTFLAGS")
            .output()
            .map_err(|e| {
                anyhow!(
                    "the compile check cannot run cargo ({}): {e}; turn it off with \
                     `cargo xtask regen --no-compile-check`",
                    Path::new(&cargo).display()
                )
            })?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        let errors = diagnostics::errors(&stdout);
        if !output.status.success() && errors.is_empty() {
            bail!(
                "the compile check's `cargo check` in {} failed without a compile error; \
                 turn it off with `cargo xtask regen --no-compile-check`:\n{}",
                self.dir.display(),
                String::from_utf8_lossy(&output.stderr).trim_end()
            );
        }
        Ok(errors)
    }
}
