//! The shop's settings, with their defaults and rules. They are kept in
//! the shop's database and shared by every counter; what belongs to one
//! machine (its print command) is in its configuration file instead
//! (`super::config`).

use super::Error;
use super::config::ConfigKey;
use super::text::parse_free_text;

/// The settings a shop can change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    /// Printed at the top of receipts.
    ShopName,
    /// Shown before amounts on receipts.
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
            Setting::CurrencySymbol => "$",
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
    /// a currency symbol of 1-4.
    pub fn parse_value(self, value: &str) -> Result<String, Error> {
        let (field, min, max) = match self {
            Setting::ShopName => ("shop name", 1, 40),
            Setting::CurrencySymbol => ("currency symbol", 1, 4),
        };
        let value = parse_free_text(field, value, max)?;
        if value.chars().count() < min {
            return Err(Error::Required { field });
        }
        Ok(value)
    }
}

/// The settings in force: stored values, defaults for the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub shop_name: String,
    pub currency_symbol: String,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            shop_name: Setting::ShopName.default_value().to_string(),
            currency_symbol: Setting::CurrencySymbol.default_value().to_string(),
        }
    }
}

impl Settings {
    pub fn get(&self, setting: Setting) -> &str {
        match setting {
            Setting::ShopName => &self.shop_name,
            Setting::CurrencySymbol => &self.currency_symbol,
        }
    }

    pub fn set(&mut self, setting: Setting, value: String) {
        match setting {
            Setting::ShopName => self.shop_name = value,
            Setting::CurrencySymbol => self.currency_symbol = value,
        }
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
        assert_eq!(
            Setting::parse_key("receipt_command"),
            Err(Error::SettingMovedToConfig("receipt_command"))
        );
        assert!(Setting::ShopName.parse_value(&"x".repeat(41)).is_err());
    }
}
