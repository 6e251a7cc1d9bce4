//! Fitness, fatigue and form per local day from the daily load, with the
//! ramp rate, the acute:chronic ratio and Foster's monotony and strain.
//!
//! Fitness and fatigue are exponentially weighted daily load with decay
//! e^(-1/42) and e^(-1/7) (the `GoldenCheetah` / intervals.icu convention;
//! Runalyze's 2/(N+1) weights react about twice as fast). Form is fitness
//! minus fatigue of the day before; ramp is fitness today minus 7 days ago.
//! Both averages start from the mean daily load of the first 28 days, as if
//! the history began in steady training: starting from zero would show a
//! steep ramp at the start of every history.
//!
//! ACWR: the coupled ratio (mean daily load of the last 7 days over that of
//! the last 28, the 7 included) in `acwr`, and the EWMA ratio (Williams et
//! al. 2017: weights 2/(7+1) and 2/(28+1)) in `acwr_ewma`. Both are left
//! empty while chronic load is below [`acwr_floor`]: a ratio over almost
//! nothing (after a layoff, at the start) explodes or means nothing, and the
//! comeback is judged by ramp and weekly volume instead (`comeback`).

use chrono::{Duration, NaiveDate};

use crate::stats::median;

pub const FITNESS_DAYS: f64 = 42.0;
pub const FATIGUE_DAYS: f64 = 7.0;
const SEED_DAYS: usize = 28;
const ACUTE_DAYS: usize = 7;
const CHRONIC_DAYS: usize = 28;
/// Chronic load (mean per day) below which no ratio is given: at least this...
pub const ACWR_FLOOR_MIN: f64 = 10.0;
/// ...and at least this share of the athlete's typical chronic load.
pub const ACWR_FLOOR_SHARE: f64 = 0.3;
/// Seven identical days have no spread: monotony is capped here.
pub const MONOTONY_CAP: f64 = 10.0;

/// One local day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Day {
    pub date: NaiveDate,
    pub load: f64,
    pub fitness: f64,
    pub fatigue: f64,
    pub form: f64,
    /// Fitness change over the last 7 days.
    pub ramp: Option<f64>,
    pub acwr: Option<f64>,
    pub acwr_ewma: Option<f64>,
    /// Mean / sd of daily load over the last 7 days (Foster).
    pub monotony: Option<f64>,
    /// Load of the last 7 days x monotony.
    pub strain: Option<f64>,
}

/// Every day from the first load's day to the last, loads summed per day.
/// `loads` need not be sorted. Returns the days and the ACWR floor used.
pub fn daily(loads: &[(NaiveDate, f64)]) -> (Vec<Day>, f64) {
    let (Some(first), Some(last)) = (loads.iter().map(|l| l.0).min(), loads.iter().map(|l| l.0).max()) else {
        return (Vec::new(), ACWR_FLOOR_MIN);
    };
    let n = usize::try_from((last - first).num_days()).unwrap_or(0) + 1;
    let mut load = vec![0.0; n];
    for &(d, l) in loads {
        load[usize::try_from((d - first).num_days()).unwrap_or(0)] += l;
    }
    let seed = load[..n.min(SEED_DAYS)].iter().sum::<f64>() / n.min(SEED_DAYS) as f64;
    let fitness = ewma(&load, 1.0 - (-1.0 / FITNESS_DAYS).exp(), seed);
    let fatigue = ewma(&load, 1.0 - (-1.0 / FATIGUE_DAYS).exp(), seed);
    let acute_ewma = ewma(&load, 2.0 / (ACUTE_DAYS as f64 + 1.0), seed);
    let chronic_ewma = ewma(&load, 2.0 / (CHRONIC_DAYS as f64 + 1.0), seed);
    let mean_of =
        |i: usize, days: usize| (i + 1 >= days).then(|| load[i + 1 - days..=i].iter().sum::<f64>() / days as f64);
    let chronic: Vec<Option<f64>> = (0..n).map(|i| mean_of(i, CHRONIC_DAYS)).collect();
    let floor = acwr_floor(&chronic);
    let days = (0..n)
        .map(|i| {
            let ratio = |acute: f64, chronic: f64| (chronic >= floor).then(|| acute / chronic);
            let (monotony, strain) = monotony(&load, i);
            Day {
                date: first + Duration::days(i64::try_from(i).unwrap_or(0)),
                load: load[i],
                fitness: fitness[i],
                fatigue: fatigue[i],
                form: if i == 0 { 0.0 } else { fitness[i - 1] - fatigue[i - 1] },
                ramp: (i >= 7).then(|| fitness[i] - fitness[i - 7]),
                acwr: chronic[i].and_then(|c| ratio(mean_of(i, ACUTE_DAYS)?, c)),
                acwr_ewma: chronic[i].and_then(|_| ratio(acute_ewma[i], chronic_ewma[i])),
                monotony,
                strain,
            }
        })
        .collect();
    (days, floor)
}

/// `x_t = x_(t-1) + alpha (load_t - x_(t-1))`, from `seed`.
fn ewma(load: &[f64], alpha: f64, seed: f64) -> Vec<f64> {
    let mut x = seed;
    load.iter()
        .map(|l| {
            x += alpha * (l - x);
            x
        })
        .collect()
}

/// The larger of the fixed minimum and a share of the median chronic load
/// over the days that had one.
fn acwr_floor(chronic: &[Option<f64>]) -> f64 {
    let mut trained: Vec<f64> = chronic.iter().flatten().copied().filter(|c| *c > 0.0).collect();
    median(&mut trained).map_or(ACWR_FLOOR_MIN, |m| (ACWR_FLOOR_SHARE * m).max(ACWR_FLOOR_MIN))
}

/// Foster's monotony and strain of the 7 days ending on day `i`.
fn monotony(load: &[f64], i: usize) -> (Option<f64>, Option<f64>) {
    if i + 1 < ACUTE_DAYS {
        return (None, None);
    }
    let week = &load[i + 1 - ACUTE_DAYS..=i];
    let Some((mean, sd)) = crate::stats::mean_sd(week) else { return (None, None) };
    if mean <= 0.0 {
        return (None, None);
    }
    let monotony = if sd > 0.0 { (mean / sd).min(MONOTONY_CAP) } else { MONOTONY_CAP };
    (Some(monotony), Some(week.iter().sum::<f64>() * monotony))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(i: i64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, 2).unwrap() + Duration::days(i)
    }

    #[test]
    fn averages_form_and_ramp_by_hand() {
        // 28 days of 50 every other day (seed 25), then 100 on day 28, then rest.
        let mut loads: Vec<(NaiveDate, f64)> = (0..28).step_by(2).map(|i| (day(i), 50.0)).collect();
        loads.push((day(28), 100.0));
        loads.push((day(35), 0.0));
        let (days, _) = daily(&loads);
        assert_eq!(days.len(), 36);
        let (a42, a7) = (1.0 - (-1.0f64 / 42.0).exp(), 1.0 - (-1.0f64 / 7.0).exp());
        // Day 0: 25 + a (50 - 25).
        assert!((days[0].fitness - (25.0 + a42 * 25.0)).abs() < 1e-12);
        assert!((days[0].fatigue - (25.0 + a7 * 25.0)).abs() < 1e-12);
        // Day 1 (rest): x0 (1 - a); form of day 1 is fitness - fatigue of day 0.
        assert!((days[1].fitness - days[0].fitness * (1.0 - a42)).abs() < 1e-12);
        assert!((days[1].form - (days[0].fitness - days[0].fatigue)).abs() < 1e-12);
        assert!(days[0].form.abs() < 1e-12);
        // Day 28: fitness_27 + a42 (100 - fitness_27); ramp against day 21.
        let f27 = days[27].fitness;
        assert!((days[28].fitness - (f27 + a42 * (100.0 - f27))).abs() < 1e-12);
        assert!((days[28].ramp.unwrap() - (days[28].fitness - days[21].fitness)).abs() < 1e-12);
        assert!(days[6].ramp.is_none() && days[7].ramp.is_some());
    }

    #[test]
    fn acwr_by_hand_and_suppressed_under_the_floor() {
        // 28 days of 40 a day, then a 7-day week of 80 a day.
        let loads: Vec<(NaiveDate, f64)> = (0..35).map(|i| (day(i), if i < 28 { 40.0 } else { 80.0 })).collect();
        let (days, floor) = daily(&loads);
        assert!(days[26].acwr.is_none(), "no ratio before 28 days");
        assert!((days[27].acwr.unwrap() - 1.0).abs() < 1e-12);
        // Day 34: acute 80; chronic (21 x 40 + 7 x 80) / 28 = 50: ratio 1.6.
        assert!((days[34].acwr.unwrap() - 1.6).abs() < 1e-12);
        // Day 30: acute (4 x 40 + 3 x 80) / 7 = 57.14; chronic (25 x 40 + 3 x 80) / 28 = 44.29.
        assert!((days[30].acwr.unwrap() - (400.0 / 7.0) / (1240.0 / 28.0)).abs() < 1e-12);
        // Chronic runs 40, 41.43, ... 50 over days 27-34: median 45, floor 0.3 x 45.
        assert!((floor - 13.5).abs() < 1e-9, "{floor}");
        assert!(days[34].acwr_ewma.unwrap() > 1.0);
        // Five weeks off, then a 60: chronic 60/28 = 2.1 < floor: no ratio.
        let mut back = loads.clone();
        back.push((day(70), 60.0));
        let (days, _) = daily(&back);
        assert!(days[70].acwr.is_none() && days[70].acwr_ewma.is_none(), "{:?}", days[70]);
        assert!(days[34].acwr.is_some(), "the floor stays below the usual load");
    }

    #[test]
    fn monotony_and_strain_by_hand() {
        // 7 days: 60, 0, 60, 0, 60, 0, 60: mean 34.29, sd 29.69: 1.155.
        let loads: Vec<(NaiveDate, f64)> = (0..7).map(|i| (day(i), if i % 2 == 0 { 60.0 } else { 0.0 })).collect();
        let (days, _) = daily(&loads);
        let m = days[6].monotony.unwrap();
        assert!((m - (4.0f64 / 3.0).sqrt()).abs() < 1e-12, "{m}");
        assert!((days[6].strain.unwrap() - 240.0 * m).abs() < 1e-9);
        // The same load every day has no spread: capped.
        let same: Vec<(NaiveDate, f64)> = (0..7).map(|i| (day(i), 50.0)).collect();
        assert!((daily(&same).0[6].monotony.unwrap() - MONOTONY_CAP).abs() < 1e-12);
    }
}
