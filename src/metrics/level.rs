//! The athlete's level of pace at the target heart rate over time, robust
//! enough to trust: only runs whose value is confident, a Huber centre on a
//! scale fixed by the whole history's run-to-run noise (so one run moves a
//! level by less than that noise), a minimum number of runs behind every
//! level, and no level carried across a gap of more than three weeks. The
//! weekly table, the headline comparison and slump detection all read their
//! runs and their noise from here, so they cannot disagree on either.

use chrono::{Duration, NaiveDate};

use crate::features::Analyzed;
use crate::metrics::RunMetrics;
use crate::stats::{HUBER_K, median, robust_sd};

/// A pause longer than this breaks the trend: the level before it says
/// nothing about the level after it.
pub const GAP_DAYS: i64 = 21;
/// The rolling level's window.
pub const WINDOW_DAYS: i64 = 28;
/// Fewer runs than this make no level (and no headline period).
pub const MIN_RUNS: usize = 4;
/// Standard error of the Huber centre relative to sd / sqrt(n): 1 / sqrt(0.95).
pub const HUBER_SE_FACTOR: f64 = 1.026;
/// The band drawn around the level: about 95 %.
pub const BAND_SE: f64 = 2.0;
/// Perfectly steady constructed data has no spread; a floor keeps the
/// standard errors meaningful (s/km, and a share of the pace).
const MIN_SD_S_PER_KM: f64 = 0.5;
const MIN_SD_SHARE: f64 = 0.002;

/// One run that counts towards trends: its local day and pace at the target HR.
pub type Pace = (NaiveDate, f64);

/// Runs with a pace at the target HR that is not low-confidence, by day.
/// Everything that calls itself a trend starts from these.
pub fn trend_runs(items: &[Analyzed], runs: &[RunMetrics]) -> Vec<Pace> {
    let mut out: Vec<Pace> = items
        .iter()
        .zip(runs)
        .filter(|(_, r)| !r.low_confidence)
        .filter_map(|(a, r)| Some((a.local_day(), r.pace_at_hr_s_per_km?)))
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    out
}

/// Run-to-run noise (s/km, one standard deviation) from the differences of
/// consecutive runs: a steady trend or a single step in the level hardly
/// changes them, so fitness changes do not pass for noise.
pub fn noise_sd(sorted: &[Pace]) -> Option<f64> {
    let diffs: Vec<f64> = sorted.windows(2).map(|w| (w[1].1 - w[0].1).abs()).collect();
    let mut paces: Vec<f64> = sorted.iter().map(|p| p.1).collect();
    let typical = median(&mut paces)?;
    let sd = robust_sd(&diffs, 0.0).map_or(0.0, |sd| sd / std::f64::consts::SQRT_2);
    Some(sd.max(MIN_SD_S_PER_KM).max(MIN_SD_SHARE * typical))
}

/// Huber M-estimate of the centre of `values` with the scale fixed at
/// `sd`: the `c` where the clipped residuals `clamp((v - c) / sd, -k, k)`
/// sum to zero. That sum falls with `c` and is straight between the points
/// where a value enters or leaves the unclipped band, so one pass over the
/// sorted values finds the root exactly. Reweighting from the median
/// reaches the same root (its fixed point) but slowly: slump detection asks
/// for hundreds of thousands of centres on a long history, and the
/// reweighting was most of a re-run's time.
pub fn huber(values: &[f64], sd: f64) -> Option<f64> {
    let scale = sd.max(f64::MIN_POSITIVE);
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    if sorted.first()?.is_finite()
        && sorted.last()?.is_finite()
        && let Some(centre) = exact_root(&sorted, HUBER_K * scale)
    {
        return Some(centre);
    }
    huber_reweighted(values, scale)
}

/// The root of the clipped-residual sum over `sorted` (finite) with the
/// band half-width `h`, where it is a single point; `None` where the sum is
/// zero over a whole stretch with no value unclipped (two far-apart groups
/// of equal size), which only the reweighting's path can settle.
fn exact_root(sorted: &[f64], h: f64) -> Option<f64> {
    let n = sorted.len();
    // Zero over a stretch: between the two middle values, both clipped.
    if n.is_multiple_of(2) && sorted[n / 2] - sorted[n / 2 - 1] >= 2.0 * h {
        return None;
    }
    // As c rises, value i enters the band at v - h and leaves it at v + h:
    // values [leave, enter) are inside, those before `leave` below it.
    let (mut enter, mut leave) = (0usize, 0usize);
    let (mut inside_sum, mut piece_from) = (0.0, f64::NEG_INFINITY);
    loop {
        let next_enter = sorted.get(enter).map_or(f64::INFINITY, |v| v - h);
        let next_leave = sorted.get(leave).map_or(f64::INFINITY, |v| v + h);
        let piece_to = next_enter.min(next_leave);
        let (inside, above, below) = (enter - leave, n - enter, leave);
        #[allow(clippy::cast_precision_loss)] // run counts are small
        if inside > 0 {
            // sum(v - c) over those inside + h (above - below) = 0.
            let centre = (inside_sum + h * (above as f64 - below as f64)) / inside as f64;
            if (piece_from..=piece_to).contains(&centre) {
                return Some(centre);
            }
        }
        if piece_to.is_infinite() {
            return None;
        }
        if next_enter <= next_leave {
            inside_sum += sorted[enter];
            enter += 1;
        } else {
            inside_sum -= sorted[leave];
            leave += 1;
        }
        piece_from = piece_to;
    }
}

/// The centre by iteratively reweighted means from the median.
fn huber_reweighted(values: &[f64], scale: f64) -> Option<f64> {
    let mut centre = median(&mut values.to_vec())?;
    for _ in 0..100 {
        let (mut sum, mut weight) = (0.0, 0.0);
        for v in values {
            let r = (v - centre).abs() / scale;
            let w = if r <= HUBER_K { 1.0 } else { HUBER_K / r };
            sum += w * v;
            weight += w;
        }
        let next = sum / weight;
        let settled = (next - centre).abs() < 1e-9 * scale;
        centre = next;
        if settled {
            break;
        }
    }
    Some(centre)
}

/// A level with its uncertainty.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Level {
    pub pace_s_per_km: f64,
    /// One standard error (s/km).
    pub se_s_per_km: f64,
    pub runs: usize,
}

impl Level {
    /// Half-width of the band drawn around the level (s/km).
    pub fn band_s_per_km(&self) -> f64 {
        BAND_SE * self.se_s_per_km
    }
}

/// The level of a set of runs, given the history's noise. Its standard
/// error is the larger of what that noise implies and what these runs show
/// (the sandwich estimate): a window with two wild runs is less sure than
/// its count says.
pub fn level_of(values: &[f64], sd: f64) -> Option<Level> {
    let pace_s_per_km = huber(values, sd)?;
    #[allow(clippy::cast_precision_loss)] // run counts are small
    let n = values.len() as f64;
    let (mut psi_sq, mut inliers) = (0.0, 0.0);
    for v in values {
        let r = (v - pace_s_per_km) / sd;
        psi_sq += r.clamp(-HUBER_K, HUBER_K).powi(2);
        inliers += f64::from(u8::from(r.abs() <= HUBER_K));
    }
    let model = HUBER_SE_FACTOR * sd / n.sqrt();
    let sandwich = if inliers > 0.0 { sd * psi_sq.sqrt() / inliers } else { f64::INFINITY };
    Some(Level { pace_s_per_km, se_s_per_km: model.max(sandwich), runs: values.len() })
}

/// The first run after each gap of more than `GAP_DAYS` (sorted input).
pub fn gap_ends(sorted: &[Pace]) -> Vec<NaiveDate> {
    sorted.windows(2).filter(|w| (w[1].0 - w[0].0).num_days() > GAP_DAYS).map(|w| w[1].0).collect()
}

/// The rolling level on the day before `end`: the runs of the `WINDOW_DAYS`
/// before it, none from before a gap, at least `MIN_RUNS`, the latest no
/// more than `GAP_DAYS` old. `None` otherwise: a line is broken, not guessed.
pub fn rolling(sorted: &[Pace], end: NaiveDate, sd: f64) -> Option<Level> {
    let window = super::consistency::days_before(sorted, end, WINDOW_DAYS, |p| p.0);
    let last = window.last()?;
    if (end - Duration::days(1) - last.0).num_days() > GAP_DAYS {
        return None;
    }
    // Runs before the latest gap inside the window belong to another stretch.
    let from = window.windows(2).rposition(|w| (w[1].0 - w[0].0).num_days() > GAP_DAYS).map_or(0, |i| i + 1);
    let values: Vec<f64> = window[from..].iter().map(|p| p.1).collect();
    if values.len() < MIN_RUNS {
        return None;
    }
    level_of(&values, sd)
}

#[cfg(test)]
#[allow(clippy::cast_possible_wrap, clippy::cast_precision_loss)] // small test counts
mod tests {
    use super::*;

    fn day(n: i64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 1, 5).unwrap() + Duration::days(n)
    }

    /// A run every other day at 340 s/km, +-4 s/km of alternating noise.
    fn steady(days: i64) -> Vec<Pace> {
        (0..days).step_by(2).map(|d| (day(d), 340.0 + if d % 4 == 0 { 4.0 } else { -4.0 })).collect()
    }

    #[test]
    fn noise_is_the_run_to_run_spread_not_the_trend() {
        let flat = noise_sd(&steady(60)).unwrap();
        // Alternating +-4: consecutive differences of 8, sd = 1.4826 * 8 / sqrt 2.
        assert!((flat - 1.4826 * 8.0 / 2f64.sqrt()).abs() < 1e-9, "{flat}");
        let mut falling = steady(60);
        for (i, p) in falling.iter_mut().enumerate() {
            p.1 -= 0.5 * i as f64;
        }
        let with_trend = noise_sd(&falling).unwrap();
        assert!((with_trend - flat).abs() < 0.1 * flat, "{with_trend} vs {flat}");
    }

    #[test]
    fn one_wild_run_moves_the_rolling_level_by_less_than_the_noise() {
        // The bug: one 4:13 run among 5:40 ones pulled the 4-week median line
        // from 5:40 to 4:13/km where it was the window's only run or one of two.
        let mut runs = steady(56);
        let sd = noise_sd(&runs).unwrap();
        let end = day(56);
        let before = rolling(&runs, end, sd).unwrap();
        let last = runs.len() - 1;
        runs[last].1 = 253.0;
        let after = rolling(&runs, end, sd).unwrap();
        let moved = (after.pace_s_per_km - before.pace_s_per_km).abs();
        assert!(moved < sd, "moved {moved} s/km, noise {sd}");
        // Even when the window holds only the minimum of runs.
        let few: Vec<Pace> = runs[last + 1 - MIN_RUNS..].to_vec();
        let calm = level_of(&few[..MIN_RUNS - 1].iter().map(|p| p.1).collect::<Vec<_>>(), sd).unwrap().pace_s_per_km;
        let moved = (rolling(&few, end, sd).unwrap().pace_s_per_km - calm).abs();
        assert!(moved < 0.5 * sd, "moved {moved} s/km with {MIN_RUNS} runs, noise {sd}");
        // A single run is never a level, however fast.
        assert_eq!(rolling(&[(day(0), 253.0)], day(1), sd), None);
    }

    #[test]
    fn the_level_is_broken_across_a_gap_of_more_than_three_weeks() {
        let mut runs = steady(28);
        // A three-month gap, then runs again.
        runs.extend(steady(28).into_iter().map(|(d, p)| (d + Duration::days(120), p - 20.0)));
        let sd = noise_sd(&runs).unwrap();
        assert_eq!(gap_ends(&runs), vec![day(120)]);
        assert!(rolling(&runs, day(28), sd).is_some());
        // Inside the gap: nothing, even while old runs are in the window.
        assert_eq!(rolling(&runs, day(27 + GAP_DAYS + 2), sd), None);
        assert_eq!(rolling(&runs, day(90), sd), None);
        // Just after it: only runs after the gap count, so too few yet.
        assert_eq!(rolling(&runs, day(123), sd), None);
        // A gap of 23 days leaves old runs inside the window: they still do not count.
        let mut short_gap = steady(28);
        short_gap.extend([49, 50, 51, 52].map(|d| (day(d), 300.0)));
        assert_eq!(rolling(&short_gap, day(50), sd), None);
        assert!((rolling(&short_gap, day(53), sd).unwrap().pace_s_per_km - 300.0).abs() < 1e-9);
        let back = rolling(&runs, day(128), sd).unwrap();
        assert_eq!(back.runs, 4);
        assert!((back.pace_s_per_km - 320.0).abs() < 5.0, "{back:?}");
    }

    #[test]
    fn the_exact_huber_centre_is_the_reweighted_one() {
        // Self-consistency: both find the root of the same equation. Values
        // from a fixed generator: noise, a few wild runs, ties, tiny sets.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        for case in 0..2000 {
            let n = 1 + case % 40;
            let sd = 0.5 + 10.0 * next();
            let values: Vec<f64> = (0..n)
                .map(|_| {
                    let wild = if next() < 0.1 { 60.0 * (next() - 0.3) } else { 0.0 };
                    (300.0 + 8.0 * (next() - 0.5) + wild).round()
                })
                .collect();
            let exact = huber(&values, sd).unwrap();
            let reweighted = huber_reweighted(&values, sd).unwrap();
            assert!((exact - reweighted).abs() < 1e-8 * sd, "{values:?} sd {sd}: {exact} vs {reweighted}");
        }
        // Two far groups of equal size: the sum is zero between them, and
        // the reweighting's answer (the middle) stands.
        assert!((huber(&[1.0, 1000.0], 1.0).unwrap() - 500.5).abs() < 1e-9);
    }

    #[test]
    fn huber_is_the_mean_without_outliers_and_bounded_with_one() {
        let centre = huber(&[1.0, 2.0, 3.0, 4.0], 10.0).unwrap();
        assert!((centre - 2.5).abs() < 1e-9);
        let pulled = huber(&[1.0, 2.0, 3.0, 4.0, 1000.0], 1.0).unwrap();
        assert!(pulled < 3.5, "{pulled}");
        assert_eq!(huber(&[], 1.0), None);
    }

    #[test]
    fn level_uncertainty_shrinks_with_runs() {
        let few = level_of(&[340.0; 4], 4.0).unwrap();
        let many = level_of(&[340.0; 16], 4.0).unwrap();
        assert!((few.se_s_per_km - 2.0 * many.se_s_per_km).abs() < 1e-9);
        assert!((few.band_s_per_km() - BAND_SE * HUBER_SE_FACTOR * 2.0).abs() < 1e-9);
    }
}
