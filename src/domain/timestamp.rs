//! Times as text: UTC in RFC 3339 with exactly six fractional digits
//! (`2026-11-25T16:29:10.123456Z`), always 27 characters. The one format
//! for the database (comparing the text compares the times, which keyset
//! pages rely on) and for every time in JSON output, so the same moment
//! always reads the same wherever it is printed.

use chrono::{DateTime, Datelike, Timelike, Utc};
use serde::Serializer;

/// The format as a chrono pattern, for reading the text back.
pub const UTC_MICROS_FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.6fZ";

/// `time` as `2026-11-25T16:29:10.123456Z`: nanoseconds are cut to
/// microseconds, which is what the database keeps. Written out digit by
/// digit: `format!` (let alone chrono's, which parses its pattern on every
/// call) shows up when a demo load writes millions of times.
pub fn utc_micros(time: DateTime<Utc>) -> String {
    // Leap seconds (nanosecond >= 1e9) are clamped into the last micro.
    let micros = (time.nanosecond() / 1_000).min(999_999);
    let mut text = *b"0000-00-00T00:00:00.000000Z";
    let year = u32::try_from(time.year()).unwrap_or(0);
    for (range, value) in [
        (0..4, year),
        (5..7, time.month()),
        (8..10, time.day()),
        (11..13, time.hour()),
        (14..16, time.minute()),
        (17..19, time.second()),
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

/// `time` as it reads back from its text: cut to the microsecond, so a
/// record returned by a write equals the same record read again.
pub fn as_stored(time: DateTime<Utc>) -> DateTime<Utc> {
    let micros = (time.nanosecond() / 1_000).min(999_999);
    time.with_nanosecond(micros * 1_000).unwrap_or(time)
}

/// For `#[serde(serialize_with = "timestamp::serialize")]` on every time
/// field of a record: see [`utc_micros`].
pub fn serialize<S: Serializer>(time: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&utc_micros(*time))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn six_fractional_digits_whatever_the_precision() {
        let time = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap();
        assert_eq!(utc_micros(time), "2026-01-02T03:04:05.000000Z");
        let precise = time + chrono::Duration::nanoseconds(123_456_789);
        assert_eq!(utc_micros(precise), "2026-01-02T03:04:05.123456Z");
        assert_eq!(
            utc_micros(precise),
            precise.format(UTC_MICROS_FORMAT).to_string()
        );
        assert_eq!(utc_micros(as_stored(precise)), utc_micros(precise));
        assert_eq!(as_stored(precise).nanosecond(), 123_456_000);
        let json = serde_json::to_string(&Stamped { at: precise }).unwrap();
        assert_eq!(json, r#"{"at":"2026-01-02T03:04:05.123456Z"}"#);
    }

    #[derive(serde::Serialize)]
    struct Stamped {
        #[serde(serialize_with = "serialize")]
        at: DateTime<Utc>,
    }
}
