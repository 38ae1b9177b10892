//! The mock server: Prism, from npm, started per test on a free loopback port
//! and killed when dropped.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Path to a `prism` executable, instead of looking for one.
pub const PRISM_ENV: &str = "OPENCX_PRISM";
/// Set to `1` to skip the contract tests (they print that they did).
pub const SKIP_ENV: &str = "OPENCX_SKIP_CONTRACT";
/// The base URL of a Prism already serving the document, which every test
/// then shares instead of starting its own (the wire check of a whole API
/// starts one per document); with [`PRISM_LOG_ENV`], the file it logs to.
pub const PRISM_URL_ENV: &str = "OPENCX_PRISM_URL";
/// The log file of the Prism at [`PRISM_URL_ENV`].
pub const PRISM_LOG_ENV: &str = "OPENCX_PRISM_LOG";

/// How to get the server, for the message when it is missing.
pub const INSTALL_HINT: &str =
    "install it once with `npm ci --prefix tests/contract --ignore-scripts` \
(Node.js 18+ and npm; it installs the @stoplight/prism-cli version pinned in \
tests/contract/package-lock.json), or point OPENCX_PRISM at a prism executable; \
set OPENCX_SKIP_CONTRACT=1 to skip these tests knowingly";

/// Prism's log as entries: one starts with its `[time]` and may run on over
/// several lines (a long message wraps), which are joined with a space.
pub fn entries(log: &str) -> Vec<String> {
    let mut entries: Vec<String> = Vec::new();
    for line in log.lines() {
        match entries.last_mut() {
            Some(entry) if !line.starts_with('[') => {
                entry.push(' ');
                entry.push_str(line.trim());
            }
            _ => entries.push(line.to_string()),
        }
    }
    entries
}

/// How the error of a Prism that never listened starts.
pub const NOT_LISTENING: &str = "prism did not listen";

/// A running Prism: started here, or shared ([`PRISM_URL_ENV`]).
pub struct Prism {
    /// The process, when this one started it (and kills it when dropped).
    child: Option<Child>,
    log: Log,
    /// `http://127.0.0.1:<port>`.
    pub base_url: String,
    /// The document Prism reads (see [`served`](super::served)), kept while
    /// it runs.
    _served: Option<tempfile::NamedTempFile>,
    /// How the document Prism serves differs from upstream's, one line per
    /// kind (none: served as written).
    pub rewrites: Vec<String>,
}

/// Where Prism's output goes.
enum Log {
    Own(tempfile::NamedTempFile),
    Shared(PathBuf),
}

impl Log {
    fn path(&self) -> &Path {
        match self {
            Log::Own(file) => file.path(),
            Log::Shared(path) => path,
        }
    }
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
        Self::start_within(prism, document, Duration::from_secs(60)).await
    }

    /// [`start`](Self::start), waiting up to `patience` for Prism to listen
    /// (a large document takes Prism longer to read).
    pub async fn start_within(
        prism: &Path,
        document: &Path,
        patience: Duration,
    ) -> Result<Self, String> {
        // The document rewritten to the same meaning where Prism's generator
        // strays from it; as written when it is not JSON.
        let Some(mut value) = std::fs::read_to_string(document)
            .ok()
            .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        else {
            return Self::start_file(prism, document, patience, None, Vec::new()).await;
        };
        let mut rewrites = super::served::equivalent(&mut value);
        let given = super::served::answers::schemas_given(&mut value);
        if given > 0 {
            rewrites.push(format!(
                "{given} response media type(s) without a schema given {{}}, or bytes where not \
                 JSON (the same answers pass; Prism refuses to answer a media type without a \
                 schema, and writes only a string where it is not JSON)"
            ));
        }
        let ranges = super::served::answers::json_ranges(&mut value);
        if ranges > 0 {
            rewrites.push(format!(
                "{ranges} response media range(s) (`*/*`) over a schema only JSON carries served \
                 as application/json (one type the range allows; Prism writes a range as text and \
                 cannot write an object so)"
            ));
        }
        let cut = super::served::acyclic(&mut value);
        if cut > 0 {
            rewrites.push(format!(
                "{cut} $ref(s) closing a cycle cut (an optional property with it, else to {{}}): \
                 Prism reads the whole document before it listens, and some cycles keep it \
                 reading for ever (stoplightio/prism#891); its generator ends a deep recursion \
                 with {{}}, which breaks the required properties there"
            ));
        }
        Self::start_value(prism, &value, patience, rewrites).await
    }

    async fn start_value(
        prism: &Path,
        document: &serde_json::Value,
        patience: Duration,
        rewrites: Vec<String>,
    ) -> Result<Self, String> {
        let mut file = tempfile::Builder::new()
            .prefix("served-")
            .suffix(".json")
            .tempfile()
            .map_err(|e| format!("no temporary file for the served document: {e}"))?;
        serde_json::to_writer(&mut file, document)
            .map_err(|e| format!("writing the served document: {e}"))?;
        let path = file.path().to_path_buf();
        Self::start_file(prism, &path, patience, Some(file), rewrites).await
    }

    async fn start_file(
        prism: &Path,
        document: &Path,
        patience: Duration,
        mut served: Option<tempfile::NamedTempFile>,
        rewrites: Vec<String>,
    ) -> Result<Self, String> {
        // Another process may take the port between this probe and Prism's
        // bind; Prism then exits, and the next try takes another port.
        let mut last = String::new();
        for _ in 0..3 {
            match Self::try_start(prism, document, patience).await {
                Ok(mut server) => {
                    server._served = served.take();
                    server.rewrites = rewrites;
                    return Ok(server);
                }
                // Still reading the document: another port will not help.
                Err(error) if error.starts_with(NOT_LISTENING) => return Err(error),
                Err(error) => last = error,
            }
        }
        Err(last)
    }

    async fn try_start(prism: &Path, document: &Path, patience: Duration) -> Result<Self, String> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| format!("no free port: {e}"))?
            .port();
        Self::start_on(prism, document, patience, port).await
    }

    /// Starts Prism on `port`; an error when it does not say it listens
    /// there (another process holding the port makes it exit).
    async fn start_on(
        prism: &Path,
        document: &Path,
        patience: Duration,
        port: u16,
    ) -> Result<Self, String> {
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
            child: Some(child),
            log: Log::Own(log),
            base_url: format!("http://127.0.0.1:{port}"),
            _served: None,
            rewrites: Vec::new(),
        };
        let deadline = Instant::now() + patience;
        loop {
            let exited = server
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten());
            if let Some(status) = exited {
                return Err(format!(
                    "prism exited ({status}) before listening:\n{}",
                    server.log()
                ));
            }
            // Prism's own word that it listens, and then a connection: a
            // connection alone may reach another process that took the
            // port first (Prism then exits, and every request is refused).
            let listening = std::fs::read_to_string(server.log.path()).is_ok_and(|log| {
                log.contains(&format!("Prism is listening on {}", server.base_url))
            });
            if listening
                && tokio::net::TcpStream::connect(("127.0.0.1", port))
                    .await
                    .is_ok()
            {
                return Ok(server);
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "{NOT_LISTENING} within {} s:\n{}",
                    patience.as_secs(),
                    server.log()
                ));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The Prism [`PRISM_URL_ENV`] names, if it is set.
    pub fn shared() -> Option<Self> {
        let base_url = std::env::var(PRISM_URL_ENV).ok()?;
        let log = std::env::var_os(PRISM_LOG_ENV).map(PathBuf::from)?;
        Some(Self {
            child: None,
            log: Log::Shared(log),
            base_url: base_url.trim_end_matches('/').to_string(),
            _served: None,
            rewrites: Vec::new(),
        })
    }

    /// Whether the Prism this one started has gone down (a shared one is
    /// never known to).
    pub fn exited(&mut self) -> bool {
        self.child
            .as_mut()
            .is_some_and(|child| child.try_wait().ok().flatten().is_some())
    }

    /// The file Prism logs to.
    pub fn log_path(&self) -> &Path {
        self.log.path()
    }

    /// How much Prism has logged so far, to read what follows with
    /// [`log_since`](Self::log_since).
    pub fn log_len(&self) -> u64 {
        std::fs::metadata(self.log.path()).map_or(0, |m| m.len())
    }

    /// [`log_len`](Self::log_len) once the log has stopped growing (Prism
    /// writes a round's lines after its answer), for at most a second.
    pub async fn settled_log_len(&self) -> u64 {
        let mut size = self.log_len();
        for _ in 0..20 {
            tokio::time::sleep(Duration::from_millis(50)).await;
            let now = self.log_len();
            if now == size {
                break;
            }
            size = now;
        }
        size
    }

    /// What Prism logged after `offset` (a [`log_len`](Self::log_len)).
    /// Prism logs asynchronously, so this waits until the log is still.
    pub async fn log_since(&self, offset: u64) -> String {
        // Until the log has stopped growing (a long entry comes in pieces),
        // for at most two seconds.
        let mut size = self.log_len();
        for _ in 0..10 {
            tokio::time::sleep(Duration::from_millis(200)).await;
            let now = self.log_len();
            if now == size {
                break;
            }
            size = now;
        }
        let bytes = std::fs::read(self.log.path()).unwrap_or_default();
        let start = (offset as usize).min(bytes.len());
        String::from_utf8_lossy(&bytes[start..]).into_owned()
    }

    /// The errors Prism logged so far (request violations among them), the
    /// last `count`. Prism logs asynchronously, so this waits a moment first.
    pub async fn errors(&self, count: usize) -> String {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let text = std::fs::read_to_string(self.log.path()).unwrap_or_default();
        let entries = entries(&text);
        let errors: Vec<&str> = entries
            .iter()
            .map(String::as_str)
            .filter(|l| l.contains('✖'))
            .collect();
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
        if let Some(child) = &mut self.child {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A port another process holds is no Prism listening, though a
    /// connection to it succeeds.
    #[test]
    fn a_port_another_process_holds_is_not_taken_for_prism_listening() {
        let Some(prism) = crate::contract::prism_or_skip("the port check") else {
            return;
        };
        let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = taken.local_addr().unwrap().port();
        let document = crate::workspace_root().join("tests/fixtures/negotiation/api.yaml");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let started = runtime.block_on(Prism::start_on(
            &prism,
            &document,
            Duration::from_secs(60),
            port,
        ));
        let error = started.err().expect("no Prism listens on a taken port");
        assert!(error.contains("exited"), "{error}");
    }
}
