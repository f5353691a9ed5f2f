//! SQL read with a real parser: tables, columns and foreign keys from schemas and migrations, and
//! the operations (INSERT, UPDATE, DELETE, SELECT, TRUNCATE, DROP) of SQL strings found in code.
//!
//! Parsing is done by the `sqlparser` crate over several dialects (generic, `PostgreSQL`,
//! `MySQL`, `SQLite`): the first that accepts the text wins. A file that no dialect accepts as a whole is
//! split into statements (on `;` outside quotes, comments and dollar quotes) and each is parsed on
//! its own, so one statement the parser cannot read costs only that statement, noted in
//! [`Schema::problems`]. Nothing here panics on any input.
//!
//! Names are unquoted and lowercased, and a schema-qualified name keeps only its last part
//! (`public."Users"` is `users`). Every span is a byte range into the text that was given.

mod diesel;
#[cfg(test)]
mod tests;

pub use diesel::parse_diesel_table_macro;

use crate::ir::Span;
use sqlparser::ast::{
    self, AlterTableOperation, AssignmentTarget, BinaryOperator, ColumnOption, DataType,
    DateTimeField, Expr, FromTable, FunctionArg, FunctionArgExpr, FunctionArguments, InTarget,
    ObjectName, ObjectNamePart, ReferentialAction, SelectItem, SetExpr, Statement, TableConstraint,
    TableFactor, TableObject, TableWithJoins, UnaryOperator, Value,
};
use sqlparser::dialect::{self as sd};
use sqlparser::parser::Parser;
use std::fmt::Write as _;

/// The SQL dialects tried, in the order given by [`Dialect::order`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dialect {
    Generic,
    Postgres,
    MySql,
    Sqlite,
}

impl Dialect {
    const ALL: [Dialect; 4] = [
        Dialect::Generic,
        Dialect::Postgres,
        Dialect::MySql,
        Dialect::Sqlite,
    ];

    /// The dialects to try for `text`: the one its tell-tale syntax points at first (backticks:
    /// `MySQL`; `AUTOINCREMENT`, `PRAGMA`: `SQLite`; `$$`, `SERIAL`, `::`: `PostgreSQL`), then the
    /// generic dialect, then the rest.
    pub fn order(text: &str) -> Vec<Dialect> {
        let upper_hint = |needle: &str| {
            text.as_bytes()
                .windows(needle.len())
                .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
        };
        let hint = if text.contains('`') || upper_hint("ENGINE=") || upper_hint("AUTO_INCREMENT") {
            Some(Dialect::MySql)
        } else if upper_hint("AUTOINCREMENT") || upper_hint("PRAGMA ") {
            Some(Dialect::Sqlite)
        } else if text.contains("$$") || text.contains("::") || upper_hint("SERIAL") {
            Some(Dialect::Postgres)
        } else {
            None
        };
        Self::order_from(hint)
    }

    fn order_from(first: Option<Dialect>) -> Vec<Dialect> {
        let mut order = Vec::with_capacity(4);
        order.extend(first);
        for d in Self::ALL {
            if !order.contains(&d) {
                order.push(d);
            }
        }
        order
    }

    fn parse(self, text: &str) -> Result<Vec<Statement>, String> {
        // The default recursion limit (50) keeps deeply nested input from overflowing the stack.
        let result = match self {
            Dialect::Generic => Parser::parse_sql(&sd::GenericDialect {}, text),
            Dialect::Postgres => Parser::parse_sql(&sd::PostgreSqlDialect {}, text),
            Dialect::MySql => Parser::parse_sql(&sd::MySqlDialect {}, text),
            Dialect::Sqlite => Parser::parse_sql(&sd::SQLiteDialect {}, text),
        };
        result.map_err(|e| e.to_string())
    }
}

/// A table defined (`CREATE TABLE`) or altered (`ALTER TABLE`) in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    /// Unquoted, lowercased; a schema-qualified name keeps only the table name.
    pub name: String,
    pub columns: Vec<Column>,
    /// The table name in the source.
    pub span: Span,
    /// Every foreign key of the table, inline (`REFERENCES`) or table-level, with its
    /// `ON DELETE` action; [`Table::cascades`] keeps those that delete with their parent.
    pub foreign_keys: Vec<ForeignKey>,
    /// `true` for `CREATE TABLE`; `false` when the text only alters a table defined elsewhere
    /// (another migration), so the caller merges it by name.
    pub created: bool,
}

impl Table {
    /// The foreign keys whose rows are deleted with their parent row (`ON DELETE CASCADE`).
    pub fn cascades(&self) -> impl Iterator<Item = &ForeignKey> {
        self.foreign_keys
            .iter()
            .filter(|fk| fk.on_delete == Some(OnDelete::Cascade))
    }

    /// The column called `name` (already lowercase).
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// A column of a [`Table`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Column {
    /// Unquoted, lowercased.
    pub name: String,
    /// The declared type as written by the parser (`VARCHAR(255)`), when there is one.
    pub ty: Option<String>,
    /// The column name in the source.
    pub span: Span,
}

/// A foreign key: `columns` of the child table refer to the parent table `references`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForeignKey {
    /// The child's columns, lowercased.
    pub columns: Vec<String>,
    /// The parent table, as [`Table::name`].
    pub references: String,
    pub on_delete: Option<OnDelete>,
}

/// The `ON DELETE` action of a foreign key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnDelete {
    Cascade,
    SetNull,
    SetDefault,
    Restrict,
    NoAction,
}

/// What a statement does to a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpKind {
    Insert,
    Update,
    Delete,
    Select,
    Truncate,
    Drop,
}

/// One statement's effect on one table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Operation {
    pub kind: OpKind,
    /// As [`Table::name`].
    pub table: String,
    /// The table name in the source.
    pub span: Span,
    /// Columns written (INSERT column list, UPDATE SET) or read (SELECT list), lowercased,
    /// without qualifiers, in order, without duplicates.
    pub columns: Vec<String>,
    /// Every column: `SELECT *` (or `t.*`), or an INSERT without a column list.
    pub all_columns: bool,
    /// UPDATE SET columns assigned NULL, a constant (`''`, `'REDACTED'`, `0`), or the result of a
    /// function whose name says it hashes, masks or redacts (`md5(email)`, `sha256(...)`,
    /// `mask_email(...)`); not a parameter, another column, or `concat('x', ...)`.
    pub anonymises: Vec<String>,
    /// The WHERE clause keeps only rows older than something (`created_at < now() - interval
    /// '90 days'`).
    pub filter_age: Option<AgeFilter>,
    /// Every row: DELETE or UPDATE without WHERE, TRUNCATE, DROP.
    pub all_rows: bool,
}

/// A condition on a row's age.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AgeFilter {
    /// The time column compared, lowercased.
    pub column: String,
    /// How old the rows are, as an ISO 8601 duration (`P90D`, `P1Y`, `PT12H`; `PT0S` against the
    /// current time itself), when the text says it; `None` for a parameter or an expression this
    /// reader does not follow.
    pub duration: Option<String>,
}

/// Something in the text that could not be read; the rest was still read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The statement that was skipped.
    pub span: Span,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// Everything read from one text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Schema {
    /// In order of first appearance; a table created and then altered in the same text is one
    /// entry.
    pub tables: Vec<Table>,
    /// In statement order.
    pub operations: Vec<Operation>,
    pub problems: Vec<Problem>,
    /// The dialect that read the text (the first one, when statements needed different ones).
    pub dialect: Option<Dialect>,
}

impl Schema {
    /// The table called `name` (lowercase).
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }
}

/// Reads a `.sql` file or migration: every statement. `CREATE TABLE` (columns, inline
/// `REFERENCES`, table-level `FOREIGN KEY ... ON DELETE ...`), `ALTER TABLE ... ADD COLUMN` and
/// `ADD CONSTRAINT`, and the DML statements as [`Operation`]s. A statement no dialect parses is
/// skipped with a [`Problem`]; the others are still read.
pub fn parse_file(text: &str) -> Schema {
    parse_file_with(text, None)
}

/// As [`parse_file`], trying `dialect` first (from the file's path or the project's driver).
pub fn parse_file_as(text: &str, dialect: Dialect) -> Schema {
    parse_file_with(text, Some(dialect))
}

fn parse_file_with(text: &str, first: Option<Dialect>) -> Schema {
    let order = match first {
        Some(d) => Dialect::order_from(Some(d)),
        None => Dialect::order(text),
    };
    let mut reader = Reader::default();
    for &dialect in &order {
        if let Ok(statements) = dialect.parse(text) {
            let source = Source::new(text, 0);
            reader.schema.dialect = Some(dialect);
            for statement in &statements {
                reader.statement(&source, statement);
            }
            return reader.schema;
        }
    }
    // No dialect reads the whole text: read it statement by statement.
    let mut order = order;
    let (mut line, mut counted) = (1, 0);
    for (start, end) in split_statements(text) {
        let chunk = &text[start..end];
        let mut first_error = None;
        let mut parsed = None;
        for (i, &dialect) in order.iter().enumerate() {
            match dialect.parse(chunk) {
                Ok(statements) => {
                    parsed = Some(statements);
                    // Keep trying the dialect that worked last first.
                    order[..=i].rotate_right(1);
                    break;
                }
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        if let Some(statements) = parsed {
            let source = Source::new(chunk, start);
            reader.schema.dialect.get_or_insert(order[0]);
            for statement in &statements {
                reader.statement(&source, statement);
            }
        } else {
            line += text[counted..start].bytes().filter(|&b| b == b'\n').count();
            counted = start;
            let error = first_error.unwrap_or_default();
            reader.schema.problems.push(Problem {
                span: Span::new(start, end),
                message: format!(
                    "SQL statement at line {line} skipped: {}",
                    relocate_error(&error, line)
                ),
            });
        }
    }
    reader.schema
}

/// sqlparser's errors say `at Line: L, Column: C` within the statement; make the line the file's.
fn relocate_error(error: &str, first_line: usize) -> String {
    let Some(at) = error.find("Line: ") else {
        return error.to_string();
    };
    let digits: String = error[at + 6..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    match digits.parse::<usize>() {
        Ok(line) => format!(
            "{}Line: {}{}",
            &error[..at],
            line + first_line - 1,
            &error[at + 6 + digits.len()..]
        ),
        Err(_) => error.to_string(),
    }
}

/// Reads one SQL string literal from code (`"DELETE FROM users WHERE id = $1"`). Placeholders
/// `$1`, `?`, `?1`, `:name`, `@name`, `%s` and `%(name)s` are accepted (the last two are read as
/// `?`, keeping every byte offset). `None` when the text is not SQL, or is SQL that names no
/// table (`SELECT 1`, or English that happens to parse: "select a file").
pub fn parse_query(text: &str) -> Option<Schema> {
    if !looks_like_sql(text) {
        return None;
    }
    let normalised = normalise_placeholders(text);
    for dialect in Dialect::order(&normalised) {
        if let Ok(statements) = dialect.parse(&normalised) {
            let source = Source::new(&normalised, 0);
            let mut reader = Reader::default();
            reader.schema.dialect = Some(dialect);
            for statement in &statements {
                reader.statement(&source, statement);
            }
            let schema = reader.schema;
            return (!schema.tables.is_empty() || !schema.operations.is_empty()).then_some(schema);
        }
    }
    None
}

/// English words no query uses as a name.
const ENGLISH: &[&str] = &[
    "the", "this", "that's", "your", "you", "please", "my", "our", "their", "these", "those",
    "it's",
];

/// What `CREATE`, `ALTER` and `DROP` act on.
const OBJECTS: &[&str] = &[
    "table",
    "index",
    "view",
    "schema",
    "type",
    "sequence",
    "function",
    "trigger",
    "extension",
    "database",
    "procedure",
    "materialized",
    "unique",
    "temporary",
    "temp",
    "column",
    "constraint",
    "virtual",
    "domain",
    "policy",
    "role",
    "user",
];

/// A cheap pre-check before [`parse_query`]: after whitespace and comments, the text starts with
/// a statement keyword and has the keyword that statement needs (`SELECT ... FROM`, `DELETE
/// FROM`, `UPDATE ... SET`, `INSERT INTO`, `CREATE TABLE`, ...), and none of the English words
/// (`the`, `this`, `your`, `please`, ...) that no query uses as a name.
pub fn looks_like_sql(text: &str) -> bool {
    let words = words_outside_quotes(skip_space_and_comments(text), 64);
    let Some(first) = words.first() else {
        return false;
    };
    let has = |needles: &[&str]| {
        words[1..]
            .iter()
            .any(|w| needles.iter().any(|n| w.eq_ignore_ascii_case(n)))
    };
    if has(ENGLISH) {
        return false;
    }
    match first.to_ascii_lowercase().as_str() {
        "select" | "delete" => has(&["from"]),
        "update" => has(&["set"]),
        "insert" | "replace" => has(&["into", "values"]),
        "merge" => has(&["into", "using"]),
        "with" => has(&["as"]) && has(&["select", "insert", "update", "delete"]),
        "create" | "alter" | "drop" => has(OBJECTS),
        "truncate" => words.len() >= 2,
        _ => false,
    }
}

fn skip_space_and_comments(mut text: &str) -> &str {
    loop {
        text = text.trim_start();
        if let Some(rest) = text.strip_prefix("--") {
            text = rest.split_once('\n').map_or("", |(_, r)| r);
        } else if let Some(rest) = text.strip_prefix("/*") {
            text = rest.split_once("*/").map_or("", |(_, r)| r);
        } else {
            return text;
        }
    }
}

/// The first `limit` words (letters, digits, `_`, `'` inside a word) outside quoted parts.
fn words_outside_quotes(text: &str, limit: usize) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut words = Vec::new();
    let mut i = 0;
    while i < bytes.len() && words.len() < limit {
        let b = bytes[i];
        if b == b'\'' || b == b'"' || b == b'`' {
            i = skip_quoted(bytes, i);
        } else if b.is_ascii_alphabetic() || b == b'_' {
            let start = i;
            while i < bytes.len()
                && (bytes[i].is_ascii_alphanumeric()
                    || bytes[i] == b'_'
                    || (bytes[i] == b'\'' && bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic)))
            {
                i += 1;
            }
            words.push(&text[start..i]);
        } else {
            i += 1;
        }
    }
    words
}

/// The index after the quoted part that starts at `i` (doubled quotes and backslashes escape).
fn skip_quoted(bytes: &[u8], i: usize) -> usize {
    let quote = bytes[i];
    let mut j = i + 1;
    while j < bytes.len() {
        if bytes[j] == b'\\' && quote != b'`' {
            j += 2;
            continue;
        }
        if bytes[j] == quote {
            if bytes.get(j + 1) == Some(&quote) {
                j += 2;
                continue;
            }
            return j + 1;
        }
        j += 1;
    }
    bytes.len()
}

/// `%s` → `? ` and `%(name)s` → `?` plus spaces, outside quotes, so every other byte keeps its
/// offset. The other placeholder styles parse as they are.
fn normalise_placeholders(text: &str) -> String {
    if !text.contains('%') {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\'' | b'"' | b'`' => {
                let end = skip_quoted(bytes, i);
                out.extend_from_slice(&bytes[i..end]);
                i = end;
            }
            b'%' if bytes.get(i + 1) == Some(&b's') => {
                out.extend_from_slice(b"? ");
                i += 2;
            }
            b'%' if bytes.get(i + 1) == Some(&b'(') => {
                let close = bytes[i + 2..]
                    .iter()
                    .position(|&b| b == b')')
                    .map(|p| i + 2 + p);
                match close {
                    Some(c) if bytes.get(c + 1) == Some(&b's') => {
                        out.push(b'?');
                        out.resize(out.len() + (c + 1 - i), b' ');
                        i = c + 2;
                    }
                    _ => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    // Only ASCII was replaced by ASCII, at ASCII boundaries.
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// Splits `text` into statements on `;` outside quotes, comments and dollar quotes. Each range
/// starts at the statement's first token (after leading blanks and comments); empty statements
/// are dropped.
pub(crate) fn split_statements(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut ranges = Vec::new();
    let mut start = 0;
    let mut i = 0;
    let push = |start: usize, end: usize, ranges: &mut Vec<(usize, usize)>| {
        let chunk = &text[start..end];
        let lead = chunk.len() - skip_space_and_comments(chunk).len();
        if start + lead < end {
            ranges.push((start + lead, end));
        }
    };
    while i < bytes.len() {
        match bytes[i] {
            b'\'' | b'"' | b'`' => i = skip_quoted(bytes, i),
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                i = bytes[i..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(bytes.len(), |p| i + p + 1);
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = text[i + 2..]
                    .find("*/")
                    .map_or(bytes.len(), |p| i + 2 + p + 2);
            }
            b'$' => {
                // `$tag$ ... $tag$` (the tag may be empty); `$1` is a placeholder.
                let tag_end = bytes[i + 1..]
                    .iter()
                    .position(|&b| !(b.is_ascii_alphanumeric() || b == b'_'))
                    .map_or(bytes.len(), |p| i + 1 + p);
                let tag_ok = bytes.get(tag_end) == Some(&b'$')
                    && !bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
                if tag_ok {
                    let tag = &text[i..=tag_end];
                    i = text[tag_end + 1..]
                        .find(tag)
                        .map_or(bytes.len(), |p| tag_end + 1 + p + tag.len());
                } else {
                    i += 1;
                }
            }
            b';' => {
                push(start, i, &mut ranges);
                i += 1;
                start = i;
            }
            _ => i += 1,
        }
    }
    push(start, bytes.len().max(start), &mut ranges);
    ranges
}

/// Turns sqlparser's line/column locations (1-based, columns in characters) into byte offsets
/// of the original text.
struct Source<'a> {
    text: &'a str,
    base: usize,
    line_starts: Vec<usize>,
}

impl<'a> Source<'a> {
    fn new(text: &'a str, base: usize) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        Self {
            text,
            base,
            line_starts,
        }
    }

    fn offset(&self, loc: sqlparser::tokenizer::Location) -> Option<usize> {
        let line = usize::try_from(loc.line).ok()?.checked_sub(1)?;
        let column = usize::try_from(loc.column).ok()?.checked_sub(1)?;
        let start = *self.line_starts.get(line)?;
        let rest = &self.text[start..];
        let within = rest
            .char_indices()
            .nth(column)
            .map_or(rest.len(), |(i, _)| i);
        Some(start + within)
    }

    fn span(&self, span: sqlparser::tokenizer::Span) -> Span {
        match (self.offset(span.start), self.offset(span.end)) {
            (Some(s), Some(e)) => Span::new(self.base + s, self.base + e),
            (Some(s), None) => Span::new(self.base + s, self.base + s),
            _ => Span::new(self.base, self.base),
        }
    }
}

/// The table name of an object name: its last identifier, unquoted and lowercased.
fn object_name(name: &ObjectName) -> Option<(String, sqlparser::tokenizer::Span)> {
    name.0.iter().rev().find_map(|part| match part {
        ObjectNamePart::Identifier(ident) => Some((ident.value.to_lowercase(), ident.span)),
        ObjectNamePart::Function(_) => None,
    })
}

fn on_delete(action: Option<ReferentialAction>) -> Option<OnDelete> {
    action.map(|a| match a {
        ReferentialAction::Cascade => OnDelete::Cascade,
        ReferentialAction::SetNull => OnDelete::SetNull,
        ReferentialAction::SetDefault => OnDelete::SetDefault,
        ReferentialAction::Restrict => OnDelete::Restrict,
        ReferentialAction::NoAction => OnDelete::NoAction,
    })
}

fn push_unique(list: &mut Vec<String>, name: String) {
    if !list.contains(&name) {
        list.push(name);
    }
}

#[derive(Default)]
struct Reader {
    schema: Schema,
    /// Where each table name is in `schema.tables`.
    index: std::collections::HashMap<String, usize>,
}

impl Reader {
    /// The table `name` of this text, added (as altered, not created) when it is new.
    fn table_mut(&mut self, name: String, span: Span, created: bool) -> &mut Table {
        if let Some(&i) = self.index.get(&name) {
            let table = &mut self.schema.tables[i];
            if created && !table.created {
                table.created = true;
                table.span = span;
            }
            return table;
        }
        let index = self.schema.tables.len();
        self.index.insert(name.clone(), index);
        self.schema.tables.push(Table {
            name,
            columns: Vec::new(),
            span,
            foreign_keys: Vec::new(),
            created,
        });
        &mut self.schema.tables[index]
    }

    fn statement(&mut self, src: &Source, statement: &Statement) {
        match statement {
            Statement::CreateTable(create) => {
                let Some((name, span)) = object_name(&create.name) else {
                    return;
                };
                let table = self.table_mut(name, src.span(span), true);
                for column in &create.columns {
                    add_column(table, src, column);
                }
                for constraint in &create.constraints {
                    add_constraint(table, constraint);
                }
                if let Some(query) = &create.query {
                    self.query(src, query);
                }
            }
            Statement::AlterTable(alter) => {
                let Some((name, span)) = object_name(&alter.name) else {
                    return;
                };
                let table = self.table_mut(name, src.span(span), false);
                for op in &alter.operations {
                    match op {
                        AlterTableOperation::AddColumn { column_def, .. } => {
                            add_column(table, src, column_def);
                        }
                        AlterTableOperation::AddConstraint { constraint, .. } => {
                            add_constraint(table, constraint);
                        }
                        _ => {}
                    }
                }
            }
            Statement::Insert(insert) => {
                let TableObject::TableName(name) = &insert.table else {
                    return;
                };
                let Some((table, span)) = object_name(name) else {
                    return;
                };
                let mut op = Operation::new(OpKind::Insert, table, src.span(span));
                for column in &insert.columns {
                    if let Some((c, _)) = object_name(column) {
                        push_unique(&mut op.columns, c);
                    }
                }
                for assignment in &insert.assignments {
                    for c in assignment_columns(&assignment.target) {
                        push_unique(&mut op.columns, c);
                    }
                }
                op.all_columns = op.columns.is_empty();
                self.schema.operations.push(op);
                if let Some(source) = &insert.source {
                    self.query(src, source);
                }
            }
            Statement::Update(update) => {
                let Some((table, span, _)) = relation_name(&update.table.relation) else {
                    return;
                };
                let mut op = Operation::new(OpKind::Update, table, src.span(span));
                for assignment in &update.assignments {
                    let anonymising = anonymises(&assignment.value);
                    for c in assignment_columns(&assignment.target) {
                        if anonymising {
                            push_unique(&mut op.anonymises, c.clone());
                        }
                        push_unique(&mut op.columns, c);
                    }
                }
                op.all_rows = update.selection.is_none();
                op.filter_age = update.selection.as_ref().and_then(age_filter);
                self.schema.operations.push(op);
                if let Some(selection) = &update.selection {
                    self.subqueries(src, selection);
                }
            }
            Statement::Delete(delete) => {
                let (FromTable::WithFromKeyword(from) | FromTable::WithoutKeyword(from)) =
                    &delete.from;
                // `DELETE t1 FROM t1 JOIN t2` (MySQL) deletes from the tables listed first.
                let mut targets: Vec<(String, sqlparser::tokenizer::Span)> =
                    delete.tables.iter().filter_map(object_name).collect();
                if targets.is_empty() {
                    targets.extend(
                        from.iter()
                            .filter_map(|t| relation_name(&t.relation))
                            .map(|(n, s, _)| (n, s)),
                    );
                } else {
                    // Aliases resolve to their tables.
                    let tables = tables_with_aliases(from);
                    for target in &mut targets {
                        if let Some((name, span, _)) =
                            tables.iter().find(|(_, _, alias)| *alias == target.0)
                        {
                            *target = (name.clone(), *span);
                        }
                    }
                }
                let filter_age = delete.selection.as_ref().and_then(age_filter);
                for (table, span) in targets {
                    let mut op = Operation::new(OpKind::Delete, table, src.span(span));
                    op.all_rows = delete.selection.is_none();
                    op.filter_age.clone_from(&filter_age);
                    self.schema.operations.push(op);
                }
                if let Some(selection) = &delete.selection {
                    self.subqueries(src, selection);
                }
            }
            Statement::Query(query) => self.query(src, query),
            Statement::Truncate(truncate) => {
                for target in &truncate.table_names {
                    if let Some((table, span)) = object_name(&target.name) {
                        let mut op = Operation::new(OpKind::Truncate, table, src.span(span));
                        op.all_rows = true;
                        self.schema.operations.push(op);
                    }
                }
            }
            Statement::Drop {
                object_type: ast::ObjectType::Table,
                names,
                ..
            } => {
                for name in names {
                    if let Some((table, span)) = object_name(name) {
                        let mut op = Operation::new(OpKind::Drop, table, src.span(span));
                        op.all_rows = true;
                        self.schema.operations.push(op);
                    }
                }
            }
            _ => {}
        }
    }

    fn query(&mut self, src: &Source, query: &ast::Query) {
        if let Some(with) = &query.with {
            for cte in &with.cte_tables {
                self.query(src, &cte.query);
            }
        }
        self.set_expr(src, &query.body);
    }

    fn set_expr(&mut self, src: &Source, body: &SetExpr) {
        match body {
            SetExpr::Select(select) => self.select(src, select),
            SetExpr::Query(query) => self.query(src, query),
            SetExpr::SetOperation { left, right, .. } => {
                self.set_expr(src, left);
                self.set_expr(src, right);
            }
            SetExpr::Insert(s) | SetExpr::Update(s) | SetExpr::Delete(s) => self.statement(src, s),
            _ => {}
        }
    }

    /// One Select operation per table in FROM; a qualified column goes to the table its
    /// qualifier names, an unqualified one to the first table.
    fn select(&mut self, src: &Source, select: &ast::Select) {
        let tables = tables_with_aliases(&select.from);
        let first_op = self.schema.operations.len();
        for (name, span, _) in &tables {
            self.schema.operations.push(Operation::new(
                OpKind::Select,
                name.clone(),
                src.span(*span),
            ));
        }
        let find = |qualifier: Option<&str>| -> Option<usize> {
            match qualifier {
                None => (!tables.is_empty()).then_some(0),
                Some(q) => tables
                    .iter()
                    .position(|(name, _, alias)| alias == q || name == q),
            }
        };
        for item in &select.projection {
            let (target, column) = match item {
                SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => {
                    match column_ref(e) {
                        Some((q, c)) => (find(q.as_deref()), Some(c)),
                        None => (None, None),
                    }
                }
                SelectItem::Wildcard(_) => (find(None), None),
                SelectItem::QualifiedWildcard(kind, _) => {
                    let q = match kind {
                        ast::SelectItemQualifiedWildcardKind::ObjectName(n) => {
                            object_name(n).map(|(n, _)| n)
                        }
                        ast::SelectItemQualifiedWildcardKind::Expr(_) => None,
                    };
                    (q.and_then(|q| find(Some(&q))), None)
                }
                SelectItem::ExprWithAliases { .. } => (None, None),
            };
            let Some(index) = target else { continue };
            let op = &mut self.schema.operations[first_op + index];
            match column {
                Some(c) => push_unique(&mut op.columns, c),
                None => op.all_columns = true,
            }
        }
        if let Some(selection) = &select.selection {
            self.subqueries(src, selection);
        }
        for table in &select.from {
            let factors =
                std::iter::once(&table.relation).chain(table.joins.iter().map(|j| &j.relation));
            for factor in factors {
                if let TableFactor::Derived { subquery, .. } = factor {
                    self.query(src, subquery);
                }
            }
        }
    }

    /// The queries inside a WHERE clause (`IN (SELECT ...)`, `EXISTS (...)`).
    fn subqueries(&mut self, src: &Source, expr: &Expr) {
        match expr {
            Expr::BinaryOp { left, right, .. } => {
                self.subqueries(src, left);
                self.subqueries(src, right);
            }
            Expr::Nested(e) | Expr::UnaryOp { expr: e, .. } => self.subqueries(src, e),
            Expr::In {
                target: InTarget::Subquery(query),
                ..
            }
            | Expr::Exists {
                subquery: query, ..
            }
            | Expr::Subquery(query) => self.query(src, query),
            _ => {}
        }
    }
}

impl Operation {
    fn new(kind: OpKind, table: String, span: Span) -> Self {
        Self {
            kind,
            table,
            span,
            columns: Vec::new(),
            all_columns: false,
            anonymises: Vec::new(),
            filter_age: None,
            all_rows: false,
        }
    }
}

fn add_column(table: &mut Table, src: &Source, column: &ast::ColumnDef) {
    let name = column.name.value.to_lowercase();
    let ty = (column.data_type != DataType::Unspecified).then(|| column.data_type.to_string());
    for option in &column.options {
        if let ColumnOption::ForeignKey(fk) = &option.option
            && let Some((parent, _)) = object_name(&fk.foreign_table)
        {
            table.foreign_keys.push(ForeignKey {
                columns: vec![name.clone()],
                references: parent,
                on_delete: on_delete(fk.on_delete),
            });
        }
    }
    let span = src.span(column.name.span);
    match table.columns.iter_mut().find(|c| c.name == name) {
        Some(existing) => {
            existing.ty = ty;
            existing.span = span;
        }
        None => table.columns.push(Column { name, ty, span }),
    }
}

fn add_constraint(table: &mut Table, constraint: &TableConstraint) {
    if let TableConstraint::ForeignKey(fk) = constraint
        && let Some((parent, _)) = object_name(&fk.foreign_table)
    {
        table.foreign_keys.push(ForeignKey {
            columns: fk.columns.iter().map(|c| c.value.to_lowercase()).collect(),
            references: parent,
            on_delete: on_delete(fk.on_delete),
        });
    }
}

fn assignment_columns(target: &AssignmentTarget) -> Vec<String> {
    match target {
        AssignmentTarget::ColumnName(name) => {
            object_name(name).map(|(n, _)| n).into_iter().collect()
        }
        AssignmentTarget::Tuple(names) => names
            .iter()
            .filter_map(object_name)
            .map(|(n, _)| n)
            .collect(),
    }
}

/// The table a FROM item names, with its span and its alias (the name itself without one).
fn relation_name(factor: &TableFactor) -> Option<(String, sqlparser::tokenizer::Span, String)> {
    let TableFactor::Table { name, alias, .. } = factor else {
        return None;
    };
    let (table, span) = object_name(name)?;
    let alias = alias
        .as_ref()
        .map_or_else(|| table.clone(), |a| a.name.value.to_lowercase());
    Some((table, span, alias))
}

fn tables_with_aliases(
    from: &[TableWithJoins],
) -> Vec<(String, sqlparser::tokenizer::Span, String)> {
    from.iter()
        .flat_map(|t| std::iter::once(&t.relation).chain(t.joins.iter().map(|j| &j.relation)))
        .filter_map(relation_name)
        .collect()
}

/// A column reference: `(qualifier, column)`, lowercased.
fn column_ref(expr: &Expr) -> Option<(Option<String>, String)> {
    match expr {
        Expr::Identifier(ident) => Some((None, ident.value.to_lowercase())),
        Expr::CompoundIdentifier(parts) => {
            let column = parts.last()?.value.to_lowercase();
            let qualifier = (parts.len() >= 2).then(|| parts[parts.len() - 2].value.to_lowercase());
            Some((qualifier, column))
        }
        Expr::Nested(e) | Expr::Cast { expr: e, .. } => column_ref(e),
        _ => None,
    }
}

fn function_name(f: &ast::Function) -> String {
    object_name(&f.name).map(|(n, _)| n).unwrap_or_default()
}

fn function_args(f: &ast::Function) -> Vec<&Expr> {
    match &f.args {
        FunctionArguments::List(list) => list
            .args
            .iter()
            .filter_map(|arg| match arg {
                FunctionArg::Unnamed(FunctionArgExpr::Expr(e))
                | FunctionArg::Named {
                    arg: FunctionArgExpr::Expr(e),
                    ..
                }
                | FunctionArg::ExprNamed {
                    arg: FunctionArgExpr::Expr(e),
                    ..
                } => Some(e),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Whether a value assigned in UPDATE SET removes the personal data it replaces.
fn anonymises(expr: &Expr) -> bool {
    match expr {
        Expr::Value(v) => !matches!(v.value, Value::Placeholder(_)),
        Expr::TypedString(_) => true,
        Expr::Nested(e) | Expr::Cast { expr: e, .. } => anonymises(e),
        Expr::UnaryOp {
            op: UnaryOperator::Minus | UnaryOperator::Plus,
            expr,
        } => matches!(**expr, Expr::Value(ref v) if !matches!(v.value, Value::Placeholder(_))),
        Expr::Function(f) => is_sanitizer_name(&function_name(f)),
        _ => false,
    }
}

/// A function name that says it hashes, masks or redacts: `md5`, `sha256`, `sha2`, `digest`,
/// `crypt`, `hash_email`, `mask`, `redact`, `anonymize`, `pseudonymise`, `obfuscate`, `scramble`.
fn is_sanitizer_name(name: &str) -> bool {
    const WORDS: &[&str] = &[
        "md5",
        "digest",
        "crypt",
        "hash",
        "hashbytes",
        "mask",
        "redact",
        "anonymize",
        "anonymise",
        "anonymized",
        "anonymised",
        "pseudonymize",
        "pseudonymise",
        "obfuscate",
        "scramble",
    ];
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .any(|w| {
            WORDS.contains(&w)
                || w.strip_prefix("sha")
                    .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()))
        })
}

/// The age condition in a WHERE clause: a time column compared as older than an expression
/// (`col < now() - interval '30 days'`, `col <= DATE_SUB(NOW(), INTERVAL 90 DAY)`,
/// `col < datetime('now', '-1 year')`, `age(col) > interval '1 year'`,
/// `DATEDIFF(NOW(), col) > 90`, and the same with the sides swapped).
fn age_filter(expr: &Expr) -> Option<AgeFilter> {
    match expr {
        Expr::Nested(e) => age_filter(e),
        Expr::BinaryOp {
            left,
            op: BinaryOperator::And | BinaryOperator::Or,
            right,
        } => age_filter(left).or_else(|| age_filter(right)),
        Expr::BinaryOp { left, op, right } => {
            let (older, newer) = match op {
                BinaryOperator::Lt | BinaryOperator::LtEq => (&**left, &**right),
                BinaryOperator::Gt | BinaryOperator::GtEq => (&**right, &**left),
                _ => return None,
            };
            // `col < cutoff`
            if let Some((_, column)) = column_ref(older) {
                return match cutoff(newer) {
                    Cutoff::Known(duration) => Some(AgeFilter {
                        column,
                        duration: Some(duration),
                    }),
                    Cutoff::Unknown if is_time_column(&column) => Some(AgeFilter {
                        column,
                        duration: None,
                    }),
                    _ => None,
                };
            }
            // `col + interval '30 days' < now()`
            if let Expr::BinaryOp {
                left: col,
                op: BinaryOperator::Plus,
                right: interval,
            } = older
                && let Some((_, column)) = column_ref(col)
                && is_now(newer)
            {
                return Some(AgeFilter {
                    column,
                    duration: duration_of(interval),
                });
            }
            // `age(col) > interval '1 year'`, `DATEDIFF(NOW(), col) > 90`
            if let Expr::Function(f) = newer {
                let args = function_args(f);
                let column = match (function_name(f).as_str(), args.as_slice()) {
                    ("age", [col] | [_, col]) | ("datediff", [_, col]) => {
                        column_ref(col).map(|(_, c)| c)
                    }
                    _ => None,
                }?;
                let duration = if function_name(f) == "datediff" {
                    number(older).map(|n| format!("P{n}D"))
                } else {
                    duration_of(older)
                };
                return Some(AgeFilter { column, duration });
            }
            None
        }
        _ => None,
    }
}

enum Cutoff {
    /// Now minus this ISO 8601 duration.
    Known(String),
    /// A parameter or an expression not followed.
    Unknown,
    /// Not a point in time at all (a literal number or string).
    NotTime,
}

fn cutoff(expr: &Expr) -> Cutoff {
    match expr {
        Expr::Nested(e) => cutoff(e),
        _ if is_now(expr) => Cutoff::Known("PT0S".to_string()),
        Expr::BinaryOp {
            left,
            op: BinaryOperator::Minus,
            right,
        } if is_now(left) => duration_of(right).map_or(Cutoff::Unknown, Cutoff::Known),
        Expr::Function(f) => {
            let name = function_name(f);
            let args = function_args(f);
            match (name.as_str(), args.as_slice()) {
                ("date_sub" | "subdate", [base, interval]) if is_now(base) => {
                    duration_of(interval).map_or(Cutoff::Unknown, Cutoff::Known)
                }
                ("date_add" | "adddate", [base, interval]) if is_now(base) => {
                    negated_duration(interval).map_or(Cutoff::Unknown, Cutoff::Known)
                }
                ("datetime" | "date" | "julianday" | "strftime" | "unixepoch", _) => {
                    sqlite_modifiers(&args).map_or(Cutoff::Unknown, Cutoff::Known)
                }
                _ => Cutoff::Unknown,
            }
        }
        Expr::Value(v) if matches!(v.value, Value::Placeholder(_)) => Cutoff::Unknown,
        Expr::Value(_) | Expr::TypedString(_) => Cutoff::NotTime,
        _ => Cutoff::Unknown,
    }
}

fn is_time_column(column: &str) -> bool {
    column.ends_with("_at")
        || column.ends_with("_on")
        || [
            "date", "time", "expire", "created", "updated", "seen", "login",
        ]
        .iter()
        .any(|w| column.contains(w))
}

/// `now()`, `CURRENT_TIMESTAMP`, `CURRENT_DATE`, `NOW()`, `CURDATE()`, `datetime('now')`, ...
fn is_now(expr: &Expr) -> bool {
    const NOW: &[&str] = &[
        "now",
        "current_timestamp",
        "current_date",
        "current_time",
        "localtimestamp",
        "localtime",
        "sysdate",
        "systimestamp",
        "getdate",
        "getutcdate",
        "sysdatetime",
        "utc_timestamp",
        "utc_date",
        "curdate",
        "curtime",
        "statement_timestamp",
        "transaction_timestamp",
        "clock_timestamp",
        "unixepoch",
    ];
    match expr {
        Expr::Nested(e) | Expr::Cast { expr: e, .. } => is_now(e),
        Expr::Identifier(ident) => NOW.contains(&ident.value.to_lowercase().as_str()),
        Expr::Function(f) => {
            let name = function_name(f);
            let args = function_args(f);
            match name.as_str() {
                "datetime" | "date" | "julianday" => {
                    args.len() == 1
                        && string(args[0]).is_some_and(|s| s.eq_ignore_ascii_case("now"))
                }
                _ => NOW.contains(&name.as_str()),
            }
        }
        _ => false,
    }
}

/// `SQLite`'s `datetime('now', '-1 year', '-6 months')`: the negative modifiers as one duration.
fn sqlite_modifiers(args: &[&Expr]) -> Option<String> {
    let strings: Vec<String> = args.iter().filter_map(|a| string(a)).collect();
    let now = strings.iter().position(|s| s.eq_ignore_ascii_case("now"))?;
    let mut total = Duration::default();
    let mut any = false;
    for modifier in &strings[now + 1..] {
        let Some(rest) = modifier.trim().strip_prefix('-') else {
            continue;
        };
        total.add_text(rest)?;
        any = true;
    }
    any.then(|| total.iso()).flatten()
}

fn string(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Value(v) => v.value.clone().into_string(),
        _ => None,
    }
}

fn number(expr: &Expr) -> Option<u64> {
    match expr {
        Expr::Value(v) => match &v.value {
            Value::Number(n, _) => n.parse().ok(),
            other => other.clone().into_string()?.trim().parse().ok(),
        },
        Expr::Nested(e) => number(e),
        _ => None,
    }
}

/// An interval expression as an ISO 8601 duration: `interval '30 days'`, `INTERVAL 90 DAY`,
/// `INTERVAL '1' YEAR`, `'30 days'::interval`, `make_interval(days => 30)`.
fn duration_of(expr: &Expr) -> Option<String> {
    let mut d = Duration::default();
    match expr {
        Expr::Nested(e) => return duration_of(e),
        Expr::Interval(interval) => match &interval.leading_field {
            Some(field) => d.add(number(&interval.value)?, unit_of_field(field)?),
            None => d.add_text(&string(&interval.value)?)?,
        },
        Expr::Cast {
            expr,
            data_type: DataType::Interval { .. },
            ..
        } => d.add_text(&string(expr)?)?,
        Expr::TypedString(t) if matches!(t.data_type, DataType::Interval { .. }) => {
            d.add_text(&t.value.value.clone().into_string()?)?;
        }
        Expr::Function(f) if function_name(f) == "make_interval" => {
            let FunctionArguments::List(list) = &f.args else {
                return None;
            };
            for arg in &list.args {
                let FunctionArg::Named {
                    name,
                    arg: FunctionArgExpr::Expr(value),
                    ..
                } = arg
                else {
                    return None;
                };
                d.add(number(value)?, unit_of_word(&name.value.to_lowercase())?);
            }
        }
        _ => return None,
    }
    d.iso()
}

/// `DATE_ADD(NOW(), INTERVAL -90 DAY)`: a negative interval going back in time.
fn negated_duration(expr: &Expr) -> Option<String> {
    let Expr::Interval(interval) = expr else {
        return None;
    };
    let Expr::UnaryOp {
        op: UnaryOperator::Minus,
        expr: value,
    } = &*interval.value
    else {
        return None;
    };
    let mut d = Duration::default();
    d.add(
        number(value)?,
        unit_of_field(interval.leading_field.as_ref()?)?,
    );
    d.iso()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Unit {
    Year,
    Month,
    Week,
    Day,
    Hour,
    Minute,
    Second,
}

fn unit_of_field(field: &DateTimeField) -> Option<Unit> {
    Some(match field {
        DateTimeField::Year | DateTimeField::Years => Unit::Year,
        DateTimeField::Month | DateTimeField::Months => Unit::Month,
        DateTimeField::Week(_) | DateTimeField::Weeks => Unit::Week,
        DateTimeField::Day | DateTimeField::Days => Unit::Day,
        DateTimeField::Hour | DateTimeField::Hours => Unit::Hour,
        DateTimeField::Minute | DateTimeField::Minutes => Unit::Minute,
        DateTimeField::Second | DateTimeField::Seconds => Unit::Second,
        _ => return None,
    })
}

fn unit_of_word(word: &str) -> Option<Unit> {
    Some(match word {
        "y" | "yr" | "yrs" | "year" | "years" => Unit::Year,
        "mon" | "mons" | "month" | "months" => Unit::Month,
        "w" | "week" | "weeks" => Unit::Week,
        "d" | "day" | "days" => Unit::Day,
        "h" | "hr" | "hrs" | "hour" | "hours" => Unit::Hour,
        "m" | "min" | "mins" | "minute" | "minutes" => Unit::Minute,
        "s" | "sec" | "secs" | "second" | "seconds" => Unit::Second,
        _ => return None,
    })
}

/// An amount of calendar time, summed per unit.
#[derive(Default)]
struct Duration {
    amounts: [u64; 7],
}

impl Duration {
    fn add(&mut self, amount: u64, unit: Unit) {
        let i = unit as usize;
        self.amounts[i] = self.amounts[i].saturating_add(amount);
    }

    /// `'30 days'`, `'1 year 6 mons'`, `'12 hours'`, `'90 day'`, `'30d'`, or an ISO 8601 text.
    fn add_text(&mut self, text: &str) -> Option<()> {
        let text = text.trim();
        if text.starts_with(['P', 'p']) && text.len() > 1 {
            return self.add_iso(&text[1..].to_ascii_uppercase());
        }
        let mut rest = text;
        let mut any = false;
        while !rest.trim_start().is_empty() {
            rest = rest.trim_start().trim_start_matches('+');
            let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            if digits == 0 {
                return None;
            }
            let amount: u64 = rest[..digits].parse().ok()?;
            rest = rest[digits..].trim_start();
            let word_len = rest.len()
                - rest
                    .trim_start_matches(|c: char| c.is_ascii_alphabetic())
                    .len();
            let unit = unit_of_word(&rest[..word_len].to_ascii_lowercase())?;
            rest = rest[word_len..].trim_start_matches(',');
            self.add(amount, unit);
            any = true;
        }
        any.then_some(())
    }

    fn add_iso(&mut self, text: &str) -> Option<()> {
        let mut in_time = false;
        let mut digits = String::new();
        for c in text.chars() {
            match c {
                'T' => in_time = true,
                '0'..='9' => digits.push(c),
                _ => {
                    let amount: u64 = digits.parse().ok()?;
                    digits.clear();
                    let unit = match (c, in_time) {
                        ('Y', false) => Unit::Year,
                        ('M', false) => Unit::Month,
                        ('W', false) => Unit::Week,
                        ('D', false) => Unit::Day,
                        ('H', true) => Unit::Hour,
                        ('M', true) => Unit::Minute,
                        ('S', true) => Unit::Second,
                        _ => return None,
                    };
                    self.add(amount, unit);
                }
            }
        }
        digits.is_empty().then_some(())
    }

    /// The ISO 8601 text (`P1Y6M`, `P2W`, `PT12H`); weeks mixed with other units become days.
    fn iso(&self) -> Option<String> {
        let [years, months, mut weeks, mut days, hours, minutes, seconds] = self.amounts;
        if self.amounts.iter().all(|&a| a == 0) {
            return None;
        }
        if weeks > 0
            && [years, months, days, hours, minutes, seconds]
                .iter()
                .any(|&n| n > 0)
        {
            days = days.saturating_add(weeks.saturating_mul(7));
            weeks = 0;
        }
        let mut out = String::from("P");
        for (amount, letter) in [(years, 'Y'), (months, 'M'), (weeks, 'W'), (days, 'D')] {
            if amount > 0 {
                let _ = write!(out, "{amount}{letter}");
            }
        }
        if [hours, minutes, seconds].iter().any(|&n| n > 0) {
            out.push('T');
            for (amount, letter) in [(hours, 'H'), (minutes, 'M'), (seconds, 'S')] {
                if amount > 0 {
                    let _ = write!(out, "{amount}{letter}");
                }
            }
        }
        Some(out)
    }
}
