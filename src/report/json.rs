//! The json reporter: one stable document with every finding (suppressed ones carry their
//! `suppressed` reason), the skipped files, what was scanned and a summary.

use super::RenderOptions;
use crate::finding::{Finding, LanguageCount, ScanResult, SkippedFile};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize)]
struct Document<'a> {
    version: &'a str,
    /// The data map the code was held against, when there was one.
    #[serde(skip_serializing_if = "Option::is_none")]
    datamap: Option<String>,
    findings: &'a [Finding],
    skipped: &'a [SkippedFile],
    scanned: &'a [LanguageCount],
    summary: Summary<'a>,
}

#[derive(Serialize)]
struct Summary<'a> {
    /// Active (not suppressed) findings.
    findings: usize,
    suppressed: usize,
    /// Findings left out because the baseline or the diff base has them.
    baselined: usize,
    /// Active findings per check, sorted by check.
    by_check: BTreeMap<&'a str, usize>,
}

pub fn render(result: &ScanResult, options: &RenderOptions) -> String {
    let mut by_check = BTreeMap::new();
    for finding in result.active() {
        *by_check.entry(finding.check).or_default() += 1;
    }
    let active = result.active().count();
    let document = Document {
        version: &options.version,
        datamap: result.datamap.as_deref().map(crate::findings::display_path),
        findings: &result.findings,
        skipped: &result.skipped,
        scanned: &result.scanned,
        summary: Summary {
            findings: active,
            suppressed: result.findings.len() - active,
            baselined: result.baselined,
            by_check,
        },
    };
    // A finding with its path is about two kilobytes of JSON: sized up front, the buffer is not
    // copied again and again as it grows on a large scan.
    let mut out = Vec::with_capacity(4096 + result.findings.len() * 2048);
    // Serialising plain structs, strings and integers into memory cannot fail.
    let _ = serde_json::to_writer_pretty(&mut out, &document);
    out.push(b'\n');
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::text::test_support::sample_result;
    use serde_json::{Value, json};

    #[test]
    fn round_trips_with_expected_keys() {
        let result = sample_result();
        let options = RenderOptions {
            color: false,
            width: 80,
            version: "0.1.0".into(),
            show_suppressed: false,
        };
        let out = render(&result, &options);
        assert!(out.ends_with("}\n"));
        let value: Value = serde_json::from_str(&out).unwrap();
        let keys: Vec<&str> = value
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        for key in ["version", "findings", "skipped", "scanned", "summary"] {
            assert!(keys.contains(&key), "{key} missing in {keys:?}");
        }
        assert_eq!(value["version"], "0.1.0");
        assert_eq!(
            value["summary"],
            json!({"findings": 1, "suppressed": 1, "baselined": 0, "by_check": {"identifier-in-log": 1}})
        );
        let findings = value["findings"].as_array().unwrap();
        assert_eq!(findings.len(), 2);
        let first = &findings[0];
        assert_eq!(first["check"], "identifier-in-log");
        assert_eq!(first["severity"], "error");
        assert_eq!(first["location"]["path"], "src/app.py");
        assert_eq!(first["location"]["line"], 5);
        assert_eq!(first["path"].as_array().unwrap().len(), 3);
        assert_eq!(first["data"][0]["category"], "user.contact.email");
        assert!(first.get("suppressed").is_none());
        assert_eq!(findings[1]["suppressed"], "test data");
        assert_eq!(value["skipped"][0]["path"], "big.py");
        assert_eq!(value["scanned"][0]["language"], "python");
        // Deterministic.
        assert_eq!(out, render(&result, &options));
    }
}
