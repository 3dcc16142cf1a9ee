//! The command line's exit codes: what a script reads to tell a refusal
//! from a failure worth retrying. The one place where an error's class
//! ([`ErrorClass`]) becomes a code; `main.rs` exits with it (the app too,
//! when it cannot start or stops on an error).

use crate::demo::DemoError;
use crate::domain::{self, ErrorClass};
use crate::store;

/// Refused, or failed, with nothing written: the one line on standard
/// error says why.
pub const REFUSED: u8 = 1;
/// The command itself was wrong (an unknown option, a missing argument):
/// clap's usage message.
pub const USAGE: u8 = 2;
/// A temporary failure: the database was busy or could not be reached,
/// and nothing was written; try again (sysexits' `EX_TEMPFAIL`).
pub const TEMPORARY: u8 = 75;

/// The exit code for an error of `class` (`None`: an error of the command
/// line's own, such as nothing to change).
pub fn code_for(class: Option<ErrorClass>) -> u8 {
    match class {
        Some(ErrorClass::Unavailable) => TEMPORARY,
        Some(
            ErrorClass::Invalid
            | ErrorClass::NotFound
            | ErrorClass::Conflict
            | ErrorClass::Damaged
            | ErrorClass::Refused,
        )
        | None => REFUSED,
    }
}

/// The class of the first error in `error`'s chain that has one: a store,
/// domain or demo error, however much context was added around it.
pub fn class_of(error: &anyhow::Error) -> Option<ErrorClass> {
    error.chain().find_map(|cause| {
        if let Some(error) = cause.downcast_ref::<store::Error>() {
            Some(error.class())
        } else if let Some(error) = cause.downcast_ref::<domain::Error>() {
            Some(error.class())
        } else {
            cause.downcast_ref::<DemoError>().map(DemoError::class)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn only_a_busy_or_unreachable_database_is_temporary() {
        assert_eq!(code_for(Some(ErrorClass::Unavailable)), 75);
        for refused in [
            ErrorClass::Invalid,
            ErrorClass::NotFound,
            ErrorClass::Conflict,
            ErrorClass::Damaged,
            ErrorClass::Refused,
        ] {
            assert_eq!(code_for(Some(refused)), 1, "{refused:?}");
        }
        assert_eq!(code_for(None), 1, "the command line's own refusals");
    }

    #[test]
    fn the_class_is_found_under_any_context() {
        let busy = anyhow::Error::from(store::Error::Busy).context("reading orders");
        assert_eq!(class_of(&busy), Some(ErrorClass::Unavailable));
        let rule: anyhow::Result<()> = Err(domain::Error::OrderEmpty).context("ITEM");
        assert_eq!(class_of(&rule.unwrap_err()), Some(ErrorClass::Invalid));
        let demo = anyhow::Error::from(DemoError::Store(store::Error::Busy));
        assert_eq!(class_of(&demo), Some(ErrorClass::Unavailable));
        assert_eq!(class_of(&anyhow::anyhow!("nothing to change")), None);
    }
}
