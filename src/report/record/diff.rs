//! The privacy diff (`privlint report --diff-base REV`) as Markdown, for a pull request's
//! summary, or JSON.

use crate::record::diff::{Changes, RecordDiff};
use crate::report::markdown::{code_text, delta, escape};
use std::fmt::Write;

fn changes(out: &mut String, what: &str, c: &Changes) {
    delta(out, what, &c.delta());
    for changed in &c.changed {
        let _ = writeln!(
            out,
            "- Changed {} `{}`: {}",
            what.trim_end_matches('s'),
            code_text(&changed.key),
            changed
                .differences
                .iter()
                .map(|d| escape(d))
                .collect::<Vec<_>>()
                .join("; ")
        );
    }
}

pub fn markdown(diff: &RecordDiff) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## Privacy changes against `{}`\n",
        code_text(&diff.base)
    );
    if diff.is_empty() {
        out.push_str("None: the declarations and the flows of personal data are unchanged.\n");
        return out;
    }
    changes(&mut out, "data elements", &diff.elements);
    changes(&mut out, "purposes", &diff.purposes);
    changes(&mut out, "recipients", &diff.recipients);
    changes(&mut out, "stores", &diff.stores);
    if !diff.flows.added.is_empty() {
        out.push_str("- **New flows of personal data**:\n");
        for f in &diff.flows.added {
            let _ = writeln!(out, "  - {}", escape(f));
        }
    }
    if !diff.flows.removed.is_empty() {
        out.push_str("- Flows no longer seen:\n");
        for f in &diff.flows.removed {
            let _ = writeln!(out, "  - {}", escape(f));
        }
    }
    out
}

pub fn json(diff: &RecordDiff) -> String {
    let mut text = serde_json::to_string_pretty(diff).unwrap_or_default();
    text.push('\n');
    text
}
