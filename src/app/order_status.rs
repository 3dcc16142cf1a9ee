//! F6 Order status: find an order, see its items and timeline, move it on.

use ratatui::crossterm::event::KeyEvent;

use super::action::{Action, Command};
use super::effect::Effect;
use super::keys::Field;
use super::state::AppState;
use super::text_field::TextField;
use super::update::{confirm, open};
use crate::domain::order::Status;
use crate::domain::text::quote;

pub fn enter(state: &mut AppState) -> Vec<Effect> {
    state.order_status.number.arrive();
    match &state.order_status.order {
        Some(order) => vec![Effect::LoadOrder(order.id)],
        None => Vec::new(),
    }
}

/// Opens the screen on order `id`.
pub fn show(state: &mut AppState, id: i64) -> Vec<Effect> {
    state.screen = super::state::Screen::OrderStatus;
    state.order_status.number = TextField::chosen(id.to_string());
    vec![Effect::LoadOrder(id)]
}

pub fn command(state: &mut AppState, command: Command) -> Vec<Effect> {
    let screen = &mut state.order_status;
    let shown = screen
        .order
        .as_ref()
        .map(|order| (order.id, order.item_count()));
    match (command, shown) {
        (Command::Select, _) => {
            let typed = screen.number.value().trim().to_string();
            match typed.parse::<i64>() {
                Ok(id) if id > 0 => vec![Effect::LoadOrder(id)],
                _ if typed.is_empty() => {
                    state.warn("Type an order number, then Enter.");
                    Vec::new()
                }
                _ => {
                    state.warn(format!("“{}” is not an order number.", quote(&typed)));
                    Vec::new()
                }
            }
        }
        (Command::Back, _) => match screen.back.take() {
            Some(back) => open(state, back),
            None => {
                screen.number = TextField::default();
                Vec::new()
            }
        },
        (Command::PrintReceipt, Some((id, _))) => vec![Effect::PrintReceipt(id)],
        (Command::Ship, Some((id, _))) => ask_status(state, id, Status::Shipped, ""),
        (Command::Deliver, Some((id, _))) => ask_status(state, id, Status::Delivered, ""),
        (Command::Cancel, Some((id, items))) => {
            let restock = format!(" Back in stock: {}.", crate::display::count_items(items));
            ask_status(state, id, Status::Canceled, &restock)
        }
        _ => Vec::new(),
    }
}

/// Every status change asks first: none can be undone (a shipped order
/// can only become delivered). `more` says what else happens.
fn ask_status(state: &mut AppState, id: i64, to: Status, more: &str) -> Vec<Effect> {
    let question = match to {
        Status::Canceled => format!("Cancel order {id}?{more} This cannot be undone."),
        to => format!("Mark order {id} {to}?{more} This cannot be undone."),
    };
    confirm(state, question, Action::ChangeOrderStatus { order: id, to });
    Vec::new()
}

pub fn edit(state: &mut AppState, key: KeyEvent) -> Vec<Effect> {
    // Order numbers are digits; anything else typed is dropped.
    let digits = |c| Field::Digits.takes(c);
    state.order_status.number.edit_taking(key, digits);
    Vec::new()
}

pub fn result(state: &mut AppState, action: Action) -> Vec<Effect> {
    let screen = &mut state.order_status;
    match action {
        Action::OrderLoaded { order, events } => {
            screen.number = TextField::chosen(order.id.to_string());
            screen.order = Some(order);
            screen.events = events;
            // The order shown now is what the screen speaks of: what was
            // said before (a number not found, another order's new
            // status) goes with the order it was about.
            state.message = None;
            Vec::new()
        }
        Action::ChangeOrderStatus { order, to } => vec![Effect::SetOrderStatus { order, to }],
        Action::OrderStatusChanged { order, events } => {
            let message = match order.status {
                Status::Canceled => format!(
                    "Order {} canceled. Back in stock: {}.",
                    order.id,
                    crate::display::count_items(order.item_count())
                ),
                status => format!("Order {} is now {status}.", order.id),
            };
            screen.order = Some(order);
            screen.events = events;
            state.inform(message);
            Vec::new()
        }
        _ => Vec::new(),
    }
}
