//! The shop's settings, with their defaults and rules. They are kept in
//! the shop's database and shared by every counter; what belongs to one
//! machine (its print command) is in its configuration file instead
//! (`super::config`).

use unicode_width::UnicodeWidthChar;

use super::Error;
use super::config::ConfigKey;
use super::money::Currency;
use super::text::{is_terminal_control, parse_label};

/// The most characters a currency symbol may have: with the longest amount
/// it still leaves a receipt line room for its label (`CHF`, `R$`, `€`).
pub const CURRENCY_SYMBOL_MAX_CHARS: usize = 3;

/// The symbol of a shop that has not chosen one.
pub const DEFAULT_CURRENCY_SYMBOL: &str = "$";

/// Characters an amount is written with, or that separate codes from
/// quantities: a symbol made of them would read as part of the number.
const CURRENCY_SYMBOL_FORBIDDEN: [char; 6] = ['.', ',', '+', '-', '*', ':'];

/// The settings a shop can change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    /// Printed at the top of receipts.
    ShopName,
    /// Shown before every amount (screens, commands, receipts), and the
    /// only symbol a typed amount may have.
    CurrencySymbol,
}

impl Setting {
    pub const ALL: [Setting; 2] = [Setting::ShopName, Setting::CurrencySymbol];

    pub fn key(self) -> &'static str {
        match self {
            Setting::ShopName => "shop_name",
            Setting::CurrencySymbol => "currency_symbol",
        }
    }

    pub fn default_value(self) -> &'static str {
        match self {
            Setting::ShopName => "shopdesk",
            Setting::CurrencySymbol => DEFAULT_CURRENCY_SYMBOL,
        }
    }

    pub fn names() -> String {
        Setting::ALL.map(Setting::key).join(", ")
    }

    /// The setting named `key`. A key of the counter's configuration is
    /// refused pointing there: a database never sets what a counter runs.
    pub fn parse_key(key: &str) -> Result<Setting, Error> {
        let key = key.trim();
        if let Ok(config_key) = ConfigKey::parse(key) {
            return Err(Error::SettingMovedToConfig(config_key.key()));
        }
        Setting::ALL
            .into_iter()
            .find(|setting| setting.key() == key)
            .ok_or_else(|| Error::SettingUnknown(key.to_string()))
    }

    /// Checks a new value: a shop name of 1-40 characters (a receipt line),
    /// a currency symbol as [`parse_currency_symbol`] says.
    pub fn parse_value(self, value: &str) -> Result<String, Error> {
        match self {
            Setting::ShopName => parse_shop_name(value),
            Setting::CurrencySymbol => parse_currency_symbol(value),
        }
    }
}

/// The longest shop name: one receipt line.
const SHOP_NAME_MAX_CHARS: usize = 40;

/// A shop name: a name of 1 to [`SHOP_NAME_MAX_CHARS`] characters.
fn parse_shop_name(text: &str) -> Result<String, Error> {
    parse_label("shop name", text, SHOP_NAME_MAX_CHARS)
}

/// A currency symbol as receipts print it before every amount: trimmed,
/// 1 to [`CURRENCY_SYMBOL_MAX_CHARS`] printable characters (each takes
/// room on paper: no control, invisible, combining or direction
/// character), none a digit, a space or one of `. , + - * :`.
pub fn parse_currency_symbol(text: &str) -> Result<String, Error> {
    let symbol = text.trim();
    let invalid = |reason| Error::CurrencySymbolInvalid {
        symbol: symbol.to_string(),
        reason,
    };
    if symbol.is_empty() {
        return Err(Error::Required {
            field: "currency symbol",
        });
    }
    if symbol.chars().count() > CURRENCY_SYMBOL_MAX_CHARS {
        return Err(invalid("at most 3 characters, like $, € or CHF"));
    }
    for c in symbol.chars() {
        if c.is_numeric() || c.is_whitespace() || CURRENCY_SYMBOL_FORBIDDEN.contains(&c) {
            return Err(invalid(
                "no digits, spaces or . , + - * : (they read as part of the amount)",
            ));
        }
        if is_terminal_control(c) || c.width().unwrap_or(0) == 0 {
            return Err(invalid(
                "only characters that print (no control or invisible ones)",
            ));
        }
    }
    Ok(symbol.to_string())
}

/// The settings in force: stored values, defaults for the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub shop_name: String,
    pub currency: Currency,
    /// Stored values that break today's rules (written by an older
    /// shopdesk, or by hand): set aside, their default in force instead.
    pub set_aside: Vec<SetAside>,
}

/// A stored value not used, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetAside {
    pub setting: Setting,
    pub stored: String,
    pub problem: Error,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            shop_name: Setting::ShopName.default_value().to_string(),
            currency: Currency::default(),
            set_aside: Vec::new(),
        }
    }
}

impl Settings {
    /// The settings in force given the stored `(key, value)` rows, each
    /// checked by [`Settings::load`]. A key from a newer shopdesk is kept
    /// in the database but unused here.
    pub fn from_stored(rows: impl IntoIterator<Item = (String, String)>) -> Settings {
        let mut settings = Settings::default();
        for (key, value) in rows {
            if let Ok(setting) = Setting::parse_key(&key) {
                settings.load(setting, value);
            }
        }
        settings
    }

    pub fn get(&self, setting: Setting) -> &str {
        match setting {
            Setting::ShopName => &self.shop_name,
            Setting::CurrencySymbol => self.currency.symbol(),
        }
    }

    /// Takes a value as stored, checked by today's rule: one that breaks
    /// it never reaches a receipt or a screen raw; it is set aside and the
    /// default kept.
    pub fn load(&mut self, setting: Setting, stored: String) {
        let loaded = match setting {
            Setting::ShopName => parse_shop_name(&stored).map(|name| self.shop_name = name),
            Setting::CurrencySymbol => {
                Currency::parse(&stored).map(|currency| self.currency = currency)
            }
        };
        if let Err(problem) = loaded {
            self.set_aside.push(SetAside {
                setting,
                stored,
                problem,
            });
        }
    }

    /// The stored value set aside for `setting`, if any.
    pub fn set_aside_for(&self, setting: Setting) -> Option<&SetAside> {
        self.set_aside.iter().find(|aside| aside.setting == setting)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_values_are_checked() {
        assert_eq!(Setting::parse_key("shop_name"), Ok(Setting::ShopName));
        assert!(matches!(
            Setting::parse_key("colour"),
            Err(Error::SettingUnknown(_))
        ));
        assert_eq!(
            Setting::CurrencySymbol.parse_value(" € "),
            Ok("€".to_string())
        );
        assert!(Setting::CurrencySymbol.parse_value("").is_err());
        assert!(Setting::CurrencySymbol.parse_value("EURO!").is_err());
        assert!(Setting::CurrencySymbol.parse_value("EURO").is_err());
        assert_eq!(
            Setting::parse_key("receipt_command"),
            Err(Error::SettingMovedToConfig("receipt_command"))
        );
        assert!(Setting::ShopName.parse_value(&"x".repeat(41)).is_err());
    }

    #[test]
    fn a_stored_value_that_breaks_a_rule_is_set_aside() {
        let mut settings = Settings::default();
        settings.load(Setting::CurrencySymbol, "\u{1b}[2J€€€€".to_string());
        settings.load(Setting::ShopName, "Corner Shop".to_string());
        assert_eq!(settings.currency, Currency::default());
        assert_eq!(settings.shop_name, "Corner Shop");
        let aside = settings.set_aside_for(Setting::CurrencySymbol).unwrap();
        assert_eq!(aside.stored, "\u{1b}[2J€€€€");
        assert!(settings.set_aside_for(Setting::ShopName).is_none());
    }

    #[test]
    fn currency_symbols_are_short_printable_and_never_part_of_a_number() {
        for good in ["$", "€", "CHF", "R$", "zł", "kr", "₹", "円", "US$"] {
            assert_eq!(parse_currency_symbol(good), Ok(good.to_string()), "{good}");
        }
        assert_eq!(parse_currency_symbol(" £ "), Ok("£".to_string()));
        for bad in [
            "\u{1b}[2J",
            "a\u{7}",
            "\u{9b}",
            "$\u{200b}",
            "\u{202e}$",
            "e\u{301}",
            "1$",
            "٣",
            "a b",
            "$.",
            ",",
            "+",
            "-",
            "*",
            ":",
            "EURO",
            "€€€€",
        ] {
            assert!(
                matches!(
                    parse_currency_symbol(bad),
                    Err(Error::CurrencySymbolInvalid { .. })
                ),
                "{bad:?} is refused"
            );
        }
        assert_eq!(
            parse_currency_symbol("  "),
            Err(Error::Required {
                field: "currency symbol"
            })
        );
    }
}
