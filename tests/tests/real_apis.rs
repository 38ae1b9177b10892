//! Whole real APIs nobody on the team wrote (`../shared/real-docs/`, read
//! from there, never copied) go through `cargo xtask vendor` and `regen` in
//! scratch workspaces as a maintainer would take them: each regenerates,
//! what is left out is reported with the vendored file, the JSON pointer and
//! the reason, a second regen changes nothing, and every client compiles on
//! the crate's runtime. The contract tests regen writes for OpenCX's own 2024
//! API pass against Prism serving that document.

use opencx_tests::corpus::{regenerate, scratch, shared, Regenerated};
use opencx_tests::generated_crate::{self, ApiCrate};

#[test]
fn every_real_document_regenerates_and_its_client_compiles() {
    let dir = scratch("real-apis");
    let dir = &dir.path;
    let mut crates = Vec::new();
    let mut summary = Vec::new();
    // Every operation of these is generated now: OpenCX 2024's multipart
    // `PUT /actions` too.
    for document in [
        "opencx-oapi-ts_spec_36a5740.yaml",
        "opencx-oapi-ts_spec_2544a79.yaml",
        "opencx-oapi-ts_spec_9c4abd5.yaml",
        "formbricks-v2.yaml",
        "formbricks-hub.yaml",
        "drip-create-activation.yaml",
        "drip-get-app-installs.yaml",
    ] {
        let Regenerated {
            root,
            warnings,
            operations,
            generated,
            left_out,
        } = regenerate(dir, &shared("real-docs").join(document));
        assert!(left_out.is_empty(), "{document}: {warnings:#?}");
        summary.push(format!(
            "{document}: {generated} of {operations} operations, {} warnings",
            warnings.len()
        ));
        crates.push(ApiCrate {
            name: format!(
                "api-{}",
                document.trim_end_matches(".yaml").replace(['_', '.'], "-")
            ),
            generated: root.join("opencx-api/generated"),
        });
    }
    if let Err(errors) = generated_crate::check(&dir.join("build"), &crates) {
        panic!("a generated client does not compile:\n{errors}");
    }
    eprintln!("{}", summary.join("\n"));
}

#[test]
fn the_contract_tests_of_opencx_2024_pass_against_prism() {
    let Some(prism) = opencx_tests::contract::prism_or_skip("OpenCX's 2024 API") else {
        return;
    };
    let dir = scratch("opencx-2024-contract");
    let root = regenerate(
        &dir.path,
        &shared("real-docs").join("opencx-oapi-ts_spec_9c4abd5.yaml"),
    )
    .root;
    match generated_crate::run_contract_tests(&root, &prism) {
        Ok(output) => {
            let passed = output
                .lines()
                .find(|l| l.starts_with("test result:"))
                .unwrap_or_default()
                .to_string();
            // Multipart `PUT /actions` included.
            assert!(passed.contains(" 24 passed"), "{output}");
        }
        Err(output) => panic!("the contract tests of OpenCX's 2024 API failed:\n{output}"),
    }
}
