//! Times as the server keeps them: `DATETIME(6)` in UTC (every session's
//! time zone is set to UTC when it connects), to the microsecond.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Timelike, Utc};
use mysql::Value;

use crate::domain::text::quote;
use crate::store::Error;
use crate::store::check::rows::NotATime;

/// A time as a `DATETIME(6)` parameter.
pub(super) fn to_value(at: DateTime<Utc>) -> Value {
    let at = at.naive_utc();
    Value::Date(
        // A year past 65535 cannot be a shop's time: the domain's clock
        // and parsing never make one.
        u16::try_from(at.year()).unwrap_or(u16::MAX),
        at.month() as u8,
        at.day() as u8,
        at.hour() as u8,
        at.minute() as u8,
        at.second() as u8,
        at.nanosecond() / 1_000,
    )
}

/// A `DATETIME(6)` value read back as a UTC time. One that is no time (a
/// day no calendar has, which a lax session can write) is refused in the
/// words SQLite's reading and `check` use, quoting it as the server
/// writes it.
pub(super) fn from_value(value: Value) -> Result<DateTime<Utc>, Error> {
    let unreadable =
        |value: &Value| Error::Unreadable(NotATime(quote(&written(value))).to_string());
    match value {
        Value::Date(year, month, day, hour, minute, second, micro) => {
            NaiveDate::from_ymd_opt(i32::from(year), u32::from(month), u32::from(day))
                .and_then(|date| {
                    date.and_hms_micro_opt(
                        u32::from(hour),
                        u32::from(minute),
                        u32::from(second),
                        micro,
                    )
                })
                .map(|at| at.and_utc())
                .ok_or_else(|| unreadable(&value))
        }
        // The text protocol (a query without parameters) sends it as text.
        Value::Bytes(ref text) => std::str::from_utf8(text)
            .ok()
            .and_then(|text| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f").ok())
            .map(|at| at.and_utc())
            .ok_or_else(|| unreadable(&value)),
        value => Err(unreadable(&value)),
    }
}

/// `value` as the server writes it: a `DATETIME(6)` as
/// `2026-02-30 10:00:00.000000`, text as it is.
fn written(value: &Value) -> String {
    match *value {
        Value::Date(year, month, day, hour, minute, second, micro) => {
            format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}.{micro:06}")
        }
        Value::Bytes(ref text) => String::from_utf8_lossy(text).into_owned(),
        ref other => other.as_sql(true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_no_calendar_has_is_refused_quoted_as_the_server_writes_it() {
        for value in [
            Value::Date(2026, 2, 30, 10, 0, 0, 0),
            Value::Bytes(b"2026-02-30 10:00:00.000000".to_vec()),
        ] {
            let error = from_value(value).unwrap_err();
            assert_eq!(
                error.to_string(),
                "the database holds a value shopdesk cannot read \
                 (“2026-02-30 10:00:00.000000” is not a time); `shopdesk check` names the row"
            );
        }
    }

    #[test]
    fn a_time_comes_back_to_the_microsecond() {
        let at = chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 3, 1, 12, 0, 0).unwrap()
            + chrono::Duration::microseconds(123_456);
        assert_eq!(from_value(to_value(at)).unwrap(), at);
    }
}
