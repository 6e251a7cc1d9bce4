//! Training load across the history, in one place: per-run load, the daily
//! series (fitness, fatigue, form, ramp, ACWR, monotony), the comebacks
//! after layoffs, training phases, same-load streaks and the burnout cue.
//! Runs after sessions, zones, pace at HR and layoffs, whose results it reads.

use chrono::NaiveDate;

use super::RunMetrics;
use super::comeback::{self, Comeback};
use super::consistency::Layoff;
use super::fitness::{self, Day};
use super::load::{self, Model, Sex};
use super::overload::{self, Burnout};
use super::phases::{self, Phase, WeekLoad};
use super::sessions::SessionType;
use super::thresholds::Thresholds;
use super::weekly::Week;
use crate::features::Analyzed;

#[derive(Debug, Clone, Default)]
pub struct Training {
    pub model: Option<Model>,
    /// Every local day from the first activity with a load to the last.
    pub days: Vec<Day>,
    /// Chronic load under which no ACWR is given.
    pub acwr_floor: f64,
    pub comebacks: Vec<Comeback>,
    pub phases: Vec<Phase>,
    pub same_load_streaks: Vec<(NaiveDate, NaiveDate)>,
    pub burnout: Vec<Burnout>,
}

/// What the training load reads from the rest of the metrics.
pub struct Inputs<'a> {
    pub items: &'a [Analyzed],
    pub thresholds: Option<&'a Thresholds>,
    pub sex: Sex,
    pub weekly: &'a [Week],
    pub layoffs: &'a [Layoff],
}

/// Fill each run's load in `runs` and compute the rest.
pub fn training(i: &Inputs<'_>, runs: &mut [RunMetrics]) -> Training {
    let model = load::model(i.items, i.thresholds, i.sex);
    for (run, l) in runs.iter_mut().zip(load::run_loads(i.items, &model)) {
        run.load = l;
    }
    let loads: Vec<(NaiveDate, f64)> =
        i.items.iter().zip(runs.iter()).filter_map(|(a, r)| Some((a.local_day(), r.load?.load))).collect();
    let (days, acwr_floor) = fitness::daily(&loads);
    let mut distances: Vec<(NaiveDate, f64)> = i
        .items
        .iter()
        .filter(|a| a.counts_as_run)
        .map(|a| (a.local_day(), a.summary.distance_m.unwrap_or(0.0)))
        .collect();
    distances.sort_by_key(|d| d.0);
    let mut paces: Vec<(NaiveDate, f64)> = i
        .items
        .iter()
        .zip(runs.iter())
        .filter(|(_, r)| !r.low_confidence)
        .filter_map(|(a, r)| Some((a.local_day(), r.pace_at_hr_s_per_km?)))
        .collect();
    paces.sort_by_key(|p| p.0);
    Training {
        model: Some(model),
        comebacks: comeback::comebacks(i.layoffs, &days, &distances),
        phases: phases::phases(&week_loads(&days, i.weekly), &races(i.items, runs)),
        same_load_streaks: overload::same_load_streaks(&days),
        burnout: overload::burnout(&days, &paces),
        days,
        acwr_floor,
    }
}

fn races(items: &[Analyzed], runs: &[RunMetrics]) -> Vec<NaiveDate> {
    items
        .iter()
        .zip(runs)
        .filter(|(_, r)| r.session_type == Some(SessionType::Race))
        .map(|(a, _)| a.local_day())
        .collect()
}

/// Each week's load (all activities) into the weekly table.
pub fn add_weekly_load(weekly: &mut [Week], days: &[Day]) {
    for w in weekly {
        let end = w.start + chrono::Duration::days(7);
        w.sums.load = super::consistency::days_before(days, end, 7, |d| d.date).iter().map(|d| d.load).sum();
    }
}

/// Each week of the weekly table with its load (from the daily series) and
/// its share of heart-rate time in Z3.
fn week_loads(days: &[Day], weekly: &[Week]) -> Vec<WeekLoad> {
    weekly
        .iter()
        .map(|w| {
            let end = w.start + chrono::Duration::days(7);
            let load = super::consistency::days_before(days, end, 7, |d| d.date).iter().map(|d| d.load).sum();
            let hr_s = w.sums.z1_s + w.sums.z2_s + w.sums.z3_s;
            WeekLoad { start: w.start, load, z3_share: (hr_s > 0.0).then(|| w.sums.z3_s / hr_s) }
        })
        .collect()
}
