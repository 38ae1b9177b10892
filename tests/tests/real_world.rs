//! The public OpenAPI directory, as a maintainer's next upstream: the 24
//! documents drawn from it at random in `../shared/real-world/` (1 to 361
//! operations, 3.0 and 3.1; read from there, never copied) each vendor and
//! regenerate (every operation generated or left out with the vendored
//! file, the JSON pointer and the reason), at least 99 % of their
//! operations are in the generated clients, and every client compiles, with
//! its typed mocks, on the crate's runtime, all in one workspace sharing one
//! target folder. The Rust name the API diff predicts for every type, field
//! and operation of them is one the generated client has.

use opencx_tests::corpus::{predicted_names_exist, regenerate, scratch, shared};
use opencx_tests::generated_crate::{self, ApiCrate};

#[test]
fn every_document_of_the_sample_regenerates_and_its_client_compiles() {
    let dir = scratch("real-world");
    let mut documents: Vec<_> = std::fs::read_dir(shared("real-world"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json" || e == "yaml"))
        .collect();
    documents.sort();
    assert_eq!(documents.len(), 24, "the sample's README counts 24");
    let (mut operations, mut generated) = (0, 0);
    let (mut names, mut missing) = (0, Vec::new());
    let mut crates = Vec::new();
    let mut summary = Vec::new();
    for document in &documents {
        let regenerated = regenerate(&dir.path, document);
        operations += regenerated.operations;
        generated += regenerated.generated;
        let stem = document.file_stem().unwrap().to_string_lossy().to_string();
        // The API diff names what a change touches as these clients do.
        match predicted_names_exist(&regenerated.root) {
            Ok(checked) => names += checked,
            Err(absent) => missing.extend(absent.into_iter().map(|m| format!("{stem}: {m}"))),
        }
        summary.push(format!(
            "{stem}: {} of {} operations{}",
            regenerated.generated,
            regenerated.operations,
            regenerated
                .left_out
                .iter()
                .map(|l| format!("\n  left out: {l}"))
                .collect::<String>()
        ));
        crates.push(ApiCrate {
            name: format!("rw-{}", stem.to_lowercase().replace(['_', '.'], "-")),
            generated: regenerated.root.join("opencx-api/generated"),
        });
    }
    eprintln!("{}", summary.join("\n"));
    // SOURCES.tsv counts 1,454 operations in the sample.
    assert_eq!(operations, 1454, "{}", summary.join("\n"));
    assert!(
        generated * 100 >= operations * 99,
        "{generated} of {operations} operations generated, under 99 %:\n{}",
        summary.join("\n")
    );
    assert!(
        missing.is_empty(),
        "{} of {} names the diff predicts are not in the clients:\n{}",
        missing.len(),
        names + missing.len(),
        missing.join("\n")
    );
    eprintln!("{names} predicted names found in the clients");
    if let Err(errors) = generated_crate::check(&dir.path.join("build"), &crates) {
        panic!("a generated client does not compile:\n{errors}");
    }
}
