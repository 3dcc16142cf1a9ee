//! Fields that find records as they are typed into (the counter's customer
//! field and its scan line): the suggestions shown under them, and the one
//! rule for what Enter does with the text typed, the same in both.

use super::list::ListState;

/// Suggestions shown under a field, at most.
pub const SUGGESTIONS: usize = 8;

/// What the store found for text typed into a finding field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found<T> {
    /// Records the text names exactly: a product's SKU, a customer's
    /// email or phone number (several customers may share one).
    pub exact: Vec<T>,
    /// The first records the search finds (more than [`SUGGESTIONS`] when
    /// more match); read only when none is exact.
    pub matches: Vec<T>,
}

/// What Enter does with the text typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pick<T> {
    /// Take this record.
    Take(T),
    /// Digits no record has: a scan of an unknown code. It is refused
    /// and the field cleared for the next scan.
    UnknownCode,
    /// Let the cashier choose among these; the text stays.
    Choose(Vec<T>),
    /// Text that finds nothing: said, and the text stays to be corrected.
    NoMatch,
}

/// The one rule for Enter in a finding field: an exact code always wins;
/// else a name (text with a letter) that exactly one record matches takes
/// it; else digits alone are a scan of an unknown code; else the matches
/// are offered, the text kept. Digits never take a record they only partly
/// match: a scanned code is never mistaken for another record.
pub fn pick<T>(typed: &str, found: Found<T>) -> Pick<T> {
    let Found {
        mut exact,
        mut matches,
    } = found;
    if exact.len() == 1 {
        return Pick::Take(exact.remove(0));
    }
    if !exact.is_empty() {
        return Pick::Choose(exact);
    }
    if is_name(typed) && matches.len() == 1 {
        return Pick::Take(matches.remove(0));
    }
    if is_code(typed) {
        return Pick::UnknownCode;
    }
    if matches.is_empty() {
        Pick::NoMatch
    } else {
        Pick::Choose(matches)
    }
}

/// Text with a letter in it: a name (or part of one) being typed, searched
/// as it is typed.
pub fn is_name(typed: &str) -> bool {
    typed.chars().any(char::is_alphabetic)
}

/// Digits alone: a barcode scanned or typed.
fn is_code(typed: &str) -> bool {
    let typed = typed.trim();
    !typed.is_empty() && typed.chars().all(|c| c.is_ascii_digit())
}

/// The records matching what is typed in a finding field, shown under it.
#[derive(Debug, Clone)]
pub struct Suggestions<T> {
    pub list: ListState<T>,
    /// The text they match, as searched.
    pub text: String,
    /// More records match than are shown.
    pub more: bool,
    /// The cashier is in the list (↑ ↓, or Enter found several): Enter
    /// takes the highlighted one, Esc goes back to the field.
    pub entered: bool,
}

impl<T> Default for Suggestions<T> {
    fn default() -> Self {
        Suggestions {
            list: ListState::default(),
            text: String::new(),
            more: false,
            entered: false,
        }
    }
}

impl<T> Suggestions<T> {
    /// Starts a search for `text`; returns its generation.
    pub fn search(&mut self, text: &str) -> u64 {
        self.entered = false;
        self.text = text.to_string();
        self.list.restart()
    }

    /// Takes the answer to search `generation` (older ones are dropped).
    pub fn receive(&mut self, generation: u64, mut rows: Vec<T>) {
        self.more = rows.len() > SUGGESTIONS;
        rows.truncate(SUGGESTIONS);
        self.list.show_all(generation, rows);
    }

    /// Offers `rows` matching `text` to choose from: the first is
    /// highlighted and Enter takes it. Searches still on their way are
    /// dropped, so these stay.
    pub fn offer(&mut self, text: &str, rows: Vec<T>) {
        let generation = self.search(text);
        self.receive(generation, rows);
        self.entered = true;
    }

    /// No suggestions; answers on their way are dropped.
    pub fn clear(&mut self) {
        self.list.clear();
        self.more = false;
        self.entered = false;
    }

    /// ↑ or ↓: the first press enters the list at its highlighted row,
    /// the next ones move in it.
    pub fn step(&mut self, delta: isize) {
        if self.entered {
            self.list.move_by(delta, SUGGESTIONS);
        }
        self.entered = !self.list.rows.is_empty();
    }

    /// The highlighted record, once the cashier is in the list.
    pub fn highlighted(&self) -> Option<&T> {
        self.list.selected_row().filter(|_| self.entered)
    }

    /// How many match, as the popup's title says it: `3 matches`, `8+`.
    pub fn count_label(&self) -> String {
        let shown = self.list.rows.len();
        let more = if self.more { "+" } else { "" };
        let noun = if shown == 1 && !self.more {
            "match"
        } else {
            "matches"
        };
        format!("{shown}{more} {noun}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(exact: &[&'static str], matches: &[&'static str]) -> Found<&'static str> {
        Found {
            exact: exact.to_vec(),
            matches: matches.to_vec(),
        }
    }

    #[test]
    fn an_exact_code_wins_over_any_name() {
        let got = pick("MUG-1", found(&["MUG-1"], &["MUG-1", "MUG-10"]));
        assert_eq!(got, Pick::Take("MUG-1"));
        assert_eq!(pick("5550102", found(&["Ann"], &[])), Pick::Take("Ann"));
        assert_eq!(
            pick("5550102", found(&["Ann", "Bob"], &[])),
            Pick::Choose(vec!["Ann", "Bob"]),
            "a number two customers share is chosen from"
        );
    }

    #[test]
    fn a_name_one_record_matches_takes_it_and_several_are_offered() {
        assert_eq!(pick("pap", found(&[], &["Paper"])), Pick::Take("Paper"));
        assert_eq!(
            pick("pa", found(&[], &["Paper", "Pad"])),
            Pick::Choose(vec!["Paper", "Pad"])
        );
        assert_eq!(pick("zzz", found(&[], &[])), Pick::NoMatch);
    }

    #[test]
    fn digits_are_a_scan_never_taken_for_a_partial_match() {
        assert_eq!(pick("100", found(&[], &["Pack of 100"])), Pick::UnknownCode);
        assert_eq!(pick("555", found(&[], &["Ann", "Bob"])), Pick::UnknownCode);
        assert_eq!(pick(" 12 ", found(&[], &[])), Pick::UnknownCode);
        // Not digits alone, and no letter: offered, never taken.
        assert_eq!(
            pick("+34 600", found(&[], &["José"])),
            Pick::Choose(vec!["José"])
        );
    }

    #[test]
    fn the_first_arrow_enters_the_list_and_enter_takes_only_from_inside() {
        let mut suggestions = Suggestions::default();
        let generation = suggestions.search("p");
        suggestions.receive(generation, vec!["Paper", "Pad", "Pen"]);
        assert_eq!(suggestions.highlighted(), None);
        suggestions.step(1);
        assert_eq!(suggestions.highlighted(), Some(&"Paper"));
        suggestions.step(1);
        assert_eq!(suggestions.highlighted(), Some(&"Pad"));
        assert_eq!(suggestions.count_label(), "3 matches");
        let generation = suggestions.search("pa");
        suggestions.receive(generation, vec!["x"; SUGGESTIONS + 1]);
        assert_eq!(suggestions.list.rows.len(), SUGGESTIONS);
        assert_eq!(suggestions.count_label(), "8+ matches");
    }
}
