//! Retries are tracing events, and no log line, at any level and from any
//! crate (reqwest and hyper included), holds the bearer token.
//!
//! One test in its own binary with a global subscriber: scoped subscribers in
//! parallel tests can miss events through tracing's shared callsite cache.

use std::sync::{Arc, Mutex};

use httpmock::MockServer;
use opencx_api::{Client, Error};
use tracing_subscriber::filter::filter_fn;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::Layer;

const TOKEN: &str = "sk-secret-777";

#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Buffer {
    fn take(&self) -> String {
        String::from_utf8(std::mem::take(&mut *self.0.lock().unwrap())).unwrap()
    }
}

#[test]
fn retries_are_logged_and_the_token_never_is() {
    let buffer = Buffer::default();
    let writer = buffer.clone();
    // Everything but the mock server's own account of what it received, which
    // is the server's side of the wire, not the client's logs.
    let layer = tracing_subscriber::fmt::layer()
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .with_filter(filter_fn(|meta| !meta.target().starts_with("httpmock")));
    tracing_subscriber::registry().with(layer).init();
    let quick = opencx_tests::quick_retries();

    // A status worth retrying: two events, with the operation, attempt and status.
    let server = MockServer::start();
    server.mock(|when, then| {
        when.path("/chat/sessions/s1");
        then.status(503)
            .json_body(serde_json::json!({"message": "busy"}));
    });
    let client = Client::builder()
        .base_url(server.base_url())
        .bearer_token(TOKEN)
        .retry(quick.clone())
        .build()
        .unwrap();
    opencx_tests::run(client.get_chat_session().session_id("s1").send()).unwrap_err();
    let logs = buffer.take();
    let retries: Vec<&str> = logs
        .lines()
        .filter(|l| l.contains("transient error; retrying"))
        .collect();
    assert_eq!(retries.len(), 2, "{logs}");
    assert!(
        retries[0].contains("WARN") && retries[0].contains("get_chat_session"),
        "{}",
        retries[0]
    );
    assert!(
        retries[0].contains("status=503") && retries[0].contains("retry=1"),
        "{}",
        retries[0]
    );
    assert!(retries[1].contains("retry=2"), "{}", retries[1]);
    assert!(
        logs.contains("127.0.0.1"),
        "reqwest/hyper TRACE output was not captured:\n{logs}"
    );
    let leaks: Vec<&str> = logs.lines().filter(|l| l.contains(TOKEN)).collect();
    assert!(
        leaks.is_empty(),
        "the token leaked into the logs: {leaks:#?}"
    );

    // No answer at all (nothing listens on port 1): also retried and logged.
    let unreachable = Client::builder()
        .base_url("http://127.0.0.1:1")
        .bearer_token(TOKEN)
        .retry(quick)
        .build()
        .unwrap();
    let error =
        opencx_tests::run(unreachable.get_chat_session().session_id("s1").send()).unwrap_err();
    assert!(matches!(error, Error::Transport { .. }));
    let logs = buffer.take();
    assert_eq!(
        logs.matches("OpenCX request failed; retrying").count(),
        2,
        "{logs}"
    );
    let leaks: Vec<&str> = logs.lines().filter(|l| l.contains(TOKEN)).collect();
    assert!(
        leaks.is_empty(),
        "the token leaked into the logs: {leaks:#?}"
    );
}
