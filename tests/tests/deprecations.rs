//! `deprecated: true` upstream reaches the Rust a downstream crate compiles:
//! `tests/fixtures/deprecations/api.yaml` (a deprecated operation with and
//! without a description, parameters, and properties of a component, of an
//! inline request body, of an inline response and one that refers to
//! another component) is vendored and regenerated in a scratch workspace,
//! and crates using its client are built beside it. One that uses each
//! deprecated item gets one `deprecated` warning per use, with upstream's
//! reason; one that uses only the rest, and the client itself (its mocks
//! and its own conversions included), get none.

use std::collections::BTreeSet;
use std::path::PathBuf;

use opencx_tests::downstream::{self, Diagnostic, Downstream};
use opencx_tests::generated_crate::ApiCrate;
use opencx_tests::{workspace_root, xtask};

/// A scratch workspace with the fixture vendored and regenerated.
fn regenerated() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("ws");
    for sub in ["specs", "opencx-api/generated", "opencx-api/src"] {
        std::fs::create_dir_all(root.join(sub)).unwrap();
    }
    let fixture = workspace_root().join("tests/fixtures/deprecations/api.yaml");
    let (code, out, err) = xtask(
        &root,
        &["vendor", "--name", "api", &fixture.display().to_string()],
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
    let (_dir, root) = regenerated();
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
