//! The server's and the client's errors as the store's: the one place the
//! MariaDB/MySQL backend classifies them, so that no `mysql::Error` leaves
//! the store.

use crate::domain::ErrorClass;
use crate::store::Error;

/// MariaDB's and MySQL's error numbers that have a meaning of their own.
mod code {
    pub const LOCK_WAIT_TIMEOUT: u16 = 1205;
    pub const DEADLOCK: u16 = 1213;
    pub const TOO_MANY_CONNECTIONS: u16 = 1040;
    pub const SERVER_SHUTDOWN: u16 = 1053;
    pub const CONNECTION_KILLED: u16 = 1927;
    pub const DUPLICATE_KEY: u16 = 1062;
    pub const CHECK_FAILED_MARIADB: u16 = 4025;
    pub const CHECK_FAILED_MYSQL: u16 = 3819;
    pub const NO_REFERENCED_ROW: u16 = 1452;
    pub const ROW_IS_REFERENCED: u16 = 1451;
    pub const READ_ONLY: u16 = 1290;
    pub const DISK_FULL: u16 = 1021;
    pub const TABLE_FULL: u16 = 1114;
}

impl From<mysql::Error> for Error {
    fn from(error: mysql::Error) -> Error {
        match &error {
            // Lost to another transaction's locks: the store tries the
            // write again (`contention.rs`) before the clerk hears of it.
            _ if is_contention(&error) => Error::Busy,
            mysql::Error::MySqlError(server) => match server.code {
                code::TOO_MANY_CONNECTIONS => Error::Busy,
                code::SERVER_SHUTDOWN | code::CONNECTION_KILLED => Error::Unreachable {
                    server: String::new(),
                },
                code::READ_ONLY => Error::ReadOnly,
                code::DISK_FULL | code::TABLE_FULL => Error::DiskFull,
                code => Error::Failed {
                    class: failure_class(code),
                    reason: error.to_string(),
                },
            },
            mysql::Error::IoError(_)
            | mysql::Error::CodecError(_)
            | mysql::Error::DriverError(
                mysql::DriverError::ConnectTimeout
                | mysql::DriverError::CouldNotConnect(_)
                | mysql::DriverError::Timeout
                | mysql::DriverError::PacketOutOfSync,
            ) => Error::Unreachable {
                server: String::new(),
            },
            mysql::Error::FromValueError(_) | mysql::Error::FromRowError(_) => {
                Error::Unreadable(error.to_string())
            }
            _ => Error::Failed {
                class: ErrorClass::Refused,
                reason: error.to_string(),
            },
        }
    }
}

/// Whether the server refused a row because another has its unique key
/// (`key` names the index, as the schema does).
pub(super) fn is_duplicate_of(error: &mysql::Error, key: &str) -> bool {
    matches!(error, mysql::Error::MySqlError(server)
        if server.code == code::DUPLICATE_KEY && server.message.contains(&format!("'{key}'")))
}

/// Whether a transaction failed only because of another's locks (a
/// deadlock, a lock wait timeout): tried again, it may well succeed.
pub(super) fn is_contention(error: &mysql::Error) -> bool {
    matches!(error, mysql::Error::MySqlError(server)
        if server.code == code::DEADLOCK || server.code == code::LOCK_WAIT_TIMEOUT)
}

/// The class of a server error that has no error of its own.
fn failure_class(code: u16) -> ErrorClass {
    match code {
        // A constraint of the schema (the safety net under the rules)
        // refused the row.
        code::DUPLICATE_KEY
        | code::CHECK_FAILED_MARIADB
        | code::CHECK_FAILED_MYSQL
        | code::NO_REFERENCED_ROW
        | code::ROW_IS_REFERENCED => ErrorClass::Conflict,
        _ => ErrorClass::Refused,
    }
}
