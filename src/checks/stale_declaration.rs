//! # stale-declaration
//!
//! ## What it finds
//! A declaration in the data map with no trace in the code, reported on its line in the YAML:
//! - an element (`data:`) whose category no field, variable or value in the code has, that no
//!   `fields:` entry or `privlint: data(...)` annotation points at, and whose key names nothing;
//! - a `code:` glob of a purpose that matches no scanned file;
//! - a purpose tied to no code at all (no glob, no annotation, no declared recipient serving
//!   it) in a data map that ties other purposes to code;
//! - a recipient that privlint can recognise (a catalog id, or `hosts:`/`packages:`) that the
//!   code never calls;
//! - a store whose `entity:` names a struct, class or model the code does not define, nor a
//!   table, collection or key prefix found as a store (a table only a migration creates, a
//!   document-store collection).
//!
//! Only reported when the scan covers the data map's whole folder, so scanning one
//! subdirectory does not make the rest look unused.
//!
//! ## Why it matters
//! A record of processing must be accurate (GDPR Article 30, and the accountability principle
//! of Article 5(2)); one that lists processing the system no longer does hides the processing
//! it does, and keeps consent texts and contracts for recipients that no longer receive
//! anything. Kazakhstan's law asks the owner to keep the list of processed data current.
//!
//! ## Example
//! ```yaml
//! data:
//!   fax: { category: user.contact.fax_number, subjects: [customer] }   # nothing in the code
//! ```
//!
//! ## Use instead
//! Remove the declaration, or point it at the code that processes it (`fields: [Customer.fax]`
//! on the element, a `code:` glob, `privlint: data(fax)` on the field).
//!
//! ## How to fix or suppress
//! Delete or correct the declaration. Processing privlint cannot see (a vendor reached from
//! another system) is better declared in that system's data map.

use super::{Check, Context, join_keys};
use crate::attribution::{Receiver, covers};
use crate::classify::tokens;
use crate::datamap::pointer_escape;
use crate::finding::{Finding, Severity};
use crate::graph::Origin;
use crate::ir::for_each_call;
use std::collections::BTreeSet;

pub static CHECK: Check = Check {
    id: "stale-declaration",
    severity: Severity::Warning,
    summary: "A declaration in the data map with no trace in the code.",
    doc: include_str!("stale_declaration.rs"),
    run,
};

fn run(cx: &Context<'_, '_>) -> Vec<Finding> {
    let Some(att) = cx.datamap else {
        return Vec::new();
    };
    if !cx.covers_datamap {
        return Vec::new();
    }
    let program = cx.program;
    let map = att.map;
    let classifier = &program.rules.classifier;
    let mut out = Vec::new();
    let mut warn = |pointer: String, message: String, help: String| {
        out.extend(cx.declaration_finding(
            CHECK.id,
            CHECK.severity,
            &pointer,
            message,
            help,
            Vec::new(),
        ));
    };

    // Categories the code has: personal fields of types, and everything that reached a sink.
    let mut found: BTreeSet<&str> = BTreeSet::new();
    for types in program.types.values() {
        for info in types.values() {
            for f in &info.personal {
                found.insert(&classifier.category(f.category).key);
            }
        }
    }
    for hit in cx.hits {
        for l in &hit.labels {
            if let Origin::Data(c) = l.origin {
                found.insert(&classifier.category(c).key);
            }
        }
    }
    // Every name the code declares: fields, parameters, types; for elements no category shows.
    let mut names: BTreeSet<String> = BTreeSet::new();
    let mut type_names: BTreeSet<&str> = BTreeSet::new();
    let mut typed_fields: BTreeSet<String> = BTreeSet::new();
    for unit in &program.units {
        for t in &unit.facts.types {
            type_names.insert(&t.name);
            for f in &t.fields {
                names.insert(tokens(&f.name).join("_"));
                typed_fields.insert(format!("{}.{}", t.name, f.name));
            }
        }
        for f in &unit.facts.functions {
            for p in &f.params {
                names.insert(tokens(&p.name).join("_"));
            }
        }
    }
    let annotated = att.annotated_elements();
    for (key, element) in &map.data {
        let traced = found.iter().any(|c| covers(&element.category, c))
            || annotated.contains(key.as_str())
            || element.fields.iter().any(|f| typed_fields.contains(f))
            || names
                .iter()
                .any(|n| contains_run(n, &tokens(key).join("_")));
        if !traced {
            warn(
                format!("/data/{}", pointer_escape(key)),
                format!(
                    "The element `{key}` ({}) has no trace in the code: no field, variable or \
                     value of that category, and no `fields:` entry or annotation points at one",
                    element.category
                ),
                format!(
                    "remove `{key}` if the system no longer processes it, or map it to the code: \
                     `fields: [Type.field]` on the element, or `privlint: data({key})` on the field"
                ),
            );
        }
    }

    let annotated_purposes = att.annotated_purposes();
    let served: BTreeSet<&str> = map
        .recipients
        .values()
        .flat_map(|r| r.purposes.iter().map(String::as_str))
        .collect();
    for (key, purpose) in &map.purposes {
        for (i, glob) in purpose.code.iter().enumerate() {
            if !att.glob_matches_any(key, glob) {
                warn(
                    format!("/purposes/{}/code/{i}", pointer_escape(key)),
                    format!("The code glob `{glob}` of purpose `{key}` matches no scanned file"),
                    format!(
                        "correct the glob (paths are relative to the data map's folder, {}) or \
                         remove it",
                        crate::findings::display_path(&map.root)
                    ),
                );
            }
        }
        if purpose.code.is_empty()
            && att.has_scopes()
            && !annotated_purposes.contains(key.as_str())
            && !served.contains(key.as_str())
        {
            warn(
                format!("/purposes/{}", pointer_escape(key)),
                format!(
                    "The purpose `{key}` is tied to no code: no `code:` glob, no \
                     `privlint: purpose({key})` annotation and no recipient serving it"
                ),
                format!(
                    "add `code: [\"path/**\"]` to `{key}`, annotate the functions that serve it, \
                     or remove it if the system no longer does this"
                ),
            );
        }
    }

    let catalog = &program.rules.recipients;
    let reached: BTreeSet<String> = cx
        .hits
        .iter()
        .filter_map(|h| match att.receiver(program.rules, &h.sink) {
            Some(Receiver::Declared(k)) => Some(k),
            _ => None,
        })
        .collect();
    for (key, recipient) in &map.recipients {
        let traceable = catalog.by_key(key).is_some()
            || !recipient.hosts.is_empty()
            || !recipient.packages.is_empty();
        if traceable && !reached.contains(key) {
            warn(
                format!("/recipients/{}", pointer_escape(key)),
                format!(
                    "The recipient `{key}` is never called: no call into its SDK and no request \
                     to its hosts was found"
                ),
                format!(
                    "remove `{key}` if the system no longer sends it data, or correct its \
                     `hosts:`/`packages:`"
                ),
            );
        }
    }

    for (key, store) in &map.stores {
        if let Some(entity) = &store.entity
            && !type_names.contains(entity.as_str())
            && !defines_table(program, entity)
            // A table only a migration creates, a MongoDB collection, a Redis key prefix.
            && cx.stores.is_none_or(|s| s.by_name(entity).is_none())
        {
            warn(
                format!("/stores/{}/entity", pointer_escape(key)),
                format!(
                    "The store `{key}` names the entity `{entity}`, which no struct, class or \
                     model in the code defines"
                ),
                format!(
                    "correct `entity:` to the model's name (declared types: {}), or remove the \
                     store",
                    sample(&type_names)
                ),
            );
        }
    }
    out
}

/// Whether `name` contains `word` as a run of whole tokens (`billing_fax_number` has `fax`).
fn contains_run(name: &str, word: &str) -> bool {
    !word.is_empty()
        && (name == word
            || name.starts_with(&format!("{word}_"))
            || name.ends_with(&format!("_{word}"))
            || name.contains(&format!("_{word}_")))
}

/// Whether a call in the code names the entity as a table (`table!` blocks, `__tablename__`).
fn defines_table(program: &crate::graph::Program<'_>, entity: &str) -> bool {
    let mut seen = false;
    for unit in &program.units {
        for f in &unit.facts.functions {
            for_each_call(&f.body, |c| {
                if c.name == entity {
                    seen = true;
                }
            });
            if seen {
                return true;
            }
        }
    }
    false
}

fn sample(names: &BTreeSet<&str>) -> String {
    let shown: Vec<&str> = names.iter().copied().take(5).collect();
    if shown.is_empty() {
        "none".into()
    } else if names.len() > shown.len() {
        format!("{}, ...", join_keys(&shown))
    } else {
        join_keys(&shown)
    }
}
