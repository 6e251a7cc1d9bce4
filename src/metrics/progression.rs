//! Year over year: distance, time and load added up from 1 January of each
//! year, day by day on the athlete's local calendar, so "am I ahead of last
//! year?" is one comparison at the same date; and the level of pace at the
//! target heart rate per quarter of each year, from the runs and the noise
//! `level` gives every trend (low-confidence runs never count).

use chrono::{Datelike, Duration, NaiveDate};

use super::level::{self, Level, MIN_RUNS, Pace};

/// One local day's activity, the input of the running totals.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Entry {
    pub day: NaiveDate,
    /// Whether it is a run: only runs add distance and time.
    pub run: bool,
    pub distance_m: f64,
    pub moving_time_s: f64,
    /// Training load (any sport), as daily.csv adds it up.
    pub load: f64,
}

/// Running totals of one year up to and including `date`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct YearDay {
    pub date: NaiveDate,
    pub runs: u32,
    pub distance_m: f64,
    pub moving_time_s: f64,
    pub load: f64,
}

impl YearDay {
    pub fn year(&self) -> i32 {
        self.date.year()
    }

    /// The day on a 366-day calendar (see [`calendar_day`]).
    pub fn calendar_day(&self) -> u32 {
        calendar_day(self.date)
    }
}

/// The day of the year on a 366-day calendar: 1 March is day 61 in every
/// year, so the same date lines up across leap and common years (a common
/// year has no day 60).
pub fn calendar_day(d: NaiveDate) -> u32 {
    let leap = NaiveDate::from_ymd_opt(d.year(), 2, 29).is_some();
    d.ordinal() + u32::from(!leap && d.month() > 2)
}

/// The same date a year earlier; 29 February becomes the 28th.
pub fn same_day_a_year_before(d: NaiveDate) -> NaiveDate {
    d.with_year(d.year() - 1).unwrap_or_else(|| d - Duration::days(366))
}

/// A row for every local day from the first activity to `last_day`: the
/// first year starts on its first activity (nothing is known before it),
/// every later year on 1 January; earlier years run to 31 December.
pub fn running_totals(entries: &[Entry], last_day: NaiveDate) -> Vec<YearDay> {
    let mut sorted: Vec<&Entry> = entries.iter().filter(|e| e.day <= last_day).collect();
    sorted.sort_by_key(|e| e.day);
    let Some(first) = sorted.first().map(|e| e.day) else { return Vec::new() };
    let mut out = Vec::with_capacity(usize::try_from((last_day - first).num_days() + 1).unwrap_or(0));
    let mut next = sorted.iter().peekable();
    let mut total = YearDay { date: first, runs: 0, distance_m: 0.0, moving_time_s: 0.0, load: 0.0 };
    let mut day = first;
    while day <= last_day {
        if day.ordinal() == 1 {
            total = YearDay { date: day, runs: 0, distance_m: 0.0, moving_time_s: 0.0, load: 0.0 };
        }
        total.date = day;
        while let Some(e) = next.next_if(|e| e.day == day) {
            total.load += e.load;
            if e.run {
                total.runs += 1;
                total.distance_m += e.distance_m;
                total.moving_time_s += e.moving_time_s;
            }
        }
        out.push(total);
        day += Duration::days(1);
    }
    out
}

/// One year's totals up to a date, and from when the record holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ToDate {
    /// First day of the year with a record (1 January unless the history
    /// starts later that year).
    pub from: NaiveDate,
    pub totals: YearDay,
}

impl ToDate {
    /// The record covers the whole year up to the date.
    pub fn complete(&self) -> bool {
        self.from.ordinal() == 1
    }
}

/// This year against last year at the same date: "am I ahead?".
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Comparison {
    /// The data's today: the last local day with an activity.
    pub as_of: NaiveDate,
    pub this_year: ToDate,
    /// Last year up to the same date; `None` when the record starts after it.
    pub last_year: Option<ToDate>,
    /// All of last year, when it is on record.
    pub last_year_whole: Option<ToDate>,
}

impl Comparison {
    /// Distance ahead of last year at the same date (negative: behind);
    /// only when last year's record covers that stretch in full.
    pub fn ahead_m(&self) -> Option<f64> {
        let last = self.last_year.filter(ToDate::complete)?;
        Some(self.this_year.totals.distance_m - last.totals.distance_m)
    }
}

/// Totals of `year` on `date` (or its last recorded day before), if the
/// record of that year has started by then.
fn to_date(days: &[YearDay], date: NaiveDate) -> Option<ToDate> {
    let of_year: Vec<&YearDay> = days.iter().filter(|d| d.year() == date.year()).collect();
    let from = of_year.first()?.date;
    let totals = **of_year.iter().rev().find(|d| d.date <= date)?;
    Some(ToDate { from, totals })
}

/// This year against last year at the data's last day.
pub fn compare(days: &[YearDay]) -> Option<Comparison> {
    let as_of = days.last()?.date;
    let last_date = same_day_a_year_before(as_of);
    let year_end = NaiveDate::from_ymd_opt(last_date.year(), 12, 31)?;
    Some(Comparison {
        as_of,
        this_year: to_date(days, as_of)?,
        last_year: to_date(days, last_date),
        last_year_whole: to_date(days, year_end),
    })
}

/// A quarter of the calendar year. Quarters, not seasons: they never cross
/// a new year and mean the same in both hemispheres.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Quarter(pub u32);

impl Quarter {
    pub fn of(d: NaiveDate) -> Quarter {
        Quarter(d.month0() / 3 + 1)
    }

    pub fn label(self) -> &'static str {
        ["Jan-Mar", "Apr-Jun", "Jul-Sep", "Oct-Dec"][(self.0.clamp(1, 4) - 1) as usize]
    }
}

/// The level of pace at the target HR in one quarter of one year.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SeasonLevel {
    pub year: i32,
    pub quarter: Quarter,
    pub level: Level,
}

/// Each quarter's level, for quarters with at least `MIN_RUNS` confident
/// runs; the history's run-to-run noise sets the scale, as for every trend.
pub fn season_levels(trend_runs: &[Pace]) -> Vec<SeasonLevel> {
    let Some(sd) = level::noise_sd(trend_runs) else { return Vec::new() };
    let mut groups: std::collections::BTreeMap<(i32, Quarter), Vec<f64>> = std::collections::BTreeMap::new();
    for (day, pace) in trend_runs {
        groups.entry((day.year(), Quarter::of(*day))).or_default().push(*pace);
    }
    groups
        .into_iter()
        .filter(|(_, v)| v.len() >= MIN_RUNS)
        .filter_map(|((year, quarter), v)| Some(SeasonLevel { year, quarter, level: level::level_of(&v, sd)? }))
        .collect()
}

/// A quarter against the same quarter a year earlier.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SeasonChange {
    pub now: SeasonLevel,
    pub before: SeasonLevel,
    /// Positive: faster at the same heart rate than a year before (s/km).
    pub faster_s_per_km: f64,
    /// Two standard errors of that difference (about 95 %).
    pub uncertainty_s_per_km: f64,
}

impl SeasonChange {
    /// The change is larger than its uncertainty.
    pub fn clear(&self) -> bool {
        self.faster_s_per_km.abs() > self.uncertainty_s_per_km
    }
}

/// The latest quarter with a level against the same quarter of the year
/// before, when both have one.
pub fn latest_season_change(levels: &[SeasonLevel]) -> Option<SeasonChange> {
    let now = *levels.last()?;
    let before = *levels.iter().find(|l| l.year == now.year - 1 && l.quarter == now.quarter)?;
    let se = now.level.se_s_per_km.hypot(before.level.se_s_per_km);
    Some(SeasonChange {
        now,
        before,
        faster_s_per_km: before.level.pace_s_per_km - now.level.pace_s_per_km,
        uncertainty_s_per_km: level::BAND_SE * se,
    })
}

/// Everything year over year, for the tables, the chart and the report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Progression {
    pub days: Vec<YearDay>,
    pub comparison: Option<Comparison>,
    pub seasons: Vec<SeasonLevel>,
}

pub fn progression(entries: &[Entry], trend_runs: &[Pace]) -> Progression {
    let Some(last_day) = entries.iter().map(|e| e.day).max() else { return Progression::default() };
    let days = running_totals(entries, last_day);
    Progression { comparison: compare(&days), seasons: season_levels(trend_runs), days }
}

#[cfg(test)]
#[path = "progression_tests.rs"]
mod tests;
