//! # undeclared-purpose
//!
//! ## What it finds
//! A declared personal-data element processed where the purposes that apply do not declare it,
//! or where no purpose applies at all. Processing means reaching a sink: a database write, a
//! file, a message queue, an outbound HTTP request, a third-party SDK, or a log. The purposes at
//! a sink come from `privlint: purpose(...)` annotations, the `code:` globs of each purpose, and
//! the purposes of the declared recipient the sink reaches (see `privlint explain` for
//! `undeclared-recipient`). An annotation naming a purpose the data map does not declare is
//! reported too. "No purpose applies" is only reported when the data map ties some purpose to
//! code; an identifier in a log is left to `identifier-in-log`.
//!
//! ## Why it matters
//! Purpose limitation: personal data is collected for specified purposes and not processed in a
//! way incompatible with them (GDPR Article 5(1)(b)); each purpose needs its own legal basis
//! (Article 6) and appears in the record of processing (Article 30(1)(b)). Kazakhstan's Law on
//! Personal Data and their Protection likewise limits processing to the purposes for which the
//! data was collected and the subject consented.
//!
//! ## Example
//! ```yaml
//! purposes:
//!   marketing: { legal_basis: consent, data: [email], code: ["src/newsletter/**"] }
//! ```
//! ```python
//! # src/newsletter/campaigns.py
//! requests.post(CRM_URL, json={"phone": customer.phone})   # marketing does not declare phone
//! ```
//!
//! ## Use instead
//! Declare the element for the purpose (and make sure its legal basis covers it), or stop
//! sending it:
//! ```yaml
//!   marketing: { legal_basis: consent, data: [email, phone], code: ["src/newsletter/**"] }
//! ```
//!
//! ## How to fix or suppress
//! Add the element to the purpose's `data:`, give the code a purpose (a `code:` glob or
//! `privlint: purpose(name)` on the function), or remove the processing. Suppress a single line
//! with `privlint: ignore[undeclared-purpose] <reason>`.

use super::{Check, Context, capitalise, join_keys, join_names};
use crate::finding::{DataRef, Finding, Severity};
use crate::graph::{Origin, SinkKind};
use std::collections::BTreeMap;

pub static CHECK: Check = Check {
    id: "undeclared-purpose",
    severity: Severity::Error,
    summary: "Personal data processed for a purpose that does not declare it, or for none.",
    doc: include_str!("undeclared_purpose.rs"),
    run,
};

fn run(cx: &Context<'_, '_>) -> Vec<Finding> {
    let Some(att) = cx.datamap else {
        return Vec::new();
    };
    let program = cx.program;
    let map = att.map;
    let classifier = &program.rules.classifier;
    let mut out = Vec::new();
    // One finding per sink: the hits from several callers are merged. An identifier in a log
    // is identifier-in-log's, or allowed.
    let by_sink = super::data_by_sink(cx, |hit, category| {
        !program.units[hit.sink.unit as usize].is_test
            && !(hit.sink.kind == SinkKind::Log
                && (super::identifier_in_log::reports(cx, &hit.sink, category)
                    || super::identifier_in_log::allowance(cx, &hit.sink, category).is_some()))
    });
    for (sink, labels) in by_sink {
        let receiver = att.receiver(program.rules, sink);
        let purposes = att.purposes_at_sink(sink, receiver.as_ref());
        if purposes.is_empty() && !att.has_scopes() {
            continue;
        }
        // Element → (data ref, first path) for the elements no applying purpose declares.
        let mut missing: BTreeMap<&str, (DataRef, &crate::graph::Label)> = BTreeMap::new();
        for label in labels {
            let Origin::Data(category) = label.origin else {
                continue;
            };
            let elements = att.elements_for(&classifier.category(category).key);
            if elements.is_empty() {
                continue; // undeclared-data's
            }
            let declared = purposes.iter().any(|(p, _)| {
                map.purposes
                    .get(p)
                    .is_some_and(|p| p.data.iter().any(|d| elements.contains(&d.as_str())))
            });
            if !declared {
                missing
                    .entry(elements[0])
                    .or_insert_with(|| (cx.data_ref(category), label));
            }
        }
        if missing.is_empty() {
            continue;
        }
        let keys: Vec<&str> = missing.keys().copied().collect();
        let names: Vec<String> = missing
            .values()
            .map(|(d, _)| crate::graph::eval::in_sentence(&d.name))
            .collect();
        let what = format!("{} (element {})", join_names(&names), join_keys(&keys));
        let verb = if keys.len() > 1 { "reach" } else { "reaches" };
        let to = format!("the {} `{}`", sink.kind.describe(), sink.callee);
        let (message, help) = if purposes.is_empty() {
            (
                format!(
                    "{} {verb} {to}, where no purpose of the data map applies",
                    capitalise(&what)
                ),
                format!(
                    "give this code a purpose that declares {}: add its path to a purpose's \
                     `code:` globs, or put `privlint: purpose(<name>)` on the function; or \
                     suppress with `privlint: ignore[undeclared-purpose] <reason>`",
                    join_keys(&keys)
                ),
            )
        } else {
            let applying: Vec<String> = purposes
                .iter()
                .map(|(p, why)| format!("`{p}` ({})", why.describe()))
                .collect();
            let first = &purposes[0].0;
            let unknown = !map.purposes.contains_key(first);
            let fix = if unknown {
                format!(
                    "the purpose `{first}` is not declared in the data map: declare it with \
                     `data: [{}]`, or correct the annotation",
                    keys.join(", ")
                )
            } else {
                format!(
                    "add {} to `purposes.{first}.data` if this processing belongs to that \
                     purpose (and its legal basis covers it), or stop sending it here",
                    join_keys(&keys)
                )
            };
            (
                format!(
                    "{} {verb} {to} for {}, which {} not declare {}",
                    capitalise(&what),
                    join_names(&applying),
                    if purposes.len() > 1 { "do" } else { "does" },
                    if keys.len() > 1 { "them" } else { "it" }
                ),
                fix,
            )
        };
        let data: Vec<DataRef> = missing.values().map(|(d, _)| d.clone()).collect();
        let primary = missing.values().next().map(|(_, l)| *l);
        out.push(super::sink_finding(
            cx,
            &CHECK,
            sink,
            primary,
            "processed by",
            message,
            data,
            help,
        ));
    }
    out.extend(unknown_annotations(cx));
    out
}

/// `privlint: purpose(x)` where the data map declares no purpose `x`.
fn unknown_annotations(cx: &Context<'_, '_>) -> Vec<Finding> {
    let Some(att) = cx.datamap else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (u, unit) in cx.program.units.iter().enumerate() {
        for d in &unit.facts.directives {
            let Some(rest) = d.text.strip_prefix("purpose") else {
                continue;
            };
            let Some(inner) = rest.trim_start().strip_prefix('(') else {
                continue;
            };
            let inner = &inner[..inner.find(')').unwrap_or(inner.len())];
            for name in inner.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                if att.map.purposes.contains_key(name) {
                    continue;
                }
                let suggestion = crate::taxonomy::did_you_mean(
                    name,
                    att.map.purposes.keys().map(String::as_str),
                )
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
                out.push(crate::findings::build(
                    cx.program,
                    CHECK.id,
                    CHECK.severity,
                    format!(
                        "The annotation names the purpose `{name}`, which the data map does not \
                         declare{suggestion}"
                    ),
                    u as u32,
                    d.span,
                    Vec::new(),
                    &[],
                    format!(
                        "declare `{name}` under `purposes:` in {}, or name a declared purpose: {}",
                        crate::findings::display_path(&att.map_file()),
                        join_keys(&att.map.purposes.keys().collect::<Vec<_>>())
                    ),
                ));
            }
        }
    }
    out
}
