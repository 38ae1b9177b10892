//! Typed async client for the OpenCX REST API.

// progenitor emits helpers for every shape it knows; not all are used by this API.
#[allow(dead_code)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/client.rs"));
}

pub use generated::*;

/// Typed [`httpmock`] helpers for every operation.
#[cfg(feature = "mock")]
pub mod mock {
    include!(concat!(env!("OUT_DIR"), "/mock.rs"));
}
