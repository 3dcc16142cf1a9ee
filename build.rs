//! Which tests can run here. The MariaDB tests run when
//! `SHOPDESK_TEST_MYSQL_URL` names a test server as the tests are built
//! (`cfg(mysql_tests)`); the tests that start a private MariaDB server of
//! their own (TLS, a server killed and restarted) run where `mariadbd` and
//! `mariadb-install-db` are installed (`cfg(private_mariadb)`, their paths
//! in `SHOPDESK_TEST_MARIADBD` and `SHOPDESK_TEST_MARIADB_INSTALL_DB`), and
//! those that make certificates where `openssl` is (`cfg(openssl_cli)`).
//! Otherwise `cargo test` lists each of them as ignored, saying why.
//! Nothing of the program itself depends on it.

use std::path::{Path, PathBuf};

/// Where a server's programs are, beside the PATH (`/usr/sbin` is not on
/// every user's).
const SERVER_FOLDERS: [&str; 3] = ["/usr/sbin", "/usr/local/sbin", "/usr/local/mysql/bin"];

fn main() {
    println!("cargo::rustc-check-cfg=cfg(mysql_tests)");
    println!("cargo::rustc-check-cfg=cfg(private_mariadb)");
    println!("cargo::rustc-check-cfg=cfg(openssl_cli)");
    println!("cargo::rerun-if-env-changed=SHOPDESK_TEST_MYSQL_URL");
    println!("cargo::rerun-if-env-changed=PATH");
    if std::env::var_os("SHOPDESK_TEST_MYSQL_URL").is_some_and(|url| !url.is_empty()) {
        println!("cargo::rustc-cfg=mysql_tests");
    }
    if let (Some(server), Some(install)) = (find("mariadbd"), find("mariadb-install-db")) {
        println!("cargo::rustc-cfg=private_mariadb");
        println!(
            "cargo::rustc-env=SHOPDESK_TEST_MARIADBD={}",
            server.display()
        );
        println!(
            "cargo::rustc-env=SHOPDESK_TEST_MARIADB_INSTALL_DB={}",
            install.display()
        );
    }
    if find("openssl").is_some() {
        println!("cargo::rustc-cfg=openssl_cli");
    }
}

/// The program `name` on the PATH or in a server's usual folders.
fn find(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(SERVER_FOLDERS.iter().map(PathBuf::from))
        .map(|folder| folder.join(name))
        .find(|candidate| is_program(candidate))
}

#[cfg(unix)]
fn is_program(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .is_ok_and(|metadata| metadata.is_file() && metadata.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_program(path: &Path) -> bool {
    path.is_file()
}
