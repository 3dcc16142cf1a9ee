//! F5 History: a customer's orders, or the whole shop's, newest first.

use super::action::{Action, Command};
use super::effect::Effect;
use super::list::PageRequest;
use super::state::{AppState, Screen};
use super::update::open;
use crate::domain::order::OrderFilter;
use crate::domain::order::{Order, Status};

pub fn command(state: &mut AppState, command: Command) -> Vec<Effect> {
    let visible = state.list_rows();
    let history = &mut state.history;
    if let Some(request) = history.list.navigate(command, visible) {
        return request
            .map(|request| load(state, request))
            .into_iter()
            .collect();
    }
    match command {
        Command::CycleStatusFilter => {
            history.status = next_filter(history.status);
            reload(state)
        }
        Command::PrintReceipt => history
            .list
            .selected_row()
            .map(|order| Effect::PrintReceipt(order.id))
            .into_iter()
            .collect(),
        Command::ShowWholeShop => {
            history.customer = None;
            reload(state)
        }
        Command::Back if history.customer.is_some() => open(state, Screen::Customers),
        Command::Select => match history.list.selected_row() {
            Some(order) => {
                let id = order.id;
                state.order_status.back = Some(Screen::History);
                super::order_status::show(state, id)
            }
            None => Vec::new(),
        },
        _ => Vec::new(),
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
    let request = state.history.list.first_page();
    vec![load(state, request)]
}

/// Back on the screen (F5, or Esc from the order opened here), the list
/// is read afresh with the order it was left on selected again (within
/// the pages a saved record is looked for in): the clerk going through
/// orders one by one keeps the place. Left at the top, it stays there,
/// the orders placed meanwhile first.
pub fn enter(state: &mut AppState) -> Vec<Effect> {
    let list = &mut state.history.list;
    let at_top = list.selected == 0 && !list.more_above;
    let left_on = list.selected_row().filter(|_| !at_top);
    let request = match left_on.map(|order| order.id) {
        Some(id) => list.first_page_revealing(id),
        None => list.first_page(),
    };
    vec![load(state, request)]
}

/// Reads the page `request` asks for, of the orders the screen shows.
fn load(state: &AppState, request: PageRequest<Order>) -> Effect {
    Effect::LoadOrders {
        filter: filter(state),
        at: request.at.map(Box::new),
        generation: request.generation,
    }
}

pub fn result(state: &mut AppState, action: Action) -> Vec<Effect> {
    let Action::OrdersLoaded { generation, page } = action else {
        return Vec::new();
    };
    let visible = state.list_rows();
    let more = state
        .history
        .list
        .receive_revealing(generation, page, visible);
    more.map(|request| load(state, request))
        .into_iter()
        .collect()
}
