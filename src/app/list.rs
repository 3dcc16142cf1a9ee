//! A scrolling window over rows that are read a page at a time.

use super::action::Command;
use super::effect::ListQuery;
use super::text_field::TextField;
use crate::domain::customer::Customer;
use crate::domain::product::Product;

/// Rows read per page, and how close to the end of the loaded rows the
/// selection may come before the next page is asked for.
pub const PAGE_ROWS: usize = 100;
const LOAD_AHEAD: usize = 20;
/// Pages read past the first to find a saved record: far enough for most
/// shops, bounded so a huge list is not read whole for one selection.
const REVEAL_PAGES: usize = 10;

/// The rows loaded so far, the selection and the first visible row.
/// `generation` names the newest request: results of older requests are
/// dropped, so a slow answer to an old search never replaces a newer one.
#[derive(Debug, Clone)]
pub struct ListState<T> {
    pub rows: Vec<T>,
    pub selected: usize,
    pub offset: usize,
    /// No more rows beyond the loaded ones.
    pub exhausted: bool,
    pub loading: bool,
    pub generation: u64,
}

impl<T> Default for ListState<T> {
    fn default() -> Self {
        ListState {
            rows: Vec::new(),
            selected: 0,
            offset: 0,
            exhausted: false,
            loading: false,
            generation: 0,
        }
    }
}

impl<T> ListState<T> {
    pub fn selected_row(&self) -> Option<&T> {
        self.rows.get(self.selected)
    }

    /// Empties the list; answers to requests made before are dropped.
    pub fn clear(&mut self) {
        *self = ListState {
            generation: self.generation + 1,
            ..ListState::default()
        };
    }

    /// Starts a new request from the top; returns its generation.
    pub fn restart(&mut self) -> u64 {
        self.generation += 1;
        self.loading = true;
        self.generation
    }

    /// Takes the answer to request `generation`: a first page replaces the
    /// rows, a later page is appended. Answers to older requests are ignored.
    pub fn receive(&mut self, generation: u64, rows: Vec<T>, append: bool) {
        if generation != self.generation {
            return;
        }
        self.exhausted = rows.len() < PAGE_ROWS;
        self.loading = false;
        if append {
            self.rows.extend(rows);
        } else {
            self.rows = rows;
            self.selected = 0;
            self.offset = 0;
        }
    }

    /// Moves the selection by `delta` rows and keeps it inside a window of
    /// `visible` rows. Returns true when the next page should be read.
    pub fn move_by(&mut self, delta: isize, visible: usize) -> bool {
        let last = self.rows.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
        self.scroll_into_view(visible);
        self.wants_more()
    }

    pub fn home(&mut self) {
        self.selected = 0;
        self.offset = 0;
    }

    pub fn end(&mut self, visible: usize) -> bool {
        self.selected = self.rows.len().saturating_sub(1);
        self.scroll_into_view(visible);
        self.wants_more()
    }

    /// Selects the row `matches` picks, if loaded.
    pub fn select_where(&mut self, visible: usize, matches: impl Fn(&T) -> bool) {
        if let Some(index) = self.rows.iter().position(matches) {
            self.selected = index;
            self.scroll_into_view(visible);
        }
    }

    /// Replaces the row `matches` picks with `row`, if loaded.
    pub fn replace_where(&mut self, row: T, matches: impl Fn(&T) -> bool) {
        if let Some(slot) = self.rows.iter_mut().find(|r| matches(r)) {
            *slot = row;
        }
    }

    fn scroll_into_view(&mut self, visible: usize) {
        let visible = visible.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + visible {
            self.offset = self.selected + 1 - visible;
        }
    }

    fn wants_more(&self) -> bool {
        !self.exhausted && !self.loading && self.selected + LOAD_AHEAD >= self.rows.len()
    }

    /// Applies a movement key (↑ ↓ PgUp PgDn Home End) with `visible` rows
    /// on screen; `None` when `command` moves nothing. `Some(true)` asks for
    /// the next page.
    pub fn navigate(&mut self, command: Command, visible: usize) -> Option<bool> {
        let page = visible as isize;
        Some(match command {
            Command::Up => self.move_by(-1, visible),
            Command::Down => self.move_by(1, visible),
            Command::PageUp => self.move_by(-page, visible),
            Command::PageDown => self.move_by(page, visible),
            Command::Home => {
                self.home();
                false
            }
            Command::End => self.end(visible),
            _ => return None,
        })
    }

    /// The rows in the window, with their index.
    pub fn window(&self, visible: usize) -> impl Iterator<Item = (usize, &T)> {
        self.rows.iter().enumerate().skip(self.offset).take(visible)
    }
}

/// A list with a search field above it (Customers, Products). The field
/// always has the cursor: every typed character searches, and the list
/// moves with keys that never type (↑ ↓ PgUp PgDn).
#[derive(Debug, Clone)]
pub struct SearchedList<T> {
    pub search: TextField,
    pub list: ListState<T>,
    /// The id of a row to select when the page being read arrives (the
    /// record just saved, shown in the whole list), and how many more pages
    /// may be read to find it.
    reveal: Option<(i64, usize)>,
}

/// A row that can be found again by its id once the list is read anew.
pub trait Keyed {
    fn id(&self) -> i64;
}

impl Keyed for Customer {
    fn id(&self) -> i64 {
        self.id
    }
}

impl Keyed for Product {
    fn id(&self) -> i64 {
        self.id
    }
}

impl<T> Default for SearchedList<T> {
    fn default() -> Self {
        SearchedList {
            search: TextField::default(),
            list: ListState::default(),
            reveal: None,
        }
    }
}

impl<T: Clone + Keyed> SearchedList<T> {
    /// Clears the search and reads the whole list again, to select the row
    /// `id` when it arrives: after saving, the owner sees every record with
    /// the saved one picked out, rather than a list filtered down to it.
    pub fn show_all_at(&mut self, id: i64) -> ListQuery<T> {
        self.search = TextField::default();
        let query = self.first_page();
        self.reveal = Some((id, REVEAL_PAGES));
        query
    }

    /// Takes the answer to request `generation` (see [`ListState::receive`])
    /// and selects the row waiting to be revealed once a page holds it.
    /// `Some(query)`: the next page to read in search of it.
    pub fn receive(
        &mut self,
        generation: u64,
        rows: Vec<T>,
        append: bool,
        visible: usize,
    ) -> Option<ListQuery<T>> {
        if generation != self.list.generation {
            return None;
        }
        self.list.receive(generation, rows, append);
        let (id, pages_left) = self.reveal.take()?;
        if self.list.rows.iter().any(|row| row.id() == id) {
            self.list.select_where(visible, |row| row.id() == id);
            None
        } else if !self.list.exhausted && pages_left > 0 {
            self.reveal = Some((id, pages_left - 1));
            Some(self.next_page())
        } else {
            None
        }
    }
}

impl<T: Clone> SearchedList<T> {
    /// The keys every searched list shares: Esc clears the search, the
    /// others move. `None` when `command` is none of them; `Some(query)`
    /// is the page to read next, if any.
    pub fn common_command(
        &mut self,
        command: Command,
        visible: usize,
    ) -> Option<Option<ListQuery<T>>> {
        if command == Command::Back {
            self.search = TextField::default();
            return Some(Some(self.first_page()));
        }
        let wants_more = self.list.navigate(command, visible)?;
        Some(wants_more.then(|| self.next_page()))
    }

    /// The first page for what the search field holds, as a new request.
    pub fn first_page(&mut self) -> ListQuery<T> {
        // A new search replaces whatever row was waiting to be shown.
        self.reveal = None;
        ListQuery {
            text: self.search.value().to_string(),
            after: None,
            generation: self.list.restart(),
        }
    }

    /// The page after the rows loaded so far.
    pub fn next_page(&mut self) -> ListQuery<T> {
        self.list.loading = true;
        ListQuery {
            text: self.search.value().to_string(),
            after: self.list.rows.last().cloned(),
            generation: self.list.generation,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(rows: usize) -> ListState<usize> {
        let mut list = ListState::default();
        let generation = list.restart();
        list.receive(generation, (0..rows).collect(), false);
        list
    }

    #[test]
    fn the_window_follows_the_selection() {
        let mut list = list(50);
        list.move_by(12, 10);
        assert_eq!((list.selected, list.offset), (12, 3));
        list.move_by(-5, 10);
        assert_eq!((list.selected, list.offset), (7, 3));
        list.move_by(-100, 10);
        assert_eq!((list.selected, list.offset), (0, 0));
        list.end(10);
        assert_eq!((list.selected, list.offset), (49, 40));
    }

    #[test]
    fn a_full_page_asks_for_more_near_its_end() {
        let mut list = list(PAGE_ROWS);
        assert!(!list.move_by(10, 10));
        assert!(list.move_by(80, 10));
        let generation = list.generation;
        list.loading = true;
        list.receive(generation, (0..5).collect(), true);
        assert_eq!(list.rows.len(), PAGE_ROWS + 5);
        assert!(list.exhausted);
    }

    #[test]
    fn answers_to_old_requests_are_dropped() {
        let mut list = list(3);
        let old = list.restart();
        let new = list.restart();
        list.receive(new, vec![7], false);
        list.receive(old, vec![1, 2, 3, 4], false);
        assert_eq!(list.rows, [7]);
    }
}
