//! The shop's settings, with their defaults and rules.

use super::Error;
use super::text::parse_free_text;

/// The settings a shop can change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    /// Printed at the top of receipts.
    ShopName,
    /// Run with a receipt on its standard input to print it; empty: receipts
    /// are written to files in the data folder.
    ReceiptCommand,
    /// Shown before amounts on receipts.
    CurrencySymbol,
}

impl Setting {
    pub const ALL: [Setting; 3] = [
        Setting::ShopName,
        Setting::ReceiptCommand,
        Setting::CurrencySymbol,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Setting::ShopName => "shop_name",
            Setting::ReceiptCommand => "receipt_command",
            Setting::CurrencySymbol => "currency_symbol",
        }
    }

    pub fn default_value(self) -> &'static str {
        match self {
            Setting::ShopName => "shopdesk",
            Setting::ReceiptCommand => "",
            Setting::CurrencySymbol => "$",
        }
    }

    pub fn names() -> String {
        Setting::ALL.map(Setting::key).join(", ")
    }

    pub fn parse_key(key: &str) -> Result<Setting, Error> {
        let key = key.trim();
        Setting::ALL
            .into_iter()
            .find(|setting| setting.key() == key)
            .ok_or_else(|| Error::SettingUnknown(key.to_string()))
    }

    /// Checks a new value: a shop name of 1-40 characters (a receipt line),
    /// a currency symbol of 1-4, a command of up to 500 (empty: files).
    pub fn parse_value(self, value: &str) -> Result<String, Error> {
        let (field, min, max) = match self {
            Setting::ShopName => ("shop name", 1, 40),
            Setting::CurrencySymbol => ("currency symbol", 1, 4),
            Setting::ReceiptCommand => ("receipt command", 0, 500),
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
    pub receipt_command: String,
    pub currency_symbol: String,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            shop_name: Setting::ShopName.default_value().to_string(),
            receipt_command: Setting::ReceiptCommand.default_value().to_string(),
            currency_symbol: Setting::CurrencySymbol.default_value().to_string(),
        }
    }
}

impl Settings {
    pub fn get(&self, setting: Setting) -> &str {
        match setting {
            Setting::ShopName => &self.shop_name,
            Setting::ReceiptCommand => &self.receipt_command,
            Setting::CurrencySymbol => &self.currency_symbol,
        }
    }

    pub fn set(&mut self, setting: Setting, value: String) {
        match setting {
            Setting::ShopName => self.shop_name = value,
            Setting::ReceiptCommand => self.receipt_command = value,
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
        assert_eq!(Setting::ReceiptCommand.parse_value(""), Ok(String::new()));
        assert!(Setting::ShopName.parse_value(&"x".repeat(41)).is_err());
    }
}
