//! Property tests of the app state machine: random key sequences never
//! panic, and after each key the cart and totals obey the pricing rules.
//!
//! Keys go through the real key table and effect runner, on a fresh shop
//! for each sequence, on every backend (`contract_suite!` at the end).
//! After every key (a scanner's burst counts as one):
//! - nothing panicked, and the screen draws at 80×24;
//! - every cart line holds 1 to `MAX_LINE_QUANTITY`, and the totals the
//!   app shows (and checkout, when open) are the ones recomputed here from
//!   the lines alone, not through `price_order`: unit price × quantity,
//!   10% off the subtotal above 10 items rounded half away from zero;
//! - no stock is negative, and each product holds its starting stock less
//!   what non-canceled orders took, changed otherwise only by a restock
//!   submitted on that very key (and then by what its form said) or by a
//!   sale beyond the count confirmed on that key (and then it ends at 0);
//!   every stored order is priced by the same rules.
//!
//! A key that does nothing where it is pressed (`action_for` gives no
//! action) leaves the state as already checked, so it is not checked
//! again: that keeps the file near 10 s in a debug build, where drawing a
//! screen takes a couple of milliseconds. Keys that quit are in the mix; a
//! sequence ends once the app has quit. Nothing depends on timing.

mod common;

use std::collections::HashMap;
use std::fmt;

use common::harness::{Harness, parse_keys};
use common::*;
use proptest::prelude::*;
use proptest::test_runner::TestRunner;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use shopdesk::app::form::{FieldId, FormKind};
use shopdesk::app::{Popup, item_count, keys, totals};
use shopdesk::domain::error::parse_whole_number;
use shopdesk::domain::order::{MAX_LINE_QUANTITY, Status};
use shopdesk::domain::product::MoveReason;
use shopdesk::tui::screens;

/// The shop every sequence starts from: (SKU, name, price, stock). Prices
/// ending in 5 cents make the discount land on a half cent; one product is
/// free, one is out of stock, one is archived (see [`ARCHIVED`]).
const PRODUCTS: &[(&str, &str, &str, i64)] = &[
    ("MUG-1", "Blue mug", "12.50", 200),
    ("PEN-1", "Red pen", "1.99", 1_000),
    ("4006381333931", "Paper clip", "0.05", 5_000),
    ("FREE-1", "Free sticker", "0.00", 400),
    ("LAMP-7", "Desk lamp", "33.35", 30),
    ("TV-1", "Big television", "999.99", 2),
    ("CUP-1", "Tea cup", "4.15", 1),
    ("JAR-0", "Empty jar", "3.00", 0),
    ("OLD-1", "Old kettle", "7.77", 5),
];

const ARCHIVED: &str = "OLD-1";

/// One thing the keyboard does.
#[derive(Clone)]
enum Step {
    /// One key press.
    Key(KeyEvent),
    /// Text typed a key at a time; the checks run after each key.
    Type(String),
    /// A few keys a clerk often presses in a row, in the harness's
    /// notation; the checks run after each key.
    Keys(&'static str),
    /// Text and Enter arriving in one burst, as a barcode scanner sends
    /// them; the checks run after the burst.
    Scan(String),
}

/// Steps print in the harness's key notation, so that a failing sequence
/// reads as keys: `[<F4>, <Enter>, Scan("MUG-1"), +, <C-z>]`.
impl fmt::Debug for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::Key(key) => f.write_str(&key_name(*key)),
            Step::Type(text) => write!(f, "Type({text:?})"),
            Step::Keys(keys) => write!(f, "Keys({keys:?})"),
            Step::Scan(text) => write!(f, "Scan({text:?})"),
        }
    }
}

fn key_name(key: KeyEvent) -> String {
    let name = match key.code {
        KeyCode::Char('<') if key.modifiers == KeyModifiers::NONE => return "<lt>".to_string(),
        // Shift is part of the character (`A`), as the key table reads it.
        KeyCode::Char(c) if key.modifiers - KeyModifiers::SHIFT == KeyModifiers::NONE => {
            return c.to_string();
        }
        KeyCode::Char(c) => c.to_string(),
        KeyCode::F(n) => format!("F{n}"),
        KeyCode::BackTab => "S-Tab".to_string(),
        KeyCode::PageUp => "PgUp".to_string(),
        KeyCode::PageDown => "PgDn".to_string(),
        KeyCode::Delete => "Del".to_string(),
        KeyCode::Backspace => "BS".to_string(),
        other => format!("{other:?}"),
    };
    let prefix = match key.modifiers {
        KeyModifiers::ALT => "A-",
        KeyModifiers::CONTROL => "C-",
        _ => "",
    };
    format!("<{prefix}{name}>")
}

fn plain(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn with(modifiers: KeyModifiers, c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), modifiers)
}

/// Text a clerk, a stuck key or a hostile paste may produce.
const HOSTILE: &[&str] = &[
    "\u{1b}[31m",
    "\u{1b}[2J\u{1b}[H",
    "\u{202e}gnp.exe",
    "漢字",
    "👍🏽",
    "e\u{301}\u{200b}\u{200d}",
    "\u{0}\u{7}\u{8}\t\r\n\u{7f}",
    "99999999999999999999",
    "-5",
    "0",
    "9999",
    "1e3",
    "  ",
    "<Enter>",
    "5*",
    "*",
    "**MUG-1",
    "mug",
    "ann",
];

/// Habits that reach what random keys rarely do on their own: placed,
/// shipped and canceled orders, restocks, archived products.
const HABITS: &[&str] = &[
    // A whole sale from wherever the counter is: a customer (Walk-in), a
    // clear scan line, two scans, checkout, paid in cash or later.
    "<F4><Esc><Enter><Esc>PEN-1<Enter>5*MUG-1<Enter><F10><Enter>",
    "<F4><Esc><Enter><Esc>4006381333931<Enter>FREE-1<Enter><F10>l<Enter>",
    "<F4><Enter>",
    "<F4><F10><Enter>",
    "<F4><F10>k<Enter>",
    "<F4><F10>l<Enter>",
    "<F4><F10>100<Enter>",
    "<F4><Esc><Del>",
    "<F5><Enter>cy",
    "<F6>1<Enter>cy",
    "<F6>2<Enter>c<Enter>",
    "<F5><Down><Enter>s<Enter>",
    "<F3><C-r>5<Enter>",
    "<F3><Down><C-r><Tab>7<Enter>",
    "<F3><C-x>y",
    // New prices for products that may be in the cart: checkout then
    // refuses the old total and shows the new one.
    "<F3><C-d><Tab><C-u>0.15<Enter>",
    "<F3><Down><Down><Enter><Tab><C-u>2.05<Enter>",
    "<Esc><Esc>",
];

/// Repeated to 300 characters: letters and a wide one.
const LONG: &str = "ab漢";

/// Every key the key table binds, and the keys around them.
fn key() -> impl Strategy<Value = KeyEvent> {
    let named = prop::sample::select(vec![
        KeyCode::Enter,
        KeyCode::Esc,
        KeyCode::Tab,
        KeyCode::BackTab,
        KeyCode::Up,
        KeyCode::Down,
        KeyCode::Left,
        KeyCode::Right,
        KeyCode::PageUp,
        KeyCode::PageDown,
        KeyCode::Home,
        KeyCode::End,
        KeyCode::Delete,
        KeyCode::Backspace,
    ])
    .prop_map(|code| {
        if code == KeyCode::BackTab {
            KeyEvent::new(code, KeyModifiers::SHIFT)
        } else {
            plain(code)
        }
    });
    prop_oneof![
        // Screen switches and the other F-keys (F7, F11 and F12 are unbound).
        4 => (1u8..=12).prop_map(|n| plain(KeyCode::F(n))),
        2 => prop::char::range('0', '9').prop_map(|c| with(KeyModifiers::ALT, c)),
        1 => prop::sample::select(vec!['q', 'z', 'p', 'u', 'w', 'c', 'n', 'd', 'o', 'r', 'x'])
            .prop_map(|c| with(KeyModifiers::CONTROL, c)),
        2 => Just(with(KeyModifiers::CONTROL, 'z')),
        2 => Just(plain(KeyCode::F(8))),
        1 => Just(plain(KeyCode::F(9))),
        1 => Just(plain(KeyCode::F(10))),
        1 => Just(with(KeyModifiers::CONTROL, 'p')),
        // Enter and Esc move on and back out of every popup.
        8 => Just(plain(KeyCode::Enter)),
        4 => Just(plain(KeyCode::Esc)),
        6 => named,
        4 => prop::sample::select(vec!['+', '-', '*', '/', '<', ' ', 'y', 'n'])
            .prop_map(|c| plain(KeyCode::Char(c))),
        2 => prop::char::range('0', '9').prop_map(|c| plain(KeyCode::Char(c))),
        2 => prop::char::range('a', 'z').prop_map(|c| plain(KeyCode::Char(c))),
        1 => prop::char::range('A', 'Z').prop_map(|c| with(KeyModifiers::SHIFT, c)),
    ]
}

fn sku() -> impl Strategy<Value = String> {
    prop::sample::select(PRODUCTS.iter().map(|p| p.0.to_string()).collect::<Vec<_>>())
}

fn step() -> impl Strategy<Value = Step> {
    let hostile = prop::sample::select(HOSTILE.to_vec()).prop_map(str::to_string);
    prop_oneof![
        240 => key().prop_map(Step::Key),
        48 => sku().prop_map(Step::Scan),
        24 => sku().prop_map(|sku| Step::Scan(format!("5*{sku}"))),
        8 => (prop::sample::select(vec![0i64, 2, 11, 9_999, 10_000, -1]), sku())
            .prop_map(|(n, sku)| Step::Scan(format!("{n}*{sku}"))),
        16 => sku().prop_map(Step::Type),
        24 => prop::sample::select(HABITS.to_vec()).prop_map(Step::Keys),
        16 => hostile.clone().prop_map(Step::Type),
        8 => hostile.prop_map(Step::Scan),
        // 300 characters, wide ones among them: pasted, or (rarely, as
        // each key is checked) typed.
        6 => Just(Step::Scan(LONG.repeat(100))),
        1 => Just(Step::Type(LONG.repeat(100))),
    ]
}

/// What the test knows of the store between keys.
struct Ledger {
    /// Per product id: the stock it would hold with no order at all, which
    /// is its stock at the start, or right after a restock or a count
    /// corrected to sell beyond it.
    unsold: HashMap<i64, i64>,
    /// The last order placed before this key.
    last_order: i64,
}

impl Ledger {
    fn new(h: &Harness) -> Ledger {
        let mut ledger = Ledger {
            unsold: HashMap::new(),
            last_order: 0,
        };
        let held = held_by_orders(h);
        for product in h.shop.search_products("", 1_000).unwrap() {
            let initial = PRODUCTS
                .iter()
                .find(|p| p.0 == product.sku)
                .map(|p| p.3)
                .unwrap();
            assert_eq!(product.stock, initial);
            assert_eq!(held.get(&product.id), None);
            ledger.unsold.insert(product.id, initial);
        }
        assert_eq!(ledger.unsold.len(), PRODUCTS.len());
        ledger
    }
}

/// Units of each product held by orders that are not canceled.
fn held_by_orders(h: &Harness) -> HashMap<i64, i64> {
    let mut held = HashMap::new();
    for order in h.shop.orders(Default::default()) {
        let order = order.unwrap();
        if order.status == Status::Canceled {
            continue;
        }
        for item in &order.items {
            *held.entry(item.product_id).or_default() += item.quantity;
        }
    }
    held
}

/// Units of the product sold beyond its count by orders placed on this
/// key (after `last_order`): the stock ledger's `count` moves with a note,
/// each followed at once by such an order's sale.
fn corrected_on_this_key(h: &Harness, product_id: i64, last_order: i64) -> i64 {
    let moves = h.shop.stock_moves(product_id).unwrap();
    moves
        .windows(2)
        .filter(|pair| {
            pair[0].reason == MoveReason::Count
                && !pair[0].note.is_empty()
                && pair[1].reason == MoveReason::Sale
                && pair[1].order_id > Some(last_order)
        })
        .map(|pair| pair[0].delta)
        .sum()
}

/// A restock form open before a key: the product, its stock then, and
/// what the form held.
struct Restocking {
    id: i64,
    stock_before: i64,
    add: String,
    set: String,
}

fn restocking(h: &Harness) -> Option<Restocking> {
    let Some(Popup::Form(form)) = &h.state.popup else {
        return None;
    };
    let FormKind::Restock(id) = form.kind else {
        return None;
    };
    Some(Restocking {
        id,
        stock_before: h.shop.product_by_id(id).unwrap().stock,
        add: form.value(FieldId::AddUnits).to_string(),
        set: form.value(FieldId::SetStock).to_string(),
    })
}

/// 10% of `subtotal`, rounded half away from zero, in whole cents.
fn bulk_discount(subtotal: i128) -> i128 {
    let tenfold = subtotal * 10;
    if tenfold >= 0 {
        (tenfold + 50) / 100
    } else {
        (tenfold - 50) / 100
    }
}

/// The cart as the app holds it obeys the pricing rules, computed here
/// from the lines alone.
fn check_cart(h: &Harness, after: &str) -> Result<(), TestCaseError> {
    let entry = &h.state.order_entry;
    let mut subtotal: i128 = 0;
    let mut items: i64 = 0;
    for line in &entry.cart {
        let quantity = line.quantity.get();
        prop_assert!(
            (1..=MAX_LINE_QUANTITY).contains(&quantity),
            "after {after}: {} has quantity {quantity}",
            line.product.sku
        );
        subtotal += i128::from(line.product.price.get()) * i128::from(quantity);
        items += quantity;
    }
    let discount = if items > 10 {
        bulk_discount(subtotal)
    } else {
        0
    };
    let total = subtotal - discount;
    prop_assert_eq!(item_count(entry), items, "after {}: item count", after);
    let Some(shown) = totals(entry) else {
        return Err(TestCaseError::fail(format!(
            "after {after}: no totals for a subtotal of {subtotal} cents"
        )));
    };
    prop_assert_eq!(
        (
            i128::from(shown.subtotal.get()),
            i128::from(shown.discount.get()),
            i128::from(shown.total.get())
        ),
        (subtotal, discount, total),
        "after {}: (subtotal, discount, total) of {} items",
        after,
        items
    );
    prop_assert!(
        entry.cart.is_empty() || entry.cart_selected < entry.cart.len(),
        "after {}: line {} selected in a cart of {}",
        after,
        entry.cart_selected,
        entry.cart.len()
    );
    if let Some(Popup::Checkout(checkout)) = &h.state.popup {
        prop_assert_eq!(checkout.totals, shown, "after {}: checkout's totals", after);
        prop_assert_eq!(
            checkout.item_count,
            items,
            "after {}: checkout's items",
            after
        );
    }
    Ok(())
}

/// No stock is negative, each product holds what it held less what
/// non-canceled orders took, and every stored order is priced by the rules.
fn check_store(
    h: &Harness,
    ledger: &mut Ledger,
    restock: Option<&Restocking>,
    single_key: bool,
    after: &str,
) -> Result<(), TestCaseError> {
    let held = held_by_orders(h);
    for product in h.shop.search_products("", 1_000).unwrap() {
        prop_assert!(
            product.stock >= 0,
            "after {after}: {} stock {}",
            product.sku,
            product.stock
        );
        let sold = held.get(&product.id).copied().unwrap_or(0);
        let Some(&unsold) = ledger.unsold.get(&product.id) else {
            // A product added in the Products form on this key: nothing
            // can have sold it yet.
            prop_assert_eq!(
                sold,
                0,
                "after {}: new {} already sold",
                after,
                &product.sku
            );
            ledger.unsold.insert(product.id, product.stock);
            continue;
        };
        if product.stock == unsold - sold {
            continue;
        }
        let corrected = corrected_on_this_key(h, product.id, ledger.last_order);
        if corrected > 0 {
            // The cashier sold what the shelf had: the count rose by the
            // units short and the sale took them all.
            prop_assert_eq!(
                (product.stock, product.stock),
                (0, unsold + corrected - sold),
                "after {}: {} sold beyond its count of {} by {}",
                after,
                &product.sku,
                unsold - sold,
                corrected
            );
            ledger.unsold.insert(product.id, unsold + corrected);
            continue;
        }
        // Only a restock submitted on this key may move stock otherwise.
        let Some(restock) = restock.filter(|r| r.id == product.id) else {
            return Err(TestCaseError::fail(format!(
                "after {after}: {} holds {} in stock; expected {unsold} less {sold} sold",
                product.sku, product.stock
            )));
        };
        if single_key {
            // The form's fields are exactly what was submitted.
            let expected = match (restock.add.trim(), restock.set.trim()) {
                (add, "") => restock.stock_before + parse_whole_number(add).unwrap(),
                ("", set) => parse_whole_number(set).unwrap(),
                _ => -1,
            };
            prop_assert_eq!(
                product.stock,
                expected,
                "after {}: {} restocked with add {:?}, set {:?}",
                after,
                &product.sku,
                &restock.add,
                &restock.set
            );
        }
        ledger.unsold.insert(product.id, product.stock + sold);
    }
    for order in h.shop.orders(Default::default()) {
        let order = order.unwrap();
        ledger.last_order = ledger.last_order.max(order.id);
        let mut subtotal: i128 = 0;
        let mut items: i64 = 0;
        for item in &order.items {
            prop_assert!((1..=MAX_LINE_QUANTITY).contains(&item.quantity));
            prop_assert_eq!(
                i128::from(item.line_total.get()),
                i128::from(item.unit_price.get()) * i128::from(item.quantity)
            );
            subtotal += i128::from(item.line_total.get());
            items += item.quantity;
        }
        let discount = if items > 10 {
            bulk_discount(subtotal)
        } else {
            0
        };
        prop_assert_eq!(
            (
                i128::from(order.totals.subtotal.get()),
                i128::from(order.totals.discount.get()),
                i128::from(order.totals.total.get())
            ),
            (subtotal, discount, subtotal - discount),
            "after {}: order {} priced wrongly",
            after,
            order.id
        );
    }
    Ok(())
}

/// The app at 80×24 on `shop` stocked as every sequence starts: Ann and
/// Bob, and [`PRODUCTS`].
fn stocked(mut shop: TestShop) -> Harness {
    add_customer(&mut shop, "Ann Lee", "ann@example.com", "555-0102");
    add_customer(&mut shop, "Bob Ray", "bob@example.com", "");
    for (sku, name, price, stock) in PRODUCTS {
        let product = add_product(&mut shop, sku, name, price, *stock);
        if *sku == ARCHIVED {
            shop.set_product_active(product.id, false, at(0)).unwrap();
        }
    }
    Harness::on(shop)
}

/// One sequence being run: the app, the terminal it draws on and what
/// the test knows of the store.
struct Run {
    h: Harness,
    terminal: Terminal<TestBackend>,
    ledger: Ledger,
}

impl Run {
    fn new(shop: TestShop, at_counter: bool) -> Run {
        let mut h = stocked(shop);
        let ledger = Ledger::new(&h);
        if at_counter {
            // Start at a Walk-in sale, where most keys touch the cart.
            h.keys("<F4><Enter>");
        }
        // One terminal for the whole sequence, as in the app.
        let terminal = Terminal::new(TestBackend::new(h.state.width, h.state.height)).unwrap();
        Run {
            h,
            terminal,
            ledger,
        }
    }

    /// Does one piece of the keyboard's work, then every check.
    fn check_after(
        &mut self,
        press: impl FnOnce(&mut Harness),
        single_key: bool,
        after: &str,
    ) -> Result<(), TestCaseError> {
        let restock = restocking(&self.h);
        press(&mut self.h);
        // Drawing must not panic whatever the state; what is drawn is not
        // checked here (the snapshot tests do that).
        self.terminal
            .draw(|frame| screens::render(frame, &self.h.state, self.h.theme))
            .unwrap();
        check_cart(&self.h, after)?;
        check_store(
            &self.h,
            &mut self.ledger,
            restock.as_ref(),
            single_key,
            after,
        )
    }

    /// Presses one key and checks, unless the key does nothing here: then
    /// the state is the one already checked.
    fn press(&mut self, key: KeyEvent, after: &str) -> Result<(), TestCaseError> {
        if self.h.state.quit || keys::action_for(&self.h.state, key).is_none() {
            return Ok(());
        }
        self.check_after(
            |h| {
                h.press(key);
            },
            true,
            after,
        )
    }

    fn step(&mut self, step: &Step, after: &str) -> Result<(), TestCaseError> {
        match step {
            Step::Key(key) => self.press(*key, after),
            Step::Type(text) => text
                .chars()
                .try_for_each(|c| self.press(plain(KeyCode::Char(c)), after)),
            Step::Keys(keys) => parse_keys(keys)
                .into_iter()
                .try_for_each(|key| self.press(key, after)),
            Step::Scan(text) => {
                // `burst` reads `<…>` as a named key: a `<` scanned is
                // written `<lt>`.
                let burst = format!("{}<Enter>", text.replace('<', "<lt>"));
                self.check_after(
                    |h| {
                        h.burst(&burst);
                    },
                    false,
                    after,
                )
            }
        }
    }
}

fn run_steps(shop: TestShop, at_counter: bool, steps: &[Step]) -> Result<(), TestCaseError> {
    let mut run = Run::new(shop, at_counter);
    for (index, step) in steps.iter().enumerate() {
        if run.h.state.quit {
            // Quitting is fine; the keys after it go nowhere.
            break;
        }
        run.step(step, &format!("step {index} {step:?}"))?;
    }
    // Whatever was sold, canceled or restocked went through the ledger.
    let report = run.h.shop.check().unwrap();
    prop_assert!(report.is_ok(), "check finds {:?}", report.problems);
    Ok(())
}

/// Random key sequences, each on a fresh shop of the backend; a failure
/// is shrunk to the smallest sequence and kept in no file.
fn random_keys_never_panic_and_keep_the_cart_and_stock_right(backend: TestShop) {
    let config = ProptestConfig {
        cases: 64,
        failure_persistence: None,
        ..ProptestConfig::default()
    };
    let sequences = (any::<bool>(), prop::collection::vec(step(), 1..60));
    let outcome = TestRunner::new(config).run(&sequences, |(at_counter, steps)| {
        run_steps(backend.fresh(), at_counter, &steps)
    });
    if let Err(failure) = outcome {
        panic!("{failure}");
    }
}

contract_suite!(random_keys_never_panic_and_keep_the_cart_and_stock_right);
