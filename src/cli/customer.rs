//! `shopdesk customer …`

use anyhow::{Result, anyhow, bail};
use chrono::Utc;
use clap::Subcommand;

use super::field;
use super::output::{Align, Output, Table};
use crate::display::{local_time, quote, safe_text};
use crate::domain::customer::{
    Contact, Customer, CustomerChanges, Email, NewCustomer, Phone, SharedPhone,
};
use crate::domain::text::Name;
use crate::store::{self, Shop};

#[derive(Debug, Subcommand)]
pub enum CustomerCommand {
    /// Register a new customer: a name, and an email or a phone number, or both
    Add {
        #[arg(long)]
        name: String,
        /// Unique, ignoring case
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        phone: Option<String>,
        /// Register the phone number even though another customer has it
        #[arg(long)]
        shared_phone: bool,
    },
    /// List customers by name, or those matching a search
    List {
        /// Part of a name, email or phone number (any case, any punctuation)
        #[arg(long, value_name = "TEXT")]
        search: Option<String>,
        #[arg(long, value_name = "N", default_value_t = 50, value_parser = super::parse_limit, allow_negative_numbers = true)]
        limit: usize,
    },
    /// Show one customer
    Show { id: i64 },
    /// Change a customer's name, email or phone (--email "" or --phone ""
    /// removes it, as long as the other is left)
    Edit {
        id: i64,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        phone: Option<String>,
        /// Give the phone number even though another customer has it
        #[arg(long)]
        shared_phone: bool,
    },
}

pub fn run(command: CustomerCommand, store: &mut dyn Shop, out: &mut Output) -> Result<()> {
    match command {
        CustomerCommand::Add {
            name,
            email,
            phone,
            shared_phone,
        } => {
            let name = field("--name", Name::parse("name", &name))?;
            let email = field(
                "--email",
                Email::parse_optional(email.as_deref().unwrap_or("")),
            )?;
            let phone = field(
                "--phone",
                Phone::parse_optional(phone.as_deref().unwrap_or("")),
            )?;
            let new = NewCustomer {
                name,
                contact: field("--email or --phone", Contact::new(email, phone))?,
            };
            let customer = store
                .add_customer(&new, sharing(shared_phone), Utc::now())
                .map_err(explain_shared_phone)?;
            out.record(&customer, |c| {
                format!("Registered customer {}: {}", c.id, summary(c))
            })
        }
        CustomerCommand::List { search, limit } => {
            let search = search.unwrap_or_default();
            let customers = store.search_customers(&search, limit)?;
            list(out, &customers, &search)
        }
        CustomerCommand::Show { id } => {
            let customer = store.customer(id)?;
            out.record(&customer, |c| format!("Customer {}: {}", c.id, summary(c)))
        }
        CustomerCommand::Edit {
            id,
            name,
            email,
            phone,
            shared_phone,
        } => {
            let changes = CustomerChanges {
                name: name
                    .map(|n| field("--name", Name::parse("name", &n)))
                    .transpose()?,
                email: email
                    .map(|e| field("--email", Email::parse_optional(&e)))
                    .transpose()?,
                phone: phone
                    .map(|p| field("--phone", Phone::parse_optional(&p)))
                    .transpose()?,
            };
            if changes.is_empty() {
                bail!("nothing to change: give --name, --email or --phone");
            }
            let customer = store
                .edit_customer(id, &changes, sharing(shared_phone))
                .map_err(|error| match error {
                    store::Error::Rule(rule @ crate::domain::Error::ContactMissing) => {
                        anyhow!(
                            "customer {id} would have neither an email nor a phone number: {rule}"
                        )
                    }
                    error => explain_shared_phone(error),
                })?;
            out.record(&customer, |c| {
                format!("Updated customer {}: {}", c.id, summary(c))
            })
        }
    }
}

/// `--shared-phone`: whether a phone number another customer has may be
/// given anyway.
fn sharing(shared_phone: bool) -> SharedPhone {
    if shared_phone {
        SharedPhone::Allow
    } else {
        SharedPhone::Refuse
    }
}

/// A phone number another customer has is refused here (the app asks
/// instead): the message says how to register it anyway.
fn explain_shared_phone(error: store::Error) -> anyhow::Error {
    match error {
        store::Error::Rule(rule @ crate::domain::Error::PhoneTaken { .. }) => {
            anyhow!("{rule}; add --shared-phone to register the number anyway")
        }
        error => error.into(),
    }
}

/// `Ann Lee <ann@example.com>, phone 555-0102, since 2026-11-25 17:29`
/// (`Ann Lee, phone 555-0102, since …` without an email).
fn summary(customer: &Customer) -> String {
    let phone = match &customer.phone {
        Some(phone) => format!(", phone {}", safe_text(phone)),
        None => String::new(),
    };
    // The Walk-in customer's note in place of an email is not an address.
    let email = match &customer.email {
        Some(email) => format!(" <{}>", safe_text(email)),
        None if customer.is_walk_in() => format!(" {}", customer.email_label()),
        None => String::new(),
    };
    format!(
        "{}{email}{phone}, since {}",
        safe_text(&customer.name),
        local_time(customer.created_at)
    )
}

fn list(out: &mut Output, customers: &[Customer], search: &str) -> Result<()> {
    for customer in customers {
        out.json_record(customer)?;
    }
    if customers.is_empty() {
        return match search.trim() {
            "" => out.line("No customers yet. Register one with: shopdesk customer add --name NAME --email EMAIL (or --phone PHONE, or both)"),
            text => out.line(format_args!("No customer matches “{}”.", quote(text))),
        };
    }
    let mut table = Table::new(&[
        ("ID", Align::Right),
        ("NAME", Align::Left),
        ("EMAIL", Align::Left),
        ("PHONE", Align::Left),
        ("SINCE", Align::Left),
    ]);
    for customer in customers {
        table.row(vec![
            customer.id.to_string(),
            customer.name.clone(),
            customer.email_label().to_string(),
            customer.phone.clone().unwrap_or_default(),
            local_time(customer.created_at),
        ]);
    }
    out.table(&table)
}
