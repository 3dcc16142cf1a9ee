//! Searches as you type on a connection of their own, in a thread of
//! their own: a search that takes longer than a frame never holds up the
//! next key, and its answer is applied when it comes (an answer to an
//! older search is dropped by the app as stale). They look in an in-memory
//! copy of what is searched, read at start-up on a third connection and
//! thread, so that the first searches are answered from the database
//! meanwhile instead of waiting for it. Prints go to a thread of their own
//! too (`printing`), and are never waited for.

use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::{self, JoinHandle};

use super::effects::{SearchRunner, run};
use super::owed::Owed;
use super::printing::Printing;
use crate::app::{Action, Effect};
use crate::store::{self, SearchCopies, Shop};

pub struct Searcher {
    requests: Sender<Effect>,
    /// The thread that owns the second connection, joined when the
    /// searcher goes so that its connection is closed before the app's own.
    thread: Option<JoinHandle<()>>,
    /// One message per request: its answer, or `None` when a newer search
    /// of the same kind made it pointless.
    answers: Owed<Option<Action>>,
    printing: Printing,
}

impl Searcher {
    /// Starts answering searches on `store`, a second connection to the
    /// app's database, which the searcher's thread owns, and reading the
    /// search copies on a third.
    pub fn start(mut store: Box<dyn Shop>) -> Searcher {
        let (requests, inbox) = channel::<Effect>();
        let (outbox, answers) = channel();
        let (copies, reader) = read_copies(store.open_another());
        let thread = thread::spawn(move || {
            'serving: while let Ok(first) = inbox.recv() {
                if let Ok(copies) = copies.try_recv() {
                    store.search_from_copies(copies);
                }
                let mut waiting = vec![first];
                waiting.extend(inbox.try_iter());
                for (index, effect) in waiting.iter().enumerate() {
                    let superseded = waiting[index + 1..].iter().any(|later| {
                        std::mem::discriminant(later) == std::mem::discriminant(effect)
                    });
                    let answer = if superseded {
                        None
                    } else {
                        run(&mut *store, effect.clone())
                    };
                    if outbox.send(answer).is_err() {
                        break 'serving;
                    }
                }
            }
            // Its connection is closed before this one's (see `Drop`).
            let _ = reader.join();
        });
        Searcher {
            requests,
            thread: Some(thread),
            answers: Owed::new(answers),
            printing: Printing::start(),
        }
    }

    /// Whether search answers are still on their way.
    pub fn is_busy(&self) -> bool {
        self.answers.is_due()
    }

    /// Whether a print's result is still on its way.
    pub fn is_printing(&self) -> bool {
        self.printing.is_busy()
    }
}

/// Reads the search copies on `shop`, a connection of their own, in a
/// thread of their own; they come through the receiver once read. A
/// failure to open or read sends nothing: searches go on from the
/// database, only slower.
fn read_copies(shop: store::Result<Box<dyn Shop>>) -> (Receiver<SearchCopies>, JoinHandle<()>) {
    let (sender, copies) = channel();
    let reader = thread::spawn(move || {
        if let Ok(read) = shop.and_then(|shop| shop.read_search_copies()) {
            let _ = sender.send(read);
        }
    });
    (copies, reader)
}

/// Waits for the thread to close its connection. SQLite merges the log
/// into the database file and removes the `-wal` and `-shm` files only when
/// the last connection closes: a thread still running as the app exits
/// would leave them there, and the file alone without the last sale.
impl Drop for Searcher {
    fn drop(&mut self) {
        // The thread ends once its inbox has no sender left.
        drop(std::mem::replace(&mut self.requests, channel().0));
        if let Some(thread) = self.thread.take() {
            // A thread that panicked has closed its connection unwinding.
            let _ = thread.join();
        }
    }
}

impl SearchRunner for Searcher {
    fn start(&mut self, _store: &mut dyn Shop, searches: Vec<Effect>) {
        for effect in searches {
            match effect {
                Effect::Print(job) => self.printing.send(job),
                search => {
                    if self.requests.send(search).is_ok() {
                        self.answers.add_one();
                    }
                }
            }
        }
    }

    fn answers(&mut self, wait: bool) -> Vec<Action> {
        let mut answers: Vec<Action> = self.answers.collect(wait).into_iter().flatten().collect();
        answers.extend(self.printing.results());
        answers
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::{ListQuery, PrintJob};
    use crate::store::sqlite::SqliteStore;

    fn customers(text: &str, generation: u64) -> Effect {
        Effect::LoadCustomers(ListQuery {
            text: text.to_string(),
            at: crate::app::list::PageAt::First,
            generation,
        })
    }

    #[test]
    fn searches_are_answered_while_a_print_hangs_and_its_result_comes_after() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shop.db");
        let mut store = SqliteStore::open(&path).unwrap();
        let mut searcher = Searcher::start(store.open_another().unwrap());
        let go = dir.path().join("go");
        let job = PrintJob {
            order_id: 7,
            receipt: "receipt".to_string(),
            command: Some(format!(
                "while [ ! -e '{}' ]; do sleep 0.02; done",
                go.display()
            )),
            folder: dir.path().join("receipts"),
        };
        searcher.start(&mut store, vec![Effect::Print(job), customers("walk", 1)]);
        // Waiting for every search answer does not wait for the printer.
        let answers = searcher.answers(true);
        assert!(
            matches!(answers.as_slice(), [Action::CustomersLoaded { .. }]),
            "{answers:?}"
        );
        assert!(searcher.is_printing(), "the print is still going on");
        std::fs::write(&go, b"").unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        let printed = loop {
            if let Some(printed) = searcher.answers(false).pop() {
                break printed;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the print never ended"
            );
            thread::sleep(std::time::Duration::from_millis(10));
        };
        assert!(
            matches!(&printed, Action::ReceiptPrinted { outcome: Ok(said), .. } if said.contains("order 7 sent to the printer")),
            "{printed:?}"
        );
        assert!(!searcher.is_printing());
    }

    #[test]
    fn answers_come_back_from_the_background_and_the_newest_search_always_answers() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shop.db");
        let mut store = SqliteStore::open(&path).unwrap();
        let mut searcher = Searcher::start(store.open_another().unwrap());
        searcher.start(
            &mut store,
            vec![customers("w", 1), customers("wa", 2), customers("walk", 3)],
        );
        assert!(searcher.is_busy());
        let answers = searcher.answers(true);
        assert!(!searcher.is_busy(), "every request was answered or skipped");
        let newest = answers.last().expect("the newest search answers");
        match newest {
            Action::CustomersLoaded { generation, page } => {
                assert_eq!(*generation, 3);
                assert_eq!(page.rows[0].name, "Walk-in");
            }
            other => panic!("{other:?}"),
        }
    }
}
