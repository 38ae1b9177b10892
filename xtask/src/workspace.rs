//! Where things live in the workspace, and how outputs are written.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// The workspace root and the fixed locations of inputs and outputs below it.
#[derive(Debug, Clone)]
pub struct Workspace {
    root: PathBuf,
}

impl Workspace {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// The workspace this xtask binary was built in.
    pub fn current() -> Self {
        Self::new(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .parent()
                .expect("xtask lives in the workspace"),
        )
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn specs_dir(&self) -> PathBuf {
        self.root.join("specs")
    }

    pub fn provenance_path(&self) -> PathBuf {
        self.specs_dir().join("provenance.yaml")
    }

    pub fn overlay_path(&self) -> PathBuf {
        self.specs_dir().join("overlay.yaml")
    }

    /// The merged, down-converted document the build script reads.
    pub fn merged_path(&self) -> PathBuf {
        self.root.join("opencx-api").join("openapi.json")
    }

    /// Committed snapshots of what the build script generates.
    pub fn generated_dir(&self) -> PathBuf {
        self.root.join("opencx-api").join("generated")
    }

    /// `path` relative to the workspace root, for messages.
    pub fn display(&self, path: &Path) -> String {
        path.strip_prefix(&self.root)
            .unwrap_or(path)
            .display()
            .to_string()
    }

    /// How a source page is recorded: relative to the workspace root when it is
    /// inside the root or beside it (as `../shared/seeds/...` is), else absolute.
    pub fn relative_source(&self, page: &Path) -> String {
        let (Ok(page), Ok(root)) = (page.canonicalize(), self.root.canonicalize()) else {
            return page.display().to_string();
        };
        if let Ok(inside) = page.strip_prefix(&root) {
            return inside.display().to_string();
        }
        if let Some(beside) = root
            .parent()
            .and_then(|parent| page.strip_prefix(parent).ok())
        {
            return Path::new("..").join(beside).display().to_string();
        }
        page.display().to_string()
    }
}

/// Writes `content` to `path` through a temporary file in the same folder and a
/// rename, so a reader never sees a half-written file.
pub fn write_atomically(path: &Path, content: &[u8]) -> Result<()> {
    let dir = path.parent().context("output path has no folder")?;
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("creating a temporary file in {}", dir.display()))?;
    std::io::Write::write_all(&mut tmp, content)
        .with_context(|| format!("writing {}", path.display()))?;
    // Temporary files are created private; outputs are ordinary committed files.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    tmp.persist(path)
        .with_context(|| format!("replacing {}", path.display()))?;
    Ok(())
}
