//! Every call is one `tracing` span (operation, method, path template,
//! attempts, final status, duration, the server's request id) with a debug
//! event per attempt (status or transport failure, the wait before the next
//! try), and neither holds the token or a body.
//!
//! One test in its own binary with a global subscriber: scoped subscribers in
//! parallel tests can miss events through tracing's shared callsite cache.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use opencx_api::config::RetryPolicy;
use opencx_api::Client;
use opencx_tests::fault_server::{always, Fault, FaultServer};
use opencx_tests::{fixtures, TOKEN};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::Layer;

/// A span or event as captured: its name (or message) and its fields.
#[derive(Clone, Debug, Default)]
struct Captured {
    name: String,
    fields: BTreeMap<String, String>,
    /// For an event: the name of the span it happened in.
    parent: Option<String>,
}

#[derive(Clone, Default)]
struct Capture {
    spans: Arc<Mutex<BTreeMap<u64, Captured>>>,
    closed: Arc<Mutex<Vec<Captured>>>,
    events: Arc<Mutex<Vec<Captured>>>,
}

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0
            .insert(field.name().to_string(), format!("{value:?}"));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_string(), value.to_string());
    }
}

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for Capture {
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, _: Context<'_, S>) {
        let mut captured = Captured {
            name: attrs.metadata().name().to_string(),
            ..Captured::default()
        };
        attrs.record(&mut Fields(&mut captured.fields));
        self.spans.lock().unwrap().insert(id.into_u64(), captured);
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, _: Context<'_, S>) {
        if let Some(span) = self.spans.lock().unwrap().get_mut(&id.into_u64()) {
            values.record(&mut Fields(&mut span.fields));
        }
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        if !event.metadata().target().starts_with("opencx_api") {
            return;
        }
        let mut captured = Captured::default();
        event.record(&mut Fields(&mut captured.fields));
        captured.name = captured.fields.remove("message").unwrap_or_default();
        captured.parent = ctx.event_span(event).map(|s| s.name().to_string());
        self.events.lock().unwrap().push(captured);
    }

    fn on_close(&self, id: Id, _: Context<'_, S>) {
        if let Some(span) = self.spans.lock().unwrap().remove(&id.into_u64()) {
            self.closed.lock().unwrap().push(span);
        }
    }
}

#[test]
fn a_retried_call_is_one_span_with_an_event_per_attempt_and_no_token() {
    let capture = Capture::default();
    tracing_subscriber::registry()
        .with(
            capture
                .clone()
                .with_filter(tracing_subscriber::filter::LevelFilter::DEBUG),
        )
        .init();
    let server = FaultServer::scripted(
        vec![Fault::Unavailable],
        always(200, fixtures::session_json(1).to_string()),
    );
    let client = Client::builder()
        .base_url(server.url())
        .bearer_token(TOKEN)
        .retry(
            RetryPolicy::default()
                .jitter(false)
                .initial_backoff(Duration::from_millis(20)),
        )
        .no_rate_limit()
        .build()
        .unwrap();
    let session = opencx_tests::run(client.get_chat_session().session_id("s1").send()).unwrap();
    assert_eq!(session.ticket_number, 1);

    let closed = capture.closed.lock().unwrap().clone();
    let calls: Vec<&Captured> = closed
        .iter()
        .filter(|s| s.name == "opencx_api.call")
        .collect();
    assert_eq!(calls.len(), 1, "{closed:#?}");
    let call = &calls[0].fields;
    for (field, value) in [
        ("operation", "get_chat_session"),
        ("operation_id", "getChatSession"),
        ("http.request.method", "GET"),
        ("http.route", "/chat/sessions/{session_id}"),
        ("attempts", "2"),
        ("http.response.status_code", "200"),
    ] {
        assert_eq!(
            call.get(field).map(String::as_str),
            Some(value),
            "{field}: {call:?}"
        );
    }
    assert!(
        call.get("duration_ms")
            .is_some_and(|d| d.parse::<u64>().unwrap() >= 20),
        "{call:?}"
    );

    let events = capture.events.lock().unwrap().clone();
    let attempts: Vec<&Captured> = events
        .iter()
        .filter(|e| e.fields.contains_key("attempt"))
        .collect();
    assert_eq!(attempts.len(), 2, "{events:#?}");
    assert_eq!(attempts[0].fields["attempt"], "1");
    assert_eq!(attempts[0].fields["status"], "503");
    assert_eq!(attempts[0].fields["retry_in_ms"], "20");
    assert_eq!(attempts[1].fields["status"], "200");
    assert!(
        !attempts[1].fields.contains_key("retry_in_ms"),
        "the last attempt waits for nothing"
    );
    for event in &attempts {
        assert_eq!(event.parent.as_deref(), Some("opencx_api.call"));
    }

    let everything = format!("{closed:?}{events:?}");
    assert!(!everything.contains(TOKEN), "{everything}");
    assert!(
        !everything.contains("ticket_number"),
        "no body: {everything}"
    );
}
