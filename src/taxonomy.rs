//! The Fides data taxonomy (fideslang 3.1.4): data categories, data uses and data subjects,
//! embedded from `rules/taxonomy/fideslang-3.1.4.tsv`, plus the custom categories a data map
//! declares.
//!
//! Categories are hierarchical (`user.contact.address` is under `user.contact`). A key that is
//! not listed is still a category when it extends a listed key that has no children of its own
//! (`user.contact.email.work` under the leaf `user.contact.email`): deeper detail than the
//! taxonomy gives is fine, but a misspelt child of a key that has children
//! (`user.contact.emial`) is not.

use std::collections::BTreeMap;

const FIDESLANG: &str = include_str!("../rules/taxonomy/fideslang-3.1.4.tsv");

/// Which list of the taxonomy a key belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// What the data is (`user.contact.email`).
    Category,
    /// What the data is used for (`marketing.communications.email`).
    Use,
    /// Whose data it is (`customer`).
    Subject,
}

/// One key of the taxonomy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaxonomyEntry {
    /// Dotted key (`user.contact.email`).
    pub key: String,
    /// Human name (`User Contact Email`).
    pub name: String,
    /// The parent key, if any (`user.contact`).
    pub parent: Option<String>,
}

/// The taxonomy in force: the built-in Fides lists plus custom categories.
#[derive(Clone, Debug, Default)]
pub struct Taxonomy {
    pub categories: BTreeMap<String, TaxonomyEntry>,
    pub uses: BTreeMap<String, TaxonomyEntry>,
    pub subjects: BTreeMap<String, TaxonomyEntry>,
}

impl Taxonomy {
    /// The default Fides taxonomy, embedded in the binary.
    pub fn builtin() -> Self {
        let mut taxonomy = Self::default();
        for line in FIDESLANG.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let mut cols = line.split('\t');
            let (Some(kind), Some(key), name, parent) =
                (cols.next(), cols.next(), cols.next(), cols.next())
            else {
                continue;
            };
            let entry = TaxonomyEntry {
                key: key.to_string(),
                name: name.unwrap_or(key).to_string(),
                parent: parent.filter(|p| !p.is_empty()).map(str::to_string),
            };
            let list = match kind {
                "data_category" => &mut taxonomy.categories,
                "data_use" => &mut taxonomy.uses,
                "data_subject" => &mut taxonomy.subjects,
                _ => continue,
            };
            list.insert(entry.key.clone(), entry);
        }
        taxonomy
    }

    fn list(&self, kind: Kind) -> &BTreeMap<String, TaxonomyEntry> {
        match kind {
            Kind::Category => &self.categories,
            Kind::Use => &self.uses,
            Kind::Subject => &self.subjects,
        }
    }

    /// Adds a custom data category (from a data map's `categories:`).
    pub fn add_custom(&mut self, key: &str, name: &str, parent: Option<&str>) {
        self.categories.insert(
            key.to_string(),
            TaxonomyEntry {
                key: key.to_string(),
                name: name.to_string(),
                parent: parent.map(str::to_string),
            },
        );
    }

    /// Whether `key` is a data category: listed, or deeper than a listed key with no children.
    pub fn is_category(&self, key: &str) -> bool {
        is_known(&self.categories, key)
    }

    /// Whether `key` is a data use, with the same hierarchical rule as categories.
    pub fn is_use(&self, key: &str) -> bool {
        is_known(&self.uses, key)
    }

    /// Whether `key` is a listed data subject.
    pub fn is_subject(&self, key: &str) -> bool {
        self.subjects.contains_key(key)
    }

    /// The human name of a category, or of the listed key it extends.
    pub fn category_name(&self, key: &str) -> Option<&str> {
        let mut k = key;
        loop {
            if let Some(e) = self.categories.get(k) {
                return Some(&e.name);
            }
            k = &k[..k.rfind('.')?];
        }
    }

    /// The closest listed key of that kind, for a did-you-mean.
    pub fn suggest(&self, kind: Kind, key: &str) -> Option<String> {
        did_you_mean(key, self.list(kind).keys().map(String::as_str)).map(str::to_string)
    }
}

fn is_known(list: &BTreeMap<String, TaxonomyEntry>, key: &str) -> bool {
    if key.is_empty() || key.split('.').any(str::is_empty) {
        return false;
    }
    if list.contains_key(key) {
        return true;
    }
    let mut prefix = key;
    while let Some(dot) = prefix.rfind('.') {
        prefix = &prefix[..dot];
        if list.contains_key(prefix) {
            let with_dot = format!("{prefix}.");
            // A leaf may be refined; a key with children must name one of them.
            return !list
                .range(with_dot.clone()..)
                .next()
                .is_some_and(|(k, _)| k.starts_with(&with_dot));
        }
    }
    false
}

/// The candidate closest to `word` (edit distance, transpositions count as one), if it is close
/// enough to be a likely typo: at most a third of the longer word's length, and at least 1.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(&lower, &c.to_lowercase()), c))
        .filter(|&(d, c)| {
            let longest = word.chars().count().max(c.chars().count());
            d <= (longest / 3).max(1) && c != word
        })
        .min_by_key(|&(d, c)| (d, c))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_has_all_three_lists() {
        let t = Taxonomy::builtin();
        assert_eq!(t.categories.len(), 85);
        assert_eq!(t.uses.len(), 56);
        assert_eq!(t.subjects.len(), 15);
        assert_eq!(
            t.categories["user.contact.email"].parent.as_deref(),
            Some("user.contact")
        );
        assert_eq!(
            t.category_name("user.contact.email"),
            Some("User Contact Email")
        );
    }

    #[test]
    fn hierarchy_allows_refining_leaves_only() {
        let t = Taxonomy::builtin();
        assert!(t.is_category("user.contact.address"));
        assert!(t.is_category("user.contact.email.work"));
        assert!(!t.is_category("user.contact.emial"));
        assert!(!t.is_category("nope"));
        assert!(!t.is_category("user..email"));
        assert_eq!(
            t.category_name("user.contact.email.work"),
            Some("User Contact Email")
        );
        assert!(t.is_use("essential.service"));
        assert!(t.is_use("marketing.communications.email"));
        assert!(t.is_subject("customer"));
    }

    #[test]
    fn every_classifier_category_is_a_fides_key() {
        let t = Taxonomy::builtin();
        let rules = crate::rules::Rules::builtin().expect("built-in rules");
        for c in rules.classifier.categories() {
            assert!(t.is_category(&c.key), "{} is not in the taxonomy", c.key);
        }
    }

    #[test]
    fn suggestions() {
        let t = Taxonomy::builtin();
        assert_eq!(
            t.suggest(Kind::Category, "user.contact.emial").as_deref(),
            Some("user.contact.email")
        );
        assert_eq!(
            t.suggest(Kind::Use, "essential.servce").as_deref(),
            Some("essential.service")
        );
        assert_eq!(t.suggest(Kind::Category, "zzzzzz"), None);
        let mut t = t;
        t.add_custom(
            "user.custom.loyalty_id",
            "Loyalty card",
            Some("user.unique_id"),
        );
        assert!(t.is_category("user.custom.loyalty_id"));
    }
}
