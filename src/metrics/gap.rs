//! Grade-adjusted speed: Minetti et al. (2002), the energy cost of running on
//! a slope, relative to the flat. GAP speed = speed x C(i) / C(0).

/// Energy cost of running at grade `i` (rise over run), J/kg/m, with the
/// grade clamped to the range the model was fitted on.
pub fn cost_j_per_kg_m(i: f64) -> f64 {
    let i = i.clamp(-0.45, 0.45);
    155.4 * i.powi(5) - 30.4 * i.powi(4) - 43.3 * i.powi(3) + 46.3 * i.powi(2) + 19.5 * i + 3.6
}

/// How much harder (>1) or easier (<1) a metre at grade `i` is than on the flat.
pub fn cost_ratio(i: f64) -> f64 {
    cost_j_per_kg_m(i) / cost_j_per_kg_m(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_is_one_uphill_costs_more_gentle_downhill_less() {
        assert!((cost_ratio(0.0) - 1.0).abs() < 1e-12);
        // C(0.1) = 5.968 J/kg/m against 3.6 on the flat.
        assert!((cost_ratio(0.10) - 1.658).abs() < 0.001, "{}", cost_ratio(0.10));
        assert!(cost_ratio(-0.10) < 1.0);
        // Steep downhill costs more again (braking), and the grade is clamped.
        assert!(cost_ratio(-0.40) > cost_ratio(-0.20));
        assert!((cost_ratio(0.9) - cost_ratio(0.45)).abs() < 1e-12);
    }
}
