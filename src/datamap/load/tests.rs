//! One test per kind of problem: the message, the did-you-mean, and the exact line and column.

use super::*;
use std::fs;

const FULL: &str = include_str!("../../../tests/data/datamap-full.yml");

fn load_text(text: &str) -> Result<DataMap, Vec<Problem>> {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("datamap.yml");
    fs::write(&path, text).expect("write");
    load(&path, &Taxonomy::builtin())
}

fn problems(text: &str) -> Vec<Problem> {
    match load_text(text) {
        Ok(_) => panic!("expected problems in:\n{text}"),
        Err(p) => p,
    }
}

/// The one problem of `text`, checked for its position and message.
#[track_caller]
fn one(text: &str, line: u32, column: u32, message: &str) -> Problem {
    let all = problems(text);
    assert_eq!(all.len(), 1, "{all:#?}");
    let p = all.into_iter().next().expect("one problem");
    assert!(p.message.contains(message), "{p}");
    assert_eq!((p.line, p.column), (line, column), "{p}");
    p
}

#[track_caller]
fn help_has(p: &Problem, text: &str) {
    assert!(p.help.contains(text), "{p}");
}

#[test]
fn full_example_loads() {
    let map = load_text(FULL).unwrap_or_else(|p| panic!("{p:#?}"));
    assert_eq!(map.version, 1);
    let controller = map.controller.as_ref().expect("controller");
    assert_eq!(controller.country.as_deref(), Some("KZ"));
    assert_eq!(
        controller.dpo.as_ref().and_then(|d| d.contact.as_deref()),
        Some("dpo@dala.kz")
    );
    assert!(map.categories["user.custom.loyalty_id"].identifier);
    assert_eq!(map.data.len(), 7);
    assert_eq!(map.purposes["marketing"].legal_basis, LegalBasis::Consent);
    assert_eq!(
        map.purposes["accounts"].data_use.as_deref(),
        Some("essential.service")
    );
    assert_eq!(
        map.recipients["mailgun"].safeguard,
        Some(Safeguard::StandardContractualClauses)
    );
    assert_eq!(map.stores["orders"].retention.as_deref(), Some("P1Y6M"));
    assert_eq!(map.logging.allow[0].purpose, "security");
    assert_eq!(map.files.len(), 1);
    assert_eq!(Some(map.root.as_path()), map.files[0].0.parent());
}

use super::super::{LegalBasis, Safeguard};

#[test]
fn locate_finds_keys_and_items() {
    let map = load_text(FULL).unwrap_or_else(|p| panic!("{p:#?}"));
    let text = &map.files[0].1;
    let marketing = map.locate("/purposes/marketing").expect("located");
    assert_eq!((marketing.line, marketing.column), (24, 3));
    assert_eq!(&text[marketing.start..marketing.end], "marketing");
    let item = map.locate("/purposes/marketing/data/1").expect("item");
    assert_eq!((item.line, item.column), (24, 52));
    assert_eq!(&text[item.start..item.end], "loyalty");
    let country = map.locate("/recipients/mailgun/country").expect("key");
    assert_eq!((country.line, country.column), (45, 5));
    assert_eq!(&text[country.start..country.end], "country");
    let value = map
        .locate_value("/recipients/mailgun/country")
        .expect("value");
    assert_eq!(&text[value.start..value.end], "US");
    let allow = map.locate("/logging/allow/0/purpose").expect("allow");
    assert_eq!(allow.line, 59);
    assert!(map.locate("/purposes/nope").is_none());
}

#[test]
fn empty_file() {
    for text in ["", "# only a comment\n\n", "{}\n"] {
        let p = one(text, 1, 1, "the data map is empty");
        help_has(&p, "version: 1");
    }
}

#[test]
fn yaml_syntax_error() {
    let p = one("version: 1\ndata: [email\n", 2, 7, "YAML syntax error");
    help_has(&p, "syntax");
}

#[test]
fn duplicate_key() {
    let p = one(
        "version: 1\ndata:\n  email: { category: user.contact.email }\n  email: { category: user.contact.email }\n",
        4,
        3,
        "duplicate key `email`",
    );
    help_has(&p, "once");
}

#[test]
fn alias_bomb() {
    let mut text = String::from(
        "version: 1\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let mut previous = 'a';
    for name in ['b', 'c', 'd', 'e', 'f', 'g', 'h'] {
        let refs = vec![format!("*{previous}"); 9].join(",");
        let _ = writeln!(text, "{name}: &{name} [{refs}]");
        previous = name;
    }
    let all = problems(&text);
    assert_eq!(all.len(), 1, "{all:#?}");
    assert!(all[0].message.contains("billion laughs"), "{}", all[0]);
    assert!(all[0].line >= 2, "{}", all[0]);
}

#[test]
fn top_level_not_a_mapping() {
    let p = one("- version: 1\n", 1, 1, "must be a mapping of sections");
    assert!(p.message.contains("found a list"), "{p}");
}

#[test]
fn version_missing() {
    let p = one("data: {}\n", 1, 1, "has no `version`");
    help_has(&p, "version: 1");
}

#[test]
fn version_not_one() {
    let p = one("version: 2\n", 1, 10, "unsupported data-map version 2");
    help_has(&p, "version: 1");
    one(
        "version: \"1\"\n",
        1,
        10,
        "`version` should be a whole number, found a string",
    );
}

#[test]
fn unknown_key_top_level() {
    let p = one(
        "version: 1\npurpose: {}\n",
        2,
        1,
        "unknown key `purpose` in the top level",
    );
    help_has(&p, "did you mean `purposes`?");
}

#[test]
fn unknown_key_nested() {
    let p = one(
        "version: 1\ndata:\n  email: { category: user.contact.email }\npurposes:\n  accounts:\n    legal_basis: contract\n    legal_bases: consent\n",
        7,
        5,
        "unknown key `legal_bases` in `purposes.accounts`",
    );
    help_has(&p, "did you mean `legal_basis`?");
}

#[test]
fn missing_required_key() {
    let p = one(
        "version: 1\npurposes:\n  accounts: { data: [] }\n",
        3,
        3,
        "`purposes.accounts` has no `legal_basis`",
    );
    help_has(&p, "contract");
}

#[test]
fn wrong_value_type() {
    let p = one(
        "version: 1\ndata:\n  email: { category: user.contact.email, subjects: customer }\n",
        3,
        52,
        "`data.email.subjects` should be a list",
    );
    help_has(&p, "[customer]");
    one(
        "version: 1\ndata:\n  email: [user.contact.email]\n",
        3,
        10,
        "`data.email` should be a mapping",
    );
}

#[test]
fn purpose_refers_to_unknown_element() {
    let p = one(
        "version: 1\ndata:\n  email: { category: user.contact.email }\npurposes:\n  accounts: { legal_basis: contract, data: [emial] }\n",
        5,
        45,
        "purpose `accounts` refers to element `emial`, which is not declared under `data`",
    );
    help_has(&p, "did you mean `email`?");
}

#[test]
fn recipient_store_and_logging_refer_to_unknown_elements() {
    let text = "version: 1\n\
data:\n  email: { category: user.contact.email }\n\
purposes:\n  accounts: { legal_basis: contract }\n\
recipients:\n  mailgun: { purposes: [accounts], data: [emails] }\n\
stores:\n  users: { data: [mail] }\n\
logging:\n  allow: [{ data: ip, purpose: accounts }]\n";
    let all = problems(text);
    assert_eq!(all.len(), 3, "{all:#?}");
    assert!(
        all[0]
            .message
            .contains("recipient `mailgun` refers to element `emails`"),
        "{}",
        all[0]
    );
    assert_eq!((all[0].line, all[0].column), (7, 43));
    assert!(all[0].help.contains("did you mean `email`?"), "{}", all[0]);
    assert!(
        all[1]
            .message
            .contains("store `users` refers to element `mail`"),
        "{}",
        all[1]
    );
    assert_eq!((all[1].line, all[1].column), (9, 19));
    assert!(
        all[2]
            .message
            .contains("`logging.allow` refers to element `ip`"),
        "{}",
        all[2]
    );
    assert_eq!((all[2].line, all[2].column), (11, 19));
}

#[test]
fn unknown_purpose_reference() {
    let text = "version: 1\n\
data:\n  email: { category: user.contact.email }\n\
purposes:\n  marketing: { legal_basis: consent }\n\
recipients:\n  mailgun: { purposes: [marketng] }\n\
logging:\n  allow: [{ data: email, purpose: security }]\n";
    let all = problems(text);
    assert_eq!(all.len(), 2, "{all:#?}");
    assert!(
        all[0]
            .message
            .contains("recipient `mailgun` refers to purpose `marketng`"),
        "{}",
        all[0]
    );
    assert_eq!((all[0].line, all[0].column), (7, 25));
    assert!(
        all[0].help.contains("did you mean `marketing`?"),
        "{}",
        all[0]
    );
    assert!(
        all[1]
            .message
            .contains("`logging.allow` refers to purpose `security`"),
        "{}",
        all[1]
    );
    assert_eq!((all[1].line, all[1].column), (9, 35));
    assert!(all[1].help.contains("marketing"), "{}", all[1]);
}

#[test]
fn unknown_category() {
    let p = one(
        "version: 1\ndata:\n  email: { category: user.contact.emial }\n",
        3,
        22,
        "unknown data category `user.contact.emial`",
    );
    help_has(&p, "did you mean `user.contact.email`?");
}

#[test]
fn deeper_category_under_a_leaf_is_fine() {
    let map =
        load_text("version: 1\ndata:\n  city: { category: user.contact.address.city.district }\n")
            .unwrap_or_else(|p| panic!("{p:#?}"));
    assert_eq!(
        map.data["city"].category,
        "user.contact.address.city.district"
    );
}

#[test]
fn unknown_use() {
    let p = one(
        "version: 1\npurposes:\n  accounts: { legal_basis: contract, use: essential.servce }\n",
        3,
        43,
        "unknown data use `essential.servce`",
    );
    help_has(&p, "did you mean `essential.service`?");
}

#[test]
fn unknown_legal_basis() {
    let p = one(
        "version: 1\npurposes:\n  accounts: { legal_basis: contrat }\n",
        3,
        28,
        "unknown legal_basis `contrat`",
    );
    help_has(&p, "did you mean `contract`?");
    help_has(
        &p,
        "consent, contract, legal_obligation, vital_interests, public_task, legitimate_interests",
    );
}

#[test]
fn unknown_safeguard() {
    let p = one(
        "version: 1\nrecipients:\n  mailgun: { safeguard: standard_clauses }\n",
        3,
        25,
        "unknown safeguard `standard_clauses`",
    );
    help_has(
        &p,
        "adequacy, standard_contractual_clauses, binding_corporate_rules, consent, derogation",
    );
}

#[test]
fn malformed_retention() {
    let p = one(
        "version: 1\nstores:\n  users: { retention: 3 years }\n",
        3,
        23,
        "`3 years` is not an ISO 8601 duration",
    );
    help_has(&p, "P90D");
    let p = one(
        "version: 1\nstores:\n  users: { retention: p3y }\n",
        3,
        23,
        "`p3y`",
    );
    help_has(&p, "`P3Y`");
    let p = one(
        "version: 1\nstores:\n  users: { retention: 90d }\n",
        3,
        23,
        "`90d`",
    );
    help_has(&p, "starts with `P`: `P90D`");
    for ok in ["P90D", "P3Y", "P1Y6M", "PT12H", "P2W", "P1DT12H"] {
        assert!(DURATION.is_match(ok), "{ok}");
    }
    for bad in ["P", "PT", "P1H", "3Y", "P1.5Y", "P1Y2Y"] {
        assert!(!DURATION.is_match(bad), "{bad}");
    }
}

#[test]
fn invalid_country_codes() {
    let p = one(
        "version: 1\nstores:\n  users: { location: kz }\n",
        3,
        22,
        "invalid country code `kz`",
    );
    help_has(&p, "`KZ`");
    let p = one(
        "version: 1\nrecipients:\n  bank: { country: KAZ }\n",
        3,
        20,
        "`KAZ` is an ISO 3166-1 alpha-3 code",
    );
    help_has(&p, "write `KZ`");
    let p = one(
        "version: 1\ncontroller: { name: Dala, country: XX }\n",
        2,
        36,
        "`XX` is not an ISO 3166-1 alpha-2 country code",
    );
    help_has(&p, "two-letter");
    // Norway is a country, not `false`.
    load_text("version: 1\nstores:\n  users: { location: NO }\n")
        .unwrap_or_else(|p| panic!("{p:#?}"));
}

#[test]
fn invalid_glob() {
    let p = one(
        "version: 1\npurposes:\n  accounts: { legal_basis: contract, code: [\"src/[acc/**\"] }\n",
        3,
        45,
        "invalid glob `src/[acc/**`",
    );
    help_has(&p, "src/accounts/**");
}

#[test]
fn custom_category_with_unknown_parent() {
    let p = one(
        "version: 1\ncategories:\n  user.custom.loyalty_id: { name: Loyalty, parent: user.unique_idd }\n",
        3,
        52,
        "the parent `user.unique_idd` of custom category `user.custom.loyalty_id` is not a known data category",
    );
    help_has(&p, "did you mean `user.unique_id`?");
}

#[test]
fn three_problems_are_all_reported() {
    let text = "version: 1\n\
data:\n  email: { category: user.contact.emial, subject: [customer] }\n\
stores:\n  users: { retention: forever }\n";
    let all = problems(text);
    assert_eq!(all.len(), 3, "{all:#?}");
    assert_eq!((all[0].line, all[0].column), (3, 22));
    assert!(
        all[0].message.contains("unknown data category"),
        "{}",
        all[0]
    );
    assert_eq!((all[1].line, all[1].column), (3, 42));
    assert!(
        all[1].message.contains("unknown key `subject`"),
        "{}",
        all[1]
    );
    assert!(
        all[1].help.contains("did you mean `subjects`?"),
        "{}",
        all[1]
    );
    assert_eq!((all[2].line, all[2].column), (5, 23));
    assert!(
        all[2]
            .message
            .contains("`forever` is not an ISO 8601 duration"),
        "{}",
        all[2]
    );
}

#[test]
fn unreadable_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("missing.yml");
    let all = load(&path, &Taxonomy::builtin()).expect_err("missing file");
    assert_eq!(all.len(), 1);
    assert_eq!((all[0].line, all[0].column), (1, 1));
    assert!(
        all[0].message.contains("cannot read the data map"),
        "{}",
        all[0]
    );
}

fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, text) in files {
        fs::write(dir.path().join(name), text).expect("write");
    }
    dir
}

#[test]
fn folder_merges_files() {
    let dir = folder(&[
        (
            "a-data.yml",
            "version: 1\ncontroller: { name: Dala }\ndata:\n  email: { category: user.contact.email }\n  ip: { category: user.device.ip_address }\nlogging:\n  allow: [{ data: ip, purpose: security }]\n",
        ),
        (
            "b-purposes.yaml",
            "version: 1\npurposes:\n  security: { legal_basis: legitimate_interests, data: [ip] }\n  accounts: { legal_basis: contract, data: [email] }\nlogging:\n  allow:\n    - { data: email, purpose: accounts }\n",
        ),
        ("notes.txt", "not yaml"),
    ]);
    let map = load(dir.path(), &Taxonomy::builtin()).unwrap_or_else(|p| panic!("{p:#?}"));
    assert_eq!(map.files.len(), 2);
    assert_eq!(map.root, dir.path());
    assert_eq!(map.data.len(), 2);
    assert_eq!(map.purposes.len(), 2);
    assert_eq!(map.logging.allow.len(), 2);
    assert_eq!(map.logging.allow[1].data, "email");
    let second = map.locate("/logging/allow/1/data").expect("second allow");
    assert!(second.file.ends_with("b-purposes.yaml"));
    assert_eq!((second.line, second.column), (7, 9));
    let accounts = map.locate("/purposes/accounts").expect("purpose");
    assert!(accounts.file.ends_with("b-purposes.yaml"));
    assert_eq!(accounts.line, 4);
}

#[test]
fn duplicate_across_files_reports_both_locations() {
    let dir = folder(&[
        (
            "a.yml",
            "version: 1\ncontroller: { name: Dala }\ndata:\n  email: { category: user.contact.email }\n",
        ),
        (
            "b.yml",
            "version: 1\ncontroller: { name: Other }\ndata:\n  phone: { category: user.contact.phone_number }\n  email: { category: user.contact.email }\n",
        ),
        ("c.yml", "data: {}\n"),
    ]);
    let all = load(dir.path(), &Taxonomy::builtin()).expect_err("duplicates");
    assert_eq!(all.len(), 3, "{all:#?}");
    assert!(all[0].file.ends_with("b.yml"));
    assert_eq!((all[0].line, all[0].column), (2, 1));
    assert!(
        all[0]
            .message
            .contains("`controller` is already declared in"),
        "{}",
        all[0]
    );
    assert!(all[0].message.contains("a.yml:2:1"), "{}", all[0]);
    assert_eq!((all[1].line, all[1].column), (5, 3));
    assert!(
        all[1]
            .message
            .contains("element `email` is already defined in"),
        "{}",
        all[1]
    );
    assert!(all[1].message.contains("a.yml:4:3"), "{}", all[1]);
    assert!(all[2].file.ends_with("c.yml"));
    assert!(all[2].message.contains("has no `version`"), "{}", all[2]);
}

#[test]
fn no_panic_on_odd_input() {
    let inputs = [
        "version: 1\n? [a, b]\n: c\n",
        "version: 1\ndata:\n  ? { a: 1 }\n  : x\n",
        "version: 1\n\"\": 1\n",
        "version: 99999999999999999999999999\n",
        "version: 1.5\n",
        "version: 1\ndata:\n  e: { category: \"\" }\n",
        "version: 1\ndata:\n  e: { category: user.contact.email, subjects: [\"\", null, 3, [x]] }\n",
        "version: 1\ncontroller:\n",
        "version: 1\nlogging: []\n",
        "version: 1\nlogging: { allow: [1, {}, { data: [x] }] }\n",
        "version: 1\n---\nversion: 1\n",
        "\u{feff}version: 1\n",
        "version: 1\nstores: { s: { retention: ~ } }\n",
        "version: 1\n !!binary aGk=: x\n",
        "version: 1\npurposes: { p: { legal_basis: [contract] } }\n",
        "version: 1\nrecipients: { r: { country: 12 } }\n",
        "version: 1\nx: &x { a: *x }\n",
        "\t\tversion: 1\n",
        &"[".repeat(10_000),
        &format!("version: 1\ndata:\n{}", "  - a\n".repeat(3)),
    ];
    for text in inputs {
        let _ = load_text(text);
    }
}

#[test]
fn problems_display_with_help() {
    let p = one("version: 1\npurpose: {}\n", 2, 1, "unknown key");
    let shown = p.to_string();
    assert!(
        shown.contains("datamap.yml:2:1: unknown key `purpose`"),
        "{shown}"
    );
    assert!(
        shown.contains("\n  help: did you mean `purposes`?"),
        "{shown}"
    );
}
