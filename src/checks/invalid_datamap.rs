//! # invalid-datamap
//!
//! ## What it finds
//! A data map that cannot be read as written: a YAML syntax error, a duplicate key, an alias
//! that expands past the limit, an unknown key (with the key it most likely meant), a reference
//! to an element, purpose or recipient that is not defined, an unknown taxonomy category or
//! data use, an unknown legal basis or safeguard, a malformed ISO 8601 retention, an invalid
//! country code, an invalid `code:` glob, an empty file. Every problem of a run is reported,
//! each at its line and column, and the run exits with code 2 without checking the code.
//!
//! ## Why it matters
//! Every other check holds the code against the data map; a data map read wrongly would make
//! them report the wrong things, or nothing. It is also the record a Data Protection Officer
//! signs (GDPR Article 30; Kazakhstan's Law on Personal Data and their Protection), so a typo
//! in it is a typo in a legal document.
//!
//! ## Example
//! ```yaml
//! purposes:
//!   marketing: { legal_basis: consnet, data: [emial] }
//! ```
//!
//! ## Use instead
//! ```yaml
//!   marketing: { legal_basis: consent, data: [email] }
//! ```
//!
//! ## How to fix or suppress
//! Follow the help line of each diagnostic; `privlint schema` prints the JSON Schema, which
//! editors use to complete and check `datamap.yml` as you type. This check cannot be
//! suppressed.

use super::{Check, Context};
use crate::finding::{Finding, Severity};

pub static CHECK: Check = Check {
    id: "invalid-datamap",
    severity: Severity::Error,
    summary: "The data map cannot be read: YAML, schema or reference errors.",
    doc: include_str!("invalid_datamap.rs"),
    run,
};

/// The loader reports these before any code is read (see `datamap::load`); nothing to do on the
/// graph.
fn run(_: &Context<'_, '_>) -> Vec<Finding> {
    Vec::new()
}
