use std::io::{ErrorKind, Write};
use std::process::ExitCode;

use clap::Parser;
use clap::error::ContextValue;
use shopdesk::cli::{self, Cli};
use shopdesk::display::{bounded_message, quote, quote_line, safe_lines, safe_text};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => return report_usage(&error),
    };
    match cli::run(cli) {
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
            ExitCode::FAILURE
        }
    }
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
    ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2))
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error
        .chain()
        .filter_map(|cause| cause.downcast_ref::<std::io::Error>())
        .any(|io| io.kind() == ErrorKind::BrokenPipe)
}
