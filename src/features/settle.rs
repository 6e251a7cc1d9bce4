//! When a run's heart rate has settled. Heart rate lags effort at the start,
//! so a steady window before it pairs a pace with a heart rate that has not
//! caught up yet. A fixed 10-minute cut threw away whole 13-17 minute runs
//! whose heart rate had settled after three; this decides per run, from the
//! heart rate itself, never before a floor and never after the configured
//! `skip_start_s`.

use crate::clean::Clean;

/// Heart rate is averaged over blocks this long before its trend is judged:
/// beat-to-beat noise and a wrist sensor's jitter would hide a slow climb.
const BLOCK_S: u32 = 30;
/// The trend after a candidate moment is judged over this span: long enough
/// to see the slow rise of the last minutes of the lag.
const TREND_S: u32 = 180;
/// Flat enough: over `TREND_S` the heart rate climbs (or falls) less than
/// this per minute. Cardiac drift (a few tenths of a beat per minute) stays
/// under it; the end of the start-up lag does not.
const FLAT_BPM_PER_MIN: f64 = 1.0;
/// Never earlier than this: a heart rate can look flat within the first
/// minute while the sensor finds the beat, and the slow part of the
/// response to effort takes about two minutes more.
pub const MIN_SETTLE_S: u32 = 180;
/// A block needs heart rate in this share of its seconds to count.
const BLOCK_COVERAGE: f64 = 0.5;

/// Seconds from the start after which this run's heart rate has settled:
/// the first block boundary from `MIN_SETTLE_S` on whose following
/// `TREND_S` trend is flat, else `max_s` (also when the run ends before a
/// trend can be judged, or it has no heart rate).
pub fn settled_s(c: &Clean, max_s: u32) -> u32 {
    let blocks = block_means(c);
    let per = (TREND_S / BLOCK_S) as usize;
    let mut k = MIN_SETTLE_S.min(max_s).div_ceil(BLOCK_S) as usize;
    while (k as u64) * u64::from(BLOCK_S) < u64::from(max_s) && k + per <= blocks.len() {
        if trend_bpm_per_min(&blocks[k..k + per]).is_some_and(|slope| slope.abs() <= FLAT_BPM_PER_MIN) {
            return u32::try_from(k).map_or(max_s, |k| k * BLOCK_S);
        }
        k += 1;
    }
    max_s
}

/// Mean heart rate per `BLOCK_S` of elapsed time (stops leave holes).
fn block_means(c: &Clean) -> Vec<Option<f64>> {
    let Some(&last) = c.elapsed_s.last() else { return Vec::new() };
    let n = (last / BLOCK_S) as usize + 1;
    let mut sums = vec![(0.0, 0u32); n];
    for (&t, &hr) in c.elapsed_s.iter().zip(&c.hr_bpm) {
        if hr.is_finite() {
            let b = &mut sums[(t / BLOCK_S) as usize];
            b.0 += f64::from(hr);
            b.1 += 1;
        }
    }
    sums.into_iter()
        .map(|(sum, count)| (f64::from(count) >= BLOCK_COVERAGE * f64::from(BLOCK_S)).then(|| sum / f64::from(count)))
        .collect()
}

/// Least-squares slope of the blocks present, in bpm per minute; `None`
/// when more than one block is missing.
fn trend_bpm_per_min(blocks: &[Option<f64>]) -> Option<f64> {
    let points: Vec<(f64, f64)> =
        blocks.iter().enumerate().filter_map(|(i, b)| Some((i as f64 * f64::from(BLOCK_S) / 60.0, (*b)?))).collect();
    if points.len() + 1 < blocks.len() || points.len() < 3 {
        return None;
    }
    let n = points.len() as f64;
    let (mx, my) = (points.iter().map(|p| p.0).sum::<f64>() / n, points.iter().map(|p| p.1).sum::<f64>() / n);
    let sxx: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    (sxx > 0.0).then(|| sxy / sxx)
}

#[cfg(test)]
pub mod testing {
    use crate::clean::Clean;

    /// A steady run whose heart rate rises from `from_bpm` to `to_bpm` like
    /// a body answering effort: fast at first, then a slow tail, settled
    /// (within a beat) after about `settle_s`.
    #[allow(clippy::cast_possible_truncation)] // test heart rates fit f32
    pub fn lagging_start(from_bpm: f64, to_bpm: f64, settle_s: u32, seconds: u32) -> Clean {
        // Within 1 bpm of the level after settle_s: e^(-settle/tau) * rise = 1.
        let tau = f64::from(settle_s) / (to_bpm - from_bpm).abs().ln();
        let mut c = Clean::default();
        for t in 0..seconds {
            let hr = to_bpm - (to_bpm - from_bpm) * (-f64::from(t) / tau).exp();
            // A beat of sensor noise that does not average away in a block.
            let wobble = if (t / 17) % 2 == 0 { 0.8 } else { -0.8 };
            c.elapsed_s.push(t);
            c.speed_m_s.push(3.0);
            c.gap_speed_m_s.push(3.0);
            c.hr_bpm.push((hr + wobble) as f32);
        }
        c
    }
}

#[cfg(test)]
mod tests {
    use super::testing::lagging_start;
    use super::*;

    #[test]
    fn settles_when_the_heart_rate_stops_climbing() {
        // From 95 to 145 bpm, within a beat of 145 after 6 minutes.
        let c = lagging_start(95.0, 145.0, 360, 1800);
        let cut = settled_s(&c, 600);
        // The 3-minute trend must be under 1 bpm/min: a little before the
        // heart rate is within a beat of its level, never long after.
        assert!((240..=390).contains(&cut), "cut at {cut} s");
        // A quick settle is bounded below by the floor...
        let quick = lagging_start(120.0, 140.0, 40, 1800);
        assert_eq!(settled_s(&quick, 600), MIN_SETTLE_S);
        // ...and a slow one above by the configured cut.
        let slow = lagging_start(90.0, 160.0, 1500, 1800);
        assert_eq!(settled_s(&slow, 600), 600);
        // The floor never passes the configured cut.
        assert_eq!(settled_s(&quick, 120), 120);
    }

    #[test]
    fn a_run_too_short_to_judge_or_without_heart_rate_keeps_the_configured_cut() {
        let short = lagging_start(95.0, 145.0, 100, 300);
        assert_eq!(settled_s(&short, 600), 600);
        let mut none = lagging_start(95.0, 145.0, 100, 1800);
        none.hr_bpm.iter_mut().for_each(|v| *v = f32::NAN);
        assert_eq!(settled_s(&none, 600), 600);
    }

    #[test]
    fn a_falling_heart_rate_has_not_settled_either() {
        // A sensor reading high at the start (locked onto the cadence) that
        // comes down over five minutes.
        let c = lagging_start(175.0, 140.0, 330, 1800);
        let cut = settled_s(&c, 600);
        assert!((210..=360).contains(&cut), "cut at {cut} s");
    }
}
