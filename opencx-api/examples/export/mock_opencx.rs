//! An in-process mock OpenCX with a few hundred sessions and multi-page
//! histories, built from the crate's typed httpmock helpers, so the export
//! example runs offline. It answers every filter with all its sessions; the
//! session listing honours `updated_after` (strictly after, in creation
//! order) and dates its answers, as a server's `Date` header does.
//!
//! Its sessions were last updated in 2024, so an incremental run after the
//! first finds nothing new, unless the mock is told to change some
//! (`--mock-change N`): those get one more message and an `updated_at` of
//! the moment the mock started. The mock forgets them when the example
//! exits; the next run's mock holds the 2024 versions again, which are
//! older than the watermark and so are not listed.

use std::sync::Arc;
use std::time::SystemTime;

use chrono::{DateTime, SubsecRound, Utc};
use httpmock::{HttpMockRequest, HttpMockResponse, Method};
use opencx_api::mock::MockServerExt;
use opencx_api::types::{
    ChatHistoryEntry, ChatHistoryList, Session, SessionFilterPage, SessionId, SessionList,
};
use serde_json::json;

#[path = "../shared/mock.rs"]
mod shared;
use shared::page;
pub use shared::{MockOpenCx, DEMO_KEY};

/// Sessions the mock holds.
pub const SESSIONS: u32 = 300;
/// Sessions per page: the exporter asks the filter for the API's largest,
/// 100, and the session listing answers with as many.
const PAGE: u32 = 100;
/// History entries per page: most sessions take two or three requests.
const HISTORY_PAGE: usize = 5;

/// Starts a mock with `changes` sessions (picked at random) changed just
/// now; says which on stderr.
pub fn start(changes: usize) -> MockOpenCx {
    let mut sessions: Vec<Session> = (1..=SESSIONS).map(session).collect();
    let mut histories: Vec<Vec<ChatHistoryEntry>> = (1..=SESSIONS).map(history).collect();
    // The mock's clock is the machine's: it is the server here.
    let now = Utc::now().trunc_subsecs(3);
    let mut changed: Vec<usize> = fastrand::choose_multiple(0..sessions.len(), changes);
    changed.sort_unstable();
    for &i in &changed {
        sessions[i].updated_at = now;
        let n = i as u32 + 1;
        let next = entry(n, histories[i].len() as u32, "Any news on my order?");
        histories[i].push(next);
    }
    if !changed.is_empty() {
        let tickets: Vec<String> = changed
            .iter()
            .map(|&i| sessions[i].ticket_number.to_string())
            .collect();
        eprintln!(
            "the mock changed {} sessions at {} (tickets {})",
            changed.len(),
            now.to_rfc3339(),
            tickets.join(", ")
        );
    }
    let sessions = Arc::new(sessions);
    MockOpenCx::start_with(|server, auth| {
        for (i, data) in sessions.chunks(PAGE as usize).enumerate() {
            let number = i as u64 + 1;
            let has_next = (number as u32) * PAGE < SESSIONS;
            server.filter_chat_sessions(|when, then| {
                when.into_inner()
                    .header("authorization", auth)
                    .json_body_includes(json!({"page": number}).to_string());
                then.ok(&page(
                    SessionFilterPage::builder()
                        .data(data.to_vec())
                        .page(number)
                        .limit(u64::from(PAGE))
                        .has_next(has_next)
                        .has_previous(number > 1),
                ));
            });
        }
        let listed = sessions.clone();
        server.mock(|when, then| {
            when.method(Method::GET)
                .path("/chat/sessions")
                .header("authorization", auth);
            then.respond_with(move |request| list(&listed, request));
        });
        for (session, history) in sessions.iter().zip(&histories) {
            let id: SessionId = session
                .id
                .to_string()
                .parse()
                .expect("a UUID is a session id");
            let pages: Vec<&[ChatHistoryEntry]> = history.chunks(HISTORY_PAGE).collect();
            for (i, items) in pages.iter().enumerate() {
                let cursor = (i > 0).then(|| format!("h{i}"));
                let next = (i + 1 < pages.len()).then(|| format!("h{}", i + 1));
                server.list_chat_history(|when, then| {
                    when.session_id(id.clone())
                        .cursor(cursor.as_deref())
                        .into_inner()
                        .header("authorization", auth);
                    then.ok(&page(
                        ChatHistoryList::builder().items(items.to_vec()).next(next),
                    ));
                });
            }
        }
    })
}

/// A page of `GET /chat/sessions`: the sessions updated strictly after
/// `updated_after`, in creation (ticket) order, from after the ticket number
/// the cursor names.
fn list(sessions: &[Session], request: &HttpMockRequest) -> HttpMockResponse {
    let query = request.query_params_map();
    let after: Option<DateTime<Utc>> = query.get("updated_after").and_then(|t| t.parse().ok());
    let from: i64 = query
        .get("cursor")
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let mut matching = sessions
        .iter()
        .filter(|s| s.ticket_number > from && after.is_none_or(|after| s.updated_at > after));
    let items: Vec<Session> = matching.by_ref().take(PAGE as usize).cloned().collect();
    let next = match (matching.next(), items.last()) {
        (Some(_), Some(last)) => Some(last.ticket_number.to_string()),
        _ => None,
    };
    let body: SessionList = page(SessionList::builder().items(items).next(next));
    HttpMockResponse::builder()
        .status(200)
        .header("content-type", "application/json")
        .header("date", httpdate::fmt_http_date(SystemTime::now()))
        .body(serde_json::to_string(&body).expect("a page serializes"))
        .build()
}

fn session(n: u32) -> Session {
    let channels = ["web", "whatsapp", "email", "instagram", "phone_voice"];
    let sentiments = ["happy", "neutral", "angry"];
    serde_json::from_value(json!({
        "id": format!("7f1d2c3a-5b6e-4f70-8a91-{n:012}"),
        "status": if n.is_multiple_of(4) { "open" } else { "closed_resolved" },
        "ai_closure_type": if n.is_multiple_of(4) { json!(null) } else { json!("resolved") },
        "sentiment": sentiments[n as usize % sentiments.len()],
        "channel": {"type": channels[n as usize % channels.len()]},
        "language": "en",
        "ticket_number": 1000 + n,
        "assist_mode": false,
        "created_at": format!("2024-05-{:02}T{:02}:{:02}:00Z", 1 + n / 24 % 28, n % 24, n % 60),
        "updated_at": format!("2024-06-{:02}T10:00:00Z", 1 + n % 28)
    }))
    .expect("seed session matches the schema")
}

/// 3 to 14 entries: a conversation, one to three pages long.
fn history(n: u32) -> Vec<ChatHistoryEntry> {
    let len = 3 + (n * 7) % 12;
    (0..len)
        .map(|i| match i % 4 {
            0 => entry(n, i, &format!("Question {i} about order A-{n}")),
            1 | 2 => from_json(
                n,
                i,
                json!({"type": "message", "sender": {"type": "ai"},
                        "content": {"type": "text", "text": format!("Answer {i}")}, "attachments": []}),
            ),
            _ => from_json(
                n,
                i,
                json!({"type": "human_agent_joined", "human_agent_id": 17}),
            ),
        })
        .collect()
}

/// Entry `i` of session `n`: a message from the contact.
fn entry(n: u32, i: u32, text: &str) -> ChatHistoryEntry {
    from_json(
        n,
        i,
        json!({"type": "message", "sender": {"type": "contact", "name": format!("Customer {n}")},
               "content": {"type": "text", "text": text}, "attachments": []}),
    )
}

fn from_json(n: u32, i: u32, event: serde_json::Value) -> ChatHistoryEntry {
    serde_json::from_value(json!({
        "id": format!("5a4b3c2d-1e0f-4a9b-8c7d-{:012}", n * 100 + i),
        "created_at": format!("2024-05-01T09:{:02}:00Z", i % 60),
        "event": event
    }))
    .expect("seed event matches the schema")
}
