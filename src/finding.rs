//! What a scan produces: findings, and the account of which files were read and which were not.
//! Reporters render these and nothing else.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Note => "note",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// A place in a scanned file. `path` is relative to the scan root it was found under, with `/`
/// separators, so output does not depend on where the repository is checked out.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Location {
    pub path: String,
    /// 1-based line and column (column in characters).
    pub line: u32,
    pub column: u32,
    /// Byte offsets into the file.
    pub start: u32,
    pub end: u32,
}

/// One step of the path personal data takes from its source to the sink.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Hop {
    pub location: Location,
    /// What happens here: "`user.email` is read", "passed to `notify` as `address`".
    pub note: String,
}

/// The personal data a finding is about.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct DataRef {
    /// Fides taxonomy key of the category (`user.contact.email`).
    pub category: String,
    /// Human name of the category (`Email address`).
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The check ID (`identifier-in-log`): stable, the SARIF `ruleId`.
    pub check: &'static str,
    pub severity: Severity,
    /// One sentence: what flows where.
    pub message: String,
    /// Where it is reported: the sink.
    pub location: Location,
    /// The personal data that reaches the sink, most specific first.
    pub data: Vec<DataRef>,
    /// From source to sink, in order; the last hop is the sink itself.
    pub path: Vec<Hop>,
    /// How to fix it.
    pub help: String,
    /// Stable across unrelated edits and moves: check, file, data, the sink's normalised code.
    pub fingerprint: String,
    /// The reason given in a `privlint: ignore[...]` comment, when the finding is suppressed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppressed: Option<String>,
}

/// Why a file was not analysed (or only partly).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct SkippedFile {
    pub path: String,
    pub reason: String,
}

/// Files read, per language.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LanguageCount {
    pub language: String,
    pub files: usize,
    pub lines: usize,
}

/// The whole result of `privlint check`, as every reporter receives it.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ScanResult {
    /// Sorted by (path, line, column, check).
    pub findings: Vec<Finding>,
    /// Files not analysed, or analysed only in part, with the reason. Sorted by path.
    pub skipped: Vec<SkippedFile>,
    /// Sorted by language.
    pub scanned: Vec<LanguageCount>,
    /// The roots the scan started from, as given.
    #[serde(skip)]
    pub roots: Vec<PathBuf>,
    /// The text of each file a finding points at, keyed by `Location::path`, so the text
    /// reporter can show snippets without reading the disk again.
    #[serde(skip)]
    pub sources: BTreeMap<String, Arc<str>>,
    /// The data map the code was held against, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub datamap: Option<PathBuf>,
    /// The data map could not be read: `findings` are its problems, and no code was checked.
    #[serde(skip)]
    pub datamap_invalid: bool,
    /// Findings left out because a baseline (`--baseline`) or the diff base (`--diff-base`)
    /// already has them.
    #[serde(skip)]
    pub baselined: usize,
    /// What the change declares and processes differently from the diff base, when one is given.
    #[serde(skip)]
    pub changes: Option<PrivacyChanges>,
    /// Where personal data reaches a sink outside tests, with the data map's elements and
    /// purposes (only with a data map): the evidence of the record of processing.
    #[serde(skip)]
    pub processing: Vec<crate::processing::Processing>,
    /// Whether each store's erasure is implemented (only with a data map).
    #[serde(skip)]
    pub erasure: Vec<crate::erasure::verdict::StoreErasure>,
}

/// The privacy changes between the diff base and the scanned tree: what the data map declares
/// (elements, purposes, recipients, stores) and what the code was seen to process (data
/// categories in findings, and the flows of personal data to sinks). Each list is sorted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PrivacyChanges {
    /// The revision compared against, as given.
    pub base: String,
    pub elements: Delta,
    pub purposes: Delta,
    pub recipients: Delta,
    pub stores: Delta,
    /// Fides keys of the data categories the findings are about.
    pub categories_found: Delta,
    /// What the code does with personal data: `element → purposes → sink`.
    pub flows: Delta,
    /// Declarations kept but changed: `purpose `accounts`: legal basis: contract → consent`.
    pub changed: Vec<String>,
}

/// Keys added and removed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Delta {
    pub added: Vec<String>,
    pub removed: Vec<String>,
}

impl Delta {
    /// What is in `head` and not in `base`, and the other way round, sorted.
    pub fn between<'a>(
        base: impl IntoIterator<Item = &'a str>,
        head: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        let base: std::collections::BTreeSet<&str> = base.into_iter().collect();
        let head: std::collections::BTreeSet<&str> = head.into_iter().collect();
        Delta {
            added: head.difference(&base).map(|s| (*s).to_string()).collect(),
            removed: base.difference(&head).map(|s| (*s).to_string()).collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty()
    }
}

impl PrivacyChanges {
    pub fn is_empty(&self) -> bool {
        self.elements.is_empty()
            && self.purposes.is_empty()
            && self.recipients.is_empty()
            && self.stores.is_empty()
            && self.categories_found.is_empty()
            && self.flows.is_empty()
            && self.changed.is_empty()
    }
}

impl ScanResult {
    /// Findings that are not suppressed.
    pub fn active(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.suppressed.is_none())
    }
}
