//! What people read: metric or imperial. Tables stay SI whatever is chosen;
//! only the terminal, the charts and the report convert.

use std::fmt;

const M_PER_MILE: f64 = 1609.344;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Units {
    #[default]
    Metric,
    Imperial,
}

impl Units {
    pub fn parse(s: &str) -> Option<Units> {
        match s.to_ascii_lowercase().as_str() {
            "metric" | "km" => Some(Units::Metric),
            "imperial" | "mi" | "miles" => Some(Units::Imperial),
            _ => None,
        }
    }

    /// Metres per displayed distance unit.
    pub fn m_per_unit(self) -> f64 {
        match self {
            Units::Metric => 1000.0,
            Units::Imperial => M_PER_MILE,
        }
    }

    /// "km" or "mi".
    pub fn distance_unit(self) -> &'static str {
        match self {
            Units::Metric => "km",
            Units::Imperial => "mi",
        }
    }

    pub fn distance(self, m: f64) -> f64 {
        m / self.m_per_unit()
    }

    /// Seconds per km to seconds per displayed unit.
    pub fn pace_s(self, s_per_km: f64) -> f64 {
        s_per_km * self.m_per_unit() / 1000.0
    }

    /// "6:24/km" or "10:18/mi".
    pub fn pace(self, s_per_km: f64) -> String {
        format!("{}/{}", clock(self.pace_s(s_per_km)), self.distance_unit())
    }
}

impl fmt::Display for Units {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Units::Metric => "metric",
            Units::Imperial => "imperial",
        })
    }
}

/// "6:24" from 384 s; hours appear past 60 minutes ("1:02:05").
pub fn clock(seconds: f64) -> String {
    if !seconds.is_finite() {
        return "-".into();
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // rounded, clamped to >= 0
    let total = seconds.max(0.0).round() as u64;
    let (h, m, s) = (total / 3600, total / 60 % 60, total % 60);
    if h > 0 { format!("{h}:{m:02}:{s:02}") } else { format!("{m}:{s:02}") }
}

/// "3 h 25 min", "45 min": durations people skim.
pub fn hours_minutes(seconds: f64) -> String {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // rounded, clamped to >= 0
    let minutes = (seconds.max(0.0) / 60.0).round() as u64;
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m:02} min"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paces_convert_per_unit() {
        assert_eq!(Units::Metric.pace(384.0), "6:24/km");
        assert_eq!(Units::Imperial.pace(384.0), "10:18/mi");
        assert_eq!(clock(3725.0), "1:02:05");
        assert_eq!(clock(f64::NAN), "-");
    }

    #[test]
    fn distances_and_durations_read_naturally() {
        assert!((Units::Imperial.distance(1609.344) - 1.0).abs() < 1e-12);
        assert_eq!(hours_minutes(2700.0), "45 min");
        assert_eq!(hours_minutes(12_300.0), "3 h 25 min");
        assert_eq!(hours_minutes(7200.0), "2 h");
        assert_eq!(Units::parse("Imperial"), Some(Units::Imperial));
        assert_eq!(Units::parse("furlongs"), None);
    }
}
