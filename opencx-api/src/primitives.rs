//! The wrappers every answer comes in, from progenitor-client (named here so
//! that a caller need not depend on it), and the [`File`] a multipart
//! request's file part takes. (It names no API: the tests' crates
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

/// What an operation answering `text/event-stream` streams from `events()`.
pub use crate::runtime::events::{Event, EventStream};
/// A file part of a `multipart/form-data` request body.
pub use crate::runtime::multipart::File;
pub use progenitor_client::{ByteStream, ResponseValue};
