//! Consistency: every ISO week with its runs (empty weeks included), the
//! streak of weeks meeting the weekly target, layoffs (10 days or more
//! without a run) and how steep the comeback was.

use chrono::{Duration, NaiveDate};
use polars::prelude::*;

use super::weekly::{self, col};
use crate::frame::{self, round};
use crate::ingest::Analyzed;
use crate::metrics::RunMetrics;
use crate::metrics::pace_at_hr::median;
use crate::metrics::routes::{self, Route, Variety};

pub const LAYOFF_DAYS: i64 = 10;
/// Below this weekly distance before a layoff there is no "usual volume" to
/// compare the comeback with.
const MIN_BASE_WEEKLY_M: f64 = 5000.0;
const TREND_DAYS: i64 = 28;

/// Days without a run, and the comeback after them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Layoff {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub days: i64,
    /// Distance in the first 7 days back / mean weekly distance of the 4
    /// weeks before (1.0: straight back to the old volume).
    pub comeback_ratio: Option<f64>,
}

/// The entries (sorted by day) in the `days` days before `end`.
pub fn days_before<T>(sorted: &[T], end: NaiveDate, days: i64, day: impl Fn(&T) -> NaiveDate) -> &[T] {
    let from = end - Duration::days(days);
    let a = sorted.partition_point(|x| day(x) < from);
    let b = sorted.partition_point(|x| day(x) < end);
    &sorted[a..b.max(a)]
}

/// The Mondays of the weekly table.
pub fn weeks(weekly: &DataFrame) -> PolarsResult<Vec<NaiveDate>> {
    let weeks = weekly.column(col::WEEK_START)?.date()?.physical().clone();
    Ok(weeks.iter().flatten().map(frame::date_of).collect())
}

/// When the activity started, in the local time the `tz` stage found for it
/// (UTC when nothing told).
pub fn local_start(a: &Analyzed) -> chrono::NaiveDateTime {
    let meta = &a.activity.meta;
    crate::tz::local_time(meta.start_ms, meta.utc_offset_s)
}

/// The day the activity started, in its local time.
pub fn local_day(a: &Analyzed) -> NaiveDate {
    local_start(a).date()
}

pub fn layoffs(items: &[Analyzed]) -> Vec<Layoff> {
    let mut runs: Vec<(NaiveDate, f64)> =
        items.iter().filter(|a| a.counts_as_run).map(|a| (local_day(a), a.summary.distance_m.unwrap_or(0.0))).collect();
    runs.sort_by_key(|r| r.0);
    let volume = |from: NaiveDate, to: NaiveDate| {
        days_before(&runs, to, (to - from).num_days(), |r| r.0).iter().map(|r| r.1).sum::<f64>()
    };
    runs.windows(2)
        .filter_map(|w| {
            let (last, next) = (w[0].0, w[1].0);
            let days = (next - last).num_days() - 1;
            (days >= LAYOFF_DAYS).then(|| {
                let before = volume(last - Duration::days(27), last + Duration::days(1)) / 4.0;
                let after = volume(next, next + Duration::days(7));
                Layoff {
                    start: last + Duration::days(1),
                    end: next - Duration::days(1),
                    days,
                    comeback_ratio: (before >= MIN_BASE_WEEKLY_M).then(|| after / before),
                }
            })
        })
        .collect()
}

/// The weekly table: the weekly sums, every week from the first to the
/// last run, the streak, and the pace-at-HR trend value at each week's end.
pub fn weekly_table(
    items: &[Analyzed],
    runs: &[RunMetrics],
    routes: &[Route],
    weekly_target: u32,
) -> PolarsResult<DataFrame> {
    let by_week = weekly::weekly_sums(items, runs);
    let (Some(&first), Some(&last)) = (by_week.keys().next(), by_week.keys().next_back()) else {
        return empty_table();
    };
    let mut paces: Vec<(NaiveDate, f64)> =
        items.iter().zip(runs).filter_map(|(a, r)| Some((local_day(a), r.pace_at_hr_s_per_km?))).collect();
    let mut on_routes: Vec<(NaiveDate, usize, usize)> =
        items.iter().zip(runs).enumerate().filter_map(|(i, (a, r))| Some((local_day(a), i, r.route?))).collect();
    // Sorted by day, so each week's window is found by binary search rather
    // than a scan of the whole history: linear in weeks plus runs.
    paces.sort_by_key(|p| p.0);
    on_routes.sort_by_key(|r| r.0);
    let first_runs: Vec<usize> = routes.iter().map(|r| r.runs[0]).collect();
    let mut t = Table::default();
    let mut streak = 0u32;
    for w in (first..=last).step_by(7) {
        let sums = by_week.get(&w).copied().unwrap_or_default();
        streak = if sums.runs >= weekly_target { streak + 1 } else { 0 };
        let week_end = frame::date_of(w) + Duration::days(7);
        let mut window: Vec<f64> = days_before(&paces, week_end, TREND_DAYS, |p| p.0).iter().map(|p| p.1).collect();
        t.week.push(w);
        t.runs.push(sums.runs);
        t.distance.push(sums.distance_m);
        t.moving.push(sums.moving_time_s);
        t.z1.push(sums.z1_s);
        t.z2.push(sums.z2_s);
        t.z3.push(sums.z3_s);
        t.easy.push(sums.easy_runs);
        t.gray.push(sums.gray_easy_runs);
        t.pace.push(median(&mut window).map(|p| round(p, 1)));
        t.streak.push(streak);
        let in_window: Vec<(usize, usize)> =
            days_before(&on_routes, week_end, routes::WINDOW_DAYS, |r| r.0).iter().map(|&(_, i, r)| (i, r)).collect();
        t.variety.push(routes::variety(&in_window, &first_runs));
    }
    t.into_frame()
}

#[derive(Default)]
struct Table {
    week: Vec<i32>,
    runs: Vec<u32>,
    distance: Vec<f64>,
    moving: Vec<f64>,
    z1: Vec<f64>,
    z2: Vec<f64>,
    z3: Vec<f64>,
    easy: Vec<u32>,
    gray: Vec<u32>,
    pace: Vec<Option<f64>>,
    streak: Vec<u32>,
    variety: Vec<Option<Variety>>,
}

impl Table {
    fn into_frame(self) -> PolarsResult<DataFrame> {
        let round2 = |v: Vec<f64>| v.into_iter().map(|x| round(x, 2)).collect::<Vec<_>>();
        let variety = |f: &dyn Fn(&Variety) -> f64| {
            self.variety.iter().map(|v| v.as_ref().map(|v| round(f(v), 3))).collect::<Vec<_>>()
        };
        DataFrame::new_infer_height(vec![
            Int32Chunked::from_vec(col::WEEK_START.into(), self.week).into_date().into_column(),
            Column::new(col::RUNS.into(), self.runs),
            Column::new(col::DISTANCE_M.into(), round2(self.distance)),
            Column::new(col::MOVING_TIME_S.into(), round2(self.moving)),
            Column::new(col::Z1_S.into(), self.z1),
            Column::new(col::Z2_S.into(), self.z2),
            Column::new(col::Z3_S.into(), self.z3),
            Column::new(col::EASY_RUNS.into(), self.easy),
            Column::new(col::GRAY_EASY_RUNS.into(), self.gray),
            Column::new(
                col::DISTINCT_ROUTES.into(),
                self.variety
                    .iter()
                    .map(|v| v.map(|v| u32::try_from(v.distinct_routes).unwrap_or(u32::MAX)))
                    .collect::<Vec<_>>(),
            ),
            Column::new(col::TOP3_SHARE.into(), variety(&|v| v.top3_share)),
            Column::new(col::EFFECTIVE_ROUTES.into(), variety(&|v| v.effective_routes)),
            Column::new(col::NEW_ROUTE_SHARE.into(), variety(&|v| v.new_route_share)),
            Column::new(
                col::RUT.into(),
                self.variety.iter().map(|v| v.is_some_and(|v| v.is_rut())).collect::<Vec<_>>(),
            ),
            Column::new(col::PACE_AT_HR_S_PER_KM.into(), self.pace),
            Column::new(col::STREAK_WEEKS.into(), self.streak),
        ])
    }
}

fn empty_table() -> PolarsResult<DataFrame> {
    Table::default().into_frame()
}

/// Consecutive rut weeks as (first, last) week starts.
pub fn rut_windows(weekly: &DataFrame) -> PolarsResult<Vec<(NaiveDate, NaiveDate)>> {
    let weeks = weekly.column(col::WEEK_START)?.date()?.physical().clone();
    let rut = weekly.column(col::RUT)?.bool()?.clone();
    let day = frame::date_of;
    let mut out: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    let mut open: Option<(NaiveDate, NaiveDate)> = None;
    for (w, r) in weeks.iter().zip(rut.iter()) {
        match (w, r) {
            (Some(w), Some(true)) => open = Some(open.map_or((day(w), day(w)), |(a, _)| (a, day(w)))),
            _ => out.extend(open.take()),
        }
    }
    out.extend(open);
    Ok(out)
}
