//! Gating on new findings only: `--diff-base` on shifted lines, renamed files and new leaks in
//! a temporary git repository with two commits; baseline files; the configuration file.

use assert_cmd::Command;
use serde_json::Value;
use std::fs;
use std::path::Path;
use tempfile::TempDir;

const APP: &str = "import logging\nlogger = logging.getLogger()\n\n\ndef signup(user):\n    logger.info(\"signup %s\", user.email)\n";

fn git(dir: &Path, args: &[&str]) {
    let status = std::process::Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid"])
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("git runs");
    assert!(status.status.success(), "git {args:?}: {status:?}");
}

/// A repository whose first commit holds `APP` as `app.py`.
fn repo() -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q"]);
    fs::write(dir.path().join("app.py"), APP).unwrap();
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-qm", "one"]);
    dir
}

fn commit(dir: &Path) {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-qm", "two"]);
}

fn privlint(dir: &Path, args: &[&str]) -> (i32, Value, String) {
    let out = Command::cargo_bin("privlint")
        .unwrap()
        .current_dir(dir)
        .args(["check", "--format", "json", "--no-datamap"])
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let json = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code().unwrap(), json, stderr)
}

fn found(json: &Value) -> Vec<(String, u64)> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["location"]["path"].as_str().unwrap().to_string(),
                f["location"]["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn shifted_lines_are_nothing_new() {
    let dir = repo();
    let shifted = APP.replace("def signup", "def other():\n    return 1\n\n\ndef signup");
    fs::write(dir.path().join("app.py"), shifted).unwrap();
    commit(dir.path());
    let (code, json, err) = privlint(dir.path(), &["--diff-base", "HEAD~1"]);
    assert_eq!(found(&json), [], "{err}");
    assert_eq!(json["summary"]["baselined"], 1);
    assert_eq!(code, 0, "{err}");
    // Without the base the finding is there, on its new line.
    let (code, json, _) = privlint(dir.path(), &[]);
    assert_eq!(found(&json), [("app.py".to_string(), 10)]);
    assert_eq!(code, 1);
}

#[test]
fn renamed_file_is_nothing_new() {
    let dir = repo();
    fs::create_dir(dir.path().join("accounts")).unwrap();
    git(dir.path(), &["mv", "app.py", "accounts/signup.py"]);
    commit(dir.path());
    let (code, json, err) = privlint(dir.path(), &["--diff-base", "HEAD~1"]);
    assert_eq!(found(&json), [], "{err}");
    assert_eq!(code, 0);
}

#[test]
fn a_new_leak_is_exactly_that_finding() {
    let dir = repo();
    let more = format!("{APP}\n\ndef login(user):\n    logger.info(\"login %s\", user.phone)\n");
    fs::write(dir.path().join("app.py"), more).unwrap();
    // The same leak copied into a second file is new too: each old finding matches one.
    fs::write(dir.path().join("copy.py"), APP).unwrap();
    commit(dir.path());
    let (code, json, err) = privlint(dir.path(), &["--diff-base", "HEAD~1"]);
    assert_eq!(
        found(&json),
        [("app.py".to_string(), 10), ("copy.py".to_string(), 6)],
        "{err}"
    );
    assert_eq!(json["summary"]["baselined"], 1);
    assert_eq!(code, 1);
    // The Markdown summary names the new category.
    let out = Command::cargo_bin("privlint")
        .unwrap()
        .current_dir(dir.path())
        .args([
            "check",
            "--no-datamap",
            "--format",
            "markdown",
            "--diff-base",
            "HEAD~1",
        ])
        .output()
        .unwrap();
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.contains("**2 new findings**"), "{md}");
    assert!(
        md.contains("- **New data categories found in code**: `user.contact.phone_number`"),
        "{md}"
    );
}

#[test]
fn unknown_revision_and_no_repository_exit_2() {
    let dir = repo();
    let (code, _, err) = privlint(dir.path(), &["--diff-base", "no-such-rev"]);
    assert_eq!(code, 2);
    assert!(err.contains("`no-such-rev` is not a commit"), "{err}");
    let plain = tempfile::tempdir().unwrap();
    fs::write(plain.path().join("app.py"), APP).unwrap();
    let (code, _, err) = privlint(plain.path(), &["--diff-base", "HEAD"]);
    assert_eq!(code, 2);
    assert!(err.contains("needs a git repository"), "{err}");
}

#[test]
fn baseline_round_trip() {
    let dir = repo();
    let out = Command::cargo_bin("privlint")
        .unwrap()
        .current_dir(dir.path())
        .args(["baseline", "--no-datamap"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let text = fs::read_to_string(dir.path().join(".privlint-baseline.json")).unwrap();
    let baseline: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(baseline["version"], 1);
    let entry = &baseline["findings"][0];
    assert_eq!(entry["path"], "app.py");
    assert_eq!(entry["check"], "identifier-in-log");
    assert_eq!(entry["data"][0], "user.contact.email");
    for key in ["fingerprint", "code", "message"] {
        assert!(entry[key].as_str().is_some_and(|s| !s.is_empty()), "{key}");
    }
    let (code, json, err) = privlint(dir.path(), &["--baseline", ".privlint-baseline.json"]);
    assert_eq!((code, found(&json)), (0, vec![]), "{err}");
    assert_eq!(json["summary"]["baselined"], 1);
    // Moved and renamed, still baselined; a new leak is not.
    let moved = APP.replace("def signup", "X = 1\n\n\ndef signup")
        + "\n\ndef login(user):\n    logger.info(\"login %s\", user.phone)\n";
    fs::remove_file(dir.path().join("app.py")).unwrap();
    fs::write(dir.path().join("renamed.py"), moved).unwrap();
    let (code, json, err) = privlint(dir.path(), &["--baseline", ".privlint-baseline.json"]);
    assert_eq!(found(&json), [("renamed.py".to_string(), 13)], "{err}");
    assert_eq!(code, 1);
    // The text summary says how many were baselined.
    let out = Command::cargo_bin("privlint")
        .unwrap()
        .current_dir(dir.path())
        .args([
            "check",
            "--no-datamap",
            "--color",
            "never",
            "--baseline",
            ".privlint-baseline.json",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("1 finding (0 suppressed, 1 baselined)"),
        "{text}"
    );
    // A broken baseline is a usage error.
    fs::write(dir.path().join("bad.json"), "{\"version\": 1}").unwrap();
    let (code, _, err) = privlint(dir.path(), &["--baseline", "bad.json"]);
    assert_eq!(code, 2);
    assert!(err.contains("is not a privlint baseline"), "{err}");
}

#[test]
fn configuration_file_applies_and_flags_override() {
    let dir = repo();
    fs::write(dir.path().join("other.py"), APP.replace("signup", "login")).unwrap();
    fs::write(
        dir.path().join(".privlint.yml"),
        "exclude: [\"other.py\"]\nfail-on: never\nchecks:\n  identifier-in-log: { severity: note }\n",
    )
    .unwrap();
    let (code, json, err) = privlint(dir.path(), &[]);
    assert_eq!(found(&json), [("app.py".to_string(), 6)], "{err}");
    assert_eq!(json["findings"][0]["severity"], "note");
    assert_eq!(code, 0);
    // Flags win: `--fail-on note` fails, `--exclude` replaces the file's list.
    let (code, json, _) = privlint(dir.path(), &["--fail-on", "note", "--exclude", "app.py"]);
    assert_eq!(found(&json), [("other.py".to_string(), 6)]);
    assert_eq!(code, 1);
    // Disabled: nothing.
    fs::write(
        dir.path().join(".privlint.yml"),
        "checks:\n  identifier-in-log: { enabled: false }\n",
    )
    .unwrap();
    let (code, json, _) = privlint(dir.path(), &[]);
    assert_eq!((code, found(&json)), (0, vec![]));
    // An unknown key: exit 2, located, with a did-you-mean.
    fs::write(
        dir.path().join(".privlint.yml"),
        "fail-on: error\nexlude: [x]\n",
    )
    .unwrap();
    let (code, _, err) = privlint(dir.path(), &[]);
    assert_eq!(code, 2);
    assert!(
        err.contains(".privlint.yml:2:1: unknown key `exlude`: did you mean `exclude`?"),
        "{err}"
    );
    let (code, _, err) = privlint(dir.path(), &["--no-config"]);
    assert_eq!(code, 1, "{err}");
}

#[test]
fn show_suppressed_lists_reasons_and_file_level_suppressions_apply() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "# privlint: ignore-file[identifier-in-log] audit trail (DPIA-12)\n{APP}\
         # privlint: ignore[identifier-in-log] nothing here any more\nX = 1\n"
    );
    fs::write(dir.path().join("audit.py"), text).unwrap();
    let out = Command::cargo_bin("privlint")
        .unwrap()
        .current_dir(dir.path())
        .args([
            "check",
            "--no-datamap",
            "--color",
            "never",
            "--show-suppressed",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Suppressed 1 finding:\n  audit.py:7:5: [identifier-in-log]"),
        "{text}"
    );
    assert!(
        text.contains("    reason: audit trail (DPIA-12)\n"),
        "{text}"
    );
    assert!(text.contains("unused-suppression: 1"), "{text}");
    assert!(text.contains("1 finding (1 suppressed)"), "{text}");
}
