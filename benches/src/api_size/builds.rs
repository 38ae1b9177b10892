//! The builds of `opencx-api` around a generated client: clean, the crate
//! alone, and after a small upstream change.

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::apis::scratch;
use crate::workspace_root;

/// A workspace with `opencx-api` as shipped (build script, codegen, the
/// runtime) around `openapi.json` of `api`, without the OpenCX-specific
/// modules (pagination, export), which name the OpenCX operations.
fn build_workspace(api: &Path, dir: &Path) -> PathBuf {
    let real = workspace_root();
    let krate = crate::build_cost::one_crate_workspace(dir, &["[dev-dependencies]"])
        .expect("a workspace around the crate");
    std::fs::copy(real.join("opencx-api/build.rs"), krate.join("build.rs")).expect("copy");
    crate::build_cost::copy_sources(&real.join("opencx-api/codegen"), &krate.join("codegen"))
        .expect("copy codegen/");
    crate::build_cost::copy_sources(
        &real.join("opencx-api/src/runtime"),
        &krate.join("src/runtime"),
    )
    .expect("copy the runtime");
    std::fs::copy(
        api.join("opencx-api/openapi.json"),
        krate.join("openapi.json"),
    )
    .expect("copy");
    std::fs::write(
        krate.join("src/lib.rs"),
        "#[allow(dead_code, unused_imports, clippy::all)]\n\
         mod generated {\n    include!(concat!(env!(\"OUT_DIR\"), \"/client.rs\"));\n}\n\
         mod runtime;\n\
         pub use generated::{builder, types, Client, ResponseValue};\n\
         pub use runtime::*;\n",
    )
    .expect("write");
    dir.to_path_buf()
}

/// Seconds `cargo build` takes in `dir` with `target`.
fn timed_build(dir: &Path, target: &Path) -> f64 {
    let started = Instant::now();
    let status = crate::build_cost::cargo()
        .args(["build", "--offline", "--quiet", "-p", "opencx-api"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .status()
        .expect("cargo runs");
    assert!(status.success(), "cargo build in {}", dir.display());
    started.elapsed().as_secs_f64()
}

/// Clean, crate alone, and after one description changed, in seconds.
pub(super) fn builds(api: &Path, name: &str) -> (f64, f64, f64) {
    let dir = build_workspace(api, &scratch().join(name).join("build"));
    let target = scratch().join(name).join("target");
    let _ = std::fs::remove_dir_all(&target);
    let clean = timed_build(&dir, &target);
    let status = crate::build_cost::cargo()
        .args(["clean", "--offline", "-p", "opencx-api"])
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", &target)
        .status()
        .expect("cargo runs");
    assert!(status.success());
    let alone = timed_build(&dir, &target);
    // An upstream update as small as they come: one description changed.
    // The build script generates again, and one doc comment differs.
    let spec = dir.join("opencx-api/openapi.json");
    let text = std::fs::read_to_string(&spec).expect("read");
    let changed = text.replacen("\"description\": \"", "\"description\": \"Changed. ", 1);
    assert_ne!(changed, text, "the document has a description to change");
    std::fs::write(&spec, changed).expect("write");
    let incremental = timed_build(&dir, &target);
    let _ = std::fs::remove_dir_all(&target);
    (clean, alone, incremental)
}
