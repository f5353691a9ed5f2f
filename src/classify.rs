//! Names and literal values → personal-data categories, from `rules/categories.yml`.
//! (stub: to be implemented)

use serde::Deserialize;

/// Index of a category in the classifier's table.
pub type CategoryId = usize;

/// One category as written in a rules file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryRule {
    pub key: String,
    pub name: String,
}

#[derive(Clone, Debug)]
pub struct Category {
    /// Fides taxonomy key.
    pub key: String,
    /// Human name.
    pub name: String,
    /// Identifies a person on its own (email, phone, IIN): flagged in logs.
    pub identifier: bool,
    /// An internal key (`user_id`): personal data, but not flagged in logs by default.
    pub pseudonymous: bool,
}

#[derive(Clone, Debug, Default)]
pub struct Classifier {
    categories: Vec<Category>,
}

impl Classifier {
    pub fn new(rules: &[CategoryRule], negatives: &[String]) -> Result<Self, String> {
        let _ = (rules, negatives);
        Ok(Self::default())
    }
    pub fn classify_name(&self, name: &str) -> Option<CategoryId> {
        let _ = name;
        None
    }
    pub fn classify_value(&self, value: &str) -> Option<CategoryId> {
        let _ = value;
        None
    }
    pub fn category(&self, id: CategoryId) -> &Category {
        &self.categories[id]
    }
    pub fn categories(&self) -> &[Category] {
        &self.categories
    }
}

pub fn tokens(name: &str) -> Vec<String> {
    name.split('_').map(str::to_lowercase).collect()
}
