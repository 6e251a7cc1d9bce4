//! A simulated runner: weeks of runs on a handful of loops, with heart rate
//! that follows effort (with lag, drift and noise) and a fitness that
//! improves over time. Deterministic for a given seed, so files written from
//! it have known truth.

use std::f64::consts::PI;

/// A small deterministic PRNG (xorshift64*): no dependency, stable across
/// platforms and versions, which keeps generated fixtures byte-identical.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// Roughly normal (Irwin-Hall of 4), enough for sensor noise.
    pub fn noise(&mut self, sd: f64) -> f64 {
        (self.unit() + self.unit() + self.unit() + self.unit() - 2.0) * sd * 1.732
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SimSport {
    Run,
    TrailRun,
    Treadmill,
    Ride,
}

/// The truth about a run's purpose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunKind {
    Easy,
    Long,
    Intervals,
    Ride,
}

#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SimSample {
    pub unix_s: i64,
    pub lat_deg: Option<f64>,
    pub lon_deg: Option<f64>,
    pub altitude_m: f64,
    pub distance_m: f64,
    pub speed_m_s: f64,
    pub hr_bpm: Option<f64>,
    pub cadence_rpm: f64,
}

#[derive(Clone, Debug)]
pub struct SimActivity {
    pub start_unix_s: i64,
    pub utc_offset_s: i32,
    pub sport: SimSport,
    pub kind: RunKind,
    pub name: String,
    pub route: usize,
    pub samples: Vec<SimSample>,
}

impl SimActivity {
    pub fn end_unix_s(&self) -> i64 {
        self.samples.last().map_or(self.start_unix_s, |s| s.unix_s)
    }

    pub fn distance_m(&self) -> f64 {
        self.samples.last().map_or(0.0, |s| s.distance_m)
    }
}

/// A loop near home: a wobbly ellipse with rolling hills.
#[derive(Clone, Copy, Debug)]
struct Route {
    center_lat: f64,
    center_lon: f64,
    radius_m: f64,
    wobble: f64,
    phase: f64,
    hill_m: f64,
}

const HOME: (f64, f64) = (46.519_6, 6.633_6);
const M_PER_DEG_LAT: f64 = 111_195.0;

impl Route {
    fn nth(i: usize) -> Route {
        let angle = i as f64 * 2.4;
        let offset_m = 900.0 + 400.0 * i as f64;
        Route {
            center_lat: HOME.0 + offset_m * angle.sin() / M_PER_DEG_LAT,
            center_lon: HOME.1 + offset_m * angle.cos() / (M_PER_DEG_LAT * HOME.0.to_radians().cos()),
            radius_m: 700.0 + 180.0 * (i % 4) as f64,
            wobble: 0.12 + 0.03 * (i % 3) as f64,
            phase: i as f64,
            hill_m: 6.0 + 4.0 * (i % 3) as f64,
        }
    }

    fn circumference_m(&self) -> f64 {
        2.0 * PI * self.radius_m
    }

    /// Position and altitude after `d` metres along the loop.
    fn at(&self, d: f64, reverse: bool) -> (f64, f64, f64) {
        let mut theta = 2.0 * PI * d / self.circumference_m();
        if reverse {
            theta = -theta;
        }
        let r = self.radius_m * (1.0 + self.wobble * (3.0 * theta + self.phase).sin());
        let lat = self.center_lat + r * theta.sin() / M_PER_DEG_LAT;
        let lon = self.center_lon + r * (theta.cos() - 1.0) / (M_PER_DEG_LAT * self.center_lat.to_radians().cos());
        let alt = 420.0 + self.hill_m * (2.0 * theta + self.phase).sin();
        (lat, lon, alt)
    }
}

/// What to simulate.
#[derive(Clone, Debug)]
pub struct Plan {
    pub seed: u64,
    pub first_monday_unix_s: i64,
    pub weeks: usize,
    pub utc_offset_s: i32,
    /// Seconds between recorded samples (1 = every second; watches' "smart"
    /// recording is ~3-5 s).
    pub step_s: i64,
    pub routes: usize,
    /// Weeks (0-based) without any activity: a layoff.
    pub layoff_weeks: Vec<usize>,
    pub with_rides: bool,
    /// Every activity this long (benchmarks), instead of the weekly plan's.
    pub fixed_minutes: Option<f64>,
}

/// Per weekday: what the runner does.
const WEEK: [(u8, RunKind, f64); 5] = [
    (1, RunKind::Easy, 40.0),
    (2, RunKind::Ride, 60.0),
    (3, RunKind::Intervals, 50.0),
    (5, RunKind::Easy, 45.0),
    (6, RunKind::Long, 85.0),
];

pub fn simulate(plan: &Plan) -> Vec<SimActivity> {
    let mut rng = Rng::new(plan.seed);
    let mut out = Vec::new();
    for week in 0..plan.weeks {
        if plan.layoff_weeks.contains(&week) {
            continue;
        }
        let progress = week as f64 / plan.weeks.max(1) as f64;
        for &(weekday, kind, minutes) in &WEEK {
            if kind == RunKind::Ride && !plan.with_rides {
                continue;
            }
            let day_start = plan.first_monday_unix_s + (week as i64 * 7 + i64::from(weekday)) * 86_400;
            let local_start_s = (6.5 * 3600.0 + rng.range(0.0, 5400.0)) as i64;
            let start = day_start + local_start_s - i64::from(plan.utc_offset_s);
            let route = (rng.next_u64() as usize) % plan.routes.max(1);
            let minutes = plan.fixed_minutes.unwrap_or(minutes);
            let duration_s = (minutes * 60.0 * rng.range(0.9, 1.1)) as i64;
            out.push(simulate_one(&mut rng, plan, start, duration_s, kind, route, progress));
        }
    }
    out
}

fn simulate_one(
    rng: &mut Rng,
    plan: &Plan,
    start: i64,
    duration_s: i64,
    kind: RunKind,
    route_i: usize,
    progress: f64,
) -> SimActivity {
    let route = Route::nth(route_i);
    let reverse = rng.unit() < 0.25;
    let sport = if kind == RunKind::Ride { SimSport::Ride } else { SimSport::Run };
    // Fitness: the same effort gives ~7 % more speed by the end of the plan.
    let fitness = 1.0 + 0.07 * progress;
    let mut hr = 75.0;
    let mut d = rng.range(0.0, 200.0);
    let mut distance = 0.0;
    let mut samples = Vec::new();
    let mut t = 0;
    while t <= duration_s {
        let base_speed = target_speed(kind, t, rng) * fitness;
        let (_, _, alt_here) = route.at(d, reverse);
        let (_, _, alt_ahead) = route.at(d + 10.0, reverse);
        let grade = ((alt_ahead - alt_here) / 10.0).clamp(-0.3, 0.3);
        // Uphill slows, downhill speeds up a little: effort stays even.
        let speed = (base_speed * (1.0 - 2.5 * grade)).max(0.5);
        let effort_speed = base_speed / fitness;
        let steady_hr = if sport == SimSport::Ride { 60.0 + 9.5 * effort_speed } else { 55.0 + 30.0 * effort_speed };
        let drift = 0.05 * (t as f64 / 60.0 - 30.0).max(0.0);
        let step = plan.step_s as f64;
        hr += (steady_hr + drift - hr) * (1.0 - (-step / 25.0).exp());
        let (lat, lon, alt) = route.at(d, reverse);
        let gps_noise = 3.0 / M_PER_DEG_LAT;
        samples.push(SimSample {
            unix_s: start + t,
            lat_deg: Some(lat + rng.noise(gps_noise)),
            lon_deg: Some(lon + rng.noise(gps_noise)),
            altitude_m: alt + rng.noise(0.3),
            distance_m: distance,
            speed_m_s: speed,
            hr_bpm: Some((hr + rng.noise(1.5)).round().clamp(40.0, 200.0)),
            cadence_rpm: if sport == SimSport::Ride { 85.0 } else { 80.0 + 4.0 * speed }.round(),
        });
        d += speed * step;
        distance += speed * step;
        t += plan.step_s;
    }
    let name = match kind {
        RunKind::Easy => "Easy run",
        RunKind::Long => "Long run",
        RunKind::Intervals => "Intervals 6x3'",
        RunKind::Ride => "Commute ride",
    };
    SimActivity {
        start_unix_s: start,
        utc_offset_s: plan.utc_offset_s,
        sport,
        kind,
        name: name.into(),
        route: route_i,
        samples,
    }
}

/// Speed (m/s) the session asks for at `t` seconds in.
fn target_speed(kind: RunKind, t: i64, rng: &mut Rng) -> f64 {
    let jitter = rng.noise(0.05);
    jitter
        + match kind {
            RunKind::Easy => 2.75,
            RunKind::Long => 2.7,
            RunKind::Ride => 7.0,
            RunKind::Intervals => {
                // 12 min warm-up, 6 x (3 min hard, 2 min easy), cool-down.
                let k = t - 720;
                if (0..6 * 300).contains(&k) && k % 300 < 180 { 4.0 } else { 2.7 }
            }
        }
}
