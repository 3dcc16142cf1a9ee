//! Helpers shared by the integration tests: a store on a fresh temporary
//! file, a fixed clock and a small catalog.
#![allow(dead_code)] // each test file uses its own part of this

pub mod cli;
pub mod contract;
pub mod harness;
pub mod private_server;
pub mod pty;
pub mod server;
pub mod server_state;
pub mod untouched;

use chrono::{DateTime, Duration, TimeZone, Utc};
use shopdesk::domain::Cents;
use shopdesk::domain::customer::{Contact, Customer, Email, NewCustomer, Phone, SharedPhone};
use shopdesk::domain::order::{ItemSpec, NewOrder};
use shopdesk::domain::product::{NewProduct, Product, Sku, Stock};
use shopdesk::domain::text::Name;
// The storage interface's methods, for every test that uses these helpers
// (unnamed: `cli::Shop` is the command line's test shop).
pub use shopdesk::store::Shop as _;
use shopdesk::store::Shop;
use shopdesk::store::sqlite::SqliteStore;
use tempfile::TempDir;

pub use contract::TestShop;
// Used by the files that hold contract tests only.
#[allow(unused_imports)]
pub(crate) use contract::contract_suite;

/// What the helpers below reach the storage interface through: a contract
/// test's shop of any backend, a SQLite test's store, or the interface.
pub trait AsShop {
    fn shop(&self) -> &dyn Shop;
    fn shop_mut(&mut self) -> &mut dyn Shop;
}

impl<'a> AsShop for dyn Shop + 'a {
    fn shop(&self) -> &dyn Shop {
        self
    }
    fn shop_mut(&mut self) -> &mut dyn Shop {
        self
    }
}

impl AsShop for Box<dyn Shop> {
    fn shop(&self) -> &dyn Shop {
        &**self
    }
    fn shop_mut(&mut self) -> &mut dyn Shop {
        &mut **self
    }
}

impl AsShop for SqliteStore {
    fn shop(&self) -> &dyn Shop {
        self
    }
    fn shop_mut(&mut self) -> &mut dyn Shop {
        self
    }
}

impl AsShop for TestStore {
    fn shop(&self) -> &dyn Shop {
        &self.store
    }
    fn shop_mut(&mut self) -> &mut dyn Shop {
        &mut self.store
    }
}

impl AsShop for TestShop {
    fn shop(&self) -> &dyn Shop {
        &**self
    }
    fn shop_mut(&mut self) -> &mut dyn Shop {
        &mut **self
    }
}

/// A store on its own temporary folder, removed when dropped.
pub struct TestStore {
    pub store: SqliteStore,
    pub dir: TempDir,
}

impl std::ops::Deref for TestStore {
    type Target = SqliteStore;
    fn deref(&self) -> &SqliteStore {
        &self.store
    }
}

impl std::ops::DerefMut for TestStore {
    fn deref_mut(&mut self) -> &mut SqliteStore {
        &mut self.store
    }
}

/// Makes a FIFO at `path`, as a hostile or careless user could plant one
/// where shopdesk reads or writes.
pub fn make_fifo(path: &std::path::Path) {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(made.success(), "mkfifo {}", path.display());
}

/// `nobody`, whom the read-only tests make own their files when run as root.
pub const NOBODY: u32 = 65534;

/// Whether the tests run as root, whom file permissions do not stop.
pub fn running_as_root() -> bool {
    // SAFETY: geteuid only reads the process's user id.
    unsafe { libc::geteuid() == 0 }
}

/// The permission bits of `path` itself (a symlink's own, never its
/// target's).
pub fn mode_of(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::symlink_metadata(path)
        .unwrap_or_else(|err| panic!("{}: {err}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

/// The README, as the tests that hold it to the product read it.
pub fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap()
}

/// `text` with every `2026-03-01 12:10` written as the snapshots' filter
/// writes it.
pub fn without_times(text: &str) -> String {
    const PATTERN: &[u8] = b"9999-99-99 99:99";
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        let is_time = bytes.len() - at >= PATTERN.len()
            && PATTERN.iter().zip(&bytes[at..]).all(|(&want, &got)| {
                if want == b'9' {
                    got.is_ascii_digit()
                } else {
                    got == want
                }
            });
        if is_time {
            out.extend_from_slice(b"YYYY-MM-DD hh:mm");
            at += PATTERN.len();
        } else {
            out.push(bytes[at]);
            at += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// Says in the test output that the running test checked nothing here, and
/// why. libtest hides what a passing test prints with `eprintln!`; a write
/// to the process's own standard error is shown whatever the result.
pub fn say_skipped(why: &str) {
    use std::io::Write;
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("a test");
    let _ = writeln!(std::io::stderr(), "{test}: skipped: {why}");
}

/// Makes `paths` belong to the ordinary user that
/// [`shopdesk_as_ordinary_user`] runs as: `nobody` under root; under an
/// ordinary user they already belong to the one who runs shopdesk, and
/// only root may give files away.
pub fn hand_to_ordinary_user(paths: &[&std::path::Path]) {
    if !running_as_root() {
        return;
    }
    for path in paths {
        std::os::unix::fs::chown(path, Some(NOBODY), Some(NOBODY))
            .unwrap_or_else(|err| panic!("chown {} to nobody: {err}", path.display()));
    }
}

/// The program and arguments that run shopdesk as an ordinary user: as
/// `nobody` through `setpriv` when the tests run as root (whom file
/// permissions do not stop), else shopdesk itself.
pub fn shopdesk_as_ordinary_user() -> Vec<String> {
    let shopdesk = env!("CARGO_BIN_EXE_shopdesk").to_string();
    if running_as_root() {
        let user = format!("--reuid={NOBODY}");
        let group = format!("--regid={NOBODY}");
        vec![
            "setpriv".into(),
            user,
            group,
            "--clear-groups".into(),
            shopdesk,
        ]
    } else {
        vec![shopdesk]
    }
}

/// Ann and Dana (customers 1 and 2), a mug at $12.50 × 20 and a pen at
/// $1.99 × 100: the small shop the key tests type into.
pub fn small_shop() -> TestStore {
    let mut shop = new_store();
    stock_small_shop(&mut shop);
    shop
}

/// Fills `shop` as [`small_shop`] is.
pub fn stock_small_shop(shop: &mut (impl AsShop + ?Sized)) {
    add_customer(shop, "Ann Lee", "ann@example.com", "555-0102");
    add_customer(shop, "Dana Cole", "dana@example.com", "");
    add_product(shop, "MUG-1", "Blue mug", "12.50", 20);
    add_product(shop, "PEN-1", "Red pen", "1.99", 100);
}

pub fn new_store() -> TestStore {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SqliteStore::open(&dir.path().join("shop.db")).expect("open store");
    TestStore { store, dir }
}

/// 2026-03-01 12:00 UTC plus `minutes`: a clock tests control.
pub fn at(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap() + Duration::minutes(minutes)
}

/// A customer to register; an empty email or phone is none.
pub fn new_customer(name: &str, email: &str, phone: &str) -> NewCustomer {
    NewCustomer {
        name: Name::parse("name", name).unwrap(),
        contact: Contact::new(
            Email::parse_optional(email).unwrap(),
            Phone::parse_optional(phone).unwrap(),
        )
        .unwrap(),
    }
}

/// Registers a customer (an empty email or phone is none); a phone number
/// another customer has is refused, as the store does unless told.
pub fn add_customer(
    store: &mut (impl AsShop + ?Sized),
    name: &str,
    email: &str,
    phone: &str,
) -> Customer {
    let new = new_customer(name, email, phone);
    store
        .shop_mut()
        .add_customer(&new, SharedPhone::Refuse, at(0))
        .unwrap()
}

pub fn add_product(
    store: &mut (impl AsShop + ?Sized),
    sku: &str,
    name: &str,
    price: &str,
    stock: i64,
) -> Product {
    let store = store.shop_mut();
    let new = NewProduct {
        sku: Sku::parse(sku).unwrap(),
        name: Name::parse("name", name).unwrap(),
        price: Cents::parse(price, &store.settings().unwrap().currency).unwrap(),
        stock: Stock::new(stock).unwrap(),
        details: String::new(),
    };
    store.add_product(&new, at(0)).unwrap()
}

/// A closed database file `shop.db` in a new temporary folder, with one
/// product: MUG-1, a blue mug at 12.50, `stock` of them.
pub fn shop_file_with_a_mug(stock: i64) -> (TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("shop.db");
    let mut store = SqliteStore::open(&db).expect("open store");
    add_product(&mut store, "MUG-1", "Blue mug", "12.50", stock);
    (dir, db)
}

/// An order of `items` written as on the command line (`MUG:2`).
pub fn new_order(customer_id: i64, items: &[&str]) -> NewOrder {
    NewOrder {
        customer_id,
        items: items
            .iter()
            .map(|item| item.parse::<ItemSpec>().unwrap())
            .collect(),
        note: String::new(),
        count_corrections: Vec::new(),
        sale_id: None,
    }
}

pub fn count_orders(store: &(impl AsShop + ?Sized)) -> usize {
    store.shop().orders(Default::default()).count()
}

/// The message of each problem `check` finds in `store` (none: sound).
pub fn check_messages(store: &(impl AsShop + ?Sized)) -> Vec<String> {
    let report = store.shop().check().unwrap();
    report.problems.into_iter().map(|p| p.message).collect()
}

/// How long a test waits for a process it killed to end.
const ENDING: std::time::Duration = std::time::Duration::from_secs(30);

/// Waits until the process whose id is in `pid_file` has ended (gone, or
/// a zombie waiting for its parent): it was killed.
#[track_caller]
pub fn assert_ends(pid_file: &std::path::Path) {
    let pid = std::fs::read_to_string(pid_file)
        .unwrap()
        .trim()
        .to_string();
    let stat = std::path::Path::new("/proc").join(&pid).join("stat");
    let deadline = std::time::Instant::now() + ENDING;
    loop {
        let state = std::fs::read_to_string(&stat)
            .ok()
            .and_then(|stat| stat.rsplit_once(") ")?.1.chars().next());
        match state {
            None | Some('Z' | 'X') => return,
            Some(_) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(20))
            }
            Some(state) => panic!("process {pid} still runs (state {state})"),
        }
    }
}

/// The rows of a two-column `query`, read straight from the database file
/// at `path` (not through the store under test).
pub fn query_pairs<A, B>(path: &std::path::Path, query: &str) -> Vec<(A, B)>
where
    A: rusqlite::types::FromSql,
    B: rusqlite::types::FromSql,
{
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut statement = conn.prepare(query).unwrap();
    statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// The schema version (`PRAGMA user_version`) of the database file at
/// `path`, read straight from it (not through the store under test).
pub fn user_version(path: &std::path::Path) -> i64 {
    rusqlite::Connection::open(path)
        .unwrap()
        .pragma_query_value(None, "user_version", |row| row.get(0))
        .unwrap()
}
