//! `privlint:` comments, found in the source text. Shared by every frontend: syn drops comments
//! and tree-sitter keeps them as separate nodes, so one scanner over the text serves both.

use crate::ir::{Directive, Span};

/// Finds every `privlint:` directive in a comment. `markers` are the language's line-comment
/// openers (`//`, `#`); block comments (`/* */`) are recognised where `//` is a marker.
pub fn directives(source: &str, markers: &[&str]) -> Vec<Directive> {
    let mut out = Vec::new();
    let mut offset = 0usize;
    for (index, line) in source.split_inclusive('\n').enumerate() {
        if let Some(found) = line.find("privlint:") {
            let before = &line[..found];
            let comment_at = markers
                .iter()
                .chain(if markers.contains(&"//") {
                    &["/*"][..]
                } else {
                    &[][..]
                })
                .filter_map(|m| before.find(m))
                .min();
            if let Some(comment_at) = comment_at {
                let text_start = found + "privlint:".len();
                let text = line[text_start..]
                    .trim()
                    .trim_end_matches("*/")
                    .trim()
                    .to_string();
                out.push(Directive {
                    line: index as u32 + 1,
                    trailing: !before[..comment_at].trim().is_empty(),
                    text,
                    span: Span::new(offset + found, offset + line.trim_end().len()),
                });
            }
        }
        offset += line.len();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_own_line_and_trailing_directives() {
        let src = "let a = 1;\n// privlint: ignore[identifier-in-log] audit trail\nlog(a); // privlint: purpose(billing)\nlet s = \"privlint: not a comment\";\n";
        let found = directives(src, &["//"]);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].line, 2);
        assert!(!found[0].trailing);
        assert_eq!(found[0].text, "ignore[identifier-in-log] audit trail");
        assert_eq!(found[1].line, 3);
        assert!(found[1].trailing);
        assert_eq!(found[1].text, "purpose(billing)");
    }

    #[test]
    fn python_hash_comments() {
        let found = directives("x = 1  # privlint: ignore[identifier-in-log] ok\n", &["#"]);
        assert_eq!(found.len(), 1);
        assert!(found[0].trailing);
    }
}
