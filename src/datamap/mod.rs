//! The data map (`datamap.yml`): what personal data a system processes, why, where it is kept
//! and who receives it.
//!
//! The types here are the format: the JSON Schema (`privlint schema`,
//! `schema/datamap.v1.json`) is generated from them, and their doc comments become its
//! descriptions. [`load`] reads a file or a folder of files into a [`DataMap`], or returns every
//! [`Problem`] found, each with its file, line and column.

mod load;
mod node;

pub use load::{Problem, load};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The `$id` of the data-map JSON Schema, for `# yaml-language-server: $schema=...`.
pub const SCHEMA_ID: &str = "https://privlint.dev/schema/datamap.v1.json";

/// The ISO 8601 durations `retention` accepts: years, months, weeks, days, then `T` and hours,
/// minutes, seconds; at least one part, whole numbers (`P90D`, `P3Y`, `P1Y6M`, `PT12H`, `P2W`).
pub const DURATION_PATTERN: &str = r"^P(([0-9]+Y([0-9]+M)?([0-9]+W)?([0-9]+D)?|[0-9]+M([0-9]+W)?([0-9]+D)?|[0-9]+W([0-9]+D)?|[0-9]+D)(T([0-9]+H([0-9]+M)?([0-9]+S)?|[0-9]+M([0-9]+S)?|[0-9]+S))?|T([0-9]+H([0-9]+M)?([0-9]+S)?|[0-9]+M([0-9]+S)?|[0-9]+S))$";

/// An ISO 3166-1 alpha-2 country code, as the schema's pattern (the loader checks the list).
pub const COUNTRY_PATTERN: &str = "^[A-Z]{2}$";

/// A privlint data map, format version 1: the personal data a system processes (`data`), why
/// (`purposes`), who receives it (`recipients`), where it is kept (`stores`) and what may be
/// logged (`logging`).
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "privlint data map")]
pub struct DataMap {
    /// Format version of the data map; always `1`.
    #[schemars(range(min = 1, max = 1))]
    pub version: u32,
    /// The organisation that decides why and how the personal data is processed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub controller: Option<Controller>,
    /// Custom data categories, keyed by a dotted key (`user.custom.loyalty_id`), for data the
    /// Fides taxonomy has no key for. Elements may then use these keys as their `category`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub categories: BTreeMap<String, CustomCategory>,
    /// The personal-data elements, keyed by a short name (`email`, `iin`) that purposes,
    /// recipients, stores and logging refer to.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub data: BTreeMap<String, Element>,
    /// Why the data is processed, keyed by a short name (`accounts`, `marketing`): the legal
    /// basis, the elements used, and the code that does it.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub purposes: BTreeMap<String, Purpose>,
    /// Who receives the data outside the system (processors, third parties), keyed by a short
    /// name (`mailgun`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub recipients: BTreeMap<String, Recipient>,
    /// Where the data is kept (databases, tables, buckets), keyed by a short name (`users`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub stores: BTreeMap<String, Store>,
    /// What personal data may appear in logs, and why.
    #[serde(default, skip_serializing_if = "Logging::is_empty")]
    pub logging: Logging,

    /// Each loaded file with its text, for snippets.
    #[serde(skip)]
    #[schemars(skip)]
    pub files: Vec<(PathBuf, String)>,
    /// The directory `code:` globs are relative to: the data map file's directory, or the
    /// data-map folder itself.
    #[serde(skip)]
    #[schemars(skip)]
    pub root: PathBuf,
    /// Where each declaration is written.
    #[serde(skip)]
    #[schemars(skip)]
    pub located: Located,
}

/// The organisation responsible for the processing (the data controller).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Controller {
    /// Legal name of the controller (`Dala Market LLP`).
    pub name: String,
    /// Country of establishment, an ISO 3166-1 alpha-2 code (`KZ`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = COUNTRY_PATTERN))]
    pub country: Option<String>,
    /// How data subjects reach the controller about their data (an email address or URL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    /// The Data Protection Officer, if one is appointed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dpo: Option<Dpo>,
    /// The controller's representative in the EU or another jurisdiction (GDPR Art. 27).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub representative: Option<String>,
    /// Postal address of the controller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// The department responsible for the processing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// A general description of the technical and organisational security measures (GDPR
    /// Art. 30(1)(g)), for the record of processing; a purpose may give its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_measures: Option<String>,
}

/// A Data Protection Officer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Dpo {
    /// Name of the DPO, or of the office.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// How to reach the DPO (an email address or URL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
}

/// A data category the Fides taxonomy does not have.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomCategory {
    /// Human name of the category (`Loyalty card number`).
    pub name: String,
    /// The broader category this one refines: a Fides data category key or another custom
    /// category (`user.unique_id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Whether a value of this category identifies a person on its own (then it is flagged
    /// when it reaches a log).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub identifier: bool,
    /// Variable and field names that hold this category (`loyalty_id`, `loyalty_card`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub names: Vec<String>,
    /// What the category covers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A personal-data element: one kind of personal data the system holds.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Element {
    /// The data category: a Fides taxonomy key (`user.contact.email`), a deeper key under a
    /// leaf of it, or a custom category from `categories`.
    pub category: String,
    /// Whose data it is: Fides data subjects (`customer`, `employee`) or your own labels.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subjects: Vec<String>,
    /// Fields in code that hold this element, as `Type.field` (`Order.ship_to`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<String>,
    /// What the element is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Where the data comes from (`subject`, `third_party`, `derived`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// A purpose of processing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Purpose {
    /// The legal basis (GDPR Art. 6(1)(a)–(f)).
    pub legal_basis: LegalBasis,
    /// The elements (keys of `data`) processed for this purpose.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data: Vec<String>,
    /// Globs of the source files that serve this purpose, relative to the data map's directory
    /// (`src/accounts/**`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub code: Vec<String>,
    /// A Fides data-use key (`essential.service`, `marketing.communications.email`).
    #[serde(default, rename = "use", skip_serializing_if = "Option::is_none")]
    pub data_use: Option<String>,
    /// Human name of the purpose, for reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// What the processing is for, for reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The department or team that owns the processing (`Marketing`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Whether the organisation processes this purpose as the `controller` (default) or as a
    /// `processor` on behalf of another controller.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// A controller that decides this processing jointly with the organisation (GDPR Art. 26).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub joint_controller: Option<String>,
    /// The Art. 9(2) condition that allows processing special categories of data (health,
    /// biometrics, ...) for this purpose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub special_category_condition: Option<SpecialCategoryCondition>,
    /// The legitimate interest pursued, when the legal basis is `legitimate_interests`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legitimate_interest: Option<String>,
    /// Where the legitimate interests assessment is kept (a URL or reference).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legitimate_interest_assessment: Option<String>,
    /// Automated decisions, including profiling, made in this processing (GDPR Art. 22),
    /// described; leave out when there are none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub automated_decisions: Option<String>,
    /// The data protection impact assessment (GDPR Art. 35).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dpia: Option<Dpia>,
    /// The security measures of this processing, when they differ from the controller's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_measures: Option<String>,
}

/// Who decides the processing: the organisation itself, or another controller it works for.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Controller,
    Processor,
}

impl Role {
    /// The key written in the data map.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Controller => "controller",
            Self::Processor => "processor",
        }
    }
}

/// The condition of GDPR Art. 9(2)(a)–(j) that allows processing special categories of data:
/// `explicit_consent` (a), `employment_social_security` (b), `vital_interests` (c),
/// `not_for_profit_body` (d), `made_public_by_subject` (e), `legal_claims` (f),
/// `substantial_public_interest` (g), `health_or_social_care` (h), `public_health` (i),
/// `archiving_research_statistics` (j).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum SpecialCategoryCondition {
    ExplicitConsent,
    EmploymentSocialSecurity,
    VitalInterests,
    NotForProfitBody,
    MadePublicBySubject,
    LegalClaims,
    SubstantialPublicInterest,
    HealthOrSocialCare,
    PublicHealth,
    ArchivingResearchStatistics,
}

impl SpecialCategoryCondition {
    /// A human label with its point of Art. 9(2), for reports.
    pub fn label(self) -> &'static str {
        match self {
            Self::ExplicitConsent => "Explicit consent (Art. 9(2)(a))",
            Self::EmploymentSocialSecurity => {
                "Employment, social security and social protection law (Art. 9(2)(b))"
            }
            Self::VitalInterests => "Vital interests (Art. 9(2)(c))",
            Self::NotForProfitBody => "Not-for-profit body, members (Art. 9(2)(d))",
            Self::MadePublicBySubject => "Made public by the data subject (Art. 9(2)(e))",
            Self::LegalClaims => "Legal claims or courts (Art. 9(2)(f))",
            Self::SubstantialPublicInterest => "Substantial public interest (Art. 9(2)(g))",
            Self::HealthOrSocialCare => "Health or social care (Art. 9(2)(h))",
            Self::PublicHealth => "Public health (Art. 9(2)(i))",
            Self::ArchivingResearchStatistics => "Archiving, research or statistics (Art. 9(2)(j))",
        }
    }
}

/// A data protection impact assessment.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Dpia {
    /// Whether the processing needs a DPIA (likely high risk, GDPR Art. 35(1)).
    pub required: bool,
    /// How far the assessment is (`not started`, `in progress`, `done 2026-03`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Where the assessment is kept (a URL or reference).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

/// A recipient of personal data: a processor or a third party.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Recipient {
    /// The purposes (keys of `purposes`) the data is sent for.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub purposes: Vec<String>,
    /// The elements (keys of `data`) sent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data: Vec<String>,
    /// Where the recipient processes the data, an ISO 3166-1 alpha-2 code (`US`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = COUNTRY_PATTERN))]
    pub country: Option<String>,
    /// The safeguard for a transfer abroad (GDPR Art. 44–49).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub safeguard: Option<Safeguard>,
    /// API hosts that identify calls to this recipient (`api.mailgun.net`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hosts: Vec<String>,
    /// Client packages (crates, `PyPI` packages) that identify this recipient (`mailgun`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub packages: Vec<String>,
    /// Human name of the recipient (`Mailgun`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The data processing agreement: a reference or URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub processor_contract: Option<String>,
    /// What kind of recipient it is: a `processor` acting on the controller's behalf, an
    /// independent `third_party` controller, a `public_authority`, or an `intra_group` company.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<RecipientKind>,
}

/// What kind of recipient receives the data (the "categories of recipients" of Art. 30).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum RecipientKind {
    Processor,
    ThirdParty,
    PublicAuthority,
    IntraGroup,
}

impl RecipientKind {
    /// A human label, for reports.
    pub fn label(self) -> &'static str {
        match self {
            Self::Processor => "Processor",
            Self::ThirdParty => "Third party",
            Self::PublicAuthority => "Public authority",
            Self::IntraGroup => "Group company",
        }
    }
}

/// A place where personal data is stored.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Store {
    /// The model, table or type stored (`User`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity: Option<String>,
    /// Where the storage is, an ISO 3166-1 alpha-2 code (`KZ`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = COUNTRY_PATTERN))]
    pub location: Option<String>,
    /// The elements (keys of `data`) stored.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data: Vec<String>,
    /// How long the data is kept, an ISO 8601 duration (`P90D`, `P3Y`, `P1Y6M`, `PT12H`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = DURATION_PATTERN))]
    pub retention: Option<String>,
    /// The functions that erase a data subject's records here (`accounts::delete_account`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub erasure: Vec<String>,
    /// What is stored, for reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// What personal data may be logged.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Logging {
    /// Elements allowed in logs, each for a declared purpose.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow: Vec<LogAllow>,
}

impl Logging {
    /// No allowance declared.
    pub fn is_empty(&self) -> bool {
        self.allow.is_empty()
    }
}

/// One element allowed in logs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LogAllow {
    /// The element (a key of `data`) that may be logged.
    pub data: String,
    /// The purpose (a key of `purposes`) it is logged for.
    pub purpose: String,
    /// Why logging it is necessary and proportionate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The legal basis of a purpose (GDPR Art. 6(1)): `consent` (a), `contract` (b),
/// `legal_obligation` (c), `vital_interests` (d), `public_task` (e), `legitimate_interests` (f).
/// Kazakhstan's law rests on consent with exceptions set by law, which map onto the others.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum LegalBasis {
    Consent,
    Contract,
    LegalObligation,
    VitalInterests,
    PublicTask,
    LegitimateInterests,
}

impl LegalBasis {
    /// Every legal basis, in the order of Art. 6(1).
    pub const ALL: [Self; 6] = [
        Self::Consent,
        Self::Contract,
        Self::LegalObligation,
        Self::VitalInterests,
        Self::PublicTask,
        Self::LegitimateInterests,
    ];

    /// The key written in the data map (`legal_obligation`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Consent => "consent",
            Self::Contract => "contract",
            Self::LegalObligation => "legal_obligation",
            Self::VitalInterests => "vital_interests",
            Self::PublicTask => "public_task",
            Self::LegitimateInterests => "legitimate_interests",
        }
    }

    /// A human label, for reports.
    pub fn label(self) -> &'static str {
        match self {
            Self::Consent => "Consent of the data subject",
            Self::Contract => "Performance of a contract",
            Self::LegalObligation => "Compliance with a legal obligation",
            Self::VitalInterests => "Protection of vital interests",
            Self::PublicTask => "Task in the public interest",
            Self::LegitimateInterests => "Legitimate interests",
        }
    }
}

/// The safeguard for a transfer of personal data abroad (GDPR Art. 45–49): `adequacy` (an
/// adequacy decision), `standard_contractual_clauses`, `binding_corporate_rules`, `consent`
/// (explicit consent to the transfer), `derogation` (another Art. 49 derogation).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Safeguard {
    Adequacy,
    StandardContractualClauses,
    BindingCorporateRules,
    Consent,
    Derogation,
}

impl Safeguard {
    /// Every safeguard.
    pub const ALL: [Self; 5] = [
        Self::Adequacy,
        Self::StandardContractualClauses,
        Self::BindingCorporateRules,
        Self::Consent,
        Self::Derogation,
    ];

    /// The key written in the data map (`standard_contractual_clauses`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Adequacy => "adequacy",
            Self::StandardContractualClauses => "standard_contractual_clauses",
            Self::BindingCorporateRules => "binding_corporate_rules",
            Self::Consent => "consent",
            Self::Derogation => "derogation",
        }
    }

    /// A human label, for reports.
    pub fn label(self) -> &'static str {
        match self {
            Self::Adequacy => "Adequacy decision",
            Self::StandardContractualClauses => "Standard contractual clauses",
            Self::BindingCorporateRules => "Binding corporate rules",
            Self::Consent => "Explicit consent to the transfer",
            Self::Derogation => "Derogation for a specific situation",
        }
    }
}

/// Where a declaration is written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeclSpan {
    pub file: PathBuf,
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// Byte offset of the start, in that file.
    pub start: usize,
    /// Byte offset just past the end, in that file.
    pub end: usize,
}

/// Where each part of a loaded data map is written, by JSON pointer (`/purposes/marketing`,
/// `/purposes/marketing/data/1`). For a map entry the span is its key; list items and scalars
/// are spanned by their value. [`Located::value`] gives the value of a map entry.
#[derive(Clone, Debug, Default)]
pub struct Located {
    pub(crate) keys: BTreeMap<String, DeclSpan>,
    pub(crate) values: BTreeMap<String, DeclSpan>,
}

impl Located {
    /// The key of a map entry, or the value of a list item or of the root.
    pub fn get(&self, pointer: &str) -> Option<&DeclSpan> {
        self.keys.get(pointer).or_else(|| self.values.get(pointer))
    }

    /// The value at `pointer` (for a map entry, its value rather than its key).
    pub fn value(&self, pointer: &str) -> Option<&DeclSpan> {
        self.values.get(pointer)
    }
}

impl DataMap {
    /// Where the declaration at a JSON pointer is written: for a map entry
    /// (`/purposes/marketing`, `/recipients/mailgun/country`) its key, for a list item
    /// (`/purposes/marketing/data/1`) the item. Keys are escaped as in RFC 6901 (`~1` for `/`,
    /// `~0` for `~`).
    pub fn locate(&self, pointer: &str) -> Option<&DeclSpan> {
        self.located.get(pointer)
    }

    /// Where the value at a JSON pointer is written (for a map entry, its value).
    pub fn locate_value(&self, pointer: &str) -> Option<&DeclSpan> {
        self.located.value(pointer)
    }

    /// The text of a loaded file, for snippets.
    pub fn file_text(&self, file: &Path) -> Option<&str> {
        self.files
            .iter()
            .find(|(p, _)| p == file)
            .map(|(_, t)| t.as_str())
    }
}

/// Escapes one JSON-pointer segment (RFC 6901).
pub fn pointer_escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// The data map's JSON Schema (draft 2020-12), generated from the types above.
pub fn json_schema() -> serde_json::Value {
    let generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
    let schema = generator.into_root_schema_for::<DataMap>();
    let mut value = schema.to_value();
    if let Some(object) = value.as_object_mut() {
        object.insert("$id".into(), SCHEMA_ID.into());
    }
    value
}

/// The schema as the text shipped in `schema/datamap.v1.json` and printed by `privlint schema`.
pub fn json_schema_text() -> String {
    let mut text = serde_json::to_string_pretty(&json_schema()).unwrap_or_default();
    text.push('\n');
    text
}

/// The data map for a scan root: `datamap.yml`, `datamap.yaml` or a `datamap/` folder holding
/// YAML files, in `start` (or, for a file, its directory) or the nearest parent directory that
/// has one. The search stops after the directory that contains `.git`, or at the filesystem
/// root.
pub fn find(start: &Path) -> Option<PathBuf> {
    let mut dir = if start.is_dir() {
        start.to_path_buf()
    } else {
        start.parent()?.to_path_buf()
    };
    if dir.as_os_str().is_empty() {
        dir = PathBuf::from(".");
    }
    // Look at the canonical folder, but return the path as the user would write it from
    // where they are (`fixtures/demo/datamap.yml`, `../datamap.yml`): it is shown in findings,
    // which must not depend on where the repository is checked out.
    let mut shown = dir.clone();
    let mut dir = std::fs::canonicalize(&dir).unwrap_or(dir);
    loop {
        for name in ["datamap.yml", "datamap.yaml"] {
            if dir.join(name).is_file() {
                return Some(tidy(&shown.join(name)));
            }
        }
        let folder = dir.join("datamap");
        if folder.is_dir() && !load::yaml_files(&folder).unwrap_or_default().is_empty() {
            return Some(tidy(&shown.join("datamap")));
        }
        if dir.join(".git").exists() {
            return None;
        }
        dir = dir.parent()?.to_path_buf();
        shown = match shown.file_name() {
            Some(_) if shown.components().next_back() != Some(std::path::Component::ParentDir) => {
                shown
                    .parent()
                    .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
            }
            _ => shown.join(".."),
        };
        if shown.as_os_str().is_empty() {
            shown = PathBuf::from(".");
        }
    }
}

/// Without `./` segments.
fn tidy(path: &Path) -> PathBuf {
    path.components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn find_looks_in_the_start_dir_then_up_to_the_repository_root() {
        let repo = tempfile::tempdir().expect("tempdir");
        let root = fs::canonicalize(repo.path()).expect("canonical");
        fs::create_dir(root.join(".git")).expect("git");
        let deep = root.join("src/accounts");
        fs::create_dir_all(&deep).expect("dirs");
        fs::write(deep.join("lib.rs"), "").expect("file");

        assert_eq!(find(&deep), None);
        fs::write(root.join("datamap.yaml"), "version: 1\n").expect("write");
        assert_eq!(find(&deep), Some(root.join("datamap.yaml")));
        assert_eq!(find(&deep.join("lib.rs")), Some(root.join("datamap.yaml")));
        fs::write(root.join("datamap.yml"), "version: 1\n").expect("write");
        assert_eq!(find(&root), Some(root.join("datamap.yml")));

        // A folder counts only when it holds YAML files.
        let src = root.join("src");
        fs::create_dir(src.join("datamap")).expect("dir");
        assert_eq!(find(&deep), Some(root.join("datamap.yml")));
        fs::write(src.join("datamap/data.yml"), "version: 1\n").expect("write");
        assert_eq!(find(&deep), Some(src.join("datamap")));
    }

    #[test]
    fn find_stops_at_the_repository_root() {
        let outer = tempfile::tempdir().expect("tempdir");
        let outer = fs::canonicalize(outer.path()).expect("canonical");
        fs::write(outer.join("datamap.yml"), "version: 1\n").expect("write");
        let repo = outer.join("repo");
        fs::create_dir_all(repo.join(".git")).expect("git");
        fs::create_dir(repo.join("src")).expect("src");
        assert_eq!(find(&repo.join("src")), None);
        // Without a repository the search goes on up.
        let plain = outer.join("plain/src");
        fs::create_dir_all(&plain).expect("dirs");
        assert_eq!(find(&plain), Some(outer.join("datamap.yml")));
    }

    #[test]
    fn enums_name_themselves() {
        for b in LegalBasis::ALL {
            let json = serde_json::to_value(b).expect("serialize");
            assert_eq!(json, b.as_str());
            assert!(!b.label().is_empty());
        }
        for s in Safeguard::ALL {
            assert_eq!(serde_json::to_value(s).expect("serialize"), s.as_str());
            assert!(!s.label().is_empty());
        }
    }
}
