//! Maintainer tasks for the opencx-rs workspace.
//!
//! The pipeline, one module a stage: vendored 3.0 and 3.1 documents
//! (`specs/`, [`vendor`], [`fetch`]) → [`merge`] → [`overlay`] → [`naming`]
//! → [`relax`] → [`convert`] to 3.0.3 → [`visibility`] (readOnly/writeOnly)
//! → [`screen`] → [`isolate`] (generate with progenitor, the build script's
//! [`codegen`] module, leaving out what cannot be generated; [`type_names`]
//! separates names typify would write twice; [`compile`] builds what was
//! generated and leaves out what does not compile) → `opencx-api/openapi.json`,
//! the committed snapshots, the [`contract`] tests, the [`report`] of what
//! was not exact, and the [`changelog`] from [`diff`]; last, [`accounting`]
//! checks that every vendored operation is generated or reported left out.
//! [`upstream`] runs the whole upstream step (fetch, regen, a pull request's
//! text) for a scheduled job.

pub mod accounting;
pub mod changelog;
pub mod cli;
#[path = "../../opencx-api/codegen/mod.rs"]
pub mod codegen;
pub mod compile;
pub mod contract;
pub mod convert;
pub mod diff;
pub mod features;
pub mod fetch;
pub mod graph;
pub mod hand_written;
pub mod inputs;
pub mod isolate;
pub mod merge;
pub mod naming;
pub mod nullable_unions;
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
pub mod upstream;
pub mod vendor;
pub mod visibility;
pub mod walk;
pub mod workspace;
