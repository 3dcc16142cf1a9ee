//! F6 Order status: find an order, see its items and timeline, move it on.

use ratatui::crossterm::event::KeyEvent;

use super::action::{Action, Command};
use super::effect::Effect;
use super::state::AppState;
use super::update::{confirm, edit_input, open};
use crate::domain::order::Status;
use crate::domain::text::quote;

pub fn enter(state: &mut AppState) -> Vec<Effect> {
    match &state.order_status.order {
        Some(order) => vec![Effect::LoadOrder(order.id)],
        None => {
            state.order_status.typing = true;
            Vec::new()
        }
    }
}

/// Opens the screen on order `id`.
pub fn show(state: &mut AppState, id: i64) -> Vec<Effect> {
    state.screen = super::state::Screen::OrderStatus;
    state.order_status.number = state.order_status.number.clone().with_value(id.to_string());
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
        (Command::FocusSearch, _) => {
            screen.typing = true;
            screen.number = tui_input::Input::default();
            Vec::new()
        }
        (Command::Back, _) => match screen.back.take() {
            Some(back) => open(state, back),
            None if screen.order.is_some() => {
                screen.typing = !screen.typing;
                Vec::new()
            }
            None => Vec::new(),
        },
        (Command::PrintReceipt, Some((id, _))) => vec![Effect::PrintReceipt(id)],
        (Command::Ship, Some((id, _))) => vec![Effect::SetOrderStatus {
            order: id,
            to: Status::Shipped,
        }],
        (Command::Deliver, Some((id, _))) => vec![Effect::SetOrderStatus {
            order: id,
            to: Status::Delivered,
        }],
        (Command::Cancel, Some((id, items))) => {
            confirm(
                state,
                format!(
                    "Cancel order {id}? Back in stock: {}. This cannot be undone.",
                    crate::display::count_items(items)
                ),
                Action::CancelOrder(id),
            );
            Vec::new()
        }
        _ => Vec::new(),
    }
}

pub fn edit(state: &mut AppState, key: KeyEvent) -> Vec<Effect> {
    let number = &mut state.order_status.number;
    edit_input(number, key);
    // Order numbers are digits; anything else typed is dropped.
    if !number.value().chars().all(|c| c.is_ascii_digit()) {
        let digits: String = number
            .value()
            .chars()
            .filter(char::is_ascii_digit)
            .collect();
        *number = number.clone().with_value(digits);
    }
    Vec::new()
}

pub fn result(state: &mut AppState, action: Action) -> Vec<Effect> {
    let screen = &mut state.order_status;
    match action {
        Action::OrderLoaded { order, events } => {
            screen.number = screen.number.clone().with_value(order.id.to_string());
            screen.order = Some(order);
            screen.events = events;
            screen.typing = false;
            Vec::new()
        }
        Action::CancelOrder(id) => vec![Effect::SetOrderStatus {
            order: id,
            to: Status::Canceled,
        }],
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
