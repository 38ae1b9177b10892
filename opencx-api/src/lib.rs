#![doc = include_str!("../README.md")]
// docs.rs builds with `--cfg docsrs` on nightly (see `[package.metadata.docs.rs]`),
// where the `mock` module is marked as needing its feature; stable builds skip it.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(missing_docs)]

// progenitor emits helpers for every shape it knows, and a `prelude` this crate
// replaces with its own; not all of it is used. Its items carry the document's
// descriptions, where it has them: `missing_docs` is for the hand-written code.
#[allow(dead_code, unused_imports, missing_docs)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/client.rs"));
}

mod runtime;

pub mod config;
pub mod error;
pub mod export;
pub mod pagination;
pub mod prelude;
pub mod primitives;

pub use generated::{builder, types, Client};
pub use runtime::{ClientBuilder, Error, Result};

/// Typed [`httpmock`] helpers for every operation: `When`/`Then` wrappers that
/// accept this crate's types (feature `mock`).
///
/// ```
/// use opencx_api::mock::MockServerExt;
/// use opencx_api::types::ApiError;
///
/// let server = httpmock::MockServer::start();
/// let mock = server.get_chat_session(|when, then| {
///     when.session_id("s1");
///     // Generated types are #[non_exhaustive]: start from `Default` (or `ApiError::builder()`).
///     let mut error = ApiError::default();
///     error.message = Some("boom".into());
///     then.internal_server_error(&error);
/// });
/// let client = opencx_api::Client::with_bearer_token(server.base_url(), "sk-test").unwrap();
/// # let _ = (mock, client);
/// ```
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
// Generated code: lints are addressed in the generator settings, not here.
#[allow(clippy::all, missing_docs)]
pub mod mock {
    include!(concat!(env!("OUT_DIR"), "/mock.rs"));
}

/// The sources the build script generated, so the workspace's drift tests can
/// compare them with the committed snapshots. Not part of the API.
#[doc(hidden)]
pub mod __generated_source {
    pub const CLIENT: &str = include_str!(concat!(env!("OUT_DIR"), "/client.rs"));
    pub const MOCK: &str = include_str!(concat!(env!("OUT_DIR"), "/mock.rs"));
}
