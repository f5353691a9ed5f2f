use super::*;

fn facts(src: &str) -> FileFacts {
    match PythonFrontend.facts(src) {
        Ok(f) => f,
        Err(e) => panic!("parse error: {e}"),
    }
}

fn func<'f>(facts: &'f FileFacts, name: &str) -> &'f Function {
    facts
        .functions
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no function {name}"))
}

fn ty<'f>(facts: &'f FileFacts, name: &str) -> &'f TypeDef {
    facts
        .types
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no type {name}"))
}

fn place(e: &Expr) -> (&str, Vec<&str>) {
    match e {
        Expr::Place(p) => (
            p.base.as_str(),
            p.fields.iter().map(String::as_str).collect(),
        ),
        other => panic!("not a place: {other:?}"),
    }
}

fn call(e: &Expr) -> &Call {
    match e {
        Expr::Call(c) => c,
        other => panic!("not a call: {other:?}"),
    }
}

fn comp(e: &Expr) -> &Compound {
    match e {
        Expr::Compound(c) => c,
        other => panic!("not a compound: {other:?}"),
    }
}

/// The expression statements' calls of a body, in order.
fn calls(body: &[Stmt]) -> Vec<&Call> {
    body.iter()
        .filter_map(|s| match s {
            Stmt::Expr(Expr::Call(c)) => Some(&**c),
            _ => None,
        })
        .collect()
}

fn assigns(body: &[Stmt]) -> Vec<(&Place, &Option<String>, &Expr)> {
    body.iter()
        .filter_map(|s| match s {
            Stmt::Assign {
                target, ty, value, ..
            } => Some((target, ty, value)),
            _ => None,
        })
        .collect()
}

#[test]
fn module_body_functions_methods_and_params() {
    let f = facts(
        r#"import logging
logger = logging.getLogger(__name__)

@app.route("/users")
async def create(request, *args, limit: int = 5, **kwargs) -> dict[str, Any]:
    def helper(x):
        return x
    return {}

class Service:
    retries = 3

    def handle(self, user: "User") -> None:
        pass

    @staticmethod
    def build(cfg):
        pass
"#,
    );
    let module = &f.functions[0];
    assert!(module.is_module_body);
    assert_eq!(module.name, "<module>");
    assert_eq!(module.span, Span::new(0, f_len(&f)));
    let a = assigns(&module.body);
    assert_eq!(a[0].0.base, "logger");
    let c = call(a[0].2);
    assert_eq!(
        (c.name.as_str(), c.path.as_str()),
        ("getLogger", "logging.getLogger")
    );
    assert_eq!(place(c.receiver.as_ref().unwrap()), ("logging", vec![]));
    assert_eq!(place(&c.args[0].value), ("__name__", vec![]));
    // class-body statements go to the module body
    assert!(a.iter().any(|(p, _, _)| p.base == "retries"));

    let names: Vec<&str> = f.functions.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["<module>", "create", "helper", "handle", "build"]);
    let create = func(&f, "create");
    assert_eq!(create.decorators, ["app.route(\"/users\")"]);
    assert_eq!(create.ret_ty.as_deref(), Some("dict[str,Any]"));
    let params: Vec<(&str, Option<&str>)> = create
        .params
        .iter()
        .map(|p| (p.name.as_str(), p.ty.as_deref()))
        .collect();
    assert_eq!(
        params,
        [
            ("request", None),
            ("args", None),
            ("limit", Some("int")),
            ("kwargs", None)
        ]
    );
    assert_eq!(create.owner, None);
    assert_eq!(func(&f, "helper").owner, None);
    assert!(matches!(create.body[..], [Stmt::Return { .. }]));

    let handle = func(&f, "handle");
    assert_eq!(handle.owner.as_deref(), Some("Service"));
    assert_eq!(handle.params[0].name, "self");
    assert_eq!(handle.params[0].ty.as_deref(), Some("Service"));
    assert_eq!(handle.params[1].ty.as_deref(), Some("User"));
    assert_eq!(handle.ret_ty.as_deref(), Some("None"));
    let build = func(&f, "build");
    assert_eq!(build.params[0].ty, None);
    assert_eq!(build.decorators, ["staticmethod"]);
    assert_eq!(ty(&f, "Service").fields[0].name, "retries");
}

fn f_len(f: &FileFacts) -> usize {
    f.functions[0].span.end as usize
}

#[test]
fn dataclass_pydantic_django_and_init_fields() {
    let f = facts(
        r#"
@dataclass(frozen=True)
class User:
    email: str
    name: Optional[str] = None
    email: int = 3

class Signup(BaseModel):
    email: EmailStr = Field(...)
    def __repr__(self):
        return "Signup"

class Profile(models.Model):
    __tablename__ = "profiles"
    email = models.EmailField(max_length=200)
    phone = Column(String)
    kind = "x"

class Account(Base, Generic[T], metaclass=Meta):
    def __init__(self, email, ssn):
        self.email = email
        if ssn:
            self.ssn: str = ssn
        self.email = None
        other.x = 1
    def __str__(self):
        return self.email
"#,
    );
    let user = ty(&f, "User");
    assert_eq!(user.traits, ["dataclass"]);
    let fields: Vec<(&str, Option<&str>)> = user
        .fields
        .iter()
        .map(|x| (x.name.as_str(), x.ty.as_deref()))
        .collect();
    assert_eq!(
        fields,
        [("email", Some("str")), ("name", Some("Optional[str]"))]
    );
    let signup = ty(&f, "Signup");
    assert_eq!(signup.traits, ["BaseModel", "impl:__repr__"]);
    assert_eq!(signup.fields[0].ty.as_deref(), Some("EmailStr"));
    let profile = ty(&f, "Profile");
    assert_eq!(profile.traits, ["Model", "table:profiles"]);
    let fields: Vec<(&str, Option<&str>)> = profile
        .fields
        .iter()
        .map(|x| (x.name.as_str(), x.ty.as_deref()))
        .collect();
    assert_eq!(
        fields,
        [
            ("email", Some("models.EmailField")),
            ("phone", Some("Column")),
            ("kind", None)
        ]
    );
    let account = ty(&f, "Account");
    assert_eq!(account.traits, ["Base", "Generic", "impl:__str__"]);
    let fields: Vec<(&str, Option<&str>)> = account
        .fields
        .iter()
        .map(|x| (x.name.as_str(), x.ty.as_deref()))
        .collect();
    assert_eq!(fields, [("email", None), ("ssn", Some("str"))]);
    let init = func(&f, "__init__");
    let a = assigns(&init.body);
    assert_eq!(
        (a[0].0.base.as_str(), a[0].0.fields.clone()),
        ("self", vec!["email".to_string()])
    );
    assert_eq!(place(a[0].2), ("email", vec![]));
    assert!(matches!(init.body[1], Stmt::Branch { .. }));
    // `User` span points at the name
    let src_start = user.span.start as usize;
    assert_eq!(user.span.len(), 4);
    assert!(src_start > 0);
}

#[test]
fn format_strings_percent_and_format_method() {
    let f = facts(
        r#"
def f(user, e, u):
    logger.info(f"signup {user.email} {u!r} {e=} {{literal}}")
    logger.warning("user %s id %r" % (user.email, u))
    logger.warning("user %(email)r" % {"email": e})
    logger.warning("only %s" % e)
    logger.error("{} failed".format(e))
    logger.debug("a" "b")
    logger.debug("x: %s", e, exc_info=True)
    digest = hashlib.sha256(e).hexdigest()
"#,
    );
    let body = &func(&f, "f").body;
    let c = calls(body);
    let fmt = comp(&c[0].args[0].value);
    assert_eq!(fmt.kind, CompoundKind::Format);
    assert!(
        matches!(&fmt.parts[0].value, Expr::Str { value, .. } if value == "signup {} {} {} {literal}")
    );
    assert_eq!(place(&fmt.parts[1].value), ("user", vec!["email"]));
    assert!(!fmt.parts[1].debug);
    assert!(fmt.parts[2].debug);
    assert!(fmt.parts[3].debug);

    let pct = comp(&c[1].args[0].value);
    assert_eq!(pct.kind, CompoundKind::Format);
    assert!(matches!(&pct.parts[0].value, Expr::Str { value, .. } if value == "user %s id %r"));
    assert_eq!(place(&pct.parts[1].value), ("user", vec!["email"]));
    assert!(!pct.parts[1].debug);
    assert!(pct.parts[2].debug);

    let pct = comp(&c[2].args[0].value);
    assert_eq!(pct.parts[1].key.as_deref(), Some("email"));
    assert!(pct.parts[1].debug);
    let pct = comp(&c[3].args[0].value);
    assert_eq!(place(&pct.parts[1].value), ("e", vec![]));

    let fm = call(&c[4].args[0].value);
    assert_eq!((fm.name.as_str(), fm.path.as_str()), ("format", "format"));
    assert!(matches!(fm.receiver, Some(Expr::Str { ref value, .. }) if value == "{} failed"));
    assert_eq!(place(&fm.args[0].value), ("e", vec![]));

    assert!(matches!(&c[5].args[0].value, Expr::Str { value, .. } if value == "ab"));
    assert_eq!(c[6].args.len(), 3);
    assert_eq!(c[6].args[2].key.as_deref(), Some("exc_info"));

    let a = assigns(body);
    let hex = call(a[0].2);
    assert_eq!(
        (hex.name.as_str(), hex.path.as_str()),
        ("hexdigest", "hexdigest")
    );
    let inner = call(hex.receiver.as_ref().unwrap());
    assert_eq!(inner.path, "hashlib.sha256");
}

#[test]
fn calls_keywords_splats_subscripts_and_extra() {
    let f = facts(
        r#"
def view(request, kwargs, i):
    email = request.form["email"]
    other = request.args.get("phone")
    row = data[i]
    d["ssn"] = email
    logger.info("x", extra={"email": email, **kwargs}, stacklevel=2)
    send(email, *args, to=email, **kwargs)
    self.email = a.b
    x, y = user.email, "n"
    p, q = pair
    a = b = email
    total += email
"#,
    );
    let body = &func(&f, "view").body;
    let a = assigns(body);
    assert_eq!(place(a[0].2), ("request", vec!["form", "email"]));
    let get = call(a[1].2);
    assert_eq!(get.path, "request.args.get");
    assert_eq!(
        place(get.receiver.as_ref().unwrap()),
        ("request", vec!["args"])
    );
    let row = comp(a[2].2);
    assert_eq!(row.kind, CompoundKind::Other);
    assert_eq!(place(&row.parts[0].value), ("data", vec![]));
    assert_eq!(
        (a[3].0.base.as_str(), a[3].0.fields.clone()),
        ("d", vec!["ssn".to_string()])
    );
    let c = calls(body);
    assert_eq!(c[0].args[1].key.as_deref(), Some("extra"));
    let extra = comp(&c[0].args[1].value);
    assert_eq!(extra.kind, CompoundKind::Container);
    assert_eq!(extra.parts[0].key.as_deref(), Some("email"));
    assert_eq!(extra.parts[1].key, None);
    assert_eq!(c[0].args[2].key.as_deref(), Some("stacklevel"));
    let keys: Vec<Option<&str>> = c[1].args.iter().map(|p| p.key.as_deref()).collect();
    assert_eq!(keys, [None, None, None, Some("to")]);
    assert_eq!(place(&c[1].args[1].value), ("args", vec![]));
    assert_eq!(place(&c[1].args[2].value), ("kwargs", vec![]));
    assert!(c[1].receiver.is_none());
    assert_eq!(
        (a[4].0.base.as_str(), a[4].0.fields.clone()),
        ("self", vec!["email".to_string()])
    );
    // pairwise unpacking of literal tuples, whole value otherwise
    assert_eq!(a[5].0.base, "x");
    assert_eq!(place(a[5].2), ("user", vec!["email"]));
    assert!(matches!(a[6].2, Expr::Str { .. }));
    assert_eq!((a[7].0.base.as_str(), place(a[7].2).0), ("p", "pair"));
    assert_eq!((a[8].0.base.as_str(), place(a[8].2).0), ("q", "pair"));
    assert_eq!((a[9].0.base.as_str(), a[10].0.base.as_str()), ("a", "b"));
    assert_eq!(a[11].0.base, "total");
    let aug = comp(a[11].2);
    assert_eq!(aug.kind, CompoundKind::Concat);
    assert_eq!(place(&aug.parts[0].value), ("total", vec![]));
    assert_eq!(place(&aug.parts[1].value), ("email", vec![]));
}

#[test]
#[allow(clippy::too_many_lines)] // one realistic function body, checked statement by statement
fn control_flow_comprehensions_and_lambda() {
    let f = facts(
        r#"
def f(users, path):
    if user.is_admin and not debug:
        pass
    elif x in y:
        pass
    else:
        log(a)
    while n > 0:
        n -= 1
    for u in users:
        log(u.email)
    with open(path) as fh:
        data = fh.read()
    with lock:
        pass
    try:
        risky()
    except ValueError as err:
        log(err)
    finally:
        done()
    emails = [u.email for u in users if u.active]
    key = lambda u: u.email
    assert user.consent, "needs consent"
    match cmd:
        case "a" if flag:
            go()
    if (m := pattern.match(s)):
        pass
    yield u.email
    return
"#,
    );
    let body = &func(&f, "f").body;
    let kinds: Vec<String> = body
        .iter()
        .map(|s| match s {
            Stmt::Assign { target, .. } => format!("assign {}", target.base),
            Stmt::Expr(Expr::Call(c)) => format!("call {}", c.path),
            Stmt::Expr(_) => "expr".to_string(),
            Stmt::Return { .. } => "return".to_string(),
            Stmt::Branch { .. } => "branch".to_string(),
        })
        .collect();
    let expected = [
        "branch",
        "branch",
        "call log",
        "branch",
        "assign n",
        "assign u",
        "call log",
        "assign fh",
        "assign data",
        "expr",
        "call risky",
        "assign err",
        "call log",
        "call done",
        "assign u",
        "assign emails",
        "assign key",
        "branch",
        "branch",
        "branch",
        "call go",
        "assign m",
        "branch",
        "return",
    ];
    assert_eq!(kinds, expected);
    let Stmt::Branch { condition, .. } = &body[0] else {
        unreachable!()
    };
    let cond = comp(condition);
    assert_eq!(cond.kind, CompoundKind::Boolean);
    assert_eq!(place(&cond.parts[0].value), ("user", vec!["is_admin"]));
    let a = assigns(body);
    let fh = a.iter().find(|x| x.0.base == "fh").unwrap();
    assert_eq!(call(fh.2).name, "open");
    let u = a.iter().filter(|x| x.0.base == "u").nth(1).unwrap();
    assert_eq!(place(u.2), ("users", vec![]));
    let emails = a.iter().find(|x| x.0.base == "emails").unwrap();
    let list = comp(emails.2);
    assert_eq!(list.kind, CompoundKind::Container);
    assert_eq!(place(&list.parts[0].value), ("u", vec!["email"]));
    let key = a.iter().find(|x| x.0.base == "key").unwrap();
    let Expr::Closure {
        params, body: cb, ..
    } = key.2
    else {
        panic!("closure")
    };
    assert_eq!(params[0].name, "u");
    let Stmt::Return { value, .. } = &cb[0] else {
        panic!("return")
    };
    assert_eq!(place(value), ("u", vec!["email"]));
    let Stmt::Return { value, .. } = &body[body.len() - 1] else {
        unreachable!()
    };
    assert_eq!(place(value), ("u", vec!["email"]));
}

#[test]
fn imports() {
    let f = facts(
        "import logging\nimport a.b as c\nimport os.path\nfrom a.b import c as d, e\nfrom . import x\nfrom .m import y\nfrom .. import z\nfrom m import *\n",
    );
    let got: Vec<(&str, &str)> = f
        .imports
        .iter()
        .map(|i| (i.alias.as_str(), i.path.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("logging", "logging"),
            ("c", "a.b"),
            ("os", "os"),
            ("d", "a.b.c"),
            ("e", "a.b.e"),
            ("x", ".x"),
            ("y", ".m.y"),
            ("z", "..z"),
            ("*", "m"),
        ]
    );
}

#[test]
fn directives_are_collected() {
    let f = facts(
        "x = 1  # privlint: ignore[identifier-in-log] ok\n# privlint: purpose(billing)\ny = 2\n",
    );
    assert_eq!(f.directives.len(), 2);
    assert!(f.directives[0].trailing);
    assert_eq!(f.directives[1].line, 2);
}

#[test]
fn syntax_error_points_at_the_line() {
    let err = PythonFrontend
        .facts("import os\n\ndef f(:\n    return 1\n")
        .unwrap_err();
    assert_eq!(err.line, 3);
    assert!(err.message.starts_with("syntax error"), "{err}");
    let err = PythonFrontend.facts("x = (1,\ny = 2\n").unwrap_err();
    assert!(
        err.line >= 1 && err.message.starts_with("syntax error"),
        "{err}"
    );
}

fn assert_deep(src: &str) {
    let f = facts(src);
    assert_eq!(
        f.notes,
        ["nested more than 200 levels deep: the deeper code was not analysed"]
    );
}

#[test]
fn deep_nesting_is_cut_off_with_one_note() {
    let n = 5000;
    assert_deep(&format!("x = {}1{}\n", "(".repeat(n), ")".repeat(n)));
    assert_deep(&format!("x = {}1{}\n", "[".repeat(n), "]".repeat(n)));
    assert_deep(&format!("x = {}1{}\n", "f(".repeat(n), ")".repeat(n)));
    assert_deep(&format!("x = {}1\n", "lambda: ".repeat(n)));
    assert_deep(&format!("x = a{}\n", ".m()".repeat(n)));
    assert_deep(&format!("x = {}1{}\n", "-(".repeat(n), ")".repeat(n)));
    let mut src = String::new();
    for i in 0..300 {
        src.push_str(&" ".repeat(i));
        src.push_str("if x:\n");
    }
    src.push_str(&" ".repeat(300));
    src.push_str("pass\n");
    assert_deep(&src);
    // long flat chains are not nesting
    let f = facts(&format!(
        "x = a{}\ny = a{}\nz = a{}\n",
        " + a".repeat(n),
        ".b".repeat(n),
        " or a".repeat(n)
    ));
    assert!(f.notes.is_empty());
}

#[test]
fn never_panics_on_odd_input() {
    for src in [
        "",
        "\u{feff}x = 'é' \"\\xZZ\"\n",
        "print 'py2 %s' % name\n",
        "def f(a, /, b, *, c): ...\n",
        "x = f'{a:{b}}' f\"{c!s}\" rb'\\n'\n",
        "del x\nglobal y\nnonlocal z\n",
        "type X = int\n",
        "with (open(a) as f, open(b) as g):\n    pass\n",
        "try:\n    pass\nexcept* (A, B) as e:\n    pass\n",
        "x = {k: v for k, v in d.items()}\nt = (y for y in z)\n",
    ] {
        let _ = PythonFrontend.facts(src);
    }
}

#[test]
fn deep_mixed_nesting_fits_a_small_stack() {
    let handle = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(|| {
            let n = 3000;
            for (open, close) in [
                ("{\"a\": ", "}"),
                ("[", " for x in y]"),
                ("(c if d else ", ")"),
                ("f(x=", ")"),
                ("not ", ""),
                ("await (", ")"),
                ("f(-[{\"k\": (", ")}])"),
                ("g(", ").m"),
                ("(x := ", ")"),
            ] {
                let src = format!("x = {}1{}\n", open.repeat(n), close.repeat(n));
                let f = PythonFrontend.facts(&src);
                if let Ok(f) = f {
                    assert_eq!(f.notes.len(), 1, "{open}");
                }
            }
            let src = format!("x = {}1{}\n", "f\"{".repeat(150), "}\"".repeat(150));
            let _ = PythonFrontend.facts(&src);
            for header in [
                "if x:",
                "for a in b:",
                "with a as b:",
                "try:",
                "def f(u):",
                "class C:",
                "while x:",
                "match x:\n{i} case 1:",
            ] {
                let mut src = String::new();
                for i in 0..400 {
                    let pad = " ".repeat(i * 2);
                    src.push_str(&pad);
                    src.push_str(&header.replace("{i}", &pad));
                    src.push('\n');
                }
                src.push_str(&" ".repeat(800));
                src.push_str("log(x)\n");
                if let Ok(f) = PythonFrontend.facts(&src) {
                    assert_eq!(f.notes.len(), 1, "{header}");
                }
            }
        })
        .unwrap();
    assert!(handle.join().is_ok());
}

#[test]
fn class_constants_and_enum_members_are_not_fields() {
    let f = facts(
        "class Scope:\n    PHONE = \"phone\"\n    EMAIL: str = \"email\"\n\n\nclass Kind(Enum):\n    email = \"email\"\n\n\nclass User:\n    email = models.EmailField()\n    PHONE = CharField()\n",
    );
    let fields = |name: &str| -> Vec<String> {
        f.types
            .iter()
            .find(|t| t.name == name)
            .map(|t| t.fields.iter().map(|f| f.name.clone()).collect())
            .unwrap_or_default()
    };
    assert_eq!(fields("Scope"), ["EMAIL"]);
    assert!(fields("Kind").is_empty());
    assert_eq!(fields("User"), ["email", "PHONE"]);
}

#[test]
fn models_name_their_tables() {
    let f = facts(
        "class Customer(Base):\n    __tablename__ = \"customers\"\n    email = Column(String)\n\n\nclass Order(models.Model):\n    ship_to = models.TextField()\n\n    class Meta:\n        db_table = \"shop_orders\"\n",
    );
    let traits = |name: &str| {
        f.types
            .iter()
            .find(|t| t.name == name)
            .map(|t| t.traits.clone())
            .unwrap_or_default()
    };
    assert!(
        traits("Customer").contains(&"table:customers".to_string()),
        "{:?}",
        traits("Customer")
    );
    assert!(
        traits("Order").contains(&"table:shop_orders".to_string()),
        "{:?}",
        traits("Order")
    );
}

#[test]
fn foreign_keys_say_whether_deletes_cascade() {
    let f = facts(
        "class Address(models.Model):\n    customer = models.ForeignKey(Customer, on_delete=models.CASCADE)\n\n\nclass Invoice(models.Model):\n    customer = models.ForeignKey(\"shop.Customer\", on_delete=models.PROTECT)\n",
    );
    let traits = |name: &str| {
        f.types
            .iter()
            .find(|t| t.name == name)
            .map(|t| t.traits.clone())
            .unwrap_or_default()
    };
    assert!(
        traits("Address").contains(&"fk:Customer:orm-cascade".to_string()),
        "{:?}",
        traits("Address")
    );
    assert!(
        traits("Invoice").contains(&"fk:Customer:no-action".to_string()),
        "{:?}",
        traits("Invoice")
    );
}

#[test]
fn sqlalchemy_and_sqlmodel_cascades() {
    let src = r#"
class Wallet(Base):
    cards = relationship("app.models.Card", cascade="all, delete-orphan")


class Referral(Base):
    __tablename__ = "referrals"
    referrer = relationship(Member, backref=backref("referrals", cascade="all, delete-orphan"))


class Member(Base):
    addresses: Mapped[list["Address"]] = relationship(back_populates="member", cascade="all, delete-orphan")
    notes = relationship("Note", cascade="save-update, merge")
    devices = relationship("Device", cascade="save-update, delete")


class Address(Base):
    member_id = Column(Integer, ForeignKey("members.id", ondelete="CASCADE"))
    owner_id: Mapped[int] = mapped_column(ForeignKey("public.owners.id"))


class Card(SQLModel, table=True):
    customer_id: int = Field(foreign_key="customer.id", ondelete="CASCADE")


class Customer(SQLModel, table=True):
    cards: list["Card"] = Relationship(cascade_delete=True)
    keys: list["Key"] = Relationship(sa_relationship_kwargs={"cascade": "all, delete"})


class CustomerForm(SQLModel):
    email: str
"#;
    let f = facts(src);
    let traits = |name: &str| {
        f.types
            .iter()
            .find(|t| t.name == name)
            .map(|t| t.traits.clone())
            .unwrap_or_default()
    };
    let has = |name: &str, t: &str| {
        assert!(
            traits(name).contains(&t.to_string()),
            "{name}: {:?}",
            traits(name)
        );
    };
    has("Wallet", "cascade-to:Card");
    has("Referral", "table:referrals");
    has("Referral", "fk:Member:session-cascade");
    has("Member", "cascade-to:Address");
    has("Member", "cascade-to:Device");
    assert!(!traits("Member").contains(&"cascade-to:Note".to_string()));
    has("Address", "fk:members:cascade");
    has("Address", "fk:owners:no-action");
    has("Card", "table=True");
    has("Card", "fk:customer:cascade");
    has("Customer", "cascade-to:Card");
    has("Customer", "cascade-to:Key");
    assert!(!traits("CustomerForm").contains(&"table=True".to_string()));
}
