//! The order history as every backend pages it: by keyset on
//! `(created_at, id)`, newest first, never by offset, so that page 1,000
//! costs what page 1 does. A backend only reads one page from a keyset
//! ([`ReadPage`]); which page is asked for, reading up from the end and
//! streaming a history of any length a page at a time are decided here,
//! once.

use std::collections::VecDeque;

use chrono::{DateTime, Utc};

use super::{Result, RowsBefore};
use crate::domain::order::Order;

/// How many orders a stream holds in memory at a time.
pub(super) const STREAM_PAGE_SIZE: usize = 200;

/// An order's place in the history: the list is ordered by this pair,
/// the id breaking ties between orders of the same microsecond.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Keyset {
    pub created_at: DateTime<Utc>,
    pub id: i64,
}

impl Keyset {
    pub fn of(order: &Order) -> Keyset {
        Keyset {
            created_at: order.created_at,
            id: order.id,
        }
    }
}

/// Which way a page is read from its keyset: down the list (newest
/// first), or up it (oldest first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Toward {
    Older,
    Newer,
}

/// A backend's one read of the history: at most `limit` orders matching
/// its filter, with their items, beyond `from` going `toward` (`None`:
/// from the end of the list it starts at: the newest going older, the
/// oldest going newer), in the order read.
pub(super) trait ReadPage {
    fn read_page(&self, from: Option<Keyset>, toward: Toward, limit: usize) -> Result<Vec<Order>>;
}

/// One page, newest first, after `after` (the last order of the page
/// before; `None`: the first page).
pub(super) fn page_after(
    reader: &impl ReadPage,
    after: Option<&Order>,
    limit: usize,
) -> Result<Vec<Order>> {
    reader.read_page(after.map(Keyset::of), Toward::Older, limit)
}

/// The page just above `before` (newer than it), or the oldest orders
/// when `before` is `None` (End): read upwards, so the end of a long
/// history costs what its start does; newest first, as the list shows it.
pub(super) fn page_before(
    reader: &impl ReadPage,
    before: Option<&Order>,
    limit: usize,
) -> Result<RowsBefore<Order>> {
    let mut rows = reader.read_page(before.map(Keyset::of), Toward::Newer, limit)?;
    rows.reverse();
    let at_start = rows.len() < limit;
    Ok(RowsBefore { rows, at_start })
}

/// Every order the reader's filter matches, newest first, read a page at
/// a time: streaming a history of any length holds one page in memory,
/// and nothing stays open on the database between pages. An error is
/// yielded once and ends the stream.
pub(super) struct OrderPages<R> {
    reader: R,
    /// Where the next page starts; `None` once the last page has been read.
    next: Option<Option<Keyset>>,
    buffer: VecDeque<Order>,
}

impl<R: ReadPage> OrderPages<R> {
    pub fn new(reader: R) -> OrderPages<R> {
        OrderPages {
            reader,
            next: Some(None),
            buffer: VecDeque::new(),
        }
    }
}

impl<R: ReadPage> Iterator for OrderPages<R> {
    type Item = Result<Order>;

    fn next(&mut self) -> Option<Result<Order>> {
        if self.buffer.is_empty() {
            let from = self.next.take()?;
            match self.reader.read_page(from, Toward::Older, STREAM_PAGE_SIZE) {
                Ok(orders) => {
                    if orders.len() == STREAM_PAGE_SIZE {
                        self.next = orders.last().map(|order| Some(Keyset::of(order)));
                    }
                    self.buffer = orders.into();
                }
                Err(error) => return Some(Err(error)),
            }
        }
        self.buffer.pop_front().map(Ok)
    }
}
