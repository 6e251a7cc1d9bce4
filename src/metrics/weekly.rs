//! The weekly table: volume, intensity distribution and the gray share per
//! ISO week (Monday, in the athlete's local time), summed over the
//! activities, with empty weeks kept so layoffs show.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::dates;
use crate::features::Analyzed;
use crate::metrics::RunMetrics;
use crate::metrics::routes::Variety;

/// One row of the weekly table: a Monday-to-Sunday week in local time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Week {
    pub start: NaiveDate,
    pub sums: WeekSums,
    /// The rolling level of pace at the target HR at this week's end
    /// (`level::rolling`): none without enough confident runs or in a gap.
    pub pace_at_hr_s_per_km: Option<f64>,
    /// Half-width of the band around it (two standard errors, s/km).
    pub pace_at_hr_band_s_per_km: Option<f64>,
    /// Consecutive weeks up to this one that met the weekly target.
    pub streak_weeks: u32,
    /// Route variety of the 6 weeks ending with this one.
    pub variety: Option<Variety>,
}

impl Week {
    pub fn is_rut(&self) -> bool {
        self.variety.is_some_and(|v| v.is_rut())
    }
}

/// The Monday of the run's week, in local time where the file says it.
pub fn week_start(a: &Analyzed) -> NaiveDate {
    dates::monday(a.local_day())
}

/// What one week's runs add up to.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct WeekSums {
    pub runs: u32,
    pub distance_m: f64,
    pub moving_time_s: f64,
    pub z1_s: f64,
    pub z2_s: f64,
    pub z3_s: f64,
    pub easy_runs: u32,
    pub gray_easy_runs: u32,
    /// Training load of every activity of the week (other sports too).
    pub load: f64,
}

/// Weekly sums keyed by the week's Monday (days since 1970-01-01), one entry
/// per week that had a run. Missing values add nothing.
pub fn weekly_sums(items: &[Analyzed], runs: &[RunMetrics]) -> BTreeMap<i32, WeekSums> {
    let mut weeks: BTreeMap<i32, WeekSums> = BTreeMap::new();
    for (a, r) in items.iter().zip(runs).filter(|(a, _)| a.counts_as_run) {
        let w = weeks.entry(dates::days_since_epoch(week_start(a))).or_default();
        w.runs += 1;
        w.distance_m += a.summary.distance_m.unwrap_or(0.0);
        w.moving_time_s += a.summary.moving_time_s;
        w.z1_s += r.z1_s.unwrap_or(0.0);
        w.z2_s += r.z2_s.unwrap_or(0.0);
        w.z3_s += r.z3_s.unwrap_or(0.0);
        w.easy_runs += u32::from(r.session_type.is_some_and(super::sessions::SessionType::is_easy_or_long));
        w.gray_easy_runs += u32::from(r.gray_zone.is_some_and(super::gray_zone::Verdict::is_gray));
    }
    weeks
}

/// (gray, easy) runs in the last 4 weeks of the weekly table; `None` when
/// there was no easy or long run to judge.
pub fn recent_gray(weekly: &[Week]) -> Option<(u32, u32)> {
    let last = &weekly[weekly.len().saturating_sub(4)..];
    let gray = last.iter().map(|w| w.sums.gray_easy_runs).sum();
    let easy: u32 = last.iter().map(|w| w.sums.easy_runs).sum();
    (easy > 0).then_some((gray, easy))
}
