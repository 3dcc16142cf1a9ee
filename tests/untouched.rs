//! "Left untouched" is byte-for-byte true: every file shopdesk refuses (not
//! a database, another program's, a newer shopdesk's, one it cannot make
//! sense of, an upgrade it cannot finish, a path that is not a file) keeps
//! its bytes and its `-wal` log, and no side file appears or vanishes;
//! `check` and `backup` leave an unflushed log where it is. And the
//! database file is made like every file shopdesk writes, and named by a
//! path, never a URI. SQLite only: it is about SQLite's files (a server
//! database left untouched: tests/server_open.rs).

mod common;

use std::path::{Path, PathBuf};

use common::cli::{Shop, finish, shopdesk};
use common::untouched::{FilesBeside, side, write_leaving_log_unflushed};
use rusqlite::Connection;
use shopdesk::store::sqlite::SqliteStore;
use shopdesk::store::{Error, LATEST_VERSION};

/// "SHPD", the application id of a shopdesk database.
const SHOPDESK_ID: i64 = 0x5348_5044;

/// How the log of a database is left before shopdesk opens it.
#[derive(Debug, Clone, Copy)]
enum Log {
    /// Merged and gone: the file alone.
    None,
    /// Unflushed, with its shared-memory index, as a running or crashed
    /// program leaves it.
    Unflushed,
    /// Unflushed, without the index (the two files copied by hand).
    UnflushedWithoutIndex,
}

const EVERY_LOG: [Log; 3] = [Log::None, Log::Unflushed, Log::UnflushedWithoutIndex];

/// Makes the database at `path` with `made` (in rollback mode), then runs
/// `last` so that it is left in the log as `log` says.
fn database_with_log(path: &Path, made: &str, last: &str, log: Log) {
    let conn = Connection::open(path).unwrap();
    conn.execute_batch(made).unwrap();
    drop(conn);
    match log {
        Log::None => {
            let conn = Connection::open(path).unwrap();
            conn.execute_batch(last).unwrap();
        }
        Log::Unflushed => write_leaving_log_unflushed(path, last),
        Log::UnflushedWithoutIndex => {
            write_leaving_log_unflushed(path, last);
            std::fs::remove_file(side(path, "-shm")).unwrap();
        }
    }
}

/// Opening for use, and opening for `check` or `backup`, both refuse the
/// file with `expected` and leave it and its side files as they were.
#[track_caller]
fn assert_refused_untouched(path: &Path, expected: impl Fn(&Error) -> bool, says: &str) {
    for (how, open) in [
        (
            "open",
            SqliteStore::open as fn(&Path) -> shopdesk::store::Result<SqliteStore>,
        ),
        ("open_unchanged", SqliteStore::open_unchanged),
    ] {
        let before = FilesBeside::of(path);
        let error = open(path)
            .err()
            .unwrap_or_else(|| panic!("{how}: must be refused"));
        assert!(expected(&error), "{how}: unexpected error: {error:?}");
        assert!(error.to_string().contains(says), "{how}: {error}");
        before.assert_unchanged();
    }
}

fn in_new_folder(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    (dir, path)
}

#[test]
fn another_programs_database_with_an_unflushed_log_is_left_untouched() {
    let notes = "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)";
    // Its table in the file and a row in the log; or its table only in the
    // log, so that the file alone looks empty (and would be taken).
    for (made, last) in [
        (notes, "INSERT INTO notes (body) VALUES ('buy milk')"),
        ("", notes),
    ] {
        for log in EVERY_LOG {
            let (_dir, path) = in_new_folder("notes.db");
            database_with_log(&path, made, last, log);
            assert_refused_untouched(
                &path,
                |e| matches!(e, Error::ForeignDatabase { .. }),
                "untouched",
            );
        }
    }
}

#[test]
fn a_newer_shopdesks_database_with_an_unflushed_log_is_left_untouched() {
    for log in EVERY_LOG {
        let (_dir, path) = in_new_folder("shop.db");
        drop(SqliteStore::open(&path).unwrap());
        let newer = format!("PRAGMA user_version = {}", LATEST_VERSION + 1);
        database_with_log(&path, "", &newer, log);
        assert_refused_untouched(
            &path,
            |e| matches!(e, Error::DatabaseTooNew { found, .. } if *found == LATEST_VERSION + 1),
            "untouched",
        );
    }
}

#[test]
fn a_file_with_only_shopdesks_mark_and_no_schema_is_refused_untouched() {
    for log in EVERY_LOG {
        let (_dir, path) = in_new_folder("shop.db");
        database_with_log(
            &path,
            "",
            &format!("PRAGMA application_id = {SHOPDESK_ID}"),
            log,
        );
        assert_refused_untouched(
            &path,
            |e| matches!(e, Error::UnknownVersion { found: 0, .. }),
            "untouched",
        );
    }
}

#[test]
fn a_file_that_is_not_a_database_is_left_untouched_with_whatever_lies_beside_it() {
    let (_dir, path) = in_new_folder("notes.db");
    std::fs::write(&path, "these are my notes, not a database\n".repeat(200)).unwrap();
    assert_refused_untouched(
        &path,
        |e| matches!(e, Error::NotADatabase { .. }),
        "untouched",
    );
    std::fs::write(side(&path, "-wal"), "a log of some other kind\n".repeat(50)).unwrap();
    assert_refused_untouched(
        &path,
        |e| matches!(e, Error::NotADatabase { .. }),
        "untouched",
    );
}

fn fixture(version: i64) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/shopdesk-v{version}.db"))
}

#[test]
fn a_refused_upgrade_leaves_the_file_its_log_and_its_journal_mode_as_they_were() {
    // Version 1 is in rollback mode: a refused upgrade must not leave it
    // switched to WAL. A reference to a customer that is not there breaks
    // the check the upgrade makes before it commits.
    let (_dir, path) = in_new_folder("old.db");
    std::fs::copy(fixture(1), &path).unwrap();
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch(
        "PRAGMA foreign_keys = OFF; UPDATE orders SET customer_id = 999 WHERE id = 1",
    )
    .unwrap();
    drop(conn);
    let before = FilesBeside::of(&path);
    let error = SqliteStore::open(&path)
        .err()
        .expect("the upgrade is refused");
    assert!(matches!(error, Error::UpgradeFailed(_)), "{error:?}");
    assert!(error.to_string().contains("left as it was"), "{error}");
    before.assert_unchanged();

    // Version 2, in WAL mode, with the breaking row still in its log: a
    // product's date the stock ledger cannot open with.
    for log in EVERY_LOG {
        let (_dir, path) = in_new_folder("old.db");
        std::fs::copy(fixture(2), &path).unwrap();
        database_with_log(
            &path,
            "",
            "PRAGMA ignore_check_constraints = ON; UPDATE products SET created_at = 'long ago' WHERE id = 1",
            log,
        );
        let before = FilesBeside::of(&path);
        let error = SqliteStore::open(&path)
            .err()
            .expect("the upgrade is refused");
        assert!(
            matches!(error, Error::UpgradeFailed(_)),
            "{log:?}: {error:?}"
        );
        before.assert_unchanged();
    }
}

/// A shop whose last change (the mug renamed) is still in its log.
fn shop_with_unflushed_log(log: Log) -> Shop {
    let shop = Shop::stocked();
    database_with_log(
        &shop.db(),
        "",
        "UPDATE products SET name = 'Green mug' WHERE sku = 'MUG-1'",
        log,
    );
    shop
}

#[test]
fn check_and_backup_leave_an_unflushed_log_where_it_is() {
    for log in EVERY_LOG {
        let shop = shop_with_unflushed_log(log);
        let before = FilesBeside::of(&shop.db());
        let checked = shop.run(&["check"]).ok();
        assert!(checked.stdout.contains("is sound"), "{}", checked.stdout);
        before.assert_unchanged();

        let copy = shop.dir.path().join("copy.db");
        shop.run(&["backup", copy.to_str().unwrap()]).ok();
        before.assert_unchanged();
        let renamed: String = Connection::open(&copy)
            .unwrap()
            .query_row("SELECT name FROM products WHERE sku = 'MUG-1'", [], |row| {
                row.get(0)
            })
            .unwrap();
        assert_eq!(
            renamed, "Green mug",
            "{log:?}: the copy holds what the log held"
        );
    }
}

#[test]
fn a_device_a_folder_or_a_fifo_is_refused_and_nothing_is_made_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("a-folder");
    std::fs::create_dir(&folder).unwrap();
    let mut paths = vec![(folder, "a folder")];
    #[cfg(unix)]
    {
        let fifo = dir.path().join("a-fifo");
        common::make_fifo(&fifo);
        paths.push((fifo, "a FIFO"));
        paths.push((PathBuf::from("/dev/null"), "a device"));
    }
    for (path, kind) in paths {
        let before = FilesBeside::of(&path);
        for args in [
            &["customer", "list"][..],
            &["check"],
            &["backup", "copy.db"],
        ] {
            let run = finish(
                shopdesk()
                    .current_dir(dir.path())
                    .arg("--db")
                    .arg(&path)
                    .args(args)
                    .output()
                    .unwrap(),
            );
            run.refused(&format!("is {kind}, not a database file"));
            before.assert_unchanged();
        }
        assert!(!dir.path().join("copy.db").exists());
    }
}

#[cfg(unix)]
#[test]
fn a_symlink_to_nothing_is_refused_and_nothing_is_made_where_it_points() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("shop.db");
    let target = dir.path().join("elsewhere.db");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let before = FilesBeside::of(&target);
    let run = finish(
        shopdesk()
            .arg("--db")
            .arg(&link)
            .args(["customer", "list"])
            .output()
            .unwrap(),
    );
    run.refused("a symbolic link to a file that does not exist");
    before.assert_unchanged();
}

/// Runs shopdesk with `umask` in force and `home` as its home folder.
fn shopdesk_with_umask_at_home(umask: &str, home: &Path, args: &[&str]) -> common::cli::Run {
    finish(
        common::cli::shopdesk_with_umask(umask)
            .args(args)
            .env_remove("XDG_DATA_HOME")
            .env("HOME", home)
            .output()
            .unwrap(),
    )
}

#[cfg(unix)]
#[test]
fn the_database_and_its_folder_are_the_owners_alone_whatever_the_umask() {
    for umask in ["000", "277", "077"] {
        let home = tempfile::tempdir().unwrap();
        shopdesk_with_umask_at_home(umask, home.path(), &["customer", "list"]).ok();
        let folder = home.path().join(".local/share/shopdesk");
        assert_eq!(
            common::mode_of(&folder),
            0o700,
            "umask {umask}: the data folder"
        );
        assert_eq!(
            common::mode_of(&folder.join("shopdesk.db")),
            0o600,
            "umask {umask}: the database"
        );

        let db = home.path().join("given.db");
        let db_arg = db.to_str().unwrap();
        shopdesk_with_umask_at_home(umask, home.path(), &["--db", db_arg, "customer", "list"]).ok();
        assert_eq!(common::mode_of(&db), 0o600, "umask {umask}: --db");
        let leftovers: Vec<_> = std::fs::read_dir(home.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.contains("partial"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }
}

/// `--db NAME` run in `folder`, NAME relative to it.
fn run_in(folder: &Path, db: &str, args: &[&str]) -> common::cli::Run {
    finish(
        shopdesk()
            .current_dir(folder)
            .arg("--db")
            .arg(db)
            .args(args)
            .output()
            .unwrap(),
    )
}

const ANN: &str = "ann@example.com";

/// How many customers Ann is in the database at `path`.
fn anns_in(path: &Path) -> i64 {
    Connection::open(path)
        .unwrap()
        .query_row(
            "SELECT count(*) FROM customers WHERE email = ?1",
            [ANN],
            |row| row.get(0),
        )
        .unwrap()
}

#[test]
fn database_names_that_look_like_uris_are_file_names_for_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path();
    std::fs::create_dir(folder.join("file:shop?mode=memory")).unwrap();
    for name in [
        "file:x.db?mode=memory",
        "file:x.db?mode=ro",
        "file::memory:",
        "file:shop?mode=memory/shop.db",
    ] {
        let add = ["customer", "add", "--name", "Ann", "--email", ANN];
        run_in(folder, name, &add).ok();
        let file = folder.join(name);
        let customers = anns_in(&file);
        assert_eq!(
            customers, 1,
            "{name}: the customer is in the file of that name"
        );
        let listed = run_in(folder, name, &["customer", "list"]).ok();
        assert!(listed.stdout.contains(ANN), "{name}: {}", listed.stdout);
        run_in(folder, name, &["check"]).ok();
        run_in(folder, name, &["backup", "file:copy.db?mode=memory"]).ok();
        let copy = folder.join("file:copy.db?mode=memory");
        let copied = anns_in(&copy);
        assert_eq!(copied, 1, "{name}: the backup is the file of that name");
        std::fs::remove_file(&copy).unwrap();
    }
    // Nothing else appeared: no "x.db", no "shop", no "copy.db".
    let mut made: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    made.sort();
    assert_eq!(
        made,
        [
            "file::memory:",
            "file:shop?mode=memory",
            "file:x.db?mode=memory",
            "file:x.db?mode=ro"
        ]
    );
}

/// A symlink to the database, in another folder: SQLite keeps the side
/// files beside the file the link leads to, not beside the link.
fn link_in_other_folder(target: &Path) -> (tempfile::TempDir, PathBuf) {
    let (dir, link) = in_new_folder("link.db");
    std::os::unix::fs::symlink(target, &link).unwrap();
    (dir, link)
}

#[test]
fn a_database_named_through_a_symlink_is_read_by_its_own_log_and_left_untouched() {
    let notes = "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)";
    for log in EVERY_LOG {
        let (_dir, path) = in_new_folder("notes.db");
        database_with_log(&path, notes, "INSERT INTO notes (body) VALUES ('x')", log);
        let (_links, link) = link_in_other_folder(&path);
        for open in [SqliteStore::open, SqliteStore::open_unchanged] {
            let before = FilesBeside::of(&path);
            let error = open(&link).err().expect("another program's database");
            assert!(
                matches!(error, Error::ForeignDatabase { .. }),
                "{log:?}: {error:?}"
            );
            before.assert_unchanged();
        }
    }
    for log in EVERY_LOG {
        let shop = shop_with_unflushed_log(log);
        let (_links, link) = link_in_other_folder(&shop.db());
        let before = FilesBeside::of(&shop.db());
        let checked = finish(
            shopdesk()
                .arg("--db")
                .arg(&link)
                .arg("check")
                .output()
                .unwrap(),
        )
        .ok();
        assert!(checked.stdout.contains("is sound"), "{}", checked.stdout);
        before.assert_unchanged();
    }
}
