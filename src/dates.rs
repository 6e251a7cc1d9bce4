//! Calendar conversions every stage shares: polars' epoch days and epoch
//! milliseconds to calendar days and local wall-clock time, in one place.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Weekday};

/// A polars `Date` (days since 1970-01-01) as a calendar day; days beyond
/// chrono's range (about 262,000 years) clamp to its ends.
pub fn date_of(days: i32) -> NaiveDate {
    NaiveDate::from_epoch_days(days).unwrap_or(if days < 0 { NaiveDate::MIN } else { NaiveDate::MAX })
}

/// Days since 1970-01-01, as a polars `Date` stores them.
pub fn days_since_epoch(d: NaiveDate) -> i32 {
    d.to_epoch_days()
}

/// The Monday of the ISO week holding `d`.
pub fn monday(d: NaiveDate) -> NaiveDate {
    d.week(Weekday::Mon).first_day()
}

/// The wall-clock time at `utc_ms` with `utc_offset_s` (UTC when unknown).
pub fn local_time(utc_ms: i64, utc_offset_s: Option<i32>) -> NaiveDateTime {
    let ms = utc_ms + i64::from(utc_offset_s.unwrap_or(0)) * 1000;
    DateTime::from_timestamp_millis(ms).unwrap_or_default().naive_utc()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_days_round_trip() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        assert_eq!(date_of(days_since_epoch(d)), d);
        assert_eq!(date_of(0), NaiveDate::from_ymd_opt(1970, 1, 1).unwrap());
        let t = local_time(86_400_000 + 1, Some(-3600));
        assert_eq!(t.to_string(), "1970-01-01 23:00:00.001");
        let sunday = NaiveDate::from_ymd_opt(2026, 3, 8).unwrap();
        assert_eq!(monday(sunday), NaiveDate::from_ymd_opt(2026, 3, 2).unwrap());
        assert_eq!(monday(monday(sunday)), monday(sunday));
    }
}
