//! The committed outputs are exactly what the pipeline produces, and the check
//! that says so really fails when they are not.

use opencx_tests::{workspace_root, ScratchWorkspace};
use xtask::regen::{check, regen};
use xtask::workspace::Workspace;

#[test]
fn committed_outputs_match_the_vendored_documents() {
    let drift = check(&Workspace::new(workspace_root())).expect("the pipeline runs");
    assert!(
        drift.is_clean(),
        "drift found; run `cargo xtask regen`:\n{drift}"
    );
}

#[test]
fn the_build_script_output_matches_the_committed_snapshots() {
    let root = workspace_root();
    let client = std::fs::read_to_string(root.join("opencx-api/generated/client.rs")).unwrap();
    let mock = std::fs::read_to_string(root.join("opencx-api/generated/mock.rs")).unwrap();
    // Compared as whole strings: a mismatch means the build script and the
    // snapshot disagree (a progenitor upgrade, or a hand-edited snapshot).
    assert!(
        opencx_api::__generated_source::CLIENT == client,
        "the build script's client differs from opencx-api/generated/client.rs; run `cargo xtask regen`"
    );
    assert!(
        opencx_api::__generated_source::MOCK == mock,
        "the build script's mocks differ from opencx-api/generated/mock.rs; run `cargo xtask regen`"
    );
}

#[test]
fn regen_twice_changes_nothing() {
    let scratch = ScratchWorkspace::new();
    let before = scratch.snapshot();
    assert_eq!(
        regen(&scratch.workspace()).unwrap(),
        Vec::<std::path::PathBuf>::new()
    );
    assert_eq!(
        regen(&scratch.workspace()).unwrap(),
        Vec::<std::path::PathBuf>::new()
    );
    assert!(
        before == scratch.snapshot(),
        "regen on an up-to-date workspace rewrote files"
    );
}

#[test]
fn an_edited_vendored_document_fails_the_check_with_a_diff_naming_the_change() {
    let scratch = ScratchWorkspace::new();
    scratch.edit(
        "specs/filterChatSessions.yaml",
        "                - human_agents\n",
        "                - human_agents\n                - archived\n",
    );
    let before = scratch.snapshot();
    let drift = check(&scratch.workspace()).unwrap();
    assert!(!drift.is_clean());
    let report = drift.to_string();
    assert!(
        report.contains("opencx-api/openapi.json is out of date"),
        "{report}"
    );
    assert!(
        report
            .lines()
            .any(|l| l.starts_with('+') && l.trim_end().ends_with("\"archived\"")),
        "the diff names the new value:\n{report}"
    );
    assert!(
        report.contains("opencx-api/generated/client.rs is out of date"),
        "{report}"
    );
    assert!(
        report.contains("specs/provenance.yaml is out of date"),
        "{report}"
    );
    if std::path::Path::new(&workspace_root())
        .join("../shared/seeds")
        .is_dir()
    {
        assert!(
            report.contains("specs/filterChatSessions.yaml differs from its source page"),
            "{report}"
        );
    }
    assert!(before == scratch.snapshot(), "--check wrote something");

    // After regen the outputs follow the document.
    regen(&scratch.workspace()).unwrap();
    assert!(scratch
        .read("opencx-api/openapi.json")
        .contains("\"archived\""));
    assert!(scratch
        .read("opencx-api/generated/client.rs")
        .contains("Archived"));
}

#[test]
fn a_change_that_splits_a_named_concept_is_an_overlay_error() {
    // The list endpoint's `status` filter and a session's `status` are one type
    // (`SessionStatus`); upstream giving them different values must be looked at.
    let scratch = ScratchWorkspace::new();
    scratch.edit(
        "specs/listChatSessions.yaml",
        "              - closed_unresolved\n          in: query",
        "              - closed_unresolved\n              - archived\n          in: query",
    );
    let error = format!("{:#}", check(&scratch.workspace()).unwrap_err());
    assert!(
        error.contains("specs/overlay.yaml: types.SessionStatus"),
        "{error}"
    );
    assert!(
        error.contains(
            "specs/listChatSessions.yaml#/paths/~1chat~1sessions/get/parameters/2/schema"
        ),
        "{error}"
    );
    assert!(error.contains("first at /enum/3"), "{error}");
}

#[test]
fn a_hand_edited_snapshot_fails_the_check() {
    let scratch = ScratchWorkspace::new();
    scratch.edit(
        "opencx-api/generated/client.rs",
        "pub struct Client {",
        "pub struct Client { // edited",
    );
    let report = check(&scratch.workspace()).unwrap().to_string();
    assert!(
        report.contains("opencx-api/generated/client.rs is out of date"),
        "{report}"
    );
    assert!(
        report.contains("-pub struct Client { // edited"),
        "{report}"
    );
}

#[test]
fn a_hand_edited_merged_document_fails_the_check() {
    let scratch = ScratchWorkspace::new();
    scratch.edit("opencx-api/openapi.json", "\"3.0.3\"", "\"3.0.2\"");
    let report = check(&scratch.workspace()).unwrap().to_string();
    assert!(
        report.contains("opencx-api/openapi.json is out of date"),
        "{report}"
    );
    assert!(report.contains("+  \"openapi\": \"3.0.3\""), "{report}");
}

#[test]
fn vendoring_an_updated_page_then_regen_is_the_whole_update() {
    let scratch = ScratchWorkspace::new();
    let page = scratch.root().join("updated-page.md");
    let original =
        std::fs::read_to_string(workspace_root().join("specs/getChatSession.yaml")).unwrap();
    let updated = original.replacen(
        "        - web_voice\n",
        "        - web_voice\n        - telegram\n",
        1,
    );
    assert_ne!(original, updated);
    std::fs::write(
        &page,
        format!(
            "# Get a chat session\n\n````yaml get /chat/sessions/{{session_id}}\n{updated}````\n"
        ),
    )
    .unwrap();
    let records =
        xtask::vendor::vendor(&scratch.workspace(), &[page.display().to_string()], None).unwrap();
    assert_eq!(records[0].file, "getChatSession.yaml");
    assert_eq!(scratch.read("specs/getChatSession.yaml"), updated);
    assert!(scratch
        .read("specs/provenance.yaml")
        .contains("source_page: updated-page.md"));
}

/// Codegen runs at build time only: progenitor (and typify through it) must not
/// become a dependency of every downstream crate.
#[test]
fn progenitor_is_only_a_build_dependency() {
    let manifest = std::fs::read_to_string(workspace_root().join("opencx-api/Cargo.toml")).unwrap();
    let section_of = |needle: &str| {
        let at = manifest
            .find(needle)
            .unwrap_or_else(|| panic!("{needle} not in opencx-api/Cargo.toml"));
        manifest[..at]
            .rfind("\n[")
            .map(|start| manifest[start + 1..].lines().next().unwrap().to_string())
    };
    assert_eq!(
        section_of("\nprogenitor.workspace").as_deref(),
        Some("[build-dependencies]")
    );
    assert_eq!(
        section_of("\nprogenitor-client.workspace").as_deref(),
        Some("[dependencies]")
    );
    let workspace = std::fs::read_to_string(workspace_root().join("Cargo.toml")).unwrap();
    assert!(
        workspace.contains("progenitor = { version = \"=0.15.1\""),
        "progenitor must stay pinned"
    );
}

#[test]
fn a_new_codegen_neutral_drop_shows_in_the_check_as_a_report_line() {
    let scratch = ScratchWorkspace::new();
    scratch.edit(
        "specs/filterChatSessions.yaml",
        "            date:\n              description: Date range filter on session creation time\n              type: object\n",
        "            date:\n              description: Date range filter on session creation time\n              type: object\n              dependentRequired: {to: [from]}\n",
    );
    let report = check(&scratch.workspace()).unwrap().to_string();
    assert!(
        report.contains("opencx-api/CONVERSION.md is out of date"),
        "{report}"
    );
    assert!(
        report.lines().any(|l| l.starts_with('+')
            && l.contains(
                "specs/filterChatSessions.yaml#/components/schemas/FilterSessionsPublicDto/properties/filters/properties/date/dependentRequired"
            )),
        "the diff names the drop and its file:\n{report}"
    );
    // The drop changes no generated type.
    assert!(!report.contains("client.rs is out of date"), "{report}");
}
