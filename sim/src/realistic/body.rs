//! A realistic athlete's body, deliberately unlike runlens's assumptions:
//! heart rate is a nonlinear function of speed with a flattening near max,
//! climbing and descending cost follows a curve other than Minetti's, and
//! heart rate drifts with heat and duration.

/// Steady-state heart rate against flat speed. Up to LTHR an exponential
/// curve through (`v_lthr_m_s`, `lthr_bpm`) with slope `slope_bpm_per_m_s`
/// there and `curvature` per m/s (> 0: heart rate climbs steeply at jogging
/// speeds and flattens towards threshold; < 0: the reverse). Above LTHR
/// speed rises faster per beat (`deflection`) as heart rate flattens towards
/// max. Fitness multiplies the speed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HrCurve {
    pub lthr_bpm: f64,
    pub max_hr_bpm: f64,
    pub v_lthr_m_s: f64,
    pub slope_bpm_per_m_s: f64,
    pub curvature: f64,
    pub deflection: f64,
}

impl HrCurve {
    fn quadratic(&self) -> f64 {
        self.deflection / (self.slope_bpm_per_m_s * (self.max_hr_bpm - self.lthr_bpm))
    }

    /// Steady-state flat speed (m/s at fitness 1) at `hr_bpm`; 0 below the
    /// curve's reach.
    pub fn speed_m_s(&self, hr_bpm: f64) -> f64 {
        let x = hr_bpm - self.lthr_bpm;
        let a = self.slope_bpm_per_m_s;
        if x >= 0.0 {
            return self.v_lthr_m_s + x / a + self.quadratic() * x * x;
        }
        let k = self.curvature;
        if k.abs() < 1e-9 {
            return (self.v_lthr_m_s + x / a).max(0.0);
        }
        let inside = 1.0 - k * x / a;
        if inside <= 0.0 {
            return 0.0;
        }
        (self.v_lthr_m_s - inside.ln() / k).max(0.0)
    }

    /// Steady-state heart rate at flat speed `v_m_s` (fitness 1), before
    /// the body's ceiling (see [`soft_ceiling`]) and the standing floor.
    pub fn hr_bpm(&self, v_m_s: f64) -> f64 {
        let dv = v_m_s - self.v_lthr_m_s;
        let a = self.slope_bpm_per_m_s;
        if dv <= 0.0 {
            let k = self.curvature;
            if k.abs() < 1e-9 {
                return self.lthr_bpm + a * dv;
            }
            return self.lthr_bpm + a * (1.0 - (-k * dv).exp()) / k;
        }
        let q = self.quadratic();
        let x = if q <= 1e-12 { a * dv } else { (-1.0 / a + (1.0 / (a * a) + 4.0 * q * dv).sqrt()) / (2.0 * q) };
        self.lthr_bpm + x
    }
}

/// The heart approaches its max and never reaches it: a smooth ceiling
/// (`width_bpm` ~ 3) instead of a clamp, so the best 30 seconds of a
/// history sit a few beats under the true max.
pub fn soft_ceiling(hr_bpm: f64, max_hr_bpm: f64, width_bpm: f64) -> f64 {
    max_hr_bpm - width_bpm * ((max_hr_bpm - hr_bpm) / width_bpm).exp().ln_1p()
}

/// Energy cost of running at a grade, relative to the flat: a quadratic
/// each side of zero (not Minetti's quintic). Climbs cost less than Minetti
/// says and descents save far less (runners brake), turning costly again
/// beyond about -18 %.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GradeCost {
    pub up_linear: f64,
    pub up_quadratic: f64,
    pub down_linear: f64,
    pub down_quadratic: f64,
}

impl GradeCost {
    pub fn ratio(&self, grade: f64) -> f64 {
        let g = grade.clamp(-0.45, 0.45);
        let c = if g >= 0.0 {
            1.0 + self.up_linear * g + self.up_quadratic * g * g
        } else {
            1.0 + self.down_linear * g + self.down_quadratic * g * g
        };
        c.max(0.6)
    }
}

/// Cardiac drift: beats per minute added after `t_s` seconds of running at
/// `temperature_c`, growing with heat, duration and intensity.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Drift {
    /// Per hour after the first ten minutes, in the cool.
    pub base_bpm_per_h: f64,
    /// Extra per hour per degree above 12 °C.
    pub heat_bpm_per_h_per_c: f64,
    /// Offset from the start per degree above 15 °C.
    pub heat_offset_bpm_per_c: f64,
}

impl Drift {
    pub fn bpm(&self, t_s: f64, temperature_c: f64, intensity: f64) -> f64 {
        let hours = ((t_s - 600.0) / 3600.0).max(0.0);
        let rate = self.base_bpm_per_h + self.heat_bpm_per_h_per_c * (temperature_c - 12.0).max(0.0);
        // Dehydration makes the second and third hours drift faster.
        let duration = hours * (1.0 + 0.35 * (hours - 1.0).max(0.0));
        let offset = self.heat_offset_bpm_per_c * (temperature_c - 15.0).max(0.0);
        offset + rate * duration * intensity.clamp(0.6, 1.3)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CURVE: HrCurve = HrCurve {
        lthr_bpm: 170.0,
        max_hr_bpm: 190.0,
        v_lthr_m_s: 4.0,
        slope_bpm_per_m_s: 30.0,
        curvature: 0.35,
        deflection: 0.8,
    };

    #[test]
    fn curve_inverts_and_is_not_linear() {
        for hr in [100.0, 130.0, 150.0, 169.0, 175.0, 186.0] {
            let v = CURVE.speed_m_s(hr);
            assert!((CURVE.hr_bpm(v) - hr).abs() < 1e-6, "{hr}");
        }
        // Heart rate halfway between 2.5 and 4 m/s is far from the chord.
        let chord = f64::midpoint(CURVE.hr_bpm(2.5), CURVE.hr_bpm(4.0));
        let mid = CURVE.hr_bpm(3.25);
        assert!(mid - chord > 3.0, "{mid} vs {chord}");
        let flipped = HrCurve { curvature: -0.2, ..CURVE };
        assert!(flipped.hr_bpm(3.25) < f64::midpoint(flipped.hr_bpm(2.5), flipped.hr_bpm(4.0)) - 1.0);
        for hr in [120.0, 150.0, 180.0] {
            assert!((flipped.hr_bpm(flipped.speed_m_s(hr)) - hr).abs() < 1e-6);
        }
    }

    #[test]
    fn heart_rate_stays_under_max_without_a_clamp() {
        assert!(soft_ceiling(200.0, 190.0, 3.0) < 190.0);
        assert!(soft_ceiling(190.0, 190.0, 3.0) < 188.5);
        assert!((soft_ceiling(150.0, 190.0, 3.0) - 150.0).abs() < 1e-3);
    }

    #[test]
    fn grade_cost_is_not_minettis() {
        let g = GradeCost { up_linear: 4.5, up_quadratic: 7.0, down_linear: 3.0, down_quadratic: 16.0 };
        let minetti = |i: f64| crate::athlete::minetti_cost(i) / crate::athlete::minetti_cost(0.0);
        assert!((g.ratio(0.1) - minetti(0.1)).abs() > 0.1);
        assert!(g.ratio(-0.1) - minetti(-0.1) > 0.2, "descents save less");
        assert!(g.ratio(-0.3) > 1.0);
    }

    #[test]
    fn drift_grows_with_heat_and_time() {
        let d = Drift { base_bpm_per_h: 2.0, heat_bpm_per_h_per_c: 0.3, heat_offset_bpm_per_c: 0.15 };
        assert!(d.bpm(300.0, 10.0, 1.0).abs() < 1e-9);
        assert!(d.bpm(5400.0, 28.0, 1.0) > 2.0 * d.bpm(5400.0, 8.0, 1.0));
        assert!(d.bpm(9000.0, 10.0, 1.0) > 2.0 * d.bpm(4200.0, 10.0, 1.0));
    }
}
