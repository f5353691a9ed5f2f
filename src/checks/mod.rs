//! The checks: one file each, reading the flow graph and writing [`Finding`]s.
//!
//! Each check's doc comment is its user documentation, in fixed sections (*What it finds*,
//! *Why it matters*, *Example*, *Use instead*, *How to fix or suppress*); the same text is
//! what `privlint explain ID` prints, and what SARIF carries as the rule's help.

use crate::attribution::Attribution;
use crate::classify::CategoryId;
use crate::finding::{DataRef, Finding, Location, Severity};
use crate::graph::{Program, SinkHit};
use crate::rules::jurisdictions::Profile;

pub mod cross_border_transfer;
pub mod data_localization;
pub mod identifier_in_log;
pub mod invalid_datamap;
pub mod invalid_suppression;
pub mod missing_erasure;
pub mod stale_declaration;
pub mod undeclared_data;
pub mod undeclared_purpose;
pub mod undeclared_recipient;
pub mod unused_suppression;

/// What the checks read.
pub struct Context<'a, 'r> {
    pub program: &'a Program<'r>,
    pub hits: &'a [SinkHit],
    /// The data map read against the program, when there is one.
    pub datamap: Option<&'a Attribution<'a>>,
    /// The jurisdiction profiles in force (`--profile`, or the controller's country).
    pub profiles: &'a [&'a Profile],
    /// Whether the scan covers the data map's whole folder: only then can a declaration with
    /// no trace in the scanned files be called stale.
    pub covers_datamap: bool,
    /// The stores, the operations on them and the entry points, when there is a data map.
    pub stores: Option<&'a crate::erasure::Stores>,
    /// The call graph the propagation built.
    pub calls: Option<&'a crate::graph::calls::CallGraph>,
}

impl Context<'_, '_> {
    /// The category's Fides key and human name.
    pub fn data_ref(&self, category: CategoryId) -> DataRef {
        let c = self.program.rules.classifier.category(category);
        DataRef {
            category: c.key.clone(),
            name: c.name.clone(),
        }
    }

    /// A finding on a declaration in the data map, at the JSON pointer's key (or value).
    pub fn declaration_finding(
        &self,
        check: &'static str,
        severity: Severity,
        pointer: &str,
        message: String,
        help: String,
        data: Vec<DataRef>,
    ) -> Option<Finding> {
        let map = self.datamap?.map;
        let span = map.locate(pointer)?;
        let path = crate::findings::display_path(&span.file);
        let text = map.file_text(&span.file).unwrap_or_default();
        let code = text.get(span.start..span.end).unwrap_or_default();
        let location = Location {
            path,
            line: span.line,
            column: span.column,
            start: span.start as u32,
            end: span.end as u32,
        };
        let fingerprint =
            crate::findings::fingerprint(check, &location.path, &data, &format!("{pointer}{code}"));
        Some(Finding {
            check,
            severity,
            message,
            location,
            data,
            path: Vec::new(),
            help,
            fingerprint,
            suppressed: None,
        })
    }
}

/// The personal data reaching each sink, the hits of all callers merged, labels in a stable
/// order (see [`sort_labels`]); only what `keep` accepts.
pub fn data_by_sink<'a>(
    cx: &Context<'a, '_>,
    keep: impl Fn(&SinkHit, CategoryId) -> bool,
) -> std::collections::BTreeMap<&'a crate::graph::SinkRef, Vec<&'a crate::graph::Label>> {
    let mut by_sink: std::collections::BTreeMap<_, Vec<_>> = std::collections::BTreeMap::new();
    for hit in cx.hits {
        for label in &hit.labels {
            if let crate::graph::Origin::Data(category) = label.origin
                && keep(hit, category)
            {
                by_sink.entry(&hit.sink).or_default().push(label);
            }
        }
    }
    for labels in by_sink.values_mut() {
        sort_labels(labels);
    }
    by_sink
}

/// Orders the labels that reach one sink so every choice made from them is the same on every
/// run, whatever order the parallel analysis found them in: by origin, then the shortest path,
/// then the path itself.
pub fn sort_labels(labels: &mut [&crate::graph::Label]) {
    labels
        .sort_by(|a, b| (a.origin, a.hops.len(), &a.hops).cmp(&(b.origin, b.hops.len(), &b.hops)));
}

/// A finding at a sink: the path is the label's hops, then the sink itself with `what_happens`
/// (`logged by`, `sent by`) and its callee.
#[allow(clippy::too_many_arguments)] // one finding's fields
pub fn sink_finding(
    cx: &Context<'_, '_>,
    check: &Check,
    sink: &crate::graph::SinkRef,
    label: Option<&crate::graph::Label>,
    what_happens: &str,
    message: String,
    data: Vec<DataRef>,
    help: String,
) -> Finding {
    let mut path: Vec<crate::graph::At> = label.map(|l| l.hops.clone()).unwrap_or_default();
    path.push(crate::graph::At {
        unit: sink.unit,
        span: sink.span,
        note: format!("{what_happens} `{}`", sink.callee).into(),
    });
    crate::findings::build(
        cx.program,
        check.id,
        check.severity,
        message,
        sink.unit,
        sink.span,
        data,
        &path,
        help,
    )
}

/// `a`, `a and b`, `a, b and c`.
pub fn join_names(names: &[String]) -> String {
    match names {
        [] => "personal data".into(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// `` `a` ``, `` `a` and `b` ``.
pub fn join_keys<S: AsRef<str>>(keys: &[S]) -> String {
    let quoted: Vec<String> = keys.iter().map(|k| format!("`{}`", k.as_ref())).collect();
    join_names(&quoted)
}

pub fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// A check: its stable ID, default severity, one-line summary, documentation and entry point.
pub struct Check {
    pub id: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    /// Markdown: the check module's doc comment.
    pub doc: &'static str,
    pub run: fn(&Context<'_, '_>) -> Vec<Finding>,
}

/// Every check, in ID order.
pub static CHECKS: &[&Check] = &[
    &cross_border_transfer::CHECK,
    &data_localization::CHECK,
    &identifier_in_log::CHECK,
    &invalid_datamap::CHECK,
    &invalid_suppression::CHECK,
    &missing_erasure::CHECK,
    &stale_declaration::CHECK,
    &undeclared_data::CHECK,
    &undeclared_purpose::CHECK,
    &undeclared_recipient::CHECK,
    &unused_suppression::CHECK,
];

/// Whether a check only runs against a data map (so a suppression of it cannot be called
/// unused in a scan without one).
pub fn needs_datamap(id: &str) -> bool {
    !matches!(
        id,
        "identifier-in-log" | "invalid-suppression" | "unused-suppression"
    )
}

pub fn find(id: &str) -> Option<&'static Check> {
    CHECKS.iter().copied().find(|c| c.id == id)
}

/// The documentation of a check as text: its module's `//!` comment without the markers.
pub fn doc_text(check: &Check) -> String {
    let mut out = String::new();
    for line in check.doc.lines() {
        let Some(rest) = line.strip_prefix("//!") else {
            break;
        };
        out.push_str(rest.strip_prefix(' ').unwrap_or(rest));
        out.push('\n');
    }
    out.trim_end().to_string()
}
