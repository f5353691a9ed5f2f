//! The markdown reporter: a summary for `$GITHUB_STEP_SUMMARY` (or a pull request comment):
//! the count of findings by check, a table of the findings, and, when a diff base was given,
//! the privacy changes of the change: data elements, purposes, recipients and stores the data
//! map adds or removes, and the data categories the code is newly seen to process.
//!
//! Every piece of text from the scanned code or the findings is escaped, so a message cannot
//! add markup, links, HTML or mentions to the summary.

use super::RenderOptions;
use crate::finding::{Delta, ScanResult};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// At most this many rows in the table of findings: GitHub caps a step summary at 1 MiB.
const MAX_ROWS: usize = 200;

pub fn render(result: &ScanResult, options: &RenderOptions) -> String {
    let mut out = String::new();
    out.push_str("## privlint\n\n");
    let active: Vec<_> = result.active().collect();
    let suppressed = result.findings.len() - active.len();
    let mut notes = vec![format!("{suppressed} suppressed")];
    if result.baselined > 0 {
        let what = match &result.changes {
            Some(c) => format!("{} already at `{}`", result.baselined, code_text(&c.base)),
            None => format!("{} in the baseline", result.baselined),
        };
        notes.push(what);
    }
    let new = if result.baselined > 0 || result.changes.is_some() {
        "new "
    } else {
        ""
    };
    if result.datamap_invalid {
        out.push_str(
            "**The data map cannot be read**: the code was not checked. Its problems:\n\n",
        );
    }
    if active.is_empty() {
        let _ = writeln!(out, "No {new}findings ({}).\n", notes.join(", "));
    } else {
        let _ = writeln!(
            out,
            "**{} {new}{}** ({}).\n",
            active.len(),
            if active.len() == 1 {
                "finding"
            } else {
                "findings"
            },
            notes.join(", ")
        );
        let mut by_check: BTreeMap<&str, (usize, &str)> = BTreeMap::new();
        for f in &active {
            let e = by_check.entry(f.check).or_insert((0, f.severity.as_str()));
            e.0 += 1;
        }
        out.push_str("| Check | Severity | Findings |\n|---|---|---:|\n");
        for (check, (count, severity)) in &by_check {
            let _ = writeln!(out, "| `{check}` | {severity} | {count} |");
        }
        out.push_str("\n| Severity | Location | Check | Message |\n|---|---|---|---|\n");
        for f in active.iter().take(MAX_ROWS) {
            let _ = writeln!(
                out,
                "| {} | {}:{} | `{}` | {} |",
                f.severity.as_str(),
                escape(&f.location.path),
                f.location.line,
                f.check,
                escape(&f.message)
            );
        }
        if active.len() > MAX_ROWS {
            let _ = writeln!(
                out,
                "\n…and {} more (see the annotations or the SARIF report).",
                active.len() - MAX_ROWS
            );
        }
        out.push('\n');
    }
    if let Some(changes) = &result.changes {
        let _ = writeln!(
            out,
            "### Privacy changes against `{}`\n",
            code_text(&changes.base)
        );
        if changes.is_empty() {
            out.push_str("None: the data map and the personal data found are unchanged.\n\n");
        } else {
            delta(&mut out, "data elements", &changes.elements);
            delta(&mut out, "purposes", &changes.purposes);
            delta(&mut out, "recipients", &changes.recipients);
            delta(&mut out, "stores", &changes.stores);
            delta(
                &mut out,
                "data categories found in code",
                &changes.categories_found,
            );
            delta(&mut out, "flows of personal data", &changes.flows);
            for c in &changes.changed {
                let _ = writeln!(out, "- Changed {}", super::record::markdown::inline(c));
            }
            out.push('\n');
        }
    }
    let _ = writeln!(
        out,
        "<sub>privlint {} · `privlint explain <check>` describes each check</sub>",
        escape(&options.version)
    );
    out
}

/// The lines "New purposes: a, b" and "Removed purposes: c" (in bold and code spans), for
/// what a change adds and removes.
pub fn delta(out: &mut String, what: &str, d: &Delta) {
    let list = |keys: &[String]| {
        keys.iter()
            .map(|k| format!("`{}`", code_text(k)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if !d.added.is_empty() {
        let _ = writeln!(out, "- **New {what}**: {}", list(&d.added));
    }
    if !d.removed.is_empty() {
        let _ = writeln!(out, "- Removed {what}: {}", list(&d.removed));
    }
}

/// Text safe in Markdown, table cells included: every ASCII punctuation character that means
/// something in GitHub Flavored Markdown is backslash-escaped, and line breaks become spaces.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '<' | '>' | '(' | ')' | '#' | '+'
            | '-' | '!' | '|' | '~' | '&' | '@' | '$' | '=' | ':' | '"' | '\'' => {
                out.push('\\');
                out.push(c);
            }
            '\r' | '\n' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Text for inside a code span: backticks and line breaks cannot occur in one, and `|` would
/// end a table cell.
pub fn code_text(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '`' | '|' => '\'',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::PrivacyChanges;
    use crate::report::text::test_support::{options, sample_result};

    #[test]
    fn escapes_markup_mentions_and_table_cells() {
        assert_eq!(escape("a|b"), "a\\|b");
        assert_eq!(
            escape("<img src=x> [l](u) @team *x*\nnext"),
            "\\<img src\\=x\\> \\[l\\]\\(u\\) \\@team \\*x\\* next"
        );
        assert_eq!(escape("src/app_1.py"), "src/app\\_1.py");
        assert_eq!(code_text("a`b|c\nd"), "a'b'c d");
    }

    #[test]
    fn summary_by_check_and_table() {
        let out = render(&sample_result(), &options());
        assert!(
            out.starts_with("## privlint\n\n**1 finding** (1 suppressed).\n"),
            "{out}"
        );
        assert!(
            out.contains("| `identifier-in-log` | error | 1 |\n"),
            "{out}"
        );
        assert!(
            out.contains(
                "| error | src/app.py:5 | `identifier-in-log` | an email address is written to a log |\n"
            ),
            "{out}"
        );
        assert!(!out.contains("Privacy changes"));
    }

    #[test]
    fn privacy_changes_against_the_base() {
        let mut result = sample_result();
        result.baselined = 2;
        result.changes = Some(PrivacyChanges {
            base: "origin/main".into(),
            elements: Delta {
                added: vec!["phone".into()],
                removed: Vec::new(),
            },
            recipients: Delta {
                added: vec!["sendgrid".into()],
                removed: vec!["mailgun".into()],
            },
            ..PrivacyChanges::default()
        });
        let out = render(&result, &options());
        assert!(
            out.contains("**1 new finding** (1 suppressed, 2 already at `origin/main`)"),
            "{out}"
        );
        assert!(
            out.contains("### Privacy changes against `origin/main`\n"),
            "{out}"
        );
        assert!(out.contains("- **New data elements**: `phone`\n"), "{out}");
        assert!(out.contains("- **New recipients**: `sendgrid`\n"), "{out}");
        assert!(out.contains("- Removed recipients: `mailgun`\n"), "{out}");
        assert!(!out.contains("purposes"), "{out}");
    }
}
