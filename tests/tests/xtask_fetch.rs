//! `cargo xtask vendor --fetch [--check]` against a docs site served from
//! 127.0.0.1: an llms.txt index and reference pages built from the vendored
//! documents, as the vendor's site serves them (Markdown, one ```yaml fence).

use std::net::TcpListener;

use opencx_tests::docs_site::{
    add_create_contact, change_list_chat_sessions, page, upstream, DocsSite, CREATE_CONTACT, PAGES,
};
use opencx_tests::ScratchWorkspace;
use xtask::vendor::{sha256_hex, ProvenanceFile};

/// Runs `xtask vendor --fetch --docs-url DOCS_URL ARGS` on the scratch workspace; returns (exit code,
/// stdout, stderr).
fn xtask(scratch: &ScratchWorkspace, docs_url: &str, args: &[&str]) -> (u8, String, String) {
    let mut args: Vec<String> = ["vendor", "--fetch", "--docs-url", docs_url]
        .into_iter()
        .chain(args.iter().copied())
        .map(str::to_string)
        .collect();
    args.extend([
        "--root".to_string(),
        scratch.root().display().to_string(),
        "--no-compile-check".to_string(),
    ]);
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = xtask::cli::run_with_stdin(&args, &mut "".as_bytes(), &mut out, &mut err);
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

fn source_page(scratch: &ScratchWorkspace, file: &str) -> String {
    let provenance = ProvenanceFile::load(&scratch.workspace()).unwrap();
    let record = provenance
        .documents
        .iter()
        .find(|d| d.file == file)
        .unwrap();
    record.source_page.clone()
}

#[test]
fn an_unchanged_upstream_passes_the_check_and_fetch_writes_nothing() {
    let scratch = ScratchWorkspace::new();
    let site = upstream(&scratch);
    let before = scratch.snapshot();
    let (code, out, err) = xtask(&scratch, &site.base, &["--check"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("upstream matches the vendored documents (4 operations)"),
        "{out}"
    );
    assert!(
        err.contains(&format!("fetching {}", site.url("/llms.txt"))),
        "{err}"
    );
    assert!(
        err.contains("passed over") && err.contains("/api-reference/introduction.md"),
        "{err}"
    );
    // The HTML page was followed by its Markdown; guides are never fetched.
    let asked = site.asked();
    assert!(
        asked.contains(&"/api-reference/chat/list-chat-history.md".to_string()),
        "{asked:?}"
    );
    assert!(!asked.contains(&"/quickstart.md".to_string()), "{asked:?}");
    assert_eq!(asked.len(), 7, "{asked:?}");

    let (code, out, err) = xtask(&scratch, &site.base, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("upstream matches the vendored documents"),
        "{out}"
    );
    assert!(scratch.snapshot() == before, "nothing may be written");
}

#[test]
fn a_changed_page_fails_the_check_then_fetch_vendors_it_with_its_url() {
    let scratch = ScratchWorkspace::new();
    let site = upstream(&scratch);
    let document = change_list_chat_sessions(&scratch, &site);
    let before = scratch.snapshot();
    let url = site.url(PAGES[0].1);

    let (code, out, err) = xtask(&scratch, &site.base, &["--check"]);
    assert_eq!(code, 1, "{out}{err}");
    assert_eq!(
        out,
        format!("changed: GET /chat/sessions (listChatSessions) from {url}\n")
    );
    assert!(err.contains("upstream differs"), "{err}");
    assert!(scratch.snapshot() == before, "--check writes nothing");

    let (code, out, err) = xtask(&scratch, &site.base, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(&format!(
            "vendored specs/listChatSessions.yaml (GET /chat/sessions) from {url}"
        )),
        "{out}"
    );
    assert!(out.contains("now run `cargo xtask regen`"), "{out}");
    assert_eq!(scratch.read("specs/listChatSessions.yaml"), document);
    let provenance = ProvenanceFile::load(&scratch.workspace()).unwrap();
    let record = provenance
        .documents
        .iter()
        .find(|d| d.file == "listChatSessions.yaml")
        .unwrap();
    assert_eq!(record.source_page, url);
    assert_eq!(record.sha256, sha256_hex(document.as_bytes()));
    // The others are untouched, and the check passes again.
    assert!(source_page(&scratch, "getChatSession.yaml").starts_with("../shared/seeds/"));
    let (code, out, _) = xtask(&scratch, &site.base, &["--check"]);
    assert_eq!(code, 0, "{out}");
}

#[test]
fn an_operation_id_renamed_upstream_keeps_its_file() {
    let scratch = ScratchWorkspace::new();
    let site = upstream(&scratch);
    let document = scratch.read("specs/listChatSessions.yaml").replacen(
        "operationId: listChatSessions",
        "operationId: listSessions",
        1,
    );
    let text = page(&site, "List chat sessions", "get /chat/sessions", &document);
    site.serve(PAGES[0].1, 200, "text/markdown", &text);

    let (code, out, err) = xtask(&scratch, &site.base, &["--check"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        out.starts_with("changed: GET /chat/sessions (listSessions) from"),
        "{out}"
    );
    assert!(out.contains("(was listChatSessions)"), "{out}");
    let (code, _, err) = xtask(&scratch, &site.base, &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(scratch.read("specs/listChatSessions.yaml"), document);
    assert!(!scratch.root().join("specs/listSessions.yaml").exists());
}

#[test]
fn a_new_operation_is_listed_and_vendored_only_when_asked() {
    let scratch = ScratchWorkspace::new();
    let site = upstream(&scratch);
    let url = add_create_contact(&site);
    let before = scratch.snapshot();

    let (code, out, _) = xtask(&scratch, &site.base, &["--check"]);
    assert_eq!(code, 1);
    assert_eq!(
        out,
        format!("new: POST /contacts (createContact) from {url}\n")
    );

    let (code, out, err) = xtask(&scratch, &site.base, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(&format!("new: POST /contacts (createContact) from {url}")),
        "{out}"
    );
    assert!(out.contains("--all"), "{out}");
    assert!(
        scratch.snapshot() == before,
        "new operations wait to be asked for"
    );

    let (code, _, err) = xtask(&scratch, &site.base, &["listContacts"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("listContacts is not a new operation upstream; new operations: createContact"),
        "{err}"
    );
    let (code, _, err) = xtask(&scratch, &site.base, &["getChatSession"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("getChatSession is already vendored (specs/getChatSession.yaml)"),
        "{err}"
    );
    let (code, _, _) = xtask(&scratch, &site.base, &["--check", "--all"]);
    assert_eq!(
        code, 2,
        "--check vendors nothing, so --all makes no sense with it"
    );
    assert!(scratch.snapshot() == before);

    let (code, out, err) = xtask(&scratch, &site.base, &["createContact"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(&format!(
            "vendored specs/createContact.yaml (POST /contacts) from {url}"
        )),
        "{out}"
    );
    assert_eq!(scratch.read("specs/createContact.yaml"), CREATE_CONTACT);
    assert_eq!(source_page(&scratch, "createContact.yaml"), url);

    // --all does the same in a fresh workspace.
    let scratch = ScratchWorkspace::new();
    let (code, _, err) = xtask(&scratch, &site.base, &["--all"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(scratch.read("specs/createContact.yaml"), CREATE_CONTACT);
}

/// Runs `vendor --fetch` with a changed page beside the fault, so that a run
/// that wrote anything would show; returns stderr.
fn fails_writing_nothing(scratch: &ScratchWorkspace, site: &DocsSite) -> String {
    change_list_chat_sessions(scratch, site);
    let before = scratch.snapshot();
    let mut errors = Vec::new();
    for args in [&[][..], &["--check"][..]] {
        let (code, out, err) = xtask(scratch, &site.base, args);
        assert_eq!(code, 1, "{out}{err}");
        assert!(err.contains("error: "), "{err}");
        assert!(
            scratch.snapshot() == before,
            "nothing may be written on an error"
        );
        errors.push(err);
    }
    errors.swap_remove(0)
}

#[test]
fn http_errors_name_the_url_and_status_and_write_nothing() {
    for status in [404, 500] {
        let scratch = ScratchWorkspace::new();
        let site = upstream(&scratch);
        let path = PAGES[3].1;
        site.serve(path, status, "text/html", "<html>oops</html>");
        let err = fails_writing_nothing(&scratch, &site);
        assert!(
            err.contains(&format!("error: {}: HTTP {status}", site.url(path))),
            "{err}"
        );
    }
}

#[test]
fn an_index_without_api_reference_links_is_an_error() {
    let scratch = ScratchWorkspace::new();
    let site = upstream(&scratch);
    site.serve(
        "/llms.txt",
        200,
        "text/plain",
        "# Docs\n\n- [Quickstart](/quickstart.md)\n",
    );
    let err = fails_writing_nothing(&scratch, &site);
    assert!(
        err.contains(&format!(
            "{}: the index links 1 pages but no API reference page",
            site.url("/llms.txt")
        )),
        "{err}"
    );
}

#[test]
fn a_page_with_two_openapi_fences_is_an_error_naming_its_url() {
    let scratch = ScratchWorkspace::new();
    let site = upstream(&scratch);
    let path = PAGES[1].1;
    let document = scratch.read("specs/getChatSession.yaml");
    let one = page(
        &site,
        "Get a chat session",
        "get /chat/sessions/{session_id}",
        &document,
    );
    site.serve(
        path,
        200,
        "text/markdown",
        &format!("{one}\n````yaml\n{document}````\n"),
    );
    let err = fails_writing_nothing(&scratch, &site);
    assert!(
        err.contains(&format!("{}: 2 ```yaml fences", site.url(path))),
        "{err}"
    );
}

#[test]
fn a_refused_connection_is_an_error_naming_the_url() {
    let scratch = ScratchWorkspace::new();
    // A port that was free a moment ago and has no listener now.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let before = scratch.snapshot();
    let (code, _, err) = xtask(&scratch, &base, &[]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains(&format!("error: {base}/llms.txt: ")), "{err}");
    assert!(err.to_lowercase().contains("connect"), "{err}");
    assert!(scratch.snapshot() == before);
}
