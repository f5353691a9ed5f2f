//! The Rust frontend, through syn.
//!
//! A pre-scan of the raw text rejects input nested too deeply for syn (`scan`); syn then parses
//! a shallow file on the calling thread and a deeper one on a dedicated thread with a large
//! stack, and `convert`/`macros` turn its tree into
//! [`FileFacts`]. Spans come from proc-macro2's `span-locations` byte ranges.

mod convert;
mod macros;
mod scan;

use super::{Frontend, ParseError};
use crate::ir::{FileFacts, Language};

pub struct RustFrontend;

/// Stack for the parsing thread: syn and the tree's drop recurse once per nesting level; the
/// pre-scan bounds the levels, this bounds the damage. Only touched pages are committed.
const PARSE_STACK: usize = 256 * 1024 * 1024;

impl Frontend for RustFrontend {
    fn language(&self) -> Language {
        Language::Rust
    }

    fn facts(&self, source: &str) -> Result<FileFacts, ParseError> {
        let directives = crate::lang::comments::directives(source, &["//"]);
        let nesting = scan::measure(source);
        let mut partial_note = None;
        let blanked;
        let source = if let Some(note) = nesting.note() {
            // Analyse what is left once the items nested too deeply are blanked out.
            let Some((text, items)) = nesting.without_deep_items(source) else {
                return Ok(FileFacts {
                    directives,
                    notes: vec![note],
                    ..FileFacts::default()
                });
            };
            blanked = text;
            partial_note = Some(items);
            blanked.as_str()
        } else {
            source
        };
        let mut facts = if nesting.is_shallow() {
            parse_here(source)?
        } else {
            let spawned = std::thread::scope(|scope| {
                std::thread::Builder::new()
                    .name("privlint-rust-parse".to_string())
                    .stack_size(PARSE_STACK)
                    .spawn_scoped(scope, || parse_and_convert(source))
                    .map(std::thread::ScopedJoinHandle::join)
            });
            match spawned {
                Ok(Ok(result)) => result?,
                Ok(Err(_panic)) => {
                    return Err(ParseError {
                        line: 1,
                        column: 1,
                        message: "internal error in the Rust frontend".to_string(),
                    });
                }
                // No thread available: parse here. The pre-scan's limits keep this within an
                // ordinary stack.
                Err(_) => parse_here(source)?,
            }
        };
        facts.directives = directives;
        facts.notes.extend(partial_note);
        Ok(facts)
    }
}

/// Parses on the calling thread, then frees proc-macro2's per-thread source map (it grows with
/// every file parsed on a thread; no span outlives this call).
fn parse_here(source: &str) -> Result<FileFacts, ParseError> {
    let result = parse_and_convert(source);
    proc_macro2::extra::invalidate_current_thread_spans();
    result
}

fn parse_and_convert(source: &str) -> Result<FileFacts, ParseError> {
    let text = blank_preamble(source);
    let file = match syn::parse_str::<syn::File>(&text) {
        Ok(file) => file,
        Err(err) => {
            let start = err.span().start();
            return Err(ParseError {
                line: start.line.max(1) as u32,
                column: start.column as u32 + 1,
                message: err.to_string(),
            });
        }
    };
    Ok(convert::Converter::new(source).file(&file))
}

/// Blanks a byte-order mark and a `#!` line (which syn would otherwise cut off, shifting every
/// offset) with spaces of the same byte length.
fn blank_preamble(source: &str) -> String {
    let mut text = source.to_string();
    let mut start = 0;
    if text.starts_with('\u{feff}') {
        text.replace_range(0..3, "   ");
        start = 3;
    }
    let rest = &text[start..];
    if rest.starts_with("#!") && !rest[2..].trim_start().starts_with('[') {
        let end = rest.find('\n').map_or(text.len(), |n| start + n);
        let blank = " ".repeat(end - start);
        text.replace_range(start..end, &blank);
        start = end;
    }
    // A cargo-script frontmatter block (`---cargo` … `---`) after the shebang or at the top.
    let head = text[start..].trim_start_matches(['\n', '\r', ' ', '\t']);
    if head.starts_with("---") {
        let open = text.len() - head.len();
        let after_open = text[open..].find('\n').map_or(text.len(), |n| open + n + 1);
        if let Some(close) = text[after_open..]
            .match_indices("---")
            .map(|(i, _)| after_open + i)
            .find(|&i| i == 0 || text.as_bytes()[i - 1] == b'\n')
        {
            let end = text[close..].find('\n').map_or(text.len(), |n| close + n);
            let blanked: String = text[open..end]
                .chars()
                .map(|c| if c == '\n' { '\n' } else { ' ' })
                .collect();
            // Same byte length only for ASCII; frontmatter is TOML, but be safe.
            if blanked.len() == end - open {
                text.replace_range(open..end, &blanked);
            }
        }
    }
    text
}

#[cfg(test)]
mod tests;
