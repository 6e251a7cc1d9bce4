//! Local time for every activity. Weeks, `--since/--until`, streaks, layoffs
//! and time of day are the athlete's days, not UTC's, but only FIT files
//! record their UTC offset; a GPX or TCX run on a Sunday evening in
//! California is Monday in UTC. This stage finds each activity's offset from
//! the best evidence there is, machine-independent (never the host's zone):
//!
//! 1. the file's own offset (the watch's clock: `device`);
//! 2. the IANA zone at the first position, with that zone's rules for the
//!    start instant, daylight saving time included (`position`);
//! 3. `--utc-offset` / `[analysis] utc_offset`, for files with neither
//!    (`setting`): an explicit choice beats a guess from other files, but
//!    never what the file itself shows;
//! 4. the nearest-in-time activity within [`NEARBY_DAYS`] that has a device
//!    or position offset (`nearby`): the athlete was in that zone then;
//! 5. UTC (`none`).
//!
//! Steps 1 and 2 run per activity in the parallel stage, while the samples
//! are still there; steps 3 to 5 need the whole batch and run after it.

use std::str::FromStr;
use std::sync::LazyLock;

use chrono::{DateTime, FixedOffset, Offset, TimeZone};
use chrono_tz::Tz;
use tzf_rs::EmbeddedFinder;

use crate::parse::{ActivityMeta, OffsetSource, Samples};

/// How far (either side) another activity's offset is trusted for one
/// without any: about a month, so a trip or a daylight-saving change far
/// away never leaks in.
pub const NEARBY_DAYS: i64 = 30;
const MS_PER_DAY: i64 = 86_400_000;

/// The zone polygons (simplified, within about 100 m of the true borders),
/// read in place from the binary: opening it costs an index, not a copy.
static FINDER: LazyLock<EmbeddedFinder> = LazyLock::new(EmbeddedFinder::new);

/// The athlete's stated zone: a fixed offset ("+02:00") or an IANA zone
/// ("Europe/Paris", whose rules give each date its own offset).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    Fixed(FixedOffset),
    Zone(Tz),
}

impl Setting {
    /// Parse "+02:00", "-0530", "+5", "Z", "UTC" or an IANA zone name; the
    /// error says what is accepted.
    pub fn parse(text: &str) -> Result<Setting, String> {
        let t = text.trim();
        if let Some(offset) = parse_fixed(t) {
            return Ok(Setting::Fixed(offset));
        }
        Tz::from_str(t).map(Setting::Zone).map_err(|_| {
            format!("{text:?} is not a UTC offset like +02:00 or -05:30, nor a time zone name like Europe/Paris")
        })
    }

    fn offset_s_at(self, utc_ms: i64) -> Option<i32> {
        match self {
            Setting::Fixed(offset) => Some(offset.local_minus_utc()),
            Setting::Zone(zone) => zone_offset_s(zone, utc_ms),
        }
    }
}

/// "+02:00", "-0530", "+5", "Z" or "UTC" as a fixed offset within +-14 h.
fn parse_fixed(t: &str) -> Option<FixedOffset> {
    if t.eq_ignore_ascii_case("z") || t.eq_ignore_ascii_case("utc") {
        return FixedOffset::east_opt(0);
    }
    let (sign, rest) = match t.as_bytes().first()? {
        b'+' => (1, &t[1..]),
        b'-' => (-1, &t[1..]),
        _ => return None,
    };
    let (h, m) = match rest.split_once(':') {
        Some((h, m)) => (h, m),
        None if rest.len() == 4 => rest.split_at(2),
        None => (rest, "0"),
    };
    let all_digits = |s: &str| !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(h) || !all_digits(m) {
        return None;
    }
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    if m >= 60 || h * 60 + m > 14 * 60 {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

/// The offset `zone`'s rules give at the instant `utc_ms`.
fn zone_offset_s(zone: Tz, utc_ms: i64) -> Option<i32> {
    let utc = DateTime::from_timestamp_millis(utc_ms)?.naive_utc();
    Some(zone.offset_from_utc_datetime(&utc).fix().local_minus_utc())
}

/// The IANA zone covering a point, if any (open sea has none).
pub fn zone_at(lat_deg: f64, lon_deg: f64) -> Option<Tz> {
    if !(lat_deg.is_finite() && lon_deg.is_finite()) || lat_deg.abs() > 90.0 || lon_deg.abs() > 180.0 {
        return None;
    }
    Tz::from_str(FINDER.get_tz_name(lon_deg, lat_deg)).ok()
}

/// Per activity, in the parallel stage: keep the file's own offset, or take
/// the one at the first recorded position.
pub fn from_position(meta: &mut ActivityMeta, samples: &Samples) {
    if meta.utc_offset_s.is_some() {
        return; // the parser marked it `Device`
    }
    let first = samples.lat_deg.iter().zip(&samples.lon_deg).find(|(lat, lon)| lat.is_finite() && lon.is_finite());
    let offset = first.and_then(|(&lat, &lon)| zone_offset_s(zone_at(lat, lon)?, meta.start_ms));
    if let Some(offset_s) = offset {
        meta.utc_offset_s = Some(offset_s);
        meta.utc_offset_source = OffsetSource::Position;
    }
}

/// After the parallel stage, over the whole batch: activities still without
/// an offset take the setting, else the nearest activity's within
/// [`NEARBY_DAYS`]. The result does not depend on the order of `metas`.
pub fn fill_missing<'a>(metas: impl IntoIterator<Item = &'a mut ActivityMeta>, setting: Option<Setting>) {
    let mut metas: Vec<&mut ActivityMeta> = metas.into_iter().collect();
    let mut known: Vec<(i64, i32)> = metas
        .iter()
        .filter(|m| matches!(m.utc_offset_source, OffsetSource::Device | OffsetSource::Position))
        .filter_map(|m| Some((m.start_ms, m.utc_offset_s?)))
        .collect();
    known.sort_unstable();
    for meta in metas.iter_mut().filter(|m| m.utc_offset_s.is_none()) {
        let (offset, source) = match setting.and_then(|s| s.offset_s_at(meta.start_ms)) {
            Some(offset) => (Some(offset), OffsetSource::Setting),
            None => (nearest(&known, meta.start_ms), OffsetSource::Nearby),
        };
        if offset.is_some() {
            meta.utc_offset_s = offset;
            meta.utc_offset_source = source;
        }
    }
}

/// The offset of the activity nearest in time to `start_ms` (the earlier on
/// a tie), if it is within [`NEARBY_DAYS`]. `known` is sorted.
fn nearest(known: &[(i64, i32)], start_ms: i64) -> Option<i32> {
    let i = known.partition_point(|k| k.0 < start_ms);
    let before = i.checked_sub(1).map(|j| known[j]);
    let after = known.get(i).copied();
    let best = match (before, after) {
        (Some(b), Some(a)) => Some(if start_ms - b.0 <= a.0 - start_ms { b } else { a }),
        (b, a) => b.or(a),
    }?;
    ((best.0 - start_ms).abs() <= NEARBY_DAYS * MS_PER_DAY).then_some(best.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_parse_offsets_and_zone_names() {
        let fixed = |s: &str| match Setting::parse(s) {
            Ok(Setting::Fixed(o)) => Some(o.local_minus_utc()),
            _ => None,
        };
        assert_eq!(fixed("+02:00"), Some(7200));
        assert_eq!(fixed("-05:30"), Some(-19_800));
        assert_eq!(fixed("+0545"), Some(20_700));
        assert_eq!(fixed("-8"), Some(-28_800));
        assert_eq!(fixed("UTC"), Some(0));
        assert_eq!(Setting::parse("Europe/Paris"), Ok(Setting::Zone(chrono_tz::Europe::Paris)));
        for bad in ["+15:00", "+14:30", "+02:75", "2", "Mars/Olympus", "", "+0a:00"] {
            assert!(Setting::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn zone_rules_give_each_instant_its_offset() {
        let la = zone_at(34.05, -118.25).expect("Los Angeles has a zone");
        assert_eq!(la, chrono_tz::America::Los_Angeles);
        // 2026-01-15 and 2026-07-15, noon UTC.
        assert_eq!(zone_offset_s(la, 1_768_478_400_000), Some(-8 * 3600));
        assert_eq!(zone_offset_s(la, 1_784_116_800_000), Some(-7 * 3600));
        assert_eq!(zone_at(f64::NAN, 0.0), None);
    }

    #[test]
    fn the_nearest_known_offset_within_a_month_fills_in() {
        let day = MS_PER_DAY;
        let known = [(10 * day, 3600), (20 * day, 7200)];
        assert_eq!(nearest(&known, 14 * day), Some(3600));
        assert_eq!(nearest(&known, 15 * day), Some(3600), "a tie goes to the earlier");
        assert_eq!(nearest(&known, 16 * day), Some(7200));
        assert_eq!(nearest(&known, 50 * day), Some(7200));
        assert_eq!(nearest(&known, 51 * day), None);
        assert_eq!(nearest(&[], 0), None);
    }

    #[test]
    fn a_setting_fills_in_before_a_nearby_guess_but_never_over_the_file() {
        let meta = |start_ms: i64, offset: Option<i32>, source: OffsetSource| ActivityMeta {
            start_ms,
            utc_offset_s: offset,
            utc_offset_source: source,
            ..ActivityMeta::default()
        };
        let mut metas = [meta(0, Some(3600), OffsetSource::Device), meta(MS_PER_DAY, None, OffsetSource::Unknown)];
        fill_missing(metas.iter_mut(), None);
        assert_eq!((metas[1].utc_offset_s, metas[1].utc_offset_source), (Some(3600), OffsetSource::Nearby));
        let mut metas = [meta(0, Some(3600), OffsetSource::Device), meta(MS_PER_DAY, None, OffsetSource::Unknown)];
        fill_missing(metas.iter_mut(), Setting::parse("-03:00").ok());
        assert_eq!((metas[0].utc_offset_s, metas[0].utc_offset_source), (Some(3600), OffsetSource::Device));
        assert_eq!((metas[1].utc_offset_s, metas[1].utc_offset_source), (Some(-10_800), OffsetSource::Setting));
    }
}
