//! The record of processing activities (GDPR Article 30; Kazakhstan's Law on Personal Data and
//! their Protection), written from the data map and backed by what the scan found: for each
//! purpose, the data, the people it is about, who receives it and where, where it is kept, for
//! how long and whether its erasure works, with the code that does the processing as evidence,
//! and the open findings that make the record untrue.
//!
//! [`Record`] is the model every format renders (`report::record`); its JSON is the format
//! `privlint report --merge` reads back, so it is versioned and has a schema
//! (`schema/record.v1.json`).

pub mod diff;
pub mod merge;
pub mod source;

use crate::datamap::DataMap;
use crate::erasure::verdict::{ErasureStatus, StoreErasure};
use crate::finding::{Location, ScanResult, Severity};
use crate::rules::jurisdictions::Profile;
use crate::taxonomy::Taxonomy;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The `$id` of the record's JSON Schema.
pub const SCHEMA_ID: &str = "https://privlint.dev/schema/record.v1.json";

/// Evidence listed per row in the human formats; the JSON record keeps every place.
pub const EVIDENCE_SHOWN: usize = 12;

/// A record of processing activities: one or more systems (repositories) of one controller.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "privlint record of processing activities")]
pub struct Record {
    /// The schema of this document.
    #[serde(rename = "$schema")]
    pub schema: String,
    /// Format version; always `1`.
    pub version: u32,
    /// When the record was written (UTC, RFC 3339). `SOURCE_DATE_EPOCH` sets it, for
    /// reproducible builds.
    pub generated_at: String,
    /// The privlint version that wrote it.
    pub privlint_version: String,
    /// The systems (repositories) the record covers, sorted by name.
    pub systems: Vec<System>,
    /// The controller: the organisation that decides why and how the data is processed.
    pub controller: Option<ControllerEntry>,
    /// One entry per purpose of each system: the rows of the record.
    pub purposes: Vec<PurposeEntry>,
    /// The personal-data elements.
    pub elements: Vec<ElementEntry>,
    /// Who receives personal data.
    pub recipients: Vec<RecipientEntry>,
    /// Where personal data is kept: the data map's stores and the stores found in code.
    pub stores: Vec<StoreEntry>,
    /// The open findings, grouped by check, in plain language.
    pub findings: Vec<FindingGroup>,
}

/// A system: one repository and its data map.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct System {
    /// The system's name (the repository's folder name unless `--system` gives one).
    pub name: String,
    /// The commit scanned, when known.
    pub commit: Option<String>,
    /// The repository's web address, when known (permalinks point there).
    pub repository: Option<String>,
    /// The data map, as a path relative to where the report was made.
    pub datamap: Option<String>,
    /// When this system's record was written.
    pub generated_at: String,
}

/// The controller and its contacts (Art. 30(1)(a)).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ControllerEntry {
    pub name: String,
    pub country: Option<String>,
    /// The country's name (`Kazakhstan`).
    pub country_name: Option<String>,
    pub contact: Option<String>,
    pub address: Option<String>,
    pub representative: Option<String>,
    pub department: Option<String>,
    pub dpo_name: Option<String>,
    pub dpo_contact: Option<String>,
    pub security_measures: Option<String>,
}

/// A data category as the record names it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryRef {
    /// The data map's element key (`email`).
    pub element: String,
    /// The taxonomy key (`user.contact.email`).
    pub category: String,
    /// Its human name (`Email`).
    pub name: String,
    /// A special category of GDPR Art. 9 (health, biometrics, genetics, beliefs, ...).
    pub special: bool,
}

/// A recipient of one purpose.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecipientRef {
    pub key: String,
    pub name: String,
    pub country: Option<String>,
    /// Whether the data leaves the controller's jurisdiction (a third-country transfer).
    pub transfer: bool,
    /// The safeguard of that transfer, in words.
    pub safeguard: Option<String>,
}

/// A store of one purpose.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StoreRef {
    pub key: String,
    /// Where the storage is (ISO country code).
    pub location: Option<String>,
    /// ISO 8601 duration.
    pub retention: Option<String>,
    /// Whether erasure is verified, in the words of [`ErasureStatus::label`].
    pub erasure: String,
    /// The verdict's key (as [`StoreEntry::erasure_status`]).
    pub erasure_status: String,
    pub erasure_verified: bool,
}

/// One place in the code that processes personal data.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// The element processed (a data-map key), or the category when no element covers it.
    pub data: String,
    /// What happens there: `database write`, `HTTP request to api.mailgun.net`, `log call`.
    pub what: String,
    /// The call as written.
    pub code: String,
    /// `path:line`, relative to where the report was made.
    pub location: String,
    /// A link to the line in the repository, when its address and the commit are known.
    pub permalink: Option<String>,
}

/// The data protection impact assessment of a purpose.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DpiaEntry {
    pub required: bool,
    pub status: Option<String>,
    pub link: Option<String>,
}

/// One purpose of processing: a row of the record.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PurposeEntry {
    /// The system it belongs to.
    pub system: String,
    pub key: String,
    /// Its human name (the data map's `name`, else the key).
    pub name: String,
    pub description: Option<String>,
    /// The legal basis key (`consent`) and its words.
    pub legal_basis: String,
    pub legal_basis_label: String,
    /// The Fides data use.
    pub data_use: Option<String>,
    /// The department or team that owns it.
    pub owner: Option<String>,
    /// `controller` or `processor`.
    pub role: String,
    pub joint_controller: Option<String>,
    /// The categories of data subjects, sorted.
    pub subjects: Vec<String>,
    /// The categories of personal data.
    pub categories: Vec<CategoryRef>,
    /// The Art. 9(2) condition, in words, when the data map gives one.
    pub special_category_condition: Option<String>,
    pub legitimate_interest: Option<String>,
    pub legitimate_interest_assessment: Option<String>,
    pub automated_decisions: Option<String>,
    pub dpia: Option<DpiaEntry>,
    pub security_measures: Option<String>,
    pub recipients: Vec<RecipientRef>,
    pub stores: Vec<StoreRef>,
    /// The longest retention of its stores, when all declare one.
    pub retention: Option<String>,
    /// The data subjects' rights the code is seen to support: erasure verified for every store
    /// of the purpose, or not.
    pub erasure_verified: bool,
    /// The places in code that process its data, sorted.
    pub evidence: Vec<Evidence>,
    /// What the data map does not say yet and the record needs.
    pub to_complete: Vec<String>,
}

/// A personal-data element.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ElementEntry {
    pub system: String,
    pub key: String,
    pub category: String,
    pub category_name: String,
    pub special: bool,
    pub subjects: Vec<String>,
    pub description: Option<String>,
    pub source: Option<String>,
    /// Purposes that declare it.
    pub purposes: Vec<String>,
    /// Stores that hold it (declared, or found in code).
    pub stores: Vec<String>,
    /// Recipients that receive it.
    pub recipients: Vec<String>,
    /// Every place in code that processes it.
    pub evidence: Vec<Evidence>,
}

/// A recipient of personal data.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecipientEntry {
    pub system: String,
    pub key: String,
    pub name: String,
    /// `Processor`, `Third party`, `Public authority`, `Group company`, when declared.
    pub kind: Option<String>,
    pub country: Option<String>,
    pub country_name: Option<String>,
    /// Whether sending data there is a transfer out of the controller's jurisdiction.
    pub transfer: bool,
    /// Whether the destination is treated as adequate by every jurisdiction in force.
    pub adequate: bool,
    pub safeguard: Option<String>,
    pub processor_contract: Option<String>,
    pub purposes: Vec<String>,
    pub data: Vec<String>,
    /// Whether the data map declares it (`false`: found in code only).
    pub declared: bool,
    pub evidence: Vec<Evidence>,
}

/// Where personal data is kept.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StoreEntry {
    pub system: String,
    pub key: String,
    pub declared: bool,
    pub entity: Option<String>,
    pub description: Option<String>,
    pub location: Option<String>,
    pub location_name: Option<String>,
    /// Elements declared, or categories found in code for an undeclared store.
    pub data: Vec<String>,
    pub retention: Option<String>,
    /// Whether a job that runs purges rows older than `retention`.
    pub retention_enforced: Option<bool>,
    /// The erasure verdict: `verified`, `not_linked`, `incomplete`, `unreachable`, `missing`,
    /// `not_in_code`.
    pub erasure_status: String,
    pub erasure: String,
    /// The declared erasure entry points.
    pub erasure_entry_points: Vec<String>,
    /// The code that deletes or anonymises it.
    pub erased_by: Vec<Evidence>,
    /// Where the code defines it.
    pub defined_at: Option<Evidence>,
    pub notes: Vec<String>,
}

/// The open findings of one check.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FindingGroup {
    /// The check ID.
    pub check: String,
    /// What the findings mean, for someone who does not read code.
    pub title: String,
    pub explanation: String,
    pub items: Vec<FindingItem>,
}

/// One open finding.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FindingItem {
    pub system: String,
    pub severity: String,
    pub message: String,
    pub location: String,
    pub permalink: Option<String>,
    /// What to do about it.
    pub fix: String,
}

/// What the record is made for and how it links to code.
#[derive(Clone, Debug, Default)]
pub struct RecordOptions {
    /// The system's name.
    pub system: String,
    /// How to link to lines of code, when the repository's address and commit are known.
    pub links: Option<source::Links>,
    pub commit: Option<String>,
    /// RFC 3339 time of writing.
    pub generated_at: String,
    /// The data map's path, as shown.
    pub datamap: Option<String>,
}

/// Taxonomy key prefixes of the special categories of GDPR Art. 9(1) (and the criminal data of
/// Art. 10), as the Fides taxonomy spells them.
const SPECIAL_CATEGORIES: &[&str] = &[
    "user.health_and_medical",
    "user.biometric",
    "user.genetic",
    "user.characteristic.political_opinion",
    "user.demographic.political_opinion",
    "user.demographic.race_ethnicity",
    "user.demographic.religious_belief",
    "user.demographic.sexual_orientation",
    "user.sexual",
    "user.criminal_history",
    "user.union_membership",
    "user.health",
];

/// Whether a category is a special category (Art. 9) or criminal data (Art. 10).
pub fn is_special(category: &str) -> bool {
    SPECIAL_CATEGORIES
        .iter()
        .any(|p| crate::attribution::covers(p, category))
}

/// The country's English name (`KZ` → `Kazakhstan`).
pub fn country_name(code: &str) -> Option<String> {
    celes::Country::from_alpha2(code)
        .ok()
        .map(|c| c.long_name.to_string())
}

/// Evidence in reading order: by data, then file, then line.
fn in_order(evidence: &BTreeSet<Evidence>) -> Vec<Evidence> {
    let mut out: Vec<Evidence> = evidence.iter().cloned().collect();
    let key = |e: &Evidence| {
        let (path, line) = e
            .location
            .rsplit_once(':')
            .map_or((e.location.clone(), 0), |(p, l)| {
                (p.to_string(), l.parse::<u32>().unwrap_or(0))
            });
        (e.data.clone(), path, line, e.code.clone())
    };
    out.sort_by_cached_key(key);
    out
}

impl Record {
    /// The record of one system: its data map, and the result of scanning it with that map.
    pub fn build(
        map: &DataMap,
        result: &ScanResult,
        profiles: &[&Profile],
        options: &RecordOptions,
    ) -> Self {
        Builder::new(map, result, profiles, options).build()
    }

    /// The record as JSON, with a trailing newline.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// The JSON Schema of the record, pretty-printed with a trailing newline.
pub fn json_schema_text() -> String {
    let mut schema = serde_json::to_value(schemars::schema_for!(Record)).unwrap_or_default();
    if let Some(object) = schema.as_object_mut() {
        object.insert("$id".into(), SCHEMA_ID.into());
    }
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

struct Builder<'a> {
    map: &'a DataMap,
    result: &'a ScanResult,
    profiles: &'a [&'a Profile],
    options: &'a RecordOptions,
    taxonomy: Taxonomy,
}

impl<'a> Builder<'a> {
    fn new(
        map: &'a DataMap,
        result: &'a ScanResult,
        profiles: &'a [&'a Profile],
        options: &'a RecordOptions,
    ) -> Self {
        let mut taxonomy = Taxonomy::builtin();
        for (key, c) in &map.categories {
            taxonomy.add_custom(key, &c.name, c.parent.as_deref());
        }
        Builder {
            map,
            result,
            profiles,
            options,
            taxonomy,
        }
    }

    fn system(&self) -> String {
        self.options.system.clone()
    }

    fn category_name(&self, key: &str) -> String {
        self.taxonomy
            .category_name(key)
            .map_or_else(|| key.to_string(), str::to_string)
    }

    fn link(&self, location: &Location) -> Option<String> {
        self.options
            .links
            .as_ref()
            .and_then(|l| l.permalink(&location.path, location.line))
    }

    fn evidence(&self, p: &crate::processing::Processing) -> Evidence {
        let what = match (&p.receiver, p.kind.as_str()) {
            (Some(r), "http") => format!("HTTP request to {r}"),
            (Some(r), "recipient") => format!("sent to {r}"),
            _ => p.sink.clone(),
        };
        Evidence {
            data: p.element.clone().unwrap_or_else(|| p.category.clone()),
            what,
            code: p.callee.clone(),
            location: format!("{}:{}", p.location.path, p.location.line),
            permalink: self.link(&p.location),
        }
    }

    /// Whether a jurisdiction in force sees `country` as abroad, and whether every one that does
    /// treats it as adequate.
    fn transfer(&self, country: Option<&str>) -> (bool, bool) {
        let Some(country) = country else {
            return (false, false);
        };
        if self.profiles.is_empty() {
            let home = self
                .map
                .controller
                .as_ref()
                .and_then(|c| c.country.as_deref());
            return (
                home.is_some_and(|h| !h.eq_ignore_ascii_case(country)),
                false,
            );
        }
        let abroad: Vec<&&Profile> = self
            .profiles
            .iter()
            .filter(|p| !p.is_home(country))
            .collect();
        (
            !abroad.is_empty(),
            !abroad.is_empty() && abroad.iter().all(|p| p.is_adequate(country)),
        )
    }

    fn erasure_of(&self, key: &str) -> Option<&'a StoreErasure> {
        self.result
            .erasure
            .iter()
            .find(|e| e.declared && e.key == key)
    }

    fn build(&self) -> Record {
        let map = self.map;
        let system = self.system();
        let controller = map.controller.as_ref().map(|c| ControllerEntry {
            name: c.name.clone(),
            country: c.country.clone(),
            country_name: c.country.as_deref().and_then(country_name),
            contact: c.contact.clone(),
            address: c.address.clone(),
            representative: c.representative.clone(),
            department: c.department.clone(),
            dpo_name: c.dpo.as_ref().and_then(|d| d.name.clone()),
            dpo_contact: c.dpo.as_ref().and_then(|d| d.contact.clone()),
            security_measures: c.security_measures.clone(),
        });

        // Evidence by element, by purpose and by recipient.
        let mut by_element: BTreeMap<&str, BTreeSet<Evidence>> = BTreeMap::new();
        let mut by_purpose: BTreeMap<&str, BTreeSet<Evidence>> = BTreeMap::new();
        let mut by_recipient: BTreeMap<&str, BTreeSet<Evidence>> = BTreeMap::new();
        for p in &self.result.processing {
            let e = self.evidence(p);
            if let Some(element) = p.element.as_deref() {
                by_element.entry(element).or_default().insert(e.clone());
                for purpose in &p.purposes {
                    if map
                        .purposes
                        .get(purpose)
                        .is_some_and(|d| d.data.iter().any(|x| x == element))
                    {
                        by_purpose.entry(purpose).or_default().insert(e.clone());
                    }
                }
            }
            if p.declared_receiver
                && let Some(r) = p.receiver.as_deref()
            {
                by_recipient.entry(r).or_default().insert(e);
            }
        }

        let store_refs: BTreeMap<&str, StoreRef> = map
            .stores
            .iter()
            .map(|(key, s)| {
                let status = self
                    .erasure_of(key)
                    .map_or(ErasureStatus::NotInCode, |e| e.status);
                (
                    key.as_str(),
                    StoreRef {
                        key: key.clone(),
                        location: s.location.clone(),
                        retention: s.retention.clone(),
                        erasure: status.label().to_string(),
                        erasure_status: status.key().to_string(),
                        erasure_verified: status.is_verified(),
                    },
                )
            })
            .collect();

        let mut purposes = Vec::new();
        for (key, p) in &map.purposes {
            let mut categories: Vec<CategoryRef> = p
                .data
                .iter()
                .filter_map(|d| map.data.get(d).map(|e| (d, e)))
                .map(|(d, e)| CategoryRef {
                    element: d.clone(),
                    category: e.category.clone(),
                    name: self.category_name(&e.category),
                    special: is_special(&e.category),
                })
                .collect();
            categories.sort();
            let subjects: BTreeSet<String> = p
                .data
                .iter()
                .filter_map(|d| map.data.get(d))
                .flat_map(|e| e.subjects.iter().cloned())
                .collect();
            let mut recipients: Vec<RecipientRef> = map
                .recipients
                .iter()
                .filter(|(_, r)| r.purposes.iter().any(|x| x == key))
                .map(|(rk, r)| RecipientRef {
                    key: rk.clone(),
                    name: r.name.clone().unwrap_or_else(|| rk.clone()),
                    country: r.country.clone(),
                    transfer: self.transfer(r.country.as_deref()).0,
                    safeguard: r.safeguard.map(|s| s.label().to_string()),
                })
                .collect();
            recipients.sort();
            let stores: Vec<StoreRef> = map
                .stores
                .iter()
                .filter(|(_, s)| s.data.iter().any(|d| p.data.contains(d)))
                .filter_map(|(k, _)| store_refs.get(k.as_str()).cloned())
                .collect();
            let retention = if !stores.is_empty() && stores.iter().all(|s| s.retention.is_some()) {
                stores
                    .iter()
                    .filter_map(|s| s.retention.clone())
                    .max_by_key(|r| duration_days(r))
            } else {
                None
            };
            let mut to_complete = Vec::new();
            if p.description.is_none() {
                to_complete.push("a description of the purpose (`description`)".to_string());
            }
            if categories.iter().any(|c| c.special) && p.special_category_condition.is_none() {
                to_complete.push(
                    "the Art. 9(2) condition for its special categories of data \
                     (`special_category_condition`)"
                        .to_string(),
                );
            }
            if p.legal_basis == crate::datamap::LegalBasis::LegitimateInterests {
                if p.legitimate_interest.is_none() {
                    to_complete
                        .push("the legitimate interest pursued (`legitimate_interest`)".into());
                }
                if p.legitimate_interest_assessment.is_none() {
                    to_complete.push(
                        "where the legitimate interests assessment is kept \
                         (`legitimate_interest_assessment`)"
                            .into(),
                    );
                }
            }
            for r in &recipients {
                if r.transfer && r.safeguard.is_none() {
                    to_complete.push(format!(
                        "the safeguard for the transfer to `{}` (`recipients.{}.safeguard`)",
                        r.key, r.key
                    ));
                }
            }
            if stores.is_empty() {
                to_complete.push("where its data is stored (`stores`)".into());
            }
            for s in &stores {
                if s.retention.is_none() {
                    to_complete.push(format!(
                        "how long `{}` keeps the data (`stores.{}.retention`)",
                        s.key, s.key
                    ));
                }
            }
            if p.security_measures.is_none()
                && map
                    .controller
                    .as_ref()
                    .and_then(|c| c.security_measures.as_ref())
                    .is_none()
            {
                to_complete.push(
                    "a description of the security measures (`security_measures`)".to_string(),
                );
            }
            let evidence: Vec<Evidence> = by_purpose
                .get(key.as_str())
                .map(in_order)
                .unwrap_or_default();
            purposes.push(PurposeEntry {
                system: system.clone(),
                key: key.clone(),
                name: p.name.clone().unwrap_or_else(|| key.clone()),
                description: p.description.clone(),
                legal_basis: p.legal_basis.as_str().to_string(),
                legal_basis_label: p.legal_basis.label().to_string(),
                data_use: p.data_use.clone(),
                owner: p
                    .owner
                    .clone()
                    .or_else(|| map.controller.as_ref().and_then(|c| c.department.clone())),
                role: p
                    .role
                    .unwrap_or(crate::datamap::Role::Controller)
                    .as_str()
                    .to_string(),
                joint_controller: p.joint_controller.clone(),
                subjects: subjects.into_iter().collect(),
                categories,
                special_category_condition: p
                    .special_category_condition
                    .map(|c| c.label().to_string()),
                legitimate_interest: p.legitimate_interest.clone(),
                legitimate_interest_assessment: p.legitimate_interest_assessment.clone(),
                automated_decisions: p.automated_decisions.clone(),
                dpia: p.dpia.as_ref().map(|d| DpiaEntry {
                    required: d.required,
                    status: d.status.clone(),
                    link: d.link.clone(),
                }),
                security_measures: p.security_measures.clone().or_else(|| {
                    map.controller
                        .as_ref()
                        .and_then(|c| c.security_measures.clone())
                }),
                erasure_verified: !stores.is_empty() && stores.iter().all(|s| s.erasure_verified),
                recipients,
                stores,
                retention,
                evidence,
                to_complete,
            });
        }

        let mut elements = Vec::new();
        for (key, e) in &map.data {
            let mut stores: BTreeSet<String> = map
                .stores
                .iter()
                .filter(|(_, s)| s.data.contains(key))
                .map(|(k, _)| k.clone())
                .collect();
            for s in &self.result.erasure {
                if s.categories
                    .iter()
                    .any(|c| crate::attribution::covers(&e.category, c))
                {
                    stores.insert(s.key.clone());
                }
            }
            elements.push(ElementEntry {
                system: system.clone(),
                key: key.clone(),
                category: e.category.clone(),
                category_name: self.category_name(&e.category),
                special: is_special(&e.category),
                subjects: e.subjects.clone(),
                description: e.description.clone(),
                source: e.source.clone(),
                purposes: map
                    .purposes
                    .iter()
                    .filter(|(_, p)| p.data.contains(key))
                    .map(|(k, _)| k.clone())
                    .collect(),
                stores: stores.into_iter().collect(),
                recipients: map
                    .recipients
                    .iter()
                    .filter(|(_, r)| r.data.contains(key))
                    .map(|(k, _)| k.clone())
                    .collect(),
                evidence: by_element
                    .get(key.as_str())
                    .map(in_order)
                    .unwrap_or_default(),
            });
        }

        let mut recipients = Vec::new();
        for (key, r) in &map.recipients {
            let (transfer, adequate) = self.transfer(r.country.as_deref());
            recipients.push(RecipientEntry {
                system: system.clone(),
                key: key.clone(),
                name: r.name.clone().unwrap_or_else(|| key.clone()),
                kind: r.kind.map(|k| k.label().to_string()),
                country: r.country.clone(),
                country_name: r.country.as_deref().and_then(country_name),
                transfer,
                adequate,
                safeguard: r.safeguard.map(|s| s.label().to_string()),
                processor_contract: r.processor_contract.clone(),
                purposes: r.purposes.clone(),
                data: r.data.clone(),
                declared: true,
                evidence: by_recipient
                    .get(key.as_str())
                    .map(in_order)
                    .unwrap_or_default(),
            });
        }
        // Recipients the code sends personal data to that the data map does not declare.
        let mut undeclared: BTreeMap<&str, (BTreeSet<String>, BTreeSet<Evidence>)> =
            BTreeMap::new();
        for p in &self.result.processing {
            if let (Some(r), false) = (p.receiver.as_deref(), p.declared_receiver) {
                let entry = undeclared.entry(r).or_default();
                entry
                    .0
                    .insert(p.element.clone().unwrap_or_else(|| p.category.clone()));
                entry.1.insert(self.evidence(p));
            }
        }
        for (key, (data, evidence)) in undeclared {
            recipients.push(RecipientEntry {
                system: system.clone(),
                key: key.to_string(),
                name: key.to_string(),
                data: data.into_iter().collect(),
                declared: false,
                evidence: in_order(&evidence),
                ..RecipientEntry::default()
            });
        }

        let mut stores = Vec::new();
        for e in &self.result.erasure {
            let declared = if e.declared {
                map.stores.get(&e.key)
            } else {
                None
            };
            let to_evidence = |location: &Location, code: &str, what: &str| Evidence {
                data: e.key.clone(),
                what: what.to_string(),
                code: code.to_string(),
                location: format!("{}:{}", location.path, location.line),
                permalink: self.link(location),
            };
            stores.push(StoreEntry {
                system: system.clone(),
                key: e.key.clone(),
                declared: e.declared,
                entity: declared.and_then(|d| d.entity.clone()),
                description: declared.and_then(|d| d.description.clone()),
                location: declared.and_then(|d| d.location.clone()),
                location_name: declared
                    .and_then(|d| d.location.as_deref())
                    .and_then(country_name),
                data: declared.map_or_else(|| e.categories.clone(), |d| d.data.clone()),
                retention: declared.and_then(|d| d.retention.clone()),
                retention_enforced: e.retention_enforced,
                erasure_status: e.status.key().to_string(),
                erasure: e.status.label().to_string(),
                erasure_entry_points: declared.map(|d| d.erasure.clone()).unwrap_or_default(),
                erased_by: e
                    .erasers
                    .iter()
                    .map(|x| {
                        let how = if x.reachable {
                            format!("{}s", x.how)
                        } else {
                            format!("{}s (never run)", x.how)
                        };
                        to_evidence(&x.location, &x.function, &how)
                    })
                    .collect(),
                defined_at: e
                    .defined_at
                    .as_ref()
                    .map(|l| to_evidence(l, e.kind.as_deref().unwrap_or("store"), "defined")),
                notes: e.notes.clone(),
            });
        }

        Record {
            schema: SCHEMA_ID.to_string(),
            version: 1,
            generated_at: self.options.generated_at.clone(),
            privlint_version: env!("CARGO_PKG_VERSION").to_string(),
            systems: vec![System {
                name: system.clone(),
                commit: self.options.commit.clone(),
                repository: self.options.links.as_ref().map(|l| l.repository.clone()),
                datamap: self.options.datamap.clone(),
                generated_at: self.options.generated_at.clone(),
            }],
            controller,
            purposes,
            elements,
            recipients,
            stores,
            findings: self.findings(&system),
        }
    }

    fn findings(&self, system: &str) -> Vec<FindingGroup> {
        let mut groups = Vec::new();
        for check in crate::checks::CHECKS {
            let items: Vec<FindingItem> = self
                .result
                .active()
                .filter(|f| f.check == check.id)
                .map(|f| FindingItem {
                    system: system.to_string(),
                    severity: match f.severity {
                        Severity::Error => "error",
                        Severity::Warning => "warning",
                        Severity::Note => "note",
                    }
                    .to_string(),
                    message: f.message.clone(),
                    location: format!("{}:{}", f.location.path, f.location.line),
                    permalink: self.link(&f.location),
                    fix: capitalise_first(&f.help),
                })
                .collect();
            if items.is_empty() {
                continue;
            }
            let (title, explanation) = plain_words(check.id);
            groups.push(FindingGroup {
                check: check.id.to_string(),
                title: title.to_string(),
                explanation: explanation.to_string(),
                items,
            });
        }
        groups
    }
}

fn capitalise_first(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().collect::<String>() + chars.as_str()
    })
}

/// A rough length of an ISO 8601 duration in days, to find the longest retention.
pub fn duration_days(duration: &str) -> u64 {
    let mut days = 0u64;
    let mut number = 0u64;
    let mut in_time = false;
    for c in duration.chars() {
        match c {
            '0'..='9' => number = number * 10 + u64::from(c as u8 - b'0'),
            'T' => in_time = true,
            'Y' => (days, number) = (days + number * 365, 0),
            'M' if !in_time => (days, number) = (days + number * 30, 0),
            'W' => (days, number) = (days + number * 7, 0),
            'D' => (days, number) = (days + number, 0),
            _ => number = 0,
        }
    }
    days
}

/// What each check's findings mean for the record, for a reader who does not read code.
pub fn plain_words(check: &str) -> (&'static str, &'static str) {
    match check {
        "identifier-in-log" => (
            "Personal identifiers written to logs",
            "The code writes data that identifies a person (an email address, a phone number, \
             an ID number) into log files. Logs are kept and shared more widely than the \
             database, and are rarely covered by erasure, so this is processing the record \
             does not describe.",
        ),
        "undeclared-data" => (
            "Personal data the record does not list",
            "The code processes a kind of personal data that the data map does not declare, \
             so the record is missing a category of data.",
        ),
        "undeclared-purpose" => (
            "Processing outside its declared purpose",
            "Personal data is used in a part of the system whose purpose does not include it, \
             or where no purpose applies. Each use needs a declared purpose and legal basis.",
        ),
        "undeclared-recipient" => (
            "Recipients the record does not list",
            "The code sends personal data to an outside service that the data map does not \
             declare as a recipient.",
        ),
        "missing-erasure" => (
            "Data that cannot be erased on request",
            "Personal data is kept somewhere the code never deletes or anonymises, or the \
             erasure process misses some of the places that hold a person's data. A deletion \
             request would leave data behind.",
        ),
        "stale-declaration" => (
            "Declarations the code no longer backs",
            "The data map declares something (a purpose, a recipient, a code location) that \
             the code does not do or no longer has. The record may overstate the processing.",
        ),
        "data-localization" => (
            "Data stored outside the country",
            "Personal data of citizens is declared to be stored outside the country where the \
             law requires it to be stored.",
        ),
        "cross-border-transfer" => (
            "Transfers abroad without a safeguard",
            "Personal data goes to a recipient in another country without a safeguard the \
             law accepts (adequacy, standard contractual clauses, consent, ...).",
        ),
        "invalid-datamap" => (
            "Errors in the data map",
            "The data map could not be read as written; the record may be incomplete.",
        ),
        "invalid-suppression" | "unused-suppression" => (
            "Problems with silenced findings",
            "A finding was silenced without a reason, or a silencing comment no longer \
             silences anything.",
        ),
        _ => ("Other findings", "Findings of other checks."),
    }
}
