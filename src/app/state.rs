//! Everything the app knows, as plain data.

use tui_input::Input;

use super::action::Action;
use super::form::Form;
use super::list::ListState;
use crate::domain::customer::Customer;
use crate::domain::order::{Order, OrderEvent, Quantity, Status};
use crate::domain::product::Product;

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
}

/// What covers the screen, if anything. Only one at a time.
#[derive(Debug, Clone)]
pub enum Popup {
    Help,
    /// A yes/no question; yes dispatches the action.
    Confirm {
        question: String,
        on_yes: Box<Action>,
    },
    Form(Form),
}

/// The status line's last word: what just happened, or what went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub is_error: bool,
}

#[derive(Debug, Clone, Default)]
pub struct CustomersScreen {
    pub search: Input,
    pub searching: bool,
    pub list: ListState<Customer>,
}

#[derive(Debug, Clone, Default)]
pub struct ProductsScreen {
    pub search: Input,
    pub searching: bool,
    pub list: ListState<Product>,
}

/// Where the cursor is on the New order screen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum EntryFocus {
    #[default]
    Customer,
    Item,
    Quantity,
    Cart,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CartLine {
    pub product: Product,
    pub quantity: Quantity,
}

#[derive(Debug, Clone, Default)]
pub struct OrderEntryScreen {
    pub focus: EntryFocus,
    pub customer: Option<Customer>,
    pub customer_input: Input,
    /// Customers matching what is typed in the customer field.
    pub customer_matches: ListState<Customer>,
    pub item_input: Input,
    pub quantity_input: Input,
    /// Products matching what is typed in the item field.
    pub product_matches: ListState<Product>,
    pub cart: Vec<CartLine>,
    pub cart_selected: usize,
}

impl OrderEntryScreen {
    /// Something would be lost by leaving: a customer chosen or a line added.
    pub fn is_started(&self) -> bool {
        self.customer.is_some() || !self.cart.is_empty()
    }
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
    pub number: Input,
    pub typing: bool,
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
            order_status: OrderStatusScreen {
                typing: true,
                ..Default::default()
            },
            quit: false,
        }
    }

    /// How many list rows fit on a list screen at the current size.
    pub fn list_rows(&self) -> usize {
        usize::from(self.height.saturating_sub(LIST_CHROME_ROWS)).max(1)
    }

    pub fn is_too_small(&self) -> bool {
        self.width < MIN_WIDTH || self.height < MIN_HEIGHT
    }

    /// Whether typed characters go into a text field rather than being
    /// commands.
    pub fn text_has_focus(&self) -> bool {
        match (&self.popup, self.screen) {
            (Some(Popup::Form(_)), _) => true,
            (Some(_), _) => false,
            (None, Screen::Customers) => self.customers.searching,
            (None, Screen::Products) => self.products.searching,
            (None, Screen::OrderEntry) => self.order_entry.focus != EntryFocus::Cart,
            (None, Screen::History) => false,
            (None, Screen::OrderStatus) => self.order_status.typing,
        }
    }

    pub fn inform(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            is_error: false,
        });
    }

    pub fn warn(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            is_error: true,
        });
    }
}
