use super::*;

#[test]
fn keys() {
    assert_eq!(snake_key("Customer accounts", "p"), "customer_accounts");
    assert_eq!(
        snake_key("marketing.advertising", "p"),
        "marketing_advertising"
    );
    assert_eq!(snake_key("MyPurpose", "p"), "my_purpose");
    assert_eq!(snake_key("  --  ", "p"), "p");
    assert_eq!(snake_key("2fa", "p"), "p_2fa");
    assert!(is_fides_key("user.contact.email"));
    assert!(!is_fides_key("site visitor"));
}

use crate::datamap::LegalBasis;
use crate::taxonomy::Taxonomy;

fn imported(yaml: &str) -> Imported {
    let manifest = parse_manifest(Path::new("t.yml"), yaml).expect("parses");
    import(&manifest, &Taxonomy::builtin())
}

#[test]
fn durations() {
    use import::iso_duration as d;
    assert_eq!(d("P3Y").as_deref(), Some("P3Y"));
    assert_eq!(d("p90d").as_deref(), Some("P90D"));
    assert_eq!(d("90 days").as_deref(), Some("P90D"));
    assert_eq!(d("1 year and 6 months").as_deref(), Some("P1Y6M"));
    assert_eq!(d("3 yrs").as_deref(), Some("P3Y"));
    assert_eq!(d("12h").as_deref(), Some("PT12H"));
    assert_eq!(d("No retention or erasure policy"), None);
    assert_eq!(d("until the account is deleted"), None);
    assert_eq!(d("5 fortnights"), None);
}

#[test]
fn legal_bases_map_onto_the_six() {
    use import::legal_basis as b;
    assert_eq!(b("Consent"), Some(LegalBasis::Consent));
    assert_eq!(b("Legal obligations"), Some(LegalBasis::LegalObligation));
    assert_eq!(b("Legal Obligation"), Some(LegalBasis::LegalObligation));
    assert_eq!(b("Vital interests"), Some(LegalBasis::VitalInterests));
    assert_eq!(b("Public interest"), Some(LegalBasis::PublicTask));
    assert_eq!(
        b("Legitimate interests"),
        Some(LegalBasis::LegitimateInterests)
    );
    assert_eq!(b("Explicit consent"), None);
}

#[test]
fn an_unmapped_basis_and_an_unknown_use_are_marked_for_a_human() {
    let i = imported(
        "system:\n  - fides_key: app\n    privacy_declarations:\n      - name: Ads\n        \
         data_use: marketing.custom_thing\n        data_categories: [user.contact.email]\n        \
         legal_basis_for_processing: Explicit consent\n",
    );
    let p = &i.map.purposes["ads"];
    assert_eq!(p.legal_basis, LegalBasis::Contract);
    assert_eq!(p.data_use, None);
    let text = i.render("x");
    assert!(
        text.contains("legal_basis: contract  # confirm: Fides had `Explicit consent`"),
        "{text}"
    );
    assert!(
        text.contains("# confirm: Fides data use `marketing.custom_thing`"),
        "{text}"
    );
}

#[test]
fn third_parties_text_becomes_a_recipient_when_there_is_no_egress() {
    let i = imported(
        "system:\n  - fides_key: app\n    privacy_declarations:\n      - name: Ads\n        \
         data_use: marketing.advertising\n        data_categories: [user.contact.email, \
         user.device.cookie_id]\n        data_shared_with_third_parties: true\n        \
         third_parties: Ad networks\n        shared_categories: [user.device.cookie_id]\n",
    );
    let r = &i.map.recipients["ad_networks"];
    assert_eq!(r.purposes, ["ads"]);
    assert_eq!(r.data, ["cookie_id"]);
    assert_eq!(r.name.as_deref(), Some("Ad networks"));
}

#[test]
fn element_keys_are_unique() {
    let i = imported(
        "system:\n  - fides_key: app\n    privacy_declarations:\n      - data_use: \
         essential.service\n        data_categories: [user.contact.email, \
         user.authorization.email, user.x.contact.email]\n      - data_use: \
         essential.service\n        data_categories: []\n",
    );
    let keys: Vec<(&str, &str)> = i
        .map
        .data
        .iter()
        .map(|(k, e)| (k.as_str(), e.category.as_str()))
        .collect();
    assert_eq!(
        keys,
        [
            ("contact_email", "user.contact.email"),
            ("contact_email_2", "user.x.contact.email"),
            ("email", "user.authorization.email"),
        ]
    );
    // Two declarations with the same use get distinct purpose keys.
    assert_eq!(
        i.map.purposes.keys().collect::<Vec<_>>(),
        ["essential_service", "essential_service_2"]
    );
}

/// The documented loss: a data map has subjects per element, not per purpose, so a
/// declaration comes back with the subjects of every declaration sharing one of its
/// categories.
#[test]
fn subjects_blur_across_declarations_that_share_a_category() {
    let i = imported(
        "system:\n  - fides_key: app\n    privacy_declarations:\n      - name: Orders\n        \
         data_use: essential.service\n        data_categories: [user.contact.email]\n        \
         data_subjects: [customer]\n      - name: Payroll\n        data_use: employment\n        \
         data_categories: [user.contact.email]\n        data_subjects: [employee]\n",
    );
    assert_eq!(i.map.data["email"].subjects, ["customer", "employee"]);
    let text = export(&i.map, "app", "x");
    let back = parse_manifest(Path::new("x"), &text).expect("parses");
    for d in &back.system[0].privacy_declarations {
        assert_eq!(d.data_subjects, ["customer", "employee"]);
    }
}

#[test]
fn null_lists_and_unknown_keys_are_tolerated() {
    let m = parse_manifest(
        Path::new("t.yml"),
        "system:\n  - fides_key: app\n    egress: null\n    cookies: [{name: a}]\n    \
         privacy_declarations:\n      - data_use: essential.service\n        data_categories: \
         [user.name]\n        dataset_references: null\n        third_parties: null\n\
         policy:\n  - fides_key: p\n",
    )
    .expect("parses");
    assert_eq!(m.system[0].privacy_declarations.len(), 1);
    assert!(
        parse_manifest(Path::new("t.yml"), "")
            .expect("empty")
            .is_empty()
    );
}
