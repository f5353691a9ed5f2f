//! # undeclared-data
//!
//! ## What it finds
//! Personal data of a category that no element of the data map covers: a field of a struct,
//! class or model, or a value on its way to a log, a database, a file, a queue or a third party,
//! whose category (by its name, its value, a `fields:` mapping or a `privlint: data(...)`
//! annotation) is neither declared under `data:` nor below a declared category
//! (`user.contact` covers `user.contact.email`). Runs when there is a data map; reported once
//! per category and file, at the first place it appears there (a definition before a use).
//!
//! ## Why it matters
//! The data map is the list of personal data the system processes. A category missing from it
//! is processing nobody approved and the record of processing does not show: GDPR Article
//! 30(1)(c) (the record lists the categories of personal data) and Article 5(1)(c) (data
//! minimisation); Kazakhstan's Law on Personal Data and their Protection requires the owner to
//! approve the list of personal data needed for each task and to collect nothing beyond it.
//!
//! ## Example
//! ```python
//! class Customer(BaseModel):
//!     email: str
//!     phone: str      # no element of datamap.yml has category user.contact.phone_number
//! ```
//!
//! ## Use instead
//! ```yaml
//! data:
//!   phone: { category: user.contact.phone_number, subjects: [customer] }
//! purposes:
//!   accounts: { legal_basis: contract, data: [email, phone], code: ["src/accounts/**"] }
//! ```
//!
//! ## How to fix or suppress
//! Declare an element for the category and list it in the purposes that use it, or stop
//! collecting the data. A name the classifier misreads (a `phone_model` that is not a phone
//! number) is better renamed or suppressed on its line with a reason:
//! `# privlint: ignore[undeclared-data] device model string, not a number`.

use super::{Check, Context};
use crate::classify::CategoryId;
use crate::finding::{Finding, Severity};
use crate::graph::{At, Origin};
use crate::ir::Span;
use std::collections::BTreeMap;

pub static CHECK: Check = Check {
    id: "undeclared-data",
    severity: Severity::Error,
    summary: "Personal data of a category that no element of the data map declares.",
    doc: include_str!("undeclared_data.rs"),
    run,
};

/// The first place a category shows in a file, and how many places there are.
struct Seen {
    /// (0 for a definition, 1 for a use; span start) so definitions come first.
    rank: (u8, u32),
    span: Span,
    note: String,
    places: usize,
}

fn run(cx: &Context<'_, '_>) -> Vec<Finding> {
    let Some(att) = cx.datamap else {
        return Vec::new();
    };
    let program = cx.program;
    let classifier = &program.rules.classifier;
    let mut seen: BTreeMap<(u32, CategoryId), Seen> = BTreeMap::new();
    let mut note = |unit: u32, category: CategoryId, rank: u8, span: Span, text: String| {
        if program.units[unit as usize].is_test || classifier.category(category).pseudonymous {
            return;
        }
        let entry = seen.entry((unit, category)).or_insert_with(|| Seen {
            rank: (rank, span.start),
            span,
            note: text.clone(),
            places: 0,
        });
        entry.places += 1;
        if ((rank, span.start), span.end, &text) < (entry.rank, entry.span.end, &entry.note) {
            entry.rank = (rank, span.start);
            entry.span = span;
            entry.note = text;
        }
    };
    for types in program.types.values() {
        let mut names: Vec<&String> = types.keys().collect();
        names.sort();
        for name in names {
            for field in &types[name].personal {
                note(
                    field.unit,
                    field.category,
                    0,
                    field.span,
                    format!("the field `{name}.{}`", field.name),
                );
            }
        }
    }
    for hit in cx.hits {
        for label in &hit.labels {
            let Origin::Data(category) = label.origin else {
                continue;
            };
            let Some(At {
                unit,
                span,
                note: text,
            }) = label.hops.first()
            else {
                continue;
            };
            let what = text
                .split('`')
                .nth(1)
                .map_or_else(|| "a value".to_string(), |v| format!("`{v}`"));
            note(*unit, category, 1, *span, what);
        }
    }
    let mut out = Vec::new();
    for ((unit, category), s) in seen {
        let c = classifier.category(category);
        if !att.elements_for(&c.key).is_empty() {
            continue;
        }
        let more = match s.places {
            0 | 1 => String::new(),
            2 => "; 1 more place in this file".to_string(),
            n => format!("; {} more places in this file", n - 1),
        };
        let name = crate::graph::eval::in_sentence(&c.name);
        let message = format!(
            "{} ({}) is processed here, in {}, but no element of the data map declares it{more}",
            super::capitalise(&name),
            c.key,
            s.note
        );
        let help = format!(
            "declare it under `data:` in {}, e.g. `{}: {{ category: {}, subjects: [customer] }}`, \
             and list it in the purposes that use it; if it is not personal data, rename it or add \
             `privlint: ignore[undeclared-data] <reason>` on the line above",
            crate::findings::display_path(&att.map_file()),
            suggested_key(&c.key),
            c.key
        );
        out.push(crate::findings::build(
            program,
            CHECK.id,
            CHECK.severity,
            message,
            unit,
            s.span,
            vec![cx.data_ref(category)],
            &[],
            help,
        ));
    }
    out
}

/// An element key for a category: its last segment (`phone_number`).
fn suggested_key(category: &str) -> &str {
    category.rsplit('.').next().unwrap_or(category)
}
