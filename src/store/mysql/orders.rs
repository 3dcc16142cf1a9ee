//! Orders on the server: placing, statuses, history.

#![allow(unused_variables)] // SKELETON: the bodies come with this part's work.

use chrono::{DateTime, Utc};

use crate::domain::order::{NewOrder, Order, OrderEvent, OrderFilter, Placing, Status, Totals};
use crate::store::{OrderStream, RowsBefore};

use super::MysqlStore;
use crate::store::Result;

impl MysqlStore {
    pub(super) fn place(
        &mut self,
        order: &NewOrder,
        placing: Placing,
        now: DateTime<Utc>,
    ) -> Result<Order> {
        todo!()
    }

    pub(super) fn price_order(&self, order: &NewOrder) -> Result<Totals> {
        todo!()
    }

    pub(super) fn set_order_status(
        &mut self,
        order_id: i64,
        to: Status,
        note: &str,
        now: DateTime<Utc>,
    ) -> Result<Order> {
        todo!()
    }

    pub(super) fn order(&self, order_id: i64) -> Result<Order> {
        todo!()
    }

    pub(super) fn order_events(&self, order_id: i64) -> Result<Vec<OrderEvent>> {
        todo!()
    }

    pub(super) fn orders_page(
        &self,
        filter: OrderFilter,
        after: Option<&Order>,
        limit: usize,
    ) -> Result<Vec<Order>> {
        todo!()
    }

    pub(super) fn orders_page_before(
        &self,
        filter: OrderFilter,
        before: Option<&Order>,
        limit: usize,
    ) -> Result<RowsBefore<Order>> {
        todo!()
    }

    pub(super) fn orders(&self, filter: OrderFilter) -> OrderStream<'_> {
        todo!()
    }

    pub(super) fn is_empty(&self) -> Result<bool> {
        todo!()
    }
}
