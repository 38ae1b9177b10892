//! The names most programs need: `use opencx_api::prelude::*;`.
//!
//! ```
//! use opencx_api::prelude::*;
//!
//! let client = Client::with_bearer_token("http://127.0.0.1:8080", "sk-test").unwrap();
//! let _sessions = client.list_chat_sessions().status(SessionStatus::Open).stream();
//! ```

pub use crate::error::TransportKind;
pub use crate::export::Exporter;
pub use crate::pagination::{FilterChatSessionsExt, ListChatHistoryExt, ListChatSessionsExt};
pub use crate::types::{
    ChatEvent, ChatHistoryEntry, Sentiment, Session, SessionChannel, SessionFilterRequest,
    SessionFilters, SessionStatus,
};
pub use crate::{Client, ClientBuilder, Error};
