//! The weekly table: volume, intensity distribution and the gray share per
//! ISO week (Monday, in the athlete's local time), as a polars group-by over
//! the activities, with empty weeks kept so layoffs show.

use chrono::{Datelike, Duration, NaiveDate};
use polars::prelude::*;

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
    const IS_EASY: &str = "is_easy";
    const IS_GRAY: &str = "is_gray";

    pub(super) fn is_easy() -> &'static str {
        IS_EASY
    }
    pub(super) fn is_gray() -> &'static str {
        IS_GRAY
    }
}

/// The Monday of the run's week, in local time where the file says it.
pub fn week_start(a: &Analyzed) -> NaiveDate {
    let day = super::consistency::local_day(a);
    day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

fn days_since_epoch(d: NaiveDate) -> i32 {
    i32::try_from((d - NaiveDate::default()).num_days()).unwrap_or(i32::MAX)
}

/// One row per run, the columns the weekly sums need.
fn runs_frame(items: &[Analyzed], runs: &[RunMetrics]) -> PolarsResult<DataFrame> {
    let rows: Vec<(&Analyzed, &RunMetrics)> = items.iter().zip(runs).filter(|(a, _)| a.counts_as_run).collect();
    let week = Int32Chunked::from_vec(
        col::WEEK_START.into(),
        rows.iter().map(|(a, _)| days_since_epoch(week_start(a))).collect(),
    )
    .into_date()
    .into_column();
    let f = |g: &dyn Fn(&(&Analyzed, &RunMetrics)) -> Option<f64>| rows.iter().map(g).collect::<Vec<_>>();
    DataFrame::new_infer_height(vec![
        week,
        Column::new(col::DISTANCE_M.into(), f(&|(a, _)| a.summary.distance_m)),
        Column::new(col::MOVING_TIME_S.into(), f(&|(a, _)| Some(a.summary.moving_time_s))),
        Column::new(col::Z1_S.into(), f(&|(_, r)| r.z1_s)),
        Column::new(col::Z2_S.into(), f(&|(_, r)| r.z2_s)),
        Column::new(col::Z3_S.into(), f(&|(_, r)| r.z3_s)),
        Column::new(
            col::is_easy().into(),
            rows.iter()
                .map(|(_, r)| r.session_type.is_some_and(super::sessions::SessionType::is_easy_or_long))
                .collect::<Vec<_>>(),
        ),
        Column::new(
            col::is_gray().into(),
            rows.iter().map(|(_, r)| r.gray_zone.is_some_and(super::gray_zone::Verdict::is_gray)).collect::<Vec<_>>(),
        ),
    ])
}

/// Weekly sums, one row per week that had a run, sorted by week.
pub fn weekly_sums(items: &[Analyzed], runs: &[RunMetrics]) -> PolarsResult<DataFrame> {
    runs_frame(items, runs)?
        .lazy()
        .group_by([col(col::WEEK_START)])
        .agg([
            len().cast(DataType::UInt32).alias(col::RUNS),
            col(col::DISTANCE_M).sum(),
            col(col::MOVING_TIME_S).sum(),
            col(col::Z1_S).sum(),
            col(col::Z2_S).sum(),
            col(col::Z3_S).sum(),
            col(col::is_easy()).cast(DataType::UInt32).sum().alias(col::EASY_RUNS),
            col(col::is_gray()).cast(DataType::UInt32).sum().alias(col::GRAY_EASY_RUNS),
        ])
        .sort([col::WEEK_START], SortMultipleOptions::default())
        .collect()
}
