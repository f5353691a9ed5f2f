//! Reading a data map: YAML → a node tree that knows where everything is → checked against the
//! JSON Schema generated from the types (unknown keys, value types, enums) → semantic checks
//! (references, taxonomy keys, countries, durations, globs) → the typed [`DataMap`].
//!
//! Every problem of a run is collected, not only the first, each with its file, line and column.

use super::node::{self, Node, Pos, Value};
use super::{DataMap, DeclSpan, Located, pointer_escape};
use crate::taxonomy::{Kind, Taxonomy, did_you_mean};
use serde_json::Value as Json;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

/// One thing wrong with a data map, where it is, and how to fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub file: PathBuf,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// Byte offset of the start of the text at fault.
    pub start: usize,
    /// Byte offset just past its end.
    pub end: usize,
    pub message: String,
    pub help: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file.display(),
            self.line,
            self.column,
            self.message
        )?;
        if !self.help.is_empty() {
            write!(f, "\n  help: {}", self.help)?;
        }
        Ok(())
    }
}

impl std::error::Error for Problem {}

const MINIMAL_EXAMPLE: &str = "start from `version: 1` and declare your data, e.g.\n\
    version: 1\n\
    data:\n  email: { category: user.contact.email, subjects: [customer] }";

static SCHEMA: LazyLock<Json> = LazyLock::new(super::json_schema);
static DURATION: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(super::DURATION_PATTERN)
        .unwrap_or_else(|_| regex::Regex::new("$^").unwrap_or_else(|_| unreachable!()))
});

/// The YAML files of a data-map folder, sorted by name (not recursive).
pub(crate) fn yaml_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_file() && path.extension().is_some_and(|e| e == "yml" || e == "yaml") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Loads a data map: one YAML file, or a folder whose `*.yml`/`*.yaml` files are merged.
/// Custom categories it declares are checked against `taxonomy` plus themselves.
pub fn load(path: &Path, taxonomy: &Taxonomy) -> Result<DataMap, Vec<Problem>> {
    let mut problems = Vec::new();
    let (paths, root) = if path.is_dir() {
        match yaml_files(path) {
            Ok(files) if files.is_empty() => {
                problems.push(problem_at(
                    path,
                    Pos::START,
                    "the data-map folder holds no `.yml` or `.yaml` file".into(),
                    "add a `datamap.yml` to it, starting with `version: 1`".into(),
                ));
                return Err(problems);
            }
            Ok(files) => (files, path.to_path_buf()),
            Err(e) => {
                problems.push(problem_at(
                    path,
                    Pos::START,
                    format!("cannot read the data-map folder: {e}"),
                    "check the path and its permissions".into(),
                ));
                return Err(problems);
            }
        }
    } else {
        let root = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        (vec![path.to_path_buf()], root)
    };

    let mut merged = Merged::default();
    let mut files = Vec::new();
    for file in &paths {
        let text = match std::fs::read(file) {
            Ok(bytes) => {
                if let Ok(text) = String::from_utf8(bytes) {
                    text
                } else {
                    problems.push(problem_at(
                        file,
                        Pos::START,
                        "the data map is not valid UTF-8".into(),
                        "save the file as UTF-8".into(),
                    ));
                    continue;
                }
            }
            Err(e) => {
                problems.push(problem_at(
                    file,
                    Pos::START,
                    format!("cannot read the data map: {e}"),
                    "check the path and its permissions".into(),
                ));
                continue;
            }
        };
        load_file(file, &text, &mut merged, &mut problems);
        files.push((file.clone(), text));
    }

    let mut taxonomy = taxonomy.clone();
    if let Some(categories) = merged.value.get("categories").and_then(Json::as_object) {
        for (key, c) in categories {
            let name = c.get("name").and_then(Json::as_str).unwrap_or(key);
            let parent = c.get("parent").and_then(Json::as_str);
            taxonomy.add_custom(key, name, parent);
        }
    }
    Semantic {
        value: &merged.value,
        located: &merged.located,
        taxonomy: &taxonomy,
        problems: &mut problems,
    }
    .check();

    if problems.is_empty() {
        let value = Json::Object(merged.value);
        match serde_json::from_value::<DataMap>(value) {
            Ok(mut map) => {
                map.files = files;
                map.root = root;
                map.located = merged.located;
                return Ok(map);
            }
            Err(e) => problems.push(problem_at(
                paths.first().map_or(path, PathBuf::as_path),
                Pos::START,
                format!("the data map does not fit the format: {e}"),
                "compare it with `privlint schema`".into(),
            )),
        }
    }
    problems.sort_by(|a, b| {
        (&a.file, a.line, a.column, &a.message).cmp(&(&b.file, b.line, b.column, &b.message))
    });
    problems.dedup();
    Err(problems)
}

fn problem_at(file: &Path, pos: Pos, message: String, help: String) -> Problem {
    Problem {
        file: file.to_path_buf(),
        line: pos.line,
        column: pos.column,
        start: pos.start,
        end: pos.end,
        message,
        help,
    }
}

fn span_problem(span: &DeclSpan, message: String, help: String) -> Problem {
    Problem {
        file: span.file.clone(),
        line: span.line,
        column: span.column,
        start: span.start,
        end: span.end,
        message,
        help,
    }
}

/// The files read so far, merged.
#[derive(Default)]
struct Merged {
    value: serde_json::Map<String, Json>,
    located: Located,
    /// Where each section entry (`/data/email`) and the controller were first defined.
    first: BTreeMap<String, DeclSpan>,
}

const SECTIONS: [(&str, &str); 5] = [
    ("categories", "category"),
    ("data", "element"),
    ("purposes", "purpose"),
    ("recipients", "recipient"),
    ("stores", "store"),
];

fn load_file(file: &Path, text: &str, merged: &mut Merged, problems: &mut Vec<Problem>) {
    let root = match node::parse(text) {
        Ok(Some(root)) => root,
        Ok(None) => {
            problems.push(problem_at(
                file,
                Pos::START,
                "the data map is empty".into(),
                MINIMAL_EXAMPLE.into(),
            ));
            return;
        }
        Err(e) => {
            problems.push(yaml_problem(file, text, &e));
            return;
        }
    };
    let Value::Map(entries) = &root.value else {
        problems.push(problem_at(
            file,
            Pos::from_location(&root.location, text),
            format!(
                "the data map must be a mapping of sections (`version:`, `data:`, `purposes:`, ...), found {}",
                root.value.kind()
            ),
            MINIMAL_EXAMPLE.into(),
        ));
        return;
    };
    if matches!(&root.value, Value::Map(e) if e.is_empty()) {
        problems.push(problem_at(
            file,
            Pos::START,
            "the data map is empty".into(),
            MINIMAL_EXAMPLE.into(),
        ));
        return;
    }

    let allow_offset = merged
        .value
        .get("logging")
        .and_then(|l| l.get("allow"))
        .and_then(Json::as_array)
        .map_or(0, Vec::len);
    let mut walker = Walker {
        file,
        text,
        problems,
        located: Located::default(),
        allow_offset,
    };
    let start = Pos::from_location(&root.location, text);
    let value = walker.walk(&root, &SCHEMA, "", start);
    let located = walker.located;

    // The version, which the schema can only say so much about.
    let version = entries
        .iter()
        .find(|(k, _)| k.value == Value::Str("version".into()));
    match version {
        Some((_, v)) if v.value == Value::Int(1) => {}
        Some((_, v)) if matches!(v.value, Value::Int(_)) => problems.push(problem_at(
            file,
            Pos::from_location(&v.location, text),
            format!(
                "unsupported data-map version {}",
                v.value.scalar_text().unwrap_or_default()
            ),
            "this privlint reads version 1: write `version: 1`".into(),
        )),
        _ => {} // missing or mistyped: reported by the walk
    }

    let Some(Json::Object(mut value)) = value else {
        return;
    };
    // Entries defined twice across files are reported at the second and left out of the merge,
    // with their locations.
    let mut skipped: Vec<String> = Vec::new();
    if value.contains_key("controller") {
        let here = located.get("/controller").cloned().unwrap_or_default();
        if let Some(first) = merged.first.get("/controller") {
            problems.push(span_problem(
                &here,
                format!(
                    "`controller` is already declared in {}:{}:{}",
                    first.file.display(),
                    first.line,
                    first.column
                ),
                "declare the controller in one file of the data-map folder only".into(),
            ));
            value.remove("controller");
            skipped.push("/controller".into());
        } else {
            merged.first.insert("/controller".into(), here);
        }
    }
    for (section, what) in SECTIONS {
        let Some(Json::Object(entries)) = value.remove(section) else {
            continue;
        };
        let target = merged
            .value
            .entry(section)
            .or_insert_with(|| Json::Object(serde_json::Map::new()));
        for (key, entry) in entries {
            let pointer = format!("/{section}/{}", pointer_escape(&key));
            let here = located.get(&pointer).cloned().unwrap_or_default();
            if let Some(first) = merged.first.get(&pointer) {
                problems.push(span_problem(
                    &here,
                    format!(
                        "{what} `{key}` is already defined in {}:{}:{}",
                        first.file.display(),
                        first.line,
                        first.column
                    ),
                    format!("define each {what} in one file only: rename or remove one of them"),
                ));
                skipped.push(pointer);
                continue;
            }
            merged.first.insert(pointer, here);
            if let Json::Object(target) = target {
                target.insert(key, entry);
            }
        }
    }
    if let Some(allow) = value
        .remove("logging")
        .and_then(|mut l| l.get_mut("allow").map(Json::take))
        .and_then(|a| {
            if let Json::Array(a) = a {
                Some(a)
            } else {
                None
            }
        })
    {
        let logging = merged
            .value
            .entry("logging")
            .or_insert_with(|| serde_json::json!({ "allow": [] }));
        if let Some(Json::Array(list)) = logging.get_mut("allow") {
            list.extend(allow);
        }
    }
    for (key, v) in value {
        merged.value.entry(key).or_insert(v);
    }
    let kept = |p: &String| {
        !skipped
            .iter()
            .any(|s| p == s || p.starts_with(&format!("{s}/")))
    };
    for (p, span) in located.keys {
        if kept(&p) {
            merged.located.keys.entry(p).or_insert(span);
        }
    }
    for (p, span) in located.values {
        if kept(&p) {
            merged.located.values.entry(p).or_insert(span);
        }
    }
}

fn yaml_problem(file: &Path, text: &str, e: &serde_saphyr::Error) -> Problem {
    use serde_saphyr::Error as E;
    let pos = e
        .location()
        .filter(|l| l.line() > 0)
        .map_or(Pos::START, |l| Pos::from_location(&l, text));
    let mut inner = e;
    while let E::AliasError { error, .. } | E::WithSnippet { error, .. } = inner {
        inner = error;
    }
    let (message, help) = match inner {
        E::DuplicateMappingKey { key, .. } => (
            format!(
                "duplicate key{}",
                key.as_ref().map(|k| format!(" `{k}`")).unwrap_or_default()
            ),
            "a key may appear once in a mapping: merge the two entries or rename one".to_string(),
        ),
        E::AliasReplayLimitExceeded { .. }
        | E::AliasExpansionLimitExceeded { .. }
        | E::AliasReplayStackDepthExceeded { .. }
        | E::AliasReplayCounterOverflow { .. } => (
            "aliases expand too far (the file would grow without bound, as in a \"billion laughs\" attack)".to_string(),
            "write the values out, or use fewer nested `*alias` references".to_string(),
        ),
        E::Budget { breach, .. } => {
            let what = match breach {
                serde_saphyr::budget::BudgetBreach::Documents { .. } => {
                    "the data map holds more than one YAML document".to_string()
                }
                serde_saphyr::budget::BudgetBreach::Depth { .. } => {
                    "the data map nests too deeply".to_string()
                }
                other => format!("the data map exceeds a parsing limit ({other:?})"),
            };
            (
                what,
                "keep one document (no second `---`) with at most a few levels of nesting"
                    .to_string(),
            )
        }
        other => {
            let text = other.to_string();
            let first = text.lines().next().unwrap_or_default();
            let message = first
                .split(" at line ")
                .next()
                .unwrap_or(first)
                .trim()
                .to_string();
            (
                format!("YAML syntax error: {message}"),
                "fix the YAML syntax here (check indentation, quotes and brackets)".to_string(),
            )
        }
    };
    problem_at(file, pos, message, help)
}

/// Checks a node tree against the JSON Schema, collecting problems and locations, and returns
/// the JSON value with the invalid parts left out.
struct Walker<'a> {
    file: &'a Path,
    text: &'a str,
    problems: &'a mut Vec<Problem>,
    located: Located,
    /// Items of `logging.allow` in the files read before this one.
    allow_offset: usize,
}

fn resolve(schema: &Json) -> &Json {
    let mut schema = schema;
    for _ in 0..16 {
        let Some(r) = schema.get("$ref").and_then(Json::as_str) else {
            break;
        };
        let Some(name) = r.strip_prefix("#/$defs/") else {
            break;
        };
        match SCHEMA.get("$defs").and_then(|d| d.get(name)) {
            Some(s) => schema = s,
            None => break,
        }
    }
    schema
}

/// The schema for non-null values, and whether null is accepted.
fn non_null(schema: &Json) -> (&Json, bool) {
    let schema = resolve(schema);
    for keyword in ["anyOf", "oneOf"] {
        if let Some(branches) = schema.get(keyword).and_then(Json::as_array) {
            let is_null = |b: &Json| b.get("type").and_then(Json::as_str) == Some("null");
            let nullable = branches.iter().any(is_null);
            if let Some(other) = branches.iter().find(|b| !is_null(b)) {
                return (resolve(other), nullable);
            }
        }
    }
    match schema.get("type") {
        Some(Json::Array(types)) => (schema, types.iter().any(|t| t == "null")),
        _ => (schema, false),
    }
}

fn schema_type(schema: &Json) -> Option<&str> {
    match schema.get("type") {
        Some(Json::String(t)) => Some(t),
        Some(Json::Array(types)) => types.iter().filter_map(Json::as_str).find(|t| *t != "null"),
        _ => None,
    }
}

fn expected(t: &str) -> &'static str {
    match t {
        "object" => "a mapping (`key: value` lines, or `{ key: value }`)",
        "array" => "a list (`[a, b]`, or one `- item` per line)",
        "integer" => "a whole number",
        "boolean" => "`true` or `false`",
        _ => "a string",
    }
}

fn label(pointer: &str) -> String {
    if pointer.is_empty() {
        return "the top level".into();
    }
    let parts: Vec<String> = pointer[1..]
        .split('/')
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect();
    format!("`{}`", parts.join("."))
}

impl Walker<'_> {
    fn span(&self, pos: Pos) -> DeclSpan {
        DeclSpan {
            file: self.file.to_path_buf(),
            line: pos.line,
            column: pos.column,
            start: pos.start,
            end: pos.end,
        }
    }

    fn pos(&self, node: &Node) -> Pos {
        Pos::from_location(&node.location, self.text)
    }

    fn problem(&mut self, pos: Pos, message: String, help: String) {
        self.problems
            .push(problem_at(self.file, pos, message, help));
    }

    /// `owner` is where the node is named: its key in a mapping, or the node itself.
    fn walk(&mut self, node: &Node, schema: &Json, pointer: &str, owner: Pos) -> Option<Json> {
        let pos = self.pos(node);
        let span = self.span(pos);
        self.located.values.insert(pointer.to_string(), span);
        let (schema, nullable) = non_null(schema);
        if node.value == Value::Null && nullable {
            return Some(Json::Null);
        }
        let want = schema_type(schema)?;
        match (&node.value, want) {
            (Value::Map(entries), "object") => Some(self.walk_map(entries, schema, pointer, owner)),
            (Value::Seq(items), "array") => {
                let item_schema = schema.get("items").unwrap_or(&Json::Bool(true));
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let index = if pointer == "/logging/allow" {
                        i + self.allow_offset
                    } else {
                        i
                    };
                    let item_pointer = format!("{pointer}/{index}");
                    let item_pos = self.pos(item);
                    if item.value == Value::Str(String::new()) {
                        self.problem(
                            item_pos,
                            format!("empty entry in {}", label(pointer)),
                            "remove it or write a value".into(),
                        );
                        continue;
                    }
                    if let Some(v) = self.walk(item, item_schema, &item_pointer, item_pos) {
                        out.push(v);
                    }
                }
                Some(Json::Array(out))
            }
            (Value::Int(i), "integer") => i64::try_from(*i).ok().map(|i| Json::Number(i.into())),
            (Value::Bool(b), "boolean") => Some(Json::Bool(*b)),
            (Value::Str(_) | Value::Int(_) | Value::Float(_), "string") => {
                let text = node.value.scalar_text().unwrap_or_default();
                if let Some(options) = schema.get("enum").and_then(Json::as_array) {
                    let options: Vec<&str> = options.iter().filter_map(Json::as_str).collect();
                    if !options.contains(&text.as_str()) {
                        let mut help = match did_you_mean(&text, options.iter().copied()) {
                            Some(s) => format!("did you mean `{s}`? "),
                            None => String::new(),
                        };
                        let _ = write!(help, "the valid values are: {}", options.join(", "));
                        self.problem(
                            pos,
                            format!(
                                "unknown {} `{text}`",
                                label(pointer)
                                    .trim_matches('`')
                                    .rsplit('.')
                                    .next()
                                    .unwrap_or_default()
                            ),
                            help,
                        );
                        return None;
                    }
                }
                Some(Json::String(text))
            }
            (found, want) => {
                let help = match (found, want) {
                    (Value::Str(s), "array") => format!("write `[{s}]` for a list of one"),
                    (Value::Bool(b), "string") => {
                        format!("quote it to make it a string: `\"{b}\"`")
                    }
                    _ => format!("write {} here", expected(want)),
                };
                self.problem(
                    pos,
                    format!(
                        "{} should be {}, found {}",
                        label(pointer),
                        expected(want),
                        found.kind()
                    ),
                    help,
                );
                None
            }
        }
    }

    fn walk_map(
        &mut self,
        entries: &[(Node, Node)],
        schema: &Json,
        pointer: &str,
        owner: Pos,
    ) -> Json {
        let properties = schema.get("properties").and_then(Json::as_object);
        let additional = schema.get("additionalProperties");
        let mut out = serde_json::Map::new();
        for (key_node, value) in entries {
            let key_pos = self.pos(key_node);
            let key = match &key_node.value {
                Value::Str(s) if !s.is_empty() => s.clone(),
                Value::Int(_) | Value::Float(_) | Value::Bool(_) => {
                    key_node.value.scalar_text().unwrap_or_default()
                }
                other => {
                    self.problem(
                        key_pos,
                        format!("a key in {} is {}", label(pointer), other.kind()),
                        "keys are plain names: write `name: value`".into(),
                    );
                    continue;
                }
            };
            let child = format!("{pointer}/{}", pointer_escape(&key));
            let value_schema = if let Some(s) = properties.and_then(|p| p.get(&key)) {
                s
            } else if let Some(s) = additional.filter(|a| a.is_object()) {
                s
            } else {
                let known: Vec<&str> = properties
                    .map(|p| p.keys().map(String::as_str).collect())
                    .unwrap_or_default();
                let mut help = match did_you_mean(&key, known.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`? "),
                    None => String::new(),
                };
                let _ = write!(help, "the keys allowed here are: {}", known.join(", "));
                self.problem(
                    key_pos,
                    format!("unknown key `{key}` in {}", label(pointer)),
                    help,
                );
                continue;
            };
            let key_span = self.span(key_pos);
            self.located.keys.insert(child.clone(), key_span);
            if let Some(v) = self.walk(value, value_schema, &child, key_pos) {
                out.insert(key, v);
            }
        }
        if let Some(required) = schema.get("required").and_then(Json::as_array) {
            for name in required.iter().filter_map(Json::as_str) {
                let present = entries
                    .iter()
                    .any(|(k, _)| k.value.scalar_text().as_deref() == Some(name));
                if present {
                    continue;
                }
                let (message, help) = if pointer.is_empty() && name == "version" {
                    (
                        "the data map has no `version`".to_string(),
                        "add `version: 1` as the first line".to_string(),
                    )
                } else {
                    let hint = properties
                        .and_then(|p| p.get(name))
                        .map(|s| non_null(s).0)
                        .and_then(|s| s.get("enum"))
                        .and_then(Json::as_array)
                        .map(|e| {
                            let values: Vec<&str> = e.iter().filter_map(Json::as_str).collect();
                            format!(" (one of: {})", values.join(", "))
                        })
                        .unwrap_or_default();
                    (
                        format!("{} has no `{name}`", label(pointer)),
                        format!("add `{name}:`{hint}"),
                    )
                };
                self.problem(owner, message, help);
            }
        }
        Json::Object(out)
    }
}

/// Checks what the schema cannot: references between sections, taxonomy keys, country codes,
/// durations, globs.
struct Semantic<'a> {
    value: &'a serde_json::Map<String, Json>,
    located: &'a Located,
    taxonomy: &'a Taxonomy,
    problems: &'a mut Vec<Problem>,
}

fn entries<'j>(
    value: &'j serde_json::Map<String, Json>,
    section: &str,
) -> Vec<(&'j String, &'j Json)> {
    value
        .get(section)
        .and_then(Json::as_object)
        .map(|m| m.iter().collect())
        .unwrap_or_default()
}

fn strings(value: &Json, key: &str) -> Vec<(usize, String)> {
    value
        .get(key)
        .and_then(Json::as_array)
        .map(|a| {
            a.iter()
                .enumerate()
                .filter_map(|(i, v)| v.as_str().map(|s| (i, s.to_string())))
                .collect()
        })
        .unwrap_or_default()
}

fn string<'j>(value: &'j Json, key: &str) -> Option<&'j str> {
    value.get(key).and_then(Json::as_str)
}

impl Semantic<'_> {
    fn at(&mut self, pointer: &str, message: String, help: String) {
        let span = self
            .located
            .value(pointer)
            .or_else(|| self.located.get(pointer))
            .cloned()
            .unwrap_or_default();
        self.problems.push(span_problem(&span, message, help));
    }

    fn check(mut self) {
        let value = self.value;
        let elements: BTreeSet<&str> = entries(value, "data")
            .iter()
            .map(|(k, _)| k.as_str())
            .collect();
        let purposes: BTreeSet<&str> = entries(value, "purposes")
            .iter()
            .map(|(k, _)| k.as_str())
            .collect();

        if let Some(controller) = value.get("controller")
            && let Some(c) = string(controller, "country")
        {
            self.country("/controller/country", c);
        }
        for (key, c) in entries(value, "categories") {
            if let Some(parent) = string(c, "parent")
                && !self.taxonomy.is_category(parent)
            {
                let pointer = format!("/categories/{}/parent", pointer_escape(key));
                let hint = self.category_hint(parent);
                self.at(
                        &pointer,
                        format!("the parent `{parent}` of custom category `{key}` is not a known data category"),
                        hint,
                    );
            }
        }
        for (key, e) in entries(value, "data") {
            if let Some(category) = string(e, "category")
                && !self.taxonomy.is_category(category)
            {
                let pointer = format!("/data/{}/category", pointer_escape(key));
                let hint = self.category_hint(category);
                self.at(
                    &pointer,
                    format!("unknown data category `{category}`"),
                    hint,
                );
            }
        }
        for (key, p) in entries(value, "purposes") {
            let base = format!("/purposes/{}", pointer_escape(key));
            self.references(
                &base,
                "data",
                p,
                &elements,
                &format!("purpose `{key}`"),
                "data",
                "element",
            );
            if let Some(data_use) = string(p, "use")
                && !self.taxonomy.is_use(data_use)
            {
                let mut help = match self.taxonomy.suggest(Kind::Use, data_use) {
                    Some(s) => format!("did you mean `{s}`? "),
                    None => String::new(),
                };
                help.push_str("`use` is a Fides data-use key, such as `essential.service`, `marketing.communications.email`, `analytics.reporting`");
                self.at(
                    &format!("{base}/use"),
                    format!("unknown data use `{data_use}`"),
                    help,
                );
            }
            for (i, glob) in strings(p, "code") {
                if let Err(e) = globset::Glob::new(&glob) {
                    self.at(
                        &format!("{base}/code/{i}"),
                        format!("invalid glob `{glob}`: {}", e.kind()),
                        "globs are relative to the data map's directory, such as `src/accounts/**` or `app/*.py`".into(),
                    );
                }
            }
        }
        for (key, r) in entries(value, "recipients") {
            let base = format!("/recipients/{}", pointer_escape(key));
            let owner = format!("recipient `{key}`");
            self.references(
                &base, "purposes", r, &purposes, &owner, "purposes", "purpose",
            );
            self.references(&base, "data", r, &elements, &owner, "data", "element");
            if let Some(c) = string(r, "country") {
                self.country(&format!("{base}/country"), c);
            }
        }
        for (key, s) in entries(value, "stores") {
            let base = format!("/stores/{}", pointer_escape(key));
            self.references(
                &base,
                "data",
                s,
                &elements,
                &format!("store `{key}`"),
                "data",
                "element",
            );
            if let Some(c) = string(s, "location") {
                self.country(&format!("{base}/location"), c);
            }
            if let Some(r) = string(s, "retention")
                && !DURATION.is_match(r)
            {
                let upper = r.to_uppercase();
                let prefixed = format!("P{upper}");
                let help = if upper != r && DURATION.is_match(&upper) {
                    format!("write it in capitals: `{upper}`")
                } else if DURATION.is_match(&prefixed) {
                    format!("a duration starts with `P`: `{prefixed}`")
                } else {
                    "write `P` then amounts with their units: `P90D` (90 days), `P3Y` (3 years), `P1Y6M`, `P2W`, and after `T` hours, minutes, seconds: `PT12H`".into()
                };
                self.at(
                    &format!("{base}/retention"),
                    format!("`{r}` is not an ISO 8601 duration"),
                    help,
                );
            }
        }
        if let Some(allow) = value
            .get("logging")
            .and_then(|l| l.get("allow"))
            .and_then(Json::as_array)
        {
            for (i, a) in allow.iter().enumerate() {
                let base = format!("/logging/allow/{i}");
                if let Some(d) = string(a, "data") {
                    self.reference(
                        &format!("{base}/data"),
                        d,
                        &elements,
                        "`logging.allow`",
                        "data",
                        "element",
                    );
                }
                if let Some(p) = string(a, "purpose") {
                    self.reference(
                        &format!("{base}/purpose"),
                        p,
                        &purposes,
                        "`logging.allow`",
                        "purposes",
                        "purpose",
                    );
                }
            }
        }
    }

    fn category_hint(&self, category: &str) -> String {
        let mut help = match self.taxonomy.suggest(Kind::Category, category) {
            Some(s) => format!("did you mean `{s}`? "),
            None => String::new(),
        };
        help.push_str("categories are Fides taxonomy keys (`user.contact.email`, `user.government_id`, ...), or custom ones declared under `categories:`");
        help
    }

    #[allow(clippy::too_many_arguments)]
    fn references(
        &mut self,
        base: &str,
        key: &str,
        value: &Json,
        known: &BTreeSet<&str>,
        owner: &str,
        section: &str,
        what: &str,
    ) {
        for (i, name) in strings(value, key) {
            self.reference(
                &format!("{base}/{key}/{i}"),
                &name,
                known,
                owner,
                section,
                what,
            );
        }
    }

    fn reference(
        &mut self,
        pointer: &str,
        name: &str,
        known: &BTreeSet<&str>,
        owner: &str,
        section: &str,
        what: &str,
    ) {
        if known.contains(name) {
            return;
        }
        let help = match did_you_mean(name, known.iter().copied()) {
            Some(s) => format!("did you mean `{s}`? or declare `{name}` under `{section}:`"),
            None if known.is_empty() => format!("declare `{name}` under `{section}:`"),
            None => format!(
                "declare `{name}` under `{section}:`; the {what}s declared are: {}",
                known.iter().copied().collect::<Vec<_>>().join(", ")
            ),
        };
        self.at(
            pointer,
            format!("{owner} refers to {what} `{name}`, which is not declared under `{section}`"),
            help,
        );
    }

    fn country(&mut self, pointer: &str, code: &str) {
        let upper = code.to_uppercase();
        let valid = |c: &str| {
            c.len() == 2
                && c.bytes().all(|b| b.is_ascii_uppercase())
                && celes::Country::from_alpha2(c).is_ok()
        };
        if valid(code) {
            return;
        }
        let (message, help) = if valid(&upper) {
            (
                format!("invalid country code `{code}`: country codes are written in capitals"),
                format!("write `{upper}`"),
            )
        } else if upper.len() == 3
            && upper.bytes().all(|b| b.is_ascii_uppercase())
            && celes::Country::from_alpha3(&upper).is_ok()
        {
            let alpha2 = celes::Country::from_alpha3(&upper)
                .map(|c| c.alpha2)
                .unwrap_or_default();
            (
                format!("`{code}` is an ISO 3166-1 alpha-3 code; the data map uses alpha-2 codes"),
                format!("write `{alpha2}`"),
            )
        } else if upper == "UK" {
            (
                format!("`{code}` is not an ISO 3166-1 alpha-2 country code"),
                "the code of the United Kingdom is `GB`".into(),
            )
        } else {
            (
                format!("`{code}` is not an ISO 3166-1 alpha-2 country code"),
                "write a two-letter ISO 3166-1 code, such as `KZ`, `US`, `DE`".into(),
            )
        };
        self.at(pointer, message, help);
    }
}

#[cfg(test)]
mod tests;
