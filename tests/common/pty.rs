//! The real binary in a pseudo-terminal, driven as a person would: keys
//! written to the terminal, the screen read back through a terminal
//! emulator. Every wait polls for text with a generous timeout; nothing
//! sleeps a fixed time.

use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::Path;
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, MasterPty, PtySize, native_pty_system};

pub const TIMEOUT: Duration = Duration::from_secs(20);

pub const F3: &str = "\x1bOR";
pub const F4: &str = "\x1bOS";
pub const F5: &str = "\x1b[15~";
pub const F10: &str = "\x1b[21~";
pub const CTRL_Q: &str = "\x11";
/// Ctrl-N: new customer or product (letters are typed into the search).
pub const CTRL_N: &str = "\x0e";

pub struct Screen {
    pub parser: vt100::Parser,
    /// Every byte the app wrote to the terminal.
    pub raw: Vec<u8>,
    pub exited: bool,
}

/// shopdesk running in a pseudo-terminal.
pub struct App {
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    pub screen: Arc<(Mutex<Screen>, Condvar)>,
}

fn size(rows: u16, cols: u16) -> PtySize {
    PtySize {
        rows,
        cols,
        pixel_width: 0,
        pixel_height: 0,
    }
}

impl App {
    pub fn start(db: &Path, rows: u16, cols: u16) -> App {
        App::start_with(db, rows, cols, &[])
    }

    pub fn start_with(db: &Path, rows: u16, cols: u16, env: &[(&str, &str)]) -> App {
        let command = CommandBuilder::new(env!("CARGO_BIN_EXE_shopdesk"));
        App::start_command(command, db, rows, cols, env)
    }

    pub fn start_command(
        mut command: CommandBuilder,
        db: &Path,
        rows: u16,
        cols: u16,
        env: &[(&str, &str)],
    ) -> App {
        command.arg("--db");
        command.arg(db);
        App::run(command, rows, cols, env)
    }

    /// Runs `command` as it is (a command, not the app on a database).
    pub fn run(mut command: CommandBuilder, rows: u16, cols: u16, env: &[(&str, &str)]) -> App {
        let pair = native_pty_system().openpty(size(rows, cols)).unwrap();
        command.env("TERM", "xterm-256color");
        command.env_remove("SHOPDESK_DB");
        for (key, value) in env {
            command.env(key, value);
        }
        command.cwd(env!("CARGO_MANIFEST_DIR"));
        let child = pair.slave.spawn_command(command).unwrap();
        // Dropping our copy of the slave lets reads end when the app exits.
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let nonzero = |n: u16| NonZeroU16::new(n).unwrap();
        let screen = Arc::new((
            Mutex::new(Screen {
                parser: vt100::Parser::new(nonzero(rows), nonzero(cols), 0),
                raw: Vec::new(),
                exited: false,
            }),
            Condvar::new(),
        ));
        let shared = screen.clone();
        thread::spawn(move || {
            let mut buffer = [0u8; 8192];
            loop {
                let read = reader.read(&mut buffer).unwrap_or(0);
                let (lock, changed) = &*shared;
                // A failed test may have poisoned the lock; keep reading anyway.
                let mut screen = lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                if read == 0 {
                    screen.exited = true;
                    changed.notify_all();
                    return;
                }
                screen.parser.process(&buffer[..read]);
                screen.raw.extend_from_slice(&buffer[..read]);
                changed.notify_all();
            }
        });
        App {
            master: pair.master,
            writer,
            child,
            screen,
        }
    }

    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    pub fn contents(&self) -> String {
        self.screen.0.lock().unwrap().parser.screen().contents()
    }

    /// Waits until the screen shows `text`; fails with the screen if it
    /// never does.
    #[track_caller]
    pub fn wait_for(&self, text: &str) {
        let (lock, changed) = &*self.screen;
        let deadline = Instant::now() + TIMEOUT;
        let mut screen = lock.lock().unwrap();
        while !screen.parser.screen().contents().contains(text) {
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(
                !left.is_zero() && !screen.exited,
                "waited for “{text}”; the screen shows:\n{}",
                screen.parser.screen().contents()
            );
            screen = changed.wait_timeout(screen, left).unwrap().0;
        }
    }

    /// Sends `keys` and waits for `text`.
    #[track_caller]
    pub fn type_and_wait(&mut self, keys: &str, text: &str) {
        self.send(keys);
        self.wait_for(text);
    }

    pub fn resize(&mut self, rows: u16, cols: u16) {
        self.master.resize(size(rows, cols)).unwrap();
        let nonzero = |n: u16| NonZeroU16::new(n).unwrap();
        self.screen
            .0
            .lock()
            .unwrap()
            .parser
            .screen_mut()
            .set_size(nonzero(rows), nonzero(cols));
    }

    /// Sends the app a signal, as `kill -NAME` does.
    pub fn signal(&self, name: &str) {
        let pid = self.child.process_id().unwrap().to_string();
        let sent = std::process::Command::new("kill")
            .args([&format!("-{name}"), &pid])
            .status()
            .unwrap();
        assert!(sent.success());
    }

    pub fn in_alternate_screen(&self) -> bool {
        self.screen
            .0
            .lock()
            .unwrap()
            .parser
            .screen()
            .alternate_screen()
    }

    #[track_caller]
    pub fn wait_for_exit(&mut self) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "the app did not exit:\n{}",
                self.contents()
            );
            thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for App {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}
