//! `cargo xtask upstream --docs-url URL --out DIR`, the scheduled job's one
//! command, against a docs site on 127.0.0.1 that changes between runs:
//! unchanged (up to date, nothing written), an operation added and a
//! breaking change (vendored, regenerated, and a pull request's branch,
//! title, body and CHANGELOG entry written), an unreachable site and a page
//! that is not an OpenAPI page (an error naming the URL, nothing written),
//! and a step regen refuses (`specs/` put back as it was).

use std::net::TcpListener;
use std::path::{Path, PathBuf};

use opencx_tests::docs_site::{add_create_contact, add_page, page, upstream, DocsSite, PAGES};
use opencx_tests::{xtask, ScratchWorkspace};

/// Runs `cargo xtask upstream --docs-url URL --out OUT` on the scratch
/// workspace: (exit code, stdout, stderr).
fn run(scratch: &ScratchWorkspace, docs_url: &str, out: &Path) -> (u8, String, String) {
    xtask(
        &scratch.root(),
        &[
            "upstream",
            "--docs-url",
            docs_url,
            "--out",
            &out.display().to_string(),
        ],
    )
}

/// A folder for `--out` that does not exist yet, beside the workspace.
fn out_dir(scratch: &ScratchWorkspace, name: &str) -> PathBuf {
    scratch.root().parent().unwrap().join(name)
}

/// What the run wrote into `out`, by file name.
fn read(out: &Path, file: &str) -> String {
    std::fs::read_to_string(out.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// Runs against a site that matches `specs/`: up to date, nothing written,
/// `out` not even created.
fn assert_up_to_date(scratch: &ScratchWorkspace, site: &DocsSite, name: &str) {
    let before = scratch.snapshot();
    let out = out_dir(scratch, name);
    let (code, stdout, stderr) = run(scratch, &site.base, &out);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.starts_with("up to date: upstream matches the vendored documents"),
        "{stdout}"
    );
    assert!(scratch.snapshot() == before, "nothing may be written");
    assert!(!out.exists(), "--out is not created when nothing changed");
}

#[test]
fn an_unchanged_upstream_is_up_to_date_and_writes_nothing() {
    let scratch = ScratchWorkspace::new();
    let site = upstream(&scratch);
    assert_up_to_date(&scratch, &site, "out");
    // An `--out` that holds something is refused before anything is read.
    let used = out_dir(&scratch, "used");
    std::fs::create_dir_all(&used).unwrap();
    std::fs::write(used.join("title"), "an earlier run's\n").unwrap();
    let asked = site.asked().len();
    let (code, _, stderr) = run(&scratch, &site.base, &used);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "error: --out {}: the folder is not empty",
            used.display()
        )),
        "{stderr}"
    );
    assert_eq!(site.asked().len(), asked, "the site is not read");
}

#[test]
fn an_added_operation_is_vendored_regenerated_and_written_up_for_a_pull_request() {
    let scratch = ScratchWorkspace::new();
    let site = upstream(&scratch);
    assert_up_to_date(&scratch, &site, "first");

    let url = add_create_contact(&site);
    // Without an operationId: regen derives one, and CONVERSION.md says so.
    let get_contact = "openapi: 3.1.0\ninfo:\n  title: OpenCX API\n  version: 1.0-beta\n\
        paths:\n  /contacts/{contact_id}:\n    get:\n      parameters:\n        - name: contact_id\n          \
        in: path\n          required: true\n          schema:\n            type: string\n      \
        responses:\n        '204':\n          description: Found\n";
    let get_url = add_page(
        &site,
        "/api-reference/contacts/get-contact.md",
        "Get a contact",
        "get /contacts/{contact_id}",
        get_contact,
    );
    let out = out_dir(&scratch, "pr");
    let (code, stdout, stderr) = run(&scratch, &site.base, &out);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains(&format!(
            "vendored specs/createContact.yaml (POST /contacts) from {url}"
        )),
        "{stdout}"
    );
    let port = site.base.rsplit(':').next().unwrap();
    assert_eq!(read(&out, "branch"), format!("upstream/127.0.0.1-{port}\n"));
    assert_eq!(
        read(&out, "title"),
        "opencx-api 0.2.0: 2 operations added\n"
    );
    let body = read(&out, "body.md");
    for part in [
        format!("read the docs index {}", site.url("/llms.txt")),
        format!("- new: POST /contacts (createContact) from {url}\n"),
        "### API changes\n\nSemver: **minor**\n".to_string(),
        format!(
            "- new: GET /contacts/{{contact_id}} (get_contacts_by_contact_id) from {get_url}\n"
        ),
        "**New operations**\n\n- `GET /contacts/{contact_id}` (`get_contacts_by_contact_id`)\n\
         - `POST /contacts` (`createContact`)\n"
            .to_string(),
        "### `opencx-api/CONVERSION.md`: new lines\n\n**Derived operationIds**\n\n\
         | operation | operationId | why |\n| --- | --- | --- |\n\
         | `GET /contacts/{contact_id}` | `get_contacts_by_contact_id` | upstream gives none |\n"
            .to_string(),
        "### To review\n".to_string(),
    ] {
        assert!(body.contains(&part), "{part}\n--- in ---\n{body}");
    }
    let digest = read(&out, "digest");
    assert!(
        body.ends_with(&format!("<!-- upstream-digest: {} -->\n", digest.trim())),
        "{body}"
    );
    // The digest is the one CONVERSION.md records for the new specs/.
    assert!(
        scratch
            .read("opencx-api/CONVERSION.md")
            .contains(&format!("`{}`", digest.trim())),
        "{digest}"
    );
    let entry = read(&out, "changelog.md");
    assert!(
        entry.starts_with(
            "### Added\n\n#### `GET /contacts/{contact_id}` (`get_contacts_by_contact_id`)\n\n"
        ) && entry.contains(
            "\n#### `POST /contacts` (`createContact`)\n\n- new operation `createContact`"
        ),
        "{entry}"
    );
    let changelog = scratch.read("opencx-api/CHANGELOG.md");
    for line in entry.lines().filter(|l| l.starts_with("- ")) {
        assert!(
            changelog.contains(line),
            "the entry is what regen added to the CHANGELOG: {line}"
        );
    }
    assert!(scratch
        .read("opencx-api/generated/client.rs")
        .contains("pub fn create_contact("));
    let (code, stdout, stderr) = xtask(&scratch.root(), &["regen", "--check"]);
    assert_eq!(code, 0, "the step leaves no drift:\n{stdout}{stderr}");

    // The next run finds the workspace in step with the site.
    assert_up_to_date(&scratch, &site, "again");
}

#[test]
fn a_breaking_change_is_titled_and_listed_as_one() {
    let scratch = ScratchWorkspace::new();
    let site = upstream(&scratch);
    assert_up_to_date(&scratch, &site, "first");

    let document = scratch.read("specs/listChatSessions.yaml").replacen(
        "          name: handed_off\n          required: false\n",
        "          name: handed_off\n          required: true\n",
        1,
    );
    let text = page(&site, "List chat sessions", "get /chat/sessions", &document);
    site.serve(PAGES[0].1, 200, "text/markdown", &text);
    let out = out_dir(&scratch, "pr");
    let (code, stdout, stderr) = run(&scratch, &site.base, &out);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(read(&out, "title"), "opencx-api 0.2.0: 1 breaking change\n");
    let body = read(&out, "body.md");
    assert!(
        body.contains(&format!(
            "- changed: GET /chat/sessions (listChatSessions) from {}\n",
            site.url(PAGES[0].1)
        )),
        "{body}"
    );
    assert!(
        body.contains("Semver: **major** (breaking)\n\n#### Breaking\n"),
        "{body}"
    );
    assert!(
        body.contains("(`request-parameter-became-required`)"),
        "{body}"
    );
    let entry = read(&out, "changelog.md");
    assert!(
        entry.starts_with("### Breaking\n\n#### `GET /chat/sessions` (`listChatSessions`)\n\n- `query`: query parameter `handed_off` became required"),
        "{entry}"
    );
    assert_eq!(scratch.read("specs/listChatSessions.yaml"), document);
    assert_up_to_date(&scratch, &site, "again");
}

/// Runs against `docs_url` with a changed page on `site` too, so a run that
/// wrote anything would show; returns stderr.
fn fails_writing_nothing(scratch: &ScratchWorkspace, site: &DocsSite, docs_url: &str) -> String {
    opencx_tests::docs_site::change_list_chat_sessions(scratch, site);
    let before = scratch.snapshot();
    let out = out_dir(scratch, "pr");
    let (code, stdout, stderr) = run(scratch, docs_url, &out);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stderr.contains("error: "), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        scratch.snapshot() == before,
        "nothing may be written on an error"
    );
    assert!(!out.exists(), "--out is not created on an error");
    stderr
}

#[test]
fn an_unreachable_site_is_an_error_naming_its_url() {
    let scratch = ScratchWorkspace::new();
    let site = upstream(&scratch);
    // A port that was free a moment ago and has no listener now.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let err = fails_writing_nothing(&scratch, &site, &base);
    assert!(err.contains(&format!("error: {base}/llms.txt: ")), "{err}");
    assert!(err.to_lowercase().contains("connect"), "{err}");
}

#[test]
fn a_page_that_is_not_an_openapi_page_is_an_error_naming_its_url() {
    for (fence, reason) in [
        (
            "title: a guide\nbody: no API here\n",
            "no ```yaml fence holding an OpenAPI document",
        ),
        (
            "openapi: 3.1.0\npaths: [unclosed\n",
            "the OpenAPI fence is not valid YAML",
        ),
    ] {
        let scratch = ScratchWorkspace::new();
        let site = upstream(&scratch);
        let path = PAGES[1].1;
        let text = page(
            &site,
            "Get a chat session",
            "get /chat/sessions/{session_id}",
            fence,
        );
        site.serve(path, 200, "text/markdown", &text);
        let err = fails_writing_nothing(&scratch, &site, &site.base);
        assert!(
            err.contains(&format!("error: {}: {reason}", site.url(path))),
            "{err}"
        );
    }
}

#[test]
fn a_step_regen_refuses_leaves_specs_as_they_were() {
    let scratch = ScratchWorkspace::new();
    let site = upstream(&scratch);
    // A new page whose document defines a component every vendored page
    // shares, differently: vendoring accepts the page, the merge refuses it.
    let conflicting = "openapi: 3.1.0\ninfo:\n  title: OpenCX API\n  version: 1.0-beta\n\
        paths:\n  /contacts:\n    post:\n      operationId: createContact\n      responses:\n        \
        '400':\n          description: Bad\n          content:\n            application/json:\n              \
        schema:\n                $ref: '#/components/schemas/ErrorDto'\n\
        components:\n  schemas:\n    ErrorDto:\n      type: object\n      properties:\n        \
        reason:\n          type: integer\n";
    add_page(
        &site,
        "/api-reference/contacts/create-contact.md",
        "Create a contact",
        "post /contacts",
        conflicting,
    );
    let before = scratch.snapshot();
    let out = out_dir(&scratch, "pr");
    let (code, stdout, stderr) = run(&scratch, &site.base, &out);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stderr.contains("ErrorDto"), "{stderr}");
    assert!(stderr.contains("specs/ is put back as it was"), "{stderr}");
    assert!(scratch.snapshot() == before, "specs/ must be as it was");
    assert!(!out.exists());
}

/// The `cargo xtask upstream ...` line of `text`, as arguments, with
/// `vars` (`$NAME`, `"$NAME"`) replaced.
fn command_in(text: &str, file: &str, vars: &[(&str, &str)]) -> Vec<String> {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("cargo xtask upstream "))
        .unwrap_or_else(|| panic!("{file} runs no `cargo xtask upstream`"));
    let line = line.split(" 2>&1").next().unwrap();
    line.split_whitespace()
        .skip(2)
        .map(|word| {
            let word = word.trim_matches('"');
            vars.iter()
                .fold(word.to_string(), |w, (name, value)| w.replace(name, value))
        })
        .collect()
}

#[test]
fn the_readme_and_the_workflow_run_the_command_tested() {
    let root = opencx_tests::workspace_root();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let workflow = std::fs::read_to_string(root.join(".github/workflows/upstream.yml")).unwrap();
    for file in xtask::upstream::FILES {
        if file != "changelog.md" {
            assert!(
                workflow.contains(&format!("\"$OUT/{file}\"")),
                "upstream.yml reads {file}"
            );
        }
        assert!(
            readme.contains(&format!("| `{file}` |")),
            "the README tells {file}"
        );
    }
    let scratch = ScratchWorkspace::new();
    let site = upstream(&scratch);
    add_create_contact(&site);
    let out = out_dir(&scratch, "pr").display().to_string();
    let from_readme = command_in(
        &readme,
        "README.md",
        &[
            ("https://docs.open.cx", &site.base),
            ("$RUNNER_TEMP/upstream", &out),
        ],
    );
    let from_workflow = command_in(
        &workflow,
        "upstream.yml",
        &[("$DOCS_URL", &site.base), ("$OUT", &out)],
    );
    assert_eq!(from_readme, from_workflow);
    let args: Vec<&str> = from_readme.iter().map(String::as_str).collect();
    let (code, stdout, stderr) = xtask(&scratch.root(), &args);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert_eq!(
        read(Path::new(&out), "title"),
        "opencx-api 0.2.0: 1 operation added\n"
    );
}
