//! Work for the outside world. Each effect is run by `tui::effects` and its
//! result comes back as an [`Action`](super::Action).

use crate::domain::customer::{CustomerChanges, NewCustomer};
use crate::domain::order::{Order, Status};
use crate::domain::product::{NewProduct, ProductChanges, Restock};
use crate::store::{NewOrder, OrderFilter};

/// A page of a list to read: the text searched, the row after which the
/// page starts (`None`: the first page) and the request's generation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery<T> {
    pub text: String,
    pub after: Option<T>,
    pub generation: u64,
}

#[derive(Debug, Clone)]
pub enum Effect {
    LoadCustomers(ListQuery<crate::domain::customer::Customer>),
    LoadProducts(ListQuery<crate::domain::product::Product>),
    LoadOrders {
        filter: OrderFilter,
        after: Option<Box<Order>>,
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
    AddCustomer(NewCustomer),
    EditCustomer(i64, CustomerChanges),
    AddProduct(NewProduct),
    EditProduct(i64, ProductChanges),
    Restock(i64, Restock),
    SetProductActive(i64, bool),
    PlaceOrder(NewOrder),
    SetOrderStatus {
        order: i64,
        to: Status,
    },
}
