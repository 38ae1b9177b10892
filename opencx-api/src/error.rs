//! What a failed call or a failed build says: the parts of an
//! [`Error`](crate::Error), and [`ConfigError`]. (It names no API: the tests'
//! crates around clients of other documents include it by path.)
//!
//! ```
//! # async fn run(client: &opencx_api::Client) {
//! use opencx_api::error::TransportKind;
//!
//! match client.get_chat_session().session_id("s1").send().await {
//!     Err(opencx_api::Error::Transport { kind: TransportKind::Timeout { after }, .. }) => {
//!         eprintln!("timed out after {after:?}");
//!     }
//!     Err(opencx_api::Error::Api { response, .. }) => eprintln!("{:?}", response.message()),
//!     _ => {}
//! }
//! # }
//! ```

pub use crate::runtime::{
    Attempts, ConfigError, DecodeFailure, ErrorResponse, NotRetried, TransportKind,
    BODY_SNIPPET_LEN,
};
