//! The shop's local time zone, decided once without reading the file `TZ`
//! names: `TZ=/dev/zero` (or a pipe, or a huge file) made chrono's `Local`
//! read forever. Zones come compiled in (chrono-tz); the environment and
//! the system only choose one by name.

use std::ffi::OsStr;
use std::io::Read;
use std::path::Path;
use std::sync::OnceLock;

use chrono_tz::Tz;

/// Where the system says its zone is: a link into a zoneinfo folder.
const LOCALTIME_LINK: &str = "/etc/localtime";
/// Debian's one-line zone name, read when the link says nothing.
const TIMEZONE_FILE: &str = "/etc/timezone";
/// More than the longest zone name (about 30 bytes): the most read of
/// [`TIMEZONE_FILE`], whatever it is.
const TIMEZONE_FILE_MAX_BYTES: u64 = 256;

/// The zone times are shown in, decided on first use and kept.
pub fn shop_zone() -> Tz {
    static ZONE: OnceLock<Tz> = OnceLock::new();
    *ZONE.get_or_init(|| {
        zone_from(
            std::env::var_os("TZ").as_deref(),
            Path::new(LOCALTIME_LINK),
            Path::new(TIMEZONE_FILE),
        )
    })
}

/// The zone `tz` (the `TZ` variable) names: a zone name (`Asia/Kolkata`,
/// `:Asia/Kolkata`) or a path into a zoneinfo folder. Without `TZ`, the
/// system's: the target of the `localtime` link, else the first line of
/// `timezone_file` (read bounded). Anything else is UTC: no file is ever
/// read for its zone data.
pub fn zone_from(tz: Option<&OsStr>, localtime: &Path, timezone_file: &Path) -> Tz {
    let named = match tz {
        Some(tz) => tz.to_str().and_then(zone_named),
        None => system_zone(localtime, timezone_file),
    };
    named.unwrap_or(Tz::UTC)
}

/// A zone name, maybe after `:`, maybe as a path ending in a zoneinfo
/// folder's `Area/City`. Empty means UTC (as POSIX says).
fn zone_named(text: &str) -> Option<Tz> {
    let text = text.trim();
    let text = text.strip_prefix(':').unwrap_or(text);
    if text.is_empty() {
        return Some(Tz::UTC);
    }
    let name = match text.rsplit_once("zoneinfo/") {
        Some((_, name)) => name,
        None => text,
    };
    name.parse().ok()
}

fn system_zone(localtime: &Path, timezone_file: &Path) -> Option<Tz> {
    let linked = std::fs::read_link(localtime)
        .ok()
        .and_then(|target| target.to_str().and_then(zone_named));
    linked.or_else(|| zone_in_file(timezone_file))
}

fn zone_in_file(path: &Path) -> Option<Tz> {
    let file = std::fs::File::open(path).ok()?;
    // Only a regular file: a pipe or a device would never end, or block.
    if !file.metadata().ok()?.is_file() {
        return None;
    }
    let mut text = String::new();
    file.take(TIMEZONE_FILE_MAX_BYTES)
        .read_to_string(&mut text)
        .ok()?;
    zone_named(text.lines().next()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from_tz(tz: &str) -> Tz {
        zone_from(
            Some(OsStr::new(tz)),
            Path::new("/nonexistent/localtime"),
            Path::new("/nonexistent/timezone"),
        )
    }

    #[test]
    fn tz_names_a_zone_by_name_or_zoneinfo_path() {
        assert_eq!(from_tz("Asia/Kolkata"), Tz::Asia__Kolkata);
        assert_eq!(from_tz(":America/New_York"), Tz::America__New_York);
        assert_eq!(
            from_tz("/usr/share/zoneinfo/Europe/Berlin"),
            Tz::Europe__Berlin
        );
        assert_eq!(from_tz(""), Tz::UTC);
    }

    #[test]
    fn anything_else_in_tz_is_utc_without_reading_it() {
        for tz in [
            "/dev/zero",
            "/dev/urandom",
            "../../dev/zero",
            "Mars/Base",
            "EST+5",
        ] {
            assert_eq!(from_tz(tz), Tz::UTC, "{tz}");
        }
    }

    #[test]
    fn without_tz_the_system_link_or_file_names_the_zone() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("localtime");
        let file = dir.path().join("timezone");
        assert_eq!(zone_from(None, &link, &file), Tz::UTC, "nothing set");

        std::fs::write(&file, "Asia/Tokyo\nrest\n").unwrap();
        assert_eq!(zone_from(None, &link, &file), Tz::Asia__Tokyo);

        std::os::unix::fs::symlink("/usr/share/zoneinfo/Europe/Paris", &link).unwrap();
        assert_eq!(
            zone_from(None, &link, &file),
            Tz::Europe__Paris,
            "the link wins"
        );
    }

    #[test]
    fn a_timezone_file_that_is_not_a_regular_file_is_not_read() {
        let devices = Path::new("/dev/zero");
        assert_eq!(zone_from(None, Path::new("/nonexistent"), devices), Tz::UTC);
    }
}
