//! Helpers shared by the workspace-level tests.

use std::path::{Path, PathBuf};

use xtask::workspace::Workspace;

pub mod changing_server;
pub mod contract;
pub mod corpus;
pub mod docs_site;
pub mod downstream;
pub mod export_server;
pub mod fault_server;
pub mod generated_crate;
pub mod wire;

/// The real workspace root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is in the workspace")
        .to_path_buf()
}

/// Runs `cargo xtask --root ROOT --no-compile-check ARGS...` in process, as
/// a maintainer would from the shell: (exit code, standard output, standard
/// error). Without the compile check, which a test of a generated client
/// does itself when it builds the client, and which would otherwise build
/// every client of the suite's regens once more (`tests/tests/compile_check.rs`
/// tests it, with [`xtask_compile_checked`]).
pub fn xtask(root: &Path, args: &[&str]) -> (u8, String, String) {
    let mut all = vec!["--no-compile-check"];
    all.extend(args);
    xtask_compile_checked(root, &all)
}

/// Runs `cargo xtask --root ROOT ARGS...` in process, with regen's compile
/// check: (exit code, standard output, standard error).
pub fn xtask_compile_checked(root: &Path, args: &[&str]) -> (u8, String, String) {
    let mut all = vec!["--root".to_string(), root.display().to_string()];
    all.extend(args.iter().map(|a| a.to_string()));
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = xtask::cli::run(&all, &mut out, &mut err);
    (
        code,
        String::from_utf8(out).expect("xtask writes UTF-8"),
        String::from_utf8(err).expect("xtask writes UTF-8"),
    )
}

/// Lays out an empty workspace at `root` as `cargo xtask vendor` and
/// `regen` expect it: `specs/`, `opencx-api/{generated,src}/`, and the
/// crate's manifest, into which regen declares the client's features as in
/// the real workspace (without one it warns that it could not).
pub fn empty_workspace(root: &Path) {
    for sub in ["specs", "opencx-api/generated", "opencx-api/src"] {
        std::fs::create_dir_all(root.join(sub)).expect("a folder");
    }
    std::fs::write(
        root.join("opencx-api/Cargo.toml"),
        "[package]\nname = \"opencx-api\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    )
    .expect("the crate's manifest");
}

/// A throw-away copy of what the spec pipeline reads and writes, laid out as the
/// workspace is, with the upstream pages beside it at `../shared/seeds` when the
/// real ones are at hand. Dropping it removes it.
pub struct ScratchWorkspace {
    dir: tempfile::TempDir,
}

impl ScratchWorkspace {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let real = workspace_root();
        let root = dir.path().join("ws");
        copy_dir(&real.join("specs"), &root.join("specs"));
        copy_dir(
            &real.join("opencx-api/generated"),
            &root.join("opencx-api/generated"),
        );
        for file in [
            "opencx-api/openapi.json",
            "opencx-api/CONVERSION.md",
            "opencx-api/CHANGELOG.md",
            "opencx-api/Cargo.toml",
            // Inputs and outputs of the contract tests' generator.
            "opencx-api/src/pagination.rs",
            "tests/contract/upstream.json",
            "tests/tests/contract.rs",
        ] {
            std::fs::create_dir_all(root.join(file).parent().unwrap()).unwrap();
            std::fs::copy(real.join(file), root.join(file))
                .unwrap_or_else(|e| panic!("{file}: {e}"));
        }
        let seeds = real.join("../shared/seeds");
        if seeds.is_dir() {
            copy_dir(&seeds, &dir.path().join("shared/seeds"));
        }
        Self { dir }
    }

    /// The scratch workspace, regenerated without the compile check (as
    /// [`xtask`] runs it).
    pub fn workspace(&self) -> Workspace {
        Workspace::new(self.root()).without_compile_check()
    }

    pub fn root(&self) -> PathBuf {
        self.dir.path().join("ws")
    }

    /// Reads a file relative to the scratch workspace root.
    pub fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.root().join(relative))
            .unwrap_or_else(|e| panic!("{relative}: {e}"))
    }

    /// Replaces the first occurrence of `from` in a file; panics when absent so a
    /// test never silently mutates nothing.
    pub fn edit(&self, relative: &str, from: &str, to: &str) {
        let text = self.read(relative);
        assert!(text.contains(from), "{relative} does not contain {from:?}");
        std::fs::write(self.root().join(relative), text.replacen(from, to, 1)).unwrap();
    }

    /// Every file under the scratch root with its content, to prove nothing changed.
    pub fn snapshot(&self) -> Vec<(PathBuf, Vec<u8>)> {
        let mut files = Vec::new();
        collect(&self.root(), &mut files);
        files.sort();
        files
    }
}

impl Default for ScratchWorkspace {
    fn default() -> Self {
        Self::new()
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display())) {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &to.join(entry.file_name()));
        } else {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

fn collect(dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, out);
        } else {
            out.push((path.clone(), std::fs::read(&path).unwrap()));
        }
    }
}

/// Test data that looks like what OpenCX sends.
pub mod fixtures {
    use opencx_api::types::{ChatHistoryEntry, Session};
    use serde_json::{json, Value};

    /// A UUID whose last group is `n`, so tests can tell sessions apart.
    pub fn uuid(n: u32) -> String {
        format!("3c90c3cc-0d44-4b50-8888-{n:012}")
    }

    /// A session as JSON; `n` picks its id and ticket number.
    pub fn session_json(n: u32) -> Value {
        json!({
            "id": uuid(n),
            "status": "open",
            "ai_closure_type": null,
            "sentiment": "neutral",
            "channel": {"type": "web"},
            "ticket_number": n,
            "assist_mode": false,
            "created_at": "2024-05-01T10:00:00Z",
            "updated_at": "2024-05-01T10:05:00Z"
        })
    }

    /// A session; `n` picks its id and ticket number.
    pub fn session(n: u32) -> Session {
        serde_json::from_value(session_json(n)).expect("fixture session parses")
    }

    /// A history entry holding a text message from the contact, as JSON.
    pub fn message_json(n: u32, text: &str) -> Value {
        json!({
            "id": uuid(n),
            "created_at": "2024-05-01T10:00:00Z",
            "event": {"type": "message", "sender": {"type": "contact"},
                      "content": {"type": "text", "text": text}, "attachments": []}
        })
    }

    /// A history entry holding a text message from the contact.
    pub fn message(n: u32, text: &str) -> ChatHistoryEntry {
        serde_json::from_value(message_json(n, text)).expect("fixture entry parses")
    }

    use opencx_api::types::{
        ApiError, ChatHistoryList, SessionFilterPage, SessionFilterRequest, SessionFilters,
        SessionList,
    };

    // The generated types are `#[non_exhaustive]`: built from `Default` or a
    // builder, never from a struct literal.

    /// An error body as OpenCX sends it: `status`, its reason phrase and `message`.
    pub fn api_error(status: u16, message: &str) -> ApiError {
        let mut error = ApiError::default();
        error.status_code = Some(status.into());
        error.message = Some(message.into());
        error.error = reqwest::StatusCode::from_u16(status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .map(Into::into);
        error
    }

    /// One page of the session listing; `next` is the cursor of the page after it.
    pub fn session_list(items: Vec<Session>, next: Option<&str>) -> SessionList {
        SessionList::builder()
            .items(items)
            .next(next.map(String::from))
            .try_into()
            .expect("fixture session list builds")
    }

    /// One page of a session's history; `next` is the cursor of the page after it.
    pub fn history_list(items: Vec<ChatHistoryEntry>, next: Option<&str>) -> ChatHistoryList {
        ChatHistoryList::builder()
            .items(items)
            .next(next.map(String::from))
            .try_into()
            .expect("fixture history list builds")
    }

    /// One page of the filtered session listing; every page but the first has
    /// one before it.
    pub fn filter_page(
        page: u64,
        limit: u64,
        has_next: bool,
        items: Vec<Session>,
    ) -> SessionFilterPage {
        SessionFilterPage::builder()
            .data(items)
            .page(page)
            .limit(limit)
            .has_next(has_next)
            .has_previous(page > 1)
            .try_into()
            .expect("fixture filter page builds")
    }

    /// Session filters: the defaults with what `set` changes, e.g.
    /// `session_filters(|f| f.tags = vec!["vip".into()])`.
    pub fn session_filters(set: impl FnOnce(&mut SessionFilters)) -> SessionFilters {
        let mut filters = SessionFilters::default();
        set(&mut filters);
        filters
    }

    /// A filter request with `filters` and nothing else: paging and sorting are
    /// left to the server.
    pub fn filter_request(filters: SessionFilters) -> SessionFilterRequest {
        let mut request = SessionFilterRequest::default();
        request.filters = Some(filters);
        request
    }
}

/// The bearer token of [`client_with_retries`], to look for where it must not be.
pub const TOKEN: &str = "sk-secret-777";

/// Retries a millisecond or two apart, so tests spend no time waiting.
pub fn quick_retries() -> opencx_api::config::RetryPolicy {
    opencx_api::config::RetryPolicy::default()
        .initial_backoff(std::time::Duration::from_millis(1))
        .max_backoff(std::time::Duration::from_millis(2))
}

/// A client for a test server that sends [`TOKEN`] and retries by `policy`,
/// without a rate limit.
pub fn client_with_retries(
    base_url: &str,
    policy: opencx_api::config::RetryPolicy,
) -> opencx_api::Client {
    opencx_api::Client::builder()
        .base_url(base_url)
        .bearer_token(TOKEN)
        .retry(policy)
        .no_rate_limit()
        .build()
        .expect("a valid client")
}

/// The merged OpenAPI document the client is generated from.
pub fn openapi_json() -> serde_json::Value {
    let text = std::fs::read_to_string(workspace_root().join("opencx-api/openapi.json"))
        .expect("opencx-api/openapi.json is readable");
    serde_json::from_str(&text).expect("opencx-api/openapi.json is JSON")
}

/// A client for a mock server with retries off, so an error answer reaches
/// the test on the first try.
pub fn client_without_retries(base_url: &str) -> opencx_api::Client {
    opencx_api::Client::builder()
        .base_url(base_url)
        .bearer_token("sk-test")
        .no_retries()
        .build()
        .expect("a valid client")
}

/// Runs a future on a fresh runtime. Mocks are set up outside it, because
/// httpmock's blocking calls (and the typed helpers built on them) start their
/// own runtime.
pub fn run<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("a tokio runtime")
        .block_on(future)
}
