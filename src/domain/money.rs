//! Money as whole cents. Never a float: a shop's totals must add up exactly.

use std::fmt;

use serde::Serialize;

use super::Error;
use super::settings::{DEFAULT_CURRENCY_SYMBOL, parse_currency_symbol};

/// An amount of money in cents. Arithmetic is checked: an overflow is an
/// error the caller must handle, never a wrapped or saturated total.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Cents(i64);

const CENTS_PER_UNIT: i64 = 100;

/// The largest amount anyone may type: 99999999.99. Keeping typed amounts
/// this far below `i64::MAX` leaves room for any order total to be computed.
pub const MAX_AMOUNT: Cents = Cents(9_999_999_999);

/// The marks that may stand between units and cents: half the world writes
/// a decimal comma, the other half a dot.
const DECIMAL_MARKS: [char; 2] = ['.', ','];

/// Digits after a decimal mark that read as a thousands group (`1.000`).
const THOUSANDS_GROUP_DIGITS: usize = 3;

impl Cents {
    pub const ZERO: Cents = Cents(0);

    pub const fn new(cents: i64) -> Self {
        Cents(cents)
    }

    pub const fn get(self) -> i64 {
        self.0
    }

    /// Reads an amount as a clerk types it in a shop of `currency`: digits
    /// with at most one `.` or `,` before one or two cents digits (`12`,
    /// `12.5`, `12,50`, `.99`), optionally after the shop's own symbol
    /// (`€12.50`), with spaces around. Refuses negatives, more than two
    /// decimals, thousands separators (`1.000`, `1,000.50`), another
    /// currency's symbol, anything else and amounts above [`MAX_AMOUNT`].
    pub fn parse(text: &str, currency: &Currency) -> Result<Cents, Error> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(Error::AmountMissing);
        }
        let number = currency
            .strip_from(trimmed)
            .map(str::trim_start)
            .unwrap_or(trimmed);
        if trimmed.starts_with('-') || number.starts_with('-') {
            return Err(Error::AmountNegative);
        }
        if let Some(other) = other_currency_symbol(number) {
            return Err(Error::AmountOtherCurrency {
                typed: trimmed.to_string(),
                symbol: other.to_string(),
                currency: currency.clone(),
            });
        }
        let not_a_number = || Error::AmountNotANumber(trimmed.to_string());
        if !number
            .chars()
            .all(|c| c.is_ascii_digit() || DECIMAL_MARKS.contains(&c))
        {
            return Err(not_a_number());
        }
        let mut parts = number.split(DECIMAL_MARKS);
        let units = parts.next().unwrap_or_default();
        let fraction = parts.next().unwrap_or_default();
        let grouped = parts.next().is_some()
            || (!units.is_empty() && fraction.len() == THOUSANDS_GROUP_DIGITS);
        if grouped {
            return Err(Error::AmountGrouped(trimmed.to_string()));
        }
        if units.is_empty() && fraction.is_empty() {
            return Err(not_a_number());
        }
        if fraction.len() > 2 {
            return Err(Error::AmountTooPrecise);
        }
        let too_large = || Error::AmountTooLarge {
            max: currency.amount(MAX_AMOUNT),
        };
        let units: i64 = match units.trim_start_matches('0') {
            "" => 0,
            digits if digits.len() > 11 => return Err(too_large()),
            digits => digits.parse().map_err(|_| not_a_number())?,
        };
        let fraction_cents = match fraction.len() {
            0 => 0,
            1 => fraction.parse::<i64>().map_err(|_| not_a_number())? * 10,
            _ => fraction.parse::<i64>().map_err(|_| not_a_number())?,
        };
        let cents = units * CENTS_PER_UNIT + fraction_cents;
        if cents > MAX_AMOUNT.0 {
            return Err(too_large());
        }
        Ok(Cents(cents))
    }

    pub fn checked_add(self, other: Cents) -> Result<Cents, Error> {
        self.0
            .checked_add(other.0)
            .map(Cents)
            .ok_or(Error::TotalOverflow)
    }

    pub fn checked_sub(self, other: Cents) -> Result<Cents, Error> {
        self.0
            .checked_sub(other.0)
            .map(Cents)
            .ok_or(Error::TotalOverflow)
    }

    pub fn checked_mul(self, factor: i64) -> Result<Cents, Error> {
        self.0
            .checked_mul(factor)
            .map(Cents)
            .ok_or(Error::TotalOverflow)
    }

    /// `percent`% of this amount, rounded to the nearest cent with halves
    /// rounded away from zero (so 10% of $0.05 is $0.01).
    pub fn percent_rounded(self, percent: i64) -> Cents {
        let scaled = i128::from(self.0) * i128::from(percent);
        let half = i128::from(CENTS_PER_UNIT) / 2;
        let rounded = if scaled >= 0 {
            (scaled + half) / i128::from(CENTS_PER_UNIT)
        } else {
            (scaled - half) / i128::from(CENTS_PER_UNIT)
        };
        // |percent| <= 100 keeps the result within the original amount's range.
        Cents(rounded as i64)
    }
}

/// What a typed amount starts with when that is a currency symbol (by the
/// rule for the shop's own) followed by a number: another shop's symbol,
/// like `$` in a shop of `€`, which must not be read as this shop's money.
fn other_currency_symbol(number: &str) -> Option<&str> {
    let starts_number = |c: char| c.is_ascii_digit() || DECIMAL_MARKS.contains(&c);
    let end = number.find(|c: char| starts_number(c) || c.is_whitespace())?;
    let (symbol, rest) = number.split_at(end);
    let rest = rest.trim_start();
    let is_symbol = !symbol.is_empty() && parse_currency_symbol(symbol).is_ok();
    (is_symbol && rest.starts_with(starts_number)).then_some(symbol)
}

/// The shop's currency, by its symbol (a shop setting, checked by
/// [`parse_currency_symbol`]): how every amount is shown, on every screen,
/// receipt and command output, and the only symbol a typed amount may have.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Currency(String);

impl Default for Currency {
    fn default() -> Currency {
        Currency(DEFAULT_CURRENCY_SYMBOL.to_string())
    }
}

impl Currency {
    /// The currency of `symbol`, refused as [`parse_currency_symbol`] says.
    pub fn parse(symbol: &str) -> Result<Currency, Error> {
        parse_currency_symbol(symbol).map(Currency)
    }

    pub fn symbol(&self) -> &str {
        &self.0
    }

    /// `cents` as shown everywhere: the symbol before the number, two
    /// decimals after a dot, a minus sign before both (`-€1.99`). A symbol
    /// ending in a letter (`CHF`, `kr`) is set apart by a space, as it would
    /// read as one word with the digits (`CHF 12.50`; `€12.50`, `R$12.50`).
    pub fn format(&self, cents: Cents) -> String {
        let sign = if cents.0 < 0 { "-" } else { "" };
        let magnitude = cents.0.unsigned_abs();
        let per_unit = CENTS_PER_UNIT.unsigned_abs();
        let symbol = &self.0;
        let space = if symbol.ends_with(char::is_alphabetic) {
            " "
        } else {
            ""
        };
        format!(
            "{sign}{symbol}{space}{}.{:02}",
            magnitude / per_unit,
            magnitude % per_unit
        )
    }

    /// `cents` in this currency, to be shown (in a message, a table cell).
    pub fn amount(&self, cents: Cents) -> Money {
        Money {
            cents,
            currency: self.clone(),
        }
    }

    /// `text` after this currency's symbol, if it starts with it; letters
    /// match in either case (`chf 2.50` in a `CHF` shop).
    fn strip_from<'t>(&self, text: &'t str) -> Option<&'t str> {
        let length = self.0.chars().count();
        let end = text
            .char_indices()
            .nth(length)
            .map_or(text.len(), |(index, _)| index);
        let (head, rest) = text.split_at(end);
        (head.to_lowercase() == self.0.to_lowercase()).then_some(rest)
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An amount with the currency it is shown in; `Display` is
/// [`Currency::format`] (width and alignment apply to the whole).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Money {
    pub cents: Cents,
    pub currency: Currency,
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.currency.format(self.cents))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn dollars() -> Currency {
        Currency::default()
    }

    fn euros() -> Currency {
        Currency::parse("€").unwrap()
    }

    fn francs() -> Currency {
        Currency::parse("CHF").unwrap()
    }

    fn parse(text: &str) -> Result<Cents, Error> {
        Cents::parse(text, &dollars())
    }

    #[test]
    fn parses_the_ways_clerks_type_amounts() {
        for (text, cents) in [
            ("12", 1200),
            ("12.5", 1250),
            ("12.50", 1250),
            ("12,5", 1250),
            ("12,50", 1250),
            ("$12.50", 1250),
            ("$12,50", 1250),
            (" $ 12.05 ", 1205),
            ("0", 0),
            (".99", 99),
            (",99", 99),
            ("12.", 1200),
            ("007.10", 710),
            ("99999999.99", 9_999_999_999),
            ("99999999,99", 9_999_999_999),
        ] {
            assert_eq!(parse(text), Ok(Cents(cents)), "{text}");
        }
    }

    #[test]
    fn reads_the_shops_own_symbol_only() {
        assert_eq!(Cents::parse("€2,50", &euros()), Ok(Cents(250)));
        assert_eq!(Cents::parse(" € 2.50 ", &euros()), Ok(Cents(250)));
        assert_eq!(Cents::parse("CHF 2.50", &francs()), Ok(Cents(250)));
        assert_eq!(Cents::parse("chf2,50", &francs()), Ok(Cents(250)));
        for (typed, symbol, currency) in [
            ("$2.50", "$", euros()),
            ("$ 2,50", "$", euros()),
            ("€2.50", "€", dollars()),
            ("EUR 2.50", "EUR", francs()),
            ("US$2.50", "US$", dollars()),
        ] {
            assert_eq!(
                Cents::parse(typed, &currency),
                Err(Error::AmountOtherCurrency {
                    typed: typed.to_string(),
                    symbol: symbol.to_string(),
                    currency: currency.clone(),
                }),
                "{typed} in a {currency} shop"
            );
        }
        let refused = Cents::parse("$2.50", &euros()).unwrap_err().to_string();
        assert_eq!(
            refused,
            "“$2.50” is in another currency: this shop's is €, like €12.50 or 12.50"
        );
    }

    #[test]
    fn refuses_thousands_separators_whichever_the_mark() {
        for grouped in [
            "1,000",
            "1.000",
            "1.000,50",
            "1,000.50",
            "1,000,000",
            "1.2.3",
            "$1,000",
        ] {
            assert_eq!(
                parse(grouped),
                Err(Error::AmountGrouped(grouped.to_string())),
                "{grouped}"
            );
        }
        assert!(
            parse("1,000.50")
                .unwrap_err()
                .to_string()
                .ends_with("write 1000.50 or 1000,50")
        );
    }

    #[test]
    fn refuses_bad_amounts_with_a_specific_reason() {
        assert_eq!(parse(""), Err(Error::AmountMissing));
        assert_eq!(parse("  "), Err(Error::AmountMissing));
        assert_eq!(parse("-1"), Err(Error::AmountNegative));
        assert_eq!(parse("$-1.00"), Err(Error::AmountNegative));
        assert_eq!(parse("-$1.00"), Err(Error::AmountNegative));
        assert_eq!(parse("1.2345"), Err(Error::AmountTooPrecise));
        assert_eq!(parse(".999"), Err(Error::AmountTooPrecise));
        for garbage in [
            "abc", "12$", "1e5", "$", ".", ",", "1 000", "０", "+5", "NaN", "12€",
        ] {
            assert!(
                matches!(parse(garbage), Err(Error::AmountNotANumber(_))),
                "{garbage}: {:?}",
                parse(garbage)
            );
        }
        let too_large = Err(Error::AmountTooLarge {
            max: dollars().amount(MAX_AMOUNT),
        });
        assert_eq!(parse("100000000"), too_large);
        assert_eq!(parse("99999999999999999999999999"), too_large);
        assert_eq!(
            Cents::parse("100000000", &euros()).unwrap_err().to_string(),
            "the amount is too large (at most €99999999.99)"
        );
    }

    #[test]
    fn formats_with_the_shops_symbol_and_two_decimals() {
        assert_eq!(dollars().format(Cents(1250)), "$12.50");
        assert_eq!(dollars().format(Cents(5)), "$0.05");
        assert_eq!(dollars().format(Cents(0)), "$0.00");
        assert_eq!(dollars().format(Cents(-199)), "-$1.99");
        assert_eq!(euros().format(Cents(-1250)), "-€12.50");
        assert_eq!(format!("{:>8}", euros().amount(Cents(100))), "   €1.00");
        // Letters are set apart from the digits; signs are not.
        assert_eq!(francs().format(Cents(1250)), "CHF 12.50");
        assert_eq!(francs().format(Cents(-5)), "-CHF 0.05");
        assert_eq!(Currency::parse("R$").unwrap().format(Cents(100)), "R$1.00");
        assert_eq!(Currency::parse("kr").unwrap().format(Cents(100)), "kr 1.00");
    }

    #[test]
    fn percent_rounds_half_away_from_zero() {
        assert_eq!(Cents(5).percent_rounded(10), Cents(1));
        assert_eq!(Cents(4).percent_rounded(10), Cents(0));
        assert_eq!(Cents(15).percent_rounded(10), Cents(2));
        assert_eq!(Cents(-15).percent_rounded(10), Cents(-2));
        assert_eq!(Cents(12345).percent_rounded(10), Cents(1235));
    }

    #[test]
    fn arithmetic_overflow_is_an_error() {
        assert_eq!(
            Cents(i64::MAX).checked_add(Cents(1)),
            Err(Error::TotalOverflow)
        );
        assert_eq!(Cents(i64::MAX).checked_mul(2), Err(Error::TotalOverflow));
    }

    /// Symbols a shop may choose: signs, letters, mixed.
    fn any_currency() -> impl Strategy<Value = Currency> {
        prop_oneof![
            Just("$"),
            Just("€"),
            Just("£"),
            Just("CHF"),
            Just("kr"),
            Just("R$"),
            Just("zł"),
            Just("円"),
        ]
        .prop_map(|symbol| Currency::parse(symbol).unwrap())
    }

    /// A decimal mark as clerks write it.
    fn any_mark() -> impl Strategy<Value = char> {
        prop_oneof![Just('.'), Just(',')]
    }

    proptest! {
        #[test]
        fn format_then_parse_round_trips(cents in 0..=MAX_AMOUNT.0, currency in any_currency()) {
            prop_assert_eq!(Cents::parse(&currency.format(Cents(cents)), &currency), Ok(Cents(cents)));
        }

        #[test]
        fn parse_never_panics_and_never_goes_negative(text in "\\PC{0,24}", currency in any_currency()) {
            if let Ok(cents) = Cents::parse(&text, &currency) {
                prop_assert!(cents >= Cents::ZERO && cents <= MAX_AMOUNT);
            }
        }

        /// Amounts written every way the rules allow (the shop's symbol or
        /// none, spaces, leading zeros, no/one/two decimals after a dot or
        /// a comma) read as their value.
        #[test]
        fn every_written_form_of_an_amount_reads_as_its_value(
            cents in 0..=MAX_AMOUNT.0,
            decimals in 0usize..=2,
            mark in any_mark(),
            zeros in "0{0,3}",
            currency in any_currency(),
            with_symbol in any::<bool>(),
            gap in " {0,1}",
            pad in " {0,2}",
        ) {
            let (units, fraction) = (cents / CENTS_PER_UNIT, cents % CENTS_PER_UNIT);
            // Fewer decimals can only write amounts whose cents they hold.
            let (written, value) = match decimals {
                0 => (format!("{units}"), units * CENTS_PER_UNIT),
                1 => (format!("{units}{mark}{}", fraction / 10), units * CENTS_PER_UNIT + fraction / 10 * 10),
                _ => (format!("{units}{mark}{fraction:02}"), cents),
            };
            let symbol = if with_symbol { format!("{currency}{gap}") } else { String::new() };
            let text = format!("{pad}{symbol}{zeros}{written}{pad}");
            prop_assert_eq!(Cents::parse(&text, &currency), Ok(Cents(value)), "{:?}", text);
        }

        /// Near misses of valid amounts are refused with their own reason.
        #[test]
        fn near_misses_of_an_amount_are_refused_with_their_reason(
            units in 0i64..=99_999_999,
            fraction in 0i64..100,
            extra in 0i64..10,
            mark in any_mark(),
            currency in any_currency(),
        ) {
            let refused = |text: &str| Cents::parse(text, &currency);
            prop_assert_eq!(refused(&format!("-{units}{mark}{fraction:02}")), Err(Error::AmountNegative));
            prop_assert_eq!(refused(&format!("{units}{mark}{fraction:02}{extra}0")), Err(Error::AmountTooPrecise));
            let above = MAX_AMOUNT.0 + 1 + units;
            let above = format!("{}{mark}{:02}", above / CENTS_PER_UNIT, above % CENTS_PER_UNIT);
            prop_assert_eq!(refused(&above), Err(Error::AmountTooLarge { max: currency.amount(MAX_AMOUNT) }));
            let letter = format!("{units}{mark}{fraction:02}a");
            prop_assert_eq!(refused(&letter), Err(Error::AmountNotANumber(letter.clone())));
        }

        /// Thousands written with either mark, alone or before cents with
        /// the other mark (or the same), are refused: `1.000` could be one
        /// or a thousand.
        #[test]
        fn grouped_thousands_are_refused_with_both_ways_to_write_them(
            thousands in 1i64..=99_999,
            group in 0i64..1000,
            fraction in 0i64..100,
            first in any_mark(),
            second in any_mark(),
            with_cents in any::<bool>(),
            currency in any_currency(),
        ) {
            let cents = if with_cents { format!("{second}{fraction:02}") } else { String::new() };
            let text = format!("{thousands}{first}{group:03}{cents}");
            let refused = Cents::parse(&text, &currency);
            prop_assert_eq!(&refused, &Err(Error::AmountGrouped(text.clone())));
            prop_assert!(refused.unwrap_err().to_string().ends_with("write 1000.50 or 1000,50"));
        }

        /// Another currency's symbol is never read as this shop's money.
        #[test]
        fn another_currencys_symbol_is_refused(
            shop in any_currency(),
            other in any_currency(),
            units in 0i64..=99_999_999,
            fraction in 0i64..100,
            mark in any_mark(),
        ) {
            prop_assume!(shop.symbol().to_lowercase() != other.symbol().to_lowercase());
            // A symbol that begins with the shop's reads as the shop's
            // symbol and a bad number: another property's business.
            prop_assume!(!other.symbol().starts_with(shop.symbol()));
            let typed = format!("{other}{units}{mark}{fraction:02}");
            let is_other_currency = matches!(
                Cents::parse(&typed, &shop),
                Err(Error::AmountOtherCurrency { .. })
            );
            prop_assert!(is_other_currency, "{} in a {} shop", typed, shop);
        }
    }
}
