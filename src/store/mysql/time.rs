//! Times as the server keeps them: `DATETIME(6)` in UTC (every session's
//! time zone is set to UTC when it connects), to the microsecond.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Timelike, Utc};
use mysql::Value;

use crate::store::Error;

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

/// A `DATETIME(6)` value read back as a UTC time.
pub(super) fn from_value(value: Value) -> Result<DateTime<Utc>, Error> {
    let unreadable = |value: &Value| Error::Unreadable(format!("{value:?} is not a time"));
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
