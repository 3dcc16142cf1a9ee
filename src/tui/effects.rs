//! Runs the app's effects against the store and returns each result as an
//! action. The only place where the app's wishes meet the database and the
//! clock.

use std::collections::VecDeque;

use chrono::Utc;

use crate::app::SUGGESTIONS;
use crate::app::list::PAGE_ROWS;
use crate::app::{Action, AppState, Effect, Refusal, update};
use crate::store::{self, Store};

/// Applies `action`, runs the effects it causes and applies their results,
/// until nothing more follows.
pub fn dispatch(state: &mut AppState, store: &mut Store, action: Action) {
    let mut queue = VecDeque::from([action]);
    while let Some(action) = queue.pop_front() {
        queue.extend(
            update(state, action)
                .into_iter()
                .map(|effect| run(store, effect)),
        );
    }
}

/// Runs one effect.
pub fn run(store: &mut Store, effect: Effect) -> Action {
    let result = match effect {
        Effect::LoadCustomers(query) => {
            let rows = match &query.after {
                None => store.search_customers(&query.text, PAGE_ROWS),
                Some(after) => store.search_customers_after(&query.text, after, PAGE_ROWS),
            };
            rows.map(|rows| Action::CustomersLoaded {
                generation: query.generation,
                rows,
                append: query.after.is_some(),
            })
        }
        Effect::LoadProducts(query) => {
            let rows = match &query.after {
                None => store.search_products(&query.text, PAGE_ROWS),
                Some(after) => store.search_products_after(&query.text, after, PAGE_ROWS),
            };
            rows.map(|rows| Action::ProductsLoaded {
                generation: query.generation,
                rows,
                append: query.after.is_some(),
            })
        }
        Effect::LoadOrders {
            filter,
            after,
            generation,
        } => store
            .orders_page(filter, after.as_deref(), PAGE_ROWS)
            .map(|rows| Action::OrdersLoaded {
                generation,
                rows,
                append: after.is_some(),
            }),
        Effect::FindOrderCustomers { text, generation } => store
            .search_customers(&text, SUGGESTIONS)
            .map(|rows| Action::OrderCustomersFound { generation, rows }),
        Effect::FindOrderProducts { text, generation } => store
            .search_products(&text, SUGGESTIONS)
            .map(|rows| Action::OrderProductsFound { generation, rows }),
        Effect::LoadOrder(id) => load_order(store, id),
        Effect::AddCustomer(new) => store
            .add_customer(&new, Utc::now())
            .map(Action::CustomerSaved),
        Effect::EditCustomer(id, changes) => {
            store.edit_customer(id, &changes).map(Action::CustomerSaved)
        }
        Effect::AddProduct(new) => store
            .add_product(&new, Utc::now())
            .map(Action::ProductSaved),
        Effect::EditProduct(id, changes) => store
            .edit_product(id, &changes, Utc::now())
            .map(Action::ProductSaved),
        Effect::Restock(id, restock) => store
            .restock(id, restock, Utc::now())
            .map(Action::ProductSaved),
        Effect::SetProductActive(id, active) => store
            .set_product_active(id, active, Utc::now())
            .map(Action::ProductSaved),
        Effect::PlaceOrder(order) => store
            .place_order(&order, Utc::now())
            .map(Action::OrderPlaced),
        Effect::SetOrderStatus { order, to } => store
            .set_order_status(order, to, "", Utc::now())
            .and_then(|order| {
                let events = store.order_events(order.id)?;
                Ok(Action::OrderStatusChanged { order, events })
            }),
    };
    result.unwrap_or_else(refusal)
}

fn load_order(store: &Store, id: i64) -> store::Result<Action> {
    let order = store.order(id)?;
    let events = store.order_events(id)?;
    Ok(Action::OrderLoaded { order, events })
}

fn refusal(error: store::Error) -> Action {
    let message = error.to_string();
    let rule = match error {
        store::Error::Rule(rule) => Some(rule),
        _ => None,
    };
    Action::Refused(Refusal { rule, message })
}
