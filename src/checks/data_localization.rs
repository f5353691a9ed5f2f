//! # data-localization
//!
//! ## What it finds
//! Under the Kazakhstan profile (`--profile kz`, or on by default when the data map's
//! controller is in KZ): a store of personal data whose `location` is outside Kazakhstan, or a
//! store of personal data that does not say where it is.
//!
//! ## Why it matters
//! Kazakhstan's Law on Personal Data and their Protection (No. 94-V, Article 12(2)) requires
//! personal data of the country's citizens to be stored in databases located on its territory;
//! copying it abroad is a cross-border transfer on top of that (see `cross-border-transfer`).
//! Regulators check where the primary database is, not where the code runs.
//!
//! ## Example
//! ```yaml
//! controller: { name: Dala Market LLP, country: KZ }
//! stores:
//!   analytics: { entity: Event, location: DE, data: [email] }
//! ```
//!
//! ## Use instead
//! ```yaml
//!   analytics: { entity: Event, location: KZ, data: [email] }   # a KZ region of the provider
//! ```
//!
//! ## How to fix or suppress
//! Keep the primary copy of citizens' personal data in Kazakhstan and declare `location: KZ`;
//! keep only anonymised or non-citizen data in foreign stores. A store that holds no personal
//! data of Kazakh citizens should list no such elements in its `data:`.

use super::{Check, Context, join_keys};
use crate::datamap::pointer_escape;
use crate::finding::{Finding, Severity};

pub static CHECK: Check = Check {
    id: "data-localization",
    severity: Severity::Error,
    summary: "Under the Kazakhstan profile, a store of personal data located outside Kazakhstan.",
    doc: include_str!("data_localization.rs"),
    run,
};

fn run(cx: &Context<'_, '_>) -> Vec<Finding> {
    let Some(att) = cx.datamap else {
        return Vec::new();
    };
    let Some(profile) = cx.profiles.iter().find(|p| p.id == "kz") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (key, store) in &att.map.stores {
        if store.data.is_empty() {
            continue;
        }
        let pointer = format!("/stores/{}", pointer_escape(key));
        let held = join_keys(&store.data);
        match store.location.as_deref() {
            Some(location) if profile.is_home(location) => {}
            Some(location) => out.extend(cx.declaration_finding(
                CHECK.id,
                CHECK.severity,
                &format!("{pointer}/location"),
                format!(
                    "The store `{key}` holds personal data ({held}) and is located in {location}, \
                     outside Kazakhstan, where the law requires citizens' personal data to be \
                     stored"
                ),
                format!(
                    "move the store (or its primary copy) to a database in Kazakhstan and set \
                     `location: KZ`, or keep only anonymised data or data of non-citizens in it \
                     and remove those elements from `stores.{key}.data`"
                ),
                Vec::new(),
            )),
            None => out.extend(cx.declaration_finding(
                CHECK.id,
                CHECK.severity,
                &pointer,
                format!(
                    "The store `{key}` holds personal data ({held}) but does not say where it is \
                     located; under the Kazakhstan profile it must be in Kazakhstan"
                ),
                format!("add `location: KZ` to `stores.{key}` once the database is in Kazakhstan"),
                Vec::new(),
            )),
        }
    }
    out
}
