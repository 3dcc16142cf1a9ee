//! Forms: labelled text fields, each with its own error, validated by the
//! domain's parsers. A failed submit keeps everything typed.

use super::text_field::TextField;
use crate::domain;

/// What a form's fields are, so store refusals can find their field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldId {
    Name,
    Email,
    Phone,
    Sku,
    Price,
    Stock,
    Details,
    AddUnits,
    SetStock,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub id: FieldId,
    pub label: &'static str,
    pub input: TextField,
    /// Shown dimmed while the field is empty, and taken as its value then:
    /// a default written into the field would be typed after (`050`).
    pub placeholder: &'static str,
    pub error: Option<String>,
}

/// What submitting the form does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKind {
    NewCustomer,
    EditCustomer(i64),
    /// A new customer registered from the counter's customer field: saved,
    /// the sale is theirs.
    CounterCustomer,
    NewProduct,
    EditProduct(i64),
    Restock(i64),
}

impl FormKind {
    /// Whether the form registers or edits a customer.
    pub fn is_customer(self) -> bool {
        matches!(
            self,
            FormKind::NewCustomer | FormKind::EditCustomer(_) | FormKind::CounterCustomer
        )
    }
}

#[derive(Debug, Clone)]
pub struct Form {
    pub kind: FormKind,
    pub title: String,
    pub fields: Vec<Field>,
    pub focus: usize,
    /// A problem that belongs to no one field.
    pub error: Option<String>,
}

impl Form {
    pub fn new(
        kind: FormKind,
        title: impl Into<String>,
        fields: &[(FieldId, &'static str, &str)],
    ) -> Form {
        Form {
            kind,
            title: title.into(),
            fields: fields
                .iter()
                .map(|&(id, label, value)| Field {
                    id,
                    label,
                    input: TextField::typed(value),
                    placeholder: "",
                    error: None,
                })
                .collect(),
            focus: 0,
            error: None,
        }
    }

    /// Gives field `id` a default shown as a placeholder (see [`Field`]).
    pub fn with_placeholder(mut self, id: FieldId, placeholder: &'static str) -> Form {
        if let Some(field) = self.fields.iter_mut().find(|field| field.id == id) {
            field.placeholder = placeholder;
        }
        self
    }

    /// What was typed into field `id`, or its placeholder when empty.
    fn entered(&self, id: FieldId) -> &str {
        match self.fields.iter().find(|field| field.id == id) {
            Some(field) if field.input.value().is_empty() => field.placeholder,
            Some(field) => field.input.value(),
            None => "",
        }
    }

    pub fn value(&self, id: FieldId) -> &str {
        self.fields
            .iter()
            .find(|field| field.id == id)
            .map_or("", |field| field.input.value())
    }

    pub fn focused_input(&mut self) -> Option<&mut TextField> {
        self.fields
            .get_mut(self.focus)
            .map(|field| &mut field.input)
    }

    pub fn focus_next(&mut self, forward: bool) {
        let count = self.fields.len().max(1);
        self.focus = if forward {
            (self.focus + 1) % count
        } else {
            (self.focus + count - 1) % count
        };
        if let Some(input) = self.focused_input() {
            input.arrive();
        }
    }

    pub fn clear_errors(&mut self) {
        self.error = None;
        for field in &mut self.fields {
            field.error = None;
        }
    }

    /// Puts `error` next to field `id` and moves the cursor there (the first
    /// field in error gets the cursor).
    pub fn set_error(&mut self, id: FieldId, error: impl ToString) {
        let first = self.fields.iter().all(|field| field.error.is_none());
        if let Some(index) = self.fields.iter().position(|field| field.id == id) {
            self.fields[index].error = Some(error.to_string());
            if first {
                self.focus = index;
            }
        } else {
            self.error = Some(error.to_string());
        }
    }

    /// Parses field `id` with `parse`; on failure notes the error there.
    pub fn parse<T>(
        &mut self,
        id: FieldId,
        parse: impl FnOnce(&str) -> Result<T, domain::Error>,
    ) -> Option<T> {
        match parse(self.entered(id)) {
            Ok(value) => Some(value),
            Err(error) => {
                self.set_error(id, error);
                None
            }
        }
    }

    /// Shows a refusal: next to its field when it names one.
    pub fn refuse(&mut self, rule: Option<&domain::Error>, message: &str) {
        let field = match rule {
            Some(domain::Error::EmailTaken { .. }) => Some(FieldId::Email),
            Some(domain::Error::PhoneTaken { .. }) => Some(FieldId::Phone),
            // Next to whichever of the two comes first in the form.
            Some(domain::Error::ContactMissing) => self
                .fields
                .iter()
                .map(|field| field.id)
                .find(|id| matches!(id, FieldId::Email | FieldId::Phone)),
            Some(domain::Error::SkuTaken { .. }) => Some(FieldId::Sku),
            Some(domain::Error::StockLimit { .. }) => Some(FieldId::AddUnits),
            _ => None,
        };
        match field {
            Some(id) => self.set_error(id, message),
            None => self.error = Some(message.to_string()),
        }
    }
}
