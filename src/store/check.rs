//! What `shopdesk check` finds, whatever the backend: each backend reads
//! its whole database and reports every row that breaks the shop's rules
//! under one of these kinds. The rules a row is held to and the words that
//! name it are here, once ([`orders`], [`customers`], [`rows`]): a backend
//! only reads its rows, in the order these walks ask, and hands them over.

pub(super) mod customers;
pub(super) mod orders;
pub(super) mod rows;

use crate::domain::Currency;
use crate::domain::settings::Settings;

/// What `check` found.
#[derive(Debug, Default)]
pub struct CheckReport {
    pub orders: i64,
    pub products: i64,
    pub stock_moves: i64,
    /// The first [`MAX_LISTED_PROBLEMS`], each naming the rows involved.
    pub problems: Vec<Problem>,
    /// Problems found beyond those listed.
    pub unlisted: usize,
    /// The shop's currency, for the amounts problems name (the default
    /// when the settings cannot be read: the check goes on).
    pub currency: Currency,
}

impl CheckReport {
    /// An empty report, its amounts in the currency of `settings` (the
    /// default when they cannot be read: the check goes on).
    pub(super) fn in_currency_of(settings: super::Result<Settings>) -> CheckReport {
        CheckReport {
            currency: settings
                .map(|settings| settings.currency)
                .unwrap_or_default(),
            ..CheckReport::default()
        }
    }

    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }

    /// Adds a problem: listed among the first ones, else counted.
    pub(super) fn found(&mut self, kind: ProblemKind, message: String) {
        if self.problems.len() < MAX_LISTED_PROBLEMS {
            self.problems.push(Problem { kind, message });
        } else {
            self.unlisted += 1;
        }
    }
}

/// A broken database can hold millions of broken rows: list the first ones.
pub const MAX_LISTED_PROBLEMS: usize = 1000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub kind: ProblemKind,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    /// The database's own integrity check, or damage met while reading.
    Integrity,
    ForeignKey,
    Totals,
    Ledger,
    /// A product's stock outside 0 to
    /// [`MAX_STOCK`](crate::domain::product::MAX_STOCK).
    Stock,
    Timeline,
    /// Customers with the same email ignoring case and accents, or an
    /// email key that is not their email's.
    Email,
    /// A customer who cannot be reached (neither an email nor a phone),
    /// or a Walk-in customer who has either.
    Contact,
    /// A stored time that is not a time in the one stored format.
    Time,
    /// Text that is not UTF-8.
    Text,
}

impl ProblemKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemKind::Integrity => "integrity",
            ProblemKind::ForeignKey => "foreign key",
            ProblemKind::Totals => "totals",
            ProblemKind::Ledger => "ledger",
            ProblemKind::Stock => "stock",
            ProblemKind::Timeline => "timeline",
            ProblemKind::Email => "email",
            ProblemKind::Contact => "contact",
            ProblemKind::Time => "time",
            ProblemKind::Text => "text",
        }
    }
}
