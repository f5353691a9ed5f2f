//! The github reporter: one GitHub Actions workflow command per active finding
//! (`::error file=src/app.py,line=5,col=5,endLine=5,endColumn=36,title=...::message`), which
//! the runner turns into annotations on the pull request's diff. Errors are `::error`, warnings
//! `::warning`, notes `::notice`.
//!
//! Values are escaped as the Actions toolkit does (`@actions/core`, `command.ts`): in the
//! message `%`, `\r` and `\n` become `%25`, `%0D` and `%0A`; in properties `:` and `,` also
//! become `%3A` and `%2C`, so no value can end the command early or start a new one.

use super::RenderOptions;
use crate::finding::{Finding, ScanResult, Severity};
use crate::findings::line_col;
use std::fmt::Write as _;

pub fn render(result: &ScanResult, _options: &RenderOptions) -> String {
    let mut out = String::new();
    for finding in result.active() {
        line(&mut out, result, finding);
    }
    out
}

fn line(out: &mut String, result: &ScanResult, finding: &Finding) {
    let command = match finding.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    };
    let loc = &finding.location;
    let mut properties = vec![
        ("file", loc.path.clone()),
        ("line", loc.line.to_string()),
        ("col", loc.column.to_string()),
    ];
    if let Some(text) = result.sources.get(&loc.path)
        && (loc.end as usize) <= text.len()
        && loc.end > loc.start
    {
        let (end_line, end_column) = line_col(text, loc.end as usize);
        properties.push(("endLine", end_line.to_string()));
        if end_line == loc.line {
            properties.push(("endColumn", end_column.to_string()));
        }
    }
    properties.push(("title", format!("privlint {}", finding.check)));
    let mut message = finding.message.clone();
    if !finding.data.is_empty() {
        let names: Vec<&str> = finding.data.iter().map(|d| d.name.as_str()).collect();
        let _ = write!(message, "\nData: {}", names.join(", "));
    }
    if finding.path.len() > 1 {
        message.push_str("\nPath:");
        for hop in &finding.path {
            let l = &hop.location;
            let _ = write!(message, "\n  {}:{}: {}", l.path, l.line, hop.note);
        }
    }
    let _ = write!(message, "\nHow to fix: {}", finding.help);
    let _ = write!(
        message,
        "\n(`privlint explain {}`; fingerprint {})",
        finding.check, finding.fingerprint
    );
    let properties: Vec<String> = properties
        .iter()
        .map(|(k, v)| format!("{k}={}", escape_property(v)))
        .collect();
    let _ = writeln!(
        out,
        "::{command} {}::{}",
        properties.join(","),
        escape_data(&message)
    );
}

/// Escapes a workflow command's message.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::text::test_support::{options, sample_result};

    #[test]
    fn data_escapes_percent_and_line_breaks_only() {
        assert_eq!(escape_data("50%\r\nnext: a, b"), "50%25%0D%0Anext: a, b");
        // `%` first, so an escape already in the text is not mistaken for one of ours.
        assert_eq!(escape_data("%0A"), "%250A");
    }

    #[test]
    fn properties_also_escape_colons_and_commas() {
        assert_eq!(
            escape_property("C:\\a,b%\nc"),
            "C%3A\\a%2Cb%25%0Ac".to_string()
        );
        assert_eq!(escape_property("src/app.py"), "src/app.py");
    }

    #[test]
    fn one_command_per_active_finding() {
        let out = render(&sample_result(), &options());
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 1, "{out}");
        let line = lines[0];
        assert!(
            line.starts_with(
                "::error file=src/app.py,line=5,col=5,endLine=5,endColumn=36,\
                 title=privlint identifier-in-log::an email address is written to a log%0AData: \
                 Email address%0APath:%0A  src/models.py:2: `User.email`"
            ),
            "{line}"
        );
        assert!(line.contains("%0AHow to fix: log a hashed"), "{line}");
        assert!(!line.contains('\n'));
    }

    #[test]
    fn severities_map_to_commands_and_hostile_text_stays_on_one_line() {
        let mut result = sample_result();
        result.findings[0].severity = crate::finding::Severity::Note;
        result.findings[0].message = "a\n::error file=x::injected".into();
        result.findings[0].location.path = "a,b:c.py".into();
        let out = render(&result, &options());
        assert_eq!(out.lines().count(), 1, "{out}");
        assert!(
            out.starts_with("::notice file=a%2Cb%3Ac.py,line=5,col=5,title="),
            "{out}"
        );
        assert!(out.contains("::a%0A::error file=x::injected"), "{out}");
    }
}
