//! This counter's configuration file (`shopdesk config`), and the print
//! command that no longer comes from the shop's database.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use common::cli::{Run, Shop, finish, shopdesk};
use rusqlite::Connection;
use serde_json::{Value, json};
use shopdesk::store::Shop as _;
use shopdesk::store::sqlite::SqliteStore;

/// A configuration file in a folder of its own, not made yet.
struct Counter {
    dir: tempfile::TempDir,
}

impl Counter {
    fn new() -> Counter {
        Counter {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn folder(&self) -> PathBuf {
        self.dir.path().join("shopdesk")
    }

    fn file(&self) -> PathBuf {
        self.folder().join("config.toml")
    }

    fn config(&self, args: &[&str]) -> Run {
        finish(
            shopdesk()
                .arg("--config")
                .arg(self.file())
                .arg("config")
                .args(args)
                .output()
                .unwrap(),
        )
    }

    /// `shopdesk --json config`, which must succeed.
    fn config_json(&self) -> Run {
        finish(
            shopdesk()
                .args(["--json", "--config"])
                .arg(self.file())
                .arg("config")
                .output()
                .unwrap(),
        )
        .ok()
    }

    /// Writes the file by hand, as an editor would.
    fn write(&self, text: &str, mode: u32) {
        std::fs::create_dir_all(self.folder()).unwrap();
        std::fs::write(self.file(), text).unwrap();
        std::fs::set_permissions(self.file(), PermissionsExt::from_mode(mode)).unwrap();
    }
}

fn host_name() -> String {
    shopdesk::config::host_name().expect("this machine has a name")
}

#[test]
fn without_a_file_every_key_is_shown_with_its_default() {
    let counter = Counter::new();
    let shown = counter.config(&[]).ok();
    let lines: Vec<&str> = shown.stdout.lines().collect();
    assert_eq!(lines[0], format!("# {}", counter.file().display()));
    assert_eq!(
        lines[1],
        // Receipt files go beside the database, wherever --db puts it
        // (a server database's in the data folder).
        "receipt_command  (none: receipts are written to receipts/ beside the database, or in the data folder)"
    );
    assert_eq!(
        lines[2],
        format!(
            "counter_name     {} (default: this machine's name)",
            host_name()
        )
    );
    assert!(!counter.file().exists(), "showing writes nothing");
}

#[test]
fn set_and_unset_keep_an_owner_only_file_in_an_owner_only_folder() {
    let counter = Counter::new();
    counter
        .config(&["set", "receipt_command", "lp -d 'till 1'"])
        .ok();
    counter.config(&["set", "counter_name", " Till 1 "]).ok();
    assert_eq!(common::mode_of(&counter.file()), 0o600);
    assert_eq!(common::mode_of(&counter.folder()), 0o700);
    let text = std::fs::read_to_string(counter.file()).unwrap();
    let written: toml::Table = toml::from_str(&text).unwrap();
    assert_eq!(written["receipt_command"].as_str(), Some("lp -d 'till 1'"));
    assert_eq!(written["counter_name"].as_str(), Some("Till 1"));

    let shown = counter.config(&[]).ok().stdout;
    assert!(
        shown.contains("receipt_command  lp -d 'till 1'\n"),
        "{shown}"
    );
    assert!(shown.contains("counter_name     Till 1\n"), "{shown}");

    let after = counter.config(&["unset", "receipt_command"]).ok().stdout;
    assert!(after.contains("(none: receipts are written"), "{after}");
    let text = std::fs::read_to_string(counter.file()).unwrap();
    assert!(!text.contains("receipt_command"), "{text}");
    assert_eq!(common::mode_of(&counter.file()), 0o600);
}

/// `shopdesk config ARGS` with `input` on its standard input.
fn config_with_input(counter: &Counter, args: &[&str], input: &str) -> Run {
    use std::io::Write;
    let mut child = shopdesk()
        .arg("--config")
        .arg(counter.file())
        .arg("config")
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    finish(child.wait_with_output().unwrap())
}

#[test]
fn a_server_password_is_read_from_standard_input_and_only_said_to_be_set() {
    let counter = Counter::new();
    let run = config_with_input(&counter, &["set", "db_password"], " s3cret pass \r\n");
    let run = run.ok();
    assert!(
        run.stdout.contains("db_password      (set)\n") && !run.stdout.contains("s3cret"),
        "{}",
        run.stdout
    );
    assert!(!run.stderr.contains("s3cret"), "{}", run.stderr);
    assert_eq!(common::mode_of(&counter.file()), 0o600);
    let text = std::fs::read_to_string(counter.file()).unwrap();
    let written: toml::Table = toml::from_str(&text).unwrap();
    assert_eq!(
        written["db_password"].as_str(),
        Some(" s3cret pass "),
        "kept as typed"
    );
    let json = counter.config_json();
    assert!(
        json.json_lines()
            .contains(&json!({"key": "db_password", "value": "(set)", "default": false})),
        "{}",
        json.stdout
    );
    assert!(!json.stdout.contains("s3cret"));
    counter.config(&["unset", "db_password"]).ok();
    assert!(
        !std::fs::read_to_string(counter.file())
            .unwrap()
            .contains("db_password")
    );
}

#[test]
fn on_a_terminal_the_password_is_asked_for_and_not_shown_as_it_is_typed() {
    let counter = Counter::new();
    let mut command = portable_pty::CommandBuilder::new(env!("CARGO_BIN_EXE_shopdesk"));
    command.arg("--config");
    command.arg(counter.file());
    command.args(["config", "set", "db_password"]);
    let mut asked = common::pty::App::run(command, 24, 80, &[]);
    asked.wait_for("db_password (not shown as you type):");
    asked.send("Typed-s3cret\r");
    asked.wait_for("db_password      (set)");
    assert!(asked.wait_for_exit().success());
    assert!(
        !asked.contents().contains("Typed-s3cret"),
        "{}",
        asked.contents()
    );
    let text = std::fs::read_to_string(counter.file()).unwrap();
    assert!(text.contains("db_password = \"Typed-s3cret\""), "{text}");
    // Ctrl-C while it is typed cancels, the terminal given back as it was.
    let mut command = portable_pty::CommandBuilder::new(env!("CARGO_BIN_EXE_shopdesk"));
    command.arg("--config");
    command.arg(counter.file());
    command.args(["config", "set", "db_password"]);
    let mut canceled = common::pty::App::run(command, 24, 80, &[]);
    canceled.wait_for("not shown as you type");
    canceled.send("other\x03\r");
    canceled.wait_for("canceled: db_password was not changed");
    assert!(!canceled.wait_for_exit().success());
    let after = std::fs::read_to_string(counter.file()).unwrap();
    assert_eq!(after, text, "nothing changed");
}

#[test]
fn a_server_password_is_never_taken_from_the_command_line() {
    let counter = Counter::new();
    let refused = counter
        .config(&["set", "db_password", "hunter2"])
        .refused("never given on the command line, where ps and your shell's history");
    assert!(!refused.stderr.contains("hunter2"), "{}", refused.stderr);
    config_with_input(&counter, &["set", "db_password"], "").refused("db_password is required");
    config_with_input(&counter, &["set", "db_password"], "two\u{1b}lines\n")
        .refused("db_password cannot contain control characters");
    counter
        .config(&["set", "counter_name"])
        .refused("give the value: shopdesk config set counter_name VALUE");
    assert!(!counter.file().exists());
}

#[test]
fn a_file_holding_a_password_others_can_read_is_refused() {
    let counter = Counter::new();
    counter.write("db_password = \"s3cret\"\n", 0o644);
    let refused = counter
        .config(&[])
        .refused("it holds db_password and others can read it (mode 0644)");
    assert!(!refused.stderr.contains("s3cret"), "{}", refused.stderr);
    std::fs::set_permissions(counter.file(), PermissionsExt::from_mode(0o600)).unwrap();
    counter.config(&[]).ok();
}

/// Rounds of two counters' `config set` at once: enough that, were their
/// reads and writes to interleave, some round would lose a key.
const RACING_ROUNDS: usize = 20;

#[test]
fn two_config_sets_at_once_both_land() {
    for round in 0..RACING_ROUNDS {
        let counter = Counter::new();
        let setting = |key: &str, value: &str| {
            shopdesk()
                .arg("--config")
                .arg(counter.file())
                .args(["config", "set", key, value])
                .output()
                .unwrap()
        };
        let (name, command) = std::thread::scope(|scope| {
            let name = scope.spawn(|| setting("counter_name", "Till 2"));
            let command = scope.spawn(|| setting("receipt_command", "lp -d receipts"));
            (name.join().unwrap(), command.join().unwrap())
        });
        finish(name).ok();
        finish(command).ok();
        let text = std::fs::read_to_string(counter.file()).unwrap();
        let written: toml::Table = toml::from_str(&text).unwrap();
        assert_eq!(
            (written.get("counter_name"), written.get("receipt_command")),
            (
                Some(&toml::Value::from("Till 2")),
                Some(&toml::Value::from("lp -d receipts"))
            ),
            "round {round}: a key was lost:\n{text}"
        );
    }
}

#[test]
fn a_change_waits_a_bounded_time_for_a_lock_someone_else_holds() {
    use std::os::fd::AsRawFd;
    let counter = Counter::new();
    std::fs::create_dir(counter.folder()).unwrap();
    // Anyone who can open the folder can lock it (think of /tmp).
    let held = std::fs::File::open(counter.folder()).unwrap();
    // SAFETY: flock only reads the descriptor, which `held` keeps open.
    assert_eq!(unsafe { libc::flock(held.as_raw_fd(), libc::LOCK_EX) }, 0);

    counter
        .config(&["set", "counter_name", "Till 2"])
        .refused("another change of it has not finished; try again");
    assert!(!counter.file().exists(), "nothing written");
    drop(held);
    counter.config(&["set", "counter_name", "Till 2"]).ok();
}

#[test]
fn json_gives_one_record_per_key() {
    let counter = Counter::new();
    counter.config(&["set", "receipt_command", "lp"]).ok();
    let run = counter.config_json();
    assert_eq!(
        run.json_lines(),
        [
            json!({"key": "receipt_command", "value": "lp", "default": false}),
            json!({"key": "counter_name", "value": host_name(), "default": true}),
            json!({"key": "db_password", "value": null, "default": true}),
        ]
    );
}

#[test]
fn unknown_keys_and_bad_values_are_refused_and_nothing_is_written() {
    let counter = Counter::new();
    counter.config(&["set", "printer", "lp"]).refused(
        "“printer” is not a configuration key; the keys are receipt_command, counter_name, db_password",
    );
    counter
        .config(&["unset", "colour"])
        .refused("the keys are receipt_command, counter_name, db_password");
    counter
        .config(&["set", "receipt_command", "lp\n; rm -rf ~"])
        .refused("receipt_command cannot contain control characters");
    counter
        .config(&["set", "receipt_command", "lp \u{1b}]0;owned\u{7}"])
        .refused("receipt_command cannot contain control characters");
    counter
        .config(&["set", "counter_name", &"x".repeat(41)])
        .refused("counter_name is too long: 41 characters, at most 40");
    counter
        .config(&["set", "receipt_command", " "])
        .refused("receipt_command is required");
    assert!(!counter.file().exists());
}

#[test]
fn a_file_edited_by_hand_obeys_the_same_rules() {
    let counter = Counter::new();
    counter.write("receipt_command = \"lp\"\nprinter = \"x\"\n", 0o600);
    let refused = counter.config(&[]).refused("is not valid: line 2");
    assert!(refused.stderr.contains("printer"), "{}", refused.stderr);
    counter.write("receipt_command = \"lp\\u001b[2J\"\n", 0o600);
    counter
        .config(&[])
        .refused("receipt_command cannot contain control characters");
    counter.write("receipt_command = 3\n", 0o600);
    counter.config(&[]).refused("is not valid: line 1");
}

#[test]
fn a_file_others_can_change_is_refused_saying_how_to_fix_it() {
    let counter = Counter::new();
    counter.write("receipt_command = \"lp\"\n", 0o664);
    let refused = counter
        .config(&[])
        .refused("others can change it (mode 0664)");
    assert!(
        refused
            .stderr
            .contains(&format!("chmod 600 {}", counter.file().display())),
        "{}",
        refused.stderr
    );
    counter
        .config(&["set", "receipt_command", "lp -d x"])
        .refused("others can change it");
    std::fs::set_permissions(counter.file(), PermissionsExt::from_mode(0o600)).unwrap();
    std::fs::set_permissions(counter.folder(), PermissionsExt::from_mode(0o777)).unwrap();
    counter
        .config(&[])
        .refused("its folder can be written by others (mode 0777)");
}

#[test]
fn the_app_does_not_start_with_a_file_others_can_change() {
    let counter = Counter::new();
    counter.write("receipt_command = \"lp\"\n", 0o666);
    let shop = Shop::new();
    finish(
        shopdesk()
            .arg("--db")
            .arg(shop.db())
            .arg("--config")
            .arg(counter.file())
            .output()
            .unwrap(),
    )
    .refused("others can change it");
}

#[test]
fn a_symlink_or_a_fifo_is_refused_never_followed_or_waited_on() {
    let counter = Counter::new();
    let real = counter.dir.path().join("elsewhere.toml");
    std::fs::write(&real, "receipt_command = \"lp\"\n").unwrap();
    std::fs::set_permissions(&real, PermissionsExt::from_mode(0o600)).unwrap();
    std::fs::create_dir_all(counter.folder()).unwrap();
    std::os::unix::fs::symlink(&real, counter.file()).unwrap();
    counter.config(&[]).refused("it is a symbolic link");
    counter
        .config(&["set", "counter_name", "x"])
        .refused("it is a symbolic link");
    assert_eq!(
        std::fs::read_to_string(&real).unwrap(),
        "receipt_command = \"lp\"\n"
    );

    std::fs::remove_file(counter.file()).unwrap();
    common::make_fifo(&counter.file());
    counter.config(&[]).refused("it is not a regular file");
}

#[test]
fn a_file_of_another_user_is_refused() {
    let counter = Counter::new();
    let (file, owner) = if common::running_as_root() {
        counter.write("receipt_command = \"lp\"\n", 0o600);
        std::os::unix::fs::chown(counter.file(), Some(common::NOBODY), None).unwrap();
        (counter.file(), common::NOBODY)
    } else {
        // An ordinary user can name one of root's files, safe from others.
        (PathBuf::from("/etc/passwd"), 0)
    };
    finish(
        shopdesk()
            .arg("--config")
            .arg(&file)
            .arg("config")
            .output()
            .unwrap(),
    )
    .refused(&format!("it belongs to another user (user id {owner})"));
}

#[test]
fn shopdesk_config_names_the_file_and_the_default_is_in_the_config_folder() {
    let home = tempfile::tempdir().unwrap();
    let chosen = home.path().join("till.toml");
    let run = |command: &mut std::process::Command| finish(command.output().unwrap()).ok();
    run(shopdesk().env("SHOPDESK_CONFIG", &chosen).args([
        "config",
        "set",
        "counter_name",
        "Till 2",
    ]));
    assert!(std::fs::read_to_string(&chosen).unwrap().contains("Till 2"));

    run(shopdesk()
        .env_remove("SHOPDESK_CONFIG")
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .args(["config", "set", "counter_name", "Till 3"]));
    let default = home.path().join("config/shopdesk/config.toml");
    assert!(
        std::fs::read_to_string(&default)
            .unwrap()
            .contains("Till 3")
    );
}

#[test]
fn the_print_command_is_no_longer_a_shop_setting() {
    let shop = Shop::new();
    shop.run(&["settings", "set", "receipt_command", "touch pwned"])
        .refused("shopdesk config set receipt_command VALUE");
    let settings = shop.json(&["settings"]).ok();
    let keys: Vec<Value> = settings
        .json_lines()
        .iter()
        .map(|record| record["key"].clone())
        .collect();
    assert_eq!(keys, [json!("shop_name"), json!("currency_symbol")]);
}

/// The v3 fixture, whose settings hold `receipt_command = lp -d receipts`.
fn shop_from_v3() -> Shop {
    let shop = Shop::new();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/shopdesk-v3.db");
    std::fs::copy(fixture, shop.db()).unwrap();
    shop
}

/// The v3 fixture, its stored print command changed to `command`.
fn shop_from_v3_storing(command: &str) -> Shop {
    let shop = shop_from_v3();
    Connection::open(shop.db())
        .unwrap()
        .execute(
            "UPDATE settings SET value = ?1 WHERE key = 'receipt_command'",
            [command],
        )
        .unwrap();
    shop
}

fn stored_settings(db: &Path) -> Vec<(String, String)> {
    common::query_pairs(db, "SELECT key, value FROM settings ORDER BY key")
}

#[test]
fn the_upgrade_removes_a_stored_print_command_and_settings_says_so_once() {
    let shop = shop_from_v3();
    let first = shop.run(&["settings"]).ok();
    assert_eq!(
        first.stderr,
        "This database had the print command 'lp -d receipts'; a print command is no longer \
         taken from the shop's database. To print with it at this counter: \
         shopdesk config set receipt_command 'lp -d receipts'\n"
    );
    assert!(
        !first.stdout.contains("receipt_command"),
        "{}",
        first.stdout
    );
    let again = shop.run(&["settings"]).ok();
    assert_eq!(again.stderr, "", "said once");
    assert_eq!(
        stored_settings(&shop.db()),
        [("shop_name".to_string(), "Corner Shop".to_string())],
        "nothing of the command is left in the database"
    );
}

#[test]
fn a_hostile_stored_command_is_shown_safely_and_quoted_for_the_shell() {
    let shop = shop_from_v3_storing("lp '$(touch x)'\u{1b}]0;owned\u{7}");
    let told = shop.run(&["settings"]).ok().stderr;
    assert!(
        !told.contains('\u{1b}') && !told.contains('\u{7}'),
        "{told:?}"
    );
    assert!(
        told.ends_with("receipt_command 'lp '\\''$(touch x)'\\''␛]0;owned␇'\n"),
        "{told}"
    );
}

#[test]
fn the_removed_command_is_handed_out_once_by_the_store() {
    let shop = shop_from_v3();
    let mut store = SqliteStore::open(&shop.db()).unwrap();
    assert_eq!(
        store.take_removed_receipt_command().unwrap().as_deref(),
        Some("lp -d receipts")
    );
    assert_eq!(store.take_removed_receipt_command().unwrap(), None);
}

#[test]
fn an_empty_stored_command_is_removed_without_a_word() {
    let shop = shop_from_v3_storing("");
    assert_eq!(shop.run(&["settings"]).ok().stderr, "");
    assert_eq!(stored_settings(&shop.db()).len(), 1);
}

#[test]
fn a_file_in_a_folder_this_user_cannot_enter_is_not_theirs_and_does_not_apply() {
    let counter = Counter::new();
    counter.write("receipt_command = \"lp\"\n", 0o600);
    std::fs::set_permissions(counter.folder(), PermissionsExt::from_mode(0o700)).unwrap();
    let argv = common::shopdesk_as_ordinary_user();
    let ordinary_user = argv.len() > 1;
    if ordinary_user {
        // Root's folder, with HOME still pointing there.
        std::fs::set_permissions(counter.dir.path(), PermissionsExt::from_mode(0o700)).unwrap();
    } else {
        // The tests' own user can enter any folder it owns: take the right.
        std::fs::set_permissions(counter.folder(), PermissionsExt::from_mode(0o000)).unwrap();
    }
    let mut command = std::process::Command::new(&argv[0]);
    command
        .args(&argv[1..])
        .arg("--config")
        .arg(counter.file())
        .arg("config");
    let shown = finish(command.env_remove("SHOPDESK_DB").output().unwrap()).ok();
    assert!(
        shown
            .stdout
            .contains("(none: receipts are written to receipts/"),
        "{}",
        shown.stdout
    );
    std::fs::set_permissions(counter.folder(), PermissionsExt::from_mode(0o700)).unwrap();
}
