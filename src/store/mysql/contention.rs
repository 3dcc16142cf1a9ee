//! Writes that lost to another counter's locks, tried again.
//!
//! InnoDB locks rows, not the database: two counters' transactions can
//! deadlock (the server then rolls one back) or one can wait past the lock
//! wait timeout. Either way the loser changed nothing, and the same
//! transaction tried again a moment later will most often go through; only
//! when it keeps losing is the clerk told the database is busy.

use std::hash::{BuildHasher, RandomState};
use std::thread;
use std::time::{Duration, Instant};

use mysql::Transaction;

use super::{LOCK_WAIT_TIMEOUT_SECONDS, MysqlStore, write};
use crate::store::{Error, Result};

/// How many times a write is tried before it is refused as busy.
const ATTEMPTS: u32 = 5;

/// A write is tried again only if its first try began less than this long
/// ago: a deadlock is known at once and tried again at once, but a try
/// that lost a lock wait has already waited the whole lock wait timeout,
/// and a clerk should hear "busy" after one more (within the window), not
/// after five.
const RETRY_WINDOW: Duration = Duration::from_secs(LOCK_WAIT_TIMEOUT_SECONDS as u64 + 1);

/// The longest pause before the second try; each later one may wait
/// twice as long as the one before.
const FIRST_BACKOFF: Duration = Duration::from_millis(20);

impl MysqlStore {
    /// Runs `work` in a write transaction of its own, which `work` commits
    /// (or drops, to write nothing), and again, after a short pause of
    /// random length, when it failed only because of another transaction's
    /// locks: a deadlock or a lock wait timeout, which the store reports as
    /// [`Error::Busy`] (see `error.rs`; the server's other "busy", too many
    /// connections, comes before a transaction can begin). After
    /// [`ATTEMPTS`] tries, or once [`RETRY_WINDOW`] has passed (at most
    /// two lock waits in all), the last [`Error::Busy`] is returned. Any other
    /// failure, the server going away included, is returned at once: a sale
    /// is never sent again unless the clerk sends it.
    pub(super) fn write_retrying<T>(
        &self,
        mut work: impl FnMut(Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        let mut conn = self.conn()?;
        let began = Instant::now();
        let mut attempt = 1;
        loop {
            match write(&mut conn).and_then(&mut work) {
                Err(Error::Busy) if attempt < ATTEMPTS && began.elapsed() < RETRY_WINDOW => {
                    thread::sleep(backoff(attempt));
                    attempt += 1;
                }
                outcome => return outcome,
            }
        }
    }
}

#[cfg(feature = "testing")]
impl MysqlStore {
    /// For tests: how long a statement of this connection waits for a row
    /// another transaction holds before it gives up (its try then counts
    /// as lost), instead of the store's own timeout; until the connection
    /// is made again.
    pub fn wait_for_locks_at_most(&self, seconds: u32) -> Result<()> {
        use mysql::prelude::Queryable;
        Ok(self
            .conn()?
            .exec_drop("SET SESSION innodb_lock_wait_timeout = ?", (seconds,))?)
    }
}

/// How long to wait before try `attempt + 1`: a random part of a window
/// that doubles with each try, so that counters that collided do not
/// collide again in step.
fn backoff(attempt: u32) -> Duration {
    let window = FIRST_BACKOFF.saturating_mul(1 << (attempt - 1).min(8));
    // Each RandomState is seeded afresh: hashing nothing with it gives a
    // random number without a generator to keep.
    let random = RandomState::new().hash_one(());
    let window_micros = u64::try_from(window.as_micros()).unwrap_or(u64::MAX).max(1);
    Duration::from_micros(random % window_micros)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoffs_stay_in_windows_that_double() {
        for attempt in 1..ATTEMPTS {
            let window = FIRST_BACKOFF * (1 << (attempt - 1));
            let pauses: Vec<Duration> = (0..50).map(|_| backoff(attempt)).collect();
            assert!(pauses.iter().all(|pause| *pause < window), "{pauses:?}");
            assert!(
                pauses.iter().any(|pause| *pause != pauses[0]),
                "random, not in step: {pauses:?}"
            );
        }
    }
}
