use super::*;
use crate::ir::{CompoundKind, Expr, Function, Part, Stmt};
use crate::lang::Frontend;

fn facts(src: &str) -> FileFacts {
    RustFrontend.facts(src).expect("parses")
}

fn func<'f>(facts: &'f FileFacts, name: &str) -> &'f Function {
    facts
        .functions
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no function {name}"))
}

/// A compact rendering of an expression, so assertions read like the code.
fn show(e: &Expr) -> String {
    match e {
        Expr::Place(p) => {
            let mut s = p.base.clone();
            for f in &p.fields {
                s.push('.');
                s.push_str(f);
            }
            s
        }
        Expr::Str { value, .. } => format!("{value:?}"),
        Expr::Call(c) => {
            let bang = if c.is_macro { "!" } else { "" };
            let callee = match &c.receiver {
                Some(r @ (Expr::Call(_) | Expr::Compound(_))) => format!("{}.{}", show(r), c.name),
                _ => c.path.clone(),
            };
            format!("{callee}{bang}({})", show_parts(&c.args))
        }
        Expr::Compound(c) => {
            let kind = match c.kind {
                CompoundKind::Format => "Format",
                CompoundKind::Concat => "Concat",
                CompoundKind::Container => "Container",
                CompoundKind::Boolean => "Boolean",
                CompoundKind::Other => "Other",
            };
            format!("{kind}[{}]", show_parts(&c.parts))
        }
        Expr::Closure { params, body, .. } => {
            let names: Vec<&str> = params.iter().map(|p| p.name.as_str()).collect();
            let stmts: Vec<String> = body.iter().map(show_stmt).collect();
            format!("|{}| {{{}}}", names.join(", "), stmts.join("; "))
        }
        Expr::Other(_) => "_".to_string(),
    }
}

fn show_parts(parts: &[Part]) -> String {
    parts
        .iter()
        .map(|p| {
            let key = p.key.as_ref().map(|k| format!("{k}=")).unwrap_or_default();
            let dbg = if p.debug { "?" } else { "" };
            format!("{key}{dbg}{}", show(&p.value))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn show_stmt(s: &Stmt) -> String {
    match s {
        Stmt::Assign {
            target, ty, value, ..
        } => {
            let ty = ty.as_ref().map(|t| format!(": {t}")).unwrap_or_default();
            format!(
                "{}{ty} = {}",
                show(&Expr::Place(target.clone())),
                show(value)
            )
        }
        Stmt::Expr(e) => show(e),
        Stmt::Return { value, .. } => format!("return {}", show(value)),
        Stmt::Branch { condition, .. } => format!("if {}", show(condition)),
    }
}

fn body(f: &Function) -> Vec<String> {
    f.body.iter().map(show_stmt).collect()
}

fn text_at(src: &str, span: crate::ir::Span) -> &str {
    &src[span.start as usize..span.end as usize]
}

#[test]
fn functions_methods_owners_and_params() {
    let src = r#"
use std::fmt;

/// Docs are not decorators.
#[instrument(skip(password))]
pub async fn login(mut name: String, password: &str, (a, b): (u8, u8), _: i32) -> Result<User, Error> {
    fn helper(x: Option<User>) {}
    Ok(make(name))
}

impl User {
    #[get("/users")]
    pub fn email(&self, other: &User) -> &str { &self.email }
}

impl<'a> fmt::Display for Wrapper<'a> {
    fn fmt(&mut self, f: &mut fmt::Formatter<'_>) -> fmt::Result { Ok(()) }
}

trait Greeter {
    fn greet(&self) -> String { format!("hi {}", self.name()) }
    fn name(&self) -> String;
}

mod inner {
    fn nested_mod_fn() {}
}
"#;
    let f = facts(src);
    let names: Vec<(&str, Option<&str>)> = f
        .functions
        .iter()
        .map(|x| (x.name.as_str(), x.owner.as_deref()))
        .collect();
    assert_eq!(
        names,
        [
            ("login", None),
            ("helper", None),
            ("email", Some("User")),
            ("fmt", Some("Wrapper")),
            ("greet", Some("Greeter")),
            ("nested_mod_fn", None),
        ]
    );
    let login = func(&f, "login");
    assert_eq!(text_at(src, login.span), "login");
    assert_eq!(login.decorators, ["instrument(skip(password))"]);
    assert_eq!(login.ret_ty.as_deref(), Some("Result<User,Error>"));
    let params: Vec<(&str, Option<&str>)> = login
        .params
        .iter()
        .map(|p| (p.name.as_str(), p.ty.as_deref()))
        .collect();
    assert_eq!(
        params,
        [
            ("name", Some("String")),
            ("password", Some("&str")),
            ("a", None),
            ("b", None),
            ("_", Some("i32")),
        ]
    );
    assert_eq!(body(login), ["return Ok(make(name))"]);
    let helper = func(&f, "helper");
    assert_eq!(helper.params[0].ty.as_deref(), Some("Option<User>"));
    let email = func(&f, "email");
    assert_eq!(email.decorators, [r#"get("/users")"#]);
    assert_eq!(email.params[0].name, "self");
    assert_eq!(email.params[0].ty.as_deref(), Some("User"));
    assert_eq!(email.params[1].ty.as_deref(), Some("&User"));
    assert_eq!(body(email), ["return self.email"]);
    let fmt = func(&f, "fmt");
    assert_eq!(fmt.params[1].ty.as_deref(), Some("&mut fmt::Formatter<'_>"));
    assert_eq!(
        body(func(&f, "greet")),
        [r#"return format!("hi {}", self.name())"#]
    );
    assert_eq!(f.imports[0].path, "std::fmt");
}

#[test]
fn format_macros_with_captures_and_debug() {
    let src = r#"
fn f(user: User, email: &str) {
    println!("user {} has {:?} and {email} / {id:?}", user.name, user, id = user.id);
    let s = format!("{0} {0:?} {name}", email, name = user.name);
    writeln!(out, "mail: {}", email).unwrap();
    assert!(user.ok(), "bad {:?}", user);
    dbg!(user.email);
}
"#;
    let f = facts(src);
    let b = body(func(&f, "f"));
    assert_eq!(
        b,
        [
            r#"println!("user {} has {:?} and {email} / {id:?}", user.name, ?user, id=?user.id, email)"#,
            r#"s = format!("{0} {0:?} {name}", ?email, name=user.name)"#,
            r#"writeln!(out, "mail: {}", email).unwrap()"#,
            "if user.ok()",
            r#"assert!(user.ok(), "bad {:?}", ?user)"#,
            "dbg!(?user.email)",
        ]
    );
    // The inline capture points into the literal.
    let Stmt::Expr(Expr::Call(c)) = &func(&f, "f").body[0] else {
        panic!("println call");
    };
    let capture = &c.args.last().unwrap().value;
    assert_eq!(text_at(src, capture.span()), "email");
}

#[test]
fn tracing_log_and_slog_fields() {
    let src = r#"
fn f(user: User, email: String) {
    tracing::info!(email = %user.email, ?user, %email, user.id = user.id, "logged in {}", user.name);
    info!(target: "auth", "{}", email);
    event!(Level::INFO, name: "x", email, "done");
    slog::info!(log, "msg {}", x; "email" => %email, "n" => n);
    log::warn!(user_email = email; "kv {}", 1);
}
"#;
    let f = facts(src);
    assert_eq!(
        body(func(&f, "f")),
        [
            r#"tracing::info!(email=user.email, user=?user, email=email, user.id=user.id, "logged in {}", user.name)"#,
            r#"info!("{}", email)"#,
            r#"event!(email=email, "done")"#,
            r#"slog::info!(log, "msg {}", x, email=email, n=n)"#,
            r#"log::warn!(user_email=email, "kv {}", _)"#,
        ]
    );
}

#[test]
fn struct_literals_calls_and_method_paths() {
    let src = r#"
fn f(e: String, name: String) -> User {
    let u = models::User { email: e.clone(), name, ..Default::default() };
    self.logger.info(&u.email);
    get_user().send(u);
    let n = User::new(e);
    let v = vec![e, name];
    let t = (e, 1);
    let m = map["email"];
    let ix = items[i];
    let j = json!({"email": e, "tags": [name]});
    u
}
"#;
    let f = facts(src);
    assert_eq!(
        body(func(&f, "f")),
        [
            "u = models::User(email=e.clone(), name=name, Default::default())",
            "self.logger.info(u.email)",
            "get_user().send(u)",
            "n = User::new(e)",
            "v = Container[e, name]",
            "t = Container[e, _]",
            "m = map.email",
            "ix = Other[items]",
            r"j = json!(Container[email=e, tags=Container[name]])",
            "return u",
        ]
    );
    let Stmt::Expr(Expr::Call(c)) = &func(&f, "f").body[2] else {
        panic!("method call");
    };
    assert_eq!(c.name, "send");
    assert_eq!(show(c.receiver.as_ref().unwrap()), "get_user()");
}

#[test]
fn let_patterns_and_assignments() {
    let src = r#"
fn f(u: User, t: (A, B)) {
    let User { email, name: n, .. } = u;
    let (a, b) = t;
    let x: Email = u.email;
    let y;
    let Some(z) = maybe else { return; };
    u.email = a;
    total += b;
    m["k"] = x;
}
"#;
    let f = facts(src);
    assert_eq!(
        body(func(&f, "f")),
        [
            "email = u.email",
            "n = u.name",
            "a = t",
            "b = t",
            "x: Email = u.email",
            "return _",
            "z = maybe",
            "u.email = a",
            "total = Concat[total, b]",
            "m.k = x",
        ]
    );
}

#[test]
fn control_flow_bindings_and_tails() {
    let src = r#"
fn f(users: Vec<User>, opt: Option<User>) -> String {
    if let Some(u) = opt { info!("{}", u.email); }
    while ready(&users) { tick(); }
    for User { email, .. } in &users { send(email); }
    match lookup(id) {
        Ok(user) if user.admin => audit(user),
        Err(e) => { warn!("{}", e); }
        _ => {}
    }
    let label = if vip { user.name } else { "anon" };
    let v = { prepare(); token };
    let names: Vec<String> = users.iter().map(|u| u.email.clone()).collect();
    let g = |x: &User| { let e = x.email; e };
    loop { unsafe { poke(); } break; }
    return label;
}
"#;
    let f = facts(src);
    assert_eq!(
        body(func(&f, "f")),
        [
            "if opt",
            "u = opt",
            r#"info!("{}", u.email)"#,
            "if ready(users)",
            "tick()",
            "email = users.email",
            "send(email)",
            "if lookup(id)",
            "user = lookup(id)",
            "if user.admin",
            "audit(user)",
            "e = Other[err=lookup(id)]",
            r#"warn!("{}", e)"#,
            "if vip",
            r#"label = Other[user.name, "anon"]"#,
            "prepare()",
            "v = token",
            "names: Vec<String> = users.iter().map(|u| {return u.email.clone()}).collect()",
            "g = |x| {e = x.email; return e}",
            "poke()",
            "return label",
        ]
    );
}

#[test]
fn tail_expression_is_a_return_only_with_a_return_type() {
    let f = facts("fn a() -> u8 { if c { x } else { y } }\nfn b() { run(x) }\n");
    assert_eq!(body(func(&f, "a")), ["if c", "return Other[x, y]"]);
    assert_eq!(body(func(&f, "b")), ["run(x)"]);
}

#[test]
fn module_body_holds_consts_and_statics() {
    let src = "const ADMIN: &str = \"root@example.com\";\nstatic N: u8 = compute();\nfn f() {}\n";
    let f = facts(src);
    let m = &f.functions[0];
    assert!(m.is_module_body);
    assert_eq!(m.name, "<module>");
    assert_eq!(
        body(m),
        [r#"ADMIN: &str = "root@example.com""#, "N: u8 = compute()"]
    );
    assert!(!f.functions[1].is_module_body);
}

#[test]
fn types_derives_and_impls() {
    let src = r"
#[derive(Debug, serde::Serialize, Clone)]
pub struct User { pub email: String, phone: Option<String> }
pub struct Id(u64, String);
#[derive(Debug)]
enum Contact { Email { address: String }, Phone { number: String, address: String }, None }
impl std::fmt::Display for User { fn fmt(&self, f: &mut Formatter) -> Result { Ok(()) } }
impl Debug for External {}
";
    let f = facts(src);
    let user = &f.types[0];
    assert_eq!(user.name, "User");
    assert_eq!(user.traits, ["Debug", "Serialize", "Clone", "impl:Display"]);
    let fields: Vec<(&str, Option<&str>)> = user
        .fields
        .iter()
        .map(|x| (x.name.as_str(), x.ty.as_deref()))
        .collect();
    assert_eq!(
        fields,
        [("email", Some("String")), ("phone", Some("Option<String>"))]
    );
    assert_eq!(text_at(src, user.fields[1].span), "phone");
    let id = &f.types[1];
    assert_eq!(id.fields[1].name, "1");
    let contact = &f.types[2];
    let names: Vec<&str> = contact.fields.iter().map(|x| x.name.as_str()).collect();
    assert_eq!(names, ["address", "number"]);
    let ext = f.types.iter().find(|t| t.name == "External").unwrap();
    assert_eq!(ext.traits, ["impl:Debug"]);
    assert_eq!(text_at(src, ext.span), "External");
}

#[test]
fn imports() {
    let f = facts("use a::b::{c, d as e, f::*, self};\nextern crate serde as s;\nuse ::g;\n");
    let got: Vec<(&str, &str)> = f
        .imports
        .iter()
        .map(|i| (i.alias.as_str(), i.path.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("c", "a::b::c"),
            ("e", "a::b::d"),
            ("*", "a::b::f"),
            ("b", "a::b"),
            ("s", "serde"),
            ("g", "g"),
        ]
    );
}

#[test]
fn directives_and_offsets_survive_bom_shebang_and_unicode() {
    let src = "\u{feff}#!/usr/bin/env run-cargo-script\n// privlint: purpose(billing)\nfn é() { log(\"ü\", x); } // privlint: ignore[identifier-in-log] ok\n";
    let f = facts(src);
    assert_eq!(f.directives.len(), 2);
    assert_eq!(f.directives[0].text, "purpose(billing)");
    assert!(f.directives[1].trailing);
    let func = &f.functions[0];
    assert_eq!(text_at(src, func.span), "é");
    let Stmt::Expr(Expr::Call(c)) = &func.body[0] else {
        panic!("call");
    };
    assert_eq!(text_at(src, c.args[1].value.span()), "x");
}

#[test]
fn parse_error_is_reported_with_position() {
    let err = RustFrontend
        .facts("fn ok() {}\nfn broken( {\n")
        .unwrap_err();
    assert_eq!(err.line, 2);
    assert!(err.column >= 1);
    assert!(!err.message.is_empty());
}

#[test]
fn deep_nesting_gives_a_note_not_a_crash() {
    for (open, close) in [("(", ")"), ("{", "}"), ("[", "]")] {
        let src = format!(
            "fn f() {{ let x = {}1{}; }}",
            open.repeat(5000),
            close.repeat(5000)
        );
        let f = RustFrontend.facts(&src).expect("a note, not an error");
        assert!(f.functions.is_empty());
        assert!(f.notes[0].contains("nested"), "{:?}", f.notes);
    }
    // Unbracketed chains syn would also nest: unary runs, else-if chains, method chains.
    let chains = [
        format!("fn f() {{ let x = {}y; }}", "!".repeat(50_000)),
        format!("fn f() {{ if a {{}} {} }}", "else if a {} ".repeat(50_000)),
        format!("fn f() {{ x{}; }}", ".f()".repeat(50_000)),
        format!("fn f() {{ let x = 1{}; }}", " + 1".repeat(100_000)),
        format!("fn f() {{ let x = {}1; }}", "|a| ".repeat(50_000)),
    ];
    for src in &chains {
        let f = RustFrontend.facts(src).expect("a note, not an error");
        assert!(!f.notes.is_empty());
    }
}

#[test]
fn moderately_deep_code_is_read_up_to_the_limit() {
    // Just under the pre-scan's limits: syn parses it, the converter cuts off with a note.
    let method_chain = format!("fn f() {{ x{}; }}", ".f()".repeat(1500));
    let f = facts(&method_chain);
    assert_eq!(f.functions.len(), 1);
    assert!(f.notes[0].contains("levels deep"), "{:?}", f.notes);
    let parens = format!(
        "fn f() {{ let x = {}1{}; }}",
        "(".repeat(190),
        ")".repeat(190)
    );
    let f = facts(&parens);
    assert_eq!(f.functions.len(), 1);
    let sum = format!("fn f() {{ let x = a{}; }}", " + a".repeat(1000));
    let f = facts(&sum);
    let Stmt::Assign { value, .. } = &f.functions[0].body[0] else {
        panic!("assign");
    };
    let Expr::Compound(c) = value else {
        panic!("compound");
    };
    assert_eq!(c.parts.len(), 1001);
    assert!(f.notes.is_empty());
}

#[test]
fn odd_macros_never_fail_the_file() {
    let src = r#"
macro_rules! m { ($x:expr) => { $x }; }
lazy_static! { static ref X: u8 = 1; }
fn f() {
    m!(a b c);
    sqlx::query!("SELECT * FROM users WHERE email = $1", email);
    html! { <div>{ name }</div> }
    let v = HashMap::<K, V>::new();
    info!("{:>width$} {}", name, email, width = 10);
}
"#;
    let f = facts(src);
    let b = body(func(&f, "f"));
    assert_eq!(b[0], "m!(_)");
    assert_eq!(
        b[1],
        r#"sqlx::query!("SELECT * FROM users WHERE email = $1", email)"#
    );
    assert_eq!(b[4], r#"info!("{:>width$} {}", name, email, width=_)"#);
}

#[test]
fn truncated_and_odd_input_never_panics() {
    let src = r##"fn f(u: User) -> String { let User { email, .. } = u; info!(email = %u.email, "x {email:?} {}", r#"raw"#); match u { A(x) if x > 1 => { x } _ => 'c' } }"##;
    for (i, _) in src.char_indices() {
        let _ = RustFrontend.facts(&src[..i]);
    }
    for odd in [
        "'",
        "\"",
        "r#\"",
        "/*",
        "}}}",
        "#!",
        "\u{feff}",
        "",
        "fn",
        "#![allow(x)]",
    ] {
        let _ = RustFrontend.facts(odd);
    }
}

#[test]
fn cargo_script_frontmatter_is_skipped_with_offsets_kept() {
    let src = "#!/usr/bin/env -S cargo +nightly -Zscript\n---cargo\n[dependencies]\nclap = \"4\"\n---\n\nfn main() { println!(\"{}\", email); }\n";
    let f = facts(src);
    let main = func(&f, "main");
    let at = src.find("main").unwrap();
    assert_eq!(main.span.start as usize, at);
}

#[test]
fn let_underscore_keeps_the_call() {
    let f = facts("fn f(user: &User) { let _ = send(&user.email); let _x = 1; }");
    assert_eq!(body(func(&f, "f")), ["send(user.email)", "_x = _"]);
}

#[test]
fn models_name_their_tables() {
    let f = facts(
        "#[derive(Queryable)]\n#[diesel(table_name = crate::schema::users)]\nstruct User { email: String }\n#[derive(DeriveEntityModel)]\n#[sea_orm(table_name = \"orders\")]\npub struct Model { pub id: i32 }\n",
    );
    let traits = |name: &str| {
        f.types
            .iter()
            .find(|t| t.name == name)
            .map(|t| t.traits.clone())
            .unwrap_or_default()
    };
    assert!(
        traits("User").contains(&"table:users".to_string()),
        "{:?}",
        traits("User")
    );
    assert!(
        traits("Model").contains(&"table:orders".to_string()),
        "{:?}",
        traits("Model")
    );
}
