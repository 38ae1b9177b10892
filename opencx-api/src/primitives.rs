//! The wrappers every answer comes in, from progenitor-client (named here so
//! that a caller need not depend on it). (It names no API: the tests' crates
//! around clients of other documents include it by path.)
//!
//! ```
//! use opencx_api::primitives::ResponseValue;
//! use opencx_api::types::Session;
//!
//! // A `send()` answers `ResponseValue<T>`: the body (`Deref` to `T`,
//! // `into_inner()`), with the status and headers.
//! fn id(session: &ResponseValue<Session>) -> String {
//!     session.id.to_string()
//! }
//! # let _ = id;
//! ```

pub use progenitor_client::{ByteStream, ResponseValue};
