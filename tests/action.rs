//! The GitHub Action (`action.yml`): inputs reach the shell only through `env:`, and its shell
//! steps run green on a small git repository with two commits, with a fake `GITHUB_*`
//! environment and the freshly built binary on `PATH`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const APP: &str = "import logging\nlogger = logging.getLogger()\n\n\ndef signup(user):\n    logger.info(\"signup %s\", user.email)\n";

/// The script of every `run:` of a YAML file: the value on the line, or the indented block
/// under `run: |`.
fn run_scripts(yaml: &str) -> Vec<String> {
    let lines: Vec<&str> = yaml.lines().collect();
    let mut scripts = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim_start().trim_start_matches("- ");
        if let Some(value) = trimmed.strip_prefix("run:") {
            let indent = line.len() - line.trim_start().len();
            let value = value.trim();
            if value.starts_with('|') || value.starts_with('>') {
                let mut block = String::new();
                i += 1;
                while i < lines.len()
                    && (lines[i].trim().is_empty()
                        || lines[i].len() - lines[i].trim_start().len() > indent)
                {
                    block.push_str(lines[i]);
                    block.push('\n');
                    i += 1;
                }
                scripts.push(block);
                continue;
            }
            scripts.push(value.to_string());
        }
        i += 1;
    }
    scripts
}

#[test]
fn inputs_reach_the_shell_only_through_env() {
    for file in ["action.yml", ".github/workflows/release.yml"] {
        let text = fs::read_to_string(Path::new(ROOT).join(file)).unwrap();
        let scripts = run_scripts(&text);
        assert!(!scripts.is_empty(), "{file} has run steps");
        for script in scripts {
            assert!(
                !script.contains("${{"),
                "{file}: an expression inside run:\n{script}"
            );
        }
    }
    // The action's own parse: valid YAML with the inputs and outputs the README documents.
    let text = fs::read_to_string(Path::new(ROOT).join("action.yml")).unwrap();
    let action: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
    for input in ["path", "datamap", "fail-on", "baseline", "base-ref", "args"] {
        assert!(action["inputs"][input].is_object(), "input {input}");
    }
    for output in ["findings", "sarif"] {
        assert!(action["outputs"][output].is_object(), "output {output}");
    }
    assert_eq!(action["runs"]["using"], "composite");
    // The script finder itself sees an expression where there is one.
    assert!(run_scripts("steps:\n  - run: |\n      echo ${{ inputs.path }}\n")[0].contains("${{"));
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid"])
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {out:?}");
}

struct Run {
    out: Output,
    outputs: String,
    summary: String,
    sarif: Option<String>,
}

fn bin_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_privlint"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn run_step(repo: &Path, env: &[(&str, &str)]) -> Run {
    let fake = tempfile::tempdir().unwrap();
    let output_file = fake.path().join("output");
    let summary_file = fake.path().join("summary");
    fs::write(&summary_file, "").unwrap();
    let path = format!(
        "{}:{}",
        bin_dir().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut cmd = Command::new("bash");
    cmd.arg(Path::new(ROOT).join(".github/scripts/run.sh"))
        .current_dir(repo)
        .env("PATH", path)
        .env("GITHUB_OUTPUT", &output_file)
        .env("GITHUB_STEP_SUMMARY", &summary_file)
        .env("GITHUB_WORKSPACE", repo)
        .env("RUNNER_TEMP", fake.path())
        .env("RUNNER_OS", "Linux")
        .env("RUNNER_ARCH", "X64")
        .env("GITHUB_ACTIONS", "true")
        .stdin(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    Run {
        out,
        outputs: fs::read_to_string(&output_file).unwrap_or_default(),
        summary: fs::read_to_string(&summary_file).unwrap(),
        sarif: fs::read_to_string(fake.path().join("privlint.sarif")).ok(),
    }
}

/// A repository with an old leak in its first commit and a new one in its second.
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q"]);
    fs::write(dir.path().join("app.py"), APP).unwrap();
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-qm", "one"]);
    let more =
        format!("X = 1\n{APP}\n\ndef login(user):\n    logger.info(\"login %s\", user.phone)\n");
    fs::write(dir.path().join("app.py"), more).unwrap();
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-qm", "two"]);
    dir
}

#[test]
fn run_step_annotates_summarises_and_fails_on_new_findings() {
    let dir = repo();
    let run = run_step(
        dir.path(),
        &[
            ("INPUT_BASE_REF", "HEAD~1"),
            ("INPUT_FAIL_ON", "error"),
            ("INPUT_ARGS", "--no-datamap"),
        ],
    );
    let stdout = String::from_utf8_lossy(&run.out.stdout);
    let stderr = String::from_utf8_lossy(&run.out.stderr);
    assert_eq!(run.out.status.code(), Some(1), "{stdout}\n{stderr}");
    // One annotation: the new leak, not the old one on its shifted line.
    let annotations: Vec<&str> = stdout.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(annotations.len(), 1, "{stdout}");
    assert!(
        annotations[0].starts_with("::error file=app.py,line=11,col=5,"),
        "{stdout}"
    );
    assert!(run.summary.contains("## privlint"), "{}", run.summary);
    assert!(run.summary.contains("**1 new finding**"), "{}", run.summary);
    assert!(
        run.summary.contains("### Privacy changes against `HEAD~1`"),
        "{}",
        run.summary
    );
    let sarif: serde_json::Value = serde_json::from_str(run.sarif.as_deref().unwrap()).unwrap();
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 1);
    assert!(run.outputs.contains("findings=1\n"), "{}", run.outputs);
    assert!(run.outputs.contains("sarif="), "{}", run.outputs);
}

#[test]
fn fail_on_decides_the_exit_code() {
    let dir = repo();
    // All findings (no base): both leaks are errors.
    let never = run_step(
        dir.path(),
        &[("INPUT_FAIL_ON", "never"), ("INPUT_ARGS", "--no-datamap")],
    );
    assert_eq!(never.out.status.code(), Some(0));
    assert!(never.outputs.contains("findings=2\n"), "{}", never.outputs);
    // Findings turned into notes do not fail `warning`.
    fs::write(
        dir.path().join(".privlint.yml"),
        "checks:\n  identifier-in-log: { severity: note }\n",
    )
    .unwrap();
    let warning = run_step(
        dir.path(),
        &[("INPUT_FAIL_ON", "warning"), ("INPUT_ARGS", "--no-datamap")],
    );
    assert_eq!(warning.out.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&warning.out.stdout).contains("::notice file=app.py"),
        "notes are notices"
    );
    fs::remove_file(dir.path().join(".privlint.yml")).unwrap();
    let error = run_step(
        dir.path(),
        &[("INPUT_FAIL_ON", "error"), ("INPUT_ARGS", "--no-datamap")],
    );
    assert_eq!(error.out.status.code(), Some(1));
    // A bad input or an unknown base: exit 2, nothing half-done in the outputs.
    let bad = run_step(dir.path(), &[("INPUT_FAIL_ON", "sometimes")]);
    assert_eq!(bad.out.status.code(), Some(2));
    let unknown = run_step(
        dir.path(),
        &[
            ("INPUT_BASE_REF", "no-such-branch"),
            ("INPUT_ARGS", "--no-datamap"),
        ],
    );
    assert_eq!(unknown.out.status.code(), Some(2));
    assert!(!unknown.outputs.contains("findings="));
    // Arguments are split into words, never run by a shell.
    let injected = run_step(
        dir.path(),
        &[("INPUT_ARGS", "--no-datamap $(touch pwned) ;touch pwned2")],
    );
    assert_eq!(injected.out.status.code(), Some(2));
    assert!(!dir.path().join("pwned").exists() && !dir.path().join("pwned2").exists());
}

#[test]
fn install_step_keeps_the_binary_on_path() {
    let version = env!("CARGO_PKG_VERSION");
    let fake = tempfile::tempdir().unwrap();
    let output_file = fake.path().join("output");
    let path = format!(
        "{}:{}",
        bin_dir().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("bash")
        .arg(Path::new(ROOT).join(".github/scripts/install.sh"))
        .env("PATH", path)
        .env("PRIVLINT_VERSION", version)
        .env("GITHUB_OUTPUT", &output_file)
        .env("RUNNER_TEMP", fake.path())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(fs::read_to_string(&output_file).unwrap(), "method=path\n");
    // An unknown runner without a release falls back to building from source.
    let out = Command::new("bash")
        .arg(Path::new(ROOT).join(".github/scripts/install.sh"))
        .env("PATH", "/usr/bin:/bin")
        .env("RUNNER_OS", "Plan9")
        .env("GITHUB_OUTPUT", &output_file)
        .env("RUNNER_TEMP", fake.path())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(
        fs::read_to_string(&output_file)
            .unwrap()
            .ends_with("method=cargo\n")
    );
}
