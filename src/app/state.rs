//! Everything the app knows, as plain data.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use std::path::PathBuf;

use super::action::Action;
use super::form::Form;
use super::keys::Field;
use super::list::{ListState, SearchedList};
use super::lookup::Suggestions;
use super::text_field::TextField;
use crate::domain::config::{PARKED_FOLDER, RECEIPTS_FOLDER};
use crate::domain::customer::Customer;
use crate::domain::order::{
    Order, OrderEvent, ParkedSale, PaymentMethod, Quantity, SaleId, Status, Totals,
};
use crate::domain::product::Product;
use crate::domain::{Cents, Currency};

/// The screens, in tab-bar order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Screen {
    Customers,
    Products,
    OrderEntry,
    History,
    OrderStatus,
}

impl Screen {
    pub const ALL: [Screen; 5] = [
        Screen::Customers,
        Screen::Products,
        Screen::OrderEntry,
        Screen::History,
        Screen::OrderStatus,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Screen::Customers => "Customers",
            Screen::Products => "Products",
            Screen::OrderEntry => "New order",
            Screen::History => "History",
            Screen::OrderStatus => "Order status",
        }
    }
}

/// The smallest terminal the layout is made for.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;
/// Rows of a list screen that are not list rows: tab bar, search box (3),
/// the list's border and header (3) and the status lines (2).
const LIST_CHROME_ROWS: u16 = 9;
/// Rows of a popup with a list (the parked sales) that are not list rows:
/// its borders, the heading and a blank row under the list.
pub const POPUP_LIST_CHROME_ROWS: u16 = 4;

#[derive(Debug, Clone)]
pub struct AppState {
    pub screen: Screen,
    pub width: u16,
    pub height: u16,
    pub popup: Option<Popup>,
    pub message: Option<Message>,
    pub customers: CustomersScreen,
    pub products: ProductsScreen,
    pub order_entry: OrderEntryScreen,
    pub history: HistoryScreen,
    pub order_status: OrderStatusScreen,
    pub quit: bool,
    /// Said on the terminal after the app closes.
    pub farewell: Option<String>,
    /// This counter's print command, from its configuration file (never
    /// from the shop's database); `None`: receipts are written to files.
    pub receipt_command: Option<String>,
    /// Where receipts are written as files when there is no print
    /// command, from this counter's configuration.
    pub receipts_folder: PathBuf,
    /// Where the sale in progress is parked as the app closes when the
    /// database server cannot be reached, from this counter's
    /// configuration.
    pub parked_folder: PathBuf,
    /// Orders whose receipt is on its way to the printer: a second Ctrl-P
    /// (nothing came out yet, so the cashier presses again) must not queue
    /// another copy behind a slow or stuck printer.
    pub printing: BTreeSet<i64>,
    /// The shop's currency: every amount shown or typed is in it.
    pub currency: Currency,
    /// Sales parked in the shop, shown on the tab bar while any are: they
    /// outlive a restart, and would be forgotten if unseen.
    pub parked_count: usize,
}

/// What covers the screen, if anything. Only one at a time.
#[derive(Debug, Clone)]
pub enum Popup {
    Help,
    /// A yes/no question; yes dispatches the action. The popup it was
    /// asked over (checkout, a customer form) comes back either way, as it
    /// was.
    Confirm {
        question: String,
        on_yes: Box<Action>,
        behind: Option<Box<Popup>>,
        /// Text typed while the question was open that is not an answer:
        /// a scan, most likely, whose Enter must not answer yes.
        typed: String,
    },
    Form(Form),
    Checkout(Checkout),
    /// Parked sales to resume, oldest first.
    Parked(ListState<ParkedSale>),
}

/// The status line's last word: what just happened, or what went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub is_error: bool,
    /// The counter's field whose text the message is about ("No customer
    /// matches “zzz”", "Unknown code"), if any: it goes once that field
    /// is settled (a customer chosen, a product added, matches shown), so
    /// it never speaks of a text that is no longer there.
    pub about: Option<EntryFocus>,
}

pub type CustomersScreen = SearchedList<Customer>;

pub type ProductsScreen = SearchedList<Product>;

/// Where the cursor is on the New order screen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum EntryFocus {
    #[default]
    Customer,
    /// The scan line: codes, `5*CODE`, or letters for name suggestions.
    Scan,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CartLine {
    pub product: Product,
    pub quantity: Quantity,
}

/// The most cart changes Ctrl-Z can take back.
pub const UNDO_DEPTH: usize = 50;

#[derive(Debug, Clone, Default)]
pub struct OrderEntryScreen {
    pub focus: EntryFocus,
    pub customer: Option<Customer>,
    pub customer_input: TextField,
    /// A phone number no customer has, cleared from the customer field by
    /// Enter (ready for the next scan): Ctrl-N still registers it.
    pub unknown_number: Option<String>,
    /// Customers matching what is typed in the customer field.
    pub customer_matches: Suggestions<Customer>,
    pub scan: TextField,
    /// Products whose name matches the letters typed on the scan line.
    pub product_matches: Suggestions<Product>,
    pub cart: Vec<CartLine>,
    pub cart_selected: usize,
    /// ↑ ↓ on the empty scan line moved into the cart: `+ - Del` change
    /// the selected line until a typed key returns to the scan line.
    pub in_cart: bool,
    /// Earlier carts, newest last, for Ctrl-Z.
    pub undo: Vec<Vec<CartLine>>,
    /// The receipt of the last sale, shown beside the next one.
    pub last_receipt: Option<LastReceipt>,
    /// The change due of the sale just done: what the cashier reads out,
    /// shown large in place of the total until the next scan.
    pub change_due: Option<Cents>,
    /// Quit once the sale in progress is parked.
    pub quit_after_park: bool,
    /// The sale's own id, made (by the effect runner) when checkout first
    /// opens on it and kept until the sale is placed or voided: whatever
    /// checkout sends again (after a refusal, a busy database or a lost
    /// server) carries it, so a sale whose answer was lost is found, not
    /// placed twice. Every new sale starts without one.
    pub sale_id: Option<SaleId>,
    /// When the sale in progress was parked, if it was resumed with its
    /// sale id: an order checkout finds with that id placed by then is
    /// this sale placed before it was parked (its answer lost), said so.
    pub parked_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastReceipt {
    pub order_id: i64,
    pub text: String,
    /// An order placed to pay later, waiting to be shipped (not a sale
    /// paid and handed over): the panel calls it an order.
    pub to_ship: bool,
}

impl OrderEntryScreen {
    /// Something would be lost by leaving: a line in the cart.
    pub fn is_started(&self) -> bool {
        !self.cart.is_empty()
    }
}

/// The checkout popup: what is paid, and how.
#[derive(Debug, Clone)]
pub struct Checkout {
    /// `None`: not paid now; the order waits to be shipped (pending).
    pub method: Option<PaymentMethod>,
    /// Cash handed over (optional); shows the change due.
    pub tendered: TextField,
    /// The total the customer is shown, checked again when placing.
    pub totals: Totals,
    pub item_count: i64,
}

#[derive(Debug, Clone, Default)]
pub struct HistoryScreen {
    /// Whose orders; `None` shows the whole shop.
    pub customer: Option<Customer>,
    pub status: Option<Status>,
    pub list: ListState<Order>,
}

#[derive(Debug, Clone, Default)]
pub struct OrderStatusScreen {
    /// Digits typed on the screen go here at once, also while an order
    /// is shown; Enter finds that order. The number of the order shown is
    /// a choice, selected whole: the next digit typed starts a new number.
    pub number: TextField,
    pub order: Option<Order>,
    pub events: Vec<OrderEvent>,
    /// The screen to go back to with Esc, when opened from another.
    pub back: Option<Screen>,
}

impl AppState {
    pub fn new(width: u16, height: u16) -> AppState {
        AppState {
            screen: Screen::Customers,
            width,
            height,
            popup: None,
            message: None,
            customers: CustomersScreen::default(),
            products: ProductsScreen::default(),
            order_entry: OrderEntryScreen::default(),
            history: HistoryScreen::default(),
            order_status: OrderStatusScreen::default(),
            quit: false,
            farewell: None,
            receipt_command: None,
            receipts_folder: PathBuf::from(RECEIPTS_FOLDER),
            parked_folder: PathBuf::from(PARKED_FOLDER),
            printing: BTreeSet::new(),
            currency: Currency::default(),
            parked_count: 0,
        }
    }

    /// How many list rows fit on a list screen at the current size.
    pub fn list_rows(&self) -> usize {
        usize::from(self.height.saturating_sub(LIST_CHROME_ROWS)).max(1)
    }

    /// How many rows of a popup's list fit at the current size: the
    /// popup may take the screen's whole height.
    pub fn popup_list_rows(&self) -> usize {
        usize::from(self.height.saturating_sub(POPUP_LIST_CHROME_ROWS)).max(1)
    }

    pub fn is_too_small(&self) -> bool {
        self.width < MIN_WIDTH || self.height < MIN_HEIGHT
    }

    /// The text field that has the cursor, if any: the keys it takes as
    /// text are never commands (see the key table).
    pub fn field_with_cursor(&self) -> Option<Field> {
        match (&self.popup, self.screen) {
            (Some(Popup::Form(_)), _) => Some(Field::FreeText),
            // The amount tendered shows, and takes digits, for cash only.
            (Some(Popup::Checkout(checkout)), _)
                if checkout.method == Some(PaymentMethod::Cash) =>
            {
                Some(Field::Amount)
            }
            (Some(_), _) => None,
            (None, Screen::Customers | Screen::Products) => Some(Field::FreeText),
            (None, Screen::OrderEntry) if self.order_entry_in_cart() => None,
            (None, Screen::OrderEntry) => Some(Field::FreeText),
            (None, Screen::History) => None,
            (None, Screen::OrderStatus) => Some(Field::Digits),
        }
    }

    /// The cashier moved from the empty scan line into the cart's lines.
    pub fn order_entry_in_cart(&self) -> bool {
        self.popup.is_none()
            && self.screen == Screen::OrderEntry
            && self.order_entry.in_cart
            && !self.order_entry.cart.is_empty()
    }

    pub fn inform(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            is_error: false,
            about: None,
        });
    }

    pub fn warn(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            is_error: true,
            about: None,
        });
    }

    /// Refuses what was typed in the counter's `field`: said until the
    /// field is settled (see [`AppState::settle`]).
    pub fn warn_about(&mut self, field: EntryFocus, text: impl Into<String>) {
        self.warn(text);
        if let Some(message) = &mut self.message {
            message.about = Some(field);
        }
    }

    /// The counter's `field` took a record or showed its matches: what
    /// was said about its earlier text goes.
    pub fn settle(&mut self, field: EntryFocus) {
        if self
            .message
            .as_ref()
            .is_some_and(|m| m.about == Some(field))
        {
            self.message = None;
        }
    }
}
