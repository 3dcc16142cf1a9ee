//! Prints on a thread of their own: a printer that is slow, or stuck until
//! its command is stopped, never holds up a key. The status line says
//! "Printing…" meanwhile, and the result when it comes.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::thread;

use super::effects::print;
use crate::app::{Action, PrintJob};

pub struct Printing {
    jobs: Sender<PrintJob>,
    /// One message per job: how it went.
    results: Receiver<Action>,
    owed: usize,
}

impl Printing {
    /// Starts the thread that prints, one receipt after another, for the
    /// database at `database` (receipt files go beside it).
    pub fn start(database: &Path) -> Printing {
        let database: PathBuf = database.to_path_buf();
        let (jobs, inbox) = channel::<PrintJob>();
        let (outbox, results) = channel();
        thread::spawn(move || {
            for job in inbox {
                if outbox.send(print(&database, job)).is_err() {
                    return;
                }
            }
        });
        Printing {
            jobs,
            results,
            owed: 0,
        }
    }

    pub fn send(&mut self, job: PrintJob) {
        if self.jobs.send(job).is_ok() {
            self.owed += 1;
        }
    }

    /// Whether a print is still going on.
    pub fn is_busy(&self) -> bool {
        self.owed > 0
    }

    /// The results that are in; never waits.
    pub fn results(&mut self) -> Vec<Action> {
        let mut results = Vec::new();
        while self.owed > 0 {
            match self.results.try_recv() {
                Ok(result) => {
                    self.owed -= 1;
                    results.push(result);
                }
                Err(TryRecvError::Empty) => break,
                // The thread is gone: nothing more will come.
                Err(TryRecvError::Disconnected) => self.owed = 0,
            }
        }
        results
    }
}
