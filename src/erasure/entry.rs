//! Entry points: the functions something outside the code calls.
//!
//! - web handlers: route decorators and attributes (Flask, `FastAPI`, Django REST framework
//!   `api_view`; actix-web, rocket `#[get(...)]`), and functions handed over by name
//!   (axum `get(handler)`, warp `and_then(handler)`, Django `path("...", views.x)`,
//!   `scheduler.add_job(purge, ...)`): a function passed as a value is called by whoever
//!   receives it;
//! - tasks, commands and schedules: Celery `task`/`shared_task`/`periodic_task`, click and typer
//!   `command`, `APScheduler` `scheduled_job`, Django signal `receiver`;
//! - `main`, `#[tokio::main]`, and module-level code (it runs on import).
//!
//! Tests are not entry points: code only a test reaches does not run in production.

use crate::graph::calls::CallGraph;
use crate::graph::{FnId, Program};
use crate::ir::{Expr, Language, for_each_call};
use petgraph::visit::Dfs;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Decorator and attribute names (the last segment, before any arguments) that make a function
/// an entry point, and what to call it.
const ENTRY_DECORATORS: &[(&str, &str)] = &[
    ("route", "a web route"),
    ("get", "a web route"),
    ("post", "a web route"),
    ("put", "a web route"),
    ("patch", "a web route"),
    ("delete", "a web route"),
    ("head", "a web route"),
    ("api_view", "a web view"),
    ("action", "a web view"),
    ("websocket", "a websocket handler"),
    ("task", "a task"),
    ("shared_task", "a task"),
    ("periodic_task", "a scheduled task"),
    ("scheduled_job", "a scheduled job"),
    ("cron", "a scheduled job"),
    ("command", "a command"),
    ("group", "a command"),
    ("callback", "a command"),
    ("receiver", "a signal receiver"),
    ("on_event", "an event handler"),
    ("main", "the program's entry point"),
];

/// Methods a web framework calls on a class-based view (Django, Django REST framework,
/// Flask's `MethodView`, Tornado handlers).
const VIEW_METHODS: &[&str] = &[
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "head",
    "options",
    "dispatch",
    "form_valid",
    "form_invalid",
    "perform_create",
    "perform_update",
    "perform_destroy",
    "destroy",
    "create",
    "update",
    "partial_update",
    "list",
    "retrieve",
];

/// Classes deriving from a view, view set, resource or handler class, by language.
fn view_classes<'p>(program: &'p Program<'_>) -> HashSet<(Language, &'p str)> {
    program
        .units
        .iter()
        .flat_map(|u| u.facts.types.iter().map(move |t| (u.language, t)))
        .filter(|(_, t)| {
            t.traits.iter().any(|b| {
                [
                    "View", "ViewSet", "APIView", "Resource", "Handler", "Consumer",
                ]
                .iter()
                .any(|s| b.ends_with(s))
            })
        })
        .map(|(language, t)| (language, t.name.as_str()))
        .collect()
}

/// Every entry point of the program, with why it is one.
pub fn find(program: &Program<'_>) -> BTreeMap<FnId, String> {
    let mut out = BTreeMap::new();
    let views = view_classes(program);
    let mut by_name: HashMap<&str, Vec<FnId>> = HashMap::new();
    for id in program.all_functions() {
        let f = program.function(id);
        if !f.is_module_body {
            by_name.entry(f.name.as_str()).or_default().push(id);
        }
    }
    for id in program.all_functions() {
        let unit = &program.units[id.unit as usize];
        if unit.is_test {
            continue;
        }
        let f = program.function(id);
        if f.is_module_body {
            out.insert(id, "module-level code".to_string());
        } else if f.name == "main" && f.owner.is_none() {
            out.insert(id, "`main`".to_string());
        } else if let Some(why) = f.decorators.iter().find_map(|d| decorator_entry(d)) {
            out.insert(id, format!("{why} (`{}`)", first_line(&f.decorators)));
        } else if let Some(owner) = f.owner.as_deref()
            && VIEW_METHODS.contains(&f.name.as_str())
            && views.contains(&(unit.language, owner))
        {
            out.insert(id, format!("a method of the view `{owner}`"));
        }
        // Functions handed over by name are called by whoever receives them.
        for_each_call(&f.body, |call| {
            for arg in &call.args {
                let Expr::Place(p) = &arg.value else { continue };
                let name = p.leaf();
                let Some(targets) = by_name.get(name) else {
                    continue;
                };
                for target in targets {
                    let t = program.function(*target);
                    let same_language =
                        program.units[target.unit as usize].language == unit.language;
                    // `views.delete_account`, `handler`, `Self::handler`: a plain name, not a
                    // method called on a value.
                    if same_language && (t.owner.is_none() || unit.language == Language::Rust) {
                        out.entry(*target).or_insert_with(|| {
                            format!("passed to `{}` at {}", call.path, unit.display)
                        });
                    }
                }
            }
        });
    }
    out
}

fn decorator_entry(decorator: &str) -> Option<&'static str> {
    let head = decorator.split('(').next().unwrap_or(decorator).trim();
    let last = head.rsplit(['.', ':']).next().unwrap_or(head);
    ENTRY_DECORATORS
        .iter()
        .find(|(name, _)| *name == last)
        .map(|(_, why)| *why)
}

/// The first line of the decorator that makes the function an entry point.
fn first_line(decorators: &[String]) -> &str {
    decorators
        .iter()
        .find(|d| decorator_entry(d).is_some())
        .map_or("", |d| d.lines().next().unwrap_or(d))
}

/// The functions reachable over the call graph from `start`, `start` included.
pub fn reach(calls: &CallGraph, start: impl IntoIterator<Item = FnId>) -> HashSet<FnId> {
    let mut out = HashSet::new();
    for s in start {
        out.insert(s);
        let Some(&node) = calls.nodes.get(&s) else {
            continue;
        };
        let mut dfs = Dfs::new(&calls.graph, node);
        while let Some(n) = dfs.next(&calls.graph) {
            out.insert(calls.graph[n]);
        }
    }
    out
}

/// A declared erasure entry point (`accounts.delete_account`, `accounts::delete_account`,
/// `AccountService.delete`) as a function of the program.
pub fn resolve(program: &Program<'_>, name: &str) -> Option<FnId> {
    let parts: Vec<&str> = name.split(['.', ':']).filter(|p| !p.is_empty()).collect();
    let (function, qualifiers) = parts.split_last()?;
    program.all_functions().into_iter().find(|id| {
        let f = program.function(*id);
        if f.is_module_body || f.name != *function {
            return false;
        }
        let unit = &program.units[id.unit as usize];
        // Each qualifier names the owner type or a module on the file's path.
        qualifiers.iter().all(|q| {
            f.owner.as_deref() == Some(*q) || unit.module.iter().any(|m| m == q) || *q == "crate"
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decorators_that_make_entry_points() {
        assert!(decorator_entry("app.route(\"/users/<id>\", methods=[\"DELETE\"])").is_some());
        assert!(decorator_entry("router.delete(\"/users/{id}\")").is_some());
        assert!(decorator_entry("shared_task").is_some());
        assert!(decorator_entry("actix_web::delete(\"/users/{id}\")").is_some());
        assert!(decorator_entry("tokio::main").is_some());
        assert!(decorator_entry("staticmethod").is_none());
        assert!(decorator_entry("dataclass").is_none());
        assert!(decorator_entry("derive(Debug)").is_none());
    }
}
