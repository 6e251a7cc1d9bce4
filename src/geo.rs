//! Geodesy and terrain, shared by every stage that reads positions: great-circle
//! distance, and the energy cost of running on a grade (Minetti et al. 2002)
//! that grade-adjusted speed is built on: GAP speed = speed x C(i) / C(0).

const EARTH_RADIUS_M: f64 = 6_371_008.8;
/// Metres in a degree of latitude (and of longitude at the equator).
pub const M_PER_DEG: f64 = 111_195.0;

/// Great-circle distance in metres.
pub fn haversine_m(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * a.sqrt().asin()
}

/// Energy cost of running at grade `i` (rise over run), J/kg/m, with the
/// grade clamped to the range the model was fitted on.
pub fn grade_cost_j_per_kg_m(i: f64) -> f64 {
    let i = i.clamp(-0.45, 0.45);
    155.4 * i.powi(5) - 30.4 * i.powi(4) - 43.3 * i.powi(3) + 46.3 * i.powi(2) + 19.5 * i + 3.6
}

/// How much harder (>1) or easier (<1) a metre at grade `i` is than on the flat.
pub fn grade_cost_ratio(i: f64) -> f64 {
    grade_cost_j_per_kg_m(i) / grade_cost_j_per_kg_m(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn haversine_one_degree_of_latitude() {
        let d = haversine_m(0.0, 0.0, 1.0, 0.0);
        assert!((d - 111_195.0).abs() < 10.0, "{d}");
    }

    #[test]
    fn flat_is_one_uphill_costs_more_gentle_downhill_less() {
        assert!((grade_cost_ratio(0.0) - 1.0).abs() < 1e-12);
        // C(0.1) = 5.968 J/kg/m against 3.6 on the flat.
        assert!((grade_cost_ratio(0.10) - 1.658).abs() < 0.001, "{}", grade_cost_ratio(0.10));
        assert!(grade_cost_ratio(-0.10) < 1.0);
        // Steep downhill costs more again (braking), and the grade is clamped.
        assert!(grade_cost_ratio(-0.40) > grade_cost_ratio(-0.20));
        assert!((grade_cost_ratio(0.9) - grade_cost_ratio(0.45)).abs() < 1e-12);
    }
}
