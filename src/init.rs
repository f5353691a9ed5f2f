//! `privlint init`: a proposed data map, written from what a scan without one finds.
//!
//! What it proposes, and how sure it can be:
//! - **elements**: one per category of personal data found in type fields or reaching a sink;
//! - **purposes**: one per area of the code (the first folder or file below the common root of
//!   each language's files), with the elements processed there, its files as `code:` globs, and
//!   a legal basis guessed from the area's name;
//! - **recipients**: third-party SDKs and hosts the code sends personal data to, with the
//!   catalog's country;
//! - **stores**: model types that hold personal fields.
//!
//! Every guess is marked `# confirm` for a human; where it cannot guess (the controller's
//! country, where a database is), it leaves a commented line to fill in. The result loads
//! without errors, so `privlint check` runs on it at once.

use crate::graph::{Origin, Program, SinkHit, SinkKind};
use crate::ir::Language;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

/// What the scan found, by what a data map declares.
#[derive(Debug, Default)]
pub struct Inventory {
    /// Category key → what was seen of it.
    pub elements: BTreeMap<String, SeenElement>,
    /// Area → its code globs and the categories processed there.
    pub areas: BTreeMap<String, SeenArea>,
    /// Recipient key (catalog id, or a key made from a host) → what it receives.
    pub recipients: BTreeMap<String, SeenRecipient>,
    /// Type name → the categories of its personal fields.
    pub stores: BTreeMap<String, BTreeSet<String>>,
    /// The project's folder name, for the controller's placeholder.
    pub project: String,
}

#[derive(Debug, Default)]
pub struct SeenElement {
    pub name: String,
    /// Up to three places, `path:line`.
    pub places: Vec<String>,
}

#[derive(Debug, Default)]
pub struct SeenArea {
    pub globs: BTreeSet<String>,
    pub categories: BTreeSet<String>,
}

#[derive(Debug, Default)]
pub struct SeenRecipient {
    pub name: String,
    pub country: Option<String>,
    pub hosts: Vec<String>,
    pub categories: BTreeSet<String>,
    pub areas: BTreeSet<String>,
}

/// Type traits that mark a persisted model.
const MODEL_TRAITS: &[&str] = &[
    "Model",
    "Base",
    "DeclarativeBase",
    // SQLModel: only `table=True` classes are tables; the others are schemas.
    "table=True",
    "Document",
    "Entity",
    "FromRow",
    "Queryable",
    "Insertable",
    "Selectable",
    "DeriveEntityModel",
];

impl Inventory {
    pub fn collect(program: &Program<'_>, hits: &[SinkHit], root: &Path) -> Self {
        let classifier = &program.rules.classifier;
        let mut inv = Inventory {
            project: project_name(root),
            ..Inventory::default()
        };
        let relative = program.relative_paths(root);
        let areas = areas(program, &relative);
        let element = |inv: &mut Inventory, key: &str, unit: u32, offset: u32| {
            let category = classifier.categories().iter().find(|c| c.key == key);
            let e = inv.elements.entry(key.to_string()).or_default();
            if let Some(c) = category {
                e.name.clone_from(&c.name);
            }
            if e.places.len() < 3 {
                let u = &program.units[unit as usize];
                let (line, _) = u.line_col(offset as usize);
                let shown = relative[unit as usize]
                    .as_ref()
                    .map_or_else(|| u.display.clone(), |r| r.join("/"));
                let place = format!("{shown}:{line}");
                if !e.places.contains(&place) {
                    e.places.push(place);
                }
            }
        };
        for types in program.types.values() {
            let mut names: Vec<&String> = types.keys().collect();
            names.sort();
            for name in names {
                let info = &types[name];
                for f in &info.personal {
                    let c = classifier.category(f.category);
                    if c.pseudonymous || program.units[f.unit as usize].is_test {
                        continue;
                    }
                    element(&mut inv, &c.key, f.unit, f.span.start);
                    if let Some((area, _)) = &areas[f.unit as usize] {
                        inv.areas
                            .entry(area.clone())
                            .or_default()
                            .categories
                            .insert(c.key.clone());
                    }
                }
                let unit = info.personal.first().map(|f| f.unit as usize);
                let is_model = unit.is_some_and(|u| {
                    program.units[u].facts.types.iter().any(|t| {
                        // An abstract model has no table of its own.
                        t.name == *name
                            && t.traits
                                .iter()
                                .any(|tr| MODEL_TRAITS.contains(&tr.as_str()))
                            && !t.traits.iter().any(|tr| tr == "abstract")
                    })
                });
                let held = info
                    .personal
                    .iter()
                    .any(|f| !classifier.category(f.category).pseudonymous);
                if is_model && held {
                    inv.stores.insert(
                        name.clone(),
                        info.personal
                            .iter()
                            .map(|f| classifier.category(f.category))
                            .filter(|c| !c.pseudonymous)
                            .map(|c| c.key.clone())
                            .collect(),
                    );
                }
            }
        }
        for (area, glob) in areas.iter().flatten() {
            inv.areas
                .entry(area.clone())
                .or_default()
                .globs
                .insert(glob.clone());
        }
        for hit in hits {
            let unit = &program.units[hit.sink.unit as usize];
            if unit.is_test {
                continue;
            }
            let area = areas[hit.sink.unit as usize]
                .as_ref()
                .map(|(a, _)| a.clone());
            let mut categories = BTreeSet::new();
            for label in &hit.labels {
                let Origin::Data(c) = label.origin else {
                    continue;
                };
                let c = classifier.category(c);
                if c.pseudonymous {
                    continue;
                }
                categories.insert(c.key.clone());
                if let Some(first) = label.hops.first() {
                    element(&mut inv, &c.key, first.unit, first.span.start);
                }
            }
            if let Some(area) = &area {
                inv.areas
                    .entry(area.clone())
                    .or_default()
                    .categories
                    .extend(categories.iter().cloned());
            }
            let Some(target) = hit.sink.target.as_deref() else {
                continue;
            };
            if categories.is_empty() {
                continue;
            }
            let catalog = &program.rules.recipients;
            let (key, name, country, host) = match hit.sink.kind {
                SinkKind::Recipient => match catalog.by_key(target) {
                    Some(id) => {
                        let r = catalog.get(id);
                        (r.id.clone(), r.name.clone(), Some(r.country.clone()), None)
                    }
                    None => continue,
                },
                SinkKind::Http => {
                    if crate::rules::recipients::is_internal_host(target) {
                        continue;
                    }
                    match catalog.match_host(target) {
                        Some(id) => {
                            let r = catalog.get(id);
                            (r.id.clone(), r.name.clone(), Some(r.country.clone()), None)
                        }
                        None => (host_key(target), target.to_string(), None, Some(target)),
                    }
                }
                _ => continue,
            };
            let r = inv.recipients.entry(key).or_default();
            r.name = name;
            r.country = country;
            if let Some(h) = host
                && !r.hosts.iter().any(|x| x == h)
            {
                r.hosts.push(h.to_string());
            }
            r.categories.extend(categories);
            r.areas.extend(area);
        }
        inv
    }

    /// The proposed `datamap.yml`.
    pub fn render(&self) -> String {
        let mut keys: BTreeMap<&str, String> = BTreeMap::new();
        let mut used: BTreeSet<String> = BTreeSet::new();
        for category in self.elements.keys() {
            let mut key = element_key(category);
            while !used.insert(key.clone()) {
                key.push('_');
            }
            keys.insert(category, key);
        }
        let list = |categories: &BTreeSet<String>| -> String {
            let mut k: Vec<&str> = categories
                .iter()
                .filter_map(|c| keys.get(c.as_str()).map(String::as_str))
                .collect();
            k.sort_unstable();
            k.dedup();
            format!("[{}]", k.join(", "))
        };
        let mut out = String::new();
        out.push_str(
            "# yaml-language-server: $schema=https://privlint.dev/schema/datamap.v1.json\n\
             # Proposed by `privlint init` from what a scan of the code found. It is a draft:\n\
             # every line marked `confirm` is a guess a human must check, and commented lines\n\
             # are facts the code cannot tell (where the controller and the databases are).\n\
             version: 1\n",
        );
        let _ = writeln!(
            out,
            "controller:\n  name: {}   # confirm: the legal entity that decides why and how\n  \
             # country: KZ          # ISO 3166-1 alpha-2; selects the kz or gdpr profile\n  \
             # contact: privacy@example.com",
            quote(&format!("{} (confirm)", self.project))
        );
        out.push_str("\ndata:\n");
        if self.elements.is_empty() {
            out.push_str("  {}\n");
        }
        for (category, seen) in &self.elements {
            let _ = writeln!(
                out,
                "  {}: {{ category: {category}, subjects: [customer] }}   # {}; seen at {}; confirm subjects",
                keys[category.as_str()],
                seen.name,
                seen.places.join(", ")
            );
        }
        out.push_str("\npurposes:\n");
        let served: BTreeSet<&String> = self.recipients.values().flat_map(|r| &r.areas).collect();
        let mut any = false;
        for (area, seen) in &self.areas {
            if seen.categories.is_empty() && !served.contains(area) {
                continue;
            }
            any = true;
            let globs: Vec<String> = seen.globs.iter().map(|g| quote(g)).collect();
            let _ = writeln!(
                out,
                "  {}: {{ legal_basis: {}, data: {}, code: [{}] }}   # confirm the basis and the data",
                area,
                legal_basis_for(area),
                list(&seen.categories),
                globs.join(", ")
            );
        }
        if !any {
            out.push_str("  {}\n");
        }
        out.push_str("\nrecipients:\n");
        if self.recipients.is_empty() {
            out.push_str("  {}\n");
        }
        for (key, r) in &self.recipients {
            let areas: Vec<&str> = r
                .areas
                .iter()
                .filter(|a| {
                    self.areas
                        .get(*a)
                        .is_some_and(|s| !s.categories.is_empty() || served.contains(a))
                })
                .map(String::as_str)
                .collect();
            let mut fields = vec![
                format!("purposes: [{}]", areas.join(", ")),
                format!("data: {}", list(&r.categories)),
            ];
            if let Some(c) = &r.country {
                fields.push(format!("country: {c}"));
            }
            if !r.hosts.is_empty() {
                let hosts: Vec<String> = r.hosts.iter().map(|h| quote(h)).collect();
                fields.push(format!("hosts: [{}]", hosts.join(", ")));
            }
            let _ = writeln!(
                out,
                "  {key}: {{ {} }}   # {}; confirm, and add `safeguard:` if it is abroad{}",
                fields.join(", "),
                r.name,
                if r.country.is_none() {
                    "; add `country:`"
                } else {
                    ""
                }
            );
        }
        out.push_str("\nstores:\n");
        if self.stores.is_empty() {
            out.push_str("  {}\n");
        }
        for (entity, categories) in &self.stores {
            let _ = writeln!(
                out,
                "  {}: {{ entity: {entity}, data: {} }}   # confirm; add `location:` (country) and `retention:` (e.g. P3Y)",
                store_key(entity),
                list(categories)
            );
        }
        out
    }
}

/// Per unit: its area and the glob for its files.
fn areas(program: &Program<'_>, relative: &[Option<Vec<String>>]) -> Vec<Option<(String, String)>> {
    // The base folder of each language's files: areas are what lies below it. Start from the
    // folder all of them share, then go down while one folder holds nearly all of them (a
    // package beside its `setup.py`, `src/` beside `build.rs`).
    let mut by_language: BTreeMap<Language, Vec<&[String]>> = BTreeMap::new();
    for (u, rel) in relative.iter().enumerate() {
        let Some(rel) = rel else { continue };
        if program.units[u].is_test || rel.is_empty() {
            continue;
        }
        by_language
            .entry(program.units[u].language)
            .or_default()
            .push(&rel[..rel.len() - 1]);
    }
    let mut common: BTreeMap<Language, Vec<String>> = BTreeMap::new();
    for (language, dirs) in by_language {
        let mut base: Vec<String> = Vec::new();
        loop {
            let depth = base.len();
            let mut below: BTreeMap<&str, usize> = BTreeMap::new();
            for d in &dirs {
                if d.len() > depth && d[..depth] == base[..] {
                    *below.entry(d[depth].as_str()).or_default() += 1;
                }
            }
            let Some((dir, n)) = below.iter().max_by_key(|(_, n)| **n) else {
                break;
            };
            // Nine in ten files in one folder.
            if *n * 10 < dirs.len() * 9 {
                break;
            }
            base.push((*dir).to_string());
        }
        common.insert(language, base);
    }
    relative
        .iter()
        .enumerate()
        .map(|(u, rel)| {
            let rel = rel.as_ref()?;
            let unit = &program.units[u];
            let base = common
                .get(&unit.language)
                .filter(|b| rel.len() > b.len() && rel[..b.len()] == b[..])
                .map_or(0, Vec::len);
            let below = &rel[base..];
            let (first, is_dir) = match below {
                [file] => (file.clone(), false),
                [dir, ..] => (dir.clone(), true),
                [] => return None,
            };
            let stem = first.rsplit_once('.').map_or(first.as_str(), |(s, _)| s);
            if matches!(
                stem,
                "main"
                    | "lib"
                    | "mod"
                    | "__init__"
                    | "__main__"
                    | "app"
                    | "setup"
                    | "conftest"
                    | "build"
            ) {
                return None;
            }
            let prefix = rel[..base].join("/");
            let join = |tail: &str| {
                if prefix.is_empty() {
                    tail.to_string()
                } else {
                    format!("{prefix}/{tail}")
                }
            };
            let glob = if is_dir {
                join(&format!("{first}/**"))
            } else {
                join(&first)
            };
            Some((purpose_key(stem), glob))
        })
        .collect()
}

fn project_name(root: &Path) -> String {
    std::fs::canonicalize(root)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "the system".to_string())
}

/// A data-map key from a name: lowercase letters, digits and underscores.
fn purpose_key(name: &str) -> String {
    let mut key: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if key.is_empty() || key.starts_with(|c: char| c.is_ascii_digit()) {
        key.insert_str(0, "area_");
    }
    key
}

/// `user.contact.email` → `email`; `user.government_id.national_identification_number` →
/// `national_identification_number`; `user.name.first` → `first_name`.
fn element_key(category: &str) -> String {
    let mut parts = category.rsplit('.');
    let last = parts.next().unwrap_or(category);
    match (last, parts.next()) {
        ("first" | "last", Some(parent)) => purpose_key(&format!("{last}_{parent}")),
        _ => purpose_key(last),
    }
}

fn store_key(entity: &str) -> String {
    let mut key = String::new();
    for (i, c) in entity.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            key.push('_');
        }
        key.push(c.to_ascii_lowercase());
    }
    purpose_key(&key)
}

fn host_key(host: &str) -> String {
    purpose_key(host.trim_start_matches("api.").trim_start_matches("www."))
}

/// A guess from the area's name, which the comment asks a human to confirm.
fn legal_basis_for(area: &str) -> &'static str {
    let has = |words: &[&str]| words.iter().any(|w| area.contains(w));
    if has(&[
        "market",
        "newsletter",
        "campaign",
        "promo",
        "ads",
        "advert",
        "analytic",
        "tracking",
        "survey",
    ]) {
        "consent"
    } else if has(&["security", "fraud", "audit", "abuse", "risk", "monitor"]) {
        "legitimate_interests"
    } else if has(&["tax", "payroll", "compliance", "kyc", "aml", "report"]) {
        "legal_obligation"
    } else {
        "contract"
    }
}

/// A YAML scalar in double quotes (JSON string syntax is valid YAML).
fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_yaml_safe() {
        assert_eq!(purpose_key("Sign-Up"), "sign_up");
        assert_eq!(purpose_key("2fa"), "area_2fa");
        assert_eq!(element_key("user.contact.email"), "email");
        assert_eq!(store_key("CustomerProfile"), "customer_profile");
        assert_eq!(host_key("api.acme.io"), "acme_io");
    }

    #[test]
    fn legal_basis_guesses() {
        assert_eq!(legal_basis_for("newsletter"), "consent");
        assert_eq!(legal_basis_for("fraud_checks"), "legitimate_interests");
        assert_eq!(legal_basis_for("payroll"), "legal_obligation");
        assert_eq!(legal_basis_for("orders"), "contract");
    }
}
