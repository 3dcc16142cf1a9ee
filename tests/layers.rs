//! The layers as drawn in the README: the rules below that hold the code
//! together, checked on the source itself so that a stray `use` fails the
//! build's tests rather than waiting for a reader to notice.

use std::path::{Path, PathBuf};

/// Every Rust file under `src/<folder>` (or the file `src/<folder>`),
/// with its text up to its unit tests (which may set up what they test
/// any way they like).
fn sources(folder: &str) -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src")
        .join(folder);
    let mut found = Vec::new();
    collect(&root, &mut found);
    assert!(!found.is_empty(), "no sources under {}", root.display());
    found
}

fn collect(path: &Path, found: &mut Vec<(PathBuf, String)>) {
    if path.is_dir() {
        for entry in std::fs::read_dir(path).unwrap() {
            collect(&entry.unwrap().path(), found);
        }
    } else if path.extension().is_some_and(|ext| ext == "rs") {
        let text = std::fs::read_to_string(path).unwrap();
        let code = text
            .split("#[cfg(test)]\nmod tests")
            .next()
            .unwrap_or_default();
        found.push((path.to_path_buf(), code.to_string()));
    }
}

/// The lines of the files under `folder` that mention `needle`, named.
fn mentions(folder: &str, needle: &str) -> Vec<String> {
    sources(folder)
        .into_iter()
        .flat_map(|(path, text)| {
            text.lines()
                .enumerate()
                .filter(|(_, line)| line.contains(needle))
                .map(|(number, line)| format!("{}:{}: {}", path.display(), number + 1, line.trim()))
                .collect::<Vec<_>>()
        })
        .collect()
}

#[track_caller]
fn assert_never(folder: &str, needle: &str) {
    let found = mentions(folder, needle);
    assert!(
        found.is_empty(),
        "{needle} in src/{folder}:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_app_does_not_know_the_store() {
    assert_never("app", "crate::store");
    assert_never("app", "rusqlite");
}

#[test]
fn the_domain_knows_nothing_above_it() {
    for above in [
        "crate::store",
        "crate::app",
        "crate::tui",
        "crate::cli",
        "rusqlite",
    ] {
        assert_never("domain", above);
    }
}

#[test]
fn the_app_and_the_domain_do_no_input_or_output() {
    for folder in ["app", "domain"] {
        for io in ["std::fs", "std::process", "std::env", "std::net"] {
            assert_never(folder, io);
        }
    }
}

#[test]
fn the_edges_never_import_one_another() {
    assert_never("cli", "crate::tui");
    assert_never("tui", "crate::cli");
}

#[test]
fn only_the_sqlite_backend_knows_sql() {
    let outside = [
        "app", "cli", "tui", "domain", "server", "main.rs", "start.rs", "demo.rs",
    ];
    // The interface itself, its errors and its reports included: no
    // backend's type crosses it.
    let interface = ["store/mod.rs", "store/error.rs", "store/check.rs"];
    for folder in outside.into_iter().chain(interface) {
        assert_never(folder, "rusqlite");
    }
}

#[test]
fn nothing_outside_the_store_asks_where_the_database_lies() {
    for folder in ["app", "cli", "tui", "main.rs", "demo.rs"] {
        assert_never(folder, "store.path()");
        assert_never(folder, "shop.path()");
        assert_never(folder, "Store::open");
    }
}

#[test]
fn the_edges_use_only_the_storage_interface() {
    for folder in ["app", "tui", "main.rs", "demo.rs", "receipt.rs", "server"] {
        assert_never(folder, "sqlite");
    }
    // The command line names the SQLite backend only for what only a file
    // has: its backup.
    let found: Vec<String> = mentions("cli", "sqlite")
        .into_iter()
        .filter(|line| !line.contains("cli/database.rs"))
        .collect();
    assert!(found.is_empty(), "{}", found.join("\n"));
}

#[test]
fn the_effect_runner_only_runs_the_stores_effects() {
    for receipts in ["crate::printer", "crate::receipt", "print_receipt"] {
        assert_never("tui/effects.rs", receipts);
    }
}
