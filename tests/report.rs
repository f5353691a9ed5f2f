//! `privlint report`: the demo's record of processing in every format, checked for its content
//! (every purpose, element, recipient, store and finding of the demo, in its place); escaping of
//! hostile strings, also as headless Chromium parses the page; merging records; the privacy diff.

use assert_cmd::Command;
use serde_json::Value;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

const REPO: &str = "https://github.com/dala/shop";
const COMMIT: &str = "0123456789abcdef0123456789abcdef01234567";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn privlint(cwd: &Path, args: &[&str]) -> Output {
    Command::cargo_bin("privlint")
        .unwrap()
        .current_dir(cwd)
        .env("SOURCE_DATE_EPOCH", "1764460800")
        .env_remove("GITHUB_REPOSITORY")
        .env_remove("GITHUB_SHA")
        .env_remove("CI_PROJECT_URL")
        .env_remove("CI_COMMIT_SHA")
        .args(args)
        .output()
        .unwrap()
}

fn demo(format: &str) -> Output {
    let out = privlint(
        &root(),
        &[
            "report",
            "fixtures/demo",
            "--format",
            format,
            "--repo-url",
            REPO,
            "--commit",
            COMMIT,
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn text(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// What the demo declares, read with the library, and what `check` finds there.
struct Demo {
    map: privlint::datamap::DataMap,
    findings: Vec<Value>,
}

fn demo_facts() -> Demo {
    let taxonomy = privlint::taxonomy::Taxonomy::builtin();
    let map = privlint::datamap::load(&root().join("fixtures/demo/datamap.yml"), &taxonomy)
        .expect("the demo's data map loads");
    let out = privlint(&root(), &["check", "fixtures/demo", "--format", "json"]);
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = json["findings"].as_array().unwrap().clone();
    assert!(!findings.is_empty());
    Demo { map, findings }
}

/// The text between `start` and the first `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("`{start}` is missing"));
    let rest = &text[from..];
    let to = rest[start.len()..]
        .find(end)
        .map_or(rest.len(), |i| i + start.len());
    &rest[..to]
}

fn location_of(f: &Value) -> String {
    format!(
        "{}:{}",
        f["location"]["path"].as_str().unwrap(),
        f["location"]["line"]
    )
}

fn plain_title(check: &str) -> &'static str {
    privlint::record::plain_words(check).0
}

#[test]
fn html_record_has_everything_in_its_place() {
    let facts = demo_facts();
    let html = text(&demo("html"));
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("2025-11-30T00:00:00Z"), "generated-at");
    assert!(html.contains(COMMIT));
    assert!(html.contains(concat!("privlint ", env!("CARGO_PKG_VERSION"))));
    // Self-contained: nothing is fetched.
    for outside in ["<script", "<link", "src=\"http", "@import", "url("] {
        assert!(!html.contains(outside), "{outside}");
    }
    let controller = between(&html, "id=\"controller\"", "id=\"purposes\"");
    assert!(controller.contains("Dala Market LLP") && controller.contains("Aliya Sarsenova"));
    assert!(controller.contains("dpo@dala.kz") && controller.contains("Kazakhstan"));
    for (key, p) in &facts.map.purposes {
        let section = between(&html, &format!("id=\"purpose-demo-{key}\""), "</section>");
        assert!(section.contains(p.name.as_deref().unwrap()), "{key}");
        assert!(section.contains(p.legal_basis.label()), "{key}");
        for element in &p.data {
            assert!(
                section.contains(&format!("<code>{element}</code>")),
                "{key}: {element}"
            );
        }
        for (rk, r) in &facts.map.recipients {
            let named = section.contains(r.name.as_deref().unwrap_or(rk));
            assert_eq!(named, r.purposes.contains(key), "{key}: recipient {rk}");
        }
        for (sk, s) in &facts.map.stores {
            let holds = s.data.iter().any(|d| p.data.contains(d));
            let shown = section.contains(&format!("<code>{sk}</code>"));
            assert_eq!(shown, holds, "{key}: store {sk}");
        }
    }
    // Evidence is linked to the commit.
    let newsletter = between(&html, "id=\"purpose-demo-marketing\"", "</section>");
    assert!(newsletter.contains(&format!(
        "{REPO}/blob/{COMMIT}/fixtures/demo/python/dala_market/newsletter.py#L"
    )));
    let data = between(&html, "id=\"data\"", "id=\"recipients\"");
    for key in facts.map.data.keys() {
        assert!(
            data.contains(&format!("<code>{key}</code>")),
            "element {key}"
        );
    }
    let recipients = between(&html, "id=\"recipients\"", "id=\"stores\"");
    assert!(recipients.contains("Mailgun") && recipients.contains("not in the data map"));
    let stores = between(&html, "id=\"stores\"", "id=\"findings\"");
    for key in facts.map.stores.keys() {
        assert!(
            stores.contains(&format!("<code>{key}</code>")),
            "store {key}"
        );
    }
    assert!(
        stores.contains("<code>audit_entry</code>"),
        "the store found in code only"
    );
    let findings = between(&html, "id=\"findings\"", "</main>");
    for f in &facts.findings {
        let title = plain_title(f["check"].as_str().unwrap());
        let card = between(findings, title, "</section>");
        assert!(
            card.contains(&location_of(f)),
            "{title}: {}",
            location_of(f)
        );
    }
}

#[test]
fn markdown_record_has_everything_in_its_place() {
    let facts = demo_facts();
    let md = text(&demo("md"));
    for p in facts.map.purposes.values() {
        let name = p.name.as_deref().unwrap();
        let section = between(&md, &format!("### {name}"), "\n### ");
        for element in &p.data {
            assert!(
                section.contains(&format!("(`{element}`)")),
                "{name}: {element}"
            );
        }
        assert!(section.contains(p.legal_basis.label()));
    }
    let stores = between(&md, "## Stores and erasure", "## Open findings");
    for key in facts.map.stores.keys() {
        assert!(stores.contains(&format!("| `{key}`")), "store {key}");
    }
    assert!(stores.contains("missing\\: no code deletes or anonymises it"));
    let findings = between(&md, "## Open findings", "\u{0}");
    for f in &facts.findings {
        let title = plain_title(f["check"].as_str().unwrap());
        let group = between(findings, &format!("### {title}"), "\n### ");
        let at = location_of(f).replace('_', "\\_").replace(':', "\\:");
        assert!(group.contains(&at), "{title}: {at}");
    }
}

fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn csv_has_one_row_per_purpose_and_category() {
    let facts = demo_facts();
    let rows = csv_rows(&text(&demo("csv")));
    let header = &rows[0];
    assert_eq!(header, privlint::report::record::COLUMNS);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let body = &rows[1..];
    let expected: usize = facts.map.purposes.values().map(|p| p.data.len()).sum();
    assert_eq!(body.len(), expected);
    let pairs: BTreeSet<(String, String)> = body
        .iter()
        .map(|r| (r[col("Purpose")].clone(), r[col("Data element")].clone()))
        .collect();
    for p in facts.map.purposes.values() {
        for d in &p.data {
            assert!(pairs.contains(&(p.name.clone().unwrap(), d.clone())), "{d}");
        }
    }
    let newsletter: Vec<&Vec<String>> = body
        .iter()
        .filter(|r| r[col("Purpose")] == "Newsletter")
        .collect();
    assert_eq!(
        newsletter[0][col("Art. 6 basis")],
        "Consent of the data subject"
    );
    assert_eq!(
        newsletter[0][col("Categories of recipients")],
        "Mailgun (US)"
    );
    assert_eq!(
        newsletter[0][col("Third-country transfers")],
        "Mailgun (US)"
    );
    assert_eq!(
        newsletter[0][col("Processor contract")],
        "Mailgun: Mailgun DPA 2025-04"
    );
    assert_eq!(newsletter[0][col("DPIA required")], "no");
    assert!(newsletter[0][col("Evidence")].starts_with(&format!("{REPO}/blob/{COMMIT}/")));
    assert!(newsletter[0][col("To complete")].contains("recipients.mailgun.safeguard"));
}

#[test]
fn xlsx_holds_the_same_rows_as_the_csv() {
    use calamine::{Reader, Xlsx};
    let csv = csv_rows(&text(&demo("csv")));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("record.xlsx");
    let out = privlint(
        &root(),
        &[
            "report",
            "fixtures/demo",
            "--format",
            "xlsx",
            "--repo-url",
            REPO,
            "--commit",
            COMMIT,
            "-o",
            path.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    let mut book: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    assert_eq!(
        book.sheet_names(),
        [
            "Record",
            "Personal data",
            "Recipients",
            "Stores",
            "Open findings",
            "About"
        ]
    );
    let sheet = book.worksheet_range("Record").unwrap();
    let cells: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(ToString::to_string).collect())
        .collect();
    assert_eq!(cells, csv);
    let findings = book.worksheet_range("Open findings").unwrap();
    assert_eq!(findings.rows().count() - 1, demo_facts().findings.len());
}

fn schema_validator() -> jsonschema::Validator {
    let text = fs::read_to_string(root().join("schema/record.v1.json")).unwrap();
    jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap()
}

#[test]
fn json_record_validates_and_holds_the_verdicts() {
    let facts = demo_facts();
    let json: Value = serde_json::from_slice(&demo("json").stdout).unwrap();
    let errors: Vec<String> = schema_validator()
        .iter_errors(&json)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let keys = |list: &str| -> BTreeSet<String> {
        json[list]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x["key"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        keys("purposes"),
        facts.map.purposes.keys().cloned().collect()
    );
    assert_eq!(keys("elements"), facts.map.data.keys().cloned().collect());
    let stores = json["stores"].as_array().unwrap();
    let status = |key: &str| {
        stores.iter().find(|s| s["key"] == key).unwrap()["erasure_status"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(status("accounts"), "verified");
    assert_eq!(status("audit_entry"), "missing");
    assert_eq!(status("deliveries"), "incomplete");
    assert_eq!(status("analytics"), "not_in_code");
    let total: usize = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["items"].as_array().unwrap().len())
        .sum();
    assert_eq!(total, facts.findings.len());
    // The same tree and time give the same bytes.
    assert_eq!(demo("json").stdout, demo("json").stdout);
}

#[test]
fn shipped_record_schema_is_up_to_date() {
    let generated = privlint::record::json_schema_text();
    let path = root().join("schema/record.v1.json");
    if std::env::var_os("PRIVLINT_BLESS").is_some() {
        fs::write(&path, &generated).unwrap();
        return;
    }
    assert!(
        fs::read_to_string(&path).unwrap_or_default() == generated,
        "schema/record.v1.json is stale; run `PRIVLINT_BLESS=1 cargo test` to update it"
    );
}

const HOSTILE: &str = "<script>alert(\"x\")</script><img src=x onerror='y'>";

/// A project whose data map and code carry markup and quotes everywhere a string can go.
fn hostile_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let q = HOSTILE.replace('\'', "''");
    fs::write(
        dir.path().join("datamap.yml"),
        format!(
            "version: 1\n\
             controller: {{ name: '{q} LLP', country: KZ, contact: 'a@b.kz', security_measures: '{q}' }}\n\
             data:\n  email: {{ category: user.contact.email, subjects: ['{q}'], description: '{q}' }}\n\
             purposes:\n  accounts: {{ legal_basis: contract, data: [email], name: '{q}', description: '{q}', code: ['**'] }}\n\
             stores:\n  users: {{ entity: User, location: KZ, data: [email], description: '{q}' }}\n"
        ),
    )
    .unwrap();
    fs::write(
        dir.path().join("app\"<b>.py"),
        "import logging\nlogger = logging.getLogger(__name__)\n\n\ndef signup(form):\n    email = form[\"<script>\"]\n    logger.info(\"<script>%s\", email)\n",
    )
    .unwrap();
    dir
}

#[test]
fn strings_from_code_and_yaml_are_inert() {
    let dir = hostile_project();
    let url = "https://example.com/a\"onmouseover=\"x";
    let args = |format: &'static str| {
        vec![
            "report",
            ".",
            "--format",
            format,
            "--repo-url",
            url,
            "--commit",
            "c0ffee",
        ]
    };
    let out = privlint(dir.path(), &args("html"));
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = text(&out);
    assert!(!html.to_lowercase().contains("<script"), "{html}");
    assert!(!html.contains("<img"));
    assert!(!html.contains("<b>"));
    assert!(!html.contains("\"onmouseover"));
    assert!(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"));
    assert!(
        html.contains("https://example.com/a%22onmouseover=%22x/blob/c0ffee/app%22%3Cb%3E.py#L7")
    );
    // Markdown: outside code spans (which GitHub shows as text), no markup and no raw quote in
    // a link.
    let md = text(&privlint(dir.path(), &args("md")));
    // Backslash-escaped characters are literal text; what is left between code spans must hold
    // no markup.
    let prose: String = md
        .replace("\\`", "")
        .split('`')
        .step_by(2)
        .collect::<String>()
        .replace("\\<", "")
        .replace("\\\"", "");
    for raw in ["<script", "<img", "<b>", "\"onmouseover"] {
        assert!(!prose.contains(raw), "{raw}: {md}");
    }
    // The page as a browser parses it: no element came from the strings.
    if let Some(dom) = chromium_dom(&html) {
        assert!(!dom.to_lowercase().contains("<script"), "{dom}");
        assert!(!dom.contains("<img"));
        assert!(dom.contains("&lt;script&gt;alert(\"x\")&lt;/script&gt;"));
    }
}

/// The DOM headless Chromium builds from `html`, or `None` when no Chromium is installed and
/// `PRIVLINT_REQUIRE_BROWSER` is not set (`.ci/run` sets it and installs Chromium).
fn chromium_dom(html: &str) -> Option<String> {
    let browser = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            std::process::Command::new(b)
                .arg("--version")
                .stdin(std::process::Stdio::null())
                .output()
                .is_ok_and(|o| o.status.success())
        });
    let Some(browser) = browser else {
        assert!(
            std::env::var_os("PRIVLINT_REQUIRE_BROWSER").is_none(),
            "PRIVLINT_REQUIRE_BROWSER is set and no chromium is installed"
        );
        eprintln!("note: no chromium installed; the page was not checked in a browser");
        return None;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("record.html");
    fs::write(&page, html).unwrap();
    let out = std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            &format!("--user-data-dir={}", dir.path().join("profile").display()),
            "--dump-dom",
        ])
        .arg(format!("file://{}", page.display()))
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn demo_page_renders_in_chromium() {
    let html = text(&demo("html"));
    if let Some(dom) = chromium_dom(&html) {
        assert!(dom.contains("Record of processing activities: Dala Market LLP"));
        assert!(dom.contains("id=\"purpose-demo-marketing\""));
        assert!(dom.contains("</html>"));
    }
}

fn small_project(name: &str, controller: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join(name);
    fs::create_dir_all(&root).unwrap();
    fs::write(
        root.join("datamap.yml"),
        format!(
            "version: 1\ncontroller: {{ name: {controller}, country: KZ }}\n\
             data:\n  phone: {{ category: user.contact.phone_number, subjects: [employee] }}\n\
             purposes:\n  payroll: {{ legal_basis: legal_obligation, data: [phone] }}\n"
        ),
    )
    .unwrap();
    fs::write(root.join("pay.py"), "def pay(phone):\n    return 1\n").unwrap();
    dir
}

#[test]
fn merge_makes_one_record_of_many_systems() {
    let work = tempfile::tempdir().unwrap();
    let shop = work.path().join("shop.json");
    let out = privlint(
        &root(),
        &[
            "report",
            "fixtures/demo",
            "--format",
            "json",
            "--system",
            "shop",
            "-o",
            shop.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(0));
    let payroll = small_project("payroll", "Dala Market LLP");
    let pay = work.path().join("payroll.json");
    let out = privlint(
        payroll.path(),
        &[
            "report",
            "payroll",
            "--format",
            "json",
            "-o",
            pay.to_str().unwrap(),
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = privlint(
        work.path(),
        &[
            "report",
            "--merge",
            "shop.json",
            "payroll.json",
            "--format",
            "json",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let merged: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(schema_validator().is_valid(&merged));
    let systems: Vec<&str> = merged["systems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(systems, ["payroll", "shop"]);
    let purposes: Vec<(String, String)> = merged["purposes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["key"].as_str().unwrap().to_string(),
                p["system"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        purposes,
        [
            ("accounts".to_string(), "shop".to_string()),
            ("delivery".into(), "shop".into()),
            ("marketing".into(), "shop".into()),
            ("payroll".into(), "payroll".into()),
        ]
    );
    // The merged record renders with each row's system.
    let out = privlint(
        work.path(),
        &[
            "report",
            "--merge",
            "shop.json",
            "payroll.json",
            "--format",
            "html",
        ],
    );
    let html = text(&out);
    assert!(html.contains("id=\"purpose-payroll-payroll\""));
    assert!(html.contains("id=\"purpose-shop-marketing\""));
    let stores = between(&html, "id=\"stores\"", "id=\"findings\"");
    assert!(stores.contains("<code>accounts</code> <span class=\"muted\">shop</span>"));
    let md = text(&privlint(
        work.path(),
        &[
            "report",
            "--merge",
            "shop.json",
            "payroll.json",
            "--format",
            "md",
        ],
    ));
    assert!(md.contains("### Newsletter (`marketing`) (shop)"), "{md}");
    assert!(md.contains("| `phone` (payroll) |"), "{md}");

    // The same system twice, two controllers, and a file that is not a record: exit 2.
    let out = privlint(
        work.path(),
        &["report", "--merge", "shop.json", "shop.json"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is in both shop.json and shop.json"));
    let other = small_project("other", "Other Company");
    let other_json = work.path().join("other.json");
    privlint(
        other.path(),
        &[
            "report",
            "other",
            "--format",
            "json",
            "-o",
            other_json.to_str().unwrap(),
        ],
    );
    let out = privlint(
        work.path(),
        &["report", "--merge", "shop.json", "other.json"],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("`Other Company`") && err.contains("one controller at a time"),
        "{err}"
    );
    fs::write(
        work.path().join("bad.json"),
        "{\n  \"version\": 1,\n  oops\n}\n",
    )
    .unwrap();
    let out = privlint(work.path(), &["report", "--merge", "shop.json", "bad.json"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.json:3:"), "{err}");
    assert!(err.contains("not a privlint record"), "{err}");
}

fn git(dir: &Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid"])
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {out:?}");
}

#[test]
fn privacy_diff_lists_what_changed_since_a_revision() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q"]);
    fs::write(
        root.join("datamap.yml"),
        "version: 1\ncontroller: { name: Dala, country: KZ }\n\
         data:\n  email: { category: user.contact.email, subjects: [customer] }\n\
         purposes:\n  accounts: { legal_basis: contract, data: [email], code: ['accounts.py'] }\n",
    )
    .unwrap();
    fs::write(
        root.join("accounts.py"),
        "import sqlite3\n\n\ndef save(db, email):\n    db.execute(\"INSERT INTO users (email) VALUES (?)\", (email,))\n",
    )
    .unwrap();
    git(root, &["add", "-A"]);
    git(root, &["commit", "-qm", "one"]);
    fs::write(
        root.join("datamap.yml"),
        "version: 1\ncontroller: { name: Dala, country: KZ }\n\
         data:\n  email: { category: user.contact.email, subjects: [customer] }\n\
         purposes:\n  accounts: { legal_basis: consent, data: [email], code: ['accounts.py'] }\n  \
         marketing: { legal_basis: consent, data: [email], code: ['news.py'] }\n\
         recipients:\n  mailgun: { purposes: [marketing], data: [email], country: US, safeguard: standard_contractual_clauses }\n",
    )
    .unwrap();
    fs::write(
        root.join("news.py"),
        "import requests\n\n\ndef subscribe(email):\n    requests.post(\"https://api.mailgun.net/v3/lists\", json={\"address\": email})\n",
    )
    .unwrap();
    git(root, &["add", "-A"]);
    git(root, &["commit", "-qm", "two"]);
    let out = privlint(
        root,
        &["report", ".", "--diff-base", "HEAD~1", "--format", "json"],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let diff: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(diff["base"], "HEAD~1");
    assert_eq!(diff["purposes"]["added"], serde_json::json!(["marketing"]));
    assert_eq!(diff["recipients"]["added"], serde_json::json!(["mailgun"]));
    assert_eq!(diff["purposes"]["changed"][0]["key"], "accounts");
    assert_eq!(
        diff["purposes"]["changed"][0]["differences"],
        serde_json::json!(["legal basis: contract → consent"])
    );
    let flows: Vec<&str> = diff["flows"]["added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert_eq!(flows, ["email → marketing → recipient mailgun"], "{diff}");
    assert_eq!(diff["flows"]["removed"], serde_json::json!([]));
    let md = text(&privlint(
        root,
        &["report", ".", "--diff-base", "HEAD~1", "--format", "md"],
    ));
    assert!(md.contains("**New purposes**: `marketing`"), "{md}");
    assert!(md.contains("email → marketing → recipient mailgun"), "{md}");
    // The pull-request summary of `check` shows the same flows.
    let out = privlint(
        root,
        &[
            "check",
            ".",
            "--diff-base",
            "HEAD~1",
            "--format",
            "markdown",
        ],
    );
    assert!(
        text(&out).contains("flows of personal data"),
        "{}",
        text(&out)
    );
    // HTML is not a diff format: exit 2 with the fix.
    let out = privlint(root, &["report", ".", "--diff-base", "HEAD~1"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--format md"));
}

#[test]
fn no_data_map_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.py"), "x = 1\n").unwrap();
    let out = privlint(dir.path(), &["report", "."]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no data map found") && err.contains("privlint init"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn an_invalid_data_map_is_reported_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("datamap.yml"),
        "version: 1\npurposes:\n  accounts: { legal_basis: contrakt }\n",
    )
    .unwrap();
    fs::write(dir.path().join("record.html"), "the old record\n").unwrap();
    let out = privlint(dir.path(), &["report", ".", "-o", "record.html"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("datamap.yml:3"), "{err}");
    assert!(err.contains("contract"), "did-you-mean: {err}");
    assert_eq!(
        fs::read_to_string(dir.path().join("record.html")).unwrap(),
        "the old record\n"
    );
}
