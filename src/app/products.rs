//! F3 Products: search as you type, add, edit, restock, archive.

use ratatui::crossterm::event::KeyEvent;

use super::action::{Action, Command};
use super::effect::Effect;
use super::form::{FieldId, Form, FormKind};
use super::state::{AppState, Popup, Screen};
use super::update::confirm;
use crate::domain::error::parse_whole_number;
use crate::domain::product::{NewProduct, Product, ProductChanges, Restock, Sku, Stock};
use crate::domain::text::{MAX_DETAILS_CHARS, Name, parse_free_text};
use crate::domain::{Cents, Currency, Error};

pub fn command(state: &mut AppState, command: Command) -> Vec<Effect> {
    let visible = state.list_rows();
    let screen = &mut state.products;
    let selected = screen.list.selected_row().cloned();
    if let Some(query) = screen.common_command(command, visible) {
        return query.map(Effect::LoadProducts).into_iter().collect();
    }
    match command {
        Command::New => {
            state.popup = Some(Popup::Form(new_product_form()));
        }
        // Enter opens the selected product to edit, as Ctrl-D does.
        Command::Edit | Command::Select => {
            if let Some(product) = selected {
                state.popup = Some(Popup::Form(edit_product_form(&product)));
            }
        }
        Command::Restock => {
            if let Some(product) = selected {
                state.popup = Some(Popup::Form(restock_form(&product)));
            }
        }
        Command::ToggleArchived => match selected {
            Some(product) if product.active => confirm(
                state,
                format!(
                    "Archive {} ({})? It stays in order history but can no longer be sold.",
                    product.name, product.sku
                ),
                Action::ArchiveProduct(product.id),
            ),
            Some(product) => return vec![Effect::SetProductActive(product.id, true)],
            None => {}
        },
        _ => {}
    }
    Vec::new()
}

pub fn edit(state: &mut AppState, key: KeyEvent) -> Vec<Effect> {
    if state.products.search.edit(key) {
        reload(state)
    } else {
        Vec::new()
    }
}

/// Reads the first page for what the search field holds.
pub fn reload(state: &mut AppState) -> Vec<Effect> {
    vec![Effect::LoadProducts(state.products.first_page())]
}

pub fn result(state: &mut AppState, action: Action) -> Vec<Effect> {
    match action {
        Action::ProductsLoaded { generation, page } => {
            let visible = state.list_rows();
            let more = state.products.receive(generation, page, visible);
            more.map(Effect::LoadProducts).into_iter().collect()
        }
        Action::ArchiveProduct(id) => vec![Effect::SetProductActive(id, false)],
        Action::ProductSaved(product) => {
            state.popup = None;
            state.inform(format!(
                "Product {} saved: {} ({}), {} in stock",
                product.id, product.name, product.sku, product.stock
            ));
            show_saved(state, &product)
        }
        Action::ProductActiveSet(product) => {
            state.inform(active_set_message(&product));
            show_saved(state, &product)
        }
        _ => Vec::new(),
    }
}

/// Shows the whole list with the saved product selected.
fn show_saved(state: &mut AppState, product: &Product) -> Vec<Effect> {
    state.screen = Screen::Products;
    vec![Effect::LoadProducts(state.products.show_all_at(product.id))]
}

/// What archiving or unarchiving did, in the clerk's terms.
fn active_set_message(product: &Product) -> String {
    let what = if product.active {
        "unarchived: it can be sold again"
    } else {
        "archived: it stays in order history but can no longer be sold"
    };
    format!("{} ({}) {what}", product.name, product.sku)
}

/// The stock of a new product left empty: none on the shelf yet.
const NEW_STOCK_DEFAULT: &str = "0";

fn new_product_form() -> Form {
    Form::new(
        FormKind::NewProduct,
        "New product",
        &[
            (FieldId::Sku, "SKU or barcode", ""),
            (FieldId::Name, "Name", ""),
            (FieldId::Price, "Price", ""),
            (FieldId::Stock, "Stock", ""),
            (FieldId::Details, "Details (optional)", ""),
        ],
    )
    .with_placeholder(FieldId::Stock, NEW_STOCK_DEFAULT)
}

fn edit_product_form(product: &Product) -> Form {
    let price = format!(
        "{}.{:02}",
        product.price.get() / 100,
        product.price.get() % 100
    );
    Form::new(
        FormKind::EditProduct(product.id),
        format!("Edit {} ({})", product.name, product.sku),
        &[
            (FieldId::Name, "Name", &product.name),
            (FieldId::Price, "Price", &price),
            (FieldId::Details, "Details (optional)", &product.details),
        ],
    )
}

fn restock_form(product: &Product) -> Form {
    Form::new(
        FormKind::Restock(product.id),
        format!(
            "Restock {} ({}): {} in stock",
            product.name, product.sku, product.stock
        ),
        &[
            (FieldId::AddUnits, "Add units that arrived", ""),
            (FieldId::SetStock, "Or set the counted stock", ""),
        ],
    )
}

fn parse_details(text: &str) -> Result<String, Error> {
    parse_free_text("details", text, MAX_DETAILS_CHARS)
}

/// Checks the form with the domain's rules; the effect that saves it, or
/// `None` with the errors shown next to their fields.
pub fn submit(form: &mut Form, currency: &Currency) -> Option<Effect> {
    match form.kind {
        FormKind::NewProduct => {
            let sku = form.parse(FieldId::Sku, Sku::parse);
            let name = form.parse(FieldId::Name, |text| Name::parse("name", text));
            let price = form.parse(FieldId::Price, |text| Cents::parse(text, currency));
            let stock = form.parse(FieldId::Stock, Stock::parse);
            let details = form.parse(FieldId::Details, parse_details);
            Some(Effect::AddProduct(NewProduct {
                sku: sku?,
                name: name?,
                price: price?,
                stock: stock?,
                details: details?,
            }))
        }
        FormKind::EditProduct(id) => {
            let name = form.parse(FieldId::Name, |text| Name::parse("name", text));
            let price = form.parse(FieldId::Price, |text| Cents::parse(text, currency));
            let details = form.parse(FieldId::Details, parse_details);
            Some(Effect::EditProduct(
                id,
                ProductChanges {
                    name: Some(name?),
                    price: Some(price?),
                    details: Some(details?),
                },
            ))
        }
        FormKind::Restock(id) => {
            let add = form.value(FieldId::AddUnits).trim().to_string();
            let set = form.value(FieldId::SetStock).trim().to_string();
            let restock = match (add.is_empty(), set.is_empty()) {
                (false, true) => form.parse(FieldId::AddUnits, |text| {
                    Restock::add(parse_whole_number(text)?)
                })?,
                (true, false) => Restock::Set(form.parse(FieldId::SetStock, Stock::parse)?),
                _ => {
                    form.set_error(
                        FieldId::AddUnits,
                        "fill in one of the two: units that arrived, or the counted stock",
                    );
                    return None;
                }
            };
            Some(Effect::Restock(id, restock))
        }
        FormKind::NewCustomer | FormKind::EditCustomer(_) | FormKind::CounterCustomer => None,
    }
}
