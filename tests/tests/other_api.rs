//! The runtime names no API: a client generated from another document
//! (`tests/fixtures/other-api/api.yaml`), on opencx-api's runtime, takes its
//! retry classes from that document (`x-idempotent: true` on an operation)
//! and gets none of OpenCX's settings: no base URL, no environment
//! variables, no user agent, no rate limit.
//! `tests/fixtures/other-api/settings.rs`, compiled against it, shows each
//! against a local server.

use std::path::Path;

use opencx_tests::generated_crate::Fixture;
use opencx_tests::workspace_root;

#[test]
fn a_client_for_another_api_retries_what_its_document_marks_and_has_no_opencx_setting() {
    let fixtures = workspace_root().join("tests/fixtures/other-api");
    let fixture = Fixture::regenerate(&fixtures.join("api.yaml"));
    let client =
        std::fs::read_to_string(fixture.root().join("opencx-api/generated/client.rs")).unwrap();
    // `IDEMPOTENT_OPERATIONS: &'static [&'static str] = &["a", "b"];`
    let listed: Vec<&str> = client
        .split_once("IDEMPOTENT_OPERATIONS")
        .and_then(|(_, rest)| rest.split_once("= &["))
        .and_then(|(_, rest)| rest.split_once("];"))
        .map(|(list, _)| list.split('"').skip(1).step_by(2).collect())
        .expect("the generated client lists its idempotent operations");
    assert_eq!(
        listed,
        ["search_widgets"],
        "the document's mark reaches the generated client, and only it"
    );
    let output = fixture
        .test(&[fixtures.join("settings.rs")])
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(output.contains("test result: ok. 4 passed"), "{output}");
}

/// What is OpenCX's and not any API's, as the runtime's code (not its docs,
/// whose examples run against opencx-api) would have to spell it.
const OPENCX_SETTINGS: [&str; 5] = [
    "OPENCX_",
    "open.cx",
    "\"opencx-api/",
    "filter_chat_sessions",
    "READ_ONLY_OPERATIONS",
];

#[test]
fn the_runtime_code_spells_no_opencx_setting() {
    let mut found = Vec::new();
    scan(&workspace_root().join("opencx-api/src/runtime"), &mut found);
    assert!(
        found.is_empty(),
        "OpenCX settings in the runtime: {found:#?}"
    );
}

fn scan(dir: &Path, found: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            scan(&path, found);
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for (number, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            for setting in OPENCX_SETTINGS {
                if line.contains(setting) {
                    found.push(format!("{}:{}: {line}", path.display(), number + 1));
                }
            }
        }
    }
}
