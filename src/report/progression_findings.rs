//! The year-over-year findings: "am I ahead of last year?" answered at the
//! data's last day, and this quarter's pace at the target heart rate against
//! the same quarter a year before, said only as surely as the levels allow.

use crate::metrics::Metrics;
use crate::metrics::progression::latest_season_change;
use crate::units::Units;

pub fn findings(m: &Metrics, units: Units) -> Vec<String> {
    let mut out = Vec::new();
    out.extend(ahead(m, units));
    out.extend(season(m, units));
    out
}

fn ahead(m: &Metrics, units: Units) -> Option<String> {
    let c = m.progression.comparison?;
    let km = |metres: f64| format!("{:.0} {}", units.distance(metres), units.distance_unit());
    let date = c.as_of.format("%-d %b %Y");
    let so_far = km(c.this_year.totals.distance_m);
    let Some(ahead_m) = c.ahead_m() else {
        // Only worth saying when last year is partly on record.
        let whole = c.last_year_whole?;
        return Some(format!(
            "By {date} you have run {so_far} this year; last year's record starts on {}, so there is no same-date comparison yet.",
            whole.from.format("%-d %b")
        ));
    };
    let last = km(c.last_year.map_or(0.0, |l| l.totals.distance_m));
    let way = if ahead_m >= 0.0 { "ahead of" } else { "behind" };
    Some(format!(
        "By {date} you have run {so_far} this year: {} {way} last year at the same date ({last}).",
        km(ahead_m.abs())
    ))
}

fn season(m: &Metrics, units: Units) -> Option<String> {
    let ch = latest_season_change(&m.progression.seasons)?;
    let target = m.target_hr_bpm?;
    let (label, year) = (ch.now.quarter.label(), ch.now.year);
    let now = units.pace(ch.now.level.pace_s_per_km);
    let per = units.distance_unit();
    let diff = units.pace_s(ch.faster_s_per_km.abs());
    let give = units.pace_s(ch.uncertainty_s_per_km);
    Some(if ch.clear() {
        let way = if ch.faster_s_per_km > 0.0 { "faster" } else { "slower" };
        format!(
            "{label} {year}: {now} at {target:.0} bpm, {diff:.0} s/{per} {way} than {label} {} (\u{b1} {give:.0} s/{per}).",
            year - 1
        )
    } else {
        format!(
            "{label} {year}: {now} at {target:.0} bpm, no clear change from {label} {} (within \u{b1} {give:.0} s/{per}).",
            year - 1
        )
    })
}
