//! The server's and the client's errors as the store's: the one place the
//! MariaDB/MySQL backend classifies them, so that no `mysql::Error` leaves
//! the store.

use std::io::ErrorKind;

use crate::domain::ErrorClass;
use crate::store::Error;

use super::{CONNECT_TIMEOUT, ServerUrl};

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
    pub const ACCESS_DENIED: u16 = 1045;
    pub const DATABASE_ACCESS_DENIED: u16 = 1044;
    pub const TABLE_ACCESS_DENIED: u16 = 1142;
    pub const UNKNOWN_DATABASE: u16 = 1049;
    pub const HOST_NOT_ALLOWED: u16 = 1130;
    pub const HOST_BLOCKED: u16 = 1129;
    /// `require_secure_transport`: MySQL's number, and MariaDB's since 10.5.
    pub const SECURE_TRANSPORT_REQUIRED: u16 = 3159;
    /// What the server says of a table or index it finds damaged.
    pub const DAMAGE: [u16; 9] = [
        1034, // ER_NOT_KEYFILE: an index is corrupt
        1035, // ER_OLD_KEYFILE
        1194, // ER_CRASHED_ON_USAGE
        1195, // ER_CRASHED_ON_REPAIR
        1712, // ER_INDEX_CORRUPT
        1812, // ER_TABLESPACE_MISSING
        1817, // ER_INNODB_INDEX_CORRUPT
        1877, // ER_TABLE_CORRUPT
        1932, // ER_NO_SUCH_TABLE_IN_ENGINE: its files are gone
    ];
}

impl From<mysql::Error> for Error {
    fn from(error: mysql::Error) -> Error {
        match &error {
            mysql::Error::MySqlError(server) if is_denial(server.code) => Error::NotPermitted {
                reason: server.message.clone(),
            },
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

/// Whether `code` says the account lacks a grant for what was asked.
fn is_denial(code: u16) -> bool {
    matches!(
        code,
        code::DATABASE_ACCESS_DENIED | code::TABLE_ACCESS_DENIED
    )
}

/// Why connecting to the server at `url` failed, for the clerk: each
/// failure that has a cause the shop can fix says what it is and names
/// the server; the rest are classified as any failure is.
pub(super) fn connect_error(url: &ServerUrl, error: mysql::Error) -> Error {
    let server = url.address();
    let cannot_connect = |why: &str| Error::CannotConnect {
        server: server.clone(),
        why: why.to_string(),
    };
    let tls = |why: String| Error::Tls {
        server: server.clone(),
        why,
    };
    if let Some(io) = io_failure(&error) {
        return match rustls_error(io) {
            Some(refused) => tls(why_tls_refused(refused)),
            None if matches!(io.kind(), ErrorKind::TimedOut | ErrorKind::WouldBlock) => {
                cannot_connect(&format!(
                    "it took the connection but did not answer within {} s (is it a MariaDB \
                     or MySQL server?)",
                    CONNECT_TIMEOUT.as_secs()
                ))
            }
            None => cannot_connect(&why_not_connected(io.kind(), &io.to_string())),
        };
    }
    match &error {
        mysql::Error::DriverError(mysql::DriverError::ConnectTimeout) => {
            cannot_connect(&no_answer_in_time())
        }
        mysql::Error::DriverError(mysql::DriverError::CouldNotConnect(Some((_, reason, kind)))) => {
            cannot_connect(&why_not_connected(*kind, reason))
        }
        mysql::Error::DriverError(mysql::DriverError::TlsNotSupported) => tls(
            "it does not offer encryption (TLS), which the URL asks for (ssl-mode=required or \
             ssl-ca); turn TLS on at the server (README)"
                .to_string(),
        ),
        mysql::Error::TlsError(refused) => tls(refused.to_string()),
        mysql::Error::MySqlError(refusal) => match refusal.code {
            code::ACCESS_DENIED => Error::AccessDenied {
                user: url.user.clone(),
                server,
                why: if url.tls {
                    WRONG_PASSWORD
                } else {
                    WRONG_PASSWORD_OR_NOT_ENCRYPTED
                },
            },
            code::UNKNOWN_DATABASE => Error::NoSuchDatabase {
                database: url.database.clone(),
                server,
            },
            code::HOST_NOT_ALLOWED | code::HOST_BLOCKED => Error::NotPermitted {
                reason: refusal.message.clone(),
            },
            code::SECURE_TRANSPORT_REQUIRED => tls(
                "it accepts only encrypted connections: add ?ssl-mode=required to the URL"
                    .to_string(),
            ),
            _ => Error::from(error).naming_server(&server),
        },
        _ => Error::from(error).naming_server(&server),
    }
}

/// Why an account may be refused.
const WRONG_PASSWORD: &str = "a wrong or missing password? shopdesk takes it from \
     SHOPDESK_DB_PASSWORD, else from db_password in this machine's configuration";
/// Why an account may be refused on a connection that is not encrypted:
/// MariaDB refuses it so when it takes encrypted connections only.
const WRONG_PASSWORD_OR_NOT_ENCRYPTED: &str = "a wrong or missing password (from \
     SHOPDESK_DB_PASSWORD, else db_password in this machine's configuration), or a server \
     that takes encrypted connections only (add ?ssl-mode=required)";

/// What a connection that timed out is told.
fn no_answer_in_time() -> String {
    format!(
        "no answer within {} s (is the host up, and the port open to this machine?)",
        CONNECT_TIMEOUT.as_secs()
    )
}

/// Why a TCP connection could not be made, by its kind.
fn why_not_connected(kind: ErrorKind, reason: &str) -> String {
    match kind {
        ErrorKind::ConnectionRefused => {
            "the connection was refused (is the server running, and listening on that port?)"
                .to_string()
        }
        ErrorKind::TimedOut | ErrorKind::WouldBlock => no_answer_in_time(),
        _ => format!("{reason} (is the host name right, and the network up?)"),
    }
}

/// The I/O failure under a driver's error, if it is one (as it is, or
/// through the packet codec).
fn io_failure(error: &mysql::Error) -> Option<&std::io::Error> {
    match error {
        mysql::Error::IoError(io) => Some(io),
        mysql::Error::CodecError(codec) => std::error::Error::source(codec)?.downcast_ref(),
        _ => None,
    }
}

/// The TLS failure inside an I/O error, if it is one: rustls reports a
/// certificate it does not trust through the stream it encrypts.
fn rustls_error(io: &std::io::Error) -> Option<&rustls::Error> {
    io.get_ref()?.downcast_ref::<rustls::Error>()
}

/// What a TLS refusal means for the shop.
fn why_tls_refused(refused: &rustls::Error) -> String {
    match refused {
        // A bad signature: signed by another authority of the same name.
        rustls::Error::InvalidCertificate(
            rustls::CertificateError::UnknownIssuer | rustls::CertificateError::BadSignature,
        ) => "its certificate is not signed by an authority shopdesk trusts: if the shop has its \
             own certificate authority, name its certificate with ?ssl-ca=/path/to/ca.pem"
            .to_string(),
        rustls::Error::InvalidCertificate(
            rustls::CertificateError::NotValidForName
            | rustls::CertificateError::NotValidForNameContext { .. },
        ) => {
            "its certificate is for another host name: use the name the certificate has".to_string()
        }
        rustls::Error::InvalidCertificate(
            rustls::CertificateError::Expired | rustls::CertificateError::ExpiredContext { .. },
        ) => "its certificate has expired".to_string(),
        refused => format!("its certificate is not trusted ({refused})"),
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

/// Whether the server failed because a table or an index of the database
/// is damaged (what `check` reports, rather than fails with).
pub(super) fn is_damage(error: &mysql::Error) -> bool {
    matches!(error, mysql::Error::MySqlError(server) if code::DAMAGE.contains(&server.code))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn server_error(code: u16) -> mysql::Error {
        mysql::Error::MySqlError(mysql::MySqlError {
            state: "HY000".to_string(),
            message: "as the server says it".to_string(),
            code,
        })
    }

    #[test]
    fn damage_the_server_reports_is_told_from_other_failures() {
        for damage in code::DAMAGE {
            assert!(is_damage(&server_error(damage)), "{damage}");
        }
        for other in [
            code::DUPLICATE_KEY,
            code::LOCK_WAIT_TIMEOUT,
            code::ACCESS_DENIED,
        ] {
            assert!(!is_damage(&server_error(other)), "{other}");
        }
    }
}
