//! Retries, Retry-After, rate limiting and timeouts, against httpmock with
//! short configured delays.

use std::time::{Duration, Instant};

use httpmock::MockServer;
use opencx_api::config::{RateLimit, RetryPolicy};
use opencx_api::{Client, Error};
use opencx_tests::{fixtures, quick_retries as quick, run};

const TOKEN: &str = "sk-secret-777";

fn client(server: &MockServer, policy: RetryPolicy) -> Client {
    Client::builder()
        .base_url(server.base_url())
        .bearer_token(TOKEN)
        .retry(policy)
        .build()
        .unwrap()
}

/// A session `s1` that is always there.
fn healthy(server: &MockServer) -> httpmock::Mock<'_> {
    server.mock(|when, then| {
        when.path("/chat/sessions/s1");
        then.status(200).json_body(fixtures::session_json(1));
    })
}

/// A session `s1` that always answers `status`.
fn always(server: &MockServer, status: u16) -> httpmock::Mock<'_> {
    server.mock(|when, then| {
        when.path("/chat/sessions/s1");
        then.status(status)
            .json_body(serde_json::json!({"statusCode": status, "message": "nope"}));
    })
}

#[test]
fn transient_statuses_are_retried_twice_by_default() {
    for status in [408, 409, 429, 500, 502, 503, 504] {
        let server = MockServer::start();
        let mock = always(&server, status);
        let error = run(client(&server, quick())
            .get_chat_session()
            .session_id("s1")
            .send())
        .unwrap_err();
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        mock.assert_calls(3);
    }
}

#[test]
fn other_client_errors_are_never_retried() {
    for status in [400, 401, 403, 404, 422] {
        let server = MockServer::start();
        let mock = always(&server, status);
        run(client(&server, quick())
            .get_chat_session()
            .session_id("s1")
            .send())
        .unwrap_err();
        mock.assert_calls(1);
    }
}

#[test]
fn the_retry_count_is_configurable_and_can_be_turned_off() {
    let server = MockServer::start();
    let mock = always(&server, 503);
    run(client(&server, quick().max_retries(4))
        .get_chat_session()
        .session_id("s1")
        .send())
    .unwrap_err();
    mock.assert_calls(5);

    let server = MockServer::start();
    let mock = always(&server, 503);
    run(client(&server, RetryPolicy::disabled())
        .get_chat_session()
        .session_id("s1")
        .send())
    .unwrap_err();
    mock.assert_calls(1);
}

#[test]
fn a_retry_that_succeeds_returns_the_success() {
    let server = MockServer::start();
    let failing = server.mock(|when, then| {
        when.path("/chat/sessions/s1");
        // Long enough for the test to swap in the healthy answer.
        then.status(503)
            .header("retry-after-ms", "300")
            .json_body(serde_json::json!({"message": "busy"}));
    });
    let client = client(&server, quick());
    let session = run(async {
        let request = tokio::spawn({
            let client = client.clone();
            async move { client.get_chat_session().session_id("s1").send().await }
        });
        while failing.calls_async().await == 0 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        failing.delete_async().await;
        server
            .mock_async(|when, then| {
                when.path("/chat/sessions/s1");
                then.status(200).json_body(fixtures::session_json(7));
            })
            .await;
        request.await.unwrap()
    })
    .unwrap();
    assert_eq!(session.ticket_number, 7);
}

#[test]
fn retry_after_is_honoured() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.path("/chat/sessions/s1");
        then.status(429)
            .header("retry-after-ms", "150")
            .json_body(serde_json::json!({"message": "slow down"}));
    });
    let start = Instant::now();
    run(client(&server, quick())
        .get_chat_session()
        .session_id("s1")
        .send())
    .unwrap_err();
    // Two retries, each after the 150 ms the server asked for (not the 1 ms backoff).
    assert!(
        start.elapsed() >= Duration::from_millis(300),
        "{:?}",
        start.elapsed()
    );
    mock.assert_calls(3);
}

#[test]
fn retry_after_is_capped() {
    let server = MockServer::start();
    let mock = server.mock(|when, then| {
        when.path("/chat/sessions/s1");
        then.status(503)
            .header("retry-after", "120")
            .json_body(serde_json::json!({"message": "later"}));
    });
    let start = Instant::now();
    let policy = quick().max_retry_after(Duration::from_millis(20));
    run(client(&server, policy)
        .get_chat_session()
        .session_id("s1")
        .send())
    .unwrap_err();
    assert!(
        start.elapsed() < Duration::from_secs(30),
        "waited for the full Retry-After"
    );
    mock.assert_calls(3);
}

#[test]
fn timeouts_and_connection_errors_are_retried() {
    let server = MockServer::start();
    let slow = server.mock(|when, then| {
        when.path("/chat/sessions/s1");
        then.status(200)
            .json_body(fixtures::session_json(1))
            .delay(Duration::from_millis(500));
    });
    let client = Client::builder()
        .base_url(server.base_url())
        .bearer_token(TOKEN)
        .timeout(Duration::from_millis(50))
        .retry(quick())
        .build()
        .unwrap();
    let error = run(client.get_chat_session().session_id("s1").send()).unwrap_err();
    assert!(
        matches!(
            &error,
            Error::Transport {
                kind: opencx_api::error::TransportKind::Timeout { .. },
                ..
            }
        ),
        "{error:?}"
    );
    slow.assert_calls(3);
}

#[test]
fn the_rate_limit_is_shared_by_clones() {
    let server = MockServer::start();
    let mock = healthy(&server);
    let client = Client::builder()
        .base_url(server.base_url())
        .bearer_token(TOKEN)
        .rate_limit(RateLimit::new(2, Duration::from_secs(3600)))
        .build()
        .unwrap();
    let clone = client.clone();
    let third_waited = run(async {
        client
            .get_chat_session()
            .session_id("s1")
            .send()
            .await
            .unwrap();
        clone
            .get_chat_session()
            .session_id("s1")
            .send()
            .await
            .unwrap();
        // The bucket is empty for the next half hour: the third request waits.
        tokio::time::timeout(
            Duration::from_millis(300),
            client.get_chat_session().session_id("s1").send(),
        )
        .await
        .is_err()
    });
    assert!(third_waited, "the third request was not held back");
    mock.assert_calls(2);
}

#[test]
fn the_rate_limit_can_be_turned_off() {
    let server = MockServer::start();
    let mock = healthy(&server);
    let client = Client::builder()
        .base_url(server.base_url())
        .bearer_token(TOKEN)
        .no_rate_limit()
        .build()
        .unwrap();
    let limited = Client::builder()
        .base_url(server.base_url())
        .bearer_token(TOKEN)
        .rate_limit(RateLimit::new(1, Duration::from_secs(3600)))
        .build()
        .unwrap();
    run(async {
        for _ in 0..5 {
            tokio::time::timeout(
                Duration::from_secs(5),
                client.get_chat_session().session_id("s1").send(),
            )
            .await
            .expect("an unlimited client is not held back")
            .unwrap();
        }
        limited
            .get_chat_session()
            .session_id("s1")
            .send()
            .await
            .unwrap();
        let held = tokio::time::timeout(
            Duration::from_millis(200),
            limited.get_chat_session().session_id("s1").send(),
        )
        .await;
        assert!(held.is_err());
    });
    mock.assert_calls(6);
}
