//! # cross-border-transfer
//!
//! ## What it finds
//! A declared recipient in another country than the controller (outside the EEA under GDPR,
//! outside Kazakhstan under the Kazakhstan profile) whose transfer rests on nothing the
//! profile accepts: no `safeguard`, a safeguard the profile does not know (Kazakhstan's law
//! rests on the subject's consent or a country that protects personal data), or `adequacy`
//! for a country without an adequacy decision (GDPR) or outside the countries Kazakhstan treats
//! as ensuring protection. Without a profile, any recipient abroad without a safeguard is
//! reported. Profiles come from `--profile kz,gdpr` or from the controller's country; the
//! country lists are data, in `rules/jurisdictions.yml`.
//!
//! ## Why it matters
//! GDPR Chapter V (Articles 44–49): a transfer to a third country needs an adequacy decision
//! (Article 45), appropriate safeguards such as standard contractual clauses or binding
//! corporate rules (Articles 46 and 47), or a derogation (Article 49); the record of
//! processing names the country and the safeguard (Article 30(1)(e)). Kazakhstan's Law on
//! Personal Data and their Protection (Article 16) allows transfer to states that ensure the
//! protection of personal data, and to others with the subject's consent or as the law provides.
//!
//! ## Example
//! ```yaml
//! controller: { name: Dala Market LLP, country: KZ }
//! recipients:
//!   mailgun: { purposes: [accounts], data: [email], country: US }    # no safeguard
//! ```
//!
//! ## Use instead
//! ```yaml
//!   mailgun: { purposes: [accounts], data: [email], country: US, safeguard: consent }
//! ```
//!
//! ## How to fix or suppress
//! Put the transfer on a lawful footing and declare it (`safeguard:`), or use a provider in the
//! controller's country. The country lists change: check them against the official lists and
//! override them in your own rules file (`privlint rules --profiles` shows them).

use super::{Check, Context};
use crate::datamap::pointer_escape;
use crate::finding::{Finding, Severity};

pub static CHECK: Check = Check {
    id: "cross-border-transfer",
    severity: Severity::Error,
    summary: "A recipient abroad without a safeguard the jurisdiction accepts.",
    doc: include_str!("cross_border_transfer.rs"),
    run,
};

fn run(cx: &Context<'_, '_>) -> Vec<Finding> {
    let Some(att) = cx.datamap else {
        return Vec::new();
    };
    let map = att.map;
    let catalog = &cx.program.rules.recipients;
    let home = map.controller.as_ref().and_then(|c| c.country.as_deref());
    let mut out = Vec::new();
    for (key, recipient) in &map.recipients {
        let country = recipient.country.clone().or_else(|| {
            catalog
                .by_key(key)
                .map(|id| catalog.get(id).country.clone())
        });
        let Some(country) = country else { continue };
        let pointer = format!("/recipients/{}", pointer_escape(key));
        let safeguard = recipient.safeguard.map(crate::datamap::Safeguard::as_str);
        let mut problems: Vec<(String, String)> = Vec::new();
        if cx.profiles.is_empty()
            && home.is_some_and(|h| !h.eq_ignore_ascii_case(&country))
            && safeguard.is_none()
        {
            problems.push((
                format!(
                    "The recipient `{key}` is in {country}, another country than the controller \
                     ({}), and declares no safeguard for the transfer",
                    home.unwrap_or_default()
                ),
                format!(
                    "add `safeguard:` to `recipients.{key}`: adequacy, \
                     standard_contractual_clauses, binding_corporate_rules, consent or derogation"
                ),
            ));
        }
        for profile in cx.profiles {
            if profile.is_home(&country) {
                continue;
            }
            let accepted = profile.safeguards.join(", ");
            match safeguard {
                None if profile.is_adequate(&country) => {}
                None => problems.push((
                    format!(
                        "The recipient `{key}` is in {country}; a transfer there needs a \
                         safeguard under {}, and none is declared",
                        profile.name
                    ),
                    format!(
                        "add `safeguard:` to `recipients.{key}`; under {} one of: {accepted}",
                        profile.name
                    ),
                )),
                Some(s) if !profile.accepts(s) => problems.push((
                    format!(
                        "The recipient `{key}` is in {country}, and `{s}` is not a basis for a \
                         transfer under {}",
                        profile.name
                    ),
                    format!("use one of: {accepted}"),
                )),
                Some("adequacy") if !profile.is_adequate(&country) => problems.push((
                    format!(
                        "The recipient `{key}` claims `adequacy`, but {country} is not among the \
                         countries {} treats as adequate",
                        profile.name
                    ),
                    format!(
                        "rest the transfer on another safeguard ({accepted}), or update the \
                         country list in your rules if it has changed"
                    ),
                )),
                Some(_) => {}
            }
        }
        for (message, help) in problems {
            out.extend(cx.declaration_finding(
                CHECK.id,
                CHECK.severity,
                &pointer,
                message,
                help,
                Vec::new(),
            ));
        }
    }
    out
}
