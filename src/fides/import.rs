//! Fides manifest → data map.

use super::yaml::{Block, flow, scalar};
use super::{
    Collection, Dataset, Field, LEGAL_BASES, Manifest, Organization, PrivacyDeclaration, System,
    TRANSFER_BASES, snake_key,
};
use crate::datamap::{
    Controller, CustomCategory, DURATION_PATTERN, DataMap, Dpo, Element, LegalBasis, Purpose,
    Recipient, Safeguard, Store,
};
use crate::taxonomy::Taxonomy;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// A data map made from Fides manifests, with the comments its YAML carries.
#[derive(Clone, Debug, Default)]
pub struct Imported {
    pub map: DataMap,
    /// Purposes whose legal basis is a guess, with why (`Fides had no legal basis`).
    pub basis_guessed: BTreeMap<String, String>,
    /// Purposes whose Fides data use was left out, with the use.
    pub use_dropped: BTreeMap<String, String>,
    /// What was read and left out, one line each, for the user.
    pub notes: Vec<String>,
}

/// Maps Fides resources onto a data map. Every reference in the result resolves, every
/// category is in `taxonomy` or declared under `categories:`, and every data use is in
/// `taxonomy` (others are left out, with a note).
pub fn import(manifest: &Manifest, taxonomy: &Taxonomy) -> Imported {
    let mut cx = Context {
        manifest,
        taxonomy,
        notes: Vec::new(),
        basis_guessed: BTreeMap::new(),
        use_dropped: BTreeMap::new(),
    };
    let elements = cx.elements();

    let mut map = DataMap {
        version: 1,
        controller: controller(manifest),
        categories: cx.custom_categories(&elements),
        ..DataMap::default()
    };
    for (category, key) in &elements.keys {
        map.data.insert(
            key.clone(),
            Element {
                category: category.clone(),
                subjects: elements
                    .subjects
                    .get(category)
                    .map(|s| s.iter().cloned().collect())
                    .unwrap_or_default(),
                fields: elements
                    .fields
                    .get(category)
                    .map(|s| s.iter().cloned().collect())
                    .unwrap_or_default(),
                ..Element::default()
            },
        );
    }

    let internal: BTreeSet<&str> = manifest
        .system
        .iter()
        .map(|s| s.fides_key.as_str())
        .collect();
    for system in &manifest.system {
        for decl in &system.privacy_declarations {
            let key = unique(&snake_key(purpose_name(decl), "purpose"), |k| {
                map.purposes.contains_key(k)
            });
            let purpose = cx.purpose(&key, decl, &elements);
            cx.recipients(system, decl, &key, &internal, &elements, &mut map);
            map.purposes.insert(key, purpose);
        }
    }
    for r in map.recipients.values_mut() {
        r.purposes.sort();
    }
    for dataset in &manifest.dataset {
        let key = unique(&dataset.fides_key, |k| map.stores.contains_key(k));
        map.stores.insert(key, cx.store(dataset, &elements));
    }
    if let Some(c) = map.controller.as_mut() {
        c.department = department(&manifest.system);
    }
    if manifest.organization.len() > 1 {
        cx.notes.push(format!(
            "{} organizations found; the controller is taken from `{}`",
            manifest.organization.len(),
            manifest.organization[0].fides_key
        ));
    }
    Imported {
        map,
        basis_guessed: cx.basis_guessed,
        use_dropped: cx.use_dropped,
        notes: cx.notes,
    }
}

struct Context<'a> {
    manifest: &'a Manifest,
    taxonomy: &'a Taxonomy,
    notes: Vec<String>,
    basis_guessed: BTreeMap<String, String>,
    use_dropped: BTreeMap<String, String>,
}

/// The elements: one per category, keyed by its last segment.
#[derive(Default)]
struct Elements {
    /// Category → element key.
    keys: BTreeMap<String, String>,
    subjects: BTreeMap<String, BTreeSet<String>>,
    fields: BTreeMap<String, BTreeSet<String>>,
}

impl Elements {
    fn keys_of<'c>(&self, categories: impl IntoIterator<Item = &'c String>) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for c in categories {
            if let Some(k) = self.keys.get(c)
                && !out.contains(k)
            {
                out.push(k.clone());
            }
        }
        out
    }
}

impl Context<'_> {
    /// Every category used anywhere, each an element.
    fn elements(&mut self) -> Elements {
        let mut all: BTreeSet<String> = BTreeSet::new();
        let mut subjects: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut fields: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for system in &self.manifest.system {
            for decl in &system.privacy_declarations {
                for c in &decl.data_categories {
                    all.insert(c.clone());
                    let s = subjects.entry(c.clone()).or_default();
                    s.extend(decl.data_subjects.iter().filter(|s| !s.is_empty()).cloned());
                }
                all.extend(decl.shared_categories.iter().cloned());
            }
            for flow in &system.egress {
                all.extend(flow.data_categories.iter().cloned());
            }
        }
        for dataset in &self.manifest.dataset {
            all.extend(dataset.data_categories.iter().cloned());
            for collection in &dataset.collections {
                all.extend(collection.data_categories.iter().cloned());
                walk_fields(&collection.name, &collection.fields, &mut |path, field| {
                    for c in &field.data_categories {
                        all.insert(c.clone());
                        fields
                            .entry(c.clone())
                            .or_default()
                            .insert(path.to_string());
                    }
                });
            }
        }
        let mut out = Elements {
            subjects,
            fields,
            ..Elements::default()
        };
        let system: Vec<String> = all
            .iter()
            .filter(|c| *c == "system" || c.starts_with("system."))
            .cloned()
            .collect();
        if !system.is_empty() {
            self.notes.push(format!(
                "{} left out: `system` categories describe system data, not personal data",
                system.join(", ")
            ));
        }
        let mut taken: BTreeSet<String> = BTreeSet::new();
        for category in all.into_iter().filter(|c| !system.contains(c)) {
            if !valid_category_key(&category) {
                self.notes.push(format!(
                    "`{category}` is not a valid data category key; left out"
                ));
                continue;
            }
            let segments: Vec<&str> = category.split('.').collect();
            let last = snake_key(segments[segments.len() - 1], "data");
            let mut key = last.clone();
            if taken.contains(&key) && segments.len() > 1 {
                key = snake_key(&segments[segments.len() - 2..].join("_"), "data");
            }
            let key = unique(&key, |k| taken.contains(k));
            taken.insert(key.clone());
            out.keys.insert(category, key);
        }
        out
    }

    /// The categories not in the taxonomy, declared with the name Fides gives them, or their
    /// key.
    fn custom_categories(&mut self, elements: &Elements) -> BTreeMap<String, CustomCategory> {
        let mut out = BTreeMap::new();
        for category in elements.keys.keys() {
            if self.taxonomy.is_category(category) {
                continue;
            }
            let declared = self
                .manifest
                .data_category
                .iter()
                .find(|c| &c.fides_key == category);
            let parent = declared
                .and_then(|c| c.parent_key.clone())
                .or_else(|| category.rsplit_once('.').map(|(p, _)| p.to_string()))
                .filter(|p| self.taxonomy.is_category(p));
            out.insert(
                category.clone(),
                CustomCategory {
                    name: declared
                        .and_then(|c| c.name.clone())
                        .filter(|n| !n.trim().is_empty())
                        .unwrap_or_else(|| category.clone()),
                    parent,
                    description: declared.and_then(|c| c.description.clone()),
                    ..CustomCategory::default()
                },
            );
        }
        out
    }

    fn purpose(&mut self, key: &str, decl: &PrivacyDeclaration, elements: &Elements) -> Purpose {
        let legal_basis = match decl.legal_basis_for_processing.as_deref().map(str::trim) {
            Some(text) if !text.is_empty() => legal_basis(text).unwrap_or_else(|| {
                self.basis_guessed.insert(
                    key.to_string(),
                    format!("confirm: Fides had `{text}`, not one of the six GDPR bases"),
                );
                LegalBasis::Contract
            }),
            _ => {
                self.basis_guessed.insert(
                    key.to_string(),
                    "confirm: Fides had no legal basis".to_string(),
                );
                LegalBasis::Contract
            }
        };
        let data_use = decl
            .data_use
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty());
        let data_use = match data_use {
            Some(u) if self.taxonomy.is_use(u) => Some(u.to_string()),
            Some(u) => {
                self.use_dropped.insert(key.to_string(), u.to_string());
                self.notes.push(format!(
                    "purpose `{key}`: the Fides data use `{u}` is not in the built-in taxonomy; \
                     left out"
                ));
                None
            }
            None => None,
        };
        let name = decl
            .name
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty() && *n != key)
            .map(str::to_string);
        if let Some(r) = &decl.retention_period {
            self.notes.push(format!(
                "purpose `{key}`: a data map has no retention per purpose; `retention_period: \
                 {r}` left out"
            ));
        }
        Purpose {
            legal_basis,
            data: elements.keys_of(&decl.data_categories),
            code: Vec::new(),
            data_use,
            name,
            description: None,
            owner: None,
            role: None,
            joint_controller: None,
            special_category_condition: None,
            legitimate_interest: None,
            legitimate_interest_assessment: None,
            automated_decisions: None,
            dpia: None,
            security_measures: None,
        }
    }

    /// The recipients a declaration sends data to: its `egress` flows to systems outside the
    /// manifests, or else its `third_parties`.
    fn recipients(
        &mut self,
        system: &System,
        decl: &PrivacyDeclaration,
        purpose: &str,
        internal: &BTreeSet<&str>,
        elements: &Elements,
        map: &mut DataMap,
    ) {
        let mut sent = false;
        let meta = system.privlint_meta().map(|p| p.recipients);
        for target in &decl.egress {
            let Some(flow) = system.egress.iter().find(|f| &f.fides_key == target) else {
                self.notes.push(format!(
                    "purpose `{purpose}`: egress `{target}` is not among the egress of system \
                     `{}`; left out",
                    system.fides_key
                ));
                continue;
            };
            if flow.kind.as_deref().is_some_and(|k| k != "system")
                || internal.contains(flow.fides_key.as_str())
            {
                continue;
            }
            sent = true;
            let categories = if flow.data_categories.is_empty() {
                shared_or_all(decl)
            } else {
                &flow.data_categories
            };
            let key = snake_key(&flow.fides_key, "recipient");
            let r = map.recipients.entry(key).or_default();
            add_recipient(r, purpose, &elements.keys_of(categories));
            if let Some(m) = meta.as_ref().and_then(|m| m.get(&flow.fides_key)) {
                r.name = r.name.take().or_else(|| m.name.clone());
                r.country = r
                    .country
                    .take()
                    .or_else(|| m.country.clone().filter(|c| valid_country(c)));
                r.safeguard = r.safeguard.or_else(|| {
                    m.safeguard
                        .as_deref()
                        .and_then(|s| Safeguard::ALL.into_iter().find(|g| g.as_str() == s))
                });
            }
            let kept = meta.as_ref().and_then(|m| m.get(&flow.fides_key));
            if r.safeguard.is_none() && kept.is_none() {
                // The system's basis for transfers covers the flows privlint kept nothing for.
                r.safeguard = system
                    .legal_basis_for_transfers
                    .as_deref()
                    .and_then(safeguard);
            }
        }
        if sent || decl.data_shared_with_third_parties == Some(false) {
            return;
        }
        let Some(third) = &decl.third_parties else {
            return;
        };
        let data = elements.keys_of(shared_or_all(decl));
        for name in third.items() {
            let r = map
                .recipients
                .entry(snake_key(name, "recipient"))
                .or_default();
            add_recipient(r, purpose, &data);
            if r.name.is_none() && snake_key(name, "recipient") != name {
                r.name = Some(name.to_string());
            }
        }
    }

    fn store(&mut self, dataset: &Dataset, elements: &Elements) -> Store {
        let mut categories: Vec<&String> = dataset.data_categories.iter().collect();
        for c in &dataset.collections {
            categories.extend(&c.data_categories);
            walk_fields(&c.name, &c.fields, &mut |_, f| {
                categories.extend(&f.data_categories);
            });
        }
        let meta = dataset.privlint_meta();
        let entity = meta
            .as_ref()
            .and_then(|m| m.entity.clone())
            .or_else(|| obvious_entity(&dataset.collections));
        let retention = dataset
            .retention
            .as_deref()
            .map(|r| (r, iso_duration(r)))
            .or_else(|| uniform_retention(&dataset.collections).map(|r| (r, iso_duration(r))));
        let retention = match retention {
            Some((_, Some(iso))) => Some(iso),
            Some((text, None)) => {
                self.notes.push(format!(
                    "store `{}`: retention `{text}` is not a duration; left out",
                    dataset.fides_key
                ));
                None
            }
            None => None,
        };
        let mut data = elements.keys_of(categories);
        data.sort();
        Store {
            entity,
            location: meta
                .as_ref()
                .and_then(|m| m.location.clone())
                .filter(|c| valid_country(c)),
            data,
            retention,
            erasure: meta.map(|m| m.erasure).unwrap_or_default(),
            description: dataset.description.clone(),
        }
    }
}

/// The name a declaration's purpose key comes from: its `name`, or its data use.
fn purpose_name(decl: &PrivacyDeclaration) -> &str {
    decl.name
        .as_deref()
        .filter(|n| !n.trim().is_empty())
        .or(decl.data_use.as_deref())
        .unwrap_or("purpose")
}

fn shared_or_all(decl: &PrivacyDeclaration) -> &Vec<String> {
    if decl.shared_categories.is_empty() {
        &decl.data_categories
    } else {
        &decl.shared_categories
    }
}

fn add_recipient(r: &mut Recipient, purpose: &str, data: &[String]) {
    if !r.purposes.iter().any(|p| p == purpose) {
        r.purposes.push(purpose.to_string());
    }
    for d in data {
        if !r.data.contains(d) {
            r.data.push(d.clone());
        }
    }
}

/// Calls `f` with `collection.field.subfield` for every field, depth first.
fn walk_fields<'f>(prefix: &str, fields: &'f [Field], f: &mut dyn FnMut(&str, &'f Field)) {
    for field in fields {
        let path = format!("{prefix}.{}", field.name);
        f(&path, field);
        walk_fields(&path, &field.fields, f);
    }
}

/// The entity of a dataset with a single collection named like a type (`User`).
fn obvious_entity(collections: &[Collection]) -> Option<String> {
    match collections {
        [only] if only.name.starts_with(|c: char| c.is_ascii_uppercase()) => {
            Some(only.name.clone())
        }
        _ => None,
    }
}

/// The retention every collection states, when they all state the same one.
fn uniform_retention(collections: &[Collection]) -> Option<&str> {
    let mut values = collections.iter().map(|c| c.retention.as_deref());
    let first = values.next()??;
    values.all(|v| v == Some(first)).then_some(first)
}

/// The legal basis a Fides `legal_basis_for_processing` names (also the older spellings:
/// `Legal Obligation`, `Vital Interest`, `Legitimate Interest`).
pub(super) fn legal_basis(text: &str) -> Option<LegalBasis> {
    let norm = |s: &str| s.trim().trim_end_matches('s').to_ascii_lowercase();
    let text = norm(text);
    LEGAL_BASES
        .iter()
        .find(|(fides, _)| norm(fides) == text)
        .map(|(_, b)| *b)
        .or_else(|| {
            LegalBasis::ALL
                .into_iter()
                .find(|b| norm(b.as_str()) == text)
        })
}

/// The safeguard a Fides `legal_basis_for_transfers` names.
fn safeguard(text: &str) -> Option<Safeguard> {
    TRANSFER_BASES
        .iter()
        .find(|(fides, _)| fides.eq_ignore_ascii_case(text.trim()))
        .map(|(_, s)| *s)
}

/// An ISO 8601 duration from a retention: already one (`P3Y`, `p90d`), or amounts with units
/// (`90 days`, `1 year 6 months`, `3 yrs`, `12h`).
pub(super) fn iso_duration(text: &str) -> Option<String> {
    let duration = regex::Regex::new(DURATION_PATTERN).ok()?;
    let upper = text.trim().to_ascii_uppercase();
    if duration.is_match(&upper) {
        return Some(upper);
    }
    let amounts = regex::Regex::new(r"(?i)(\d+)\s*([a-z]+)").ok()?;
    let rest = amounts.replace_all(text, "");
    if !rest
        .split(|c: char| c.is_whitespace() || c == ',')
        .all(|w| w.is_empty() || w.eq_ignore_ascii_case("and"))
    {
        return None;
    }
    // Years, months, weeks, days, then hours, minutes, seconds.
    let mut parts = [0u64; 7];
    let mut any = false;
    for cap in amounts.captures_iter(text) {
        let n: u64 = cap[1].parse().ok()?;
        let unit = cap[2].to_ascii_lowercase();
        let slot = match unit.as_str() {
            "y" | "yr" | "yrs" | "year" | "years" => 0,
            "mo" | "mos" | "month" | "months" => 1,
            "w" | "wk" | "wks" | "week" | "weeks" => 2,
            "d" | "day" | "days" => 3,
            "h" | "hr" | "hrs" | "hour" | "hours" => 4,
            "min" | "mins" | "minute" | "minutes" => 5,
            "s" | "sec" | "secs" | "second" | "seconds" => 6,
            _ => return None,
        };
        parts[slot] += n;
        any = true;
    }
    if !any {
        return None;
    }
    let mut out = String::from("P");
    for (i, unit) in ["Y", "M", "W", "D"].iter().enumerate() {
        if parts[i] > 0 {
            write!(out, "{}{unit}", parts[i]).ok()?;
        }
    }
    if parts[4..].iter().any(|&n| n > 0) {
        out.push('T');
        for (i, unit) in ["H", "M", "S"].iter().enumerate() {
            if parts[4 + i] > 0 {
                write!(out, "{}{unit}", parts[4 + i]).ok()?;
            }
        }
    }
    if out == "P" {
        out.push_str("0D");
    }
    duration.is_match(&out).then_some(out)
}

fn valid_country(code: &str) -> bool {
    code.len() == 2
        && code.bytes().all(|b| b.is_ascii_uppercase())
        && celes::Country::from_alpha2(code).is_ok()
}

fn valid_category_key(key: &str) -> bool {
    super::is_fides_key(key) && !key.split('.').any(str::is_empty)
}

/// `base`, or `base_2`, `base_3`, ... whichever is free.
fn unique(base: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(base) {
        return base.to_string();
    }
    let mut n = 2u64;
    loop {
        let key = format!("{base}_{n}");
        if !taken(&key) {
            return key;
        }
        n += 1;
    }
}

/// The controller: the organization the systems belong to (or the first), its controller
/// contact and its DPO.
fn controller(manifest: &Manifest) -> Option<Controller> {
    let referenced: Option<&str> = manifest
        .system
        .iter()
        .find_map(|s| s.organization_fides_key.as_deref());
    let org: &Organization = referenced
        .and_then(|k| manifest.organization.iter().find(|o| o.fides_key == k))
        .or_else(|| manifest.organization.first())?;
    let contact = org.controller.as_ref();
    let nonempty = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let name = nonempty(&org.name)
        .or_else(|| contact.and_then(|c| nonempty(&c.name)))
        .unwrap_or_else(|| org.fides_key.clone());
    let dpo = org.data_protection_officer.as_ref().and_then(|d| {
        let dpo = Dpo {
            name: nonempty(&d.name),
            contact: nonempty(&d.email).or_else(|| nonempty(&d.phone)),
        };
        (dpo.name.is_some() || dpo.contact.is_some()).then_some(dpo)
    });
    Some(Controller {
        name,
        country: None,
        contact: contact.and_then(|c| nonempty(&c.email).or_else(|| nonempty(&c.phone))),
        dpo,
        representative: org.representative.as_ref().and_then(|r| nonempty(&r.name)),
        address: contact.and_then(|c| nonempty(&c.address)),
        department: None,
        security_measures: None,
    })
}

/// The systems' department, when they name one (Fides' default `Not defined` is none).
fn department(systems: &[System]) -> Option<String> {
    let named: BTreeSet<&str> = systems
        .iter()
        .filter_map(|s| s.administrating_department.as_deref())
        .map(str::trim)
        .filter(|d| !d.is_empty() && *d != "Not defined")
        .collect();
    match named.len() {
        1 => named.into_iter().next().map(str::to_string),
        _ => None,
    }
}

impl Imported {
    /// The data map as YAML, with a header saying where it comes from and `# confirm` where
    /// the mapping guessed.
    pub fn render(&self, source: &str) -> String {
        let map = &self.map;
        let mut out = String::new();
        writeln!(
            out,
            "# Imported from the Fides manifests in {source} by `privlint import-fides`.\n\
             # Check every line marked `confirm`, add the purposes' `code:` globs, the recipients'\n\
             # countries and the stores' locations Fides did not have, then run `privlint check`."
        )
        .ok();
        out.push_str("version: 1\n");
        if let Some(c) = &map.controller {
            let mut b = Block::new(&mut out, 0);
            b.open("controller");
            let mut b = Block::new(&mut out, 2);
            b.raw("name", &scalar(&c.name))
                .comment("country: XX   # confirm: the controller's ISO 3166-1 alpha-2 code")
                .opt("contact", c.contact.as_deref());
            if let Some(d) = &c.dpo {
                let mut fields = Vec::new();
                if let Some(n) = &d.name {
                    fields.push(format!("name: {}", scalar(n)));
                }
                if let Some(n) = &d.contact {
                    fields.push(format!("contact: {}", scalar(n)));
                }
                b.raw("dpo", &format!("{{ {} }}", fields.join(", ")));
            }
            b.opt("representative", c.representative.as_deref())
                .opt("address", c.address.as_deref())
                .opt("department", c.department.as_deref());
        }
        if !map.categories.is_empty() {
            out.push_str("categories:   # Fides categories not in the built-in taxonomy\n");
            for (key, c) in &map.categories {
                let mut fields = vec![format!("name: {}", scalar(&c.name))];
                if let Some(p) = &c.parent {
                    fields.push(format!("parent: {}", scalar(p)));
                }
                if let Some(d) = &c.description {
                    fields.push(format!("description: {}", scalar(d)));
                }
                Block::new(&mut out, 2).raw(key, &format!("{{ {} }}", fields.join(", ")));
            }
        }
        if !map.data.is_empty() {
            out.push_str("data:\n");
            for (key, e) in &map.data {
                let mut fields = vec![format!("category: {}", scalar(&e.category))];
                if !e.subjects.is_empty() {
                    fields.push(format!("subjects: {}", flow(&e.subjects)));
                }
                if !e.fields.is_empty() {
                    fields.push(format!("fields: {}", flow(&e.fields)));
                }
                Block::new(&mut out, 2).raw(key, &format!("{{ {} }}", fields.join(", ")));
            }
        }
        if !map.purposes.is_empty() {
            out.push_str("purposes:\n");
            for (key, p) in &map.purposes {
                let mut b = Block::new(&mut out, 2);
                if let Some(u) = self.use_dropped.get(key) {
                    b.comment(&format!(
                        "confirm: Fides data use `{u}` is not in the built-in taxonomy"
                    ));
                }
                b.open(key);
                let mut b = Block::new(&mut out, 4);
                match self.basis_guessed.get(key) {
                    Some(why) => b.commented("legal_basis", p.legal_basis.as_str(), why),
                    None => b.raw("legal_basis", p.legal_basis.as_str()),
                };
                b.opt("use", p.data_use.as_deref())
                    .list("data", &p.data)
                    .opt("name", p.name.as_deref());
            }
        }
        if !map.recipients.is_empty() {
            out.push_str("recipients:\n");
            for (key, r) in &map.recipients {
                Block::new(&mut out, 2).open(key);
                let mut b = Block::new(&mut out, 4);
                b.list("purposes", &r.purposes).list("data", &r.data);
                if r.country.is_none() {
                    b.comment("country: XX   # confirm: where the recipient processes the data");
                }
                b.opt("country", r.country.as_deref())
                    .opt("safeguard", r.safeguard.map(Safeguard::as_str))
                    .opt("name", r.name.as_deref());
            }
        }
        if !map.stores.is_empty() {
            out.push_str("stores:\n");
            for (key, s) in &map.stores {
                let mut body = String::new();
                Block::new(&mut body, 4)
                    .opt("entity", s.entity.as_deref())
                    .opt("location", s.location.as_deref())
                    .list("data", &s.data)
                    .opt("retention", s.retention.as_deref())
                    .list("erasure", &s.erasure)
                    .opt("description", s.description.as_deref());
                if body.is_empty() {
                    Block::new(&mut out, 2).raw(key, "{}");
                } else {
                    Block::new(&mut out, 2).open(key);
                    out.push_str(&body);
                }
            }
        }
        out
    }
}
