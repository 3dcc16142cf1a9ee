//! The HTTP status of each class of error: the one place the web API will
//! map an [`ErrorClass`] (issue 15 builds the server on this table; its
//! error response reads the status here).

use crate::domain::ErrorClass;

/// The HTTP status answering an error of `class`.
pub fn status_for(class: ErrorClass) -> u16 {
    match class {
        // Unprocessable Content: well-formed, but a rule refuses it.
        ErrorClass::Invalid => 422,
        ErrorClass::NotFound => 404,
        ErrorClass::Conflict => 409,
        // Service Unavailable: nothing was written, try again.
        ErrorClass::Unavailable => 503,
        // The server's database is damaged or cannot be used: not the
        // client's doing, and not cured by trying again.
        ErrorClass::Damaged | ErrorClass::Refused => 500,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_class_has_its_status() {
        assert_eq!(status_for(ErrorClass::Invalid), 422);
        assert_eq!(status_for(ErrorClass::NotFound), 404);
        assert_eq!(status_for(ErrorClass::Conflict), 409);
        assert_eq!(status_for(ErrorClass::Unavailable), 503);
        assert_eq!(status_for(ErrorClass::Damaged), 500);
        assert_eq!(status_for(ErrorClass::Refused), 500);
    }
}
