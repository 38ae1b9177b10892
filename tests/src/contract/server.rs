//! The mock server: Prism, from npm, started per test on a free loopback port
//! and killed when dropped.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Path to a `prism` executable, instead of looking for one.
pub const PRISM_ENV: &str = "OPENCX_PRISM";
/// Set to `1` to skip the contract tests (they print that they did).
pub const SKIP_ENV: &str = "OPENCX_SKIP_CONTRACT";

/// How to get the server, for the message when it is missing.
pub const INSTALL_HINT: &str =
    "install it once with `npm ci --prefix tests/contract --ignore-scripts` \
(Node.js 18+ and npm; it installs the @stoplight/prism-cli version pinned in \
tests/contract/package-lock.json), or point OPENCX_PRISM at a prism executable; \
set OPENCX_SKIP_CONTRACT=1 to skip these tests knowingly";

/// A running Prism.
pub struct Prism {
    child: Child,
    log: tempfile::NamedTempFile,
    /// `http://127.0.0.1:<port>`.
    pub base_url: String,
}

/// Where Prism is: `$OPENCX_PRISM`, the workspace's `tests/contract`
/// install, or `prism` on `PATH`.
pub fn find(workspace: &Path) -> Option<PathBuf> {
    found(workspace).or_else(|| {
        install(workspace);
        found(workspace)
    })
}

/// Installs the pinned Prism with `npm ci`, once per test process, so that
/// `cargo test --workspace` alone sets up a fresh machine (with Node.js and
/// npm). A failure leaves Prism missing, and the caller's message says how to
/// install it by hand.
fn install(workspace: &Path) {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let prefix = workspace.join("tests/contract");
        eprintln!(
            "installing the contract tests' Prism mock server (npm ci --prefix tests/contract) ..."
        );
        let status = std::process::Command::new("npm")
            .args([
                "ci",
                "--ignore-scripts",
                "--no-audit",
                "--no-fund",
                "--prefix",
            ])
            .arg(&prefix)
            .stdout(std::process::Stdio::null())
            .status();
        if !matches!(status, Ok(s) if s.success()) {
            eprintln!("npm ci failed: {status:?}");
        }
    });
}

fn found(workspace: &Path) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(PRISM_ENV) {
        return Some(PathBuf::from(path));
    }
    let local = workspace.join("tests/contract/node_modules/.bin/prism");
    if local.is_file() {
        return Some(local);
    }
    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .map(|dir| dir.join("prism"))
        .find(|p| p.is_file())
}

impl Prism {
    /// Starts `prism mock -d document` on a free port of 127.0.0.1 and waits
    /// until it accepts connections.
    pub async fn start(prism: &Path, document: &Path) -> Result<Self, String> {
        // Another process may take the port between this probe and Prism's
        // bind; Prism then exits, and the next try takes another port.
        let mut last = String::new();
        for _ in 0..3 {
            match Self::try_start(prism, document).await {
                Ok(server) => return Ok(server),
                Err(error) => last = error,
            }
        }
        Err(last)
    }

    async fn try_start(prism: &Path, document: &Path) -> Result<Self, String> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| format!("no free port: {e}"))?
            .port();
        let log = tempfile::NamedTempFile::new().map_err(|e| e.to_string())?;
        let output = || log.reopen().map(Stdio::from).map_err(|e| e.to_string());
        let child = Command::new(prism)
            .args(["mock", "--dynamic", "--host", "127.0.0.1", "--port"])
            .arg(port.to_string())
            .arg(document)
            .stdin(Stdio::null())
            .stdout(output()?)
            .stderr(output()?)
            .spawn()
            .map_err(|e| format!("could not run {}: {e}; {INSTALL_HINT}", prism.display()))?;
        let mut server = Self {
            child,
            log,
            base_url: format!("http://127.0.0.1:{port}"),
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(Some(status)) = server.child.try_wait() {
                return Err(format!(
                    "prism exited ({status}) before listening:\n{}",
                    server.log()
                ));
            }
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                return Ok(server);
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "prism did not listen within 60 s:\n{}",
                    server.log()
                ));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The errors Prism logged so far (request violations among them), the
    /// last `count`. Prism logs asynchronously, so this waits a moment first.
    pub async fn errors(&self, count: usize) -> String {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let text = std::fs::read_to_string(self.log.path()).unwrap_or_default();
        let errors: Vec<&str> = text.lines().filter(|l| l.contains('✖')).collect();
        errors[errors.len().saturating_sub(count)..].join("\n")
    }

    /// What Prism printed so far (its last 4 KiB).
    pub fn log(&self) -> String {
        let text = std::fs::read_to_string(self.log.path()).unwrap_or_default();
        let start = text.len().saturating_sub(4096);
        let start = (start..text.len())
            .find(|i| text.is_char_boundary(*i))
            .unwrap_or(text.len());
        text[start..].to_string()
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
