//! Jurisdiction profiles (`rules/jurisdictions.yml`): which countries are home to a regime, which
//! it treats as adequate, and which safeguards can make a transfer elsewhere lawful.
//!
//! Built-in profiles come first; a user's rules file that names the same profile replaces the
//! keys it gives and keeps the others.

use super::RuleError;
use serde::Deserialize;
use std::collections::BTreeMap;

/// The safeguards a data map may name for a transfer (GDPR Art. 45–49; KZ Law No. 94-V Art. 16).
pub const SAFEGUARDS: &[&str] = &[
    "adequacy",
    "standard_contractual_clauses",
    "binding_corporate_rules",
    "consent",
    "derogation",
];

/// The officially assigned ISO 3166-1 alpha-2 codes (249).
const ISO_3166_ALPHA2: &str = "\
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ \
BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ \
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ \
DE DJ DK DM DO DZ \
EC EE EG EH ER ES ET \
FI FJ FK FM FO FR \
GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY \
HK HM HN HR HT HU \
ID IE IL IM IN IO IQ IR IS IT \
JE JM JO JP \
KE KG KH KI KM KN KP KR KW KY KZ \
LA LB LC LI LK LR LS LT LU LV LY \
MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ \
NA NC NE NF NG NI NL NO NP NR NU NZ \
OM \
PA PE PF PG PH PK PL PM PN PR PS PT PW PY \
QA \
RE RO RS RU RW \
SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ \
TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ \
UA UG UM US UY UZ \
VA VC VE VG VI VN VU \
WF WS \
YE YT \
ZA ZM ZW";

/// Whether `code` is an officially assigned ISO 3166-1 alpha-2 country code (upper case).
pub fn is_country_code(code: &str) -> bool {
    code.len() == 2 && ISO_3166_ALPHA2.split(' ').any(|c| c == code)
}

/// One profile as written. Every key is optional so a user file can override one list only.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileRule {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub home: Option<Vec<String>>,
    #[serde(default)]
    pub adequate: Option<Vec<String>>,
    #[serde(default)]
    pub safeguards: Option<Vec<String>>,
}

/// A jurisdiction's rules for where personal data may go.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Profile {
    /// The key in `profiles:` (`gdpr`, `kz`).
    pub id: String,
    pub name: String,
    /// Countries inside the regime: transfers among them are not cross-border.
    pub home: Vec<String>,
    /// Countries outside `home` a transfer to which needs no further safeguard.
    pub adequate: Vec<String>,
    /// The data-map `safeguard` values that can make a transfer lawful.
    pub safeguards: Vec<String>,
}

impl Profile {
    /// Whether `country` (ISO alpha-2, any case) is inside the regime.
    pub fn is_home(&self, country: &str) -> bool {
        contains(&self.home, country)
    }

    /// Whether `country` is outside the regime but treated as adequate.
    pub fn is_adequate(&self, country: &str) -> bool {
        contains(&self.adequate, country)
    }

    /// Whether the profile accepts this `safeguard` value.
    pub fn accepts(&self, safeguard: &str) -> bool {
        self.safeguards.iter().any(|s| s == safeguard)
    }
}

fn contains(list: &[String], country: &str) -> bool {
    list.iter().any(|c| c.eq_ignore_ascii_case(country.trim()))
}

/// All profiles in force, by id.
#[derive(Clone, Debug, Default)]
pub struct Profiles {
    map: BTreeMap<String, Profile>,
}

impl Profiles {
    pub fn get(&self, id: &str) -> Option<&Profile> {
        self.map.get(id)
    }

    /// The profiles in id order.
    pub fn iter(&self) -> impl Iterator<Item = &Profile> {
        self.map.values()
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// The profiles a controller established in `country` is under: those whose `home` holds it
    /// (KZ → kz, DE → gdpr), in id order.
    pub fn for_controller_country(&self, country: &str) -> Vec<&Profile> {
        self.map.values().filter(|p| p.is_home(country)).collect()
    }

    /// Applies one file's `profiles:` section: a new id adds a profile, a known id has the keys
    /// given replaced. Countries are checked and upper-cased, safeguards checked.
    pub fn merge(
        &mut self,
        path: &str,
        rules: BTreeMap<String, ProfileRule>,
    ) -> Result<(), RuleError> {
        for (id, rule) in rules {
            let error = |message: String| RuleError {
                path: path.to_string(),
                line: 0,
                column: 0,
                message: format!("profile `{id}`: {message}"),
            };
            let is_new = !self.map.contains_key(&id);
            if is_new && (rule.name.is_none() || rule.home.is_none()) {
                return Err(error(
                    "a new profile needs `name` and `home` (or use the key of a built-in profile \
                     to override it)"
                        .into(),
                ));
            }
            let profile = self.map.entry(id.clone()).or_insert_with(|| Profile {
                id: id.clone(),
                ..Profile::default()
            });
            if let Some(name) = rule.name {
                profile.name = name;
            }
            if let Some(home) = rule.home {
                profile.home = countries(&home, "home").map_err(error)?;
            }
            if let Some(adequate) = rule.adequate {
                profile.adequate = countries(&adequate, "adequate").map_err(error)?;
            }
            if let Some(safeguards) = rule.safeguards {
                if let Some(bad) = safeguards
                    .iter()
                    .find(|s| !SAFEGUARDS.contains(&s.as_str()))
                {
                    return Err(error(format!(
                        "unknown safeguard `{bad}` (one of {})",
                        SAFEGUARDS.join(", ")
                    )));
                }
                profile.safeguards = safeguards;
            }
        }
        Ok(())
    }
}

/// Upper-cases and checks a list of country codes.
fn countries(list: &[String], key: &str) -> Result<Vec<String>, String> {
    list.iter()
        .map(|c| {
            let code = c.trim().to_ascii_uppercase();
            if is_country_code(&code) {
                Ok(code)
            } else {
                Err(format!(
                    "`{key}`: `{c}` is not an ISO 3166-1 alpha-2 country code"
                ))
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{Rules, parse_rule_file};

    #[test]
    fn country_list_is_the_assigned_codes() {
        let codes: Vec<&str> = ISO_3166_ALPHA2.split(' ').collect();
        assert_eq!(codes.len(), 249);
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted, codes, "sorted and unique");
        assert!(is_country_code("KZ"));
        assert!(is_country_code("AE"));
        assert!(!is_country_code("UK"));
        assert!(!is_country_code("EU"));
        assert!(!is_country_code("kz"));
        assert!(!is_country_code("KZZ"));
    }

    #[test]
    fn builtin_profiles_load() {
        let rules = Rules::builtin().unwrap();
        let profiles = &rules.profiles;
        assert_eq!(profiles.len(), 2);
        let gdpr = profiles.get("gdpr").unwrap();
        assert_eq!(gdpr.home.len(), 30, "EU 27 + IS, LI, NO");
        assert!(gdpr.is_home("de") && gdpr.is_home("NO") && !gdpr.is_home("GB"));
        assert!(gdpr.is_adequate("GB") && gdpr.is_adequate("US") && !gdpr.is_adequate("KZ"));
        assert!(gdpr.accepts("standard_contractual_clauses"));
        let kz = profiles.get("kz").unwrap();
        assert_eq!(kz.home, ["KZ"]);
        assert!(kz.is_adequate("DE") && kz.is_adequate("RU") && !kz.is_adequate("US"));
        assert!(kz.accepts("consent") && !kz.accepts("binding_corporate_rules"));
        // Every EEA state is a Convention 108 party.
        for c in &gdpr.home {
            assert!(kz.is_adequate(c), "{c}");
        }
        for p in profiles.iter() {
            for c in p.home.iter().chain(&p.adequate) {
                assert!(is_country_code(c), "{}: {c}", p.id);
            }
            assert!(
                p.adequate.iter().all(|c| !p.is_home(c)),
                "{}: adequate and home overlap",
                p.id
            );
        }
    }

    #[test]
    fn controller_country_selects_profiles() {
        let rules = Rules::builtin().unwrap();
        let ids = |c: &str| -> Vec<String> {
            rules
                .profiles
                .for_controller_country(c)
                .iter()
                .map(|p| p.id.clone())
                .collect()
        };
        assert_eq!(ids("KZ"), ["kz"]);
        assert_eq!(ids("DE"), ["gdpr"]);
        assert_eq!(ids("is"), ["gdpr"]);
        assert!(ids("US").is_empty());
    }

    #[test]
    fn user_file_overrides_some_keys() {
        let mut profiles = Profiles::default();
        let builtin = parse_rule_file(
            "j.yml",
            "profiles:\n  kz:\n    name: KZ\n    home: [KZ]\n    adequate: [DE]\n    safeguards: [consent]\n",
        )
        .unwrap();
        profiles.merge("j.yml", builtin.profiles).unwrap();
        let user = parse_rule_file("u.yml", "profiles:\n  kz:\n    adequate: [de, fr]\n").unwrap();
        profiles.merge("u.yml", user.profiles).unwrap();
        let kz = profiles.get("kz").unwrap();
        assert_eq!(kz.name, "KZ");
        assert_eq!(kz.adequate, ["DE", "FR"]);
        assert_eq!(kz.safeguards, ["consent"]);

        let new_without_home =
            parse_rule_file("u.yml", "profiles:\n  br:\n    name: LGPD\n").unwrap();
        let err = profiles
            .merge("u.yml", new_without_home.profiles)
            .unwrap_err();
        assert!(err.message.contains("home"), "{err}");
        let bad_country =
            parse_rule_file("u.yml", "profiles:\n  kz:\n    adequate: [UK]\n").unwrap();
        let err = profiles.merge("u.yml", bad_country.profiles).unwrap_err();
        assert!(err.message.contains("`UK`"), "{err}");
        let bad_safeguard =
            parse_rule_file("u.yml", "profiles:\n  kz:\n    safeguards: [pinky_swear]\n").unwrap();
        assert!(profiles.merge("u.yml", bad_safeguard.profiles).is_err());
        let unknown_key =
            parse_rule_file("u.yml", "profiles:\n  kz:\n    adequte: [DE]\n").unwrap_err();
        assert!(unknown_key.message.contains("adequte"), "{unknown_key}");
    }
}
