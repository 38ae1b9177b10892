//! An in-process mock OpenCX seeded with realistic data, built from the crate's
//! typed httpmock helpers.

use opencx_api::mock::MockServerExt;
use opencx_api::types::{
    ChatHistoryEntry, ChatHistoryList, Session, SessionFilterPage, SessionId, SessionList,
    SessionStatus,
};
use serde_json::json;

#[path = "../shared/mock.rs"]
mod shared;
use shared::page;
pub use shared::{MockOpenCx, DEMO_KEY};

/// Starts a mock and registers every route the quickstart uses.
pub fn start() -> MockOpenCx {
    MockOpenCx::start_with(|server, auth| {
        let sessions = sessions();
        let open: Vec<Session> = sessions
            .iter()
            .filter(|s| s.status == SessionStatus::Open)
            .cloned()
            .collect();

        // Open sessions in pages of two, chained by cursors.
        let pages: Vec<&[Session]> = open.chunks(2).collect();
        for (i, items) in pages.iter().enumerate() {
            let cursor = (i > 0).then(|| format!("page-{i}"));
            let next = (i + 1 < pages.len()).then(|| format!("page-{}", i + 1));
            server.list_chat_sessions(|when, then| {
                when.status(SessionStatus::Open)
                    .cursor(cursor.as_deref())
                    .into_inner()
                    .header("authorization", auth);
                then.ok(&page(
                    SessionList::builder().items(items.to_vec()).next(next),
                ));
            });
        }
        for session in &sessions {
            let id: SessionId = session
                .id
                .to_string()
                .parse()
                .expect("a UUID is a valid session id");
            server.get_chat_session(|when, then| {
                when.session_id(id.clone())
                    .into_inner()
                    .header("authorization", auth);
                then.ok(session);
            });
        }
        let first: SessionId = open[0]
            .id
            .to_string()
            .parse()
            .expect("a UUID is a valid session id");
        let history = history();
        let (early, late) = history.split_at(4);
        server.list_chat_history(|when, then| {
            when.session_id(first.clone())
                .cursor(None)
                .into_inner()
                .header("authorization", auth);
            then.ok(&page(
                ChatHistoryList::builder()
                    .items(early.to_vec())
                    .next(Some("h2".to_string())),
            ));
        });
        server.list_chat_history(|when, then| {
            when.session_id(first.clone())
                .cursor("h2")
                .into_inner()
                .header("authorization", auth);
            then.ok(&page(
                ChatHistoryList::builder().items(late.to_vec()).next(None),
            ));
        });
        let angry: Vec<Session> = sessions
            .iter()
            .filter(|s| s.sentiment == Some(opencx_api::types::Sentiment::Angry))
            .cloned()
            .collect();
        server.filter_chat_sessions(|when, then| {
            when.into_inner()
                .header("authorization", auth)
                .json_body_includes(r#"{"filters":{"sentiment":["angry"]}}"#);
            then.ok(&page(
                SessionFilterPage::builder()
                    .data(angry)
                    .page(1)
                    .limit(100)
                    .has_next(false)
                    .has_previous(false),
            ));
        });
    })
}

fn sessions() -> Vec<Session> {
    let people = [
        ("Ana Souza", "whatsapp", "angry", "open", 1041),
        ("Ben Carter", "web", "neutral", "open", 1042),
        ("Chloé Martin", "email", "happy", "open", 1043),
        ("Dev Patel", "phone_voice", "angry", "open", 1044),
        ("Emma Lind", "instagram", "neutral", "open", 1045),
        ("Farid Haddad", "web", "happy", "closed_resolved", 1039),
    ];
    people
        .iter()
        .enumerate()
        .map(|(i, (name, channel, sentiment, status, ticket))| {
            let id = format!("7f1d2c3a-5b6e-4f70-8a91-{:012}", i + 1);
            serde_json::from_value(json!({
                "id": id,
                "status": status,
                "ai_closure_type": if *status == "open" { json!(null) } else { json!("resolved") },
                "sentiment": sentiment,
                "channel": {"type": channel},
                "contact": {
                    "id": format!("0b6f5c1e-2d3a-4c5b-9e8f-{:012}", i + 1),
                    "email": format!("customer{}@example.com", i + 1),
                    "phone_number": null,
                    "name": name,
                    "custom_data": {"plan": "pro"},
                    "created_at": "2024-04-02T08:00:00Z",
                    "updated_at": "2024-05-01T09:00:00Z",
                    "non_verified_name": null,
                    "non_verified_email": null,
                    "non_verified_custom_data": null
                },
                "language": "en",
                "ticket_number": ticket,
                "assist_mode": false,
                "custom_data": {"order_id": format!("A-{ticket}")},
                "created_at": format!("2024-05-01T09:{:02}:00Z", 10 + i),
                "updated_at": format!("2024-05-01T10:{:02}:00Z", 10 + i)
            }))
            .expect("seed session matches the schema")
        })
        .collect()
}

fn history() -> Vec<ChatHistoryEntry> {
    let events = [
        json!({"type": "message", "sender": {"type": "contact", "name": "Ana Souza"},
               "content": {"type": "text", "text": "My order A-1041 arrived broken."}, "attachments": []}),
        json!({"type": "message", "sender": {"type": "ai"},
               "content": {"type": "text", "text": "Sorry to hear that! Could you send a photo?"}, "attachments": []}),
        json!({"type": "message", "sender": {"type": "contact", "name": "Ana Souza"},
               "content": {"type": "text", "text": "Here it is."},
               "attachments": [{"id": "att-1", "name": "box.jpg", "size": 482133, "type": "image/jpeg",
                                "url": "https://files.example.com/box.jpg"}]}),
        json!({"type": "handoff", "integration": {"type": "zendesk"}}),
        json!({"type": "human_agent_joined", "human_agent_id": 17}),
        json!({"type": "human_agent_comment", "human_agent_id": 17, "comment_thread_id": null,
               "content": {"type": "text", "text": "Refund approved, courier notified."}}),
        json!({"type": "message", "sender": {"type": "human_agent", "name": "Sam"},
               "content": {"type": "text", "text": "A replacement ships today."}, "attachments": []}),
        json!({"type": "csat_submitted", "payload": {"score": 5, "feedback": "Fast and kind."}}),
    ];
    events
        .into_iter()
        .enumerate()
        .map(|(i, event)| {
            serde_json::from_value(json!({
                "id": format!("5a4b3c2d-1e0f-4a9b-8c7d-{:012}", i + 1),
                "created_at": format!("2024-05-01T09:{:02}:00Z", 10 + 3 * i),
                "event": event
            }))
            .expect("seed event matches the schema")
        })
        .collect()
}
