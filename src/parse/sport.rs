//! Sports normalized from whatever the file or Strava calls them, so later
//! stages can select runs without knowing every vendor's vocabulary.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize, serde::Deserialize)]
pub enum Sport {
    Running,
    TrailRunning,
    Treadmill,
    Cycling,
    Walking,
    Hiking,
    Swimming,
    #[default]
    Other,
}

impl Sport {
    pub const ALL: [Sport; 8] = [
        Sport::Running,
        Sport::TrailRunning,
        Sport::Treadmill,
        Sport::Cycling,
        Sport::Walking,
        Sport::Hiking,
        Sport::Swimming,
        Sport::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Sport::Running => "running",
            Sport::TrailRunning => "trail_running",
            Sport::Treadmill => "treadmill",
            Sport::Cycling => "cycling",
            Sport::Walking => "walking",
            Sport::Hiking => "hiking",
            Sport::Swimming => "swimming",
            Sport::Other => "other",
        }
    }

    pub fn is_run(self) -> bool {
        matches!(self, Sport::Running | Sport::TrailRunning | Sport::Treadmill)
    }

    /// Normalize a sport name and optional sub-sport from any source: FIT
    /// enums (`running`/`treadmill`), TCX (`Running`, `Biking`), GPX `<type>`
    /// (free text or Strava's legacy numeric codes: 1 ride, 4 hike, 9 run,
    /// 10 walk) and Strava's activity types
    /// (`Trail Run`, `Virtual Ride`).
    pub fn normalize(sport: &str, sub_sport: Option<&str>) -> Sport {
        let key = |s: &str| s.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_ascii_lowercase();
        let base = match key(sport).as_str() {
            "running" | "run" | "9" | "virtualrun" | "indoorrunning" | "streetrunning" | "track" | "trackrunning"
            | "ultrarun" => Sport::Running,
            "trailrunning" | "trailrun" => Sport::TrailRunning,
            "treadmill" | "treadmillrunning" => Sport::Treadmill,
            "cycling" | "biking" | "ride" | "1" | "virtualride" | "ebikeride" | "gravelride" | "mountainbikeride"
            | "roadbiking" | "mountainbiking" | "indoorcycling" | "ebiking" | "gravelcycling" => Sport::Cycling,
            "walking" | "walk" | "10" => Sport::Walking,
            "hiking" | "hike" | "4" => Sport::Hiking,
            "swimming" | "swim" | "openwaterswimming" | "lapswimming" | "poolswim" => Sport::Swimming,
            _ => Sport::Other,
        };
        match (base, sub_sport.map(key).as_deref()) {
            (Sport::Running, Some("treadmill" | "indoorrunning" | "virtualactivity")) => Sport::Treadmill,
            (Sport::Running, Some("trail")) => Sport::TrailRunning,
            _ => base,
        }
    }
}

impl fmt::Display for Sport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_vendor_names() {
        assert_eq!(Sport::normalize("running", None), Sport::Running);
        assert_eq!(Sport::normalize("Running", Some("trail")), Sport::TrailRunning);
        assert_eq!(Sport::normalize("running", Some("treadmill")), Sport::Treadmill);
        assert_eq!(Sport::normalize("Trail Run", None), Sport::TrailRunning);
        assert_eq!(Sport::normalize("Biking", None), Sport::Cycling);
        assert_eq!(Sport::normalize("Virtual Ride", None), Sport::Cycling);
        assert_eq!(Sport::normalize("9", None), Sport::Running);
        assert_eq!(Sport::normalize("open_water_swimming", None), Sport::Swimming);
        assert_eq!(Sport::normalize("transition", None), Sport::Other);
        assert_eq!(Sport::normalize("", None), Sport::Other);
    }
}
