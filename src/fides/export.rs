//! Data map → one Fides manifest.

use super::yaml::{Block, flow, scalar};
use super::{LEGAL_BASES, is_fides_key, snake_key};
use crate::datamap::{DataMap, Safeguard, Store};
use crate::taxonomy::Taxonomy;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// The data use written for a purpose that has no `use:`.
pub const DEFAULT_USE: &str = "essential.service";

/// Writes a data map as one Fides manifest: an `organization` from the controller, custom
/// `data_category` resources, one `system` (`system_key`) with a privacy declaration per
/// purpose, and a `dataset` per store. `source` names the data map in the header comment.
pub fn export(map: &DataMap, system_key: &str, source: &str) -> String {
    let taxonomy = Taxonomy::builtin();
    let mut out = String::new();
    writeln!(
        out,
        "# Fides manifest written by `privlint export-fides` from {source}.\n\
         # What Fides has no field for is kept under `meta.privlint`."
    )
    .ok();
    let org_key = map.controller.as_ref().map_or_else(
        || "default_organization".to_string(),
        |c| snake_key(&c.name, "organization"),
    );
    organization(map, &org_key, &mut out);
    data_categories(map, &taxonomy, &mut out);
    system(map, system_key, &org_key, &mut out);
    datasets(map, &org_key, &mut out);
    out
}

/// A Fides key from a data-map key: as it is when valid, else in snake case.
fn fides_key(key: &str) -> String {
    if is_fides_key(key) {
        key.to_string()
    } else {
        snake_key(key, "key")
    }
}

fn category_of<'m>(map: &'m DataMap, element: &str) -> Option<&'m str> {
    map.data.get(element).map(|e| e.category.as_str())
}

/// The categories of some elements, in order, once each.
fn categories_of<'m>(map: &'m DataMap, elements: &[String]) -> Vec<&'m str> {
    let mut out: Vec<&str> = Vec::new();
    for e in elements {
        if let Some(c) = category_of(map, e)
            && !out.contains(&c)
        {
            out.push(c);
        }
    }
    out
}

fn organization(map: &DataMap, org_key: &str, out: &mut String) {
    let Some(c) = &map.controller else {
        return;
    };
    out.push_str("organization:\n");
    Block::new(out, 2).item("fides_key", org_key);
    Block::new(out, 4).raw("name", &scalar(&c.name));
    contact(
        out,
        "controller",
        Some(&c.name),
        c.contact.as_deref(),
        c.address.as_deref(),
    );
    if let Some(d) = &c.dpo {
        contact(
            out,
            "data_protection_officer",
            d.name.as_ref(),
            d.contact.as_deref(),
            None,
        );
    }
    if let Some(r) = &c.representative {
        contact(out, "representative", Some(r), None, None);
    }
}

/// A Fides `ContactDetails` block: an email-like contact goes to `email`, anything else to
/// `phone` only when it looks like one, else to `email` as well.
fn contact(
    out: &mut String,
    key: &str,
    name: Option<&String>,
    reach: Option<&str>,
    address: Option<&str>,
) {
    Block::new(out, 4).open(key);
    let mut b = Block::new(out, 6);
    b.opt("name", name.map(String::as_str));
    if let Some(r) = reach {
        let phone = r.starts_with('+') && r.chars().skip(1).all(|c| c.is_ascii_digit() || c == ' ');
        b.opt(if phone { "phone" } else { "email" }, Some(r));
    }
    b.opt("address", address);
}

/// A `data_category` for each element category Fides does not list: the data map's custom
/// categories, and refinements of Fides leaves (`user.contact.email.work`).
fn data_categories(map: &DataMap, taxonomy: &Taxonomy, out: &mut String) {
    let mut keys: BTreeSet<&str> = map.categories.keys().map(String::as_str).collect();
    keys.extend(
        map.data
            .values()
            .map(|e| e.category.as_str())
            .filter(|c| !taxonomy.categories.contains_key(*c)),
    );
    if keys.is_empty() {
        return;
    }
    out.push_str("data_category:\n");
    for key in keys {
        let custom = map.categories.get(key);
        let name = custom
            .map(|c| c.name.as_str())
            .or_else(|| taxonomy.category_name(key))
            .unwrap_or(key);
        Block::new(out, 2).item("fides_key", key);
        let mut b = Block::new(out, 4);
        b.raw("name", &scalar(name))
            .opt("description", custom.and_then(|c| c.description.as_deref()))
            .opt("parent_key", key.rsplit_once('.').map(|(p, _)| p));
    }
}

fn system(map: &DataMap, system_key: &str, org_key: &str, out: &mut String) {
    out.push_str("system:\n");
    Block::new(out, 2).item("fides_key", system_key);
    let mut b = Block::new(out, 4);
    b.raw("name", &scalar(system_key))
        .raw("organization_fides_key", &scalar(org_key))
        .raw("system_type", "Service")
        .opt(
            "administrating_department",
            map.controller
                .as_ref()
                .and_then(|c| c.department.as_deref()),
        );
    let stores: Vec<String> = map.stores.keys().map(|k| fides_key(k)).collect();
    b.list("dataset_references", &stores);
    let kept: Vec<(&String, Vec<String>)> = map
        .recipients
        .iter()
        .map(|(k, r)| {
            let mut fields = Vec::new();
            if let Some(n) = &r.name {
                fields.push(format!("name: {}", scalar(n)));
            }
            if let Some(c) = &r.country {
                fields.push(format!("country: {}", scalar(c)));
            }
            if let Some(s) = r.safeguard {
                fields.push(format!("safeguard: {}", s.as_str()));
            }
            (k, fields)
        })
        .filter(|(_, f)| !f.is_empty())
        .collect();
    if !kept.is_empty() {
        b.open("meta");
        Block::new(out, 6).open("privlint");
        Block::new(out, 8).open("recipients");
        for (k, fields) in kept {
            Block::new(out, 10).raw(&fides_key(k), &format!("{{ {} }}", fields.join(", ")));
        }
    }
    // Fides has one basis for transfers per system: written when every recipient has the same.
    let safeguards: BTreeSet<Option<Safeguard>> =
        map.recipients.values().map(|r| r.safeguard).collect();
    if let [Some(only)] = safeguards.into_iter().collect::<Vec<_>>()[..]
        && let Some((fides, _)) = super::TRANSFER_BASES.iter().find(|(_, s)| *s == only)
    {
        Block::new(out, 4)
            .raw("does_international_transfers", "true")
            .raw("legal_basis_for_transfers", &scalar(fides));
    }
    if !map.recipients.is_empty() {
        Block::new(out, 4).open("egress");
        for (key, r) in &map.recipients {
            Block::new(out, 6).item("fides_key", &fides_key(key));
            Block::new(out, 8)
                .raw("type", "system")
                .raw("data_categories", &flow(&categories_of(map, &r.data)));
        }
    }
    Block::new(out, 4).open("privacy_declarations");
    for (key, p) in &map.purposes {
        Block::new(out, 6).item("name", p.name.as_deref().unwrap_or(key));
        let mut b = Block::new(out, 8);
        match &p.data_use {
            Some(u) => b.raw("data_use", &scalar(u)),
            None => b.commented(
                "data_use",
                DEFAULT_USE,
                &format!("confirm: purpose `{key}` has no `use:` in the data map"),
            ),
        };
        b.raw("data_categories", &flow(&categories_of(map, &p.data)));
        let subjects: BTreeSet<String> = p
            .data
            .iter()
            .filter_map(|e| map.data.get(e))
            .flat_map(|e| e.subjects.iter())
            .map(|s| fides_key(s))
            .collect();
        b.raw(
            "data_subjects",
            &flow(&subjects.into_iter().collect::<Vec<_>>()),
        );
        let basis = LEGAL_BASES
            .iter()
            .find(|(_, b)| *b == p.legal_basis)
            .map_or("Contract", |(f, _)| f);
        b.raw("legal_basis_for_processing", &scalar(basis));
        let served: Vec<(&String, &crate::datamap::Recipient)> = map
            .recipients
            .iter()
            .filter(|(_, r)| r.purposes.iter().any(|x| x == key))
            .collect();
        if !served.is_empty() {
            let keys: Vec<String> = served.iter().map(|(k, _)| fides_key(k)).collect();
            let names: Vec<&str> = served
                .iter()
                .map(|(k, r)| r.name.as_deref().unwrap_or(k))
                .collect();
            let mut shared: Vec<String> = Vec::new();
            for (_, r) in &served {
                shared.extend(categories_of(map, &r.data).into_iter().map(str::to_string));
            }
            shared.sort();
            shared.dedup();
            b.list("egress", &keys)
                .raw("data_shared_with_third_parties", "true")
                .raw("third_parties", &scalar(&names.join(", ")))
                .list("shared_categories", &shared);
        }
        let refs: Vec<String> = map
            .stores
            .iter()
            .filter(|(_, s)| s.data.iter().any(|d| p.data.contains(d)))
            .map(|(k, _)| fides_key(k))
            .collect();
        b.list("dataset_references", &refs);
    }
}

/// One field path's categories, with nested fields.
#[derive(Default)]
struct FieldNode {
    categories: Vec<String>,
    fields: BTreeMap<String, FieldNode>,
}

fn datasets(map: &DataMap, org_key: &str, out: &mut String) {
    if map.stores.is_empty() {
        return;
    }
    out.push_str("dataset:\n");
    let entities: BTreeSet<&str> = map
        .stores
        .values()
        .filter_map(|s| s.entity.as_deref())
        .collect();
    for (key, store) in &map.stores {
        let (collections, loose) = collections(map, store, &entities);
        Block::new(out, 2).item("fides_key", &fides_key(key));
        let mut b = Block::new(out, 4);
        b.raw("name", &scalar(key))
            .opt("description", store.description.as_deref())
            .raw("organization_fides_key", &scalar(org_key))
            .opt("retention", store.retention.as_deref());
        let mut meta = Vec::new();
        if let Some(e) = &store.entity {
            meta.push(format!("entity: {}", scalar(e)));
        }
        if let Some(l) = &store.location {
            meta.push(format!("location: {}", scalar(l)));
        }
        if !store.erasure.is_empty() {
            meta.push(format!("erasure: {}", flow(&store.erasure)));
        }
        if !meta.is_empty() {
            b.open("meta");
            Block::new(out, 6).raw("privlint", &format!("{{ {} }}", meta.join(", ")));
        }
        let mut b = Block::new(out, 4);
        b.list("data_categories", &loose);
        if collections.is_empty() {
            b.raw("collections", "[]");
            continue;
        }
        b.open("collections");
        for (name, fields) in &collections {
            Block::new(out, 6).item("name", name);
            Block::new(out, 8).open("fields");
            write_fields(fields, 10, out);
        }
    }
}

fn write_fields(fields: &BTreeMap<String, FieldNode>, indent: usize, out: &mut String) {
    for (name, node) in fields {
        Block::new(out, indent).item("name", name);
        let mut b = Block::new(out, indent + 2);
        b.list("data_categories", &node.categories);
        if !node.fields.is_empty() {
            b.open("fields");
            write_fields(&node.fields, indent + 4, out);
        }
    }
}

/// A store's collections, one per owner type of its elements' `fields:` (`Order.ship_to` →
/// collection `Order`, field `ship_to`), and the categories of its elements that have no
/// field there (written as the dataset's `data_categories`). A field belongs to the store
/// whose `entity` is its owner type; a store without an entity takes the fields whose owner
/// is no store's entity.
fn collections(
    map: &DataMap,
    store: &Store,
    entities: &BTreeSet<&str>,
) -> (BTreeMap<String, BTreeMap<String, FieldNode>>, Vec<String>) {
    let mut collections: BTreeMap<String, BTreeMap<String, FieldNode>> = BTreeMap::new();
    let mut loose: Vec<String> = Vec::new();
    for element in &store.data {
        let Some(e) = map.data.get(element) else {
            continue;
        };
        let mut placed = false;
        for field in &e.fields {
            let Some((owner, path)) = field.split_once('.') else {
                continue;
            };
            let ours = match &store.entity {
                Some(entity) => owner == entity,
                None => !entities.contains(owner),
            };
            if !ours || path.is_empty() {
                continue;
            }
            insert_field(
                collections.entry(owner.to_string()).or_default(),
                path,
                &e.category,
            );
            placed = true;
        }
        if !placed && !loose.contains(&e.category) {
            loose.push(e.category.clone());
        }
    }
    (collections, loose)
}

/// Adds `category` to the field at a dotted path (`address.city`), creating its parents.
fn insert_field(fields: &mut BTreeMap<String, FieldNode>, path: &str, category: &str) {
    let (head, rest) = match path.split_once('.') {
        Some((h, r)) => (h, Some(r)),
        None => (path, None),
    };
    let node = fields.entry(head.to_string()).or_default();
    match rest {
        Some(rest) => insert_field(&mut node.fields, rest, category),
        None => {
            if !node.categories.iter().any(|c| c == category) {
                node.categories.push(category.to_string());
            }
        }
    }
}
