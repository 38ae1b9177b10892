//! Generates the client from `openapi.json` (see `codegen/`) into `OUT_DIR`.

// xtask compiles the same module and uses more of it (plans, names).
#[allow(dead_code, unused_imports)]
#[path = "codegen/mod.rs"]
mod codegen;

fn main() {
    println!("cargo:rerun-if-changed=openapi.json");
    println!("cargo:rerun-if-changed=codegen");
    let spec =
        std::fs::read_to_string("openapi.json").expect("opencx-api/openapi.json is readable");
    let generated = match codegen::generate(&spec) {
        Ok(generated) => generated,
        Err(e) => {
            // A message, not a panic's backtrace: cargo shows the build
            // script's stderr when it fails.
            eprintln!("error: opencx-api/openapi.json: {e}");
            eprintln!(
                "run `cargo xtask regen`, which checks the document before progenitor sees it"
            );
            std::process::exit(1);
        }
    };
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("client.rs"), generated.client).expect("OUT_DIR is writable");
    std::fs::write(out.join("mock.rs"), generated.mock).expect("OUT_DIR is writable");
}
