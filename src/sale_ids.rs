//! Fresh sale ids, for the edges that send sales (the command line, the
//! terminal app): the domain says what a sale id is ([`SaleId`]) but
//! cannot make one, as it does no I/O and a random number is input.

use crate::domain::Error;
use crate::domain::order::SaleId;

/// A sale id no client has made before: a random UUID (version 4, 122
/// random bits), so that counters and scripts that never speak to each
/// other never make the same one.
pub fn new_sale_id() -> Result<SaleId, Error> {
    SaleId::parse(
        uuid::Uuid::new_v4()
            .hyphenated()
            .encode_lower(&mut uuid::Uuid::encode_buffer()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_sale_id_is_a_new_uuid() {
        let first = new_sale_id().unwrap();
        let second = new_sale_id().unwrap();
        assert_ne!(first, second);
        let uuid = uuid::Uuid::parse_str(first.as_str()).unwrap();
        assert_eq!(uuid.get_version_num(), 4);
        assert_eq!(first.as_str(), uuid.hyphenated().to_string());
    }
}
