//! A simulated runner: weeks of runs on a handful of loops, with heart rate
//! that follows effort (with lag, drift and noise) and a fitness that
//! improves over time. Deterministic for a given seed, so files written from
//! it have known truth. Its body follows runlens's own formulas, so it checks
//! self-consistency; `realistic` holds athletes that do not.

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
    /// An easy day run too hard: in the gray zone above LT1.
    GrayEasy,
    Long,
    Intervals,
    Race,
    Ride,
    /// A sustained effort just under threshold (realistic athletes).
    Tempo,
    /// Easy at first, near threshold by the end (realistic athletes).
    Progression,
    /// Hours in the mountains at easy effort, hiking the steep climbs.
    TrailLong,
}

impl RunKind {
    /// What runlens calls easy or long (the rest of the runs are workouts or
    /// races): the split session-type agreement is measured on.
    pub fn is_easy_or_long(self) -> bool {
        matches!(self, RunKind::Easy | RunKind::GrayEasy | RunKind::Long | RunKind::TrailLong)
    }
}

/// The runner's heart: steady-state HR rises linearly with grade-adjusted
/// effort (m/s on the flat at fitness 1), capped at `HRmax`, reached with a
/// lag, drifting up on long efforts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Physiology {
    pub rest_hr_bpm: f64,
    pub hr_per_m_s: f64,
    pub max_hr_bpm: f64,
    pub lthr_bpm: f64,
    /// A realistic athlete's own LT1; `None`: 0.9 x LTHR (the demo runner).
    pub own_lt1_bpm: Option<f64>,
}

impl Physiology {
    pub const DEFAULT: Physiology =
        Physiology { rest_hr_bpm: 55.0, hr_per_m_s: 30.0, max_hr_bpm: 188.0, lthr_bpm: 170.0, own_lt1_bpm: None };

    pub fn lt1_bpm(&self) -> f64 {
        self.own_lt1_bpm.unwrap_or(0.9 * self.lthr_bpm)
    }

    /// Effort (flat m/s at fitness 1) that holds `hr` in steady state.
    pub fn effort_at(&self, hr_bpm: f64) -> f64 {
        (hr_bpm - self.rest_hr_bpm) / self.hr_per_m_s
    }

    pub fn steady_hr(&self, effort_m_s: f64) -> f64 {
        (self.rest_hr_bpm + self.hr_per_m_s * effort_m_s).min(self.max_hr_bpm)
    }
}

/// Minetti et al. (2002): energy cost of running at grade `i`, J/kg/m.
pub fn minetti_cost(i: f64) -> f64 {
    let i = i.clamp(-0.45, 0.45);
    155.4 * i.powi(5) - 30.4 * i.powi(4) - 43.3 * i.powi(3) + 46.3 * i.powi(2) + 19.5 * i + 3.6
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
    /// Whole laps of the route's loop (plan runs; 0 for timed runs).
    pub laps: u32,
    pub samples: Vec<SimSample>,
    /// Speed per unit effort on this day (fitness improves or declines).
    pub fitness: f64,
    pub physiology: Physiology,
    pub watch_zones: bool,
    /// What the name says plainly (`None` for default or misleading names).
    pub named_kind: Option<RunKind>,
    /// The rest of a realistic athlete's truth (`None` for plan runs).
    pub realistic: Option<Box<crate::realistic::RunTruth>>,
    /// Time constant (s) of the heart rate falling after an effort: the
    /// truth of heart-rate recovery (larger: slower, a fatigue cue).
    pub hr_recovery_tau_s: f64,
    /// A recovery heart rate for the FIT writer to write as a `recovery_hr`
    /// event after the last record (as some Garmin watches do).
    pub recovery_hr_event_bpm: Option<f64>,
}

impl SimActivity {
    /// The true grade-adjusted speed (m/s) this runner holds at `hr_bpm`
    /// in steady state on this day.
    pub fn true_speed_at_hr(&self, hr_bpm: f64) -> f64 {
        match &self.realistic {
            Some(truth) => truth.curve.speed_m_s(hr_bpm) * self.fitness,
            None => self.physiology.effort_at(hr_bpm) * self.fitness,
        }
    }

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

    /// Position and altitude after `d` metres along the loop, run either
    /// way round (the same curve, traversed backwards).
    fn at(&self, d: f64, reverse: bool) -> (f64, f64, f64) {
        let c = self.circumference_m();
        let d = if reverse { c - d.rem_euclid(c) } else { d };
        let theta = 2.0 * PI * d / c;
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
    pub physiology: Physiology,
    /// Relative change of speed at a given effort from first to last week
    /// (0.07: 7 % faster at the same heart rate by the end).
    pub fitness_gain: f64,
    /// Share of easy days run too hard (gray zone).
    pub gray_share: f64,
    /// A race replaces Saturday's run every this many weeks.
    pub race_every_weeks: Option<usize>,
    /// Write the athlete's HR zones into FIT files (as Garmin watches do).
    pub watch_zones: bool,
    /// The first this many weeks run the same loop on the same weekday: a rut.
    pub rut_weeks: usize,
    /// From this week on, fitness falls by this share by the last week
    /// (overreaching, illness): a slump.
    pub fitness_drop: Option<(usize, f64)>,
    /// Time constant (s) of the heart rate falling, first week to last
    /// (rising: recovery worsens, as with accumulating fatigue).
    pub hr_recovery_tau_s: (f64, f64),
}

impl Plan {
    /// A plan with realistic defaults, for tests to adjust.
    pub fn new(seed: u64, weeks: usize) -> Plan {
        Plan {
            seed,
            first_monday_unix_s: crate::DEMO_FIRST_MONDAY,
            weeks,
            utc_offset_s: 0,
            step_s: 1,
            routes: 5,
            layoff_weeks: vec![],
            with_rides: false,
            fixed_minutes: None,
            physiology: Physiology::DEFAULT,
            fitness_gain: 0.07,
            gray_share: 0.0,
            race_every_weeks: Some(4),
            watch_zones: true,
            rut_weeks: 0,
            fitness_drop: None,
            hr_recovery_tau_s: (HR_TAU_S, HR_TAU_S),
        }
    }
}

/// Per weekday: what the runner does.
const WEEK: [(u8, RunKind, f64); 5] = [
    (1, RunKind::Easy, 40.0),
    (2, RunKind::Ride, 60.0),
    (3, RunKind::Intervals, 50.0),
    (5, RunKind::Easy, 45.0),
    (6, RunKind::Long, 85.0),
];
const RACE_MINUTES: f64 = 38.0;
/// Time constant (s) of the heart rate settling to a new effort.
pub const HR_TAU_S: f64 = 25.0;

pub fn simulate(plan: &Plan) -> Vec<SimActivity> {
    let mut rng = Rng::new(plan.seed);
    let mut out = Vec::new();
    for week in 0..plan.weeks {
        if plan.layoff_weeks.contains(&week) {
            continue;
        }
        let progress = week as f64 / plan.weeks.saturating_sub(1).max(1) as f64;
        let race_week = plan.race_every_weeks.is_some_and(|n| week % n == n - 1);
        for &(weekday, planned, minutes) in &WEEK {
            if planned == RunKind::Ride && !plan.with_rides {
                continue;
            }
            let (kind, minutes) = match planned {
                RunKind::Easy if weekday == 5 && race_week => (RunKind::Race, RACE_MINUTES),
                // Drawn for every easy day, so the draw sequence does not
                // depend on gray_share.
                RunKind::Easy if rng.unit() < plan.gray_share => (RunKind::GrayEasy, minutes),
                other => (other, minutes),
            };
            let day_start = plan.first_monday_unix_s + (week as i64 * 7 + i64::from(weekday)) * 86_400;
            let local_start_s = (6.5 * 3600.0 + rng.range(0.0, 5400.0)) as i64;
            let start = day_start + local_start_s - i64::from(plan.utc_offset_s);
            // In a rut every weekday has its loop, week after week.
            let drawn = (rng.next_u64() as usize) % plan.routes.max(1);
            let route = if week < plan.rut_weeks { usize::from(weekday % 2 == 0) % plan.routes.max(1) } else { drawn };
            let minutes = plan.fixed_minutes.unwrap_or(minutes);
            let duration_s = (minutes * 60.0 * rng.range(0.9, 1.1)) as i64;
            let fitness = fitness_in_week(plan, week, progress);
            let (tau_first, tau_last) = plan.hr_recovery_tau_s;
            let tau_down_s = tau_first + (tau_last - tau_first) * progress;
            // Plan runs cover whole laps of their loop, the lap count that
            // comes closest to the planned time; benchmark runs go by time.
            let nominal_speed = if kind == RunKind::Ride { 7.0 } else { 3.0 };
            let laps = if plan.fixed_minutes.is_some() {
                0
            } else {
                ((duration_s as f64 * nominal_speed / Route::nth(route).circumference_m()).round() as u32).max(1)
            };
            let shape = (duration_s, laps, tau_down_s);
            out.push(simulate_one(&mut rng, plan, start, shape, kind, route, fitness));
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn simulate_one(
    rng: &mut Rng,
    plan: &Plan,
    start: i64,
    (duration_s, laps, tau_down_s): (i64, u32, f64),
    kind: RunKind,
    route_i: usize,
    fitness: f64,
) -> SimActivity {
    let route = Route::nth(route_i);
    let target_m = f64::from(laps) * route.circumference_m();
    let reverse = rng.unit() < 0.25;
    let sport = if kind == RunKind::Ride { SimSport::Ride } else { SimSport::Run };
    let body = plan.physiology;
    let wave_phase = rng.range(0.0, 2.0 * PI);
    let mut hr = body.rest_hr_bpm + 20.0;
    // Runs start at the door, give or take a few steps.
    let mut d = rng.range(0.0, 30.0);
    let mut distance = 0.0;
    let mut samples = Vec::new();
    let step = plan.step_s as f64;
    let mut t = 0;
    let done =
        |t: i64, distance: f64| if laps > 0 { distance >= target_m || t > 3 * duration_s } else { t > duration_s };
    while !done(t, distance) {
        let effort = effort_at(kind, t, duration_s, wave_phase, &body) + rng.noise(0.02);
        let (lat, lon, alt) = route.at(d, reverse);
        let (_, _, alt_ahead) = route.at(d + 10.0, reverse);
        let grade = (alt_ahead - alt) / 10.0;
        // The same effort buys less speed uphill, by Minetti's energy cost.
        let speed = if sport == SimSport::Ride {
            effort * fitness
        } else {
            (effort * fitness * minetti_cost(0.0) / minetti_cost(grade)).max(0.5)
        };
        let drift = 0.05 * (t as f64 / 60.0 - 30.0).max(0.0);
        // Riding at 25 km/h is about as hard as an easy run.
        let steady = if sport == SimSport::Ride { body.steady_hr(effort * 0.38) } else { body.steady_hr(effort) };
        // Falling heart rate settles at its own pace: the recovery.
        let tau_s = if steady + drift < hr { tau_down_s } else { HR_TAU_S };
        hr += (steady + drift - hr) * (1.0 - (-step / tau_s).exp());
        let gps_noise = 3.0 / M_PER_DEG_LAT;
        samples.push(SimSample {
            unix_s: start + t,
            lat_deg: Some(lat + rng.noise(gps_noise)),
            lon_deg: Some(lon + rng.noise(gps_noise)),
            altitude_m: alt + rng.noise(0.2),
            distance_m: distance,
            speed_m_s: speed,
            hr_bpm: Some((hr + rng.noise(1.0)).round().clamp(40.0, body.max_hr_bpm)),
            cadence_rpm: if sport == SimSport::Ride { 85.0 } else { 80.0 + 4.0 * speed }.round(),
        });
        d += speed * step;
        distance += speed * step;
        t += plan.step_s;
    }
    let name = match kind {
        RunKind::Easy | RunKind::GrayEasy => "Easy run",
        RunKind::Long => "Long run",
        RunKind::Intervals => "Intervals 6x3'",
        RunKind::Race => "Parkrun race",
        RunKind::Ride => "Commute ride",
        RunKind::Tempo | RunKind::Progression | RunKind::TrailLong => unreachable!("plans have no {kind:?} days"),
    };
    SimActivity {
        start_unix_s: start,
        utc_offset_s: plan.utc_offset_s,
        sport,
        kind,
        name: name.into(),
        route: route_i,
        laps,
        samples,
        fitness,
        physiology: body,
        watch_zones: plan.watch_zones,
        // The plan's names say plainly what the day was meant to be.
        named_kind: Some(if kind == RunKind::GrayEasy { RunKind::Easy } else { kind }),
        realistic: None,
        hr_recovery_tau_s: tau_down_s,
        recovery_hr_event_bpm: None,
    }
}

/// Effort (flat m/s at fitness 1) the session asks for `t` seconds in,
/// prescribed by heart rate as a coach would: easy below LT1, gray just
/// above it, races near LTHR, intervals above it. Easy running wanders
/// slowly between comfortable and brisk, as people do, so heart rate spans a
/// range.
fn effort_at(kind: RunKind, t: i64, duration_s: i64, phase: f64, body: &Physiology) -> f64 {
    let wave = (2.0 * PI * t as f64 / 720.0 + phase).sin();
    let lt1 = body.lt1_bpm();
    let at = |hr: f64| body.effort_at(hr);
    let warm_up = t < 600;
    match kind {
        RunKind::Tempo | RunKind::Progression | RunKind::TrailLong => unreachable!("plans have no {kind:?} days"),
        RunKind::Easy | RunKind::Long if warm_up => at(lt1 - 25.0),
        RunKind::Easy | RunKind::Long => at(lt1 - 13.0 + 7.0 * wave),
        RunKind::GrayEasy if warm_up => at(lt1 - 10.0),
        RunKind::GrayEasy => at(lt1 + 5.0 + 2.5 * wave),
        RunKind::Ride => 7.0 + 0.5 * wave,
        RunKind::Race if t < 480 || t > duration_s - 300 => at(lt1 - 25.0),
        // A 30-40 minute race is run a little above threshold.
        RunKind::Race => at(1.04 * body.lthr_bpm),
        RunKind::Intervals => {
            // 12 min warm-up, 6 x (3 min hard, 2 min easy), the last rep all out.
            let k = t - 720;
            match (k / 300, k % 300) {
                (5, r) if r < 180 => at(body.max_hr_bpm + 10.0),
                (0..=4, r) if k >= 0 && r < 180 => at(1.06 * body.lthr_bpm),
                _ => at(lt1 - 25.0),
            }
        }
    }
}

/// Speed per unit effort in `week`: rising with training, falling in a slump.
pub(crate) fn fitness_in_week(plan: &Plan, week: usize, progress: f64) -> f64 {
    match plan.fitness_drop {
        Some((from, drop)) if week >= from => {
            let peak = 1.0 + plan.fitness_gain * from as f64 / plan.weeks.saturating_sub(1).max(1) as f64;
            let fall = (week - from) as f64 / plan.weeks.saturating_sub(from + 1).max(1) as f64;
            peak * (1.0 - drop * fall)
        }
        _ => 1.0 + plan.fitness_gain * progress,
    }
}
