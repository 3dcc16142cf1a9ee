//! Every file shopdesk writes (backups, receipts, the panic log, the data
//! folder) is made exclusively, owner-only, and never through a symlink
//! somebody planted. SQLite only: these are the files of a SQLite shop
//! and of this machine, whatever the backend.

mod common;

use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};
use std::path::Path;

use common::cli::{Shop, finish, shopdesk, shopdesk_with_umask};
use common::{mode_of, new_store};
use shopdesk::files;
use shopdesk::printer::{Printed, print_receipt};
use shopdesk::store::Error;

/// A file somebody else cares about, which no write of shopdesk's may reach.
fn victim(dir: &Path) -> std::path::PathBuf {
    let victim = dir.join("victim.txt");
    std::fs::write(&victim, "precious\n").unwrap();
    victim
}

fn assert_untouched(victim: &Path) {
    assert_eq!(std::fs::read_to_string(victim).unwrap(), "precious\n");
}

#[test]
fn a_backup_never_writes_through_a_symlink_planted_at_its_temporary_name() {
    let shop = new_store();
    let dir = shop.dir.path();
    let victim = victim(dir);
    let target = dir.join("copy.db");
    // The name shopdesk used to write the copy to before putting it in place.
    symlink(
        &victim,
        dir.join(format!("copy.db.{}.partial", std::process::id())),
    )
    .unwrap();

    shop.backup_to(&target).unwrap();

    assert_untouched(&victim);
    assert!(target.symlink_metadata().unwrap().is_file());
    assert_eq!(mode_of(&target), 0o600);
}

#[test]
fn a_backup_target_that_is_a_symlink_is_refused_and_not_followed() {
    let shop = new_store();
    let dir = shop.dir.path();
    let victim = victim(dir);
    let target = dir.join("copy.db");
    symlink(&victim, &target).unwrap();
    let dangling = dir.join("dangling.db");
    symlink(dir.join("nothing-here"), &dangling).unwrap();

    for target in [&target, &dangling] {
        assert!(matches!(
            shop.backup_to(target),
            Err(Error::BackupTargetExists { .. })
        ));
    }
    assert_untouched(&victim);
    assert!(
        !dir.join("nothing-here").exists(),
        "nothing made through it"
    );
}

#[test]
fn a_backup_file_that_appears_while_the_copy_is_made_is_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("copy.db");
    let mut copy = files::NewFile::beside(&target).unwrap();
    std::io::Write::write_all(copy.as_file_mut(), b"the copy").unwrap();
    // Somebody else's file lands at the target before the copy is put there.
    std::fs::write(&target, "theirs").unwrap();

    let error = copy.publish_new(&target).unwrap_err();

    assert_eq!(error.kind(), std::io::ErrorKind::AlreadyExists);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "theirs");
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(left.len(), 1, "the unpublished copy is removed");
}

#[test]
fn a_backup_named_after_the_databases_own_side_files_is_refused() {
    let shop = Shop::stocked();
    for suffix in ["-journal", "-wal", "-shm"] {
        let side = format!("{}{suffix}", shop.db().display());
        let before = std::fs::read(&side).ok();
        shop.run(&["backup", &side])
            .refused(&format!("the database's own {suffix} file"));
        assert_eq!(std::fs::read(&side).ok(), before, "{side} left as it was");
    }
    // The same folder through another name is the same file.
    let other_name = shop.dir.path().join(".").join("shop.db-wal");
    shop.run(&["backup", other_name.to_str().unwrap()])
        .refused("the database's own -wal file");
    shop.run(&["order", "list"]).ok();
}

#[test]
fn a_backup_beside_a_leftover_log_is_refused() {
    let shop = Shop::stocked();
    let target = shop.dir.path().join("copy.db");
    let leftover = shop.dir.path().join("copy.db-wal");
    std::fs::write(&leftover, "an old log").unwrap();

    shop.run(&["backup", target.to_str().unwrap()])
        .refused("copy.db-wal is already there");

    assert!(!target.exists());
    assert_eq!(std::fs::read_to_string(&leftover).unwrap(), "an old log");
}

#[test]
fn backups_are_owner_only_whatever_the_umask() {
    let shop = Shop::stocked();
    let target = shop.dir.path().join("copy.db");
    for umask in ["0000", "0277"] {
        let _ = std::fs::remove_file(&target);
        let run = finish(
            shopdesk_with_umask(umask)
                .args(["--db", shop.db().to_str().unwrap(), "backup"])
                .arg(&target)
                .output()
                .unwrap(),
        );
        run.ok();
        assert_eq!(mode_of(&target), 0o600, "umask {umask}");
    }
}

#[test]
fn receipt_files_replace_a_planted_symlink_instead_of_following_it() {
    let dir = tempfile::tempdir().unwrap();
    let victim = victim(dir.path());
    let receipts = dir.path().join("receipts");
    std::fs::create_dir(&receipts).unwrap();
    let file = receipts.join("ORDER-7.txt");
    symlink(&victim, &file).unwrap();

    let printed = print_receipt("RECEIPT 7\n", None, &dir.path().join("receipts"), 7).unwrap();

    assert_eq!(printed, Printed::ToFile(file.clone()));
    assert_untouched(&victim);
    assert!(file.symlink_metadata().unwrap().is_file(), "a file now");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "RECEIPT 7\n");
    assert_eq!(mode_of(&file), 0o600);
}

#[test]
fn receipt_files_and_their_folder_are_owner_only() {
    let dir = tempfile::tempdir().unwrap();
    print_receipt("RECEIPT 1\n", None, &dir.path().join("receipts"), 1).unwrap();
    // A reprint replaces the first file whole.
    print_receipt("RECEIPT 1 again\n", None, &dir.path().join("receipts"), 1).unwrap();

    let receipts = dir.path().join("receipts");
    assert_eq!(mode_of(&receipts), 0o700);
    let file = receipts.join("ORDER-1.txt");
    assert_eq!(mode_of(&file), 0o600);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "RECEIPT 1 again\n");
    assert_eq!(std::fs::read_dir(&receipts).unwrap().count(), 1);
}

#[test]
fn the_panic_log_is_never_opened_through_a_symlink() {
    let dir = tempfile::tempdir().unwrap();
    let victim = victim(dir.path());
    let log = dir.path().join("shopdesk-panic.log");
    symlink(&victim, &log).unwrap();
    let victims_mode = mode_of(&victim);

    assert!(files::open_private_log(&log).is_err());

    assert_untouched(&victim);
    assert_eq!(mode_of(&victim), victims_mode, "its mode untouched too");
}

#[test]
fn the_panic_log_is_owner_only_and_appended_to() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("shopdesk-panic.log");
    std::io::Write::write_all(&mut files::open_private_log(&log).unwrap(), b"one\n").unwrap();
    // An older log readable by others is made owner-only when appended to.
    std::fs::set_permissions(&log, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::io::Write::write_all(&mut files::open_private_log(&log).unwrap(), b"two\n").unwrap();

    assert_eq!(std::fs::read_to_string(&log).unwrap(), "one\ntwo\n");
    assert_eq!(mode_of(&log), 0o600);
}

#[test]
fn the_panic_log_with_a_second_name_is_not_written() {
    let dir = tempfile::tempdir().unwrap();
    let victim = victim(dir.path());
    let log = dir.path().join("shopdesk-panic.log");
    std::fs::hard_link(&victim, &log).unwrap();

    assert!(files::open_private_log(&log).is_err());
    assert_untouched(&victim);
}

#[test]
fn the_panic_log_of_another_user_is_not_written() {
    if !common::running_as_root() {
        common::say_skipped("needs root to give the log to another user");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("shopdesk-panic.log");
    std::fs::write(&log, "theirs\n").unwrap();
    std::os::unix::fs::chown(&log, Some(common::NOBODY), Some(common::NOBODY)).unwrap();

    assert!(files::open_private_log(&log).is_err());
    assert_eq!(std::fs::read_to_string(&log).unwrap(), "theirs\n");
}

#[test]
fn the_data_folder_and_every_folder_made_for_it_are_owner_only() {
    let home = tempfile::tempdir().unwrap();
    let data = home.path().join("made/by/shopdesk");
    let run = finish(
        shopdesk_with_umask("0277")
            .args(["customer", "list"])
            .env("XDG_DATA_HOME", &data)
            .output()
            .unwrap(),
    );
    run.ok();

    let folder = data.join("shopdesk");
    for made in [home.path().join("made"), data.clone(), folder.clone()] {
        assert_eq!(mode_of(&made), 0o700, "{}", made.display());
    }
    assert_eq!(mode_of(&folder.join("shopdesk.db")), 0o600);
}

/// Writes a new file the way backups are written.
fn write_new(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = files::NewFile::beside(target)?;
    std::io::Write::write_all(file.as_file_mut(), bytes)?;
    file.publish_new(target)
}

#[test]
fn a_new_file_is_the_users_own_and_never_replaces_one() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("new.txt");
    write_new(&target, b"x").unwrap();
    let me = std::fs::metadata(dir.path()).unwrap().uid();
    assert_eq!(std::fs::metadata(&target).unwrap().uid(), me);
    assert_eq!(mode_of(&target), 0o600);
    let again = write_new(&target, b"y").unwrap_err();
    assert_eq!(again.kind(), std::io::ErrorKind::AlreadyExists);
    assert_eq!(std::fs::read(&target).unwrap(), b"x");
}

/// How long a test waits for an open that must not wait at all, before
/// saying it hangs: a guard against hanging the suite, never a speed check.
const HANG_GUARD: std::time::Duration = std::time::Duration::from_secs(30);

#[test]
fn the_panic_log_that_is_a_fifo_is_refused_without_waiting_for_a_reader() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("shopdesk-panic.log");
    common::make_fifo(&log);

    let (sender, receiver) = std::sync::mpsc::channel();
    let opened = log.clone();
    std::thread::spawn(move || {
        let _ = sender.send(files::open_private_log(&opened).is_err());
    });
    let refused = receiver.recv_timeout(HANG_GUARD).unwrap_or_else(|_| {
        // Let the stuck open go on, so the test can end.
        let _ = std::fs::File::open(&log);
        panic!("opening a FIFO as the panic log waited for a reader");
    });
    assert!(refused, "a FIFO is not the user's regular file");
}

#[test]
fn receipts_are_never_written_into_a_folder_a_symlink_leads_to() {
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let victim = victim(elsewhere.path());
    let planted = elsewhere.path().join("ORDER-7.txt");
    std::fs::copy(&victim, &planted).unwrap();
    symlink(elsewhere.path(), dir.path().join("receipts")).unwrap();

    let error = print_receipt("RECEIPT 7\n", None, &dir.path().join("receipts"), 7).unwrap_err();

    assert!(error.contains("symbolic link"), "{error}");
    assert_untouched(&planted);
    let names: Vec<_> = std::fs::read_dir(elsewhere.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    assert_eq!(
        names.len(),
        2,
        "nothing new where the link leads: {names:?}"
    );
}

#[test]
fn a_file_where_the_data_folder_should_be_is_named_as_not_a_folder() {
    let home = tempfile::tempdir().unwrap();
    let in_the_way = home.path().join("share");
    std::fs::write(&in_the_way, "not a folder\n").unwrap();
    let run = finish(
        shopdesk_with_umask("0077")
            .args(["customer", "list"])
            .env("XDG_DATA_HOME", &in_the_way)
            .output()
            .unwrap(),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("share is not a folder"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(&in_the_way).unwrap(),
        "not a folder\n"
    );
}

#[test]
fn a_database_in_a_folder_that_does_not_exist_is_refused_naming_the_folder() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no/such");
    let run = finish(
        shopdesk()
            .arg("--db")
            .arg(missing.join("shop.db"))
            .args(["customer", "list"])
            .output()
            .unwrap(),
    );
    run.refused(&format!("there is no folder {}", missing.display()));
    assert!(!dir.path().join("no").exists(), "no folder was made");
}
