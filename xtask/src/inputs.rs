//! What regen read: a digest of `specs/` (the vendored documents and the
//! overlay), recorded in `CONVERSION.md`, so that `diff` can tell outputs
//! older than `specs/` without generating again.

use anyhow::{Context, Result};

use crate::vendor::sha256_hex;
use crate::workspace::Workspace;

/// How the digest is written in `CONVERSION.md`.
const PREFIX: &str = "Generated from `specs/` with sha256 ";

/// The sha256 of every file in `specs/` but `provenance.yaml` (which regen
/// writes itself), by name and content, in name order.
pub fn digest(ws: &Workspace) -> Result<String> {
    let dir = ws.specs_dir();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .with_context(|| format!("reading {}", ws.display(&dir)))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.is_file() && path != &ws.provenance_path())
        .collect();
    files.sort();
    let mut all = Vec::new();
    for path in files {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        all.extend(name.unwrap_or_default().into_bytes());
        all.push(0);
        all.extend(std::fs::read(&path).with_context(|| format!("reading {}", ws.display(&path)))?);
        all.push(0);
    }
    Ok(sha256_hex(&all))
}

/// The line `CONVERSION.md` ends with.
pub fn line(digest: &str) -> String {
    format!("\n{PREFIX}`{digest}`.\n")
}

/// The digest a `CONVERSION.md` records, if it records one.
pub fn recorded(report: &str) -> Option<&str> {
    let rest = &report[report.rfind(PREFIX)? + PREFIX.len()..];
    rest.strip_prefix('`')?.split('`').next()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_line_reads_back() {
        let report = format!("# Conversion report\n{}", super::line("ab12"));
        assert_eq!(super::recorded(&report), Some("ab12"));
        assert_eq!(super::recorded("# Conversion report\n"), None);
    }
}
