//! A database server that goes away in the middle of a sale: killed,
//! stopped, restarted, or hung (taking connections, answering nothing).
//! Each test starts a private MariaDB server of its own
//! (`common::private_server`) so that it can do that to it; where
//! `mariadbd` is not installed they are listed as ignored, saying so.
//!
//! The counter says so in one line naming the server, keeps the cart and
//! every typed field, never sends the sale again by itself, and once the
//! server is back the cashier's next Enter places it once (its sale id
//! finds it even when the first one was committed and only its answer was
//! lost); searching as you type comes back with the server; closing while
//! it is away parks the sale on this machine; a command exits 75.

mod common;

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use common::cli::{finish, shopdesk};
use common::harness::parse_keys;
use common::private_server::PrivateServer;
use common::*;
use shopdesk::app::{Action, AppState, Effect, Popup, keys};
use shopdesk::domain::product::MoveReason;
use shopdesk::store::Shop;
use shopdesk::store::mysql::{MysqlStore, ServerUrl};
use shopdesk::tui::effects::{self, SearchRunner};
use shopdesk::tui::parked_here;
use shopdesk::tui::searcher::Searcher;

/// How long a test waits for what must end by itself (a hung server given
/// up, a command): far beyond any deadline of shopdesk's, so that only a
/// wait with no end fails it.
const PATIENCE: Duration = Duration::from_secs(180);

/// The app at the counter on a server's shop: keys go through the real key
/// table and effect runner (searches answered on the same connection), as
/// `common::harness` drives a file's shop.
struct Counter {
    state: AppState,
    shop: Box<dyn Shop>,
}

impl Counter {
    /// The counter on the small shop (Ann, Dana, 20 mugs at 12.50, 100
    /// pens), made in the database `shop` of the server at `url`, through
    /// a connection opened as the app opens its own.
    fn on_small_shop(url: &ServerUrl) -> Counter {
        let mut shop: Box<dyn Shop> = Box::new(
            MysqlStore::open(url, None)
                .and_then(MysqlStore::answering_promptly)
                .unwrap(),
        );
        stock_small_shop(&mut shop);
        Counter {
            state: AppState::new(80, 24),
            shop,
        }
    }

    /// Presses keys written as `common::harness` reads them.
    fn keys(&mut self, keys: &str) -> &mut Counter {
        for key in parse_keys(keys) {
            if let Some(action) = keys::action_for(&self.state, key) {
                effects::dispatch(&mut self.state, &mut *self.shop, action);
            }
        }
        self
    }

    fn message(&self) -> String {
        let message = self.state.message.as_ref();
        message.map(|m| m.text.clone()).unwrap_or_default()
    }

    /// The amount typed as tendered in checkout, which must be open.
    #[track_caller]
    fn tendered(&self) -> String {
        match &self.state.popup {
            Some(Popup::Checkout(checkout)) => checkout.tendered.value().to_string(),
            other => panic!("checkout is not open: {other:?}; {}", self.message()),
        }
    }

    /// The counter's cart, customer and checkout's tendered amount: what
    /// the cashier typed.
    fn typed(&self) -> (Vec<(String, i64)>, Option<String>, String) {
        let customer = self.state.order_entry.customer.as_ref();
        (
            cart_of(&self.state),
            customer.map(|c| c.name.clone()),
            self.tendered(),
        )
    }
}

fn cart_of(state: &AppState) -> Vec<(String, i64)> {
    let lines = state.order_entry.cart.iter();
    lines
        .map(|line| (line.product.sku.clone(), line.quantity.get()))
        .collect()
}

/// A private server with an empty database `shop`, and its URL.
fn server_with_a_database() -> (PrivateServer, ServerUrl) {
    let server = PrivateServer::start(&[]);
    server.run(&["CREATE DATABASE shop"]);
    let url = server.url("root", "shop", "");
    (server, url)
}

/// The line the counter says at checkout when the server at `address`
/// cannot be reached.
fn kept_line(address: &str) -> String {
    format!("cannot reach the database server at {address}: the sale is kept; try again")
}

/// The orders on the server, read afresh (not through the store under
/// test): how many, and the mugs' stock and sale moves.
fn orders_and_mugs(url: &ServerUrl) -> (usize, i64, usize) {
    let shop = MysqlStore::open(url, None).unwrap();
    let mug = shop.product_by_sku("MUG-1").unwrap().unwrap();
    let moves = shop.stock_moves(mug.id).unwrap();
    let sales = moves.iter().filter(|m| m.reason == MoveReason::Sale);
    (count_orders(&shop as &dyn Shop), mug.stock, sales.count())
}

/// Ann's cart of two mugs at checkout, 30 typed as tendered in cash.
fn at_checkout(counter: &mut Counter) {
    counter.keys("<F4>ann@example.com<Enter>MUG-1<Enter>MUG-1<Enter><Enter>30");
    assert_eq!(counter.tendered(), "30", "{}", counter.message());
}

/// What a counter at checkout has typed, as [`at_checkout`] typed it.
fn typed_at_checkout() -> (Vec<(String, i64)>, Option<String>, String) {
    (
        vec![("MUG-1".to_string(), 2)],
        Some("Ann Lee".to_string()),
        "30".to_string(),
    )
}

/// Asserts that the counter's sale was done, as one order, and returns
/// its number.
#[track_caller]
fn assert_sale_done(counter: &Counter) -> i64 {
    let message = counter.message();
    let number = message
        .strip_prefix("Sale ")
        .and_then(|rest| rest.split_once(' '))
        .and_then(|(number, _)| number.parse().ok())
        .unwrap_or_else(|| panic!("the sale was not done: {message}"));
    assert!(counter.state.order_entry.cart.is_empty());
    number
}

/// Runs `work` on a thread of its own; its result comes through the
/// receiver (waited for with a bound, so that a wait with no end fails).
fn in_the_background<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> mpsc::Receiver<T> {
    let (sender, receiver) = mpsc::channel();
    thread::spawn(move || {
        let _ = sender.send(work());
    });
    receiver
}

// ---- at the counter ----------------------------------------------------------

#[test]
#[cfg_attr(
    not(private_mariadb),
    ignore = "needs mariadbd and mariadb-install-db on this machine (README, Tests)"
)]
fn a_server_killed_at_checkout_is_one_line_the_sale_kept_and_placed_once_when_it_is_back() {
    let (mut server, url) = server_with_a_database();
    let mut counter = Counter::on_small_shop(&url);
    at_checkout(&mut counter);
    server.kill();
    // Found gone on Enter, then again while it is down (connecting anew,
    // refused): the same one line each time, nothing sent again by itself.
    for _ in 0..2 {
        counter.keys("<Enter>");
        assert_eq!(counter.message(), kept_line(&url.address()));
        assert_eq!(counter.typed(), typed_at_checkout());
    }
    // Other actions say the line and "try again", the sale kept too.
    counter.keys("<Esc>PEN-1<Enter>");
    assert_eq!(
        counter.message(),
        format!(
            "cannot reach the database server at {}: try again",
            url.address()
        )
    );
    assert_eq!(cart_of(&counter.state), typed_at_checkout().0);
    server.restart();
    // The scan line kept what was typed: Esc clears it, Enter checks out.
    counter.keys("<Esc><Enter>30<Enter>");
    let order = assert_sale_done(&counter);
    assert_eq!(
        orders_and_mugs(&url),
        (1, 18, 1),
        "one order, stock taken once"
    );
    assert_eq!(counter.shop.order(order).unwrap().items[0].quantity, 2);
}

#[test]
#[cfg_attr(
    not(private_mariadb),
    ignore = "needs mariadbd and mariadb-install-db on this machine (README, Tests)"
)]
fn a_sale_committed_whose_answer_was_lost_to_a_crash_is_found_by_the_next_enter_not_placed_again() {
    let (mut server, url) = server_with_a_database();
    // The counter reaches the server through a proxy that, once armed,
    // passes the sale's COMMIT on and then cuts the connection before the
    // server's answer reaches the counter: the hard case, committed on
    // the server and unknown at the counter.
    let proxy = CutProxy::start(url.port);
    let mut through = url.clone();
    through.port = proxy.port;
    let mut counter = Counter::on_small_shop(&through);
    at_checkout(&mut counter);
    proxy.arm();
    counter.keys("<Enter>");
    assert!(proxy.has_cut(), "the proxy cut the sale's answer");
    assert_eq!(counter.message(), kept_line(&through.address()));
    assert_eq!(counter.typed(), typed_at_checkout());
    // On the server the sale is committed, and survives a crash.
    assert_eq!(orders_and_mugs(&url), (1, 18, 1));
    server.kill();
    server.restart();
    assert_eq!(orders_and_mugs(&url), (1, 18, 1));
    // The cashier presses Enter again: the same sale id finds the order.
    counter.keys("<Enter>");
    let order = assert_sale_done(&counter);
    assert_eq!(orders_and_mugs(&url), (1, 18, 1), "not placed twice");
    let placed = counter.shop.order(order).unwrap();
    assert_eq!(placed.customer_name, "Ann Lee");
}

#[test]
#[cfg_attr(
    not(private_mariadb),
    ignore = "needs mariadbd and mariadb-install-db on this machine (README, Tests)"
)]
fn a_hung_server_is_given_up_so_the_screen_moves_on_and_the_sale_is_placed_once_it_answers() {
    let (server, url) = server_with_a_database();
    let mut counter = Counter::on_small_shop(&url);
    at_checkout(&mut counter);
    server.pause();
    // Enter waits for the hung server no longer than the counter's
    // deadline allows (the screen stands still meanwhile), then says so.
    let enter = in_the_background(move || {
        counter.keys("<Enter>");
        counter
    });
    let mut counter = enter
        .recv_timeout(PATIENCE)
        .expect("the counter waited for the hung server with no end");
    assert_eq!(counter.message(), kept_line(&url.address()));
    assert_eq!(counter.typed(), typed_at_checkout());
    server.resume();
    counter.keys("<Enter>");
    assert_sale_done(&counter);
    assert_eq!(orders_and_mugs(&url), (1, 18, 1));
}

#[test]
#[cfg_attr(
    not(private_mariadb),
    ignore = "needs mariadbd and mariadb-install-db on this machine (README, Tests)"
)]
fn closing_while_the_server_is_down_parks_the_sale_here_and_the_next_start_moves_it_back() {
    let (mut server, url) = server_with_a_database();
    let folder = tempfile::tempdir().unwrap();
    let parked_folder = folder.path().join("parked-sales");
    let mut counter = Counter::on_small_shop(&url);
    counter.state.parked_folder = parked_folder.clone();
    counter.keys("<F4>ann@example.com<Enter>MUG-1<Enter>PEN-1<Enter>");
    server.kill();
    // As a signal, a lost terminal or a panic closes the app.
    effects::dispatch(&mut counter.state, &mut *counter.shop, Action::Shutdown);
    assert!(counter.state.quit);
    let farewell = counter.state.farewell.clone().unwrap_or_default();
    assert!(
        farewell.contains("parked on this machine"),
        "{farewell}; {}",
        counter.message()
    );
    server.restart();
    let moved = parked_here::move_back(&parked_folder, &mut *counter.shop);
    assert_eq!(moved.parked.len(), 1, "{moved:?}");
    let parked = counter.shop.parked_sales().unwrap();
    let skus: Vec<_> = parked[0]
        .lines
        .iter()
        .map(|(p, q)| (p.sku.clone(), q.get()))
        .collect();
    assert_eq!(skus, [("MUG-1".to_string(), 1), ("PEN-1".to_string(), 1)]);
    assert_eq!(parked[0].customer.name, "Ann Lee");
}

// ---- searching as you type -------------------------------------------------

#[test]
#[cfg_attr(
    not(private_mariadb),
    ignore = "needs mariadbd and mariadb-install-db on this machine (README, Tests)"
)]
fn the_searcher_says_the_server_is_away_and_finds_again_once_it_is_back() {
    let (mut server, url) = server_with_a_database();
    let mut counter = Counter::on_small_shop(&url);
    let mut searcher = Searcher::start(counter.shop.open_another().unwrap());
    let mut search = |text: &str, generation: u64| {
        let find = Effect::FindOrderProducts {
            text: text.to_string(),
            generation,
        };
        searcher.start(&mut *counter.shop, vec![find]);
        let mut answers = searcher.answers(true);
        assert_eq!(answers.len(), 1, "{answers:?}");
        answers.remove(0)
    };
    let found = |answer: &Action| match answer {
        Action::OrderProductsFound { rows, .. } => {
            rows.iter().map(|row| row.sku.clone()).collect::<Vec<_>>()
        }
        other => panic!("{other:?}"),
    };
    assert_eq!(found(&search("mug", 1)), ["MUG-1"]);
    server.kill();
    // While it is down: found in the searcher's copy, or refused naming
    // the server; never a thread gone for good.
    match search("pen", 2) {
        Action::Refused(refusal) => assert_eq!(
            refusal.server_away,
            Some(format!(
                "cannot reach the database server at {}",
                url.address()
            ))
        ),
        answer => assert_eq!(found(&answer), ["PEN-1"]),
    }
    server.restart();
    // Back: what another counter added meanwhile is found.
    let mut other = MysqlStore::open(&url, None).unwrap();
    add_product(&mut other as &mut dyn Shop, "INK-1", "Black ink", "3", 5);
    assert_eq!(found(&search("ink", 3)), ["INK-1"]);
}

// ---- commands ----------------------------------------------------------------

#[test]
#[cfg_attr(
    not(private_mariadb),
    ignore = "needs mariadbd and mariadb-install-db on this machine (README, Tests)"
)]
fn a_command_on_a_stopped_or_hung_server_exits_75_with_one_line_naming_it() {
    let (mut server, url) = server_with_a_database();
    let db = url.to_string();
    let list = move || {
        finish(
            shopdesk()
                .args(["--db", &db, "product", "list"])
                .output()
                .unwrap(),
        )
    };
    let list_in_the_background = || {
        in_the_background(list.clone())
            .recv_timeout(PATIENCE)
            .expect("the command waited for the server with no end")
    };
    list_in_the_background().ok();
    let away = format!(
        "error: cannot reach the database server at {}: ",
        url.address()
    );
    server.stop();
    list_in_the_background()
        .temporary(&away)
        .temporary("the connection was refused");
    server.restart();
    server.pause();
    // It takes the connection and never answers: given up after 5 s.
    list_in_the_background()
        .temporary(&away)
        .temporary("did not answer within 5 s");
    server.resume();
    list_in_the_background().ok();
}

// ---- a proxy that loses a commit's answer --------------------------------------

/// Passes connections on to a server on this machine, both ways; once
/// armed, it passes the next `COMMIT` on and then cuts that connection
/// when the server answers it, the answer lost (once; the next
/// connections pass as before).
struct CutProxy {
    port: u16,
    armed: Arc<AtomicBool>,
    cut: Arc<AtomicBool>,
}

/// A COMMIT as the client sends it: a text query (`COM_QUERY`, 3).
const COMMIT: &[u8] = b"\x03COMMIT";

impl CutProxy {
    fn start(server_port: u16) -> CutProxy {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let armed = Arc::new(AtomicBool::new(false));
        let cut = Arc::new(AtomicBool::new(false));
        let (armed_here, cut_here) = (armed.clone(), cut.clone());
        thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(client) = client else { continue };
                let Ok(server) = TcpStream::connect(("127.0.0.1", server_port)) else {
                    continue;
                };
                let committing = Arc::new(AtomicBool::new(false));
                let (to_server, from_server) =
                    (client.try_clone().unwrap(), server.try_clone().unwrap());
                let (armed, committing_up) = (armed_here.clone(), committing.clone());
                thread::spawn(move || {
                    pump(to_server, server, |chunk| {
                        if chunk.windows(COMMIT.len()).any(|w| w == COMMIT)
                            && armed.swap(false, Ordering::SeqCst)
                        {
                            committing_up.store(true, Ordering::SeqCst);
                        }
                        true
                    })
                });
                let cut = cut_here.clone();
                thread::spawn(move || {
                    pump(from_server, client, |_| {
                        // The COMMIT's answer: dropped, and the line cut.
                        let lose = committing.load(Ordering::SeqCst);
                        if lose {
                            cut.store(true, Ordering::SeqCst);
                        }
                        !lose
                    })
                });
            }
        });
        CutProxy { port, armed, cut }
    }

    fn arm(&self) {
        self.armed.store(true, Ordering::SeqCst);
    }

    fn has_cut(&self) -> bool {
        self.cut.load(Ordering::SeqCst)
    }
}

/// Copies what `from` sends to `to` while `pass` lets each chunk through;
/// then closes both ways of both.
fn pump(mut from: TcpStream, mut to: TcpStream, mut pass: impl FnMut(&[u8]) -> bool) {
    let mut buffer = [0u8; 16 * 1024];
    loop {
        let read = match from.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(read) => read,
        };
        if !pass(&buffer[..read]) || to.write_all(&buffer[..read]).is_err() {
            break;
        }
    }
    let _ = from.shutdown(Shutdown::Both);
    let _ = to.shutdown(Shutdown::Both);
}
