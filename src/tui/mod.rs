//! The terminal: start-up and restore, and the event loop that turns key
//! presses into actions for the app.

pub mod effects;
pub mod screens;
mod searcher;

use std::io::{IsTerminal, Write};
use std::time::Duration;

use anyhow::{Result, bail};
use ratatui::DefaultTerminal;
use ratatui::crossterm::event::{self, Event};

use crate::app::{Action, AppState, Command, Screen, keys};

/// How often the loop looks for search answers while waiting for keys.
const ANSWER_POLL: Duration = Duration::from_millis(5);
use crate::store::Store;

/// Opens the app on `store` until the user quits.
pub fn run(store: Store) -> Result<()> {
    if !std::io::stdin().is_terminal() || !std::io::stdout().is_terminal() {
        bail!(
            "the shopdesk app needs a terminal (standard input and output are not one here); \
             for scripts use the commands, see shopdesk --help"
        );
    }
    // `init` also installs a panic hook that restores the terminal first.
    let mut terminal = ratatui::init();
    let result = event_loop(&mut terminal, store);
    ratatui::restore();
    // The last word (say, where the sale in progress was parked) stays on
    // the terminal after the app's screen is gone.
    if let Ok(Some(farewell)) = &result {
        println!("{farewell}");
    }
    result.map(|_| ())
}

/// Runs until the user quits; returns the message to leave behind, if any.
fn event_loop(terminal: &mut DefaultTerminal, mut store: Store) -> Result<Option<String>> {
    let mut searches = searcher::Searcher::start(store.path())?;
    // Start listening for events (and for resizes: SIGWINCH) before the
    // first frame, so a resize right after start-up is not missed.
    event::poll(Duration::ZERO)?;
    let size = terminal.size()?;
    let mut state = AppState::new(size.width, size.height);
    effects::dispatch(
        &mut state,
        &mut store,
        Action::Command(Command::Open(Screen::Customers)),
    );
    loop {
        terminal.draw(|frame| screens::render(frame, &state))?;
        if state.quit {
            return Ok(state.farewell);
        }
        // Take every event already waiting before drawing again, so a burst
        // of keys (a barcode scanner, a paste) costs one frame, not one each.
        // While searches are out, look for their answers between keys.
        let mut events = Vec::new();
        if !searches.is_busy() || event::poll(ANSWER_POLL)? {
            events.push(event::read()?);
            while event::poll(Duration::ZERO)? {
                events.push(event::read()?);
            }
        }
        let mut bells = effects::apply_answers(&mut state, &mut store, &mut searches, false);
        bells +=
            effects::dispatch_events(&mut state, &mut store, events, action_for, &mut searches);
        ring(bells)?;
    }
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
