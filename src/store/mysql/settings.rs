//! The shop's settings on the server.

#![allow(unused_variables)] // SKELETON: the bodies come with this part's work.

use crate::domain::settings::{Setting, Settings};

use super::MysqlStore;
use crate::store::Result;

impl MysqlStore {
    pub(super) fn settings(&self) -> Result<Settings> {
        todo!()
    }

    pub(super) fn set_setting(&mut self, setting: Setting, value: &str) -> Result<Settings> {
        todo!()
    }

    /// A server database never had a print command in it (v4 moved it out
    /// of SQLite files, before there were server databases).
    pub(super) fn take_removed_receipt_command(&mut self) -> Result<Option<String>> {
        todo!()
    }
}
