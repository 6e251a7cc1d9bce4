//! The columnar samples every parser fills: one `Vec` per channel, NaN for
//! a missing value, so later stages scan one channel at a time and a fast
//! decoder can write whole columns.

/// One point as a parser sees it; pushed into [`Samples`] column by column.
#[derive(Debug, Clone, Copy, Default)]
pub struct Point {
    pub time_ms: i64,
    pub lat_deg: Option<f64>,
    pub lon_deg: Option<f64>,
    pub altitude_m: Option<f64>,
    pub distance_m: Option<f64>,
    pub speed_m_s: Option<f64>,
    pub hr_bpm: Option<f64>,
    pub cadence_rpm: Option<f64>,
    pub power_w: Option<f64>,
    pub temperature_c: Option<f64>,
}

/// Per-channel columns, all the same length; NaN marks a missing value.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Samples {
    pub time_ms: Vec<i64>,
    pub lat_deg: Vec<f64>,
    pub lon_deg: Vec<f64>,
    pub altitude_m: Vec<f64>,
    pub distance_m: Vec<f64>,
    pub speed_m_s: Vec<f64>,
    pub hr_bpm: Vec<f64>,
    pub cadence_rpm: Vec<f64>,
    pub power_w: Vec<f64>,
    pub temperature_c: Vec<f64>,
}

/// The sample channels, for coverage reports and duplicate ranking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Position,
    Altitude,
    Distance,
    Speed,
    HeartRate,
    Cadence,
    Power,
    Temperature,
}

impl Channel {
    pub const ALL: [Channel; 8] = [
        Channel::Position,
        Channel::Altitude,
        Channel::Distance,
        Channel::Speed,
        Channel::HeartRate,
        Channel::Cadence,
        Channel::Power,
        Channel::Temperature,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Channel::Position => "position",
            Channel::Altitude => "altitude",
            Channel::Distance => "distance",
            Channel::Speed => "speed",
            Channel::HeartRate => "heart rate",
            Channel::Cadence => "cadence",
            Channel::Power => "power",
            Channel::Temperature => "temperature",
        }
    }
}

impl Samples {
    pub fn len(&self) -> usize {
        self.time_ms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.time_ms.is_empty()
    }

    /// Whether the next point makes the series grow.
    pub fn is_full(&self) -> bool {
        self.time_ms.len() == self.time_ms.capacity()
    }

    pub fn reserve(&mut self, n: usize) {
        self.time_ms.reserve(n);
        for c in self.value_columns_mut() {
            c.reserve(n);
        }
    }

    /// Every column but time, in declaration order (latitude first,
    /// temperature last), for work done on each alike.
    pub fn value_columns_mut(&mut self) -> [&mut Vec<f64>; 9] {
        [
            &mut self.lat_deg,
            &mut self.lon_deg,
            &mut self.altitude_m,
            &mut self.distance_m,
            &mut self.speed_m_s,
            &mut self.hr_bpm,
            &mut self.cadence_rpm,
            &mut self.power_w,
            &mut self.temperature_c,
        ]
    }

    /// The same columns, read-only, in the same order.
    pub fn value_columns(&self) -> [&[f64]; 9] {
        [
            &self.lat_deg,
            &self.lon_deg,
            &self.altitude_m,
            &self.distance_m,
            &self.speed_m_s,
            &self.hr_bpm,
            &self.cadence_rpm,
            &self.power_w,
            &self.temperature_c,
        ]
    }

    /// Sample `i` as a point, missing values as `None`: `push` undone.
    pub fn point(&self, i: usize) -> Point {
        let v = |c: &[f64]| Some(c[i]).filter(|v| !v.is_nan());
        Point {
            time_ms: self.time_ms[i],
            lat_deg: v(&self.lat_deg),
            lon_deg: v(&self.lon_deg),
            altitude_m: v(&self.altitude_m),
            distance_m: v(&self.distance_m),
            speed_m_s: v(&self.speed_m_s),
            hr_bpm: v(&self.hr_bpm),
            cadence_rpm: v(&self.cadence_rpm),
            power_w: v(&self.power_w),
            temperature_c: v(&self.temperature_c),
        }
    }

    /// Drop samples further than `max_ms` from the median time (seen in
    /// real files: records two years ahead in the middle of a run; a fuzzer
    /// finds a century); returns how many.
    pub fn drop_clock_glitches(&mut self, max_ms: i64) -> usize {
        let times = &self.time_ms;
        // Every sample within the distance of every other: none can be far
        // from the median (the usual case, found without sorting).
        if self.time_range().is_none_or(|(lo, hi)| hi.saturating_sub(lo) <= max_ms) {
            return 0;
        }
        let mut sorted = times.clone();
        let mid = sorted.len() / 2;
        let (_, &mut median, _) = sorted.select_nth_unstable(mid);
        let near = |t: i64| t.abs_diff(median) <= max_ms.unsigned_abs();
        let kept = self.filter(|i| near(times[i]));
        let dropped = self.len() - kept.len();
        *self = kept;
        dropped
    }

    /// The earliest and the latest sample time.
    pub fn time_range(&self) -> Option<(i64, i64)> {
        // Four independent lanes: one running min and max through every
        // sample was a chain as long as the run (a few % of parsing a FIT).
        let (mut lo, mut hi) = ([i64::MAX; 4], [i64::MIN; 4]);
        let mut chunks = self.time_ms.chunks_exact(4);
        for c in &mut chunks {
            for k in 0..4 {
                lo[k] = lo[k].min(c[k]);
                hi[k] = hi[k].max(c[k]);
            }
        }
        for &t in chunks.remainder() {
            (lo[0], hi[0]) = (lo[0].min(t), hi[0].max(t));
        }
        let range = (lo.into_iter().min()?, hi.into_iter().max()?);
        (!self.is_empty()).then_some(range)
    }

    /// The samples at the indices `keep` accepts, in order.
    #[must_use]
    pub fn filter(&self, keep: impl Fn(usize) -> bool) -> Samples {
        let idx: Vec<usize> = (0..self.len()).filter(|&i| keep(i)).collect();
        self.select(&idx)
    }

    /// The samples at `idx`, in that order.
    fn select(&self, idx: &[usize]) -> Samples {
        let mut out = Samples { time_ms: idx.iter().map(|&i| self.time_ms[i]).collect(), ..Samples::default() };
        for (to, from) in out.value_columns_mut().into_iter().zip(self.value_columns()) {
            *to = idx.iter().map(|&i| from[i]).collect();
        }
        out
    }

    /// Append a point. Infinite values and positions off the globe (a
    /// latitude of 100 degrees) are stored as missing, whatever the format.
    #[inline]
    pub fn push(&mut self, p: &Point) {
        let v = |x: Option<f64>| x.filter(|x| x.is_finite()).unwrap_or(f64::NAN);
        let on_globe = matches!((p.lat_deg, p.lon_deg), (Some(la), Some(lo)) if la.abs() <= 90.0 && lo.abs() <= 180.0);
        self.time_ms.push(p.time_ms);
        self.lat_deg.push(if on_globe { v(p.lat_deg) } else { f64::NAN });
        self.lon_deg.push(if on_globe { v(p.lon_deg) } else { f64::NAN });
        self.altitude_m.push(v(p.altitude_m));
        self.distance_m.push(v(p.distance_m));
        self.speed_m_s.push(v(p.speed_m_s));
        self.hr_bpm.push(v(p.hr_bpm));
        self.cadence_rpm.push(v(p.cadence_rpm));
        self.power_w.push(v(p.power_w));
        self.temperature_c.push(v(p.temperature_c));
    }

    fn column(&self, channel: Channel) -> &[f64] {
        match channel {
            Channel::Position => &self.lat_deg,
            Channel::Altitude => &self.altitude_m,
            Channel::Distance => &self.distance_m,
            Channel::Speed => &self.speed_m_s,
            Channel::HeartRate => &self.hr_bpm,
            Channel::Cadence => &self.cadence_rpm,
            Channel::Power => &self.power_w,
            Channel::Temperature => &self.temperature_c,
        }
    }

    /// How many samples carry a value on this channel.
    pub fn count(&self, channel: Channel) -> usize {
        self.column(channel).iter().filter(|v| v.is_finite()).count()
    }

    /// Channels with at least one value.
    pub fn channels(&self) -> Vec<Channel> {
        Channel::ALL.into_iter().filter(|&c| self.column(c).iter().any(|v| v.is_finite())).collect()
    }

    /// Sort by time (stable) so files written out of order still make sense;
    /// returns how many samples were out of order.
    pub fn sort_by_time(&mut self) -> usize {
        let out_of_order = self.time_ms.windows(2).filter(|w| w[1] < w[0]).count();
        if out_of_order == 0 {
            return 0;
        }
        let mut order: Vec<usize> = (0..self.len()).collect();
        order.sort_by_key(|&i| self.time_ms[i]);
        *self = self.select(&order);
        out_of_order
    }
}
