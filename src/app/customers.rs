//! F2 Customers: search as you type, register, edit, open a history.

use ratatui::crossterm::event::KeyEvent;

use super::action::{Action, Command};
use super::effect::Effect;
use super::form::{FieldId, Form, FormKind};
use super::state::{AppState, Popup, Screen};
use super::update::open;
use crate::domain::customer::{Customer, CustomerChanges, Email, NewCustomer, Phone};
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
        Action::CustomerSaved(customer) => {
            state.popup = None;
            state.inform(format!("Customer {} saved: {}", customer.id, customer.name));
            state.screen = Screen::Customers;
            vec![Effect::LoadCustomers(
                state.customers.show_all_at(customer.id),
            )]
        }
        _ => Vec::new(),
    }
}

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
            (FieldId::Email, "Email", email),
            (FieldId::Phone, "Phone (optional)", phone),
        ],
    )
}

/// Checks the form with the domain's rules; the effect that saves it, or
/// `None` with the errors shown next to their fields.
pub fn submit(form: &mut Form) -> Option<Effect> {
    let name = form.parse(FieldId::Name, |text| Name::parse("name", text));
    let email = form.parse(FieldId::Email, Email::parse);
    let phone = form.parse(FieldId::Phone, Phone::parse_optional);
    let (name, email, phone) = (name?, email?, phone?);
    Some(match form.kind {
        FormKind::EditCustomer(id) => Effect::EditCustomer(
            id,
            CustomerChanges {
                name: Some(name),
                email: Some(email),
                phone: Some(phone),
            },
        ),
        _ => Effect::AddCustomer(NewCustomer { name, email, phone }),
    })
}
