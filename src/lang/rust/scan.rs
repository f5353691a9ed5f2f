//! A quick pass over the raw text, before syn sees it, that rejects input syn would recurse on
//! too deeply: brackets nested past [`MAX_NESTING`], or one expression chaining thousands of
//! operators (`!!!!…x`, `a + a + …`, `if … else if …`), each of which syn turns into a nested
//! tree. The scanner is approximate (it knows comments, strings, raw strings and char literals,
//! nothing more); it only has to be conservative for hostile input and quiet for real code.

use crate::lang::MAX_NESTING;

/// How many nesting operators one expression (between `;`, `,` and `=>` at one bracket level)
/// may chain. Real code stays far below; syn, run on the frontend's big stack, copes with more.
pub const MAX_CHAIN: usize = 2000;

/// Why the file should not be handed to syn, as a note for the user.
/// How deep a file nests: brackets, and operators chained within one bracket level.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Nesting {
    pub depth: usize,
    pub chain: usize,
    /// The top-level items (byte ranges, with their 1-based first line) nested past the limits.
    pub too_deep_items: Vec<(std::ops::Range<usize>, usize, ItemNesting)>,
}

/// The nesting of one top-level item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ItemNesting {
    pub depth: usize,
    pub chain: usize,
}

impl ItemNesting {
    fn exceeds(self) -> bool {
        self.depth > MAX_NESTING || self.chain > MAX_CHAIN
    }

    fn describe(self) -> String {
        if self.depth > MAX_NESTING {
            format!("nested {} levels deep (limit {MAX_NESTING})", self.depth)
        } else {
            format!("chains {} operators (limit {MAX_CHAIN})", self.chain)
        }
    }
}

/// Nesting up to which syn's recursion fits comfortably in any worker thread's stack, so the
/// file is parsed on the calling thread instead of a dedicated big-stack one.
const SHALLOW_DEPTH: usize = 48;
const SHALLOW_CHAIN: usize = 256;

impl Nesting {
    /// Why the file is not parsed at all, when it nests past the limits.
    pub fn note(&self) -> Option<String> {
        let Nesting { depth, chain, .. } = *self;
        if depth > MAX_NESTING {
            return Some(format!(
                "nested {depth} levels deep (limit {MAX_NESTING}): not analysed"
            ));
        }
        if chain > MAX_CHAIN {
            return Some(format!(
                "an expression chains {chain} operators (limit {MAX_CHAIN}): not analysed"
            ));
        }
        None
    }

    /// The file with every top-level item that nests past the limits blanked out (spaces, line
    /// breaks kept, so byte offsets and lines stay true), and a note naming each; `None` when
    /// nothing would be left to parse or nothing needs blanking.
    pub fn without_deep_items(&self, source: &str) -> Option<(String, String)> {
        if self.too_deep_items.is_empty() {
            return None;
        }
        let mut bytes = source.as_bytes().to_vec();
        let mut notes = Vec::new();
        for (range, line, nesting) in &self.too_deep_items {
            for b in &mut bytes[range.clone()] {
                if *b != b'\n' {
                    *b = b' ';
                }
            }
            notes.push(format!(
                "the item at line {line} {} was not analysed",
                nesting.describe()
            ));
        }
        let text = String::from_utf8(bytes).ok()?;
        let rest = measure(&text);
        (rest.note().is_none() && !text.trim().is_empty()).then(|| (text, notes.join("; ")))
    }

    pub fn is_shallow(&self) -> bool {
        self.depth <= SHALLOW_DEPTH && self.chain <= SHALLOW_CHAIN
    }
}

#[cfg(test)]
pub fn too_deep(source: &str) -> Option<String> {
    measure(source).note()
}

/// Measures the nesting of a file's text without parsing it.
pub fn measure(source: &str) -> Nesting {
    let bytes = source.as_bytes();
    let mut depth = 0usize;
    let mut max_depth = 0usize;
    // Operator counts, one per open bracket level (index 0 is the file's top level).
    let mut chain: Vec<usize> = vec![0];
    let mut max_chain = 0usize;
    // The current top-level item: where it starts and how deep it nests so far.
    let mut item_start = 0usize;
    let mut item = ItemNesting { depth: 0, chain: 0 };
    let mut too_deep_items = Vec::new();
    let mut close_item = |end: usize, item: &mut ItemNesting, start: &mut usize| {
        if item.exceeds() {
            // The line where the item's code begins, after the blank lines before it.
            let first = (*start..end)
                .find(|&i| !bytes[i].is_ascii_whitespace())
                .unwrap_or(*start);
            let line = bytes[..first].split(|b| *b == b'\n').count();
            too_deep_items.push((*start..end, line, *item));
        }
        max_depth = max_depth.max(item.depth);
        max_chain = max_chain.max(item.chain);
        *item = ItemNesting { depth: 0, chain: 0 };
        *start = end;
    };
    let mut i = 0usize;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = skip_block_comment(bytes, i);
                continue;
            }
            b'"' => {
                i = skip_string(bytes, i + 1);
                continue;
            }
            b'r' | b'b' | b'c' if starts_raw_string(bytes, i) => {
                i = skip_raw_string(bytes, i);
                continue;
            }
            b'\'' => {
                i = skip_char_or_lifetime(bytes, i);
                continue;
            }
            b'(' | b'[' | b'{' => {
                depth += 1;
                item.depth = item.depth.max(depth);
                chain.push(0);
            }
            b')' | b']' | b'}' => {
                depth = depth.saturating_sub(1);
                if chain.len() > 1 {
                    chain.pop();
                }
                if depth == 0 && b == b'}' {
                    close_item(i + 1, &mut item, &mut item_start);
                }
            }
            b';' | b',' => {
                if let Some(c) = chain.last_mut() {
                    *c = 0;
                }
                if depth == 0 && b == b';' {
                    close_item(i + 1, &mut item, &mut item_start);
                }
            }
            b'=' if bytes.get(i + 1) == Some(&b'>') => {
                if let Some(c) = chain.last_mut() {
                    *c = 0;
                }
                i += 2;
                continue;
            }
            b'.' | b'?' | b'+' | b'-' | b'*' | b'/' | b'%' | b'^' | b'&' | b'|' | b'=' | b'<'
            | b'>' | b'!' => {
                bump(&mut chain, &mut item.chain);
            }
            _ if is_ident_start(b) && (i == 0 || !is_ident_char(bytes[i - 1])) => {
                let start = i;
                while i < bytes.len() && is_ident_char(bytes[i]) {
                    i += 1;
                }
                match &bytes[start..i] {
                    b"as" | b"else" | b"return" | b"break" | b"move" | b"box" | b"yield" => {
                        bump(&mut chain, &mut item.chain);
                    }
                    // Item keywords start a new item or statement at this level. `fn` is left
                    // out: it also starts nested `fn() -> fn()` types.
                    b"struct" | b"enum" | b"impl" | b"trait" | b"mod" | b"use" | b"let"
                    | b"static" | b"const" | b"type" | b"pub" | b"where" => {
                        if let Some(c) = chain.last_mut() {
                            *c = 0;
                        }
                    }
                    _ => {}
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    close_item(bytes.len(), &mut item, &mut item_start);
    Nesting {
        depth: max_depth,
        chain: max_chain,
        too_deep_items,
    }
}

fn bump(chain: &mut [usize], max_chain: &mut usize) {
    if let Some(c) = chain.last_mut() {
        *c += 1;
        *max_chain = (*max_chain).max(*c);
    }
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_ident_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// `i` is at `/*`; returns the index after the matching `*/` (block comments nest in Rust).
fn skip_block_comment(bytes: &[u8], mut i: usize) -> usize {
    let mut level = 0usize;
    while i < bytes.len() {
        if bytes[i] == b'/' && bytes.get(i + 1) == Some(&b'*') {
            level += 1;
            i += 2;
        } else if bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/') {
            level = level.saturating_sub(1);
            i += 2;
            if level == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    i
}

/// `i` is just inside a `"`; returns the index after the closing quote.
fn skip_string(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    i
}

/// `r"`, `r#"`, `br"`, `cr#"` and so on, not preceded by an identifier character.
fn starts_raw_string(bytes: &[u8], i: usize) -> bool {
    if i > 0 && is_ident_char(bytes[i - 1]) {
        return false;
    }
    let mut j = i;
    if matches!(bytes[j], b'b' | b'c') {
        j += 1;
    }
    if bytes.get(j) != Some(&b'r') {
        return false;
    }
    j += 1;
    while bytes.get(j) == Some(&b'#') {
        j += 1;
    }
    bytes.get(j) == Some(&b'"')
}

fn skip_raw_string(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && bytes[i] != b'#' && bytes[i] != b'"' {
        i += 1;
    }
    let mut hashes = 0usize;
    while i < bytes.len() && bytes[i] == b'#' {
        hashes += 1;
        i += 1;
    }
    i += 1; // the opening quote
    while i < bytes.len() {
        if bytes[i] == b'"' {
            let end = i + 1 + hashes;
            if end <= bytes.len() && bytes[i + 1..end].iter().all(|&b| b == b'#') {
                return end;
            }
        }
        i += 1;
    }
    i
}

/// `i` is at `'`: a char literal (`'a'`, `'\n'`, `'é'`) or a lifetime (`'a`).
fn skip_char_or_lifetime(bytes: &[u8], i: usize) -> usize {
    match bytes.get(i + 1) {
        Some(b'\\') => {
            let mut j = i + 2;
            // The escaped character, then up to the closing quote (bounded for `'\u{…}'`).
            j += 1;
            let limit = (i + 16).min(bytes.len());
            while j < limit && bytes[j] != b'\'' {
                j += 1;
            }
            (j + 1).min(bytes.len())
        }
        Some(&c) => {
            let width = utf8_width(c);
            if bytes.get(i + 1 + width) == Some(&b'\'') {
                i + 2 + width
            } else {
                i + 1
            }
        }
        None => i + 1,
    }
}

fn utf8_width(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_code_passes() {
        let src = r##"
            fn f<'a>(x: &'a str) -> Option<Vec<u8>> { let c = '{'; let s = "(((("; /* ((( */ Some(vec![]) }
            fn g() { let r = r#"))"#; if a { b } else if c { d } else { e } }
        "##;
        assert_eq!(too_deep(src), None);
    }

    #[test]
    fn deep_brackets_and_chains_are_caught() {
        let deep = format!("fn f() {{ {}x{} }}", "(".repeat(300), ")".repeat(300));
        assert!(too_deep(&deep).unwrap().contains("nested"));
        let chain = format!("fn f() {{ let x = {}y; }}", "!".repeat(5000));
        assert!(too_deep(&chain).unwrap().contains("chains"));
        let many_items = "pub fn f(a: &u8) -> Option<u8> { None }\n".repeat(5000);
        assert_eq!(too_deep(&many_items), None);
    }

    #[test]
    fn deep_items_are_blanked_and_the_rest_kept_in_place() {
        let deep = format!("{}1{}", "(".repeat(300), ")".repeat(300));
        let src =
            format!("fn a() {{ log(email); }}\nfn deep() -> i32 {{\n    {deep}\n}}\nfn b() {{}}\n");
        let nesting = measure(&src);
        assert!(nesting.note().is_some());
        let (text, note) = nesting
            .without_deep_items(&src)
            .expect("shallow items remain");
        assert_eq!(text.len(), src.len());
        assert_eq!(text.lines().count(), src.lines().count());
        assert!(text.starts_with("fn a() { log(email); }\n"));
        assert!(text.ends_with("fn b() {}\n"));
        assert!(!text.contains("deep"));
        assert!(
            note.contains("line 2") && note.contains("levels deep"),
            "{note}"
        );
    }
}
