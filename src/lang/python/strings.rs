//! String literal helpers: escape sequences and `%`-format conversion specifiers.

/// Resolves Python escape sequences in a non-raw string literal's content. Unknown escapes and
/// `\N{...}` are kept as written; never panics.
pub(super) fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(&next) = chars.peek() else {
            out.push('\\');
            break;
        };
        let simple = match next {
            '\\' => Some('\\'),
            '\'' => Some('\''),
            '"' => Some('"'),
            'n' => Some('\n'),
            't' => Some('\t'),
            'r' => Some('\r'),
            'a' => Some('\u{7}'),
            'b' => Some('\u{8}'),
            'f' => Some('\u{c}'),
            'v' => Some('\u{b}'),
            _ => None,
        };
        if let Some(s) = simple {
            chars.next();
            out.push(s);
            continue;
        }
        match next {
            '\n' => {
                chars.next();
            }
            '\r' => {
                chars.next();
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
            }
            'x' | 'u' | 'U' => {
                let len = match next {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let mut probe = chars.clone();
                probe.next();
                let digits: String = probe.by_ref().take(len).collect();
                let decoded = (digits.len() == len
                    && digits.chars().all(|d| d.is_ascii_hexdigit()))
                .then(|| u32::from_str_radix(&digits, 16).ok())
                .flatten()
                .and_then(char::from_u32);
                if let Some(ch) = decoded {
                    out.push(ch);
                    chars = probe;
                } else {
                    out.push('\\');
                }
            }
            '0'..='7' => {
                let mut value = 0u32;
                let mut n = 0;
                while n < 3 {
                    match chars.peek() {
                        Some(&d @ '0'..='7') => {
                            value = value * 8 + (d as u32 - '0' as u32);
                            chars.next();
                            n += 1;
                        }
                        _ => break,
                    }
                }
                out.push(char::from_u32(value).unwrap_or('\u{fffd}'));
            }
            _ => out.push('\\'),
        }
    }
    out
}

/// The conversion specifiers of a `%`-format template, in order: `(mapping key, conversion)`.
/// `%%` is skipped.
pub(super) fn percent_specs(template: &str) -> Vec<(Option<String>, char)> {
    let mut out = Vec::new();
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            continue;
        }
        if chars.peek() == Some(&'%') {
            chars.next();
            continue;
        }
        let mut key = None;
        if chars.peek() == Some(&'(') {
            chars.next();
            let mut name = String::new();
            let mut level = 1;
            for k in chars.by_ref() {
                match k {
                    '(' => level += 1,
                    ')' => {
                        level -= 1;
                        if level == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                name.push(k);
            }
            key = Some(name);
        }
        while let Some(&k) = chars.peek() {
            if "#0- +*.0123456789hlL".contains(k) {
                chars.next();
            } else {
                break;
            }
        }
        if let Some(conv) = chars.next() {
            out.push((key, conv));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescapes_common_sequences() {
        assert_eq!(unescape(r"a\nb\t\\\x41\u00e9\'"), "a\nb\t\\Aé'");
        assert_eq!(unescape(r"\q\xZZ\"), "\\q\\xZZ\\");
        assert_eq!(unescape(r"\101"), "A");
    }

    #[test]
    fn percent_specifiers() {
        assert_eq!(
            percent_specs("%s and %r, 100%% %(email)r %-5.2f"),
            vec![
                (None, 's'),
                (None, 'r'),
                (Some("email".to_string()), 'r'),
                (None, 'f')
            ]
        );
    }
}
