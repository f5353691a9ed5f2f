//! The facts every frontend produces: a small, language-neutral intermediate representation.
//!
//! No language appears below this line. A frontend turns one source file into a [`FileFacts`];
//! everything after that (classification, the flow graph, the checks) reads only these types.
//! Every fact carries a byte [`Span`] into its file, so diagnostics can point at the exact code.

use serde::{Deserialize, Serialize};

/// A byte range in one source file (`start..end`), as miette and SARIF want it.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Self {
            start: start as u32,
            end: end.max(start) as u32,
        }
    }
    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }
    pub fn is_empty(self) -> bool {
        self.end == self.start
    }
}

/// The languages privlint reads. Adding one: its frontend file, one line in `lang::FRONTENDS`,
/// `rules/sinks/<lang>.yml`, and fixtures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    Rust,
    Python,
    /// Schema files and migrations: tables and their columns.
    Sql,
}

impl Language {
    pub fn name(self) -> &'static str {
        match self {
            Language::Rust => "rust",
            Language::Python => "python",
            Language::Sql => "sql",
        }
    }
}

/// Everything one file says that matters to privacy analysis.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct FileFacts {
    /// Functions and methods in source order. Code outside any function (a Python module body,
    /// a Rust `static` initialiser) is collected in a function with `is_module_body` set.
    pub functions: Vec<Function>,
    /// Struct, class and model definitions.
    pub types: Vec<TypeDef>,
    /// Names brought into scope: `use a::b as c`, `from a import b as c`, `import a.b`.
    pub imports: Vec<Import>,
    /// `privlint:` comments, one per line that carries one.
    pub directives: Vec<Directive>,
    /// Things the frontend could not read (too deeply nested, an unsupported construct) that the
    /// user should hear about. The file is still analysed as far as it was read.
    pub notes: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Import {
    /// The name as used in this file (`c` in `use a::b as c`).
    pub alias: String,
    /// The full path it stands for, with the language's separator (`a::b`, `a.b`).
    pub path: String,
}

/// A `privlint:` comment: `privlint: ignore[identifier-in-log] reason`, `privlint: purpose(x)`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Directive {
    /// 1-based line of the comment.
    pub line: u32,
    /// Whether code precedes the comment on its line (a trailing comment applies to its own line;
    /// a comment alone on its line applies to the next line).
    pub trailing: bool,
    /// The text after `privlint:`, trimmed.
    pub text: String,
    pub span: Span,
}

/// A struct, class, model or record type.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct TypeDef {
    pub name: String,
    pub span: Span,
    /// The whole definition, attributes and decorators included.
    #[serde(default)]
    pub extent: Span,
    pub fields: Vec<FieldDef>,
    /// What the type derives, inherits or is decorated with, as written, last path segment
    /// only: `Debug`, `Serialize`, `dataclass`, `BaseModel`, `Model`. A trait implemented by hand
    /// elsewhere in the file appears as `impl:Debug`, `impl:Display`.
    pub traits: Vec<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct FieldDef {
    pub name: String,
    /// The declared type as written (`Option<String>`, `SecretString`, `models.EmailField`).
    pub ty: Option<String>,
    pub span: Span,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Function {
    pub name: String,
    /// The type an `impl` block or class attaches this function to.
    pub owner: Option<String>,
    /// Parameters in order; a method's receiver (`self`) is parameter 0.
    pub params: Vec<Param>,
    /// The declared return type as written.
    pub ret_ty: Option<String>,
    /// Attributes and decorators as written, without `#[`/`@` (`get("/users")`, `app.route`).
    pub decorators: Vec<String>,
    pub body: Vec<Stmt>,
    /// The span of the function's name (or of the whole module for a module body).
    pub span: Span,
    /// The whole definition, attributes and decorators included: what a `privlint:` comment
    /// above it applies to.
    #[serde(default)]
    pub extent: Span,
    pub is_module_body: bool,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Param {
    pub name: String,
    pub ty: Option<String>,
    pub span: Span,
}

/// One statement, flattened: nested blocks (if/loop/match/with/try bodies, closures) are
/// emitted in source order into the enclosing function's body.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Stmt {
    /// `target = value` (also `let`, augmented assignment with the target among the value's
    /// parts, `for target in value`, `with value as target`).
    Assign {
        target: Place,
        /// The declared type of the target, where written (`let u: User = ...`, `u: User = ...`).
        ty: Option<String>,
        value: Expr,
        span: Span,
    },
    /// An expression evaluated for its effect, usually a call.
    Expr(Expr),
    /// `return value`, or a Rust block's tail expression.
    Return { value: Expr, span: Span },
    /// The condition of an `if`, `while`, `match` guard or `assert`: which fields and flags
    /// decide whether the code after it runs. Later checks ask whether a sink is guarded by one.
    Branch { condition: Expr, span: Span },
}

/// A place that can be read or written: a variable and a path of fields into it.
/// `user.email` is `{ base: "user", fields: ["email"] }`; `data["email"]` is the same shape.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub base: String,
    pub fields: Vec<String>,
    pub span: Span,
}

impl Place {
    pub fn var(name: impl Into<String>, span: Span) -> Self {
        Self {
            base: name.into(),
            fields: Vec::new(),
            span,
        }
    }
    /// The name the value is known by: the last field, or the variable.
    pub fn leaf(&self) -> &str {
        self.fields.last().unwrap_or(&self.base)
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Expr {
    /// A variable or a field path read.
    Place(Place),
    Call(Box<Call>),
    /// A string literal (its value, unescaped where the frontend can).
    Str {
        value: String,
        span: Span,
    },
    /// Several values combined into one. What `kind` says decides whether personal data in a
    /// part survives into the whole.
    Compound(Compound),
    /// A lambda or closure used as a value. Its body is analysed with the enclosing function
    /// (it sees the same variables); a `Stmt::Return` inside `body` returns from the closure,
    /// not from the function. A closure passed to a method (`users.iter().map(|u| ...)`) gets
    /// its parameters from the receiver.
    Closure {
        params: Vec<Param>,
        body: Vec<Stmt>,
        span: Span,
    },
    /// Anything else: numbers, booleans, `None`, constructs no check needs.
    Other(Span),
}

impl Expr {
    pub fn span(&self) -> Span {
        match self {
            Expr::Place(p) => p.span,
            Expr::Call(c) => c.span,
            Expr::Str { span, .. } | Expr::Other(span) | Expr::Closure { span, .. } => *span,
            Expr::Compound(c) => c.span,
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Compound {
    pub kind: CompoundKind,
    pub parts: Vec<Part>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CompoundKind {
    /// String formatting: `format!`, f-strings, `%`, template literals. Parts are the
    /// interpolated values (and the template as a `Str` part).
    Format,
    /// `a + b`, string concatenation, arithmetic.
    Concat,
    /// Tuples, lists, arrays, dicts, sets, struct literals (`User { email }` has keyed parts),
    /// comprehensions.
    Container,
    /// Comparisons, `not`, `in`, `is`, `&&`/`||` used as a condition: the result is a boolean,
    /// which carries no personal data.
    Boolean,
    /// Any other expression built from parts (conditional expressions, casts, references,
    /// `await`, `?`, indexing by a non-literal, slices): the value is one of its parts.
    Other,
}

/// One part of a compound value or one argument of a call.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Part {
    /// The key or keyword: a dict key or struct field in a container, a keyword argument
    /// (`extra=`), a structured log field (`info!(email = %x)`).
    pub key: Option<String>,
    pub value: Expr,
    /// Rendered with the debug representation (`{:?}`, `?x`, `!r`, `%r`): a whole object shows
    /// its fields this way.
    pub debug: bool,
}

impl Part {
    pub fn positional(value: Expr) -> Self {
        Self {
            key: None,
            value,
            debug: false,
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Call {
    /// The last segment of the callee: `info` in `log::info!`, `logger.info(...)` and
    /// `logging.info(...)`; the method name in a method call.
    pub name: String,
    /// The callee as written, segments joined with the language's separator:
    /// `log::info`, `logging.info`, `self.logger.info`, `User::new`. For a method called on a
    /// value that is not a simple path (`f().g()`), just the method name.
    pub path: String,
    /// The value a method is called on, when the callee is `receiver.name(...)`.
    pub receiver: Option<Expr>,
    pub args: Vec<Part>,
    /// A Rust macro invocation (`println!`).
    pub is_macro: bool,
    pub span: Span,
}

/// Every call in `stmts`, nested ones included (arguments, receivers, closures), in no
/// particular order.
pub fn for_each_call<'a>(stmts: &'a [Stmt], mut f: impl FnMut(&'a Call)) {
    let mut stack: Vec<&'a Expr> = Vec::new();
    let push_stmts = |stmts: &'a [Stmt], stack: &mut Vec<&'a Expr>| {
        for stmt in stmts {
            match stmt {
                Stmt::Assign { value, .. } | Stmt::Return { value, .. } | Stmt::Expr(value) => {
                    stack.push(value);
                }
                Stmt::Branch { condition, .. } => stack.push(condition),
            }
        }
    };
    push_stmts(stmts, &mut stack);
    while let Some(expr) = stack.pop() {
        match expr {
            Expr::Call(call) => {
                f(call);
                stack.extend(call.receiver.as_ref());
                stack.extend(call.args.iter().map(|a| &a.value));
            }
            Expr::Compound(c) => stack.extend(c.parts.iter().map(|p| &p.value)),
            Expr::Closure { body, .. } => push_stmts(body, &mut stack),
            Expr::Place(_) | Expr::Str { .. } | Expr::Other(_) => {}
        }
    }
}
