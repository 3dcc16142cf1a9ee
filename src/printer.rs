//! Printing receipts: the shop's print command gets the receipt on its
//! standard input, or, with no command set, the receipt is written to a
//! file. No customer or product text is ever put on a command line.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::files;

/// What became of a receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Printed {
    ByCommand,
    ToFile(PathBuf),
}

/// Prints `text`, the receipt of order `order_id`: through `command` (run
/// by `sh -c`) when it is set, else into `receipts/ORDER-<id>.txt` under
/// `folder`.
pub fn print_receipt(
    text: &str,
    command: &str,
    folder: &Path,
    order_id: i64,
) -> Result<Printed, String> {
    if command.trim().is_empty() {
        let receipts = folder.join("receipts");
        files::create_private_folder(&receipts)
            .map_err(|e| format!("cannot create {}: {e}", receipts.display()))?;
        let path = receipts.join(format!("ORDER-{order_id}.txt"));
        // A reprint replaces the earlier file whole.
        files::write_replacing(&path, text.as_bytes())
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        return Ok(Printed::ToFile(path));
    }
    let mut child = Command::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run the print command: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        // A command that exits without reading is reported by its status.
        let _ = stdin.write_all(text.as_bytes());
    }
    let output = child
        .wait_with_output()
        .map_err(|e| format!("the print command failed: {e}"))?;
    if output.status.success() {
        Ok(Printed::ByCommand)
    } else {
        let said = String::from_utf8_lossy(&output.stderr);
        let first = said.lines().next().unwrap_or("").trim();
        Err(format!(
            "the print command failed ({}){}",
            output.status,
            if first.is_empty() {
                String::new()
            } else {
                format!(": {first}")
            }
        ))
    }
}
