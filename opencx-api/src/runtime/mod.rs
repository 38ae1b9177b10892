//! The hand-written runtime every generated client runs on: auth, rate
//! limiting, retries, reading answers whole, the one [`Error`] type and the
//! per-call `tracing` span.
//!
//! Nothing here names an operation or a type of the OpenCX API, so the
//! runtime compiles with a client generated from any document the pipeline
//! takes (the tests build clients of other real APIs on it). What it needs
//! from the crate around it is what progenitor generates (`Client`,
//! `ResponseValue`) and `crate::runtime` as the path the generated code calls
//! (`crate::runtime::call`, `crate::runtime::tagged_union`).

mod auth;
mod buffered;
pub mod call;
mod config;
mod error;
mod error_relay;
mod hooks;
pub mod multipart;
pub mod path_segment;
pub mod query;
mod rate_limit;
mod retry;
pub mod tagged_union;
mod transport;

pub use auth::BearerToken;
pub use config::{
    ClientBuilder, ClientState, ConfigError, API_KEY_ENV, BASE_URL_ENV, DEFAULT_BASE_URL,
    DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, MAX_REDIRECTS, USER_AGENT,
};
pub use error::{
    Attempts, DecodeFailure, Error, ErrorResponse, NotRetried, Result, BODY_SNIPPET_LEN,
};
pub use path_segment::encode_path_segment;
pub use rate_limit::RateLimit;
pub use retry::{RetryPolicy, READ_ONLY_OPERATIONS};
pub use transport::TransportKind;
