//! Heart rate fit to estimate thresholds from. Wrist sensors read high at
//! the start (before the strap settles) and lock onto the step rate (160-180)
//! for minutes; the cleaning stage removes only exact cadence matches and
//! short spikes. The best 30-second and 20-minute heart rates, which set max
//! HR and LTHR for the whole history, must not come from either, so here the
//! start is left out and a stretch entered or left by a jump no heart makes
//! mid-run is left out too.

use crate::clean::Clean;

/// Heart rate does not reach threshold effort in the first minutes; what
/// reads high there is the sensor settling.
const START_S: u32 = 180;
/// Heart rate moves this much within `JUMP_S` only when the pace changed
/// sharply (the start of a rep); at a steady pace it is the sensor switching
/// to another signal.
const JUMP_BPM: f32 = 18.0;
const JUMP_S: u32 = 10;
/// A locked stretch ends when the reading comes back within this of the
/// level before the jump.
const BACK_BPM: f32 = 8.0;
/// A lock lasts minutes; a stretch after a jump is left out for at most this.
const MAX_LOCK_S: u32 = 1200;
/// The pace compared before and after a jump, seconds each side.
const PACE_S: usize = 30;
/// A lock reads the step rate, which hardly varies: a stretch left only by a
/// fall is a lock when most of it stays this close to its median for this long.
const FLAT_BPM: f64 = 3.0;
const FLAT_SHARE: f64 = 0.8;
const FLAT_MIN_S: usize = 60;

/// The run's heart rate with the start and implausible stretches set to NaN.
pub fn plausible_hr(c: &Clean) -> Vec<f32> {
    let mut hr = c.hr_bpm.clone();
    let start = c.elapsed_s.partition_point(|&t| t < START_S);
    hr[..start].fill(f32::NAN);
    // The rise from rest at the start is the heart's own, and masked anyway.
    let (ups, downs) = jumps(c);
    let (ups, downs) =
        (ups.into_iter().filter(|&(at, _)| at >= start), downs.into_iter().filter(|&(at, _)| at >= start));
    for (at, before) in ups {
        // Up to where the reading returns to the level it jumped from, for
        // at most `MAX_LOCK_S` (the heart may since have risen to the level).
        let last = c.elapsed_s[at].saturating_add(MAX_LOCK_S);
        let end = (at..c.len()).find(|&i| c.hr_bpm[i] <= before + BACK_BPM || c.elapsed_s[i] > last).unwrap_or(c.len());
        hr[at..end].fill(f32::NAN);
    }
    for (at, after) in downs {
        // Back to where the reading was last at the level it fell to, when
        // that stretch is as flat as a step rate is (a hard effort that ends
        // abruptly still climbed on the way).
        let from = (0..at).rev().find(|&i| c.hr_bpm[i] <= after + BACK_BPM).map_or(0, |i| i + 1);
        if is_flat(&c.hr_bpm[from..at]) {
            hr[from..at].fill(f32::NAN);
        }
    }
    hr
}

/// Grade-adjusted speed over the `PACE_S` seconds from `after` over that
/// before `before` (1 when either is unknown).
fn pace_change(c: &Clean, before: usize, after: usize) -> f64 {
    let mean = |r: std::ops::Range<usize>| {
        let v = crate::stats::finite_f64(&c.gap_speed_m_s[r]);
        crate::stats::mean_sd(&v).map(|(m, _)| m).filter(|&m| m > 0.0)
    };
    let earlier = mean(before.saturating_sub(PACE_S)..before);
    let later = mean(after..(after + PACE_S).min(c.len()));
    match (earlier, later) {
        (Some(a), Some(b)) => b / a,
        _ => 1.0,
    }
}

/// A stretch of at least a minute whose readings mostly stay within a few
/// bpm of their median.
fn is_flat(hr: &[f32]) -> bool {
    let mut values = crate::stats::finite_f64(hr);
    let Some(mid) = crate::stats::median(&mut values) else { return false };
    let near = values.iter().filter(|&&v| (v - mid).abs() <= FLAT_BPM).count();
    values.len() >= FLAT_MIN_S && near as f64 >= FLAT_SHARE * values.len() as f64
}

/// Where a jump happened (index) and the level it left or reached (bpm).
type Jump = (usize, f32);

/// Indices where the reading jumped up (with the level before) and where it
/// fell (with the level after), each by `JUMP_BPM` within `JUMP_S` seconds.
fn jumps(c: &Clean) -> (Vec<Jump>, Vec<Jump>) {
    let (mut ups, mut downs) = (Vec::new(), Vec::new());
    // The lowest and highest readings of the last `JUMP_S` seconds, kept
    // as they slide (each reading enters and leaves once).
    let (mut lows, mut highs) = (Extremes::new(|a, b| a <= b), Extremes::new(|a, b| a >= b));
    let mut j = 0;
    for i in 0..c.len() {
        let hr = c.hr_bpm[i];
        if !hr.is_finite() {
            continue;
        }
        while j < i && (c.elapsed_s[i] - c.elapsed_s[j] > JUMP_S || !c.hr_bpm[j].is_finite()) {
            j += 1;
        }
        let (lo, hi) = (lows.since(j).unwrap_or(f32::MAX), highs.since(j).unwrap_or(f32::MIN));
        lows.push(i, hr);
        highs.push(i, hr);
        // A heart that speeds up or slows down that fast follows the pace; a
        // sensor switching to the step rate does not.
        let steady_pace = || (0.9..=1.1).contains(&pace_change(c, j, i));
        if lo <= hi && hr - lo >= JUMP_BPM && ups.last().is_none_or(|&(at, _)| at + 1 < i) && steady_pace() {
            ups.push((i, lo));
        } else if lo <= hi && hi - hr >= JUMP_BPM && downs.last().is_none_or(|&(at, _)| at + 1 < i) && steady_pace() {
            downs.push((i, hr));
        }
    }
    (ups, downs)
}

/// The extreme of a sliding window of readings: the candidates in order,
/// each kept while no later reading is at least as extreme. A plain list
/// whose front moves up (it holds at most one entry per reading).
struct Extremes {
    candidates: Vec<(usize, f32)>,
    front: usize,
    /// `beats(a, b)`: a later `a` makes an earlier `b` no longer a candidate.
    beats: fn(f32, f32) -> bool,
}

impl Extremes {
    fn new(beats: fn(f32, f32) -> bool) -> Extremes {
        Extremes { candidates: Vec::new(), front: 0, beats }
    }

    fn push(&mut self, at: usize, value: f32) {
        while self.candidates.len() > self.front && self.candidates.last().is_some_and(|&(_, v)| (self.beats)(value, v))
        {
            self.candidates.pop();
        }
        self.candidates.push((at, value));
    }

    /// The extreme of the readings pushed at `from` or later.
    fn since(&mut self, from: usize) -> Option<f32> {
        while self.candidates.get(self.front).is_some_and(|&(at, _)| at < from) {
            self.front += 1;
        }
        self.candidates.get(self.front).map(|&(_, v)| v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(hr: impl Fn(u32) -> f32, seconds: u32) -> Clean {
        let mut c = Clean::default();
        for t in 0..seconds {
            c.elapsed_s.push(t);
            c.speed_m_s.push(3.0);
            c.gap_speed_m_s.push(3.0);
            c.hr_bpm.push(hr(t));
        }
        c
    }

    fn max(v: &[f32]) -> f32 {
        v.iter().copied().filter(|v| v.is_finite()).fold(f32::MIN, f32::max)
    }

    /// Found on the plan-based simulator: the heart's rise from rest in the
    /// first seconds counted as a jump that never came back down, and the
    /// whole run's heart rate was left out.
    #[test]
    fn the_rise_from_rest_at_the_start_keeps_the_run() {
        let c = run(|t| if t < 20 { 75.0 + 3.0 * f32::from(u8::try_from(t).unwrap()) } else { 140.0 }, 1800);
        let kept = plausible_hr(&c).iter().filter(|v| v.is_finite()).count();
        assert_eq!(kept, 1800 - 180);
    }

    #[test]
    fn a_start_spike_is_left_out() {
        let c = run(|t| if t < 90 { 195.0 } else { 140.0 }, 1800);
        assert!((max(&plausible_hr(&c)) - 140.0).abs() < 1e-3);
    }

    #[test]
    fn cadence_lock_for_minutes_is_left_out() {
        // An easy run at 140 whose sensor reads the step rate, 172, for 4 minutes.
        let c = run(
            |t| if (1200..1440).contains(&t) { 172.0 } else { 140.0 + f32::from(u8::try_from(t % 3).unwrap()) },
            3000,
        );
        assert!(max(&plausible_hr(&c)) < 143.0);
    }

    #[test]
    fn a_lock_that_crept_in_and_fell_off_is_left_out() {
        // 140, creeping up to the step rate 170 over a minute, stuck there
        // for five minutes, then back to 140 at once.
        let c = run(
            |t| match t {
                1200..1260 => 140.0 + 0.5 * f32::from(u8::try_from(t - 1200).unwrap()),
                1260..1560 => 170.0,
                _ => 140.0,
            },
            3000,
        );
        assert!(max(&plausible_hr(&c)) < 160.0);
    }

    #[test]
    fn a_fast_rise_at_the_start_of_a_rep_is_kept() {
        // Heart rate answering a sharp change of pace within seconds.
        let mut c = run(|t| if (1200..1380).contains(&t) { 180.0 } else { 140.0 }, 2400);
        for v in &mut c.gap_speed_m_s[1200..1380] {
            *v = 5.0;
        }
        assert!((max(&plausible_hr(&c)) - 180.0).abs() < 1e-3);
    }

    #[test]
    fn a_hard_effort_that_builds_up_is_kept() {
        // Heart rate climbing from 150 to 185 over two minutes of racing.
        let c = run(
            |t| match t {
                0..1500 => 150.0,
                1500..1620 => 150.0 + 35.0 * (f32::from(u16::try_from(t - 1500).unwrap()) / 120.0),
                _ => 185.0,
            },
            1800,
        );
        assert!((max(&plausible_hr(&c)) - 185.0).abs() < 1e-3);
    }

    /// Self-consistency: the sliding extremes are those of a scan of the
    /// window, on readings with gaps and repeats.
    #[test]
    fn sliding_extremes_are_those_of_the_window() {
        let mut rng = crate::stats::test_rng::Rng(7);
        let mut next = |n: u8| u8::try_from(rng.below(u32::from(n))).unwrap();
        let values: Vec<Option<f32>> =
            (0..2000).map(|_| if next(32) < 3 { None } else { Some(f32::from(next(8)) + 140.0) }).collect();
        let (mut lows, mut highs) = (Extremes::new(|a, b| a <= b), Extremes::new(|a, b| a >= b));
        for (i, v) in values.iter().enumerate() {
            let from = i.saturating_sub(usize::from(next(2)) + 10);
            let window = values[from.min(i)..i].iter().flatten();
            let (lo, hi) = window.fold((None, None), |(lo, hi): (Option<f32>, Option<f32>), &v| {
                (Some(lo.map_or(v, |l| l.min(v))), Some(hi.map_or(v, |h| h.max(v))))
            });
            assert_eq!((lows.since(from), highs.since(from)), (lo, hi), "at {i}");
            if let Some(v) = *v {
                lows.push(i, v);
                highs.push(i, v);
            }
        }
    }
}
