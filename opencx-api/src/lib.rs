//! Typed async client for the OpenCX REST API.

// progenitor emits helpers for every shape it knows; not all are used by this API.
#[allow(dead_code)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/client.rs"));
}

pub use generated::*;

/// Typed [`httpmock`] helpers for every operation.
#[cfg(feature = "mock")]
// Generated code: lints are addressed in the generator settings, not here.
#[allow(clippy::all)]
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
