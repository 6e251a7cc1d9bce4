//! "Am I in a rut?" Each GPS run gets a route signature (the ~50 m grid cells
//! its track touches, resampled every 25 m, plus start, end and distance);
//! runs are clustered greedily in time order, each joining the best matching
//! earlier route found through a grid index on start and end points, never
//! by comparing all pairs. A loop run the other way round is the same route.

use std::collections::HashMap;

use crate::features::signature::Signature;
use crate::geo::{M_PER_DEG, haversine_m};

const MATCH_RADIUS_M: f64 = 200.0;
const DISTANCE_TOLERANCE: f64 = 0.15;
const MIN_JACCARD: f64 = 0.6;

fn jaccard(a: &[(i32, i32)], b: &[(i32, i32)]) -> f64 {
    let (mut i, mut j, mut both) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - both;
    if union == 0 { 0.0 } else { both as f64 / union as f64 }
}

fn near(a: (f64, f64), b: (f64, f64)) -> bool {
    haversine_m(a.0, a.1, b.0, b.1) <= MATCH_RADIUS_M
}

/// Same course: ends near each other (either way round), similar distance,
/// mostly the same cells. Returns the overlap when it is a match.
fn matches(run: &Signature, route: &Signature) -> Option<f64> {
    let ends = (near(run.start, route.start) && near(run.end, route.end))
        || (near(run.start, route.end) && near(run.end, route.start));
    let distance_ok =
        (run.distance_m - route.distance_m).abs() <= DISTANCE_TOLERANCE * run.distance_m.max(route.distance_m);
    if !(ends && distance_ok) {
        return None;
    }
    let overlap = jaccard(&run.cells, &route.cells);
    (overlap >= MIN_JACCARD).then_some(overlap)
}

/// A route as first run, with its runs.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    pub signature: Signature,
    /// Indices into the activities, in time order.
    pub runs: Vec<usize>,
}

/// Cell of the route index: `MATCH_RADIUS_M` of latitude by as many metres
/// of longitude at the equator. One projection for every point, so a cell
/// never jumps where a latitude band would change (a whole degree): the
/// query widens its reach in longitude instead, where metres per degree
/// shrink.
fn index_cell((lat, lon): (f64, f64)) -> (i32, i32) {
    let deg = MATCH_RADIUS_M / M_PER_DEG;
    #[allow(clippy::cast_possible_truncation)] // |lat| <= 90, |lon| <= 180: cell indices fit i32
    ((lat / deg).floor() as i32, (lon / deg).floor() as i32)
}

/// Longitude cells within `MATCH_RADIUS_M` of a point at latitude `lat`.
fn lon_reach_cells(lat: f64) -> i32 {
    let cells_per_radius = 1.0 / lat.to_radians().cos().max(0.01);
    // At most half the globe's longitude cells: near a pole every cell is near.
    #[allow(clippy::cast_possible_truncation)] // at most 100, by the clamp above
    (cells_per_radius.ceil() as i32).min(100)
}

/// Cluster signatures (given in time order, `None` = no route) into routes.
/// Returns each activity's route index and the routes.
pub fn cluster(signatures: &[Option<&Signature>]) -> (Vec<Option<usize>>, Vec<Route>) {
    let mut routes: Vec<Route> = Vec::new();
    // Routes by the grid cell (of the match radius) of their start and end.
    let mut index: HashMap<(i32, i32), Vec<usize>> = HashMap::new();
    let mut assigned = vec![None; signatures.len()];
    for (i, sig) in signatures.iter().enumerate() {
        let Some(sig) = sig else { continue };
        let (c0, c1) = index_cell(sig.start);
        let reach = lon_reach_cells(sig.start.0);
        let mut candidates: Vec<usize> = (-1..=1)
            .flat_map(|dy| (-reach..=reach).map(move |dx| (c0 + dy, c1 + dx)))
            .filter_map(|c| index.get(&c))
            .flatten()
            .copied()
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        let best = candidates
            .into_iter()
            .filter_map(|r| Some((r, matches(sig, &routes[r].signature)?)))
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
        let r = if let Some((r, _)) = best {
            routes[r].runs.push(i);
            r
        } else {
            routes.push(Route { signature: (*sig).clone(), runs: vec![i] });
            let r = routes.len() - 1;
            for p in [sig.start, sig.end] {
                let key = index_cell(p);
                let entry = index.entry(key).or_default();
                if !entry.contains(&r) {
                    entry.push(r);
                }
            }
            r
        };
        assigned[i] = Some(r);
    }
    (assigned, routes)
}

/// A rut: enough runs in the window, nearly all on three routes, few
/// routes in effect.
pub const RUT_MIN_RUNS: usize = 8;
pub const RUT_TOP3_SHARE: f64 = 0.8;
pub const RUT_EFFECTIVE_ROUTES: f64 = 4.0;
pub const WINDOW_DAYS: i64 = 42;

impl Variety {
    pub fn is_rut(&self) -> bool {
        self.runs >= RUT_MIN_RUNS && self.top3_share >= RUT_TOP3_SHARE && self.effective_routes < RUT_EFFECTIVE_ROUTES
    }
}

/// Variety of a set of runs' routes (one entry per run, route index).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Variety {
    pub runs: usize,
    pub distinct_routes: usize,
    pub top3_share: f64,
    /// e^H of the route shares: the number of equally used routes with the
    /// same diversity.
    pub effective_routes: f64,
    pub new_route_share: f64,
}

/// `first_run_of_route[r]` is the activity index of the route's first run;
/// `runs` are (activity index, route) pairs in the window.
pub fn variety(runs: &[(usize, usize)], first_run_of_route: &[usize]) -> Option<Variety> {
    if runs.is_empty() {
        return None;
    }
    let mut counts: HashMap<usize, usize> = HashMap::new();
    for &(_, r) in runs {
        *counts.entry(r).or_default() += 1;
    }
    let n = runs.len() as f64;
    let mut sorted: Vec<usize> = counts.values().copied().collect();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    let entropy: f64 = sorted.iter().map(|&c| c as f64 / n).map(|p| -p * p.ln()).sum();
    let new = runs.iter().filter(|&&(i, r)| first_run_of_route[r] == i).count();
    Some(Variety {
        runs: runs.len(),
        distinct_routes: counts.len(),
        top3_share: sorted.iter().take(3).sum::<usize>() as f64 / n,
        effective_routes: entropy.exp(),
        new_route_share: new as f64 / n,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::features::signature::{signature, testing::square};

    /// Reported on real histories: the route index widened longitude cells
    /// by the latitude band of each point, so its cells jumped by dozens at
    /// every whole degree and two runs of one loop, started a few metres
    /// either side of 47 degrees north, never met as candidates.
    #[test]
    fn runs_starting_either_side_of_a_whole_degree_of_latitude_share_a_route() {
        let south = signature(&square(46.999_96, 6.6, 800.0, false)).unwrap();
        let north = signature(&square(47.000_04, 6.6, 800.0, false)).unwrap();
        assert!(matches(&north, &south).is_some(), "the same loop, 9 m apart");
        let (ids, routes) = cluster(&[Some(&south), Some(&north)]);
        assert_eq!(ids, [Some(0), Some(0)]);
        assert_eq!(routes.len(), 1);
    }

    #[test]
    fn a_loop_the_other_way_round_is_the_same_route_another_loop_is_not() {
        let a = signature(&square(46.5, 6.6, 800.0, false)).unwrap();
        let b = signature(&square(46.5, 6.6, 800.0, true)).unwrap();
        let c = signature(&square(46.51, 6.6, 800.0, false)).unwrap();
        let bigger = signature(&square(46.5, 6.6, 1200.0, false)).unwrap();
        assert!(matches(&b, &a).is_some());
        assert!(matches(&c, &a).is_none());
        assert!(matches(&bigger, &a).is_none(), "same start, 50 % longer");
        let (ids, routes) = cluster(&[Some(&a), Some(&c), Some(&b), None, Some(&bigger)]);
        assert_eq!(ids, [Some(0), Some(1), Some(0), None, Some(2)]);
        assert_eq!(routes[0].runs, [0, 2]);
    }

    #[test]
    fn variety_figures() {
        // Routes 0,0,0,1,1,2: top-3 share 1, three distinct, e^H ~ 2.75.
        let runs = [(0, 0), (1, 0), (2, 0), (3, 1), (4, 1), (5, 2)];
        let v = variety(&runs, &[0, 3, 5]).unwrap();
        assert_eq!((v.runs, v.distinct_routes), (6, 3));
        assert!((v.top3_share - 1.0).abs() < 1e-12);
        assert!((v.effective_routes - 2.749).abs() < 0.01, "{}", v.effective_routes);
        assert!((v.new_route_share - 0.5).abs() < 1e-12);
    }
}
