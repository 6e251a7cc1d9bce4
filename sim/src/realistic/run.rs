//! One realistic run, second by second: the session's segments (warm-up,
//! reps, tempo, race), pace on hills from the athlete's grade cost, hiking
//! and technical descents, stops at traffic lights, and heart rate from the
//! athlete's curve with lag, a slow warm-up component, day form and drift;
//! then what the watch records of it (see `sensors`).

use super::calendar::{Routes, Session};
use super::sensors::{Gps, HrArtifacts, next_interval_s};
use super::{Athlete, RunTruth, body::soft_ceiling};
use crate::athlete::{Rng, RunKind, SimActivity, SimSample, SimSport};

/// A stretch of the session at one intended flat speed.
#[derive(Clone, Copy, Debug)]
struct Segment {
    /// Moving seconds, or metres when `by_distance`.
    amount: f64,
    by_distance: bool,
    speed_m_s: f64,
    /// Standing (between reps, at a race start).
    stand: bool,
}

fn time(s: f64, speed_m_s: f64) -> Segment {
    Segment { amount: s, by_distance: false, speed_m_s, stand: false }
}

fn stand(s: f64) -> Segment {
    Segment { amount: s, by_distance: false, speed_m_s: 0.0, stand: true }
}

/// The heart rate a race over `race_m` is held at, as a share of LTHR (a
/// range; times [`RACE_HR_SCALE`]): shorter races run further above
/// threshold.
pub(crate) fn race_hr_share(race_m: f64) -> (f64, f64) {
    match race_m {
        m if m <= 5_500.0 => (1.05, 1.08),
        m if m <= 11_000.0 => (1.02, 1.05),
        _ => (1.0, 1.02),
    }
}

pub(crate) const RACE_HR_SCALE: f64 = 0.985;
/// The last 400 m of a race, this much faster.
pub(crate) const RACE_KICK: f64 = 1.08;

/// The session as segments, with speeds from the athlete's curve.
fn segments(rng: &mut Rng, a: &Athlete, s: &Session) -> Vec<Segment> {
    let v = |hr: f64| a.curve.speed_m_s(hr) * s.fitness;
    let lthr = a.physiology.lthr_bpm;
    let easy = v(s.easy_hr_bpm);
    let total = s.minutes * 60.0;
    let warm = rng.range(90.0, 240.0);
    match s.kind {
        RunKind::Easy | RunKind::GrayEasy | RunKind::Long | RunKind::TrailLong => {
            let mut out = vec![time(warm, easy * rng.range(0.88, 0.97)), time(total - warm, easy)];
            if s.strides {
                out[1].amount -= 320.0;
                for _ in 0..4 {
                    out.push(time(20.0, easy * 1.45));
                    out.push(time(60.0, easy * 0.8));
                }
            }
            out
        }
        RunKind::Intervals => {
            let (reps, work_s, rest_s, rest_standing, hr) = match s.variant {
                0 => (6, 210.0, 90.0, false, 1.06),
                1 => (10, 80.0, 60.0, true, 1.12),
                2 => (5, 180.0, 120.0, false, 1.05),
                _ => (8, 30.0, 30.0, false, 1.15),
            };
            let mut out = vec![time(warm, easy * 0.9), time(rng.range(600.0, 900.0), easy)];
            for _ in 0..reps {
                out.push(time(work_s * rng.range(0.95, 1.05), v(hr * lthr)));
                out.push(if rest_standing { stand(rest_s) } else { time(rest_s, easy * 0.75) });
            }
            out.push(time(rng.range(420.0, 720.0), easy * 0.95));
            out
        }
        RunKind::Tempo => vec![
            time(warm, easy * 0.9),
            time(rng.range(600.0, 900.0), easy),
            time(rng.range(1200.0, 1800.0), v(rng.range(0.95, 0.99) * lthr)),
            time(rng.range(420.0, 720.0), easy * 0.95),
        ],
        RunKind::Progression => {
            let steps = ((total - warm) / 300.0).max(4.0) as usize;
            let top = v(rng.range(0.96, 1.0) * lthr);
            let mut out = vec![time(warm, easy * 0.92)];
            out.extend((0..steps).map(|i| time(300.0, easy + (top - easy) * i as f64 / (steps - 1) as f64)));
            out
        }
        // Realistic histories hold no rides; the arm keeps the match whole.
        RunKind::Race | RunKind::Ride => {
            let race_m = s.race_m.unwrap_or(10_000.0);
            let (lo, hi) = race_hr_share(race_m);
            let pace = v(rng.range(lo, hi) * lthr * RACE_HR_SCALE);
            let mut out = Vec::new();
            if rng.unit() < 0.35 {
                out.extend([time(rng.range(480.0, 900.0), easy), stand(rng.range(120.0, 420.0))]);
            }
            out.push(Segment { amount: race_m - 400.0, by_distance: true, speed_m_s: pace, stand: false });
            out.push(Segment { amount: 400.0, by_distance: true, speed_m_s: pace * RACE_KICK, stand: false });
            out
        }
    }
}

/// The moving state of the runner.
struct Motion {
    /// Metres along the course (out-and-backs: to the end and back).
    along_m: f64,
    returning: bool,
    distance_m: f64,
}

impl Motion {
    /// Where on the course's polyline the runner is (see `Route::at`).
    fn position_m(&self, route: &super::terrain::Route) -> f64 {
        if self.returning { 2.0 * route.length_m() - self.along_m } else { self.along_m }
    }
}

/// The heart: true heart rate approaching the steady state with a lag, and
/// what an optical sensor's smoothing makes of it.
#[allow(clippy::struct_field_names)] // every field is a heart rate: units in names are the house rule
struct Heart {
    hr_bpm: f64,
    sensed_bpm: f64,
    standing_bpm: f64,
    /// The day's form: hydration, sleep, caffeine (not in the truth).
    day_offset_bpm: f64,
}

impl Heart {
    fn beat(&mut self, a: &Athlete, s: &Session, effort_m_s: f64, t: u32) {
        // The curve at the effort, with the day's form, the warm-up
        // component, heat and drift, approached with a lag.
        let steady = a.curve.hr_bpm(effort_m_s / s.fitness).max(self.standing_bpm) + self.day_offset_bpm
            - a.warm_up_hr_bpm * (-f64::from(t) / 240.0).exp()
            + a.drift.bpm(f64::from(t), s.temperature_c, effort_m_s / a.curve.v_lthr_m_s.max(0.1));
        let target = soft_ceiling(steady, a.physiology.max_hr_bpm, 4.0);
        let tau = if target > self.hr_bpm { a.hr_tau_s } else { a.hr_tau_s * 0.8 };
        self.hr_bpm += (target - self.hr_bpm) * (1.0 - (-1.0 / tau).exp());
        // Optical sensors smooth and lag a few seconds more.
        let follow = if a.sensor == super::Sensor::Wrist { 0.15 } else { 0.6 };
        self.sensed_bpm += (self.hr_bpm - self.sensed_bpm) * follow;
    }
}

/// The watch: what it records of the run, and when.
struct Watch {
    gps: Gps,
    artifacts: HrArtifacts,
    baro_offset_m: f64,
    /// Its distance runs a little long or short of the truth.
    distance_bias: f64,
    next_record_s: u32,
    samples: Vec<SimSample>,
    pauses: Vec<(i64, i64)>,
    pause_from: Option<i64>,
}

/// One second of the runner, as the watch sees it.
struct Moment {
    t: u32,
    position: (f64, f64, f64),
    distance_m: f64,
    speed_m_s: f64,
    step_rate_spm: f64,
}

impl Watch {
    fn tick(&mut self, rng: &mut Rng, a: &Athlete, s: &Session, heart: &Heart, m: &Moment) {
        let now = s.start_unix_s + i64::from(m.t);
        let moving = m.speed_m_s > 0.0;
        let auto_paused = !moving && a.auto_pause && !s.treadmill;
        if auto_paused {
            self.pause_from.get_or_insert(now);
        } else if let Some(from) = self.pause_from.take() {
            self.pauses.push((from, now));
            self.next_record_s = m.t;
        }
        self.gps.step(rng, 1.0);
        self.baro_offset_m += rng.noise(0.02);
        if m.t < self.next_record_s || auto_paused {
            return;
        }
        let (lat, lon, alt) = m.position;
        let fix = (!s.treadmill).then(|| self.gps.fix(m.t, lat, lon));
        let hr = s.with_hr.then(|| self.artifacts.reading(rng, m.t, heart.sensed_bpm, m.step_rate_spm, a.sensor));
        self.samples.push(SimSample {
            unix_s: now,
            lat_deg: fix.map(|f| f.0),
            lon_deg: fix.map(|f| f.1),
            altitude_m: if s.treadmill { a.home.2 } else { ((alt + self.baro_offset_m) * 5.0).round() / 5.0 },
            distance_m: m.distance_m * self.distance_bias,
            speed_m_s: (m.speed_m_s * self.distance_bias + if moving { rng.noise(0.04) } else { 0.0 }).max(0.0),
            hr_bpm: hr.flatten(),
            cadence_rpm: (m.step_rate_spm / 2.0).round(),
        });
        self.next_record_s = m.t + next_interval_s(rng, a.recording);
    }
}

impl Watch {
    /// The samples, and the truth about the run's stops and artifacts.
    fn finish(
        self,
        a: &Athlete,
        s: &Session,
        heart: &Heart,
        (stopped_s, climb_m): (u32, f64),
        index: usize,
    ) -> (Vec<SimSample>, RunTruth) {
        let day_hr_offset_bpm = heart.day_offset_bpm;
        let truth = RunTruth {
            athlete: a.name,
            curve: a.curve,
            temperature_c: s.temperature_c,
            format: s.format,
            pauses: self.pauses,
            stopped_s,
            cadence_lock_s: if s.with_hr { self.artifacts.locked_s() } else { 0 },
            start_spike_s: self.artifacts.start_spike.map_or(0, |x| x.0),
            dropout_s: self.artifacts.dropouts.iter().map(|d| d.1).sum(),
            first_fix_error_m: if s.treadmill { 0.0 } else { self.gps.first_fix_error_m() },
            climb_m,
            id: 4_000_000_000 + a.seed * 10_000 + index as u64,
            day_hr_offset_bpm,
            drift: a.drift,
        };
        (self.samples, truth)
    }
}

fn step_rate_spm(rng: &mut Rng, a: &Athlete, speed_m_s: f64, hiking: bool) -> f64 {
    if speed_m_s <= 0.0 {
        0.0
    } else if hiking {
        112.0 + rng.noise(3.0)
    } else {
        a.cadence_spm + 9.0 * (speed_m_s - 3.0) + rng.noise(1.5)
    }
}

/// Simulate session `s` as the `index`-th run of the athlete's history.
pub fn simulate(rng: &mut Rng, a: &Athlete, routes: &Routes, s: &Session, index: usize) -> SimActivity {
    let route = &routes.all[s.route];
    let plan = segments(rng, a, s);
    let planned_s: f64 = plan.iter().map(|g| if g.by_distance { g.amount / g.speed_m_s } else { g.amount }).sum();
    let artifacts = HrArtifacts::draw(rng, a, s.temperature_c, planned_s);
    let gps_sd = if route.technical { 7.0 } else { 4.0 };
    let bad_first_fix = if a.recording == super::Recording::EverySecond { 0.35 } else { 0.25 };
    let gps = Gps::new(rng, gps_sd, bad_first_fix);
    let standing_bpm = a.physiology.rest_hr_bpm + 22.0;
    let day_offset_bpm = rng.noise(1.5);
    let mut heart = Heart { hr_bpm: standing_bpm - 5.0, sensed_bpm: standing_bpm - 5.0, standing_bpm, day_offset_bpm };
    let (distance_bias, baro_offset_m) = (1.0 + rng.noise(0.012), rng.noise(10.0));
    let mut watch = Watch {
        gps,
        artifacts,
        baro_offset_m,
        distance_bias,
        next_record_s: 0,
        samples: Vec::new(),
        pauses: Vec::new(),
        pause_from: None,
    };
    let wander_sd = if s.kind == RunKind::Race { 0.01 } else { 0.03 };
    let mut motion = Motion { along_m: rng.range(0.0, 30.0), returning: false, distance_m: 0.0 };
    let (mut seg, mut seg_done, mut t, mut wander) = (0usize, 0.0f64, 0u32, 0.0f64);
    let (mut stop_left, mut stopped_s, mut climb_m) = (0u32, 0u32, 0.0f64);
    let mut prev_alt = route.at(motion.along_m).2;
    while seg < plan.len() {
        let g = plan[seg];
        wander = 0.992 * wander + 0.126 * rng.noise(wander_sd);
        let intended = if g.stand { 0.0 } else { g.speed_m_s * (1.0 + wander) };
        let position = route.at(motion.position_m(route));
        let grade = if s.treadmill { 0.0 } else { route.grade(motion.position_m(route)) };
        let (speed, effort, hiking) = if stop_left > 0 || g.stand {
            (0.0, 0.0, false)
        } else {
            pace_on_grade(a, route.technical, intended, grade, s.fitness, s.kind.is_easy_or_long())
        };
        heart.beat(a, s, effort, t);
        let step_rate_spm = step_rate_spm(rng, a, speed, hiking);
        let moment = Moment { t, position, distance_m: motion.distance_m, speed_m_s: speed, step_rate_spm };
        watch.tick(rng, a, s, &heart, &moment);
        let d0 = motion.distance_m;
        advance(&mut motion, route, speed, s, planned_s, t);
        if stop_left > 0 {
            stop_left -= 1;
            stopped_s += 1;
        } else if speed > 0.0 && s.kind != RunKind::Race && !s.treadmill && route.light_between(d0, motion.distance_m) {
            // Red about two times in five.
            stop_left = if rng.unit() < 0.4 { rng.range(20.0, 60.0) as u32 } else { 0 };
        }
        let alt = route.at(motion.position_m(route)).2;
        if !s.treadmill {
            climb_m += (alt - prev_alt).max(0.0);
        }
        prev_alt = alt;
        if speed > 0.0 {
            seg_done += if g.by_distance { speed } else { 1.0 };
        } else if g.stand {
            seg_done += 1.0;
        }
        if out_and_back_done(&motion, route) {
            break;
        }
        if seg_done >= g.amount {
            seg += 1;
            seg_done = 0.0;
        }
        t += 1;
    }
    let (samples, truth) = watch.finish(a, s, &heart, (stopped_s, climb_m), index);
    SimActivity {
        start_unix_s: s.start_unix_s,
        utc_offset_s: s.utc_offset_s,
        sport: if s.treadmill {
            SimSport::Treadmill
        } else if route.technical {
            SimSport::TrailRun
        } else {
            SimSport::Run
        },
        kind: s.kind,
        name: s.name.clone(),
        route: s.route,
        laps: 0,
        samples,
        fitness: s.fitness,
        physiology: a.physiology,
        watch_zones: false,
        named_kind: s.named_kind,
        realistic: Some(Box::new(truth)),
        hr_recovery_tau_s: crate::athlete::HR_TAU_S,
        recovery_hr_event_bpm: None,
    }
}

const TRAIL_SURFACE_COST: f64 = 1.15;
/// How much harder than the flat an easy run goes up a hill, at most.
const EASY_CLIMB_EFFORT: f64 = 1.08;

/// Speed, metabolic (flat-equivalent) effort and whether hiking, for an
/// intended flat speed on `grade`: the runner pays part of a hill's cost in
/// effort and part in pace; steep climbs are hiked and technical descents
/// are capped whatever the effort.
fn pace_on_grade(
    a: &Athlete,
    technical: bool,
    intended: f64,
    grade: f64,
    fitness: f64,
    easy: bool,
) -> (f64, f64, bool) {
    // Roots, rocks and snow cost more than a road at any grade.
    let cost = a.grade.ratio(grade) * if technical { TRAIL_SURFACE_COST } else { 1.0 };
    // Nobody holds an effort beyond max HR: steep climbs slow even racers.
    let ceiling = a.curve.speed_m_s(a.physiology.max_hr_bpm - 4.0) * fitness;
    let mut effort = (intended * cost.powf(a.hill_effort)).min(ceiling.max(intended));
    if easy {
        // On easy days climbs are hiked rather than pushed.
        effort = effort.min(intended * EASY_CLIMB_EFFORT);
    }
    let mut speed = effort / cost;
    let hiking = grade > a.hike_grade;
    if hiking {
        // Walking at steep grades costs about what running does.
        speed = (effort / cost).min(1.5);
        effort = speed * cost;
    }
    if technical && grade < -0.12 {
        let cap = 2.9 - 4.0 * (-grade - 0.12);
        if speed > cap {
            speed = cap.max(1.2);
            effort = speed * cost;
        }
    }
    (speed, effort, hiking)
}

fn advance(m: &mut Motion, route: &super::terrain::Route, speed: f64, s: &Session, planned_s: f64, t: u32) {
    m.distance_m += speed;
    if route.closed {
        m.along_m += speed;
        return;
    }
    // Out and back: turn at the end or a little after half the planned time
    // (the way up is slower).
    let halfway = f64::from(t) >= 0.56 * planned_s && s.kind != RunKind::Race;
    if !m.returning && (m.along_m + speed >= route.length_m() || halfway) {
        m.returning = true;
    }
    if m.returning {
        m.along_m = (m.along_m - speed).max(0.0);
    } else {
        m.along_m = (m.along_m + speed).min(route.length_m());
    }
}

fn out_and_back_done(m: &Motion, route: &super::terrain::Route) -> bool {
    !route.closed && m.returning && m.along_m <= 0.0
}
