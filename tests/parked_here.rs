//! Sales parked on this machine while the database server was away: the
//! file the app writes as it closes, and its next start moving it back
//! into the database. What the folder holds is untrusted: a symlink,
//! another user's file, a FIFO, a second name of a file, a folder, text
//! that is not a parked sale and a sale naming a product the shop no
//! longer has are never followed, never stop the start, and are kept
//! aside (moved, not deleted) and named. The files do not depend on the
//! backend: these run on SQLite (`server_away.rs` parks and moves back on
//! a real server that went away).

mod common;

use std::path::{Path, PathBuf};

use common::harness::Harness;
use common::*;
use shopdesk::app::{Action, Effect, Popup, Refusal, update};
use shopdesk::domain::order::{Quantity, SaleId};
use shopdesk::domain::product::Product;
use shopdesk::tui::effects;
use shopdesk::tui::parked_here::{self, MovedBack, SET_ASIDE};

/// The line a server out of reach gives, as the store says it.
const SERVER_AWAY: &str = "cannot reach the database server at db.example.com:3306";

/// The small shop, and its parked-sales folder (not made yet).
fn shop_and_folder() -> (TestStore, PathBuf) {
    let shop = small_shop();
    let folder = shop.dir.path().join("parked-sales");
    (shop, folder)
}

fn product(shop: &TestStore, sku: &str) -> Product {
    shop.product_by_sku(sku).unwrap().unwrap()
}

fn quantity(units: i64) -> Quantity {
    Quantity::new(units).unwrap()
}

/// Parks two mugs and a pen for Ann in `folder`, for `shop`'s database.
fn park_for_ann(shop: &TestStore, folder: &Path) -> PathBuf {
    let lines = [
        (product(shop, "MUG-1"), quantity(2)),
        (product(shop, "PEN-1"), quantity(1)),
    ];
    parked_here::park(folder, &shop.name(), 1, &lines, None, at(5)).unwrap()
}

/// The names in `folder`, sorted.
fn names_in(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .map(|entries| {
            entries
                .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn a_parked_file_is_owner_only_and_the_next_start_moves_it_back_once() {
    let (mut shop, folder) = shop_and_folder();
    let file = park_for_ann(&shop, &folder);
    assert_eq!(file.parent(), Some(folder.as_path()));
    assert_eq!(mode_of(&folder), 0o700);
    assert_eq!(mode_of(&file), 0o600);
    // A second sale gets a file of its own.
    let pen = [(product(&shop, "PEN-1"), quantity(3))];
    let second = parked_here::park(&folder, &shop.name(), 0, &pen, None, at(6)).unwrap();
    assert_ne!(file, second);

    let moved = parked_here::move_back(&folder, &mut *shop);
    assert_eq!(moved.parked.len(), 2, "{moved:?}");
    assert!(names_in(&folder).is_empty(), "both files are gone");
    let parked = shop.parked_sales().unwrap();
    let as_stored: Vec<_> = parked
        .iter()
        .map(|sale| {
            let lines: Vec<_> = sale
                .lines
                .iter()
                .map(|(product, quantity)| (product.sku.clone(), quantity.get()))
                .collect();
            (sale.id, sale.customer.id, sale.parked_at, lines)
        })
        .collect();
    assert_eq!(
        as_stored,
        vec![
            (
                moved.parked[0],
                1,
                at(5),
                vec![("MUG-1".to_string(), 2), ("PEN-1".to_string(), 1)]
            ),
            (moved.parked[1], 0, at(6), vec![("PEN-1".to_string(), 3)]),
        ],
        "each as it was parked, at the time it was parked"
    );
    let (said, warning) = moved.said().unwrap();
    assert!(!warning, "{said}");
    assert!(
        said.starts_with("2 sales parked on this machine while the database server could not be reached are back among the parked sales")
            && said.contains(&format!("numbers {}, {}", moved.parked[0], moved.parked[1])),
        "{said}"
    );

    // Moved once: the next start finds nothing.
    let again = parked_here::move_back(&folder, &mut *shop);
    assert_eq!(again.said(), None);
    assert_eq!(shop.parked_sales().unwrap().len(), 2);
}

#[test]
fn a_start_with_no_folder_says_nothing_and_makes_none() {
    let (mut shop, folder) = shop_and_folder();
    assert_eq!(parked_here::move_back(&folder, &mut *shop).said(), None);
    assert!(!folder.exists());
}

#[test]
fn a_sale_parked_for_another_database_waits_for_it() {
    let (mut shop, folder) = shop_and_folder();
    let mug = [(product(&shop, "MUG-1"), quantity(1))];
    let file = parked_here::park(&folder, "mysql://clerk@db/other", 1, &mug, None, at(5)).unwrap();
    let moved = parked_here::move_back(&folder, &mut *shop);
    assert_eq!(moved.elsewhere, 1);
    assert!(file.exists(), "left where it is");
    assert!(shop.parked_sales().unwrap().is_empty());
    let (said, warning) = moved.said().unwrap();
    assert!(!warning);
    assert!(
        said.contains("1 sale parked on this machine for another database waits"),
        "{said}"
    );
}

#[test]
fn parking_never_writes_through_a_symlinked_folder() {
    let (shop, folder) = shop_and_folder();
    let elsewhere = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), &folder).unwrap();
    let mug = [(product(&shop, "MUG-1"), quantity(1))];
    let refused = parked_here::park(&folder, &shop.name(), 1, &mug, None, at(5)).unwrap_err();
    assert!(refused.to_string().contains("symbolic link"), "{refused}");
    assert!(names_in(elsewhere.path()).is_empty());
}

/// What a start makes of `folder` holding, besides a good sale for Ann,
/// what `plant` puts there: the good one is moved back whatever else is
/// there, and the rest is said.
fn start_beside_a_good_sale(
    plant: impl FnOnce(&TestStore, &Path),
) -> (TestStore, PathBuf, MovedBack) {
    let (mut shop, folder) = shop_and_folder();
    park_for_ann(&shop, &folder);
    plant(&shop, &folder);
    let moved = parked_here::move_back(&folder, &mut *shop);
    assert_eq!(
        moved.parked.len(),
        1,
        "the good sale is moved back: {moved:?}"
    );
    assert_eq!(shop.parked_sales().unwrap().len(), 1);
    (shop, folder, moved)
}

/// Asserts that the start kept `name` aside (its reason saying `why`), in
/// `set-aside/`, and said so as a warning.
#[track_caller]
fn assert_kept_aside(folder: &Path, moved: &MovedBack, name: &str, why: &str) {
    let kept = moved
        .set_aside
        .iter()
        .find(|(kept, _)| kept == name)
        .unwrap_or_else(|| panic!("{name} was not kept aside: {moved:?}"));
    assert!(kept.1.contains(why), "{name}: {}", kept.1);
    assert!(
        folder.join(SET_ASIDE).join(name).symlink_metadata().is_ok(),
        "{name} is in set-aside/: {:?}",
        names_in(&folder.join(SET_ASIDE))
    );
    assert!(folder.join(name).symlink_metadata().is_err());
    let (said, warning) = moved.said().unwrap();
    assert!(warning, "{said}");
    assert!(
        said.contains(&format!(
            "kept aside in {}",
            folder.join(SET_ASIDE).display()
        )) && said.contains(&format!("{name} (")),
        "{said}"
    );
}

#[test]
fn a_symlink_is_never_followed_and_kept_aside_itself() {
    let target_dir = tempfile::tempdir().unwrap();
    let mut target = PathBuf::new();
    let (_shop, folder, moved) = start_beside_a_good_sale(|shop, folder| {
        // A good parked sale elsewhere, and a link to it among the parked.
        target = park_for_ann(shop, target_dir.path());
        std::os::unix::fs::symlink(&target, folder.join("sale-link.json")).unwrap();
    });
    assert_kept_aside(&folder, &moved, "sale-link.json", "symbolic link");
    assert!(
        folder
            .join(SET_ASIDE)
            .join("sale-link.json")
            .symlink_metadata()
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link itself was moved"
    );
    assert!(target.exists(), "what it leads to is untouched");
}

#[test]
fn another_users_file_is_not_read() {
    if !running_as_root() {
        say_skipped("only root can give a file to another user");
        return;
    }
    let (_shop, folder, moved) = start_beside_a_good_sale(|shop, folder| {
        let planted = park_for_ann(shop, folder);
        let renamed = folder.join("planted.json");
        std::fs::rename(&planted, &renamed).unwrap();
        std::os::unix::fs::chown(&renamed, Some(NOBODY), Some(NOBODY)).unwrap();
    });
    assert_kept_aside(&folder, &moved, "planted.json", "belongs to another user");
}

#[test]
fn a_second_name_of_a_file_is_not_read() {
    let other = tempfile::tempdir().unwrap();
    let (_shop, folder, moved) = start_beside_a_good_sale(|shop, folder| {
        let original = park_for_ann(shop, other.path());
        std::fs::hard_link(&original, folder.join("linked.json")).unwrap();
    });
    assert_kept_aside(&folder, &moved, "linked.json", "has another name too");
}

#[test]
fn text_that_is_not_a_parked_sale_is_kept_aside() {
    let (_shop, folder, moved) = start_beside_a_good_sale(|_, folder| {
        std::fs::write(folder.join("notes.txt"), "buy milk\n").unwrap();
        std::fs::write(
            folder.join("other.json"),
            r#"{"format": "someone's cart", "version": 1, "database": "x", "parked_at": "2026-03-01T12:00:00.000000Z", "customer_id": 1, "lines": []}"#,
        )
        .unwrap();
    });
    assert_kept_aside(&folder, &moved, "notes.txt", "not a parked sale");
    assert_kept_aside(
        &folder,
        &moved,
        "other.json",
        "not a parked sale this shopdesk reads",
    );
}

#[test]
fn a_sale_naming_a_product_or_customer_the_shop_does_not_have_is_kept_aside_named() {
    let (_shop, folder, moved) = start_beside_a_good_sale(|shop, folder| {
        let gone = Product {
            id: 999,
            ..product(shop, "MUG-1")
        };
        let named = parked_here::park(folder, &shop.name(), 1, &[(gone, quantity(1))], None, at(5));
        std::fs::rename(named.unwrap(), folder.join("gone-product.json")).unwrap();
        let mug = [(product(shop, "MUG-1"), quantity(1))];
        let named = parked_here::park(folder, &shop.name(), 77, &mug, None, at(5));
        std::fs::rename(named.unwrap(), folder.join("gone-customer.json")).unwrap();
    });
    assert_kept_aside(&folder, &moved, "gone-product.json", "999");
    assert_kept_aside(&folder, &moved, "gone-customer.json", "77");
}

#[test]
fn a_fifo_or_a_folder_never_holds_the_start_up() {
    let (_shop, folder, moved) = start_beside_a_good_sale(|_, folder| {
        make_fifo(&folder.join("pipe.json"));
        std::fs::create_dir(folder.join("a-folder")).unwrap();
    });
    assert_kept_aside(&folder, &moved, "pipe.json", "not a regular file");
    assert_kept_aside(&folder, &moved, "a-folder", "not a regular file");
}

#[test]
fn what_is_kept_aside_never_replaces_what_was_kept_before() {
    let (mut shop, folder) = shop_and_folder();
    for round in 0..2 {
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("broken.json"), format!("round {round}")).unwrap();
        let moved = parked_here::move_back(&folder, &mut *shop);
        assert_eq!(moved.set_aside.len(), 1, "{moved:?}");
    }
    let aside = folder.join(SET_ASIDE);
    assert_eq!(names_in(&aside), ["broken.json", "broken.json.1"]);
    assert_eq!(
        std::fs::read_to_string(aside.join("broken.json")).unwrap(),
        "round 0"
    );
    // Once aside, it is not read again: the next start says nothing.
    assert_eq!(parked_here::move_back(&folder, &mut *shop).said(), None);
}

/// A parked-sale file for `shop`'s database written by hand: two mugs for
/// Ann, in format `version`, with `sale_id` if it is given.
fn hand_written(shop: &TestStore, version: u32, sale_id: Option<&str>) -> String {
    let mut file = serde_json::json!({
        "format": "shopdesk parked sale",
        "version": version,
        "database": shop.name(),
        "parked_at": "2026-03-01T12:00:00.000000Z",
        "customer_id": 1,
        "lines": [{
            "product_id": product(shop, "MUG-1").id,
            "quantity": 2,
            "sku": "MUG-1",
            "name": "Blue mug"
        }]
    });
    if let Some(sale_id) = sale_id {
        file["sale_id"] = sale_id.into();
    }
    file.to_string()
}

#[test]
fn a_sale_parked_here_keeps_its_sale_id_when_moved_back() {
    let (mut shop, folder) = shop_and_folder();
    let id = SaleId::parse("till-3.0042").unwrap();
    let mugs = [(product(&shop, "MUG-1"), quantity(2))];
    let file = parked_here::park(&folder, &shop.name(), 1, &mugs, Some(&id), at(6)).unwrap();
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(written["version"], 2);
    assert_eq!(written["sale_id"], "till-3.0042");
    // Beside it, one parked earlier, before checkout made an id.
    park_for_ann(&shop, &folder);

    let moved = parked_here::move_back(&folder, &mut *shop);
    assert_eq!(moved.parked.len(), 2, "{moved:?}");
    let ids: Vec<Option<SaleId>> = shop
        .parked_sales()
        .unwrap()
        .into_iter()
        .map(|sale| sale.sale_id)
        .collect();
    assert_eq!(ids, [None, Some(id)], "in the order they were parked");
}

#[test]
fn a_file_of_format_1_without_a_sale_id_is_still_moved_back() {
    let (mut shop, folder) = shop_and_folder();
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("sale-v1.json"), hand_written(&shop, 1, None)).unwrap();
    let moved = parked_here::move_back(&folder, &mut *shop);
    assert_eq!(moved.parked.len(), 1, "{moved:?}");
    assert!(moved.set_aside.is_empty(), "{moved:?}");
    let parked = shop.parked_sales().unwrap();
    assert_eq!(parked[0].sale_id, None);
    assert_eq!(parked[0].item_count(), 2);
}

#[test]
fn a_file_with_a_sale_id_no_rule_allows_or_of_a_later_format_is_kept_aside() {
    let (_shop, folder, moved) = start_beside_a_good_sale(|shop, folder| {
        std::fs::write(
            folder.join("bad-id.json"),
            hand_written(shop, 2, Some("till 3/42")),
        )
        .unwrap();
        std::fs::write(
            folder.join("later.json"),
            hand_written(shop, 3, Some("till-3.0042")),
        )
        .unwrap();
    });
    assert_kept_aside(
        &folder,
        &moved,
        "bad-id.json",
        "its sale id is not one: a sale id is 1 to 64 characters",
    );
    assert_kept_aside(
        &folder,
        &moved,
        "later.json",
        "not a parked sale this shopdesk reads (format “shopdesk parked sale” version 3)",
    );
}

// ---- the app ------------------------------------------------------------------

/// The cart with two mugs for Ann in the small shop, at the counter.
fn counter_with_a_cart() -> Harness<TestStore> {
    let mut h = Harness::sized(80, 24, small_shop());
    h.state.parked_folder = h.shop.dir.path().join("parked-sales");
    h.keys("<F4>ann@example.com<Enter>MUG-1<Enter>MUG-1<Enter>");
    assert_eq!(common::harness::cart(&h), [("MUG-1".to_string(), 2)]);
    h
}

#[test]
fn closing_while_the_server_is_away_parks_the_sale_in_a_file_and_quits() {
    let mut h = counter_with_a_cart();
    // Closing parks the sale in the database first: the state machine
    // asks for it, and the store answers that its server is out of reach.
    let asked = update(&mut h.state, Action::Shutdown);
    assert!(
        matches!(asked.as_slice(), [Effect::ParkSale { .. }]),
        "{asked:?}"
    );
    let away = Action::Refused(Refusal {
        rule: None,
        server_away: Some(SERVER_AWAY.to_string()),
        message: format!("{SERVER_AWAY}: try again"),
    });
    let mut effects_asked = update(&mut h.state, away);
    let [Effect::ParkOnThisMachine { folder, .. }] = effects_asked.as_slice() else {
        panic!("{effects_asked:?}");
    };
    assert_eq!(folder, &h.state.parked_folder);
    let parked = effects::run(&mut h.shop.store, effects_asked.remove(0)).unwrap();
    assert!(
        matches!(&parked, Action::SaleParkedOnThisMachine(_)),
        "{parked:?}"
    );
    assert!(update(&mut h.state, parked).is_empty());
    assert!(h.state.quit);
    assert!(h.state.order_entry.cart.is_empty());
    let farewell = h.state.farewell.clone().unwrap();
    assert_eq!(names_in(&h.state.parked_folder).len(), 1);
    assert_eq!(
        farewell,
        format!(
            "The database server could not be reached, so the sale was parked on this machine, in {}; the next start moves it back.",
            h.state.parked_folder.display()
        )
    );

    // The next start moves it back: F8 lists it.
    let moved = parked_here::move_back(&h.state.parked_folder, &mut h.shop.store);
    assert_eq!(moved.parked.len(), 1);
    let mut next = Harness::sized(80, 24, h.shop);
    next.keys("<F4><F8>");
    assert!(next.screen().contains("Ann Lee"), "{}", next.screen());
}

#[test]
fn at_checkout_the_server_away_is_one_line_and_the_sale_stays() {
    let mut h = counter_with_a_cart();
    h.keys("<Enter>20");
    let away = Action::Refused(Refusal {
        rule: None,
        server_away: Some(SERVER_AWAY.to_string()),
        message: format!("{SERVER_AWAY}: try again"),
    });
    assert!(matches!(
        update(&mut h.state, away).as_slice(),
        [Effect::Beep]
    ));
    assert_eq!(
        h.message(),
        format!("{SERVER_AWAY}: the sale is kept; try again")
    );
    let Some(Popup::Checkout(checkout)) = &h.state.popup else {
        panic!("checkout stays open: {:?}", h.state.popup);
    };
    assert_eq!(checkout.tendered.value(), "20");
    assert_eq!(common::harness::cart(&h), [("MUG-1".to_string(), 2)]);
    assert!(!h.state.quit);
}
