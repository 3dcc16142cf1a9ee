//! The print command: what it is given, and that it never runs for ever.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::time::Duration;

use common::assert_ends;

use shopdesk::printer::{PASSED_ON_ENVIRONMENT, PRINT_TIME_LIMIT, run_print_command};

/// Variables `sh` sets by itself, whatever it was given.
const SET_BY_THE_SHELL: [&str; 4] = ["PWD", "SHLVL", "_", "OLDPWD"];

/// A limit short enough for a test that is certain to be killed.
const SHORT_LIMIT: Duration = Duration::from_millis(300);

/// Longer than any test may take: a command that gets to the end of it
/// was not stopped.
const FOREVER: &str = "600";

fn quoted(path: &Path) -> String {
    format!("'{}'", path.display())
}

#[test]
fn the_command_sees_only_the_variables_passed_on() {
    let outside: Vec<String> = std::env::vars_os()
        .filter_map(|(name, _)| name.into_string().ok())
        .filter(|name| !PASSED_ON_ENVIRONMENT.contains(&name.as_str()))
        .collect();
    assert!(
        !outside.is_empty(),
        "the test runs with variables that must not be passed on"
    );
    let dir = tempfile::tempdir().unwrap();
    let seen = dir.path().join("env.txt");
    run_print_command(
        &format!("env > {}", quoted(&seen)),
        "receipt",
        PRINT_TIME_LIMIT,
    )
    .unwrap();
    let names: BTreeSet<String> = std::fs::read_to_string(&seen)
        .unwrap()
        .lines()
        .filter_map(|line| line.split_once('=').map(|(name, _)| name.to_string()))
        .collect();
    let allowed: BTreeSet<&str> = PASSED_ON_ENVIRONMENT
        .iter()
        .chain(SET_BY_THE_SHELL.iter())
        .copied()
        .collect();
    let leaked: Vec<&String> = names
        .iter()
        .filter(|name| !allowed.contains(name.as_str()))
        .collect();
    assert!(leaked.is_empty(), "passed on: {leaked:?}");
    assert!(names.contains("PATH"), "PATH is passed on: {names:?}");
}

#[test]
fn the_receipt_arrives_whole_on_standard_input() {
    let dir = tempfile::tempdir().unwrap();
    let paper = dir.path().join("paper.txt");
    // Larger than a pipe's buffer: written while the command reads.
    let receipt = "Blue mug  $12.50\n".repeat(20_000);
    run_print_command(
        &format!("cat > {}", quoted(&paper)),
        &receipt,
        PRINT_TIME_LIMIT,
    )
    .unwrap();
    assert_eq!(std::fs::read_to_string(paper).unwrap(), receipt);
}

#[test]
fn a_command_that_does_not_read_its_input_is_not_waited_for() {
    let receipt = "x".repeat(1 << 20);
    run_print_command("exit 0", &receipt, PRINT_TIME_LIMIT).unwrap();
}

#[test]
fn a_failing_command_is_reported_with_its_status_and_first_words() {
    let failed = run_print_command(
        "echo 'lp: no such printer' >&2; echo more >&2; exit 3",
        "receipt",
        PRINT_TIME_LIMIT,
    )
    .unwrap_err();
    assert!(
        failed.contains("exit status: 3") && failed.ends_with(": lp: no such printer"),
        "{failed}"
    );
}

#[test]
fn a_command_past_its_time_is_killed_with_everything_it_started() {
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("pid");
    let failed = run_print_command(
        &format!(
            "sleep {FOREVER} & echo $! > {}; sleep {FOREVER}",
            quoted(&pid_file)
        ),
        "receipt",
        SHORT_LIMIT,
    )
    .unwrap_err();
    assert!(
        failed.contains("did not finish within 0.3 seconds and was stopped"),
        "{failed}"
    );
    assert_ends(&pid_file);
}

#[test]
fn what_a_finished_command_left_running_is_stopped_at_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("pid");
    // The background job keeps the command's error output open.
    run_print_command(
        &format!("sleep {FOREVER} & echo $! > {}", quoted(&pid_file)),
        "receipt",
        SHORT_LIMIT,
    )
    .unwrap();
    assert_ends(&pid_file);
}
