//! Best efforts and the mean-maximal speed curve of one run, computed in the
//! parallel stage while its 1 Hz series is hot: the fastest stretch over each
//! race distance (two pointers over the distance covered, so one pass per
//! distance) and the furthest distance within each duration. Across runs they
//! become records, the pace curve, critical speed and race predictions
//! (`metrics::efforts`).

use crate::clean::Clean;

/// The distances every run is searched for: 400 m, 1 km, 1 mile, 5 km,
/// 10 km, half marathon, marathon.
pub const STANDARD_DISTANCES_M: [f64; 7] = [400.0, 1000.0, 1609.344, 5000.0, 10_000.0, 21_097.5, 42_195.0];

/// Durations of the mean-maximal curve, 10 s to 3 h: dense between 3 and
/// 20 minutes, where critical speed is fitted.
pub const CURVE_DURATIONS_S: [u32; 17] =
    [10, 30, 60, 120, 180, 240, 300, 420, 600, 720, 900, 1200, 1800, 2700, 3600, 5400, 10_800];

/// At most this many distances besides the standard ones (a fixed list
/// keeps the settings `Copy`).
pub const MAX_EXTRA_DISTANCES: usize = 8;

/// The distances searched: the standard ones plus those configured
/// (`--effort-distances`, `[efforts] distances_m`).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Distances {
    extra_m: [f64; MAX_EXTRA_DISTANCES],
    extra_len: usize,
}

impl Default for Distances {
    fn default() -> Distances {
        Distances { extra_m: [0.0; MAX_EXTRA_DISTANCES], extra_len: 0 }
    }
}

impl Distances {
    /// The standard distances plus `extra_m`; `None` when there are more than
    /// [`MAX_EXTRA_DISTANCES`].
    pub fn with_extra(extra_m: &[f64]) -> Option<Distances> {
        let mut out = Distances::default();
        if extra_m.len() > MAX_EXTRA_DISTANCES {
            return None;
        }
        out.extra_m[..extra_m.len()].copy_from_slice(extra_m);
        out.extra_len = extra_m.len();
        Some(out)
    }

    /// Every distance, shortest first, each once.
    pub fn all_m(&self) -> Vec<f64> {
        let mut all: Vec<f64> = STANDARD_DISTANCES_M.iter().chain(&self.extra_m[..self.extra_len]).copied().collect();
        all.sort_by(f64::total_cmp);
        all.dedup_by(|a, b| (*a - *b).abs() < 0.5);
        all
    }
}

/// The fastest stretch of one run over one distance.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Effort {
    pub distance_m: f64,
    /// Wall-clock seconds from the stretch's first second to the moment the
    /// distance was covered: a stop or a paused watch inside it counts, so
    /// pausing cannot make a record.
    pub time_s: f64,
    /// The same stretch as if run on the flat (its grade-adjusted distance).
    pub gap_time_s: f64,
    /// Where the stretch starts, seconds from the start of the run.
    pub start_offset_s: u32,
}

impl Effort {
    pub fn speed_m_s(&self) -> f64 {
        self.distance_m / self.time_s
    }
}

/// Whether two distances are the same one (configured distances are
/// whole metres; the mile is not).
pub fn same_distance(a_m: f64, b_m: f64) -> bool {
    (a_m - b_m).abs() < 0.5
}

/// One run's best efforts (distances it covered, shortest first) and its
/// mean-maximal speed for each of [`CURVE_DURATIONS_S`] it lasted.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Efforts {
    pub best: Vec<Effort>,
    /// (duration, best mean speed), shortest first.
    pub curve: Vec<(u32, f64)>,
}

/// Best efforts and the speed curve of one run (nothing without a distance
/// channel: a treadmill without foot pod).
pub fn efforts(c: &Clean, distances: &Distances) -> Efforts {
    let covered_m = covered_m(c);
    if covered_m.last().copied().unwrap_or(0.0) <= 0.0 {
        return Efforts::default();
    }
    Efforts { best: best_efforts(c, &covered_m, distances), curve: curve(c, &covered_m) }
}

/// The best efforts alone (issue 14's benchmark times them apart from the
/// curve): `covered_m` is [`covered_m`]'s running distance, one entry more
/// than the run has seconds (shorter panics).
pub fn best_efforts(c: &Clean, covered_m: &[f64], distances: &Distances) -> Vec<Effort> {
    let total_m = covered_m.last().copied().unwrap_or(0.0);
    distances.all_m().into_iter().filter(|&d| d <= total_m).filter_map(|d| best_over(c, covered_m, d)).collect()
}

/// The mean-maximal speed curve alone (for the benchmark).
pub fn speed_curve(c: &Clean) -> Vec<(u32, f64)> {
    curve(c, &covered_m(c))
}

/// Distance covered before each moving second: the running sum of the
/// 1 Hz speeds (each moving second moves the runner its speed's worth;
/// stopped seconds are not in the series).
pub fn covered_m(c: &Clean) -> Vec<f64> {
    let mut out = Vec::with_capacity(c.len() + 1);
    let mut total = 0.0;
    out.push(total);
    for &v in &c.speed_m_s {
        if v.is_finite() {
            total += f64::from(v);
        }
        out.push(total);
    }
    out
}

/// The fastest stretch covering `distance_m`: for each first second `i`,
/// the first `j` whose seconds `i..j` cover it; `j` only moves forward.
fn best_over(c: &Clean, at_m: &[f64], distance_m: f64) -> Option<Effort> {
    let len = c.len();
    // Sliced to the lengths the loop relies on, so the compiler can see
    // every index in bounds (this loop is most of the best efforts' time).
    let (clock_s, at_m) = (&c.elapsed_s[..len], &at_m[..=len]);
    let mut best: Option<(f64, usize, usize)> = None;
    let mut best_s = f64::INFINITY;
    let mut j = 1;
    for i in 0..len {
        j = j.max(i + 1);
        while j <= len && at_m[j] - at_m[i] < distance_m {
            j += 1;
        }
        if j > len {
            break;
        }
        // The last second is needed only in part: a stretch whose whole
        // seconds already take as long cannot be faster.
        let whole_s = f64::from(clock_s[j - 1] - clock_s[i]);
        if whole_s >= best_s {
            continue;
        }
        let time_s = whole_s + part_of_last(at_m, i, j, distance_m);
        if time_s < best_s {
            (best_s, best) = (time_s, Some((time_s, i, j)));
        }
    }
    let (time_s, i, j) = best?;
    // The same stretch's grade-adjusted distance (without a grade, the
    // distance itself).
    let gap = |second: usize| {
        let (graded, raw) = (c.gap_speed_m_s[second], c.speed_m_s[second]);
        f64::from(if graded.is_finite() {
            graded
        } else if raw.is_finite() {
            raw
        } else {
            0.0
        })
    };
    let gap_m = (i..j - 1).map(gap).sum::<f64>() + part_of_last(at_m, i, j, distance_m) * gap(j - 1);
    let gap_time_s = if gap_m > 0.0 { time_s * distance_m / gap_m } else { time_s };
    Some(Effort { distance_m, time_s, gap_time_s, start_offset_s: clock_s[i] })
}

/// The share of second `j - 1` needed to complete `distance_m` from `i`.
fn part_of_last(p: &[f64], i: usize, j: usize, distance_m: f64) -> f64 {
    let step_m = p[j] - p[j - 1];
    if step_m > 0.0 { ((distance_m - (p[j - 1] - p[i])) / step_m).min(1.0) } else { 1.0 }
}

/// Runs longer than this on the clock (pauses included) walk their
/// samples for the curve instead of laying out every second.
const MAX_DENSE_S: u32 = 200_000;

/// The best mean speed for each duration the run lasted: the most
/// distance any window of wall-clock time that long holds. The distance is
/// laid out per wall-clock second (flat through pauses), so each duration
/// is one pass of differences the compiler can vectorise.
fn curve(c: &Clean, p: &[f64]) -> Vec<(u32, f64)> {
    let (Some(&first), Some(&last)) = (c.elapsed_s.first(), c.elapsed_s.last()) else { return Vec::new() };
    // Wide: a run can end at the top of the second range (fuzzing found one).
    let span_s = u64::from(last - first) + 1;
    let lasted = CURVE_DURATIONS_S.iter().copied().filter(|&d| u64::from(d) <= span_s);
    if span_s > u64::from(MAX_DENSE_S) {
        return lasted.map(|d| (d, best_within(c, p, d))).collect();
    }
    // at[s]: distance covered before wall-clock second s of the run.
    let mut at = Vec::with_capacity(usize::try_from(span_s).unwrap_or(0) + 1);
    for (k, &t) in c.elapsed_s.iter().enumerate() {
        at.resize((t - first) as usize + 1, p[k]);
    }
    at.push(p[c.len()]);
    lasted.map(|d| (d, most_within(&at, d as usize) / f64::from(d))).collect()
}

/// The most distance `at` (per second) grows by over `d` seconds. Eight
/// running maxima side by side, which the compiler vectorises (one fold
/// cannot be: each step waits for the last); a maximum is exact, so the
/// order changes nothing.
fn most_within(at: &[f64], d: usize) -> f64 {
    const LANES: usize = 8;
    let keep_more = |m: &mut f64, (b, a): (&f64, &f64)| {
        if b - a > *m {
            *m = b - a;
        }
    };
    let (later, earlier) = (&at[d..], &at[..at.len() - d]);
    let mut lanes = [0.0f64; LANES];
    let (later_chunks, earlier_chunks) = (later.chunks_exact(LANES), earlier.chunks_exact(LANES));
    let rest = later_chunks.remainder().iter().zip(earlier_chunks.remainder());
    for (b, a) in later_chunks.zip(earlier_chunks) {
        for (m, pair) in lanes.iter_mut().zip(b.iter().zip(a)) {
            keep_more(m, pair);
        }
    }
    let mut most = 0.0f64;
    for pair in rest {
        keep_more(&mut most, pair);
    }
    lanes.iter().fold(most, |m, &lane| if lane > m { lane } else { m })
}

/// [`curve`]'s value for one duration by walking the samples (two
/// pointers): for runs too long on the clock to lay out.
fn best_within(c: &Clean, at_m: &[f64], duration_s: u32) -> f64 {
    let clock_s = &c.elapsed_s;
    let len = c.len();
    let mut best_m = 0.0f64;
    let mut j = 0;
    for i in 0..len {
        // Seconds i..j lie within the window starting at second i.
        j = j.max(i);
        while j < len && clock_s[j] - clock_s[i] < duration_s {
            j += 1;
        }
        best_m = best_m.max(at_m[j] - at_m[i]);
        if j == len {
            break;
        }
    }
    best_m / f64::from(duration_s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::kernel::testing::run;

    /// Self-consistency: the eight side-by-side maxima find what one fold
    /// over the differences finds, at every length around the lane width.
    #[test]
    fn the_most_distance_within_a_duration_is_that_of_one_fold() {
        let mut rng = crate::stats::test_rng::Rng(3);
        for len in [2usize, 7, 8, 9, 16, 17, 100, 1001] {
            let mut total = 0.0;
            let at: Vec<f64> = (0..len)
                .map(|_| {
                    total += f64::from(rng.below(1024)) / 300.0;
                    total
                })
                .collect();
            for d in 1..len {
                let folded = at[d..].iter().zip(&at).fold(0.0f64, |m, (b, a)| if b - a > m { b - a } else { m });
                assert_eq!(most_within(&at, d).to_bits(), folded.to_bits(), "{len} {d}");
            }
        }
    }

    /// GPS-like noise: a deterministic wobble of +-0.6 m/s around the pace,
    /// which averages out over a few seconds as a watch's speed does.
    fn noise(t: u32) -> f64 {
        0.6 * (f64::from(t) * 2.399).sin()
    }

    /// A 40-minute run at 3 m/s with a 5 km stretch at exactly 4 m/s
    /// (1250 s) in the middle, a paused watch before it and a stop (seconds
    /// missing) after: the stretch is found to the second.
    #[test]
    fn the_known_fastest_stretch_is_found_through_noise_and_pauses() {
        let mut c = run(|t| if (600..1850).contains(&t) { 4.0 } else { 3.0 } + noise(t), 2400);
        // A paused watch: 300 s missing before the fast stretch, 60 s after.
        for t in &mut c.elapsed_s[300..] {
            *t += 300;
        }
        for t in &mut c.elapsed_s[2000..] {
            *t += 60;
        }
        let e = efforts(&c, &Distances::default());
        let five = e.best.iter().find(|e| same_distance(e.distance_m, 5000.0)).unwrap();
        assert!((five.time_s - 1250.0).abs() < 2.0, "{five:?}");
        assert!((i64::from(five.start_offset_s) - 900).abs() <= 2, "{five:?}");
        // On the flat, grade-adjusted time is the time.
        assert!((five.gap_time_s - five.time_s).abs() < 1e-6);
        let km = e.best.iter().find(|e| same_distance(e.distance_m, 1000.0)).unwrap();
        assert!((km.time_s - 250.0).abs() < 2.0, "{km:?}");
        // 8.5 km in all: no 10 km.
        assert!(e.best.iter().all(|e| e.distance_m < 10_000.0), "{:?}", e.best);
        // The curve: 10 minutes at 4 m/s inside the stretch, 30 s a little
        // faster with the wobble; longer than the run has no value.
        let at = |d: u32| e.curve.iter().find(|(t, _)| *t == d).map(|p| p.1);
        assert!((at(600).unwrap() - 4.0).abs() < 0.01, "{:?}", e.curve);
        assert!(at(10).unwrap() >= 4.0);
        assert_eq!(at(10_800), None);
    }

    /// A pause does not count as a fast stretch: two halves of 4 m/s with
    /// a 10-minute pause between do not make 5 km in 1250 s.
    #[test]
    fn a_pause_inside_the_stretch_counts_as_time() {
        let mut c = run(|_| 4.0, 1250);
        for t in &mut c.elapsed_s[625..] {
            *t += 600;
        }
        let five =
            efforts(&c, &Distances::default()).best.into_iter().find(|e| same_distance(e.distance_m, 5000.0)).unwrap();
        assert!((five.time_s - 1850.0).abs() < 2.0, "{five:?}");
    }

    #[test]
    fn uphill_grade_adjusted_time_is_faster_and_extra_distances_are_searched() {
        let mut c = run(|_| 3.0, 1800);
        for g in &mut c.gap_speed_m_s {
            *g = 3.3;
        }
        let e = efforts(&c, &Distances::with_extra(&[3000.0, 1000.0]).unwrap());
        let three = e.best.iter().find(|e| same_distance(e.distance_m, 3000.0)).unwrap();
        assert!((three.time_s - 1000.0).abs() < 1e-6 && (three.gap_time_s - 1000.0 / 1.1).abs() < 1e-3, "{three:?}");
        // 1 km given again is searched once.
        assert_eq!(e.best.iter().filter(|e| same_distance(e.distance_m, 1000.0)).count(), 1);
        assert!(Distances::with_extra(&[1.0; 9]).is_none());
    }

    /// The laid-out curve and the sample walk agree, pauses and all.
    #[test]
    fn the_dense_curve_matches_the_sample_walk() {
        let mut c = run(|t| 3.0 + noise(t) + if (700..900).contains(&t) { 1.5 } else { 0.0 }, 4000);
        for t in &mut c.elapsed_s[1000..] {
            *t += 1234;
        }
        let p = covered_m(&c);
        for (d, v) in curve(&c, &p) {
            assert!((v - best_within(&c, &p, d)).abs() < 1e-9, "{d} s");
        }
    }

    #[test]
    fn no_distance_no_efforts() {
        let c = run(|_| f64::NAN, 1000);
        assert_eq!(efforts(&c, &Distances::default()), Efforts::default());
    }
}
