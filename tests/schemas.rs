//! `schema.sql` and `schema.mysql.sql` describe one schema: the same
//! tables, columns (name, nullability, kind), primary, unique and foreign
//! keys and CHECK constraints, read from a fresh database of each (SQLite
//! in memory; MariaDB's `information_schema`, so ignored without the test
//! server, README, Tests). What the dialects cannot share is listed once
//! below, each with its reason; anything else that differs fails.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::server::TestDatabase;
use mysql::prelude::Queryable;
use rusqlite::Connection;
use shopdesk::store::mysql::{MysqlStore, ServerUrl};

const SQLITE_SCHEMA: &str = include_str!("../schema.sql");

// ---- the known differences, each with its reason ---------------------------

/// SQLite's full-text search tables (FTS5, and the tables FTS5 keeps its
/// index in), kept in step by triggers: MariaDB searches the `search_key`
/// columns and indexes both schemas have.
fn is_sqlite_search_table(kind: &str) -> bool {
    kind == "virtual" || kind == "shadow"
}

/// The suffix of MariaDB's generated twin of each column SQLite compares
/// with `COLLATE NOCASE` (A-Z as a-z), which MySQL has no collation for:
/// its unique keys and orders are on the twin.
const NOCASE_TWIN: &str = "_nocase";

/// MariaDB's generated columns that stand for what SQLite's indexes work
/// out themselves: the email of a customer who keeps no key
/// (`email_unkeyed`, for SQLite's partial index of those customers), the
/// trigrams of the search keys (`search_grams`, for SQLite's FTS5
/// tables) and a customer's key as the name index holds it
/// (`search_head`: an index holds 3,072 bytes at most).
const INDEX_AIDS: [&str; 3] = ["email_unkeyed", "search_grams", "search_head"];

/// A time column: SQLite keeps UTC text of one width (its CHECK that the
/// length is 27), MariaDB a `DATETIME(6)`, whose type says as much.
const TIME_TEXT_LENGTH: &str = "27";

/// SQLite's CHECK that every customer but Walk-in (id 0) has an email or a
/// phone: MariaDB refuses a CHECK on an AUTO_INCREMENT column (the domain
/// refuses such a customer, and `shopdesk check` names one).
const CONTACT_CHECK: (&str, &[&str]) = ("customers", &["email", "id", "phone"]);

/// MariaDB's mark, `shopdesk_meta`: SQLite marks a database with its
/// PRAGMAs `application_id` and `user_version` instead (their versions are
/// compared).
const MARK_TABLE: &str = "shopdesk_meta";

/// InnoDB names a foreign key without ON DELETE "RESTRICT", SQLite "NO
/// ACTION": both refuse to delete a row another refers to.
fn on_delete(rule: &str) -> String {
    match rule.to_ascii_uppercase().as_str() {
        "RESTRICT" | "NO ACTION" => "NO ACTION".to_string(),
        other => other.to_string(),
    }
}

// ---- one description for both ----------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Integer,
    Text,
    Time,
}

/// A CHECK constraint, as far as two dialects can agree on it: the columns
/// it reads and the literals it compares them with.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Check {
    table: String,
    columns: BTreeSet<String>,
    strings: BTreeSet<String>,
    numbers: BTreeSet<String>,
}

/// Columns by table and name: the NOCASE ones of SQLite, or those MariaDB
/// has a generated twin of.
type NocaseColumns = BTreeSet<(String, String)>;

/// A foreign key: table, columns, referenced table and columns, ON DELETE.
type ForeignKey = (String, Vec<String>, String, Vec<String>, String);

#[derive(Debug, Default, PartialEq, Eq)]
struct Schema {
    version: i64,
    tables: BTreeSet<String>,
    /// (table, column) → (nullable, kind)
    columns: BTreeMap<(String, String), (bool, Kind)>,
    primary_keys: BTreeSet<(String, Vec<String>)>,
    unique_keys: BTreeSet<(String, Vec<String>)>,
    foreign_keys: BTreeSet<ForeignKey>,
    checks: Vec<Check>,
}

/// What differs between the two, one line each.
fn differences(sqlite: &Schema, mysql: &Schema) -> Vec<String> {
    fn sides<T: Ord + Clone + std::fmt::Debug>(
        what: &str,
        sqlite: impl IntoIterator<Item = T>,
        mysql: impl IntoIterator<Item = T>,
        found: &mut Vec<String>,
    ) {
        let sqlite: BTreeSet<T> = sqlite.into_iter().collect();
        let mysql: BTreeSet<T> = mysql.into_iter().collect();
        for only in sqlite.difference(&mysql) {
            found.push(format!("{what} only in schema.sql: {only:?}"));
        }
        for only in mysql.difference(&sqlite) {
            found.push(format!("{what} only in schema.mysql.sql: {only:?}"));
        }
    }
    let mut found = Vec::new();
    if sqlite.version != mysql.version {
        found.push(format!(
            "schema version {} in schema.sql, {} in schema.mysql.sql",
            sqlite.version, mysql.version
        ));
    }
    sides(
        "table",
        sqlite.tables.clone(),
        mysql.tables.clone(),
        &mut found,
    );
    sides(
        "column",
        sqlite.columns.clone(),
        mysql.columns.clone(),
        &mut found,
    );
    sides(
        "primary key",
        sqlite.primary_keys.clone(),
        mysql.primary_keys.clone(),
        &mut found,
    );
    sides(
        "unique key",
        sqlite.unique_keys.clone(),
        mysql.unique_keys.clone(),
        &mut found,
    );
    sides(
        "foreign key",
        sqlite.foreign_keys.clone(),
        mysql.foreign_keys.clone(),
        &mut found,
    );
    // A multiset: the same CHECK twice in one schema only differs too.
    let counted = |checks: &[Check]| {
        let mut counts: BTreeMap<Check, usize> = BTreeMap::new();
        for check in checks {
            *counts.entry(check.clone()).or_default() += 1;
        }
        counts
    };
    sides(
        "CHECK (and how many)",
        counted(&sqlite.checks),
        counted(&mysql.checks),
        &mut found,
    );
    found
}

// ---- SQL text, as far as CHECKs and column definitions need ----------------

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    /// A keyword, function or column name, lowercased (quoted or not).
    Word(String),
    Str(String),
    Number(String),
    Punct(char),
}

/// The tokens of `sql`, without comments and blanks.
fn tokens(sql: &str) -> Vec<Token> {
    let chars: Vec<char> = sql.chars().collect();
    let mut tokens = Vec::new();
    let mut at = 0;
    while at < chars.len() {
        let c = chars[at];
        if c.is_whitespace() {
            at += 1;
        } else if c == '-' && chars.get(at + 1) == Some(&'-') {
            while at < chars.len() && chars[at] != '\n' {
                at += 1;
            }
        } else if c == '\'' {
            let mut text = String::new();
            at += 1;
            while at < chars.len() {
                if chars[at] == '\'' && chars.get(at + 1) == Some(&'\'') {
                    text.push('\'');
                    at += 2;
                } else if chars[at] == '\'' {
                    break;
                } else {
                    text.push(chars[at]);
                    at += 1;
                }
            }
            at += 1;
            tokens.push(Token::Str(text));
        } else if c == '"' || c == '`' {
            let end = chars[at + 1..].iter().position(|&d| d == c).unwrap() + at + 1;
            tokens.push(Token::Word(
                chars[at + 1..end].iter().collect::<String>().to_lowercase(),
            ));
            at = end + 1;
        } else if c.is_ascii_digit() {
            let start = at;
            while at < chars.len() && chars[at].is_ascii_digit() {
                at += 1;
            }
            tokens.push(Token::Number(chars[start..at].iter().collect()));
        } else if c.is_alphabetic() || c == '_' {
            let start = at;
            while at < chars.len() && (chars[at].is_alphanumeric() || chars[at] == '_') {
                at += 1;
            }
            tokens.push(Token::Word(
                chars[start..at].iter().collect::<String>().to_lowercase(),
            ));
        } else {
            tokens.push(Token::Punct(c));
            at += 1;
        }
    }
    tokens
}

/// The tokens from an opening parenthesis at `tokens[0]` to its match,
/// both excluded.
fn parenthesized(tokens: &[Token]) -> &[Token] {
    let mut depth = 0;
    for (at, token) in tokens.iter().enumerate() {
        match token {
            Token::Punct('(') => depth += 1,
            Token::Punct(')') if depth == 1 => return &tokens[1..at],
            Token::Punct(')') => depth -= 1,
            _ => {}
        }
    }
    panic!("unbalanced parentheses")
}

/// The body of every `CHECK (…)` in `tokens`.
fn check_bodies(tokens: &[Token]) -> Vec<&[Token]> {
    tokens
        .iter()
        .enumerate()
        .filter(|(_, token)| **token == Token::Word("check".into()))
        .map(|(at, _)| parenthesized(&tokens[at + 1..]))
        .collect()
}

/// A CHECK of `table` whose body is `body`, reading `columns`: SQLite's
/// GLOB patterns without their `*` at either end (the REGEXP MariaDB
/// has for them matches anywhere), TRUE and FALSE as numbers.
fn check_of(table: &str, body: &[Token], columns: &BTreeSet<String>) -> Check {
    let mut check = Check {
        table: table.to_string(),
        columns: BTreeSet::new(),
        strings: BTreeSet::new(),
        numbers: BTreeSet::new(),
    };
    let mut after_glob = false;
    for token in body {
        match token {
            Token::Word(word) if columns.contains(word) => {
                check.columns.insert(word.clone());
            }
            Token::Word(word) if word == "true" => {
                check.numbers.insert("1".into());
            }
            Token::Word(word) if word == "false" => {
                check.numbers.insert("0".into());
            }
            Token::Str(text) if after_glob => {
                let text = text.strip_prefix('*').unwrap_or(text);
                check
                    .strings
                    .insert(text.strip_suffix('*').unwrap_or(text).to_string());
            }
            Token::Str(text) => {
                check.strings.insert(text.clone());
            }
            Token::Number(number) => {
                check.numbers.insert(number.clone());
            }
            _ => {}
        }
        after_glob = *token == Token::Word("glob".into());
    }
    check
}

/// The column a SQLite CHECK body proves a time, if it is
/// `length(COLUMN) = 27`.
fn time_column(body: &[Token]) -> Option<String> {
    match body {
        [
            Token::Word(length),
            Token::Punct('('),
            Token::Word(column),
            Token::Punct(')'),
            Token::Punct('='),
            Token::Number(width),
        ] if length == "length" && width == TIME_TEXT_LENGTH => Some(column.clone()),
        _ => None,
    }
}

/// The columns a `CREATE TABLE` declares `COLLATE NOCASE`.
fn nocase_columns(create: &[Token]) -> BTreeSet<String> {
    let open = create.iter().position(|t| *t == Token::Punct('(')).unwrap();
    let body = parenthesized(&create[open..]);
    let mut definitions = vec![Vec::new()];
    let mut depth = 0;
    for token in body {
        match token {
            Token::Punct('(') => depth += 1,
            Token::Punct(')') => depth -= 1,
            Token::Punct(',') if depth == 0 => {
                definitions.push(Vec::new());
                continue;
            }
            _ => {}
        }
        definitions.last_mut().unwrap().push(token.clone());
    }
    definitions
        .iter()
        .filter(|definition| {
            definition
                .windows(2)
                .any(|pair| pair == [Token::Word("collate".into()), Token::Word("nocase".into())])
        })
        .filter_map(|definition| match definition.first() {
            Some(Token::Word(column)) => Some(column.clone()),
            _ => None,
        })
        .collect()
}

// ---- SQLite's side ---------------------------------------------------------

/// The schema a fresh SQLite database of `script` has, and its NOCASE
/// columns (table, column).
fn sqlite_schema(script: &str) -> (Schema, NocaseColumns) {
    let conn = Connection::open_in_memory().unwrap();
    conn.execute_batch(script).unwrap();
    let mut schema = Schema {
        version: conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .unwrap(),
        ..Schema::default()
    };
    let listed: Vec<(String, String)> = conn
        .prepare("SELECT name, type FROM pragma_table_list WHERE schema = 'main' AND name NOT LIKE 'sqlite%'")
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let search_tables: Vec<&String> = listed
        .iter()
        .filter(|(_, kind)| is_sqlite_search_table(kind))
        .map(|(name, _)| name)
        .collect();
    assert!(
        !search_tables.is_empty(),
        "schema.sql keeps its search tables"
    );
    // Every trigger keeps a search table in step: MariaDB has none.
    let triggers: Vec<(String, String)> = conn
        .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger'")
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for (name, sql) in &triggers {
        assert!(
            search_tables
                .iter()
                .any(|table| sql.contains(table.as_str())),
            "trigger {name} keeps no search table: MariaDB has no twin of it"
        );
    }
    let mut nocase = BTreeSet::new();
    for (table, _) in listed.iter().filter(|(_, kind)| kind == "table") {
        schema.tables.insert(table.clone());
        let sql: String = conn
            .query_row(
                "SELECT sql FROM sqlite_schema WHERE name = ?1",
                [table],
                |row| row.get(0),
            )
            .unwrap();
        let create = tokens(&sql);
        nocase.extend(
            nocase_columns(&create)
                .into_iter()
                .map(|c| (table.clone(), c)),
        );
        let declared: Vec<(String, String, bool, i64)> = conn
            .prepare("SELECT name, type, \"notnull\", pk FROM pragma_table_info(?1) ORDER BY cid")
            .unwrap()
            .query_map([table], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let names: BTreeSet<String> = declared
            .iter()
            .map(|(name, ..)| name.to_lowercase())
            .collect();
        let mut times = BTreeSet::new();
        for body in check_bodies(&create) {
            match time_column(body) {
                Some(column) => {
                    times.insert(column);
                }
                None => {
                    let check = check_of(table, body, &names);
                    let contact = CONTACT_CHECK.1.iter().map(|c| c.to_string()).collect();
                    if !(table == CONTACT_CHECK.0 && check.columns == contact) {
                        schema.checks.push(check);
                    }
                }
            }
        }
        for (name, kind, not_null, _) in &declared {
            let kind = match kind.as_str() {
                "INTEGER" => Kind::Integer,
                "TEXT" if times.contains(&name.to_lowercase()) => Kind::Time,
                "TEXT" => Kind::Text,
                other => panic!("{table}.{name}: a column of type {other}"),
            };
            let in_key = declared.iter().any(|(n, .., pk)| n == name && *pk > 0);
            schema
                .columns
                .insert((table.clone(), name.clone()), (!not_null && !in_key, kind));
        }
        let mut key: Vec<(i64, String)> = declared
            .iter()
            .filter(|(.., pk)| *pk > 0)
            .map(|(name, .., pk)| (*pk, name.clone()))
            .collect();
        key.sort();
        schema.primary_keys.insert((
            table.clone(),
            key.into_iter().map(|(_, name)| name).collect(),
        ));
        let indexes: Vec<(String, String)> = conn
            .prepare(
                "SELECT name, origin FROM pragma_index_list(?1) WHERE \"unique\" AND NOT partial",
            )
            .unwrap()
            .query_map([table], |row| Ok((row.get(0)?, row.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        for (index, origin) in indexes.iter().filter(|(_, origin)| origin != "pk") {
            let columns: Vec<String> = conn
                .prepare("SELECT name FROM pragma_index_info(?1) ORDER BY seqno")
                .unwrap()
                .query_map([index], |row| row.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            assert!(!columns.is_empty(), "{index} ({origin})");
            schema.unique_keys.insert((table.clone(), columns));
        }
        let mut foreign: BTreeMap<i64, ForeignKey> = BTreeMap::new();
        let keys: Vec<(i64, String, String, Option<String>, String)> = conn
            .prepare("SELECT id, \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list(?1) ORDER BY id, seq")
            .unwrap()
            .query_map([table], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        for (id, to_table, from, to, rule) in keys {
            let entry = foreign.entry(id).or_insert_with(|| {
                (
                    table.clone(),
                    Vec::new(),
                    to_table.clone(),
                    Vec::new(),
                    on_delete(&rule),
                )
            });
            entry.1.push(from);
            // REFERENCES t without a column: t's primary key.
            entry.3.push(to.unwrap_or_else(|| "id".to_string()));
        }
        schema.foreign_keys.extend(foreign.into_values());
    }
    (schema, nocase)
}

// ---- MariaDB's side --------------------------------------------------------

/// The schema a fresh server database has, made by the store, and the
/// NOCASE columns its generated twins stand for (table, column).
fn mysql_schema(url: &ServerUrl) -> (Schema, NocaseColumns) {
    let mut conn = common::server_state::connect(url);
    let mut schema = Schema {
        version: conn
            .query_first("SELECT schema_version FROM shopdesk_meta")
            .unwrap()
            .unwrap(),
        ..Schema::default()
    };
    let triggers: Option<i64> = conn
        .query_first(
            "SELECT COUNT(*) FROM information_schema.triggers WHERE trigger_schema = DATABASE()",
        )
        .unwrap();
    assert_eq!(triggers, Some(0), "schema.mysql.sql has no triggers");
    let tables: Vec<String> = conn
        .query("SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()")
        .unwrap();
    assert!(tables.iter().any(|table| table == MARK_TABLE));
    schema.tables = tables
        .into_iter()
        .filter(|table| table != MARK_TABLE)
        .collect();
    let in_schema = |table: &String| table != MARK_TABLE;

    let mut twins = BTreeSet::new();
    let columns: Vec<(String, String, String, String, Option<String>)> = conn
        .query(
            "SELECT table_name, column_name, is_nullable, data_type, generation_expression \
             FROM information_schema.columns WHERE table_schema = DATABASE()",
        )
        .unwrap();
    for (table, column, nullable, data_type, generated) in
        columns.into_iter().filter(|c| in_schema(&c.0))
    {
        if generated
            .as_deref()
            .is_some_and(|expression| !expression.is_empty())
        {
            if INDEX_AIDS.contains(&column.as_str()) {
                continue;
            }
            let base = column.strip_suffix(NOCASE_TWIN).unwrap_or_else(|| {
                panic!("{table}.{column}: a generated column that is no NOCASE twin")
            });
            assert!(
                generated.unwrap().contains(&format!("`{base}`")),
                "{table}.{column} is computed from {base}"
            );
            twins.insert((table, base.to_string()));
            continue;
        }
        let kind = match data_type.as_str() {
            "bigint" | "tinyint" | "int" => Kind::Integer,
            "varchar" | "char" | "text" => Kind::Text,
            "datetime" => Kind::Time,
            other => panic!("{table}.{column}: a column of type {other}"),
        };
        schema
            .columns
            .insert((table, column), (nullable == "YES", kind));
    }
    let twin_of = |column: String| match column.strip_suffix(NOCASE_TWIN) {
        Some(base) => base.to_string(),
        None => column,
    };
    let mut keys: BTreeMap<(String, String, bool), Vec<String>> = BTreeMap::new();
    let indexed: Vec<(String, String, String, bool)> = conn
        .query(
            "SELECT table_name, index_name, column_name, non_unique = 0 \
             FROM information_schema.statistics WHERE table_schema = DATABASE() \
             ORDER BY table_name, index_name, seq_in_index",
        )
        .unwrap();
    for (table, index, column, unique) in indexed.into_iter().filter(|i| in_schema(&i.0)) {
        keys.entry((table, index, unique))
            .or_default()
            .push(twin_of(column));
    }
    for ((table, index, unique), columns) in keys {
        if index == "PRIMARY" {
            schema.primary_keys.insert((table, columns));
        } else if unique {
            schema.unique_keys.insert((table, columns));
        }
    }
    let mut foreign: BTreeMap<(String, String), ForeignKey> = BTreeMap::new();
    let references: Vec<(String, String, String, String, String, String)> = conn
        .query(
            "SELECT k.table_name, k.constraint_name, k.column_name, k.referenced_table_name, \
                    k.referenced_column_name, r.delete_rule \
             FROM information_schema.key_column_usage k \
             JOIN information_schema.referential_constraints r \
               ON r.constraint_schema = k.table_schema AND r.constraint_name = k.constraint_name \
                  AND r.table_name = k.table_name \
             WHERE k.table_schema = DATABASE() AND k.referenced_table_name IS NOT NULL \
             ORDER BY k.table_name, k.constraint_name, k.ordinal_position",
        )
        .unwrap();
    for (table, name, column, to_table, to_column, rule) in references {
        let entry = foreign
            .entry((table.clone(), name))
            .or_insert_with(|| (table, Vec::new(), to_table, Vec::new(), on_delete(&rule)));
        entry.1.push(column);
        entry.3.push(to_column);
    }
    schema.foreign_keys.extend(foreign.into_values());
    let checks: Vec<(String, String)> = conn
        .query(
            "SELECT table_name, check_clause FROM information_schema.check_constraints \
             WHERE constraint_schema = DATABASE()",
        )
        .unwrap();
    for (table, clause) in checks.into_iter().filter(|c| in_schema(&c.0)) {
        let names: BTreeSet<String> = schema
            .columns
            .keys()
            .filter(|(t, _)| *t == table)
            .map(|(_, column)| column.clone())
            .collect();
        schema
            .checks
            .push(check_of(&table, &tokens(&clause), &names));
    }
    (schema, twins)
}

/// Both schemas, MariaDB's made by the store in a fresh database.
fn both(sqlite_script: &str) -> ((Schema, NocaseColumns), (Schema, NocaseColumns)) {
    let database = TestDatabase::create();
    drop(MysqlStore::open(database.url(), None).unwrap());
    (sqlite_schema(sqlite_script), mysql_schema(database.url()))
}

#[test]
#[cfg_attr(
    not(mysql_tests),
    ignore = "MariaDB: build with SHOPDESK_TEST_MYSQL_URL set to run it (README, Tests)"
)]
fn both_schemas_describe_the_same_tables_columns_keys_and_constraints() {
    let ((sqlite, nocase), (mysql, twins)) = both(SQLITE_SCHEMA);
    assert_eq!(
        nocase, twins,
        "every NOCASE column has its twin, and only they"
    );
    let found = differences(&sqlite, &mysql);
    assert!(
        found.is_empty(),
        "the schemas differ:\n{}",
        found.join("\n")
    );
    // The comparison saw each part of them.
    assert!(
        sqlite.tables.len() >= 10 && sqlite.columns.len() > 60,
        "{sqlite:?}"
    );
    assert!(sqlite.unique_keys.len() >= 3 && sqlite.foreign_keys.len() >= 8);
    assert!(sqlite.checks.len() > 30);
}

#[test]
#[cfg_attr(
    not(mysql_tests),
    ignore = "MariaDB: build with SHOPDESK_TEST_MYSQL_URL set to run it (README, Tests)"
)]
fn a_column_key_or_check_in_one_schema_only_is_a_difference() {
    let changed = SQLITE_SCHEMA
        .replace(
            "    value TEXT NOT NULL CHECK (length(value) <= 500)\n",
            "    value TEXT NOT NULL CHECK (length(value) <= 500),\n    \
             changed_by TEXT CHECK (length(changed_by) <= 40)\n",
        )
        .replace(
            "CREATE INDEX orders_by_time ON orders (created_at);",
            "CREATE UNIQUE INDEX orders_by_time ON orders (created_at);",
        )
        .replace(
            "CHECK (quantity BETWEEN 1 AND 9999),\n    PRIMARY KEY (parked_id",
            "CHECK (quantity BETWEEN 1 AND 999),\n    PRIMARY KEY (parked_id",
        );
    assert_ne!(changed, SQLITE_SCHEMA);
    let ((sqlite, _), (mysql, _)) = both(&changed);
    let found = differences(&sqlite, &mysql).join("\n");
    for expected in [
        "column only in schema.sql: ((\"settings\", \"changed_by\")",
        "unique key only in schema.sql: (\"orders\", [\"created_at\"])",
        "\"changed_by\"",
        "\"999\"",
    ] {
        assert!(found.contains(expected), "{expected} in:\n{found}");
    }
}
