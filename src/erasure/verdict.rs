//! Whether the erasure of each store is implemented, as the record of processing states it:
//! the same analysis `missing-erasure` reports on, summed up per store.

use super::Stores;
use crate::attribution::covers;
use crate::datamap::DataMap;
use crate::finding::Location;
use crate::graph::Program;
use crate::graph::calls::CallGraph;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// How far the code backs the erasure of a store.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErasureStatus {
    /// An erasure entry point the data map declares reaches a deletion or anonymisation of it.
    Verified,
    /// Code that runs deletes or anonymises it, but no declared erasure entry point reaches
    /// that code, so nothing ties it to a data subject's request.
    NotLinked,
    /// Erasure entry points are declared for its data subjects, and none reaches it.
    Incomplete,
    /// Code deletes or anonymises it, but nothing that runs calls that code.
    Unreachable,
    /// No code deletes or anonymises it.
    Missing,
    /// The data map declares it, and no model or table of the code is it: not checked.
    NotInCode,
}

impl ErasureStatus {
    /// In plain words, for reports.
    pub fn label(self) -> &'static str {
        match self {
            Self::Verified => "verified: the declared erasure entry point reaches it",
            Self::NotLinked => "implemented, but no declared erasure entry point reaches it",
            Self::Incomplete => "not verified: the declared erasure entry points miss it",
            Self::Unreachable => "not verified: its deletion code is never run",
            Self::Missing => "missing: no code deletes or anonymises it",
            Self::NotInCode => "not checked: the store is not found in the scanned code",
        }
    }

    /// The key written in the JSON record (`not_linked`).
    pub fn key(self) -> &'static str {
        match self {
            Self::Verified => "verified",
            Self::NotLinked => "not_linked",
            Self::Incomplete => "incomplete",
            Self::Unreachable => "unreachable",
            Self::Missing => "missing",
            Self::NotInCode => "not_in_code",
        }
    }

    /// Whether the record can state that erasure works.
    pub fn is_verified(self) -> bool {
        self == Self::Verified
    }
}

/// A function that deletes or anonymises a store.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Eraser {
    /// `Type.method` or `function`.
    pub function: String,
    /// `delete`, `anonymise`, or `purge` (old rows only: an age filter or a time to live).
    pub how: String,
    pub location: Location,
    /// Whether some entry point reaches it.
    pub reachable: bool,
}

/// The erasure of one store.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreErasure {
    /// The data map's key for it, or the code's name when the data map does not declare it.
    pub key: String,
    /// Whether the data map declares it.
    pub declared: bool,
    /// What defines it in code (`Django model`, `SQL table`), when found.
    pub kind: Option<String>,
    /// Where the code defines it.
    pub defined_at: Option<Location>,
    /// The personal-data categories its fields hold, as found in code, sorted.
    pub categories: Vec<String>,
    pub status: ErasureStatus,
    /// The declared erasure entry points (of any store) that reach it, sorted.
    pub erased_by_entry_points: Vec<String>,
    /// The code that deletes or anonymises it, sorted by place.
    pub erasers: Vec<Eraser>,
    /// For a declared `retention`: whether a job that runs deletes or anonymises old rows.
    pub retention_enforced: Option<bool>,
    /// Details: entry points that do not exist, or that miss it.
    pub notes: Vec<String>,
}

/// The erasure of every declared store and of every store found in code that holds personal
/// data, sorted by key.
pub fn of(
    program: &Program<'_>,
    stores: &Stores,
    calls: &CallGraph,
    map: &DataMap,
) -> Vec<StoreErasure> {
    let classifier = &program.rules.classifier;
    // Declared entry points: (name, the store declaring it, the stores it erases), `None` for
    // one the code does not define.
    let mut entries: Vec<(&str, &str, Option<BTreeSet<usize>>)> = Vec::new();
    for (key, declared) in &map.stores {
        for name in &declared.erasure {
            let erased = super::entry::resolve(program, name).map(|f| stores.erased_from(calls, f));
            entries.push((name, key, erased));
        }
    }
    let subjects_of = |categories: &[String]| -> BTreeSet<&str> {
        map.data
            .values()
            .filter(|e| categories.iter().any(|c| covers(&e.category, c)))
            .flat_map(|e| e.subjects.iter().map(String::as_str))
            .collect()
    };
    let mut out = Vec::new();
    let mut seen: BTreeSet<usize> = BTreeSet::new();
    let judge = |index: Option<usize>, key: &str, declared: bool| -> StoreErasure {
        let declaration = map.stores.get(key);
        let Some(s) = index else {
            return StoreErasure {
                key: key.to_string(),
                declared,
                kind: None,
                defined_at: None,
                categories: Vec::new(),
                status: ErasureStatus::NotInCode,
                erased_by_entry_points: Vec::new(),
                erasers: Vec::new(),
                retention_enforced: None,
                notes: entries
                    .iter()
                    .filter(|(_, owner, erased)| *owner == key && erased.is_none())
                    .map(|(name, _, _)| format!("the erasure entry point `{name}` is not defined"))
                    .collect(),
            };
        };
        let store = &stores.stores[s];
        let categories: Vec<String> = store
            .categories
            .iter()
            .map(|c| classifier.category(*c).key.clone())
            .collect();
        let mut erasers: Vec<Eraser> = stores
            .erasing(s)
            .map(|o| {
                let f = program.function(o.function);
                Eraser {
                    function: f
                        .owner
                        .as_ref()
                        .map_or_else(|| f.name.clone(), |owner| format!("{owner}.{}", f.name)),
                    // An age-limited deletion or a time to live purges old rows.
                    how: match (o.kind, &o.older_than) {
                        (super::OpKind::Anonymise, _) => "anonymise",
                        (_, Some(_)) => "purge",
                        _ => "delete",
                    }
                    .to_string(),
                    location: crate::findings::location(
                        &program.units[o.function.unit as usize],
                        o.span,
                    ),
                    reachable: stores.reachable.contains(&o.function),
                }
            })
            .collect();
        erasers.sort();
        erasers.dedup();
        let mut reaching: Vec<String> = entries
            .iter()
            .filter(|(_, _, erased)| erased.as_ref().is_some_and(|e| e.contains(&s)))
            .map(|(name, _, _)| (*name).to_string())
            .collect();
        reaching.sort();
        reaching.dedup();
        let subjects = subjects_of(&categories);
        // Entry points declared for this store, or for a store holding data of the same
        // subjects: the ones an erasure request of those subjects goes through.
        let concerned: Vec<&(&str, &str, Option<BTreeSet<usize>>)> = entries
            .iter()
            .filter(|(_, owner, _)| {
                *owner == key
                    || map.stores.get(*owner).is_some_and(|o| {
                        o.data
                            .iter()
                            .filter_map(|d| map.data.get(d))
                            .any(|e| e.subjects.iter().any(|x| subjects.contains(x.as_str())))
                    })
            })
            .collect();
        let mut notes: Vec<String> = Vec::new();
        for (name, owner, erased) in &concerned {
            match erased {
                None if *owner == key => {
                    notes.push(format!("the erasure entry point `{name}` is not defined"));
                }
                Some(e) if !e.contains(&s) => {
                    notes.push(format!(
                        "the erasure entry point `{name}` does not reach it"
                    ));
                }
                _ => {}
            }
        }
        notes.sort();
        notes.dedup();
        let status = if erasers.is_empty() {
            ErasureStatus::Missing
        } else if !erasers.iter().any(|e| e.reachable) && reaching.is_empty() {
            ErasureStatus::Unreachable
        } else if !reaching.is_empty() {
            ErasureStatus::Verified
        } else if concerned.is_empty() {
            ErasureStatus::NotLinked
        } else {
            ErasureStatus::Incomplete
        };
        let retention_enforced = declaration
            .and_then(|d| d.retention.as_ref())
            .map(|_| stores.purged_by_age(s));
        StoreErasure {
            key: key.to_string(),
            declared,
            kind: Some(store.kind.clone()),
            defined_at: Some(crate::findings::location(
                &program.units[store.unit as usize],
                store.span,
            )),
            categories,
            status,
            erased_by_entry_points: reaching,
            erasers,
            retention_enforced,
            notes,
        }
    };
    for (key, declared) in &map.stores {
        let index = stores.of_declared(key, declared);
        seen.extend(index);
        out.push(judge(index, key, true));
    }
    for (i, store) in stores.stores.iter().enumerate() {
        if store.categories.is_empty()
            || seen.contains(&i)
            || program.units[store.unit as usize].is_test
        {
            continue;
        }
        let key = super::declared_key(map, store).to_string();
        out.push(judge(Some(i), &key, false));
    }
    out.sort_by(|a, b| a.key.cmp(&b.key).then(a.declared.cmp(&b.declared)));
    out
}
