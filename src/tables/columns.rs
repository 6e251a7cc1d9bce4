//! Every column name of the output contract, spelled once: users script
//! against these names (docs/DESIGN.md), and the writers, the readers and
//! the report all take them from here.

/// Column names of `activities.csv` / `activities.parquet`.
pub mod activity_col {
    pub const ACTIVITY_ID: &str = "activity_id";
    pub const SOURCE: &str = "source";
    pub const FORMAT: &str = "format";
    pub const SPORT: &str = "sport";
    pub const START_TIME_UTC: &str = "start_time_utc";
    pub const DURATION_S: &str = "duration_s";
    pub const MOVING_TIME_S: &str = "moving_time_s";
    pub const SAMPLES: &str = "samples";
    pub const DISTANCE_M: &str = "distance_m";
    pub const ELEVATION_GAIN_M: &str = "elevation_gain_m";
    pub const AVG_HR_BPM: &str = "avg_hr_bpm";
    pub const MAX_HR_BPM: &str = "max_hr_bpm";
    pub const AVG_PACE_S_PER_KM: &str = "avg_pace_s_per_km";
    pub const PACE_AT_HR_S_PER_KM: &str = "pace_at_hr_s_per_km";
    pub const PACE_AT_HR_TARGET_BPM: &str = "pace_at_hr_target_bpm";
    pub const PACE_AT_HR_NOTE: &str = "pace_at_hr_note";
    pub const DECOUPLING_PCT: &str = "decoupling_pct";
    pub const Z1_S: &str = "z1_s";
    pub const Z2_S: &str = "z2_s";
    pub const Z3_S: &str = "z3_s";
    pub const SESSION_TYPE: &str = "session_type";
    pub const GRAY_ZONE: &str = "gray_zone";
    pub const ROUTE_ID: &str = "route_id";
    pub const DUPLICATE_OF: &str = "duplicate_of";
    pub const NAME: &str = "name";
    pub const DEVICE: &str = "device";
    pub const UTC_OFFSET_S: &str = "utc_offset_s";
    /// Where `utc_offset_s` came from: device, position, setting, nearby or
    /// none (see `features::timezone`).
    pub const UTC_OFFSET_SOURCE: &str = "utc_offset_source";
    /// Training load, 100 = one hour at LTHR (`metrics::load`).
    pub const LOAD: &str = "load";
    /// "hr" (heart-rate TRIMP) or "pace" (no usable heart rate); empty
    /// without a load.
    pub const LOAD_SOURCE: &str = "load_source";
    pub const HR_ARTIFACTS: &str = "hr_artifacts";
    pub const GPS_JUMPS: &str = "gps_jumps";
    pub const PAUSED_S: &str = "paused_s";
    /// Pace at HR drifted (decoupling beyond the limit): shown, but hollow.
    pub const LOW_CONFIDENCE: &str = "pace_at_hr_low_confidence";
    /// Share of HR time in Z2 after the warm-up: the gray-zone test's input.
    pub const Z2_SHARE: &str = "z2_share_after_warmup";
    /// Empty for an intact file; "partial: ..." or "unverified: ..." for an
    /// activity salvaged from a damaged one.
    pub const INTEGRITY: &str = "integrity";
    /// One standard error of `pace_at_hr_s_per_km` (spread of the run's
    /// steady windows near the target, and how far the target lay from
    /// them).
    pub const PACE_AT_HR_UNCERTAINTY: &str = "pace_at_hr_uncertainty_s_per_km";
    /// Heart rate at the end of the hardest effort with an eligible
    /// recovery after it (`features::recovery`); empty without one.
    pub const HR_RECOVERY_END_BPM: &str = "hr_recovery_end_bpm";
    /// How far the heart rate fell 60 s after that effort's end.
    pub const HR_RECOVERY_60S_DROP_BPM: &str = "hr_recovery_60s_drop_bpm";
    /// How far it fell 120 s after.
    pub const HR_RECOVERY_120S_DROP_BPM: &str = "hr_recovery_120s_drop_bpm";
    /// The recovery heart rate the watch wrote (FIT `recovery_hr` event), as
    /// written; empty when it wrote none.
    pub const WATCH_RECOVERY_HR_BPM: &str = "watch_recovery_hr_bpm";
    /// The device thermometer's median over the run (°C).
    pub const TEMPERATURE_C: &str = "temperature_c";
}

/// Column names of `weekly.csv`.
pub mod week_col {
    pub const WEEK_START: &str = "week_start";
    pub const RUNS: &str = "runs";
    pub const DISTANCE_M: &str = "distance_m";
    pub const MOVING_TIME_S: &str = "moving_time_s";
    pub const Z1_S: &str = "z1_s";
    pub const Z2_S: &str = "z2_s";
    pub const Z3_S: &str = "z3_s";
    pub const EASY_RUNS: &str = "easy_runs";
    pub const GRAY_EASY_RUNS: &str = "gray_easy_runs";
    /// The rolling level of pace at the target HR (robust, confident runs
    /// only; empty without 4 such runs in 4 weeks or across a gap of more
    /// than 3 weeks).
    pub const PACE_AT_HR_S_PER_KM: &str = "pace_at_hr_s_per_km";
    /// Half-width of the band around that level (2 standard errors, about
    /// 95 %): the level is `pace_at_hr_s_per_km` give or take this.
    pub const PACE_AT_HR_BAND_S_PER_KM: &str = "pace_at_hr_band_s_per_km";
    pub const STREAK_WEEKS: &str = "streak_weeks";
    pub const DISTINCT_ROUTES: &str = "distinct_routes";
    pub const TOP3_SHARE: &str = "top3_share";
    pub const EFFECTIVE_ROUTES: &str = "effective_routes";
    pub const NEW_ROUTE_SHARE: &str = "new_route_share";
    pub const RUT: &str = "rut";
    /// Training load of the week's activities (`metrics::load`).
    pub const LOAD: &str = "load";
}

/// Column names of `daily.csv`: every local day from the first activity
/// with a load to the last (`metrics::fitness`).
pub mod day_col {
    pub const DATE: &str = "date";
    pub const LOAD: &str = "load";
    pub const FITNESS: &str = "fitness";
    pub const FATIGUE: &str = "fatigue";
    pub const FORM: &str = "form";
    pub const RAMP: &str = "ramp";
    /// Coupled 7:28-day ratio; empty under the chronic floor.
    pub const ACWR: &str = "acwr";
    pub const MONOTONY: &str = "monotony";
    pub const STRAIN: &str = "strain";
    /// EWMA 7:28-day ratio; empty under the chronic floor.
    pub const ACWR_EWMA: &str = "acwr_ewma";
}

/// Column names of `progression.csv`: one row per local day from the first
/// activity to the last, each value a running total from 1 January of the
/// row's year (from the first activity in the history's first year).
pub mod progression_col {
    pub const YEAR: &str = "year";
    /// Day of the year on a 366-day calendar: 1 March is 61 in every year,
    /// so the same date lines up across years (common years skip 60).
    pub const DAY_OF_YEAR: &str = "day_of_year";
    pub const DATE: &str = "date";
    /// Runs so far this year.
    pub const RUNS: &str = "runs";
    /// Running distance so far this year.
    pub const DISTANCE_M: &str = "distance_m";
    /// Running moving time so far this year.
    pub const MOVING_TIME_S: &str = "moving_time_s";
    /// Training load so far this year (every sport, as daily.csv).
    pub const LOAD: &str = "load";
}

/// Column names of `routes.csv`.
pub mod route_col {
    pub const ROUTE_ID: &str = "route_id";
    pub const RUNS: &str = "runs";
    pub const FIRST_RUN: &str = "first_run";
    pub const LAST_RUN: &str = "last_run";
    pub const DISTANCE_M: &str = "distance_m";
    pub const START_LAT: &str = "start_lat";
    pub const START_LON: &str = "start_lon";
    /// The name the runner gave the route's runs most often; empty when
    /// they only carry generic names (used on many routes).
    pub const NAME: &str = "name";
}

/// Column names of `route_cells.csv`: every ~50 m cell any run went
/// through, for the route map's heat.
pub mod cell_col {
    /// Middle of the cell.
    pub const LAT: &str = "lat_deg";
    pub const LON: &str = "lon_deg";
    pub const RUNS: &str = "runs";
    pub const FIRST_RUN: &str = "first_run";
}

/// Column names of `route_tracks.csv`: each route's course (its first run),
/// one point every 100 m, in order.
pub mod track_col {
    pub const ROUTE_ID: &str = "route_id";
    pub const LAT: &str = "lat_deg";
    pub const LON: &str = "lon_deg";
}

/// Column names of `skipped.csv`.
pub mod skipped_col {
    pub const SOURCE: &str = "source";
    pub const REASON: &str = "reason";
}

/// Column names of `squad.csv` (squad mode): one row per athlete, the one
/// needing attention first.
pub mod squad_col {
    /// 1 = look at this athlete first.
    pub const RANK: &str = "rank";
    pub const ATHLETE: &str = "athlete";
    /// The athlete's folder under `athletes/` and partition value under
    /// `parquet/`: the name with unsafe bytes percent-encoded.
    pub const KEY: &str = "athlete_key";
    /// `ok`, `no_runs` (nothing could be analyzed) or `failed`.
    pub const STATUS: &str = "status";
    /// Sum of the points of `squad::attention`'s rules; higher first.
    pub const ATTENTION_SCORE: &str = "attention_score";
    /// The rules that scored, biggest first ("gray easy runs 60 % of last 4 weeks").
    pub const ATTENTION_REASON: &str = "attention_reason";
    pub const ACTIVITIES: &str = "activities";
    pub const LAST_ACTIVITY: &str = "last_activity";
    /// Days from the athlete's last activity to the squad's latest one.
    pub const DAYS_SINCE_LAST: &str = "days_since_last_activity";
    /// Pace at the target HR, last versus first 4 weeks; positive is faster.
    pub const PACE_AT_HR_CHANGE_PCT: &str = "pace_at_hr_change_pct";
    pub const PACE_AT_HR_CHANGE_UNCERTAINTY_PCT: &str = "pace_at_hr_change_uncertainty_pct";
    pub const EASY_RUNS_LAST_4_WEEKS: &str = "easy_runs_last_4_weeks";
    pub const GRAY_EASY_SHARE_LAST_4_WEEKS: &str = "gray_easy_share_last_4_weeks";
    pub const ROUTES: &str = "routes";
    /// Weeks in ruts (the same few routes) over the whole history.
    pub const RUT_WEEKS: &str = "rut_weeks";
    /// A rut window reaches the athlete's last week.
    pub const IN_RUT: &str = "in_rut_now";
    pub const LATEST_LAYOFF_START: &str = "latest_layoff_start";
    pub const LATEST_LAYOFF_DAYS: &str = "latest_layoff_days";
    /// Weekly volume after the layoff over the usual (summary.json's layoffs).
    pub const COMEBACK_RATIO: &str = "comeback_ratio";
    /// The comeback's load rose faster than the safe ramp (summary.json's load.comebacks).
    pub const COMEBACK_STEEP: &str = "comeback_steep";
    pub const ACWR: &str = "acwr";
    pub const RAMP: &str = "ramp";
    pub const FILES_SEEN: &str = "files_seen";
    pub const UNREADABLE_FILES: &str = "unreadable_files";
    pub const SALVAGED_ACTIVITIES: &str = "salvaged_activities";
    /// Share of the runs with heart rate.
    pub const RUNS_WITH_HR_SHARE: &str = "runs_with_hr_share";
}

/// Column names of `efforts.csv`: every run's fastest stretch over each
/// distance it covered (`features::efforts`).
pub mod effort_col {
    pub const ACTIVITY_ID: &str = "activity_id";
    pub const DISTANCE_M: &str = "distance_m";
    /// Wall-clock seconds: stops and pauses inside the stretch count.
    pub const TIME_S: &str = "time_s";
    /// The same stretch as if run on the flat (grade-adjusted).
    pub const GAP_TIME_S: &str = "gap_time_s";
    /// Seconds from the start of the run to the start of the stretch.
    pub const START_OFFSET_S: &str = "start_offset_s";
}
