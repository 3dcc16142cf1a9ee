//! A server database on a private MariaDB server each test starts (its
//! own data folder and port; see `common/private_server.rs`): encrypted
//! connections and the certificates they trust, accounts with passwords
//! and the grants shopdesk needs, and a server killed and started again.
//! Ignored where `mariadbd` (or, for certificates, `openssl`) is missing.

mod common;

use common::cli::{Run, finish, shopdesk};
use common::private_server::{PrivateServer, make_certificates};
use mysql::prelude::Queryable;
use shopdesk::domain::ErrorClass;
use shopdesk::store::mysql::{LATEST_VERSION, MysqlStore, ServerUrl, Step};
use shopdesk::store::{Error, Shop};

fn refusal(opened: Result<MysqlStore, Error>) -> Error {
    match opened {
        Ok(store) => panic!("{} was opened", store.url()),
        Err(error) => error,
    }
}

// ---- TLS --------------------------------------------------------------------

#[test]
#[cfg_attr(
    not(all(private_mariadb, openssl_cli)),
    ignore = "needs mariadbd, mariadb-install-db and openssl on this machine (README, Tests)"
)]
fn tls_connects_trusting_the_shops_own_authority_and_refuses_what_it_cannot_trust() {
    let certificates = tempfile::tempdir().unwrap();
    let mut options = make_certificates(certificates.path(), "Corner shop CA");
    options.push("--require-secure-transport=ON".to_string());
    let server = PrivateServer::start(&options);
    server.run(&["CREATE DATABASE shop"]);
    let ca = certificates.path().join("ca.pem");

    // Trusting the shop's authority: connected, encrypted (the server takes
    // nothing else), and the shop made.
    let trusted = server.url(
        "root",
        "shop",
        &format!("ssl-mode=required&ssl-ca={}", ca.display()),
    );
    let store = MysqlStore::open(&trusted, None).unwrap();
    assert_eq!(store.schema_version().unwrap(), LATEST_VERSION);
    Box::new(store).close().unwrap();
    // The authority alone asks for TLS too.
    drop(
        MysqlStore::open(
            &server.url("root", "shop", &format!("ssl-ca={}", ca.display())),
            None,
        )
        .unwrap(),
    );

    let assert_tls_refused = |url: &ServerUrl, said: &str| {
        let error = refusal(MysqlStore::open(url, None));
        assert!(matches!(error, Error::Tls { .. }), "{url}: {error:?}");
        let message = error.to_string();
        assert!(
            message.contains(&url.address()) && message.contains(said),
            "{url}: {message}"
        );
        assert_eq!(error.class(), ErrorClass::Refused);
    };
    // Unencrypted: MariaDB refuses the account as it would for a wrong
    // password (MySQL says it takes encrypted connections only), so both
    // are said.
    let plain = refusal(MysqlStore::open(&server.url("root", "shop", ""), None));
    assert!(matches!(plain, Error::AccessDenied { .. }), "{plain:?}");
    assert!(
        plain
            .to_string()
            .contains("takes encrypted connections only (add ?ssl-mode=required)"),
        "{plain}"
    );
    // The web's roots alone do not know the shop's authority.
    assert_tls_refused(
        &server.url("root", "shop", "ssl-mode=required"),
        "not signed by an authority shopdesk trusts",
    );
    // Nor does another authority, whatever its name.
    for name in ["Another CA", "Corner shop CA"] {
        let other = tempfile::tempdir().unwrap();
        make_certificates(other.path(), name);
        assert_tls_refused(
            &server.url(
                "root",
                "shop",
                &format!("ssl-ca={}", other.path().join("ca.pem").display()),
            ),
            "not signed by an authority shopdesk trusts",
        );
    }
    // The certificate names 127.0.0.1, not localhost.
    let by_name = ServerUrl::parse(&format!(
        "mysql://root@localhost:{}/shop?ssl-ca={}",
        trusted.port,
        ca.display()
    ))
    .unwrap();
    assert_tls_refused(&by_name, "for another host name");

    // The command line says the same, as a refusal (exit 1).
    let run: Run = finish(
        shopdesk()
            .args(["--db", &by_name.to_string(), "check"])
            .output()
            .unwrap(),
    );
    run.refused(&format!(
        "cannot make an encrypted connection to the database server at localhost:{}: its \
         certificate is for another host name",
        trusted.port
    ));
}

// ---- accounts, passwords and grants -----------------------------------------

/// The grants the README asks for, for the account that creates and
/// upgrades the shop's tables.
const SETUP_GRANTS: &str = "SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX";
/// The grants the README asks for, for an account that only works in a
/// shop already made.
const DAILY_GRANTS: &str = "SELECT, INSERT, UPDATE, DELETE";

const CLERK_PASSWORD: &str = "Till-2-pass";

/// Version LATEST + 1, made up: what an upgrade step does (a new table, a
/// new column), to prove the setup grants are enough for one.
fn loyalty_cards(conn: &mut mysql::Conn) -> mysql::Result<()> {
    conn.query_drop(
        "CREATE TABLE IF NOT EXISTS loyalty_cards (
            customer_id BIGINT NOT NULL PRIMARY KEY,
            points      BIGINT NOT NULL DEFAULT 0,
            CONSTRAINT loyalty_cards_customer FOREIGN KEY (customer_id) REFERENCES customers (id)
        ) ENGINE = InnoDB",
    )?;
    conn.query_drop(
        "ALTER TABLE customers ADD COLUMN IF NOT EXISTS loyal TINYINT NOT NULL DEFAULT 0",
    )?;
    conn.query_drop("CREATE INDEX IF NOT EXISTS customers_by_loyalty ON customers (loyal)")
}

static LOYALTY_CARDS: &[Step] = &[Step {
    new_tables: &["loyalty_cards"],
    run: loyalty_cards,
}];

/// `shopdesk check` on `url` with `password` in the environment (if any)
/// and the configuration at `config`.
fn check(url: &ServerUrl, password: Option<&str>, config: &std::path::Path) -> Run {
    let mut command = shopdesk();
    command
        .args(["--db", &url.to_string(), "--config"])
        .arg(config)
        .arg("check");
    if let Some(password) = password {
        command.env("SHOPDESK_DB_PASSWORD", password);
    }
    finish(command.output().unwrap())
}

#[test]
#[cfg_attr(
    not(private_mariadb),
    ignore = "needs mariadbd and mariadb-install-db on this machine (README, Tests)"
)]
fn the_readmes_grants_are_enough_and_the_password_comes_from_the_environment_or_the_configuration()
{
    let server = PrivateServer::start(&[]);
    server.run(&[
        "CREATE DATABASE shop",
        "CREATE DATABASE new_shop",
        "CREATE DATABASE upgraded",
        &format!("CREATE USER clerk@'127.0.0.1' IDENTIFIED BY '{CLERK_PASSWORD}'"),
        &format!("GRANT {SETUP_GRANTS} ON shop.* TO clerk@'127.0.0.1'"),
        &format!("GRANT {SETUP_GRANTS} ON upgraded.* TO clerk@'127.0.0.1'"),
        "CREATE USER till@'127.0.0.1' IDENTIFIED BY 'till-pass'",
        &format!("GRANT {DAILY_GRANTS} ON shop.* TO till@'127.0.0.1'"),
        &format!("GRANT {DAILY_GRANTS} ON new_shop.* TO till@'127.0.0.1'"),
    ]);
    let clerk = server.url("clerk", "shop", "");

    // The setup grants create the shop, and upgrade it.
    let store = MysqlStore::open(&clerk, Some(CLERK_PASSWORD)).unwrap();
    assert_eq!(store.schema_version().unwrap(), LATEST_VERSION);
    Box::new(store).close().unwrap();
    let upgraded = server.url("clerk", "upgraded", "");
    drop(MysqlStore::open(&upgraded, Some(CLERK_PASSWORD)).unwrap());
    let store =
        MysqlStore::open_upgrading_with(&upgraded, Some(CLERK_PASSWORD), LOYALTY_CARDS).unwrap();
    assert_eq!(store.schema_version().unwrap(), LATEST_VERSION + 1);

    // The daily grants work in a shop already made, and cannot make one:
    // said before anything is made.
    let till = MysqlStore::open(&server.url("till", "shop", ""), Some("till-pass")).unwrap();
    assert_eq!(till.schema_version().unwrap(), LATEST_VERSION);
    let error = refusal(MysqlStore::open(
        &server.url("till", "new_shop", ""),
        Some("till-pass"),
    ));
    assert!(matches!(error, Error::NotPermitted { .. }), "{error:?}");
    let message = error.to_string();
    assert!(
        message.contains("CREATE command denied")
            && message.contains("till")
            && message.contains("README"),
        "{message}"
    );
    let tables: Vec<String> = server
        .admin()
        .query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'new_shop'")
        .unwrap();
    assert_eq!(tables, Vec::<String>::new());

    // A wrong password, or none, names the user and where the password goes.
    for password in [Some("not-it"), None] {
        let error = refusal(MysqlStore::open(&clerk, password));
        assert!(matches!(error, Error::AccessDenied { .. }), "{error:?}");
        assert!(error.to_string().contains("refused user clerk"), "{error}");
    }

    // A server without TLS, asked for it.
    let error = refusal(MysqlStore::open(
        &server.url("clerk", "shop", "ssl-mode=required"),
        Some(CLERK_PASSWORD),
    ));
    assert!(
        matches!(error, Error::Tls { .. })
            && error.to_string().contains("does not offer encryption"),
        "{error:?}"
    );

    // The command line: the environment's password first, else the
    // configuration's. `check` of the empty database says there is no shop
    // there once connected, and names the user when refused.
    let counter = tempfile::tempdir().unwrap();
    let config = counter.path().join("config.toml");
    let empty = server.url("clerk", "upgraded", "");
    server.run(&[
        "CREATE DATABASE empty_shop",
        &format!("GRANT {SETUP_GRANTS} ON empty_shop.* TO clerk@'127.0.0.1'"),
    ]);
    let empty = ServerUrl {
        database: "empty_shop".to_string(),
        ..empty
    };
    let connected = "there is no shopdesk database at";
    let denied = "refused user clerk";
    check(&empty, None, &config).refused(denied);
    check(&empty, Some(CLERK_PASSWORD), &config).refused(connected);
    set_configured_password(&config, CLERK_PASSWORD);
    check(&empty, None, &config).refused(connected);
    check(&empty, Some("not-it"), &config).refused(denied);
    set_configured_password(&config, "not-it");
    check(&empty, None, &config).refused(denied);

    // Every connection above said goodbye, none was dropped mid-session.
    drop((store, till));
    let aborted: Option<(String, u64)> = server
        .admin()
        .query_first("SHOW GLOBAL STATUS LIKE 'Aborted_clients'")
        .unwrap();
    assert_eq!(aborted.map(|(_, count)| count), Some(0));
}

/// `shopdesk config set db_password`, the password on standard input.
fn set_configured_password(config: &std::path::Path, password: &str) {
    use std::io::Write;
    let mut child = shopdesk()
        .arg("--config")
        .arg(config)
        .args(["config", "set", "db_password"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
    finish(child.wait_with_output().unwrap()).ok();
}

// ---- a server that goes away ------------------------------------------------

#[test]
#[cfg_attr(
    not(private_mariadb),
    ignore = "needs mariadbd and mariadb-install-db on this machine (README, Tests)"
)]
fn a_server_killed_is_unreachable_naming_it_and_connected_to_again_once_it_is_back() {
    let mut server = PrivateServer::start(&[]);
    server.run(&["CREATE DATABASE shop"]);
    let url = server.url("root", "shop", "");
    let store = MysqlStore::open(&url, None).unwrap();
    server.kill();
    let error = store.schema_version().unwrap_err();
    assert!(error.is_unreachable(), "{error:?}");
    assert_eq!(error.class(), ErrorClass::Unavailable);
    assert!(error.to_string().contains(&url.address()), "{error}");
    // While it is down, each operation says so again, connecting anew.
    let again = store.schema_version().unwrap_err();
    assert!(
        matches!(again, Error::CannotConnect { .. }) && again.to_string().contains("refused"),
        "{again:?}"
    );
    server.restart();
    assert_eq!(store.schema_version().unwrap(), LATEST_VERSION);
    // Stopped by its administrator, the same.
    server.stop();
    assert!(store.schema_version().unwrap_err().is_unreachable());
    server.restart();
    assert_eq!(store.schema_version().unwrap(), LATEST_VERSION);
}
