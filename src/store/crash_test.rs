//! In debug builds only (the ones `cargo test` runs): the switches the
//! crash tests use to kill a process at a known point of a write, on every
//! backend.

/// When `SHOPDESK_TEST_PAUSE_BEFORE_COMMIT` names a file, every write
/// that commits creates that file and then waits, with all its changes
/// made and none committed, so that a crash test's kill is certain to land
/// inside an open write transaction.
pub(super) fn pause_before_commit() {
    if let Some(marker) = std::env::var_os("SHOPDESK_TEST_PAUSE_BEFORE_COMMIT") {
        let _ = std::fs::write(marker, b"paused before commit\n");
        std::thread::sleep(std::time::Duration::from_secs(60));
    }
}

/// When `SHOPDESK_TEST_MARK_WRITE_BEGUN` names a file, every write creates it once it holds the write lock, and goes on,
/// so that the crash test can time its kills from the start of the work
/// rather than from the start of the process.
pub(super) fn mark_write_begun() {
    if let Some(marker) = std::env::var_os("SHOPDESK_TEST_MARK_WRITE_BEGUN") {
        let _ = std::fs::write(marker, b"write begun\n");
    }
}
