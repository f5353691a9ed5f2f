//! The Python frontend, through tree-sitter.
//!
//! tree-sitter parses iteratively; the walk below is recursive, so every recursive step carries
//! a depth and stops (with one note) past [`MAX_NESTING`]. Long left-associative chains
//! (`a + b + c ...`, `x or y or z`, `a.b.c.d`) are walked iteratively and do not count.

use super::{Frontend, MAX_NESTING, ParseError};
use crate::ir::{
    Call, Compound, CompoundKind, Expr, FieldDef, FileFacts, Function, Import, Language, Param,
    Part, Place, Span, Stmt, TypeDef,
};
use tree_sitter::{Node, Parser};

mod strings;
#[cfg(test)]
mod tests;

use strings::{percent_specs, unescape};

pub struct PythonFrontend;

impl Frontend for PythonFrontend {
    fn language(&self) -> Language {
        Language::Python
    }

    fn facts(&self, source: &str) -> Result<FileFacts, ParseError> {
        let mut parser = Parser::new();
        parser
            .set_language(&tree_sitter_python::LANGUAGE.into())
            .map_err(|e| ParseError {
                line: 1,
                column: 1,
                message: format!("cannot load the Python grammar: {e}"),
            })?;
        let tree = parser.parse(source, None).ok_or_else(|| ParseError {
            line: 1,
            column: 1,
            message: "the Python parser gave up on this file".to_string(),
        })?;
        let root = tree.root_node();
        if root.has_error() {
            return Err(syntax_error(root, source));
        }
        let mut lower = Lower {
            src: source,
            functions: Vec::new(),
            types: Vec::new(),
            imports: Vec::new(),
            notes: Vec::new(),
            too_deep: false,
            pending: Vec::new(),
        };
        lower.functions.push(Function::default());
        let mut body = Vec::new();
        lower.block(root, &mut body, &Scope::default(), 0);
        lower.flush(&mut body);
        if let Some(module) = lower.functions.first_mut() {
            *module = Function {
                name: "<module>".to_string(),
                body,
                span: Span::new(0, source.len()),
                extent: Span::new(0, source.len()),
                is_module_body: true,
                ..Function::default()
            };
        }
        Ok(FileFacts {
            functions: lower.functions,
            types: lower.types,
            imports: lower.imports,
            directives: super::comments::directives(source, &["#"]),
            notes: lower.notes,
        })
    }
}

/// The error for a tree with ERROR or MISSING nodes, pointing at the first one (found without
/// recursion: only subtrees that contain an error are entered).
fn syntax_error(root: Node<'_>, source: &str) -> ParseError {
    let mut cursor = root.walk();
    let mut found = None;
    'walk: loop {
        let node = cursor.node();
        if node.is_error() || node.is_missing() {
            found = Some(node);
            break;
        }
        if node.has_error() && cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
    let node = found.unwrap_or(root);
    let pos = node.start_position();
    let message = if node.is_missing() {
        format!("syntax error: missing `{}`", node.kind())
    } else {
        let text = node.utf8_text(source.as_bytes()).unwrap_or("");
        let first = text.lines().next().unwrap_or("").trim();
        if first.is_empty() {
            "syntax error".to_string()
        } else {
            let short: String = first.chars().take(40).collect();
            format!("syntax error near `{short}`")
        }
    };
    ParseError {
        line: pos.row as u32 + 1,
        column: pos.column as u32 + 1,
        message,
    }
}

fn span(node: Node<'_>) -> Span {
    Span::new(node.start_byte(), node.end_byte())
}

/// Named children without comments and line continuations.
fn kids(node: Node<'_>) -> Vec<Node<'_>> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor)
        .filter(|n| !matches!(n.kind(), "comment" | "line_continuation"))
        .collect()
}

fn field_kids<'t>(node: Node<'t>, field: &str) -> Vec<Node<'t>> {
    let mut cursor = node.walk();
    node.children_by_field_name(field, &mut cursor)
        .filter(Node::is_named)
        .collect()
}

fn first_kid(node: Node<'_>) -> Option<Node<'_>> {
    kids(node).into_iter().next()
}

fn positional(value: Expr) -> Part {
    Part::positional(value)
}

fn compound(kind: CompoundKind, parts: Vec<Part>, span: Span) -> Expr {
    Expr::Compound(Compound { kind, parts, span })
}

/// The class a statement list belongs to, when it is a class body.
#[derive(Clone, Default)]
struct Scope {
    /// Class name and its index in `Lower::types`.
    class: Option<(String, usize)>,
}

struct Lower<'a> {
    src: &'a str,
    functions: Vec<Function>,
    types: Vec<TypeDef>,
    imports: Vec<Import>,
    notes: Vec<String>,
    too_deep: bool,
    /// Statements an expression needs before the statement that contains it: comprehension
    /// bindings, walrus assignments, `yield` inside expressions.
    pending: Vec<Stmt>,
}

impl<'a> Lower<'a> {
    fn text(&self, node: Node<'_>) -> &'a str {
        node.utf8_text(self.src.as_bytes()).unwrap_or("")
    }

    /// The node's text with all whitespace removed (types, dotted names).
    fn compact(&self, node: Node<'_>) -> String {
        self.text(node).split_whitespace().collect()
    }

    /// An annotation as written, whitespace removed, quotes of a forward reference stripped.
    fn type_text(&self, node: Node<'_>) -> String {
        let t = self.compact(node);
        for q in ['"', '\''] {
            if t.len() >= 2 && t.starts_with(q) && t.ends_with(q) {
                return t[1..t.len() - 1].to_string();
            }
        }
        t
    }

    fn deep(&mut self) {
        if !self.too_deep {
            self.too_deep = true;
            self.notes.push(format!(
                "nested more than {MAX_NESTING} levels deep: the deeper code was not analysed"
            ));
        }
    }

    fn flush(&mut self, out: &mut Vec<Stmt>) {
        out.append(&mut self.pending);
    }

    // ---------------------------------------------------------------- statements

    fn block(&mut self, node: Node<'_>, out: &mut Vec<Stmt>, scope: &Scope, depth: usize) {
        for kid in kids(node) {
            self.stmt(kid, out, scope, depth);
            self.flush(out);
        }
    }

    fn opt_block(
        &mut self,
        node: Option<Node<'_>>,
        out: &mut Vec<Stmt>,
        scope: &Scope,
        depth: usize,
    ) {
        if let Some(node) = node {
            self.block(node, out, scope, depth);
        }
    }

    /// Lowers one statement. A thin dispatcher, like [`Self::expr`].
    fn stmt(&mut self, node: Node<'_>, out: &mut Vec<Stmt>, scope: &Scope, depth: usize) {
        if depth > MAX_NESTING {
            self.deep();
            return;
        }
        let d = depth + 1;
        match node.kind() {
            "expression_statement" => self.expression_statement(node, out, scope, d),
            "return_statement" | "raise_statement" => self.return_or_raise(node, out, d),
            "if_statement" => self.if_statement(node, out, scope, d),
            "while_statement" => {
                self.branch(node.child_by_field_name("condition"), out, d);
                self.opt_block(node.child_by_field_name("body"), out, scope, d);
                self.else_clause(node, out, scope, d);
            }
            "for_statement" => self.for_statement(node, out, scope, d),
            "with_statement" => self.with_statement(node, out, scope, d),
            "try_statement" => self.try_statement(node, out, scope, d),
            "match_statement" => self.match_statement(node, out, scope, d),
            "assert_statement" => self.branch(first_kid(node), out, d),
            "print_statement" => self.print_statement(node, out, d),
            "function_definition" => self.function(node, &[], scope, d),
            "class_definition" => self.class(node, Vec::new(), out, d),
            "decorated_definition" => self.decorated(node, out, scope, d),
            "import_statement" => self.import(node),
            "import_from_statement" => self.import_from(node),
            "block" => self.block(node, out, scope, d),
            _ => {}
        }
    }

    #[inline(never)]
    fn return_or_raise(&mut self, node: Node<'_>, out: &mut Vec<Stmt>, d: usize) {
        if let Some(kid) = first_kid(node) {
            let value = self.value(kid, d);
            self.flush(out);
            if node.kind() == "return_statement" {
                out.push(Stmt::Return {
                    value,
                    span: span(node),
                });
            } else {
                out.push(Stmt::Expr(value));
            }
        }
    }

    #[inline(never)]
    fn if_statement(&mut self, node: Node<'_>, out: &mut Vec<Stmt>, scope: &Scope, d: usize) {
        self.branch(node.child_by_field_name("condition"), out, d);
        self.opt_block(node.child_by_field_name("consequence"), out, scope, d);
        for alt in field_kids(node, "alternative") {
            if alt.kind() == "elif_clause" {
                self.branch(alt.child_by_field_name("condition"), out, d);
                self.opt_block(alt.child_by_field_name("consequence"), out, scope, d);
            } else {
                self.opt_block(alt.child_by_field_name("body"), out, scope, d);
            }
        }
    }

    #[inline(never)]
    fn for_statement(&mut self, node: Node<'_>, out: &mut Vec<Stmt>, scope: &Scope, d: usize) {
        if let (Some(left), Some(right)) = (
            node.child_by_field_name("left"),
            node.child_by_field_name("right"),
        ) {
            let value = self.value(right, d);
            self.flush(out);
            self.assign_to(left, &value, None, span(node), out, d);
        }
        self.opt_block(node.child_by_field_name("body"), out, scope, d);
        self.else_clause(node, out, scope, d);
    }

    #[inline(never)]
    fn with_statement(&mut self, node: Node<'_>, out: &mut Vec<Stmt>, scope: &Scope, d: usize) {
        for clause in kids(node) {
            if clause.kind() != "with_clause" {
                continue;
            }
            for item in kids(clause) {
                if let Some(value) = item.child_by_field_name("value") {
                    self.with_item(value, out, d);
                }
            }
        }
        self.opt_block(node.child_by_field_name("body"), out, scope, d);
    }

    #[inline(never)]
    fn try_statement(&mut self, node: Node<'_>, out: &mut Vec<Stmt>, scope: &Scope, d: usize) {
        self.opt_block(node.child_by_field_name("body"), out, scope, d);
        for clause in kids(node) {
            match clause.kind() {
                "except_clause" => self.except_clause(clause, out, scope, d),
                "else_clause" => {
                    self.opt_block(clause.child_by_field_name("body"), out, scope, d);
                }
                "finally_clause" => {
                    for b in kids(clause) {
                        if b.kind() == "block" {
                            self.block(b, out, scope, d);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// Python 2 `print x, y`: a call to `print`.
    #[inline(never)]
    fn print_statement(&mut self, node: Node<'_>, out: &mut Vec<Stmt>, d: usize) {
        let args = field_kids(node, "argument")
            .into_iter()
            .map(|a| positional(self.expr(a, d)))
            .collect();
        self.flush(out);
        out.push(Stmt::Expr(Expr::Call(Box::new(Call {
            name: "print".to_string(),
            path: "print".to_string(),
            receiver: None,
            args,
            is_macro: false,
            span: span(node),
        }))));
    }

    #[inline(never)]
    fn decorated(&mut self, node: Node<'_>, out: &mut Vec<Stmt>, scope: &Scope, d: usize) {
        let decorators: Vec<Node<'_>> = kids(node)
            .into_iter()
            .filter(|k| k.kind() == "decorator")
            .filter_map(first_kid)
            .collect();
        if let Some(def) = node.child_by_field_name("definition") {
            if def.kind() == "class_definition" {
                self.class(def, decorators, out, d);
            } else {
                self.function(def, &decorators, scope, d);
            }
        }
    }

    fn else_clause(&mut self, node: Node<'_>, out: &mut Vec<Stmt>, scope: &Scope, depth: usize) {
        if let Some(alt) = node.child_by_field_name("alternative") {
            self.opt_block(alt.child_by_field_name("body"), out, scope, depth);
        }
    }

    fn branch(&mut self, cond: Option<Node<'_>>, out: &mut Vec<Stmt>, depth: usize) {
        if let Some(cond) = cond {
            let condition = self.condition(cond, depth);
            self.flush(out);
            out.push(Stmt::Branch {
                condition,
                span: span(cond),
            });
        }
    }

    #[inline(never)]
    fn expression_statement(
        &mut self,
        node: Node<'_>,
        out: &mut Vec<Stmt>,
        scope: &Scope,
        depth: usize,
    ) {
        let all = kids(node);
        if let [only] = all[..] {
            match only.kind() {
                "assignment" => self.assignment(only, out, scope, depth),
                "augmented_assignment" => self.augmented(only, out, depth),
                "yield" => {
                    if let Some(inner) = first_kid(only) {
                        let value = self.value(inner, depth);
                        self.flush(out);
                        out.push(Stmt::Return {
                            value,
                            span: span(only),
                        });
                    }
                }
                _ => {
                    let value = self.expr(only, depth);
                    self.flush(out);
                    // Docstrings and bare literals do nothing.
                    if !matches!(value, Expr::Str { .. } | Expr::Other(_)) {
                        out.push(Stmt::Expr(value));
                    }
                }
            }
        } else if !all.is_empty() {
            let parts = all
                .into_iter()
                .map(|k| positional(self.value(k, depth)))
                .collect();
            self.flush(out);
            out.push(Stmt::Expr(compound(
                CompoundKind::Container,
                parts,
                span(node),
            )));
        }
    }

    #[inline(never)]
    fn assignment(&mut self, node: Node<'_>, out: &mut Vec<Stmt>, scope: &Scope, depth: usize) {
        // `a = b = v` nests to the right: collect the targets iteratively.
        let mut targets = Vec::new();
        let ty = node.child_by_field_name("type").map(|t| self.type_text(t));
        let mut cur = node;
        let right = loop {
            if let Some(left) = cur.child_by_field_name("left") {
                targets.push(left);
            }
            match cur.child_by_field_name("right") {
                Some(r) if r.kind() == "assignment" => cur = r,
                other => break other,
            }
        };
        if let Some((_, type_index)) = &scope.class {
            let field_ty = ty.clone().or_else(|| {
                right
                    .filter(|r| r.kind() == "call")
                    .and_then(|r| r.child_by_field_name("function"))
                    .map(|f| self.compact(f))
            });
            // Enum members and SCREAMING_CASE constants name things (`Scope.PHONE = "phone"`);
            // they hold no one's data.
            let is_enum = self.types.get(*type_index).is_some_and(|t| {
                t.traits.iter().any(|b| {
                    matches!(
                        b.as_str(),
                        "Enum"
                            | "IntEnum"
                            | "StrEnum"
                            | "Flag"
                            | "IntFlag"
                            | "TextChoices"
                            | "IntegerChoices"
                            | "Choices"
                    )
                })
            });
            let literal = right.is_some_and(|r| {
                matches!(
                    r.kind(),
                    "string"
                        | "integer"
                        | "float"
                        | "true"
                        | "false"
                        | "none"
                        | "tuple"
                        | "concatenated_string"
                )
            });
            // `__tablename__ = "users"` (SQLAlchemy), `db_table = "users"` in a Django `Meta`,
            // `table_name = "users"` (Peewee, Tortoise): the table the model maps to.
            // (The literal's value: trimming quotes and prefix letters off the text would also
            // eat the `r` of `"referrals"`.)
            if let (Some(r), [target]) = (right, &targets[..])
                && matches!(
                    self.text(*target),
                    "__tablename__" | "db_table" | "table_name" | "table"
                )
                && let Some(table) = self.literal(r)
            {
                let owner = self.model_of(*type_index, span(*target).start);
                if let Some(t) = owner.and_then(|o| self.types.get_mut(o)) {
                    t.traits.push(format!("table:{table}"));
                }
            }
            // `abstract = True` in a Django `Meta`, `__abstract__ = True` (SQLAlchemy): a base
            // for models, with no table of its own.
            if let (Some(r), [target]) = (right, &targets[..])
                && r.kind() == "true"
                && matches!(self.text(*target), "abstract" | "__abstract__")
            {
                let owner = self.model_of(*type_index, span(*target).start);
                if let Some(t) = owner.and_then(|o| self.types.get_mut(o))
                    && !t.traits.iter().any(|x| x == "abstract")
                {
                    t.traits.push("abstract".to_string());
                }
            }
            // Foreign keys and relationships: which rows go when which others are deleted.
            if let Some(r) = right.filter(|r| r.kind() == "call") {
                let traits = self.cascade_traits(r, ty.as_deref());
                if let Some(t) = self.types.get_mut(*type_index) {
                    for trait_ in traits {
                        if !t.traits.contains(&trait_) {
                            t.traits.push(trait_);
                        }
                    }
                }
            }
            for target in &targets {
                if target.kind() == "identifier" {
                    let name = self.text(*target).to_string();
                    let constant = name.chars().any(|c| c.is_ascii_uppercase())
                        && !name.chars().any(|c| c.is_ascii_lowercase());
                    if is_enum || (constant && literal && ty.is_none()) {
                        continue;
                    }
                    self.add_field(*type_index, name, field_ty.clone(), span(*target));
                }
            }
        }
        let Some(right) = right else {
            return; // `x: T` declares without assigning
        };
        let single = targets.len() == 1;
        // `a, b = x, y` pairs up element by element when both sides are plain sequences.
        if let [target] = targets[..]
            && self.pairwise(target, right, node, out, depth)
        {
            return;
        }
        let value = self.value(right, depth);
        self.flush(out);
        let before = out.len();
        for target in targets {
            let ty = if single { ty.clone() } else { None };
            self.assign_to(target, &value, ty.as_deref(), span(node), out, depth);
        }
        if out.len() == before {
            out.push(Stmt::Expr(value));
        }
    }

    /// `a, b = x, y`: assigns `a ← x`, `b ← y`. Returns false (doing nothing) unless both sides
    /// are sequences of the same length without splats.
    fn pairwise(
        &mut self,
        target: Node<'_>,
        right: Node<'_>,
        node: Node<'_>,
        out: &mut Vec<Stmt>,
        depth: usize,
    ) -> bool {
        let seq = |k: &str| {
            matches!(
                k,
                "pattern_list" | "tuple_pattern" | "list_pattern" | "expression_list" | "tuple"
            )
        };
        if !seq(target.kind()) || !matches!(right.kind(), "expression_list" | "tuple") {
            return false;
        }
        let (ts, vs) = (kids(target), kids(right));
        let splat = |n: &Node<'_>| n.kind().contains("splat");
        if ts.len() != vs.len() || ts.iter().any(splat) || vs.iter().any(splat) {
            return false;
        }
        let values: Vec<Expr> = vs.into_iter().map(|v| self.value(v, depth)).collect();
        self.flush(out);
        for (t, v) in ts.into_iter().zip(values) {
            self.assign_to(t, &v, None, span(node), out, depth);
        }
        true
    }

    fn augmented(&mut self, node: Node<'_>, out: &mut Vec<Stmt>, depth: usize) {
        let (Some(left), Some(right)) = (
            node.child_by_field_name("left"),
            node.child_by_field_name("right"),
        ) else {
            return;
        };
        let old = self.expr(left, depth);
        let rhs = self.value(right, depth);
        let value = compound(
            CompoundKind::Concat,
            vec![positional(old), positional(rhs)],
            span(node),
        );
        self.flush(out);
        let before = out.len();
        self.assign_to(left, &value, None, span(node), out, depth);
        if out.len() == before {
            out.push(Stmt::Expr(value));
        }
    }

    /// Emits `target ← value` for every place in a (possibly unpacking) target.
    fn assign_to(
        &mut self,
        target: Node<'_>,
        value: &Expr,
        ty: Option<&str>,
        span: Span,
        out: &mut Vec<Stmt>,
        depth: usize,
    ) {
        let mut places = Vec::new();
        self.targets(target, &mut places, depth);
        for target in places {
            out.push(Stmt::Assign {
                target,
                ty: ty.map(str::to_string),
                value: value.clone(),
                span,
            });
        }
    }

    fn targets(&mut self, node: Node<'_>, out: &mut Vec<Place>, depth: usize) {
        if depth > MAX_NESTING {
            self.deep();
            return;
        }
        match node.kind() {
            "pattern_list"
            | "tuple_pattern"
            | "list_pattern"
            | "expression_list"
            | "tuple"
            | "list"
            | "list_splat_pattern"
            | "list_splat"
            | "parenthesized_expression"
            | "as_pattern_target" => {
                for kid in kids(node) {
                    self.targets(kid, out, depth + 1);
                }
            }
            "subscript" => {
                if let Some(p) = self.place_of(node) {
                    out.push(p);
                } else if let Some(v) = node.child_by_field_name("value") {
                    // `d[i] = v` writes into `d`.
                    self.targets(v, out, depth + 1);
                }
            }
            _ => {
                if let Some(p) = self.place_of(node) {
                    out.push(p);
                }
            }
        }
    }

    fn with_item(&mut self, value: Node<'_>, out: &mut Vec<Stmt>, depth: usize) {
        if value.kind() == "as_pattern" {
            let alias = value.child_by_field_name("alias");
            let inner = kids(value)
                .into_iter()
                .find(|k| Some(*k) != alias && k.kind() != "as_pattern_target");
            let expr = match inner {
                Some(inner) => self.expr(inner, depth),
                None => Expr::Other(span(value)),
            };
            self.flush(out);
            match alias {
                Some(alias) => self.assign_to(alias, &expr, None, span(value), out, depth),
                None => out.push(Stmt::Expr(expr)),
            }
        } else {
            let expr = self.expr(value, depth);
            self.flush(out);
            out.push(Stmt::Expr(expr));
        }
    }

    #[inline(never)]
    fn except_clause(&mut self, node: Node<'_>, out: &mut Vec<Stmt>, scope: &Scope, depth: usize) {
        if let Some(alias) = node.child_by_field_name("alias") {
            let ty = node.child_by_field_name("value");
            let other = Expr::Other(ty.map_or_else(|| span(alias), span));
            self.assign_to(alias, &other, None, span(alias), out, depth);
        } else {
            for value in field_kids(node, "value") {
                if value.kind() == "as_pattern"
                    && let Some(alias) = value.child_by_field_name("alias")
                {
                    let other = Expr::Other(span(value));
                    self.assign_to(alias, &other, None, span(alias), out, depth);
                }
            }
        }
        for kid in kids(node) {
            if kid.kind() == "block" {
                self.block(kid, out, scope, depth);
            }
        }
    }

    #[inline(never)]
    fn match_statement(&mut self, node: Node<'_>, out: &mut Vec<Stmt>, scope: &Scope, d: usize) {
        let subjects = field_kids(node, "subject");
        match subjects[..] {
            [] => {}
            [one] => self.branch(Some(one), out, d),
            _ => {
                let parts = subjects
                    .iter()
                    .map(|s| positional(self.expr(*s, d)))
                    .collect();
                self.flush(out);
                out.push(Stmt::Branch {
                    condition: compound(CompoundKind::Container, parts, span(node)),
                    span: span(node),
                });
            }
        }
        let Some(body) = node.child_by_field_name("body") else {
            return;
        };
        for case in kids(body) {
            if case.kind() != "case_clause" {
                continue;
            }
            if let Some(guard) = case.child_by_field_name("guard") {
                self.branch(first_kid(guard), out, d);
            }
            self.opt_block(case.child_by_field_name("consequence"), out, scope, d);
        }
    }

    // ---------------------------------------------------------------- definitions

    #[inline(never)]
    fn function(&mut self, node: Node<'_>, decorators: &[Node<'_>], scope: &Scope, d: usize) {
        let Some(name_node) = node.child_by_field_name("name") else {
            return;
        };
        let name = self.text(name_node).to_string();
        let decorator_texts: Vec<String> = decorators
            .iter()
            .map(|n| self.text(*n).trim().to_string())
            .collect();
        let is_static = decorator_texts
            .iter()
            .any(|t| t == "staticmethod" || t == "classmethod");
        let mut params = node
            .child_by_field_name("parameters")
            .map(|p| self.params(p))
            .unwrap_or_default();
        if let (Some((class, _)), false) = (&scope.class, is_static)
            && let Some(first) = params.first_mut()
            && first.ty.is_none()
        {
            first.ty = Some(class.clone());
        }
        let ret_ty = node
            .child_by_field_name("return_type")
            .map(|t| self.type_text(t));
        let index = self.functions.len();
        self.functions.push(Function::default());
        let saved = std::mem::take(&mut self.pending);
        let mut body = Vec::new();
        self.opt_block(
            node.child_by_field_name("body"),
            &mut body,
            &Scope::default(),
            d,
        );
        self.flush(&mut body);
        self.pending = saved;
        if let Some((_, type_index)) = &scope.class {
            if name == "__init__" {
                for stmt in &body {
                    if let Stmt::Assign { target, ty, .. } = stmt
                        && let [field] = &target.fields[..]
                        && target.base == "self"
                    {
                        self.add_field(*type_index, field.clone(), ty.clone(), target.span);
                    }
                }
            }
            if (name == "__repr__" || name == "__str__")
                && let Some(t) = self.types.get_mut(*type_index)
            {
                let tr = format!("impl:{name}");
                if !t.traits.contains(&tr) {
                    t.traits.push(tr);
                }
            }
        }
        if let Some(slot) = self.functions.get_mut(index) {
            *slot = Function {
                name,
                owner: scope.class.as_ref().map(|(c, _)| c.clone()),
                params,
                ret_ty,
                decorators: decorator_texts,
                body,
                span: span(name_node),
                extent: span(definition_node(node)),
                is_module_body: false,
            };
        }
    }

    /// What a field's definition says about deletes, as traits of its class:
    /// - `fk:Parent:cascade` (or `:no-action`): these rows reference `Parent` (a model or a
    ///   table) and the database deletes them with it: Peewee `ForeignKeyField(Customer,
    ///   on_delete="CASCADE")`, `SQLAlchemy` `Column(ForeignKey("users.id", ondelete="CASCADE"))`
    ///   and `mapped_column(...)`, `SQLModel` `Field(foreign_key="user.id", ondelete="CASCADE")`;
    /// - `fk:Parent:orm-cascade`: Django's `ForeignKey(Customer, on_delete=models.CASCADE)`,
    ///   whose ORM deletes them;
    /// - `fk:Parent:session-cascade`: a `relationship("User", backref=backref("orders",
    ///   cascade="all, delete-orphan"))`, whose session deletes them with the parent instance;
    /// - `cascade-to:Child`: deleting one of these through the session deletes its `Child`
    ///   rows, from
    ///   `relationship("Child", cascade="all, delete-orphan")` (the target may come from the
    ///   annotation, `Mapped[list["Child"]]`) or `SQLModel` `Relationship(cascade_delete=True)`.
    fn cascade_traits(&self, call: Node<'_>, annotation: Option<&str>) -> Vec<String> {
        let mut out = Vec::new();
        let Some(function) = call.child_by_field_name("function") else {
            return out;
        };
        let Some(args) = call.child_by_field_name("arguments") else {
            return out;
        };
        let name = self.last_segment(function).unwrap_or_default();
        let action = |cascade: bool| if cascade { "cascade" } else { "no-action" };
        match name.as_str() {
            "ForeignKey" | "OneToOneField" | "ForeignKeyField" => {
                if let Some(parent) = self.fk_parent(args, true) {
                    let cascade = self.text(args).contains("CASCADE");
                    // Django deletes the children itself, through its ORM (raw SQL leaves
                    // them); Peewee's `on_delete` is the database's.
                    let how = match (cascade, name.as_str()) {
                        (true, "ForeignKeyField") => "cascade",
                        (true, _) => "orm-cascade",
                        (false, _) => "no-action",
                    };
                    out.push(format!("fk:{parent}:{how}"));
                }
            }
            "Column" | "mapped_column" | "Field" => {
                let keyword = |key: &str| {
                    kids(args).into_iter().find_map(|a| {
                        (a.kind() == "keyword_argument"
                            && a.child_by_field_name("name").map(|n| self.text(n)) == Some(key))
                        .then(|| a.child_by_field_name("value"))
                        .flatten()
                    })
                };
                // `Column(Integer, ForeignKey("users.id", ondelete="CASCADE"))`.
                for a in kids(args) {
                    if a.kind() == "call"
                        && a.child_by_field_name("function")
                            .and_then(|f| self.last_segment(f))
                            .as_deref()
                            == Some("ForeignKey")
                        && let Some(inner) = a.child_by_field_name("arguments")
                        && let Some(parent) = self.fk_parent(inner, false)
                    {
                        let cascade = self.cascades_on_delete(inner);
                        out.push(format!("fk:{parent}:{}", action(cascade)));
                    }
                }
                // SQLModel: `Field(foreign_key="user.id", ondelete="CASCADE")`.
                if let Some(target) = keyword("foreign_key").and_then(|v| self.literal(v))
                    && let Some(parent) = referenced_table(&target)
                {
                    let cascade = self.cascades_on_delete(args);
                    out.push(format!("fk:{parent}:{}", action(cascade)));
                }
            }
            "relationship" | "Relationship" | "RelationshipProperty" => {
                let target = kids(args)
                    .into_iter()
                    .find(|a| a.kind() != "keyword_argument")
                    .and_then(|a| match a.kind() {
                        // `"Address"`, or qualified, `"app.models.Address"`.
                        "string" => self
                            .literal(a)
                            .and_then(|t| t.rsplit('.').next().map(str::to_string)),
                        "identifier" | "attribute" => self.last_segment(a),
                        _ => None,
                    })
                    .or_else(|| annotation.and_then(annotated_target));
                let Some(target) = target else {
                    return out;
                };
                if self.deletes_related(args) {
                    out.push(format!("cascade-to:{target}"));
                }
                // `backref=backref("orders", cascade="all, delete-orphan")`: the cascade is
                // the target's, onto these rows.
                for a in kids(args) {
                    if a.kind() == "keyword_argument"
                        && a.child_by_field_name("name").map(|n| self.text(n)) == Some("backref")
                        && let Some(v) = a.child_by_field_name("value")
                        && v.kind() == "call"
                        && let Some(inner) = v.child_by_field_name("arguments")
                        && self.deletes_related(inner)
                    {
                        out.push(format!("fk:{target}:session-cascade"));
                    }
                }
            }
            _ => {}
        }
        out
    }

    /// The model or table a foreign key's arguments name: `Customer`, `"shop.Customer"`,
    /// `"users.id"` (a table and its column), `User.id`.
    fn fk_parent(&self, args: Node<'_>, models: bool) -> Option<String> {
        let first = kids(args)
            .into_iter()
            .find(|a| a.kind() != "keyword_argument");
        let to = kids(args).into_iter().find_map(|a| {
            (a.kind() == "keyword_argument"
                && a.child_by_field_name("name").map(|n| self.text(n)) == Some("to"))
            .then(|| a.child_by_field_name("value"))
            .flatten()
        });
        let node = first.or(to)?;
        match node.kind() {
            // Django and Peewee name a model (`"Customer"`, `"shop.Customer"`, in migrations
            // `"shop.customer"`); SQLAlchemy a table and its column (`"users.id"`).
            "string" => {
                let text = self.literal(node)?;
                if models {
                    text.rsplit('.').next().map(str::to_string)
                } else {
                    referenced_table(&text)
                }
            }
            "identifier" => Some(self.text(node).to_string()),
            // `User.id` (a column of a model) or `models.Customer` (a model in a module).
            "attribute" => {
                let object = node.child_by_field_name("object")?;
                let attr = self.last_segment(node)?;
                if attr.chars().next().is_some_and(char::is_uppercase) {
                    Some(attr)
                } else {
                    self.last_segment(object)
                }
            }
            _ => None,
        }
    }

    /// `ondelete="CASCADE"` (`SQLAlchemy`, `SQLModel`) among a call's arguments.
    fn cascades_on_delete(&self, args: Node<'_>) -> bool {
        kids(args).into_iter().any(|a| {
            a.kind() == "keyword_argument"
                && a.child_by_field_name("name").map(|n| self.text(n)) == Some("ondelete")
                && a.child_by_field_name("value")
                    .and_then(|v| self.literal(v))
                    .is_some_and(|v| v.eq_ignore_ascii_case("cascade"))
        })
    }

    /// Whether a relationship's options delete the related rows with the owner:
    /// `cascade="all, delete-orphan"`, `cascade="save-update, delete"`,
    /// `sa_relationship_kwargs={"cascade": "all, delete"}`, `cascade_delete=True`.
    fn deletes_related(&self, args: Node<'_>) -> bool {
        let deleting = |value: &str| {
            value
                .split(',')
                .map(str::trim)
                .any(|w| w == "all" || w == "delete")
        };
        kids(args).into_iter().any(|a| {
            if a.kind() != "keyword_argument" {
                return false;
            }
            let key = a.child_by_field_name("name").map(|n| self.text(n));
            let Some(value) = a.child_by_field_name("value") else {
                return false;
            };
            match key {
                Some("cascade") => self.literal(value).is_some_and(|v| deleting(&v)),
                Some("cascade_delete") => value.kind() == "true",
                Some("sa_relationship_kwargs") if value.kind() == "dictionary" => {
                    kids(value).into_iter().any(|pair| {
                        pair.kind() == "pair"
                            && pair
                                .child_by_field_name("key")
                                .and_then(|k| self.literal(k))
                                .as_deref()
                                == Some("cascade")
                            && pair
                                .child_by_field_name("value")
                                .and_then(|v| self.literal(v))
                                .is_some_and(|v| deleting(&v))
                    })
                }
                _ => false,
            }
        })
    }

    fn params(&self, node: Node<'_>) -> Vec<Param> {
        let mut out = Vec::new();
        for p in kids(node) {
            let (name, ty) = match p.kind() {
                "identifier" | "list_splat_pattern" | "dictionary_splat_pattern" => (Some(p), None),
                "typed_parameter" => (
                    kids(p).into_iter().find(|k| k.kind() != "type"),
                    p.child_by_field_name("type"),
                ),
                "default_parameter" | "typed_default_parameter" => {
                    (p.child_by_field_name("name"), p.child_by_field_name("type"))
                }
                _ => (None, None),
            };
            let Some(mut name) = name else { continue };
            if name.kind().ends_with("splat_pattern") {
                match first_kid(name) {
                    Some(inner) => name = inner,
                    None => continue,
                }
            }
            if name.kind() != "identifier" {
                continue; // tuple parameters (Python 2)
            }
            out.push(Param {
                name: self.text(name).to_string(),
                ty: ty.map(|t| self.type_text(t)),
                span: span(name),
            });
        }
        out
    }

    #[inline(never)]
    fn class(&mut self, node: Node<'_>, decorators: Vec<Node<'_>>, out: &mut Vec<Stmt>, d: usize) {
        let Some(name_node) = node.child_by_field_name("name") else {
            return;
        };
        let name = self.text(name_node).to_string();
        let mut traits: Vec<String> = Vec::new();
        let mut add = |t: Option<String>| {
            if let Some(t) = t
                && !t.is_empty()
                && !traits.contains(&t)
            {
                traits.push(t);
            }
        };
        for dec in decorators {
            add(self.last_segment(dec));
        }
        if let Some(bases) = node.child_by_field_name("superclasses") {
            for base in kids(bases) {
                if base.kind() != "keyword_argument" {
                    add(self.last_segment(base));
                } else if base.child_by_field_name("name").map(|n| self.text(n)) == Some("table")
                    && base
                        .child_by_field_name("value")
                        .is_some_and(|v| v.kind() == "true")
                {
                    // SQLModel's `class Customer(SQLModel, table=True)` is a table; without
                    // `table=True` it is only a schema.
                    add(Some("table=True".to_string()));
                }
            }
        }
        let index = self.types.len();
        self.types.push(TypeDef {
            name: name.clone(),
            span: span(name_node),
            extent: span(definition_node(node)),
            fields: Vec::new(),
            traits,
        });
        let scope = Scope {
            class: Some((name, index)),
        };
        self.opt_block(node.child_by_field_name("body"), out, &scope, d);
    }

    /// `dataclass` for `dataclass(frozen=True)`, `Model` for `models.Model`, `Generic` for
    /// `Generic[T]`. Walks iteratively.
    fn last_segment(&self, node: Node<'_>) -> Option<String> {
        let mut cur = node;
        loop {
            match cur.kind() {
                "identifier" => return Some(self.text(cur).to_string()),
                "attribute" => {
                    return cur
                        .child_by_field_name("attribute")
                        .map(|a| self.text(a).to_string());
                }
                "call" => cur = cur.child_by_field_name("function")?,
                "subscript" => cur = cur.child_by_field_name("value")?,
                _ => return None,
            }
        }
    }

    fn add_field(&mut self, type_index: usize, name: String, ty: Option<String>, span: Span) {
        if name.starts_with("__") && name.ends_with("__") {
            return; // `__tablename__`, `__slots__`: configuration, not data
        }
        if let Some(t) = self.types.get_mut(type_index)
            && !t.fields.iter().any(|f| f.name == name)
        {
            t.fields.push(FieldDef { name, ty, span });
        }
    }

    fn import(&mut self, node: Node<'_>) {
        for name in field_kids(node, "name") {
            if name.kind() == "aliased_import" {
                if let (Some(n), Some(a)) = (
                    name.child_by_field_name("name"),
                    name.child_by_field_name("alias"),
                ) {
                    self.imports.push(Import {
                        alias: self.text(a).to_string(),
                        path: self.compact(n),
                    });
                }
            } else {
                let full = self.compact(name);
                let first = full.split('.').next().unwrap_or_default().to_string();
                self.imports.push(Import {
                    alias: first.clone(),
                    path: first,
                });
            }
        }
    }

    fn import_from(&mut self, node: Node<'_>) {
        let module = node
            .child_by_field_name("module_name")
            .map(|m| self.compact(m))
            .unwrap_or_default();
        let join = |name: &str| {
            if module.is_empty() || module.ends_with('.') {
                format!("{module}{name}")
            } else {
                format!("{module}.{name}")
            }
        };
        let mut found = Vec::new();
        for name in field_kids(node, "name") {
            if name.kind() == "aliased_import" {
                if let (Some(n), Some(a)) = (
                    name.child_by_field_name("name"),
                    name.child_by_field_name("alias"),
                ) {
                    found.push(Import {
                        alias: self.text(a).to_string(),
                        path: join(&self.compact(n)),
                    });
                }
            } else {
                let n = self.compact(name);
                found.push(Import {
                    alias: n.rsplit('.').next().unwrap_or_default().to_string(),
                    path: join(&n),
                });
            }
        }
        if kids(node).iter().any(|k| k.kind() == "wildcard_import") {
            found.push(Import {
                alias: "*".to_string(),
                path: module.clone(),
            });
        }
        self.imports.extend(found);
    }

    // ---------------------------------------------------------------- expressions

    /// A place read: `a`, `a.b.c`, `a["k"].b`. Walks the chain iteratively.
    fn place_of(&self, node: Node<'_>) -> Option<Place> {
        let mut fields = Vec::new();
        let mut cur = node;
        loop {
            match cur.kind() {
                "identifier" => {
                    fields.reverse();
                    return Some(Place {
                        base: self.text(cur).to_string(),
                        fields,
                        span: span(node),
                    });
                }
                "attribute" => {
                    fields.push(self.text(cur.child_by_field_name("attribute")?).to_string());
                    cur = cur.child_by_field_name("object")?;
                }
                "subscript" => {
                    let keys = field_kids(cur, "subscript");
                    let [key] = keys[..] else { return None };
                    fields.push(self.literal(key)?);
                    cur = cur.child_by_field_name("value")?;
                }
                _ => return None,
            }
        }
    }

    /// The value of a plain (non-f) string literal.
    /// The model a class-level setting at `at` describes: the class itself, or for one in a
    /// Django `class Meta:`, the model class around it.
    fn model_of(&self, type_index: usize, at: u32) -> Option<usize> {
        if self.types.get(type_index).is_some_and(|t| t.name == "Meta") {
            self.types
                .iter()
                .rposition(|t| t.name != "Meta" && t.extent.start <= at && at < t.extent.end)
        } else {
            Some(type_index)
        }
    }

    fn literal(&self, node: Node<'_>) -> Option<String> {
        match node.kind() {
            "string" => {
                let (prefix, raw) = self.string_prefix(node);
                if prefix.contains('f') || prefix.contains('t') {
                    return None;
                }
                let mut value = String::new();
                for k in kids(node) {
                    if k.kind() == "string_content" {
                        value.push_str(&self.content(k, raw, false));
                    }
                }
                Some(value)
            }
            "concatenated_string" => {
                let mut value = String::new();
                for k in kids(node) {
                    value.push_str(&self.literal(k)?);
                }
                Some(value)
            }
            _ => None,
        }
    }

    /// The lowercase prefix letters of a string (`f`, `rb`...) and whether it is raw.
    fn string_prefix(&self, node: Node<'_>) -> (String, bool) {
        let start = kids(node)
            .into_iter()
            .find(|k| k.kind() == "string_start")
            .map_or("", |k| self.text(k));
        let prefix: String = start
            .chars()
            .take_while(char::is_ascii_alphabetic)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        let raw = prefix.contains('r');
        (prefix, raw)
    }

    fn content(&self, node: Node<'_>, raw: bool, fstring: bool) -> String {
        let text = self.text(node);
        let mut s = if raw {
            text.to_string()
        } else {
            unescape(text)
        };
        if fstring {
            s = s.replace("{{", "{").replace("}}", "}");
        }
        s
    }

    /// A value position: like [`Self::expr`], but also tuples without parentheses and `yield`.
    fn value(&mut self, node: Node<'_>, depth: usize) -> Expr {
        if node.kind() == "yield" {
            if let Some(inner) = first_kid(node) {
                let value = self.value(inner, depth + 1);
                self.pending.push(Stmt::Return {
                    value,
                    span: span(node),
                });
            }
            return Expr::Other(span(node));
        }
        self.expr(node, depth)
    }

    /// A condition: `and`/`or` there yield a boolean.
    fn condition(&mut self, node: Node<'_>, depth: usize) -> Expr {
        if node.kind() == "boolean_operator" {
            let parts = self
                .left_chain(node, "boolean_operator", |_, _| true)
                .into_iter()
                .map(|n| positional(self.condition(n, depth + 1)))
                .collect();
            return compound(CompoundKind::Boolean, parts, span(node));
        }
        self.expr(node, depth)
    }

    /// Operands of a left-nested chain of `kind` nodes (`a + b + c`), found iteratively.
    fn left_chain<'t>(
        &self,
        node: Node<'t>,
        kind: &str,
        accept: impl Fn(&Self, Node<'t>) -> bool,
    ) -> Vec<Node<'t>> {
        let mut operands = Vec::new();
        let mut cur = node;
        loop {
            if cur.kind() == kind
                && accept(self, cur)
                && let (Some(l), Some(r)) = (
                    cur.child_by_field_name("left"),
                    cur.child_by_field_name("right"),
                )
            {
                operands.push(r);
                cur = l;
                continue;
            }
            operands.push(cur);
            break;
        }
        operands.reverse();
        operands
    }

    /// Lowers one expression. A thin dispatcher: every construct lives in its own small
    /// function so that each level of nesting costs little stack, even in debug builds.
    fn expr(&mut self, node: Node<'_>, depth: usize) -> Expr {
        if depth > MAX_NESTING {
            self.deep();
            return Expr::Other(span(node));
        }
        let d = depth + 1;
        match node.kind() {
            "identifier" => Expr::Place(Place::var(self.text(node), span(node))),
            "attribute" | "subscript" => self.member(node, d),
            "call" => self.call(node, d),
            "string" | "concatenated_string" => self.string(node, d),
            "binary_operator" => self.binary(node, d),
            "unary_operator" => self.wrap(node, CompoundKind::Concat, d),
            "comparison_operator" | "not_operator" => self.wrap(node, CompoundKind::Boolean, d),
            "boolean_operator" => self.boolean_value(node, d),
            "conditional_expression" => self.conditional(node, d),
            "await"
            | "parenthesized_expression"
            | "list_splat"
            | "dictionary_splat"
            | "parenthesized_list_splat"
            | "list_splat_pattern"
            | "as_pattern" => self.transparent(node, d),
            "keyword_argument" => self.field_value(node, "value", d),
            "list" | "tuple" | "set" | "expression_list" | "pattern_list" | "tuple_pattern"
            | "list_pattern" => self.container(node, d),
            "dictionary" => self.dictionary(node, d),
            "list_comprehension"
            | "set_comprehension"
            | "generator_expression"
            | "dictionary_comprehension" => self.comprehension(node, d),
            "lambda" => self.lambda(node, d),
            "named_expression" => self.walrus(node, d),
            "yield" => self.value(node, d),
            _ => Expr::Other(span(node)),
        }
    }

    #[inline(never)]
    fn member(&mut self, node: Node<'_>, d: usize) -> Expr {
        if let Some(p) = self.place_of(node) {
            return Expr::Place(p);
        }
        let inner = node
            .child_by_field_name("object")
            .or_else(|| node.child_by_field_name("value"));
        let parts = inner
            .map(|i| vec![positional(self.expr(i, d))])
            .unwrap_or_default();
        compound(CompoundKind::Other, parts, span(node))
    }

    #[inline(never)]
    fn binary(&mut self, node: Node<'_>, d: usize) -> Expr {
        if let Some(e) = self.percent_format(node, d) {
            return e;
        }
        let parts = self
            .left_chain(node, "binary_operator", |s, n| !s.is_percent_format(n))
            .into_iter()
            .map(|n| positional(self.expr(n, d)))
            .collect();
        compound(CompoundKind::Concat, parts, span(node))
    }

    /// As a value, `a or b` is one of its operands.
    #[inline(never)]
    fn boolean_value(&mut self, node: Node<'_>, d: usize) -> Expr {
        let parts = self
            .left_chain(node, "boolean_operator", |_, _| true)
            .into_iter()
            .map(|n| positional(self.expr(n, d)))
            .collect();
        compound(CompoundKind::Other, parts, span(node))
    }

    /// `a if cond else b`: one of `a`, `b`.
    #[inline(never)]
    fn conditional(&mut self, node: Node<'_>, d: usize) -> Expr {
        let parts = kids(node)
            .into_iter()
            .enumerate()
            .filter(|(i, _)| *i != 1)
            .map(|(_, n)| positional(self.expr(n, d)))
            .collect();
        compound(CompoundKind::Other, parts, span(node))
    }

    #[inline(never)]
    fn transparent(&mut self, node: Node<'_>, d: usize) -> Expr {
        match first_kid(node) {
            Some(inner) => self.value(inner, d),
            None => Expr::Other(span(node)),
        }
    }

    #[inline(never)]
    fn field_value(&mut self, node: Node<'_>, field: &str, d: usize) -> Expr {
        match node.child_by_field_name(field) {
            Some(v) => self.expr(v, d),
            None => Expr::Other(span(node)),
        }
    }

    #[inline(never)]
    fn container(&mut self, node: Node<'_>, d: usize) -> Expr {
        let parts = kids(node)
            .into_iter()
            .map(|k| positional(self.value(k, d)))
            .collect();
        compound(CompoundKind::Container, parts, span(node))
    }

    #[inline(never)]
    fn dictionary(&mut self, node: Node<'_>, d: usize) -> Expr {
        let mut parts = Vec::new();
        for k in kids(node) {
            if k.kind() == "pair" {
                let key = k.child_by_field_name("key").and_then(|k| self.literal(k));
                let value = self.field_value(k, "value", d);
                parts.push(Part {
                    key,
                    value,
                    debug: false,
                });
            } else {
                parts.push(positional(self.expr(k, d)));
            }
        }
        compound(CompoundKind::Container, parts, span(node))
    }

    #[inline(never)]
    fn lambda(&mut self, node: Node<'_>, d: usize) -> Expr {
        let params = node
            .child_by_field_name("parameters")
            .map(|p| self.params(p))
            .unwrap_or_default();
        let saved = std::mem::take(&mut self.pending);
        let mut body = Vec::new();
        if let Some(b) = node.child_by_field_name("body") {
            let value = self.expr(b, d);
            body.append(&mut self.pending);
            body.push(Stmt::Return {
                value,
                span: span(b),
            });
        }
        self.pending = saved;
        Expr::Closure {
            params,
            body,
            span: span(node),
        }
    }

    /// `(name := value)`: binds `name` before the statement and reads it.
    #[inline(never)]
    fn walrus(&mut self, node: Node<'_>, d: usize) -> Expr {
        let (Some(name), Some(value)) = (
            node.child_by_field_name("name"),
            node.child_by_field_name("value"),
        ) else {
            return Expr::Other(span(node));
        };
        let value = self.expr(value, d);
        let place = Place::var(self.text(name), span(name));
        self.pending.push(Stmt::Assign {
            target: place.clone(),
            ty: None,
            value,
            span: span(node),
        });
        Expr::Place(place)
    }

    /// A compound of `kind` over all of the node's named children.
    #[inline(never)]
    fn wrap(&mut self, node: Node<'_>, kind: CompoundKind, d: usize) -> Expr {
        let parts = kids(node)
            .into_iter()
            .map(|k| positional(self.expr(k, d)))
            .collect();
        compound(kind, parts, span(node))
    }

    #[inline(never)]
    fn comprehension(&mut self, node: Node<'_>, d: usize) -> Expr {
        for clause in kids(node) {
            if clause.kind() != "for_in_clause" {
                continue;
            }
            let Some(left) = clause.child_by_field_name("left") else {
                continue;
            };
            let rights = field_kids(clause, "right");
            let value = if let [one] = rights[..] {
                self.expr(one, d)
            } else {
                let parts = rights
                    .iter()
                    .map(|r| positional(self.expr(*r, d)))
                    .collect();
                compound(CompoundKind::Container, parts, span(clause))
            };
            let mut bindings = Vec::new();
            self.assign_to(left, &value, None, span(clause), &mut bindings, d);
            self.pending.append(&mut bindings);
        }
        let mut parts = Vec::new();
        if let Some(body) = node.child_by_field_name("body") {
            if body.kind() == "pair" {
                for f in ["key", "value"] {
                    if let Some(n) = body.child_by_field_name(f) {
                        parts.push(positional(self.expr(n, d)));
                    }
                }
            } else {
                parts.push(positional(self.expr(body, d)));
            }
        }
        compound(CompoundKind::Container, parts, span(node))
    }

    #[inline(never)]
    fn call(&mut self, node: Node<'_>, d: usize) -> Expr {
        let sp = span(node);
        let Some(func) = node.child_by_field_name("function") else {
            return Expr::Other(sp);
        };
        let (name, path, receiver) = match func.kind() {
            "identifier" => {
                let n = self.text(func).to_string();
                (n.clone(), n, None)
            }
            "attribute" => {
                let method = func
                    .child_by_field_name("attribute")
                    .map(|a| self.text(a).to_string())
                    .unwrap_or_default();
                let object = func.child_by_field_name("object");
                let path = object
                    .and_then(|o| self.path_text(o))
                    .map_or_else(|| method.clone(), |p| format!("{p}.{method}"));
                let receiver = object.map(|o| self.expr(o, d));
                (method, path, receiver)
            }
            _ => (
                "__call__".to_string(),
                "__call__".to_string(),
                Some(self.expr(func, d)),
            ),
        };
        let mut args = Vec::new();
        let mut keywords = Vec::new();
        if let Some(list) = node.child_by_field_name("arguments") {
            if list.kind() == "generator_expression" {
                args.push(positional(self.expr(list, d)));
            } else {
                for a in kids(list) {
                    if a.kind() == "keyword_argument" {
                        let key = a
                            .child_by_field_name("name")
                            .map(|n| self.text(n).to_string());
                        let value = match a.child_by_field_name("value") {
                            Some(v) => self.expr(v, d),
                            None => Expr::Other(span(a)),
                        };
                        keywords.push(Part {
                            key,
                            value,
                            debug: false,
                        });
                    } else {
                        args.push(positional(self.expr(a, d)));
                    }
                }
            }
        }
        args.append(&mut keywords);
        Expr::Call(Box::new(Call {
            name,
            path,
            receiver,
            args,
            is_macro: false,
            span: sp,
        }))
    }

    /// `a.b.c` as written, for identifier/attribute chains only.
    fn path_text(&self, node: Node<'_>) -> Option<String> {
        let mut segs = Vec::new();
        let mut cur = node;
        loop {
            match cur.kind() {
                "identifier" => {
                    segs.push(self.text(cur));
                    break;
                }
                "attribute" => {
                    segs.push(self.text(cur.child_by_field_name("attribute")?));
                    cur = cur.child_by_field_name("object")?;
                }
                _ => return None,
            }
        }
        segs.reverse();
        Some(segs.join("."))
    }

    /// A string or implicitly concatenated strings: a `Str`, or a `Format` compound when any
    /// piece is an f-string (template first, then the interpolations).
    #[inline(never)]
    fn string(&mut self, node: Node<'_>, d: usize) -> Expr {
        let pieces = if node.kind() == "concatenated_string" {
            kids(node)
        } else {
            vec![node]
        };
        let mut template = String::new();
        let mut parts = Vec::new();
        let mut any_f = false;
        for piece in pieces {
            let (prefix, raw) = self.string_prefix(piece);
            let f = prefix.contains('f') || prefix.contains('t');
            any_f |= f;
            for k in kids(piece) {
                match k.kind() {
                    "string_content" => template.push_str(&self.content(k, raw, f)),
                    "interpolation" => {
                        template.push_str("{}");
                        self.interpolation(k, &mut parts, d);
                    }
                    _ => {}
                }
            }
        }
        if !any_f {
            return Expr::Str {
                value: template,
                span: span(node),
            };
        }
        parts.insert(
            0,
            positional(Expr::Str {
                value: template,
                span: span(node),
            }),
        );
        compound(CompoundKind::Format, parts, span(node))
    }

    #[inline(never)]
    fn interpolation(&mut self, node: Node<'_>, parts: &mut Vec<Part>, d: usize) {
        if d > MAX_NESTING {
            self.deep();
            return;
        }
        let conversion = node
            .child_by_field_name("type_conversion")
            .map(|c| self.text(c));
        let mut cursor = node.walk();
        let self_doc = node.children(&mut cursor).any(|c| c.kind() == "=");
        let debug = self_doc || matches!(conversion, Some("!r" | "!a"));
        if let Some(e) = node.child_by_field_name("expression") {
            let value = self.value(e, d + 1);
            parts.push(Part {
                key: None,
                value,
                debug,
            });
        }
        if let Some(spec) = node.child_by_field_name("format_specifier") {
            for fe in kids(spec) {
                if let Some(e) = fe.child_by_field_name("expression") {
                    let value = self.value(e, d + 1);
                    parts.push(positional(value));
                }
            }
        }
    }

    fn is_percent_format(&self, node: Node<'_>) -> bool {
        node.child_by_field_name("operator")
            .is_some_and(|o| o.kind() == "%")
            && node
                .child_by_field_name("left")
                .and_then(|l| self.literal(l))
                .is_some()
    }

    /// `"... %s %r" % (a, b)` and `"%(email)s" % {"email": e}`.
    #[inline(never)]
    fn percent_format(&mut self, node: Node<'_>, d: usize) -> Option<Expr> {
        if !self.is_percent_format(node) {
            return None;
        }
        let left = node.child_by_field_name("left")?;
        let right = node.child_by_field_name("right")?;
        let template = self.literal(left)?;
        let specs = percent_specs(&template);
        let mut parts = vec![positional(Expr::Str {
            value: template,
            span: span(left),
        })];
        match right.kind() {
            "tuple" => {
                let positional_specs: Vec<char> = specs
                    .iter()
                    .filter(|(n, _)| n.is_none())
                    .map(|(_, c)| *c)
                    .collect();
                for (i, k) in kids(right).into_iter().enumerate() {
                    let value = self.expr(k, d);
                    parts.push(Part {
                        key: None,
                        value,
                        debug: matches!(positional_specs.get(i), Some('r' | 'a')),
                    });
                }
            }
            "dictionary" => {
                if let Expr::Compound(c) = self.expr(right, d) {
                    for mut p in c.parts {
                        p.debug = specs
                            .iter()
                            .any(|(n, c)| n.is_some() && *n == p.key && matches!(c, 'r' | 'a'));
                        parts.push(p);
                    }
                }
            }
            _ => {
                let value = self.expr(right, d);
                parts.push(Part {
                    key: None,
                    value,
                    debug: matches!(specs.first(), Some((_, 'r' | 'a'))),
                });
            }
        }
        Some(compound(CompoundKind::Format, parts, span(node)))
    }
}

/// A function or class definition with its decorators, when it has any.
fn definition_node(node: Node<'_>) -> Node<'_> {
    match node.parent() {
        Some(p) if p.kind() == "decorated_definition" => p,
        _ => node,
    }
}

/// The table of a `"table.column"` (or `"schema.table.column"`) reference.
fn referenced_table(reference: &str) -> Option<String> {
    let mut segments = reference.rsplit('.');
    let _column = segments.next()?;
    segments
        .next()
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

/// The model a relationship's annotation names: `Mapped[list["Address"]]` → `Address`,
/// `Optional["User"]` → `User`.
fn annotated_target(annotation: &str) -> Option<String> {
    const WRAPPERS: &[&str] = &[
        "Mapped",
        "DynamicMapped",
        "WriteOnlyMapped",
        "List",
        "list",
        "Set",
        "set",
        "Sequence",
        "Optional",
        "Union",
        "None",
        "typing",
        "sqlalchemy",
        "orm",
    ];
    crate::rules::type_words(annotation)
        .filter(|w| !WRAPPERS.contains(w))
        .last()
        .map(str::to_string)
}
