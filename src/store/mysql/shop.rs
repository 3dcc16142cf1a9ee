//! The storage interface as the MariaDB/MySQL backend answers it: each
//! operation is the backend's own (in the file of its table), and every
//! failure passes [`MysqlStore::after_failure`] on its way out, so that a
//! server gone away is named and connected to again on the next operation.

// A method here whose backend twin was renamed or removed would call
// itself through the trait: refused outright, not only warned about.
#![deny(unconditional_recursion)]

use super::MysqlStore;
use crate::store::delegate::names::*;
use crate::store::{DemoLoader, Shop};

/// An operation's result, its failure noted by the store it came from.
trait Noted {
    fn noted(self, store: &MysqlStore) -> Self;
}

impl<T> Noted for Result<T> {
    fn noted(self, store: &MysqlStore) -> Self {
        self.map_err(|error| store.after_failure(error))
    }
}

impl Shop for MysqlStore {
    fn name(&self) -> String {
        self.url.to_string()
    }

    fn open_another(&self) -> Result<Box<dyn Shop>> {
        let another = MysqlStore::open(&self.url, self.password.as_deref())?;
        Ok(Box::new(another.answering_within(self.answer_deadline)?))
    }

    fn close(self: Box<Self>) -> Result<()> {
        // Dropping the connection tells the server goodbye; nothing of a
        // committed sale waits on this machine.
        drop(self);
        Ok(())
    }

    fn schema_version(&self) -> Result<i64> {
        MysqlStore::schema_version(self).noted(self)
    }

    fn is_read_only(&self) -> bool {
        false
    }

    super::super::delegate::operations_answered_by_backend!(MysqlStore);

    fn demo_loader(&mut self) -> Result<Box<dyn DemoLoader + '_>> {
        match MysqlStore::demo_loader(self) {
            Ok(loader) => Ok(Box::new(loader)),
            Err(error) => Err(self.after_failure(error)),
        }
    }
}
