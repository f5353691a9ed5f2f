//! The command-line contract: exit codes, output formats, `--output`, filters, user rules,
//! suppressions and the `explain`/`rules` subcommands.

#[path = "support/sarif_schema.rs"]
mod sarif_schema;

use assert_cmd::Command;
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;
use tempfile::TempDir;

const DEMO: &str = "fixtures/demo";

/// The binary, run from the crate root so `fixtures/demo` resolves and paths print relative.
fn privlint() -> Command {
    let mut cmd = Command::cargo_bin("privlint").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .env("COLUMNS", "100");
    cmd
}

fn run(args: &[&str]) -> Output {
    privlint().args(args).output().unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn code(out: &Output) -> i32 {
    out.status
        .code()
        .unwrap_or_else(|| panic!("killed by a signal: {}", stderr(out)))
}

fn json_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(out)))
}

fn write(root: &Path, rel: &str, contents: &str) -> PathBuf {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, contents).unwrap();
    path
}

fn has_ext(path: &str, ext: &str) -> bool {
    Path::new(path).extension().is_some_and(|e| e == ext)
}

fn path_str(p: &Path) -> &str {
    p.to_str().expect("temp paths are UTF-8")
}

fn findings(json: &Value) -> &Vec<Value> {
    json["findings"].as_array().expect("findings is an array")
}

/// The `(check, path, line)` of every finding, for comparing runs.
fn finding_keys(json: &Value) -> Vec<(String, String, u64)> {
    findings(json)
        .iter()
        .map(|f| {
            (
                f["check"].as_str().unwrap().to_string(),
                f["location"]["path"].as_str().unwrap().to_string(),
                f["location"]["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

// ---- text output and exit codes -----------------------------------------------------------

#[test]
fn demo_text_report_exits_1() {
    let out = run(&["check", DEMO, "--color", "never"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("identifier-in-log"), "{text}");
    assert!(text.contains("fixtures/demo/"), "{text}");
    assert!(text.contains("help:"), "{text}");
    assert!(
        !text.contains('\u{1b}'),
        "no colour codes with --color never"
    );
    assert!(text.contains("findings (0 suppressed)"), "{text}");
}

#[test]
fn fail_on_never_exits_0_with_the_same_findings() {
    let failing = run(&["check", DEMO, "--format", "json"]);
    let never = run(&["check", DEMO, "--format", "json", "--fail-on", "never"]);
    assert_eq!(code(&failing), 1);
    assert_eq!(code(&never), 0, "{}", stderr(&never));
    assert_eq!(stdout(&failing), stdout(&never));

    let text = run(&["check", DEMO, "--color", "never", "--fail-on", "never"]);
    assert_eq!(code(&text), 0);
    assert!(stdout(&text).contains("identifier-in-log"));
}

#[test]
fn fail_on_levels() {
    // The demo's findings are errors: every threshold up to `error` fails.
    for level in ["note", "warning", "error"] {
        let out = run(&["check", DEMO, "--format", "json", "--fail-on", level]);
        assert_eq!(code(&out), 1, "--fail-on {level}");
    }
}

#[test]
fn clean_project_exits_0_with_no_findings() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "app.py",
        "def total(order_id, amount):\n    print(order_id, amount)\n    return amount\n",
    );
    write(
        dir.path(),
        "lib.rs",
        "pub fn add(a: u32, b: u32) -> u32 {\n    println!(\"{a} + {b}\");\n    a + b\n}\n",
    );
    let out = run(&["check", "--color", "never", path_str(dir.path())]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    let text = stdout(&out);
    assert!(text.contains("No findings"), "{text}");
    assert!(text.contains("python 1, rust 1"), "{text}");
    assert!(!text.contains("Skipped"), "{text}");
}

// ---- JSON ----------------------------------------------------------------------------------

#[test]
fn json_report_has_every_field_and_is_deterministic() {
    let first = run(&["check", DEMO, "--no-datamap", "--format", "json"]);
    let second = run(&["check", DEMO, "--no-datamap", "--format", "json"]);
    assert_eq!(code(&first), 1);
    assert_eq!(
        first.stdout, second.stdout,
        "two runs give byte-identical JSON"
    );

    let json = json_of(&first);
    assert!(json["version"].is_string());
    assert!(json["skipped"].is_array());
    assert!(json["summary"].is_object() || json["summary"].is_array());
    let scanned = json["scanned"].as_array().unwrap();
    assert!(!scanned.is_empty());

    let list = findings(&json);
    assert!(!list.is_empty());
    for f in list {
        for key in ["check", "severity", "message", "help", "fingerprint"] {
            assert!(
                f[key].as_str().is_some_and(|s| !s.is_empty()),
                "{key} in {f:#}"
            );
        }
        let loc = &f["location"];
        assert!(
            loc["path"]
                .as_str()
                .is_some_and(|p| p.starts_with("fixtures/demo/")),
            "{f:#}"
        );
        assert!(loc["line"].as_u64().is_some_and(|n| n >= 1), "{f:#}");
        assert!(loc["column"].as_u64().is_some_and(|n| n >= 1), "{f:#}");
        let data = f["data"].as_array().unwrap();
        assert!(!data.is_empty(), "{f:#}");
        for d in data {
            assert!(d["category"].as_str().is_some_and(|c| c.contains('.')));
            assert!(d["name"].is_string());
        }
        let path = f["path"].as_array().unwrap();
        assert!(!path.is_empty(), "{f:#}");
        // The last hop is the sink itself.
        assert_eq!(path.last().unwrap()["location"], f["location"], "{f:#}");
        assert!(f.get("suppressed").is_none(), "{f:#}");
    }
    // Sorted by path, line, column.
    let mut sorted = list.clone();
    sorted.sort_by_key(|f| {
        (
            f["location"]["path"].as_str().unwrap().to_string(),
            f["location"]["line"].as_u64().unwrap(),
            f["location"]["column"].as_u64().unwrap(),
        )
    });
    assert_eq!(&sorted, list);
    // Fingerprints tell findings apart.
    let mut prints: Vec<&str> = list
        .iter()
        .map(|f| f["fingerprint"].as_str().unwrap())
        .collect();
    prints.sort_unstable();
    prints.dedup();
    assert_eq!(prints.len(), list.len());
}

#[test]
fn text_and_sarif_are_deterministic_too() {
    for format in ["text", "sarif"] {
        let a = run(&["check", DEMO, "--format", format, "--color", "never"]);
        let b = run(&["check", DEMO, "--format", format, "--color", "never"]);
        assert_eq!(a.stdout, b.stdout, "--format {format}");
    }
}

// ---- SARIF ---------------------------------------------------------------------------------

#[test]
fn sarif_report_validates_against_the_schema() {
    let out = run(&["check", DEMO, "--no-datamap", "--format", "sarif"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let sarif = json_of(&out);
    sarif_schema::assert_valid(&sarif);
    assert_eq!(sarif["version"], "2.1.0");

    let run0 = &sarif["runs"][0];
    let results = run0["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        assert_eq!(r["ruleId"], "identifier-in-log", "{r:#}");
        assert!(r["partialFingerprints"]["privlint/v1"].is_string(), "{r:#}");
        assert!(r["codeFlows"].is_array(), "{r:#}");
    }
    // As many results as JSON findings.
    let json = json_of(&run(&["check", DEMO, "--no-datamap", "--format", "json"]));
    assert_eq!(results.len(), findings(&json).len());

    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    let rule = rules
        .iter()
        .find(|r| r["id"] == "identifier-in-log")
        .expect("the rule is described");
    assert!(
        rule["help"]["text"].as_str().is_some_and(|t| !t.is_empty()),
        "{rule:#}"
    );
}

#[test]
fn sarif_with_skipped_files_and_suppressions_validates() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "app.py",
        "def f(email):\n    print(email)  # privlint: ignore[identifier-in-log] needed for X\n    print(email)  # privlint: ignore[identifier-in-log]\n",
    );
    write(dir.path(), "broken.py", "def broken(:\n    pass\n");
    let out = run(&["check", "--format", "sarif", path_str(dir.path())]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let sarif = json_of(&out);
    sarif_schema::assert_valid(&sarif);
    let run0 = &sarif["runs"][0];
    let notes = run0["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .expect("skipped files are notifications");
    assert!(
        notes
            .iter()
            .any(|n| n.to_string().contains("broken.py") && n.to_string().contains("syntax error")),
        "{notes:#?}"
    );
    let results = run0["results"].as_array().unwrap();
    assert!(
        results.iter().any(|r| r["suppressions"].is_array()),
        "{results:#?}"
    );
}

// ---- --output --------------------------------------------------------------------------------

#[test]
fn output_file_matches_stdout_and_leaves_no_temp_files() {
    let dir = TempDir::new().unwrap();
    let report = dir.path().join("report.json");
    let to_file = run(&[
        "check",
        DEMO,
        "--no-datamap",
        "--format",
        "json",
        "--output",
        path_str(&report),
    ]);
    assert_eq!(code(&to_file), 1, "{}", stderr(&to_file));
    assert!(to_file.stdout.is_empty(), "{}", stdout(&to_file));
    let to_stdout = run(&["check", DEMO, "--no-datamap", "--format", "json"]);
    assert_eq!(fs::read(&report).unwrap(), to_stdout.stdout);

    // Overwriting an existing report works the same way.
    let again = run(&[
        "check",
        DEMO,
        "--no-datamap",
        "--format",
        "json",
        "-o",
        path_str(&report),
    ]);
    assert_eq!(code(&again), 1);
    assert_eq!(fs::read(&report).unwrap(), to_stdout.stdout);

    let entries: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(entries, ["report.json"], "no temp files left beside it");
}

#[test]
fn output_into_missing_directory_exits_2() {
    let dir = TempDir::new().unwrap();
    let report = dir.path().join("no-such-dir").join("report.json");
    let out = run(&["check", DEMO, "--output", path_str(&report)]);
    assert_eq!(code(&out), 2);
    assert!(out.stdout.is_empty(), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(err.contains("error"), "{err}");
    assert!(err.contains("report.json"), "{err}");
    assert!(!report.exists());
}

// ---- --include / --exclude -----------------------------------------------------------------

#[test]
fn exclude_and_include_change_what_is_scanned() {
    let all = json_of(&run(&["check", DEMO, "--no-datamap", "--format", "json"]));
    let all_paths: Vec<String> = finding_keys(&all).into_iter().map(|k| k.1).collect();
    assert!(all_paths.iter().any(|p| has_ext(p, "rs")));
    assert!(all_paths.iter().any(|p| has_ext(p, "py")));

    let no_python = run(&[
        "check",
        DEMO,
        "--no-datamap",
        "--format",
        "json",
        "--exclude",
        "**/python/**",
    ]);
    assert_eq!(code(&no_python), 1);
    let no_python = json_of(&no_python);
    let rs_only: Vec<String> = finding_keys(&no_python).into_iter().map(|k| k.1).collect();
    assert!(!rs_only.is_empty());
    assert!(rs_only.iter().all(|p| has_ext(p, "rs")), "{rs_only:?}");
    let expected_rs: Vec<&String> = all_paths.iter().filter(|p| has_ext(p, "rs")).collect();
    assert_eq!(rs_only.iter().collect::<Vec<_>>(), expected_rs);
    assert_eq!(no_python["scanned"].as_array().unwrap().len(), 1);
    assert_eq!(no_python["scanned"][0]["language"], "rust");

    let only_python = json_of(&run(&[
        "check",
        DEMO,
        "--no-datamap",
        "--format",
        "json",
        "--include",
        "*.py",
    ]));
    let py_only: Vec<String> = finding_keys(&only_python)
        .into_iter()
        .map(|k| k.1)
        .collect();
    assert!(!py_only.is_empty());
    assert!(py_only.iter().all(|p| has_ext(p, "py")), "{py_only:?}");

    // Excluding everything that leaks: nothing left to report.
    let nothing = run(&[
        "check",
        DEMO,
        "--no-datamap",
        "--format",
        "json",
        "--exclude",
        "*.py",
        "--exclude",
        "*.rs",
    ]);
    assert_eq!(code(&nothing), 0);
    assert!(findings(&json_of(&nothing)).is_empty());
}

#[test]
fn bad_glob_exits_2() {
    let out = run(&["check", DEMO, "--exclude", "a[b"]);
    assert_eq!(code(&out), 2);
    assert!(out.stdout.is_empty());
    assert!(stderr(&out).contains("a[b"), "{}", stderr(&out));
}

// ---- --rules -------------------------------------------------------------------------------

const AUDIT_SINK: &str = "language: python\nlog_sinks:\n  - id: audit-client\n    receivers: ['(^|\\.)audit_client$']\n    methods: [record]\n";

const AUDIT_APP: &str =
    "import audit_client\n\n\ndef register(email):\n    audit_client.record(email)\n";

#[test]
fn user_rules_add_a_python_sink() {
    let dir = TempDir::new().unwrap();
    let rules = dir.path().join("my-rules");
    write(&rules, "sinks.yml", AUDIT_SINK);
    let src = dir.path().join("src");
    write(&src, "app.py", AUDIT_APP);

    let without = run(&["check", "--format", "json", path_str(&src)]);
    assert_eq!(code(&without), 0, "{}", stdout(&without));
    assert!(findings(&json_of(&without)).is_empty());

    let with = run(&[
        "check",
        "--format",
        "json",
        "--rules",
        path_str(&rules),
        path_str(&src),
    ]);
    assert_eq!(code(&with), 1, "{}{}", stdout(&with), stderr(&with));
    let json = json_of(&with);
    let list = findings(&json);
    assert_eq!(list.len(), 1, "{list:#?}");
    assert_eq!(list[0]["check"], "identifier-in-log");
    assert_eq!(list[0]["location"]["line"], 5);
    assert!(
        list[0]["message"]
            .as_str()
            .unwrap()
            .contains("audit_client.record"),
        "{:#}",
        list[0]
    );

    // `privlint rules --sinks --rules DIR` lists it too.
    let listed = run(&["rules", "--sinks", "--rules", path_str(&rules)]);
    assert_eq!(code(&listed), 0);
    assert!(
        stdout(&listed).contains("audit-client"),
        "{}",
        stdout(&listed)
    );
}

#[test]
fn invalid_rules_file_exits_2_naming_it() {
    let dir = TempDir::new().unwrap();
    let rules = dir.path().join("bad-rules");
    write(
        &rules,
        "broken-sinks.yml",
        "language: python\nlog_sinks:\n  - id: x\n    functions: [f]\n    colour: blue\n",
    );
    write(dir.path(), "src/app.py", AUDIT_APP);
    let out = run(&[
        "check",
        "--rules",
        path_str(&rules),
        path_str(&dir.path().join("src")),
    ]);
    assert_eq!(code(&out), 2);
    assert!(out.stdout.is_empty(), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(err.contains("broken-sinks.yml"), "{err}");
    assert!(err.contains("colour"), "{err}");

    let listed = run(&["rules", "--rules", path_str(&rules)]);
    assert_eq!(code(&listed), 2);
    assert!(stderr(&listed).contains("broken-sinks.yml"));
}

// ---- suppressions ----------------------------------------------------------------------------

#[test]
fn suppression_with_reason_suppresses() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "app.py",
        "def f(email):\n    print(email)  # privlint: ignore[identifier-in-log] needed for X\n",
    );
    let out = run(&["check", "--format", "json", path_str(dir.path())]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    let json = json_of(&out);
    let list = findings(&json);
    assert_eq!(list.len(), 1, "{list:#?}");
    assert_eq!(list[0]["check"], "identifier-in-log");
    assert_eq!(list[0]["location"]["line"], 2);
    assert!(
        list[0]["suppressed"]
            .as_str()
            .is_some_and(|r| r.contains("needed for X")),
        "{:#}",
        list[0]
    );

    let text = run(&["check", "--color", "never", path_str(dir.path())]);
    assert_eq!(code(&text), 0);
    assert!(stdout(&text).contains("1 suppressed"), "{}", stdout(&text));
}

#[test]
fn suppression_on_the_line_above_suppresses() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "app.py",
        "def f(email):\n    # privlint: ignore[identifier-in-log] fraud audit trail (DPIA-12)\n    print(email)\n",
    );
    let out = run(&["check", "--format", "json", path_str(dir.path())]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    let json = json_of(&out);
    assert!(findings(&json).iter().all(|f| f["suppressed"].is_string()));
}

#[test]
fn suppression_without_reason_is_reported() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "app.py",
        "def f(email):\n    print(email)  # privlint: ignore[identifier-in-log]\n",
    );
    let out = run(&["check", "--format", "json", path_str(dir.path())]);
    assert_eq!(code(&out), 1, "{}", stdout(&out));
    let json = json_of(&out);
    let list = findings(&json);
    let checks: Vec<&str> = list.iter().map(|f| f["check"].as_str().unwrap()).collect();
    assert!(checks.contains(&"identifier-in-log"), "{list:#?}");
    assert!(checks.contains(&"invalid-suppression"), "{list:#?}");
    assert!(
        list.iter().all(|f| f.get("suppressed").is_none()),
        "{list:#?}"
    );
    let invalid = list
        .iter()
        .find(|f| f["check"] == "invalid-suppression")
        .unwrap();
    assert_eq!(invalid["severity"], "warning");
    assert_eq!(invalid["location"]["line"], 2);
}

#[test]
fn suppression_of_unknown_check_is_reported() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "app.py",
        "def f(email):\n    print(email)  # privlint: ignore[no-such-check] because\n",
    );
    let out = run(&["check", "--format", "json", path_str(dir.path())]);
    assert_eq!(code(&out), 1);
    let json = json_of(&out);
    let checks: Vec<&str> = findings(&json)
        .iter()
        .map(|f| f["check"].as_str().unwrap())
        .collect();
    assert!(checks.contains(&"identifier-in-log"), "{checks:?}");
    assert!(checks.contains(&"invalid-suppression"), "{checks:?}");
}

// ---- explain / rules / usage -----------------------------------------------------------------

#[test]
fn explain_a_check() {
    let out = run(&["explain", "identifier-in-log"]);
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).contains("What it finds"), "{}", stdout(&out));

    let list = run(&["explain"]);
    assert_eq!(code(&list), 0);
    assert!(stdout(&list).contains("identifier-in-log"));
    assert!(stdout(&list).contains("invalid-suppression"));
}

#[test]
fn explain_unknown_check_exits_2() {
    let out = run(&["explain", "nope"]);
    assert_eq!(code(&out), 2);
    assert!(out.stdout.is_empty());
    let err = stderr(&out);
    assert!(err.contains("nope"), "{err}");
    assert!(err.contains("identifier-in-log"), "{err}");
}

#[test]
fn rules_lists_categories() {
    let out = run(&["rules", "--categories"]);
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    assert!(text.contains("user.contact.email"), "{text}");
    assert!(!text.contains("Log sinks"), "{text}");

    let all = run(&["rules"]);
    assert_eq!(code(&all), 0);
    for section in ["Checks:", "Data categories", "Log sinks:", "Sanitizers"] {
        assert!(stdout(&all).contains(section), "{section}");
    }
}

#[test]
fn rules_lists_recipients_and_profiles() {
    let out = run(&["rules", "--recipients"]);
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    assert!(text.contains("api.stripe.com"), "{text}");
    assert!(
        text.contains("essential.service.payment_processing"),
        "{text}"
    );
    assert!(!text.contains("Log sinks"), "{text}");
    assert!(!text.contains("Jurisdiction profiles"), "{text}");
    let ids: Vec<&str> = text
        .lines()
        .skip(1)
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(ids, sorted, "sorted by id");
    assert!(ids.len() >= 45, "{ids:?}");

    let profiles = run(&["rules", "--profiles"]);
    assert_eq!(code(&profiles), 0);
    let text = stdout(&profiles);
    assert!(text.contains("gdpr") && text.contains("kz"), "{text}");
    assert!(!text.contains("Recipients"), "{text}");

    let all = run(&["rules"]);
    for section in ["Sanitizers", "Recipients", "Jurisdiction profiles:"] {
        assert!(stdout(&all).contains(section), "{section}");
    }

    let dir = TempDir::new().unwrap();
    let rules = dir.path().join("my-rules");
    write(
        &rules,
        "recipients.yml",
        "recipients:\n  - id: halyk_bank\n    name: Halyk Bank\n    country: KZ\n    hosts: [api.halykbank.kz]\n",
    );
    let listed = run(&["rules", "--recipients", "--rules", path_str(&rules)]);
    assert_eq!(code(&listed), 0, "{}", stderr(&listed));
    assert!(stdout(&listed).contains("api.halykbank.kz"));

    write(
        &rules,
        "recipients.yml",
        "recipients:\n  - id: halyk_bank\n    name: Halyk Bank\n    country: Kazakhstan\n",
    );
    let bad = run(&["rules", "--recipients", "--rules", path_str(&rules)]);
    assert_eq!(code(&bad), 2);
    assert!(stderr(&bad).contains("Kazakhstan"), "{}", stderr(&bad));
}

#[test]
fn invalid_usage_exits_2() {
    for args in [
        &["check", "--format", "xml"][..],
        &["check", "--fail-on", "sometimes"],
        &["check", "--max-file-size", "lots"],
        &["check", "--no-such-flag"],
        &["frobnicate"],
        &[],
    ] {
        let out = run(args);
        assert_eq!(code(&out), 2, "privlint {args:?}");
        assert!(!stderr(&out).is_empty(), "privlint {args:?}");
    }
}

#[test]
fn help_and_version_exit_0() {
    let help = run(&["--help"]);
    assert_eq!(code(&help), 0);
    assert!(stdout(&help).contains("check"));
    let version = run(&["--version"]);
    assert_eq!(code(&version), 0);
    assert!(stdout(&version).contains(env!("CARGO_PKG_VERSION")));
}

#[test]
fn missing_path_exits_2() {
    let out = run(&["check", "fixtures/does-not-exist"]);
    assert_eq!(code(&out), 2);
    assert!(out.stdout.is_empty());
    assert!(stderr(&out).contains("fixtures/does-not-exist"));
}

// ---- the data map -----------------------------------------------------------------------------

/// A temporary project with a `.git` folder, so the data-map search stops at its root.
fn repo() -> TempDir {
    let dir = TempDir::new().unwrap();
    fs::create_dir(dir.path().join(".git")).unwrap();
    dir
}

const SMALL_APP: &str = "import requests\n\n\ndef notify(customer):\n    requests.post(\"https://api.partner.example/v1\", json={\"email\": customer.email})\n";

#[test]
fn demo_shows_each_data_map_check() {
    let out = run(&["check", DEMO, "--format", "json"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let json = json_of(&out);
    let mut counts = std::collections::BTreeMap::new();
    for f in findings(&json) {
        *counts
            .entry(f["check"].as_str().unwrap().to_string())
            .or_insert(0) += 1;
    }
    for check in [
        "undeclared-data",
        "undeclared-purpose",
        "undeclared-recipient",
        "stale-declaration",
        "data-localization",
        "cross-border-transfer",
    ] {
        assert_eq!(counts.get(check), Some(&1), "{check}: {counts:?}");
    }
    // One store nothing erases, and one erasure path that forgets a store.
    assert_eq!(counts.get("missing-erasure"), Some(&2), "{counts:?}");
    assert_eq!(json["datamap"], "fixtures/demo/datamap.yml");
    // Declarations are reported where they are written.
    let stale = findings(&json)
        .iter()
        .find(|f| f["check"] == "stale-declaration")
        .unwrap();
    assert_eq!(stale["location"]["path"], "fixtures/demo/datamap.yml");
    assert!(stale["message"].as_str().unwrap().contains("`passport`"));
}

#[test]
fn demo_sarif_with_data_map_findings_validates() {
    let out = run(&["check", DEMO, "--format", "sarif"]);
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    sarif_schema::assert_valid(&sarif);
    let rules: Vec<&str> = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"cross-border-transfer"), "{rules:?}");
}

#[test]
fn invalid_data_map_reports_every_problem_located_and_exits_2() {
    let dir = repo();
    write(dir.path(), "app.py", SMALL_APP);
    write(
        dir.path(),
        "datamap.yml",
        "version: 1\ndata:\n  email: { category: user.contact.emial }\npurposes:\n  news: { legal_basis: consnet, data: [email] }\nstores:\n  users: { location: kz, data: [email], retention: 3 years }\n",
    );
    let out = run(&["check", path_str(dir.path()), "--format", "json"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let json = json_of(&out);
    let all = findings(&json);
    assert!(
        all.iter().all(|f| f["check"] == "invalid-datamap"),
        "{all:?}"
    );
    let at = |line: u64| {
        all.iter()
            .find(|f| f["location"]["line"] == line)
            .unwrap_or_else(|| panic!("nothing on line {line}: {all:?}"))
    };
    assert!(
        at(3)["message"]
            .as_str()
            .unwrap()
            .contains("user.contact.emial")
    );
    assert!(
        at(3)["help"]
            .as_str()
            .unwrap()
            .contains("did you mean `user.contact.email`")
    );
    assert!(at(5)["message"].as_str().unwrap().contains("consnet"));
    assert!(at(5)["help"].as_str().unwrap().contains("consent"));
    let line7: Vec<&Value> = all.iter().filter(|f| f["location"]["line"] == 7).collect();
    assert_eq!(line7.len(), 2, "the country and the retention: {line7:?}");
    // Nothing in the code was checked.
    assert!(
        !all.iter()
            .any(|f| has_ext(f["location"]["path"].as_str().unwrap(), "py"))
    );

    let text = run(&["check", path_str(dir.path()), "--color", "never"]);
    assert_eq!(code(&text), 2);
    let shown = stdout(&text);
    assert!(shown.contains("datamap.yml:5:24]"), "{shown}");
    assert!(shown.contains("The code was not checked"), "{shown}");
    assert!(shown.contains("did you mean"), "{shown}");
}

#[test]
fn missing_explicit_data_map_exits_2() {
    let dir = repo();
    write(dir.path(), "app.py", SMALL_APP);
    let out = run(&[
        "check",
        path_str(dir.path()),
        "--datamap",
        path_str(&dir.path().join("nope.yml")),
    ]);
    assert_eq!(code(&out), 2);
    assert!(stdout(&out).contains("nope.yml"), "{}", stdout(&out));
}

#[test]
fn without_a_data_map_a_hint_names_init() {
    let dir = repo();
    write(dir.path(), "app.py", SMALL_APP);
    let out = run(&["check", path_str(dir.path())]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(stderr(&out).contains("privlint init"), "{}", stderr(&out));
    let quiet = run(&["check", path_str(dir.path()), "--no-datamap"]);
    assert!(!stderr(&quiet).contains("privlint init"));
}

#[test]
fn data_map_checks_the_code_against_it() {
    let dir = repo();
    write(dir.path(), "app.py", SMALL_APP);
    write(
        dir.path(),
        "datamap.yml",
        "version: 1\ncontroller: { name: X, country: KZ }\ndata:\n  email: { category: user.contact.email }\npurposes:\n  notify: { legal_basis: contract, data: [email], code: [app.py] }\n",
    );
    let out = run(&["check", path_str(dir.path()), "--format", "json"]);
    assert_eq!(code(&out), 1);
    let json = json_of(&out);
    let keys = finding_keys(&json);
    assert_eq!(keys.len(), 1, "{keys:?}");
    assert_eq!(keys[0].0, "undeclared-recipient");
    assert_eq!(keys[0].2, 5);

    // Declared with its host: clean.
    write(
        dir.path(),
        "datamap.yml",
        "version: 1\ncontroller: { name: X, country: KZ }\ndata:\n  email: { category: user.contact.email }\npurposes:\n  notify: { legal_basis: contract, data: [email], code: [app.py] }\nrecipients:\n  partner: { purposes: [notify], data: [email], country: KZ, hosts: [api.partner.example] }\n",
    );
    let clean = run(&["check", path_str(dir.path()), "--format", "json"]);
    assert_eq!(code(&clean), 0, "{}", stdout(&clean));
}

#[test]
fn profiles_from_the_flag_change_what_a_transfer_needs() {
    let dir = repo();
    write(dir.path(), "app.py", "def f():\n    return 1\n");
    write(
        dir.path(),
        "datamap.yml",
        "version: 1\ncontroller: { name: X, country: DE }\ndata:\n  email: { category: user.contact.email }\npurposes:\n  p: { legal_basis: contract, data: [email] }\nrecipients:\n  in_vendor: { purposes: [p], data: [email], country: IN }\n  jp_vendor: { purposes: [p], data: [email], country: JP }\n  cn_vendor: { purposes: [p], data: [email], country: CN, safeguard: adequacy }\n  fr_vendor: { purposes: [p], data: [email], country: FR }\n",
    );
    // DE → the GDPR profile: India needs a safeguard, Japan has an adequacy decision, China
    // has none, France is inside the EEA.
    let out = run(&["check", path_str(dir.path()), "--format", "json"]);
    let json = json_of(&out);
    let lines: Vec<u64> = findings(&json)
        .iter()
        .filter(|f| f["check"] == "cross-border-transfer")
        .map(|f| f["location"]["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [8, 10], "{json}");

    // Under the Kazakhstan profile France is a Convention 108 party, and adequacy for China
    // is still not a basis.
    let kz = run(&[
        "check",
        path_str(dir.path()),
        "--format",
        "json",
        "--profile",
        "kz",
    ]);
    let json = json_of(&kz);
    let lines: Vec<u64> = findings(&json)
        .iter()
        .filter(|f| f["check"] == "cross-border-transfer")
        .map(|f| f["location"]["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, [8, 9, 10], "{json}");

    let unknown = run(&["check", path_str(dir.path()), "--profile", "mars"]);
    assert_eq!(code(&unknown), 2);
    assert!(stderr(&unknown).contains("mars"), "{}", stderr(&unknown));
}

#[test]
fn init_proposes_a_data_map_that_loads_and_never_overwrites() {
    let dir = repo();
    for rel in [
        "python/dala_market/__init__.py",
        "python/dala_market/customers.py",
        "python/dala_market/newsletter.py",
        "rust/src/main.rs",
        "rust/src/customers.rs",
        "rust/src/orders.rs",
    ] {
        let text = fs::read_to_string(Path::new(DEMO).join(rel)).unwrap();
        write(dir.path(), rel, &text);
    }
    let out = run(&["init", path_str(dir.path())]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let proposed = fs::read_to_string(dir.path().join("datamap.yml")).unwrap();
    for expected in [
        "user.contact.email",
        "user.government_id.national_identification_number",
        "mailgun:",
        "twilio:",
        "confirm",
    ] {
        assert!(
            proposed.contains(expected),
            "{expected} missing:\n{proposed}"
        );
    }
    let taxonomy = privlint::taxonomy::Taxonomy::builtin();
    let map = privlint::datamap::load(&dir.path().join("datamap.yml"), &taxonomy)
        .unwrap_or_else(|p| panic!("{p:?}\n{proposed}"));
    assert!(map.purposes.contains_key("newsletter"), "{proposed}");

    // The proposal is consistent with the code it came from: checking against it finds no
    // gap in what it declares.
    let check = run(&["check", path_str(dir.path()), "--format", "json"]);
    assert_ne!(code(&check), 2, "{}", stdout(&check));
    let json = json_of(&check);
    for f in findings(&json) {
        assert!(
            [
                "identifier-in-log",
                "cross-border-transfer",
                "undeclared-purpose"
            ]
            .contains(&f["check"].as_str().unwrap()),
            "{f}\n{proposed}"
        );
    }

    let again = run(&["init", path_str(dir.path())]);
    assert_eq!(code(&again), 2);
    assert!(
        stderr(&again).contains("already exists"),
        "{}",
        stderr(&again)
    );
    assert_eq!(
        fs::read_to_string(dir.path().join("datamap.yml")).unwrap(),
        proposed
    );
}

#[test]
fn explain_every_check_cites_its_basis() {
    for check in [
        "undeclared-data",
        "undeclared-purpose",
        "undeclared-recipient",
        "stale-declaration",
        "data-localization",
        "cross-border-transfer",
        "invalid-datamap",
    ] {
        let out = run(&["explain", check]);
        assert_eq!(code(&out), 0, "{check}");
        let text = stdout(&out);
        assert!(text.contains("Why it matters"), "{check}: {text}");
        assert!(text.contains("Article"), "{check}: {text}");
    }
}

#[test]
fn graph_draws_every_store_that_holds_an_element() {
    let out = run(&["graph", DEMO, "--data", "email"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.starts_with("flowchart LR\n"), "{text}");
    // Every store the analysis found holding email, and nothing about other elements.
    for store in ["accounts", "audit_entry"] {
        assert!(
            text.contains(&format!("[(\"{store}<br/>")),
            "{store}: {text}"
        );
    }
    assert!(!text.contains("user.contact.address"), "{text}");
    assert!(text.contains("-.->|deletes|"), "{text}");
    // Every edge joins two declared nodes.
    let nodes: Vec<&str> = text
        .lines()
        .filter_map(|l| l.trim().split(['[', '(']).next())
        .filter(|id| id.starts_with('n') && id[1..].chars().all(|c| c.is_ascii_digit()))
        .collect();
    for line in text.lines().filter(|l| l.contains("->")) {
        let words: Vec<&str> = line.split_whitespace().collect();
        assert!(
            nodes.contains(&words[0]) && nodes.contains(&words[words.len() - 1]),
            "{line}"
        );
    }

    let json = json_of(&run(&[
        "graph",
        DEMO,
        "--format",
        "json",
        "--store",
        "deliveries",
    ]));
    let stores = json["stores"].as_array().unwrap();
    assert_eq!(stores.len(), 1, "{json}");
    assert_eq!(stores[0]["id"], "store:deliveries");
    let dot = run(&["graph", DEMO, "--format", "dot"]);
    assert!(
        stdout(&dot).starts_with("digraph privlint {"),
        "{}",
        stdout(&dot)
    );
}

/// The Mermaid graph parses with Mermaid's own parser (`tests/mermaid/check.mjs`, Node with
/// the pinned `mermaid` and `jsdom` packages, installed here from the npm registry on first use).
#[test]
fn graph_mermaid_parses_with_mermaid() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("tests/mermaid");
    if !dir.join("node_modules/mermaid").exists() {
        let status = std::process::Command::new("npm")
            .args(["ci", "--silent", "--no-audit", "--no-fund"])
            .current_dir(&dir)
            .stdin(std::process::Stdio::null())
            .status()
            .expect("npm is needed for this test (Node.js 18 or later)");
        assert!(status.success(), "npm ci in tests/mermaid failed");
    }
    let out_dir = TempDir::new().unwrap();
    let mut files = Vec::new();
    for (name, args) in [
        ("email.mmd", vec!["graph", DEMO, "--data", "email"]),
        ("all.mmd", vec!["graph", DEMO]),
        ("store.mmd", vec!["graph", DEMO, "--store", "deliveries"]),
    ] {
        let out = run(&args);
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        let file = out_dir.path().join(name);
        fs::write(&file, &out.stdout).unwrap();
        files.push(file);
    }
    // And a broken one, so the checker is known to reject what Mermaid rejects.
    let broken = out_dir.path().join("broken.mmd");
    fs::write(&broken, "flowchart LR\n    n0[(\"x) -->\n").unwrap();
    let check = |file: &Path| {
        std::process::Command::new("node")
            .arg(dir.join("check.mjs"))
            .arg(file)
            .stdin(std::process::Stdio::null())
            .output()
            .expect("node is needed for this test")
    };
    for file in &files {
        let out = check(file);
        assert!(
            out.status.success(),
            "{}: {}{}",
            file.display(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("flowchart"));
    }
    assert!(
        !check(&broken).status.success(),
        "the checker accepts a broken diagram"
    );
}

/// `PRIVLINT_TIMINGS` prints each phase of a check on standard error, for the benchmark, and
/// leaves the report itself as it was.
#[test]
fn timings_go_to_stderr_and_leave_the_report_alone() {
    let args = [
        "check",
        "fixtures/demo",
        "--format",
        "json",
        "--fail-on",
        "never",
    ];
    let plain = run(&args);
    let timed = privlint()
        .args(args)
        .env("PRIVLINT_TIMINGS", "1")
        .output()
        .unwrap();
    assert_eq!(stdout(&timed), stdout(&plain));
    assert!(!stderr(&plain).contains("timing:"), "{}", stderr(&plain));
    let err = stderr(&timed);
    let phases: Vec<&str> = err
        .lines()
        .filter_map(|l| l.strip_prefix("timing: "))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(
        phases,
        [
            "setup", "discover", "parse", "index", "flow", "stores", "checks", "collect", "render",
            "write"
        ]
    );
}
