//! Calendar conversions every stage shares: polars' epoch days and epoch
//! milliseconds to calendar days, in one place.

use chrono::{DateTime, NaiveDate, Weekday};

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

/// "2026-06-02": the UTC calendar day of epoch milliseconds.
pub fn utc_day(ms: i64) -> String {
    DateTime::from_timestamp_millis(ms).unwrap_or_default().format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_days_round_trip() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        assert_eq!(date_of(days_since_epoch(d)), d);
        assert_eq!(date_of(0), NaiveDate::from_ymd_opt(1970, 1, 1).unwrap());
        assert_eq!(utc_day(86_400_000 + 1), "1970-01-02");
        let sunday = NaiveDate::from_ymd_opt(2026, 3, 8).unwrap();
        assert_eq!(monday(sunday), NaiveDate::from_ymd_opt(2026, 3, 2).unwrap());
        assert_eq!(monday(monday(sunday)), monday(sunday));
    }
}
