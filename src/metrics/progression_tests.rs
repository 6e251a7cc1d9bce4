use super::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A run of `km` every day from `from` to `to`, each 6 min/km, load 50.
fn daily_runs(from: NaiveDate, to: NaiveDate, km: f64) -> Vec<Entry> {
    from.iter_days()
        .take_while(|d| *d <= to)
        .map(|d| Entry { day: d, run: true, distance_m: km * 1000.0, moving_time_s: km * 360.0, load: 50.0 })
        .collect()
}

fn on(days: &[YearDay], date: NaiveDate) -> YearDay {
    *days.iter().find(|d| d.date == date).unwrap()
}

#[test]
fn leap_days_line_up_with_the_same_date_of_a_common_year() {
    assert_eq!(calendar_day(day(2024, 2, 29)), 60);
    assert_eq!(calendar_day(day(2024, 3, 1)), 61);
    assert_eq!(calendar_day(day(2023, 3, 1)), 61);
    assert_eq!(calendar_day(day(2023, 2, 28)), 59);
    assert_eq!(calendar_day(day(2023, 12, 31)), 366);
    assert_eq!(calendar_day(day(2024, 12, 31)), 366);
    assert_eq!(same_day_a_year_before(day(2024, 2, 29)), day(2023, 2, 28));
    assert_eq!(same_day_a_year_before(day(2025, 3, 1)), day(2024, 3, 1));
}

#[test]
fn totals_restart_on_1_january_and_add_up_to_known_values_across_a_leap_year() {
    let entries =
        [daily_runs(day(2023, 1, 1), day(2023, 12, 31), 5.0), daily_runs(day(2024, 1, 1), day(2024, 2, 29), 6.0)]
            .concat();
    let days = running_totals(&entries, day(2024, 2, 29));
    assert_eq!(days.len(), 365 + 60);
    let end_2023 = on(&days, day(2023, 12, 31));
    assert_eq!(end_2023.runs, 365);
    assert!((end_2023.distance_m - 1_825_000.0).abs() < 1e-6);
    assert!((end_2023.moving_time_s - 365.0 * 1800.0).abs() < 1e-6);
    assert!((end_2023.load - 365.0 * 50.0).abs() < 1e-6);
    assert!((on(&days, day(2024, 1, 1)).distance_m - 6000.0).abs() < 1e-6);
    let c = compare(&days).unwrap();
    assert_eq!(c.as_of, day(2024, 2, 29));
    // 60 days of 6 km against 59 days of 5 km (28 February 2023).
    let last = c.last_year.unwrap();
    assert_eq!(last.totals.date, day(2023, 2, 28));
    assert!((c.this_year.totals.distance_m - 360_000.0).abs() < 1e-6);
    assert!((c.ahead_m().unwrap() - 65_000.0).abs() < 1e-6);
    assert!((c.last_year_whole.unwrap().totals.distance_m - 1_825_000.0).abs() < 1e-6);
}

#[test]
fn a_history_starting_mid_year_is_not_compared_as_a_whole_year() {
    let entries = daily_runs(day(2023, 6, 15), day(2024, 3, 1), 10.0);
    let days = running_totals(&entries, day(2024, 3, 1));
    assert_eq!(days[0].date, day(2023, 6, 15));
    // 15 June to 31 December: 200 days.
    assert!((on(&days, day(2023, 12, 31)).distance_m - 2_000_000.0).abs() < 1e-6);
    // 31 + 29 + 1 days of 2024.
    assert!((on(&days, day(2024, 3, 1)).distance_m - 610_000.0).abs() < 1e-6);
    let c = compare(&days).unwrap();
    assert_eq!(c.last_year, None, "nothing on record by 1 March 2023");
    assert_eq!(c.ahead_m(), None);
    let whole = c.last_year_whole.unwrap();
    assert!(!whole.complete());
    assert_eq!(whole.from, day(2023, 6, 15));
}

#[test]
fn only_runs_add_distance_and_rest_days_carry_the_total() {
    let ride = Entry { day: day(2025, 1, 3), run: false, distance_m: 40_000.0, moving_time_s: 5400.0, load: 90.0 };
    let run = Entry { day: day(2025, 1, 1), run: true, distance_m: 8000.0, moving_time_s: 2880.0, load: 60.0 };
    let days = running_totals(&[ride, run], day(2025, 1, 5));
    assert_eq!(days.len(), 5);
    let last = days[4];
    assert_eq!(last.runs, 1);
    assert!((last.distance_m - 8000.0).abs() < 1e-9 && (last.moving_time_s - 2880.0).abs() < 1e-9);
    assert!((last.load - 150.0).abs() < 1e-9);
    assert!((days[1].distance_m - 8000.0).abs() < 1e-9);
}

#[test]
fn quarters_get_a_level_only_with_enough_confident_runs_and_compare_a_year_apart() {
    let mut runs: Vec<Pace> = Vec::new();
    for (i, d) in day(2025, 1, 6).iter_days().step_by(3).take(25).enumerate() {
        runs.push((d, 330.0 + if i % 2 == 0 { 2.0 } else { -2.0 }));
    }
    for (i, d) in day(2026, 1, 5).iter_days().step_by(3).take(25).enumerate() {
        runs.push((d, 318.0 + if i % 2 == 0 { 2.0 } else { -2.0 }));
    }
    // Three runs in Apr-Jun 2026 make no level.
    runs.extend([day(2026, 4, 2), day(2026, 4, 5), day(2026, 4, 8)].map(|d| (d, 300.0)));
    let levels = season_levels(&runs);
    let found: Vec<(i32, &str)> = levels.iter().map(|l| (l.year, l.quarter.label())).collect();
    assert_eq!(found, vec![(2025, "Jan-Mar"), (2026, "Jan-Mar")]);
    let change = latest_season_change(&levels).unwrap();
    assert!((change.faster_s_per_km - 12.0).abs() < 1.0, "{change:?}");
    assert!(change.clear());
    assert!(season_levels(&[]).is_empty());
}
