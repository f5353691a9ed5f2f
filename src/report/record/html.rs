//! The record as one self-contained HTML page: no scripts, no external fonts, styles or images,
//! so it opens offline, prints to PDF from any browser, and reads on a phone. `maud` builds the
//! page and escapes every string it inserts, so text from code or YAML can never become markup.

use super::{counts, rights, transfers, yes_no};
use crate::record::{
    EVIDENCE_SHOWN, Evidence, FindingGroup, PurposeEntry, RecipientEntry, Record, StoreEntry,
};
use maud::{DOCTYPE, Markup, PreEscaped, html};

/// Places listed per element in the table of personal data (each purpose card lists more).
const PLACES_PER_ELEMENT: usize = 3;

const STYLE: &str = r#"
:root { --ink:#1d2330; --muted:#5b6475; --line:#d9dee7; --bg:#f6f8fb; --ok:#1f7a3d; --bad:#b42318; --warn:#9a6700; --accent:#1f4e99; }
* { box-sizing: border-box; }
body { margin:0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color:var(--ink); background:#fff; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 16px 48px; }
h1 { font-size: 1.7rem; margin: 0 0 4px; }
h2 { font-size: 1.3rem; margin: 36px 0 12px; padding-bottom: 6px; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.1rem; margin: 0 0 6px; }
p.meta, .muted { color: var(--muted); }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .88em; background: var(--bg); padding: 0 3px; border-radius: 3px; overflow-wrap: anywhere; }
a { color: var(--accent); overflow-wrap: anywhere; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--line); }
th { background: var(--bg); font-weight: 600; }
table.facts th { width: 30%; background: transparent; color: var(--muted); font-weight: 500; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 16px; margin: 16px 0; break-inside: avoid-page; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: .82em; font-weight: 600; white-space: nowrap; }
.ok { background: #e3f4e8; color: var(--ok); }
.bad { background: #fde8e6; color: var(--bad); }
.warn { background: #fff4d6; color: var(--warn); }
.summary { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 8px; margin: 16px 0; }
.summary div { background: var(--bg); border-radius: 8px; padding: 10px 12px; }
.summary strong { display: block; font-size: 1.4rem; }
ul.tight { margin: 4px 0; padding-left: 20px; }
.todo { border-left: 4px solid var(--warn); background: #fffaf0; padding: 8px 12px; margin: 8px 0; }
nav ol { columns: 2; padding-left: 20px; }
footer { margin-top: 40px; color: var(--muted); font-size: .85em; }
@media (max-width: 640px) {
  body { font-size: 14px; }
  nav ol { columns: 1; }
  table.facts th, table.facts td { display: block; width: 100%; border: 0; padding: 2px 0; }
  table.facts tr { display: block; border-bottom: 1px solid var(--line); padding: 6px 0; }
}
@media print {
  main { max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
  .card { border-color: #999; }
  h2 { break-after: avoid-page; }
  nav { display: none; }
}
"#;

/// Prose, with the parts between backticks as code.
fn inline(text: &str) -> Markup {
    html! {
        @for (code, part) in super::segments(text) {
            @if code { code { (part) } } @else { (part) }
        }
    }
}

/// Green when verified, amber when not checked, red otherwise.
fn status_badge(status: &str, text: &str) -> Markup {
    let class = match status {
        "verified" => "badge ok",
        "not_in_code" | "not_linked" => "badge warn",
        _ => "badge bad",
    };
    html! { span class=(class) { (text) } }
}

fn or_dash(value: Option<&String>) -> Markup {
    html! {
        @match value {
            Some(v) => (v),
            None => span class="muted" { "—" },
        }
    }
}

fn place(e: &Evidence) -> Markup {
    html! {
        @match &e.permalink {
            Some(link) => a href=(link) { (e.location) },
            None => (e.location),
        }
        " " code { (e.code) }
    }
}

fn evidence_list(items: &[Evidence]) -> Markup {
    html! {
        @if items.is_empty() {
            p.muted { "No processing of this data was found in the scanned code." }
        } @else {
            ul.tight {
                @for e in items.iter().take(EVIDENCE_SHOWN) {
                    li { code { (e.data) } ": " (e.what) " at " (place(e)) }
                }
                @if items.len() > EVIDENCE_SHOWN {
                    li.muted { "and " (items.len() - EVIDENCE_SHOWN) " more places (the JSON record lists them all)" }
                }
            }
        }
    }
}

fn purpose(p: &PurposeEntry, several: bool) -> Markup {
    html! {
        section.card id={ "purpose-" (p.system) "-" (p.key) } {
            h3 { (p.name) @if p.name != p.key { " " code { (p.key) } } @if several { " " span.muted { "(" (p.system) ")" } } }
            @if let Some(d) = &p.description { p { (d) } }
            div.scroll { table.facts {
                tr { th { "Legal basis" } td { (p.legal_basis_label) " " code { (p.legal_basis) } } }
                tr { th { "Data subjects" } td { @if p.subjects.is_empty() { span.muted { "—" } } @else { (p.subjects.join(", ")) } } }
                tr { th { "Personal data" } td {
                    @if p.categories.is_empty() { span.muted { "none declared" } }
                    ul.tight { @for c in &p.categories {
                        li { (c.name) " " code { (c.element) } @if c.special { " " span.badge.warn { "special category" } } }
                    } }
                } }
                tr { th { "Recipients" } td {
                    @if p.recipients.is_empty() { span.muted { "none" } }
                    ul.tight { @for r in &p.recipients {
                        li {
                            (r.name)
                            @if let Some(c) = &r.country { " (" (c) ")" }
                            @if r.transfer {
                                " " @match &r.safeguard {
                                    Some(s) => span.badge.warn { "transfer abroad: " (s) },
                                    None => span.badge.bad { "transfer abroad without a safeguard" },
                                }
                            }
                        }
                    } }
                } }
                tr { th { "Third-country transfers" } td { (transfers(p)) } }
                tr { th { "Storage and retention" } td {
                    @if p.stores.is_empty() { span.muted { "no store declared" } }
                    ul.tight { @for s in &p.stores {
                        li {
                            code { (s.key) }
                            @if let Some(l) = &s.location { " in " (l) }
                            ", kept " (s.retention.as_deref().unwrap_or("for an undeclared time"))
                            " " (status_badge(&s.erasure_status, &s.erasure))
                        }
                    } }
                } }
                tr { th { "Rights" } td { (rights(p)) } }
                tr { th { "Owner" } td { (or_dash(p.owner.as_ref())) } }
                tr { th { "Role" } td { (p.role) } }
                tr { th { "Joint controller" } td { (or_dash(p.joint_controller.as_ref())) } }
                tr { th { "Art. 9 condition" } td { (or_dash(p.special_category_condition.as_ref())) } }
                tr { th { "Legitimate interest" } td { (or_dash(p.legitimate_interest.as_ref())) } }
                tr { th { "Legitimate interests assessment" } td { (or_dash(p.legitimate_interest_assessment.as_ref())) } }
                tr { th { "Automated decisions" } td { (or_dash(p.automated_decisions.as_ref())) } }
                tr { th { "DPIA" } td {
                    @match &p.dpia {
                        Some(d) => {
                            "required: " (yes_no(d.required))
                            @if let Some(s) = &d.status { ", " (s) }
                            @if let Some(l) = &d.link { ", " (l) }
                        },
                        None => span.muted { "—" },
                    }
                } }
                tr { th { "Security measures" } td { (or_dash(p.security_measures.as_ref())) } }
                @if let Some(u) = &p.data_use { tr { th { "Fides data use" } td { code { (u) } } } }
            } }
            @if !p.to_complete.is_empty() {
                div.todo {
                    strong { "Still to complete in the data map:" }
                    ul.tight { @for t in &p.to_complete { li { (inline(t)) } } }
                }
            }
            h3 { "Where the code processes it" }
            (evidence_list(&p.evidence))
        }
    }
}

fn recipient_row(r: &RecipientEntry, several: bool) -> Markup {
    html! {
        tr {
            td { (r.name) " " code { (r.key) } @if several { " " span.muted { (r.system) } } @if !r.declared { " " span.badge.bad { "not in the data map" } } }
            td { (or_dash(r.kind.as_ref())) }
            td { (or_dash(r.country_name.as_ref().or(r.country.as_ref()))) }
            td { @if r.transfer { @if r.adequate { "yes (adequate)" } @else { "yes" } } @else { "no" } }
            td { (or_dash(r.safeguard.as_ref())) }
            td { (or_dash(r.processor_contract.as_ref())) }
            td { (r.purposes.join(", ")) }
            td { (r.data.join(", ")) }
        }
    }
}

fn store_row(s: &StoreEntry, several: bool) -> Markup {
    html! {
        tr {
            td { code { (s.key) } @if several { " " span.muted { (s.system) } } @if !s.declared { " " span.badge.bad { "not in the data map" } } }
            td { (or_dash(s.location_name.as_ref().or(s.location.as_ref()))) }
            td { (s.data.join(", ")) }
            td {
                (or_dash(s.retention.as_ref()))
                @match s.retention_enforced {
                    Some(true) => { " " span.badge.ok { "purged by a job" } },
                    Some(false) => { " " span.badge.warn { "no purge job found" } },
                    None => {},
                }
            }
            td {
                (status_badge(&s.erasure_status, &s.erasure))
                @if !s.notes.is_empty() { ul.tight { @for n in &s.notes { li { (n) } } } }
            }
            td { ul.tight { @for e in &s.erased_by { li { (e.code) " " (e.what) ": " (place(e)) } } } }
            td { @if let Some(d) = &s.defined_at { (place(d)) } }
        }
    }
}

fn findings(groups: &[FindingGroup], several: bool) -> Markup {
    html! {
        @if groups.is_empty() {
            p { span.badge.ok { "none" } " The code agrees with the record." }
        }
        @for g in groups {
            section.card {
                h3 { (g.title) " " span.muted { "(" (g.items.len()) ")" } }
                p { (g.explanation) }
                ul.tight { @for f in &g.items {
                    li {
                        span class=(match f.severity.as_str() { "error" => "badge bad", "warning" => "badge warn", _ => "badge" }) { (f.severity) }
                        " " (inline(&f.message))
                        @if several { " " span.muted { "[" (f.system) "]" } }
                        " — "
                        @match &f.permalink {
                            Some(l) => a href=(l) { (f.location) },
                            None => code { (f.location) },
                        }
                        br;
                        span.muted { "Fix: " (inline(&f.fix)) }
                    }
                } }
            }
        }
    }
}

pub fn render(record: &Record) -> String {
    let several = record.systems.len() > 1;
    let title = match &record.controller {
        Some(c) => format!("Record of processing activities: {}", c.name),
        None => "Record of processing activities".to_string(),
    };
    let open: usize = record.findings.iter().map(|g| g.items.len()).sum();
    let verified = record
        .purposes
        .iter()
        .filter(|p| p.erasure_verified)
        .count();
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content={ "privlint " (record.privlint_version) };
                // No network: block every fetch the page could make.
                meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:";
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body { main {
                h1 { (title) }
                p.meta {
                    "Written by privlint " (record.privlint_version) " on " (record.generated_at)
                    " from the data map and the code. " (counts(record)) "."
                }
                div.summary {
                    div { strong { (record.purposes.len()) } "purposes" }
                    div { strong { (record.elements.len()) } "data elements" }
                    div { strong { (record.recipients.len()) } "recipients" }
                    div { strong { (record.stores.len()) } "stores" }
                    div { strong { (verified) "/" (record.purposes.len()) } "purposes with erasure verified" }
                    div { strong { (open) } "open findings" }
                }
                div.scroll { table {
                    tr { th { "System" } th { "Commit" } th { "Repository" } th { "Data map" } }
                    @for s in &record.systems {
                        tr {
                            td { (s.name) }
                            td { (or_dash(s.commit.as_ref())) }
                            td { @match &s.repository { Some(r) => a href=(r) { (r) }, None => span.muted { "—" } } }
                            td { (or_dash(s.datamap.as_ref())) }
                        }
                    }
                } }
                nav { h2 { "Contents" } ol {
                    li { a href="#controller" { "Controller" } }
                    li { a href="#purposes" { "Purposes" } }
                    @for p in &record.purposes {
                        li { a href={ "#purpose-" (p.system) "-" (p.key) } { (p.name) } }
                    }
                    li { a href="#data" { "Personal data" } }
                    li { a href="#recipients" { "Recipients" } }
                    li { a href="#stores" { "Stores and erasure" } }
                    li { a href="#findings" { "Open findings" } }
                } }
                h2 id="controller" { "Controller" }
                @match &record.controller {
                    Some(c) => div.scroll { table.facts {
                        tr { th { "Name" } td { (c.name) } }
                        tr { th { "Country" } td { (or_dash(c.country_name.as_ref().or(c.country.as_ref()))) } }
                        tr { th { "Contact" } td { (or_dash(c.contact.as_ref())) } }
                        tr { th { "Address" } td { (or_dash(c.address.as_ref())) } }
                        tr { th { "Representative" } td { (or_dash(c.representative.as_ref())) } }
                        tr { th { "Department" } td { (or_dash(c.department.as_ref())) } }
                        tr { th { "Data Protection Officer" } td { (or_dash(c.dpo_name.as_ref())) } }
                        tr { th { "DPO contact" } td { (or_dash(c.dpo_contact.as_ref())) } }
                        tr { th { "Security measures" } td { (or_dash(c.security_measures.as_ref())) } }
                    } },
                    None => p.todo { "The data map does not name the controller: add " code { "controller:" } " with its name, country and contact." },
                }
                h2 id="purposes" { "Purposes" }
                @for p in &record.purposes { (purpose(p, several)) }
                h2 id="data" { "Personal data" }
                div.scroll { table {
                    tr { th { "Element" } th { "Category" } th { "Subjects" } th { "Source" } th { "Purposes" } th { "Stores" } th { "Recipients" } th { "Places in code" } }
                    @for e in &record.elements {
                        tr {
                            td { code { (e.key) } @if several { " " span.muted { (e.system) } } }
                            td { (e.category_name) " " code { (e.category) } @if e.special { " " span.badge.warn { "special" } } }
                            td { (e.subjects.join(", ")) }
                            td { (or_dash(e.source.as_ref())) }
                            td { (e.purposes.join(", ")) }
                            td { (e.stores.join(", ")) }
                            td { (e.recipients.join(", ")) }
                            td {
                                @if e.evidence.is_empty() { span.muted { "none found" } }
                                ul.tight {
                                    @for x in e.evidence.iter().take(PLACES_PER_ELEMENT) { li { (x.what) ": " (place(x)) } }
                                    @if e.evidence.len() > PLACES_PER_ELEMENT { li.muted { "and " (e.evidence.len() - PLACES_PER_ELEMENT) " more" } }
                                }
                            }
                        }
                    }
                } }
                h2 id="recipients" { "Recipients" }
                div.scroll { table {
                    tr { th { "Recipient" } th { "Kind" } th { "Country" } th { "Transfer abroad" } th { "Safeguard" } th { "Contract" } th { "Purposes" } th { "Data" } }
                    @for r in &record.recipients { (recipient_row(r, several)) }
                } }
                h2 id="stores" { "Stores and erasure" }
                div.scroll { table {
                    tr { th { "Store" } th { "Location" } th { "Data" } th { "Retention" } th { "Erasure" } th { "Erased by" } th { "Defined at" } }
                    @for s in &record.stores { (store_row(s, several)) }
                } }
                h2 id="findings" { "Open findings" }
                (findings(&record.findings, several))
                footer {
                    "Each row comes from the data map; the places in code and the verdicts come from privlint's analysis of the scanned code. "
                    "Printable: use the browser's Print to PDF."
                }
            } }
        }
    };
    page.into_string()
}
