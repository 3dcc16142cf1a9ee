//! Money as whole cents. Never a float: a shop's totals must add up exactly.

use std::fmt;

use serde::Serialize;

use super::Error;

/// An amount of money in cents. Arithmetic is checked: an overflow is an
/// error the caller must handle, never a wrapped or saturated total.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Cents(i64);

const CENTS_PER_UNIT: i64 = 100;
const CURRENCY_SYMBOL: &str = "$";

/// The largest amount anyone may type: $99,999,999.99. Keeping typed amounts
/// this far below `i64::MAX` leaves room for any order total to be computed.
pub const MAX_AMOUNT: Cents = Cents(9_999_999_999);

impl Cents {
    pub const ZERO: Cents = Cents(0);

    pub const fn new(cents: i64) -> Self {
        Cents(cents)
    }

    pub const fn get(self) -> i64 {
        self.0
    }

    /// Reads an amount as a clerk types it: `12`, `12.5`, `12.50`, `$12.50`,
    /// `.99`, with spaces around it. Refuses negatives, more than two
    /// decimals, separators, anything else and amounts above [`MAX_AMOUNT`].
    pub fn parse(text: &str) -> Result<Cents, Error> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(Error::AmountMissing);
        }
        let number = trimmed
            .strip_prefix(CURRENCY_SYMBOL)
            .map(str::trim_start)
            .unwrap_or(trimmed);
        if trimmed.starts_with('-') || number.starts_with('-') {
            return Err(Error::AmountNegative);
        }
        if number.contains(',') {
            return Err(Error::AmountWithComma);
        }
        let not_a_number = || Error::AmountNotANumber(trimmed.to_string());
        let (units, fraction) = number.split_once('.').unwrap_or((number, ""));
        let all_digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
        if (units.is_empty() && fraction.is_empty()) || !all_digits(units) || !all_digits(fraction)
        {
            return Err(not_a_number());
        }
        if fraction.len() > 2 {
            return Err(Error::AmountTooPrecise);
        }
        let too_large = Error::AmountTooLarge { max: MAX_AMOUNT };
        let units: i64 = match units.trim_start_matches('0') {
            "" => 0,
            digits if digits.len() > 11 => return Err(too_large),
            digits => digits.parse().map_err(|_| not_a_number())?,
        };
        let fraction_cents = match fraction.len() {
            0 => 0,
            1 => fraction.parse::<i64>().map_err(|_| not_a_number())? * 10,
            _ => fraction.parse::<i64>().map_err(|_| not_a_number())?,
        };
        let cents = units * CENTS_PER_UNIT + fraction_cents;
        if cents > MAX_AMOUNT.0 {
            return Err(too_large);
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

impl Cents {
    /// The amount with another currency symbol: `€12.50`.
    pub fn with_symbol(self, symbol: &str) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let magnitude = self.0.unsigned_abs();
        let per_unit = CENTS_PER_UNIT.unsigned_abs();
        format!(
            "{sign}{symbol}{}.{:02}",
            magnitude / per_unit,
            magnitude % per_unit
        )
    }
}

impl fmt::Display for Cents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.with_symbol(CURRENCY_SYMBOL))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_the_ways_clerks_type_amounts() {
        for (text, cents) in [
            ("12", 1200),
            ("12.5", 1250),
            ("12.50", 1250),
            ("$12.50", 1250),
            (" $ 12.05 ", 1205),
            ("0", 0),
            (".99", 99),
            ("12.", 1200),
            ("007.10", 710),
            ("99999999.99", 9_999_999_999),
        ] {
            assert_eq!(Cents::parse(text), Ok(Cents(cents)), "{text}");
        }
    }

    #[test]
    fn refuses_bad_amounts_with_a_specific_reason() {
        assert_eq!(Cents::parse(""), Err(Error::AmountMissing));
        assert_eq!(Cents::parse("  "), Err(Error::AmountMissing));
        assert_eq!(Cents::parse("-1"), Err(Error::AmountNegative));
        assert_eq!(Cents::parse("$-1.00"), Err(Error::AmountNegative));
        assert_eq!(Cents::parse("-$1.00"), Err(Error::AmountNegative));
        assert_eq!(Cents::parse("1.234"), Err(Error::AmountTooPrecise));
        assert_eq!(Cents::parse("1,234.00"), Err(Error::AmountWithComma));
        assert_eq!(Cents::parse("12,50"), Err(Error::AmountWithComma));
        for garbage in [
            "abc", "1.2.3", "12$", "1e5", "$", ".", "1 000", "０", "+5", "NaN",
        ] {
            assert!(
                matches!(Cents::parse(garbage), Err(Error::AmountNotANumber(_))),
                "{garbage}: {:?}",
                Cents::parse(garbage)
            );
        }
        let too_large = Err(Error::AmountTooLarge { max: MAX_AMOUNT });
        assert_eq!(Cents::parse("100000000"), too_large);
        assert_eq!(Cents::parse("99999999999999999999999999"), too_large);
    }

    #[test]
    fn formats_with_symbol_and_two_decimals() {
        assert_eq!(Cents(1250).to_string(), "$12.50");
        assert_eq!(Cents(5).to_string(), "$0.05");
        assert_eq!(Cents(0).to_string(), "$0.00");
        assert_eq!(Cents(-199).to_string(), "-$1.99");
        assert_eq!(format!("{:>8}", Cents(100)), "   $1.00");
        assert_eq!(Cents(-1250).with_symbol("€"), "-€12.50");
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

    proptest! {
        #[test]
        fn display_then_parse_round_trips(cents in 0..=MAX_AMOUNT.0) {
            prop_assert_eq!(Cents::parse(&Cents(cents).to_string()), Ok(Cents(cents)));
        }

        #[test]
        fn parse_never_panics_and_never_goes_negative(text in "\\PC{0,24}") {
            if let Ok(cents) = Cents::parse(&text) {
                prop_assert!(cents >= Cents::ZERO && cents <= MAX_AMOUNT);
            }
        }

        /// Amounts written every way the rules allow (symbol, spaces,
        /// leading zeros, no/one/two decimals) read as their value.
        #[test]
        fn every_written_form_of_an_amount_reads_as_its_value(
            cents in 0..=MAX_AMOUNT.0,
            decimals in 0usize..=2,
            zeros in "0{0,3}",
            symbol in prop_oneof![Just(""), Just("$"), Just("$ ")],
            pad in " {0,2}",
        ) {
            let (units, fraction) = (cents / CENTS_PER_UNIT, cents % CENTS_PER_UNIT);
            // Fewer decimals can only write amounts whose cents they hold.
            let (written, value) = match decimals {
                0 => (format!("{units}"), units * CENTS_PER_UNIT),
                1 => (format!("{units}.{}", fraction / 10), units * CENTS_PER_UNIT + fraction / 10 * 10),
                _ => (format!("{units}.{fraction:02}"), cents),
            };
            let text = format!("{pad}{symbol}{zeros}{written}{pad}");
            prop_assert_eq!(Cents::parse(&text), Ok(Cents(value)), "{:?}", text);
        }

        /// Near misses of valid amounts are refused with their own reason.
        #[test]
        fn near_misses_of_an_amount_are_refused_with_their_reason(
            units in 0i64..=99_999_999,
            fraction in 0i64..100,
            extra in 0i64..10,
        ) {
            prop_assert_eq!(Cents::parse(&format!("-{units}.{fraction:02}")), Err(Error::AmountNegative));
            prop_assert_eq!(Cents::parse(&format!("{units}.{fraction:02}{extra}")), Err(Error::AmountTooPrecise));
            prop_assert_eq!(Cents::parse(&format!("{units},{fraction:02}")), Err(Error::AmountWithComma));
            let above = MAX_AMOUNT.0 + 1 + units;
            let above = format!("{}.{:02}", above / CENTS_PER_UNIT, above % CENTS_PER_UNIT);
            prop_assert_eq!(Cents::parse(&above), Err(Error::AmountTooLarge { max: MAX_AMOUNT }));
            let letter = format!("{units}.{fraction:02}a");
            prop_assert_eq!(Cents::parse(&letter), Err(Error::AmountNotANumber(letter.clone())));
        }
    }
}
