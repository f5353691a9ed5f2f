//! What the code was seen to do with personal data: each place where personal data reaches a
//! sink (a database write, a file, a queue, an HTTP request, a third-party SDK, a log), with the
//! data map's elements it is, the purposes that apply there and who receives it.
//!
//! The record of processing (`privlint report`) cites these places as evidence for each purpose
//! and element; the privacy diff compares the flows they make between two revisions.

use crate::attribution::{Attribution, Receiver};
use crate::finding::Location;
use crate::graph::{Origin, Program, SinkHit};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// One place where personal data is processed. Ordered by place first.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Processing {
    /// Where the sink is.
    pub location: Location,
    /// The data map's element (its key); `None` when no element covers the category.
    pub element: Option<String>,
    /// The data category found (`user.contact.email`).
    pub category: String,
    /// The purposes that apply at the sink (keys of the data map's `purposes`), sorted.
    pub purposes: Vec<String>,
    /// What kind of sink: `log`, `store`, `file`, `queue`, `http`, `recipient`.
    pub kind: String,
    /// The kind of sink in words: `database write`, `log call`.
    pub sink: String,
    /// Who receives the data, for sinks that leave the system: a declared recipient's key, a
    /// catalog entry's id, or a host.
    pub receiver: Option<String>,
    /// Whether `receiver` is a recipient the data map declares.
    pub declared_receiver: bool,
    /// The call as written (`requests.post`, `info!`).
    pub callee: String,
}

impl Processing {
    /// The flow this place makes, without where it is: `email → marketing → recipient mailgun`,
    /// `phone → delivery → http api.sms.kz`, `email → accounts → store`.
    /// Two revisions are compared on these.
    pub fn flow(&self) -> String {
        let data = self.element.as_deref().unwrap_or(&self.category);
        let purposes = if self.purposes.is_empty() {
            "no purpose".to_string()
        } else {
            self.purposes.join(", ")
        };
        // A recipient is one whether reached by its SDK or by its API host.
        let to = match &self.receiver {
            Some(r) if self.declared_receiver || self.kind == "recipient" => {
                format!("recipient {r}")
            }
            Some(r) => format!("{} {r}", self.kind),
            None => self.kind.clone(),
        };
        format!("{data} → {purposes} → {to}")
    }
}

/// Every place where personal data reaches a sink outside test code, sorted by place, element
/// and category; one entry per element (or per category when no element covers it) and sink.
pub fn collect(program: &Program<'_>, hits: &[SinkHit], att: &Attribution<'_>) -> Vec<Processing> {
    let classifier = &program.rules.classifier;
    let mut out: Vec<Processing> = Vec::new();
    for hit in hits {
        let unit = &program.units[hit.sink.unit as usize];
        if unit.is_test {
            continue;
        }
        let categories: BTreeSet<_> = hit
            .labels
            .iter()
            .filter_map(|l| match l.origin {
                Origin::Data(c) => Some(c),
                Origin::Param(_) => None,
            })
            .collect();
        if categories.is_empty() {
            continue;
        }
        let receiver = att.receiver(program.rules, &hit.sink);
        let mut purposes: Vec<String> = att
            .purposes_at_sink(&hit.sink, receiver.as_ref())
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        purposes.sort();
        purposes.dedup();
        let (receiver, declared_receiver) = match receiver {
            Some(Receiver::Declared(key)) => (Some(key), true),
            Some(Receiver::Catalog(id)) => {
                (Some(program.rules.recipients.get(id).id.clone()), false)
            }
            Some(Receiver::Host(host)) => (Some(host), false),
            None => (None, false),
        };
        let location = crate::findings::location(unit, hit.sink.span);
        for category in categories {
            let key = &classifier.category(category).key;
            let elements = att.elements_for(key);
            let elements: Vec<Option<String>> = if elements.is_empty() {
                vec![None]
            } else {
                elements.into_iter().map(|e| Some(e.to_string())).collect()
            };
            for element in elements {
                out.push(Processing {
                    element,
                    category: key.clone(),
                    purposes: purposes.clone(),
                    kind: hit.sink.kind.as_str().to_string(),
                    sink: hit.sink.kind.describe().to_string(),
                    receiver: receiver.clone(),
                    declared_receiver,
                    callee: hit.sink.callee.clone(),
                    location: location.clone(),
                });
            }
        }
    }
    out.sort();
    out.dedup();
    out
}
