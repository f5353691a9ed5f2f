//! Macro invocations: their token trees split at top-level commas and read as format strings,
//! tracing/log fields, slog key-values, `json!` objects or plain expressions.

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};
use syn::ext::IdentExt;
use syn::spanned::Spanned;

use super::convert::{Converter, call, compound, last_segment, path_text, place_text};
use crate::ir::{CompoundKind, Expr, Part, Place, Span, Stmt};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A format string, the first lone string literal at or after this argument index.
    Format(usize),
    /// tracing / log / slog: fields, then an optional format string and its arguments.
    Log,
    Dbg,
    Vec,
    Json,
    Other,
}

fn kind(name: &str) -> Kind {
    match name {
        "println" | "print" | "eprintln" | "eprint" | "format" | "format_args" | "panic"
        | "unreachable" | "todo" | "unimplemented" | "anyhow" | "bail" | "eyre" => Kind::Format(0),
        "write" | "writeln" | "assert" | "debug_assert" | "ensure" => Kind::Format(1),
        "assert_eq" | "assert_ne" | "debug_assert_eq" | "debug_assert_ne" => Kind::Format(2),
        "info" | "warn" | "error" | "debug" | "trace" | "event" | "span" | "info_span"
        | "warn_span" | "error_span" | "debug_span" | "trace_span" | "crit" | "log" => Kind::Log,
        "dbg" => Kind::Dbg,
        "vec" => Kind::Vec,
        "json" => Kind::Json,
        _ => Kind::Other,
    }
}

/// One top-level comma-separated argument of a macro.
struct Segment {
    tokens: Vec<TokenTree>,
}

/// A `{…}` in a format string.
struct Placeholder {
    arg: Arg,
    debug: bool,
}

enum Arg {
    Index(usize),
    Name(String),
}

impl Converter<'_> {
    pub(super) fn mac(&mut self, m: &syn::Macro, out: &mut Vec<Stmt>) -> Expr {
        let start = m.path.span();
        let span = self.sp(start.join(m.delimiter.span().close()).unwrap_or(start));
        if !self.enter() {
            return Expr::Other(span);
        }
        let name = last_segment(&m.path);
        let path = path_text(&m.path);
        let segments = split(m.tokens.clone());
        let value = match kind(&name) {
            Kind::Vec => {
                let parts = segments
                    .iter()
                    .map(|s| Part::positional(self.segment_expr(&s.tokens, out)))
                    .collect();
                compound(CompoundKind::Container, parts, span)
            }
            Kind::Json => {
                let value = self.json(m.tokens.clone(), span, out);
                call(name, path, None, vec![Part::positional(value)], true, span)
            }
            Kind::Dbg | Kind::Other => {
                let debug = kind(&name) == Kind::Dbg;
                let args = segments
                    .iter()
                    .filter(|s| !s.tokens.is_empty())
                    .map(|s| Part {
                        key: None,
                        value: self.segment_expr(&s.tokens, out),
                        debug,
                    })
                    .collect();
                call(name, path, None, args, true, span)
            }
            k @ (Kind::Format(_) | Kind::Log) => {
                let args = self.format_like(&name, k, &segments, out);
                call(name, path, None, args, true, span)
            }
        };
        self.leave();
        value
    }

    /// Arguments of a format or logging macro.
    fn format_like(
        &mut self,
        name: &str,
        kind: Kind,
        segments: &[Segment],
        out: &mut Vec<Stmt>,
    ) -> Vec<Part> {
        let logging = kind == Kind::Log;
        let template_from = match kind {
            Kind::Format(n) => n,
            _ => 0,
        };
        let slog = logging && segments.iter().any(|s| fat_arrow_at(&s.tokens).is_some());
        let mut parts: Vec<Part> = Vec::new();
        // (template value, its literal, index of its part)
        let mut template: Option<(String, proc_macro2::Literal)> = None;
        let mut positional: Vec<usize> = Vec::new();
        let mut named: Vec<(String, usize)> = Vec::new();
        for (i, seg) in segments.iter().enumerate() {
            let tokens = &seg.tokens;
            if tokens.is_empty() {
                continue;
            }
            // slog `"key" => value`
            if let Some(arrow) = fat_arrow_at(tokens) {
                let key = key_text(&tokens[..arrow]);
                let (debug, value) = self.sigil_value(&tokens[arrow + 2..], out);
                parts.push(Part { key, value, debug });
                continue;
            }
            if logging && (is_meta_key(tokens) || is_level(tokens)) {
                continue;
            }
            if template.is_none()
                && i >= template_from
                && let Some((value, lit)) = lone_string(tokens)
            {
                let span = self.sp(lit.span());
                parts.push(Part::positional(Expr::Str {
                    value: value.clone(),
                    span,
                }));
                template = Some((value, lit));
                continue;
            }
            if let Some(eq) = assign_eq_at(tokens) {
                let key = key_text(&tokens[..eq]);
                let (debug, value) = self.sigil_value(&tokens[eq + 1..], out);
                if template.is_some()
                    && !logging
                    && let Some(k) = &key
                {
                    named.push((k.clone(), parts.len()));
                }
                parts.push(Part { key, value, debug });
                continue;
            }
            if logging && is_sigil(&tokens[0]) {
                let (debug, value) = self.sigil_value(tokens, out);
                let key = match &value {
                    Expr::Place(p) => Some(place_text(p)),
                    _ => None,
                };
                parts.push(Part { key, value, debug });
                continue;
            }
            let value = self.segment_expr(tokens, out);
            if template.is_some() {
                positional.push(parts.len());
                parts.push(Part::positional(value));
            } else if logging && !(slog && i == 0) {
                // tracing's field shorthand: `info!(email, "…")` records `email = email`.
                let key = match &value {
                    Expr::Place(p) => Some(place_text(p)),
                    _ => None,
                };
                parts.push(Part {
                    key,
                    value,
                    debug: false,
                });
            } else {
                if i == 0 && matches!(name, "assert" | "debug_assert" | "ensure") {
                    out.push(Stmt::Branch {
                        condition: value.clone(),
                        span: value.span(),
                    });
                }
                parts.push(Part::positional(value));
            }
        }
        if let Some((value, lit)) = template {
            self.apply_template(&value, &lit, &positional, &named, &mut parts);
        }
        parts
    }

    /// Marks arguments the template renders with `{:?}` and adds its inline captures.
    fn apply_template(
        &mut self,
        template: &str,
        lit: &proc_macro2::Literal,
        positional: &[usize],
        named: &[(String, usize)],
        parts: &mut Vec<Part>,
    ) {
        let lit_span = self.sp(lit.span());
        let lit_text = self
            .src
            .get(lit_span.start as usize..lit_span.end as usize)
            .unwrap_or("")
            .to_string();
        let mut search_from = 0usize;
        for ph in placeholders(template) {
            match ph.arg {
                Arg::Index(n) => {
                    if let Some(&at) = positional.get(n)
                        && let Some(p) = parts.get_mut(at)
                    {
                        p.debug |= ph.debug;
                    }
                }
                Arg::Name(name) => {
                    if let Some((_, at)) = named.iter().find(|(k, _)| *k == name) {
                        if let Some(p) = parts.get_mut(*at) {
                            p.debug |= ph.debug;
                        }
                        continue;
                    }
                    // An inline capture: `{email}` reads the variable `email`.
                    let needle = format!("{{{name}");
                    let span = match lit_text.get(search_from..).and_then(|t| t.find(&needle)) {
                        Some(pos) => {
                            let start = lit_span.start as usize + search_from + pos + 1;
                            search_from += pos + needle.len();
                            Span::new(start, start + name.len())
                        }
                        None => lit_span,
                    };
                    parts.push(Part {
                        key: None,
                        value: Expr::Place(Place::var(name, span)),
                        debug: ph.debug,
                    });
                }
            }
        }
    }

    /// A value after an optional tracing/slog sigil: `%x` (display), `?x` / `#?x` (debug).
    fn sigil_value(&mut self, tokens: &[TokenTree], out: &mut Vec<Stmt>) -> (bool, Expr) {
        let mut rest = tokens;
        let mut debug = false;
        if let Some(TokenTree::Punct(p)) = rest.first() {
            match p.as_char() {
                '%' => rest = &rest[1..],
                '?' => {
                    debug = true;
                    rest = &rest[1..];
                }
                '#' if matches!(rest.get(1), Some(TokenTree::Punct(q)) if q.as_char() == '?') => {
                    debug = true;
                    rest = &rest[2..];
                }
                _ => {}
            }
        }
        (debug, self.segment_expr(rest, out))
    }

    /// One argument parsed as an expression; `Other` when it is not one.
    fn segment_expr(&mut self, tokens: &[TokenTree], out: &mut Vec<Stmt>) -> Expr {
        let span = self.tokens_span(tokens);
        let stream: TokenStream = tokens.iter().cloned().collect();
        match syn::parse2::<syn::Expr>(stream) {
            Ok(e) => self.expr(&e, out),
            Err(_) => Expr::Other(span),
        }
    }

    fn tokens_span(&self, tokens: &[TokenTree]) -> Span {
        match (tokens.first(), tokens.last()) {
            (Some(a), Some(b)) => {
                let s = a.span().join(b.span()).unwrap_or_else(|| a.span());
                self.sp(s)
            }
            _ => Span::default(),
        }
    }

    /// A `json!` value: objects and arrays become containers (objects keyed), the rest
    /// expressions.
    fn json(&mut self, tokens: TokenStream, span: Span, out: &mut Vec<Stmt>) -> Expr {
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        if !self.enter() {
            return Expr::Other(span);
        }
        let value = match trees.as_slice() {
            [TokenTree::Group(g)] if g.delimiter() == Delimiter::Brace => {
                let gspan = self.sp(g.span());
                let mut parts = Vec::new();
                for seg in split(g.stream()) {
                    let Some(colon) = seg.tokens.iter().position(
                        |t| matches!(t, TokenTree::Punct(p) if p.as_char() == ':' && p.spacing() == Spacing::Alone),
                    ) else {
                        continue;
                    };
                    let key = key_text(&seg.tokens[..colon]);
                    let rest: TokenStream = seg.tokens[colon + 1..].iter().cloned().collect();
                    let vspan = self.tokens_span(&seg.tokens[colon + 1..]);
                    let value = self.json(rest, vspan, out);
                    parts.push(Part {
                        key,
                        value,
                        debug: false,
                    });
                }
                compound(CompoundKind::Container, parts, gspan)
            }
            [TokenTree::Group(g)] if g.delimiter() == Delimiter::Bracket => {
                let gspan = self.sp(g.span());
                let mut parts = Vec::new();
                for seg in split(g.stream()) {
                    if seg.tokens.is_empty() {
                        continue;
                    }
                    let stream: TokenStream = seg.tokens.iter().cloned().collect();
                    let vspan = self.tokens_span(&seg.tokens);
                    parts.push(Part::positional(self.json(stream, vspan, out)));
                }
                compound(CompoundKind::Container, parts, gspan)
            }
            _ => self.segment_expr(&trees, out),
        };
        self.leave();
        value
    }
}

/// Splits macro tokens at top-level `,` and `;` (slog separates its key-values with `;`).
fn split(tokens: TokenStream) -> Vec<Segment> {
    let mut segments = Vec::new();
    let mut current = Vec::new();
    for tt in tokens {
        match &tt {
            TokenTree::Punct(p) if p.as_char() == ',' || p.as_char() == ';' => {
                segments.push(Segment {
                    tokens: std::mem::take(&mut current),
                });
            }
            _ => current.push(tt),
        }
    }
    if !current.is_empty() {
        segments.push(Segment { tokens: current });
    }
    segments
}

/// The index of a top-level `=>` (`=` joint with `>`).
fn fat_arrow_at(tokens: &[TokenTree]) -> Option<usize> {
    tokens.windows(2).position(|w| {
        matches!((&w[0], &w[1]), (TokenTree::Punct(a), TokenTree::Punct(b))
            if a.as_char() == '=' && a.spacing() == Spacing::Joint && b.as_char() == '>')
    })
}

/// The `=` of `key = value`, where `key` is `a`, `a.b.c` or a string literal.
fn assign_eq_at(tokens: &[TokenTree]) -> Option<usize> {
    let mut i = 0;
    match tokens.first()? {
        TokenTree::Literal(_) => i = 1,
        TokenTree::Ident(_) => {
            i += 1;
            while let (Some(TokenTree::Punct(p)), Some(TokenTree::Ident(_))) =
                (tokens.get(i), tokens.get(i + 1))
            {
                if p.as_char() != '.' {
                    break;
                }
                i += 2;
            }
        }
        _ => return None,
    }
    match tokens.get(i) {
        Some(TokenTree::Punct(p)) if p.as_char() == '=' => {
            let next_is_op = matches!(tokens.get(i + 1), Some(TokenTree::Punct(q))
                if p.spacing() == Spacing::Joint && matches!(q.as_char(), '=' | '>'));
            (!next_is_op).then_some(i)
        }
        _ => None,
    }
}

/// The text of a field key: `email`, `user.email`, `"email"`.
fn key_text(tokens: &[TokenTree]) -> Option<String> {
    if let [TokenTree::Literal(lit)] = tokens
        && let syn::Lit::Str(s) = syn::Lit::new(lit.clone())
    {
        return Some(s.value());
    }
    let mut key = String::new();
    for t in tokens {
        match t {
            TokenTree::Ident(id) => key.push_str(&id.unraw().to_string()),
            TokenTree::Punct(p) if p.as_char() == '.' => key.push('.'),
            _ => return None,
        }
    }
    (!key.is_empty()).then_some(key)
}

/// `target: "x"`, `parent: &span`, `name: "n"`: metadata, not data.
fn is_meta_key(tokens: &[TokenTree]) -> bool {
    matches!(
        (tokens.first(), tokens.get(1), tokens.get(2)),
        (Some(TokenTree::Ident(_)), Some(TokenTree::Punct(p)), next)
            if p.as_char() == ':' && p.spacing() == Spacing::Alone
                && !matches!(next, Some(TokenTree::Punct(q)) if q.as_char() == ':')
    )
}

/// `Level::INFO`, `tracing::Level::DEBUG`, `log::Level::Warn`.
fn is_level(tokens: &[TokenTree]) -> bool {
    let text: String = tokens
        .iter()
        .map(ToString::to_string)
        .collect::<String>()
        .replace(' ', "");
    let mut segs: Vec<&str> = text.split("::").collect();
    let Some(last) = segs.pop() else {
        return false;
    };
    segs.last() == Some(&"Level")
        && !last.is_empty()
        && last.chars().all(|c| c.is_alphanumeric() || c == '_')
}

fn is_sigil(t: &TokenTree) -> bool {
    matches!(t, TokenTree::Punct(p) if matches!(p.as_char(), '%' | '?'))
}

/// A segment that is exactly one string literal (`"…"`, `r#"…"#`): its value.
fn lone_string(tokens: &[TokenTree]) -> Option<(String, proc_macro2::Literal)> {
    match tokens {
        [TokenTree::Literal(lit)] => match syn::Lit::new(lit.clone()) {
            syn::Lit::Str(s) => Some((s.value(), lit.clone())),
            _ => None,
        },
        // A literal wrapped in an invisible group (from macro expansion) is not expected here.
        _ => None,
    }
}

/// The placeholders of a format string in order, positional ones numbered.
fn placeholders(template: &str) -> Vec<Placeholder> {
    let mut found = Vec::new();
    let mut next = 0usize;
    let mut rest = template;
    while let Some(open) = rest.find(['{', '}']) {
        let after = &rest[open + 1..];
        if rest[open..].starts_with('}') {
            rest = after.strip_prefix('}').unwrap_or(after);
            continue;
        }
        if let Some(stripped) = after.strip_prefix('{') {
            rest = stripped;
            continue;
        }
        let Some(close) = after.find('}') else {
            break;
        };
        let inner = &after[..close];
        rest = &after[close + 1..];
        let (arg, spec) = inner.split_once(':').unwrap_or((inner, ""));
        let arg = arg.trim();
        if spec.contains(".*") {
            next += 1; // the precision comes from the next positional argument
        }
        let debug = spec.contains('?');
        let arg = if arg.is_empty() {
            next += 1;
            Arg::Index(next - 1)
        } else if let Ok(n) = arg.parse::<usize>() {
            Arg::Index(n)
        } else if arg.chars().all(|c| c.is_alphanumeric() || c == '_') {
            Arg::Name(arg.trim_start_matches("r#").to_string())
        } else {
            continue;
        };
        found.push(Placeholder { arg, debug });
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_parse() {
        let ph = placeholders("a {} {:?} {{x}} {name} {0:#?} {email:?} {:.*}");
        let shown: Vec<String> = ph
            .iter()
            .map(|p| match &p.arg {
                Arg::Index(n) => format!("{n}{}", if p.debug { "?" } else { "" }),
                Arg::Name(s) => format!("{s}{}", if p.debug { "?" } else { "" }),
            })
            .collect();
        assert_eq!(shown, ["0", "1?", "name", "0?", "email?", "3"]);
    }
}
