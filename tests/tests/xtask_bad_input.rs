//! `cargo xtask` on bad input: a non-zero exit, a message naming the file and
//! the place in it, and nothing written.

use opencx_tests::ScratchWorkspace;

/// Runs the xtask command line on the scratch workspace; returns (exit code, stderr).
fn xtask(scratch: &ScratchWorkspace, args: &[&str]) -> (u8, String) {
    let mut args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    args.extend(["--root".to_string(), scratch.root().display().to_string()]);
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = xtask::cli::run(&args, &mut out, &mut err);
    (code, String::from_utf8(err).unwrap())
}

/// Asserts that `args` fail, that stderr holds every one of `expected`, and
/// that the workspace is byte for byte as before.
fn assert_fails(scratch: &ScratchWorkspace, args: &[&str], expected: &[&str]) {
    let before = scratch.snapshot();
    let (code, stderr) = xtask(scratch, args);
    assert_eq!(code, 1, "{stderr}");
    for text in expected {
        assert!(stderr.contains(text), "expected {text:?} in:\n{stderr}");
    }
    assert!(
        before == scratch.snapshot(),
        "a failing `xtask {}` wrote files",
        args.join(" ")
    );
}

#[test]
fn the_scratch_workspace_is_clean_to_begin_with() {
    let scratch = ScratchWorkspace::new();
    assert_eq!(xtask(&scratch, &["regen", "--check"]).0, 0);
    assert_eq!(xtask(&scratch, &["regen"]).0, 0);
}

#[test]
fn malformed_yaml_in_a_vendored_document() {
    let scratch = ScratchWorkspace::new();
    scratch.edit(
        "specs/getChatSession.yaml",
        "      operationId: getChatSession\n",
        "      operationId: [getChatSession\n",
    );
    let expected = ["specs/getChatSession.yaml: malformed YAML at line"];
    assert_fails(&scratch, &["regen"], &expected);
    assert_fails(&scratch, &["regen", "--check"], &expected);
}

#[test]
fn malformed_overlay_and_provenance() {
    let scratch = ScratchWorkspace::new();
    scratch.edit("specs/overlay.yaml", "types:\n", "types: [\n");
    assert_fails(
        &scratch,
        &["regen"],
        &["specs/overlay.yaml: malformed overlay at line"],
    );
    let scratch = ScratchWorkspace::new();
    scratch.edit("specs/provenance.yaml", "documents:\n", "documents: {\n");
    assert_fails(
        &scratch,
        &["regen"],
        &["specs/provenance.yaml: malformed provenance YAML at line"],
    );
}

#[test]
fn a_page_with_no_fence_or_two_fences() {
    let scratch = ScratchWorkspace::new();
    let page = scratch.root().join("page.md");
    std::fs::write(&page, "# List chat sessions\n\nNo document here.\n").unwrap();
    let page = page.display().to_string();
    assert_fails(
        &scratch,
        &["vendor", &page],
        &[&page, "no ```yaml fence holding an OpenAPI document"],
    );

    let doc = scratch.read("specs/listChatSessions.yaml");
    std::fs::write(
        &page,
        format!("# Two\n\n```yaml\n{doc}```\n\n```yaml\n{doc}```\n"),
    )
    .unwrap();
    assert_fails(
        &scratch,
        &["vendor", &page],
        &[
            &page,
            "2 ```yaml fences hold an OpenAPI document (at lines 3, ",
        ],
    );
}

#[test]
fn a_conflicting_component() {
    let scratch = ScratchWorkspace::new();
    // Upstream adds a channel in one page but not in the others that carry it.
    scratch.edit(
        "specs/listChatSessions.yaml",
        "        - web_voice\n",
        "        - web_voice\n        - telegram\n",
    );
    assert_fails(
        &scratch,
        &["regen"],
        &[
            "conflicting definitions of /components/schemas/SessionChannel",
            "specs/filterChatSessions.yaml and specs/listChatSessions.yaml",
            "/components/schemas/SessionChannel/enum/10",
        ],
    );
}

#[test]
fn an_unsupported_3_1_keyword() {
    let scratch = ScratchWorkspace::new();
    scratch.edit(
        "specs/listChatHistory.yaml",
        "        name:\n          type: string\n        size:\n",
        "        name:\n          type: string\n          contentMediaType: text/plain\n        size:\n",
    );
    assert_fails(
        &scratch,
        &["regen"],
        &["specs/listChatHistory.yaml#/components/schemas/PublicChatAttachment/properties/name/contentMediaType", "unsupported schema keyword `contentMediaType`"],
    );
}

#[test]
fn an_overlay_entry_that_matches_nothing() {
    let scratch = ScratchWorkspace::new();
    scratch.edit(
        "specs/overlay.yaml",
        "properties/handoff/properties/sentiment\n",
        "properties/handoff/properties/mood\n",
    );
    assert_fails(
        &scratch,
        &["regen"],
        &["specs/overlay.yaml: types.Sentiment.from[1]", "no longer matches the upstream documents", "nothing at /components/schemas/GetChatSessionOutput/properties/handoff/properties/mood"],
    );
}

#[test]
fn an_overlay_patch_whose_target_changed_upstream() {
    let scratch = ScratchWorkspace::new();
    // Upstream documents the ticket number as an integer itself.
    scratch.edit(
        "specs/getChatSession.yaml",
        "        ticket_number:\n          type: number\n",
        "        ticket_number:\n          type: integer\n",
    );
    for file in [
        "specs/listChatSessions.yaml",
        "specs/filterChatSessions.yaml",
    ] {
        scratch.edit(
            file,
            "        ticket_number:\n          type: number\n",
            "        ticket_number:\n          type: integer\n",
        );
    }
    assert_fails(
        &scratch,
        &["regen"],
        &[
            "specs/overlay.yaml: patches[",
            "/components/schemas/GetChatSessionOutput/properties/ticket_number",
            "no longer looks as `expect` says",
            "upstream has \"integer\"",
        ],
    );
}

#[test]
fn drift_exits_non_zero() {
    let scratch = ScratchWorkspace::new();
    scratch.edit(
        "opencx-api/generated/mock.rs",
        "pub trait MockServerExt {",
        "pub trait MockServerExt { // edited",
    );
    assert_fails(
        &scratch,
        &["regen", "--check"],
        &["opencx-api/generated/mock.rs is out of date"],
    );
}
