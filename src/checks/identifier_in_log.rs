//! # identifier-in-log
//!
//! ## What it finds
//! A personal identifier (an email address, phone number, name, postal address, national ID such
//! as the Kazakh IIN, passport number, IP address, device ID, card or bank account number, date
//! of birth, password, ...) or an object that holds one, reaching a log, print or tracing call
//! without passing through a sanitizer (hash, mask, redact, anonymise, pseudonymise, encrypt,
//! truncate). The path may cross functions and files: a helper that logs its parameter is
//! reported when some caller passes it personal data.
//!
//! ## Why it matters
//! Logs are copied to log shippers, retained for months, read by support staff and third-party
//! observability vendors, and are rarely covered by erasure requests. An identifier in a log is
//! personal data processed for a purpose nobody declared, kept past any retention period, and
//! out of reach of the right to erasure: GDPR Articles 5(1)(b), (c) and (e) (purpose limitation,
//! data minimisation, storage limitation), Article 17 (erasure) and Article 32 (security);
//! Kazakhstan's Law on Personal Data and their Protection (Articles 7 and 8: collection and
//! processing limited to what the purpose needs) and the Digital Code's right to deletion.
//!
//! ## Example
//! ```rust,ignore
//! fn signup(user: &User) {
//!     tracing::info!(email = %user.email, "new account");
//! }
//! ```
//!
//! ## Use instead
//! ```rust,ignore
//! fn signup(user: &User) {
//!     tracing::info!(user_id = %user.id, "new account");          // an internal, pseudonymous key
//!     tracing::info!(email = %mask_email(&user.email), "new account"); // or a masked form
//! }
//! ```
//!
//! ## How to fix or suppress
//! Log an internal ID instead, or pass the value through a sanitizer (a function whose name says
//! it hashes, masks, redacts, anonymises or encrypts; add your own in `rules/`). For a type that
//! is logged whole, give it a redacting `Debug`/`__repr__`, or wrap the personal field in a
//! secret type (`secrecy::SecretString`, pydantic `SecretStr`). Where logging it is deliberate
//! and lawful, declare it in the data map, for a purpose, so the record of processing shows it:
//! ```yaml
//! logging:
//!   allow: [{ data: client_ip, purpose: security, reason: rate limiting, kept 30 days }]
//! ```
//! The allowance holds where that purpose applies (its `code:` globs or annotations), or
//! anywhere when no purpose is scoped to the log call's file. Or suppress on the line or the
//! line above with a reason:
//! `// privlint: ignore[identifier-in-log] security audit trail, retained 30 days`.

use super::{Check, Context, capitalise, join_names};
use crate::classify::CategoryId;
use crate::finding::{DataRef, Finding, Severity};
use crate::graph::{Origin, Program, SinkKind};
use rayon::prelude::*;

pub static CHECK: Check = Check {
    id: "identifier-in-log",
    severity: Severity::Error,
    summary: "A personal identifier reaches a log, print or tracing call unsanitized.",
    doc: include_str!("identifier_in_log.rs"),
    run,
};

fn run(cx: &Context<'_, '_>) -> Vec<Finding> {
    let classifier = &cx.program.rules.classifier;
    // One finding per sink call: the hits from several callers are merged.
    let by_sink = super::data_by_sink(cx, |hit, category| {
        hit.sink.kind == SinkKind::Log && reports(cx, &hit.sink, category)
    });
    // A large project has thousands of log calls to explain; each is independent of the rest.
    by_sink
        .into_par_iter()
        .map(|(sink, mut labels)| {
            // Shortest path per category first, then by path text, for a stable choice.
            labels.sort_by(|a, b| {
                (category_key(cx.program, a), a.hops.len(), &a.hops).cmp(&(
                    category_key(cx.program, b),
                    b.hops.len(),
                    &b.hops,
                ))
            });
            labels.dedup_by(|a, b| a.origin == b.origin);
            let data: Vec<DataRef> = labels
                .iter()
                .filter_map(|l| match l.origin {
                    Origin::Data(c) => Some(DataRef {
                        category: classifier.category(c).key.clone(),
                        name: classifier.category(c).name.clone(),
                    }),
                    Origin::Param(_) => None,
                })
                .collect();
            let primary = labels[0];
            let names: Vec<String> = data
                .iter()
                .map(|d| crate::graph::eval::in_sentence(&d.name))
                .collect();
            let source_text = primary
                .hops
                .first()
                .map(|h| h.note.clone())
                .unwrap_or_default();
            let verb = if names.len() > 1 { "reach" } else { "reaches" };
            let message = format!(
                "{} {verb} the log call `{}` without a sanitizer ({})",
                capitalise(&join_names(&names)),
                sink.callee,
                source_text
            );
            // The value as it is named nearest the sink.
            let what = primary
                .hops
                .last()
                .and_then(|h| h.note.split('`').nth(1))
                .unwrap_or("the value");
            let help = format!(
                "log an internal ID instead of {}, or pass `{what}` through a sanitizer first \
             (a function named like mask_*, redact_*, hash_*, anonymize_*, or a salted hash); \
             if this log is deliberate, add `privlint: ignore[identifier-in-log] <reason>` on \
             the line above",
                join_names(&names)
            );
            super::sink_finding(
                cx,
                &CHECK,
                sink,
                Some(primary),
                "logged by",
                message,
                data,
                help,
            )
        })
        .collect()
}

/// Whether this check reports data of `category` at a log sink: an identifier, unless the data
/// map's `logging.allow` lets a declared element of that category be logged for a purpose
/// that applies there (or anywhere, when no purpose is scoped to that place).
pub fn reports(cx: &Context<'_, '_>, sink: &crate::graph::SinkRef, category: CategoryId) -> bool {
    let c = cx.program.rules.classifier.category(category);
    if !c.identifier {
        return false;
    }
    allowance(cx, sink, category).is_none()
}

/// The `logging.allow` entry that lets this data be logged here, as `(element, purpose)`.
pub fn allowance<'a>(
    cx: &Context<'a, '_>,
    sink: &crate::graph::SinkRef,
    category: CategoryId,
) -> Option<(&'a str, &'a str)> {
    let att = cx.datamap?;
    let key = &cx.program.rules.classifier.category(category).key;
    let elements = att.elements_for(key);
    let here = att.purposes_at(sink.unit, sink.span);
    att.map.logging.allow.iter().find_map(|a| {
        (elements.contains(&a.data.as_str())
            && (here.is_empty() || here.iter().any(|(p, _)| *p == a.purpose)))
        .then_some((a.data.as_str(), a.purpose.as_str()))
    })
}

fn category_key<'a>(program: &'a Program<'_>, label: &crate::graph::Label) -> &'a str {
    match label.origin {
        Origin::Data(c) => &program.rules.classifier.category(c).key,
        Origin::Param(_) => "",
    }
}
