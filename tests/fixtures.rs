//! The fixture harness: scans every project under `fixtures/` and holds the findings against
//! the labels written on the very lines of the fixtures:
//!
//! - `expect: <check-id>[, <check-id>]`: this line must be reported, by each check named;
//! - `ok: <reason>`: this line must stay silent;
//! - `todo-expect: <check-id> <reason>`: a known miss; the harness fails if it starts being
//!   found, so the label gets promoted.
//!
//! Any finding on a line without `expect:` is an extra; any `expect:` without a finding is a
//! miss. Both fail the test. Precision and recall are printed per language and check.

use privlint::ScanOptions;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

#[derive(Debug, Default)]
struct Labels {
    expected: BTreeSet<(String, u32, String)>,
    todo: BTreeSet<(String, u32, String)>,
    ok: BTreeSet<(String, u32, String)>,
}

fn language_of(path: &str) -> &'static str {
    match Path::new(path).extension().and_then(|e| e.to_str()) {
        Some("rs") => "rust",
        Some("py") => "python",
        Some("sql") => "sql",
        // Findings on declarations point into the data map.
        Some("yml" | "yaml") if path.contains("datamap") => "datamap",
        _ => "other",
    }
}

/// Reads the labels of every source file under `root`. Paths are shown as the scan shows them.
fn read_labels(root: &Path) -> Labels {
    let mut labels = Labels::default();
    for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
        let entry = entry.expect("fixture tree is readable");
        if !entry.file_type().is_file() || language_of(&entry.path().to_string_lossy()) == "other" {
            continue;
        }
        let shown = entry.path().to_string_lossy().replace('\\', "/");
        let text = std::fs::read_to_string(entry.path()).expect("fixture is UTF-8");
        for (i, line) in text.lines().enumerate() {
            let n = i as u32 + 1;
            for (marker, into_todo) in [("todo-expect:", true), ("expect:", false)] {
                let Some(at) = line.find(marker) else {
                    continue;
                };
                if !into_todo && line[..at].ends_with("todo-") {
                    continue;
                }
                let rest = &line[at + marker.len()..];
                let ids = rest.split_whitespace().next().unwrap_or_default();
                for id in ids.split(',').filter(|s| !s.is_empty()) {
                    let key = (shown.clone(), n, id.trim().to_string());
                    if into_todo {
                        labels.todo.insert(key);
                    } else {
                        labels.expected.insert(key);
                    }
                }
            }
            if let Some(at) = line
                .find("# ok:")
                .or_else(|| line.find("// ok:"))
                .or_else(|| line.find("-- ok:"))
            {
                // `ok: <check-id> <reason>` counts the line for that check; a bare reason
                // counts it for identifier-in-log, the check the first fixtures were written for.
                let rest = &line[at..];
                let rest = &rest[rest.find("ok:").map_or(0, |i| i + 3)..];
                let first = rest.split_whitespace().next().unwrap_or_default();
                let check = privlint::checks::find(first.trim_end_matches([',', ':']))
                    .map_or("identifier-in-log", |c| c.id);
                labels.ok.insert((shown.clone(), n, check.to_string()));
            }
        }
    }
    labels
}

#[derive(Default)]
struct Tally {
    tp: usize,
    missing: usize,
    extra: usize,
    expected_lines: usize,
    ok_lines: usize,
}

#[test]
fn fixtures_match_their_labels() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    std::env::set_current_dir(&root).expect("can enter the crate root");
    let projects: Vec<PathBuf> = std::fs::read_dir("fixtures")
        .expect("fixtures/ exists")
        .map(|e| e.expect("readable").path())
        .filter(|p| p.is_dir() && !p.ends_with("bad-input"))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    assert!(!projects.is_empty(), "no fixture projects found");

    let mut failures = Vec::new();
    let mut tallies: BTreeMap<(String, String), Tally> = BTreeMap::new();
    for project in &projects {
        let labels = read_labels(project);
        let result = privlint::scan(&ScanOptions {
            paths: vec![project.clone()],
            ..ScanOptions::default()
        })
        .expect("fixture scan runs");
        assert!(
            result.skipped.is_empty(),
            "fixture files were skipped: {:?}",
            result.skipped
        );
        let found: BTreeSet<(String, u32, String)> = result
            .active()
            .map(|f| {
                (
                    f.location.path.clone(),
                    f.location.line,
                    f.check.to_string(),
                )
            })
            .collect();
        for key in &labels.expected {
            let tally = tallies
                .entry((language_of(&key.0).into(), key.2.clone()))
                .or_default();
            tally.expected_lines += 1;
            if found.contains(key) {
                tally.tp += 1;
            } else {
                tally.missing += 1;
                failures.push(format!("missing: {}:{}: {}", key.0, key.1, key.2));
            }
        }
        for key in &found {
            if labels.expected.contains(key) {
                continue;
            }
            let tally = tallies
                .entry((language_of(&key.0).into(), key.2.clone()))
                .or_default();
            if labels.todo.contains(key) {
                failures.push(format!(
                    "todo-expect now found, promote it to expect: {}:{}: {}",
                    key.0, key.1, key.2
                ));
                continue;
            }
            tally.extra += 1;
            let finding = result
                .active()
                .find(|f| f.location.path == key.0 && f.location.line == key.1)
                .map(|f| f.message.clone())
                .unwrap_or_default();
            failures.push(format!("extra: {}:{}: {}: {finding}", key.0, key.1, key.2));
        }
        for (path, _, check) in &labels.ok {
            tallies
                .entry((language_of(path).into(), check.clone()))
                .or_default()
                .ok_lines += 1;
        }
    }

    println!("\nprecision / recall per language and check (fixtures/):");
    for ((language, check), t) in &tallies {
        let precision = ratio(t.tp, t.tp + t.extra);
        let recall = ratio(t.tp, t.tp + t.missing);
        println!(
            "  {language:<8} {check:<22} precision {precision:>6} recall {recall:>6}  \
             ({} expected, {} found, {} missed, {} extra; {} ok lines)",
            t.expected_lines, t.tp, t.missing, t.extra, t.ok_lines
        );
    }
    assert!(
        failures.is_empty(),
        "{} fixture mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

fn ratio(num: usize, den: usize) -> String {
    // Tenths of a percent in integers: counts are small, no float needed.
    (num * 1000 + den / 2)
        .checked_div(den)
        .map_or_else(|| "n/a".into(), |t| format!("{}.{}%", t / 10, t % 10))
}
