//! Realistic page bodies, rendered once before anything is timed.
//!
//! Every item carries its global index in the last group of its UUID, so a
//! run can tell which items arrived, and how often.

use serde_json::{json, Value};

/// The UUID of item `n`.
pub fn uuid(n: u64) -> String {
    format!("3c90c3cc-0d44-4b50-8888-{n:012}")
}

/// The global index [`uuid`] put into an id.
pub fn index_of(id: &str) -> u64 {
    id.rsplit('-')
        .next()
        .and_then(|last| last.parse().ok())
        .expect("an id rendered by uuid()")
}

/// A session as the listing sends it: contact, team, custom data.
pub fn session(n: u64) -> Value {
    const STATUSES: [&str; 3] = ["open", "closed_resolved", "closed_unresolved"];
    const CHANNELS: [&str; 4] = ["web", "email", "whatsapp", "slack"];
    const SENTIMENTS: [&str; 3] = ["neutral", "happy", "angry"];
    let i = n as usize;
    json!({
        "id": uuid(n),
        "status": STATUSES[i % 3],
        "ai_closure_type": if i % 3 == 1 { json!("resolved") } else { Value::Null },
        "assignee_id": null,
        "assist_mode": i.is_multiple_of(5),
        "channel": {"type": CHANNELS[i % 4]},
        "contact": {
            "id": uuid(1_000_000_000 + n),
            "name": format!("Customer {n}"),
            "email": format!("customer{n}@example.com"),
            "phone_number": "+15555550100",
            "custom_data": {"crm_id": format!("crm-{n}")},
            "non_verified_custom_data": null,
            "non_verified_email": null,
            "non_verified_name": null,
            "created_at": "2024-04-30T08:12:45Z",
            "updated_at": "2024-05-01T09:58:03Z"
        },
        "created_at": "2024-05-01T10:00:00.123Z",
        "updated_at": "2024-05-01T10:05:42.917Z",
        "custom_data": {"plan": "pro", "seats": 12, "trial": false, "region": "eu-west"},
        "handoff": null,
        "language": "en",
        "sentiment": SENTIMENTS[i % 3],
        "team": {"id": uuid(2_000_000_000 + (n % 7)), "name": "Tier 1 support", "description": null},
        "ticket_number": n,
        "ticketing_system": null
    })
}

/// The `event` of history entry `n`: the event types cycle, so every page
/// holds messages from each sender, workflow and sequence messages, handoffs,
/// closures, sub-statuses, comments, checkpoints, CSAT and assignments.
pub fn event(n: u64) -> Value {
    let text = |what: &str| json!({"type": "text", "text": format!("{what} #{n}: could you check the invoice from last month? It shows two seats more than we have.")});
    match n % 16 {
        0 | 4 | 8 => json!({"type": "message", "sender": {"type": "contact", "name": "Ada"},
                            "content": text("question"), "attachments": [], "context": {}}),
        1 | 9 => json!({"type": "message", "sender": {"type": "ai", "name": "Otto"},
                        "content": text("answer"), "attachments": [],
                        "context": {"sources": ["kb/billing/seats"], "confidence": 0.82}}),
        2 => json!({"type": "message", "sender": {"type": "human_agent", "name": "Grace"},
                    "content": text("follow-up"),
                    "attachments": [{"id": "att_1", "name": "invoice.pdf", "size": 48213,
                                     "type": "application/pdf", "url": "https://files.example.com/att_1"}]}),
        3 => json!({"type": "workflow_message", "content": text("workflow"),
                    "workflow_id": "wf_refunds", "workflow_run_id": "run_42"}),
        5 => {
            json!({"type": "sequence_message", "content": text("sequence"), "sequence_id": "seq_7"})
        }
        6 => json!({"type": "handoff", "integration": {"type": "zendesk"}}),
        7 => json!({"type": "sub_status_set_by_agent", "sub_status_id": "waiting_on_customer"}),
        10 => json!({"type": "human_agent_comment", "comment_thread_id": uuid(n),
                     "content": text("internal note"), "human_agent_id": 4711}),
        11 => json!({"type": "human_agent_joined", "human_agent_id": 4711}),
        12 => {
            json!({"type": "state_checkpoint", "payload": {"step": "verify_identity", "attempts": 1, "ok": true}})
        }
        13 => {
            json!({"type": "csat_submitted", "payload": {"score": 4.0, "feedback": "quick and friendly"}})
        }
        14 => json!({"type": "agent_assigned_by_user", "actor_id": 12, "assigned_agent_id": 4711}),
        _ => json!({"type": "closed_resolved_by_agent"}),
    }
}

/// History entry `n`.
pub fn history_entry(n: u64) -> Value {
    json!({"id": uuid(n), "created_at": "2024-05-01T10:00:00.250Z", "event": event(n)})
}

/// What a listing page holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `{items, next}` of [`session`]s.
    Sessions,
    /// `{items, next}` of [`history_entry`]s.
    History,
}

/// The JSON body of page `page` of a cursor listing with `per_page` items
/// per page; `next` is the following page's cursor.
pub fn page_body(kind: Kind, page: u64, per_page: u64, next: Option<u64>) -> Vec<u8> {
    let first = page * per_page;
    let items: Vec<Value> = (first..first + per_page)
        .map(|n| match kind {
            Kind::Sessions => session(n),
            Kind::History => history_entry(n),
        })
        .collect();
    let next = next.map(|n| n.to_string());
    serde_json::to_vec(&json!({"items": items, "next": next})).expect("JSON renders")
}

#[cfg(test)]
mod tests {
    use super::*;
    use opencx_api::types::{ChatEvent, ChatHistoryList, SessionList};

    #[test]
    fn pages_decode_into_the_generated_types_with_every_event_known() {
        let sessions: SessionList =
            serde_json::from_slice(&page_body(Kind::Sessions, 3, 50, Some(4))).unwrap();
        assert_eq!(sessions.items.len(), 50);
        assert_eq!(index_of(&sessions.items[0].id.to_string()), 150);
        let history: ChatHistoryList =
            serde_json::from_slice(&page_body(Kind::History, 0, 64, None)).unwrap();
        assert!(history
            .items
            .iter()
            .all(|entry| !matches!(entry.event, ChatEvent::Unknown(_))));
    }
}
