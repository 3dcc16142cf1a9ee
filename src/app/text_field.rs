//! A one-line text field, the one every screen and form types into.
//!
//! A field may hold a *choice* rather than typed text: the customer chosen
//! at the counter (`Walk-in` too), the order shown on Order status. A choice
//! is selected whole whenever the cursor arrives in its field, so the first
//! character typed replaces it rather than being added to it (`Walk-in5`),
//! Backspace (any deleting key) clears it, and a key that moves the cursor
//! (← → Home End) drops the selection to edit the text where it is.
//! A search left on its screen is selected whole the same way when the
//! cursor comes back to it ([`TextField::return_to`]).
//! tui-input has no selection, so the field keeps it beside its `Input`.

use ratatui::crossterm::event::{Event, KeyEvent};
use tui_input::backend::crossterm::to_input_request;
use tui_input::{Input, InputRequest};

#[derive(Debug, Clone, Default)]
pub struct TextField {
    input: Input,
    /// The text is a choice made elsewhere, not typed: it is selected
    /// whole each time the cursor arrives, until it is edited.
    holds_choice: bool,
    /// The text is selected whole: the next key that types replaces it.
    selected_whole: bool,
}

impl TextField {
    /// A field holding `text` as typed, the cursor at its end.
    pub fn typed(text: impl Into<String>) -> TextField {
        TextField {
            input: Input::new(text.into()),
            ..TextField::default()
        }
    }

    /// A field holding a choice, shown as `text` and selected whole.
    pub fn chosen(text: impl Into<String>) -> TextField {
        TextField {
            input: Input::new(text.into()),
            holds_choice: true,
            selected_whole: true,
        }
    }

    pub fn value(&self) -> &str {
        self.input.value()
    }

    /// The text and its cursor, as drawn.
    pub fn input(&self) -> &Input {
        &self.input
    }

    /// Whether the text is selected whole (drawn in reverse video).
    pub fn is_selected_whole(&self) -> bool {
        self.selected_whole
    }

    /// Whether the field still holds the choice it was given.
    pub fn holds_choice(&self) -> bool {
        self.holds_choice
    }

    /// The cursor arrives in the field (Tab, Shift-Tab, back to its
    /// screen): a choice it holds is selected whole.
    pub fn arrive(&mut self) {
        self.selected_whole = self.holds_choice && !self.input.value().is_empty();
    }

    /// The cursor comes back to a field typed in on an earlier visit (a
    /// search left on its screen): the text is selected whole, so what is
    /// typed now starts afresh (not `annsofia`), while ← → Home End keep
    /// it to edit.
    pub fn return_to(&mut self) {
        self.selected_whole = !self.input.value().is_empty();
    }

    /// Applies an editing key; true if the text changed. A key that types
    /// replaces a text selected whole, a deleting key clears it, and a key
    /// that moves only drops the selection.
    pub fn edit(&mut self, key: KeyEvent) -> bool {
        self.edit_taking(key, |_| true)
    }

    /// [`TextField::edit`] for a field that `takes` only some characters:
    /// any other character typed is dropped and changes nothing, not even
    /// a selection.
    pub fn edit_taking(&mut self, key: KeyEvent, takes: impl Fn(char) -> bool) -> bool {
        let Some(request) = to_input_request(&Event::Key(key)) else {
            return false;
        };
        if let InputRequest::InsertChar(c) = request
            && !takes(c)
        {
            return false;
        }
        if std::mem::take(&mut self.selected_whole) {
            match request {
                InputRequest::InsertChar(_) | InputRequest::Yank => {
                    // Emptied without a cut: Ctrl-Y pastes what was cut
                    // before, not the choice it replaces.
                    self.input = std::mem::take(&mut self.input).with_value(String::new());
                }
                InputRequest::DeletePrevChar
                | InputRequest::DeleteNextChar
                | InputRequest::DeletePrevWord
                | InputRequest::DeleteNextWord
                | InputRequest::DeleteLine
                | InputRequest::DeleteTillEnd
                | InputRequest::DeleteFromStart => {
                    return self.apply(InputRequest::DeleteLine);
                }
                InputRequest::SetCursor(_)
                | InputRequest::GoToPrevChar
                | InputRequest::GoToNextChar
                | InputRequest::GoToPrevWord
                | InputRequest::GoToNextWord
                | InputRequest::GoToStart
                | InputRequest::GoToEnd => {}
            }
        }
        self.apply(request)
    }

    /// Applies `request`; a change to the text makes it typed text.
    fn apply(&mut self, request: InputRequest) -> bool {
        let changed = self
            .input
            .handle(request)
            .is_some_and(|changed| changed.value);
        if changed {
            self.holds_choice = false;
        }
        changed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::{KeyCode, KeyModifiers};

    fn press(field: &mut TextField, code: KeyCode) -> bool {
        field.edit(KeyEvent::new(code, KeyModifiers::NONE))
    }

    #[test]
    fn a_choice_is_replaced_by_the_first_character_typed() {
        let mut field = TextField::chosen("Walk-in");
        assert!(field.is_selected_whole());
        assert!(press(&mut field, KeyCode::Char('5')));
        press(&mut field, KeyCode::Char('5'));
        assert_eq!(field.value(), "55");
        assert!(!field.is_selected_whole() && !field.holds_choice());
    }

    #[test]
    fn backspace_clears_a_choice_and_arrows_edit_it() {
        let mut field = TextField::chosen("Ann Lee");
        assert!(press(&mut field, KeyCode::Backspace));
        assert_eq!(field.value(), "");

        let mut field = TextField::chosen("Ann Lee");
        assert!(!press(&mut field, KeyCode::Left), "moving changes nothing");
        assert!(!field.is_selected_whole());
        assert!(field.holds_choice(), "still the choice until edited");
        press(&mut field, KeyCode::Char('x'));
        assert_eq!(field.value(), "Ann Lexe");

        let mut field = TextField::chosen("Ann Lee");
        press(&mut field, KeyCode::Home);
        press(&mut field, KeyCode::Char('>'));
        assert_eq!(field.value(), ">Ann Lee");
    }

    #[test]
    fn returning_to_a_typed_text_selects_it_whole() {
        let mut field = TextField::typed("ann");
        field.return_to();
        assert!(field.is_selected_whole());
        press(&mut field, KeyCode::Char('d'));
        assert_eq!(field.value(), "d");
        let mut field = TextField::typed("ann");
        field.return_to();
        press(&mut field, KeyCode::End);
        press(&mut field, KeyCode::Char('e'));
        assert_eq!(field.value(), "anne");
        let mut empty = TextField::default();
        empty.return_to();
        assert!(!empty.is_selected_whole(), "nothing to select");
    }

    #[test]
    fn arriving_selects_a_choice_again_but_never_typed_text() {
        let mut field = TextField::chosen("42");
        press(&mut field, KeyCode::End);
        assert!(!field.is_selected_whole());
        field.arrive();
        assert!(field.is_selected_whole(), "the choice, unedited");
        let mut typed = TextField::typed("ann");
        typed.arrive();
        assert!(!typed.is_selected_whole());
        let mut empty = TextField::chosen("");
        empty.arrive();
        assert!(!empty.is_selected_whole(), "nothing to select");
    }
}
