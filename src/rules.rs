//! Rules are data: the YAML files under `rules/` (built in) and any `--rules DIR` a user adds.
//! They are read into serde structs that reject unknown keys, then compiled once into matchers.

pub mod jurisdictions;
pub mod recipients;

use crate::classify::{CategoryRule, CategoryRules, Classifier};
use crate::ir::{Call, Expr, Language};
use rayon::prelude::*;
use regex::Regex;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use jurisdictions::{Profile, Profiles};
pub use recipients::{Catalog, Recipient, RecipientId};

/// The built-in rule files, embedded so the binary works from anywhere.
const BUILTIN: &[(&str, &str)] = &[
    (
        "rules/categories.yml",
        include_str!("../rules/categories.yml"),
    ),
    (
        "rules/sanitizers.yml",
        include_str!("../rules/sanitizers.yml"),
    ),
    (
        "rules/sinks/rust.yml",
        include_str!("../rules/sinks/rust.yml"),
    ),
    (
        "rules/sinks/python.yml",
        include_str!("../rules/sinks/python.yml"),
    ),
    (
        "rules/recipients.yml",
        include_str!("../rules/recipients.yml"),
    ),
    (
        "rules/jurisdictions.yml",
        include_str!("../rules/jurisdictions.yml"),
    ),
];

/// One rules file as written. Every section is optional, so a user's file may add just a sink.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    /// The language `log_sinks` and `repr` apply to.
    #[serde(default)]
    pub language: Option<Language>,
    #[serde(default)]
    pub categories: Vec<CategoryRule>,
    /// Words that make a name not personal data (`template`, `count`).
    #[serde(default)]
    pub negatives: Vec<String>,
    /// Words that make a name not personal data when they start it (`is`, `has`).
    #[serde(default)]
    pub negative_prefixes: Vec<String>,
    #[serde(default)]
    pub log_sinks: Vec<SinkRule>,
    /// Calls that hand personal data to something other than a log: a database, a file, a
    /// message queue, an HTTP request. Same keys as `log_sinks`, plus `kind`.
    #[serde(default)]
    pub data_sinks: Vec<SinkRule>,
    #[serde(default)]
    pub repr: Option<ReprRule>,
    /// Framework values that hold personal data whatever they are called.
    #[serde(default)]
    pub sources: Vec<SourceRule>,
    #[serde(default)]
    pub sanitizers: Option<SanitizerRule>,
    #[serde(default)]
    pub propagation: Option<PropagationRule>,
    /// Third-party recipients: SDKs and API hosts (`rules/recipients.yml`).
    #[serde(default)]
    pub recipients: Vec<Recipient>,
    /// Jurisdiction profiles by id (`rules/jurisdictions.yml`).
    #[serde(default)]
    pub profiles: BTreeMap<String, jurisdictions::ProfileRule>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SinkRule {
    pub id: String,
    /// What the call does with its arguments; `log` unless said otherwise.
    #[serde(default)]
    pub kind: Option<SinkKind>,
    #[serde(default)]
    pub macros: Vec<String>,
    #[serde(default)]
    pub functions: Vec<String>,
    #[serde(default)]
    pub receivers: Vec<String>,
    #[serde(default)]
    pub factories: Vec<String>,
    #[serde(default)]
    pub methods: Vec<String>,
    #[serde(default)]
    pub attributes: Vec<String>,
    #[serde(default)]
    pub skip_first: bool,
    #[serde(default)]
    pub skip_keywords: Vec<String>,
    /// HTTP: keyword arguments that carry the URL (`url=`); otherwise the first argument.
    #[serde(default)]
    pub url_keywords: Vec<String>,
    /// HTTP: with a receiver matched only by name (`client.post(...)`), require the URL
    /// argument to look like one (an `http(s)://` literal, or a name with url/uri/endpoint),
    /// so `cache_client.get(key)` is not a request.
    #[serde(default)]
    pub needs_url: bool,
    /// HTTP request builders: methods that attach a body to a request made by a call this
    /// sink matches (`client.post(url).json(&body)`, `.form(..)`, `.query(..)`).
    #[serde(default)]
    pub body_methods: Vec<String>,
    /// A store whose places are named by the calls themselves (a document store's
    /// collections, a key-value store's keys): each one written with personal data becomes a
    /// store for `missing-erasure`.
    #[serde(default)]
    pub keeps: Option<KeepsRule>,
}

/// How a `kind: store` sink names what it keeps, and which of its calls delete or expire it.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeepsRule {
    /// `collection`: the receiver names it (`db.customers`, `db["customers"]`,
    /// `db.get_collection("customers")`, a name bound to one of these); `key`: the first
    /// argument is a key, and its literal prefix up to the first `:` names it
    /// (`f"user:{id}:email"` → `user`).
    pub by: KeepsBy,
    /// What to call one (`MongoDB collection`).
    pub called: String,
    /// Methods on the same receivers that delete what they name.
    #[serde(default)]
    pub deletes: Vec<String>,
    /// Methods that give what they name a time to live: a time-bound purge.
    #[serde(default)]
    pub expires: Vec<String>,
    /// Keyword arguments of a write that give it a time to live (`ex=3600`).
    #[serde(default)]
    pub expiry_keywords: Vec<String>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KeepsBy {
    #[default]
    Collection,
    Key,
}

/// What a sink does with the data it receives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SinkKind {
    /// A log, the terminal, a trace.
    Log,
    /// A database or cache write.
    Store,
    /// A file on disk.
    File,
    /// A message queue or task queue.
    Queue,
    /// An outbound HTTP request.
    Http,
    /// A third-party SDK from the recipients catalog.
    Recipient,
}

impl SinkKind {
    /// As a noun phrase for messages: "the log call", "the HTTP request".
    pub fn describe(self) -> &'static str {
        match self {
            SinkKind::Log => "log call",
            SinkKind::Store => "database write",
            SinkKind::File => "file write",
            SinkKind::Queue => "message queue",
            SinkKind::Http => "HTTP request",
            SinkKind::Recipient => "third-party SDK call",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SinkKind::Log => "log",
            SinkKind::Store => "store",
            SinkKind::File => "file",
            SinkKind::Queue => "queue",
            SinkKind::Http => "http",
            SinkKind::Recipient => "recipient",
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceRule {
    /// The end of a dotted read (`request.client.host`).
    #[serde(default)]
    pub path: Option<String>,
    /// Or a declared parameter type (`IpAddr`).
    #[serde(default, rename = "type")]
    pub ty: Option<String>,
    /// The Fides key of what it holds.
    pub category: String,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReprRule {
    #[serde(default)]
    pub debug: Vec<String>,
    #[serde(default)]
    pub display: Vec<String>,
    #[serde(default)]
    pub serialize: Vec<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SanitizerRule {
    #[serde(default)]
    pub words: Vec<String>,
    #[serde(default)]
    pub types: Vec<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PropagationRule {
    #[serde(default)]
    pub drops: Vec<String>,
    #[serde(default)]
    pub drop_words: Vec<String>,
    #[serde(default)]
    pub mutators: Vec<String>,
    #[serde(default)]
    pub dumps: Vec<String>,
    #[serde(default)]
    pub getters: Vec<String>,
    #[serde(default)]
    pub maps: Vec<String>,
    #[serde(default)]
    pub reveals: Vec<String>,
    #[serde(default)]
    pub getter_words: Vec<String>,
    #[serde(default)]
    pub mapping_types: Vec<String>,
    #[serde(default)]
    pub key_views: Vec<String>,
    #[serde(default)]
    pub numeric_types: Vec<String>,
    #[serde(default)]
    pub qualified_fields: Vec<String>,
}

/// A problem in a rules file: which file, where, what.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{path}:{line}:{column}: {message}")]
pub struct RuleError {
    pub path: String,
    pub line: u64,
    pub column: u64,
    pub message: String,
}

/// A sink compiled for matching.
#[derive(Debug)]
pub struct Sink {
    pub id: String,
    pub kind: SinkKind,
    macros: Vec<String>,
    functions: Vec<String>,
    receivers: Vec<Regex>,
    factories: Vec<String>,
    methods: HashSet<String>,
    pub attributes: Vec<String>,
    pub skip_first: bool,
    pub skip_keywords: HashSet<String>,
    pub url_keywords: Vec<String>,
    pub needs_url: bool,
    pub body_methods: HashSet<String>,
    pub keeps: Option<KeepsRule>,
}

/// Everything the analysis needs from the rules, per language where it differs.
#[derive(Debug, Default)]
pub struct LanguageRules {
    pub sinks: Vec<Sink>,
    pub repr_debug: HashSet<String>,
    pub repr_display: HashSet<String>,
    pub repr_serialize: HashSet<String>,
    /// Dotted path ends and the category they hold.
    pub sources: Vec<(String, crate::classify::CategoryId)>,
    /// Parameter types and the category they hold.
    pub typed_sources: Vec<(String, crate::classify::CategoryId)>,
    /// The sinks a call can match, by the last segment of its path or its method name: a sink
    /// matches only calls whose path ends like one of its macros or functions, or whose method
    /// is one of its methods. Most calls match no sink, and this keeps them from being tried
    /// against every one. Indices into `sinks`, ascending, so rule order decides as before.
    sinks_by_name: HashMap<String, Vec<u32>>,
    /// The sinks whose request body a method chained on them adds (`.json(&body)`), by method.
    sinks_by_body_method: HashMap<String, Vec<u32>>,
}

impl LanguageRules {
    /// Builds the lookups of `find_sink` and `body_sinks_for` once the sinks are all read.
    /// Sinks are visited in rule order, so every list comes out ascending.
    fn index_sinks(&mut self) {
        for (i, sink) in self.sinks.iter().enumerate() {
            let keys = sink
                .macros
                .iter()
                .chain(&sink.functions)
                .map(|p| last_segment(p))
                .chain(sink.methods.iter().map(String::as_str));
            for key in keys {
                let list = self.sinks_by_name.entry(key.to_string()).or_default();
                if list.last() != Some(&(i as u32)) {
                    list.push(i as u32);
                }
            }
            for method in &sink.body_methods {
                self.sinks_by_body_method
                    .entry(method.clone())
                    .or_default()
                    .push(i as u32);
            }
        }
    }

    /// The first sink, in rule order, that could match `call` and passes `accept`.
    pub fn find_sink(&self, call: &Call, accept: impl Fn(&Sink) -> bool) -> Option<&Sink> {
        let by_path = last_segment(&call.path);
        let none: &[u32] = &[];
        let first = self.sinks_by_name.get(by_path).map_or(none, Vec::as_slice);
        let second = if call.name == by_path {
            none
        } else {
            self.sinks_by_name
                .get(call.name.as_str())
                .map_or(none, Vec::as_slice)
        };
        merged(first, second)
            .map(|i| &self.sinks[i as usize])
            .find(|s| accept(s))
    }

    /// The sinks a method of this name adds a request body to, in rule order.
    pub fn body_sinks_for(&self, method: &str) -> impl Iterator<Item = &Sink> {
        self.sinks_by_body_method
            .get(method)
            .into_iter()
            .flatten()
            .map(|i| &self.sinks[*i as usize])
    }
}

/// The last segment of a `.`- or `::`-separated path.
fn last_segment(path: &str) -> &str {
    path.rsplit(['.', ':']).next().unwrap_or(path)
}

/// Two ascending lists as one ascending list without repeats.
fn merged<'a>(first: &'a [u32], second: &'a [u32]) -> impl Iterator<Item = u32> + 'a {
    let mut first = first.iter().copied().peekable();
    let mut second = second.iter().copied().peekable();
    std::iter::from_fn(
        move || match (first.peek().copied(), second.peek().copied()) {
            (Some(left), Some(right)) => {
                if left <= right {
                    first.next();
                }
                if right <= left {
                    second.next();
                }
                Some(left.min(right))
            }
            (Some(_), None) => first.next(),
            (None, _) => second.next(),
        },
    )
}

#[derive(Debug)]
pub struct Rules {
    pub classifier: Classifier,
    pub languages: BTreeMap<Language, LanguageRules>,
    pub sanitizer_words: HashSet<String>,
    pub sanitizer_types: HashSet<String>,
    pub drops: HashSet<String>,
    pub drop_words: HashSet<String>,
    pub mutators: HashSet<String>,
    pub dumps: HashSet<String>,
    pub getters: HashSet<String>,
    pub maps: HashSet<String>,
    pub reveals: HashSet<String>,
    pub getter_words: HashSet<String>,
    pub mapping_types: HashSet<String>,
    pub key_views: HashSet<String>,
    pub numeric_types: HashSet<String>,
    pub qualified_fields: HashSet<String>,
    /// Third-party recipients and how to recognise them in code.
    pub recipients: Catalog,
    /// Jurisdiction profiles (`gdpr`, `kz`).
    pub profiles: Profiles,
    /// Where each rule came from, for `privlint rules`.
    pub files: Vec<String>,
}

impl Rules {
    /// The built-in rules only.
    pub fn builtin() -> Result<Self, RuleError> {
        Self::load(&[])
    }

    /// [`Rules::load`], plus categories a data map declares.
    pub fn load_with_categories(
        dirs: &[PathBuf],
        categories: Vec<CategoryRule>,
    ) -> Result<Self, RuleError> {
        Self::load_files(
            dirs,
            Some((
                "datamap categories".to_string(),
                RuleFile {
                    categories,
                    ..RuleFile::default()
                },
            )),
        )
    }

    /// The built-in rules plus every `*.yml`/`*.yaml` file in each of `dirs` (recursively,
    /// in sorted order).
    pub fn load(dirs: &[PathBuf]) -> Result<Self, RuleError> {
        Self::load_files(dirs, None)
    }

    fn load_files(dirs: &[PathBuf], extra: Option<(String, RuleFile)>) -> Result<Self, RuleError> {
        // Reading the built-in rules is a fixed cost of every run; the files parse independently.
        let mut files: Vec<(String, RuleFile)> = BUILTIN
            .par_iter()
            .map(|(path, text)| Ok(((*path).to_string(), parse_rule_file(path, text)?)))
            .collect::<Result<_, RuleError>>()?;
        for dir in dirs {
            for path in yaml_files(dir)? {
                let shown = path.display().to_string();
                let text = std::fs::read_to_string(&path).map_err(|e| RuleError {
                    path: shown.clone(),
                    line: 0,
                    column: 0,
                    message: format!("cannot read: {e}"),
                })?;
                files.push((shown.clone(), parse_rule_file(&shown, &text)?));
            }
        }
        files.extend(extra);
        Self::compile(files)
    }

    fn compile(files: Vec<(String, RuleFile)>) -> Result<Self, RuleError> {
        let mut categories = Vec::new();
        let mut negatives = Vec::new();
        let mut negative_prefixes = Vec::new();
        let mut languages: BTreeMap<Language, LanguageRules> = BTreeMap::new();
        let mut sources: Vec<(Language, String, SourceRule)> = Vec::new();
        let mut rules = Rules {
            classifier: Classifier::default(),
            languages: BTreeMap::new(),
            sanitizer_words: HashSet::default(),
            sanitizer_types: HashSet::default(),
            drops: HashSet::default(),
            drop_words: HashSet::default(),
            mutators: HashSet::default(),
            dumps: HashSet::default(),
            getters: HashSet::default(),
            maps: HashSet::default(),
            reveals: HashSet::default(),
            getter_words: HashSet::default(),
            mapping_types: HashSet::default(),
            key_views: HashSet::default(),
            numeric_types: HashSet::default(),
            qualified_fields: HashSet::default(),
            recipients: Catalog::default(),
            profiles: Profiles::default(),
            files: Vec::new(),
        };
        for (path, file) in files {
            let needs_language = !file.log_sinks.is_empty()
                || !file.data_sinks.is_empty()
                || file.repr.is_some()
                || !file.sources.is_empty();
            if needs_language && file.language.is_none() {
                return Err(RuleError {
                    path,
                    line: 1,
                    column: 1,
                    message:
                        "`log_sinks`, `data_sinks`, `sources` and `repr` need a `language:` key \
                              (rust, python)"
                            .into(),
                });
            }
            categories.extend(file.categories);
            negatives.extend(file.negatives);
            negative_prefixes.extend(file.negative_prefixes);
            if let Some(language) = file.language {
                let entry = languages.entry(language).or_default();
                for sink in file.log_sinks {
                    entry.sinks.push(compile_sink(&path, sink, SinkKind::Log)?);
                }
                for sink in file.data_sinks {
                    entry
                        .sinks
                        .push(compile_sink(&path, sink, SinkKind::Store)?);
                }
                for source in file.sources {
                    sources.push((language, path.clone(), source));
                }
                if let Some(repr) = file.repr {
                    entry.repr_debug.extend(repr.debug);
                    entry.repr_display.extend(repr.display);
                    entry.repr_serialize.extend(repr.serialize);
                }
            }
            if let Some(s) = file.sanitizers {
                rules
                    .sanitizer_words
                    .extend(s.words.into_iter().map(|w| w.to_lowercase()));
                rules.sanitizer_types.extend(s.types);
            }
            if let Some(p) = file.propagation {
                rules.drops.extend(p.drops);
                rules.drop_words.extend(p.drop_words);
                rules.mutators.extend(p.mutators);
                rules.dumps.extend(p.dumps);
                rules.getters.extend(p.getters);
                rules.maps.extend(p.maps);
                rules.reveals.extend(p.reveals);
                rules.getter_words.extend(p.getter_words);
                rules.mapping_types.extend(p.mapping_types);
                rules.key_views.extend(p.key_views);
                rules.numeric_types.extend(p.numeric_types);
                rules.qualified_fields.extend(p.qualified_fields);
            }
            rules.recipients.add_rules(&path, file.recipients)?;
            rules.profiles.merge(&path, file.profiles)?;
            rules.files.push(path);
        }
        let category_rules = CategoryRules {
            categories,
            negatives,
            negative_prefixes,
        };
        rules.classifier =
            Classifier::from_rules(&category_rules).map_err(|message| RuleError {
                path: "rules/categories.yml".into(),
                line: 0,
                column: 0,
                message,
            })?;
        for (language, path, source) in sources {
            let category = rules
                .classifier
                .category_id(&source.category)
                .ok_or_else(|| RuleError {
                    path: path.clone(),
                    line: 0,
                    column: 0,
                    message: format!(
                        "source `{}`: unknown category `{}` (see `privlint rules --categories`)",
                        source
                            .path
                            .as_deref()
                            .or(source.ty.as_deref())
                            .unwrap_or_default(),
                        source.category
                    ),
                })?;
            let entry = languages.entry(language).or_default();
            match (source.path, source.ty) {
                (Some(path), None) => entry.sources.push((path, category)),
                (None, Some(ty)) => entry.typed_sources.push((ty, category)),
                _ => {
                    return Err(RuleError {
                        path,
                        line: 0,
                        column: 0,
                        message: format!(
                            "source for `{}`: give exactly one of `path` and `type`",
                            source.category
                        ),
                    });
                }
            }
        }
        for language in languages.values_mut() {
            language.index_sinks();
        }
        rules.languages = languages;
        Ok(rules)
    }

    pub fn language(&self, language: Language) -> Option<&LanguageRules> {
        self.languages.get(&language)
    }

    /// Whether a callee name says it sanitizes (`mask_email`, `sha256`, `redact`).
    pub fn is_sanitizer(&self, name: &str) -> bool {
        let lower = name.to_lowercase();
        self.sanitizer_words.contains(&lower)
            || crate::classify::tokens(name)
                .iter()
                .any(|t| self.sanitizer_words.contains(t.as_str()))
    }

    /// Whether a declared type (`SecretString`, `Secret<String>`, `Option<SecretStr>`) hides its
    /// value when formatted.
    pub fn is_sanitizer_type(&self, ty: &str) -> bool {
        type_words(ty).any(|w| self.sanitizer_types.contains(w))
    }

    /// Whether a declared type is a key-value map (`dict[str, str]`, `HashMap<K, V>`).
    pub fn is_mapping_type(&self, ty: &str) -> bool {
        type_words(ty)
            .next()
            .is_some_and(|w| self.mapping_types.contains(w))
    }

    /// Whether a call's result carries no personal data (a length, a boolean).
    pub fn drops(&self, call: &Call) -> bool {
        if self.drops.contains(call.name.as_str()) {
            return true;
        }
        if let Some((qualifier, _)) = call.path.rsplit_once("::") {
            let owner = qualifier.rsplit("::").next().unwrap_or(qualifier);
            if self.numeric_types.contains(owner) {
                return true;
            }
        }
        let first = crate::classify::tokens(&call.name);
        first
            .first()
            .is_some_and(|w| self.drop_words.contains(w.as_str()) && first.len() > 1)
    }
}

/// The identifier-like words of a type as written: `Option<Secret<String>>` → Option, Secret,
/// String.
pub fn type_words(ty: &str) -> impl Iterator<Item = &str> {
    ty.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
}

impl Sink {
    /// Whether this call is this sink. `loggers` are names this file bound to a logger factory.
    pub fn matches(&self, call: &Call, loggers: &HashSet<String>) -> bool {
        if call.is_macro {
            return self.macros.iter().any(|m| path_matches(&call.path, m));
        }
        if call.receiver.is_none() && self.functions.iter().any(|f| path_matches(&call.path, f)) {
            return true;
        }
        if let Some(receiver) = &call.receiver {
            if !self.functions.is_empty()
                && self
                    .functions
                    .iter()
                    .any(|f| f.contains('.') && path_matches(&call.path, f))
            {
                return true;
            }
            if self.methods.contains(call.name.as_str()) {
                return self.is_logger(receiver, loggers);
            }
        }
        false
    }

    /// Whether the call's receiver is one this sink's methods are called on, whatever the
    /// method (`db.customers` for `db.customers.delete_one(...)`).
    pub fn on_receiver(&self, call: &Call, handles: &HashSet<String>) -> bool {
        !call.is_macro
            && !self.receivers.is_empty()
            && call
                .receiver
                .as_ref()
                .is_some_and(|r| self.is_logger(r, handles))
    }

    /// Whether the call is one of the sink's free functions (`requests.post`), as opposed to a
    /// method on a receiver matched by name.
    pub fn matched_by_function(&self, call: &Call) -> bool {
        self.functions.iter().any(|f| path_matches(&call.path, f))
    }

    fn is_logger(&self, receiver: &Expr, loggers: &HashSet<String>) -> bool {
        match receiver {
            Expr::Place(place) => {
                let text = place_text(place);
                loggers.contains(&text) || self.receivers.iter().any(|r| r.is_match(&text))
            }
            // `logging.getLogger("audit").info(...)`, `logger.bind(x=1).info(...)`
            Expr::Call(inner) => {
                self.is_factory(inner)
                    || inner.receiver.as_ref().is_some_and(|r| {
                        self.methods.contains(inner.name.as_str()) && self.is_logger(r, loggers)
                    })
            }
            _ => false,
        }
    }

    /// What the sink matches, for `privlint rules`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if !self.macros.is_empty() {
            parts.push(format!(
                "macros {}",
                self.macros
                    .iter()
                    .map(|m| format!("{m}!"))
                    .collect::<Vec<_>>()
                    .join(" ")
            ));
        }
        if !self.functions.is_empty() {
            parts.push(format!("functions {}", self.functions.join(" ")));
        }
        if !self.methods.is_empty() {
            let mut methods: Vec<&str> = self.methods.iter().map(String::as_str).collect();
            methods.sort_unstable();
            let receivers: Vec<&str> = self.receivers.iter().map(Regex::as_str).collect();
            parts.push(format!(
                "methods {} on {}",
                methods.join(" "),
                receivers.join(" ")
            ));
        }
        if !self.attributes.is_empty() {
            parts.push(format!(
                "attributes {}",
                self.attributes
                    .iter()
                    .map(|a| format!("#[{a}]"))
                    .collect::<Vec<_>>()
                    .join(" ")
            ));
        }
        if !self.factories.is_empty() {
            parts.push(format!("loggers from {}", self.factories.join(" ")));
        }
        parts.join("; ")
    }

    /// For a function attribute (`instrument(skip(password))`) that logs the function's
    /// parameters, the names it leaves out; `None` when the attribute is not this sink.
    /// `Some(None)` means all are left out (`skip_all`).
    pub fn attribute_skips(&self, attribute: &str) -> Option<Option<Vec<String>>> {
        let name = attribute.split('(').next().unwrap_or(attribute).trim();
        if !self.attributes.iter().any(|a| path_matches(name, a)) {
            return None;
        }
        let args = attribute.get(name.len()..).unwrap_or_default();
        if args.contains("skip_all") {
            return Some(None);
        }
        let skipped = args.find("skip(").map_or_else(Vec::new, |at| {
            let rest = &args[at + 5..];
            let inner = &rest[..rest.find(')').unwrap_or(rest.len())];
            inner
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        });
        Some(Some(skipped))
    }

    /// Whether a call returns a logger (`logging.getLogger(__name__)`).
    pub fn is_factory(&self, call: &Call) -> bool {
        self.factories.iter().any(|f| path_matches(&call.path, f))
    }
}

/// `a.b.c` for a place.
pub fn place_text(place: &crate::ir::Place) -> String {
    let mut text = place.base.clone();
    for field in &place.fields {
        text.push('.');
        text.push_str(field);
    }
    text
}

/// Whether a callee path as written (`log::info`, `self.logger.info`) matches a rule path
/// (`info`, `log::info`): equal, or ending in the rule path at a segment boundary.
pub fn path_matches(path: &str, rule: &str) -> bool {
    if path == rule {
        return true;
    }
    path.strip_suffix(rule)
        .is_some_and(|head| head.ends_with("::") || head.ends_with('.'))
}

fn compile_sink(path: &str, rule: SinkRule, default: SinkKind) -> Result<Sink, RuleError> {
    let Some(kind) = rule
        .kind
        .or((default == SinkKind::Log).then_some(SinkKind::Log))
    else {
        return Err(RuleError {
            path: path.to_string(),
            line: 0,
            column: 0,
            message: format!(
                "data sink `{}` needs a `kind:` (store, file, queue or http)",
                rule.id
            ),
        });
    };
    if (default == SinkKind::Log) != (kind == SinkKind::Log) || kind == SinkKind::Recipient {
        return Err(RuleError {
            path: path.to_string(),
            line: 0,
            column: 0,
            message: format!(
                "sink `{}`: `log_sinks` hold log sinks and `data_sinks` the others \
                 (kind: store, file, queue, http; recipients come from the recipients catalog); \
                 move it or change its kind",
                rule.id
            ),
        });
    }
    let receivers = rule
        .receivers
        .iter()
        .map(|r| {
            Regex::new(r).map_err(|e| RuleError {
                path: path.to_string(),
                line: 0,
                column: 0,
                message: format!("sink `{}`: invalid receiver pattern `{r}`: {e}", rule.id),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Sink {
        id: rule.id,
        kind,
        macros: rule.macros,
        functions: rule.functions,
        receivers,
        factories: rule.factories,
        methods: rule.methods.into_iter().collect(),
        attributes: rule.attributes,
        skip_first: rule.skip_first,
        skip_keywords: rule.skip_keywords.into_iter().collect(),
        url_keywords: rule.url_keywords,
        needs_url: rule.needs_url,
        body_methods: rule.body_methods.into_iter().collect(),
        keeps: rule.keeps,
    })
}

/// Parses one rules file, turning a YAML or schema error into a located [`RuleError`].
pub fn parse_rule_file(path: &str, text: &str) -> Result<RuleFile, RuleError> {
    serde_saphyr::from_str::<RuleFile>(text).map_err(|e| {
        let (line, column) = e.location().map_or((0, 0), |l| (l.line(), l.column()));
        RuleError {
            path: path.to_string(),
            line,
            column,
            message: first_line(&e.to_string()),
        }
    })
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or(text).trim().to_string()
}

fn yaml_files(dir: &Path) -> Result<Vec<PathBuf>, RuleError> {
    if !dir.is_dir() {
        return Err(RuleError {
            path: dir.display().to_string(),
            line: 0,
            column: 0,
            message: "rules directory does not exist".into(),
        });
    }
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(walkdir::DirEntry::into_path)
        .filter(|p| p.extension().is_some_and(|e| e == "yml" || e == "yaml"))
        .collect();
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rules_load() {
        let rules = Rules::builtin().expect("built-in rules are valid");
        assert!(rules.language(Language::Rust).is_some());
        assert!(rules.language(Language::Python).is_some());
        assert!(rules.is_sanitizer("mask_email"));
        assert!(rules.is_sanitizer("sha256"));
        assert!(rules.is_sanitizer("redactPhone"));
        assert!(!rules.is_sanitizer("send_email"));
        assert!(rules.is_sanitizer_type("Option<SecretString>"));
    }

    #[test]
    fn unknown_key_is_located() {
        let err = parse_rule_file("x.yml", "language: rust\nlog_sink:\n  - id: a\n").unwrap_err();
        assert_eq!(err.line, 2, "{err}");
        assert!(err.message.contains("log_sink"), "{err}");
    }

    /// The index by name finds, for every call a built-in sink names, the sink a scan of
    /// every sink in rule order finds, and none for calls no sink names.
    #[test]
    fn sink_index_agrees_with_trying_every_sink() {
        use crate::ir::{Place, Span};
        let rules = Rules::builtin().unwrap();
        let span = Span { start: 0, end: 0 };
        let call = |path: &str, receiver: Option<&str>, is_macro: bool| Call {
            name: last_segment(path).to_string(),
            path: path.to_string(),
            receiver: receiver.map(|r| Expr::Place(Place::var(r, span))),
            args: Vec::new(),
            is_macro,
            span,
        };
        let loggers: HashSet<String> = ["logger".to_string(), "client".to_string()]
            .into_iter()
            .collect();
        let mut tried = 0;
        for language in rules.languages.values() {
            let mut calls = vec![
                call("frobnicate", None, false),
                call("logger.frobnicate", Some("logger"), false),
                call("loginfo", None, true),
            ];
            for sink in &language.sinks {
                for m in &sink.macros {
                    calls.push(call(m, None, true));
                    calls.push(call(&format!("krate::{m}"), None, true));
                }
                for f in &sink.functions {
                    calls.push(call(f, None, false));
                    calls.push(call(&format!("pkg.{f}"), None, false));
                    calls.push(call(&format!("client.{f}"), Some("client"), false));
                }
                for m in &sink.methods {
                    calls.push(call(&format!("logger.{m}"), Some("logger"), false));
                    calls.push(call(&format!("other.{m}"), Some("other"), false));
                }
            }
            for c in &calls {
                let accept = |s: &Sink| s.matches(c, &loggers);
                let linear = language.sinks.iter().find(|s| accept(s)).map(|s| &s.id);
                let indexed = language.find_sink(c, accept).map(|s| &s.id);
                assert_eq!(indexed, linear, "call `{}`", c.path);
                tried += usize::from(linear.is_some());
            }
        }
        assert!(tried > 100, "only {tried} calls matched a sink");
    }

    #[test]
    fn merged_lists_keep_order_without_repeats() {
        assert_eq!(
            merged(&[1, 4, 7], &[2, 4, 9]).collect::<Vec<_>>(),
            [1, 2, 4, 7, 9]
        );
        assert_eq!(merged(&[], &[3]).collect::<Vec<_>>(), [3]);
        assert_eq!(merged(&[5], &[]).collect::<Vec<_>>(), [5]);
    }

    #[test]
    fn path_matching_respects_segments() {
        assert!(path_matches("log::info", "info"));
        assert!(path_matches("self.logger.info", "info"));
        assert!(path_matches("info", "info"));
        assert!(!path_matches("loginfo", "info"));
        assert!(path_matches("pprint.pprint", "pprint.pprint"));
    }
}
