//! Python migration files as schemas: the tables Alembic and Django migrations create and the
//! columns they add, read from the calls as written (the frontend's IR), never run.
//!
//! - Alembic: `op.create_table("customers", sa.Column("email", sa.String), ...)`,
//!   `op.add_column("customers", sa.Column("phone", ...))`, foreign keys in a column
//!   (`sa.ForeignKey("users.id", ondelete="CASCADE")`), in a `sa.ForeignKeyConstraint(...)`, or
//!   from `op.create_foreign_key(name, "orders", "users", ..., ondelete="CASCADE")`, and
//!   `CREATE TABLE`/`ALTER TABLE` handed to `op.execute(...)` (read with sqlparser);
//! - Django: `migrations.CreateModel(name="Customer", fields=[("email", models.EmailField()),
//!   ...], options={"db_table": "customers"})`, `migrations.AddField(model_name="customer",
//!   name="phone", field=...)`, foreign keys with `on_delete=...CASCADE` and `to="app.model"`,
//!   and SQL in `migrations.RunSQL(...)`.
//!
//! A call counts only where the file imports `alembic` `op` or Django's `migrations` under the
//! name it is called through, and not in an Alembic `downgrade()`. Tables dropped and models
//! deleted by a migration (`op.drop_table`, `migrations.DeleteModel`), and columns removed
//! (`op.drop_column`, `migrations.RemoveField`), are left out.

use crate::graph::Unit;
use crate::ir::{Call, CompoundKind, Expr, Span, for_each_call};

/// A table or model a migration defines or extends.
#[derive(Clone, Debug)]
pub struct MigrationTable {
    /// The table name; for a Django model without `db_table`, `None`.
    pub table: Option<String>,
    /// The Django model (`Customer`, or `customer` as `AddField` names it).
    pub model: Option<String>,
    pub columns: Vec<String>,
    pub foreign_keys: Vec<MigrationFk>,
    /// Where it is defined: the call.
    pub span: Span,
    /// Whether this is the whole table (`create_table`, `CreateModel`), not an added column.
    pub created: bool,
    pub kind: &'static str,
}

/// A foreign key from a migration: the parent (a table, or a Django model) and whether
/// deleting a parent row deletes these rows.
#[derive(Clone, Debug)]
pub struct MigrationFk {
    pub parent: String,
    /// `parent` names a Django model, not a table.
    pub model: bool,
    pub cascade: bool,
}

/// What the migrations of one file do to the schema.
#[derive(Clone, Debug, Default)]
pub struct Migrations {
    pub tables: Vec<MigrationTable>,
    /// Tables dropped (`op.drop_table("x")`) and Django models deleted
    /// (`migrations.DeleteModel(name="X")`): what a later migration removes holds nothing.
    pub dropped: Vec<String>,
    /// Columns removed (`op.drop_column("t", "c")`, `migrations.RemoveField(model_name="m",
    /// name="c")`), as (table or model, column).
    pub removed: Vec<(String, String)>,
}

const ALEMBIC_OP: &str = "alembic.op";
const DJANGO_MIGRATIONS: &str = "django.db.migrations";

/// The tables and models the migrations of one Python file define.
pub fn read(unit: &Unit) -> Migrations {
    let mut out = Migrations::default();
    // The names `op` and `migrations` are bound to in this file.
    let imported = |path: &str| -> Vec<&str> {
        unit.facts
            .imports
            .iter()
            .filter(|i| i.path == path)
            .map(|i| i.alias.as_str())
            .collect()
    };
    let op = imported(ALEMBIC_OP);
    let migrations = imported(DJANGO_MIGRATIONS);
    if op.is_empty() && migrations.is_empty() {
        return out;
    }
    let through = |call: &Call, names: &[&str]| {
        call.path
            .rsplit_once('.')
            .is_some_and(|(head, _)| names.contains(&head))
    };
    // An Alembic `downgrade()` undoes its `upgrade()`: what it creates or drops is not the
    // schema.
    for f in unit
        .facts
        .functions
        .iter()
        .filter(|f| !f.name.starts_with("downgrade"))
    {
        for_each_call(&f.body, |call| {
            if through(call, &op) {
                alembic(call, &mut out);
            } else if through(call, &migrations) {
                django(call, &mut out);
            }
        });
    }
    // `for_each_call` visits in no particular order: keep the file's.
    out.tables.sort_by_key(|t| t.span.start);
    out
}

fn alembic(call: &Call, out: &mut Migrations) {
    let positional: Vec<&Expr> = call
        .args
        .iter()
        .filter(|a| a.key.is_none())
        .map(|a| &a.value)
        .collect();
    let table = positional.first().and_then(|e| string(e));
    match call.name.as_str() {
        "create_table" | "add_column" => {
            let Some(table) = table else { return };
            let mut t = MigrationTable {
                table: Some(table),
                model: None,
                columns: Vec::new(),
                foreign_keys: Vec::new(),
                span: call.span,
                created: call.name == "create_table",
                kind: "table (Alembic migration)",
            };
            for e in &positional[1..] {
                let Expr::Call(c) = e else { continue };
                match c.name.as_str() {
                    "Column" => {
                        if let Some(name) = c.args.first().and_then(|a| string(&a.value)) {
                            t.columns.push(name);
                        }
                        for a in &c.args {
                            if let Expr::Call(fk) = &a.value
                                && fk.name == "ForeignKey"
                                && let Some(target) = fk.args.first().and_then(|a| string(&a.value))
                                && let Some(parent) = referenced_table(&target)
                            {
                                t.foreign_keys.push(MigrationFk {
                                    parent,
                                    model: false,
                                    cascade: keyword_is(fk, "ondelete", "CASCADE"),
                                });
                            }
                        }
                    }
                    // `sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE")`.
                    "ForeignKeyConstraint" => {
                        let target = c.args.get(1).and_then(|a| match &a.value {
                            Expr::Compound(list) if list.kind == CompoundKind::Container => {
                                list.parts.first().and_then(|p| string(&p.value))
                            }
                            other => string(other),
                        });
                        if let Some(parent) = target.as_deref().and_then(referenced_table) {
                            t.foreign_keys.push(MigrationFk {
                                parent,
                                model: false,
                                cascade: keyword_is(c, "ondelete", "CASCADE"),
                            });
                        }
                    }
                    _ => {}
                }
            }
            out.tables.push(t);
        }
        // `op.create_foreign_key("fk_orders_users", "orders", "users", ["user_id"], ["id"],
        // ondelete="CASCADE")`.
        "create_foreign_key" => {
            let (Some(child), Some(parent)) = (
                positional.get(1).and_then(|e| string(e)),
                positional.get(2).and_then(|e| string(e)),
            ) else {
                return;
            };
            out.tables.push(MigrationTable {
                table: Some(child),
                model: None,
                columns: Vec::new(),
                foreign_keys: vec![MigrationFk {
                    parent,
                    model: false,
                    cascade: keyword_is(call, "ondelete", "CASCADE"),
                }],
                span: call.span,
                created: false,
                kind: "table (Alembic migration)",
            });
        }
        "execute" => raw_sql(call, "table (Alembic migration)", out),
        "drop_table" => out.dropped.extend(table),
        "drop_column" => {
            if let (Some(table), Some(column)) = (table, positional.get(1).and_then(|e| string(e)))
            {
                out.removed.push((table, column));
            }
        }
        _ => {}
    }
}

fn django(call: &Call, out: &mut Migrations) {
    let kind = "Django model";
    match call.name.as_str() {
        "CreateModel" => {
            let Some(model) = argument(call, "name", 0).and_then(string) else {
                return;
            };
            let table = argument(call, "options", 2).and_then(|o| match o {
                Expr::Compound(c) => c
                    .parts
                    .iter()
                    .find(|p| p.key.as_deref() == Some("db_table"))
                    .and_then(|p| string(&p.value)),
                _ => None,
            });
            let mut t = MigrationTable {
                table,
                model: Some(model),
                columns: Vec::new(),
                foreign_keys: Vec::new(),
                span: call.span,
                created: true,
                kind,
            };
            if let Some(Expr::Compound(fields)) = argument(call, "fields", 1) {
                for field in &fields.parts {
                    let Expr::Compound(pair) = &field.value else {
                        continue;
                    };
                    let (Some(name), Some(def)) = (
                        pair.parts.first().and_then(|p| string(&p.value)),
                        pair.parts.get(1),
                    ) else {
                        continue;
                    };
                    django_field(&mut t, name, &def.value);
                }
            }
            out.tables.push(t);
        }
        "AddField" => {
            let (Some(model), Some(name), Some(def)) = (
                argument(call, "model_name", 0).and_then(string),
                argument(call, "name", 1).and_then(string),
                argument(call, "field", 2),
            ) else {
                return;
            };
            let mut t = MigrationTable {
                table: None,
                model: Some(model),
                columns: Vec::new(),
                foreign_keys: Vec::new(),
                span: call.span,
                created: false,
                kind,
            };
            django_field(&mut t, name, def);
            out.tables.push(t);
        }
        "RunSQL" => raw_sql(call, "table (Django migration)", out),
        "DeleteModel" => out
            .dropped
            .extend(argument(call, "name", 0).and_then(string)),
        "RemoveField" => {
            if let (Some(model), Some(name)) = (
                argument(call, "model_name", 0).and_then(string),
                argument(call, "name", 1).and_then(string),
            ) {
                out.removed.push((model, name));
            }
        }
        _ => {}
    }
}

/// A Django field: its column, and the model a `ForeignKey`/`OneToOneField` points at.
fn django_field(t: &mut MigrationTable, name: String, def: &Expr) {
    if let Expr::Call(c) = def
        && matches!(c.name.as_str(), "ForeignKey" | "OneToOneField")
        && let Some(to) = argument(c, "to", 0).and_then(string)
    {
        let cascade = c.args.iter().any(|a| {
            a.key.as_deref() == Some("on_delete")
                && matches!(&a.value, Expr::Place(p) if p.leaf() == "CASCADE")
        });
        t.foreign_keys.push(MigrationFk {
            parent: to.rsplit('.').next().unwrap_or(&to).to_string(),
            model: true,
            cascade,
        });
    }
    t.columns.push(name);
}

/// `CREATE TABLE`/`ALTER TABLE ... ADD COLUMN` handed to a migration as SQL.
fn raw_sql(call: &Call, kind: &'static str, out: &mut Migrations) {
    // The forward SQL only: `reverse_sql=` undoes it.
    let Some(a) = argument(call, "sql", 0) else {
        return;
    };
    let Some(text) = string(a) else {
        return;
    };
    if !crate::stores::sql::looks_like_sql(&text) {
        return;
    }
    for table in crate::stores::sql::parse_file(&text).tables {
        out.tables.push(MigrationTable {
            table: Some(table.name.clone()),
            model: None,
            columns: table.columns.iter().map(|c| c.name.clone()).collect(),
            foreign_keys: table
                .foreign_keys
                .iter()
                .map(|fk| MigrationFk {
                    parent: fk.references.clone(),
                    model: false,
                    cascade: fk.on_delete == Some(crate::stores::sql::OnDelete::Cascade),
                })
                .collect(),
            span: a.span(),
            created: table.created,
            kind,
        });
    }
}

/// The argument given by keyword `key`, or else the positional one at `index`.
fn argument<'c>(call: &'c Call, key: &str, index: usize) -> Option<&'c Expr> {
    call.args
        .iter()
        .find(|a| a.key.as_deref() == Some(key))
        .or_else(|| call.args.iter().filter(|a| a.key.is_none()).nth(index))
        .map(|a| &a.value)
}

fn keyword_is(call: &Call, key: &str, value: &str) -> bool {
    call.args.iter().any(|a| {
        a.key.as_deref() == Some(key)
            && string(&a.value).is_some_and(|v| v.eq_ignore_ascii_case(value))
    })
}

fn string(e: &Expr) -> Option<String> {
    match e {
        Expr::Str { value, .. } => Some(value.clone()),
        _ => None,
    }
}

/// The table of a `"table.column"` (or `"schema.table.column"`) reference.
fn referenced_table(reference: &str) -> Option<String> {
    let mut segments = reference.rsplit('.');
    segments.next()?;
    segments
        .next()
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}
