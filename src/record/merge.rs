//! One record for the whole organisation: the JSON records of many systems (repositories)
//! combined, each row keeping the system it came from.

use super::Record;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error("cannot read {0}: {1}")]
    Read(PathBuf, std::io::Error),
    #[error(
        "{path}:{line}:{column}: not a privlint record: {message}\n  help: give the JSON written by `privlint report --format json`"
    )]
    Parse {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error(
        "{0}: record format version {1} is not supported (this privlint reads version 1)\n  help: write it again with this privlint's `report --format json`"
    )]
    Version(PathBuf, u32),
    #[error(
        "the system `{name}` is in both {first} and {second}\n  help: give each repository its own name with `privlint report --system NAME`"
    )]
    DuplicateSystem {
        name: String,
        first: PathBuf,
        second: PathBuf,
    },
    #[error(
        "{first} is the record of controller `{a}`, {second} of `{b}`\n  help: merge the records of one controller at a time"
    )]
    Controllers {
        a: String,
        b: String,
        first: PathBuf,
        second: PathBuf,
    },
    #[error("nothing to merge: give the JSON records of one or more systems")]
    Empty,
}

/// Reads one JSON record.
pub fn read(path: &Path) -> Result<Record, MergeError> {
    let text =
        std::fs::read_to_string(path).map_err(|e| MergeError::Read(path.to_path_buf(), e))?;
    let record: Record = serde_json::from_str(&text).map_err(|e| MergeError::Parse {
        path: path.to_path_buf(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    if record.version != 1 {
        return Err(MergeError::Version(path.to_path_buf(), record.version));
    }
    Ok(record)
}

/// Combines the records at `paths` into one, written at `generated_at`.
pub fn merge(paths: &[PathBuf], generated_at: &str) -> Result<Record, MergeError> {
    let mut out = Record {
        schema: super::SCHEMA_ID.to_string(),
        version: 1,
        generated_at: generated_at.to_string(),
        privlint_version: env!("CARGO_PKG_VERSION").to_string(),
        ..Record::default()
    };
    if paths.is_empty() {
        return Err(MergeError::Empty);
    }
    let mut system_from: Vec<(String, PathBuf)> = Vec::new();
    let mut controller_from: Option<PathBuf> = None;
    for path in paths {
        let record = read(path)?;
        for system in &record.systems {
            if let Some((_, first)) = system_from.iter().find(|(n, _)| *n == system.name) {
                return Err(MergeError::DuplicateSystem {
                    name: system.name.clone(),
                    first: first.clone(),
                    second: path.clone(),
                });
            }
            system_from.push((system.name.clone(), path.clone()));
        }
        match (&out.controller, record.controller) {
            (None, Some(c)) => {
                out.controller = Some(c);
                controller_from = Some(path.clone());
            }
            (Some(a), Some(b)) if !a.name.trim().eq_ignore_ascii_case(b.name.trim()) => {
                return Err(MergeError::Controllers {
                    a: a.name.clone(),
                    b: b.name,
                    first: controller_from.clone().unwrap_or_default(),
                    second: path.clone(),
                });
            }
            // The same controller: fill in what the first record left out.
            (Some(_), Some(b)) => {
                if let Some(a) = out.controller.as_mut() {
                    fill(&mut a.country, b.country);
                    fill(&mut a.country_name, b.country_name);
                    fill(&mut a.contact, b.contact);
                    fill(&mut a.address, b.address);
                    fill(&mut a.representative, b.representative);
                    fill(&mut a.department, b.department);
                    fill(&mut a.dpo_name, b.dpo_name);
                    fill(&mut a.dpo_contact, b.dpo_contact);
                    fill(&mut a.security_measures, b.security_measures);
                }
            }
            _ => {}
        }
        out.systems.extend(record.systems);
        out.purposes.extend(record.purposes);
        out.elements.extend(record.elements);
        out.recipients.extend(record.recipients);
        out.stores.extend(record.stores);
        for group in record.findings {
            match out.findings.iter_mut().find(|g| g.check == group.check) {
                Some(g) => g.items.extend(group.items),
                None => out.findings.push(group),
            }
        }
    }
    out.systems.sort_by(|a, b| a.name.cmp(&b.name));
    out.purposes
        .sort_by(|a, b| (&a.key, &a.system).cmp(&(&b.key, &b.system)));
    out.elements
        .sort_by(|a, b| (&a.key, &a.system).cmp(&(&b.key, &b.system)));
    out.recipients
        .sort_by(|a, b| (&a.key, &a.system).cmp(&(&b.key, &b.system)));
    out.stores
        .sort_by(|a, b| (&a.key, &a.system).cmp(&(&b.key, &b.system)));
    let order = |check: &str| {
        crate::checks::CHECKS
            .iter()
            .position(|c| c.id == check)
            .unwrap_or(usize::MAX)
    };
    out.findings
        .sort_by(|a, b| (order(&a.check), &a.check).cmp(&(order(&b.check), &b.check)));
    // Stable: each system's findings keep their order by place.
    for g in &mut out.findings {
        g.items.sort_by(|a, b| a.system.cmp(&b.system));
    }
    Ok(out)
}

fn fill(slot: &mut Option<String>, value: Option<String>) {
    if slot.is_none() {
        *slot = value;
    }
}
