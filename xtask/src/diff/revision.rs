//! The committed outputs of another revision, read with `git show`, to explain
//! the working tree against it (`cargo xtask diff --base REV`).

use std::process::Command;

use anyhow::{anyhow, bail, Context, Result};
use serde_json::Value;

use super::{explain, Explanation};
use crate::workspace::Workspace;

/// The API changes from revision `base` to the working tree's committed outputs.
pub fn against(ws: &Workspace, base: &str) -> Result<Explanation> {
    let doc_path = ws.merged_path();
    let client_path = ws.generated_dir().join("client.rs");
    let old_doc = show(ws, base, &ws.display(&doc_path))?;
    let old_client = show(ws, base, &ws.display(&client_path))?;
    let new_doc = std::fs::read_to_string(&doc_path)
        .with_context(|| format!("reading {}", ws.display(&doc_path)))?;
    let new_client = std::fs::read_to_string(&client_path)
        .with_context(|| format!("reading {}", ws.display(&client_path)))?;
    let parse = |text: &str, what: &str| -> Result<Value> {
        serde_json::from_str(text).map_err(|e| anyhow!("{what}: not JSON: {e}"))
    };
    let old_doc = parse(&old_doc, &format!("{base}:opencx-api/openapi.json"))?;
    let new_doc = parse(&new_doc, "opencx-api/openapi.json")?;
    explain(&old_doc, &new_doc, &old_client, &new_client).map_err(|e| anyhow!(e))
}

/// A file's content at `rev`.
fn show(ws: &Workspace, rev: &str, path: &str) -> Result<String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(ws.root())
        .arg("show")
        .arg(format!("{rev}:{path}"))
        .output()
        .context("running git")?;
    if !output.status.success() {
        bail!(
            "git show {rev}:{path} failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    String::from_utf8(output.stdout).with_context(|| format!("{rev}:{path} is not UTF-8"))
}
