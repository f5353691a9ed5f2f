//! # invalid-suppression
//!
//! ## What it finds
//! A `privlint: ignore[...]` comment that does not work as written: it gives no reason, names no
//! check, or names a check that does not exist; or a `privlint: ignore-file[...]` comment that is
//! not among the file's leading comments.
//!
//! ## Why it matters
//! A suppression is a decision that a flow of personal data is acceptable; an auditor, a Data
//! Protection Officer or a reviewer must be able to read why (GDPR Article 5(2),
//! accountability). A suppression without a reason does not suppress anything, so the finding it
//! meant to silence is still reported, and this one says why.
//!
//! ## Example
//! ```rust,ignore
//! // privlint: ignore[identifier-in-log]
//! info!("login {}", user.email);
//! ```
//!
//! ## Use instead
//! ```rust,ignore
//! // privlint: ignore[identifier-in-log] fraud investigation log, retained 30 days (DPIA-12)
//! info!("login {}", user.email);
//! ```
//!
//! ## How to fix or suppress
//! Name the check in brackets and give the reason after them. `privlint explain` lists the IDs.

use super::{Check, Context};
use crate::finding::{Finding, Severity};
use crate::findings::{build, ignores};
use crate::graph::At;

pub static CHECK: Check = Check {
    id: "invalid-suppression",
    severity: Severity::Warning,
    summary: "A `privlint: ignore[...]` comment without a reason or with an unknown check ID.",
    doc: include_str!("invalid_suppression.rs"),
    run,
};

fn run(cx: &Context<'_, '_>) -> Vec<Finding> {
    let mut out = Vec::new();
    for (u, unit) in cx.program.units.iter().enumerate() {
        for ignore in ignores(unit) {
            let problem = if ignore.checks.is_empty() {
                "names no check: write `privlint: ignore[check-id] reason`".to_string()
            } else if let Some(unknown) = ignore.checks.iter().find(|c| super::find(c).is_none()) {
                format!("names `{unknown}`, which is not a privlint check (see `privlint explain`)")
            } else if ignore.reason.is_empty() {
                "gives no reason, so it suppresses nothing: add why this is acceptable after the brackets".to_string()
            } else if ignore.file_level && !ignore.leading {
                "is an `ignore-file` after the start of the file, so it suppresses nothing: move \
                 it into the comments at the top of the file, before any code"
                    .to_string()
            } else {
                continue;
            };
            let at = At {
                unit: u as u32,
                span: ignore.span,
                note: "this suppression".into(),
            };
            out.push(build(
                cx.program,
                CHECK.id,
                CHECK.severity,
                format!("This suppression {problem}"),
                u as u32,
                ignore.span,
                Vec::new(),
                &[at],
                "write `privlint: ignore[identifier-in-log] <why this is acceptable>`".into(),
            ));
        }
    }
    out
}
