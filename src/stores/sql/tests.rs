use super::*;

fn op<'a>(schema: &'a Schema, kind: OpKind, table: &str) -> &'a Operation {
    schema
        .operations
        .iter()
        .find(|o| o.kind == kind && o.table == table)
        .unwrap_or_else(|| panic!("no {kind:?} on {table} in {:#?}", schema.operations))
}

fn query(text: &str) -> Schema {
    parse_query(text).unwrap_or_else(|| panic!("not read as SQL: {text}"))
}

fn columns(table: &Table) -> Vec<&str> {
    table.columns.iter().map(|c| c.name.as_str()).collect()
}

fn at(text: &str, span: Span) -> &str {
    &text[span.start as usize..span.end as usize]
}

#[test]
fn postgres_create_table_with_inline_and_table_level_foreign_keys() {
    let sql = r"
CREATE TABLE public.users (
    id BIGSERIAL PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE orders (
    id SERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    coupon_id BIGINT REFERENCES coupons ON DELETE SET NULL,
    shipping_address TEXT,
    meta JSONB DEFAULT '{}'::jsonb
);
CREATE TABLE audit_log (
    id SERIAL,
    actor_id BIGINT,
    email TEXT,
    CONSTRAINT fk_actor FOREIGN KEY (actor_id) REFERENCES public.users (id) ON DELETE NO ACTION
);
CREATE FUNCTION touch() RETURNS trigger AS $$ BEGIN NEW.updated_at = now(); RETURN NEW; END; $$ LANGUAGE plpgsql;
";
    let schema = parse_file(sql);
    assert!(schema.problems.is_empty(), "{:?}", schema.problems);
    let users = schema.table("users").unwrap();
    assert!(users.created);
    assert_eq!(columns(users), ["id", "email", "created_at"]);
    assert_eq!(at(sql, users.span), "users");
    assert_eq!(at(sql, users.columns[1].span), "email");
    assert_eq!(users.columns[1].ty.as_deref(), Some("TEXT"));

    let orders = schema.table("orders").unwrap();
    assert_eq!(
        orders.foreign_keys,
        [
            ForeignKey {
                columns: vec!["user_id".into()],
                references: "users".into(),
                on_delete: Some(OnDelete::Cascade),
            },
            ForeignKey {
                columns: vec!["coupon_id".into()],
                references: "coupons".into(),
                on_delete: Some(OnDelete::SetNull),
            },
        ]
    );
    assert_eq!(orders.cascades().count(), 1);
    let audit = schema.table("audit_log").unwrap();
    assert_eq!(audit.foreign_keys[0].columns, ["actor_id"]);
    assert_eq!(audit.foreign_keys[0].references, "users");
    assert_eq!(audit.foreign_keys[0].on_delete, Some(OnDelete::NoAction));
    assert_eq!(audit.cascades().count(), 0);
}

#[test]
fn mysql_create_table_with_backticks_and_engine() {
    let sql = "CREATE TABLE `user` (\n  `id` int NOT NULL AUTO_INCREMENT,\n  `Email` varchar(255) DEFAULT NULL,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n\
CREATE TABLE `orders` (\n  `id` int NOT NULL,\n  `user_id` int,\n  CONSTRAINT `fk_user` FOREIGN KEY (`user_id`) REFERENCES `user` (`id`) ON DELETE CASCADE\n) ENGINE=InnoDB;\n";
    let schema = parse_file(sql);
    assert!(schema.problems.is_empty(), "{:?}", schema.problems);
    let user = schema.table("user").unwrap();
    assert_eq!(columns(user), ["id", "email"]);
    assert_eq!(at(sql, user.span), "`user`");
    assert_eq!(user.columns[1].ty.as_deref(), Some("VARCHAR(255)"));
    let orders = schema.table("orders").unwrap();
    assert_eq!(orders.cascades().next().unwrap().references, "user");
}

#[test]
fn sqlite_create_table() {
    let sql = "CREATE TABLE IF NOT EXISTS \"User\" (\n  id INTEGER PRIMARY KEY AUTOINCREMENT,\n  phone TEXT,\n  team_id INTEGER REFERENCES teams(id) ON DELETE SET DEFAULT\n);\n\
CREATE TABLE sessions (token TEXT, user_id INTEGER, FOREIGN KEY(user_id) REFERENCES \"User\"(id) ON DELETE CASCADE);";
    let schema = parse_file(sql);
    assert!(schema.problems.is_empty(), "{:?}", schema.problems);
    let user = schema.table("user").unwrap();
    assert_eq!(columns(user), ["id", "phone", "team_id"]);
    assert_eq!(at(sql, user.span), "\"User\"");
    assert_eq!(user.foreign_keys[0].on_delete, Some(OnDelete::SetDefault));
    let sessions = schema.table("sessions").unwrap();
    assert_eq!(sessions.cascades().next().unwrap().references, "user");
}

#[test]
fn quoted_and_bracketed_and_schema_qualified_names() {
    for (sql, name) in [
        ("CREATE TABLE \"User\" (\"Email\" text)", "user"),
        ("CREATE TABLE `user` (`email` text)", "user"),
        ("CREATE TABLE [user] ([email] text)", "user"),
        ("CREATE TABLE public.users (email text)", "users"),
        ("CREATE TABLE \"public\".\"Users\" (email text)", "users"),
        ("CREATE TABLE app.dbo.[Users] ([email] text)", "users"),
    ] {
        let schema = parse_file(sql);
        assert!(schema.problems.is_empty(), "{sql}: {:?}", schema.problems);
        let table = schema
            .table(name)
            .unwrap_or_else(|| panic!("{sql}: {schema:#?}"));
        assert_eq!(columns(table), ["email"], "{sql}");
    }
    let schema = query("UPDATE \"public\".\"Users\" SET \"Email\" = NULL WHERE id = $1");
    assert_eq!(op(&schema, OpKind::Update, "users").anonymises, ["email"]);
}

#[test]
fn alter_table_adds_columns_and_constraints() {
    let sql = "CREATE TABLE users (id int primary key);\n\
ALTER TABLE users ADD COLUMN email varchar(200);\n\
ALTER TABLE public.profiles ADD COLUMN phone text, ADD COLUMN user_id int;\n\
ALTER TABLE profiles ADD CONSTRAINT fk_user FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE;\n";
    let schema = parse_file(sql);
    assert!(schema.problems.is_empty(), "{:?}", schema.problems);
    let users = schema.table("users").unwrap();
    assert!(users.created);
    assert_eq!(columns(users), ["id", "email"]);
    let profiles = schema.table("profiles").unwrap();
    assert!(!profiles.created, "only altered here, defined elsewhere");
    assert_eq!(columns(profiles), ["phone", "user_id"]);
    assert_eq!(profiles.cascades().next().unwrap().references, "users");
    assert_eq!(at(sql, profiles.columns[0].span), "phone");
}

#[test]
fn migration_with_a_syntax_error_keeps_the_rest() {
    let sql = "-- 0002_contacts.sql\n\
CREATE TABLE contacts (id serial, email text, note text DEFAULT 'a;b');\n\
INSERT INTO contacts (email) VALUES ('x@example.com');\n\
CREATE TABLE broken (id int,, oops);\n\
/* a comment; with a semicolon */\n\
ALTER TABLE contacts ADD COLUMN phone text;\n\
DELETE FROM contacts WHERE email IS NULL;\n";
    let schema = parse_file(sql);
    assert_eq!(schema.problems.len(), 1, "{:?}", schema.problems);
    let problem = &schema.problems[0];
    assert!(problem.message.contains("line 4"), "{}", problem.message);
    assert!(at(sql, problem.span).starts_with("CREATE TABLE broken"));
    assert_eq!(
        columns(schema.table("contacts").unwrap()),
        ["id", "email", "note", "phone"]
    );
    assert!(schema.table("broken").is_none());
    assert_eq!(op(&schema, OpKind::Insert, "contacts").columns, ["email"]);
    let delete = op(&schema, OpKind::Delete, "contacts");
    assert!(!delete.all_rows);
    // Spans stay in file coordinates after the split.
    assert_eq!(at(sql, delete.span), "contacts");
    assert!(sql[..delete.span.start as usize].ends_with("DELETE FROM "));
}

#[test]
fn split_respects_quotes_comments_and_dollar_quotes() {
    let sql =
        "SELECT 'a;b' FROM t; -- c;d\nSELECT $x$ ; $x$, $1 FROM u; /* ; */ SELECT \"q;\" FROM v";
    let parts: Vec<&str> = split_statements(sql)
        .into_iter()
        .map(|(s, e)| &sql[s..e])
        .collect();
    assert_eq!(
        parts,
        [
            "SELECT 'a;b' FROM t",
            "SELECT $x$ ; $x$, $1 FROM u",
            "SELECT \"q;\" FROM v"
        ]
    );
}

#[test]
fn dml_with_every_placeholder_style() {
    for sql in [
        "INSERT INTO users (email, phone) VALUES ($1, $2)",
        "INSERT INTO users (email, phone) VALUES (?, ?)",
        "INSERT INTO users (email, phone) VALUES (?1, ?2)",
        "INSERT INTO users (email, phone) VALUES (%s, %s)",
        "INSERT INTO users (email, phone) VALUES (%(email)s, %(phone)s)",
        "INSERT INTO users (email, phone) VALUES (:email, :phone)",
        "INSERT INTO users (email, phone) VALUES (@email, @phone)",
    ] {
        let schema = query(sql);
        let insert = op(&schema, OpKind::Insert, "users");
        assert_eq!(insert.columns, ["email", "phone"], "{sql}");
        assert!(!insert.all_columns);
        assert_eq!(at(sql, insert.span), "users", "{sql}");
    }
    for sql in [
        "DELETE FROM users WHERE id = $1",
        "DELETE FROM users WHERE id = ?",
        "DELETE FROM users WHERE id = ?1",
        "DELETE FROM users WHERE id = %s",
        "DELETE FROM users WHERE id = %(id)s",
        "DELETE FROM users WHERE id = :id",
    ] {
        let schema = query(sql);
        let delete = op(&schema, OpKind::Delete, "users");
        assert!(!delete.all_rows, "{sql}");
        assert_eq!(delete.filter_age, None, "{sql}");
    }
    let schema = query("UPDATE users SET email = %(email)s, name = %s WHERE id = %(id)s");
    let update = op(&schema, OpKind::Update, "users");
    assert_eq!(update.columns, ["email", "name"]);
    assert!(update.anonymises.is_empty());

    let schema = query("SELECT id, u.email, LOWER(name) AS n FROM users u WHERE id = ?");
    assert_eq!(
        op(&schema, OpKind::Select, "users").columns,
        ["id", "email"]
    );
    let schema = query("select * from users where id = :id");
    let select = op(&schema, OpKind::Select, "users");
    assert!(select.all_columns && select.columns.is_empty());
    let schema = query("TRUNCATE TABLE sessions, audit_log");
    assert!(op(&schema, OpKind::Truncate, "sessions").all_rows);
    assert!(op(&schema, OpKind::Truncate, "audit_log").all_rows);
    let schema = query("TRUNCATE users");
    assert!(op(&schema, OpKind::Truncate, "users").all_rows);
    let schema = query("DROP TABLE IF EXISTS public.users");
    assert!(op(&schema, OpKind::Drop, "users").all_rows);
    let schema = query("DELETE FROM sessions");
    assert!(op(&schema, OpKind::Delete, "sessions").all_rows);
    let schema = query("INSERT INTO users VALUES ($1, $2)");
    assert!(op(&schema, OpKind::Insert, "users").all_columns);
}

#[test]
fn joins_subqueries_and_multi_table_statements() {
    let schema = query(
        "SELECT u.email, o.shipping_address, total FROM users u JOIN orders o ON o.user_id = u.id",
    );
    assert_eq!(
        op(&schema, OpKind::Select, "users").columns,
        ["email", "total"]
    );
    assert_eq!(
        op(&schema, OpKind::Select, "orders").columns,
        ["shipping_address"]
    );
    let schema =
        query("DELETE FROM orders WHERE user_id IN (SELECT id FROM users WHERE email = $1)");
    op(&schema, OpKind::Delete, "orders");
    assert_eq!(op(&schema, OpKind::Select, "users").columns, ["id"]);
    let schema = query("DELETE o FROM orders o JOIN users u ON u.id = o.user_id WHERE u.id = ?");
    op(&schema, OpKind::Delete, "orders");
    let schema = query("INSERT INTO archive (email) SELECT email FROM users WHERE id = $1");
    op(&schema, OpKind::Insert, "archive");
    op(&schema, OpKind::Select, "users");
    let schema = query(
        "WITH old AS (SELECT id FROM users WHERE created_at < $1) DELETE FROM sessions WHERE user_id IN (SELECT id FROM old)",
    );
    op(&schema, OpKind::Delete, "sessions");
    op(&schema, OpKind::Select, "users");
}

#[test]
fn anonymising_updates() {
    let schema = query(
        "UPDATE users SET email = NULL, phone = 'REDACTED', name = md5(name), updated_at = now() WHERE id = $1",
    );
    let update = op(&schema, OpKind::Update, "users");
    assert_eq!(update.anonymises, ["email", "phone", "name"]);
    assert_eq!(update.columns, ["email", "phone", "name", "updated_at"]);
    assert!(!update.all_rows);

    let schema = query(
        "UPDATE users SET a = '', b = 0, c = -1, d = NULL::text, e = sha256(e::bytea), f = encode(digest(f, 'sha1'), 'hex'), g = mask_email(g), h = SHA2(h, 256), i = anonymize(i) WHERE id = ?",
    );
    let update = op(&schema, OpKind::Update, "users");
    // `encode(digest(...))` is named for its outer call; only the outer name counts.
    assert_eq!(update.anonymises, ["a", "b", "c", "d", "e", "g", "h", "i"]);

    for sql in [
        "UPDATE users SET email = $1 WHERE id = $2",
        "UPDATE users SET email = ? WHERE id = ?",
        "UPDATE users SET email = %s WHERE id = %s",
        "UPDATE users SET email = concat('deleted-', id) WHERE id = $1",
        "UPDATE users SET email = other_email WHERE id = $1",
        "UPDATE users SET email = lower(email) WHERE id = $1",
    ] {
        let schema = query(sql);
        let update = op(&schema, OpKind::Update, "users");
        assert!(
            update.anonymises.is_empty(),
            "{sql}: {:?}",
            update.anonymises
        );
        assert_eq!(update.columns, ["email"], "{sql}");
    }
}

fn age(sql: &str, kind: OpKind, table: &str) -> Option<AgeFilter> {
    op(&query(sql), kind, table).filter_age.clone()
}

#[allow(clippy::unnecessary_wraps)]
fn filter(column: &str, duration: Option<&str>) -> Option<AgeFilter> {
    Some(AgeFilter {
        column: column.into(),
        duration: duration.map(str::to_string),
    })
}

#[test]
fn age_filters() {
    let d = OpKind::Delete;
    assert_eq!(
        age(
            "DELETE FROM sessions WHERE created_at < now() - interval '30 days'",
            d,
            "sessions"
        ),
        filter("created_at", Some("P30D"))
    );
    assert_eq!(
        age(
            "DELETE FROM logs WHERE created_at < DATE_SUB(NOW(), INTERVAL 90 DAY)",
            d,
            "logs"
        ),
        filter("created_at", Some("P90D"))
    );
    assert_eq!(
        age(
            "DELETE FROM logs WHERE created_at < datetime('now', '-1 year')",
            d,
            "logs"
        ),
        filter("created_at", Some("P1Y"))
    );
    assert_eq!(
        age(
            "DELETE FROM logs WHERE created_at <= CURRENT_TIMESTAMP - INTERVAL '1 year 6 mons'",
            d,
            "logs"
        ),
        filter("created_at", Some("P1Y6M"))
    );
    assert_eq!(
        age(
            "DELETE FROM logs WHERE created_at < NOW() - INTERVAL 2 WEEK",
            d,
            "logs"
        ),
        filter("created_at", Some("P2W"))
    );
    assert_eq!(
        age(
            "DELETE FROM logs WHERE created_at < now() - '12 hours'::interval",
            d,
            "logs"
        ),
        filter("created_at", Some("PT12H"))
    );
    assert_eq!(
        age(
            "DELETE FROM logs WHERE now() - interval '7 days' > seen_at AND kind = 'x'",
            d,
            "logs"
        ),
        filter("seen_at", Some("P7D"))
    );
    assert_eq!(
        age(
            "DELETE FROM logs WHERE age(created_at) > interval '3 months'",
            d,
            "logs"
        ),
        filter("created_at", Some("P3M"))
    );
    assert_eq!(
        age(
            "DELETE FROM logs WHERE DATEDIFF(NOW(), created_at) > 30",
            d,
            "logs"
        ),
        filter("created_at", Some("P30D"))
    );
    assert_eq!(
        age(
            "DELETE FROM logs WHERE created_at < date('now', '-30 days')",
            d,
            "logs"
        ),
        filter("created_at", Some("P30D"))
    );
    assert_eq!(
        age(
            "DELETE FROM logs WHERE created_at < now() - make_interval(days => 45)",
            d,
            "logs"
        ),
        filter("created_at", Some("P45D"))
    );
    assert_eq!(
        age("DELETE FROM tokens WHERE expires_at < now()", d, "tokens"),
        filter("expires_at", Some("PT0S"))
    );
    // A parameter: an age filter whose length the code decides.
    assert_eq!(
        age("DELETE FROM logs WHERE created_at < $1", d, "logs"),
        filter("created_at", None)
    );
    assert_eq!(
        age(
            "DELETE FROM logs WHERE created_at < now() - $1::interval",
            d,
            "logs"
        ),
        filter("created_at", None)
    );
    assert_eq!(
        age(
            "UPDATE users SET email = NULL WHERE last_login_at < now() - interval '2 years'",
            OpKind::Update,
            "users"
        ),
        filter("last_login_at", Some("P2Y"))
    );
    // Not an age: an id, a literal, equality.
    assert_eq!(age("DELETE FROM logs WHERE id < $1", d, "logs"), None);
    assert_eq!(
        age("DELETE FROM logs WHERE created_at = $1", d, "logs"),
        None
    );
    assert_eq!(age("DELETE FROM logs WHERE level < 3", d, "logs"), None);
}

#[test]
fn looks_like_sql_and_english() {
    for text in [
        "SELECT * FROM users",
        "  -- comment\n  delete from users where id = $1",
        "/* x */ UPDATE users SET a = 1",
        "INSERT INTO t VALUES (1)",
        "WITH x AS (SELECT 1) SELECT * FROM x",
        "CREATE TABLE t (a int)",
        "TRUNCATE users",
    ] {
        assert!(looks_like_sql(text), "{text}");
    }
    for text in [
        "select a file",
        "Delete this?",
        "update available",
        "Select the file from your computer",
        "Please update your email",
        "Update the settings",
        "",
        "hello world",
        "created at",
    ] {
        assert!(
            !looks_like_sql(text) || parse_query(text).is_none(),
            "{text}"
        );
        assert!(parse_query(text).is_none(), "{text}");
    }
    // SQL without a table is of no use here.
    assert!(parse_query("SELECT 1 FROM dual").is_some());
    assert!(parse_query("SELECT 1").is_none());
    assert!(parse_query("select a file from").is_none());
}

#[test]
fn never_panics_on_odd_input() {
    for text in [
        "",
        ";;;",
        "'unterminated",
        "$$ never closed",
        "/* never closed",
        "CREATE TABLE (",
        "SELECT ((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((1",
        "UPDATE é SET ü = NULL",
        "\u{0}\u{1}",
        "%(",
        "%(x",
    ] {
        let _ = parse_file(text);
        let _ = parse_query(text);
        let _ = parse_diesel_table_macro(text);
    }
    let deep = format!("SELECT {}1{} FROM t", "(".repeat(5000), ")".repeat(5000));
    let schema = parse_file(&deep);
    assert_eq!(schema.problems.len(), 1);
}

#[test]
fn unicode_before_a_name_keeps_byte_spans_right() {
    let sql = "-- Пользователи\nCREATE TABLE users (имя text, email text);";
    let schema = parse_file(sql);
    let users = schema.table("users").unwrap();
    assert_eq!(at(sql, users.span), "users");
    assert_eq!(at(sql, users.columns[0].span), "имя");
    assert_eq!(at(sql, users.columns[1].span), "email");
}

#[test]
fn durations() {
    let text = |t: &str| {
        let mut d = Duration::default();
        d.add_text(t)?;
        d.iso()
    };
    assert_eq!(text("30 days").as_deref(), Some("P30D"));
    assert_eq!(text("1 year").as_deref(), Some("P1Y"));
    assert_eq!(text("2 weeks 1 day").as_deref(), Some("P15D"));
    assert_eq!(text("1 day 12 hours").as_deref(), Some("P1DT12H"));
    assert_eq!(text("P90D").as_deref(), Some("P90D"));
    assert_eq!(text("PT30M").as_deref(), Some("PT30M"));
    assert_eq!(text("soon"), None);
    assert_eq!(text("0 days"), None);
}

#[test]
fn diesel_table_macro() {
    let body = r#"
    use diesel::sql_types::*;
    use crate::schema::sql_types::Citext;

    /// Registered people.
    #[sql_name = "app_users"]
    public.users (id) {
        id -> Int4,
        /// The login.
        email -> Citext,
        phone -> Nullable<Varchar>,
        #[sql_name = "type"]
        r#type -> Text,
        tags -> Array<Nullable<Text>>,
        created_at -> Timestamptz
    }
"#;
    let table = parse_diesel_table_macro(body).unwrap();
    assert_eq!(table.name, "app_users");
    assert_eq!(at(body, table.span), "users");
    assert_eq!(
        columns(&table),
        ["id", "email", "phone", "type", "tags", "created_at"]
    );
    assert_eq!(table.columns[2].ty.as_deref(), Some("Nullable<Varchar>"));
    assert_eq!(
        table.columns[4].ty.as_deref(),
        Some("Array<Nullable<Text>>")
    );
    assert_eq!(at(body, table.columns[1].span), "email");

    let whole = "diesel::table! {\n    posts (id) {\n        id -> Integer,\n        author_email -> Text,\n    }\n}";
    let table = parse_diesel_table_macro(whole).unwrap();
    assert_eq!(table.name, "posts");
    assert_eq!(columns(&table), ["id", "author_email"]);
    assert_eq!(at(whole, table.span), "posts");

    let composite = "follows (user_id, target_id) { user_id -> Int8, target_id -> Int8, }";
    assert_eq!(
        columns(&parse_diesel_table_macro(composite).unwrap()),
        ["user_id", "target_id"]
    );
    let no_pk = "sessions { token -> Text }";
    assert_eq!(
        columns(&parse_diesel_table_macro(no_pk).unwrap()),
        ["token"]
    );

    for bad in [
        "",
        "users (id)",
        "users (id) { id Integer }",
        "users { id -> }",
        "users { id -> Int4",
    ] {
        assert!(parse_diesel_table_macro(bad).is_none(), "{bad}");
    }
}

/// `cargo test --release -- --ignored big_file --nocapture` prints how long a 10,000-statement
/// file takes (not asserted: speed is measured, never a test's pass condition).
#[test]
#[ignore = "a measurement, not a check"]
fn big_file() {
    let mut sql = String::new();
    for i in 0..2_500 {
        let _ = write!(
            sql,
            "CREATE TABLE t{i} (id int primary key, email text, owner_id int REFERENCES users(id) ON DELETE CASCADE);\n\
INSERT INTO t{i} (email) VALUES ('a@b.kz');\n\
UPDATE t{i} SET email = NULL WHERE id = 1;\n\
DELETE FROM t{i} WHERE created_at < now() - interval '30 days';\n"
        );
    }
    let started = std::time::Instant::now();
    let schema = parse_file(&sql);
    eprintln!("10,000 statements: {:?}", started.elapsed());
    assert_eq!(schema.tables.len(), 2_500);
    assert_eq!(schema.operations.len(), 7_500);
    // The same with an error in the middle (the statement-by-statement path).
    let broken = sql.replacen(
        "INSERT INTO t1250 (email)",
        "INSERT INTO t1250 (email,,)",
        1,
    );
    let started = std::time::Instant::now();
    let schema = parse_file(&broken);
    eprintln!("with one error: {:?}", started.elapsed());
    assert_eq!(schema.problems.len(), 1);
    assert_eq!(schema.operations.len(), 7_499);
}
