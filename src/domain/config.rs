//! The counter's own configuration: what belongs to one machine, never to
//! the shop's shared database. Whoever can write the database (a copied
//! file, a shared server) must not be able to choose the command a till
//! runs, so the print command lives here.

use serde::{Deserialize, Serialize};

use super::Error;
use super::text::is_terminal_control;

/// The folder receipt files go to when no print command is set: by
/// default beside the database, in the shop's own folder.
pub const RECEIPTS_FOLDER: &str = "receipts";
/// The file a bug's report is appended to: by default beside the database.
pub const PANIC_LOG: &str = "shopdesk-panic.log";
/// The folder where the app parks the sale in progress as it closes when
/// the database server cannot be reached, until its next start moves it
/// back: this counter's own, like its receipts.
pub const PARKED_FOLDER: &str = "parked-sales";

/// The longest print command, in characters.
pub const MAX_RECEIPT_COMMAND_CHARS: usize = 500;
/// The longest counter name, in characters.
pub const MAX_COUNTER_NAME_CHARS: usize = 40;
/// The longest database server password, in characters.
pub const MAX_DB_PASSWORD_CHARS: usize = 256;

/// A key of the configuration file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigKey {
    /// Run by `sh -c` with a receipt on its standard input; unset: receipts
    /// are written to files.
    ReceiptCommand,
    /// What this counter is called; unset: the machine's host name.
    CounterName,
    /// The password of the database server's user, when the shop is on a
    /// server and `SHOPDESK_DB_PASSWORD` does not give it: a secret, never
    /// shown and never given on a command line.
    DbPassword,
}

impl ConfigKey {
    pub const ALL: [ConfigKey; 3] = [
        ConfigKey::ReceiptCommand,
        ConfigKey::CounterName,
        ConfigKey::DbPassword,
    ];

    pub fn key(self) -> &'static str {
        match self {
            ConfigKey::ReceiptCommand => "receipt_command",
            ConfigKey::CounterName => "counter_name",
            ConfigKey::DbPassword => "db_password",
        }
    }

    /// Whether the value is never shown, only that it is set, and never
    /// taken from a command line (where `ps` and the shell's history
    /// would show it).
    pub fn is_secret(self) -> bool {
        match self {
            ConfigKey::ReceiptCommand | ConfigKey::CounterName => false,
            ConfigKey::DbPassword => true,
        }
    }

    pub fn names() -> String {
        ConfigKey::ALL.map(ConfigKey::key).join(", ")
    }

    /// The key named `key`; an unknown one is refused naming the known ones.
    pub fn parse(key: &str) -> Result<ConfigKey, Error> {
        let key = key.trim();
        ConfigKey::ALL
            .into_iter()
            .find(|known| known.key() == key)
            .ok_or_else(|| Error::ConfigKeyUnknown(key.to_string()))
    }

    /// Checks a value: trimmed, not empty (`config unset` removes a key),
    /// bounded, and free of control characters and direction controls,
    /// which no command or name needs and which would reach the shell or
    /// the terminal raw (or reorder what it shows).
    /// A password is kept exactly as typed (a space may be part of it)
    /// and no refusal repeats it.
    pub fn parse_value(self, value: &str) -> Result<String, Error> {
        let field = self.key();
        let max = match self {
            ConfigKey::ReceiptCommand => MAX_RECEIPT_COMMAND_CHARS,
            ConfigKey::CounterName => MAX_COUNTER_NAME_CHARS,
            ConfigKey::DbPassword => return parse_password(field, value),
        };
        let value = super::text::parse_label(field, value, max)?;
        if value.chars().any(is_terminal_control) {
            return Err(Error::ControlCharacters { field });
        }
        Ok(value)
    }
}

/// A password: not empty, bounded, without control characters (a line
/// break would end it when it is read).
fn parse_password(field: &'static str, value: &str) -> Result<String, Error> {
    if value.is_empty() {
        return Err(Error::Required { field });
    }
    let length = value.chars().count();
    if length > MAX_DB_PASSWORD_CHARS {
        return Err(Error::TooLong {
            field,
            length,
            max: MAX_DB_PASSWORD_CHARS,
        });
    }
    if value.chars().any(char::is_control) {
        return Err(Error::ControlCharacters { field });
    }
    Ok(value.to_string())
}

/// The configuration as written in the file: a key that is not set is
/// absent. Unknown keys are refused, so a mistyped one is never silently
/// ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receipt_command: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counter_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub db_password: Option<String>,
}

impl Config {
    pub fn get(&self, key: ConfigKey) -> Option<&str> {
        self.slot(key).as_deref()
    }

    /// Sets `key` to `value`, checked with [`ConfigKey::parse_value`].
    pub fn set(&mut self, key: ConfigKey, value: &str) -> Result<(), Error> {
        *self.slot_mut(key) = Some(key.parse_value(value)?);
        Ok(())
    }

    pub fn unset(&mut self, key: ConfigKey) {
        *self.slot_mut(key) = None;
    }

    /// Checks every value, as `set` would have: a file edited by hand obeys
    /// the same rules.
    pub fn check(&self) -> Result<(), Error> {
        for key in ConfigKey::ALL {
            if let Some(value) = self.get(key) {
                key.parse_value(value)?;
            }
        }
        Ok(())
    }

    fn slot(&self, key: ConfigKey) -> &Option<String> {
        match key {
            ConfigKey::ReceiptCommand => &self.receipt_command,
            ConfigKey::CounterName => &self.counter_name,
            ConfigKey::DbPassword => &self.db_password,
        }
    }

    fn slot_mut(&mut self, key: ConfigKey) -> &mut Option<String> {
        match key {
            ConfigKey::ReceiptCommand => &mut self.receipt_command,
            ConfigKey::CounterName => &mut self.counter_name,
            ConfigKey::DbPassword => &mut self.db_password,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_known_or_refused_naming_the_known_ones() {
        assert_eq!(
            ConfigKey::parse("receipt_command"),
            Ok(ConfigKey::ReceiptCommand)
        );
        assert_eq!(
            ConfigKey::parse(" counter_name "),
            Ok(ConfigKey::CounterName)
        );
        let refused = ConfigKey::parse("printer").unwrap_err().to_string();
        assert!(
            refused.contains("printer")
                && refused.contains("receipt_command, counter_name, db_password"),
            "{refused}"
        );
    }

    #[test]
    fn values_are_trimmed_bounded_and_free_of_control_characters() {
        let key = ConfigKey::ReceiptCommand;
        assert_eq!(key.parse_value("  lp -d x "), Ok("lp -d x".to_string()));
        for hostile in [
            "lp\n rm -rf ~",
            "lp\u{1b}[2J",
            "lp\t-d",
            "lp\u{7f}",
            "lp\u{9b}",
            "lp \u{202e}x",
        ] {
            assert_eq!(
                key.parse_value(hostile),
                Err(Error::ControlCharacters {
                    field: "receipt_command"
                }),
                "{hostile:?}"
            );
        }
        assert_eq!(
            key.parse_value("  "),
            Err(Error::Required {
                field: "receipt_command"
            })
        );
        assert!(
            key.parse_value(&"x".repeat(MAX_RECEIPT_COMMAND_CHARS))
                .is_ok()
        );
        assert!(matches!(
            key.parse_value(&"x".repeat(MAX_RECEIPT_COMMAND_CHARS + 1)),
            Err(Error::TooLong { .. })
        ));
        assert!(matches!(
            ConfigKey::CounterName.parse_value(&"é".repeat(MAX_COUNTER_NAME_CHARS + 1)),
            Err(Error::TooLong { .. })
        ));
    }

    #[test]
    fn set_unset_and_check() {
        let mut config = Config::default();
        config.set(ConfigKey::CounterName, " till 2 ").unwrap();
        assert_eq!(config.get(ConfigKey::CounterName), Some("till 2"));
        assert!(config.set(ConfigKey::CounterName, "a\nb").is_err());
        assert_eq!(config.get(ConfigKey::CounterName), Some("till 2"));
        config.unset(ConfigKey::CounterName);
        assert_eq!(config, Config::default());
        let edited = Config {
            receipt_command: Some("lp\u{7}".to_string()),
            ..Config::default()
        };
        assert!(edited.check().is_err());
    }

    #[test]
    fn a_password_is_kept_as_typed_and_never_repeated_by_a_refusal() {
        let key = ConfigKey::DbPassword;
        assert!(key.is_secret() && !ConfigKey::CounterName.is_secret());
        assert_eq!(
            key.parse_value(" s3cret pass "),
            Ok(" s3cret pass ".to_string())
        );
        for (value, expected) in [
            (
                "",
                Error::Required {
                    field: "db_password",
                },
            ),
            (
                "s3cret\nrm",
                Error::ControlCharacters {
                    field: "db_password",
                },
            ),
        ] {
            assert_eq!(key.parse_value(value), Err(expected));
        }
        let long = "s3cret".repeat(50);
        let refused = key.parse_value(&long).unwrap_err().to_string();
        assert!(
            refused.contains("at most 256") && !refused.contains("s3cret"),
            "{refused}"
        );
    }
}
