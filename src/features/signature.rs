//! A run's course, reduced in the parallel stage to what route matching
//! needs: the ~50 m grid cells its track touches (resampled every 25 m),
//! start, end and distance, and a coarse track for the route map.

use std::collections::BTreeSet;

use crate::geo::M_PER_DEG;
use crate::parse::Samples;
use crate::parse::fixes::{self, Fix};

const RESAMPLE_M: f64 = 25.0;
/// Side of a route cell, also the resolution of the route map's heat.
pub const CELL_M: f64 = 50.0;
/// Shorter tracks (a GPS fix at the door, a treadmill's stray point) are no route.
const MIN_TRACK_M: f64 = 500.0;
/// A step longer than this is signal lost: the straight line between the
/// fixes is not the course, so no cells are filled along it.
const MAX_FILLED_STEP_M: f64 = 200.0;
/// Fine enough to draw a course on a map of a city, small enough to keep
/// every route of a decade in memory (~100 points for 10 km).
const TRACK_STEP_M: f64 = 100.0;

/// What identifies a run's course.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Signature {
    pub cells: Vec<(i32, i32)>,
    pub start: (f64, f64),
    pub end: (f64, f64),
    pub distance_m: f64,
    /// The course every `TRACK_STEP_M`, for the route map.
    pub track: Vec<(f64, f64)>,
}

/// Grid cell of a point: ~50 m square anywhere (longitude cells are widened
/// by latitude band so the same place always falls in the same cell). The
/// band is the one of the cell's southern edge, so a cell can be turned
/// back into a place (`cell_centre`).
fn cell(lat: f64, lon: f64, size_m: f64) -> (i32, i32) {
    #[allow(clippy::cast_possible_truncation)] // |lat| <= 90, |lon| <= 180: cell indices fit i32
    let row = (lat * M_PER_DEG / size_m).floor() as i32;
    #[allow(clippy::cast_possible_truncation)] // as above
    (row, (lon * M_PER_DEG * band_cos(row, size_m) / size_m).floor() as i32)
}

fn band_cos(row: i32, size_m: f64) -> f64 {
    let south_deg = f64::from(row) * size_m / M_PER_DEG;
    (south_deg.floor() + 0.5).to_radians().cos().max(0.01)
}

/// Latitude and longitude of the middle of a route cell.
pub fn cell_centre((row, col): (i32, i32)) -> (f64, f64) {
    let lat = (f64::from(row) + 0.5) * CELL_M / M_PER_DEG;
    (lat, (f64::from(col) + 0.5) * CELL_M / (M_PER_DEG * band_cos(row, CELL_M)))
}

/// The course of one run, from its time-ordered positions.
pub fn signature(s: &Samples) -> Option<Signature> {
    signature_with_fixes(s, &fixes::SharedFixes::new(s))
}

/// [`signature`], with the fixes (the same as the cleaned distance's)
/// shared with other stages.
pub fn signature_with_fixes(s: &Samples, fixes: &fixes::SharedFixes<'_>) -> Option<Signature> {
    // The kept fixes, each with whether it was reached from the one before
    // and the step from it.
    let steps_m = fixes.kept_steps_m();
    let points: Vec<((f64, f64), bool, f64)> = fixes
        .get()
        .iter()
        .enumerate()
        .filter(|(_, f)| f.is_kept())
        .map(|(i, &f)| ((s.lat_deg[i], s.lon_deg[i]), f == Fix::Step, steps_m[i]))
        .collect();
    let (&(start, _, _), &(end, _, _)) = (points.first()?, points.last()?);
    let mut cells = BTreeSet::new();
    let mut track = vec![start];
    let mut distance = 0.0;
    let mut next_mark = 0.0;
    let mut next_track_mark = TRACK_STEP_M;
    for w in points.windows(2) {
        let ((a, _, _), (b, reached, step)) = (w[0], w[1]);
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

#[cfg(test)]
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_possible_wrap)] // small test geometry
pub mod testing {
    use super::M_PER_DEG;
    use crate::parse::{Point, Samples};

    /// A square loop of `side_m` at (lat0, lon0), every 5 m, optionally reversed.
    pub fn square(lat0: f64, lon0: f64, side_m: f64, reverse: bool) -> Samples {
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
}

#[cfg(test)]
mod tests {
    use super::testing::square;
    use super::*;
    use crate::geo::haversine_m;
    use crate::parse::Point;

    #[test]
    fn a_cell_centre_is_within_the_cell_of_its_point() {
        for &(lat, lon) in &[(48.137, 11.575), (-33.868, 151.209), (40.712, -74.006), (46.999_99, 6.6)] {
            let (clat, clon) = cell_centre(cell(lat, lon, CELL_M));
            assert!(haversine_m(lat, lon, clat, clon) < CELL_M, "{lat} {lon}: {clat} {clon}");
        }
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
}
