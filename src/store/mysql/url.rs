//! A server database as `--db` names it: `mysql://USER@HOST[:PORT]/DATABASE`
//! or `mariadb://…` (the scheme in any case), with the options
//! `?ssl-mode=required` and `?ssl-ca=PATH` — never with a password in it.
//!
//! A refusal never repeats the value it was given: a mistyped URL may hold
//! a password (`user:secret@`, or a password where the host should be),
//! and the message is printed, logged and shown on screen. It names the
//! part that is wrong and shows what a right URL looks like instead.

use std::net::Ipv6Addr;
use std::path::PathBuf;

use crate::store::Error;

/// The port a MariaDB or MySQL server listens on unless told otherwise.
pub const DEFAULT_PORT: u16 = 3306;

/// The longest user name MariaDB keeps (MySQL's is 32).
const MAX_USER_CHARS: usize = 80;
/// The longest database name MariaDB and MySQL allow.
const MAX_DATABASE_CHARS: usize = 64;
/// The longest host name DNS allows.
const MAX_HOST_CHARS: usize = 253;
/// The longest option name a refusal repeats: any longer is no option
/// shopdesk knows, and it could be a pasted secret.
const MAX_SHOWN_OPTION_CHARS: usize = 20;

/// What a password found in the URL is answered with.
const NO_PASSWORD_IN_URL: &str = "it holds a password, which ps and your shell's history \
     would show: put it in SHOPDESK_DB_PASSWORD or in this machine's configuration (shopdesk \
     config set db_password)";

/// Where a shop's server database is, who connects to it and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerUrl {
    pub user: String,
    /// A host name, an IPv4 address, or an IPv6 address (without its
    /// brackets).
    pub host: String,
    pub port: u16,
    pub database: String,
    /// Whether the connection must be encrypted, with the server's
    /// certificate verified (`?ssl-mode=required`, or an `ssl-ca`).
    pub tls: bool,
    /// A file of certificates (PEM) trusted besides the web's roots: a
    /// shop's own certificate authority (`?ssl-ca=PATH`).
    pub ca_file: Option<PathBuf>,
}

impl ServerUrl {
    /// Whether `value` names a server database rather than an SQLite file.
    pub fn is_server_url(value: &str) -> bool {
        scheme_rest(value).is_some()
    }

    /// Reads a `mysql://` or `mariadb://` URL, refusing one with a
    /// password, a part that is missing or malformed, or an option
    /// shopdesk does not know (see the module's comment).
    pub fn parse(value: &str) -> Result<ServerUrl, Error> {
        let rest = scheme_rest(value).ok_or_else(|| bad("it must begin mysql:// or mariadb://"))?;
        // A password may hold any character, '/', '?' and '@' included:
        // whatever precedes the first '@' is the user, and a ':' there
        // can only begin a password (a user name has none).
        let (user, rest) = rest
            .split_once('@')
            .ok_or_else(|| bad("it names no user"))?;
        if user.contains(':') {
            return Err(bad(NO_PASSWORD_IN_URL));
        }
        let (place, query) = match rest.split_once('?') {
            Some((place, query)) => (place, Some(query)),
            None => (rest, None),
        };
        let (host_port, database) = place
            .split_once('/')
            .ok_or_else(|| bad("it names no database (the part after the host and a '/')"))?;
        let (host, port) = host_and_port(host_port)?;
        let options = Options::parse(query.unwrap_or(""))?;
        Ok(ServerUrl {
            user: checked_user(user)?,
            host,
            port,
            database: checked_database(database)?,
            tls: options.tls,
            ca_file: options.ca_file,
        })
    }

    /// `HOST:PORT`, as messages name the server (`[::1]:3306` for IPv6).
    pub fn address(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
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
        let mut separator = '?';
        if self.tls {
            write!(f, "{separator}ssl-mode=required")?;
            separator = '&';
        }
        if let Some(ca_file) = &self.ca_file {
            write!(f, "{separator}ssl-ca={}", ca_file.display())?;
        }
        Ok(())
    }
}

/// The refusal of a URL: `why` names the part that is wrong, never its
/// value.
fn bad(why: &str) -> Error {
    Error::BadServerUrl {
        why: why.to_string(),
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

/// `HOST[:PORT]` or `[IPV6][:PORT]`, the port 3306 when not given.
fn host_and_port(text: &str) -> Result<(String, u16), Error> {
    let (host, port) = match text.strip_prefix('[') {
        Some(bracketed) => {
            let (address, after) = bracketed
                .split_once(']')
                .ok_or_else(|| bad("an IPv6 address in [ ] has no closing ]"))?;
            address
                .parse::<Ipv6Addr>()
                .map_err(|_| bad("the address in [ ] is not an IPv6 address"))?;
            let port = match after {
                "" => None,
                after => Some(after.strip_prefix(':').ok_or_else(|| {
                    bad("after an IPv6 address in [ ] comes only :PORT and then /DATABASE")
                })?),
            };
            (address.to_string(), port)
        }
        None if text.matches(':').count() > 1 => {
            return Err(bad(
                "an IPv6 address goes in [ ]: mysql://USER@[::1]:3306/DATABASE",
            ));
        }
        None => {
            let (host, port) = match text.split_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (text, None),
            };
            (checked_host(host)?, port)
        }
    };
    let port = match port {
        None => DEFAULT_PORT,
        Some(port) => checked_port(port)?,
    };
    Ok((host, port))
}

/// A host name or IPv4 address: letters, digits, '-' and '.'.
fn checked_host(host: &str) -> Result<String, Error> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '.';
    if host.is_empty() {
        return Err(bad("it names no host (the part between '@' and '/')"));
    }
    if host.len() > MAX_HOST_CHARS || !host.chars().all(allowed) {
        return Err(bad(
            "the host is not a host name or an IP address (an IPv6 address goes in [ ])",
        ));
    }
    Ok(host.to_string())
}

/// A port: a whole number from 1 to 65535, in digits alone.
fn checked_port(port: &str) -> Result<u16, Error> {
    Some(port)
        .filter(|port| !port.is_empty() && port.chars().all(|c| c.is_ascii_digit()))
        .and_then(|port| port.parse::<u16>().ok())
        .filter(|port| *port != 0)
        .ok_or_else(|| bad("the port must be a whole number from 1 to 65535"))
}

/// A user name: letters, digits and `_ . - $`, as a MariaDB account is
/// named.
fn checked_user(user: &str) -> Result<String, Error> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || "_.-$".contains(c);
    if user.is_empty() {
        return Err(bad("it names no user (the part before '@')"));
    }
    if user.chars().count() > MAX_USER_CHARS || !user.chars().all(allowed) {
        return Err(bad(
            "the user name may hold only letters, digits and _ . - $ (at most 80)",
        ));
    }
    Ok(user.to_string())
}

/// A database name: letters, digits and `_ - $`, at most 64.
fn checked_database(database: &str) -> Result<String, Error> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || "_-$".contains(c);
    if database.is_empty() {
        return Err(bad(
            "it names no database (the part after the host and a '/')",
        ));
    }
    if database.chars().count() > MAX_DATABASE_CHARS || !database.chars().all(allowed) {
        return Err(bad(
            "the database name may hold only letters, digits and _ - $ (at most 64)",
        ));
    }
    Ok(database.to_string())
}

/// The options after `?`, each given at most once.
#[derive(Debug, Default)]
struct Options {
    tls: bool,
    ca_file: Option<PathBuf>,
}

impl Options {
    fn parse(query: &str) -> Result<Options, Error> {
        let mut options = Options::default();
        let mut ssl_mode = None;
        for option in query.split('&').filter(|option| !option.is_empty()) {
            let (name, value) = option.split_once('=').unwrap_or((option, ""));
            match name.to_ascii_lowercase().as_str() {
                "password" | "pass" | "pwd" => return Err(bad(NO_PASSWORD_IN_URL)),
                "ssl-mode" if ssl_mode.is_some() => return Err(bad("ssl-mode is given twice")),
                "ssl-mode" => ssl_mode = Some(tls_required(value)?),
                "ssl-ca" if options.ca_file.is_some() => {
                    return Err(bad("ssl-ca is given twice"));
                }
                "ssl-ca" if value.is_empty() => {
                    return Err(bad("ssl-ca names no file: ?ssl-ca=/path/to/ca.pem"));
                }
                "ssl-ca" => options.ca_file = Some(PathBuf::from(value)),
                _ => return Err(unknown_option(name)),
            }
        }
        // A certificate authority to trust is only of use on an encrypted
        // connection: it asks for one.
        options.tls = match (ssl_mode, &options.ca_file) {
            (Some(false), Some(_)) => {
                return Err(bad(
                    "ssl-ca asks for an encrypted connection, which ssl-mode=disabled refuses",
                ));
            }
            (Some(required), None) => required,
            (None, ca_file) => ca_file.is_some(),
            (Some(true), Some(_)) => true,
        };
        Ok(options)
    }
}

/// `ssl-mode`'s value: whether TLS is required.
fn tls_required(value: &str) -> Result<bool, Error> {
    match value.to_ascii_lowercase().as_str() {
        "required" => Ok(true),
        "disabled" => Ok(false),
        _ => Err(bad(
            "ssl-mode is required or disabled (with required, the server's certificate is \
             always verified)",
        )),
    }
}

/// The refusal of an option shopdesk does not know, named when its name
/// looks like one.
fn unknown_option(name: &str) -> Error {
    let shown = name.len() <= MAX_SHOWN_OPTION_CHARS
        && !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    let known = "the options are ssl-mode=required and ssl-ca=PATH";
    if shown {
        bad(&format!("the option {name} is unknown: {known}"))
    } else {
        bad(&format!("an option is unknown: {known}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parsed(value: &str) -> ServerUrl {
        ServerUrl::parse(value).unwrap_or_else(|error| panic!("{value}: {error}"))
    }

    fn refusal(value: &str) -> String {
        match ServerUrl::parse(value) {
            Ok(url) => panic!("{value} was taken as {url:?}"),
            Err(error) => error.to_string(),
        }
    }

    #[test]
    fn a_url_names_user_host_port_and_database() {
        let url = parsed("mysql://shop@db.example.com:3307/main_shop");
        assert_eq!(
            url,
            ServerUrl {
                user: "shop".into(),
                host: "db.example.com".into(),
                port: 3307,
                database: "main_shop".into(),
                tls: false,
                ca_file: None,
            }
        );
        assert_eq!(url.address(), "db.example.com:3307");
        assert_eq!(
            url.to_string(),
            "mysql://shop@db.example.com:3307/main_shop"
        );
    }

    #[test]
    fn the_scheme_is_mysql_or_mariadb_in_any_case_and_the_port_3306_by_default() {
        for value in ["mysql://u@h/d", "MariaDB://u@h/d", "MYSQL://u@h/d"] {
            assert!(ServerUrl::is_server_url(value), "{value}");
            assert_eq!(parsed(value).port, DEFAULT_PORT, "{value}");
        }
        for value in [
            "shop.db",
            "file:mysql://u@h/d",
            "postgres://u@h/d",
            "mysql:/u@h/d",
        ] {
            assert!(!ServerUrl::is_server_url(value), "{value}");
        }
    }

    #[test]
    fn an_ipv6_address_is_written_in_brackets() {
        let url = parsed("mysql://u@[::1]:3310/d");
        assert_eq!((url.host.as_str(), url.port), ("::1", 3310));
        assert_eq!(url.address(), "[::1]:3310");
        assert_eq!(parsed("mysql://u@[fe80::2]/d").address(), "[fe80::2]:3306");
        assert!(refusal("mysql://u@[::1/d").contains("closing ]"));
        assert!(refusal("mysql://u@[nonsense]/d").contains("IPv6"));
        assert!(refusal("mysql://u@[::1]x/d").contains(":PORT"));
        assert!(refusal("mysql://u@::1/d").contains("goes in [ ]"));
    }

    #[test]
    fn the_port_is_from_1_to_65535() {
        assert_eq!(parsed("mysql://u@h:1/d").port, 1);
        assert_eq!(parsed("mysql://u@h:65535/d").port, 65535);
        for port in ["0", "65536", "-1", "+1", "", "33o6", "99999999999"] {
            let refused = refusal(&format!("mysql://u@h:{port}/d"));
            assert!(refused.contains("1 to 65535"), "{port}: {refused}");
        }
    }

    #[test]
    fn a_missing_or_malformed_part_is_named_with_what_a_right_url_looks_like() {
        for (value, part) in [
            ("sqlite://u@h/d", "mysql://"),
            ("mysql://h/d", "no user"),
            ("mysql://@h/d", "no user"),
            ("mysql://u@h", "no database"),
            ("mysql://u@h/", "no database"),
            ("mysql://u@/d", "no host"),
            ("mysql://u@h_st/d", "host"),
            ("mysql://my user@h/d", "user name"),
            ("mysql://u@h/my.shop", "database name"),
            ("mysql://u@h/a/b", "database name"),
        ] {
            let refused = refusal(value);
            assert!(
                refused.contains(part) && refused.contains("mysql://USER@HOST[:PORT]/DATABASE"),
                "{value}: {refused}"
            );
        }
        let long = "d".repeat(MAX_DATABASE_CHARS + 1);
        assert!(refusal(&format!("mysql://u@h/{long}")).contains("at most 64"));
    }

    #[test]
    fn a_password_is_refused_saying_where_it_goes_and_why_without_repeating_it() {
        for value in [
            "mysql://shop:Hunter2@db/shop",
            "mysql://shop:p@ss/w?rd@db/shop",
            "mysql://shop:@db/shop",
            "mysql://shop@db/shop?password=Hunter2",
        ] {
            let refused = refusal(value);
            assert!(
                refused.contains("SHOPDESK_DB_PASSWORD")
                    && refused.contains("db_password")
                    && refused.contains("ps"),
                "{refused}"
            );
            for secret in ["Hunter2", "p@ss", "w?rd"] {
                assert!(!refused.contains(secret), "{refused}");
            }
        }
    }

    #[test]
    fn tls_is_asked_for_by_ssl_mode_or_a_certificate_authority() {
        let required = parsed("mysql://u@h/d?ssl-mode=REQUIRED");
        assert!(required.tls && required.ca_file.is_none());
        assert_eq!(required.to_string(), "mysql://u@h:3306/d?ssl-mode=required");
        assert!(!parsed("mysql://u@h/d?ssl-mode=disabled").tls);
        let own_ca = parsed("mysql://u@h/d?ssl-mode=required&ssl-ca=/etc/shop/ca.pem");
        assert!(own_ca.tls);
        assert_eq!(own_ca.ca_file, Some(PathBuf::from("/etc/shop/ca.pem")));
        assert_eq!(
            own_ca.to_string(),
            "mysql://u@h:3306/d?ssl-mode=required&ssl-ca=/etc/shop/ca.pem"
        );
        assert!(parsed("mysql://u@h/d?ssl-ca=ca.pem").tls);
        assert_eq!(
            parsed(&own_ca.to_string()),
            own_ca,
            "it reads what it shows"
        );
    }

    #[test]
    fn an_option_shopdesk_does_not_know_is_refused_by_name() {
        assert!(refusal("mysql://u@h/d?compress=true").contains("option compress is unknown"));
        assert!(refusal("mysql://u@h/d?ssl-mode=preferred").contains("required or disabled"));
        assert!(refusal("mysql://u@h/d?ssl-mode=required&ssl-mode=required").contains("twice"));
        assert!(refusal("mysql://u@h/d?ssl-ca=").contains("names no file"));
        assert!(refusal("mysql://u@h/d?ssl-mode=disabled&ssl-ca=a.pem").contains("disabled"));
        let pasted = refusal("mysql://u@h/d?xK29!secretish-token-value");
        assert!(
            pasted.contains("an option is unknown") && !pasted.contains("xK29"),
            "{pasted}"
        );
    }

    /// A password as a user might type one: never shorter than 6
    /// characters, with a mark no message holds.
    fn password() -> impl Strategy<Value = String> {
        "[^\\x00]{0,20}".prop_map(|tail| format!("Pw#{tail}"))
    }

    proptest! {
        #[test]
        fn no_value_panics_the_parser(value in ".{0,80}") {
            let _ = ServerUrl::parse(&value);
        }

        #[test]
        fn no_url_like_value_panics_the_parser(
            scheme in "(mysql|MariaDB|mysq)://",
            rest in "[a-z0-9@:/\\[\\]?&=.%_-]{0,40}",
        ) {
            let _ = ServerUrl::parse(&format!("{scheme}{rest}"));
        }

        #[test]
        fn no_password_appears_in_a_refusal(
            user in "[a-z]{0,8}",
            password in password(),
            rest in "[a-z0-9@:/\\[\\]?&=._-]{0,24}",
        ) {
            for value in [
                format!("mysql://{user}:{password}@{rest}"),
                format!("mysql://{user}@{rest}?password={password}"),
                format!("mysql://{user}:{password}"),
                format!("mysql://{user}@{rest}:{password}"),
                format!("mysql://{user}@{rest}?{password}"),
            ] {
                if let Err(error) = ServerUrl::parse(&value) {
                    let message = error.to_string();
                    prop_assert!(!message.contains(&password), "{value}: {message}");
                    prop_assert!(!message.contains("Pw#"), "{value}: {message}");
                }
            }
        }
    }
}
