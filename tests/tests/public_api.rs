//! The public API of `opencx-api`, as rustdoc sees it with every feature,
//! against the committed listing `opencx-api/public-api.txt`, so every
//! change to the public surface shows in review.
//!
//! rustdoc's JSON output is unstable, so it is built on the stable toolchain
//! with `RUSTC_BOOTSTRAP=1` (`cargo rustdoc -- -Z unstable-options
//! --output-format json`), in a target folder of its own (the workspace's is
//! locked by the test run), and read by the `public-api` crate, the library
//! behind `cargo public-api`, whose version reads that toolchain's format.
//! Blanket impls (`impl<T> From<T> for T`...) are left out; auto traits and
//! derives stay, as losing `Send` or `Clone` breaks callers.
//!
//! Refresh the listing after a deliberate change with
//! `OPENCX_BLESS=1 cargo test -p opencx-tests --test public_api`.

use std::path::PathBuf;
use std::process::Command;

use opencx_tests::workspace_root;

/// Set to `1` to write the listing instead of comparing with it.
const BLESS_ENV: &str = "OPENCX_BLESS";

/// Builds rustdoc's JSON for opencx-api with every feature; its path.
fn rustdoc_json() -> PathBuf {
    let target = workspace_root().join("target/public-api");
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args([
            "rustdoc",
            "--offline",
            "--locked",
            "--quiet",
            "-p",
            "opencx-api",
            "--lib",
            "--all-features",
            "--",
            "-Z",
            "unstable-options",
            "--output-format",
            "json",
        ])
        .current_dir(workspace_root())
        .env("CARGO_TARGET_DIR", &target)
        .env("RUSTC_BOOTSTRAP", "1")
        .env_remove("RUSTFLAGS")
        .env_remove("RUSTDOCFLAGS")
        .output()
        .expect("cargo runs");
    assert!(
        output.status.success(),
        "cargo rustdoc --output-format json failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    target.join("doc/opencx_api.json")
}

#[test]
fn the_public_api_is_the_committed_listing() {
    let json = rustdoc_json();
    let api = public_api::Builder::from_rustdoc_json(&json)
        .omit_blanket_impls(true)
        .build()
        .unwrap_or_else(|e| panic!("{}: {e}", json.display()));
    let listing = api.to_string();
    let path = workspace_root().join("opencx-api/public-api.txt");
    if std::env::var(BLESS_ENV).as_deref() == Ok("1") {
        std::fs::write(&path, &listing).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != listing {
        let diff = similar::TextDiff::from_lines(&committed, &listing)
            .unified_diff()
            .header(
                "opencx-api/public-api.txt (committed)",
                "opencx-api (built)",
            )
            .to_string();
        panic!(
            "the public API of opencx-api is not the committed listing:\n{diff}\n\
             If the change is meant, say it in opencx-api/CHANGELOG.md and refresh the listing:\n\
             {BLESS_ENV}=1 cargo test -p opencx-tests --test public_api"
        );
    }
}
