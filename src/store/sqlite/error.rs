//! SQLite's errors as the store's: the one place the SQLite backend
//! classifies them, so that no `rusqlite::Error` leaves the store.

use rusqlite::ErrorCode;

use crate::domain::ErrorClass;
use crate::store::Error;

/// Why text another tool wrote as bytes cannot be read (`check` says so too).
pub(super) const NOT_UTF8: &str = "is not UTF-8 text";

impl From<rusqlite::Error> for Error {
    fn from(error: rusqlite::Error) -> Error {
        let code = error.sqlite_error_code();
        match code {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => Error::Busy,
            Some(ErrorCode::ReadOnly) => Error::ReadOnly,
            Some(ErrorCode::DiskFull) => Error::DiskFull,
            Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase) => Error::Damaged,
            _ => match error {
                rusqlite::Error::FromSqlConversionFailure(_, _, why) => {
                    Error::Unreadable(why.to_string())
                }
                rusqlite::Error::Utf8Error(..) => Error::Unreadable(format!("a text {NOT_UTF8}")),
                error => Error::Failed {
                    class: failure_class(code),
                    reason: error.to_string(),
                },
            },
        }
    }
}

/// The class of an SQLite failure that has no error of its own.
fn failure_class(code: Option<ErrorCode>) -> ErrorClass {
    match code {
        // The file could not be read, written or locked at that moment (a
        // network file system's hiccup): SQLite wrote nothing, and trying
        // again may work.
        Some(
            ErrorCode::SystemIoFailure
            | ErrorCode::CannotOpen
            | ErrorCode::FileLockingProtocolFailed,
        ) => ErrorClass::Unavailable,
        // A constraint of the schema (the safety net under the rules)
        // refused the row.
        Some(ErrorCode::ConstraintViolation) => ErrorClass::Conflict,
        _ => ErrorClass::Refused,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::ffi;

    fn sqlite_failure(code: std::ffi::c_int) -> Error {
        Error::from(rusqlite::Error::SqliteFailure(ffi::Error::new(code), None))
    }

    #[test]
    fn sqlites_errors_have_their_classes() {
        for (code, class) in [
            (ffi::SQLITE_BUSY, ErrorClass::Unavailable),
            (ffi::SQLITE_LOCKED, ErrorClass::Unavailable),
            (ffi::SQLITE_IOERR, ErrorClass::Unavailable),
            (ffi::SQLITE_CORRUPT, ErrorClass::Damaged),
            (ffi::SQLITE_NOTADB, ErrorClass::Damaged),
            (ffi::SQLITE_READONLY, ErrorClass::Refused),
            (ffi::SQLITE_FULL, ErrorClass::Refused),
            (ffi::SQLITE_CONSTRAINT, ErrorClass::Conflict),
            (ffi::SQLITE_MISUSE, ErrorClass::Refused),
        ] {
            let error = sqlite_failure(code);
            assert_eq!(error.class(), class, "{code}: {error:?}");
        }
        assert!(matches!(sqlite_failure(ffi::SQLITE_BUSY), Error::Busy));
        let unreadable = Error::from(rusqlite::Error::Utf8Error(
            0,
            String::from_utf8(vec![0xff]).unwrap_err().utf8_error(),
        ));
        assert_eq!(unreadable.class(), ErrorClass::Damaged);
    }
}
