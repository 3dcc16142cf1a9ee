//! How `check` names a row for the clerk, and what it says of a row's
//! values, whatever the backend: the same row is named the same way on
//! every backend.

use std::fmt::Display;

use super::{CheckReport, ProblemKind};

/// Each table of the shop's, its key's columns, each with the word that
/// names it (customer 3; order 1, product 2).
const ROW_KEYS: [(&str, &[(&str, &str)]); 9] = [
    ("customers", &[("id", "customer")]),
    ("products", &[("id", "product")]),
    ("orders", &[("id", "order")]),
    (
        "order_items",
        &[("order_id", "order"), ("product_id", "product")],
    ),
    ("order_events", &[("order_id", "order"), ("seq", "event")]),
    (
        "stock_moves",
        &[("product_id", "product"), ("seq", "stock move")],
    ),
    ("settings", &[("key", "setting")]),
    ("parked_sales", &[("id", "parked sale")]),
    (
        "parked_lines",
        &[("parked_id", "parked sale"), ("line_no", "line")],
    ),
];

/// Every stored time's table and column.
pub const STORED_TIMES: [(&str, &str); 7] = [
    ("customers", "created_at"),
    ("products", "created_at"),
    ("products", "updated_at"),
    ("orders", "created_at"),
    ("order_events", "at"),
    ("stock_moves", "at"),
    ("parked_sales", "parked_at"),
];

/// The shop's tables whose rows `check` names, each with its key's
/// columns.
pub fn named_tables() -> impl Iterator<Item = (&'static str, Vec<&'static str>)> {
    ROW_KEYS
        .iter()
        .map(|(table, key)| (*table, key.iter().map(|(column, _)| *column).collect()))
}

/// The key's columns of `table`, if it is one of the shop's.
pub fn key_of(table: &str) -> Option<Vec<&'static str>> {
    named_tables().find_map(|(named, key)| (named == table).then_some(key))
}

/// A row of `table`, named from its key (each column with its value):
/// `order 1, product 2`, or, for a table that is not the shop's,
/// `table (column value, …)`.
pub fn row_name(table: &str, key: &[(impl AsRef<str>, String)]) -> String {
    let words = ROW_KEYS
        .iter()
        .find_map(|(named, words)| (*named == table).then_some(*words));
    let parts: Vec<String> = key
        .iter()
        .map(|(column, value)| {
            let column = column.as_ref();
            let word = words
                .and_then(|words| words.iter().find(|(named, _)| *named == column))
                .map_or(column, |(_, word)| word);
            format!("{word} {value}")
        })
        .collect();
    match words {
        Some(_) => parts.join(", "),
        None => format!("{table} ({})", parts.join(", ")),
    }
}

/// A row of `table` (named by its key: each column with its value) refers
/// by `column` to `missing`, which no row of `parent` is. A row whose key
/// is its id alone is named as [`missing_parent_of_id`] names it.
pub fn missing_parent(
    report: &mut CheckReport,
    table: &str,
    key: &[(impl AsRef<str>, String)],
    column: &str,
    missing: &str,
    parent: &str,
) {
    if let [(only, id)] = key
        && only.as_ref() == "id"
    {
        return missing_parent_of_id(report, table, id, parent);
    }
    let which: Vec<String> = key
        .iter()
        .map(|(name, value)| format!("{} {value}", name.as_ref()))
        .collect();
    report.found(
        ProblemKind::ForeignKey,
        format!(
            "{table} ({}): {column} {missing} refers to a missing row of {parent}",
            which.join(", ")
        ),
    );
}

/// Row `id` of `table` refers to a row of `parent` that is missing.
pub fn missing_parent_of_id(report: &mut CheckReport, table: &str, id: &str, parent: &str) {
    report.found(
        ProblemKind::ForeignKey,
        format!("row {id} of {table} refers to a missing row of {parent}"),
    );
}

/// A stored time that another tool wrote wrong, quoted short and safe.
#[derive(Debug, thiserror::Error)]
#[error("“{0}” is not a time")]
pub struct NotATime(pub String);

/// The time in `column` of the row named `row` cannot be read, for `why`.
pub fn unreadable_time(report: &mut CheckReport, row: &str, column: &str, why: &dyn Display) {
    report.found(ProblemKind::Time, format!("{row}: {column} {why}"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_named_by_the_words_of_their_key() {
        let key = [("order_id", "1".to_string()), ("product_id", "2".into())];
        assert_eq!(row_name("order_items", &key), "order 1, product 2");
        assert_eq!(
            row_name("search_changes", &[("table_name", "products".to_string())]),
            "search_changes (table_name products)"
        );
    }

    #[test]
    fn a_broken_reference_names_its_row_by_id_or_by_key() {
        let mut report = CheckReport::default();
        missing_parent(
            &mut report,
            "orders",
            &[("id", "1".to_string())],
            "customer_id",
            "999",
            "customers",
        );
        let key = [("order_id", "2".to_string()), ("product_id", "99".into())];
        missing_parent(
            &mut report,
            "order_items",
            &key,
            "product_id",
            "99",
            "products",
        );
        let messages: Vec<&str> = report.problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "row 1 of orders refers to a missing row of customers",
                "order_items (order_id 2, product_id 99): product_id 99 refers to a missing row of products",
            ]
        );
    }
}
