//! Stores and erasure: where personal data is kept, which code writes, deletes or anonymises
//! it, and which of that code the system's entry points reach.
//!
//! - **Stores** are ORM models (Django, `SQLAlchemy`, `SQLModel` tables, Peewee, Tortoise,
//!   `MongoEngine`; diesel, sqlx `FromRow`, `SeaORM`) and SQL tables, each with the personal
//!   categories its fields hold; foreign keys and relationships that cascade tie a child's
//!   rows to its parent's. Python migrations (Alembic, Django) define tables too
//!   ([`migrations`]), and `MongoDB` collections and Redis key prefixes written with personal
//!   data are stores of their own ([`kept`]).
//! - **Operations** are read from the calls as written: an ORM `delete` on a model, a query set
//!   or an instance, `session.delete(obj)`, diesel `delete(users...)`, an `update(...)` or a field
//!   assignment followed by `save()` that sets personal fields to nothing, a constant or a
//!   sanitizer's result, and SQL strings passed to any call.
//! - **Entry points** are what runs without being called by the code itself: web handlers
//!   (route decorators and attributes, handlers registered by name), tasks and commands,
//!   `main`, module-level code, and the data map's `erasure:` lists.
//!
//! Reachability is over the call graph the propagation built (petgraph).

pub mod entry;
pub mod kept;
pub mod migrations;
pub mod ops;
pub mod picture;
pub mod verdict;

use crate::classify::CategoryId;
use crate::graph::calls::CallGraph;
use crate::graph::{FnId, Program};
use crate::ir::{Language, Span};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Where personal data is kept.
#[derive(Clone, Debug)]
pub struct Store {
    /// The table name when known, else the model's name in snake case.
    pub key: String,
    /// The model or struct that maps it.
    pub entity: Option<String>,
    pub table: Option<String>,
    pub language: Language,
    /// Where it is defined.
    pub unit: u32,
    pub span: Span,
    /// What defines it: `Django model`, `SQLAlchemy model`, `diesel model`, `SQL table`,
    /// `MongoDB collection`.
    pub kind: String,
    /// The personal categories its fields hold (pseudonymous keys left out).
    pub categories: BTreeSet<CategoryId>,
    /// Stores whose rows go with this one's (`ON DELETE CASCADE`, ORM cascade options), and
    /// which deletions carry them.
    pub cascades_to: Vec<(usize, Cascade)>,
    pub backend: Backend,
}

/// Who deletes a child's rows with its parent's, which decides the deletions that do it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Cascade {
    /// The database (`ON DELETE CASCADE`, `ForeignKey(..., ondelete="CASCADE")`): any delete.
    Database,
    /// The ORM's delete collector (Django `on_delete=CASCADE`): deletes through the ORM, of
    /// instances or query sets, not raw SQL.
    Orm,
    /// The ORM session (a `SQLAlchemy` `relationship(cascade="all, delete-orphan")`): deleting
    /// an instance through the session, not a bulk `query(...).delete()` or raw SQL.
    Session,
}

impl Cascade {
    fn carried_by(self, via: Via) -> bool {
        match self {
            Cascade::Database => true,
            Cascade::Orm => via != Via::Sql,
            Cascade::Session => via == Via::Instance,
        }
    }
}

/// How an operation reaches its rows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Via {
    /// SQL handed to the database.
    Sql,
    /// A query, query set or bulk statement (`User.objects.filter(...)`, `delete(User)`).
    #[default]
    Query,
    /// An instance the code holds (`user.delete()`, `session.delete(user)`).
    Instance,
}

/// How a store is found and named.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Backend {
    /// A model or a table the schema declares; ORM calls and SQL name it.
    Schema,
    /// A collection or key prefix the calls of a `keeps:` sink name (`MongoDB`, Redis), found
    /// where personal data is written to it.
    Kept {
        sink: String,
        by: crate::rules::KeepsBy,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OpKind {
    Write,
    Delete,
    Anonymise,
}

impl OpKind {
    pub fn erases(self) -> bool {
        matches!(self, OpKind::Delete | OpKind::Anonymise)
    }
}

/// One operation on a store, in a function.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Op {
    pub store: usize,
    pub kind: OpKind,
    pub function: FnId,
    pub span: Span,
    /// The call as written (`User.objects.filter(...).delete`, `session.delete`).
    pub callee: String,
    /// For a delete or anonymisation limited to old rows: the age, as an ISO 8601 duration
    /// when the code spells it (`P90D`), or `?` when it does not.
    pub older_than: Option<String>,
    pub via: Via,
}

/// The stores of a program, the operations on them, and what runs on its own.
pub struct Stores {
    pub stores: Vec<Store>,
    pub ops: Vec<Op>,
    /// Entry points, with why each is one.
    pub entries: BTreeMap<FnId, String>,
    /// Functions some entry point reaches (entry points included).
    pub reachable: HashSet<FnId>,
    /// Per store: the indices in `ops` of the operations that erase it (see [`Stores::erasing`]).
    erasing: Vec<Vec<usize>>,
}

/// Type traits that make a type a persisted model, and what to call it.
const MODEL_TRAITS: &[(&str, &str)] = &[
    ("Model", "model"),
    ("Base", "SQLAlchemy model"),
    ("DeclarativeBase", "SQLAlchemy model"),
    ("table=True", "SQLModel model"),
    ("Document", "MongoEngine document"),
    ("DynamicDocument", "MongoEngine document"),
    ("Queryable", "diesel model"),
    ("Insertable", "diesel model"),
    ("Selectable", "diesel model"),
    ("AsChangeset", "diesel model"),
    ("Identifiable", "diesel model"),
    ("FromRow", "sqlx model"),
    ("DeriveEntityModel", "SeaORM entity"),
];

impl Stores {
    pub fn build(program: &Program<'_>, calls: &CallGraph, hits: &[crate::graph::SinkHit]) -> Self {
        let mut stores = detect(program);
        kept::detect(program, hits, &mut stores);
        let mut ops = ops::find(program, &stores);
        ops.extend(kept::ops(program, &stores));
        ops.sort();
        ops.dedup();
        let entries = entry::find(program);
        let reachable = entry::reach(calls, entries.keys().copied());
        let mut out = Stores {
            erasing: vec![Vec::new(); stores.len()],
            stores,
            ops,
            entries,
            reachable,
        };
        // Each erasing operation's reach through cascades, once, inverted per store.
        for (i, op) in out.ops.iter().enumerate() {
            if op.kind.erases() {
                for s in out.erased_by(op) {
                    out.erasing[s].push(i);
                }
            }
        }
        out
    }

    /// The deletions and anonymisations that erase `store`'s rows: on it, or on a store whose
    /// deletion cascades to it.
    pub fn erasing(&self, store: usize) -> impl Iterator<Item = &Op> {
        self.erasing[store].iter().map(|&i| &self.ops[i])
    }

    /// Whether code that runs deletes or anonymises `store`'s old rows (an age filter or a
    /// time to live), as a declared `retention` needs.
    pub fn purged_by_age(&self, store: usize) -> bool {
        self.erasing(store)
            .any(|o| o.older_than.is_some() && self.reachable.contains(&o.function))
    }

    /// The store a data-map store declares: its `entity`, else its key.
    pub fn of_declared(&self, key: &str, declared: &crate::datamap::Store) -> Option<usize> {
        declared
            .entity
            .as_deref()
            .and_then(|e| self.by_name(e))
            .or_else(|| self.by_name(key))
    }

    /// The store a type or table name refers to.
    pub fn by_name(&self, name: &str) -> Option<usize> {
        let wanted = normalise(name);
        self.stores.iter().position(|s| {
            s.entity.as_deref().is_some_and(|e| normalise(e) == wanted)
                || s.table.as_deref().is_some_and(|t| normalise(t) == wanted)
                || normalise(&s.key) == wanted
        })
    }

    /// Stores erased by `op`: its own and, transitively, the cascades it carries (a
    /// database cascade deletes rows as SQL would, so the ORM's own cascades stop there).
    pub fn erased_by(&self, op: &Op) -> BTreeSet<usize> {
        let mut out = BTreeSet::new();
        let mut seen = HashSet::new();
        let mut todo = vec![(op.store, op.via)];
        while let Some((s, via)) = todo.pop() {
            if !seen.insert((s, via)) {
                continue;
            }
            out.insert(s);
            for &(child, cascade) in &self.stores[s].cascades_to {
                if cascade.carried_by(via) {
                    let next = if cascade == Cascade::Database {
                        Via::Sql
                    } else {
                        via
                    };
                    todo.push((child, next));
                }
            }
        }
        out
    }

    /// The stores the functions reachable from `start` delete or anonymise (with cascades).
    pub fn erased_from(&self, calls: &CallGraph, start: FnId) -> BTreeSet<usize> {
        let reach = entry::reach(calls, [start]);
        self.ops
            .iter()
            .filter(|o| o.kind.erases() && reach.contains(&o.function))
            .flat_map(|o| self.erased_by(o))
            .collect()
    }
}

/// A store as the data map names it, when it declares one with this entity or table; else its
/// own key.
pub fn declared_key<'a>(map: &'a crate::datamap::DataMap, store: &'a Store) -> &'a str {
    map.stores
        .iter()
        .find(|(key, s)| {
            s.entity.as_deref().is_some_and(|e| {
                store.entity.as_deref() == Some(e) || store.table.as_deref() == Some(e)
            }) || store.table.as_deref() == Some(key.as_str())
        })
        .map_or(store.key.as_str(), |(key, _)| key.as_str())
}

/// What kind of model a type with these traits is: one of [`MODEL_TRAITS`], directly or
/// through a project base class (`class User(AbstractUser)`, `AbstractUser(models.Model)`).
fn model_kind(
    bases: &HashMap<(Language, &str), &[String]>,
    language: Language,
    traits: &[String],
    depth: usize,
) -> Option<&'static str> {
    if let Some(kind) = traits.iter().find_map(|t| {
        MODEL_TRAITS
            .iter()
            .find(|(name, _)| name == t)
            .map(|(_, kind)| *kind)
    }) {
        return Some(kind);
    }
    if depth >= 8 || language != Language::Python {
        return None;
    }
    traits.iter().find_map(|t| {
        let name = t.rsplit('.').next().unwrap_or(t);
        bases
            .get(&(language, name))
            .filter(|b| !std::ptr::eq(**b, traits))
            .and_then(|b| model_kind(bases, language, b, depth + 1))
    })
}

/// `CustomerProfiles`, `customer_profiles`, `customer_profile` → `customerprofile`.
pub fn normalise(name: &str) -> String {
    let lower: String = name
        .rsplit("::")
        .next()
        .unwrap_or(name)
        .rsplit('.')
        .next()
        .unwrap_or(name)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if let Some(stem) = lower.strip_suffix("ies") {
        format!("{stem}y")
    } else if lower.ends_with("ses") || lower.ends_with("xes") {
        lower[..lower.len() - 2].to_string()
    } else if lower.len() > 3 && lower.ends_with('s') && !lower.ends_with("ss") {
        lower[..lower.len() - 1].to_string()
    } else {
        lower
    }
}

/// `CustomerProfile` → `customer_profile`.
fn snake(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// `child`'s rows go with `parent`'s, by `cascade` (the widest cascade of the two kept).
fn add_cascade(out: &mut [Store], parent: usize, child: usize, cascade: Cascade) {
    if parent == child {
        return;
    }
    let edges = &mut out[parent].cascades_to;
    match edges.iter_mut().find(|(c, _)| *c == child) {
        Some((_, existing)) => *existing = (*existing).min(cascade),
        None => edges.push((child, cascade)),
    }
}

/// The personal categories of a table's columns (pseudonymous keys left out).
fn column_categories<'n>(
    classifier: &crate::classify::Classifier,
    owner: &str,
    columns: impl Iterator<Item = &'n str>,
) -> BTreeSet<CategoryId> {
    columns
        .filter_map(|c| classifier.classify_name(c))
        .filter(|c| !classifier.category(*c).pseudonymous && !classifier.owner_excludes(*c, owner))
        .collect()
}

/// The store of a model that code of `language` names: by its class (`Customer`), its table
/// (`customers`), or the table an ORM gives it by default (`customer` for `Customer`).
fn model_named(stores: &[Store], language: Language, name: &str) -> Option<usize> {
    let same = |s: &&Store| s.language == language;
    let wanted = normalise(name);
    stores
        .iter()
        .position(|s| same(&s) && s.entity.as_deref() == Some(name))
        .or_else(|| {
            stores
                .iter()
                .position(|s| same(&s) && s.table.as_deref() == Some(name))
        })
        .or_else(|| {
            stores.iter().position(|s| {
                same(&s)
                    && s.table.is_none()
                    && s.entity.as_deref().is_some_and(|e| normalise(e) == wanted)
            })
        })
}

/// A table from a schema file, a diesel `table!` or a migration.
struct TableSeen {
    /// The table's name; `None` for a Django model whose migration does not name its table.
    table: Option<String>,
    /// The model a Django migration defines.
    model: Option<String>,
    unit: u32,
    span: Span,
    /// The personal categories of its columns.
    categories: BTreeSet<CategoryId>,
    /// Its foreign keys: parent, whether the parent is a model (else a table), whether
    /// deletes cascade.
    fks: Vec<(String, bool, bool)>,
    kind: &'static str,
    language: Language,
}

/// The persisted models and tables of the program. A table that a model maps is one store.
fn detect(program: &Program<'_>) -> Vec<Store> {
    let classifier = &program.rules.classifier;
    let mut out: Vec<Store> = Vec::new();
    let personal_of = |language: Language, name: &str| -> BTreeSet<CategoryId> {
        program
            .type_info(language, name)
            .map(|info| {
                info.personal
                    .iter()
                    .map(|f| f.category)
                    .filter(|c| !classifier.category(*c).pseudonymous)
                    .collect()
            })
            .unwrap_or_default()
    };
    // Each project type's traits (its bases, derives, decorators), to find models that derive
    // from a project's own (abstract) model.
    let mut bases: HashMap<(Language, &str), &[String]> = HashMap::new();
    for unit in &program.units {
        for def in &unit.facts.types {
            bases
                .entry((unit.language, def.name.as_str()))
                .or_insert(&def.traits);
        }
    }
    let mut tables: Vec<TableSeen> = Vec::new();
    let mut migrated: Vec<(u32, migrations::Migrations)> = Vec::new();
    for (u, unit) in program.units.iter().enumerate() {
        if unit.is_test {
            continue;
        }
        for def in &unit.facts.types {
            if def.name == "Meta" {
                continue;
            }
            let table = def
                .traits
                .iter()
                .find_map(|t| t.strip_prefix("table:"))
                .map(str::to_string);
            if unit.language == Language::Sql {
                let fks = def
                    .traits
                    .iter()
                    .filter_map(|t| t.strip_prefix("fk:"))
                    .filter_map(|t| t.rsplit_once(':'))
                    .map(|(parent, action)| (parent.to_string(), false, action == "cascade"))
                    .collect();
                tables.push(TableSeen {
                    table: Some(def.name.clone()),
                    model: None,
                    unit: u as u32,
                    span: def.span,
                    categories: personal_of(Language::Sql, &def.name),
                    fks,
                    kind: "SQL table",
                    language: Language::Sql,
                });
                continue;
            }
            // An abstract model has no table; its subclasses are the stores.
            if def.traits.iter().any(|t| t == "abstract") {
                continue;
            }
            let kind = model_kind(&bases, unit.language, &def.traits, 0);
            let kind = match (kind, unit.language) {
                (Some("model"), Language::Python) => "Django or Peewee model",
                (Some(k), _) => k,
                (None, _) if table.is_some() => "model",
                (None, _) => continue,
            };
            // SeaORM's entity is a `Model` in a module named after the table.
            let entity = if def.name == "Model" && kind == "SeaORM entity" {
                unit.module
                    .last()
                    .cloned()
                    .unwrap_or_else(|| def.name.clone())
            } else {
                def.name.clone()
            };
            if out.iter().any(|s| {
                s.entity.as_deref() == Some(entity.as_str()) && s.language == unit.language
            }) {
                continue;
            }
            out.push(Store {
                key: table.clone().unwrap_or_else(|| snake(&entity)),
                entity: Some(entity),
                table,
                language: unit.language,
                unit: u as u32,
                span: def.span,
                kind: kind.to_string(),
                categories: personal_of(unit.language, &def.name),
                cascades_to: Vec::new(),
                backend: Backend::Schema,
            });
        }
        // diesel's `table! { users (id) { email -> Text, } }`.
        if unit.language == Language::Rust {
            for f in unit.facts.functions.iter().filter(|f| f.is_module_body) {
                for stmt in &f.body {
                    let crate::ir::Stmt::Expr(crate::ir::Expr::Call(c)) = stmt else {
                        continue;
                    };
                    if !(c.is_macro && c.name == "table") {
                        continue;
                    }
                    let Some(text) = unit.text.get(c.span.start as usize..c.span.end as usize)
                    else {
                        continue;
                    };
                    let Some(t) = crate::stores::sql::parse_diesel_table_macro(text) else {
                        continue;
                    };
                    let categories = column_categories(
                        classifier,
                        &t.name,
                        t.columns.iter().map(|c| c.name.as_str()),
                    );
                    tables.push(TableSeen {
                        table: Some(t.name),
                        model: None,
                        unit: u as u32,
                        span: c.span,
                        categories,
                        fks: Vec::new(),
                        kind: "SQL table",
                        language: Language::Sql,
                    });
                }
            }
        }
        // Alembic and Django migrations.
        if unit.language == Language::Python {
            migrated.push((u as u32, migrations::read(unit)));
        }
    }
    // What later migrations drop is gone; what they remove holds nothing.
    let dropped: HashSet<String> = migrated
        .iter()
        .flat_map(|(_, m)| m.dropped.iter().map(|d| normalise(d)))
        .collect();
    let removed: HashSet<(String, String)> = migrated
        .iter()
        .flat_map(|(_, m)| m.removed.iter().map(|(t, c)| (normalise(t), c.clone())))
        .collect();
    for (u, m) in migrated {
        for t in m.tables {
            let owner = t
                .model
                .as_deref()
                .or(t.table.as_deref())
                .unwrap_or_default();
            let owners = [t.model.as_deref(), t.table.as_deref()];
            if owners
                .iter()
                .flatten()
                .any(|o| dropped.contains(&normalise(o)))
            {
                continue;
            }
            let columns = t.columns.iter().map(String::as_str).filter(|c| {
                !owners
                    .iter()
                    .flatten()
                    .any(|o| removed.contains(&(normalise(o), (*c).to_string())))
            });
            let categories = column_categories(classifier, owner, columns);
            let language = if t.model.is_some() {
                Language::Python
            } else {
                Language::Sql
            };
            tables.push(TableSeen {
                table: t.table,
                model: t.model,
                unit: u,
                span: t.span,
                categories,
                fks: t
                    .foreign_keys
                    .into_iter()
                    .map(|fk| (fk.parent, fk.model, fk.cascade))
                    .collect(),
                kind: t.kind,
                language,
            });
        }
    }
    // Tables: merged into the model that maps them (or a table seen before), else stores of
    // their own.
    let mut table_store = Vec::with_capacity(tables.len());
    for t in &tables {
        let existing = t
            .table
            .as_deref()
            .and_then(|name| {
                let wanted = normalise(name);
                out.iter().position(|s| {
                    s.table.as_deref() == Some(name)
                        || (s.table.is_none()
                            && s.entity.as_deref().is_some_and(|e| normalise(e) == wanted))
                })
            })
            .or_else(|| {
                // A Django migration names the model (`Customer`, or `customer` in `AddField`).
                let wanted = normalise(t.model.as_deref()?);
                out.iter().position(|s| {
                    s.language == Language::Python
                        && s.entity.as_deref().is_some_and(|e| normalise(e) == wanted)
                })
            });
        let i = if let Some(i) = existing {
            out[i].categories.extend(t.categories.iter().copied());
            if let Some(name) = &t.table {
                out[i].table.get_or_insert_with(|| name.clone());
            }
            i
        } else {
            let key = t
                .table
                .clone()
                .or_else(|| t.model.as_deref().map(snake))
                .unwrap_or_default();
            out.push(Store {
                key,
                entity: t.model.clone(),
                table: t.table.clone(),
                language: t.language,
                unit: t.unit,
                span: t.span,
                kind: t.kind.to_string(),
                categories: t.categories.clone(),
                cascades_to: Vec::new(),
                backend: Backend::Schema,
            });
            out.len() - 1
        };
        table_store.push(i);
    }
    // ORM foreign keys (`ForeignKey(Customer, on_delete=CASCADE)`, `Column(ForeignKey(
    // "users.id", ondelete="CASCADE"))`) on the child, and relationships that cascade
    // (`relationship("Address", cascade="all, delete-orphan")`) on the parent.
    for unit in program
        .units
        .iter()
        .filter(|u| !u.is_test && u.language != Language::Sql)
    {
        for def in &unit.facts.types {
            let Some(this) = out.iter().position(|s| {
                s.entity.as_deref() == Some(def.name.as_str()) && s.language == unit.language
            }) else {
                continue;
            };
            let parents = def
                .traits
                .iter()
                .filter_map(|t| t.strip_prefix("fk:"))
                .filter_map(|t| t.rsplit_once(':'))
                .filter_map(|(parent, action)| {
                    let cascade = match action {
                        "cascade" => Cascade::Database,
                        "orm-cascade" => Cascade::Orm,
                        "session-cascade" => Cascade::Session,
                        _ => return None,
                    };
                    model_named(&out, unit.language, parent).map(|p| (p, this, cascade))
                });
            let children = def
                .traits
                .iter()
                .filter_map(|t| t.strip_prefix("cascade-to:"))
                .filter_map(|child| model_named(&out, unit.language, child))
                .map(|c| (this, c, Cascade::Session));
            let edges: Vec<(usize, usize, Cascade)> = parents.chain(children).collect();
            for (p, c, cascade) in edges {
                add_cascade(&mut out, p, c, cascade);
            }
        }
    }
    // `ON DELETE CASCADE` (and a migration's `on_delete=CASCADE`): deleting the parent
    // deletes the child's rows.
    for (t, &child) in tables.iter().zip(&table_store) {
        for (parent, is_model, cascade) in &t.fks {
            if !cascade {
                continue;
            }
            let wanted = normalise(parent);
            let parent_store = if *is_model {
                out.iter().position(|s| {
                    s.language == Language::Python
                        && s.entity.as_deref().is_some_and(|e| normalise(e) == wanted)
                })
            } else {
                out.iter()
                    .position(|s| s.table.as_deref() == Some(parent.as_str()))
                    .or_else(|| {
                        out.iter().position(|s| {
                            s.table.is_none()
                                && s.entity.as_deref().is_some_and(|e| normalise(e) == wanted)
                        })
                    })
            };
            if let Some(p) = parent_store {
                // Django's migrations describe what its ORM does; the others, the database.
                let cascade = if *is_model {
                    Cascade::Orm
                } else {
                    Cascade::Database
                };
                add_cascade(&mut out, p, child, cascade);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_one_store_agree() {
        assert_eq!(normalise("CustomerProfile"), normalise("customer_profiles"));
        assert_eq!(normalise("users"), normalise("User"));
        assert_eq!(normalise("Address"), normalise("addresses"));
        assert_eq!(normalise("Category"), normalise("categories"));
        assert_eq!(normalise("crate::schema::users"), "user");
        assert_ne!(normalise("Users"), normalise("UserSessions"));
        assert_eq!(snake("CustomerProfile"), "customer_profile");
    }
}
