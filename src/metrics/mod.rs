//! The metrics stage: thresholds with provenance, time in zones, pace at a
//! fixed heart rate per run and its trend, sessions, routes, the weekly
//! table. Per-run kernels ran in the parallel stage (`features`); here they
//! meet across the whole history. The output tables are built from these
//! results later (`tables`).

pub mod comeback;
pub mod consistency;
pub mod critical_speed;
pub mod efforts;
pub mod fitness;
pub mod gray_zone;
pub mod habits;
pub mod heat;
pub mod level;
pub mod load;
pub mod names;
pub mod overload;
pub mod pace_at_hr;
pub mod phases;
pub mod predictions;
pub mod progression;
pub mod recovery;
pub mod routes;
pub mod sessions;
pub mod slump;
pub mod target_hr;
pub mod thresholds;
pub mod training;
pub mod trend;
pub mod weekly;
pub mod zones;

use crate::features::Analyzed;
use crate::features::kernel::{self, Settings as PaceSettings};
use gray_zone::Verdict;
use sessions::SessionType;
use thresholds::{Effort, History, Known, Thresholds};
pub use trend::Trend;

/// Configured values for the metrics (flags or runlens.toml, DESIGN.md defaults).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settings {
    pub flags: Known,
    pub target_hr_bpm: Option<f64>,
    pub pace: PaceSettings,
    /// Drifting more than this (percent) makes a run's pace at HR low-confidence.
    pub max_decoupling_pct: f64,
    /// Runs per week that count towards a streak.
    pub weekly_target: u32,
    /// Picks Banister's TRIMP constant (`sex = "female"`: 1.67).
    pub sex: load::Sex,
}

impl Settings {
    pub fn with_defaults() -> Settings {
        Settings { max_decoupling_pct: 5.0, weekly_target: 3, ..Settings::default() }
    }
}

/// Per-activity results, aligned with the kept activities.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct RunMetrics {
    pub pace_at_hr_s_per_km: Option<f64>,
    /// One standard error of that value.
    pub pace_at_hr_uncertainty_s_per_km: Option<f64>,
    /// Why a run with heart rate has no pace at the target HR.
    pub pace_at_hr_note: Option<pace_at_hr::NoValue>,
    pub decoupling_pct: Option<f64>,
    pub low_confidence: bool,
    pub z1_s: Option<f64>,
    pub z2_s: Option<f64>,
    pub z3_s: Option<f64>,
    pub z2_share_after_warmup: Option<f64>,
    /// The same share counted from LT1 plus its uncertainty: what is gray
    /// even if the LT1 estimate is too low.
    pub z2_share_clear_of_lt1_band: Option<f64>,
    pub median_hr_bpm: Option<f64>,
    /// Runs only.
    pub session_type: Option<SessionType>,
    /// Runs with heart rate only.
    pub gray_zone: Option<Verdict>,
    /// Index into `Metrics::routes`; outdoor runs with GPS only.
    pub route: Option<usize>,
    /// Training load (any sport with heart rate; runs by pace without).
    pub load: Option<load::RunLoad>,
}

#[derive(Debug, Clone, Default)]
pub struct Metrics {
    pub thresholds: Option<Thresholds>,
    pub target_hr_bpm: Option<f64>,
    /// The target with how it was chosen.
    pub target_hr: Option<target_hr::Target>,
    pub runs: Vec<RunMetrics>,
    pub trend: Option<Trend>,
    /// Why there is no `trend`, when there is none.
    pub no_trend: Option<trend::NoTrend>,
    /// One row per ISO week from the first run to the last.
    pub weekly: Vec<weekly::Week>,
    pub layoffs: Vec<consistency::Layoff>,
    pub weekly_target: u32,
    pub routes: Vec<routes::Route>,
    /// Consecutive weeks flagged as a rut: (first week start, last week start).
    pub rut_windows: Vec<(chrono::NaiveDate, chrono::NaiveDate)>,
    pub slumps: Vec<slump::Slump>,
    /// What heat costs pace at HR, learned from the runs with a temperature.
    pub heat: Option<heat::Heat>,
    pub habits: Option<habits::Habits>,
    pub training: training::Training,
    /// Year over year: running totals from 1 January and quarterly levels.
    pub progression: progression::Progression,
    /// Heart-rate recovery, recent against before; `None` without enough readings.
    pub recovery: Option<recovery::RecoveryTrend>,
    /// Records, pace curves, critical speed and race predictions.
    pub efforts: efforts::Efforts,
}

pub fn compute(items: &[Analyzed], settings: &Settings) -> Metrics {
    let history = history(items);
    let thresholds = thresholds::resolve(&settings.flags, &watch_thresholds(items), &history);
    let target_hr = choose_target(items, settings, thresholds.as_ref());
    let target = target_hr.map(|t| t.bpm);
    let slope = target.and_then(|t| pace_at_hr::history_slope(hr_runs(items).map(|a| a.kernel.windows.as_slice()), t));
    let mut runs = vec![RunMetrics::default(); items.len()];
    if let Some(t) = thresholds {
        fill_zones(&mut runs, items, &t);
    }
    for (run, item) in runs.iter_mut().zip(items) {
        run.decoupling_pct = item.kernel.decoupling_pct;
        run.median_hr_bpm = item.kernel.median_hr_bpm;
        run.low_confidence = run.decoupling_pct.is_some_and(|d| d.abs() > settings.max_decoupling_pct);
        if let (Some(target), true, true) = (target, item.counts_as_run, item.summary.avg_hr_bpm.is_some()) {
            match pace_at_hr::speed_at_hr(&item.kernel, target, &settings.pace, slope) {
                Ok(at) => {
                    run.pace_at_hr_s_per_km = Some(at.pace_s_per_km());
                    run.pace_at_hr_uncertainty_s_per_km = Some(at.uncertainty_s_per_km);
                }
                Err(why) => run.pace_at_hr_note = Some(why),
            }
        }
    }
    // A value much less sure than the athlete's usual is shaky too.
    if let Some(shaky) = pace_at_hr::shaky_above_s_per_km(runs.iter().filter_map(|r| r.pace_at_hr_uncertainty_s_per_km))
    {
        for run in runs.iter_mut().filter(|r| r.pace_at_hr_uncertainty_s_per_km.is_some_and(|u| u > shaky)) {
            run.low_confidence = true;
        }
    }
    let heat = heat::correct(items, &mut runs);
    classify_sessions(items, &mut runs, thresholds.as_ref());
    let trend_runs = level::trend_runs(items, &runs);
    let trend = trend::trend(&trend_runs);
    let signatures: Vec<_> = items.iter().map(|a| a.route.as_ref().filter(|_| a.counts_as_run)).collect();
    let (route_of, routes) = routes::cluster(&signatures);
    for (run, route) in runs.iter_mut().zip(route_of) {
        run.route = route;
    }
    let mut weekly = consistency::weekly_table(items, &runs, &routes, settings.weekly_target);
    let rut_windows = consistency::rut_windows(&weekly);
    let layoffs = consistency::layoffs(items);
    let slumps = slump::slumps(&trend_runs);
    let inputs = training::Inputs {
        items,
        thresholds: thresholds.as_ref(),
        sex: settings.sex,
        weekly: &weekly,
        layoffs: &layoffs,
    };
    let training = training::training(&inputs, &mut runs);
    training::add_weekly_load(&mut weekly, &training.days);
    let progression = progression::progression(&progression_entries(items, &runs), &trend_runs);
    let efforts = efforts::efforts(items, &runs);
    Metrics {
        thresholds,
        target_hr_bpm: target,
        target_hr,
        runs,
        no_trend: trend.err(),
        trend: trend.ok(),
        weekly,
        layoffs,
        weekly_target: settings.weekly_target,
        routes,
        rut_windows,
        slumps,
        heat,
        habits: habits::habits(items),
        training,
        progression,
        recovery: recovery::trend(items),
        efforts,
    }
}

/// Each activity's local day, distance and time (runs) and load (any sport).
fn progression_entries(items: &[Analyzed], runs: &[RunMetrics]) -> Vec<progression::Entry> {
    items
        .iter()
        .zip(runs)
        .map(|(a, r)| progression::Entry {
            day: a.local_day(),
            run: a.counts_as_run,
            distance_m: a.summary.distance_m.unwrap_or(0.0),
            moving_time_s: a.summary.moving_time_s,
            load: r.load.map_or(0.0, |l| l.load),
        })
        .collect()
}

/// Runs with heart rate: those pace at HR is read for.
fn hr_runs(items: &[Analyzed]) -> impl Iterator<Item = &Analyzed> {
    items.iter().filter(|a| a.counts_as_run && a.summary.avg_hr_bpm.is_some())
}

/// The flag's target, else the one the history's runs hold, else from LT1.
fn choose_target(items: &[Analyzed], s: &Settings, t: Option<&Thresholds>) -> Option<target_hr::Target> {
    let windows: Vec<&[kernel::Window]> = hr_runs(items).map(|a| a.kernel.windows.as_slice()).collect();
    target_hr::choose(s.target_hr_bpm, &windows, &s.pace, t.map(|t| t.lt1.bpm))
}

const TRAILING_MS: i64 = 56 * 86_400_000;
const MIN_TRAILING_RUNS: usize = 4;

/// Session type of every run, and the gray-zone verdict of easy and long ones.
fn classify_sessions(items: &[Analyzed], runs: &mut [RunMetrics], t: Option<&Thresholds>) {
    let mut run_starts: Vec<(i64, f64)> =
        items.iter().filter(|a| a.counts_as_run).map(|a| (a.activity.meta.start_ms, a.summary.duration_s)).collect();
    // By start, so each run finds the ones before it by binary search.
    run_starts.sort_by_key(|r| r.0);
    for (item, run) in items.iter().zip(runs.iter_mut()) {
        if !item.counts_as_run {
            continue;
        }
        let start = item.activity.meta.start_ms;
        let from = run_starts.partition_point(|r| r.0 < start - TRAILING_MS);
        let to = run_starts.partition_point(|r| r.0 < start);
        let mut trailing: Vec<f64> = run_starts[from..to.max(from)].iter().map(|r| r.1).collect();
        let evidence = sessions::Evidence {
            name: item.activity.meta.name.as_deref(),
            duration_s: item.summary.duration_s,
            best_20min_hr_bpm: item.kernel.best_20min_hr_bpm,
            // Time above LTHR that a sensor artifact cannot make up.
            z3_s: t.and_then(|t| sessions::plausible_seconds_above(&item.hr_seconds, &item.kernel, t.lthr.bpm)),
            hr_s: run.z1_s.unwrap_or(0.0) + run.z2_s.unwrap_or(0.0) + run.z3_s.unwrap_or(0.0),
            intervals: item.kernel.intervals,
            trailing_median_s: if trailing.len() >= MIN_TRAILING_RUNS {
                crate::stats::median(&mut trailing)
            } else {
                None
            },
        };
        let session = sessions::classify(&evidence, t.map(|t| (t.lt1.bpm, t.lthr.bpm)));
        run.session_type = Some(session);
        run.gray_zone = t.and_then(|t| {
            let shares = (run.z2_share_after_warmup, run.z2_share_clear_of_lt1_band);
            gray_zone::verdict(session, shares, run.median_hr_bpm, (t.lt1.bpm, t.lt1.uncertainty_bpm))
        });
    }
}

/// The most recent values any file carried (a watch's settings change over time).
fn watch_thresholds(items: &[Analyzed]) -> Known {
    let latest = |f: &dyn Fn(&Analyzed) -> Option<f64>| items.iter().rev().find_map(f);
    Known {
        max_hr_bpm: latest(&|a| a.activity.meta.thresholds.max_hr_bpm),
        lthr_bpm: latest(&|a| a.activity.meta.thresholds.lthr_bpm),
        lt1_bpm: None,
        resting_hr_bpm: latest(&|a| a.activity.meta.thresholds.resting_hr_bpm),
    }
}

fn fill_zones(runs: &mut [RunMetrics], items: &[Analyzed], t: &Thresholds) {
    // LT1 raised by its uncertainty, kept below LTHR.
    let lt1_high = (t.lt1.bpm + t.lt1.uncertainty_bpm).min(t.lthr.bpm);
    for (run, item) in runs.iter_mut().zip(items) {
        if let Some(z) = zones::zone_seconds(&item.hr_seconds, t.lt1.bpm, t.lthr.bpm) {
            (run.z1_s, run.z2_s, run.z3_s) = (Some(z.z1_s), Some(z.z2_s), Some(z.z3_s));
            run.z2_share_after_warmup = z.z2_share_after_warmup;
            run.z2_share_clear_of_lt1_band = if lt1_high > t.lt1.bpm {
                zones::zone_seconds(&item.hr_seconds, lt1_high, t.lthr.bpm).and_then(|z| z.z2_share_after_warmup)
            } else {
                z.z2_share_after_warmup
            };
        }
    }
}

/// Every run's best efforts, for the threshold estimates.
fn history(items: &[Analyzed]) -> History {
    let efforts = items
        .iter()
        .filter(|a| a.counts_as_run)
        .filter_map(|a| {
            let k = &a.kernel;
            Some(Effort { best_30s_hr_bpm: k.best_30s_hr_bpm?, best_20min_hr_bpm: k.best_20min_hr_bpm })
        })
        .collect();
    History { efforts }
}
