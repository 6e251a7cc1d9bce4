//! Best efforts across the history: personal records and the day each one
//! fell, the mean-maximal pace curve per season (the last 12 weeks, the
//! same weeks a year before, each calendar year, all time), critical speed
//! from the recent curve, and race predictions. Each run's efforts were
//! found in the parallel stage (`features::efforts`).

use chrono::{Datelike, Duration, NaiveDate};

use super::RunMetrics;
use super::critical_speed::{CriticalSpeed, NoCriticalSpeed, critical_speed};
use super::predictions::{self, Basis, Predictions};
use crate::features::Analyzed;
use crate::features::efforts::{CURVE_DURATIONS_S, Effort, same_distance};

/// "This season": the 12 weeks up to the last run.
pub const SEASON_DAYS: i64 = 84;
/// Pace at HR around a day: runs this close to it, at least this many.
const PACE_AT_HR_DAYS: i64 = 21;
const PACE_AT_HR_MIN_RUNS: usize = 3;

/// A best effort with its run (index into the kept activities) and day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Record {
    pub run: usize,
    pub day: NaiveDate,
    pub effort: Effort,
}

/// One point of a mean-maximal curve and the run that holds it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CurvePoint {
    pub duration_s: u32,
    pub speed_m_s: f64,
    pub run: usize,
}

/// A season's mean-maximal curve.
#[derive(Debug, Clone, PartialEq)]
pub struct Season {
    pub label: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub curve: Vec<CurvePoint>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Efforts {
    /// Per distance (shortest first), the fastest effort ever.
    pub records: Vec<Record>,
    /// Every effort that was a record when it was run, in time order.
    pub timeline: Vec<Record>,
    pub all_time: Vec<CurvePoint>,
    pub this_season: Option<Season>,
    /// The same 12 weeks a year before this season.
    pub last_season: Option<Season>,
    pub years: Vec<Season>,
    pub critical_speed: Result<CriticalSpeed, NoCriticalSpeed>,
    pub predictions: Predictions,
}

impl Default for Efforts {
    fn default() -> Efforts {
        Efforts {
            records: Vec::new(),
            timeline: Vec::new(),
            all_time: Vec::new(),
            this_season: None,
            last_season: None,
            years: Vec::new(),
            critical_speed: Err(NoCriticalSpeed::TooFewDurations { have: 0 }),
            predictions: Predictions::default(),
        }
    }
}

/// Records, curves, critical speed and predictions of the runs among `items`
/// (in start order), with each run's pace at HR from `runs`.
pub fn efforts(items: &[Analyzed], runs: &[RunMetrics]) -> Efforts {
    let run_days: Vec<(usize, NaiveDate)> =
        items.iter().enumerate().filter(|(_, a)| a.counts_as_run).map(|(i, a)| (i, a.local_day())).collect();
    let Some(&(_, today)) = run_days.last() else { return Efforts::default() };
    let (records, timeline) = records(items, &run_days);
    let season = |label: &str, to: NaiveDate| {
        let from = to - Duration::days(SEASON_DAYS - 1);
        let curve = curve(items, run_days.iter().filter(|(_, d)| (from..=to).contains(d)));
        (!curve.is_empty()).then(|| Season { label: label.to_owned(), from, to, curve })
    };
    let this_season = season("last 12 weeks", today);
    let last_season = season("a year before", today - Duration::days(364));
    let years = years(items, &run_days);
    let recent_curve: Vec<(u32, f64)> =
        this_season.iter().flat_map(|s| &s.curve).map(|p| (p.duration_s, p.speed_m_s)).collect();
    let critical_speed = critical_speed(&recent_curve);
    let predictions = predict(items, runs, &run_days, this_season.as_ref().map(|s| s.from));
    Efforts {
        records,
        timeline,
        all_time: curve(items, run_days.iter()),
        this_season,
        last_season,
        years,
        critical_speed,
        predictions,
    }
}

/// The record per distance and every effort that set one, walking the
/// runs in time order.
fn records(items: &[Analyzed], run_days: &[(usize, NaiveDate)]) -> (Vec<Record>, Vec<Record>) {
    let mut best: Vec<Record> = Vec::new();
    let mut timeline = Vec::new();
    for &(run, day) in run_days {
        for &effort in &items[run].kernel.efforts.best {
            let record = Record { run, day, effort };
            match best.iter_mut().find(|r| same_distance(r.effort.distance_m, effort.distance_m)) {
                Some(r) if effort.time_s < r.effort.time_s => *r = record,
                Some(_) => continue,
                None => best.push(record),
            }
            timeline.push(record);
        }
    }
    best.sort_by(|a, b| a.effort.distance_m.total_cmp(&b.effort.distance_m));
    (best, timeline)
}

/// The best mean speed per duration over the runs given.
fn curve<'a>(items: &[Analyzed], runs: impl Iterator<Item = &'a (usize, NaiveDate)>) -> Vec<CurvePoint> {
    let mut out: Vec<CurvePoint> = Vec::new();
    for &(run, _) in runs {
        for &(duration_s, speed_m_s) in &items[run].kernel.efforts.curve {
            match out.iter_mut().find(|p| p.duration_s == duration_s) {
                Some(p) if speed_m_s > p.speed_m_s => *p = CurvePoint { duration_s, speed_m_s, run },
                Some(_) => {}
                None => out.push(CurvePoint { duration_s, speed_m_s, run }),
            }
        }
    }
    out.sort_by_key(|p| p.duration_s);
    debug_assert!(out.iter().all(|p| CURVE_DURATIONS_S.contains(&p.duration_s)));
    out
}

/// One curve per calendar year with runs.
fn years(items: &[Analyzed], run_days: &[(usize, NaiveDate)]) -> Vec<Season> {
    let mut years: Vec<i32> = run_days.iter().map(|(_, d)| d.year()).collect();
    years.dedup();
    years
        .into_iter()
        .filter_map(|year| {
            let (from, to) = (NaiveDate::from_ymd_opt(year, 1, 1)?, NaiveDate::from_ymd_opt(year, 12, 31)?);
            let curve = curve(items, run_days.iter().filter(|(_, d)| d.year() == year));
            (!curve.is_empty()).then(|| Season { label: year.to_string(), from, to, curve })
        })
        .collect()
}

/// The three predictions from this season's bests and every run's.
fn predict(
    items: &[Analyzed],
    runs: &[RunMetrics],
    run_days: &[(usize, NaiveDate)],
    season_from: Option<NaiveDate>,
) -> Predictions {
    let history: Vec<Basis> = run_days
        .iter()
        .flat_map(|&(run, day)| {
            items[run].kernel.efforts.best.iter().map(move |e| Basis {
                distance_m: e.distance_m,
                time_s: e.time_s,
                day,
            })
        })
        .collect();
    let mut recent: Vec<Basis> = Vec::new();
    for b in history.iter().filter(|b| season_from.is_some_and(|from| b.day >= from)) {
        match recent.iter_mut().find(|r| same_distance(r.distance_m, b.distance_m)) {
            Some(r) if b.time_s < r.time_s => *r = *b,
            Some(_) => {}
            None => recent.push(*b),
        }
    }
    let mut paces: Vec<(NaiveDate, f64)> = run_days
        .iter()
        .filter_map(|&(run, day)| {
            let r = &runs[run];
            r.pace_at_hr_s_per_km.filter(|_| !r.low_confidence).map(|p| (day, p))
        })
        .collect();
    // Sorted by day, so each question is two binary searches: it is asked
    // for every best effort, tens of thousands on a long history.
    paces.sort_by_key(|p| p.0);
    let pace_at_hr = |day: NaiveDate| {
        let reach = Duration::days(PACE_AT_HR_DAYS);
        let from = day.checked_sub_signed(reach).map_or(0, |d| paces.partition_point(|p| p.0 < d));
        let to = day.checked_add_signed(reach).map_or(paces.len(), |d| paces.partition_point(|p| p.0 <= d));
        let mut near: Vec<f64> = paces[from..to.max(from)].iter().map(|p| p.1).collect();
        if near.len() < PACE_AT_HR_MIN_RUNS { None } else { crate::stats::median(&mut near) }
    };
    let today = run_days.last().map_or(NaiveDate::MIN, |r| r.1);
    predictions::predict(&predictions::Inputs {
        recent: &recent,
        history: &history,
        pace_at_hr_s_per_km: &pace_at_hr,
        today,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::efforts::Efforts as RunEfforts;

    fn run(day: u32, best: &[(f64, f64)], curve: &[(u32, f64)]) -> Analyzed {
        let mut a =
            crate::features::analyze(crate::parse::Activity::default(), &crate::features::kernel::Settings::default());
        a.counts_as_run = true;
        let d = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + Duration::days(i64::from(day));
        a.activity.meta.start_ms = d.and_hms_opt(8, 0, 0).unwrap().and_utc().timestamp_millis();
        let best = best
            .iter()
            .map(|&(distance_m, time_s)| Effort { distance_m, time_s, gap_time_s: time_s, start_offset_s: 0 })
            .collect();
        a.kernel.efforts = RunEfforts { best, curve: curve.to_vec() };
        a
    }

    #[test]
    fn records_fall_in_time_order_and_curves_keep_each_seasons_best() {
        let items = vec![
            run(0, &[(5000.0, 1300.0)], &[(600, 3.5)]),
            run(10, &[(5000.0, 1350.0), (10_000.0, 2800.0)], &[(600, 3.6)]),
            run(400, &[(5000.0, 1250.0)], &[(600, 3.4)]),
        ];
        let e = efforts(&items, &vec![RunMetrics::default(); 3]);
        let times: Vec<(usize, f64)> = e.timeline.iter().map(|r| (r.run, r.effort.time_s)).collect();
        assert_eq!(times, [(0, 1300.0), (1, 2800.0), (2, 1250.0)]);
        assert_eq!(e.records.iter().map(|r| r.run).collect::<Vec<_>>(), [2, 1]);
        assert_eq!(e.all_time[0].run, 1);
        assert_eq!(e.this_season.as_ref().unwrap().curve[0].run, 2);
        assert_eq!(e.last_season.as_ref().unwrap().curve[0].run, 1);
        assert_eq!(e.years.iter().map(|s| s.label.as_str()).collect::<Vec<_>>(), ["2026", "2027"]);
    }
}
