//! Times in the database: UTC text in one fixed-width format, so that
//! comparing the text compares the times (keyset pages rely on it).

use chrono::{DateTime, NaiveDateTime, Utc};
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

use crate::domain::text::quote;
use crate::domain::timestamp::{UTC_MICROS_FORMAT, utc_micros};
use crate::store::check::rows::NotATime;

/// A time as stored: `2026-11-25T16:29:10.123456Z`, always 27 characters
/// (see [`crate::domain::timestamp`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct DbTime(pub DateTime<Utc>);

/// Later than any stored time: the keyset cursor before the first page.
pub const END_OF_TIME: &str = "9999-12-31T23:59:59.999999Z";

impl DbTime {
    pub fn text(self) -> String {
        utc_micros(self.0)
    }
}

impl ToSql for DbTime {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.text()))
    }
}

impl FromSql for DbTime {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let text = value.as_str()?;
        NaiveDateTime::parse_from_str(text, UTC_MICROS_FORMAT)
            .map(|naive| DbTime(naive.and_utc()))
            .map_err(|_| FromSqlError::Other(Box::new(NotATime(quote(text)))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn fixed_width_and_round_trips() {
        let time = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap()
            + chrono::Duration::microseconds(123_456);
        let text = DbTime(time).text();
        assert_eq!(text.len(), END_OF_TIME.len());
        let parsed = DbTime::column_result(ValueRef::Text(text.as_bytes())).unwrap();
        assert_eq!(parsed.0, time);
    }
}
