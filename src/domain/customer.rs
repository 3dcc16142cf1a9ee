//! Customers: who they are and how to reach them.

use chrono::{DateTime, Utc};
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use super::Error;
use super::text::{Name, is_invisible};

const MAX_EMAIL_CHARS: usize = 254;
const MAX_PHONE_CHARS: usize = 32;
const MIN_PHONE_DIGITS: usize = 3;
const MAX_PHONE_DIGITS: usize = 20;
/// Besides digits, what people write in phone numbers: `+1 (555) 010-2030`,
/// `555.0102`, `0171/55501`, and `x12` for an extension.
const PHONE_PUNCTUATION: &[char] = &[' ', '+', '-', '(', ')', '.', '/', 'x', 'X'];

/// The built-in customer that counter sales go to when the buyer gives no
/// name. It has no email and cannot be edited.
pub const WALK_IN_ID: i64 = 0;

/// A registered customer. Every one can be reached by email, by phone or
/// both ([`Contact`]), but the Walk-in customer, which has neither.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Customer {
    pub id: i64,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    #[serde(serialize_with = "super::timestamp::serialize")]
    pub created_at: DateTime<Utc>,
}

/// A customer about to be registered, every field already valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCustomer {
    pub name: Name,
    pub contact: Contact,
}

/// Changes to a customer; `None` leaves a field as it is. `email:
/// Some(None)` removes the email, `phone: Some(None)` the phone number;
/// the store refuses a change that would leave neither ([`require_contact`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerChanges {
    pub name: Option<Name>,
    pub email: Option<Option<Email>>,
    pub phone: Option<Option<Phone>>,
}

/// How to reach a customer: an email, a phone number, or both; never
/// neither (only the built-in Walk-in customer has neither, and it is
/// never registered).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    email: Option<Email>,
    phone: Option<Phone>,
}

impl Contact {
    /// Refuses neither an email nor a phone with [`Error::ContactMissing`].
    pub fn new(email: Option<Email>, phone: Option<Phone>) -> Result<Contact, Error> {
        require_contact(email.is_some(), phone.is_some())?;
        Ok(Contact { email, phone })
    }

    pub fn email(&self) -> Option<&Email> {
        self.email.as_ref()
    }

    pub fn phone(&self) -> Option<&Phone> {
        self.phone.as_ref()
    }
}

/// The rule for every customer but the Walk-in, decided here once for the
/// command line, the app's forms and the store (which applies it to a
/// customer as an edit would leave it): a way to reach them, by email, by
/// phone or both. Otherwise [`Error::ContactMissing`].
pub fn require_contact(has_email: bool, has_phone: bool) -> Result<(), Error> {
    if has_email || has_phone {
        Ok(())
    } else {
        Err(Error::ContactMissing)
    }
}

/// Whether a phone number another customer already has may be registered
/// (compared by its digits). A household may share one, but more often
/// it is the same person registered twice: so it is refused with
/// [`Error::PhoneTaken`] unless the clerk said to go ahead.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SharedPhone {
    #[default]
    Refuse,
    Allow,
}

impl Customer {
    pub fn is_walk_in(&self) -> bool {
        self.id == WALK_IN_ID
    }

    /// The email, or what to show in its place: a note for the Walk-in
    /// customer, nothing for a customer reached by phone alone.
    pub fn email_label(&self) -> &str {
        match &self.email {
            Some(email) => email,
            None if self.is_walk_in() => "(built-in, no email)",
            None => "",
        }
    }

    /// How to reach the customer, in one short text: the email, else the
    /// phone number (see [`Customer::email_label`] for the Walk-in).
    pub fn contact_label(&self) -> &str {
        match (&self.email, &self.phone) {
            (None, Some(phone)) => phone,
            _ => self.email_label(),
        }
    }
}

impl CustomerChanges {
    pub fn is_empty(&self) -> bool {
        self.name.is_none() && self.email.is_none() && self.phone.is_none()
    }
}

/// A practical email check: one `@` with something before it, a domain with a
/// dot inside it, no spaces, no invisible or direction characters (see
/// [`is_invisible`]). Stored trimmed and as typed; uniqueness compares
/// [`Email::key`], which ignores case and how accents are written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(text: &str) -> Result<Email, Error> {
        let email = text.trim();
        let invalid = |reason| Error::EmailInvalid {
            email: email.to_string(),
            reason,
        };
        if email.is_empty() {
            return Err(Error::Required { field: "email" });
        }
        if email.chars().any(char::is_whitespace) {
            return Err(invalid("it contains a space"));
        }
        if email.chars().any(char::is_control) {
            return Err(invalid("it contains a control character"));
        }
        // Zero-width and direction characters make two emails that look
        // the same different, or turn the address around on screen.
        if let Some(character) = email.chars().find(|&c| is_invisible(c)) {
            return Err(Error::EmailHiddenCharacter {
                email: email.to_string(),
                character,
            });
        }
        if email.chars().count() > MAX_EMAIL_CHARS {
            return Err(invalid("it is longer than 254 characters"));
        }
        let Some((local, domain)) = email.split_once('@') else {
            return Err(invalid("it has no @"));
        };
        if domain.contains('@') {
            return Err(invalid("it has more than one @"));
        }
        if local.is_empty() {
            return Err(invalid("nothing comes before the @"));
        }
        let labels: Vec<&str> = domain.split('.').collect();
        if labels.len() < 2 || labels.iter().any(|label| label.is_empty()) {
            return Err(invalid(
                "the part after the @ must be a domain like example.com",
            ));
        }
        Ok(Email(email.to_string()))
    }

    /// An empty text means "no email".
    pub fn parse_optional(text: &str) -> Result<Option<Email>, Error> {
        if text.trim().is_empty() {
            Ok(None)
        } else {
            Email::parse(text).map(Some)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What uniqueness compares: see [`email_key`].
    pub fn key(&self) -> String {
        email_key(&self.0)
    }
}

/// The email as compared: Unicode NFC (an accent typed as one code point
/// or as a letter and a combining mark is the same), then a full case fold
/// (`Ü` is `ü`, `ß` is `ss`, `Σ` and `ς` are `σ`), then NFC again, because
/// folding can undo the composition. Equal keys are the same address to
/// the shop; the store keeps the key under a binary unique index, so every
/// database compares it the same way. Letters with and without an accent
/// stay different (`josé` is not `jose`).
pub fn email_key(text: &str) -> String {
    let composed: String = text.trim().nfc().collect();
    caseless::default_case_fold_str(&composed).nfc().collect()
}

/// A phone number kept exactly as typed (trimmed), searchable by its digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    /// An empty text means "no phone number".
    pub fn parse_optional(text: &str) -> Result<Option<Phone>, Error> {
        let phone = text.trim();
        if phone.is_empty() {
            return Ok(None);
        }
        let invalid = |reason| Error::PhoneInvalid {
            phone: phone.to_string(),
            reason,
        };
        if phone.chars().count() > MAX_PHONE_CHARS {
            return Err(invalid("it is longer than 32 characters"));
        }
        if !phone
            .chars()
            .all(|c| c.is_ascii_digit() || PHONE_PUNCTUATION.contains(&c))
        {
            return Err(invalid(
                "use digits, spaces and + - ( ) . / only (x for an extension)",
            ));
        }
        let digit_count = phone_digits(phone).len();
        if !(MIN_PHONE_DIGITS..=MAX_PHONE_DIGITS).contains(&digit_count) {
            return Err(invalid("it must have between 3 and 20 digits"));
        }
        Ok(Some(Phone(phone.to_string())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The digits alone, which is what a phone search compares.
    pub fn digits(&self) -> String {
        phone_digits(&self.0)
    }
}

/// The ASCII digits of any text, in order: `+1 (555) 010-2030` → `15550102030`.
pub fn phone_digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// The digits to look for among phone numbers when someone searches for
/// `text`: only when it could be (part of) a phone number, so that `4b`
/// does not find every phone with a 4 in it.
pub fn phone_search_digits(text: &str) -> Option<String> {
    let text = text.trim();
    let phone_like = text
        .chars()
        .all(|c| c.is_ascii_digit() || PHONE_PUNCTUATION.contains(&c));
    let digits = phone_digits(text);
    (phone_like && !digits.is_empty()).then_some(digits)
}

/// The rules of editing a customer that need no other row, decided before
/// anything is written: the built-in Walk-in customer cannot be edited,
/// and the customer as the edit leaves them must still be reachable
/// ([`require_contact`]).
pub fn check_edit(current: &Customer, changes: &CustomerChanges) -> Result<(), Error> {
    if current.is_walk_in() {
        return Err(Error::WalkInNotEditable);
    }
    let has_email = changes
        .email
        .as_ref()
        .map_or(current.email.is_some(), Option::is_some);
    let has_phone = changes
        .phone
        .as_ref()
        .map_or(current.phone.is_some(), Option::is_some);
    require_contact(has_email, has_phone)
}

/// Who has a phone number already: what [`Error::PhoneTaken`] names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneHolder {
    pub id: i64,
    pub name: String,
    /// Their number as they gave it.
    pub phone: String,
}

/// The phone-taken question, decided once for every store: a number another
/// customer has (compared by its digits) is refused with
/// [`Error::PhoneTaken`] naming the first of them, unless `shared` allows
/// it or it is the number `current` (the customer being edited; `None` for
/// a new one) already has. `holder` reads the first customer but
/// `current` whose number has the given digits; it is asked only when the
/// answer matters.
pub fn check_phone_free<E: From<Error>>(
    phone: &Phone,
    current: Option<&Customer>,
    shared: SharedPhone,
    holder: impl FnOnce(&str, Option<i64>) -> Result<Option<PhoneHolder>, E>,
) -> Result<(), E> {
    let digits = phone.digits();
    let kept = current
        .is_some_and(|customer| digits == phone_digits(customer.phone.as_deref().unwrap_or("")));
    if shared == SharedPhone::Allow || kept {
        return Ok(());
    }
    match holder(&digits, current.map(|customer| customer.id))? {
        Some(holder) => Err(Error::PhoneTaken {
            phone: holder.phone,
            customer: holder.id,
            name: holder.name,
        }
        .into()),
        None => Ok(()),
    }
}

/// The key under which `email` is unique ([`Email::key`]: ignoring case
/// and how accents are written), unless a customer other than `current`
/// already has the address: then [`Error::EmailTaken`] naming the first of
/// them. `holders` reads the customers whose email has the key, lowest
/// id first.
pub fn claim_email<E: From<Error>>(
    email: &Email,
    current: Option<i64>,
    holders: impl FnOnce(&str) -> Result<Vec<i64>, E>,
) -> Result<String, E> {
    let key = email.key();
    match holders(&key)?
        .into_iter()
        .find(|&holder| Some(holder) != current)
    {
        Some(customer) => Err(Error::EmailTaken {
            email: email.as_str().to_string(),
            customer,
        }
        .into()),
        None => Ok(key),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_practical_emails() {
        for email in [
            "ann@example.com",
            "a.b+shop@mail.example.co.uk",
            "Ünal@exämple.de",
        ] {
            assert_eq!(Email::parse(email).unwrap().as_str(), email);
        }
        assert_eq!(
            Email::parse("  ann@example.com ").unwrap().as_str(),
            "ann@example.com"
        );
    }

    #[test]
    fn refuses_emails_with_the_reason() {
        let reason = |text: &str| match Email::parse(text) {
            Err(Error::EmailInvalid { reason, .. }) => reason,
            other => panic!("{text}: {other:?}"),
        };
        assert_eq!(reason("ann.example.com"), "it has no @");
        assert_eq!(reason("ann@@example.com"), "it has more than one @");
        assert_eq!(reason("a@b@example.com"), "it has more than one @");
        assert_eq!(reason("@example.com"), "nothing comes before the @");
        assert_eq!(reason("ann lee@example.com"), "it contains a space");
        for no_domain in [
            "ann@example",
            "ann@example.",
            "ann@.com",
            "ann@",
            "ann@a..b",
        ] {
            assert!(reason(no_domain).contains("domain"), "{no_domain}");
        }
        assert_eq!(Email::parse(""), Err(Error::Required { field: "email" }));
    }

    #[test]
    fn refuses_invisible_and_direction_characters_in_emails() {
        for (email, hidden) in [
            ("ann\u{200b}@example.com", '\u{200b}'),
            ("\u{202e}moc.elpmaxe@nna", '\u{202e}'),
            ("ann@exa\u{200e}mple.com", '\u{200e}'),
            ("\u{feff}ann@example.com", '\u{feff}'),
            ("ann@example.com\u{2069}", '\u{2069}'),
            ("an\u{ad}n@example.com", '\u{ad}'),
            ("ann\u{3164}@example.com", '\u{3164}'),
        ] {
            assert_eq!(
                Email::parse(email),
                Err(Error::EmailHiddenCharacter {
                    email: email.to_string(),
                    character: hidden
                }),
                "{email:?}"
            );
        }
        assert!(Email::parse("jose\u{301}@example.org").is_ok());
    }

    #[test]
    fn email_keys_ignore_case_and_how_accents_are_written() {
        let key = |text: &str| Email::parse(text).unwrap().key();
        for (a, b) in [
            ("Ünal@x.de", "ünal@x.de"),
            ("straße@x.de", "STRASSE@x.de"),
            ("jos\u{e9}@x.de", "jose\u{301}@x.de"),
            ("ΣΊΣΥΦΟΣ@x.gr", "σίσυφος@x.gr"),
            ("Ann@Example.COM", "ann@example.com"),
        ] {
            assert_eq!(key(a), key(b), "{a} / {b}");
        }
        for (a, b) in [
            ("josé@x.de", "jose@x.de"),
            ("strase@x.de", "straße@x.de"),
            ("ann@x.de", "anne@x.de"),
        ] {
            assert_ne!(key(a), key(b), "{a} / {b}");
        }
        assert_eq!(key("Ünal@X.de"), "\u{fc}nal@x.de", "stored composed");
    }

    #[test]
    fn phones_are_kept_as_typed_and_searchable_by_digits() {
        let phone = Phone::parse_optional(" +1 (555) 010-2030 ")
            .unwrap()
            .unwrap();
        assert_eq!(phone.as_str(), "+1 (555) 010-2030");
        assert_eq!(phone.digits(), "15550102030");
        assert_eq!(Phone::parse_optional("   "), Ok(None));
        assert!(matches!(
            Phone::parse_optional("call me"),
            Err(Error::PhoneInvalid { .. })
        ));
        assert!(matches!(
            Phone::parse_optional("12"),
            Err(Error::PhoneInvalid { .. })
        ));
        assert_eq!(
            Phone::parse_optional("555-0102 x12").map(|p| p.map(|p| p.digits())),
            Ok(Some("555010212".into()))
        );
    }

    #[test]
    fn a_customer_is_reached_by_email_by_phone_or_both_never_neither() {
        let email = || Email::parse_optional("ann@example.com").unwrap();
        let phone = || Phone::parse_optional("555-0102").unwrap();
        for (email, phone) in [(email(), None), (None, phone()), (email(), phone())] {
            let contact = Contact::new(email.clone(), phone.clone()).unwrap();
            assert_eq!(
                (contact.email(), contact.phone()),
                (email.as_ref(), phone.as_ref())
            );
        }
        assert_eq!(Contact::new(None, None), Err(Error::ContactMissing));
        assert_eq!(
            Error::ContactMissing.to_string(),
            "give an email or a phone number, or both"
        );
        // An empty field is "none", as for phones; anything else must parse.
        assert_eq!(Email::parse_optional("  "), Ok(None));
        assert!(matches!(
            Email::parse_optional("ann"),
            Err(Error::EmailInvalid { .. })
        ));
    }

    /// Every pairing of what may be typed into the email and phone fields
    /// (nothing, a valid value, a bad one): a contact is made exactly when
    /// both parse and at least one holds something, and keeps them as parsed.
    #[test]
    fn a_contact_needs_an_email_or_a_phone_whatever_is_typed() {
        for email in ["", "  ", "ann@example.com", "ann", "a@b"] {
            for phone in ["", " ", "555-0102", "12", "call me"] {
                let (e, p) = (Email::parse_optional(email), Phone::parse_optional(phone));
                let (Ok(e), Ok(p)) = (e, p) else {
                    // A field that does not parse is refused as that field,
                    // before the rule is asked.
                    continue;
                };
                let made = Contact::new(e.clone(), p.clone());
                if e.is_none() && p.is_none() {
                    assert_eq!(made, Err(Error::ContactMissing), "{email:?} {phone:?}");
                } else {
                    let contact = made.unwrap();
                    assert_eq!((contact.email(), contact.phone()), (e.as_ref(), p.as_ref()));
                }
            }
        }
    }

    #[test]
    fn a_customer_without_an_email_is_labelled_by_phone() {
        let customer = |id, email: Option<&str>, phone: Option<&str>| Customer {
            id,
            name: "Ann Lee".into(),
            email: email.map(str::to_string),
            phone: phone.map(str::to_string),
            created_at: DateTime::<Utc>::UNIX_EPOCH,
        };
        let by_phone = customer(3, None, Some("555-0102"));
        assert_eq!(
            (by_phone.email_label(), by_phone.contact_label()),
            ("", "555-0102")
        );
        let both = customer(4, Some("ann@example.com"), Some("555-0102"));
        assert_eq!(both.contact_label(), "ann@example.com");
        let walk_in = customer(WALK_IN_ID, None, None);
        assert_eq!(walk_in.contact_label(), "(built-in, no email)");
    }

    #[test]
    fn only_phone_like_searches_look_at_phone_digits() {
        assert_eq!(phone_search_digits(" (555) 01 "), Some("55501".into()));
        assert_eq!(phone_search_digits("4b"), None);
        assert_eq!(phone_search_digits("ann"), None);
        assert_eq!(phone_search_digits("+-"), None);
    }

    /// Valid emails whose local part mixes ASCII with letters whose case
    /// or composition differs from ASCII's: sharp s, umlauts, accents,
    /// Greek sigma, the dotted capital I, a titlecase digraph, a ligature.
    /// (Not the dotless ı: its capital is I, whose fold is i, so in
    /// Unicode's default folding `ı` and `I` are different letters.)
    fn mixed_script_email() -> impl Strategy<Value = String> {
        let letter = prop::sample::select(vec![
            "a", "Z", "ß", "ẞ", "ü", "Ü", "é", "É", "σ", "ς", "Σ", "İ", "ǅ", "ﬁ", ".",
        ]);
        (
            prop::collection::vec(letter, 1..12),
            "[a-z]{1,8}\\.[a-z]{2,4}",
        )
            .prop_map(|(local, domain)| format!("x{}@{domain}", local.concat()))
    }

    proptest! {
        #[test]
        fn an_email_in_other_case_or_decomposed_has_the_same_key(email in mixed_script_email()) {
            let parsed = Email::parse(&email).unwrap();
            let key = parsed.key();
            for variant in [
                email.to_uppercase(),
                email.to_lowercase(),
                email.nfd().collect::<String>(),
                email.to_uppercase().nfd().collect::<String>(),
            ] {
                prop_assert_eq!(&Email::parse(&variant).unwrap().key(), &key, "{}", variant);
            }
            prop_assert!(key.nfc().eq(key.chars()), "keys are stored composed");
        }

        #[test]
        fn email_parse_never_panics_and_keeps_its_promises(text in "\\PC{0,40}") {
            if let Ok(email) = Email::parse(&text) {
                let email = email.as_str();
                prop_assert_eq!(email.matches('@').count(), 1);
                prop_assert!(!email.chars().any(char::is_whitespace));
                let domain = email.split_once('@').unwrap().1;
                prop_assert!(domain.contains('.'));
            }
        }

        #[test]
        fn phone_parse_never_panics(text in "\\PC{0,40}") {
            if let Ok(Some(phone)) = Phone::parse_optional(&text) {
                prop_assert!(phone.digits().len() >= MIN_PHONE_DIGITS);
            }
        }

        /// Addresses of the usual shape are accepted and kept as typed
        /// (trimmed).
        #[test]
        fn valid_emails_are_kept_as_typed(
            local in "[A-Za-z0-9._%+-]{1,24}",
            domain in "[a-z0-9-]{1,12}(\\.[a-z]{2,6}){1,2}",
            pad in " {0,2}",
        ) {
            let typed = format!("{local}@{domain}");
            let email = Email::parse(&format!("{pad}{typed}{pad}"));
            prop_assert_eq!(email.as_ref().map(Email::as_str), Ok(typed.as_str()));
        }

        /// One change away from a valid address, each is refused as not
        /// an email, never accepted.
        #[test]
        fn near_misses_of_an_email_are_refused(
            local in "[a-z0-9]{1,12}",
            name in "[a-z0-9]{1,12}",
            tld in "[a-z]{2,6}",
            at in any::<prop::sample::Index>(),
        ) {
            let typed = format!("{local}@{name}.{tld}");
            let space_at = 1 + at.index(typed.len() - 1);
            let misses = [
                format!("{local}{name}.{tld}"),
                format!("{local}@@{name}.{tld}"),
                format!("{local}@{name}@{name}.{tld}"),
                format!("@{name}.{tld}"),
                format!("{local}@{name}{tld}"),
                format!("{local}@{name}.{tld}."),
                format!("{local}@.{name}.{tld}"),
                format!("{local}@{name}..{tld}"),
                format!("{}\t{}", &typed[..space_at], &typed[space_at..]),
                format!("{}\u{7}{}", &typed[..space_at], &typed[space_at..]),
            ];
            for miss in misses {
                let refused = Email::parse(&miss);
                prop_assert!(
                    matches!(refused, Err(Error::EmailInvalid { .. })),
                    "{:?} gave {:?}", miss, refused
                );
            }
        }

        /// Numbers of 3 to 20 digits with the punctuation people write are
        /// kept as typed and searched by their digits.
        #[test]
        fn valid_phones_are_kept_with_their_digits(
            parts in prop::collection::vec(("[0-9]{1,4}", prop::sample::select(PHONE_PUNCTUATION)), 1..6),
            last in "[0-9]{3}",
        ) {
            let typed: String = parts
                .iter()
                .flat_map(|(digits, mark)| [digits.clone(), mark.to_string()])
                .chain([last.clone()])
                .collect();
            let digits: String = typed.chars().filter(char::is_ascii_digit).collect();
            prop_assume!(digits.len() <= MAX_PHONE_DIGITS && typed.chars().count() <= MAX_PHONE_CHARS);
            let phone = Phone::parse_optional(&typed);
            prop_assert_eq!(phone.as_ref().map(|p| p.as_ref().map(Phone::as_str)), Ok(Some(typed.as_str())));
            prop_assert_eq!(phone.unwrap().unwrap().digits(), digits);
        }

        /// Too few or too many digits, or a letter, is refused.
        #[test]
        fn near_misses_of_a_phone_are_refused(
            short in "[0-9]{1,2}",
            long in "[0-9]{21,24}",
            digits in "[0-9]{3,10}",
            letter in "[a-wyzA-WYZ]",
        ) {
            for miss in [short, long, format!("{digits}{letter}")] {
                let refused = Phone::parse_optional(&miss);
                prop_assert!(
                    matches!(refused, Err(Error::PhoneInvalid { .. })),
                    "{:?} gave {:?}", miss, refused
                );
            }
        }
    }

    fn customer(id: i64, email: Option<&str>, phone: Option<&str>) -> Customer {
        Customer {
            id,
            name: format!("Customer {id}"),
            email: email.map(str::to_string),
            phone: phone.map(str::to_string),
            created_at: DateTime::<Utc>::UNIX_EPOCH,
        }
    }

    fn phone(text: &str) -> Phone {
        Phone::parse_optional(text).unwrap().unwrap()
    }

    #[test]
    fn walk_in_is_never_edited_and_an_edit_leaves_a_way_to_reach() {
        let walk_in = customer(WALK_IN_ID, None, None);
        let rename = CustomerChanges {
            name: Some(Name::parse("name", "Someone").unwrap()),
            ..CustomerChanges::default()
        };
        assert_eq!(check_edit(&walk_in, &rename), Err(Error::WalkInNotEditable));
        let ann = customer(1, Some("ann@example.com"), None);
        let no_email = CustomerChanges {
            email: Some(None),
            ..CustomerChanges::default()
        };
        assert_eq!(check_edit(&ann, &no_email), Err(Error::ContactMissing));
        let email_for_phone = CustomerChanges {
            email: Some(None),
            phone: Some(Some(phone("555-0102"))),
            ..CustomerChanges::default()
        };
        assert_eq!(check_edit(&ann, &email_for_phone), Ok(()));
    }

    #[test]
    fn a_phone_number_someone_else_has_is_asked_about_unless_kept_or_allowed() {
        let holder = |_: &str, _: Option<i64>| {
            Ok::<_, Error>(Some(PhoneHolder {
                id: 2,
                name: "Dana".into(),
                phone: "(555) 01-02".into(),
            }))
        };
        let never = |_: &str, _: Option<i64>| -> Result<Option<PhoneHolder>, Error> {
            panic!("asked who has a number that needs no asking")
        };
        let number = phone("555-0102");
        assert_eq!(
            check_phone_free(&number, None, SharedPhone::Refuse, holder),
            Err(Error::PhoneTaken {
                phone: "(555) 01-02".into(),
                customer: 2,
                name: "Dana".into()
            })
        );
        assert_eq!(
            check_phone_free(&number, None, SharedPhone::Allow, never),
            Ok(())
        );
        let keeps = customer(1, None, Some("555 0102"));
        let refuse = SharedPhone::Refuse;
        assert_eq!(
            check_phone_free(&number, Some(&keeps), refuse, never),
            Ok(())
        );
        let asked = |digits: &str, except: Option<i64>| {
            assert_eq!((digits, except), ("5550102", Some(1)));
            Ok::<_, Error>(None)
        };
        let other = customer(1, None, Some("555-9999"));
        assert_eq!(
            check_phone_free(&number, Some(&other), refuse, asked),
            Ok(())
        );
    }

    #[test]
    fn an_email_is_claimed_by_its_key_unless_another_customer_holds_it() {
        let email = Email::parse("Ünal@X.de").unwrap();
        let held_by = |holders: Vec<i64>| {
            move |key: &str| {
                assert_eq!(key, email_key("ünal@x.de"));
                Ok::<_, Error>(holders.clone())
            }
        };
        assert_eq!(claim_email(&email, None, held_by(vec![])), Ok(email.key()));
        assert_eq!(
            claim_email(&email, Some(3), held_by(vec![3])),
            Ok(email.key())
        );
        assert_eq!(
            claim_email(&email, Some(3), held_by(vec![3, 5])),
            Err(Error::EmailTaken {
                email: "Ünal@X.de".into(),
                customer: 5
            })
        );
    }
}
