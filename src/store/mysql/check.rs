//! `shopdesk check` on a server database.

#![allow(unused_variables)] // SKELETON: the bodies come with this part's work.

use crate::store::CheckReport;

use super::MysqlStore;
use crate::store::Result;

impl MysqlStore {
    pub(super) fn check(&self) -> Result<CheckReport> {
        todo!()
    }
}
