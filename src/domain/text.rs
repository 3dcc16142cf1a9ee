//! Validated text fields shared by customers and products.

use super::Error;

/// The longest name a customer or product may have, in characters.
pub const MAX_NAME_CHARS: usize = 100;
/// The longest product details text, in characters.
pub const MAX_DETAILS_CHARS: usize = 2000;
/// The longest order or status note, in characters.
pub const MAX_NOTE_CHARS: usize = 500;

/// A name as stored: trimmed, 1 to [`MAX_NAME_CHARS`] characters. Any other
/// character is kept as typed (display code makes control characters safe).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name(String);

impl Name {
    /// `field` names the field in the error ("name", "product name").
    pub fn parse(field: &'static str, text: &str) -> Result<Name, Error> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(Error::Required { field });
        }
        check_length(field, trimmed, MAX_NAME_CHARS)?;
        Ok(Name(trimmed.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Free text such as product details or a note: kept as typed, but bounded.
pub fn parse_free_text(field: &'static str, text: &str, max: usize) -> Result<String, Error> {
    let trimmed = text.trim();
    check_length(field, trimmed, max)?;
    Ok(trimmed.to_string())
}

fn check_length(field: &'static str, text: &str, max: usize) -> Result<(), Error> {
    let length = text.chars().count();
    if length > max {
        return Err(Error::TooLong { field, length, max });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(
            Name::parse("name", "  Ann Lee ").unwrap().as_str(),
            "Ann Lee"
        );
        assert_eq!(
            Name::parse("name", " \t "),
            Err(Error::Required { field: "name" })
        );
        assert_eq!(
            Name::parse("name", &"é".repeat(100)).map(|name| name.as_str().chars().count()),
            Ok(100)
        );
        assert_eq!(
            Name::parse("name", &"é".repeat(101)),
            Err(Error::TooLong {
                field: "name",
                length: 101,
                max: 100
            })
        );
    }

    #[test]
    fn free_text_may_be_empty_but_not_too_long() {
        assert_eq!(parse_free_text("details", "  ", 5), Ok(String::new()));
        assert_eq!(
            parse_free_text("details", "123456", 5),
            Err(Error::TooLong {
                field: "details",
                length: 6,
                max: 5
            })
        );
    }
}
