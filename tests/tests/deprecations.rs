//! `deprecated: true` upstream reaches the Rust a downstream crate compiles:
//! `tests/fixtures/deprecations/api.yaml` (a deprecated operation with and
//! without a description, parameters, and properties of a component, of an
//! inline request body, of an inline response and one that refers to
//! another component) is vendored and regenerated in a scratch workspace,
//! and crates using its client are built beside it. One that uses each
//! deprecated item gets one `deprecated` warning per use, with upstream's
//! reason; one that uses only the rest, and the client itself (its mocks
//! and its own conversions included), get none. The same fixture, without
//! its deprecations and then without the deprecated items, shows the API
//! diff and the CHANGELOG telling the lifecycle: deprecated, then removed
//! after deprecation, before its sunset date, or without deprecation.

use std::collections::BTreeSet;
use std::path::PathBuf;

use opencx_tests::downstream::{self, Diagnostic, Downstream};
use opencx_tests::generated_crate::ApiCrate;
use opencx_tests::{workspace_root, xtask};
use xtask::diff::{Explanation, Format, Lifecycle, RustVerdict};
use xtask::workspace::Workspace;

fn fixture() -> String {
    std::fs::read_to_string(workspace_root().join("tests/fixtures/deprecations/api.yaml")).unwrap()
}

/// A scratch workspace with `document` vendored as `specs/api.yaml` and
/// regenerated.
fn regenerated(document: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    opencx_tests::empty_workspace(&root);
    let file = dir.path().join("api.yaml");
    std::fs::write(&file, document).unwrap();
    let (code, out, err) = xtask(
        &root,
        &["vendor", "--name", "api", &file.display().to_string()],
    );
    assert_eq!(code, 0, "{out}{err}");
    let (code, out, err) = xtask(&root, &["regen"]);
    assert_eq!(code, 0, "{out}{err}");
    (dir, root)
}

/// Uses every deprecated item once, each in a function of its own.
const USES_DEPRECATED: &str = r#"
use widgets::{types, Client};

pub fn operation(client: &Client) {
    let _ = client.get_widget().widget_id("w1");
}

pub fn operation_without_reason(client: &Client) {
    let _ = client.delete_widget();
}

pub fn parameter(client: &Client) {
    let _ = client.list_widgets().colour("red");
}

pub fn parameter_without_reason(client: &Client) {
    let _ = client.list_widgets().page(2);
}

pub fn property(widget: &types::Widget) -> Option<&str> {
    widget.name.as_deref()
}

pub fn property_without_reason(widget: &types::Widget) -> Option<i64> {
    widget.size
}

pub fn property_of_a_component_type(widget: &types::Widget) -> bool {
    widget.owner.is_some()
}

pub fn property_of_an_inline_response(page: &types::ListWidgetsResponse) -> Option<i64> {
    page.total
}

pub fn property_of_a_request_body(mut body: types::CreateWidgetBody) -> types::CreateWidgetBody {
    body.label = Some("old".into());
    body
}

pub fn builder_setter() -> types::builder::Widget {
    types::Widget::builder().size(3)
}
"#;

/// Uses the same types and builders, never a deprecated item.
const CLEAN: &str = r#"
#![deny(warnings)]
use widgets::{types, Client};

pub fn list(client: &Client) {
    let _ = client.list_widgets().shade("blue");
}

pub fn create(client: &Client) {
    let body = types::CreateWidgetBody::builder().title("a widget");
    let _ = client.create_widget().body(body);
}

pub fn title(widget: &types::Widget) -> &str {
    &widget.title
}

pub fn builder() -> types::builder::Widget {
    types::Widget::builder().id("w1").title("a widget")
}

pub fn items(page: &types::ListWidgetsResponse) -> usize {
    page.items.len()
}
"#;

#[test]
fn each_deprecated_item_warns_downstream_with_its_reason_and_nothing_else_warns() {
    let (_dir, root) = regenerated(&fixture());
    let client = std::fs::read_to_string(root.join("opencx-api/generated/client.rs")).unwrap();
    assert!(
        !client.contains("opencx-deprecated"),
        "the marker the rewrite reads must not reach the code"
    );
    let build = tempfile::tempdir().unwrap();
    let api = ApiCrate {
        name: "widgets".into(),
        generated: root.join("opencx-api/generated"),
    };
    let crates = [
        Downstream {
            name: "uses_deprecated".into(),
            lib: USES_DEPRECATED.into(),
        },
        Downstream {
            name: "clean".into(),
            lib: CLEAN.into(),
        },
    ];
    let diagnostics = downstream::check(build.path(), &api, &crates)
        .unwrap_or_else(|e| panic!("the crates do not build:\n{e}"));
    let of = |krate: &str| -> Vec<&Diagnostic> {
        diagnostics.iter().filter(|d| d.krate == krate).collect()
    };
    assert!(
        of("widgets").is_empty(),
        "the client itself must build clean: {:#?}",
        of("widgets")
    );
    assert!(of("clean").is_empty(), "{:#?}", of("clean"));
    let warned = of("uses_deprecated");
    assert!(
        warned
            .iter()
            .all(|d| d.level == "warning" && d.code.as_deref() == Some("deprecated")),
        "{warned:#?}"
    );
    let messages: BTreeSet<&str> = warned.iter().map(|d| d.message.as_str()).collect();
    let expected: BTreeSet<&str> = [
        "use of deprecated method `widgets::Client::get_widget`: Use `listWidgets` and pick the widget by its id.",
        "use of deprecated method `widgets::Client::delete_widget`: deprecated upstream",
        "use of deprecated method `widgets::builder::ListWidgets::<'a>::colour`: Filter by colour. Use `shade` instead.",
        "use of deprecated method `widgets::builder::ListWidgets::<'a>::page`: deprecated upstream",
        "use of deprecated field `widgets::types::Widget::name`: The old name of `title`.",
        "use of deprecated field `widgets::types::Widget::size`: deprecated upstream",
        "use of deprecated field `widgets::types::Widget::owner`: Owners move to the sharing API.",
        "use of deprecated field `widgets::types::ListWidgetsResponse::total`: How many widgets there are in all.",
        "use of deprecated field `widgets::types::CreateWidgetBody::label`: Set `title` instead.",
        "use of deprecated method `widgets::types::builder::Widget::size`: deprecated upstream",
    ]
    .into_iter()
    .collect();
    assert_eq!(messages, expected);
    assert_eq!(
        warned.len(),
        expected.len(),
        "one warning per use: {warned:#?}"
    );
}

/// `text` with each of `cuts` taken out; panics on one it does not hold.
fn without(text: &str, cuts: &[&str]) -> String {
    cuts.iter().fold(text.to_string(), |text, cut| {
        assert!(text.contains(cut), "the fixture has no {cut:?}");
        text.replacen(cut, "", 1)
    })
}

/// Writes `document` as the vendored `specs/api.yaml` and regenerates;
/// returns what regen explained.
fn step(root: &std::path::Path, document: &str) -> Explanation {
    std::fs::write(root.join("specs/api.yaml"), document).unwrap();
    xtask::regen::regen_with_warnings(&Workspace::new(root.to_path_buf()).without_compile_check())
        .expect("regen runs")
        .explanation
}

#[test]
fn the_diff_and_the_changelog_tell_deprecations_and_how_things_went() {
    let deprecated = fixture();
    let never_deprecated = deprecated
        .lines()
        .filter(|l| l.trim() != "deprecated: true")
        .map(|l| format!("{l}\n"))
        .collect::<String>();
    let (_dir, root) = regenerated(&never_deprecated);

    // Upstream deprecates: minor, compatible, the Rust items marked.
    let e = step(&root, &deprecated);
    let found: BTreeSet<(String, String, RustVerdict)> = e
        .changes
        .iter()
        .map(|c| (c.rule.clone(), c.detail.clone(), c.rust))
        .collect();
    use RustVerdict::Compatible;
    for (rule, detail) in [
        ("endpoint-deprecated", "operation `getWidget` deprecated"),
        ("endpoint-deprecated", "operation `deleteWidget` deprecated"),
        (
            "request-parameter-deprecated",
            "`query`: query parameter `colour` deprecated",
        ),
        (
            "request-parameter-deprecated",
            "`query`: query parameter `page` deprecated",
        ),
        (
            "request-property-deprecated",
            "`body`: property `label` deprecated",
        ),
        (
            "response-property-deprecated",
            "`200`: property `total` deprecated",
        ),
        ("response-property-deprecated", "property `name` deprecated"),
        (
            "response-property-deprecated",
            "property `owner` deprecated",
        ),
        ("response-property-deprecated", "property `size` deprecated"),
    ] {
        assert!(
            found.contains(&(rule.into(), detail.into(), Compatible)),
            "{rule} {detail}:\n{}",
            e.render(Format::Text)
        );
    }
    assert_eq!(e.changes.len(), 9, "{}", e.render(Format::Text));
    assert!(e
        .changes
        .iter()
        .all(|c| c.lifecycle == Some(Lifecycle::Deprecated)));
    assert_eq!(e.bump(), xtask::diff::Bump::Minor);
    let text = e.render(Format::Text);
    assert!(
        text.contains(
            "endpoint-deprecated operation `getWidget` deprecated  [wire: compatible, Rust API: compatible]"
        ),
        "{text}"
    );
    let changelog = std::fs::read_to_string(root.join("opencx-api/CHANGELOG.md")).unwrap();
    let section = changelog
        .split("### Deprecated\n")
        .nth(1)
        .unwrap_or_else(|| panic!("{changelog}"));
    assert!(
        section.contains("#### `GET /widgets/{widget_id}` (`getWidget`)\n\n- operation `getWidget` deprecated (wire: compatible, Rust API: compatible) `endpoint-deprecated`"),
        "{changelog}"
    );

    // Upstream removes: two operations, two parameters and three properties,
    // some deprecated first, one before the sunset date it announced.
    let removed = without(
        &deprecated,
        &[
            "        - name: colour\n          in: query\n          deprecated: true\n          \
             description: Filter by colour. Use `shade` instead.\n          schema:\n            type: string\n",
            "        - name: shade\n          in: query\n          schema:\n            type: string\n",
            "                label:\n                  type: string\n                  deprecated: true\n                  \
             description: Set `title` instead.\n",
            "        name:\n          type: string\n          deprecated: true\n          description: The old name of `title`.\n",
            "        title:\n          type: string\n",
        ],
    )
    .replacen("      required: [id, title]\n", "      required: [id]\n", 1);
    let path = removed.find("  /widgets/{widget_id}:").unwrap();
    let components = removed.find("components:").unwrap();
    let removed = format!("{}{}", &removed[..path], &removed[components..]);
    let e = step(&root, &removed);
    let found: BTreeSet<(String, String, Option<Lifecycle>)> = e
        .changes
        .iter()
        .map(|c| (c.rule.clone(), c.detail.clone(), c.lifecycle))
        .collect();
    use Lifecycle::*;
    for (rule, detail, lifecycle) in [
        (
            "api-removed-with-deprecation",
            "operation `getWidget` removed after deprecation",
            RemovedAfterDeprecation,
        ),
        (
            "api-removed-before-sunset",
            "operation `deleteWidget` removed before its sunset date 2999-12-31",
            RemovedBeforeSunset,
        ),
        (
            "request-parameter-removed-with-deprecation",
            "`query`: query parameter `colour` removed after deprecation",
            RemovedAfterDeprecation,
        ),
        (
            "request-parameter-removed",
            "`query`: query parameter `shade` removed without deprecation",
            RemovedWithoutDeprecation,
        ),
        (
            "request-property-removed-with-deprecation",
            "`body`: property `label` removed after deprecation",
            RemovedAfterDeprecation,
        ),
        (
            "response-optional-property-removed-with-deprecation",
            "property `name` removed after deprecation",
            RemovedAfterDeprecation,
        ),
        (
            "response-required-property-removed",
            "property `title` removed without deprecation",
            RemovedWithoutDeprecation,
        ),
    ] {
        assert!(
            found.contains(&(rule.into(), detail.into(), Some(lifecycle))),
            "{rule} {detail}:\n{}",
            e.render(Format::Text)
        );
    }
    let markdown = e.render(Format::Markdown);
    for line in [
        "- `GET /widgets/{widget_id}` (`getWidget`): removed after deprecation\n",
        "- `DELETE /widgets/{widget_id}` (`deleteWidget`): removed before its sunset date 2999-12-31\n",
        "- `query`: query parameter `shade` removed without deprecation: ",
    ] {
        assert!(markdown.contains(line), "{line}\n{markdown}");
    }
    let json: serde_json::Value = serde_json::from_str(&e.render(Format::Json)).unwrap();
    let lifecycles: BTreeSet<&str> = json["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["lifecycle"].as_str())
        .collect();
    assert!(
        [
            "removed_after_deprecation",
            "removed_before_sunset",
            "removed_without_deprecation"
        ]
        .iter()
        .all(|l| lifecycles.contains(l)),
        "{lifecycles:?}"
    );
    let changelog = std::fs::read_to_string(root.join("opencx-api/CHANGELOG.md")).unwrap();
    let breaking = changelog
        .split("### Breaking\n")
        .nth(1)
        .unwrap_or_else(|| panic!("{changelog}"));
    for line in [
        "- operation `getWidget` removed after deprecation (wire: breaking, Rust API: breaking) `api-removed-with-deprecation`",
        "- operation `deleteWidget` removed before its sunset date 2999-12-31 (wire: breaking, Rust API: breaking) `api-removed-before-sunset`",
        "- `query`: query parameter `shade` removed without deprecation (wire: compatible, Rust API: breaking) `request-parameter-removed`",
    ] {
        assert!(breaking.contains(line), "{line}\n{changelog}");
    }
}

#[test]
fn the_contract_tests_call_deprecated_items_without_a_warning() {
    let Some(prism) = opencx_tests::contract::prism_or_skip("the deprecations fixture") else {
        return;
    };
    let (_dir, root) = regenerated(&fixture());
    let tests = std::fs::read_to_string(root.join("tests/tests/contract.rs")).unwrap();
    // Only the requests of operations upstream deprecated, or with a
    // deprecated parameter, allow it.
    assert_eq!(tests.matches("#[allow(deprecated)]").count(), 3, "{tests}");
    match opencx_tests::generated_crate::run_contract_tests(&root, &prism) {
        Ok(output) => {
            assert!(output.contains("test result: ok. 4 passed"), "{output}");
            assert!(!output.contains("use of deprecated"), "{output}");
        }
        Err(output) => panic!("the fixture's contract tests failed:\n{output}"),
    }
}
