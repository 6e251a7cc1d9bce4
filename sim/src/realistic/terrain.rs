//! Where realistic athletes run: city loops with traffic lights, rolling
//! countryside, a 400 m track, and mountain out-and-backs with climbs of
//! hundreds of metres whose steep parts are hiked. Routes are polylines at
//! 10 m spacing, generated once per athlete, so runs repeat their courses.

use std::f64::consts::PI;

use crate::athlete::Rng;

const STEP_M: f64 = 10.0;
pub const M_PER_DEG_LAT: f64 = 111_195.0;

/// One course.
#[derive(Clone, Debug)]
pub struct Route {
    /// (lat, lon, altitude) every 10 m.
    points: Vec<(f64, f64, f64)>,
    /// Loops are run round and round; out-and-backs to the end and back.
    pub closed: bool,
    /// Distances along the course with traffic lights.
    pub lights_m: Vec<f64>,
    /// Steep descents here are technical: speed is capped whatever the effort.
    pub technical: bool,
}

/// What a course looks like, for [`Route::build`].
#[derive(Clone, Copy, Debug)]
pub enum Shape {
    /// A wobbly loop of about this length with hills of this amplitude and
    /// traffic lights every this many metres (0: none).
    Loop { length_m: f64, hill_m: f64, lights_every_m: f64 },
    /// A 400 m track.
    Track,
    /// Out along a valley and up a mountain: this length one way, this climb.
    Climb { length_m: f64, gain_m: f64 },
}

fn offset(lat: f64, north_m: f64, east_m: f64) -> (f64, f64) {
    (north_m / M_PER_DEG_LAT, east_m / (M_PER_DEG_LAT * lat.to_radians().cos()))
}

impl Route {
    /// A course starting near `start` (lat, lon, altitude).
    pub fn build(rng: &mut Rng, start: (f64, f64, f64), shape: Shape) -> Route {
        match shape {
            Shape::Loop { length_m, hill_m, lights_every_m } => {
                loop_route(rng, start, length_m, hill_m, lights_every_m)
            }
            Shape::Track => loop_route(rng, start, 400.0, 0.0, 0.0),
            Shape::Climb { length_m, gain_m } => climb_route(rng, start, length_m, gain_m),
        }
    }

    /// Length of one lap, or of the way out.
    pub fn length_m(&self) -> f64 {
        (self.points.len() - 1) as f64 * STEP_M
    }

    /// Where along the course (0..length) a runner is after `d` metres.
    fn along(&self, d: f64) -> f64 {
        let l = self.length_m();
        if self.closed {
            d.rem_euclid(l)
        } else {
            let k = d.rem_euclid(2.0 * l);
            if k <= l { k } else { 2.0 * l - k }
        }
    }

    /// (lat, lon, altitude) after `run_m` metres.
    pub fn at(&self, run_m: f64) -> (f64, f64, f64) {
        let pos = self.along(run_m) / STEP_M;
        let idx = (pos.floor() as usize).min(self.points.len() - 2);
        let frac = pos - idx as f64;
        let (p0, p1) = (self.points[idx], self.points[idx + 1]);
        (p0.0 + (p1.0 - p0.0) * frac, p0.1 + (p1.1 - p0.1) * frac, p0.2 + (p1.2 - p0.2) * frac)
    }

    /// Grade of the terrain the runner is on, in the direction of travel.
    pub fn grade(&self, d: f64) -> f64 {
        (self.at(d + 8.0).2 - self.at(d - 8.0).2) / 16.0
    }

    /// Whether a traffic light lies between `d0` and `d1` metres run.
    pub fn light_between(&self, d0: f64, d1: f64) -> bool {
        if self.lights_m.is_empty() || d1 <= d0 {
            return false;
        }
        let l = self.length_m();
        let (lap0, lap1) = ((d0 / l).floor() as i64, (d1 / l).floor() as i64);
        let (a, b) = (d0 - lap0 as f64 * l, d1 - lap1 as f64 * l);
        self.lights_m.iter().any(|&x| if lap0 == lap1 { a < x && x <= b } else { a < x || x <= b })
    }
}

fn loop_route(rng: &mut Rng, start: (f64, f64, f64), length_m: f64, hill_m: f64, lights_every_m: f64) -> Route {
    let radius = length_m / (2.0 * PI);
    let wobble = rng.range(0.05, 0.2);
    let (lobes, phase) = (2.0 + (rng.next_u64() % 3) as f64, rng.range(0.0, 2.0 * PI));
    let heading = rng.range(0.0, 2.0 * PI);
    // Harmonics of the lap, so the hills close on themselves.
    let waves: Vec<(f64, f64, f64)> = (1..=3)
        .map(|n| {
            (hill_m * rng.range(0.3, 1.0) / f64::from(n), f64::from(n) + f64::from(n / 3), rng.range(0.0, 2.0 * PI))
        })
        .collect();
    let n = (length_m / 2.0) as usize;
    let shape: Vec<(f64, f64)> = (0..=n)
        .map(|i| {
            let theta = 2.0 * PI * i as f64 / n as f64;
            let r = radius * (1.0 + wobble * (lobes * theta + phase).sin());
            // Centred one radius from home in `heading`: the loop passes the door.
            let x = r * theta.cos() - radius;
            let y = r * theta.sin();
            (x * heading.cos() - y * heading.sin(), x * heading.sin() + y * heading.cos())
        })
        .collect();
    let points = resample(
        &shape,
        |frac| start.2 + waves.iter().map(|&(a, k, p)| a * (2.0 * PI * k * frac + p).sin() - a * p.sin()).sum::<f64>(),
        start,
    );
    let route_len = (points.len() - 1) as f64 * STEP_M;
    let lights_m = if lights_every_m > 0.0 {
        let mut v = Vec::new();
        let mut x = rng.range(150.0, lights_every_m);
        while x < route_len - 100.0 {
            v.push(x);
            x += lights_every_m * rng.range(0.6, 1.4);
        }
        v
    } else {
        Vec::new()
    };
    Route { points, closed: true, lights_m, technical: false }
}

fn climb_route(rng: &mut Rng, start: (f64, f64, f64), length_m: f64, gain_m: f64) -> Route {
    // Grades per 200 m: a flat approach, then the climb.
    let sections = (length_m / 200.0).ceil() as usize;
    let approach = sections / 6;
    // Runnable stretches and steep steps (hiked), roughly 7:3.
    let raw: Vec<f64> = (0..sections)
        .map(|i| match i {
            _ if i < approach => rng.range(0.0, 0.02),
            _ if rng.unit() < 0.3 => rng.range(0.15, 0.4),
            _ => rng.range(0.02, 0.1),
        })
        .collect();
    let total: f64 = raw.iter().sum::<f64>() * 200.0;
    let scale = gain_m / total;
    let mut heading = rng.range(0.0, 2.0 * PI);
    let mut shape = vec![(0.0, 0.0)];
    let (mut x, mut y) = (0.0, 0.0);
    let steps = (length_m / 2.0) as usize;
    for i in 0..steps {
        let grade = raw[(i * 2 / 200).min(sections - 1)] * scale;
        // Switchbacks on the steep parts.
        heading += rng.noise(0.03) + if grade > 0.15 && i % 60 == 0 { PI * 0.7 } else { 0.0 };
        x += 2.0 * heading.cos();
        y += 2.0 * heading.sin();
        shape.push((x, y));
    }
    let points = resample(
        &shape,
        |frac| {
            let along = frac * length_m;
            let whole = (along / 200.0).floor() as usize;
            let done: f64 = raw[..whole.min(sections)].iter().sum::<f64>() * 200.0;
            let part = raw.get(whole).map_or(0.0, |g| g * (along - whole as f64 * 200.0));
            start.2 + (done + part) * scale
        },
        start,
    );
    Route { points, closed: false, lights_m: Vec::new(), technical: true }
}

/// A polyline of (east, north) metres resampled every 10 m, with the
/// altitude as a function of the fraction of the way along.
fn resample(shape: &[(f64, f64)], altitude: impl Fn(f64) -> f64, start: (f64, f64, f64)) -> Vec<(f64, f64, f64)> {
    let mut cumulative = vec![0.0];
    for w in shape.windows(2) {
        let d = (w[1].0 - w[0].0).hypot(w[1].1 - w[0].1);
        cumulative.push(cumulative.last().copied().unwrap_or(0.0) + d);
    }
    let total = cumulative.last().copied().unwrap_or(0.0);
    let n = (total / STEP_M).floor() as usize;
    let mut out = Vec::with_capacity(n + 1);
    let mut j = 0;
    for i in 0..=n {
        let s = i as f64 * STEP_M;
        while j + 2 < cumulative.len() && cumulative[j + 1] < s {
            j += 1;
        }
        let seg = (cumulative[j + 1] - cumulative[j]).max(1e-9);
        let w = ((s - cumulative[j]) / seg).clamp(0.0, 1.0);
        let east = shape[j].0 + (shape[j + 1].0 - shape[j].0) * w;
        let north = shape[j].1 + (shape[j + 1].1 - shape[j].1) * w;
        let (dlat, dlon) = offset(start.0, north, east);
        out.push((start.0 + dlat, start.1 + dlon, altitude(s / total)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loops_close_and_climbs_climb() {
        let mut rng = Rng::new(1);
        let home = (46.52, 6.63, 400.0);
        let lap = Route::build(&mut rng, home, Shape::Loop { length_m: 5000.0, hill_m: 20.0, lights_every_m: 700.0 });
        assert!((lap.length_m() - 5000.0).abs() < 200.0, "{}", lap.length_m());
        let (a, b) = (lap.at(0.0), lap.at(lap.length_m()));
        assert!((a.0 - b.0).abs() * M_PER_DEG_LAT < 15.0 && (a.2 - b.2).abs() < 0.5);
        assert!(lap.lights_m.len() >= 4);
        assert!(lap.light_between(0.0, lap.length_m() + 1.0));
        let up = Route::build(&mut rng, home, Shape::Climb { length_m: 8000.0, gain_m: 1200.0 });
        let top = up.at(up.length_m()).2;
        assert!((top - 1600.0).abs() < 30.0, "{top}");
        // Back down the same way.
        assert!((up.at(2.0 * up.length_m()).2 - 400.0).abs() < 5.0);
        let steep = (0..800).map(|i| up.grade(f64::from(i) * 10.0)).fold(0.0, f64::max);
        assert!(steep > 0.2, "{steep}");
    }
}
