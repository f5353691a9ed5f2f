//! The text reporter: one `miette` diagnostic per active finding, with the path the data takes
//! drawn as labels, then a summary of what was scanned and skipped.

use super::RenderOptions;
use crate::finding::{Finding, Hop, Location, ScanResult, Severity};
use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode,
    SourceSpan,
};
use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::sync::Arc;

#[cfg(test)]
#[path = "test_support.rs"]
pub(crate) mod test_support;

/// The primary label when a finding has no hops to take a note from: a declaration in the
/// data map, or a place in code that is the whole story (a field of undeclared data).
const DECLARATION_LABEL: &str = "declared here";
const PLACE_LABEL: &str = "here";

pub fn render(result: &ScanResult, options: &RenderOptions) -> String {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(options.width);

    let mut out = String::new();
    for finding in result.active() {
        match result.sources.get(&finding.location.path) {
            Some(source) => {
                let diagnostic = FindingDiagnostic::new(finding, source, &result.sources);
                let mut rendered = String::new();
                if handler.render_report(&mut rendered, &diagnostic).is_ok() {
                    for line in rendered.trim_end().lines() {
                        out.push_str(line.trim_end());
                        out.push('\n');
                    }
                    out.push('\n');
                } else {
                    plain(&mut out, finding);
                }
            }
            None => plain(&mut out, finding),
        }
    }
    if options.show_suppressed {
        suppressed_list(&mut out, result);
    }
    summary(&mut out, result);
    out
}

/// A finding without its source text: `path:line:col: severity[check]: message`, then help and
/// the path, one hop a line.
fn plain(out: &mut String, finding: &Finding) {
    let loc = &finding.location;
    let _ = writeln!(
        out,
        "{}:{}:{}: {}[{}]: {}",
        loc.path,
        loc.line,
        loc.column,
        finding.severity.as_str(),
        finding.check,
        finding.message
    );
    for hop in &finding.path {
        let l = &hop.location;
        let _ = writeln!(out, "  {}:{}:{}: {}", l.path, l.line, l.column, hop.note);
    }
    let _ = writeln!(out, "  help: {}", finding.help);
    out.push('\n');
}

/// The suppressed findings, one a line with the reason given.
fn suppressed_list(out: &mut String, result: &ScanResult) {
    let suppressed: Vec<&Finding> = result
        .findings
        .iter()
        .filter(|f| f.suppressed.is_some())
        .collect();
    if suppressed.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "Suppressed {}:",
        plural(suppressed.len(), "finding", "findings")
    );
    for f in suppressed {
        let loc = &f.location;
        let _ = writeln!(
            out,
            "  {}:{}:{}: [{}] {}\n    reason: {}",
            loc.path,
            loc.line,
            loc.column,
            f.check,
            f.message,
            f.suppressed.as_deref().unwrap_or_default()
        );
    }
    out.push('\n');
}

fn summary(out: &mut String, result: &ScanResult) {
    let active = result.active().count();
    let suppressed = result.findings.len() - active;
    let baselined = if result.baselined > 0 {
        format!(", {} baselined", thousands(result.baselined))
    } else {
        String::new()
    };
    if active == 0 {
        if suppressed == 0 && result.baselined == 0 {
            out.push_str("No findings.\n");
        } else {
            let _ = writeln!(out, "No findings ({suppressed} suppressed{baselined}).");
        }
    } else {
        let _ = writeln!(
            out,
            "{} ({suppressed} suppressed{baselined})",
            plural(active, "finding", "findings")
        );
        let mut by_check: BTreeMap<&str, usize> = BTreeMap::new();
        for finding in result.active() {
            *by_check.entry(finding.check).or_default() += 1;
        }
        for (check, count) in by_check {
            let _ = writeln!(out, "  {check}: {count}");
        }
    }

    if result.datamap_invalid {
        let _ = writeln!(
            out,
            "The code was not checked: fix the data map first (`privlint schema` prints its schema)."
        );
        return;
    }
    let files: usize = result.scanned.iter().map(|c| c.files).sum();
    let lines: usize = result.scanned.iter().map(|c| c.lines).sum();
    let per_language: Vec<String> = result
        .scanned
        .iter()
        .map(|c| format!("{} {}", c.language, thousands(c.files)))
        .collect();
    let _ = write!(out, "Scanned: {}", plural(files, "file", "files"));
    if !per_language.is_empty() {
        let _ = write!(out, " ({})", per_language.join(", "));
    }
    let _ = writeln!(out, ", {}", plural(lines, "line", "lines"));

    if !result.skipped.is_empty() {
        let mut skipped: Vec<_> = result.skipped.iter().collect();
        skipped.sort();
        let _ = writeln!(out, "Skipped {}:", plural(skipped.len(), "file", "files"));
        for file in skipped {
            let _ = writeln!(out, "  {}: {}", file.path, file.reason);
        }
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
}

/// `1234567` → `1,234,567`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The byte span of `location` in `source`, clamped to the text and to character boundaries so
/// that a stale or odd location can never make rendering fail.
fn span_in(source: &str, location: &Location) -> SourceSpan {
    let clamp = |offset: u32| {
        let mut offset = (offset as usize).min(source.len());
        while !source.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    };
    let start = clamp(location.start);
    let end = clamp(location.end).max(start);
    SourceSpan::from(start..end)
}

/// One active finding as a miette diagnostic.
#[derive(Debug)]
struct FindingDiagnostic {
    message: String,
    check: &'static str,
    severity: Severity,
    help: String,
    source: NamedSource<Arc<str>>,
    labels: Vec<LabeledSpan>,
    related: Vec<RelatedDiagnostic>,
}

impl FindingDiagnostic {
    fn new(finding: &Finding, source: &Arc<str>, sources: &BTreeMap<String, Arc<str>>) -> Self {
        let file = &finding.location.path;
        let primary = span_in(source, &finding.location);
        let primary_note = finding.path.last().map_or_else(
            || {
                let declaration = std::path::Path::new(file)
                    .extension()
                    .is_some_and(|e| e == "yml" || e == "yaml");
                if declaration {
                    DECLARATION_LABEL
                } else {
                    PLACE_LABEL
                }
                .to_string()
            },
            |hop| hop.note.clone(),
        );

        let mut labels = Vec::new();
        // Hops elsewhere, grouped by file in the order the data reaches them.
        let mut elsewhere: Vec<(&str, Vec<&Hop>)> = Vec::new();
        let last = finding.path.len().saturating_sub(1);
        for (index, hop) in finding.path.iter().enumerate() {
            if hop.location.path == *file {
                let span = span_in(source, &hop.location);
                // The sink is drawn by the primary label.
                if index == last || span == primary {
                    continue;
                }
                labels.push(LabeledSpan::new_with_span(Some(hop.note.clone()), span));
            } else if let Some(group) = elsewhere
                .iter_mut()
                .find(|(path, _)| *path == hop.location.path)
            {
                group.1.push(hop);
            } else {
                elsewhere.push((&hop.location.path, vec![hop]));
            }
        }
        labels.push(LabeledSpan::new_primary_with_span(
            Some(primary_note),
            primary,
        ));

        let related = elsewhere
            .into_iter()
            .map(|(path, hops)| RelatedDiagnostic::new(path, &hops, sources))
            .collect();

        Self {
            message: finding.message.clone(),
            check: finding.check,
            severity: finding.severity,
            help: finding.help.clone(),
            source: NamedSource::new(file, Arc::clone(source)),
            labels,
            related,
        }
    }
}

impl fmt::Display for FindingDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FindingDiagnostic {}

impl Diagnostic for FindingDiagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.check))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Note => miette::Severity::Advice,
            Severity::Warning => miette::Severity::Warning,
            Severity::Error => miette::Severity::Error,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.help))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.related.is_empty() {
            None
        } else {
            Some(Box::new(
                self.related.iter().map(|r| r as &'a dyn Diagnostic),
            ))
        }
    }
}

/// The hops of a finding that lie in another file than its sink.
#[derive(Debug)]
struct RelatedDiagnostic {
    message: String,
    /// `None` when the file's text is not at hand: then the message lists the hops.
    source: Option<NamedSource<Arc<str>>>,
    labels: Vec<LabeledSpan>,
}

impl RelatedDiagnostic {
    fn new(path: &str, hops: &[&Hop], sources: &BTreeMap<String, Arc<str>>) -> Self {
        if let Some(text) = sources.get(path) {
            Self {
                message: format!("the data passes through {path}"),
                labels: hops
                    .iter()
                    .map(|hop| {
                        LabeledSpan::new_with_span(
                            Some(hop.note.clone()),
                            span_in(text, &hop.location),
                        )
                    })
                    .collect(),
                source: Some(NamedSource::new(path, Arc::clone(text))),
            }
        } else {
            let mut message = format!("the data passes through {path}:");
            for hop in hops {
                let l = &hop.location;
                let _ = write!(
                    message,
                    "\n  {}:{}:{}: {}",
                    l.path, l.line, l.column, hop.note
                );
            }
            Self {
                message,
                source: None,
                labels: Vec::new(),
            }
        }
    }
}

impl fmt::Display for RelatedDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RelatedDiagnostic {}

impl Diagnostic for RelatedDiagnostic {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::{options, sample_result};
    use super::*;
    use crate::finding::{DataRef, LanguageCount, SkippedFile};

    #[test]
    fn finding_with_hops_in_two_files() {
        let result = sample_result();
        let out = render(&result, &options());
        println!("{out}");
        assert!(out.contains("src/app.py"), "{out}");
        assert!(out.contains("logger.info(\"signup %s\", email)"), "{out}");
        assert!(out.contains("identifier-in-log"), "{out}");
        assert!(out.contains("log a hashed or redacted form"), "{out}");
        assert!(out.contains("src/models.py"), "{out}");
        assert!(out.contains("`user.email` is read"), "{out}");
        assert!(!out.contains('\u{1b}'), "no colour codes: {out}");
        // The suppressed finding is not drawn, but counted.
        assert!(!out.contains("a phone number is written"), "{out}");
        assert!(
            !out.lines().any(|l| l.ends_with(' ')),
            "no trailing spaces: {out}"
        );
        assert!(out.contains("1 finding (1 suppressed)"), "{out}");
        assert!(
            out.contains("Scanned: 3 files (python 2, rust 1), 1,234 lines"),
            "{out}"
        );
        assert!(
            out.contains("Skipped 1 file:\n  big.py: larger than"),
            "{out}"
        );
        // Deterministic.
        assert_eq!(out, render(&result, &options()));
    }

    #[test]
    fn missing_source_falls_back_to_plain() {
        let mut result = sample_result();
        result.sources.clear();
        let out = render(&result, &options());
        assert!(
            out.contains("src/app.py:5:5: error[identifier-in-log]: "),
            "{out}"
        );
        assert!(out.contains("  help: log a hashed"), "{out}");
    }

    #[test]
    fn no_findings() {
        let result = ScanResult {
            scanned: vec![LanguageCount {
                language: "rust".into(),
                files: 1,
                lines: 10,
            }],
            ..ScanResult::default()
        };
        let out = render(&result, &options());
        assert_eq!(out, "No findings.\nScanned: 1 file (rust 1), 10 lines\n");
    }

    #[test]
    fn odd_spans_do_not_break_rendering() {
        let source: Arc<str> = Arc::from("é = 1\n");
        let location = Location {
            path: "x.py".into(),
            line: 1,
            column: 1,
            start: 1,
            end: 99,
        };
        let finding = Finding {
            check: "c",
            severity: Severity::Note,
            message: "m".into(),
            location,
            data: vec![DataRef {
                category: "user".into(),
                name: "User".into(),
            }],
            path: Vec::new(),
            help: "h".into(),
            fingerprint: "f".into(),
            suppressed: None,
        };
        let result = ScanResult {
            findings: vec![finding],
            skipped: vec![SkippedFile {
                path: "b".into(),
                reason: "r".into(),
            }],
            sources: [("x.py".to_string(), source)].into_iter().collect(),
            ..ScanResult::default()
        };
        let out = render(&result, &options());
        assert!(out.contains(&format!("╰── {PLACE_LABEL}\n")), "{out}");
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
