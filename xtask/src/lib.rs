//! Maintainer tasks for the opencx-rs workspace.
//!
//! The pipeline: vendored 3.1 documents (`specs/*.yaml`) → [`merge`] →
//! [`overlay`] → [`relax`] → [`convert`] to 3.0.3 → `opencx-api/openapi.json` → progenitor
//! (the build script's [`codegen`] module) → committed snapshots.

pub mod cli;
#[path = "../../opencx-api/codegen/mod.rs"]
pub mod codegen;
pub mod contract;
pub mod convert;
pub mod merge;
pub mod overlay;
pub mod pointer;
pub mod regen;
pub mod relax;
pub mod vendor;
pub mod workspace;
