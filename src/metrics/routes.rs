//! "Am I in a rut?" Each GPS run gets a route signature (the ~50 m grid cells
//! its track touches, resampled every 25 m, plus start, end and distance);
//! runs are clustered greedily in time order, each joining the best matching
//! earlier route found through a grid index on start and end points, never
//! by comparing all pairs. A loop run the other way round is the same route.

use std::collections::{BTreeSet, HashMap};

use crate::parse::Samples;
use crate::parse::geo::{self, Fix, haversine_m};

const RESAMPLE_M: f64 = 25.0;
const CELL_M: f64 = 50.0;
const MATCH_RADIUS_M: f64 = 200.0;
const DISTANCE_TOLERANCE: f64 = 0.15;
const MIN_JACCARD: f64 = 0.6;
/// Shorter tracks (a GPS fix at the door, a treadmill's stray point) are no route.
const MIN_TRACK_M: f64 = 500.0;
const M_PER_DEG: f64 = 111_195.0;
/// A step longer than this is signal lost: the straight line between the
/// fixes is not the course, so no cells are filled along it.
const MAX_FILLED_STEP_M: f64 = 200.0;
/// Fine enough to draw a course on a map of a city, small enough to keep
/// every route of a decade in memory (~100 points for 10 km).
const TRACK_STEP_M: f64 = 100.0;

/// What identifies a run's course.
#[derive(Debug, Clone, PartialEq)]
pub struct Signature {
    pub cells: Vec<(i32, i32)>,
    pub start: (f64, f64),
    pub end: (f64, f64),
    pub distance_m: f64,
    /// The course every `TRACK_STEP_M`, for the route map.
    pub track: Vec<(f64, f64)>,
}

/// Grid cell of a point: ~50 m square anywhere (longitude cells are widened
/// by latitude band so the same place always falls in the same cell).
fn cell(lat: f64, lon: f64, size_m: f64) -> (i32, i32) {
    let band_cos = (lat.floor() + 0.5).to_radians().cos().max(0.01);
    #[allow(clippy::cast_possible_truncation)] // |lat| <= 90, |lon| <= 180: cell indices fit i32
    ((lat * M_PER_DEG / size_m).floor() as i32, (lon * M_PER_DEG * band_cos / size_m).floor() as i32)
}

/// The course of one run, from its time-ordered positions.
pub fn signature(s: &Samples) -> Option<Signature> {
    // The kept fixes (the same as the cleaned distance's), each with
    // whether it was reached from the one before.
    let points: Vec<((f64, f64), bool)> = geo::classify_fixes(s)
        .into_iter()
        .enumerate()
        .filter(|(_, f)| f.is_kept())
        .map(|(i, f)| ((s.lat_deg[i], s.lon_deg[i]), f == Fix::Step))
        .collect();
    let (&(start, _), &(end, _)) = (points.first()?, points.last()?);
    let mut cells = BTreeSet::new();
    let mut track = vec![start];
    let mut distance = 0.0;
    let mut next_mark = 0.0;
    let mut next_track_mark = TRACK_STEP_M;
    for w in points.windows(2) {
        let ((a, _), (b, reached)) = (w[0], w[1]);
        let step = if reached { haversine_m(a.0, a.1, b.0, b.1) } else { 0.0 };
        if !reached || step > MAX_FILLED_STEP_M {
            distance += step;
            next_mark = distance;
            track.push(b);
            next_track_mark = distance + TRACK_STEP_M;
            continue;
        }
        if distance + step >= next_track_mark {
            track.push(b);
            next_track_mark = distance + step + TRACK_STEP_M;
        }
        // Every 25 m along the track, interpolated within the step.
        while next_mark <= distance + step {
            let f = if step > 0.0 { (next_mark - distance) / step } else { 0.0 };
            cells.insert(cell(a.0 + (b.0 - a.0) * f, a.1 + (b.1 - a.1) * f, CELL_M));
            next_mark += RESAMPLE_M;
        }
        distance += step;
    }
    if track.last() != Some(&end) {
        track.push(end);
    }
    (distance >= MIN_TRACK_M).then(|| Signature {
        cells: cells.into_iter().collect(),
        start,
        end,
        distance_m: distance,
        track,
    })
}

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

/// Cluster signatures (given in time order, `None` = no route) into routes.
/// Returns each activity's route index and the routes.
pub fn cluster(signatures: &[Option<&Signature>]) -> (Vec<Option<usize>>, Vec<Route>) {
    let mut routes: Vec<Route> = Vec::new();
    // Routes by the grid cell (of the match radius) of their start and end.
    let mut index: HashMap<(i32, i32), Vec<usize>> = HashMap::new();
    let mut assigned = vec![None; signatures.len()];
    for (i, sig) in signatures.iter().enumerate() {
        let Some(sig) = sig else { continue };
        let (c0, c1) = cell(sig.start.0, sig.start.1, MATCH_RADIUS_M);
        let mut candidates: Vec<usize> = (-1..=1)
            .flat_map(|dy| (-1..=1).map(move |dx| (c0 + dy, c1 + dx)))
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
                let key = cell(p.0, p.1, MATCH_RADIUS_M);
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
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_possible_wrap)] // small test geometry
mod tests {
    use super::*;
    use crate::parse::Point;

    /// A square loop of `side_m` at (lat0, lon0), every 5 m, optionally reversed.
    fn square(lat0: f64, lon0: f64, side_m: f64, reverse: bool) -> Samples {
        let d = side_m / M_PER_DEG;
        let corners = [(0.0, 0.0), (d, 0.0), (d, d * 1.4), (0.0, d * 1.4), (0.0, 0.0)];
        let mut pts = Vec::new();
        for w in corners.windows(2) {
            for k in 0..(side_m / 5.0) as usize {
                let f = k as f64 / (side_m / 5.0);
                pts.push((w[0].0 + (w[1].0 - w[0].0) * f, w[0].1 + (w[1].1 - w[0].1) * f));
            }
        }
        if reverse {
            pts.reverse();
        }
        let mut s = Samples::default();
        for (t, (a, b)) in pts.into_iter().enumerate() {
            s.push(&Point {
                time_ms: t as i64 * 2000,
                lat_deg: Some(lat0 + a),
                lon_deg: Some(lon0 + b),
                ..Point::default()
            });
        }
        s
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
    fn a_long_step_after_signal_loss_adds_no_cells_along_it() {
        let mut s = square(46.5, 6.6, 800.0, false);
        let last = *s.time_ms.last().unwrap();
        // Two days later (slow enough not to be a GPS jump), 1,000 km away.
        s.push(&Point { time_ms: last + 172_800_000, lat_deg: Some(55.5), lon_deg: Some(6.6), ..Point::default() });
        let with_step = signature(&s).unwrap();
        let without = signature(&square(46.5, 6.6, 800.0, false)).unwrap();
        assert_eq!(with_step.cells, without.cells, "no cells filled along 1,000 km");
        assert!(with_step.distance_m > 1.0e6);
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
