//! # missing-erasure
//!
//! ## What it finds
//! Personal data that is stored and cannot be deleted or anonymised on request:
//! - a store (an ORM model, a table from a schema or a migration, a document-store collection
//!   or a Redis key prefix written with personal data) whose fields hold personal data, with
//!   no delete, anonymisation or time to live anywhere in the code (its own, or a cascade from
//!   a parent it belongs to);
//! - a store whose deletions exist only in code no entry point reaches: dead code erases
//!   nothing (entry points are web handlers, tasks, commands, `main`, module-level code, and
//!   functions handed over by name);
//! - an erasure entry point the data map declares (`stores.<key>.erasure`) that the code does
//!   not define;
//! - a declared erasure entry point that erases some of the stores holding its data subjects'
//!   data but not others (the message lists which it reaches and which it misses);
//! - a store with a declared `retention` and no operation that deletes or anonymises its rows
//!   by age (a warning).
//!
//! Runs when there is a data map; stores in test files are not counted.
//!
//! ## Why it matters
//! People have the right to have their data erased (GDPR Article 17) and the controller must
//! keep it no longer than needed (Article 5(1)(e)); Kazakhstan's Law on Personal Data and their
//! Protection and the Digital Code give the subject the right to have processing stopped and the
//! data deleted or anonymised. A table no code can clear makes that promise impossible to keep,
//! and an erasure endpoint that forgets the orders table keeps the shipping addresses of people
//! who asked to be forgotten.
//!
//! ## Example
//! ```python
//! class Customer(models.Model):
//!     email = models.EmailField()          # nothing ever deletes a Customer
//! ```
//!
//! ## Use instead
//! ```python
//! @api_view(["DELETE"])
//! def delete_account(request):
//!     Order.objects.filter(customer=request.user.customer).delete()
//!     request.user.customer.delete()
//! ```
//! and declare it: `stores: { customers: { entity: Customer, erasure: ["accounts.delete_account"] } }`.
//!
//! ## How to fix or suppress
//! Add a deletion or anonymisation of the store to the erasure flow and reach it from an entry
//! point; declare that entry point under `stores.<key>.erasure`; purge rows older than the
//! retention from a scheduled job. Where another system erases the data, suppress on the model
//! with the reason: `# privlint: ignore[missing-erasure] rows are erased by the CRM sync`.

use super::{Check, Context, join_keys, join_names};
use crate::datamap::pointer_escape;
use crate::finding::{DataRef, Finding, Severity};
use std::collections::BTreeSet;

pub static CHECK: Check = Check {
    id: "missing-erasure",
    severity: Severity::Error,
    summary: "Stored personal data that no reachable code deletes or anonymises.",
    doc: include_str!("missing_erasure.rs"),
    run,
};

fn run(cx: &Context<'_, '_>) -> Vec<Finding> {
    let (Some(att), Some(stores), Some(calls)) = (cx.datamap, cx.stores, cx.calls) else {
        return Vec::new();
    };
    let program = cx.program;
    let classifier = &program.rules.classifier;
    let mut out = Vec::new();
    let names = |s: usize| -> (String, Vec<DataRef>) {
        let refs: Vec<DataRef> = stores.stores[s]
            .categories
            .iter()
            .map(|c| cx.data_ref(*c))
            .collect();
        let list: Vec<String> = refs
            .iter()
            .map(|d| crate::graph::eval::in_sentence(&d.name))
            .collect();
        (join_names(&list), refs)
    };
    for (i, store) in stores.stores.iter().enumerate() {
        if store.categories.is_empty() {
            continue;
        }
        let (held, data) = names(i);
        let what = describe(store);
        let ops: Vec<&crate::erasure::Op> = stores.erasing(i).collect();
        if ops.is_empty() {
            out.push(crate::findings::build(
                program,
                CHECK.id,
                CHECK.severity,
                format!("{what} stores {held}, and no code deletes or anonymises its rows"),
                store.unit,
                store.span,
                data,
                &[],
                format!(
                    "add a deletion (or an anonymisation of its personal fields) to the flow that \
                     serves erasure requests, reach it from an entry point, and list that entry \
                     point under `stores.{}.erasure` in the data map; if another system erases \
                     these rows, add `privlint: ignore[missing-erasure] <reason>` above the model",
                    store.key
                ),
            ));
            continue;
        }
        if !ops.iter().any(|o| stores.reachable.contains(&o.function)) {
            let first = ops[0];
            let f = program.function(first.function);
            out.push(crate::findings::build(
                program,
                CHECK.id,
                CHECK.severity,
                format!(
                    "{what} stores {held}, and its only erasure, `{}` in `{}`, is not reachable \
                     from any entry point",
                    first.callee, f.name
                ),
                first.function.unit,
                first.span,
                data,
                &[],
                format!(
                    "call `{}` from the endpoint, task or command that handles erasure requests, \
                     or declare it under `stores.{}.erasure`; code nothing calls erases nothing",
                    f.name, store.key
                ),
            ));
        }
    }

    // Declared erasure entry points.
    for (key, declared) in &att.map.stores {
        let pointer = format!("/stores/{}", pointer_escape(key));
        let subjects: BTreeSet<&str> = declared
            .data
            .iter()
            .filter_map(|d| att.map.data.get(d))
            .flat_map(|e| e.subjects.iter().map(String::as_str))
            .collect();
        for (i, name) in declared.erasure.iter().enumerate() {
            let item = format!("{pointer}/erasure/{i}");
            let Some(function) = crate::erasure::entry::resolve(program, name) else {
                out.extend(cx.declaration_finding(
                    CHECK.id,
                    CHECK.severity,
                    &item,
                    format!(
                        "The erasure entry point `{name}` of store `{key}` is not defined in the \
                         code"
                    ),
                    "name an existing function as `module.function` (Python) or \
                     `module::function` (Rust), or remove the entry"
                        .to_string(),
                    Vec::new(),
                ));
                continue;
            };
            // The stores that hold this subject's data: any with a category one of the
            // subject's elements covers.
            let subject_categories: Vec<&str> = att
                .map
                .data
                .values()
                .filter(|e| e.subjects.iter().any(|s| subjects.contains(s.as_str())))
                .map(|e| e.category.as_str())
                .collect();
            let holding: BTreeSet<usize> = stores
                .stores
                .iter()
                .enumerate()
                .filter(|(_, s)| {
                    s.categories.iter().any(|c| {
                        let k = &classifier.category(*c).key;
                        subject_categories
                            .iter()
                            .any(|d| crate::attribution::covers(d, k))
                    })
                })
                .map(|(i, _)| i)
                .collect();
            let erased = stores.erased_from(calls, function);
            let missed: Vec<&str> = holding
                .iter()
                .filter(|s| !erased.contains(s))
                .map(|s| crate::erasure::declared_key(att.map, &stores.stores[*s]))
                .collect();
            if missed.is_empty() {
                continue;
            }
            let reached: Vec<&str> = erased
                .iter()
                .map(|s| crate::erasure::declared_key(att.map, &stores.stores[*s]))
                .collect();
            let who = if subjects.is_empty() {
                "the store's data subjects".to_string()
            } else {
                join_keys(&subjects.iter().copied().collect::<Vec<_>>())
            };
            out.extend(cx.declaration_finding(
                CHECK.id,
                CHECK.severity,
                &item,
                format!(
                    "The erasure entry point `{name}` erases {} but not {}, which also hold data \
                     of {who}",
                    if reached.is_empty() {
                        "nothing".to_string()
                    } else {
                        join_keys(&reached)
                    },
                    join_keys(&missed),
                ),
                format!(
                    "delete or anonymise {} in `{name}` (or in a function it calls), or let the \
                     database cascade the deletion (`ON DELETE CASCADE`)",
                    join_keys(&missed)
                ),
                Vec::new(),
            ));
        }
        // Retention: something must purge rows older than it.
        if let Some(retention) = &declared.retention {
            let store = stores.of_declared(key, declared);
            let purged = store.is_some_and(|s| stores.purged_by_age(s));
            if store.is_some() && !purged {
                out.extend(cx.declaration_finding(
                    CHECK.id,
                    Severity::Warning,
                    &format!("{pointer}/retention"),
                    format!(
                        "The store `{key}` keeps data for {retention}, but no scheduled job or \
                         query deletes or anonymises its rows older than that"
                    ),
                    format!(
                        "add a job that runs on a schedule and deletes (or anonymises) `{key}` \
                         rows older than {retention}, e.g. \
                         `filter(created_at__lt=now() - timedelta(...)).delete()`"
                    ),
                    Vec::new(),
                ));
            }
        }
    }
    out
}

fn describe(store: &crate::erasure::Store) -> String {
    use crate::erasure::Backend;
    use crate::rules::KeepsBy;
    match &store.backend {
        Backend::Kept {
            by: KeepsBy::Key, ..
        } => return format!("The {} `{}:*`", store.kind, store.key),
        Backend::Kept {
            by: KeepsBy::Collection,
            ..
        } => return format!("The {} `{}`", store.kind, store.key),
        Backend::Schema => {}
    }
    match (&store.entity, &store.table) {
        (Some(e), Some(t)) => format!("The {} `{e}` (table `{t}`)", store.kind),
        (Some(e), None) => format!("The {} `{e}`", store.kind),
        (None, _) => format!("The table `{}`", store.key),
    }
}
