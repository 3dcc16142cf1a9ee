//! F4 New order: choose the customer, add items by SKU or name with a
//! quantity, watch the total, place the order.

use ratatui::crossterm::event::KeyEvent;
use tui_input::Input;

use super::action::{Action, Command};
use super::effect::Effect;
use super::list::ListState;
use super::state::{AppState, CartLine, EntryFocus, OrderEntryScreen};
use super::update::{confirm, edit_input};
use crate::domain::customer::Customer;
use crate::domain::order::{ItemSpec, Quantity, Totals, price_order};
use crate::domain::product::Product;
use crate::store::NewOrder;

/// Suggestions shown under the customer and item fields.
pub const SUGGESTIONS: usize = 8;

pub fn enter(state: &mut AppState) -> Vec<Effect> {
    let entry = &mut state.order_entry;
    if entry.customer.is_none() {
        entry.focus = EntryFocus::Customer;
    } else if entry.focus == EntryFocus::Customer {
        entry.focus = EntryFocus::Item;
    }
    Vec::new()
}

/// Makes `customer` the one the order is for.
pub fn choose_customer(state: &mut AppState, customer: Customer) {
    let entry = &mut state.order_entry;
    entry.customer_input = Input::new(customer.name.clone());
    entry.customer_matches = ListState::default();
    entry.customer = Some(customer);
    entry.focus = EntryFocus::Item;
}

/// The order's money as it stands, by the same rules the store uses.
pub fn totals(entry: &OrderEntryScreen) -> Option<Totals> {
    price_order(
        entry
            .cart
            .iter()
            .map(|line| (line.product.price, line.quantity)),
    )
    .ok()
}

pub fn item_count(entry: &OrderEntryScreen) -> i64 {
    entry.cart.iter().map(|line| line.quantity.get()).sum()
}

pub fn command(state: &mut AppState, command: Command) -> Vec<Effect> {
    let focus = state.order_entry.focus;
    match (command, focus) {
        (Command::NextField, _) => move_focus(state, true),
        (Command::PreviousField, _) => move_focus(state, false),
        (Command::PlaceOrder, _) => ask_to_place(state),
        (Command::ClearOrder, _) => confirm(
            state,
            "Clear this order? Its customer and lines are forgotten.",
            Action::ClearOrder,
        ),
        (Command::Select, EntryFocus::Customer) => pick_customer(state),
        (Command::Select, EntryFocus::Item | EntryFocus::Quantity) => add_item(state),
        (Command::Up | Command::Down, EntryFocus::Customer) => {
            state
                .order_entry
                .customer_matches
                .move_by(step(command), SUGGESTIONS);
        }
        (Command::Up | Command::Down, EntryFocus::Item | EntryFocus::Quantity) => {
            state
                .order_entry
                .product_matches
                .move_by(step(command), SUGGESTIONS);
        }
        (Command::Back, EntryFocus::Customer) => {
            state.order_entry.customer_input = Input::default()
        }
        (Command::Back, EntryFocus::Item | EntryFocus::Quantity) => {
            let entry = &mut state.order_entry;
            entry.item_input = Input::default();
            entry.quantity_input = Input::default();
            entry.product_matches = ListState::default();
            entry.focus = EntryFocus::Item;
        }
        (Command::Back, EntryFocus::Cart) => state.order_entry.focus = EntryFocus::Item,
        (Command::Up, EntryFocus::Cart) => {
            let entry = &mut state.order_entry;
            entry.cart_selected = entry.cart_selected.saturating_sub(1);
        }
        (Command::Down, EntryFocus::Cart) => {
            let entry = &mut state.order_entry;
            entry.cart_selected = (entry.cart_selected + 1).min(entry.cart.len().saturating_sub(1));
        }
        (Command::MoreOfLine, EntryFocus::Cart) => change_line(state, 1),
        (Command::LessOfLine, EntryFocus::Cart) => change_line(state, -1),
        (Command::RemoveLine, EntryFocus::Cart) => remove_line(state),
        _ => {}
    }
    Vec::new()
}

fn step(command: Command) -> isize {
    if command == Command::Up { -1 } else { 1 }
}

pub fn edit(state: &mut AppState, key: KeyEvent) -> Vec<Effect> {
    let entry = &mut state.order_entry;
    match entry.focus {
        EntryFocus::Customer => {
            if !edit_input(&mut entry.customer_input, key) {
                return Vec::new();
            }
            entry.customer = None;
            let text = entry.customer_input.value().trim().to_string();
            let generation = entry.customer_matches.restart();
            if text.is_empty() {
                entry.customer_matches = ListState::default();
                return Vec::new();
            }
            vec![Effect::FindOrderCustomers { text, generation }]
        }
        EntryFocus::Item => {
            if !edit_input(&mut entry.item_input, key) {
                return Vec::new();
            }
            let text = entry.item_input.value().trim().to_string();
            let generation = entry.product_matches.restart();
            if text.is_empty() {
                entry.product_matches = ListState::default();
                return Vec::new();
            }
            vec![Effect::FindOrderProducts { text, generation }]
        }
        EntryFocus::Quantity => {
            edit_input(&mut entry.quantity_input, key);
            Vec::new()
        }
        EntryFocus::Cart => Vec::new(),
    }
}

pub fn result(state: &mut AppState, action: Action) -> Vec<Effect> {
    let entry = &mut state.order_entry;
    match action {
        Action::OrderCustomersFound { generation, rows } => {
            entry.customer_matches.receive(generation, rows, false);
            Vec::new()
        }
        Action::OrderProductsFound { generation, rows } => {
            entry.product_matches.receive(generation, rows, false);
            Vec::new()
        }
        Action::PlaceOrder => place(state),
        Action::ClearOrder => {
            state.order_entry = OrderEntryScreen::default();
            state.inform("The order was cleared.");
            Vec::new()
        }
        Action::OrderPlaced(order) => {
            state.order_entry = OrderEntryScreen::default();
            state.inform(format!(
                "Order {} placed for {}: {} items, total {}.",
                order.id,
                order.customer_name,
                order.item_count(),
                order.totals.total
            ));
            Vec::new()
        }
        _ => Vec::new(),
    }
}

fn move_focus(state: &mut AppState, forward: bool) {
    use EntryFocus::*;
    let order = [Customer, Item, Quantity, Cart];
    let entry = &mut state.order_entry;
    let index = order.iter().position(|f| *f == entry.focus).unwrap_or(0);
    let next = if forward {
        (index + 1) % order.len()
    } else {
        (index + order.len() - 1) % order.len()
    };
    entry.focus = order[next];
    if entry.focus == Cart && entry.cart.is_empty() {
        entry.focus = if forward { Customer } else { Quantity };
    }
}

fn pick_customer(state: &mut AppState) {
    match state.order_entry.customer_matches.selected_row().cloned() {
        Some(customer) => choose_customer(state, customer),
        None if state.order_entry.customer.is_some() => state.order_entry.focus = EntryFocus::Item,
        None if state.order_entry.customer_input.value().trim().is_empty() => {
            state.warn(
                "Type part of the customer's name, email or phone, then pick with ↑ ↓ and Enter.",
            );
        }
        None => state.warn(format!(
            "No customer matches “{}”.",
            state.order_entry.customer_input.value().trim()
        )),
    }
}

/// Adds the product the item field names: an exact SKU wins, otherwise the
/// highlighted suggestion.
fn add_item(state: &mut AppState) {
    let entry = &mut state.order_entry;
    let typed = entry.item_input.value().trim().to_string();
    if typed.is_empty() {
        if entry.focus == EntryFocus::Quantity {
            entry.focus = EntryFocus::Item;
        }
        return;
    }
    let exact = entry
        .product_matches
        .rows
        .iter()
        .find(|p| p.sku.eq_ignore_ascii_case(&typed));
    let Some(product) = exact.or(entry.product_matches.selected_row()).cloned() else {
        state.warn(format!("No product matches “{typed}”."));
        return;
    };
    let quantity = match Quantity::parse(entry.quantity_input.value()) {
        Ok(quantity) => quantity,
        Err(error) => {
            entry.focus = EntryFocus::Quantity;
            state.warn(format!("Quantity: {error}"));
            return;
        }
    };
    if !product.active {
        state.warn(format!(
            "{} ({}) is archived and cannot be sold.",
            product.name, product.sku
        ));
        return;
    }
    if let Err(error) = add_to_cart(entry, product, quantity) {
        state.warn(error.to_string());
        return;
    }
    entry.item_input = Input::default();
    entry.quantity_input = Input::default();
    entry.product_matches = ListState::default();
    entry.focus = EntryFocus::Item;
    state.message = None;
}

/// Adds to the product's line if it has one (the store merges lines too).
fn add_to_cart(
    entry: &mut OrderEntryScreen,
    product: Product,
    quantity: Quantity,
) -> Result<(), crate::domain::Error> {
    match entry
        .cart
        .iter()
        .position(|line| line.product.id == product.id)
    {
        Some(index) => {
            let line = &mut entry.cart[index];
            line.quantity = Quantity::new(line.quantity.get() + quantity.get())?;
            entry.cart_selected = index;
        }
        None => {
            entry.cart.push(CartLine { product, quantity });
            entry.cart_selected = entry.cart.len() - 1;
        }
    }
    Ok(())
}

fn change_line(state: &mut AppState, delta: i64) {
    let entry = &mut state.order_entry;
    if let Some(line) = entry.cart.get_mut(entry.cart_selected) {
        match Quantity::new(line.quantity.get() + delta) {
            Ok(quantity) => line.quantity = quantity,
            Err(_) if delta < 0 => state.warn("A line holds at least one; Del removes it."),
            Err(error) => state.warn(error.to_string()),
        }
    }
}

fn remove_line(state: &mut AppState) {
    let entry = &mut state.order_entry;
    if entry.cart_selected < entry.cart.len() {
        entry.cart.remove(entry.cart_selected);
        entry.cart_selected = entry.cart_selected.min(entry.cart.len().saturating_sub(1));
    }
    if entry.cart.is_empty() {
        entry.focus = EntryFocus::Item;
    }
}

fn ask_to_place(state: &mut AppState) {
    let entry = &state.order_entry;
    let Some(customer) = &entry.customer else {
        state.order_entry.focus = EntryFocus::Customer;
        state.warn("Choose the customer first.");
        return;
    };
    let Some(totals) = totals(entry).filter(|_| !entry.cart.is_empty()) else {
        state.order_entry.focus = EntryFocus::Item;
        state.warn("Add at least one item first.");
        return;
    };
    let question = format!(
        "Place the order for {}: {} items, total {}?",
        customer.name,
        item_count(entry),
        totals.total
    );
    confirm(state, question, Action::PlaceOrder);
}

fn place(state: &mut AppState) -> Vec<Effect> {
    let entry = &state.order_entry;
    let Some(customer) = &entry.customer else {
        return Vec::new();
    };
    let items = entry
        .cart
        .iter()
        .map(|line| ItemSpec {
            // The id, as digits: a SKU that happens to be those digits
            // would win, so name it by SKU, which is unique.
            product: line.product.sku.clone(),
            quantity: line.quantity,
        })
        .collect();
    vec![Effect::PlaceOrder(NewOrder {
        customer_id: customer.id,
        items,
        note: String::new(),
    })]
}
