//! The hand-written runtime every generated client runs on: auth (the
//! document's security schemes), rate
//! limiting, retries, reading answers whole, the one [`Error`] type and the
//! per-call `tracing` span.
//!
//! Nothing here names an operation, a type or a setting of the OpenCX API
//! (its server, environment variables, user agent and rate limit are in
//! `src/config.rs`; which operations may be repeated comes from the document),
//! so the runtime compiles with a client generated from any document the
//! pipeline takes (the tests build clients of other APIs on it, and check
//! that they get none of OpenCX's settings). What it needs from the crate
//! around it is what progenitor generates (`Client`, with its
//! `IDEMPOTENT_OPERATIONS`), a `Client::builder()` that starts a
//! [`ClientBuilder`] from the API's own settings, and `crate::runtime` as the
//! path the generated code calls (`crate::runtime::call`,
//! `crate::runtime::tagged_union`, `crate::runtime::ClientState`).

mod auth;
mod buffered;
mod builder;
pub mod call;
mod error;
mod error_relay;
pub mod events;
pub mod header;
mod hooks;
pub mod multipart;
pub mod path_segment;
pub mod query;
mod rate_limit;
mod retry;
mod state;
pub mod tagged_union;
mod transport;

pub use auth::{BearerToken, Credential, KeyLocation, Scheme, SchemeKind, TokenError, TokenSource};
pub use builder::{ClientBuilder, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, MAX_REDIRECTS};
pub use error::{
    Attempts, ConfigError, DecodeFailure, Error, ErrorResponse, NotRetried, Result,
    BODY_SNIPPET_LEN,
};
pub use rate_limit::RateLimit;
pub use retry::RetryPolicy;
pub use state::ClientState;
pub use transport::TransportKind;
