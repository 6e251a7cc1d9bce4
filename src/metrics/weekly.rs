//! The weekly table: volume, intensity distribution and the gray share per
//! ISO week (Monday, in the athlete's local time), summed over the
//! activities, with empty weeks kept so layoffs show.

use chrono::{Datelike, Duration, NaiveDate};
use std::collections::BTreeMap;

use crate::ingest::Analyzed;
use crate::metrics::RunMetrics;

pub mod col {
    pub const WEEK_START: &str = "week_start";
    pub const RUNS: &str = "runs";
    pub const DISTANCE_M: &str = "distance_m";
    pub const MOVING_TIME_S: &str = "moving_time_s";
    pub const Z1_S: &str = "z1_s";
    pub const Z2_S: &str = "z2_s";
    pub const Z3_S: &str = "z3_s";
    pub const EASY_RUNS: &str = "easy_runs";
    pub const GRAY_EASY_RUNS: &str = "gray_easy_runs";
    pub const PACE_AT_HR_S_PER_KM: &str = "pace_at_hr_s_per_km";
    pub const STREAK_WEEKS: &str = "streak_weeks";
    pub const DISTINCT_ROUTES: &str = "distinct_routes";
    pub const TOP3_SHARE: &str = "top3_share";
    pub const EFFECTIVE_ROUTES: &str = "effective_routes";
    pub const NEW_ROUTE_SHARE: &str = "new_route_share";
    pub const RUT: &str = "rut";
}

/// The Monday of the run's week, in local time where the file says it.
pub fn week_start(a: &Analyzed) -> NaiveDate {
    let day = super::consistency::local_day(a);
    day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

pub(super) fn days_since_epoch(d: NaiveDate) -> i32 {
    i32::try_from((d - NaiveDate::default()).num_days()).unwrap_or(i32::MAX)
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
}

/// Weekly sums keyed by the week's Monday (days since 1970-01-01), one entry
/// per week that had a run. Missing values add nothing.
pub fn weekly_sums(items: &[Analyzed], runs: &[RunMetrics]) -> BTreeMap<i32, WeekSums> {
    let mut weeks: BTreeMap<i32, WeekSums> = BTreeMap::new();
    for (a, r) in items.iter().zip(runs).filter(|(a, _)| a.counts_as_run) {
        let w = weeks.entry(days_since_epoch(week_start(a))).or_default();
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
