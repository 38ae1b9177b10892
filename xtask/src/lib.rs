//! Maintainer tasks for the opencx-rs workspace.
//!
//! The pipeline: vendored 3.0 and 3.1 documents (`specs/`) → [`merge`] →
//! [`overlay`] → [`naming`] → [`relax`] → [`convert`] to 3.0.3 → [`screen`] →
//! `opencx-api/openapi.json` → progenitor (the build script's [`codegen`]
//! module) → committed snapshots, with the [`report`] of what was not exact.

pub mod changelog;
pub mod cli;
#[path = "../../opencx-api/codegen/mod.rs"]
pub mod codegen;
pub mod contract;
pub mod convert;
pub mod diff;
pub mod fetch;
pub mod hand_written;
pub mod isolate;
pub mod merge;
pub mod naming;
pub mod operation_id;
pub mod operations;
pub mod origins;
pub mod overlay;
pub mod pointer;
pub mod regen;
pub mod relax;
pub mod report;
pub mod screen;
pub mod type_names;
pub mod vendor;
pub mod visibility;
pub mod workspace;
