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

/// `values` in `f32::total_cmp` order, by a radix sort of their bits: a
/// run's 20,000 heart rates in four linear passes rather than a comparison
/// sort (2.4 % of analysing a GPX run). Equal values are equal bits, so the
/// order is the comparison sort's, value for value.
pub fn radix_sorted(values: Vec<f32>) -> Vec<f32> {
    // total_cmp's key: negative numbers flipped whole, positive ones with
    // the sign bit set, so unsigned order is total order.
    let key = |v: f32| {
        let bits = v.to_bits();
        if bits >> 31 == 1 { !bits } else { bits | 1 << 31 }
    };
    let mut keys: Vec<u32> = values.into_iter().map(key).collect();
    let mut spare = vec![0u32; keys.len()];
    for shift in [0, 8, 16, 24] {
        let mut starts = [0usize; 257];
        for &k in &keys {
            starts[((k >> shift) & 0xFF) as usize + 1] += 1;
        }
        for digit in 0..256 {
            starts[digit + 1] += starts[digit];
        }
        for &k in &keys {
            let slot = &mut starts[((k >> shift) & 0xFF) as usize];
            spare[*slot] = k;
            *slot += 1;
        }
        std::mem::swap(&mut keys, &mut spare);
    }
    let value = |k: u32| f32::from_bits(if k >> 31 == 1 { k & !(1 << 31) } else { !k });
    keys.into_iter().map(value).collect()
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

    #[test]
    fn the_radix_sort_orders_as_total_cmp_does() {
        let mut state: u64 = 11;
        let mut values = vec![0.0f32, -0.0, f32::MIN, f32::MAX, f32::MIN_POSITIVE, -f32::MIN_POSITIVE, 1e-45, -1e-45];
        for _ in 0..5000 {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let bits = u32::try_from(state >> 32).expect("32 bits");
            let v = f32::from_bits(bits);
            // Heart rates with many repeats, and any finite value at all.
            values.push(if bits % 3 == 0 {
                120.0 + f32::from(u8::try_from(bits % 40).expect("small")) * 0.5
            } else {
                v
            });
        }
        values.retain(|v| v.is_finite());
        let mut expected = values.clone();
        expected.sort_unstable_by(f32::total_cmp);
        let bits = |v: &[f32]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&radix_sorted(values)), bits(&expected));
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
