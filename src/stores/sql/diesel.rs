//! Diesel's `table!` macro, read by hand: it is a small grammar of its own, not SQL.
//!
//! ```text
//! [use ...;]*  [#[attr]]*  [schema.]name [(pk, ...)] {  ([#[attr]]* column -> Type,)*  }
//! ```
//! `#[sql_name = "..."]` on the table or a column gives the name in the database.

use super::{Column, Table};
use crate::ir::Span;

/// Reads the body of `diesel::table! { users (id) { id -> Integer, email -> Text, } }` (the
/// whole invocation is accepted too). Names are lowercased as in SQL tables; spans are byte
/// ranges into `body`; `ty` is the Diesel type as written (`Nullable<Text>`). `None` when the
/// text is not a table definition.
pub fn parse_diesel_table_macro(body: &str) -> Option<Table> {
    let mut p = Cursor { text: body, pos: 0 };
    // The invocation itself, when given: `diesel::table! {` or `table!(`.
    p.skip_trivia();
    let save = p.pos;
    if p.path().is_some_and(|(name, _)| name.ends_with("table")) && p.eat("!") {
        p.skip_trivia();
        if !(p.eat("{") || p.eat("(") || p.eat("[")) {
            return None;
        }
    } else {
        p.pos = save;
    }
    let mut sql_name = None;
    loop {
        p.skip_trivia();
        if p.rest().starts_with("use ") {
            p.pos = p.text[p.pos..].find(';').map(|i| p.pos + i + 1)?;
        } else if p.rest().starts_with("#[") {
            if let Some(name) = p.attribute()? {
                sql_name = Some(name);
            }
        } else {
            break;
        }
    }
    let (path, span) = p.path()?;
    let rust_name = path.rsplit('.').next().unwrap_or(&path).to_string();
    p.skip_trivia();
    if p.eat("(") {
        p.pos = p.text[p.pos..].find(')').map(|i| p.pos + i + 1)?;
        p.skip_trivia();
    }
    if !p.eat("{") {
        return None;
    }
    let mut table = Table {
        name: sql_name.unwrap_or(rust_name).to_lowercase(),
        columns: Vec::new(),
        span,
        foreign_keys: Vec::new(),
        created: true,
    };
    loop {
        let mut column_sql_name = None;
        loop {
            p.skip_trivia();
            if p.rest().starts_with("#[") {
                if let Some(name) = p.attribute()? {
                    column_sql_name = Some(name);
                }
            } else {
                break;
            }
        }
        if p.eat("}") {
            return Some(table);
        }
        let (name, span) = p.ident()?;
        p.skip_trivia();
        if !p.eat("->") {
            return None;
        }
        p.skip_trivia();
        let ty = p.type_text()?;
        table.columns.push(Column {
            name: column_sql_name.unwrap_or(name).to_lowercase(),
            ty: Some(ty),
            span,
        });
        p.skip_trivia();
        p.eat(",");
    }
}

struct Cursor<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }

    fn eat(&mut self, token: &str) -> bool {
        if self.rest().starts_with(token) {
            self.pos += token.len();
            true
        } else {
            false
        }
    }

    /// Whitespace and comments (`//`, `///`, `/* */`).
    fn skip_trivia(&mut self) {
        loop {
            let rest = self.rest();
            let trimmed = rest.trim_start();
            self.pos += rest.len() - trimmed.len();
            if trimmed.starts_with("//") {
                self.pos += trimmed.find('\n').unwrap_or(trimmed.len());
            } else if trimmed.starts_with("/*") {
                self.pos += trimmed.find("*/").map_or(trimmed.len(), |i| i + 2);
            } else {
                return;
            }
        }
    }

    /// An identifier (a raw `r#type` loses its prefix).
    fn ident(&mut self) -> Option<(String, Span)> {
        let raw = self.rest().starts_with("r#");
        let start = self.pos + if raw { 2 } else { 0 };
        let len = self.text[start..]
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(self.text.len() - start);
        let first = self.text[start..].chars().next()?;
        if len == 0 || first.is_ascii_digit() {
            return None;
        }
        self.pos = start + len;
        Some((
            self.text[start..start + len].to_string(),
            Span::new(start, start + len),
        ))
    }

    /// `a`, `a.b` (schema-qualified table) or `a::b` (macro path); the span is the last part's.
    fn path(&mut self) -> Option<(String, Span)> {
        let (mut name, mut span) = self.ident()?;
        loop {
            let save = self.pos;
            let sep = if self.eat("::") {
                "::"
            } else if self.eat(".") {
                "."
            } else {
                return Some((name, span));
            };
            let Some((part, s)) = self.ident() else {
                self.pos = save;
                return Some((name, span));
            };
            name.push_str(sep);
            name.push_str(&part);
            span = s;
        }
    }

    /// `#[...]`: its `sql_name = "..."` when it is one. `None` when it does not close.
    #[allow(clippy::option_option)]
    fn attribute(&mut self) -> Option<Option<String>> {
        let start = self.pos + 2;
        let end = start + self.text[start..].find(']')?;
        self.pos = end + 1;
        let inner = self.text[start..end].trim();
        let value = inner
            .strip_prefix("sql_name")
            .and_then(|r| r.trim_start().strip_prefix('='));
        Some(value.and_then(|v| {
            let v = v.trim();
            v.strip_prefix('"')?.strip_suffix('"').map(str::to_string)
        }))
    }

    /// A type up to the `,` or `}` that ends it, outside `<...>` and `(...)`.
    fn type_text(&mut self) -> Option<String> {
        let start = self.pos;
        let mut depth = 0usize;
        for (i, c) in self.rest().char_indices() {
            match c {
                '<' | '(' => depth += 1,
                '>' | ')' => depth = depth.checked_sub(1)?,
                ',' | '}' if depth == 0 => {
                    self.pos = start + i;
                    let ty = self.text[start..self.pos].trim();
                    return (!ty.is_empty()).then(|| ty.split_whitespace().collect());
                }
                _ => {}
            }
        }
        None
    }
}
