//! Whether the MariaDB tests run: they do when `SHOPDESK_TEST_MYSQL_URL`
//! names a test server as the tests are built (`cfg(mysql_tests)`);
//! otherwise `cargo test` lists each of them as ignored, saying how to run
//! them. Nothing of the program itself depends on it.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(mysql_tests)");
    println!("cargo::rerun-if-env-changed=SHOPDESK_TEST_MYSQL_URL");
    if std::env::var_os("SHOPDESK_TEST_MYSQL_URL").is_some_and(|url| !url.is_empty()) {
        println!("cargo::rustc-cfg=mysql_tests");
    }
}
