//! Fides interoperability: `privlint import-fides` and `privlint export-fides`, and what
//! survives a round trip between Fides manifests and a data map.

use assert_cmd::Command;
use privlint::datamap::{self, DataMap};
use privlint::fides::{self, Manifest};
use privlint::taxonomy::Taxonomy;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

const FIXTURE: &str = "tests/data/fides";

fn privlint() -> Command {
    let mut cmd = Command::cargo_bin("privlint").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    cmd
}

fn run(args: &[&str]) -> Output {
    privlint().args(args).output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn code(out: &Output) -> i32 {
    out.status.code().expect("exited")
}

fn s(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

fn load(path: &Path) -> DataMap {
    datamap::load(path, &Taxonomy::builtin()).unwrap_or_else(|problems| {
        let text = fs::read_to_string(path).unwrap_or_default();
        panic!(
            "{} does not load:\n{}\n---\n{text}",
            path.display(),
            problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        )
    })
}

fn manifest_at(path: &Path) -> Manifest {
    let text = fs::read_to_string(path).unwrap();
    fides::parse_manifest(path, &text).unwrap_or_else(|e| panic!("{e}\n---\n{text}"))
}

fn personal(categories: &[String]) -> BTreeSet<String> {
    categories
        .iter()
        .filter(|c| !c.starts_with("system"))
        .cloned()
        .collect()
}

/// Each declaration as (`data_use`, categories, subjects).
fn declarations(m: &Manifest) -> BTreeSet<(String, BTreeSet<String>, BTreeSet<String>)> {
    m.system
        .iter()
        .flat_map(|s| &s.privacy_declarations)
        .map(|d| {
            (
                d.data_use.clone().unwrap_or_default(),
                personal(&d.data_categories),
                d.data_subjects.iter().cloned().collect(),
            )
        })
        .collect()
}

/// Each dataset field with a personal category, as (dataset, collection.field.path, category).
fn field_categories(m: &Manifest) -> BTreeSet<(String, String, String)> {
    fn walk(
        dataset: &str,
        prefix: &str,
        fields: &[fides::Field],
        out: &mut BTreeSet<(String, String, String)>,
    ) {
        for f in fields {
            let path = format!("{prefix}.{}", f.name);
            for c in personal(&f.data_categories) {
                out.insert((dataset.to_string(), path.clone(), c));
            }
            walk(dataset, &path, &f.fields, out);
        }
    }
    let mut out = BTreeSet::new();
    for d in &m.dataset {
        for c in &d.collections {
            walk(&d.fides_key, &c.name, &c.fields, &mut out);
        }
    }
    out
}

/// Imports `dir` into `out` with the binary, and checks the result loads.
fn import(dir: &Path, out: &Path) -> DataMap {
    let o = run(&["import-fides", s(dir), "--output", s(out)]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    load(out)
}

fn export(datamap: &Path, out: &Path) -> Manifest {
    let o = run(&[
        "export-fides",
        "--datamap",
        s(datamap),
        "--system-key",
        "storefront",
        "--output",
        s(out),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    manifest_at(out)
}

#[test]
fn fides_manifest_round_trips_through_a_data_map() {
    let tmp = tempfile::tempdir().unwrap();
    let map_path = tmp.path().join("datamap.yml");
    let map = import(Path::new(FIXTURE), &map_path);

    // What the import made of the fixture.
    assert_eq!(map.data["email"].category, "user.contact.email");
    assert_eq!(map.data["email"].fields, ["customers.email"]);
    assert_eq!(
        map.data["street"].fields,
        ["orders.shipping_address.street"]
    );
    assert!(
        map.categories.contains_key("user.loyalty_card"),
        "the custom category is declared"
    );
    assert_eq!(
        map.categories["user.loyalty_card"].name,
        "Loyalty card number"
    );
    assert!(!map.data.values().any(|e| e.category.starts_with("system")));
    let basis = |k: &str| map.purposes[k].legal_basis.as_str();
    assert_eq!(basis("order_fulfilment"), "contract");
    assert_eq!(basis("newsletter"), "consent");
    assert_eq!(basis("fraud_prevention"), "contract");
    let text = fs::read_to_string(&map_path).unwrap();
    assert!(
        text.contains("legal_basis: contract  # confirm: Fides had no legal basis"),
        "{text}"
    );
    // Egress to an external system is a recipient; to a dataset or an internal system not.
    assert_eq!(
        map.recipients.keys().collect::<Vec<_>>(),
        ["mailgun"],
        "{text}"
    );
    assert_eq!(
        map.recipients["mailgun"].purposes,
        ["newsletter", "order_fulfilment"]
    );
    assert_eq!(map.recipients["mailgun"].data, ["email", "name"]);
    assert_eq!(map.stores["app_database"].retention.as_deref(), Some("P3Y"));
    let controller = map.controller.as_ref().unwrap();
    assert_eq!(controller.name, "Steppe Books LLP");
    assert_eq!(
        controller.contact.as_deref(),
        Some("privacy@steppebooks.kz")
    );
    assert_eq!(
        controller.dpo.as_ref().and_then(|d| d.contact.as_deref()),
        Some("dpo@steppebooks.kz")
    );
    assert_eq!(controller.department.as_deref(), Some("Engineering"));

    // Back to Fides: the same declarations and the same dataset field categories.
    let (original, _) = fides::read_dir(Path::new(FIXTURE)).unwrap();
    let exported = export(&map_path, &tmp.path().join("fides.yml"));
    assert_eq!(declarations(&exported), declarations(&original));
    assert_eq!(field_categories(&exported), field_categories(&original));
    let legal = |m: &Manifest| -> BTreeSet<(String, Option<String>)> {
        m.system
            .iter()
            .flat_map(|s| &s.privacy_declarations)
            .map(|d| {
                (
                    d.name.clone().unwrap_or_default(),
                    d.legal_basis_for_processing.clone(),
                )
            })
            .collect()
    };
    let mut expected = legal(&original);
    // The one declaration without a legal basis comes back with the guess the data map holds.
    expected.remove(&("Fraud prevention".to_string(), None));
    expected.insert(("Fraud prevention".to_string(), Some("Contract".to_string())));
    assert_eq!(legal(&exported), expected);
    let org = &exported.organization[0];
    assert_eq!(org.name.as_deref(), Some("Steppe Books LLP"));
    assert_eq!(
        org.data_protection_officer
            .as_ref()
            .and_then(|d| d.email.as_deref()),
        Some("dpo@steppebooks.kz")
    );
    assert_eq!(exported.data_category[0].fides_key, "user.loyalty_card");

    // And the exported manifest imports to the same data map.
    let again_dir = tmp.path().join("again");
    fs::create_dir(&again_dir).unwrap();
    fs::copy(tmp.path().join("fides.yml"), again_dir.join("fides.yml")).unwrap();
    let again = import(&again_dir, &tmp.path().join("again.yml"));
    assert_eq!(again.data, map.data);
    assert_eq!(again.purposes, map.purposes);
    assert_eq!(again.recipients, map.recipients);
    assert_eq!(again.stores, map.stores);
    assert_eq!(again.categories, map.categories);
}

type StoreRow = (
    String,
    BTreeSet<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Vec<String>,
);

/// Compares elements by category (subjects are not compared: see the README), purposes as
/// (`data_use`, categories, legal basis), stores as (key, categories, entity, location,
/// retention, erasure).
#[test]
fn full_data_map_round_trips_through_fides() {
    let tmp = tempfile::tempdir().unwrap();
    let original_path = Path::new("tests/data/datamap-full.yml");
    let original = load(&Path::new(env!("CARGO_MANIFEST_DIR")).join(original_path));
    let dir = tmp.path().join("fides");
    fs::create_dir(&dir).unwrap();
    export(original_path, &dir.join("fides.yml"));
    let back = import(&dir, &tmp.path().join("datamap.yml"));

    let categories =
        |m: &DataMap| -> BTreeSet<String> { m.data.values().map(|e| e.category.clone()).collect() };
    assert_eq!(categories(&back), categories(&original));
    assert_eq!(
        back.categories.keys().collect::<Vec<_>>(),
        original.categories.keys().collect::<Vec<_>>()
    );

    let category_set = |m: &DataMap, elements: &[String]| -> BTreeSet<String> {
        elements
            .iter()
            .map(|e| m.data[e].category.clone())
            .collect()
    };
    let purposes = |m: &DataMap| -> BTreeSet<(String, BTreeSet<String>, &'static str)> {
        m.purposes
            .values()
            .map(|p| {
                (
                    // A purpose without `use:` is exported as `essential.service`.
                    p.data_use
                        .clone()
                        .unwrap_or_else(|| "essential.service".into()),
                    category_set(m, &p.data),
                    p.legal_basis.as_str(),
                )
            })
            .collect()
    };
    assert_eq!(purposes(&back), purposes(&original));

    let stores = |m: &DataMap| -> BTreeSet<StoreRow> {
        m.stores
            .iter()
            .map(|(k, s)| {
                (
                    k.clone(),
                    category_set(m, &s.data),
                    s.entity.clone(),
                    s.location.clone(),
                    s.retention.clone(),
                    s.erasure.clone(),
                )
            })
            .collect()
    };
    assert_eq!(stores(&back), stores(&original));

    // Recipients keep their key, purposes (by category set of the purpose), data, country
    // and safeguard.
    for (key, r) in &original.recipients {
        let b = &back.recipients[key];
        assert_eq!(
            category_set(&back, &b.data),
            category_set(&original, &r.data)
        );
        assert_eq!(b.country, r.country);
        assert_eq!(b.safeguard, r.safeguard, "{key}");
        assert_eq!(b.purposes.len(), r.purposes.len());
    }
    // Fields survive on their elements.
    let address = back
        .data
        .values()
        .find(|e| e.category == "user.contact.address")
        .unwrap();
    assert_eq!(address.fields, ["Order.ship_to"]);
}

fn manifests(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    dir
}

#[test]
fn import_writes_dir_datamap_yml_and_never_overwrites() {
    let dir = manifests(&[(
        "fides.yml",
        "system:\n  - fides_key: app\n    privacy_declarations:\n      - data_use: \
         essential.service\n        data_categories: [user.contact.email]\n",
    )]);
    let o = run(&["import-fides", s(dir.path())]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let target: PathBuf = dir.path().join("datamap.yml");
    let map = load(&target);
    assert_eq!(
        map.purposes.keys().collect::<Vec<_>>(),
        ["essential_service"]
    );
    // A second run reads the data map it wrote as a YAML file without Fides resources (ignored)
    // and refuses to overwrite it.
    let before = fs::read(&target).unwrap();
    let o = run(&["import-fides", s(dir.path())]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("already exists"), "{}", stderr(&o));
    assert_eq!(fs::read(&target).unwrap(), before);
    // Same with --output.
    let o = run(&["import-fides", s(dir.path()), "--output", s(&target)]);
    assert_eq!(code(&o), 2);
    assert_eq!(fs::read(&target).unwrap(), before);
}

#[test]
fn import_errors_name_the_file_and_line_and_write_nothing() {
    let o = run(&["import-fides", "tests/data/no-such-folder"]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("no-such-folder"), "{}", stderr(&o));

    let dir = manifests(&[
        ("a.yml", "system: []\n"),
        (
            "sub/broken.yaml",
            "system:\n  - fides_key: app\n    name: [unclosed\n",
        ),
    ]);
    let o = run(&["import-fides", s(dir.path())]);
    assert_eq!(code(&o), 2);
    let err = stderr(&o);
    assert!(err.contains("broken.yaml:"), "{err}");
    assert!(
        err.contains(":3:") || err.contains(":4:"),
        "names the line: {err}"
    );
    assert!(!dir.path().join("datamap.yml").exists());

    // A known key with a value of the wrong type is an error too, with its line.
    let dir = manifests(&[(
        "fides.yml",
        "system:\n  - fides_key: app\n    privacy_declarations:\n      - data_use: x\n        \
         data_categories: 7\n",
    )]);
    let o = run(&["import-fides", s(dir.path())]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("fides.yml:5:"), "{}", stderr(&o));

    let dir = manifests(&[("compose.yml", "services:\n  web: { image: nginx }\n")]);
    let o = run(&["import-fides", s(dir.path())]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("holds a Fides"), "{}", stderr(&o));
    assert!(!dir.path().join("datamap.yml").exists());

    let dir = manifests(&[("README.md", "# nothing\n")]);
    let o = run(&["import-fides", s(dir.path())]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("no `.yml`"), "{}", stderr(&o));
}

#[test]
fn export_of_an_invalid_data_map_prints_its_problems() {
    let dir = manifests(&[(
        "datamap.yml",
        "version: 1\npurposes:\n  p: { legal_basis: contract, data: [nope] }\n",
    )]);
    let out = dir.path().join("fides.yml");
    let o = run(&[
        "export-fides",
        "--datamap",
        s(&dir.path().join("datamap.yml")),
        "--output",
        s(&out),
    ]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("datamap.yml:3:"), "{}", stderr(&o));
    assert!(stderr(&o).contains("`nope`"), "{}", stderr(&o));
    assert!(!out.exists());
}

#[test]
fn export_finds_the_data_map_and_writes_to_stdout() {
    let dir = manifests(&[(
        "datamap.yml",
        "version: 1\ndata:\n  email: { category: user.contact.email, subjects: [customer] }\n\
         purposes:\n  signup: { legal_basis: contract, data: [email] }\n",
    )]);
    fs::create_dir(dir.path().join(".git")).unwrap();
    let o = Command::cargo_bin("privlint")
        .unwrap()
        .current_dir(dir.path())
        .args(["export-fides", "--system-key", "shop"])
        .output()
        .unwrap();
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let text = String::from_utf8(o.stdout).unwrap();
    assert!(
        text.contains(
            "data_use: essential.service  # confirm: purpose `signup` has no `use:` in the data map"
        ),
        "{text}"
    );
    let m = fides::parse_manifest(Path::new("stdout"), &text).unwrap();
    assert_eq!(m.system[0].fides_key, "shop");
    assert_eq!(
        m.system[0].privacy_declarations[0].data_subjects,
        ["customer"]
    );

    let o = run(&[
        "export-fides",
        "--datamap",
        "tests/data/datamap-full.yml",
        "--system-key",
        "not a key",
    ]);
    assert_eq!(code(&o), 2);
}
