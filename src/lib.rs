//! privlint: a data-processing-as-code compliance linter.
//!
//! The pipeline: discover → facts (frontends) → classify → flow graph → checks → findings.

pub mod classify;
pub mod discover;
pub mod finding;
pub mod ir;
pub mod lang;
pub mod report;
