use std::io::{ErrorKind, Write};
use std::process::ExitCode;

use clap::Parser;
use clap::error::ContextValue;
use shopdesk::cli::{self, Cli, Places, exit};
use shopdesk::display::{bounded_message, quote, quote_line, safe_lines, safe_text};
use shopdesk::start::{self, Opening};
use shopdesk::tui;

/// The edges are siblings: a command runs on the command line, none opens
/// the terminal app.
fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return report_usage(&error),
    };
    let ran = match cli.command {
        Some(command) => cli::run(command, &cli.places, cli.json),
        None => run_app(&cli.places),
    };
    match ran {
        Ok(()) => ExitCode::SUCCESS,
        // `shopdesk order history 1 | head`: the reader left, nothing is wrong.
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            // The chain embeds names from the database and paths as typed:
            // made safe here, once, for every message.
            let message = format!("error: {error:#}");
            // The terminal may be gone (its window closed): that must not
            // turn a clean error into a panic.
            let _ = writeln!(
                std::io::stderr(),
                "{}",
                bounded_message(&safe_text(&message))
            );
            ExitCode::from(exit::code_for(exit::class_of(&error)))
        }
    }
}

/// The terminal app on the shop `places` names, printing as this
/// counter's configuration says.
fn run_app(places: &Places) -> anyhow::Result<()> {
    let database = start::database_path(places.db.clone())?;
    let shop = start::open_shop(&database, Opening::AtTheCounter, places.config.clone())?;
    let config = start::counter_config(places.config.clone(), &database)?;
    tui::run(shop, config)
}

/// clap's usage error, help or version, printed as clap would but through
/// the same safe-text rule: its messages echo the arguments as typed (only
/// its colours are lost). Each argument it echoes becomes a short quote (a
/// value may hold line breaks of its own), and each line stays bounded.
fn report_usage(error: &clap::Error) -> ExitCode {
    let mut rendered = error.render().to_string();
    for (_, value) in error.context() {
        if let ContextValue::String(typed) = value
            && !typed.is_empty()
        {
            rendered = rendered.replace(typed.as_str(), &quote(typed));
        }
    }
    let text: Vec<String> = safe_lines(&rendered).lines().map(quote_line).collect();
    let text = text.join("\n");
    let _ = if error.use_stderr() {
        writeln!(std::io::stderr(), "{}", text.trim_end())
    } else {
        writeln!(std::io::stdout(), "{}", text.trim_end())
    };
    ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(exit::USAGE))
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error
        .chain()
        .filter_map(|cause| cause.downcast_ref::<std::io::Error>())
        .any(|io| io.kind() == ErrorKind::BrokenPipe)
}
