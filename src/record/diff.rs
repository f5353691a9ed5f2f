//! The privacy diff: what changed in the processing between two revisions. Declarations
//! (elements, purposes, recipients, stores) are compared on the records of both, and the flows
//! on what the code was seen to do (`element → purposes → sink`).

use super::Record;
use crate::finding::Delta;
use crate::processing::Processing;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// What changed in one kind of declaration.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Changes {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    /// Kept, but declared differently: the key and each difference (`legal basis: consent →
    /// contract`).
    pub changed: Vec<Changed>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Changed {
    pub key: String,
    pub differences: Vec<String>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }

    /// The keys added and removed, without the changes.
    pub fn delta(&self) -> Delta {
        Delta {
            added: self.added.clone(),
            removed: self.removed.clone(),
        }
    }
}

/// What changed in processing between the base revision and the scanned tree.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RecordDiff {
    /// The revision compared against, as given.
    pub base: String,
    pub elements: Changes,
    pub purposes: Changes,
    pub recipients: Changes,
    pub stores: Changes,
    /// `element → purposes → sink` as the code does it.
    pub flows: Delta,
}

impl RecordDiff {
    pub fn is_empty(&self) -> bool {
        self.elements.is_empty()
            && self.purposes.is_empty()
            && self.recipients.is_empty()
            && self.stores.is_empty()
            && self.flows.is_empty()
    }
}

/// Each declared item as the fields that matter for a reviewer, by key.
type Described = BTreeMap<String, Vec<(&'static str, String)>>;

fn compare(base: &Described, head: &Described) -> Changes {
    let mut out = Changes::default();
    for (key, fields) in head {
        match base.get(key) {
            None => out.added.push(key.clone()),
            Some(old) => {
                let differences: Vec<String> = fields
                    .iter()
                    .zip(old)
                    .filter(|((_, new), (_, old))| new != old)
                    .map(|((name, new), (_, old))| format!("{name}: {old} → {new}"))
                    .collect();
                if !differences.is_empty() {
                    out.changed.push(Changed {
                        key: key.clone(),
                        differences,
                    });
                }
            }
        }
    }
    out.removed = base
        .keys()
        .filter(|k| !head.contains_key(*k))
        .cloned()
        .collect();
    out
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "none".into()
    } else {
        items.join(", ")
    }
}

fn opt(value: Option<&String>) -> String {
    value.cloned().unwrap_or_else(|| "not set".into())
}

/// The key a row goes by: the key, with its system when the record covers several.
fn key_of(record: &Record, system: &str, key: &str) -> String {
    if record.systems.len() > 1 {
        format!("{system}/{key}")
    } else {
        key.to_string()
    }
}

fn describe_purposes(r: &Record) -> Described {
    r.purposes
        .iter()
        .map(|p| {
            let data: Vec<String> = p.categories.iter().map(|c| c.element.clone()).collect();
            let recipients: Vec<String> = p.recipients.iter().map(|c| c.key.clone()).collect();
            let stores: Vec<String> = p.stores.iter().map(|c| c.key.clone()).collect();
            (
                key_of(r, &p.system, &p.key),
                vec![
                    ("legal basis", p.legal_basis.clone()),
                    ("data", list(&data)),
                    ("recipients", list(&recipients)),
                    ("stores", list(&stores)),
                ],
            )
        })
        .collect()
}

fn describe_elements(r: &Record) -> Described {
    r.elements
        .iter()
        .map(|e| {
            (
                key_of(r, &e.system, &e.key),
                vec![
                    ("category", e.category.clone()),
                    ("subjects", list(&e.subjects)),
                ],
            )
        })
        .collect()
}

fn describe_recipients(r: &Record) -> Described {
    r.recipients
        .iter()
        .filter(|x| x.declared)
        .map(|x| {
            (
                key_of(r, &x.system, &x.key),
                vec![
                    ("country", opt(x.country.as_ref())),
                    ("safeguard", opt(x.safeguard.as_ref())),
                    ("purposes", list(&x.purposes)),
                    ("data", list(&x.data)),
                ],
            )
        })
        .collect()
}

fn describe_stores(r: &Record) -> Described {
    r.stores
        .iter()
        .filter(|s| s.declared)
        .map(|s| {
            (
                key_of(r, &s.system, &s.key),
                vec![
                    ("location", opt(s.location.as_ref())),
                    ("retention", opt(s.retention.as_ref())),
                    ("data", list(&s.data)),
                    ("erasure", s.erasure_status.clone()),
                ],
            )
        })
        .collect()
}

impl RecordDiff {
    /// What `head` declares and does differently from `base`; the flows are those of the
    /// places each scan found processing personal data.
    pub fn between(
        revision: &str,
        base: &Record,
        head: &Record,
        base_processing: &[Processing],
        head_processing: &[Processing],
    ) -> Self {
        let flows = |p: &[Processing]| p.iter().map(Processing::flow).collect::<BTreeSet<_>>();
        let (base_flows, head_flows) = (flows(base_processing), flows(head_processing));
        RecordDiff {
            base: revision.to_string(),
            elements: compare(&describe_elements(base), &describe_elements(head)),
            purposes: compare(&describe_purposes(base), &describe_purposes(head)),
            recipients: compare(&describe_recipients(base), &describe_recipients(head)),
            stores: compare(&describe_stores(base), &describe_stores(head)),
            flows: Delta::between(
                base_flows.iter().map(String::as_str),
                head_flows.iter().map(String::as_str),
            ),
        }
    }
}
