//! The answers a background thread owes the event loop: one for each
//! request sent to it. Searches and prints both run so, and are both
//! collected without ever blocking a key (or, for searches when the app
//! must be exact, waited for).

use std::sync::mpsc::{Receiver, TryRecvError};

pub struct Owed<T> {
    answers: Receiver<T>,
    count: usize,
}

impl<T> Owed<T> {
    pub fn new(answers: Receiver<T>) -> Owed<T> {
        Owed { answers, count: 0 }
    }

    /// One more request went out: its answer is owed.
    pub fn add_one(&mut self) {
        self.count += 1;
    }

    /// Whether answers are still on their way.
    pub fn is_due(&self) -> bool {
        self.count > 0
    }

    /// The answers that are in; with `wait`, every answer still owed.
    pub fn collect(&mut self, wait: bool) -> Vec<T> {
        let mut answers = Vec::new();
        while self.count > 0 {
            let answer = if wait {
                self.answers.recv().map_err(|_| TryRecvError::Disconnected)
            } else {
                self.answers.try_recv()
            };
            match answer {
                Ok(answer) => {
                    self.count -= 1;
                    answers.push(answer);
                }
                Err(TryRecvError::Empty) => break,
                // The thread is gone: nothing more will come.
                Err(TryRecvError::Disconnected) => self.count = 0,
            }
        }
        answers
    }
}
