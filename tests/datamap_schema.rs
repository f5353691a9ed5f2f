//! The shipped JSON Schema of the data map: up to date with the types, and it accepts the full
//! example and rejects unknown keys.

use std::path::Path;

const SHIPPED: &str = "schema/datamap.v1.json";

fn yaml_to_json(text: &str) -> serde_json::Value {
    serde_saphyr::from_str::<serde_json::Value>(text).expect("valid YAML")
}

fn shipped_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(SHIPPED).expect("shipped schema");
    let schema: serde_json::Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::validator_for(&schema).expect("schema compiles")
}

#[test]
fn shipped_schema_is_up_to_date() {
    let generated = privlint::datamap::json_schema_text();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(SHIPPED);
    if std::env::var_os("PRIVLINT_BLESS").is_some() {
        std::fs::write(&path, &generated).expect("write schema");
        return;
    }
    let shipped = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        shipped == generated,
        "{SHIPPED} differs from the schema generated from src/datamap/mod.rs; \
         run `PRIVLINT_BLESS=1 cargo test` to update it"
    );
}

#[test]
fn schema_has_its_identity_and_constraints() {
    let schema = privlint::datamap::json_schema();
    assert_eq!(schema["$id"], "https://privlint.dev/schema/datamap.v1.json");
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert_eq!(schema["title"], "privlint data map");
    assert_eq!(schema["additionalProperties"], false);
    let defs = schema["$defs"].as_object().expect("$defs");
    for (name, def) in defs {
        if def["type"] == "object" {
            assert_eq!(def["additionalProperties"], false, "{name}");
        }
    }
    assert_eq!(defs["LegalBasis"]["enum"].as_array().map(Vec::len), Some(6));
    assert_eq!(defs["Safeguard"]["enum"].as_array().map(Vec::len), Some(5));
    assert!(defs["Store"]["properties"]["retention"]["pattern"].is_string());
    assert!(defs["Store"]["properties"]["location"]["pattern"].is_string());
    assert!(defs["Recipient"]["properties"]["country"]["pattern"].is_string());
    assert!(defs["Purpose"]["properties"]["legal_basis"]["description"].is_string());
}

#[test]
fn full_example_validates() {
    let example = yaml_to_json(include_str!("data/datamap-full.yml"));
    let validator = shipped_validator();
    let errors: Vec<String> = validator
        .iter_errors(&example)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn schema_rejects_unknown_keys_and_bad_values() {
    let validator = shipped_validator();
    let unknown =
        yaml_to_json("version: 1\npurposes:\n  a: { legal_basis: consent, legal_bases: x }\n");
    assert!(!validator.is_valid(&unknown));
    let top = yaml_to_json("version: 1\npurpose: {}\n");
    assert!(!validator.is_valid(&top));
    let basis = yaml_to_json("version: 1\npurposes:\n  a: { legal_basis: contrat }\n");
    assert!(!validator.is_valid(&basis));
    let retention = yaml_to_json("version: 1\nstores:\n  s: { retention: 3 years }\n");
    assert!(!validator.is_valid(&retention));
    let country = yaml_to_json("version: 1\nstores:\n  s: { location: kz }\n");
    assert!(!validator.is_valid(&country));
    let version = yaml_to_json("version: 2\n");
    assert!(!validator.is_valid(&version));
    assert!(validator.is_valid(&yaml_to_json("version: 1\n")));
}

#[test]
fn cli_prints_the_schema_and_writes_it_atomically() {
    let out = assert_cmd::Command::cargo_bin("privlint")
        .expect("binary")
        .arg("schema")
        .output()
        .expect("run");
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        privlint::datamap::json_schema_text()
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("schema.json");
    std::fs::write(&file, "old").expect("write");
    assert_cmd::Command::cargo_bin("privlint")
        .expect("binary")
        .args(["schema", "--output"])
        .arg(&file)
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(&file).expect("read"),
        privlint::datamap::json_schema_text()
    );
}

#[test]
fn readme_example_loads_and_validates() {
    let readme = include_str!("../README.md");
    let start = readme
        .find("# yaml-language-server: $schema=https://privlint.dev")
        .expect("README example");
    let end = start + readme[start..].find("```").expect("end of block");
    let example = &readme[start..end];
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("datamap.yml");
    std::fs::write(&path, example).expect("write");
    let taxonomy = privlint::taxonomy::Taxonomy::builtin();
    let map = privlint::datamap::load(&path, &taxonomy)
        .unwrap_or_else(|problems| panic!("{problems:#?}"));
    assert_eq!(map.purposes.len(), 1);
    assert!(shipped_validator().is_valid(&yaml_to_json(example)));
}
