//! Crates around clients generated from other documents, on `opencx-api`'s
//! own runtime (`opencx-api/src/runtime`), so a test can show that what regen
//! writes for any API compiles and runs as the real crate does.
//!
//! The runtime names nothing of the OpenCX API, so it is included by path
//! beside a generated `client.rs` (with opencx-api's `error` and `primitives`
//! modules; OpenCX's settings, `src/config.rs`, stay out: such a crate's
//! `Client::builder()` starts from none); the dependencies are `opencx-api`'s own,
//! read from its manifest, at the versions the workspace's lock file pins.
//! All crates of one call share one target folder under the workspace's
//! `target/`, so their dependencies are built once.

use std::path::{Path, PathBuf};
use std::process::Command;

use toml_edit::{value, DocumentMut, Item, Table};
use xtask::compile::scratch;

use crate::{workspace_root, xtask};

/// A fixture document regenerated as API `api` in a scratch workspace, as a
/// maintainer would (`cargo xtask vendor --name api DOCUMENT`, then `cargo
/// xtask regen`, both of which must succeed), ready to [`test`](Self::test)
/// with the crate around its client. Dropping it removes the workspace.
pub struct Fixture {
    dir: tempfile::TempDir,
    /// What regen printed on standard error (its warnings).
    pub regen_stderr: String,
}

impl Fixture {
    /// Vendors and regenerates `document`; panics with xtask's output when
    /// either fails.
    pub fn regenerate(document: &Path) -> Self {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let root = dir.path().join("ws");
        crate::empty_workspace(&root);
        let document = document.display().to_string();
        let (code, out, err) = xtask(&root, &["vendor", "--name", "api", &document]);
        assert_eq!(code, 0, "{out}{err}");
        let (code, out, err) = xtask(&root, &["regen"]);
        assert_eq!(code, 0, "{out}{err}");
        Self {
            dir,
            regen_stderr: err,
        }
    }

    /// The scratch workspace regen wrote.
    pub fn root(&self) -> PathBuf {
        self.dir.path().join("ws")
    }

    /// Builds crate `api` around the generated client and runs the test
    /// files `tests` against it (see [`test`]); cargo's output.
    pub fn test(&self, tests: &[PathBuf]) -> Result<String, String> {
        test(
            &self.dir.path().join("build"),
            "api",
            &self.root().join("opencx-api/generated"),
            tests,
        )
    }
}

/// One generated client to build: a crate named `name` whose `generated`
/// folder holds `client.rs` and `mock.rs`.
pub struct ApiCrate {
    pub name: String,
    pub generated: PathBuf,
}

/// The `[workspace.package]` and `[workspace.dependencies]` of the real
/// workspace, under a `[workspace]` with `members`.
pub(crate) fn workspace_manifest(members: &[String]) -> String {
    scratch::workspace_manifest(&workspace_root(), members).expect("the workspace manifest")
}

/// What a crate's own tests need beyond its dependencies.
const DEV_DEPENDENCIES: &[(&str, &str)] = &[
    (
        "tokio",
        r#"{ workspace = true, features = ["rt-multi-thread", "macros", "time", "net", "io-util"] }"#,
    ),
    ("httpmock", "{ workspace = true }"),
    ("serde_json", "{ workspace = true }"),
    ("futures", "{ workspace = true }"),
    ("anyhow", r#""1""#),
];

/// A manifest for crate `name` around the client in `generated`:
/// `opencx-api`'s dependencies and features, the client's tag features, and
/// `dev` as its dev-dependencies.
pub(crate) fn crate_manifest(name: &str, generated: &Path, dev: &[(&str, &str)]) -> String {
    let client = std::fs::read_to_string(generated.join("client.rs")).unwrap_or_default();
    scratch::crate_manifest(&workspace_root(), name, &client, dev).expect("opencx-api's manifest")
}

/// `lib.rs` of an API crate: the generated client and mocks on the
/// workspace's runtime (see `xtask::compile::scratch::api_lib`).
pub(crate) fn api_lib(generated: &Path) -> String {
    scratch::api_lib(&workspace_root(), generated)
}

pub(crate) fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("a folder");
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// Runs cargo in `dir` with the shared target folder and `envs`; its output,
/// as the error when it fails.
pub(crate) fn cargo(
    dir: &Path,
    args: &[&str],
    envs: &[(&str, &std::ffi::OsStr)],
) -> Result<String, String> {
    let output = cargo_command(dir, args, envs)
        .output()
        .map_err(|e| format!("cargo does not run: {e}"))?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    if output.status.success() {
        Ok(text)
    } else {
        Err(text)
    }
}

/// The line [`cargo_watched`] adds to the output of a run it stopped.
pub const STOPPED: &str = "stopped: no output for";

/// [`cargo`], stopped (cargo and everything it started) once it has
/// written nothing for `quiet`: a test that never ends (a drawing loop, a
/// regex backtracking for ever) then costs its own outcome, not the run.
/// The output ends with a [`STOPPED`] line when it was stopped.
pub(crate) fn cargo_watched(
    dir: &Path,
    args: &[&str],
    envs: &[(&str, &std::ffi::OsStr)],
    quiet: std::time::Duration,
) -> Result<String, String> {
    watched(cargo_command(dir, args, envs), quiet)
}

/// Runs `command` in a process group of its own, its stdout and stderr
/// interleaved; stops the group once it has written nothing for `quiet`.
/// Its output, as the error when it fails or was stopped (then ending
/// with a [`STOPPED`] line).
pub fn watched(mut command: Command, quiet: std::time::Duration) -> Result<String, String> {
    use std::os::unix::process::CommandExt;
    let log = tempfile::NamedTempFile::new().map_err(|e| format!("a log file: {e}"))?;
    // Appending, so that stdout and stderr interleave instead of writing
    // over each other.
    let sink = || {
        std::fs::OpenOptions::new()
            .append(true)
            .open(log.path())
            .map_err(|e| format!("the log file: {e}"))
    };
    // Its own process group, so that stopping it stops what it started
    // (cargo's test binary) too.
    command.process_group(0).stdout(sink()?).stderr(sink()?);
    let mut child = command
        .spawn()
        .map_err(|e| format!("{:?} does not run: {e}", command.get_program()))?;
    let (mut size, mut since) = (0, std::time::Instant::now());
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break Some(status);
        }
        let now = log.as_file().metadata().map(|m| m.len()).unwrap_or(size);
        if now != size {
            (size, since) = (now, std::time::Instant::now());
        } else if since.elapsed() >= quiet {
            let group = format!("-{}", child.id());
            let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    let mut text =
        String::from_utf8_lossy(&std::fs::read(log.path()).unwrap_or_default()).into_owned();
    match status {
        Some(status) if status.success() => Ok(text),
        Some(_) => Err(text),
        None => {
            text.push_str(&format!("\n{STOPPED} {} s\n", quiet.as_secs()));
            Err(text)
        }
    }
}

/// cargo in `dir`, with the shared target folder and `envs`.
fn cargo_command(dir: &Path, args: &[&str], envs: &[(&str, &std::ffi::OsStr)]) -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command
        .args(args)
        .current_dir(dir)
        // Its own target folder: the workspace's is locked by the test run.
        .env(
            "CARGO_TARGET_DIR",
            workspace_root().join("target/generated-crates"),
        )
        .env_remove("RUSTFLAGS")
        // No debug info: a test binary of a large API with it is gigabytes
        // (24 of them filled a disk), and a failure's message says where
        // without it.
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        .env("CARGO_PROFILE_TEST_DEBUG", "0")
        .env_remove(crate::contract::SKIP_ENV);
    for (key, val) in envs {
        command.env(key, val);
    }
    command
}

/// A member of a workspace [`write_workspace`] writes beside the API
/// crates: its manifest and its `src/lib.rs`.
pub struct Member {
    pub name: String,
    pub manifest: String,
    pub lib: String,
}

/// Writes one workspace in `dir` holding every crate of `crates` (with the
/// mocks, as features) and the `extra` members, with the real workspace's
/// lock file, without building it.
pub fn write_workspace(dir: &Path, crates: &[ApiCrate], extra: &[Member]) -> Result<(), String> {
    let members: Vec<String> = crates
        .iter()
        .map(|c| c.name.clone())
        .chain(extra.iter().map(|m| m.name.clone()))
        .collect();
    write(&dir.join("Cargo.toml"), &workspace_manifest(&members));
    // The lock file pins the versions the real crate builds with, so the
    // check needs nothing the workspace did not already fetch.
    std::fs::copy(workspace_root().join("Cargo.lock"), dir.join("Cargo.lock"))
        .map_err(|e| format!("copying Cargo.lock: {e}"))?;
    for api in crates {
        let root = dir.join(&api.name);
        write(
            &root.join("Cargo.toml"),
            &crate_manifest(&api.name, &api.generated, &[]),
        );
        write(&root.join("src/lib.rs"), &api_lib(&api.generated));
    }
    for member in extra {
        let root = dir.join(&member.name);
        write(&root.join("Cargo.toml"), &member.manifest);
        write(&root.join("src/lib.rs"), &member.lib);
    }
    Ok(())
}

/// Writes one workspace in `dir` holding every crate of `crates`, and
/// `cargo check`s them all at once, with every feature (the mocks and the
/// types no operation reaches) and with the default ones (every operation,
/// no mocks), as a downstream crate takes them: a `cfg` that leaves out
/// what another item still names shows only in the second.
pub fn check(dir: &Path, crates: &[ApiCrate]) -> Result<(), String> {
    write_workspace(dir, crates, &[])?;
    let all: &[&str] = &["--all-features"];
    for features in [all, &[]] {
        let mut args = vec!["check", "--offline", "--quiet", "--workspace"];
        args.extend(features);
        cargo(dir, &args, &[])?;
    }
    Ok(())
}

/// Writes a workspace in `dir` with crate `name` around the client in
/// `generated` (with the mocks), and the test files `tests` in its `tests/`,
/// and runs them: they use the generated types as `name`'s own, so they
/// compile only where the client has what they name, and show at run time
/// what it decodes and sends. Returns cargo's output.
pub fn test(dir: &Path, name: &str, generated: &Path, tests: &[PathBuf]) -> Result<String, String> {
    // The crate's folder is named after its first test file as well: cargo
    // tells a path crate's artifacts apart by name, version and path
    // relative to the workspace root, and every such workspace shares one
    // target folder, so two tests running at once with crate `api` at
    // `api/` would build into the same files, each linking the other's
    // client.
    let stem = tests
        .first()
        .and_then(|test| test.file_stem())
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default();
    let member = format!("{name}-{stem}");
    write(
        &dir.join("Cargo.toml"),
        &workspace_manifest(std::slice::from_ref(&member)),
    );
    std::fs::copy(workspace_root().join("Cargo.lock"), dir.join("Cargo.lock"))
        .map_err(|e| format!("copying Cargo.lock: {e}"))?;
    let root = dir.join(&member);
    write(
        &root.join("Cargo.toml"),
        &crate_manifest(name, generated, DEV_DEPENDENCIES),
    );
    write(&root.join("src/lib.rs"), &api_lib(generated));
    for test in tests {
        let file = test.file_name().expect("a test file");
        std::fs::create_dir_all(root.join("tests")).map_err(|e| e.to_string())?;
        std::fs::copy(test, root.join("tests").join(file))
            .map_err(|e| format!("copying {}: {e}", test.display()))?;
    }
    // Only the tests in `tests/`: the runtime's own unit tests name the
    // OpenCX types.
    cargo(
        dir,
        &[
            "test",
            "--offline",
            "--all-features",
            "-p",
            name,
            "--test",
            "*",
        ],
        &[],
    )
}

/// Runs the contract tests regen wrote into the scratch workspace `ws` (its
/// `tests/tests/contract.rs`, against its `tests/contract/upstream.json`),
/// with a crate named `opencx-api` around its generated client and the real
/// contract runtime (`tests/src/contract`). `prism` is the mock server to use.
pub fn run_contract_tests(ws: &Path, prism: &Path) -> Result<String, String> {
    let build = contract_workspace(ws)?;
    cargo(
        &build,
        CONTRACT_TESTS,
        &[(crate::contract::PRISM_ENV, prism.as_os_str())],
    )
}

/// cargo's arguments that run the contract tests of a
/// [`contract_workspace`] (libtest's follow `--`).
pub(crate) const CONTRACT_TESTS: &[&str] = &[
    "test",
    "--offline",
    "-p",
    "opencx-tests",
    "--test",
    "contract",
];

/// Writes, in `ws/build`, the workspace [`run_contract_tests`] runs: a crate
/// named `opencx-api` around the client regen wrote into the scratch
/// workspace `ws`, and `opencx-tests` with the contract runtime and the
/// generated `tests/contract.rs`. Returns its folder.
pub fn contract_workspace(ws: &Path) -> Result<PathBuf, String> {
    let build = ws.join("build");
    write(
        &build.join("Cargo.toml"),
        &workspace_manifest(&["opencx-api".into(), "tests".into()]),
    );
    std::fs::copy(
        workspace_root().join("Cargo.lock"),
        build.join("Cargo.lock"),
    )
    .map_err(|e| format!("copying Cargo.lock: {e}"))?;
    write(
        &build.join("opencx-api/Cargo.toml"),
        &crate_manifest("opencx-api", &ws.join("opencx-api/generated"), &[]),
    );
    write(
        &build.join("opencx-api/src/lib.rs"),
        &api_lib(&ws.join("opencx-api/generated")),
    );
    let real_tests: DocumentMut =
        std::fs::read_to_string(workspace_root().join("tests/Cargo.toml"))
            .expect("the tests' manifest")
            .parse()
            .expect("the tests' manifest parses");
    let mut tests = DocumentMut::new();
    let mut package = Table::new();
    package["name"] = value("opencx-tests");
    package["version"] = value("0.0.0");
    package["edition"] = value("2021");
    package["publish"] = value(false);
    tests["package"] = Item::Table(package);
    let mut dependencies = real_tests["dependencies"]
        .as_table()
        .expect("[dependencies]")
        .clone();
    dependencies.remove("xtask");
    dependencies.remove("toml_edit");
    // The generated tests name the client's types, and with them whatever
    // crates those are made of (`uuid::Uuid`, `chrono::DateTime`): every
    // dependency of the API crate is one of the tests' too.
    let api: DocumentMut = std::fs::read_to_string(workspace_root().join("opencx-api/Cargo.toml"))
        .expect("opencx-api's manifest")
        .parse()
        .expect("opencx-api's manifest parses");
    for (name, spec) in api["dependencies"]
        .as_table()
        .expect("[dependencies]")
        .iter()
    {
        if !dependencies.contains_key(name) {
            let mut spec = spec.clone();
            if let Some(table) = spec.as_inline_table_mut() {
                table.remove("optional");
            }
            dependencies.insert(name, spec);
        }
    }
    tests["dependencies"] = Item::Table(dependencies);
    write(&build.join("tests/Cargo.toml"), &tests.to_string());
    let contract = workspace_root().join("tests/src/contract/mod.rs");
    write(
        &build.join("tests/src/lib.rs"),
        &format!(
            "//! The contract runtime, for a client generated by the pipeline (a test fixture).\n\
             #[path = {contract:?}]\n\
             pub mod contract;\n\
             /// The scratch workspace regen wrote.\n\
             pub fn workspace_root() -> std::path::PathBuf {{\n    std::path::PathBuf::from({ws:?})\n}}\n",
            contract = contract.display().to_string(),
            ws = ws.display().to_string(),
        ),
    );
    std::fs::create_dir_all(build.join("tests/tests")).map_err(|e| e.to_string())?;
    std::fs::copy(
        ws.join("tests/tests/contract.rs"),
        build.join("tests/tests/contract.rs"),
    )
    .map_err(|e| format!("copying the generated contract tests: {e}"))?;
    Ok(build)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    #[test]
    fn a_run_silent_for_too_long_is_stopped_with_what_it_started() {
        let dir = tempfile::tempdir().unwrap();
        let pid_file = dir.path().join("pid");
        let mut command = Command::new("sh");
        command.args([
            "-c",
            &format!(
                "echo started; sleep 60 & echo $! > {}; wait",
                pid_file.display()
            ),
        ]);
        let began = Instant::now();
        let output = watched(command, Duration::from_secs(1)).unwrap_err();
        assert!(began.elapsed() < Duration::from_secs(30), "{output}");
        assert!(output.starts_with("started\n"), "{output}");
        assert!(output.ends_with(&format!("{STOPPED} 1 s\n")), "{output}");
        // The grandchild went with it.
        let pid = std::fs::read_to_string(&pid_file).unwrap();
        std::thread::sleep(Duration::from_millis(200));
        let alive = Path::new("/proc").join(pid.trim()).join("status");
        let state = std::fs::read_to_string(alive).unwrap_or_default();
        assert!(
            state.is_empty() || state.contains("State:\tZ"),
            "sleep {pid} still runs: {state}"
        );

        let mut quick = Command::new("sh");
        quick.args(["-c", "echo out; echo err >&2"]);
        assert_eq!(
            watched(quick, Duration::from_secs(5)).unwrap(),
            "out\nerr\n"
        );
    }
}
