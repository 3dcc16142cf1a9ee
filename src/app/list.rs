//! A scrolling window over rows that are read a page at a time, from
//! either end: End reads the last page (the store reads it upwards), and
//! scrolling reads the pages next to the rows held, up or down. The list
//! holds a bounded window of rows, so scrolling through 100,000 rows holds
//! no more than a few pages.

use super::action::Command;
use super::effect::ListQuery;
use super::text_field::TextField;
use crate::domain::customer::Customer;
use crate::domain::order::Order;
use crate::domain::product::Product;

/// Rows read per page, and how close to either end of the loaded rows the
/// selection may come before the next page there is asked for.
pub const PAGE_ROWS: usize = 100;
const LOAD_AHEAD: usize = 20;
/// The most rows a list holds: past this, the rows farthest from the
/// selection are let go (and read again if scrolled back to).
pub const WINDOW_ROWS: usize = 5 * PAGE_ROWS;
/// Pages read past the first to find a saved record: far enough for most
/// shops, bounded so a huge list is not read whole for one selection.
const REVEAL_PAGES: usize = 10;

/// Which page of a list to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageAt<T> {
    /// The first rows (Home, a new search).
    First,
    /// The rows just below this one (scrolling down).
    After(T),
    /// The rows just above this one (scrolling up from further down).
    Before(T),
    /// The last rows (End), read upwards from the very end.
    Last,
}

impl<T> PageAt<T> {
    /// The row the page is next to, if any.
    pub fn row(&self) -> Option<&T> {
        match self {
            PageAt::After(row) | PageAt::Before(row) => Some(row),
            PageAt::First | PageAt::Last => None,
        }
    }

    /// Whether the page is read upwards (ending next to its row or at the
    /// end of the list) rather than down (from the start or its row).
    pub fn is_upwards(&self) -> bool {
        matches!(self, PageAt::Before(_) | PageAt::Last)
    }

    /// Where the page is, without the row: what its answer says.
    pub fn side(&self) -> PageAt<()> {
        self.as_ref().map(|_| ())
    }

    pub fn as_ref(&self) -> PageAt<&T> {
        match self {
            PageAt::First => PageAt::First,
            PageAt::After(row) => PageAt::After(row),
            PageAt::Before(row) => PageAt::Before(row),
            PageAt::Last => PageAt::Last,
        }
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> PageAt<U> {
        match self {
            PageAt::First => PageAt::First,
            PageAt::After(row) => PageAt::After(f(row)),
            PageAt::Before(row) => PageAt::Before(f(row)),
            PageAt::Last => PageAt::Last,
        }
    }
}

/// A page as read: where it is, its rows in the list's order, and whether
/// no row lies beyond them the way it was read (below a page read down,
/// above a page read up).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub at: PageAt<()>,
    pub rows: Vec<T>,
    pub at_edge: bool,
}

/// A page for a list to read, and the request it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest<T> {
    pub at: PageAt<T>,
    pub generation: u64,
}

/// The rows held (a window of the list), the selection and the first
/// visible row. `generation` names the newest request: results of older
/// requests are dropped, so a slow answer to an old search never replaces
/// a newer one.
#[derive(Debug, Clone)]
pub struct ListState<T> {
    pub rows: Vec<T>,
    pub selected: usize,
    pub offset: usize,
    /// Rows of the list lie above the first one held.
    pub more_above: bool,
    /// Rows of the list lie below the last one held.
    pub more_below: bool,
    pub loading: bool,
    pub generation: u64,
    /// The id of a row to select when the page being read arrives (the
    /// record just saved, the order come back from), and how many more
    /// pages may be read to find it.
    reveal: Option<(i64, usize)>,
}

impl<T> Default for ListState<T> {
    fn default() -> Self {
        ListState {
            rows: Vec::new(),
            selected: 0,
            offset: 0,
            more_above: false,
            more_below: false,
            loading: false,
            generation: 0,
            reveal: None,
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

    /// Starts a new request; returns its generation. Answers to the
    /// requests made before are dropped, and so is a row waiting to be
    /// revealed (Home, End or a new search go elsewhere).
    pub fn restart(&mut self) -> u64 {
        self.generation += 1;
        self.loading = true;
        self.reveal = None;
        self.generation
    }

    /// Shows `rows` as the whole list (suggestions, parked sales): nothing
    /// is read beyond them.
    pub fn show_all(&mut self, generation: u64, rows: Vec<T>) {
        let at = PageAt::First;
        let at_edge = true;
        self.receive(generation, Page { at, rows, at_edge }, 1);
    }

    /// Takes the answer to request `generation` with `visible` rows on
    /// screen: a first or last page replaces the rows (the selection on
    /// its first or last row), a page next to them is added on their side.
    /// Answers to older requests are ignored.
    pub fn receive(&mut self, generation: u64, page: Page<T>, visible: usize) {
        if generation != self.generation {
            return;
        }
        self.loading = false;
        let more = !page.at_edge;
        let added = page.rows.len();
        match page.at {
            PageAt::First => {
                self.rows = page.rows;
                (self.more_above, self.more_below) = (false, more);
                self.home();
            }
            PageAt::Last => {
                self.rows = page.rows;
                (self.more_above, self.more_below) = (more, false);
                self.select_last(visible);
            }
            PageAt::After(()) => {
                self.rows.extend(page.rows);
                self.more_below = more;
                let over = self.rows.len().saturating_sub(WINDOW_ROWS);
                if over > 0 {
                    self.rows.drain(..over);
                    self.more_above = true;
                    self.selected = self.selected.saturating_sub(over);
                    self.offset = self.offset.saturating_sub(over);
                }
            }
            PageAt::Before(()) => {
                self.rows.splice(..0, page.rows);
                self.more_above = more;
                self.selected += added;
                self.offset += added;
                if self.rows.len() > WINDOW_ROWS {
                    self.rows.truncate(WINDOW_ROWS);
                    self.more_below = true;
                    self.selected = self.selected.min(WINDOW_ROWS - 1);
                }
            }
        }
        self.scroll_into_view(visible);
    }

    /// Moves the selection by `delta` rows and keeps it inside a window of
    /// `visible` rows.
    pub fn move_by(&mut self, delta: isize, visible: usize) {
        let last = self.rows.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
        self.scroll_into_view(visible);
    }

    fn home(&mut self) {
        self.selected = 0;
        self.offset = 0;
    }

    fn select_last(&mut self, visible: usize) {
        self.selected = self.rows.len().saturating_sub(1);
        self.scroll_into_view(visible);
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

    /// The rows in the window, with their index.
    pub fn window(&self, visible: usize) -> impl Iterator<Item = (usize, &T)> {
        self.rows.iter().enumerate().skip(self.offset).take(visible)
    }
}

impl<T: Clone> ListState<T> {
    /// The first page, as a new request (Home, a new search).
    pub fn first_page(&mut self) -> PageRequest<T> {
        let generation = self.restart();
        PageRequest {
            at: PageAt::First,
            generation,
        }
    }

    /// The page below the rows held, for the same request.
    pub fn page_below(&mut self) -> Option<PageRequest<T>> {
        let last = self.rows.last()?.clone();
        self.loading = true;
        Some(PageRequest {
            at: PageAt::After(last),
            generation: self.generation,
        })
    }

    fn page_above(&mut self) -> Option<PageRequest<T>> {
        let first = self.rows.first()?.clone();
        self.loading = true;
        Some(PageRequest {
            at: PageAt::Before(first),
            generation: self.generation,
        })
    }

    /// Applies a movement key (↑ ↓ PgUp PgDn Home End) with `visible` rows
    /// on screen; `None` when `command` moves nothing, else the page to
    /// read, if any. Home and End go to the list's very ends: when the rows
    /// held do not reach there, its first or last page is read anew
    /// (the last one upwards from the end), and the selection lands on its
    /// first or last row when it arrives.
    pub fn navigate(&mut self, command: Command, visible: usize) -> Option<Option<PageRequest<T>>> {
        let page = visible as isize;
        let delta = match command {
            Command::Up => -1,
            Command::Down => 1,
            Command::PageUp => -page,
            Command::PageDown => page,
            Command::Home if self.more_above => return Some(Some(self.first_page())),
            Command::Home => {
                self.home();
                return Some(None);
            }
            Command::End if self.more_below => {
                let generation = self.restart();
                let at = PageAt::Last;
                return Some(Some(PageRequest { at, generation }));
            }
            Command::End => {
                self.select_last(visible);
                return Some(None);
            }
            _ => return None,
        };
        self.move_by(delta, visible);
        Some(self.page_to_read())
    }

    /// The page next to the rows held that the selection is coming close
    /// to, if the list goes on there and nothing is being read.
    fn page_to_read(&mut self) -> Option<PageRequest<T>> {
        if self.loading {
            None
        } else if self.more_below && self.selected + LOAD_AHEAD >= self.rows.len() {
            self.page_below()
        } else if self.more_above && self.selected < LOAD_AHEAD {
            self.page_above()
        } else {
            None
        }
    }
}

/// A list with a search field above it (Customers, Products). The field
/// always has the cursor: every typed character searches, and the list
/// moves with keys that never type (↑ ↓ PgUp PgDn).
#[derive(Debug, Clone)]
pub struct SearchedList<T> {
    pub search: TextField,
    pub list: ListState<T>,
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

impl Keyed for Order {
    fn id(&self) -> i64 {
        self.id
    }
}

impl<T: Clone + Keyed> ListState<T> {
    /// The first page, as a new request, to select the row `id` when a
    /// page holds it: pages are read on until one does, within
    /// [`REVEAL_PAGES`] more, so a long list is not read whole for it.
    pub fn first_page_revealing(&mut self, id: i64) -> PageRequest<T> {
        let request = self.first_page();
        self.reveal = Some((id, REVEAL_PAGES));
        request
    }

    /// Takes the answer to request `generation` (see [`ListState::receive`])
    /// and selects the row waiting to be revealed once a page holds it.
    /// `Some(request)`: the next page to read in search of it.
    pub fn receive_revealing(
        &mut self,
        generation: u64,
        page: Page<T>,
        visible: usize,
    ) -> Option<PageRequest<T>> {
        if generation != self.generation {
            return None;
        }
        self.receive(generation, page, visible);
        let (id, pages_left) = self.reveal.take()?;
        if self.rows.iter().any(|row| row.id() == id) {
            self.select_where(visible, |row| row.id() == id);
            None
        } else if self.more_below && pages_left > 0 {
            self.reveal = Some((id, pages_left - 1));
            self.page_below()
        } else {
            None
        }
    }
}

impl<T> Default for SearchedList<T> {
    fn default() -> Self {
        SearchedList {
            search: TextField::default(),
            list: ListState::default(),
        }
    }
}

impl<T: Clone + Keyed> SearchedList<T> {
    /// Clears the search and reads the whole list again, to select the row
    /// `id` when it arrives: after saving, the owner sees every record with
    /// the saved one picked out, rather than a list filtered down to it.
    pub fn show_all_at(&mut self, id: i64) -> ListQuery<T> {
        self.search = TextField::default();
        let request = self.list.first_page_revealing(id);
        self.query(request)
    }

    /// Takes the answer to request `generation` (see
    /// [`ListState::receive_revealing`]); `Some(query)`: the next page to
    /// read in search of the row to reveal.
    pub fn receive(
        &mut self,
        generation: u64,
        page: Page<T>,
        visible: usize,
    ) -> Option<ListQuery<T>> {
        let request = self.list.receive_revealing(generation, page, visible)?;
        Some(self.query(request))
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
        let request = self.list.navigate(command, visible)?;
        Some(request.map(|request| self.query(request)))
    }

    /// The first page for what the search field holds, as a new request
    /// (which replaces whatever row was waiting to be shown).
    pub fn first_page(&mut self) -> ListQuery<T> {
        let request = self.list.first_page();
        self.query(request)
    }

    /// The page `request` asks for, of what the search field holds.
    fn query(&self, request: PageRequest<T>) -> ListQuery<T> {
        ListQuery {
            text: self.search.value().to_string(),
            at: request.at,
            generation: request.generation,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A list of `rows` rows read whole.
    fn list(rows: usize) -> ListState<usize> {
        let mut list = ListState::default();
        let generation = list.restart();
        list.show_all(generation, (0..rows).collect());
        list
    }

    /// The answer to `request` from a list of the numbers below `len`,
    /// read as the store reads them.
    fn answer(request: &PageRequest<usize>, len: usize) -> Page<usize> {
        let (from, to) = match request.at {
            PageAt::First => (0, PAGE_ROWS.min(len)),
            PageAt::After(row) => (row + 1, (row + 1 + PAGE_ROWS).min(len)),
            PageAt::Before(row) => (row.saturating_sub(PAGE_ROWS), row),
            PageAt::Last => (len.saturating_sub(PAGE_ROWS), len),
        };
        let rows: Vec<usize> = (from..to).collect();
        let at_edge = rows.len() < PAGE_ROWS;
        Page {
            at: request.at.side(),
            rows,
            at_edge,
        }
    }

    /// Presses `command` on `list` (of `len` rows in all, 10 visible) and
    /// answers the page it asks for.
    fn press(list: &mut ListState<usize>, command: Command, len: usize) {
        if let Some(Some(request)) = list.navigate(command, 10) {
            list.receive(request.generation, answer(&request, len), 10);
        }
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
        press(&mut list, Command::End, 50);
        assert_eq!((list.selected, list.offset), (49, 40));
    }

    #[test]
    fn scrolling_down_reads_the_next_page_and_holds_a_bounded_window() {
        let len = 10 * PAGE_ROWS;
        let mut list = ListState::default();
        let first = list.first_page();
        list.receive(first.generation, answer(&first, len), 10);
        assert!(list.more_below && !list.more_above);
        for _ in 0..len {
            press(&mut list, Command::Down, len);
            assert!(list.rows.len() <= WINDOW_ROWS);
        }
        assert_eq!(list.selected_row(), Some(&(len - 1)), "down to the last");
        assert!(!list.more_below && list.more_above, "the top was let go");
        for _ in 0..len {
            press(&mut list, Command::Up, len);
        }
        assert_eq!(list.selected_row(), Some(&0), "and up again");
        assert!(list.rows.len() <= WINDOW_ROWS);
    }

    #[test]
    fn end_reads_the_last_page_and_home_the_first() {
        let len = 10 * PAGE_ROWS + 7;
        let mut list = ListState::default();
        let first = list.first_page();
        list.receive(first.generation, answer(&first, len), 10);
        press(&mut list, Command::End, len);
        assert_eq!(list.selected_row(), Some(&(len - 1)));
        assert_eq!(list.rows.len(), PAGE_ROWS, "one page, read from the end");
        assert!(list.more_above && !list.more_below);
        press(&mut list, Command::Up, len);
        assert_eq!(list.selected_row(), Some(&(len - 2)));
        press(&mut list, Command::PageUp, len);
        press(&mut list, Command::PageUp, len);
        assert_eq!(list.selected_row(), Some(&(len - 22)));
        for _ in 0..9 {
            press(&mut list, Command::PageUp, len);
        }
        assert_eq!(
            list.selected_row(),
            Some(&(len - 112)),
            "the page above was read on the way up"
        );
        press(&mut list, Command::Home, len);
        assert_eq!(list.selected_row(), Some(&0));
        assert!(!list.more_above && list.more_below);
    }

    #[test]
    fn answers_to_old_requests_are_dropped() {
        let mut list = list(3);
        let old = list.restart();
        let new = list.restart();
        list.show_all(new, vec![7]);
        list.show_all(old, vec![1, 2, 3, 4]);
        assert_eq!(list.rows, [7]);
    }
}
