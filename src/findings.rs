//! Turning analysis results into [`Finding`]s: locations, fingerprints, suppressions.

use crate::finding::{DataRef, Finding, Hop, Location, Severity};
use crate::graph::{At, Program, Unit};
use crate::ir::Span;

/// 1-based line and character column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (u32, u32) {
    let before = &text[..text.floor_char_boundary(offset)];
    let line = before.bytes().filter(|b| *b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line as u32, column as u32)
}

/// A path as shown to users: `/` separators, no leading `./`.
pub fn display_path(path: &std::path::Path) -> String {
    let text = path
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    // A root component renders as `/`, which joining doubles.
    text.replace("//", "/")
}

pub fn location(unit: &Unit, span: Span) -> Location {
    let (line, column) = unit.line_col(span.start as usize);
    Location {
        path: unit.display.clone(),
        line,
        column,
        start: span.start,
        end: span.end,
    }
}

/// A finding at `span` of `unit`, its path made of `hops`.
#[allow(clippy::too_many_arguments)] // one constructor for every check; each argument is a field
pub fn build(
    program: &Program<'_>,
    check: &'static str,
    severity: Severity,
    message: String,
    unit: u32,
    span: Span,
    data: Vec<DataRef>,
    hops: &[At],
    help: String,
) -> Finding {
    let u = &program.units[unit as usize];
    let location = location(u, span);
    let path = hops
        .iter()
        .map(|h| Hop {
            location: location_of(program, h),
            note: h.note.to_string(),
        })
        .collect();
    let code = u
        .text
        .get(span.start as usize..span.end as usize)
        .unwrap_or_default();
    let fingerprint = fingerprint(check, &location.path, &data, code);
    Finding {
        check,
        severity,
        message,
        location,
        data,
        path,
        help,
        fingerprint,
        suppressed: None,
    }
}

fn location_of(program: &Program<'_>, at: &At) -> Location {
    location(&program.units[at.unit as usize], at.span)
}

/// Stable across unrelated edits and moves: the check, the file, the data and the sink's code
/// with whitespace removed; not the line number.
pub fn fingerprint(check: &str, path: &str, data: &[DataRef], code: &str) -> String {
    let mut hash = Fnv::new();
    hash.feed(check.as_bytes());
    hash.feed(path.as_bytes());
    for d in data {
        hash.feed(d.category.as_bytes());
    }
    hash.feed(normalise(code).as_bytes());
    hash.hex()
}

/// The hash of a sink's code with whitespace removed: what a finding's fingerprint holds of
/// the code, on its own, so a finding can be matched after its file is renamed.
pub fn code_hash(code: &str) -> String {
    let mut hash = Fnv::new();
    hash.feed(normalise(code).as_bytes());
    hash.hex()
}

fn normalise(code: &str) -> String {
    code.chars().filter(|c| !c.is_whitespace()).collect()
}

/// FNV-1a, 64 bit: stable across Rust versions and platforms, unlike `DefaultHasher`. Each
/// field ends with a separator byte, so `("ab", "c")` and `("a", "bc")` differ.
struct Fnv(u64);

impl Fnv {
    fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    fn feed(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 ^= 0xff;
        self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
    }

    fn hex(&self) -> String {
        format!("{:016x}", self.0)
    }
}

/// A parsed `privlint: ignore[check, ...] reason` or `privlint: ignore-file[check, ...] reason`
/// directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ignore {
    pub checks: Vec<String>,
    pub reason: String,
    /// The line the suppression applies to (for `ignore-file`, its own line).
    pub applies_to: u32,
    pub line: u32,
    pub span: Span,
    /// `ignore-file[...]`: every finding of its checks in the file.
    pub file_level: bool,
    /// For `ignore-file`: whether it is among the file's leading comments, where it must be.
    pub leading: bool,
}

impl Ignore {
    /// Whether it is written so that it can suppress something: checks that exist, a reason,
    /// and a file-level one among the leading comments.
    pub fn is_valid(&self) -> bool {
        !self.checks.is_empty()
            && !self.reason.is_empty()
            && self.checks.iter().all(|c| crate::checks::find(c).is_some())
            && (!self.file_level || self.leading)
    }

    fn covers(&self, finding: &Finding) -> bool {
        (self.file_level || self.applies_to == finding.location.line)
            && self.is_valid()
            && self.checks.iter().any(|c| c == finding.check)
    }
}

/// Whether every line before `line` (1-based) is blank or a comment: the file's leading
/// comments, where `ignore-file` goes.
fn in_leading_comments(text: &str, line: u32) -> bool {
    text.lines().take(line.saturating_sub(1) as usize).all(|l| {
        let t = l.trim_start();
        t.is_empty() || ["#", "//", "/*", "*"].iter().any(|m| t.starts_with(m))
    })
}

/// The `ignore[...]` and `ignore-file[...]` directives of a unit.
pub fn ignores(unit: &Unit) -> Vec<Ignore> {
    unit.facts
        .directives
        .iter()
        .filter_map(|d| {
            let (file_level, rest) = match d.text.strip_prefix("ignore-file") {
                Some(rest) => (true, rest),
                None => (false, d.text.strip_prefix("ignore")?),
            };
            let rest = rest.trim_start();
            let (checks, reason) = match rest.strip_prefix('[') {
                Some(inner) => {
                    let (list, after) = inner.split_once(']')?;
                    (
                        list.split(',')
                            .map(|c| c.trim().to_string())
                            .filter(|c| !c.is_empty())
                            .collect(),
                        after.trim(),
                    )
                }
                None => (Vec::new(), rest),
            };
            let reason = reason
                .trim_start_matches([':', '-', '—'])
                .trim()
                .to_string();
            Some(Ignore {
                checks,
                reason,
                applies_to: if d.trailing || file_level {
                    d.line
                } else {
                    d.line + 1
                },
                line: d.line,
                span: d.span,
                file_level,
                leading: file_level && !d.trailing && in_leading_comments(&unit.text, d.line),
            })
        })
        .collect()
}

/// Marks findings covered by a valid suppression as suppressed (a line's own suppression
/// before the file's), then adds an `unused-suppression` finding for each valid suppression
/// that covered nothing, when every check it names ran (`with_datamap`: the checks that need
/// a data map did).
pub fn apply_suppressions(program: &Program<'_>, findings: &mut Vec<Finding>, with_datamap: bool) {
    let by_path: std::collections::HashMap<&str, (u32, Vec<Ignore>)> = program
        .units
        .iter()
        .enumerate()
        .map(|(i, u)| (u.display.as_str(), (i as u32, ignores(u))))
        .collect();
    let mut used: std::collections::HashSet<(u32, usize)> = std::collections::HashSet::new();
    for finding in findings.iter_mut() {
        let Some((unit, list)) = by_path.get(finding.location.path.as_str()) else {
            continue;
        };
        let line = list.iter().position(|i| !i.file_level && i.covers(finding));
        let file = || list.iter().position(|i| i.file_level && i.covers(finding));
        if let Some(index) = line.or_else(file) {
            used.insert((*unit, index));
            finding.suppressed = Some(list[index].reason.clone());
        }
    }
    let ran = |check: &str| with_datamap || !crate::checks::needs_datamap(check);
    let mut unused = Vec::new();
    for (unit, list) in by_path.values() {
        for (index, ignore) in list.iter().enumerate() {
            if ignore.is_valid()
                && !used.contains(&(*unit, index))
                && ignore.checks.iter().all(|c| ran(c))
            {
                unused.push(crate::checks::unused_suppression::finding(
                    program, *unit, ignore,
                ));
            }
        }
    }
    findings.extend(unused);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let text = "ab\nцвет = x\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        // After the four Cyrillic letters (8 bytes) and a space.
        assert_eq!(line_col(text, 3 + 9), (2, 6));
    }

    #[test]
    fn fingerprint_ignores_whitespace_but_not_code() {
        let d = vec![DataRef {
            category: "user.contact.email".into(),
            name: "Email".into(),
        }];
        let a = fingerprint("identifier-in-log", "a.rs", &d, "info!(\"{}\", e)");
        let b = fingerprint("identifier-in-log", "a.rs", &d, "info!( \"{}\",\n e )");
        let c = fingerprint("identifier-in-log", "a.rs", &d, "info!(\"{}\", f)");
        assert_eq!(a, b);
        assert_ne!(a, c);
    }
}
