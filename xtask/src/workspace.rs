//! Where things live in the workspace, and how outputs are written.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

/// One committed output (a path in the workspace) and the content regen
/// computed for it; the stages that compute outputs return these, and regen
/// writes or compares them.
#[derive(Debug)]
pub struct Output {
    pub path: PathBuf,
    pub content: String,
}

/// The workspace root and the fixed locations of inputs and outputs below it.
#[derive(Debug, Clone)]
pub struct Workspace {
    root: PathBuf,
    /// Whether regen builds the client it generated ([`crate::compile`]).
    compile_check: bool,
}

impl Workspace {
    /// The workspace at `root`, taken as given (tests point it at scratch copies
    /// that hold only what the pipeline reads).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self {
            root: root.into(),
            compile_check: true,
        }
    }

    /// The same workspace, regenerated without building the client it
    /// generates (`--no-compile-check`): an operation whose code does not
    /// compile is then not found, and the crate does not build.
    pub fn without_compile_check(mut self) -> Self {
        self.compile_check = false;
        self
    }

    /// Whether regen builds the client it generates, leaving out what does
    /// not compile (on unless [`Workspace::without_compile_check`]).
    pub fn compile_check(&self) -> bool {
        self.compile_check
    }

    /// The workspace to work on, found at run time: `--root` when given; else the
    /// parent of the `CARGO_MANIFEST_DIR` that `cargo run` (and so `cargo xtask`)
    /// sets for the process; else the nearest folder above the current one that
    /// looks like this workspace.
    ///
    /// Never the path compiled into the binary: with a target folder shared by
    /// two checkouts, cargo reuses one checkout's build in the other, and the
    /// compiled-in path would make `cargo xtask regen` in one silently read and
    /// write the other.
    pub fn locate(root: Option<PathBuf>) -> Result<Self> {
        let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
        let cwd = std::env::current_dir().context("reading the current folder")?;
        Self::resolve(root, manifest_dir.as_deref(), &cwd)
    }

    /// [`Workspace::locate`] with its inputs given, so each rule can be tested.
    pub fn resolve(root: Option<PathBuf>, manifest_dir: Option<&Path>, cwd: &Path) -> Result<Self> {
        if let Some(root) = root {
            // A mistyped `--root` must not become a new workspace.
            if !root.is_dir() {
                bail!(
                    "--root {}: no such folder (the workspace to work on: the folder with \
                     specs/ and opencx-api/)",
                    root.display()
                );
            }
            return Ok(Self::new(root));
        }
        // The variable is inherited by whatever the process starts, so a value
        // from some other cargo-run program (one that runs this binary) is
        // only believed when it points at this workspace's xtask.
        if let Some(root) = manifest_dir
            .and_then(Path::parent)
            .filter(|root| is_workspace_root(root))
        {
            return Ok(Self::new(root));
        }
        match cwd.ancestors().find(|dir| is_workspace_root(dir)) {
            Some(root) => Ok(Self::new(root)),
            None => bail!(
                "no opencx-rs workspace found: run `cargo xtask` inside the workspace, or give \
                 --root DIR (looked for a folder holding a Cargo.toml with [workspace], xtask/ \
                 and specs/ at and above {})",
                cwd.display()
            ),
        }
    }

    /// The workspace root folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `specs/`: the vendored documents, their provenance and the overlay.
    pub fn specs_dir(&self) -> PathBuf {
        self.root.join("specs")
    }

    /// `specs/provenance.yaml`.
    pub fn provenance_path(&self) -> PathBuf {
        self.specs_dir().join("provenance.yaml")
    }

    /// `specs/overlay.yaml`.
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

    /// The conversion report: what the pipeline did beyond exact 3.1 → 3.0
    /// equivalents (drops, derived ids, operations left out).
    pub fn report_path(&self) -> PathBuf {
        self.root.join("opencx-api").join("CONVERSION.md")
    }

    /// The crate's changelog, whose `Unreleased` section regen keeps.
    pub fn changelog_path(&self) -> PathBuf {
        self.root.join("opencx-api").join("CHANGELOG.md")
    }

    /// The crate's manifest, for its version.
    pub fn crate_manifest_path(&self) -> PathBuf {
        self.root.join("opencx-api").join("Cargo.toml")
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

/// Whether `dir` is an opencx-rs workspace root: a `Cargo.toml` declaring the
/// workspace (a `[workspace]` table; this is a marker check, not a TOML parse),
/// with `xtask/` and `specs/` beside it.
pub fn is_workspace_root(dir: &Path) -> bool {
    dir.join("xtask").is_dir()
        && dir.join("specs").is_dir()
        && std::fs::read_to_string(dir.join("Cargo.toml"))
            .is_ok_and(|manifest| manifest.lines().any(|l| l.trim() == "[workspace]"))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A folder laid out as the workspace is (`[workspace]`, xtask/, specs/).
    fn fake_workspace(dir: &Path) -> PathBuf {
        std::fs::create_dir_all(dir.join("xtask/src")).unwrap();
        std::fs::create_dir_all(dir.join("specs")).unwrap();
        std::fs::write(
            dir.join("Cargo.toml"),
            "[workspace]\nmembers = [\"xtask\"]\n",
        )
        .unwrap();
        dir.to_path_buf()
    }

    #[test]
    fn root_wins_over_everything() {
        let tmp = tempfile::tempdir().unwrap();
        let ws = fake_workspace(&tmp.path().join("a"));
        let given = tmp.path().join("anything");
        std::fs::create_dir(&given).unwrap();
        let found = Workspace::resolve(Some(given.clone()), Some(&ws.join("xtask")), &ws).unwrap();
        assert_eq!(found.root(), given);
    }

    #[test]
    fn a_root_that_does_not_exist_is_an_error_naming_it() {
        let tmp = tempfile::tempdir().unwrap();
        let given = tmp.path().join("typo");
        let e = Workspace::resolve(Some(given.clone()), None, tmp.path()).unwrap_err();
        assert!(
            e.to_string()
                .starts_with(&format!("--root {}: no such folder", given.display())),
            "{e}"
        );
        assert!(!given.exists(), "nothing is created");
    }

    #[test]
    fn the_runtime_manifest_dir_wins_over_the_current_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let a = fake_workspace(&tmp.path().join("a"));
        let b = fake_workspace(&tmp.path().join("b"));
        let found = Workspace::resolve(None, Some(&b.join("xtask")), &a.join("specs")).unwrap();
        assert_eq!(found.root(), b);
    }

    #[test]
    fn a_foreign_manifest_dir_is_ignored_for_the_current_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let a = fake_workspace(&tmp.path().join("a"));
        let other = tmp.path().join("other/crate");
        std::fs::create_dir_all(&other).unwrap();
        let found = Workspace::resolve(None, Some(&other), &a.join("xtask/src")).unwrap();
        assert_eq!(found.root(), a);
    }

    #[test]
    fn walking_up_skips_member_manifests_and_other_workspaces() {
        let tmp = tempfile::tempdir().unwrap();
        let a = fake_workspace(&tmp.path().join("a"));
        // A member's manifest (no [workspace]) and a nested workspace without
        // specs/ are passed over.
        std::fs::write(a.join("xtask/Cargo.toml"), "[package]\nname = \"xtask\"\n").unwrap();
        let nested = a.join("vendor/other");
        std::fs::create_dir_all(nested.join("xtask")).unwrap();
        std::fs::write(nested.join("Cargo.toml"), "[workspace]\n").unwrap();
        assert_eq!(
            Workspace::resolve(None, None, &a.join("xtask/src"))
                .unwrap()
                .root(),
            a
        );
        assert_eq!(Workspace::resolve(None, None, &nested).unwrap().root(), a);
    }

    #[test]
    fn no_workspace_is_an_error_not_a_panic() {
        let tmp = tempfile::tempdir().unwrap();
        let err = Workspace::resolve(None, None, tmp.path())
            .unwrap_err()
            .to_string();
        assert!(err.contains("no opencx-rs workspace found"), "{err}");
        assert!(err.contains("--root"), "{err}");
        assert!(err.contains(&tmp.path().display().to_string()), "{err}");
    }
}
