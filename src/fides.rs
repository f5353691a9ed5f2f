//! Fides interoperability: reading Fides manifests (fideslang 3.x `system`, `dataset`,
//! `organization` and `data_category` resources) into a privlint data map, and writing a data
//! map out as one Fides manifest.
//!
//! - [`read_dir`] parses every `*.yml`/`*.yaml` under a folder (recursively, sorted) into one
//!   [`Manifest`]; keys Fides has and privlint does not use are ignored, not errors.
//! - [`import`] maps a manifest onto a data map and [`Imported::render`] writes it as YAML,
//!   with `# confirm` comments where the mapping had to guess.
//! - [`export`] writes a data map as a Fides manifest.
//!
//! What maps onto what, and what does not survive a round trip, is in the README's "Fides
//! interoperability" section.

mod export;
mod import;
mod yaml;

pub use export::export;
pub use import::{Imported, import};

use serde::Deserialize;
use std::fmt;
use std::path::{Path, PathBuf};

/// The Fides resources privlint reads, from one or more manifest files. Other resource kinds
/// (`policy`, `data_use`, `data_subject`, `registry`, ...) are ignored.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Manifest {
    #[serde(default, deserialize_with = "list")]
    pub system: Vec<System>,
    #[serde(default, deserialize_with = "list")]
    pub dataset: Vec<Dataset>,
    #[serde(default, deserialize_with = "list")]
    pub organization: Vec<Organization>,
    /// Custom data categories declared in the manifests.
    #[serde(default, deserialize_with = "list")]
    pub data_category: Vec<DataCategory>,
}

impl Manifest {
    /// Whether it holds no resource privlint reads.
    pub fn is_empty(&self) -> bool {
        self.system.is_empty()
            && self.dataset.is_empty()
            && self.organization.is_empty()
            && self.data_category.is_empty()
    }

    fn extend(&mut self, other: Self) {
        self.system.extend(other.system);
        self.dataset.extend(other.dataset);
        self.organization.extend(other.organization);
        self.data_category.extend(other.data_category);
    }
}

/// A Fides `system`: an application with its privacy declarations.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct System {
    pub fides_key: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub organization_fides_key: Option<String>,
    #[serde(default, deserialize_with = "list")]
    pub privacy_declarations: Vec<PrivacyDeclaration>,
    /// Where the system sends data (`DataFlow`s).
    #[serde(default, deserialize_with = "list")]
    pub egress: Vec<DataFlow>,
    #[serde(default)]
    pub administrating_department: Option<String>,
    /// `Adequacy decision`, `Standard contractual clauses`, `Binding corporate rules`, `Other`.
    #[serde(default)]
    pub legal_basis_for_transfers: Option<String>,
    /// Free-form metadata; privlint keeps what Fides has no field for under `privlint`
    /// ([`SystemMeta`]).
    #[serde(default)]
    pub meta: Option<serde_json::Value>,
}

/// One purpose of a system: what data (`data_categories`), what for (`data_use`), whose
/// (`data_subjects`).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct PrivacyDeclaration {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "list")]
    pub data_categories: Vec<String>,
    #[serde(default)]
    pub data_use: Option<String>,
    #[serde(default, deserialize_with = "list")]
    pub data_subjects: Vec<String>,
    #[serde(default, deserialize_with = "list")]
    pub dataset_references: Vec<String>,
    /// Keys of the system's `egress` flows this declaration sends data along.
    #[serde(default, deserialize_with = "list")]
    pub egress: Vec<String>,
    /// `Consent`, `Contract`, `Legal obligations`, `Vital interests`, `Public interest`,
    /// `Legitimate interests`.
    #[serde(default)]
    pub legal_basis_for_processing: Option<String>,
    #[serde(default)]
    pub retention_period: Option<String>,
    #[serde(default)]
    pub data_shared_with_third_parties: Option<bool>,
    /// The kinds of third parties the data is shared with: free text in Fides (a list is
    /// accepted too).
    #[serde(default)]
    pub third_parties: Option<OneOrMany>,
    #[serde(default, deserialize_with = "list")]
    pub shared_categories: Vec<String>,
}

impl System {
    /// What privlint kept in `meta.privlint`, if it is there and readable.
    pub fn privlint_meta(&self) -> Option<SystemPrivlint> {
        let meta: SystemMeta = serde_json::from_value(self.meta.clone()?).ok()?;
        meta.privlint
    }
}

/// A Fides `DataFlow`: a system, dataset or the user a system exchanges data with.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct DataFlow {
    pub fides_key: String,
    /// `system`, `dataset` or `user`.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default, deserialize_with = "list")]
    pub data_categories: Vec<String>,
}

/// A Fides `dataset`: a database or other store, with its collections (tables) and fields.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Dataset {
    pub fides_key: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// Categories that apply to every collection.
    #[serde(default, deserialize_with = "list")]
    pub data_categories: Vec<String>,
    #[serde(default)]
    pub retention: Option<String>,
    #[serde(default, deserialize_with = "list")]
    pub collections: Vec<Collection>,
    /// Free-form metadata; privlint keeps what Fides has no field for under `privlint`
    /// ([`DatasetMeta`]).
    #[serde(default)]
    pub meta: Option<serde_json::Value>,
}

impl Dataset {
    /// What privlint kept in `meta.privlint`, if it is there and readable.
    pub fn privlint_meta(&self) -> Option<DatasetPrivlint> {
        let meta: DatasetMeta = serde_json::from_value(self.meta.clone()?).ok()?;
        meta.privlint
    }
}

/// A collection (table) of a dataset.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Collection {
    pub name: String,
    #[serde(default, deserialize_with = "list")]
    pub data_categories: Vec<String>,
    #[serde(default)]
    pub retention: Option<String>,
    #[serde(default, deserialize_with = "list")]
    pub fields: Vec<Field>,
}

/// A field of a collection, possibly with nested fields.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Field {
    pub name: String,
    #[serde(default, deserialize_with = "list")]
    pub data_categories: Vec<String>,
    #[serde(default, deserialize_with = "list")]
    pub fields: Vec<Field>,
}

/// A Fides `organization`.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Organization {
    pub fides_key: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub controller: Option<ContactDetails>,
    #[serde(default)]
    pub data_protection_officer: Option<ContactDetails>,
    #[serde(default)]
    pub representative: Option<ContactDetails>,
}

/// Contact details in Fides (all optional strings).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ContactDetails {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
}

/// A custom Fides `data_category`.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct DataCategory {
    pub fides_key: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub parent_key: Option<String>,
}

/// A system's `meta`; only `meta.privlint` is read.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct SystemMeta {
    #[serde(default)]
    pub privlint: Option<SystemPrivlint>,
}

/// What privlint keeps in a system's `meta.privlint`: the recipients' details Fides has no
/// field for, by the key of their egress flow.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct SystemPrivlint {
    #[serde(default)]
    pub recipients: std::collections::BTreeMap<String, RecipientMeta>,
}

/// A recipient's country, safeguard and name.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct RecipientMeta {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub country: Option<String>,
    #[serde(default)]
    pub safeguard: Option<String>,
}

/// A dataset's `meta`; only `meta.privlint` is read.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct DatasetMeta {
    #[serde(default)]
    pub privlint: Option<DatasetPrivlint>,
}

/// What privlint keeps in a dataset's `meta.privlint`: the store's details Fides has no field
/// for.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct DatasetPrivlint {
    #[serde(default)]
    pub entity: Option<String>,
    #[serde(default)]
    pub location: Option<String>,
    #[serde(default, deserialize_with = "list")]
    pub erasure: Vec<String>,
}

/// A string, or a list of strings.
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    /// The non-empty strings.
    pub fn items(&self) -> Vec<&str> {
        let all: Vec<&str> = match self {
            Self::One(s) => vec![s.as_str()],
            Self::Many(v) => v.iter().map(String::as_str).collect(),
        };
        all.into_iter()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect()
    }
}

/// A list that may be written as `null` (Fides writes `egress: null`).
fn list<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(deserializer)?.unwrap_or_default())
}

/// Why manifests could not be read. Nothing is written when one occurs.
#[derive(Debug)]
pub enum ReadError {
    /// The folder does not exist or is not a folder.
    NotAFolder(PathBuf),
    /// A file or folder could not be read.
    Io(PathBuf, std::io::Error),
    /// A YAML syntax error, or a known Fides key with a value of the wrong type.
    Yaml {
        file: PathBuf,
        line: u64,
        column: u64,
        message: String,
    },
    /// No `*.yml`/`*.yaml` file holds a `system`, `dataset`, `organization` or
    /// `data_category` resource.
    NoResources(PathBuf, usize),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotAFolder(p) => write!(
                f,
                "{}: no such folder; pass the folder holding the Fides manifests",
                p.display()
            ),
            Self::Io(p, e) => write!(f, "{}: cannot read: {e}", p.display()),
            Self::Yaml {
                file,
                line,
                column,
                message,
            } => write!(f, "{}:{line}:{column}: {message}", file.display()),
            Self::NoResources(dir, 0) => write!(
                f,
                "{}: no `.yml` or `.yaml` file found; Fides manifests are YAML files",
                dir.display()
            ),
            Self::NoResources(dir, n) => write!(
                f,
                "{}: none of the {n} YAML files holds a Fides `system`, `dataset`, \
                 `organization` or `data_category` resource",
                dir.display()
            ),
        }
    }
}

impl std::error::Error for ReadError {}

/// The `*.yml`/`*.yaml` files under `dir`, recursively, sorted by path. Symbolic links are
/// not followed.
pub fn manifest_files(dir: &Path) -> Result<Vec<PathBuf>, ReadError> {
    if !dir.is_dir() {
        return Err(ReadError::NotAFolder(dir.to_path_buf()));
    }
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| {
            let path = e.path().unwrap_or(dir).to_path_buf();
            ReadError::Io(path, e.into())
        })?;
        let path = entry.path();
        if entry.file_type().is_file()
            && path.extension().is_some_and(|e| e == "yml" || e == "yaml")
        {
            files.push(path.to_path_buf());
        }
    }
    files.sort();
    Ok(files)
}

/// Parses one manifest file's text. An empty file is an empty manifest.
pub fn parse_manifest(file: &Path, text: &str) -> Result<Manifest, ReadError> {
    let options = serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: 64,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: 100_000,
            max_replay_stack_depth: 16,
        },
        duplicate_keys: serde_saphyr::options::DuplicateKeyPolicy::Error,
        with_snippet: false,
    };
    match serde_saphyr::from_str_with_options::<Option<Manifest>>(text, options) {
        Ok(m) => Ok(m.unwrap_or_default()),
        Err(e) => {
            let (line, column) = e
                .location()
                .map_or((1, 1), |l| (l.line().max(1), l.column().max(1)));
            let full = e.to_string();
            let first = full.lines().next().unwrap_or_default();
            let message = first.split(" at line ").next().unwrap_or(first);
            // The library's advice to its own callers is not for users.
            let message = message
                .split(", set DuplicateKeyPolicy")
                .next()
                .unwrap_or(message)
                .trim();
            Err(ReadError::Yaml {
                file: file.to_path_buf(),
                line,
                column,
                message: format!("not a readable Fides manifest: {message}"),
            })
        }
    }
}

/// Reads every manifest under `dir` into one [`Manifest`], with the files read.
pub fn read_dir(dir: &Path) -> Result<(Manifest, Vec<PathBuf>), ReadError> {
    let files = manifest_files(dir)?;
    let mut manifest = Manifest::default();
    for file in &files {
        let bytes = std::fs::read(file).map_err(|e| ReadError::Io(file.clone(), e))?;
        let Ok(text) = String::from_utf8(bytes) else {
            return Err(ReadError::Yaml {
                file: file.clone(),
                line: 1,
                column: 1,
                message: "not valid UTF-8".into(),
            });
        };
        manifest.extend(parse_manifest(file, &text)?);
    }
    if manifest.is_empty() {
        return Err(ReadError::NoResources(dir.to_path_buf(), files.len()));
    }
    Ok((manifest, files))
}

/// The six Fides `legal_basis_for_processing` values and the legal bases they are.
const LEGAL_BASES: [(&str, crate::datamap::LegalBasis); 6] = {
    use crate::datamap::LegalBasis as B;
    [
        ("Consent", B::Consent),
        ("Contract", B::Contract),
        ("Legal obligations", B::LegalObligation),
        ("Vital interests", B::VitalInterests),
        ("Public interest", B::PublicTask),
        ("Legitimate interests", B::LegitimateInterests),
    ]
};

/// The Fides `legal_basis_for_transfers` values privlint has a safeguard for.
const TRANSFER_BASES: [(&str, crate::datamap::Safeguard); 3] = {
    use crate::datamap::Safeguard as S;
    [
        ("Adequacy decision", S::Adequacy),
        (
            "Standard contractual clauses",
            S::StandardContractualClauses,
        ),
        ("Binding corporate rules", S::BindingCorporateRules),
    ]
};

/// A key of lowercase letters, digits and underscores (`Customer accounts` →
/// `customer_accounts`); `fallback` when nothing is left.
pub fn snake_key(name: &str, fallback: &str) -> String {
    let mut key = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && prev_lower {
                key.push('_');
            }
            prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
            key.push(c.to_ascii_lowercase());
        } else {
            prev_lower = false;
            if !key.is_empty() && !key.ends_with('_') {
                key.push('_');
            }
        }
    }
    while key.ends_with('_') {
        key.pop();
    }
    if key.is_empty() {
        return fallback.to_string();
    }
    if key.starts_with(|c: char| c.is_ascii_digit()) {
        key.insert_str(0, &format!("{fallback}_"));
    }
    key
}

/// Whether `key` is a valid Fides key (letters, digits, `_`, `.`, `-`, `<`, `>`).
pub fn is_fides_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '<' | '>'))
}

#[cfg(test)]
mod tests;
