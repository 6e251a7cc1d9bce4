//! The statistics every stage shares, written once: robust centres and
//! spreads, a robust line fit, and the rounding the output tables use.

/// Huber's tuning constant: 95 % of the mean's efficiency on normal
/// noise, and a bounded pull for a wild value.
pub const HUBER_K: f64 = 1.345;
/// The median absolute deviation of normal noise times this is its
/// standard deviation.
pub const MAD_TO_SD: f64 = 1.4826;

/// Median, reordering `v` in place; `None` for no values.
///
/// Selects the middle value(s) instead of sorting: linear rather than
/// n log n, and sorting was 6 % of analysing a GPX run (Theil-Sen takes the
/// median of every pair's slope). The total order makes the selected values
/// the very ones a sort puts in the middle, bit for bit.
pub fn median(v: &mut [f64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    let n = v.len();
    let (below, &mut upper, _) = v.select_nth_unstable_by(n / 2, f64::total_cmp);
    if !n.is_multiple_of(2) {
        return Some(upper);
    }
    // The value just below the middle is the largest of those before it.
    let lower = below.iter().copied().max_by(f64::total_cmp)?;
    Some(f64::midpoint(lower, upper))
}

/// The finite values of a 1 Hz series, widened; reserved at once, as a
/// filtered collect grows (and copies) its list seven times over a window.
pub fn finite_f64(series: &[f32]) -> Vec<f64> {
    let mut out = Vec::with_capacity(series.len());
    out.extend(series.iter().filter(|v| v.is_finite()).map(|&v| f64::from(v)));
    out
}

/// One distinct value of a series, how often it occurs, and how many of
/// those occurrences were flagged.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Counted {
    pub value: f32,
    pub count: u32,
    pub flagged: u32,
}

/// The distinct finite values of a series (equal bits), each with its
/// counts, in `f32::total_cmp` order. A run's 20,000 heart rates hold
/// each value for seconds at a time, so a run of equal readings is counted
/// in place and only the distinct values (hundreds, a few thousand when
/// smart recording is interpolated) are looked up in a table and sorted: a comparison sort of the whole series was 3 %,
/// and a radix sort (whose counters all wait on one another when readings
/// repeat) 4 %, of analysing a GPX run. Whole beats, most readings, are
/// counted by their number, without a lookup.
pub fn tally(values: impl IntoIterator<Item = (f32, bool)>) -> Vec<Counted> {
    let mut table = Table::default();
    let mut beats = [(0u32, 0u32); 256];
    let mut add = |c: Counted| {
        if c.value >= 1.0 && c.value < 256.0 && c.value.fract() == 0.0 {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // a whole number in 1..256
            let beat = &mut beats[c.value as usize];
            (beat.0, beat.1) = (beat.0 + c.count, beat.1 + c.flagged);
        } else {
            table.add(c);
        }
    };
    let mut run: Option<Counted> = None;
    for (value, flag) in values {
        if !value.is_finite() {
            continue;
        }
        match &mut run {
            Some(r) if r.value.to_bits() == value.to_bits() => {
                r.count += 1;
                r.flagged += u32::from(flag);
            }
            _ => {
                if let Some(done) = run.replace(Counted { value, count: 1, flagged: u32::from(flag) }) {
                    add(done);
                }
            }
        }
    }
    if let Some(done) = run {
        add(done);
    }
    let whole = (1u8..=255).zip(&beats[1..]).filter(|(_, b)| b.0 > 0);
    let mut out: Vec<Counted> = whole
        .map(|(beat, &(count, flagged))| Counted { value: f32::from(beat), count, flagged })
        .chain(table.slots.into_iter().flatten())
        .collect();
    out.sort_unstable_by(|a, b| a.value.total_cmp(&b.value));
    out
}

/// Open addressing on a value's bits, at most half full.
#[derive(Default)]
struct Table {
    slots: Vec<Option<Counted>>,
    used: usize,
    /// 32 less the log2 of the slots: the hash's top bits index them.
    shift: u32,
}

impl Table {
    fn add(&mut self, c: Counted) {
        if 2 * (self.used + 1) > self.slots.len() {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        // Fibonacci hashing: neighbouring values differ in their exponent
        // and top mantissa bits, which the multiply spreads into the top
        // bits that index the slots.
        let mut at = (c.value.to_bits().wrapping_mul(0x9E37_79B9) >> self.shift) as usize;
        loop {
            match &mut self.slots[at] {
                Some(slot) if slot.value.to_bits() == c.value.to_bits() => {
                    slot.count += c.count;
                    slot.flagged += c.flagged;
                    return;
                }
                Some(_) => at = (at + 1) & mask,
                free @ None => {
                    *free = Some(c);
                    self.used += 1;
                    return;
                }
            }
        }
    }

    fn grow(&mut self) {
        let size = (2 * self.slots.len()).max(256);
        let old = std::mem::replace(&mut self.slots, vec![None; size]);
        self.shift = 32 - size.trailing_zeros();
        self.used = 0;
        old.into_iter().flatten().for_each(|c| self.add(c));
    }
}

/// `MAD_TO_SD` x the median absolute deviation of `values` from `centre`:
/// a standard deviation one odd value does not inflate; `None` for no values.
pub fn robust_sd(values: &[f64], centre: f64) -> Option<f64> {
    let mut deviations: Vec<f64> = values.iter().map(|v| (v - centre).abs()).collect();
    median(&mut deviations).map(|m| MAD_TO_SD * m)
}

/// Mean and population standard deviation.
pub fn mean_sd(v: &[f64]) -> Option<(f64, f64)> {
    if v.is_empty() {
        return None;
    }
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let var = v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
    Some((mean, var.sqrt()))
}

/// Coefficient of variation (sd / mean); 0 where the mean is not positive.
pub fn cv(v: &[f64]) -> f64 {
    match mean_sd(v) {
        Some((mean, sd)) if mean > 0.0 => sd / mean,
        _ => 0.0,
    }
}

/// Theil-Sen slope: the median of the slopes between all pairs of points
/// whose x differ by at least `min_dx`. Robust to the odd outlier, which a
/// least-squares line follows.
pub fn theil_sen_slope(points: &[(f64, f64)], min_dx: f64) -> Option<f64> {
    let mut slopes = Vec::with_capacity(points.len() * points.len().saturating_sub(1) / 2);
    for (i, a) in points.iter().enumerate() {
        for b in &points[i + 1..] {
            let dx = b.0 - a.0;
            if dx.abs() >= min_dx {
                slopes.push((b.1 - a.1) / dx);
            }
        }
    }
    median(&mut slopes)
}

/// Theil-Sen line: the slope above and the median intercept.
pub fn theil_sen(points: &[(f64, f64)], min_dx: f64) -> Option<(f64, f64)> {
    let slope = theil_sen_slope(points, min_dx)?;
    let mut intercepts: Vec<f64> = points.iter().map(|(x, y)| y - slope * x).collect();
    Some((slope, median(&mut intercepts)?))
}

/// An ordinary least-squares line with how well it fits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineFit {
    pub slope: f64,
    pub intercept: f64,
    /// Share of the variance of y the line explains.
    pub r2: f64,
    /// One standard error of the slope (0 for two points).
    pub slope_se: f64,
}

/// Least-squares line through `points`; `None` for fewer than two distinct x.
pub fn linear_fit(points: &[(f64, f64)]) -> Option<LineFit> {
    let n = points.len() as f64;
    let (mx, my) = (points.iter().map(|p| p.0).sum::<f64>() / n, points.iter().map(|p| p.1).sum::<f64>() / n);
    let sxx: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let syy: f64 = points.iter().map(|p| (p.1 - my).powi(2)).sum();
    if points.len() < 2 || sxx <= 0.0 {
        return None;
    }
    let slope = sxy / sxx;
    let intercept = my - slope * mx;
    let residual: f64 = points.iter().map(|p| (p.1 - intercept - slope * p.0).powi(2)).sum();
    let r2 = if syy > 0.0 { 1.0 - residual / syy } else { 1.0 };
    let slope_se = if points.len() > 2 { (residual / (n - 2.0) / sxx).sqrt() } else { 0.0 };
    Some(LineFit { slope, intercept, r2, slope_se })
}

/// `v` to `decimals` places: tables and summary.json carry no float noise.
pub fn round(v: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (v * scale).round() / scale
}

/// A finite value rounded; NaN and infinities become missing.
pub fn round_opt(v: Option<f64>, decimals: i32) -> Option<f64> {
    v.filter(|x| x.is_finite()).map(|x| round(x, decimals))
}

/// Deterministic noise for tests that build data with a known truth: one
/// generator for every module's tests (splitmix64, with Box-Muller for
/// normal noise), the same on every machine and run.
#[cfg(test)]
pub mod test_rng {
    pub struct Rng(pub u64);

    impl Rng {
        pub fn next_u64(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }

        /// Uniform in 0..n.
        #[allow(clippy::cast_possible_truncation)] // below n, a u32
        pub fn below(&mut self, n: u32) -> u32 {
            (self.next_u64() % u64::from(n)) as u32
        }

        /// Uniform in [0, 1).
        #[allow(clippy::cast_precision_loss)] // 53 bits fit an f64
        pub fn unit(&mut self) -> f64 {
            (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
        }

        /// Standard normal.
        pub fn normal(&mut self) -> f64 {
            let (u, v) = (self.unit().max(1e-12), self.unit());
            (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_even_and_empty() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(&mut []), None);
    }

    /// Self-consistency: the tally is what a comparison sort of the
    /// finite values, grouped by bits, counts.
    #[test]
    fn the_tally_is_that_of_a_sort() {
        let by_sort = |v: &[(f32, bool)]| {
            let mut sorted: Vec<(f32, bool)> = v.iter().copied().filter(|(x, _)| x.is_finite()).collect();
            sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
            let mut out: Vec<(u32, u32, u32)> = Vec::new();
            for (x, flag) in sorted {
                match out.last_mut() {
                    Some(last) if last.0 == x.to_bits() => (last.1, last.2) = (last.1 + 1, last.2 + u32::from(flag)),
                    _ => out.push((x.to_bits(), 1, u32::from(flag))),
                }
            }
            out
        };
        let mut rng = test_rng::Rng(11);
        let any: Vec<f32> = (0..5000).map(|_| f32::from_bits(u32::try_from(rng.next_u64() >> 32).unwrap())).collect();
        let mut beats = |n: usize, step: f32| -> Vec<f32> {
            let mut hr = 140.0;
            (0..n)
                .map(|_| {
                    // Held for a few seconds, then a step; now and then missing.
                    if rng.below(4) == 0 {
                        hr += step * (f32::from(u16::try_from(rng.below(5)).unwrap()) - 2.0);
                    }
                    if rng.below(50) == 0 { f32::NAN } else { hr }
                })
                .collect()
        };
        let whole = beats(20_000, 1.0);
        let fractions = beats(3000, 0.37);
        for values in [any, whole, fractions, vec![0.0, -0.0, 0.0, f32::INFINITY], vec![150.0; 7], Vec::new()] {
            let flagged: Vec<(f32, bool)> = values.iter().enumerate().map(|(i, &v)| (v, i % 3 == 0)).collect();
            let got: Vec<(u32, u32, u32)> =
                tally(flagged.iter().copied()).iter().map(|c| (c.value.to_bits(), c.count, c.flagged)).collect();
            assert_eq!(got, by_sort(&flagged), "{} values", values.len());
        }
    }

    #[test]
    fn median_by_selection_is_bit_for_bit_the_median_of_the_sorted_values() {
        let mut state: u64 = 7;
        let mut next = move || {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            u32::try_from(state >> 33).expect("31 bits")
        };
        for len in 1usize..200 {
            // Few distinct values (ties), signed zeros and the odd NaN.
            let v: Vec<f64> = (0..len)
                .map(|_| match next() % 9 {
                    0 => -0.0,
                    1 => 0.0,
                    2 if len.is_multiple_of(7) => f64::NAN,
                    k => (f64::from(k) - 4.0) * 0.1 + f64::from(next() % 5),
                })
                .collect();
            let mut sorted = v.clone();
            sorted.sort_by(f64::total_cmp);
            let m = len / 2;
            let expected = if len.is_multiple_of(2) { f64::midpoint(sorted[m - 1], sorted[m]) } else { sorted[m] };
            assert_eq!(median(&mut v.clone()).map(f64::to_bits), Some(expected.to_bits()), "{v:?}");
        }
    }

    #[test]
    fn theil_sen_ignores_one_wild_point() {
        let mut points: Vec<(f64, f64)> = (0..10).map(|i| (f64::from(i), 1.0 + 2.0 * f64::from(i))).collect();
        points[4].1 = 500.0;
        let (slope, intercept) = theil_sen(&points, 1.0).unwrap();
        assert!((slope - 2.0).abs() < 1e-9 && (intercept - 1.0).abs() < 1e-9, "{slope} {intercept}");
        // Pairs closer than min_dx in x say nothing about the slope.
        assert_eq!(theil_sen_slope(&[(0.0, 0.0), (0.5, 9.0)], 1.0), None);
    }

    #[test]
    fn least_squares_line_and_its_fit() {
        let fit = linear_fit(&[(0.0, 1.0), (1.0, 3.0), (2.0, 5.0)]).unwrap();
        assert!((fit.slope - 2.0).abs() < 1e-12 && (fit.intercept - 1.0).abs() < 1e-12 && fit.slope_se < 1e-9);
        assert!((fit.r2 - 1.0).abs() < 1e-12);
        let noisy = linear_fit(&[(0.0, 0.0), (1.0, 2.0), (2.0, 1.0), (3.0, 3.0)]).unwrap();
        assert!((noisy.slope - 0.8).abs() < 1e-12 && noisy.r2 < 0.7 && noisy.slope_se > 0.0, "{noisy:?}");
        assert_eq!(linear_fit(&[(1.0, 0.0), (1.0, 2.0)]), None);
    }

    #[test]
    fn spreads_and_rounding() {
        assert_eq!(mean_sd(&[2.0, 4.0]), Some((3.0, 1.0)));
        assert!((cv(&[2.0, 4.0]) - 1.0 / 3.0).abs() < 1e-12);
        assert!(cv(&[]).abs() < f64::EPSILON);
        assert!((round(2.345_6, 2) - 2.35).abs() < 1e-12);
        assert_eq!(round_opt(Some(f64::NAN), 1), None);
    }
}
