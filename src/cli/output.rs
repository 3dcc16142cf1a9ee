//! Where command output goes: human lines and tables, or JSON Lines.

use std::fmt::Display;
use std::io::{self, BufWriter, StdoutLock, Write};

use anyhow::Result;
use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::display::{is_terminal_control, safe_lines, safe_text};

/// Standard output, buffered, in the format the user asked for.
pub struct Output {
    json: bool,
    out: BufWriter<StdoutLock<'static>>,
}

/// A column's alignment in a [`Table`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// Rows gathered first so every column can be as wide as its widest cell.
pub struct Table {
    columns: Vec<(&'static str, Align)>,
    rows: Vec<Vec<String>>,
}

impl Output {
    pub fn new(json: bool) -> Output {
        Output {
            json,
            out: BufWriter::new(io::stdout().lock()),
        }
    }

    pub fn is_json(&self) -> bool {
        self.json
    }

    /// One line for people (ignored in JSON mode). Every human line passes
    /// here, so this is where text from the database is made safe (a
    /// receipt's several lines keep their breaks).
    pub fn line(&mut self, text: impl Display) -> Result<()> {
        if !self.json {
            writeln!(self.out, "{}", safe_lines(&text.to_string()))?;
        }
        Ok(())
    }

    /// One record as a JSON line (ignored in human mode). Text keeps its
    /// exact value; what a terminal would act on is written as `\uXXXX`.
    /// The line is made whole in memory first: a record that cannot be
    /// serialized fails before any of it is written, so standard output
    /// only ever holds whole records.
    pub fn json_record(&mut self, record: &impl Serialize) -> Result<()> {
        if self.json {
            let mut line = Vec::new();
            let mut serializer = serde_json::Serializer::with_formatter(&mut line, SafeJson);
            record.serialize(&mut serializer)?;
            line.push(b'\n');
            self.out.write_all(&line)?;
        }
        Ok(())
    }

    /// A record: as JSON in JSON mode, else as the human line `human` makes.
    pub fn record<R: Serialize, T: Display>(
        &mut self,
        record: &R,
        human: impl FnOnce(&R) -> T,
    ) -> Result<()> {
        if self.json {
            self.json_record(record)
        } else {
            self.line(human(record))
        }
    }

    pub fn table(&mut self, table: &Table) -> Result<()> {
        if self.json {
            return Ok(());
        }
        let widths: Vec<usize> = table
            .columns
            .iter()
            .enumerate()
            .map(|(index, (header, _))| {
                table
                    .rows
                    .iter()
                    .map(|row| row[index].width())
                    .chain([header.width()])
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let headers: Vec<String> = table
            .columns
            .iter()
            .map(|(header, _)| header.to_string())
            .collect();
        for row in std::iter::once(&headers).chain(&table.rows) {
            let mut line = String::new();
            for (index, cell) in row.iter().enumerate() {
                let padding = " ".repeat(widths[index] - cell.width());
                let last = index + 1 == row.len();
                match table.columns[index].1 {
                    Align::Left if last => line.push_str(cell),
                    Align::Left => line.push_str(&format!("{cell}{padding}")),
                    Align::Right => line.push_str(&format!("{padding}{cell}")),
                }
                if !last {
                    line.push_str("  ");
                }
            }
            writeln!(self.out, "{}", line.trim_end())?;
        }
        Ok(())
    }

    /// Flushes what is buffered; call once at the end.
    pub fn finish(mut self) -> Result<()> {
        self.out.flush()?;
        Ok(())
    }
}

/// JSON as serde_json writes it, except that DEL, the C1 controls and
/// direction controls in strings are escaped too (serde_json escapes only
/// C0): JSON read in a terminal is as harmless as the human lines.
struct SafeJson;

impl serde_json::ser::Formatter for SafeJson {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (index, c) in fragment.char_indices() {
            if is_terminal_control(c) {
                writer.write_all(&fragment.as_bytes()[start..index])?;
                for unit in c.encode_utf16(&mut [0; 2]) {
                    write!(writer, "\\u{unit:04x}")?;
                }
                start = index + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }
}

impl Table {
    pub fn new(columns: &[(&'static str, Align)]) -> Table {
        Table {
            columns: columns.to_vec(),
            rows: Vec::new(),
        }
    }

    /// Adds a row; text from the database is made terminal-safe here.
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(
            cells
                .iter()
                .map(|cell| safe_text(cell).into_owned())
                .collect(),
        );
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}
