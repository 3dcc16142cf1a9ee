//! Runs the app's effects against the store and returns each result as an
//! action. The only place where the app's wishes meet the database, the
//! clock and chance (sale ids); receipts (built from what the store reads, printed by this
//! counter) are `receipts`' work.

use std::collections::VecDeque;

use chrono::Utc;

use super::{parked_here, receipts};
use crate::app::ListQuery;
use crate::app::SUGGESTIONS;
use crate::app::list::{PAGE_ROWS, Page, PageAt};
use crate::app::lookup::Found;
use crate::app::{Action, AppState, Effect, Refusal, needs_search_answers, update};
use crate::domain::ErrorClass;
use crate::domain::customer::WALK_IN_ID;
use crate::sale_ids::new_sale_id;
use crate::store::{self, RowsBefore, Shop};

/// Applies `action`, runs the effects it causes and applies their results,
/// until nothing more follows. Returns how often the bell should ring.
pub fn dispatch(state: &mut AppState, store: &mut dyn Shop, action: Action) -> usize {
    let mut bells = 0;
    let mut queue = VecDeque::from([action]);
    while let Some(action) = queue.pop_front() {
        for effect in update(state, action) {
            if matches!(effect, Effect::Beep) {
                bells += 1;
            }
            queue.extend(run(store, effect));
        }
    }
    bells
}

/// Where searches as you type and prints run: right here on the caller's
/// store ([`InlineSearches`], for tests and benchmarks), or on threads of
/// their own so that a slow search or a stuck printer never holds up a key
/// (`tui::searcher`).
pub trait SearchRunner {
    /// Starts these searches (the last of each kind) and prints.
    fn start(&mut self, store: &mut dyn Shop, searches: Vec<Effect>);
    /// The answers that are ready; with `wait`, every search answer still
    /// owed (a print is never waited for).
    fn answers(&mut self, wait: bool) -> Vec<Action>;
}

/// Runs searches at once on the caller's store.
#[derive(Debug, Default)]
pub struct InlineSearches {
    ready: Vec<Action>,
}

impl SearchRunner for InlineSearches {
    fn start(&mut self, store: &mut dyn Shop, searches: Vec<Effect>) {
        self.ready
            .extend(searches.into_iter().filter_map(|effect| run(store, effect)));
    }

    fn answers(&mut self, _wait: bool) -> Vec<Action> {
        std::mem::take(&mut self.ready)
    }
}

/// Applies events that arrived together (a scanner's burst, a paste),
/// each turned into an action by `action_for` against the state it meets.
/// Searches as you type are held back while characters keep coming and
/// only the last of each kind is started (the answers to earlier ones
/// would be dropped as stale anyway); a key that needs their answers (↓
/// into the suggestions, Enter on a customer) waits for them, while a
/// scan's Enter does not. Returns how often the bell rang.
pub fn dispatch_events<E>(
    state: &mut AppState,
    store: &mut dyn Shop,
    events: impl IntoIterator<Item = E>,
    action_for: impl Fn(&AppState, E) -> Option<Action>,
    searches: &mut dyn SearchRunner,
) -> usize {
    let mut held = Vec::new();
    let mut bells = 0;
    for event in events {
        if state.quit {
            break;
        }
        let Some(action) = action_for(state, event) else {
            continue;
        };
        if needs_search_answers(state, &action) {
            searches.start(store, std::mem::take(&mut held));
            bells += apply_answers(state, store, searches, true);
        }
        bells += apply(state, store, action, &mut held);
    }
    searches.start(store, held);
    bells + apply_answers(state, store, searches, false)
}

/// Applies the answers of searches: those ready, or with `wait` all owed.
pub fn apply_answers(
    state: &mut AppState,
    store: &mut dyn Shop,
    searches: &mut dyn SearchRunner,
    wait: bool,
) -> usize {
    let mut bells = 0;
    loop {
        let answers = searches.answers(wait);
        if answers.is_empty() {
            return bells;
        }
        let mut held = Vec::new();
        for answer in answers {
            bells += apply(state, store, answer, &mut held);
        }
        searches.start(store, held);
    }
}

/// Applies `action` and what follows from it, holding searches back.
fn apply(
    state: &mut AppState,
    store: &mut dyn Shop,
    action: Action,
    held: &mut Vec<Effect>,
) -> usize {
    let mut bells = 0;
    let mut queue = VecDeque::from([action]);
    while let Some(action) = queue.pop_front() {
        for effect in update(state, action) {
            if is_search(&effect) {
                held.retain(|waiting| {
                    std::mem::discriminant(waiting) != std::mem::discriminant(&effect)
                });
                held.push(effect);
            } else if is_print(&effect) {
                held.push(effect);
            } else {
                bells += usize::from(matches!(effect, Effect::Beep));
                queue.extend(run(store, effect));
            }
        }
    }
    bells
}

/// A search as you type: only its latest answer matters.
pub fn is_search(effect: &Effect) -> bool {
    match effect {
        Effect::FindOrderCustomers { .. } | Effect::FindOrderProducts { .. } => true,
        Effect::LoadCustomers(query) => query.at == PageAt::First,
        Effect::LoadProducts(query) => query.at == PageAt::First,
        _ => false,
    }
}

/// A print: it may take as long as the printer does, so it is run like a
/// search, away from the screen (every one of them, in order).
pub fn is_print(effect: &Effect) -> bool {
    matches!(effect, Effect::Print(_))
}

/// Runs one effect; the bell gives no action back (the terminal rings it).
pub fn run(store: &mut dyn Shop, effect: Effect) -> Option<Action> {
    let result = match effect {
        Effect::LoadSettings => store.settings().map(Action::SettingsLoaded),
        Effect::LoadCustomers(ListQuery {
            text,
            at,
            generation,
        }) => read_page(
            at.as_ref(),
            |after| match after {
                None => store.search_customers(&text, PAGE_ROWS),
                Some(after) => store.search_customers_after(&text, after, PAGE_ROWS),
            },
            |before| store.search_customers_before(&text, before, PAGE_ROWS),
        )
        .map(|page| Action::CustomersLoaded { generation, page }),
        Effect::LoadProducts(ListQuery {
            text,
            at,
            generation,
        }) => read_page(
            at.as_ref(),
            |after| match after {
                None => store.search_products(&text, PAGE_ROWS),
                Some(after) => store.search_products_after(&text, after, PAGE_ROWS),
            },
            |before| store.search_products_before(&text, before, PAGE_ROWS),
        )
        .map(|page| Action::ProductsLoaded { generation, page }),
        Effect::LoadOrders {
            filter,
            at,
            generation,
        } => read_page(
            at.as_ref().map(Box::as_ref),
            |after| store.orders_page(filter, after, PAGE_ROWS),
            |before| store.orders_page_before(filter, before, PAGE_ROWS),
        )
        .map(|page| Action::OrdersLoaded { generation, page }),
        // One more than is shown, to tell that more match.
        Effect::FindOrderCustomers { text, generation } => store
            .search_customers(&text, SUGGESTIONS + 1)
            .map(|rows| Action::OrderCustomersFound { generation, rows }),
        Effect::FindOrderProducts { text, generation } => store
            .search_products(&text, SUGGESTIONS + 1)
            .map(|rows| Action::OrderProductsFound { generation, rows }),
        Effect::LoadOrder(id) => load_order(store, id),
        Effect::AddCustomer { new, shared } => store
            .add_customer(&new, shared, Utc::now())
            .map(Action::CustomerSaved),
        Effect::EditCustomer {
            id,
            changes,
            shared,
        } => store
            .edit_customer(id, &changes, shared)
            .map(Action::CustomerSaved),
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
            .map(Action::ProductActiveSet),
        Effect::MakeSaleId => new_sale_id()
            .map(Action::SaleIdMade)
            .map_err(store::Error::from),
        Effect::PlaceOrder(order) => store
            .place_order(&order, Utc::now())
            .map(Action::OrderPlaced),
        Effect::PlaceCounterSale {
            order,
            payment,
            expected_total,
        } => store
            .place_counter_sale(&order, payment, expected_total, Utc::now())
            .map(Action::SaleCompleted),
        Effect::ChooseWalkIn => store.customer(WALK_IN_ID).map(Action::CustomerChosen),
        Effect::LookUpScan { code, quantity } => {
            let exact = store.product_by_sku(&code).map(Vec::from_iter);
            look_up(exact, || store.search_products(&code, SUGGESTIONS + 1)).map(|found| {
                Action::ScanLookedUp {
                    code,
                    quantity,
                    found,
                }
            })
        }
        Effect::LookUpCustomer { text } => {
            let exact = store.customers_by_contact(&text);
            look_up(exact, || store.search_customers(&text, SUGGESTIONS + 1))
                .map(|found| Action::CustomerLookedUp { text, found })
        }
        Effect::RefreshCart(ids) => ids
            .into_iter()
            .map(|id| store.product_by_id(id))
            .collect::<store::Result<Vec<_>>>()
            .map(Action::CartRefreshed),
        Effect::ParkSale {
            customer_id,
            lines,
            sale_id,
        } => store
            .park_sale(customer_id, &lines, sale_id.as_ref(), Utc::now())
            .map(Action::SaleParked),
        Effect::ParkOnThisMachine {
            customer_id,
            lines,
            sale_id,
            folder,
        } => parked_here::park(
            &folder,
            &store.name(),
            customer_id,
            &lines,
            sale_id.as_ref(),
            Utc::now(),
        )
        .map(Action::SaleParkedOnThisMachine)
        .map_err(|error| store::Error::CannotWrite {
            path: folder,
            reason: error.to_string(),
        }),
        Effect::LoadParked => store.parked_sales().map(Action::ParkedLoaded),
        // The same sales F8 lists, so the count and the list agree.
        Effect::CountParked => store
            .parked_sales()
            .map(|sales| Action::ParkedCounted(sales.len())),
        Effect::ResumeParked(id) => store.resume_parked_sale(id).map(Action::SaleResumed),
        Effect::LoadReceipt(id) => receipts::to_show(store, id),
        Effect::PrintReceipt(id) => receipts::to_print(store, id),
        Effect::Print(job) => return Some(receipts::print(job)),
        Effect::Beep => return None,
        Effect::SetOrderStatus { order, to } => store
            .set_order_status(order, to, "", Utc::now())
            .and_then(|order| {
                let events = store.order_events(order.id)?;
                Ok(Action::OrderStatusChanged { order, events })
            }),
    };
    Some(result.unwrap_or_else(refusal))
}

/// Reads the page `at` of a list of pages of [`PAGE_ROWS`]: `down` reads
/// the first page or the one after a row, `up` the one before a row or the
/// last.
fn read_page<T>(
    at: PageAt<&T>,
    down: impl FnOnce(Option<&T>) -> store::Result<Vec<T>>,
    up: impl FnOnce(Option<&T>) -> store::Result<RowsBefore<T>>,
) -> store::Result<Page<T>> {
    let (rows, at_edge) = if at.is_upwards() {
        let RowsBefore { rows, at_start } = up(at.row().copied())?;
        (rows, at_start)
    } else {
        let rows = down(at.row().copied())?;
        let at_end = rows.len() < PAGE_ROWS;
        (rows, at_end)
    };
    Ok(Page {
        at: at.side(),
        rows,
        at_edge,
    })
}

/// What Enter finds for typed text: the records it names exactly, else
/// those `search` finds (one more than the suggestions show).
fn look_up<T>(
    exact: store::Result<Vec<T>>,
    search: impl FnOnce() -> store::Result<Vec<T>>,
) -> store::Result<Found<T>> {
    let exact = exact?;
    let matches = if exact.is_empty() {
        search()?
    } else {
        Vec::new()
    };
    Ok(Found { exact, matches })
}

fn load_order(store: &dyn Shop, id: i64) -> store::Result<Action> {
    let order = store.order(id)?;
    let events = store.order_events(id)?;
    Ok(Action::OrderLoaded { order, events })
}

/// The app's one place for every class of error: each reaches the status
/// line in the store's own words, which say what to do (correct it, try
/// again, restore a backup); a rule's error (invalid, not found, a
/// conflict) also goes as itself, for a form to put by its field or the
/// counter to ask about it. A server out of reach is one line naming it,
/// whatever the driver said about why (the rest would push "try again"
/// off the line).
fn refusal(error: store::Error) -> Action {
    let server_away = error.server_away();
    let mut message = server_away.clone().unwrap_or_else(|| error.to_string());
    // Busy or unreachable: nothing was done, and the same again may work;
    // a backend's own words do not always say so.
    if error.class() == ErrorClass::Unavailable && !message.contains("try again") {
        message.push_str(": try again");
    }
    let rule = match error {
        store::Error::Rule(rule) => Some(rule),
        _ => None,
    };
    Action::Refused(Refusal {
        rule,
        server_away,
        message,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain;

    fn refused(error: store::Error) -> Refusal {
        match refusal(error) {
            Action::Refused(refusal) => refusal,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_rules_error_goes_as_itself_with_its_message() {
        for (rule, class) in [
            (domain::Error::OrderEmpty, ErrorClass::Invalid),
            (domain::Error::OrderNotFound(7), ErrorClass::NotFound),
            (domain::Error::WalkInNotEditable, ErrorClass::Conflict),
        ] {
            let error = store::Error::Rule(rule.clone());
            assert_eq!(error.class(), class);
            let message = error.to_string();
            assert_eq!(
                refused(error),
                Refusal {
                    message,
                    rule: Some(rule),
                    server_away: None,
                }
            );
        }
    }

    #[test]
    fn a_server_out_of_reach_is_one_line_naming_it_whatever_the_driver_said() {
        let server = "db.example.com:3306".to_string();
        for error in [
            store::Error::Unreachable {
                server: server.clone(),
            },
            store::Error::CannotConnect {
                server: server.clone(),
                why: "the connection was refused (is the server running?)".into(),
            },
        ] {
            let refusal = refused(error);
            let line = "cannot reach the database server at db.example.com:3306";
            assert_eq!(refusal.server_away.as_deref(), Some(line));
            assert_eq!(refusal.message, format!("{line}: try again"));
            assert_eq!(refusal.rule, None);
        }
        assert_eq!(refused(store::Error::Busy).server_away, None);
    }

    #[test]
    fn the_databases_errors_say_what_to_do() {
        for (error, class, says) in [
            (
                store::Error::Busy,
                ErrorClass::Unavailable,
                "the database is busy: another counter is saving; try again",
            ),
            (
                store::Error::Damaged,
                ErrorClass::Damaged,
                "restore your latest backup",
            ),
            (
                store::Error::ReadOnly,
                ErrorClass::Refused,
                "the database cannot be written (read-only file or folder); nothing was saved",
            ),
            // A backend's failure of that class, in its own words.
            (
                store::Error::Failed {
                    class: ErrorClass::Unavailable,
                    reason: "disk I/O error".into(),
                },
                ErrorClass::Unavailable,
                "disk I/O error: try again",
            ),
        ] {
            assert_eq!(error.class(), class);
            let refusal = refused(error);
            assert_eq!(refusal.rule, None);
            assert!(refusal.message.contains(says), "{}", refusal.message);
        }
    }
}
