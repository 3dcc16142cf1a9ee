//! `update`: the only function that changes the app's state.

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use super::action::{Action, Command, Refusal};
use super::effect::{Effect, PrintJob};
use super::form::Form;
use super::state::{AppState, Popup, Screen};
use super::{customers, history, order_entry, order_status, products};
use crate::domain::customer::SharedPhone;
use crate::domain::text::quote;

/// Applies `action` to `state` and returns the work it asks of the outside
/// world.
pub fn update(state: &mut AppState, action: Action) -> Vec<Effect> {
    match action {
        Action::Command(command) => command_for(state, command),
        Action::Edit(key) => edit(state, key),
        Action::Resize(width, height) => {
            state.width = width;
            state.height = height;
            Vec::new()
        }
        Action::Exit => {
            state.quit = true;
            Vec::new()
        }
        Action::Shutdown => {
            state.popup = None;
            screen_command(state, Command::Quit)
        }
        Action::Refused(refusal) => refused(state, refusal),
        Action::SettingsLoaded(settings) => {
            state.currency = settings.currency;
            Vec::new()
        }
        Action::ParkedCounted(count) => {
            state.parked_count = count;
            Vec::new()
        }
        Action::CustomersLoaded { .. }
        | Action::CustomerSaved(_)
        | Action::SaveCustomerSharingPhone => customers::result(state, action),
        Action::ProductsLoaded { .. }
        | Action::ProductSaved(_)
        | Action::ProductActiveSet(_)
        | Action::ArchiveProduct(_) => products::result(state, action),
        Action::OrdersLoaded { .. } => history::result(state, action),
        Action::OrderCustomersFound { .. }
        | Action::OrderProductsFound { .. }
        | Action::SaleIdMade(_)
        | Action::OrderPlaced(_)
        | Action::VoidSale
        | Action::SaleCompleted(_)
        | Action::ReceiptLoaded { .. }
        | Action::CustomerChosen(_)
        | Action::CustomerLookedUp { .. }
        | Action::ScanLookedUp { .. }
        | Action::CartRefreshed(_)
        | Action::SaleParked(_)
        | Action::SaleParkedOnThisMachine(_)
        | Action::ParkedLoaded(_)
        | Action::SaleResumed(_)
        | Action::SellAnyway(_) => order_entry::result(state, action),
        Action::ReceiptReady { order_id, receipt } => {
            if !state.printing.insert(order_id) {
                state.inform(format!(
                    "The receipt of order {order_id} is still printing; it prints once."
                ));
                return Vec::new();
            }
            // Printing runs away from the screen: say so until it answers.
            state.inform(format!("Printing the receipt of order {order_id}…"));
            vec![Effect::Print(PrintJob {
                order_id,
                receipt,
                command: state.receipt_command.clone(),
                folder: state.receipts_folder.clone(),
            })]
        }
        Action::ReceiptPrinted { order_id, outcome } => {
            state.printing.remove(&order_id);
            match outcome {
                Ok(message) => {
                    state.inform(message);
                    Vec::new()
                }
                Err(message) => refused(
                    state,
                    Refusal {
                        rule: None,
                        server_away: None,
                        message,
                    },
                ),
            }
        }
        Action::OrderLoaded { .. }
        | Action::OrderStatusChanged { .. }
        | Action::ChangeOrderStatus { .. } => order_status::result(state, action),
    }
}

fn command_for(state: &mut AppState, command: Command) -> Vec<Effect> {
    match state.popup.take() {
        Some(Popup::Help) => {
            // Any bound key closes help.
            Vec::new()
        }
        Some(Popup::Confirm {
            question,
            on_yes,
            behind,
            typed,
        }) if command == Command::Yes && !typed.is_empty() => {
            // The Enter that ends a scan is not an answer: the question
            // stays, and says why.
            state.warn(format!(
                "“{}” was typed while a question was open, so it was not taken: answer first (Enter yes, Esc no), then scan again.",
                quote(&typed)
            ));
            state.popup = Some(Popup::Confirm {
                question,
                on_yes,
                behind,
                typed: String::new(),
            });
            vec![Effect::Beep]
        }
        Some(Popup::Confirm { on_yes, behind, .. }) => {
            state.popup = behind.map(|popup| *popup);
            match command {
                Command::Yes => update(state, *on_yes),
                _ => Vec::new(),
            }
        }
        Some(Popup::Form(form)) => form_command(state, form, command),
        Some(Popup::Checkout(checkout)) => order_entry::checkout_command(state, checkout, command),
        Some(Popup::Parked(list)) => order_entry::parked_command(state, list, command),
        None => screen_command(state, command),
    }
}

fn screen_command(state: &mut AppState, command: Command) -> Vec<Effect> {
    match command {
        Command::Open(screen) => open(state, screen),
        Command::ToggleHelp => {
            state.popup = Some(Popup::Help);
            Vec::new()
        }
        // Quitting never loses a cart: the sale is parked first.
        Command::Quit if state.order_entry.is_started() => {
            state.order_entry.quit_after_park = true;
            order_entry::park(&state.order_entry)
        }
        Command::Quit => update(state, Action::Exit),
        _ => match state.screen {
            Screen::Customers => customers::command(state, command),
            Screen::Products => products::command(state, command),
            Screen::OrderEntry => order_entry::command(state, command),
            Screen::History => history::command(state, command),
            Screen::OrderStatus => order_status::command(state, command),
        },
    }
}

/// Whether `action` must see the answers to searches still waiting: every
/// key but typing does, except Enter on the counter's fields, which looks
/// the text up itself (unless the cashier moved into the suggestions).
pub fn needs_search_answers(state: &AppState, action: &Action) -> bool {
    match action {
        Action::Edit(_) => false,
        Action::Command(Command::Select)
            if state.popup.is_none() && state.screen == Screen::OrderEntry =>
        {
            let entry = &state.order_entry;
            match entry.focus {
                super::state::EntryFocus::Customer => entry.customer_matches.entered,
                super::state::EntryFocus::Scan => entry.product_matches.entered,
            }
        }
        _ => true,
    }
}

/// Switches to `screen` and reads what it shows afresh, the shop's
/// settings included (a currency changed from the command line shows from
/// the next screen opened on).
pub fn open(state: &mut AppState, screen: Screen) -> Vec<Effect> {
    if state.screen != screen {
        state.message = None;
    }
    state.screen = screen;
    // Parked sales are counted on every screen change: another counter may
    // have parked or resumed one meanwhile.
    let mut effects = vec![Effect::LoadSettings, Effect::CountParked];
    effects.extend(match screen {
        // A search left from the last visit is selected whole: the next
        // one typed replaces it (the list still shows what it found).
        Screen::Customers => {
            state.customers.search.return_to();
            customers::reload(state)
        }
        Screen::Products => {
            state.products.search.return_to();
            products::reload(state)
        }
        Screen::OrderEntry => order_entry::enter(state),
        Screen::History => history::enter(state),
        Screen::OrderStatus => order_status::enter(state),
    });
    effects
}

fn form_command(state: &mut AppState, mut form: Form, command: Command) -> Vec<Effect> {
    match command {
        Command::Back => {
            state.inform("Nothing was saved.");
            return Vec::new();
        }
        Command::NextField => form.focus_next(true),
        Command::PreviousField => form.focus_next(false),
        Command::Submit => {
            form.clear_errors();
            let effect = if form.kind.is_customer() {
                customers::submit(&mut form, SharedPhone::Refuse)
            } else {
                products::submit(&mut form, &state.currency)
            };
            state.popup = Some(Popup::Form(form));
            return effect.into_iter().collect();
        }
        _ => {}
    }
    state.popup = Some(Popup::Form(form));
    Vec::new()
}

fn edit(state: &mut AppState, key: KeyEvent) -> Vec<Effect> {
    if let Some(Popup::Confirm { typed, .. }) = &mut state.popup {
        if let KeyCode::Char(c) = key.code {
            typed.push(c);
        }
        return Vec::new();
    }
    if let Some(Popup::Checkout(checkout)) = &mut state.popup {
        checkout.tendered.edit(key);
        return Vec::new();
    }
    if let Some(Popup::Form(form)) = &mut state.popup {
        if let Some(input) = form.focused_input() {
            input.edit(key);
        }
        if let Some(field) = form.fields.get_mut(form.focus) {
            field.error = None;
        }
        return Vec::new();
    }
    match state.screen {
        Screen::Customers => customers::edit(state, key),
        Screen::Products => products::edit(state, key),
        Screen::OrderEntry => order_entry::edit(state, key),
        Screen::OrderStatus => order_status::edit(state, key),
        Screen::History => Vec::new(),
    }
}

/// Asks a yes/no question before `on_yes` happens, over the popup open
/// now (if any), which the answer brings back.
pub fn confirm(state: &mut AppState, question: impl Into<String>, on_yes: Action) {
    state.popup = Some(Popup::Confirm {
        question: question.into(),
        on_yes: Box::new(on_yes),
        behind: state.popup.take().map(Box::new),
        typed: String::new(),
    });
}

/// A refusal goes where the user is looking: next to the form field it is
/// about, or to the status line.
fn refused(state: &mut AppState, refusal: Refusal) -> Vec<Effect> {
    // A failed read leaves its list as it was, ready to be asked again.
    state.customers.list.loading = false;
    state.products.list.loading = false;
    state.history.list.loading = false;
    // Closing, the sale is parked on this machine when it cannot be in the
    // database: nothing is lost while the server is away.
    if state.order_entry.quit_after_park && refusal.server_away.is_some() {
        return order_entry::park_on_this_machine(state);
    }
    // A sale that could not be parked (so the app could not quit) stays.
    state.order_entry.quit_after_park = false;
    if let Some(Popup::Checkout(_)) = &state.popup {
        return order_entry::checkout_refused(state, refusal);
    }
    let Some(Popup::Form(form)) = &mut state.popup else {
        state.warn(refusal.message);
        return Vec::new();
    };
    form.refuse(refusal.rule.as_ref(), &refusal.message);
    let verb = match form.kind {
        super::form::FormKind::EditCustomer(_) => "save",
        _ => "register",
    };
    // A number another customer has is asked about, not refused: a
    // household may share one. Esc leaves the form as it was, the
    // refusal next to the phone number.
    if let Some(crate::domain::Error::PhoneTaken { name, .. }) = refusal.rule {
        let question = format!("{name} has this number: {verb} anyway?");
        confirm(state, question, Action::SaveCustomerSharingPhone);
    }
    Vec::new()
}
