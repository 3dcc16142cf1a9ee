//! What `check` holds each customer to, whatever the backend: emails and
//! their keys, and how the customer is reached.

use super::{CheckReport, ProblemKind};
use crate::domain::customer::{Email, WALK_IN_ID, email_key, require_contact};

/// Every email follows the rules for emails, every stored key is its
/// email's, and every customer without one shares their email, ignoring
/// case and accents, with another customer (registered before v4, see
/// `customers.email_key` in schema.sql): each such group is named, so that
/// all but one can be given another email. The unique index keeps the
/// stored keys apart, so only customers without a key (a handful) are held
/// in memory.
#[derive(Default)]
pub struct EmailKeys {
    /// The key of each customer who keeps none, and the customer's id.
    keyless: Vec<(String, i64)>,
}

impl EmailKeys {
    /// Checks one customer with an email, and its stored key.
    pub fn take(&mut self, report: &mut CheckReport, id: i64, email: &str, stored: Option<&str>) {
        // A row from before a rule (or changed by hand) may break it: an
        // email with a zero-width or direction character, say.
        if let Err(broken) = Email::parse(email) {
            report.found(ProblemKind::Email, format!("customer {id}: {broken}"));
        }
        let key = email_key(email);
        match stored {
            None => self.keyless.push((key, id)),
            Some(stored) if stored != key => report.found(
                ProblemKind::Email,
                format!("customer {id}: its email key is not the key of its email"),
            ),
            Some(_) => {}
        }
    }

    /// Names each group of customers with the same email key, once every
    /// customer is in: `holders` reads the ids of the customers whose
    /// stored key is the one given.
    pub fn finish<E>(
        mut self,
        report: &mut CheckReport,
        mut holders: impl FnMut(&str) -> Result<Vec<i64>, E>,
    ) -> Result<(), E> {
        // Sorted by key, then id: each key's customers come together.
        self.keyless.sort();
        let mut groups = Vec::new();
        for group in self.keyless.chunk_by(|a, b| a.0 == b.0) {
            let key = &group[0].0;
            let mut ids = holders(key)?;
            ids.extend(group.iter().map(|(_, id)| *id));
            let message = match ids.as_slice() {
                [only] => format!("customer {only} has no email key; edit its email to set one"),
                [rest @ .., last] => format!(
                    "customers {} and {last} have the same email ignoring case and accents",
                    rest.iter()
                        .map(i64::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                [] => continue,
            };
            groups.push((ids[0], message));
        }
        // Named in the order the customers were registered.
        groups.sort();
        for (_, message) in groups {
            report.found(ProblemKind::Email, message);
        }
        Ok(())
    }
}

/// Every customer but the Walk-in has an email or a phone number, or both
/// (the rule is the domain's), and the Walk-in has neither.
pub fn check_contact(report: &mut CheckReport, id: i64, has_email: bool, has_phone: bool) {
    if id == WALK_IN_ID {
        if has_email || has_phone {
            report.found(
                ProblemKind::Contact,
                format!(
                    "customer {id}, the built-in Walk-in, has an email or a phone number; it must have neither"
                ),
            );
        }
    } else if require_contact(has_email, has_phone).is_err() {
        report.found(
            ProblemKind::Contact,
            format!("customer {id} has neither an email nor a phone number"),
        );
    }
}
