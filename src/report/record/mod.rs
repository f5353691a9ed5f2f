//! The record of processing in each format a DPO uses: HTML (one self-contained page), Markdown,
//! CSV and XLSX (one row per purpose × data category), and JSON (the record itself). They only
//! render a [`Record`]; what goes in it is decided in `crate::record`.

pub mod csv;
pub mod diff;
pub mod html;
pub mod markdown;
pub mod xlsx;

use crate::record::{EVIDENCE_SHOWN, Evidence, PurposeEntry, Record};

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum RecordFormat {
    /// One self-contained page: no network, printable, readable on a phone.
    Html,
    /// Markdown, for a wiki or a pull request.
    Md,
    /// One row per purpose × data category.
    Csv,
    /// The record as JSON (schema: `privlint report --schema`); what `--merge` reads.
    Json,
    /// A workbook: the record's rows, then elements, recipients, stores and findings.
    Xlsx,
}

/// Renders the record. `Err` only for XLSX, when the workbook cannot be written.
pub fn render(record: &Record, format: RecordFormat) -> Result<Vec<u8>, String> {
    Ok(match format {
        RecordFormat::Html => html::render(record).into_bytes(),
        RecordFormat::Md => markdown::render(record).into_bytes(),
        RecordFormat::Csv => csv::render(record).into_bytes(),
        RecordFormat::Json => record.to_json().into_bytes(),
        RecordFormat::Xlsx => xlsx::render(record)?,
    })
}

/// The columns of the CSV and of the workbook's first sheet: the 24 columns DPOs know from the
/// Fides data-map export, then what privlint adds (the element, the erasure verdict, the code
/// evidence, the open points).
pub const COLUMNS: &[&str] = &[
    "System",
    "Dataset",
    "Department",
    "Purpose",
    "Purpose description",
    "Joint controller",
    "Categories of individuals",
    "Categories of personal data",
    "Data category key",
    "Data element",
    "Special category",
    "Categories of recipients",
    "Processor contract",
    "Third-country transfers",
    "Safeguards",
    "Retention",
    "Security measures",
    "Role",
    "Art. 6 basis",
    "Art. 9 condition",
    "Legitimate interests",
    "LIA link",
    "Rights available",
    "Automated decisions",
    "Source of data",
    "DPIA required",
    "DPIA progress",
    "DPIA link",
    "Erasure",
    "Controller",
    "DPO",
    "Evidence",
    "To complete",
];

/// The rows of the record: one per purpose × data category, in the order of [`COLUMNS`]. A
/// purpose without data gets one row.
pub fn rows(record: &Record) -> Vec<Vec<String>> {
    let controller = record
        .controller
        .as_ref()
        .map(|c| match &c.contact {
            Some(contact) => format!("{} <{contact}>", c.name),
            None => c.name.clone(),
        })
        .unwrap_or_default();
    let dpo = record
        .controller
        .as_ref()
        .map(|c| {
            [c.dpo_name.as_deref(), c.dpo_contact.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default();
    let mut out = Vec::new();
    for p in &record.purposes {
        let categories: Vec<Option<&crate::record::CategoryRef>> = if p.categories.is_empty() {
            vec![None]
        } else {
            p.categories.iter().map(Some).collect()
        };
        for c in categories {
            let element = c.map(|c| c.element.as_str());
            let element_source = element
                .and_then(|e| {
                    record
                        .elements
                        .iter()
                        .find(|x| x.key == e && x.system == p.system)
                })
                .and_then(|x| x.source.clone())
                .unwrap_or_default();
            let evidence: Vec<&Evidence> = p
                .evidence
                .iter()
                .filter(|e| element.is_none_or(|el| e.data == el))
                .collect();
            out.push(vec![
                p.system.clone(),
                p.stores
                    .iter()
                    .map(|s| s.key.clone())
                    .collect::<Vec<_>>()
                    .join(", "),
                p.owner.clone().unwrap_or_default(),
                p.name.clone(),
                p.description.clone().unwrap_or_default(),
                p.joint_controller.clone().unwrap_or_default(),
                p.subjects.join(", "),
                c.map(|c| c.name.clone()).unwrap_or_default(),
                c.map(|c| c.category.clone()).unwrap_or_default(),
                element.unwrap_or_default().to_string(),
                yes_no(c.is_some_and(|c| c.special)).into(),
                recipients(p),
                processor_contracts(record, p),
                transfers(p),
                safeguards(p),
                retention(p),
                p.security_measures.clone().unwrap_or_default(),
                p.role.clone(),
                p.legal_basis_label.clone(),
                p.special_category_condition.clone().unwrap_or_default(),
                p.legitimate_interest.clone().unwrap_or_default(),
                p.legitimate_interest_assessment.clone().unwrap_or_default(),
                rights(p),
                p.automated_decisions.clone().unwrap_or_default(),
                element_source,
                p.dpia
                    .as_ref()
                    .map(|d| yes_no(d.required).to_string())
                    .unwrap_or_default(),
                p.dpia
                    .as_ref()
                    .and_then(|d| d.status.clone())
                    .unwrap_or_default(),
                p.dpia
                    .as_ref()
                    .and_then(|d| d.link.clone())
                    .unwrap_or_default(),
                p.stores
                    .iter()
                    .map(|s| format!("{}: {}", s.key, s.erasure))
                    .collect::<Vec<_>>()
                    .join("; "),
                controller.clone(),
                dpo.clone(),
                evidence_cell(&evidence),
                p.to_complete.join("; "),
            ]);
        }
    }
    out
}

pub fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

/// `Mailgun (US, processor)`, ...
pub fn recipients(p: &PurposeEntry) -> String {
    p.recipients
        .iter()
        .map(|r| match &r.country {
            Some(c) => format!("{} ({c})", r.name),
            None => r.name.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn processor_contracts(record: &Record, p: &PurposeEntry) -> String {
    p.recipients
        .iter()
        .filter_map(|r| {
            record
                .recipients
                .iter()
                .find(|x| x.key == r.key && x.system == p.system)
                .and_then(|x| x.processor_contract.as_ref())
                .map(|c| format!("{}: {c}", r.name))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// `Mailgun (US)` for each recipient abroad; `none` when there are none.
pub fn transfers(p: &PurposeEntry) -> String {
    let abroad: Vec<String> = p
        .recipients
        .iter()
        .filter(|r| r.transfer)
        .map(|r| format!("{} ({})", r.name, r.country.as_deref().unwrap_or("?")))
        .collect();
    if abroad.is_empty() {
        "none".into()
    } else {
        abroad.join(", ")
    }
}

pub fn safeguards(p: &PurposeEntry) -> String {
    p.recipients
        .iter()
        .filter(|r| r.transfer)
        .map(|r| {
            format!(
                "{}: {}",
                r.name,
                r.safeguard.as_deref().unwrap_or("none declared")
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// `users: P3Y; orders: P5Y`.
pub fn retention(p: &PurposeEntry) -> String {
    p.stores
        .iter()
        .map(|s| {
            format!(
                "{}: {}",
                s.key,
                s.retention.as_deref().unwrap_or("not declared")
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The data subjects' rights the code is seen to support.
pub fn rights(p: &PurposeEntry) -> String {
    if p.stores.is_empty() {
        "Erasure: no store declared".into()
    } else if p.erasure_verified {
        "Erasure: verified in code".into()
    } else {
        let open: Vec<&str> = p
            .stores
            .iter()
            .filter(|s| !s.erasure_verified)
            .map(|s| s.key.as_str())
            .collect();
        format!("Erasure: not verified for {}", open.join(", "))
    }
}

/// The first places as `path:line` (or permalinks), and how many more.
pub fn evidence_cell(evidence: &[&Evidence]) -> String {
    let mut parts: Vec<String> = evidence
        .iter()
        .take(EVIDENCE_SHOWN)
        .map(|e| e.permalink.clone().unwrap_or_else(|| e.location.clone()))
        .collect();
    if evidence.len() > EVIDENCE_SHOWN {
        parts.push(format!("and {} more", evidence.len() - EVIDENCE_SHOWN));
    }
    parts.join("\n")
}

/// Text split at backticks: `(false, prose)` and `(true, code)` in turn, as messages and hints
/// mark code (`stores.users.retention`). An unpaired backtick is prose.
pub fn segments(text: &str) -> Vec<(bool, &str)> {
    let parts: Vec<&str> = text.split('`').collect();
    if parts.len().is_multiple_of(2) {
        return vec![(false, text)];
    }
    parts
        .into_iter()
        .enumerate()
        .filter(|(_, p)| !p.is_empty())
        .map(|(i, p)| (i % 2 == 1, p))
        .collect()
}

/// `3 purposes, 5 elements, ...` for headers.
pub fn counts(record: &Record) -> String {
    let findings: usize = record.findings.iter().map(|g| g.items.len()).sum();
    format!(
        "{} purposes, {} data elements, {} recipients, {} stores, {} open findings",
        record.purposes.len(),
        record.elements.len(),
        record.recipients.len(),
        record.stores.len(),
        findings
    )
}
