//! Times are shown in the shop's zone, read from `TZ` (a zone name or a
//! path into a zoneinfo folder) or the system's setting, and never by
//! reading whatever file `TZ` names: `TZ=/dev/zero` must not hang.
//!
//! The tests taking a `Shop` (times stored and shown in a zone) run on
//! every backend (`contract_suite!` at the end); those about how `TZ` is
//! read, and the app's, run on SQLite: no backend reads `TZ`, and what
//! the app shows is what these commands show.

mod common;

use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset, Utc};
use common::cli::{Run, Shop, shopdesk_after};
use common::contract_suite;
use common::pty::{App, CTRL_Q, F5};

/// Far longer than a command takes: only a hang reaches it.
const HANG_GUARD: Duration = Duration::from_secs(60);

/// The memory a command may take, in KiB: a reader of /dev/zero fails fast
/// against it instead of eating the machine's memory before the guard.
const MEMORY_LIMIT_KIB: u64 = 4 * 1024 * 1024;

/// Runs shopdesk on `shop` with `TZ` set to `tz`, memory-bounded, and
/// kills it if it outlives [`HANG_GUARD`].
fn run_in_zone(shop: &Shop, tz: &str, args: &[&str]) -> Run {
    let child = shopdesk_after(&format!("ulimit -v {MEMORY_LIMIT_KIB}"))
        .arg("--db")
        .arg(shop.db_arg())
        .args(args)
        .env("TZ", tz)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_guarded(child, tz)
}

/// The most memory any shopdesk this test binary ran has held, in KiB
/// (Linux counts `ru_maxrss` in KiB): the largest child's peak.
fn peak_child_memory_kib() -> i64 {
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: getrusage fills the struct it is given; zeroed is a valid start.
    let usage = unsafe {
        assert_eq!(
            libc::getrusage(libc::RUSAGE_CHILDREN, usage.as_mut_ptr()),
            0
        );
        usage.assume_init()
    };
    usage.ru_maxrss
}

/// Far more than shopdesk needs to show an order (tens of MiB); a reader of
/// an endless file passes it on its way to the memory limit.
const MEMORY_EXPECTED_KIB: i64 = 256 * 1024;

fn wait_guarded(mut child: Child, tz: &str) -> Run {
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > HANG_GUARD {
            child.kill().unwrap();
            panic!("TZ={tz}: still running after {HANG_GUARD:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let run = common::cli::finish(child.wait_with_output().unwrap());
    let peak = peak_child_memory_kib();
    assert!(
        peak < MEMORY_EXPECTED_KIB,
        "TZ={tz}: a shopdesk took {peak} KiB"
    );
    run
}

/// `shop` stocked, with one order placed in Kolkata's zone; its placing
/// time as stored (UTC).
fn with_an_order(shop: Shop) -> (Shop, DateTime<Utc>) {
    let shop = shop.stock();
    let placed = run_in_zone(
        &shop,
        "Asia/Kolkata",
        &["--json", "order", "place", "--customer", "1", "MUG-1"],
    )
    .ok()
    .json();
    let at = DateTime::parse_from_rfc3339(placed["created_at"].as_str().unwrap())
        .unwrap()
        .with_timezone(&Utc);
    // Stored in UTC whatever the zone it was placed in: 5:30 off is a
    // time kept in the zone's clock.
    let off = (Utc::now() - at).abs();
    assert!(off < chrono::Duration::minutes(5), "placed at {at}");
    (shop, at)
}

fn shown(at: DateTime<Utc>, offset_seconds: i32) -> String {
    at.with_timezone(&FixedOffset::east_opt(offset_seconds).unwrap())
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

#[test]
fn a_tz_naming_an_endless_file_neither_hangs_nor_changes_the_times() {
    let (shop, at) = with_an_order(Shop::new());
    for tz in [
        "/dev/zero",
        "/dev/urandom",
        ":/dev/zero",
        "../../../../dev/zero",
    ] {
        let run = run_in_zone(&shop, tz, &["order", "show", "1"]);
        assert_eq!(run.code, 0, "TZ={tz}: {}", run.stderr);
        assert!(
            run.stdout.contains(&shown(at, 0)),
            "TZ={tz} falls back to UTC: {}",
            run.stdout
        );
    }
}

#[test]
fn a_tz_naming_a_pipe_is_never_opened() {
    let (shop, at) = with_an_order(Shop::new());
    // Opening a pipe with no writer waits forever: a reader of TZ's file
    // would hang here until the guard.
    let pipe = shop.dir.path().join("zone-pipe");
    let path = std::ffi::CString::new(pipe.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(path.as_ptr(), 0o600) }, 0);
    let run = run_in_zone(&shop, pipe.to_str().unwrap(), &["order", "show", "1"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains(&shown(at, 0)), "{}", run.stdout);
}

fn times_are_shown_in_the_zone_tz_names(shop: Shop) {
    let (shop, at) = with_an_order(shop);
    // Kolkata is 5:30 ahead all year; the minutes show it is not UTC.
    let kolkata = shown(at, 5 * 3600 + 30 * 60);
    for tz in [
        "Asia/Kolkata",
        ":Asia/Kolkata",
        "/usr/share/zoneinfo/Asia/Kolkata",
    ] {
        for args in [
            &["order", "show", "1"][..],
            &["order", "list"],
            &["order", "receipt", "1"],
        ] {
            let run = run_in_zone(&shop, tz, args);
            assert_eq!(run.code, 0, "{}", run.stderr);
            assert!(
                run.stdout.contains(&kolkata),
                "TZ={tz} {args:?} shows {kolkata}: {}",
                run.stdout
            );
        }
    }
    let utc = run_in_zone(&shop, "UTC", &["order", "show", "1"]);
    assert!(utc.stdout.contains(&shown(at, 0)), "{}", utc.stdout);
    assert!(!utc.stdout.contains(&kolkata), "{}", utc.stdout);
}

fn new_york_follows_its_daylight_saving_rules(shop: Shop) {
    let (shop, at) = with_an_order(shop);
    let run = run_in_zone(&shop, "America/New_York", &["order", "show", "1"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Eastern time is 5 hours behind UTC in winter, 4 in summer.
    let winter = shown(at, -5 * 3600);
    let summer = shown(at, -4 * 3600);
    assert!(
        run.stdout.contains(&winter) || run.stdout.contains(&summer),
        "{}",
        run.stdout
    );
}

/// The app in a pseudo-terminal with `TZ` set: History (F5) lists the
/// shop's orders with their times.
fn app_history_screen(shop: &Shop, tz: &str, wanted: &str) -> String {
    let mut app = App::start_with(&shop.db(), 24, 80, &[("TZ", tz)]);
    app.wait_for("F2 Customers");
    app.type_and_wait(F5, wanted);
    let screen = app.contents();
    app.send(CTRL_Q);
    app.wait_for_exit();
    screen
}

#[test]
fn the_app_shows_times_in_the_zone_tz_names() {
    let (shop, at) = with_an_order(Shop::new());
    let kolkata = shown(at, 5 * 3600 + 30 * 60);
    let screen = app_history_screen(&shop, "Asia/Kolkata", &kolkata);
    assert!(!screen.contains(&shown(at, 0)), "{screen}");
    let screen = app_history_screen(&shop, "/dev/zero", &shown(at, 0));
    assert!(screen.contains("Ann Lee"), "{screen}");
}

contract_suite!(
    times_are_shown_in_the_zone_tz_names,
    new_york_follows_its_daylight_saving_rules,
);
