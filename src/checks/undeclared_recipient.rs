//! # undeclared-recipient
//!
//! ## What it finds
//! Personal data reaching a third party the data map does not declare, or a declared recipient
//! receiving an element its declaration does not list. Third parties are recognised by their
//! SDKs (a call into a package of the recipients catalog, `rules/recipients.yml`, or one a
//! recipient lists under `packages:`) and by the host of an HTTP request (the catalog's hosts,
//! a recipient's `hosts:`, or any other literal host outside the system: loopback, private
//! addresses and the controller's own domain are inside it).
//!
//! ## Why it matters
//! Data subjects must be told who receives their data (GDPR Articles 13(1)(e) and 14(1)(e)),
//! the record of processing lists the recipients (Article 30(1)(d)), and a processor needs a
//! contract (Article 28). Kazakhstan's Law on Personal Data and their Protection requires the
//! subject's consent, or a basis in law, to disclose personal data to a third party.
//!
//! ## Example
//! ```rust
//! let customer = stripe::Customer::create(&client, CreateCustomer {
//!     email: Some(&user.email), ..Default::default() }).await?;   // no recipient `stripe`
//! ```
//!
//! ## Use instead
//! ```yaml
//! recipients:
//!   stripe: { purposes: [payments], data: [email], country: US,
//!             safeguard: standard_contractual_clauses }
//! ```
//!
//! ## How to fix or suppress
//! Declare the recipient (a key equal to a catalog id inherits its packages and hosts; other
//! recipients say `hosts:` or `packages:`), list the elements it receives, or stop sending
//! them. `privlint rules --recipients` lists the catalog. Suppress one call with
//! `privlint: ignore[undeclared-recipient] <reason>`.

use super::{Check, Context, capitalise, join_keys, join_names};
use crate::attribution::Receiver;
use crate::finding::{DataRef, Finding, Severity};
use crate::graph::{Label, Origin};
use std::collections::BTreeMap;

pub static CHECK: Check = Check {
    id: "undeclared-recipient",
    severity: Severity::Error,
    summary: "Personal data reaching a third party that the data map does not declare for it.",
    doc: include_str!("undeclared_recipient.rs"),
    run,
};

fn run(cx: &Context<'_, '_>) -> Vec<Finding> {
    let Some(att) = cx.datamap else {
        return Vec::new();
    };
    let program = cx.program;
    let classifier = &program.rules.classifier;
    let catalog = &program.rules.recipients;
    let by_sink = super::data_by_sink(cx, |hit, _| {
        hit.sink.target.is_some() && !program.units[hit.sink.unit as usize].is_test
    });
    let mut out = Vec::new();
    for (sink, labels) in by_sink {
        let Some(receiver) = att.receiver(program.rules, sink) else {
            continue;
        };
        let mut data: BTreeMap<String, (DataRef, &Label)> = BTreeMap::new();
        let mut elements: Vec<&str> = Vec::new();
        for label in &labels {
            let Origin::Data(category) = label.origin else {
                continue;
            };
            let found = att.elements_for(&classifier.category(category).key);
            let listed = match &receiver {
                Receiver::Declared(key) => att.map.recipients.get(key).is_some_and(|r| {
                    found.is_empty() || r.data.iter().any(|d| found.contains(&d.as_str()))
                }),
                _ => false,
            };
            if listed {
                continue;
            }
            if let Some(e) = found.first() {
                elements.push(e);
            }
            let d = cx.data_ref(category);
            data.entry(d.category.clone()).or_insert((d, label));
        }
        if data.is_empty() {
            continue;
        }
        elements.sort_unstable();
        elements.dedup();
        let names: Vec<String> = data
            .values()
            .map(|(d, _)| crate::graph::eval::in_sentence(&d.name))
            .collect();
        let what = capitalise(&join_names(&names));
        let verb = if names.len() > 1 { "reach" } else { "reaches" };
        let list = if elements.is_empty() {
            "[...]".to_string()
        } else {
            format!("[{}]", elements.join(", "))
        };
        let (message, help) = match &receiver {
            Receiver::Declared(key) => (
                format!(
                    "{what} {verb} the recipient `{key}` through `{}`, but its declaration does \
                     not list {}",
                    sink.callee,
                    if elements.is_empty() {
                        "it".to_string()
                    } else {
                        join_keys(&elements)
                    }
                ),
                format!(
                    "add {} to `recipients.{key}.data` (and tell data subjects), or stop sending it",
                    if elements.is_empty() {
                        "the element".to_string()
                    } else {
                        join_keys(&elements)
                    }
                ),
            ),
            Receiver::Catalog(id) => {
                let r = catalog.get(*id);
                (
                    format!(
                        "{what} {verb} {} ({}) through `{}`, which the data map does not declare \
                         as a recipient",
                        r.name, r.country, sink.callee
                    ),
                    format!(
                        "declare it under `recipients:`: `{}: {{ purposes: [...], data: {list}, \
                         country: {}, safeguard: ... }}`, or stop sending personal data to it",
                        r.id, r.country
                    ),
                )
            }
            Receiver::Host(host) => (
                format!(
                    "{what} {verb} `{host}` in the HTTP request `{}`, and no recipient of the data \
                     map has that host",
                    sink.callee
                ),
                format!(
                    "declare who runs `{host}` under `recipients:` with `hosts: [{host}]`, \
                     `data: {list}` and its country, or stop sending personal data there"
                ),
            ),
        };
        let refs: Vec<DataRef> = data.values().map(|(d, _)| d.clone()).collect();
        let primary = data.values().next().map(|(_, l)| *l);
        out.push(super::sink_finding(
            cx, &CHECK, sink, primary, "sent by", message, refs, help,
        ));
    }
    out
}
