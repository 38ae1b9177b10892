//! What every kind of failure prints, the way most programs print it: `?`
//! inside a function returning `Box<dyn Error>`, `anyhow::Result` or the
//! crate's own `Result`, then `{}` (and anyhow's `{:#}`, which adds the
//! causes without repeating the message). Each from a real local server that
//! misbehaves that way; no message holds the token.

use std::net::TcpListener;
use std::time::Duration;

use httpmock::MockServer;
use opencx_api::config::RetryPolicy;
use opencx_api::Client;
use opencx_tests::fault_server::{always, Fault, FaultServer};
use opencx_tests::{fixtures, TOKEN};
use serde_json::json;

/// `send().await?` in a function returning `Box<dyn Error>`.
async fn boxed(client: &Client, id: &str) -> Result<(), Box<dyn std::error::Error>> {
    client.get_chat_session().session_id(id).send().await?;
    Ok(())
}

/// `send().await?` in a function returning `anyhow::Result`.
async fn with_anyhow(client: &Client, id: &str) -> anyhow::Result<()> {
    client.get_chat_session().session_id(id).send().await?;
    Ok(())
}

/// `send().await?` in a function returning the crate's `Result`.
async fn with_crate(client: &Client, id: &str) -> opencx_api::Result<()> {
    client.get_chat_session().session_id(id).send().await?;
    Ok(())
}

/// What a program sees: (`{}` through `Box<dyn Error>`, anyhow's `{}`,
/// anyhow's `{:#}`), checked to agree with the crate's own error and to hold
/// no token.
async fn printed(client: &Client, id: &str) -> (String, String, String) {
    let boxed = boxed(client, id).await.unwrap_err().to_string();
    let anyhow = with_anyhow(client, id).await.unwrap_err();
    let own = with_crate(client, id).await.unwrap_err();
    let texts = (boxed, anyhow.to_string(), format!("{anyhow:#}"));
    assert_eq!(texts.0, own.to_string());
    assert_eq!(texts.1, own.to_string());
    for text in [&texts.0, &texts.2, &format!("{own:?}")] {
        assert!(!text.contains(TOKEN), "{text}");
    }
    texts
}

fn client(base_url: &str, policy: RetryPolicy, timeout: Duration) -> Client {
    Client::builder()
        .base_url(base_url)
        .bearer_token(TOKEN)
        .timeout(timeout)
        .retry(policy)
        .no_rate_limit()
        .build()
        .unwrap()
}

fn one_retry() -> RetryPolicy {
    RetryPolicy::default()
        .max_retries(1)
        .jitter(false)
        .initial_backoff(Duration::from_millis(10))
}

#[tokio::test]
async fn a_server_that_never_answers_says_it_timed_out_twice() {
    // Accepts the connection and never answers.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let _held = std::thread::spawn(move || {
        let connections: Vec<_> = listener.incoming().take(2).collect();
        std::thread::sleep(Duration::from_secs(5));
        drop(connections);
    });
    let client = client(&url, one_retry(), Duration::from_millis(300));
    let (boxed, anyhow, chain) = printed(&client, "s1").await;
    assert_eq!(
        boxed,
        "OpenCX get_chat_session failed after 2 tries: timed out after 300 ms"
    );
    assert_eq!(anyhow, boxed);
    // The causes add the URL and what the socket said, each once.
    assert_eq!(
        chain,
        format!(
            "{boxed}: error sending request for url ({url}/chat/sessions/s1): operation timed out"
        )
    );
}

#[tokio::test]
async fn an_http_error_says_the_status_and_the_servers_message() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.path("/chat/sessions/missing");
            then.status(404).header("x-request-id", "req-7").json_body(
                json!({"statusCode": 404, "error": "Not Found", "message": "Session not found"}),
            );
        })
        .await;
    let client = client(&server.base_url(), one_retry(), Duration::from_secs(5));
    let (boxed, _, chain) = printed(&client, "missing").await;
    assert_eq!(
        boxed,
        "OpenCX get_chat_session failed: 404 Not Found: Session not found"
    );
    assert_eq!(chain, boxed, "no header dump, no cause beneath");
    let error = with_crate(&client, "missing").await.unwrap_err();
    assert_eq!(error.request_id(), Some("req-7"));
    assert_eq!(
        error.api_error().unwrap().message.as_deref(),
        Some("Session not found")
    );
}

#[tokio::test]
async fn a_retried_5xx_says_how_many_tries() {
    let server = FaultServer::start(
        std::sync::Arc::new(|_: &str, _| Fault::Unavailable),
        always(200, "{}".into()),
    );
    let client = client(&server.url(), one_retry(), Duration::from_secs(5));
    let (boxed, _, _) = printed(&client, "s1").await;
    assert_eq!(
        boxed,
        "OpenCX get_chat_session failed after 2 tries: 503 Service Unavailable: busy"
    );
}

#[tokio::test]
async fn a_body_that_does_not_decode_names_the_field_and_shows_the_body() {
    let server = MockServer::start_async().await;
    let mut session = fixtures::session_json(1);
    session["ticket_number"] = json!("seven");
    server
        .mock_async(|when, then| {
            when.path("/chat/sessions/s1");
            then.status(200).json_body(session.clone());
        })
        .await;
    let client = client(&server.base_url(), one_retry(), Duration::from_secs(5));
    let (boxed, _, chain) = printed(&client, "s1").await;
    let expected_start = "OpenCX get_chat_session: the 200 OK answer does not decode at \
                          `ticket_number`: invalid type: string \"seven\", expected i64";
    assert!(boxed.starts_with(expected_start), "{boxed}");
    assert!(
        boxed.contains("(body: {\""),
        "a snippet of the body: {boxed}"
    );
    assert_eq!(chain, boxed);
}

#[tokio::test]
async fn a_request_the_builder_cannot_build_names_the_parameter() {
    let client = client("http://127.0.0.1:9", one_retry(), Duration::from_secs(5));
    let error = client.get_chat_session().send().await.unwrap_err();
    assert_eq!(
        error.to_string(),
        "OpenCX get_chat_session: invalid request: the required parameter `session_id` was not set"
    );
    assert_eq!(error.tries(), Some(0));
    // The session id's own type refuses `..` (its pattern, from the overlay).
    let (boxed, _, _) = printed(&client, "..").await;
    assert_eq!(
        boxed,
        "OpenCX get_chat_session: invalid request: `session_id` is not a valid `SessionId`: \
         doesn't match pattern \"^(?!\\.\\.?$)\""
    );
}

#[tokio::test]
async fn transport_failures_say_what_happened() {
    // Refused: nothing listens.
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let refused = client(&url, RetryPolicy::disabled(), Duration::from_secs(5));
    let (boxed, _, chain) = printed(&refused, "s1").await;
    assert_eq!(boxed, "OpenCX get_chat_session failed: connection refused");
    assert!(
        chain.starts_with(&format!(
            "{boxed}: error sending request for url ({url}/chat/sessions/s1): client error (Connect)"
        )),
        "{chain}"
    );

    for (fault, expected) in [
        (
            Fault::Reset,
            "OpenCX get_chat_session failed: connection reset",
        ),
        (
            Fault::CloseBeforeAnswer,
            "OpenCX get_chat_session failed: connection closed before the answer",
        ),
    ] {
        let server = FaultServer::start(
            std::sync::Arc::new(move |_: &str, _| fault),
            always(200, "{}".into()),
        );
        let faulty = client(
            &server.url(),
            RetryPolicy::disabled(),
            Duration::from_secs(5),
        );
        let (boxed, _, chain) = printed(&faulty, "s1").await;
        assert_eq!(boxed, expected);
        assert!(chain.starts_with(&format!("{boxed}: ")), "{chain}");
    }
    let server = FaultServer::start(
        std::sync::Arc::new(|_: &str, _| Fault::CutBody),
        always(200, fixtures::session_json(1).to_string()),
    );
    let cut = client(
        &server.url(),
        RetryPolicy::disabled(),
        Duration::from_secs(5),
    );
    let (boxed, _, _) = printed(&cut, "s1").await;
    assert!(
        boxed.starts_with("OpenCX get_chat_session failed: body cut short after "),
        "{boxed}"
    );
}
