//! A bad network, one fault at a time: a body cut short is retried like any
//! connection error, and each kind of failure reads as what it is, with the
//! operation and the number of tries, and never the token.

use std::sync::Arc;
use std::time::Duration;

use futures::TryStreamExt;
use opencx_api::config::RetryPolicy;
use opencx_api::prelude::*;
use opencx_tests::fault_server::{always, Content, Fault, FaultServer};
use opencx_tests::{client_with_retries as client, fixtures, quick_retries as quick, run, TOKEN};
use serde_json::json;

fn one_session() -> Content {
    always(200, fixtures::session_json(1).to_string())
}

/// The error of fetching session `s1` with `client`.
fn failure(client: &Client) -> Error {
    run(client.get_chat_session().session_id("s1").send()).unwrap_err()
}

#[test]
fn a_body_cut_short_is_retried_and_the_call_succeeds() {
    let server = FaultServer::scripted(vec![Fault::CutBody, Fault::CutBody], one_session());
    let session = run(client(&server.url(), quick())
        .get_chat_session()
        .session_id("s1")
        .send())
    .unwrap();
    assert_eq!(session.ticket_number, 1);
    assert_eq!(server.stats().requests.len(), 3);
}

#[test]
fn a_history_stream_survives_a_page_cut_short() {
    let content: Content = Arc::new(|target| {
        let page = if target.contains("cursor=h2") {
            json!({"items": [fixtures::message_json(3, "three")], "next": null})
        } else {
            json!({
                "items": [fixtures::message_json(1, "one"), fixtures::message_json(2, "two")],
                "next": "h2"
            })
        };
        (200, page.to_string())
    });
    let plan = Arc::new(|target: &str, attempt| {
        if target.contains("cursor=h2") && attempt < 2 {
            Fault::CutBody
        } else {
            Fault::None
        }
    });
    let server = FaultServer::start(plan, content);
    let client = client(&server.url(), quick());
    let entries: Vec<ChatHistoryEntry> = run(client
        .list_chat_history()
        .session_id("s1")
        .stream()
        .try_collect())
    .unwrap();
    let ids: Vec<String> = entries.iter().map(|e| e.id.to_string()).collect();
    assert_eq!(
        ids,
        [1, 2, 3].map(fixtures::uuid),
        "every entry once, in order"
    );
    assert_eq!(server.stats().requests.len(), 4);
}

#[test]
fn every_transient_fault_is_retried() {
    for fault in [
        Fault::Unavailable,
        Fault::TooManyRequests { retry_after_ms: 1 },
        Fault::CloseBeforeAnswer,
        Fault::Reset,
    ] {
        let server = FaultServer::scripted(vec![fault, fault], one_session());
        let result = run(client(&server.url(), quick())
            .get_chat_session()
            .session_id("s1")
            .send());
        assert!(result.is_ok(), "{fault:?}: {result:?}");
        assert_eq!(server.stats().requests.len(), 3, "{fault:?}");
    }
}

#[test]
fn a_body_cut_short_beyond_the_budget_says_how_many_bytes_came() {
    let body = fixtures::session_json(1).to_string();
    let server = FaultServer::scripted(vec![Fault::CutBody; 3], one_session());
    let error = failure(&client(&server.url(), quick()));
    assert_eq!(
        error.to_string(),
        format!(
            "OpenCX get_chat_session failed after 3 tries: body cut short after {} of {} bytes",
            body.len() / 2,
            body.len()
        )
    );
}

#[test]
fn a_timeout_says_it_timed_out_and_after_how_long() {
    let server =
        FaultServer::scripted(vec![Fault::Delay(Duration::from_secs(5)); 3], one_session());
    let client = Client::builder()
        .base_url(server.url())
        .bearer_token(TOKEN)
        .timeout(Duration::from_millis(100))
        .retry(quick())
        .no_rate_limit()
        .build()
        .unwrap();
    let error = failure(&client);
    assert_eq!(
        error.to_string(),
        "OpenCX get_chat_session failed after 3 tries: timed out after 100 ms"
    );
    // The cause chain is kept for programs that look.
    let cause = std::error::Error::source(&error).expect("a cause");
    let cause = cause
        .downcast_ref::<reqwest::Error>()
        .expect("reqwest's error");
    assert!(cause.is_timeout(), "{cause:?}");
}

#[test]
fn a_refused_connection_says_so() {
    // A port that was free a moment ago: nothing listens there now.
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let error = failure(&client(&format!("http://{addr}"), quick().max_retries(1)));
    assert_eq!(
        error.to_string(),
        "OpenCX get_chat_session failed after 2 tries: connection refused"
    );
}

#[test]
fn a_reset_and_a_close_before_the_answer_say_so() {
    for (fault, what) in [
        (Fault::Reset, "connection reset"),
        (
            Fault::CloseBeforeAnswer,
            "connection closed before the answer",
        ),
    ] {
        let server = FaultServer::scripted(vec![fault; 3], one_session());
        let error = failure(&client(&server.url(), quick()));
        assert_eq!(
            error.to_string(),
            format!("OpenCX get_chat_session failed after 3 tries: {what}")
        );
    }
}

#[test]
fn a_tls_failure_says_tls() {
    // A plain HTTP server where the client expects TLS: the handshake fails.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            use std::io::Write;
            let _ = stream
                .unwrap()
                .write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n");
        }
    });
    let error = failure(&client(&format!("https://{addr}"), RetryPolicy::disabled()));
    let text = error.to_string();
    assert!(
        text.starts_with("OpenCX get_chat_session failed: TLS error: "),
        "{text}"
    );
}

/// A resolver that knows no names, so no lookup leaves the machine.
struct NoNames;

impl reqwest::dns::Resolve for NoNames {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let name = name.as_str().to_string();
        Box::pin(async move { Err(format!("no such host: {name}").into()) })
    }
}

#[test]
fn a_dns_failure_says_dns() {
    let http = reqwest::Client::builder()
        .dns_resolver(Arc::new(NoNames))
        .build()
        .unwrap();
    let client = Client::builder()
        .base_url("http://opencx.test")
        .bearer_token(TOKEN)
        .http_client(http)
        .retry(RetryPolicy::disabled())
        .build()
        .unwrap();
    let text = failure(&client).to_string();
    assert_eq!(
        text,
        "OpenCX get_chat_session failed: DNS lookup failed: no such host: opencx.test"
    );
}

#[test]
fn an_error_answer_names_the_status_the_message_the_operation_and_the_tries() {
    let gone = FaultServer::scripted(
        vec![],
        always(404, json!({"message": "no such session"}).to_string()),
    );
    assert_eq!(
        failure(&client(&gone.url(), quick())).to_string(),
        "OpenCX get_chat_session failed: 404 Not Found: no such session"
    );
    let busy = FaultServer::scripted(vec![Fault::Unavailable; 3], one_session());
    assert_eq!(
        failure(&client(&busy.url(), quick())).to_string(),
        "OpenCX get_chat_session failed after 3 tries: 503 Service Unavailable: busy"
    );
}

#[test]
fn no_error_holds_the_token() {
    let mut errors = Vec::new();
    for script in [
        vec![Fault::CutBody; 3],
        vec![Fault::Reset; 3],
        vec![Fault::Unavailable; 3],
    ] {
        let server = FaultServer::scripted(script, one_session());
        errors.push(failure(&client(&server.url(), quick())));
    }
    for error in errors {
        let shown = format!("{error} {error:?} {error:#?}");
        assert!(!shown.contains(TOKEN), "{shown}");
        assert!(!shown.contains("Bearer"), "{shown}");
    }
}
