//! The flow graph: where personal data goes, across functions and files.
//!
//! Built in three steps over the facts of every file:
//! 1. **Index** ([`Program::new`]): functions by name, types with their personal fields and how
//!    they print themselves, logger names per file.
//! 2. **Call graph** ([`calls`]): every function is evaluated once without callee summaries to
//!    learn which functions it calls; the call graph (petgraph) is split into strongly connected
//!    components, callees first.
//! 3. **Propagation** ([`eval`]): functions are evaluated in that order, each producing a
//!    [`Summary`] (which parameters reach its return value and which reach a sink) that its
//!    callers apply at their call sites. Recursive components iterate to a fixed point.
//!
//! The result is a list of [`SinkHit`]s: personal data of a category reaching a sink, with the
//! path it took. Checks turn those into findings.

pub mod calls;
pub mod eval;

use crate::classify::CategoryId;
use crate::ir::{Call, Expr, FileFacts, Function, Import, Language, Span, Stmt};
use crate::rules::recipients::RecipientId;
use crate::rules::{LanguageRules, Rules, place_text};
use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::Arc;

/// One analysed file.
pub struct Unit {
    pub display: String,
    /// The path as found on disk.
    pub path: std::path::PathBuf,
    pub language: Language,
    pub text: Arc<str>,
    pub facts: FileFacts,
    /// Module path segments derived from the file path (`app/services/users.py` →
    /// `[app, services, users]`), used to pick between functions of the same name.
    pub module: Vec<String>,
    /// Names bound in this file to what a sink's factory returns, by the sink's kind: loggers
    /// (`logger = logging.getLogger()`), files (`with open(p) as f`), clients.
    pub handles: HashMap<SinkKind, HashSet<String>>,
    /// Module-level names bound to a string literal (`API_URL = "https://..."`), for the host
    /// of a request that uses one.
    pub constants: HashMap<String, String>,
    /// A test file: its literal values are test data, not a person's.
    pub is_test: bool,
    /// Byte offsets at which the text's lines start, made on first use: a file with many
    /// findings would otherwise be counted through from its start for each hop of each path.
    pub line_starts: std::sync::OnceLock<Vec<u32>>,
}

impl Unit {
    /// 1-based line and character column of a byte offset, as `findings::line_col` gives them.
    pub fn line_col(&self, offset: usize) -> (u32, u32) {
        let text = &*self.text;
        let starts = self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i as u32 + 1))
                .collect()
        });
        let boundary = text.floor_char_boundary(offset);
        let line = starts.partition_point(|start| *start as usize <= boundary);
        let line_start = starts[line - 1] as usize;
        let column = text[line_start..boundary].chars().count() + 1;
        (line as u32, column as u32)
    }
}

/// Index of a function: (unit, function index in that unit's facts).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FnId {
    pub unit: u32,
    pub index: u32,
}

/// A personal field of a type.
#[derive(Clone, Debug)]
pub struct PersonalField {
    pub name: String,
    pub category: CategoryId,
    pub unit: u32,
    pub span: Span,
}

/// What the analysis knows about a struct or class.
#[derive(Clone, Debug, Default)]
pub struct TypeInfo {
    pub name: String,
    /// Fields whose names classify as personal data and whose type does not hide them.
    pub personal: Vec<PersonalField>,
    /// Field name → declared type, for nested objects (`order.customer`).
    pub field_types: HashMap<String, String>,
    /// All declared field names.
    pub fields: HashSet<String>,
    /// Formatting with the debug representation (`{:?}`, `!r`) shows the personal fields.
    pub debug_leaks: bool,
    /// Formatting for display (`{}`, `str()`, `%s`) shows them.
    pub display_leaks: bool,
    /// Serialising it (`serde_json::to_string`, `asdict`) writes them.
    pub serializes: bool,
}

/// A place in the code on a data path.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct At {
    pub unit: u32,
    pub span: Span,
    /// Shared: values are copied on every read, and their paths with them.
    pub note: Arc<str>,
}

/// Where a value's personal data comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Origin {
    /// Personal data of this category.
    Data(CategoryId),
    /// Whatever the caller passes as this parameter.
    Param(u32),
}

/// One origin of a value, with the path from it to here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub origin: Origin,
    pub hops: Vec<At>,
}

/// A sink call site.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SinkRef {
    pub unit: u32,
    pub span: Span,
    /// The callee as written, with `!` for macros (`info!`, `logger.info`).
    pub callee: String,
    /// Which kind of sink (`log`, `http`).
    pub kind: SinkKind,
    /// Who receives the data, where the code says: the host of an HTTP request, or the id of
    /// the recipient an SDK call belongs to.
    pub target: Option<String>,
}

pub use crate::rules::SinkKind;

/// A parameter of a function that reaches a sink.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamSink {
    pub param: u32,
    pub sink: SinkRef,
    /// From the parameter to the sink.
    pub hops: Vec<At>,
}

/// What callers need to know about a function.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    /// Origins that reach the return value.
    pub ret: Vec<Label>,
    /// The type of the return value, where known.
    pub ret_ty: Option<String>,
    /// Parameters that reach a sink.
    pub sinks: Vec<ParamSink>,
}

impl Summary {
    /// The part of a summary that decides callers' results; paths are left out so the fixed
    /// point is reached on facts, not on which of two equal paths was kept.
    fn shape(&self) -> (Vec<Origin>, Option<&str>, Vec<(u32, &SinkRef)>) {
        let mut ret: Vec<Origin> = self.ret.iter().map(|l| l.origin).collect();
        ret.sort();
        let mut sinks: Vec<(u32, &SinkRef)> =
            self.sinks.iter().map(|s| (s.param, &s.sink)).collect();
        sinks.sort();
        (ret, self.ret_ty.as_deref(), sinks)
    }
}

/// Personal data that reaches a sink.
#[derive(Clone, Debug)]
pub struct SinkHit {
    pub sink: SinkRef,
    /// Only `Origin::Data` labels, each with its full path (the sink is not among the hops).
    pub labels: Vec<Label>,
}

/// What the data map and `privlint: data(...)` annotations say is personal data, whatever
/// the names.
#[derive(Clone, Debug, Default)]
pub struct Declared {
    /// `Type.field` → category, from the elements' `fields:` lists.
    pub fields: HashMap<String, CategoryId>,
    /// Per unit: byte ranges of lines annotated `privlint: data(element)`, with the element's
    /// category. A field or an assignment on such a line holds that data.
    pub lines: HashMap<u32, Vec<(u32, u32, CategoryId)>>,
}

impl Declared {
    /// The category an annotation gives to what starts at `offset` of `unit`.
    pub fn at(&self, unit: u32, offset: u32) -> Option<CategoryId> {
        self.lines
            .get(&unit)?
            .iter()
            .find(|(start, end, _)| *start <= offset && offset < *end)
            .map(|(_, _, c)| *c)
    }
}

/// The whole program as the analysis sees it.
pub struct Program<'r> {
    pub rules: &'r Rules,
    pub units: Vec<Unit>,
    pub declared: Declared,
    /// Names of the project's own modules and packages (file stems, package folders): an
    /// import of one of these is not a third-party SDK of the same name.
    local_modules: HashSet<String>,
    /// Per unit: names bound to a third-party SDK client (`client = stripe.StripeClient()`).
    recipient_handles: Vec<HashMap<String, RecipientId>>,
    /// Types by language, then by name: a Python `Customer` is not a Rust `Customer`.
    pub types: HashMap<Language, HashMap<String, TypeInfo>>,
    /// Lowercased names of the types that hold personal data (`customer` → `Customer`), for
    /// typing a variable by its name.
    personal_type_words: HashMap<Language, HashMap<String, String>>,
    functions: FunctionIndex,
}

/// Functions by what a call site knows of them, so resolving a call is a few hash lookups
/// whatever the number of functions sharing a name.
#[derive(Default)]
struct FunctionIndex {
    /// owner → method name → methods.
    methods: HashMap<String, HashMap<String, Vec<FnId>>>,
    /// Methods by name alone.
    methods_by_name: HashMap<String, Vec<FnId>>,
    /// Free functions (no owner) by name.
    free: HashMap<String, Vec<FnId>>,
    /// unit → name → free functions defined in that unit.
    free_in_unit: HashMap<u32, HashMap<String, Vec<FnId>>>,
}

impl FunctionIndex {
    fn build(units: &[Unit]) -> Self {
        let mut functions = FunctionIndex::default();
        for (u, unit) in units.iter().enumerate() {
            for (i, f) in unit.facts.functions.iter().enumerate() {
                if f.is_module_body {
                    continue;
                }
                let id = FnId {
                    unit: u as u32,
                    index: i as u32,
                };
                if let Some(owner) = &f.owner {
                    functions
                        .methods
                        .entry(owner.clone())
                        .or_default()
                        .entry(f.name.clone())
                        .or_default()
                        .push(id);
                    functions
                        .methods_by_name
                        .entry(f.name.clone())
                        .or_default()
                        .push(id);
                } else {
                    functions.free.entry(f.name.clone()).or_default().push(id);
                    functions
                        .free_in_unit
                        .entry(id.unit)
                        .or_default()
                        .entry(f.name.clone())
                        .or_default()
                        .push(id);
                }
            }
        }
        functions
    }

    fn method(&self, owner: &str, name: &str) -> &[FnId] {
        self.methods
            .get(owner)
            .and_then(|m| m.get(name))
            .map_or(&[], Vec::as_slice)
    }
    fn free(&self, name: &str) -> &[FnId] {
        self.free.get(name).map_or(&[], Vec::as_slice)
    }
    fn free_in_unit(&self, unit: u32, name: &str) -> &[FnId] {
        self.free_in_unit
            .get(&unit)
            .and_then(|m| m.get(name))
            .map_or(&[], Vec::as_slice)
    }
}

/// Names of methods so common in standard libraries that a call to one on a value of unknown
/// type is not taken to be a call to the project's own method of that name.
const GENERIC_METHODS: &[&str] = &[
    "new",
    "get",
    "set",
    "clone",
    "to_string",
    "to_owned",
    "into",
    "from",
    "len",
    "iter",
    "into_iter",
    "map",
    "unwrap",
    "expect",
    "push",
    "insert",
    "remove",
    "update",
    "run",
    "call",
    "write",
    "read",
    "open",
    "close",
    "format",
    "join",
    "split",
    "strip",
    "lower",
    "upper",
    "items",
    "keys",
    "values",
    "append",
    "extend",
    "add",
    "info",
    "debug",
    "warn",
    "error",
    "default",
    "as_ref",
    "as_str",
    "borrow",
    "lock",
    "send",
    "recv",
    "next",
    "filter",
    "collect",
    "encode",
    "decode",
    "copy",
    "replace",
    "find",
    "parse",
    "hash",
    "eq",
    "cmp",
    "fmt",
    "__init__",
    "__str__",
    "__repr__",
    "__eq__",
    "save",
    "delete",
    "create",
    "execute",
    "commit",
    "query",
    "fetch",
    "load",
    "dump",
    "dumps",
    "loads",
    "json",
    "text",
    "content",
    "post",
    "put",
    "patch",
    "emit",
    "handle",
    "process",
    "validate",
    "build",
    "serialize",
    "deserialize",
];

impl<'r> Program<'r> {
    pub fn new(rules: &'r Rules, units: Vec<Unit>) -> Self {
        Self::with_declared(rules, units, Declared::default())
    }

    /// A program where the data map's `fields:` and `privlint: data(...)` annotations mark
    /// personal data too.
    pub fn with_declared(rules: &'r Rules, units: Vec<Unit>, declared: Declared) -> Self {
        let mut program = Program {
            rules,
            units,
            declared,
            local_modules: HashSet::default(),
            recipient_handles: Vec::new(),
            types: HashMap::default(),
            personal_type_words: HashMap::default(),
            functions: FunctionIndex::default(),
        };
        let (functions, types) = rayon::join(
            || FunctionIndex::build(&program.units),
            || program.index_types(),
        );
        program.functions = functions;
        program.personal_type_words = types
            .iter()
            .map(|(language, types)| {
                let words = types
                    .values()
                    .filter(|t| !t.personal.is_empty())
                    .map(|t| (t.name.to_ascii_lowercase(), t.name.clone()))
                    .collect();
                (*language, words)
            })
            .collect();
        program.types = types;
        program.local_modules = local_modules(&program.units);
        program.recipient_handles = (0..program.units.len())
            .into_par_iter()
            .map(|u| program.recipient_handles_in(u))
            .collect();
        program
    }

    /// The third-party recipient a call goes to: a call into an SDK's package (imports
    /// resolved), a method on a client made by one, or a method chained on such a call.
    pub fn recipient_of_call(&self, unit: u32, call: &Call) -> Option<RecipientId> {
        let u = &self.units[unit as usize];
        let sep = if u.language == Language::Rust {
            "::"
        } else {
            "."
        };
        if let Some(handles) = self.recipient_handles.get(unit as usize) {
            // A method call's path joins its receiver with `.` in every language.
            let mut prefix = call.path.as_str();
            while let Some(at) = prefix.rfind(['.', ':']) {
                let head = prefix[..at].trim_end_matches(':');
                if let Some(id) = handles.get(head) {
                    return Some(*id);
                }
                prefix = head;
            }
        }
        if let Some(Expr::Call(inner)) = &call.receiver {
            return self.recipient_of_call(unit, inner);
        }
        let resolved = resolve_import(&u.facts.imports, &call.path, sep, u.language)?;
        let head = resolved.split(sep).next()?;
        if self.local_modules.contains(head) {
            return None;
        }
        self.rules.recipients.match_path(u.language, &resolved)
    }

    /// Names a file binds to what an SDK call returns.
    fn recipient_handles_in(&self, unit: usize) -> HashMap<String, RecipientId> {
        let mut out = HashMap::default();
        if self.rules.recipients.is_empty() {
            return out;
        }
        for f in &self.units[unit].facts.functions {
            for stmt in &f.body {
                if let Stmt::Assign {
                    target,
                    value: Expr::Call(call),
                    ..
                } = stmt
                    && let Some(id) = self.recipient_of_call(unit as u32, call)
                {
                    out.insert(place_text(target), id);
                }
            }
        }
        out
    }

    /// Each file's path below `root` as segments, when it is below it (both canonicalized, so
    /// `./src` and an absolute path agree).
    pub fn relative_paths(&self, root: &std::path::Path) -> Vec<Option<Vec<String>>> {
        let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        self.units
            .iter()
            .map(|u| {
                let path = std::fs::canonicalize(&u.path).ok()?;
                let rel = path.strip_prefix(&root).ok()?;
                Some(
                    rel.components()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .collect(),
                )
            })
            .collect()
    }

    /// Everything the program holds but the rules, for a caller that wants to free it on its
    /// own terms (on another thread: a large scan's facts and indexes take a while to free).
    pub fn into_owned(self) -> impl Send + 'static {
        (
            self.units,
            self.declared,
            self.local_modules,
            self.recipient_handles,
            self.types,
            self.personal_type_words,
            self.functions,
        )
    }

    pub fn function(&self, id: FnId) -> &Function {
        &self.units[id.unit as usize].facts.functions[id.index as usize]
    }

    pub fn all_functions(&self) -> Vec<FnId> {
        let mut out = Vec::new();
        for (u, unit) in self.units.iter().enumerate() {
            for i in 0..unit.facts.functions.len() {
                out.push(FnId {
                    unit: u as u32,
                    index: i as u32,
                });
            }
        }
        out
    }

    pub fn language_rules(&self, unit: u32) -> Option<&LanguageRules> {
        self.rules.language(self.units[unit as usize].language)
    }

    /// What the program knows about the type `name` in `language`.
    pub fn type_info(&self, language: Language, name: &str) -> Option<&TypeInfo> {
        self.types.get(&language)?.get(name)
    }

    /// The project type a declared type names (`Option<&User>` → `User`), if any.
    pub fn type_in(&self, language: Language, ty: &str) -> Option<String> {
        let mut found = None;
        for word in crate::rules::type_words(ty) {
            if word == "Self" {
                continue;
            }
            // The first project type named wins: `Result<User, Error>` is about a `User`.
            if self.type_info(language, word).is_some() {
                found = Some(word.to_string());
                break;
            }
        }
        found
    }

    /// The type a variable's name suggests (`customer`, `current_user`, `users` → `User`), when
    /// the project defines one by that name that holds personal data.
    pub fn type_for_name(&self, language: Language, name: &str) -> Option<String> {
        // Called on every read of an untyped variable: find the last word without tokenising.
        let bytes = name.as_bytes();
        let mut start = bytes.len();
        while start > 0 {
            let c = bytes[start - 1];
            if c == b'_' || c == b'-' || !c.is_ascii_alphanumeric() {
                break;
            }
            start -= 1;
            if c.is_ascii_uppercase() && start > 0 && bytes[start - 1].is_ascii_lowercase() {
                break;
            }
        }
        let last = name
            .get(start..)
            .filter(|w| w.len() > 1)?
            .to_ascii_lowercase();
        let types = self.personal_type_words.get(&language)?;
        let singular = last.strip_suffix('s').filter(|s| s.len() > 2);
        types
            .get(&last)
            .or_else(|| singular.and_then(|s| types.get(s)))
            .cloned()
    }

    /// Candidate functions for a call, by name, receiver and path.
    pub fn resolve(
        &self,
        caller: FnId,
        name: &str,
        path: &str,
        receiver: Option<&Expr>,
        receiver_ty: Option<&str>,
    ) -> Vec<FnId> {
        let index = &self.functions;
        let caller_owner = self.function(caller).owner.as_deref();
        let unit = &self.units[caller.unit as usize];
        let import_of = |alias: &str| unit.facts.imports.iter().find(|i| i.alias == alias);
        let pick = |ids: Vec<FnId>| -> Vec<FnId> { if ids.len() <= 3 { ids } else { Vec::new() } };
        let unique_method = || {
            let methods = index
                .methods_by_name
                .get(name)
                .map_or(&[][..], Vec::as_slice);
            if methods.len() == 1 {
                methods.to_vec()
            } else {
                Vec::new()
            }
        };
        match receiver {
            Some(Expr::Place(place))
                if place.fields.is_empty()
                    && (place.base == "self" || place.base == "cls" || place.base == "Self") =>
            {
                let Some(owner) = caller_owner else {
                    return Vec::new();
                };
                let same = index.method(owner, name);
                if same.is_empty() {
                    // A method defined in a base class: a unique method of that name.
                    return unique_method();
                }
                prefer_unit(same, caller.unit)
            }
            Some(receiver) => {
                if let Some(ty) = receiver_ty {
                    let typed = index.method(ty, name);
                    if !typed.is_empty() {
                        return prefer_unit(typed, caller.unit);
                    }
                }
                if let Expr::Place(place) = receiver {
                    // `Type.method(...)` / `module.function(...)`
                    if place.fields.is_empty() {
                        let by_owner = index.method(&place.base, name);
                        if !by_owner.is_empty() {
                            return by_owner.to_vec();
                        }
                        if let Some(import) = import_of(&place.base) {
                            return pick(self.prefer_module(index.free(name), &import.path));
                        }
                    }
                }
                if GENERIC_METHODS.contains(&name) {
                    return Vec::new();
                }
                unique_method()
            }
            None => {
                if let Some((qualifier_path, _)) = path.rsplit_once("::") {
                    let qualifier = qualifier_path.rsplit("::").next().unwrap_or(qualifier_path);
                    let by_owner = index.method(qualifier, name);
                    if !by_owner.is_empty() {
                        return prefer_unit(by_owner, caller.unit);
                    }
                    if qualifier == "Self" {
                        return caller_owner
                            .map_or_else(Vec::new, |owner| index.method(owner, name).to_vec());
                    }
                    return pick(self.prefer_module(index.free(name), qualifier_path));
                }
                let local = index.free_in_unit(caller.unit, name);
                if !local.is_empty() {
                    return local.to_vec();
                }
                if let Some(import) = import_of(name) {
                    return pick(self.prefer_module(index.free(name), &import.path));
                }
                pick(index.free(name).to_vec())
            }
        }
    }

    /// Of several functions, those whose file's module path best matches an import path.
    fn prefer_module(&self, ids: &[FnId], import_path: &str) -> Vec<FnId> {
        // Scoring thousands of same-named functions per call would make resolution quadratic;
        // past this many the name is ambiguous anyway.
        if ids.len() <= 1 || ids.len() > 256 {
            return ids.to_vec();
        }
        let wanted: Vec<&str> = import_path
            .split(['.', ':'])
            .filter(|s| !s.is_empty() && *s != "crate" && *s != "super" && *s != "self")
            .collect();
        let score = |id: &FnId| {
            let module = &self.units[id.unit as usize].module;
            wanted
                .iter()
                .filter(|w| module.iter().any(|m| m == *w))
                .count()
        };
        let best = ids.iter().map(score).max().unwrap_or(0);
        if best == 0 {
            return ids.to_vec();
        }
        ids.iter().copied().filter(|id| score(id) == best).collect()
    }

    fn index_types(&self) -> HashMap<Language, HashMap<String, TypeInfo>> {
        let mut by_language: HashMap<Language, Vec<usize>> = HashMap::default();
        for (u, unit) in self.units.iter().enumerate() {
            by_language.entry(unit.language).or_default().push(u);
        }
        by_language
            .into_par_iter()
            .map(|(language, units)| (language, self.index_types_of(language, &units)))
            .collect()
    }

    /// The category a field of type `owner` holds: as the data map declares it, else by its
    /// name, else by its name read with its type's (`Card.number`); none when its type is a
    /// sanitizer's (a hash, a secret wrapper).
    fn field_category(
        &self,
        unit: usize,
        owner: &str,
        field: &crate::ir::FieldDef,
    ) -> Option<CategoryId> {
        let classifier = &self.rules.classifier;
        if field
            .ty
            .as_deref()
            .is_some_and(|ty| self.rules.is_sanitizer_type(ty))
        {
            return None;
        }
        let declared = if self.declared.fields.is_empty() {
            None
        } else {
            self.declared
                .fields
                .get(&format!("{owner}.{}", field.name))
                .copied()
        }
        .or_else(|| self.declared.at(unit as u32, field.span.start));
        let by_name = classifier
            .classify_name(&field.name)
            .filter(|c| !classifier.owner_excludes(*c, owner));
        declared.or(by_name).or_else(|| {
            // `Card.number`, `Customer.name`: the field read with its type's name.
            self.rules
                .qualified_fields
                .contains(field.name.as_str())
                .then(|| classifier.classify_name(&format!("{owner}_{}", field.name)))
                .flatten()
        })
    }

    fn index_types_of(&self, language: Language, units: &[usize]) -> HashMap<String, TypeInfo> {
        // What each field holds, by its declaration or its name, file by file in parallel:
        // naming a field's data is most of the work, and no file's answer depends on another's.
        let categories: Vec<Vec<Vec<Option<CategoryId>>>> = units
            .par_iter()
            .map(|&u| {
                let unit = &self.units[u];
                unit.facts
                    .types
                    .iter()
                    .map(|def| {
                        def.fields
                            .iter()
                            .map(|field| self.field_category(u, &def.name, field))
                            .collect()
                    })
                    .collect()
            })
            .collect();
        let mut types: HashMap<String, TypeInfo> = HashMap::default();
        let mut traits: HashMap<String, HashSet<String>> = HashMap::default();
        for (&u, unit_categories) in units.iter().zip(&categories) {
            let unit = &self.units[u];
            for (def, field_categories) in unit.facts.types.iter().zip(unit_categories) {
                let info = types.entry(def.name.clone()).or_insert_with(|| TypeInfo {
                    name: def.name.clone(),
                    ..TypeInfo::default()
                });
                traits
                    .entry(def.name.clone())
                    .or_default()
                    .extend(def.traits.iter().cloned());
                for (field, category) in def.fields.iter().zip(field_categories) {
                    if !info.fields.insert(field.name.clone()) {
                        continue;
                    }
                    if let Some(ty) = &field.ty {
                        info.field_types.insert(field.name.clone(), ty.clone());
                    }
                    if let Some(category) = *category {
                        info.personal.push(PersonalField {
                            name: field.name.clone(),
                            category,
                            unit: u as u32,
                            span: field.span,
                        });
                    }
                }
            }
        }
        // Base classes: a class inherits the personal fields of a project class it derives from.
        let names: Vec<String> = types.keys().cloned().collect();
        for name in &names {
            let bases: Vec<String> = traits[name]
                .iter()
                .filter(|t| *t != name && types.contains_key(*t))
                .cloned()
                .collect();
            for base in bases {
                let inherited = types[&base].personal.clone();
                let info = types.get_mut(name).expect("indexed above");
                for field in inherited {
                    if !info.personal.iter().any(|p| p.name == field.name) {
                        info.personal.push(field);
                    }
                }
            }
        }
        let leaking_reprs = self.leaking_reprs(units);
        for name in &names {
            let type_traits = &traits[name];
            let Some(lang) = self.rules.language(language) else {
                continue;
            };
            let manual = leaking_reprs.contains(name.as_str());
            let info = types.get_mut(name).expect("indexed above");
            let derived = |set: &HashSet<String>| type_traits.iter().any(|t| set.contains(t));
            match language {
                Language::Rust => {
                    // A hand-written Debug is trusted to redact; a hand-written Display is read.
                    info.debug_leaks =
                        derived(&lang.repr_debug) && !type_traits.contains("impl:Debug");
                    info.display_leaks = derived(&lang.repr_display)
                        || (type_traits.contains("impl:Display") && manual);
                }
                Language::Python => {
                    let custom = type_traits.contains("impl:__repr__")
                        || type_traits.contains("impl:__str__");
                    let leaks = if custom {
                        manual
                    } else {
                        derived(&lang.repr_debug)
                    };
                    info.debug_leaks = leaks;
                    info.display_leaks = leaks;
                }
                // A table prints nothing by itself.
                Language::Sql => {}
            }
            info.serializes = derived(&lang.repr_serialize);
            if info.personal.is_empty() {
                info.debug_leaks = false;
                info.display_leaks = false;
            }
        }
        types
    }

    /// The types whose hand-written `fmt`/`__repr__`/`__str__` reads a personal field of
    /// `self` outside a sanitizer call. One pass over the units' functions.
    fn leaking_reprs(&self, units: &[usize]) -> HashSet<&str> {
        let mut out = HashSet::default();
        for &u in units {
            for f in &self.units[u].facts.functions {
                let Some(owner) = f.owner.as_deref() else {
                    continue;
                };
                if matches!(f.name.as_str(), "fmt" | "__repr__" | "__str__")
                    && f.body
                        .iter()
                        .any(|s| stmt_reads_personal_self(self.rules, s))
                {
                    out.insert(owner);
                }
            }
        }
        out
    }
}

fn prefer_unit(ids: &[FnId], unit: u32) -> Vec<FnId> {
    if ids.iter().any(|id| id.unit == unit) {
        ids.iter().copied().filter(|id| id.unit == unit).collect()
    } else if ids.len() <= 3 {
        ids.to_vec()
    } else {
        Vec::new()
    }
}

/// Calls whose result is their input as text.
const TEXT_PRESERVING: &[&str] = &[
    "str",
    "repr",
    "format",
    "to_string",
    "to_owned",
    "clone",
    "as_str",
    "upper",
    "lower",
    "title",
    "capitalize",
    "strip",
    "trim",
    "to_uppercase",
    "to_lowercase",
    "join",
];

fn stmt_reads_personal_self(rules: &Rules, stmt: &Stmt) -> bool {
    match stmt {
        Stmt::Assign { value, .. } | Stmt::Return { value, .. } | Stmt::Expr(value) => {
            expr_reads_personal_self(rules, value, 0)
        }
        Stmt::Branch { .. } => false,
    }
}

fn expr_reads_personal_self(rules: &Rules, expr: &Expr, depth: usize) -> bool {
    if depth > crate::lang::MAX_NESTING {
        return false;
    }
    match expr {
        Expr::Place(p) => {
            p.base == "self"
                && p.fields.first().is_some_and(|f| {
                    rules
                        .classifier
                        .classify_name(f)
                        .is_some_and(|c| rules.classifier.category(c).identifier)
                })
        }
        Expr::Call(call) => {
            // Formatting macros (`write!(f, "{}", self.email)`) and calls that keep the text
            // (`str(self.email)`, `self.email.upper()`) show the field; any other call
            // transforms it first (`self.email.partition("@")`), which a hand-written
            // representation is trusted to do in order to redact.
            if rules.is_sanitizer(&call.name)
                || !(call.is_macro || TEXT_PRESERVING.contains(&call.name.as_str()))
            {
                return false;
            }
            call.receiver
                .as_ref()
                .is_some_and(|r| expr_reads_personal_self(rules, r, depth + 1))
                || call
                    .args
                    .iter()
                    .any(|a| expr_reads_personal_self(rules, &a.value, depth + 1))
        }
        Expr::Compound(c) => c
            .parts
            .iter()
            .any(|p| expr_reads_personal_self(rules, &p.value, depth + 1)),
        Expr::Closure { body, .. } => body.iter().any(|s| stmt_reads_personal_self(rules, s)),
        Expr::Str { .. } | Expr::Other(_) => false,
    }
}

/// Whether a path is test code (`tests/`, `test_*.py`, `*_test.py`, `conftest.py`).
pub fn is_test_path(display: &str) -> bool {
    let file = display.rsplit('/').next().unwrap_or_default();
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    display
        .split('/')
        .any(|s| matches!(s, "tests" | "test" | "testing" | "benches" | "examples"))
        || stem.starts_with("test_")
        || stem.ends_with("_test")
        || stem.ends_with("_tests")
        || stem == "conftest"
        || stem == "tests"
}

/// Module path segments of a file (`src/accounts/mod.rs` → `[accounts]`).
pub fn module_of(display: &str) -> Vec<String> {
    let mut parts: Vec<String> = display.split('/').map(str::to_string).collect();
    if let Some(last) = parts.last_mut()
        && let Some((stem, _)) = last.rsplit_once('.')
    {
        *last = stem.to_string();
    }
    parts.retain(|p| {
        !matches!(
            p.as_str(),
            "src" | "mod" | "lib" | "main" | "__init__" | "." | ".." | ""
        )
    });
    parts
}

/// A callee path with its first segment replaced by what an import binds it to
/// (`Client::new` → `stripe::Client::new`). A Rust path that no `use` names is a crate path as
/// it stands; a Python name that no import binds is local.
fn resolve_import(imports: &[Import], path: &str, sep: &str, language: Language) -> Option<String> {
    let path = path.strip_prefix(sep).unwrap_or(path);
    let (head, rest) = match path.split_once(sep) {
        Some((h, r)) => (h, Some(r)),
        None => (path, None),
    };
    match imports.iter().find(|i| i.alias == head) {
        Some(import) => Some(match rest {
            Some(r) => format!("{}{sep}{r}", import.path),
            None => import.path.clone(),
        }),
        None if language == Language::Rust
            && rest.is_some()
            && !matches!(head, "crate" | "self" | "super" | "Self") =>
        {
            Some(path.to_string())
        }
        None => None,
    }
}

/// The project's own module names: file stems, and the folders of packages
/// (`__init__.py`, `mod.rs`).
fn local_modules(units: &[Unit]) -> HashSet<String> {
    let mut out = HashSet::default();
    for u in units {
        let mut parts = u.display.rsplit('/');
        let Some(file) = parts.next() else { continue };
        let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
        if matches!(stem, "__init__" | "mod" | "lib" | "main") {
            if let Some(dir) = parts.next() {
                out.insert(dir.to_string());
            }
        } else {
            out.insert(stem.to_string());
        }
    }
    out
}

/// Module-level names bound to a string literal.
pub fn constants_of(facts: &FileFacts) -> HashMap<String, String> {
    let mut out = HashMap::default();
    for f in facts.functions.iter().filter(|f| f.is_module_body) {
        for stmt in &f.body {
            if let Stmt::Assign {
                target,
                value: Expr::Str { value, .. },
                ..
            } = stmt
                && target.fields.is_empty()
            {
                out.insert(target.base.clone(), value.clone());
            }
        }
    }
    out
}

/// Names bound to sink handles in a file: targets of assignments from a sink's factory
/// (`logger = logging.getLogger(...)`, `with open(path, "w") as f`), by the sink's kind.
pub fn handles_of(
    facts: &FileFacts,
    rules: Option<&LanguageRules>,
) -> HashMap<SinkKind, HashSet<String>> {
    let mut out: HashMap<SinkKind, HashSet<String>> = HashMap::default();
    let Some(rules) = rules else { return out };
    for f in &facts.functions {
        for stmt in &f.body {
            if let Stmt::Assign {
                target,
                value: Expr::Call(call),
                ..
            } = stmt
                && let Some(sink) = rules.sinks.iter().find(|s| s.is_factory(call))
            {
                out.entry(sink.kind).or_default().insert(place_text(target));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_line_col_agrees_with_counting_from_the_start() {
        let text = "fn a() {\n    println!(\"é—{}\", x);\r\n}\n\nлог(почта)\nlast";
        let unit = Unit {
            display: "a.rs".into(),
            path: "a.rs".into(),
            language: Language::Rust,
            text: Arc::from(text),
            facts: FileFacts::default(),
            module: Vec::new(),
            handles: HashMap::default(),
            constants: HashMap::default(),
            is_test: false,
            line_starts: std::sync::OnceLock::new(),
        };
        for offset in 0..=text.len() + 2 {
            assert_eq!(
                unit.line_col(offset),
                crate::findings::line_col(text, offset),
                "offset {offset}"
            );
        }
        assert_eq!(unit.line_col(text.len()), (6, 5));
    }
}
