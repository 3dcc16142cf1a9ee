//! The app on any terminal: with `NO_COLOR` no color at all, and what
//! color said (the selected row, the field with the cursor, a refusal)
//! still visible; on the Linux console (`TERM=linux`, its own font) every
//! screen drawn whole with characters its font has, the big total included.
//! The real binary in a pseudo-terminal, and every screen drawn on a
//! TestBackend in each theme. On SQLite: drawing depends on the app's
//! state alone, and the backends give the same screens (tests/snapshots.rs).

mod common;

use std::path::Path;

use common::harness::{Harness, text_of};
use common::pty::{App, CTRL_Q, F4};
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use shopdesk::app::{Action, Command};
use shopdesk::store::Shop as _;
use shopdesk::tui::effects;
use shopdesk::tui::theme::{Colors, Glyphs, Theme};

/// Characters of the Linux console's fonts as console-setup installs them
/// (Lat15, Uni2, Uni3 and Terminus, the fonts Debian and Ubuntu set up),
/// beyond ASCII, that the app's own words and frames use. Not the half
/// blocks ▀ ▄: most of these fonts lack them.
const CONSOLE_FONT_EXTRAS: &str = "─│┌┐└┘├┤┬┴┼█░▒…✗×“”—·→←↑↓";

fn is_in_console_font(symbol: &str) -> bool {
    symbol
        .chars()
        .all(|c| c == ' ' || c.is_ascii_graphic() || CONSOLE_FONT_EXTRAS.contains(c))
}

/// The app at the counter with a mug in the cart, after an unknown code
/// was refused (the scan line is empty again, so the cart line is
/// selected).
fn counter_after_a_refusal(db: &Path, env: &[(&str, &str)]) -> App {
    let mut app = App::start_with(db, 24, 80, env);
    app.wait_for("Walk-in");
    app.type_and_wait(F4, "Enter alone: Walk-in");
    app.type_and_wait("\r", "Scan");
    app.type_and_wait("MUG-1\r", "1 item");
    app.type_and_wait("999\r", "Unknown code");
    app
}

/// The screen's rows as text, and each cell as vt100 sees it.
fn screen_rows(app: &App) -> Vec<String> {
    let screen = app.screen.0.lock().unwrap();
    screen.parser.screen().rows(0, 80).collect()
}

fn row_of(rows: &[String], text: &str) -> u16 {
    rows.iter()
        .position(|row| row.contains(text))
        .unwrap_or_else(|| panic!("“{text}” not shown:\n{}", rows.join("\n"))) as u16
}

/// Whether every cell of `row` from the column where `text` starts, for
/// its length, passes `test`.
fn text_cells_all(app: &App, row: u16, text: &str, test: impl Fn(&vt100::Cell) -> bool) -> bool {
    let rows = screen_rows(app);
    let line = &rows[usize::from(row)];
    let start = line[..line.find(text).unwrap()].chars().count() as u16;
    let screen = app.screen.0.lock().unwrap();
    let shown = screen.parser.screen();
    (start..start + text.chars().count() as u16).all(|col| test(shown.cell(row, col).unwrap()))
}

fn any_colored_cell(app: &App) -> Option<(u16, u16)> {
    let screen = app.screen.0.lock().unwrap();
    let shown = screen.parser.screen();
    let (rows, cols) = shown.size();
    let (rows, cols) = (rows.get(), cols.get());
    (0..rows)
        .flat_map(|row| (0..cols).map(move |col| (row, col)))
        .find(|&(row, col)| {
            let cell = shown.cell(row, col).unwrap();
            cell.fgcolor() != vt100::Color::Default || cell.bgcolor() != vt100::Color::Default
        })
}

#[test]
fn with_no_color_nothing_is_colored_and_selection_focus_and_refusals_stay_visible() {
    for no_color in [true, false] {
        let (_dir, db) = common::shop_file_with_a_mug(20);
        let env: &[(&str, &str)] = if no_color { &[("NO_COLOR", "1")] } else { &[] };
        let mut app = counter_after_a_refusal(&db, env);
        let rows = screen_rows(&app);
        let shown = rows.join("\n");
        assert_eq!(
            any_colored_cell(&app).is_none(),
            no_color,
            "NO_COLOR {no_color}: colored cell {:?}:\n{shown}",
            any_colored_cell(&app)
        );
        // The selected cart line, in reverse video.
        let line = row_of(&rows, "Blue mug (MUG-1)");
        assert!(
            text_cells_all(&app, line, "Blue mug (MUG-1)", vt100::Cell::inverse),
            "NO_COLOR {no_color}: the selected line is not reversed:\n{shown}"
        );
        // The field with the cursor: its title reversed.
        let scan = row_of(&rows, "Scan: code");
        assert!(
            text_cells_all(&app, scan, "Scan: code", vt100::Cell::inverse),
            "NO_COLOR {no_color}: the scan field's title is not reversed:\n{shown}"
        );
        let customer = row_of(&rows, "Customer: Walk-in");
        assert!(
            text_cells_all(&app, customer, "Customer: Walk-in", |cell| !cell.inverse()),
            "NO_COLOR {no_color}: a field without the cursor is reversed:\n{shown}"
        );
        // The refusal: marked and bold.
        let refusal = row_of(&rows, "Unknown code");
        assert!(
            rows[usize::from(refusal)].starts_with("✗ Unknown code"),
            "NO_COLOR {no_color}: the refusal has no mark:\n{shown}"
        );
        assert!(
            text_cells_all(&app, refusal, "✗ Unknown code", vt100::Cell::bold),
            "NO_COLOR {no_color}: the refusal is not bold:\n{shown}"
        );
        app.send(CTRL_Q);
        assert!(app.wait_for_exit().success());
    }
}

/// The big total of $25.00 in box-drawing digits, row by row.
const BIG_TOTAL_ON_THE_CONSOLE: [&str; 3] = [
    "┌┼─ ──┐ ┌──   ┌─┐ ┌─┐",
    "└┼┐ ┌─┘ └─┐   │ │ │ │",
    "─┼┘ └── ──┘ . └─┘ └─┘",
];

#[test]
fn on_the_linux_console_the_big_total_and_every_frame_use_the_console_font() {
    for term in ["linux", "xterm-256color"] {
        let (_dir, db) = common::shop_file_with_a_mug(20);
        let mut app = App::start_with(&db, 24, 80, &[("TERM", term)]);
        app.wait_for("Walk-in");
        app.type_and_wait(F4, "Enter alone: Walk-in");
        app.type_and_wait("\r", "Scan");
        app.type_and_wait("2*MUG-1\r", "2 items");
        let rows = screen_rows(&app);
        let shown = rows.join("\n");
        let console = term == "linux";
        for big in BIG_TOTAL_ON_THE_CONSOLE {
            assert_eq!(
                shown.contains(big),
                console,
                "TERM={term}: big total row “{big}”:\n{shown}"
            );
        }
        let outside: String = shown
            .chars()
            .filter(|&c| c != '\n' && !is_in_console_font(&c.to_string()))
            .collect();
        assert_eq!(
            outside.is_empty(),
            console,
            "TERM={term}: characters outside the console font: “{outside}”\n{shown}"
        );
        app.send(CTRL_Q);
        assert!(app.wait_for_exit().success());
    }
}

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

/// How to reach one state of the app: keys (F-keys and typing into fields),
/// then a command given directly (whatever key it is bound to).
struct Scene {
    name: &'static str,
    keys: &'static str,
    command: Option<Command>,
}

const fn scene(name: &'static str, keys: &'static str, command: Option<Command>) -> Scene {
    Scene {
        name,
        keys,
        command,
    }
}

/// Every screen and popup: lists, the counter with its big total and a
/// refused cash amount, a form with an error, a confirmation, help.
const SCENES: [Scene; 12] = [
    scene("customers", "", None),
    scene("products", "<F3>", None),
    scene("counter", "<F4><Enter>MUG-1<Enter>2*PEN-1<Enter>", None),
    scene(
        "checkout refused",
        "<F4><Enter>MUG-1<Enter><Enter>5<Enter>",
        None,
    ),
    scene(
        "after a sale",
        "<F4><Enter>MUG-1<Enter><Enter><Enter>",
        None,
    ),
    scene("parked", "<F4><Enter>MUG-1<Enter><F8><F8>", None),
    scene("history", "<F5>", None),
    scene("order status", "<F6>1<Enter>", None),
    scene("help", "<F4><F1>", None),
    scene("no match", "<F3>zzz", None),
    scene("form", "", Some(Command::New)),
    scene("confirmation", "<F3>", Some(Command::ToggleArchived)),
];

/// The app at `width` × `height` on a shop with a customer, two products
/// and an order, after `scene`, drawn in `theme`.
fn drawn(scene: &Scene, width: u16, height: u16, theme: Theme) -> Buffer {
    let mut shop = common::new_store();
    common::add_customer(&mut shop, "Ann Lee", "ann@example.com", "555-0102");
    common::add_product(&mut shop, "MUG-1", "Blue mug", "12.50", 20);
    common::add_product(&mut shop, "PEN-1", "Red pen", "1.99", 100);
    shop.place_order(&common::new_order(1, &["MUG-1:2"]), common::at(10))
        .unwrap();
    let mut h = Harness::sized(width, height, shop);
    h.keys(scene.keys);
    if let Some(command) = scene.command {
        effects::dispatch(&mut h.state, &mut h.shop.store, Action::Command(command));
    }
    if scene.name == "form" {
        h.keys("Nora<Tab>nora-at-example<Enter>");
    }
    h.theme = theme;
    h.backend().buffer().clone()
}

fn no_color() -> Theme {
    Theme {
        colors: Colors::Off,
        ..Theme::default()
    }
}

fn console() -> Theme {
    Theme {
        glyphs: Glyphs::Console,
        ..Theme::default()
    }
}

/// A color the Linux console's 16 can show: a named ANSI one, or none.
fn is_one_of_16(color: Color) -> bool {
    !matches!(color, Color::Rgb(..) | Color::Indexed(_))
}

#[test]
fn without_color_no_screen_has_any_and_what_color_said_stays_visible() {
    for scene in &SCENES {
        for (width, height) in SIZES {
            let what = format!("{} at {width}×{height}", scene.name);
            let colored = drawn(scene, width, height, Theme::default());
            assert!(
                colored
                    .content
                    .iter()
                    .any(|cell| cell.fg != Color::Reset || cell.bg != Color::Reset),
                "{what}: in color, something is colored"
            );
            let plain = drawn(scene, width, height, no_color());
            assert_eq!(text_of(&plain), text_of(&colored), "{what}: the same text");
            for (cell, styled) in plain.content.iter().zip(&colored.content) {
                assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "{what}");
                assert_eq!(cell.modifier, styled.modifier, "{what}: modifiers kept");
            }
        }
    }
}

/// The row of `buffer` showing `text`, and the column where it starts.
fn find(buffer: &Buffer, text: &str) -> Option<(u16, u16)> {
    let rows: Vec<String> = text_of(buffer).lines().map(str::to_string).collect();
    rows.iter().enumerate().find_map(|(y, row)| {
        let at = row.find(text)?;
        Some((y as u16, row[..at].chars().count() as u16))
    })
}

fn all_have(buffer: &Buffer, text: &str, modifier: Modifier) -> bool {
    let (y, x) = find(buffer, text).unwrap_or_else(|| panic!("“{text}” not drawn"));
    (x..x + text.chars().count() as u16).all(|x| buffer[(x, y)].modifier.contains(modifier))
}

#[test]
fn without_color_refusals_are_marked_and_bold_and_the_field_with_the_cursor_reversed() {
    let [_, _, _, checkout, ..] = &SCENES;
    let plain = drawn(checkout, 80, 24, no_color());
    let text = text_of(&plain);
    assert!(
        text.contains("✗ cash tendered"),
        "the refused amount is marked:\n{text}"
    );
    assert!(
        all_have(&plain, "✗ cash tendered", Modifier::BOLD),
        "the status line's refusal is bold:\n{text}"
    );
    assert!(
        all_have(&plain, "Cash tendered", Modifier::REVERSED),
        "{text}"
    );
    let form = drawn(&SCENES[10], 80, 24, no_color());
    let text = text_of(&form);
    assert!(text.contains("✗ "), "the field's error is marked:\n{text}");
}

#[test]
fn on_the_console_every_screen_uses_its_font_and_its_16_colors() {
    for scene in &SCENES {
        for (width, height) in SIZES {
            let what = format!("{} at {width}×{height}", scene.name);
            let buffer = drawn(scene, width, height, console());
            let outside: String = buffer
                .content
                .iter()
                .map(|cell| cell.symbol())
                .filter(|symbol| !is_in_console_font(symbol))
                .collect();
            assert!(
                outside.is_empty(),
                "{what}: “{outside}” is not in the console's font:\n{}",
                text_of(&buffer)
            );
            assert!(
                buffer
                    .content
                    .iter()
                    .all(|cell| is_one_of_16(cell.fg) && is_one_of_16(cell.bg)),
                "{what}"
            );
        }
    }
    let counter = text_of(&drawn(&SCENES[2], 80, 24, console()));
    assert!(
        counter.contains("┌┼─ ─┐  ┌──   │ │ ┌─┐"),
        "the big total ($16.48) in box-drawing digits:\n{counter}"
    );
}
