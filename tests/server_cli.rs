//! The command line on a server database: the `--db` URL (or
//! `SHOPDESK_DB`) read and refused as the shop's own words say, and a
//! server out of reach a temporary failure (exit 75) naming it. The tests
//! that need the MariaDB test server are ignored without
//! `SHOPDESK_TEST_MYSQL_URL` (README, Tests).

mod common;

use std::net::TcpListener;

use common::cli::{Run, finish, shopdesk};
use common::server::TestDatabase;

/// A port on this machine that nothing listens on.
fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn run_on(db: &str, args: &[&str]) -> Run {
    finish(shopdesk().args(["--db", db]).args(args).output().unwrap())
}

#[test]
fn a_url_with_a_password_is_refused_saying_where_it_goes_and_never_shown() {
    let refused = run_on("mysql://clerk:Hunter2@127.0.0.1/shop", &["product", "list"])
        .refused("holds a password");
    for said in ["SHOPDESK_DB_PASSWORD", "config set db_password", "ps"] {
        assert!(refused.stderr.contains(said), "{}", refused.stderr);
    }
    assert!(!refused.stderr.contains("Hunter2"), "{}", refused.stderr);
}

#[test]
fn a_malformed_url_names_the_part_that_is_wrong() {
    run_on("mysql://clerk@127.0.0.1:99999/shop", &["product", "list"])
        .refused("the port must be a whole number from 1 to 65535");
    run_on("MariaDB://clerk@127.0.0.1", &["check"]).refused("it names no database");
}

#[test]
fn an_unreachable_server_is_a_temporary_failure_naming_it() {
    let port = closed_port();
    let db = format!("mysql://clerk@127.0.0.1:{port}/shop");
    let server = format!("cannot reach the database server at 127.0.0.1:{port}");
    run_on(&db, &["product", "list"]).temporary(&server);
    run_on(&db, &["check"]).temporary(&server);
    // SHOPDESK_DB names a server as --db does.
    finish(
        shopdesk()
            .env("SHOPDESK_DB", &db)
            .args(["customer", "list"])
            .output()
            .unwrap(),
    )
    .temporary(&server);
}

#[test]
#[cfg_attr(
    not(mysql_tests),
    ignore = "MariaDB: build with SHOPDESK_TEST_MYSQL_URL set to run it (README, Tests)"
)]
fn check_on_an_empty_server_database_says_there_is_no_shop_and_makes_none() {
    let database = TestDatabase::create();
    let url = database.url().to_string();
    run_on(&url, &["check"]).refused(&format!("there is no shopdesk database at {url}"));
    assert!(common::server_state::tables(database.url()).is_empty());
}

#[test]
#[cfg_attr(
    not(mysql_tests),
    ignore = "MariaDB: build with SHOPDESK_TEST_MYSQL_URL set to run it (README, Tests)"
)]
fn a_database_the_server_does_not_have_is_refused_saying_how_to_create_it() {
    let mut url = common::server::server_url();
    url.database = format!("shopdesk_t_open_cli_{}", std::process::id());
    run_on(&url.to_string(), &["product", "list"]).refused(&format!(
        "there is no database {} on the server at {}: create it first",
        url.database,
        url.address()
    ));
}
