//! Text that reaches a terminal: whatever a name in the database or an
//! argument holds, no raw control byte (ESC, BEL, C1) reaches standard
//! output or standard error, and a message quotes at most a short excerpt
//! of what was typed.
//!
//! The tests taking a `Shop` (text stored and read back) run on every
//! backend (`contract_suite!` at the end); the others are refused or
//! answered before any row is read (the argument parser, a path, an
//! amount, no terminal) and run on SQLite.

mod common;

use common::cli::{Run, Shop, finish, shopdesk};
use common::contract_suite;

/// A title change (OSC 0 … BEL) and a screen clear (CSI 2 J).
const HOSTILE: &str = "Mug \u{1b}]0;pwned\u{7} \u{1b}[2J\u{9b}2J\u{202e}";

/// No byte that a terminal would act on: C0 controls other than the line
/// break, DEL, the C1 controls, and direction overrides.
#[track_caller]
fn assert_harmless(what: &str, text: &str) {
    let bad: Vec<char> = text
        .chars()
        .filter(|&c| {
            (c.is_control() && c != '\n')
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
        .collect();
    assert!(bad.is_empty(), "{what} holds raw {bad:?}: {text:?}");
}

#[track_caller]
fn assert_harmless_run(run: &Run) {
    assert_harmless("stdout", &run.stdout);
    assert_harmless("stderr", &run.stderr);
}

/// `shop` with one product only, named with escapes, one in stock.
fn hostile(shop: Shop) -> Shop {
    shop.run(&[
        "product", "add", "--sku", "MUG-1", "--name", HOSTILE, "--price", "2", "--stock", "1",
    ])
    .ok();
    shop
}

fn refusals_naming_a_hostile_product_reach_stderr_harmless(shop: Shop) {
    let shop = hostile(shop);
    let short = shop.run(&["order", "place", "--customer", "walk-in", "MUG-1:5"]);
    assert_harmless_run(&short);
    let short = short.refused("not enough stock");
    assert!(short.stderr.contains("Mug ␛]0;pwned␇"), "{}", short.stderr);

    shop.run(&["product", "archive", "MUG-1"]).ok();
    let archived = shop.run(&["order", "place", "--customer", "walk-in", "MUG-1"]);
    assert_harmless_run(&archived);
    archived.refused("is archived");

    let taken = shop.run(&[
        "product", "add", "--sku", "mug-1", "--name", "x", "--price", "1", "--stock", "1",
    ]);
    assert_harmless_run(&taken);
    taken.refused("already used");
}

fn every_line_printed_is_harmless(shop: Shop) {
    let shop = hostile(shop);
    shop.run(&[
        "customer",
        "add",
        "--name",
        HOSTILE,
        "--email",
        "eve@example.com",
    ])
    .ok();
    shop.run(&["settings", "set", "shop_name", HOSTILE]).ok();
    for args in [
        &["product", "list"][..],
        &["product", "show", "MUG-1"],
        &["product", "moves", "MUG-1"],
        &["customer", "list"],
        &["customer", "show", "1"],
        &["settings"],
    ] {
        assert_harmless_run(&shop.run(args).ok());
    }
    let placed = shop
        .run(&[
            "order",
            "place",
            "--customer",
            "1",
            "MUG-1",
            "--note",
            HOSTILE,
        ])
        .ok();
    assert_harmless_run(&placed);
    for args in [
        &["order", "show", "1"][..],
        &["order", "receipt", "1"],
        &["order", "history", "1"],
        &["order", "list"],
    ] {
        let run = shop.run(args).ok();
        assert_harmless_run(&run);
        assert!(
            run.stdout.contains('␛'),
            "{args:?} shows the name: {}",
            run.stdout
        );
    }
}

#[test]
fn usage_errors_from_the_argument_parser_are_harmless() {
    let shop = Shop::new();
    let unknown = shop.run(&["order", HOSTILE]);
    assert_eq!(unknown.code, 2, "{}", unknown.stderr);
    assert_harmless_run(&unknown);
    assert!(
        unknown.stderr.contains("unrecognized subcommand 'Mug"),
        "{}",
        unknown.stderr
    );

    let bad_number = shop.run(&["customer", "list", "--limit", HOSTILE]);
    assert_eq!(bad_number.code, 2, "{}", bad_number.stderr);
    assert_harmless_run(&bad_number);

    let help = shop.run(&["--help"]);
    assert_eq!(help.code, 0, "help is not an error");
    assert!(help.stdout.contains("Usage"), "{}", help.stdout);
}

/// The longest line a refusal may print: the message's own words and a
/// short excerpt of the input.
const MAX_REFUSAL_CHARS: usize = 300;

/// A refusal (exit 1) is one short line; a usage error (exit 2) is clap's
/// few lines, each short, the first saying what was wrong.
#[track_caller]
fn assert_short_message(run: &Run) {
    assert_harmless_run(run);
    match run.code {
        1 => assert_eq!(run.stderr.lines().count(), 1, "one line: {}", run.stderr),
        2 => assert!(run.stderr.starts_with("error: "), "{}", run.stderr),
        other => panic!("exit {other}: {}", run.stderr),
    }
    for line in run.stderr.lines() {
        let chars = line.chars().count();
        assert!(chars <= MAX_REFUSAL_CHARS, "{chars} characters: {line}");
    }
}

fn refusals_quote_a_short_excerpt_of_huge_input(shop: Shop) {
    let shop = shop.stock();
    let huge = format!("12{}\n\u{1b}[2J", "9".repeat(120_000));
    let huge_text = format!("a\n{}\u{1b}[2J", "b".repeat(120_000));
    for args in [
        &[
            "product", "add", "--sku", "X-1", "--name", "x", "--price", &huge, "--stock", "1",
        ][..],
        &[
            "product", "add", "--sku", "X-1", "--name", "x", "--price", &huge_text, "--stock", "1",
        ],
        &[
            "product", "add", "--sku", &huge_text, "--name", "x", "--price", "1", "--stock", "1",
        ],
        &[
            "product", "add", "--sku", "X-1", "--name", "x", "--price", "1", "--stock", &huge_text,
        ],
        &["product", "show", &huge_text],
        &["customer", "add", "--name", "x", "--email", &huge_text],
        &[
            "customer", "add", "--name", "x", "--email", "a@b.c", "--phone", &huge_text,
        ],
        &["customer", "show", &huge_text],
        &["order", "place", "--customer", &huge_text, "MUG-1"],
        &["order", "place", "--customer", "1", &huge_text],
        &[
            "order",
            "place",
            "--customer",
            "1",
            "MUG-1",
            "--paid",
            &huge_text,
        ],
        &["order", "status", "1", &huge_text],
        &["order", "list", "--status", &huge_text],
        &["settings", "set", &huge_text, "x"],
        &["settings", "set", "shop_name", &huge_text],
        &["customer", "list", "--limit", &huge_text],
    ] {
        let run = shop.run(args);
        assert_short_message(&run);
    }
}

#[test]
fn refusals_naming_a_huge_path_stay_short() {
    let shop = Shop::stocked();
    let dir = shop.dir.path().to_str().unwrap().to_string();
    let huge_name = format!("{dir}/{}\u{1b}[2J", "p".repeat(100_000));
    let in_missing_folder = format!("{huge_name}/shop.db");
    let runs = [
        shop.run(&["backup", &huge_name]),
        shop.run(&["backup", &in_missing_folder]),
        finish(
            shopdesk()
                .args(["--db", &in_missing_folder, "customer", "list"])
                .output()
                .unwrap(),
        ),
        finish(
            shopdesk()
                .args(["--config", &in_missing_folder, "config"])
                .output()
                .unwrap(),
        ),
    ];
    for run in runs {
        assert_short_message(&run);
    }
}

#[test]
fn a_short_input_is_still_quoted_whole() {
    let shop = Shop::stocked();
    shop.run(&[
        "product", "add", "--sku", "X-1", "--name", "x", "--price", "1.000,50", "--stock", "1",
    ])
    .refused("“1.000,50”: no thousands separators");
    shop.run(&[
        "product", "add", "--sku", "X-1", "--name", "x", "--price", "twelve", "--stock", "1",
    ])
    .refused("“twelve” is not an amount");
}

#[test]
fn the_app_without_a_terminal_says_so_harmlessly() {
    let shop = hostile(Shop::new());
    let run = finish(shopdesk().arg("--db").arg(shop.db()).output().unwrap());
    assert_eq!(run.code, 1);
    assert_harmless_run(&run);
}

fn json_output_escapes_what_a_terminal_would_act_on_and_keeps_the_text(shop: Shop) {
    let shop = hostile(shop);
    for args in [&["product", "list"][..], &["product", "show", "MUG-1"]] {
        let run = shop.json(args).ok();
        assert_harmless_run(&run);
        let record = &run.json_lines()[0];
        assert_eq!(record["name"], HOSTILE, "the text itself is unchanged");
    }
}

contract_suite!(
    refusals_naming_a_hostile_product_reach_stderr_harmless,
    every_line_printed_is_harmless,
    refusals_quote_a_short_excerpt_of_huge_input,
    json_output_escapes_what_a_terminal_would_act_on_and_keeps_the_text,
);
