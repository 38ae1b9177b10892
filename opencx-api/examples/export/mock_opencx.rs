//! An in-process mock OpenCX with a few hundred sessions and multi-page
//! histories, built from the crate's typed httpmock helpers, so the export
//! example runs offline. It answers every filter with all its sessions.

use opencx_api::mock::MockServerExt;
use opencx_api::types::{ChatHistoryEntry, ChatHistoryList, Session, SessionFilterPage, SessionId};
use serde_json::json;

#[path = "../shared/mock.rs"]
mod shared;
use shared::page;
pub use shared::{MockOpenCx, DEMO_KEY};

/// Sessions the mock holds.
pub const SESSIONS: u32 = 300;
/// Sessions per filter page: the exporter asks for the API's largest, 100.
const PAGE: u32 = 100;
/// History entries per page: most sessions take two or three requests.
const HISTORY_PAGE: usize = 5;

/// Starts a mock and registers the listing and every history page.
pub fn start() -> MockOpenCx {
    MockOpenCx::start_with(|server, auth| {
        let sessions: Vec<Session> = (1..=SESSIONS).map(session).collect();
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
        for (n, session) in (1..).zip(&sessions) {
            let id: SessionId = session
                .id
                .to_string()
                .parse()
                .expect("a UUID is a session id");
            let history = history(n);
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
        .map(|i| {
            let event = match i % 4 {
                0 => json!({"type": "message", "sender": {"type": "contact", "name": format!("Customer {n}")},
                            "content": {"type": "text", "text": format!("Question {i} about order A-{n}")}, "attachments": []}),
                1 | 2 => json!({"type": "message", "sender": {"type": "ai"},
                                "content": {"type": "text", "text": format!("Answer {i}")}, "attachments": []}),
                _ => json!({"type": "human_agent_joined", "human_agent_id": 17}),
            };
            serde_json::from_value(json!({
                "id": format!("5a4b3c2d-1e0f-4a9b-8c7d-{:012}", n * 100 + i),
                "created_at": format!("2024-05-01T09:{:02}:00Z", i),
                "event": event
            }))
            .expect("seed event matches the schema")
        })
        .collect()
}
