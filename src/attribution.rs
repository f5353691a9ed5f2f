//! What the data map says about a place in the code: which purposes apply there, which
//! declared elements a category of data is, and who a sink hands data to.
//!
//! Purposes reach code three ways, most specific first:
//! 1. an annotation, `privlint: purpose(marketing)`, at the end of a line (that line), alone on
//!    the line above a function, method or class (all of it), above any other line (that line),
//!    or at the top of a file before any code (the whole file);
//! 2. the `code:` globs of a purpose, matched against paths relative to the data map's folder;
//! 3. the recipient a sink reaches: a declared recipient's `purposes`.
//!
//! The innermost annotation wins over the ones around it and over globs: a function marked
//! `purpose(support)` inside `src/accounts/**` is support's, not accounts'.

use crate::datamap::DataMap;
use crate::graph::{Program, SinkKind, SinkRef, Unit};
use crate::ir::Span;
use crate::rules::Rules;
use crate::rules::recipients::{RecipientId, is_internal_host};
use globset::{Glob, GlobMatcher};
use std::collections::{BTreeMap, BTreeSet};

/// Why a purpose applies at a place.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Why {
    /// An annotation on this line of the file.
    Annotation { line: u32 },
    /// One of the purpose's `code:` globs matches the file.
    Code { glob: String },
    /// The sink is a declared recipient that serves this purpose.
    Recipient { key: String },
}

impl Why {
    pub fn describe(&self) -> String {
        match self {
            Why::Annotation { line } => format!("annotated on line {line}"),
            Why::Code { glob } => format!("its code glob `{glob}` matches this file"),
            Why::Recipient { key } => format!("the recipient `{key}` serves it"),
        }
    }
}

/// Who a sink hands data to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Receiver {
    /// A recipient the data map declares, by its key.
    Declared(String),
    /// A third party from the recipients catalog that the data map does not declare.
    Catalog(RecipientId),
    /// A host nothing declares or catalogs.
    Host(String),
}

/// Annotated region of a file.
#[derive(Clone, Debug)]
struct Annotated {
    start: u32,
    end: u32,
    /// 0 line, 1 item, 2 module: smaller is more specific.
    level: u8,
    line: u32,
    purposes: Vec<String>,
}

struct Scope {
    purpose: String,
    globs: Vec<(String, GlobMatcher)>,
}

/// The data map read against the program.
pub struct Attribution<'m> {
    pub map: &'m DataMap,
    /// Per unit: its path relative to the data map's folder, when it is inside it.
    relative: Vec<Option<String>>,
    scopes: Vec<Scope>,
    /// Per unit: its annotated regions.
    annotated: Vec<Vec<Annotated>>,
    /// Per unit: `privlint: data(element)` annotations by the line they apply to.
    pub data_annotations: Vec<BTreeMap<u32, Vec<String>>>,
}

impl<'m> Attribution<'m> {
    pub fn new(map: &'m DataMap, program: &Program<'_>) -> Self {
        let relative = program
            .relative_paths(&map.root)
            .into_iter()
            .map(|r| r.map(|segments| segments.join("/")))
            .collect();
        let scopes = map
            .purposes
            .iter()
            .map(|(key, p)| Scope {
                purpose: key.clone(),
                globs: p
                    .code
                    .iter()
                    .filter_map(|g| Some((g.clone(), compile_glob(g)?)))
                    .collect(),
            })
            .collect();
        let mut annotated = Vec::with_capacity(program.units.len());
        let mut data_annotations = Vec::with_capacity(program.units.len());
        for unit in &program.units {
            let mut regions = Vec::new();
            for d in &unit.facts.directives {
                let applies_to = if d.trailing {
                    d.line
                } else {
                    next_code_line(&unit.text, d.line)
                };
                let Some(purposes) = call_args(&d.text, "purpose") else {
                    continue;
                };
                let line_range = |line: u32| line_span(&unit.text, line);
                let region = if d.trailing {
                    let (start, end) = line_range(d.line);
                    (start, end, 0)
                } else if let Some(extent) = item_starting_on(unit, applies_to) {
                    (extent.start, extent.end, 1)
                } else if only_comments_before(&unit.text, d.line) {
                    (0, unit.text.len() as u32, 2)
                } else {
                    let (start, end) = line_range(applies_to);
                    (start, end, 0)
                };
                regions.push(Annotated {
                    start: region.0,
                    end: region.1,
                    level: region.2,
                    line: d.line,
                    purposes,
                });
            }
            annotated.push(regions);
            data_annotations.push(data_annotations_of(unit));
        }
        Attribution {
            map,
            relative,
            scopes,
            annotated,
            data_annotations,
        }
    }

    /// The purposes that apply at `span` of `unit` by annotation or code glob, each with why.
    pub fn purposes_at(&self, unit: u32, span: Span) -> Vec<(String, Why)> {
        let regions = &self.annotated[unit as usize];
        let inside: Vec<&Annotated> = regions
            .iter()
            .filter(|r| r.start <= span.start && span.start < r.end.max(r.start + 1))
            .collect();
        if let Some(level) = inside.iter().map(|r| r.level).min() {
            let mut out: Vec<(String, Why)> = inside
                .iter()
                .filter(|r| r.level == level)
                .flat_map(|r| {
                    r.purposes
                        .iter()
                        .map(|p| (p.clone(), Why::Annotation { line: r.line }))
                })
                .collect();
            out.sort();
            out.dedup_by(|a, b| a.0 == b.0);
            return out;
        }
        let Some(path) = &self.relative[unit as usize] else {
            return Vec::new();
        };
        self.scopes
            .iter()
            .filter_map(|s| {
                s.globs
                    .iter()
                    .find(|(_, m)| m.is_match(path))
                    .map(|(g, _)| (s.purpose.clone(), Why::Code { glob: g.clone() }))
            })
            .collect()
    }

    /// The purposes at a sink: where it is, and the purposes of the declared recipient it
    /// reaches.
    pub fn purposes_at_sink(
        &self,
        sink: &SinkRef,
        receiver: Option<&Receiver>,
    ) -> Vec<(String, Why)> {
        let mut out = self.purposes_at(sink.unit, sink.span);
        if let Some(Receiver::Declared(key)) = receiver
            && let Some(r) = self.map.recipients.get(key)
        {
            for p in &r.purposes {
                if !out.iter().any(|(q, _)| q == p) {
                    out.push((p.clone(), Why::Recipient { key: key.clone() }));
                }
            }
        }
        out
    }

    /// The declared elements that cover data of this category: those declared with the
    /// category or one of its ancestors (`user.contact` covers `user.contact.email`).
    pub fn elements_for(&self, category: &str) -> Vec<&'m str> {
        self.map
            .data
            .iter()
            .filter(|(_, e)| covers(&e.category, category))
            .map(|(k, _)| k.as_str())
            .collect()
    }

    /// The data map's file (its first, for a folder), for messages.
    pub fn map_file(&self) -> std::path::PathBuf {
        self.map
            .files
            .first()
            .map_or_else(|| self.map.root.join("datamap.yml"), |(p, _)| p.clone())
    }

    /// Whether any purpose is tied to code, by glob or annotation: without that, no place in
    /// the code can be said to lie outside every purpose.
    pub fn has_scopes(&self) -> bool {
        self.scopes.iter().any(|s| !s.globs.is_empty())
            || self.annotated.iter().any(|a| !a.is_empty())
    }

    /// Whether a purpose's glob matches some scanned file.
    pub fn glob_matches_any(&self, purpose: &str, glob: &str) -> bool {
        let Some(scope) = self.scopes.iter().find(|s| s.purpose == purpose) else {
            return false;
        };
        let Some((_, matcher)) = scope.globs.iter().find(|(g, _)| g == glob) else {
            return false;
        };
        self.relative
            .iter()
            .flatten()
            .any(|path| matcher.is_match(path))
    }

    /// Purposes named in some `privlint: purpose(...)` annotation.
    pub fn annotated_purposes(&self) -> BTreeSet<&str> {
        self.annotated
            .iter()
            .flatten()
            .flat_map(|r| r.purposes.iter().map(String::as_str))
            .collect()
    }

    /// Elements named in some `privlint: data(...)` annotation.
    pub fn annotated_elements(&self) -> BTreeSet<&str> {
        self.data_annotations
            .iter()
            .flat_map(|m| m.values())
            .flatten()
            .map(String::as_str)
            .collect()
    }

    /// Who a sink hands data to: a declared recipient, a cataloged one, or a bare host. `None`
    /// for sinks that stay inside the system (logs, stores, files) and for internal hosts.
    pub fn receiver(&self, rules: &Rules, sink: &SinkRef) -> Option<Receiver> {
        let target = sink.target.as_deref()?;
        match sink.kind {
            SinkKind::Recipient => {
                let id = rules.recipients.by_key(target)?;
                let key = &rules.recipients.get(id).id;
                if self.map.recipients.contains_key(key) {
                    Some(Receiver::Declared(key.clone()))
                } else {
                    Some(Receiver::Catalog(id))
                }
            }
            SinkKind::Http => {
                if let Some((key, _)) = self
                    .map
                    .recipients
                    .iter()
                    .find(|(_, r)| r.hosts.iter().any(|h| host_matches(h, target)))
                {
                    return Some(Receiver::Declared(key.clone()));
                }
                if let Some(id) = rules.recipients.match_host(target) {
                    let key = &rules.recipients.get(id).id;
                    return Some(if self.map.recipients.contains_key(key) {
                        Receiver::Declared(key.clone())
                    } else {
                        Receiver::Catalog(id)
                    });
                }
                if is_internal_host(target) || self.is_own_host(target) {
                    return None;
                }
                Some(Receiver::Host(target.to_string()))
            }
            _ => None,
        }
    }

    /// A host under the controller's own domain (the domain of its contact address).
    fn is_own_host(&self, host: &str) -> bool {
        let Some(contact) = self
            .map
            .controller
            .as_ref()
            .and_then(|c| c.contact.as_deref())
        else {
            return false;
        };
        let Some((_, domain)) = contact.rsplit_once('@') else {
            return false;
        };
        let domain = domain.trim().to_ascii_lowercase();
        !domain.is_empty() && (host == domain || host.ends_with(&format!(".{domain}")))
    }
}

/// The `privlint: data(element)` annotations of a file, by the line they apply to (their own
/// line at the end of one, else the next line of code).
pub fn data_annotations_of(unit: &Unit) -> BTreeMap<u32, Vec<String>> {
    let mut out = BTreeMap::new();
    for d in &unit.facts.directives {
        if let Some(elements) = call_args(&d.text, "data") {
            let line = if d.trailing {
                d.line
            } else {
                next_code_line(&unit.text, d.line)
            };
            out.insert(line, elements);
        }
    }
    out
}

/// Whether a declared category covers a found one: equal, or an ancestor in the taxonomy.
pub fn covers(declared: &str, found: &str) -> bool {
    found == declared
        || found
            .strip_prefix(declared)
            .is_some_and(|rest| rest.starts_with('.'))
}

/// A declared host pattern (`api.x.com`, `*.x.com`) against a host.
pub fn host_matches(pattern: &str, host: &str) -> bool {
    let pattern = pattern.to_ascii_lowercase();
    let host = host.to_ascii_lowercase();
    match pattern.strip_prefix("*.") {
        Some(domain) => host.ends_with(&format!(".{domain}")),
        None => host == pattern,
    }
}

fn compile_glob(glob: &str) -> Option<GlobMatcher> {
    let glob = glob.trim_start_matches("./");
    // `src/accounts` and `src/accounts/` mean everything under that folder too.
    let pattern = if glob.contains(['*', '?', '[', '{']) {
        glob.to_string()
    } else {
        format!(
            "{{{},{}/**}}",
            glob.trim_end_matches('/'),
            glob.trim_end_matches('/')
        )
    };
    Glob::new(&pattern).ok().map(|g| g.compile_matcher())
}

/// The names inside `name(a, b)` at the start of a directive.
fn call_args(text: &str, name: &str) -> Option<Vec<String>> {
    let rest = text.strip_prefix(name)?.trim_start();
    let inner = rest.strip_prefix('(')?;
    let inner = &inner[..inner.find(')')?];
    let names: Vec<String> = inner
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    (!names.is_empty()).then_some(names)
}

/// The first line after `line` that is neither blank nor a comment.
fn next_code_line(text: &str, line: u32) -> u32 {
    for (i, l) in text.lines().enumerate().skip(line as usize) {
        let t = l.trim_start();
        if !(t.is_empty() || is_comment(t)) {
            return i as u32 + 1;
        }
    }
    line + 1
}

fn is_comment(trimmed: &str) -> bool {
    trimmed.starts_with('#') || trimmed.starts_with("//") || trimmed.starts_with("/*")
}

/// Whether the lines before `line` are all blank or comments: the annotation heads the file.
fn only_comments_before(text: &str, line: u32) -> bool {
    text.lines().take(line.saturating_sub(1) as usize).all(|l| {
        let t = l.trim_start();
        t.is_empty() || is_comment(t) || t.starts_with('*')
    })
}

/// Byte range of a 1-based line.
pub fn line_span(text: &str, line: u32) -> (u32, u32) {
    let mut start = 0usize;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line as usize {
            return (start as u32, (start + l.len()) as u32);
        }
        start += l.len();
    }
    (start as u32, start as u32)
}

/// The function, method or type whose definition (decorators and attributes included) starts
/// on `line`.
fn item_starting_on(unit: &Unit, line: u32) -> Option<Span> {
    let starts =
        |extent: Span| !extent.is_empty() && unit.line_col(extent.start as usize).0 == line;
    unit.facts
        .functions
        .iter()
        .filter(|f| !f.is_module_body)
        .map(|f| f.extent)
        .chain(unit.facts.types.iter().map(|t| t.extent))
        .find(|e| starts(*e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_cover_their_descendants_only() {
        assert!(covers("user.contact", "user.contact.email"));
        assert!(covers("user.contact.email", "user.contact.email"));
        assert!(!covers("user.contact.email", "user.contact"));
        assert!(!covers("user.contact.e", "user.contact.email"));
    }

    #[test]
    fn host_patterns() {
        assert!(host_matches("api.x.com", "API.x.com"));
        assert!(host_matches("*.x.com", "eu.api.x.com"));
        assert!(!host_matches("*.x.com", "x.com"));
        assert!(!host_matches("*.x.com", "notx.com"));
    }

    #[test]
    fn directive_arguments() {
        assert_eq!(
            call_args("purpose(marketing, support)", "purpose"),
            Some(vec!["marketing".to_string(), "support".to_string()])
        );
        assert_eq!(call_args("purpose()", "purpose"), None);
        assert_eq!(call_args("purposes(x)", "purpose"), None);
        assert_eq!(call_args("ignore[x] y", "purpose"), None);
    }

    #[test]
    fn folder_globs_match_their_contents() {
        let m = compile_glob("src/accounts").expect("valid");
        assert!(m.is_match("src/accounts/views.py"));
        assert!(m.is_match("src/accounts"));
        assert!(!m.is_match("src/accountsx/views.py"));
        let m = compile_glob("src/**/billing/*.rs").expect("valid");
        assert!(m.is_match("src/a/b/billing/pay.rs"));
    }

    #[test]
    fn code_lines_skip_comments_and_blanks() {
        let text = "# a\n\n# b\nx = 1\n";
        assert_eq!(next_code_line(text, 1), 4);
        assert!(only_comments_before(text, 3));
        assert!(!only_comments_before(text, 5));
        assert_eq!(line_span(text, 4), (9, 15));
    }
}
