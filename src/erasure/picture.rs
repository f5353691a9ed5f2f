//! The picture `privlint graph` draws: which personal data each store holds, and which code
//! writes, deletes or anonymises it. Built here from the analysis; rendered by
//! `report::graph`.

use super::{OpKind, Stores};
use crate::attribution::covers;
use crate::datamap::DataMap;
use crate::graph::Program;
use serde::Serialize;
use std::collections::BTreeSet;

#[derive(Clone, Debug, Default, Serialize)]
pub struct Picture {
    /// Data elements (the data map's keys, or category keys without a data map).
    pub elements: Vec<ElementNode>,
    pub stores: Vec<StoreNode>,
    /// Functions that delete or anonymise a store.
    pub functions: Vec<FunctionNode>,
    pub edges: Vec<Edge>,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct ElementNode {
    pub id: String,
    pub category: String,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct StoreNode {
    pub id: String,
    pub kind: String,
    /// `path:line` of its definition.
    pub defined_at: String,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct FunctionNode {
    pub id: String,
    pub name: String,
    pub defined_at: String,
    /// Whether some entry point reaches it.
    pub reachable: bool,
}

#[derive(Clone, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Edge {
    pub from: String,
    pub to: String,
    /// `stored in`, `deletes`, `anonymises`.
    pub label: String,
}

/// What to keep: one element, one store, one purpose's elements (all when `None`).
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub data: Option<String>,
    pub store: Option<String>,
    pub purpose: Option<String>,
}

impl Picture {
    pub fn build(
        program: &Program<'_>,
        stores: &Stores,
        map: Option<&DataMap>,
        filter: &Filter,
    ) -> Self {
        let classifier = &program.rules.classifier;
        let mut picture = Picture::default();
        let purpose_data: Option<BTreeSet<&str>> = filter.purpose.as_deref().map(|p| {
            map.and_then(|m| m.purposes.get(p))
                .map(|p| p.data.iter().map(String::as_str).collect())
                .unwrap_or_default()
        });
        let location = |unit: u32, span: crate::ir::Span| {
            let u = &program.units[unit as usize];
            let (line, _) = u.line_col(span.start as usize);
            format!("{}:{line}", u.display)
        };
        for (i, store) in stores.stores.iter().enumerate() {
            let key = map.map_or(store.key.as_str(), |m| super::declared_key(m, store));
            if store.categories.is_empty()
                || filter.store.as_deref().is_some_and(|s| {
                    s != key && s != store.key && Some(s) != store.entity.as_deref()
                })
            {
                continue;
            }
            let store_id = format!("store:{key}");
            let mut held = Vec::new();
            for c in &store.categories {
                let key = &classifier.category(*c).key;
                // The data map's elements that cover the category, else the category itself.
                let elements: Vec<(String, String)> = match map {
                    Some(m) => m
                        .data
                        .iter()
                        .filter(|(_, e)| covers(&e.category, key))
                        .map(|(k, e)| (k.clone(), e.category.clone()))
                        .collect(),
                    None => vec![(key.clone(), key.clone())],
                };
                held.extend(elements);
            }
            held.retain(|(k, _)| {
                filter.data.as_deref().is_none_or(|d| d == k)
                    && purpose_data.as_ref().is_none_or(|p| p.contains(k.as_str()))
            });
            if held.is_empty() {
                continue;
            }
            picture.stores.push(StoreNode {
                id: store_id.clone(),
                kind: store.kind.clone(),
                defined_at: location(store.unit, store.span),
            });
            for (key, category) in held {
                let id = format!("data:{key}");
                if !picture.elements.iter().any(|e| e.id == id) {
                    picture.elements.push(ElementNode {
                        id: id.clone(),
                        category,
                    });
                }
                picture.edges.push(Edge {
                    from: id,
                    to: store_id.clone(),
                    label: "stored in".into(),
                });
            }
            for op in stores
                .ops
                .iter()
                .filter(|o| o.kind.erases() && o.store == i)
            {
                let f = program.function(op.function);
                let name = f
                    .owner
                    .as_ref()
                    .map_or_else(|| f.name.clone(), |o| format!("{o}.{}", f.name));
                let id = format!(
                    "fn:{}:{name}",
                    program.units[op.function.unit as usize].display
                );
                if !picture.functions.iter().any(|n| n.id == id) {
                    picture.functions.push(FunctionNode {
                        id: id.clone(),
                        name,
                        defined_at: location(op.function.unit, f.span),
                        reachable: stores.reachable.contains(&op.function),
                    });
                }
                picture.edges.push(Edge {
                    from: id,
                    to: store_id.clone(),
                    label: if op.kind == OpKind::Delete {
                        "deletes"
                    } else {
                        "anonymises"
                    }
                    .into(),
                });
            }
        }
        picture.elements.sort();
        picture.stores.sort();
        picture.functions.sort();
        picture.edges.sort();
        picture.edges.dedup();
        picture
    }
}
