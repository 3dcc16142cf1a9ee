//! F2 Customers: search as you type, register, edit, open a history.

use ratatui::crossterm::event::KeyEvent;

use super::action::{Action, Command};
use super::effect::Effect;
use super::form::{FieldId, Form, FormKind};
use super::state::{AppState, Popup, Screen};
use super::update::open;
use crate::domain::customer::{
    Contact, Customer, CustomerChanges, Email, NewCustomer, Phone, SharedPhone, phone_search_digits,
};
use crate::domain::text::Name;

pub fn command(state: &mut AppState, command: Command) -> Vec<Effect> {
    let visible = state.list_rows();
    let screen = &mut state.customers;
    if let Some(query) = screen.common_command(command, visible) {
        return query.map(Effect::LoadCustomers).into_iter().collect();
    }
    match command {
        Command::New => {
            state.popup = Some(Popup::Form(customer_form(FormKind::NewCustomer, None)));
        }
        Command::Edit => match screen.list.selected_row() {
            Some(customer) if customer.is_walk_in() => {
                state.warn(crate::domain::Error::WalkInNotEditable.to_string());
            }
            Some(customer) => {
                let form = customer_form(FormKind::EditCustomer(customer.id), Some(customer));
                state.popup = Some(Popup::Form(form));
            }
            None => {}
        },
        Command::Select => {
            if let Some(customer) = screen.list.selected_row().cloned() {
                state.history.customer = Some(customer);
                state.history.status = None;
                // Another customer's orders: read from the top.
                state.history.list.clear();
                return open(state, Screen::History);
            }
        }
        Command::NewOrderForCustomer => {
            if let Some(customer) = screen.list.selected_row().cloned() {
                super::order_entry::choose_customer(state, customer);
                return open(state, Screen::OrderEntry);
            }
        }
        _ => {}
    }
    Vec::new()
}

pub fn edit(state: &mut AppState, key: KeyEvent) -> Vec<Effect> {
    if state.customers.search.edit(key) {
        reload(state)
    } else {
        Vec::new()
    }
}

/// Reads the first page for what the search field holds.
pub fn reload(state: &mut AppState) -> Vec<Effect> {
    vec![Effect::LoadCustomers(state.customers.first_page())]
}

pub fn result(state: &mut AppState, action: Action) -> Vec<Effect> {
    match action {
        Action::CustomersLoaded { generation, page } => {
            let visible = state.list_rows();
            let more = state.customers.receive(generation, page, visible);
            more.map(Effect::LoadCustomers).into_iter().collect()
        }
        Action::SaveCustomerSharingPhone => match &mut state.popup {
            Some(Popup::Form(form)) if form.kind.is_customer() => {
                form.clear_errors();
                submit(form, SharedPhone::Allow).into_iter().collect()
            }
            _ => Vec::new(),
        },
        Action::CustomerSaved(customer) => {
            let at_counter = matches!(
                &state.popup,
                Some(Popup::Form(form)) if form.kind == FormKind::CounterCustomer
            );
            state.popup = None;
            if at_counter {
                state.inform(format!(
                    "Customer {} registered: {}. The sale is theirs.",
                    customer.id, customer.name
                ));
                super::order_entry::choose_customer(state, customer);
                return Vec::new();
            }
            state.inform(format!("Customer {} saved: {}", customer.id, customer.name));
            state.screen = Screen::Customers;
            vec![Effect::LoadCustomers(
                state.customers.show_all_at(customer.id),
            )]
        }
        _ => Vec::new(),
    }
}

/// The labels of a customer's ways to be reached: each is optional as long
/// as the other is given.
pub const EMAIL_LABEL: &str = "Email (optional with a phone)";
pub const PHONE_LABEL: &str = "Phone (optional with an email)";

fn customer_form(kind: FormKind, customer: Option<&Customer>) -> Form {
    let title = match customer {
        Some(customer) => format!("Edit customer {}", customer.id),
        None => "New customer".to_string(),
    };
    let (name, email, phone) = customer.map_or(("", "", ""), |c| {
        (
            c.name.as_str(),
            c.email.as_deref().unwrap_or(""),
            c.phone.as_deref().unwrap_or(""),
        )
    });
    Form::new(
        kind,
        title,
        &[
            (FieldId::Name, "Name", name),
            (FieldId::Email, EMAIL_LABEL, email),
            (FieldId::Phone, PHONE_LABEL, phone),
        ],
    )
}

/// The counter's short registration form: name, phone, and an optional
/// email, with what was typed into the customer field already in its
/// place (an `@`: the email; a phone number's characters: the phone; else
/// the name), and the cursor in the first field still empty.
pub fn counter_form(typed: &str) -> Form {
    let typed = typed.trim();
    let typed_into = if typed.contains('@') {
        FieldId::Email
    } else if phone_search_digits(typed).is_some() {
        FieldId::Phone
    } else {
        FieldId::Name
    };
    let value = |id| if id == typed_into { typed } else { "" };
    let mut form = Form::new(
        FormKind::CounterCustomer,
        "Register a customer",
        &[
            (FieldId::Name, "Name", value(FieldId::Name)),
            (FieldId::Phone, PHONE_LABEL, value(FieldId::Phone)),
            (FieldId::Email, EMAIL_LABEL, value(FieldId::Email)),
        ],
    );
    form.focus = form
        .fields
        .iter()
        .position(|field| field.input.value().is_empty())
        .unwrap_or(0);
    form
}

/// Checks a customer form with the domain's rules; the effect that saves
/// it (a phone number another customer has allowed or not, as `shared`
/// says), or `None` with the errors shown next to their fields.
pub fn submit(form: &mut Form, shared: SharedPhone) -> Option<Effect> {
    let name = form.parse(FieldId::Name, |text| Name::parse("name", text));
    let email = form.parse(FieldId::Email, Email::parse_optional);
    let phone = form.parse(FieldId::Phone, Phone::parse_optional);
    let (name, email, phone) = (name?, email?, phone?);
    let contact = match Contact::new(email, phone) {
        Ok(contact) => contact,
        Err(missing) => {
            form.refuse(Some(&missing), &missing.to_string());
            return None;
        }
    };
    Some(match form.kind {
        FormKind::EditCustomer(id) => Effect::EditCustomer {
            id,
            changes: CustomerChanges {
                name: Some(name),
                email: Some(contact.email().cloned()),
                phone: Some(contact.phone().cloned()),
            },
            shared,
        },
        _ => Effect::AddCustomer {
            new: NewCustomer { name, contact },
            shared,
        },
    })
}
