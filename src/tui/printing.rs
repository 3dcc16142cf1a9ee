//! Prints on a thread of their own: a printer that is slow, or stuck until
//! its command is stopped, never holds up a key. The status line says
//! "Printing…" meanwhile, and the result when it comes.

use std::sync::mpsc::{Sender, channel};
use std::thread;

use super::owed::Owed;
use super::receipts::print;
use crate::app::{Action, PrintJob};

pub struct Printing {
    jobs: Sender<PrintJob>,
    /// One message per job: how it went.
    results: Owed<Action>,
}

impl Printing {
    /// Starts the thread that prints, one receipt after another.
    pub fn start() -> Printing {
        let (jobs, inbox) = channel::<PrintJob>();
        let (outbox, results) = channel();
        thread::spawn(move || {
            for job in inbox {
                if outbox.send(print(job)).is_err() {
                    return;
                }
            }
        });
        Printing {
            jobs,
            results: Owed::new(results),
        }
    }

    pub fn send(&mut self, job: PrintJob) {
        if self.jobs.send(job).is_ok() {
            self.results.add_one();
        }
    }

    /// Whether a print is still going on.
    pub fn is_busy(&self) -> bool {
        self.results.is_due()
    }

    /// The results that are in; never waits.
    pub fn results(&mut self) -> Vec<Action> {
        self.results.collect(false)
    }
}
