//! Stores that the calls themselves name: a document store's collections and a key-value
//! store's keys (the sinks with `keeps:` in `rules/sinks/*.yml`, `MongoDB` and Redis).
//!
//! A collection or key prefix is a store when personal data reaches a write to it (the flow
//! analysis's sink hits say which categories); a cache of non-personal data is not one. Its
//! operations are the sink's writes, its `deletes` (`delete_one`, `drop`, Redis `delete`), and
//! its `expires` (`expire`, `setex`, a write with `ex=`): a time to live deletes by age.

use super::{Backend, Op, OpKind, Store, Via};
use crate::graph::{FnId, Origin, Program, SinkHit};
use crate::ir::{Call, CompoundKind, Expr, Function, Stmt, for_each_call};
use crate::rules::{KeepsBy, Sink, place_text};
use rustc_hash::FxHashSet as HashSet;
use std::collections::{BTreeSet, HashMap};

/// What a call does to the place it names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Write,
    Delete,
    Expire,
}

/// One call on a kept store.
struct KeptCall<'p> {
    function: FnId,
    call: &'p Call,
    sink: &'p Sink,
    roles: Vec<Role>,
    /// The collection or key prefix, where the code spells it.
    name: Option<String>,
}

/// Names a collection is commonly bound to, which say nothing about which one it is.
const GENERIC: &[&str] = &[
    "collection",
    "coll",
    "col",
    "mongo",
    "mongodb",
    "db",
    "database",
    "client",
    "self",
];

/// Adds the collections and key prefixes written with personal data as stores.
pub fn detect(program: &Program<'_>, hits: &[SinkHit], out: &mut Vec<Store>) {
    let classifier = &program.rules.classifier;
    let mut by_site: HashMap<(u32, u32, u32), BTreeSet<crate::classify::CategoryId>> =
        HashMap::new();
    for hit in hits {
        let categories = by_site
            .entry((hit.sink.unit, hit.sink.span.start, hit.sink.span.end))
            .or_default();
        for label in &hit.labels {
            if let Origin::Data(c) = label.origin
                && !classifier.category(c).pseudonymous
            {
                categories.insert(c);
            }
        }
    }
    let mut writes: Vec<KeptCall<'_>> = calls(program)
        .into_iter()
        .filter(|k| k.roles.contains(&Role::Write) && k.name.is_some())
        .collect();
    writes.sort_by_key(|k| (k.function.unit, k.call.span.start));
    for k in writes {
        let Some(categories) = by_site
            .get(&(k.function.unit, k.call.span.start, k.call.span.end))
            .filter(|c| !c.is_empty())
        else {
            continue;
        };
        let (Some(name), Some(keeps)) = (k.name, k.sink.keeps.as_ref()) else {
            continue;
        };
        let language = program.units[k.function.unit as usize].language;
        let backend = Backend::Kept {
            sink: k.sink.id.clone(),
            by: keeps.by,
        };
        if let Some(s) = out
            .iter_mut()
            .find(|s| s.backend == backend && s.key == name && s.language == language)
        {
            s.categories.extend(categories.iter().copied());
            continue;
        }
        out.push(Store {
            key: name,
            entity: None,
            table: None,
            language,
            unit: k.function.unit,
            span: k.call.span,
            kind: keeps.called.clone(),
            categories: categories.clone(),
            cascades_to: Vec::new(),
            backend,
        });
    }
}

/// The writes, deletions and times to live of the kept stores.
pub fn ops(program: &Program<'_>, stores: &[Store]) -> Vec<Op> {
    let mut out = Vec::new();
    if !stores
        .iter()
        .any(|s| matches!(s.backend, Backend::Kept { .. }))
    {
        return out;
    }
    for k in calls(program) {
        let language = program.units[k.function.unit as usize].language;
        let targets: Vec<usize> = stores
            .iter()
            .enumerate()
            .filter(|(_, s)| {
                s.language == language
                    && matches!(&s.backend, Backend::Kept { sink, .. } if *sink == k.sink.id)
            })
            .filter(|(_, s)| match (&k.name, &s.backend) {
                (Some(name), _) => s.key == *name,
                // A key the code builds where privlint cannot read it may be any of them; a
                // collection it cannot name is none of them.
                (None, Backend::Kept { by, .. }) => {
                    *by == KeepsBy::Key && !k.roles.contains(&Role::Write)
                }
                (None, Backend::Schema) => false,
            })
            .map(|(i, _)| i)
            .collect();
        for store in targets {
            for role in &k.roles {
                let (kind, older_than) = match role {
                    Role::Write => (OpKind::Write, None),
                    Role::Delete => (OpKind::Delete, None),
                    Role::Expire => (OpKind::Delete, Some("?".to_string())),
                };
                out.push(Op {
                    store,
                    kind,
                    function: k.function,
                    span: k.call.span,
                    callee: k.call.path.clone(),
                    older_than,
                    via: Via::Query,
                });
            }
        }
    }
    out
}

/// Every call on a `keeps:` sink's receivers, with what it does and what it names.
fn calls<'p>(program: &'p Program<'_>) -> Vec<KeptCall<'p>> {
    let mut out = Vec::new();
    for (u, unit) in program.units.iter().enumerate() {
        if unit.is_test {
            continue;
        }
        let Some(language_rules) = program.language_rules(u as u32) else {
            continue;
        };
        let sinks: Vec<&Sink> = language_rules
            .sinks
            .iter()
            .filter(|s| s.keeps.is_some())
            .collect();
        if sinks.is_empty() {
            continue;
        }
        // Names bound to a client or collection of each sink (`r = redis.Redis()`), its own
        // only: a Redis client is no MongoDB collection.
        let handles: Vec<HashSet<String>> = sinks
            .iter()
            .map(|sink| {
                unit.facts
                    .functions
                    .iter()
                    .flat_map(assignments)
                    .filter(|(_, v)| matches!(v, Expr::Call(c) if sink.is_factory(c)))
                    .map(|(t, _)| t)
                    .collect()
            })
            .collect();
        // Names bound at module level and to `self.x` in a class's methods.
        let mut shared: HashMap<String, &Expr> = HashMap::new();
        for f in &unit.facts.functions {
            for (target, value) in assignments(f) {
                if f.is_module_body || target.starts_with("self.") {
                    let key = match &f.owner {
                        Some(owner) if target.starts_with("self.") => format!("{owner}:{target}"),
                        _ => target,
                    };
                    shared.entry(key).or_insert(value);
                }
            }
        }
        for (index, f) in unit.facts.functions.iter().enumerate() {
            let function = FnId {
                unit: u as u32,
                index: index as u32,
            };
            let mut bindings: HashMap<String, &Expr> = HashMap::new();
            for (target, value) in assignments(f) {
                bindings.entry(target).or_insert(value);
            }
            let resolve = |name: &str| -> Option<&Expr> {
                if let Some(field) = name.strip_prefix("self.") {
                    let owner = f.owner.as_deref()?;
                    return shared.get(&format!("{owner}:self.{field}")).copied();
                }
                bindings.get(name).or_else(|| shared.get(name)).copied()
            };
            for_each_call(&f.body, |call| {
                for (sink, handles) in sinks.iter().zip(&handles) {
                    let Some(keeps) = &sink.keeps else { continue };
                    let mut roles = Vec::new();
                    let name = call.name.as_str();
                    if sink.matches(call, handles) {
                        roles.push(Role::Write);
                        let expiring = call.args.iter().any(|a| {
                            a.key
                                .as_deref()
                                .is_some_and(|k| keeps.expiry_keywords.iter().any(|e| e == k))
                        });
                        if expiring || keeps.expires.iter().any(|e| e == name) {
                            roles.push(Role::Expire);
                        }
                    } else if sink.on_receiver(call, handles) {
                        if keeps.deletes.iter().any(|d| d == name) {
                            roles.push(Role::Delete);
                        } else if keeps.expires.iter().any(|e| e == name) {
                            roles.push(Role::Expire);
                        }
                    }
                    if roles.is_empty() {
                        continue;
                    }
                    let name = match keeps.by {
                        KeepsBy::Collection => call
                            .receiver
                            .as_ref()
                            .and_then(|r| collection_of(r, &resolve, 0)),
                        KeepsBy::Key => call
                            .args
                            .iter()
                            .find(|a| a.key.is_none())
                            .and_then(|a| key_prefix(&a.value, &resolve, 0)),
                    };
                    out.push(KeptCall {
                        function,
                        call,
                        sink,
                        roles,
                        name,
                    });
                    break;
                }
            });
        }
    }
    out
}

/// `name = value` and `self.name = value` in a function, as (`name`, value).
fn assignments(f: &Function) -> impl Iterator<Item = (String, &Expr)> {
    f.body.iter().filter_map(|stmt| match stmt {
        Stmt::Assign { target, value, .. }
            if target.fields.is_empty() || (target.base == "self" && target.fields.len() == 1) =>
        {
            Some((place_text(target), value))
        }
        _ => None,
    })
}

/// The collection an expression stands for: `db.customers`, `db["customers"]`,
/// `client.shop.customers`, `db.get_collection("customers")`,
/// `db.collection::<Customer>("customers")`, or a name bound to one of these.
fn collection_of<'e>(
    e: &'e Expr,
    resolve: &impl Fn(&str) -> Option<&'e Expr>,
    depth: usize,
) -> Option<String> {
    if depth > 8 {
        return None;
    }
    match e {
        Expr::Place(p) => {
            let text = place_text(p);
            if let Some(bound) = resolve(&text) {
                return collection_of(bound, resolve, depth + 1);
            }
            let last = p.leaf();
            (!GENERIC.contains(&last.to_ascii_lowercase().as_str())).then(|| last.to_string())
        }
        Expr::Call(c) if matches!(c.name.as_str(), "get_collection" | "collection") => {
            c.args.iter().find_map(|a| match &a.value {
                Expr::Str { value, .. } => Some(value.clone()),
                _ => None,
            })
        }
        // `&coll`, `coll.clone()`, `(coll)`.
        Expr::Compound(c) if c.kind == CompoundKind::Other && c.parts.len() == 1 => {
            collection_of(&c.parts[0].value, resolve, depth + 1)
        }
        Expr::Call(c) if c.name == "clone" => c
            .receiver
            .as_ref()
            .and_then(|r| collection_of(r, resolve, depth + 1)),
        _ => None,
    }
}

/// The literal prefix of a key up to its first `:`: `"customer:1"`, `f"user:{id}:email"`,
/// `format!("user:{}:email", id)`, `"session:" + sid`, or a name bound to one of these.
fn key_prefix<'e>(
    e: &'e Expr,
    resolve: &impl Fn(&str) -> Option<&'e Expr>,
    depth: usize,
) -> Option<String> {
    if depth > 8 {
        return None;
    }
    let literal = |text: &str| -> Option<String> {
        let (prefix, _) = text.split_once(':').unwrap_or((text, ""));
        let prefix = prefix.trim();
        (!prefix.is_empty() && !prefix.contains("{}")).then(|| prefix.to_string())
    };
    match e {
        Expr::Str { value, .. } => literal(value),
        Expr::Compound(c)
            if matches!(c.kind, CompoundKind::Format | CompoundKind::Concat)
                || (c.kind == CompoundKind::Other && c.parts.len() == 1) =>
        {
            match c.parts.first().map(|p| &p.value) {
                Some(Expr::Str { value, .. }) if value.contains(':') => literal(value),
                Some(first) if c.kind != CompoundKind::Format => {
                    key_prefix(first, resolve, depth + 1)
                }
                _ => None,
            }
        }
        // `format!("user:{}:email", id)` as a macro call.
        Expr::Call(c) if c.is_macro && c.name == "format" => match c.args.first() {
            Some(a) => match &a.value {
                Expr::Str { value, .. } if value.contains(':') => literal(value),
                _ => None,
            },
            None => None,
        },
        Expr::Place(p) => resolve(&place_text(p)).and_then(|b| key_prefix(b, resolve, depth + 1)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Compound, Part, Place, Span};

    fn s(v: &str) -> Expr {
        Expr::Str {
            value: v.to_string(),
            span: Span::default(),
        }
    }

    fn format(parts: Vec<Expr>) -> Expr {
        Expr::Compound(Compound {
            kind: CompoundKind::Format,
            parts: parts.into_iter().map(Part::positional).collect(),
            span: Span::default(),
        })
    }

    fn place(base: &str, fields: &[&str]) -> Expr {
        Expr::Place(Place {
            base: base.to_string(),
            fields: fields.iter().map(|f| (*f).to_string()).collect(),
            span: Span::default(),
        })
    }

    #[test]
    fn keys_are_named_by_their_literal_prefix() {
        let none = |_: &str| None;
        let literal = s("customer:1");
        assert_eq!(key_prefix(&literal, &none, 0).as_deref(), Some("customer"));
        let formatted = format(vec![s("user:{}:email"), place("id", &[])]);
        assert_eq!(key_prefix(&formatted, &none, 0).as_deref(), Some("user"));
        let unknown = format(vec![s("{}:email"), place("prefix", &[])]);
        assert_eq!(key_prefix(&unknown, &none, 0), None);
        let bound = s("session:abc");
        let resolve = |n: &str| (n == "key").then_some(&bound);
        let var = place("key", &[]);
        assert_eq!(key_prefix(&var, &resolve, 0).as_deref(), Some("session"));
    }

    #[test]
    fn collections_are_named_by_the_receiver() {
        let none = |_: &str| None;
        let customers = place("db", &["customers"]);
        assert_eq!(
            collection_of(&customers, &none, 0).as_deref(),
            Some("customers")
        );
        let generic = place("self", &["collection"]);
        assert_eq!(collection_of(&generic, &none, 0), None);
        let bare = place("coll", &[]);
        assert_eq!(collection_of(&bare, &none, 0), None);
    }
}
