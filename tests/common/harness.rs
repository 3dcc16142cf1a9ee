//! Drives the app without a terminal: keys go through the real key table
//! and the real effect runner, on a shop of any backend: a [`TestShop`]
//! (the app flow tests, run on every backend), or a SQLite
//! [`super::TestStore`] (the tests of SQLite's own ways, and of drawing,
//! which no backend changes).

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use shopdesk::app::form::Form;
use shopdesk::app::{Action, AppState, Command, Popup, Screen, keys};
use shopdesk::tui::theme::Theme;
use shopdesk::tui::{effects, screens};

use tempfile::TempDir;

use super::AsShop;
use super::contract::{self, TestShop};

pub struct Harness<S: AsShop = TestShop> {
    pub state: AppState,
    pub shop: S,
    /// This counter's own folder, where the app writes receipt files
    /// (`receipts/`): beside a SQLite database, in the data folder for a
    /// server's; a test's own either way.
    pub folder: TempDir,
    /// How often the app rang the terminal bell.
    pub bells: usize,
    /// What the terminal it is drawn on can show.
    pub theme: Theme,
}

impl Harness {
    /// The app at 80×24 on an empty SQLite shop, on the Customers screen.
    pub fn new() -> Harness {
        Harness::on(contract::sqlite())
    }

    /// The app at 80×24 on `shop`, on the Customers screen.
    pub fn on(shop: TestShop) -> Harness {
        Harness::sized(80, 24, shop)
    }
}

impl<S: AsShop> Harness<S> {
    pub fn sized(width: u16, height: u16, mut shop: S) -> Harness<S> {
        let mut state = AppState::new(width, height);
        let folder = tempfile::tempdir().expect("temp dir");
        state.receipts_folder = folder.path().join("receipts");
        effects::dispatch(
            &mut state,
            shop.shop_mut(),
            Action::Command(Command::Open(Screen::Customers)),
        );
        Harness {
            state,
            shop,
            folder,
            bells: 0,
            theme: Theme::default(),
        }
    }

    /// Presses keys written as text: plain characters, and `<Enter>`,
    /// `<Esc>`, `<Tab>`, `<S-Tab>`, `<Up>`, `<Down>`, `<PgDn>`, `<PgUp>`,
    /// `<Home>`, `<End>`, `<Del>`, `<BS>`, `<F4>`, `<A-4>`, `<C-q>`, `<C-Home>`.
    pub fn keys(&mut self, keys: &str) -> &mut Self {
        for key in parse_keys(keys) {
            self.press(key);
        }
        self
    }

    /// Presses one key given as an event, also those the text notation of
    /// [`Harness::keys`] has no name for (← →), as the event loop does when
    /// it arrives alone.
    pub fn press(&mut self, key: KeyEvent) -> &mut Self {
        if let Some(action) = keys::action_for(&self.state, key) {
            self.bells += effects::dispatch(&mut self.state, self.shop.shop_mut(), action);
        }
        self
    }

    /// Presses keys that arrive together, as a scanner or a paste sends
    /// them: the way the event loop takes them.
    pub fn burst(&mut self, keys: &str) -> &mut Self {
        self.bells += effects::dispatch_events(
            &mut self.state,
            self.shop.shop_mut(),
            parse_keys(keys),
            keys::action_for,
            &mut effects::InlineSearches::default(),
        );
        self
    }

    pub fn message(&self) -> String {
        self.state
            .message
            .as_ref()
            .map(|m| m.text.clone())
            .unwrap_or_default()
    }

    pub fn is_error(&self) -> bool {
        self.state.message.as_ref().is_some_and(|m| m.is_error)
    }

    /// The screen as text, one line per row.
    pub fn screen(&self) -> String {
        self.screen_sized(self.state.width, self.state.height)
    }

    /// The screen drawn on a terminal of another size.
    pub fn screen_sized(&self, width: u16, height: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        terminal
            .draw(|frame| screens::render(frame, &self.state, self.theme))
            .unwrap();
        text_of(terminal.backend().buffer())
    }

    pub fn backend(&self) -> TestBackend {
        let mut terminal =
            Terminal::new(TestBackend::new(self.state.width, self.state.height)).unwrap();
        terminal
            .draw(|frame| screens::render(frame, &self.state, self.theme))
            .unwrap();
        terminal.backend().clone()
    }
}

/// The counter's cart as (SKU, quantity) per line.
pub fn cart<S: AsShop>(h: &Harness<S>) -> Vec<(String, i64)> {
    h.state
        .order_entry
        .cart
        .iter()
        .map(|line| (line.product.sku.clone(), line.quantity.get()))
        .collect()
}

/// The question the app asks now (a confirmation popup).
#[track_caller]
pub fn question<S: AsShop>(h: &Harness<S>) -> String {
    match &h.state.popup {
        Some(Popup::Confirm { question, .. }) => question.clone(),
        other => panic!("no question but {other:?}; status line: {}", h.message()),
    }
}

/// The form open now.
#[track_caller]
pub fn form<S: AsShop>(h: &Harness<S>) -> &Form {
    match &h.state.popup {
        Some(Popup::Form(form)) => form,
        other => panic!("expected a form, got {other:?}"),
    }
}

/// A drawn screen as text, one line per row.
pub fn text_of(buffer: &Buffer) -> String {
    let mut text = String::new();
    for y in 0..buffer.area.height {
        for x in 0..buffer.area.width {
            text.push_str(buffer[(x, y)].symbol());
        }
        text.push('\n');
    }
    text
}

pub fn parse_keys(text: &str) -> Vec<KeyEvent> {
    let mut keys = Vec::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '<'
            && let Some(end) = rest.find('>')
            && end > 1
        {
            keys.push(named_key(&rest[1..end]));
            rest = &rest[end + 1..];
            continue;
        }
        keys.push(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        rest = &rest[c.len_utf8()..];
    }
    keys
}

fn named_key(name: &str) -> KeyEvent {
    let plain = |code| KeyEvent::new(code, KeyModifiers::NONE);
    match name {
        "Enter" => plain(KeyCode::Enter),
        "Esc" => plain(KeyCode::Esc),
        "Tab" => plain(KeyCode::Tab),
        "S-Tab" => KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT),
        "Up" => plain(KeyCode::Up),
        "Down" => plain(KeyCode::Down),
        "PgUp" => plain(KeyCode::PageUp),
        "PgDn" => plain(KeyCode::PageDown),
        "Home" => plain(KeyCode::Home),
        "End" => plain(KeyCode::End),
        "Del" => plain(KeyCode::Delete),
        "BS" => plain(KeyCode::Backspace),
        "lt" => plain(KeyCode::Char('<')),
        "C-Home" => KeyEvent::new(KeyCode::Home, KeyModifiers::CONTROL),
        "C-End" => KeyEvent::new(KeyCode::End, KeyModifiers::CONTROL),
        _ if name.starts_with('F') => plain(KeyCode::F(name[1..].parse().expect("F-key number"))),
        _ if name.starts_with("A-") => KeyEvent::new(
            KeyCode::Char(name.chars().nth(2).unwrap()),
            KeyModifiers::ALT,
        ),
        _ if name.starts_with("C-") => KeyEvent::new(
            KeyCode::Char(name.chars().nth(2).unwrap()),
            KeyModifiers::CONTROL,
        ),
        other => panic!("unknown key <{other}>"),
    }
}
