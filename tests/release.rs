//! What a release build must not have: the test-only switches
//! (`SHOPDESK_TEST_*`, read only under `cfg(debug_assertions)`). The
//! compiler guarantees it; this test shows it on a release binary when one
//! has been built (`cargo build --release`, or `cargo bench --no-run`).

mod common;

use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The start of every test-only switch's name.
const TEST_SWITCH: &[u8] = b"SHOPDESK_TEST_";

#[test]
fn a_release_binary_has_no_test_switch() {
    let Some(release) = release_binary() else {
        common::say_skipped("no release binary (cargo build --release builds one)");
        return;
    };
    let built = modified(&release);
    let newest_source = newest_in(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    if built < newest_source {
        common::say_skipped(&format!(
            "{} is older than the sources (cargo build --release)",
            release.display()
        ));
        return;
    }
    let bytes = std::fs::read(&release).unwrap();
    let found = bytes
        .windows(TEST_SWITCH.len())
        .position(|window| window == TEST_SWITCH);
    assert_eq!(found, None, "{} mentions a test switch", release.display());
}

/// `target/release/shopdesk`, beside the debug binary the tests run.
fn release_binary() -> Option<PathBuf> {
    let debug = Path::new(env!("CARGO_BIN_EXE_shopdesk"));
    let release = debug
        .parent()?
        .parent()?
        .join("release")
        .join(debug.file_name()?);
    release.is_file().then_some(release)
}

fn modified(path: &Path) -> SystemTime {
    std::fs::metadata(path).unwrap().modified().unwrap()
}

/// The latest change to any file under `folder`.
fn newest_in(folder: &Path) -> SystemTime {
    std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            if path.is_dir() {
                newest_in(&path)
            } else {
                modified(&path)
            }
        })
        .max()
        .unwrap_or(SystemTime::UNIX_EPOCH)
}
