//! Where command output goes: human lines and tables, or JSON Lines.

use std::fmt::Display;
use std::io::{self, BufWriter, StdoutLock, Write};

use anyhow::Result;
use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::display::{safe_lines, safe_text};

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

    /// One record as a JSON line (ignored in human mode).
    pub fn json_record(&mut self, record: &impl Serialize) -> Result<()> {
        if self.json {
            serde_json::to_writer(&mut self.out, record)?;
            writeln!(self.out)?;
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
