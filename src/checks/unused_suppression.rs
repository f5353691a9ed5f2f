//! # unused-suppression
//!
//! ## What it finds
//! A `privlint: ignore[...]` or `privlint: ignore-file[...]` comment that suppresses nothing:
//! no finding of the checks it names is reported on its line (or, for `ignore-file`, in its
//! file). It is reported only when every check it names ran: a suppression of a data-map check
//! is not called unused in a scan without a data map.
//!
//! ## Why it matters
//! A suppression records a decision that a flow of personal data is acceptable. When the code
//! changes and the flow is gone, the comment stays behind, and the next flow written on that
//! line is silenced without anyone deciding anything (GDPR Article 5(2), accountability; Article
//! 25, data protection by design). Removing stale suppressions keeps every remaining one a
//! decision someone made about code that exists.
//!
//! ## Example
//! ```rust,ignore
//! // privlint: ignore[identifier-in-log] support needs the address (TICKET-9)
//! info!("password reset requested for user {}", user.id);
//! ```
//!
//! ## Use instead
//! ```rust,ignore
//! info!("password reset requested for user {}", user.id);
//! ```
//!
//! ## How to fix or suppress
//! Delete the comment, or move it to the line it was meant for. If the check it names is
//! disabled on purpose in some runs, name only the checks that run.

use super::{Check, Context};
use crate::finding::{Finding, Severity};
use crate::findings::{Ignore, build};
use crate::graph::{At, Program};

pub static CHECK: Check = Check {
    id: "unused-suppression",
    severity: Severity::Warning,
    summary: "A `privlint: ignore[...]` comment that suppresses no finding.",
    doc: include_str!("unused_suppression.rs"),
    run,
};

/// Nothing to do here: a suppression is unused only once every other check has run, so
/// [`crate::findings::apply_suppressions`] reports these through [`finding`].
fn run(_cx: &Context<'_, '_>) -> Vec<Finding> {
    Vec::new()
}

/// The finding for an unused suppression in `unit`.
pub fn finding(program: &Program<'_>, unit: u32, ignore: &Ignore) -> Finding {
    let at = At {
        unit,
        span: ignore.span,
        note: "this suppression".into(),
    };
    let what = if ignore.file_level {
        "in this file"
    } else {
        "on its line"
    };
    build(
        program,
        CHECK.id,
        CHECK.severity,
        format!(
            "This suppression of {} suppresses nothing: no such finding is reported {what}",
            super::join_keys(&ignore.checks)
        ),
        unit,
        ignore.span,
        Vec::new(),
        &[at],
        "delete the comment, or move it to the line it was meant for".into(),
    )
}
