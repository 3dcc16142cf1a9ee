//! Work for the outside world. Each effect is run by `tui::effects` and its
//! result comes back as an [`Action`](super::Action).

use std::path::PathBuf;

use super::list::PageAt;
use crate::domain::Cents;
use crate::domain::customer::{CustomerChanges, NewCustomer, SharedPhone};
use crate::domain::order::{NewOrder, Order, OrderFilter, Payment, Quantity, SaleId, Status};
use crate::domain::product::{NewProduct, Product, ProductChanges, Restock};

/// A page of a searched list to read: the text searched, where the page
/// is, and the request's generation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery<T> {
    pub text: String,
    pub at: PageAt<T>,
    pub generation: u64,
}

/// A receipt to print, and how this counter prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintJob {
    pub order_id: i64,
    pub receipt: String,
    /// Run with the receipt on its standard input; `None`: into a file.
    pub command: Option<String>,
    /// Where the file goes when there is no command.
    pub folder: PathBuf,
}

#[derive(Debug, Clone)]
pub enum Effect {
    /// Read the shop's settings (its currency).
    LoadSettings,
    LoadCustomers(ListQuery<crate::domain::customer::Customer>),
    LoadProducts(ListQuery<crate::domain::product::Product>),
    LoadOrders {
        filter: OrderFilter,
        at: PageAt<Box<Order>>,
        generation: u64,
    },
    FindOrderCustomers {
        text: String,
        generation: u64,
    },
    FindOrderProducts {
        text: String,
        generation: u64,
    },
    LoadOrder(i64),
    AddCustomer {
        new: NewCustomer,
        shared: SharedPhone,
    },
    EditCustomer {
        id: i64,
        changes: CustomerChanges,
        shared: SharedPhone,
    },
    AddProduct(NewProduct),
    EditProduct(i64, ProductChanges),
    Restock(i64, Restock),
    SetProductActive(i64, bool),
    /// Make the sale in progress its own id (the app makes none: it is
    /// random, so input).
    MakeSaleId,
    PlaceOrder(NewOrder),
    PlaceCounterSale {
        order: NewOrder,
        payment: Payment,
        expected_total: Cents,
    },
    ChooseWalkIn,
    /// Look up a code typed or scanned on the scan line (Enter).
    LookUpScan {
        code: String,
        quantity: Quantity,
    },
    /// Look up the text typed in the customer field (Enter).
    LookUpCustomer {
        text: String,
    },
    /// Read these products again (their prices changed).
    RefreshCart(Vec<i64>),
    /// Park the sale in progress in the database, with its sale id if
    /// checkout had made one.
    ParkSale {
        customer_id: i64,
        lines: Vec<(i64, Quantity)>,
        sale_id: Option<SaleId>,
    },
    /// Park the sale in progress in a file of its own in `folder`, on this
    /// machine: the app is closing and the database server cannot be
    /// reached. Its next start moves it back into the database.
    ParkOnThisMachine {
        customer_id: i64,
        lines: Vec<(Product, Quantity)>,
        sale_id: Option<SaleId>,
        folder: PathBuf,
    },
    LoadParked,
    /// Counts the parked sales, for the tab bar.
    CountParked,
    ResumeParked(i64),
    /// Build the receipt of this order, to show it beside the next sale.
    LoadReceipt(i64),
    /// Build the receipt of this order, to print it.
    PrintReceipt(i64),
    /// Print a receipt. It may take long (a printer that does not answer),
    /// so the event loop runs it away from the screen.
    Print(PrintJob),
    /// The terminal bell: a refusal the cashier notices without reading.
    Beep,
    SetOrderStatus {
        order: i64,
        to: Status,
    },
}
