//! Operations on stores, read from the calls as written.

use super::{Op, OpKind, Store, Via, normalise};
use crate::graph::{FnId, Program};
use crate::ir::{Call, Expr, Function, Stmt, for_each_call};
use crate::rules::place_text;
use std::collections::HashMap;

/// Methods that delete what they are called on (or, with a model argument, that model's rows).
const DELETES: &[&str] = &[
    "delete",
    "delete_instance",
    "delete_one",
    "delete_many",
    "delete_by_id",
    "delete_by_ids",
    "destroy",
    "remove",
    "truncate",
];

/// Methods that write what they are called on, or their arguments, to a store.
const WRITES: &[&str] = &[
    "save",
    "create",
    "insert",
    "insert_one",
    "insert_many",
    "bulk_create",
    "add",
    "add_all",
    "merge",
    "update",
    "update_or_create",
    "get_or_create",
    "values",
];

/// Words in a filter that limit an operation to old rows.
const AGE_WORDS: &[&str] = &[
    "timedelta",
    "interval",
    "Duration::",
    "days(",
    "days=",
    "weeks=",
    "months=",
    "hours=",
    "__lt",
    "__lte",
    "older_than",
    "before",
];

pub fn find(program: &Program<'_>, stores: &[Store]) -> Vec<Op> {
    let mut out = Vec::new();
    if stores.is_empty() {
        return out;
    }
    // Django managers and query sets: `objects = CustomerManager()` makes `self` in the
    // manager's methods the model's rows.
    let mut managers: HashMap<String, usize> = HashMap::new();
    for (i, s) in stores.iter().enumerate() {
        let Some(info) = s
            .entity
            .as_deref()
            .and_then(|e| program.type_info(s.language, e))
        else {
            continue;
        };
        for (field, ty) in &info.field_types {
            let ty = ty.rsplit(['.', ':']).next().unwrap_or(ty);
            if field == "objects" || ty.ends_with("Manager") || ty.ends_with("QuerySet") {
                managers.entry(ty.to_string()).or_insert(i);
            }
        }
    }
    for id in program.all_functions() {
        let unit = &program.units[id.unit as usize];
        if unit.is_test {
            continue;
        }
        let f = program.function(id);
        let mut locals = locals(stores, f, unit.language);
        if let Some(&store) = f.owner.as_deref().and_then(|o| managers.get(o)) {
            locals.insert("self".to_string(), store);
        }
        let finder = Finder {
            program,
            stores,
            language: unit.language,
            locals,
        };
        finder.function(id, f, &mut out);
    }
    out.sort();
    out.dedup();
    out
}

struct Finder<'a, 'p> {
    program: &'a Program<'p>,
    stores: &'a [Store],
    language: crate::ir::Language,
    /// Local names known to hold a model instance or query: name → store.
    locals: HashMap<String, usize>,
}

impl Finder<'_, '_> {
    fn function(&self, id: FnId, f: &Function, out: &mut Vec<Op>) {
        for_each_call(&f.body, |call| {
            if let Some(op) = self.call(id, call) {
                out.push(op);
            }
            self.sql(id, call, out);
        });
        // `user.email = None; user.save()`: an anonymisation when the fields set are personal
        // and what they are set to is nothing, a constant or a sanitizer's result.
        let mut blanked: HashMap<String, Vec<String>> = HashMap::new();
        for stmt in &f.body {
            if let Stmt::Assign { target, value, .. } = stmt
                && let [field] = &target.fields[..]
                && self.locals.contains_key(&target.base)
                && self.blanks(value)
            {
                blanked
                    .entry(target.base.clone())
                    .or_default()
                    .push(field.clone());
            }
        }
        for_each_call(&f.body, |call| {
            if call.name != "save" {
                return;
            }
            let Some(Expr::Place(p)) = &call.receiver else {
                return;
            };
            let base = place_text(p);
            let (Some(fields), Some(&store)) = (blanked.get(&base), self.locals.get(&base)) else {
                return;
            };
            if fields.iter().any(|f| self.is_personal_field(store, f)) {
                out.push(Op {
                    store,
                    kind: OpKind::Anonymise,
                    function: id,
                    span: call.span,
                    callee: format!("{base}.save"),
                    older_than: None,
                    via: Via::Instance,
                });
            }
        });
    }

    fn call(&self, id: FnId, call: &Call) -> Option<Op> {
        let name = call.name.as_str();
        let deletes = DELETES.contains(&name);
        let writes = WRITES.contains(&name);
        if !deletes && !writes {
            return None;
        }
        // What the call acts on: its receiver chain, or for `session.delete(obj)`,
        // `delete(User)`, `diesel::delete(users.filter(..))` its first argument.
        let (store, target) = self
            .store_of_chain(call.receiver.as_ref())
            .map(|s| (s, call.receiver.as_ref()))
            .or_else(|| {
                // Only a session or a free function takes the model as its argument; `items.
                // remove(user)` on a list deletes nothing from a store.
                let through = match &call.receiver {
                    None => true,
                    Some(Expr::Place(p)) => is_session(&place_text(p)),
                    Some(_) => false,
                };
                let first = through.then(|| call.args.first()).flatten()?;
                self.store_of_chain(Some(&first.value))
                    .map(|s| (s, Some(&first.value)))
            })?;
        // `user.delete()`, `session.delete(user)`: an instance the code holds; a query
        // (`User.objects.filter(...)`, `session.query(User)...`, `delete(User)`) otherwise.
        let via = match target {
            Some(Expr::Place(p)) if self.locals.contains_key(&place_text(p)) => Via::Instance,
            _ => Via::Query,
        };
        let kind = if deletes {
            OpKind::Delete
        } else if name == "update" && self.anonymising_update(store, call) {
            OpKind::Anonymise
        } else {
            OpKind::Write
        };
        let unit = &self.program.units[id.unit as usize];
        let text = unit
            .text
            .get(call.span.start as usize..call.span.end as usize)
            .unwrap_or_default();
        // `filter(created_at.lt(cutoff))` with `cutoff` computed above: the age is in the
        // function, the comparison in the call.
        let compares = [".lt(", ".le(", "__lt", "__lte", " < ", "before", "older"]
            .iter()
            .any(|w| text.contains(w));
        let function_text = unit
            .text
            .get(
                self.program.function(id).extent.start as usize
                    ..self.program.function(id).extent.end as usize,
            )
            .unwrap_or_default();
        let older_than = kind
            .erases()
            .then(|| age_of(text).or_else(|| compares.then(|| age_of(function_text)).flatten()))
            .flatten();
        Some(Op {
            store,
            kind,
            function: id,
            span: call.span,
            callee: callee_text(call),
            older_than,
            via,
        })
    }

    /// SQL handed to any call (`cursor.execute("DELETE FROM users WHERE id = %s")`,
    /// `sqlx::query("...")`, `text("...")`), as a literal or a module constant.
    fn sql(&self, id: FnId, call: &Call, out: &mut Vec<Op>) {
        use crate::stores::sql::{OpKind as SqlOp, looks_like_sql, parse_query};
        let unit = &self.program.units[id.unit as usize];
        for arg in &call.args {
            let text = match &arg.value {
                Expr::Str { value, .. } => value.as_str(),
                Expr::Place(p) if p.fields.is_empty() => match unit.constants.get(&p.base) {
                    Some(v) => v.as_str(),
                    None => continue,
                },
                _ => continue,
            };
            if !looks_like_sql(text) {
                continue;
            }
            let Some(schema) = parse_query(text) else {
                continue;
            };
            for op in &schema.operations {
                let Some(store) = self.store_of_table(&op.table) else {
                    continue;
                };
                let kind = match op.kind {
                    SqlOp::Delete | SqlOp::Truncate => OpKind::Delete,
                    SqlOp::Update
                        if op
                            .anonymises
                            .iter()
                            .any(|c| self.is_personal_field(store, c)) =>
                    {
                        OpKind::Anonymise
                    }
                    SqlOp::Insert | SqlOp::Update => OpKind::Write,
                    SqlOp::Select | SqlOp::Drop => continue,
                };
                let older_than = op
                    .filter_age
                    .as_ref()
                    .filter(|_| kind.erases())
                    .map(|a| a.duration.clone().unwrap_or_else(|| "?".to_string()));
                out.push(Op {
                    store,
                    kind,
                    function: id,
                    span: arg.value.span(),
                    callee: call.path.clone(),
                    older_than,
                    via: Via::Sql,
                });
            }
        }
    }

    /// The store of a table named in SQL: a table of a schema file, a model mapped to it, or
    /// a model named like it.
    fn store_of_table(&self, table: &str) -> Option<usize> {
        let wanted = normalise(table);
        self.stores
            .iter()
            .position(|s| s.table.as_deref() == Some(table))
            .or_else(|| {
                self.stores.iter().position(|s| {
                    s.backend == super::Backend::Schema
                        && (s.entity.as_deref().is_some_and(|e| normalise(e) == wanted)
                            || normalise(&s.key) == wanted)
                })
            })
    }

    /// The store a receiver chain works on: `User.objects.filter(...)`, `session.query(User)`,
    /// `user` (a local holding a `User`), `Customer::delete_by_id`.
    fn store_of_chain(&self, mut cur: Option<&Expr>) -> Option<usize> {
        while let Some(e) = cur {
            if let Some(s) = self.store_of_expr(e) {
                return Some(s);
            }
            match e {
                Expr::Call(c) => {
                    // `session.query(User)`, `select(User)`: the model is an argument.
                    if let Some(s) = c.args.iter().find_map(|a| self.store_of_expr(&a.value)) {
                        return Some(s);
                    }
                    cur = c.receiver.as_ref();
                }
                _ => return None,
            }
        }
        None
    }

    /// A model, a table or a local that holds one.
    fn store_of_expr(&self, e: &Expr) -> Option<usize> {
        match e {
            Expr::Place(p) => {
                if let Some(&s) = self.locals.get(&place_text(p)) {
                    return Some(s);
                }
                if let Some(&s) = self.locals.get(&p.base) {
                    return Some(s);
                }
                // `User`, `User.objects`, `users::table`, `users::dsl::users`, `user::Entity`.
                let head = p.base.split("::").next().unwrap_or(&p.base);
                let candidates = [p.base.as_str(), head];
                candidates.iter().find_map(|n| self.store_named(n))
            }
            Expr::Call(c) if c.receiver.is_none() => {
                // `users.filter(...)` in Rust is a method; `User::find_by_id(..)` a path.
                let owner = c.path.rsplit_once("::").map(|(o, _)| o)?;
                let owner = owner.trim_end_matches("::Entity");
                self.store_named(owner.rsplit("::").next().unwrap_or(owner))
            }
            _ => None,
        }
    }

    fn store_named(&self, name: &str) -> Option<usize> {
        if name.is_empty() || name.chars().next().is_some_and(|c| c.is_ascii_digit()) {
            return None;
        }
        // A Python name is the class itself (`User`); a local `users` is a list. In Rust a
        // lowercase name is diesel's table module (`users::table`, `users.filter(..)`).
        let table_like = self.language == crate::ir::Language::Rust
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit());
        let wanted = normalise(name);
        self.stores.iter().position(|s| {
            s.language == self.language
                && (s.entity.as_deref() == Some(name)
                    || s.table.as_deref() == Some(name)
                    || (table_like && s.entity.as_deref().is_some_and(|e| normalise(e) == wanted)))
        })
    }

    /// `User.objects.filter(...).update(email=None, phone="")`.
    fn anonymising_update(&self, store: usize, call: &Call) -> bool {
        call.args.iter().any(|a| {
            a.key
                .as_deref()
                .is_some_and(|k| self.is_personal_field(store, k))
                && self.blanks(&a.value)
        })
    }

    fn is_personal_field(&self, store: usize, field: &str) -> bool {
        let s = &self.stores[store];
        let classifier = &self.program.rules.classifier;
        s.entity
            .as_deref()
            .and_then(|e| self.program.type_info(s.language, e))
            .is_some_and(|info| info.personal.iter().any(|p| p.name == field))
            || classifier
                .classify_name(field)
                .is_some_and(|c| !classifier.category(c).pseudonymous)
    }

    /// A value that holds no one's data: a literal (`None`, `""`, `"REDACTED"`), or a
    /// sanitizer's result.
    fn blanks(&self, value: &Expr) -> bool {
        match value {
            Expr::Str { .. } | Expr::Other(_) => true,
            Expr::Call(c) => self.program.rules.is_sanitizer(&c.name),
            _ => false,
        }
    }
}

/// Per function: the names known to hold a model instance or a query over one.
fn locals(stores: &[Store], f: &Function, language: crate::ir::Language) -> HashMap<String, usize> {
    let mut out = HashMap::new();
    let rust = language == crate::ir::Language::Rust;
    let find = |name: &str| {
        // The class itself (`User`), or in Rust diesel's table module (`users`).
        let table_like = rust && name.chars().all(|c| c.is_ascii_lowercase() || c == '_');
        let wanted = normalise(name);
        stores.iter().position(|s| {
            s.language == language && s.entity.as_deref() == Some(name)
                || (s.language == language
                    && table_like
                    && s.entity.as_deref().is_some_and(|e| normalise(e) == wanted))
        })
    };
    for p in &f.params {
        let ty = if p.name == "self" {
            f.owner.clone()
        } else {
            p.ty.clone()
        };
        if let Some(s) = ty
            .as_deref()
            .and_then(|t| crate::rules::type_words(t).find_map(find))
        {
            out.insert(p.name.clone(), s);
        }
    }
    for stmt in &f.body {
        if let Stmt::Assign { target, value, .. } = stmt
            && target.fields.is_empty()
            && let Expr::Call(c) = value
        {
            // `user = User.objects.get(pk=pk)`, `user = session.get(User, id)`,
            // `user = User(...)`.
            let mut cur = Some(c.as_ref());
            let mut found = None;
            while let Some(call) = cur {
                if let Some(s) = find(&call.name).or_else(|| {
                    call.path
                        .split(['.', ':'])
                        .find_map(|seg| (!seg.is_empty()).then(|| find(seg)).flatten())
                }) {
                    found = Some(s);
                    break;
                }
                if let Some(s) = call.args.iter().find_map(|a| match &a.value {
                    Expr::Place(p) if p.fields.is_empty() => find(&p.base),
                    _ => None,
                }) {
                    found = Some(s);
                    break;
                }
                cur = match &call.receiver {
                    Some(Expr::Call(inner)) => Some(inner.as_ref()),
                    Some(Expr::Place(p)) => {
                        found = find(&p.base).or_else(|| out.get(&p.base).copied());
                        None
                    }
                    _ => None,
                };
            }
            if let Some(s) = found {
                out.insert(target.base.clone(), s);
            }
        }
    }
    out
}

/// A receiver that runs statements for a model it is given (`session.delete(user)`).
fn is_session(text: &str) -> bool {
    let last = text.rsplit('.').next().unwrap_or(text).to_ascii_lowercase();
    [
        "session",
        "db",
        "database",
        "conn",
        "connection",
        "tx",
        "transaction",
        "repo",
        "repository",
        "manager",
        "em",
    ]
    .iter()
    .any(|w| last == *w || last.ends_with(&format!("_{w}")))
}

/// The call as a user would name it: `User.objects.filter(…).delete`.
fn callee_text(call: &Call) -> String {
    match &call.receiver {
        Some(Expr::Call(inner)) => format!("{}(…).{}", callee_text(inner), call.name),
        _ => call.path.clone(),
    }
}

/// The age an erasing operation is limited to, from the text of its filter.
fn age_of(text: &str) -> Option<String> {
    if !AGE_WORDS.iter().any(|w| text.contains(w)) {
        return None;
    }
    let number_after = |word: &str| -> Option<u64> {
        let at = text.find(word)? + word.len();
        let digits: String = text[at..]
            .trim_start_matches(|c: char| c == '=' || c == '(' || c.is_whitespace())
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().ok()
    };
    for (word, unit) in [
        ("days", 'D'),
        ("weeks", 'W'),
        ("months", 'M'),
        ("years", 'Y'),
        ("Duration::days", 'D'),
        ("Duration::weeks", 'W'),
    ] {
        if let Some(n) = number_after(word) {
            return Some(format!("P{n}{unit}"));
        }
    }
    Some("?".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_from_filters() {
        assert_eq!(
            age_of("Session.objects.filter(created__lt=now() - timedelta(days=30)).delete()"),
            Some("P30D".into())
        );
        assert_eq!(
            age_of("x.filter(ts < Utc::now() - Duration::days(90))"),
            Some("P90D".into())
        );
        assert_eq!(
            age_of("User.objects.filter(created__lt=cutoff).delete()"),
            Some("?".into())
        );
        assert_eq!(age_of("User.objects.filter(pk=pk).delete()"), None);
    }
}
