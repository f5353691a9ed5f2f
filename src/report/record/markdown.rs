//! The record as Markdown: for a wiki page, a repository's `docs/`, or a pull request. Every
//! string from code or YAML is escaped, so nothing in it becomes markup.

use super::{counts, rights, yes_no};
use crate::record::{EVIDENCE_SHOWN, Evidence, Record};
use crate::report::markdown::{code_text, escape};
use std::fmt::Write;

/// Prose escaped, code spans kept as code.
pub fn inline(s: &str) -> String {
    super::segments(s)
        .into_iter()
        .map(|(code, part)| {
            if code {
                format!("`{}`", code_text(part))
            } else {
                escape(part)
            }
        })
        .collect()
}

fn cell(s: &str) -> String {
    if s.is_empty() {
        "—".into()
    } else {
        escape(s)
    }
}

fn opt(s: Option<&String>) -> String {
    s.map_or_else(|| "—".into(), |s| cell(s))
}

fn place(e: &Evidence) -> String {
    let code = format!("`{}`", code_text(&e.code));
    match &e.permalink {
        Some(link) => format!(
            "[{}]({}) {code}",
            escape(&e.location),
            link.replace('(', "%28")
                .replace(')', "%29")
                .replace(' ', "%20")
        ),
        None => format!("{} {code}", escape(&e.location)),
    }
}

fn evidence(out: &mut String, items: &[Evidence]) {
    for e in items.iter().take(EVIDENCE_SHOWN) {
        let _ = writeln!(
            out,
            "- {}: {} at {}",
            escape(&e.data),
            escape(&e.what),
            place(e)
        );
    }
    if items.len() > EVIDENCE_SHOWN {
        let _ = writeln!(
            out,
            "- and {} more (the JSON record lists them all)",
            items.len() - EVIDENCE_SHOWN
        );
    }
}

pub fn render(record: &Record) -> String {
    let mut out = String::new();
    let several = record.systems.len() > 1;
    let controller = record.controller.as_ref();
    let _ = writeln!(
        out,
        "# Record of processing activities{}\n",
        controller.map_or_else(String::new, |c| format!(": {}", escape(&c.name)))
    );
    let _ = writeln!(
        out,
        "Written by privlint {} on {} from the data map and the code. {}.\n",
        escape(&record.privlint_version),
        escape(&record.generated_at),
        escape(&counts(record))
    );
    out.push_str("| System | Commit | Repository | Data map |\n|---|---|---|---|\n");
    for s in &record.systems {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            cell(&s.name),
            s.commit
                .as_deref()
                .map_or_else(|| "—".into(), |c| format!("`{}`", code_text(c))),
            opt(s.repository.as_ref()),
            opt(s.datamap.as_ref())
        );
    }
    out.push('\n');

    out.push_str("## Controller\n\n| | |\n|---|---|\n");
    if let Some(c) = controller {
        let rows = [
            ("Name", Some(&c.name)),
            ("Country", c.country_name.as_ref().or(c.country.as_ref())),
            ("Contact", c.contact.as_ref()),
            ("Address", c.address.as_ref()),
            ("Representative", c.representative.as_ref()),
            ("Department", c.department.as_ref()),
            ("Data Protection Officer", c.dpo_name.as_ref()),
            ("DPO contact", c.dpo_contact.as_ref()),
            ("Security measures", c.security_measures.as_ref()),
        ];
        for (k, v) in rows {
            let _ = writeln!(out, "| {k} | {} |", opt(v));
        }
    } else {
        out.push_str("| Name | not declared: add `controller:` to the data map |\n");
    }
    out.push('\n');

    out.push_str("## Purposes\n\n");
    for p in &record.purposes {
        let system = if several {
            format!(" ({})", escape(&p.system))
        } else {
            String::new()
        };
        let key = if p.name == p.key {
            String::new()
        } else {
            format!(" (`{}`)", code_text(&p.key))
        };
        let _ = writeln!(out, "### {}{key}{system}\n", escape(&p.name));
        if let Some(d) = &p.description {
            let _ = writeln!(out, "{}\n", escape(d));
        }
        out.push_str("| | |\n|---|---|\n");
        let categories: Vec<String> = p
            .categories
            .iter()
            .map(|c| {
                format!(
                    "{} (`{}`){}",
                    escape(&c.name),
                    code_text(&c.element),
                    if c.special { ", special category" } else { "" }
                )
            })
            .collect();
        let recipients: Vec<String> = p
            .recipients
            .iter()
            .map(|r| {
                let mut s = escape(&r.name);
                if let Some(c) = &r.country {
                    let _ = write!(s, " ({})", escape(c));
                }
                if r.transfer {
                    let _ = write!(
                        s,
                        ", transfer abroad: {}",
                        escape(r.safeguard.as_deref().unwrap_or("no safeguard declared"))
                    );
                }
                s
            })
            .collect();
        let stores: Vec<String> = p
            .stores
            .iter()
            .map(|s| {
                format!(
                    "`{}` ({}, kept {}): erasure {}",
                    code_text(&s.key),
                    escape(s.location.as_deref().unwrap_or("location not declared")),
                    escape(s.retention.as_deref().unwrap_or("for an undeclared time")),
                    escape(&s.erasure)
                )
            })
            .collect();
        let dpia = p.dpia.as_ref().map(|d| {
            let mut s = format!("required: {}", yes_no(d.required));
            if let Some(st) = &d.status {
                let _ = write!(s, ", {st}");
            }
            if let Some(l) = &d.link {
                let _ = write!(s, ", {l}");
            }
            s
        });
        let rows: Vec<(&str, String)> = vec![
            (
                "Legal basis",
                format!(
                    "{} (`{}`)",
                    escape(&p.legal_basis_label),
                    code_text(&p.legal_basis)
                ),
            ),
            ("Data subjects", cell(&p.subjects.join(", "))),
            ("Personal data", cell_list(&categories)),
            ("Recipients", cell_list(&recipients)),
            ("Storage", cell_list(&stores)),
            ("Retention", opt(p.retention.as_ref())),
            ("Rights", escape(&rights(p))),
            ("Owner", opt(p.owner.as_ref())),
            ("Role", escape(&p.role)),
            ("Joint controller", opt(p.joint_controller.as_ref())),
            (
                "Art. 9 condition",
                opt(p.special_category_condition.as_ref()),
            ),
            ("Legitimate interest", opt(p.legitimate_interest.as_ref())),
            (
                "Legitimate interests assessment",
                opt(p.legitimate_interest_assessment.as_ref()),
            ),
            ("Automated decisions", opt(p.automated_decisions.as_ref())),
            ("DPIA", opt(dpia.as_ref())),
            ("Security measures", opt(p.security_measures.as_ref())),
            ("Fides data use", opt(p.data_use.as_ref())),
        ];
        for (k, v) in rows {
            let _ = writeln!(out, "| {k} | {v} |");
        }
        out.push('\n');
        if !p.to_complete.is_empty() {
            out.push_str("**Still to complete in the data map:**\n\n");
            for t in &p.to_complete {
                let _ = writeln!(out, "- {}", inline(t));
            }
            out.push('\n');
        }
        if p.evidence.is_empty() {
            out.push_str("No processing of this purpose's data was found in the code.\n\n");
        } else {
            out.push_str("**Where the code processes it:**\n\n");
            evidence(&mut out, &p.evidence);
            out.push('\n');
        }
    }

    out.push_str("## Personal data\n\n");
    out.push_str(
        "| Element | Category | Subjects | Source | Purposes | Stores | Recipients | Places in code |\n\
         |---|---|---|---|---|---|---|---|\n",
    );
    let of = |system: &str| {
        if several {
            format!(" ({})", escape(system))
        } else {
            String::new()
        }
    };
    for e in &record.elements {
        let _ = writeln!(
            out,
            "| `{}`{} | {} (`{}`){} | {} | {} | {} | {} | {} | {} |",
            code_text(&e.key),
            of(&e.system),
            escape(&e.category_name),
            code_text(&e.category),
            if e.special { ", special category" } else { "" },
            cell(&e.subjects.join(", ")),
            opt(e.source.as_ref()),
            cell(&e.purposes.join(", ")),
            cell(&e.stores.join(", ")),
            cell(&e.recipients.join(", ")),
            {
                let mut places: Vec<String> = e.evidence.iter().take(3).map(place).collect();
                if e.evidence.len() > 3 {
                    places.push(format!("and {} more", e.evidence.len() - 3));
                }
                cell_list(&places)
            }
        );
    }
    out.push('\n');

    out.push_str("## Recipients\n\n");
    out.push_str(
        "| Recipient | Kind | Country | Transfer abroad | Safeguard | Contract | Purposes | Data |\n\
         |---|---|---|---|---|---|---|---|\n",
    );
    for r in &record.recipients {
        let _ = writeln!(
            out,
            "| {} (`{}`){}{} | {} | {} | {} | {} | {} | {} | {} |",
            escape(&r.name),
            code_text(&r.key),
            of(&r.system),
            if r.declared {
                ""
            } else {
                ", **not in the data map**"
            },
            opt(r.kind.as_ref()),
            opt(r.country_name.as_ref().or(r.country.as_ref())),
            if r.transfer {
                if r.adequate {
                    "yes, adequate country"
                } else {
                    "yes"
                }
            } else {
                "no"
            },
            opt(r.safeguard.as_ref()),
            opt(r.processor_contract.as_ref()),
            cell(&r.purposes.join(", ")),
            cell(&r.data.join(", "))
        );
    }
    out.push('\n');

    out.push_str("## Stores and erasure\n\n");
    out.push_str(
        "| Store | Location | Data | Retention | Erasure | Erased by | Defined at |\n\
         |---|---|---|---|---|---|---|\n",
    );
    for s in &record.stores {
        let retention = match (&s.retention, s.retention_enforced) {
            (Some(r), Some(true)) => format!("{}, purged by a job", escape(r)),
            (Some(r), Some(false)) => format!("{}, no purge job found", escape(r)),
            (Some(r), None) => escape(r),
            (None, _) => "—".into(),
        };
        let erased: Vec<String> = s.erased_by.iter().map(place).collect();
        let _ = writeln!(
            out,
            "| `{}`{}{} | {} | {} | {retention} | {} | {} | {} |",
            code_text(&s.key),
            of(&s.system),
            if s.declared {
                ""
            } else {
                ", **not in the data map**"
            },
            opt(s.location_name.as_ref().or(s.location.as_ref())),
            cell(&s.data.join(", ")),
            escape(&s.erasure),
            cell_list(&erased),
            s.defined_at.as_ref().map_or_else(|| "—".into(), place)
        );
    }
    out.push('\n');

    out.push_str("## Open findings\n\n");
    if record.findings.is_empty() {
        out.push_str("None: the code agrees with the record.\n\n");
    }
    for g in &record.findings {
        let _ = writeln!(
            out,
            "### {} ({})\n\n{}\n",
            escape(&g.title),
            g.items.len(),
            escape(&g.explanation)
        );
        for f in &g.items {
            let at = match &f.permalink {
                Some(l) => format!("[{}]({})", escape(&f.location), l.replace(' ', "%20")),
                None => escape(&f.location),
            };
            let _ = writeln!(
                out,
                "- {}: {} ({at}). Fix: {}",
                escape(&f.severity),
                inline(&f.message),
                inline(&f.fix)
            );
        }
        out.push('\n');
    }
    out
}

fn cell_list(items: &[String]) -> String {
    if items.is_empty() {
        "—".into()
    } else {
        items.join("<br>")
    }
}
