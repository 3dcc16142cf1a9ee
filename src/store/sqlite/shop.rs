//! The storage interface as the SQLite backend answers it: each operation
//! is the backend's own (in the file of its table), and every failure
//! passes [`SqliteStore::stop_writing_after`] on its way out, so that
//! damage met anywhere stops all writing.

// A method here whose backend twin was renamed or removed would call
// itself through the trait: refused outright, not only warned about.
#![deny(unconditional_recursion)]

use super::{SqliteStore, Writes};
use crate::store::delegate::names::*;
use crate::store::{DemoLoader, Shop};

/// An operation's result, its failure noted by the store it came from.
trait Noted {
    fn noted(self, store: &SqliteStore) -> Self;
}

impl<T> Noted for Result<T> {
    fn noted(self, store: &SqliteStore) -> Self {
        self.map_err(|error| store.stop_writing_after(error))
    }
}

impl Shop for SqliteStore {
    fn name(&self) -> String {
        self.path.display().to_string()
    }

    fn open_another(&self) -> Result<Box<dyn Shop>> {
        Ok(Box::new(SqliteStore::open(&self.path)?))
    }

    fn close(self: Box<Self>) -> Result<()> {
        SqliteStore::close(*self)
    }

    fn schema_version(&self) -> Result<i64> {
        let version = self
            .conn
            .pragma_query_value(None, "user_version", |row| row.get(0));
        Ok(version?)
    }

    fn is_read_only(&self) -> bool {
        self.writes.get() == Writes::ReadOnly
    }

    super::super::delegate::operations_answered_by_backend!(SqliteStore);

    fn demo_loader(&mut self) -> Result<Box<dyn DemoLoader + '_>> {
        match SqliteStore::demo_loader(self) {
            Ok(loader) => Ok(Box::new(loader)),
            Err(error) => Err(self.stop_writing_after(error)),
        }
    }
}
