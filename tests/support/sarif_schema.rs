//! The SARIF 2.1.0 schema as a validator, shared by the reporter's unit tests and the CLI tests.
//!
//! The published schema (`tests/sarif-schema-2.1.0.json`, from serde-sarif) has a stray `]` in
//! the `language` patterns of `run` and `toolComponent`
//! (`^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$`), which jsonschema's meta-schema check rejects as
//! `format: regex`, and that check cannot be switched off. The intended pattern is swapped in
//! before compiling; everything else (`uri`, `uri-reference`, `date-time` formats included) is
//! validated as published.

use serde_json::{Value, json};

const BAD_PATTERN: &str = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$";

fn fix(value: &mut Value) -> usize {
    match value {
        Value::Object(map) => {
            let mut fixed = 0;
            for (key, child) in map.iter_mut() {
                if key == "pattern" && child == BAD_PATTERN {
                    *child = json!("^[a-zA-Z]{2}(-[a-zA-Z]{2})?$");
                    fixed += 1;
                } else {
                    fixed += fix(child);
                }
            }
            fixed
        }
        Value::Array(items) => items.iter_mut().map(fix).sum(),
        _ => 0,
    }
}

pub fn validator() -> jsonschema::Validator {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/sarif-schema-2.1.0.json");
    let text = std::fs::read_to_string(path).expect("the SARIF schema is in tests/");
    let mut schema: Value = serde_json::from_str(&text).expect("the SARIF schema is JSON");
    assert_eq!(
        fix(&mut schema),
        2,
        "the schema typo moved: revisit this workaround"
    );
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the fixed schema compiles")
}

/// Fails with every schema violation listed.
pub fn assert_valid(instance: &Value) {
    let errors: Vec<String> = validator()
        .iter_errors(instance)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{instance:#}");
}
