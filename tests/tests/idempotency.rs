//! Only requests that can be sent twice without effect are retried when the
//! first may have reached the server. Every operation today is a read (the
//! filter is a POST that only reads); one that is not, added by an upstream
//! update, is not retried by default. It is driven here through the client's
//! `exec` hook, as its generated builder would.

use httpmock::MockServer;
use opencx_api::progenitor_client::{ClientHooks, OperationInfo};
use opencx_api::types::SessionFilterRequest;
use opencx_api::{Client, RetryPolicy};
use opencx_tests::{quick_retries as quick, run};

fn client(server: &MockServer, policy: RetryPolicy) -> Client {
    opencx_tests::client_with_retries(&server.base_url(), policy)
}

/// Sends `POST /chat/sessions` as a hypothetical `create_chat_session`.
fn create_session(client: &Client) -> reqwest::Result<reqwest::Response> {
    let request = reqwest::Client::new()
        .post(format!("{}/chat/sessions", client.baseurl()))
        .json(&serde_json::json!({"channel": "web"}))
        .build()
        .unwrap();
    let info = OperationInfo {
        operation_id: "create_chat_session",
    };
    run(async { client.exec(request, &info).await })
}

fn answering(server: &MockServer, method: httpmock::Method, status: u16) -> httpmock::Mock<'_> {
    server.mock(|when, then| {
        when.method(method).path("/chat/sessions");
        then.status(status)
            .header("retry-after-ms", "1")
            .json_body(serde_json::json!({"message": "busy"}));
    })
}

#[test]
fn a_post_that_may_have_changed_something_is_not_retried_by_default() {
    let server = MockServer::start();
    let mock = answering(&server, httpmock::Method::POST, 503);
    let response = create_session(&client(&server, quick())).unwrap();
    assert_eq!(response.status().as_u16(), 503);
    mock.assert_calls(1);
}

#[test]
fn a_post_refused_with_429_was_not_acted_on_and_is_retried() {
    let server = MockServer::start();
    let mock = answering(&server, httpmock::Method::POST, 429);
    create_session(&client(&server, quick())).unwrap();
    mock.assert_calls(3);
}

#[test]
fn retrying_non_idempotent_requests_can_be_allowed() {
    let server = MockServer::start();
    let mock = answering(&server, httpmock::Method::POST, 503);
    create_session(&client(&server, quick().retry_non_idempotent(true))).unwrap();
    mock.assert_calls(3);
}

#[test]
fn the_filter_is_a_post_that_only_reads_and_is_retried() {
    assert!(RetryPolicy::is_idempotent(
        &reqwest::Method::POST,
        "filter_chat_sessions"
    ));
    assert!(!RetryPolicy::is_idempotent(
        &reqwest::Method::POST,
        "create_chat_session"
    ));
    assert!(RetryPolicy::is_idempotent(
        &reqwest::Method::GET,
        "anything"
    ));
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.method(httpmock::Method::POST)
            .path("/chat/sessions/filter");
        then.status(503)
            .json_body(serde_json::json!({"message": "busy"}));
    });
    run(client(&server, quick())
        .filter_chat_sessions()
        .body(SessionFilterRequest::default())
        .send())
    .unwrap_err();
    mock.assert_calls(3);
}

#[test]
fn every_operation_in_the_api_is_a_read() {
    let spec = opencx_tests::openapi_json();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            const METHODS: [&str; 8] = [
                "get", "put", "post", "delete", "options", "head", "patch", "trace",
            ];
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            let method: reqwest::Method = method.to_uppercase().parse().unwrap();
            let id = snake_case(operation["operationId"].as_str().unwrap());
            let id = id.as_str();
            // A new write is not retried by default; this names it for review.
            assert!(
                RetryPolicy::is_idempotent(&method, id),
                "{method} {path} ({id}) is not known to be safe to repeat"
            );
        }
    }
}

/// `filterChatSessions` as progenitor names it: `filter_chat_sessions`.
fn snake_case(camel: &str) -> String {
    let mut snake = String::new();
    for c in camel.chars() {
        if c.is_ascii_uppercase() {
            snake.push('_');
        }
        snake.push(c.to_ascii_lowercase());
    }
    snake
}
