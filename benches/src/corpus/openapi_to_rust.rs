//! openapi-to-rust on a document: what a maintainer gets from another
//! generator of typed Rust clients, one that reads OpenAPI 3.0 and 3.1, with
//! its default client settings, beside the pipeline and progenitor alone.
//!
//! It is a command-line tool, not a library we link: the bench installs it
//! from the registry once ([`install`], the corpus run's only step that needs
//! the network), under `target/tools/`, with the dependencies its generated
//! code names fetched beside it, so every later run (and every check of what
//! it wrote) is offline. Each document is one run of its direct mode,
//! `openapi-to-rust generate DOC --output-dir DIR --quiet`, which writes
//! `types.rs`, `client.rs` (the async HTTP client, on by default) and
//! `mod.rs`, and `REQUIRED_DEPS.toml`, the dependencies that code needs.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::alone::{one_line, Outcome};

/// The release line installed: the newest 0.23 release.
pub const VERSION: &str = "~0.23";

/// A generation that runs longer than this is stopped and counted as a
/// failure, so one document cannot hold up the report.
const TIMEOUT: Duration = Duration::from_secs(600);

/// Every dependency openapi-to-rust 0.23's generated code can name (its
/// `type_mapping::collect_generated_dep_requirements`), with every feature
/// it can ask for, so that one fetch at install time covers any client's
/// `REQUIRED_DEPS.toml` and the checks run offline.
const ALL_DEPENDENCIES: &str = "\
serde = { version = \"1\", features = [\"derive\"] }
serde_json = \"1\"
serde_urlencoded = \"0.7\"
chrono = { version = \"0.4\", features = [\"serde\"] }
time = { version = \"0.3\", features = [\"serde\", \"formatting\", \"parsing\", \"macros\"] }
iso8601 = { version = \"0.6\", features = [\"serde\"] }
uuid = { version = \"1\", features = [\"serde\"] }
bytes = { version = \"1\", features = [\"serde\"] }
base64 = \"0.22\"
url = { version = \"2\", features = [\"serde\"] }
email_address = \"0.2\"
reqwest = { version = \"0.13\", default-features = false, features = [\"rustls\", \"json\", \"query\", \"form\", \"multipart\", \"stream\"] }
reqwest-middleware = { version = \"0.5\", features = [\"json\", \"query\", \"form\", \"multipart\"] }
reqwest-retry = \"0.9\"
reqwest-tracing = \"0.7\"
thiserror = \"2\"
async-trait = \"0.1\"
futures-util = \"0.3\"
futures-timer = \"3\"
futures-core = \"0.3\"
tracing = \"0.1\"
mime = \"0.3\"
";

/// Where the tool goes: `target/tools/` of the workspace.
fn tools(workspace: &Path) -> PathBuf {
    workspace.join("target/tools")
}

/// The folder of the crate whose lock file pins the dependencies of
/// openapi-to-rust's generated code, fetched at install time.
fn dependencies(workspace: &Path) -> PathBuf {
    tools(workspace).join("openapi-to-rust-deps")
}

/// The lock file a check workspace of openapi-to-rust's clients starts from.
pub fn lock_file(workspace: &Path) -> PathBuf {
    dependencies(workspace).join("Cargo.lock")
}

/// The installed version, from `openapi-to-rust --version`, if `binary`
/// runs.
fn installed_version(binary: &Path) -> Option<String> {
    let output = Command::new(binary).arg("--version").output().ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    text.split_whitespace().nth(1).map(str::to_string)
}

/// Installs openapi-to-rust 0.23 from the registry under `target/tools/`
/// (`cargo install --locked --version ~0.23 openapi-to-rust --root
/// target/tools`), unless a 0.23 release is installed there already, and
/// fetches the dependencies its generated code can name; returns the
/// binary and its version. The one step of a corpus run that needs the
/// network, and only the first time.
///
/// # Errors
/// The install or the fetch failed (no network, no registry).
pub fn install(
    workspace: &Path,
    progress: &mut dyn FnMut(&str),
) -> Result<(PathBuf, String), String> {
    let root = tools(workspace);
    let binary = root.join("bin/openapi-to-rust");
    let version = match installed_version(&binary).filter(|v| v.starts_with("0.23.")) {
        Some(version) => version,
        None => {
            progress("  installing openapi-to-rust 0.23 from the registry (once)");
            let status = crate::build_cost::cargo()
                .args(["install", "--locked", "--quiet", "--version", VERSION])
                .arg("openapi-to-rust")
                .arg("--root")
                .arg(&root)
                .env_remove("RUSTFLAGS")
                .status()
                .map_err(|e| format!("cargo install openapi-to-rust: {e}"))?;
            if !status.success() {
                return Err(format!("cargo install openapi-to-rust: {status}"));
            }
            installed_version(&binary)
                .ok_or_else(|| format!("{} does not run", binary.display()))?
        }
    };
    let deps = dependencies(workspace);
    if !deps.join("Cargo.lock").exists() {
        progress("  fetching the dependencies of openapi-to-rust's generated code (once)");
        std::fs::create_dir_all(deps.join("src")).map_err(|e| e.to_string())?;
        std::fs::write(deps.join("src/lib.rs"), "").map_err(|e| e.to_string())?;
        std::fs::write(
            deps.join("Cargo.toml"),
            format!(
                "[package]\nname = \"openapi-to-rust-deps\"\nversion = \"0.0.0\"\n\
                 edition = \"2024\"\npublish = false\n\n[workspace]\n\n\
                 [dependencies]\n{ALL_DEPENDENCIES}"
            ),
        )
        .map_err(|e| e.to_string())?;
        let status = crate::build_cost::cargo()
            .args(["fetch", "--quiet"])
            .current_dir(&deps)
            .status()
            .map_err(|e| format!("cargo fetch: {e}"))?;
        if !status.success() {
            let _ = std::fs::remove_file(deps.join("Cargo.lock"));
            return Err(format!(
                "cargo fetch (openapi-to-rust's dependencies): {status}"
            ));
        }
    }
    Ok((binary, version))
}

/// What openapi-to-rust made of one document.
pub struct Generated {
    /// A client (its `client.rs`), or its error, or its panic.
    pub outcome: Outcome,
    /// Wall time of the generating process (seconds).
    pub seconds: f64,
    /// Rust lines it wrote (every `.rs` file of its output).
    pub lines: usize,
    /// Operations in its client (see [`operations`]).
    pub operations: usize,
    /// Its `REQUIRED_DEPS.toml`.
    pub dependencies: String,
    /// Its output folder.
    pub dir: PathBuf,
}

/// The operations of a generated `client.rs`: its client's `pub async fn`s
/// that are an operation's method, not one of the variants it adds. An
/// operation has one such method; a variant is one a response media type
/// besides the default (`..._text_text_json`, `..._binary_stream`, each
/// documented `` Select `MEDIA/TYPE` as ... ``) and one a method taking the
/// request's content type where the document allows several
/// (`..._with_content_type`, documented `Send a raw body with a concrete
/// Content-Type ...`). Counting every method would count some operations
/// more than once; `` `METHOD /path` `` cannot tell operations apart
/// either, as it drops a path's fragment (AWS's `/#X-Amz-Target=...`).
/// Operation builders (whose `send` is async too) are off by default.
pub fn operations(client: &str) -> usize {
    let lines: Vec<&str> = client.lines().collect();
    lines
        .iter()
        .enumerate()
        .filter(|(_, line)| {
            let line = line.trim_start();
            line.starts_with("pub async fn ") && !line.starts_with("pub async fn send(")
        })
        .filter(|(at, _)| {
            !lines[..*at]
                .iter()
                .rev()
                .map(|l| l.trim_start())
                .take_while(|l| l.starts_with("///") || l.starts_with("#["))
                .filter_map(|l| l.strip_prefix("///"))
                .map(str::trim_start)
                .any(|l| {
                    l.starts_with("Select `")
                        || l.starts_with("Send a raw body with a concrete Content-Type")
                })
        })
        .count()
}

/// The message of a panic in a Rust program's standard error (the line
/// after `panicked at FILE:LINE:COL:`), if it panicked.
fn panic_message(stderr: &str) -> Option<String> {
    let mut lines = stderr.lines();
    lines.find(|l| l.contains("panicked at"))?;
    Some(one_line(
        lines.next().unwrap_or("a panic without a message"),
    ))
}

/// Its first error line: `Error: ...` as its `main` prints it.
fn error_line(stderr: &str) -> String {
    let line = stderr
        .lines()
        .find(|l| !l.trim().is_empty() && !l.starts_with("Warning"))
        .unwrap_or("failed without a message");
    one_line(line.strip_prefix("Error: ").unwrap_or(line))
}

/// Runs `binary` on `document`, writing to `out` (emptied first).
pub fn generate(binary: &Path, document: &Path, out: &Path) -> Generated {
    let _ = std::fs::remove_dir_all(out);
    let mut generated = Generated {
        outcome: Outcome::Refused(String::new()),
        seconds: 0.0,
        lines: 0,
        operations: 0,
        dependencies: String::new(),
        dir: out.to_path_buf(),
    };
    let started = Instant::now();
    let child = Command::new(binary)
        .arg("generate")
        .arg(document)
        .arg("--output-dir")
        .arg(out)
        .arg("--quiet")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(child) => child,
        Err(e) => {
            generated.outcome = Outcome::Refused(format!("could not run it: {e}"));
            return generated;
        }
    };
    // Standard error is read on its own thread, so a long message cannot
    // fill the pipe and stall the process while it is timed.
    let mut stderr = child.stderr.take().expect("piped");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut stderr, &mut text);
        text
    });
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() > TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(_) => break None,
        }
    };
    generated.seconds = started.elapsed().as_secs_f64();
    let stderr = reader.join().unwrap_or_default();
    generated.outcome = match status {
        None => Outcome::Refused(format!("stopped after {} s", TIMEOUT.as_secs())),
        Some(status) if status.success() => {
            let client = std::fs::read_to_string(out.join("client.rs")).unwrap_or_default();
            generated.operations = operations(&client);
            generated.lines = rust_lines(out);
            generated.dependencies =
                std::fs::read_to_string(out.join("REQUIRED_DEPS.toml")).unwrap_or_default();
            Outcome::Generated(client)
        }
        Some(_) => match panic_message(&stderr) {
            Some(message) => Outcome::Panicked(message),
            None => Outcome::Refused(error_line(&stderr)),
        },
    };
    generated
}

/// Lines of every `.rs` file under `dir`.
fn rust_lines(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .map(|path| {
            if path.is_dir() {
                rust_lines(&path)
            } else if path.extension().is_some_and(|e| e == "rs") {
                super::count_lines(&path)
            } else {
                0
            }
        })
        .sum()
}

/// The manifest of a crate around openapi-to-rust's output: edition 2024,
/// and the `[dependencies]` of its `REQUIRED_DEPS.toml` (what its README
/// says to add to the crate that holds the generated code).
pub fn manifest(name: &str, required: &str) -> String {
    let required = required.trim();
    let required = if required.contains("[dependencies]") || required.starts_with('[') {
        required.to_string()
    } else {
        format!("[dependencies]\n{required}")
    };
    format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         {required}\n"
    )
}

/// The `src/lib.rs` of that crate: the generated module, read where it was
/// written (`#[path]` to its `mod.rs`, whose own modules sit beside it).
pub fn lib(generated: &Path) -> String {
    format!(
        "#![allow(warnings, clippy::all)]\n#[path = {:?}]\npub mod generated;\n",
        generated.join("mod.rs").display().to_string()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_is_read_from_its_message_line() {
        let stderr = "\nthread 'main' panicked at src/analysis.rs:12:5:\nnot yet implemented: x\nnote: run with `RUST_BACKTRACE=1`\n";
        assert_eq!(
            panic_message(stderr).as_deref(),
            Some("not yet implemented: x")
        );
        assert_eq!(panic_message("Error: bad spec\n"), None);
        assert_eq!(error_line("Error: bad spec\nmore\n"), "bad spec");
    }

    #[test]
    fn operations_are_counted_once_whatever_their_methods() {
        let client = "impl HttpClient {
    /// List them
    ///
    /// `GET /items`
    pub async fn list_items(&self) {}
    /// List them
    ///
    /// `GET /items`
    ///Select `text/plain` as buffered.
    pub async fn list_items_text_text_plain(&self) {}
    pub fn new() {}
    /// `GET /items/{id}`
    #[deprecated]
    pub async fn get_item(&self) {}
    /// `GET /items/{id}`
    ///Select `application/octet-stream` as binary_stream; accepts response statuses 200.
    ///Success chunks are returned live.
    pub async fn get_item_binary_stream(&self) {}
    /// `POST /items`
    ///Send a raw body with a concrete Content-Type matching a declared request media range.
    pub async fn post_item_with_content_type(&self) {}
}
";
        assert_eq!(operations(client), 2);
    }
}
