//! A server database as a test sees it through a connection of its own:
//! statements run as another program would run them, and "left
//! untouched" proved by the tables and rows before and after.

use mysql::prelude::Queryable;
use mysql::{Conn, OptsBuilder};
use shopdesk::store::mysql::ServerUrl;

/// A connection to the database `url` names (no password: the test
/// server's), in the session the store sets up: UTC, strict, and id 0
/// kept as 0.
pub fn connect(url: &ServerUrl) -> Conn {
    let opts = OptsBuilder::new()
        .ip_or_hostname(Some(url.host.clone()))
        .tcp_port(url.port)
        .user(Some(url.user.clone()))
        .db_name(Some(url.database.clone()))
        .prefer_socket(false)
        .init(vec![
            "SET SESSION time_zone = '+00:00', \
             sql_mode = 'STRICT_ALL_TABLES,NO_AUTO_VALUE_ON_ZERO'",
        ]);
    Conn::new(opts).unwrap_or_else(|error| panic!("connect to {url}: {error}"))
}

/// Runs each of `statements` on the database `url` names.
pub fn run(url: &ServerUrl, statements: &[&str]) {
    let mut conn = connect(url);
    for statement in statements {
        conn.query_drop(statement)
            .unwrap_or_else(|error| panic!("{statement}: {error}"));
    }
}

/// The database's tables, in name order.
pub fn tables(url: &ServerUrl) -> Vec<String> {
    connect(url)
        .query(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() \
             ORDER BY table_name",
        )
        .unwrap()
}

/// Every table's definition and rows, at one moment.
#[derive(Debug, PartialEq, Eq)]
pub struct Snapshot(Vec<(String, String, Vec<String>)>);

impl Snapshot {
    pub fn of(url: &ServerUrl) -> Snapshot {
        let mut conn = connect(url);
        let tables = tables(url);
        Snapshot(
            tables
                .into_iter()
                .map(|table| {
                    // A view's definition has more columns: the second is it.
                    let shown: mysql::Row = conn
                        .query_first(format!("SHOW CREATE TABLE `{table}`"))
                        .unwrap()
                        .unwrap();
                    let definition: String = shown.get(1).unwrap();
                    let mut rows: Vec<String> = conn
                        .query_map(format!("SELECT * FROM `{table}`"), |row: mysql::Row| {
                            format!("{:?}", row.unwrap())
                        })
                        .unwrap();
                    rows.sort();
                    (table, definition, rows)
                })
                .collect(),
        )
    }
}

/// The schema as `information_schema` describes it, every detail a
/// creation makes (columns, keys, constraints), for comparing two
/// databases' schemas.
pub fn schema(url: &ServerUrl) -> Vec<String> {
    let mut conn = connect(url);
    let mut described = Vec::new();
    for query in [
        "SELECT CONCAT_WS(' ', table_name, column_name, ordinal_position, column_type, \
         is_nullable, IFNULL(column_default, '-'), extra, IFNULL(generation_expression, '-')) \
         FROM information_schema.columns WHERE table_schema = DATABASE()",
        "SELECT CONCAT_WS(' ', table_name, index_name, seq_in_index, column_name, non_unique) \
         FROM information_schema.statistics WHERE table_schema = DATABASE()",
        "SELECT CONCAT_WS(' ', table_name, constraint_name, check_clause) \
         FROM information_schema.check_constraints WHERE constraint_schema = DATABASE()",
        "SELECT CONCAT_WS(' ', table_name, constraint_name, column_name, \
         IFNULL(referenced_table_name, '-'), IFNULL(referenced_column_name, '-')) \
         FROM information_schema.key_column_usage WHERE table_schema = DATABASE()",
    ] {
        let mut rows: Vec<String> = conn.query(query).unwrap();
        rows.sort();
        described.extend(rows);
    }
    described
}
