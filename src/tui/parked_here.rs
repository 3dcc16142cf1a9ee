//! Sales parked on this machine. The app parks the sale in progress when
//! it closes (Ctrl-Q, a signal, a lost terminal, a bug); when the database
//! server cannot be reached then, the sale is written to a file of its own
//! in this counter's `parked-sales` folder instead (owner-only, made
//! exclusively, never over another file: `files`), and the app's next
//! start on the same database moves it back in among the parked sales and
//! says so.
//!
//! What that folder holds is read as untrusted: a file is moved back only
//! if it is a regular file of this user's with no other name (never read
//! through a symlink, never waited on like a FIFO), holds a parked sale in
//! this format, and names a customer and products the shop has. Anything
//! else is kept aside in `set-aside/` (moved, never deleted) and named in
//! the message; a file parked for another database waits for that one.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::display::count_of;
use crate::domain::order::{Quantity, SaleId};
use crate::domain::product::Product;
use crate::domain::timestamp::utc_micros;
use crate::files::{NewFile, create_own_folder, open_own_file};
use crate::store::{self, Shop};

/// The folder, inside the parked-sales folder, where what cannot be moved
/// back is kept for a person to look at.
pub const SET_ASIDE: &str = "set-aside";

/// What the files say they are, and the version of their format: 2 added
/// the sale id; a file of version 1 (which has none) is still read.
const FORMAT: &str = "shopdesk parked sale";
const FORMAT_VERSION: u32 = 2;
const OLDEST_FORMAT_VERSION: u32 = 1;

/// The largest file read: a cart of the most lines a sale may have is a
/// few kilobytes, and a file without end must not be read for ever.
const MAX_FILE_BYTES: u64 = 256 * 1024;

/// How many names a file set aside may try before giving up (`NAME`,
/// `NAME.1`, …): only a folder someone filled on purpose runs out.
const SET_ASIDE_NAMES: u32 = 100;

/// A parked sale as its file holds it.
#[derive(Debug, Serialize, Deserialize)]
struct ParkedFile {
    format: String,
    version: u32,
    /// The database it belongs to, as the store names it.
    database: String,
    /// When it was parked (UTC): it keeps that time when moved back.
    parked_at: String,
    customer_id: i64,
    lines: Vec<ParkedLine>,
    /// The sale's id, when checkout had made it (since version 2): the
    /// sale is placed once, however far its checkout got.
    #[serde(default)]
    sale_id: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
struct ParkedLine {
    product_id: i64,
    quantity: i64,
    /// For a person reading the file (one set aside, say): never used to
    /// find the product.
    sku: String,
    name: String,
}

/// Writes the sale of `customer_id` with `lines` and its `sale_id` (if
/// checkout made one) to a new file in `folder` (created owner-only if
/// missing; refused if it is a symlink), for `database` as the store names
/// it. Returns the file's path.
pub fn park(
    folder: &Path,
    database: &str,
    customer_id: i64,
    lines: &[(Product, Quantity)],
    sale_id: Option<&SaleId>,
    now: DateTime<Utc>,
) -> io::Result<PathBuf> {
    create_own_folder(folder)?;
    let parked = ParkedFile {
        format: FORMAT.to_string(),
        version: FORMAT_VERSION,
        database: database.to_string(),
        parked_at: utc_micros(now),
        customer_id,
        lines: lines
            .iter()
            .map(|(product, quantity)| ParkedLine {
                product_id: product.id,
                quantity: quantity.get(),
                sku: product.sku.clone(),
                name: product.name.clone(),
            })
            .collect(),
        sale_id: sale_id.map(SaleId::to_string),
    };
    let bytes = serde_json::to_vec_pretty(&parked).map_err(io::Error::other)?;
    // A random name, so that no two sales (two counters sharing the
    // folder, a quick second start) ever want the same one.
    let name = format!("sale-{}.json", uuid::Uuid::new_v4().simple());
    let target = folder.join(name);
    let mut file = NewFile::beside(&target)?;
    file.as_file_mut().write_all(&bytes)?;
    file.publish_new(&target)?;
    Ok(target)
}

/// What the start found in the parked-sales folder, and did with it.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct MovedBack {
    /// The numbers of the sales moved back, now parked in the database.
    pub parked: Vec<i64>,
    /// What was kept aside in `set-aside/`: each file's name and why.
    pub set_aside: Vec<(String, String)>,
    /// What could be neither moved back nor kept aside: name and why.
    pub stuck: Vec<(String, String)>,
    /// Files left for the next start, as the database could not take them
    /// now, and why.
    pub left: Option<(usize, String)>,
    /// Sales parked for another database, left where they are.
    pub elsewhere: usize,
    /// The folder it was all found in.
    pub folder: PathBuf,
}

/// Moves every sale parked in `folder` for `shop` back into it, in the
/// order they were parked, each keeping the time it was parked at and its
/// file removed once it is in. Never fails: whatever cannot be moved back
/// is said in [`MovedBack::said`].
pub fn move_back(folder: &Path, shop: &mut dyn Shop) -> MovedBack {
    let mut found = MovedBack {
        folder: folder.to_path_buf(),
        ..MovedBack::default()
    };
    let Ok(entries) = std::fs::read_dir(folder) else {
        // No folder (nothing was ever parked here), or none to read.
        return found;
    };
    let mut names: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.file_name())
        // Dot names are files being written now (`files::NewFile`).
        .filter(|name| !name.to_string_lossy().starts_with('.') && name != SET_ASIDE)
        .collect();
    names.sort();
    let database = shop.name();
    let mut sales = Vec::new();
    for name in names {
        let path = folder.join(&name);
        match read(&path) {
            Ok(sale) if sale.database != database => found.elsewhere += 1,
            Ok(sale) => sales.push((path, sale)),
            Err(why) => found.keep_aside(&path, why),
        }
    }
    sales.sort_by_key(|(_, sale)| sale.parked_at);
    let count = sales.len();
    for (index, (path, sale)) in sales.into_iter().enumerate() {
        match move_one_back(&sale, shop) {
            Ok(parked) => {
                found.parked.push(parked);
                if let Err(error) = std::fs::remove_file(&path) {
                    found.stuck.push((
                        shown_name(&path),
                        format!("moved back as parked sale {parked}, but not removed ({error}): remove it, or it is moved back again"),
                    ));
                }
            }
            Err(Unfit::Refused(why)) => found.keep_aside(&path, why),
            Err(Unfit::NotNow(why)) => {
                found.left = Some((count - index, why));
                break;
            }
        }
    }
    found
}

/// A parked sale as read from its file, checked as far as a file can be.
struct Sale {
    database: String,
    parked_at: DateTime<Utc>,
    customer_id: i64,
    lines: Vec<(i64, Quantity)>,
    sale_id: Option<SaleId>,
}

/// Why a file was not moved back.
enum Unfit {
    /// It names what the shop does not have (a customer, a product).
    Refused(String),
    /// The database could not take it now (unreachable, busy, read-only).
    NotNow(String),
}

/// Parks `sale` in `shop`, once the customer and products it names are
/// found there (named as the shop names them before anything is written).
fn move_one_back(sale: &Sale, shop: &mut dyn Shop) -> Result<i64, Unfit> {
    shop.customer(sale.customer_id).map_err(as_unfit)?;
    for (product_id, _) in &sale.lines {
        shop.product_by_id(*product_id).map_err(as_unfit)?;
    }
    shop.park_sale(
        sale.customer_id,
        &sale.lines,
        sale.sale_id.as_ref(),
        sale.parked_at,
    )
    .map_err(as_unfit)
}

/// A refusal of the shop's rules (a customer or product it does not
/// have) is the file's: it stays refused. Any other failure is the
/// database's, and may pass.
fn as_unfit(error: store::Error) -> Unfit {
    match error {
        store::Error::Rule(rule) => Unfit::Refused(rule.to_string()),
        other => Unfit::NotNow(other.to_string()),
    }
}

/// Reads the parked sale in the file at `path`, or says why it is none.
fn read(path: &Path) -> Result<Sale, String> {
    if path
        .symlink_metadata()
        .is_ok_and(|found| found.file_type().is_symlink())
    {
        return Err("it is a symbolic link, and shopdesk never follows one".to_string());
    }
    let file = open_own_file(path).map_err(|error| error.to_string())?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|error| error.to_string())?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(format!(
            "it is larger than a parked sale can be ({} KiB)",
            MAX_FILE_BYTES / 1024
        ));
    }
    let parked: ParkedFile = serde_json::from_slice(&bytes)
        .map_err(|error| format!("it is not a parked sale ({error})"))?;
    if parked.format != FORMAT
        || !(OLDEST_FORMAT_VERSION..=FORMAT_VERSION).contains(&parked.version)
    {
        return Err(format!(
            "it is not a parked sale this shopdesk reads (format “{}” version {})",
            crate::domain::text::quote(&parked.format),
            parked.version
        ));
    }
    let parked_at = DateTime::parse_from_rfc3339(&parked.parked_at)
        .map_err(|_| "its time is not a time".to_string())?
        .with_timezone(&Utc);
    let lines = parked
        .lines
        .iter()
        .map(|line| Ok((line.product_id, Quantity::new(line.quantity)?)))
        .collect::<Result<Vec<_>, crate::domain::Error>>()
        .map_err(|error| error.to_string())?;
    if lines.is_empty() {
        return Err("it holds no items".to_string());
    }
    let sale_id = parked
        .sale_id
        .map(|text| SaleId::parse(&text))
        .transpose()
        .map_err(|error| format!("its sale id is not one: {error}"))?;
    Ok(Sale {
        database: parked.database,
        parked_at,
        customer_id: parked.customer_id,
        lines,
        sale_id,
    })
}

/// The name of the file at `path`, as messages show it.
fn shown_name(path: &Path) -> String {
    path.file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

/// Moves the file (or whatever it is: a symlink is moved itself, never
/// followed) at `path` into `folder`'s `set-aside/`, under a name nothing
/// there has.
fn keep_aside(folder: &Path, path: &Path) -> io::Result<()> {
    let aside = folder.join(SET_ASIDE);
    create_own_folder(&aside)?;
    let name = path.file_name().unwrap_or_default();
    for attempt in 0..SET_ASIDE_NAMES {
        let mut target = name.to_os_string();
        if attempt > 0 {
            target.push(format!(".{attempt}"));
        }
        let target = aside.join(target);
        // The folder is this user's own: nobody else makes a name there
        // between this look and the rename.
        if target.symlink_metadata().is_err() {
            return std::fs::rename(path, target);
        }
    }
    Err(io::Error::other(format!(
        "{} holds too many files of that name",
        aside.display()
    )))
}

impl MovedBack {
    /// Keeps the file at `path` aside, refused for `why`; or notes that it
    /// could not be.
    fn keep_aside(&mut self, path: &Path, why: String) {
        let name = shown_name(path);
        match keep_aside(&self.folder, path) {
            Ok(()) => self.set_aside.push((name, why)),
            Err(error) => self
                .stuck
                .push((name, format!("{why}; it could not be kept aside: {error}"))),
        }
    }

    /// What the app says about it on its first screen, and whether it is a
    /// warning (something is kept aside or left): `None` when the folder
    /// held nothing for this database.
    pub fn said(&self) -> Option<(String, bool)> {
        let mut said = Vec::new();
        if !self.parked.is_empty() {
            let numbers: Vec<String> = self.parked.iter().map(i64::to_string).collect();
            said.push(format!(
                "{} parked on this machine while the database server could not be reached {} back among the parked sales (F8 on an empty sale): {} {}.",
                count_of(self.parked.len() as i64, "sale"),
                if self.parked.len() == 1 { "is" } else { "are" },
                if self.parked.len() == 1 { "number" } else { "numbers" },
                numbers.join(", ")
            ));
        }
        if !self.set_aside.is_empty() {
            said.push(format!(
                "Not moved back, kept aside in {}: {}.",
                self.folder.join(SET_ASIDE).display(),
                listed(&self.set_aside)
            ));
        }
        if !self.stuck.is_empty() {
            said.push(format!(
                "In {}: {}.",
                self.folder.display(),
                listed(&self.stuck)
            ));
        }
        if let Some((count, why)) = &self.left {
            said.push(format!(
                "{} parked on this machine could not be moved back now ({why}); the next start tries again.",
                count_of(*count as i64, "file")
            ));
        }
        if self.elsewhere > 0 {
            said.push(format!(
                "{} parked on this machine for another database {} in {} for its next start.",
                count_of(self.elsewhere as i64, "sale"),
                if self.elsewhere == 1 { "waits" } else { "wait" },
                self.folder.display()
            ));
        }
        if said.is_empty() {
            return None;
        }
        let warning = !self.set_aside.is_empty() || !self.stuck.is_empty() || self.left.is_some();
        Some((said.join(" "), warning))
    }
}

/// `name (why); name (why)`.
fn listed(files: &[(String, String)]) -> String {
    let listed: Vec<String> = files
        .iter()
        .map(|(name, why)| format!("{name} ({why})"))
        .collect();
    listed.join("; ")
}
