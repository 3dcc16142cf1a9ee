//! Everything that can happen to the app: commands from keys, typing, and
//! the results of effects. Intents are imperative, results past tense.

use ratatui::crossterm::event::KeyEvent;

use super::list::Page;
use super::lookup::Found;
use super::state::Screen;
use crate::domain::customer::Customer;
use crate::domain::order::{Order, OrderEvent, ParkedSale, Quantity, SaleId};
use crate::domain::product::Product;
use crate::domain::{self};

#[derive(Debug, Clone)]
pub enum Action {
    /// A key bound in the key table.
    Command(Command),
    /// A key typed into the text field that has focus.
    Edit(KeyEvent),
    Resize(u16, u16),
    /// The shop's settings as stored now.
    SettingsLoaded(crate::domain::settings::Settings),

    /// Intents a confirmation asks about first.
    VoidSale,
    ArchiveProduct(i64),
    /// Placing the sale in checkout with these counts corrected: the
    /// shelf has units the stock does not (asked first).
    SellAnyway(Vec<domain::product::CountCorrection>),
    /// Moving an order on (shipped, delivered, canceled), asked first.
    ChangeOrderStatus {
        order: i64,
        to: domain::order::Status,
    },
    /// Yes to "… has this number: register anyway?": the customer form
    /// is saved again, its phone number shared.
    SaveCustomerSharingPhone,
    Exit,
    /// The app must close now (a signal, its terminal gone, an internal
    /// error): whatever is open, the sale in progress is parked first.
    Shutdown,

    CustomersLoaded {
        generation: u64,
        page: Page<Customer>,
    },
    ProductsLoaded {
        generation: u64,
        page: Page<Product>,
    },
    OrdersLoaded {
        generation: u64,
        page: Page<Order>,
    },
    OrderCustomersFound {
        generation: u64,
        rows: Vec<Customer>,
    },
    OrderProductsFound {
        generation: u64,
        rows: Vec<Product>,
    },
    OrderLoaded {
        order: Order,
        events: Vec<OrderEvent>,
    },
    CustomerSaved(Customer),
    ProductSaved(Product),
    /// A product was archived or unarchived: said as such, not as "saved".
    ProductActiveSet(Product),
    /// A new id for the sale in progress, made by the effect runner.
    SaleIdMade(SaleId),
    /// An order was placed to pay later.
    OrderPlaced(Order),
    /// A counter sale was placed.
    SaleCompleted(Order),
    /// The receipt of an order placed here, to show beside the next sale.
    ReceiptLoaded {
        order_id: i64,
        receipt: String,
    },
    CustomerChosen(Customer),
    /// What the store found for the text Enter took in the customer field.
    CustomerLookedUp {
        text: String,
        found: Found<Customer>,
    },
    /// What the store found for the code Enter took on the scan line.
    ScanLookedUp {
        code: String,
        quantity: Quantity,
        found: Found<Product>,
    },
    /// The cart's products as they are now (after prices changed).
    CartRefreshed(Vec<Product>),
    SaleParked(i64),
    /// The sale in progress was parked in this file on this machine (the
    /// database server could not be reached as the app closed).
    SaleParkedOnThisMachine(std::path::PathBuf),
    ParkedLoaded(Vec<ParkedSale>),
    /// How many sales are parked now (by any counter).
    ParkedCounted(usize),
    SaleResumed(ParkedSale),
    /// A receipt was built and can be printed.
    ReceiptReady {
        order_id: i64,
        receipt: String,
    },
    /// A print sent to the printer (or a file) came back: what to say, or
    /// why it failed.
    ReceiptPrinted {
        order_id: i64,
        outcome: Result<String, String>,
    },
    OrderStatusChanged {
        order: Order,
        events: Vec<OrderEvent>,
    },
    /// The store refused or failed; nothing was written.
    Refused(Refusal),
}

/// Why the store said no: the rule when it was one (so a form can put the
/// message next to its field), and the message for the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub rule: Option<domain::Error>,
    /// When the database server could not be reached, the line that says
    /// so, naming it: nothing was done (or a sale was, and its sale id
    /// finds it), and the same again works once the server is back.
    pub server_away: Option<String>,
    pub message: String,
}

/// What a bound key asks for. The key table in `keys.rs` says which key
/// does what, where.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    Open(Screen),
    ToggleHelp,
    Quit,
    /// Esc: close a popup, leave a field, or go back one step.
    Back,
    Up,
    Down,
    PageUp,
    PageDown,
    Home,
    End,
    /// Enter: the screen's main thing (open, pick, add, find).
    Select,
    New,
    Edit,
    Restock,
    ToggleArchived,
    NewOrderForCustomer,
    NextField,
    PreviousField,
    Submit,
    Yes,
    No,
    CycleStatusFilter,
    ShowWholeShop,
    RemoveLine,
    MoreOfLine,
    LessOfLine,
    Checkout,
    VoidSale,
    Park,
    Undo,
    PrintReceipt,
    PayCash,
    PayCard,
    PayOther,
    PayLater,
    Ship,
    Deliver,
    Cancel,
}
