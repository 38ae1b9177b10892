//! Crates that use a generated client as a downstream crate does, built
//! beside it, with what rustc said about each: so a test can show which
//! uses warn (a deprecated item) and that the client itself warns of
//! nothing. rustc's messages are read from cargo's JSON output, so the
//! shared target folder keeps its flags (and its built dependencies).

use std::path::Path;

use serde_json::Value;

use crate::generated_crate::{api_lib, cargo, crate_manifest, workspace_manifest, write, ApiCrate};

/// A crate depending on the client crate by path, with `lib` as its
/// `src/lib.rs`.
pub struct Downstream {
    /// Its name, also its library's (no `-`).
    pub name: String,
    pub lib: String,
}

/// One warning or error rustc gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The crate it is about.
    pub krate: String,
    /// `warning` or `error`.
    pub level: String,
    /// The lint or error code (`deprecated`, `E0599`), if any.
    pub code: Option<String>,
    /// The message's first line: `use of deprecated method `x::Client::y`: note`.
    pub message: String,
}

/// Writes one workspace in `dir` with the client crate `api` (mocks
/// included) and the crates `downstream`, `cargo check`s them all, and
/// returns every diagnostic, or cargo's output when the build fails.
pub fn check(
    dir: &Path,
    api: &ApiCrate,
    downstream: &[Downstream],
) -> Result<Vec<Diagnostic>, String> {
    let mut members = vec![api.name.clone()];
    members.extend(downstream.iter().map(|d| d.name.clone()));
    write(&dir.join("Cargo.toml"), &workspace_manifest(&members));
    std::fs::copy(
        crate::workspace_root().join("Cargo.lock"),
        dir.join("Cargo.lock"),
    )
    .map_err(|e| format!("copying Cargo.lock: {e}"))?;
    let root = dir.join(&api.name);
    write(&root.join("Cargo.toml"), &crate_manifest(&api.name, &[]));
    write(&root.join("src/lib.rs"), &api_lib(&api.generated));
    for crate_ in downstream {
        let manifest = format!(
            "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\n{api} = {{ path = \"../{api}\", features = [\"mock\"] }}\n",
            name = crate_.name,
            api = api.name,
        );
        write(&dir.join(&crate_.name).join("Cargo.toml"), &manifest);
        write(&dir.join(&crate_.name).join("src/lib.rs"), &crate_.lib);
    }
    let output = cargo(
        dir,
        &[
            "check",
            "--offline",
            "--all-features",
            "--workspace",
            "--message-format=json",
        ],
        &[],
    )?;
    Ok(output.lines().filter_map(diagnostic).collect())
}

/// The diagnostic in one line of cargo's JSON output, if it holds one.
fn diagnostic(line: &str) -> Option<Diagnostic> {
    let value: Value = serde_json::from_str(line).ok()?;
    if value["reason"] != "compiler-message" {
        return None;
    }
    let message = &value["message"];
    Some(Diagnostic {
        krate: value["target"]["name"].as_str()?.to_string(),
        level: message["level"].as_str()?.to_string(),
        code: message["code"]["code"].as_str().map(str::to_string),
        message: message["message"].as_str()?.to_string(),
    })
}
