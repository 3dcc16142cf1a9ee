//! Times in the database: UTC text in one fixed-width format, so that
//! comparing the text compares the times (keyset pages rely on it).

use chrono::{DateTime, Datelike, NaiveDateTime, Timelike, Utc};
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

const FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.6fZ";

/// A time as stored: `2026-11-25T16:29:10.123456Z`, always 27 characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct DbTime(pub DateTime<Utc>);

/// Later than any stored time: the keyset cursor before the first page.
pub const END_OF_TIME: &str = "9999-12-31T23:59:59.999999Z";

impl DbTime {
    /// Written out digit by digit: `format!` (let alone chrono's, which
    /// parses its pattern on every call) shows up when a demo load writes
    /// millions of times.
    pub fn text(self) -> String {
        let t = self.0;
        // Leap seconds (nanosecond >= 1e9) are clamped into the last micro.
        let micros = (t.nanosecond() / 1_000).min(999_999);
        let mut text = *b"0000-00-00T00:00:00.000000Z";
        let year = u32::try_from(t.year()).unwrap_or(0);
        for (range, value) in [
            (0..4, year),
            (5..7, t.month()),
            (8..10, t.day()),
            (11..13, t.hour()),
            (14..16, t.minute()),
            (17..19, t.second()),
            (20..26, micros),
        ] {
            let mut rest = value;
            for digit in text[range].iter_mut().rev() {
                *digit = b'0' + (rest % 10) as u8;
                rest /= 10;
            }
        }
        text.iter().copied().map(char::from).collect()
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
        NaiveDateTime::parse_from_str(text, FORMAT)
            .map(|naive| DbTime(naive.and_utc()))
            .map_err(|error| FromSqlError::Other(Box::new(error)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn fixed_width_and_round_trips() {
        let time = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap();
        let text = DbTime(time).text();
        assert_eq!(text, "2026-01-02T03:04:05.000000Z");
        assert_eq!(text.len(), END_OF_TIME.len());
        let parsed = DbTime::column_result(ValueRef::Text(text.as_bytes())).unwrap();
        assert_eq!(parsed.0, time);
        let precise = time + chrono::Duration::microseconds(123_456);
        assert_eq!(DbTime(precise).text(), "2026-01-02T03:04:05.123456Z");
        assert_eq!(DbTime(precise).text(), precise.format(FORMAT).to_string());
    }
}
