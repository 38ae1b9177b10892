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
    write_members(dir, api, downstream, "features = [\"mock\"]")?;
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

/// Writes one workspace in `dir` with the client crate `api` and the crate
/// `downstream`, which takes `api` with its default features off and
/// `features` on (as a crate that uses part of a large API does), and
/// `cargo check`s `downstream` alone, so that no other member's features
/// unify in. Every diagnostic, or cargo's output when the build fails.
pub fn check_with_features(
    dir: &Path,
    api: &ApiCrate,
    downstream: &Downstream,
    features: &[&str],
) -> Result<Vec<Diagnostic>, String> {
    let list: Vec<String> = features.iter().map(|f| format!("{f:?}")).collect();
    let dependency = format!("default-features = false, features = [{}]", list.join(", "));
    write_members(dir, api, std::slice::from_ref(downstream), &dependency)?;
    let output = cargo(
        dir,
        &[
            "check",
            "--offline",
            "-p",
            &downstream.name,
            "--message-format=json",
        ],
        &[],
    );
    let output = match output {
        Ok(output) => output,
        // rustc's errors are the answer; cargo failing is not.
        Err(output) if output.contains("\"compiler-message\"") => output,
        Err(output) => return Err(output),
    };
    Ok(output.lines().filter_map(diagnostic).collect())
}

/// The workspace of [`check`]: `downstream` take `api` with
/// `dependency` (the rest of its TOML spec beside the path).
fn write_members(
    dir: &Path,
    api: &ApiCrate,
    downstream: &[Downstream],
    dependency: &str,
) -> Result<(), String> {
    let mut members = vec![api.name.clone()];
    members.extend(downstream.iter().map(|d| d.name.clone()));
    write(&dir.join("Cargo.toml"), &workspace_manifest(&members));
    std::fs::copy(
        crate::workspace_root().join("Cargo.lock"),
        dir.join("Cargo.lock"),
    )
    .map_err(|e| format!("copying Cargo.lock: {e}"))?;
    let root = dir.join(&api.name);
    write(
        &root.join("Cargo.toml"),
        &crate_manifest(&api.name, &api.generated, &[]),
    );
    write(&root.join("src/lib.rs"), &api_lib(&api.generated));
    for crate_ in downstream {
        let manifest = format!(
            "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\n{api} = {{ path = \"../{api}\", {dependency} }}\n",
            name = crate_.name,
            api = api.name,
        );
        write(&dir.join(&crate_.name).join("Cargo.toml"), &manifest);
        write(&dir.join(&crate_.name).join("src/lib.rs"), &crate_.lib);
    }
    Ok(())
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
