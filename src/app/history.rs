//! F5 History: a customer's orders, or the whole shop's, newest first.

use super::action::{Action, Command};
use super::effect::Effect;
use super::state::{AppState, Screen};
use super::update::open;
use crate::domain::order::Status;
use crate::store::OrderFilter;

pub fn command(state: &mut AppState, command: Command) -> Vec<Effect> {
    let visible = state.list_rows();
    let history = &mut state.history;
    if let Some(wants_more) = history.list.navigate(command, visible) {
        return if wants_more {
            load_more(state)
        } else {
            Vec::new()
        };
    }
    let wants_more = match command {
        Command::CycleStatusFilter => {
            history.status = next_filter(history.status);
            return reload(state);
        }
        Command::PrintReceipt => {
            return history
                .list
                .selected_row()
                .map(|order| Effect::PrintReceipt(order.id))
                .into_iter()
                .collect();
        }
        Command::ShowWholeShop => {
            history.customer = None;
            return reload(state);
        }
        Command::Back if history.customer.is_some() => return open(state, Screen::Customers),
        Command::Select => {
            if let Some(order) = history.list.selected_row() {
                let id = order.id;
                state.order_status.back = Some(Screen::History);
                return super::order_status::show(state, id);
            }
            false
        }
        _ => false,
    };
    if wants_more {
        load_more(state)
    } else {
        Vec::new()
    }
}

/// All, then each status in turn.
fn next_filter(status: Option<Status>) -> Option<Status> {
    match status {
        None => Some(Status::Pending),
        Some(Status::Pending) => Some(Status::Shipped),
        Some(Status::Shipped) => Some(Status::Delivered),
        Some(Status::Delivered) => Some(Status::Canceled),
        Some(Status::Canceled) => None,
    }
}

fn filter(state: &AppState) -> OrderFilter {
    OrderFilter {
        customer_id: state.history.customer.as_ref().map(|c| c.id),
        status: state.history.status,
    }
}

pub fn reload(state: &mut AppState) -> Vec<Effect> {
    let filter = filter(state);
    let generation = state.history.list.restart();
    vec![Effect::LoadOrders {
        filter,
        after: None,
        generation,
    }]
}

fn load_more(state: &mut AppState) -> Vec<Effect> {
    let filter = filter(state);
    let list = &mut state.history.list;
    list.loading = true;
    vec![Effect::LoadOrders {
        filter,
        after: list.rows.last().cloned().map(Box::new),
        generation: list.generation,
    }]
}

pub fn result(state: &mut AppState, action: Action) -> Vec<Effect> {
    if let Action::OrdersLoaded {
        generation,
        rows,
        append,
    } = action
    {
        state.history.list.receive(generation, rows, append);
    }
    Vec::new()
}
