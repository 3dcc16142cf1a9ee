//! The terminal: start-up and restore, the event loop that turns key
//! presses into actions for the app, and closing without losing a sale
//! when a signal, a lost terminal or a bug ends the app.

pub mod effects;
mod ending;
mod owed;
pub mod parked_here;
mod printing;
mod receipts;
pub mod screens;
pub mod searcher;
pub mod theme;

use std::io::{IsTerminal, Write};
use std::panic::{self, AssertUnwindSafe};
use std::time::Duration;

use anyhow::{Result, anyhow, bail};
use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{self, Event, KeyCode};

use crate::app::{Action, AppState, Command, Screen, keys};
use crate::config::{CounterConfig, removed_receipt_command_notice};
use crate::store::Shop;
use ending::{CloseSignals, PanicReport};
use theme::Theme;

/// How often the loop looks for search answers while waiting for keys.
const ANSWER_POLL: Duration = Duration::from_millis(5);
/// How often it looks for a print's result: a printer may take seconds,
/// and a tenth of a second is soon enough to say how it went.
const PRINT_POLL: Duration = Duration::from_millis(100);
/// How often an idle loop looks for a signal asking it to close.
const SIGNAL_POLL: Duration = Duration::from_millis(100);

/// Opens the app on `store`, printing as `config` (this counter's own
/// configuration) says, until the user quits. A close signal (SIGTERM,
/// SIGHUP when the terminal or SSH session goes, SIGINT), a terminal that
/// stops working and a panic all park the sale in progress first and
/// restore the terminal; a panic's report goes to the log `config` names.
pub fn run(mut store: Box<dyn Shop>, config: CounterConfig) -> Result<()> {
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        bail!(
            "the shopdesk app needs a terminal (standard input and output are not one here); \
             for scripts use the commands, see shopdesk --help"
        );
    }
    let signals = CloseSignals::watch()?;
    let mut searches = searcher::Searcher::start(store.open_another()?);
    let report = PanicReport::install(&config.panic_log);
    // Read once, here at the edge: every frame is drawn for this terminal.
    let theme = Theme::from_environment();
    // `init` also installs a panic hook that restores the terminal first.
    let mut terminal = ratatui::init();
    // Start listening for events (and for resizes: SIGWINCH) before the
    // first frame, so a resize right after start-up is not missed.
    let size = event::poll(Duration::ZERO).and_then(|_| terminal.size());
    let (width, height) = size.map_or((80, 24), |size| (size.width, size.height));
    let mut state = AppState::new(width, height);
    state.receipt_command = config.keys.receipt_command;
    state.receipts_folder = config.receipts_folder;
    state.parked_folder = config.parked_folder;
    let ran = panic::catch_unwind(AssertUnwindSafe(|| {
        event_loop(
            &mut terminal,
            &mut state,
            &mut *store,
            &mut searches,
            &signals,
            theme,
        )
    }));
    // However the app ends, a printer that hangs is not left running.
    crate::printer::stop_running_prints();
    let result = match ran {
        Ok(Ok(None)) => Ok(state.farewell.take()),
        Ok(Ok(Some(signal))) => Ok(Some(format!(
            "shopdesk closed on {signal}.{}",
            ending::park_sale(&mut state, &mut *store)
        ))),
        Ok(Err(error)) => Err(anyhow!(
            "the terminal stopped working ({error:#}).{}",
            ending::park_sale(&mut state, &mut *store)
        )),
        Err(_) => Err(anyhow!(
            "shopdesk stopped on an internal error (a bug; {}).{}",
            report.whereabouts(),
            ending::park_sale(&mut state, &mut *store)
        )),
    };
    let closed = close_connections(searches, store);
    ratatui::restore();
    if let Err(unclosed) = closed {
        let _ = writeln!(
            std::io::stderr(),
            "{}",
            crate::display::safe_text(&unclosed)
        );
    }
    // The last word (say, where the sale in progress was parked) stays on
    // the terminal after the app's screen is gone, if there still is one.
    if let Ok(Some(farewell)) = &result {
        let _ = writeln!(std::io::stdout(), "{}", crate::display::safe_text(farewell));
    }
    result.map(|_| ())
}

/// Closes every connection the app opened, the searcher's first and the
/// app's own last: SQLite merges the `-wal` log into the database file and
/// removes it and the `-shm` index only when the last connection to the
/// file closes, so that the file alone holds the last sale (the README's
/// promise that it can be copied while no shopdesk runs). A connection
/// left open as the process exits leaves both files behind. Returns what
/// to tell the user if the app's own could not be closed.
fn close_connections(searches: searcher::Searcher, store: Box<dyn Shop>) -> Result<(), String> {
    drop(searches);
    store.close().map_err(|error| error.to_string())
}

/// Runs until the user quits (`None`) or a close signal arrives (its name).
fn event_loop(
    terminal: &mut DefaultTerminal,
    state: &mut AppState,
    store: &mut dyn Shop,
    searches: &mut searcher::Searcher,
    signals: &CloseSignals,
    theme: Theme,
) -> Result<Option<&'static str>> {
    let panic_key = ending::test_panic_key();
    open_first_screen(state, store);
    loop {
        terminal.draw(|frame| screens::render(frame, state, theme))?;
        if state.quit {
            return Ok(None);
        }
        let answers_due = if searches.is_busy() {
            Some(ANSWER_POLL)
        } else if searches.is_printing() {
            Some(PRINT_POLL)
        } else {
            None
        };
        let Some(events) = next_events(answers_due, signals)? else {
            return Ok(signals.received());
        };
        if events.iter().any(|event| is_key(event, panic_key)) {
            panic!("the test switch was pressed");
        }
        let mut bells = effects::apply_answers(state, store, searches, false);
        bells += effects::dispatch_events(state, store, events, action_for, searches);
        ring(bells)?;
    }
}

/// Opens the first screen, and says what there is to say as the app
/// starts, all of it: sales parked on this machine moved back (before the
/// parked sales are counted for the tab bar), a print command an upgrade
/// removed, a database that cannot be written.
fn open_first_screen(state: &mut AppState, store: &mut dyn Shop) {
    let moved_back = parked_here::move_back(&state.parked_folder, store);
    effects::dispatch(
        state,
        store,
        Action::Command(Command::Open(Screen::Customers)),
    );
    let mut notes = Vec::new();
    let mut warning = false;
    if let Some((said, warn)) = moved_back.said() {
        notes.push(said);
        warning |= warn;
    }
    // Said once: the first counter that can forget it says it.
    if let Ok(Some(removed)) = store.take_removed_receipt_command() {
        notes.push(removed_receipt_command_notice(&removed));
        warning = true;
    }
    if store.is_read_only() {
        notes.push(format!(
            "{} cannot be written (read-only file or folder): you can look things up, but nothing can be saved.",
            store.name()
        ));
        warning = true;
    }
    if notes.is_empty() {
        return;
    }
    if warning {
        state.warn(notes.join(" "));
    } else {
        state.inform(notes.join(" "));
    }
}

/// Every event already waiting, taken together so that a burst of keys (a
/// barcode scanner, a paste) costs one frame, not one each. While answers
/// are due (searches or a print), returns after `answers_due` even with no
/// event, to apply them. `None` once a close signal has arrived.
fn next_events(
    answers_due: Option<Duration>,
    signals: &CloseSignals,
) -> Result<Option<Vec<Event>>> {
    loop {
        if signals.received().is_some() {
            return Ok(None);
        }
        if event::poll(answers_due.unwrap_or(SIGNAL_POLL))? {
            let mut events = vec![event::read()?];
            while event::poll(Duration::ZERO)? {
                events.push(event::read()?);
            }
            return Ok(Some(events));
        }
        if answers_due.is_some() {
            return Ok(Some(Vec::new()));
        }
    }
}

fn is_key(event: &Event, key: Option<char>) -> bool {
    matches!((event, key), (Event::Key(pressed), Some(key)) if pressed.code == KeyCode::Char(key))
}

/// The terminal bell: heard at the counter without looking at the screen.
fn ring(bells: usize) -> Result<()> {
    if bells > 0 {
        let mut out = std::io::stdout();
        out.write_all(b"\x07")?;
        out.flush()?;
    }
    Ok(())
}

fn action_for(state: &AppState, event: Event) -> Option<Action> {
    match event {
        Event::Key(key) => keys::action_for(state, key),
        Event::Resize(width, height) => Some(Action::Resize(width, height)),
        _ => None,
    }
}
