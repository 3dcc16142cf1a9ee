//! Drawing the app's state. Screens only read the state; nothing here
//! changes it or touches the database.

mod customers;
mod form;
mod help;
mod history;
mod order_entry;
mod order_status;
mod products;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Cell, Clear, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use crate::app::keys::{self, Context};
use crate::app::list::SearchedList;
use crate::app::state::{MIN_HEIGHT, MIN_WIDTH};
use crate::app::text_field::TextField;
use crate::app::{AppState, Command, Message, Popup, Screen};
use crate::tui::theme::{Glyphs, Theme};

/// Draws the whole app for `state`, as `theme` says this terminal can
/// show it.
pub fn render(frame: &mut Frame, state: &AppState, theme: Theme) {
    render_app(frame, state, theme.glyphs);
    theme.finish(frame.buffer_mut());
}

fn render_app(frame: &mut Frame, state: &AppState, glyphs: Glyphs) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let text = format!(
            "Please enlarge the terminal to at least {MIN_WIDTH}×{MIN_HEIGHT} (now {}×{})",
            area.width, area.height
        );
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
        return;
    }
    let message_lines = message_lines(state, area.width, area.height);
    let [tabs, body, hints, message] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(row_count(&message_lines)),
    ])
    .areas(area);
    render_tabs(frame, tabs, state);
    match state.screen {
        Screen::Customers => customers::render(frame, body, state),
        Screen::Products => products::render(frame, body, state),
        Screen::OrderEntry => order_entry::render(frame, body, state, glyphs),
        Screen::History => history::render(frame, body, state),
        Screen::OrderStatus => order_status::render(frame, body, state),
    }
    render_hints(frame, hints, state);
    frame.render_widget(Paragraph::new(message_lines), message);
    match &state.popup {
        Some(Popup::Help) => help::render(frame, area, state),
        Some(Popup::Confirm { question, .. }) => render_confirm(frame, area, question),
        Some(Popup::Form(form)) => form::render(frame, area, form),
        Some(Popup::Checkout(checkout)) => {
            order_entry::render_checkout(frame, area, checkout, &state.currency)
        }
        Some(Popup::Parked(list)) => order_entry::render_parked(frame, area, list, state),
        None => {}
    }
}

fn render_tabs(frame: &mut Frame, area: Rect, state: &AppState) {
    let mut spans = Vec::new();
    for (number, screen) in (2..).zip(Screen::ALL) {
        let label = format!(
            " F{number} {}{} ",
            screen.title(),
            parked_note(state, screen)
        );
        let style = if screen == state.screen {
            Style::new().reversed().bold()
        } else {
            Style::new()
        };
        spans.push(Span::styled(label, style));
    }
    // The name goes first when the tabs need its room (80 columns with
    // sales parked): every tab stays whole.
    let brand = Span::styled(" shopdesk ", Style::new().bold());
    let tabs_width: usize = spans.iter().map(Span::width).sum();
    if tabs_width + brand.width() <= usize::from(area.width) {
        spans.insert(0, brand);
    }
    frame.render_widget(Line::from(spans), area);
}

/// The counter's tab says how many sales wait parked, if any.
fn parked_note(state: &AppState, screen: Screen) -> String {
    match (screen, state.parked_count) {
        (Screen::OrderEntry, count) if count > 0 => format!(" ({count} parked)"),
        _ => String::new(),
    }
}

/// The keys that work right now, from the key table: those of this
/// screen (the screen keys are on the tab bar, the list keys in help).
/// Each hint is whole or absent: when they do not all fit, the least
/// important are dropped (the later of equals first) and the line ends
/// with "F1 more", so none is cut mid-word.
fn render_hints(frame: &mut Frame, area: Rect, state: &AppState) {
    let mut hints: Vec<(String, &'static str, keys::Priority)> = keys::bindings_for(state)
        .into_iter()
        .filter(|binding| !is_generic(binding) && keys::available(state, binding.command))
        .map(|binding| {
            (
                keys::short_key_label(binding),
                binding.help,
                binding.priority,
            )
        })
        .collect();
    let hint_width = |(key, help, _): &(String, &str, keys::Priority)| {
        key.width() + 1 + help.width() + HINT_GAP.len()
    };
    let room = usize::from(area.width);
    let all_fit = F1_KEYS.len() + hints.iter().map(hint_width).sum::<usize>() <= room;
    if !all_fit {
        while F1_MORE.len() + hints.iter().map(hint_width).sum::<usize>() > room {
            let Some(least) = least_important(&hints) else {
                break;
            };
            hints.remove(least);
        }
    }
    let key_style = Style::new().bold();
    let mut spans = Vec::new();
    if all_fit {
        spans.push(Span::styled("F1", key_style));
        spans.push(Span::raw(format!(" keys{HINT_GAP}")));
    }
    for (key, help, _) in hints {
        spans.push(Span::styled(key, key_style));
        spans.push(Span::raw(format!(" {help}{HINT_GAP}")));
    }
    if !all_fit {
        spans.push(Span::styled("F1", key_style));
        spans.push(Span::raw(" more"));
    }
    frame.render_widget(
        Line::from(spans).style(Style::new().fg(Color::DarkGray)),
        area,
    );
}

/// Between two hints.
const HINT_GAP: &str = "  ";
/// The hint line's start when every hint fits, and its end when some were
/// dropped (the key's width counted with its words).
const F1_KEYS: &str = "F1 keys  ";
const F1_MORE: &str = "F1 more";

/// Keys every list or form has, shown in help rather than on the line.
fn is_generic(binding: &keys::Binding) -> bool {
    matches!(
        binding.context,
        Context::Everywhere | Context::List | Context::Rows
    ) || matches!(
        binding.command,
        Command::Up
            | Command::Down
            | Command::PageUp
            | Command::PageDown
            | Command::Home
            | Command::End
            | Command::PreviousField
    )
}

/// The hint to drop first: the lowest priority, the last of equals.
fn least_important<T>(hints: &[(T, &str, keys::Priority)]) -> Option<usize> {
    let lowest = hints.iter().map(|(_, _, priority)| *priority).min()?;
    hints
        .iter()
        .rposition(|(_, _, priority)| *priority == lowest)
}

/// A message longer than the screen is wide (say, what to do about a
/// damaged database, or every line of a sale the shelf cannot fill) wraps
/// and takes as many rows as it needs, up to one screen row in this many,
/// so the screen it is about stays in view.
const MESSAGE_MOST_SHARE: u16 = 2;

/// The status line's rows at `width` × `height`: the message wrapped, or
/// one empty row when there is none. A message too long even for its share
/// of the screen ends its last row with `…`, so the cut is seen.
fn message_lines(state: &AppState, width: u16, height: u16) -> Vec<Line<'static>> {
    let Some(message) = &state.message else {
        return vec![Line::raw("")];
    };
    let style = if message.is_error {
        Style::new().fg(Color::Red).bold()
    } else {
        Style::new().fg(Color::Green)
    };
    let mut rows = crate::display::wrap_text(&shown_message(message), usize::from(width));
    let room = usize::from((height / MESSAGE_MOST_SHARE).max(1));
    if rows.len() > room {
        rows.truncate(room);
        if let Some(last) = rows.last_mut() {
            *last = crate::display::fit_width(&format!("{last} …"), usize::from(width));
        }
    }
    rows.into_iter()
        .map(|row| Line::styled(row, style))
        .collect()
}

/// The status line's message as shown: a refusal marked as one.
fn shown_message(message: &Message) -> String {
    let text = crate::display::safe_text(&message.text);
    if message.is_error {
        refusal(&text)
    } else {
        text.into_owned()
    }
}

/// What marks a refusal, and not its color alone: seen without color
/// (`NO_COLOR`, a monochrome terminal) and by those who do not tell red
/// from green.
const REFUSAL_MARK: &str = "✗";

/// `text` broken into lines of at most `width` columns, each in `style`:
/// a message, a field's error or a note is read whole, so its box takes as
/// many rows as these lines.
fn wrapped_lines(text: &str, width: u16, style: Style) -> Vec<Line<'static>> {
    crate::display::wrap_text(text, usize::from(width))
        .into_iter()
        .map(|line| Line::styled(line, style))
        .collect()
}

/// A count of rows as a height.
fn row_count(lines: &[Line]) -> u16 {
    u16::try_from(lines.len()).unwrap_or(u16::MAX)
}

/// `text` marked as a refusal.
fn refusal(text: &str) -> String {
    format!("{REFUSAL_MARK} {text}")
}

/// The confirm popup's width, and its height for a short question.
const CONFIRM_WIDTH: u16 = 60;
const CONFIRM_LEAST_HEIGHT: u16 = 7;
/// What the popup holds besides the question: its two borders, a blank
/// row and the answers.
const CONFIRM_OTHER_ROWS: u16 = 4;

/// A yes/no question, in a popup as tall as the question needs: a long
/// one (a product named at full length) keeps its end and its answers.
/// Its line breaks start new lines (a list of what it is about).
fn render_confirm(frame: &mut Frame, area: Rect, question: &str) {
    let inner = CONFIRM_WIDTH.min(area.width).saturating_sub(2);
    let mut text: Vec<Line> = question
        .split('\n')
        .flat_map(|paragraph| wrapped_lines(paragraph, inner, Style::new()))
        .collect();
    let needed = row_count(&text).saturating_add(CONFIRM_OTHER_ROWS);
    let popup = open_popup(frame, area, CONFIRM_WIDTH, needed.max(CONFIRM_LEAST_HEIGHT));
    text.push(Line::raw(""));
    text.push(Line::from(vec![
        // One key either way, as the key table has it (y and n work too).
        Span::styled("Enter", Style::new().bold()),
        Span::raw(" yes    "),
        Span::styled("Esc", Style::new().bold()),
        Span::raw(" no"),
    ]));
    let block = Block::bordered().title(" Please confirm ");
    frame.render_widget(Paragraph::new(text).block(block), popup);
}

/// Opens a popup of at most `width` × `height` in the middle of `area` and
/// returns its rectangle. The rows it covers are cleared across the whole
/// of `area`: what shows beside a popup is then whole rows of the screen
/// below, never words cut off by its edge.
fn open_popup(frame: &mut Frame, area: Rect, width: u16, height: u16) -> Rect {
    let popup = centered(area, width, height);
    clear_band(frame, area, popup);
    popup
}

/// Clears the rows `covered` takes, across the whole width of `area`.
fn clear_band(frame: &mut Frame, area: Rect, covered: Rect) {
    let band = Rect {
        x: area.x,
        width: area.width,
        ..covered
    };
    frame.render_widget(Clear, band.intersection(area));
}

/// A rectangle of at most `width` × `height` in the middle of `area`.
fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}

/// A one-line text field in a bordered box titled `title`; shows the
/// cursor when `focused`, and a text selected whole in reverse video (seen
/// without color too): the next key typed replaces it.
fn render_input(frame: &mut Frame, area: Rect, title: &str, field: &TextField, focused: bool) {
    // The corners and a space before: a longer title (an email) ends
    // with `…` rather than running into the corner.
    let title = fit_cell(title, area.width.saturating_sub(3));
    let block = cursor_block(&title, focused);
    let inner = block.inner(area);
    let input = field.input();
    let scroll = input.visual_scroll(usize::from(inner.width.saturating_sub(1)));
    let text = crate::display::safe_text(input.value()).into_owned();
    let style = if focused && field.is_selected_whole() {
        selected_style()
    } else {
        Style::new()
    };
    let paragraph = Paragraph::new(Span::styled(text, style))
        .scroll((0, scroll as u16))
        .block(block);
    frame.render_widget(paragraph, area);
    if focused {
        let x = input.visual_cursor().saturating_sub(scroll) as u16;
        frame.set_cursor_position(Position::new(inner.x + x.min(inner.width), inner.y));
    }
}

/// A bordered box titled `title`, marked when it has the cursor: a cyan
/// border, and the title reversed, which shows without color too (the
/// border's color alone would not).
fn cursor_block(title: &str, focused: bool) -> Block<'static> {
    let (border, title_style) = if focused {
        (Style::new().fg(Color::Cyan), Style::new().reversed())
    } else {
        (Style::new(), Style::new())
    };
    Block::bordered()
        .title(Span::styled(format!(" {title} "), title_style))
        .border_style(border)
}

/// The width of each column of a table of `constraints` drawn `width`
/// wide (one space between columns, as tables draw them). Cells fitted to
/// these with `fit_width` end with `…` where they are cut, and the table is
/// given the same widths with [`lengths`].
fn column_widths(width: u16, constraints: &[Constraint]) -> Vec<u16> {
    Layout::horizontal(constraints.to_vec())
        .spacing(1)
        .split(Rect::new(0, 0, width, 1))
        .iter()
        .map(|column| column.width)
        .collect()
}

/// Constraints that give a table exactly the widths of [`column_widths`].
fn lengths(widths: &[u16]) -> Vec<Constraint> {
    widths
        .iter()
        .map(|&width| Constraint::Length(width))
        .collect()
}

/// The width of a column of numbers (amounts, counts, ids): `least`, or
/// its widest value's when that is wider. A number is never cut (a cut
/// amount reads as another amount, and a table cuts right-aligned text at
/// its start): the `Fill` column beside it gives up the room.
fn number_width(least: u16, values: &[String]) -> u16 {
    values
        .iter()
        .map(|value| u16::try_from(value.width()).unwrap_or(u16::MAX))
        .fold(least, u16::max)
}

/// The cells of an item line (in the cart, in an order): its label fitted
/// to its column, then its quantity, unit price and line total, each
/// right-aligned in a column [`number_width`] made wide enough.
fn item_cells(label: &str, label_width: u16, numbers: [String; 3]) -> Vec<Cell<'static>> {
    let mut cells = vec![Cell::from(fit_cell(label, label_width))];
    cells.extend(numbers.map(number_cell));
    cells
}

/// `text` fitted to what is left of a line `width` wide once the rest of
/// the line, `around`, is in it: it ends with `…` when cut, so a long name
/// in a heading is never cut off silently at the screen's edge.
fn fit_rest(text: &str, width: u16, around: &[&str]) -> String {
    let used: usize = around.iter().map(|part| part.width()).sum();
    crate::display::fit_width(text, usize::from(width).saturating_sub(used))
}

/// Text fitted to a column `width` wide (see [`column_widths`]).
fn fit_cell(text: &str, width: u16) -> String {
    crate::display::fit_width(text, usize::from(width))
}

/// A cell of a number column, or its heading: right-aligned, so the
/// heading ends where the numbers under it do.
fn number_cell<'a>(text: impl Into<Text<'a>>) -> Cell<'a> {
    Cell::from(text.into().right_aligned())
}

/// The style of the selected row in a list.
fn selected_style() -> Style {
    Style::new().add_modifier(Modifier::REVERSED)
}

/// The words of a list screen with a search field above its list.
struct ListWords {
    search: &'static str,
    title: &'static str,
    /// Said when there are no rows at all.
    empty: &'static str,
    /// What the list holds, for "No customer matches “…”".
    noun: &'static str,
    /// What to do when nothing matches.
    no_match_hint: &'static str,
}

/// Draws the search field and the list's frame. Returns the list's area
/// and frame for the rows, or `None` after saying why there are none.
fn render_searched_frame<T>(
    frame: &mut Frame,
    area: Rect,
    screen: &SearchedList<T>,
    words: &ListWords,
) -> Option<(Rect, Block<'static>)> {
    let [search, list] = Layout::vertical([Constraint::Length(3), Constraint::Fill(1)]).areas(area);
    render_input(frame, search, words.search, &screen.search, true);
    let block = Block::bordered().title(format!(" {} ", words.title));
    if !screen.list.rows.is_empty() || screen.list.loading {
        return Some((list, block));
    }
    let text = match screen.search.value().trim() {
        "" => words.empty.to_string(),
        typed => format!(
            "No {} matches “{}”. {}",
            words.noun,
            crate::display::quote(typed),
            words.no_match_hint
        ),
    };
    let inner = block.inner(list);
    frame.render_widget(block, list);
    render_empty(frame, inner, text);
    None
}

/// A line saying what to do when a list is empty.
fn render_empty(frame: &mut Frame, area: Rect, text: String) {
    frame.render_widget(
        Paragraph::new(text)
            .style(Style::new().fg(Color::DarkGray))
            .wrap(Wrap { trim: true }),
        area,
    );
}
