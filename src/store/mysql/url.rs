//! A server database as `--db` names it: `mysql://USER@HOST[:PORT]/DATABASE`
//! or `mariadb://…`, never with a password in it.

use crate::store::Error;

/// The port a MariaDB or MySQL server listens on unless told otherwise.
pub const DEFAULT_PORT: u16 = 3306;

/// Where a shop's server database is, and who connects to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerUrl {
    pub user: String,
    pub host: String,
    pub port: u16,
    pub database: String,
    /// Whether the connection must be encrypted (`?ssl-mode=required`).
    pub tls: bool,
}

impl ServerUrl {
    /// Whether `value` names a server database rather than an SQLite file.
    pub fn is_server_url(value: &str) -> bool {
        scheme_rest(value).is_some()
    }

    /// Reads a `mysql://` or `mariadb://` URL.
    pub fn parse(value: &str) -> Result<ServerUrl, Error> {
        let bad = |why: &str| Error::BadServerUrl {
            url: value.to_string(),
            why: why.to_string(),
        };
        let rest = scheme_rest(value).ok_or_else(|| bad("it must begin mysql:// or mariadb://"))?;
        let (rest, query) = match rest.split_once('?') {
            Some((rest, query)) => (rest, Some(query)),
            None => (rest, None),
        };
        let (user, rest) = rest
            .split_once('@')
            .ok_or_else(|| bad("it needs a user: mysql://USER@HOST/DATABASE"))?;
        let (host_port, database) = rest
            .split_once('/')
            .ok_or_else(|| bad("it needs a database: mysql://USER@HOST/DATABASE"))?;
        let (host, port) = match host_port.rsplit_once(':') {
            Some((host, port)) => (
                host,
                port.parse()
                    .map_err(|_| bad("the port must be a number from 1 to 65535"))?,
            ),
            None => (host_port, DEFAULT_PORT),
        };
        let tls = match query {
            None => false,
            Some("ssl-mode=required") => true,
            Some("ssl-mode=disabled") => false,
            Some(_) => return Err(bad("the only option is ?ssl-mode=required")),
        };
        Ok(ServerUrl {
            user: user.to_string(),
            host: host.to_string(),
            port,
            database: database.to_string(),
            tls,
        })
    }

    /// `HOST:PORT`, as messages name the server.
    pub fn address(&self) -> String {
        format!("{}:{}", self.host, self.port)
    }
}

impl std::fmt::Display for ServerUrl {
    /// The URL as it can be shown: it never holds a password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "mysql://{}@{}/{}",
            self.user,
            self.address(),
            self.database
        )?;
        if self.tls {
            write!(f, "?ssl-mode=required")?;
        }
        Ok(())
    }
}

/// What follows the scheme of a server URL, if `value` is one.
fn scheme_rest(value: &str) -> Option<&str> {
    ["mysql://", "mariadb://"].iter().find_map(|scheme| {
        let head = value.get(..scheme.len())?;
        head.eq_ignore_ascii_case(scheme)
            .then(|| &value[scheme.len()..])
    })
}
