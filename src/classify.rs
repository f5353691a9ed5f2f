//! Names and literal values → personal-data categories, from `rules/categories.yml`.
//!
//! Names (variables, fields, parameters, dictionary keys) are split into lowercase tokens
//! ([`tokens`]) and matched against token-sequence patterns precompiled into a hash map keyed by
//! their first token; see the header of `rules/categories.yml` for the matching rules. Literal
//! values are recognised by a few hand-written detectors ([`Detector`]).

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::cell::RefCell;

use serde::Deserialize;

/// Index of a category in the classifier's table.
pub type CategoryId = usize;

/// The built-in rules file, embedded at compile time.
pub const BUILTIN_CATEGORIES_YAML: &str = include_str!("../rules/categories.yml");

/// One category as written in a rules file.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryRule {
    /// Fides taxonomy key (`user.contact.email`).
    pub key: String,
    /// Human name.
    pub name: String,
    /// Identifies a person on its own (or is a secret): flagged in logs.
    #[serde(default)]
    pub identifier: bool,
    /// An internal key (`user_id`): personal data, not flagged in logs by default.
    #[serde(default)]
    pub pseudonymous: bool,
    /// Token sequences (written `snake_case`) that mean this category.
    #[serde(default)]
    pub names: Vec<String>,
    /// Token sequences that cancel this category anywhere in a name.
    #[serde(default)]
    pub negatives: Vec<String>,
    /// Literal-value detector for this category.
    #[serde(default)]
    pub detect: Option<Detector>,
    /// Words for things this data never belongs to: a field of an object so named is not
    /// this category (`repo.full_name`, `Organization.name`).
    #[serde(default)]
    pub not_of: Vec<String>,
}

/// A whole rules file for categories: `categories:`, `negatives:`, `negative_prefixes:`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryRules {
    pub categories: Vec<CategoryRule>,
    /// Single tokens that cancel any match when they occur outside the matched run.
    #[serde(default)]
    pub negatives: Vec<String>,
    /// Single tokens that cancel any match when they start the name (`is`, `has`).
    #[serde(default)]
    pub negative_prefixes: Vec<String>,
}

impl CategoryRules {
    /// Parses a rules file (YAML).
    pub fn from_yaml(text: &str) -> Result<Self, String> {
        serde_saphyr::from_str(text).map_err(|e| e.to_string())
    }

    /// The built-in rules (`rules/categories.yml`).
    ///
    /// # Panics
    /// If the embedded file does not parse (guarded by the module's tests).
    pub fn builtin() -> Self {
        Self::from_yaml(BUILTIN_CATEGORIES_YAML).expect("built-in rules/categories.yml parses")
    }
}

/// Literal-value detectors, named in YAML by `detect:`.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Detector {
    /// A real-looking email address anywhere in the string.
    Email,
    /// The whole string is a formatted phone number.
    Phone,
    /// The whole string is a Kazakh IIN with a valid date and check digit.
    KzIin,
    /// The whole string is a Luhn-valid payment card number with a known prefix.
    CardNumber,
    /// The whole string is a public IPv4 address.
    Ipv4,
}

impl Detector {
    /// Whether `value` is recognised by this detector.
    pub fn matches(self, value: &str) -> bool {
        match self {
            Self::Email => contains_email(value),
            Self::Phone => is_phone(value) || embedded_numbers(value).any(is_phone),
            Self::KzIin => is_kz_iin(value) || embedded_numbers(value).any(is_kz_iin),
            // Inside a longer text, only a card number written in groups counts: a bare run of
            // 16 digits there is more often an id or a timestamp that happens to pass Luhn.
            Self::CardNumber => {
                is_card_number(value)
                    || embedded_numbers(value)
                        .filter(|n| n.contains([' ', '-']))
                        .any(is_card_number)
            }
            Self::Ipv4 => is_public_ipv4(value) || embedded_numbers(value).any(is_public_ipv4),
        }
    }
}

#[derive(Clone, Debug)]
pub struct Category {
    /// Fides taxonomy key.
    pub key: String,
    /// Human name.
    pub name: String,
    /// Identifies a person on its own (email, phone, IIN): flagged in logs.
    pub identifier: bool,
    /// An internal key (`user_id`): personal data, but not flagged in logs by default.
    pub pseudonymous: bool,
    /// Tokens of owners whose fields are never this category.
    pub not_of: HashSet<String>,
}

/// What a compiled pattern does when it matches.
#[derive(Clone, Copy, Debug)]
enum Target {
    /// A positive pattern; `rank` orders equally long patterns (file order).
    Positive { category: CategoryId, rank: usize },
    /// A category negative.
    Negative { category: CategoryId },
}

#[derive(Clone, Debug)]
struct Pattern {
    /// Tokens after the first one (the map key).
    rest: Box<[Box<[u8]>]>,
    target: Target,
}

#[derive(Clone, Debug, Default)]
pub struct Classifier {
    categories: Vec<Category>,
    /// Patterns keyed by their first (normalised) token.
    index: HashMap<Box<[u8]>, Vec<Pattern>>,
    global_negatives: HashSet<Box<[u8]>>,
    negative_prefixes: HashSet<Box<[u8]>>,
    detectors: Vec<(Detector, CategoryId)>,
}

/// A positive match found while scanning a name.
#[derive(Clone, Copy, Debug)]
struct Candidate {
    len: usize,
    rank: usize,
    category: CategoryId,
    start: usize,
}

/// Per-thread buffers reused across `classify_name` calls.
#[derive(Default)]
struct Scratch {
    bytes: Vec<u8>,
    spans: Vec<(usize, usize)>,
    candidates: Vec<Candidate>,
    negated: Vec<CategoryId>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

impl Classifier {
    /// A classifier for `rules`, without global negatives.
    pub fn new(rules: &[CategoryRule]) -> Result<Self, String> {
        Self::build(rules, &[], &[])
    }

    /// A classifier for a whole rules file.
    pub fn from_rules(rules: &CategoryRules) -> Result<Self, String> {
        Self::build(
            &rules.categories,
            &rules.negatives,
            &rules.negative_prefixes,
        )
    }

    /// The classifier for the built-in `rules/categories.yml`.
    ///
    /// # Panics
    /// If the embedded rules are invalid (guarded by the module's tests).
    pub fn builtin() -> Self {
        Self::from_rules(&CategoryRules::builtin()).expect("built-in rules/categories.yml is valid")
    }

    fn build(
        rules: &[CategoryRule],
        negatives: &[String],
        negative_prefixes: &[String],
    ) -> Result<Self, String> {
        let mut this = Self::default();
        let mut seen_keys = HashSet::default();
        let mut seen_patterns: HashMap<Vec<Box<[u8]>>, String> = HashMap::default();
        let mut rank = 0;
        for (category, rule) in rules.iter().enumerate() {
            if rule.key.trim().is_empty() {
                return Err(format!("category #{}: empty key", category + 1));
            }
            if !seen_keys.insert(rule.key.as_str()) {
                return Err(format!("category {}: duplicate key", rule.key));
            }
            if rule.identifier && rule.pseudonymous {
                return Err(format!(
                    "category {}: cannot be both identifier and pseudonymous",
                    rule.key
                ));
            }
            for name in &rule.names {
                let toks = normalised_tokens(name);
                if toks.is_empty() {
                    return Err(format!(
                        "category {}: name {name:?} has no tokens",
                        rule.key
                    ));
                }
                if let Some(other) = seen_patterns.insert(toks.clone(), rule.key.clone()) {
                    return Err(format!(
                        "category {}: name {name:?} is already listed in {other}",
                        rule.key
                    ));
                }
                this.insert(toks, Target::Positive { category, rank });
                rank += 1;
            }
            for negative in &rule.negatives {
                let toks = normalised_tokens(negative);
                if toks.is_empty() {
                    return Err(format!(
                        "category {}: negative {negative:?} has no tokens",
                        rule.key
                    ));
                }
                this.insert(toks, Target::Negative { category });
            }
            if let Some(detector) = rule.detect {
                this.detectors.push((detector, category));
            }
            this.categories.push(Category {
                key: rule.key.clone(),
                name: rule.name.clone(),
                identifier: rule.identifier,
                pseudonymous: rule.pseudonymous,
                not_of: rule.not_of.iter().map(|w| w.to_lowercase()).collect(),
            });
        }
        for (set, words, what) in [
            (&mut this.global_negatives, negatives, "negatives"),
            (
                &mut this.negative_prefixes,
                negative_prefixes,
                "negative_prefixes",
            ),
        ] {
            for word in words {
                let mut toks = normalised_tokens(word);
                if toks.len() != 1 {
                    return Err(format!("{what}: {word:?} must be a single token"));
                }
                set.insert(toks.remove(0));
            }
        }
        Ok(this)
    }

    fn insert(&mut self, mut toks: Vec<Box<[u8]>>, target: Target) {
        let first = toks.remove(0);
        self.index.entry(first).or_default().push(Pattern {
            rest: toks.into_boxed_slice(),
            target,
        });
    }

    /// The category of a variable, field, parameter or key name, if it names personal data.
    pub fn classify_name(&self, name: &str) -> Option<CategoryId> {
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut scratch) => self.classify_with(name, &mut scratch),
            Err(_) => self.classify_with(name, &mut Scratch::default()),
        })
    }

    fn classify_with(&self, name: &str, scratch: &mut Scratch) -> Option<CategoryId> {
        let Scratch {
            bytes,
            spans,
            candidates,
            negated,
        } = scratch;
        tokenize_into(name, bytes, spans);
        candidates.clear();
        negated.clear();
        let tok = |i: usize| -> &[u8] {
            let (s, e) = spans[i];
            let t = &bytes[s..e];
            &t[..singular_len(t)]
        };
        let n = spans.len();
        for start in 0..n {
            let Some(patterns) = self.index.get(tok(start)) else {
                continue;
            };
            for pattern in patterns {
                let len = 1 + pattern.rest.len();
                if start + len > n
                    || !pattern
                        .rest
                        .iter()
                        .enumerate()
                        .all(|(j, t)| **t == *tok(start + 1 + j))
                {
                    continue;
                }
                match pattern.target {
                    Target::Positive { category, rank } => candidates.push(Candidate {
                        len,
                        rank,
                        category,
                        start,
                    }),
                    Target::Negative { category } => negated.push(category),
                }
            }
        }
        let best = candidates
            .iter()
            .filter(|c| !negated.contains(&c.category))
            .min_by_key(|c| (std::cmp::Reverse(c.len), c.rank, c.start))?;
        let end = best.start + best.len;
        if best.start > 0 && self.negative_prefixes.contains(tok(0)) {
            return None;
        }
        let outside = (0..best.start).chain(end..n);
        for i in outside {
            if self.global_negatives.contains(tok(i)) {
                return None;
            }
        }
        Some(best.category)
    }

    /// The category of a literal value (an email, phone, IIN, card number, public IPv4), if any.
    pub fn classify_value(&self, value: &str) -> Option<CategoryId> {
        if value.len() > 4096 {
            return None;
        }
        self.detectors
            .iter()
            .find(|(detector, _)| detector.matches(value))
            .map(|&(_, category)| category)
    }

    pub fn category(&self, id: CategoryId) -> &Category {
        &self.categories[id]
    }

    /// Whether a field of `owner` (a type or variable name: `repo`, `OrganizationInfo`) cannot
    /// be data of this category, whatever the field is called.
    pub fn owner_excludes(&self, category: CategoryId, owner: &str) -> bool {
        let not_of = &self.categories[category].not_of;
        !not_of.is_empty()
            && tokens(owner).iter().any(|t| {
                not_of.contains(t) || t.strip_suffix('s').is_some_and(|t| not_of.contains(t))
            })
    }

    pub fn categories(&self) -> &[Category] {
        &self.categories
    }

    /// The id of the category with taxonomy key `key`.
    pub fn category_id(&self, key: &str) -> Option<CategoryId> {
        self.categories.iter().position(|c| c.key == key)
    }
}

// ---------------------------------------------------------------------------------------------
// Tokenisation

#[derive(Clone, Copy, PartialEq, Eq)]
enum CharKind {
    Upper,
    Lower,
    Digit,
    Sep,
}

fn char_kind(c: char) -> CharKind {
    if c.is_ascii_digit() || (!c.is_ascii() && c.is_numeric()) {
        CharKind::Digit
    } else if c.is_uppercase() {
        CharKind::Upper
    } else if c.is_alphanumeric() {
        CharKind::Lower
    } else {
        CharKind::Sep
    }
}

/// Splits `name` into lowercase tokens, written to `bytes` with their `spans`.
fn tokenize_into(name: &str, bytes: &mut Vec<u8>, spans: &mut Vec<(usize, usize)>) {
    bytes.clear();
    spans.clear();
    let mut start = 0;
    let mut prev = CharKind::Sep;
    let mut chars = name.chars();
    let mut close = |bytes: &Vec<u8>, start: &mut usize| {
        if bytes.len() > *start {
            spans.push((*start, bytes.len()));
        }
        *start = bytes.len();
    };
    while let Some(c) = chars.next() {
        let kind = char_kind(c);
        let split = match (prev, kind) {
            (_, CharKind::Sep) => {
                close(bytes, &mut start);
                prev = kind;
                continue;
            }
            (CharKind::Lower, CharKind::Upper)
            | (CharKind::Digit, CharKind::Upper | CharKind::Lower)
            | (CharKind::Upper | CharKind::Lower, CharKind::Digit) => true,
            // `HTTPServer` → http server, but `IDs`, `URLs`, `IPv4` stay whole: split before the
            // last capital of an acronym only when it starts a word of two or more lowercase letters.
            (CharKind::Upper, CharKind::Upper) => {
                let mut ahead = chars.clone();
                matches!(
                    (ahead.next().map(char_kind), ahead.next().map(char_kind)),
                    (Some(CharKind::Lower), Some(CharKind::Lower))
                )
            }
            _ => false,
        };
        if split {
            close(bytes, &mut start);
        }
        if c.is_ascii() {
            bytes.push(c.to_ascii_lowercase() as u8);
        } else {
            let mut buf = [0; 4];
            for l in c.to_lowercase() {
                bytes.extend_from_slice(l.encode_utf8(&mut buf).as_bytes());
            }
        }
        prev = kind;
    }
    close(bytes, &mut start);
}

/// The lowercase tokens of an identifier: `customerEmailAddress` → customer, email, address;
/// `HTTPServer` → http, server; `IPAddress` → ip, address; `email2` → email, 2.
pub fn tokens(name: &str) -> Vec<String> {
    let mut bytes = Vec::new();
    let mut spans = Vec::new();
    tokenize_into(name, &mut bytes, &mut spans);
    spans
        .iter()
        .map(|&(s, e)| String::from_utf8_lossy(&bytes[s..e]).into_owned())
        .collect()
}

/// Length of a token without a plural suffix: `emails` → email, `addresses` → address; words in
/// -ss, -us, -is keep their `s` (`address`, `status`, `diagnosis`).
fn singular_len(t: &[u8]) -> usize {
    let n = t.len();
    if n >= 5 && t.ends_with(b"sses") {
        n - 2
    } else if n >= 3
        && t[n - 1] == b's'
        && t[n - 2].is_ascii_lowercase()
        && !matches!(t[n - 2], b's' | b'u' | b'i')
    {
        n - 1
    } else {
        n
    }
}

fn normalised_tokens(name: &str) -> Vec<Box<[u8]>> {
    let mut bytes = Vec::new();
    let mut spans = Vec::new();
    tokenize_into(name, &mut bytes, &mut spans);
    spans
        .iter()
        .map(|&(s, e)| {
            let t = &bytes[s..e];
            t[..singular_len(t)].into()
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Value detectors

/// Domains reserved for documentation and tests, or placeholders: never a real person's address.
const PLACEHOLDER_DOMAINS: &[&str] = &[
    "example.com",
    "example.org",
    "example.net",
    "domain.com",
    "yourdomain.com",
    "mydomain.com",
    "yourcompany.com",
    "company.com",
    "test.com",
];

/// Top-level labels reserved (RFC 2606, RFC 6761, ICANN `.internal`) or local-only.
const RESERVED_TLDS: &[&str] = &[
    "example",
    "test",
    "invalid",
    "localhost",
    "local",
    "localdomain",
    "internal",
    "lan",
    "arpa",
];

/// File extensions that follow `@` in asset names (`logo@2x.png`) and are not TLDs.
const FILE_EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "bmp", "css", "js", "json", "html", "htm",
    "txt", "pdf",
];

/// Role and system mailboxes: not a person.
const ROLE_LOCAL_PARTS: &[&str] = &[
    "noreply",
    "no-reply",
    "no_reply",
    "donotreply",
    "do-not-reply",
    "do_not_reply",
    "support",
    "info",
    "admin",
    "administrator",
    "root",
    "sales",
    "hello",
    "contact",
    "postmaster",
    "hostmaster",
    "mailer-daemon",
    "abuse",
    "webmaster",
    "security",
    "privacy",
    "dpo",
    "legal",
    "compliance",
    "team",
    "help",
    "helpdesk",
    "billing",
    "accounts",
    "accounting",
    "finance",
    "orders",
    "marketing",
    "news",
    "newsletter",
    "notifications",
    "notification",
    "alerts",
    "press",
    "media",
    "careers",
    "jobs",
    "hr",
    "office",
    "feedback",
    "service",
    "git",
    "bot",
];

fn is_local_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'+' | b'-')
}

fn is_domain_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-')
}

/// Whether `s` contains a real-looking email address (whole string or a word in a sentence).
fn contains_email(s: &str) -> bool {
    let b = s.as_bytes();
    b.iter()
        .enumerate()
        .filter(|&(_, &c)| c == b'@')
        .any(|(at, _)| {
            let mut start = at;
            while start > 0 && is_local_char(b[start - 1]) {
                start -= 1;
            }
            let mut end = at + 1;
            while end < b.len() && is_domain_char(b[end]) {
                end += 1;
            }
            // trailing punctuation of a sentence: "write to ivan@mail.kz."
            while end > at + 1 && matches!(b[end - 1], b'.' | b'-') {
                end -= 1;
            }
            // a local part glued to more address-ish text (`{}@`, `%s@`) is a format string
            if start > 0 && matches!(b[start - 1], b'{' | b'}' | b'%' | b'$' | b'@') {
                return false;
            }
            valid_email(&s[start..at], &s[at + 1..end])
        })
}

fn valid_email(local: &str, domain: &str) -> bool {
    if local.is_empty()
        || local.len() > 64
        || local.starts_with('.')
        || local.ends_with('.')
        || local.contains("..")
        || !local.bytes().any(|c| c.is_ascii_alphabetic())
    {
        return false;
    }
    let mailbox = local.split('+').next().unwrap_or(local);
    if ROLE_LOCAL_PARTS
        .iter()
        .any(|r| r.eq_ignore_ascii_case(mailbox))
    {
        return false;
    }
    if domain.len() > 253 || !domain.contains('.') {
        return false;
    }
    let labels_ok = domain.split('.').all(|label| {
        !label.is_empty() && label.len() <= 63 && !label.starts_with('-') && !label.ends_with('-')
    });
    if !labels_ok {
        return false;
    }
    let tld = domain.rsplit('.').next().unwrap_or("");
    if tld.len() < 2 || !tld.bytes().all(|c| c.is_ascii_alphabetic()) {
        return false;
    }
    let ci = |list: &[&str], s: &str| list.iter().any(|x| x.eq_ignore_ascii_case(s));
    if ci(RESERVED_TLDS, tld) || ci(FILE_EXTENSIONS, tld) {
        return false;
    }
    // example.com and its subdomains
    !PLACEHOLDER_DOMAINS.iter().any(|p| {
        domain.len() >= p.len()
            && domain[domain.len() - p.len()..].eq_ignore_ascii_case(p)
            && (domain.len() == p.len() || domain.as_bytes()[domain.len() - p.len() - 1] == b'.')
    })
}

/// The number-like runs inside a longer text (`+7 701 555 12 34` in "call +7 701 555 12 34 now"):
/// maximal runs of digits, spaces, `+ - . ( )` that start with `+`, `(` or a digit, end with a
/// digit, and are not glued to letters. The whole string is not among them.
fn embedded_numbers(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let in_run = |c: u8| c.is_ascii_digit() || matches!(c, b' ' | b'+' | b'-' | b'.' | b'(' | b')');
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !(bytes[i].is_ascii_digit() || bytes[i] == b'+' || bytes[i] == b'(') {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i;
        while end < bytes.len() && in_run(bytes[end]) {
            end += 1;
        }
        let mut last = end;
        while last > start && !bytes[last - 1].is_ascii_digit() {
            last -= 1;
        }
        let glued_before = start > 0 && bytes[start - 1].is_ascii_alphanumeric();
        let glued_after = end < bytes.len() && bytes[end].is_ascii_alphanumeric() && last == end;
        if last > start && !glued_before && !glued_after && (last - start) < text.len() {
            out.push(&text[start..last]);
        }
        i = end.max(i + 1);
    }
    out.into_iter()
}

/// Whether the whole string is a formatted phone number.
///
/// Accepted: `+` followed by 10–15 digits in any grouping (`+77012345678`, `+7 701 234 56 78`,
/// `+1 (415) 555-2671`); without `+`, only separated forms of KZ/RU 11-digit numbers starting with
/// 7 or 8 (`8 (701) 234-56-78`) and 10-digit numbers with a parenthesised area code
/// (`(415) 555-2671`). Rejected: bare digit runs (ids, timestamps), dotted numbers without `+`
/// (IP addresses, versions), anything with `:`/`/` (times, dates).
fn is_phone(s: &str) -> bool {
    let b = s.trim().as_bytes();
    if b.is_empty() || b.len() > 32 {
        return false;
    }
    let plus = b[0] == b'+';
    let body = if plus { &b[1..] } else { b };
    if plus && !matches!(body.first(), Some(b'1'..=b'9')) {
        return false;
    }
    let mut digits = 0;
    let mut first_digit = 0;
    let mut seps = 0;
    let mut dots = 0;
    let mut run = 0; // consecutive separators
    let mut run_has_paren = false;
    let mut open: Option<usize> = None; // digits seen when `(` opened
    let mut parens = 0;
    let mut group = 0;
    let mut max_group = 0;
    for &c in body {
        match c {
            b'0'..=b'9' => {
                if digits == 0 {
                    first_digit = c - b'0';
                }
                digits += 1;
                group += 1;
                max_group = max_group.max(group);
                run = 0;
                run_has_paren = false;
                continue;
            }
            b'(' => {
                if open.is_some() || parens > 0 {
                    return false;
                }
                open = Some(digits);
                parens += 1;
                run_has_paren = true;
            }
            b')' => {
                let Some(at) = open.take() else { return false };
                if !(1..=5).contains(&(digits - at)) || run > 0 {
                    return false;
                }
                run_has_paren = true;
            }
            b' ' | b'-' => seps += 1,
            b'.' => {
                seps += 1;
                dots += 1;
            }
            _ => return false,
        }
        group = 0;
        run += 1;
        if run > 2 || (run == 2 && !run_has_paren) {
            return false;
        }
    }
    if open.is_some() || !b[b.len() - 1].is_ascii_digit() || !(10..=15).contains(&digits) {
        return false;
    }
    if plus {
        return true;
    }
    if dots > 0 || (seps == 0 && parens == 0) || max_group > 4 {
        return false;
    }
    (digits == 11 && matches!(first_digit, 7 | 8)) || (digits == 10 && parens == 1)
}

/// Whether the whole string is a Kazakh IIN: 12 digits, YYMMDD birth date, century/sex digit 1–6
/// and a valid check digit.
fn is_kz_iin(s: &str) -> bool {
    let b = s.trim().as_bytes();
    if b.len() != 12 || !b.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let d: Vec<u32> = b.iter().map(|&c| u32::from(c - b'0')).collect();
    let (yy, month, day, century) = (d[0] * 10 + d[1], d[2] * 10 + d[3], d[4] * 10 + d[5], d[6]);
    let year = match century {
        1 | 2 => 1800,
        3 | 4 => 1900,
        5 | 6 => 2000,
        _ => return false,
    } + yy;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return false;
    }
    kz_iin_check_digit(&d[..11]) == Some(d[11])
}

/// The IIN/BIN check digit of the first 11 digits, or `None` when the algorithm gives 10 twice.
fn kz_iin_check_digit(d: &[u32]) -> Option<u32> {
    const WEIGHTS: [u32; 11] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];
    let first: u32 = d.iter().zip(1..).map(|(x, w)| x * w).sum::<u32>() % 11;
    if first != 10 {
        return Some(first);
    }
    let second = d.iter().zip(WEIGHTS).map(|(x, w)| x * w).sum::<u32>() % 11;
    (second != 10).then_some(second)
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        _ => 31,
    }
}

/// Whether the whole string is a payment card number: 13–19 digits, optionally grouped by single
/// spaces or dashes, with a known scheme prefix (Visa 4, Mastercard 51–55/2221–2720, Mir
/// 2200–2204, Amex 34/37, Discover 6011/644–649/65, JCB 3528–3589, `UnionPay` 62, Diners
/// 300–305/36), not all one digit, passing Luhn.
fn is_card_number(s: &str) -> bool {
    let b = s.trim().as_bytes();
    let mut d = [0u8; 19];
    let mut n = 0;
    let mut prev_sep = true; // no leading separator
    for &c in b {
        match c {
            b'0'..=b'9' => {
                if n == d.len() {
                    return false;
                }
                d[n] = c - b'0';
                n += 1;
                prev_sep = false;
            }
            b' ' | b'-' if !prev_sep => prev_sep = true,
            _ => return false,
        }
    }
    if prev_sep || n < 13 || d[..n].iter().all(|&x| x == d[0]) {
        return false;
    }
    let prefix = |k: usize| d[..k].iter().fold(0u32, |acc, &x| acc * 10 + u32::from(x));
    let known = d[0] == 4
        || matches!(prefix(2), 34 | 36 | 37 | 51..=55 | 62 | 65)
        || matches!(prefix(3), 300..=305 | 644..=649)
        || matches!(prefix(4), 2200..=2204 | 2221..=2720 | 3528..=3589 | 6011);
    known && luhn(&d[..n])
}

fn luhn(d: &[u8]) -> bool {
    let sum: u32 = d
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &x)| {
            let x = u32::from(x);
            if i % 2 == 1 {
                if x * 2 > 9 { x * 2 - 9 } else { x * 2 }
            } else {
                x
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Public resolvers: infrastructure, not anyone's address.
const WELL_KNOWN_PUBLIC_IPS: &[[u8; 4]] = &[
    [208, 67, 222, 222],
    [208, 67, 220, 220],
    [149, 112, 112, 112],
];

/// Whether the whole string is exactly a public IPv4 address in dotted-decimal form.
///
/// Rejects non-public ranges (0/8, 10/8, 100.64/10, 127/8, 169.254/16, 172.16/12, 192.0.0/24,
/// 192.0.2/24, 192.168/16, 198.18/15, 198.51.100/24, 203.0.113/24, 224/4 and above), octets with
/// leading zeros, well-known public resolvers, and version-like strings whose four parts are all
/// single digits (`1.2.3.4`, also `8.8.8.8` and `1.1.1.1`). Other four-part versions whose parts
/// are ≤ 255 (`2.7.18.1`) are accepted: a known false positive.
fn is_public_ipv4(text: &str) -> bool {
    let mut octets = [0u8; 4];
    let mut parts = text.trim().split('.');
    for slot in &mut octets {
        let Some(p) = parts.next() else { return false };
        if p.is_empty()
            || p.len() > 3
            || !p.bytes().all(|c| c.is_ascii_digit())
            || (p.len() > 1 && p.starts_with('0'))
        {
            return false;
        }
        match p.parse::<u8>() {
            Ok(v) => *slot = v,
            Err(_) => return false,
        }
    }
    if parts.next().is_some() {
        return false;
    }
    let [a, b, c, _] = octets;
    let non_public = a == 0
        || a == 10
        || a == 127
        || a >= 224
        || (a == 100 && (64..=127).contains(&b))
        || (a == 169 && b == 254)
        || (a == 172 && (16..=31).contains(&b))
        || (a == 192 && b == 168)
        || (a == 192 && b == 0 && (c == 0 || c == 2))
        || (a == 198 && (b == 18 || b == 19))
        || (a == 198 && b == 51 && c == 100)
        || (a == 203 && b == 0 && c == 113);
    !non_public && !octets.iter().all(|&x| x < 10) && !WELL_KNOWN_PUBLIC_IPS.contains(&octets)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn builtin() -> Classifier {
        Classifier::builtin()
    }

    fn key_of(c: &Classifier, name: &str) -> Option<String> {
        c.classify_name(name).map(|id| c.category(id).key.clone())
    }

    #[test]
    fn tokenises_identifier_styles() {
        let t = |s: &str| tokens(s);
        assert_eq!(t("userEmail"), ["user", "email"]);
        assert_eq!(
            t("customer_email_address"),
            ["customer", "email", "address"]
        );
        assert_eq!(t("HTTPServer"), ["http", "server"]);
        assert_eq!(t("IPAddress"), ["ip", "address"]);
        assert_eq!(t("EMAIL_HOST"), ["email", "host"]);
        assert_eq!(t("x-forwarded-for"), ["x", "forwarded", "for"]);
        assert_eq!(t("user.email"), ["user", "email"]);
        assert_eq!(t("email2"), ["email", "2"]);
        assert_eq!(t("cvv2Code"), ["cvv", "2", "code"]);
        assert_eq!(t("userIDs"), ["user", "ids"]);
        assert_eq!(t("IPv4Address"), ["ipv", "4", "address"]);
        assert_eq!(t("XMLHttpRequest"), ["xml", "http", "request"]);
        assert_eq!(t("__init__"), ["init"]);
        assert_eq!(t("Телефон"), ["телефон"]);
        assert!(t("").is_empty());
        assert!(t("_-.").is_empty());
    }

    #[test]
    fn singularises() {
        fn s(t: &str) -> &str {
            &t[..singular_len(t.as_bytes())]
        }
        assert_eq!(s("emails"), "email");
        assert_eq!(s("addresses"), "address");
        assert_eq!(s("address"), "address");
        assert_eq!(s("status"), "status");
        assert_eq!(s("diagnosis"), "diagnosis");
        assert_eq!(s("ips"), "ip");
        assert_eq!(s("os"), "os");
    }

    #[test]
    fn builtin_yaml_loads_and_is_strict() {
        let rules = CategoryRules::builtin();
        assert!(rules.categories.len() >= 20);
        assert!(!rules.negatives.is_empty());
        Classifier::from_rules(&rules).unwrap();
        let bad = "categories:\n  - key: user.contact.email\n    name: Email\n    colour: red\n";
        assert!(CategoryRules::from_yaml(bad).is_err());
        let bad_top = "categories: []\nextra: 1\n";
        assert!(CategoryRules::from_yaml(bad_top).is_err());
        let bad_detector =
            "categories:\n  - key: user.contact.email\n    name: Email\n    detect: telepathy\n";
        assert!(CategoryRules::from_yaml(bad_detector).is_err());
    }

    #[test]
    fn every_key_is_in_the_fides_taxonomy() {
        let tsv = include_str!("../rules/taxonomy/fideslang-3.1.4.tsv");
        let keys: HashSet<&str> = tsv
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let mut f = l.split('\t');
                (f.next() == Some("data_category"))
                    .then(|| f.next())
                    .flatten()
            })
            .collect();
        assert!(keys.contains("user.contact.email"));
        for c in builtin().categories() {
            assert!(keys.contains(c.key.as_str()), "{} not in fideslang", c.key);
        }
    }

    #[test]
    fn owners_that_exclude_a_category() {
        let c = Classifier::builtin();
        let name = c.classify_name("full_name").expect("a person name");
        assert!(c.owner_excludes(name, "repo"));
        assert!(c.owner_excludes(name, "repos"));
        assert!(c.owner_excludes(name, "OrganizationInfo"));
        assert!(!c.owner_excludes(name, "customer"));
        assert!(!c.owner_excludes(name, "User"));
        let address = c.classify_name("shipping_address").expect("an address");
        assert!(!c.owner_excludes(address, "order"));
    }

    #[test]
    fn rejects_invalid_rules() {
        let rule = |key: &str, names: &[&str]| CategoryRule {
            key: key.into(),
            name: key.into(),
            identifier: true,
            pseudonymous: false,
            names: names.iter().map(|s| (*s).to_string()).collect(),
            negatives: vec![],
            detect: None,
            not_of: vec![],
        };
        assert!(Classifier::new(&[rule("a", &["email"]), rule("b", &["email"])]).is_err());
        assert!(Classifier::new(&[rule("a", &["x"]), rule("a", &["y"])]).is_err());
        assert!(Classifier::new(&[rule("a", &["__"])]).is_err());
        let mut both = rule("a", &["x"]);
        both.pseudonymous = true;
        assert!(Classifier::new(&[both]).is_err());
        let rules = CategoryRules {
            categories: vec![rule("a", &["x"])],
            negatives: vec!["two_tokens".into()],
            negative_prefixes: vec![],
        };
        assert!(Classifier::from_rules(&rules).is_err());
        let c = Classifier::new(&[rule("a", &["x_y"])]).unwrap();
        assert_eq!(c.classify_name("w_x_y_z"), Some(0));
        assert_eq!(c.classify_name("x_w_y"), None);
    }

    #[test]
    fn required_positives() {
        let c = builtin();
        for (name, key) in [
            ("email", "user.contact.email"),
            ("userEmail", "user.contact.email"),
            ("customer_email_address", "user.contact.email"),
            ("EMAIL", "user.contact.email"),
            ("emails", "user.contact.email"),
            ("email2", "user.contact.email"),
            ("primaryEmail", "user.contact.email"),
            ("emailAddress", "user.contact.email"),
            ("emailaddress", "user.contact.email"),
            ("sender_email", "user.contact.email"),
            ("pochta", "user.contact.email"),
            ("phone_number", "user.contact.phone_number"),
            ("billing_phone_number", "user.contact.phone_number"),
            ("phoneNumbers", "user.contact.phone_number"),
            ("telefon", "user.contact.phone_number"),
            ("msisdn", "user.contact.phone_number"),
            ("familiya", "user.name.last"),
            ("lastName", "user.name.last"),
            ("surname", "user.name.last"),
            ("first_name", "user.name.first"),
            ("firstname", "user.name.first"),
            ("fullName", "user.name"),
            ("customer_name", "user.name"),
            ("otchestvo", "user.name"),
            ("fio", "user.name"),
            ("iin", "user.government_id.national_identification_number"),
            ("IIN", "user.government_id.national_identification_number"),
            (
                "client_iin",
                "user.government_id.national_identification_number",
            ),
            ("ssn", "user.government_id.national_identification_number"),
            ("snils", "user.government_id.national_identification_number"),
            ("passport_no", "user.government_id.passport_number"),
            ("passportNumber", "user.government_id.passport_number"),
            (
                "drivers_license",
                "user.government_id.drivers_license_number",
            ),
            ("client_ip", "user.device.ip_address"),
            ("client_ip", "user.device.ip_address"),
            ("ip_address", "user.device.ip_address"),
            ("IPAddress", "user.device.ip_address"),
            ("remote_addr", "user.device.ip_address"),
            ("REMOTE_ADDR", "user.device.ip_address"),
            ("HTTP_X_FORWARDED_FOR", "user.device.ip_address"),
            ("last_login_ip", "user.device.ip_address"),
            ("mac_address", "user.device.device_id"),
            ("device_id", "user.device.device_id"),
            ("imei", "user.device.device_id"),
            ("cookie_id", "user.device.cookie_id"),
            ("card_number", "user.financial.credit_card"),
            ("cardNumber", "user.financial.credit_card"),
            ("cvv", "user.financial.credit_card"),
            ("card_pan", "user.financial.credit_card"),
            ("iban", "user.financial.bank_account"),
            ("dob", "user.demographic.date_of_birth"),
            ("dateOfBirth", "user.demographic.date_of_birth"),
            ("birth_date", "user.demographic.date_of_birth"),
            ("data_rozhdeniya", "user.demographic.date_of_birth"),
            ("diagnosis", "user.health_and_medical"),
            ("blood_type", "user.health_and_medical"),
            ("latitude", "user.location.precise"),
            ("password", "user.authorization.password"),
            ("new_password", "user.authorization.password"),
            ("password_hash", "user.authorization.password"),
            ("username", "user.account.username"),
            ("user_name", "user.account.username"),
            ("user_id", "user.unique_id.pseudonymous"),
            ("userId", "user.unique_id.pseudonymous"),
            ("customer_id", "user.unique_id.pseudonymous"),
            ("shipping_address", "user.contact.address"),
            ("adres", "user.contact.address"),
            ("street", "user.contact.address.street"),
            ("city", "user.contact.address.city"),
            ("zip_code", "user.contact.address.postal_code"),
        ] {
            assert_eq!(key_of(&c, name).as_deref(), Some(key), "{name}");
        }
    }

    #[test]
    fn flags() {
        let c = builtin();
        let cat = |name: &str| c.category(c.classify_name(name).unwrap()).clone();
        let user_id = cat("user_id");
        assert!(user_id.pseudonymous && !user_id.identifier);
        assert!(cat("email").identifier);
        assert!(cat("iin").identifier);
        assert!(cat("password").identifier);
        assert!(!cat("city").identifier && !cat("city").pseudonymous);
        assert!(!cat("latitude").identifier);
    }

    #[test]
    fn required_negatives() {
        let c = builtin();
        for name in [
            "email_template",
            "is_email_verified",
            "emails_sent_count",
            "phone_prefix_len",
            "ip_version",
            "filename",
            "hostname",
            "username_field",
            "USERNAME_FIELD",
            "email_backend",
            "EMAIL_BACKEND",
            "EMAIL_HOST",
            "EMAIL_PORT",
            "EMAIL_USE_TLS",
            "email_subject",
            "email_body",
            "email_sender",
            "DEFAULT_FROM_EMAIL",
            "phone_pattern",
            "ip_protocol",
            "ipv6_enabled",
            "display_name",
            "name",
            "table_name",
            "class_name",
            "file_name",
            "product_name",
            "birthday_reminder_enabled",
            "address_family",
            "bind_address",
            "listen_addr",
            "socket_address",
            "address",
            "addr",
            "pin_memory",
            "pin",
            "passport_strategy",
            "path",
            "cardinality",
            "pan_x",
            "pan",
            "has_phone",
            "num_emails",
            "email_domain",
            "phone_country_code",
            "support_email",
            "server_ip",
            "allowed_ips",
            "cuda_device_id",
            "card_number_last4",
            "iin_range",
            "card_iin",
            "company_inn",
            "email_hash",
            "password_reset_url",
            "mobile",
            "is_mobile",
            "welcome_email",
            "send_email",
            "max_email_length",
            // found by running the classifier over the identifiers of ~300 crates and CPython
            "iPhoneOS",
            "diagnose_conflict",
            "GpGraphics",
            "PhysicalAddress",
            "IP_TTL",
            "IPPROTO_IP",
            "ip6t_entry",
            "pem_password_cb",
            "username_start",
            "uid_t",
            "st_uid",
            "packageFamilyName",
            "SCTP_STREAM_RESET_OUTGOING_SSN",
            "email_mime_base",
            "ETH_P_LAT",
        ] {
            assert_eq!(key_of(&c, name), None, "{name}");
        }
    }

    #[test]
    fn real_world_names_are_mostly_not_personal() {
        // Identifiers from Django, requests, serde, tokio and friends.
        let c = builtin();
        let names = concat!(
            "request response headers status_code url params data json timeout session cookies ",
            "auth proxies verify cert stream allow_redirects hooks encoding content_type ",
            "max_retries pool_connections socket_addr local_addr peer_addr SocketAddr TcpListener ",
            "bind_addr runtime spawn_blocking worker_threads buf len capacity deserializer ",
            "serializer visitor field_name variant rename_all skip_serializing_if ",
            "deny_unknown_fields INSTALLED_APPS MIDDLEWARE ROOT_URLCONF TEMPLATES DATABASES ",
            "SECRET_KEY DEBUG ALLOWED_HOSTS STATIC_URL queryset model_name app_label verbose_name ",
            "verbose_name_plural ordering get_absolute_url pk objects created_at updated_at ",
            "is_active is_staff last_login date_joined EMAIL_HOST_USER EMAIL_FIELD ",
            "REQUIRED_FIELDS NAME USER HOST PORT ENGINE user users remote_user_header ",
            "LANGUAGE_CODE TIME_ZONE USE_TZ node_name thread_name task_id job_id request_id ",
            "trace_id span_id error err message msg level logger config options path filepath ",
            "dir_name module_name func_name class_name type_name schema_name column_name ",
            "index_name key_name display_name label title description slug tags category amount ",
            "currency price quantity order_id product_id version api_version pan_y zoom tile_x ",
            "address_space ip_protocol IPPROTO_TCP AF_INET ipv4 mac_os is_mac device device_type ",
            "gpu_device_id local_rank pin_memory num_workers batch_size lr loss phone_regex ",
            "email_regex EmailValidator validate_email EmailField email_template_name ",
            "password_reset_timeout PASSWORD_HASHERS AUTH_PASSWORD_VALIDATORS password_validators ",
            "min_password_length passport_js city_list_url ",
        );
        let hits: Vec<_> = names
            .split_whitespace()
            .filter(|n| c.classify_name(n).is_some())
            .collect();
        assert!(hits.is_empty(), "unexpected matches: {hits:?}");
    }

    #[test]
    fn most_specific_category_wins() {
        let c = builtin();
        // `email_address` (2 tokens) beats nothing else; `user_full_name` is a person's name.
        assert_eq!(key_of(&c, "user_full_name").as_deref(), Some("user.name"));
        // `client_address` (socketserver) is an IP, listed as a two-token pattern.
        assert_eq!(
            key_of(&c, "client_address").as_deref(),
            Some("user.device.ip_address")
        );
        // equal length: the first listed category (email before username)
        assert_eq!(
            key_of(&c, "username_or_email").as_deref(),
            Some("user.contact.email")
        );
        // a global negative inside the matched run does not cancel it
        assert_eq!(
            key_of(&c, "zip_code").as_deref(),
            Some("user.contact.address.postal_code")
        );
    }

    #[test]
    fn classify_name_is_reentrant_across_threads() {
        let c = builtin();
        std::thread::scope(|s| {
            for _ in 0..2 {
                s.spawn(|| {
                    for _ in 0..1000 {
                        assert!(c.classify_name("customerEmail").is_some());
                        assert!(c.classify_name("email_template").is_none());
                    }
                });
            }
        });
    }

    #[test]
    fn email_values() {
        for ok in [
            "ivan.petrov@mail.kz",
            "Ivan.Petrov+news@Gmail.com",
            "contact ivan.petrov@mail.kz for help",
            "<aigerim_n@corp.kz>",
            "write to a.b@sub.domain.co.uk.",
        ] {
            assert!(contains_email(ok), "{ok}");
        }
        for no in [
            "user@example.com",
            "user@mail.example.org",
            "a@b.example",
            "qa@build.test",
            "x@y.invalid",
            "dev@localhost",
            "dev@app.localhost",
            "user@host",
            "noreply@company.kz",
            "no-reply@company.kz",
            "support@company.kz",
            "Info@company.kz",
            "admin@company.kz",
            "privacy+gdpr@company.kz",
            "{}@{}",
            "{user}@{domain}",
            "%s@%s",
            "%s@gmail.com",
            "logo@2x.png",
            "requests@2.31.0",
            "@types/node",
            "git@github.com",
            "no at sign",
            "user@-bad.com",
            "user@bad..com",
        ] {
            assert!(!contains_email(no), "{no}");
        }
    }

    #[test]
    fn numbers_inside_text() {
        let c = Classifier::builtin();
        let key = |v: &str| c.classify_value(v).map(|id| c.category(id).key.clone());
        assert_eq!(
            key("On-call phone: +7 701 555 12 34").as_deref(),
            Some("user.contact.phone_number")
        );
        assert_eq!(
            key("skipping registry for applicant 870312401239").as_deref(),
            Some("user.government_id.national_identification_number")
        );
        assert_eq!(
            key("released 2024-01-02 10:11:12, build 4111111111111111"),
            None
        );
        assert_eq!(key("order 12345 shipped in 3 boxes"), None);
        assert_eq!(key("version 1.2.3.4 of abc870312401239"), None);
    }

    #[test]
    fn phone_values() {
        for ok in [
            "+7 701 234 56 78",
            "+77012345678",
            "+7 (701) 234-56-78",
            "8 (701) 234-56-78",
            "8-701-234-56-78",
            "+1 (415) 555-2671",
            "+44 20 7946 0958",
            "(415) 555-2671",
        ] {
            assert!(is_phone(ok), "{ok}");
        }
        for no in [
            "87012345678",
            "1700000000000",
            "2024-01-15",
            "2024-01-15 12:30:45",
            "192.168.100.200",
            "7.10.20.12345",
            "1.2.3",
            "555-1234",
            "123-456-7890",
            "+0 123 456 7890",
            "+7 701",
            "+7 701 234 56 78 90 12 34 5",
            "+7--701-234-56-78",
            "8 (701 234-56-78",
            "+7 701 234 56 78 ",
            "tel: +7 701 234 56 78",
            "",
        ] {
            // trailing whitespace is trimmed, so that one is a phone
            if no == "+7 701 234 56 78 " {
                assert!(is_phone(no));
                continue;
            }
            assert!(!is_phone(no), "{no}");
        }
    }

    #[test]
    fn kz_iin_values() {
        // computed with the official algorithm
        for ok in [
            "900101300007",
            "850715400129",
            "771231104563",
            "000101600018",
            "880630401011",
            // first weighting gives 10: second weighting gives 4
            "850715400004",
        ] {
            assert!(is_kz_iin(ok), "{ok}");
        }
        for no in [
            "900101300008", // wrong check digit
            "850715400120", // wrong check digit
            "900101300080", // 10 with both weightings: never valid
            "020229501238", // 29 Feb 2002 does not exist (check digit is right)
            "901301300007", // month 13
            "900132300007", // day 32
            "900101700007", // century digit 7
            "900101000007", // century digit 0
            "90010130000",  // 11 digits
            "9001013000070",
            "90010130000a",
        ] {
            assert!(!is_kz_iin(no), "{no}");
        }
        // leap day in a leap year
        let d: Vec<u32> = "00022950000".bytes().map(|c| u32::from(c - b'0')).collect();
        let check = kz_iin_check_digit(&d).unwrap();
        assert!(is_kz_iin(&format!("00022950000{check}")));
    }

    #[test]
    fn card_values() {
        for ok in [
            "4111111111111111",
            "4111 1111 1111 1111",
            "4111-1111-1111-1111",
            "5555555555554444",
            "378282246310005",
            "6011111111111117",
            "2200000000000004",
            "2221000000000009",
            "3530111333300000",
            "6200000000000005",
        ] {
            assert!(is_card_number(ok), "{ok}");
        }
        for no in [
            "4111111111111112",     // Luhn
            "5555555555554440",     // Luhn
            "0000000000000000",     // all same (and no prefix)
            "4444444444444444",     // all same
            "9111111111111111",     // unknown prefix
            "411111111111",         // 12 digits
            "4111  1111 1111 1111", // double separator
            " -4111111111111111",
            "4111111111111111-",
            "4111.1111.1111.1111",
            "41111111111111111111", // 20 digits
        ] {
            assert!(!is_card_number(no), "{no}");
        }
    }

    #[test]
    fn ipv4_values() {
        for ok in [
            "93.184.216.34",
            "77.88.55.242",
            "2.7.18.1",
            " 185.22.65.10 ",
        ] {
            assert!(is_public_ipv4(ok), "{ok}");
        }
        for no in [
            "10.0.0.1",
            "172.16.5.4",
            "192.168.1.1",
            "127.0.0.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "192.0.2.10",
            "198.51.100.7",
            "203.0.113.99",
            "1.2.3.4",
            "8.8.8.8",
            "208.67.222.222",
            "93.184.216",
            "93.184.216.34.5",
            "93.184.216.256",
            "93.184.216.034",
            "93.184.216.34:80",
            "v93.184.216.34",
        ] {
            assert!(!is_public_ipv4(no), "{no}");
        }
    }

    #[test]
    fn classify_value_maps_detectors_to_categories() {
        let c = builtin();
        let key = |v: &str| c.classify_value(v).map(|id| c.category(id).key.clone());
        assert_eq!(key("ivan@mail.kz").as_deref(), Some("user.contact.email"));
        assert_eq!(
            key("+7 701 234 56 78").as_deref(),
            Some("user.contact.phone_number")
        );
        assert_eq!(
            key("900101300007").as_deref(),
            Some("user.government_id.national_identification_number")
        );
        assert_eq!(
            key("4111 1111 1111 1111").as_deref(),
            Some("user.financial.credit_card")
        );
        assert_eq!(
            key("93.184.216.34").as_deref(),
            Some("user.device.ip_address")
        );
        for none in ["hello", "", "user@example.com", "12345", "3.14", "1.2.3.4"] {
            assert_eq!(key(none), None, "{none}");
        }
        assert_eq!(
            c.category_id("user.contact.email"),
            c.classify_value("ivan@mail.kz")
        );
    }
}
