//! F4 New order: the counter. Pick the customer (Enter alone: Walk-in),
//! scan or type codes, watch the total, check out, print the receipt, and
//! park a sale to serve someone else.

use ratatui::crossterm::event::KeyEvent;

use super::action::{Action, Command};
use super::effect::Effect;
use super::list::ListState;
use super::lookup::{Pick, is_name, pick};
use super::state::{
    AppState, CartLine, Checkout, EntryFocus, LastReceipt, OrderEntryScreen, Popup, UNDO_DEPTH,
};
use super::text_field::TextField;
use super::update::confirm;
use crate::domain::customer::Customer;
use crate::domain::order::NewOrder;
use crate::domain::order::{
    ItemSpec, Order, Payment, PaymentMethod, Quantity, Status, Totals, price_order,
};
use crate::domain::product::{CountCorrection, Product, ProductRef};
use crate::domain::text::quote;
use crate::domain::{Cents, Currency, Error, Shortage};

pub fn enter(state: &mut AppState) -> Vec<Effect> {
    let entry = &mut state.order_entry;
    let focus = if entry.customer.is_some() {
        EntryFocus::Scan
    } else {
        EntryFocus::Customer
    };
    move_to(entry, focus);
    Vec::new()
}

/// The cursor goes to the field `focus` (out of the cart, if it was
/// there): a choice in it (the customer chosen) is selected whole, so what
/// is typed there replaces it.
fn move_to(entry: &mut OrderEntryScreen, focus: EntryFocus) {
    entry.focus = focus;
    entry.in_cart = false;
    match focus {
        EntryFocus::Customer => entry.customer_input.arrive(),
        EntryFocus::Scan => entry.scan.arrive(),
    }
}

/// Makes `customer` the one the sale is for; the scan line gets the cursor.
pub fn choose_customer(state: &mut AppState, customer: Customer) {
    state.settle(EntryFocus::Customer);
    let entry = &mut state.order_entry;
    entry.customer_input = TextField::chosen(customer.name.clone());
    entry.customer_matches.clear();
    entry.unknown_number = None;
    entry.customer = Some(customer);
    move_to(entry, EntryFocus::Scan);
}

/// The sale's money as it stands, by the same rules the store uses.
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

/// Whether the scan line holds nothing: then ↑ ↓ move into the cart.
pub fn scan_is_empty(entry: &OrderEntryScreen) -> bool {
    entry.scan.value().trim().is_empty()
}

pub fn command(state: &mut AppState, command: Command) -> Vec<Effect> {
    let focus = state.order_entry.focus;
    let scanning = focus == EntryFocus::Scan && !scan_is_empty(&state.order_entry);
    match (command, focus) {
        (Command::NextField | Command::PreviousField, _) => {
            let entry = &mut state.order_entry;
            let other = match entry.focus {
                EntryFocus::Customer => EntryFocus::Scan,
                EntryFocus::Scan => EntryFocus::Customer,
            };
            move_to(entry, other);
            Vec::new()
        }
        (Command::Checkout, _) => open_checkout(state),
        (Command::VoidSale, _) => {
            confirm(
                state,
                "Void this sale? Its lines are forgotten.",
                Action::VoidSale,
            );
            Vec::new()
        }
        (Command::Park, _) => park_or_list(state),
        (Command::Undo, _) => {
            undo(state);
            Vec::new()
        }
        (Command::PrintReceipt, _) => match &state.order_entry.last_receipt {
            Some(receipt) => vec![Effect::PrintReceipt(receipt.order_id)],
            None => {
                state.warn("No sale yet to print a receipt for.");
                Vec::new()
            }
        },
        (Command::Select, EntryFocus::Customer) => pick_customer(state),
        (Command::New, EntryFocus::Customer) => {
            let entry = &mut state.order_entry;
            let typed = match entry.unknown_number.take() {
                Some(number) if entry.customer_input.value().is_empty() => number,
                _ => entry.customer_input.value().to_string(),
            };
            let form = super::customers::counter_form(&typed);
            state.popup = Some(Popup::Form(form));
            // "No customer matches …: Ctrl-N registers them" is answered.
            state.settle(EntryFocus::Customer);
            Vec::new()
        }
        (Command::Select, EntryFocus::Scan) if scanning => take_scan(state),
        (Command::Select, EntryFocus::Scan) => open_checkout(state),
        (Command::Up | Command::Down, EntryFocus::Customer) => {
            state.order_entry.customer_matches.step(step(command));
            Vec::new()
        }
        (Command::Up | Command::Down, EntryFocus::Scan) if scanning => {
            state.order_entry.product_matches.step(step(command));
            Vec::new()
        }
        (Command::Up | Command::Down, EntryFocus::Scan) => {
            let entry = &mut state.order_entry;
            entry.in_cart = true;
            let last = entry.cart.len().saturating_sub(1);
            entry.cart_selected = entry
                .cart_selected
                .saturating_add_signed(step(command))
                .min(last);
            Vec::new()
        }
        // Esc in the suggestions goes back to the field, the text kept.
        (Command::Back, EntryFocus::Customer) if state.order_entry.customer_matches.entered => {
            state.order_entry.customer_matches.entered = false;
            Vec::new()
        }
        (Command::Back, EntryFocus::Scan) if state.order_entry.product_matches.entered => {
            state.order_entry.product_matches.entered = false;
            Vec::new()
        }
        (Command::Back, EntryFocus::Customer) => {
            let entry = &mut state.order_entry;
            entry.customer_input = TextField::default();
            entry.customer_matches.clear();
            entry.customer = None;
            Vec::new()
        }
        (Command::Back, EntryFocus::Scan) if state.order_entry_in_cart() => {
            state.order_entry.in_cart = false;
            Vec::new()
        }
        (Command::Back, EntryFocus::Scan) => {
            clear_scan(&mut state.order_entry);
            Vec::new()
        }
        (Command::MoreOfLine, _) => {
            change_line(state, 1);
            Vec::new()
        }
        (Command::LessOfLine, _) => {
            change_line(state, -1);
            Vec::new()
        }
        (Command::RemoveLine, _) => {
            remove_line(state);
            Vec::new()
        }
        _ => Vec::new(),
    }
}

fn step(command: Command) -> isize {
    if command == Command::Up { -1 } else { 1 }
}

pub fn edit(state: &mut AppState, key: KeyEvent) -> Vec<Effect> {
    let entry = &mut state.order_entry;
    match entry.focus {
        EntryFocus::Customer => {
            if !entry.customer_input.edit(key) {
                return Vec::new();
            }
            entry.customer = None;
            entry.unknown_number = None;
            let text = entry.customer_input.value().trim().to_string();
            if text.is_empty() {
                entry.customer_matches.clear();
                return Vec::new();
            }
            let generation = entry.customer_matches.search(&text);
            vec![Effect::FindOrderCustomers { text, generation }]
        }
        EntryFocus::Scan => {
            // A key typed in the cart goes back to the scan line.
            entry.in_cart = false;
            if !entry.scan.edit(key) {
                return Vec::new();
            }
            let code = scanned_code(entry.scan.value());
            // Digits are a barcode being scanned or typed: they are looked
            // up on Enter, not searched letter by letter.
            if !is_name(code) {
                entry.product_matches.clear();
                return Vec::new();
            }
            let generation = entry.product_matches.search(code);
            vec![Effect::FindOrderProducts {
                text: code.to_string(),
                generation,
            }]
        }
    }
}

/// The code part of a scan line: `5*MUG-1` → `MUG-1`.
fn scanned_code(line: &str) -> &str {
    let line = line.trim();
    line.split_once('*').map_or(line, |(_, code)| code.trim())
}

pub fn result(state: &mut AppState, action: Action) -> Vec<Effect> {
    let entry = &mut state.order_entry;
    match action {
        Action::OrderCustomersFound { generation, rows } => {
            entry.customer_matches.receive(generation, rows);
            Vec::new()
        }
        Action::OrderProductsFound { generation, rows } => {
            entry.product_matches.receive(generation, rows);
            Vec::new()
        }
        Action::CustomerChosen(customer) => {
            choose_customer(state, customer);
            Vec::new()
        }
        Action::CustomerLookedUp { text, found } => match pick(&text, found) {
            Pick::Take(customer) => {
                choose_customer(state, customer);
                Vec::new()
            }
            Pick::UnknownCode => {
                let entry = &mut state.order_entry;
                entry.customer_input = TextField::default();
                entry.customer_matches.clear();
                state.warn_about(
                    EntryFocus::Customer,
                    format!(
                        "Unknown code “{}”: no customer has this phone number. Ctrl-N registers it.",
                        quote(&text)
                    ),
                );
                state.order_entry.unknown_number = Some(text);
                vec![Effect::Beep]
            }
            Pick::Choose(customers) => {
                entry.customer_matches.offer(&text, customers);
                state.settle(EntryFocus::Customer);
                Vec::new()
            }
            Pick::NoMatch => no_customer_matches(state, &text),
        },
        Action::ScanLookedUp {
            code,
            quantity,
            found,
        } => match pick(&code, found) {
            Pick::Take(product) => add_product(state, product, quantity),
            Pick::UnknownCode => refuse_scan(
                state,
                format!("Unknown code “{}”: no product has it.", quote(&code)),
            ),
            Pick::Choose(products) => {
                entry.product_matches.offer(&code, products);
                state.settle(EntryFocus::Scan);
                Vec::new()
            }
            Pick::NoMatch => {
                state.warn_about(
                    EntryFocus::Scan,
                    format!(
                        "No product matches “{}”. Esc clears the line.",
                        quote(&code)
                    ),
                );
                vec![Effect::Beep]
            }
        },
        Action::CartRefreshed(products) => {
            for line in &mut entry.cart {
                if let Some(fresh) = products.iter().find(|p| p.id == line.product.id) {
                    line.product = fresh.clone();
                }
            }
            if let Some(Popup::Checkout(checkout)) = &mut state.popup
                && let Some(totals) = totals(&state.order_entry)
            {
                checkout.totals = totals;
                state.warn(format!("Prices changed since the items were scanned: the total is now {}. Enter places the sale at the new total.", state.currency.amount(totals.total)));
            }
            Vec::new()
        }
        Action::SaleIdMade(sale_id) => {
            // The first id made for a sale is its id for good.
            entry.sale_id.get_or_insert(sale_id);
            Vec::new()
        }
        Action::VoidSale => {
            start_new_sale(state);
            state.inform("The sale was voided.");
            Vec::new()
        }
        Action::OrderPlaced(order) => {
            let placed_before = placed_before_parking(&state.order_entry, &order);
            state.order_entry = after_order(&order);
            state.popup = None;
            state.inform(format!(
                "Order {} placed for {}: {}, total {}; it waits to be shipped.",
                order.id,
                order.customer_name,
                crate::display::count_items(order.item_count()),
                state.currency.amount(order.totals.total)
            ));
            if let Some(said) = placed_before {
                state.warn(said);
            }
            vec![Effect::LoadReceipt(order.id), Effect::ChooseWalkIn]
        }
        Action::SaleCompleted(order) => {
            let placed_before = placed_before_parking(&state.order_entry, &order);
            let change_due = order
                .payment
                .and_then(|payment| payment.change(order.totals.total));
            let change = change_due
                .map(|change| format!(" Change: {}.", state.currency.amount(change)))
                .unwrap_or_default();
            state.inform(format!(
                "Sale {} done: {}.{change}",
                order.id,
                state.currency.amount(order.totals.total)
            ));
            state.popup = None;
            state.order_entry = OrderEntryScreen {
                change_due,
                ..after_order(&order)
            };
            if let Some(said) = placed_before {
                state.warn(said);
            }
            vec![Effect::LoadReceipt(order.id), Effect::ChooseWalkIn]
        }
        Action::ReceiptLoaded { order_id, receipt } => {
            // Only the last order placed here: an answer for an earlier one
            // has nothing left to fill.
            if let Some(last) = &mut state.order_entry.last_receipt
                && last.order_id == order_id
            {
                last.text = receipt;
            }
            Vec::new()
        }
        Action::SaleParked(id) => {
            after_parking(
                state,
                format!("Sale parked as number {id}. F8 on an empty sale lists parked sales."),
            );
            vec![Effect::CountParked]
        }
        Action::SaleParkedOnThisMachine(file) => {
            // The folder, not the file: said short enough to be read whole
            // after an internal error's report too.
            let folder = file.parent().unwrap_or(&file);
            after_parking(
                state,
                format!(
                    "The database server could not be reached, so the sale was parked on this machine, in {}; the next start moves it back.",
                    folder.display()
                ),
            );
            Vec::new()
        }
        Action::ParkedLoaded(sales) if sales.is_empty() => {
            state.inform("No parked sales.");
            Vec::new()
        }
        Action::ParkedLoaded(sales) => {
            let mut list = ListState::default();
            let generation = list.restart();
            list.show_all(generation, sales);
            state.popup = Some(Popup::Parked(list));
            Vec::new()
        }
        Action::SellAnyway(corrections) => sell_anyway(state, corrections),
        Action::SaleResumed(sale) => {
            state.popup = None;
            state.order_entry = OrderEntryScreen {
                last_receipt: state.order_entry.last_receipt.take(),
                cart: sale
                    .lines
                    .into_iter()
                    .map(|(product, quantity)| CartLine { product, quantity })
                    .collect(),
                // Its checkout may have placed it already: the id finds
                // that order instead of placing it again.
                parked_at: sale.sale_id.as_ref().map(|_| sale.parked_at),
                sale_id: sale.sale_id,
                ..Default::default()
            };
            choose_customer(state, sale.customer);
            state.inform(format!(
                "Parked sale {} resumed: prices and stock are checked again at checkout.",
                sale.id
            ));
            vec![Effect::CountParked]
        }
        _ => Vec::new(),
    }
}

/// The store refused the sale at checkout: the cart and the checkout stay.
/// When prices changed, the cart is read again and checkout shows the new
/// total, to be confirmed with another Enter. When the stock is short,
/// the cashier is asked whether the shelf has the units anyway (the
/// customer holds them): asked again with the new figures when another
/// counter changed them first.
pub fn checkout_refused(state: &mut AppState, refusal: super::Refusal) -> Vec<Effect> {
    // Never sent again by itself: the cashier's next Enter sends it, with
    // its sale id, so it is placed once however far the first one got.
    if let Some(server_away) = refusal.server_away {
        state.warn(format!("{server_away}: the sale is kept; try again"));
        return vec![Effect::Beep];
    }
    match refusal.rule {
        Some(Error::PricesChanged { .. }) => {
            let ids = state
                .order_entry
                .cart
                .iter()
                .map(|line| line.product.id)
                .collect();
            return vec![Effect::RefreshCart(ids), Effect::Beep];
        }
        Some(Error::StockChangedMeanwhile(shortages)) if shortages.is_empty() => {
            state.warn(format!("{}; Enter places the sale.", refusal.message));
        }
        Some(Error::OutOfStock(shortages)) => {
            state.warn(refusal.message);
            ask_to_sell_anyway(state, &shortages, false);
        }
        Some(Error::StockChangedMeanwhile(shortages)) => {
            state.warn(refusal.message);
            ask_to_sell_anyway(state, &shortages, true);
        }
        // An earlier Enter placed this sale (its answer was lost) before
        // the cart changed: the order stands, the cart is another sale.
        Some(Error::SaleIdUsed { order_id, .. }) => state.warn(format!(
            "This sale was already placed as order {order_id}, with the cart it had then (the answer to that Enter was lost); \
             order {order_id} stays as placed (F6 Order status shows it). Esc, then F9 voids this cart."
        )),
        _ => state.warn(refusal.message),
    }
    vec![Effect::Beep]
}

/// The most short lines the question names one by one (the status line
/// under it names them all): the question stays within an 80×24 screen.
const NAMED_SHORTAGES: usize = 6;

/// Asks, over checkout, whether to sell the short lines anyway and
/// correct their counts; `changed`: the figures are new, another counter
/// sold or restocked since the cashier last saw them.
fn ask_to_sell_anyway(state: &mut AppState, shortages: &[Shortage], changed: bool) {
    let mut question = vec![
        if changed {
            "The stock changed meanwhile. The count now says the shelf has fewer than the cart:"
        } else {
            "The count says the shelf has fewer than the cart:"
        }
        .to_string(),
    ];
    question.extend(shortages.iter().take(NAMED_SHORTAGES).map(|shortage| {
        format!(
            "  {}: {} in stock, {} wanted ({} short)",
            // Made visible here, so that the question's own line breaks
            // are the only ones in it.
            crate::display::safe_text(&shortage.name),
            shortage.in_stock,
            shortage.wanted,
            shortage.units_short()
        )
    }));
    if shortages.len() > NAMED_SHORTAGES {
        let more = shortages.len() - NAMED_SHORTAGES;
        question.push(format!("  and {more} more, named on the status line"));
    }
    question.push(
        "Sell anyway and correct the count? Each count goes up by the units short, \
         then the sale takes them: the stock ends at 0."
            .to_string(),
    );
    confirm(
        state,
        question.join("\n"),
        Action::SellAnyway(CountCorrection::for_shortages(shortages)),
    );
}

/// Yes to selling beyond the count: the sale is placed again as checkout
/// (brought back under the question) has it, with the counts corrected.
fn sell_anyway(state: &mut AppState, corrections: Vec<CountCorrection>) -> Vec<Effect> {
    match state.popup.clone() {
        Some(Popup::Checkout(checkout)) => place(state, &checkout, corrections),
        _ => Vec::new(),
    }
}

/// Keys of the parked-sales list popup.
pub fn parked_command(
    state: &mut AppState,
    mut list: ListState<crate::domain::order::ParkedSale>,
    command: Command,
) -> Vec<Effect> {
    let visible = state.popup_list_rows();
    match command {
        Command::Up => {
            list.move_by(-1, visible);
        }
        Command::Down => {
            list.move_by(1, visible);
        }
        Command::Select => {
            if let Some(sale) = list.selected_row() {
                return vec![Effect::ResumeParked(sale.id)];
            }
        }
        _ => return Vec::new(),
    }
    state.popup = Some(Popup::Parked(list));
    Vec::new()
}

/// Keys of the checkout popup.
pub fn checkout_command(
    state: &mut AppState,
    mut checkout: Checkout,
    command: Command,
) -> Vec<Effect> {
    let method = match command {
        Command::Back => {
            state.message = None;
            return Vec::new();
        }
        Command::Submit => {
            let effects = place(state, &checkout, Vec::new());
            state.popup = Some(Popup::Checkout(checkout));
            return effects;
        }
        Command::PayCash => Some(PaymentMethod::Cash),
        Command::PayCard => Some(PaymentMethod::Card),
        Command::PayOther => Some(PaymentMethod::Other),
        Command::PayLater => None,
        Command::NextField => match checkout.method {
            Some(PaymentMethod::Cash) => Some(PaymentMethod::Card),
            Some(PaymentMethod::Card) => Some(PaymentMethod::Other),
            Some(PaymentMethod::Other) => None,
            None => Some(PaymentMethod::Cash),
        },
        _ => checkout.method,
    };
    // The amount tendered stays while the cashier cycles the methods: it
    // counts only when the sale is placed in cash.
    checkout.method = method;
    state.popup = Some(Popup::Checkout(checkout));
    Vec::new()
}

/// The change due for what is typed as tendered, when it parses and covers
/// the total.
pub fn change_due(checkout: &Checkout, currency: &Currency) -> Option<Result<Cents, Error>> {
    let typed = checkout.tendered.value().trim();
    if typed.is_empty() {
        return None;
    }
    let tendered = match Cents::parse(typed, currency) {
        Ok(tendered) => tendered,
        Err(error) => return Some(Err(error)),
    };
    Some(
        Payment::new(
            PaymentMethod::Cash,
            Some(tendered),
            checkout.totals.total,
            currency,
        )
        .map(|payment| payment.change(checkout.totals.total).unwrap_or(Cents::ZERO)),
    )
}

/// A new, empty sale beside the receipt of the order just placed (paid
/// now or later; its text follows, [`Effect::LoadReceipt`]): the receipt
/// shown and printed is always the last order placed here. The next sale
/// is a Walk-in sale (its effect chooses Walk-in), the scan line ready: the
/// next scan starts it, whatever the last order was.
fn after_order(order: &Order) -> OrderEntryScreen {
    OrderEntryScreen {
        last_receipt: Some(LastReceipt {
            order_id: order.id,
            text: String::new(),
            to_ship: order.status == Status::Pending,
        }),
        focus: EntryFocus::Scan,
        ..Default::default()
    }
}

fn start_new_sale(state: &mut AppState) {
    state.order_entry = OrderEntryScreen {
        last_receipt: state.order_entry.last_receipt.take(),
        ..Default::default()
    };
}

/// Enter in the customer field: the highlighted suggestion once the
/// cashier is in them; the customer chosen stays (the cursor moves on);
/// the empty field sells to Walk-in; typed text is looked up (see
/// [`pick`]).
fn pick_customer(state: &mut AppState) -> Vec<Effect> {
    let entry = &mut state.order_entry;
    let typed = entry.customer_input.value().trim().to_string();
    if let Some(customer) = entry.customer_matches.highlighted().cloned() {
        choose_customer(state, customer);
        return Vec::new();
    }
    if entry.customer.is_some() {
        move_to(entry, EntryFocus::Scan);
        return Vec::new();
    }
    if typed.is_empty() {
        return vec![Effect::ChooseWalkIn];
    }
    vec![Effect::LookUpCustomer { text: typed }]
}

/// Typed text no customer matches: said, and the text stays.
fn no_customer_matches(state: &mut AppState, typed: &str) -> Vec<Effect> {
    state.warn_about(EntryFocus::Customer, format!(
        "No customer matches “{}”: Ctrl-N registers them. Esc clears the field; Enter alone sells to Walk-in.",
        quote(typed)
    ));
    vec![Effect::Beep]
}

/// Enter on a typed scan line: the highlighted suggestion once the cashier
/// is in them, else the code looked up (see [`pick`]).
fn take_scan(state: &mut AppState) -> Vec<Effect> {
    let entry = &mut state.order_entry;
    let line = entry.scan.value().trim().to_string();
    let (quantity, code) = match line.split_once('*') {
        Some((quantity, code)) => (quantity.trim(), code.trim()),
        None => ("", line.as_str()),
    };
    let quantity = match Quantity::parse(quantity) {
        Ok(quantity) => quantity,
        Err(error) => return refuse_scan(state, format!("“{}”: {error}", quote(&line))),
    };
    if let Some(product) = entry.product_matches.highlighted().cloned() {
        return add_product(state, product, quantity);
    }
    if code.is_empty() {
        return refuse_scan(state, format!("“{}” has no code after the *", quote(&line)));
    }
    vec![Effect::LookUpScan {
        code: code.to_string(),
        quantity,
    }]
}

/// A scan that cannot be taken: beep, say why, clear the line for the next
/// scan; nothing else changes.
pub fn refuse_scan(state: &mut AppState, reason: String) -> Vec<Effect> {
    clear_scan(&mut state.order_entry);
    state.warn_about(EntryFocus::Scan, reason);
    vec![Effect::Beep]
}

fn clear_scan(entry: &mut OrderEntryScreen) {
    entry.scan = TextField::default();
    entry.product_matches.clear();
}

fn add_product(state: &mut AppState, product: Product, quantity: Quantity) -> Vec<Effect> {
    if !product.active {
        return refuse_scan(
            state,
            format!(
                "{} ({}) is archived and cannot be sold.",
                product.name, product.sku
            ),
        );
    }
    let entry = &mut state.order_entry;
    let before = entry.cart.clone();
    let added = match entry
        .cart
        .iter()
        .position(|line| line.product.id == product.id)
    {
        Some(index) => {
            Quantity::new(entry.cart[index].quantity.get() + quantity.get()).map(|merged| {
                entry.cart[index].quantity = merged;
                index
            })
        }
        None => {
            entry.cart.push(CartLine { product, quantity });
            Ok(entry.cart.len() - 1)
        }
    };
    match added {
        Ok(index) => {
            // The next sale has begun: its total replaces the last change.
            entry.change_due = None;
            entry.cart_selected = index;
            remember(entry, before);
            clear_scan(entry);
            describe_cart(state);
            Vec::new()
        }
        Err(error) => refuse_scan(state, error.to_string()),
    }
}

/// The status line after a change to the cart says what the cart is now:
/// a line holding more than the stock, or nothing, so that no note about
/// a line outlives the line or its quantity.
fn describe_cart(state: &mut AppState) {
    match over_stock(&state.order_entry) {
        Some(note) => state.warn(note),
        None => state.message = None,
    }
}

/// A line holding more than the stock (the selected line first), told.
fn over_stock(entry: &OrderEntryScreen) -> Option<String> {
    let selected = entry.cart.get(entry.cart_selected);
    selected
        .into_iter()
        .chain(&entry.cart)
        .find(|line| line.quantity.get() > line.product.stock)
        .map(|line| {
            format!(
                "{}: {} in the cart, {} in stock.",
                line.product.name,
                line.quantity.get(),
                line.product.stock
            )
        })
}

/// Keeps the cart as it was before a change, for Ctrl-Z.
fn remember(entry: &mut OrderEntryScreen, before: Vec<CartLine>) {
    entry.undo.push(before);
    if entry.undo.len() > UNDO_DEPTH {
        entry.undo.remove(0);
    }
}

fn undo(state: &mut AppState) {
    let entry = &mut state.order_entry;
    match entry.undo.pop() {
        Some(cart) => {
            entry.cart = cart;
            entry.cart_selected = entry.cart_selected.min(entry.cart.len().saturating_sub(1));
            let undone = "The last change to the cart was undone.";
            match over_stock(entry) {
                Some(note) => state.warn(format!("{undone} {note}")),
                None => state.inform(undone),
            }
        }
        None => state.warn("Nothing to undo."),
    }
}

fn change_line(state: &mut AppState, delta: i64) {
    let entry = &mut state.order_entry;
    let Some(line) = entry.cart.get(entry.cart_selected) else {
        return;
    };
    match Quantity::new(line.quantity.get() + delta) {
        Ok(quantity) => {
            let before = entry.cart.clone();
            entry.cart[entry.cart_selected].quantity = quantity;
            remember(entry, before);
            describe_cart(state);
        }
        Err(_) if delta < 0 => state.warn("A line holds at least one; Del removes it."),
        Err(error) => state.warn(error.to_string()),
    }
}

fn remove_line(state: &mut AppState) {
    let entry = &mut state.order_entry;
    if entry.cart_selected < entry.cart.len() {
        let before = entry.cart.clone();
        entry.cart.remove(entry.cart_selected);
        entry.cart_selected = entry.cart_selected.min(entry.cart.len().saturating_sub(1));
        // The last line gone, the cursor is back on the scan line (and
        // stays there if Ctrl-Z brings the line back).
        entry.in_cart = !entry.cart.is_empty();
        remember(entry, before);
        describe_cart(state);
    }
}

fn open_checkout(state: &mut AppState) -> Vec<Effect> {
    let entry = &state.order_entry;
    if entry.cart.is_empty() {
        state.warn("Scan or type an item first.");
        return Vec::new();
    }
    if entry.customer.is_none() {
        move_to(&mut state.order_entry, EntryFocus::Customer);
        state.warn_about(
            EntryFocus::Customer,
            "Choose the customer first (Enter alone: Walk-in).",
        );
        return Vec::new();
    }
    let Some(totals) = totals(entry) else {
        state.warn("The total is too large.");
        return Vec::new();
    };
    state.popup = Some(Popup::Checkout(Checkout {
        method: Some(PaymentMethod::Cash),
        tendered: TextField::default(),
        totals,
        item_count: item_count(entry),
    }));
    // The sale's id is made before checkout can send it, once.
    match entry.sale_id {
        None => vec![Effect::MakeSaleId],
        Some(_) => Vec::new(),
    }
}

fn new_order(
    entry: &OrderEntryScreen,
    customer_id: i64,
    count_corrections: Vec<CountCorrection>,
) -> NewOrder {
    NewOrder {
        customer_id,
        // The cart holds the very products scanned: named by id, so no
        // other product's SKU or id can stand in for them.
        items: entry
            .cart
            .iter()
            .map(|line| ItemSpec {
                product: ProductRef::Id(line.product.id),
                quantity: line.quantity,
            })
            .collect(),
        note: String::new(),
        count_corrections,
        sale_id: entry.sale_id.clone(),
    }
}

/// Places the sale as checkout has it; `count_corrections`: the counts
/// the cashier confirmed correcting (none for an ordinary sale).
fn place(
    state: &mut AppState,
    checkout: &Checkout,
    count_corrections: Vec<CountCorrection>,
) -> Vec<Effect> {
    let entry = &state.order_entry;
    let Some(customer) = &entry.customer else {
        return Vec::new();
    };
    let order = new_order(entry, customer.id, count_corrections);
    let Some(method) = checkout.method else {
        return vec![Effect::PlaceOrder(order)];
    };
    let currency = &state.currency;
    let cash = method == PaymentMethod::Cash;
    let tendered = match change_due(checkout, currency).filter(|_| cash) {
        None => None,
        Some(Ok(_)) => Cents::parse(checkout.tendered.value(), currency).ok(),
        Some(Err(error)) => {
            state.warn(format!("Tendered: {error}"));
            return Vec::new();
        }
    };
    match Payment::new(method, tendered, checkout.totals.total, currency) {
        Ok(payment) => vec![Effect::PlaceCounterSale {
            order,
            payment,
            expected_total: checkout.totals.total,
        }],
        Err(error) => {
            state.warn(error.to_string());
            Vec::new()
        }
    }
}

/// F8: parks a sale in progress, or lists the parked ones on an empty sale.
fn park_or_list(state: &mut AppState) -> Vec<Effect> {
    let entry = &state.order_entry;
    if entry.cart.is_empty() {
        return vec![Effect::LoadParked];
    }
    park(entry)
}

/// Parks the sale in progress (Walk-in when no customer was picked), with
/// its sale id if checkout made one.
pub fn park(entry: &OrderEntryScreen) -> Vec<Effect> {
    vec![Effect::ParkSale {
        customer_id: parked_customer_id(entry),
        lines: entry
            .cart
            .iter()
            .map(|line| (line.product.id, line.quantity))
            .collect(),
        sale_id: entry.sale_id.clone(),
    }]
}

/// Parks the sale in progress on this machine, in this counter's folder
/// for it: the app is closing and the database server cannot be reached.
pub fn park_on_this_machine(state: &AppState) -> Vec<Effect> {
    let entry = &state.order_entry;
    vec![Effect::ParkOnThisMachine {
        customer_id: parked_customer_id(entry),
        lines: entry
            .cart
            .iter()
            .map(|line| (line.product.clone(), line.quantity))
            .collect(),
        sale_id: entry.sale_id.clone(),
        folder: state.parked_folder.clone(),
    }]
}

/// What to say of `order`, the answer to the checkout of the sale in
/// progress, when it was placed before the sale was parked (the answer to
/// that checkout lost): its sale id found it, and nothing was placed again.
fn placed_before_parking(entry: &OrderEntryScreen, order: &Order) -> Option<String> {
    let parked_at = entry.parked_at?;
    (order.created_at <= parked_at).then(|| {
        format!(
            "This sale had already been placed as order {}, before it was parked (the answer to its checkout was lost): it was not placed again. Order {} stands as placed then (F6 Order status shows it).",
            order.id, order.id
        )
    })
}

/// Whom a parked sale is for: Walk-in when no customer was picked.
fn parked_customer_id(entry: &OrderEntryScreen) -> i64 {
    entry
        .customer
        .as_ref()
        .map_or(crate::domain::customer::WALK_IN_ID, |c| c.id)
}

/// The sale in progress was parked, as `said` says: a new one starts, and
/// the app quits if it parked it to quit (saying it last).
fn after_parking(state: &mut AppState, said: String) {
    let quit = state.order_entry.quit_after_park;
    start_new_sale(state);
    if quit {
        state.farewell = Some(said.clone());
    }
    state.inform(said);
    state.quit = quit;
}
