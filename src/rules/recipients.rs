//! The recipients catalog (`rules/recipients.yml`): third-party SDKs and API hosts, each with the
//! recipient it discloses to, the provider's country and its usual purposes.
//!
//! A callee path (imports resolved) is matched against module and crate names by segment, the
//! longest entry winning; a host against exact hosts and `*.` suffixes, the most specific winning.
//! When two entries claim the same matcher, the one added later (the higher id) wins, so a user's
//! rules and data-map recipients take precedence over the built-in ones.

use super::RuleError;
use super::jurisdictions::is_country_code;
use crate::ir::Language;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use serde::Deserialize;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::OnceLock;
use url::{Host, Url};

/// An index into a [`Catalog`]; stable for the catalog's lifetime (a replaced entry keeps it).
pub type RecipientId = u32;

/// One catalog entry, as written in a rules file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recipient {
    /// Stable `snake_case` id; a data-map recipient with this key is this entry.
    pub id: String,
    /// Display name.
    pub name: String,
    /// ISO 3166-1 alpha-2 country of the provider's headquarters.
    pub country: String,
    /// Usual purposes, as Fides `data_use` keys.
    #[serde(default)]
    pub purposes: Vec<String>,
    /// Python modules as imported; dotted prefixes allowed (`google.cloud.storage`).
    #[serde(default)]
    pub python: Vec<String>,
    /// Rust crate names as they appear in paths (`async_stripe`).
    #[serde(default)]
    pub rust: Vec<String>,
    /// API hosts; `*.example.com` matches any subdomain of example.com.
    #[serde(default)]
    pub hosts: Vec<String>,
}

impl Recipient {
    /// What the entry matches, for `privlint rules --recipients`.
    pub fn describe_matchers(&self) -> String {
        let mut parts = Vec::new();
        for (label, list) in [
            ("python", &self.python),
            ("rust", &self.rust),
            ("hosts", &self.hosts),
        ] {
            if !list.is_empty() {
                parts.push(format!("{label} {}", list.join(" ")));
            }
        }
        parts.join("; ")
    }

    /// Puts the matchers in the form the catalog compares: hosts lower case without a trailing
    /// dot, crate names with `_` for `-`, no surrounding space.
    fn normalize(&mut self) {
        for p in &mut self.python {
            *p = p.trim().to_string();
        }
        for r in &mut self.rust {
            *r = r.trim().trim_start_matches("::").replace('-', "_");
        }
        for h in &mut self.hosts {
            *h = h.trim().trim_end_matches('.').to_ascii_lowercase();
        }
        self.country = self.country.trim().to_ascii_uppercase();
    }
}

/// The recipients in force: the built-in catalog, the user's rules, and whatever the data map
/// adds, with indexes for matching.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    entries: Vec<Recipient>,
    keys: HashMap<String, RecipientId>,
    python: HashMap<String, RecipientId>,
    rust: HashMap<String, RecipientId>,
    /// Hosts to match whole.
    hosts: HashMap<String, RecipientId>,
    /// `*.example.com` entries, stored as `example.com`.
    suffixes: HashMap<String, RecipientId>,
}

impl Catalog {
    /// The entry behind an id. Panics on an id this catalog did not hand out.
    pub fn get(&self, id: RecipientId) -> &Recipient {
        &self.entries[id as usize]
    }

    /// The id of the entry with this key (`stripe`).
    pub fn by_key(&self, key: &str) -> Option<RecipientId> {
        self.keys.get(key).copied()
    }

    /// The entries with their ids, in the order they were added.
    pub fn iter(&self) -> impl Iterator<Item = (RecipientId, &Recipient)> {
        (0..).zip(&self.entries)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Adds an entry, or replaces the one with the same `id` (which keeps its `RecipientId`).
    /// Matchers are normalized; nothing is validated (see [`Catalog::add_rules`] for that).
    ///
    /// # Panics
    ///
    /// When the catalog already holds 2^32 entries.
    pub fn add(&mut self, mut recipient: Recipient) -> RecipientId {
        recipient.normalize();
        if let Some(&id) = self.keys.get(&recipient.id) {
            self.entries[id as usize] = recipient;
            self.reindex();
            return id;
        }
        let id = RecipientId::try_from(self.entries.len()).expect("fewer than 2^32 recipients");
        self.index(id, &recipient);
        self.entries.push(recipient);
        id
    }

    /// Validates and adds the `recipients:` of one rules file. Within one file an `id` may appear
    /// once; across files a later entry replaces an earlier one.
    pub fn add_rules(&mut self, path: &str, recipients: Vec<Recipient>) -> Result<(), RuleError> {
        let mut seen = HashSet::default();
        for recipient in recipients {
            validate(&recipient).map_err(|message| RuleError {
                path: path.to_string(),
                line: 0,
                column: 0,
                message: format!("recipient `{}`: {message}", recipient.id),
            })?;
            if !seen.insert(recipient.id.clone()) {
                return Err(RuleError {
                    path: path.to_string(),
                    line: 0,
                    column: 0,
                    message: format!("recipient `{}` is listed twice", recipient.id),
                });
            }
            self.add(recipient);
        }
        Ok(())
    }

    fn index(&mut self, id: RecipientId, r: &Recipient) {
        self.keys.insert(r.id.clone(), id);
        for p in &r.python {
            self.python.insert(p.clone(), id);
        }
        for c in &r.rust {
            self.rust.insert(c.clone(), id);
        }
        for h in &r.hosts {
            match h.strip_prefix("*.") {
                Some(suffix) => self.suffixes.insert(suffix.to_string(), id),
                None => self.hosts.insert(h.clone(), id),
            };
        }
    }

    fn reindex(&mut self) {
        let entries = std::mem::take(&mut self.entries);
        *self = Catalog::default();
        for (id, r) in (0..).zip(&entries) {
            self.index(id, r);
        }
        self.entries = entries;
    }

    /// The recipient a callee path belongs to. `path` has its import resolved and uses the
    /// language's separator (`stripe.Customer.create`, `stripe::Customer::create`); an entry
    /// matches when it equals the path or is a prefix of it ending at a segment boundary, and
    /// the longest such entry wins (`google.cloud.storage` over `google`).
    pub fn match_path(&self, language: Language, path: &str) -> Option<RecipientId> {
        let (map, separator) = match language {
            Language::Python => (&self.python, "."),
            Language::Rust => (&self.rust, "::"),
            Language::Sql => return None,
        };
        let mut candidate = path.trim();
        if language == Language::Rust {
            candidate = candidate.trim_start_matches("::");
        }
        loop {
            if let Some(&id) = map.get(candidate) {
                return Some(id);
            }
            candidate = &candidate[..candidate.rfind(separator)?];
        }
    }

    /// The recipient an API host belongs to, ignoring case: an exact host first, then the
    /// longest `*.` suffix that the host is a subdomain of.
    pub fn match_host(&self, host: &str) -> Option<RecipientId> {
        let host = host.trim().trim_end_matches('.').to_ascii_lowercase();
        if host.is_empty() {
            return None;
        }
        if let Some(&id) = self.hosts.get(&host) {
            return Some(id);
        }
        host.match_indices('.')
            .find_map(|(at, _)| self.suffixes.get(&host[at + 1..]).copied())
    }

    /// The recipient of a URL-ish string and the host it names (see [`host_of`]).
    pub fn match_url(&self, text: &str) -> Option<(RecipientId, String)> {
        let host = host_of(text)?;
        self.match_host(&host).map(|id| (id, host))
    }
}

/// Checks an entry from a rules file: a `snake_case` id, a name, a country code, known purposes,
/// well-formed module, crate and host names.
fn validate(r: &Recipient) -> Result<(), String> {
    let snake = |s: &str| {
        s.starts_with(|c: char| c.is_ascii_lowercase())
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    };
    if !snake(&r.id) {
        return Err("the id must be snake_case (`[a-z][a-z0-9_]*`)".into());
    }
    if r.name.trim().is_empty() {
        return Err("`name` is empty".into());
    }
    let country = r.country.trim().to_ascii_uppercase();
    if !is_country_code(&country) {
        return Err(format!(
            "`country`: `{}` is not an ISO 3166-1 alpha-2 country code",
            r.country
        ));
    }
    if let Some(bad) = r
        .purposes
        .iter()
        .find(|p| !data_uses().contains(p.as_str()))
    {
        return Err(format!(
            "`purposes`: `{bad}` is not a Fides data_use key (rules/taxonomy/fideslang-3.1.4.tsv)"
        ));
    }
    let identifier = |s: &str| {
        !s.is_empty()
            && !s.starts_with(|c: char| c.is_ascii_digit())
            && s.chars().all(|c| c.is_alphanumeric() || c == '_')
    };
    if let Some(bad) = r
        .python
        .iter()
        .find(|p| !p.trim().split('.').all(identifier))
    {
        return Err(format!("`python`: `{bad}` is not a dotted module name"));
    }
    if let Some(bad) = r
        .rust
        .iter()
        .find(|c| !identifier(&c.trim().replace('-', "_")))
    {
        return Err(format!("`rust`: `{bad}` is not a crate name"));
    }
    if let Some(bad) = r.hosts.iter().find(|h| !is_host_pattern(h)) {
        return Err(format!(
            "`hosts`: `{bad}` is not a host name or `*.` followed by one"
        ));
    }
    Ok(())
}

/// `api.example.com` or `*.example.com`: labels of letters, digits and `-`, at least two.
fn is_host_pattern(pattern: &str) -> bool {
    let host = pattern.strip_prefix("*.").unwrap_or(pattern);
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// The Fides `data_use` keys of the bundled taxonomy.
pub fn data_uses() -> &'static HashSet<&'static str> {
    static KEYS: OnceLock<HashSet<&'static str>> = OnceLock::new();
    KEYS.get_or_init(|| {
        include_str!("../../rules/taxonomy/fideslang-3.1.4.tsv")
            .lines()
            .filter_map(|line| {
                let mut fields = line.split('\t');
                (fields.next() == Some("data_use"))
                    .then(|| fields.next())
                    .flatten()
            })
            .collect()
    })
}

/// The host of a URL-ish string: a literal (`https://api.stripe.com/v1/customers` →
/// `api.stripe.com`), a scheme-relative one (`//cdn.x.com/a`), or a formatted string whose host
/// part is literal (`https://api.x.com/{id}`, `http://user@host:{port}/p`). `None` when the host
/// is not literal (`https://{region}.api.x.com`, `https://%s/`), when there is no `scheme://` or
/// `//` (`api.mailgun.net/v3`: too easily a false host), and for `file:` URLs. Domains come back
/// in lower case (IDNs in punycode), IPv6 addresses without brackets; internal hosts
/// (`localhost`, private addresses) are returned too, see [`is_internal_host`].
pub fn host_of(text: &str) -> Option<String> {
    host_parts(text).map(|(host, _)| host)
}

/// Like [`host_of`], for the literal prefix of a string built at run time (the text before the
/// first interpolation): the host only if the prefix shows where it ends (`https://api.x.com/`
/// or `https://api.x.com:`), so `https://api.` + region yields nothing.
pub fn host_of_prefix(prefix: &str) -> Option<String> {
    host_parts(prefix).and_then(|(host, ended)| ended.then_some(host))
}

/// The host, and whether something follows it (port, path, query or fragment).
fn host_parts(text: &str) -> Option<(String, bool)> {
    let text = text.trim();
    let (scheme, rest) = if let Some(rest) = text.strip_prefix("//") {
        ("https", rest)
    } else {
        let (scheme, rest) = text.split_once("://")?;
        let valid = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
        if !valid || scheme.eq_ignore_ascii_case("file") {
            return None;
        }
        (scheme, rest)
    };
    let authority_end = rest.find(['/', '?', '#', '\\']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let (host, has_port) = if host_port.starts_with('[') {
        let end = host_port.find(']')?;
        (&host_port[..=end], host_port.len() > end + 1)
    } else {
        match host_port.split_once(':') {
            Some((host, _)) => (host, true),
            None => (host_port, false),
        }
    };
    if host.is_empty()
        || host.contains(|c: char| {
            c.is_whitespace() || matches!(c, '{' | '}' | '$' | '%' | '<' | '>' | '*' | '"' | '\'')
        })
    {
        return None;
    }
    let url = Url::parse(&format!("{scheme}://{host}/")).ok()?;
    let host = match url.host()? {
        Host::Domain(d) => {
            let d = d.trim_end_matches('.').to_ascii_lowercase();
            let well_formed = !d.is_empty()
                && d.split('.').all(|label| {
                    !label.is_empty()
                        && label
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
                });
            if !well_formed {
                return None;
            }
            d
        }
        Host::Ipv4(ip) => ip.to_string(),
        Host::Ipv6(ip) => ip.to_string(),
    };
    Some((host, has_port || authority_end < rest.len()))
}

/// Whether a host stays inside the organisation's network: `localhost`, loopback, private,
/// link-local and unspecified addresses, the special-use names `.localhost`, `.local`,
/// `.internal`, `.home.arpa`, and single-label names (`redis`, `db`: a service on the local
/// network).
pub fn is_internal_host(host: &str) -> bool {
    let host = host
        .trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .trim_end_matches('.')
        .to_ascii_lowercase();
    if host.is_empty() {
        return false;
    }
    if let Ok(ip) = host.parse::<IpAddr>() {
        return match ip {
            IpAddr::V4(v4) => is_internal_v4(v4),
            IpAddr::V6(v6) => is_internal_v6(v6),
        };
    }
    !host.contains('.')
        || [".localhost", ".local", ".internal", ".home.arpa"]
            .iter()
            .any(|suffix| host.ends_with(suffix))
}

fn is_internal_v4(ip: Ipv4Addr) -> bool {
    ip.is_loopback() || ip.is_private() || ip.is_link_local() || ip.is_unspecified()
}

fn is_internal_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_internal_v4(v4);
    }
    ip.is_loopback() || ip.is_unspecified() || ip.is_unique_local() || ip.is_unicast_link_local()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Rules;

    fn catalog() -> Catalog {
        Rules::builtin().unwrap().recipients
    }

    fn key(catalog: &Catalog, id: Option<RecipientId>) -> Option<&str> {
        id.map(|id| catalog.get(id).id.as_str())
    }

    #[test]
    fn builtin_catalog_is_well_formed() {
        let c = catalog();
        assert!(c.len() >= 45, "{} entries", c.len());
        let mut ids = HashSet::default();
        let mut hosts = HashMap::default();
        let mut modules = HashMap::default();
        for (n, r) in c.iter() {
            assert!(ids.insert(r.id.as_str()), "duplicate id {}", r.id);
            assert_eq!(c.by_key(&r.id), Some(n));
            assert!(is_country_code(&r.country), "{}: {}", r.id, r.country);
            assert!(!r.purposes.is_empty(), "{}: no purpose", r.id);
            for p in &r.purposes {
                assert!(data_uses().contains(p.as_str()), "{}: {p}", r.id);
            }
            assert!(
                !(r.python.is_empty() && r.rust.is_empty() && r.hosts.is_empty()),
                "{}: nothing to match",
                r.id
            );
            for h in &r.hosts {
                if let Some(other) = hosts.insert(h.clone(), r.id.clone()) {
                    panic!("{h} claimed by {other} and {}", r.id);
                }
            }
            for m in r
                .python
                .iter()
                .map(|p| format!("py:{p}"))
                .chain(r.rust.iter().map(|p| format!("rs:{p}")))
            {
                if let Some(other) = modules.insert(m.clone(), r.id.clone()) {
                    panic!("{m} claimed by {other} and {}", r.id);
                }
            }
        }
        // A non-wildcard host that a wildcard of another entry also covers would be shadowed
        // only if it were not exact; exact hosts win, so each still maps to its own entry.
        for (h, owner) in &hosts {
            if !h.starts_with("*.") {
                assert_eq!(key(&c, c.match_host(h)), Some(owner.as_str()), "{h}");
            }
        }
    }

    #[test]
    fn required_providers_are_present() {
        let c = catalog();
        for id in [
            "stripe",
            "paypal",
            "braintree",
            "adyen",
            "segment",
            "mixpanel",
            "amplitude",
            "posthog",
            "google_analytics",
            "sentry",
            "datadog",
            "new_relic",
            "rollbar",
            "bugsnag",
            "honeybadger",
            "sendgrid",
            "mailgun",
            "mailchimp",
            "mandrill",
            "postmark",
            "amazon_ses",
            "amazon_s3",
            "amazon_sns",
            "twilio",
            "vonage",
            "messagebird",
            "firebase",
            "onesignal",
            "intercom",
            "hubspot",
            "salesforce",
            "zendesk",
            "freshdesk",
            "braze",
            "customer_io",
            "slack",
            "telegram",
            "openai",
            "anthropic",
            "google_gemini",
            "mistral",
            "cohere",
            "algolia",
            "auth0",
            "okta",
            "cloudinary",
            "kaspi",
            "yandex_metrica",
            "yandex_cloud",
            "yandex_mail",
        ] {
            assert!(c.by_key(id).is_some(), "{id}");
        }
        let country = |id: &str| c.get(c.by_key(id).unwrap()).country.clone();
        assert_eq!(country("adyen"), "NL");
        assert_eq!(country("mistral"), "FR");
        assert_eq!(country("kaspi"), "KZ");
        assert_eq!(country("yandex_metrica"), "RU");
        assert_eq!(country("telegram"), "AE");
    }

    #[test]
    fn paths_match_by_segment_longest_first() {
        let c = catalog();
        let py = |p: &str| key(&c, c.match_path(Language::Python, p));
        let rs = |p: &str| key(&c, c.match_path(Language::Rust, p));
        assert_eq!(py("stripe.Customer.create"), Some("stripe"));
        assert_eq!(py("stripe"), Some("stripe"));
        assert_eq!(py("stripe_helpers.charge"), None);
        assert_eq!(py("mystripe.Customer"), None);
        assert_eq!(
            py("google.cloud.storage.Client"),
            Some("google_cloud_storage")
        );
        assert_eq!(py("google.cloud.storage_transfer.Client"), None);
        assert_eq!(
            py("google.generativeai.GenerativeModel"),
            Some("google_gemini")
        );
        assert_eq!(py("google.genai.Client"), Some("google_gemini"));
        assert_eq!(py("google.cloud.bigquery.Client"), None);
        assert_eq!(py("segment.analytics.track"), Some("segment"));
        assert_eq!(py("sentry_sdk.capture_message"), Some("sentry"));
        assert_eq!(py("boto3.client"), Some("aws"));
        assert_eq!(py("Adyen.Adyen"), Some("adyen"));
        assert_eq!(py("adyen.Adyen"), None, "module names are case-sensitive");
        assert_eq!(py(""), None);
        assert_eq!(rs("stripe::Customer::create"), Some("stripe"));
        assert_eq!(rs("::stripe::Client::new"), Some("stripe"));
        assert_eq!(rs("async_stripe::Client"), Some("stripe"));
        assert_eq!(rs("stripe_helpers::charge"), None);
        assert_eq!(rs("aws_sdk_s3::Client::put_object"), Some("amazon_s3"));
        assert_eq!(rs("aws_sdk_s3x::Client"), None);
        assert_eq!(rs("sentry::capture_message"), Some("sentry"));
        assert_eq!(rs("stripe.Customer.create"), None, "Rust paths use ::");
        assert_eq!(py("stripe::Customer"), None, "Python paths use .");
    }

    #[test]
    fn hosts_match_exactly_or_by_subdomain() {
        let c = catalog();
        let host = |h: &str| key(&c, c.match_host(h));
        assert_eq!(host("api.stripe.com"), Some("stripe"));
        assert_eq!(host("API.Stripe.COM."), Some("stripe"));
        assert_eq!(host("notstripe.com"), None);
        assert_eq!(host("api.notstripe.com"), None);
        assert_eq!(host("api.stripe.com.evil.io"), None);
        assert_eq!(host("stripe.com"), None);
        assert_eq!(host("o123.ingest.sentry.io"), Some("sentry"));
        assert_eq!(host("sentry.io"), Some("sentry"));
        assert_eq!(host("notsentry.io"), None);
        assert_eq!(host("my-bucket.s3.amazonaws.com"), Some("amazon_s3"));
        assert_eq!(host("s3.amazonaws.com"), Some("amazon_s3"));
        assert_eq!(host("email.eu-west-1.amazonaws.com"), Some("aws"));
        assert_eq!(host("amazonaws.com"), None);
        assert_eq!(host("us21.api.mailchimp.com"), Some("mailchimp"));
        assert_eq!(host("hooks.slack.com"), Some("slack"));
        assert_eq!(host("api.telegram.org"), Some("telegram"));
        assert_eq!(
            host("generativelanguage.googleapis.com"),
            Some("google_gemini")
        );
        assert_eq!(host("googleapis.com"), None);
        assert_eq!(host("mc.yandex.ru"), Some("yandex_metrica"));
        assert_eq!(host(""), None);
    }

    #[test]
    fn urls_match_through_their_host() {
        let c = catalog();
        let url = |t: &str| c.match_url(t).map(|(id, h)| (c.get(id).id.clone(), h));
        assert_eq!(
            url("https://api.stripe.com/v1/customers"),
            Some(("stripe".into(), "api.stripe.com".into()))
        );
        assert_eq!(
            url("https://hooks.slack.com/services/T000/B000/XXXX"),
            Some(("slack".into(), "hooks.slack.com".into()))
        );
        assert_eq!(
            url("https://api.telegram.org/bot{token}/sendMessage"),
            Some(("telegram".into(), "api.telegram.org".into()))
        );
        assert_eq!(url("https://notstripe.com/v1"), None);
        assert_eq!(url("https://{region}.api.mailchimp.com/3.0/"), None);
        assert_eq!(url("api.mailgun.net/v3"), None);
        assert_eq!(url("https://example.com/api.stripe.com"), None);
    }

    #[test]
    fn host_of_reads_urls_and_format_strings() {
        let h = |t: &str| host_of(t);
        assert_eq!(
            h("https://api.stripe.com/v1/customers").as_deref(),
            Some("api.stripe.com")
        );
        assert_eq!(h("https://{region}.api.x.com"), None);
        assert_eq!(h("https://api.{domain}/v1"), None);
        assert_eq!(h("https://%s/v1"), None);
        assert_eq!(h("https://${HOST}/v1"), None);
        assert_eq!(
            h("http://user@host.example:8080/p").as_deref(),
            Some("host.example")
        );
        assert_eq!(
            h("http://user:{password}@db.example.com:5432/x").as_deref(),
            Some("db.example.com")
        );
        assert_eq!(
            h("https://api.x.com:{port}/v1").as_deref(),
            Some("api.x.com")
        );
        assert_eq!(h("//cdn.x.com/a").as_deref(), Some("cdn.x.com"));
        assert_eq!(h("api.mailgun.net/v3"), None);
        assert_eq!(
            h("https://API.Stripe.com").as_deref(),
            Some("api.stripe.com")
        );
        assert_eq!(h("  https://api.x.com?q=1 ").as_deref(), Some("api.x.com"));
        assert_eq!(h("https://api.x.com/{id}").as_deref(), Some("api.x.com"));
        assert_eq!(h("http://localhost:8000/").as_deref(), Some("localhost"));
        assert_eq!(h("http://127.0.0.1/").as_deref(), Some("127.0.0.1"));
        assert_eq!(h("http://10.1.2.3:9200").as_deref(), Some("10.1.2.3"));
        assert_eq!(h("http://[::1]:8080/x").as_deref(), Some("::1"));
        assert_eq!(h("wss://stream.x.com/ws").as_deref(), Some("stream.x.com"));
        assert_eq!(
            h("smtp://smtp.yandex.ru:465").as_deref(),
            Some("smtp.yandex.ru")
        );
        assert_eq!(
            h("https://пример.рф/").as_deref(),
            Some("xn--e1afmkfd.xn--p1ai")
        );
        assert_eq!(h("file:///etc/passwd"), None);
        assert_eq!(h("https://"), None);
        assert_eq!(h("https:///path"), None);
        assert_eq!(h("mailto:a@b.com"), None);
        assert_eq!(h("hello world"), None);
        assert_eq!(h("1://x.com"), None);
        assert_eq!(h(""), None);
    }

    #[test]
    fn host_of_prefix_needs_the_host_to_end() {
        assert_eq!(
            host_of_prefix("https://api.stripe.com/v1/customers/").as_deref(),
            Some("api.stripe.com")
        );
        assert_eq!(
            host_of_prefix("https://api.x.com:").as_deref(),
            Some("api.x.com")
        );
        assert_eq!(
            host_of_prefix("https://api.x.com?a=").as_deref(),
            Some("api.x.com")
        );
        assert_eq!(host_of_prefix("https://api."), None);
        assert_eq!(host_of_prefix("https://api-"), None);
        assert_eq!(host_of_prefix("https://"), None);
    }

    #[test]
    fn internal_hosts() {
        for internal in [
            "localhost",
            "LOCALHOST.",
            "app.localhost",
            "127.0.0.1",
            "10.0.0.5",
            "172.16.3.4",
            "192.168.1.10",
            "169.254.1.1",
            "0.0.0.0",
            "::1",
            "[::1]",
            "fd12:3456::1",
            "fe80::1",
            "::ffff:192.168.0.1",
            "printer.local",
            "metadata.google.internal",
            "nas.home.arpa",
            "redis",
        ] {
            assert!(is_internal_host(internal), "{internal}");
        }
        for external in [
            "api.stripe.com",
            "8.8.8.8",
            "172.32.0.1",
            "2606:4700::1111",
            "local.example.com",
            "internal.example.com",
            "",
        ] {
            assert!(!is_internal_host(external), "{external}");
        }
    }

    #[test]
    fn add_replaces_by_id_and_later_entries_win() {
        let mut c = catalog();
        let before = c.len();
        let stripe = c.by_key("stripe").unwrap();
        let replaced = c.add(Recipient {
            id: "stripe".into(),
            name: "Stripe (EU)".into(),
            country: "ie".into(),
            purposes: vec!["essential.service.payment_processing".into()],
            python: vec!["stripe_eu".into()],
            hosts: vec!["API.Stripe-EU.example".into()],
            ..Recipient::default()
        });
        assert_eq!(replaced, stripe);
        assert_eq!(c.len(), before);
        assert_eq!(c.get(stripe).country, "IE");
        assert_eq!(c.match_path(Language::Python, "stripe.Customer"), None);
        assert_eq!(c.match_host("api.stripe.com"), None);
        assert_eq!(
            c.match_path(Language::Python, "stripe_eu.Customer"),
            Some(stripe)
        );
        assert_eq!(c.match_host("api.stripe-eu.example"), Some(stripe));
        // Other entries survive the reindex.
        assert_eq!(key(&c, c.match_host("api.mixpanel.com")), Some("mixpanel"));

        let halyk = c.add(Recipient {
            id: "halyk_bank".into(),
            name: "Halyk Bank".into(),
            country: "KZ".into(),
            hosts: vec!["api.halykbank.kz".into(), "*.sentry.io".into()],
            rust: vec!["halyk-sdk".into()],
            ..Recipient::default()
        });
        assert_eq!(halyk as usize, before);
        assert_eq!(c.by_key("halyk_bank"), Some(halyk));
        assert_eq!(c.match_host("api.halykbank.kz"), Some(halyk));
        assert_eq!(c.match_path(Language::Rust, "halyk_sdk::pay"), Some(halyk));
        assert_eq!(
            c.match_host("o1.ingest.sentry.io"),
            Some(halyk),
            "the later entry wins"
        );
        assert_eq!(key(&c, c.match_host("sentry.io")), Some("sentry"));
    }

    #[test]
    fn rules_files_are_validated() {
        let bad = |yaml: &str| {
            let file = crate::rules::parse_rule_file("u.yml", yaml).unwrap();
            Catalog::default()
                .add_rules("u.yml", file.recipients)
                .unwrap_err()
                .message
        };
        let entry = "recipients:\n  - id: acme\n    name: Acme\n    country: US\n";
        let ok = crate::rules::parse_rule_file("u.yml", entry).unwrap();
        Catalog::default()
            .add_rules("u.yml", ok.recipients)
            .unwrap();
        assert!(bad(&entry.replace("acme", "Acme-Co")).contains("snake_case"));
        assert!(bad(&entry.replace("US", "UK")).contains("`UK`"));
        assert!(
            bad(&format!("{entry}    purposes: [marketing.spam]\n")).contains("marketing.spam")
        );
        assert!(bad(&format!("{entry}    hosts: ['https://acme.com']\n")).contains("hosts"));
        assert!(bad(&format!("{entry}    hosts: ['*.com']\n")).contains("hosts"));
        assert!(bad(&format!("{entry}    python: [acme-sdk]\n")).contains("python"));
        assert!(bad(&format!("{entry}{}", &entry["recipients:\n".len()..])).contains("twice"));
        let unknown = crate::rules::parse_rule_file("u.yml", &format!("{entry}    region: eu\n"))
            .unwrap_err();
        assert!(unknown.message.contains("region"), "{unknown}");
    }

    #[test]
    fn user_rules_dir_replaces_and_adds() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("recipients.yml"),
            "recipients:\n\
             \x20 - id: mailgun\n\
             \x20   name: Mailgun EU\n\
             \x20   country: DE\n\
             \x20   purposes: [essential.service.notifications.email]\n\
             \x20   hosts: [api.eu.mailgun.net]\n\
             \x20 - id: halyk_bank\n\
             \x20   name: Halyk Bank\n\
             \x20   country: KZ\n\
             \x20   python: [halyk]\n\
             \x20   hosts: [api.halykbank.kz]\n",
        )
        .unwrap();
        let builtin = catalog();
        let rules = Rules::load(&[dir.path().to_path_buf()]).unwrap();
        let c = &rules.recipients;
        assert_eq!(c.len(), builtin.len() + 1);
        let mailgun = c.by_key("mailgun").unwrap();
        assert_eq!(mailgun, builtin.by_key("mailgun").unwrap());
        assert_eq!(c.get(mailgun).name, "Mailgun EU");
        assert_eq!(c.get(mailgun).country, "DE");
        assert_eq!(c.match_host("api.eu.mailgun.net"), Some(mailgun));
        assert_eq!(
            c.match_host("api.mailgun.net"),
            None,
            "the user entry replaced it whole"
        );
        assert_eq!(
            key(c, c.match_path(Language::Python, "halyk.pay")),
            Some("halyk_bank")
        );
        assert_eq!(
            key(c, c.match_url("https://api.halykbank.kz/x").map(|m| m.0)),
            Some("halyk_bank")
        );
    }
}
