//! The checks: one file each, reading the flow graph and writing [`Finding`]s.
//!
//! Each check's doc comment is its user documentation, in fixed sections (*What it finds*,
//! *Why it matters*, *Example*, *Use instead*, *How to fix or suppress*); the same text is
//! what `privlint explain ID` prints, and what SARIF carries as the rule's help.

use crate::finding::{Finding, Severity};
use crate::graph::{Program, SinkHit};

pub mod identifier_in_log;
pub mod invalid_suppression;

/// What the checks read.
pub struct Context<'a, 'r> {
    pub program: &'a Program<'r>,
    pub hits: &'a [SinkHit],
}

/// A check: its stable ID, default severity, one-line summary, documentation and entry point.
pub struct Check {
    pub id: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    /// Markdown: the check module's doc comment.
    pub doc: &'static str,
    pub run: fn(&Context<'_, '_>) -> Vec<Finding>,
}

/// Every check, in ID order. Contract IDs not listed here are reserved for checks that come with
/// the data map (`undeclared-data`, `undeclared-purpose`, `undeclared-recipient`,
/// `missing-erasure`, `stale-declaration`, `data-localization`, `cross-border-transfer`,
/// `invalid-datamap`).
pub static CHECKS: &[&Check] = &[&identifier_in_log::CHECK, &invalid_suppression::CHECK];

pub fn find(id: &str) -> Option<&'static Check> {
    CHECKS.iter().copied().find(|c| c.id == id)
}

/// The documentation of a check as text: its module's `//!` comment without the markers.
pub fn doc_text(check: &Check) -> String {
    let mut out = String::new();
    for line in check.doc.lines() {
        let Some(rest) = line.strip_prefix("//!") else {
            break;
        };
        out.push_str(rest.strip_prefix(' ').unwrap_or(rest));
        out.push('\n');
    }
    out.trim_end().to_string()
}
