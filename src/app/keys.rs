//! The one key table: every key the app knows, where it works and what it
//! does. The help overlay and the status-line hints are made from this
//! table, so they cannot drift from what the keys do.
//!
//! One rule: where a text field has the cursor ([`AppState::field_with_cursor`]),
//! no key the field takes as text is a command: not a character it accepts,
//! and not tui-input's editing keys (← → Home End Backspace Del, Ctrl-A B
//! E F H K U W Y, Alt-Backspace). Actions there are F-keys, Enter, Esc,
//! Tab, arrows, PgUp/PgDn and the other Ctrl keys; letters are commands
//! only where no free-text field has the cursor (History, confirmations,
//! the digits-only order number, the amount in checkout). A test walks
//! this table over every state to hold it (`tests/typing_keys.rs`).

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
    /// Moving through the rows of any list, also one under a search
    /// field (Customers, Products, History): keys that never edit text.
    Rows,
    /// Moving through a list no text field is over (History): the keys
    /// a field would use (Home End, letters) move the list too.
    List,
    /// Customers: the search field has the cursor, the list is under it.
    Customers,
    Products,
    History,
    /// The customer field of New order.
    CustomerField,
    /// The scan line of New order.
    ScanLine,
    /// The cart's lines, entered with ↑ ↓ from an empty scan line; typing
    /// returns to the scan line, and the scan line's other keys still work
    /// (↑ ↓ move in the cart, Esc leaves it).
    Cart,
    /// Anywhere on New order.
    OrderEntry,
    CheckoutPopup,
    ParkedPopup,
    /// Order status: the order-number field (digits only) has the cursor.
    OrderNumber,
    /// An order shown on Order status (the number field keeps the cursor).
    OrderShown,
}

/// How much a hint matters on the status line: when the line is too
/// short, the least important hints are dropped first (F1 lists them all).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Priority {
    /// Leaving or clearing (Esc), which people find without a hint.
    Low,
    Normal,
    /// The screen's main step (add, find, checkout, place the sale).
    High,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Binding {
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
    pub context: Context,
    pub command: Command,
    pub help: &'static str,
    pub priority: Priority,
}

impl Binding {
    const fn priority(self, priority: Priority) -> Binding {
        Binding { priority, ..self }
    }
}

const fn key(code: KeyCode, context: Context, command: Command, help: &'static str) -> Binding {
    Binding {
        code,
        modifiers: KeyModifiers::NONE,
        context,
        command,
        help,
        priority: Priority::Normal,
    }
}

/// The app's one rule for actions where a text field has the cursor:
/// Ctrl and a letter tui-input does not use for editing (see
/// `the_field_keeps_its_keys` in the tests), so typing never acts.
const fn ctrl(c: char, context: Context, command: Command, help: &'static str) -> Binding {
    Binding {
        code: KeyCode::Char(c),
        modifiers: KeyModifiers::CONTROL,
        context,
        command,
        help,
        priority: Priority::Normal,
    }
}

/// Ctrl with a key that is not a character (Ctrl-Home).
const fn ctrl_key(
    code: KeyCode,
    context: Context,
    command: Command,
    help: &'static str,
) -> Binding {
    Binding {
        modifiers: KeyModifiers::CONTROL,
        ..key(code, context, command, help)
    }
}

use Command as C;
use Context as X;
use KeyCode as K;
use Priority as P;

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
    key(K::Enter, X::ConfirmPopup, C::Yes, "yes"),
    key(K::Char('y'), X::ConfirmPopup, C::Yes, "yes"),
    key(K::Esc, X::ConfirmPopup, C::No, "no"),
    key(K::Char('n'), X::ConfirmPopup, C::No, "no"),
    key(K::Enter, X::FormPopup, C::Submit, "save").priority(P::High),
    key(K::Tab, X::FormPopup, C::NextField, "next field"),
    key(K::BackTab, X::FormPopup, C::PreviousField, "previous field"),
    key(K::Down, X::FormPopup, C::NextField, "next field"),
    key(K::Up, X::FormPopup, C::PreviousField, "previous field"),
    key(K::Esc, X::FormPopup, C::Back, "cancel, nothing saved"),
    key(K::Up, X::Rows, C::Up, "previous row"),
    key(K::Down, X::Rows, C::Down, "next row"),
    key(K::PageUp, X::Rows, C::PageUp, "page up"),
    key(K::PageDown, X::Rows, C::PageDown, "page down"),
    // Home and End belong to a text field (start and end of its line), so
    // with Ctrl they move to the list's ends, which works under a field too.
    ctrl_key(K::Home, X::Rows, C::Home, "first row"),
    ctrl_key(K::End, X::Rows, C::End, "last row"),
    key(K::Char('k'), X::List, C::Up, "previous row"),
    key(K::Char('j'), X::List, C::Down, "next row"),
    key(K::Home, X::List, C::Home, "first row"),
    key(K::End, X::List, C::End, "last row"),
    key(K::Enter, X::Customers, C::Select, "history").priority(P::High),
    ctrl('n', X::Customers, C::New, "new customer"),
    ctrl('d', X::Customers, C::Edit, "edit"),
    ctrl('o', X::Customers, C::NewOrderForCustomer, "new order"),
    key(K::Esc, X::Customers, C::Back, "clear the search").priority(P::Low),
    key(K::Enter, X::Products, C::Select, "edit").priority(P::High),
    ctrl('n', X::Products, C::New, "new product"),
    // Enter edits too; this is for the same key as on Customers.
    ctrl('d', X::Products, C::Edit, "edit").priority(P::Low),
    ctrl('r', X::Products, C::Restock, "restock"),
    ctrl('x', X::Products, C::ToggleArchived, "archive / unarchive"),
    key(K::Esc, X::Products, C::Back, "clear the search").priority(P::Low),
    key(K::Enter, X::History, C::Select, "order details").priority(P::High),
    key(
        K::Char('s'),
        X::History,
        C::CycleStatusFilter,
        "status filter",
    ),
    key(K::Char('w'), X::History, C::ShowWholeShop, "whole shop"),
    ctrl('p', X::History, C::PrintReceipt, "print receipt"),
    key(K::Esc, X::History, C::Back, "back").priority(P::Low),
    key(
        K::Enter,
        X::CustomerField,
        C::Select,
        "take (empty: Walk-in)",
    )
    .priority(P::High),
    key(K::Up, X::CustomerField, C::Up, "previous match"),
    key(K::Down, X::CustomerField, C::Down, "next match"),
    // Where "No customer matches" is said: a customer new to the shop.
    ctrl('n', X::CustomerField, C::New, "register a customer"),
    key(K::Tab, X::CustomerField, C::NextField, "to the scan line"),
    key(K::Esc, X::CustomerField, C::Back, "back / clear").priority(P::Low),
    key(K::Enter, X::ScanLine, C::Select, "add (empty: checkout)").priority(P::High),
    key(K::Up, X::ScanLine, C::Up, "previous match / the cart"),
    key(K::Down, X::ScanLine, C::Down, "next match / the cart"),
    key(K::Tab, X::ScanLine, C::PreviousField, "to the customer"),
    key(K::BackTab, X::ScanLine, C::PreviousField, "to the customer"),
    key(K::Esc, X::ScanLine, C::Back, "back / clear").priority(P::Low),
    key(K::Char('+'), X::Cart, C::MoreOfLine, "cart line: one more").priority(P::High),
    key(K::Char('-'), X::Cart, C::LessOfLine, "cart line: one less").priority(P::High),
    key(K::Delete, X::Cart, C::RemoveLine, "cart line: remove"),
    key(K::F(10), X::OrderEntry, C::Checkout, "checkout").priority(P::High),
    key(K::F(9), X::OrderEntry, C::VoidSale, "void the sale"),
    key(K::F(8), X::OrderEntry, C::Park, "park / parked sales"),
    ctrl('z', X::OrderEntry, C::Undo, "undo"),
    ctrl('p', X::OrderEntry, C::PrintReceipt, "print last receipt").priority(P::High),
    key(K::Enter, X::CheckoutPopup, C::Submit, "place the sale").priority(P::High),
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
    key(K::Esc, X::CheckoutPopup, C::Back, "back to the cart").priority(P::Low),
    key(K::Up, X::ParkedPopup, C::Up, "previous"),
    key(K::Down, X::ParkedPopup, C::Down, "next"),
    key(K::Enter, X::ParkedPopup, C::Select, "resume"),
    key(K::Esc, X::ParkedPopup, C::Back, "close"),
    key(K::Enter, X::OrderNumber, C::Select, "find the order"),
    key(K::Esc, X::OrderNumber, C::Back, "back / clear").priority(P::Low),
    key(K::Char('s'), X::OrderShown, C::Ship, "mark shipped").priority(P::High),
    key(K::Char('d'), X::OrderShown, C::Deliver, "mark delivered").priority(P::High),
    key(K::Char('c'), X::OrderShown, C::Cancel, "cancel the order"),
    ctrl('p', X::OrderShown, C::PrintReceipt, "print receipt"),
];

/// The kind of text field that has the cursor: which typed keys are its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// Any character is text (a search, a name, a code).
    FreeText,
    /// Only digits are text (an order number): letters may be commands.
    Digits,
    /// Digits and the decimal separators (`.` `,`) are text (cash
    /// tendered): letters may be commands.
    Amount,
}

impl Field {
    /// Whether typing `c` into this field puts it in the text.
    pub fn takes(self, c: char) -> bool {
        match self {
            Field::FreeText => true,
            Field::Digits => c.is_ascii_digit(),
            Field::Amount => c.is_ascii_digit() || c == '.' || c == ',',
        }
    }
}

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
    let entry = &state.order_entry;
    let mut contexts = match state.screen {
        Screen::Customers => vec![X::Customers, X::Rows],
        Screen::Products => vec![X::Products, X::Rows],
        Screen::OrderEntry if entry.focus == EntryFocus::Customer => {
            vec![X::CustomerField, X::OrderEntry]
        }
        // The cart's keys first; Enter and Tab still do what they do on
        // the (empty) scan line.
        Screen::OrderEntry if state.order_entry_in_cart() => {
            vec![X::Cart, X::ScanLine, X::OrderEntry]
        }
        Screen::OrderEntry => vec![X::ScanLine, X::OrderEntry],
        Screen::History => vec![X::History, X::Rows, X::List],
        Screen::OrderStatus if state.order_status.order.is_some() => {
            vec![X::OrderShown, X::OrderNumber]
        }
        Screen::OrderStatus => vec![X::OrderNumber],
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
        C::Edit | C::Select | C::Restock | C::ToggleArchived
            if state.screen == Screen::Products =>
        {
            state.products.list.selected_row().is_some()
        }
        C::Select if state.screen == Screen::History => state.history.list.selected_row().is_some(),
        // Esc clears a search only when there is one to clear.
        C::Back if state.screen == Screen::Customers => !state.customers.search.value().is_empty(),
        C::Back if state.screen == Screen::Products => !state.products.search.value().is_empty(),
        // And on the counter only when there is text, matches or the cart
        // to leave: on an empty field it would do nothing.
        C::Back if state.screen == Screen::OrderEntry => {
            let entry = &state.order_entry;
            match entry.focus {
                EntryFocus::Customer => !entry.customer_input.value().is_empty(),
                EntryFocus::Scan => state.order_entry_in_cart() || !entry.scan.value().is_empty(),
            }
        }
        C::ShowWholeShop => state.history.customer.is_some(),
        C::Back if state.screen == Screen::History => state.history.customer.is_some(),
        C::Checkout | C::VoidSale => state.order_entry.is_started(),
        C::MoreOfLine | C::LessOfLine | C::RemoveLine => !state.order_entry.cart.is_empty(),
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
        // the line-editing keys: ← → Home End Backspace Del Ctrl-U Ctrl-W…);
        // in the cart it goes back to the scan line, so a scan is never lost.
        None if state.field_with_cursor().is_some() || state.order_entry_in_cart() => {
            Some(Action::Edit(event))
        }
        // Typed over a question: kept by it, so that the Enter ending a
        // scan does not answer yes.
        None if matches!(state.popup, Some(Popup::Confirm { .. })) => Some(Action::Edit(event)),
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
/// help overlay lists. Keys bound twice to the same help text show once
/// (a key with Ctrl is another key: Home and Ctrl-Home both show).
pub fn help_bindings(screen: Screen) -> Vec<&'static Binding> {
    let contexts: &[Context] = match screen {
        Screen::Customers => &[X::Customers, X::Rows],
        Screen::Products => &[X::Products, X::Rows],
        Screen::OrderEntry => &[
            X::CustomerField,
            X::ScanLine,
            X::Cart,
            X::OrderEntry,
            X::CheckoutPopup,
            X::ParkedPopup,
        ],
        Screen::History => &[X::History, X::Rows, X::List],
        Screen::OrderStatus => &[X::OrderNumber, X::OrderShown],
    };
    let mut shown: Vec<&'static Binding> = Vec::new();
    for context in contexts.iter().chain(&[X::Everywhere]) {
        for binding in KEYS.iter().filter(|b| b.context == *context) {
            let repeated = shown.iter().any(|s| {
                s.code == binding.code && s.modifiers == binding.modifiers && s.help == binding.help
            });
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
        X::Rows | X::List => "in the list",
        X::Customers | X::Products => "search field and list",
        X::History | X::OrderEntry => "on this screen",
        X::CustomerField => "customer field",
        // The cart is entered from the scan line: one section in help.
        X::ScanLine | X::Cart => "scan line",
        X::CheckoutPopup => "checkout",
        X::ParkedPopup => "parked sales",
        X::OrderNumber => "order number",
        X::OrderShown => "order shown",
    }
}

/// How a key is written for people: `F4 (Alt+4)`, `Ctrl-Q`, `Enter`, `n`.
pub fn key_label(binding: &Binding) -> String {
    let named = named_key(binding);
    match binding.code {
        K::Char(_) => named,
        _ if binding.modifiers == KeyModifiers::CONTROL => format!("Ctrl-{named}"),
        _ => named,
    }
}

fn named_key(binding: &Binding) -> String {
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
