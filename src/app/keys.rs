//! The one key table: every key the app knows, where it works and what it
//! does. The help overlay and the status-line hints are made from this
//! table, so they cannot drift from what the keys do.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::action::{Action, Command};
use super::state::{AppState, EntryFocus, Popup, Screen};

/// Where a binding works.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// On every screen, also while typing (not in popups).
    Everywhere,
    HelpPopup,
    ConfirmPopup,
    FormPopup,
    /// Moving through a list (Customers, Products, History).
    List,
    /// Typing in the search field of Customers or Products.
    SearchField,
    Customers,
    Products,
    History,
    /// The customer field of New order.
    CustomerField,
    /// The scan line of New order (and the cart while it is empty).
    ScanLine,
    /// Anywhere on New order.
    OrderEntry,
    CheckoutPopup,
    ParkedPopup,
    /// Typing an order number on Order status.
    OrderNumber,
    /// An order shown on Order status.
    OrderShown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Binding {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
    pub context: Context,
    pub command: Command,
    pub help: &'static str,
}

const fn key(code: KeyCode, context: Context, command: Command, help: &'static str) -> Binding {
    Binding {
        code,
        modifiers: KeyModifiers::NONE,
        context,
        command,
        help,
    }
}

const fn ctrl(c: char, context: Context, command: Command, help: &'static str) -> Binding {
    Binding {
        code: KeyCode::Char(c),
        modifiers: KeyModifiers::CONTROL,
        context,
        command,
        help,
    }
}

use Command as C;
use Context as X;
use KeyCode as K;

pub const KEYS: &[Binding] = &[
    key(
        K::F(1),
        X::Everywhere,
        C::ToggleHelp,
        "help: the keys of this screen",
    ),
    key(
        K::F(2),
        X::Everywhere,
        C::Open(Screen::Customers),
        "Customers",
    ),
    key(
        K::F(3),
        X::Everywhere,
        C::Open(Screen::Products),
        "Products",
    ),
    key(
        K::F(4),
        X::Everywhere,
        C::Open(Screen::OrderEntry),
        "New order",
    ),
    key(K::F(5), X::Everywhere, C::Open(Screen::History), "History"),
    key(
        K::F(6),
        X::Everywhere,
        C::Open(Screen::OrderStatus),
        "Order status",
    ),
    ctrl('q', X::Everywhere, C::Quit, "quit"),
    key(K::Esc, X::HelpPopup, C::Back, "close help"),
    key(K::F(1), X::HelpPopup, C::Back, "close help"),
    key(K::Char('y'), X::ConfirmPopup, C::Yes, "yes"),
    key(K::Enter, X::ConfirmPopup, C::Yes, "yes"),
    key(K::Char('n'), X::ConfirmPopup, C::No, "no"),
    key(K::Esc, X::ConfirmPopup, C::No, "no"),
    key(K::Enter, X::FormPopup, C::Submit, "save"),
    key(K::Tab, X::FormPopup, C::NextField, "next field"),
    key(K::BackTab, X::FormPopup, C::PreviousField, "previous field"),
    key(K::Down, X::FormPopup, C::NextField, "next field"),
    key(K::Up, X::FormPopup, C::PreviousField, "previous field"),
    key(K::Esc, X::FormPopup, C::Back, "cancel, nothing saved"),
    key(K::Up, X::List, C::Up, "previous row"),
    key(K::Down, X::List, C::Down, "next row"),
    key(K::Char('k'), X::List, C::Up, "previous row"),
    key(K::Char('j'), X::List, C::Down, "next row"),
    key(K::PageUp, X::List, C::PageUp, "page up"),
    key(K::PageDown, X::List, C::PageDown, "page down"),
    key(K::Home, X::List, C::Home, "first row"),
    key(K::End, X::List, C::End, "last row read"),
    key(K::Esc, X::SearchField, C::Back, "leave the search"),
    key(K::Enter, X::SearchField, C::Back, "leave the search"),
    key(K::Up, X::SearchField, C::Up, "previous row"),
    key(K::Down, X::SearchField, C::Down, "next row"),
    key(K::Char('/'), X::Customers, C::FocusSearch, "search"),
    key(K::Char('n'), X::Customers, C::New, "new customer"),
    key(K::Char('e'), X::Customers, C::Edit, "edit"),
    key(K::Enter, X::Customers, C::Select, "history"),
    key(
        K::Char('o'),
        X::Customers,
        C::NewOrderForCustomer,
        "new order",
    ),
    key(K::Char('/'), X::Products, C::FocusSearch, "search"),
    key(K::Char('n'), X::Products, C::New, "new product"),
    key(K::Char('e'), X::Products, C::Edit, "edit"),
    key(K::Char('r'), X::Products, C::Restock, "restock"),
    key(
        K::Char('a'),
        X::Products,
        C::ToggleArchived,
        "archive / unarchive",
    ),
    key(K::Enter, X::History, C::Select, "order details"),
    key(
        K::Char('s'),
        X::History,
        C::CycleStatusFilter,
        "status filter",
    ),
    key(K::Char('w'), X::History, C::ShowWholeShop, "whole shop"),
    ctrl('p', X::History, C::PrintReceipt, "print receipt"),
    key(K::Esc, X::History, C::Back, "back"),
    key(
        K::Enter,
        X::CustomerField,
        C::Select,
        "pick (empty: Walk-in)",
    ),
    key(K::Up, X::CustomerField, C::Up, "previous match"),
    key(K::Down, X::CustomerField, C::Down, "next match"),
    key(K::Tab, X::CustomerField, C::NextField, "to the scan line"),
    key(K::Esc, X::CustomerField, C::Back, "clear"),
    key(K::Enter, X::ScanLine, C::Select, "add (empty: checkout)"),
    key(K::Up, X::ScanLine, C::Up, "previous line / match"),
    key(K::Down, X::ScanLine, C::Down, "next line / match"),
    key(K::Char('+'), X::ScanLine, C::MoreOfLine, "one more"),
    key(K::Char('-'), X::ScanLine, C::LessOfLine, "one less"),
    key(K::Delete, X::ScanLine, C::RemoveLine, "remove line"),
    key(K::Tab, X::ScanLine, C::PreviousField, "to the customer"),
    key(K::BackTab, X::ScanLine, C::PreviousField, "to the customer"),
    key(K::Esc, X::ScanLine, C::Back, "clear"),
    key(K::F(10), X::OrderEntry, C::Checkout, "checkout"),
    key(K::F(9), X::OrderEntry, C::VoidSale, "void the sale"),
    key(K::F(8), X::OrderEntry, C::Park, "park / parked sales"),
    ctrl('z', X::OrderEntry, C::Undo, "undo"),
    ctrl('p', X::OrderEntry, C::PrintReceipt, "print last receipt"),
    key(K::Enter, X::CheckoutPopup, C::Submit, "place the sale"),
    key(K::Char('c'), X::CheckoutPopup, C::PayCash, "cash"),
    key(K::Char('k'), X::CheckoutPopup, C::PayCard, "card"),
    key(K::Char('o'), X::CheckoutPopup, C::PayOther, "other"),
    key(
        K::Char('l'),
        X::CheckoutPopup,
        C::PayLater,
        "pay later: ship",
    ),
    key(K::Tab, X::CheckoutPopup, C::NextField, "next way to pay"),
    key(K::Esc, X::CheckoutPopup, C::Back, "back to the cart"),
    key(K::Up, X::ParkedPopup, C::Up, "previous"),
    key(K::Down, X::ParkedPopup, C::Down, "next"),
    key(K::Enter, X::ParkedPopup, C::Select, "resume"),
    key(K::Esc, X::ParkedPopup, C::Back, "close"),
    key(K::Enter, X::OrderNumber, C::Select, "find the order"),
    key(K::Esc, X::OrderNumber, C::Back, "back"),
    key(K::Char('s'), X::OrderShown, C::Ship, "mark shipped"),
    key(K::Char('d'), X::OrderShown, C::Deliver, "mark delivered"),
    key(K::Char('c'), X::OrderShown, C::Cancel, "cancel the order"),
    key(
        K::Char('/'),
        X::OrderShown,
        C::FocusSearch,
        "find another order",
    ),
    ctrl('p', X::OrderShown, C::PrintReceipt, "print receipt"),
    key(K::Esc, X::OrderShown, C::Back, "back"),
];

/// The contexts that apply now, most specific first.
pub fn contexts(state: &AppState) -> Vec<Context> {
    match &state.popup {
        Some(Popup::Help) => return vec![X::HelpPopup],
        Some(Popup::Confirm { .. }) => return vec![X::ConfirmPopup],
        Some(Popup::Form(_)) => return vec![X::FormPopup],
        Some(Popup::Checkout(_)) => return vec![X::CheckoutPopup],
        Some(Popup::Parked(_)) => return vec![X::ParkedPopup],
        None => {}
    }
    let mut contexts = match state.screen {
        Screen::Customers if state.customers.searching => vec![X::SearchField],
        Screen::Customers => vec![X::Customers, X::List],
        Screen::Products if state.products.searching => vec![X::SearchField],
        Screen::Products => vec![X::Products, X::List],
        Screen::OrderEntry if state.order_entry.focus == EntryFocus::Customer => {
            vec![X::CustomerField, X::OrderEntry]
        }
        Screen::OrderEntry => vec![X::ScanLine, X::OrderEntry],
        Screen::History => vec![X::History, X::List],
        Screen::OrderStatus if state.order_status.typing => vec![X::OrderNumber],
        Screen::OrderStatus => vec![X::OrderShown],
    };
    contexts.push(X::Everywhere);
    contexts
}

/// Whether a command makes sense now: the status line only offers those,
/// and the others do nothing.
pub fn available(state: &AppState, command: Command) -> bool {
    use crate::domain::order::Status;
    let shown = state.order_status.order.as_ref();
    let can_move_to =
        |to: Status| shown.is_some_and(|order| order.status.next_allowed().contains(&to));
    if state.popup.is_some() {
        // A popup's keys always work; what is under it does not matter.
        return true;
    }
    match command {
        C::Edit | C::Select | C::NewOrderForCustomer if state.screen == Screen::Customers => {
            state.customers.list.selected_row().is_some()
        }
        C::Edit | C::Restock | C::ToggleArchived => state.products.list.selected_row().is_some(),
        C::Select if state.screen == Screen::History => state.history.list.selected_row().is_some(),
        C::ShowWholeShop => state.history.customer.is_some(),
        C::Back if state.screen == Screen::History => state.history.customer.is_some(),
        C::Checkout | C::VoidSale => state.order_entry.is_started(),
        // On a typed scan line these keys are characters of the code.
        C::MoreOfLine | C::LessOfLine | C::RemoveLine => {
            super::order_entry::scan_is_empty(&state.order_entry)
                && !state.order_entry.cart.is_empty()
        }
        C::PrintReceipt => match state.screen {
            Screen::OrderEntry => state.order_entry.last_receipt.is_some(),
            Screen::History => state.history.list.selected_row().is_some(),
            _ => state.order_status.order.is_some(),
        },
        C::Ship => can_move_to(Status::Shipped),
        C::Deliver => can_move_to(Status::Delivered),
        C::Cancel => can_move_to(Status::Canceled),
        _ => true,
    }
}

/// The action for a key press, or `None` when the key does nothing here.
pub fn action_for(state: &AppState, event: KeyEvent) -> Option<Action> {
    if event.kind == KeyEventKind::Release {
        return None;
    }
    let (code, modifiers) = alt_digit_as_f_key(event);
    let contexts = contexts(state);
    // The first binding of this key that works now; an unavailable one lets
    // the key through to the text field (`+` on a typed scan line).
    let bound = contexts.iter().find_map(|context| {
        KEYS.iter().find(|binding| {
            binding.context == *context
                && binding.code == code
                && same_modifiers(binding, code, modifiers)
                && available(state, binding.command)
        })
    });
    match bound {
        Some(binding) => Some(Action::Command(binding.command)),
        // Any other key edits the field that has focus (characters, and
        // the line-editing keys: ← → Home End Backspace Del Ctrl-U Ctrl-W…).
        None if state.text_has_focus() => Some(Action::Edit(event)),
        None => None,
    }
}

/// Alt+1 … Alt+9 are F1 … F9 and Alt+0 is F10, for keyboards and terminals
/// where the F-keys are taken.
fn alt_digit_as_f_key(event: KeyEvent) -> (KeyCode, KeyModifiers) {
    match (event.code, event.modifiers) {
        (KeyCode::Char(digit @ '0'..='9'), KeyModifiers::ALT) => {
            let number = digit.to_digit(10).unwrap_or(0);
            (
                KeyCode::F(if number == 0 { 10 } else { number as u8 }),
                KeyModifiers::NONE,
            )
        }
        other => other,
    }
}

/// Shift is part of the character itself (`+`, `A`, Shift-Tab), so it is
/// ignored for characters and BackTab.
fn same_modifiers(binding: &Binding, code: KeyCode, modifiers: KeyModifiers) -> bool {
    let significant = match code {
        KeyCode::Char(_) | KeyCode::BackTab => modifiers - KeyModifiers::SHIFT,
        _ => modifiers,
    };
    binding.modifiers == significant
}

/// The bindings to show for the current state: in help, all of them; in
/// the status line, those that are available now.
pub fn bindings_for(state: &AppState) -> Vec<&'static Binding> {
    let contexts = contexts(state);
    let mut shown: Vec<&'static Binding> = Vec::new();
    for context in contexts {
        for binding in KEYS.iter().filter(|b| b.context == context) {
            let duplicate = shown
                .iter()
                .any(|s| s.command == binding.command && s.context == binding.context);
            if !duplicate {
                shown.push(binding);
            }
        }
    }
    shown
}

/// Every binding of `screen`, whatever has the cursor there: what the
/// help overlay lists. Keys bound twice to the same help text show once.
pub fn help_bindings(screen: Screen) -> Vec<&'static Binding> {
    let contexts: &[Context] = match screen {
        Screen::Customers => &[X::Customers, X::SearchField, X::List],
        Screen::Products => &[X::Products, X::SearchField, X::List],
        Screen::OrderEntry => &[
            X::CustomerField,
            X::ScanLine,
            X::OrderEntry,
            X::CheckoutPopup,
            X::ParkedPopup,
        ],
        Screen::History => &[X::History, X::List],
        Screen::OrderStatus => &[X::OrderNumber, X::OrderShown],
    };
    let mut shown: Vec<&'static Binding> = Vec::new();
    for context in contexts.iter().chain(&[X::Everywhere]) {
        for binding in KEYS.iter().filter(|b| b.context == *context) {
            let repeated = shown
                .iter()
                .any(|s| s.code == binding.code && s.help == binding.help);
            if !repeated {
                shown.push(binding);
            }
        }
    }
    shown
}

/// Where a binding works, as the help overlay heads it.
pub fn context_label(context: Context) -> &'static str {
    match context {
        X::Everywhere => "everywhere",
        X::HelpPopup | X::ConfirmPopup | X::FormPopup => "popup",
        X::List => "in the list",
        X::SearchField => "in the search field",
        X::Customers | X::Products | X::History | X::OrderEntry => "on this screen",
        X::CustomerField => "customer field",
        X::ScanLine => "scan line",
        X::CheckoutPopup => "checkout",
        X::ParkedPopup => "parked sales",
        X::OrderNumber => "order number",
        X::OrderShown => "order shown",
    }
}

/// How a key is written for people: `F4 (Alt+4)`, `Ctrl-Q`, `Enter`, `n`.
pub fn key_label(binding: &Binding) -> String {
    match binding.code {
        K::F(10) => "F10 (Alt+0)".to_string(),
        K::F(n) => format!("F{n} (Alt+{n})"),
        K::Char(c) if binding.modifiers == KeyModifiers::CONTROL => {
            format!("Ctrl-{}", c.to_ascii_uppercase())
        }
        K::Char(c) => c.to_string(),
        K::Enter => "Enter".into(),
        K::Esc => "Esc".into(),
        K::Tab => "Tab".into(),
        K::BackTab => "Shift-Tab".into(),
        K::Up => "↑".into(),
        K::Down => "↓".into(),
        K::PageUp => "PgUp".into(),
        K::PageDown => "PgDn".into(),
        K::Home => "Home".into(),
        K::End => "End".into(),
        K::Delete => "Del".into(),
        K::Backspace => "Backspace".into(),
        other => format!("{other:?}"),
    }
}

/// The short form for the status line: `F4`, not `F4 (Alt+4)`.
pub fn short_key_label(binding: &Binding) -> String {
    match binding.code {
        K::F(n) => format!("F{n}"),
        _ => key_label(binding),
    }
}
