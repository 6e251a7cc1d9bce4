//! "Are your runs slower even when they should be easy?" Found early: run
//! by run, as the history arrives, a change-point scan asks whether the runs
//! since some recent day (up to six weeks back) are slower at the target
//! heart rate than the athlete's level in the nine weeks before that day:
//! by more than the run-to-run noise allows, by a share a runner would care
//! about in the latest two weeks, and in most of those runs (a step); or
//! along a line from that day that stands out from the noise and has
//! reached that share by the latest run (a slide). The most convincing such day is the
//! slump's onset; the slump lasts while the last two weeks stay slower.
//! Robust throughout (Huber levels, a noise estimate that a trend does not
//! inflate), so one odd run makes no slump; only confident runs count
//! (`level::trend_runs`).

use chrono::{Datelike, Duration, NaiveDate};

use crate::metrics::level::{self, GAP_DAYS, Pace};

/// The level a slump is measured against: the runs of these days before its
/// onset. Nine weeks: long enough for a precise level, and a season of gains
/// leaves it slower than today, never faster.
const BASE_DAYS: i64 = 63;
const MIN_BASE_RUNS: usize = 10;
/// A level spans four weeks, as the rolling level's does (its first run at
/// least this many days before the onset): ten runs of the
/// first three weeks of a history (or since a gap or a slump) are a few
/// good days, and a slow week after them made a slump in one season of
/// steady gains in 50 (noise: a step score of 3.8).
const MIN_BASE_DAYS: i64 = level::WINDOW_DAYS;
/// Onsets are looked for this far back from each new run.
const SCAN_DAYS: i64 = 42;
/// A slump is sustained: at least this many runs over at least this many days.
const MIN_SLUMP_RUNS: usize = 4;
const MIN_SLUMP_DAYS: i64 = 7;
/// Noise alone beats this score about once in several years of four runs a
/// week (see the noise-only test); a real 3 % loss reaches it in weeks.
const Z_ALARM: f64 = 3.6;
/// The same for a slide (a line starting at the onset, see `slide_score`):
/// lower, as a slide's evidence builds over fewer, less slower runs. The
/// bar trades false alarms for an earlier report, so it is the lowest that
/// keeps noise alone well under the goal of one slump a year. Over the
/// unit tests' seeds (noise-only slumps a year; a 3.5 % slide over six
/// weeks at 1.5 % noise: median days, share within 28; the same at 2 %):
/// 3.0: 0.13, 29 d, 50 %; 2.7: 0.29, 26 d, 60 %, 32 d, 42 %; 2.6: 0.38,
/// 25 d, 62 %; 2.5: 0.51, 24 d, 67 %, 29 d, 48 %; 2.45: 0.57, 24 d, 67 %;
/// 2.4: 0.62, 24 d, 70 %; 2.3: 0.74, 23 d, 70 %; 2.1: 1.00 and two slumps
/// in 50 seasons of steady gains. At 2.4 and below the realistic `steady`
/// athlete's noise makes a slump (1.5 % slower, one in its year), so 2.5,
/// which gains nothing on 2.45 at 1.5 % noise and keeps that margin. The
/// slide's size rule (`MIN_SLOWER_PCT` on the line's value at the latest
/// run) is not what holds slides back: at 1.5 % or 1.0 % the figures are
/// the same; nor is the share of slower recent runs (2 in 3: the same).
/// Nor is the noise estimate's doubt: it comes from every pair of
/// neighbouring runs of the history (hundreds), so allowing for its degrees
/// of freedom would raise the bar by a few per cent, reporting later.
const Z_SLIDE: f64 = 2.5;
/// A slide is judged over more days than the recent level: over fewer,
/// the line from the onset is a step by another name, and the step
/// alarm's higher bar judges it (a week of five slow runs in a season of
/// steady gains passed the slide's lower bar).
const MIN_SLIDE_DAYS: i64 = RECENT_DAYS;
/// Statistically real but too small to matter to a runner.
const MIN_SLOWER_PCT: f64 = 2.0;
/// The slump is over once the last two weeks are within this of the level before it.
const END_SLOWER_PCT: f64 = 1.0;
/// The slump's size now, and whether it is over, are judged on these last days.
const RECENT_DAYS: i64 = 14;
const MIN_RECENT_RUNS: usize = 3;
/// The onset CUSUM: runs count in noise units, clipped so one odd run cannot
/// start a slide, less a small allowance so noise keeps returning to zero.
const CUSUM_CLIP: f64 = 2.0;
const CUSUM_ALLOWANCE: f64 = 0.25;
/// A score this far past the alarm is a slump beyond reasonable doubt.
const Z_HIGH: f64 = 5.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Confidence {
    /// Clearly beyond the noise: past doubt.
    High,
    /// Past the alarm, not by much: likely, worth watching.
    Moderate,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::High => "high",
            Confidence::Moderate => "moderate",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Slump {
    /// The estimated onset (the first slower run) and the last run still slower.
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// The run whose data first made the slump certain enough to report.
    pub detected: NaiveDate,
    pub runs: usize,
    pub weeks: usize,
    /// The level of the nine weeks before the onset.
    pub best_pace_s_per_km: f64,
    /// The level of the slump's runs.
    pub pace_s_per_km: f64,
    pub slower_pct: f64,
    /// Two standard errors of `slower_pct`.
    pub uncertainty_pct: f64,
    pub confidence: Confidence,
}

/// A candidate onset with its evidence.
#[derive(Debug, Clone, Copy)]
struct Onset {
    index: usize,
    base: level::Level,
    z: f64,
}

/// `sorted`: the confident runs, by day (`level::trend_runs`).
pub fn slumps(sorted: &[Pace]) -> Vec<Slump> {
    let Some(sd) = level::noise_sd(sorted) else { return Vec::new() };
    let mut out = Vec::new();
    let mut scan = Scan { sorted, sd, floor: 0, bases: vec![None; sorted.len()] };
    let mut t = 0;
    while t < sorted.len() {
        if t > 0 && (sorted[t].0 - sorted[t - 1].0).num_days() > GAP_DAYS {
            scan.set_floor(t);
        }
        let Some(onset) = scan.best_onset(t) else {
            t += 1;
            continue;
        };
        let onset = Onset { index: slide_start(sorted, scan.floor, &onset, sd), ..onset };
        let end = slump_end(sorted, onset.index, t, onset.base.pace_s_per_km, sd);
        out.push(describe(sorted, onset, end, sorted[t].0, sd));
        scan.set_floor(end + 1);
        t = end + 1;
    }
    out
}

/// The run-by-run scan. Every run is asked about up to six weeks of
/// onsets, so the costly robust levels are kept or skipped where the
/// answer cannot change: each onset's baseline is found once, the last
/// two weeks' level once per run, a step's level only when the cheap
/// conditions of an alarm hold.
struct Scan<'a> {
    sorted: &'a [Pace],
    sd: f64,
    /// Runs before this index are not a baseline: before a gap, or an earlier slump.
    floor: usize,
    /// Each onset's baseline, once found (`Some(None)`: it has none).
    #[allow(clippy::option_option)] // not looked for yet, or found to be none: both are needed
    bases: Vec<Option<Option<level::Level>>>,
}

impl Scan<'_> {
    fn set_floor(&mut self, floor: usize) {
        self.floor = floor;
        self.bases.iter_mut().for_each(|b| *b = None);
    }

    fn baseline(&mut self, tau: usize) -> Option<level::Level> {
        let (sorted, floor, sd) = (self.sorted, self.floor, self.sd);
        *self.bases[tau].get_or_insert_with(|| baseline(sorted, floor, tau, sd))
    }

    /// The most convincing onset for the runs up to `t`, if any passes the alarm.
    fn best_onset(&mut self, t: usize) -> Option<Onset> {
        let sorted = self.sorted;
        let last = sorted[t].0;
        // The last two weeks: the same runs for every onset before them.
        let recent_from = sorted[..=t].partition_point(|p| (last - p.0).num_days() >= RECENT_DAYS);
        let mut recent_level: Option<Option<level::Level>> = None;
        let mut best: Option<Onset> = None;
        for tau in (self.floor..=t.saturating_sub(MIN_SLUMP_RUNS - 1)).rev() {
            let span = (last - sorted[tau].0).num_days();
            if span > SCAN_DAYS {
                break;
            }
            if span < MIN_SLUMP_DAYS {
                continue;
            }
            let Some(base) = self.baseline(tau) else { continue };
            let after = &sorted[tau..=t];
            let recent = &sorted[tau.max(recent_from)..=t];
            let now = |step: Option<level::Level>| {
                if tau >= recent_from {
                    return step.or_else(|| level_of_runs(recent, self.sd));
                }
                *recent_level.get_or_insert_with(|| level_of_runs(recent, self.sd))
            };
            let Some(z) = alarm_score(after, recent, base, self.sd, now) else { continue };
            if best.is_none_or(|b| z > b.z) {
                best = Some(Onset { index: tau, base, z });
            }
        }
        best
    }
}

fn level_of_runs(runs: &[Pace], sd: f64) -> Option<level::Level> {
    level::level_of(&runs.iter().map(|p| p.1).collect::<Vec<_>>(), sd)
}

/// Where a slide began: the scan's onset is where the runs since are most
/// convincingly slower, which for a steady slide lies weeks into it. A
/// CUSUM of the runs' (clipped) excess over the level before, run forward
/// from `BASE_DAYS` before that onset, last sat at zero where the slide
/// started. Never later than the scan's onset.
fn slide_start(sorted: &[Pace], floor: usize, onset: &Onset, sd: f64) -> usize {
    let from = sorted[onset.index].0 - Duration::days(BASE_DAYS);
    let first = (floor..onset.index).find(|&i| sorted[i].0 >= from).unwrap_or(onset.index);
    let (mut cusum, mut start) = (0.0f64, first);
    for (i, p) in sorted.iter().enumerate().take(onset.index + 1).skip(first) {
        let excess = ((p.1 - onset.base.pace_s_per_km) / sd).clamp(-CUSUM_CLIP, CUSUM_CLIP);
        cusum = (cusum + excess - CUSUM_ALLOWANCE).max(0.0);
        if cusum == 0.0 {
            start = i + 1;
        }
    }
    start.min(onset.index)
}

/// The level of the `BASE_DAYS` before run `tau`, from runs at or after
/// `floor`, when they are enough and span `MIN_BASE_DAYS`.
fn baseline(sorted: &[Pace], floor: usize, tau: usize, sd: f64) -> Option<level::Level> {
    let from = sorted[tau].0 - Duration::days(BASE_DAYS);
    let runs = &sorted[floor..tau];
    let runs = &runs[runs.partition_point(|p| p.0 < from)..];
    let spans = runs.first().is_some_and(|p| (sorted[tau].0 - p.0).num_days() >= MIN_BASE_DAYS);
    let values: Vec<f64> = runs.iter().map(|p| p.1).collect();
    (spans && values.len() >= MIN_BASE_RUNS).then(|| level::level_of(&values, sd)).flatten()
}

/// How many standard errors slower the runs `after` are than `base`, when
/// the loss is one a runner would care about and most of the runs show it,
/// or a slide from the first of them stands out (its score then scaled to
/// the step's); `None` otherwise. `recent`: the runs of `after` in the last
/// two weeks; `now(step)` their level (given the level of `after`, which
/// it is when `after` is no longer than that).
fn alarm_score(
    after: &[Pace],
    recent: &[Pace],
    base: level::Level,
    sd: f64,
    now: impl FnOnce(Option<level::Level>) -> Option<level::Level>,
) -> Option<f64> {
    let last = after.last()?.0;
    let slower = |runs: &[Pace]| runs.iter().filter(|p| p.1 > base.pace_s_per_km).count();
    let most_slower = 3 * slower(after) >= 2 * after.len();
    // A slide is judged on the line it follows: its first runs are barely
    // slower, and the last two weeks' level trails what it has reached by
    // a week of sliding.
    let slide = ((last - after[0].0).num_days() >= MIN_SLIDE_DAYS).then(|| slide_score(after, base, sd));
    let slide_alarm = slide.is_some_and(|(slide_z, reached_s_per_km)| {
        slide_z >= Z_SLIDE
            && reached_s_per_km >= base.pace_s_per_km * MIN_SLOWER_PCT / 100.0
            && 4 * slower(recent) >= 3 * recent.len()
    });
    if !slide_alarm && !most_slower {
        return None;
    }
    let whole_is_recent = after.len() == recent.len();
    let step = if whole_is_recent { level_of_runs(after, sd) } else { None };
    let now = now(step)?.pace_s_per_km;
    let loss_matters = now >= base.pace_s_per_km * (1.0 + MIN_SLOWER_PCT / 100.0);
    if !slide_alarm && !loss_matters {
        return None;
    }
    let step = match step {
        Some(step) => step,
        None => level_of_runs(after, sd)?,
    };
    let z = (step.pace_s_per_km - base.pace_s_per_km) / step.se_s_per_km.hypot(base.se_s_per_km);
    let step_alarm = z >= Z_ALARM && loss_matters && most_slower;
    if !step_alarm && !slide_alarm {
        return None;
    }
    let slide_z = slide.unwrap_or_else(|| slide_score(after, base, sd)).0;
    Some(z.max(slide_z * Z_ALARM / Z_SLIDE))
}

/// How many standard errors a slide beginning at the first of `after`
/// stands out, and how much slower (s/km) it has made the last run: the
/// least-squares line through the runs' excess over `base` that starts at
/// zero there. Each excess is clipped (as in the onset CUSUM) so one odd
/// run cannot make a slide; the base's own doubt counts in the error.
fn slide_score(after: &[Pace], base: level::Level, sd: f64) -> (f64, f64) {
    // Day numbers, not date differences: this runs for every onset of every run.
    let first = after[0].0.num_days_from_ce();
    let days = |p: &Pace| f64::from(p.0.num_days_from_ce() - first) + 1.0;
    let (mut num, mut sum_dd, mut sum_d) = (0.0, 0.0, 0.0);
    for p in after {
        let d = days(p);
        num += d * (p.1 - base.pace_s_per_km).clamp(-CUSUM_CLIP * sd, CUSUM_CLIP * sd);
        sum_dd += d * d;
        sum_d += d;
    }
    let z = num / (sd * sd * sum_dd + (base.se_s_per_km * sum_d).powi(2)).sqrt();
    (z, num / sum_dd * after.last().map_or(0.0, days))
}

/// The index of the last run of the slump detected at `t`: it lasts while
/// the last three weeks stay slower than the level before it.
fn slump_end(sorted: &[Pace], onset: usize, t: usize, base_pace: f64, sd: f64) -> usize {
    let mut end = t;
    for j in t + 1..sorted.len() {
        if (sorted[j].0 - sorted[j - 1].0).num_days() > GAP_DAYS {
            break;
        }
        let since_onset = &sorted[onset..=j];
        let recent: Vec<f64> =
            super::consistency::days_before(since_onset, sorted[j].0 + Duration::days(1), RECENT_DAYS, |p| p.0)
                .iter()
                .map(|p| p.1)
                .collect();
        let recent = level::level_of(&recent, sd);
        match recent {
            Some(l) if l.runs >= MIN_RECENT_RUNS && l.pace_s_per_km < base_pace * (1.0 + END_SLOWER_PCT / 100.0) => {
                break;
            }
            _ => end = j,
        }
    }
    end
}

fn describe(sorted: &[Pace], onset: Onset, end: usize, detected: NaiveDate, sd: f64) -> Slump {
    let runs = &sorted[onset.index..=end];
    let values: Vec<f64> = runs.iter().map(|p| p.1).collect();
    let slump = level::level_of(&values, sd).expect("a slump has runs");
    let base = onset.base;
    let se = slump.se_s_per_km.hypot(base.se_s_per_km);
    let (start, last) = (runs[0].0, runs[runs.len() - 1].0);
    let z = (slump.pace_s_per_km - base.pace_s_per_km) / se;
    let weeks = usize::try_from((last - start).num_days() / 7 + 1).unwrap_or(1);
    Slump {
        start,
        end: last,
        detected,
        runs: runs.len(),
        weeks,
        best_pace_s_per_km: base.pace_s_per_km,
        pace_s_per_km: slump.pace_s_per_km,
        slower_pct: 100.0 * (slump.pace_s_per_km - base.pace_s_per_km) / base.pace_s_per_km,
        uncertainty_pct: level::BAND_SE * 100.0 * se / base.pace_s_per_km,
        confidence: if z.max(onset.z) >= Z_HIGH { Confidence::High } else { Confidence::Moderate },
    }
}

#[cfg(test)]
#[path = "slump_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "slump_limit_tests.rs"]
mod limit_tests;
