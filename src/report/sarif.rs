//! The sarif reporter: SARIF 2.1.0 with one run. Findings become results (with their path as a
//! code flow and suppressed ones carrying an in-source suppression); skipped files become tool
//! execution notifications.

use super::RenderOptions;
use crate::finding::{Finding, Location, ScanResult, Severity};
use serde_json::{Value, json};
use serde_sarif::sarif::{
    ArtifactLocation, CodeFlow, Invocation, Location as SarifLocation, Message,
    MultiformatMessageString, Notification, PhysicalLocation, PropertyBag, Region,
    ReportingDescriptor, Result as SarifResult, ResultLevel, Run, Sarif, Suppression, ThreadFlow,
    ThreadFlowLocation, Tool, ToolComponent,
};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// The `$schema` of the log.
pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The key of privlint's fingerprint in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "privlint/v1";

pub fn render(result: &ScanResult, options: &RenderOptions) -> String {
    let sarif = build(result, options);
    // Serialising plain structs, strings and integers into a String cannot fail.
    let mut out = serde_json::to_string_pretty(&sarif).unwrap_or_default();
    out.push('\n');
    out
}

fn build(result: &ScanResult, options: &RenderOptions) -> Sarif {
    let check_ids: BTreeSet<&str> = result.findings.iter().map(|f| f.check).collect();
    let rule_index: BTreeMap<&str, usize> = check_ids
        .iter()
        .enumerate()
        .map(|(i, id)| (*id, i))
        .collect();
    let rules: Vec<ReportingDescriptor> = check_ids.iter().map(|id| rule(id)).collect();

    let results: Vec<SarifResult> = result
        .findings
        .iter()
        .map(|finding| finding_result(finding, rule_index[finding.check], result))
        .collect();

    let notifications: Vec<Notification> = result
        .skipped
        .iter()
        .map(|skipped| {
            Notification::builder()
                .level(json!(notification_level(&skipped.reason)))
                .message(Message::builder().text(&skipped.reason).build())
                .locations(vec![
                    SarifLocation::builder()
                        .physical_location(
                            PhysicalLocation::builder()
                                .artifact_location(artifact(&skipped.path))
                                .build(),
                        )
                        .build(),
                ])
                .build()
        })
        .collect();
    let mut invocation = Invocation::builder().execution_successful(true).build();
    if !notifications.is_empty() {
        invocation.tool_execution_notifications = Some(notifications);
    }

    let driver = ToolComponent::builder()
        .name("privlint")
        .version(&options.version)
        .rules(rules)
        .build();
    let run = Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .invocations(vec![invocation])
        // Finding columns count characters, not UTF-16 code units (the SARIF default).
        .column_kind(json!("unicodeCodePoints"))
        .build();
    Sarif::builder()
        .schema(SCHEMA_URI)
        .version(json!("2.1.0"))
        .runs(vec![run])
        .build()
}

/// The reporting descriptor of a check, with the texts of `privlint explain ID`.
fn rule(id: &str) -> ReportingDescriptor {
    let (summary, doc) = crate::checks::find(id).map_or_else(
        || (format!("privlint check `{id}`"), String::new()),
        |c| (c.summary.to_string(), crate::checks::doc_text(c)),
    );
    ReportingDescriptor::builder()
        .id(id)
        .name(pascal_case(id))
        .short_description(
            MultiformatMessageString::builder()
                .text(summary.clone())
                .build(),
        )
        .full_description(MultiformatMessageString::builder().text(summary).build())
        .help(
            MultiformatMessageString::builder()
                .text(doc.clone())
                .markdown(doc)
                .build(),
        )
        .build()
}

fn finding_result(finding: &Finding, rule_index: usize, result: &ScanResult) -> SarifResult {
    let mut properties = BTreeMap::new();
    properties.insert("help".to_string(), json!(finding.help));
    properties.insert(
        "data".to_string(),
        Value::Array(
            finding
                .data
                .iter()
                .map(|d| json!({"category": d.category, "name": d.name}))
                .collect(),
        ),
    );
    let mut sarif_result = SarifResult::builder()
        .rule_id(finding.check)
        .rule_index(to_i64(rule_index))
        .level(level(finding.severity))
        .message(Message::builder().text(&finding.message).build())
        .locations(vec![location(&finding.location, None, result)])
        .partial_fingerprints(BTreeMap::from([(
            FINGERPRINT_KEY.to_string(),
            finding.fingerprint.clone(),
        )]))
        .properties(
            PropertyBag::builder()
                .additional_properties(properties)
                .build(),
        )
        .build();
    if !finding.path.is_empty() {
        let locations: Vec<ThreadFlowLocation> = finding
            .path
            .iter()
            .enumerate()
            .map(|(order, hop)| {
                ThreadFlowLocation::builder()
                    .location(location(&hop.location, Some(&hop.note), result))
                    .execution_order(to_i64(order + 1))
                    .build()
            })
            .collect();
        sarif_result.code_flows = Some(vec![
            CodeFlow::builder()
                .thread_flows(vec![ThreadFlow::builder().locations(locations).build()])
                .build(),
        ]);
    }
    if let Some(reason) = &finding.suppressed {
        sarif_result.suppressions = Some(vec![
            Suppression::builder()
                .kind(json!("inSource"))
                .justification(reason)
                .build(),
        ]);
    }
    sarif_result
}

fn level(severity: Severity) -> ResultLevel {
    match severity {
        Severity::Note => ResultLevel::Note,
        Severity::Warning => ResultLevel::Warning,
        Severity::Error => ResultLevel::Error,
    }
}

/// Deliberately skipped files (generated code) are notes; every other skip leaves code unread
/// and is a warning.
fn notification_level(reason: &str) -> &'static str {
    if reason.starts_with("generated file") {
        "note"
    } else {
        "warning"
    }
}

fn location(loc: &Location, message: Option<&str>, result: &ScanResult) -> SarifLocation {
    let mut region = Region::builder()
        .start_line(i64::from(loc.line.max(1)))
        .start_column(i64::from(loc.column.max(1)))
        .byte_offset(i64::from(loc.start))
        .byte_length(i64::from(loc.end.saturating_sub(loc.start)))
        .build();
    // The end line and column need the text; without it the region is start + byte range.
    if let Some(text) = result.sources.get(&loc.path)
        && let Some((line, column)) = line_column(text, loc.end as usize)
        && line >= loc.line as usize
    {
        region.end_line = Some(to_i64(line));
        region.end_column = Some(to_i64(column));
    }
    let physical = PhysicalLocation::builder()
        .artifact_location(artifact(&loc.path))
        .region(region)
        .build();
    let mut location = SarifLocation::builder().physical_location(physical).build();
    if let Some(message) = message {
        location.message = Some(Message::builder().text(message).build());
    }
    location
}

/// SARIF integers are `i64`; counts and lines never come near its limit.
fn to_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The 1-based line and character column of byte `offset` in `text`, if it is a character
/// boundary within the text.
fn line_column(text: &str, offset: usize) -> Option<(usize, usize)> {
    let before = text.get(..offset)?;
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    Some((line, column))
}

fn artifact(path: &str) -> ArtifactLocation {
    ArtifactLocation::builder().uri(path_uri(path)).build()
}

/// A display path as a URI reference: relative paths stay relative (to the scan root),
/// absolute ones become `file://` URIs; characters not allowed in a URI are percent-encoded.
fn path_uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    if path.starts_with('/') {
        out.push_str("file://");
    }
    for byte in path.bytes() {
        let keep = byte.is_ascii_alphanumeric()
            || matches!(
                byte,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b'/'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b'@'
            );
        if keep {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// `identifier-in-log` → `IdentifierInLog`, the SARIF rule name.
fn pascal_case(id: &str) -> String {
    id.split(['-', '_'])
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_uppercase().chain(chars).collect()
            })
        })
        .collect()
}

#[cfg(test)]
#[path = "../../tests/support/sarif_schema.rs"]
mod sarif_schema;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::text::test_support::{options, sample_result};

    use super::sarif_schema::{assert_valid, validator};

    #[test]
    fn validates_against_the_schema() {
        let mut result = sample_result();
        result.skipped.push(crate::finding::SkippedFile {
            path: "gen/a b_pb2.py".into(),
            reason: "generated file (name matches `*_pb2.py`)".into(),
        });
        let out = render(&result, &options());
        assert!(out.ends_with("}\n"));
        let value: Value = serde_json::from_str(&out).unwrap();
        assert_valid(&value);

        assert_eq!(value["$schema"], SCHEMA_URI);
        assert_eq!(value["version"], "2.1.0");
        let run = &value["runs"][0];
        assert_eq!(run["tool"]["driver"]["name"], "privlint");
        assert_eq!(run["tool"]["driver"]["version"], "0.1.0");
        assert_eq!(run["tool"]["driver"]["rules"][0]["id"], "identifier-in-log");
        assert_eq!(run["tool"]["driver"]["rules"].as_array().unwrap().len(), 1);

        let first = &run["results"][0];
        assert_eq!(first["ruleId"], "identifier-in-log");
        assert_eq!(first["level"], "error");
        assert_eq!(
            first["message"]["text"],
            "an email address is written to a log"
        );
        let physical = &first["locations"][0]["physicalLocation"];
        assert_eq!(physical["artifactLocation"]["uri"], "src/app.py");
        assert_eq!(physical["region"]["startLine"], 5);
        assert_eq!(physical["region"]["startColumn"], 5);
        assert_eq!(physical["region"]["endLine"], 5);
        assert_eq!(physical["region"]["endColumn"], 36);
        assert_eq!(physical["region"]["byteLength"], 31);
        let flow = &first["codeFlows"][0]["threadFlows"][0]["locations"];
        assert_eq!(flow.as_array().unwrap().len(), 3);
        assert_eq!(
            flow[0]["location"]["physicalLocation"]["artifactLocation"]["uri"],
            "src/models.py"
        );
        assert_eq!(
            flow[0]["location"]["message"]["text"],
            "`User.email` holds an email address"
        );
        assert_eq!(
            first["partialFingerprints"][FINGERPRINT_KEY],
            "0123456789abcdef"
        );
        assert!(first.get("suppressions").is_none());

        let second = &run["results"][1];
        assert_eq!(second["suppressions"][0]["kind"], "inSource");
        assert_eq!(second["suppressions"][0]["justification"], "test data");

        let invocation = &run["invocations"][0];
        assert_eq!(invocation["executionSuccessful"], true);
        let notes = invocation["toolExecutionNotifications"].as_array().unwrap();
        assert_eq!(notes.len(), 2);
        assert_eq!(notes[0]["level"], "warning");
        assert_eq!(
            notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "big.py"
        );
        assert_eq!(notes[1]["level"], "note");
        assert_eq!(
            notes[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            "gen/a%20b_pb2.py"
        );

        // Deterministic.
        assert_eq!(out, render(&result, &options()));
    }

    #[test]
    fn empty_result_is_valid() {
        let out = render(&ScanResult::default(), &options());
        let value: Value = serde_json::from_str(&out).unwrap();
        assert_valid(&value);
        assert_eq!(value["runs"][0]["results"], json!([]));
        assert!(
            value["runs"][0]["invocations"][0]
                .get("toolExecutionNotifications")
                .is_none()
        );
    }

    #[test]
    fn schema_rejects_broken_logs() {
        // The validator really checks: a result without a message is invalid.
        let mut value: Value = serde_json::from_str(&render(&sample_result(), &options())).unwrap();
        value["runs"][0]["results"][0]
            .as_object_mut()
            .unwrap()
            .remove("message");
        assert!(!validator().is_valid(&value));

        // Formats are checked too: `$schema` must be a URI.
        let mut value: Value = serde_json::from_str(&render(&sample_result(), &options())).unwrap();
        assert!(validator().is_valid(&value));
        value["$schema"] = json!("not a uri");
        assert!(!validator().is_valid(&value));
    }

    #[test]
    fn helpers() {
        assert_eq!(pascal_case("identifier-in-log"), "IdentifierInLog");
        assert_eq!(path_uri("/abs/a:b.py"), "file:///abs/a%3Ab.py");
        assert_eq!(line_column("ab\ncé\nx", 6), Some((2, 3)));
        assert_eq!(line_column("é", 1), None);
    }
}
